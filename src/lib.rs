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

pub mod actions;
pub mod blocks;
pub mod churn;
pub mod clock;
pub mod dates;
pub mod error;
pub mod facts;
pub mod grade;
pub mod ingest;
pub mod lifecycle;
pub mod money;
pub mod options;
pub mod report;
pub mod score;
pub mod segment;
pub mod stream;
pub mod tokenize;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Result, TierwiseError};
pub use options::Options;
pub use report::{Analysis, CustomerRow, Summary};
pub use stream::{Analyzer, Decisions, Finish, Progress};

/// Runs the whole pipeline: ingest, facts as of the analysis date, scores, segments, grades, churn
/// flags, lifecycle stages and the summary. Fails only when nothing usable is left (see
/// [`TierwiseError`]); bad rows are reported in `summary.input.rejected`.
pub fn analyze(bytes: &[u8], opts: &Options) -> Result<Analysis> {
    let mut a = Analyzer::new(opts.clone())?;
    a.push(bytes)?;
    match a.finish_pass()? {
        stream::Finish::Done(analysis) => Ok(*analysis),
        stream::Finish::Rerun(decisions) => {
            // the whole file disagreed with its head: read it again with the whole-file decisions
            let mut b = Analyzer::with_decisions(opts.clone(), decisions)?;
            b.push(bytes)?;
            b.finish()
        }
    }
}
