//! Arbitrary text → CSV import (strict and lenient), and a round trip of what reads.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient = data.first().is_some_and(|b| b & 1 == 1);
    kqlab_fuzz::harness::csv(&String::from_utf8_lossy(data.get(1..).unwrap_or_default()), lenient);
});
