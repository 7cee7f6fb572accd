//! The integration test binary: every module below is one area of behaviour.
//!
//! One binary links the library once (each extra test binary is another link of the whole
//! crate). The exception is `tests/fuzz_bounded.rs`: it installs a counting global allocator,
//! which must not see the allocations of other tests running in parallel threads.

mod cases;
mod checker;
mod cli;
mod data;
mod engine;
mod errors;
mod fastpaths;
mod fixtures;
mod graph;
mod hostile_inputs;
mod layers;
mod lessons;
mod limits;
mod parse;
mod plan;
mod widths;
