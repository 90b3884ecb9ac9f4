//! Writes the hostile workbooks of `tests/common/hostile.rs` to a folder, for the memory
//! measurements of `docs/input.md#workbook-limits-and-memory` and as fuzz seeds:
//! `cargo run -p tierwise-workbook --example hostile -- DIR` (default `target/hostile`).

#[path = "../tests/common/hostile.rs"]
mod hostile;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/hostile".into());
    std::fs::create_dir_all(&dir)?;
    for (name, bytes, code) in hostile::all() {
        std::fs::write(std::path::Path::new(&dir).join(name), &bytes)?;
        println!("{name}\t{} bytes\t{code}", bytes.len());
    }
    let at = std::path::Path::new(&dir);
    // well-formed, small
    std::fs::write(at.join("orders.ods"), hostile::ods_orders())?;
    std::fs::write(at.join("orders.xls"), hostile::xls_orders())?;
    // at the bounds, not past them: read, taking the most memory the bounds allow
    std::fs::write(at.join("at-the-bound.ods"), hostile::ods_at_the_bound())?;
    std::fs::write(at.join("at-the-bound.xls"), hostile::xls_at_the_bound())?;
    Ok(())
}
