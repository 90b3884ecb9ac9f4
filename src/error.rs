//! The one error type of the core. Every message is lower-case, specific, and carries its cause, so
//! the CLI can print it on one line and the wasm edge can hand it to JavaScript as an `Error`; its
//! [`TierwiseError::message`] carries the code and parameters, so a page can show it in Chinese.

use crate::messages::Message;

/// A fatal problem: the run cannot produce any result. Row-level problems are never fatal; they are
/// collected in the rejection report instead (see [`crate::ingest::InputReport`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TierwiseError {
    /// The input has no bytes, or only whitespace.
    EmptyFile,
    /// The bytes could not be decoded in the requested or detected encoding.
    Decode(Message),
    /// A required role has no column.
    MissingColumn {
        /// Which role.
        role: RequiredRole,
        /// What the file has instead ([`Message::FoundColumns`] or [`Message::FoundNoHeader`]).
        found: Message,
    },
    /// `options.columns` names a column that is not in the file.
    BadColumnOption {
        /// The role key in `options.columns`.
        role: String,
        /// What is wrong.
        problem: Message,
    },
    /// No row survived validation.
    NothingUsable(Message),
    /// The file is not a text table ([`Message::NotATable`]).
    NotATable(Message),
    /// The file goes past a documented bound (see `docs/input.md#limits`).
    Limit(Message),
    /// A workbook whose sheet could not be read (see `docs/input.md#workbooks`): the message of
    /// the workbook reader (`no_such_sheet`, `empty_sheet`, `workbook_encrypted`, …).
    Workbook(Message),
    /// The file's first row cannot be read, so neither can its header: it does not end within the
    /// first MiB, or it opens a quote that is never closed ([`Message::FirstRowTooLong`],
    /// [`Message::FirstRowUnclosedQuote`]).
    Unreadable(Message),
    /// The options object is invalid; the message names the key.
    Options {
        /// Dotted path of the offending key, e.g. `rfm.bins`.
        key: String,
        /// What is wrong with it.
        problem: Message,
    },
}

/// The roles every file must have a column for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequiredRole {
    /// The customer id.
    Customer,
    /// The date.
    Date,
}

impl TierwiseError {
    /// The whole error as a coded message (its English rendering is the error's text).
    pub fn message(&self) -> Message {
        match self {
            TierwiseError::EmptyFile => Message::EmptyFile,
            TierwiseError::Decode(m) => Message::DecodeFailed {
                detail: Box::new(m.clone()),
            },
            TierwiseError::MissingColumn { role, found } => {
                let found = Box::new(found.clone());
                match role {
                    RequiredRole::Customer => Message::NoCustomerColumn { found },
                    RequiredRole::Date => Message::NoDateColumn { found },
                }
            }
            TierwiseError::BadColumnOption { role, problem } => Message::BadColumnOption {
                role: role.clone(),
                problem: Box::new(problem.clone()),
            },
            TierwiseError::Limit(m) | TierwiseError::Workbook(m) | TierwiseError::Unreadable(m) => {
                m.clone()
            }
            TierwiseError::NotATable(what) => Message::NotATable {
                what: Box::new(what.clone()),
            },
            TierwiseError::NothingUsable(m) => Message::NothingUsable {
                detail: Box::new(m.clone()),
            },
            TierwiseError::Options { key, problem } => Message::InvalidOption {
                key: key.clone(),
                problem: Box::new(problem.clone()),
            },
        }
    }
}

impl std::fmt::Display for TierwiseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en())
    }
}

impl std::error::Error for TierwiseError {}

/// Shorthand used throughout the core.
pub type Result<T> = std::result::Result<T, TierwiseError>;
