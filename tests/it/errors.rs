//! Rendered error messages (caret under the span), as learners and the CLI see them.

use kqlab::diag::render_text_all;
use kqlab::engine::{self, RunOptions};
use kqlab::table::Catalog;

fn rendered(q: &str) -> String {
    match engine::run(q, &Catalog::new(), &RunOptions::default()) {
        Ok(_) => panic!("expected an error for {q}"),
        Err(ds) => render_text_all(q, &ds),
    }
}

#[test]
fn caret_under_the_unknown_column() {
    insta::assert_snapshot!(rendered("datatable(AccountUpn: string) [\"a\"]\n| project AcountUpn, Url"), @r"
    2:11: Unknown column 'AcountUpn' [KQL0202]
      |
    2 | | project AcountUpn, Url
      |           ^^^^^^^^^
      = help: Did you mean 'AccountUpn'?
    ");
}

#[test]
fn several_syntax_errors_are_reported() {
    insta::assert_snapshot!(rendered("print x = 1\n| wher x > 1\n| project ,"), @r"
    2:3: 'wher' is not a KQL operator [KQL0102]
      |
    2 | | wher x > 1
      |   ^^^^
      = help: Did you mean 'where'?

    3:11: expected a column name or expression after 'project', found ',' [KQL0101]
      |
    3 | | project ,
      |           ^
    ");
}

#[test]
fn end_of_query_is_pointed_at() {
    insta::assert_snapshot!(rendered("print 1 | where"), @r"
    1:16: expected a condition after 'where', found the end of the query [KQL0101]
      |
    1 | print 1 | where
      |                ^
    ");
}
