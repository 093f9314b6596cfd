//! What is known about each hand-off at `as_of`: its meeting outcome, the AE's follow-up,
//! its opportunities. Computed once per hand-off, then summed per entity by the accumulators.
//!
//! "As known at as_of" (docs/metrics.md): a meeting outcome counts once its slot is at or
//! before as_of, an AE contact once it happened by as_of, an opportunity once created by
//! as_of, and a win or loss once its close date is on or before as_of's local date.

use foldhash::{HashMap, HashMapExt, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{
    Dataset, Decision, Handoff, HandoffType, MeetingStatus, OpportunityStatus, Table,
};
use crate::period::local_date;

/// A hand-off's meeting outcome: held if any meeting was held; else no-show if any was a
/// no-show; else canceled if any was canceled; else pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Held,
    NoShow,
    Canceled,
    Pending,
}

/// Whether the AE followed up within the SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sla {
    Met,
    /// First contact came strictly later than the SLA.
    Late,
    /// No contact by as_of, and as_of is past the SLA.
    NeverContacted,
    /// No contact yet, but the SLA has not run out at as_of.
    Open,
}

/// Facts about one hand-off at as_of: 64 bytes (104 with `Option<f64>` hours and 64-bit
/// counts; 300,000 of them at 1x, kept for the pages: issue 24).
#[derive(Debug, Clone, Serialize)]
pub struct HandoffFacts {
    pub outcome: Outcome,
    pub warm: bool,
    pub decision: Decision,
    /// The decision counts in the acceptance figures: the meeting was held or, without a
    /// meetings export, always (docs/metrics.md, "Acceptance without a meetings export").
    pub decision_counts: bool,
    /// ae_decision_at − handoff_at in hours, for a counted decision made by as_of whose time
    /// is exported.
    pub decision_hours: Hours,
    /// Documented sections (out of the playbook's required sections, at most
    /// [`crate::model::Flags::MAX`], 64).
    pub documented: u8,
    pub complete: bool,
    pub sales_ready: bool,
    pub has_opportunity: bool,
    /// The lead's deals won and lost by as_of (a count per lead: 4 billion deals on one lead
    /// would be far more rows than a CRM export holds).
    pub won: u32,
    pub lost: u32,
    pub won_amount: Decimal,
    pub speed_to_lead_hours: Hours,
    pub follow_up_hours: Hours,
    pub sla: Sla,
    /// Some(same?) when both pain points are filled.
    pub continuity: Option<bool>,
}

const _: () = assert!(std::mem::size_of::<HandoffFacts>() <= 64);

/// A number of hours or none: an `Option<f64>` in 8 bytes rather than 16, NaN standing for
/// none. Hours between two timestamps are always a number, never NaN, so nothing is lost;
/// [`Hours::get`] gives the `Option<f64>` back, and it serializes as that `Option<f64>` did
/// (`null` or the number).
#[derive(Clone, Copy)]
pub struct Hours(f64);

impl Hours {
    /// No hours known.
    pub const NONE: Hours = Hours(f64::NAN);

    /// The hours, or `None`.
    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

impl From<Option<f64>> for Hours {
    /// Panics on `Some(NaN)`, which no difference of two timestamps gives.
    fn from(h: Option<f64>) -> Hours {
        match h {
            Some(h) => {
                assert!(!h.is_nan(), "NaN hours");
                Hours(h)
            }
            None => Hours::NONE,
        }
    }
}

impl std::fmt::Debug for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for Hours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

/// Hours from `from` to `to`, with the fraction of a second the timestamps have.
fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).as_seconds_f64() / 3600.0
}

/// Facts for every hand-off of the dataset, in the order of `ds.handoffs`.
pub fn handoff_facts(ds: &Dataset, as_of: DateTime<Utc>, tz: Tz) -> Vec<HandoffFacts> {
    let fact = facts_at(ds, as_of, tz, None);
    ds.handoffs.iter().map(fact).collect()
}

/// Facts for the hand-offs `wanted` picks by their index in `ds.handoffs`, with that index,
/// in index order: the same facts [`handoff_facts`] gives them. The age-matched comparison
/// needs the previous month's cohort only (some 25,000 of 300,000 hand-offs at 1x), not a
/// second copy of every hand-off's facts (36 MB at 1x; issue 24).
pub fn handoff_facts_of(
    ds: &Dataset,
    as_of: DateTime<Utc>,
    tz: Tz,
    wanted: impl Fn(usize) -> bool,
) -> Vec<(usize, HandoffFacts)> {
    let wanted: Vec<usize> = (0..ds.handoffs.len()).filter(|i| wanted(*i)).collect();
    // The meetings and deals of these hand-offs' leads only: the lookups of every lead were
    // most of this step's memory (+18 MB at 1x, beside the periods' figures; issue 24).
    let leads: HashSet<&str> = wanted.iter().map(|i| &*ds.handoffs[*i].lead_id).collect();
    let fact = facts_at(ds, as_of, tz, Some(&leads));
    wanted
        .into_iter()
        .map(|i| (i, fact(&ds.handoffs[i])))
        .collect()
}

/// What makes a hand-off's facts at `as_of`: the meetings' outcomes and the deals by lead,
/// gathered once, of the leads in `only` when given (the facts of other leads' hand-offs are
/// then those of a lead without meetings or deals: ask for them only).
fn facts_at<'a>(
    ds: &'a Dataset,
    as_of: DateTime<Utc>,
    tz: Tz,
    only: Option<&HashSet<&str>>,
) -> impl Fn(&Handoff) -> HandoffFacts + 'a {
    let as_of_day = local_date(as_of, tz);
    let kept = |lead: &str| only.is_none_or(|only| only.contains(lead));
    // Sized up front (at most one entry per lead, and so per hand-off), never rehashed.
    let leads = only.map_or(ds.handoffs.len(), |only| only.len());
    let mut outcomes: HashMap<&str, Outcome> = HashMap::with_capacity(leads);
    for m in &ds.meetings {
        if m.scheduled_for > as_of || !kept(&m.lead_id) {
            continue;
        }
        let o = match m.status {
            MeetingStatus::Held => Outcome::Held,
            MeetingStatus::NoShow => Outcome::NoShow,
            MeetingStatus::Canceled => Outcome::Canceled,
            MeetingStatus::Scheduled | MeetingStatus::Rescheduled => continue,
        };
        let e = outcomes.entry(&*m.lead_id).or_insert(Outcome::Pending);
        *e = stronger(*e, o);
    }
    #[derive(Default)]
    struct Opps {
        any: bool,
        won: u32,
        lost: u32,
        won_amount: Decimal,
    }
    let mut opps: HashMap<&str, Opps> = HashMap::with_capacity(leads.min(ds.opportunities.len()));
    for o in &ds.opportunities {
        let Some(lead) = o.lead_id.as_deref() else {
            continue;
        };
        if o.created_at > as_of || !kept(lead) {
            continue;
        }
        let e = opps.entry(lead).or_default();
        e.any = true;
        let closed = o.close_date.is_some_and(|d| d <= as_of_day);
        match o.status {
            OpportunityStatus::Won if closed => {
                e.won += 1;
                e.won_amount += o.amount;
            }
            OpportunityStatus::Lost if closed => e.lost += 1,
            _ => {}
        }
    }
    let sla = chrono::Duration::hours(i64::from(ds.playbook.handoff.sla_hours));
    let meetings = ds.has(Table::Meetings);
    move |h: &Handoff| {
        let outcome = outcomes
            .get(h.lead_id.as_str())
            .copied()
            .unwrap_or(Outcome::Pending);
        let o = opps.get(h.lead_id.as_str());
        let contact = h.ae_first_contact_at.filter(|t| *t <= as_of);
        // At most Flags::MAX (64) sections.
        let documented = h.documented.count() as u8;
        // A decision dated after as_of was not known yet.
        let decision = match h.ae_decision_at {
            Some(t) if t > as_of => Decision::Pending,
            _ => h.ae_decision,
        };
        let decision_counts = !meetings || outcome == Outcome::Held;
        HandoffFacts {
            outcome,
            warm: h.handoff_type == HandoffType::Warm,
            decision,
            decision_counts,
            decision_hours: match (decision, h.ae_decision_at) {
                (Decision::Accepted | Decision::Rejected, Some(t)) if decision_counts => {
                    Some(hours(h.handoff_at, t))
                }
                _ => None,
            }
            .into(),
            documented,
            complete: usize::from(documented) == h.documented.len(),
            sales_ready: ds.playbook.qualification.is_sales_ready(h.criteria),
            has_opportunity: o.is_some_and(|o| o.any),
            won: o.map_or(0, |o| o.won),
            lost: o.map_or(0, |o| o.lost),
            won_amount: o.map_or(Decimal::ZERO, |o| o.won_amount),
            speed_to_lead_hours: speed_to_lead(h, as_of).into(),
            follow_up_hours: contact.map(|c| hours(h.handoff_at, c)).into(),
            sla: sla_status(h.handoff_at, contact, as_of, sla),
            continuity: h.pain_point_match,
        }
    }
}

/// Each hand-off's local date of `handoff_at` (the date the cohort rule files it under), in
/// the order of `ds.handoffs`.
pub fn handoff_days(ds: &Dataset, tz: Tz) -> Vec<NaiveDate> {
    ds.handoffs
        .iter()
        .map(|h| local_date(h.handoff_at, tz))
        .collect()
}

fn stronger(a: Outcome, b: Outcome) -> Outcome {
    let rank = |o| match o {
        Outcome::Held => 3,
        Outcome::NoShow => 2,
        Outcome::Canceled => 1,
        Outcome::Pending => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

fn speed_to_lead(h: &Handoff, as_of: DateTime<Utc>) -> Option<f64> {
    let created = h.lead_created_at?;
    let touch = h.first_touch_at.filter(|t| *t <= as_of)?;
    Some(hours(created, touch))
}

/// The SLA is breached only when first contact comes strictly later than the SLA, compared to
/// the nanosecond: 24 h and 0.5 s is late (issue 19, item 3).
pub fn sla_status(
    handoff_at: DateTime<Utc>,
    contact: Option<DateTime<Utc>>,
    as_of: DateTime<Utc>,
    sla: chrono::Duration,
) -> Sla {
    match contact {
        Some(c) if c - handoff_at <= sla => Sla::Met,
        Some(_) => Sla::Late,
        None if as_of - handoff_at > sla => Sla::NeverContacted,
        None => Sla::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn handoff(lead: &str, decision: Decision, decided_at: Option<&str>) -> Handoff {
        Handoff {
            ae_decision: decision,
            ae_decision_at: decided_at.map(t),
            ..Handoff::example(lead, "s1", "a1", t("2026-10-01T09:00:00Z"))
        }
    }

    fn dataset(present: Vec<Table>) -> Dataset {
        Dataset {
            playbook: crate::playbook::Playbook::default(),
            reps: Vec::new(),
            activity: Default::default(),
            activity_files: Vec::new(),
            handoffs: vec![
                // Held, accepted 30 h after the hand-off.
                handoff("L1", Decision::Accepted, Some("2026-10-02T15:00:00Z")),
                // No-show, rejected 6 h after.
                handoff("L2", Decision::Rejected, Some("2026-10-01T15:00:00Z")),
                // Accepted, decision time not filled.
                handoff("L3", Decision::Accepted, None),
                // Accepted after as_of: not known yet.
                handoff("L4", Decision::Accepted, Some("2026-11-02T09:00:00Z")),
            ],
            meetings: [("L1", MeetingStatus::Held), ("L2", MeetingStatus::NoShow)]
                .into_iter()
                .map(|(lead, status)| crate::model::Meeting {
                    meeting_id: format!("M{lead}").into(),
                    lead_id: lead.into(),
                    scheduled_for: t("2026-10-01T14:00:00Z"),
                    status,
                    source: crate::model::Source {
                        file: "data/meetings.csv".into(),
                        line: 2,
                    },
                })
                .collect(),
            opportunities: Vec::new(),
            one_on_ones: Vec::new(),
            leads: Default::default(),
            forecasts: Vec::new(),
            present,
            gaps: Default::default(),
        }
    }

    /// Issue 21: with meetings exported only a held hand-off's decision counts; without them
    /// every decided one does, and time to decision follows the same hand-offs.
    #[test]
    fn decisions_count_when_held_or_without_meetings() {
        let as_of = t("2026-10-31T00:00:00Z");
        let with = dataset(vec![Table::Reps, Table::Handoffs, Table::Meetings]);
        let f = handoff_facts(&with, as_of, Tz::UTC);
        let counts: Vec<bool> = f.iter().map(|f| f.decision_counts).collect();
        assert_eq!(counts, [true, false, false, false]);
        let hours: Vec<Option<f64>> = f.iter().map(|f| f.decision_hours.get()).collect();
        assert_eq!(hours, [Some(30.0), None, None, None]);
        assert_eq!(f[3].decision, Decision::Pending);

        let mut without = with;
        without.present.retain(|t| *t != Table::Meetings);
        let f = handoff_facts(&without, as_of, Tz::UTC);
        let counts: Vec<bool> = f.iter().map(|f| f.decision_counts).collect();
        assert_eq!(counts, [true, true, true, true]);
        let hours: Vec<Option<f64>> = f.iter().map(|f| f.decision_hours.get()).collect();
        // L3 has no decision time, L4's decision is not known at as_of.
        assert_eq!(hours, [Some(30.0), Some(6.0), None, None]);
    }

    /// Issue 25: a deal counts as won or lost only once its close date is on or before
    /// as_of's day; one created by as_of but closed later is still open (has an
    /// opportunity, neither won nor lost), and one created after as_of is not there yet.
    #[test]
    fn deals_close_by_as_of_day_or_stay_open() {
        let as_of = t("2026-10-31T18:00:00Z");
        let mut ds = dataset(vec![Table::Reps, Table::Handoffs, Table::Opportunities]);
        let opp = |lead: &str, created: &str, close: &str, status, amount: &str| {
            crate::model::Opportunity {
                opportunity_id: format!("O{lead}"),
                lead_id: Some(lead.into()),
                ae_id: "a1".into(),
                created_at: t(created),
                amount: amount.parse().unwrap(),
                close_date: Some(NaiveDate::parse_from_str(close, "%Y-%m-%d").unwrap()),
                status,
                loss_reason: String::new(),
                reversed_at: None,
                segments: Vec::new(),
                source: crate::model::Source {
                    file: "data/opportunities.csv".into(),
                    line: 2,
                },
            }
        };
        ds.opportunities = vec![
            // Won on as_of's day: won; and a second deal on L1, lost before as_of: lost.
            opp(
                "L1",
                "2026-10-05T10:00:00Z",
                "2026-10-31",
                OpportunityStatus::Won,
                "1000",
            ),
            opp(
                "L1",
                "2026-10-06T10:00:00Z",
                "2026-10-20",
                OpportunityStatus::Lost,
                "50",
            ),
            // Marked won, closing the day after as_of: still open at as_of.
            opp(
                "L2",
                "2026-10-05T10:00:00Z",
                "2026-11-01",
                OpportunityStatus::Won,
                "2000",
            ),
            // Lost after as_of: still open.
            opp(
                "L3",
                "2026-10-05T10:00:00Z",
                "2026-11-03",
                OpportunityStatus::Lost,
                "300",
            ),
            // Created after as_of: no opportunity yet.
            opp(
                "L4",
                "2026-11-01T10:00:00Z",
                "2026-11-02",
                OpportunityStatus::Won,
                "400",
            ),
        ];
        let f = handoff_facts(&ds, as_of, Tz::UTC);
        let got: Vec<(bool, u32, u32, Decimal)> = f
            .iter()
            .map(|f| (f.has_opportunity, f.won, f.lost, f.won_amount))
            .collect();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            got,
            [
                (true, 1, 1, d("1000")),
                (true, 0, 0, d("0")),
                (true, 0, 0, d("0")),
                (false, 0, 0, d("0")),
            ]
        );
    }

    /// Issue 24: hours are kept in 8 bytes, NaN standing for none, and read and serialize as
    /// the `Option<f64>` they replaced: L1 was decided 30 h after its hand-off (2026-10-01
    /// 09:00 to 2026-10-02 15:00), L2 (not held) has no counted decision, so no hours.
    #[test]
    fn hours_read_and_serialize_as_an_option() {
        assert_eq!(Hours::from(Some(0.0)).get(), Some(0.0));
        assert_eq!(Hours::from(Some(-2.5)).get(), Some(-2.5));
        assert_eq!(Hours::from(None).get(), None);
        assert_eq!(Hours::NONE.get(), None);
        let as_of = t("2026-10-31T00:00:00Z");
        let ds = dataset(vec![Table::Reps, Table::Handoffs, Table::Meetings]);
        let f = handoff_facts(&ds, as_of, Tz::UTC);
        let json = |f: &HandoffFacts| serde_json::to_value(f).unwrap();
        assert_eq!(json(&f[0])["decision_hours"], serde_json::json!(30.0));
        assert_eq!(json(&f[1])["decision_hours"], serde_json::Value::Null);
        assert_eq!(json(&f[1])["follow_up_hours"], serde_json::Value::Null);
        assert_eq!(json(&f[0])["documented"], serde_json::json!(5));
        assert_eq!(format!("{:?}", f[0].decision_hours), "Some(30.0)");
        assert_eq!(format!("{:?}", f[1].decision_hours), "None");
    }

    #[test]
    fn sla_is_breached_only_strictly_after() {
        let h = t("2026-10-01T09:00:00Z");
        let now = t("2026-10-31T00:00:00Z");
        let day = chrono::Duration::hours(24);
        assert_eq!(
            sla_status(h, Some(t("2026-10-02T09:00:00Z")), now, day),
            Sla::Met
        );
        assert_eq!(
            sla_status(h, Some(t("2026-10-02T09:00:01Z")), now, day),
            Sla::Late
        );
        assert_eq!(sla_status(h, None, now, day), Sla::NeverContacted);
        // Half a second past the SLA is strictly later than it.
        assert_eq!(
            sla_status(h, Some(t("2026-10-02T09:00:00.5Z")), now, day),
            Sla::Late
        );
        assert_eq!(
            sla_status(h, None, t("2026-10-02T09:00:00.000000001Z"), day),
            Sla::NeverContacted
        );
        assert_eq!(
            sla_status(h, None, t("2026-10-02T09:00:00Z"), day),
            Sla::Open
        );
        assert_eq!(
            sla_status(h, None, t("2026-10-02T08:00:00Z"), day),
            Sla::Open
        );
    }
}
