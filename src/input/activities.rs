//! Activities: calls, emails, social touches and prospects added, counted per rep and local day
//! while they are read, never held as rows (docs/scale.md). A year of a 200-SDR team is some
//! ten million rows, so this is Baton's hot path.
//!
//! Two exports feed the same counts: `activities.csv`, one row per activity, and
//! `activity_daily.csv`, one row per rep, day, type and outcome with a `count` (the roll-up a
//! warehouse makes with one GROUP BY). [`parse_row`] holds the rules of a row for both; raw
//! activities usually take the fast path of [`super::activity_fast`], which falls back to
//! these rules for any row it is not sure of, so every rejection reads the same either way.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::accounts::{Rejection, RowAccount};
use super::activity_fast;
use super::activity_rows::{parse_row, touched_lead, LeadIndex, RepIndex, Tally};
use super::csv_table::CsvFile;
use super::refs::Reps;
use crate::error::Diagnostic;
use crate::model::DayCounts;

/// What reading one activity export gave.
pub struct Read {
    pub account: RowAccount,
    pub counts: BTreeMap<(String, NaiveDate), DayCounts>,
    /// The earliest day each lead of the [`LeadIndex`] was touched, by lead number.
    pub touched: Vec<Option<NaiveDate>>,
    /// The error that stopped reading before the end of the file, if any.
    pub fatal: Option<Diagnostic>,
}

/// Reads `activities.csv` (opened as `f`), on the fast path when its mapping allows, on two
/// threads when it is at least `split_from` bytes long. Rejections go to `rejections` in
/// file order. Touches of the leads of `leads` are kept, as their earliest day.
pub fn read_raw(
    f: &mut CsvFile,
    reps: &Reps,
    leads: &LeadIndex,
    tz: Tz,
    split_from: u64,
    rejections: &mut Vec<Rejection>,
) -> Read {
    let Some(plan) = activity_fast::Plan::new(f) else {
        return read_general(f, reps, leads, tz, rejections);
    };
    let index = RepIndex::new(reps.ids());
    let r = activity_fast::Reading {
        f,
        plan: &plan,
        index: &index,
        leads,
        reps,
        tz,
    };
    from_part(activity_fast::read(r, split_from), &index, rejections)
}

/// What the fast path read of a whole file (numbered by `index`); its rejections go to
/// `rejections`.
pub fn from_part(
    mut part: activity_fast::Part,
    index: &RepIndex,
    rejections: &mut Vec<Rejection>,
) -> Read {
    rejections.append(&mut part.rejections);
    Read {
        account: part.account,
        touched: part.tally.take_touches(),
        counts: part.tally.named(index),
        fatal: part.fatal,
    }
}

/// Reads `activities.csv` by the general rules alone, row by row (the reference the fast
/// path is tested against).
pub fn read_general(
    f: &mut CsvFile,
    reps: &Reps,
    leads: &LeadIndex,
    tz: Tz,
    rejections: &mut Vec<Rejection>,
) -> Read {
    let index = RepIndex::new(reps.ids());
    let mut tally = Tally::default();
    let account = f.for_each_row(rejections, |row| {
        let (rep, day, a) = parse_row(row, reps, tz)?;
        if let Some(n) = index.number(rep.as_bytes()) {
            tally.add(n, day, a, 1);
        }
        if let Some(l) = touched_lead(leads, row, a) {
            tally.touch(l, day);
        }
        Ok(())
    });
    Read {
        account,
        touched: tally.take_touches(),
        counts: tally.named(&index),
        fatal: f.take_fatal(),
    }
}

/// Reads `activity_daily.csv` (opened as `f`): a row is a raw row plus `count`, the number of
/// such activities of that rep on that day (a roll-up with a `lead_id` column touches that
/// lead when `count` is above 0).
pub fn read_daily(
    f: &mut CsvFile,
    reps: &Reps,
    leads: &LeadIndex,
    tz: Tz,
    rejections: &mut Vec<Rejection>,
) -> Read {
    let index = RepIndex::new(reps.ids());
    let mut tally = Tally::default();
    let account = f.for_each_row(rejections, |row| {
        let (rep, day, a) = parse_row(row, reps, tz)?;
        row.required("count")?;
        let n = row.unsigned("count")?.unwrap_or(0);
        if let Some(rep) = index.number(rep.as_bytes()) {
            tally.add(rep, day, a, n);
        }
        if let Some(l) = touched_lead(leads, row, a).filter(|_| n > 0) {
            tally.touch(l, day);
        }
        Ok(())
    });
    Read {
        account,
        touched: tally.take_touches(),
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
