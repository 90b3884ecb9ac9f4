//! Fuzz target for options (see scripts/fuzz.sh): the input is an options JSON text, then a NUL
//! byte, then a small transactions file (or, without a NUL, the built-in 40-row file below).
//!
//! Asserts: no panic anywhere; a valid options object either analyses the file or fails with an
//! error (never a panic, an overflow or a hang), the same as `inspect` decides about the layout;
//! every error message is short (under 2,000 bytes), whatever the size of the options; the summary
//! serialises and echoes options that parse again to the same effective options.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tierwise::{analyze, inspect, Options};

/// 40 orders of 8 customers over 2024, with a return, an order id and a category.
const FILE: &str = "order_id,customer_id,order_date,amount,category\n\
1001,C1,2024-01-03,10.50,a\n1002,C2,2024-01-09,20,b\n1003,C1,2024-02-11,5.25,a\n1004,C3,2024-02-14,99,c\n\
1005,C4,2024-03-01,12,a\n1006,C2,2024-03-18,8.75,b\n1007,C5,2024-04-02,40,c\n1008,C1,2024-04-20,15,b\n\
1009,C6,2024-05-05,7,a\n1010,C3,2024-05-19,64.10,c\nC1011,C3,2024-05-21,-64.10,c\n1012,C7,2024-06-01,3,a\n\
1013,C2,2024-06-15,22,b\n1014,C8,2024-07-04,18,a\n1015,C1,2024-07-30,11,c\n1016,C4,2024-08-08,30,a\n\
1017,C5,2024-08-31,45,c\n1018,C6,2024-09-09,9,b\n1019,C2,2024-09-27,25,b\n1020,C7,2024-10-10,4,a\n\
1021,C1,2024-10-31,13,a\n1022,C3,2024-11-11,70,c\n1023,C8,2024-11-25,19,b\n1024,C2,2024-12-01,21,b\n\
1025,C1,2024-12-20,14,a\n1026,C4,2024-12-24,31,c\n";

fuzz_target!(|data: &[u8]| {
    let (opts_bytes, file) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, FILE.as_bytes()),
    };
    let Ok(text) = std::str::from_utf8(opts_bytes) else {
        return;
    };
    let opts = match Options::from_json(text) {
        Ok(o) => o,
        Err(e) => {
            assert!(e.to_string().len() < 2000, "long error: {}", e.to_string().len());
            return;
        }
    };
    let inspected = inspect(file, &opts);
    match analyze(file, &opts) {
        Ok(a) => {
            let summary = serde_json::to_value(&a.summary).expect("summary serialises");
            let _ = a.to_csv();
            // the effective options parse again, to themselves
            let echoed = summary["options"].to_string();
            let again = Options::from_json(&echoed).expect("echoed options parse");
            assert_eq!(again, opts, "options echo differs");
            assert!(inspected.is_ok(), "analyze ok but inspect failed: {inspected:?}");
        }
        Err(e) => {
            assert!(e.to_string().len() < 2000, "long error: {}", e.to_string().len());
        }
    }
});
