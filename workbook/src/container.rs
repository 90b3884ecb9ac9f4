//! What kind of workbook the bytes are, told from their content (never from a file name): an OLE2
//! compound file (`D0 CF 11 E0 …`) holding a `Workbook` stream is an `.xls`, one holding an
//! `EncryptedPackage` is a password-protected `.xlsx`; a ZIP archive with `xl/workbook.bin` is an
//! `.xlsb`, with other `xl/` entries an `.xlsx`/`.xlsm`, with `content.xml` and a spreadsheet (or
//! no) `mimetype` an `.ods`. Before calamine opens a ZIP, the unpacked sizes of the parts it reads
//! are checked: declared and real, each part read whole against [`Limits::max_part_bytes`], all of
//! them against [`Limits::max_unpacked_bytes`].

use crate::error::{Error, Limit};
use crate::{Format, Limits};
use std::borrow::Cow;
use std::io::{Cursor, Read};

/// The OLE2 compound file signature (`.xls`, and encrypted Office files).
pub const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether `head` (the first bytes of a file, at least 8) starts like a container a workbook comes
/// in: a ZIP archive or an OLE2 compound file. A cheap first test; [`crate::open`] tells the kind.
pub fn looks_like_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&OLE2_MAGIC)
}

/// `name` in UTF-16LE, as OLE2 directory entries store stream names.
fn utf16le(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The kind of workbook, checking the bounds of the parts read whole.
pub(crate) fn detect(bytes: &[u8], limits: &Limits) -> Result<Format, Error> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::TooLarge(Limit::FileBytes {
            size: bytes.len() as u64,
            max: limits.max_file_bytes,
        }));
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        // the directory names its streams in UTF-16LE
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(Error::Encrypted {
                format: Some(Format::Xlsx),
            });
        }
        if contains(bytes, &utf16le("Workbook")) || contains(bytes, &utf16le("Book")) {
            return Ok(Format::Xls);
        }
        return Err(Error::NotAWorkbook);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::NotAWorkbook);
    }
    // the ZIP reader keeps a few hundred bytes per entry of the directory: bound their number first.
    // Every entry it reads starts with this signature, at an offset of its own, so there are at
    // most as many entries as places the signature appears.
    let entries = bytes.windows(4).filter(|w| *w == b"PK\x01\x02").count() as u64;
    if entries > limits.max_parts {
        return Err(Error::TooLarge(Limit::Parts {
            max: limits.max_parts,
        }));
    }
    // the reader type calamine uses too: one copy of the ZIP code in the wasm module
    let mut zip =
        zip::ZipArchive::new(Cursor::new(Cow::Borrowed(bytes))).map_err(|e| Error::Unreadable {
            format: None,
            detail: e.to_string(),
        })?;
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let format = if has("xl/workbook.bin") {
        Format::Xlsb
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        Format::Xlsx
    } else if has("content.xml") {
        let mut mimetype = String::new();
        if let Ok(mut f) = zip.by_name("mimetype") {
            // a short text; a longer one is no spreadsheet's
            let _ = f.by_ref().take(200).read_to_string(&mut mimetype);
        }
        let mimetype = mimetype.trim();
        if !mimetype.is_empty()
            && !mimetype.starts_with("application/vnd.oasis.opendocument.spreadsheet")
        {
            return Err(Error::NotAWorkbook);
        }
        Format::Ods
    } else {
        return Err(Error::NotAWorkbook);
    };
    // Parts read whole (everything but the worksheets of an .xlsx/.xlsb, which are streamed and
    // bounded by the cell and text limits instead) within the part bound, by their declared size
    // first; then every part the reader opens (XML, relationships, binary parts; not pictures) as it
    // really unpacks, since a ZIP entry may hold more than it declares: each part read whole within
    // the part bound, all of them within the unpacked bound. An .ods file's content.xml is held to
    // its bound by the pre-scan, which reads it anyway.
    let mut unpacked = 0u64;
    for i in 0..zip.len() {
        let (name, declared) = match zip.by_index_raw(i) {
            Ok(f) => (f.name().to_string(), f.size()),
            Err(_) => continue,
        };
        let streamed =
            matches!(format, Format::Xlsx | Format::Xlsb) && name.starts_with("xl/worksheets/");
        if !streamed && declared > limits.max_part_bytes {
            return Err(Error::TooLarge(Limit::PartBytes {
                part: name,
                size: declared,
                max: limits.max_part_bytes,
            }));
        }
        let lower = name.to_ascii_lowercase();
        let read = [".xml", ".rels", ".bin"].iter().any(|x| lower.ends_with(x));
        if !read {
            continue;
        }
        let left = limits.max_unpacked_bytes.saturating_sub(unpacked);
        let bound = if streamed {
            left
        } else {
            left.min(limits.max_part_bytes)
        };
        let size = unpacked_size(&mut zip, i, bound.saturating_add(1));
        if !streamed && size > limits.max_part_bytes {
            return Err(Error::TooLarge(Limit::PartBytes {
                part: name,
                size,
                max: limits.max_part_bytes,
            }));
        }
        unpacked += size;
        if unpacked > limits.max_unpacked_bytes {
            return Err(Error::TooLarge(Limit::UnpackedBytes {
                max: limits.max_unpacked_bytes,
            }));
        }
    }
    Ok(format)
}

/// How many bytes entry `i` unpacks to, reading at most `limit` of them (and only up to a damaged
/// spot: the reader stops there too). Nothing is kept.
fn unpacked_size(zip: &mut zip::ZipArchive<Cursor<Cow<[u8]>>>, i: usize, limit: u64) -> u64 {
    let Ok(f) = zip.by_index(i) else { return 0 };
    let mut f = f.take(limit);
    let mut buf = [0u8; 1 << 14];
    let mut n = 0u64;
    loop {
        match f.read(&mut buf) {
            Ok(0) | Err(_) => return n,
            Ok(k) => n += k as u64,
        }
    }
}
