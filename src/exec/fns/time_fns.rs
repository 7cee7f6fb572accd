//! Calendar functions on datetimes (UTC): period starts and ends, parts, differences and
//! additions by calendar unit, and .NET-style `format_datetime` / `format_timespan`.

use super::{Call, FResult};
use crate::exec::cast::{to_f64, to_i64};
use crate::plan::functions::Func;
use crate::types::time::{self, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MILLI, TICKS_PER_MINUTE, TICKS_PER_SECOND};
use crate::types::Value;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

fn dt(v: &Value) -> Option<i64> {
    match v {
        Value::DateTime(t) => Some(*t),
        _ => None,
    }
}

fn at_midnight(d: NaiveDate) -> i64 {
    time::from_naive(d.and_time(NaiveTime::MIN))
}

fn naive(t: i64) -> Option<NaiveDateTime> {
    time::to_naive(t)
}

fn start_of(f: Func, t: i64, offset: i64) -> Option<i64> {
    let n = naive(t)?;
    let d = n.date();
    // Offsets come from the query: a huge one gives null, not an overflow (found by fuzzing).
    let days = |n: i64| n.checked_mul(TICKS_PER_DAY);
    let r = match f {
        Func::StartOfDay | Func::EndOfDay => at_midnight(d).checked_add(days(offset)?)?,
        Func::StartOfWeek | Func::EndOfWeek => {
            let back = d.weekday().num_days_from_sunday() as i64;
            at_midnight(d).checked_add(days(offset.checked_mul(7)?.checked_sub(back)?)?)?
        }
        Func::StartOfMonth | Func::EndOfMonth => {
            let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1)?;
            let shifted = add_months(first, offset)?;
            at_midnight(shifted)
        }
        _ => {
            let year = i32::try_from(offset).ok()?.checked_add(d.year())?;
            let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
            at_midnight(first)
        }
    };
    (time::MIN_DATETIME..=time::MAX_DATETIME).contains(&r).then_some(r)
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n.unsigned_abs() > u64::from(u32::MAX) {
        return None;
    }
    if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new((-n) as u32))
    }
}

fn end_of(f: Func, t: i64, offset: i64) -> Option<i64> {
    let start_next = match f {
        Func::EndOfDay => start_of(Func::StartOfDay, t, offset.checked_add(1)?)?,
        Func::EndOfWeek => start_of(Func::StartOfWeek, t, offset.checked_add(1)?)?,
        Func::EndOfMonth => start_of(Func::StartOfMonth, t, offset.checked_add(1)?)?,
        _ => start_of(Func::StartOfYear, t, offset.checked_add(1)?)?,
    };
    Some(start_next - 1)
}

/// The calendar part names Kusto accepts, normalised.
fn part_name(p: &str) -> Option<&'static str> {
    Some(match p.trim().to_ascii_lowercase().as_str() {
        "year" | "yy" | "yyyy" => "year",
        "quarter" | "qq" | "q" => "quarter",
        "month" | "mm" | "m" => "month",
        "week" | "wk" | "ww" | "week_of_year" => "week",
        "day" | "dd" | "d" => "day",
        "dayofyear" | "dy" | "y" => "dayofyear",
        "hour" | "hh" => "hour",
        "minute" | "mi" | "n" => "minute",
        "second" | "ss" | "s" => "second",
        "millisecond" | "ms" => "millisecond",
        "microsecond" | "mcs" => "microsecond",
        "nanosecond" | "ns" => "nanosecond",
        _ => return None,
    })
}

fn bad_part(p: &str) -> String {
    format!("'{p}' is not a calendar part; use year, quarter, month, week, day, hour, minute, second, millisecond, microsecond or nanosecond")
}

pub fn row(c: &Call) -> FResult {
    let Call { f, a, .. } = *c;
    use Func::*;
    let offset = || a.get(1).and_then(to_i64).unwrap_or(0);
    Ok(match f {
        StartOfDay | StartOfWeek | StartOfMonth | StartOfYear => dt(&a[0]).and_then(|t| start_of(f, t, offset())).map_or(Value::Null, Value::DateTime),
        EndOfDay | EndOfWeek | EndOfMonth | EndOfYear => dt(&a[0]).and_then(|t| end_of(f, t, offset())).map_or(Value::Null, Value::DateTime),
        DayOfWeek => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::TimeSpan(n.weekday().num_days_from_sunday() as i64 * TICKS_PER_DAY)),
        DayOfMonth => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.day() as i32)),
        DayOfYear => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.ordinal() as i32)),
        HourOfDay => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.hour() as i32)),
        GetYear => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.year())),
        GetMonth | MonthOfYear => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.month() as i32)),
        WeekOfYear => dt(&a[0]).and_then(naive).map_or(Value::Null, |n| Value::Int(n.iso_week().week() as i32)),
        DatetimePart => {
            let p = a[0].to_display();
            let Some(part) = part_name(&p) else { return Err(bad_part(&p)) };
            let Some(t) = dt(&a[1]) else { return Ok(Value::Null) };
            let Some(n) = naive(t) else { return Ok(Value::Null) };
            let sub = t.rem_euclid(TICKS_PER_SECOND);
            Value::Int(match part {
                "year" => n.year(),
                "quarter" => (n.month() as i32 - 1) / 3 + 1,
                "month" => n.month() as i32,
                "week" => n.iso_week().week() as i32,
                "day" => n.day() as i32,
                "dayofyear" => n.ordinal() as i32,
                "hour" => n.hour() as i32,
                "minute" => n.minute() as i32,
                "second" => n.second() as i32,
                "millisecond" => (sub / TICKS_PER_MILLI) as i32,
                "microsecond" => (sub / 10) as i32,
                _ => (sub * 100) as i32,
            })
        }
        DatetimeDiff => {
            let p = a[0].to_display();
            let Some(part) = part_name(&p) else { return Err(bad_part(&p)) };
            let (Some(t1), Some(t2)) = (dt(&a[1]), dt(&a[2])) else { return Ok(Value::Null) };
            let (Some(n1), Some(n2)) = (naive(t1), naive(t2)) else { return Ok(Value::Null) };
            let floor_diff = |unit: i64| t1.div_euclid(unit) - t2.div_euclid(unit);
            Value::Long(match part {
                "year" => (n1.year() - n2.year()) as i64,
                "quarter" => {
                    let q = |n: &NaiveDateTime| n.year() as i64 * 4 + (n.month() as i64 - 1) / 3;
                    q(&n1) - q(&n2)
                }
                "month" => (n1.year() as i64 * 12 + n1.month() as i64) - (n2.year() as i64 * 12 + n2.month() as i64),
                "week" => {
                    let w = |t: i64| start_of(Func::StartOfWeek, t, 0).unwrap_or(t).div_euclid(7 * TICKS_PER_DAY);
                    w(t1) - w(t2)
                }
                "day" | "dayofyear" => floor_diff(TICKS_PER_DAY),
                "hour" => floor_diff(TICKS_PER_HOUR),
                "minute" => floor_diff(TICKS_PER_MINUTE),
                "second" => floor_diff(TICKS_PER_SECOND),
                "millisecond" => floor_diff(TICKS_PER_MILLI),
                "microsecond" => floor_diff(10),
                _ => (t1 - t2).saturating_mul(100),
            })
        }
        DatetimeAdd => {
            let p = a[0].to_display();
            let Some(part) = part_name(&p) else { return Err(bad_part(&p)) };
            let (Some(n), Some(t)) = (to_i64(&a[1]), dt(&a[2])) else { return Ok(Value::Null) };
            let add_ticks = |unit: i64| n.checked_mul(unit).and_then(|d| t.checked_add(d));
            let r = match part {
                "year" | "quarter" | "month" => {
                    let months = match part {
                        "year" => n.checked_mul(12),
                        "quarter" => n.checked_mul(3),
                        _ => Some(n),
                    };
                    naive(t).and_then(|nd| {
                        let date = add_months(nd.date(), months?)?;
                        Some(time::from_naive(date.and_time(nd.time())))
                    })
                }
                "week" => add_ticks(7 * TICKS_PER_DAY),
                "day" | "dayofyear" => add_ticks(TICKS_PER_DAY),
                "hour" => add_ticks(TICKS_PER_HOUR),
                "minute" => add_ticks(TICKS_PER_MINUTE),
                "second" => add_ticks(TICKS_PER_SECOND),
                "millisecond" => add_ticks(TICKS_PER_MILLI),
                "microsecond" => add_ticks(10),
                _ => t.checked_add(n / 100),
            };
            r.filter(|x| (time::MIN_DATETIME..=time::MAX_DATETIME).contains(x)).map_or(Value::Null, Value::DateTime)
        }
        FormatDatetime => match dt(&a[0]) {
            Some(t) => Value::str(&format_datetime(t, &a[1].to_display())?),
            None => Value::str(""),
        },
        FormatTimespan => match &a[0] {
            Value::TimeSpan(t) => Value::str(&format_timespan(*t, &a[1].to_display())?),
            _ => Value::str(""),
        },
        UnixtimeSecondsToDatetime => to_f64(&a[0]).map_or(Value::Null, |s| Value::DateTime((s * TICKS_PER_SECOND as f64).round() as i64)),
        UnixtimeMillisecondsToDatetime => to_f64(&a[0]).map_or(Value::Null, |s| Value::DateTime((s * TICKS_PER_MILLI as f64).round() as i64)),
        _ => return Err(super::not_here(f, "time")),
    })
}

/// Splits a .NET-style format string into runs of the same letter and literal text.
fn tokens(fmt: &str) -> Vec<(char, usize)> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        out.push((c, n));
        i += n;
    }
    out
}

/// `format_datetime(t, "yyyy-MM-dd HH:mm:ss.fff tt")`.
pub fn format_datetime(t: i64, fmt: &str) -> Result<String, String> {
    let Some(n) = naive(t) else { return Ok(String::new()) };
    let frac = t.rem_euclid(TICKS_PER_SECOND);
    let mut out = String::new();
    for (c, k) in tokens(fmt) {
        match c {
            'y' => match k {
                1 => out.push_str(&(n.year() % 100).to_string()),
                2 => out.push_str(&format!("{:02}", n.year() % 100)),
                _ => out.push_str(&format!("{:0w$}", n.year(), w = k)),
            },
            'M' => out.push_str(&pad(n.month() as i64, k.min(2))),
            'd' => out.push_str(&pad(n.day() as i64, k.min(2))),
            'H' => out.push_str(&pad(n.hour() as i64, k.min(2))),
            'h' => out.push_str(&pad(((n.hour() + 11) % 12 + 1) as i64, k.min(2))),
            'm' => out.push_str(&pad(n.minute() as i64, k.min(2))),
            's' => out.push_str(&pad(n.second() as i64, k.min(2))),
            'f' | 'F' => {
                let digits = format!("{frac:07}");
                let take = &digits[..k.min(7)];
                if c == 'F' {
                    out.push_str(take.trim_end_matches('0'));
                } else {
                    out.push_str(take);
                }
            }
            't' => {
                let ampm = if n.hour() < 12 { "AM" } else { "PM" };
                out.push_str(if k == 1 { &ampm[..1] } else { ampm });
            }
            c if c.is_ascii_alphabetic() => return Err(format!("'{}' is not a datetime format specifier", c.to_string().repeat(k))),
            c => {
                for _ in 0..k {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

fn pad(v: i64, width: usize) -> String {
    format!("{v:0width$}")
}

/// `format_timespan(d, "d.hh:mm:ss")`.
pub fn format_timespan(t: i64, fmt: &str) -> Result<String, String> {
    let neg = t < 0;
    let t = t.unsigned_abs() as i64;
    let days = t / TICKS_PER_DAY;
    let hours = (t % TICKS_PER_DAY) / TICKS_PER_HOUR;
    let minutes = (t % TICKS_PER_HOUR) / TICKS_PER_MINUTE;
    let seconds = (t % TICKS_PER_MINUTE) / TICKS_PER_SECOND;
    let frac = t % TICKS_PER_SECOND;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    for (c, k) in tokens(fmt) {
        match c {
            'd' => out.push_str(&pad(days, k)),
            'h' | 'H' => out.push_str(&pad(hours, k.min(2))),
            'm' => out.push_str(&pad(minutes, k.min(2))),
            's' => out.push_str(&pad(seconds, k.min(2))),
            'f' | 'F' => {
                let digits = format!("{frac:07}");
                let take = &digits[..k.min(7)];
                out.push_str(if c == 'F' { take.trim_end_matches('0') } else { take });
            }
            c if c.is_ascii_alphabetic() => return Err(format!("'{}' is not a timespan format specifier", c.to_string().repeat(k))),
            c => {
                for _ in 0..k {
                    out.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// make_datetime(year, month, day[, hour, minute[, second]]): null when a part is out of range
/// (year 0..=9999 as Kusto allows, month 1..=12, a day the month has, hour 0..=23, minute
/// 0..=59, second 0 to below 60, with up to seven decimals).
pub fn make_datetime(c: &Call) -> FResult {
    let int = |i: usize, default: i64| if i < c.a.len() { to_i64(&c.a[i]) } else { Some(default) };
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi)) = (int(0, 0), int(1, 0), int(2, 0), int(3, 0), int(4, 0)) else { return Ok(Value::Null) };
    let sec = if c.a.len() > 5 { to_f64(&c.a[5]) } else { Some(0.0) };
    let Some(sec) = sec.filter(|s| (0.0..60.0).contains(s)) else { return Ok(Value::Null) };
    let date = (|| {
        let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok().filter(|y| (0..=9999).contains(y))?, u32::try_from(mo).ok()?, u32::try_from(d).ok()?)?;
        let t = NaiveTime::from_hms_opt(u32::try_from(h).ok()?, u32::try_from(mi).ok()?, 0)?;
        Some(time::from_naive(NaiveDateTime::new(date, t)))
    })();
    Ok(match date {
        Some(t) => t.checked_add((sec * TICKS_PER_SECOND as f64).round() as i64).map_or(Value::Null, Value::DateTime),
        None => Value::Null,
    })
}

/// make_timespan(hour, minute), (hour, minute, second) or (day, hour, minute, second).
pub fn make_timespan(c: &Call) -> FResult {
    let a = c.a;
    let (day, hour, minute, second) = match a.len() {
        2 => (Some(0), to_i64(&a[0]), to_i64(&a[1]), Some(0.0)),
        3 => (Some(0), to_i64(&a[0]), to_i64(&a[1]), to_f64(&a[2])),
        _ => (to_i64(&a[0]), to_i64(&a[1]), to_i64(&a[2]), to_f64(&a[3])),
    };
    let (Some(day), Some(hour), Some(minute), Some(second)) = (day, hour, minute, second) else { return Ok(Value::Null) };
    if !(0..=23).contains(&hour) || !(0..=59).contains(&minute) || !(0.0..60.0).contains(&second) {
        return Ok(Value::Null);
    }
    let whole = day.checked_mul(TICKS_PER_DAY).and_then(|t| t.checked_add(hour * TICKS_PER_HOUR + minute * TICKS_PER_MINUTE));
    Ok(whole.and_then(|t| t.checked_add((second * TICKS_PER_SECOND as f64).round() as i64)).map_or(Value::Null, Value::TimeSpan))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> i64 {
        time::parse_datetime(s).unwrap()
    }

    #[test]
    fn periods() {
        let x = t("2026-11-25T13:45:10Z"); // a Wednesday
        assert_eq!(time::format_datetime(start_of(Func::StartOfWeek, x, 0).unwrap()), "2026-11-22T00:00:00Z");
        assert_eq!(time::format_datetime(start_of(Func::StartOfMonth, x, 0).unwrap()), "2026-11-01T00:00:00Z");
        assert_eq!(time::format_datetime(start_of(Func::StartOfMonth, x, 2).unwrap()), "2027-01-01T00:00:00Z");
        assert_eq!(time::format_datetime(end_of(Func::EndOfDay, x, 0).unwrap()), "2026-11-25T23:59:59.9999999Z");
        assert_eq!(format_datetime(x, "yyyy-MM-dd HH:mm:ss").unwrap(), "2026-11-25 13:45:10");
        assert_eq!(format_datetime(x, "M/d/yy h:mm tt").unwrap(), "11/25/26 1:45 PM");
        assert_eq!(format_timespan(90 * TICKS_PER_MINUTE + 5 * TICKS_PER_SECOND, "hh:mm:ss").unwrap(), "01:30:05");
    }
}
