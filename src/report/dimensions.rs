//! The summary's `dimensions` (`docs/outputs.md#summarydimensions`): per mapped dimension column, its
//! values with their customers, revenue, and customers per segment and grade — the breakdown of the
//! segment and grade tables by country, channel, store or salesperson.

use crate::facts::dims::DimensionColumn;
use crate::facts::{CustomerFacts, NONE};
use crate::ingest::dims::EMPTY;
use crate::ingest::money::to_f64;
use crate::labels::ladder_name_zh;
use crate::options::{Labels, Options};
use serde::Serialize;
use std::collections::BTreeMap;

/// Most values listed per dimension; the others are summed in `omitted`.
pub const MAX_LISTED_VALUES: usize = 50;

/// Customers per label of one grouping (segment or grade name as the per-customer column holds
/// it → customers).
pub type LabelCounts = BTreeMap<String, u64>;

/// One value of a dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionValue {
    /// The value as in the file (trimmed); empty for the customers without one.
    pub value: String,
    /// Customers with this value.
    pub customers: u64,
    /// The sum of their monetary (`null` without an amount).
    pub revenue: Option<f64>,
    /// Customers per segment: `rfm11` and `cn8`, each only when computed.
    pub segments: BTreeMap<&'static str, LabelCounts>,
    /// Customers per grade: `abc` and `ladder`, each only when computed.
    pub grades: BTreeMap<&'static str, LabelCounts>,
    /// The revenue of the same cells as `segments` (absent without an amount).
    #[serde(rename = "segmentRevenue", skip_serializing_if = "BTreeMap::is_empty")]
    pub segment_revenue: BTreeMap<&'static str, LabelRevenue>,
    /// The revenue of the same cells as `grades` (absent without an amount).
    #[serde(rename = "gradeRevenue", skip_serializing_if = "BTreeMap::is_empty")]
    pub grade_revenue: BTreeMap<&'static str, LabelRevenue>,
}

/// Revenue per label (the sum of the customers' monetary).
pub type LabelRevenue = BTreeMap<String, f64>;

/// The values past [`MAX_LISTED_VALUES`], summed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Omitted {
    /// How many values were left out.
    pub values: u64,
    /// Their customers.
    pub customers: u64,
    /// Their revenue (`null` without an amount).
    pub revenue: Option<f64>,
}

/// One dimension column in the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionSummary {
    /// The column's name (header name, or `column N` without a header).
    pub column: String,
    /// Its 0-based position.
    pub index: usize,
    /// Values by customers, descending (ties by value in code-point order), at most
    /// [`MAX_LISTED_VALUES`].
    pub values: Vec<DimensionValue>,
    /// The values left out.
    pub omitted: Omitted,
}

/// A grouping of the breakdown: computed, a segment (not a grade), its key, the label of a customer.
type Grouping<'a> = (
    bool,
    bool,
    &'static str,
    &'a dyn Fn(&CustomerFacts) -> Option<String>,
);

/// Which groupings were computed (so that a map is present exactly when its table is).
pub(crate) struct Computed {
    pub(crate) rfm11: bool,
    pub(crate) cn8: bool,
    pub(crate) abc: bool,
    pub(crate) ladder: bool,
}

/// The summaries of `dims` over the analysed customers (`rows`, with the labels filled in).
pub(crate) fn summarize(
    dims: &[DimensionColumn],
    rows: &[CustomerFacts],
    has_amount: bool,
    computed: &Computed,
    opts: &Options,
) -> Vec<DimensionSummary> {
    let zh = opts.labels == Labels::Zh;
    dims.iter()
        .map(|d| {
            // per value number (EMPTY last): customers, revenue, and the rows' indexes
            let slot = |v: u32| {
                if v == EMPTY {
                    d.values.len()
                } else {
                    v as usize
                }
            };
            let mut members: Vec<Vec<u32>> = vec![Vec::new(); d.values.len() + 1];
            for (i, r) in rows.iter().enumerate() {
                let v = d.of_id.get(r.id as usize).copied().unwrap_or(EMPTY);
                members[slot(v)].push(i as u32);
            }
            let text = |k: usize| -> String {
                if k == d.values.len() {
                    String::new()
                } else {
                    d.values.text(k as u32).into_owned()
                }
            };
            let mut order: Vec<(usize, u64)> = members
                .iter()
                .enumerate()
                .filter(|(_, m)| !m.is_empty())
                .map(|(k, m)| (k, m.len() as u64))
                .collect();
            let bytes = |k: usize| -> &[u8] {
                if k == d.values.len() {
                    &[]
                } else {
                    d.values.bytes(k as u32)
                }
            };
            order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| bytes(a.0).cmp(bytes(b.0))));
            let revenue = |m: &[u32]| -> Option<f64> {
                has_amount.then(|| to_f64(m.iter().map(|&i| rows[i as usize].monetary).sum()))
            };
            let values = order
                .iter()
                .take(MAX_LISTED_VALUES)
                .map(|&(k, n)| {
                    let m = &members[k];
                    let mut segments = BTreeMap::new();
                    let mut grades = BTreeMap::new();
                    let mut segment_revenue = BTreeMap::new();
                    let mut grade_revenue = BTreeMap::new();
                    let count = |label: &dyn Fn(&CustomerFacts) -> Option<String>| {
                        let mut c = LabelCounts::new();
                        let mut r: BTreeMap<String, i128> = BTreeMap::new();
                        for &i in m {
                            let row = &rows[i as usize];
                            if let Some(l) = label(row) {
                                *r.entry(l.clone()).or_default() += row.monetary;
                                *c.entry(l).or_default() += 1;
                            }
                        }
                        let r: LabelRevenue = r.into_iter().map(|(k, v)| (k, to_f64(v))).collect();
                        (c, r)
                    };
                    let ladder_name = |r: &CustomerFacts| {
                        (r.ladder != NONE)
                            .then(|| opts.grades.ladder.get(r.ladder as usize))
                            .flatten()
                            .map(|(name, _)| {
                                if zh {
                                    ladder_name_zh(name).to_string()
                                } else {
                                    name.clone()
                                }
                            })
                    };
                    let groupings: [Grouping<'_>; 4] = [
                        (computed.rfm11, true, "rfm11", &|r| {
                            r.rfm11.map(|s| s.name(zh).to_string())
                        }),
                        (computed.cn8, true, "cn8", &|r| {
                            r.cn8.map(|s| s.name(zh).to_string())
                        }),
                        (computed.abc, false, "abc", &|r| {
                            r.abc.map(|g| g.code().to_string())
                        }),
                        (computed.ladder, false, "ladder", &ladder_name),
                    ];
                    for (on, is_segment, key, label) in groupings {
                        if !on {
                            continue;
                        }
                        let (c, r) = count(label);
                        let (counts, revenue) = if is_segment {
                            (&mut segments, &mut segment_revenue)
                        } else {
                            (&mut grades, &mut grade_revenue)
                        };
                        counts.insert(key, c);
                        if has_amount {
                            revenue.insert(key, r);
                        }
                    }
                    DimensionValue {
                        value: text(k),
                        customers: n,
                        revenue: revenue(m),
                        segments,
                        grades,
                        segment_revenue,
                        grade_revenue,
                    }
                })
                .collect();
            let rest = order.get(MAX_LISTED_VALUES..).unwrap_or(&[]);
            let omitted = Omitted {
                values: rest.len() as u64,
                customers: rest.iter().map(|x| x.1).sum(),
                revenue: has_amount.then(|| {
                    to_f64(
                        rest.iter()
                            .flat_map(|&(k, _)| members[k].iter())
                            .map(|&i| rows[i as usize].monetary)
                            .sum(),
                    )
                }),
            };
            DimensionSummary {
                column: d.name.clone(),
                index: d.index,
                values,
                omitted,
            }
        })
        .collect()
}
