//! A streaming, zero-copy record tokenizer (RFC 4180 quoting, CRLF/LF/CR line ends, or
//! whitespace-aligned columns) that numbers records the way a spreadsheet shows them.
//!
//! Input arrives in chunks split anywhere; a record cut by a chunk boundary is carried over to the
//! next chunk, so results never depend on the split. Unquoted fields are slices of the input (no
//! copy, no allocation per field); quoted fields are unescaped into a scratch buffer.
//!
//! Row numbers: the header is row 1; a blank line takes a row (as in a spreadsheet); a quoted field
//! holding line breaks does not (the record is one spreadsheet row).
//!
//! Bounds (`docs/input.md#limits`), so that memory never grows with a value of the file and time
//! stays linear in its length:
//! - a quoted field must close within [`MAX_QUOTED_BYTES`] of text after its opening quote (or before
//!   the end of the input): otherwise the quote is taken as never closed, the record is reported as
//!   bad ([`Problem::UnclosedQuote`]) and ends at the first line break after that quote, and reading
//!   goes on from the next line;
//! - a record, line end included, must fit in [`MAX_ROW_BYTES`]: otherwise it is reported as bad
//!   ([`Problem::TooLong`]) and skipped up to the next line break without being held in memory.
//!
//! Both are decided from the bytes alone (the first `MAX_ROW_BYTES` of a record are all that is
//! ever looked at), never from where the chunks were cut. A record cut by a chunk boundary is parsed
//! again only when its carried bytes have doubled, so even a record fed one byte at a time costs
//! time linear in its length.

/// Bytes of text a record may take, its line end included; a longer one is rejected and skipped to
/// the next line break.
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// Bytes of text after an opening quote within which the closing quote must come.
pub const MAX_QUOTED_BYTES: usize = 64 << 10;
/// Bytes of a bad record kept as its excerpt (at most; cut at a character boundary).
pub const EXCERPT_BYTES: usize = 60;
/// A carried record is parsed again once this many more bytes (or as many as it holds) arrived.
const MIN_PIECE: usize = 4096;
/// Spans are `u32` offsets: very large inputs are processed in windows of at most 1 GiB.
const WINDOW: usize = 1 << 30;

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

/// Why a record could not be read (it has no fields then, only [`Record::excerpt`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Field `field` (0-based) opens a quote that is not closed within [`MAX_QUOTED_BYTES`] or
    /// before the end of the input. The record ends at the first line break after that quote.
    UnclosedQuote {
        /// The field holding the quote.
        field: usize,
    },
    /// No line end within [`MAX_ROW_BYTES`]; the record was skipped to the next line break.
    TooLong {
        /// Bytes from the record's start to its line end (or the end of the input).
        bytes: u64,
    },
}

/// Marks a span that points into the scratch buffer rather than the input.
const SCRATCH: u32 = 1 << 31;

/// One record: its spreadsheet row and its fields (raw, not trimmed), or its problem.
pub struct Record<'a> {
    /// Spreadsheet row number (1-based).
    pub row: u64,
    /// Set when the record could not be read; it then has no fields.
    pub problem: Option<Problem>,
    /// For a bad record, the start of its text (from the unclosed quote, or from the record's start),
    /// up to [`EXCERPT_BYTES`] and the first line break; else empty.
    pub excerpt: &'a [u8],
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

/// A bad record being skipped up to its line end, across chunks.
#[derive(Debug)]
struct Skip {
    row: u64,
    /// Lines before the record.
    start_line: u64,
    /// Line breaks inside the record before the line end that ends it (inside closed quotes).
    breaks: u64,
    problem: Problem,
    /// Bytes of the record so far, line end excluded.
    bytes: u64,
    /// The last byte seen was a CR: an LF right after it belongs to the same line end.
    after_cr: bool,
}

/// How a skipped line goes on.
enum SkipEnd {
    /// Its line end was found; the bytes used include it.
    Line,
    /// The input ended first.
    Eof,
    /// Not yet: all bytes were used.
    More,
}

/// The outcome of parsing one record.
enum Parsed {
    /// A complete record ending at `end` (after its line end), with `breaks` line breaks inside
    /// quoted fields.
    Done { end: usize, breaks: u64 },
    /// The record needs more input.
    More,
    /// The record cannot be read: it ends at the first line end found from `resync`
    /// (`after_cr`: the byte before `resync` is a CR that may end it); `breaks` line breaks lie
    /// before that point; its excerpt is taken from `excerpt` (bytes the bounds let the parser see,
    /// so the excerpt never depends on the chunking).
    Bad {
        problem: Problem,
        resync: usize,
        after_cr: bool,
        breaks: u64,
        excerpt: (usize, usize),
    },
}

/// The streaming tokenizer.
#[derive(Debug)]
pub struct Tokenizer {
    delim: Delimiter,
    /// An incomplete record (at most about twice [`MAX_ROW_BYTES`]) carried to the next chunk.
    carry: Vec<u8>,
    /// Carry length at which the carried record is parsed again.
    retry_at: usize,
    spans: Vec<(u32, u32)>,
    scratch: Vec<u8>,
    /// Line terminators consumed so far (CRLF counts once).
    lines: u64,
    /// Line breaks seen inside quoted fields so far.
    embedded: u64,
    class: [u8; 256],
    /// The delimiter byte repeated in every byte of a word (for [`Tokenizer::plain_end`]).
    delim_word: u64,
    /// A bad record being skipped to its line end.
    skip: Option<Skip>,
    /// The excerpt of the last bad record.
    excerpt: Vec<u8>,
    max_row: usize,
    max_quoted: usize,
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

/// Index of the first CR or LF at or after `p` (or `data.len()`), eight bytes at a time.
fn line_break(data: &[u8], mut p: usize) -> usize {
    while let Some(w) = data.get(p..p + 8) {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let hit =
            zero_bytes(w ^ (u64::from(b'\n') * ONES)) | zero_bytes(w ^ (u64::from(b'\r') * ONES));
        if hit != 0 {
            return p + (hit.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while p < data.len() && data[p] != b'\n' && data[p] != b'\r' {
        p += 1;
    }
    p
}

/// Scans a skipped line for its end: consumes up to and including its line end.
fn skip_line(skip: &mut Skip, data: &[u8], last: bool) -> (usize, SkipEnd) {
    if skip.after_cr {
        return match data.first() {
            Some(&b'\n') => (1, SkipEnd::Line),
            Some(_) => (0, SkipEnd::Line),
            None if last => (0, SkipEnd::Line),
            None => (0, SkipEnd::More),
        };
    }
    let j = line_break(data, 0);
    skip.bytes += j as u64;
    if j == data.len() {
        return (j, if last { SkipEnd::Eof } else { SkipEnd::More });
    }
    if data[j] == b'\n' {
        return (j + 1, SkipEnd::Line);
    }
    match data.get(j + 1) {
        Some(&b'\n') => (j + 2, SkipEnd::Line),
        Some(_) => (j + 1, SkipEnd::Line),
        None if last => (j + 1, SkipEnd::Line),
        None => {
            skip.after_cr = true;
            (j + 1, SkipEnd::More)
        }
    }
}

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
            retry_at: 0,
            spans: Vec::new(),
            scratch: Vec::new(),
            lines: 0,
            embedded: 0,
            class,
            delim_word: match delim {
                Delimiter::Byte(d) => u64::from(d) * ONES,
                Delimiter::Whitespace => u64::from(b'\n') * ONES,
            },
            skip: None,
            excerpt: Vec::new(),
            max_row: MAX_ROW_BYTES,
            max_quoted: MAX_QUOTED_BYTES,
        }
    }

    /// The same with other bounds (a test seam: small bounds reached by small inputs).
    pub fn with_limits(delim: Delimiter, max_row: usize, max_quoted: usize) -> Tokenizer {
        let mut t = Tokenizer::new(delim);
        t.max_row = max_row.max(2);
        t.max_quoted = max_quoted.max(1);
        t
    }

    /// Spreadsheet rows taken so far: line ends consumed, less those inside quoted fields (the next
    /// record's row is one more, after any blank lines).
    pub fn rows_taken(&self) -> u64 {
        self.lines - self.embedded
    }

    /// Reads a carried record now, from the bytes it has so far, without ending the input: a
    /// record that is complete in them is reported (the carry is otherwise re-read only when its
    /// bytes have doubled). What stays incomplete is kept. The records are those any chunking
    /// gives.
    pub fn settle(&mut self, on_record: &mut dyn FnMut(&Record<'_>)) {
        if self.carry.is_empty() || self.skip.is_some() {
            return;
        }
        let mut carry = std::mem::take(&mut self.carry);
        let used = self.feed_window(&carry, false, on_record);
        if self.skip.is_some() {
            carry.clear(); // (a bad record being skipped: its bytes so far are used)
        } else {
            carry.drain(..used);
        }
        if !carry.is_empty() {
            self.retry_at = (2 * carry.len()).max(carry.len() + MIN_PIECE);
        }
        self.carry = carry;
    }

    /// True while a record (or a bad line being skipped) is waiting for more input.
    pub fn pending(&self) -> bool {
        !self.carry.is_empty() || self.skip.is_some()
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
        let mut at = 0usize;
        loop {
            if let Some(mut skip) = self.skip.take() {
                let (used, end) = skip_line(&mut skip, &chunk[at..], last);
                at += used;
                match end {
                    SkipEnd::More => {
                        self.skip = Some(skip);
                        return;
                    }
                    SkipEnd::Line => self.end_skip(skip, 1, on_record),
                    SkipEnd::Eof => self.end_skip(skip, 0, on_record),
                }
            }
            if !self.carry.is_empty() {
                // a record cut by an earlier chunk: completed with pieces of this one, and parsed
                // again only when its bytes have doubled (linear time however small the chunks)
                let take = self
                    .retry_at
                    .saturating_sub(self.carry.len())
                    .min(chunk.len() - at);
                let piece_at = self.carry.len();
                self.carry.extend_from_slice(&chunk[at..at + take]);
                at += take;
                let end = last && at == chunk.len();
                if self.carry.len() < self.retry_at && !end {
                    return; // (the chunk is used up)
                }
                let carry = std::mem::take(&mut self.carry);
                let used = self.feed_window(&carry, end, on_record);
                if self.skip.is_some() || used >= piece_at {
                    // what is left of this chunk's piece is read again from the chunk itself
                    at -= take - (used - piece_at).min(take);
                    self.carry = carry;
                    self.carry.clear();
                } else {
                    // still incomplete: keep it (from its start), try again when it has doubled
                    self.carry = carry;
                    self.carry.drain(..used);
                    self.retry_at = (2 * self.carry.len()).max(self.carry.len() + MIN_PIECE);
                    if at == chunk.len() {
                        return;
                    }
                }
                continue;
            }
            if at >= chunk.len() {
                return;
            }
            let window_end = (at + WINDOW).min(chunk.len());
            let is_end = window_end == chunk.len();
            let used = self.feed_window(&chunk[at..window_end], last && is_end, on_record);
            at += used;
            if self.skip.is_some() || at == window_end {
                continue;
            }
            if is_end {
                // an incomplete record at the end (shorter than MAX_ROW_BYTES): carried over
                self.carry.extend_from_slice(&chunk[at..]);
                self.retry_at = (2 * self.carry.len()).max(self.carry.len() + MIN_PIECE);
                return;
            }
            // a record cut by the window's end: the next window starts with it
        }
    }

    /// Reports a bad record whose line end was found (`own`: 1) or the input ended (0).
    fn end_skip(&mut self, skip: Skip, own: u64, on_record: &mut dyn FnMut(&Record<'_>)) {
        self.lines = skip.start_line + skip.breaks + own;
        self.embedded += skip.breaks;
        let problem = match skip.problem {
            Problem::TooLong { .. } => Problem::TooLong { bytes: skip.bytes },
            p => p,
        };
        on_record(&Record {
            row: skip.row,
            problem: Some(problem),
            excerpt: &self.excerpt,
            spans: &[],
            data: &[],
            scratch: &[],
        });
    }

    /// Keeps the start of a bad record's text: up to [`EXCERPT_BYTES`], the first line break and the
    /// end of `text`, cut at a character boundary.
    fn keep_excerpt(&mut self, text: &[u8]) {
        let mut end = line_break(&text[..text.len().min(EXCERPT_BYTES)], 0);
        if let Err(e) = std::str::from_utf8(&text[..end]) {
            if e.error_len().is_none() {
                end = e.valid_up_to(); // (a character cut by the bound)
            }
        }
        self.excerpt.clear();
        self.excerpt.extend_from_slice(&text[..end]);
    }

    /// Processes complete records of `data`; returns the bytes consumed (all of them when a bad
    /// record is being skipped past the end of `data`).
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
                        self.lines = lines;
                        return p; // a CR at the very end: its LF may follow in the next chunk
                    }
                    if p + 1 < n && data[p + 1] == b'\n' {
                        p += 1;
                    }
                }
                lines += 1;
                p += 1;
            }
            self.lines = lines;
            if p >= n {
                return n;
            }
            let start_line = lines;
            self.spans.clear();
            self.scratch.clear();
            let parsed = match self.delim {
                Delimiter::Byte(_) => self.parse_delimited(data, p, last),
                Delimiter::Whitespace => self.parse_whitespace(data, p, last),
            };
            let row = start_line + 1 - self.embedded;
            let (end, breaks) = match parsed {
                Parsed::More => return p,
                Parsed::Done { end, breaks } => (end, breaks),
                Parsed::Bad {
                    problem,
                    resync,
                    after_cr,
                    breaks,
                    excerpt,
                } => {
                    self.keep_excerpt(&data[excerpt.0..excerpt.1]);
                    let mut skip = Skip {
                        row,
                        start_line,
                        breaks,
                        problem,
                        bytes: (resync - p - usize::from(after_cr)) as u64,
                        after_cr,
                    };
                    let (used, how) = skip_line(&mut skip, &data[resync..], last);
                    match how {
                        SkipEnd::More => {
                            self.skip = Some(skip);
                            return n;
                        }
                        SkipEnd::Line => self.end_skip(skip, 1, on_record),
                        SkipEnd::Eof => self.end_skip(skip, 0, on_record),
                    }
                    pos = resync + used;
                    continue;
                }
            };
            // the record's own terminator counts as a line; breaks inside quotes are embedded
            let own = if end > p && end <= n && matches!(data[end - 1], b'\n' | b'\r') {
                1
            } else {
                0
            };
            self.lines = start_line + breaks + own;
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
                    problem: None,
                    excerpt: &[],
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

    /// What to do when a record reaches the end of the bytes it may take: `view` ends there (at
    /// `p0 + max_row`) and `cut` says whether the input goes on after it.
    fn at_view_end(&self, data: &[u8], p0: usize, view: usize, cut: bool, last: bool) -> Parsed {
        if !cut {
            return if last {
                Parsed::Done {
                    end: view,
                    breaks: 0,
                }
            } else {
                Parsed::More
            };
        }
        // too long: everything up to the bound is one bad row, which ends at the next line end
        let after_cr = data[view - 1] == b'\r';
        Parsed::Bad {
            problem: Problem::TooLong { bytes: 0 },
            resync: view,
            after_cr,
            breaks: count_breaks(&data[p0..view - usize::from(after_cr)]),
            excerpt: (p0, view),
        }
    }

    /// Parses one delimited record from `p`, looking at no more than `max_row` bytes of it.
    fn parse_delimited(&mut self, data: &[u8], mut p: usize, last: bool) -> Parsed {
        let p0 = p;
        let n = data.len().min(p0 + self.max_row);
        let cut = n < data.len();
        // (`last` holds for the view only when nothing was cut)
        let view_last = last && !cut;
        let mut breaks = 0u64;
        loop {
            if p < n && data[p] == b'"' {
                // quoted field: unescape into scratch; the closing quote must come within
                // `max_quoted` bytes of the opening one
                let q0 = p;
                let before = breaks;
                let limit = (q0 + 1).saturating_add(self.max_quoted);
                let s0 = self.scratch.len();
                p += 1;
                loop {
                    let window_end = limit.min(n);
                    let found = if p < window_end {
                        data[p..window_end].iter().position(|&b| b == b'"')
                    } else {
                        None
                    };
                    let Some(q) = found else {
                        if window_end < limit {
                            // fewer than `max_quoted` bytes after the quote so far
                            if cut {
                                return self.at_view_end(data, p0, n, cut, last);
                            }
                            if !last {
                                return Parsed::More;
                            }
                        }
                        // not closed within the bound, or before the end of the input
                        return Parsed::Bad {
                            problem: Problem::UnclosedQuote {
                                field: self.spans.len(),
                            },
                            resync: q0 + 1,
                            after_cr: false,
                            breaks: before,
                            excerpt: (q0 + 1, window_end.max(q0 + 1)),
                        };
                    };
                    breaks += count_breaks(&data[p..p + q]);
                    self.scratch.extend_from_slice(&data[p..p + q]);
                    p += q + 1;
                    if p < n && data[p] == b'"' {
                        self.scratch.push(b'"');
                        p += 1;
                        continue;
                    }
                    if p >= n {
                        if cut {
                            return self.at_view_end(data, p0, n, cut, last);
                        }
                        if !last {
                            return Parsed::More;
                        }
                    }
                    break;
                }
                // text after the closing quote up to the next delimiter or line end is kept as is
                let t0 = p;
                p = self.plain_end(&data[..n], p);
                self.scratch.extend_from_slice(&data[t0..p]);
                self.spans
                    .push((s0 as u32 | SCRATCH, self.scratch.len() as u32 | SCRATCH));
            } else {
                let s = p;
                p = self.plain_end(&data[..n], p);
                self.spans.push((s as u32, p as u32));
            }
            if p >= n {
                return match self.at_view_end(data, p0, n, cut, view_last) {
                    Parsed::Done { end, .. } => Parsed::Done { end, breaks },
                    other => other,
                };
            }
            match self.class[data[p] as usize] {
                C_DELIM => {
                    p += 1;
                    if p >= n {
                        if view_last {
                            self.spans.push((p as u32, p as u32));
                            return Parsed::Done { end: n, breaks };
                        }
                        return self.at_view_end(data, p0, n, cut, last);
                    }
                }
                C_CR => {
                    // (the LF of a CRLF may lie one byte past the bound)
                    return match data.get(p + 1) {
                        Some(&b'\n') => Parsed::Done { end: p + 2, breaks },
                        Some(_) => Parsed::Done { end: p + 1, breaks },
                        None if last => Parsed::Done { end: p + 1, breaks },
                        None => Parsed::More,
                    };
                }
                _ => return Parsed::Done { end: p + 1, breaks },
            }
        }
    }

    /// Parses one whitespace-aligned line from `p`, looking at no more than `max_row` bytes of it.
    fn parse_whitespace(&mut self, data: &[u8], mut p: usize, last: bool) -> Parsed {
        let p0 = p;
        let n = data.len().min(p0 + self.max_row);
        let cut = n < data.len();
        loop {
            while p < n && (data[p] == b' ' || data[p] == b'\t') {
                p += 1;
            }
            if p >= n {
                return self.at_view_end(data, p0, n, cut, last && !cut);
            }
            if data[p] == b'\n' {
                return Parsed::Done {
                    end: p + 1,
                    breaks: 0,
                };
            }
            if data[p] == b'\r' {
                return match data.get(p + 1) {
                    Some(&b'\n') => Parsed::Done {
                        end: p + 2,
                        breaks: 0,
                    },
                    Some(_) => Parsed::Done {
                        end: p + 1,
                        breaks: 0,
                    },
                    None if last => Parsed::Done {
                        end: p + 1,
                        breaks: 0,
                    },
                    None => Parsed::More,
                };
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
        // fields of every length 0..=40 (so terminators fall at every offset within a word), with
        // each of the three terminators; expected fields built independently of the tokenizer
        for term in [b';', b'\n', b'\r'] {
            for len in 0..=40usize {
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

    /// What a run reports per record: row, problem, excerpt, fields.
    type Seen = (u64, Option<Problem>, String, Vec<String>);

    fn run_limited(
        text: &[u8],
        delim: Delimiter,
        chunk: usize,
        row: usize,
        quoted: usize,
    ) -> Vec<Seen> {
        let mut t = Tokenizer::with_limits(delim, row, quoted);
        let mut out = Vec::new();
        let mut cb = |r: &Record<'_>| {
            out.push((
                r.row,
                r.problem,
                String::from_utf8_lossy(r.excerpt).into_owned(),
                r.to_strings(),
            ))
        };
        let chunks: Vec<&[u8]> = text.chunks(chunk.max(1)).collect();
        for c in &chunks {
            t.feed(c, false, &mut cb);
        }
        t.feed(&[], true, &mut cb);
        assert!(!t.pending());
        out
    }

    fn ok(row: u64, fields: &[&str]) -> Seen {
        (
            row,
            None,
            String::new(),
            fields.iter().map(|f| f.to_string()).collect(),
        )
    }

    fn unclosed(row: u64, field: usize, excerpt: &str) -> Seen {
        (
            row,
            Some(Problem::UnclosedQuote { field }),
            excerpt.into(),
            vec![],
        )
    }

    fn too_long(row: u64, bytes: u64, excerpt: &str) -> Seen {
        (
            row,
            Some(Problem::TooLong { bytes }),
            excerpt.into(),
            vec![],
        )
    }

    #[test]
    fn bad_records_are_bounded_and_reading_goes_on() {
        // (text, record bound, quote bound, expected); every case also cut into chunks of 1, 2, 3,
        // 5, 7 and 64 bytes, which must not change anything
        let w = Delimiter::Whitespace;
        let c = Delimiter::Byte(b',');
        let cases: Vec<(&str, Delimiter, usize, usize, Vec<Seen>)> = vec![
            // a quote never closed: the row where it opened is bad and ends at that line's end
            (
                "a,b\n1,\"x\n2,y\n3,z\n",
                c,
                100,
                100,
                vec![
                    ok(1, &["a", "b"]),
                    unclosed(2, 1, "x"),
                    ok(3, &["2", "y"]),
                    ok(4, &["3", "z"]),
                ],
            ),
            // closed within the bound: one record over two lines, one spreadsheet row
            (
                "1,\"x\ny\"\n2,z\n",
                c,
                100,
                100,
                vec![ok(1, &["1", "x\ny"]), ok(2, &["2", "z"])],
            ),
            // closed only past the bound (6 bytes after the quote): the quote counts as unclosed,
            // and the lines it would have swallowed are read as rows
            (
                "1,\"ab\ncd\nef\"\n2,z\n",
                c,
                100,
                6,
                vec![
                    unclosed(1, 1, "ab"),
                    ok(2, &["cd"]),
                    ok(3, &["ef\""]),
                    ok(4, &["2", "z"]),
                ],
            ),
            // exactly at the bound: the closing quote is the 6th byte after the opening one
            ("\"abcde\",1\n", c, 100, 6, vec![ok(1, &["abcde", "1"])]),
            (
                "\"abcdef\",1\n2\n",
                c,
                100,
                6,
                vec![unclosed(1, 0, "abcdef"), ok(2, &["2"])],
            ),
            // an escaped quote straddling the bound is not a closing quote
            (
                "\"abcd\"\"e\"\n2\n",
                c,
                100,
                6,
                vec![unclosed(1, 0, "abcd\"\""), ok(2, &["2"])],
            ),
            // no line end within the record bound: skipped to the next line end
            (
                "aaaaaaaaaaaaaaaaaaaa\nb,c\n",
                c,
                10,
                100,
                vec![too_long(1, 20, "aaaaaaaaaa"), ok(2, &["b", "c"])],
            ),
            (
                "abcde\r\nx\r\n",
                c,
                5,
                100,
                vec![too_long(1, 5, "abcde"), ok(2, &["x"])],
            ),
            (
                "abcd\r\nx\r\n",
                c,
                5,
                100,
                vec![ok(1, &["abcd"]), ok(2, &["x"])],
            ),
            (
                "aaaaaaaaaaaa",
                c,
                10,
                100,
                vec![too_long(1, 12, "aaaaaaaaaa")],
            ),
            (
                "h\n 1  2 3333333333333\r4 5\n",
                w,
                10,
                100,
                vec![
                    ok(1, &["h"]),
                    too_long(2, 19, " 1  2 3333"),
                    ok(3, &["4", "5"]),
                ],
            ),
            // a long quoted field with line breaks inside: too long; the row runs to the first line
            // end past the bound, and the breaks before it stay in that row
            (
                "\"a\nb\nc\nd\ne\nf\",1\n2\n",
                c,
                8,
                100,
                vec![
                    too_long(1, 8, "\"a"),
                    ok(2, &["e"]),
                    ok(3, &["f\"", "1"]),
                    ok(4, &["2"]),
                ],
            ),
            // a quote unclosed at the end of the input, after a multi-line record
            (
                "\"x\ny\",1\n2,\"open\n3\n",
                c,
                100,
                100,
                vec![ok(1, &["x\ny", "1"]), unclosed(2, 1, "open"), ok(3, &["3"])],
            ),
            // an unclosed quote on the last line, without a line end
            (
                "1\n\"open",
                c,
                100,
                100,
                vec![ok(1, &["1"]), unclosed(2, 0, "open")],
            ),
            // the excerpt stops at a character boundary
            (
                "\"\u{4e2d}\u{6587}\u{5b57}",
                c,
                100,
                4,
                vec![unclosed(1, 0, "\u{4e2d}")],
            ),
        ];
        for (text, delim, row, quoted, want) in cases {
            for chunk in [1, 2, 3, 5, 7, 64] {
                assert_eq!(
                    run_limited(text.as_bytes(), delim, chunk, row, quoted),
                    want,
                    "{text:?} in chunks of {chunk}"
                );
            }
        }
    }

    #[test]
    fn a_long_unclosed_quote_fed_byte_by_byte_takes_linear_time() {
        // 2 MB after a quote that never closes, one byte per push: a tokenizer that parsed the
        // carried record again on every push would take hours; this one parses it O(log n) times
        let mut text = b"1,\"open".to_vec();
        text.resize(2_000_000, b'x');
        text.extend_from_slice(b"\n2,y\n");
        let mut t = Tokenizer::new(Delimiter::Byte(b','));
        let mut out = Vec::new();
        let mut cb = |r: &Record<'_>| out.push((r.row, r.problem, r.to_strings()));
        for b in text.chunks(1) {
            t.feed(b, false, &mut cb);
            assert!(t.carry.len() <= 2 * MAX_ROW_BYTES + MIN_PIECE);
        }
        t.feed(&[], true, &mut cb);
        assert_eq!(
            out,
            vec![
                (1, Some(Problem::UnclosedQuote { field: 1 }), vec![]),
                (2, None, vec!["2".to_string(), "y".into()])
            ]
        );
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
