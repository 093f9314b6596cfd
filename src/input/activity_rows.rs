//! The rules of one activity row, raw or rolled up, and how rows are counted per rep and local
//! day while they are read: shared by the general reader (`activities`) and the fast path
//! (`activity_fast`), so every row is judged and counted the same way on either.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::accounts::Reject;

use super::refs::Reps;
use super::row::Row;
use crate::model::DayCounts;

/// What kind of activity a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Call,
    Email,
    Social,
    ProspectAdded,
}

/// The `type` values, matched ignoring case.
pub const KINDS: [(&str, Kind); 4] = [
    ("call", Kind::Call),
    ("email", Kind::Email),
    ("social", Kind::Social),
    ("prospect_added", Kind::ProspectAdded),
];

/// The `outcome` values (matched ignoring case; empty is allowed): whether a call connected.
pub const OUTCOMES: [(&str, bool); 5] = [
    ("connected", true),
    ("voicemail", false),
    ("no_answer", false),
    ("replied", false),
    ("bounced", false),
];

/// One activity as read: its kind and, for a call, whether it connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub kind: Kind,
    pub connected: bool,
}

impl Activity {
    /// Adds `n` activities like this one to `counts`.
    pub fn add_to(self, counts: &mut DayCounts, n: u64) {
        match self.kind {
            Kind::Call => {
                counts.calls += n;
                if self.connected {
                    counts.connected += n;
                }
            }
            Kind::Email => counts.emails += n,
            Kind::Social => counts.social += n,
            Kind::ProspectAdded => counts.prospects_added += n,
        }
    }
}

/// The rules of one row (raw or rolled up): its rep (of any role), local day and activity.
pub fn parse_row(row: &Row, reps: &Reps, tz: Tz) -> Result<(String, NaiveDate, Activity), Reject> {
    let rep = reps.any(row, "rep_id")?.to_string();
    let day = row.required_date("date", tz)?;
    let kind = row.choice("type", &KINDS, None)?;
    let connected = row.choice("outcome", &OUTCOMES, Some(false))?;
    Ok((rep, day, Activity { kind, connected }))
}

/// Whether an activity touches the lead it names: a call, an email or a social touch does; a
/// prospect added to a list does not (docs/metrics.md, "Leads").
pub fn touches(a: Activity) -> bool {
    a.kind != Kind::ProspectAdded
}

/// The lead ids of `leads.csv`, numbered by their place in the leads read, so that reading
/// activities keeps one earliest day per lead and never a set of every lead id it meets
/// (most touched leads are not in leads.csv, and a large export names millions).
///
/// Hashed with foldhash (seeded per process, like the other per-lead maps of docs/scale.md):
/// every activity row naming a lead is looked up here, ten million at scale.
#[derive(Default)]
pub struct LeadIndex {
    numbers: foldhash::HashMap<Vec<u8>, u32>,
}

impl LeadIndex {
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>) -> LeadIndex {
        LeadIndex {
            numbers: ids
                .enumerate()
                .map(|(i, id)| (id.as_bytes().to_vec(), i as u32))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// The number of a lead id, given as bytes (trimmed, not empty).
    pub fn number(&self, id: &[u8]) -> Option<u32> {
        if self.numbers.is_empty() || id.is_empty() {
            return None;
        }
        self.numbers.get(id).copied()
    }

    /// The lead a row of the general rules touches, if it names one of leads.csv.
    pub fn touched(&self, row: &Row, a: Activity) -> Option<u32> {
        if !touches(a) {
            return None;
        }
        self.number(row.text("lead_id").as_bytes())
    }
}

/// Keeps in `into` the earlier day of each lead's two.
pub fn merge_touches(into: &mut Vec<Option<NaiveDate>>, from: Vec<Option<NaiveDate>>) {
    if into.len() < from.len() {
        into.resize(from.len(), None);
    }
    for (d, f) in into.iter_mut().zip(from) {
        if let Some(f) = f {
            if d.is_none_or(|d| f < d) {
                *d = Some(f);
            }
        }
    }
}

/// Rep ids numbered, so counts are keyed by a number while reading, not by a `String` per row.
pub struct RepIndex {
    ids: Vec<String>,
    numbers: HashMap<Vec<u8>, u32>,
}

impl RepIndex {
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>) -> RepIndex {
        let mut ids: Vec<String> = ids.map(str::to_string).collect();
        ids.sort();
        ids.dedup();
        let numbers = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_bytes().to_vec(), i as u32))
            .collect();
        RepIndex { ids, numbers }
    }

    /// The number of a rep id, given as bytes.
    pub fn number(&self, id: &[u8]) -> Option<u32> {
        self.numbers.get(id).copied()
    }
}

/// Counts per rep number and day, as one reader adds them. Rows of one rep and day usually
/// come together, so the last key's counts are kept aside and the map is touched once per
/// run of rows, not once per row.
#[derive(Default)]
pub struct Tally {
    map: HashMap<(u32, NaiveDate), DayCounts>,
    last: Option<((u32, NaiveDate), DayCounts)>,
    /// The earliest day each lead (numbered by a [`LeadIndex`]) was touched; grown on demand.
    touched: Vec<Option<NaiveDate>>,
}

impl Tally {
    /// Adds `n` activities like `a` of rep number `rep` on `day` (`n` = 0 adds nothing, not
    /// even the day, so a zero row of a roll-up cannot move the data's as-of date).
    pub fn add(&mut self, rep: u32, day: NaiveDate, a: Activity, n: u64) {
        if n == 0 {
            return;
        }
        let key = (rep, day);
        match &mut self.last {
            Some((k, counts)) if *k == key => a.add_to(counts, n),
            last => {
                if let Some((k, counts)) = last.take() {
                    self.map.entry(k).or_default().merge(&counts);
                }
                let mut counts = DayCounts::default();
                a.add_to(&mut counts, n);
                *last = Some((key, counts));
            }
        }
    }

    /// Notes that lead number `lead` was touched on `day`.
    pub fn touch(&mut self, lead: u32, day: NaiveDate) {
        let i = lead as usize;
        if self.touched.len() <= i {
            self.touched.resize(i + 1, None);
        }
        let d = &mut self.touched[i];
        if d.is_none_or(|d| day < d) {
            *d = Some(day);
        }
    }

    /// The earliest day each lead was touched, by lead number (shorter than the leads when
    /// the last ones were never touched).
    pub fn take_touches(&mut self) -> Vec<Option<NaiveDate>> {
        std::mem::take(&mut self.touched)
    }

    /// Adds another reader's counts (of the same [`RepIndex`]).
    pub fn merge(&mut self, mut other: Tally) {
        merge_touches(&mut self.touched, other.take_touches());
        for (k, counts) in other.into_map() {
            self.map.entry(k).or_default().merge(&counts);
        }
    }

    fn into_map(mut self) -> HashMap<(u32, NaiveDate), DayCounts> {
        if let Some((k, counts)) = self.last.take() {
            self.map.entry(k).or_default().merge(&counts);
        }
        self.map
    }

    /// The counts by rep id and day.
    pub fn named(self, reps: &RepIndex) -> BTreeMap<(String, NaiveDate), DayCounts> {
        self.into_map()
            .into_iter()
            .filter_map(|((rep, day), c)| Some(((reps.ids.get(rep as usize)?.clone(), day), c)))
            .collect()
    }
}
