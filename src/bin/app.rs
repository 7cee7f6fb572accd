//! The web app's entry point, built by Trunk for `wasm32-unknown-unknown` (see `index.html`).

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    kqlab::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("`app` is the browser build of kqlab; build it with `trunk build` (see docs/WEB.md) or run the native CLI `kqlab`.");
    std::process::exit(2);
}
