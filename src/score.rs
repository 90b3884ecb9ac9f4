//! RFM scores (SPEC §3), `quantile` mode: cut points c_1 … c_{k−1} are the type-7 quantiles at i/k
//! (linear interpolation, R's and numpy's default). F and M: score = 1 + #{c_i < value}; R: the same
//! bin with the label reversed, score = k − #{c_i < recency}. Tied values always share a score.
//!
//! Cut points are kept as exact rationals `num / k` over the values' integer units (days, counts,
//! millionths), so a value exactly on a cut point is placed the same on every machine.

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

#[cfg(test)]
mod tests {
    use super::*;

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
