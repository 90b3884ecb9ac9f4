//! Helpers shared by the workbook crate's tests.
pub mod hostile;
