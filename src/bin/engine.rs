//! The query worker's module, built by Trunk for `wasm32-unknown-unknown` next to the page's
//! (`src/bin/app.rs`; see `index.html`). Its entry point is only the worker's message loop, so
//! the linker keeps the engine (executor, data generator, checker) and drops Yew, the UI and
//! the Markdown reader; the page's module, whose entry point never reaches the worker's loop,
//! drops the executor and the generators.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    kqlab::web::worker::run_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("`engine` is the query worker of kqlab's browser build; build it with `trunk build` (see docs/WEB.md) or run the native CLI `kqlab`.");
    std::process::exit(2);
}
