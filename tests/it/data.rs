//! The generated datasets: schema, determinism and the story the lessons rely on. Counts
//! are computed directly from the tables (no query engine needed).

use kqlab::data::{self, story, DatasetSpec};
use kqlab::table::{read_csv, write_csv, Column, CsvOptions, HeaderStyle, Table};
use kqlab::types::time::{parse_datetime, TICKS_PER_DAY, TICKS_PER_HOUR};
use kqlab::types::DataType;
use std::collections::{BTreeMap, BTreeSet};

fn clock() -> i64 {
    parse_datetime("2026-11-22T12:00:00Z").expect("valid datetime")
}

fn strs<'a>(t: &'a Table, name: &str) -> Vec<&'a str> {
    let s = t.column(name).and_then(Column::as_str_column).unwrap_or_else(|| panic!("string column {name}"));
    (0..s.len()).map(|i| s.get(i)).collect()
}

/// The table with its GUID columns stored as numbers (`table::guids`) turned into dictionary
/// text, so [`strs`] can lend their strings.
fn as_text(t: &Table) -> Table {
    let columns =
        t.columns.iter().map(|c| if let Column::GuidText(g) = &**c { std::sync::Arc::new(Column::String(g.to_str_column())) } else { c.clone() }).collect();
    Table::new(t.fields.clone(), columns)
}

fn times(t: &Table, name: &str) -> Vec<i64> {
    match t.column(name) {
        Some(Column::DateTime(p)) => p.values.clone(),
        _ => panic!("datetime column {name}"),
    }
}

fn bools(t: &Table, name: &str) -> Vec<bool> {
    match t.column(name) {
        Some(Column::Bool(p)) => p.values.clone(),
        _ => panic!("bool column {name}"),
    }
}

fn ints(t: &Table, name: &str) -> Vec<i32> {
    match t.column(name) {
        Some(Column::Int(p)) => p.values.clone(),
        _ => panic!("int column {name}"),
    }
}

/// Counts sorted from largest to smallest.
fn ranked<K: Ord>(counts: BTreeMap<K, usize>) -> Vec<usize> {
    let mut v: Vec<usize> = counts.into_values().collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

fn no_tie_at_top10(v: &[usize]) -> bool {
    v.len() <= 10 || v[9] > v[10]
}

#[test]
fn url_click_events_has_the_documented_schema() {
    let expected = [
        ("Timestamp", DataType::DateTime),
        ("Url", DataType::String),
        ("ActionType", DataType::String),
        ("AccountUpn", DataType::String),
        ("Workload", DataType::String),
        ("NetworkMessageId", DataType::String),
        ("ThreatTypes", DataType::String),
        ("DetectionMethods", DataType::String),
        ("IPAddress", DataType::String),
        ("IsClickedThrough", DataType::Bool),
        ("UrlChain", DataType::String),
        ("ReportId", DataType::String),
        ("AppName", DataType::String),
        ("AppVersion", DataType::String),
        ("SourceId", DataType::String),
        ("TenantId", DataType::String),
        ("Type", DataType::String),
        ("SourceSystem", DataType::String),
        ("TimeGenerated", DataType::DateTime),
    ];
    let t = data::url_click_events(&DatasetSpec::new(1, 50, clock()));
    let got: Vec<(&str, DataType)> = t.fields.iter().map(|f| (f.name.as_str(), f.ty)).collect();
    assert_eq!(got, expected);
    assert_eq!(times(&t, "Timestamp"), times(&t, "TimeGenerated"));
}

#[test]
fn every_table_is_documented_and_generated_by_name() {
    let spec = DatasetSpec::new(3, 300, clock());
    let catalog = data::builtin_catalog(&spec);
    assert_eq!(catalog.names().count(), data::table_names().len());
    for name in data::table_names() {
        let schema = data::table_schema(name).expect("schema");
        let doc = data::table_doc(name).expect("doc");
        assert_eq!(doc.columns.len(), schema.len(), "{name}: one description per column");
        assert!(doc.columns.iter().all(|c| !c.is_empty()) && !doc.description.is_empty());
        let t = data::generate(name, &spec).expect("known name");
        assert_eq!(t.fields, schema);
        let from_catalog = catalog.get(name).expect("in the catalog");
        assert_eq!(data::digest(&t), data::digest(from_catalog), "{name}: same rows alone or in the catalog");
    }
    assert!(data::generate("urlclickevents", &spec).is_none(), "names are case-sensitive");
    let email = data::table_schema("EmailEvents").unwrap();
    for col in ["ConfidenceLevel", "AuthenticationDetails", "LatestDeliveryAction", "SenderIPv6", "EmailActionPolicyGuid"] {
        assert!(email.iter().any(|f| f.name == col), "EmailEvents.{col}");
    }
}

#[test]
fn row_count_is_the_requested_rows() {
    for rows in [0, 1, 5, 23, 24, 25, 200, 2000] {
        let spec = DatasetSpec::new(9, rows, clock());
        assert_eq!(data::url_click_events(&spec).len(), rows);
        let catalog = data::builtin_catalog(&spec);
        assert_eq!(catalog.get("UrlClickEvents").unwrap().len(), rows);
    }
}

/// Pins the generated data: if this changes, every platform's data changed. The same digest
/// computed in wasm32 proves the browser sees the same rows.
#[test]
fn determinism_digest() {
    let spec = DatasetSpec::new(42, 2000, clock());
    let catalog = data::builtin_catalog(&spec);
    let digests: Vec<u64> = data::table_names().iter().map(|n| data::digest(catalog.get(n).unwrap())).collect();
    assert_eq!(digests, DIGESTS_42_2000);
    assert_eq!(data::digest(&data::url_click_events(&spec)), DIGESTS_42_2000[0], "repeatable");
}

/// Digests of the built-in tables for seed 42, 2000 rows, clock 2026-11-22T12:00:00Z, in
/// [`data::table_names`] order (the three endpoint tables were added after the first five and
/// left those five unchanged). Re-pinned when the rhythm began to follow the real local
/// (UTC+1) hour and weekday instead of a clock-anchored week, and the campaign and the malware
/// lure each gained a second copy for one recipient; the generator still uses only integer
/// arithmetic, which is what makes wasm32 agree. Re-pinned again, with the data unchanged, when
/// datetimes began to print all seven fraction digits (the digest reads the printed values).
/// Extended to the second chapter's thirteen tables; the four mail tables were re-pinned then
/// because they gained Sentinel's `TimeGenerated` column (their rows are unchanged, and the
/// click and endpoint tables' digests did not move). `SigninLogs` was inserted before
/// `AADSignInEventsBeta` with every other digest unchanged. `DeviceProcessEvents` was
/// re-pinned when an IT admin's daily `whoami`/`net use` routine joined the background, and
/// `SigninLogs` when it gained the three columns of the reference page it lacked.
const DIGESTS_42_2000: [u64; 22] = [
    654977943948474871,
    7475248534833101728,
    10926399056425843335,
    332315297162726405,
    1118475012349326026,
    15965693389593674026,
    16866554250978305633,
    13648478682955383263,
    15329457020073614817,
    7891997442266318488,
    13989397268203909006,
    6907669479015078551,
    10538690130932086773,
    17488253497858860962,
    5574328319030329799,
    111173449239898651,
    9519072918472801851,
    15137710428936468918,
    3880943804196899267,
    17075670923886946789,
    16050250780413999724,
    7613897393959293454,
];

/// `UrlClickEvents` at the lesson size (seed 42, 5000 rows, same clock).
const DIGEST_LESSON_CLICKS: u64 = 5306355892954770747;

#[test]
fn determinism_digest_at_the_lesson_size() {
    let spec = DatasetSpec::lesson(clock());
    assert_eq!(data::digest(&data::url_click_events(&spec)), DIGEST_LESSON_CLICKS);
}

#[test]
fn a_clock_one_week_later_only_shifts_time() {
    // The rhythm follows the real day of the week, so only a whole week later gives the same
    // data, shifted.
    let delta = 7 * TICKS_PER_DAY;
    let a = data::builtin_catalog(&DatasetSpec::new(5, 1500, clock()));
    let b = data::builtin_catalog(&DatasetSpec::new(5, 1500, clock() + delta));
    for name in data::table_names() {
        let (ta, tb) = (a.get(name).unwrap(), b.get(name).unwrap());
        assert_eq!(ta.len(), tb.len());
        for (k, f) in ta.fields.iter().enumerate() {
            for r in 0..ta.len() {
                match (ta.value(r, k), tb.value(r, k)) {
                    (kqlab::types::Value::DateTime(x), kqlab::types::Value::DateTime(y)) => assert_eq!(y - x, delta),
                    (x, y) => assert_eq!(x, y, "{name}.{} row {r}", f.name),
                }
            }
        }
    }
}

/// Checks the story in `UrlClickEvents` for one spec.
fn check_clicks(spec: &DatasetSpec) {
    let ctx = format!("seed {} rows {}", spec.seed, spec.rows);
    let t = as_text(&data::url_click_events(spec));
    let clock = spec.clock;
    let week = clock - 7 * TICKS_PER_DAY;
    let ts = times(&t, "Timestamp");
    let url = strs(&t, "Url");
    let upn = strs(&t, "AccountUpn");
    let action = strs(&t, "ActionType");
    let threat = strs(&t, "ThreatTypes");
    let detection = strs(&t, "DetectionMethods");
    let report = strs(&t, "ReportId");
    let through = bools(&t, "IsClickedThrough");
    let workload = strs(&t, "Workload");
    let nmi = strs(&t, "NetworkMessageId");
    let chain = strs(&t, "UrlChain");

    // Time range, and a visible share of rows older than seven days.
    assert!(ts.iter().all(|&x| x < clock && x > clock - 10 * TICKS_PER_DAY), "{ctx}: rows within ten days");
    let old = ts.iter().filter(|&&x| x <= week).count();
    assert!(old * 5 >= t.len(), "{ctx}: {old} rows older than 7 days");

    // Threat verdicts on malicious links only.
    let campaign: Vec<usize> = (0..t.len()).filter(|&r| url[r].contains("contoso-login")).collect();
    for r in 0..t.len() {
        let malicious = url[r].contains("contoso-login") || url[r] == story::MALWARE_URL;
        assert_eq!(threat[r].is_empty(), !malicious, "{ctx}: ThreatTypes on row {r} ({})", url[r]);
        assert_eq!(detection[r].is_empty(), threat[r].is_empty(), "{ctx}: DetectionMethods on row {r}");
        assert_eq!(workload[r] == "Email", !nmi[r].is_empty(), "{ctx}: NetworkMessageId only for e-mail clicks");
        if !chain[r].is_empty() {
            assert!(chain[r].starts_with(&format!("[\"{}\",", url[r])), "{ctx}: chain starts at the clicked URL");
        }
    }
    let threat_values: BTreeSet<&str> = threat.iter().copied().collect();
    assert_eq!(threat_values, BTreeSet::from(["", "Malware", "Phish"]));
    let actions: BTreeSet<&str> = action.iter().copied().collect();
    let documented = BTreeSet::from(["ClickAllowed", "ClickBlocked", "ClickBlockedByTenantPolicy", "UrlErrorPage", "UrlScanInProgress"]);
    assert!(actions.is_subset(&documented) && actions.contains("ClickBlockedByTenantPolicy"));
    assert!(workload.iter().all(|w| ["Email", "Teams", "Office"].contains(w)));
    let malware_old = (0..t.len()).filter(|&r| threat[r] == "Malware" && ts[r] <= week).count();
    let malware_new = (0..t.len()).filter(|&r| threat[r] == "Malware" && ts[r] > week).count();
    assert_eq!((malware_old, malware_new), (1, 3), "{ctx}: malware clicks before/inside the week");

    // The campaign: who clicked, inside one hour.
    assert_eq!(campaign.len(), story::CAMPAIGN_CLICK_EVENTS, "{ctx}");
    let spike_start = story::campaign_hour_start(clock);
    assert!(spike_start - TICKS_PER_HOUR > week && spike_start + 3 * TICKS_PER_HOUR <= clock, "{ctx}: the campaign and its purge are inside the week");
    assert!(campaign.iter().all(|&r| ts[r] > spike_start && ts[r] < spike_start + TICKS_PER_HOUR));
    let clickers: BTreeSet<&str> = campaign.iter().map(|&r| upn[r]).collect();
    let expected: BTreeSet<String> = story::campaign_clickers().into_iter().collect();
    assert_eq!(clickers, expected.iter().map(String::as_str).collect());

    // One repeated click: a user with two campaign clicks (two ReportIds).
    let mut reports_by_user: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &r in &campaign {
        reports_by_user.entry(upn[r]).or_default().insert(report[r]);
    }
    let repeaters: Vec<&str> = reports_by_user.iter().filter(|(_, s)| s.len() > 1).map(|(u, _)| *u).collect();
    assert_eq!(repeaters, vec![story::REPEAT_CLICKER], "{ctx}");

    // One click-through: two events sharing a ReportId, blocked then clicked through.
    let mut rows_by_report: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (r, id) in report.iter().enumerate() {
        rows_by_report.entry(id).or_default().push(r);
    }
    let shared: Vec<&Vec<usize>> = rows_by_report.values().filter(|v| v.len() > 1).collect();
    assert_eq!(shared.len(), 1, "{ctx}: exactly one ReportId is shared");
    let pair = shared[0];
    assert_eq!(pair.len(), 2);
    let (first, second) = if ts[pair[0]] < ts[pair[1]] { (pair[0], pair[1]) } else { (pair[1], pair[0]) };
    assert_eq!(upn[first], story::CLICK_THROUGH_USER);
    assert_eq!(upn[second], story::CLICK_THROUGH_USER);
    assert_eq!((action[first], through[first]), ("ClickBlocked", false));
    assert_eq!((action[second], through[second]), ("ClickAllowed", true));
    assert_eq!(through.iter().filter(|&&x| x).count(), 1, "{ctx}: one click-through in the whole table");
    let tenant_blocks: Vec<&str> = campaign.iter().filter(|&&r| action[r] == "ClickBlockedByTenantPolicy").map(|&r| upn[r]).collect();
    assert_eq!(tenant_blocks, vec![story::REPEAT_CLICKER]);
    let allowed: BTreeSet<&str> = campaign.iter().filter(|&&r| action[r] == "ClickAllowed" && !through[r]).map(|&r| upn[r]).collect();
    assert_eq!(allowed, story::ALLOWED_CAMPAIGN_CLICKERS.into_iter().collect());
    let teams: Vec<usize> = campaign.iter().copied().filter(|&r| workload[r] == "Teams").collect();
    assert_eq!(teams.len(), 1);
    assert_eq!(upn[teams[0]], story::TEAMS_CLICKER);
    assert!(chain[teams[0]].contains(story::CAMPAIGN_TEAMS_LANDING), "the short link's redirect is recorded");

    // The spike: the campaign hour is the single busiest hour of the week.
    let mut hours: BTreeMap<i64, usize> = BTreeMap::new();
    for &x in ts.iter().filter(|&&x| x > week) {
        *hours.entry(x.div_euclid(TICKS_PER_HOUR)).or_default() += 1;
    }
    let (&busiest, &max) = hours.iter().max_by_key(|(_, c)| **c).unwrap();
    assert_eq!(busiest * TICKS_PER_HOUR, spike_start, "{ctx}: the busiest hour is the campaign hour");
    assert_eq!(hours.values().filter(|&&c| c == max).count(), 1, "{ctx}: the spike is the unique maximum");

    // Top 10 by clicks over the week, by user and by (user, ThreatTypes): no tie at the boundary.
    let mut by_user: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_user_threat: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in (0..t.len()).filter(|&r| ts[r] > week) {
        *by_user.entry(upn[r]).or_default() += 1;
        *by_user_threat.entry((upn[r], threat[r])).or_default() += 1;
    }
    let users = ranked(by_user);
    let pairs = ranked(by_user_threat);
    assert!(no_tie_at_top10(&users), "{ctx}: per-user counts {:?}", &users[..users.len().min(12)]);
    assert!(no_tie_at_top10(&pairs), "{ctx}: per-user-and-threat counts {:?}", &pairs[..pairs.len().min(12)]);
}

#[test]
fn the_story_holds_for_several_seeds_and_sizes() {
    for seed in [1, DatasetSpec::LESSON_SEED, 2024] {
        for rows in [2000, DatasetSpec::LESSON_ROWS, 12_000] {
            check_clicks(&DatasetSpec::new(seed, rows, clock()));
        }
    }
}

/// Clocks at different points of the week: loaded early on a Wednesday (UTC), on a Sunday
/// afternoon, on a Monday morning before work, on a Friday evening, and not on the hour.
const WEEK_CLOCKS: [&str; 5] = ["2026-11-18T05:00:00Z", "2026-11-22T17:00:00Z", "2026-11-23T06:00:00Z", "2026-11-27T19:00:00Z", "2027-03-03T10:30:00Z"];

/// Local (UTC+1) hour of day and day of the week (0 = Monday) of a timestamp.
fn local(t: i64) -> (i64, i64) {
    let l = t + story::UTC_OFFSET_HOURS * TICKS_PER_HOUR;
    (l.div_euclid(TICKS_PER_HOUR).rem_euclid(24), (l.div_euclid(TICKS_PER_DAY) + 3).rem_euclid(7))
}

fn working(t: i64) -> bool {
    let (h, d) = local(t);
    d < 5 && (8..18).contains(&h)
}

#[test]
fn the_rhythm_follows_the_local_day_and_week_at_any_clock() {
    for c in WEEK_CLOCKS {
        let clock = parse_datetime(c).unwrap();
        let spec = DatasetSpec::new(DatasetSpec::LESSON_SEED, DatasetSpec::LESSON_ROWS, clock);
        let t = data::url_click_events(&spec);
        let ts = times(&t, "Timestamp");
        let threat = strs(&t, "ThreatTypes");
        let benign: Vec<i64> = (0..t.len()).filter(|&r| threat[r].is_empty()).map(|r| ts[r]).collect();

        // Most clicks fall in working hours (Monday to Friday, 08:00-18:00 local).
        let work = benign.iter().filter(|&&x| working(x)).count();
        assert!(work * 2 > benign.len(), "{c}: {work} of {} clicks in working hours", benign.len());

        // Working hours are far busier than nights, hour for hour.
        let mut day_hours = 0;
        let mut night_hours = 0;
        for &x in &benign {
            let (h, d) = local(x);
            if d < 5 && (10..16).contains(&h) {
                day_hours += 1;
            }
            if (0..6).contains(&h) {
                night_hours += 1;
            }
        }
        // 5 weekdays x 6 daytime hours against 7 days x 6 night hours per week.
        assert!(day_hours * 7 > 3 * night_hours * 5, "{c}: day {day_hours}, night {night_hours}");

        // Whole local days inside the data: weekend days are quieter than weekdays.
        let mut per_day: BTreeMap<i64, usize> = BTreeMap::new();
        for &x in &benign {
            *per_day.entry((x + story::UTC_OFFSET_HOURS * TICKS_PER_HOUR).div_euclid(TICKS_PER_DAY)).or_default() += 1;
        }
        let first = per_day.keys().next().copied().unwrap();
        let last = per_day.keys().last().copied().unwrap();
        let (mut wk, mut wk_days, mut we, mut we_days) = (0, 0, 0, 0);
        for (&day, &n) in per_day.iter().filter(|(d, _)| **d != first && **d != last) {
            if (day + 3).rem_euclid(7) >= 5 {
                we += n;
                we_days += 1;
            } else {
                wk += n;
                wk_days += 1;
            }
        }
        assert!(we_days >= 2 && wk_days >= 5, "{c}: {we_days} weekend and {wk_days} weekdays in the data");
        assert!(we * wk_days * 10 < 6 * wk * we_days, "{c}: weekend {we}/{we_days} days, weekdays {wk}/{wk_days} days");

        // The story happens at work: the campaign's clicks and the malware clicks fall on a
        // weekday in working hours, the campaign's in the morning.
        let url = strs(&t, "Url");
        for r in (0..t.len()).filter(|&r| !threat[r].is_empty()) {
            assert!(working(ts[r]), "{c}: {} clicked at {:?} (local hour, weekday)", url[r], local(ts[r]));
        }
        let campaign: Vec<i64> = (0..t.len()).filter(|&r| url[r].contains("contoso-login")).map(|r| ts[r]).collect();
        // Hours are counted back from the clock: with a clock on the hour (as the playground
        // uses), the campaign hour is 09:00-10:00 local; with 10:30 it is 09:30-10:30.
        let hours = if clock % TICKS_PER_HOUR == 0 { 9..10 } else { 9..11 };
        assert!(campaign.iter().all(|&x| hours.contains(&local(x).0)), "{c}: campaign clicks in the morning hour");
        if clock % TICKS_PER_HOUR == 0 {
            // (The busiest-hour check counts clock hours, which are real hours only then.)
            check_clicks(&spec);
        }
    }
}

#[test]
fn the_mail_story_holds_at_other_clocks() {
    for c in WEEK_CLOCKS {
        let clock = parse_datetime(c).unwrap();
        check_mail(&DatasetSpec::new(DatasetSpec::LESSON_SEED, DatasetSpec::LESSON_ROWS, clock));
        let catalog = data::builtin_catalog(&DatasetSpec::lesson(clock));
        let ev = catalog.get("EmailEvents").unwrap();
        let post = catalog.get("EmailPostDeliveryEvents").unwrap();
        let ev_t = times(ev, "Timestamp");
        let from = strs(ev, "SenderFromDomain");
        for r in (0..ev.len()).filter(|&r| from[r] == story::CAMPAIGN_DOMAIN || from[r] == "northwindtraders-billing.com") {
            assert!(working(ev_t[r]), "{c}: a story mail arrived at {:?}", local(ev_t[r]));
        }
        let zap_t = times(post, "Timestamp");
        for (r, a) in strs(post, "ActionType").into_iter().enumerate() {
            if a.ends_with("ZAP") {
                assert!(working(zap_t[r]) && zap_t[r] < clock, "{c}: {a} at {:?}", local(zap_t[r]));
            }
        }
    }
}

/// Checks that the e-mail tables agree with the clicks and with each other.
fn check_mail(spec: &DatasetSpec) {
    let catalog = data::builtin_catalog(spec);
    let text = |name: &str| as_text(catalog.get(name).unwrap());
    let (clicks, ev, urls, att, post) =
        (&text("UrlClickEvents"), &text("EmailEvents"), &text("EmailUrlInfo"), &text("EmailAttachmentInfo"), &text("EmailPostDeliveryEvents"));

    let ev_nmi = strs(ev, "NetworkMessageId");
    let ev_to = strs(ev, "RecipientEmailAddress");
    let ev_t = times(ev, "Timestamp");
    assert!(ev_t.iter().all(|&t| t < spec.clock));
    let mut mail: BTreeMap<&str, usize> = BTreeMap::new();
    for (r, id) in ev_nmi.iter().enumerate() {
        assert!(mail.insert(id, r).is_none(), "NetworkMessageId {id} appears twice in EmailEvents");
    }
    let mut links: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut link_count: BTreeMap<&str, i32> = BTreeMap::new();
    for (id, u) in strs(urls, "NetworkMessageId").into_iter().zip(strs(urls, "Url")) {
        links.insert((id, u));
        *link_count.entry(id).or_default() += 1;
    }
    let mut file_count: BTreeMap<&str, i32> = BTreeMap::new();
    for id in strs(att, "NetworkMessageId") {
        *file_count.entry(id).or_default() += 1;
    }
    for (r, id) in ev_nmi.iter().enumerate() {
        assert_eq!(ints(ev, "UrlCount")[r], link_count.get(id).copied().unwrap_or(0), "UrlCount of {id}");
        assert_eq!(ints(ev, "AttachmentCount")[r], file_count.get(id).copied().unwrap_or(0), "AttachmentCount of {id}");
    }

    // Every e-mail click joins to its mail, addressed to the same person, sent before the click.
    let c_nmi = strs(clicks, "NetworkMessageId");
    let c_upn = strs(clicks, "AccountUpn");
    let c_url = strs(clicks, "Url");
    let c_t = times(clicks, "Timestamp");
    for r in (0..clicks.len()).filter(|&r| !c_nmi[r].is_empty()) {
        let m = *mail.get(c_nmi[r]).unwrap_or_else(|| panic!("click {r}: mail {} missing", c_nmi[r]));
        assert_eq!(ev_to[m], c_upn[r], "click {r}: recipient");
        assert!(ev_t[m] < c_t[r], "click {r}: the mail arrived first");
        assert!(links.contains(&(c_nmi[r], c_url[r])), "click {r}: the clicked link is in EmailUrlInfo");
    }

    // The campaign in the mail tables.
    let from = strs(ev, "SenderFromDomain");
    let delivery = strs(ev, "DeliveryAction");
    let campaign: Vec<usize> = (0..ev.len()).filter(|&r| from[r] == story::CAMPAIGN_DOMAIN).collect();
    assert_eq!(campaign.len(), story::CAMPAIGN_MESSAGES);
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for &r in &campaign {
        *outcomes.entry(delivery[r]).or_default() += 1;
        people.entry(delivery[r]).or_default().insert(ev_to[r]);
    }
    assert_eq!(outcomes, BTreeMap::from([("Blocked", 4), ("Delivered", 31), ("Junked", 6)]));
    // One person got two junked copies: counting rows and counting people differ there only.
    let people: BTreeMap<&str, usize> = people.into_iter().map(|(k, v)| (k, v.len())).collect();
    assert_eq!(people, BTreeMap::from([("Blocked", 4), ("Delivered", 31), ("Junked", 5)]));
    let recipients: BTreeSet<&str> = campaign.iter().map(|&r| ev_to[r]).collect();
    assert_eq!(recipients.len(), story::CAMPAIGN_RECIPIENTS);
    for clicker in story::campaign_clickers() {
        assert_eq!(recipients.contains(clicker.as_str()), clicker != story::TEAMS_CLICKER, "{clicker}");
    }
    assert!(campaign.iter().all(|&r| strs(ev, "Subject")[r] == story::CAMPAIGN_SUBJECT));
    let delivered: BTreeSet<&str> = campaign.iter().filter(|&&r| delivery[r] == "Delivered").map(|&r| ev_nmi[r]).collect();
    let zapped: BTreeSet<&str> =
        strs(post, "ActionType").into_iter().zip(strs(post, "NetworkMessageId")).filter(|(a, _)| *a == "Phish ZAP").map(|(_, id)| id).collect();
    assert_eq!(zapped, delivered, "zero-hour auto purge removed every delivered copy");
    assert!(strs(post, "NetworkMessageId").iter().all(|id| mail.contains_key(id)));
    assert!(strs(att, "ThreatTypes").contains(&"Malware"));
}

#[test]
fn the_mail_tables_agree_with_the_clicks() {
    check_mail(&DatasetSpec::new(DatasetSpec::LESSON_SEED, DatasetSpec::LESSON_ROWS, clock()));
    check_mail(&DatasetSpec::new(7, 800, clock()));
}

#[test]
fn generated_tables_survive_a_csv_round_trip() {
    let catalog = data::builtin_catalog(&DatasetSpec::new(11, 400, clock()));
    for name in data::table_names() {
        let t = catalog.get(name).unwrap();
        for style in [HeaderStyle::Typed, HeaderStyle::Plain] {
            let text = write_csv(t, style);
            let opts = match style {
                HeaderStyle::Typed => CsvOptions::default(),
                // A plain header loses the types; declare them as a lesson file would.
                HeaderStyle::Plain => CsvOptions { types: t.fields.iter().map(|f| (f.name.clone(), f.ty)).collect(), ..Default::default() },
            };
            let (back, warnings) = read_csv(&text, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(warnings.is_empty(), "{name}: {warnings:?}");
            assert_eq!(back.fields, t.fields, "{name}");
            assert_eq!(back.len(), t.len());
            for r in 0..t.len() {
                assert_eq!(back.row(r), t.row(r), "{name} row {r}");
            }
        }
    }
}

/// Generation speed at a million rows (release builds only: `cargo test --release --test it data::`).
#[cfg(not(debug_assertions))]
#[test]
fn a_million_rows_generate_quickly() {
    let spec = DatasetSpec::new(DatasetSpec::LESSON_SEED, 1_000_000, clock());
    let start = std::time::Instant::now();
    let t = data::url_click_events(&spec);
    let elapsed = start.elapsed();
    println!("url_click_events: {} rows in {elapsed:?}, {} MiB", t.len(), t.heap_bytes() >> 20);
    assert_eq!(t.len(), 1_000_000);
    // Generous bound (shared CI machines); typical is well under a second.
    assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");
}

#[test]
fn plain_csv_of_url_click_events_infers_the_right_types() {
    let t = data::url_click_events(&DatasetSpec::new(2, 300, clock()));
    let (back, _) = read_csv(&write_csv(&t, HeaderStyle::Plain), &CsvOptions::default()).expect("readable");
    // Versions and IP addresses look numeric at a glance; inference must keep them strings.
    assert_eq!(back.fields, t.fields);
}

// ---------------------------------------------------------------------------------------
// The endpoint tables (DeviceProcessEvents, DeviceNetworkEvents, DeviceFileEvents).

fn longs(t: &Table, name: &str) -> Vec<i64> {
    match t.column(name) {
        Some(Column::Long(p)) => p.values.clone(),
        _ => panic!("long column {name}"),
    }
}

/// Every generated endpoint table has exactly the columns of the reference list written from
/// Microsoft's schema pages: the advanced-hunting columns in Microsoft's order with
/// Microsoft's types, then the columns Sentinel adds.
#[test]
fn device_tables_have_microsofts_columns_in_microsofts_order() {
    let spec = DatasetSpec::new(4, 300, clock());
    let listed: Vec<&str> = data::reference::TABLES.iter().map(|r| r.name).collect();
    let lazy: Vec<&str> = data::DEVICE_TABLES.iter().chain(&data::CLOUD_TABLES).copied().collect();
    assert_eq!(BTreeSet::from_iter(listed.iter().copied()), BTreeSet::from_iter(lazy), "every reference table is generated, and the other way round");
    for name in listed {
        let r = data::reference::table(name).unwrap_or_else(|| panic!("{name} is in the reference list"));
        let want: Vec<(String, String)> = r.columns.iter().chain(r.sentinel).map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let t = data::generate(name, &spec).expect("generated");
        let got: Vec<(String, String)> = t.fields.iter().map(|f| (f.name.clone(), f.ty.name().to_string())).collect();
        assert_eq!(got, want, "{name}");
        assert_eq!(&got[..r.columns.len()].last().unwrap().0, r.columns.last().unwrap().0, "{name}: Microsoft's columns come first");
        let doc = data::table_doc(name).unwrap();
        let undocumented: Vec<&str> = doc.columns.iter().zip(&t.fields).filter(|(d, _)| d.is_empty()).map(|(_, f)| f.name.as_str()).collect();
        assert!(undocumented.is_empty(), "{name}: undocumented columns {undocumented:?}");
        assert!(!t.is_empty(), "{name} has rows");
        if name.ends_with("SignInEvents") || name == "AADSignInEventsBeta" {
            // Advanced hunting's Entra sign-in tables are not streamed to Sentinel.
            assert!(!got.iter().any(|(n, _)| n == "TimeGenerated"), "{name}");
            continue;
        }
        assert!(got.iter().any(|(n, t)| n == "TimeGenerated" && t == "datetime"), "{name}: Sentinel's TimeGenerated");
        assert_eq!(times(&t, "Timestamp"), times(&t, "TimeGenerated"), "{name}: TimeGenerated is Timestamp");
    }
    // The mail tables have Sentinel's TimeGenerated too.
    for name in ["UrlClickEvents", "EmailEvents", "EmailUrlInfo", "EmailAttachmentInfo", "EmailPostDeliveryEvents"] {
        let t = data::generate(name, &spec).unwrap();
        assert_eq!(t.fields.last().map(|f| f.name.as_str()), Some("TimeGenerated"), "{name}");
        assert_eq!(times(&t, "Timestamp"), times(&t, "TimeGenerated"), "{name}: TimeGenerated is Timestamp");
        assert_eq!(data::table_schema(name).unwrap().len(), t.fields.len(), "{name}: the schema pane lists it");
    }
    // More spot checks of the second chapter's lists against Microsoft's pages.
    let l = data::reference::table("DeviceLogonEvents").unwrap().columns;
    assert_eq!((l.len(), l[4], l[10], l[15]), (48, ("LogonType", "string"), ("IsLocalAdmin", "bool"), ("RemotePort", "int")));
    let e = data::reference::table("DeviceEvents").unwrap().columns;
    assert_eq!((e.len(), e[55]), (64, ("AdditionalFields", "dynamic")));
    let c = data::reference::table("CloudAppEvents").unwrap().columns;
    assert_eq!((c.len(), c[18], c[29]), (36, ("ActivityObjects", "dynamic"), ("RawEventData", "dynamic")));
    let a = data::reference::table("AlertEvidence").unwrap().columns;
    assert_eq!((a.len(), a[7], a[29]), (42, ("EntityType", "string"), ("ApplicationId", "int")));
    let (new, old) = (data::reference::table("EntraIdSignInEvents").unwrap().columns, data::reference::table("AADSignInEventsBeta").unwrap().columns);
    assert_eq!((new.len(), new[18], old[18]), (44, ("EntraIdDeviceId", "string"), ("AadDeviceId", "string")));
    // Spot checks against the reference pages, so the list itself is not taken on trust.
    let p = data::reference::table("DeviceProcessEvents").unwrap().columns;
    assert_eq!((p.len(), p[16], p[55]), (66, ("ProcessId", "long"), ("ReportId", "long")));
    let n = data::reference::table("DeviceNetworkEvents").unwrap().columns;
    assert_eq!((n.len(), n[5], n[8]), (44, ("RemotePort", "int"), ("LocalPort", "int")));
    let f = data::reference::table("DeviceFileEvents").unwrap().columns;
    assert_eq!((f.len(), f[9], f[49]), (57, ("FileOriginUrl", "string"), ("IsAzureInfoProtectionApplied", "bool")));
}

/// The built-in catalog lists the endpoint tables (names, columns, docs) without generating
/// them, so opening a lesson costs what it did before they existed; the first query that
/// reads one generates it, and a query on the mail tables never does.
#[test]
fn endpoint_tables_are_generated_only_when_a_query_reads_them() {
    use kqlab::engine::{self, RunOptions};
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    for name in data::DEVICE_TABLES {
        assert!(catalog.contains(name) && !catalog.is_generated(name), "{name} is listed, not generated");
        assert_eq!(catalog.schema(name).unwrap().len(), data::table_schema(name).unwrap().len());
    }
    assert!(catalog.entries().filter(|e| e.name.starts_with("Device")).all(|e| e.rows.is_none()));
    assert!(catalog.is_generated("UrlClickEvents"));
    let opts = RunOptions::at(spec.clock);
    engine::run("UrlClickEvents | join kind=inner EmailEvents on NetworkMessageId | count", &catalog, &opts).expect("runs");
    assert!(data::DEVICE_TABLES.iter().all(|n| !catalog.is_generated(n)), "the mail tables' query generated no endpoint table");
    let r = engine::run("DeviceFileEvents | where FileName endswith '.lnk' | count", &catalog, &opts).expect("runs");
    assert_eq!(r.table.len(), 1);
    assert!(catalog.is_generated("DeviceFileEvents"));
    let files = catalog.get("DeviceFileEvents").unwrap();
    assert_eq!(data::digest(files), data::digest(&data::generate("DeviceFileEvents", &spec).unwrap()), "same rows lazily or directly");
}

/// `EmailUrlInfo`, `EmailAttachmentInfo` and `EmailPostDeliveryEvents` are listed by the
/// built-in catalog but generated only when a query reads them (at the playground's largest
/// sizes they are about a third of the generated bytes), with the same rows as when generated
/// directly; the clicks and `EmailEvents` are generated up front.
#[test]
fn the_rarely_joined_mail_tables_are_generated_only_when_a_query_reads_them() {
    use kqlab::engine::{self, RunOptions};
    let spec = DatasetSpec::new(42, 2000, clock());
    let catalog = data::builtin_catalog(&spec);
    assert!(catalog.is_generated("UrlClickEvents") && catalog.is_generated("EmailEvents"));
    for name in data::LAZY_MAIL_TABLES {
        assert!(catalog.contains(name) && !catalog.is_generated(name), "{name} is listed, not generated");
        assert_eq!(catalog.schema(name).unwrap(), &data::table_schema(name).unwrap()[..], "{name}: the listed columns are the generated ones");
    }
    let opts = RunOptions::at(spec.clock);
    engine::run("EmailEvents | join kind=inner UrlClickEvents on NetworkMessageId | count", &catalog, &opts).expect("runs");
    assert!(data::LAZY_MAIL_TABLES.iter().all(|n| !catalog.is_generated(n)), "the clicks-and-mail join generated no other mail table");
    let r = engine::run("EmailUrlInfo | join kind=inner EmailEvents on NetworkMessageId | count", &catalog, &opts).expect("runs");
    assert_eq!(r.table.len(), 1);
    assert!(catalog.is_generated("EmailUrlInfo"));
    assert!(!catalog.is_generated("EmailAttachmentInfo") && !catalog.is_generated("EmailPostDeliveryEvents"), "each is generated on its own");
    for name in data::LAZY_MAIL_TABLES {
        let lazy = catalog.get(name).unwrap();
        assert_eq!(data::digest(lazy), data::digest(&data::generate(name, &spec).unwrap()), "{name}: same rows lazily or directly");
    }
}

/// The query worker (what the page's playground talks to) generates a lazily listed mail
/// table when a query names it: the playground opens with its row count unknown, and a query
/// on it returns every row of the table generated directly.
#[test]
fn the_playground_worker_generates_a_mail_table_when_a_query_names_it() {
    use kqlab::app::worker::{Reply, Request, Target, WorkerState};
    let clock = clock();
    let mut w = WorkerState::new(clock);
    let now = || 0.0;
    let (reply, _) = w.handle(Request::OpenPlayground { tables: vec![], seed: 7, rows: 1500 }, &now);
    let Reply::Opened { tables, .. } = reply else { panic!("opened: {reply:?}") };
    let rows = |name: &str| tables.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("{name} listed")).rows;
    assert_eq!(rows("UrlClickEvents"), Some(1500));
    assert!(rows("EmailEvents").is_some());
    for name in data::LAZY_MAIL_TABLES {
        assert_eq!(rows(name), None, "{name} waits for its first query");
    }
    let spec = DatasetSpec::new(7, 1500, clock);
    for name in data::LAZY_MAIL_TABLES {
        let (reply, _) = w.handle(Request::Run { id: 1, target: Target::Playground, query: name.to_string() }, &now);
        let Reply::Ran { total_rows, errors, .. } = reply else { panic!("ran: {reply:?}") };
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let direct = data::generate(name, &spec).unwrap();
        assert!(!direct.is_empty(), "{name} has rows at this size");
        assert_eq!(total_rows, direct.len(), "{name}: every row, generated in the worker");
    }
}

/// Row indices of `t` on the victim's laptop.
fn on_victim(t: &Table) -> Vec<usize> {
    strs(t, "DeviceName").iter().enumerate().filter(|(_, d)| **d == story::VICTIM_DEVICE).map(|(r, _)| r).collect()
}

fn decode_base64(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).expect("standard base64")
}

/// The chapter after the phishing click, checked table by table.
fn check_endpoint_story(spec: &DatasetSpec) {
    let c = spec.clock;
    let catalog = data::builtin_catalog(spec);
    let clicks = catalog.get("UrlClickEvents").unwrap();
    let (cu, ca, ct) = (strs(clicks, "AccountUpn"), strs(clicks, "ActionType"), times(clicks, "Timestamp"));
    let click = (0..clicks.len()).find(|&r| cu[r] == story::VICTIM && strs(clicks, "Url")[r] == story::CAMPAIGN_URL).expect("the victim's click");
    assert_eq!(ca[click], "ClickAllowed", "Safe Links let the victim through");
    let click_t = ct[click];

    // DeviceFileEvents: the download, the shortcut it contained, the dropped script.
    let f = catalog.get("DeviceFileEvents").unwrap();
    let (fname, fact, fproc, ft) = (strs(f, "FileName"), strs(f, "ActionType"), strs(f, "InitiatingProcessFileName"), times(f, "Timestamp"));
    let zip: Vec<usize> = on_victim(f).into_iter().filter(|&r| fname[r] == story::DOWNLOADED_FILE).collect();
    assert_eq!(zip.len(), 1, "one download of the zip");
    let z = zip[0];
    assert_eq!((fact[z], fproc[z]), ("FileCreated", "msedge.exe"));
    assert_eq!(strs(f, "FileOriginUrl")[z], story::DOWNLOAD_URL);
    assert_eq!(strs(f, "FileOriginReferrerUrl")[z], story::CAMPAIGN_URL, "the campaign page linked to it");
    assert_eq!(strs(f, "FileOriginIP")[z], story::DOWNLOAD_IP);
    assert_eq!(strs(f, "InitiatingProcessAccountUpn")[z], story::VICTIM);
    assert!(ft[z] > click_t && ft[z] - click_t < 5 * 60 * 10_000_000, "downloaded within minutes of the click");
    assert!(working(ft[z]), "at work");
    let lnk = (0..f.len()).find(|&r| fname[r] == story::SHORTCUT_FILE).expect("the shortcut");
    assert_eq!((fproc[lnk], strs(f, "DeviceName")[lnk]), ("explorer.exe", story::VICTIM_DEVICE));
    assert!(ft[lnk] > ft[z] && strs(f, "FolderPath")[lnk].contains(r"\Downloads\"));
    assert_eq!(fname.iter().filter(|n| n.ends_with(".lnk")).count(), 1, "the only shortcut written");

    // DeviceProcessEvents: explorer.exe → encoded powershell → discovery and persistence.
    let p = catalog.get("DeviceProcessEvents").unwrap();
    let (pname, pcmd, pinit, ppid, pipid, pt) = (
        strs(p, "FileName"),
        strs(p, "ProcessCommandLine"),
        strs(p, "InitiatingProcessFileName"),
        longs(p, "ProcessId"),
        longs(p, "InitiatingProcessId"),
        times(p, "Timestamp"),
    );
    let enc: Vec<usize> = (0..p.len()).filter(|&r| pname[r] == "powershell.exe" && pcmd[r].contains(" -enc ")).collect();
    assert_eq!(enc.len(), 1, "one encoded PowerShell");
    let ps = enc[0];
    assert_eq!((strs(p, "DeviceName")[ps], pinit[ps], strs(p, "InitiatingProcessParentFileName")[ps]), (story::VICTIM_DEVICE, "explorer.exe", "userinit.exe"));
    assert_eq!(strs(p, "AccountUpn")[ps], story::VICTIM);
    assert!(pt[ps] > ft[lnk] && pt[ps] - ft[lnk] < 60 * 10_000_000, "the shortcut started it");
    assert!(pcmd[ps].contains("-w hidden"));
    let b64 = pcmd[ps].rsplit(' ').next().unwrap();
    let utf16: Vec<u16> = decode_base64(b64).chunks(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
    let script = String::from_utf16(&utf16).expect("UTF-16LE");
    assert_eq!(script, story::ENCODED_SCRIPT);
    assert!(script.contains(story::C2_HOST) && script.contains(story::STAGE2_FILE));
    let ps_pid = ppid[ps];
    let ps_created = times(p, "ProcessCreationTime")[ps];
    let victim_rows = on_victim(p);
    let children: Vec<usize> = victim_rows.iter().copied().filter(|&r| pipid[r] == ps_pid && pinit[r] == "powershell.exe").collect();
    let names: Vec<&str> = children.iter().map(|&r| pname[r]).collect();
    assert_eq!(names, ["whoami.exe", "cmd.exe", "schtasks.exe"], "the children, in order");
    for &r in &children {
        assert_eq!(times(p, "InitiatingProcessCreationTime")[r], ps_created, "children name their parent's start");
        assert_eq!(strs(p, "InitiatingProcessParentFileName")[r], "explorer.exe");
        assert!(pt[r] > pt[ps] && working(pt[r]));
    }
    assert!(pcmd[children[2]].contains(story::SCHEDULED_TASK) && pcmd[children[2]].contains("/sc onlogon"));
    let cmd_pid = ppid[children[1]];
    let net: Vec<usize> = victim_rows
        .iter()
        .copied()
        .filter(|&r| pipid[r] == cmd_pid && pinit[r] == "cmd.exe" && pt[r] >= pt[children[1]] && pt[r] - pt[children[1]] < 10_000_000)
        .collect();
    assert_eq!(net.len(), 1);
    assert_eq!((pname[net[0]], strs(p, "InitiatingProcessParentFileName")[net[0]]), ("net.exe", "powershell.exe"));
    assert!(pcmd[net[0]].contains("Domain Admins"));
    let fpid = longs(f, "InitiatingProcessId");
    let script_row = (0..f.len()).find(|&r| fname[r] == story::STAGE2_FILE).expect("the dropped script");
    assert_eq!((fproc[script_row], fpid[script_row]), ("powershell.exe", ps_pid), "the encoded PowerShell wrote it");

    // DeviceNetworkEvents: the beacon.
    let n = catalog.get("DeviceNetworkEvents").unwrap();
    let (nurl, nip, nt, npid) = (strs(n, "RemoteUrl"), strs(n, "RemoteIP"), times(n, "Timestamp"), longs(n, "InitiatingProcessId"));
    let beacon: Vec<usize> = (0..n.len()).filter(|&r| nurl[r] == story::C2_HOST).collect();
    assert!(beacon.len() >= 40, "{} beacons", beacon.len());
    assert!(beacon
        .iter()
        .all(|&r| nip[r] == story::C2_IP && strs(n, "DeviceName")[r] == story::VICTIM_DEVICE && strs(n, "InitiatingProcessFileName")[r] == "powershell.exe"));
    // People sign in from about 07:40; the laptop sleeps from about 18:00 and at weekends.
    let laptop_on = |t: i64| {
        let (h, d) = local(t);
        d < 5 && (7..18).contains(&h)
    };
    for &r in &beacon {
        assert!(laptop_on(nt[r]) && nt[r] < c, "a beacon at {:?}", local(nt[r]));
    }
    assert_eq!(npid[beacon[0]], ps_pid, "the first beacons come from the encoded PowerShell");
    assert!(nt[beacon[0]] > pt[ps] && nt[beacon[0]] - pt[ps] < 60 * 10_000_000);
    let mut gaps = 0;
    for w in beacon.windows(2) {
        if npid[w[0]] == npid[w[1]] {
            let gap = (nt[w[1]] - nt[w[0]]) / 10_000_000;
            let (lo, hi) = (story::BEACON_SECONDS - story::BEACON_JITTER_SECONDS, story::BEACON_SECONDS + story::BEACON_JITTER_SECONDS + 1);
            assert!((lo..=hi).contains(&gap), "beacon interval {gap} s");
            gaps += 1;
        }
    }
    assert!(gaps >= 40);
    // Each later working morning the logon task starts a new beacon process.
    for &r in &beacon {
        if npid[r] != ps_pid {
            let starter = victim_rows.iter().copied().find(|&q| ppid[q] == npid[r] && pname[q] == "powershell.exe").expect("a process for each beacon");
            assert_eq!(pinit[starter], "svchost.exe");
            assert!(pcmd[starter].contains(story::STAGE2_FILE) && pcmd[starter].contains("-w hidden"));
        }
    }
    // Edge fetched the page and the zip from the download address, nobody else went there.
    let staging: Vec<usize> = (0..n.len()).filter(|&r| nip[r] == story::DOWNLOAD_IP).collect();
    assert_eq!(staging.len(), 2);
    assert!(staging.iter().all(|&r| strs(n, "InitiatingProcessFileName")[r] == "msedge.exe" && nt[r] > click_t));
}

#[test]
fn the_endpoint_story_follows_the_click_at_every_clock() {
    for c in WEEK_CLOCKS.iter().chain(&["2026-11-22T12:00:00Z"]) {
        check_endpoint_story(&DatasetSpec::lesson(parse_datetime(c).unwrap()));
    }
    for (seed, rows) in [(1, 2000), (7, 12_000)] {
        check_endpoint_story(&DatasetSpec::new(seed, rows, clock()));
    }
}

/// The signal has to be hunted: the same binaries and actions also occur benignly, in a
/// company-sized volume.
#[test]
fn the_background_looks_like_a_company() {
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    let p = catalog.get("DeviceProcessEvents").unwrap();
    let n = catalog.get("DeviceNetworkEvents").unwrap();
    let f = catalog.get("DeviceFileEvents").unwrap();
    let rows = spec.rows;
    assert!((rows..4 * rows).contains(&p.len()), "process rows {}", p.len());
    assert!((2 * rows..3 * rows).contains(&n.len()), "network rows {}", n.len());
    assert!((rows / 2..rows).contains(&f.len()), "file rows {}", f.len());
    for t in [p, n, f] {
        let ts = times(t, "Timestamp");
        assert!(ts.windows(2).all(|w| w[0] <= w[1]) && ts.iter().all(|&x| x < spec.clock && x >= spec.clock - 10 * TICKS_PER_DAY));
        let devices: BTreeSet<&str> = strs(t, "DeviceName").into_iter().collect();
        assert!(devices.len() >= 80, "{} devices", devices.len());
        let work = ts.iter().filter(|&&x| working(x)).count();
        assert!(work * 2 > ts.len(), "most activity in working hours");
    }
    let (pname, pinit, pcmd) = (strs(p, "FileName"), strs(p, "InitiatingProcessFileName"), strs(p, "ProcessCommandLine"));
    let count = |pred: &dyn Fn(usize) -> bool| (0..p.len()).filter(|&r| pred(r)).count();
    assert!(count(&|r| pname[r] == "powershell.exe") > 50, "plenty of benign PowerShell");
    assert!(count(&|r| pname[r] == "powershell.exe" && pinit[r] == "explorer.exe") > 1, "people open PowerShell themselves");
    assert!(count(&|r| pname[r] == "whoami.exe") > 1 && count(&|r| pname[r] == "net.exe") > 1, "admins run whoami and net too");
    assert!(count(&|r| pname[r] == "msedge.exe") > 500 && count(&|r| pname[r] == "msedgewebview2.exe") > 100);
    assert!(count(&|r| pcmd[r].contains("Intune Management Extension")) > 20);
    let fname = strs(f, "FileName");
    assert!(fname.iter().filter(|n| n.ends_with(".zip")).count() > 5, "zip downloads are ordinary");
    let nurl = strs(n, "RemoteUrl");
    for host in ["teams.microsoft.com", "contoso.sharepoint.com", "contoso-my.sharepoint.com", "outlook.office365.com"] {
        assert!(nurl.iter().filter(|u| **u == host).count() > 50, "{host}");
    }
    assert!(strs(n, "Protocol").contains(&"Udp"));
    // The C2 is a small share of one laptop's traffic, not the loudest destination.
    let mut per_host: BTreeMap<&str, usize> = BTreeMap::new();
    for u in &nurl {
        *per_host.entry(u).or_default() += 1;
    }
    let c2 = per_host[story::C2_HOST];
    assert!(per_host.values().filter(|&&v| v > c2).count() >= 5, "at least five hosts are busier than the C2");
}

/// Editor completion finds the endpoint tables and their columns through the catalog.
#[test]
fn completion_offers_the_endpoint_tables_and_their_columns() {
    use kqlab::app::complete::complete;
    let spec = DatasetSpec::new(3, 300, clock());
    let catalog = data::builtin_catalog(&spec);
    let labels = |text: &str| complete(text, text.len(), &catalog, spec.clock).into_iter().map(|c| c.label).collect::<Vec<_>>();
    let tables = labels("DevicePro");
    assert!(tables.iter().any(|l| l == "DeviceProcessEvents"), "{tables:?}");
    let cols = labels("DeviceProcessEvents | where InitiatingProcessComm");
    assert!(cols.iter().any(|l| l == "InitiatingProcessCommandLine"), "{cols:?}");
    let cols = labels("DeviceNetworkEvents | where RemoteU");
    assert!(cols.iter().any(|l| l == "RemoteUrl"), "{cols:?}");
    let tables = labels("AlertEv");
    assert!(tables.iter().any(|l| l == "AlertEvidence"), "{tables:?}");
    let cols = labels("CloudAppEvents | where RawEv");
    assert!(cols.iter().any(|l| l == "RawEventData"), "{cols:?}");
}

// ---- The second chapter: logons, registry, DLLs, DeviceEvents, identity, cloud apps, alerts
// and sign-ins. Each check is a query a hunter would write, run through the engine.

/// Runs a query on a catalog and returns its result.
fn hunt(catalog: &kqlab::table::Catalog, clock: i64, query: &str) -> Table {
    kqlab::engine::run(query, catalog, &kqlab::engine::RunOptions::at(clock)).unwrap_or_else(|e| panic!("{query}: {e:?}")).table
}

/// The rows of a result as text cells, for readable assertions.
fn cells(t: &Table) -> Vec<Vec<String>> {
    (0..t.len()).map(|r| t.row(r).iter().map(|v| v.to_display()).collect()).collect()
}

/// The story's traces in the second chapter's tables, found the way a hunter would. Facts
/// that happen after 10:35 local on the campaign day (the inbox rule is at 10:04, the lateral
/// movement at 13:05) are checked only when the clock is past them.
fn check_second_chapter(spec: &DatasetSpec) {
    let c = spec.clock;
    let catalog = data::builtin_catalog(spec);
    let campaign = story::campaign_hour_start(c);
    let q = |query: &str| hunt(&catalog, c, query);

    // The scheduled task, in the registry: the only task under TaskCache\Tree that neither
    // Microsoft nor OneDrive registered, on one laptop.
    let t = q(r#"DeviceRegistryEvents
        | where RegistryKey contains @"\TaskCache\Tree\" and RegistryValueName == "Id"
        | extend Task = tostring(split(RegistryKey, @"\Tree\")[1])
        | where not(Task startswith "Microsoft") and not(Task startswith "OneDrive")
        | distinct DeviceName, Task, InitiatingProcessCommandLine"#);
    assert_eq!(
        cells(&t),
        vec![vec![
            story::VICTIM_DEVICE.to_string(),
            story::SCHEDULED_TASK.to_string(),
            r"C:\WINDOWS\system32\svchost.exe -k netsvcs -p -s Schedule".to_string()
        ]]
    );
    let benign = q(r#"DeviceRegistryEvents | where RegistryKey contains @"\TaskCache\Tree\" | summarize dcount(DeviceName)"#);
    assert!(cells(&benign)[0][0].parse::<i64>().unwrap() > 10, "other tasks are written on many laptops");
    let run_keys = q(r#"DeviceRegistryEvents | where RegistryKey endswith @"\CurrentVersion\Run" | distinct RegistryValueName"#);
    assert!(run_keys.len() >= 2, "Teams and OneDrive write Run keys");

    // The alert for the encoded PowerShell, with its evidence.
    let t = q(r#"AlertInfo
        | where Title has "PowerShell"
        | join kind=inner AlertEvidence on AlertId
        | where EntityType == "Process"
        | project Timestamp, DeviceName, ProcessCommandLine, Severity, ServiceSource"#);
    assert_eq!(t.len(), 1, "{:?}", cells(&t));
    let row = &cells(&t)[0];
    assert!(row[1] == story::VICTIM_DEVICE && row[2].contains(" -enc ") && row[4] == "Microsoft Defender for Endpoint", "{row:?}");
    let t = q("AlertInfo | join kind=inner AlertEvidence on AlertId | where AccountUpn == 'emma.vargas@contoso.com' | distinct Title");
    let titles: BTreeSet<String> = cells(&t).into_iter().map(|r| r[0].clone()).collect();
    for title in [
        "Suspicious PowerShell command line",
        "Suspicious Task Scheduler activity",
        "A potentially malicious URL click was detected",
        "Impossible travel activity",
    ] {
        assert!(titles.contains(title), "{title} in {titles:?}");
    }
    let others = q("AlertInfo | where Severity in ('Low', 'Informational') | count");
    assert!(cells(&others)[0][0].parse::<i64>().unwrap() >= 6, "low-severity alerts fill the queue");
    let orphan = q("AlertEvidence | join kind=leftanti AlertInfo on AlertId | count");
    assert_eq!(cells(&orphan)[0][0], "0", "every evidence row belongs to an alert");

    // MFA fatigue: the only account with repeated MFA denials, from one foreign address,
    // followed by a success from that address.
    let t = q("EntraIdSignInEvents | where ErrorCode == 500121 | summarize Denials = count(), First = min(Timestamp) by AccountUpn, IPAddress, Country");
    assert_eq!(cells(&t), vec![vec![story::VICTIM.into(), story::ATTACKER_IP.into(), story::ATTACKER_COUNTRY.into(), "9".into(), cells(&t)[0][4].clone()]]);
    let t = q(&format!(
        "EntraIdSignInEvents | where IPAddress == '{}' and ErrorCode == 0 | project AccountUpn, RiskLevelAggregated, AuthenticationRequirement",
        story::ATTACKER_IP
    ));
    assert_eq!(cells(&t), vec![vec![story::VICTIM.to_string(), "100".into(), "multiFactorAuthentication".into()]]);
    // Impossible travel: the same morning she also signed in from her office country.
    let t = q(&format!(
        "EntraIdSignInEvents | where AccountUpn == '{}' and ErrorCode == 0 and Timestamp between (datetime({}) .. 2h) | summarize dcount(Country)",
        story::VICTIM,
        kqlab::types::time::format_datetime(campaign - TICKS_PER_HOUR)
    ));
    assert_eq!(cells(&t)[0][0], "2");
    let typos = q("EntraIdSignInEvents | where ErrorCode == 50126 | summarize dcount(AccountUpn)");
    assert!(cells(&typos)[0][0].parse::<i64>().unwrap() > 3, "people mistype passwords too");
    let same = q("EntraIdSignInEvents | count | extend Beta = toscalar(AADSignInEventsBeta | count)");
    assert_eq!(cells(&same)[0][0], cells(&same)[0][1], "the old table name serves the same rows");

    // The process's DLLs: vaultcli.dll in a PowerShell only on the victim's laptop, though
    // Explorer and Edge load it everywhere.
    let t = q("DeviceImageLoadEvents | where FileName =~ 'vaultcli.dll' | summarize Devices = dcount(DeviceName) by InitiatingProcessFileName");
    let by_proc: BTreeMap<String, i64> = cells(&t).into_iter().map(|r| (r[0].clone(), r[1].parse().unwrap())).collect();
    assert_eq!(by_proc.get("powershell.exe"), Some(&1), "{by_proc:?}");
    assert!(by_proc.values().sum::<i64>() > 5, "{by_proc:?}");

    // DeviceEvents: the task's XML names PowerShell only for the story's task.
    let t = q("DeviceEvents | where ActionType == 'ScheduledTaskCreated' | where tostring(AdditionalFields.TaskContent) has 'powershell' | project DeviceName, tostring(AdditionalFields.TaskName)");
    assert_eq!(cells(&t), vec![vec![story::VICTIM_DEVICE.to_string(), format!(r"\{}", story::SCHEDULED_TASK)]]);
    let t = q("DeviceEvents | where ActionType == 'PowerShellCommand' | summarize dcount(DeviceName)");
    assert!(cells(&t)[0][0].parse::<i64>().unwrap() > 10, "Intune's PowerShell runs everywhere");
    let t = q(&format!("DeviceEvents | where ActionType == 'BrowserLaunchedToOpenUrl' and RemoteUrl == '{}' | project DeviceName", story::CAMPAIGN_URL));
    assert_eq!(cells(&t), vec![vec![story::VICTIM_DEVICE.to_string()]]);

    // IdentityInfo: the victim's latest row is at risk, nobody else's.
    let t = q("IdentityInfo | summarize arg_max(Timestamp, RiskLevel) by AccountUpn | where RiskLevel == 'High' | project AccountUpn");
    assert_eq!(cells(&t), vec![vec![story::VICTIM.to_string()]]);

    let after = |local_h: i64, local_m: i64| campaign + (local_h - 9) * TICKS_PER_HOUR + local_m * 60 * 10_000_000 < c;
    if after(10, 5) {
        // The forwarding rule: one of several inbox rules, the only one forwarding outside.
        let t = q(r#"CloudAppEvents
            | where ActionType == "New-InboxRule"
            | mv-expand p = RawEventData.Parameters
            | where tostring(p.Name) == "ForwardTo"
            | project AccountDisplayName, IPAddress, CountryCode, ForwardTo = tostring(p.Value)"#);
        assert_eq!(cells(&t), vec![vec!["Emma Vargas".to_string(), story::ATTACKER_IP.into(), story::ATTACKER_COUNTRY.into(), story::FORWARD_TO.into()]]);
    }
    if after(13, 12) {
        // Lateral movement: network logons from one laptop to three others.
        let t = q("DeviceLogonEvents | where LogonType == 'Network' and AccountName != 'svc-inventory' | summarize Targets = dcount(DeviceName) by AccountName, RemoteDeviceName, Protocol");
        assert_eq!(cells(&t), vec![vec!["emma.vargas".to_string(), "CTSO-LT-2417".into(), "NTLM".into(), "3".into()]]);
        let t = q("IdentityLogonEvents | where Protocol == 'Ntlm' | summarize dcount(TargetDeviceName) by AccountUpn");
        assert_eq!(cells(&t), vec![vec![story::VICTIM.to_string(), "3".into()]]);
    }
    let t = q("DeviceLogonEvents | where LogonType == 'RemoteInteractive' | summarize dcount(DeviceName)");
    assert!(cells(&t)[0][0].parse::<i64>().unwrap() >= 1, "the helpdesk's remote desktop logons");
}

#[test]
fn the_second_chapter_is_found_by_hunting_queries() {
    check_second_chapter(&DatasetSpec::lesson(clock()));
}

#[test]
fn the_second_chapter_holds_at_other_clocks_and_seeds() {
    for c in WEEK_CLOCKS {
        check_second_chapter(&DatasetSpec::lesson(parse_datetime(c).unwrap()));
    }
    check_second_chapter(&DatasetSpec::new(9, 12_000, clock()));
}

/// The second chapter's tables are listed without being generated, and are generated by the
/// first query that reads them.
#[test]
fn the_new_tables_are_generated_only_when_read() {
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    for name in data::CLOUD_TABLES.iter().chain(&data::DEVICE_TABLES) {
        assert!(catalog.contains(name) && !catalog.is_generated(name), "{name} is listed, not generated");
    }
    hunt(&catalog, spec.clock, "AlertInfo | count");
    assert!(catalog.is_generated("AlertInfo"));
    assert!(data::DEVICE_TABLES.iter().all(|n| !catalog.is_generated(n)), "alerts do not build the endpoint world");
    let lazy = catalog.get("CloudAppEvents").unwrap();
    assert_eq!(data::digest(lazy), data::digest(&data::generate("CloudAppEvents", &spec).unwrap()), "same rows lazily or directly");
}

/// Microsoft's renamed tables and removed columns get messages that name the replacement, and
/// an unknown table's message lists every table, nearest first.
#[test]
fn renamed_and_removed_names_say_what_to_use() {
    use kqlab::engine::{self, RunOptions};
    let spec = DatasetSpec::new(2, 300, clock());
    let catalog = data::builtin_catalog(&spec);
    let err = |query: &str| {
        let d = engine::run(query, &catalog, &RunOptions::at(spec.clock)).err().unwrap_or_else(|| panic!("{query} should fail"));
        d.iter().map(|d| format!("{} | {}", d.message, d.help.clone().unwrap_or_default())).collect::<Vec<_>>().join("\n")
    };
    let e = err("EmailEvents | where PhishFilterVerdict == 'Phish'");
    assert_eq!(e, "Column 'PhishFilterVerdict' was removed from EmailEvents in February 2021 | Use ThreatTypes (e.g. ThreatTypes has \"Phish\") instead");
    assert!(
        err("EmailEvents | project FinalEmailAction").starts_with("Column 'FinalEmailAction' was removed from EmailEvents in December 2020 | Use EmailAction")
    );
    assert!(err("DeviceInfo | where isnotempty(DeviceObjectId)").contains("Use AadDeviceId instead"));
    assert!(err("EntraIdSignInEvents | project AadDeviceId").contains("Use EntraIdDeviceId instead"));
    // The old table name still runs, with its old column name.
    assert!(engine::run("AADSignInEventsBeta | where isnotempty(AadDeviceId) | count", &catalog, &RunOptions::at(spec.clock)).is_ok());
    // A column removed from another table is just unknown here.
    assert!(err("UrlClickEvents | project PhishFilterVerdict").starts_with("Unknown column 'PhishFilterVerdict'"));
    assert_eq!(err("AccountInfo | take 1"), "Table 'AccountInfo' was renamed IdentityInfo | Use IdentityInfo instead");
    let e = err("DeviceLogonEvent | take 1");
    let list = e.split("nearest first: ").nth(1).expect("the list");
    let names: Vec<&str> = list.split(", ").collect();
    assert_eq!(names.len(), data::table_names().len(), "{e}");
    assert_eq!(&names[..2], &["DeviceLogonEvents", "DeviceEvents"], "{e}");
    assert!(e.starts_with("Unknown table 'DeviceLogonEvent' | Did you mean 'DeviceLogonEvents'?"), "{e}");
}

/// Bytes per row and generation time of each new table at the lesson size (printed; run with
/// `--nocapture` to read them), with a generous bound on the time.
#[test]
fn the_new_tables_are_small_and_quick_at_the_lesson_size() {
    let spec = DatasetSpec::lesson(clock());
    let start = std::time::Instant::now();
    let catalog = data::builtin_catalog(&spec);
    eprintln!("catalog (mail and clicks) {:?}", start.elapsed());
    for name in data::DEVICE_TABLES.iter().chain(&data::CLOUD_TABLES) {
        let start = std::time::Instant::now();
        let t = catalog.get(name).unwrap();
        let took = start.elapsed();
        eprintln!("{name}: {} rows, {} bytes/row, first read {:?}", t.len(), t.heap_bytes() / t.len().max(1), took);
        assert!(t.heap_bytes() / t.len().max(1) < 4096, "{name}");
        assert!(took.as_secs() < 30, "{name}");
    }
}

// ---- The hidden story variant (variant 1), which lessons re-check passing answers on.

/// The visible story's facts a learner could read off the screen and paste into a query.
fn visible_facts() -> Vec<String> {
    let mut facts: Vec<String> = [
        story::CAMPAIGN_DOMAIN,
        story::CAMPAIGN_SENDER,
        story::CAMPAIGN_SUBJECT,
        story::MALWARE_SENDER,
        story::VICTIM,
        story::VICTIM_DEVICE,
        story::DOWNLOADED_FILE,
        story::DOWNLOAD_IP,
        story::SHORTCUT_FILE,
        story::SCHEDULED_TASK,
        story::C2_HOST,
        story::C2_IP,
        story::ATTACKER_IP,
        story::FORWARD_TO,
        story::REPEAT_CLICKER,
        story::CLICK_THROUGH_USER,
        story::TEAMS_CLICKER,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    facts.extend(story::campaign_clickers());
    facts.push(story::encode_powershell(story::ENCODED_SCRIPT));
    facts
}

#[test]
fn the_hidden_variant_changes_every_story_fact_in_every_table() {
    let visible = DatasetSpec::new(42, 2000, clock());
    let hidden = visible.hidden();
    let (v, h) = (data::builtin_catalog(&visible), data::builtin_catalog(&hidden));
    let facts = visible_facts();
    for name in data::table_names() {
        let (vt, ht) = (v.get(name).unwrap(), h.get(name).unwrap());
        assert_eq!(vt.fields, ht.fields, "{name}: same columns");
        assert_eq!(vt.is_empty(), ht.is_empty(), "{name}: rows in both or in neither");
        assert_ne!(data::digest(vt), data::digest(ht), "{name}: other data");
        let text = write_csv(ht, HeaderStyle::Plain);
        for fact in &facts {
            assert!(!text.contains(fact.as_str()), "{name}: the hidden copy still holds the visible fact {fact}");
        }
        // Deterministic: the same spec gives the same bytes, alone or in the catalog.
        assert_eq!(data::digest(ht), data::digest(&data::generate(name, &hidden).unwrap()), "{name}: repeatable");
    }
    assert_eq!(data::digest(v.get("UrlClickEvents").unwrap()), data::digest(&data::url_click_events(&visible)), "variant 0 is untouched");
}

#[test]
fn the_hunting_queries_find_the_story_in_the_hidden_variant_with_other_counts_and_times() {
    let spec = DatasetSpec::lesson(clock());
    let (v, h) = (data::builtin_catalog(&spec), data::builtin_catalog(&spec.hidden()));
    // The same hunt on both copies (the hidden one named by its own leads).
    let both = |query: &str, hidden_query: &str| (cells(&hunt(&v, clock(), query)), cells(&hunt(&h, clock(), hidden_query)));
    let campaign = |domain: &str| {
        format!("UrlClickEvents | where Timestamp > ago(7d) and Url has '{domain}' | summarize Events = count(), Clickers = dcount(AccountUpn), First = min(Timestamp), Twice = countif(ActionType == 'ClickBlockedByTenantPolicy')")
    };
    let (vis, hid) = both(&campaign("contoso-login"), &campaign("contoso-verify"));
    assert_eq!(vis[0][..2], ["20".to_string(), "18".to_string()]);
    assert_eq!(hid[0][..2], ["19".to_string(), "16".to_string()], "two clickers fewer, one more repeat click");
    assert_eq!((vis[0][3].as_str(), hid[0][3].as_str()), ("1", "2"));
    let day = |t: &str| parse_datetime(t).unwrap().div_euclid(TICKS_PER_DAY);
    assert!(day(&hid[0][2]) < day(&vis[0][2]), "the campaign comes on an earlier day: {} vs {}", hid[0][2], vis[0][2]);
    let hour = |t: &str| parse_datetime(t).unwrap().rem_euclid(TICKS_PER_DAY) / TICKS_PER_HOUR;
    assert_eq!(hour(&hid[0][2]), hour(&vis[0][2]) + 1, "and an hour later in the day");
    // The mail: other recipient and copy counts.
    let mail =
        |sender: &str| format!("EmailEvents | where SenderFromAddress == '{sender}' | summarize Copies = count(), People = dcount(RecipientEmailAddress)");
    let (vis, hid) = both(&mail(story::CAMPAIGN_SENDER), &mail("helpdesk@contoso-verify.com"));
    assert_eq!((vis[0].clone(), hid[0].clone()), (vec!["41".to_string(), "40".into()], vec!["38".to_string(), "37".into()]));
    // The endpoint chapter: the encoded PowerShell, the scheduled task and the beacon, on the
    // hidden victim's laptop, with the hidden host inside the encoded command.
    let endpoint = |device: &str, task: &str, c2: &str| {
        format!(
            "union (DeviceProcessEvents | where DeviceName == '{device}' and ProcessCommandLine has '-enc' | extend Decoded = base64_decode_tostring(extract(@'-enc (\\S+)', 1, ProcessCommandLine)) | project What = 'ps', Decoded), \
             (DeviceProcessEvents | where DeviceName == '{device}' and ProcessCommandLine has '{task}' | take 1 | project What = 'task', Decoded = ''), \
             (DeviceNetworkEvents | where DeviceName == '{device}' and RemoteUrl == '{c2}' | summarize n = count() | where n > 20 | project What = 'beacon', Decoded = '') \
             | order by What asc"
        )
    };
    let (vis, hid) = both(
        &endpoint(story::VICTIM_DEVICE, story::SCHEDULED_TASK, story::C2_HOST),
        &endpoint("ctso-lt-3081.corp.contoso.com", "EdgeHelperRefresh", "img.fastedge-cdn.net"),
    );
    let what = |rows: &Vec<Vec<String>>| rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(what(&vis), ["beacon", "ps", "task"]);
    assert_eq!(what(&hid), ["beacon", "ps", "task"]);
    // UTF-16LE decoded as bytes: drop the zero bytes.
    let script = hid[1][1].replace('\0', "");
    assert!(script.contains("img.fastedge-cdn.net") && !script.contains(story::C2_HOST), "{script}");
    // The identity chapter: the attacker's sign-ins from the hidden address.
    let signin = |ip: &str| format!("EntraIdSignInEvents | where IPAddress == '{ip}' | summarize n = count()");
    let (vis, hid) = both(&signin(story::ATTACKER_IP), &signin("203.0.113.162"));
    assert!(vis[0][0] != "0" && hid[0][0] != "0", "{vis:?} {hid:?}");
}

// ---- Sentinel's SigninLogs: the same sign-ins as EntraIdSignInEvents, in Sentinel's shape.

/// `SigninLogs` has the columns of the reference list written from the Azure Monitor table
/// page (names, types, order), its documentation covers every column, and it is listed
/// without being generated.
#[test]
fn signin_logs_has_sentinels_schema_and_is_lazy() {
    let spec = DatasetSpec::new(4, 300, clock());
    for r in data::reference::SENTINEL_TABLES {
        let want: Vec<(String, String)> = r.columns.iter().chain(r.sentinel).map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let t = data::generate(r.name, &spec).expect("generated");
        let got: Vec<(String, String)> = t.fields.iter().map(|f| (f.name.clone(), f.ty.name().to_string())).collect();
        assert_eq!(got, want, "{}", r.name);
        let doc = data::table_doc(r.name).unwrap();
        let undocumented: Vec<&str> = doc.columns.iter().zip(&t.fields).filter(|(d, _)| d.is_empty()).map(|(_, f)| f.name.as_str()).collect();
        assert!(undocumented.is_empty(), "{}: undocumented columns {undocumented:?}", r.name);
    }
    assert_eq!(data::reference::SENTINEL_TABLES.iter().map(|r| r.name).collect::<Vec<_>>(), data::SENTINEL_TABLES);
    // Spot checks against the page.
    let c = data::reference::table("SigninLogs").unwrap().columns;
    assert_eq!(
        (c.len(), c[0], c[21], c[34], c[52], c[68]),
        (81, ("AADTenantId", "string"), ("DeviceDetail", "dynamic"), ("LocationDetails", "dynamic"), ("ResultType", "string"), ("Status", "dynamic"))
    );
    assert!(!c.iter().any(|(n, _)| *n == "Timestamp"), "Sentinel's table has no Timestamp");
    let lesson = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&lesson);
    assert!(catalog.contains("SigninLogs") && !catalog.is_generated("SigninLogs"));
    hunt(&catalog, lesson.clock, "EntraIdSignInEvents | count");
    assert!(!catalog.is_generated("SigninLogs"), "the advanced-hunting table does not build Sentinel's");
    let start = std::time::Instant::now();
    let lazy = catalog.get("SigninLogs").unwrap();
    let took = start.elapsed();
    let per_row = lazy.heap_bytes() / lazy.len().max(1);
    eprintln!("SigninLogs: {} rows, {per_row} bytes/row, first read {took:?}", lazy.len());
    assert!(per_row < 8192 && took.as_secs() < 30);
    assert_eq!(data::digest(lazy), data::digest(&data::generate("SigninLogs", &lesson).unwrap()), "same rows lazily or directly");
}

/// A hunter with Sentinel habits finds the MFA fatigue and the impossible travel in
/// `SigninLogs`, and the table holds exactly the sign-ins of `EntraIdSignInEvents`.
fn check_signin_logs(spec: &DatasetSpec) {
    let c = spec.clock;
    let catalog = data::builtin_catalog(spec);
    let q = |query: &str| hunt(&catalog, c, query);
    // The same events: per result code and user, the same counts in both tables.
    let a = q("EntraIdSignInEvents | summarize n = count() by Code = tostring(ErrorCode), AccountUpn, IPAddress, Country | order by Code asc, AccountUpn asc, IPAddress asc");
    let b = q("SigninLogs | summarize n = count() by Code = ResultType, UserPrincipalName, IPAddress, Country = tostring(LocationDetails.countryOrRegion) | order by Code asc, UserPrincipalName asc, IPAddress asc");
    assert_eq!(cells(&a), cells(&b));
    assert!(a.len() > 50);
    // MFA fatigue: many MFA prompts, most denied, from one address, then a success from it.
    let t = q(r#"SigninLogs
        | where TimeGenerated > ago(7d)
        | where ResultType in ("50074", "500121")
        | summarize Prompts = countif(ResultType == "50074"), Denied = countif(ResultType == "500121"), First = min(TimeGenerated) by UserPrincipalName, IPAddress
        | where Denied >= 5
        | join kind=inner (SigninLogs | where ResultType == "0" | project UserPrincipalName, IPAddress, Success = TimeGenerated) on UserPrincipalName, IPAddress
        | where Success > First
        | project UserPrincipalName, IPAddress, Prompts, Denied, Country = tostring(geo_info_from_ip_address(IPAddress).country)"#);
    assert_eq!(cells(&t), vec![vec![story::VICTIM.to_string(), story::ATTACKER_IP.to_string(), "9".into(), "9".into(), "Nigeria".into()]]);
    // Status carries the same code and says what happened.
    let t = q(r#"SigninLogs | where ResultType == "500121" | summarize by Code = toint(Status.errorCode), Detail = tostring(Status.additionalDetails)"#);
    assert_eq!(cells(&t), vec![vec!["500121".to_string(), "MFA denied; user declined the authentication".into()]]);
    // Impossible travel: successful sign-ins of one person from two countries within an hour.
    let t = q(r#"SigninLogs
        | where ResultType == "0"
        | extend Country = tostring(LocationDetails.countryOrRegion), City = tostring(LocationDetails.city)
        | order by UserPrincipalName asc, TimeGenerated asc
        | extend PrevCountry = prev(Country), PrevTime = prev(TimeGenerated), PrevUser = prev(UserPrincipalName)
        | where PrevUser == UserPrincipalName and PrevCountry != Country and TimeGenerated - PrevTime < 1h
        | project UserPrincipalName, PrevCountry, Country, City, Browser = tostring(DeviceDetail.browser), Risk = RiskLevelDuringSignIn"#);
    // Emma's hop into Lagos from her office (and, when she signs in again within the hour,
    // the hop back).
    let rows = cells(&t);
    assert!((1..=2).contains(&rows.len()), "{rows:?}");
    assert!(rows.iter().all(|r| r[0] == story::VICTIM), "{rows:?}");
    let into = rows.iter().find(|r| r[2] == "NG").expect("the hop into Nigeria");
    assert_eq!((into[3].as_str(), into[4].as_str(), into[5].as_str()), ("Lagos", "Chrome 120.0.0", "high"));
    assert_ne!(into[1], "NG");
    // The Conditional Access policy failed on the attacker's MFA prompts.
    let t =
        q(r#"SigninLogs | mv-expand P = ConditionalAccessPolicies | where tostring(P.result) == "failure" | summarize dcount(IPAddress), take_any(IPAddress)"#);
    assert_eq!(cells(&t), vec![vec!["1".to_string(), story::ATTACKER_IP.to_string()]]);
}

#[test]
fn signin_logs_tells_the_sign_in_story_to_sentinel_queries() {
    check_signin_logs(&DatasetSpec::lesson(clock()));
}

#[test]
fn signin_logs_story_holds_at_other_clocks_and_seeds() {
    for c in WEEK_CLOCKS {
        check_signin_logs(&DatasetSpec::lesson(parse_datetime(c).unwrap()));
    }
    check_signin_logs(&DatasetSpec::new(9, 12_000, clock()));
}

/// `geo_info_from_ip_address` places every public address the generators produce (the
/// synthetic table covers them all), returns Kusto's bag shape, and puts the attacker in the
/// story's country.
#[test]
fn geo_info_covers_every_generated_public_address() {
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    let q = |query: &str| hunt(&catalog, spec.clock, query);
    let columns = [
        ("UrlClickEvents", "IPAddress"),
        ("EmailEvents", "SenderIPv4"),
        ("DeviceNetworkEvents", "RemoteIP"),
        ("DeviceInfo", "PublicIP"),
        ("EntraIdSignInEvents", "IPAddress"),
        ("SigninLogs", "IPAddress"),
        ("CloudAppEvents", "IPAddress"),
        ("IdentityLogonEvents", "IPAddress"),
    ];
    for (table, col) in columns {
        let t = q(&format!(
            "{table} | where isnotempty({col}) and ipv4_is_private({col}) == false and not({col} startswith '127.') \
             | summarize n = count(), missing = countif(isempty(tostring(geo_info_from_ip_address({col}).country))), sample = take_anyif({col}, isempty(tostring(geo_info_from_ip_address({col}).country)))"
        ));
        let row = &cells(&t)[0];
        assert!(row[0].parse::<i64>().unwrap() > 0, "{table}.{col} has public addresses");
        assert_eq!(row[1], "0", "{table}.{col}: unplaced addresses, e.g. {}", row[2]);
    }
    let t = q(&format!(
        "print g = geo_info_from_ip_address('{}'), p = geo_info_from_ip_address('10.10.0.10'), bad = geo_info_from_ip_address('nope')",
        story::ATTACKER_IP
    ));
    assert_eq!(
        cells(&t),
        vec![vec![r#"{"country":"Nigeria","state":"Lagos","city":"Lagos","latitude":6.4541,"longitude":3.3947}"#.to_string(), String::new(), String::new()]]
    );
    let t = q("print g = geo_info_from_ip_address('52.112.1.1') | project c = tostring(g.country), lat = toreal(g.latitude), t = gettype(g.longitude)");
    assert_eq!(cells(&t), vec![vec!["Ireland".to_string(), "53.3498".into(), "real".into()]]);
}

// ---- externaldata and _GetWatchlist from files a lesson bundles.

const BUNDLE_LESSON: &str = r#"
id = "bundle"
title = "Bundled files"
summary = "externaldata and watchlists."

[dataset]
rows = 2000

[[dataset.external]]
url = "https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"
file = "c2-ips.csv"

[[dataset.external]]
url = "https://example.org/iocs.json"
file = "iocs.json"

[[dataset.watchlist]]
name = "VIPs"
file = "vips.csv"
search_key = "Upn"

[[steps]]
id = "one"
title = "Count"
narrative = "Story."
task = "Count."
solution = "UrlClickEvents | count"
"#;

fn bundle_file(name: &str) -> Result<String, String> {
    Ok(match name {
        "c2-ips.csv" => format!("DestIP,Port,Comment\n192.0.2.1,443,unrelated\n{},443,\"PowerShell implant, beacons\"\n", story::C2_IP),
        "iocs.json" => format!(
            "{{\"Indicator\":\"{}\",\"Kind\":\"ip\",\"Score\":90}}\n{{\"Indicator\":\"contoso-login.com\",\"Kind\":\"domain\",\"Score\":80}}\n",
            story::ATTACKER_IP
        ),
        "vips.csv" => format!("Upn,Title\n{},Finance lead\nceo@contoso.com,Chief executive\n", story::VICTIM),
        other => return Err(format!("no such file '{other}'")),
    })
}

/// A query copied verbatim from a hunting repository (`externaldata` over a GitHub URL with
/// `ignoreFirstRecord`) runs unchanged on the file the lesson maps that URL to; JSON lines work
/// too; a lesson's watchlist comes back in Sentinel's `_GetWatchlist` shape.
#[test]
fn externaldata_and_watchlists_read_the_files_a_lesson_bundles() {
    let lesson = kqlab::lesson::parse_lesson(BUNDLE_LESSON).expect("the lesson reads");
    let catalog = kqlab::lesson::dataset::catalog_for(&lesson, clock(), &bundle_file).expect("the files load");
    let q = |query: &str| hunt(&catalog, clock(), query);
    let t = q(r#"let C2 = externaldata(DestIP: string, Port: int, Comment: string)
    [@"https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"]
    with (format="csv", ignoreFirstRecord=true);
DeviceNetworkEvents
| where RemoteIP in ((C2 | project DestIP))
| summarize Connections = count() by DeviceName, RemoteIP"#);
    let rows = cells(&t);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0][0].as_str(), rows[0][1].as_str()), (story::VICTIM_DEVICE, story::C2_IP));
    assert!(rows[0][2].parse::<i64>().unwrap() > 10, "the beacon");
    let t = q(
        r#"externaldata(DestIP: string, Port: int, Comment: string) ["https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"] with (format="csv", ignoreFirstRecord=true) | project Port, Comment, t = gettype(Port)"#,
    );
    assert_eq!(
        cells(&t),
        vec![vec!["443".to_string(), "unrelated".into(), "int".into()], vec!["443".to_string(), "PowerShell implant, beacons".into(), "int".into()]]
    );
    let t = q(r#"externaldata(Indicator: string, Kind: string, Score: long) ["https://example.org/iocs.json"] with (format="multijson")
        | join kind=inner (SigninLogs | distinct IPAddress) on $left.Indicator == $right.IPAddress | project Indicator, Score"#);
    assert_eq!(cells(&t), vec![vec![story::ATTACKER_IP.to_string(), "90".into()]]);
    let t = q("_GetWatchlist('VIPs') | project SearchKey, Title, t = gettype(LastUpdatedTimeUTC), id = isnotempty(_DTItemId)");
    assert_eq!(cells(&t)[0], vec![story::VICTIM.to_string(), "Finance lead".into(), "datetime".into(), "true".into()]);
    let t = q(
        "let vips = _GetWatchlist('VIPs') | project SearchKey; SigninLogs | where UserPrincipalName in (vips) and ResultType == '500121' | summarize count()",
    );
    assert_eq!(cells(&t), vec![vec!["9".to_string()]]);
    // Nothing else is served: an unbundled URL and an unknown watchlist are named, with how to add them.
    let d = kqlab::engine::run(r#"externaldata(x: string) ["https://evil.example/x.csv"]"#, &catalog, &kqlab::engine::RunOptions::at(clock())).unwrap_err();
    assert!(d[0].message.contains("'https://evil.example/x.csv' is not bundled here") && d[0].message.contains("c2-ips.csv"), "{}", d[0].message);
    assert!(d[0].help.as_deref().unwrap().contains("[[dataset.external]] url = \"https://evil.example/x.csv\""));
    let d = kqlab::engine::run("_GetWatchlist('Admins')", &catalog, &kqlab::engine::RunOptions::at(clock())).unwrap_err();
    assert!(d[0].message.starts_with("There is no watchlist 'Admins'. Watchlists here: IOCs, NetworkRanges, VIPs"), "{}", d[0].message);
    assert!(d[0].help.as_deref().unwrap().contains("[[dataset.watchlist]] name = \"Admins\""));
    // A missing file is a lesson error naming it.
    let e = kqlab::lesson::dataset::catalog_for(&lesson, clock(), &|f: &str| if f == "vips.csv" { Err("not found".to_string()) } else { bundle_file(f) })
        .unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].field.as_deref(), Some("dataset.watchlist[0]"));
    assert!(e[0].message.contains("'vips.csv'") && e[0].message.contains("not found"), "{}", e[0].message);
    // The lesson names every file the browser must fetch.
    assert_eq!(lesson.dataset.files(), vec!["c2-ips.csv", "iocs.json", "vips.csv"]);
    // A bad URL or file path is refused when the lesson is read.
    let bad = BUNDLE_LESSON
        .replace("url = \"https://example.org/iocs.json\"", "url = \"file:///etc/passwd\"")
        .replace("file = \"vips.csv\"", "file = \"../vips.csv\"");
    let e = kqlab::lesson::parse_lesson(&bad).unwrap_err();
    let fields: Vec<&str> = e.iter().filter_map(|e| e.field.as_deref()).collect();
    assert!(fields.contains(&"dataset.external[1].url") && fields.contains(&"dataset.watchlist[0].file"), "{e:?}");
}

/// The hidden copy (the re-check of a passing answer) tells the lesson's bundled files, its
/// watchlists and the built-in watchlists the hidden way: each still finds the story in the
/// hidden tables, under the hidden story's names and addresses. A step whose solution reads
/// them is re-checked like any other.
#[test]
fn the_hidden_copy_tells_bundled_files_and_watchlists_the_hidden_way() {
    let lesson = kqlab::lesson::parse_lesson(BUNDLE_LESSON).expect("the lesson reads");
    let visible = kqlab::lesson::dataset::catalog_for(&lesson, clock(), &bundle_file).expect("the files load");
    let hidden = kqlab::lesson::dataset::hidden_catalog(&lesson, clock(), &visible).expect("built-in data has a hidden copy");
    let queries = [
        r#"let C2 = externaldata(DestIP: string, Port: int, Comment: string) ["https://raw.githubusercontent.com/example/feeds/main/c2-ips.csv"] with (format="csv", ignoreFirstRecord=true);
DeviceNetworkEvents | where RemoteIP in ((C2 | project DestIP)) | distinct RemoteIP"#,
        "let vips = _GetWatchlist('VIPs') | project SearchKey; SigninLogs | where UserPrincipalName in (vips) and ResultType == '500121' | distinct UserPrincipalName",
        "let bad = _GetWatchlist('IOCs') | where Type == 'ipv4' | project SearchKey; SigninLogs | where IPAddress in (bad) | distinct IPAddress",
    ];
    let seen = [story::C2_IP, story::VICTIM, story::ATTACKER_IP];
    for (query, seen) in queries.iter().zip(seen) {
        let v = cells(&hunt(&visible, clock(), query));
        let h = cells(&hunt(&hidden, clock(), query));
        assert_eq!(v, vec![vec![seen.to_string()]], "visible: {query}");
        assert_eq!(h.len(), 1, "the hidden copy finds it too: {query}");
        assert_ne!(h[0][0], seen, "under the hidden story's value: {query}");
    }
    // A step whose solution reads a bundled file validates, re-check included (an address is
    // not a lead the lesson gives away, so a hard-coded one fails on the hidden copy).
    let with_step = BUNDLE_LESSON.replace("solution = \"UrlClickEvents | count\"", &format!("solution = '''\n{}\n'''", queries[0]));
    let lesson = kqlab::lesson::parse_lesson(&with_step).expect("the lesson reads");
    assert!(lesson.steps[0].solution.contains("c2-ips.csv"), "{}", lesson.steps[0].solution);
    let reports = kqlab::lesson::validate::validate(&lesson, &visible, clock());
    assert!(reports.iter().all(|r| r.ok()), "{:?}", reports.iter().flat_map(|r| r.errors.clone()).collect::<Vec<_>>());
}

/// The playground's built-in watchlists: the threat-intelligence list finds the story's
/// addresses and hosts among indicators that are not in the data.
#[test]
fn the_built_in_watchlists_find_the_story() {
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    let q = |query: &str| hunt(&catalog, spec.clock, query);
    let t = q("let bad = _GetWatchlist('IOCs') | where Type == 'ipv4' | project SearchKey;
        union (SigninLogs | where IPAddress in (bad) | project IP = IPAddress), (DeviceNetworkEvents | where RemoteIP in (bad) | project IP = RemoteIP)
        | distinct IP | order by IP asc");
    assert_eq!(cells(&t), vec![vec![story::C2_IP.to_string()], vec![story::ATTACKER_IP.to_string()], vec![story::DOWNLOAD_IP.to_string()]]);
    let t = q("let hosts = _GetWatchlist('IOCs') | where Type == 'domain' | project SearchKey; DeviceNetworkEvents | where RemoteUrl in (hosts) | distinct RemoteUrl | order by RemoteUrl asc");
    assert!(cells(&t).iter().any(|r| r[0] == story::C2_HOST), "{:?}", cells(&t));
    let t = q("_GetWatchlist('IOCs') | summarize count()");
    assert_eq!(cells(&t), vec![vec!["16".to_string()]]);
    let t = q("_GetWatchlist('NetworkRanges') | where ipv4_is_in_range('203.0.113.45', SearchKey) | project Name");
    assert_eq!(cells(&t), vec![vec!["Bulletproof hosting".to_string()]]);
}

/// `externaldata` prints back as KQL that parses to the same tree.
#[test]
fn externaldata_round_trips_through_the_printer() {
    let q = r#"externaldata(a: string, b: long) [@"https://x.example/a.csv", "https://x.example/b.csv"] with (format="csv", ignoreFirstRecord=true) | take 1"#;
    let (a, d) = kqlab::syntax::parse(q);
    assert!(d.is_empty(), "{d:?}");
    let printed = a.unwrap().to_string();
    assert_eq!(
        printed,
        r#"externaldata(a: string, b: long) ["https://x.example/a.csv", "https://x.example/b.csv"] with (format="csv", ignoreFirstRecord=true)
| take 1"#
    );
    let (b, d) = kqlab::syntax::parse(&printed);
    assert!(d.is_empty() && b.unwrap().to_string() == printed);
}

/// `evaluate ipv4_lookup` over a watchlist of ranges: each row gets the matching range's
/// columns (one row per matching range), extra keys must be equal, and `return_unmatched`
/// keeps the rows no range contains.
#[test]
fn ipv4_lookup_over_a_range_watchlist() {
    let spec = DatasetSpec::lesson(clock());
    let catalog = data::builtin_catalog(&spec);
    let q = |query: &str| hunt(&catalog, spec.clock, query);
    let t = q("let ranges = _GetWatchlist('NetworkRanges') | project Network = SearchKey, Name, Kind;
        SigninLogs
        | where ResultType != '0'
        | evaluate ipv4_lookup(ranges, IPAddress, Network)
        | summarize Attempts = count() by Name, Kind");
    assert_eq!(cells(&t), vec![vec!["Bulletproof hosting".to_string(), "Suspicious hosting".into(), "20".into()]]);
    let t = q("datatable(ip: string, zone: string) ['10.1.2.3', 'a', '192.168.1.9', 'a', '8.8.8.8', 'a', '10.9.9.9', 'b', 'nope', 'a']
        | evaluate ipv4_lookup(datatable(net: string, zone: string, label: string) ['10.0.0.0/8', 'a', 'ten', '10.1.0.0/16', 'a', 'ten-one', '192.168.1.9', 'a', 'host'], ip, net, zone, return_unmatched = true)
        | order by ip asc, label asc
        | project ip, label");
    assert_eq!(
        cells(&t),
        vec![
            vec!["10.1.2.3".to_string(), "ten".into()],
            vec!["10.1.2.3".to_string(), "ten-one".into()],
            vec!["10.9.9.9".to_string(), "".into()],
            vec!["192.168.1.9".to_string(), "host".into()],
            vec!["8.8.8.8".to_string(), "".into()],
            vec!["nope".to_string(), "".into()],
        ]
    );
    let t = q("datatable(ip: string) ['10.1.2.3', '8.8.8.8'] | evaluate ipv4_lookup(datatable(net: string, label: string) ['10.0.0.0/8', 'ten'], ip, net) | project-reorder ip, label");
    assert_eq!(cells(&t), vec![vec!["10.1.2.3".to_string(), "ten".into(), "10.0.0.0/8".into()]], "the range column is kept");
    let e = kqlab::engine::run(
        "SigninLogs | evaluate ipv4_lookup(_GetWatchlist('NetworkRanges'), UserAddress, SearchKey)",
        &catalog,
        &kqlab::engine::RunOptions::at(spec.clock),
    )
    .unwrap_err();
    assert_eq!(e[0].message, "The input has no column 'UserAddress'");
}

/// The editor's live check runs on a catalog of schemas only (no lesson files, no
/// watchlists): `_GetWatchlist` and `externaldata` defer there instead of reporting a missing
/// file, while a run reports it.
#[test]
fn the_live_check_does_not_report_files_it_cannot_see() {
    let spec = DatasetSpec::lesson(clock());
    let full = data::builtin_catalog(&spec);
    let tables: Vec<kqlab::app::worker::TableInfo> = kqlab::app::worker::describe(&full);
    let schemas = kqlab::app::worker::schema_catalog(&tables);
    for q in [
        "let bad = _GetWatchlist('IOCs') | project SearchKey;\nSigninLogs | where IPAddress in (bad)",
        r#"externaldata(x: string) ["https://example.com/x.csv"] | take 1"#,
    ] {
        assert_eq!(kqlab::engine::check(q, &schemas, spec.clock), vec![], "{q}");
    }
    // A mistake before them is still reported.
    assert_eq!(kqlab::engine::check("SigninLogs | where Nope == 1", &schemas, spec.clock).len(), 1);
    // The run (with the lesson's files) reports what is missing.
    assert!(kqlab::engine::run("_GetWatchlist('Nope')", &full, &kqlab::engine::RunOptions::at(spec.clock)).is_err());
}

/// The GUID columns of the generated tables are stored as 16-byte numbers, not 44 bytes of
/// dictionary text per row (the text they give is pinned by the determinism digests), and
/// `TimeGenerated` shares `Timestamp`'s column.
#[test]
fn guid_columns_are_stored_as_16_byte_numbers() {
    let spec = DatasetSpec::new(42, 20_000, clock());
    let catalog = data::builtin_catalog(&spec);
    for (table, column) in
        [("UrlClickEvents", "ReportId"), ("UrlClickEvents", "NetworkMessageId"), ("EmailEvents", "NetworkMessageId"), ("EmailUrlInfo", "ReportId")]
    {
        let t = catalog.get(table).unwrap();
        assert!(matches!(t.column(column), Some(Column::GuidText(_))), "{table}.{column}");
    }
    let clicks = catalog.get("UrlClickEvents").unwrap();
    let at = |n: &str| clicks.column_index(n).unwrap();
    assert!(std::sync::Arc::ptr_eq(&clicks.columns[at("Timestamp")], &clicks.columns[at("TimeGenerated")]));
    let per_row = clicks.heap_bytes() as f64 / clicks.len() as f64;
    // 147 bytes per row with the GUIDs as text and two time columns.
    assert!(per_row < 110.0, "{per_row:.1} bytes per UrlClickEvents row");
}
