//! Segments (`docs/segments.md`): the classic Chinese eight classes (`cn8`) and the 11-segment grid (`rfm11`).

use crate::analytics::score::{Scores, Values};
use crate::ingest::money::Money;
use crate::labels::{Cn8, Rfm11};
use crate::messages::Message;
use crate::options::{Cn8Split, Options, Preset, ScoreMode, SegmentRule};
use serde::Serialize;

/// The grid: rows R = 5 … 1, columns FM = 5 … 1.
const GRID: [[Rfm11; 5]; 5] = {
    use Rfm11::*;
    [
        [
            Champions,
            Champions,
            LoyalCustomers,
            PotentialLoyalist,
            NewCustomers,
        ], // R 5
        [
            Champions,
            LoyalCustomers,
            PotentialLoyalist,
            PotentialLoyalist,
            Promising,
        ], // R 4
        [
            LoyalCustomers,
            LoyalCustomers,
            PotentialLoyalist,
            NeedAttention,
            Promising,
        ], // R 3
        [AtRisk, AtRisk, NeedAttention, NeedAttention, AboutToSleep], // R 2
        [CantLoseThem, CantLoseThem, AtRisk, Hibernating, Lost],      // R 1
    ]
};

/// FM = round half up of (F + M) / 2.
pub fn fm_score(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

/// The `rfm11` segment for scores on a 1…5 scale.
pub fn rfm11(r: u8, fm: u8) -> Option<Rfm11> {
    if !(1..=5).contains(&r) || !(1..=5).contains(&fm) {
        return None;
    }
    Some(GRID[(5 - r) as usize][(5 - fm) as usize])
}

/// The split values of `cn8` as doubled exact values (2 × mean would not be exact, so mean is kept
/// as `sum / n` and compared by cross-multiplication; the median as twice its value).
#[derive(Debug, Clone, Copy)]
pub enum Split {
    /// Mean as a fraction `sum / n`.
    Mean {
        /// Sum of the values.
        sum: i128,
        /// Count.
        n: i128,
    },
    /// Twice the median.
    Median2(i128),
}

impl Split {
    /// Builds the split of `values` (non-empty).
    pub fn of(values: &[i128], how: Cn8Split) -> Split {
        match how {
            Cn8Split::Mean => Split::Mean {
                sum: values.iter().sum(),
                n: values.len() as i128,
            },
            Cn8Split::Median => {
                let mut v = values.to_vec();
                v.sort_unstable();
                let n = v.len();
                let m2 = if n == 0 {
                    0
                } else if n % 2 == 1 {
                    2 * v[n / 2]
                } else {
                    v[n / 2 - 1] + v[n / 2]
                };
                Split::Median2(m2)
            }
        }
    }
    /// Compares `x` with the split: `Less`, `Equal` or `Greater`.
    pub fn compare(&self, x: i128) -> std::cmp::Ordering {
        match *self {
            Split::Mean { sum, n } => (x * n).cmp(&sum),
            Split::Median2(m2) => (2 * x).cmp(&m2),
        }
    }
    /// The split as a float in the value's unit, for the summary.
    pub fn value(&self) -> f64 {
        match *self {
            Split::Mean { sum, n } => sum as f64 / n.max(1) as f64,
            Split::Median2(m2) => m2 as f64 / 2.0,
        }
    }
}

/// The `cn8` class: F high ⇔ frequency > split, M high ⇔ monetary > split, R high ⇔ recency <
/// split (equality is low).
pub fn cn8(recency: i128, frequency: i128, monetary: Money, s: &[Split; 3]) -> Cn8 {
    use std::cmp::Ordering::{Greater, Less};
    Cn8::of(
        s[0].compare(recency) == Less,
        s[1].compare(frequency) == Greater,
        s[2].compare(monetary) == Greater,
    )
}

/// True when `score` lies in the inclusive `range` (a missing range matches any score).
fn within(range: Option<[u8; 2]>, score: u8) -> bool {
    range.is_none_or(|[lo, hi]| lo <= score && score <= hi)
}

/// Index of the first custom rule (`docs/segments.md`) matching the scores, or `None` (`Others`). Without an
/// amount column (`m` is `None`) the rules' `m` ranges are not checked.
pub fn custom(rules: &[SegmentRule], r: u8, f: u8, m: Option<u8>) -> Option<usize> {
    rules.iter().position(|rule| {
        within(rule.r, r) && within(rule.f, f) && m.is_none_or(|m| within(rule.m, m))
    })
}

/// One score combination in a lint report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combination {
    /// Recency score.
    pub r: u8,
    /// Frequency score.
    pub f: u8,
    /// Monetary score (absent when the rules are checked without an amount).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub m: Option<u8>,
    /// The rules that cover it, by name (empty for a gap).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// What the custom-rule linter found: every score combination no rule covers (its customers become
/// `Others`) and every one that two or more rules cover (the first one wins, silently).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleLint {
    /// Score combinations checked (k_r × k_f × k_m).
    pub combinations: u64,
    /// Combinations no rule covers.
    pub uncovered: Vec<Combination>,
    /// Combinations two or more rules cover, with those rules in order.
    pub overlaps: Vec<Combination>,
}

impl RuleLint {
    /// True when the rules cover every combination exactly once.
    pub fn is_clean(&self) -> bool {
        self.uncovered.is_empty() && self.overlaps.is_empty()
    }
}

/// Checks custom rules against every score combination: scores 1 … `bins[d]` per dimension, with
/// `bins[2] == None` to check R and F only (no amount column).
pub fn lint(rules: &[SegmentRule], bins: [Option<u8>; 3]) -> RuleLint {
    let kr = bins[0].unwrap_or(5);
    let kf = bins[1].unwrap_or(5);
    let ms: Vec<Option<u8>> = match bins[2] {
        Some(km) => (1..=km).map(Some).collect(),
        None => vec![None],
    };
    let mut out = RuleLint {
        combinations: 0,
        uncovered: Vec::new(),
        overlaps: Vec::new(),
    };
    for r in 1..=kr {
        for f in 1..=kf {
            for &m in &ms {
                out.combinations += 1;
                let names: Vec<String> = rules
                    .iter()
                    .filter(|rule| {
                        within(rule.r, r)
                            && within(rule.f, f)
                            && m.is_none_or(|m| within(rule.m, m))
                    })
                    .map(|rule| rule.name.clone())
                    .collect();
                match names.len() {
                    0 => out.uncovered.push(Combination {
                        r,
                        f,
                        m,
                        rules: Vec::new(),
                    }),
                    1 => {}
                    _ => out.overlaps.push(Combination {
                        r,
                        f,
                        m,
                        rules: names,
                    }),
                }
            }
        }
    }
    out
}

/// Validates `rules` as `segments.rules` would be and lints them for `bins` scores per dimension
/// (3–10), with or without the monetary dimension: what the CLI's `lint-rules` and the wasm
/// `lintRules` run.
pub fn lint_checked(
    rules: Vec<SegmentRule>,
    bins: u8,
    with_amount: bool,
) -> crate::Result<RuleLint> {
    let mut o = crate::Options::default();
    o.rfm.bins = bins;
    o.segments.rules = rules;
    o.validate()?;
    Ok(lint(
        &o.segments.rules,
        [Some(bins), Some(bins), with_amount.then_some(bins)],
    ))
}

/// Every customer's segments under the presets and rules of `opts.segments` (see
/// `docs/segments.md`), with what the summary needs.
#[derive(Debug, Clone)]
pub struct Segments {
    /// `cn8` class per customer (`None` everywhere when the preset is off or there is no amount).
    pub cn8: Vec<Option<Cn8>>,
    /// The preset `cn8` is computed.
    pub cn8_on: bool,
    /// The recency, frequency and monetary splits of `cn8`.
    pub splits: [Split; 3],
    /// `rfm11` segment per customer.
    pub rfm11: Vec<Option<Rfm11>>,
    /// The preset `rfm11` is computed.
    pub rfm11_on: bool,
    /// Custom segment per customer: the first matching rule, or the number of rules for `Others`
    /// (`None` without rules).
    pub custom: Option<Vec<u8>>,
}

impl Segments {
    /// Assigns the segments; explains in `warnings` a preset that cannot be computed.
    pub fn assign(
        values: &Values,
        scores: &Scores,
        with_amount: bool,
        opts: &Options,
        warnings: &mut Vec<Message>,
    ) -> Segments {
        let n = values.recency.len();
        let rules = &opts.segments.rules;
        if !rules.is_empty() && !with_amount && rules.iter().any(|r| r.m.is_some()) {
            warnings.push(Message::CustomRulesWithoutAmount);
        }
        let presets = &opts.segments.presets;
        let cn8_on = presets.contains(&Preset::Cn8) && with_amount;
        let want_rfm11 = presets.contains(&Preset::Rfm11);
        if presets.contains(&Preset::Cn8) && !with_amount {
            warnings.push(Message::Cn8NeedsAmount);
        }
        // rfm11 is a grid of five scores per dimension
        let five = [&scores.r_cut, &scores.f_cut]
            .into_iter()
            .chain(scores.m_cut.as_ref())
            .all(|c| c.counts.len() == 5);
        let rfm11_on = want_rfm11 && five;
        if want_rfm11 && !five {
            warnings.push(if opts.rfm.mode == ScoreMode::Thresholds {
                Message::Rfm11NeedsFourThresholds
            } else {
                Message::Rfm11NeedsFiveBins {
                    bins: opts.rfm.bins,
                }
            });
        }
        if rfm11_on && !with_amount {
            warnings.push(Message::Rfm11WithoutAmount);
        }
        let how = opts.segments.cn8_split;
        let splits = [
            Split::of(&values.recency, how),
            Split::of(&values.frequency, how),
            Split::of(&values.monetary, how),
        ];
        let cn8_of = |i: usize| {
            cn8(
                values.recency[i],
                values.frequency[i],
                values.monetary[i],
                &splits,
            )
        };
        let cn8 = (0..n).map(|i| cn8_on.then(|| cn8_of(i))).collect();
        let rfm11 = (0..n)
            .map(|i| {
                if !rfm11_on {
                    return None;
                }
                let fm = match scores.m_of(i) {
                    Some(m) => fm_score(scores.f[i], m),
                    None => scores.f[i],
                };
                rfm11(scores.r[i], fm)
            })
            .collect();
        let custom = (!rules.is_empty()).then(|| {
            (0..n)
                .map(|i| {
                    custom(rules, scores.r[i], scores.f[i], scores.m_of(i)).unwrap_or(rules.len())
                        as u8
                })
                .collect()
        });
        Segments {
            cn8,
            cn8_on,
            splits,
            rfm11,
            rfm11_on,
            custom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, r: Option<[u8; 2]>, f: Option<[u8; 2]>, m: Option<[u8; 2]>) -> SegmentRule {
        SegmentRule {
            name: name.into(),
            r,
            f,
            m,
        }
    }

    #[test]
    fn custom_rules_first_match_wins() {
        let rules = [
            rule("Top", Some([4, 5]), Some([4, 5]), None),
            rule("Recent", Some([4, 5]), None, None),
            rule("Big", None, None, Some([5, 5])),
        ];
        assert_eq!(custom(&rules, 5, 4, Some(1)), Some(0)); // Top (also Recent): first wins
        assert_eq!(custom(&rules, 4, 1, Some(5)), Some(1)); // Recent (also Big)
        assert_eq!(custom(&rules, 2, 2, Some(5)), Some(2)); // Big
        assert_eq!(custom(&rules, 3, 3, Some(3)), None); // Others
                                                         // without an amount the m range is not checked: Big matches anything
        assert_eq!(custom(&rules, 1, 1, None), Some(2));
    }

    #[test]
    fn lint_finds_gaps_and_overlaps_by_hand() {
        // k = 3 for R and F, no M: 9 combinations. "High" covers R 3 × F 1–3; "Low" covers R 1–2 × F 1;
        // "Mid" covers R 2–3 × F 2. Gaps: (1,2) (1,3) (2,3). Overlaps: (3,2) High + Mid.
        let rules = [
            rule("High", Some([3, 3]), None, None),
            rule("Low", Some([1, 2]), Some([1, 1]), None),
            rule("Mid", Some([2, 3]), Some([2, 2]), None),
        ];
        let l = lint(&rules, [Some(3), Some(3), None]);
        assert_eq!(l.combinations, 9);
        let gaps: Vec<(u8, u8)> = l.uncovered.iter().map(|c| (c.r, c.f)).collect();
        assert_eq!(gaps, vec![(1, 2), (1, 3), (2, 3)]);
        assert_eq!(l.overlaps.len(), 1);
        assert_eq!((l.overlaps[0].r, l.overlaps[0].f), (3, 2));
        assert_eq!(
            l.overlaps[0].rules,
            vec!["High".to_string(), "Mid".to_string()]
        );
        assert!(!l.is_clean());
        // one rule for everything is clean, with M too: 3 × 3 × 4 combinations
        let all = [rule("All", None, None, None)];
        let l = lint(&all, [Some(3), Some(3), Some(4)]);
        assert_eq!(l.combinations, 36);
        assert!(l.is_clean());
    }

    #[test]
    fn grid_cells_from_spec_table() {
        let name = |r, fm| rfm11(r, fm).unwrap().en();
        assert_eq!(name(5, 5), "Champions");
        assert_eq!(name(5, 3), "Loyal Customers");
        assert_eq!(name(5, 1), "New Customers");
        assert_eq!(name(4, 1), "Promising");
        assert_eq!(name(3, 2), "Need Attention");
        assert_eq!(name(2, 1), "About To Sleep");
        assert_eq!(name(2, 5), "At Risk");
        assert_eq!(name(1, 4), "Can't Lose Them");
        assert_eq!(name(1, 3), "At Risk");
        assert_eq!(name(1, 2), "Hibernating");
        assert_eq!(name(1, 1), "Lost");
        assert_eq!(rfm11(0, 3), None);
    }

    #[test]
    fn fm_rounds_half_up() {
        assert_eq!(fm_score(4, 5), 5);
        assert_eq!(fm_score(1, 2), 2);
        assert_eq!(fm_score(3, 3), 3);
    }

    #[test]
    fn cn8_uses_strict_comparisons() {
        // recency mean 20, frequency mean 2, monetary mean 100 (in the same units)
        let s = [
            Split::Mean { sum: 60, n: 3 },
            Split::Mean { sum: 6, n: 3 },
            Split::Mean { sum: 300, n: 3 },
        ];
        assert_eq!(cn8(10, 3, 150, &s).en(), "Important Value");
        // equal to the mean is low on every dimension
        assert_eq!(cn8(20, 2, 100, &s).en(), "General Win-back");
        assert_eq!(cn8(30, 1, 101, &s).en(), "Important Win-back");
        let med = Split::of(&[1, 2, 4, 10], Cn8Split::Median);
        assert_eq!(med.value(), 3.0);
    }
}
