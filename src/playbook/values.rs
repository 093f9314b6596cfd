//! Small value types that the playbook and the model share: a rep's role (plans are assigned
//! by role) and a bit set of yes/no answers in playbook order. They live here, under the
//! playbook, so that the playbook's types need nothing from the model built on them.

use serde::{Deserialize, Serialize};

/// A rep's job in the hand-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Sdr,
    Bdr,
    Ae,
    Manager,
}

impl Role {
    /// SDRs and BDRs both prospect and hand off; the metrics treat them alike.
    pub fn prospects(self) -> bool {
        matches!(self, Role::Sdr | Role::Bdr)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sdr => "sdr",
            Role::Bdr => "bdr",
            Role::Ae => "ae",
            Role::Manager => "manager",
        }
    }
}

/// Up to 64 yes/no answers in playbook order, such as which qualification criteria a
/// hand-off met; a copyable bit set, since every hand-off has one per playbook list.
/// The playbook loader rejects lists longer than [`Flags::MAX`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    bits: u64,
    len: u8,
}

impl Flags {
    /// The most entries a playbook list may have.
    pub const MAX: usize = 64;

    /// How many entries there are (met or not).
    pub fn len(self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// Entry `i`; false past the end.
    pub fn get(self, i: usize) -> bool {
        i < self.len() && self.bits >> i & 1 == 1
    }

    /// The entries in order.
    pub fn iter(self) -> impl Iterator<Item = bool> {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// How many entries are true.
    pub fn count(self) -> usize {
        self.bits.count_ones() as usize
    }
}

impl FromIterator<bool> for Flags {
    /// Panics past [`Flags::MAX`] entries, which the playbook loader rules out.
    fn from_iter<I: IntoIterator<Item = bool>>(iter: I) -> Self {
        let mut f = Flags::default();
        for b in iter {
            assert!(f.len() < Flags::MAX, "more than {} flags", Flags::MAX);
            f.bits |= u64::from(b) << f.len;
            f.len += 1;
        }
        f
    }
}

impl Serialize for Flags {
    /// As a list of booleans, like the `Vec<bool>` it replaces.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
