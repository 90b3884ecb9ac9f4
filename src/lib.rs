//! tierwise: customer value grading (客户分级), RFM scoring, churn warnings and lifecycle stages,
//! computed from a transactions file.
//!
//! The core is plain Rust: [`analyze`] takes the file's bytes and an [`Options`] object and returns
//! an [`Analysis`] (per-customer rows sorted by id, and a summary). The `wasm` module (only on
//! `wasm32`) and the `tierwise` CLI are thin layers over it.
//!
//! ```
//! let csv = "customer_id,order_date,amount\nA,2024-01-01,10\nB,2024-01-05,20\nA,2024-01-09,5\n";
//! let a = tierwise::analyze(csv.as_bytes(), &tierwise::Options::default()).unwrap();
//! assert_eq!(a.summary.customers, 2);
//! assert_eq!(a.summary.analysis_date, "2024-01-09");
//! assert_eq!(a.rows[0].recency, 0); // days since A's last order
//! ```
//!
//! Streaming, with the second pass a file may need when its first MiB misled the decisions (the
//! README's example):
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::io::Read;
//!
//! /// Streams a file through the analyzer in 1 MiB chunks.
//! fn read_into(path: &str, mut a: tierwise::Analyzer) -> Result<tierwise::Analyzer, Box<dyn std::error::Error>> {
//!     let mut file = std::fs::File::open(path)?;
//!     let mut buf = vec![0u8; 1 << 20];
//!     loop {
//!         let n = file.read(&mut buf)?;
//!         if n == 0 { return Ok(a); }
//!         a.push(&buf[..n])?;
//!     }
//! }
//!
//! let opts = tierwise::Options::from_json(r#"{"labels": "zh"}"#)?;
//! let first = read_into("tests/fixtures/ingest/late_windows1252.csv", tierwise::Analyzer::new(opts.clone())?)?;
//! let analysis = match first.finish_pass()? {
//!     tierwise::Finish::Done(a) => *a,
//!     // ASCII for the first MiB, Windows-1252 bytes at the end: read it again, decoded as such
//!     tierwise::Finish::Rerun(decisions) => {
//!         let second = tierwise::Analyzer::with_decisions(opts, decisions)?;
//!         read_into("tests/fixtures/ingest/late_windows1252.csv", second)?.finish()?
//!     }
//! };
//! assert_eq!(analysis.summary.input.encoding, "windows-1252");
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod analytics;
mod analyzer;
pub(crate) mod calendar;
pub(crate) mod clock;
pub mod compare;
pub mod error;
pub mod facts;
pub mod ingest;
mod inspect;
pub mod labels;
pub mod messages;
pub mod model;
pub mod options;
pub mod report;
pub mod sql;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(not(target_arch = "wasm32"))]
pub mod workbook;

#[cfg(not(target_arch = "wasm32"))]
pub use analyzer::analyze_parallel;
pub use analyzer::{
    analyze, analyze_tapping_rows, in_two_passes, in_two_passes_in_ranges, range_starts,
    range_starts_with, ranges_can_merge, read_in_ranges, read_ranges, Analyzer, Decisions, Finish,
    Progress, RangePart, Refused, HEAD_BYTES, MIN_RANGE_BYTES,
};
pub use error::{Result, TierwiseError};
pub use inspect::{
    inspect, inspect_lenient, Inspection, PreviewRow, PREVIEW_CELL_CHARS, PREVIEW_ROWS,
};
pub use options::Options;
pub use report::{Analysis, CustomerRow, Summary};
