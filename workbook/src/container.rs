//! What kind of workbook the bytes are, told from their content (never from a file name): an OLE2
//! compound file (`D0 CF 11 E0 …`) holding a `Workbook` stream is an `.xls`, one holding an
//! `EncryptedPackage` is a password-protected `.xlsx`; a ZIP archive with `xl/workbook.bin` is an
//! `.xlsb`, with other `xl/` entries an `.xlsx`/`.xlsm`, with `content.xml` and a spreadsheet (or
//! no) `mimetype` an `.ods`. Before calamine opens a ZIP, the declared unpacked sizes of the parts
//! it reads whole are checked against [`Limits::max_part_bytes`].

use crate::error::{Error, Limit};
use crate::{Format, Limits};
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
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Unreadable {
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
    // parts read whole: everything but the worksheets of an .xlsx/.xlsb, which are streamed (and
    // bounded by the cell and text limits instead)
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let streamed =
            matches!(format, Format::Xlsx | Format::Xlsb) && f.name().starts_with("xl/worksheets/");
        if !streamed && f.size() > limits.max_part_bytes {
            return Err(Error::TooLarge(Limit::PartBytes {
                part: f.name().to_string(),
                size: f.size(),
                max: limits.max_part_bytes,
            }));
        }
    }
    Ok(format)
}
