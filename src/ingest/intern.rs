//! Customer ids → dense numbers, once per row: the hottest lookup of the ingest.
//!
//! Ids are stored back to back in an arena ([`IdTable`]) and found through an open-addressing table
//! of 16-byte slots (linear probing, at most 70 % full). A slot holds ids of up to 11 bytes itself,
//! so a lookup usually touches a single cache line: with hundreds of thousands of customers the
//! lookups are bound by cache misses, and a general-purpose hash map (control bytes in one array,
//! entries in another, the key in a third) costs two or three misses per row.

use std::hash::{BuildHasher, Hasher};

/// Customer ids in one byte arena (no allocation per customer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdTable {
    /// The ids' bytes, back to back.
    pub arena: Vec<u8>,
    /// End offset of each id in `arena`.
    pub ends: Vec<u32>,
}

impl IdTable {
    /// The bytes of id `i`.
    pub fn bytes(&self, i: u32) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends[i as usize - 1] as usize
        };
        &self.arena[start..self.ends[i as usize] as usize]
    }
    /// Id `i` as text (invalid UTF-8 replaced).
    pub fn text(&self, i: u32) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.bytes(i))
    }
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True without ids.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Longest id kept inline in its slot.
const INLINE: usize = 11;
/// `Slot::len` of an id kept only in the arena.
const LONG: u8 = u8::MAX;
/// Largest load before the table doubles, as a fraction num / den.
const LOAD: (usize, usize) = (7, 10);

/// A table slot: the id's number and, for ids of up to [`INLINE`] bytes (most customer ids), the
/// id itself; longer ids hold their arena offset and length. `len == 0` marks an empty slot (an
/// empty id is never interned: such rows are rejected first).
#[derive(Clone, Copy, Default)]
struct Slot {
    id: u32,
    /// Length of an inline id, or [`LONG`].
    len: u8,
    /// The id's bytes (inline), or its arena start and length as two little-endian u32.
    bytes: [u8; INLINE],
}

impl Slot {
    fn new(id: u32, key: &[u8], start: usize) -> Slot {
        let mut bytes = [0u8; INLINE];
        if key.len() <= INLINE {
            bytes[..key.len()].copy_from_slice(key);
            return Slot {
                id,
                len: key.len() as u8,
                bytes,
            };
        }
        bytes[..4].copy_from_slice(&(start as u32).to_le_bytes());
        bytes[4..8].copy_from_slice(&(key.len() as u32).to_le_bytes());
        Slot {
            id,
            len: LONG,
            bytes,
        }
    }

    /// True when this slot holds `key`.
    #[inline]
    fn holds(&self, key: &[u8], arena: &[u8]) -> bool {
        if self.len != LONG {
            return self.len as usize == key.len() && same_bytes(&self.bytes[..key.len()], key);
        }
        let b = &self.bytes;
        let len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
        len == key.len() && same_bytes(self.key(arena), key)
    }

    /// The id's bytes (from the slot itself when inline, so growing the table rarely reads the arena).
    #[inline]
    fn key<'a>(&'a self, arena: &'a [u8]) -> &'a [u8] {
        let b = &self.bytes;
        if self.len != LONG {
            return &b[..self.len as usize];
        }
        let start = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
        arena.get(start..start + len).unwrap_or(&[])
    }
}

/// At most this many bytes of distinct ids (256 MiB): the arena's offsets are 32-bit and wasm's memory
/// is 4 GiB, so the table stops growing well before either runs out.
pub const MAX_ID_BYTES: usize = 256 << 20;
/// At most this many distinct ids (16,777,216): with their facts, ~2 GiB at most.
pub const MAX_IDS: usize = 1 << 24;

/// Customer ids interned into one byte arena, numbered 0, 1, 2 … in order of first appearance.
#[derive(Default)]
pub struct Ids {
    /// Limits below [`MAX_ID_BYTES`] and [`MAX_IDS`] (a test seam; `None` = those).
    pub(crate) limits: Option<(usize, usize)>,
    store: IdTable,
    /// Power-of-two number of slots (or none before the first id).
    slots: Vec<Slot>,
    /// log2 of `slots.len()`.
    bits: u32,
    hasher: rustc_hash::FxBuildHasher,
}

impl Ids {
    /// The number of `key`, assigning the next number to a new id; `None` when a new id would take
    /// the table past [`MAX_ID_BYTES`] or [`MAX_IDS`]. `key` must not be empty.
    #[inline]
    pub fn intern(&mut self, key: &[u8]) -> Option<u32> {
        if (self.store.len() + 1) * LOAD.1 > self.slots.len() * LOAD.0 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                break;
            }
            if s.holds(key, &self.store.arena) {
                return Some(s.id);
            }
            i = (i + 1) & mask;
        }
        let (max_bytes, max_ids) = self.limits.unwrap_or((MAX_ID_BYTES, MAX_IDS));
        if self.store.arena.len() + key.len() > max_bytes || self.store.ends.len() >= max_ids {
            return None;
        }
        let id = self.store.ends.len() as u32;
        let start = self.store.arena.len();
        self.store.arena.extend_from_slice(key);
        self.store.ends.push(self.store.arena.len() as u32);
        self.slots[i] = Slot::new(id, key, start);
        Some(id)
    }

    /// Number of distinct ids.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// True before the first id.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// The ids (number `i` is `take_ids().bytes(i)`), leaving this table empty.
    pub fn take_ids(&mut self) -> IdTable {
        self.free_index();
        std::mem::take(&mut self.store)
    }

    /// Releases the lookup table (the ids stay); further lookups rebuild it.
    pub fn free_index(&mut self) {
        self.slots = Vec::new();
        self.bits = 0;
    }

    /// The ids stored so far.
    #[cfg(test)]
    pub fn ids(&self) -> &IdTable {
        &self.store
    }

    /// First slot to probe for `key`: the top bits of a multiplicative mix of its hash (the low bits
    /// of FxHash are weak, and on wasm32 it only fills 32 bits).
    #[inline]
    fn home(&self, key: &[u8]) -> usize {
        let mut h = self.hasher.build_hasher();
        h.write(key);
        let x = h.finish();
        let mixed = (x ^ (x >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - self.bits)) as usize
    }

    /// Doubles the table (from 1,024 slots) and re-inserts every id.
    fn grow(&mut self) {
        let bits = if self.slots.is_empty() {
            10
        } else {
            self.bits + 1
        };
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); 1 << bits]);
        self.bits = bits;
        let mask = self.slots.len() - 1;
        if old.is_empty() && !self.store.is_empty() {
            // rebuilt after free_index: re-insert from the arena
            for id in 0..self.store.len() as u32 {
                let start = if id == 0 {
                    0
                } else {
                    self.store.ends[id as usize - 1] as usize
                };
                let key = self.store.bytes(id);
                let mut i = self.home(key);
                while self.slots[i].len != 0 {
                    i = (i + 1) & mask;
                }
                self.slots[i] = Slot::new(id, key, start);
            }
            return;
        }
        for s in old.into_iter().filter(|s| s.len != 0) {
            let mut i = self.home(s.key(&self.store.arena));
            while self.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

/// Byte equality for short keys, eight bytes at a time: customer ids are mostly under 24 bytes, and
/// `==` on slices calls `memcmp`, which in wasm is a byte-at-a-time loop.
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        if u64::from_ne_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]])
            != u64::from_ne_bytes([y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]])
        {
            return false;
        }
    }
    ca.remainder() == cb.remainder()
}

#[cfg(test)]
mod tests {
    #[test]
    fn interns_short_and_long_ids() {
        let mut ids = super::Ids::default();
        let keys: Vec<Vec<u8>> = (0..3000)
            .map(|i| {
                // lengths 1 to 40 (inline up to 11 bytes, arena beyond), some sharing prefixes
                let len = 1 + i % 40;
                let mut k = format!("{i}-").into_bytes();
                k.resize(len.max(k.len()), b'x');
                k
            })
            .collect();
        let first: Vec<u32> = keys.iter().map(|k| ids.intern(k).unwrap()).collect();
        // numbered in order of first appearance, each once
        assert!(first.iter().enumerate().all(|(n, &i)| i as usize == n));
        // the same ids again (in reverse) find the same numbers
        for (n, k) in keys.iter().enumerate().rev() {
            assert_eq!(
                ids.intern(k),
                Some(n as u32),
                "id {:?}",
                String::from_utf8_lossy(k)
            );
        }
        assert_eq!(ids.len(), keys.len());
        // a prefix or an extension of a known id is a new id
        assert_eq!(
            ids.intern(b"1-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            Some(3000)
        );
        assert_eq!(ids.intern(b"1"), Some(3001));
        assert_eq!(ids.ids().bytes(5), keys[5].as_slice());
    }

    #[test]
    fn compares_keys_eight_bytes_at_a_time() {
        use super::same_bytes;
        assert!(same_bytes(b"", b""));
        assert!(same_bytes(b"CUST-000001", b"CUST-000001"));
        assert!(!same_bytes(b"CUST-000001", b"CUST-000002")); // differs in the tail
        assert!(!same_bytes(b"DUST-000001", b"CUST-000001")); // differs in the first word
        assert!(!same_bytes(b"CUST-00000", b"CUST-000001")); // lengths differ
        assert!(same_bytes("客户一二三".as_bytes(), "客户一二三".as_bytes()));
    }

    #[test]
    fn lookups_work_again_after_the_index_is_freed() {
        let mut ids = super::Ids::default();
        let long = b"a customer id longer than eleven bytes";
        assert_eq!(ids.intern(b"A"), Some(0));
        assert_eq!(ids.intern(long), Some(1));
        ids.free_index();
        assert_eq!(ids.intern(long), Some(1));
        assert_eq!(ids.intern(b"A"), Some(0));
        assert_eq!(ids.intern(b"B"), Some(2));
        let table = ids.take_ids();
        assert_eq!(table.len(), 3);
        assert_eq!(table.bytes(1), long.as_slice());
        assert!(ids.is_empty());
    }

    #[test]
    fn refuses_new_ids_past_the_bounds_but_finds_known_ones() {
        let mut ids = super::Ids {
            limits: Some((10, 3)),
            ..Default::default()
        };
        assert_eq!(ids.intern(b"AAAA"), Some(0));
        assert_eq!(ids.intern(b"BBBB"), Some(1));
        // 8 bytes held: a third id of 4 bytes would make 12 > 10
        assert_eq!(ids.intern(b"CCCC"), None);
        assert_eq!(ids.intern(b"CC"), Some(2));
        // 3 ids held: the count bound
        assert_eq!(ids.intern(b"D"), None);
        // known ids are still found
        assert_eq!(ids.intern(b"BBBB"), Some(1));
    }
}
