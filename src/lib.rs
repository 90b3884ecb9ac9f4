//! tierwise: customer value grading (客户分级), RFM scoring, churn warnings and lifecycle stages.
pub mod dates;
pub mod error;
pub mod ingest;
pub mod money;
pub mod options;
pub mod facts;
pub mod score;
