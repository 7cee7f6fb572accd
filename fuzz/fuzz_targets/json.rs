//! Arbitrary text → `Dynamic::parse_json`, and a print/parse round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kqlab_fuzz::harness::json(&String::from_utf8_lossy(data));
});
