//! The workbook module's boundary in headless Chromium:
//! `cd workbook && wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --release -- --test wasm`.
//! The fixtures are tests/fixtures/workbooks (make_workbooks.py there); the expected CSV is worked out
//! by hand from the cells that script writes.
#![cfg(target_arch = "wasm32")]

mod common;
use common::hostile;
use tierwise_workbook::wasm::{check_file_size, looks_like_workbook, sheet_names, sheet_to_csv};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const XLS: &[u8] = include_bytes!("../../tests/fixtures/workbooks/orders.xls");
const XLSX: &[u8] = include_bytes!("../../tests/fixtures/workbooks/orders.xlsx");

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn a_sheet_comes_out_as_csv() {
    assert!(looks_like_workbook(XLS) && looks_like_workbook(XLSX));
    assert!(!looks_like_workbook(b"customer_id,date\n"));
    let out = sheet_to_csv(XLS, JsValue::UNDEFINED).unwrap();
    let csv = js_sys::Uint8Array::new(&get(&out, "csv")).to_vec();
    // row 1 empty; #N/A as Excel shows it; 0.1 + 0.2 as 0.3; the id 007 as text
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "\ncustomer_id,order_date,amount\nA,2024-01-05,120\nB,2024-02-10,80.5\n\n\
         A,2024-03-01,60.25\nC,2024-03-02 08:30:00,0.3\nD,2024-03-03,#N/A\n007,2024-01-20,10\n"
    );
    assert_eq!(get(&out, "format").as_string().as_deref(), Some("xls"));
    assert_eq!(get(&out, "sheet").as_string().as_deref(), Some("Orders"));
    let info = sheet_names(XLSX).unwrap();
    assert_eq!(js_sys::Array::from(&get(&info, "sheets")).length(), 3);
    let q2 = sheet_to_csv(XLSX, JsValue::from_str("Q2")).unwrap();
    let csv = js_sys::Uint8Array::new(&get(&q2, "csv")).to_vec();
    assert_eq!(csv, b"customer_id,order_date,amount\nE,2024-04-01,5\n");
}

#[wasm_bindgen_test]
fn errors_are_coded_js_errors() {
    let e = sheet_to_csv(XLSX, JsValue::from_f64(9.0)).unwrap_err();
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("sheet_index_out_of_range")
    );
    assert_eq!(get(&get(&e, "params"), "count").as_f64(), Some(3.0));
    let e = sheet_to_csv(&XLSX[..XLSX.len() / 3], JsValue::UNDEFINED).unwrap_err();
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("workbook_unreadable")
    );
    let e = check_file_size(1e10).unwrap_err();
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("workbook_too_large")
    );
    let what = get(&get(&e, "params"), "what");
    assert_eq!(
        get(&what, "code").as_string().as_deref(),
        Some("limit_file_bytes")
    );
    // hostile bytes: an error, never a trap
    let mut b = XLS.to_vec();
    for i in (600..b.len()).step_by(97) {
        b[i] ^= 0x5a;
    }
    let _ = sheet_to_csv(&b, JsValue::UNDEFINED);
}

#[wasm_bindgen_test]
fn hostile_workbooks_are_coded_errors_and_the_instance_keeps_working() {
    // tests/common/hostile.rs: each asks a trusting reader for gigabytes or forever; here each is a
    // coded error, and the same instance converts a real workbook right after
    for (name, bytes, want) in hostile::all() {
        let e = sheet_to_csv(&bytes, JsValue::UNDEFINED).unwrap_err();
        let mut code = get(&e, "code").as_string().unwrap_or_default();
        if code == "workbook_too_large" {
            code = get(&get(&get(&e, "params"), "what"), "code")
                .as_string()
                .unwrap_or_default();
        }
        assert_eq!(code, want, "{name}");
        let out = sheet_to_csv(XLS, JsValue::UNDEFINED).unwrap();
        assert_eq!(
            get(&out, "sheet").as_string().as_deref(),
            Some("Orders"),
            "{name}"
        );
    }
    let out = sheet_to_csv(&hostile::ods_orders(), JsValue::UNDEFINED).unwrap();
    let csv = js_sys::Uint8Array::new(&get(&out, "csv")).to_vec();
    assert_eq!(csv, b"customer_id,order_date,amount\nA,2024-01-05,12.5\n");
}
