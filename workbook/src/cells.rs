//! How one cell becomes one CSV field (`docs/input.md#workbooks`): numbers as plain decimals
//! rounded to 15 significant digits (what Excel shows), dates as ISO `YYYY-MM-DD` (with
//! ` HH:MM:SS` when there is a time), text as is, errors as their text (`#N/A`), booleans as
//! `TRUE`/`FALSE`.

use calamine::{Data, DataRef, ExcelDateTime, ExcelDateTimeType};

/// A cell of a grid (`.xls`, `.ods`) as the streamed readers give it, borrowing its text.
pub(crate) fn borrowed(v: &Data) -> DataRef<'_> {
    match v {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// Appends the field text of `v` to `out` (unquoted; the emitter quotes). Returns false for an
/// empty cell (nothing appended).
pub(crate) fn field_text(v: &DataRef<'_>, out: &mut String) -> bool {
    match v {
        DataRef::Empty => return false,
        DataRef::String(s) | DataRef::DurationIso(s) => out.push_str(s),
        DataRef::SharedString(s) => out.push_str(s),
        DataRef::Int(i) => out.push_str(&i.to_string()),
        DataRef::Float(f) => push_number(*f, out),
        DataRef::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(dt) => push_excel_datetime(dt, out),
        DataRef::DateTimeIso(s) => push_iso_datetime(s, out),
        DataRef::Error(e) => out.push_str(&e.to_string()),
    }
    true
}

/// A number as plain decimal text: whole numbers below 10¹⁵ exactly, anything else rounded to 15
/// significant digits (Excel's precision on screen) without an exponent and without trailing zeros:
/// `0.1 + 0.2` → `0.3`, `1e-7` → `0.0000001`, `-0.0` → `0`.
pub fn push_number(x: f64, out: &mut String) {
    if !x.is_finite() {
        out.push_str(if x.is_nan() { "NaN" } else { "#NUM!" });
        return;
    }
    if x == 0.0 {
        out.push('0');
        return;
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        // exact: a whole number below 10^15 fits an i64
        out.push_str(&(x as i64).to_string());
        return;
    }
    // d.dddddddddddddde±N: 15 significant digits, correctly rounded
    let sci = format!("{:.14e}", x.abs());
    let Some((mantissa, exp)) = sci.split_once('e') else {
        out.push_str(&sci);
        return;
    };
    let Ok(exp) = exp.parse::<i32>() else {
        out.push_str(&sci);
        return;
    };
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    if x < 0.0 {
        out.push('-');
    }
    // the value is 0.d1d2… × 10^(exp + 1): `point` digits stand before the decimal point
    let point = exp + 1;
    let n = digits.len() as i32;
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else if point >= n {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (point - n) as usize));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
}

/// Days from 1970-01-01 to the civil date (y, m, d) of the proleptic Gregorian calendar, and back
/// (H. Hinnant's algorithms).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days from 1970-01-01 to 1899-12-30 (day 0 of the 1900 date system, from day 61 on) and to
/// 1904-01-01 (day 0 of the 1904 date system).
const EPOCH_1900: i64 = -25_569;
const EPOCH_1904: i64 = -24_107;
/// Serial day of 9999-12-31 in the 1900 system, the last date Excel shows.
const LAST_SERIAL: f64 = 2_958_465.0;

/// A cell whose number format is a date or a time: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` when the
/// time (rounded to the second) is not midnight, `HH:MM:SS` for a time without a date (a serial
/// below 1). Durations (`[h]:mm`) and serials outside 0 … 9999-12-31 stay numbers.
fn push_excel_datetime(dt: &ExcelDateTime, out: &mut String) {
    let serial = dt.as_f64();
    if dt.is_duration() || !(0.0..LAST_SERIAL + 1.0).contains(&serial) {
        push_number(serial, out);
        return;
    }
    // the 1904 flag is private to calamine: compare with the same serial in the 1904 system
    let is_1904 = *dt == ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, true);
    // whole seconds, rounded (in range: below 2.6e11)
    let secs = (serial * 86_400.0).round() as i64;
    let (day, sec) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let time = (sec / 3600, sec / 60 % 60, sec % 60);
    if day == 0 && !is_1904 {
        out.push_str(&format!("{:02}:{:02}:{:02}", time.0, time.1, time.2));
        return;
    }
    let date = if is_1904 {
        civil_from_days(EPOCH_1904 + day)
    } else if day == 60 {
        // Excel's 1900-02-29, a day that never was (Lotus 1-2-3's leap year bug): shown as
        // Excel shows it, and rejected as a date by the analysis
        (1900, 2, 29)
    } else if day < 60 {
        civil_from_days(EPOCH_1900 + day + 1)
    } else {
        civil_from_days(EPOCH_1900 + day)
    };
    out.push_str(&format!("{:04}-{:02}-{:02}", date.0, date.1, date.2));
    if sec != 0 {
        out.push_str(&format!(" {:02}:{:02}:{:02}", time.0, time.1, time.2));
    }
}

/// An OpenDocument date value (`2024-01-05`, `2024-01-05T10:30:00`, with an optional fraction):
/// the same forms as [`push_excel_datetime`]; anything else as written.
fn push_iso_datetime(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|_| &s[r])
    };
    let (Some(date), true) = (
        digits(0..4),
        b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-'),
    ) else {
        out.push_str(s);
        return;
    };
    let (Some(month), Some(day)) = (digits(5..7), digits(8..10)) else {
        out.push_str(s);
        return;
    };
    let rest = &s[10..];
    if rest.is_empty() {
        out.push_str(&format!("{date}-{month}-{day}"));
        return;
    }
    // THH:MM:SS(.fff…), rounded to the second
    let t = rest.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = t.get(r.clone())?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| rest[r].parse().ok())?
    };
    let (Some(h), Some(m), Some(sec)) = (num(1..3), num(4..6), num(7..9)) else {
        out.push_str(s);
        return;
    };
    if t[0] != b'T' || t.get(3) != Some(&b':') || t.get(6) != Some(&b':') {
        out.push_str(s);
        return;
    }
    let frac = rest.get(9..).unwrap_or("");
    let round_up = frac.starts_with('.') && frac.as_bytes().get(1).is_some_and(|d| *d >= b'5');
    let total = h * 3600 + m * 60 + sec + u32::from(round_up);
    if total >= 86_400 || h > 23 || m > 59 || sec > 59 {
        out.push_str(s);
        return;
    }
    out.push_str(&format!("{date}-{month}-{day}"));
    if total != 0 {
        out.push_str(&format!(
            " {:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(x: f64) -> String {
        let mut s = String::new();
        push_number(x, &mut s);
        s
    }

    #[test]
    fn numbers_are_plain_decimals_of_15_significant_digits() {
        // (value, text worked out by hand)
        let cases: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.3"),
            (1.0 - 0.9, "0.1"),
            (42.0, "42"),
            (-42.0, "-42"),
            (-0.0, "0"),
            (1234.5, "1234.5"),
            (0.000_000_1, "0.0000001"),
            (1e20, "100000000000000000000"),
            (123_456_789_012_345.0, "123456789012345"),
            (1_234_567_890_123_456.0, "1234567890123460"),
            (13_800_138_000.0, "13800138000"),
            (2.0 / 3.0, "0.666666666666667"),
            (-1.5e-3, "-0.0015"),
            (99.995, "99.995"),
        ];
        for &(x, want) in cases {
            assert_eq!(num(x), want, "{x:e}");
        }
    }

    fn date(serial: f64, is_1904: bool) -> String {
        let mut s = String::new();
        push_excel_datetime(
            &ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904),
            &mut s,
        );
        s
    }

    #[test]
    fn date_serials_become_iso_dates() {
        // 45296 is 2024-01-05 (45,296 days after 1899-12-30); .5 is noon
        assert_eq!(date(45296.0, false), "2024-01-05");
        assert_eq!(date(45296.5, false), "2024-01-05 12:00:00");
        // 08:26 is 506 minutes = 0.351388… days; a float a hair off rounds to the second
        assert_eq!(date(45296.0 + 506.0 / 1440.0, false), "2024-01-05 08:26:00");
        assert_eq!(date(45_296.999_999_99, false), "2024-01-06");
        // the 1900 system's first days and its fake leap day
        assert_eq!(date(1.0, false), "1900-01-01");
        assert_eq!(date(59.0, false), "1900-02-28");
        assert_eq!(date(60.0, false), "1900-02-29");
        assert_eq!(date(61.0, false), "1900-03-01");
        // a time without a date
        assert_eq!(date(0.75, false), "18:00:00");
        // 1904 system: day 0 is 1904-01-01, so 2024-01-05 is 45296 − 1462
        assert_eq!(date(43834.0, true), "2024-01-05");
        assert_eq!(date(2_958_465.0, false), "9999-12-31");
        // out of range stays a number
        assert_eq!(date(-1.0, false), "-1");
        assert_eq!(date(3e6, false), "3000000");
    }

    fn iso(s: &str) -> String {
        let mut o = String::new();
        push_iso_datetime(s, &mut o);
        o
    }

    #[test]
    fn opendocument_dates_become_the_same_forms() {
        assert_eq!(iso("2024-01-05"), "2024-01-05");
        assert_eq!(iso("2024-01-05T00:00:00"), "2024-01-05");
        assert_eq!(iso("2024-01-05T08:26:00"), "2024-01-05 08:26:00");
        assert_eq!(iso("2024-01-05T08:26:59.6"), "2024-01-05 08:27:00");
        assert_eq!(iso("2024-01-05T25:00:00"), "2024-01-05T25:00:00");
        assert_eq!(iso("soon"), "soon");
        assert_eq!(iso("2024-1-5"), "2024-1-5");
    }
}
