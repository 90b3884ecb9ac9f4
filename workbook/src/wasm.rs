//! The WebAssembly boundary of the workbook reader (wasm32 only), built by `scripts/build.sh` into
//! `www/pkg-workbook/` as a module of its own: the page's worker loads it only when the chosen file
//! is a workbook. Bytes in, `{csv, format, sheet, index, sheets}` out; errors are JavaScript
//! `Error`s carrying the coded message (`code`, `params`) like the analysis module's, so the page
//! shows them in English or Chinese from tierwise's catalog.
//!
//! Built with the feature `xlsx-writer`, the same crate makes the writer module instead
//! (`www/pkg-xlsx/`: `writeXlsx`, the page's Excel export), loaded only for an export.

// the helpers of the reader and of the writer: one set is compiled out of each module (`xlsx-writer`)
#![allow(dead_code, unused_imports)]

use crate::error::{Coded, Param};
use crate::{Error, Limits, SheetRef};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A workbook's format and worksheets (`sheetNames`). */
export interface WorkbookInfo {
  /** `xlsx`, `xlsb`, `xls` or `ods`. */
  format: string;
  /** Every worksheet, in workbook order. */
  sheets: string[];
}
/** One sheet converted to CSV (`sheetToCsv`). */
export interface ConvertedSheet extends WorkbookInfo {
  /** UTF-8 CSV; line n is the sheet's row n. */
  csv: Uint8Array;
  /** The sheet read. */
  sheet: string;
  /** Its 0-based position among the worksheets. */
  index: number;
}
/** The bounds of one conversion (docs/input.md#workbooks). */
export interface WorkbookLimits {
  maxFileBytes: number;
  maxPartBytes: number;
  maxCells: number;
  maxCsvBytes: number;
  maxSheets: number;
  maxUnpackedBytes: number;
  maxParts: number;
}
"#;

/// Installs the panic hook so a bug shows its message in the console instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn params_to_js(params: &[(&'static str, Param)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (name, p) in params {
        let v: JsValue = match p {
            Param::Text(t) => t.into(),
            Param::Int(i) => (*i as f64).into(),
            Param::Msg(m) => coded_to_js(m),
        };
        let _ = js_sys::Reflect::set(&obj, &(*name).into(), &v);
    }
    obj.into()
}

fn coded_to_js(m: &Coded) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &"code".into(), &m.code.into());
    let _ = js_sys::Reflect::set(&obj, &"params".into(), &params_to_js(&m.params));
    obj.into()
}

/// A JavaScript `Error` whose `message` is the English text and whose `code` and `params` carry the
/// coded message.
fn js_error(e: &Error) -> JsValue {
    let coded = e.coded();
    let err = js_sys::Error::new(&coded.en());
    let _ = js_sys::Reflect::set(&err, &"code".into(), &coded.code.into());
    let _ = js_sys::Reflect::set(&err, &"params".into(), &params_to_js(&coded.params));
    err.into()
}

/// `options.sheet`: a name, a 0-based index, or nothing.
fn sheet_ref(sheet: &JsValue) -> Result<Option<SheetRef>, JsValue> {
    if sheet.is_undefined() || sheet.is_null() {
        return Ok(None);
    }
    if let Some(name) = sheet.as_string() {
        return Ok(Some(SheetRef::Name(name)));
    }
    match sheet.as_f64() {
        // checked before the cast
        Some(i) if i.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&i) => {
            Ok(Some(SheetRef::Index(i as usize)))
        }
        _ => Err(js_sys::TypeError::new("sheet must be a sheet name or a 0-based index").into()),
    }
}

fn set(obj: &js_sys::Object, key: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &key.into(), v);
}

fn names(sheets: &[String]) -> JsValue {
    sheets
        .iter()
        .map(|s| JsValue::from(s.as_str()))
        .collect::<js_sys::Array>()
        .into()
}

/// Whether `head` (the file's first bytes, at least 8) is a ZIP archive or an OLE2 file, the
/// containers workbooks come in. The page's worker makes the same test on the bytes before it
/// loads this module.
#[cfg(not(feature = "xlsx-writer"))]
#[wasm_bindgen(js_name = looksLikeWorkbook)]
pub fn looks_like_workbook(head: &[u8]) -> bool {
    crate::looks_like_workbook(head)
}

/// The bounds of one conversion.
#[cfg(not(feature = "xlsx-writer"))]
#[wasm_bindgen(unchecked_return_type = "WorkbookLimits")]
pub fn limits() -> JsValue {
    let l = Limits::default();
    let obj = js_sys::Object::new();
    set(&obj, "maxFileBytes", &(l.max_file_bytes as f64).into());
    set(&obj, "maxPartBytes", &(l.max_part_bytes as f64).into());
    set(&obj, "maxCells", &(l.max_cells as f64).into());
    set(&obj, "maxCsvBytes", &(l.max_csv_bytes as f64).into());
    set(&obj, "maxSheets", &(l.max_sheets as f64).into());
    set(
        &obj,
        "maxUnpackedBytes",
        &(l.max_unpacked_bytes as f64).into(),
    );
    set(&obj, "maxParts", &(l.max_parts as f64).into());
    obj.into()
}

/// Throws the coded `workbook_too_large` error when a file of `size` bytes is over the bound, so
/// that a page can refuse it before reading it into memory.
#[cfg(not(feature = "xlsx-writer"))]
#[wasm_bindgen(js_name = checkFileSize)]
pub fn check_file_size(size: f64) -> Result<(), JsValue> {
    let max = Limits::default().max_file_bytes;
    if size > max as f64 {
        return Err(js_error(&Error::TooLarge(crate::Limit::FileBytes {
            size: size as u64,
            max,
        })));
    }
    Ok(())
}

/// The workbook's format and worksheets.
#[cfg(not(feature = "xlsx-writer"))]
#[wasm_bindgen(js_name = sheetNames, unchecked_return_type = "WorkbookInfo")]
pub fn sheet_names(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let wb = crate::open(bytes, &Limits::default()).map_err(|e| js_error(&e))?;
    let obj = js_sys::Object::new();
    set(&obj, "format", &wb.format().name().into());
    set(&obj, "sheets", &names(wb.sheets()));
    Ok(obj.into())
}

/// Converts one sheet of the workbook `bytes` to CSV: `sheet` is a name (exact, else ignoring case
/// and surrounding spaces), a 0-based index, or `undefined` for the first visible worksheet.
/// Throws a coded `Error` (`no_such_sheet`, `empty_sheet`, `workbook_encrypted`, …).
#[cfg(not(feature = "xlsx-writer"))]
#[wasm_bindgen(js_name = sheetToCsv, unchecked_return_type = "ConvertedSheet")]
pub fn sheet_to_csv(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "string | number | null | undefined")] sheet: JsValue,
) -> Result<JsValue, JsValue> {
    let sheet = sheet_ref(&sheet)?;
    let c = crate::convert(bytes, sheet.as_ref(), &Limits::default()).map_err(|e| js_error(&e))?;
    let obj = js_sys::Object::new();
    set(&obj, "csv", &js_sys::Uint8Array::from(&c.csv[..]).into());
    set(&obj, "format", &c.format.name().into());
    set(&obj, "sheet", &c.sheet.as_str().into());
    set(&obj, "index", &(c.index as f64).into());
    set(&obj, "sheets", &names(&c.sheets));
    Ok(obj.into())
}

/// A JavaScript array's items (an empty list for anything else).
fn items(v: &JsValue) -> Vec<JsValue> {
    if js_sys::Array::is_array(v) {
        js_sys::Array::from(v).iter().collect()
    } else {
        Vec::new()
    }
}

/// `obj[key]` as a string, if it is one.
fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &key.into())
        .ok()
        .and_then(|v| v.as_string())
}

/// Writes the page's Excel export (`docs/outputs.md#the-excel-workbook`): `csv` is the analysis's
/// per-customer CSV (`Analysis.toCsv()`), written to the sheet `customers.name` with one kind per
/// column in `customers.kinds` (`t` text, `g` text guarded against formulas in the CSV, `n` number,
/// `d` date) and `customers.delimiter` (default `,`); `tables` are further sheets
/// `{name, rows}` whose first row is the header and whose cells are strings, numbers or
/// `null`. Returns the `.xlsx` bytes; throws an `Error` when the workbook cannot be written.
#[cfg(feature = "xlsx-writer")]
#[wasm_bindgen(js_name = writeXlsx)]
pub fn write_xlsx(
    csv: &[u8],
    #[wasm_bindgen(unchecked_param_type = "{ name: string; kinds: string; delimiter?: string }")]
    customers: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ name: string; rows: (string | number | null)[][] }[]"
    )]
    tables: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let name = get_string(&customers, "name").unwrap_or_else(|| "Customers".into());
    let kinds = get_string(&customers, "kinds")
        .unwrap_or_default()
        .chars()
        .map(|c| crate::Kind::from_code(c).unwrap_or(crate::Kind::Text))
        .collect();
    let delimiter = match get_string(&customers, "delimiter").as_deref() {
        None | Some(",") => b',',
        Some(";") => b';',
        Some("\t") => b'\t',
        Some(_) => {
            return Err(js_sys::TypeError::new("delimiter must be \",\", \";\" or a tab").into())
        }
    };
    let tables: Vec<crate::Table> = items(&tables)
        .iter()
        .map(|t| crate::Table {
            name: get_string(t, "name").unwrap_or_default(),
            rows: js_sys::Reflect::get(t, &"rows".into())
                .map(|rows| {
                    items(&rows)
                        .iter()
                        .map(|row| {
                            items(row)
                                .iter()
                                .map(|cell| {
                                    if let Some(s) = cell.as_string() {
                                        crate::Value::Text(s)
                                    } else if let Some(x) = cell.as_f64() {
                                        crate::Value::Number(x)
                                    } else {
                                        crate::Value::Empty
                                    }
                                })
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let c = crate::Customers {
        name,
        csv,
        delimiter,
        kinds,
    };
    crate::write_xlsx(&c, &tables).map_err(|e| js_sys::Error::new(&e.to_string()).into())
}
