//! Parser output: structure (snapshots of the tree), round trips, and never dropping input.

use kqlab::syntax::{self, ast::*};

#[track_caller]
fn parse_ok(q: &str) -> Script {
    let (s, d) = syntax::parse(q);
    assert!(d.is_empty(), "unexpected diagnostics for {q}: {d:?}");
    s.expect("a script")
}

/// The query expression, fully parenthesised, to show how the parser grouped it.
fn grouping(q: &str) -> String {
    fn g(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Binary { op, left, right } => format!("({} {} {})", g(left), op.symbol(), g(right)),
            ExprKind::Chain { op, operands } => format!("({})", operands.iter().map(g).collect::<Vec<_>>().join(&format!(" {} ", op.symbol()))),
            ExprKind::Unary { op, operand } => format!("({}{})", if *op == UnaryOp::Neg { "-" } else { "+" }, g(operand)),
            ExprKind::Paren(inner) => g(inner),
            ExprKind::Between { value, low, high, negated } => format!("({} {}between {} .. {})", g(value), if *negated { "!" } else { "" }, g(low), g(high)),
            ExprKind::InList { value, op, items } => format!("({} {} [{}])", g(value), op.word(), items.iter().map(g).collect::<Vec<_>>().join(", ")),
            _ => e.to_string(),
        }
    }
    let s = parse_ok(q);
    match &s.statements[0] {
        Statement::Query(Expr { kind: ExprKind::Print { columns }, .. }) => g(&columns[0].expr),
        other => panic!("not a print: {other:?}"),
    }
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(grouping("print a == 1 and b == 2 or c"), "(((a == 1) and (b == 2)) or c)");
    assert_eq!(grouping("print x == 1 and y == 2"), "((x == 1) and (y == 2))");
    assert_eq!(grouping("print 1 + 2 * 3 - 4"), "((1 + (2 * 3)) - 4)");
    assert_eq!(grouping("print a - b - c"), "((a - b) - c)");
    assert_eq!(grouping("print not(a) or b has \"x\" and c !in (1, 2)"), "(not(a) or ((b has \"x\") and (c !in [1, 2])))");
    assert_eq!(grouping("print x between (1 .. 2) and y"), "((x between 1 .. 2) and y)");
    assert_eq!(grouping("print -a * 2"), "((-a) * 2)");
    // `and` / `or` chains are flat (one node per chain, not per operator); brackets keep
    // their own chain.
    assert_eq!(grouping("print a or b or c and d and e or f"), "(a or b or (c and d and e) or f)");
    assert_eq!(grouping("print (a or b) or c"), "((a or b) or c)");
    let s = parse_ok("print a or b or c");
    let Statement::Query(Expr { kind: ExprKind::Print { columns }, .. }) = &s.statements[0] else { panic!() };
    assert!(matches!(&columns[0].expr.kind, ExprKind::Chain { operands, .. } if operands.len() == 3));
    assert_eq!(grouping("print - 5"), "(-5)");
}

#[test]
fn keywords_match_whole_words_only() {
    let s = parse_ok("print android == 1 and order == 2 or orchid");
    assert_eq!(s.to_string(), "print android == 1 and order == 2 or orchid");
}

#[test]
fn hyphenated_operators_are_single_tokens() {
    let s = parse_ok("T | project-away a | mv-expand b | project-rename c = d | fork x");
    let text = s.to_string();
    assert!(text.contains("| project-away a\n| mv-expand b\n| project-rename c = d\n| fork x"), "{text}");
}

#[test]
fn every_node_has_a_span_inside_the_text() {
    let q = "UrlClickEvents | where Timestamp > ago(7d) | summarize ClickCount=count() by AccountUpn | top 10 by ClickCount";
    let s = parse_ok(q);
    fn check(e: &Expr, len: u32) {
        assert!(e.span.start <= e.span.end && e.span.end <= len, "{e:?}");
        if let ExprKind::Pipe { input, op } = &e.kind {
            assert!(op.span.end <= len && op.span.start >= input.span.start);
            check(input, len);
        }
    }
    let Statement::Query(e) = &s.statements[0] else { panic!() };
    check(e, q.len() as u32);
    assert_eq!(&q[e.span.range()], q);
}

#[test]
fn tree_snapshot() {
    let s = parse_ok("T | where Url has \"x\" | take 5");
    insta::assert_debug_snapshot!(s);
}

/// Canonical KQL parses back to the same tree (spans aside).
#[test]
fn round_trip() {
    let queries = [
        "UrlClickEvents | where Timestamp > ago(7d) | project Timestamp, AccountUpn, Url, ActionType | order by Timestamp desc",
        "UrlClickEvents | where ActionType == \"ClickAllowed\" or IsClickedThrough != \"0\" | where ThreatTypes has \"Phish\" | summarize by ReportId, IsClickedThrough",
        "let x = 5; let f = (a: string, b: long = 3) { strcat(a, b) }; T | extend (a, b) = g(1), c = d.e[\"f\"][0] | join kind=leftouter (T2 | where z in (\"a\", \"b\")) on $left.a == $right.b",
        "T | mv-expand with_itemindex=i x to typeof(string) limit 5 | render timechart with (title=\"x\", ycolumns=a, b)",
        "datatable(a: long, b: string) [1, \"x\", -2, \"y\"] | union (print 1), (range x from 1 to 5 step 1)",
        "T | parse Url with * \"://\" Host:string \"/\" * | project-reorder Host asc, Url* | top 3 by Host asc nulls first",
        "print a = 1.5, b = 1d, c = datetime(2026-01-01T00:00:00Z), d = dynamic({\"a\":[1,2]}), e = guid(74be27de-1e4e-49d9-b579-fe0b331d3642), f = long(null), g = 'it''s'",
        "T | summarize arg_max(Timestamp, *), n = dcount(AccountUpn) by bin(Timestamp, 1h) | where n !between (1 .. 2)",
        "T | where ['odd name'] == 1 | project ['odd name'], x = - y",
        // A quoted name with a '*' is a name, not a pattern (found by fuzzing); after `union`
        // an identifier and '*' is a table pattern.
        "T | project ['my col'], w = ['wh*ere'], ['*'] | union Email*, ['a*b'], (print x = ['c*'])",
        // A hyphenated keyword as a parameter word is printed as a word (found by fuzzing).
        "T | parse kind=project-reorder x with \"user=\" User",
        // `Col:"term"` in a search binds as one operand (found by fuzzing).
        "UrlClickEvents | search Account<Upn:\"dave\" | count",
        // A range column that has to be quoted (found by fuzzing).
        "range  step from 1 to 5 step 2",
        "range ['my col'] from 1 to 3 step 1 | where ['my col'] > 1",
        // RFC dates print in ISO form, which only has four-digit years (found by fuzzing).
        "print datetime(Sun, 22 Nov 2026 10:00 GMT), datetime(Fri, 31 Dec 9999 23:00 GMT)",
        // Issue 13's syntax: scan, partition, sample, old spellings and other accepted forms.
        "T | scan with_match_id=m declare (a: long = 0, b: string) with (step s1 output=last: x > 1 => a = s1.a + 1, b = \"x\"; step s2: s1.a > 2;)",
        "T | partition hint.strategy=native by User (top 3 by x | as P) | sample 5 | sample-distinct 2 of User",
        "T | partition by User { summarize count() }",
        "T | mvexpand x | extend y = d.[0], z = d.['a b'], w = datetime(\"2022-11-07\") | union *, (T | as T1) | search *",
        "T | join kind=inner (U) on ($left.a == $right.b and $left.c == $right.d)",
        // A named argument whose name is a keyword prints bracketed and reads back as a named
        // argument (found by fuzzing).
        "print f(x, dynamic = 1), g(['on'] = 2, ['my arg'] = 3) | evaluate ipv4_lookup(T, a, b, ['return_unmatched'] = true)",
    ];
    for q in queries {
        let a = parse_ok(q);
        let printed = a.to_string();
        let b = parse_ok(&printed);
        assert_eq!(strip(&a), strip(&b), "round trip changed the tree:\n{q}\n{printed}");
    }
}

/// Every query of the conformance suite that parses prints as canonical KQL that parses
/// back to the same tree (spans aside), and printing is idempotent.
#[test]
fn round_trip_over_the_conformance_suite() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, case) in crate::cases::all_cases() {
        let (Some(a), d) = syntax::parse(&case.query) else { continue };
        if !d.is_empty() {
            continue;
        }
        checked += 1;
        let printed = a.to_string();
        let (b, d2) = syntax::parse(&printed);
        match b {
            Some(b) if d2.is_empty() => {
                if strip(&a) != strip(&b) {
                    failures.push(format!("{file}:{}: tree changed\n{}\n--- printed\n{printed}", case.line, case.query));
                } else if b.to_string() != printed {
                    failures.push(format!("{file}:{}: printing is not idempotent\n{printed}\n--- then\n{}", case.line, b));
                }
            }
            _ => failures.push(format!("{file}:{}: the printed query does not parse: {d2:?}\n{}\n--- printed\n{printed}", case.line, case.query)),
        }
    }
    assert!(checked > 100, "only {checked} queries checked");
    assert!(failures.is_empty(), "{} round-trip failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Debug text with spans removed.
fn strip(s: &Script) -> String {
    let dbg = format!("{s:?}");
    let mut out = String::new();
    let mut rest = dbg.as_str();
    while let Some(i) = rest.find("span: ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 6..];
        let end = after.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Prefixes of queries using the long-tail syntax parse, bind and run without panicking.
#[test]
fn long_tail_syntax_never_panics_on_prefixes() {
    let cat = crate::cases::catalog();
    let q = "UrlClickEvents | make-series n = count() default = 0 on Timestamp from ago(2d) to now() step 1h by AccountUpn | extend (f, s, b) = series_decompose_anomalies(n, 1.5, -1, 'linefit') | mv-apply x = f to typeof(long) on (where x != 0 | top 1 by x) | evaluate pivot(AccountUpn) | search \"a*\" and AccountUpn:\"b\" | top-nested 2 of a by count(), top-nested of b with others = 'x' by sum(c) | parse-kv t as (k: long) with (pair_delimiter=',', kv_delimiter=':') | evaluate bag_unpack(d, 'p_') : (*, a: string)";
    for (i, _) in q.char_indices() {
        let _ = kqlab::engine::run(&q[..i], &cat, &kqlab::engine::RunOptions::at(crate::cases::clock()));
    }
}

#[test]
fn parsing_never_panics_on_prefixes() {
    let q = "let f = (a: string) { a }; UrlClickEvents | where Timestamp between (ago(7d) .. now()) and Url has_any (\"a\", \"b\") | summarize dcount(Url), make_set(Url, 10) by AccountUpn | join kind=inner (EmailEvents | project NetworkMessageId) on NetworkMessageId | mv-expand x = parse_json(y) | render columnchart with (title='t')";
    for (i, _) in q.char_indices() {
        let _ = syntax::parse(&q[..i]);
    }
}

#[test]
fn a_broken_between_range_is_one_error() {
    // One dot where two belong used to read as a member access, and the range's closing
    // bracket was then reported again as unmatched.
    for (q, words) in [
        ("print x = 3 between (1 . 5)", "needs two dots"),
        ("T | where Timestamp between (ago(2d) . now())", "needs two dots"),
        ("T | where Timestamp between (ago(2d) .. ) | count", "the upper bound"),
    ] {
        let (_, d) = syntax::parse(q);
        assert_eq!(d.len(), 1, "{q}: {d:?}");
        assert!(d[0].message.contains(words), "{q}: {}", d[0].message);
    }
}
