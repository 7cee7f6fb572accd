//! Plain-text rendering of diagnostics: a header with line:column, the source line, and a
//! caret line under the span. Used by the CLI, the lesson validator and snapshot tests.

use super::{Diagnostic, LineIndex};

/// Renders one diagnostic against the query text it refers to.
///
/// ```text
/// 1:26: Unknown column 'AcountUpn' [KQL0202]
///   |
/// 1 | UrlClickEvents | project AcountUpn
///   |                          ^^^^^^^^^
///   = help: Did you mean 'AccountUpn'?
/// ```
pub fn render_text(source: &str, d: &Diagnostic) -> String {
    let li = LineIndex::new(source);
    let (line, col) = li.line_col(d.span.start as usize);
    let mut out = format!("{line}:{col}: {} [{}]\n", d.message, d.code);
    underline(&li, source, d.span.start as usize, d.span.end as usize, None, &mut out);
    for (span, note) in &d.labels {
        underline(&li, source, span.start as usize, span.end as usize, Some(note), &mut out);
    }
    if let Some(help) = &d.help {
        let gutter = li.line_count().to_string().len();
        out.push_str(&format!("{} = help: {}\n", " ".repeat(gutter), help));
    }
    out
}

/// Renders several diagnostics, separated by blank lines.
pub fn render_text_all(source: &str, ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| render_text(source, d)).collect::<Vec<_>>().join("\n")
}

fn underline(li: &LineIndex, source: &str, start: usize, end: usize, note: Option<&str>, out: &mut String) {
    let (line, col) = li.line_col(start);
    let gutter = li.line_count().to_string().len();
    let text = li.line_text(line);
    // Only the first line of a multi-line span is drawn; the carets run to its end.
    let (end_line, end_col) = li.line_col(end.min(source.len()));
    let width = if end_line == line { end_col.saturating_sub(col) } else { text.chars().count() + 1 - col };
    let width = width.max(1);
    let pad = " ".repeat(gutter);
    out.push_str(&format!("{pad} |\n"));
    out.push_str(&format!("{line:>gutter$} | {}\n", text.replace('\t', " ")));
    let mut marks = format!("{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width));
    if let Some(n) = note {
        marks.push(' ');
        marks.push_str(n);
    }
    out.push_str(marks.trim_end());
    out.push('\n');
}
