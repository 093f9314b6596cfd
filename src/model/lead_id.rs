//! A hand-off's lead id, the key that joins it to its lead, meetings and deals.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::Serialize;

/// A lead id kept as a `Box<str>`: 16 bytes in the row and no spare capacity, where a
/// `String` took 24 and whatever capacity reading left it (300,000 hand-offs at 1x; issue
/// 24). It keeps `String`'s `as_str` (`str::as_str` is not stable), so the lookups keyed by
/// `h.lead_id.as_str()` read it as they read the `String`; everything else reads it as the
/// `str` it derefs to, and it serializes as that string.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LeadId(Box<str>);

impl LeadId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for LeadId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for LeadId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LeadId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for LeadId {
    fn from(s: &str) -> LeadId {
        LeadId(s.into())
    }
}

impl From<String> for LeadId {
    /// Drops the string's spare capacity.
    fn from(s: String) -> LeadId {
        LeadId(s.into_boxed_str())
    }
}

impl PartialEq<str> for LeadId {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for LeadId {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for LeadId {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::LeadId;

    /// The id reads, compares, prints and serializes as the string it holds, in 16 bytes.
    #[test]
    fn reads_as_the_string_it_holds() {
        let id = LeadId::from(String::with_capacity(64) + "L-0042");
        assert_eq!(id.as_str(), "L-0042");
        assert_eq!(id, "L-0042");
        assert_eq!(id.len(), 6);
        assert_eq!(format!("{id} {id:?}"), "L-0042 \"L-0042\"");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"L-0042\"");
        let mut by_id = std::collections::HashMap::new();
        by_id.insert(id.clone(), 1);
        assert_eq!(by_id.get("L-0042"), Some(&1));
        assert_eq!(std::mem::size_of::<LeadId>(), 16);
    }
}
