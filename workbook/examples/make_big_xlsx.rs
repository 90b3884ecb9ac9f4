//! Writes a large generated workbook for the benchmark of docs/input.md#workbooks (not committed):
//!
//! ```text
//! cargo run --release -p tierwise-workbook --example make_big_xlsx -- ROWS OUT.xlsx
//! ```
//!
//! One sheet "Orders" with a header and ROWS rows of five columns: `order_id` (text `O0000001` …),
//! `customer_id` (text, about ROWS / 5 customers), `order_date` (a date cell, 2022-01-01 … 2024-12-31),
//! `amount` (a number with two decimals, 1.00 … 500.00) and `category` (one of eight words).
//! Deterministic (xorshift, seed 42).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

fn main() -> Result<(), XlsxError> {
    let mut args = std::env::args().skip(1);
    let rows: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500_000);
    let out = args.next().unwrap_or_else(|| "orders-big.xlsx".into());
    let customers = (rows / 5).max(1);
    let categories = [
        "books", "music", "toys", "garden", "kitchen", "sports", "tools", "beauty",
    ];
    let mut seed: u64 = 42;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut wb = Workbook::new();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let start = ExcelDateTime::from_ymd(2022, 1, 1)?.to_excel();
    let ws = wb.add_worksheet();
    ws.set_name("Orders")?;
    for (c, h) in [
        "order_id",
        "customer_id",
        "order_date",
        "amount",
        "category",
    ]
    .iter()
    .enumerate()
    {
        ws.write(0, c as u16, *h)?;
    }
    for r in 1..=rows {
        let cust = next() % u64::from(customers);
        let offset = next() % 1096; // 2022-01-01 + 0 … 1095 days
        let cents = 100 + next() % 49_901;
        ws.write(r, 0, format!("O{r:07}"))?;
        ws.write(r, 1, format!("C{cust:06}"))?;
        ws.write_number_with_format(r, 2, start + offset as f64, &day)?;
        ws.write(r, 3, cents as f64 / 100.0)?;
        ws.write(r, 4, categories[(next() % 8) as usize])?;
    }
    wb.save(&out)?;
    eprintln!("wrote {out}: {rows} rows, up to {customers} customers");
    Ok(())
}
