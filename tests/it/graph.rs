//! The graph operators' limits: a pattern search that would list too many matches, or walk too
//! many edges, ends with `KQL0502` instead of exhausting the browser tab. (Their behaviour is
//! specified by tests/cases/graph_*.kqltest.)

use kqlab::diag::codes;
use kqlab::engine::{self, RunOptions};
use kqlab::table::Catalog;

fn with_rows(max_rows: usize) -> RunOptions {
    let mut o = RunOptions::default();
    o.limits.max_rows = max_rows;
    o
}

/// A graph of 20 nodes and 400 edges: long paths between any two nodes are countless.
const DENSE: &str = "range i from 0 to 399 step 1 | extend a = i % 20, b = (i * 7 + 3) % 20 | make-graph a --> b with_node_id=n";

#[test]
fn too_many_matches_end_with_a_limit_error() {
    let q = format!("{DENSE} | graph-match (x)-[p*1..6]->(y) project x.n, y.n");
    let err = engine::run(&q, &Catalog::new(), &with_rows(1000)).expect_err("the search must stop");
    assert_eq!(err[0].code, codes::LIMIT, "{:?}", err[0]);
    assert!(err[0].message.contains("more than 1,000 matches"), "{}", err[0].message);
    assert!(err[0].help.as_deref().unwrap_or("").contains("fewer hops"), "{:?}", err[0].help);
}

#[test]
fn a_long_search_without_matches_ends_with_a_limit_error() {
    // No node is called -1, so nothing matches, but every path from every node is walked.
    let q = format!("{DENSE} | graph-match (x)-[p*1..8]->(y) where y.n == -1 project x.n");
    let err = engine::run(&q, &Catalog::new(), &with_rows(1000)).expect_err("the search must stop");
    assert_eq!(err[0].code, codes::LIMIT, "{:?}", err[0]);
    assert!(err[0].message.contains("more than 50,000 steps"), "{}", err[0].message);
}

#[test]
fn the_same_search_within_the_limits_runs() {
    let q = format!("{DENSE} | graph-match (x)-[p*1..2]->(y) where x.n == 0 and y.n == 1 project x.n | count");
    let r = engine::run(&q, &Catalog::new(), &with_rows(1000)).unwrap_or_else(|d| panic!("{:?}", d));
    assert_eq!(r.table.len(), 1);
}
