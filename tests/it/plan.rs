//! The plan's own walks: children in reading order, a pre-order visit, and the questions the
//! lesson checker asks of a bound solution.

use kqlab::engine::{self, RunOptions};
use kqlab::plan::{Node, OutputKey, OutputOrder, Plan};
use kqlab::table::Catalog;

const T: &str = "let T = datatable(a: long, b: string, c: long) [3, \"x\", 1, 1, \"y\", 2, 2, \"x\", 3, 2, \"z\", 4];\n";

fn plan(q: &str) -> Plan {
    engine::compile(&format!("{T}{q}"), &Catalog::new(), 0).unwrap_or_else(|d| panic!("{q}: {d:?}")).plan
}

fn kind(p: &Plan) -> &'static str {
    match &p.node {
        Node::Scan(_) => "scan",
        Node::Join(_) => "join",
        Node::Union(_) => "union",
        Node::Filter(_) => "filter",
        Node::Project(_) => "project",
        Node::Shared(_) => "shared",
        Node::Aggregate(_) => "aggregate",
        Node::MvApply(_) => "mv-apply",
        Node::Implicit => "implicit",
        Node::Sort(_) => "sort",
        Node::Top(_) => "top",
        _ => "other",
    }
}

#[test]
fn children_come_in_reading_order_and_walk_visits_every_node_once() {
    let p = plan("T | where a > 1 | join kind=inner (T | project a, d = c) on a");
    let Node::Join(j) = &p.node else { panic!("{}", p.display_indent()) };
    let children = p.children();
    assert_eq!(children.len(), 2);
    assert!(std::ptr::eq(children[0], &*j.left) && std::ptr::eq(children[1], &*j.right));
    let mut seen = Vec::new();
    p.walk(&mut |n| seen.push(kind(n)));
    assert_eq!(seen.len(), p.display_indent().lines().count(), "one visit per printed node");
    assert_eq!(seen[0], "join");
    assert_eq!(plan("union T, T, T").children().len(), 3);
    let apply = plan("print d = dynamic([1, 2]) | mv-apply x = d to typeof(long) on (summarize s = sum(x))");
    let kids: Vec<&str> = apply.children().into_iter().map(kind).collect();
    assert_eq!(kids.len(), 2, "{}", apply.display_indent());
    assert_eq!(kids[1], "aggregate", "the per-row subquery comes after the input");
    assert_eq!(kind(&plan("T")), "scan");
    assert!(plan("T").children().is_empty(), "a stored or constant table reads no plan");
}

#[test]
fn children_mut_rewrites_owned_inputs_in_place() {
    let mut p = plan("T | where a > 1 | take 2");
    for c in p.children_mut() {
        // Replace the filter under the take by its own input.
        let inner = c.children()[0].clone();
        *c = inner;
    }
    let out = engine::execute(&p, &RunOptions::default()).expect("runs");
    assert_eq!(out.len(), 2);
    assert_eq!(out.value(0, 0), kqlab::types::Value::Long(3), "the first row of T, which the filter kept out before");
}

#[test]
fn output_order_maps_sort_keys_to_output_columns() {
    // Kusto puts nulls last in descending order and first in ascending order.
    let key = |column, desc: bool| OutputKey { column, desc, nulls_first: !desc };
    assert_eq!(plan("T | sort by a desc | project b, a").output_order(), OutputOrder { sorted: true, keys: vec![key(1, true)], has_top: false });
    assert_eq!(plan("T | top 2 by c asc | where a > 0").output_order(), OutputOrder { sorted: true, keys: vec![key(2, false)], has_top: true });
    // A key that is not an output column: sorted, but only the exact order can be compared.
    assert_eq!(plan("T | sort by a | project b").output_order(), OutputOrder { sorted: true, keys: vec![], has_top: false });
    assert_eq!(plan("T | sort by a + 1").output_order(), OutputOrder { sorted: true, keys: vec![], has_top: false });
    // A summarize after the sort forgets the order.
    assert_eq!(plan("T | sort by a | summarize count() by b").output_order(), OutputOrder::default());
}

#[test]
fn collection_columns_are_make_set_and_make_list_outputs_through_row_preserving_steps() {
    assert_eq!(
        plan("T | summarize s = make_set(a), n = count(), l = make_list(c) by b | project n, l, b, s").collection_columns(),
        [3, 1],
        "in aggregate order"
    );
    assert_eq!(plan("T | summarize s = make_set(a) by b | sort by b | take 1").collection_columns(), [1]);
    assert!(plan("T | summarize s = make_set(a) by b | extend k = 1 | project k").collection_columns().is_empty());
    assert!(plan("T | project a").collection_columns().is_empty());
}

#[test]
fn without_top_limit_keeps_every_candidate_in_order() {
    let p = plan("T | top 2 by a desc | project a, b");
    let all = p.without_top_limit();
    assert!(!all.display_indent().contains("Top"), "{}", all.display_indent());
    let rows = engine::execute(&all, &RunOptions::default()).expect("runs");
    assert_eq!(rows.len(), 4);
    let firsts: Vec<String> = (0..4).map(|r| rows.value(r, 0).to_display()).collect();
    assert_eq!(firsts, ["3", "2", "2", "1"]);
    assert_eq!(engine::execute(&p, &RunOptions::default()).expect("runs").len(), 2, "the original plan is unchanged");
}

/// The bound plan of every conformance query, one snapshot file per case file
/// (`tests/cases/plans/NAME.plan`), so a change to the binder shows up as a reviewable diff.
/// `UPDATE_PLANS=1` rewrites them from the current binder (then review the diff).
#[test]
fn bound_plans_of_the_conformance_queries_match_their_snapshots() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var("UPDATE_PLANS").is_ok();
    let cat = crate::cases::catalog();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "kqltest")).collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut stale = Vec::new();
    for path in files {
        let (cases, _) = crate::cases::parse_file(&std::fs::read_to_string(&path).unwrap());
        let mut text = String::new();
        for c in &cases {
            text.push_str(&format!("## line {}\n{}\n--\n", c.line, c.query));
            match engine::compile(&c.query, &cat, crate::cases::clock()) {
                Ok(b) => text.push_str(&b.plan.display_indent()),
                Err(ds) => ds.iter().for_each(|d| text.push_str(&format!("error {} at {}..{}\n", d.code, d.span.start, d.span.end))),
            }
            text.push('\n');
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let snap = dir.join("plans").join(format!("{stem}.plan"));
        if update {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            std::fs::write(&snap, &text).unwrap();
        } else {
            let old = std::fs::read_to_string(&snap).unwrap_or_default();
            if old != text {
                // Name the first case whose plan changed, with both versions.
                let (a, b): (Vec<&str>, Vec<&str>) = (old.split("\n## ").collect(), text.split("\n## ").collect());
                let i = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)).unwrap_or(0);
                stale.push(format!(
                    "tests/cases/plans/{stem}.plan, first change:\n--- snapshot\n{}\n--- now\n{}",
                    a.get(i).unwrap_or(&"(nothing)"),
                    b.get(i).unwrap_or(&"(nothing)")
                ));
            }
        }
    }
    assert!(stale.is_empty(), "the bound plans differ from these snapshots (run with UPDATE_PLANS=1 and review the diff): {}", stale.join("\n\n"));
}
