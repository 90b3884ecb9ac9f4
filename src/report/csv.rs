//! The per-customer CSV (see `docs/outputs.md#customerscsv`): UTF-8 with a BOM (so Excel opens
//! Chinese text correctly), `\n` line ends, RFC 4180 quoting where needed (by the `csv` crate), the
//! columns of [`Column::ALL`] in order. A cell of text that came from the file or the options (a
//! customer id, a custom segment or grade name, an action text, a dimension value) and that Excel would read as a
//! formula gets a leading apostrophe, so opening the CSV never runs anything.

use super::columns::Column;
use super::Analysis;

/// The columns whose text comes from the file or the options rather than from the core's own
/// vocabularies and numbers.
const FREE_TEXT: [Column; 5] = [
    Column::CustomerId,
    Column::SegmentCustom,
    Column::GradeLadder,
    Column::GradeAbsolute,
    Column::Action,
];

/// True when Excel would read the cell as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (the characters OWASP's CSV-injection guidance lists).
pub fn starts_a_formula(text: &[u8]) -> bool {
    matches!(
        text.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

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
    // (the dimension columns after the standard ones; none without columns.dimensions)
    let dim_keys = a.dimension_keys();
    let header = Column::ALL.iter().map(|c| c.csv().to_string());
    w.write_record(header.chain(dim_keys.iter().cloned()))?;
    let mut field = Vec::with_capacity(256);
    let guarded: Vec<bool> = Column::ALL.iter().map(|c| FREE_TEXT.contains(c)).collect();
    for i in 0..a.rows.len() {
        for (&col, &guard) in Column::ALL.iter().zip(&guarded) {
            field.clear();
            a.write_field(i, col, &mut field);
            if guard && starts_a_formula(&field) {
                field.insert(0, b'\'');
            }
            w.write_field(&field)?;
        }
        for col in &a.dimensions {
            field.clear();
            if let Some(r) = a.rows.get(i) {
                field.extend_from_slice(col.value_of(r.id));
            }
            if starts_a_formula(&field) {
                field.insert(0, b'\'');
            }
            w.write_field(&field)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}
