//! Lessons: the file format, the datasets lessons run on, the answer checker, and the
//! instructor's validator.

pub mod check;
pub mod coach;
pub mod constructs;
pub mod coverage;
pub mod format;
mod sha256;

pub use check::{check_answer, check_query, check_result, expected_for, Expected, Status, Verdict};
pub use format::{parse_index, parse_lesson, Lesson, LessonError, Step};
pub use sha256::sha256_hex;
pub mod dataset;
pub mod validate;
