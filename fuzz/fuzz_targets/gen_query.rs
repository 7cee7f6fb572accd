//! The fuzzer's bytes drive the grammar-aware generator (kqlab_fuzz::gen): valid-ish
//! queries with edge values, so most inputs bind and reach the executor.
#![no_main]
use kqlab_fuzz::gen::{Bytes, Gen};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut src = Bytes::new(data);
    let q = Gen::new(&mut src).query();
    kqlab_fuzz::harness::run(&q);
});
