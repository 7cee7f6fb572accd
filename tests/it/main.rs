//! The integration test binary: every module below is one area of behaviour.

mod cases;
mod checker;
mod fixtures;
mod lessons;
mod errors;
mod parse;
