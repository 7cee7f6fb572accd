//! `kqlab export-kusto`: a lesson's tables as CSV files plus a `.kql` script that creates and
//! fills the same tables on real Kusto (an Azure Data Explorer free cluster or the Kusto
//! emulator), so an instructor can run the lesson's solutions there and compare.
//!
//! The script holds one `.create-merge table` command per table (Kusto's column types are the
//! ones kqlab uses) and then either an `.ingest inline` command with the rows (tables up to
//! `--inline-rows`, default 1000) or an `.ingest into table ... (h'<url>/Table.csv')` command
//! whose URL the instructor replaces with where they uploaded the CSV file (a blob container
//! with a SAS token), or skips in favour of the web UI's "Get data > Local file". The
//! solutions follow as comments. Commands are separated by blank lines, as Kusto Explorer and
//! the web UI expect when running one command at a time.

use super::args::Args;
use crate::lesson::{dataset, format};
use crate::table::{write_csv, HeaderStyle, Table};
use std::path::{Path, PathBuf};

const USAGE: &str = "USAGE:
  kqlab export-kusto LESSON.toml [--out DIR] [--now ISO] [--all] [--inline-rows N]

Writes the tables LESSON's solutions read (every table with --all) to DIR (default:
kusto-export/) as TABLE.csv (header row of column names), and DIR/load.kql: a '.create-merge
table' command per table and an ingestion command for its rows ('.ingest inline' for tables of
at most N rows, default 1000; otherwise '.ingest into table' from the uploaded CSV file), then
the lesson's solutions as comments. The data's timestamps are relative to --now (default: the
current hour), so run the solutions soon after loading.
";

/// The catalog tables a query names (any word of the query that is a table's name).
fn tables_read(query: &str, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in query.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if names.iter().any(|n| n == w) && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// `.create-merge table` for `table`.
pub(crate) fn create_command(name: &str, table: &Table) -> String {
    let cols: Vec<String> = table.fields.iter().map(|f| format!("['{}']: {}", f.name, f.ty.name())).collect();
    format!(".create-merge table ['{name}'] ({})", cols.join(", "))
}

pub fn cmd_export(argv: Vec<String>) -> Result<i32, String> {
    if argv.iter().any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return Ok(0);
    }
    let args = Args::parse(argv, &["out", "now", "inline-rows"], &["all"]).map_err(|e| format!("{e}\n\n{USAGE}"))?;
    let [lesson_path] = args.positional.as_slice() else {
        return Err(format!("name one lesson file\n\n{USAGE}"));
    };
    let path = Path::new(lesson_path);
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {lesson_path}: {e}"))?;
    let lesson = format::parse_lesson(&text).map_err(|errs| errs.iter().map(|e| format!("{lesson_path}: {e}")).collect::<Vec<_>>().join("\n"))?;
    let clock = super::clock_from(&args)?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let load = |file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string());
    let catalog =
        dataset::catalog_for(&lesson, clock, &load).map_err(|errs| errs.iter().map(|e| format!("{lesson_path}: {e}")).collect::<Vec<_>>().join("\n"))?;
    let names: Vec<String> = catalog.names().map(str::to_string).collect();
    let wanted: Vec<String> = if args.flag("all") {
        names.clone()
    } else {
        let mut w: Vec<String> = Vec::new();
        for s in &lesson.steps {
            for t in tables_read(&s.solution, &names).into_iter().chain(tables_read(&s.starter, &names)) {
                if !w.contains(&t) {
                    w.push(t);
                }
            }
        }
        w
    };
    let inline_max = args.number("inline-rows")?.unwrap_or(1000) as usize;
    let out = PathBuf::from(args.value("out").unwrap_or_else(|| "kusto-export".into()));
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut script = format!(
        "// Tables of the kqlab lesson \"{}\" ({}), generated at clock {} (seed {}, {} rows).\n\
         // Run each command on its own in your database, then the solutions at the end.\n\n",
        lesson.title,
        lesson.id,
        crate::types::time::format_datetime(clock),
        lesson.dataset.seed,
        lesson.dataset.rows
    );
    for name in &wanted {
        let table = catalog.get(name).ok_or_else(|| format!("no table {name}"))?;
        let csv = write_csv(table, HeaderStyle::Plain);
        let file = format!("{name}.csv");
        std::fs::write(out.join(&file), &csv).map_err(|e| format!("cannot write {file}: {e}"))?;
        script.push_str(&create_command(name, table));
        script.push_str("\n\n");
        if table.len() <= inline_max {
            let body = csv.split_once('\n').map_or("", |(_, rows)| rows);
            script.push_str(&format!(".ingest inline into table ['{name}'] <|\n{body}"));
            if !body.ends_with('\n') {
                script.push('\n');
            }
        } else {
            script.push_str(&format!(
                "// {} rows: upload {file} and replace <url> (or use Get data > Local file in the web UI).\n\
                 .ingest into table ['{name}'] (h'<url>/{file}') with (format='csv', ignoreFirstRecord=true)\n",
                table.len()
            ));
        }
        script.push('\n');
        eprintln!("{name}: {} rows -> {}", table.len(), out.join(&file).display());
    }
    script.push_str("// The lesson's solutions:\n");
    for (i, s) in lesson.steps.iter().enumerate() {
        script.push_str(&format!("//\n// Step {} ({}): {}\n", i + 1, s.id, s.title));
        for line in s.solution.lines() {
            script.push_str(&format!("//   {line}\n"));
        }
    }
    std::fs::write(out.join("load.kql"), &script).map_err(|e| format!("cannot write load.kql: {e}"))?;
    eprintln!("wrote {} ({} tables)", out.join("load.kql").display(), wanted.len());
    Ok(0)
}
