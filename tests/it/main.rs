//! The integration test binary: every module below is one area of behaviour.

mod cases;
mod checker;
mod engine;
mod errors;
mod fixtures;
mod layers;
mod lessons;
mod parse;
mod plan;
