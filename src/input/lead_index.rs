//! The lead ids of `leads.csv`, numbered by their place in the leads read, so that reading
//! activities keeps one earliest day per lead and never a set of every lead id it meets
//! (most touched leads are not in leads.csv, and a large export names millions).
//!
//! Every activity row naming a lead is looked up here, ten million at scale, so the index is
//! laid out for that lookup (issue 24): an open-addressed table of 16-byte slots, each an id
//! of up to 11 bytes kept in the slot itself and its number. A lookup hashes the id once
//! (foldhash, seeded per process like the other per-lead maps of docs/scale.md: ids from an
//! export cannot be crafted to collide) and compares it with a slot or two, in one cache line
//! (longer ids are compared in a buffer beside). A `HashMap<Vec<u8>, u32>` took 32-byte slots,
//! a heap block per id and a third cache miss to reach its bytes: 82 MB for the 1x leads
//! against 32 MB here, and 24% of `baton check`'s CPU.

use std::hash::BuildHasher;

/// Ids of at most this many bytes are kept in their slot (most CRMs' ids: `L1022000`,
/// HubSpot's numbers); longer ones (Salesforce's 18 characters) in a buffer beside.
const INLINE: usize = 11;

/// The last byte of a slot's key for an id kept in the buffer.
const LONG: u8 = 0xFF;

#[derive(Default)]
pub struct LeadIndex {
    /// Open addressing, linear probing, at most half full, so a probe ends after a slot or
    /// two. Empty slots have number 0.
    slots: Vec<Slot>,
    /// The bytes of ids longer than [`INLINE`], end to end.
    long: Vec<u8>,
    /// How many ids were numbered.
    len: usize,
    hasher: foldhash::fast::RandomState,
}

/// One id and its number + 1, in 16 bytes: four to a cache line.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// A short id's bytes, zero-padded, and its length in the last byte; for a longer id,
    /// where its bytes start in `long` (8 bytes, little-endian), its length (3 bytes) and
    /// [`LONG`].
    key: [u8; INLINE + 1],
    number: u32,
}

impl LeadIndex {
    /// Numbers `ids` in order; an id given twice keeps its later number (as a map collected
    /// from them would; leads.csv's reader has rejected duplicates by then).
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>) -> LeadIndex {
        let ids: Vec<&[u8]> = ids.map(str::as_bytes).collect();
        let mut index = LeadIndex {
            len: ids.len(),
            ..LeadIndex::default()
        };
        if ids.is_empty() {
            return index;
        }
        index.slots = vec![Slot::default(); (2 * ids.len()).next_power_of_two()];
        for (number, id) in ids.into_iter().enumerate() {
            let key = match short_key(id) {
                Some(key) => key,
                None => {
                    let mut key = [0; INLINE + 1];
                    key[..8].copy_from_slice(&(index.long.len() as u64).to_le_bytes());
                    // An id of 16 MiB or more would not fit 3 bytes of length: such a cell is
                    // no id, and is kept as its first 16 MiB (it can match no activity's id,
                    // which the reader cuts far shorter).
                    let len = id.len().min(0xFF_FFFF);
                    key[8..11].copy_from_slice(&(len as u32).to_le_bytes()[..3]);
                    key[INLINE] = LONG;
                    index.long.extend_from_slice(&id[..len]);
                    key
                }
            };
            let mut at = index.start(id);
            loop {
                let slot = &mut index.slots[at];
                if slot.number == 0 || index_matches(&index.long, slot, id, &key) {
                    // A lead number fits 32 bits: 4 billion leads would not fit in memory.
                    *slot = Slot {
                        key,
                        number: number as u32 + 1,
                    };
                    break;
                }
                at = (at + 1) & (index.slots.len() - 1);
            }
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of a lead id, given as bytes (trimmed, not empty).
    pub fn number(&self, id: &[u8]) -> Option<u32> {
        if self.len == 0 || id.is_empty() {
            return None;
        }
        let key = short_key(id).unwrap_or([LONG; INLINE + 1]);
        let mut at = self.start(id);
        loop {
            let slot = &self.slots[at];
            if slot.number == 0 {
                return None;
            }
            if index_matches(&self.long, slot, id, &key) {
                return Some(slot.number - 1);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }

    /// Starts fetching the slot a lookup of `id` reads first, so that the lookup, made a row
    /// later, finds it in the cache: the 1x table is 32 MB, ten million lookups each waited
    /// for memory (some 110 ns, 17% of a build's CPU; issue 24). Only a hint: a lookup of
    /// any id is right whether or not it was asked for first.
    #[inline]
    pub fn prefetch(&self, id: &[u8]) {
        if self.len == 0 {
            return;
        }
        let slot: *const Slot = &self.slots[self.start(id)];
        // SAFETY: a prefetch reads nothing the program sees and cannot fault; `slot` points
        // into `self.slots` anyway.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(slot.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// The slot the probe for `id` starts at.
    fn start(&self, id: &[u8]) -> usize {
        self.hasher.hash_one(id) as usize & (self.slots.len() - 1)
    }
}

/// A short id's key: its bytes and its length; `None` for a longer id.
fn short_key(id: &[u8]) -> Option<[u8; INLINE + 1]> {
    (id.len() <= INLINE).then(|| {
        let mut key = [0; INLINE + 1];
        key[..id.len()].copy_from_slice(id);
        key[INLINE] = id.len() as u8;
        key
    })
}

/// Whether `slot` holds `id`, whose key (short, or all [`LONG`] for a longer id) is `key`.
fn index_matches(long: &[u8], slot: &Slot, id: &[u8], key: &[u8; INLINE + 1]) -> bool {
    if slot.key[INLINE] != LONG {
        return slot.key == *key;
    }
    if key[INLINE] != LONG {
        return false;
    }
    let mut start = [0; 8];
    start.copy_from_slice(&slot.key[..8]);
    let mut len = [0; 4];
    len[..3].copy_from_slice(&slot.key[8..11]);
    let start = u64::from_le_bytes(start) as usize;
    long.get(start..start + u32::from_le_bytes(len) as usize) == Some(id)
}

#[cfg(test)]
mod tests {
    use super::LeadIndex;

    #[test]
    fn numbers_ids_by_place_and_finds_only_those() {
        let ids: Vec<String> = (0..5000).map(|i| format!("L{}", i * 7)).collect();
        let index = LeadIndex::new(ids.iter().map(String::as_str));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.number(id.as_bytes()), Some(i as u32), "{id}");
        }
        // Ids between them, prefixes and extensions of them, and the empty id are not leads.
        for absent in ["L1", "L", "L00", "L70 ", "l7", "L349930", ""] {
            assert_eq!(index.number(absent.as_bytes()), None, "{absent:?}");
        }
        assert!(!index.is_empty());
    }

    #[test]
    fn ids_of_any_length_and_a_repeated_id_keeps_its_later_number() {
        let ids = [
            "a",
            "",
            "0031t00000AbCdEfGhIj",
            "a",
            "é",
            "12345678901",
            "123456789012",
        ];
        let index = LeadIndex::new(ids.into_iter());
        assert_eq!(index.number(b"a"), Some(3));
        assert_eq!(index.number(b"0031t00000AbCdEfGhIj"), Some(2));
        assert_eq!(index.number(b"0031t00000AbCdEfGhIJ"), None);
        assert_eq!(index.number(b"0031t00000AbCdEfGhI"), None);
        // 11 bytes are kept in the slot, 12 beside it.
        assert_eq!(index.number(b"12345678901"), Some(5));
        assert_eq!(index.number(b"123456789012"), Some(6));
        assert_eq!(index.number(b"1234567890"), None);
        assert_eq!(index.number(b"1234567890123"), None);
        // A short id padded with zero bytes is another id.
        assert_eq!(index.number(b"a\0"), None);
        assert_eq!(index.number("é".as_bytes()), Some(4));
        assert_eq!(index.number(b""), None);
        let none = LeadIndex::new(std::iter::empty());
        assert!(none.is_empty());
        assert_eq!(none.number(b"a"), None);
    }
}
