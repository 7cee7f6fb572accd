//! The engine's front door: a check never runs anything, a compile runs what the binder asks
//! its probe to run (and only that).

use kqlab::bind::{self, Probe};
use kqlab::diag::Diagnostic;
use kqlab::engine::{self, RunOptions};
use kqlab::exec::{self, ExecCtx, Limits};
use kqlab::plan::Plan;
use kqlab::syntax;
use kqlab::table::{Catalog, Table};
use std::cell::Cell;

/// Over 2,000 distinct bag keys: running the input of `bag_unpack` fails on its column limit.
const TOO_MANY_KEYS: &str = "range x from 1 to 5000 step 1 | extend d = bag_pack(tostring(x), 1) | evaluate bag_unpack(d)";

#[test]
fn the_live_check_does_not_run_the_input_of_bag_unpack() {
    let cat = Catalog::new();
    // Running the query meets the limit while finding the plugin's columns...
    let err = engine::run(TOO_MANY_KEYS, &cat, &RunOptions::default()).expect_err("over the column limit");
    assert!(err[0].message.contains("more than 2000 columns"), "{err:?}");
    // ...which a check, running nothing, cannot know: it reports nothing rather than guess.
    assert_eq!(engine::check(TOO_MANY_KEYS, &cat, 0), Vec::<Diagnostic>::new());
}

#[test]
fn the_live_check_reports_mistakes_before_a_data_dependent_plugin_and_none_after_it() {
    let cat = Catalog::new();
    let before = engine::check("print d = dynamic({\"a\": 1}) | where nosuch == 1 | evaluate bag_unpack(d)", &cat, 0);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0].message, "Unknown column 'nosuch'");
    // `a` is a column only once the bag has been read: not a mistake, and the query runs.
    let q = "print d = dynamic({\"a\": 1}) | evaluate bag_unpack(d) | where a == 1";
    assert_eq!(engine::check(q, &cat, 0), Vec::<Diagnostic>::new());
    assert_eq!(engine::run(q, &cat, &RunOptions::default()).expect("runs").table.len(), 1);
    let pivot = "datatable(k: string, v: long) [\"x\", 1, \"y\", 2] | evaluate pivot(k, sum(v)) | where x == 1";
    assert_eq!(engine::check(pivot, &cat, 0), Vec::<Diagnostic>::new());
    assert_eq!(engine::run(pivot, &cat, &RunOptions::default()).expect("runs").table.len(), 1);
    // A declared output schema needs no data: a wrong name after it is still reported.
    let declared = engine::check("print d = dynamic({\"a\": 1}) | evaluate bag_unpack(d) : (a: long) | where b == 1", &cat, 0);
    assert_eq!(declared.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["Unknown column 'b'"]);
}

/// Counts the plans the binder asks to run, and runs them.
struct Counting(Cell<usize>);

impl Probe for Counting {
    fn run(&self, plan: &Plan) -> Result<Table, Diagnostic> {
        self.0.set(self.0.get() + 1);
        exec::execute(plan, &ExecCtx::new(0, Limits::default()))
    }
}

fn bind_counting(q: &str) -> (usize, Result<bind::BoundQuery, Vec<Diagnostic>>) {
    let (script, diags) = syntax::parse(q);
    assert!(diags.is_empty(), "{diags:?}");
    let probe = Counting(Cell::new(0));
    let bound = bind::bind(&script.expect("a script"), &Catalog::new(), &probe);
    (probe.0.get(), bound)
}

#[test]
fn the_binder_runs_something_only_through_its_probe_and_only_for_data_dependent_plugins() {
    let (runs, bound) = bind_counting("print d = dynamic({\"a\": 1, \"b\": 2}) | evaluate bag_unpack(d)");
    assert_eq!(runs, 1);
    let names: Vec<String> = bound.expect("binds").plan.schema.iter().map(|f| f.name.clone()).collect();
    assert_eq!(names, ["a", "b"]);
    for q in ["print d = dynamic({\"a\": 1}) | evaluate bag_unpack(d) : (a: long)", "range x from 1 to 3 step 1 | summarize count() by x"] {
        assert_eq!(bind_counting(q).0, 0, "{q}");
    }
    // The probe's error is the binder's diagnostic, placed on the plugin when it has no span.
    let (runs, bound) = bind_counting(TOO_MANY_KEYS);
    assert_eq!(runs, 1);
    let err = bound.expect_err("over the column limit");
    assert!(err[0].message.contains("more than 2000 columns"), "{err:?}");
}

/// (text, rows) of each stage, for short assertions.
fn stages(query: &str) -> Vec<(String, Option<usize>)> {
    let (_, stages) = engine::run_staged(query, &Catalog::new(), &RunOptions::default()).expect("runs");
    stages.into_iter().map(|s| (s.text, s.rows)).collect()
}

#[test]
fn the_stepper_counts_the_rows_after_each_stage_in_one_run() {
    let q = "datatable(x: long) [1, 2, 3, 4, 5]\n| where x > 2\n| extend y = x * 2\n| take 2";
    let want: Vec<(String, Option<usize>)> = vec![
        ("datatable(x: long) [1, 2, 3, 4, 5]".into(), Some(5)),
        ("where x > 2".into(), Some(3)),
        ("extend y = x * 2".into(), Some(3)),
        ("take 2".into(), Some(2)),
    ];
    assert_eq!(stages(q), want);
    let (result, st) = engine::run_staged(q, &Catalog::new(), &RunOptions::default()).unwrap();
    assert_eq!(result.table.len(), 2, "the result is the query's");
    assert_eq!(st.iter().map(|s| s.columns).collect::<Vec<_>>(), [Some(1), Some(1), Some(2), Some(2)]);
    assert_eq!(&q[st[1].start as usize..st[1].end as usize], "where x > 2");
}

#[test]
fn the_stepper_follows_lets_joins_and_summaries_and_says_when_a_stage_has_no_count_of_its_own() {
    let q = "let T = datatable(k: long, v: string) [1, 'a', 2, 'b', 2, 'c'];\nT | join kind=inner (T | where v != 'a') on k | summarize n = count() by k";
    let s = stages(q);
    assert_eq!(s.iter().map(|(_, r)| *r).collect::<Vec<_>>(), [Some(3), Some(4), Some(1)], "{s:?}");
    // `sort` then `take` run as one `top`: the sort has no count of its own.
    let s = stages("range x from 1 to 10 step 1 | sort by x desc | take 3 | count");
    assert_eq!(s.last().unwrap().1, Some(1));
    assert!(s.iter().all(|(t, r)| r.is_some() || t.starts_with("sort")), "{s:?}");
    // Adjacent filters, which a plain run checks together, each have a count of their own.
    let s = stages("range x from 1 to 10 step 1 | where x > 2 | where x < 6 | count");
    assert_eq!(s.iter().map(|(_, r)| *r).collect::<Vec<_>>(), [Some(10), Some(8), Some(3), Some(1)], "{s:?}");
    // With string and numeric conjuncts (the dictionary and comparison kernels), each where
    // counts its own rows and the traced run gives the plain run's rows.
    let q = "datatable(s: string, n: long) ['alpha x', 1, 'beta x', 2, 'alpha y', 3, 'gamma', 4, 'alpha z', 5]\n| where n > 1 and s has 'alpha'\n| where s != 'alpha y' or n == 3\n| where s contains 'z'";
    let s = stages(q);
    assert_eq!(s.iter().map(|(_, r)| *r).collect::<Vec<_>>(), [Some(5), Some(2), Some(2), Some(1)], "{s:?}");
    let plain = engine::run(q, &Catalog::new(), &RunOptions::at(0)).unwrap();
    let (traced, _) = engine::run_staged(q, &Catalog::new(), &RunOptions::at(0)).unwrap();
    assert_eq!(kqlab::table::write_csv(&plain.table, Default::default()), kqlab::table::write_csv(&traced.table, Default::default()));
    // A single expression: one stage.
    assert_eq!(stages("print a = 1"), [("print a = 1".to_string(), Some(1))]);
}

#[test]
fn the_stepper_shows_the_stages_of_join_sides_and_union_inputs_and_each_stage_s_prefix_runs() {
    let q = "let T = datatable(k: long, v: string) [1, 'a', 2, 'b', 2, 'c'];\nT\n| join kind=inner (T | where v != 'a' | project k, w = v) on k\n| union (T | where k == 1), T\n| count";
    let (_, st) = engine::run_staged(q, &Catalog::new(), &RunOptions::default()).expect("runs");
    let rows = |s: &[engine::Stage]| s.iter().map(|s| (s.text.clone(), s.rows)).collect::<Vec<_>>();
    assert_eq!(st.len(), 4);
    assert_eq!(st[1].inner.len(), 1);
    assert_eq!(st[1].inner[0].label, "right side");
    assert_eq!(rows(&st[1].inner[0].stages), [("T".into(), Some(3)), ("where v != 'a'".into(), Some(2)), ("project k, w = v".into(), Some(2))]);
    // The union's second input has stages; its third (a bare name) adds nothing to show.
    assert_eq!(st[2].inner.len(), 1);
    assert_eq!(st[2].inner[0].label, "input 2");
    assert_eq!(rows(&st[2].inner[0].stages), [("T".into(), Some(3)), ("where k == 1".into(), Some(1))]);
    assert_eq!((st[1].rows, st[2].rows, st[3].rows), (Some(4), Some(8), Some(1)));
    // Each stage's prefix is a query of its own whose rows are the stage's rows.
    for s in engine::Stage::flatten(&st) {
        let r = engine::run(&s.prefix(q), &Catalog::new(), &RunOptions::default()).unwrap_or_else(|e| panic!("{}: {e:?}", s.prefix(q)));
        assert_eq!(Some(r.total_rows), s.rows, "{}", s.prefix(q));
    }
    assert_eq!(st[1].inner[0].stages[1].prefix(q), "let T = datatable(k: long, v: string) [1, 'a', 2, 'b', 2, 'c'];\n\nT | where v != 'a'");
}
