//! Exact decimal money and the number parser.
//!
//! Amounts are held as [`Money`]: a count of millionths (10⁻⁶) in an `i128`, so sums, comparisons and
//! shares are exact (`docs/README.md`). Values with more than 6 decimals are rounded half-even to 6.
//! The parser accepts `1234.5`, `1,234.50`, `1.234,50`, `1 234,50`, currency marks and codes
//! (`¥ ￥ $ € £ 元 RMB CNY USD`), `-12` and `(12.00)`; whether a column uses a decimal comma is decided
//! per column by [`decide_decimal_comma`].

/// Millionths per unit.
pub const SCALE: i128 = 1_000_000;

/// An exact amount in millionths of the currency unit.
pub type Money = i128;

/// Currency marks and codes that may precede or follow a number.
const CURRENCY: &[&str] = &[
    "RMB", "CNY", "USD", "EUR", "GBP", "JPY", "¥", "￥", "$", "€", "£", "元",
];

/// Strips one currency mark or code (case-insensitive for codes) from the start and end of `s`.
fn strip_currency(mut s: &str) -> &str {
    for _ in 0..2 {
        let t = s.trim();
        let mut changed = false;
        for c in CURRENCY {
            if t.len() >= c.len()
                && t.is_char_boundary(c.len())
                && t[..c.len()].eq_ignore_ascii_case(c)
            {
                s = &t[c.len()..];
                changed = true;
                break;
            }
            if t.len() >= c.len()
                && t.is_char_boundary(t.len() - c.len())
                && t[t.len() - c.len()..].eq_ignore_ascii_case(c)
            {
                s = &t[..t.len() - c.len()];
                changed = true;
                break;
            }
        }
        if !changed {
            return t;
        }
    }
    s.trim()
}

/// Removes the sign from a number text: a leading `-`/`+`/`−` or surrounding parentheses.
/// Returns (negative, rest). Currency marks may sit inside or outside the sign.
fn split_sign(s: &str) -> (bool, &str) {
    let s = strip_currency(s);
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return (true, strip_currency(inner));
    }
    if let Some(r) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        return (true, strip_currency(r));
    }
    if let Some(r) = s.strip_prefix('+') {
        return (false, strip_currency(r));
    }
    if let Some(r) = s.strip_suffix('-') {
        // trailing minus, as some ERP exports write "12.00-"
        return (true, strip_currency(r));
    }
    (false, s)
}

fn is_group_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\''
}

/// What one value says about its column's decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalVote {
    /// The value only makes sense with a decimal point (`12.5`, `1,234.50`).
    Point,
    /// The value only makes sense with a decimal comma (`12,5`, `1.234,50`).
    Comma,
    /// Either reading works or no separator at all (`1,234`, `12`).
    Either,
}

/// Classifies a raw number text by its separators.
pub fn decimal_vote(raw: &str) -> DecimalVote {
    let (_, s) = split_sign(raw);
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    match (last_dot, last_comma) {
        (Some(d), Some(c)) => {
            if c > d {
                DecimalVote::Comma
            } else {
                DecimalVote::Point
            }
        }
        (Some(d), None) => {
            let dots = s.matches('.').count();
            if dots > 1 {
                DecimalVote::Comma
            } else if s.len() - d - 1 == 3
                && s[..d].chars().all(|c| c.is_ascii_digit())
                && d <= 3
                && d > 0
            {
                DecimalVote::Either
            } else {
                DecimalVote::Point
            }
        }
        (None, Some(c)) => {
            let commas = s.matches(',').count();
            if commas > 1 {
                DecimalVote::Point
            } else if s.len() - c - 1 == 3 && c <= 3 && c > 0 {
                DecimalVote::Either
            } else {
                DecimalVote::Comma
            }
        }
        (None, None) => DecimalVote::Either,
    }
}

/// Decides whether a column uses a decimal comma: only when more values need a comma reading than a
/// point reading (a column is decimal-comma only if the data says so).
pub fn decide_decimal_comma<'a>(values: impl Iterator<Item = &'a str>) -> bool {
    let (mut point, mut comma) = (0usize, 0usize);
    for v in values {
        match decimal_vote(v) {
            DecimalVote::Point => point += 1,
            DecimalVote::Comma => comma += 1,
            DecimalVote::Either => {}
        }
    }
    comma > point
}

/// Checks digit grouping `1,234,567`: first group 1–3 digits, the others exactly 3.
fn valid_groups(groups: &[&str]) -> bool {
    if groups.len() == 1 {
        return !groups[0].is_empty() && groups[0].bytes().all(|b| b.is_ascii_digit());
    }
    groups.iter().enumerate().all(|(i, g)| {
        let ok_len = if i == 0 {
            (1..=3).contains(&g.len())
        } else {
            g.len() == 3
        };
        ok_len && g.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Parses a number text into exact millionths. `decimal_comma` says which separator is the decimal one
/// for this column. Returns `None` for anything that is not a number; never panics.
pub fn parse_money(raw: &str, decimal_comma: bool) -> Option<Money> {
    let (neg, s) = split_sign(raw.trim());
    if s.is_empty() {
        return None;
    }
    let (dec_sep, group_sep) = if decimal_comma {
        (',', '.')
    } else {
        ('.', ',')
    };
    // scientific notation, only for plain numbers (Excel writes 1.23E+05)
    if let Some(epos) = s.find(['e', 'E']) {
        let mant = &s[..epos];
        let exp: i32 = s[epos + 1..].parse().ok()?;
        if mant.contains(group_sep) || !(-30..=30).contains(&exp) {
            return None;
        }
        let m = parse_unsigned(mant, dec_sep)?;
        let v = if exp >= 0 {
            m.checked_mul(10i128.checked_pow(exp as u32)?)?
        } else {
            round_half_even_div(m, 10i128.checked_pow((-exp) as u32)?)
        };
        return Some(if neg { -v } else { v });
    }
    let (int_part, frac_part) = match s.rfind(dec_sep) {
        Some(p) => (&s[..p], Some(&s[p + dec_sep.len_utf8()..])),
        None => (s, None),
    };
    let groups: Vec<&str> = int_part
        .split(|c: char| c == group_sep || is_group_space(c))
        .collect();
    let int_digits: String = if int_part.is_empty() {
        frac_part?;
        String::from("0")
    } else {
        if !valid_groups(&groups) {
            return None;
        }
        groups.concat()
    };
    let frac = frac_part.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit())
        || (frac_part.is_some() && frac.is_empty() && int_part.is_empty())
    {
        return None;
    }
    let text = format!("{int_digits}.{frac}");
    let v = parse_unsigned(&text, '.')?;
    Some(if neg { -v } else { v })
}

/// Parses `digits[.digits]` into millionths, rounding half-even beyond 6 decimals.
fn parse_unsigned(s: &str, dec_sep: char) -> Option<Money> {
    let (i, f) = match s.find(dec_sep) {
        Some(p) => (&s[..p], &s[p + dec_sep.len_utf8()..]),
        None => (s, ""),
    };
    if (i.is_empty() && f.is_empty())
        || !i.bytes().all(|b| b.is_ascii_digit())
        || !f.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if i.len() > 24 {
        return None;
    }
    let int_val: i128 = if i.is_empty() { 0 } else { i.parse().ok()? };
    let mut v = int_val.checked_mul(SCALE)?;
    let f6 = if f.len() > 6 { &f[..6] } else { f };
    let mut frac_val: i128 = if f6.is_empty() { 0 } else { f6.parse().ok()? };
    for _ in f6.len()..6 {
        frac_val *= 10;
    }
    v += frac_val;
    if f.len() > 6 {
        // round half-even on the remaining digits
        let rest = &f[6..];
        let first = rest.as_bytes()[0] - b'0';
        let tail_nonzero = rest.bytes().skip(1).any(|b| b != b'0');
        let round_up = first > 5 || (first == 5 && (tail_nonzero || v % 2 == 1));
        if round_up {
            v += 1;
        }
    }
    Some(v)
}

/// Divides rounding half to even (for `den > 0`).
pub fn round_half_even_div(num: i128, den: i128) -> i128 {
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    let twice = 2 * r;
    if twice > den || (twice == den && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

/// Multiplies two millionth amounts (quantity × unit price), rounding half-even to millionths.
pub fn mul_money(a: Money, b: Money) -> Option<Money> {
    Some(round_half_even_div(a.checked_mul(b)?, SCALE))
}

/// Writes an amount with up to 6 decimals, no thousands separators, no trailing zeros (`12.5`, `-3`).
pub fn format_money(v: Money) -> String {
    let mut out = Vec::with_capacity(24);
    write_money(&mut out, v);
    // (only ASCII digits, '-' and '.' are written)
    String::from_utf8(out).unwrap_or_default()
}

/// Appends [`format_money`]'s text of `v` to `out`, without allocating (the CSV writer's hot path).
pub fn write_money(out: &mut Vec<u8>, v: Money) {
    let a = v.unsigned_abs();
    let int = a / SCALE as u128;
    let mut frac = (a % SCALE as u128) as u32;
    if v < 0 {
        out.push(b'-');
    }
    let mut digits = itoa::Buffer::new();
    out.extend_from_slice(digits.format(int).as_bytes());
    if frac != 0 {
        // six digits of millionths, trailing zeros dropped
        let mut len = 6;
        while frac % 10 == 0 {
            frac /= 10;
            len -= 1;
        }
        out.push(b'.');
        let text = digits.format(frac);
        out.extend(std::iter::repeat_n(b'0', len - text.len()));
        out.extend_from_slice(text.as_bytes());
    }
}

/// Converts millionths to a float for display and charts.
pub fn to_f64(v: Money) -> f64 {
    v as f64 / SCALE as f64
}

/// Converts a share or threshold given as a float option into exact millionths (rounded).
pub fn from_f64(x: f64) -> Money {
    (x * SCALE as f64).round() as i128
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Money> {
        parse_money(s, false)
    }

    #[test]
    fn plain_and_grouped_numbers() {
        assert_eq!(p("1234.5"), Some(1_234_500_000));
        assert_eq!(p("1,234.50"), Some(1_234_500_000));
        assert_eq!(p("1 234.50"), Some(1_234_500_000));
        assert_eq!(p("0.1"), Some(100_000));
        assert_eq!(p(".5"), Some(500_000));
        assert_eq!(p("12"), Some(12_000_000));
        assert_eq!(p("1,2,3"), None);
        assert_eq!(p("12,34.5"), None);
        assert_eq!(p("abc"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("-"), None);
        assert_eq!(p("1.2.3"), None);
    }

    #[test]
    fn decimal_comma_numbers() {
        assert_eq!(parse_money("1.234,50", true), Some(1_234_500_000));
        assert_eq!(parse_money("1 234,50", true), Some(1_234_500_000));
        assert_eq!(parse_money("12,5", true), Some(12_500_000));
    }

    #[test]
    fn signs_and_currency() {
        assert_eq!(p("-12"), Some(-12_000_000));
        assert_eq!(p("(12.00)"), Some(-12_000_000));
        assert_eq!(p("¥88"), Some(88_000_000));
        assert_eq!(p("￥1,000.5"), Some(1_000_500_000));
        assert_eq!(p("$ 12.00"), Some(12_000_000));
        assert_eq!(p("-$12"), Some(-12_000_000));
        assert_eq!(p("($12.00)"), Some(-12_000_000));
        assert_eq!(p("88元"), Some(88_000_000));
        assert_eq!(p("RMB 88"), Some(88_000_000));
        assert_eq!(p("12.5 usd"), Some(12_500_000));
        assert_eq!(p("€3"), Some(3_000_000));
        assert_eq!(p("£3"), Some(3_000_000));
    }

    #[test]
    fn rounding_half_even_beyond_six_decimals() {
        assert_eq!(p("0.0000005"), Some(0)); // tie, 0 is even
        assert_eq!(p("0.0000015"), Some(2)); // tie, round to even 2
        assert_eq!(p("0.00000051"), Some(1));
        assert_eq!(p("1.5e3"), Some(1_500_000_000));
    }

    #[test]
    fn votes_decide_the_column() {
        assert_eq!(decimal_vote("12,5"), DecimalVote::Comma);
        assert_eq!(decimal_vote("1.234,50"), DecimalVote::Comma);
        assert_eq!(decimal_vote("1,234"), DecimalVote::Either);
        assert_eq!(decimal_vote("1,234.5"), DecimalVote::Point);
        assert!(decide_decimal_comma(
            ["1,5", "2,25", "1.234,00"].into_iter()
        ));
        assert!(!decide_decimal_comma(["1,234", "2.5"].into_iter()));
        assert!(!decide_decimal_comma(["1,234", "2,345"].into_iter()));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_money(1_234_500_000), "1234.5");
        assert_eq!(format_money(-3_000_000), "-3");
        assert_eq!(format_money(1), "0.000001");
        assert_eq!(format_money(0), "0");
        assert_eq!(mul_money(2_000_000, 1_250_000), Some(2_500_000));
    }
}
