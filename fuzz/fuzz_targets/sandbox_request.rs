//! libFuzzer entry point for `trackingmore_fuzz::sandbox_requests`; see the crate docs for the input format.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| trackingmore_fuzz::sandbox_requests(data));
