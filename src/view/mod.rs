//! Presentation logic shared by the web app and tested natively: Markdown for lesson text,
//! SVG charts for `render`, result-grid formatting and virtual scrolling, and the editor's
//! text operations (UTF-8/UTF-16 offsets, indentation, completion, highlighted overlay).
//!
//! Nothing here touches the browser. The Yew components in `web` are thin shells around
//! these functions, so the logic is covered by `cargo test` on the native target.
//!
//! Security invariant: every function that returns HTML or SVG escapes all text that came
//! from data, lessons or the learner. The only markup in the output is markup written here.

pub mod chart;
pub mod editor;
pub mod grid;
pub mod markdown;

/// Escapes text for use in HTML/SVG element content and in double- or single-quoted
/// attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // NUL is not allowed in HTML text; the parser would replace it anyway.
            0 => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape_html(r#"<a href="x" onclick='y'>&</a>"#), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assert_eq!(escape_html("plain ✓ text"), "plain ✓ text");
        assert_eq!(escape_html("a\0b"), "a\u{FFFD}b");
    }
}
