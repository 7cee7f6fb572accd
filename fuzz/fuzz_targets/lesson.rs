//! Arbitrary text → lesson and index parsing (seeded with lessons/*.toml).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kqlab_fuzz::harness::lesson(&String::from_utf8_lossy(data));
});
