//! Regular expressions with Kusto's (RE2-like) syntax, compiled the same way for the binder
//! (which checks constant patterns as you type) and the executor (which runs them).

use crate::diag::codes;
use regex_lite::Regex;

/// The code and message for a regex that does not compile: one too large once compiled
/// (`a{1000}{1000}`) hit a limit (`KQL0502`); anything else is not valid (`KQL0501`).
pub fn regex_error(e: &str) -> (&'static str, String) {
    if e.contains("size limit") {
        (codes::LIMIT, format!("This regular expression is too large once compiled ({e}); use smaller repetition counts"))
    } else {
        (codes::RUNTIME, format!("This regular expression is not valid: {e}"))
    }
}

/// Compiles a regex with Kusto's (RE2-like) syntax.
pub fn compile_regex(re: &str) -> Result<Regex, String> {
    Regex::new(re).map_err(|e| e.to_string().lines().last().unwrap_or("invalid regular expression").trim().to_string())
}
