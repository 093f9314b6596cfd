//! The ids other rows refer to while they are read: reps (with their role) and the leads of
//! hand-offs, and what a row is told when its reference does not resolve (never there, or
//! its own row was rejected, with that row's line).

use std::sync::Arc;

use foldhash::HashMap;

use super::accounts::Reject;
use super::header::Column;
use super::row::Row;
use crate::model::by_lead::HandoffsByLead;
use crate::model::{Handoff, Role};

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

/// Lead ids of handoffs.csv, which meetings and opportunities must name, and those whose
/// hand-off row was rejected.
pub(crate) struct Leads<'a> {
    /// Found through the hand-offs themselves (`model::by_lead`): 4 MB at 1x, where a set of
    /// the ids took 9 MB, held while meetings and opportunities are read beside activities,
    /// which sets the peak memory of reading (issue 24).
    by_lead: HandoffsByLead<'a>,
    rejected: &'a HashMap<String, u64>,
    /// The hand-offs' export as messages show it.
    file: String,
}

impl<'a> Leads<'a> {
    pub(crate) fn new(
        handoffs: &'a [Handoff],
        rejected: &'a HashMap<String, u64>,
        file: impl Into<String>,
    ) -> Self {
        Leads {
            by_lead: HandoffsByLead::new(handoffs),
            rejected,
            file: file.into(),
        }
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.by_lead.get(id).is_some()
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
    fn lead_ids_of_any_length_are_found_and_only_those() {
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
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 10, 1, 9, 0, 0).unwrap();
        let handoffs: Vec<Handoff> = ids
            .iter()
            .map(|id| Handoff::example(id, "s1", "a1", at))
            .collect();
        let leads = Leads::new(&handoffs, &rejected, "data/handoffs.csv");
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
