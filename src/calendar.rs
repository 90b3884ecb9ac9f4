//! Calendar days as the whole crate counts them: a day is a day number (days from CE, chrono's
//! `num_days_from_ce`, so 0001-01-01 is day 1); analysis dates are strict `YYYY-MM-DD`. The base of
//! every stage (options, ingest, facts, report), so it depends on nothing else in the crate.

use chrono::{Datelike, NaiveDate};

/// Days from CE for a calendar date, `None` when it does not exist.
pub fn day_number(y: i32, m: u32, d: u32) -> Option<i32> {
    NaiveDate::from_ymd_opt(y, m, d).map(|nd| nd.num_days_from_ce())
}

/// Appends [`format_day`]'s text of `day` to `out` (nothing for a day chrono cannot represent),
/// without allocating for the years 0–9999 (the CSV writer's hot path).
pub fn write_day(out: &mut Vec<u8>, day: i32) {
    let Some(d) = NaiveDate::from_num_days_from_ce_opt(day) else {
        return;
    };
    let (y, m, dd) = (d.year(), d.month(), d.day());
    if (0..=9999).contains(&y) {
        let y = y as u32;
        out.extend_from_slice(&[
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
            b'-',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b'-',
            b'0' + (dd / 10) as u8,
            b'0' + (dd % 10) as u8,
        ]);
    } else {
        out.extend_from_slice(format!("{y:04}-{m:02}-{dd:02}").as_bytes());
    }
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(day: i32) -> String {
    match NaiveDate::from_num_days_from_ce_opt(day) {
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        None => String::new(),
    }
}

/// Parses a strict `YYYY-MM-DD` (options such as `analysisDate`).
pub fn parse_iso_day(s: &str) -> Option<i32> {
    let b = s.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    day_number(y as i32, m, d)
}

/// The number written by 1 to 9 ASCII digits in `b`.
pub(crate) fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32))
}

/// Months since year 0 of a day number (year × 12 + month − 1).
pub fn month_index(day: i32) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(day).map_or(0, |d| d.year() * 12 + d.month0() as i32)
}
