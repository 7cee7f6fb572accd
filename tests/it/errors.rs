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

    2:22: Unknown column 'Url' [KQL0202]
      |
    2 | | project AcountUpn, Url
      |                      ^^^
      = help: The columns here are: AccountUpn
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

#[test]
fn unquoted_text_gets_a_suggestion_to_quote_it() {
    insta::assert_snapshot!(rendered("datatable(Url: string) [\"a\"]\n| where Url contains contoso-login"), @r#"
    2:22: Unknown column 'contoso' [KQL0202]
      |
    2 | | where Url contains contoso-login
      |                      ^^^^^^^^^^^^^
      = help: To match the text contoso-login, put it in quotes: "contoso-login"
    "#);
    insta::assert_snapshot!(rendered("datatable(Url: string) [\"a\"]\n| where Url has login.microsoftonline.com"), @r#"
    2:17: Unknown column 'login' [KQL0202]
      |
    2 | | where Url has login.microsoftonline.com
      |                 ^^^^^^^^^^^^^^^^^^^^^^^^^
      = help: To match the text login.microsoftonline.com, put it in quotes: "login.microsoftonline.com"
    "#);
    insta::assert_snapshot!(rendered("datatable(Url: string) [\"a\"]\n| where Url == phishing"), @r#"
    2:16: Unknown column 'phishing' [KQL0202]
      |
    2 | | where Url == phishing
      |                ^^^^^^^^
      = help: To match the text phishing, put it in quotes: "phishing"
    "#);
}

#[test]
fn independent_binder_errors_are_all_reported_without_cascades() {
    // Three separate mistakes in three steps; `y` is not reported again after its
    // definition failed.
    insta::assert_snapshot!(
        rendered("datatable(AccountUpn: string, Url: string) [\"a\", \"b\"]\n| where AcountUpn == \"x\"\n| extend y = Foo + 1\n| where y > 2\n| project Url, Tmestamp"),
        @r#"
    2:9: Unknown column 'AcountUpn' [KQL0202]
      |
    2 | | where AcountUpn == "x"
      |         ^^^^^^^^^
      = help: Did you mean 'AccountUpn'?

    3:14: Unknown column 'Foo' [KQL0202]
      |
    3 | | extend y = Foo + 1
      |              ^^^
      = help: The columns here are: AccountUpn, Url

    5:16: Unknown column 'Tmestamp' [KQL0202]
      |
    5 | | project Url, Tmestamp
      |                ^^^^^^^^
      = help: The columns here are: AccountUpn, Url
    "#
    );
    // Two mistakes in one summarize.
    insta::assert_snapshot!(rendered("datatable(AccountUpn: string, Url: string) [\"a\", \"b\"]\n| summarize dcount(Ur) by AcountUpn"), @r"
    2:20: Unknown column 'Ur' [KQL0202]
      |
    2 | | summarize dcount(Ur) by AcountUpn
      |                    ^^
      = help: Did you mean 'Url'?

    2:27: Unknown column 'AcountUpn' [KQL0202]
      |
    2 | | summarize dcount(Ur) by AcountUpn
      |                           ^^^^^^^^^
      = help: Did you mean 'AccountUpn'?
    ");
}

#[test]
fn a_failed_project_column_is_not_reported_again_later() {
    let q = "print a = 1\n| project b = Bad, a\n| where b > 1 and a > 0 and zz == 1";
    let Err(ds) = engine::run(q, &Catalog::new(), &RunOptions::default()) else { panic!("expected errors") };
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["Unknown column 'Bad'", "Unknown column 'zz'"]);
}

#[test]
fn a_failed_let_is_reported_once_not_again_where_it_is_used() {
    // The learner's one mistake is inside the `let`; the uses of `X` and `n` below are not
    // new mistakes (before this fix "Unknown name 'n'" followed the scalar's error).
    let Err(ds) = engine::run("let X = datatable(a: long) [1] | where Nope == 1;\nX | count", &Catalog::new(), &RunOptions::default()) else {
        panic!("expected errors")
    };
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["Unknown column 'Nope'"]);
    let q = "let X = datatable(a: long) [1] | where Nope == 1;\nlet n = Missing + 1;\nX | take n | union X";
    let Err(ds) = engine::run(q, &Catalog::new(), &RunOptions::default()) else { panic!("expected errors") };
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["Unknown column 'Nope'", "Unknown name 'Missing'"]);
    // A name that was never defined is still reported.
    let Err(ds) = engine::run("let X = datatable(a: long) [1] | where Nope == 1;\nY | count", &Catalog::new(), &RunOptions::default()) else {
        panic!("expected errors")
    };
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["Unknown column 'Nope'", "Unknown table 'Y'"]);
}
