//! The OLE2 compound file (MS-CFB) an `.xls` comes in: [`workbook_stream`] takes the workbook
//! stream out of it, [`wrap`] puts a stream into a new compound file of our own making.
//!
//! calamine's own compound file reader trusts the file: a sector chain that loops grows a buffer
//! forever, a sector number past the allocation table indexes out of bounds, and sizes read from the
//! header become allocations of up to 16 GB. So calamine never sees the file as given: this reader
//! follows every chain at most once per sector and within the file, and calamine reads the stream
//! from a small, well-formed file written by [`wrap`] (one stream, "Workbook"; 512-byte sectors).
//!
//! Invariants: nothing here allocates more than the file's size (plus the new file's tables); every
//! chain visits each sector at most once; an error is a [`Error::Unreadable`] naming what is wrong.

use crate::error::Error;
use crate::Format;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const FATSECT: u32 = 0xFFFF_FFFD;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Sector numbers from here on are markers, not sectors.
const MAXREGSECT: u32 = 0xFFFF_FFFA;
const NOSTREAM: u32 = 0xFFFF_FFFF;
/// Streams shorter than this live in the mini stream (64-byte sectors).
const MINI_CUTOFF: usize = 4096;
const MINI_SECTOR: usize = 64;

fn damaged(what: impl Into<String>) -> Error {
    Error::Unreadable {
        format: Some(Format::Xls),
        detail: format!("damaged compound file: {}", what.into()),
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_le_bytes([s[0], s[1]]),
        None => 0,
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

/// The sectors of a compound file: sector `i` starts at byte `(i + 1) × size` (the header takes the
/// first sector's place); the last one may be cut short by the end of the file.
struct Sectors<'a> {
    bytes: &'a [u8],
    size: usize,
    count: usize,
}

impl<'a> Sectors<'a> {
    fn get(&self, id: u32) -> Result<&'a [u8], Error> {
        let i = id as usize;
        if i >= self.count {
            return Err(damaged(format!("sector {id} is past the end of the file")));
        }
        let start = (i + 1) * self.size;
        let end = (start + self.size).min(self.bytes.len());
        Ok(&self.bytes[start..end])
    }

    /// The sectors of the chain starting at `start` in `table`, in order; each sector at most once.
    fn chain(&self, start: u32, table: &[u32], what: &str) -> Result<Vec<u32>, Error> {
        let mut ids = Vec::new();
        let mut seen = vec![false; self.count.min(table.len())];
        let mut id = start;
        while id != ENDOFCHAIN {
            let i = id as usize;
            match seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                Some(_) => return Err(damaged(format!("the {what} chain loops"))),
                None => {
                    return Err(damaged(format!(
                        "the {what} chain leaves the file at sector {id}"
                    )))
                }
            }
            ids.push(id);
            id = table[i];
        }
        Ok(ids)
    }

    /// The bytes of a chain, cut to `len` when `len` is not 0 (as calamine does).
    fn read(&self, start: u32, table: &[u32], len: usize, what: &str) -> Result<Vec<u8>, Error> {
        let ids = self.chain(start, table, what)?;
        let mut cap = ids.len() * self.size;
        if len > 0 {
            cap = cap.min(len);
        }
        let mut out = Vec::with_capacity(cap);
        for id in ids {
            out.extend_from_slice(self.get(id)?);
            if len > 0 && out.len() >= len {
                break;
            }
        }
        if len > 0 {
            out.truncate(len);
        }
        Ok(out)
    }
}

fn to_u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// One directory entry: the name (UTF-16 up to the first NUL, as calamine reads it), the first
/// sector and the size.
struct Entry {
    name: String,
    start: u32,
    size: u64,
}

/// The workbook stream of an `.xls` (the first directory entry named "Workbook", else "Book", as
/// calamine looks for it), read within the file.
pub(crate) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    if bytes.len() < 512 {
        return Err(damaged("shorter than its header"));
    }
    let size = match u16_at(bytes, 30) {
        9 => 512,
        12 => 4096,
        s => return Err(damaged(format!("sector shift {s}"))),
    };
    if u16_at(bytes, 32) != 6 {
        return Err(damaged("mini sector shift is not 6"));
    }
    let count = bytes.len().saturating_sub(size).div_ceil(size);
    let sectors = Sectors { bytes, size, count };

    // the allocation table's sectors: 109 in the header, then a chain of DIFAT sectors whose last
    // entry names the next one
    let mut fat_ids: Vec<u32> = to_u32s(&bytes[76..512]).collect();
    let mut difat = u32_at(bytes, 68);
    let mut seen = vec![false; count];
    while difat < MAXREGSECT {
        match seen.get_mut(difat as usize) {
            Some(s) if !*s => *s = true,
            _ => return Err(damaged("the DIFAT chain loops or leaves the file")),
        }
        let s = sectors.get(difat)?;
        let entries: Vec<u32> = to_u32s(s).collect();
        let Some((&next, ids)) = entries.split_last() else {
            break;
        };
        fat_ids.extend_from_slice(ids);
        difat = next;
    }
    fat_ids.retain(|&id| id < DIFSECT);
    if fat_ids.len() > count {
        return Err(damaged("more allocation table sectors than sectors"));
    }
    let mut fat = Vec::with_capacity(fat_ids.len() * size / 4);
    for id in fat_ids {
        fat.extend(to_u32s(sectors.get(id)?));
    }

    let dir = sectors.read(u32_at(bytes, 48), &fat, 0, "directory")?;
    let entries: Vec<Entry> = dir
        .chunks_exact(128)
        .map(|e| {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(nul) = name.find('\0') {
                name.truncate(nul);
            }
            let size = if size == 512 {
                u64::from(u32_at(e, 120))
            } else {
                u64::from(u32_at(e, 120)) | u64::from(u32_at(e, 124)) << 32
            };
            Entry {
                name,
                start: u32_at(e, 116),
                size,
            }
        })
        .collect();
    let Some(root) = entries.first() else {
        return Err(damaged("no directory"));
    };
    let Some(stream) = entries
        .iter()
        .find(|e| e.name == "Workbook")
        .or_else(|| entries.iter().find(|e| e.name == "Book"))
    else {
        return Err(Error::NotAWorkbook);
    };
    // a size past the file only means "to the end of the chain"
    let len = usize::try_from(stream.size)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    if stream.size < MINI_CUTOFF as u64 {
        // the mini stream: 64-byte sectors inside the root entry's stream, chained by the mini FAT
        let root_len = usize::try_from(root.size)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        let mini = sectors.read(root.start, &fat, root_len, "mini stream")?;
        let minifat: Vec<u32> = if u32_at(bytes, 64) == 0 {
            Vec::new()
        } else {
            to_u32s(&sectors.read(u32_at(bytes, 60), &fat, 0, "mini FAT")?).collect()
        };
        let minis = Sectors {
            bytes: &mini,
            size: MINI_SECTOR,
            count: mini.len().div_ceil(MINI_SECTOR),
        };
        let ids = minis.chain(stream.start, &minifat, "workbook stream")?;
        let mut out = Vec::with_capacity(len.min(ids.len() * MINI_SECTOR));
        for id in ids {
            let start = id as usize * MINI_SECTOR;
            let end = (start + MINI_SECTOR).min(mini.len());
            out.extend_from_slice(mini.get(start..end).unwrap_or(&[]));
        }
        if len > 0 {
            out.truncate(len);
        }
        Ok(out)
    } else {
        sectors.read(stream.start, &fat, len, "workbook stream")
    }
}

fn put_u16(out: &mut [u8], at: usize, v: u16) {
    out[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(out: &mut [u8], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// A directory entry of 128 bytes.
fn dir_entry(name: &str, typ: u8, child: u32, start: u32, size: u32) -> [u8; 128] {
    let mut e = [0u8; 128];
    let mut n = 0;
    for unit in name.encode_utf16().take(31) {
        put_u16(&mut e, n, unit);
        n += 2;
    }
    if typ != 0 {
        // the length counts the terminating NUL
        put_u16(&mut e, 64, (n + 2) as u16);
    }
    e[66] = typ;
    e[67] = 1; // black
    put_u32(&mut e, 68, NOSTREAM);
    put_u32(&mut e, 72, NOSTREAM);
    put_u32(&mut e, 76, child);
    put_u32(&mut e, 116, start);
    put_u32(&mut e, 120, size);
    e
}

/// A compound file (version 3, 512-byte sectors) holding `stream` as its only stream, "Workbook".
/// Streams below 4096 bytes go into the mini stream, as the format asks (calamine reads them
/// there). The stream must be below 4 GiB.
pub(crate) fn wrap(stream: &[u8]) -> Vec<u8> {
    const SS: usize = 512;
    let n = stream.len();
    let mini = n < MINI_CUTOFF;
    // regular sectors holding the data: the stream itself, or the mini stream that holds it
    let data_len = if mini {
        n.div_ceil(MINI_SECTOR) * MINI_SECTOR
    } else {
        n
    };
    let k = data_len.div_ceil(SS);
    let base = k + usize::from(mini) + 1; // data, mini FAT, directory
    let (mut fats, mut difats) = (1usize, 0usize);
    loop {
        let total = base + fats + difats;
        let f = total.div_ceil(SS / 4);
        let d = f.saturating_sub(109).div_ceil(SS / 4 - 1);
        if (f, d) == (fats, difats) {
            break;
        }
        (fats, difats) = (f, d);
    }
    let minifat_id = k;
    let dir_id = k + usize::from(mini);
    let fat0 = dir_id + 1;
    let difat0 = fat0 + fats;
    let total = difat0 + difats;

    let mut fat = vec![FREESECT; fats * SS / 4];
    for (i, next) in fat.iter_mut().enumerate().take(k) {
        *next = if i + 1 == k {
            ENDOFCHAIN
        } else {
            (i + 1) as u32
        };
    }
    if mini {
        fat[minifat_id] = ENDOFCHAIN;
    }
    fat[dir_id] = ENDOFCHAIN;
    fat[fat0..fat0 + fats].fill(FATSECT);
    fat[difat0..total].fill(DIFSECT);

    let mut out = vec![0u8; (total + 1) * SS];
    // header
    out[..8].copy_from_slice(&crate::OLE2_MAGIC);
    put_u16(&mut out, 24, 0x003E);
    put_u16(&mut out, 26, 3);
    put_u16(&mut out, 28, 0xFFFE);
    put_u16(&mut out, 30, 9);
    put_u16(&mut out, 32, 6);
    put_u32(&mut out, 44, fats as u32);
    put_u32(&mut out, 48, dir_id as u32);
    put_u32(&mut out, 56, MINI_CUTOFF as u32);
    put_u32(
        &mut out,
        60,
        if mini { minifat_id as u32 } else { ENDOFCHAIN },
    );
    put_u32(&mut out, 64, u32::from(mini));
    put_u32(
        &mut out,
        68,
        if difats > 0 {
            difat0 as u32
        } else {
            ENDOFCHAIN
        },
    );
    put_u32(&mut out, 72, difats as u32);
    let fat_ids: Vec<u32> = (fat0..fat0 + fats).map(|i| i as u32).collect();
    for i in 0..109 {
        put_u32(
            &mut out,
            76 + 4 * i,
            fat_ids.get(i).copied().unwrap_or(FREESECT),
        );
    }
    let sector = |id: usize| (id + 1) * SS;
    // data
    out[SS..SS + n].copy_from_slice(stream);
    if mini {
        let m = data_len / MINI_SECTOR;
        let at = sector(minifat_id);
        for i in 0..SS / 4 {
            let v = if i + 1 < m {
                (i + 1) as u32
            } else if i + 1 == m {
                ENDOFCHAIN
            } else {
                FREESECT
            };
            put_u32(&mut out, at + 4 * i, v);
        }
    }
    // directory: the root (holding the mini stream, if any), "Workbook", two unused entries
    let at = sector(dir_id);
    let (root_start, root_size) = if mini && data_len > 0 {
        (0, data_len as u32)
    } else {
        (ENDOFCHAIN, 0)
    };
    let start = if n > 0 { 0 } else { ENDOFCHAIN };
    out[at..at + 128].copy_from_slice(&dir_entry("Root Entry", 5, 1, root_start, root_size));
    out[at + 128..at + 256].copy_from_slice(&dir_entry("Workbook", 2, NOSTREAM, start, n as u32));
    for e in 2..4 {
        out[at + 128 * e..at + 128 * (e + 1)].copy_from_slice(&dir_entry("", 0, NOSTREAM, 0, 0));
    }
    // allocation table and its DIFAT sectors
    for (i, v) in fat.iter().enumerate() {
        put_u32(&mut out, sector(fat0) + 4 * i, *v);
    }
    for d in 0..difats {
        let at = sector(difat0 + d);
        for j in 0..SS / 4 - 1 {
            let v = fat_ids.get(109 + d * (SS / 4 - 1) + j).copied();
            put_u32(&mut out, at + 4 * j, v.unwrap_or(FREESECT));
        }
        let next = if d + 1 < difats {
            (difat0 + d + 1) as u32
        } else {
            ENDOFCHAIN
        };
        put_u32(&mut out, at + SS - 4, next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_stream_reads_back_whole_at_every_size() {
        // mini stream (below 4096), regular sectors, and enough sectors to need DIFAT sectors
        // (more than 109 × 128 sectors of 512 bytes: over 7 MB)
        for n in [0usize, 1, 63, 64, 65, 4095, 4096, 4097, 70_000, 7_200_000] {
            let stream: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let file = wrap(&stream);
            assert_eq!(workbook_stream(&file).unwrap(), stream, "{n}");
        }
    }

    #[test]
    fn a_chain_that_loops_or_leaves_the_file_is_an_error() {
        let mut file = wrap(&[7u8; 5000]);
        // the allocation table is the sector after the directory: point sector 3 back at 0
        let fat_at = (u32_at(&file, 76) as usize + 1) * 512;
        put_u32(&mut file, fat_at + 12, 0);
        assert!(workbook_stream(&file)
            .unwrap_err()
            .to_string()
            .contains("loops"));
        put_u32(&mut file, fat_at + 12, 9999);
        assert!(workbook_stream(&file)
            .unwrap_err()
            .to_string()
            .contains("leaves the file"));
    }
}
