//! The leads of `leads.csv`: a company has many more leads than hand-offs (979,218 against
//! 298,686 at 1x), so a lead is kept in 64 bytes and its id (issue 24). What many leads have
//! in common is kept once beside them: the owner and the disqualification reason are a place
//! in a list of the distinct ones (320 SDRs and a dozen reasons at 1x, against 16 bytes each
//! a lead for a shared pointer), and segment values exist only when leads.csv gives a segment
//! dimension (a slice a lead, 16 bytes even when empty, before).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use foldhash::HashMap;
use smol_str::SmolStr;

/// One lead an SDR was assigned (`leads.csv`, optional): the top of the SDR's funnel. It
/// converted when a hand-off has its `lead_id` (docs/data-model.md, "leads.csv"). Its owner,
/// disqualification reason and segment values are read through [`Leads`].
#[derive(Debug, Clone)]
pub struct Lead {
    /// Kept in the lead itself up to 23 bytes (every CRM's ids: `L1014457`, Salesforce's 18
    /// characters), so a million leads are not a million heap blocks (issue 24).
    pub lead_id: SmolStr,
    pub created_at: DateTime<Utc>,
    /// The first touch the export records (optional column); `None` when blank.
    pub first_touch_at: Option<DateTime<Utc>>,
    /// The local day of the earliest call, email or social touch of activities.csv naming
    /// this lead; `None` when none does.
    pub touched_on: Option<NaiveDate>,
    /// The lead's line in leads.csv (the file name is leads.csv's for every lead): 32 bits,
    /// so that a lead keeps to 64 bytes; the reader rejects a lead past line 4,294,967,295.
    line: u32,
    /// Its owner's place in [`Leads::owners`].
    owner: u32,
    /// Its disqualification reason's place in [`Leads::reasons`].
    reason: u32,
}

impl Lead {
    /// The lead's line in leads.csv.
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }
}

/// A lead as read, before [`LeadsBuilder::lead`] shares what it has in common with others.
#[derive(Debug, Clone)]
pub struct LeadRecord<'a> {
    pub lead_id: SmolStr,
    /// The owner: an SDR or BDR.
    pub sdr_id: Arc<str>,
    pub created_at: DateTime<Utc>,
    pub first_touch_at: Option<DateTime<Utc>>,
    /// Why the lead was disqualified, as exported; empty when it was not.
    pub disqualified_reason: &'a str,
    /// The value of each of the playbook's segment dimensions read from leads.csv, in
    /// segments.yaml's order (as [`super::Handoff::segments`]).
    pub segments: Box<[Option<Arc<str>>]>,
    pub line: u32,
}

/// The leads of leads.csv in file order, with what they share.
#[derive(Debug, Clone, Default)]
pub struct Leads {
    rows: Vec<Lead>,
    /// The distinct owners, in the order leads first name them.
    owners: Vec<Arc<str>>,
    /// The distinct disqualification reasons (the empty one included when a lead has none).
    reasons: Vec<Arc<str>>,
    /// Each lead's segment values by its place in `rows`; empty when no lead has any (no
    /// dimension of the playbook reads leads.csv).
    segments: Vec<Box<[Option<Arc<str>>]>>,
}

/// Makes [`Lead`]s from [`LeadRecord`]s, keeping what they share, then [`Leads`] from the
/// leads kept ([`LeadsBuilder::finish`]): every lead it makes must be kept, in the order made,
/// since segment values are paired with leads by their place.
#[derive(Debug, Default)]
pub struct LeadsBuilder {
    owners: Vec<Arc<str>>,
    owner_of: HashMap<Arc<str>, u32>,
    reasons: Vec<Arc<str>>,
    reason_of: HashMap<Arc<str>, u32>,
    segments: Vec<Box<[Option<Arc<str>>]>>,
    made: usize,
}

/// The place of `value` in `list`, added when it is not there yet.
fn place_of(list: &mut Vec<Arc<str>>, of: &mut HashMap<Arc<str>, u32>, value: &str) -> u32 {
    if let Some(i) = of.get(value) {
        return *i;
    }
    // Distinct owners and reasons are at most one a lead, and 2^32 leads of 64 bytes would
    // be 256 GiB held: no table Baton reads into memory comes near.
    let i = u32::try_from(list.len()).expect("fewer than 2^32 distinct owners or reasons");
    let value: Arc<str> = value.into();
    list.push(value.clone());
    of.insert(value, i);
    i
}

impl LeadsBuilder {
    /// The compact lead of `r`.
    pub fn lead(&mut self, r: LeadRecord<'_>) -> Lead {
        let owner = place_of(&mut self.owners, &mut self.owner_of, &r.sdr_id);
        let reason = place_of(
            &mut self.reasons,
            &mut self.reason_of,
            r.disqualified_reason,
        );
        if !r.segments.is_empty() && self.segments.len() < self.made {
            // The first lead with segment values: those before have none.
            self.segments.resize_with(self.made, Default::default);
        }
        if !r.segments.is_empty() || !self.segments.is_empty() {
            self.segments.push(r.segments);
        }
        self.made += 1;
        Lead {
            lead_id: r.lead_id,
            created_at: r.created_at,
            first_touch_at: r.first_touch_at,
            touched_on: None,
            line: r.line,
            owner,
            reason,
        }
    }

    /// The leads this builder made, `rows`, in the order made.
    pub fn finish(self, rows: Vec<Lead>) -> Leads {
        debug_assert_eq!(rows.len(), self.made, "every lead made is kept");
        Leads {
            rows,
            owners: self.owners,
            reasons: self.reasons,
            segments: self.segments,
        }
    }
}

impl<'a> FromIterator<LeadRecord<'a>> for Leads {
    fn from_iter<I: IntoIterator<Item = LeadRecord<'a>>>(records: I) -> Self {
        let mut b = LeadsBuilder::default();
        let rows = records.into_iter().map(|r| b.lead(r)).collect();
        b.finish(rows)
    }
}

impl Leads {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Lead> {
        self.rows.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Lead> {
        self.rows.iter_mut()
    }

    /// Lead `l`'s owner: an SDR or BDR.
    pub fn sdr_id(&self, l: &Lead) -> &Arc<str> {
        &self.owners[l.owner as usize]
    }

    /// Why lead `l` was disqualified, as exported; empty when it was not.
    pub fn disqualified_reason(&self, l: &Lead) -> &str {
        &self.reasons[l.reason as usize]
    }

    /// The segment values of the lead at place `i` (see [`LeadRecord::segments`]).
    pub fn segments(&self, i: usize) -> &[Option<Arc<str>>] {
        self.segments.get(i).map_or(&[], |s| &s[..])
    }

    /// Each lead's segment values, to be changed, with its line.
    pub fn segments_mut(&mut self) -> impl Iterator<Item = (&mut [Option<Arc<str>>], u64)> {
        (self.segments.iter_mut().zip(&self.rows)).map(|(s, l)| (&mut s[..], l.line()))
    }
}

impl std::ops::Index<usize> for Leads {
    type Output = Lead;

    fn index(&self, i: usize) -> &Lead {
        &self.rows[i]
    }
}

impl<'a> IntoIterator for &'a Leads {
    type Item = &'a Lead;
    type IntoIter = std::slice::Iter<'a, Lead>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(
        id: &str,
        sdr: &str,
        reason: &'a str,
        segments: &[Option<&str>],
    ) -> LeadRecord<'a> {
        LeadRecord {
            lead_id: id.into(),
            sdr_id: sdr.into(),
            created_at: DateTime::UNIX_EPOCH,
            first_touch_at: None,
            disqualified_reason: reason,
            segments: segments.iter().map(|v| v.map(Arc::from)).collect(),
            line: 2,
        }
    }

    #[test]
    fn a_lead_is_64_bytes_and_its_id() {
        assert_eq!(std::mem::size_of::<Lead>(), 64);
    }

    #[test]
    fn owners_and_reasons_are_kept_once_and_read_back_per_lead() {
        let leads: Leads = [
            record("L1", "s1", "", &[]),
            record("L2", "s2", "No budget", &[]),
            record("L3", "s1", "No budget", &[]),
        ]
        .into_iter()
        .collect();
        // Two owners and two reasons (the empty one counts), for three leads.
        assert_eq!((leads.owners.len(), leads.reasons.len()), (2, 2));
        let read: Vec<(&str, &str, &str)> = (leads.iter())
            .map(|l| {
                (
                    &*l.lead_id,
                    &**leads.sdr_id(l),
                    leads.disqualified_reason(l),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("L1", "s1", ""),
                ("L2", "s2", "No budget"),
                ("L3", "s1", "No budget")
            ]
        );
        // No segment values: nothing is kept for them, and every lead reads none.
        assert!(leads.segments.is_empty());
        assert!((0..3).all(|i| leads.segments(i).is_empty()));
    }

    #[test]
    fn segment_values_stay_with_their_lead() {
        let leads: Leads = [
            record("L1", "s1", "", &[Some("Ads"), None]),
            record("L2", "s1", "", &[None, Some("EU")]),
        ]
        .into_iter()
        .collect();
        assert_eq!(leads.segments(0), [Some("Ads".into()), None]);
        assert_eq!(leads.segments(1), [None, Some("EU".into())]);
        assert!(leads.segments(2).is_empty());
    }
}
