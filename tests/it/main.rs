//! The integration test binary: every module below is one area of behaviour.

mod cases;
mod checker;
mod errors;
mod fixtures;
mod lessons;
mod parse;
