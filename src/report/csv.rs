//! The per-customer CSV (see `docs/outputs.md#customerscsv`): UTF-8 with a BOM (so Excel opens
//! Chinese text correctly), `\n` line ends, RFC 4180 quoting where needed ([`RecordWriter`]: exactly
//! where the `csv` crate quotes, which the tests read it back with), the columns of [`Column::ALL`] in
//! order. A cell of text that came from the file or the options (a
//! customer id, a custom segment or grade name, an action text, a dimension value) and that Excel would read as a
//! formula gets a leading apostrophe, so opening the CSV never runs anything.
//!
//! [`write_csv_with`] writes the same CSV in another [`CsvFormat`] (label language, delimiter,
//! decimal comma for European Excel) and for some customers only, in a given order.

use super::columns::{Column, ColumnType};
use super::Analysis;
use crate::options::Labels;

/// How a CSV is written (see `docs/outputs.md#exports-in-another-language-or-for-european-excel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvFormat {
    /// Language of the label columns and actions.
    pub labels: Labels,
    /// Field delimiter: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
    /// Write the numbers (frequency, money, model outputs) with a decimal comma instead of a point,
    /// as Excel in a decimal-comma locale (German, French, …) reads them as numbers.
    pub decimal_comma: bool,
}

impl CsvFormat {
    /// The format named by text settings, as `toCsvWith` and the CLI take them: `labels` `en` or
    /// `zh` (default: the analysis' own), `delimiter` `,` `;` or a tab (`\t` or `tab`; default `,`),
    /// `decimal` `.` or `,` (default `.`; `,` is refused with the `,` delimiter). `key` prefixes the
    /// setting's name in the error.
    pub fn parse(
        a: &Analysis,
        key: &str,
        labels: Option<&str>,
        delimiter: Option<&str>,
        decimal: Option<&str>,
    ) -> Result<CsvFormat, crate::TierwiseError> {
        let bad = |name: &str, allowed: &str, got: &str| crate::TierwiseError::Options {
            key: format!("{key}{name}"),
            problem: crate::messages::Message::NotOneOf {
                allowed: allowed.into(),
                got: format!("\"{got}\""),
            },
        };
        let labels = match labels {
            None => a.options.labels,
            Some("en") => Labels::En,
            Some("zh") => Labels::Zh,
            Some(x) => return Err(bad("labels", "\"en\", \"zh\"", x)),
        };
        let delimiter = match delimiter {
            None | Some(",") => b',',
            Some(";") => b';',
            Some("\t" | "\\t" | "tab") => b'\t',
            Some(x) => return Err(bad("delimiter", "\",\", \";\", \"\\t\"", x)),
        };
        let decimal_comma = match decimal {
            None | Some(".") => false,
            Some(",") if delimiter != b',' => true,
            Some(x) => {
                return Err(bad(
                    "decimal",
                    "\".\", or \",\" with a \";\" or tab delimiter",
                    x,
                ))
            }
        };
        Ok(CsvFormat {
            labels,
            delimiter,
            decimal_comma,
        })
    }

    /// The analysis' own format: its `labels` option, `,` and a decimal point ([`write_csv`]).
    pub fn of(a: &Analysis) -> CsvFormat {
        CsvFormat {
            labels: a.options.labels,
            delimiter: b',',
            decimal_comma: false,
        }
    }
}

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
pub fn write_csv_to(a: &Analysis, out: impl std::io::Write) -> std::io::Result<()> {
    write_csv_with(a, CsvFormat::of(a), None, out)
}

/// Streams the CSV in `format`, for the customers `rows` (indexes into [`Analysis::rows`], in the
/// order given; an index past the end is left out) or for every customer when `rows` is `None`.
/// With [`CsvFormat::of`] and `None` it is exactly [`write_csv_to`].
pub fn write_csv_with(
    a: &Analysis,
    format: CsvFormat,
    rows: Option<&[u32]>,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    write_csv_threads(a, format, rows, out, 1)
}

/// Customers formatted by one thread at a time in [`write_csv_threads`] (about 3 MiB of CSV).
const ROWS_PER_BLOCK: usize = 16 * 1024;

/// [`write_csv_with`] with the rows formatted on up to `threads` threads, a block of
/// 16,384 customers each, and written in order: the same bytes, with at most
/// `threads` blocks held at once. Native only (the browser has one thread per worker).
pub fn write_csv_threads(
    a: &Analysis,
    format: CsvFormat,
    rows: Option<&[u32]>,
    out: impl std::io::Write,
    threads: usize,
) -> std::io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = RecordWriter::new(out, format.delimiter);
    // (the dimension columns after the standard ones; none without columns.dimensions)
    let dim_keys = a.dimension_keys();
    for name in Column::ALL
        .iter()
        .map(|c| c.csv())
        .chain(dim_keys.iter().map(|k| k.as_str()))
    {
        w.field(name.as_bytes());
    }
    w.end_record()?;
    let n = a.rows.len();
    let every: Vec<u32>;
    let order = match rows {
        Some(r) => r,
        None => {
            every = (0..n as u32).collect();
            &every
        }
    };
    let rows = RowFormat::new(a, format);
    if threads < 2 || order.len() < 2 * ROWS_PER_BLOCK || cfg!(target_arch = "wasm32") {
        for &i in order {
            rows.write(i as usize, &mut w)?;
        }
        return w.finish();
    }
    // thread t formats blocks t, t + threads, … in order, each handed over through its own
    // one-place channel; this thread writes them in file order while the next ones are formatted
    let blocks: Vec<&[u32]> = order.chunks(ROWS_PER_BLOCK).collect();
    let threads = threads.min(blocks.len());
    std::thread::scope(|s| {
        let mut inbox = Vec::with_capacity(threads);
        for t in 0..threads {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
            inbox.push(rx);
            let (rows, blocks) = (&rows, &blocks);
            s.spawn(move || {
                for block in blocks.iter().skip(t).step_by(threads) {
                    let mut text = Vec::with_capacity(block.len() * 256);
                    let mut bw = RecordWriter::new(&mut text, format.delimiter);
                    for &i in block.iter() {
                        // (writing to a Vec cannot fail)
                        let _ = rows.write(i as usize, &mut bw);
                    }
                    let _ = bw.finish();
                    if tx.send(text).is_err() {
                        return; // the writer stopped (an error writing)
                    }
                }
            });
        }
        for k in 0..blocks.len() {
            let text = inbox[k % threads]
                .recv()
                .map_err(|_| std::io::Error::other("a CSV formatting thread stopped"))?;
            w.raw(&text)?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    w.finish()
}

/// How each customer's record is written: the per-column choices made once.
struct RowFormat<'a> {
    a: &'a Analysis,
    labels: Labels,
    /// Free text that could start a formula (guarded with a `'`).
    guarded: Vec<bool>,
    /// Decimal numbers written with a comma.
    comma: Vec<bool>,
    /// Numbers never hold a delimiter, a quote or a line break: no quoting to look for.
    numeric: Vec<bool>,
}

impl<'a> RowFormat<'a> {
    fn new(a: &'a Analysis, format: CsvFormat) -> RowFormat<'a> {
        RowFormat {
            a,
            labels: format.labels,
            guarded: Column::ALL.iter().map(|c| FREE_TEXT.contains(c)).collect(),
            // integers (recency, scores) have no decimal point to change; dates are text
            comma: Column::ALL
                .iter()
                .map(|c| format.decimal_comma && c.kind() == ColumnType::Float64)
                .collect(),
            numeric: Column::ALL
                .iter()
                .map(|c| c.kind() != ColumnType::Text)
                .collect(),
        }
    }

    /// Writes customer `i`'s record (nothing for an index past the end).
    fn write<W: std::io::Write>(&self, i: usize, w: &mut RecordWriter<W>) -> std::io::Result<()> {
        let a = self.a;
        let Some(r) = a.rows.get(i) else {
            return Ok(());
        };
        let mut field = Vec::with_capacity(64);
        for (((&col, &guard), &comma), &numeric) in Column::ALL
            .iter()
            .zip(&self.guarded)
            .zip(&self.comma)
            .zip(&self.numeric)
        {
            field.clear();
            a.write_field_in(i, col, self.labels, &mut field);
            if guard && starts_a_formula(&field) {
                field.insert(0, b'\'');
            }
            if comma {
                for b in field.iter_mut().filter(|b| **b == b'.') {
                    *b = b',';
                }
            }
            if numeric {
                w.number(&field);
            } else {
                w.field(&field);
            }
        }
        for col in &a.dimensions {
            field.clear();
            field.extend_from_slice(col.value_of(r.id));
            if starts_a_formula(&field) {
                field.insert(0, b'\'');
            }
            w.field(&field);
        }
        w.end_record()
    }
}

/// How much of the CSV is gathered before it is handed to the writer (one `write_all` per 64 KiB).
const FLUSH_BYTES: usize = 1 << 16;

/// Writes CSV records into one buffer handed to `out` in large pieces: fields separated by the
/// delimiter, a field quoted (with its quotes doubled) when it holds the delimiter, `"`, `\r` or `\n`
/// (RFC 4180; the fields the `csv` crate's `QuoteStyle::Necessary` quotes with a `\n` terminator), and
/// records ended by `\n`. No record of this CSV is a single empty field, the one case the `csv` crate
/// writes as `""`.
pub struct RecordWriter<W: std::io::Write> {
    out: W,
    buf: Vec<u8>,
    delimiter: u8,
    at_record_start: bool,
}

impl<W: std::io::Write> RecordWriter<W> {
    /// A writer of records separated by `delimiter` into `out`.
    pub fn new(out: W, delimiter: u8) -> Self {
        RecordWriter {
            out,
            buf: Vec::with_capacity(FLUSH_BYTES + 4096),
            delimiter,
            at_record_start: true,
        }
    }

    /// Appends one field of the current record.
    pub fn field(&mut self, text: &[u8]) {
        if !self.at_record_start {
            self.buf.push(self.delimiter);
        }
        self.at_record_start = false;
        let d = self.delimiter;
        if text
            .iter()
            .any(|&b| b == d || b == b'"' || b == b'\n' || b == b'\r')
        {
            self.buf.push(b'"');
            for &b in text {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(text);
        }
    }

    /// Appends one field of digits, signs and one decimal separator (a number as this CSV writes it,
    /// never quoted), without looking for characters that need quoting.
    pub fn number(&mut self, text: &[u8]) {
        debug_assert!(!text
            .iter()
            .any(|&b| b == self.delimiter || matches!(b, b'"' | b'\n' | b'\r')));
        if !self.at_record_start {
            self.buf.push(self.delimiter);
        }
        self.at_record_start = false;
        self.buf.extend_from_slice(text);
    }

    /// Ends the current record (and hands the buffer on once it is large).
    pub fn end_record(&mut self) -> std::io::Result<()> {
        self.buf.push(b'\n');
        self.at_record_start = true;
        if self.buf.len() >= FLUSH_BYTES {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Appends text that is already whole records (from another writer of the same format).
    pub fn raw(&mut self, records: &[u8]) -> std::io::Result<()> {
        debug_assert!(self.at_record_start);
        if self.buf.len() + records.len() > FLUSH_BYTES {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
            return self.out.write_all(records);
        }
        self.buf.extend_from_slice(records);
        Ok(())
    }

    /// Hands on what is left and flushes `out`.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }
}

// (native only: the csv crate and proptest are native dev-dependencies)
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::RecordWriter;
    use proptest::prelude::*;

    /// The records as the `csv` crate writes them (the writer this one replaced, and the reference the
    /// tests read the CSV back with): `QuoteStyle::Necessary`, `\n` terminator.
    fn by_csv_crate(records: &[Vec<Vec<u8>>], delimiter: u8) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn by_record_writer(records: &[Vec<Vec<u8>>], delimiter: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = RecordWriter::new(&mut out, delimiter);
        for r in records {
            for f in r {
                w.field(f);
            }
            w.end_record().unwrap();
        }
        w.finish().unwrap();
        out
    }

    #[test]
    fn quotes_like_the_csv_crate_one_case_per_special_byte() {
        // (delimiter, field, expected)
        let cases: [(u8, &[u8], &[u8]); 8] = [
            (b',', b"plain", b"plain,x\n"),
            (b',', b"a,b", b"\"a,b\",x\n"),
            (b',', b"say \"hi\"", b"\"say \"\"hi\"\"\",x\n"),
            (b',', b"two\nlines", b"\"two\nlines\",x\n"),
            (b',', b"cr\rhere", b"\"cr\rhere\",x\n"),
            (b',', b"a;b", b"a;b,x\n"),
            (b';', b"a;b", b"\"a;b\";x\n"),
            (b'\t', b"tab\there", b"\"tab\there\"\tx\n"),
        ];
        for (d, field, want) in cases {
            let records = vec![vec![field.to_vec(), b"x".to_vec()]];
            assert_eq!(
                by_record_writer(&records, d),
                want,
                "{:?}",
                String::from_utf8_lossy(field)
            );
            assert_eq!(by_csv_crate(&records, d), want);
        }
    }

    proptest! {
        #[test]
        fn same_bytes_as_the_csv_crate(
            records in prop::collection::vec(
                prop::collection::vec(
                    prop::collection::vec(prop::sample::select(vec![b'a', b'1', b' ', b',', b';', b'\t', b'"', b'\n', b'\r', b'\'', 0xe4]), 0..12),
                    2..6),
                0..20),
            delimiter in prop::sample::select(vec![b',', b';', b'\t']),
        ) {
            prop_assert_eq!(by_record_writer(&records, delimiter), by_csv_crate(&records, delimiter));
        }
    }
}
