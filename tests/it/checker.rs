//! The answer checker, rule by rule: for each rule a learner result that passes and one that
//! fails with the right explanation.

use kqlab::lesson::check::{answer_digest, check_answer, check_query, expected_for, Reason, Status};
use kqlab::lesson::format::{CheckOptions, ColumnRule, OrderRule};
use kqlab::table::Catalog;

const DATA: &str = r#"let Clicks = datatable(Timestamp: datetime, AccountUpn: string, Url: string, Score: real)
[datetime(2026-11-20 10:00), "alice@contoso.com", "https://contoso-login.com/a", 1.0,
 datetime(2026-11-21 09:00), "bob@contoso.com", "https://contoso-login.com/b", 2.0,
 datetime(2026-11-21 11:00), "carol@contoso.com", "https://news.example/x", 3.0,
 datetime(2026-11-10 08:00), "dave@contoso.com", "https://contoso-login.com/c", 4.0,
 datetime(2026-11-21 11:00), "erin@contoso.com", "https://contoso-login.com/d", 5.0];
"#;

fn q(body: &str) -> String {
    format!("{DATA}{body}")
}

fn verdict(solution: &str, learner: &str, opts: &CheckOptions) -> kqlab::lesson::Verdict {
    let cat = Catalog::new();
    let clock = kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap();
    let exp = expected_for(&q(solution), &cat, clock, opts).expect("solution runs");
    check_query(&q(learner), &exp, &cat, clock, opts)
}

fn pass(solution: &str, learner: &str) {
    let v = verdict(solution, learner, &CheckOptions::default());
    assert_eq!(v.status, Status::Pass, "expected pass for {learner}: {}", v.message);
}

fn fail(solution: &str, learner: &str, reason: Reason, needle: &str) {
    let v = verdict(solution, learner, &CheckOptions::default());
    assert_eq!(v.status, Status::Fail, "expected a fail for {learner}");
    assert_eq!(v.reason, Some(reason), "{}", v.message);
    assert!(v.message.contains(needle), "message {:?} lacks {:?}", v.message, needle);
}

const RECENT: &str = "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url | order by Timestamp desc";

#[test]
fn identical_and_equivalent_queries_pass() {
    pass(RECENT, RECENT);
    pass(RECENT, "Clicks | where Timestamp >= ago(7d) | sort by Timestamp desc | project Timestamp, AccountUpn, Url");
}

#[test]
fn rows_tied_on_the_sort_key_may_come_in_any_order() {
    // carol and erin share 2026-11-21 11:00; the solution sorts by Timestamp only.
    pass(RECENT, "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url | order by Timestamp desc, AccountUpn desc");
    pass(RECENT, "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url | order by Timestamp desc, AccountUpn asc");
}

#[test]
fn wrong_sort_direction_is_an_order_failure() {
    fail(RECENT, "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url | order by Timestamp asc", Reason::RowOrder, "newest first");
}

#[test]
fn unordered_solution_accepts_any_order() {
    let sol = "Clicks | where Url contains \"contoso-login\" | project AccountUpn";
    pass(sol, "Clicks | where Url contains \"contoso-login\" | project AccountUpn | sort by AccountUpn asc");
    let opts = CheckOptions { order: OrderRule::Strict, ..Default::default() };
    let v = verdict(sol, "Clicks | where Url contains \"contoso-login\" | project AccountUpn | sort by AccountUpn desc", &opts);
    assert_eq!(v.reason, Some(Reason::RowOrder), "{}", v.message);
}

#[test]
fn forgetting_the_time_filter_gets_a_hint() {
    fail(RECENT, "Clicks | project Timestamp, AccountUpn, Url | order by Timestamp desc", Reason::RowCount, "Did you keep only the events of the last 7 days?");
    fail(
        RECENT,
        "Clicks | project Timestamp, AccountUpn, Url | order by Timestamp desc",
        Reason::RowCount,
        "Your result has 5 rows; the expected answer has 4.",
    );
}

#[test]
fn missing_extra_and_misordered_columns() {
    fail(
        RECENT,
        "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn | order by Timestamp desc",
        Reason::MissingColumn,
        "Column `Url` is missing",
    );
    fail(RECENT, "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url, Score | order by Timestamp desc", Reason::ExtraColumn, "`Score`");
    fail(
        RECENT,
        "Clicks | where Timestamp > ago(7d) | project AccountUpn, Timestamp, Url | order by Timestamp desc",
        Reason::ColumnOrder,
        "Expected: Timestamp, AccountUpn, Url",
    );
    fail(
        RECENT,
        "Clicks | where Timestamp > ago(7d) | project Timestamp, accountupn = AccountUpn, Url | order by Timestamp desc",
        Reason::MissingColumn,
        "case-sensitive",
    );
}

#[test]
fn any_names_compares_positions_and_types() {
    let sol = "Clicks | summarize count() by AccountUpn";
    let opts = CheckOptions { columns: ColumnRule::AnyNames, ..Default::default() };
    assert_eq!(verdict(sol, "Clicks | summarize Clicks = count() by User = AccountUpn", &opts).status, Status::Pass);
    let v = verdict(sol, "Clicks | summarize Clicks = count() by User = AccountUpn | project Clicks, User", &opts);
    assert_eq!(v.reason, Some(Reason::ColumnType), "{}", v.message);
}

#[test]
fn wrong_values_name_the_row_and_column() {
    let sol = "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn | order by Timestamp asc";
    fail(
        sol,
        "Clicks | where Timestamp > ago(7d) | extend AccountUpn = iff(AccountUpn startswith \"bob\", \"mallory@contoso.com\", AccountUpn) | project Timestamp, AccountUpn | order by Timestamp asc",
        Reason::Values,
        "Row 2 differs: AccountUpn is `mallory@contoso.com`, expected `bob@contoso.com`.",
    );
}

#[test]
fn reals_are_compared_with_a_tolerance() {
    let sol = "Clicks | summarize avg(Score)";
    pass(sol, "Clicks | summarize avg_Score = sum(Score) / count()");
    pass(sol, "Clicks | summarize avg_Score = avg(Score) + 0.0000000001");
    fail(sol, "Clicks | summarize avg_Score = avg(Score) + 0.01", Reason::Values, "avg_Score");
}

#[test]
fn top_accepts_any_row_among_ties_at_the_cut_off() {
    // Two clicks share the latest timestamp; top 1 may return either.
    let sol = "Clicks | top 1 by Timestamp | project AccountUpn, Timestamp";
    pass(sol, "Clicks | top 1 by Timestamp | project AccountUpn, Timestamp");
    pass(sol, "Clicks | order by Timestamp desc, AccountUpn desc | take 1 | project AccountUpn, Timestamp");
    pass(sol, "Clicks | order by Timestamp desc, AccountUpn asc | take 1 | project AccountUpn, Timestamp");
    fail(sol, "Clicks | top 1 by Timestamp asc | project AccountUpn, Timestamp", Reason::Values, "expected");
}

#[test]
fn top_in_the_wrong_direction_says_so() {
    // The answer keeps the three highest scores; `asc` keeps the three lowest.
    let sol = "Clicks | top 3 by Score | project AccountUpn, Score";
    fail(
        sol,
        "Clicks | top 3 by Score asc | project AccountUpn, Score",
        Reason::Values,
        "sorted the other way: smallest Score first, but the answer has largest Score first",
    );
    let v = verdict(sol, "Clicks | top 3 by Score asc | project AccountUpn, Score", &CheckOptions::default());
    assert!(v.message.contains("`asc`/`desc`"), "{}", v.message);
    // A different mistake sorted the right way keeps the row-by-row explanation.
    fail(sol, "Clicks | where Score < 5 | top 3 by Score | project AccountUpn, Score", Reason::Values, "Row 1 differs");
}

#[test]
fn rows_in_reverse_order_are_named_as_such() {
    fail(
        RECENT,
        "Clicks | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url | order by Timestamp asc",
        Reason::RowOrder,
        "in reverse order: the answer has newest first (by Timestamp), yours are oldest first",
    );
    // Shuffled (neither direction) is not called reversed.
    let v = verdict(
        RECENT,
        "Clicks | where Timestamp > ago(7d) | order by iff(AccountUpn startswith \"bob\", 0, 1) asc, Timestamp desc | project Timestamp, AccountUpn, Url",
        &CheckOptions::default(),
    );
    assert_eq!(v.reason, Some(Reason::RowOrder));
    assert!(!v.message.contains("reverse"), "{}", v.message);
}

#[test]
fn a_query_with_an_error_is_not_wrong_but_an_error() {
    let v = verdict(RECENT, "Clicks | where Timestamp > ago(7d) | project Timestamp, AcountUpn", &CheckOptions::default());
    assert_eq!(v.status, Status::Error);
    assert!(v.message.contains("Unknown column 'AcountUpn'"), "{}", v.message);
    assert!(v.message.contains("line 7"), "{}", v.message);
    assert_eq!(v.diagnostics[0].help.as_deref(), Some("Did you mean 'AccountUpn'?"));
}

#[test]
fn a_preview_shows_the_first_differing_rows() {
    let v = verdict(RECENT, "Clicks | project Timestamp, AccountUpn, Url | order by Timestamp desc", &CheckOptions::default());
    let p = v.preview.expect("preview");
    assert_eq!(p.columns, vec!["Timestamp", "AccountUpn", "Url"]);
    assert!(!p.expected.is_empty() && !p.yours.is_empty());
}

#[test]
fn typed_answers_are_checked_by_digest() {
    let d = answer_digest("lesson", "step", "1204");
    assert_eq!(check_answer("lesson", "step", " 1,204 ", &d).status, Status::Pass);
    assert_eq!(check_answer("lesson", "step", "1204.0", &d).status, Status::Pass);
    assert_eq!(check_answer("lesson", "step", "1203", &d).status, Status::Fail);
    assert_eq!(check_answer("other", "step", "1204", &d).status, Status::Fail, "the digest is salted with the lesson and step");
    let t = answer_digest("l", "s", "Bob@Contoso.com");
    assert_eq!(check_answer("l", "s", "bob@contoso.com", &t).status, Status::Pass);
}

#[test]
fn make_set_arrays_compare_as_sets() {
    let sol = "Clicks | summarize Urls = make_set(Url)";
    pass(sol, "Clicks | order by Url desc | summarize Urls = make_set(Url)");
    fail(sol, "Clicks | where Score > 1 | summarize Urls = make_set(Url)", Reason::Values, "Urls");
}

#[test]
fn hedged_or_several_answers_are_rejected() {
    let d = answer_digest("l", "s", "65");
    for hedged in ["65 or 66", "65 66", "about 65", "65%", "~65", "65-66", "65, 66", "6,5", "65 clicks"] {
        let v = check_answer("l", "s", hedged, &d);
        assert_eq!(v.status, Status::Fail, "{hedged:?} names more than the one value");
    }
    let d = answer_digest("l", "s", "18");
    for hedged in ["18 or 20", "18/20", "18 20", "18 (or 17)"] {
        assert_eq!(check_answer("l", "s", hedged, &d).status, Status::Fail, "{hedged:?}");
    }
    let v = check_answer("l", "s", "18 or 20", &d);
    assert!(v.message.contains("more than one value"), "{}", v.message);
    let v = check_answer("l", "s", "about 18", &d);
    assert!(v.message.contains("only the value"), "{}", v.message);
}

#[test]
fn the_documented_answer_forms_are_accepted() {
    let d = answer_digest("l", "s", "1234");
    for ok in ["1234", " 1234 ", "1,234", "1 234", "1_234", "1234.0", "1234.00", "\"1234\"", "`1234`", "+1234"] {
        assert_eq!(check_answer("l", "s", ok, &d).status, Status::Pass, "{ok:?}");
    }
    for bad in ["12,34", "1,2345", "1234.", "1.234e3", "1234 1234"] {
        assert_eq!(check_answer("l", "s", bad, &d).status, Status::Fail, "{bad:?}");
    }
    let d = answer_digest("l", "s", "12.5");
    assert_eq!(check_answer("l", "s", "12.50", &d).status, Status::Pass);
    let d = answer_digest("l", "s", "ClickBlockedByTenantPolicy");
    assert_eq!(check_answer("l", "s", "  clickblockedbytenantpolicy ", &d).status, Status::Pass);
    let d = answer_digest("l", "s", "Contoso Login Portal");
    assert_eq!(check_answer("l", "s", "contoso   login  portal", &d).status, Status::Pass, "runs of spaces count as one");
    let d = answer_digest("l", "s", "10.1.2.3");
    let v = check_answer("l", "s", "10.1.2.4", &d);
    assert!(v.message.contains("is not the answer"), "an address is one value: {}", v.message);
}

#[test]
fn a_wrong_time_window_gets_a_hint() {
    fail(RECENT, "Clicks | where Timestamp > ago(2d) | project Timestamp, AccountUpn, Url | order by Timestamp desc", Reason::RowCount, "the last 7 days");
}

/// Sort keys are compared by value, not by their text: `10:00:00.5` sorts after `10:00:00`
/// although its text sorts before (`.` < `Z`). A learner's result ordered newest first with
/// ties in another order than the solution's passed only if the datetimes had no fraction.
#[test]
fn datetime_sort_keys_with_fractions_compare_as_times() {
    let data = r#"let T = datatable(When: datetime, Name: string)
[datetime(2026-11-20 10:00:00), "a", datetime(2026-11-20 10:00:00.5), "x", datetime(2026-11-20 10:00:00), "b"];
"#;
    let cat = Catalog::new();
    let clock = kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap();
    let opts = CheckOptions::default();
    let exp = expected_for(&format!("{data}T | order by When desc"), &cat, clock, &opts).unwrap();
    let v = check_query(&format!("{data}T | order by When desc, Name desc"), &exp, &cat, clock, &opts);
    assert_eq!(v.status, Status::Pass, "{}", v.message);
    let v = check_query(&format!("{data}T | order by When asc"), &exp, &cat, clock, &opts);
    assert_eq!(v.reason, Some(Reason::RowOrder), "{}", v.message);
}

// The required-construct gate: a step may name the constructs it practises. A right answer
// written another way passes with a note; constructs are read from the syntax tree.

fn gated(requires: &[&str]) -> CheckOptions {
    CheckOptions { requires: requires.iter().map(|s| s.to_string()).collect(), ..Default::default() }
}

const PER_DAY: &str = "Clicks | where Timestamp > ago(7d) | summarize n = count() by Day = bin(Timestamp, 1d) | order by Day asc";

#[test]
fn a_right_answer_that_uses_the_required_construct_passes_plainly() {
    let v = verdict(PER_DAY, "Clicks | where Timestamp > ago(7d) | summarize n = count() by Day = bin(Timestamp, 1d) | sort by Day asc", &gated(&["bin()"]));
    assert_eq!(v.status, Status::Pass, "{}", v.message);
    assert_eq!(v.reason, None);
    assert!(!v.message.contains("another way"), "{}", v.message);
}

#[test]
fn a_right_answer_another_way_passes_with_a_note() {
    let other = "Clicks | where Timestamp > ago(7d) | summarize n = count() by Day = startofday(Timestamp) | sort by Day asc";
    let v = verdict(PER_DAY, other, &gated(&["bin()"]));
    assert_eq!(v.status, Status::Pass, "{}", v.message);
    assert_eq!(v.reason, Some(Reason::OtherWay));
    assert!(v.message.starts_with("Your result matches the expected answer (2 rows). Right answer, another way: this step is about `bin()`"), "{}", v.message);
    // Without a requirement the same query passes with no note.
    let v = verdict(PER_DAY, other, &CheckOptions::default());
    assert_eq!(v.reason, None);
    assert!(!v.message.contains("another way"));
}

#[test]
fn the_gate_reads_the_query_not_its_text() {
    // `bin(` in a string and in a comment is not a use of bin().
    let sneaky = "// bin(Timestamp, 1d)\nClicks | where Timestamp > ago(7d) and Url != \"bin(\" | summarize n = count() by Day = startofday(Timestamp) | sort by Day asc";
    let v = verdict(PER_DAY, sneaky, &gated(&["bin()"]));
    assert_eq!(v.reason, Some(Reason::OtherWay), "{}", v.message);
    // Several missing constructs are all named.
    let v = verdict(PER_DAY, sneaky, &gated(&["bin()", "sort/order by", "lookup"]));
    assert!(v.message.contains("about `bin()` and `lookup`, which"), "{}", v.message);
}

#[test]
fn the_gate_never_turns_a_wrong_answer_into_a_pass_or_a_note_into_a_fail() {
    let v = verdict(PER_DAY, "Clicks | summarize n = count() by Day = startofday(Timestamp) | sort by Day asc", &gated(&["bin()"]));
    assert_eq!(v.status, Status::Fail);
    assert!(!v.message.contains("another way"), "{}", v.message);
}

#[test]
fn the_gate_knows_join_kinds() {
    let sol = "Clicks | where Timestamp > ago(30d) | project AccountUpn | join kind=inner (Clicks | where Url has \"contoso-login\" | project AccountUpn) on AccountUpn | project AccountUpn";
    let plain = "Clicks | where Timestamp > ago(30d) | project AccountUpn | join kind=inner (Clicks | where Url has \"contoso-login\" | project AccountUpn) on $left.AccountUpn == $right.AccountUpn | project AccountUpn";
    let v = verdict(sol, plain, &gated(&["join kind=inner"]));
    assert_eq!((v.status, v.reason), (Status::Pass, None), "{}", v.message);
    let other =
        "Clicks | where Timestamp > ago(30d) | where AccountUpn in ((Clicks | where Url has \"contoso-login\" | project AccountUpn)) | project AccountUpn";
    let v = verdict(sol, other, &gated(&["join kind=inner"]));
    assert_eq!((v.status, v.reason), (Status::Pass, Some(Reason::OtherWay)), "{}", v.message);
    assert!(v.message.contains("`join kind=inner`"), "{}", v.message);
}

#[test]
fn a_wrong_count_names_the_required_construct_the_query_lacks() {
    // The solution's `summarize` sits inside toscalar(); the learner's query lacks toscalar()
    // and its filter. The lead is the construct the step practises, not "group with summarize".
    let sol = "let First = toscalar(Clicks | where Url has \"contoso-login\" and Timestamp > datetime(2026-11-15) | summarize min(Timestamp)); Clicks | where Timestamp >= First | project AccountUpn";
    let learner = "Clicks | project AccountUpn";
    let v = verdict(sol, learner, &gated(&["toscalar()"]));
    assert_eq!(v.status, Status::Fail);
    assert!(v.message.ends_with("This step is about `toscalar()`, which your query does not use."), "{}", v.message);
    assert!(!v.message.contains("summarize"), "{}", v.message);
    // Without a requirement the old guess stays.
    let v = verdict(sol, learner, &CheckOptions::default());
    assert!(v.message.contains("Did you group the rows with summarize?"), "{}", v.message);
}

#[test]
fn too_few_rows_also_name_the_required_construct() {
    // An inner join where the step practises lookup: the click with no match is lost.
    let sol = "Clicks | where Timestamp > ago(7d) | project AccountUpn, Url | lookup (datatable(Url: string, Owner: string) [\"https://contoso-login.com/a\", \"x\"]) on Url";
    let learner = "Clicks | where Timestamp > ago(7d) | project AccountUpn, Url | join kind=inner (datatable(Url: string, Owner: string) [\"https://contoso-login.com/a\", \"x\"]) on Url | project-away Url1";
    let v = verdict(sol, learner, &gated(&["lookup"]));
    assert_eq!(v.status, Status::Fail);
    assert_eq!(v.reason, Some(Reason::RowCount), "{}", v.message);
    assert!(v.message.ends_with("This step is about `lookup`, which your query does not use."), "{}", v.message);
}

#[test]
fn verdict_reason_names_are_the_serde_names() {
    // The query history and the instructor view record `fail:<name>`; the worker sends the
    // serde form. One spelling.
    for r in kqlab::lesson::check::Reason::ALL {
        assert_eq!(serde_json::to_string(r).unwrap(), format!("\"{}\"", r.name()));
    }
}
