//! A growable array kept in fixed-size blocks.
//!
//! The per-row events of a large file are the biggest thing tierwise holds (24 bytes a row). A `Vec`
//! doubles its capacity as it grows, so at 5 million rows it would reserve room for 8 million and,
//! while moving to the new buffer, briefly hold both: in wasm, whose memory never shrinks, that
//! transient sets the page's memory for good. Blocks of [`BLOCK`] elements grow without copying
//! and waste at most one block.

/// Elements per block (65,536: 1.5 MiB of 24-byte events).
pub const BLOCK: usize = 1 << SHIFT;
const SHIFT: u32 = 16;
const MASK: usize = BLOCK - 1;

/// A growable array of `Copy` elements stored in blocks of [`BLOCK`] elements.
#[derive(Debug, Clone)]
pub struct BlockVec<T> {
    /// Full blocks of exactly `BLOCK` elements, then the block being filled.
    blocks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for BlockVec<T> {
    fn default() -> Self {
        BlockVec {
            blocks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Copy> BlockVec<T> {
    /// An empty array (allocates nothing).
    pub fn new() -> Self {
        BlockVec {
            blocks: Vec::new(),
            len: 0,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends an element.
    #[inline]
    pub fn push(&mut self, value: T) {
        match self.blocks.last_mut() {
            Some(last) if last.len() < BLOCK => last.push(value),
            _ => {
                let mut block = Vec::with_capacity(BLOCK);
                block.push(value);
                self.blocks.push(block);
            }
        }
        self.len += 1;
    }

    /// The last element, mutably.
    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.blocks.last_mut().and_then(|b| b.last_mut())
    }

    /// Element `i` (panics when `i >= len`, like slice indexing).
    #[inline]
    pub fn get(&self, i: usize) -> T {
        self.blocks[i >> SHIFT][i & MASK]
    }

    /// Replaces element `i` (panics when `i >= len`).
    #[inline]
    pub fn set(&mut self, i: usize, value: T) {
        self.blocks[i >> SHIFT][i & MASK] = value;
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.blocks.iter().flat_map(|b| b.iter())
    }

    /// The elements in order, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.blocks.iter_mut().flat_map(|b| b.iter_mut())
    }

    /// The blocks, in order, each dropped when the caller is done with it.
    pub fn into_blocks(self) -> impl Iterator<Item = Vec<T>> {
        self.blocks.into_iter()
    }

    /// The elements, in order, each block freed once it has been gone through.
    pub fn into_values(self) -> impl Iterator<Item = T> {
        self.blocks.into_iter().flatten()
    }

    /// Keeps the elements for which `keep` is true, in order, in place.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut w = 0;
        for r in 0..self.len {
            let v = self.get(r);
            if keep(&v) {
                if w != r {
                    self.set(w, v);
                }
                w += 1;
            }
        }
        self.truncate(w);
    }

    /// Shortens the array to `len` elements, releasing blocks no longer needed.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let blocks = len.div_ceil(BLOCK);
        self.blocks.truncate(blocks);
        if let Some(last) = self.blocks.last_mut() {
            let keep = len - (blocks - 1) * BLOCK;
            last.truncate(keep);
        }
        self.len = len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_across_blocks() {
        let mut v = BlockVec::new();
        for i in 0..(2 * BLOCK + 5) {
            v.push(i as u32);
        }
        assert_eq!(v.len(), 2 * BLOCK + 5);
        assert_eq!(v.get(0), 0);
        assert_eq!(v.get(BLOCK - 1), (BLOCK - 1) as u32);
        assert_eq!(v.get(BLOCK), BLOCK as u32);
        assert_eq!(v.get(2 * BLOCK + 4), (2 * BLOCK + 4) as u32);
        assert_eq!(v.iter().count(), 2 * BLOCK + 5);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
    }

    #[test]
    fn retain_keeps_order_and_truncates() {
        let mut v = BlockVec::new();
        for i in 0..(BLOCK + 10) as u32 {
            v.push(i);
        }
        v.retain(|&x| x % 3 == 0);
        let expected: Vec<u32> = (0..(BLOCK + 10) as u32).filter(|x| x % 3 == 0).collect();
        assert_eq!(v.len(), expected.len());
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), expected);
        v.push(7);
        assert_eq!(v.get(expected.len()), 7);
    }
}
