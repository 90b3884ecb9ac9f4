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
use crate::ingest::decode::{declared_encoding, first_non_ascii, not_a_table};
use crate::ingest::encoding_guess::{Evidence, SURE_BYTES};
use crate::ingest::quality::size_label;
use crate::ingest::rows::Acc;
use crate::ingest::tokenize::{
    Delimiter, Problem, Record, Tokenizer, MAX_QUOTED_BYTES, MAX_ROW_BYTES,
};
use crate::ingest::{make_plan, sniff_delimiter, InputReport, Plan, Record as SampleRecord};
use crate::messages::Message;
use crate::options::Options;

/// Bytes of the file's head from which encoding and layout are decided.
pub const HEAD_BYTES: usize = 1 << 20;
/// Records of the head used to decide header, columns, date format and decimal separators.
pub const SAMPLE_RECORDS: usize = 2000;
/// A legacy encoding is decoded this many input bytes at a time, so the decoded text held at once
/// stays small however large the chunk (`analyze` pushes a whole file as one chunk).
const DECODE_SLICE: usize = 1 << 20;

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
    /// Decodes a legacy encoding, or UTF-8 from its first bad byte on (with U+FFFD).
    decoder: Option<encoding_rs::Decoder>,
    /// The text is UTF-8: passed on as it is while it is valid.
    utf8: bool,
    decoded: Vec<u8>,
    tok: Option<Tokenizer>,
    plan: Option<Plan>,
    pub(crate) acc: Acc,
    warnings: Vec<Message>,
    decode_errors: bool,
    /// Decisions given by a previous pass.
    pub(crate) forced: Decisions,
    /// The encoding is guessed (`encoding: "auto"`, no byte-order mark, not decided by a previous
    /// pass): the whole file's evidence is gathered.
    guessing: bool,
    /// The encoding used in this pass.
    used: Option<&'static encoding_rs::Encoding>,
    /// Bytes of a UTF-8 character cut by the end of the last chunk, held back from the tokenizer.
    utf8_tail: Vec<u8>,
    /// Valid UTF-8 multibyte sequences after the head and before the first bad byte (guessing).
    utf8_valid_after_head: u64,
    /// The whole file's evidence about its encoding: from the start when the head is not valid
    /// UTF-8, else from the first bad byte (with the head).
    evidence: Option<Box<Evidence>>,
    /// The head, kept while a UTF-8 file may still turn out not to be UTF-8 (guessing).
    head_copy: Vec<u8>,
    /// Size of the head ([`HEAD_BYTES`] except in tests, see [`crate::Analyzer::with_head_bytes`]).
    pub(crate) head_bytes: usize,
    /// Bounds of the tokenizer (row, quoted field), lowered by a test seam.
    pub(crate) row_limits: Option<(usize, usize)>,
    /// [`crate::inspect`]'s mapping step: a missing customer or date column does not fail (see
    /// [`make_plan`]).
    pub(crate) lenient: bool,
    /// The first [`PREVIEW_ROWS`] records of the head, raw, kept for [`crate::inspect`] (`None`:
    /// not asked for).
    pub(crate) preview: Option<Vec<SampleRecord>>,
    /// A hash of the head the decisions were taken from: the readers of a file's later byte ranges
    /// must have taken theirs from the same head (see [`crate::ingest::part`]).
    pub(crate) head_hash: u64,
    /// Parts absorbed so far ([`crate::ingest::part`]): rows they took (so the next one's row
    /// numbers follow on), and whether the last one ended at a record boundary.
    pub(crate) absorbed: Option<(u64, bool)>,
    /// A part was refused after some of it was merged (damaged bytes found part-way).
    pub(crate) spoiled: bool,
}

/// Records kept for the preview of [`crate::inspect`].
pub(crate) const PREVIEW_ROWS: usize = 20;

/// What a reader leaves at the end of the input: the plan, the accumulated rows and the evidence
/// for the whole-file decisions.
pub(crate) struct Read {
    pub(crate) opts: Options,
    pub(crate) plan: Plan,
    pub(crate) acc: Acc,
    pub(crate) warnings: Vec<Message>,
    pub(crate) decode_errors: bool,
    pub(crate) forced: Decisions,
    /// The encoding the whole file points to and the bytes ≥ 0x80 it was guessed from (when it
    /// was guessed and not all of the file is valid UTF-8).
    pub(crate) guess: Option<(&'static encoding_rs::Encoding, u64)>,
    /// The encoding used in this pass.
    pub(crate) used: &'static encoding_rs::Encoding,
}

impl Reader {
    /// An empty reader for validated options.
    pub(crate) fn new(opts: Options) -> Reader {
        let mut acc = Acc::new();
        acc.merge_orders = opts.frequency != crate::options::FrequencyUnit::Rows;
        let comma = opts.decimal.comma();
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
            // options.decimal decides the number columns once and for all: no vote, no second pass
            forced: Decisions {
                comma: [comma; 3],
                ..Decisions::default()
            },
            guessing: false,
            used: None,
            utf8_tail: Vec::new(),
            utf8_valid_after_head: 0,
            evidence: None,
            head_copy: Vec::new(),
            head_bytes: HEAD_BYTES,
            row_limits: None,
            lenient: false,
            preview: None,
            head_hash: 0,
            absorbed: None,
            spoiled: false,
        }
    }

    /// A reader of a later byte range of a file ([`crate::ingest::part`]): takes its decisions from
    /// `head` (the file's first [`HEAD_BYTES`], exactly as the reader of the whole file buffered
    /// them) and then reads records from the first byte pushed, with no title rows, header or hint
    /// line to skip, numbering rows from 1 (the merge shifts them).
    pub(crate) fn continuation(mut self, head: &[u8]) -> Result<Reader> {
        self.progress.bytes = 0;
        self.decide(head, false)?;
        self.acc.skipped = self.plan.as_ref().map_or(0, |p| p.skip_records);
        self.acc.hint_line = false;
        Ok(self)
    }

    /// The text so far was UTF-8 read as it is: no decoder, no evidence for another encoding and
    /// no character cut at the end. Only such ranges can be read apart and merged.
    pub(crate) fn plain_utf8(&self) -> bool {
        self.utf8 && self.decoder.is_none() && self.evidence.is_none() && self.utf8_tail.is_empty()
    }

    /// The tokenizer has nothing pending (the bytes so far end at a record boundary), and the rows
    /// it has taken (line ends minus those inside quotes).
    pub(crate) fn boundary(&self) -> (bool, u64) {
        match self.tok.as_ref() {
            Some(t) => (!t.pending(), t.rows_taken()),
            None => (false, 0),
        }
    }

    /// Reads a record the tokenizer holds back although its line end has come (it re-reads a
    /// carried record only when its bytes have doubled), so that the end of a byte range is seen
    /// as the record boundary it is.
    pub(crate) fn settle(&mut self) {
        let (Some(tok), Some(plan)) = (self.tok.as_mut(), self.plan.as_ref()) else {
            return;
        };
        let acc = &mut self.acc;
        let cancel = self.opts.cancel_prefix.as_deref().map(str::as_bytes);
        tok.settle(&mut |r| acc.process(plan, cancel, r));
    }

    /// Ends the input without deciding anything more (the end of a byte range).
    pub(crate) fn flush(&mut self) {
        if self.plan.is_some() {
            self.feed(&[], true);
        }
    }

    /// Counts the bytes of a range read by another reader and absorbed into this one.
    pub(crate) fn add_bytes(&mut self, n: u64) {
        self.progress.bytes += n;
    }

    /// True once the decisions are taken (the head was read).
    pub(crate) fn decided(&self) -> bool {
        self.plan.is_some()
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

    fn tokenizer(&self, delim: Delimiter) -> Tokenizer {
        match self.row_limits {
            Some((row, quoted)) => Tokenizer::with_limits(delim, row, quoted),
            None => Tokenizer::new(delim),
        }
    }

    /// Decides the encoding from the head: a previous pass, the options or a BOM, else UTF-8 when
    /// the head is valid UTF-8, else the head's evidence ([`Evidence`]), which then goes on
    /// gathering the rest of the file. Returns the encoding and the BOM's length.
    fn pick_encoding(
        &mut self,
        head: &[u8],
        last: bool,
    ) -> Result<(&'static encoding_rs::Encoding, usize)> {
        if let Some(e) = self.forced.encoding {
            return Ok(match encoding_rs::Encoding::for_bom(head) {
                Some((b, n)) if b == e => (e, n),
                _ => (e, 0),
            });
        }
        if let Some(declared) = declared_encoding(head, &self.opts.encoding)? {
            return Ok(declared);
        }
        self.guessing = true;
        match std::str::from_utf8(head) {
            Ok(_) => return Ok((encoding_rs::UTF_8, 0)),
            Err(e) if e.error_len().is_none() && !last => return Ok((encoding_rs::UTF_8, 0)),
            Err(_) => {}
        }
        let mut evidence = Box::new(Evidence::new());
        evidence.feed(head, last);
        let enc = evidence.choose();
        self.evidence = Some(evidence);
        Ok((enc, 0))
    }

    /// Decides encoding and layout from the head, then processes the head.
    fn start(&mut self, last: bool) -> Result<()> {
        let head = std::mem::take(&mut self.head);
        let bom = self.decide(&head, last)?;
        if self.guessing && self.evidence.is_none() {
            // UTF-8 because the head is: the rest must be too (docs/input.md#encodings)
            self.head_copy = head.clone();
        }
        // the head goes through the streaming path (its evidence is already in)
        self.feed_bytes(&head[bom..], last);
        if self.guessing && self.evidence.is_none() {
            // if a bad byte comes, the evidence starts with the head; a character it cuts at its
            // end comes with the next chunk, and the valid sequences are counted from the head
            let keep = self.head_copy.len() - self.utf8_tail.len().min(self.head_copy.len());
            self.head_copy.truncate(keep);
            self.utf8_valid_after_head = 0;
        }
        Ok(())
    }

    /// Decides encoding and layout from the head; returns the length of its byte-order mark.
    fn decide(&mut self, head: &[u8], last: bool) -> Result<usize> {
        // (only the head: every reader of a file is given the same options and decisions by its
        // caller, as `read_ranges` and the page's worker do)
        self.head_hash = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            h.write(head);
            h.finish()
        };
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(TierwiseError::EmptyFile);
        }
        if let Some(kind) = not_a_table(head, self.opts.encoding == "auto") {
            return Err(TierwiseError::NotATable(kind));
        }
        let (enc, bom) = self.pick_encoding(head, last)?;
        self.acc.report.encoding = enc.name().to_string();
        self.used = Some(enc);
        self.utf8 = enc == encoding_rs::UTF_8;
        if !self.utf8 {
            self.decoder = Some(enc.new_decoder_without_bom_handling());
        }
        let body = &head[bom..];
        // the head as UTF-8 text, for sniffing and the sample
        let text: std::borrow::Cow<'_, [u8]> = match std::str::from_utf8(body) {
            Ok(_) if self.utf8 => body.into(),
            Err(e) if self.utf8 && e.error_len().is_none() && !last => body.into(),
            _ => {
                let mut d = enc.new_decoder_without_bom_handling();
                let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
                let _ = d.decode_to_string(body, &mut out, last);
                out.into_bytes().into()
            }
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
        // the sample: the first complete records of the head; the first must be readable
        let mut sample: Vec<SampleRecord> = Vec::new();
        let mut first_problem: Option<Message> = None;
        let mut t = self.tokenizer(delim);
        let (row_limit, quoted_limit) =
            self.row_limits.unwrap_or((MAX_ROW_BYTES, MAX_QUOTED_BYTES));
        let too_long = Message::FirstRowTooLong {
            limit: size_label(self.head_bytes.min(row_limit)),
        };
        {
            let mut cb = |r: &Record<'_>| {
                if sample.is_empty() && first_problem.is_none() {
                    if let Some(p) = r.problem {
                        first_problem = Some(match p {
                            Problem::UnclosedQuote { field } => Message::FirstRowUnclosedQuote {
                                column: crate::ingest::roles::column_label(None, field),
                                value: String::from_utf8_lossy(r.excerpt).into_owned(),
                                limit: size_label(quoted_limit),
                            },
                            Problem::TooLong { .. } => too_long.clone(),
                        });
                        return;
                    }
                }
                if r.problem.is_none() && sample.len() < SAMPLE_RECORDS {
                    sample.push(SampleRecord {
                        line: r.row as u32,
                        fields: r.to_strings(),
                    });
                }
            };
            t.feed(&text[skip..], last, &mut cb);
        }
        if let Some(problem) = first_problem {
            return Err(TierwiseError::Unreadable(problem));
        }
        if sample.is_empty() {
            if t.pending() {
                // the first record does not end within the head
                return Err(TierwiseError::Unreadable(too_long));
            }
            return Err(TierwiseError::EmptyFile);
        }
        if let Some(preview) = self.preview.as_mut() {
            preview.extend(sample.iter().take(PREVIEW_ROWS).cloned());
        }
        let mut plan = make_plan(
            &sample,
            &self.opts,
            &mut self.acc.report,
            &mut self.warnings,
            self.lenient,
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
        if !plan.mapping.dimensions.is_empty() {
            self.acc.dims = Some(crate::ingest::dims::DimLog::new(
                plan.mapping.dimensions.len(),
            ));
        }
        self.plan = Some(plan);
        self.acc.row_limits = (row_limit, quoted_limit);
        // the hint line is row 1 of the spreadsheet: it goes through the tokenizer like any line (so
        // the rows keep their numbers) and the validation skips it
        self.acc.hint_line = skip > 0;
        self.tok = Some(self.tokenizer(delim));
        Ok(bom)
    }

    /// Gathers evidence (when guessing), decodes (when needed) and tokenises a chunk.
    fn feed(&mut self, chunk: &[u8], last: bool) {
        if let Some(evidence) = self.evidence.as_mut() {
            evidence.feed(chunk, last);
        }
        self.feed_bytes(chunk, last);
    }

    fn feed_bytes(&mut self, chunk: &[u8], last: bool) {
        if self.utf8 && self.decoder.is_none() {
            self.feed_utf8(chunk, last);
        } else {
            self.feed_decoded(chunk, last);
        }
    }

    /// Decodes a chunk a slice at a time and tokenises the text.
    fn feed_decoded(&mut self, chunk: &[u8], last: bool) {
        let mut decoded = std::mem::take(&mut self.decoded);
        let mut at = 0;
        loop {
            let end = (at + DECODE_SLICE).min(chunk.len());
            let piece = &chunk[at..end];
            let piece_last = last && end == chunk.len();
            let Some(dec) = self.decoder.as_mut() else {
                break;
            };
            let need = dec
                .max_utf8_buffer_length(piece.len())
                .unwrap_or(piece.len() * 3 + 16);
            if decoded.len() < need {
                decoded.resize(need, 0);
            }
            let (_, _, written, had_errors) = dec.decode_to_utf8(piece, &mut decoded, piece_last);
            self.decode_errors |= had_errors;
            self.feed_text(&decoded[..written], piece_last);
            at = end;
            if at >= chunk.len() {
                break;
            }
        }
        self.decoded = decoded;
    }

    /// Passes UTF-8 text on while it is valid (a character cut by the chunk's end is held back until
    /// the next chunk completes it); from the first bad byte on, decodes with U+FFFD for bad bytes
    /// and, when guessing, starts gathering the evidence for another encoding.
    fn feed_utf8(&mut self, chunk: &[u8], last: bool) {
        let mut rest = chunk;
        if !self.utf8_tail.is_empty() {
            // complete the character cut by the previous chunk (a character has at most 4 bytes)
            let mut unit = std::mem::take(&mut self.utf8_tail);
            let held = unit.len();
            let take = rest.len().min(4 - held.min(4));
            unit.extend_from_slice(&rest[..take]);
            let done = match std::str::from_utf8(&unit) {
                Ok(_) => unit.len(),
                Err(e) => e.valid_up_to(),
            };
            if done > held {
                self.count_valid(&unit[..done]);
                self.feed_text(&unit[..done], false);
                rest = &rest[done - held..];
            } else if std::str::from_utf8(&unit).is_err_and(|e| e.error_len().is_none()) && !last {
                self.utf8_tail = unit; // (the chunk was shorter than the character)
                return;
            } else {
                unit.truncate(held);
                return self.switch_to_decoder(&unit, rest, last);
            }
        }
        let start = first_non_ascii(rest);
        if start == rest.len() {
            self.feed_text(rest, last);
            return;
        }
        match std::str::from_utf8(&rest[start..]) {
            Ok(_) => {
                self.count_valid(&rest[start..]);
                self.feed_text(rest, last);
            }
            Err(e) => {
                let cut = start + e.valid_up_to();
                self.count_valid(&rest[start..cut]);
                self.feed_text(&rest[..cut], false);
                if e.error_len().is_none() && !last {
                    self.utf8_tail = rest[cut..].to_vec();
                } else {
                    self.switch_to_decoder(&[], &rest[cut..], last);
                }
            }
        }
    }

    /// Counts valid UTF-8 multibyte sequences (their lead bytes) while a UTF-8 file may still turn
    /// out not to be one.
    fn count_valid(&mut self, text: &[u8]) {
        if self.guessing && self.evidence.is_none() {
            self.utf8_valid_after_head += lead_bytes(text);
        }
    }

    /// From the first bad byte of a UTF-8 text on (`held`: bytes of it from an earlier chunk, then
    /// `rest`): decodes with U+FFFD and gathers the evidence for another encoding.
    fn switch_to_decoder(&mut self, held: &[u8], rest: &[u8], last: bool) {
        if self.guessing && self.evidence.is_none() {
            let mut evidence = Box::new(Evidence::new());
            evidence.feed(&std::mem::take(&mut self.head_copy), false);
            evidence.add_valid_utf8(self.utf8_valid_after_head);
            evidence.feed(held, false);
            evidence.feed(rest, last);
            self.evidence = Some(evidence);
        }
        self.decoder = Some(encoding_rs::UTF_8.new_decoder_without_bom_handling());
        self.feed_decoded(held, false);
        self.feed_decoded(rest, last);
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
    pub(crate) fn head_only(
        mut self,
        bytes: &[u8],
    ) -> Result<(Plan, InputReport, Vec<Message>, Vec<SampleRecord>)> {
        let n = bytes.len().min(self.head_bytes);
        self.progress.bytes = n as u64;
        self.head.extend_from_slice(&bytes[..n]);
        self.start(n == bytes.len())?;
        let plan = self.plan.take().ok_or(TierwiseError::EmptyFile)?;
        let preview = self.preview.take().unwrap_or_default();
        Ok((plan, self.acc.report, self.warnings, preview))
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
        let used = self.used.unwrap_or(encoding_rs::UTF_8);
        let guess = self.evidence.as_ref().map(|e| (e.choose(), e.non_ascii()));
        // a guess made from few bytes is said to be one (in the pass that uses it)
        let unsure = match (self.forced.encoding, guess) {
            (Some(_), _) => self.forced.guessed_from,
            (None, Some((enc, bytes))) if enc == used && enc != encoding_rs::UTF_8 => Some(bytes),
            _ => None,
        };
        if let Some(bytes) = unsure.filter(|&b| b < SURE_BYTES) {
            self.warnings.push(Message::EncodingGuessed {
                encoding: used.name().to_string(),
                bytes,
            });
        }
        Ok(Read {
            opts: self.opts,
            plan,
            acc: self.acc,
            warnings: self.warnings,
            decode_errors: self.decode_errors,
            forced: self.forced,
            guess,
            used,
        })
    }
}

/// Bytes ≥ 0xC0 (the lead bytes of UTF-8 multibyte sequences), eight at a time: a byte has both
/// top bits set exactly when its top bit survives `w & (w << 1)`.
fn lead_bytes(b: &[u8]) -> u64 {
    let mut words = b.chunks_exact(8);
    let mut n = 0u64;
    for w in &mut words {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        n += u64::from((w & (w << 1) & 0x8080_8080_8080_8080).count_ones());
    }
    n + words.remainder().iter().filter(|&&c| c >= 0xC0).count() as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_lead_bytes() {
        let text = "a中文é\u{1F600}xyz".as_bytes();
        for cut in 0..text.len() {
            let (a, b) = text.split_at(cut);
            assert_eq!(super::lead_bytes(a) + super::lead_bytes(b), 4);
        }
        assert_eq!(super::lead_bytes(&[0xBF; 17]), 0);
        assert_eq!(super::lead_bytes(&[0xC0; 17]), 17);
    }
}
