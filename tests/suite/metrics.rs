//! Metrics on `tests/fixtures/small`, every expected value counted by hand from its CSVs.
//!
//! The fixture's October 2026 cohort is L1..L7 (L8 was handed off in September):
//! L1 s1 warm  rescheduled then held, accepted, won O1 5000.00, 5/5 docs, sales-ready
//! L2 s1 cold  held, rejected (Poor fit), AE follow-up 25 h (late), 3/5 docs
//! L3 s1 warm  no-show, AE never followed up, 5/5 docs, sales-ready
//! L4 s2 cold  held, accepted, follow-up exactly 24 h (met), lost O2 (Poor fit), 4/5 docs
//! L5 b1 cold  canceled (accepted decision ignored), 0/5 docs
//! L6 b1 warm  held, accepted, open O3, 5/5 docs, no lead_created_at
//! L7 s1 warm  meeting still scheduled, handed off 15 h before as_of (SLA open), 2/5 docs
//! as_of is 2026-10-31T23:59:59Z (s1's email on the 31st).

use baton::metrics::stats::Rate;
use baton::metrics::{compute, data_as_of, MetricsReport};
use baton::period::Period;

use crate::util::load;

fn report() -> MetricsReport {
    let loaded = load("small");
    assert!(loaded.rejections.is_empty(), "{:?}", loaded.rejections);
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    compute(ds, Period::default_for(as_of.date_naive()), as_of)
}

fn r(num: u64, den: u64) -> Rate {
    Rate::new(num, den)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-4)
}

#[test]
fn as_of_and_default_period() {
    let m = report();
    assert_eq!(baton::period::rfc3339(m.as_of), "2026-10-31T23:59:59Z");
    assert_eq!(m.period, "2026-10");
    assert_eq!(m.previous_period, "2026-09");
}

#[test]
fn team_funnel() {
    let t = report().current.team;
    let c = &t.cohort;
    assert_eq!(c.meetings_booked, 7);
    assert_eq!((c.held, c.no_show, c.canceled, c.pending), (4, 1, 1, 1));
    assert_eq!(c.show_rate, r(4, 5));
    // Held: L1 accepted, L2 rejected, L4 accepted, L6 accepted. L5's decision is ignored.
    assert_eq!((c.accepted, c.rejected), (3, 1));
    assert_eq!(c.acceptance_rate, r(3, 4));
    assert_eq!(c.opportunities, 3);
    assert_eq!(c.opportunity_rate, r(3, 4));
    assert_eq!((c.won, c.lost), (1, 1));
    assert_eq!(c.won_amount.to_string(), "5000.00");
    assert_eq!(c.win_rate, r(1, 2));
    assert_eq!(c.handoff_to_win, r(1, 7));
}

#[test]
fn warm_versus_cold() {
    let c = report().current.team.cohort;
    // Warm: L1 held, L3 no-show, L6 held (L7 pending). Cold: L2, L4 held (L5 canceled).
    assert_eq!(c.show_rate_warm, r(2, 3));
    assert_eq!(c.show_rate_cold, r(2, 2));
    let [lo, hi] = c.show_rate_warm_ci.expect("warm ci");
    assert!((lo - 0.2077).abs() < 1e-4 && (hi - 0.9385).abs() < 1e-4);
    let [lo, hi] = c.show_rate_cold_ci.expect("cold ci");
    assert!((lo - 0.3424).abs() < 1e-4 && (hi - 1.0).abs() < 1e-9);
    assert!(close(c.warm_lift, -1.0 / 3.0));
    // Katz: SE = sqrt(1/2 - 1/3 + 1/2 - 1/2); exp(ln(2/3) ± 1.96 SE) - 1.
    let [lo, hi] = c.warm_lift_ci.expect("lift ci");
    assert!((lo + 0.7005).abs() < 1e-4 && (hi - 0.4839).abs() < 1e-4);
    assert_eq!(c.warm_lift_verdict, "cannot tell yet");
}

#[test]
fn handoff_quality() {
    let c = report().current.team.cohort;
    // Documented sections 5+3+5+4+0+5+2 = 24 of 7 x 5.
    assert_eq!(c.doc_completeness, r(24, 35));
    // Held and complete: L1, L6 (both accepted); held and incomplete: L2 (rejected), L4.
    assert_eq!(c.acceptance_rate_complete, r(2, 2));
    assert_eq!(c.acceptance_rate_incomplete, r(1, 2));
    // Sales-ready (3 of 4): L1, L3, L4, L6.
    assert_eq!(c.sales_ready_share, r(4, 7));
    assert_eq!(c.acceptance_rate_sales_ready, r(3, 3));
    assert_eq!(c.acceptance_rate_not_sales_ready, r(0, 1));
    // Speed to lead, hours: [1, 2, 4, 6, 8, 10] (L6 has no lead_created_at).
    assert_eq!(c.speed_to_lead_hours_n, 6);
    assert!(close(c.speed_to_lead_hours_median, 5.0));
    assert!(close(c.speed_to_lead_hours_p90, 9.0));
    // AE follow-up, hours: [2, 3, 10, 24, 25]; L3 and L7 not contacted.
    assert_eq!(c.ae_follow_up_hours_n, 5);
    assert!(close(c.ae_follow_up_hours_median, 10.0));
    assert!(close(c.ae_follow_up_hours_p90, 24.6));
    // L2 late, L3 never; L4 at exactly 24 h is within the SLA; L7 is still open.
    assert_eq!(c.sla_breaches, 2);
    assert_eq!(c.ae_never_followed_up, 1);
    assert_eq!(c.sla_breach_rate, r(2, 6));
    // Held with both pain points: L1 same, L2 differs, L4 same, L6 same.
    assert_eq!(c.message_continuity, r(3, 4));
}

#[test]
fn activity_event_rule() {
    let m = report().current;
    let a = m.team.activity.expect("team activity");
    // SDR and BDR calls in October: s1 3, s2 1, b1 2 (b1's September call and a1's call excluded).
    assert_eq!((a.dials, a.conversations), (6, 4));
    assert_eq!(a.connect_rate, r(4, 6));
    assert_eq!((a.emails, a.social_touches, a.new_prospects), (2, 1, 1));
    let ae = m.aes["a1"].activity.as_ref().expect("ae activity");
    assert_eq!(ae.dials, 1);
    let east = m.pods["East"].activity.as_ref().expect("pod activity");
    assert_eq!((east.dials, east.conversations), (4, 2));
}

#[test]
fn closed_by_date_and_forecast() {
    let m = report().current;
    // Won in October: O1 5000.00, O4 3000.00 (September cohort), O5 2000.50 (no SDR).
    let t = &m.team.closed;
    assert_eq!((t.closed_won, t.closed_lost), (3, 2));
    assert_eq!(t.closed_won_amount.to_string(), "10000.50");
    assert_eq!(t.handoff_related_loss_share, r(1, 2));
    let east = &m.pods["East"];
    assert_eq!(east.closed.closed_won_amount.to_string(), "8000.00");
    assert_eq!(east.closed.closed_lost, 2);
    // 1 - |8000 - 6000| / 8000
    assert!(close(
        east.forecast_accuracy.as_ref().and_then(|f| f.value),
        0.75
    ));
    // West: O5 only (AE's pod for a deal no SDR sourced): 1 - 499.50 / 2000.50
    let west = &m.pods["West"];
    assert_eq!(west.closed.closed_won_amount.to_string(), "2000.50");
    assert!(close(
        west.forecast_accuracy.as_ref().and_then(|f| f.value),
        0.750312
    ));
    // Team: 1 - |10000.50 - 8500| / 10000.50
    assert!(close(
        m.team.forecast_accuracy.as_ref().and_then(|f| f.value),
        0.849958
    ));
    assert_eq!(m.sdrs["s1"].closed.closed_won, 2);
    assert_eq!(m.sdrs["s2"].closed.closed_lost, 1);
    assert_eq!(m.aes["a2"].closed.closed_won_amount.to_string(), "2000.50");
}

#[test]
fn one_on_one_cadence() {
    let m = report().current;
    // October 2026 has 22 working days: s1-a1 expects round(22/5) = 4 and held 4; s2 started
    // on the 15th: 12 shared working days, round(2.4) = 2, held 1; b1 (West, a pool) 4, held 2.
    let pair = m
        .pairs
        .iter()
        .find(|p| p.sdr == "s2" && p.ae == "a1")
        .expect("pair");
    let cad = pair.metrics.cadence.as_ref().expect("cadence");
    assert_eq!((cad.one_on_ones_held, cad.one_on_ones_expected), (1, 2));
    let east = m.pods["East"].cadence.as_ref().expect("east");
    assert_eq!(east.one_on_one_adherence, r(5, 6));
    let team = m.team.cadence.as_ref().expect("team");
    assert_eq!(team.one_on_ones_held, 7);
    assert_eq!(team.one_on_one_adherence, r(7, 10));
}

#[test]
fn per_entity_counts_add_up() {
    let m = report().current;
    let sdr = &m.sdrs["s1"].cohort;
    assert_eq!(
        (sdr.meetings_booked, sdr.held, sdr.no_show, sdr.pending),
        (4, 2, 1, 1)
    );
    let pods: u64 = m.pods.values().map(|p| p.cohort.meetings_booked).sum();
    assert_eq!(pods, m.team.cohort.meetings_booked);
    let sdrs: u64 = m.sdrs.values().map(|p| p.cohort.held).sum();
    assert_eq!(sdrs, m.team.cohort.held);
    // Every rate of the team is under the minimum sample of 10 here.
    assert!(m.team.small_sample.contains(&"show_rate"));
}

#[test]
fn previous_period_and_quarter() {
    let loaded = load("small");
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    let m = compute(ds, Period::default_for(as_of.date_naive()), as_of);
    // September: L8 only, held and accepted; its deal O4 is won (cohort counts it).
    let sep = &m.previous.team.cohort;
    assert_eq!((sep.meetings_booked, sep.held, sep.won), (1, 1, 1));
    assert_eq!(m.previous.team.closed.closed_won, 0);
    // 2026-Q4 so far holds October's cohort; 2026-Q3 holds L8.
    let q = compute(ds, Period::parse("2026-Q4").expect("q"), as_of);
    assert_eq!(q.current.team.cohort.meetings_booked, 7);
    assert_eq!(q.previous_period, "2026-Q3");
    assert_eq!(q.previous.team.cohort.meetings_booked, 1);
}

#[test]
fn as_of_override_hides_later_outcomes() {
    let loaded = load("small");
    let ds = &loaded.dataset;
    // As of 2026-10-08 12:00: L1's meeting (9th) and L2's (8th, 15:00) have not happened.
    let as_of = chrono::DateTime::parse_from_rfc3339("2026-10-08T12:00:00Z")
        .expect("ts")
        .with_timezone(&chrono::Utc);
    let m = compute(ds, Period::parse("2026-10").expect("p"), as_of);
    let c = &m.current.team.cohort;
    assert_eq!(c.meetings_booked, 2);
    assert_eq!((c.held, c.pending), (0, 2));
    // L2 was contacted (25 h, late) before as_of; L1 within 10 h.
    assert_eq!(c.sla_breaches, 1);
}

#[test]
fn a_handoff_without_any_meeting_is_pending() {
    let mut loaded = load("small");
    // Drop L7's only meeting row (a future slot): L7 then has no meeting at all.
    loaded.dataset.meetings.retain(|m| &*m.lead_id != "L7");
    let ds = &loaded.dataset;
    let as_of = data_as_of(ds, chrono_tz::UTC).expect("as_of");
    let c = compute(ds, Period::parse("2026-10").expect("p"), as_of)
        .current
        .team
        .cohort;
    assert_eq!((c.meetings_booked, c.pending), (7, 1));
    assert_eq!(c.show_rate, r(4, 5));
}
