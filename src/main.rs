//! The `kqlab` command-line tool (native only): run queries, generate datasets, validate
//! lessons, benchmark. See `kqlab help`.

#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(kqlab::cli::main(std::env::args().skip(1).collect()));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
