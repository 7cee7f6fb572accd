//! The fuzzer's bytes drive the grammar-aware generator (kqlab_fuzz::gen): valid-ish
//! queries with edge values, so most inputs bind and reach the executor.
//! `KQLAB_FUZZ_PRINT=1 cargo fuzz run -s none gen_query <file>` prints the query.
#![no_main]
use kqlab_fuzz::gen::{Bytes, Gen};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut src = Bytes::new(data);
    let q = Gen::new(&mut src).query();
    if std::env::var_os("KQLAB_FUZZ_PRINT").is_some() {
        eprintln!("{q}");
    }
    kqlab_fuzz::harness::run(&q);
});
