//! The SDR's own funnel from `leads.csv` (docs/metrics.md, "Leads"): leads assigned in the
//! period (by the local date of `created_at`), and what became of them at a moment.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::stats::{spread, Rate};
use crate::model::{Handoff, Lead};
use crate::period::local_date;

/// What is known of one lead at moment `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadFact {
    /// Touched at least once by `at`: its first touch (leads.csv, or its hand-off's) or its
    /// hand-off is at or before `at`, or an activity named it on a local day up to `at`'s.
    pub worked: bool,
    /// Never touched by `at`, and assigned more than the playbook's aging days before it.
    pub aging: bool,
    /// The reason it was disqualified; `None` when it was not.
    pub disqualified: Option<String>,
    /// Its hand-off (same `lead_id`) happened by `at`.
    pub converted: bool,
    /// Hours from creation to its first touch, when that touch is known by `at`.
    pub speed_hours: Option<f64>,
}

/// The facts of lead `l` at `at`, disqualified for `reason` (empty: not disqualified), with
/// its hand-off if one has its lead id; `tz` gives the local day of `at` that activity
/// touches (known by day only) are compared with.
pub fn lead_fact(
    l: &Lead,
    reason: &str,
    h: Option<&Handoff>,
    at: DateTime<Utc>,
    aging_days: u32,
    tz: Tz,
) -> LeadFact {
    let by = |t: Option<DateTime<Utc>>| t.filter(|t| *t <= at);
    // The earliest first touch either export records.
    let touch = [by(l.first_touch_at), by(h.and_then(|h| h.first_touch_at))]
        .into_iter()
        .flatten()
        .min();
    let converted = h.is_some_and(|h| h.handoff_at <= at);
    // An activity is known by its local day only: it gives no speed, only that the lead was
    // worked.
    let by_activity = l.touched_on.is_some_and(|d| d <= local_date(at, tz));
    let worked = touch.is_some() || converted || by_activity;
    let aging = !worked && at - l.created_at > chrono::Duration::days(aging_days.into());
    LeadFact {
        worked,
        aging,
        disqualified: (!reason.is_empty()).then(|| reason.to_string()),
        converted,
        speed_hours: touch.map(|t| (t - l.created_at).num_seconds() as f64 / 3600.0),
    }
}

/// Running sums of lead facts for one entity.
#[derive(Debug, Default, Clone)]
pub struct LeadAcc {
    assigned: u64,
    worked: u64,
    aging: u64,
    disqualified: BTreeMap<String, u64>,
    converted: u64,
    speed: Vec<f64>,
}

impl LeadAcc {
    pub fn add(&mut self, f: &LeadFact) {
        self.assigned += 1;
        self.worked += u64::from(f.worked);
        self.aging += u64::from(f.aging);
        self.converted += u64::from(f.converted);
        if let Some(r) = &f.disqualified {
            *self.disqualified.entry(r.clone()).or_default() += 1;
        }
        if let Some(h) = f.speed_hours {
            self.speed.push(h);
        }
    }

    pub fn finish(&self) -> LeadMetrics {
        let speed = spread(self.speed.clone());
        LeadMetrics {
            leads_assigned: self.assigned,
            leads_worked: self.worked,
            leads_untouched: self.assigned - self.worked,
            leads_aging: self.aging,
            leads_disqualified: self.disqualified.values().sum(),
            leads_disqualified_by_reason: self.disqualified.clone(),
            leads_converted: self.converted,
            lead_to_meeting: Rate::new(self.converted, self.assigned),
            lead_speed_hours_median: speed.median,
            lead_speed_hours_p90: speed.p90,
            lead_speed_hours_n: speed.n,
        }
    }
}

/// The lead figures of one entity (docs/metrics.md, "Leads").
#[derive(Debug, Clone, Serialize)]
pub struct LeadMetrics {
    pub leads_assigned: u64,
    pub leads_worked: u64,
    pub leads_untouched: u64,
    pub leads_aging: u64,
    pub leads_disqualified: u64,
    pub leads_disqualified_by_reason: BTreeMap<String, u64>,
    pub leads_converted: u64,
    /// leads_converted / leads_assigned: a hand-off is a booked first meeting.
    pub lead_to_meeting: Rate,
    pub lead_speed_hours_median: Option<f64>,
    pub lead_speed_hours_p90: Option<f64>,
    pub lead_speed_hours_n: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use chrono_tz::UTC;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn lead(created: &str, touch: Option<&str>) -> Lead {
        let leads: crate::model::Leads = [crate::model::LeadRecord {
            lead_id: "L".into(),
            sdr_id: "s".into(),
            created_at: t(created),
            first_touch_at: touch.map(t),
            disqualified_reason: "",
            segments: Box::new([]),
            line: 2,
        }]
        .into_iter()
        .collect();
        leads[0].clone()
    }

    #[test]
    fn untouched_lead_ages_after_the_playbook_days_and_has_no_speed() {
        let l = lead("2026-03-01T09:00:00Z", None);
        // 3 days exactly is not more than 3 days: not aging yet.
        let f = lead_fact(&l, "", None, t("2026-03-04T09:00:00Z"), 3, UTC);
        assert!(!f.worked && !f.aging && f.speed_hours.is_none());
        let f = lead_fact(&l, "", None, t("2026-03-04T09:00:01Z"), 3, UTC);
        assert!(f.aging);
    }

    #[test]
    fn a_touch_after_the_moment_is_not_known_yet() {
        let l = lead("2026-03-01T09:00:00Z", Some("2026-03-01T15:00:00Z"));
        let f = lead_fact(&l, "No budget", None, t("2026-03-01T12:00:00Z"), 3, UTC);
        assert!(!f.worked);
        let f = lead_fact(&l, "No budget", None, t("2026-03-02T00:00:00Z"), 3, UTC);
        // 09:00 to 15:00 is 6 hours.
        assert_eq!(f.speed_hours, Some(6.0));
        assert_eq!(f.disqualified.as_deref(), Some("No budget"));
        let mut acc = LeadAcc::default();
        acc.add(&f);
        let m = acc.finish();
        assert_eq!(
            (m.leads_assigned, m.leads_worked, m.leads_untouched),
            (1, 1, 0)
        );
        assert_eq!(m.leads_disqualified_by_reason["No budget"], 1);
        assert_eq!(m.lead_to_meeting, Rate::new(0, 1));
    }

    #[test]
    fn an_activity_on_the_lead_works_it_from_its_local_day_with_no_speed() {
        let mut l = lead("2026-03-01T09:00:00Z", None);
        l.touched_on = chrono::NaiveDate::from_ymd_opt(2026, 3, 5);
        let ny: Tz = "America/New_York".parse().unwrap();
        // 2026-03-05T04:00Z is 23:00 on March 4 in New York: the touch of March 5 is not known
        // yet, and the lead, untouched for more than 3 days, ages.
        let f = lead_fact(&l, "", None, t("2026-03-05T04:00:00Z"), 3, ny);
        assert!(!f.worked && f.aging);
        // 05:00Z is midnight of March 5 in New York: worked, with no speed (a day is no hour).
        let f = lead_fact(&l, "", None, t("2026-03-05T05:00:00Z"), 3, ny);
        assert!(f.worked && !f.aging && f.speed_hours.is_none());
    }

    fn handoff(at: &str, first_touch: Option<&str>) -> Handoff {
        Handoff {
            first_touch_at: first_touch.map(t),
            source: Source {
                file: "handoffs.csv".into(),
                line: 2,
            },
            ..Handoff::example("L", "s", "a", t(at))
        }
    }

    #[test]
    fn the_earlier_touch_of_lead_and_hand_off_gives_the_speed_and_a_hand_off_at_the_moment_converts(
    ) {
        // Created 09:00; leads.csv says first touch 13:00, the hand-off's row says 11:00:
        // the earlier, 11:00, is 2 hours. The hand-off exactly at the moment has happened.
        let l = lead("2026-03-01T09:00:00Z", Some("2026-03-01T13:00:00Z"));
        let h = handoff("2026-03-02T10:00:00Z", Some("2026-03-01T11:00:00Z"));
        let f = lead_fact(&l, "", Some(&h), t("2026-03-02T10:00:00Z"), 3, UTC);
        assert!(f.worked && f.converted && !f.aging);
        assert_eq!(f.speed_hours, Some(2.0));
        // One second before the hand-off: not converted, still worked and still 2 hours.
        let f = lead_fact(&l, "", Some(&h), t("2026-03-02T09:59:59Z"), 3, UTC);
        assert!(f.worked && !f.converted);
        // A hand-off with no first touch at all still works the lead: no speed.
        let l = lead("2026-03-01T09:00:00Z", None);
        let h = handoff("2026-03-01T10:00:00Z", None);
        let f = lead_fact(&l, "", Some(&h), t("2026-03-20T00:00:00Z"), 3, UTC);
        assert!(f.worked && f.converted && !f.aging && f.speed_hours.is_none());
    }

    #[test]
    fn the_accumulator_counts_each_figure_of_five_leads() {
        let fact = |worked, aging, dq: Option<&str>, converted, speed: Option<f64>| LeadFact {
            worked,
            aging,
            disqualified: dq.map(str::to_string),
            converted,
            speed_hours: speed,
        };
        let mut acc = LeadAcc::default();
        acc.add(&fact(true, false, None, true, Some(1.0)));
        acc.add(&fact(true, false, Some("No budget"), false, Some(3.0)));
        acc.add(&fact(true, false, Some("No budget"), false, None));
        acc.add(&fact(false, true, Some("Bad data"), false, None));
        acc.add(&fact(false, false, None, false, None));
        let m = acc.finish();
        // 5 assigned; worked 3, untouched 5 - 3 = 2; aging 1; disqualified 2 + 1 = 3.
        assert_eq!(
            (
                m.leads_assigned,
                m.leads_worked,
                m.leads_untouched,
                m.leads_aging
            ),
            (5, 3, 2, 1)
        );
        assert_eq!(m.leads_disqualified, 3);
        assert_eq!(m.leads_disqualified_by_reason["No budget"], 2);
        assert_eq!(m.leads_disqualified_by_reason["Bad data"], 1);
        // 1 converted of 5; speeds 1 and 3 hours: median 2, p90 1 + 2 × 0.9 = 2.8, n 2.
        assert_eq!(m.leads_converted, 1);
        assert_eq!(m.lead_to_meeting, Rate::new(1, 5));
        assert_eq!(m.lead_speed_hours_median, Some(2.0));
        assert!((m.lead_speed_hours_p90.unwrap() - 2.8).abs() < 1e-9);
        assert_eq!(m.lead_speed_hours_n, 2);
    }
}
