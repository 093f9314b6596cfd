//! Activities: calls, emails, social touches and prospects added, counted per rep and local day
//! while they are read, never held as rows (docs/scale.md). A year of a 200-SDR team is some
//! ten million rows, so this is Baton's hot path.
//!
//! Two exports feed the same counts: `activities.csv`, one row per activity, and
//! `activity_daily.csv`, one row per rep, day, type and outcome with a `count` (the roll-up a
//! warehouse makes with one GROUP BY). [`parse_row`] holds the rules of a row for both; raw
//! activities usually take the fast path of [`super::activity_fast`], which falls back to
//! these rules for any row it is not sure of, so every rejection reads the same either way.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::activity_fast;
use super::csv_table::{CsvFile, Reject, Rejection, Row, RowAccount};
use super::tables::Reps;
use crate::error::Diagnostic;
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

    /// Adds another reader's counts (of the same [`RepIndex`]).
    pub fn merge(&mut self, other: Tally) {
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

/// What reading one activity export gave.
pub struct Read {
    pub account: RowAccount,
    pub counts: BTreeMap<(String, NaiveDate), DayCounts>,
    /// The error that stopped reading before the end of the file, if any.
    pub fatal: Option<Diagnostic>,
}

/// Reads `activities.csv` (opened as `f`), on the fast path when its mapping allows, on two
/// threads when it is at least `split_from` bytes long. Rejections go to `rejections` in
/// file order.
pub fn read_raw(
    f: &mut CsvFile,
    reps: &Reps,
    tz: Tz,
    split_from: u64,
    rejections: &mut Vec<Rejection>,
) -> Read {
    let Some(plan) = activity_fast::Plan::new(f) else {
        return read_general(f, reps, tz, rejections);
    };
    let index = RepIndex::new(reps.ids());
    let part = activity_fast::read(f, &plan, &index, reps, tz, split_from);
    rejections.extend(part.rejections);
    Read {
        account: part.account,
        counts: part.tally.named(&index),
        fatal: part.fatal,
    }
}

/// Reads `activities.csv` by the general rules alone, row by row (the reference the fast
/// path is tested against).
pub fn read_general(f: &mut CsvFile, reps: &Reps, tz: Tz, rejections: &mut Vec<Rejection>) -> Read {
    let index = RepIndex::new(reps.ids());
    let mut tally = Tally::default();
    let account = f.for_each_row(rejections, |row| {
        let (rep, day, a) = parse_row(row, reps, tz)?;
        if let Some(n) = index.number(rep.as_bytes()) {
            tally.add(n, day, a, 1);
        }
        Ok(())
    });
    Read {
        account,
        counts: tally.named(&index),
        fatal: f.take_fatal(),
    }
}

/// Reads `activity_daily.csv` (opened as `f`): a row is a raw row plus `count`, the number of
/// such activities of that rep on that day.
pub fn read_daily(f: &mut CsvFile, reps: &Reps, tz: Tz, rejections: &mut Vec<Rejection>) -> Read {
    let index = RepIndex::new(reps.ids());
    let mut tally = Tally::default();
    let account = f.for_each_row(rejections, |row| {
        let (rep, day, a) = parse_row(row, reps, tz)?;
        row.required("count")?;
        let n = row.unsigned("count")?.unwrap_or(0);
        if let Some(rep) = index.number(rep.as_bytes()) {
            tally.add(rep, day, a, n);
        }
        Ok(())
    });
    Read {
        account,
        counts: tally.named(&index),
        fatal: f.take_fatal(),
    }
}

/// Adds `from` into `into`; returns how many rep-days were in both, and the first of them.
pub fn combine(
    into: &mut BTreeMap<(String, NaiveDate), DayCounts>,
    from: BTreeMap<(String, NaiveDate), DayCounts>,
) -> (u64, Option<(String, NaiveDate)>) {
    let mut both = 0;
    let mut first = None;
    for (k, counts) in from {
        match into.get_mut(&k) {
            Some(c) => {
                both += 1;
                if first.is_none() {
                    first = Some(k.clone());
                }
                c.merge(&counts);
            }
            None => {
                into.insert(k, counts);
            }
        }
    }
    (both, first)
}
