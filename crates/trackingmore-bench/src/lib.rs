#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod bulk;
pub mod fixture;
pub mod load;
pub mod memory;
