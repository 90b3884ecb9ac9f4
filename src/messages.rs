//! Coded messages: every warning, rejection, "not fitted" reason and error the core can produce, each
//! with a stable machine code, its parameters, and an English and a Chinese template written once
//! here. The summary carries `{code, params}` beside the rendered English text; the page renders
//! each message in its language from the code with the catalog (`catalog()`, written by the CLI's
//! `tierwise catalog` into the wasm package as `catalog.js`; see `docs/outputs.md#messages`).
//!
//! A template names its parameters in braces (`{row}`); a parameter is text, an integer, another
//! message, or a list of messages (joined with `; ` in English and `；` in Chinese). Numbers that
//! need a particular format (decimals, exponents) are passed as text already formatted.

use crate::labels::Reason;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

/// One parameter value of a [`Message`].
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// Text shown as is (a column name, a value from the file, a formatted number).
    Text(String),
    /// An integer (a count, a row number).
    Int(i64),
    /// A message rendered in the same language.
    Msg(Box<Message>),
    /// Messages rendered in the same language and joined.
    List(Vec<Message>),
}

/// Conversion of a message field into a [`Param`].
trait ToParam {
    fn to_param(&self) -> Param;
}

impl ToParam for String {
    fn to_param(&self) -> Param {
        Param::Text(self.clone())
    }
}

impl ToParam for &'static str {
    fn to_param(&self) -> Param {
        Param::Text((*self).to_string())
    }
}

/// Integers a JavaScript number holds exactly (±2⁵³); larger ones are passed as text, so their
/// digits survive the trip to the page unchanged.
const EXACT_IN_JS: i64 = 1 << 53;

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param {
                match i64::try_from(*self) {
                    Ok(v) if (-EXACT_IN_JS..=EXACT_IN_JS).contains(&v) => Param::Int(v),
                    _ => Param::Text(self.to_string()),
                }
            }
        }
    )*};
}
int_param!(u8, u32, u64, usize, i32, i64);

impl ToParam for Box<Message> {
    fn to_param(&self) -> Param {
        Param::Msg(self.clone())
    }
}

impl ToParam for Vec<Message> {
    fn to_param(&self) -> Param {
        Param::List(self.clone())
    }
}

/// Defines [`Message`] with, per variant, its code and its English and Chinese templates.
macro_rules! messages {
    ($(
        $(#[$doc:meta])*
        $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $code:literal, $en:literal, $zh:literal;
    )+) => {
        /// A message of the core; see the module documentation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Message {
            $( $(#[$doc])* $variant $({ $(#[allow(missing_docs)] $field: $ty),* })? ),+
        }

        impl Message {
            /// Stable machine code.
            pub fn code(&self) -> &'static str {
                match self { $( Message::$variant { .. } => $code ),+ }
            }

            /// English and Chinese templates. The wasm module leaves the Chinese ones out (it
            /// renders English only; a page renders Chinese from the catalog the CLI writes), which
            /// keeps the module that every page load pays for small.
            fn templates(&self) -> (&'static str, &'static str) {
                match self {
                    $( Message::$variant { .. } => ($en, if cfg!(target_arch = "wasm32") { "" } else { $zh }) ),+
                }
            }

            /// The parameters by name, in declaration order.
            pub fn params(&self) -> Vec<(&'static str, Param)> {
                match self {
                    $( Message::$variant $({ $($field),* })? => vec![ $($( (stringify!($field), $field.to_param()) ),*)? ] ),+
                }
            }
        }

        /// Every code with its English and Chinese templates.
        #[cfg(not(target_arch = "wasm32"))]
        pub const CATALOG: &[(&str, &str, &str)] = &[ $( ($code, $en, $zh) ),+ ];
    };
}

messages! {
    // ---- fatal errors (the whole run fails) ------------------------------------------------
    /// The input has no bytes, or only whitespace.
    EmptyFile = "empty_file",
        "the file is empty: expected a header row and transaction rows",
        "文件为空：需要一行表头和若干交易行";
    /// `options.encoding` (or the CLI) named an encoding that does not exist.
    UnknownEncoding { label: String } = "unknown_encoding",
        "unknown encoding label \"{label}\"",
        "未知的编码名称“{label}”";
    /// The file could not be decoded.
    DecodeFailed { detail: Box<Message> } = "decode_failed",
        "could not decode the file: {detail}",
        "无法解码文件：{detail}";
    /// The file is not a text table (see `docs/input.md#fatal-errors`).
    NotATable { what: Box<Message> } = "not_a_table",
        "this file is not a table of transactions: it is {what}",
        "这个文件不是交易明细表：它是{what}";
    /// What a non-table file is: a ZIP archive.
    KindZip = "kind_zip",
        "a ZIP archive (an .xlsx or .ods workbook is one): this reads text tables; convert a workbook's sheet with the workbook module first (www/pkg-workbook, sheetToCsv; the page, its worker and the CLI do this themselves), or unpack an archive",
        "ZIP 压缩包（.xlsx 或 .ods 工作簿也是）：此处只读取文本表格；请先用工作簿模块转换工作表（www/pkg-workbook 的 sheetToCsv；网页、其 worker 和命令行工具会自动完成），或先解压压缩包";
    /// An old Excel workbook.
    KindXls = "kind_xls",
        "an old Excel workbook (.xls): this reads text tables; convert its sheet with the workbook module first (www/pkg-workbook, sheetToCsv; the page, its worker and the CLI do this themselves)",
        "旧版 Excel 工作簿（.xls）：此处只读取文本表格；请先用工作簿模块转换工作表（www/pkg-workbook 的 sheetToCsv；网页、其 worker 和命令行工具会自动完成）";
    /// A gzip file.
    KindGzip = "kind_gzip",
        "a gzip-compressed file: decompress it first",
        "gzip 压缩文件：请先解压";
    /// An image.
    KindImage = "kind_image",
        "an image: export the data as CSV",
        "图片：请把数据导出为 CSV";
    /// A PDF.
    KindPdf = "kind_pdf",
        "a PDF document: export the data from its source as CSV",
        "PDF 文档：请从数据来源导出 CSV";
    /// HTML or XML.
    KindMarkup = "kind_markup",
        "an HTML or XML document: export the table as CSV",
        "HTML 或 XML 文档：请把表格导出为 CSV";
    /// JSON.
    KindJson = "kind_json",
        "JSON: export the records as CSV",
        "JSON：请把记录导出为 CSV";
    /// UTF-32 text.
    KindUtf32 = "kind_utf32",
        "UTF-32 text, which is not read: save it as UTF-8",
        "UTF-32 文本，暂不支持：请另存为 UTF-8";
    /// UTF-16 text without a byte-order mark.
    KindUtf16 = "kind_utf16",
        "UTF-16 text without a byte-order mark: set options.encoding to \"utf-16le\" or \"utf-16be\", or save it as UTF-8",
        "没有字节顺序标记（BOM）的 UTF-16 文本：请把 options.encoding 设为 \"utf-16le\" 或 \"utf-16be\"，或另存为 UTF-8";
    /// The first row does not end within the first MiB (see `docs/input.md#limits`).
    FirstRowTooLong { limit: String } = "first_row_too_long",
        "the first row of the file does not end within its first {limit}, so its columns cannot be read: the file has no line breaks where its rows should end (save it again as CSV, one row per line), or its header row is longer than {limit} (remove the columns you do not need)",
        "文件的第一行在前 {limit} 内没有结束，无法读取各列：文件在每行结束处没有换行（请重新另存为每行一条记录的 CSV），或者表头行超过 {limit}（请删除不需要的列）";
    /// The first row opens a quote that is never closed.
    FirstRowUnclosedQuote { column: String, value: String, limit: String } = "first_row_unclosed_quote",
        "the first row of the file has a quote in {column} that is not closed within {limit} or before the end of the file (\"{value}\"), so its columns cannot be read: remove that quote, or write it twice (\"\") if it belongs to the text",
        "文件第一行的{column}中有一个引号在 {limit} 内或文件结束前都没有闭合（“{value}”），无法读取各列：请删除这个引号；如果它是文字的一部分，请写成两个（\"\"）";
    /// No column holds customer ids.
    NoCustomerColumn { found: Box<Message> } = "no_customer_column",
        "no customer id column found: expected a header such as CustomerID, customer_id, 客户ID, 客户编号 or 会员ID (or set options.columns.customer); found {found}",
        "未找到客户编号列：需要 CustomerID、customer_id、客户ID、客户编号 或 会员ID 这样的表头（或设置 options.columns.customer）；文件情况：{found}";
    /// No column holds dates.
    NoDateColumn { found: Box<Message> } = "no_date_column",
        "no date column found: expected a header such as InvoiceDate, order_date, 订单日期, 下单时间 or 交易日期, or a column of dates (or set options.columns.date); found {found}",
        "未找到日期列：需要 InvoiceDate、order_date、订单日期、下单时间 或 交易日期 这样的表头或一列日期（或设置 options.columns.date）；文件情况：{found}";
    /// What the file has, when a required column is missing: its header names.
    FoundColumns { columns: String } = "found_columns",
        "columns {columns}",
        "列为 {columns}";
    /// What the file has, when a required column is missing: no header.
    FoundNoHeader { width: usize } = "found_no_header",
        "no header row and {width} columns whose values were not recognised",
        "没有表头，{width} 列的值都无法识别";
    /// `options.columns.<role>` is wrong.
    BadColumnOption { role: String, problem: Box<Message> } = "bad_column_option",
        "options.columns.{role}: {problem}",
        "列选项 options.columns.{role} 有误：{problem}";
    /// A column index past the last column.
    ColumnIndexOutOfRange { index: usize, width: usize, last: usize } = "column_index_out_of_range",
        "column index {index} is out of range: the file has {width} columns (0 to {last})",
        "列序号 {index} 超出范围：文件共有 {width} 列（0 到 {last}）";
    /// A column name given for a file without a header.
    ColumnNameWithoutHeader { name: String } = "column_name_without_header",
        "column \"{name}\" not found: the file has no header row; use a 0-based index",
        "未找到列“{name}”：文件没有表头；请使用从 0 开始的列序号";
    /// A column name the header does not have.
    ColumnNotFound { name: String, header: String } = "column_not_found",
        "column \"{name}\" not found; the header has: {header}",
        "未找到列“{name}”；表头包含：{header}";
    /// No row survived validation.
    NothingUsable { detail: Box<Message> } = "nothing_usable",
        "no usable rows: {detail}",
        "没有可用的数据行：{detail}";
    /// A header and no data row.
    HeaderOnly = "header_only",
        "the file has a header row but no data rows",
        "文件只有表头，没有数据行";
    /// Every row was rejected.
    NoValidRow { rows: u64, reasons: Vec<Message> } = "no_valid_row",
        "none of the {rows} rows is valid: {reasons}",
        "{rows} 行都无效。{reasons}";
    /// Rows rejected for one reason, with the first example.
    RejectedWithExample { count: u64, reason: Box<Message>, first: Box<Message> } = "rejected_with_example",
        "{count} {reason} (first: {first})",
        "{reason}：{count} 行（第一例：{first}）";
    /// Rows rejected for one reason.
    RejectedCount { count: u64, reason: Box<Message> } = "rejected_count",
        "{count} {reason}",
        "{reason}：{count} 行";
    /// Every order is after the analysis date (or a return without a purchase).
    NoOrderUpToDate { date: String, after: u64, returns: u64 } = "no_order_up_to_date",
        "no customer has an order on or before the analysis date {date} ({after} rows after it, {returns} returns without a purchase)",
        "没有客户在分析日期 {date} 当天或之前下过单（{after} 行在该日期之后，{returns} 行是没有对应购买的退货）";
    /// A dimension index past the mapped dimensions (wasm `dimensionValues`).
    NoSuchDimension { index: String, count: usize } = "no_such_dimension",
        "no dimension {index}: the analysis has {count} dimension columns (0-based)",
        "没有第 {index} 个维度：本次分析共有 {count} 个维度列（从 0 开始计）";
    /// `options.filter` kept none of the rows.
    FilteredOutAll { rows: u64 } = "filtered_out_all",
        "options.filter kept none of the {rows} rows",
        "options.filter 过滤后没有剩下任何行（共 {rows} 行被过滤）";
    /// More distinct values in a dimension column than the bound.
    DimensionValuesCapped { column: String, max: usize } = "dimension_values_capped",
        "dimension column \"{column}\" has more than {max} distinct values: rows with further values count as empty",
        "维度列“{column}”的不同取值超过 {max} 个：其余取值的行按空值计";
    /// More customer ids than the documented bound.
    TooManyIds { max_ids: usize, max_mib: usize } = "too_many_ids",
        "the customer ids go past the limit of {max_ids} customers or {max_mib} MiB of id text: split the file (by period or region) and analyse the parts",
        "客户编号超过上限（{max_ids} 位客户或 {max_mib} MiB 的编号文本）：请把文件拆分（按时间段或地区）后分别分析";
    // ---- workbooks (the workbook crate, `workbook/src/error.rs`, carries the same codes and
    // English texts; `tests/workbook.rs` checks that they agree) --------------------------------
    /// A ZIP or OLE2 file that is no workbook.
    WorkbookNotRecognised = "workbook_not_recognised",
        "this file is not a workbook that tierwise reads (.xlsx, .xlsm, .xlsb, .xls, .ods): if it is an archive, unpack it and give the table inside",
        "这个文件不是 tierwise 能读取的工作簿（.xlsx、.xlsm、.xlsb、.xls、.ods）：如果是压缩包，请解压后提供其中的表格";
    /// A workbook encrypted with a password.
    WorkbookEncrypted { format: String } = "workbook_encrypted",
        "the workbook ({format}) is protected with a password: open it, remove the password or save the sheet as CSV UTF-8, and try again",
        "工作簿（{format}）设有密码保护：请打开它，取消密码或把工作表另存为 CSV UTF-8，然后重试";
    /// A damaged workbook (the reader's own words in `detail`).
    WorkbookUnreadable { format: String, detail: String } = "workbook_unreadable",
        "could not read the workbook ({format}): {detail}",
        "无法读取工作簿（{format}）：{detail}";
    /// A workbook with chart or macro sheets only.
    WorkbookNoSheets = "workbook_no_sheets",
        "the workbook has no worksheet (only charts or macros)",
        "工作簿中没有工作表（只有图表或宏）";
    /// `options.sheet` names no sheet.
    NoSuchSheet { sheet: String, sheets: String } = "no_such_sheet",
        "the workbook has no sheet \"{sheet}\"; its sheets are {sheets} (set options.sheet to a name or a 0-based index)",
        "工作簿中没有工作表“{sheet}”；现有工作表：{sheets}（请把 options.sheet 设为工作表名称或从 0 开始的序号）";
    /// `options.sheet` is an index past the last sheet.
    SheetIndexOutOfRange { index: u64, count: u64, last: u64, sheets: String } = "sheet_index_out_of_range",
        "sheet index {index} is out of range: the workbook has {count} sheets (0 to {last}): {sheets}",
        "工作表序号 {index} 超出范围：工作簿共有 {count} 个工作表（0 到 {last}）：{sheets}";
    /// The chosen sheet has no value.
    EmptySheet { sheet: String, sheets: String } = "empty_sheet",
        "sheet \"{sheet}\" is empty; the workbook's sheets are {sheets} (choose one with options.sheet)",
        "工作表“{sheet}”是空的；工作簿中的工作表：{sheets}（可用 options.sheet 选择）";
    /// A workbook past a bound of `docs/input.md#workbooks`.
    WorkbookTooLarge { what: Box<Message> } = "workbook_too_large",
        "the workbook is too large to read here: {what}; save the sheet as CSV UTF-8 (CSV files of any size are read in chunks) or split it",
        "工作簿太大，无法在此读取：{what}；请把工作表另存为 CSV UTF-8（任意大小的 CSV 文件都会分块读取）或拆分";
    /// Part of [`Message::WorkbookTooLarge`]: the file size.
    LimitFileBytes { size: String, max: String } = "limit_file_bytes",
        "the file is {size} MiB, over the limit of {max} MiB",
        "文件大小为 {size} MiB，超过上限 {max} MiB";
    /// Part of [`Message::WorkbookTooLarge`]: a part read whole.
    LimitPartBytes { part: String, size: String, max: String } = "limit_part_bytes",
        "its part {part} unpacks to {size} MiB, over the limit of {max} MiB",
        "其中的 {part} 解压后为 {size} MiB，超过上限 {max} MiB";
    /// Part of [`Message::WorkbookTooLarge`]: cells.
    LimitCells { max: u64 } = "limit_cells",
        "the sheet holds more than {max} cells (rows × columns up to the last used cell)",
        "工作表超过 {max} 个单元格（按行数 × 列数计算，直到最后一个有内容的单元格）";
    /// Part of [`Message::WorkbookTooLarge`]: the CSV text.
    LimitCsvBytes { max: String } = "limit_csv_bytes",
        "the sheet's text goes past {max} MiB",
        "工作表的文本超过 {max} MiB";
    /// Part of [`Message::WorkbookTooLarge`]: the cells of all sheets of an `.xls` or `.ods`
    /// (read whole), as the reader keeps them.
    LimitWorkbookCells { max: u64 } = "limit_workbook_cells",
        "its sheets together hold more than {max} cells as read (an .xls or .ods file is read whole: every sheet, up to its last used cell)",
        "其所有工作表读取后合计超过 {max} 个单元格（.xls 或 .ods 文件会整体读取：每个工作表都计算到最后一个有内容的单元格）";
    /// Part of [`Message::WorkbookTooLarge`]: the text of all sheets of an `.xls` or `.ods`.
    LimitWorkbookText { max: String } = "limit_workbook_text",
        "its sheets together hold more than {max} MiB of text as read (an .xls or .ods file is read whole)",
        "其所有工作表读取后的文本合计超过 {max} MiB（.xls 或 .ods 文件会整体读取）";
    /// Part of [`Message::WorkbookTooLarge`]: the number of sheets.
    LimitSheets { max: u64 } = "limit_sheets",
        "it has more than {max} sheets",
        "其中的工作表超过 {max} 个";
    /// Part of [`Message::WorkbookTooLarge`]: the unpacked size of the parts read.
    LimitUnpackedBytes { max: String } = "limit_unpacked_bytes",
        "its parts unpack to more than {max} MiB together",
        "其中读取的各部分解压后合计超过 {max} MiB";
    /// Part of [`Message::WorkbookTooLarge`]: the entries of the ZIP container.
    LimitParts { max: u64 } = "limit_parts",
        "it holds more than {max} parts",
        "其中包含的部件超过 {max} 个";

    /// An option is wrong.
    InvalidOption { key: String, problem: Box<Message> } = "invalid_option",
        "invalid option {key}: {problem}",
        "选项 {key} 无效：{problem}";
    /// An export setting (`toCsvWith`, the CLI's `--labels` / `--delimiter`) is not one of the allowed values.
    NotOneOf { allowed: String, got: String } = "not_one_of",
        "must be one of {allowed}, got {got}",
        "必须是 {allowed} 之一，实际为 {got}";
    /// `options.filter` reads a column that holds a typed role (a date, a number, a signal): the SQL
    /// export cannot compare a warehouse's typed value with the file's text.
    SqlFilterTypedColumn { column: String, role: String } = "sql_filter_typed_column",
        "the SQL export cannot filter on \"{column}\", the {role} column: a warehouse keeps it typed, not as the file's text (filter on a text column, or filter the table in a view)",
        "SQL 导出无法按“{column}”（{role} 列）筛选：数据仓库中该列是类型化的值，而不是文件中的文本（请按文本列筛选，或在视图中筛选表）";
    /// `toCsvWith({rows})` is not a `Uint32Array`.
    ExpectedCustomerIndexes = "expected_customer_indexes",
        "must be a Uint32Array of customer indexes",
        "必须是由客户序号组成的 Uint32Array";
    /// A customer index past the last customer.
    CustomerIndexOutOfRange { index: u64, customers: usize } = "customer_index_out_of_range",
        "customer index {index} is out of range: the analysis has {customers} customers",
        "客户序号 {index} 超出范围：本次分析共有 {customers} 位客户";
    /// `labelColumn` was asked for a column that is not a text column.
    NoTextColumn { name: String } = "no_text_column",
        "no text column named \"{name}\"",
        "没有名为“{name}”的文本列";
    /// The options JSON does not parse or has a wrong type or an unknown key (the parser's words).
    OptionSyntax { detail: String } = "option_syntax",
        "{detail}",
        "格式或类型不对（{detail}）";
    /// `analysisDate` is not `YYYY-MM-DD`.
    ExpectedIsoDate { got: String } = "expected_iso_date",
        "expected YYYY-MM-DD, got \"{got}\"",
        "应为 YYYY-MM-DD 格式，实际为“{got}”";
    /// `rfm.bins` out of range.
    BinsOutOfRange { got: String } = "bins_out_of_range",
        "must be between 3 and 10, got {got}",
        "必须在 3 到 10 之间，实际为 {got}";
    /// Thresholds mode without usable cut points.
    BadThresholds { got: String } = "bad_thresholds",
        "mode \"thresholds\" needs 1 to 9 increasing cut points, got {got}",
        "“thresholds”模式需要 1 到 9 个递增的分界点，实际为 {got}";
    /// `grades.abc` shares.
    BadAbcShares { a: String, b: String } = "bad_abc_shares",
        "need 0 < a < b <= 1, got [{a}, {b}]",
        "需要 0 < a < b <= 1，实际为 [{a}, {b}]";
    /// `grades.ladder` shares.
    BadLadderShare { name: String, share: String } = "bad_ladder_share",
        "cumulative shares must increase within (0, 1]; \"{name}\" has {share}",
        "累计占比必须在 (0, 1] 内递增；“{name}”为 {share}";
    /// `grades.absolute` order.
    AbsoluteNotDescending = "absolute_not_descending",
        "minimum spends must be given highest first",
        "最低消费额必须从高到低给出";
    /// `model.holdout`.
    BadHoldout { got: String, max: u32 } = "bad_holdout",
        "must be a number of time units from 1 to {max} or a date YYYY-MM-DD, got {got}",
        "必须是 1 到 {max} 的时间单位数或 YYYY-MM-DD 日期，实际为 {got}";
    /// `model.horizon`.
    BadHorizon { got: String } = "bad_horizon",
        "must be a number of time units ≥ 0, got {got}",
        "必须是 ≥ 0 的时间单位数，实际为 {got}";
    /// `model.discountRate`.
    BadDiscountRate { got: String } = "bad_discount_rate",
        "must be a monthly rate above −1 (0.01 = 1 %), got {got}",
        "必须是大于 −1 的月利率（0.01 = 1%），实际为 {got}";
    /// `churn.declineRatio`.
    BadDeclineRatio = "bad_decline_ratio",
        "must be in (0, 1]",
        "必须在 (0, 1] 内";
    /// `churn.overdueFactor`.
    NotPositive = "not_positive",
        "must be positive",
        "必须为正数";
    /// A day count beyond the documented bound.
    DaysOutOfRange { max: u32, got: u32 } = "days_out_of_range",
        "must be at most {max} days, got {got}",
        "最多 {max} 天，实际为 {got}";
    /// `compare` with the earlier date after the later one.
    CompareOrder { from: String, to: String } = "compare_order",
        "the first date {from} is after the second date {to}: give the earlier date first",
        "第一个日期 {from} 晚于第二个日期 {to}：请先给出较早的日期";
    /// A window of 0 days.
    EmptyWindow = "empty_window",
        "windows must be at least 1 day",
        "时间窗口至少为 1 天";
    /// Too many custom rules.
    TooManyRules { got: usize } = "too_many_rules",
        "at most 200 rules, got {got}",
        "最多 200 条规则，实际为 {got}";
    /// More dimension columns than the bound.
    TooManyDimensions { got: usize, max: usize } = "too_many_dimensions",
        "at most {max} dimension columns, got {got}",
        "最多 {max} 个维度列，实际为 {got}";
    /// A filter naming more columns than the bound.
    FilterTooManyColumns { got: usize, max: usize } = "filter_too_many_columns",
        "at most {max} columns, got {got}",
        "最多 {max} 列，实际为 {got}";
    /// A filter column with more values than the bound.
    FilterTooManyValues { column: String, got: usize, max: usize } = "filter_too_many_values",
        "column \"{column}\": at most {max} values, got {got}",
        "列“{column}”：最多 {max} 个取值，实际为 {got}";
    /// A filter column with an empty list of values.
    FilterNoValues { column: String } = "filter_no_values",
        "column \"{column}\": give at least one value to keep",
        "列“{column}”：请至少给出一个要保留的取值";
    /// A custom rule without a name.
    RuleWithoutName = "rule_without_name",
        "a rule needs a name",
        "规则需要一个名称";
    /// A rule range starting at 0.
    RuleScoreZero { rule: String, lo: u8, hi: u8 } = "rule_score_zero",
        "rule \"{rule}\": scores start at 1, got [{lo}, {hi}]",
        "规则“{rule}”：评分从 1 开始，实际为 [{lo}, {hi}]";
    /// A rule range with lo > hi.
    RuleRangeEmpty { rule: String, lo: u8, hi: u8 } = "rule_range_empty",
        "rule \"{rule}\": range [{lo}, {hi}] is empty",
        "规则“{rule}”：区间 [{lo}, {hi}] 为空";

    /// The wasm edge: options that are not a JSON object.
    OptionsNotObject = "options_not_object",
        "options must be a plain JSON object",
        "选项必须是普通的 JSON 对象";
    /// The wasm edge: a streaming analyzer used after `finish`.
    AnalyzerFinished = "analyzer_finished",
        "this analyzer has already finished",
        "此分析器已经结束";
    /// The wasm edge: custom rules that do not parse.
    InvalidRules { detail: String } = "invalid_rules",
        "invalid rules: {detail}",
        "规则无效：{detail}";
    /// The wasm edge: a result that could not be handed to JavaScript.
    EncodeFailed { what: String, detail: String } = "encode_failed",
        "could not encode the {what}: {detail}",
        "无法编码 {what}：{detail}";

    // ---- rejected rows -----------------------------------------------------------------------
    /// Rejection reason `malformed_row` (the English text is the reason's code).
    ReasonMalformedRow = "reason_malformed_row",
        "malformed_row",
        "格式错误（字段过多、引号未闭合或行过长）";
    /// Rejection reason `repeated_header`.
    ReasonRepeatedHeader = "reason_repeated_header",
        "repeated_header",
        "重复的表头";
    /// Rejection reason `missing_customer`.
    ReasonMissingCustomer = "reason_missing_customer",
        "missing_customer",
        "缺少客户编号";
    /// Rejection reason `bad_date`.
    ReasonBadDate = "reason_bad_date",
        "bad_date",
        "日期无效或缺失";
    /// Rejection reason `bad_amount`.
    ReasonBadAmount = "reason_bad_amount",
        "bad_amount",
        "金额无效或缺失";
    /// A rejection example: the row and what is wrong with it.
    AtRow { row: u32, problem: Box<Message> } = "at_row",
        "row {row}: {problem}",
        "第 {row} 行：{problem}";
    /// `malformed_row`: more fields than the header.
    FieldCount { fields: usize, width: usize } = "field_count",
        "{fields} fields where the header has {width}",
        "有 {fields} 个字段，而表头只有 {width} 个";
    /// `malformed_row`: a quote that is never closed (`docs/input.md#limits`).
    UnclosedQuote { value: String, limit: String } = "unclosed_quote",
        "quote not closed within {limit} or before the end of the file (\"{value}\"): the row is skipped up to the end of its line and reading goes on with the next line",
        "引号在 {limit} 内或文件结束前都没有闭合（“{value}”）：该行已跳过至行末，从下一行继续读取";
    /// `malformed_row`: a row longer than the bound (`docs/input.md#limits`).
    RowTooLong { bytes: u64, limit: String } = "row_too_long",
        "a row of {bytes} bytes, longer than {limit}: skipped up to the end of its line",
        "该行长 {bytes} 字节，超过 {limit}：已跳过至行末";
    /// `repeated_header`.
    HeaderRepeated = "header_repeated",
        "the header row repeated",
        "表头重复出现";
    /// `missing_customer`.
    EmptyCustomer = "empty_customer",
        "empty customer id",
        "客户编号为空";
    /// `bad_date`: empty.
    EmptyDate = "empty_date",
        "empty date",
        "日期为空";
    /// `bad_date`: not in the column's format.
    UnparsableDate { value: String, format: String } = "unparsable_date",
        "could not parse date \"{value}\" as {format}",
        "无法按 {format} 解析日期“{value}”";
    /// `bad_amount`: empty amount.
    EmptyAmount = "empty_amount",
        "empty amount",
        "金额为空";
    /// `bad_amount`: empty quantity.
    EmptyQuantity = "empty_quantity",
        "empty quantity",
        "数量为空";
    /// `bad_amount`: empty unit price.
    EmptyUnitPrice = "empty_unit_price",
        "empty unit price",
        "单价为空";
    /// `bad_amount`: not a number.
    UnparsableAmount { value: String } = "unparsable_amount",
        "could not parse amount \"{value}\"",
        "无法解析金额“{value}”";
    /// `bad_amount`: quantity not a number.
    UnparsableQuantity { value: String } = "unparsable_quantity",
        "could not parse quantity \"{value}\"",
        "无法解析数量“{value}”";
    /// `bad_amount`: unit price not a number.
    UnparsableUnitPrice { value: String } = "unparsable_unit_price",
        "could not parse unit price \"{value}\"",
        "无法解析单价“{value}”";
    /// `bad_amount`: beyond the representable range.
    AmountOutOfRange = "amount_out_of_range",
        "amount out of range",
        "金额超出范围";

    // ---- warnings ----------------------------------------------------------------------------
    /// Quantity or unit price without the other and without an amount.
    HalfAmount = "half_amount",
        "a quantity or unit price column was found without the other and without an amount: the analysis runs on R and F only",
        "只找到数量或单价中的一列，且没有金额列：分析只使用 R 和 F";
    /// No amount column.
    NoAmountColumn = "no_amount_column",
        "no amount column found: the analysis runs on recency and frequency only",
        "未找到金额列：分析只使用最近购买时间（R）和购买频次（F）";
    /// Bytes that are not valid in the encoding.
    DecodeErrors { encoding: String } = "decode_errors",
        "some bytes are not valid {encoding} and were replaced with U+FFFD; set options.encoding if the file uses another encoding",
        "部分字节不是有效的 {encoding}，已替换为 U+FFFD；如果文件使用其他编码，请设置 options.encoding";
    /// The encoding was guessed from few bytes (`docs/input.md#encodings`).
    EncodingGuessed { encoding: String, bytes: u64 } = "encoding_guessed",
        "the encoding {encoding} was guessed from only {bytes} bytes that are not ASCII: if names or other text look wrong, set options.encoding (for example \"gb18030\", \"big5\", \"shift_jis\", \"euc-kr\" or \"windows-1252\")",
        "文件编码 {encoding} 仅根据 {bytes} 个非 ASCII 字节推测得出：如果姓名等文字显示不对，请设置 options.encoding（例如 \"gb18030\"、\"big5\"、\"shift_jis\"、\"euc-kr\" 或 \"windows-1252\"）";
    /// The result follows the first MiB although the whole file disagrees.
    HeadOnlyResult { reasons: Vec<Message> } = "head_only_result",
        "{reasons}: this result follows the first MiB of the file; analyse it again from the start (tierwise does this itself when it can read the file twice)",
        "{reasons}：此结果依据文件的前 1 MiB；请从头重新分析（能读取文件两次时 tierwise 会自动这样做）";
    /// Part of [`Message::HeadOnlyResult`]: the encoding changes.
    LateEncoding { encoding: String } = "late_encoding",
        "the bytes of the whole file point to the encoding {encoding}, not to the one its first MiB suggested",
        "整个文件的字节显示其编码为 {encoding}，而不是前 1 MiB 所显示的编码";
    /// Part of [`Message::HeadOnlyResult`]: the date format changes.
    LateDateFormat { most: String, first: String } = "late_date_format",
        "most dates are {most} although the first rows are {first}",
        "大多数日期是 {most}，而前面的行是 {first}";
    /// Part of [`Message::HeadOnlyResult`]: the decimal separator changes.
    LateDecimalSeparator = "late_decimal_separator",
        "the decimal separator of a number column differs further down the file",
        "某个数字列的小数分隔符在文件后部不同";
    /// Month-first and day-first both fit every date.
    AmbiguousDates { column: String, example: String, reading: Box<Message> } = "ambiguous_dates",
        "dates in column \"{column}\" fit both month-first and day-first (e.g. {example}): read as {reading}; set options.dateOrder to change",
        "列“{column}”中的日期既可按月在前也可按日在前理解（例如 {example}）：已按{reading}读取；可通过 options.dateOrder 更改";
    /// Part of [`Message::AmbiguousDates`].
    DayFirst = "day_first",
        "day-first",
        "日在前";
    /// Part of [`Message::AmbiguousDates`].
    MonthFirst = "month_first",
        "month-first",
        "月在前";
    /// The latest date lies far after nearly every customer's last order.
    FarLatestDate { date: String, days: i64, count: usize, reference: String } = "far_latest_date",
        "the analysis date {date} (the latest date in the file) is {days} days after the last order of every customer but {count} ({reference}): if that date is a typing error, correct the row, or set options.analysisDate",
        "分析日期 {date}（文件中最晚的日期）比除 {count} 位以外所有客户的最后一次下单（{reference}）晚 {days} 天：如果该日期是录入错误，请更正该行，或设置 options.analysisDate";
    /// Custom rules with m ranges and no amount.
    CustomRulesWithoutAmount = "custom_rules_without_amount",
        "custom segment rules: there is no amount column, so their m ranges are not checked",
        "自定义分群规则：没有金额列，因此不检查其中的 m 区间";
    /// The preset `cn8` without an amount.
    Cn8NeedsAmount = "cn8_needs_amount",
        "cn8 needs an amount column: segment_cn8 is empty",
        "八类客户（cn8）需要金额列：segment_cn8 为空";
    /// `rfm11` in thresholds mode without four thresholds per dimension.
    Rfm11NeedsFourThresholds = "rfm11_needs_four_thresholds",
        "rfm11 needs five scores per dimension (four thresholds each): segment_rfm11 is empty",
        "rfm11 需要每个维度 5 个评分（各 4 个分界点）：segment_rfm11 为空";
    /// `rfm11` with bins other than 5.
    Rfm11NeedsFiveBins { bins: u8 } = "rfm11_needs_five_bins",
        "rfm11 is defined for rfm.bins = 5 only (got {bins}): segment_rfm11 is empty",
        "rfm11 只适用于 rfm.bins = 5（当前为 {bins}）：segment_rfm11 为空";
    /// `rfm11` without an amount.
    Rfm11WithoutAmount = "rfm11_without_amount",
        "without an amount, rfm11 uses the F score in place of (F + M) / 2",
        "没有金额时，rfm11 用 F 评分代替 (F + M) / 2";
    /// The BG/NBD fit shows almost no dropout.
    NoDropout { dropout: String } = "no_dropout",
        "the data show almost no dropout (mean dropout probability a/(a+b) = {dropout}): a and b are not identified separately, only that customers rarely stop; the predictions are those of a model without dropout",
        "数据几乎没有流失（平均流失概率 a/(a+b) = {dropout}）：无法分别识别 a 和 b，只能看出客户很少停止购买；预测相当于没有流失的模型";
    /// One-time buyers get P(alive) = 1 under BG/NBD.
    OneTimeBuyersAlive { count: usize } = "one_time_buyers_alive",
        "BG/NBD gives P(alive) = 1 to the {count} one-time buyers (in the model a customer can only drop out after a repeat purchase), so their model band is low whatever their recency: their risk level comes from the rule band (their churn flags)",
        "BG/NBD 模型给 {count} 位一次性购买客户的存活概率都是 1（模型中客户只能在复购后流失），所以无论多久未购，他们的模型风险档都为低：他们的风险等级取自规则档（流失预警）";
    /// The hypergeometric series did not settle for some customers.
    UnsettledExpectations { count: usize } = "unsettled_expectations",
        "expected purchases could not be computed for {count} customers (the hypergeometric series did not settle: a very short history against a long horizon); their cells are empty",
        "有 {count} 位客户的预期购买次数无法计算（超几何级数未收敛：历史很短而预测期很长）；这些单元格为空";
    /// Some customers have no CLV.
    ClvMissing { count: usize } = "clv_missing",
        "predicted CLV is empty for {count} customers (see summary.model.gammaGamma)",
        "有 {count} 位客户的预测客户终身价值为空（见 summary.model.gammaGamma）";

    /// The holdout check could not run: the cut is not before the analysis date.
    HoldoutCutNotBefore { cut: String, date: String } = "holdout_cut_not_before",
        "the holdout check needs a cut before the analysis date: cut {cut}, analysis date {date}",
        "留出期检验需要早于分析日期的截止日：截止日 {cut}，分析日期 {date}";
    /// The holdout check could not run: the holdout is longer than the periods it tracks.
    HoldoutTooLong { cut: String, max: u32 } = "holdout_too_long",
        "the holdout after the cut {cut} is longer than {max} time units: choose a later cut or a longer time unit",
        "截止日 {cut} 之后的留出期超过 {max} 个时间单位：请选择更晚的截止日或更长的时间单位";
    /// The holdout check's result in one sentence.
    HoldoutVerdict { model: String, cut: String, periods: usize, error: String } = "holdout_verdict",
        "{model} fitted on the data up to {cut} predicts the repeat purchases of the {periods} periods after it with a total error of {error} %",
        "基于截至 {cut} 的数据拟合的 {model} 预测其后 {periods} 个时间单位的复购次数，总误差为 {error}%";
    /// `model.kind: "auto"`: which family was chosen and why.
    ModelChosen { model: String, runner_up: String, margin: String } = "model_chosen",
        "{model} chosen: the lowest BIC (all three families have four parameters, so the highest likelihood); next {runner_up}, BIC higher by {margin}",
        "选用 {model}：BIC 最低（三种模型都有四个参数，即似然最高）；其次为 {runner_up}，BIC 高 {margin}";

    /// How risk was decided: by the model.
    RiskByModel { high: String, medium: String } = "risk_by_model",
        "the higher of the rule band (high for two or more flags or high_value_lapsed, medium for one flag) and the model band (1 − P(alive) above {high} high, from {medium} medium), else low",
        "规则档（两个或以上预警或高价值流失为高，一个预警为中）与模型档（1 − 存活概率 高于 {high} 为高，{medium} 起为中）中较高者，否则为低";
    /// How risk was decided: by the rules.
    RiskByRules = "risk_by_rules",
        "rules: high for two or more flags or high_value_lapsed, medium for one flag, else low",
        "规则：两个或以上预警或高价值流失为高，一个预警为中，否则为低";
    /// Risk is withheld until the models are fitted (an analysis finished without them).
    RiskPending = "risk_pending",
        "pending: risk is decided once the models are fitted",
        "待定：模型拟合完成后再确定风险";

    // ---- why a model was not fitted ------------------------------------------------------------
    /// `model.enabled: false`.
    ModelDisabled = "model_disabled",
        "disabled by options.model.enabled",
        "已在选项中关闭（model.enabled）";
    /// Fewer customers than the fit needs.
    TooFewCustomers { count: usize, needed: usize } = "too_few_customers",
        "too few customers for a purchase model: {count} (needs at least {needed})",
        "客户太少，无法拟合购买模型：{count} 位（至少需要 {needed} 位）";
    /// Fewer repeat buyers than the fit needs.
    TooFewRepeatBuyers { count: usize, needed: usize } = "too_few_repeat_buyers",
        "too few repeat buyers for a purchase model: {count} customers bought on more than one day (needs at least {needed})",
        "复购客户太少，无法拟合购买模型：{count} 位客户在不止一天有购买（至少需要 {needed} 位）";
    /// No time between first purchases and the analysis date.
    NoTimeToLearn = "no_time_to_learn",
        "every customer made their first purchase on the analysis date: no time to learn from",
        "所有客户的首次购买都在分析日期当天：没有可供学习的时间跨度";
    /// A parameter ran off to 0 or infinity.
    NotIdentifiable { model: String, parameter: String, limit: Box<Message>, fitted: String } = "not_identifiable",
        "the {model} model is not identifiable on these data: {parameter} runs off to {limit} (fitted {fitted})",
        "{model} 模型在这些数据上不可识别：参数 {parameter} 趋于{limit}（拟合值 {fitted}）";
    /// Part of [`Message::NotIdentifiable`].
    LimitZero = "limit_zero",
        "0",
        "0";
    /// Part of [`Message::NotIdentifiable`].
    LimitInfinity = "limit_infinity",
        "infinity",
        "无穷大";
    /// The optimiser stopped without converging.
    NotConverged { model: String, iterations: usize, gradient: String } = "not_converged",
        "the {model} fit did not converge (stopped after {iterations} iterations with gradient {gradient})",
        "{model} 拟合未收敛（{iterations} 次迭代后停止，梯度 {gradient}）";
    /// Too few customers for Gamma-Gamma.
    TooFewSpenders { count: usize, needed: usize } = "too_few_spenders",
        "too few repeat buyers with a positive mean repeat spend: {count} (needs at least {needed})",
        "复购平均消费为正的复购客户太少：{count} 位（至少需要 {needed} 位）";
    /// The Gamma-Gamma fit failed outright.
    NoUsableSpend = "no_usable_spend",
        "no usable spend",
        "没有可用的消费金额";
    /// No amount column for Gamma-Gamma.
    NoAmountForSpend = "no_amount_for_spend",
        "there is no amount column",
        "没有金额列";
    /// Gamma-Gamma with q ≤ 1.
    NoPopulationMean = "no_population_mean",
        "q ≤ 1: the population mean spend does not exist, so customers without a positive mean repeat spend get no predicted CLV",
        "q ≤ 1：总体平均消费不存在，因此没有正的复购平均消费的客户没有预测客户终身价值";
    // ---- column guesses (inspect, and the mapping analyze uses) -----------------------------
    /// Role name: customer id.
    RoleCustomer = "role_customer",
        "customer id",
        "客户编号";
    /// Role name: date.
    RoleDate = "role_date",
        "date",
        "日期";
    /// Role name: amount.
    RoleAmount = "role_amount",
        "amount",
        "金额";
    /// Role name: quantity.
    RoleQuantity = "role_quantity",
        "quantity",
        "数量";
    /// Role name: unit price.
    RoleUnitPrice = "role_unit_price",
        "unit price",
        "单价";
    /// Role name: order id.
    RoleOrder = "role_order",
        "order id",
        "订单号";
    /// Role name: category / product.
    RoleCategory = "role_category",
        "category",
        "品类";
    /// Role name: signal column.
    RoleSignal = "role_signal",
        "signal",
        "信号";
    /// Role name: dimension column.
    RoleDimension = "role_dimension",
        "dimension",
        "维度";
    /// Guess reason: the header is a known name of the role.
    GuessHeaderExact { name: String } = "guess_header_exact",
        "header \"{name}\" is a known name for it",
        "表头“{name}”是它的常用名称";
    /// Guess reason: the header contains a known word of the role.
    GuessHeaderPartial { name: String, part: String } = "guess_header_partial",
        "header \"{name}\" contains \"{part}\"",
        "表头“{name}”包含“{part}”";
    /// Guess reason: the values are dates.
    GuessDates { format: String, percent: usize } = "guess_dates",
        "values are dates in {format} form ({percent} % of them)",
        "值是 {format} 形式的日期（占 {percent}%）";
    /// Guess reason: plain numbers that read as dates (weak).
    GuessNumericDates { format: String, percent: usize } = "guess_numeric_dates",
        "values are plain numbers that read as dates ({format}, {percent} % of them)",
        "值是可以读作日期的纯数字（{format}，占 {percent}%）";
    /// Guess reason: e-mail addresses.
    GuessEmails { per_value: String } = "guess_emails",
        "values are e-mail addresses; repeats: {per_value} rows per value",
        "值是电子邮件地址；重复：每个值 {per_value} 行";
    /// Guess reason: ids determined by another id column (orders belong to customers).
    GuessOwner { per_value: String, column: String } = "guess_owner",
        "ids that repeat ({per_value} rows per value); each value of \"{column}\" belongs to one of them",
        "重复出现的编号（每个值 {per_value} 行）；“{column}”的每个值都只属于其中一个";
    /// Guess reason: ids that repeat.
    GuessRepeats { per_value: String } = "guess_repeats",
        "ids that repeat: {per_value} rows per value",
        "重复出现的编号：每个值 {per_value} 行";
    /// Guess reason: ids that do not repeat (weak for a customer).
    GuessUnique = "guess_unique",
        "ids with one row per value",
        "每个值只有一行的编号";
    /// Guess reason: an id column whose values each belong to one customer.
    GuessBelongs { per_value: String, column: String } = "guess_belongs",
        "each value belongs to one customer (\"{column}\"); {per_value} rows per value",
        "每个值只属于一位客户（“{column}”）；每个值 {per_value} 行";
    /// Guess reason: decimal amounts.
    GuessDecimals { percent: usize } = "guess_decimals",
        "values are amounts with decimals ({percent} % of them)",
        "值是带小数的金额（占 {percent}%）";
    /// Guess reason: whole numbers that are not ids (weak for an amount).
    GuessWholeNumbers = "guess_whole_numbers",
        "values are whole numbers",
        "值是整数";
    /// Guess reason: the column equals quantity × unit price.
    GuessProduct { quantity: String, price: String, percent: usize } = "guess_product",
        "equals \"{quantity}\" × \"{price}\" in {percent} % of rows",
        "在 {percent}% 的行中等于“{quantity}”×“{price}”";
    /// Guess reason: a factor of the amount.
    GuessFactor { amount: String, percent: usize } = "guess_factor",
        "a factor of \"{amount}\" in {percent} % of rows",
        "在 {percent}% 的行中是“{amount}”的因子";
    /// Guess reason: two values only (a yes/no signal).
    GuessBooleans { values: String } = "guess_booleans",
        "two values only ({values}): a yes/no signal",
        "只有两个值（{values}）：是/否信号";
    /// Guess reason: text with few distinct values (a dimension).
    GuessFewValues { distinct: usize } = "guess_few_values",
        "text with {distinct} distinct values",
        "文本，共 {distinct} 个不同的值";
    /// Guess reason: the header names a role but the values disagree.
    GuessNameOverruled { name: String, role: Box<Message> } = "guess_name_overruled",
        "header \"{name}\" suggests the {role}, but the values do not fit",
        "表头“{name}”像是{role}，但其值不符合";
    /// Guess reason: set in options.columns.
    GuessOption { key: String } = "guess_option",
        "set in options.columns.{key}",
        "由 options.columns.{key} 指定";
    // ---- sanity warnings on the mapping --------------------------------------------------------
    /// A required role was mapped by a weak guess.
    WeakGuess { column: String, role: Box<Message>, reason: Box<Message>, key: String } = "weak_guess",
        "column \"{column}\" was taken as the {role} on weak evidence ({reason}): check it, or set options.columns.{key}",
        "列“{column}”依据较弱的证据被当作{role}（{reason}）：请核对，或设置 options.columns.{key}";
    /// The customer column has (almost) one row per value.
    CustomerRarelyRepeats { column: String, customers: u64, rows: u64 } = "customer_rarely_repeats",
        "column \"{column}\" has almost one row per customer ({customers} customers in {rows} rows): if it is an order or row id rather than the customer id, set options.columns.customer",
        "列“{column}”几乎每位客户只有一行（{rows} 行中有 {customers} 位客户）：如果它是订单号或行号而不是客户编号，请设置 options.columns.customer";
    /// The amount column looks like an id.
    AmountLooksLikeId { column: String } = "amount_looks_like_id",
        "the amount column \"{column}\" looks like an id (whole numbers that only go up): check it, or set options.columns.amount",
        "金额列“{column}”看起来像编号（只增不减的整数）：请核对，或设置 options.columns.amount";
    /// The amount column looks like a count.
    AmountLooksLikeCount { column: String, max: String } = "amount_looks_like_count",
        "the amount column \"{column}\" looks like a count (small whole numbers, at most {max}): if it is a quantity, map it as options.columns.quantity with a unit price",
        "金额列“{column}”看起来像数量（较小的整数，最大 {max}）：如果它是数量，请将其设为 options.columns.quantity 并指定单价";
    /// Title rows above the header were skipped.
    TitleRowsSkipped { count: usize, header_row: u64 } = "title_rows_skipped",
        "skipped {count} title row(s) above the header on row {header_row}; set options.headerRow if the header is elsewhere",
        "已跳过表头（第 {header_row} 行）上方的 {count} 行标题；如果表头在别处，请设置 options.headerRow";
    /// `options.headerRow` points past the records read.
    HeaderRowNotFound { row: u64, last: u64 } = "header_row_not_found",
        "there is no row {row} among the first rows of the file (the last one read is row {last})",
        "文件开头的行中没有第 {row} 行（读到的最后一行是第 {last} 行）";
    /// The earliest dates lie far before nearly all the others.
    FarEarliestDate { date: String, days: i64, count: usize, reference: String } = "far_earliest_date",
        "the earliest date {date} is {days} days before the first order of every customer but {count} ({reference}): if it is a placeholder or a typing error, correct those rows",
        "最早的日期 {date} 比除 {count} 位以外所有客户的首次下单（{reference}）早 {days} 天：如果它是占位值或录入错误，请更正这些行";
}

impl Message {
    /// The message naming a rejection reason: its code in English (as the error texts always
    /// had it), its name in Chinese (the same as [`Reason::zh`], checked by a test).
    pub fn reason(reason: Reason) -> Message {
        match reason {
            Reason::MalformedRow => Message::ReasonMalformedRow,
            Reason::RepeatedHeader => Message::ReasonRepeatedHeader,
            Reason::MissingCustomer => Message::ReasonMissingCustomer,
            Reason::BadDate => Message::ReasonBadDate,
            Reason::BadAmount => Message::ReasonBadAmount,
        }
    }

    /// The message rendered in English.
    pub fn en(&self) -> String {
        self.render(false)
    }

    /// The message rendered in Chinese (not in the wasm module, which leaves the Chinese
    /// templates out: a page renders Chinese from the catalog).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn zh(&self) -> String {
        self.render(true)
    }

    /// The message rendered in Chinese (`zh`) or English.
    fn render(&self, zh: bool) -> String {
        let (en, zh_template) = self.templates();
        let template = if zh { zh_template } else { en };
        let params = self.params();
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match params.iter().find(|(n, _)| *n == name) {
                        Some((_, p)) => render_param(p, zh, &mut out),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn render_param(p: &Param, zh: bool, out: &mut String) {
    match p {
        Param::Text(t) => out.push_str(t),
        Param::Int(i) => out.push_str(&i.to_string()),
        Param::Msg(m) => out.push_str(&m.render(zh)),
        Param::List(list) => {
            let sep = if zh { "；" } else { "; " };
            for (k, m) in list.iter().enumerate() {
                if k > 0 {
                    out.push_str(sep);
                }
                out.push_str(&m.render(zh));
            }
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en())
    }
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Param::Text(t) => s.serialize_str(t),
            Param::Int(i) => s.serialize_i64(*i),
            Param::Msg(m) => m.serialize(s),
            Param::List(l) => l.serialize(s),
        }
    }
}

/// The parameters as a JSON object.
struct Params<'a>(&'a [(&'static str, Param)]);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Serialised as `{"code": …, "params": {…}}`.
impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let params = self.params();
        let mut st = s.serialize_struct("Message", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("params", &Params(&params))?;
        st.end()
    }
}

/// One entry of [`catalog`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    /// English template.
    pub en: &'static str,
    /// Chinese template.
    pub zh: &'static str,
}

/// Every message code with its English and Chinese templates, for a page that renders messages
/// (`tierwise catalog` writes it; not in the wasm module).
#[cfg(not(target_arch = "wasm32"))]
pub fn catalog() -> std::collections::BTreeMap<&'static str, Template> {
    CATALOG
        .iter()
        .map(|&(code, en, zh)| (code, Template { en, zh }))
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_templates_use_the_same_parameters() {
        let mut seen = std::collections::HashSet::new();
        for (code, en, zh) in CATALOG {
            assert!(seen.insert(code), "duplicate code {code}");
            let names = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(names(en), names(zh), "{code}: parameters differ");
            let han = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(han || *code == "limit_zero", "{code}: no Chinese text");
        }
    }

    #[test]
    fn reasons_read_as_their_labels() {
        for &r in Reason::ALL {
            assert_eq!(Message::reason(r).en(), r.code());
            assert_eq!(Message::reason(r).zh(), r.zh());
        }
    }

    #[test]
    fn large_integers_keep_their_digits() {
        let m = Message::ColumnIndexOutOfRange {
            index: usize::MAX,
            width: 3,
            last: 2,
        };
        assert!(m
            .en()
            .starts_with(&format!("column index {} is out", usize::MAX)));
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(
            v["params"]["index"],
            serde_json::json!(usize::MAX.to_string())
        );
        assert_eq!(v["params"]["width"], serde_json::json!(3));
    }

    #[test]
    fn renders_nested_messages_and_lists() {
        let m = Message::NoValidRow {
            rows: 3,
            reasons: vec![
                Message::RejectedWithExample {
                    count: 2,
                    reason: Box::new(Message::ReasonBadDate),
                    first: Box::new(Message::AtRow {
                        row: 2,
                        problem: Box::new(Message::EmptyDate),
                    }),
                },
                Message::RejectedCount {
                    count: 1,
                    reason: Box::new(Message::ReasonBadAmount),
                },
            ],
        };
        assert_eq!(
            m.en(),
            "none of the 3 rows is valid: 2 bad_date (first: row 2: empty date); 1 bad_amount"
        );
        assert_eq!(
            m.zh(),
            "3 行都无效。日期无效或缺失：2 行（第一例：第 2 行：日期为空）；金额无效或缺失：1 行"
        );
        assert_eq!(
            serde_json::to_value(Message::FieldCount {
                fields: 5,
                width: 4
            })
            .unwrap(),
            serde_json::json!({"code": "field_count", "params": {"fields": 5, "width": 4}})
        );
    }
}
