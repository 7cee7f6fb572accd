fn main() {
    let q = std::env::args().nth(1).unwrap();
    let cat = kqlab::table::Catalog::new();
    match kqlab::engine::run(&q, &cat, &kqlab::engine::RunOptions::at(kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap())) {
        Ok(r) => print!("{}", kqlab::table::format::to_text(&r.table)),
        Err(ds) => print!("{}", kqlab::diag::render_text_all(&q, &ds)),
    }
}
