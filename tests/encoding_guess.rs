//! The encoding of a file without a byte-order mark is decided from the evidence of the whole file
//! (`docs/input.md#encodings`, issue 10). Every file is made here by hand: text written in the test
//! and encoded with `encoding_rs`; the expected ids, sums and counts are worked out in the comments.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use tierwise::{analyze, Analysis, Analyzer, Finish, Options};

const HEADER: &str = "customer_id,order_date,amount\n";

fn run(bytes: &[u8]) -> Analysis {
    analyze(bytes, &Options::default()).expect("the file is read")
}

fn summary(a: &Analysis) -> Value {
    serde_json::to_value(&a.summary).expect("summary serialises")
}

fn ids(a: &Analysis) -> Vec<String> {
    (0..a.rows.len())
        .map(|i| a.customer_id(i).into_owned())
        .collect()
}

/// Net spend of customer `id` in whole units (the core keeps millionths).
fn spend(a: &Analysis, id: &str) -> f64 {
    let i = ids(a).iter().position(|x| x == id).expect("the customer");
    a.monetary(i).expect("an amount") as f64 / 1e6
}

/// The `{code, params}` of the warnings with this code.
fn warnings(s: &Value, code: &str) -> Vec<Value> {
    s["warningCodes"]
        .as_array()
        .expect("warningCodes")
        .iter()
        .filter(|w| w["code"] == code)
        .cloned()
        .collect()
}

fn encode(enc: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{text} is not all in {}", enc.name());
    bytes.into_owned()
}

/// The header and at least `bytes` bytes of ASCII rows: ids C0000 … C0999 in turn, days 1 … 28 of
/// January 2024, 10.00 each. Returns the text and its row count.
fn ascii_rows(bytes: usize) -> (String, usize) {
    let mut text = String::from(HEADER);
    let mut n = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "C{:04},2024-01-{:02},10.00\n",
            n % 1000,
            1 + n % 28
        ));
        n += 1;
    }
    (text, n)
}

#[test]
fn one_gbk_row_after_megabytes_of_ascii_is_read_as_gbk() {
    // 3 MiB of ASCII, then one row whose id is Chinese in GBK. chardetng alone takes these names
    // for EUC-JP (李娜, 客户甲), windows-1252 (林峰) or EUC-KR (黄敏, 订单号): every one of their
    // bytes pairs into a common GB2312 character, so the file is GBK.
    let (ascii, n) = ascii_rows(3 << 20);
    for name in ["张伟", "李娜", "客户甲", "林峰", "黄敏", "订单号"] {
        let mut bytes = ascii.clone().into_bytes();
        bytes.extend(encode(
            encoding_rs::GBK,
            &format!("{name},2024-02-01,99.00\n"),
        ));
        let a = run(&bytes);
        let s = summary(&a);
        assert_eq!(s["input"]["encoding"], "GBK", "{name}");
        assert_eq!(s["input"]["rows"], n as u64 + 1, "{name}");
        assert_eq!(s["input"]["used"], n as u64 + 1, "{name}");
        // C0000 … C0999 and the Chinese id, which sorts last (its UTF-8 bytes are above 'C')
        assert_eq!(a.rows.len(), 1001, "{name}");
        assert_eq!(a.customer_id(1000), name);
        assert_eq!(spend(&a, name), 99.0);
        assert_eq!(s["analysisDate"], "2024-02-01");
        // the guess rests on 2 bytes per character: the summary says so and names the option
        let w = warnings(&s, "encoding_guessed");
        assert_eq!(w.len(), 1, "{name}: {}", s["warnings"]);
        assert_eq!(w[0]["params"]["encoding"], "GBK");
        assert_eq!(w[0]["params"]["bytes"], 2 * name.chars().count());
        assert!(s["warnings"].to_string().contains("set options.encoding"));
    }
}

#[test]
fn the_first_pass_asks_for_a_second_one_in_gbk() {
    // the streaming protocol: the head (1 MiB of ASCII) is UTF-8, the whole file is GBK
    let (ascii, _) = ascii_rows(3 << 20);
    let mut bytes = ascii.into_bytes();
    bytes.extend(encode(encoding_rs::GBK, "李娜,2024-02-01,99.00\n"));
    let mut first = Analyzer::new(Options::default()).unwrap();
    for c in bytes.chunks(1 << 20) {
        first.push(c).unwrap();
    }
    let Finish::Rerun(d) = first.finish_pass().unwrap() else {
        panic!("the head was UTF-8: a second pass is needed");
    };
    assert_eq!(d.encoding, Some(encoding_rs::GBK));
    assert_eq!(d.guessed_from, Some(4));
    // and the second pass, in other chunks, gives what `analyze` gives
    let mut second = Analyzer::with_decisions(Options::default(), d).unwrap();
    for c in bytes.chunks(65_537) {
        second.push(c).unwrap();
    }
    let a = second.finish().unwrap();
    assert_eq!(a.to_csv(), run(&bytes).to_csv());
    assert_eq!(a.customer_id(1000), "李娜");
}

#[test]
fn a_gbk_chinese_header_over_an_ascii_body_is_gbk() {
    // chardetng takes the twelve characters of this header for EUC-JP, whose reading of them
    // matches no column name, so the file used to be refused
    let text = "客户编号,订单日期,实付金额\nA001,2024-03-01,100.50\nA002,2024-03-02,20\nA001,2024-03-05,9.50\n";
    let bytes = encode(encoding_rs::GBK, text);
    let a = run(&bytes);
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "GBK");
    assert_eq!(s["input"]["columns"]["customer"], "客户编号");
    assert_eq!(s["input"]["columns"]["date"], "订单日期");
    assert_eq!(s["input"]["columns"]["amount"], "实付金额");
    assert_eq!(ids(&a), ["A001", "A002"]);
    assert_eq!(spend(&a, "A001"), 110.0); // 100.50 + 9.50
    assert_eq!(spend(&a, "A002"), 20.0);
    // 12 characters, 24 bytes: few, so the guess is flagged
    let w = warnings(&s, "encoding_guessed");
    assert_eq!(w[0]["params"]["bytes"], 24);

    // the command line reads it the same way
    let dir = std::env::temp_dir().join(format!("tierwise-enc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gbk_header.csv");
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tierwise"))
        .arg("analyze")
        .arg(&file)
        .arg("--summary")
        .arg(dir.join("s.json"))
        .arg("--out")
        .arg(dir.join("c.csv"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("s.json")).unwrap()).unwrap();
    assert_eq!(s["input"]["encoding"], "GBK");
    let csv = std::fs::read_to_string(dir.join("c.csv")).unwrap();
    assert!(csv.contains("\nA001,2024-03-01,2024-03-05,"), "{csv}");
}

#[test]
fn real_japanese_korean_and_traditional_chinese_files_keep_their_encodings() {
    // Shift_JIS: 山 is 8E 52, a lead byte below A1 — not GB2312 — so chardetng's guess stands,
    // even from 20 bytes (山田太郎 8 + 田中 4 + 佐藤花子 8), which are few: flagged
    let text = format!("{HEADER}山田太郎,2024-04-01,1200\n田中,2024-04-02,800\n佐藤花子,2024-04-03,500\n山田太郎,2024-04-05,300\n");
    let a = run(&encode(encoding_rs::SHIFT_JIS, &text));
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "Shift_JIS");
    // sorted by UTF-8 bytes: 佐 E4 BD 90, 山 E5 B1 B1, 田 E7 94 B0
    assert_eq!(ids(&a), ["佐藤花子", "山田太郎", "田中"]);
    assert_eq!(spend(&a, "山田太郎"), 1500.0);
    assert_eq!(warnings(&s, "encoding_guessed")[0]["params"]["bytes"], 20);

    // EUC-JP with kana (rows A4/A5, not common GB2312): stays EUC-JP
    let text = format!("{HEADER}やまだ たろう,2024-04-01,1200\nさとう,2024-04-02,800\n");
    let a = run(&encode(encoding_rs::EUC_JP, &text));
    assert_eq!(summary(&a)["input"]["encoding"], "EUC-JP");
    assert_eq!(ids(&a), ["さとう", "やまだ たろう"]);

    // EUC-KR: hangul is B0–C8 × A1–FE, which is also GB2312's level-1 hanzi, so the bytes alone
    // cannot tell Korean from Chinese; with 64 bytes or more and no pair that would be a hanja in
    // Korean (lead ≥ C9), chardetng's Korean reading stands. 4 names × 3 syllables × 3 rows × 2
    // bytes = 72 bytes.
    let mut text = String::from(HEADER);
    for day in 1..=3 {
        for (name, amount) in [
            ("김철수", 100),
            ("이영희", 200),
            ("박민준", 300),
            ("최지우", 400),
        ] {
            text.push_str(&format!("{name},2024-05-0{day},{amount}\n"));
        }
    }
    let a = run(&encode(encoding_rs::EUC_KR, &text));
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "EUC-KR");
    // 김 EA B9 80, 박 EB B0 95, 이 EC 9D B4, 최 EC B5 9C
    assert_eq!(ids(&a), ["김철수", "박민준", "이영희", "최지우"]);
    assert_eq!(spend(&a, "최지우"), 1200.0);
    assert!(warnings(&s, "encoding_guessed").is_empty());

    // Big5: 大 is A4 6A, a trail byte below A1, so not GB2312; chardetng's Big5 stands
    let text =
        format!("{HEADER}陳大文,2024-04-01,1200\n林小美,2024-04-02,350.5\n陳大文,2024-04-05,800\n");
    let a = run(&encode(encoding_rs::BIG5, &text));
    assert_eq!(summary(&a)["input"]["encoding"], "Big5");
    // 林 E6 9E 97, 陳 E9 99 B3
    assert_eq!(ids(&a), ["林小美", "陳大文"]);
    assert_eq!(spend(&a, "陳大文"), 2000.0);
}

#[test]
fn korean_or_chinese_from_few_bytes() {
    // 김철수 in EUC-KR is B1E8 C3B6 BCF6, which GB2312 reads as three level-1 hanzi: the bytes
    // alone cannot tell. Its three syllables are frequent Korean ones (a surname and two name
    // syllables), which a Chinese text read as Korean rarely gives: EUC-KR, flagged (6 bytes)
    let text = format!("{HEADER}김철수,2024-05-01,100\n");
    let s = summary(&run(&encode(encoding_rs::EUC_KR, &text)));
    assert_eq!(s["input"]["encoding"], "EUC-KR");
    assert_eq!(warnings(&s, "encoding_guessed")[0]["params"]["bytes"], 6);

    // 서울 (Seoul) is only two syllables: too little, so the Chinese reading is preferred (most
    // files given to tierwise are Chinese) and the summary names the option that settles it
    let text = format!("{HEADER}서울,2024-05-01,100\n");
    let bytes = encode(encoding_rs::EUC_KR, &text);
    let s = summary(&run(&bytes));
    assert_eq!(s["input"]["encoding"], "GBK");
    assert_eq!(warnings(&s, "encoding_guessed")[0]["params"]["bytes"], 4);
    let o = Options::from_json(r#"{"encoding": "euc-kr"}"#).unwrap();
    let a = analyze(&bytes, &o).unwrap();
    assert_eq!(ids(&a), ["서울"]);
    assert!(warnings(&summary(&a), "encoding_guessed").is_empty());
}

#[test]
fn a_chinese_file_whose_characters_all_lie_in_the_hangul_rows_is_gbk() {
    // 客户编号 订单日期 金额 and the ids 客户01 … 客户30 use ten characters, all with lead bytes
    // B0–C8 (客 BFCD, 户 BBA7, 编 B1E0, 号 BAC5, 订 B6A9, 单 B5A5, 日 C8D5, 期 C6DA, 金 BDF0,
    // 额 B6EE), which EUC-KR reads as hangul: 와빵긍뵀 땐데휑퍅 쏜띨. Only 와 is a frequent Korean
    // syllable (1 of 10 distinct), so it is not Korean text: GBK, and from 20 + 30 × 4 = 140
    // bytes, without a warning
    let mut text = String::from("客户编号,订单日期,金额\n");
    for i in 1..=30 {
        text.push_str(&format!("客户{i:02},2024-06-{:02},10\n", 1 + i % 28));
    }
    let a = run(&encode(encoding_rs::GBK, &text));
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "GBK");
    assert_eq!(s["input"]["columns"]["customer"], "客户编号");
    assert_eq!(a.rows.len(), 30);
    assert_eq!(a.customer_id(0), "客户01");
    assert!(warnings(&s, "encoding_guessed").is_empty());
}

#[test]
fn a_windows_1252_export_like_the_uci_file_stays_windows_1252() {
    // the UCI Online Retail layout; É, È and £ stand next to ASCII letters and digits, which no
    // GB2312 character does. chardetng alone says windows-1250 (È is Č there, £ is Ł); from 3 bytes
    // a Latin-script guess is taken as windows-1252, and flagged
    let text =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
        536365,85123A,CAFÉ CRÈME HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n\
        536366,22633,HAND WARMER £ UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom\n\
        536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047,France\n";
    let a = run(&encode(encoding_rs::WINDOWS_1252, text));
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "windows-1252");
    assert_eq!(warnings(&s, "encoding_guessed")[0]["params"]["bytes"], 3);
    assert_eq!(ids(&a), ["13047", "17850"]);
    // 6 × 2.55 + 6 × 1.85 = 26.40; 32 × 1.69 = 54.08
    assert_eq!(spend(&a, "17850"), 26.4);
    assert_eq!(spend(&a, "13047"), 54.08);
}

#[test]
fn utf8_with_a_few_broken_bytes_stays_utf8() {
    // a UTF-8 export whose last id lost the last byte of 娜 (E5 A8 9C): 7 valid sequences
    // (张三 three times, 李) against one broken one, so the file is UTF-8 and the broken bytes
    // become U+FFFD, with a warning (it used to be re-read as a legacy encoding, garbling 张三)
    let mut bytes = format!("{HEADER}张三,2024-01-01,10\n张三,2024-01-02,10\n张三,2024-01-03,10\n")
        .into_bytes();
    bytes.extend_from_slice(b"\xE6\x9D\x8E\xE5\xA8,2024-01-04,5\n");
    let a = run(&bytes);
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "UTF-8");
    // 张 E5 BC A0 sorts before 李 E6 9D 8E
    assert_eq!(ids(&a), ["张三", "李\u{FFFD}"]);
    assert_eq!(warnings(&s, "decode_errors").len(), 1);
    assert!(warnings(&s, "encoding_guessed").is_empty());

    // the same after a head of 1 MiB of UTF-8 rows: no second pass, the same reading
    let mut late = String::from(HEADER);
    let mut n = 0;
    while late.len() < (1 << 20) + 100 {
        late.push_str("张三,2024-01-01,10\n");
        n += 1;
    }
    let mut late = late.into_bytes();
    late.extend_from_slice(b"\xE6\x9D\x8E\xE5\xA8,2024-01-04,5\n");
    let mut first = Analyzer::new(Options::default()).unwrap();
    for c in late.chunks(300_001) {
        first.push(c).unwrap();
    }
    let Finish::Done(a) = first.finish_pass().unwrap() else {
        panic!("a UTF-8 file with one broken character needs no second pass");
    };
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "UTF-8");
    assert_eq!(s["input"]["rows"], n + 1);
    assert_eq!(ids(&a), ["张三", "李\u{FFFD}"]);
    assert_eq!(warnings(&s, "decode_errors").len(), 1);
}

#[test]
fn many_gbk_rows_after_an_ascii_head_need_no_warning() {
    // 1 MiB of ASCII, then 50 rows of 王芳 (2 characters, 4 bytes): 200 bytes of evidence, all
    // common GB2312, so GBK without a doubt
    let (ascii, n) = ascii_rows((1 << 20) + 10);
    let mut bytes = ascii.into_bytes();
    for _ in 0..50 {
        bytes.extend(encode(encoding_rs::GBK, "王芳,2024-02-01,1.00\n"));
    }
    let a = run(&bytes);
    let s = summary(&a);
    assert_eq!(s["input"]["encoding"], "GBK");
    assert_eq!(s["input"]["rows"], n as u64 + 50);
    assert_eq!(a.customer_id(1000), "王芳");
    assert_eq!(spend(&a, "王芳"), 50.0);
    assert!(warnings(&s, "encoding_guessed").is_empty());
}
