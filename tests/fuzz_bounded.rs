//! A bounded, coverage-free fuzz pass on stable Rust: a seeded RNG drives the grammar-aware
//! query generator and the token/text mutators of `fuzz/src/gen.rs` over every untrusted
//! input kqlab reads (queries, lessons, CSV, stored progress, share links, JSON), and the
//! checks of `fuzz/src/harness.rs` decide what is a finding.
//!
//! A finding is a panic, one input running longer than `KQLAB_FUZZ_HANG_SECS` (default 20),
//! or one input allocating more than 1 GiB at once; the test fails with the input.
//!
//! ```sh
//! cargo test --release --test fuzz_bounded                         # fixed budget (seconds)
//! KQLAB_FUZZ_SECS=60 cargo test --release --test fuzz_bounded -- --nocapture
//! KQLAB_FUZZ_SEED=7 KQLAB_FUZZ_SECS=30 cargo test --release --test fuzz_bounded -- --nocapture
//! ```
//!
//! Without `KQLAB_FUZZ_SECS` each target runs a fixed number of inputs from a fixed seed, so
//! the default pass is quick and reproducible. With it, each target runs for that many
//! seconds. Coverage-guided fuzzing with libFuzzer is `scripts/fuzz.sh`.

#[path = "../fuzz/src/gen.rs"]
#[allow(dead_code)]
mod gen;
#[path = "../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use gen::{Gen, Rng, Src};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Memory: a counting allocator. Live bytes and the peak since the last reset; an allocation
// that would take the live total past HARD_CAP is refused (the process aborts, after
// printing the input being fuzzed).

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static REPORTED: AtomicBool = AtomicBool::new(false);
const HARD_CAP: usize = 6 << 30;
/// Most memory one input may take on top of what was live before it.
const MAX_INPUT_BYTES: usize = 1 << 30;

static CURRENT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Called when an allocation is refused: prints the input being fuzzed (once), without
/// allocating.
fn refuse(size: usize) -> *mut u8 {
    if !REPORTED.swap(true, Ordering::Relaxed) {
        use std::io::Write;
        let mut e = std::io::stderr();
        let _ = e.write_all(b"\nfuzz_bounded: an input asked for more than 6 GiB in all; the input was:\n");
        if let Ok(q) = CURRENT.try_lock() {
            let _ = e.write_all(q.as_bytes());
        }
        let _ = e.write_all(b"\n");
    }
    let _ = size;
    std::ptr::null_mut()
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if live > HARD_CAP {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            return refuse(layout.size());
        }
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let extra = new_size - layout.size();
            let live = LIVE.fetch_add(extra, Ordering::Relaxed) + extra;
            if live > HARD_CAP {
                LIVE.fetch_sub(extra, Ordering::Relaxed);
                return refuse(new_size);
            }
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Parse,
    Run,
    GenQuery,
    Lesson,
    Csv,
    AppState,
    Json,
}

const TARGETS: &[(Target, &str, usize)] = &[
    // (target, name, inputs in the default fixed-budget pass)
    (Target::Parse, "parse", 3000),
    (Target::Run, "run", 1500),
    (Target::GenQuery, "gen_query", 1500),
    (Target::Lesson, "lesson", 600),
    (Target::Csv, "csv", 1500),
    (Target::AppState, "app_state", 1500),
    (Target::Json, "json", 1500),
];

struct Finding {
    target: &'static str,
    input: String,
    what: String,
}

/// Runs inputs on a worker thread, so that a panic is caught with its input and a hang is
/// noticed (the worker is then abandoned and the test fails).
struct Worker {
    tx: mpsc::Sender<(Target, String)>,
    rx: mpsc::Receiver<Result<usize, String>>,
}

impl Worker {
    fn start() -> Worker {
        let (tx, in_rx) = mpsc::channel::<(Target, String)>();
        let (out_tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(64 << 20)
            .spawn(move || {
                for (target, input) in in_rx {
                    *CURRENT.lock().unwrap() = input.clone();
                    let base = LIVE.load(Ordering::Relaxed);
                    PEAK.store(base, Ordering::Relaxed);
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(target, &input)));
                    let used = PEAK.load(Ordering::Relaxed).saturating_sub(base);
                    let msg = match r {
                        Ok(()) => Ok(used),
                        Err(p) => Err(p
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_else(|| "a panic".into())),
                    };
                    if out_tx.send(msg).is_err() {
                        return;
                    }
                }
            })
            .expect("spawn the fuzz worker");
        Worker { tx, rx }
    }
}

fn one(target: Target, input: &str) {
    match target {
        Target::Parse => harness::parse(input),
        Target::Run | Target::GenQuery => harness::run(input),
        Target::Lesson => harness::lesson(input),
        Target::Csv => {
            let lenient = input.len() % 2 == 1;
            harness::csv(input, lenient)
        }
        Target::AppState => harness::app_state(input),
        Target::Json => harness::json(input),
    }
}

fn seeds() -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut queries = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/cases")).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "kqltest")) {
        let text = std::fs::read_to_string(f).unwrap();
        let mut cur: Option<Vec<&str>> = None;
        for line in text.lines() {
            match &mut cur {
                None if line.starts_with("query") || line == "error" => cur = Some(Vec::new()),
                Some(q) if line == "----" => {
                    queries.push(q.join("\n"));
                    cur = None;
                }
                Some(q) => q.push(line),
                None => {}
            }
        }
    }
    let mut lessons = Vec::new();
    let mut csvs = vec![std::fs::read_to_string(root.join("tests/fixtures/UrlClickEvents.csv")).unwrap()];
    let mut ls: Vec<_> = std::fs::read_dir(root.join("lessons")).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    ls.sort();
    for f in ls {
        match f.extension().and_then(|x| x.to_str()) {
            Some("toml") => {
                let text = std::fs::read_to_string(&f).unwrap();
                if let Ok(l) = kqlab::lesson::parse_lesson(&text) {
                    queries.extend(l.steps.iter().map(|s| s.solution.clone()));
                }
                lessons.push(text);
            }
            Some("csv") => csvs.push(std::fs::read_to_string(&f).unwrap()),
            _ => {}
        }
    }
    let state = vec![
        r#"{"version": 1, "lessons": {"following-the-click": {"current": "recent", "steps": {"recent": {"passed": true, "query": "UrlClickEvents | take 1", "hints": 2, "solution": false}}}}, "last": "following-the-click", "playground": "print 1"}"#.to_string(),
        "lesson=following-the-click&step=spike&q=VXJsQ2xpY2tFdmVudHMgfCB0YWtlIDE".to_string(),
        r#"{"a": [1, 2.5, -3e10, "x\u00e9\"", true, null, {"b": {}}], "c": 9223372036854775807, "d": 1e400}"#.to_string(),
        "[[[[[[[[[[1]]]]]]]]]]".to_string(),
    ];
    (queries, lessons, csvs, state)
}

fn next_input(target: Target, rng: &mut Rng, seeds: &(Vec<String>, Vec<String>, Vec<String>, Vec<String>), vocab: &[String]) -> String {
    let (queries, lessons, csvs, state) = seeds;
    let pick = |rng: &mut Rng, v: &[String]| v[rng.below(v.len())].clone();
    match target {
        Target::Parse | Target::Run => match rng.below(10) {
            0 => {
                // Random bytes (lossily UTF-8).
                let n = rng.below(200);
                let bytes: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            }
            1 => {
                // A random stream of vocabulary tokens.
                let n = rng.below(40);
                (0..n).map(|_| rng.pick(vocab).clone()).collect::<Vec<_>>().join(" ")
            }
            2 => Gen::new(rng).query(),
            _ => {
                let q = pick(rng, queries);
                let other = pick(rng, queries);
                let mut m = gen::mutate(rng, &q, &other, vocab);
                if rng.chance(20) {
                    m = gen::mutate(rng, &m, &other, vocab);
                }
                m
            }
        },
        Target::GenQuery => {
            let q = Gen::new(rng).query();
            if rng.chance(20) {
                let other = pick(rng, queries);
                gen::mutate(rng, &q, &other, vocab)
            } else {
                q
            }
        }
        Target::Lesson => {
            let l = pick(rng, lessons);
            let o = pick(rng, lessons);
            gen::mutate_text(rng, &l, &o)
        }
        Target::Csv => {
            let c = pick(rng, csvs);
            let o = pick(rng, csvs);
            gen::mutate_text(rng, &c, &o)
        }
        Target::AppState | Target::Json => {
            let s = pick(rng, state);
            let o = pick(rng, state);
            gen::mutate_text(rng, &s, &o)
        }
    }
}

#[test]
fn fuzz_bounded() {
    let secs: Option<u64> = std::env::var("KQLAB_FUZZ_SECS").ok().and_then(|s| s.parse().ok());
    let seed: u64 = std::env::var("KQLAB_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x6b716c6162);
    let hang = Duration::from_secs(std::env::var("KQLAB_FUZZ_HANG_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(20));
    let only: Option<String> = std::env::var("KQLAB_FUZZ_TARGETS").ok();
    let seeds = seeds();
    let vocab = gen::vocabulary();
    let _ = harness::catalog();
    let worker = Worker::start();
    let mut findings: Vec<Finding> = Vec::new();
    let mut report = Vec::new();
    for (i, &(target, name, budget)) in TARGETS.iter().enumerate() {
        if only.as_ref().is_some_and(|o| !o.split(',').any(|t| t == name)) {
            continue;
        }
        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let started = Instant::now();
        let mut execs = 0usize;
        let mut slowest = (Duration::ZERO, String::new());
        let mut most_mem = 0usize;
        loop {
            match secs {
                Some(s) if started.elapsed() >= Duration::from_secs(s) => break,
                None if execs >= budget => break,
                _ => {}
            }
            let input = next_input(target, &mut rng, &seeds, &vocab);
            let t0 = Instant::now();
            worker.tx.send((target, input.clone())).unwrap();
            let r = match worker.rx.recv_timeout(hang) {
                Ok(r) => r,
                Err(_) => {
                    findings.push(Finding { target: name, input, what: format!("no answer after {hang:?} (a hang)") });
                    panic_with(&findings);
                }
            };
            let dt = t0.elapsed();
            execs += 1;
            if dt > slowest.0 {
                slowest = (dt, input.clone());
            }
            match r {
                Ok(bytes) => {
                    most_mem = most_mem.max(bytes);
                    if bytes > MAX_INPUT_BYTES {
                        findings.push(Finding { target: name, input, what: format!("used {} MiB of memory", bytes >> 20) });
                    }
                }
                Err(msg) => findings.push(Finding { target: name, input, what: format!("panic: {msg}") }),
            }
            if findings.len() >= 10 {
                panic_with(&findings);
            }
        }
        let el = started.elapsed();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-slowest");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.txt")), &slowest.1);
        let short: String = slowest.1.chars().take(100).collect::<String>().replace('\n', "⏎");
        report.push(format!(
            "{name:<10} {execs:>8} inputs in {:>6.1}s ({:>6.0}/s), slowest {:>5} ms, peak {:>5} MiB per input; slowest: {short}",
            el.as_secs_f64(),
            execs as f64 / el.as_secs_f64().max(1e-9),
            slowest.0.as_millis(),
            most_mem >> 20
        ));
    }
    println!("fuzz_bounded (seed {seed}):");
    for r in &report {
        println!("  {r}");
    }
    if !findings.is_empty() {
        panic_with(&findings);
    }
}

fn panic_with(findings: &[Finding]) -> ! {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    let mut out = format!("{} finding(s), inputs saved in {}:\n", findings.len(), dir.display());
    for (i, f) in findings.iter().enumerate() {
        let _ = std::fs::write(dir.join(format!("{}-{i}.txt", f.target)), &f.input);
        let shown: String = f.input.chars().take(800).collect();
        out.push_str(&format!("\n[{}] {}\n--- input ({} bytes)\n{}\n---\n", f.target, f.what, f.input.len(), shown));
    }
    panic!("{out}");
}
