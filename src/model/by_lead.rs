//! Hand-offs found by their lead id, for the figures and the comp actuals that follow a lead,
//! a meeting or a deal to its hand-off, without a map of the ids: a `HashMap<&str, usize>` of
//! the 1x hand-offs took 13 MB, held through every period's computation and built twice more
//! by comp beside the facts, which set the peak memory of a build (docs/scale.md, issue 24);
//! this takes 4 MB.

use std::hash::BuildHasher;

use crate::model::Handoff;

/// The high 32 bits of a slot: those of its lead id's hash.
const TAG: u64 = !(u32::MAX as u64);

/// The place of each hand-off in `handoffs` by its lead id.
pub struct HandoffsByLead<'a> {
    handoffs: &'a [Handoff],
    /// Open addressing, linear probing, at most three quarters full. A slot holds a
    /// hand-off's place + 1 in its low 32 bits (0: empty) and the high 32 bits of its lead
    /// id's hash above them, so a probe reads a hand-off only when those agree.
    slots: Vec<u64>,
    /// foldhash, seeded per process like the other per-lead maps: ids from an export cannot
    /// be crafted to collide.
    hasher: foldhash::fast::RandomState,
}

impl<'a> HandoffsByLead<'a> {
    /// Every hand-off of `handoffs` by its lead id; a lead named twice keeps its later
    /// hand-off, as a map collected from them would (handoffs.csv's reader has rejected
    /// such rows by then).
    pub fn new(handoffs: &'a [Handoff]) -> Self {
        let mut by = HandoffsByLead {
            handoffs,
            slots: vec![0; (handoffs.len() * 4 / 3 + 1).next_power_of_two()],
            hasher: foldhash::fast::RandomState::default(),
        };
        for (i, h) in handoffs.iter().enumerate() {
            let hash = by.hasher.hash_one(&*h.lead_id);
            let at = by.find(&h.lead_id, hash).unwrap_or_else(|empty| empty);
            // Four billion hand-offs would not fit in memory: a place fits 32 bits.
            by.slots[at] = (hash & TAG) | (i as u64 + 1);
        }
        by
    }

    /// The place in `handoffs` of lead `lead`'s hand-off, if it has one.
    pub fn get(&self, lead: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(lead);
        self.find(lead, hash)
            .ok()
            .map(|at| self.place(self.slots[at]))
    }

    /// The slot holding `lead`, whose hash is `hash`, or the empty slot where it would go.
    fn find(&self, lead: &str, hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return Err(at);
            }
            if slot & TAG == hash & TAG && *self.handoffs[self.place(slot)].lead_id == *lead {
                return Ok(at);
            }
            at = (at + 1) & mask;
        }
    }

    fn place(&self, slot: u64) -> usize {
        (slot as u32 - 1) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::HandoffsByLead;
    use crate::model::Handoff;
    use chrono::{TimeZone, Utc};

    #[test]
    fn finds_each_lead_and_a_lead_named_twice_keeps_its_later_hand_off() {
        let at = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
        let leads = ["L1", "", "0031t00000AbCdEfGhIj", "L1", "é-42", "L 2"];
        let handoffs: Vec<Handoff> = leads
            .iter()
            .map(|l| Handoff::example(l, "s1", "a1", at))
            .collect();
        let by = HandoffsByLead::new(&handoffs);
        // By hand: L1 at places 0 and 3 (the later kept), the rest where they stand.
        assert_eq!(by.get("L1"), Some(3));
        assert_eq!(by.get(""), Some(1));
        assert_eq!(by.get("0031t00000AbCdEfGhIj"), Some(2));
        assert_eq!(by.get("é-42"), Some(4));
        assert_eq!(by.get("L 2"), Some(5));
        for absent in ["L", "l1", "L1 ", "L2", "0031t00000AbCdEfGhIJ"] {
            assert_eq!(by.get(absent), None, "{absent:?}");
        }
        assert_eq!(HandoffsByLead::new(&[]).get("L1"), None);
    }

    #[test]
    fn many_leads_each_found_at_their_place() {
        let at = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
        let handoffs: Vec<Handoff> = (0..5000)
            .map(|i| Handoff::example(&format!("L{}", i * 7), "s1", "a1", at))
            .collect();
        let by = HandoffsByLead::new(&handoffs);
        for i in 0..5000 {
            assert_eq!(by.get(&format!("L{}", i * 7)), Some(i));
            assert_eq!(by.get(&format!("L{}", i * 7 + 1)), None);
        }
    }
}
