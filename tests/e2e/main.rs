//! End-to-end tests: the client against the sandbox (or a mock server, where a precise
//! sequence of answers is needed) over real HTTP on loopback.

mod account;
mod batch;
mod config;
mod errors;
mod forward_compat;
mod raw;
mod resilience;
mod tools;
mod trackings;
mod webhooks;
