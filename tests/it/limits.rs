//! Resource limits: every runaway query ends with a typed error (`KQL0502`, or `KQL0105` for
//! nesting the parser or binder will not follow) instead of exhausting the browser tab, and
//! ordinary queries near the limits still run. RELIABILITY.md lists each limit with its test.
//!
//! Queries that would be slow even to reach a default limit run with smaller limits (the
//! mechanism is the same); the defaults are checked where that is cheap.

use kqlab::diag::{codes, Diagnostic};
use kqlab::engine::{self, QueryResult, RunOptions};
use kqlab::exec::Limits;
use kqlab::table::Catalog;
use kqlab::types::Value;

fn opts() -> RunOptions {
    RunOptions::default()
}

fn small(f: impl FnOnce(&mut Limits)) -> RunOptions {
    let mut o = RunOptions::default();
    f(&mut o.limits);
    o
}

#[track_caller]
fn ok_with(q: &str, o: &RunOptions) -> QueryResult {
    match engine::run(q, &Catalog::new(), o) {
        Ok(r) => r,
        Err(d) => panic!("{q}\nfailed: {:?}", d.iter().map(|d| format!("{} [{}]", d.message, d.code)).collect::<Vec<_>>()),
    }
}

#[track_caller]
fn ok(q: &str) -> QueryResult {
    ok_with(q, &opts())
}

/// The query fails; returns its first diagnostic after checking the code and that the message
/// mentions `words`.
#[track_caller]
fn fails_with(q: &str, o: &RunOptions, code: &str, words: &str) -> Diagnostic {
    match engine::run(q, &Catalog::new(), o) {
        Ok(r) => panic!("{q}\nexpected {code}, got {} rows", r.total_rows),
        Err(d) => {
            let first = d[0].clone();
            assert_eq!(first.code, code, "{q}\n{first:?}");
            assert!(first.message.contains(words), "{q}\nmessage {:?} does not mention {words:?}", first.message);
            assert!(first.span.end as usize <= q.len());
            first
        }
    }
}

#[track_caller]
fn limit(q: &str, words: &str) -> Diagnostic {
    fails_with(q, &opts(), codes::LIMIT, words)
}

// ---- rows materialised --------------------------------------------------------------------

#[test]
fn a_huge_range_is_refused_before_it_is_built() {
    let d = limit("range x from 1 to 10000000000 step 1", "10,000,000");
    assert_eq!(d.span.start, 0);
    limit("range x from 1.0 to real(+inf) step 1.0", "no end");
    limit("range t from datetime(0001-01-01) to datetime(9999-12-31) step 1tick | count", "stops at");
}

#[test]
fn a_range_whose_step_cannot_move_ends() {
    // 5e-324 added to 3.14 leaves 3.14: once, not forever.
    assert_eq!(ok("range x from 3.14 to 3.14 step 5e-324 | count").table.value(0, 0), Value::Long(1));
    assert_eq!(ok("range x from real(nan) to 1.0 step 1.0 | count").table.value(0, 0), Value::Long(0));
    assert_eq!(ok("range x from 1.0 to real(nan) step 1.0 | count").table.value(0, 0), Value::Long(0));
    // Near the end of the long range, the step would overflow.
    assert_eq!(ok("range x from 9223372036854775800 to 9223372036854775807 step 5 | count").table.value(0, 0), Value::Long(2));
}

#[test]
fn a_join_blow_up_stops_at_the_row_limit() {
    // Every row matches every row (a constant key): 2,000 × 2,000 = 4,000,000 rows.
    let q = "range x from 1 to 2000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 2000 step 1 | extend k = 1) on k";
    let d = fails_with(q, &small(|l| l.max_rows = 100_000), codes::LIMIT, "This join would produce");
    assert!(d.help.is_some());
    // Under the limit the same join runs.
    let r = ok_with(&q.replace("2000", "200"), &small(|l| l.max_rows = 100_000));
    assert_eq!(r.total_rows, 40_000);
}

#[test]
fn an_mv_expand_explosion_stops_at_the_row_limit() {
    let q = "range x from 1 to 1000 step 1 | extend r = range(1, 1000) | mv-expand r";
    fails_with(q, &small(|l| l.max_rows = 100_000), codes::LIMIT, "This mv-expand would produce");
}

#[test]
fn make_series_over_a_huge_axis_is_refused() {
    limit("print t = datetime(2026-01-01) | make-series count() on t from datetime(0001-01-01) to datetime(9999-12-31) step 1s", "bins");
}

#[test]
fn a_union_blow_up_by_doubling_lets_is_refused_quickly() {
    // Forty lets bound one inside the other must fit the browser's 1 MiB stack (an optimised
    // build needs under 128 KiB, measured on a thread of that size; an unoptimised one about
    // 2 MiB, more than a test thread's default: see STACK_FACTOR).
    on_stack((1 << 20) * STACK_FACTOR, union_blow_up);
}

fn union_blow_up() {
    // Each `let` doubles the rows; the plan stays linear in size (shared, not copied).
    let mut q = String::from("let t0 = print x = 1;\n");
    for i in 1..40 {
        q.push_str(&format!("let t{i} = t{} | union t{};\n", i - 1, i - 1));
    }
    q.push_str("t39 | count");
    fails_with(&q, &small(|l| l.max_rows = 1_000_000), codes::LIMIT, "This union would produce");
}

#[test]
fn too_many_cells_are_refused() {
    // 10 million cells is fine for one column, not for 12.
    let cols: Vec<String> = (0..12).map(|i| format!("c{i} = x")).collect();
    let q = format!("range x from 1 to 1000000 step 1 | extend {}", cols.join(", "));
    let d = fails_with(&q, &small(|l| l.max_cells = 10_000_000), codes::LIMIT, "cells");
    assert!(d.message.contains("1,000,000 rows"), "{}", d.message);
    let q = format!("range x from 1 to 1000000 step 1 | project {}", cols.join(", "));
    fails_with(&q, &small(|l| l.max_cells = 10_000_000), codes::LIMIT, "cells");
}

// ---- result rows shown --------------------------------------------------------------------

#[test]
fn the_result_is_truncated_with_the_total_kept() {
    let r = ok_with("range x from 1 to 1000 step 1", &RunOptions { max_result_rows: Some(10), ..opts() });
    assert_eq!(r.table.len(), 10);
    assert_eq!(r.total_rows, 1000);
    assert!(r.truncated());
    assert_eq!(r.table.value(9, 0), Value::Long(10));
    let r = ok_with("range x from 1 to 10 step 1", &RunOptions { max_result_rows: Some(10), ..opts() });
    assert!(!r.truncated());
    // The playground and lessons show at most MAX_SHOWN_ROWS rows.
    let r = kqlab::app::session::run_free("range x from 1 to 600000 step 1", &Catalog::new(), 0).unwrap();
    assert_eq!(r.table.len(), kqlab::app::session::MAX_SHOWN_ROWS);
    assert_eq!(r.total_rows, 600_000);
}

// ---- regular expressions ------------------------------------------------------------------

#[test]
fn regular_expressions_are_bounded_in_text_and_compiled_size() {
    let long = format!("print \"a\" matches regex \"{}\"", "a".repeat(5000));
    limit(&long, "the limit is 4096");
    limit("print \"a\" matches regex \"((a{1000}){1000}){1000}\"", "too large once compiled");
    limit(&format!("print extract(\"{}\", 0, \"a\")", "b".repeat(5000)), "the limit is 4096");
    // A bad regex is an ordinary runtime error, not a limit.
    fails_with("print \"a\" matches regex \"(\"", &opts(), codes::RUNTIME, "not valid");
    // Catastrophic-backtracking patterns run in linear time (regex-lite has no backtracking).
    let r = ok(&format!("print \"{}b\" matches regex \"(a+)+$\"", "a".repeat(5000)));
    assert_eq!(r.table.value(0, 0), Value::Bool(false));
}

// ---- values built by functions ------------------------------------------------------------

#[test]
fn string_building_is_bounded_per_value() {
    // strrep repeats at most 10,000 times (Kusto caps the multiplier too).
    let r = ok("print n = strlen(strrep(\"x\", 100000000))");
    assert_eq!(r.table.value(0, 0), Value::Long(10_000));
    // Nesting would make 10 × 10⁴ × 10⁴ × 10⁴ bytes: refused before it is built.
    limit("print s = strrep(strrep(strrep(\"abcdefghij\", 10000), 10000), 10000)", "strrep() would build a value of");
    // The same checks with a 1 MiB value limit and a 4 MiB budget (the defaults are 32 MiB
    // and 256 MiB; building that much is slow in an unoptimised test build).
    let o = small(|l| {
        l.max_value_bytes = 1 << 20;
        l.max_built_bytes = 4 << 20;
    });
    let lim = |q: &str, words: &str| fails_with(&format!("let s = strrep(\"abcdefghij\", 10000); {q}"), &o, codes::LIMIT, words);
    // s is 100 KB.
    lim("print strcat(s, s, s, s, s, s, s, s, s, s, s)", "strcat() would build");
    lim("print strcat_delim(s, s, s, s, s, s, s, s, s, s, s)", "strcat_delim() would build");
    lim("print replace_string(s, \"a\", s)", "replace_string() would build");
    lim("print replace_regex(s, \"\", s)", "This replacement would build");
    lim("print split(strrep(\",,,,,\", 10000), \",\")", "split() would build");
    lim("print extract_all(\"()\", s)", "extract_all() would build");
    lim("print strcat_array(range(1, 20), s)", "strcat_array() would build");
    // Every use of s builds it again: 60 uses are over the budget.
    lim(&format!("print {}", vec!["strlen(s)"; 60].join(" + ")), "builds more than 4 MiB");
    // What fits is built.
    let r = ok_with("let s = strrep(\"abcdefghij\", 10000); print strlen(strcat(s, s)), strlen(replace_string(s, \"a\", \"AA\"))", &o);
    assert_eq!(r.table.row(0), vec![Value::Long(200_000), Value::Long(110_000)]);
}

#[test]
fn dynamic_values_are_bounded_per_value() {
    limit("print range(1, 100000000)", "range() would produce more than 1048576 elements");
    limit("print pack_array(range(1, 1000000), range(1, 1000000), range(1, 1000000))", "per value");
    limit("print array_concat(range(1, 1000000), range(1, 1000000), range(1, 1000000))", "per value");
    // range() overflowing an i64 in its arithmetic gives the right values.
    let r = ok("print r = range(9223372036854775800, 9223372036854775807, 5), s = range(-9223372036854775807, 9223372036854775807, 9223372036854775807)");
    assert_eq!(r.table.value(0, 0).to_display(), "[9223372036854775800,9223372036854775805]");
    assert_eq!(r.table.value(0, 1).to_display(), "[-9223372036854775807,0,9223372036854775807]");
    assert_eq!(ok("print range(3.14, 3.14, 5e-324)").table.value(0, 0).to_display(), "[3.14]");
    assert_eq!(ok("print range(real(nan), 1.0, 1.0)").table.value(0, 0), Value::Dynamic(kqlab::types::Dynamic::Null));
}

#[test]
fn values_built_for_every_row_share_one_budget() {
    // 100,000 rows × 1,000 bytes = 100 MB of strings: over a 10 MiB budget.
    let q = "range x from 1 to 100000 step 1 | extend s = strcat(x, strrep(\"abcdefghij\", 100))";
    let d = fails_with(q, &small(|l| l.max_built_bytes = 10 << 20), codes::LIMIT, "builds more than 10 MiB");
    assert!(d.help.is_some());
    // Arrays count too.
    let q = "range x from 1 to 100000 step 1 | extend r = range(x, x + 1000)";
    fails_with(q, &small(|l| l.max_built_bytes = 10 << 20), codes::LIMIT, "builds more than 10 MiB");
    // The same string for every row is built once.
    let q = "range x from 1 to 100000 step 1 | extend s = strrep(\"abcdefghij\", 100) | summarize sum(strlen(s))";
    assert_eq!(ok_with(q, &small(|l| l.max_built_bytes = 10 << 20)).table.value(0, 0), Value::Long(100_000_000));
}

#[test]
fn aggregates_that_collect_values_are_capped() {
    // make_list keeps at most 1,048,576 values (Kusto's default), or the given maximum.
    let r = ok("range x from 1 to 1100000 step 1 | summarize l = make_list(x), s = make_set(x, 5), b = make_list(x, 3) | project array_length(l), array_length(s), array_length(b)");
    assert_eq!(r.table.row(0), vec![Value::Long(1_048_576), Value::Long(5), Value::Long(3)]);
    // make_bag over many keys is linear (it was quadratic).
    let r = ok("range x from 1 to 50000 step 1 | summarize b = make_bag(bag_pack(tostring(x), x)) | project n = array_length(bag_keys(b)), m = array_length(bag_keys(bag_merge(b, b)))");
    assert_eq!(r.table.row(0), vec![Value::Long(50_000), Value::Long(50_000)]);
}

#[test]
fn set_functions_and_series_over_large_arrays_finish() {
    // set_difference and set_intersect were quadratic: 17 s for 100,000 elements.
    let r = ok(
        "print d = array_length(set_difference(range(1, 100000), range(2, 100000))), i = array_length(set_intersect(range(1, 100000), range(50001, 150000)))",
    );
    assert_eq!(r.table.row(0), vec![Value::Long(1), Value::Long(50_000)]);
    // A long equal to a real is the same element, as before.
    assert_eq!(ok("print set_difference(dynamic([1, 2.0, 3]), dynamic([1.0, 2]))").table.value(0, 0).to_display(), "[3]");
    let r = ok("print n = array_length(series_outliers(range(1, 200000)))");
    assert_eq!(r.table.value(0, 0), Value::Long(200_000));
}

#[test]
fn percentile_over_a_dynamic_column() {
    // Bound as real; it used to build a dynamic column and panic.
    let r = ok("datatable(y: dynamic) [dynamic(1), dynamic(5), dynamic(\"x\"), dynamic([1])] | summarize p = percentile(y, 100), q = percentiles(y, 0, 50)");
    assert_eq!(r.table.row(0), vec![Value::Real(5.0), Value::Real(1.0), Value::Real(1.0)]);
}

#[test]
fn grouping_operators_are_linear() {
    // top-nested scanned all rows once per group: 10 s for 100,000 groups.
    let r = ok("range x from 1 to 50000 step 1 | top-nested of x by count(), top-nested 1 of x with others = -1 by n = count() | count");
    assert_eq!(r.table.value(0, 0), Value::Long(50_000));
    // bag_unpack stops collecting keys at its column limit (it used to collect all of them,
    // quadratically, first: 23 s for 100,000 keys).
    limit("range x from 1 to 100000 step 1 | extend d = bag_pack(tostring(x), 1) | evaluate bag_unpack(d)", "more than 2000 columns");
    let r = ok("range x from 1 to 1500 step 1 | extend d = bag_pack(tostring(x), x, \"k\", x) | evaluate bag_unpack(d) | summarize sum(k), sum(['1500'])");
    assert_eq!(r.table.row(0), vec![Value::Long(1500 * 1501 / 2), Value::Long(1500)]);
    fails_with(
        "range x from 1 to 1500 step 1 | extend d = bag_pack(tostring(x), x) | evaluate bag_unpack(d)",
        &small(|l| l.max_cells = 100_000),
        codes::LIMIT,
        "cells",
    );
}

// ---- nesting, recursion and size of the query ---------------------------------------------

#[test]
fn deep_nesting_is_refused_by_the_parser() {
    on_stack(8 << 20, deep_nesting);
}

fn deep_nesting() {
    let deep = format!("print {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    fails_with(&deep, &opts(), codes::TOO_DEEP, "nested too deeply");
    let calls = format!("print {}1{}", "abs(".repeat(10_000), ")".repeat(10_000));
    fails_with(&calls, &opts(), codes::TOO_DEEP, "nested too deeply");
    let neg = format!("print {}1", "- ".repeat(100_000));
    fails_with(&neg, &opts(), codes::TOO_DEEP, "nested too deeply");
    let dynamic = format!("print dynamic({}1{})", "[".repeat(100_000), "]".repeat(100_000));
    fails_with(&dynamic, &opts(), codes::BAD_LITERAL, "nested too deeply");
    // dynamic(...) inside dynamic(...): each level goes through the expression parser.
    let dynamics = format!("print {}1{}", "dynamic(".repeat(10_000), ")".repeat(10_000));
    fails_with(&dynamics, &opts(), codes::TOO_DEEP, "nested too deeply");
}

#[test]
fn long_operator_chains_and_pipelines_are_refused_not_overflowing_the_stack() {
    on_stack(8 << 20, long_chains);
}

fn long_chains() {
    // 20,000 terms: the tree is as deep as the chain is long; it used to overflow the stack.
    let chain = format!("print {}", vec!["1"; 20_000].join(" + "));
    fails_with(&chain, &opts(), codes::TOO_DEEP, "nested too deeply");
    // `and` / `or` chains stay flat: an IOC list of 20,000 terms runs.
    let ors = format!("print {}", vec!["false"; 20_000].join(" or ") + " or true");
    assert_eq!(ok(&ors).table.value(0, 0), Value::Bool(true));
    let ands = format!("print x = 5 | where {}", (0..20_000).map(|i| format!("x != {}", i + 10)).collect::<Vec<_>>().join(" and "));
    assert_eq!(ok(&ands).total_rows, 1);
    let pipes = format!("print x = 1{}", " | take 1".repeat(20_000));
    fails_with(&pipes, &opts(), codes::TOO_DEEP, "more than 250 pipeline steps");
    // A limit is reported once, not once per level it unwinds through (an 80-term sum passes
    // the parser's 100 levels and stops at the binder's 64: it used to say so 64 times).
    for q in [pipes, format!("print {}", vec!["1"; 80].join(" + "))] {
        let Err(errors) = engine::run(&q, &Catalog::new(), &opts()) else { panic!("{q} runs") };
        assert_eq!(errors.len(), 1, "{:?}", errors.iter().map(|d| &d.message).collect::<Vec<_>>());
    }
    // A pipeline of 250 steps runs.
    let steps = format!("print x = 1{}", " | where x > 0 | extend y = x".repeat(125));
    assert_eq!(ok(&steps).total_rows, 1);
    // Reasonable lengths run.
    assert_eq!(ok(&format!("print {}", vec!["1"; 50].join(" + "))).table.value(0, 0), Value::Long(50));
    assert_eq!(ok(&format!("print x = 1{}", " | take 1".repeat(50))).total_rows, 1);
}

#[test]
fn recursion_and_exponential_expansion_are_refused() {
    on_stack(16 << 20, recursion_and_expansion);
}

fn recursion_and_expansion() {
    // A function calling itself, directly or not, scalar or tabular: deciding whether its
    // result is a table used to recurse forever (a stack overflow, or a hang once optimised).
    for q in [
        "let f = (x: long) { f(x) }; print f(1)",
        "let f = (x: long) { g(x) }; let g = (x: long) { f(x) }; print f(1)",
        "let f = (T: (l: long)) { T | invoke f() }; print l = 1 | invoke f()",
        "let f = () { f() }; f()",
        "let f = () { f }; f",
        "let f = (x: long) { f(x) }; print x = 1 | where f(x) > 0",
    ] {
        fails_with(q, &opts(), codes::TOO_DEEP, "is a function calling itself?");
    }
    // Each let doubles the expression: 2⁴⁰ nodes.
    let mut q = String::from("let a0 = 1;\n");
    for i in 1..40 {
        q.push_str(&format!("let a{i} = a{} + a{};\n", i - 1, i - 1));
    }
    q.push_str("print a39");
    limit(&q, "too many nested 'let' values");
    // A long chain of lets is as deep as it is long.
    let mut q = String::from("let a0 = 1;\n");
    for i in 1..5000 {
        q.push_str(&format!("let a{i} = a{} + 1;\n", i - 1));
    }
    q.push_str("print a4999");
    limit(&q, "too many nested 'let' values");
    // Each function calls the previous one twice: 2²⁰ calls.
    let mut q = String::from("let f0 = (x: long) { x };\n");
    for i in 1..21 {
        q.push_str(&format!("let f{i} = (x: long) {{ f{}(x) + f{}(x) }};\n", i - 1, i - 1));
    }
    q.push_str("print f20(1)");
    limit(&q, "calls its functions more than 10000 times");
    // Modest use of lets and functions runs.
    let r = ok("let a = 2; let b = a * a; let f = (x: long) { x + b }; print f(a) + f(b)");
    assert_eq!(r.table.value(0, 0), Value::Long(14));
}

#[test]
fn huge_literals_and_query_text() {
    fails_with("print 99999999999999999999", &opts(), codes::BAD_NUMBER, "too large for a long");
    fails_with("print 1e999", &opts(), codes::BAD_NUMBER, "too large for a real");
    fails_with("print datetime(99999-01-01)", &opts(), codes::BAD_LITERAL, "");
    fails_with("print 99999999999999d", &opts(), codes::BAD_NUMBER, "");
    // A long string literal is fine; a query over 1 MiB is refused before it is read.
    let r = ok(&format!("print strlen(\"{}\")", "x".repeat(900_000)));
    assert_eq!(r.table.value(0, 0), Value::Long(900_000));
    let huge = format!("print \"{}\"", "x".repeat(2 << 20));
    let d = fails_with(&huge, &opts(), codes::TOO_DEEP, "the limit is 1048576 bytes");
    assert_eq!(d.span.start, 0);
}

/// Runs `f` on a thread with `stack` bytes of stack, failing the test on an overflow (which
/// aborts the process: the test binary dies, so the failure cannot go unnoticed).
fn on_stack(stack: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(stack).spawn(f).unwrap().join().expect("the thread finishes");
}

/// Unoptimised test builds take far more stack per level than optimised ones (2.3 times in
/// the parser, 15 times in the expression evaluator), so the 1 MiB check is meaningful only
/// in an optimised build: `cargo test --release --test it limits::` (scripts/fuzz.sh runs it).
/// The unoptimised run still proves the recursion is bounded.
const STACK_FACTOR: usize = if cfg!(debug_assertions) { 16 } else { 1 };

/// The browser runs the engine on a 1 MiB stack (Rust's default for wasm32). The deepest
/// queries the parser and binder accept, and the deepest ones the parser refuses, must fit
/// (measured natively: an optimised build needs at most about 512 KiB for them).
#[test]
fn the_deepest_queries_fit_in_a_1_mib_stack() {
    let accepted: Vec<String> = vec![
        format!("print {}1{}", "(".repeat(60), ")".repeat(60)),
        format!("print {}1{}", "abs(".repeat(60), ")".repeat(60)),
        format!("print {}", vec!["1"; 60].join(" + ")),
        format!("print x = 1{}", " | take 1".repeat(60)),
        // The longest pipeline the parser accepts, alone and as a join's right side.
        format!("print x = 1{}", " | where x > 0 | extend y = x".repeat(125)),
        format!("print x = 1 | join (print x = 1{}) on x", " | summarize by x".repeat(247)),
        format!("print x = 1 | where {}", (0..5000).map(|i| format!("x != {i} + 2")).collect::<Vec<_>>().join(" and ")),
        format!("print x = 1{}", " | summarize x = make_list(x)".repeat(60)),
        format!("print x = 1{}", " | join (print x = 1) on x".repeat(30)),
        format!("print dynamic({}1{})", "[".repeat(120), "]".repeat(120)),
        format!("print parse_json('{}1{}')", "[".repeat(120), "]".repeat(120)),
        format!("print {}1{}", "pack_array(".repeat(60), ")".repeat(60)),
        {
            let mut q = String::from("let a0 = 1;\n");
            for i in 1..190 {
                q.push_str(&format!("let a{i} = a{} + 1;\n", i - 1));
            }
            q + "print a189"
        },
    ];
    on_stack(STACK_FACTOR << 20, move || {
        for q in &accepted {
            let _ = engine::run(q, &Catalog::new(), &RunOptions::default());
        }
    });
    let refused: Vec<String> = vec![
        format!("print {}1{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("print {}1{}", "abs(".repeat(10_000), ")".repeat(10_000)),
        format!("print {}1{}", "dynamic([".repeat(10_000), "])".repeat(10_000)),
        format!("print {}", vec!["1"; 10_000].join(" + ")),
        format!("print x = 1{}", " | take 1".repeat(10_000)),
        format!("print x = 1{}", " | take 1".repeat(251)),
        format!("print {}1", "-".repeat(10_000)),
        format!("T | where {}", vec!["x in (T | where y > 1 | project x)"; 200].join(" and ")),
    ];
    on_stack(STACK_FACTOR << 20, move || {
        for q in &refused {
            let r = engine::run(q, &Catalog::new(), &RunOptions::default());
            assert!(r.is_err());
        }
    });
}
