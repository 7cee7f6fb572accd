//! Arbitrary text → parse, bind and execute against the fuzz catalog.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kqlab_fuzz::harness::run(&String::from_utf8_lossy(data));
});
