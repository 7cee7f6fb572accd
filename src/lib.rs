#![doc = include_str!("../ARCHITECTURE.md")]

pub mod diag;
pub mod types;
pub mod syntax;
pub mod table;
pub mod bind;
pub mod exec;
pub mod engine;
pub mod lesson;
// (data and cli are declared once the data layer lands)
