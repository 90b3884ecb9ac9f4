//! Layout: the delimiter (`,` `;` tab `|` or whitespace-aligned) and the sample records of the
//! file's head from which the columns are decided.

use std::collections::BTreeMap;

pub use crate::ingest::tokenize::Delimiter;

/// Counts, per record of the first lines, how often each candidate appears outside quotes, and picks
/// the candidate with the most consistent non-zero count. Without any, whitespace-aligned when the
/// lines split into the same number (≥ 2) of tokens, else `,` (one column).
pub fn sniff_delimiter(text: &str) -> Delimiter {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut per_record: Vec<[usize; 4]> = Vec::new();
    let mut cur = [0usize; 4];
    let mut in_quotes = false;
    let mut nonblank = false;
    let bytes = text.as_bytes();
    let limit = bytes.len().min(64 * 1024);
    let mut i = 0;
    while i < limit && per_record.len() < 50 {
        let b = bytes[i];
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && (b == b'\n' || b == b'\r') {
            if nonblank {
                per_record.push(cur);
            }
            cur = [0; 4];
            nonblank = false;
        } else if !in_quotes {
            if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                cur[k] += 1;
            }
            if !b.is_ascii_whitespace() {
                nonblank = true;
            }
        }
        i += 1;
    }
    if nonblank && per_record.len() < 50 {
        per_record.push(cur);
    }
    // drop a possibly truncated last record when we stopped early
    if limit < bytes.len() && per_record.len() > 1 {
        per_record.pop();
    }
    let mut best: Option<(usize, usize, usize)> = None; // (consistent records, count, k)
    for k in 0..4 {
        let counts: Vec<usize> = per_record.iter().map(|r| r[k]).collect();
        if counts.iter().all(|&c| c == 0) {
            continue;
        }
        let first = counts[0];
        let consistent = counts.iter().filter(|&&c| c == first && c > 0).count();
        let key = (consistent, first, 4 - k);
        if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
            best = Some((key.0, key.1, k));
        }
    }
    if let Some((_, _, k)) = best {
        return Delimiter::Byte(CANDIDATES[k]);
    }
    let widths: Vec<usize> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(|l| l.split_whitespace().count())
        .collect();
    if !widths.is_empty()
        && widths[0] >= 2
        && widths.iter().filter(|&&w| w == widths[0]).count() * 10 >= widths.len() * 9
    {
        return Delimiter::Whitespace;
    }
    Delimiter::Byte(b',')
}

/// One sample record (owned fields) with its spreadsheet row.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number where the record starts.
    pub line: u32,
    /// Raw fields (not trimmed).
    pub fields: Vec<String>,
}

/// The most common field count among the first 100 records.
pub(crate) fn modal_width(records: &[Record]) -> usize {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for r in records.iter().take(100) {
        *counts.entry(r.fields.len()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(w, c)| (c, w))
        .map(|(w, _)| w)
        .unwrap_or(0)
}
