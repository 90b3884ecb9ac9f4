//! A streaming, zero-copy record tokenizer (RFC 4180 quoting, CRLF/LF/CR line ends, or
//! whitespace-aligned columns) that numbers records the way a spreadsheet shows them.
//!
//! Input arrives in chunks split anywhere; a record cut by a chunk boundary is carried over to the
//! next chunk, so results never depend on the split. Unquoted fields are slices of the input (no
//! copy, no allocation per field); quoted fields are unescaped into a scratch buffer.
//!
//! Row numbers: the header is row 1; a blank line takes a row (as in a spreadsheet); a quoted field
//! holding line breaks does not (the record is one spreadsheet row).

/// The field separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// A single byte: `,` `;` tab or `|`.
    Byte(u8),
    /// Runs of spaces/tabs (whitespace-aligned columns, no quoting).
    Whitespace,
}

impl Delimiter {
    /// Name for the summary: the character, or `whitespace`.
    pub fn name(self) -> String {
        match self {
            Delimiter::Byte(b) => (b as char).to_string(),
            Delimiter::Whitespace => "whitespace".into(),
        }
    }
}

/// Marks a span that points into the scratch buffer rather than the input.
const SCRATCH: u32 = 1 << 31;

/// One record: its spreadsheet row and its fields (raw, not trimmed).
pub struct Record<'a> {
    /// Spreadsheet row number (1-based).
    pub row: u64,
    spans: &'a [(u32, u32)],
    data: &'a [u8],
    scratch: &'a [u8],
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }
    /// Field `i` as bytes (empty when out of range).
    pub fn get(&self, i: usize) -> &'a [u8] {
        match self.spans.get(i) {
            Some(&(s, e)) if s & SCRATCH != 0 => {
                &self.scratch[(s & !SCRATCH) as usize..(e & !SCRATCH) as usize]
            }
            Some(&(s, e)) => &self.data[s as usize..e as usize],
            None => &[],
        }
    }
    /// Field `i` trimmed of surrounding ASCII and Unicode whitespace.
    #[inline]
    pub fn trimmed(&self, i: usize) -> &'a [u8] {
        trim(self.get(i))
    }
    /// All fields as owned strings (lossy UTF-8), for samples and headers.
    pub fn to_strings(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| String::from_utf8_lossy(self.get(i)).into_owned())
            .collect()
    }
}

/// Trims ASCII whitespace and the common Unicode spaces (NBSP, ideographic space) from both ends.
#[inline]
pub fn trim(b: &[u8]) -> &[u8] {
    // the common case: printable ASCII at both ends, nothing to trim
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if (0x21..0x80).contains(&f) && (0x21..0x80).contains(&l) => b,
        (None, _) => b,
        _ => trim_slow(b),
    }
}

fn trim_slow(mut b: &[u8]) -> &[u8] {
    loop {
        match b {
            [c, rest @ ..] if c.is_ascii_whitespace() => b = rest,
            [0xC2, 0xA0, rest @ ..] => b = rest,
            [0xE3, 0x80, 0x80, rest @ ..] => b = rest,
            [rest @ .., c] if c.is_ascii_whitespace() => b = rest,
            [rest @ .., 0xC2, 0xA0] => b = rest,
            [rest @ .., 0xE3, 0x80, 0x80] => b = rest,
            _ => return b,
        }
    }
}

/// The streaming tokenizer.
#[derive(Debug)]
pub struct Tokenizer {
    delim: Delimiter,
    carry: Vec<u8>,
    joined: Vec<u8>,
    spans: Vec<(u32, u32)>,
    scratch: Vec<u8>,
    /// Line terminators consumed so far (CRLF counts once).
    lines: u64,
    /// Line breaks seen inside quoted fields so far.
    embedded: u64,
    class: [u8; 256],
    /// The delimiter byte repeated in every byte of a word (for [`Tokenizer::plain_end`]).
    delim_word: u64,
}

const C_DELIM: u8 = 1;
const ONES: u64 = 0x0101_0101_0101_0101;

/// High bit set in the lowest zero byte of `w` (bits above it may be set spuriously by the borrow;
/// only the lowest one is used).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & (ONES << 7)
}
const C_CR: u8 = 2;
const C_LF: u8 = 3;

impl Tokenizer {
    /// A tokenizer for the given delimiter.
    pub fn new(delim: Delimiter) -> Tokenizer {
        let mut class = [0u8; 256];
        class[b'\r' as usize] = C_CR;
        class[b'\n' as usize] = C_LF;
        if let Delimiter::Byte(d) = delim {
            class[d as usize] = C_DELIM;
        }
        Tokenizer {
            delim,
            carry: Vec::new(),
            joined: Vec::new(),
            spans: Vec::new(),
            scratch: Vec::new(),
            lines: 0,
            embedded: 0,
            class,
            delim_word: match delim {
                Delimiter::Byte(d) => u64::from(d) * ONES,
                Delimiter::Whitespace => u64::from(b'\n') * ONES,
            },
        }
    }

    /// End of an unquoted run starting at `p`: the first delimiter, CR or LF (or `data.len()`).
    /// Eight bytes at a time: a byte equal to `x` is a zero byte of `word ^ (x * ONES)`, and the
    /// classic zero-byte test marks the lowest such byte exactly.
    #[inline]
    fn plain_end(&self, data: &[u8], mut p: usize) -> usize {
        let n = data.len();
        while let Some(w) = data.get(p..p + 8) {
            let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            let hit = zero_bytes(w ^ self.delim_word)
                | zero_bytes(w ^ (u64::from(b'\n') * ONES))
                | zero_bytes(w ^ (u64::from(b'\r') * ONES));
            if hit != 0 {
                return p + (hit.trailing_zeros() / 8) as usize;
            }
            p += 8;
        }
        while p < n && self.class[data[p] as usize] == 0 {
            p += 1;
        }
        p
    }

    /// Feeds a chunk; calls `on_record` for every complete record. With `last`, the input ends here and
    /// a final record without a line end is complete. Whitespace-only lines are not reported.
    pub fn feed(&mut self, chunk: &[u8], last: bool, on_record: &mut dyn FnMut(&Record<'_>)) {
        // a record cut by the previous chunk is completed in a buffer that keeps its capacity, so
        // streaming allocates nothing per chunk
        let mut joined = std::mem::take(&mut self.joined);
        let data: &[u8] = if self.carry.is_empty() {
            chunk
        } else {
            joined.clear();
            joined.extend_from_slice(&self.carry);
            joined.extend_from_slice(chunk);
            self.carry.clear();
            &joined
        };
        // spans are u32 offsets: process very large inputs in windows of at most 1 GiB
        let mut pos = 0usize;
        while pos < data.len() {
            let window_end = (pos + (1 << 30)).min(data.len());
            let consumed = self.feed_window(
                &data[pos..window_end],
                last && window_end == data.len(),
                on_record,
            );
            if consumed == 0 && window_end < data.len() {
                pos = window_end; // one record longer than 1 GiB: dropped rather than looping
                continue;
            }
            pos += consumed;
            if pos < window_end && window_end == data.len() {
                break; // an incomplete record at the end: carried over
            }
        }
        if pos < data.len() {
            self.carry.extend_from_slice(&data[pos..]);
        }
        self.joined = joined;
    }

    /// Processes complete records of `data`; returns the bytes consumed.
    fn feed_window(
        &mut self,
        data: &[u8],
        last: bool,
        on_record: &mut dyn FnMut(&Record<'_>),
    ) -> usize {
        let n = data.len();
        let mut pos = 0usize;
        loop {
            // skip blank line ends between records, counting them
            let mut p = pos;
            let mut lines = self.lines;
            while p < n && (data[p] == b'\n' || data[p] == b'\r') {
                if data[p] == b'\r' {
                    if p + 1 == n && !last {
                        return pos; // a CR at the very end: its LF may follow in the next chunk
                    }
                    if p + 1 < n && data[p + 1] == b'\n' {
                        p += 1;
                    }
                }
                lines += 1;
                p += 1;
            }
            if p >= n {
                self.lines = lines;
                return n;
            }
            let start_line = lines;
            self.spans.clear();
            self.scratch.clear();
            let (end, breaks, complete) = match self.delim {
                Delimiter::Byte(_) => self.parse_delimited(data, p, last),
                Delimiter::Whitespace => self.parse_whitespace(data, p, last),
            };
            if !complete {
                return pos;
            }
            // the record's own terminator counts as a line; breaks inside quotes are embedded
            let own = if end > p && end <= n && matches!(data[end - 1], b'\n' | b'\r') {
                1
            } else {
                0
            };
            self.lines = start_line + breaks + own;
            let row = start_line + 1 - self.embedded;
            self.embedded += breaks;
            let blank = self.spans.len() == 1 && {
                let (s, e) = self.spans[0];
                s & SCRATCH == 0
                    && data[s as usize..e as usize]
                        .iter()
                        .all(|b| b.is_ascii_whitespace())
            };
            if !blank && !self.spans.is_empty() {
                on_record(&Record {
                    row,
                    spans: &self.spans,
                    data,
                    scratch: &self.scratch,
                });
            }
            pos = end;
            if pos >= n {
                return n;
            }
        }
    }

    /// Parses one delimited record from `p`. Returns (end after its terminator, line breaks inside
    /// quoted fields, complete).
    fn parse_delimited(&mut self, data: &[u8], mut p: usize, last: bool) -> (usize, u64, bool) {
        let n = data.len();
        let mut breaks = 0u64;
        loop {
            if p < n && data[p] == b'"' {
                // quoted field: unescape into scratch
                let s0 = self.scratch.len();
                p += 1;
                loop {
                    let Some(q) = data[p..].iter().position(|&b| b == b'"') else {
                        if !last {
                            return (p, 0, false);
                        }
                        breaks += count_breaks(&data[p..]);
                        self.scratch.extend_from_slice(&data[p..]);
                        p = n;
                        break;
                    };
                    breaks += count_breaks(&data[p..p + q]);
                    self.scratch.extend_from_slice(&data[p..p + q]);
                    p += q + 1;
                    if p < n && data[p] == b'"' {
                        self.scratch.push(b'"');
                        p += 1;
                        continue;
                    }
                    if p >= n && !last {
                        return (p, 0, false);
                    }
                    break;
                }
                // text after the closing quote up to the next delimiter or line end is kept as is
                let t0 = p;
                p = self.plain_end(data, p);
                self.scratch.extend_from_slice(&data[t0..p]);
                self.spans
                    .push((s0 as u32 | SCRATCH, self.scratch.len() as u32 | SCRATCH));
            } else {
                let s = p;
                p = self.plain_end(data, p);
                self.spans.push((s as u32, p as u32));
            }
            if p >= n {
                return (n, breaks, last);
            }
            match self.class[data[p] as usize] {
                C_DELIM => {
                    p += 1;
                    if p >= n {
                        if last {
                            self.spans.push((p as u32, p as u32));
                            return (n, breaks, true);
                        }
                        return (p, 0, false);
                    }
                }
                C_CR => {
                    if p + 1 < n {
                        return (
                            if data[p + 1] == b'\n' { p + 2 } else { p + 1 },
                            breaks,
                            true,
                        );
                    }
                    return (n, breaks, last);
                }
                _ => return (p + 1, breaks, true),
            }
        }
    }

    /// Parses one whitespace-aligned line from `p`.
    fn parse_whitespace(&mut self, data: &[u8], mut p: usize, last: bool) -> (usize, u64, bool) {
        let n = data.len();
        loop {
            while p < n && (data[p] == b' ' || data[p] == b'\t') {
                p += 1;
            }
            if p >= n {
                return (n, 0, last);
            }
            if data[p] == b'\n' {
                return (p + 1, 0, true);
            }
            if data[p] == b'\r' {
                if p + 1 < n {
                    return (if data[p + 1] == b'\n' { p + 2 } else { p + 1 }, 0, true);
                }
                return (n, 0, last);
            }
            let s = p;
            while p < n && !matches!(data[p], b' ' | b'\t' | b'\n' | b'\r') {
                p += 1;
            }
            self.spans.push((s as u32, p as u32));
        }
    }
}

/// Line breaks in a byte run (CRLF counted once).
fn count_breaks(b: &[u8]) -> u64 {
    let mut c = 0;
    for i in 0..b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            c += 1;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_at_a_time_scan_finds_every_terminator_position() {
        // fields of every length 0..=20 (so terminators fall at every offset within a word), with
        // each of the three terminators; expected fields built independently of the tokenizer
        for term in [b';', b'\n', b'\r'] {
            for len in 0..=20usize {
                let field: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                let mut line = field.clone();
                line.push(term);
                line.extend_from_slice(b"zz\n");
                let rows = run(&line, Delimiter::Byte(b';'), 4096);
                let f = String::from_utf8(field.clone()).unwrap();
                let expected: Vec<Vec<String>> = match term {
                    b';' => vec![vec![f, "zz".into()]],
                    _ if len == 0 => vec![vec!["zz".into()]], // a blank line, then zz
                    _ => vec![vec![f], vec!["zz".into()]],
                };
                let got: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
                assert_eq!(got, expected, "field length {len}, terminator {term}");
            }
        }
    }

    fn run(text: &[u8], delim: Delimiter, chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut t = Tokenizer::new(delim);
        let mut out = Vec::new();
        let mut cb = |r: &Record<'_>| out.push((r.row, r.to_strings()));
        let chunks: Vec<&[u8]> = text.chunks(chunk.max(1)).collect();
        for (i, c) in chunks.iter().enumerate() {
            t.feed(c, i + 1 == chunks.len(), &mut cb);
        }
        if chunks.is_empty() {
            t.feed(&[], true, &mut cb);
        }
        out
    }

    #[test]
    fn quotes_line_ends_and_row_numbers() {
        let text = b"a,b\r\n\"x, \"\"y\"\"\",2\r3,\"multi\nline\"\n\n   \n4,5";
        let want = vec![
            (1, vec!["a".to_string(), "b".into()]),
            (2, vec!["x, \"y\"".into(), "2".into()]),
            (3, vec!["3".into(), "multi\nline".into()]),
            // the two-line record is one spreadsheet row; the blank lines are rows 4 and 5
            (6, vec!["4".into(), "5".into()]),
        ];
        for chunk in [1, 2, 3, 5, 7, 100] {
            assert_eq!(
                run(text, Delimiter::Byte(b','), chunk),
                want,
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn trailing_delimiter_and_empty_fields() {
        let want = vec![
            (1, vec!["a".to_string(), "".into()]),
            (2, vec!["".to_string(), "".into(), "".into()]),
        ];
        for chunk in [1, 2, 50] {
            assert_eq!(run(b"a,\n,,\n", Delimiter::Byte(b','), chunk), want);
        }
    }

    #[test]
    fn whitespace_columns() {
        let text = b" 00004 0001 19970101  2   29.33\r\n 00021 0002 19970101  3   63.34\r\n";
        for chunk in [1, 4, 1000] {
            let r = run(text, Delimiter::Whitespace, chunk);
            assert_eq!(r.len(), 2);
            assert_eq!(r[1].0, 2);
            assert_eq!(r[1].1, vec!["00021", "0002", "19970101", "3", "63.34"]);
        }
    }

    #[test]
    fn trims_unicode_spaces() {
        assert_eq!(trim("\u{a0} x \u{3000}".as_bytes()), b"x");
        assert_eq!(trim(b"   "), b"");
        assert_eq!(trim(b"abc"), b"abc"); // the fast path
        assert_eq!(trim(b"a b"), b"a b");
        assert_eq!(trim(b"\tab\r"), b"ab");
        assert_eq!(trim(b"x\x0b"), b"x\x0b"); // vertical tab is not trimmed (as before)
        assert_eq!(trim(b""), b"");
    }
}
