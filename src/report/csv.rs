//! The per-customer CSV (see `docs/outputs.md#customerscsv`): UTF-8 with a BOM (so Excel opens
//! Chinese text correctly), `\n` line ends, RFC 4180 quoting where needed (by the `csv` crate), the
//! columns of [`Column::ALL`] in order.

use super::columns::Column;
use super::Analysis;

/// The whole CSV in memory.
pub fn write_csv(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + a.rows.len() * 200);
    // writing to a Vec cannot fail
    let _ = write_csv_to(a, &mut out);
    out
}

/// Streams the CSV (as [`write_csv`]) into any writer, without holding it in memory.
pub fn write_csv_to(a: &Analysis, mut out: impl std::io::Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(Column::ALL.iter().map(|c| c.csv()))?;
    let mut field = Vec::with_capacity(256);
    for i in 0..a.rows.len() {
        for &col in Column::ALL {
            field.clear();
            a.write_field(i, col, &mut field);
            w.write_field(&field)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}
