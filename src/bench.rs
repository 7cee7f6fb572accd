//! The engine benchmark behind `cargo bench` and `kqlab bench` (native only).
//!
//! It generates the built-in tables a query list needs at each requested size, *before*
//! timing, then runs every query (parse, bind and execute: what the app does per query)
//! repeatedly on one thread and reports the median. The queries live in
//! `bench/queries.txt`, shared with the peer script `bench/peers.py`.
//!
//! `--serve` keeps one dataset loaded and answers requests on stdin, one per line
//! (`NAME REPEAT`), with one JSON object per line: this lets `bench/peers.py` interleave
//! kqlab with DuckDB, ClickHouse and Polars query by query, in one run.

use crate::data::{self, DatasetSpec};
use crate::engine::{self, RunOptions};
use crate::table::{self, Catalog, CsvOptions, TableDoc};
use crate::types::time;
use std::io::{BufRead, Write};
use std::time::Instant;

/// The benchmark queries, `(name, KQL)`.
pub const QUERIES_TEXT: &str = include_str!("../bench/queries.txt");

/// The hashing benchmark (`--keys`): short, similar string keys built with `range`; `{rows}`
/// in a query stands for the row count.
pub const KEYS_TEXT: &str = include_str!("../bench/keys.txt");

/// The fixed session clock of every benchmark run.
pub const CLOCK_ISO: &str = "2026-11-22T12:00:00Z";

/// The dataset seed of every benchmark run.
pub const SEED: u64 = 42;

/// Parses `bench/queries.txt`: `name: query` lines; `#` starts a comment line.
pub fn queries() -> Vec<(&'static str, &'static str)> {
    parse_list(QUERIES_TEXT)
}

/// Parses `bench/keys.txt`, the hashing benchmark, in the same format.
pub fn key_queries() -> Vec<(&'static str, &'static str)> {
    parse_list(KEYS_TEXT)
}

fn parse_list(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(':').map(|(n, q)| (n.trim(), q.trim()))).collect()
}

fn clock() -> i64 {
    time::parse_datetime(CLOCK_ISO).expect("the benchmark clock parses")
}

/// Generates the built-in tables that `qs` mention, at `rows` rows.
pub fn catalog_for(qs: &[(&str, &str)], rows: usize) -> Catalog {
    let spec = DatasetSpec::new(SEED, rows, clock());
    let mut catalog = Catalog::new();
    for name in data::table_names() {
        let used = qs.iter().any(|(_, q)| q.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == *name));
        if used {
            let t = data::generate(name, &spec).expect("a built-in table");
            catalog.insert(*name, t, data::table_doc(name).unwrap_or_default());
        }
    }
    catalog
}

/// CSV import options for benchmark data: the CLI's defaults without its size caps (the
/// adversarial 1M-row file is over 400 MB; the parser's own ceiling of 2 GiB still applies).
pub fn bench_csv_options() -> CsvOptions {
    CsvOptions { max_bytes: usize::MAX, max_rows: usize::MAX, ..CsvOptions::default() }
}

/// Loads `NAME=FILE.csv` pairs into a catalog (the benchmark's `--data`).
pub fn catalog_from_csv(data: &[String]) -> Result<Catalog, String> {
    let mut catalog = Catalog::new();
    for d in data {
        let Some((name, path)) = d.split_once('=') else {
            return Err(format!("--data expects NAME=FILE.csv, got '{d}'"));
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("--data {name}: cannot read {path}: {e}"))?;
        let (t, warnings) = table::read_csv(&text, &bench_csv_options()).map_err(|e| format!("{path}: {e}"))?;
        if let Some(w) = warnings.first() {
            eprintln!("{path}: {} warnings, the first: {w}", warnings.len());
        }
        catalog.insert(name, t, TableDoc::default());
    }
    Ok(catalog)
}

/// `--import FILE`: the CSV import's throughput. Reads the file once, then times
/// `table::read_csv` on the text in memory (what `--data` and the browser's file import do
/// after reading the file); the file read is timed separately, once.
fn import_report(path: &str, min_runs: usize) -> Result<String, String> {
    let t0 = Instant::now();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let read_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut runs = Vec::new();
    let mut rows = 0;
    let mut heap = 0;
    for _ in 0..min_runs.max(1) {
        let t0 = Instant::now();
        let (t, _) = table::read_csv(&text, &bench_csv_options()).map_err(|e| format!("{path}: {e}"))?;
        runs.push(t0.elapsed().as_secs_f64() * 1000.0);
        rows = t.len();
        heap = t.heap_bytes();
    }
    crate::util::sort::sort_f64(&mut runs);
    let med = Timing { runs: runs.clone(), rows }.median();
    let bytes = text.len();
    drop(text);
    // Streamed from the file, as `kqlab query --data` reads it (the whole text never in memory).
    let mut streamed = Vec::new();
    for _ in 0..min_runs.max(1) {
        let t0 = Instant::now();
        let (t, _) = table::read_csv_from(|| std::fs::File::open(path), &bench_csv_options()).map_err(|e| format!("{path}: {e}"))?;
        streamed.push(t0.elapsed().as_secs_f64() * 1000.0);
        if t.len() != rows {
            return Err(format!("{path}: the streamed import read {} rows, the whole-text one {rows}", t.len()));
        }
    }
    crate::util::sort::sort_f64(&mut streamed);
    let stream_med = Timing { runs: streamed, rows }.median();
    Ok(format!(
        "{{\"file\":{},\"bytes\":{bytes},\"rows\":{rows},\"read_ms\":{read_ms:.1},\"parse_ms\":{med:.1},\"stream_ms\":{stream_med:.1},\"runs_ms\":[{}],\"heap_bytes\":{heap}}}\n",
        json_str(path),
        runs.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(",")
    ))
}

/// One query's measurement.
#[derive(Clone, Debug)]
pub struct Timing {
    /// Milliseconds of each run, sorted.
    pub runs: Vec<f64>,
    /// Rows in the result.
    pub rows: usize,
}

impl Timing {
    pub fn median(&self) -> f64 {
        let n = self.runs.len();
        if n == 0 {
            return f64::NAN;
        }
        if n % 2 == 1 {
            self.runs[n / 2]
        } else {
            (self.runs[n / 2 - 1] + self.runs[n / 2]) / 2.0
        }
    }
}

/// The engine's limits for a benchmark run: the defaults (what the app and the CLI use), or
/// with `lifted` no row or cell limit, so tables of 10M rows and more can be measured (the
/// default cell limit refuses any step over 100M cells: a 19-column table of 5.3M rows).
pub fn bench_limits(lifted: bool) -> crate::engine::Limits {
    let d = crate::engine::Limits::default();
    if lifted {
        crate::engine::Limits { max_rows: usize::MAX, max_cells: usize::MAX, max_expand: usize::MAX, ..d }
    } else {
        d
    }
}

/// Runs `query` at least `min_runs` times and until about `budget_ms` have passed (at most
/// `max_runs`), after one untimed warm-up run.
pub fn time_query(query: &str, catalog: &Catalog, min_runs: usize, max_runs: usize, budget_ms: f64) -> Result<Timing, String> {
    time_query_with(query, catalog, min_runs, max_runs, budget_ms, bench_limits(false))
}

/// [`time_query`] with the engine limits given.
pub fn time_query_with(
    query: &str,
    catalog: &Catalog,
    min_runs: usize,
    max_runs: usize,
    budget_ms: f64,
    limits: crate::engine::Limits,
) -> Result<Timing, String> {
    let opts = RunOptions { limits, ..RunOptions::at(clock()) };
    let run = || engine::run(query, catalog, &opts).map_err(|ds| ds.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; "));
    let rows = run()?.table.len();
    let mut runs = Vec::new();
    let start = Instant::now();
    while runs.len() < min_runs.max(1) || (runs.len() < max_runs && start.elapsed().as_secs_f64() * 1000.0 < budget_ms) {
        let t0 = Instant::now();
        let r = run()?;
        runs.push(t0.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(r);
    }
    crate::util::sort::sort_f64(&mut runs);
    Ok(Timing { runs, rows })
}

const USAGE: &str = "kqlab bench - time the benchmark queries (bench/queries.txt) on generated data

USAGE:
  kqlab bench [--rows 100000,1000000] [--filter TEXT[,TEXT...]] [--min-runs N] [--max-runs N]
              [--budget-ms MS] [--json FILE]
  kqlab bench --serve --rows N        answer `NAME REPEAT` lines on stdin with JSON lines
  kqlab bench --memory --rows N       bytes per row of each column of the generated tables
  kqlab bench --memory-tables --rows N  bytes per row of every built-in table (all generated)
  kqlab bench --keys [--rows ...]     the hashing benchmark (bench/keys.txt): short, similar
                                      string keys built with range, grouped, counted, joined
  kqlab bench --import FILE.csv       CSV import throughput (median of --min-runs parses)
  --no-limits                         lift the engine's row and cell limits (needed from about
                                      5.3M rows of UrlClickEvents: 100M cells per step)

--data NAME=FILE.csv (repeatable) replaces the generated tables by CSV files, loaded with the
CLI's `--data` options but without its 256 MiB cap (with --serve, --memory or the timing run).

Data is generated before timing (seed 42, clock 2026-11-22T12:00:00Z); each query runs once
untimed, then at least --min-runs times (default 5) and until --budget-ms (default 1500)
have passed, at most --max-runs (default 31); the median is reported. One thread.
";

struct Opts {
    sizes: Vec<usize>,
    filter: Option<String>,
    min_runs: usize,
    max_runs: usize,
    budget_ms: f64,
    json: Option<String>,
    serve: bool,
    memory: bool,
    memory_tables: bool,
    keys: bool,
    data: Vec<String>,
    import: Option<String>,
    no_limits: bool,
}

fn parse_opts(argv: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        sizes: vec![100_000, 1_000_000],
        filter: None,
        min_runs: 5,
        max_runs: 31,
        budget_ms: 1500.0,
        json: None,
        serve: false,
        memory: false,
        memory_tables: false,
        keys: false,
        data: Vec::new(),
        import: None,
        no_limits: false,
    };
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--rows" => {
                o.sizes = val("--rows")?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>().map_err(|_| format!("--rows: '{s}' is not a number")))
                    .collect::<Result<_, _>>()?
            }
            "--filter" => o.filter = Some(val("--filter")?),
            "--min-runs" => o.min_runs = val("--min-runs")?.parse().map_err(|_| "--min-runs needs a number".to_string())?,
            "--max-runs" => o.max_runs = val("--max-runs")?.parse().map_err(|_| "--max-runs needs a number".to_string())?,
            "--budget-ms" => o.budget_ms = val("--budget-ms")?.parse().map_err(|_| "--budget-ms needs a number".to_string())?,
            "--json" => o.json = Some(val("--json")?),
            "--serve" => o.serve = true,
            "--memory" => o.memory = true,
            "--memory-tables" => o.memory_tables = true,
            "--keys" => o.keys = true,
            "--data" => o.data.push(val("--data")?),
            "--import" => o.import = Some(val("--import")?),
            "--no-limits" => o.no_limits = true,
            // `cargo bench` passes --bench to harness-less benchmarks.
            "--bench" => {}
            "-h" | "--help" | "help" => return Err(String::new()),
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    Ok(o)
}

fn json_str(s: &str) -> String {
    crate::types::Dynamic::String(s.into()).to_json()
}

/// The benchmark's entry point; `argv` excludes the program name. Returns the exit code.
pub fn main(argv: &[String]) -> i32 {
    let o = match parse_opts(argv) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            print!("{USAGE}");
            return 0;
        }
        Err(e) => {
            eprintln!("kqlab bench: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let all = if o.keys { key_queries() } else { queries() };
    // --filter: a substring of the name or the query, or several, comma-separated.
    let wanted = |n: &str, q: &str| o.filter.as_ref().is_none_or(|f| f.split(',').any(|f| n.contains(f) || q.contains(f)));
    let qs: Vec<(&str, &str)> = all.iter().copied().filter(|(n, q)| wanted(n, q)).collect();
    if let Some(path) = &o.import {
        return match import_report(path, o.min_runs) {
            Ok(line) => {
                print!("{line}");
                0
            }
            Err(e) => {
                eprintln!("kqlab bench: {e}");
                1
            }
        };
    }
    // With --data, one catalog from the CSV files stands in for every size.
    let csv = if o.data.is_empty() {
        None
    } else {
        let t0 = Instant::now();
        match catalog_from_csv(&o.data) {
            Ok(c) => {
                eprintln!("loaded {} in {:.1} s", o.data.join(", "), t0.elapsed().as_secs_f64());
                Some(c)
            }
            Err(e) => {
                eprintln!("kqlab bench: {e}");
                return 2;
            }
        }
    };
    let sizes = if csv.is_some() { vec![0] } else { o.sizes.clone() };
    let catalog_at = |rows: usize| csv.clone().unwrap_or_else(|| catalog_for(&qs, rows));
    if o.serve {
        let rows = o.sizes.first().copied().unwrap_or(1_000_000);
        // Only the tables the --filter'ed queries read are generated (at 10M rows, EmailEvents
        // alone is 2.5 GB); every query can still be asked for by name.
        let catalog = csv.clone().unwrap_or_else(|| catalog_for(&qs, rows));
        return serve(&all, catalog, rows, bench_limits(o.no_limits));
    }
    if o.memory_tables {
        for &rows in &sizes {
            print!("{}", memory_by_table(&data::builtin_catalog(&DatasetSpec::new(SEED, rows, clock()))));
        }
        return 0;
    }
    if o.memory {
        for &rows in &sizes {
            print!("{}", memory_report(&catalog_at(rows)));
        }
        return 0;
    }
    let mut results: Vec<Vec<Result<Timing, String>>> = Vec::new();
    let mut memory = Vec::new();
    for &rows in &sizes {
        let t0 = Instant::now();
        let catalog = catalog_at(rows);
        eprintln!("generated {rows} rows in {:.1} s", t0.elapsed().as_secs_f64());
        for (name, t, _) in catalog.iter() {
            memory.push((name.to_string(), rows, t.len(), t.heap_bytes()));
        }
        let mut col = Vec::new();
        for (name, q) in &qs {
            let q = q.replace("{rows}", &rows.to_string());
            let r = time_query_with(&q, &catalog, o.min_runs, o.max_runs, o.budget_ms, bench_limits(o.no_limits));
            match &r {
                Ok(t) => eprintln!("  {rows:>9} {name:<24} {:>9.2} ms  (min {:.2}, {} runs, {} rows)", t.median(), t.runs[0], t.runs.len(), t.rows),
                Err(e) => eprintln!("  {rows:>9} {name:<24} error: {e}"),
            }
            col.push(r);
        }
        results.push(col);
    }
    print!("{}", report(&qs, &sizes, &results, &memory));
    if let Some(path) = &o.json {
        let text = json_report(&qs, &sizes, &results, &memory);
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("kqlab bench: cannot write {path}: {e}");
            return 2;
        }
    }
    if results.iter().flatten().any(|r| r.is_err()) {
        1
    } else {
        0
    }
}

fn size_label(rows: usize) -> String {
    if rows == 0 {
        "csv".to_string()
    } else if rows >= 1_000_000 && rows % 1_000_000 == 0 {
        format!("{}M", rows / 1_000_000)
    } else if rows >= 1000 && rows % 1000 == 0 {
        format!("{}k", rows / 1000)
    } else {
        rows.to_string()
    }
}

/// The Markdown tables printed at the end of a run.
pub fn report(qs: &[(&str, &str)], sizes: &[usize], results: &[Vec<Result<Timing, String>>], memory: &[(String, usize, usize, usize)]) -> String {
    let mut s = String::new();
    s.push_str("| query |");
    for &r in sizes {
        s.push_str(&format!(" {} ms | {} rows out |", size_label(r), size_label(r)));
    }
    s.push_str("\n|---|");
    for _ in sizes {
        s.push_str("---:|---:|");
    }
    s.push('\n');
    for (qi, (name, _)) in qs.iter().enumerate() {
        s.push_str(&format!("| {name} |"));
        for col in results {
            match &col[qi] {
                Ok(t) => s.push_str(&format!(" {:.2} | {} |", t.median(), t.rows)),
                Err(_) => s.push_str(" error | |"),
            }
        }
        s.push('\n');
    }
    s.push_str("\n| table | rows | heap bytes | bytes per row |\n|---|---:|---:|---:|\n");
    for (name, _, n, bytes) in memory {
        s.push_str(&format!("| {name} | {n} | {bytes} | {:.1} |\n", *bytes as f64 / (*n).max(1) as f64));
    }
    s
}

/// Heap bytes per row of every column (Markdown).
pub fn memory_report(catalog: &Catalog) -> String {
    let mut s = String::new();
    for (name, t, _) in catalog.iter() {
        let rows = t.len().max(1) as f64;
        s.push_str(&format!(
            "\n{name}: {} rows, {} bytes, {:.1} bytes per row\n\n| column | type | bytes per row |\n|---|---|---:|\n",
            t.len(),
            t.heap_bytes(),
            t.heap_bytes() as f64 / rows
        ));
        for (i, (f, c)) in t.fields.iter().zip(&t.columns).enumerate() {
            let shared = t.columns[..i].iter().position(|d| std::sync::Arc::ptr_eq(c, d));
            let (extra, bytes) = match (shared, c.as_str_column(), &**c) {
                (Some(j), _, _) => (format!(" (the column of {})", t.fields[j].name), 0),
                (None, Some(sc), _) => (format!(" ({} dictionary entries)", sc.dict.len()), c.heap_bytes()),
                (None, None, table::Column::GuidText(_)) => (" (16-byte GUIDs)".to_string(), c.heap_bytes()),
                (None, None, _) => (String::new(), c.heap_bytes()),
            };
            s.push_str(&format!("| {}{extra} | {} | {:.1} |\n", f.name, f.ty.name(), bytes as f64 / rows));
        }
    }
    s
}

/// Heap bytes per row of every built-in table at one size (Markdown): the catalog's lazy
/// tables are generated here. Rows differ from table to table (the size asked is the number of
/// `UrlClickEvents` rows; the others follow the story and the company's size).
pub fn memory_by_table(catalog: &Catalog) -> String {
    let mut s = String::from("| table | rows | heap bytes | bytes per row | largest column (bytes per row) |\n|---|---:|---:|---:|---|\n");
    for (name, t, _) in catalog.iter() {
        let rows = t.len().max(1) as f64;
        let largest = t.fields.iter().zip(&t.columns).rev().max_by_key(|(_, c)| c.heap_bytes());
        let largest = largest.map_or(String::new(), |(f, c)| format!("{} ({:.1})", f.name, c.heap_bytes() as f64 / rows));
        s.push_str(&format!("| {name} | {} | {} | {:.1} | {largest} |\n", t.len(), t.heap_bytes(), t.heap_bytes() as f64 / rows));
    }
    s
}

fn json_report(qs: &[(&str, &str)], sizes: &[usize], results: &[Vec<Result<Timing, String>>], memory: &[(String, usize, usize, usize)]) -> String {
    let mut items = Vec::new();
    for (si, &rows) in sizes.iter().enumerate() {
        for (qi, (name, q)) in qs.iter().enumerate() {
            let body = match &results[si][qi] {
                Ok(t) => format!("\"median_ms\":{:.4},\"runs\":{},\"rows_out\":{}", t.median(), t.runs.len(), t.rows),
                Err(e) => format!("\"error\":{}", json_str(e)),
            };
            items.push(format!("{{\"name\":{},\"query\":{},\"rows\":{rows},{body}}}", json_str(name), json_str(q)));
        }
    }
    let mem: Vec<String> = memory
        .iter()
        .map(|(n, spec_rows, rows, bytes)| format!("{{\"table\":{},\"size\":{spec_rows},\"rows\":{rows},\"heap_bytes\":{bytes}}}", json_str(n)))
        .collect();
    format!("{{\"clock\":\"{CLOCK_ISO}\",\"seed\":{SEED},\"results\":[{}],\"memory\":[{}]}}\n", items.join(","), mem.join(","))
}

/// `--serve`: one dataset, requests on stdin.
fn serve(qs: &[(&str, &str)], catalog: Catalog, rows: usize, limits: crate::engine::Limits) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mem: Vec<String> =
        catalog.iter().map(|(n, t, _)| format!("{{\"table\":{},\"rows\":{},\"heap_bytes\":{}}}", json_str(n), t.len(), t.heap_bytes())).collect();
    if writeln!(out, "{{\"ready\":true,\"rows\":{rows},\"memory\":[{}]}}", mem.join(",")).and_then(|_| out.flush()).is_err() {
        return 2;
    }
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let mut parts = line.split_whitespace();
        let (Some(name), repeat) = (parts.next(), parts.next().and_then(|r| r.parse::<usize>().ok()).unwrap_or(5)) else { continue };
        let reply = match qs.iter().find(|(n, _)| *n == name) {
            None => format!("{{\"name\":{},\"error\":\"unknown query\"}}", json_str(name)),
            Some((_, q)) => match time_query_with(q, &catalog, repeat, repeat, 0.0, limits.clone()) {
                Ok(t) => {
                    let runs: Vec<String> = t.runs.iter().map(|x| format!("{x:.4}")).collect();
                    format!("{{\"name\":{},\"median_ms\":{:.4},\"runs_ms\":[{}],\"rows_out\":{}}}", json_str(name), t.median(), runs.join(","), t.rows)
                }
                Err(e) => format!("{{\"name\":{},\"error\":{}}}", json_str(name), json_str(&e)),
            },
        };
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_list_parses_and_binds() {
        let qs = queries();
        assert!(qs.len() >= 13, "the seed queries plus the four extra ones");
        let catalog = catalog_for(&qs, 300);
        for (name, q) in qs {
            if let Err(ds) = engine::compile(q, &catalog, clock()) {
                panic!("{name}: {}", ds[0].message);
            }
        }
    }

    #[test]
    fn key_queries_parse_and_bind() {
        let qs = key_queries();
        assert!(qs.len() >= 6);
        let catalog = Catalog::new();
        for (name, q) in qs {
            let q = q.replace("{rows}", "1000");
            match engine::run(&q, &catalog, &RunOptions::at(clock())) {
                Ok(r) => assert_eq!(r.table.len(), 1, "{name}"),
                Err(ds) => panic!("{name}: {}", ds[0].message),
            }
        }
    }

    #[test]
    fn csv_data_replaces_the_generated_tables() {
        let dir = std::env::temp_dir().join(format!("kqlab-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("clicks.csv");
        // Another generator's shape: microsecond times out of order, unique URLs.
        std::fs::write(&path, "Timestamp,Url\n2026-11-20T10:00:00.000002Z,https://a.example/?id=2\n2026-11-20T09:00:00.000001Z,https://a.example/?id=1\n")
            .unwrap();
        let cat = catalog_from_csv(&[format!("UrlClickEvents={}", path.display())]).unwrap();
        let r = engine::run("UrlClickEvents | summarize count() by bin(Timestamp, 1h)", &cat, &RunOptions::at(clock())).unwrap();
        assert_eq!(r.table.len(), 2);
        let line = import_report(path.to_str().unwrap(), 2).unwrap();
        assert!(line.contains("\"rows\":2") && line.contains("\"parse_ms\""), "{line}");
        let e = catalog_from_csv(&["clicks.csv".to_string()]).unwrap_err();
        assert!(e.contains("NAME=FILE.csv"), "{e}");
        let e = catalog_from_csv(&[format!("T={}", dir.join("missing.csv").display())]).unwrap_err();
        assert!(e.contains("cannot read"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lifted_limits_let_a_wide_step_through() {
        let q = "range x from 1 to 30 step 1 | extend a = x, b = x";
        let tight = crate::engine::Limits { max_cells: 60, ..bench_limits(false) };
        assert!(time_query_with(q, &Catalog::new(), 1, 1, 0.0, tight).unwrap_err().contains("cells"));
        assert_eq!(time_query_with(q, &Catalog::new(), 1, 1, 0.0, bench_limits(true)).unwrap().rows, 30);
        assert_eq!(bench_limits(true).max_cells, usize::MAX);
    }

    #[test]
    fn median_of_even_and_odd_runs() {
        assert_eq!(Timing { runs: vec![1.0, 2.0, 9.0], rows: 0 }.median(), 2.0);
        assert_eq!(Timing { runs: vec![1.0, 2.0, 4.0, 9.0], rows: 0 }.median(), 3.0);
    }
}
