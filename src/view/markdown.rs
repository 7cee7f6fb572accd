//! Safe Markdown for lesson text, parsed by `pulldown-cmark` (CommonMark with GitHub's tables
//! and callouts) and written out as HTML here.
//!
//! Lesson files are written by instructors but may come from anywhere (`?lesson=URL`, a file
//! dropped on the page), so they are untrusted. The parser only reports what it found; the
//! HTML is written by this module, which escapes every piece of source text, so the only tags
//! in the output are the ones named below. Raw HTML in the source (blocks and inline tags) is
//! shown as text. Links are kept only when their target is `http:`, `https:` or relative
//! (including `#fragment`); anything else (`javascript:`, `data:`, `vbscript:`, `mailto:`, ...)
//! becomes plain text with a note. Images are never loaded: they become links to the image.
//!
//! What lessons use: paragraphs, headings (shifted by [`Options::heading_offset`]), emphasis,
//! code spans, fenced code (```` ```kql ```` blocks coloured by a caller-supplied highlighter),
//! lists, block quotes with GitHub callouts (`> [!TIP]` ...), links, hard breaks and pipe
//! tables (alignment as `align-*` classes). Character references (`&copy;`) are decoded into
//! text as CommonMark says, and then escaped like all text.
//!
//! The parser is linear in the input (its authors fuzz it for that), the writer below is one
//! loop over the events with no recursion, and container nesting deeper than [`MAX_DEPTH`]
//! keeps its text but drops the extra tags, so a hostile file can neither hang rendering nor
//! build a DOM thousands of levels deep.

use super::push_escaped;
use pulldown_cmark::{Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
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

/// Lists and quotes nested deeper than this keep their content but lose their tags.
const MAX_DEPTH: usize = 12;

/// The parser's extensions: GitHub pipe tables and `> [!NOTE]` callouts. Nothing else
/// (no strikethrough, footnotes, task lists, math or heading attributes), so every tag the
/// writer can meet is one it knows.
fn parser_options() -> pulldown_cmark::Options {
    pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_GFM
}

/// What an open tag needs when its end event comes.
enum Open {
    /// Close with this text (`</em>`, `</a>`, `</span>` ...).
    Close(&'static str),
    /// A heading: close with `</hN>`.
    Heading(u8),
    /// A list item: drops the item's last newline, then `</li>`.
    Item,
    /// A container past [`MAX_DEPTH`], or a tag with nothing to write: no closing tag.
    Nothing,
}

/// Renders Markdown to safe HTML.
pub fn to_html_with(src: &str, opts: &Options) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    let mut w = Writer { opts, out: &mut out, open: Vec::new(), depth: 0, links: 0, code: None, html: None, reparse: 0, table: None };
    for event in Parser::new_ext(src, parser_options()) {
        w.event(event);
    }
    out
}

/// How many times the lines of a raw HTML block are read again as Markdown, one inside the
/// other (a block in a quote in a block ...); deeper, a block is one paragraph of its text.
const MAX_REPARSE: usize = 4;

/// Puts a backslash before a `<` that opens a line (after its indentation), so the line is
/// read as text: CommonMark starts a raw HTML block only at such a `<`.
fn escape_line_starts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        if body.starts_with('<') {
            out.push_str(&line[..line.len() - body.len()]);
            out.push('\\');
            out.push_str(body);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The state of one rendering: the output, the open tags and what they need.
struct Writer<'o, 'a> {
    opts: &'o Options<'a>,
    out: &'o mut String,
    open: Vec<Open>,
    /// How many lists and quotes are open (their tags are written up to [`MAX_DEPTH`]).
    depth: usize,
    /// How many links (or images shown as links) are open: a link inside one is text.
    links: usize,
    /// A fenced or indented code block being collected: its language and text.
    code: Option<(String, String)>,
    /// A raw HTML block being collected.
    html: Option<String>,
    /// How deep the writer is in re-reading raw HTML blocks (see [`MAX_REPARSE`]).
    reparse: usize,
    /// In a table: the column alignments, and the next cell's column.
    table: Option<(Vec<Alignment>, usize)>,
}

impl Writer<'_, '_> {
    /// Starts a new line before a block that follows text in the same container (a tight
    /// list item's text, then a nested list).
    fn block_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') && !self.out.ends_with("<li>") {
            self.out.push('\n');
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(text);
        } else if let Some(html) = &mut self.html {
            html.push_str(text);
        } else {
            push_escaped(self.out, text);
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.out.push_str("<code>");
                push_escaped(self.out, &t);
                self.out.push_str("</code>");
            }
            // Raw HTML is never markup here: it is shown as the text it is.
            Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            // Not enabled in the parser options; shown as text should that ever change.
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => self.text(&t),
            Event::SoftBreak => self.out.push('\n'),
            Event::HardBreak => self.out.push_str("<br>\n"),
            Event::Rule => {
                self.block_break();
                self.out.push_str("<hr>\n");
            }
            Event::TaskListMarker(done) => self.out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        let open = match tag {
            // The items of a tight list have no paragraph events, so their text has no `<p>`.
            Tag::Paragraph => {
                self.block_break();
                self.out.push_str("<p>");
                Open::Close("</p>\n")
            }
            // A block of raw HTML: its lines are collected and, at its end, read again as
            // Markdown with every line-opening `<` escaped, so they are text (with their
            // Markdown: links, emphasis) as they would be in a paragraph. Past MAX_REPARSE,
            // one paragraph of the text.
            Tag::HtmlBlock => {
                self.html = Some(String::new());
                Open::Nothing
            }
            Tag::Heading { level, .. } => {
                let level = (heading_number(level) + self.opts.heading_offset).min(6);
                self.block_break();
                self.out.push_str(&format!("<h{level}>"));
                Open::Heading(level)
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let word = info.split_whitespace().next().unwrap_or("");
                        word.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')).collect::<String>().to_ascii_lowercase()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.block_break();
                self.code = Some((lang, String::new()));
                Open::Nothing
            }
            Tag::BlockQuote(kind) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    Open::Nothing
                } else {
                    self.block_break();
                    match kind {
                        Some(kind) => {
                            let (class, title) = callout(kind);
                            self.out.push_str(&format!("<blockquote class=\"callout callout-{class}\"><p class=\"callout-title\">{title}</p>\n"));
                        }
                        None => self.out.push_str("<blockquote>\n"),
                    }
                    Open::Close("</blockquote>\n")
                }
            }
            Tag::List(start) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    Open::Nothing
                } else {
                    self.block_break();
                    match start {
                        Some(1) => {
                            self.out.push_str("<ol>\n");
                            Open::Close("</ol>\n")
                        }
                        Some(n) => {
                            self.out.push_str(&format!("<ol start=\"{n}\">\n"));
                            Open::Close("</ol>\n")
                        }
                        None => {
                            self.out.push_str("<ul>\n");
                            Open::Close("</ul>\n")
                        }
                    }
                }
            }
            Tag::Item => {
                if self.depth > MAX_DEPTH {
                    Open::Nothing
                } else {
                    self.out.push_str("<li>");
                    Open::Item
                }
            }
            Tag::Table(align) => {
                self.block_break();
                self.out.push_str("<table>\n");
                self.table = Some((align, 0));
                Open::Close("</tbody>\n</table>\n")
            }
            Tag::TableHead => {
                self.out.push_str("<thead>\n<tr>");
                Open::Close("</tr>\n</thead>\n")
            }
            Tag::TableRow => {
                if self.out.ends_with("</thead>\n") {
                    self.out.push_str("<tbody>\n");
                }
                self.out.push_str("<tr>");
                Open::Close("</tr>\n")
            }
            Tag::TableCell => {
                let head = matches!(self.open.last(), Some(Open::Close("</tr>\n</thead>\n")));
                let (tag, close) = if head { ("th", "</th>") } else { ("td", "</td>") };
                let class = match &mut self.table {
                    Some((align, col)) => {
                        let a = align.get(*col).copied().unwrap_or(Alignment::None);
                        *col += 1;
                        match a {
                            Alignment::None => "",
                            Alignment::Left => " class=\"align-left\"",
                            Alignment::Center => " class=\"align-center\"",
                            Alignment::Right => " class=\"align-right\"",
                        }
                    }
                    None => "",
                };
                self.out.push_str(&format!("<{tag}{class}>"));
                Open::Close(close)
            }
            Tag::Emphasis => {
                self.out.push_str("<em>");
                Open::Close("</em>")
            }
            Tag::Strong => {
                self.out.push_str("<strong>");
                Open::Close("</strong>")
            }
            Tag::Link { dest_url, title, .. } | Tag::Image { dest_url, title, .. } => self.link(&dest_url, &title),
            // Extensions that are not enabled (strikethrough, footnotes, definition lists,
            // metadata ...): their content is written, their tags are not.
            _ => Open::Nothing,
        };
        self.open.push(open);
    }

    /// Opens a link (an image is shown as a link to it): `<a>` when the target is allowed,
    /// else a `<span>` that says the link was removed. A link inside a link is its text.
    fn link(&mut self, url: &str, title: &str) -> Open {
        self.links += 1;
        if self.links > 1 {
            return Open::Close("");
        }
        match safe_url(url) {
            Some(url) => {
                self.out.push_str("<a href=\"");
                push_escaped(self.out, &url);
                self.out.push('"');
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    push_escaped(self.out, title);
                    self.out.push('"');
                }
                if is_external(&url) {
                    self.out.push_str(" target=\"_blank\" rel=\"noopener noreferrer\"");
                }
                self.out.push('>');
                Open::Close("</a>")
            }
            None => {
                self.out.push_str("<span class=\"link-blocked\" title=\"Link removed: only http(s) and relative links are allowed\">");
                Open::Close("</span>")
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let open = self.open.pop().unwrap_or(Open::Nothing);
        match tag {
            TagEnd::CodeBlock => {
                if let Some((lang, mut text)) = self.code.take() {
                    // A fence left open at the end of the text ends its last line too.
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push('\n');
                    }
                    self.out.push_str("<pre class=\"code\"><code");
                    if !lang.is_empty() {
                        self.out.push_str(" class=\"language-");
                        push_escaped(self.out, &lang);
                        self.out.push('"');
                    }
                    self.out.push('>');
                    match self.opts.highlight_kql {
                        Some(h) if lang == "kql" || lang == "kusto" => self.out.push_str(&super::editor::highlight_html(&text, &h(&text), &[], None)),
                        _ => push_escaped(self.out, &text),
                    }
                    self.out.push_str("</code></pre>\n");
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html.take() {
                    if self.reparse < MAX_REPARSE {
                        self.reparse += 1;
                        let text = escape_line_starts(&html);
                        for event in Parser::new_ext(&text, parser_options()) {
                            self.event(event);
                        }
                        self.reparse -= 1;
                    } else {
                        self.block_break();
                        self.out.push_str("<p>");
                        push_escaped(self.out, html.trim_end_matches('\n'));
                        self.out.push_str("</p>\n");
                    }
                }
            }
            TagEnd::BlockQuote(_) => self.depth -= 1,
            TagEnd::List(_) => self.depth -= 1,
            TagEnd::Link | TagEnd::Image => self.links -= 1,
            TagEnd::Table => {
                self.table = None;
                if self.out.ends_with("</thead>\n") {
                    // No body rows: no `<tbody>` to close.
                    self.out.push_str("</table>\n");
                    return;
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some((_, col)) = &mut self.table {
                    *col = 0;
                }
            }
            _ => {}
        }
        match open {
            Open::Close(s) => self.out.push_str(s),
            Open::Heading(level) => self.out.push_str(&format!("</h{level}>\n")),
            Open::Item => {
                if self.out.ends_with('\n') {
                    self.out.pop();
                }
                self.out.push_str("</li>\n");
            }
            Open::Nothing => {}
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A callout's class suffix and title.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
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
        // Images are shown as links to the image, never loaded; a link inside a link is text.
        assert_eq!(md("![alt](pic.png)"), "<p><a href=\"pic.png\">alt</a></p>\n");
        assert_eq!(md("[![alt](pic.png)](/page)"), "<p><a href=\"/page\">alt</a></p>\n");
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
            // Character references become text (as CommonMark says), and text is escaped:
            // they never turn into markup.
            if case.starts_with("&lt;") {
                assert_eq!(html, "<p>&lt;script&gt; &lt;script&gt;</p>\n");
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
    fn raw_html_is_text() {
        // A raw HTML block is read as Markdown text, as a paragraph would be.
        assert_eq!(md("<div onclick=\"x()\">\n*hi*\n</div>"), "<p>&lt;div onclick=&quot;x()&quot;&gt;\n<em>hi</em>\n&lt;/div&gt;</p>\n");
        assert_eq!(
            md("<img src=x onerror=\"y()\">\n[click](javascript:z()) and [ok](/a)"),
            "<p>&lt;img src=x onerror=&quot;y()&quot;&gt;\n<span class=\"link-blocked\" title=\"Link removed: only http(s) and relative links are allowed\">click</span> and <a href=\"/a\">ok</a></p>\n"
        );
        // Blocks inside blocks are read again up to MAX_REPARSE times, then shown as one paragraph.
        let nested = md(&(0..10).map(|i| "> ".repeat(i) + "<p>\n").collect::<String>());
        assert_eq!(nested.matches("&lt;p&gt;").count(), 10, "{nested}");
        assert_eq!(nested.matches("<blockquote>").count(), MAX_REPARSE, "{nested}");
        assert_eq!(md("a <b>bold</b> c"), "<p>a &lt;b&gt;bold&lt;/b&gt; c</p>\n");
        assert_eq!(md("<!-- note -->"), "<p>&lt;!-- note --&gt;</p>\n");
        // A character reference cannot hide a scheme from the link check.
        assert!(md("[x](javascript&#58;alert(1))").contains("link-blocked"));
    }

    #[test]
    fn deep_nesting_keeps_text_but_caps_tags() {
        let html = md(&format!("{}deep", "> ".repeat(100)));
        assert_eq!(html.matches("<blockquote>").count(), MAX_DEPTH);
        assert_eq!(html.matches("</blockquote>").count(), MAX_DEPTH);
        assert!(html.contains("<p>deep</p>"));
        let html = md(&(0..40).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect::<String>());
        assert!(html.matches("<ul>").count() <= MAX_DEPTH);
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
        assert_eq!(html.matches("<li>").count(), html.matches("</li>").count());
        assert!(html.contains("item 39"));
    }

    #[test]
    fn odd_line_endings_and_tabs() {
        assert_eq!(md("a\r\nb\rc"), "<p>a\nb\nc</p>\n");
        assert_eq!(md("-\tx"), "<ul>\n<li>x</li>\n</ul>\n");
        assert_eq!(md(""), "");
        assert_eq!(md("\n\n  \n"), "");
    }
}
