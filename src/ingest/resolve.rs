//! Date resolution at the end of a pass: settles a month-first/day-first column on the whole
//! file, turns the rows the losing reading cannot read into `bad_date` rejections, and writes the
//! summary's date format.

use crate::ingest::columns::Plan;
use crate::ingest::dates::DateFormat;
use crate::ingest::quality::DateFormatReport;
use crate::ingest::rows::Acc;
use crate::labels::Reason;
use crate::messages::Message;

/// Settles a month-first/day-first column on the whole file, turns rows the losing reading cannot
/// read into `bad_date` rejections, and writes the summary's `dateFormat`. True when the other
/// month/day reading won.
pub(crate) fn resolve_dates(plan: &Plan, acc: &mut Acc, warnings: &mut Vec<Message>) -> bool {
    let mut format = plan.date_format;
    let mut ambiguous = false;
    let mut switched = false;
    if let Some(alt) = plan.alt_format {
        ambiguous = acc.primary_only == 0 && acc.alt_only == 0;
        let use_alt = plan.switchable && acc.alt_only > acc.primary_only;
        if use_alt {
            format = alt;
            switched = true;
            for (e, a) in acc.events.iter_mut().zip(acc.alt_days.iter()) {
                e.day = *a;
            }
        }
        // rows the winning reading cannot read
        let misses = if use_alt {
            &acc.alt_misses
        } else {
            &acc.primary_misses
        };
        // (with a forced order those rows were rejected as they were read). Counted from the events:
        // `primary_only` / `alt_only` also count rows with a bad amount, which are deferred and
        // rejected once below, not here.
        let before = acc.events.len();
        // (the dimension values run parallel to the events: compacted the same way)
        let (mut from, mut to) = (0usize, 0usize);
        let dims = &mut acc.dims;
        acc.events.retain(|e| {
            let keep = e.day != i32::MIN;
            if keep {
                if let Some(d) = dims.as_mut() {
                    d.shift(from, to);
                }
                to += 1;
            }
            from += 1;
            keep
        });
        if let Some(d) = dims.as_mut() {
            d.truncate(to);
        }
        let count = (before - acc.events.len()) as u64;
        if count > 0 {
            for (row, v) in misses {
                acc.report.reject(
                    Reason::BadDate,
                    *row as u32,
                    Some(plan.label(plan.date)),
                    v,
                    Message::UnparsableDate {
                        value: v.clone(),
                        format: format.label(),
                    },
                );
            }
            if let Some(stat) = acc.report.rejected.get_mut("bad_date") {
                stat.count += count - misses.len() as u64;
            }
        }
        // (past the first MAX_EXAMPLES of a kind, deferred rows were only counted: examples full)
        for (kind, &more) in acc.deferred_more.iter().enumerate() {
            if more > 0 {
                let reason = if (kind == 1) != use_alt {
                    Reason::BadAmount
                } else {
                    Reason::BadDate
                };
                acc.report
                    .rejected
                    .entry(reason.code().to_string())
                    .or_default()
                    .count += more;
            }
        }
        for d in std::mem::take(&mut acc.deferred) {
            let fits = d.primary_fits != use_alt;
            if fits {
                acc.report.reject(
                    Reason::BadAmount,
                    d.row as u32,
                    Some(d.amount_column),
                    &d.amount_value,
                    d.amount_message,
                );
            } else {
                let msg = Message::UnparsableDate {
                    value: d.date_value.clone(),
                    format: format.label(),
                };
                acc.report.reject(
                    Reason::BadDate,
                    d.row as u32,
                    Some(plan.label(plan.date)),
                    &d.date_value,
                    msg,
                );
            }
        }
        for stat in acc.report.rejected.values_mut() {
            stat.examples.sort_by_key(|e| e.row);
        }
        acc.alt_days = Vec::new();
    }
    let order = match format {
        DateFormat::Mdy(_) => Some("mdy"),
        DateFormat::Dmy(_) => Some("dmy"),
        f if f.is_numeric() => None,
        _ => Some("ymd"),
    };
    let samples: Vec<String> = plan
        .date_samples
        .iter()
        .filter(|v| format.parse(v).is_some())
        .take(5)
        .cloned()
        .collect();
    if ambiguous {
        warnings.push(Message::AmbiguousDates {
            column: plan.label(plan.date),
            example: samples.first().cloned().unwrap_or_default(),
            reading: Box::new(if order == Some("dmy") {
                Message::DayFirst
            } else {
                Message::MonthFirst
            }),
        });
    }
    acc.report.date_format = Some(DateFormatReport {
        column: acc
            .report
            .columns
            .date
            .clone()
            .unwrap_or(serde_json::Value::Null),
        format: format.label(),
        ambiguous,
        samples,
        order: order.map(str::to_string),
    });
    switched
}
