//! The rows as read, as CSV (`tierwise rows`, `docs/input.md#the-rows-as-read-tierwise-rows`): one
//! record per valid row of an analysis started with [`crate::Analyzer::tap_rows`], in file order,
//! for a database or another engine rather than for Excel. UTF-8 without a byte-order mark, `\n`
//! line ends, RFC 4180 quoting where needed ([`RecordWriter`]); no cell is guarded against Excel's
//! formulas (the customers CSV's leading `'`), so that every value comes back exactly as read.

use super::csv::RecordWriter;
use super::Analysis;
use crate::calendar::write_day;
use crate::ingest::money::write_money;
use crate::ingest::tap::RowField;

/// Writes [`Analysis::rows_read`] as CSV: a header of the columns' names as `summary.input.columns`
/// gives them ([`crate::ingest::tap::RowsRead::names`]), then one record per row: the customer id,
/// the day as `YYYY-MM-DD`, the order id, the numbers as plain decimals with a point (up to 6
/// decimals, no trailing zeros, no thousands separators), the category, and `true` or `false` per
/// signal column. Returns `Ok(false)` and writes nothing when the analysis did not tap its rows.
pub fn write_rows_csv(a: &Analysis, out: impl std::io::Write) -> std::io::Result<bool> {
    let Some(rows) = &a.rows_read else {
        return Ok(false);
    };
    let mut w = RecordWriter::new(out, b',');
    for name in &rows.names {
        w.field(name.as_bytes());
    }
    w.end_record()?;
    let mut cell = Vec::with_capacity(48);
    for r in rows.iter() {
        for f in &rows.fields {
            cell.clear();
            let number = match *f {
                RowField::Customer => {
                    w.field(r.customer);
                    continue;
                }
                RowField::Order => {
                    w.field(r.order);
                    continue;
                }
                RowField::Category => {
                    w.field(r.category);
                    continue;
                }
                RowField::Text(k) => {
                    w.field(r.dims.get(k).copied().unwrap_or_default());
                    continue;
                }
                RowField::Signal(k) => {
                    let on = r.signals.get(k).copied().unwrap_or(false);
                    w.number(if on { b"true" } else { b"false" });
                    continue;
                }
                RowField::Date => {
                    write_day(&mut cell, r.day);
                    w.number(&cell);
                    continue;
                }
                RowField::Amount => r.amount,
                RowField::Quantity => r.quantity,
                RowField::UnitPrice => r.unit_price,
            };
            if let Some(v) = number {
                write_money(&mut cell, v);
            }
            w.number(&cell);
        }
        w.end_record()?;
    }
    w.finish()?;
    Ok(true)
}
