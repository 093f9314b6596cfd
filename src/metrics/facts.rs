//! What is known about each hand-off at `as_of`: its meeting outcome, the AE's follow-up,
//! its opportunities. Computed once per hand-off, then summed per entity by the accumulators.
//!
//! "As known at as_of" (docs/metrics.md): a meeting outcome counts once its slot is at or
//! before as_of, an AE contact once it happened by as_of, an opportunity once created by
//! as_of, and a win or loss once its close date is on or before as_of's local date.

use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Dataset, Decision, Handoff, HandoffType, MeetingStatus, OpportunityStatus};
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

/// Facts about one hand-off at as_of.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffFacts {
    pub outcome: Outcome,
    pub warm: bool,
    pub decision: Decision,
    /// Documented sections (out of the playbook's required sections).
    pub documented: u64,
    pub complete: bool,
    pub sales_ready: bool,
    pub has_opportunity: bool,
    pub won: u64,
    pub lost: u64,
    pub won_amount: Decimal,
    pub speed_to_lead_hours: Option<f64>,
    pub follow_up_hours: Option<f64>,
    pub sla: Sla,
    /// Some(same?) when both pain points are filled.
    pub continuity: Option<bool>,
}

/// Hours from `from` to `to`, with the fraction of a second the timestamps have.
fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).as_seconds_f64() / 3600.0
}

/// Facts for every hand-off of the dataset, in the order of `ds.handoffs`.
pub fn handoff_facts(ds: &Dataset, as_of: DateTime<Utc>, tz: Tz) -> Vec<HandoffFacts> {
    let as_of_day = local_date(as_of, tz);
    // Sized up front (at most one entry per lead, and so per hand-off), never rehashed.
    let mut outcomes: HashMap<&str, Outcome> = HashMap::with_capacity(ds.handoffs.len());
    for m in &ds.meetings {
        if m.scheduled_for > as_of {
            continue;
        }
        let o = match m.status {
            MeetingStatus::Held => Outcome::Held,
            MeetingStatus::NoShow => Outcome::NoShow,
            MeetingStatus::Canceled => Outcome::Canceled,
            MeetingStatus::Scheduled | MeetingStatus::Rescheduled => continue,
        };
        let e = outcomes
            .entry(m.lead_id.as_str())
            .or_insert(Outcome::Pending);
        *e = stronger(*e, o);
    }
    #[derive(Default)]
    struct Opps {
        any: bool,
        won: u64,
        lost: u64,
        won_amount: Decimal,
    }
    let mut opps: HashMap<&str, Opps> = HashMap::with_capacity(ds.opportunities.len());
    for o in &ds.opportunities {
        let Some(lead) = o.lead_id.as_deref() else {
            continue;
        };
        if o.created_at > as_of {
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
    ds.handoffs
        .iter()
        .map(|h| {
            let outcome = outcomes
                .get(h.lead_id.as_str())
                .copied()
                .unwrap_or(Outcome::Pending);
            let o = opps.get(h.lead_id.as_str());
            let contact = h.ae_first_contact_at.filter(|t| *t <= as_of);
            let documented = h.documented.count() as u64;
            HandoffFacts {
                outcome,
                warm: h.handoff_type == HandoffType::Warm,
                // A decision dated after as_of was not known yet.
                decision: match h.ae_decision_at {
                    Some(t) if t > as_of => Decision::Pending,
                    _ => h.ae_decision,
                },
                documented,
                complete: documented == h.documented.len() as u64,
                sales_ready: ds.playbook.qualification.is_sales_ready(h.criteria),
                has_opportunity: o.is_some_and(|o| o.any),
                won: o.map_or(0, |o| o.won),
                lost: o.map_or(0, |o| o.lost),
                won_amount: o.map_or(Decimal::ZERO, |o| o.won_amount),
                speed_to_lead_hours: speed_to_lead(h, as_of),
                follow_up_hours: contact.map(|c| hours(h.handoff_at, c)),
                sla: sla_status(h.handoff_at, contact, as_of, sla),
                continuity: h.pain_point_match,
            }
        })
        .collect()
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
