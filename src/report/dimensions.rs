//! The summary's `dimensions` (`docs/outputs.md#summarydimensions`): per mapped dimension column,
//! its values with their customers, revenue, and customers (and revenue) per segment and grade — the
//! breakdown of the segment and grade tables by country, channel, store or salesperson.
//!
//! Built as JSON values (the shape is documented in `docs/outputs.md` and typed as
//! `DimensionSummary` in `src/wasm/types.d.ts`): the serialisers of `serde_json::Value` are in the
//! wasm module already, so the breakdown adds little code to it.

use crate::facts::dims::DimensionColumn;
use crate::facts::{CustomerFacts, NONE};
use crate::ingest::dims::EMPTY;
use crate::ingest::money::{to_f64, Money};
use crate::labels::{ladder_name_zh, Abc, Cn8, Rfm11};
use crate::options::{Labels, Options};
use serde_json::{Map, Value};

/// Most values listed per dimension; the others are summed in `omitted`.
pub const MAX_LISTED_VALUES: usize = 50;

/// Which groupings were computed (so that a key is present exactly when its table is).
pub(crate) struct Computed {
    pub(crate) rfm11: bool,
    pub(crate) cn8: bool,
    pub(crate) abc: bool,
    pub(crate) ladder: bool,
}

/// One grouping of the breakdown: whether it was computed, its key, whether it is a segment (else a
/// grade), its names in the label language, and each customer's group.
struct Grouping<'a> {
    on: bool,
    key: &'static str,
    segment: bool,
    names: Vec<String>,
    of: &'a dyn Fn(&CustomerFacts) -> Option<usize>,
}

/// The `dimensions` array of the summary for `dims` over the analysed customers (`rows`, with the
/// labels filled in).
pub(crate) fn summarize(
    dims: &[DimensionColumn],
    rows: &[CustomerFacts],
    has_amount: bool,
    computed: &Computed,
    opts: &Options,
) -> Value {
    let zh = opts.labels == Labels::Zh;
    let ladder_names: Vec<String> = opts
        .grades
        .ladder
        .iter()
        .map(|(n, _)| {
            if zh {
                ladder_name_zh(n).to_string()
            } else {
                n.clone()
            }
        })
        .collect();
    let groupings = [
        Grouping {
            on: computed.rfm11,
            key: "rfm11",
            segment: true,
            names: Rfm11::ALL.iter().map(|s| s.name(zh).to_string()).collect(),
            of: &|r| r.rfm11.map(Rfm11::index),
        },
        Grouping {
            on: computed.cn8,
            key: "cn8",
            segment: true,
            names: Cn8::ALL.iter().map(|s| s.name(zh).to_string()).collect(),
            of: &|r| r.cn8.map(Cn8::index),
        },
        Grouping {
            on: computed.abc,
            key: "abc",
            segment: false,
            names: Abc::ALL.iter().map(|g| g.code().to_string()).collect(),
            of: &|r| r.abc.map(Abc::index),
        },
        Grouping {
            on: computed.ladder,
            key: "ladder",
            segment: false,
            names: ladder_names,
            of: &|r| (r.ladder != NONE).then_some(r.ladder as usize),
        },
    ];
    let money = |m: Money| -> Value {
        if has_amount {
            Value::from(to_f64(m))
        } else {
            Value::Null
        }
    };
    let list = dims
        .iter()
        .map(|d| {
            // per value number (the customers without a value last): the rows' indexes
            let empty = d.values.len();
            let mut members: Vec<Vec<u32>> = vec![Vec::new(); empty + 1];
            for (i, r) in rows.iter().enumerate() {
                let v = d.of_id.get(r.id as usize).copied().unwrap_or(EMPTY);
                members[if v == EMPTY { empty } else { v as usize }].push(i as u32);
            }
            let bytes = |k: usize| -> &[u8] {
                if k == empty {
                    &[]
                } else {
                    d.values.bytes(k as u32)
                }
            };
            let mut order: Vec<usize> = (0..=empty).filter(|&k| !members[k].is_empty()).collect();
            // customers descending, then the value in code-point order
            order.sort_unstable_by(|&a, &b| {
                members[b]
                    .len()
                    .cmp(&members[a].len())
                    .then_with(|| bytes(a).cmp(bytes(b)))
            });
            let revenue =
                |m: &[u32]| -> Money { m.iter().map(|&i| rows[i as usize].monetary).sum() };
            let values: Vec<Value> = order
                .iter()
                .take(MAX_LISTED_VALUES)
                .map(|&k| {
                    let m = &members[k];
                    let mut segments = Map::new();
                    let mut grades = Map::new();
                    let mut segment_revenue = Map::new();
                    let mut grade_revenue = Map::new();
                    for g in groupings.iter().filter(|g| g.on) {
                        let mut counts = vec![0u64; g.names.len()];
                        let mut sums: Vec<Money> = vec![0; g.names.len()];
                        for &i in m {
                            let r = &rows[i as usize];
                            if let Some(x) = (g.of)(r).filter(|&x| x < counts.len()) {
                                counts[x] += 1;
                                sums[x] += r.monetary;
                            }
                        }
                        let (mut c, mut s) = (Map::new(), Map::new());
                        for (x, name) in g.names.iter().enumerate() {
                            if counts[x] > 0 {
                                c.insert(name.clone(), Value::from(counts[x]));
                                s.insert(name.clone(), money(sums[x]));
                            }
                        }
                        let (cm, sm) = if g.segment {
                            (&mut segments, &mut segment_revenue)
                        } else {
                            (&mut grades, &mut grade_revenue)
                        };
                        cm.insert(g.key.into(), Value::Object(c));
                        sm.insert(g.key.into(), Value::Object(s));
                    }
                    let mut v = Map::new();
                    v.insert(
                        "value".into(),
                        Value::from(String::from_utf8_lossy(bytes(k)).into_owned()),
                    );
                    v.insert("customers".into(), Value::from(m.len() as u64));
                    v.insert("revenue".into(), money(revenue(m)));
                    v.insert("segments".into(), Value::Object(segments));
                    v.insert("grades".into(), Value::Object(grades));
                    if has_amount {
                        v.insert("segmentRevenue".into(), Value::Object(segment_revenue));
                        v.insert("gradeRevenue".into(), Value::Object(grade_revenue));
                    }
                    Value::Object(v)
                })
                .collect();
            let rest = order.get(MAX_LISTED_VALUES..).unwrap_or(&[]);
            let mut omitted = Map::new();
            omitted.insert("values".into(), Value::from(rest.len() as u64));
            omitted.insert(
                "customers".into(),
                Value::from(rest.iter().map(|&k| members[k].len() as u64).sum::<u64>()),
            );
            omitted.insert(
                "revenue".into(),
                money(rest.iter().map(|&k| revenue(&members[k])).sum()),
            );
            let mut out = Map::new();
            out.insert("column".into(), Value::from(d.name.clone()));
            out.insert("index".into(), Value::from(d.index as u64));
            out.insert("values".into(), Value::Array(values));
            out.insert("omitted".into(), Value::Object(omitted));
            Value::Object(out)
        })
        .collect();
    Value::Array(list)
}
