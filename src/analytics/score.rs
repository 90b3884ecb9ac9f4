//! RFM scores (`docs/scores.md`) in four modes, each returning the scores and the [`CutPoints`] shown in the
//! summary:
//! - [`quantile`] (default): cut points c_1 … c_{k−1} are the type-7 quantiles at i/k (linear
//!   interpolation, R's and numpy's default). F and M: score = 1 + #{c_i < value}; R: the same bin
//!   with the label reversed, score = k − #{c_i < recency}. Tied values always share a score.
//! - [`rfm_r`]: the R package `rfm` 0.3 rule, in its floating-point arithmetic.
//! - [`rank`]: equal-count bins over ranks (pandas `qcut(x.rank(method='first'), k)`).
//! - [`thresholds`]: caller-given cut points.
//!
//! Cut points are kept as exact rationals `num / k` over the values' integer units (days, counts,
//! millionths), so a value exactly on a cut point is placed the same on every machine.

use crate::facts::CustomerFacts;
use crate::ingest::money::SCALE;
use crate::options::{Options, ScoreMode};
use serde::Serialize;

/// One dimension's cut points and per-score counts, as shown in the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutPoints {
    /// Scoring mode name.
    pub mode: String,
    /// The k − 1 cut points in the dimension's unit (days, frequency units, currency).
    pub cuts: Vec<f64>,
    /// Customers per score 1 … k.
    pub counts: Vec<u64>,
    /// How ties and bin edges were treated.
    pub ties: String,
}

/// An exact type-7 quantile cut point: `num / den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Numerator in the value's integer unit times `den`.
    pub num: i128,
    /// Denominator (k).
    pub den: i128,
}

impl Cut {
    /// True when the cut point is strictly below `v`.
    pub fn below(self, v: i128) -> bool {
        self.num < v * self.den
    }
}

/// Type-7 quantile of sorted values at p = i / k, exactly.
pub fn type7_cut(sorted: &[i128], i: u32, k: u32) -> Cut {
    let n = sorted.len() as i128;
    let k = k as i128;
    let h = (n - 1) * i as i128; // h / k is the 0-based fractional index
    let lo = (h / k) as usize;
    let rem = h % k;
    let base = sorted[lo];
    let num = if rem == 0 || lo + 1 >= sorted.len() {
        base * k
    } else {
        base * k + rem * (sorted[lo + 1] - base)
    };
    Cut { num, den: k }
}

/// A sorted copy of `values`, sorting 64-bit integers when every value fits (wasm has no native
/// 128-bit arithmetic, so this is several times faster there).
pub fn sorted_copy(values: &[i128]) -> Vec<i128> {
    if values.iter().all(|&v| i64::try_from(v).is_ok()) {
        let mut small: Vec<i64> = values.iter().map(|&v| v as i64).collect();
        small.sort_unstable();
        small.into_iter().map(i128::from).collect()
    } else {
        let mut v = values.to_vec();
        v.sort_unstable();
        v
    }
}

/// Scores one dimension in `quantile` mode. `reverse` is true for recency. `unit` converts the
/// integer values to the displayed unit (1 for days and counts, 10⁶ for money).
pub fn quantile(values: &[i128], k: u8, reverse: bool, unit: f64) -> (Vec<u8>, CutPoints) {
    let k32 = k as u32;
    let sorted = sorted_copy(values);
    let cuts: Vec<Cut> = if sorted.is_empty() {
        vec![]
    } else {
        (1..k32).map(|i| type7_cut(&sorted, i, k32)).collect()
    };
    let mut counts = vec![0u64; k as usize];
    // for an integer v and den > 0, num/den < v ⇔ floor(num/den) < v: one integer comparison per
    // cut (no 128-bit multiply per value, which wasm does in software), in 64 bits when all fit
    let floors: Vec<i128> = cuts.iter().map(|c| c.num.div_euclid(c.den)).collect();
    let small = floors
        .iter()
        .chain(values.iter())
        .all(|&x| i64::try_from(x).is_ok());
    let floors64: Vec<i64> = floors.iter().map(|&f| f as i64).collect();
    let count_below = |v: i128| -> u8 {
        if small {
            let v = v as i64;
            floors64.iter().filter(|&&f| f < v).count() as u8
        } else {
            floors.iter().filter(|&&f| f < v).count() as u8
        }
    };
    let scores: Vec<u8> = values
        .iter()
        .map(|&v| {
            let below = count_below(v);
            let s = if reverse { k - below } else { 1 + below };
            counts[(s - 1) as usize] += 1;
            s
        })
        .collect();
    let cut_f: Vec<f64> = cuts
        .iter()
        .map(|c| c.num as f64 / c.den as f64 / unit)
        .collect();
    let ties = if reverse {
        "type-7 quantile cut points; score = k − (number of cut points strictly below the value); a value equal to a cut point goes to the lower bin; tied values share a score, so bins may be uneven"
    } else {
        "type-7 quantile cut points; score = 1 + (number of cut points strictly below the value); a value equal to a cut point goes to the lower bin; tied values share a score, so bins may be uneven"
    };
    (
        scores,
        CutPoints {
            mode: "quantile".into(),
            cuts: cut_f,
            counts,
            ties: ties.into(),
        },
    )
}

/// Scores one dimension in `rank` mode: equal-count bins over ranks, what
/// `pandas.qcut(x.rank(method='first'), k)` gives on data sorted by customer id. `values` are in
/// customer-id order; customers are ranked r = 1 … n by (value, position), and get bin j when
/// e(j−1) < r ≤ e(j) with e(j) = 1 + (n−1)·j/k (the first bin includes r = 1), computed exactly:
/// j = max(1, ⌈k·(r−1) / (n−1)⌉). Recency labels are reversed (score k + 1 − j).
pub fn rank(values: &[i128], k: u8, reverse: bool) -> (Vec<u8>, CutPoints) {
    let n = values.len();
    let mut order: Vec<(i128, u32)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (v, i as u32))
        .collect();
    order.sort_unstable();
    let (k64, span) = (u64::from(k), n.saturating_sub(1) as u64);
    let mut scores = vec![0u8; n];
    let mut counts = vec![0u64; k as usize];
    for (pos, &(_, i)) in order.iter().enumerate() {
        let r1 = pos as u64; // r − 1
        let j = if span == 0 {
            1
        } else {
            (k64 * r1).div_ceil(span).clamp(1, k64) as u8
        };
        let s = if reverse { k + 1 - j } else { j };
        scores[i as usize] = s;
        counts[(s - 1) as usize] += 1;
    }
    let cuts = (1..k)
        .map(|j| 1.0 + span as f64 * f64::from(j) / f64::from(k))
        .collect();
    let ties = if reverse {
        "equal-count bins over ranks (pandas qcut(x.rank(method='first'), k)): customers ranked by value, ties by customer id; bin j holds ranks e(j−1) < r ≤ e(j), e(j) = 1 + (n−1)·j/k; cut points are those rank edges; score = k + 1 − j (most recent = k)"
    } else {
        "equal-count bins over ranks (pandas qcut(x.rank(method='first'), k)): customers ranked by value, ties by customer id; bin j holds ranks e(j−1) < r ≤ e(j), e(j) = 1 + (n−1)·j/k; cut points are those rank edges; score = j"
    };
    (
        scores,
        CutPoints {
            mode: "rank".into(),
            cuts,
            counts,
            ties: ties.into(),
        },
    )
}

/// Scores one dimension in `rfm-r` mode, bit for bit the R package `rfm` 0.3.x, in its
/// floating-point arithmetic: breaks b_1 … b_{k−1} are R's type-7 `quantile()` of the values at
/// `seq(0, 1, length.out = k + 1)` (inner ones), each + 1; bin i covers `[lower_i, upper_i)` with
/// lower = (min, b_1 … b_{k−1}) and upper = (b_1 … b_{k−1}, max + 1), bins assigned in order (a later
/// one wins); F and M get score i, recency k + 1 − i. A value in no bin (impossible unless rounding
/// makes breaks decrease) gets 0, R's `NA`.
pub fn rfm_r(values: &[f64], k: u8, reverse: bool) -> (Vec<u8>, CutPoints) {
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (min, max) = match (sorted.first(), sorted.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => (0.0, 0.0),
    };
    // R: probs = c(from, from + seq_len(n1 − 1) * ((to − from) / n1), to) with from 0, to 1, n1 = k
    let by = 1.0 / f64::from(k);
    let breaks: Vec<f64> = if n == 0 {
        Vec::new()
    } else {
        (1..k)
            .map(|j| {
                let p = 0.0 + f64::from(j) * by;
                // R: index <- 1 + max(n − 1, 0) * probs; lo <- floor(index); hi <- ceiling(index)
                let index = 1.0 + (n as f64 - 1.0).max(0.0) * p;
                let (lo, hi) = (index.floor(), index.ceil());
                let x_lo = sorted[(lo as usize).clamp(1, n) - 1];
                let x_hi = sorted[(hi as usize).clamp(1, n) - 1];
                let mut q = x_lo;
                if index > lo && x_hi != q {
                    let h = index - lo;
                    q = (1.0 - h) * q + h * x_hi;
                }
                q + 1.0
            })
            .collect()
    };
    let mut lower = vec![min];
    lower.extend_from_slice(&breaks);
    let mut upper = breaks.clone();
    upper.push(max + 1.0);
    let mut counts = vec![0u64; k as usize];
    let scores: Vec<u8> = values
        .iter()
        .map(|&v| {
            let mut s = 0u8;
            for i in 0..k as usize {
                if v >= lower[i] && v < upper[i] {
                    let bin = i as u8 + 1;
                    s = if reverse { k + 1 - bin } else { bin };
                }
            }
            if s > 0 {
                counts[(s - 1) as usize] += 1;
            }
            s
        })
        .collect();
    let ties = if reverse {
        "R package rfm 0.3 rule: breaks = type-7 quantiles (floating point) + 1; bins [lower, upper) from the minimum to the maximum + 1; score = k + 1 − bin (most recent = k); tied values share a score"
    } else {
        "R package rfm 0.3 rule: breaks = type-7 quantiles (floating point) + 1; bins [lower, upper) from the minimum to the maximum + 1; score = bin; tied values share a score"
    };
    (
        scores,
        CutPoints {
            mode: "rfm-r".into(),
            cuts: breaks,
            counts,
            ties: ties.into(),
        },
    )
}

/// Scores one dimension in `thresholds` mode: caller-given increasing cut points (in the displayed
/// unit: days, frequency units, currency), placed like `quantile` (a value equal to a cut point goes
/// to the lower bin): t cut points give t + 1 scores, F and M score = 1 + #{c < value}, recency
/// t + 1 − #{c < value}. `values` are integers in the unit's `scale` (1, or 10⁶ for money); cut
/// points are compared exactly after rounding them to millionths.
pub fn thresholds(
    values: &[i128],
    cuts: &[f64],
    reverse: bool,
    scale: i128,
) -> (Vec<u8>, CutPoints) {
    let micro: Vec<i128> = cuts
        .iter()
        .map(|&c| crate::ingest::money::from_f64(c))
        .collect();
    let per_unit = crate::ingest::money::SCALE / scale.max(1);
    let bins = cuts.len() as u8 + 1;
    let mut counts = vec![0u64; bins as usize];
    let scores: Vec<u8> = values
        .iter()
        .map(|&v| {
            let v = v * per_unit;
            let below = micro.iter().filter(|&&c| c < v).count() as u8;
            let s = if reverse { bins - below } else { 1 + below };
            counts[(s - 1) as usize] += 1;
            s
        })
        .collect();
    let ties = if reverse {
        "caller-given cut points; score = (cut points + 1) − (number of cut points strictly below the value); a value equal to a cut point goes to the lower bin"
    } else {
        "caller-given cut points; score = 1 + (number of cut points strictly below the value); a value equal to a cut point goes to the lower bin"
    };
    (
        scores,
        CutPoints {
            mode: "thresholds".into(),
            cuts: cuts.to_vec(),
            counts,
            ties: ties.into(),
        },
    )
}

/// The r, f and m scores of every customer (in customer order) with their cut points.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Recency scores.
    pub r: Vec<u8>,
    /// Frequency scores.
    pub f: Vec<u8>,
    /// Monetary scores (`None` without an amount column).
    pub m: Option<Vec<u8>>,
    /// Recency cut points.
    pub r_cut: CutPoints,
    /// Frequency cut points.
    pub f_cut: CutPoints,
    /// Monetary cut points.
    pub m_cut: Option<CutPoints>,
}

impl Scores {
    /// Scores every dimension in the mode of `opts.rfm` (see `docs/scores.md`). `values` are the
    /// customers' recency (days), frequency and monetary (millionths); monetary is scored only
    /// `with_amount`.
    pub fn of(values: &Values, with_amount: bool, opts: &Options) -> Scores {
        let t = &opts.rfm.thresholds;
        let (r, r_cut) = dimension(&values.recency, opts, true, 1, &t.r);
        let (f, f_cut) = dimension(&values.frequency, opts, false, 1, &t.f);
        let (m, m_cut) = if with_amount {
            let (s, c) = dimension(&values.monetary, opts, false, SCALE, &t.m);
            (Some(s), Some(c))
        } else {
            (None, None)
        };
        Scores {
            r,
            f,
            m,
            r_cut,
            f_cut,
            m_cut,
        }
    }

    /// Customer `i`'s monetary score (`None` without an amount column).
    pub fn m_of(&self, i: usize) -> Option<u8> {
        self.m.as_ref().map(|m| m[i])
    }
}

/// The three scored values of every customer as exact integers, in customer order: recency in days,
/// frequency in its unit, monetary in millionths.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Values {
    /// Days since the last order.
    pub recency: Vec<i128>,
    /// Frequency units.
    pub frequency: Vec<i128>,
    /// Net spend in millionths.
    pub monetary: Vec<i128>,
}

impl Values {
    /// The values of `customers`.
    pub fn of(customers: &[CustomerFacts]) -> Values {
        Values {
            recency: customers.iter().map(|c| c.recency as i128).collect(),
            frequency: customers.iter().map(|c| c.frequency as i128).collect(),
            monetary: customers.iter().map(|c| c.monetary).collect(),
        }
    }
}

/// One dimension's scores and cut points in the mode of `opts.rfm`. `values` are integers in units
/// of 1/`scale` (days and counts: scale 1; money: millionths), in customer-id order.
fn dimension(
    values: &[i128],
    opts: &Options,
    reverse: bool,
    scale: i128,
    cuts: &[f64],
) -> (Vec<u8>, CutPoints) {
    let k = opts.rfm.bins;
    match opts.rfm.mode {
        ScoreMode::Quantile => quantile(values, k, reverse, scale as f64),
        ScoreMode::Rank => rank(values, k, reverse),
        ScoreMode::RfmR => {
            let as_f64: Vec<f64> = values.iter().map(|&v| v as f64 / scale as f64).collect();
            rfm_r(&as_f64, k, reverse)
        }
        ScoreMode::Thresholds => thresholds(values, cuts, reverse, scale),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_bins_by_hand() {
        // values in customer-id order; ranks by (value, id): 10→1, 20→2, 20→3, 30→4, 40→5, 50→6.
        // n = 6, k = 3: e(1) = 1 + 5/3 ≈ 2.67, e(2) ≈ 4.33 → ranks 1–2, 3–4, 5–6 (pandas:
        // qcut([1..6], 3) has edges 1, 2.667, 4.333, 6); the tied 20s fall in different bins
        let (s, cp) = rank(&[20, 10, 20, 30, 50, 40], 3, false);
        assert_eq!(s, vec![1, 1, 2, 2, 3, 3]);
        assert_eq!(cp.counts, vec![2, 2, 2]);
        assert_eq!(cp.mode, "rank");
        let (r, _) = rank(&[20, 10, 20, 30, 50, 40], 3, true);
        assert_eq!(r, vec![3, 3, 2, 2, 1, 1]);
    }

    #[test]
    fn rank_edge_on_an_integer_goes_to_the_lower_bin() {
        // n = 11, k = 5: e(j) = 1 + 2j = 3, 5, 7, 9 exactly; rank 3 is in bin 1, rank 4 in bin 2
        let v: Vec<i128> = (1..=11).collect();
        let (s, cp) = rank(&v, 5, false);
        assert_eq!(s, vec![1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(cp.cuts, vec![3.0, 5.0, 7.0, 9.0]);
        // one customer: bin 1
        assert_eq!(rank(&[7], 5, false).0, vec![1]);
    }

    #[test]
    fn rfm_r_by_the_r_rule() {
        // R: quantile(1:10, seq(0, 1, length.out = 6)) inner = 2.8 4.6 6.4 8.2; + 1 → breaks
        // 3.8 5.6 7.4 9.2; bins [1, 3.8) [3.8, 5.6) [5.6, 7.4) [7.4, 9.2) [9.2, 11)
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let (s, cp) = rfm_r(&v, 5, false);
        assert_eq!(s, vec![1, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
        assert_eq!(cp.counts, vec![3, 2, 2, 2, 1]);
        let rounded: Vec<f64> = cp.cuts.iter().map(|c| (c * 1e9).round() / 1e9).collect();
        assert_eq!(rounded, vec![3.8, 5.6, 7.4, 9.2]);
        let (r, _) = rfm_r(&v, 5, true);
        assert_eq!(r, vec![5, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
    }

    #[test]
    fn rfm_r_empty_bins_from_ties() {
        // 1 1 1 1 2, k = 3: both inner quantiles are 1 → breaks 2, 2; bins [1, 2) [2, 2) [2, 3):
        // the middle bin is empty and 2 gets score 3
        let (s, cp) = rfm_r(&[1.0, 1.0, 1.0, 1.0, 2.0], 3, false);
        assert_eq!(s, vec![1, 1, 1, 1, 3]);
        assert_eq!(cp.cuts, vec![2.0, 2.0]);
        assert_eq!(cp.counts, vec![4, 0, 1]);
    }

    #[test]
    fn thresholds_place_equal_values_low() {
        // recency days with cut points 5 and 30: 0, 5 → score 3; 10, 30 → 2; 31 → 1
        let (r, cp) = thresholds(&[0, 5, 10, 30, 31], &[5.0, 30.0], true, 1);
        assert_eq!(r, vec![3, 3, 2, 2, 1]);
        assert_eq!(cp.counts, vec![1, 2, 2]);
        // money in millionths: 5.00 is not above 5, 5.000001 is; 100 is above 99.995
        let (m, _) = thresholds(
            &[5_000_000, 5_000_001, 100_000_000],
            &[5.0, 99.995],
            false,
            1_000_000,
        );
        assert_eq!(m, vec![1, 2, 3]);
        // a fractional cut point on counts
        assert_eq!(thresholds(&[2, 3], &[2.5], false, 1).0, vec![1, 2]);
    }

    #[test]
    fn type7_matches_r_by_hand() {
        // R: quantile(c(1,2,3,4,10), probs = c(.2,.4,.6,.8)) = 1.8 2.6 3.4 5.2
        let v = [1i128, 2, 3, 4, 10];
        let c: Vec<f64> = (1..5)
            .map(|i| {
                let c = type7_cut(&v, i, 5);
                c.num as f64 / c.den as f64
            })
            .collect();
        assert_eq!(c, vec![1.8, 2.6, 3.4, 5.2]);
    }

    #[test]
    fn scores_ties_and_reversal() {
        // values 1 1 1 2 5 → cuts at 0.2: h=0.8 → 1; 0.4: h=1.6 → 1; 0.6: h=2.4 → 1.4; 0.8: h=3.2 → 2.6
        let (s, cp) = quantile(&[1, 1, 1, 2, 5], 5, false, 1.0);
        assert_eq!(cp.cuts, vec![1.0, 1.0, 1.4, 2.6]);
        // 1 → no cut below → 1; 2 → 1,1,1.4 below → 4; 5 → all → 5
        assert_eq!(s, vec![1, 1, 1, 4, 5]);
        assert_eq!(cp.counts, vec![3, 0, 0, 1, 1]);
        let (r, _) = quantile(&[1, 1, 1, 2, 5], 5, true, 1.0);
        assert_eq!(r, vec![5, 5, 5, 2, 1]);
    }

    #[test]
    fn sorts_values_beyond_64_bits() {
        let big = i128::from(i64::MAX) * 3;
        assert_eq!(sorted_copy(&[big, -big, 0]), vec![-big, 0, big]);
        assert_eq!(sorted_copy(&[3, -1, 2]), vec![-1, 2, 3]);
    }

    #[test]
    fn value_on_cut_goes_to_lower_bin() {
        // sorted 0 10 16 20 30 40, n = 6: h = (n−1)·i/k = i → cuts x[1..=4] = 10 16 20 30.
        // 0 → 1; 10 → no cut strictly below → 1; 20 → 10, 16 below → 3; 30 → 4; 40 → 5; 16 → 2
        let (s, _) = quantile(&[0, 10, 20, 30, 40, 16], 5, false, 1.0);
        assert_eq!(s, vec![1, 1, 3, 4, 5, 2]);
    }
}
