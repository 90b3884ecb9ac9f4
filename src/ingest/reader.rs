//! The reader: takes the file's bytes in chunks of any size, decides the encoding and layout once
//! from the head (its first MiB, or all of a smaller file), then decodes, tokenises and validates
//! every record into the accumulator of [`crate::ingest::rows`]. Memory grows with customers and
//! orders, never with the file: each valid row becomes a 24-byte event and the text is dropped.
//!
//! The decisions taken from the head never depend on how the input was chunked: the encoding, the
//! delimiter, the header, the column roles, the date format and each number column's decimal
//! separator. The one exception is a month-first/day-first date column under `dateOrder: "auto"`:
//! both readings are kept for every row until the end, and the reading that fits the most values of
//! the whole file wins (see `docs/input.md`).

use crate::error::{Result, TierwiseError};
use crate::ingest::dates::DateFormat;
use crate::ingest::decisions::Decisions;
use crate::ingest::decode::{first_non_ascii, not_a_table, pick_encoding};
use crate::ingest::rows::Acc;
use crate::ingest::tokenize::{Delimiter, Record, Tokenizer};
use crate::ingest::{make_plan, sniff_delimiter, InputReport, Plan, Record as SampleRecord};
use crate::messages::Message;
use crate::options::Options;

/// Bytes of the file's head from which encoding and layout are decided.
pub const HEAD_BYTES: usize = 1 << 20;
/// Records of the head used to decide header, columns, date format and decimal separators.
pub const SAMPLE_RECORDS: usize = 2000;

/// How far an [`crate::Analyzer`] has read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Bytes pushed so far.
    pub bytes: u64,
    /// Records read so far (after the header; blank lines not counted). Stays 0 while the first MiB
    /// is buffered for the layout decisions: records are read from the head once it is complete (or
    /// at `finish` for a smaller file).
    pub rows: u64,
}

/// The reading half of an analysis: head buffering, decoding, tokenising and row validation. The
/// public [`crate::Analyzer`] drives it and takes over at the end of the input.
pub(crate) struct Reader {
    pub(crate) opts: Options,
    progress: Progress,
    head: Vec<u8>,
    decoder: Option<encoding_rs::Decoder>,
    utf8: bool,
    decoded: Vec<u8>,
    tok: Option<Tokenizer>,
    plan: Option<Plan>,
    pub(crate) acc: Acc,
    warnings: Vec<Message>,
    decode_errors: bool,
    /// Decisions given by a previous pass.
    pub(crate) forced: Decisions,
    /// UTF-8 was chosen because the head is valid UTF-8: the rest is checked.
    check_utf8: bool,
    /// Bytes of an incomplete UTF-8 sequence at the end of the last chunk.
    utf8_tail: Vec<u8>,
    /// Fed from the first byte that is not UTF-8 (and with the head), when that happens.
    detector: Option<chardetng::EncodingDetector>,
    head_copy: Vec<u8>,
    /// Size of the head ([`HEAD_BYTES`] except in tests, see [`crate::Analyzer::with_head_bytes`]).
    pub(crate) head_bytes: usize,
}

/// What a reader leaves at the end of the input: the plan, the accumulated rows and the evidence
/// for the whole-file decisions.
pub(crate) struct Read {
    pub(crate) opts: Options,
    pub(crate) plan: Plan,
    pub(crate) acc: Acc,
    pub(crate) warnings: Vec<Message>,
    pub(crate) decode_errors: bool,
    pub(crate) forced: Decisions,
    pub(crate) detector: Option<chardetng::EncodingDetector>,
}

impl Reader {
    /// An empty reader for validated options.
    pub(crate) fn new(opts: Options) -> Reader {
        let mut acc = Acc::new();
        acc.merge_orders = opts.frequency != crate::options::FrequencyUnit::Rows;
        Reader {
            opts,
            progress: Progress::default(),
            head: Vec::new(),
            decoder: None,
            utf8: true,
            decoded: Vec::new(),
            tok: None,
            plan: None,
            acc,
            warnings: Vec::new(),
            decode_errors: false,
            forced: Decisions::default(),
            check_utf8: false,
            utf8_tail: Vec::new(),
            detector: None,
            head_copy: Vec::new(),
            head_bytes: HEAD_BYTES,
        }
    }

    /// Bytes and rows read so far.
    pub(crate) fn progress(&self) -> Progress {
        Progress {
            bytes: self.progress.bytes,
            rows: self.acc.rows,
        }
    }

    /// Feeds the next chunk of the file (any size, split anywhere). Fails only on a fatal problem
    /// found while deciding the layout (no customer or date column, wrong column option).
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.progress.bytes += chunk.len() as u64;
        if self.plan.is_none() {
            // the head is exactly the first HEAD_BYTES bytes, whatever the chunking
            let take = (self.head_bytes - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            if self.head.len() < self.head_bytes {
                return Ok(());
            }
            self.start(false)?;
            self.feed(&chunk[take..], false);
            return Ok(());
        }
        self.feed(chunk, false);
        Ok(())
    }

    /// Decides encoding and layout from the head, then processes the head.
    fn start(&mut self, last: bool) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(TierwiseError::EmptyFile);
        }
        if let Some(kind) = not_a_table(&head, self.opts.encoding == "auto") {
            return Err(TierwiseError::NotATable(kind));
        }
        let (enc, bom) = match self.forced.encoding {
            Some(e) => match encoding_rs::Encoding::for_bom(&head) {
                Some((b, n)) if b == e => (e, n),
                _ => (e, 0),
            },
            None => pick_encoding(&head, &self.opts.encoding, last)?,
        };
        if enc == encoding_rs::UTF_8
            && bom == 0
            && self.opts.encoding == "auto"
            && self.forced.encoding.is_none()
        {
            // chosen because the head is valid UTF-8: the rest must be too (docs/input.md: a file that is not
            // valid UTF-8 is guessed)
            self.check_utf8 = true;
            self.head_copy = head.clone();
            if let Err(e) = std::str::from_utf8(&head) {
                self.utf8_tail = head[e.valid_up_to()..].to_vec();
            }
        }
        self.acc.report.encoding = enc.name().to_string();
        self.utf8 = enc == encoding_rs::UTF_8;
        if !self.utf8 {
            self.decoder = Some(enc.new_decoder_without_bom_handling());
        }
        let body = &head[bom..];
        // the head as UTF-8 text, for sniffing and the sample
        let text: Vec<u8> = if self.utf8 {
            body.to_vec()
        } else {
            let mut d = enc.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
            let _ = d.decode_to_string(body, &mut out, last);
            let mut buf = vec![0u8; 0];
            buf.extend_from_slice(out.as_bytes());
            buf
        };
        let visible = String::from_utf8_lossy(&text[..text.len().min(64 * 1024)]).into_owned();
        if visible.trim().is_empty() && last {
            return Err(TierwiseError::EmptyFile);
        }
        // Excel's "sep=;" hint line
        let mut skip = 0usize;
        let mut forced = None;
        if let Some(first) = visible.lines().next() {
            let f = first.trim();
            if f.len() == 5 && f.to_ascii_lowercase().starts_with("sep=") {
                forced = Some(Delimiter::Byte(f.as_bytes()[4]));
                skip = first.len();
            }
        }
        let delim = forced.unwrap_or_else(|| sniff_delimiter(&visible));
        self.acc.report.delimiter = delim.name();
        // the sample: the first complete records of the head
        let mut sample: Vec<SampleRecord> = Vec::new();
        {
            let mut t = Tokenizer::new(delim);
            let mut cb = |r: &Record<'_>| {
                if sample.len() < SAMPLE_RECORDS {
                    sample.push(SampleRecord {
                        line: r.row as u32,
                        fields: r.to_strings(),
                    });
                }
            };
            t.feed(&text[skip..], last, &mut cb);
        }
        if sample.is_empty() {
            return Err(TierwiseError::EmptyFile);
        }
        let mut plan = make_plan(
            &sample,
            &self.opts,
            &mut self.acc.report,
            &mut self.warnings,
        )?;
        if let Some(f) = self.forced.date_format {
            plan.date_format = f;
            plan.alt_format = match f {
                DateFormat::Mdy(s) => Some(DateFormat::Dmy(s)),
                DateFormat::Dmy(s) => Some(DateFormat::Mdy(s)),
                _ => None,
            };
        }
        for (slot, c) in self.forced.comma.iter().enumerate() {
            if let Some(c) = c {
                *[
                    &mut plan.amount_comma,
                    &mut plan.qty_comma,
                    &mut plan.price_comma,
                ][slot] = *c;
            }
        }
        self.plan = Some(plan);
        // the hint line is row 1 of the spreadsheet: it goes through the tokenizer like any line (so
        // the rows keep their numbers) and the validation skips it
        self.acc.hint_line = skip > 0;
        self.tok = Some(Tokenizer::new(delim));
        if self.utf8 {
            self.feed_text(&text, last);
        } else {
            // the head was decoded above only for sniffing; decode it again through the streaming
            // decoder so its state carries on into the next chunk
            self.feed(body, last);
        }
        Ok(())
    }

    /// Decodes (when needed) and tokenises a chunk.
    fn feed(&mut self, chunk: &[u8], last: bool) {
        if self.utf8 {
            if self.check_utf8 {
                self.check_utf8_chunk(chunk, last);
            }
            self.feed_text(chunk, last);
            return;
        }
        let Some(dec) = self.decoder.as_mut() else {
            return;
        };
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        let need = dec
            .max_utf8_buffer_length(chunk.len())
            .unwrap_or(chunk.len() * 3 + 16);
        decoded.resize(need, 0);
        let (_, _, written, had_errors) = dec.decode_to_utf8(chunk, &mut decoded, last);
        decoded.truncate(written);
        self.decode_errors |= had_errors;
        self.feed_text(&decoded, last);
        self.decoded = decoded;
    }

    /// Checks that the input stays UTF-8 after a UTF-8 head; from the first byte that is not, feeds
    /// an encoding detector (with the head) so a second pass can decode the file as what it is.
    fn check_utf8_chunk(&mut self, chunk: &[u8], last: bool) {
        if let Some(det) = self.detector.as_mut() {
            det.feed(chunk, last);
            return;
        }
        let mut joined;
        let data: &[u8] = if self.utf8_tail.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut self.utf8_tail);
            joined.extend_from_slice(chunk);
            &joined
        };
        // most files are ASCII: skip to the first non-ASCII byte eight bytes at a time (wasm32's
        // `usize` is four bytes, so the standard library's ASCII fast path is slower there)
        let start = first_non_ascii(data);
        match std::str::from_utf8(&data[start..]) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() && !last => {
                self.utf8_tail = data[start + e.valid_up_to()..].to_vec()
            }
            Err(e) => {
                let e_at = start + e.valid_up_to();
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                det.feed(&self.head_copy, false);
                det.feed(&data[e_at..], last);
                self.detector = Some(det);
                self.head_copy = Vec::new();
            }
        }
    }

    fn feed_text(&mut self, text: &[u8], last: bool) {
        let (Some(tok), Some(plan)) = (self.tok.as_mut(), self.plan.as_ref()) else {
            return;
        };
        let acc = &mut self.acc;
        let cancel = self.opts.cancel_prefix.as_deref().map(str::as_bytes);
        tok.feed(text, last, &mut |r| acc.process(plan, cancel, r));
    }

    /// Reads only the head of `bytes` (its first [`HEAD_BYTES`]) and returns what was decided from
    /// it: the plan, and the report and warnings so far (for [`crate::inspect`]).
    pub(crate) fn head_only(mut self, bytes: &[u8]) -> Result<(Plan, InputReport, Vec<Message>)> {
        let n = bytes.len().min(self.head_bytes);
        self.progress.bytes = n as u64;
        self.head.extend_from_slice(&bytes[..n]);
        self.start(n == bytes.len())?;
        let plan = self.plan.take().ok_or(TierwiseError::EmptyFile)?;
        Ok((plan, self.acc.report, self.warnings))
    }

    /// Ends the input: reads what is left (all of a file smaller than the head) and hands over the
    /// plan and the accumulated rows.
    pub(crate) fn end(mut self) -> Result<Read> {
        if self.plan.is_none() {
            self.start(true)?;
        } else {
            self.feed(&[], true);
        }
        let Some(plan) = self.plan.take() else {
            return Err(TierwiseError::EmptyFile);
        };
        Ok(Read {
            opts: self.opts,
            plan,
            acc: self.acc,
            warnings: self.warnings,
            decode_errors: self.decode_errors,
            forced: self.forced,
            detector: self.detector,
        })
    }
}
