//! Times the lesson Markdown renderer over every text of every lesson in `lessons/`
//! (narratives, tasks, explanations and hints), as the lesson pane renders them.
//!
//!     cargo run --release --example markdown_bench          # timing
//!     cargo run --release --example markdown_bench -- dump  # the HTML, to compare renderers

use kqlab::view::markdown::{to_html_with, Options};

fn main() {
    let mut texts: Vec<String> = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("lessons").expect("run from the repository root").map(|e| e.expect("a directory entry").path()).collect();
    paths.sort();
    for p in paths {
        if p.extension().and_then(|s| s.to_str()) != Some("toml") || p.ends_with("index.toml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("a readable lesson");
        let lesson = kqlab::lesson::format::parse_lesson(&text).unwrap_or_else(|e| panic!("{}: {e:?}", p.display()));
        for s in &lesson.steps {
            texts.extend([s.narrative.clone(), s.task.clone(), s.explanation.clone()]);
            texts.extend(s.hints.iter().cloned());
        }
    }
    let highlight = |s: &str| kqlab::syntax::highlight(s);
    let opts = Options { heading_offset: 2, highlight_kql: Some(&highlight) };
    if std::env::args().nth(1).as_deref() == Some("dump") {
        for s in &texts {
            println!("=====\n{}", to_html_with(s, &opts));
        }
        return;
    }
    let passes = 200;
    let mut best = f64::MAX;
    let mut out = 0;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        out = 0;
        for _ in 0..passes {
            out += texts.iter().map(|s| to_html_with(s, &opts).len()).sum::<usize>();
        }
        best = best.min(start.elapsed().as_secs_f64() / passes as f64);
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} texts, {bytes} bytes of Markdown, {} bytes of HTML: {:.3} ms per rendering of all lessons (best of 5 × {passes})",
        texts.len(),
        out / passes,
        best * 1e3
    );
}
