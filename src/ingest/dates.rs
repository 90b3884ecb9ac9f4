//! Date and datetime parsing (`docs/input.md`, "Dates").
//!
//! A date is held as a day number (days from 0001-01-01, chrono's `num_days_from_ce`) plus the
//! seconds of the day as written (no zone conversion: a zone suffix is accepted and ignored, `docs/README.md`).
//! A column's format is the [`DateFormat`] that parses the most of its values, ties broken by the order
//! of [`DateFormat::ALL`]; when month-first and day-first both fit every value the column is ambiguous
//! and `dateOrder` decides (default month-first).

use crate::calendar::digits;
pub use crate::calendar::{day_number, format_day, parse_iso_day};
use crate::options::DateOrder;

/// A parsed date: day number and seconds since midnight as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    /// Days from 0001-01-01 (day 1).
    pub day: i32,
    /// Seconds since midnight, 0 when no time was given.
    pub secs: u32,
}

/// The date formats tierwise recognises, in tie-break order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// ISO 8601: `2024-01-05`, `2024-01-05T10:30:00+08:00`, `2024-01-05 10:30`.
    Iso,
    /// `2024/1/5` with optional time.
    YmdSlash,
    /// `2024.01.05` with optional time.
    YmdDot,
    /// `20240105` with optional time.
    YmdCompact,
    /// `2024年1月5日` with optional time.
    Chinese,
    /// Month first, `1/5/2024 8:26`, with the given separator; two-digit years allowed.
    Mdy(u8),
    /// Day first, `5/1/2024`, `05.01.2024`; two-digit years allowed.
    Dmy(u8),
    /// Excel serial day numbers (1900 system), 10000 to 100000 (1927–2173), fraction = time.
    ExcelSerial,
    /// Unix seconds (9–10 digits).
    UnixSeconds,
    /// Unix milliseconds (12–13 digits).
    UnixMillis,
}

impl DateFormat {
    /// Every format in tie-break order (`docs/input.md` list order).
    pub const ALL: [DateFormat; 14] = [
        DateFormat::Iso,
        DateFormat::YmdSlash,
        DateFormat::YmdDot,
        DateFormat::YmdCompact,
        DateFormat::Chinese,
        DateFormat::Mdy(b'/'),
        DateFormat::Mdy(b'-'),
        DateFormat::Mdy(b'.'),
        DateFormat::Dmy(b'/'),
        DateFormat::Dmy(b'-'),
        DateFormat::Dmy(b'.'),
        DateFormat::ExcelSerial,
        DateFormat::UnixSeconds,
        DateFormat::UnixMillis,
    ];

    /// A human-readable pattern for the summary.
    pub fn label(self) -> String {
        match self {
            DateFormat::Iso => "YYYY-MM-DD".into(),
            DateFormat::YmdSlash => "YYYY/M/D".into(),
            DateFormat::YmdDot => "YYYY.M.D".into(),
            DateFormat::YmdCompact => "YYYYMMDD".into(),
            DateFormat::Chinese => "YYYY年M月D日".into(),
            DateFormat::Mdy(s) => format!("M{0}D{0}YYYY", s as char),
            DateFormat::Dmy(s) => format!("D{0}M{0}YYYY", s as char),
            DateFormat::ExcelSerial => "excel serial".into(),
            DateFormat::UnixSeconds => "unix seconds".into(),
            DateFormat::UnixMillis => "unix milliseconds".into(),
        }
    }

    /// True for formats whose values are plain numbers (weak evidence when detecting columns).
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            DateFormat::ExcelSerial | DateFormat::UnixSeconds | DateFormat::UnixMillis
        )
    }

    /// Parses one trimmed value in this format.
    pub fn parse(self, v: &str) -> Option<Stamp> {
        let v = v.trim();
        match self {
            DateFormat::Iso => ymd_sep(v, b'-', true),
            DateFormat::YmdSlash => ymd_sep(v, b'/', false),
            DateFormat::YmdDot => ymd_sep(v, b'.', false),
            DateFormat::YmdCompact => compact(v),
            DateFormat::Chinese => chinese(v),
            DateFormat::Mdy(s) => two_first(v, s, true),
            DateFormat::Dmy(s) => two_first(v, s, false),
            DateFormat::ExcelSerial => excel(v),
            DateFormat::UnixSeconds => unix(v, false),
            DateFormat::UnixMillis => unix(v, true),
        }
    }
}

/// Days from CE (chrono's `num_days_from_ce`) of a date, without chrono, for the hot path; `None`
/// for a date that does not exist.
#[inline]
pub fn civil_day(y: i32, m: u32, d: u32) -> Option<i32> {
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m as usize - 1];
    if d > dim {
        return None;
    }
    // Howard Hinnant's days_from_civil, shifted so that 0001-01-01 is day 1
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468 + 719_163)
}

/// Fast path for `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS]` or `THH:MM[:SS]`; `None` means
/// "use the general parser" (which also handles fractions and zones).
#[inline]
pub fn fast_iso(b: &[u8]) -> Option<Stamp> {
    let dig = |i: usize| -> Option<u32> {
        let c = *b.get(i)?;
        c.is_ascii_digit().then(|| (c - b'0') as u32)
    };
    let two = |i: usize| Some(dig(i)? * 10 + dig(i + 1)?);
    let y = (dig(0)? * 1000 + dig(1)? * 100 + dig(2)? * 10 + dig(3)?) as i32;
    let day = civil_day(y, two(5)?, two(8)?)?;
    let secs = match b.len() {
        10 => 0,
        16 | 19 if (b[10] == b' ' || b[10] == b'T') && b[13] == b':' => {
            let (h, mi) = (two(11)?, two(14)?);
            let s = if b.len() == 19 {
                if b[16] != b':' {
                    return None;
                }
                two(17)?
            } else {
                0
            };
            if h > 23 || mi > 59 || s > 59 {
                return None;
            }
            h * 3600 + mi * 60 + s
        }
        _ => return None,
    };
    Some(Stamp { day, secs })
}

/// Reads a run of 1..=max ASCII digits at the start; returns (value, digits read).
fn take_digits(b: &[u8], max: usize) -> Option<(u32, usize)> {
    let n = b
        .iter()
        .take(max + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 || n > max {
        return None;
    }
    Some((digits(&b[..n])?, n))
}

/// Parses what follows the date: nothing, or a time with optional seconds, fraction, AM/PM and zone.
fn time_part(rest: &str, allow_t: bool) -> Option<u32> {
    let mut r = rest;
    if r.is_empty() {
        return Some(0);
    }
    if allow_t && (r.starts_with('T') || r.starts_with('t')) {
        r = &r[1..];
    } else if r.starts_with(char::is_whitespace) {
        r = r.trim_start();
    } else {
        return None;
    }
    let b = r.as_bytes();
    let (h, n1) = take_digits(b, 2)?;
    let mut i = n1;
    let sep_colon = b.get(i) == Some(&b':');
    let chinese = r[i..].starts_with('时') || r[i..].starts_with('点');
    if !sep_colon && !chinese {
        return None;
    }
    i += if sep_colon { 1 } else { '时'.len_utf8() };
    let (mi, n2) = take_digits(&b[i..], 2)?;
    i += n2;
    if chinese && r[i..].starts_with('分') {
        i += '分'.len_utf8();
    }
    let mut s = 0;
    if b.get(i) == Some(&b':') {
        let (sv, n3) = take_digits(&b[i + 1..], 2)?;
        s = sv;
        i += 1 + n3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            i += 1 + n;
        }
    } else if chinese {
        if let Some((sv, n3)) = take_digits(&b[i..], 2) {
            if r[i + n3..].starts_with('秒') {
                s = sv;
                i += n3 + '秒'.len_utf8();
            }
        }
    }
    let mut tail = r[i..].trim_start();
    let mut hour = h;
    // AM / PM (US exports)
    let upper = tail.get(..2).map(|t| t.to_ascii_uppercase());
    if upper.as_deref() == Some("AM") || upper.as_deref() == Some("PM") {
        if !(1..=12).contains(&h) {
            return None;
        }
        let pm = upper.as_deref() == Some("PM");
        hour = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        tail = tail[2..].trim_start();
    }
    if hour > 23 || mi > 59 || s > 60 {
        return None;
    }
    if !tail.is_empty() && !is_zone(tail) {
        return None;
    }
    Some(hour * 3600 + mi * 60 + s.min(59))
}

/// `Z`, `UTC`, `GMT`, `+08:00`, `+0800`, `+08`, `-05:00`, optionally after `UTC`/`GMT`.
fn is_zone(t: &str) -> bool {
    let t = t.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("gmt")
    {
        return true;
    }
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let b = t.as_bytes();
    if b.is_empty() || (b[0] != b'+' && b[0] != b'-') {
        return false;
    }
    let rest = &b[1..];
    match rest.len() {
        2 | 4 => rest.iter().all(u8::is_ascii_digit),
        5 => {
            rest[2] == b':'
                && rest[..2].iter().all(u8::is_ascii_digit)
                && rest[3..].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// `YYYY<sep>M<sep>D[time]`.
fn ymd_sep(v: &str, sep: u8, allow_t: bool) -> Option<Stamp> {
    let b = v.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != sep {
        return None;
    }
    let y = digits(&b[..4])? as i32;
    let (m, n1) = take_digits(&b[5..], 2)?;
    let i = 5 + n1;
    if b.get(i) != Some(&sep) {
        return None;
    }
    let (d, n2) = take_digits(&b[i + 1..], 2)?;
    let end = i + 1 + n2;
    let day = day_number(y, m, d)?;
    let secs = time_part(&v[end..], allow_t)?;
    Some(Stamp { day, secs })
}

/// `YYYYMMDD[ time]`.
fn compact(v: &str) -> Option<Stamp> {
    let b = v.as_bytes();
    if b.len() < 8
        || !b[..8].iter().all(u8::is_ascii_digit)
        || b.get(8).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let y = digits(&b[..4])? as i32;
    let m = digits(&b[4..6])?;
    let d = digits(&b[6..8])?;
    let day = day_number(y, m, d)?;
    let secs = time_part(&v[8..], true)?;
    Some(Stamp { day, secs })
}

/// `YYYY年M月D日[ time]` (also `号` for 日).
fn chinese(v: &str) -> Option<Stamp> {
    let (y, rest) = v.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, rest) = rest.split_once('日').or_else(|| rest.split_once('号'))?;
    let (y, m, d) = (y.trim(), m.trim(), d.trim());
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    let day = day_number(
        digits(y.as_bytes())? as i32,
        digits(m.as_bytes())?,
        digits(d.as_bytes())?,
    )?;
    let rest = if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        rest.to_string()
    } else {
        format!(" {rest}")
    };
    let secs = time_part(&rest, false)?;
    Some(Stamp { day, secs })
}

/// `A<sep>B<sep>YY[YY][ time]` read month-first (`mdy`) or day-first.
fn two_first(v: &str, sep: u8, mdy: bool) -> Option<Stamp> {
    let b = v.as_bytes();
    let (a, n1) = take_digits(b, 2)?;
    if b.get(n1) != Some(&sep) {
        return None;
    }
    let (c, n2) = take_digits(&b[n1 + 1..], 2)?;
    let i = n1 + 1 + n2;
    if b.get(i) != Some(&sep) {
        return None;
    }
    let yn = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if yn != 2 && yn != 4 {
        return None;
    }
    let yv = digits(&b[i + 1..i + 1 + yn])? as i32;
    let y = if yn == 2 {
        if yv < 69 {
            2000 + yv
        } else {
            1900 + yv
        }
    } else {
        yv
    };
    let (m, d) = if mdy { (a, c) } else { (c, a) };
    let day = day_number(y, m, d)?;
    let secs = time_part(&v[i + 1 + yn..], false)?;
    Some(Stamp { day, secs })
}

/// Excel 1900-system serial number, with the fraction as time of day.
fn excel(v: &str) -> Option<Stamp> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, f),
        None => (v, ""),
    };
    let serial = digits(int.as_bytes())?;
    if !(10_000..=100_000).contains(&serial) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: f64 = if frac.is_empty() {
        0.0
    } else {
        format!("0.{frac}").parse().ok()?
    };
    // serial 1 = 1900-01-01 with Excel's phantom 1900-02-29; from 61 on, day 0 is 1899-12-30
    let base = day_number(1899, 12, 30)?;
    let secs = ((f * 86_400.0).round() as u32).min(86_399);
    Some(Stamp {
        day: base + serial as i32,
        secs,
    })
}

/// Unix seconds or milliseconds (UTC calendar, as written).
fn unix(v: &str, millis: bool) -> Option<Stamp> {
    let b = v.as_bytes();
    let ok_len = if millis {
        (12..=13).contains(&b.len())
    } else {
        (9..=10).contains(&b.len())
    };
    if !ok_len || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: i64 = v.parse().ok()?;
    if millis {
        n /= 1000;
    }
    let epoch = day_number(1970, 1, 1)?;
    let day = epoch + (n.div_euclid(86_400)) as i32;
    Some(Stamp {
        day,
        secs: n.rem_euclid(86_400) as u32,
    })
}

/// The format chosen for a column and how it was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatChoice {
    /// The format used for every value of the column.
    pub format: DateFormat,
    /// Month-first and day-first both fit every value.
    pub ambiguous: bool,
    /// How many non-empty values the format parses.
    pub fits: usize,
    /// Non-empty values seen.
    pub total: usize,
}

/// Chooses a column's format: the one that parses the most values (ties: [`DateFormat::ALL`] order).
/// An explicit `mdy` / `dmy` order replaces a month-first/day-first choice; `ymd` prefers the
/// year-first formats when any value fits one. Returns `None` when no value parses.
pub fn choose_format<'a>(
    values: impl Iterator<Item = &'a str>,
    order: DateOrder,
) -> Option<FormatChoice> {
    let mut counts = [0usize; DateFormat::ALL.len()];
    let mut total = 0;
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        total += 1;
        for (i, f) in DateFormat::ALL.iter().enumerate() {
            if f.parse(v).is_some() {
                counts[i] += 1;
            }
        }
    }
    let candidates: Vec<usize> = if order == DateOrder::Ymd && counts[..5].iter().any(|&c| c > 0) {
        (0..5).collect()
    } else {
        (0..DateFormat::ALL.len()).collect()
    };
    let mut best = None::<usize>;
    for i in candidates {
        if counts[i] > 0 && best.is_none_or(|b| counts[i] > counts[b]) {
            best = Some(i);
        }
    }
    let best = best?;
    let mut format = DateFormat::ALL[best];
    let mut ambiguous = false;
    if let DateFormat::Mdy(s) | DateFormat::Dmy(s) = format {
        let mi = DateFormat::ALL
            .iter()
            .position(|f| *f == DateFormat::Mdy(s))
            .unwrap_or(best);
        let di = DateFormat::ALL
            .iter()
            .position(|f| *f == DateFormat::Dmy(s))
            .unwrap_or(best);
        ambiguous = counts[mi] == total && counts[di] == total;
        format = match order {
            DateOrder::Dmy => DateFormat::Dmy(s),
            DateOrder::Mdy => DateFormat::Mdy(s),
            _ if ambiguous => DateFormat::Mdy(s),
            _ => format,
        };
    }
    let fits = counts[DateFormat::ALL
        .iter()
        .position(|f| *f == format)
        .unwrap_or(best)];
    Some(FormatChoice {
        format,
        ambiguous,
        fits,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    fn d(y: i32, m: u32, dd: u32) -> i32 {
        day_number(y, m, dd).unwrap()
    }

    #[test]
    fn iso_variants() {
        let f = DateFormat::Iso;
        assert_eq!(
            f.parse("2024-01-05"),
            Some(Stamp {
                day: d(2024, 1, 5),
                secs: 0
            })
        );
        assert_eq!(
            f.parse("2024-01-05 10:30"),
            Some(Stamp {
                day: d(2024, 1, 5),
                secs: 37_800
            })
        );
        assert_eq!(
            f.parse("2024-01-05T10:30:15Z").map(|s| s.secs),
            Some(37_815)
        );
        assert_eq!(
            f.parse("2024-01-05T23:30:00+08:00"),
            Some(Stamp {
                day: d(2024, 1, 5),
                secs: 84_600
            })
        );
        assert_eq!(
            f.parse("2024-01-05T10:30:00.123-0500").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(f.parse("2024-02-30"), None);
        assert_eq!(f.parse("2024-01-05x"), None);
        assert_eq!(f.parse("2024-01-05 25:00"), None);
    }

    #[test]
    fn other_year_first_formats() {
        assert_eq!(
            DateFormat::YmdSlash.parse("2024/1/5").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            DateFormat::YmdDot.parse("2024.01.05").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            DateFormat::YmdCompact.parse("20240105").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(DateFormat::YmdCompact.parse("202401051"), None);
        assert_eq!(
            DateFormat::Chinese.parse("2024年1月5日").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            DateFormat::Chinese
                .parse("2024年1月5日 10:30")
                .map(|s| s.secs),
            Some(37_800)
        );
        assert_eq!(
            DateFormat::Chinese
                .parse("2024年1月5日10时30分")
                .map(|s| s.secs),
            Some(37_800)
        );
    }

    #[test]
    fn month_first_and_day_first() {
        let us = DateFormat::Mdy(b'/');
        assert_eq!(
            us.parse("1/5/2024 8:26"),
            Some(Stamp {
                day: d(2024, 1, 5),
                secs: 8 * 3600 + 26 * 60
            })
        );
        assert_eq!(
            us.parse("12/1/2010 8:26 PM").map(|s| s.secs),
            Some(20 * 3600 + 26 * 60)
        );
        assert_eq!(us.parse("13/1/2024"), None);
        assert_eq!(
            DateFormat::Dmy(b'/').parse("13/1/2024").map(|s| s.day),
            Some(d(2024, 1, 13))
        );
        assert_eq!(
            DateFormat::Dmy(b'.').parse("05.01.2024").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(us.parse("1/5/24").map(|s| s.day), Some(d(2024, 1, 5)));
        assert_eq!(us.parse("1/5/97").map(|s| s.day), Some(d(1997, 1, 5)));
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(
            DateFormat::ExcelSerial.parse("45296").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            DateFormat::ExcelSerial.parse("45296.5").map(|s| s.secs),
            Some(43_200)
        );
        assert_eq!(DateFormat::ExcelSerial.parse("4"), None);
        assert_eq!(
            DateFormat::UnixSeconds.parse("1704412800").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
        assert_eq!(
            DateFormat::UnixMillis.parse("1704412800000").map(|s| s.day),
            Some(d(2024, 1, 5))
        );
    }

    #[test]
    fn column_choice_and_ambiguity() {
        let c = choose_format(["1/5/2024", "2/6/2024"].into_iter(), DateOrder::Auto).unwrap();
        assert!(c.ambiguous);
        assert_eq!(c.format, DateFormat::Mdy(b'/'));
        let c = choose_format(["1/5/2024", "2/6/2024"].into_iter(), DateOrder::Dmy).unwrap();
        assert_eq!(c.format, DateFormat::Dmy(b'/'));
        let c = choose_format(["1/5/2024", "13/6/2024"].into_iter(), DateOrder::Auto).unwrap();
        assert!(!c.ambiguous);
        assert_eq!(c.format, DateFormat::Dmy(b'/'));
        let c = choose_format(
            ["2024-01-05", "2024/1/6", "2024-01-07"].into_iter(),
            DateOrder::Auto,
        )
        .unwrap();
        assert_eq!((c.format, c.fits, c.total), (DateFormat::Iso, 2, 3));
        assert!(choose_format(["hello"].into_iter(), DateOrder::Auto).is_none());
    }

    #[test]
    fn civil_day_agrees_with_chrono() {
        let mut date = NaiveDate::from_ymd_opt(1899, 1, 1).unwrap();
        while date.year() < 2101 {
            assert_eq!(
                civil_day(date.year(), date.month(), date.day()),
                Some(date.num_days_from_ce()),
                "{date}"
            );
            date = date.succ_opt().unwrap();
        }
        assert_eq!(civil_day(2023, 2, 29), None);
        assert_eq!(civil_day(2024, 2, 29), Some(d(2024, 2, 29)));
        assert_eq!(civil_day(2024, 13, 1), None);
    }

    #[test]
    fn fast_iso_agrees_with_the_general_parser() {
        for v in [
            "2024-01-05",
            "2024-01-05 10:30",
            "2024-01-05T10:30:15",
            "2024-02-29 23:59:59",
        ] {
            assert_eq!(fast_iso(v.as_bytes()), DateFormat::Iso.parse(v), "{v}");
        }
        for v in [
            "2023-02-29",
            "2024-01-05 24:00",
            "2024-01-05x10:30",
            "2024-1-5",
        ] {
            assert_eq!(fast_iso(v.as_bytes()), None, "{v}");
        }
    }

    #[test]
    fn round_trip_format() {
        assert_eq!(format_day(d(1997, 9, 30)), "1997-09-30");
        assert_eq!(parse_iso_day("1997-09-30"), Some(d(1997, 9, 30)));
        assert_eq!(parse_iso_day("1997-9-30"), None);
    }
}
