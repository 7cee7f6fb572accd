//! Where a wrong answer parts from the expected one, stage by stage: the learner's pipeline and
//! the reference solution's are lined up by operator, and the first stage whose row count
//! differs is named, without showing any of the solution's text.

use crate::engine::Stage;

/// The operator word of a stage (`where`, `summarize`, `join`…), or `None` for the source.
fn op_word(s: &Stage, first: bool) -> Option<&str> {
    if first {
        return None;
    }
    s.text.split(|c: char| c.is_whitespace() || c == '(').next()
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{} rows", crate::diag::thousands(n))
    }
}

/// The first place the learner's stages part from the solution's, in words; `None` when every
/// stage that can be compared has the same count (the difference is in the values or the
/// columns, which the verdict explains).
pub fn parting_note(yours: &[Stage], expected: &[Stage]) -> Option<String> {
    if yours.is_empty() || expected.is_empty() {
        return None;
    }
    for (i, (y, e)) in yours.iter().zip(expected).enumerate() {
        let (wy, we) = (op_word(y, i == 0), op_word(e, i == 0));
        if wy != we {
            return Some(format!(
                "From your {} stage (`{}`) on, your pipeline is built differently from the expected one, so the row counts cannot be compared stage by stage.",
                ordinal(i + 1),
                short(&y.text)
            ));
        }
        let (Some(ry), Some(re)) = (y.rows, e.rows) else { continue };
        if ry == re {
            continue;
        }
        let mut note = if i == 0 {
            format!("Your query starts from `{}` with {}; the expected one starts from {}.", short(&y.text), rows(ry), rows(re))
        } else {
            format!("After your {} stage (`{}`) you have {}; at that point the expected pipeline has {}.", ordinal(i + 1), short(&y.text), rows(ry), rows(re))
        };
        // A filter right after a stage that computes columns may be right while the values
        // it tests are not (count() where dcount() was meant).
        let computed_before = i > 1 && matches!(op_word(&yours[i - 1], false), Some("summarize" | "extend" | "project" | "make-series"));
        let or_values = if computed_before { format!(", or the values it tests, made by your {} stage, differ", ordinal(i)) } else { String::new() };
        match wy {
            Some("where") if ry > re => note.push_str(&format!(" Your filter lets through {} it should not{or_values}.", rows(ry - re))),
            Some("where") => note.push_str(&format!(" Your filter drops {} it should keep{or_values}.", rows(re - ry))),
            Some("summarize") => note.push_str(" The groups differ: check the columns after `by`."),
            Some("join") | Some("lookup") => note.push_str(" Check the join's kind and the columns it matches on."),
            None if y.text.starts_with("union") => note.push_str(" Check what each input of the union brings: the chips under it count each input's rows."),
            None => note.push_str(" Check the table and the time range you start from."),
            _ => {}
        }
        return Some(note);
    }
    if yours.len() != expected.len() {
        let n = yours.len().min(expected.len());
        return Some(format!(
            "Your first {} stage{} match the expected pipeline's row counts; then yours has {} stage{} where the expected one has {}.",
            n,
            if n == 1 { "" } else { "s" },
            yours.len(),
            if yours.len() == 1 { "" } else { "s" },
            expected.len()
        ));
    }
    None
}

/// A stage's text cut to one short line for a message.
fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(57).collect::<String>())
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(text: &str, rows: Option<usize>) -> Stage {
        Stage { text: text.into(), rows, ..Stage::default() }
    }

    #[test]
    fn names_the_first_stage_whose_count_differs() {
        let yours = [st("UrlClickEvents", Some(5000)), st("where Url contains \"contoso\"", Some(120)), st("count", Some(1))];
        let expected = [st("UrlClickEvents", Some(5000)), st("where Url has \"contoso-login\"", Some(118)), st("count", Some(1))];
        assert_eq!(
            parting_note(&yours, &expected).unwrap(),
            "After your 2nd stage (`where Url contains \"contoso\"`) you have 120 rows; at that point the expected pipeline has 118 rows. Your filter lets through 2 rows it should not."
        );
        let fewer = [st("UrlClickEvents", Some(5000)), st("where x", Some(117)), st("count", Some(1))];
        assert!(parting_note(&fewer, &expected).unwrap().ends_with("Your filter drops 1 row it should keep."));
    }

    #[test]
    fn a_different_source_and_a_filter_on_computed_values_are_worded_for_what_they_are() {
        let yours = [st("union (A | where x), (B | where y)", Some(10_048)), st("count", Some(1))];
        let expected = [st("union (A | where x), (B | where z)", Some(12)), st("count", Some(1))];
        assert_eq!(
            parting_note(&yours, &expected).unwrap(),
            "Your query starts from `union (A | where x), (B | where y)` with 10,048 rows; the expected one starts from 12 rows. Check what each input of the union brings: the chips under it count each input's rows."
        );
        let yours = [st("T", Some(50)), st("summarize Tools = count() by AccountName", Some(9)), st("where Tools == 2", Some(4))];
        let expected = [st("T", Some(50)), st("summarize Tools = dcount(FileName) by AccountName", Some(9)), st("where Tools == 2", Some(3))];
        assert!(
            parting_note(&yours, &expected)
                .unwrap()
                .ends_with("Your filter lets through 1 row it should not, or the values it tests, made by your 2nd stage, differ."),
            "{:?}",
            parting_note(&yours, &expected)
        );
    }

    #[test]
    fn says_plainly_when_pipelines_cannot_be_lined_up() {
        let yours = [st("T", Some(10)), st("project a", Some(10)), st("where a > 1", Some(4))];
        let expected = [st("T", Some(10)), st("where a > 1", Some(4)), st("project a", Some(4))];
        assert!(parting_note(&yours, &expected).unwrap().starts_with("From your 2nd stage (`project a`) on, your pipeline is built differently"));
        // Same counts all the way: nothing to add (the verdict explains the values).
        assert_eq!(parting_note(&expected, &expected), None);
        // A fused stage (no count) is stepped over.
        let a = [st("T", Some(10)), st("sort by a", None), st("take 3", Some(3))];
        let b = [st("T", Some(10)), st("sort by a", None), st("take 3", Some(3))];
        assert_eq!(parting_note(&a, &b), None);
        let longer = [st("T", Some(10)), st("where a > 1", Some(4)), st("count", Some(1))];
        assert_eq!(
            parting_note(&longer, &expected[..2]).unwrap(),
            "Your first 2 stages match the expected pipeline's row counts; then yours has 3 stages where the expected one has 2."
        );
    }
}
