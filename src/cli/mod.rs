//! The native command-line interface. Compiled only for native targets.
//!
//! Exit codes: 0 success, 1 the query or lesson failed (diagnostics on stderr), 2 bad
//! arguments or unreadable files.

mod args;
mod export;
mod json;
mod lessons;

use crate::data::{self, DatasetSpec};
use crate::diag::render_text_all;
use crate::engine::{self, RunOptions};
use crate::table::{self, format, Catalog, CsvOptions, HeaderStyle, TableDoc};
use crate::types::time;
use args::Args;
use std::io::{Read, Write};
use std::time::Instant;

const HELP: &str = "kqlab - a KQL playground engine

USAGE:
  kqlab query [OPTIONS] \"QUERY\"     run a query (use - to read it from stdin)
  kqlab explain [OPTIONS] \"QUERY\"   show the bound plan of a query
  kqlab gen TABLE [OPTIONS]          write a generated table as CSV
  kqlab tables                       list the built-in tables and their columns
  kqlab lessons check [PATH...]      validate lesson files (default: lessons/) and print
                                     each step's expected output (--now, --show N rows)
  kqlab lessons coverage [DIR]       which ranked KQL items the lessons teach (--write, --check)
  kqlab export-kusto LESSON.toml     write a lesson's tables as CSV plus a .kql script that
                                     loads them into Azure Data Explorer (--help for options)
  kqlab bench [--rows 100000,1000000] time the benchmark queries (kqlab bench --help)
  kqlab help                         this text

QUERY OPTIONS:
  --data NAME=FILE.csv   load a CSV file as table NAME (repeatable); with --data only
                         those tables exist unless --builtin is also given
  --builtin              also generate the built-in tables when --data is used
  --rows N               rows of the generated UrlClickEvents table (default 5000); the
                         other tables are sized in proportion
  --seed S               dataset seed (default 42)
  --now ISO              the session clock, e.g. 2026-11-22T12:00:00Z
                         (default: the current hour, rounded down)
  --format F             table (default), csv or json
  --repeat K             run K times and report the median time (on stderr for table/csv)
  --max-rows N           print at most N rows (table format; default 1000)
  --max-import-bytes N   largest --data file accepted (default 268435456, 256 MiB; at most
                         2 GiB); files are read in blocks, never held whole in memory
  --max-import-rows N    most data rows accepted per --data file (default 5000000)

GEN OPTIONS:
  TABLE                  UrlClickEvents, EmailEvents, EmailUrlInfo, EmailAttachmentInfo,
                         EmailPostDeliveryEvents, DeviceProcessEvents, DeviceNetworkEvents,
                         DeviceFileEvents (or urlclicks, emailevents, deviceprocess, ...)
  --rows N  --seed S  --now ISO   as above
  --out FILE             write to FILE instead of stdout
  --header typed|plain   Name:type header cells (default) or plain names
";

/// Runs the CLI with `argv` (without the program name); returns the exit code.
pub fn main(argv: Vec<String>) -> i32 {
    let mut it = argv.into_iter();
    let Some(cmd) = it.next() else {
        eprint!("{HELP}");
        return 2;
    };
    let rest: Vec<String> = it.collect();
    let r = match cmd.as_str() {
        "query" => cmd_query(rest, false),
        "explain" => cmd_query(rest, true),
        "gen" => cmd_gen(rest),
        "tables" => cmd_tables(rest),
        "lessons" => lessons::cmd_lessons(rest),
        "export-kusto" => export::cmd_export(rest),
        "bench" => Ok(crate::bench::main(&rest)),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(0)
        }
        other => Err(format!("unknown command '{other}'; try 'kqlab help'")),
    };
    match r {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("kqlab: {msg}");
            2
        }
    }
}

/// The clock: `--now` or the current hour rounded down.
pub(crate) fn clock_from(args: &Args) -> Result<i64, String> {
    match args.value("now") {
        Some(s) => time::parse_datetime(&s).ok_or_else(|| format!("--now: '{s}' is not a datetime such as 2026-11-22T12:00:00Z")),
        None => {
            let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs() as i64;
            Ok((secs / 3600) * 3600 * time::TICKS_PER_SECOND)
        }
    }
}

fn spec_from(args: &Args) -> Result<DatasetSpec, String> {
    let rows = args.number("rows")?.unwrap_or(DatasetSpec::LESSON_ROWS as u64) as usize;
    let seed = args.number("seed")?.unwrap_or(DatasetSpec::LESSON_SEED);
    Ok(DatasetSpec::new(seed, rows, clock_from(args)?))
}

fn cmd_query(argv: Vec<String>, explain: bool) -> Result<i32, String> {
    let args = Args::parse(argv, &["data", "rows", "seed", "now", "format", "repeat", "max-rows", "max-import-bytes", "max-import-rows"], &["builtin"])?;
    let mut query = match args.positional.as_slice() {
        [q] => q.clone(),
        [] => return Err("missing the query; e.g. kqlab query \"UrlClickEvents | take 5\"".into()),
        _ => return Err("give the query as one argument (put it in quotes)".into()),
    };
    if query == "-" {
        query.clear();
        std::io::stdin().read_to_string(&mut query).map_err(|e| format!("reading the query from stdin: {e}"))?;
    }
    let format = args.value("format").unwrap_or_else(|| "table".into());
    if !matches!(format.as_str(), "table" | "csv" | "json") {
        return Err(format!("--format must be table, csv or json, not '{format}'"));
    }
    let repeat = args.number("repeat")?.unwrap_or(1).max(1);
    let spec = spec_from(&args)?;
    let catalog = load_catalog(&args, &spec, &query)?;
    if explain {
        return Ok(match engine::compile(&query, &catalog, spec.clock) {
            Ok(b) => {
                print!("{}", b.plan.display_indent());
                0
            }
            Err(ds) => {
                eprint!("{}", render_text_all(&query, &ds));
                1
            }
        });
    }
    let opts = RunOptions::at(spec.clock);
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let r = engine::run(&query, &catalog, &opts);
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        match r {
            Ok(r) => result = Some(r),
            Err(ds) => {
                eprint!("{}", render_text_all(&query, &ds));
                return Ok(1);
            }
        }
    }
    crate::util::sort::sort_f64(&mut times);
    let median = times[times.len() / 2];
    let Some(r) = result else { return Ok(1) };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let w = match format.as_str() {
        "json" => writeln!(out, "{}", json::result_json(&r.table, median)),
        "csv" => write!(out, "{}", table::write_csv(&r.table, HeaderStyle::Plain)),
        _ => {
            let max = args.number("max-rows")?.unwrap_or(1000) as usize;
            let shown = r.table.head(max);
            let mut s = format::to_text(&shown);
            if r.table.len() > max {
                s.push_str(&format!("... {} more rows (use --max-rows)\n", r.table.len() - max));
            }
            write!(out, "{s}")
        }
    };
    w.map_err(|e| e.to_string())?;
    if format != "json" && (repeat > 1 || format == "table") {
        eprintln!("{} rows in {:.2} ms{}", r.table.len(), median, if repeat > 1 { format!(" (median of {repeat})") } else { String::new() });
    }
    Ok(0)
}

/// Every built-in table, each generated only when the query reads it (generating them all at a
/// million rows takes seconds), so an unknown table's error can still list them all.
fn builtin_for(_query: &str, spec: &DatasetSpec) -> Catalog {
    let mut catalog = Catalog::new();
    for &name in data::table_names() {
        let (Some(fields), Some(doc)) = (data::table_schema(name), data::table_doc(name)) else { continue };
        let spec = spec.clone();
        catalog.insert_lazy(name, fields, doc, std::sync::Arc::new(move || data::generate(name, &spec).expect("a built-in table")));
    }
    data::watchlists::add_builtin(&mut catalog, spec.clock - 3 * time::TICKS_PER_DAY);
    catalog
}

fn load_catalog(args: &Args, spec: &DatasetSpec, query: &str) -> Result<Catalog, String> {
    let datas = args.values("data");
    let mut catalog = if datas.is_empty() || args.flag("builtin") { builtin_for(query, spec) } else { Catalog::new() };
    // The browser keeps CsvOptions' caps; on the command line they are options.
    let mut opts = CsvOptions::default();
    if let Some(n) = args.number("max-import-bytes")? {
        opts.max_bytes = usize::try_from(n).unwrap_or(usize::MAX);
    }
    if let Some(n) = args.number("max-import-rows")? {
        opts.max_rows = usize::try_from(n).unwrap_or(usize::MAX);
    }
    for d in datas {
        let Some((name, path)) = d.split_once('=') else {
            return Err(format!("--data expects NAME=FILE.csv, got '{d}'"));
        };
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("--data: '{name}' is not a valid table name (letters, digits and _ only)"));
        }
        // Streamed from the file (read twice when column types are inferred), never held whole.
        let size = std::fs::metadata(path).map_err(|e| format!("--data {name}: cannot read {path}: {e}"))?.len();
        if size > opts.max_bytes as u64 {
            return Err(format!("{path}: the file is {size} bytes; the import limit is {} bytes (raise it with --max-import-bytes N)", opts.max_bytes));
        }
        let (t, warnings) = table::read_csv_from(|| std::fs::File::open(path), &opts).map_err(|e| {
            let hint = if e.message.starts_with("too many rows") { " (raise it with --max-import-rows N)" } else { "" };
            format!("{path}: {e}{hint}")
        })?;
        for w in warnings {
            eprintln!("{path}: warning: {w}");
        }
        catalog.insert(name, t, TableDoc::default());
    }
    Ok(catalog)
}

fn cmd_gen(argv: Vec<String>) -> Result<i32, String> {
    let args = Args::parse(argv, &["rows", "seed", "now", "out", "header"], &[])?;
    let [name] = args.positional.as_slice() else {
        return Err(format!("name one table to generate: {}", data::table_names().join(", ")));
    };
    let canonical = resolve_table(name).ok_or_else(|| format!("unknown table '{name}'; choose one of {}", data::table_names().join(", ")))?;
    let header = match args.value("header").as_deref() {
        None | Some("typed") => HeaderStyle::Typed,
        Some("plain") => HeaderStyle::Plain,
        Some(o) => return Err(format!("--header must be typed or plain, not '{o}'")),
    };
    let spec = spec_from(&args)?;
    let t = data::generate(canonical, &spec).ok_or_else(|| format!("cannot generate {canonical}"))?;
    match args.value("out") {
        Some(path) => {
            let f = std::fs::File::create(&path).map_err(|e| format!("cannot write {path}: {e}"))?;
            let mut w = std::io::BufWriter::new(f);
            table::write_csv_to(&t, header, &mut w).map_err(|e| format!("writing {path}: {e}"))?;
            eprintln!("wrote {} rows of {canonical} to {path}", t.len());
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            table::write_csv_to(&t, header, &mut w).map_err(|e| e.to_string())?;
        }
    }
    Ok(0)
}

/// Accepts exact names and friendly aliases (`urlclicks`, `emailevents`, ...).
fn resolve_table(name: &str) -> Option<&'static str> {
    let norm: String = name.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    data::table_names().iter().copied().find(|t| {
        let tl = t.to_lowercase();
        tl == norm || tl.trim_end_matches("events") == norm.trim_end_matches("events") || (norm == "urlclicks" && *t == "UrlClickEvents")
    })
}

fn cmd_tables(argv: Vec<String>) -> Result<i32, String> {
    let _ = Args::parse(argv, &[], &[])?;
    for name in data::table_names() {
        println!("{name}");
        if let (Some(fields), Some(doc)) = (data::table_schema(name), data::table_doc(name)) {
            for (f, d) in fields.iter().zip(&doc.columns) {
                println!("  {:<28} {:<9} {}", f.name, f.ty.name(), d);
            }
        }
    }
    Ok(0)
}
