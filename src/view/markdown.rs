//! A small, safe Markdown renderer for lesson text.
//!
//! Lesson files are written by instructors but may come from anywhere (`?lesson=URL`, a file
//! dropped on the page), so they are untrusted. This renderer produces HTML in which every
//! character of the source is escaped; the only tags in the output are the ones written
//! here, and links are kept only when their target is `http:`, `https:` or relative
//! (including `#fragment`). Anything else (`javascript:`, `data:`, `vbscript:`, ...) is shown
//! as plain text.
//!
//! Supported, following CommonMark where it matters for lessons:
//! - paragraphs, ATX headings (`#` .. `######`), thematic breaks (`---`);
//! - `*emphasis*`, `**strong**` (also with `_`; `snake_case` words stay intact), `` `code` ``;
//! - fenced code blocks (```` ``` ```` or `~~~`) with a language class; `kql` blocks can be
//!   highlighted by a caller-supplied highlighter;
//! - bullet (`-`, `*`, `+`) and numbered (`1.`, `1)`) lists, nested by indentation;
//! - block quotes, with GitHub-style callouts: a quote starting with `[!TIP]`, `[!NOTE]`,
//!   `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` gets a class and a title;
//! - links `[text](url "title")` and autolinks `<https://...>`; hard line breaks;
//! - pipe tables (`| a | b |` with a `|---|:--:|` delimiter row).
//!
//! Not supported, on purpose: raw HTML (always escaped), images (rendered as links), HTML
//! entities (`&copy;` shows literally), indented code blocks, setext headings.
//!
//! Every step is linear or close to it in the input size, and nesting is capped, so a
//! hostile file cannot make rendering hang or overflow the stack.

use super::{escape_html, push_escaped};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// A syntax highlighter: token ranges (UTF-8 byte offsets) and their CSS classes.
pub type Highlighter<'a> = &'a dyn Fn(&str) -> Vec<(Range<usize>, &'static str)>;

/// Rendering options.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Added to every heading level (capped at 6), so a lesson's `#` can sit below the
    /// page's own headings.
    pub heading_offset: u8,
    /// Highlights the contents of ```` ```kql ```` (and ```` ```kusto ````) blocks.
    pub highlight_kql: Option<Highlighter<'a>>,
}

/// Renders Markdown to safe HTML with default options.
pub fn to_html(src: &str) -> String {
    to_html_with(src, &Options::default())
}

/// Renders Markdown to safe HTML.
pub fn to_html_with(src: &str, opts: &Options) -> String {
    let lines = preprocess(src);
    let blocks = parse_blocks(&lines, 0);
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    render_blocks(&blocks, opts, false, &mut out);
    out
}

/// Nesting deeper than this (quotes in lists in quotes ...) is rendered as plain paragraphs.
const MAX_DEPTH: usize = 12;

/// Splits into lines, normalises line endings, expands leading tabs and replaces NUL.
fn preprocess(src: &str) -> Vec<String> {
    let src = src.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "\u{FFFD}");
    src.split('\n')
        .map(|line| {
            if !line.starts_with('\t') && !line.starts_with(' ') {
                return line.to_string();
            }
            let mut out = String::with_capacity(line.len() + 8);
            let mut col = 0;
            let mut rest = line;
            while let Some(c) = rest.chars().next() {
                match c {
                    ' ' => {
                        out.push(' ');
                        col += 1;
                    }
                    '\t' => {
                        let n = 4 - col % 4;
                        out.extend(std::iter::repeat_n(' ', n));
                        col += n;
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
            out.push_str(rest);
            out
        })
        .collect()
}

#[derive(Debug)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
    Code { lang: String, text: String },
    Quote { callout: Option<&'static str>, body: Vec<Block> },
    List { ordered: bool, start: u64, tight: bool, items: Vec<Vec<Block>> },
    Rule,
    Table { align: Vec<Align>, head: Vec<String>, rows: Vec<Vec<String>> },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Align {
    None,
    Left,
    Center,
    Right,
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

struct Fence {
    ch: u8,
    len: usize,
    indent: usize,
    info: String,
}

fn fence_open(line: &str) -> Option<Fence> {
    let indent = indent_of(line);
    if indent > 3 {
        return None;
    }
    let t = &line[indent..];
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    let info = t[len..].trim();
    if ch == b'`' && info.contains('`') {
        return None;
    }
    let info = info.split_whitespace().next().unwrap_or("").to_string();
    Some(Fence { ch, len, indent, info })
}

fn fence_closes(line: &str, f: &Fence) -> bool {
    let indent = indent_of(line);
    if indent > 3 {
        return false;
    }
    let t = &line[indent..];
    let n = t.bytes().take_while(|&b| b == f.ch).count();
    n >= f.len && t[n..].trim().is_empty()
}

fn heading(t: &str) -> Option<(u8, String)> {
    let n = t.bytes().take_while(|&b| b == b'#').count();
    if n == 0 || n > 6 {
        return None;
    }
    let rest = &t[n..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let mut text = rest.trim();
    let without_closing = text.trim_end_matches('#');
    if without_closing.is_empty() {
        text = "";
    } else if without_closing.ends_with(' ') {
        text = without_closing.trim_end();
    }
    Some((n as u8, text.to_string()))
}

fn is_rule(t: &str) -> bool {
    let mut chars = t.chars().filter(|c| !c.is_whitespace());
    let Some(first) = chars.next() else { return false };
    if !matches!(first, '-' | '*' | '_') {
        return false;
    }
    let mut count = 1;
    for c in chars {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

fn quote_content(line: &str) -> Option<&str> {
    let indent = indent_of(line);
    if indent > 3 {
        return None;
    }
    let rest = line[indent..].strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

struct Marker<'a> {
    ordered: bool,
    /// The bullet character, or the delimiter (`.` or `)`) of a numbered item.
    sign: u8,
    start: u64,
    content_indent: usize,
    rest: &'a str,
}

fn list_marker(line: &str) -> Option<Marker<'_>> {
    let indent = indent_of(line);
    if indent > 3 {
        return None;
    }
    let t = &line[indent..];
    let b = t.as_bytes();
    let (ordered, sign, start, marker_len) = match b.first()? {
        b'-' | b'*' | b'+' => (false, b[0], 0, 1),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 {
                return None;
            }
            let delim = *b.get(digits)?;
            if delim != b'.' && delim != b')' {
                return None;
            }
            (true, delim, t[..digits].parse().ok()?, digits + 1)
        }
        _ => return None,
    };
    let after = &t[marker_len..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let spaces = after.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    let marker_end = indent + marker_len;
    let (content_indent, rest) = if after.trim().is_empty() {
        (marker_end + 1, "")
    } else if spaces > 4 {
        (marker_end + 1, &after[1..])
    } else {
        (marker_end + spaces, &after[spaces..])
    };
    Some(Marker { ordered, sign, start, content_indent, rest })
}

/// Whether a line starts a block that interrupts a paragraph.
fn starts_block(line: &str) -> bool {
    if is_blank(line) {
        return true;
    }
    let indent = indent_of(line);
    if indent > 3 {
        return false;
    }
    let t = &line[indent..];
    fence_open(line).is_some()
        || heading(t).is_some()
        || is_rule(t)
        || quote_content(line).is_some()
        || list_marker(line).is_some_and(|m| (!m.ordered || m.start == 1) && !m.rest.is_empty())
}

fn split_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") { &t[..t.len() - 1] } else { t };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

fn delimiter_row(line: &str) -> Option<Vec<Align>> {
    if !line.contains('-') {
        return None;
    }
    split_row(line)
        .iter()
        .map(|cell| {
            let left = cell.starts_with(':');
            let right = cell.ends_with(':') && cell.len() > 1;
            let inner = cell.trim_start_matches(':').trim_end_matches(':');
            if inner.is_empty() || !inner.bytes().all(|b| b == b'-') {
                return None;
            }
            Some(match (left, right) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::None,
            })
        })
        .collect()
}

fn parse_blocks(lines: &[String], depth: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].as_str();
        if is_blank(line) {
            i += 1;
            continue;
        }
        let indent = indent_of(line);
        let t = &line[indent..];
        if indent <= 3 {
            if let Some(f) = fence_open(line) {
                let mut text = String::new();
                i += 1;
                while i < lines.len() && !fence_closes(&lines[i], &f) {
                    let l = &lines[i];
                    let strip = indent_of(l).min(f.indent);
                    text.push_str(&l[strip..]);
                    text.push('\n');
                    i += 1;
                }
                i += 1; // the closing fence (or the end of input)
                let lang: String =
                    f.info.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')).collect::<String>().to_ascii_lowercase();
                blocks.push(Block::Code { lang, text });
                continue;
            }
            if let Some((level, text)) = heading(t) {
                blocks.push(Block::Heading(level, text));
                i += 1;
                continue;
            }
            if is_rule(t) {
                blocks.push(Block::Rule);
                i += 1;
                continue;
            }
            if depth < MAX_DEPTH {
                if quote_content(line).is_some() {
                    let mut inner: Vec<String> = Vec::new();
                    while i < lines.len() {
                        let l = lines[i].as_str();
                        if let Some(c) = quote_content(l) {
                            inner.push(c.to_string());
                        } else if !is_blank(l) && !starts_block(l) && inner.last().is_some_and(|p| !is_blank(p)) {
                            // A lazy continuation line of the quoted paragraph.
                            inner.push(l.trim_start().to_string());
                        } else {
                            break;
                        }
                        i += 1;
                    }
                    let callout = take_callout(&mut inner);
                    blocks.push(Block::Quote { callout, body: parse_blocks(&inner, depth + 1) });
                    continue;
                }
                if let Some(first) = list_marker(line) {
                    let (block, next) = parse_list(lines, i, first, depth);
                    blocks.push(block);
                    i = next;
                    continue;
                }
            }
            if t.contains('|') && i + 1 < lines.len() {
                let head = split_row(t);
                if let Some(align) = delimiter_row(&lines[i + 1]).filter(|a| a.len() == head.len()) {
                    i += 2;
                    let mut rows = Vec::new();
                    while i < lines.len() && !starts_block(&lines[i]) {
                        let mut row = split_row(&lines[i]);
                        row.resize(head.len(), String::new());
                        rows.push(row);
                        i += 1;
                    }
                    blocks.push(Block::Table { align, head, rows });
                    continue;
                }
            }
        }
        let mut para = vec![line.trim_start()];
        i += 1;
        while i < lines.len() && !starts_block(&lines[i]) {
            para.push(lines[i].trim_start());
            i += 1;
        }
        let text = para.join("\n");
        blocks.push(Block::Paragraph(text.trim_end().to_string()));
    }
    blocks
}

/// Removes a leading `[!KIND]` line from a quote and returns the callout kind.
fn take_callout(inner: &mut Vec<String>) -> Option<&'static str> {
    let first = inner.first()?.trim();
    let rest = first.strip_prefix("[!")?;
    let end = rest.find(']')?;
    let kind = match rest[..end].to_ascii_lowercase().as_str() {
        "note" => "note",
        "tip" => "tip",
        "important" => "important",
        "warning" => "warning",
        "caution" => "caution",
        _ => return None,
    };
    let after = rest[end + 1..].trim().to_string();
    if after.is_empty() {
        inner.remove(0);
    } else {
        inner[0] = after;
    }
    Some(kind)
}

fn parse_list(lines: &[String], mut i: usize, first: Marker, depth: usize) -> (Block, usize) {
    let ordered = first.ordered;
    let sign = first.sign;
    let start = first.start;
    let mut tight = true;
    let mut items = Vec::new();
    let mut content_indent = first.content_indent;
    let mut item_lines: Vec<String> = vec![first.rest.to_string()];
    i += 1;
    loop {
        let mut pending_blanks = 0;
        let mut blank_inside = false;
        while i < lines.len() {
            let l = lines[i].as_str();
            if is_blank(l) {
                pending_blanks += 1;
                i += 1;
                continue;
            }
            if indent_of(l) >= content_indent {
                if pending_blanks > 0 {
                    blank_inside = true;
                    item_lines.extend(std::iter::repeat_n(String::new(), pending_blanks));
                    pending_blanks = 0;
                }
                item_lines.push(l[content_indent..].to_string());
                i += 1;
                continue;
            }
            if pending_blanks == 0 && list_marker(l).is_none() && !starts_block(l) {
                item_lines.push(l.trim_start().to_string());
                i += 1;
                continue;
            }
            break;
        }
        let body = parse_blocks(&item_lines, depth + 1);
        if blank_inside && body.len() > 1 {
            tight = false;
        }
        items.push(body);
        match lines.get(i).and_then(|l| list_marker(l)) {
            Some(m) if m.ordered == ordered && m.sign == sign => {
                if pending_blanks > 0 {
                    tight = false;
                }
                content_indent = m.content_indent;
                item_lines = vec![m.rest.to_string()];
                i += 1;
            }
            _ => break,
        }
    }
    (Block::List { ordered, start, tight, items }, i)
}

fn render_blocks(blocks: &[Block], opts: &Options, tight: bool, out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let level = (*level + opts.heading_offset).min(6);
                out.push_str(&format!("<h{level}>"));
                out.push_str(&render_inline(text, true));
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::Paragraph(text) => {
                if tight {
                    out.push_str(&render_inline(text, true));
                    out.push('\n');
                } else {
                    out.push_str("<p>");
                    out.push_str(&render_inline(text, true));
                    out.push_str("</p>\n");
                }
            }
            Block::Code { lang, text } => {
                out.push_str("<pre class=\"code\"><code");
                if !lang.is_empty() {
                    out.push_str(" class=\"language-");
                    push_escaped(out, lang);
                    out.push('"');
                }
                out.push('>');
                match opts.highlight_kql {
                    Some(h) if lang == "kql" || lang == "kusto" => out.push_str(&super::editor::highlight_html(text, &h(text), &[], None)),
                    _ => push_escaped(out, text),
                }
                out.push_str("</code></pre>\n");
            }
            Block::Quote { callout, body } => {
                match callout {
                    Some(kind) => {
                        let title = match *kind {
                            "note" => "Note",
                            "tip" => "Tip",
                            "important" => "Important",
                            "warning" => "Warning",
                            _ => "Caution",
                        };
                        out.push_str(&format!("<blockquote class=\"callout callout-{kind}\"><p class=\"callout-title\">{title}</p>\n"));
                    }
                    None => out.push_str("<blockquote>\n"),
                }
                render_blocks(body, opts, false, out);
                out.push_str("</blockquote>\n");
            }
            Block::List { ordered, start, tight, items } => {
                if *ordered {
                    if *start == 1 {
                        out.push_str("<ol>\n");
                    } else {
                        out.push_str(&format!("<ol start=\"{start}\">\n"));
                    }
                } else {
                    out.push_str("<ul>\n");
                }
                for item in items {
                    out.push_str("<li>");
                    render_blocks(item, opts, *tight, out);
                    if out.ends_with('\n') {
                        out.pop();
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Rule => out.push_str("<hr>\n"),
            Block::Table { align, head, rows } => {
                let cell = |out: &mut String, tag: &str, a: Align, text: &str| {
                    let class = match a {
                        Align::None => "",
                        Align::Left => " class=\"align-left\"",
                        Align::Center => " class=\"align-center\"",
                        Align::Right => " class=\"align-right\"",
                    };
                    out.push_str(&format!("<{tag}{class}>"));
                    out.push_str(&render_inline(text, true));
                    out.push_str(&format!("</{tag}>"));
                };
                out.push_str("<table>\n<thead>\n<tr>");
                for (h, a) in head.iter().zip(align) {
                    cell(out, "th", *a, h);
                }
                out.push_str("</tr>\n</thead>\n");
                if !rows.is_empty() {
                    out.push_str("<tbody>\n");
                    for row in rows {
                        out.push_str("<tr>");
                        for (c, a) in row.iter().zip(align) {
                            cell(out, "td", *a, c);
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n");
                }
                out.push_str("</table>\n");
            }
        }
    }
}

/// Returns the URL if a link to it is allowed: `http:`/`https:` (any case), or relative
/// (path, `?query`, `#fragment`, `//host`). Leading and trailing spaces are ignored, as
/// browsers do; control characters anywhere reject the URL.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim_matches(|c: char| c == ' ' || c.is_control());
    if url.chars().any(|c| c.is_control()) {
        return None;
    }
    // A character reference before the first '/', '?' or '#' may hide a scheme's colon
    // (`javascript&#58;...`): refused rather than decoded.
    let head = &url[..url.find(['/', '?', '#']).unwrap_or(url.len())];
    if head.contains('&') {
        return None;
    }
    if let Some(p) = url.find([':', '/', '?', '#']) {
        if url[p..].starts_with(':') {
            let scheme = &url[..p];
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return None;
            }
        }
    }
    Some(url.replace(' ', "%20"))
}

fn is_external(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || url.starts_with("//")
}

fn link_html(url: &str, title: Option<&str>, label_html: &str) -> String {
    match safe_url(url) {
        Some(url) => {
            let mut s = String::from("<a href=\"");
            push_escaped(&mut s, &url);
            s.push('"');
            if let Some(t) = title {
                s.push_str(" title=\"");
                push_escaped(&mut s, t);
                s.push('"');
            }
            if is_external(&url) {
                s.push_str(" target=\"_blank\" rel=\"noopener noreferrer\"");
            }
            s.push('>');
            s.push_str(label_html);
            s.push_str("</a>");
            s
        }
        None => format!("<span class=\"link-blocked\" title=\"Link removed: only http(s) and relative links are allowed\">{label_html}</span>"),
    }
}

/// One piece of a paragraph while emphasis is resolved.
enum Node {
    Html(String),
    Delim(Delim),
}

struct Delim {
    ch: u8,
    /// Characters not yet used by a match (they are printed literally).
    count: usize,
    orig: usize,
    can_open: bool,
    can_close: bool,
    open_tags: Vec<&'static str>,
    close_tags: Vec<&'static str>,
}

fn is_md_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_control() && c as u32 > 127)
}

/// Finds code spans: start of the opening run → (content start, content end, end of span).
fn code_spans(b: &[u8]) -> HashMap<usize, (usize, usize, usize)> {
    let mut spans = HashMap::new();
    let mut failed: HashSet<usize> = HashSet::new();
    let run_at = |i: usize| b[i..].iter().take_while(|&&c| c == b'`').count();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = run_at(i);
                if !failed.contains(&run) {
                    let mut j = i + run;
                    let mut found = None;
                    while j < b.len() {
                        if b[j] == b'`' {
                            let r = run_at(j);
                            if r == run {
                                found = Some(j);
                                break;
                            }
                            j += r;
                        } else {
                            j += 1;
                        }
                    }
                    match found {
                        Some(j) => {
                            spans.insert(i, (i + run, j, j + run));
                            i = j + run;
                            continue;
                        }
                        None => {
                            failed.insert(run);
                        }
                    }
                }
                i += run;
            }
            _ => i += 1,
        }
    }
    spans
}

/// Pairs `[` with its `]`, skipping escapes and code spans.
fn bracket_pairs(b: &[u8], code: &HashMap<usize, (usize, usize, usize)>) -> HashMap<usize, usize> {
    let mut pairs = HashMap::new();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if let Some(&(_, _, end)) = code.get(&i) {
            i = end;
            continue;
        }
        match b[i] {
            b'[' => stack.push(i),
            b']' => {
                if let Some(open) = stack.pop() {
                    pairs.insert(open, i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    pairs
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Longest link destination or title read, in bytes, and deepest nesting of parentheses in a
/// destination; both keep a paragraph full of unfinished links from taking quadratic time.
const MAX_LINK_PART: usize = 2048;
const MAX_LINK_PARENS: usize = 32;

/// Parses `(dest "title")` starting just after the `(`; returns the destination, the title
/// and the offset after the `)`.
fn parse_destination(text: &str, start: usize) -> Option<(String, Option<String>, usize)> {
    let b = &text.as_bytes()[..text.len().min(start + 2 * MAX_LINK_PART + 16)];
    let skip_ws = |mut j: usize| {
        while j < b.len() && matches!(b[j], b' ' | b'\n' | b'\t') {
            j += 1;
        }
        j
    };
    let mut j = skip_ws(start);
    let dest;
    if b.get(j) == Some(&b'<') {
        let close = b[j + 1..].iter().position(|c| matches!(c, b'>' | b'\n' | b'<'))? + j + 1;
        if b[close] != b'>' {
            return None;
        }
        dest = unescape(&text[j + 1..close]);
        j = close + 1;
    } else {
        let s = j;
        let mut depth = 0usize;
        while j < b.len() && j - s <= MAX_LINK_PART {
            match b[j] {
                b'\\' if j + 1 < b.len() => j += 2,
                b' ' | b'\n' | b'\t' => break,
                c if c < 0x20 => return None,
                b'(' => {
                    depth += 1;
                    if depth > MAX_LINK_PARENS {
                        return None;
                    }
                    j += 1;
                }
                b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    j += 1;
                }
                _ => j += 1,
            }
        }
        if depth != 0 {
            return None;
        }
        dest = unescape(&text[s..j]);
    }
    let before_title = j;
    j = skip_ws(j);
    let mut title = None;
    if j > before_title || b.get(j) == Some(&b')') {
        if let Some(&q) = b.get(j) {
            let close_q = match q {
                b'"' => Some(b'"'),
                b'\'' => Some(b'\''),
                b'(' => Some(b')'),
                _ => None,
            };
            if let Some(cq) = close_q {
                let s = j + 1;
                let mut k = s;
                while k < b.len() && b[k] != cq && k - s <= MAX_LINK_PART {
                    if b[k] == b'\\' {
                        k += 1;
                    }
                    k += 1;
                }
                if k >= b.len() || b[k] != cq {
                    return None;
                }
                title = Some(unescape(&text[s..k]));
                j = skip_ws(k + 1);
            }
        }
    }
    if b.get(j) != Some(&b')') {
        return None;
    }
    Some((dest, title, j + 1))
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Renders inline Markdown (one paragraph, heading or table cell) to safe HTML.
fn render_inline(text: &str, allow_links: bool) -> String {
    let b = text.as_bytes();
    let code = code_spans(b);
    let brackets = if allow_links { bracket_pairs(b, &code) } else { HashMap::new() };
    let mut nodes: Vec<Node> = Vec::new();
    let mut buf = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => match b.get(i + 1) {
                Some(b'\n') => {
                    buf.push_str("<br>\n");
                    i += 2;
                }
                Some(&c) if c.is_ascii_punctuation() => {
                    push_escaped(&mut buf, &text[i + 1..i + 2]);
                    i += 2;
                }
                _ => {
                    buf.push('\\');
                    i += 1;
                }
            },
            b'`' => {
                if let Some(&(cs, ce, end)) = code.get(&i) {
                    let mut content = text[cs..ce].replace('\n', " ");
                    if content.len() >= 2 && content.starts_with(' ') && content.ends_with(' ') && content.trim() != "" {
                        content = content[1..content.len() - 1].to_string();
                    }
                    buf.push_str("<code>");
                    push_escaped(&mut buf, &content);
                    buf.push_str("</code>");
                    i = end;
                } else {
                    let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                    buf.push_str(&text[i..i + run]);
                    i += run;
                }
            }
            b'[' if allow_links => {
                let link = brackets
                    .get(&i)
                    .filter(|&&close| b.get(close + 1) == Some(&b'('))
                    .and_then(|&close| parse_destination(text, close + 2).map(|d| (close, d)));
                match link {
                    Some((close, (dest, title, end))) => {
                        let label = render_inline(&text[i + 1..close], false);
                        buf.push_str(&link_html(&dest, title.as_deref(), &label));
                        i = end;
                    }
                    None => {
                        buf.push('[');
                        i += 1;
                    }
                }
            }
            b'<' => {
                let auto = text[i + 1..]
                    .find(|c: char| c == '>' || c == '<' || c.is_whitespace() || c.is_control())
                    .map(|e| i + 1 + e)
                    .filter(|&e| b[e] == b'>')
                    .map(|e| (&text[i + 1..e], e))
                    .filter(|(u, _)| {
                        let l = u.to_ascii_lowercase();
                        allow_links && (l.starts_with("http://") || l.starts_with("https://"))
                    });
                match auto {
                    Some((url, e)) => {
                        buf.push_str(&link_html(url, None, &escape_html(url)));
                        i = e + 1;
                    }
                    None => {
                        buf.push_str("&lt;");
                        i += 1;
                    }
                }
            }
            c @ (b'*' | b'_') => {
                let run = b[i..].iter().take_while(|&&x| x == c).count();
                let prev = char_before(text, i);
                let next = text[i + run..].chars().next();
                let prev_ws = prev.is_none_or(char::is_whitespace);
                let next_ws = next.is_none_or(char::is_whitespace);
                let prev_p = prev.is_some_and(is_md_punct);
                let next_p = next.is_some_and(is_md_punct);
                let left = !next_ws && (!next_p || prev_ws || prev_p);
                let right = !prev_ws && (!prev_p || next_ws || next_p);
                let (can_open, can_close) = if c == b'*' { (left, right) } else { (left && (!right || prev_p), right && (!left || next_p)) };
                if !buf.is_empty() {
                    nodes.push(Node::Html(std::mem::take(&mut buf)));
                }
                nodes.push(Node::Delim(Delim { ch: c, count: run, orig: run, can_open, can_close, open_tags: Vec::new(), close_tags: Vec::new() }));
                i += run;
            }
            b' ' => {
                let spaces = b[i..].iter().take_while(|&&x| x == b' ').count();
                if spaces >= 2 && b.get(i + spaces) == Some(&b'\n') {
                    buf.push_str("<br>\n");
                    i += spaces + 1;
                } else {
                    buf.push_str(&text[i..i + spaces]);
                    i += spaces;
                }
            }
            _ => {
                let end = b[i + 1..].iter().position(|x| matches!(x, b'\\' | b'`' | b'[' | b'<' | b'*' | b'_' | b' ')).map_or(b.len(), |p| i + 1 + p);
                push_escaped(&mut buf, &text[i..end]);
                i = end;
            }
        }
    }
    if !buf.is_empty() {
        nodes.push(Node::Html(buf));
    }
    resolve_emphasis(&mut nodes);
    let mut out = String::with_capacity(text.len() + 16);
    for node in nodes {
        match node {
            Node::Html(h) => out.push_str(&h),
            Node::Delim(d) => {
                for t in &d.close_tags {
                    out.push_str("</");
                    out.push_str(t);
                    out.push('>');
                }
                out.extend(std::iter::repeat_n(d.ch as char, d.count));
                for t in d.open_tags.iter().rev() {
                    out.push('<');
                    out.push_str(t);
                    out.push('>');
                }
            }
        }
    }
    out
}

/// Matches emphasis delimiters (CommonMark's "process emphasis", with the rule of three and
/// per-kind lower bounds so the search stays linear).
fn resolve_emphasis(nodes: &mut [Node]) {
    let mut stack: Vec<usize> = Vec::new();
    // Lowest stack index worth searching, per (char, closer can open, closer length % 3).
    let mut bottom = [0usize; 12];
    let key = |ch: u8, can_open: bool, orig: usize| (usize::from(ch == b'_') * 6) + (usize::from(can_open) * 3) + orig % 3;
    for idx in 0..nodes.len() {
        let Node::Delim(d) = &nodes[idx] else { continue };
        let (ch, orig, closer_open, can_close) = (d.ch, d.orig, d.can_open, d.can_close);
        if can_close {
            let k = key(ch, closer_open, orig);
            loop {
                let Node::Delim(closer) = &nodes[idx] else { unreachable!() };
                if closer.count == 0 {
                    break;
                }
                let closer_count = closer.count;
                let floor = bottom[k].min(stack.len());
                let found = (floor..stack.len()).rev().find(|&s| {
                    let Node::Delim(o) = &nodes[stack[s]] else { return false };
                    if o.ch != ch || o.count == 0 {
                        return false;
                    }
                    let odd = (o.can_close || closer_open) && (o.orig + orig) % 3 == 0 && !(o.orig % 3 == 0 && orig % 3 == 0);
                    !odd
                });
                let Some(s) = found else {
                    bottom[k] = stack.len();
                    break;
                };
                let oi = stack[s];
                let Node::Delim(opener) = &mut nodes[oi] else { unreachable!() };
                let used = if opener.count >= 2 && closer_count >= 2 { 2 } else { 1 };
                let tag = if used == 2 { "strong" } else { "em" };
                opener.count -= used;
                opener.open_tags.push(tag);
                let opener_done = opener.count == 0;
                let Node::Delim(closer) = &mut nodes[idx] else { unreachable!() };
                closer.count -= used;
                closer.close_tags.push(tag);
                // Delimiters between the pair can no longer match anything.
                let keep = if opener_done { s } else { s + 1 };
                stack.truncate(keep);
                for b in bottom.iter_mut() {
                    *b = (*b).min(keep);
                }
            }
        }
        let Node::Delim(d) = &nodes[idx] else { unreachable!() };
        if d.count > 0 && d.can_open {
            stack.push(idx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        to_html(s)
    }

    #[test]
    fn paragraphs_and_headings() {
        assert_eq!(md("# Title\n\nSome text\nmore text.\n\nNext"), "<h1>Title</h1>\n<p>Some text\nmore text.</p>\n<p>Next</p>\n");
        assert_eq!(md("## Closed ##"), "<h2>Closed</h2>\n");
        assert_eq!(md("#NoSpace"), "<p>#NoSpace</p>\n");
        let opts = Options { heading_offset: 2, ..Options::default() };
        assert_eq!(to_html_with("# A\n###### B", &opts), "<h3>A</h3>\n<h6>B</h6>\n");
    }

    #[test]
    fn emphasis_strong_and_code() {
        assert_eq!(md("*a* **b** _c_ __d__"), "<p><em>a</em> <strong>b</strong> <em>c</em> <strong>d</strong></p>\n");
        assert_eq!(md("***both***"), "<p><em><strong>both</strong></em></p>\n");
        assert_eq!(md("**a *b* c**"), "<p><strong>a <em>b</em> c</strong></p>\n");
        assert_eq!(md("*a **b** c*"), "<p><em>a <strong>b</strong> c</em></p>\n");
        // Intraword underscores (column names) are not emphasis.
        assert_eq!(md("count_ and Url_Click_Events"), "<p>count_ and Url_Click_Events</p>\n");
        assert_eq!(md("2 * 3 * 4"), "<p>2 * 3 * 4</p>\n");
        assert_eq!(md("use `where x == \"a\"` here"), "<p>use <code>where x == &quot;a&quot;</code> here</p>\n");
        assert_eq!(md("`` a ` b ``"), "<p><code>a ` b</code></p>\n");
        assert_eq!(md("`*not em*`"), "<p><code>*not em*</code></p>\n");
        assert_eq!(md("\\*literal\\*"), "<p>*literal*</p>\n");
        assert_eq!(md("unclosed `tick and *star"), "<p>unclosed `tick and *star</p>\n");
    }

    #[test]
    fn hard_breaks() {
        assert_eq!(md("a  \nb\\\nc"), "<p>a<br>\nb<br>\nc</p>\n");
    }

    #[test]
    fn fenced_code_blocks() {
        let html = md("```kql\nT | where x < 5\n```\n\n~~~\n<b>\n~~~");
        assert_eq!(
            html,
            "<pre class=\"code\"><code class=\"language-kql\">T | where x &lt; 5\n</code></pre>\n<pre class=\"code\"><code>&lt;b&gt;\n</code></pre>\n"
        );
        // An unclosed fence runs to the end; a hostile info string is reduced to safe characters.
        assert_eq!(md("```\"><script>\nx"), "<pre class=\"code\"><code class=\"language-script\">x\n</code></pre>\n");
    }

    #[test]
    fn kql_blocks_use_the_highlighter() {
        let h = |s: &str| vec![(0..s.find(' ').unwrap_or(s.len()), "tok-ident")];
        let opts = Options { highlight_kql: Some(&h), ..Options::default() };
        assert_eq!(
            to_html_with("```kql\nUrlClickEvents | take 1\n```", &opts),
            "<pre class=\"code\"><code class=\"language-kql\"><span class=\"tok-ident\">UrlClickEvents</span> | take 1\n</code></pre>\n"
        );
        // Other languages are not highlighted.
        assert!(to_html_with("```sql\nselect 1\n```", &opts).contains("<code class=\"language-sql\">select 1\n"));
    }

    #[test]
    fn lists() {
        assert_eq!(md("- a\n- b\n  continued\n- c"), "<ul>\n<li>a</li>\n<li>b\ncontinued</li>\n<li>c</li>\n</ul>\n");
        assert_eq!(md("3. three\n4. four"), "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
        assert_eq!(md("1) one"), "<ol>\n<li>one</li>\n</ol>\n");
        assert_eq!(md("- a\n\n- b"), "<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>\n");
        assert_eq!(md("- outer\n  - inner\n- next"), "<ul>\n<li>outer\n<ul>\n<li>inner</li>\n</ul></li>\n<li>next</li>\n</ul>\n");
        // A different bullet starts a new list; `-x` is not an item.
        assert_eq!(md("- a\n* b"), "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n");
        assert_eq!(md("-x"), "<p>-x</p>\n");
        // A number in the middle of a sentence does not start a list.
        assert_eq!(md("It took\n2. tries"), "<p>It took\n2. tries</p>\n");
    }

    #[test]
    fn quotes_and_callouts() {
        assert_eq!(md("> quoted\nlazy"), "<blockquote>\n<p>quoted\nlazy</p>\n</blockquote>\n");
        assert_eq!(
            md("> [!TIP]\n> Use `has` for whole terms."),
            "<blockquote class=\"callout callout-tip\"><p class=\"callout-title\">Tip</p>\n<p>Use <code>has</code> for whole terms.</p>\n</blockquote>\n"
        );
        assert_eq!(md("> [!bogus]\n> x"), "<blockquote>\n<p>[!bogus]\nx</p>\n</blockquote>\n");
    }

    #[test]
    fn rules_and_tables() {
        assert_eq!(md("a\n\n---\n\nb"), "<p>a</p>\n<hr>\n<p>b</p>\n");
        assert_eq!(
            md("| Column | Type |\n|:--|--:|\n| `Url` | string |\n| a \\| b |"),
            "<table>\n<thead>\n<tr><th class=\"align-left\">Column</th><th class=\"align-right\">Type</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"align-left\"><code>Url</code></td><td class=\"align-right\">string</td></tr>\n<tr><td class=\"align-left\">a | b</td><td class=\"align-right\"></td></tr>\n</tbody>\n</table>\n"
        );
    }

    #[test]
    fn links() {
        assert_eq!(
            md("[docs](https://learn.microsoft.com/kusto \"Kusto\")"),
            "<p><a href=\"https://learn.microsoft.com/kusto\" title=\"Kusto\" target=\"_blank\" rel=\"noopener noreferrer\">docs</a></p>\n"
        );
        assert_eq!(md("[next](#step-2) [rel](lessons/a.toml)"), "<p><a href=\"#step-2\">next</a> <a href=\"lessons/a.toml\">rel</a></p>\n");
        assert_eq!(md("[a (b)](x_(y))"), "<p><a href=\"x_(y)\">a (b)</a></p>\n");
        assert_eq!(
            md("<https://example.com/a?b=1&c=2>"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" target=\"_blank\" rel=\"noopener noreferrer\">https://example.com/a?b=1&amp;c=2</a></p>\n"
        );
        assert_eq!(md("[*em* label](/x)"), "<p><a href=\"/x\"><em>em</em> label</a></p>\n");
        assert_eq!(md("[not a link] (x)"), "<p>[not a link] (x)</p>\n");
        // Images are shown as links to the image, never loaded.
        assert_eq!(md("![alt](pic.png)"), "<p>!<a href=\"pic.png\">alt</a></p>\n");
    }

    #[test]
    fn safe_url_rules() {
        for ok in ["https://a.b/c", "HTTP://x", "/abs", "rel/path", "#frag", "?q=1", "//host/x", "a/b:c"] {
            assert!(safe_url(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "mailto:a@b",
        ] {
            assert!(safe_url(bad).is_none(), "{bad:?}");
        }
        assert_eq!(safe_url("a b").as_deref(), Some("a%20b"));
    }

    /// Attribute names of a tag's text (`a href="x" title="y"`), honouring quoted values.
    fn attr_names(tag: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut rest = tag.trim_start_matches(|c: char| c != ' ');
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                return names;
            }
            let end = rest.find(['=', ' ']).unwrap_or(rest.len());
            names.push(rest[..end].to_string());
            rest = &rest[end..];
            if let Some(v) = rest.strip_prefix("=\"") {
                rest = &v[v.find('"').expect("closed attribute") + 1..];
            }
        }
    }

    #[test]
    fn hostile_payloads_are_inert() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JAVASCRIPT:alert(1) \"t\")",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](https://ok.example/\"onmouseover=\"alert(1))",
            "[x](<javascript:alert(1)>)",
            "<javascript:alert(1)>",
            "[a](https://x \"\\\" onmouseover=alert(1) x=\\\"\")",
            "```\"><img src=x onerror=alert(1)>\n```",
            "> <svg onload=alert(1)>",
            "- <iframe src=javascript:alert(1)>",
            "| <b onclick=x> |\n|---|\n| '\"> |",
            "# <h1 onclick=alert(1)>",
            "`<script>`",
            "&lt;script&gt; &#x3C;script&#x3E;",
        ];
        for case in cases {
            let html = md(case);
            // Text never contains a raw `<`, so every `<` starts a tag this module wrote.
            for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_ascii_lowercase()) {
                let name = tag.split([' ', '/']).find(|s| !s.is_empty()).unwrap_or("");
                assert!(!["script", "img", "svg", "iframe", "b", "div", "h1 onclick"].contains(&name), "{case} -> {html}");
                assert!(attr_names(&tag).iter().all(|a| !a.starts_with("on")), "event attribute in <{tag}> from {case}");
                assert!(!tag.contains("href=\"javascript") && !tag.contains("href=\"data"), "{case} -> {html}");
                assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
            }
            // Entities in the source are shown literally, never decoded into markup.
            if case.starts_with("&lt;") {
                assert_eq!(html, "<p>&amp;lt;script&amp;gt; &amp;#x3C;script&amp;#x3E;</p>\n");
            }
        }
        assert_eq!(
            md("[click](javascript:alert(1))"),
            "<p><span class=\"link-blocked\" title=\"Link removed: only http(s) and relative links are allowed\">click</span></p>\n"
        );
        assert_eq!(
            md("[x](https://ok.example/\"onmouseover=\"alert(1))"),
            "<p><a href=\"https://ok.example/&quot;onmouseover=&quot;alert(1)\" target=\"_blank\" rel=\"noopener noreferrer\">x</a></p>\n"
        );
    }

    #[test]
    fn only_known_tags_appear() {
        // Whatever the input, every tag in the output is one this module writes.
        let allowed = [
            "p",
            "/p",
            "h1",
            "/h1",
            "h2",
            "/h2",
            "em",
            "/em",
            "strong",
            "/strong",
            "code",
            "/code",
            "pre",
            "/pre",
            "ul",
            "/ul",
            "ol",
            "/ol",
            "li",
            "/li",
            "blockquote",
            "/blockquote",
            "a",
            "/a",
            "span",
            "/span",
            "br",
            "hr",
            "table",
            "/table",
            "thead",
            "/thead",
            "tbody",
            "/tbody",
            "tr",
            "/tr",
            "th",
            "/th",
            "td",
            "/td",
        ];
        let input = "# h\n<div>x</div>\n- <a href=x>y</a>\n> <p onclick=1>\n\n**<b>**\n\n| <td> |\n|--|\n";
        let html = md(input);
        for part in html.split('<').skip(1) {
            let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
            assert!(allowed.contains(&name.as_str()), "unexpected tag {name} in {html}");
        }
    }

    #[test]
    fn pathological_inputs_finish_quickly() {
        let big = 20_000;
        let cases = [
            "*a ".repeat(big),
            "_a ".repeat(big),
            "[".repeat(big),
            "[a](".repeat(big),
            "`".repeat(big),
            (1..400).map(|n| "`".repeat(n) + " ").collect::<String>(),
            ">".repeat(big),
            "- ".repeat(big),
            (0..500).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>(),
            "**_".repeat(big),
        ];
        for c in &cases {
            let start = std::time::Instant::now();
            let html = md(c);
            assert!(!html.is_empty());
            assert!(start.elapsed().as_secs_f64() < 2.0, "slow on input starting {:?}", &c[..20]);
        }
    }

    #[test]
    fn odd_line_endings_and_tabs() {
        assert_eq!(md("a\r\nb\rc"), "<p>a\nb\nc</p>\n");
        assert_eq!(md("-\tx"), "<ul>\n<li>x</li>\n</ul>\n");
        assert_eq!(md(""), "");
        assert_eq!(md("\n\n  \n"), "");
    }
}
