//! The data-quality report of the ingest stage: rows read, used, rejected (with reasons and
//! examples) and excluded, the detected layout, columns and date format (see `docs/input.md`).

use crate::labels::Reason;
use crate::messages::Message;
use serde::Serialize;
use std::collections::BTreeMap;

/// Examples kept per rejection reason.
pub const MAX_EXAMPLES: usize = 20;

/// Characters of a value from the file shown in a rejection example or message; a longer value is
/// cut and ends with `…` (a field may hold up to a MiB of text: `docs/input.md#limits`).
pub const MAX_SHOWN_CHARS: usize = 200;

/// A number of bytes as written in messages: `64 KiB`, `1 MiB`, else `N bytes`.
pub(crate) fn size_label(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// A value from the file as shown in a rejection: lossy UTF-8, at most [`MAX_SHOWN_CHARS`]
/// characters (then `…`). Looks at no more bytes than it needs, whatever the value's length.
pub(crate) fn shown(raw: &[u8]) -> String {
    // (a character takes at most 4 bytes, and a bad byte becomes one U+FFFD)
    let head = &raw[..raw.len().min(4 * MAX_SHOWN_CHARS + 4)];
    let text = String::from_utf8_lossy(head);
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None if head.len() < raw.len() => format!("{text}…"),
        None => text.into_owned(),
    }
}

/// One rejected-row example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectExample {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// Column name (or `column N` without a header); `None` for whole-row problems.
    pub column: Option<String>,
    /// The raw value.
    pub value: String,
    /// The reason code.
    pub reason: String,
    /// A readable message, e.g. `row 12: could not parse amount "1,2,3"`.
    pub message: String,
    /// The same message, coded ([`Message::AtRow`]).
    #[serde(rename = "messageCode")]
    pub message_code: Message,
}

/// Count and first examples for one reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectStat {
    /// Rows rejected for this reason.
    pub count: u64,
    /// Up to [`MAX_EXAMPLES`] examples, in file order.
    pub examples: Vec<RejectExample>,
}

/// Rows that are valid but left out of the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Excluded {
    /// Rows dated after the analysis date.
    pub after_analysis_date: u64,
    /// Returns dropped by `returns: "ignore"`.
    pub ignored_returns: u64,
    /// Returns of customers with no order up to the analysis date (`returns: "net"`).
    pub returns_without_purchase: u64,
    /// Rows left out by `options.filter` (listed nowhere else).
    pub filtered_out: u64,
}

/// A title row skipped above the header.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TitleRow {
    /// Row number as a spreadsheet shows it.
    pub row: u64,
    /// Its non-empty fields joined with a space, cut to 200 characters.
    pub text: String,
}

/// Where each role was found: header name, or 0-based index without a header.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnsReport {
    /// Customer id column.
    pub customer: Option<serde_json::Value>,
    /// Date column.
    pub date: Option<serde_json::Value>,
    /// Amount column.
    pub amount: Option<serde_json::Value>,
    /// Quantity column.
    pub quantity: Option<serde_json::Value>,
    /// Unit price column.
    pub unit_price: Option<serde_json::Value>,
    /// Order id column.
    pub order: Option<serde_json::Value>,
    /// Category column.
    pub category: Option<serde_json::Value>,
    /// Signal columns.
    pub signals: Vec<serde_json::Value>,
    /// Dimension columns (`columns.dimensions`).
    pub dimensions: Vec<serde_json::Value>,
}

/// How the date column was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateFormatReport {
    /// The date column (name or index).
    pub column: serde_json::Value,
    /// The format pattern, e.g. `YYYY-MM-DD` or `M/D/YYYY`.
    pub format: String,
    /// Month-first and day-first both fit every value.
    pub ambiguous: bool,
    /// Up to 5 distinct sample values.
    pub samples: Vec<String>,
    /// `mdy`, `dmy` or `ymd`; `null` for numeric formats.
    pub order: Option<String>,
}

/// Which sheet of a workbook was read (`input.workbook`, only when the input was a workbook).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkbookReport {
    /// `xlsx`, `xlsb`, `xls` or `ods`.
    pub format: String,
    /// The sheet read.
    pub sheet: String,
    /// Every worksheet, in workbook order.
    pub sheets: Vec<String>,
}

/// The data-quality part of the summary (`input`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputReport {
    /// Records after the header (blank lines not counted).
    pub rows: u64,
    /// Rows contributing to some analysed customer (filled in by the facts step).
    pub used: u64,
    /// Encoding used to decode the bytes.
    pub encoding: String,
    /// `,` `;` `\t` `|` or `whitespace`.
    pub delimiter: String,
    /// Whether the file has a header row.
    pub header: bool,
    /// The header's row number as a spreadsheet shows it (1 unless title rows come first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    /// Title rows skipped above the header (a report title, an export date): row and text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub title_rows: Vec<TitleRow>,
    /// Role → column.
    pub columns: ColumnsReport,
    /// How dates were read.
    pub date_format: Option<DateFormatReport>,
    /// Reason → count and examples (only reasons that occurred).
    pub rejected: BTreeMap<String, RejectStat>,
    /// Valid rows left out.
    pub excluded: Excluded,
    /// The sheet read, when the input was a workbook (set by the caller that converted it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workbook: Option<WorkbookReport>,
}

impl InputReport {
    /// Total rejected rows over all reasons.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().map(|r| r.count).sum()
    }

    /// Counts a rejected row under `reason` and keeps it as an example while there are fewer than
    /// [`MAX_EXAMPLES`].
    pub fn reject(
        &mut self,
        reason: Reason,
        row: u32,
        column: Option<String>,
        value: &str,
        problem: Message,
    ) {
        let stat = self.rejected.entry(reason.code().to_string()).or_default();
        stat.count += 1;
        if stat.examples.len() < MAX_EXAMPLES {
            let coded = Message::AtRow {
                row,
                problem: Box::new(problem),
            };
            stat.examples.push(RejectExample {
                row,
                column,
                value: shown(value.as_bytes()),
                reason: reason.code().to_string(),
                message: coded.en(),
                message_code: coded,
            });
        }
    }
}

/// What ingest hands to the report besides the per-customer facts.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    /// Data-quality report.
    pub report: InputReport,
    /// An amount (or quantity × unit price) is mapped.
    pub has_amount: bool,
    /// An order id column is mapped.
    pub has_order: bool,
    /// Non-fatal problems worth telling the user.
    pub warnings: Vec<Message>,
}

/// The message when no row is valid: the counts per reason with the first example.
pub fn nothing_usable_message(r: &InputReport) -> Message {
    if r.rows == 0 {
        return Message::HeaderOnly;
    }
    let mut reasons = Vec::new();
    for &reason in Reason::ALL {
        if let Some(s) = r.rejected.get(reason.code()) {
            let named = Box::new(Message::reason(reason));
            reasons.push(match s.examples.first() {
                Some(e) => Message::RejectedWithExample {
                    count: s.count,
                    reason: named,
                    first: Box::new(e.message_code.clone()),
                },
                None => Message::RejectedCount {
                    count: s.count,
                    reason: named,
                },
            });
        }
    }
    Message::NoValidRow {
        rows: r.rows,
        reasons,
    }
}
