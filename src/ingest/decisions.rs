//! The decisions of the two-pass protocol: what the head of the file decided (encoding, date
//! format, decimal separators), compared at the end with the evidence of the whole file; when they
//! differ, a second pass reads the file again with the whole-file decisions (see `docs/input.md`).

use crate::ingest::columns::Plan;
use crate::ingest::dates::DateFormat;
use crate::ingest::rows::Acc;
use crate::messages::Message;

/// The decisions that need a look at the data. A first pass takes them from the head of the file
/// and also gathers evidence from every row; when the whole file disagrees with the head (a date
/// format that parses more values further down, decimal commas that only appear late, bytes that are
/// not UTF-8 after an ASCII head, an encoding the whole file's bytes point to rather than the
/// head's) [`crate::Finish::Rerun`] holds the whole-file decisions and a
/// second pass with [`crate::Analyzer::with_decisions`] gives the result `docs/input.md` defines.
/// [`crate::analyze`], the CLI and the demo's worker do that second pass themselves; it is rare and
/// never changes a file whose head is representative.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Decisions {
    /// The encoding.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The date format.
    pub date_format: Option<DateFormat>,
    /// Decimal comma for the amount, quantity and unit price columns.
    pub comma: [Option<bool>; 3],
    /// When `encoding` was guessed from fewer than 64 bytes ≥ 0x80 (no BOM, not set in the
    /// options): how many. So few make the guess uncertain, and the summary says so.
    pub guessed_from: Option<u64>,
}

impl Decisions {
    /// True when nothing is decided.
    pub fn is_empty(&self) -> bool {
        *self == Decisions::default()
    }
}

/// Compares the head's decisions with the evidence of the whole file; `Some` with the decisions a
/// second pass must use when they differ.
/// `guess`: the encoding the whole file's bytes point to and the bytes ≥ 0x80 it was guessed from
/// (see [`crate::ingest::guess`]); `used`: the encoding this pass decoded with.
pub(crate) fn whole_file_decisions(
    plan: &Plan,
    acc: &Acc,
    forced: &Decisions,
    guess: Option<(&'static encoding_rs::Encoding, u64)>,
    used: &'static encoding_rs::Encoding,
) -> Option<Decisions> {
    let mut d = *forced;
    let mut differs = false;
    if forced.encoding.is_none() {
        if let Some((enc, bytes)) = guess.filter(|g| g.0 != used) {
            d.encoding = Some(enc);
            d.guessed_from = (enc != encoding_rs::UTF_8
                && bytes < crate::ingest::encoding_guess::SURE_BYTES)
                .then_some(bytes);
            differs = true;
        }
    }
    if forced.date_format.is_none() {
        // totals per format: the provisional reading, the other month/day reading, and the formats
        // that read values neither of them reads (the other formats never read the same value)
        let idx = |f: DateFormat| DateFormat::ALL.iter().position(|g| *g == f);
        let mut totals = acc.other_fits;
        if let Some(i) = idx(plan.date_format) {
            totals[i] = acc.primary_fits;
        }
        if let Some(i) = plan.alt_format.and_then(idx) {
            totals[i] = acc.primary_fits - acc.primary_only + acc.alt_only;
        }
        let best = (0..totals.len()).fold(0, |b, i| if totals[i] > totals[b] { i } else { b });
        let winner = DateFormat::ALL[best];
        if totals[best] > 0 && winner != plan.date_format && Some(winner) != plan.alt_format {
            d.date_format = Some(winner);
            differs = true;
        }
    }
    let cols = [
        plan.mapping.amount,
        plan.mapping.quantity,
        plan.mapping.unit_price,
    ];
    let used = [plan.amount_comma, plan.qty_comma, plan.price_comma];
    for slot in 0..3 {
        if forced.comma[slot].is_none() && cols[slot].is_some() {
            let whole = acc.votes[slot][1] > acc.votes[slot][0];
            if whole != used[slot] {
                d.comma[slot] = Some(whole);
                differs = true;
            }
        }
    }
    differs.then_some(d)
}

/// The warning when a second pass is needed but the caller cannot read the input again.
pub(crate) fn rerun_warning(d: &Decisions, provisional: DateFormat) -> Message {
    let mut reasons = Vec::new();
    if let Some(e) = d.encoding {
        reasons.push(Message::LateEncoding {
            encoding: e.name().to_string(),
        });
    }
    if let Some(f) = d.date_format {
        reasons.push(Message::LateDateFormat {
            most: f.label(),
            first: provisional.label(),
        });
    }
    if d.comma.iter().any(|c| c.is_some()) {
        reasons.push(Message::LateDecimalSeparator);
    }
    Message::HeadOnlyResult { reasons }
}
