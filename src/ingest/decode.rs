//! Decoding: picks the file's encoding from its head (forced label, BOM, UTF-8, else a guess by
//! `chardetng`) and checks that a file read as UTF-8 stays UTF-8 after its head.

use crate::error::{Result, TierwiseError};
use crate::messages::Message;

/// Picks the encoding from the head of the file (the first MiB, or all of a smaller file): a forced
/// WHATWG label, else a BOM, else UTF-8 when the head is valid UTF-8 (a character cut at the end of
/// the head is fine), else `chardetng`'s guess among the legacy encodings browsers know. Returns the
/// encoding and the length of the BOM to skip.
pub fn pick_encoding(
    head: &[u8],
    label: &str,
    last: bool,
) -> Result<(&'static encoding_rs::Encoding, usize)> {
    use encoding_rs::{Encoding, UTF_8};
    if label != "auto" {
        let enc = Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            TierwiseError::Decode(Message::UnknownEncoding {
                label: label.to_string(),
            })
        })?;
        return Ok(match Encoding::for_bom(head) {
            Some((bom_enc, n)) if bom_enc == enc => (enc, n),
            _ => (enc, 0),
        });
    }
    if let Some((enc, n)) = Encoding::for_bom(head) {
        return Ok((enc, n));
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok((UTF_8, 0)),
        Err(e) if e.error_len().is_none() && !last => return Ok((UTF_8, 0)),
        Err(_) => {}
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, last);
    Ok((det.guess(None, chardetng::Utf8Detection::Deny), 0))
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
