//! The holdout check per customer as CSV (`docs/models.md#holdout-per-customer`): for each customer
//! of the calibration cohort (a first purchase on or before the cut), the calibration history the
//! model was fitted on, the repeat purchases the calibration fit predicts for the holdout period, and
//! the purchases that happened in it. The totals and the tracking curve are in
//! `summary.model.holdout`; this file is what lets a consultant look at (or re-add) the customers.

use super::csv::{starts_a_formula, CsvFormat, RecordWriter};
use super::Analysis;
use crate::calendar::write_day;

/// The header of the holdout CSV, in column order.
///
/// - `customer_id`: as in `customers.csv` (a cell that would start a formula is prefixed with `'`);
/// - `first_date`: the first purchase day (`YYYY-MM-DD`, on or before the cut);
/// - `calibration_repeat_purchases`: x, the repeat purchase days up to the cut;
/// - `calibration_last_date`: the last purchase day up to the cut;
/// - `holdout_purchases`: purchase days after the cut, up to the analysis date (the actual);
/// - `predicted_holdout_purchases`: the calibration fit's expected purchases over the same period
///   (empty where the model's series did not settle, which the summary reports).
pub const HOLDOUT_COLUMNS: [&str; 6] = [
    "customer_id",
    "first_date",
    "calibration_repeat_purchases",
    "calibration_last_date",
    "holdout_purchases",
    "predicted_holdout_purchases",
];

impl Analysis {
    /// There is a per-customer holdout comparison: `model.holdout` was set, the models are fitted
    /// and the check was computed (`summary.model.holdout` has no `notComputed`).
    pub fn has_holdout(&self) -> bool {
        self.holdout_actual.len() == self.rows.len() && !self.rows.is_empty()
    }

    /// Customers in the holdout CSV: the calibration cohort (0 without a check).
    pub fn holdout_customers(&self) -> usize {
        if !self.has_holdout() {
            return 0;
        }
        self.holdout_actual.iter().filter(|v| v.is_finite()).count()
    }
}

/// Writes the holdout CSV (UTF-8 with BOM, [`HOLDOUT_COLUMNS`], rows in customer-id order, the
/// calibration cohort only) with `format`'s delimiter and decimal separator. Returns `Ok(false)`
/// and writes nothing when the analysis has no computed holdout check ([`Analysis::has_holdout`]).
pub fn write_holdout_csv(
    a: &Analysis,
    format: CsvFormat,
    mut out: impl std::io::Write,
) -> std::io::Result<bool> {
    if !a.has_holdout() {
        return Ok(false);
    }
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = RecordWriter::new(out, format.delimiter);
    for name in HOLDOUT_COLUMNS {
        w.field(name.as_bytes());
    }
    w.end_record()?;
    let mut field = Vec::with_capacity(64);
    let number = |v: f64, field: &mut Vec<u8>| {
        use std::io::Write;
        field.clear();
        if v.is_finite() {
            let _ = write!(field, "{v}");
            if format.decimal_comma {
                for b in field.iter_mut().filter(|b| **b == b'.') {
                    *b = b',';
                }
            }
        }
    };
    for (i, r) in a.rows.iter().enumerate() {
        let actual = a.holdout_actual[i];
        if !actual.is_finite() || r.cal_days == 0 {
            continue; // not in the calibration cohort (a first purchase after the cut)
        }
        field.clear();
        field.extend_from_slice(a.ids.bytes(r.id));
        if starts_a_formula(&field) {
            field.insert(0, b'\'');
        }
        w.field(&field);
        field.clear();
        write_day(&mut field, r.first_day);
        w.field(&field);
        w.number(itoa::Buffer::new().format(r.cal_days - 1).as_bytes());
        field.clear();
        write_day(&mut field, r.cal_last);
        w.field(&field);
        number(actual, &mut field);
        w.number(&field);
        number(
            a.holdout_predicted.get(i).copied().unwrap_or(f64::NAN),
            &mut field,
        );
        w.number(&field);
        w.end_record()?;
    }
    w.finish()?;
    Ok(true)
}

/// The holdout CSV in memory (`None` without a computed check); see [`write_holdout_csv`].
pub fn holdout_csv(a: &Analysis, format: CsvFormat) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(64 + a.rows.len() * 48);
    // writing to a Vec cannot fail
    match write_holdout_csv(a, format, &mut out) {
        Ok(true) => Some(out),
        _ => None,
    }
}
