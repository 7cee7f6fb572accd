//! The query editor's text logic: offsets, indentation, completion and the highlighted overlay.
//!
//! The editor is a `<textarea>` over a `<pre>` that shows the same text with colours and error
//! underlines. Rust works in UTF-8 byte offsets (spans from the lexer and the binder), while
//! the browser's `selectionStart`/`selectionEnd` count UTF-16 code units; the two conversions
//! below are the only place where the units change. Every other function here takes and
//! returns byte offsets that lie on character boundaries.

use super::push_escaped;
use std::ops::Range;

/// Spaces inserted by Tab, and removed by Shift+Tab.
pub const INDENT: usize = 4;

/// What a completion item names; the UI shows it as an icon/label and a CSS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CompletionKind {
    Table,
    Column,
    Operator,
    Function,
    Keyword,
    Type,
    Value,
    Snippet,
}

impl CompletionKind {
    /// A short word shown next to the item (and read by screen readers).
    pub fn label(self) -> &'static str {
        match self {
            CompletionKind::Table => "table",
            CompletionKind::Column => "column",
            CompletionKind::Operator => "operator",
            CompletionKind::Function => "function",
            CompletionKind::Keyword => "keyword",
            CompletionKind::Type => "type",
            CompletionKind::Value => "value",
            CompletionKind::Snippet => "snippet",
        }
    }

    /// The CSS class of the item (`cmp-table`, `cmp-column`, ...).
    pub fn css_class(self) -> &'static str {
        match self {
            CompletionKind::Table => "cmp-table",
            CompletionKind::Column => "cmp-column",
            CompletionKind::Operator => "cmp-operator",
            CompletionKind::Function => "cmp-function",
            CompletionKind::Keyword => "cmp-keyword",
            CompletionKind::Type => "cmp-type",
            CompletionKind::Value => "cmp-value",
            CompletionKind::Snippet => "cmp-snippet",
        }
    }
}

/// One completion candidate. Accepting it replaces the word before the cursor
/// ([`word_before`]) with `insert`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    /// What the list shows, e.g. `summarize` or `Timestamp`.
    pub label: String,
    pub kind: CompletionKind,
    /// A short description: a column's type, a function's signature.
    pub detail: String,
    /// The text that replaces the word being typed.
    pub insert: String,
}

/// The result of an edit: the new text and the new selection (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub selection: Range<usize>,
}

/// Moves a byte offset down to the nearest character boundary, within the text.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Moves a byte offset up to the nearest character boundary, within the text.
pub fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o += 1;
    }
    o
}

/// Converts a UTF-16 offset (as a textarea reports it) into a UTF-8 byte offset. An offset
/// inside a surrogate pair, or past the end, is moved down to the previous character.
pub fn utf16_to_byte(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
        if units > utf16 {
            return i;
        }
    }
    text.len()
}

/// Converts a UTF-8 byte offset into the UTF-16 offset a textarea expects.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    let b = floor_boundary(text, byte);
    text[..b].chars().map(char::len_utf16).sum()
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |p| p + 1)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier being typed just before `cursor`: letters, digits and `_`, plus a `-`
/// between letters so hyphenated operators (`project-away`, `mv-expand`) count as one word.
pub fn word_before(text: &str, cursor: usize) -> Range<usize> {
    let cursor = floor_boundary(text, cursor);
    let b = text.as_bytes();
    let mut start = cursor;
    while start > 0 {
        let c = b[start - 1];
        let hyphen_in_word = c == b'-' && start >= 2 && b[start - 2].is_ascii_alphabetic() && start < cursor && b[start].is_ascii_alphabetic();
        if !is_word_byte(c) && !hyphen_in_word {
            break;
        }
        start -= 1;
    }
    start..cursor
}

/// The last identifier-like word of `s` (after trailing spaces are removed) and the text before it.
fn last_word(s: &str) -> Option<(&str, &str)> {
    let t = s.trim_end_matches(' ');
    let r = word_before(t, t.len());
    (!r.is_empty()).then(|| (&t[r.clone()], &t[..r.start]))
}

/// Whether typing should open the completion list by itself: while a word is being typed,
/// and after a space where the next word is one of a short list: an operator after `| `, a
/// kind after `kind=`, a chart type after `render `, and an operator on a value after
/// `where Column ` (also `and Column `, `or Column `). Ctrl+Space opens the list anywhere.
pub fn auto_trigger(text: &str, cursor: usize) -> bool {
    let cursor = floor_boundary(text, cursor);
    if !word_before(text, cursor).is_empty() {
        return true;
    }
    let before = &text[line_start(text, cursor)..cursor];
    let trimmed = before.trim_end_matches(' ');
    // `kind=` and `kind = `.
    if let Some(lhs) = trimmed.strip_suffix('=') {
        return last_word(lhs).is_some_and(|(w, _)| w == "kind") && !lhs.ends_with(['=', '!', '<', '>']);
    }
    if !before.ends_with(' ') {
        return false;
    }
    if trimmed.ends_with('|') {
        return true;
    }
    match last_word(trimmed) {
        Some(("render", _)) => true,
        Some((w, rest)) if w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && rest.ends_with(' ') => {
            matches!(last_word(rest), Some(("where" | "and" | "or", _)))
        }
        _ => false,
    }
}

/// Whether an automatically opened list is worth showing: not when every item is just the
/// word already typed.
pub fn worth_showing(typed: &str, items: &[Completion]) -> bool {
    items.iter().any(|c| c.label != typed)
}

/// Whether Enter accepts the selected completion; otherwise Enter inserts a newline, as in a
/// plain text box. Tab always accepts. Enter accepts only when the learner deliberately chose
/// an item, by moving through the list with the arrow keys (`navigated`), or by opening it
/// with Ctrl+Space (`explicit`) where the selected item starts with the typed word. A typed
/// word that is itself one of the items is complete, and an explicit list does not replace it
/// either.
pub fn enter_accepts(typed: &str, items: &[Completion], selected: usize, navigated: bool, explicit: bool) -> bool {
    let Some(item) = items.get(selected) else { return false };
    if navigated {
        return true;
    }
    explicit && !items.iter().any(|c| c.label == typed) && item.label.to_lowercase().starts_with(&typed.to_lowercase())
}

/// Replaces the word before the cursor with `insert` and puts the cursor after it.
pub fn apply_completion(text: &str, cursor: usize, insert: &str) -> Edit {
    let word = word_before(text, cursor);
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..word.start]);
    out.push_str(insert);
    out.push_str(&text[word.end..]);
    let c = word.start + insert.len();
    Edit { text: out, selection: c..c }
}

/// Replaces the selection with `insert` and puts the cursor after it.
pub fn insert_text(text: &str, selection: Range<usize>, insert: &str) -> Edit {
    let s = floor_boundary(text, selection.start.min(selection.end));
    let e = floor_boundary(text, selection.end.max(selection.start));
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..s]);
    out.push_str(insert);
    out.push_str(&text[e..]);
    let c = s + insert.len();
    Edit { text: out, selection: c..c }
}

/// Tab: with a selection spanning lines, indents every line it touches; otherwise replaces
/// the selection with spaces up to the next indentation stop.
pub fn indent(text: &str, selection: Range<usize>) -> Edit {
    let s = floor_boundary(text, selection.start.min(selection.end));
    let e = floor_boundary(text, selection.end.max(selection.start));
    if !text[s..e].contains('\n') {
        let col = text[line_start(text, s)..s].chars().count();
        let n = INDENT - col % INDENT;
        return insert_text(text, s..e, &" ".repeat(n));
    }
    let pad = " ".repeat(INDENT);
    let first = line_start(text, s);
    // A selection ending at the very start of a line does not touch that line.
    let last_touched = if e > s && text.as_bytes()[e - 1] == b'\n' { e - 1 } else { e };
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..first]);
    let mut added_before_s = 0;
    let mut added_before_e = 0;
    let mut pos = first;
    loop {
        let end = text[pos..].find('\n').map_or(text.len(), |p| pos + p);
        out.push_str(&pad);
        if pos < s || (pos == s && s > first) {
            added_before_s += INDENT;
        }
        if pos < e {
            added_before_e += INDENT;
        }
        out.push_str(&text[pos..end]);
        if end >= last_touched || end == text.len() {
            out.push_str(&text[end..]);
            break;
        }
        out.push('\n');
        pos = end + 1;
    }
    let new_s = if s == first { s } else { s + added_before_s };
    Edit { text: out, selection: new_s..e + added_before_e }
}

/// Shift+Tab: removes up to one indentation step from every line the selection touches (the
/// cursor's line when nothing is selected).
pub fn outdent(text: &str, selection: Range<usize>) -> Edit {
    let s = floor_boundary(text, selection.start.min(selection.end));
    let e = floor_boundary(text, selection.end.max(selection.start));
    let first = line_start(text, s);
    let last_touched = if e > s && text.as_bytes()[e - 1] == b'\n' { e - 1 } else { e };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let (mut new_s, mut new_e) = (s, e);
    let mut pos = first;
    loop {
        let end = text[pos..].find('\n').map_or(text.len(), |p| pos + p);
        let line = &text[pos..end];
        let remove = if line.starts_with('\t') { 1 } else { line.bytes().take(INDENT).take_while(|&b| b == b' ').count() };
        // Offsets inside the removed indentation move to its start.
        let shift = |o: usize| -> usize {
            if o <= pos {
                0
            } else {
                (o - pos).min(remove)
            }
        };
        new_s -= shift(s);
        new_e -= shift(e);
        out.push_str(&line[remove..]);
        if end >= last_touched || end == text.len() {
            out.push_str(&text[end..]);
            break;
        }
        out.push('\n');
        pos = end + 1;
    }
    Edit { text: out, selection: new_s..new_e }
}

/// Number of lines (a trailing newline starts a new, empty line, as in the textarea).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// Clamps ranges to the text and to character boundaries, sorts them and drops empty ones.
fn clean_ranges<T: Clone>(text: &str, items: &[(Range<usize>, T)], keep_empty: bool) -> Vec<(Range<usize>, T)> {
    let mut out: Vec<(Range<usize>, T)> = items
        .iter()
        .map(|(r, t)| {
            let s = floor_boundary(text, r.start.min(r.end));
            let e = ceil_boundary(text, r.end.max(r.start));
            (s..e, t.clone())
        })
        .filter(|(r, _)| keep_empty || !r.is_empty())
        .collect();
    crate::util::sort::sort_by_key(&mut out, |(r, _)| (r.start, r.end));
    out
}

/// Renders text with token classes and error underlines as HTML for the editor overlay (and
/// for highlighted code in lessons).
///
/// `tokens` are `(byte range, css class)` pairs; overlapping tokens keep the first. `errors`
/// are byte ranges; each becomes a `<span class="err" data-err="i">` over the text (an empty
/// range becomes an empty `err err-empty` marker, drawn by CSS). `caret` places an empty
/// `<span class="caret-anchor">` used to position the completion list. All text is escaped;
/// class names are escaped too.
pub fn highlight_html(text: &str, tokens: &[(Range<usize>, &'static str)], errors: &[Range<usize>], caret: Option<usize>) -> String {
    let tokens = {
        let cleaned = clean_ranges(text, tokens, false);
        let mut kept: Vec<(Range<usize>, &str)> = Vec::with_capacity(cleaned.len());
        for (r, c) in cleaned {
            if kept.last().is_none_or(|(last, _)| r.start >= last.end) {
                kept.push((r, c));
            }
        }
        kept
    };
    let indexed: Vec<(Range<usize>, usize)> = errors.iter().cloned().zip(0..).collect();
    let errors = clean_ranges(text, &indexed, true);
    let caret = caret.map(|c| floor_boundary(text, c));

    let mut points: Vec<usize> = vec![0, text.len()];
    for (r, _) in &tokens {
        points.push(r.start);
        points.push(r.end);
    }
    for (r, _) in &errors {
        points.push(r.start);
        points.push(r.end);
    }
    points.extend(caret);
    crate::util::sort::sort(&mut points);
    points.dedup();

    let mut out = String::with_capacity(text.len() * 2);
    let mut tok = 0;
    for w in points.windows(2).map(|w| (w[0], w[1])).chain(std::iter::once((text.len(), text.len()))) {
        let (a, b) = w;
        // Markers that sit exactly at `a`: empty errors, then the caret.
        for (r, i) in errors.iter().filter(|(r, _)| r.is_empty() && r.start == a) {
            debug_assert_eq!(r.start, r.end);
            out.push_str(&format!("<span class=\"err err-empty\" data-err=\"{i}\"></span>"));
        }
        if caret == Some(a) {
            out.push_str("<span class=\"caret-anchor\"></span>");
        }
        if a >= b {
            continue;
        }
        while tok < tokens.len() && tokens[tok].0.end <= a {
            tok += 1;
        }
        let class = tokens.get(tok).filter(|(r, _)| r.start <= a && b <= r.end).map(|(_, c)| *c);
        let err = errors.iter().find(|(r, _)| r.start <= a && b <= r.end && !r.is_empty()).map(|(_, i)| *i);
        let seg = &text[a..b];
        match (class, err) {
            (None, None) => push_escaped(&mut out, seg),
            (class, err) => {
                out.push_str("<span class=\"");
                if let Some(c) = class {
                    push_escaped(&mut out, c);
                }
                if err.is_some() {
                    if class.is_some() {
                        out.push(' ');
                    }
                    out.push_str("err");
                }
                out.push('"');
                if let Some(i) = err {
                    out.push_str(&format!(" data-err=\"{i}\""));
                }
                out.push('>');
                push_escaped(&mut out, seg);
                out.push_str("</span>");
            }
        }
    }
    out
}

/// The editor overlay: [`highlight_html`] plus a trailing space, so that a final empty line
/// (text ending in a newline) has the same height as in the textarea.
pub fn overlay_html(text: &str, tokens: &[(Range<usize>, &'static str)], errors: &[Range<usize>], caret: Option<usize>) -> String {
    let mut html = highlight_html(text, tokens, errors, caret);
    html.push(' ');
    html
}

#[cfg(test)]
// One error range is the common case, not a mistaken `0..n` array.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn utf16_conversions_round_trip() {
        let text = "a€😀b\né";
        // a=1 byte/1 unit, €=3 bytes/1 unit, 😀=4 bytes/2 units, b, \n, é=2 bytes/1 unit.
        let pairs = [(0, 0), (1, 1), (4, 2), (8, 4), (9, 5), (10, 6), (12, 7)];
        for (byte, unit) in pairs {
            assert_eq!(byte_to_utf16(text, byte), unit, "byte {byte}");
            assert_eq!(utf16_to_byte(text, unit), byte, "unit {unit}");
        }
        // Inside the surrogate pair: back to the emoji's start; past the end: the end.
        assert_eq!(utf16_to_byte(text, 3), 4);
        assert_eq!(utf16_to_byte(text, 99), text.len());
        // Inside a multi-byte character: floor.
        assert_eq!(byte_to_utf16(text, 2), 1);
    }

    #[test]
    fn words_and_triggers() {
        let t = "T | project-aw";
        assert_eq!(&t[word_before(t, t.len())], "project-aw");
        let t = "x | where Url_Cl";
        assert_eq!(&t[word_before(t, t.len())], "Url_Cl");
        let t = "x-1";
        assert_eq!(&t[word_before(t, t.len())], "1");
        let t = "where a- ";
        assert!(word_before(t, t.len()).is_empty());
        assert!(auto_trigger("T | ", 4));
        assert!(auto_trigger("T | wh", 6));
        assert!(!auto_trigger("T |", 3));
        assert!(!auto_trigger("T | where x == ", 15));
        // Where the next word comes from a short list, a space opens it.
        for t in ["T | join kind=", "T | join kind = ", "T | join kind= ", "T | render ", "T | where Url ", "T | where A == 1 and Url ", "T\n| where x or y "] {
            assert!(auto_trigger(t, t.len()), "{t:?}");
        }
        for t in
            ["T | where ", "T | where Url  == ", "T | extend kind == ", "T | extend x = ", "T | project Url ", "T | where Url\n", "T | where 1 ", "rendering "]
        {
            assert!(!auto_trigger(t, t.len()), "{t:?}");
        }
        // Multi-byte characters before the cursor are not part of a word.
        assert_eq!(word_before("é", 2), 2..2);
    }

    fn item(label: &str) -> Completion {
        Completion { label: label.into(), kind: CompletionKind::Keyword, detail: String::new(), insert: label.into() }
    }

    #[test]
    fn enter_accepts_only_a_deliberate_choice() {
        let asc = [item("asc"), item("array_sort_asc")];
        let dom = [item("DomainName"), item("SenderFromDomain")];
        // Opened by typing: Enter is a newline, whatever the list holds.
        assert!(!enter_accepts("asc", &asc, 0, false, false));
        assert!(!enter_accepts("Dom", &dom, 0, false, false));
        // After moving with the arrow keys, Enter accepts (even over a complete word).
        assert!(enter_accepts("Dom", &dom, 1, true, false));
        assert!(enter_accepts("asc", &asc, 1, true, false));
        // Opened with Ctrl+Space: Enter accepts a prefix match, not a substring match, and
        // never replaces a complete word.
        assert!(enter_accepts("Dom", &dom, 0, false, true));
        assert!(enter_accepts("dom", &dom, 0, false, true));
        assert!(!enter_accepts("Dom", &dom[1..], 0, false, true));
        assert!(!enter_accepts("asc", &asc, 0, false, true));
        assert!(enter_accepts("", &asc, 0, false, true));
        assert!(!enter_accepts("x", &[], 0, true, true));
        // A list holding only the typed word is not shown by itself.
        assert!(!worth_showing("where", &[item("where")]));
        assert!(worth_showing("asc", &asc));
    }

    #[test]
    fn completion_replaces_the_word() {
        let e = apply_completion("T | summ\n| take 1", 8, "summarize");
        assert_eq!(e.text, "T | summarize\n| take 1");
        assert_eq!(e.selection, 13..13);
        let e = apply_completion("", 0, "UrlClickEvents");
        assert_eq!(e.text, "UrlClickEvents");
        assert_eq!(e.selection, 14..14);
    }

    #[test]
    fn tab_inserts_to_the_next_stop() {
        let e = indent("ab", 2..2);
        assert_eq!(e.text, "ab  ");
        assert_eq!(e.selection, 4..4);
        let e = indent("abcd", 1..3);
        assert_eq!(e.text, "a   d");
        assert_eq!(e.selection, 4..4);
    }

    #[test]
    fn tab_and_shift_tab_on_lines() {
        let t = "a\nb\nc";
        let e = indent(t, 0..3);
        assert_eq!(e.text, "    a\n    b\nc");
        assert_eq!(e.selection, 0..11);
        let e2 = outdent(&e.text, e.selection.clone());
        assert_eq!(e2.text, t);
        assert_eq!(e2.selection, 0..3);
        // Selection from the middle of the first line to the end of the second.
        let e = indent("ab\ncd", 1..5);
        assert_eq!(e.text, "    ab\n    cd");
        assert_eq!(e.selection, 5..13);
        // A selection ending at the start of a line leaves that line alone.
        let e = indent("a\nb\n", 0..2);
        assert_eq!(e.text, "    a\nb\n");
        // Shift+Tab with a cursor only.
        let e = outdent("      x", 7..7);
        assert_eq!(e.text, "  x");
        assert_eq!(e.selection, 3..3);
        let e = outdent("\tx\n  y", 0..6);
        assert_eq!(e.text, "x\ny");
        assert_eq!(e.selection, 0..3);
        // Nothing to remove.
        let e = outdent("x", 1..1);
        assert_eq!(e.text, "x");
        assert_eq!(e.selection, 1..1);
    }

    #[test]
    fn overlay_marks_tokens_errors_and_caret() {
        let text = "T | wherex 1";
        let tokens = [(0..1, "tok-ident"), (2..3, "tok-pipe"), (4..10, "tok-ident"), (11..12, "tok-number")];
        let html = highlight_html(text, &tokens, &[4..10], Some(12));
        assert_eq!(
            html,
            "<span class=\"tok-ident\">T</span> <span class=\"tok-pipe\">|</span> <span class=\"tok-ident err\" data-err=\"0\">wherex</span> <span class=\"tok-number\">1</span><span class=\"caret-anchor\"></span>"
        );
        // An error crossing token boundaries splits into pieces with the same index.
        let html = highlight_html("ab cd", &[(0..2, "k"), (3..5, "k")], &[1..4], None);
        assert_eq!(
            html,
            "<span class=\"k\">a</span><span class=\"k err\" data-err=\"0\">b</span><span class=\"err\" data-err=\"0\"> </span><span class=\"k err\" data-err=\"0\">c</span><span class=\"k\">d</span>"
        );
        // An empty error (e.g. "expected an expression" at the end) is a marker.
        assert_eq!(highlight_html("x |", &[], &[3..3], None), "x |<span class=\"err err-empty\" data-err=\"0\"></span>");
    }

    #[test]
    fn overlay_escapes_and_survives_bad_ranges() {
        let text = "<img src=x onerror=alert(1)> é";
        let tokens = [(0..4, "tok-punct"), (2..6, "tok-overlap"), (29..30, "tok-mid-char"), (50..60, "tok-out")];
        let html = highlight_html(text, &tokens, &[100..200], None);
        assert!(!html.contains("<img"));
        assert!(html.starts_with("<span class=\"tok-punct\">&lt;img</span>"));
        assert!(!html.contains("tok-overlap"));
        // The range inside "é" is widened to the whole character.
        assert!(html.contains("<span class=\"tok-mid-char\">é</span>"));
        // An error past the end becomes an empty marker at the end.
        assert!(html.ends_with("<span class=\"err err-empty\" data-err=\"0\"></span>"));
        assert_eq!(overlay_html("a\n", &[], &[], None), "a\n ");
    }

    #[test]
    fn counts_lines() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb"), 2);
        assert_eq!(line_count("a\n"), 2);
    }
}
