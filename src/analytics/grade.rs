//! Value grades (`docs/grades.md`): `abc` by cumulative revenue share, `ladder` by customer share from the top,
//! and the Pareto curve. Customers are ranked by monetary descending, ties by customer id; every
//! comparison is exact (shares are held in millionths, revenue in millionths of the currency unit).

use crate::facts::{CustomerFacts, NONE};
use crate::ingest::money::{from_f64, Money, SCALE};
use crate::labels::Abc;
use crate::options::Options;
use serde::Serialize;

/// Ranks customer indexes by monetary descending, ties by position (the input is sorted by id).
pub fn rank_by_monetary(monetary: &[Money]) -> Vec<usize> {
    // sort contiguous (key, index) pairs: comparing through the index would read memory at random;
    // 64-bit keys when every value fits (wasm has no native 128-bit arithmetic)
    if monetary.iter().all(|&m| i64::try_from(m).is_ok()) {
        let mut keyed: Vec<(std::cmp::Reverse<i64>, u32)> = monetary
            .iter()
            .enumerate()
            .map(|(i, &m)| (std::cmp::Reverse(m as i64), i as u32))
            .collect();
        keyed.sort_unstable();
        return keyed.into_iter().map(|(_, i)| i as usize).collect();
    }
    let mut keyed: Vec<(std::cmp::Reverse<Money>, u32)> = monetary
        .iter()
        .enumerate()
        .map(|(i, &m)| (std::cmp::Reverse(m), i as u32))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i as usize).collect()
}

/// ABC grade per customer. With c = the cumulative share of total positive
/// revenue held by the customers ranked above, A when c < a, B when c < b, else C; monetary ≤ 0 is C.
pub fn abc(monetary: &[Money], order: &[usize], a: f64, b: f64) -> Vec<Abc> {
    let total: Money = monetary.iter().filter(|&&m| m > 0).sum();
    let (a, b) = (from_f64(a), from_f64(b));
    let mut out = vec![Abc::C; monetary.len()];
    if total <= 0 {
        return out;
    }
    // c < a  ⇔  above · SCALE < a · total  ⇔  above < ⌈a · total / SCALE⌉ (above is an integer):
    // two thresholds computed once instead of 128-bit multiplies per customer
    let (limit_a, limit_b) = (ceil_div(a * total, SCALE), ceil_div(b * total, SCALE));
    let mut above: Money = 0;
    for &i in order {
        let m = monetary[i];
        if m <= 0 {
            continue;
        }
        out[i] = if above < limit_a {
            Abc::A
        } else if above < limit_b {
            Abc::B
        } else {
            Abc::C
        };
        above += m;
    }
    out
}

/// ⌈x / d⌉ for d > 0.
fn ceil_div(x: Money, d: Money) -> Money {
    -((-x).div_euclid(d))
}

/// Ladder grade per customer (index into the ladder, `None` past the last share): rank r = 1 … n gets
/// the first grade whose cumulative share s satisfies r ≤ ceil(s × n), exactly.
pub fn ladder(order: &[usize], shares: &[f64]) -> Vec<Option<usize>> {
    let n = order.len() as i128;
    let limits: Vec<i128> = shares
        .iter()
        .map(|&s| (from_f64(s) * n + SCALE - 1).div_euclid(SCALE))
        .collect();
    let mut out = vec![None; order.len()];
    for (pos, &i) in order.iter().enumerate() {
        let rank = pos as i128 + 1;
        out[i] = limits.iter().position(|&lim| rank <= lim);
    }
    out
}

/// The Pareto curve and its headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pareto {
    /// (cumulative share of customers, cumulative share of positive revenue), from (0, 0) to (1, 1),
    /// at most 200 points.
    pub points: Vec<[f64; 2]>,
    /// Smallest share of top customers whose revenue reaches 80 % of total positive revenue.
    pub customer_share_for80: f64,
    /// Revenue share of the top 20 % of customers (the top ceil(0.2 × n)).
    pub top20_revenue_share: f64,
    /// Customers counted (all analysed customers).
    pub customers: u64,
}

/// Computes the Pareto curve from monetary values and their ranking; `None` without positive revenue.
pub fn pareto(monetary: &[Money], order: &[usize]) -> Option<Pareto> {
    let n = order.len();
    let total: Money = monetary.iter().filter(|&&m| m > 0).sum();
    if n == 0 || total <= 0 {
        return None;
    }
    let mut cum = Vec::with_capacity(n + 1);
    cum.push(0i128);
    for &i in order {
        let last = *cum.last().unwrap_or(&0);
        cum.push(last + monetary[i].max(0));
    }
    // smallest k with cum[k] ≥ 0.8 · total, exactly: 10 · cum ≥ 8 · total ⇔ cum ≥ ⌈8 · total / 10⌉
    let t80 = ceil_div(8 * total, 10);
    let k80 = cum.iter().position(|&c| c >= t80).unwrap_or(n);
    let top20 = (n * 2).div_ceil(10);
    let step_points = 199usize;
    let idx: Vec<usize> = if n <= step_points {
        (0..=n).collect()
    } else {
        let mut v: Vec<usize> = (0..=step_points)
            .map(|j| (j * n + step_points / 2) / step_points)
            .collect();
        v.dedup();
        v
    };
    let points = idx
        .iter()
        .map(|&k| [k as f64 / n as f64, cum[k] as f64 / total as f64])
        .collect();
    Some(Pareto {
        points,
        customer_share_for80: k80 as f64 / n as f64,
        top20_revenue_share: cum[top20] as f64 / total as f64,
        customers: n as u64,
    })
}

/// Every customer's value grades (see `docs/grades.md`); all `None` without an amount column.
#[derive(Debug, Clone, PartialEq)]
pub struct Grades {
    /// ABC grade per customer.
    pub abc: Option<Vec<Abc>>,
    /// Ladder grade per customer (index into `grades.ladder`).
    pub ladder: Option<Vec<Option<usize>>>,
    /// Absolute grade per customer (index into `grades.absolute`), when those are set.
    pub absolute: Option<Vec<Option<usize>>>,
    /// The Pareto curve (absent without positive revenue).
    pub pareto: Option<Pareto>,
}

impl Grades {
    /// Grades the customers by their net spend `monetary` (millionths, customer order); the
    /// absolute grades were settled with the facts (they need the window spend).
    pub fn assign(
        monetary: &[Money],
        customers: &[CustomerFacts],
        with_amount: bool,
        opts: &Options,
    ) -> Grades {
        if !with_amount {
            return Grades {
                abc: None,
                ladder: None,
                absolute: None,
                pareto: None,
            };
        }
        let order = rank_by_monetary(monetary);
        let g = &opts.grades;
        let shares: Vec<f64> = g.ladder.iter().map(|(_, s)| *s).collect();
        Grades {
            abc: Some(abc(monetary, &order, g.abc[0], g.abc[1])),
            ladder: Some(ladder(&order, &shares)),
            absolute: g.absolute.as_ref().map(|_| {
                customers
                    .iter()
                    .map(|c| (c.absolute != NONE).then_some(c.absolute as usize))
                    .collect()
            }),
            pareto: pareto(monetary, &order),
        }
    }

    /// Whether customer `i` holds a top grade (A, or one of the first two ladder grades), which
    /// the `high_value_lapsed` flag watches.
    pub fn is_top(&self, i: usize) -> bool {
        self.abc.as_ref().is_some_and(|a| a[i] == Abc::A)
            || self
                .ladder
                .as_ref()
                .is_some_and(|l| matches!(l[i], Some(0) | Some(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Money = SCALE;

    #[test]
    fn abc_by_hand() {
        // monetary 50, 30, 10, 5, 5, 0 (total 100): shares above: 0, .5, .8, .9, .95
        let m = [50 * M, 30 * M, 10 * M, 5 * M, 5 * M, 0];
        let order = rank_by_monetary(&m);
        assert_eq!(
            abc(&m, &order, 0.8, 0.95),
            vec![Abc::A, Abc::A, Abc::B, Abc::B, Abc::C, Abc::C]
        );
    }

    #[test]
    fn abc_and_pareto_at_fractional_boundaries() {
        // monetary 3, 2, 1, 1 millionths (total 7): shares above 0, 3/7, 5/7 (< .8), 6/7 (≥ .8, < .95)
        let m = [3, 2, 1, 1];
        let order = rank_by_monetary(&m);
        assert_eq!(
            abc(&m, &order, 0.8, 0.95),
            vec![Abc::A, Abc::A, Abc::A, Abc::B]
        );
        // 80 % of 7 is 5.6: the cumulative revenue reaches it at 6, with 3 of 4 customers
        assert_eq!(pareto(&m, &order).unwrap().customer_share_for80, 0.75);
    }

    #[test]
    fn abc_without_positive_revenue_is_all_c() {
        let m = [0, -5 * M];
        assert_eq!(
            abc(&m, &rank_by_monetary(&m), 0.8, 0.95),
            vec![Abc::C, Abc::C]
        );
    }

    #[test]
    fn ladder_by_hand() {
        // n = 10: ceil(.05·10) = 1, ceil(.15·10) = 2, ceil(.35·10) = 4, ceil(.6·10) = 6, 10
        let m: Vec<Money> = (1..=10).rev().map(|v| v as i128 * M).collect();
        let order = rank_by_monetary(&m);
        let g = ladder(&order, &[0.05, 0.15, 0.35, 0.6, 1.0]);
        let g: Vec<usize> = g.into_iter().map(|x| x.unwrap()).collect();
        assert_eq!(g, vec![0, 1, 2, 2, 3, 3, 4, 4, 4, 4]);
    }

    #[test]
    fn ranks_beyond_64_bits() {
        let big = i128::from(i64::MAX) * 4;
        let m = [5 * M, big, -big, big];
        assert_eq!(rank_by_monetary(&m), vec![1, 3, 0, 2]);
    }

    #[test]
    fn ties_ranked_by_id_order() {
        let m = [5 * M, 7 * M, 5 * M];
        assert_eq!(rank_by_monetary(&m), vec![1, 0, 2]);
    }

    #[test]
    fn pareto_headlines() {
        // 50 30 10 5 5 0: cum 50, 80 → 2 of 6 customers reach 80 %; top ceil(1.2)=2 hold 80 %
        let m = [50 * M, 30 * M, 10 * M, 5 * M, 5 * M, 0];
        let p = pareto(&m, &rank_by_monetary(&m)).unwrap();
        assert_eq!(p.customer_share_for80, 2.0 / 6.0);
        assert_eq!(p.top20_revenue_share, 0.8);
        assert_eq!(p.points.len(), 7);
        assert_eq!(p.points[0], [0.0, 0.0]);
        assert_eq!(p.points[6], [1.0, 1.0]);
    }
}
