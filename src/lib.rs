#![doc = include_str!("../ARCHITECTURE.md")]
#![forbid(unsafe_code)]

pub mod app;
pub mod bind;
pub mod data;
pub mod diag;
pub mod engine;
pub mod exec;
pub mod lesson;
pub mod plan;
pub mod syntax;
pub mod table;
pub mod types;
pub mod util;
pub mod view;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
