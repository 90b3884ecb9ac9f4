//! Segments (SPEC §4): the classic Chinese eight classes (`cn8`) and the 11-segment grid (`rfm11`).

use crate::ingest::money::Money;
use crate::options::{Cn8Split, SegmentRule};
use serde::Serialize;

/// A segment name in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    /// English name (CSV default).
    pub en: &'static str,
    /// Chinese name (`labels: "zh"`).
    pub zh: &'static str,
}

/// `cn8` classes indexed by (R high, F high, M high) as bits `r<<2 | f<<1 | m`.
pub const CN8: [Name; 8] = [
    Name {
        en: "General Win-back",
        zh: "一般挽留客户",
    }, // 000
    Name {
        en: "Important Win-back",
        zh: "重要挽留客户",
    }, // 001
    Name {
        en: "General Retention",
        zh: "一般保持客户",
    }, // 010
    Name {
        en: "Important Retention",
        zh: "重要保持客户",
    }, // 011
    Name {
        en: "General Development",
        zh: "一般发展客户",
    }, // 100
    Name {
        en: "Important Development",
        zh: "重要发展客户",
    }, // 101
    Name {
        en: "General Value",
        zh: "一般价值客户",
    }, // 110
    Name {
        en: "Important Value",
        zh: "重要价值客户",
    }, // 111
];

/// `cn8` classes in the order of the SPEC table (for summaries).
pub const CN8_ORDER: [usize; 8] = [7, 5, 3, 1, 6, 4, 2, 0];

/// The 11 `rfm11` segments, in display order.
pub const RFM11: [Name; 11] = [
    Name {
        en: "Champions",
        zh: "冠军客户",
    },
    Name {
        en: "Loyal Customers",
        zh: "忠诚客户",
    },
    Name {
        en: "Potential Loyalist",
        zh: "潜力忠诚客户",
    },
    Name {
        en: "New Customers",
        zh: "新客户",
    },
    Name {
        en: "Promising",
        zh: "有潜力客户",
    },
    Name {
        en: "Need Attention",
        zh: "需要关注客户",
    },
    Name {
        en: "About To Sleep",
        zh: "即将沉睡客户",
    },
    Name {
        en: "At Risk",
        zh: "流失风险客户",
    },
    Name {
        en: "Can't Lose Them",
        zh: "不能失去的客户",
    },
    Name {
        en: "Hibernating",
        zh: "休眠客户",
    },
    Name {
        en: "Lost",
        zh: "已流失客户",
    },
];

/// The grid: rows R = 5 … 1, columns FM = 5 … 1, values index [`RFM11`].
const GRID: [[usize; 5]; 5] = [
    [0, 0, 1, 2, 3],  // R 5
    [0, 1, 2, 2, 4],  // R 4
    [1, 1, 2, 5, 4],  // R 3
    [7, 7, 5, 5, 6],  // R 2
    [8, 8, 7, 9, 10], // R 1
];

/// FM = round half up of (F + M) / 2.
pub fn fm_score(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

/// The `rfm11` segment (index into [`RFM11`]) for scores on a 1…5 scale.
pub fn rfm11(r: u8, fm: u8) -> Option<usize> {
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

/// The `cn8` class index (into [`CN8`]): F high ⇔ frequency > split, M high ⇔ monetary > split,
/// R high ⇔ recency < split (equality is low).
pub fn cn8(recency: i128, frequency: i128, monetary: Money, s: &[Split; 3]) -> usize {
    use std::cmp::Ordering::{Greater, Less};
    let r = (s[0].compare(recency) == Less) as usize;
    let f = (s[1].compare(frequency) == Greater) as usize;
    let m = (s[2].compare(monetary) == Greater) as usize;
    r << 2 | f << 1 | m
}

/// Name of the custom segment of customers no rule matches.
pub const OTHERS: Name = Name {
    en: "Others",
    zh: "其他",
};

/// True when `score` lies in the inclusive `range` (a missing range matches any score).
fn within(range: Option<[u8; 2]>, score: u8) -> bool {
    range.is_none_or(|[lo, hi]| lo <= score && score <= hi)
}

/// Index of the first custom rule (SPEC §4) matching the scores, or `None` (`Others`). Without an
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
        let name = |r, fm| RFM11[rfm11(r, fm).unwrap()].en;
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
        assert_eq!(CN8[cn8(10, 3, 150, &s)].en, "Important Value");
        // equal to the mean is low on every dimension
        assert_eq!(CN8[cn8(20, 2, 100, &s)].en, "General Win-back");
        assert_eq!(CN8[cn8(30, 1, 101, &s)].en, "Important Win-back");
        let med = Split::of(&[1, 2, 4, 10], Cn8Split::Median);
        assert_eq!(med.value(), 3.0);
    }
}
