//! Arbitrary bytes → lexer and parser (and the printer, on trees that parse cleanly).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kqlab_fuzz::harness::parse(&String::from_utf8_lossy(data));
});
