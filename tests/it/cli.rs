//! The `kqlab` binary end to end: output formats, exit codes, error rendering, generation.

use std::process::{Command, Output};

fn kqlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kqlab")).args(args).output().expect("kqlab runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const NOW: &str = "--now=2026-11-22T12:00:00Z";

#[test]
fn query_prints_a_table() {
    let o = kqlab(&["query", NOW, "--rows", "2000", "UrlClickEvents | where Url has \"contoso-login\" | summarize Users = dcount(AccountUpn)"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Users\n-----\n"), "{out}");
    assert_eq!(out.lines().nth(2).unwrap().trim(), "18");
}

/// `find` over the built-in tables: tables whose columns differ are put together, and the
/// columns not all of them share are packed into pack_ (some tables have more columns than
/// bag_pack() takes arguments).
#[test]
fn find_over_the_built_in_tables_packs_the_columns_they_do_not_share() {
    let q = "find in (UrlClickEvents, DeviceProcessEvents) where AccountUpn has \"contoso\" | summarize n = count() by source_ | count";
    let o = kqlab(&["query", NOW, "--format", "csv", q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let tables: i64 = stdout(&o).lines().nth(1).unwrap().parse().unwrap();
    assert_eq!(tables, 2, "find should match rows of both tables: {}", stdout(&o));
    let o = kqlab(&["query", NOW, "--format", "csv", "find in (UrlClickEvents, DeviceProcessEvents) where AccountUpn has \"contoso\" | take 1 | project source_, has_pack = array_length(bag_keys(pack_)) > 0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("source_,has_pack\n"), "{}", stdout(&o));
    assert!(stdout(&o).trim_end().ends_with(",true"), "{}", stdout(&o));
}

#[test]
fn json_output_has_columns_rows_and_time() {
    let o = kqlab(&["query", NOW, "--format", "json", "print a = 1, b = \"x\", c = datetime(2026-01-02), d = dynamic([1])"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(r#"{"columns":[{"name":"a","type":"long"},{"name":"b","type":"string"},{"name":"c","type":"datetime"},{"name":"d","type":"dynamic"}],"rows":[[1,"x","2026-01-02T00:00:00Z",[1]]],"elapsed_ms":"#), "{out}");
}

#[test]
fn csv_output_and_repeat() {
    let o = kqlab(&["query", NOW, "--format", "csv", "--repeat", "3", "range x from 1 to 3 step 1"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "x\n1\n2\n3\n");
    assert!(stderr(&o).contains("median of 3"), "{}", stderr(&o));
}

#[test]
fn query_errors_render_with_a_caret_and_exit_1() {
    let o = kqlab(&["query", NOW, "UrlClickEvents | project AcountUpn"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("1:26: Unknown column 'AcountUpn' [KQL0202]"), "{err}");
    assert!(err.contains("^^^^^^^^^"), "{err}");
    assert!(err.contains("Did you mean 'AccountUpn'?"), "{err}");
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(kqlab(&["query", "--bogus", "x"]).status.code(), Some(2));
    assert_eq!(kqlab(&["query", "--format", "xml", "print 1"]).status.code(), Some(2));
    assert_eq!(kqlab(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(kqlab(&["query", "--now", "yesterday", "print 1"]).status.code(), Some(2));
    let o = kqlab(&["query", "--data", "T=/nonexistent.csv", "T"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent.csv"));
}

#[test]
fn gen_then_query_the_csv() {
    let dir = std::env::temp_dir().join(format!("kqlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clicks.csv");
    let p = path.to_str().unwrap();
    let o = kqlab(&["gen", "urlclicks", "--rows", "1000", "--seed", "7", NOW, "--out", p]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("Timestamp:datetime,Url:string,ActionType:string,AccountUpn:string"), "{}", &text[..100]);
    assert_eq!(text.lines().count(), 1001);
    let data = format!("Clicks={p}");
    let from_csv = kqlab(&["query", NOW, "--data", &data, "--format", "csv", "Clicks | summarize n = count(), u = dcount(AccountUpn)"]);
    let builtin = kqlab(&["query", NOW, "--rows", "1000", "--seed", "7", "--format", "csv", "UrlClickEvents | summarize n = count(), u = dcount(AccountUpn)"]);
    assert!(from_csv.status.success(), "{}", stderr(&from_csv));
    assert_eq!(stdout(&from_csv), stdout(&builtin), "the CSV round trip keeps the data");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_import_caps_are_options_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("kqlab-cli-caps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clicks.csv");
    let p = path.to_str().unwrap();
    assert!(kqlab(&["gen", "urlclicks", "--rows", "3000", "--seed", "7", NOW, "--out", p]).status.success());
    let size = std::fs::metadata(&path).unwrap().len();
    let data = format!("Clicks={p}");
    let q = "Clicks | summarize n = count(), u = dcount(AccountUpn), h = dcount(bin(Timestamp, 1h))";
    // Under a cap smaller than the file: refused, saying which option raises it.
    let small = (size / 2).to_string();
    let o = kqlab(&["query", NOW, "--data", &data, "--max-import-bytes", &small, "--format", "csv", q]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("the file is {size} bytes; the import limit is {small} bytes (raise it with --max-import-bytes N)")),
        "{}",
        stderr(&o)
    );
    let o = kqlab(&["query", NOW, "--data", &data, "--max-import-rows", "100", "--format", "csv", q]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("too many rows: the limit is 100 data rows (raise it with --max-import-rows N)"), "{}", stderr(&o));
    // Raised: read (streamed) with the same answer as the generated table.
    let o = kqlab(&["query", NOW, "--data", &data, "--max-import-bytes", &size.to_string(), "--format", "csv", q]);
    assert!(o.status.success(), "{}", stderr(&o));
    let builtin = kqlab(&["query", NOW, "--rows", "3000", "--seed", "7", "--format", "csv", &q.replace("Clicks", "UrlClickEvents")]);
    assert_eq!(stdout(&o), stdout(&builtin));
    assert!(stdout(&o).starts_with("n,u,h\n3000,"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_prints_the_plan() {
    let o = kqlab(&["explain", NOW, "UrlClickEvents | where Url has \"x\" | count"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("Aggregate") && out.contains("Filter") && out.contains("Scan"), "{out}");
}

#[test]
fn lessons_help_prints_usage() {
    for args in [&["lessons", "--help"][..], &["lessons", "-h"], &["lessons", "check", "--help"], &["lessons", "help"]] {
        let o = kqlab(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("kqlab lessons check [OPTIONS] [PATH...]") && out.contains("--now") && out.contains("--show"), "{args:?}: {out}");
        assert!(!stderr(&o).contains("unknown option"), "{args:?}");
    }
    let o = kqlab(&["lessons", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown option --bogus") && stderr(&o).contains("USAGE"), "{}", stderr(&o));
}

#[test]
fn lessons_coverage_prints_items_per_step_and_the_shipped_table_is_current() {
    let o = kqlab(&["lessons", "coverage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("<!-- coverage:start"), "{out}");
    // Items come from the parsed solutions, with their rank in the usage list.
    assert!(out.contains("| Joins and lookups (`joins-and-lookups.toml`) | 1 `lookup-mail` | `where` (1), "), "{out}");
    let lookup_row = out.lines().find(|l| l.contains("1 `lookup-mail`")).unwrap();
    assert!(lookup_row.contains("`lookup` (74)") && !lookup_row.contains("`join` (11)"), "{lookup_row}");
    let inner = out.lines().find(|l| l.contains("3 `join-inner`")).unwrap();
    assert!(inner.contains("`join` (11)") && inner.ends_with("; `join kind=inner` |"), "{inner}");
    assert!(out.contains("Every runnable top-60 item is taught."), "{out}");
    // externaldata runs from the files a lesson bundles, so it is counted, and the feed step teaches it.
    let feed = out.lines().find(|l| l.contains("`intel-feed`")).unwrap();
    assert!(feed.contains("`externaldata` (41)"), "{feed}");
    assert!(!out.contains("cannot run"), "{out}");
    // lessons/README.md holds exactly this table.
    let o = kqlab(&["lessons", "coverage", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("up to date"));
}

#[test]
fn lessons_coverage_write_and_check_on_a_folder() {
    let dir = std::env::temp_dir().join(format!("kqlab-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.toml"), "[[lessons]]\nfile = \"a.toml\"\n").unwrap();
    std::fs::write(
        dir.join("a.toml"),
        "id = \"a\"\ntitle = \"A\"\nsummary = \"s\"\n[[steps]]\nid = \"one\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"t\"\nsolution = '''UrlClickEvents | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 1h)'''\n",
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    // No markers: an error that says what to add.
    std::fs::write(dir.join("README.md"), "# Lessons\n").unwrap();
    let o = kqlab(&["lessons", "coverage", "--write", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the start marker is missing"), "{}", stderr(&o));
    // Markers with an old table: --check fails, --write fixes it, then --check passes.
    std::fs::write(
        dir.join("README.md"),
        "# Lessons\n<!-- coverage:start: generated by `kqlab lessons coverage --write`; do not edit by hand -->\nold\n<!-- coverage:end -->\nafter\n",
    )
    .unwrap();
    let o = kqlab(&["lessons", "coverage", "--check", d]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("out of date; run 'kqlab lessons coverage --write"), "{}", stdout(&o));
    let o = kqlab(&["lessons", "coverage", "--write", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.starts_with("# Lessons\n<!-- coverage:start") && readme.ends_with("<!-- coverage:end -->\nafter\n"), "{readme}");
    assert!(
        readme.contains(
            "| A (`a.toml`) | 1 `one` | `where` (1), `timespan literal (1d, 5m...)` (5), `summarize` (6), `ago()` (7), `count()` (14), `bin()` (39) |"
        ),
        "{readme}"
    );
    assert!(!readme.contains("\nold\n"));
    let o = kqlab(&["lessons", "coverage", "--check", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lessons_check_reports_a_prerequisite_that_is_not_published() {
    let dir = std::env::temp_dir().join(format!("kqlab-prereq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.toml"), "[[lessons]]\nfile = \"a.toml\"\n").unwrap();
    let lesson = |prereq: &str| {
        format!("id = \"a\"\ntitle = \"A\"\nsummary = \"s\"\nprerequisites = [\"{prereq}\"]\n[dataset]\nbuiltin = false\n[[steps]]\nid = \"one\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"t\"\nhints = [\"h\"]\nsolution = '''datatable(x: long) [1, 2] | where x > 1'''\n")
    };
    std::fs::write(dir.join("a.toml"), lesson("no-such-lesson")).unwrap();
    let d = dir.to_str().unwrap();
    let o = kqlab(&["lessons", "check", NOW, d]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("a.toml: prerequisites: 'no-such-lesson' is not the id of a lesson listed in"), "{}", stdout(&o));
    // Naming itself is an error when the file is read.
    std::fs::write(dir.join("a.toml"), lesson("a")).unwrap();
    let o = kqlab(&["lessons", "check", NOW, d]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("prerequisites[0]: a lesson cannot be its own prerequisite"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An unknown table's help lists every built-in table, nearest first (it used to be empty:
/// the CLI generated only the tables a query named).
#[test]
fn an_unknown_table_lists_the_tables_nearest_first() {
    let o = kqlab(&["query", NOW, "--rows", "300", "DeviceLogonEvent | take 1"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("help: Did you mean 'DeviceLogonEvents'? The tables are, nearest first: DeviceLogonEvents, DeviceEvents, "), "{err}");
    for name in ["UrlClickEvents", "EmailEvents", "AlertInfo", "CloudAppEvents", "EntraIdSignInEvents"] {
        assert!(err.contains(name), "{name} in {err}");
    }
}

/// One command of an exported `.kql` script: its first line and the lines after it (blocks are
/// separated by blank lines; comment lines are not commands).
fn kql_commands(script: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for block in script.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.starts_with("//")).collect();
        if let Some((first, rest)) = lines.split_first() {
            out.push((first.to_string(), rest.iter().map(|l| l.to_string()).collect()));
        }
    }
    out
}

/// `.create-merge table ['T'] (['A']: type, ...)` read back: the table and a typed CSV header.
fn parse_create(cmd: &str) -> (String, String) {
    let rest = cmd.strip_prefix(".create-merge table ['").unwrap_or_else(|| panic!("not a create command: {cmd}"));
    let (name, rest) = rest.split_once("'] (").unwrap();
    let cols = rest.strip_suffix(')').unwrap();
    let header: Vec<String> = cols
        .split(", ['")
        .map(|c| {
            let (n, t) = c.trim_start_matches("['").split_once("']: ").unwrap();
            assert!(kqlab::types::DataType::from_name(t).is_some(), "a Kusto type: {t}");
            format!("{n}:{t}")
        })
        .collect();
    (name.to_string(), header.join(","))
}

/// `kqlab export-kusto` writes a script whose commands are the ones it names (a table
/// creation, then inline or file ingestion) and CSV files that read back, with the script's
/// column types, to the lesson's tables exactly.
#[test]
fn export_kusto_writes_a_script_and_csv_that_round_trip() {
    use kqlab::table::{read_csv, CsvOptions};
    let dir = std::env::temp_dir().join(format!("kqlab-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let clock = kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap();
    for (lesson, inline_rows, tables) in
        [("lessons/vpn-logins.toml", "1000", vec!["VpnLogins"]), ("lessons/the-beacon.toml", "50", vec!["DeviceNetworkEvents"])]
    {
        let out = dir.join(lesson.trim_start_matches("lessons/"));
        let o = kqlab(&["export-kusto", lesson, NOW, "--inline-rows", inline_rows, "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(lesson).unwrap();
        let parsed = kqlab::lesson::parse_lesson(&text).unwrap();
        let load = |f: &str| std::fs::read_to_string(std::path::Path::new("lessons").join(f)).map_err(|e| e.to_string());
        let catalog = kqlab::lesson::dataset::catalog_for(&parsed, clock, &load).unwrap();
        let script = std::fs::read_to_string(out.join("load.kql")).unwrap();
        let cmds = kql_commands(&script);
        assert_eq!(cmds.len(), 2 * tables.len(), "{script}");
        for (i, name) in tables.iter().enumerate() {
            let (created, header) = parse_create(&cmds[2 * i].0);
            assert_eq!(&created, name);
            let want = catalog.get(name).unwrap();
            let (ingest, rows) = &cmds[2 * i + 1];
            let body = if ingest == &format!(".ingest inline into table ['{name}'] <|") {
                assert!(want.len() <= inline_rows.parse().unwrap());
                rows.join("\n")
            } else {
                assert_eq!(ingest, &format!(".ingest into table ['{name}'] (h'<url>/{name}.csv') with (format='csv', ignoreFirstRecord=true)"));
                assert!(rows.is_empty() && want.len() > inline_rows.parse().unwrap());
                let csv = std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap();
                csv.split_once('\n').unwrap().1.to_string()
            };
            let (got, warnings) = read_csv(&format!("{header}\n{body}"), &CsvOptions::default()).expect("the rows read back");
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(kqlab::data::digest(&got), kqlab::data::digest(want), "{name}: the same table after the round trip");
        }
        assert!(script.contains("// The lesson's solutions:") && script.contains(&parsed.steps[0].solution.lines().next().unwrap().to_string()));
    }
    let o = kqlab(&["export-kusto", "lessons/no-such.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read lessons/no-such.toml"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The CLI's built-in catalog serves the built-in watchlists and Sentinel's SigninLogs.
#[test]
fn cli_queries_reach_the_watchlists_and_signin_logs() {
    let o = kqlab(&[
        "query",
        NOW,
        "--format",
        "csv",
        "let bad = _GetWatchlist('IOCs') | project SearchKey; SigninLogs | where IPAddress in (bad) | summarize n = count() by ResultType | order by ResultType asc",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "ResultType,n\n0,1\n500121,9\n50074,9\n50126,2\n");
}
