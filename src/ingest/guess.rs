//! Column guesses: which role each column plays, judged from its header name *and* its values, with
//! a confidence and the reason in words. `make_plan` maps what `options.columns` leaves open from
//! these guesses (so `analyze` and [`crate::inspect`] always agree), and the weak ones become
//! warnings (`docs/input.md#column-roles`).
//!
//! Names propose, values decide: a header that names a role is taken when its values fit the role
//! (dates parse, amounts are numbers, ids are not decimals); a role no name gives, or whose named
//! column's values do not fit, is taken from the values alone: the column whose values are dates;
//! the customer as the id column that repeats (and that the order ids belong to, when there is one);
//! the order id as the id column whose every value belongs to one customer; the amount as the number
//! column with decimals (or the one that equals quantity × unit price).

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::ingest::dates::{choose_format, FormatChoice};
use crate::ingest::layout::Record;
use crate::ingest::money::{parse_money, Money};
use crate::ingest::roles::{column_label, normalize_name, Mapping, Role, ROLES};
use crate::messages::Message;
use crate::options::DateOrder;

/// What a column may be used as: the analysis roles plus two suggestions the page offers
/// (`signal`: a yes/no column for the churn signals; `dimension`: a text column to filter by) that
/// `analyze` never maps by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GuessRole {
    /// Customer id.
    Customer,
    /// Date / datetime.
    Date,
    /// Net amount.
    Amount,
    /// Quantity.
    Quantity,
    /// Unit price.
    UnitPrice,
    /// Order id.
    Order,
    /// Category / product.
    Category,
    /// A yes/no column (suggestion only).
    Signal,
    /// A text column with few distinct values (suggestion only).
    Dimension,
}

impl GuessRole {
    /// The role's name as a message (for warnings).
    pub fn name(self) -> Message {
        match self {
            GuessRole::Customer => Message::RoleCustomer,
            GuessRole::Date => Message::RoleDate,
            GuessRole::Amount => Message::RoleAmount,
            GuessRole::Quantity => Message::RoleQuantity,
            GuessRole::UnitPrice => Message::RoleUnitPrice,
            GuessRole::Order => Message::RoleOrder,
            GuessRole::Category => Message::RoleCategory,
            GuessRole::Signal => Message::RoleSignal,
            GuessRole::Dimension => Message::RoleDimension,
        }
    }

    /// The key of `options.columns` for the role.
    pub fn key(self) -> &'static str {
        match self {
            GuessRole::Customer => "customer",
            GuessRole::Date => "date",
            GuessRole::Amount => "amount",
            GuessRole::Quantity => "quantity",
            GuessRole::UnitPrice => "unitPrice",
            GuessRole::Order => "order",
            GuessRole::Category => "category",
            GuessRole::Signal => "signals",
            GuessRole::Dimension => "dimensions",
        }
    }

    fn of(r: Role) -> GuessRole {
        match r {
            Role::Date => GuessRole::Date,
            Role::Customer => GuessRole::Customer,
            Role::Order => GuessRole::Order,
            Role::Amount => GuessRole::Amount,
            Role::Quantity => GuessRole::Quantity,
            Role::UnitPrice => GuessRole::UnitPrice,
            Role::Category => GuessRole::Category,
        }
    }
}

/// How sure a guess is. `low` guesses of the customer, date or amount are repeated as a
/// `weak_guess` warning in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Values alone, with evidence that other files could also show (numbers that read as dates,
    /// ids that do not repeat, the leftmost candidate).
    Low,
    /// A header that contains a known word and values that fit, or values with clear evidence.
    Medium,
    /// A header that is a known name and values that fit, or values that can hardly be anything
    /// else (dates in a date form, amounts that equal quantity × unit price).
    High,
}

/// One column as [`crate::inspect`] reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnGuess {
    /// 0-based position.
    pub index: usize,
    /// Header name, when the file has a header.
    pub name: Option<String>,
    /// Up to 10 distinct non-empty values from the first rows, trimmed (each cut to 100 characters).
    pub samples: Vec<String>,
    /// The role guessed, if any.
    pub role: Option<GuessRole>,
    /// How sure the guess is.
    pub confidence: Option<Confidence>,
    /// Why, in words (a coded message).
    pub reason: Option<Message>,
    /// True when `analyze` maps the column to `role` (for `signal` and `dimension`, which are
    /// otherwise suggestions: when `columns.signals` / `columns.dimensions` names the column).
    pub mapped: bool,
    /// Non-empty values among the rows sampled.
    pub filled: usize,
    /// Distinct non-empty values among the rows sampled.
    pub distinct: usize,
}

/// What the values of one column look like, from the rows sampled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Profile {
    pub(crate) filled: usize,
    pub(crate) distinct: usize,
    pub(crate) date: Option<FormatChoice>,
    /// Values that parse as numbers (either decimal separator).
    pub(crate) numbers: usize,
    /// Numbers written with a decimal separator.
    pub(crate) decimals: usize,
    /// Numbers with a non-zero fractional part.
    pub(crate) fractions: usize,
    /// Every number is whole and each is greater than the one before.
    pub(crate) increasing: bool,
    /// The largest absolute number (millionths).
    pub(crate) max_abs: Money,
    /// Numbers equal to 1 (a count column is mostly ones).
    pub(crate) ones: usize,
    /// Values holding an ASCII digit.
    pub(crate) with_digit: usize,
    /// Values that look like e-mail addresses.
    pub(crate) emails: usize,
    /// Values holding a letter (any script).
    pub(crate) with_letter: usize,
    /// The distinct values when there are at most two of them and they read as yes/no.
    pub(crate) yes_no: Option<Vec<String>>,
    pub(crate) samples: Vec<String>,
}

const YES_NO: [&str; 16] = [
    "0", "1", "true", "false", "yes", "no", "y", "n", "t", "f", "是", "否", "有", "无", "x", "-",
];

fn looks_like_email(v: &str) -> bool {
    let Some((user, domain)) = v.split_once('@') else {
        return false;
    };
    !user.is_empty() && domain.contains('.') && !v.contains(char::is_whitespace)
}

pub(crate) fn profile<'a>(
    values: impl Iterator<Item = &'a str> + Clone,
    order: DateOrder,
) -> Profile {
    let mut p = Profile {
        increasing: true,
        ..Profile::default()
    };
    let mut seen: HashMap<&str, ()> = HashMap::default();
    let mut last: Option<Money> = None;
    for v in values.clone() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        p.filled += 1;
        if seen.insert(v, ()).is_none() && p.samples.len() < 10 {
            p.samples.push(v.chars().take(100).collect());
        }
        if let Some(n) = parse_money(v, false).or_else(|| parse_money(v, true)) {
            p.numbers += 1;
            if v.contains(['.', ',']) {
                p.decimals += 1;
            }
            if n % 1_000_000 != 0 {
                p.fractions += 1;
            }
            p.max_abs = p.max_abs.max(n.abs());
            if n == 1_000_000 {
                p.ones += 1;
            }
            if n % 1_000_000 != 0 || last.is_some_and(|l| n <= l) {
                p.increasing = false;
            }
            last = Some(n);
        } else {
            p.increasing = false;
        }
        if v.bytes().any(|b| b.is_ascii_digit()) {
            p.with_digit += 1;
        }
        if v.chars().any(char::is_alphabetic) {
            p.with_letter += 1;
        }
        if looks_like_email(v) {
            p.emails += 1;
        }
    }
    p.distinct = seen.len();
    if p.numbers == 0 || p.filled < 2 {
        p.increasing = false;
    }
    if (1..=2).contains(&p.distinct) && p.filled >= 2 {
        let keys: Vec<String> = seen.keys().map(|k| k.to_lowercase()).collect();
        if keys.iter().all(|k| YES_NO.contains(&k.as_str())) {
            let mut shown: Vec<String> = seen.keys().map(|k| k.to_string()).collect();
            shown.sort();
            p.yes_no = Some(shown);
        }
    }
    p.date = choose_format(values, order);
    p
}

impl Profile {
    fn rows_per_value(&self) -> f64 {
        self.filled as f64 / self.distinct.max(1) as f64
    }
    fn per_value_text(&self) -> String {
        format!("{:.1}", self.rows_per_value())
    }
    /// Share (0–100) of filled values.
    fn percent(&self, n: usize) -> usize {
        (n * 100) / self.filled.max(1)
    }
    /// Dates in a form that only dates have (not plain numbers) for most values.
    fn textual_dates(&self) -> bool {
        self.date
            .as_ref()
            .is_some_and(|d| !d.format.is_numeric() && d.fits * 10 >= self.filled * 8)
    }
    fn numeric_dates(&self) -> bool {
        self.date
            .as_ref()
            .is_some_and(|d| d.format.is_numeric() && d.fits * 10 >= self.filled * 8)
    }
    /// Most values are numbers.
    fn numeric(&self) -> bool {
        self.filled > 0 && self.numbers * 10 >= self.filled * 9
    }
    /// A number column with decimals: 30 % or more of its numbers are written with a decimal
    /// separator.
    fn decimal_numbers(&self) -> bool {
        self.filled > 0 && self.numbers * 2 >= self.filled && self.decimals * 10 >= self.numbers * 3
    }
    /// Could be an id: mostly filled, not dates in a date form, not decimal numbers.
    fn id_like(&self, rows: usize) -> bool {
        self.filled * 10 >= rows * 9 && !self.textual_dates() && !self.decimal_numbers()
    }
    /// Whether the values fit a role named by the header.
    fn fits(&self, role: Role) -> bool {
        if self.filled == 0 {
            // an empty column in the head: trust the name
            return true;
        }
        match role {
            Role::Date => self
                .date
                .as_ref()
                .is_some_and(|d| d.fits * 2 >= self.filled),
            Role::Customer | Role::Order => !self.textual_dates() && !self.decimal_numbers(),
            Role::Amount | Role::Quantity | Role::UnitPrice => self.numbers * 2 >= self.filled,
            Role::Category => !self.textual_dates(),
        }
    }
}

/// The share (0–100) of rows in which each value of `key` comes with one value of `owner` (ids of
/// `key` belong to one owner each). Rows where either is empty do not count.
fn belongs_share(data: &[Record], key: usize, owner: usize) -> usize {
    let mut first: HashMap<&str, &str> = HashMap::default();
    let (mut rows, mut agree) = (0usize, 0usize);
    for r in data {
        let (Some(k), Some(o)) = (r.fields.get(key), r.fields.get(owner)) else {
            continue;
        };
        let (k, o) = (k.trim(), o.trim());
        if k.is_empty() || o.is_empty() {
            continue;
        }
        rows += 1;
        if *first.entry(k).or_insert(o) == o {
            agree += 1;
        }
    }
    (agree * 100).checked_div(rows).unwrap_or(0)
}

/// The share (0–100) of rows with all three numbers in which `amount` = `qty` × `price` (to a
/// cent, either way round for the sign).
fn product_share(
    data: &[Record],
    amount: usize,
    qty: usize,
    price: usize,
    commas: [bool; 3],
) -> usize {
    let num = |r: &Record, i: usize, c: bool| {
        r.fields
            .get(i)
            .and_then(|v| parse_money(v, c).or_else(|| parse_money(v, !c)))
    };
    let (mut rows, mut agree) = (0usize, 0usize);
    for r in data {
        let (Some(a), Some(q), Some(p)) = (
            num(r, amount, commas[0]),
            num(r, qty, commas[1]),
            num(r, price, commas[2]),
        ) else {
            continue;
        };
        rows += 1;
        // millionths: q × p / 10⁶ compared with a, within half a cent
        let prod = q.saturating_mul(p) / 1_000_000;
        if (prod - a).abs() <= 5_000 || (prod + a).abs() <= 5_000 {
            agree += 1;
        }
    }
    if rows < 3 {
        return 0;
    }
    (agree * 100) / rows
}

/// The most values the guesses look at (rows × columns): a file with thousands of columns is
/// judged on fewer rows, so the guessing time stays bounded whatever the width.
pub const GUESS_CELLS: usize = 1 << 20;
/// The most candidate columns compared with one another (the pairwise checks of ids and of
/// quantity × unit price): the leftmost ones.
pub const MAX_PAIRED: usize = 32;

/// The outcome of guessing: the mapping `analyze` uses and one guess per column.
pub(crate) struct Guesses {
    pub(crate) mapping: Mapping,
    pub(crate) columns: Vec<ColumnGuess>,
    /// Warnings about the mapping (weak guesses, an amount that looks like an id or a count).
    pub(crate) warnings: Vec<Message>,
}

struct Guesser<'a> {
    data: &'a [Record],
    names: Option<&'a [String]>,
    profiles: Vec<Profile>,
    guesses: Vec<Option<(GuessRole, Confidence, Message)>>,
    m: Mapping,
}

impl Guesser<'_> {
    fn label(&self, i: usize) -> String {
        column_label(self.names, i)
    }
    fn taken(&self, i: usize) -> bool {
        self.guesses[i].is_some()
    }
    fn set(&mut self, role: Role, i: usize, conf: Confidence, reason: Message) {
        self.m.set(role, Some(i));
        self.guesses[i] = Some((GuessRole::of(role), conf, reason));
    }
    fn free(&self) -> Vec<usize> {
        (0..self.profiles.len())
            .filter(|&i| !self.taken(i))
            .collect()
    }
}

/// Guesses every column's role. `fixed` holds the roles set in `options.columns` (already in
/// `mapping`), which are kept as they are.
pub(crate) fn guess(
    header: Option<&[String]>,
    data: &[Record],
    width: usize,
    mut mapping: Mapping,
    fixed: &[Role],
    order: DateOrder,
) -> Guesses {
    // bounded work on wide files: at most GUESS_CELLS values in all
    let data = &data[..data
        .len()
        .min(GUESS_CELLS / width.max(1))
        .max(2.min(data.len()))];
    let col = |i: usize| {
        data.iter()
            .map(move |r| r.fields.get(i).map(String::as_str).unwrap_or(""))
    };
    let profiles: Vec<Profile> = (0..width).map(|i| profile(col(i), order)).collect();
    let mut g = Guesser {
        data,
        names: header,
        profiles,
        guesses: vec![None; width],
        m: Mapping::default(),
    };
    // options first
    for role in ROLES {
        if let Some(i) = mapping.get(role) {
            if i < width {
                g.guesses[i] = Some((
                    GuessRole::of(role),
                    Confidence::High,
                    Message::GuessOption {
                        key: GuessRole::of(role).key().to_string(),
                    },
                ));
            }
        }
    }
    for &i in &mapping.signals {
        if i < width && g.guesses[i].is_none() {
            g.guesses[i] = Some((
                GuessRole::Signal,
                Confidence::High,
                Message::GuessOption {
                    key: "signals".into(),
                },
            ));
        }
    }
    for &i in &mapping.dimensions {
        if i < width && g.guesses[i].is_none() {
            g.guesses[i] = Some((
                GuessRole::Dimension,
                Confidence::High,
                Message::GuessOption {
                    key: "dimensions".into(),
                },
            ));
        }
    }
    g.m = mapping.clone();
    let mut overruled: Vec<(usize, Role)> = Vec::new();
    if let Some(h) = header {
        by_name(&mut g, h, fixed, &mut overruled);
    }
    by_values(&mut g, fixed);
    // a name the values overruled, when nothing else took the role: keep the name (the rows will be
    // rejected with their values shown, which says more than "no date column")
    for (i, role) in overruled {
        if g.m.get(role).is_none() && !g.taken(i) {
            let name = header.and_then(|h| h.get(i)).cloned().unwrap_or_default();
            g.set(
                role,
                i,
                Confidence::Low,
                Message::GuessNameOverruled {
                    name,
                    role: Box::new(GuessRole::of(role).name()),
                },
            );
        }
    }
    suggestions(&mut g);
    mapping = g.m.clone();
    let warnings = sanity(&g);
    let columns = (0..width)
        .map(|i| {
            let p = &g.profiles[i];
            let guess = g.guesses[i].clone();
            let mapped = guess.as_ref().is_some_and(|(r, _, _)| {
                (*r != GuessRole::Dimension || mapping.dimensions.contains(&i))
                    && (*r != GuessRole::Signal || mapping.signals.contains(&i))
            });
            ColumnGuess {
                index: i,
                name: header.and_then(|h| h.get(i)).map(|s| s.trim().to_string()),
                samples: p.samples.clone(),
                role: guess.as_ref().map(|x| x.0),
                confidence: guess.as_ref().map(|x| x.1),
                reason: guess.map(|x| x.2),
                mapped,
                filled: p.filled,
                distinct: p.distinct,
            }
        })
        .collect();
    Guesses {
        mapping,
        columns,
        warnings,
    }
}

/// Header names: exact names first (over all roles), then names containing a known word; a name is
/// taken only when the column's values fit the role.
fn by_name(
    g: &mut Guesser<'_>,
    header: &[String],
    fixed: &[Role],
    overruled: &mut Vec<(usize, Role)>,
) {
    let norm: Vec<String> = header.iter().map(|h| normalize_name(h)).collect();
    for exact in [true, false] {
        for role in ROLES {
            if g.m.get(role).is_some() || fixed.contains(&role) {
                continue;
            }
            for (i, n) in norm.iter().enumerate() {
                // a column whose name was overruled takes no other role by name (`order_date` of
                // text is no order id)
                if g.taken(i) || n.is_empty() || overruled.iter().any(|o| o.0 == i) {
                    continue;
                }
                let hit = if exact {
                    role.exact().contains(&n.as_str()).then(|| n.clone())
                } else {
                    role.partial()
                        .iter()
                        .find(|p| n.contains(*p))
                        .map(|p| p.to_string())
                };
                let Some(part) = hit else { continue };
                if !g.profiles[i].fits(role) {
                    overruled.push((i, role));
                    continue;
                }
                let name = header[i].trim().to_string();
                let (conf, reason) = if exact {
                    (Confidence::High, Message::GuessHeaderExact { name })
                } else {
                    (
                        Confidence::Medium,
                        Message::GuessHeaderPartial { name, part },
                    )
                };
                g.set(role, i, conf, reason);
                break;
            }
        }
    }
}

/// The roles no name gave, from the values.
fn by_values(g: &mut Guesser<'_>, fixed: &[Role]) {
    let rows = g.data.len();
    let open = |g: &Guesser<'_>, r: Role| g.m.get(r).is_none() && !fixed.contains(&r);
    // date: a date form beats plain numbers; then the most values parsed; then the leftmost
    if open(g, Role::Date) {
        let best = g
            .free()
            .into_iter()
            .filter(|&i| g.profiles[i].textual_dates() || g.profiles[i].numeric_dates())
            .max_by_key(|&i| {
                let p = &g.profiles[i];
                let fits = p.date.as_ref().map_or(0, |d| d.fits);
                (p.textual_dates(), fits, usize::MAX - i)
            });
        if let Some(i) = best {
            let p = &g.profiles[i];
            if let Some(d) = &p.date {
                let (format, percent) = (d.format.label(), p.percent(d.fits));
                let textual = p.textual_dates();
                let (conf, reason) = if textual {
                    (Confidence::High, Message::GuessDates { format, percent })
                } else {
                    (
                        Confidence::Low,
                        Message::GuessNumericDates { format, percent },
                    )
                };
                g.set(Role::Date, i, conf, reason);
            }
        }
    }
    // amount first among the numbers, so that a decimal amount is never taken as an id
    if open(g, Role::Amount) && g.m.quantity.is_none() {
        amount_by_values(g, fixed);
    }
    // customer and order: id columns
    let ids: Vec<usize> = g
        .free()
        .into_iter()
        .filter(|&i| g.profiles[i].id_like(rows) && g.profiles[i].yes_no.is_none())
        .take(MAX_PAIRED)
        .collect();
    if open(g, Role::Customer) {
        customer_by_values(g, &ids, rows);
    }
    // whole-number amounts, once the ids are placed: the rightmost number column that is not a
    // running number (weak: it could be a count)
    // (headerless files only: a header that names no amount is more likely a usage log)
    if open(g, Role::Amount) && g.m.quantity.is_none() && g.names.is_none() {
        let pick = g.free().into_iter().rev().find(|&i| {
            let p = &g.profiles[i];
            p.numeric()
                && !p.increasing
                && p.distinct >= 2
                && p.yes_no.is_none()
                && !p.textual_dates()
                && !(g.names.is_none() && p.numeric_dates())
        });
        if let Some(i) = pick {
            g.set(Role::Amount, i, Confidence::Low, Message::GuessWholeNumbers);
        }
    }
    if open(g, Role::Order) {
        if let Some(c) = g.m.customer {
            let cd = g.profiles[c].distinct;
            let best = ids
                .iter()
                .copied()
                .filter(|&i| {
                    !g.taken(i)
                        && g.profiles[i].distinct > cd
                        && g.profiles[i].with_digit * 10 >= g.profiles[i].filled * 8
                })
                .filter(|&i| belongs_share(g.data, i, c) >= 98)
                .max_by_key(|&i| (g.profiles[i].rows_per_value() > 1.0, usize::MAX - i));
            if let Some(i) = best {
                let p = &g.profiles[i];
                let reason = Message::GuessBelongs {
                    per_value: p.per_value_text(),
                    column: g.label(c),
                };
                let conf = if p.rows_per_value() > 1.05 {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
                g.set(Role::Order, i, conf, reason);
            }
        }
    }
}

fn amount_by_values(g: &mut Guesser<'_>, fixed: &[Role]) {
    let dec: Vec<usize> = g
        .free()
        .into_iter()
        .filter(|&i| g.profiles[i].decimal_numbers() && !g.profiles[i].textual_dates())
        .take(MAX_PAIRED)
        .collect();
    // amount = quantity × unit price: the strongest evidence there is
    let whole: Vec<usize> = g
        .free()
        .into_iter()
        .filter(|&i| {
            let p = &g.profiles[i];
            p.numeric() && !p.increasing && !p.textual_dates()
        })
        .take(MAX_PAIRED)
        .collect();
    for &a in &dec {
        for &q in &whole {
            for &p in &dec {
                if a == q || a == p || q == p {
                    continue;
                }
                let share = product_share(g.data, a, q, p, [false; 3]);
                if share >= 90 && g.profiles[a].max_abs > 0 {
                    let (ql, pl) = (g.label(q), g.label(p));
                    g.set(
                        Role::Amount,
                        a,
                        Confidence::High,
                        Message::GuessProduct {
                            quantity: ql,
                            price: pl,
                            percent: share,
                        },
                    );
                    let al = g.label(a);
                    if !fixed.contains(&Role::Quantity) && g.m.quantity.is_none() {
                        g.set(
                            Role::Quantity,
                            q,
                            Confidence::Medium,
                            Message::GuessFactor {
                                amount: al.clone(),
                                percent: share,
                            },
                        );
                    }
                    if !fixed.contains(&Role::UnitPrice) && g.m.unit_price.is_none() {
                        g.set(
                            Role::UnitPrice,
                            p,
                            Confidence::Medium,
                            Message::GuessFactor {
                                amount: al,
                                percent: share,
                            },
                        );
                    }
                    return;
                }
            }
        }
    }
    // the rightmost number column with decimals
    if let Some(&i) = dec.last() {
        let percent = g.profiles[i].percent(g.profiles[i].decimals);
        // medium when it is the only one in a headerless file; with a header whose names say
        // nothing of money it may be a duration or a rate: low (a warning says so)
        let conf = if dec.len() == 1 && g.names.is_none() {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        g.set(Role::Amount, i, conf, Message::GuessDecimals { percent });
    }
}

fn customer_by_values(g: &mut Guesser<'_>, ids: &[usize], rows: usize) {
    let ids: Vec<usize> = ids.iter().copied().filter(|&i| !g.taken(i)).collect();
    if ids.is_empty() {
        return;
    }
    // e-mail addresses are customers
    if let Some(&i) = ids
        .iter()
        .find(|&&i| g.profiles[i].emails * 10 >= g.profiles[i].filled * 8)
    {
        let p = &g.profiles[i];
        let conf = if p.rows_per_value() > 1.05 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let reason = Message::GuessEmails {
            per_value: p.per_value_text(),
        };
        g.set(Role::Customer, i, conf, reason);
        return;
    }
    // ids (mostly holding a digit) that repeat, and are not a handful of codes
    let repeats = |p: &Profile| p.filled >= 4 && p.rows_per_value() >= 1.1 && p.distinct >= 2;
    let idish = |p: &Profile| p.with_digit * 10 >= p.filled * 8 || p.with_letter * 10 < p.filled;
    let repeating: Vec<usize> = ids
        .iter()
        .copied()
        .filter(|&i| repeats(&g.profiles[i]) && !g.profiles[i].numeric_dates())
        .collect();
    // one that another id column's values each belong to (orders → customers): the finest such
    let mut owned: Option<(usize, usize)> = None; // (customer, owner column)
    for &c in &repeating {
        for &o in &ids {
            if o != c
                && g.profiles[o].distinct > g.profiles[c].distinct
                && g.profiles[o].rows_per_value() > 1.05
                && belongs_share(g.data, o, c) >= 98
                && owned.is_none_or(|(b, _)| g.profiles[c].distinct > g.profiles[b].distinct)
            {
                owned = Some((c, o));
            }
        }
    }
    if let Some((c, o)) = owned {
        let reason = Message::GuessOwner {
            per_value: g.profiles[c].per_value_text(),
            column: g.label(o),
        };
        g.set(Role::Customer, c, Confidence::Medium, reason);
        return;
    }
    // else: the repeating id column with the most distinct values (a customer has fewer rows than a
    // product code has buyers only rarely); ties: the leftmost
    // (ids holding digits before names and codes)
    if let Some(&c) = repeating.iter().max_by_key(|&&i| {
        (
            idish(&g.profiles[i]),
            g.profiles[i].distinct,
            usize::MAX - i,
        )
    }) {
        let reason = Message::GuessRepeats {
            per_value: g.profiles[c].per_value_text(),
        };
        // clear when it is the only one, or has at least twice the distinct values of the next
        let runner_up = repeating
            .iter()
            // (a second id of the same customers, one to one, is no rival)
            .filter(|&&i| {
                i != c && (belongs_share(g.data, i, c) < 98 || belongs_share(g.data, c, i) < 98)
            })
            .map(|&i| g.profiles[i].distinct)
            .max()
            .unwrap_or(0);
        let conf = if g.profiles[c].distinct >= 2 * runner_up {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        g.set(Role::Customer, c, conf, reason);
        return;
    }
    // nothing repeats: the leftmost id column that is not a running number, weakly
    let pick = ids
        .iter()
        .copied()
        .find(|&i| !g.profiles[i].increasing && g.profiles[i].filled * 10 >= rows * 9)
        .or_else(|| ids.first().copied());
    if let Some(c) = pick {
        let p = &g.profiles[c];
        let reason = if p.distinct < p.filled {
            Message::GuessRepeats {
                per_value: p.per_value_text(),
            }
        } else {
            Message::GuessUnique
        };
        g.set(Role::Customer, c, Confidence::Low, reason);
    }
}

/// Signals and dimensions, for the page to offer (never mapped by `analyze`).
fn suggestions(g: &mut Guesser<'_>) {
    for i in g.free() {
        let p = &g.profiles[i];
        if let Some(values) = &p.yes_no {
            let values = values.join(" / ");
            g.guesses[i] = Some((
                GuessRole::Signal,
                Confidence::Low,
                Message::GuessBooleans { values },
            ));
        } else if p.filled > 0
            && p.with_letter * 10 >= p.filled * 8
            && (2..=50).contains(&p.distinct)
            && p.rows_per_value() >= 2.0
        {
            let distinct = p.distinct;
            g.guesses[i] = Some((
                GuessRole::Dimension,
                Confidence::Medium,
                Message::GuessFewValues { distinct },
            ));
        }
    }
}

/// Warnings about the mapping: weak guesses of the roles the results hang on, and an amount column
/// that looks like an id or a count.
fn sanity(g: &Guesser<'_>) -> Vec<Message> {
    let mut w = Vec::new();
    for (role, col) in [
        (Role::Customer, g.m.customer),
        (Role::Date, g.m.date),
        (Role::Amount, g.m.amount),
    ] {
        let Some(i) = col else { continue };
        if let Some((r, Confidence::Low, reason)) = &g.guesses[i] {
            w.push(Message::WeakGuess {
                column: g.label(i),
                role: Box::new(r.name()),
                reason: Box::new(reason.clone()),
                key: GuessRole::of(role).key().to_string(),
            });
        }
    }
    if let Some(a) = g.m.amount {
        let p = &g.profiles[a];
        if p.filled >= 10 && p.numeric() && p.fractions == 0 && p.decimals == 0 {
            if p.increasing && p.distinct == p.filled {
                w.push(Message::AmountLooksLikeId { column: g.label(a) });
            } else if p.max_abs <= 10 * 1_000_000 && p.max_abs > 0 && p.ones * 10 >= p.filled * 4 {
                w.push(Message::AmountLooksLikeCount {
                    column: g.label(a),
                    max: (p.max_abs / 1_000_000).to_string(),
                });
            }
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recs(rows: &[&str]) -> Vec<Record> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| Record {
                line: i as u32 + 1,
                fields: r.split(',').map(str::to_string).collect(),
            })
            .collect()
    }

    fn run(header: Option<&[&str]>, rows: &[&str]) -> Guesses {
        let h: Option<Vec<String>> = header.map(|h| h.iter().map(|s| s.to_string()).collect());
        let data = recs(rows);
        let width = data.iter().map(|r| r.fields.len()).max().unwrap_or(0);
        guess(
            h.as_deref(),
            &data,
            width,
            Mapping::default(),
            &[],
            DateOrder::Auto,
        )
    }

    #[test]
    fn headerless_orders_are_not_customers() {
        // order id, customer, date, amount: orders unique, customers repeat
        let rows: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "{},C{:03},2024-01-{:02},{}.50",
                    1000 + i,
                    i % 8,
                    1 + i % 28,
                    10 + i
                )
            })
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(None, &rows);
        assert_eq!(g.mapping.customer, Some(1));
        assert_eq!(g.mapping.date, Some(2));
        assert_eq!(g.mapping.amount, Some(3));
    }

    #[test]
    fn owner_of_order_lines_is_the_customer() {
        // order lines: invoice (3 lines each), product code, customer; each invoice one customer
        let mut rows = Vec::new();
        for inv in 0..30 {
            for line in 0..3 {
                rows.push(format!(
                    "INV{inv:04},P{:02},2024-02-01,{}.25,K{:02}",
                    (inv * 7 + line) % 40,
                    line + 1,
                    inv % 9
                ));
            }
        }
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(None, &rows);
        assert_eq!(g.mapping.customer, Some(4), "{:?}", g.columns);
        assert_eq!(g.mapping.order, Some(0));
        assert_eq!(g.columns[4].confidence, Some(Confidence::Medium));
    }

    #[test]
    fn unknown_names_fall_back_to_values() {
        let rows: Vec<String> = (0..20)
            .map(|i| format!("{:02}.01.2023,kunde{},{}.99", 1 + i % 28, i % 5, i))
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(Some(&["Buchung", "Wer", "Geld"]), &rows);
        assert_eq!(g.mapping.date, Some(0));
        assert_eq!(g.mapping.customer, Some(1));
        assert_eq!(g.mapping.amount, Some(2));
        assert!(matches!(
            g.columns[0].reason,
            Some(Message::GuessDates { percent: 100, .. })
        ));
    }

    #[test]
    fn a_name_whose_values_do_not_fit_is_overruled() {
        // "date" holds text; the real dates are in "when"
        let rows: Vec<String> = (0..10)
            .map(|i| format!("c{},n/a,2024-03-{:02},5.5", i % 3, i + 1))
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(Some(&["customer", "date", "when", "amount"]), &rows);
        assert_eq!(g.mapping.date, Some(2));
    }

    #[test]
    fn product_of_quantity_and_price() {
        let rows: Vec<String> = (0..12)
            .map(|i| {
                let q = 1 + i % 4;
                let p = 2.5 + i as f64;
                format!("c{},2024-01-01,{q},{p:.2},{:.2}", i % 3, q as f64 * p)
            })
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(None, &rows);
        assert_eq!(g.mapping.amount, Some(4));
        assert_eq!(g.mapping.quantity, Some(2));
        assert_eq!(g.mapping.unit_price, Some(3));
    }

    #[test]
    fn amount_that_counts_is_called_out() {
        let rows: Vec<String> = (0..12)
            .map(|i| format!("c{},2024-01-01,{}", i % 3, [1, 1, 2][i % 3]))
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(Some(&["customer", "date", "amount"]), &rows);
        assert!(g
            .warnings
            .iter()
            .any(|w| matches!(w, Message::AmountLooksLikeCount { .. })));
    }

    #[test]
    fn suggestions_are_not_mapped() {
        let rows: Vec<String> = (0..12)
            .map(|i| {
                format!(
                    "c{},2024-01-01,{}.5,{},{}",
                    i % 3,
                    i,
                    if i % 2 == 0 { "yes" } else { "no" },
                    ["DE", "FR", "CN"][i % 3]
                )
            })
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let g = run(
            Some(&["customer", "date", "amount", "complained", "land"]),
            &rows,
        );
        assert_eq!(g.columns[3].role, Some(GuessRole::Signal));
        assert_eq!(g.columns[4].role, Some(GuessRole::Dimension));
        assert!(!g.columns[3].mapped && !g.columns[4].mapped);
        assert!(g.mapping.signals.is_empty());
    }
}
