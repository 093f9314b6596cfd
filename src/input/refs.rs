//! The ids other rows refer to while they are read: reps (with their role) and the leads of
//! hand-offs, and what a row is told when its reference does not resolve (never there, or
//! its own row was rejected, with that row's line).

use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use super::accounts::Reject;
use super::header::Column;
use super::row::Row;
use crate::model::Role;

/// Why a reference in column `col` of `row` does not resolve: never there, or its row of
/// `file` (the export as shown, e.g. `data/crm_deals.csv`) was rejected, which makes this row
/// follow that one ([`Row::reject_following`]).
pub(crate) fn missing_ref(
    row: &Row,
    col: &(impl Column + ?Sized),
    kind: &str,
    id: &str,
    rejected: &HashMap<String, u64>,
    file: &str,
) -> Reject {
    match rejected.get(id) {
        Some(line) => row.reject_following(
            col,
            format!("{kind} {id:?} was rejected ({file} line {line})"),
            file,
        ),
        None => row.reject(col, format!("unknown {kind} {id:?} (not in {file})")),
    }
}

/// Rep ids of reps.csv, and those whose row was rejected.
pub struct Reps {
    /// Rows share these ids instead of allocating their own.
    roles: HashMap<Arc<str>, Role>,
    rejected: HashMap<String, u64>,
    /// The reps' export as messages show it (`data/reps.csv`, or the mapping's file).
    file: String,
}

impl Reps {
    /// Reps by id with their role, and ids whose row was rejected with its line, read from
    /// `file` (as messages show it).
    pub fn new(
        roles: HashMap<Arc<str>, Role>,
        rejected: HashMap<String, u64>,
        file: impl Into<String>,
    ) -> Reps {
        Reps {
            roles,
            rejected,
            file: file.into(),
        }
    }

    /// Every rep id of reps.csv.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.roles.keys().map(|id| &**id)
    }

    /// The rep named in column `col`, which must have one of the roles `want`.
    pub(crate) fn get(
        &self,
        row: &Row,
        col: &(impl Column + ?Sized),
        want: &[Role],
        what: &str,
    ) -> Result<Arc<str>, Reject> {
        let id = row.required(col)?;
        match self.roles.get_key_value(id) {
            None => Err(missing_ref(row, col, "rep", id, &self.rejected, &self.file)),
            Some((_, role)) if !want.contains(role) => Err(row.reject(
                col,
                format!(
                    "rep {id:?} has role {} in {}, not {what}",
                    role.as_str(),
                    self.file
                ),
            )),
            Some((id, _)) => Ok(id.clone()),
        }
    }

    /// The rep named in column `col`, of any role.
    pub fn any(&self, row: &Row, col: &(impl Column + ?Sized)) -> Result<Arc<str>, Reject> {
        self.get(
            row,
            col,
            &[Role::Sdr, Role::Bdr, Role::Ae, Role::Manager],
            "",
        )
    }
}

/// Lead ids of handoffs.csv, and those whose hand-off row was rejected.
pub(crate) struct Leads<'a> {
    /// Ids of up to 15 bytes, held in the set itself ([`Leads::short`]): a probe need not
    /// follow a pointer to the id's text (a cache miss a row of meetings.csv at 1x).
    short: HashSet<u128>,
    long: HashSet<&'a str>,
    rejected: &'a HashMap<String, u64>,
    /// The hand-offs' export as messages show it.
    file: String,
}

impl<'a> Leads<'a> {
    pub(crate) fn new(
        ids: impl Iterator<Item = &'a str>,
        rejected: &'a HashMap<String, u64>,
        file: impl Into<String>,
    ) -> Self {
        let mut leads = Leads {
            short: HashSet::default(),
            long: HashSet::default(),
            rejected,
            file: file.into(),
        };
        let (low, _) = ids.size_hint();
        leads.short.reserve(low);
        for id in ids {
            match Self::short(id) {
                Some(k) => leads.short.insert(k),
                None => leads.long.insert(id),
            };
        }
        leads
    }

    /// An id of up to 15 bytes as one number: its bytes, then its length in the last byte.
    fn short(id: &str) -> Option<u128> {
        let b = id.as_bytes();
        if b.len() > 15 {
            return None;
        }
        let mut k = [0u8; 16];
        k[..b.len()].copy_from_slice(b);
        k[15] = b.len() as u8;
        Some(u128::from_le_bytes(k))
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        match Self::short(id) {
            Some(k) => self.short.contains(&k),
            None => self.long.contains(id),
        }
    }

    pub(crate) fn check(
        &self,
        row: &Row,
        col: &(impl Column + ?Sized),
        id: &str,
    ) -> Result<(), Reject> {
        if self.contains(id) {
            Ok(())
        } else {
            Err(missing_ref(row, col, "lead", id, self.rejected, &self.file))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_ids_short_and_long_are_told_apart() {
        let rejected = HashMap::default();
        let ids = [
            "L1",
            "L10",
            "",
            "a\0",
            "exactly15bytes!",
            "sixteen-bytes-id",
            "a longer lead id",
        ];
        let leads = Leads::new(ids.into_iter(), &rejected, "data/handoffs.csv");
        assert_eq!((leads.short.len(), leads.long.len()), (5, 2));
        for id in ids {
            assert!(leads.contains(id), "{id:?}");
        }
        for id in [
            "L",
            "L100",
            "a",
            "a\0\0",
            "exactly15bytes",
            "sixteen-bytes-iD",
            "x".repeat(40).as_str(),
        ] {
            assert!(!leads.contains(id), "{id:?}");
        }
    }
}
