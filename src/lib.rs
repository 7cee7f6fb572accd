#![doc = include_str!("../ARCHITECTURE.md")]

pub mod diag;
pub mod types;
pub mod table;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;
