//! Property tests of the number and date parsers (`docs/input.md` "Numbers" and "Dates").
//!
//! Every expectation is computed here, independently of the product: amounts are written from an exact
//! integer count of millionths by this file's own formatter, and day numbers come from this file's own
//! calendar arithmetic (`days_from_ce`, checked against known anchors), never from `tierwise::ingest::dates`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use tierwise::ingest::dates::{choose_format, fast_iso, DateFormat};
use tierwise::ingest::money::parse_money;
use tierwise::options::DateOrder;

// ---------------------------------------------------------------------------------------------
// numbers
// ---------------------------------------------------------------------------------------------

const MILLION: i128 = 1_000_000;

/// Digit grouping of a non-negative integer text: `1234567` → `1<sep>234<sep>567`.
fn group(int: &str, sep: &str) -> String {
    let b = int.as_bytes();
    let mut out = String::new();
    for (i, c) in b.iter().enumerate() {
        if i > 0 && (b.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(*c as char);
    }
    out
}

/// How a number is written: (thousands separator, decimal separator, decimal comma column?).
const STYLES: &[(&str, &str, bool)] = &[
    ("", ".", false),       // 1234.5
    (",", ".", false),      // 1,234.50
    (" ", ".", false),      // 1 234.50
    ("", ",", true),        // 1234,5
    (".", ",", true),       // 1.234,50
    (" ", ",", true),       // 1 234,50
    ("\u{a0}", ",", true),  // 1 234,50 with a no-break space (French exports)
    ("\u{a0}", ".", false), // 1 234.50 with a no-break space
];

const CURRENCIES: &[&str] = &["¥", "￥", "$", "€", "£", "元", "RMB", "CNY", "USD"];

/// Writes |v| (millionths) with the given separators and `decimals` fractional digits
/// (`decimals` ≥ the significant ones; extra ones are trailing zeros as in `1,234.50`).
fn write_abs(v: i128, style: (&str, &str, bool), decimals: usize) -> String {
    let a = v.abs();
    let int = (a / MILLION).to_string();
    let frac = format!("{:06}", a % MILLION);
    let mut s = group(&int, style.0);
    if decimals > 0 {
        s.push_str(style.1);
        s.push_str(&frac[..decimals.min(6)]);
        for _ in 6..decimals {
            s.push('0');
        }
    }
    s
}

/// Fractional digits needed to write `v` exactly.
fn needed_decimals(v: i128) -> usize {
    let mut f = v.abs() % MILLION;
    if f == 0 {
        return 0;
    }
    let mut n = 6;
    while f % 10 == 0 {
        f /= 10;
        n -= 1;
    }
    n
}

/// A money value in millionths: mostly everyday amounts, some large ones, some with 6 decimals.
fn money_value() -> impl Strategy<Value = i128> {
    prop_oneof![
        // whole amounts and cents up to a million
        (0i128..100_000_000, any::<bool>())
            .prop_map(|(c, neg)| (if neg { -c } else { c }) * 10_000),
        // up to 10¹² units with up to 6 decimals
        (0i128..1_000_000_000_000_000_000, any::<bool>()).prop_map(|(m, neg)| if neg {
            -m
        } else {
            m
        }),
        // small values
        (-10_000_000i128..10_000_000),
    ]
}

/// Where the currency mark goes relative to the sign: none, before everything, right before the
/// digits (inside the sign), or after everything; with or without a space.
#[derive(Debug, Clone, Copy)]
enum CurPos {
    None,
    Outside,
    Inside,
    After,
}

fn cur_pos() -> impl Strategy<Value = CurPos> {
    prop_oneof![
        Just(CurPos::None),
        Just(CurPos::Outside),
        Just(CurPos::Inside),
        Just(CurPos::After)
    ]
}

/// Writes a complete amount text: sign (`-12` or `(12.00)`), currency, padding.
#[allow(clippy::too_many_arguments)]
fn write_amount(
    v: i128,
    style: (&str, &str, bool),
    extra_decimals: usize,
    parens: bool,
    cur: &str,
    pos: CurPos,
    space: bool,
    pad: (usize, usize),
) -> String {
    let digits = write_abs(v, style, needed_decimals(v) + extra_decimals);
    let sp = if space { " " } else { "" };
    let body = match pos {
        CurPos::Inside => format!("{cur}{sp}{digits}"),
        _ => digits,
    };
    let signed = if v < 0 {
        if parens {
            format!("({body})")
        } else {
            format!("-{body}")
        }
    } else {
        body
    };
    let whole = match pos {
        CurPos::Outside => format!("{cur}{sp}{signed}"),
        CurPos::After => format!("{signed}{sp}{cur}"),
        _ => signed,
    };
    format!("{}{}{}", " ".repeat(pad.0), whole, " ".repeat(pad.1))
}

/// Round half to even of `n / 10^k` for n ≥ 0, by plain integer arithmetic.
fn round_half_even_pow10(n: i128, k: u32) -> i128 {
    let d = 10i128.pow(k);
    let (q, r) = (n / d, n % d);
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 == 1 => q + 1,
        _ => q,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every accepted writing of an exact decimal parses back to exactly that decimal.
    #[test]
    fn numbers_round_trip_in_every_style(
        v in money_value(),
        style in prop::sample::select(STYLES),
        extra in 0usize..3,
        parens in any::<bool>(),
        cur in prop::sample::select(CURRENCIES),
        pos in cur_pos(),
        space in any::<bool>(),
        pad in (0usize..3, 0usize..3),
    ) {
        let text = write_amount(v, style, extra, parens, cur, pos, space, pad);
        prop_assert_eq!(parse_money(&text, style.2), Some(v), "text {:?}", text);
    }

    /// Values written with more than 6 decimals are rounded half-even to 6 (`docs/README.md`).
    #[test]
    fn more_than_six_decimals_round_half_even(
        int in 0u64..1_000_000_000,
        frac9 in 0u32..1_000_000_000,
        neg in any::<bool>(),
    ) {
        let text = format!("{}{int}.{frac9:09}", if neg { "-" } else { "" });
        let nanos = int as i128 * 1_000_000_000 + frac9 as i128;
        let want = round_half_even_pow10(nanos, 3);
        let want = if neg { -want } else { want };
        prop_assert_eq!(parse_money(&text, false), Some(want), "text {:?}", text);
    }

    /// Arbitrary text never panics; whatever parses contains a digit and stays in range.
    #[test]
    fn number_garbage_never_panics(
        s in prop_oneof![
            any::<String>(),
            "[0-9.,() $¥￥€£元RMBCNYUSDe+\u{a0}'-]{0,24}",
        ],
        comma in any::<bool>(),
    ) {
        if let Some(v) = parse_money(&s, comma) {
            prop_assert!(s.chars().any(|c| c.is_ascii_digit()), "{:?} parsed as {} without a digit", s, v);
            // at most 24 integer digits are read (and 10³⁰ via an exponent)
            prop_assert!(v.unsigned_abs() < 10u128.pow(37), "{:?} parsed as {}", s, v);
        }
    }
}

#[test]
fn number_examples_of_the_spec() {
    // the literal examples of `docs/input.md`, as a fixed anchor for the generated cases
    assert_eq!(parse_money("1234.5", false), Some(1_234_500_000));
    assert_eq!(parse_money("1,234.50", false), Some(1_234_500_000));
    assert_eq!(parse_money("1.234,50", true), Some(1_234_500_000));
    assert_eq!(parse_money("1 234,50", true), Some(1_234_500_000));
    assert_eq!(parse_money("-12", false), Some(-12_000_000));
    assert_eq!(parse_money("(12.00)", false), Some(-12_000_000));
    for c in CURRENCIES {
        assert_eq!(parse_money(&format!("{c}7"), false), Some(7_000_000), "{c}");
        assert_eq!(parse_money(&format!("7{c}"), false), Some(7_000_000), "{c}");
    }
    assert_eq!(
        write_amount(
            -1_234_500_000,
            STYLES[4],
            1,
            true,
            "€",
            CurPos::Outside,
            true,
            (0, 0)
        ),
        "€ (1.234,50)"
    );
}

// ---------------------------------------------------------------------------------------------
// dates
// ---------------------------------------------------------------------------------------------

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from CE with 0001-01-01 = day 1 (the convention of `Stamp::day`), counted as whole years
/// plus whole months plus days; a different method from the product's.
fn days_from_ce(y: i32, m: u32, d: u32) -> i32 {
    let py = y - 1;
    let mut days = 365 * py + py / 4 - py / 100 + py / 400;
    for mm in 1..m {
        days += days_in_month(y, mm) as i32;
    }
    days + d as i32
}

#[test]
fn calendar_anchors() {
    assert_eq!(days_from_ce(1, 1, 1), 1);
    assert_eq!(days_from_ce(1970, 1, 1), 719_163); // chrono's num_days_from_ce of the Unix epoch
    assert_eq!(days_from_ce(2000, 3, 1) - days_from_ce(2000, 2, 28), 2);
    assert_eq!(days_from_ce(2100, 3, 1) - days_from_ce(2100, 2, 28), 1);
    // Excel: serial 45296 is 2024-01-05 (Excel's own display)
    assert_eq!(
        days_from_ce(2024, 1, 5) - days_from_ce(1899, 12, 30),
        45_296
    );
}

#[derive(Debug, Clone, Copy)]
struct Civil {
    y: i32,
    m: u32,
    d: u32,
}

fn civil(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = Civil> {
    (years, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| Civil {
        y,
        m,
        d: d.min(days_in_month(y, m)),
    })
}

/// A time of day (h, m, s) and whether the seconds are written.
fn time_of_day() -> impl Strategy<Value = (u32, u32, u32, bool)> {
    (0u32..24, 0u32..60, 0u32..60, any::<bool>())
        .prop_map(|(h, m, s, with_s)| (h, m, if with_s { s } else { 0 }, with_s))
}

fn secs((h, m, s, _): (u32, u32, u32, bool)) -> u32 {
    h * 3600 + m * 60 + s
}

/// `HH:MM[:SS]` (hour zero-padded or not).
fn hms((h, m, s, with_s): (u32, u32, u32, bool), pad_hour: bool) -> String {
    let hh = if pad_hour {
        format!("{h:02}")
    } else {
        h.to_string()
    };
    if with_s {
        format!("{hh}:{m:02}:{s:02}")
    } else {
        format!("{hh}:{m:02}")
    }
}

/// Month or day, zero-padded or not.
fn md(v: u32, pad: bool) -> String {
    if pad {
        format!("{v:02}")
    } else {
        v.to_string()
    }
}

const ZONES: &[&str] = &["", "Z", "+08:00", "-05:00", "+0800", "+08", " UTC", "z"];

/// One writing of a date (and maybe a time) and the format that must read it.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    format: DateFormat,
    /// Expected seconds of the day, when a time is written.
    secs: Option<u32>,
}

/// Writes `c` in the textual format number `which` (0..=10 over [`DateFormat::ALL`]'s first 11).
#[allow(clippy::too_many_arguments)]
fn write_textual(
    c: Civil,
    which: usize,
    pad: bool,
    time: Option<(u32, u32, u32, bool)>,
    t_sep: bool,
    zone: &str,
    two_digit_year: bool,
    ampm: bool,
) -> Written {
    let Civil { y, m, d } = c;
    let with_time = |date: String, sep: &str, zone_ok: bool| -> (String, Option<u32>) {
        match time {
            None => (date, None),
            Some(t) => {
                let z = if zone_ok { zone } else { "" };
                (format!("{date}{sep}{}{z}", hms(t, true)), Some(secs(t)))
            }
        }
    };
    let (text, format, s) = match which {
        0 => {
            let date = format!("{y:04}-{m:02}-{d:02}");
            let (t, s) = with_time(date, if t_sep { "T" } else { " " }, true);
            (t, DateFormat::Iso, s)
        }
        1 => {
            let (t, s) = with_time(format!("{y}/{}/{}", md(m, pad), md(d, pad)), " ", false);
            (t, DateFormat::YmdSlash, s)
        }
        2 => {
            let (t, s) = with_time(format!("{y}.{}.{}", md(m, pad), md(d, pad)), " ", false);
            (t, DateFormat::YmdDot, s)
        }
        3 => {
            let (t, s) = with_time(format!("{y:04}{m:02}{d:02}"), " ", false);
            (t, DateFormat::YmdCompact, s)
        }
        4 => {
            let date = format!("{y}年{}月{}日", md(m, pad), md(d, pad));
            match time {
                None => (date, DateFormat::Chinese, None),
                // `2024年1月5日 10:30` or `2024年1月5日10时30分`
                Some(tm) if t_sep => (
                    format!("{date}{}时{:02}分", tm.0, tm.1),
                    DateFormat::Chinese,
                    Some(tm.0 * 3600 + tm.1 * 60),
                ),
                Some(tm) => (
                    format!("{date} {}", hms(tm, pad)),
                    DateFormat::Chinese,
                    Some(secs(tm)),
                ),
            }
        }
        5..=10 => {
            let sep = ["/", "-", "."][(which - 5) % 3];
            let month_first = which < 8;
            let yy = if two_digit_year {
                format!("{:02}", y % 100)
            } else {
                y.to_string()
            };
            let (a, b) = if month_first { (m, d) } else { (d, m) };
            let date = format!("{}{sep}{}{sep}{yy}", md(a, pad), md(b, pad));
            let sepb = sep.as_bytes()[0];
            let f = if month_first {
                DateFormat::Mdy(sepb)
            } else {
                DateFormat::Dmy(sepb)
            };
            match time {
                None => (date, f, None),
                // US exports: `1/5/2024 8:26 PM`
                Some((h, mi, se, ws)) if ampm => {
                    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
                    let suffix = if h < 12 { "AM" } else { "PM" };
                    (
                        format!("{date} {} {suffix}", hms((h12, mi, se, ws), false)),
                        f,
                        Some(h * 3600 + mi * 60 + se),
                    )
                }
                Some(tm) => (format!("{date} {}", hms(tm, pad)), f, Some(secs(tm))),
            }
        }
        _ => unreachable!(),
    };
    Written {
        text,
        format,
        secs: s,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Every textual format of `docs/input.md` reads back the day (and the time as written).
    #[test]
    fn textual_dates_round_trip(
        c in civil(1950..=2079),
        which in 0usize..=10,
        pad in any::<bool>(),
        time in prop::option::of(time_of_day()),
        t_sep in any::<bool>(),
        zone in prop::sample::select(ZONES),
        two_digit in any::<bool>(),
        ampm in any::<bool>(),
    ) {
        // two-digit years follow the POSIX %y pivot: 69–99 → 19xx, 00–68 → 20xx
        let two_digit = two_digit && (1969..=2068).contains(&c.y);
        let w = write_textual(c, which, pad, time, t_sep, zone, two_digit, ampm);
        let want = days_from_ce(c.y, c.m, c.d);
        let got = w.format.parse(&w.text);
        prop_assert_eq!(got.map(|s| s.day), Some(want), "{:?} as {:?}", w.text, w.format);
        prop_assert_eq!(got.map(|s| s.secs), Some(w.secs.unwrap_or(0)), "{:?} as {:?}", w.text, w.format);
        // surrounding whitespace is trimmed (`docs/README.md`)
        let padded = format!("  {} ", w.text);
        prop_assert_eq!(w.format.parse(&padded), got, "{:?}", padded);
        // the ISO fast path of the streaming reader agrees whenever it answers
        if let Some(f) = fast_iso(w.text.as_bytes()) {
            prop_assert_eq!(Some(f), got, "fast_iso of {:?}", w.text);
        }
        // a column of this one value chooses a format that reads the same day
        let choice = choose_format(std::iter::once(w.text.as_str()), DateOrder::Auto);
        prop_assert!(choice.is_some(), "no format for {:?}", w.text);
        if let Some(ch) = choice {
            let day = ch.format.parse(&w.text).map(|s| s.day);
            // month-first and day-first may both fit (1/5/2024); auto reads month-first
            let ambiguous_dmy = matches!(w.format, DateFormat::Dmy(_)) && ch.ambiguous;
            if !ambiguous_dmy {
                prop_assert_eq!(day, Some(want), "{:?} chose {:?}", w.text, ch.format);
            }
        }
    }

    /// Excel serial day numbers (1900 system) with the fraction as the time of day.
    #[test]
    fn excel_serials_round_trip(c in civil(1950..=2079), time in prop::option::of(time_of_day())) {
        let serial = days_from_ce(c.y, c.m, c.d) - days_from_ce(1899, 12, 30);
        let (text, s) = match time {
            None => (serial.to_string(), 0),
            Some(t) => {
                // the fraction of the day to 10 decimals, by integer arithmetic
                let frac = (secs(t) as u128 * 10_000_000_000u128 + 43_200) / 86_400;
                (format!("{serial}.{frac:010}"), secs(t))
            }
        };
        let got = DateFormat::ExcelSerial.parse(&text);
        prop_assert_eq!(got.map(|x| x.day), Some(days_from_ce(c.y, c.m, c.d)), "{:?}", text);
        prop_assert_eq!(got.map(|x| x.secs), Some(s), "{:?}", text);
    }

    /// Unix seconds and milliseconds (UTC calendar). The parser reads 9–10 digits (seconds) and
    /// 12–13 digits (milliseconds), i.e. instants from 1973-03-03 on; 8-digit numbers are YYYYMMDD.
    #[test]
    fn unix_timestamps_round_trip(c in civil(1974..=2079), t in time_of_day(), ms in 0u32..1000) {
        let day = days_from_ce(c.y, c.m, c.d);
        let unix = (day - days_from_ce(1970, 1, 1)) as i64 * 86_400 + secs(t) as i64;
        let s = DateFormat::UnixSeconds.parse(&unix.to_string());
        prop_assert_eq!(s.map(|x| (x.day, x.secs)), Some((day, secs(t))), "{}", unix);
        let millis = unix * 1000 + ms as i64;
        let m = DateFormat::UnixMillis.parse(&millis.to_string());
        prop_assert_eq!(m.map(|x| (x.day, x.secs)), Some((day, secs(t))), "{}", millis);
    }

    /// Dates that do not exist are rejected by every textual format: February 30, February 29 of
    /// a common year, month 0 or 13+, day 0 or past the month's end.
    #[test]
    fn impossible_dates_are_rejected(
        y in 1950i32..=2079,
        kind in 0u32..4,
        m_any in 1u32..=12,
        bad in 0u32..1000,
        which in 0usize..=10,
        pad in any::<bool>(),
        time in prop::option::of(time_of_day()),
    ) {
        let (m, d) = match kind {
            0 => (2, 30 + bad % 2),                               // Feb 30 / 31
            1 => (13 + bad % 87, 1 + bad % 28),                   // month 13..=99
            2 => (m_any, days_in_month(y, m_any) + 1 + bad % (99 - days_in_month(y, m_any))), // past the end
            _ => if bad % 2 == 0 { (0, 1 + bad % 28) } else { (m_any, 0) }, // month 0 / day 0
        };
        let (m, d) = if kind == 0 && !is_leap(y) && bad % 3 == 0 { (2, 29) } else { (m, d) };
        // written with the product's own writer above; the calendar check is what is tested
        let w = write_textual(Civil { y, m, d }, which, pad, time, false, "", false, false);
        prop_assert_eq!(w.format.parse(&w.text), None, "{:?} as {:?}", w.text, w.format);
        if let Some(f) = fast_iso(w.text.as_bytes()) {
            prop_assert!(false, "fast_iso read {:?} as {:?}", w.text, f);
        }
    }

    /// Impossible times of day are rejected (hour 24+, minute 60+).
    #[test]
    fn impossible_times_are_rejected(c in civil(1950..=2079), h in 0u32..100, mi in 0u32..100) {
        prop_assume!(h > 23 || mi > 59);
        for text in [
            format!("{:04}-{:02}-{:02} {h:02}:{mi:02}", c.y, c.m, c.d),
            format!("{:04}-{:02}-{:02}T{h:02}:{mi:02}:00", c.y, c.m, c.d),
        ] {
            prop_assert_eq!(DateFormat::Iso.parse(&text), None, "{:?}", text);
            prop_assert_eq!(fast_iso(text.as_bytes()), None, "fast_iso {:?}", text);
        }
        let us = format!("{}/{}/{} {h}:{mi:02}", c.m, c.d, c.y);
        prop_assert_eq!(DateFormat::Mdy(b'/').parse(&us), None, "{:?}", us);
    }

    /// Arbitrary text never panics in any format, in the fast path or in the column choice; what
    /// parses has a time of day within the day and a plausible year.
    #[test]
    fn date_garbage_never_panics(
        values in prop::collection::vec(prop_oneof![
            any::<String>(),
            "[0-9/.: -]{0,22}",
            "[0-9年月日时分秒号TtZzAPMU+:. -]{0,24}",
        ], 1..6),
        order in prop::sample::select(&[DateOrder::Auto, DateOrder::Mdy, DateOrder::Dmy, DateOrder::Ymd][..]),
    ) {
        for v in &values {
            for f in DateFormat::ALL {
                if let Some(s) = f.parse(v) {
                    prop_assert!(s.secs < 86_400, "{:?} as {:?}: {:?}", v, f, s);
                    prop_assert!(v.chars().any(|c| c.is_ascii_digit()), "{:?} as {:?}", v, f);
                    // no year before 1 and none past 9999 (0001-01-01 is day 1)
                    prop_assert!(s.day >= 1 && s.day <= days_from_ce(9999, 12, 31), "{:?} as {:?}: {:?}", v, f, s);
                }
            }
            if let Some(s) = fast_iso(v.as_bytes()) {
                prop_assert_eq!(DateFormat::Iso.parse(v), Some(s), "fast_iso of {:?}", v);
            }
        }
        if let Some(ch) = choose_format(values.iter().map(String::as_str), order) {
            prop_assert!(ch.fits <= ch.total && ch.fits > 0, "{:?}", ch);
        }
    }
}
