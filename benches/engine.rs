//! `cargo bench`: the engine benchmark (see `src/bench.rs` and BENCHMARKS.md). Pass options
//! after `--`, e.g. `cargo bench -- --rows 100000 --filter s5`. Native only: the browser
//! benchmark is `bench/browser.mjs`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(kqlab::bench::main(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
