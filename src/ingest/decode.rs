//! Decoding: the encoding a file or the options declare (a WHATWG label, a BOM), and the files that
//! are not text tables at all. Guessing an undeclared encoding is [`crate::ingest::guess`]'s job.

use crate::error::{Result, TierwiseError};
use crate::messages::Message;

/// The encoding the caller or the file declares: a WHATWG label in the options (with its BOM, if
/// the file has one, skipped), else a byte-order mark (UTF-8, UTF-16 LE/BE). `None` when it is to be
/// guessed. Returns the encoding and the length of the BOM to skip.
pub(crate) fn declared_encoding(
    head: &[u8],
    label: &str,
) -> Result<Option<(&'static encoding_rs::Encoding, usize)>> {
    use encoding_rs::Encoding;
    if label != "auto" {
        let enc = Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            TierwiseError::Decode(Message::UnknownEncoding {
                label: label.to_string(),
            })
        })?;
        return Ok(Some(match Encoding::for_bom(head) {
            Some((bom_enc, n)) if bom_enc == enc => (enc, n),
            _ => (enc, 0),
        }));
    }
    Ok(Encoding::for_bom(head))
}

/// Index of the first byte ≥ 0x80 (or the length), eight bytes at a time.
pub(crate) fn first_non_ascii(b: &[u8]) -> usize {
    let mut i = 0;
    for w in b.chunks_exact(8) {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| c >= 0x80)
        .unwrap_or(b.len() - i)
}

/// What the head of a file is when it is not a text table: an archive, a workbook, an image, a
/// document, JSON, or text in UTF-32 or in UTF-16 without a byte-order mark (which would otherwise
/// decode as garbage and end in "no date column"). `None` for anything that may be a table.
/// `encoding_auto`: the encoding is not set in the options (a UTF-16 file without a BOM is fine then).
pub(crate) fn not_a_table(head: &[u8], encoding_auto: bool) -> Option<Message> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return Some(Message::KindZip);
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(Message::KindXls);
    }
    if starts(&[0x1F, 0x8B]) {
        return Some(Message::KindGzip);
    }
    if starts(b"\x89PNG") || starts(&[0xFF, 0xD8, 0xFF]) || starts(b"GIF8") {
        return Some(Message::KindImage);
    }
    if starts(b"%PDF-") {
        return Some(Message::KindPdf);
    }
    if starts(&[0xFF, 0xFE, 0, 0]) || starts(&[0, 0, 0xFE, 0xFF]) {
        return Some(Message::KindUtf32);
    }
    // (a UTF-8 BOM is skipped before looking at the text)
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&text[..0], |i| &text[i..]);
    let lower: Vec<u8> = start.iter().take(16).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<?xml")
    {
        return Some(Message::KindMarkup);
    }
    if [&b"{\""[..], b"[{", b"[\"", b"[\n", b"[\r"]
        .iter()
        .any(|m| start.starts_with(m))
    {
        return Some(Message::KindJson);
    }
    // without a BOM: UTF-32 has three zero bytes in four, UTF-16 one in two, all at one parity
    let sample = &head[..head.len().min(4096)];
    if encoding_auto && sample.len() >= 8 && encoding_rs::Encoding::for_bom(sample).is_none() {
        let zeros = sample.iter().filter(|&&b| b == 0).count();
        let odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        if zeros * 10 >= sample.len() * 6 {
            return Some(Message::KindUtf32);
        }
        let even = zeros - odd;
        if zeros * 10 >= sample.len() * 3 && (odd.min(even) * 20 <= zeros) {
            return Some(Message::KindUtf16);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_first_non_ascii_byte() {
        assert_eq!(super::first_non_ascii(b""), 0);
        assert_eq!(super::first_non_ascii(b"abcdefghij"), 10);
        assert_eq!(super::first_non_ascii("abcdefgh\u{e9}".as_bytes()), 8);
        assert_eq!(super::first_non_ascii("ab\u{e9}cdefghij".as_bytes()), 2);
    }
}
