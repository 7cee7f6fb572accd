//! datetime_utc_to_local / datetime_local_to_utc over a small built-in set of time zones.
//!
//! kqlab carries no time-zone database: each zone here is a standard offset and one of four
//! daylight-saving rules (EU, US, south-east Australia, New Zealand) as they have stood since
//! the year the rule took its present form. A zone kqlab does not know, or a date before its
//! rule's first year, is an error that says so (never a guessed offset).

use super::{Call, FResult};
use crate::types::time::{TICKS_PER_HOUR, TICKS_PER_MINUTE};
use crate::types::Value;
use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Clone, Copy, PartialEq)]
enum Rule {
    None,
    /// Last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC (since 1996).
    Eu,
    /// Second Sunday of March 02:00 local to first Sunday of November 02:00 local (since 2007).
    Us,
    /// First Sunday of October 02:00 standard to first Sunday of April 03:00 daylight (since 2008).
    AuSouth,
    /// Last Sunday of September 02:00 standard to first Sunday of April 03:00 daylight (since 2008).
    Nz,
}

/// (names, standard offset in minutes, rule, first year the offset and rule hold).
const ZONES: &[(&[&str], i64, Rule, i32)] = &[
    (&["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Zulu"], 0, Rule::None, 1),
    (&["Europe/London", "Europe/Dublin", "Europe/Lisbon", "GB", "Portugal"], 0, Rule::Eu, 1996),
    (
        &[
            "Europe/Paris",
            "Europe/Berlin",
            "Europe/Brussels",
            "Europe/Amsterdam",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Vienna",
            "Europe/Zurich",
            "Europe/Stockholm",
            "Europe/Oslo",
            "Europe/Copenhagen",
            "Europe/Warsaw",
            "Europe/Prague",
            "Europe/Budapest",
            "Europe/Belgrade",
            "Europe/Luxembourg",
            "CET",
        ],
        60,
        Rule::Eu,
        1996,
    ),
    (
        &[
            "Europe/Athens",
            "Europe/Helsinki",
            "Europe/Kiev",
            "Europe/Kyiv",
            "Europe/Bucharest",
            "Europe/Sofia",
            "Europe/Riga",
            "Europe/Tallinn",
            "Europe/Vilnius",
        ],
        120,
        Rule::Eu,
        1996,
    ),
    (&["America/New_York", "US/Eastern", "America/Detroit", "America/Toronto", "EST5EDT"], -300, Rule::Us, 2007),
    (&["America/Chicago", "US/Central", "America/Winnipeg", "CST6CDT"], -360, Rule::Us, 2007),
    (&["America/Denver", "US/Mountain", "America/Edmonton", "MST7MDT"], -420, Rule::Us, 2007),
    (&["America/Los_Angeles", "US/Pacific", "America/Vancouver", "PST8PDT"], -480, Rule::Us, 2007),
    (&["America/Anchorage", "US/Alaska"], -540, Rule::Us, 2007),
    (&["America/Phoenix", "US/Arizona"], -420, Rule::None, 1968),
    (&["Pacific/Honolulu", "US/Hawaii"], -600, Rule::None, 1947),
    (&["America/Sao_Paulo"], -180, Rule::None, 2020),
    (&["Europe/Moscow"], 180, Rule::None, 2015),
    (&["Asia/Dubai"], 240, Rule::None, 1920),
    (&["Asia/Kolkata", "Asia/Calcutta"], 330, Rule::None, 1946),
    (&["Asia/Bangkok", "Asia/Jakarta"], 420, Rule::None, 1964),
    (&["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Taipei", "Australia/Perth"], 480, Rule::None, 2010),
    (&["Asia/Tokyo", "Asia/Seoul"], 540, Rule::None, 1989),
    (&["Australia/Darwin"], 570, Rule::None, 1945),
    (&["Australia/Adelaide"], 570, Rule::AuSouth, 2008),
    (&["Australia/Brisbane"], 600, Rule::None, 1993),
    (&["Australia/Sydney", "Australia/Canberra", "Australia/Melbourne", "Australia/Hobart", "Australia/ACT", "Australia/NSW"], 600, Rule::AuSouth, 2008),
    (&["Pacific/Auckland", "NZ"], 720, Rule::Nz, 2008),
    (&["Africa/Johannesburg"], 120, Rule::None, 1944),
    (&["Africa/Nairobi"], 180, Rule::None, 1960),
    (&["Africa/Lagos"], 60, Rule::None, 1920),
];

struct Zone {
    std: i64,
    rule: Rule,
    since: i32,
}

fn zone(name: &str) -> Result<Zone, String> {
    ZONES
        .iter()
        .find(|(names, ..)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|&(_, std, rule, since)| Zone { std: std * TICKS_PER_MINUTE, rule, since })
        .ok_or_else(|| {
            format!(
                "kqlab does not know the time zone '{name}': it carries a small set of zones (for example UTC, Europe/Paris, US/Pacific, America/New_York, Australia/Sydney, Asia/Tokyo), not the full time-zone database"
            )
        })
}

/// The n-th (1-based) Sunday of a month, or the last one with n = 0, at `hour`, as ticks of
/// a wall clock (no offset applied).
fn sunday(year: i32, month: u32, n: u32, hour: i64) -> i64 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let day = if n == 0 {
        let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }.expect("valid month");
        let last = next.pred_opt().expect("a day before");
        let back = last.weekday().num_days_from_sunday();
        last - chrono::Duration::days(back as i64)
    } else {
        let ahead = (7 - first.weekday().num_days_from_sunday()) % 7;
        first + chrono::Duration::days(ahead as i64 + 7 * (n as i64 - 1))
    };
    debug_assert_eq!(day.weekday(), Weekday::Sun);
    crate::types::time::from_naive(day.and_hms_opt(0, 0, 0).expect("midnight")) + hour * TICKS_PER_HOUR
}

impl Zone {
    /// The daylight-saving period of a year as UTC instants [start, end); for the southern
    /// rules start is in the spring (October) and end in the autumn (April) of the same year.
    fn dst_period(&self, year: i32) -> Option<(i64, i64)> {
        let (std, dst) = (self.std, self.std + TICKS_PER_HOUR);
        Some(match self.rule {
            Rule::None => return None,
            Rule::Eu => (sunday(year, 3, 0, 1), sunday(year, 10, 0, 1)),
            Rule::Us => (sunday(year, 3, 2, 2) - std, sunday(year, 11, 1, 2) - dst),
            Rule::AuSouth => (sunday(year, 10, 1, 2) - std, sunday(year, 4, 1, 3) - dst),
            Rule::Nz => (sunday(year, 9, 0, 2) - std, sunday(year, 4, 1, 3) - dst),
        })
    }

    /// The offset from UTC at a UTC instant.
    fn offset_at(&self, utc: i64, name: &str) -> Result<i64, String> {
        let year = crate::types::time::to_naive(utc).map(|d| d.year()).unwrap_or(1);
        if year < self.since {
            return Err(format!("kqlab's rules for the time zone '{name}' hold from {} on; it cannot convert a date in {year}", self.since));
        }
        let Some((start, end)) = self.dst_period(year) else { return Ok(self.std) };
        let in_dst = if start < end { utc >= start && utc < end } else { utc >= start || utc < end };
        Ok(if in_dst { self.std + TICKS_PER_HOUR } else { self.std })
    }
}

fn args<'a>(c: &'a Call) -> Option<(i64, &'a str)> {
    match (&c.a[0], &c.a[1]) {
        (Value::DateTime(t), Value::String(z)) => Some((*t, z)),
        _ => None,
    }
}

/// datetime_utc_to_local(utc, zone): the wall-clock time in the zone.
pub fn datetime_utc_to_local(c: &Call) -> FResult {
    let Some((t, name)) = args(c) else { return Ok(Value::Null) };
    let z = zone(name)?;
    Ok(Value::DateTime(t + z.offset_at(t, name)?))
}

/// datetime_local_to_utc(local, zone): the UTC instant of a wall-clock time. A time that
/// occurs twice (when clocks go back) or never (when they go forward) takes the offset in
/// force after the change, as Kusto's documented example shows for a skipped hour.
pub fn datetime_local_to_utc(c: &Call) -> FResult {
    let Some((local, name)) = args(c) else { return Ok(Value::Null) };
    let z = zone(name)?;
    let (std, dst) = (z.std, z.std + TICKS_PER_HOUR);
    let std_ok = z.offset_at(local - std, name)? == std;
    let dst_ok = z.rule != Rule::None && z.offset_at(local - dst, name)? == dst;
    let off = match (std_ok, dst_ok) {
        (true, false) => std,
        (false, true) => dst,
        // Ambiguous: both readings exist; the later offset is the standard one (the clocks
        // went back), unless the rule's change is the other way round.
        (true, true) => z.offset_at(local - std + 2 * TICKS_PER_HOUR, name)?,
        // Skipped: the offset after the jump forward.
        (false, false) => z.offset_at(local - std + TICKS_PER_HOUR, name)?,
    };
    Ok(Value::DateTime(local - off))
}
