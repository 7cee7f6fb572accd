//! What the pipeline stepper costs: every lesson step's solution run plainly (`engine::run`)
//! and traced (`engine::run_staged`, which every lesson run now uses), median of 9 runs each,
//! on the lesson's own data. Prints one line per step and the totals.
//!
//!     cargo run --release --example stepper_cost
use kqlab::engine::{self, RunOptions};
use std::time::Instant;

fn median_ms(f: &dyn Fn()) -> f64 {
    let mut v: Vec<f64> = (0..9)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[4]
}

fn main() {
    let clock = kqlab::types::time::parse_datetime("2026-12-07T12:00:00Z").expect("a datetime");
    let mut paths: Vec<_> = std::fs::read_dir("lessons").expect("run from the repository root").filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let (mut plain_total, mut traced_total, mut steps) = (0.0, 0.0, 0);
    println!("{:24} {:28} {:>9} {:>9} {:>6}", "lesson", "step", "plain ms", "traced ms", "ratio");
    for p in paths {
        if p.extension().and_then(|e| e.to_str()) != Some("toml") || p.ends_with("index.toml") {
            continue;
        }
        let Ok(lesson) = kqlab::lesson::parse_lesson(&std::fs::read_to_string(&p).expect("readable")) else { continue };
        let dir = p.parent().expect("in lessons/").to_path_buf();
        let load = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
        let cat = kqlab::lesson::dataset::catalog_for(&lesson, clock, &load).expect("the lesson's data");
        let opts = RunOptions::at(clock);
        for s in lesson.steps.iter().filter(|s| s.question.is_none()) {
            let _ = engine::run(&s.solution, &cat, &opts); // tables made on first use
            let plain = median_ms(&|| drop(engine::run(&s.solution, &cat, &opts)));
            let traced = median_ms(&|| drop(engine::run_staged(&s.solution, &cat, &opts)));
            println!("{:24} {:28} {plain:9.3} {traced:9.3} {:6.2}", lesson.id, s.id, traced / plain.max(1e-6));
            plain_total += plain;
            traced_total += traced;
            steps += 1;
        }
    }
    println!("{steps} steps: plain {plain_total:.2} ms, traced {traced_total:.2} ms, ratio {:.3}", traced_total / plain_total);
}
