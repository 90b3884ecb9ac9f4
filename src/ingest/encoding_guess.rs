//! Guessing the encoding of a file that has no byte-order mark and is not (all) UTF-8, from the
//! evidence of the whole file rather than its first MiB (`docs/input.md#encodings`).
//!
//! The evidence is gathered as the bytes stream by, in constant memory and time linear in the file
//! (ASCII is skipped eight bytes at a time, and a test stops counting once it is settled), and never
//! depends on how the file was chunked:
//! - **UTF-8**: multibyte sequences that are valid and those that are not. A file whose valid
//!   sequences outnumber its broken ones is UTF-8 with a few bad bytes (a truncated export), read
//!   as UTF-8 with U+FFFD for the bad bytes, not re-read as some legacy encoding;
//! - **GB2312**: whether every byte ≥ 0x80 pairs into a common character of GB2312 — a level-1 or
//!   level-2 hanzi (lead byte B0–F7) or the punctuation, symbols and full-width forms of rows A1–A3
//!   — and, over the distinct pairs, how many a Korean (EUC-KR) reading would turn into hanja
//!   (lead ≥ C9) and how many into frequent Korean syllables (about 225 of them): hangul
//!   (B0–C8 × A1–FE) is also GB2312's first 25 rows of level-1 hanzi, so the bytes alone cannot
//!   tell the two apart;
//! - **chardetng**, fed with the bytes ≥ 0x80 and one byte of context on each side (runs that are
//!   apart are joined by a line break), up to [`EVIDENCE_BYTES`] of them: a detector tuned for web
//!   pages, slow (about 8 MB/s), and easily misled by a few characters.
//!
//! The choice ([`Evidence::choose`]): UTF-8 as above; else GBK (decoded as GB18030, its superset)
//! when chardetng says so, or when the text is common Chinese (the GB2312 test holds) and chardetng
//! says Shift_JIS, EUC-JP or a single-byte encoding — a few Chinese characters are often taken for
//! those — or EUC-KR while the pairs do not read as Korean (more than 1 in 20 distinct pairs a
//! hanja, or fewer than 30 % of the distinct hangul frequent Korean syllables, or too few bytes to
//! tell); else chardetng's guess. Japanese text has kana and Shift_JIS lead
//! bytes below A1, Big5 text trail bytes below A1 and its most common characters in rows A4–AF, and
//! Western text accented letters next to ASCII ones, so real files in those encodings fail the GB2312
//! test. With fewer than [`SURE_BYTES`] bytes ≥ 0x80, the guess is uncertain and the summary says so;
//! a Latin-script single-byte guess other than windows-1252 (Central European, Baltic, Turkish,
//! Vietnamese) is then taken as windows-1252, the most common one: chardetng reads a `£` or a
//! `CRÈME` in an otherwise ASCII file as windows-1250.

use crate::ingest::decode::first_non_ascii;
use encoding_rs::{
    Encoding, BIG5, EUC_KR, GB18030, GBK, ISO_8859_13, ISO_8859_2, ISO_8859_4, UTF_8, WINDOWS_1250,
    WINDOWS_1252, WINDOWS_1254, WINDOWS_1257, WINDOWS_1258,
};

/// Bytes of evidence (bytes ≥ 0x80 with their context) given to chardetng, at most: about 85,000
/// CJK characters, far more than it needs, and a bound on its time (it reads about 8 MB/s).
pub const EVIDENCE_BYTES: usize = 256 << 10;
/// A guess made from fewer bytes ≥ 0x80 than this is uncertain: the summary warns.
pub const SURE_BYTES: u64 = 64;
/// Broken UTF-8 sequences from which the UTF-8 test is settled, when they are also more than four
/// times the valid ones.
const UTF8_SETTLED: u64 = 1024;
/// Evidence is handed to chardetng in pieces of at most this many bytes.
const PIECE: usize = 64 << 10;
/// The single-byte encodings of Latin script other than windows-1252 that chardetng may guess.
const OTHER_LATIN: [&Encoding; 7] = [
    WINDOWS_1250,
    ISO_8859_2,
    WINDOWS_1257,
    ISO_8859_13,
    ISO_8859_4,
    WINDOWS_1254,
    WINDOWS_1258,
];

/// The evidence about a file's encoding, gathered from its bytes (see the module documentation).
pub(crate) struct Evidence {
    det: chardetng::EncodingDetector,
    /// Bytes given to the detector so far.
    fed: usize,
    /// Global position of the next byte of the file.
    pos: u64,
    /// Global position just after the last byte given to the detector, if any.
    fed_end: Option<u64>,
    /// The last byte of the previous chunk.
    prev: u8,
    /// The previous chunk ended with a byte ≥ 0x80, so the next byte is context.
    after: bool,
    /// Pending GB2312 lead byte (0: none).
    lead: u8,
    gb_pairs: u64,
    gb_other: u64,
    /// The distinct common GB2312 pairs seen (rows A1–F7 × 94), and how many of them are: all,
    /// hanja in a Korean reading (lead ≥ C9), hangul in it (lead B0–C8), and frequent Korean
    /// syllables among those. Distinct, so that a word repeated on every row counts once.
    seen: Box<[u64; SEEN_WORDS]>,
    types: u64,
    types_high: u64,
    types_hangul: u64,
    types_korean: u64,
    /// The GB2312 and UTF-8 tests are still counting (not settled).
    gb_on: bool,
    utf8_on: bool,
    /// UTF-8 continuation bytes still expected.
    need: u8,
    utf8_valid: u64,
    utf8_invalid: u64,
    non_ascii: u64,
    ended: bool,
    out: Vec<u8>,
}

/// Bits for the pairs of rows A1–F7 (87 × 94).
const SEEN_WORDS: usize = (87 * 94usize).div_ceil(64);

/// Korean syllables frequent in everyday text and customer files (particles and endings, common
/// words, surnames and given names, places, the words of column names), about 225 of the 2,350
/// hangul of EUC-KR. Real Korean text has most of its distinct syllables among them; Chinese text
/// read as EUC-KR lands on them by chance (about 9 % of common hanzi in rows B0–C8). Kept as
/// [`FREQUENT_KOREAN_PAIRS`]; a unit test checks that the two agree.
#[cfg(test)]
const FREQUENT_KOREAN: &str = "이가은는을를의에서로와과도만고다하있없되한했해지기게나니면요습것수등때및더또그저우리들중대사자인일시정전상부국주제장성원경동관위화공문학생계비무개용회물간미선거조식방연신내소명분업실행발단호번객금액품배송결판매입출격할카드현포트점센터쇼핑몰온라오프구청역길아파층읍특별광군김박최강윤임권황안류홍양손백허남심노곽차민진엄채천함변염추석설마표반왕옥육맹모탁어준영혜재훈철숙태승예빈규환혁범찬건율린솔빛람세종근순애란울산충북항창량날짜처락합총적립취불디름법";

/// The frequent Korean syllables (see the list in this module's tests) as EUC-KR pairs: per lead
/// byte B0–C8, bit `trail − A1` (a table rather than encoding the list when running, which would
/// link every legacy encoder of `encoding_rs` into the wasm module).
const FREQUENT_KOREAN_PAIRS: [u128; 25] = [
    0x0e8010a110081050000c1005, // B0
    0x000000a21148004003800008, // B1
    0x000000000000000000000000, // B2
    0x000004000000000004024200, // B3
    0x001004000900400200000000, // B4
    0x0000a1100000004040100000, // B5
    0x005c00000000004000000040, // B6
    0x010000000000200000002000, // B7
    0x000891000000101000a4a060, // B8
    0x188001a0524028000000a400, // B9
    0x040500000002e0000000c000, // BA
    0x100402400000000000000000, // BB
    0x00e02000043200002a053000, // BC
    0x000000000000015e80000000, // BD
    0x00e02040006000a000000000, // BE
    0x00804c080010100381108a01, // BF
    0x0e000050022c684026038040, // C0
    0x00a0000040a0000020200029, // C1
    0x014000000000000000000010, // C2
    0x20000422402100000434000a, // C3
    0x000000000000000000000400, // C4
    0x000000000000100201000000, // C5
    0x004000000000004800006000, // C6
    0x10300004c0dbe00100008010, // C7
    0x000000000000002000825404, // C8
];

/// Whether `lead trail` is a common GB2312 character: a level-1 or level-2 hanzi, or a
/// punctuation mark, symbol or full-width form of rows A1–A3.
fn gb2312_common(lead: u8, trail: u8) -> bool {
    (0xA1..=0xFE).contains(&trail)
        && ((0xA1..=0xA3).contains(&lead)
            || ((0xB0..=0xF7).contains(&lead) && !(lead == 0xD7 && trail >= 0xFA)))
}

impl Evidence {
    pub(crate) fn new() -> Evidence {
        Evidence {
            det: chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny),
            fed: 0,
            pos: 0,
            fed_end: None,
            prev: b'\n',
            after: false,
            lead: 0,
            gb_pairs: 0,
            gb_other: 0,
            seen: Box::new([0; SEEN_WORDS]),
            types: 0,
            types_high: 0,
            types_hangul: 0,
            types_korean: 0,
            gb_on: true,
            utf8_on: true,
            need: 0,
            utf8_valid: 0,
            utf8_invalid: 0,
            non_ascii: 0,
            ended: false,
            out: Vec::new(),
        }
    }

    /// Adds valid UTF-8 multibyte sequences seen outside the bytes fed here (the part of a UTF-8
    /// file checked before its first bad byte, after its head).
    pub(crate) fn add_valid_utf8(&mut self, sequences: u64) {
        self.utf8_valid += sequences;
    }

    /// Bytes ≥ 0x80 seen so far (exact below [`SURE_BYTES`]; counting stops once both tests are
    /// settled, which takes more than a thousand).
    pub(crate) fn non_ascii(&self) -> u64 {
        self.non_ascii
    }

    /// Valid and broken UTF-8 sequences so far.
    #[cfg(test)]
    pub(crate) fn utf8(&self) -> (u64, u64) {
        (self.utf8_valid, self.utf8_invalid)
    }

    /// Feeds the next bytes of the file (`last`: the file ends here).
    pub(crate) fn feed(&mut self, bytes: &[u8], last: bool) {
        if self.ended {
            return;
        }
        self.count(bytes);
        self.islands(bytes);
        self.pos += bytes.len() as u64;
        if let Some(&b) = bytes.last() {
            self.prev = b;
        }
        if last {
            if self.lead != 0 {
                self.gb_other += 1;
                self.lead = 0;
            }
            if self.need != 0 {
                self.need = 0;
                self.broken_utf8();
            }
            self.flush(true);
            self.ended = true;
        }
    }

    /// The UTF-8 and GB2312 counts, byte by byte over the bytes ≥ 0x80 and the byte after each.
    /// A test that is settled stops counting: GB2312 at its first uncommon pair, UTF-8 once its
    /// broken sequences are [`UTF8_SETTLED`] or more and four times the valid ones; with both
    /// settled the rest of the file costs nothing here.
    fn count(&mut self, b: &[u8]) {
        if self.gb_on && !self.utf8_on {
            return self.count_gb2312(b);
        }
        let n = b.len();
        let mut i = 0;
        while i < n {
            if !self.gb_on && !self.utf8_on {
                return;
            }
            if self.lead == 0 && self.need == 0 {
                i += first_non_ascii(&b[i..]);
                if i >= n {
                    break;
                }
            }
            let c = b[i];
            i += 1;
            self.non_ascii += u64::from(c >= 0x80);
            if self.gb_on {
                if self.lead != 0 {
                    let lead = std::mem::take(&mut self.lead);
                    self.pair(lead, c);
                } else if c >= 0x80 {
                    self.lead = c;
                }
            }
            if self.utf8_on {
                if self.need > 0 {
                    if (0x80..=0xBF).contains(&c) {
                        self.need -= 1;
                        self.utf8_valid += u64::from(self.need == 0);
                        continue;
                    }
                    self.need = 0;
                    self.broken_utf8();
                }
                match c {
                    0x00..=0x7F => {}
                    0xC2..=0xDF => self.need = 1,
                    0xE0..=0xEF => self.need = 2,
                    0xF0..=0xF4 => self.need = 3,
                    _ => self.broken_utf8(),
                }
                if !self.utf8_on {
                    self.need = 0;
                }
            }
        }
    }

    /// [`Evidence::count`] once only the GB2312 test counts (a GBK file past its first thousand
    /// bytes that are not UTF-8): a pair at a time.
    fn count_gb2312(&mut self, b: &[u8]) {
        let n = b.len();
        let mut i = 0;
        if self.lead != 0 {
            let Some(&c) = b.first() else {
                return;
            };
            i = 1;
            self.non_ascii += u64::from(c >= 0x80);
            let lead = std::mem::take(&mut self.lead);
            if !self.pair(lead, c) {
                return;
            }
        }
        loop {
            i += first_non_ascii(&b[i..]);
            if i >= n {
                return;
            }
            let lead = b[i];
            let Some(&trail) = b.get(i + 1) else {
                self.non_ascii += 1;
                self.lead = lead;
                return;
            };
            self.non_ascii += 1 + u64::from(trail >= 0x80);
            if !self.pair(lead, trail) {
                return;
            }
            i += 2;
        }
    }

    /// Counts a GB2312 pair; false (and the test settled) when it is not a common one.
    #[inline]
    fn pair(&mut self, lead: u8, trail: u8) -> bool {
        if gb2312_common(lead, trail) {
            self.gb_pairs += 1;
            self.distinct(lead, trail);
            true
        } else {
            self.gb_other += 1;
            self.gb_on = false;
            false
        }
    }

    fn broken_utf8(&mut self) {
        self.utf8_invalid += 1;
        if self.utf8_invalid >= UTF8_SETTLED && self.utf8_invalid > 4 * self.utf8_valid {
            self.utf8_on = false;
        }
    }

    /// Counts a common GB2312 pair the first time it is seen.
    fn distinct(&mut self, lead: u8, trail: u8) {
        let i = usize::from(lead - 0xA1) * 94 + usize::from(trail - 0xA1);
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        if self.seen[word] & bit != 0 {
            return;
        }
        self.seen[word] |= bit;
        self.types += 1;
        match lead {
            0xC9.. => self.types_high += 1,
            0xB0..=0xC8 => {
                self.types_hangul += 1;
                let row = FREQUENT_KOREAN_PAIRS[usize::from(lead - 0xB0)];
                self.types_korean += u64::from(row >> (trail - 0xA1) & 1 == 1);
            }
            _ => {}
        }
    }

    /// Whether the common GB2312 pairs read as Korean text: hardly any hanja (at most 1 in 20
    /// distinct pairs), and at least 30 % of the distinct hangul frequent Korean syllables; from
    /// fewer than [`SURE_BYTES`] bytes, only when every distinct pair (at least 3) is a frequent
    /// syllable.
    fn reads_as_korean(&self) -> bool {
        self.types_high * 20 <= self.types
            && self.types_korean * 10 >= self.types_hangul * 3
            && (self.non_ascii >= SURE_BYTES
                || (self.types_korean >= 3 && self.types_korean == self.types))
    }

    /// Hands the detector the bytes ≥ 0x80 with one byte of context on each side, until
    /// [`EVIDENCE_BYTES`].
    fn islands(&mut self, b: &[u8]) {
        if self.fed + self.out.len() >= EVIDENCE_BYTES {
            return;
        }
        let base = self.pos;
        let mut i = 0;
        if self.after && !b.is_empty() {
            self.after = false;
            if b[0] < 0x80 {
                self.emit(base, &b[..1]);
                i = 1;
            }
        }
        loop {
            let s = i + first_non_ascii(&b[i..]);
            if s >= b.len() {
                break;
            }
            let e = s + b[s..].iter().position(|&c| c < 0x80).unwrap_or(b.len() - s);
            if s > 0 {
                self.emit(base + s as u64 - 1, &b[s - 1..s]);
            } else if base > 0 {
                self.emit(base - 1, &[self.prev]);
            }
            self.emit(base + s as u64, &b[s..e]);
            if e < b.len() {
                self.emit(base + e as u64, &b[e..=e]);
                i = e + 1;
            } else {
                self.after = true;
                break;
            }
            if self.fed + self.out.len() >= EVIDENCE_BYTES {
                break;
            }
        }
        self.flush(false);
    }

    /// Queues the bytes at global position `at` for the detector (each once; a line break first
    /// when they do not follow the last byte queued), no more than the detector will take.
    fn emit(&mut self, at: u64, bytes: &[u8]) {
        let (mut at, mut bytes) = (at, bytes);
        if let Some(end) = self.fed_end {
            if at < end {
                let seen = usize::try_from(end - at).map_or(bytes.len(), |n| n.min(bytes.len()));
                bytes = &bytes[seen..];
                at += seen as u64;
            }
            if bytes.is_empty() {
                return;
            }
            if at > end {
                self.out.push(b'\n');
            }
        }
        let room = EVIDENCE_BYTES.saturating_sub(self.fed + self.out.len());
        self.out.extend_from_slice(&bytes[..bytes.len().min(room)]);
        self.fed_end = Some(at + bytes.len() as u64);
        if self.out.len() >= PIECE {
            self.flush(false);
        }
    }

    fn flush(&mut self, last: bool) {
        let room = EVIDENCE_BYTES.saturating_sub(self.fed);
        let n = self.out.len().min(room);
        if n > 0 {
            self.det.feed(&self.out[..n], false);
            self.fed += n;
        }
        self.out.clear();
        if last && self.fed < EVIDENCE_BYTES {
            self.det.feed(&[], true);
        }
    }

    /// The encoding the evidence so far points to (see the module documentation).
    pub(crate) fn choose(&self) -> &'static Encoding {
        if self.utf8_invalid == 0 || self.utf8_valid > self.utf8_invalid {
            return UTF_8;
        }
        let guess = self.det.guess(None, chardetng::Utf8Detection::Deny);
        if guess == GBK || guess == GB18030 {
            return GBK;
        }
        let common_chinese = self.gb_other == 0 && self.gb_pairs > 0;
        let korean = guess == EUC_KR && self.reads_as_korean();
        if common_chinese && guess != BIG5 && !korean {
            return GBK;
        }
        // a few accented letters or a £ read as Central European, Baltic, Turkish or Vietnamese
        // are far more often Western European (the UCI retail file): windows-1252
        if self.non_ascii < SURE_BYTES && OTHER_LATIN.contains(&guess) {
            return WINDOWS_1252;
        }
        guess
    }
}

/// Picks the encoding from the head of a file (the first MiB, or all of a smaller file): declared
/// ([`crate::ingest::decode::declared_encoding`]), else UTF-8 when the head is valid UTF-8 (a character cut at the end of
/// the head is fine), else the head's evidence. The reader does the same
/// and goes on gathering evidence from the rest of the file.
#[cfg(test)]
pub fn pick_encoding(
    head: &[u8],
    label: &str,
    last: bool,
) -> crate::error::Result<(&'static encoding_rs::Encoding, usize)> {
    if let Some(declared) = crate::ingest::decode::declared_encoding(head, label)? {
        return Ok(declared);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok((encoding_rs::UTF_8, 0)),
        Err(e) if e.error_len().is_none() && !last => return Ok((encoding_rs::UTF_8, 0)),
        Err(_) => {}
    }
    let mut evidence = Evidence::new();
    evidence.feed(head, last);
    Ok((evidence.choose(), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(bytes: &[u8], chunk: usize) -> &'static Encoding {
        let mut e = Evidence::new();
        let chunks: Vec<&[u8]> = bytes.chunks(chunk.max(1)).collect();
        for c in &chunks {
            e.feed(c, false);
        }
        e.feed(&[], true);
        e.choose()
    }

    #[test]
    fn common_chinese_pairs() {
        assert!(gb2312_common(0xB0, 0xA1)); // 啊, the first level-1 hanzi
        assert!(gb2312_common(0xD7, 0xF9)); // the last one
        assert!(!gb2312_common(0xD7, 0xFA)); // unassigned
        assert!(gb2312_common(0xF7, 0xFE)); // the last level-2 hanzi
        assert!(gb2312_common(0xA3, 0xAC)); // full-width comma
        assert!(!gb2312_common(0xA4, 0xA2)); // hiragana
        assert!(!gb2312_common(0x81, 0x40)); // GBK beyond GB2312
        assert!(!gb2312_common(0xB0, 0x41));
    }

    #[test]
    fn the_frequent_korean_table_is_the_list() {
        let mut table = [0u128; 25];
        let (bytes, _, unmappable) = EUC_KR.encode(FREQUENT_KOREAN);
        assert!(!unmappable);
        assert_eq!(bytes.len(), 2 * FREQUENT_KOREAN.chars().count());
        for pair in bytes.chunks_exact(2) {
            let [lead @ 0xB0..=0xC8, trail @ 0xA1..=0xFE] = *pair else {
                panic!("{pair:x?} is not a hangul pair of EUC-KR");
            };
            table[usize::from(lead - 0xB0)] |= 1u128 << (trail - 0xA1);
        }
        assert_eq!(table, FREQUENT_KOREAN_PAIRS);
    }

    #[test]
    fn counts_utf8_sequences() {
        let mut e = Evidence::new();
        // two valid sequences, then a lone lead byte before ASCII, a stray continuation byte, and a
        // sequence cut by the end of the input
        let mut b = "é中".as_bytes().to_vec();
        b.extend_from_slice(b"\xE4x\x80\xE4\xB8");
        for c in b.chunks(1) {
            e.feed(c, false);
        }
        e.feed(&[], true);
        assert_eq!(e.utf8(), (2, 3));
        assert_eq!(e.non_ascii(), 2 + 3 + 4);
    }

    #[test]
    fn chunking_does_not_change_the_choice() {
        let (gbk, _, _) = GBK.encode("客户编号,订单日期,实付金额\nA1,2024-01-05,88\n");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("顧客番号,注文日\nやまだ,2024-01-05\n");
        for chunk in [1, 2, 3, 7, 1000] {
            assert_eq!(choose(&gbk, chunk), GBK);
            assert_eq!(choose(&sjis, chunk), encoding_rs::SHIFT_JIS);
        }
    }
}
