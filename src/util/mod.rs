//! Small helpers shared by every layer.

pub mod regex;
pub mod sort;
