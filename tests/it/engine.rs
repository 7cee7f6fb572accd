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
