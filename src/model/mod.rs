//! Validated domain types: what the rest of Baton computes over.
//!
//! `input` turns raw CSV rows and YAML into these types and rejects whatever does not fit;
//! from here on every value is known to be well formed, every reference resolves, and every
//! row remembers the line it came from so a figure can be traced back to its input.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

pub mod by_lead;
mod lead_id;
mod leads;
pub mod manual;
pub mod notes;
pub mod quota;

pub use crate::playbook::values::{Flags, Role};
use crate::playbook::Playbook;
pub use lead_id::LeadId;
pub use leads::{Lead, LeadRecord, Leads, LeadsBuilder};

/// Where a row came from: the file (relative to the project root) and its 1-based line.
/// The file name is shared by all rows of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Source {
    pub file: Arc<str>,
    pub line: u64,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Rep {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub pod: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// The rep's id in the payroll system (reps.csv `payroll_id`, optional), written byte for
    /// byte in comp.csv.
    pub payroll_id: Option<String>,
    pub source: Source,
}

impl Rep {
    /// Whether the rep was employed on `day` (start and end dates inclusive).
    pub fn employed_on(&self, day: NaiveDate) -> bool {
        day >= self.start_date && self.end_date.is_none_or(|end| day <= end)
    }
}

/// Activity counts of one rep on one local day. Activities are aggregated while they are
/// read, never kept as rows, so memory does not grow with the number of activities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DayCounts {
    pub calls: u64,
    pub connected: u64,
    pub emails: u64,
    pub social: u64,
    pub prospects_added: u64,
}

impl DayCounts {
    pub fn merge(&mut self, other: &DayCounts) {
        self.calls += other.calls;
        self.connected += other.connected;
        self.emails += other.emails;
        self.social += other.social;
        self.prospects_added += other.prospects_added;
    }

    pub fn is_empty(&self) -> bool {
        *self == DayCounts::default()
    }
}

/// How an SDR passed the lead to the AE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffType {
    Warm,
    Cold,
}

/// The AE's verdict on a hand-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accepted,
    Rejected,
    Pending,
}

/// One SDR-to-AE hand-off (a booked first meeting), the unit of the cohort rule. Its strings
/// and segment values are boxed (no spare capacity, and an empty one allocates nothing): 16
/// bytes each in the row rather than 24, with 300,000 hand-offs at 1x (issue 24).
#[derive(Debug, Clone, Serialize)]
pub struct Handoff {
    pub lead_id: LeadId,
    pub company: Box<str>,
    /// Rep ids are shared by every row that names the rep.
    pub sdr_id: Arc<str>,
    pub ae_id: Arc<str>,
    pub lead_created_at: Option<DateTime<Utc>>,
    pub first_touch_at: Option<DateTime<Utc>>,
    pub handoff_at: DateTime<Utc>,
    pub handoff_type: HandoffType,
    /// One entry per playbook qualification criterion, in playbook order: met or not.
    pub criteria: Flags,
    /// One entry per hand-off checklist section, in playbook order: documented or not.
    pub documented: Flags,
    pub ae_first_contact_at: Option<DateTime<Utc>>,
    pub ae_decision: Decision,
    /// When the AE decided (optional column): a decision counts only from then on. Without
    /// it a decision is taken as exported, whatever the moment.
    pub ae_decision_at: Option<DateTime<Utc>>,
    pub rejection_reason: Box<str>,
    /// Message continuity: whether the AE's `ae_pain_point` restates the SDR's
    /// `sdr_pain_point` (the same words, ignoring case and spacing); `None` when either is
    /// blank. Decided while reading, so the two notes are not kept: no page shows them.
    pub pain_point_match: Option<bool>,
    /// The value of each of the playbook's segment dimensions read from handoffs.csv, in
    /// segments.yaml's order; `None` when the cell is empty. Values that differ only in case and spacing are one
    /// value, spelt as the first row of the export that has it spells it.
    pub segments: Box<[Option<Arc<str>>]>,
    pub source: Source,
}

const _: () = assert!(std::mem::size_of::<Handoff>() <= 216);

#[cfg(test)]
impl Handoff {
    /// The tests' starting hand-off, changed field by field: lead `lead_id` handed off by
    /// `sdr` to `ae` at `at`, warm, every criterion met and every section documented, no
    /// contact or decision yet, no segment value, from `data/handoffs.csv:2`.
    pub(crate) fn example(lead_id: &str, sdr: &str, ae: &str, at: DateTime<Utc>) -> Handoff {
        Handoff {
            lead_id: lead_id.into(),
            company: "Acme".into(),
            sdr_id: sdr.into(),
            ae_id: ae.into(),
            lead_created_at: None,
            first_touch_at: None,
            handoff_at: at,
            handoff_type: HandoffType::Warm,
            criteria: [true; 4].into_iter().collect(),
            documented: [true; 5].into_iter().collect(),
            ae_first_contact_at: None,
            ae_decision: Decision::Pending,
            ae_decision_at: None,
            rejection_reason: "".into(),
            pain_point_match: None,
            segments: Box::default(),
            source: Source {
                file: "data/handoffs.csv".into(),
                line: 2,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    Held,
    NoShow,
    Canceled,
    Rescheduled,
}

impl MeetingStatus {
    /// Whether the meeting's slot took place, held or not attended (counts towards `as_of`).
    /// A canceled slot did not: it was called off at a moment the exports do not give.
    pub fn took_place(self) -> bool {
        matches!(self, MeetingStatus::Held | MeetingStatus::NoShow)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    /// Boxed ids: no spare capacity, 16 bytes each in a row instead of 24 (321,565 meetings
    /// at 1x).
    pub meeting_id: Box<str>,
    pub lead_id: Box<str>,
    pub scheduled_for: DateTime<Utc>,
    pub status: MeetingStatus,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Open,
    Won,
    Lost,
}

#[derive(Debug, Clone, Serialize)]
pub struct Opportunity {
    pub opportunity_id: String,
    /// Empty when no SDR sourced the deal.
    pub lead_id: Option<String>,
    pub ae_id: Arc<str>,
    pub created_at: DateTime<Utc>,
    pub amount: Decimal,
    /// For an open deal this is the expected close date; for won or lost, the actual one.
    pub close_date: Option<NaiveDate>,
    pub status: OpportunityStatus,
    pub loss_reason: String,
    /// The day a won deal was reversed (the customer backed out): the deal stays won on its
    /// close date, as it was reported and paid, and comp claws it back (docs/comp.md).
    pub reversed_at: Option<NaiveDate>,
    /// The value of each of the playbook's segment dimensions read from opportunities.csv, in
    /// segments.yaml's order (as [`Handoff::segments`]).
    pub segments: Vec<Option<Arc<str>>>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct OneOnOne {
    pub sdr_id: Arc<str>,
    pub ae_id: Arc<str>,
    pub date: NaiveDate,
    pub duration_minutes: u32,
    /// What was noted at the 1:1, as exported (untrusted text): `None` when one_on_ones.csv has
    /// no `notes` column, `Some("")` when the cell is empty. The pair's next agenda carries the
    /// last 1:1's notes forward.
    pub notes: Option<String>,
    pub source: Source,
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Forecast {
    pub month: YearMonth,
    pub pod: String,
    pub amount: Decimal,
    pub source: Source,
}

/// The optional tables, so pages can say which export would fill a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Reps,
    Activities,
    Handoffs,
    Meetings,
    Opportunities,
    OneOnOnes,
    Forecasts,
    Leads,
}

/// The export a segment dimension reads its column from.
impl From<crate::playbook::SegmentTable> for Table {
    fn from(t: crate::playbook::SegmentTable) -> Self {
        use crate::playbook::SegmentTable;
        match t {
            SegmentTable::Handoffs => Table::Handoffs,
            SegmentTable::Leads => Table::Leads,
            SegmentTable::Opportunities => Table::Opportunities,
        }
    }
}

impl Table {
    pub const ALL: [Table; 8] = [
        Table::Reps,
        Table::Activities,
        Table::Handoffs,
        Table::Meetings,
        Table::Opportunities,
        Table::OneOnOnes,
        Table::Forecasts,
        Table::Leads,
    ];

    /// The file name under `data/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Reps => "reps.csv",
            Table::Activities => "activities.csv",
            Table::Handoffs => "handoffs.csv",
            Table::Meetings => "meetings.csv",
            Table::Opportunities => "opportunities.csv",
            Table::OneOnOnes => "one_on_ones.csv",
            Table::Forecasts => "forecasts.csv",
            Table::Leads => "leads.csv",
        }
    }

    /// Required on its own: reps. Hand-offs are required unless opportunities are exported
    /// (a team without SDRs, issue 21); `input::tables::read_all` checks that pair.
    pub fn required(self) -> bool {
        matches!(self, Table::Reps)
    }
}

/// Everything Baton knows about a team: validated rows plus the playbook they are judged by.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub playbook: Playbook,
    pub reps: Vec<Rep>,
    /// Per rep and local day; keys are rep ids. Empty while a site renders, as `meetings`.
    pub activity: BTreeMap<(String, NaiveDate), DayCounts>,
    /// The files `activity` was read from, as shown (`data/activities.csv`,
    /// `data/activity_daily.csv`, or a mapped export's name), in reading order.
    pub activity_files: Vec<String>,
    pub handoffs: Vec<Handoff>,
    /// Empty while a site renders ([`crate::prepared::Prepared::release_unrendered_inputs`]):
    /// pages read meetings through the hand-off facts and the metrics, not these rows.
    pub meetings: Vec<Meeting>,
    pub opportunities: Vec<Opportunity>,
    pub one_on_ones: Vec<OneOnOne>,
    pub forecasts: Vec<Forecast>,
    /// The leads of `leads.csv`, empty without it, and empty while a site renders, as
    /// `meetings`: pages read them through the metrics.
    pub leads: Leads,
    /// Tables that were present in `data/`.
    pub present: Vec<Table>,
    /// What the exports do not hold, so figures needing it are reported unavailable.
    pub gaps: ExportGaps,
}

/// What the exports are known not to hold: columns the mapping declares `not_exported` or
/// that an optional column's absence from the header reveals, and tables whose export lists
/// only rows of won deals (`only: won`). Figures that need them are reported as unavailable
/// (docs/metrics.md) instead of being computed from empty cells.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportGaps {
    /// (table, canonical column) that the export does not have.
    pub columns: BTreeSet<(Table, String)>,
    /// Tables whose export lists only rows tied to won deals.
    pub only_won: BTreeSet<Table>,
}

impl ExportGaps {
    /// Whether `table`'s export lacks canonical column `column`.
    pub fn lacks(&self, table: Table, column: &str) -> bool {
        self.columns.contains(&(table, column.to_string()))
    }
}

impl Dataset {
    pub fn rep(&self, id: &str) -> Option<&Rep> {
        self.reps.iter().find(|r| r.id == id)
    }

    pub fn has(&self, table: Table) -> bool {
        self.present.contains(&table)
    }

    /// Each lead's hand-off (a lead has at most one: input rejects a second). Hashed with
    /// foldhash and sized up front: built and probed with SipHash, rehashed as it grew, it
    /// took about 2% of a 1x build's CPU in the two sanity gates that use it (perf).
    pub fn handoffs_by_lead(&self) -> foldhash::HashMap<&str, &Handoff> {
        use foldhash::HashMapExt;
        let mut by_lead = foldhash::HashMap::with_capacity(self.handoffs.len());
        by_lead.extend(self.handoffs.iter().map(|h| (h.lead_id.as_str(), h)));
        by_lead
    }
}

#[cfg(test)]
mod tests {
    use super::Flags;

    #[test]
    fn flags_keep_order_length_and_count() {
        let f: Flags = [true, false, true, true].into_iter().collect();
        assert_eq!((f.len(), f.count()), (4, 3));
        assert_eq!(f.iter().collect::<Vec<_>>(), [true, false, true, true]);
        assert!(f.get(0) && !f.get(1) && !f.get(4));
        assert_eq!(serde_json::to_string(&f).unwrap(), "[true,false,true,true]");
        let full: Flags = std::iter::repeat_n(true, Flags::MAX).collect();
        assert_eq!((full.len(), full.count()), (64, 64));
        assert!(full.get(63));
    }
}
