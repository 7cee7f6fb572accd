//! `kqlab lessons check`: validates lesson files the way the web app will use them.
//! `kqlab lessons coverage`: which ranked KQL usage items the course's solutions teach.

use super::args::Args;
use crate::lesson::{coverage, dataset, format, validate};
use crate::table::format::to_text;
use crate::types::time::format_datetime;
use std::path::{Path, PathBuf};

const USAGE: &str = "USAGE:
  kqlab lessons check [OPTIONS] [PATH...]
  kqlab lessons coverage [--write | --check] [DIR]

Validates lesson files the way the playground uses them: each file's TOML, its data, every
step's solution, starter and wrong queries, and typed-answer digests; prints the answer each
step expects. PATH is a lesson file or a folder (default: lessons/, which also checks
lessons/index.toml). Exits with 0 when everything is valid, 1 otherwise.

'coverage' reads the lessons listed in DIR/index.toml (default: lessons/) and prints, for
every step, which items of the ranked list of KQL that real hunting queries use its solution
exercises, and which of the top 60 no lesson teaches. --write puts that table into
DIR/README.md between its coverage markers; --check exits with 1 when README.md is out of date.

OPTIONS:
  --now ISO    the session clock, e.g. 2026-11-22T12:00:00Z (default: the current hour)
  --show N     print the first N rows of each expected answer (default 5; 0 for none)
  --clocks N   check at N session clocks spread over two weeks instead of one (from --now or
               the current hour; different hours of the day and days of the week, 168 is
               every hour of a week, which is all the data there is): prints, per step, the
               first clock at which it fails with its errors and how many clocks fail, and
               with --show above 0 each form of verdict the wrong queries get
  --help, -h   this text
";

pub fn cmd_lessons(argv: Vec<String>) -> Result<i32, String> {
    if argv.iter().any(|a| a == "--help" || a == "-h") || argv.first().is_some_and(|a| a == "help") {
        print!("{USAGE}");
        return Ok(0);
    }
    let args = Args::parse(argv, &["now", "show", "clocks"], &["write", "check"]).map_err(|e| format!("{e}\n\n{USAGE}"))?;
    let mut pos = args.positional.clone();
    if pos.first().map(|s| s.as_str()) == Some("coverage") {
        return cmd_coverage(&args, &pos[1..]);
    }
    if args.flag("write") || args.flag("check") {
        return Err(format!("--write and --check belong to 'kqlab lessons coverage'\n\n{USAGE}"));
    }
    if pos.first().map(|s| s.as_str()) != Some("check") {
        let what = match pos.first() {
            Some(other) => format!("unknown lessons command '{other}'"),
            None => "'kqlab lessons' needs a command".to_string(),
        };
        return Err(format!("{what}\n\n{USAGE}"));
    }
    pos.remove(0);
    if pos.is_empty() {
        pos.push("lessons".into());
    }
    let clock = super::clock_from(&args)?;
    let show = args.number("show")?.unwrap_or(5) as usize;
    let clocks = match args.number("clocks")? {
        None => None,
        Some(n) if (1..=168).contains(&n) => Some(validate::sweep_clocks(clock, n as usize)),
        Some(n) => return Err(format!("--clocks: {n} is not between 1 and 168 (168 is every hour of a week)")),
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut ok = true;
    for p in &pos {
        let path = Path::new(p);
        if path.is_dir() {
            ok &= check_index(path);
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {p}: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.file_name().is_some_and(|n| n != "index.toml"))
                .collect();
            crate::util::sort::sort(&mut found);
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    if files.is_empty() {
        return Err("no lesson files found".into());
    }
    match &clocks {
        None => {
            for f in &files {
                ok &= check_file(f, clock, show);
            }
        }
        Some(clocks) => ok &= sweep_files(&files, clocks, show),
    }
    if let Some(clocks) = &clocks {
        let (first, last) = (clocks.iter().min().copied().unwrap_or(clock), clocks.iter().max().copied().unwrap_or(clock));
        println!("Checked at {} clocks from {} to {}.", clocks.len(), format_datetime(first), format_datetime(last));
    }
    println!("{}", if ok { "All lessons are valid." } else { "Some lessons have problems (see above)." });
    Ok(if ok { 0 } else { 1 })
}

/// Every entry of index.toml exists; every lesson file is listed.
fn check_index(dir: &Path) -> bool {
    let idx_path = dir.join("index.toml");
    let Ok(text) = std::fs::read_to_string(&idx_path) else {
        println!("{}: missing (the web app reads the lesson list from it)", idx_path.display());
        return false;
    };
    match format::parse_index(&text) {
        Err(errs) => {
            for e in errs {
                println!("{}: {e}", idx_path.display());
            }
            false
        }
        Ok(idx) => {
            let mut ok = true;
            for e in &idx.lessons {
                if !dir.join(&e.file).is_file() {
                    println!("{}: lists '{}', which does not exist", idx_path.display(), e.file);
                    ok = false;
                }
            }
            // Prerequisites must name published lessons.
            let lessons: Vec<(String, format::Lesson)> = idx
                .lessons
                .iter()
                .filter_map(|e| std::fs::read_to_string(dir.join(&e.file)).ok().and_then(|t| format::parse_lesson(&t).ok()).map(|l| (e.file.clone(), l)))
                .collect();
            for (file, l) in &lessons {
                for p in l.prerequisites.iter().filter(|p| !lessons.iter().any(|(_, o)| &o.id == *p)) {
                    println!("{}: prerequisites: '{p}' is not the id of a lesson listed in {}", dir.join(file).display(), idx_path.display());
                    ok = false;
                }
            }
            if let Ok(rd) = std::fs::read_dir(dir) {
                for f in rd.filter_map(|e| e.ok()) {
                    let name = f.file_name().to_string_lossy().to_string();
                    if name.ends_with(".toml") && name != "index.toml" && !idx.lessons.iter().any(|e| e.file == name) {
                        println!("{}: warning: '{name}' is not listed, so the web app will not show it", idx_path.display());
                    }
                }
            }
            ok
        }
    }
}

/// Reads and parses a lesson file, printing what is wrong with it.
fn read_lesson(path: &Path) -> Option<format::Lesson> {
    let name = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            println!("{name}: cannot read: {e}");
            return None;
        }
    };
    match format::parse_lesson(&text) {
        Ok(l) => Some(l),
        Err(errs) => {
            for e in errs {
                if e.line > 0 {
                    println!("{name}:{}:{}: {}{}", e.line, e.column, e.field.map(|f| format!("{f}: ")).unwrap_or_default(), e.message);
                } else {
                    println!("{name}: {e}");
                }
            }
            None
        }
    }
}

/// `--clocks`: validates the lesson files at every clock (all lessons at one clock, then the
/// next, so lessons on the same data share its generation) and prints, per failing step, the
/// first clock it fails at (as `--now`, to reproduce it) and its errors there.
fn sweep_files(files: &[PathBuf], clocks: &[i64], show: usize) -> bool {
    let mut ok = true;
    let lessons: Vec<(&PathBuf, format::Lesson)> = files.iter().filter_map(|f| read_lesson(f).map(|l| (f, l))).collect();
    ok &= lessons.len() == files.len();
    let mut sweeps: Vec<Option<Vec<validate::StepSweep>>> = lessons.iter().map(|(_, l)| Some(validate::StepSweep::for_lesson(l))).collect();
    for &clock in clocks {
        dataset::sharing_builtin_tables(|| {
            for ((path, lesson), sweep) in lessons.iter().zip(sweeps.iter_mut()) {
                let Some(acc) = sweep.as_mut() else { continue };
                let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                let load = |file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string());
                match dataset::catalog_for(lesson, clock, &load) {
                    Ok(catalog) => validate::StepSweep::add(acc, validate::validate(lesson, &catalog, clock), clock),
                    Err(errs) => {
                        for e in errs {
                            println!("{}: at --now {}: {e}", path.display(), format_datetime(clock));
                        }
                        *sweep = None;
                    }
                }
            }
        });
    }
    for ((path, lesson), sweep) in lessons.iter().zip(sweeps) {
        let Some(sweep) = sweep else {
            ok = false;
            continue;
        };
        let failing = sweep.iter().filter(|s| !s.failing.is_empty()).count();
        println!("{}: \"{}\" ({} steps, {} fail at some clock)", path.display(), lesson.title, lesson.steps.len(), failing);
        for (i, s) in sweep.iter().enumerate() {
            if let Some(first) = s.failing.first() {
                println!("  FAIL step {} '{}' at {} of {} clocks; the first: --now {}", i + 1, s.id, s.failing.len(), clocks.len(), format_datetime(*first));
                for e in &s.first_errors {
                    println!("       error: {}", e.replace('\n', "\n       "));
                }
            }
            for (v, at, n) in s.verdicts.iter().filter(|_| show > 0) {
                println!(
                    "       step {} '{}' at {n} clock{}, e.g. --now {}: learner reads for {v}",
                    i + 1,
                    s.id,
                    if *n == 1 { "" } else { "s" },
                    format_datetime(*at)
                );
            }
        }
        ok &= failing == 0;
    }
    ok
}

fn check_file(path: &Path, clock: i64, show: usize) -> bool {
    let name = path.display();
    let Some(lesson) = read_lesson(path) else { return false };
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let load = |file: &str| std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string());
    let catalog = match dataset::catalog_for(&lesson, clock, &load) {
        Ok(c) => c,
        Err(errs) => {
            for e in errs {
                println!("{name}: {e}");
            }
            return false;
        }
    };
    println!("{name}: \"{}\" ({} steps)", lesson.title, lesson.steps.len());
    let reports = validate::validate(&lesson, &catalog, clock);
    let mut ok = true;
    for (i, r) in reports.iter().enumerate() {
        let mark = if r.ok() { "ok  " } else { "FAIL" };
        let rows = r.expected.as_ref().map(|t| format!("{} row{}, {}", t.len(), if t.len() == 1 { "" } else { "s" }, r.order)).unwrap_or_default();
        println!("  {mark} step {} '{}': {}{rows}", i + 1, r.id, r.title.clone() + " - ");
        for e in &r.errors {
            println!("       error: {}", e.replace('\n', "\n       "));
        }
        for w in &r.warnings {
            println!("       warning: {w}");
        }
        // The verdicts are for authors reading the output; `--show 0` (CI) keeps it short.
        for v in r.wrong_verdicts.iter().filter(|_| show > 0) {
            println!("       learner reads for {v}");
        }
        if let Some(t) = &r.expected {
            if show > 0 {
                for line in to_text(&t.head(show)).lines() {
                    println!("       | {line}");
                }
                if t.len() > show {
                    println!("       | ... {} more rows", t.len() - show);
                }
            }
        }
        ok &= r.ok();
    }
    ok
}

/// `kqlab lessons coverage [--write | --check] [DIR]`.
fn cmd_coverage(args: &Args, pos: &[String]) -> Result<i32, String> {
    if pos.len() > 1 {
        return Err(format!("'kqlab lessons coverage' takes one folder, not {}\n\n{USAGE}", pos.len()));
    }
    if args.flag("write") && args.flag("check") {
        return Err("use either --write or --check, not both".into());
    }
    let dir = Path::new(pos.first().map(|s| s.as_str()).unwrap_or("lessons"));
    let idx_path = dir.join("index.toml");
    let text =
        std::fs::read_to_string(&idx_path).map_err(|e| format!("cannot read {}: {e} (coverage follows the course order in index.toml)", idx_path.display()))?;
    let idx = format::parse_index(&text).map_err(|errs| errs.iter().map(|e| format!("{}: {e}", idx_path.display())).collect::<Vec<_>>().join("\n"))?;
    let mut lessons = Vec::new();
    for e in &idx.lessons {
        let path = dir.join(&e.file);
        let text = std::fs::read_to_string(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let lesson = format::parse_lesson(&text)
            .map_err(|errs| format!("{}: the lesson does not read ({}); run 'kqlab lessons check {}'", path.display(), errs[0], path.display()))?;
        lessons.push((e.file.clone(), lesson));
    }
    let cov = coverage::Coverage::of(&lessons);
    let section = cov.markdown();
    if !(args.flag("write") || args.flag("check")) {
        println!("{section}");
        return Ok(0);
    }
    let readme = dir.join("README.md");
    let old = std::fs::read_to_string(&readme).map_err(|e| format!("cannot read {}: {e}", readme.display()))?;
    let new = coverage::replace_section(&old, &section).map_err(|e| format!("{}: {e}", readme.display()))?;
    if args.flag("check") {
        if new == old {
            println!("{}: the coverage table is up to date.", readme.display());
            return Ok(0);
        }
        println!("{}: the coverage table is out of date; run 'kqlab lessons coverage --write {}'", readme.display(), dir.display());
        return Ok(1);
    }
    if new != old {
        std::fs::write(&readme, &new).map_err(|e| format!("cannot write {}: {e}", readme.display()))?;
    }
    let untaught = cov.untaught_top();
    println!(
        "{}: coverage table written; {} runnable top-{} item{} not taught yet.",
        readme.display(),
        untaught.len(),
        coverage::TOP,
        if untaught.len() == 1 { "" } else { "s" }
    );
    Ok(0)
}
