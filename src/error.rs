//! The one error type of the core. Every message is lower-case, specific, and carries its cause, so
//! the CLI can print it on one line and the wasm edge can hand it to JavaScript as an `Error`.

use thiserror::Error;

/// A fatal problem: the run cannot produce any result. Row-level problems are never fatal; they are
/// collected in the rejection report instead (see [`crate::ingest::Rejections`]).
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TierwiseError {
    /// The input has no bytes, or only whitespace.
    #[error("the file is empty: expected a header row and transaction rows")]
    EmptyFile,
    /// The bytes could not be decoded in the requested or detected encoding.
    #[error("could not decode the file: {0}")]
    Decode(String),
    /// A required role (customer id or date) has no column.
    #[error("no {role} column found: expected {expected}; found {found}")]
    MissingColumn {
        /// The role, e.g. `customer id`.
        role: &'static str,
        /// What would have been recognised.
        expected: String,
        /// What the file has.
        found: String,
    },
    /// `options.columns` names a column that is not in the file.
    #[error("options.columns.{role}: {message}")]
    BadColumnOption {
        /// The role key in `options.columns`.
        role: String,
        /// What is wrong.
        message: String,
    },
    /// No row survived validation.
    #[error("no usable rows: {0}")]
    NothingUsable(String),
    /// The options object is invalid; the message names the key.
    #[error("invalid option {key}: {message}")]
    Options {
        /// Dotted path of the offending key, e.g. `rfm.bins`.
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Shorthand used throughout the core.
pub type Result<T> = std::result::Result<T, TierwiseError>;
