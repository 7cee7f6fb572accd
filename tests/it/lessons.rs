//! The shipped lessons: every lesson listed in `lessons/index.toml` validates, and for every
//! step of lesson 1 plausible wrong answers are rejected with the right explanation (and
//! plausible right variants pass), at two different session clocks.

use kqlab::lesson::check::{check_answer, check_query, expected_for, Reason, Status};
use kqlab::lesson::dataset::catalog_for;
use kqlab::lesson::{parse_index, parse_lesson, validate, Lesson};
use kqlab::table::Catalog;
use kqlab::types::time::parse_datetime;
use std::path::{Path, PathBuf};

/// Two clocks far apart: the lessons' answers must not depend on when they are taken.
const CLOCKS: [&str; 2] = ["2026-11-22T12:00:00Z", "2027-03-01T08:00:00Z"];

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

fn clock(s: &str) -> i64 {
    parse_datetime(s).expect("clock")
}

fn load(file: &str, at: i64) -> (Lesson, Catalog) {
    let dir = lessons_dir();
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let lesson = parse_lesson(&text).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
    let catalog = catalog_for(&lesson, at, &read).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    (lesson, catalog)
}

fn index_files() -> Vec<String> {
    let text = std::fs::read_to_string(lessons_dir().join("index.toml")).expect("lessons/index.toml");
    parse_index(&text).expect("index parses").lessons.into_iter().map(|e| e.file).collect()
}

#[test]
fn every_indexed_lesson_validates_at_both_clocks() {
    let files = index_files();
    assert!(files.len() >= 3, "the index lists {files:?}");
    for c in CLOCKS {
        for f in &files {
            let (lesson, catalog) = load(f, clock(c));
            let reports = validate::validate(&lesson, &catalog, clock(c));
            for r in &reports {
                assert!(r.ok(), "{f} step '{}' at {c}: {:?}", r.id, r.errors);
                assert!(r.warnings.is_empty(), "{f} step '{}' at {c}: {:?}", r.id, r.warnings);
            }
        }
    }
}

#[test]
fn lesson_ids_are_unique_and_every_lesson_file_is_listed() {
    let files = index_files();
    let mut ids = std::collections::HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(lessons_dir().join(f)).unwrap();
        let l = parse_lesson(&text).unwrap();
        assert!(ids.insert(l.id.clone()), "duplicate lesson id {}", l.id);
    }
    for e in std::fs::read_dir(lessons_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".toml") && name != "index.toml" {
            assert!(files.contains(&name), "{name} is not listed in lessons/index.toml");
        }
    }
}

/// What a learner might submit for a step, and what the checker must say.
enum Try {
    /// A query that must fail for `reason` with a message containing `needle`.
    Wrong(Reason, &'static str),
    /// A different but correct query that must pass.
    Right,
    /// A typed answer that must be rejected.
    WrongAnswer(&'static str),
    /// A typed answer that must be accepted.
    RightAnswer(&'static str),
}
use Try::*;

const T: &str = "UrlClickEvents\n| where Timestamp > ago(7d)\n";
const CAMPAIGN: &str = "UrlClickEvents\n| where Timestamp > ago(7d)\n| where Url contains \"contoso-login\"\n";

fn lesson1_cases() -> Vec<(&'static str, Vec<(String, Try)>)> {
    let q = |s: &str| format!("{T}{s}");
    let c = |s: &str| format!("{CAMPAIGN}{s}");
    vec![
        (
            "recent-clicks",
            vec![
                ("UrlClickEvents | project Timestamp, AccountUpn, Url, ActionType | order by Timestamp desc".into(), Wrong(Reason::RowCount, "Did you keep only the events of the last 7 days?")),
                (q("| project Timestamp, AccountUpn, Url, ActionType | order by Timestamp asc"), Wrong(Reason::RowOrder, "newest first")),
                (q("| project Timestamp, AccountUpn, Url | order by Timestamp desc"), Wrong(Reason::MissingColumn, "`ActionType` is missing")),
                (q("| project AccountUpn, Timestamp, Url, ActionType | order by Timestamp desc"), Wrong(Reason::ColumnOrder, "different order")),
                ("UrlClickEvents | where Timestamp >= ago(7d) | sort by Timestamp | project Timestamp, AccountUpn, Url, ActionType".into(), Right),
            ],
        ),
        (
            "suspicious-domain",
            vec![
                (q("| where Url has \"contoso-login.com\" | project Timestamp, AccountUpn, Url | order by Timestamp desc"), Wrong(Reason::RowCount, "Your result has 19 rows; the expected answer has 20")),
                (q("| where Url contains \"contoso-login\" | project Timestamp, AccountUpn, Url, ActionType | order by Timestamp desc"), Wrong(Reason::ExtraColumn, "`ActionType`")),
                (q("| where Url contains \"contoso-login\" | project Timestamp, AccountUpn, Url | order by AccountUpn asc"), Wrong(Reason::RowOrder, "newest first")),
                (q("| where Url has \"contoso-login\" | project Timestamp, AccountUpn, Url | order by Timestamp desc"), Right),
                (q("| where Url contains \"CONTOSO-LOGIN\" | order by Timestamp desc | project Timestamp, AccountUpn, Url"), Right),
            ],
        ),
        (
            "top-users",
            vec![
                (q("| summarize count() by AccountUpn | top 10 by count_"), Wrong(Reason::MissingColumn, "Column `ClickCount` is missing from your result. Your result has `count_` instead")),
                ("UrlClickEvents | summarize ClickCount = count() by AccountUpn | top 10 by ClickCount".into(), Wrong(Reason::Values, "Did you keep only the events of the last 7 days?")),
                (q("| summarize ClickCount = count() by AccountUpn | top 10 by ClickCount asc"), Wrong(Reason::Values, "sorted the other way: smallest ClickCount first, but the answer has largest ClickCount first")),
                (q("| summarize ClickCount = count() by AccountUpn"), Wrong(Reason::RowCount, "Did you keep only the first rows with top or take?")),
                (q("| summarize ClickCount = count() by AccountUpn | order by ClickCount desc | take 10"), Right),
            ],
        ),
        (
            "hourly-spike",
            vec![
                (q("| summarize ClickCount = count() by bin(Timestamp, 1h) | order by Timestamp desc | render timechart"), Wrong(Reason::RowOrder, "oldest first")),
                (q("| summarize ClickCount = count() by bin(Timestamp, 1d) | order by Timestamp asc"), Wrong(Reason::RowCount, "the expected answer has 168")),
                ("UrlClickEvents | summarize ClickCount = count() by bin(Timestamp, 1h) | order by Timestamp asc".into(), Wrong(Reason::RowCount, "last 7 days")),
                (q("| summarize count() by bin(Timestamp, 1h) | order by Timestamp asc"), Wrong(Reason::MissingColumn, "`ClickCount`")),
                (q("| summarize ClickCount = count() by bin(Timestamp, 1h) | sort by Timestamp asc | render columnchart"), Right),
            ],
        ),
        ("busiest-hour", vec![("".into(), WrongAnswer("49")), ("".into(), WrongAnswer("3356")), ("".into(), WrongAnswer("71 or 72")), ("".into(), WrongAnswer("about 71")), ("".into(), RightAnswer("71")), ("".into(), RightAnswer(" 71 "))]),
        (
            "distinct-urls",
            vec![
                (q("| project Url"), Wrong(Reason::RowCount, "Did you keep only the distinct values?")),
                ("UrlClickEvents | distinct Url".into(), Wrong(Reason::RowCount, "last 7 days")),
                (q("| distinct Url, AccountUpn"), Wrong(Reason::ExtraColumn, "`AccountUpn`")),
                (q("| summarize by Url"), Right),
            ],
        ),
        (
            "threat-verdicts",
            vec![
                ("UrlClickEvents | where ThreatTypes != \"\" | project Timestamp, AccountUpn, Url, ThreatTypes | order by Timestamp desc".into(), Wrong(Reason::RowCount, "Your result has 24 rows; the expected answer has 23. Did you keep only the events of the last 7 days?")),
                (q("| where ThreatTypes == \"Phish\" | project Timestamp, AccountUpn, Url, ThreatTypes | order by Timestamp desc"), Wrong(Reason::RowCount, "20 rows")),
                (q("| where ThreatTypes != \"\" | project Timestamp, AccountUpn, Url, ThreatTypes | order by Timestamp asc"), Wrong(Reason::RowOrder, "newest first")),
                (q("| where isnotempty(ThreatTypes) | project Timestamp, AccountUpn, Url, ThreatTypes | order by Timestamp desc"), Right),
            ],
        ),
        (
            "user-and-threat",
            vec![
                (q("| summarize ClickCount = count() by AccountUpn | top 10 by ClickCount"), Wrong(Reason::MissingColumn, "`ThreatTypes` is missing")),
                (q("| summarize ClickCount = count() by ThreatTypes, AccountUpn | top 10 by ClickCount"), Wrong(Reason::ColumnOrder, "AccountUpn, ThreatTypes, ClickCount")),
                (q("| where ThreatTypes != \"\" | summarize ClickCount = count() by AccountUpn, ThreatTypes | top 10 by ClickCount"), Wrong(Reason::Values, "differs")),
                (q("| project Timestamp, AccountUpn, Url, ActionType, ThreatTypes | summarize ClickCount = count() by AccountUpn, ThreatTypes | top 10 by ClickCount"), Right),
            ],
        ),
        (
            "allowed-through",
            vec![
                (q("| where ActionType == \"ClickAllowed\" and IsClickedThrough == true | where ThreatTypes has \"Phish\" | summarize by ReportId, IsClickedThrough, AccountUpn, NetworkMessageId, ThreatTypes, Timestamp"), Wrong(Reason::RowCount, "Your result has 1 row; the expected answer has 3")),
                (q("| where ActionType == \"ClickAllowed\" or IsClickedThrough == true | summarize by ReportId, IsClickedThrough, AccountUpn, NetworkMessageId, ThreatTypes, Timestamp"), Wrong(Reason::RowCount, "Did you apply every filter the task asks for?")),
                (q("| where ActionType == \"ClickAllowed\" or IsClickedThrough == true | where ThreatTypes has \"Phish\" | summarize by AccountUpn, ReportId, IsClickedThrough, NetworkMessageId, ThreatTypes, Timestamp"), Wrong(Reason::ColumnOrder, "different order")),
                // The documentation's own spelling, comparing the bool with "0", is accepted.
                ("UrlClickEvents | where ActionType == \"ClickAllowed\" or IsClickedThrough != \"0\" | where ThreatTypes has \"Phish\" | summarize by ReportId, IsClickedThrough, AccountUpn, NetworkMessageId, ThreatTypes, Timestamp".into(), Right),
                (q("| where (ActionType == \"ClickAllowed\" or IsClickedThrough) and ThreatTypes has \"Phish\" | distinct ReportId, IsClickedThrough, AccountUpn, NetworkMessageId, ThreatTypes, Timestamp"), Right),
            ],
        ),
        ("distinct-clickers", vec![("".into(), WrongAnswer("20")), ("".into(), WrongAnswer("17")), ("".into(), RightAnswer("18"))]),
        (
            "events-vs-clicks",
            vec![
                (c("| summarize Events = count(), Clicks = count() by AccountUpn | where Events > 1"), Wrong(Reason::Values, "Clicks = `1`")),
                (c("| summarize Events = count(), Clicks = dcount(ReportId) by AccountUpn"), Wrong(Reason::RowCount, "Your result has 18 rows; the expected answer has 2")),
                (c("| summarize Events = count() by AccountUpn | where Events > 1"), Wrong(Reason::MissingColumn, "`Clicks` is missing")),
                (c("| summarize Events = count(), Clicks = dcount(ReportId) by AccountUpn | where Events >= 2 | order by AccountUpn desc"), Right),
            ],
        ),
        ("second-attempt", vec![("".into(), WrongAnswer("ClickBlocked")), ("".into(), WrongAnswer("ClickAllowed")), ("".into(), RightAnswer("clickblockedbytenantpolicy"))]),
    ]
}

type Cases = Vec<(&'static str, Vec<(String, Try)>)>;

/// Runs `cases` against the steps of lesson `file` at clock `at`. With `every_step`, each step
/// must have at least one wrong answer in `cases`.
fn run_cases(file: &str, cases: &Cases, at: &str, every_step: bool) {
    let now = clock(at);
    let (lesson, catalog) = load(file, now);
    for (id, _) in cases {
        assert!(lesson.steps.iter().any(|s| s.id == *id), "{file} has no step '{id}'");
    }
    for step in &lesson.steps {
        let Some((_, tries)) = cases.iter().find(|(id, _)| *id == step.id) else {
            assert!(!every_step, "{file}: no wrong answers for step '{}'", step.id);
            continue;
        };
        let wrong = tries.iter().filter(|(_, t)| matches!(t, Wrong(..) | WrongAnswer(_))).count();
        assert!(wrong >= 1, "{file}: step '{}' has no wrong answer", step.id);
        let exp = expected_for(&step.solution, &catalog, now, &step.check).unwrap_or_else(|e| panic!("{}: {e:?}", step.id));
        for (query, t) in tries {
            match t {
                Wrong(reason, needle) => {
                    let v = check_query(query, &exp, &catalog, now, &step.check);
                    assert_eq!(v.status, Status::Fail, "[{at}] {file} step '{}': expected a fail for\n{query}\n{}", step.id, v.message);
                    assert_eq!(v.reason, Some(*reason), "[{at}] {file} step '{}': {query}\n{}", step.id, v.message);
                    assert!(v.message.contains(needle), "[{at}] {file} step '{}': message {:?} lacks {:?}", step.id, v.message, needle);
                }
                Right => {
                    let v = check_query(query, &exp, &catalog, now, &step.check);
                    assert_eq!(v.status, Status::Pass, "[{at}] {file} step '{}': expected a pass for\n{query}\n{}", step.id, v.message);
                }
                WrongAnswer(a) | RightAnswer(a) => {
                    let q = step.question.as_ref().unwrap_or_else(|| panic!("step '{}' has no question", step.id));
                    let v = check_answer(&lesson.id, &step.id, a, &q.answer_sha256);
                    let want = if matches!(t, RightAnswer(_)) { Status::Pass } else { Status::Fail };
                    assert_eq!(v.status, want, "[{at}] {file} step '{}': typed {a:?}: {}", step.id, v.message);
                    if want == Status::Fail {
                        assert_eq!(v.reason, Some(Reason::Answer));
                        let explained = ["is not the answer", "more than one value", "only the value"];
                        assert!(explained.iter().any(|e| v.message.contains(e)), "{}", v.message);
                    }
                }
            }
        }
        // The starter never passes (question steps excepted), and the solution always does.
        if step.question.is_none() {
            let v = check_query(&step.starter, &exp, &catalog, now, &step.check);
            assert_eq!(v.status, Status::Fail, "[{at}] {file} step '{}': the starter passes", step.id);
        }
        assert!(check_query(&step.solution, &exp, &catalog, now, &step.check).is_pass());
    }
}

fn run_lesson1_cases(at: &str) {
    run_cases("following-the-click.toml", &lesson1_cases(), at, true);
}

const MAIL: &str = "let CampaignMail = EmailEvents\n| where Timestamp > ago(7d)\n| where SenderFromAddress == \"it-support@contoso-login.com\"\n| project NetworkMessageId, RecipientEmailAddress, DeliveryAction;\nCampaignMail\n";

/// Lesson 2 step 3 with the clicks on the left; `JOIN` is replaced by the join under test.
const CLICKS_LEFT: &str = "let CampaignMail = EmailEvents\n| where Timestamp > ago(7d)\n| where SenderFromAddress == \"it-support@contoso-login.com\"\n| project NetworkMessageId, RecipientEmailAddress, DeliveryAction;\nUrlClickEvents | where Timestamp > ago(7d) | project NetworkMessageId, ClickTime = Timestamp, ActionType | JOIN (CampaignMail) on NetworkMessageId | project RecipientEmailAddress, DeliveryAction, ClickTime, ActionType | order by ClickTime asc";

fn lesson2_cases() -> Cases {
    let m = |s: &str| format!("{MAIL}{s}");
    vec![
        ("campaign-delivery", vec![
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromAddress == \"it-support@contoso-login.com\" | summarize Recipients = dcount(RecipientEmailAddress) by DeliveryLocation".into(), Wrong(Reason::MissingColumn, "`DeliveryAction` is missing")),
            // One person got two junked copies: counting rows is not counting recipients.
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromAddress == \"it-support@contoso-login.com\" | summarize Recipients = count() by DeliveryAction".into(), Wrong(Reason::Values, "Recipients = `5`")),
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromAddress == \"it-support@contoso-login.com\" | summarize Recipients = count_distinct(RecipientEmailAddress) by DeliveryAction".into(), Right),
        ]),
        ("let-and-in", vec![
            (format!("{T}| where Url contains \"contoso-login\" | project Timestamp, AccountUpn, ActionType | order by Timestamp asc"), Wrong(Reason::RowCount, "Your result has 20 rows; the expected answer has 19")),
        ]),
        ("join-inner", vec![
            // A plain join is innerunique: one left row per NetworkMessageId, so the second
            // event on Sofia's and Maria's mails is lost.
            (CLICKS_LEFT.replace("JOIN", "join"), Wrong(Reason::RowCount, "Your result has 17 rows; the expected answer has 19")),
            (CLICKS_LEFT.replace("JOIN", "join kind=inner"), Right),
            // The mail on the left, inner: the same pairs.
            (m("| join kind=inner (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress, DeliveryAction, ClickTime = Timestamp, ActionType | order by ClickTime asc"), Right),
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromAddress == \"it-support@contoso-login.com\" | join kind=inner (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress, DeliveryAction, ClickTime = Timestamp1, ActionType | order by ClickTime asc".into(), Right),
            // The left side kept its Timestamp, so `Timestamp` is the delivery time and the click's is `Timestamp1`.
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromAddress == \"it-support@contoso-login.com\" | join kind=inner (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress, DeliveryAction, ClickTime = Timestamp, ActionType | order by ClickTime asc".into(), Wrong(Reason::Values, "Row 1 differs: ClickTime")),
        ]),
        ("junk-clicks", vec![("".into(), WrongAnswer("19")), ("".into(), RightAnswer("0"))]),
        ("received-no-click", vec![
            (m("| where DeliveryAction == \"Delivered\" | join kind=inner (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress | order by RecipientEmailAddress asc"), Wrong(Reason::RowCount, "Your result has 19 rows; the expected answer has 14")),
            (m("| join kind=leftanti (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress | order by RecipientEmailAddress asc"), Wrong(Reason::RowCount, "24 rows")),
            (m("| where DeliveryAction == \"Delivered\" | join kind=leftanti (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | project RecipientEmailAddress | order by RecipientEmailAddress desc"), Wrong(Reason::RowOrder, "alphabetical")),
        ]),
        ("latest-action", vec![
            (format!("{CAMPAIGN}| summarize arg_min(Timestamp, ActionType, IsClickedThrough) by AccountUpn"), Wrong(Reason::Values, "Some rows differ")),
        ]),
        ("click-history", vec![
            (m("| join kind=inner (UrlClickEvents | where Timestamp > ago(7d)) on NetworkMessageId | summarize Actions = make_set(ActionType), Clicks = count() by RecipientEmailAddress | where array_length(Actions) > 1"), Wrong(Reason::Values, "Clicks = `1`")),
        ]),
        ("zap-too-late", vec![("".into(), WrongAnswer("18")), ("".into(), WrongAnswer("31")), ("".into(), RightAnswer("17"))]),
    ]
}

fn csv_and_malware_cases() -> (Cases, Cases) {
    let vpn = vec![
        ("spray-source", vec![
            ("VpnLogins | where Result == \"Failure\" | summarize Failures = count(), Accounts = dcount(UserPrincipalName) by SourceIP | where Failures >= 5".into(), Wrong(Reason::RowCount, "Your result has 2 rows; the expected answer has 1")),
        ]),
        ("attacker-network", vec![
            ("VpnLogins | where SourceIP startswith \"203.0.113.\" and Timestamp >= datetime(2026-11-21 09:00) and Timestamp <= datetime(2026-11-21 10:00) | project Timestamp, UserPrincipalName, SourceIP, Result, FailureReason, DurationMinutes | order by Timestamp asc".into(), Right),
            ("VpnLogins | where ipv4_is_in_range(SourceIP, \"203.0.113.0/24\") | project Timestamp, UserPrincipalName, SourceIP, Result, FailureReason, DurationMinutes | order by Timestamp asc".into(), Wrong(Reason::RowCount, "the expected answer has 6")),
        ]),
        ("compromised-account", vec![("".into(), WrongAnswer("priya.raman@contoso.com")), ("".into(), RightAnswer("Sofia.Lindqvist@contoso.com"))]),
        ("new-countries", vec![
            ("VpnLogins | summarize Countries = dcount(Country), CountryList = make_set(Country) by UserPrincipalName | where Countries > 1".into(), Wrong(Reason::RowCount, "the expected answer has 2")),
        ]),
    ];
    let invoice = vec![
        ("earlier-click", vec![("".into(), WrongAnswer("li.wei@contoso.com")), ("".into(), RightAnswer("peter.novak@contoso.com"))]),
        ("invoice-mail", vec![
            ("EmailEvents | where Timestamp > ago(7d) | where SenderFromDomain == \"northwindtraders-billing.com\" | project Timestamp, RecipientEmailAddress, DeliveryAction, LatestDeliveryLocation | order by Timestamp asc".into(), Wrong(Reason::RowCount, "Your result has 6 rows; the expected answer has 8")),
        ]),
        ("still-in-inbox", vec![("".into(), WrongAnswer("7")), ("".into(), RightAnswer("2"))]),
        ("same-file", vec![
            // Jonas got both waves: counting rows counts him twice.
            ("let BadHashes = EmailAttachmentInfo | where Timestamp > ago(10d) | where ThreatTypes == \"Malware\" | distinct SHA256; EmailAttachmentInfo | where Timestamp > ago(10d) | where SHA256 in (BadHashes) | summarize Recipients = count(), Flagged = countif(ThreatTypes == \"Malware\") by FileName, SHA256".into(), Wrong(Reason::Values, "Recipients")),
        ]),
    ];
    (vpn, invoice)
}

#[test]
fn other_lessons_reject_plausible_wrong_answers_at_both_clocks() {
    let (vpn, invoice) = csv_and_malware_cases();
    for at in CLOCKS {
        run_cases("delivery-to-click.toml", &lesson2_cases(), at, false);
        run_cases("vpn-logins.toml", &vpn, at, false);
        run_cases("overdue-invoice.toml", &invoice, at, false);
    }
}

#[test]
fn lesson1_wrong_answers_are_explained_at_the_reference_clock() {
    run_lesson1_cases(CLOCKS[0]);
}

#[test]
fn lesson1_wrong_answers_are_explained_at_another_clock() {
    run_lesson1_cases(CLOCKS[1]);
}

#[test]
fn a_query_with_an_error_is_not_a_wrong_answer() {
    let now = clock(CLOCKS[0]);
    let (lesson, catalog) = load("following-the-click.toml", now);
    let step = &lesson.steps[0];
    let exp = expected_for(&step.solution, &catalog, now, &step.check).unwrap();
    let v = check_query("UrlClickEvents | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url, ActonType", &exp, &catalog, now, &step.check);
    assert_eq!(v.status, Status::Error);
    assert!(v.message.contains("line 1"), "{}", v.message);
}

/// A small lesson on a `datatable` (no built-in data) whose one step teaches `dcount()`; the
/// values of `x` are given, the wrong queries count rows.
fn dcount_lesson(values: &str, question: bool) -> String {
    let question = if question {
        format!(
            "[steps.question]\nprompt = \"How many?\"\nanswer_column = \"n\"\nanswer_sha256 = \"{}\"\n",
            kqlab::lesson::check::answer_digest("demo", "one", "2")
        )
    } else {
        String::new()
    };
    format!(
        r#"id = "demo"
title = "Demo"
summary = "dcount"
[dataset]
builtin = false

[[steps]]
id = "one"
title = "Distinct"
narrative = "n"
task = "Count the distinct values of x as n."
starter = "datatable(x: long) [{values}] | take 1"
solution = "datatable(x: long) [{values}] | summarize n = dcount(x)"
hints = ["dcount"]
wrong = [
    "datatable(x: long) [{values}] | summarize n = count()",
    {{ why = "counting rows", query = '''
    datatable(x: long) [{values}]
    | summarize n = countif(x > 0)
    ''' }},
]
{question}"#
    )
}

#[test]
fn the_validator_fails_a_step_whose_wrong_query_passes() {
    let now = clock(CLOCKS[0]);
    for question in [false, true] {
        // With a duplicate value the wrong queries give 3 where the answer is 2: valid.
        let good = parse_lesson(&dcount_lesson("1, 1, 2", question)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(good.steps[0].wrong.len(), 2);
        assert_eq!(good.steps[0].wrong[1].why(), Some("counting rows"));
        let reports = validate::validate(&good, &Catalog::new(), now);
        assert!(reports[0].ok(), "question {question}: {:?}", reports[0].errors);
        // Without one, counting rows gives the same answer: the data cannot test the idea.
        let bad = parse_lesson(&dcount_lesson("1, 2", question)).unwrap();
        let reports = validate::validate(&bad, &Catalog::new(), now);
        let errors: Vec<&String> = reports[0].errors.iter().filter(|e| e.starts_with("wrong query")).collect();
        assert_eq!(errors.len(), 2, "question {question}: {:?}", reports[0].errors);
        let what = if question { "gives the right answer" } else { "passes the check" };
        assert!(errors[0].starts_with(&format!("wrong query 1 {what}")), "{errors:?}");
        assert!(errors[1].starts_with(&format!("wrong query 2 (counting rows) {what}")), "{errors:?}");
    }
}

#[test]
fn a_wrong_query_that_does_not_run_is_a_warning() {
    let now = clock(CLOCKS[0]);
    let text = dcount_lesson("1, 1, 2", false).replace("summarize n = count()", "summarize n = count(y)");
    let lesson = parse_lesson(&text).unwrap();
    let reports = validate::validate(&lesson, &Catalog::new(), now);
    assert!(reports[0].ok(), "{:?}", reports[0].errors);
    assert!(reports[0].warnings.iter().any(|w| w.starts_with("wrong query 1 does not run")), "{:?}", reports[0].warnings);
}

#[test]
fn every_shipped_lesson_lists_wrong_queries() {
    for f in index_files() {
        let text = std::fs::read_to_string(lessons_dir().join(&f)).unwrap();
        let lesson = parse_lesson(&text).unwrap();
        let with = lesson.steps.iter().filter(|s| !s.wrong.is_empty()).count();
        assert!(with * 2 > lesson.steps.len(), "{f}: only {with} of {} steps list typical wrong queries", lesson.steps.len());
    }
}

#[test]
fn requires_is_read_checked_and_applied() {
    let now = clock(CLOCKS[0]);
    let with = |req: &str| dcount_lesson("1, 1, 2", false).replace("hints = [\"dcount\"]", &format!("hints = [\"dcount\"]\nrequires = [{req}]"));
    // A valid requirement the solution meets: copied into the check options, lesson valid.
    let l = parse_lesson(&with("\"dcount()\"")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(l.steps[0].requires, vec!["dcount()".to_string()]);
    assert_eq!(l.steps[0].check.requires, l.steps[0].requires);
    assert!(validate::validate(&l, &Catalog::new(), now)[0].ok());
    // A name that is not a construct: a parse error naming the field and the likely fix.
    let e = parse_lesson(&with("\"dcount\"")).unwrap_err();
    assert_eq!(e[0].field.as_deref(), Some("steps[0].requires[0]"));
    assert!(e[0].message.contains("\"dcount()\""), "{}", e[0].message);
    // A construct the solution does not use: a validation error.
    let l = parse_lesson(&with("\"dcount()\", \"bin()\"")).unwrap();
    let r = &validate::validate(&l, &Catalog::new(), now)[0];
    assert!(r.errors.iter().any(|e| e.starts_with("requires lists 'bin()', but the solution does not use it")), "{:?}", r.errors);
}

/// Clocks at which a sweep (`kqlab lessons check --clocks`) once found a lesson failing, with
/// the lesson: the data or the check was fixed at the root, and these keep it fixed.
const CLOCKS_THAT_FAILED: &[(&str, &[&str])] = &[
    // A typed answer the first row of the bare table, or of a wrong query's many rows, held
    // by chance (ActionType, AccountUpn).
    ("following-the-click.toml", &["2026-12-08T11:00:00Z", "2026-12-09T16:00:00Z"]),
    ("detection-engineering.toml", &["2026-12-10T16:00:00Z"]),
    ("overdue-invoice.toml", &["2026-12-11T18:00:00Z"]),
    ("stolen-credentials.toml", &["2026-12-11T22:00:00Z"]),
    // No other laptop wrote a file in the ten minutes after the download.
    ("click-to-process.toml", &["2026-12-11T20:00:00Z"]),
    // No routine whoami/net user (07:00, 18:00, 19:00), and the hidden copy's top-nested
    // counts equal to the visible ones (01:00 and 20:00 on the 9th).
    ("recon-or-routine.toml", &["2026-12-07T07:00:00Z", "2026-12-07T18:00:00Z", "2026-12-09T01:00:00Z", "2026-12-09T20:00:00Z"]),
];

#[test]
fn lessons_validate_at_the_clocks_a_sweep_once_found_failing() {
    for (file, clocks) in CLOCKS_THAT_FAILED {
        let dir = lessons_dir();
        let lesson = parse_lesson(&std::fs::read_to_string(dir.join(file)).expect("lesson")).expect("parses");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
        let at: Vec<i64> = clocks.iter().map(|c| clock(c)).collect();
        let sweeps = validate::validate_at_clocks(&lesson, &at, &|c| catalog_for(&lesson, c, &read)).unwrap_or_else(|(c, e)| panic!("{file} at {c}: {e:?}"));
        for s in sweeps {
            assert!(s.failing.is_empty(), "{file} step '{}' fails at {} clock(s), first: {:?}", s.id, s.failing.len(), s.first_errors);
        }
    }
}

#[test]
fn sweep_clocks_cover_the_week() {
    use kqlab::types::time::TICKS_PER_HOUR;
    let base = clock("2026-12-07T16:30:00Z");
    let week_hour = |t: i64| (t / TICKS_PER_HOUR).rem_euclid(168);
    for n in [1, 2, 5, 12, 24, 50, 168] {
        let c = validate::sweep_clocks(base, n);
        assert_eq!(c.len(), n);
        // The first is the current hour, as the app rounds it.
        assert_eq!(c[0], clock("2026-12-07T16:00:00Z"));
        // No two on the same hour of the week (the data repeats weekly).
        let mut hours: Vec<i64> = c.iter().map(|&t| week_hour(t)).collect();
        hours.sort();
        hours.dedup();
        assert_eq!(hours.len(), n, "n = {n}");
        // Spread over two weeks: n clocks, each at least two weeks / n after the one before.
        let span = (c[n - 1] - c[0]) / TICKS_PER_HOUR;
        assert!(span >= (336 * (n as i64 - 1)) / n as i64, "n = {n}: {span} hours");
        // 24 or more clocks hit every hour of the day.
        if n >= 24 {
            let mut day: Vec<i64> = c.iter().map(|&t| (t / TICKS_PER_HOUR).rem_euclid(24)).collect();
            day.sort();
            day.dedup();
            assert_eq!(day.len(), 24, "n = {n}");
        }
    }
}

#[test]
fn a_sweep_names_the_first_clock_a_step_fails_at() {
    // One sign-in on the 21st: a step about the last day has an answer on the 21st and none
    // from the 23rd on, where the validator reports "no rows".
    let text = "id = \"d\"\ntitle = \"D\"\nsummary = \"s\"\n[dataset]\nbuiltin = false\n[[dataset.csv]]\ntable = \"Logins\"\nfile = \"l.csv\"\n\
        [dataset.csv.columns]\nTimestamp = \"datetime\"\n\n[[steps]]\nid = \"a\"\ntitle = \"t\"\nnarrative = \"n\"\ntask = \"Do it.\"\n\
        solution = '''Logins | where Timestamp > ago(1d) | project User'''\nhints = [\"h\"]\n";
    let lesson = parse_lesson(text).expect("parses");
    let csv = "Timestamp,User\n2026-11-21T09:00:00Z,ann\n2026-11-10T09:00:00Z,bob\n";
    let at: Vec<i64> = ["2026-11-21T12:00:00Z", "2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z"].iter().map(|c| clock(c)).collect();
    let s = validate::validate_at_clocks(&lesson, &at, &|c| catalog_for(&lesson, c, &|_| Ok(csv.to_string()))).expect("tables");
    assert_eq!(s[0].failing, vec![at[1], at[2]]);
    assert!(s[0].first_errors.iter().any(|e| e.contains("returns no rows")), "{:?}", s[0].first_errors);
}
