//! Fuzzing support for kqlab: the query generator and mutator ([`gen`]) and what each
//! target does with one input ([`harness`]). The targets are in `fuzz_targets/`; the
//! stable bounded pass in `tests/fuzz_bounded.rs` includes these two files directly.

pub mod gen;
pub mod harness;
