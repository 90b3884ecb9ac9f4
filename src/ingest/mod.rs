//! Ingest: bytes → typed transactions plus the data-quality report (`docs/input.md`).
//!
//! Steps: decode (BOM, UTF-8, or a guess among legacy encodings with `chardetng`, decoded by
//! `encoding_rs`), sniff the delimiter (`,` `;` tab `|` or whitespace-aligned), tokenise RFC 4180
//! records with the `csv` crate, decide whether the first record is a header, map columns to roles
//! (header names in English and Chinese, else values; `options.columns` overrides), choose the date
//! format and decimal separator per column, then validate every row. Bad rows are rejected with one
//! reason each and never stop the run.

pub(crate) mod blocks;
pub(crate) mod columns;
pub mod dates;
pub(crate) mod decisions;
pub(crate) mod decode;
pub mod dims;
pub(crate) mod encoding_guess;
pub mod guess;
pub(crate) mod intern;
pub(crate) mod layout;
pub mod money;
pub(crate) mod part;
pub mod quality;
pub(crate) mod reader;
pub(crate) mod resolve;
pub(crate) mod roles;
pub(crate) mod rows;
pub mod tap;
pub(crate) mod tokenize;

pub(crate) use columns::{make_plan, AmountMode, Plan};
pub(crate) use layout::{sniff_delimiter, Record};
pub(crate) use quality::{nothing_usable_message, Ingested};
pub use quality::{
    ColumnsReport, DateFormatReport, Excluded, InputReport, RejectExample, RejectStat, TitleRow,
    WorkbookReport,
};

#[cfg(test)]
mod tests {
    use super::columns::*;
    use super::encoding_guess::pick_encoding;
    use super::layout::*;
    use super::roles::Mapping;
    use crate::error::TierwiseError;
    use crate::options::Options;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), Delimiter::Byte(b','));
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), Delimiter::Byte(b';'));
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), Delimiter::Byte(b'\t'));
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), Delimiter::Byte(b'|'));
        assert_eq!(
            sniff_delimiter(
                " 00004 0001 19970101  2   29.33\r\n 00021 0002 19970101  3   63.34\r\n"
            ),
            Delimiter::Whitespace
        );
        assert_eq!(sniff_delimiter("a,b\n\"x\ny\",2\n"), Delimiter::Byte(b','));
    }

    #[test]
    fn header_detection() {
        let r = |f: &[&str]| Record {
            line: 1,
            fields: f.iter().map(|s| s.to_string()).collect(),
        };
        assert!(is_header(
            &r(&["CustomerID", "InvoiceDate"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(is_header(
            &r(&["客户ID", "下单时间"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(is_header(
            &r(&["who", "when"]),
            Some(&r(&["1", "2024-01-01"]))
        ));
        assert!(!is_header(
            &r(&["00004", "0001", "19970101"]),
            Some(&r(&["00004", "0001", "19970118"]))
        ));
        assert!(!is_header(&r(&["CUST-1", "2024-01-05", "12.00"]), None));
    }

    #[test]
    fn header_names_map_to_roles() {
        let h: Vec<String> = ["order_id", "customer_id", "order_date", "amount"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = super::guess::guess(
            Some(&h),
            &[],
            h.len(),
            Mapping::default(),
            &[],
            crate::options::DateOrder::Auto,
        )
        .mapping;
        assert_eq!(
            (m.order, m.customer, m.date, m.amount),
            (Some(0), Some(1), Some(2), Some(3))
        );
        let h: Vec<String> = [
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
            "Country",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = super::guess::guess(
            Some(&h),
            &[],
            h.len(),
            Mapping::default(),
            &[],
            crate::options::DateOrder::Auto,
        )
        .mapping;
        assert_eq!(
            (
                m.order,
                m.quantity,
                m.date,
                m.unit_price,
                m.customer,
                m.amount
            ),
            (Some(0), Some(3), Some(4), Some(5), Some(6), None)
        );
    }

    #[test]
    fn cancellations() {
        use crate::ingest::rows::is_cancellation;
        assert!(is_cancellation(b"C536379", Some(b"C")));
        assert!(!is_cancellation(b"CN2024001", Some(b"C")));
        assert!(!is_cancellation(b"C", Some(b"C")));
        assert!(!is_cancellation(b"C536379", None));
        assert!(!is_cancellation(b"C536379", Some(b"")));
    }

    fn summary(text: &[u8]) -> serde_json::Value {
        let a = crate::analyze(text, &Options::default()).unwrap();
        serde_json::to_value(&a.summary).unwrap()
    }

    #[test]
    fn headerless_cdnow_layout() {
        let text = b" 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00021 0002 19970101  3   63.34\r\n";
        let s = summary(text);
        let input = &s["input"];
        assert_eq!(input["header"], false);
        assert_eq!(input["delimiter"], "whitespace");
        assert_eq!(input["columns"]["customer"], 0);
        assert_eq!(input["columns"]["date"], 2);
        assert_eq!(input["columns"]["amount"], 4);
        assert_eq!(input["used"], 3);
        assert_eq!(s["customers"], 2);
    }

    #[test]
    fn rejects_with_reasons() {
        let text = "customer_id,order_date,amount\n,2024-01-01,5\nA,notadate,5\nA,2024-01-02,1,2,3\nA,2024-01-02,\"1,2,3\"\ncustomer_id,order_date,amount\nA,2024-01-03,7\n";
        let s = summary(text.as_bytes());
        let r = &s["input"]["rejected"];
        assert_eq!(s["input"]["rows"], 6);
        assert_eq!(r["missing_customer"]["count"], 1);
        assert_eq!(r["bad_date"]["count"], 1);
        assert_eq!(r["malformed_row"]["count"], 1);
        assert_eq!(r["bad_amount"]["count"], 1);
        assert_eq!(r["repeated_header"]["count"], 1);
        assert_eq!(r["bad_amount"]["examples"][0]["row"], 5);
        assert_eq!(
            r["bad_amount"]["examples"][0]["message"],
            "row 5: could not parse amount \"1,2,3\""
        );
        assert_eq!(s["input"]["used"], 1);
    }

    #[test]
    fn fatal_errors_name_what_is_missing() {
        let err = |b: &[u8]| crate::analyze(b, &Options::default()).unwrap_err();
        assert_eq!(err(b""), TierwiseError::EmptyFile);
        assert_eq!(err(b"  \n\n"), TierwiseError::EmptyFile);
        let e = err(b"hello\n").to_string();
        assert!(e.starts_with("no date column found"), "{e}");
        let e = err(b"customer_id,amount\nA,5\n").to_string();
        assert!(e.starts_with("no date column found"), "{e}");
        let e = err(b"customer_id,order_date\nA,x\n").to_string();
        assert!(e.contains("none of the 1 rows is valid"), "{e}");
    }

    #[test]
    fn picks_encodings() {
        assert_eq!(
            pick_encoding(b"\xef\xbb\xbfa,b", "auto", true).unwrap(),
            (encoding_rs::UTF_8, 3)
        );
        assert_eq!(
            pick_encoding(b"\xff\xfea\x00", "auto", true).unwrap(),
            (encoding_rs::UTF_16LE, 2)
        );
        // a UTF-8 character cut at the end of the head is still UTF-8
        assert_eq!(
            pick_encoding("客户".as_bytes().split_at(4).0, "auto", false)
                .unwrap()
                .0,
            encoding_rs::UTF_8
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("客户ID,下单时间,实付金额\n张三,2024-01-05,88\n李四,2024-01-06,99\n王五,2024-01-07,120\n");
        let enc = pick_encoding(&gbk, "auto", true).unwrap().0;
        assert!(
            enc == encoding_rs::GBK || enc == encoding_rs::GB18030,
            "{}",
            enc.name()
        );
        assert_eq!(
            pick_encoding(b"caf\xe9", "windows-1252", true).unwrap().0,
            encoding_rs::WINDOWS_1252
        );
        assert!(pick_encoding(b"x", "klingon", true).is_err());
    }
}
