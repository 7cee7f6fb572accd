//! Untrusted input: lesson files, CSV files, share links, stored progress, JSON, and what the
//! page renders from them. Malformed or hostile input of each kind gets a clear message naming
//! the file, field or line, and never a panic. RELIABILITY.md maps each case to its test.

use kqlab::app::progress::{Progress, MAX_BYTES, MAX_QUERY};
use kqlab::app::session::LessonSession;
use kqlab::app::share::{ShareState, MAX_QUERY as MAX_SHARE_QUERY};
use kqlab::lesson::{dataset, parse_index, parse_lesson, LessonError};
use kqlab::table::{read_csv, CsvOptions, Table};
use kqlab::types::{DataType, Dynamic, Value};
use std::time::Instant;

const MINIMAL: &str = r#"id = "demo"
title = "Demo"
summary = "A tiny lesson."

[dataset]
rows = 50

[[steps]]
id = "one"
title = "Count"
narrative = "Story."
task = "Count the clicks."
solution = "UrlClickEvents | count"
"#;

#[track_caller]
fn lesson_errors(text: &str) -> Vec<LessonError> {
    match parse_lesson(text) {
        Ok(_) => panic!("expected the lesson to be refused"),
        Err(e) => {
            assert!(!e.is_empty());
            for x in &e {
                assert!(!x.message.trim().is_empty(), "an error without a message: {x:?}");
                assert!(x.line <= text.lines().count() + 1, "line {} beyond the text: {x:?}", x.line);
            }
            e
        }
    }
}

// ---- lesson files --------------------------------------------------------------------------

#[test]
fn an_oversized_lesson_file_is_refused_by_size() {
    let text = format!("{MINIMAL}\n# {}\n", "x".repeat(3 << 20));
    let e = lesson_errors(&text);
    assert!(e[0].message.contains("bytes; lesson files may be at most"), "{e:?}");
}

#[test]
fn deeply_nested_toml_is_refused_without_overflowing_the_stack() {
    for nested in [
        format!("a = {}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("a = {}1{}", "{b = ".repeat(100_000), "}".repeat(100_000)),
        format!("[{}]", vec!["a"; 100_000].join(".")),
    ] {
        let e = lesson_errors(&format!("{MINIMAL}\n{nested}\n"));
        assert!(e[0].message.contains("recursion limit"), "{e:?}");
        assert!(e[0].line >= 14, "the error points at the nested value: {e:?}");
    }
}

#[test]
fn control_characters_and_nul_bytes_in_a_lesson_are_named() {
    // In a comment: the toml crate gives no message of its own (found by fuzzing).
    let e = lesson_errors(&MINIMAL.replace("summary = ", "# a\u{3}b\nsummary = "));
    assert!(e[0].message.contains("U+0003"), "{e:?}");
    assert_eq!(e[0].line, 3);
    let e = lesson_errors(&MINIMAL.replace("A tiny lesson.", "A tiny\u{0} lesson."));
    assert_eq!(e[0].line, 3);
    let e = lesson_errors(&format!("\u{0}{MINIMAL}"));
    assert_eq!(e[0].line, 1);
    // Invalid UTF-8 reaches the parser as U+FFFD (the page decodes files lossily): still text.
    let bytes = [MINIMAL.as_bytes(), b"\n# \xff\xfe\n"].concat();
    parse_lesson(&String::from_utf8_lossy(&bytes)).expect("U+FFFD in a comment is fine");
}

#[test]
fn hostile_values_in_a_lesson_are_refused_with_the_field() {
    let cases: Vec<(String, &str)> = vec![
        (MINIMAL.replace("id = \"demo\"", "id = \"<script>alert(1)</script>\""), "id"),
        (MINIMAL.replace("id = \"one\"", "id = \"../../etc\""), "steps[0].id"),
        (MINIMAL.replace("rows = 50", "rows = 1000000000000"), "dataset.rows"),
        (MINIMAL.replace("rows = 50", "rows = 0"), "dataset.rows"),
        (format!("{MINIMAL}[steps.check]\ntolerance = nan\n"), "steps[0].check.tolerance"),
        (format!("{MINIMAL}[steps.check]\ntolerance = -1.0\n"), "steps[0].check.tolerance"),
        (format!("{MINIMAL}\n[[dataset.csv]]\ntable = \"T\"\nfile = \"../secret.csv\"\n").replace("[[steps]]", "[[steps]]"), "dataset.csv[0].file"),
        (format!("{MINIMAL}\n[[dataset.csv]]\ntable = \"T\"\nfile = \"/etc/passwd\"\n"), "dataset.csv[0].file"),
        (format!("{MINIMAL}\n[[dataset.csv]]\ntable = \"T\"\nfile = \"https://evil.example/x.csv\"\n"), "dataset.csv[0].file"),
        (format!("{MINIMAL}\n[[dataset.csv]]\ntable = \"T; drop\"\nfile = \"x.csv\"\n"), "dataset.csv[0].table"),
        (format!("{MINIMAL}\n[[dataset.csv]]\ntable = \"T\"\nfile = \"x.csv\"\n[dataset.csv.columns]\na = \"<script>\"\n"), "dataset.csv[0].columns.a"),
        (MINIMAL.replace("solution = \"UrlClickEvents | count\"", "solution = \"  \""), "steps[0].solution"),
    ];
    for (text, field) in cases {
        // The csv tables are appended after [[steps]]: move them into [dataset].
        let text = if text.contains("[[dataset.csv]]") {
            let (head, csv) = text.split_at(text.find("\n[[dataset.csv]]").unwrap());
            head.replace("[dataset]\nrows = 50\n", &format!("[dataset]\nrows = 50\n{csv}\n"))
        } else {
            text
        };
        let e = lesson_errors(&text);
        assert!(e.iter().any(|x| x.field.as_deref() == Some(field)), "{field}: {e:?}\n{text}");
    }
    // A wrong type names the field and the line.
    let e = lesson_errors(&MINIMAL.replace("rows = 50", "rows = \"many\""));
    assert_eq!(e[0].line, 6, "{e:?}");
}

#[test]
fn many_steps_parse_in_reasonable_time() {
    let mut text = MINIMAL.to_string();
    for i in 0..5000 {
        text.push_str(&format!("\n[[steps]]\nid = \"s{i}\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"t\"\nsolution = \"print 1\"\n"));
    }
    assert!(text.len() < 2 << 20);
    let t = Instant::now();
    let l = parse_lesson(&text).unwrap();
    assert_eq!(l.steps.len(), 5001);
    assert!(t.elapsed().as_secs() < 10);
    // Duplicate ids among them are found (with a hash set, not pairwise).
    let e = lesson_errors(&format!("{text}\n[[steps]]\nid = \"s4999\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"t\"\nsolution = \"print 1\"\n"));
    assert_eq!(e[0].field.as_deref(), Some("steps[5001].id"));
}

#[test]
fn a_lesson_with_a_runaway_or_broken_solution_reports_it_per_step() {
    let text = MINIMAL.replace("UrlClickEvents | count", "range x from 1 to 10000000000 step 1");
    let s = LessonSession::new(parse_lesson(&text).unwrap(), 0, &|_| Err("no files".into())).unwrap();
    let Err(e) = s.expected(0) else { panic!("the solution cannot run") };
    assert!(e.contains("reference solution does not run") && e.contains("10,000,000"), "{e}");
    let run = s.run_step(0, "print 1");
    assert_eq!(run.verdict.unwrap().status, kqlab::lesson::Status::Error);
    // A learner's runaway query in a step is an error verdict, not a crash.
    let run = s.run_step(0, "let f = (x: long) { f(x) }; print f(1)");
    assert!(run.result.is_err());
}

#[test]
fn hostile_csv_files_named_by_a_lesson_report_file_and_line() {
    let text = MINIMAL
        .replace("[dataset]\nrows = 50\n", "[dataset]\nbuiltin = false\n[[dataset.csv]]\ntable = \"T\"\nfile = \"t.csv\"\n")
        .replace("UrlClickEvents", "T");
    let lesson = parse_lesson(&text).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("ragged", "a,b\n1,2\n3\n".into(), "t.csv: line 3: expected 2 fields, found 1"),
        ("unterminated", "a,b\n1,\"x\n".into(), "t.csv: line 2: a quoted field is never closed"),
        ("empty", String::new(), "t.csv: line 1: the file is empty"),
        ("wide", format!("{}\n", (0..1_000_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",")), "t.csv: line 1: 1000000 columns; the limit is 1000"),
    ];
    for (what, csv, msg) in cases {
        let e =
            dataset::catalog_for(&lesson, 0, &|f| if f == "t.csv" { Ok(csv.clone()) } else { Err("missing".into()) }).err().unwrap_or_else(|| panic!("{what}"));
        assert_eq!(e[0].field.as_deref(), Some("dataset.csv[0]"), "{what}");
        assert!(e[0].message.contains(msg), "{what}: {}", e[0].message);
    }
    let e = dataset::catalog_for(&lesson, 0, &|_| Err("the server answered 404 Not Found".into())).err().unwrap();
    assert_eq!(e[0].message, "cannot read 't.csv': the server answered 404 Not Found");
}

#[test]
fn hostile_lesson_indexes_are_refused() {
    for entry in ["../x.toml", "/etc/passwd.toml", "https://evil.example/x.toml", "x.csv", "javascript:alert(1)//.toml"] {
        let e = parse_index(&format!("[[lessons]]\nfile = \"{entry}\"\n")).err().unwrap_or_else(|| panic!("{entry}"));
        assert_eq!(e[0].field.as_deref(), Some("lessons[0].file"));
    }
    assert!(parse_index("[[lessons]]\nfile = 5\n").is_err());
    assert!(parse_index(&format!("lessons = {}{}", "[".repeat(100_000), "]".repeat(100_000))).is_err());
}

// ---- CSV files -----------------------------------------------------------------------------

fn csv(text: &str) -> Result<Table, kqlab::table::CsvError> {
    read_csv(text, &CsvOptions::default()).map(|(t, _)| t)
}

#[test]
fn a_million_column_header_is_refused_quickly() {
    let header = (0..1_000_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let t = Instant::now();
    let e = csv(&format!("{header}\n1\n")).unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (1, "1000000 columns; the limit is 1000"));
    assert!(t.elapsed().as_secs() < 10);
    // 1,000 columns (the limit) with duplicate detection is fine.
    let header = (0..1000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let row = vec!["1"; 1000].join(",");
    assert_eq!(csv(&format!("{header}\n{row}\n")).unwrap().fields.len(), 1000);
}

#[test]
fn oversized_csv_input_is_refused_by_bytes_and_rows() {
    let e = read_csv(&"a\n1\n".repeat(1000), &CsvOptions { max_bytes: 100, ..Default::default() }).unwrap_err();
    assert!(e.message.contains("the limit is 100 bytes"), "{e:?}");
    let e = read_csv(&format!("a\n{}", "1\n".repeat(1000)), &CsvOptions { max_rows: 10, ..Default::default() }).unwrap_err();
    assert_eq!(e.line, 12);
    assert!(e.message.contains("too many rows"), "{e:?}");
    // One very long cell is just a long string.
    let t = csv(&format!("a\n{}\n", "x".repeat(10 << 20))).unwrap();
    assert_eq!(t.value(0, 0).to_display().len(), 10 << 20);
}

#[test]
fn malformed_csv_names_the_line_and_column() {
    let cases = [
        ("a,b\n1,\"x\n", 2, None, "quoted field is never closed"),
        ("a,b\n1,2,3\n", 2, None, "expected 2 fields, found 3"),
        ("a,a\n1,2\n", 1, Some("a"), "appears twice"),
        (",b\n1,2\n", 1, None, "column 1 has no name"),
        ("a:long\n1\nx\n", 3, Some("a"), "cannot read 'x' as long"),
        ("\n\n", 1, None, "the file is empty"),
        ("a\n\"\"\"\n", 2, None, "quoted field is never closed"),
    ];
    for (text, line, column, msg) in cases {
        let e = csv(text).unwrap_err();
        assert_eq!(e.line, line, "{text:?}: {e:?}");
        assert_eq!(e.column.as_deref(), column, "{text:?}: {e:?}");
        assert!(e.message.contains(msg), "{text:?}: {e:?}");
    }
}

#[test]
fn odd_but_readable_csv_is_read_as_data() {
    // NUL bytes and U+FFFD (what invalid UTF-8 becomes when the page decodes the file) are text.
    let t = csv("a,b\nx\u{0}y,\u{fffd}\n").unwrap();
    assert_eq!(t.value(0, 0), Value::str("x\u{0}y"));
    assert_eq!(t.value(0, 1), Value::str("\u{fffd}"));
    // A BOM, CR-only line ends, and markup or formulas in cells and names are kept as text.
    let t = csv("\u{feff}<script>alert(1)</script>,=cmd|' /C calc'!A0\r1,2\r").unwrap();
    assert_eq!(t.fields[0].name, "<script>alert(1)</script>");
    assert_eq!(t.fields[1].name, "=cmd|' /C calc'!A0");
    assert_eq!(t.fields[0].ty, DataType::Long);
    // A lenient read turns bad cells into nulls with a warning naming them.
    let (t, w) = read_csv("a:long\n1\nx\n", &CsvOptions { lenient: true, ..Default::default() }).unwrap();
    assert_eq!(t.value(1, 0), Value::Null);
    assert_eq!(w.len(), 1);
}

// ---- share links ---------------------------------------------------------------------------

#[test]
fn hostile_share_links_are_refused_with_a_reason() {
    let cases = [
        ("lesson=<img src=x onerror=alert(1)>", "lesson"),
        ("lesson=a&step=../../x", "step"),
        ("lesson=a%20b", "lesson"),
        ("lesson=javascript:alert(1)", "lesson"),
        ("q=%%%", "not valid base64url"),
        ("q=_w", "not valid UTF-8"),
        ("q=AAA=", "not valid base64url"),
    ];
    for (frag, words) in cases {
        let e = ShareState::from_fragment(frag).unwrap_err();
        assert!(e.contains(words), "{frag}: {e}");
    }
    let long = format!("q={}", "A".repeat(MAX_SHARE_QUERY * 3));
    assert!(ShareState::from_fragment(&long).unwrap_err().contains("too long"));
    let id = "x".repeat(65);
    assert!(ShareState::from_fragment(&format!("lesson={id}")).is_err());
    // What is not an error is kept as plain data: unknown keys are ignored, a NUL is text.
    let s = ShareState::from_fragment("#utm=%3Cscript%3E&&q=AA&lesson=a_b-1").unwrap();
    assert_eq!(s.query.as_deref(), Some("\u{0}"));
    assert_eq!(s.lesson.as_deref(), Some("a_b-1"));
    // A query longer than a link may carry is cut when the link is written, at a character.
    let q = "é".repeat(MAX_SHARE_QUERY + 10);
    let s = ShareState { query: Some(q), ..Default::default() };
    let back = ShareState::from_fragment(&s.to_fragment()).unwrap();
    assert_eq!(back.query.unwrap().chars().count(), MAX_SHARE_QUERY);
}

// ---- stored progress -----------------------------------------------------------------------

#[test]
fn corrupt_or_hostile_progress_is_refused_with_a_reason() {
    let cases: Vec<(String, &str)> = vec![
        (" ".repeat(MAX_BYTES + 1), "more than the 2097152 allowed"),
        ("[".repeat(1_000_000), "nested too deeply"),
        ("{\"version\": 1, \"lessons\": {}".into(), "not valid JSON"),
        ("\u{0}".into(), "not valid JSON"),
        ("{\"version\": 2, \"lessons\": {}}".into(), "version 2"),
        ("{\"version\": \"1\", \"lessons\": {}}".into(), "no version"),
        ("{\"version\": 1}".into(), "no lessons"),
        ("{\"version\": 1, \"lessons\": {\"x\": []}}".into(), "lesson 'x'"),
        ("null".into(), "no version"),
        (String::new(), "not valid JSON"),
    ];
    for (text, words) in cases {
        let e = Progress::from_json(&text).unwrap_err();
        assert!(e.contains(words), "{}: {e}", text.chars().take(40).collect::<String>());
    }
}

#[test]
fn odd_progress_values_are_tolerated_and_long_queries_are_cut_on_save() {
    let p = Progress::from_json(r#"{"version": 1, "lessons": {"x": {"current": 5, "steps": {"s": {"passed": "yes", "query": 5, "hints": 1e300, "solution": null}, "t": {"hints": 999999999999}}}}, "playground": ["a"], "last": {}}"#).unwrap();
    let s = p.step("x", "s").unwrap();
    assert_eq!((s.passed, s.query.as_str(), s.hints_shown, s.solution_shown), (false, "", 0, false));
    assert_eq!(p.step("x", "t").unwrap().hints_shown, 0);
    assert_eq!(p.lessons["x"].current_step, None);
    assert_eq!(p.playground_query, "");
    // Keys and queries with markup, NULs and lone surrogates are data.
    let p = Progress::from_json(r#"{"version": 1, "lessons": {"<script>": {"steps": {"\u0000": {"query": "\ud800 <img onerror=x>"}}}}}"#).unwrap();
    assert_eq!(p.step("<script>", "\u{0}").unwrap().query, "\u{fffd} <img onerror=x>");
    // Saving cuts a query longer than MAX_QUERY characters, which reads back.
    let p = Progress { playground_query: "😀".repeat(MAX_QUERY + 5), ..Default::default() };
    let back = Progress::from_json(&p.to_json()).unwrap();
    assert_eq!(back.playground_query.chars().count(), MAX_QUERY);
}

// ---- JSON (dynamic values, parse_json, stored progress) ------------------------------------

#[test]
fn hostile_json_is_bounded() {
    let e = Dynamic::parse_json(&"[".repeat(1_000_000)).unwrap_err();
    assert!(e.message.contains("nested too deeply"), "{e:?}");
    let e = Dynamic::parse_json(&"{\"a\":".repeat(1_000_000)).unwrap_err();
    assert!(e.message.contains("nested too deeply"), "{e:?}");
    assert!(Dynamic::parse_json("[1,]").is_err());
    assert!(Dynamic::parse_json("{} x").is_err());
    assert_eq!(Dynamic::parse_json("\"\\ud800\"").unwrap().to_json(), "\"\u{fffd}\"");
    assert_eq!(Dynamic::parse_json("1e400").unwrap(), Dynamic::Real(f64::INFINITY));
    assert_eq!(Dynamic::parse_json("123456789012345678901234567890").unwrap(), Dynamic::Real(1.2345678901234568e29));
    let long = format!("\"{}\"", "x".repeat(10 << 20));
    assert_eq!(Dynamic::parse_json(&long).unwrap().to_plain_string().len(), 10 << 20);
    // Through the engine: parse_json of a hostile string is a value or null, never a crash.
    let q = format!("print a = parse_json('{}'), b = parse_json('\\u0000'), c = todynamic('{{\"a\":{}}}')", "[".repeat(500), "1".repeat(400));
    let r = kqlab::engine::run(&q, &kqlab::table::Catalog::new(), &Default::default()).unwrap();
    assert_eq!(r.table.len(), 1);
}

// ---- what the page renders from untrusted text ---------------------------------------------

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "</text><script>alert(1)</script><text>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
];

/// No element or attribute from `payload` survives in `html`.
#[track_caller]
fn inert(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<img", "<iframe", "<svg onload", "onerror=", "onload=", "href=\"javascript:", "href='javascript:"] {
        if bad.starts_with('<') || bad.starts_with("href") {
            assert!(!lower.contains(bad), "{what}: {bad} survived in {html}");
        } else {
            // As escaped text the word may appear, but never inside a tag.
            for (i, _) in lower.match_indices(bad) {
                let open = lower[..i].rfind('<');
                let close = lower[..i].rfind('>');
                assert!(open.is_none() || close > open, "{what}: {bad} inside a tag in {html}");
            }
        }
    }
}

#[test]
fn lesson_markdown_renders_hostile_payloads_as_text() {
    use kqlab::view::markdown::to_html;
    for p in PAYLOADS {
        inert(&to_html(p), p);
        inert(&to_html(&format!("**{p}** `{p}`\n\n> {p}\n\n- {p}\n\n```\n{p}\n```")), p);
    }
    for link in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "javascript&#58;alert(1)",
    ] {
        let html = to_html(&format!("[x]({link}) ![y]({link})"));
        inert(&html, link);
        assert!(!html.to_ascii_lowercase().contains("href=\"javascript") && !html.contains("src=\"data:"), "{link}: {html}");
    }
    let html = to_html("[x](https://a.example/\"onmouseover=\"alert(1))");
    assert!(!html.contains("\"onmouseover"), "{html}");
}

#[test]
fn charts_render_hostile_labels_as_text() {
    use kqlab::view::chart::{chart_svg, ChartKind, ChartSpec, SvgOptions};
    let rows: Vec<Vec<Value>> = PAYLOADS.iter().enumerate().map(|(i, p)| vec![Value::str(p), Value::Long(i as i64 + 1)]).collect();
    let fields = vec![
        kqlab::table::Field::new("<b onmouseover=alert(1)>x</b>", DataType::String),
        kqlab::table::Field::new("</text><script>y</script>", DataType::Long),
    ];
    let t = Table::from_rows(fields, &rows);
    for kind in ChartKind::ALL {
        let mut spec = ChartSpec::new(kind);
        spec.title = Some(PAYLOADS[0].into());
        spec.xtitle = Some(PAYLOADS[1].into());
        spec.ytitle = Some(PAYLOADS[5].into());
        if let Ok(svg) = chart_svg(&t, &spec, &SvgOptions::default()) {
            inert(&svg, kind.name());
            assert!(!svg.contains("<b "), "{svg}");
        }
    }
}

#[test]
fn grid_cells_are_plain_text() {
    // The grid shows a cell's text (the web layer sets it as text, not HTML); the formatted
    // text of a hostile value is the value itself, and CSV export keeps it as data.
    let t = Table::from_rows(vec![kqlab::table::Field::new("c", DataType::String)], &[vec![Value::str(PAYLOADS[0])]]);
    assert_eq!(kqlab::view::grid::format_cell(&t.columns[0], 0), PAYLOADS[0]);
}
