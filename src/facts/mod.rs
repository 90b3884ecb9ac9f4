//! Per-customer facts as of the analysis date (`docs/facts.md`).
//!
//! Day counts are differences of calendar dates. Under the default `net` returns policy, dates,
//! recency, frequency, purchase days, gaps and window counts use orders (non-return rows) only, and
//! returns only lower monetary by their absolute value.

use crate::calendar::month_index;
use crate::error::{Result, TierwiseError};
pub use crate::ingest::intern::IdTable;
use crate::ingest::money::Money;
use crate::ingest::Excluded;
use crate::labels::{Abc, Action, Activity, Cn8, Flags, Rfm11, Risk, Stage};
use crate::messages::Message;
use crate::options::{FrequencyUnit, Options, Returns};

pub mod dims;
pub(crate) mod group;

/// Months of cohorts kept (ten years): customers whose first purchase is in the analysis month or
/// the 119 months before it. Bounds the cohort table whatever the dates (a first order in year 1
/// would otherwise make a row of 24,000 months).
pub const COHORT_MONTHS: i32 = 120;

/// "Not computed" for the one-byte label slots of [`CustomerFacts`].
pub const NONE: u8 = u8::MAX;
/// `median_gap2` of a customer with fewer than two purchase days.
pub const NO_GAP: u32 = u32::MAX;
/// `declining` bit: orders fell by the decline ratio.
pub const DECLINING_ORDERS: u8 = 1;
/// `declining` bit: net spend fell by the decline ratio.
pub const DECLINING_SPEND: u8 = 2;

/// One analysed customer: the facts as of the analysis date and, filled in by the report step,
/// scores, segments, grades, flags and stage as one-byte indexes (rendered to text only on output).
/// Compact on purpose: there is one per customer, millions in a large file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerFacts {
    /// Net spend in millionths.
    pub monetary: Money,
    /// Spend of the order rows on purchase days after the first (the repeat purchases whose mean
    /// the Gamma-Gamma model uses), in millionths.
    pub repeat_spend: Money,
    /// Index of the customer id in [`Facts::ids`].
    pub id: u32,
    /// Day number of the first order.
    pub first_day: i32,
    /// Day number of the last order.
    pub last_day: i32,
    /// Days from the last order to the analysis date (0 = bought that day).
    pub recency: i32,
    /// Days from the first order to the analysis date.
    pub tenure: i32,
    /// Frequency in the chosen unit.
    pub frequency: u32,
    /// Distinct purchase days.
    pub purchase_days: u32,
    /// Twice the median gap in days between consecutive purchase days ([`NO_GAP`] with fewer than
    /// two purchase days); doubled so the mean of two middle gaps stays an integer.
    pub median_gap2: u32,
    /// Days between the last two purchase days (−1 with one purchase day).
    pub gap_before_last: i32,
    /// Frequency units in the recent `churn.windowDays` window (ages 0 … W−1).
    pub recent_orders: u32,
    /// Frequency units in the previous window (ages W … 2W−1).
    pub previous_orders: u32,
    /// [`DECLINING_ORDERS`] / [`DECLINING_SPEND`] bits.
    pub declining: u8,
    /// Activity class.
    pub activity: Activity,
    /// Absolute grade (index into `grades.absolute`, or [`NONE`]).
    pub absolute: u8,
    /// Recency score (0 = not computed).
    pub r_score: u8,
    /// Frequency score.
    pub f_score: u8,
    /// Monetary score (0 without an amount).
    pub m_score: u8,
    /// `cn8` class (`None` when not computed).
    pub cn8: Option<Cn8>,
    /// `rfm11` segment (`None` when not computed).
    pub rfm11: Option<Rfm11>,
    /// Custom segment: index of the first matching rule of `segments.rules`, the number of rules
    /// for `Others`, or [`NONE`] without rules.
    pub custom: u8,
    /// 1 when a mapped signal column was true within the churn window (`signal` flag).
    pub signal: u8,
    /// ABC grade (`None` without an amount).
    pub abc: Option<Abc>,
    /// Ladder grade (index into `grades.ladder`, or [`NONE`]).
    pub ladder: u8,
    /// Lifecycle stage.
    pub lifecycle: Stage,
    /// Churn flags.
    pub flags: Flags,
    /// Churn risk.
    pub risk: Risk,
    /// Recommended action.
    pub action: Action,
    /// With a holdout check (`model.holdout`): purchase days up to the cut (0 when the first
    /// purchase is later, or without a check).
    pub cal_days: u32,
    /// With a holdout check: the last purchase day up to the cut (a day number).
    pub cal_last: i32,
}

impl Default for CustomerFacts {
    fn default() -> Self {
        CustomerFacts {
            monetary: 0,
            repeat_spend: 0,
            id: 0,
            first_day: 0,
            last_day: 0,
            recency: 0,
            tenure: 0,
            frequency: 0,
            purchase_days: 0,
            median_gap2: NO_GAP,
            gap_before_last: -1,
            recent_orders: 0,
            previous_orders: 0,
            declining: 0,
            activity: Activity::High,
            absolute: NONE,
            r_score: 0,
            f_score: 0,
            m_score: 0,
            cn8: None,
            rfm11: None,
            custom: NONE,
            signal: 0,
            abc: None,
            ladder: NONE,
            lifecycle: Stage::New,
            flags: Flags::NONE,
            risk: Risk::High,
            action: Action::default(),
            cal_days: 0,
            cal_last: 0,
        }
    }
}

impl CustomerFacts {
    /// Median gap in days between consecutive purchase days (`None` with fewer than two days).
    pub fn median_gap(&self) -> Option<f64> {
        (self.median_gap2 != NO_GAP).then(|| self.median_gap2 as f64 / 2.0)
    }
    /// Days between the last two purchase days (`None` with one purchase day).
    pub fn gap_before_last(&self) -> Option<i32> {
        (self.gap_before_last >= 0).then_some(self.gap_before_last)
    }
}

/// All customers' facts, sorted by customer id (UTF-8 byte order).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Analysed customers.
    pub customers: Vec<CustomerFacts>,
    /// Customer ids (`CustomerFacts::id` indexes this).
    pub ids: IdTable,
    /// Analysis date as a day number.
    pub analysis_day: i32,
    /// Rows contributing to some analysed customer.
    pub used: u64,
    /// Valid rows left out.
    pub excluded: Excluded,
    /// Counts for the retention KPI (`docs/kpis.md`).
    pub period: PeriodCounts,
    /// Monthly cohorts: month of first purchase (months since year 0) → customers, and customers with
    /// an order in each month since (index 0 = the first month).
    pub cohorts: std::collections::BTreeMap<i32, (u64, Vec<u64>)>,
    /// Customers whose first purchase is [`COHORT_MONTHS`] or more months before the analysis
    /// month: counted here, not in a cohort.
    pub cohorts_omitted: u64,
    /// Per calendar month: revenue, orders, active and new customers (`docs/kpis.md#months`).
    pub monthly: MonthlyCounts,
    /// The mapped dimension columns' values per customer (`columns.dimensions`).
    pub dimensions: Vec<dims::DimensionColumn>,
    /// With a holdout check (`model.holdout`): what happened after the cut.
    pub holdout: Option<HoldoutActual>,
}

/// What the customers of the calibration period did in the holdout period (`docs/models.md#holdout`):
/// their purchase days after the cut, per period of the model's time unit.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldoutActual {
    /// The last day of the calibration period (day number).
    pub cut: i32,
    /// Days per period (7 for weeks, 1 for days).
    pub period_days: i32,
    /// Purchase days in each holdout period of the customers whose first purchase is up to the
    /// cut (period k holds the days cut + k·period_days + 1 … cut + (k+1)·period_days). Empty when
    /// the cut is not before the analysis date, or when the holdout is longer than
    /// [`crate::options::MAX_HOLDOUT_PERIODS`] periods (`too_long`).
    pub periods: Vec<u64>,
    /// The holdout spans more than [`crate::options::MAX_HOLDOUT_PERIODS`] periods (not counted).
    pub too_long: bool,
}

impl HoldoutActual {
    /// The holdout of `opts` for `analysis_day`, with empty counts (`None` without a check).
    fn new(opts: &Options, analysis_day: i32) -> Option<HoldoutActual> {
        let cut = opts.holdout_cut(analysis_day)?;
        let period_days = match opts.model.time_unit {
            crate::options::TimeUnit::Day => 1,
            crate::options::TimeUnit::Week => 7,
        };
        let span = i64::from(analysis_day) - i64::from(cut);
        // whole and partial periods; more than the bound are not counted (memory stays bounded
        // whatever the dates, and the check says why it did not run)
        let n = if span > 0 {
            (span + period_days - 1) / period_days
        } else {
            0
        };
        let too_long = n > i64::from(crate::options::MAX_HOLDOUT_PERIODS);
        Some(HoldoutActual {
            cut,
            period_days: period_days as i32,
            periods: vec![0; if too_long { 0 } else { n as usize }],
            too_long,
        })
    }

    /// Counts a customer's sorted distinct purchase `days` (those after the cut, when the first is
    /// up to it) and returns how many are up to the cut and the last of them.
    fn count(&mut self, days: &[i64]) -> (u32, i32) {
        let cut = i64::from(self.cut);
        let n = days.partition_point(|&d| d <= cut);
        if n == 0 {
            return (0, 0);
        }
        for &d in &days[n..] {
            let k = ((d - cut - 1) / i64::from(self.period_days)) as usize;
            if let Some(slot) = self.periods.get_mut(k) {
                *slot += 1;
            }
        }
        (n as u32, days[n - 1] as i32)
    }

    /// Adds another run's counts (same cut and periods).
    fn add(&mut self, o: &HoldoutActual) {
        for (a, b) in self.periods.iter_mut().zip(&o.periods) {
            *a += b;
        }
    }
}

/// The monthly series behind `kpis.monthly` (`docs/kpis.md#months`): one slot per calendar month of
/// the last [`COHORT_MONTHS`] months up to the analysis month (slot `COHORT_MONTHS − 1` is the
/// analysis month); what lies before them is only counted in `earliest_month`.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyCounts {
    /// Months since year 0 of slot 0.
    pub first_slot_month: i32,
    /// Day number of the first day of each slot's month, plus the first day after the last slot.
    bounds: Vec<i32>,
    /// Net revenue per slot in millionths (rows counted as in the monetary total).
    pub revenue: Vec<Money>,
    /// Frequency units per slot (each unit in the month of its earliest row).
    pub orders: Vec<u64>,
    /// Customers with an order in the slot's month.
    pub active: Vec<u64>,
    /// Customers whose first order is in the slot's month.
    pub new: Vec<u64>,
    /// Months since year 0 of the earliest month with a counted row (`None` before any row).
    pub earliest_month: Option<i32>,
}

impl MonthlyCounts {
    /// Empty slots for the [`COHORT_MONTHS`] months ending with the analysis day's month.
    pub fn new(analysis_day: i32) -> MonthlyCounts {
        let last = month_index(analysis_day);
        let first = last - (COHORT_MONTHS - 1);
        let n = COHORT_MONTHS as usize;
        let bounds = (0..=COHORT_MONTHS)
            .map(|k| {
                let m = first + k;
                crate::calendar::day_number(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
                    .unwrap_or(if k == 0 { i32::MIN } else { i32::MAX })
            })
            .collect();
        MonthlyCounts {
            first_slot_month: first,
            bounds,
            revenue: vec![0; n],
            orders: vec![0; n],
            active: vec![0; n],
            new: vec![0; n],
            earliest_month: None,
        }
    }

    /// The slot of day `day`: `None` before the first slot's month (or after the analysis month).
    pub fn slot(&self, day: i32) -> Option<usize> {
        if day < self.bounds[0] || day >= self.bounds[self.bounds.len() - 1] {
            return None;
        }
        // the last bound ≤ day
        Some(self.bounds.partition_point(|&b| b <= day) - 1)
    }

    /// Adds another run's counts over the same months (see `compute_grouped_on`).
    fn add(&mut self, o: &MonthlyCounts) {
        let sum = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        sum(&mut self.orders, &o.orders);
        sum(&mut self.active, &o.active);
        sum(&mut self.new, &o.new);
        for (x, y) in self.revenue.iter_mut().zip(&o.revenue) {
            *x += y;
        }
        if let Some(m) = o.earliest_month {
            self.earliest_month = Some(self.earliest_month.map_or(m, |e| e.min(m)));
        }
    }

    /// Notes that a counted row lies on `day` (for the months omitted before the first slot).
    fn see(&mut self, day: i32) {
        let m = month_index(day);
        if self.earliest_month.is_none_or(|e| m < e) {
            self.earliest_month = Some(m);
        }
    }
}

/// The counts behind retention for the period (t0, t1] (`docs/kpis.md`): t1 is the analysis date and t0 is
/// `kpis.activeDays` earlier, so the period is one activity window long (a year by default).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeriodCounts {
    /// t0 as a day number.
    pub start_day: i32,
    /// S: customers active at t0 (an order in the window ending on t0).
    pub active_at_start: u64,
    /// E: customers active at t1.
    pub active_at_end: u64,
    /// N: customers whose first purchase falls in the period.
    pub new: u64,
}

impl Facts {
    /// The id of customer `c` as text.
    pub fn id_of(&self, c: &CustomerFacts) -> std::borrow::Cow<'_, str> {
        self.ids.text(c.id)
    }
}

/// One valid row of a customer, as the facts need it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Row {
    /// Day number.
    pub day: i32,
    /// Order key: equal keys are the same order.
    pub order: u64,
    /// Signed amount in millionths.
    pub amount: Money,
    /// A return or cancellation.
    pub is_return: bool,
    /// Input rows this row stands for (consecutive lines of one order are merged; 1 otherwise).
    pub rows: u32,
    /// A mapped signal column is true on this row.
    pub signal: bool,
}

/// Frequency units of one customer overall and in the churn and activity windows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct WindowCounts {
    all: u64,
    recent: u64,
    previous: u64,
    activity: u64,
}

/// Counts frequency units (orders: distinct order keys; days: distinct days; rows) overall and in
/// the recent (ages 0 … W−1), previous (W … 2W−1) and activity (0 … A−1) windows, with one sort.
/// A unit counts in a window when any of its rows falls in it.
fn count_windows(
    rows: &mut [Row],
    unit: FrequencyUnit,
    analysis_day: i32,
    w: i32,
    aw: i32,
    monthly: &mut MonthlyCounts,
) -> WindowCounts {
    let mut c = WindowCounts::default();
    let flags = |day: i32| -> u8 {
        let age = analysis_day - day;
        u8::from(age < w) | (u8::from(age >= w && age < 2 * w) << 1) | (u8::from(age < aw) << 2)
    };
    let mut add = |f: u8| {
        c.all += 1;
        c.recent += u64::from(f & 1 != 0);
        c.previous += u64::from(f & 2 != 0);
        c.activity += u64::from(f & 4 != 0);
    };
    let key = |r: &Row| match unit {
        FrequencyUnit::Days => r.day as i64 as u64,
        _ => r.order,
    };
    if unit == FrequencyUnit::Rows {
        for r in rows.iter() {
            for _ in 0..r.rows {
                add(flags(r.day));
            }
            if let Some(k) = monthly.slot(r.day) {
                monthly.orders[k] += u64::from(r.rows);
            }
        }
        return c;
    }
    rows.sort_unstable_by_key(key);
    let mut i = 0;
    while i < rows.len() {
        let k = key(&rows[i]);
        let mut f = 0;
        let mut earliest = rows[i].day;
        while i < rows.len() && key(&rows[i]) == k {
            f |= flags(rows[i].day);
            earliest = earliest.min(rows[i].day);
            i += 1;
        }
        add(f);
        // a unit counts in the month of its earliest row
        if let Some(slot) = monthly.slot(earliest) {
            monthly.orders[slot] += 1;
        }
    }
    c
}

/// The activity class for `events` frequency units in the `activity.windowDays` window: events
/// per week ≥ `high` → high, ≥ `low` → low, else idle.
pub fn activity_class(events: u64, a: &crate::options::ActivityOptions) -> Activity {
    // events / (days / 7) ≥ t  ⇔  7 · events ≥ t · days
    let lhs = 7.0 * events as f64;
    let days = a.window_days as f64;
    if lhs >= a.high * days {
        Activity::High
    } else if lhs >= a.low * days {
        Activity::Low
    } else {
        Activity::Idle
    }
}

/// Median of sorted values (mean of the two middle ones for an even count).
pub fn median_sorted(v: &[i64]) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

/// Computes every customer's facts: `rows_of(c, buf)` fills `buf` with customer `c`'s rows and its
/// id is `ids.bytes(c)`. Rows after the analysis date and returns
/// dropped by the policy are counted as excluded. Fails only when no customer has an order up to the
/// analysis date. The customers come in `ids` order; [`Facts::sort_by_id`] puts them in id order
/// (done separately so that a caller can first free the rows it read from).
pub fn compute_grouped(
    ids: IdTable,
    rows_of: &mut dyn FnMut(usize, &mut Vec<Row>),
    analysis_day: i32,
    opts: &Options,
) -> Result<Facts> {
    let t = tally(0..ids.len(), rows_of, analysis_day, opts);
    t.into_facts(ids, analysis_day)
}

/// [`compute_grouped`] on up to `threads` threads, each taking a contiguous run of customers; the
/// runs' tallies are merged in customer order, so the result is the same for any `threads`
/// (`docs/speed.md#final-step`). On wasm (no threads) it runs on the caller's thread.
pub(crate) fn compute_grouped_on(
    ids: IdTable,
    rows_of: &(dyn Fn(usize, &mut Vec<Row>) + Sync),
    analysis_day: i32,
    opts: &Options,
    threads: usize,
) -> Result<Facts> {
    let n = ids.len();
    // a run per thread, but not below this many customers (thread start-up would outweigh it)
    const MIN_RUN: usize = 16_384;
    let runs = threads.clamp(1, 256).min(n / MIN_RUN).max(1);
    if runs == 1 || cfg!(target_arch = "wasm32") {
        return compute_grouped(ids, &mut |c, buf| rows_of(c, buf), analysis_day, opts);
    }
    let bounds: Vec<usize> = (0..=runs).map(|k| n * k / runs).collect();
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = bounds
            .windows(2)
            .skip(1)
            .map(|b| {
                let range = b[0]..b[1];
                s.spawn(move || tally(range, &mut |c, buf| rows_of(c, buf), analysis_day, opts))
            })
            .collect();
        // the first run on this thread while the others work
        let mut all = vec![tally(
            bounds[0]..bounds[1],
            &mut |c, buf| rows_of(c, buf),
            analysis_day,
            opts,
        )];
        // (a run cannot panic on user data; a panic here is a bug, passed on as such)
        all.extend(handles.into_iter().map(|h| match h.join() {
            Ok(t) => t,
            Err(p) => std::panic::resume_unwind(p),
        }));
        all
    });
    let mut it = tallies.into_iter();
    let mut total = it
        .next()
        .unwrap_or_else(|| Tally::new(analysis_day, opts, 0));
    for t in it {
        total.merge(t);
    }
    total.into_facts(ids, analysis_day)
}

/// What the facts step gathers over a run of customers: their facts in order, and the file-wide
/// counts they add to (merged in customer order by [`Tally::merge`]).
struct Tally {
    customers: Vec<CustomerFacts>,
    excluded: Excluded,
    used: u64,
    period: PeriodCounts,
    cohorts: std::collections::BTreeMap<i32, (u64, Vec<u64>)>,
    cohorts_omitted: u64,
    monthly: MonthlyCounts,
    holdout: Option<HoldoutActual>,
}

impl Tally {
    fn new(analysis_day: i32, opts: &Options, capacity: usize) -> Tally {
        Tally {
            customers: Vec::with_capacity(capacity),
            excluded: Excluded::default(),
            used: 0,
            period: PeriodCounts {
                start_day: analysis_day - opts.kpis.active_days as i32,
                ..PeriodCounts::default()
            },
            cohorts: Default::default(),
            cohorts_omitted: 0,
            monthly: MonthlyCounts::new(analysis_day),
            holdout: HoldoutActual::new(opts, analysis_day),
        }
    }

    /// Adds a later run's tally (its customers come after this one's).
    fn merge(&mut self, o: Tally) {
        self.customers.extend(o.customers);
        self.excluded.after_analysis_date += o.excluded.after_analysis_date;
        self.excluded.ignored_returns += o.excluded.ignored_returns;
        self.excluded.returns_without_purchase += o.excluded.returns_without_purchase;
        self.excluded.filtered_out += o.excluded.filtered_out;
        self.used += o.used;
        self.period.active_at_start += o.period.active_at_start;
        self.period.active_at_end += o.period.active_at_end;
        self.period.new += o.period.new;
        for (month, (count, offsets)) in o.cohorts {
            let c = self.cohorts.entry(month).or_default();
            c.0 += count;
            if c.1.len() < offsets.len() {
                c.1.resize(offsets.len(), 0);
            }
            for (a, b) in c.1.iter_mut().zip(offsets) {
                *a += b;
            }
        }
        self.cohorts_omitted += o.cohorts_omitted;
        self.monthly.add(&o.monthly);
        if let (Some(a), Some(b)) = (&mut self.holdout, &o.holdout) {
            a.add(b);
        }
    }

    fn into_facts(self, ids: IdTable, analysis_day: i32) -> Result<Facts> {
        if self.customers.is_empty() {
            return Err(TierwiseError::NothingUsable(Message::NoOrderUpToDate {
                date: crate::calendar::format_day(analysis_day),
                after: self.excluded.after_analysis_date,
                returns: self.excluded.returns_without_purchase + self.excluded.ignored_returns,
            }));
        }
        Ok(Facts {
            customers: self.customers,
            ids,
            analysis_day,
            used: self.used,
            excluded: self.excluded,
            period: self.period,
            cohorts: self.cohorts,
            cohorts_omitted: self.cohorts_omitted,
            monthly: self.monthly,
            dimensions: Vec::new(),
            holdout: self.holdout,
        })
    }
}

/// The facts of customers `range` (see [`compute_grouped`]).
fn tally(
    range: std::ops::Range<usize>,
    rows_of: &mut dyn FnMut(usize, &mut Vec<Row>),
    analysis_day: i32,
    opts: &Options,
) -> Tally {
    let Tally {
        mut customers,
        mut excluded,
        mut used,
        mut period,
        mut cohorts,
        mut cohorts_omitted,
        mut monthly,
        mut holdout,
    } = Tally::new(analysis_day, opts, range.len());
    // no order column: every row is an order of its own (its key is unique), so `orders` = rows
    let unit = opts.frequency;
    let w = opts.churn.window_days as i32;
    let aw = opts.activity.window_days as i32;
    let gw = opts.grades.window_days as i32;
    let keep_all = opts.returns == Returns::Keep;
    let mut orders: Vec<Row> = Vec::new();
    let mut days: Vec<i64> = Vec::new();
    let mut gaps: Vec<i64> = Vec::new();
    let mut months: Vec<i32> = Vec::new();
    let mut month_spend: Vec<(i32, Money)> = Vec::new();
    let active = opts.kpis.active_days as i32;
    let analysis_month = month_index(analysis_day);
    let ignore = opts.returns == Returns::Ignore;
    let absolute: Vec<Money> = opts
        .grades
        .absolute
        .iter()
        .flatten()
        .map(|(_, min)| crate::ingest::money::from_f64(*min))
        .collect();
    for ci in range {
        orders.clear();
        rows_of(ci, &mut orders);
        let total: u64 = orders.iter().map(|r| u64::from(r.rows)).sum();
        // exclusions, then net spend overall and per window in one pass
        let (mut after, mut ignored) = (0u64, 0u64);
        let mut signal = false;
        let (mut monetary, mut recent_spend, mut previous_spend, mut window_spend) =
            (0i128, 0i128, 0i128, 0i128);
        // this customer's counted rows by month (added to the series only if the customer is analysed)
        month_spend.clear();
        orders.retain(|r| {
            if r.day > analysis_day {
                after += u64::from(r.rows);
                return false;
            }
            signal |= r.signal && analysis_day - r.day < w;
            if r.is_return && ignore {
                ignored += u64::from(r.rows);
                return false;
            }
            let v = if r.is_return && !keep_all {
                -r.amount.abs()
            } else {
                r.amount
            };
            let age = analysis_day - r.day;
            monetary += v;
            month_spend.push((r.day, v));
            if age < w {
                recent_spend += v;
            } else if age < 2 * w {
                previous_spend += v;
            }
            if age < gw {
                window_spend += v;
            }
            !r.is_return || keep_all
        });
        excluded.after_analysis_date += after;
        excluded.ignored_returns += ignored;
        let kept = total - after - ignored;
        if kept == 0 {
            continue;
        }
        if orders.is_empty() {
            if opts.returns == Returns::Net {
                excluded.returns_without_purchase += kept;
            }
            continue;
        }
        used += kept;
        for &(day, v) in &month_spend {
            monthly.see(day);
            if let Some(k) = monthly.slot(day) {
                monthly.revenue[k] += v;
            }
        }
        days.clear();
        days.extend(orders.iter().map(|r| r.day as i64));
        days.sort_unstable();
        days.dedup();
        let first_day = days[0] as i32;
        let last_day = days[days.len() - 1] as i32;
        // retention counts: active = an order in the window of `active` days ending on the date
        let t0 = period.start_day;
        // (at t1, the analysis date, that is the last order; at t0, any order in the window)
        let active_at_t0 = days
            .iter()
            .any(|&d| d as i32 <= t0 && (t0 - d as i32) < active);
        period.active_at_start += u64::from(active_at_t0);
        period.active_at_end += u64::from(analysis_day - last_day < active);
        period.new += u64::from(first_day > t0);
        // cohort: the months (since the first one) with an order; only cohorts of the last
        // COHORT_MONTHS months are kept, so the table never grows with how far back a date lies
        months.clear();
        months.extend(days.iter().map(|&d| month_index(d as i32)));
        months.dedup(); // days are sorted, so equal months are adjacent
        for (i, &m) in months.iter().enumerate() {
            let k = m - monthly.first_slot_month;
            if (0..COHORT_MONTHS).contains(&k) {
                monthly.active[k as usize] += 1;
                monthly.new[k as usize] += u64::from(i == 0);
            }
        }
        if analysis_month - months[0] < COHORT_MONTHS {
            let cohort = cohorts.entry(months[0]).or_default();
            cohort.0 += 1;
            for &m in &months {
                // (m ≤ the analysis month: offsets stay below COHORT_MONTHS)
                let offset = (m - months[0]) as usize;
                if cohort.1.len() <= offset {
                    cohort.1.resize(offset + 1, 0);
                }
                cohort.1[offset] += 1;
            }
        } else {
            cohorts_omitted += 1;
        }
        gaps.clear();
        gaps.extend(days.windows(2).map(|p| p[1] - p[0]));
        let gap_before_last = gaps.last().map(|&g| g as i32);
        gaps.sort_unstable();
        let c = count_windows(&mut orders, unit, analysis_day, w, aw, &mut monthly);
        let keep = 1.0 - opts.churn.decline_ratio;
        let mut declining = 0;
        if c.previous > 0 && (c.recent as f64) <= keep * c.previous as f64 {
            declining |= DECLINING_ORDERS;
        }
        if previous_spend > 0 && (recent_spend as f64) <= keep * previous_spend as f64 {
            declining |= DECLINING_SPEND;
        }
        let median2 = match gaps.len() {
            0 => NO_GAP,
            n if n % 2 == 1 => (2 * gaps[n / 2]).min(NO_GAP as i64 - 1) as u32,
            n => (gaps[n / 2 - 1] + gaps[n / 2]).min(NO_GAP as i64 - 1) as u32,
        };
        let sat = |x: u64| x.min(u32::MAX as u64) as u32;
        let (cal_days, cal_last) = holdout.as_mut().map_or((0, 0), |h| h.count(&days));
        // (orders now holds the rows that count as orders: no returns except under `keep`)
        let repeat_spend = orders
            .iter()
            .filter(|r| r.day != first_day)
            .map(|r| r.amount)
            .sum();
        customers.push(CustomerFacts {
            monetary,
            repeat_spend,
            id: ci as u32,
            first_day,
            last_day,
            recency: analysis_day - last_day,
            tenure: analysis_day - first_day,
            frequency: sat(c.all),
            purchase_days: days.len() as u32,
            median_gap2: median2,
            gap_before_last: gap_before_last.unwrap_or(-1),
            recent_orders: sat(c.recent),
            previous_orders: sat(c.previous),
            declining,
            signal: u8::from(signal),
            activity: activity_class(c.activity, &opts.activity),
            absolute: absolute
                .iter()
                .position(|&min| window_spend >= min)
                .map_or(NONE, |g| g as u8),
            cal_days,
            cal_last,
            ..CustomerFacts::default()
        });
    }
    Tally {
        customers,
        excluded,
        used,
        period,
        cohorts,
        cohorts_omitted,
        monthly,
        holdout,
    }
}

/// How far (days) the latest date may lie after the last orders of all but the latest 1 % of the
/// customers before it is called out as a likely typing error.
pub const FAR_LATEST_DAYS: i32 = 365;

impl Facts {
    /// A warning when the analysis date — the latest date in the file, not set in the options — lies
    /// more than [`FAR_LATEST_DAYS`] after the last order of every customer but the latest 1 % (at
    /// least one): one row dated 9999-12-31 would otherwise make everybody's recency millions of days.
    pub fn far_latest_date(&self) -> Option<Message> {
        let n = self.customers.len();
        let k = (n / 100).max(1);
        if n <= k {
            return None;
        }
        let mut last: Vec<i32> = self.customers.iter().map(|c| c.last_day).collect();
        // the (k + 1)-th latest last order
        let (_, reference, _) = last.select_nth_unstable_by(k, |a, b| b.cmp(a));
        let reference = *reference;
        let days = self.analysis_day - reference;
        (days > FAR_LATEST_DAYS).then(|| Message::FarLatestDate {
            date: crate::calendar::format_day(self.analysis_day),
            days: i64::from(days),
            count: k,
            reference: crate::calendar::format_day(reference),
        })
    }

    /// A warning when the earliest first order lies more than [`FAR_LATEST_DAYS`] before the first
    /// order of every customer but the earliest 1 % (at least one): a placeholder date such as
    /// 1900-01-01 would otherwise make those customers look loyal for a century.
    pub fn far_earliest_date(&self) -> Option<Message> {
        let n = self.customers.len();
        let k = (n / 100).max(1);
        if n <= k {
            return None;
        }
        let mut first: Vec<i32> = self.customers.iter().map(|c| c.first_day).collect();
        // the (k + 1)-th earliest first order
        let (_, reference, _) = first.select_nth_unstable(k);
        let reference = *reference;
        let earliest = first.iter().copied().min()?;
        let days = reference - earliest;
        (days > FAR_LATEST_DAYS).then(|| Message::FarEarliestDate {
            date: crate::calendar::format_day(earliest),
            days: i64::from(days),
            count: k,
            reference: crate::calendar::format_day(reference),
        })
    }

    /// Sorts the customers by id (UTF-8 byte order), in place.
    pub fn sort_by_id(&mut self) {
        sort_by_id(&mut self.customers, &self.ids);
    }
}

/// Sorts customers by id bytes. Comparing ids through the arena is slow for millions of customers,
/// so each customer gets a key of the 8 bytes that follow the prefix every id shares (big-endian,
/// so key order is byte order); only equal keys fall back to comparing the full ids.
fn sort_by_id(customers: &mut [CustomerFacts], ids: &IdTable) {
    let Some(first) = customers.first().map(|c| ids.bytes(c.id)) else {
        return;
    };
    let mut common = first.len();
    for c in customers.iter() {
        let b = ids.bytes(c.id);
        common = common.min(b.iter().zip(first).take_while(|(x, y)| x == y).count());
        if common == 0 {
            break;
        }
    }
    let key = |b: &[u8]| -> u64 {
        let mut k = [0u8; 8];
        let tail = &b[common.min(b.len())..];
        let n = tail.len().min(8);
        k[..n].copy_from_slice(&tail[..n]);
        u64::from_be_bytes(k)
    };
    let mut keyed: Vec<(u64, u32)> = customers
        .iter()
        .enumerate()
        .map(|(i, c)| (key(ids.bytes(c.id)), i as u32))
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            ids.bytes(customers[a.1 as usize].id)
                .cmp(ids.bytes(customers[b.1 as usize].id))
        })
    });
    // apply the permutation in place (position j takes the customer at keyed[j].1), following
    // each cycle once: no second copy of the customers (tens of MB at a million customers)
    const DONE: u32 = u32::MAX;
    let mut from: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
    for start in 0..from.len() {
        if from[start] == DONE {
            continue;
        }
        let held = customers[start];
        let mut j = start;
        loop {
            let k = from[j] as usize;
            from[j] = DONE;
            if k == start {
                customers[j] = held;
                break;
            }
            customers[j] = customers[k];
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts through the whole streaming pipeline (the only way rows reach them).
    fn run(csv: &str, opts: &str) -> Facts {
        let o = Options::from_json(opts).unwrap();
        crate::analyzer::facts_of(csv.as_bytes(), &o).unwrap()
    }

    const CSV: &str = "order_id,customer_id,order_date,amount\n\
        1,A,2024-01-01,100\n\
        1,A,2024-01-01,50\n\
        2,A,2024-01-11,20\n\
        C3,A,2024-01-12,-30\n\
        4,A,2024-01-31,10\n\
        5,B,2024-01-31,5\n\
        C6,Z,2024-01-20,-9\n";

    /// The facts computed on threads (runs of customers merged in order) equal those of one thread,
    /// for every file-wide count the runs add to: exclusions, returns-only customers, cohorts kept
    /// and omitted, months, the retention counts.
    #[test]
    fn facts_on_threads_equal_one_thread() {
        let mut csv = String::from("order_id,customer_id,order_date,amount\n");
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let customers = 60_000; // over three runs of 16,384
        for c in 0..customers {
            for k in 0..1 + next(4) {
                let (y, m, d) = (2008 + next(17), 1 + next(12), 1 + next(28));
                let ret = next(10) == 0;
                let amount = if ret {
                    -(next(500) as i64)
                } else {
                    next(900) as i64 + 1
                };
                let order = if ret {
                    format!("C{c}{k}")
                } else {
                    format!("{c}-{}", next(3))
                };
                csv.push_str(&format!(
                    "{order},K{c:06},{y}-{m:02}-{d:02},{amount}.{:02}\n",
                    next(100)
                ));
            }
        }
        for opts in [
            r#"{"analysisDate":"2023-06-30"}"#,
            r#"{"analysisDate":"2023-06-30","returns":"ignore","frequency":"days"}"#,
            r#"{"returns":"keep","frequency":"rows"}"#,
        ] {
            let o = Options::from_json(opts).unwrap();
            let one = crate::analyzer::facts_on(csv.as_bytes(), &o, 1).unwrap();
            assert!(
                one.customers.len() > 3 * 16_384,
                "{opts}: {}",
                one.customers.len()
            );
            assert!(
                one.cohorts_omitted > 0,
                "{opts}: some first orders over ten years back"
            );
            if opts.contains("2023") {
                assert!(one.excluded.after_analysis_date > 0, "{opts}");
            }
            for threads in [2, 3, 7] {
                let on = crate::analyzer::facts_on(csv.as_bytes(), &o, threads).unwrap();
                assert!(on == one, "{opts}: {threads} threads differ from one");
            }
        }
    }

    #[test]
    fn net_policy_facts_by_hand() {
        let f = run(CSV, "{}");
        // analysis date = 2024-01-31; Z has only a return → not analysed
        assert_eq!(f.customers.len(), 2);
        assert_eq!(f.excluded.returns_without_purchase, 1);
        assert_eq!(f.used, 6);
        let a = &f.customers[0];
        assert_eq!(f.id_of(a), "A");
        // orders 1 (two rows), 2, 4 → 3; purchase days 01-01, 01-11, 01-31
        assert_eq!(a.frequency, 3);
        assert_eq!(a.purchase_days, 3);
        // 100 + 50 + 20 + 10 − 30
        assert_eq!(a.monetary, 150_000_000);
        assert_eq!(a.recency, 0);
        assert_eq!(a.tenure, 30);
        // gaps 10 and 20 → median 15
        assert_eq!(a.median_gap(), Some(15.0));
        assert_eq!(a.gap_before_last(), Some(20));
    }

    #[test]
    fn frequency_units_and_policies() {
        assert_eq!(
            run(CSV, r#"{"frequency":"rows"}"#).customers[0].frequency,
            4
        );
        assert_eq!(
            run(CSV, r#"{"frequency":"days"}"#).customers[0].frequency,
            3
        );
        let keep = run(CSV, r#"{"returns":"keep"}"#);
        // the return row is an order of its own and Z is now a customer with −9
        assert_eq!(keep.customers.len(), 3);
        assert_eq!(keep.customers[0].frequency, 4);
        assert_eq!(keep.customers[0].monetary, 150_000_000);
        assert_eq!(keep.customers[2].monetary, -9_000_000);
        let ign = run(CSV, r#"{"returns":"ignore"}"#);
        assert_eq!(ign.excluded.ignored_returns, 2);
        assert_eq!(ign.customers[0].monetary, 180_000_000);
    }

    #[test]
    fn analysis_date_excludes_later_rows() {
        let f = run(CSV, r#"{"analysisDate":"2024-01-15"}"#);
        // after 2024-01-15: A's 01-31, B's 01-31 and Z's return on 01-20
        assert_eq!(f.excluded.after_analysis_date, 3);
        assert_eq!(f.customers.len(), 1);
        assert_eq!(f.customers[0].recency, 4);
        assert_eq!(f.customers[0].monetary, 140_000_000);
    }

    #[test]
    fn ids_sort_in_byte_order() {
        // shared prefix "CUST-", a short id, a long id with the same first 8 bytes after the prefix,
        // and non-ASCII ids (UTF-8 byte order)
        let csv = "customer_id,order_date\nCUST-0000000002,2024-01-01\nCUST-00000000010,2024-01-01\nCUST-0000000001,2024-01-01\nCUST-,2024-01-01\nCUST-é,2024-01-01\nCUST-z,2024-01-01\n";
        let f = run(csv, "{}");
        let got: Vec<String> = f
            .customers
            .iter()
            .map(|c| f.id_of(c).into_owned())
            .collect();
        let mut want = got.clone();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(got[0], "CUST-");
        assert_eq!(got.last().map(String::as_str), Some("CUST-é"));
    }

    #[test]
    fn median_helper() {
        assert_eq!(median_sorted(&[]), None);
        assert_eq!(median_sorted(&[3]), Some(3.0));
        assert_eq!(median_sorted(&[1, 2, 4, 10]), Some(3.0));
    }
}
