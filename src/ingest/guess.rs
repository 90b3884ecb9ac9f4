//! Guessing the encoding of a file that has no byte-order mark and is not (all) UTF-8, from the
//! evidence of the whole file rather than its first MiB (`docs/input.md#encodings`).
//!
//! The evidence is gathered as the bytes stream by, in constant memory and time linear in the file
//! (ASCII is skipped eight bytes at a time), and never depends on how the file was chunked:
//! - **UTF-8**: multibyte sequences that are valid and those that are not. A file whose valid
//!   sequences outnumber its broken ones is UTF-8 with a few bad bytes (a truncated export), read
//!   as UTF-8 with U+FFFD for the bad bytes, not re-read as some legacy encoding;
//! - **GB2312**: whether every byte ≥ 0x80 pairs into a common character of GB2312 — a level-1 or
//!   level-2 hanzi (lead byte B0–F7) or the punctuation, symbols and full-width forms of rows A1–A3
//!   — and how many of those pairs a Korean (EUC-KR) reading would turn into hanja (lead ≥ C9);
//! - **chardetng**, fed with the bytes ≥ 0x80 and one byte of context on each side (runs that are
//!   apart are joined by a line break), up to [`EVIDENCE_BYTES`] of them: a detector tuned for web
//!   pages, slow (about 8 MB/s), and easily misled by a few characters.
//!
//! The choice ([`Evidence::choose`]): UTF-8 as above; else GBK (decoded as GB18030, its superset)
//! when chardetng says so, or when the text is common Chinese (the GB2312 test holds) and chardetng
//! says Shift_JIS, EUC-JP or a single-byte encoding — a few Chinese characters are often taken for
//! those — or EUC-KR while some pair would be a hanja in Korean or the evidence is small (fewer than
//! [`SURE_BYTES`] bytes ≥ 0x80); else chardetng's guess. Japanese text has kana and Shift_JIS lead
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

/// Bytes of evidence (bytes ≥ 0x80 with their context) given to chardetng, at most.
pub const EVIDENCE_BYTES: usize = 1 << 20;
/// A guess made from fewer bytes ≥ 0x80 than this is uncertain: the summary warns.
pub const SURE_BYTES: u64 = 64;
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
    gb_high: u64,
    gb_other: u64,
    /// UTF-8 continuation bytes still expected.
    need: u8,
    utf8_valid: u64,
    utf8_invalid: u64,
    non_ascii: u64,
    ended: bool,
    out: Vec<u8>,
}

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
            gb_high: 0,
            gb_other: 0,
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

    /// Bytes ≥ 0x80 seen so far.
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
                self.utf8_invalid += 1;
                self.need = 0;
            }
            self.flush(true);
            self.ended = true;
        }
    }

    /// The UTF-8 and GB2312 counts, byte by byte over the bytes ≥ 0x80 and the byte after each.
    fn count(&mut self, b: &[u8]) {
        let n = b.len();
        let mut i = 0;
        while i < n {
            if self.lead == 0 && self.need == 0 {
                i += first_non_ascii(&b[i..]);
                if i >= n {
                    break;
                }
            }
            let c = b[i];
            i += 1;
            if c >= 0x80 {
                self.non_ascii += 1;
            }
            if self.lead != 0 {
                if gb2312_common(self.lead, c) {
                    self.gb_pairs += 1;
                    self.gb_high += u64::from(self.lead >= 0xC9);
                } else {
                    self.gb_other += 1;
                }
                self.lead = 0;
            } else if c >= 0x80 {
                self.lead = c;
            }
            if self.need > 0 {
                if (0x80..=0xBF).contains(&c) {
                    self.need -= 1;
                    self.utf8_valid += u64::from(self.need == 0);
                    continue;
                }
                self.utf8_invalid += 1;
                self.need = 0;
            }
            match c {
                0x00..=0x7F => {}
                0xC2..=0xDF => self.need = 1,
                0xE0..=0xEF => self.need = 2,
                0xF0..=0xF4 => self.need = 3,
                _ => self.utf8_invalid += 1,
            }
        }
    }

    /// Hands the detector the bytes ≥ 0x80 with one byte of context on each side, until
    /// [`EVIDENCE_BYTES`].
    fn islands(&mut self, b: &[u8]) {
        if self.fed >= EVIDENCE_BYTES {
            return;
        }
        let base = self.pos;
        let mut i = 0;
        if self.after && !b.is_empty() {
            self.after = false;
            if b[0] < 0x80 {
                self.emit(base, b[0]);
                i = 1;
            }
        }
        loop {
            let s = i + first_non_ascii(&b[i..]);
            if s >= b.len() {
                break;
            }
            let mut e = s;
            while e < b.len() && b[e] >= 0x80 {
                e += 1;
            }
            if s > 0 {
                self.emit(base + s as u64 - 1, b[s - 1]);
            } else if base > 0 {
                self.emit(base - 1, self.prev);
            }
            for (k, &c) in b[s..e].iter().enumerate() {
                self.emit(base + (s + k) as u64, c);
            }
            if e < b.len() {
                self.emit(base + e as u64, b[e]);
                i = e + 1;
            } else {
                self.after = true;
                break;
            }
            if self.fed >= EVIDENCE_BYTES {
                return;
            }
        }
        self.flush(false);
    }

    /// Queues the byte at global position `at` for the detector (once; a line break first when it
    /// does not follow the last byte queued).
    fn emit(&mut self, at: u64, byte: u8) {
        match self.fed_end {
            Some(end) if at < end => return,
            Some(end) if at > end => self.out.push(b'\n'),
            _ => {}
        }
        self.out.push(byte);
        self.fed_end = Some(at + 1);
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
        let korean_possible = guess == EUC_KR && self.gb_high == 0 && self.non_ascii >= SURE_BYTES;
        if common_chinese && guess != BIG5 && !korean_possible {
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
