//! The lead ids of `leads.csv`, numbered by their place in the leads read, so that reading
//! activities keeps one earliest day per lead and never a set of every lead id it meets
//! (most touched leads are not in leads.csv, and a large export names millions).
//!
//! Every activity row naming a lead is looked up here, ten million at scale, so the index is
//! laid out for that lookup (issue 24): the ids end to end in one buffer, and an open-addressed
//! table of 8-byte slots, each the high half of an id's hash and its number. A lookup hashes
//! the id once (foldhash, seeded per process like the other per-lead maps of docs/scale.md:
//! ids from an export cannot be crafted to collide), reads one slot (neighbours share its
//! cache line), and compares bytes only when the hash halves agree. A `HashMap<Vec<u8>, u32>`
//! took 32-byte slots, a heap block per id and a third cache miss to reach its bytes: 82 MB
//! for the 1x leads against 29 MB here, and 24% of `baton check`'s CPU.

use std::hash::BuildHasher;

#[derive(Default)]
pub struct LeadIndex {
    /// Every id's bytes, end to end, in lead-number order.
    bytes: Vec<u8>,
    /// Where id `n` ends in `bytes` (it starts where id `n - 1` ends).
    ends: Vec<usize>,
    /// Per slot: the high 32 bits of the id's hash, and its number + 1 (0: empty). At most
    /// half full, so a probe ends after a slot or two.
    slots: Vec<(u32, u32)>,
    hasher: foldhash::fast::RandomState,
}

impl LeadIndex {
    /// Numbers `ids` in order; an id given twice keeps its later number (as a map collected
    /// from them would; leads.csv's reader has rejected duplicates by then).
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>) -> LeadIndex {
        let mut index = LeadIndex::default();
        for id in ids {
            index.bytes.extend_from_slice(id.as_bytes());
            index.ends.push(index.bytes.len());
        }
        let n = index.ends.len();
        if n == 0 {
            return index;
        }
        index.slots = vec![(0, 0); (2 * n).next_power_of_two()];
        for number in 0..n {
            let id = index.id(number);
            let (tag, mut at) = index.place(id);
            loop {
                let (t, slot) = index.slots[at];
                if slot == 0 || (t == tag && index.id(slot as usize - 1) == id) {
                    // A lead number fits 32 bits: 4 billion leads would not fit in memory.
                    index.slots[at] = (tag, number as u32 + 1);
                    break;
                }
                at = (at + 1) & (index.slots.len() - 1);
            }
        }
        index
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The number of a lead id, given as bytes (trimmed, not empty).
    pub fn number(&self, id: &[u8]) -> Option<u32> {
        if self.ends.is_empty() || id.is_empty() {
            return None;
        }
        let (tag, mut at) = self.place(id);
        loop {
            let (t, slot) = self.slots[at];
            if slot == 0 {
                return None;
            }
            if t == tag && self.id(slot as usize - 1) == id {
                return Some(slot - 1);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }

    /// The bytes of id number `n`.
    fn id(&self, n: usize) -> &[u8] {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.bytes[start..self.ends[n]]
    }

    /// The hash tag of `id` and the slot its probe starts at.
    fn place(&self, id: &[u8]) -> (u32, usize) {
        let h = self.hasher.hash_one(id);
        ((h >> 32) as u32, h as usize & (self.slots.len() - 1))
    }
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
        let index = LeadIndex::new(["a", "", "0031t00000AbCdEfGhIj", "a", "é"].into_iter());
        assert_eq!(index.number(b"a"), Some(3));
        assert_eq!(index.number(b"0031t00000AbCdEfGhIj"), Some(2));
        assert_eq!(index.number("é".as_bytes()), Some(4));
        assert_eq!(index.number(b""), None);
        let none = LeadIndex::new(std::iter::empty());
        assert!(none.is_empty());
        assert_eq!(none.number(b"a"), None);
    }
}
