//! Converts one sheet of a workbook file to CSV on standard output, timing the steps on standard error
//! (for profiling the conversion alone):
//!
//! ```text
//! cargo run --release -p tierwise-workbook --example convert_file -- BOOK.xlsx [SHEET] > sheet.csv
//! ```

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: convert_file BOOK [SHEET]")?;
    let sheet = args.next().map(|s| match s.parse() {
        Ok(i) => tierwise_workbook::SheetRef::Index(i),
        Err(_) => tierwise_workbook::SheetRef::Name(s),
    });
    let bytes = std::fs::read(&path)?;
    let t0 = std::time::Instant::now();
    let wb = tierwise_workbook::open(&bytes, &tierwise_workbook::Limits::default())?;
    let t1 = t0.elapsed();
    let c = wb.convert(sheet.as_ref())?;
    let t2 = t0.elapsed();
    std::io::stdout().write_all(&c.csv)?;
    eprintln!(
        "open {:.3}s, convert {:.3}s, {} bytes of CSV from sheet \"{}\"",
        t1.as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        c.csv.len(),
        c.sheet
    );
    Ok(())
}
