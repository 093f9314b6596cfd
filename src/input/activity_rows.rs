//! The rules of one activity row, raw or rolled up, and how rows are counted per rep and local
//! day while they are read: shared by the general reader (`activities`) and the fast path
//! (`activity_fast`), so every row is judged and counted the same way on either.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::accounts::Reject;
use super::day_window::DayWindow;

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

pub use super::lead_index::LeadIndex;

/// The lead a row of the general rules touches, if it names one of leads.csv.
pub fn touched_lead(leads: &LeadIndex, row: &Row, a: Activity) -> Option<u32> {
    if !touches(a) {
        return None;
    }
    leads.number(row.text("lead_id").as_bytes())
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
/// Hashed with foldhash: rows in no order look their rep up on every row (SipHash was 5% of
/// reading shuffled rows).
pub struct RepIndex {
    ids: Vec<String>,
    numbers: foldhash::HashMap<Vec<u8>, u32>,
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

/// Counts per rep number and day, as one reader adds them: one [`DayWindow`] per rep, so a
/// row costs an index whatever the order of the rows (a hash map behind a "last rep-day"
/// cache cost 2.3 times as much per row on shuffled rows as on rows sorted by rep; issue 24).
/// A window keeps a day's counts in 32 bits each ([`Compact`]: 24 bytes a rep-day, 2.8 MB for
/// the 1x team's year, where rows in no order miss the cache least); what does not fit (a
/// day beyond a rep's window, a count past 32 bits) is counted in `far`, exactly.
#[derive(Default)]
pub struct Tally {
    reps: Vec<DayWindow<Compact>>,
    far: foldhash::HashMap<(u32, NaiveDate), DayCounts>,
    /// The earliest day each lead (numbered by a [`LeadIndex`]) was touched; grown on demand.
    touched: Vec<Option<NaiveDate>>,
}

/// A rep-day's [`DayCounts`] in 32 bits each, in their order: calls, connected, emails,
/// social, prospects added.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compact([u32; 5]);

impl Compact {
    /// Adds `c` if every sum fits in 32 bits; otherwise changes nothing and says so.
    fn try_add(&mut self, c: &DayCounts) -> bool {
        let add = [c.calls, c.connected, c.emails, c.social, c.prospects_added];
        let mut sum = [0u32; 5];
        for ((s, have), more) in sum.iter_mut().zip(self.0).zip(add) {
            match u32::try_from(more).ok().and_then(|m| have.checked_add(m)) {
                Some(v) => *s = v,
                None => return false,
            }
        }
        self.0 = sum;
        true
    }

    fn counts(self) -> DayCounts {
        let [calls, connected, emails, social, prospects_added] = self.0.map(u64::from);
        DayCounts {
            calls,
            connected,
            emails,
            social,
            prospects_added,
        }
    }
}

impl Tally {
    /// Adds `n` activities like `a` of rep number `rep` on `day` (`n` = 0 adds nothing, not
    /// even the day, so a zero row of a roll-up cannot move the data's as-of date).
    pub fn add(&mut self, rep: u32, day: NaiveDate, a: Activity, n: u64) {
        if n == 0 {
            return;
        }
        let mut counts = DayCounts::default();
        a.add_to(&mut counts, n);
        self.add_counts(rep, day, &counts);
    }

    /// Adds `counts` (not all zero) to rep number `rep` on `day`.
    fn add_counts(&mut self, rep: u32, day: NaiveDate, counts: &DayCounts) {
        let i = rep as usize;
        if self.reps.len() <= i {
            self.reps.resize_with(i + 1, DayWindow::default);
        }
        if let Some(slot) = self.reps[i].slot(day) {
            if slot.get_or_insert_with(Compact::default).try_add(counts) {
                return;
            }
        }
        self.far.entry((rep, day)).or_default().merge(counts);
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
        for ((rep, day), counts) in other.into_counts() {
            self.add_counts(rep, day, &counts);
        }
    }

    /// Every rep-day counted; one may come twice (from its window and from `far`, when a
    /// count outgrew 32 bits), so callers add them up.
    fn into_counts(self) -> impl Iterator<Item = ((u32, NaiveDate), DayCounts)> {
        let windows = self.reps.into_iter().enumerate().flat_map(|(rep, w)| {
            w.into_days()
                .map(move |(day, c)| ((rep as u32, day), c.counts()))
        });
        windows.chain(self.far)
    }

    /// The counts by rep id and day.
    pub fn named(self, reps: &RepIndex) -> BTreeMap<(String, NaiveDate), DayCounts> {
        let mut named: BTreeMap<(String, NaiveDate), DayCounts> = BTreeMap::new();
        for ((rep, day), c) in self.into_counts() {
            if let Some(id) = reps.ids.get(rep as usize) {
                named.entry((id.clone(), day)).or_default().merge(&c);
            }
        }
        named
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn counts(calls: u64, connected: u64, emails: u64, social: u64, prospects: u64) -> DayCounts {
        DayCounts {
            calls,
            connected,
            emails,
            social,
            prospects_added: prospects,
        }
    }

    /// The same rows in any order, and split between two readers, give the same counts: a
    /// day decades from the rep's others and a roll-up count past 32 bits included (both are
    /// counted beside the windows). The expected counts are the rows added up by hand.
    #[test]
    fn counts_do_not_depend_on_the_order_of_the_rows() {
        let index = RepIndex::new(["s2", "s1"].into_iter());
        let (s1, s2) = (0, 1);
        let a = |kind, connected| Activity { kind, connected };
        let rows = [
            (s1, "2026-01-05", a(Kind::Call, true), 1),
            (s1, "2026-01-05", a(Kind::Email, false), 2),
            (s2, "2026-01-05", a(Kind::Call, false), 1),
            (s1, "1990-01-01", a(Kind::Social, false), 1),
            (
                s2,
                "2026-01-06",
                a(Kind::ProspectAdded, false),
                5_000_000_000,
            ),
            (s2, "2026-01-06", a(Kind::ProspectAdded, false), 1),
            (s1, "2024-12-01", a(Kind::Call, false), 1),
            (s1, "2024-12-02", a(Kind::Call, false), 0),
        ];
        let want: BTreeMap<(String, NaiveDate), DayCounts> = [
            (("s1", "1990-01-01"), counts(0, 0, 0, 1, 0)),
            (("s1", "2024-12-01"), counts(1, 0, 0, 0, 0)),
            (("s1", "2026-01-05"), counts(1, 1, 2, 0, 0)),
            (("s2", "2026-01-05"), counts(1, 0, 0, 0, 0)),
            (("s2", "2026-01-06"), counts(0, 0, 0, 0, 5_000_000_001)),
        ]
        .into_iter()
        .map(|((rep, d), c)| ((rep.to_string(), day(d)), c))
        .collect();
        for turn in 0..rows.len() {
            let mut order = rows.to_vec();
            order.rotate_left(turn);
            if turn % 2 == 1 {
                order.reverse();
            }
            let mut one = Tally::default();
            for (rep, d, act, n) in &order {
                one.add(*rep, day(d), *act, *n);
            }
            assert_eq!(one.named(&index), want, "order {turn}");
            let (first, second) = order.split_at(turn);
            let (mut x, mut y) = (Tally::default(), Tally::default());
            for (rep, d, act, n) in first {
                x.add(*rep, day(d), *act, *n);
            }
            for (rep, d, act, n) in second {
                y.add(*rep, day(d), *act, *n);
            }
            x.merge(y);
            assert_eq!(x.named(&index), want, "merged at {turn}");
        }
    }
}
