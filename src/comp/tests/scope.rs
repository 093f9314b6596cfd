//! Pod- and team-level components (issue 23, "Team and manager plans"): a manager paid on the
//! pod's accepted meetings and revenue and the team's activity, counted by the pod rules of
//! docs/metrics.md. Every figure is worked out by hand beside its assertion.

use super::*;
use crate::comp::actuals::Scope;
use crate::comp::coverage::Window;
use crate::comp::{CurveStep, TargetSource};
use crate::model::quota::Quotas;

fn scoped(
    metric: CompMetric,
    scope: CreditScope,
    category: Category,
    weight: &str,
    target: &str,
) -> Component {
    Component {
        scope: Some(scope),
        ..component(metric, category, weight, target)
    }
}

/// $24,000 a year of variable pay, so $2,000 a month: 50% the pod's accepted meetings (10),
/// 30% the pod's won revenue ($100,000), 20% the team's activity points (1,000; a dial 1, a
/// prospect added 5).
fn manager_plan(reps: &[&str]) -> Plan {
    Plan {
        name: "Pod manager".into(),
        roles: Vec::new(),
        reps: reps.iter().map(|r| r.to_string()).collect(),
        effective_from: day("2026-01-01"),
        effective_to: None,
        base_salary: dec("120000"),
        annual_variable: dec("24000"),
        payout_period: PayoutPeriod::Monthly,
        components: vec![
            scoped(
                CompMetric::AcceptedMeetings,
                CreditScope::Pod,
                Category::Quality,
                "0.5",
                "10",
            ),
            scoped(
                CompMetric::WonAmount,
                CreditScope::Pod,
                Category::Team,
                "0.3",
                "100000",
            ),
            scoped(
                CompMetric::ActivityPoints,
                CreditScope::Team,
                Category::Activity,
                "0.2",
                "1000",
            ),
        ],
        draw: None,
        clawback_days: None,
        pay_day: None,
    }
}

/// Pod P1: manager m1, SDRs s1 and s2 (s2 left on 15 August), AE a1. Pod P2: SDR s3, AE a2.
/// m2 is P1's second manager, employed from 17 August; m3 a manager with no pod.
fn pods() -> Fx {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![manager_plan(&["m1", "m2", "m3"])];
    fx.rep("m1", Role::Manager, "P1", "2024-01-01", None);
    fx.rep("m2", Role::Manager, "P1", "2026-08-17", None);
    fx.rep("m3", Role::Manager, "", "2024-01-01", None);
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    fx.rep("s2", Role::Sdr, "P1", "2024-01-01", Some("2026-08-15"));
    fx.rep("a1", Role::Ae, "P1", "2024-01-01", None);
    fx.rep("s3", Role::Sdr, "P2", "2024-01-01", None);
    fx.rep("a2", Role::Ae, "P2", "2024-01-01", None);
    // Meetings: s1 6 and s2 3 held while employed count for P1; s2's held on the 20th, after
    // s2 left, does not; s3's 4 are P2's.
    fx.accepted("s1", "a1", 6, "2026-08-10 15:00");
    fx.accepted("s2", "a1", 3, "2026-08-12 15:00");
    fx.handoff(
        "s2-late",
        "s2",
        "a1",
        "2026-08-01 10:00",
        Decision::Accepted,
        None,
    );
    fx.meeting("s2-late", "2026-08-20 15:00", MeetingStatus::Held);
    fx.accepted("s3", "a2", 4, "2026-08-11 15:00");
    // Won: O1 sourced by s1 (P1) 50,000; O2 with no SDR, AE a1 (P1) 40,000; O3 sourced by s3
    // (P2) though closed by a1, 30,000: P2's; O4 closes after as_of.
    fx.won("O1", Some("s1-L0"), "a1", "50000", "2026-08-05");
    fx.won("O2", None, "a1", "40000", "2026-08-06");
    fx.won("O3", Some("s3-L0"), "a1", "30000", "2026-08-07");
    fx.won("O4", Some("s1-L1"), "a1", "10000", "2026-09-02");
    // Activity (team: SDRs and BDRs only, each on their days of employment): s1 300 dials +
    // 20 prospects = 400 points; s2 100 dials on the 4th = 100, and 200 on the 20th after
    // leaving, not counted; s3 200 dials + 10 prospects = 250; the AE's and the manager's
    // dials never count. Team: 400 + 100 + 250 = 750.
    fx.activity("s1", "2026-08-03", 300, 20);
    fx.activity("s2", "2026-08-04", 100, 0);
    fx.activity("s2", "2026-08-20", 200, 0);
    fx.activity("s3", "2026-08-05", 200, 10);
    fx.activity("a1", "2026-08-05", 500, 0);
    fx.activity("m1", "2026-08-05", 100, 0);
    fx
}

#[test]
fn a_manager_is_paid_on_the_pods_meetings_and_revenue_and_the_teams_activity() {
    let fx = pods();
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "m1", "2026-08");
    // Meetings: 9 / 10 = 0.9 → linear → 2,000 × 0.5 × 0.9 = 900.00.
    let meetings = line(s, CompMetric::AcceptedMeetings);
    assert_eq!(
        (meetings.actual, meetings.step, meetings.payout),
        (dec("9"), CurveStep::Linear, dec("900.00"))
    );
    assert_eq!(meetings.scope, Some(CreditScope::Pod));
    assert_eq!(meetings.evidence.len(), 9);
    // Revenue: 50,000 + 40,000 = 90,000 / 100,000 = 0.9 → 2,000 × 0.3 × 0.9 = 540.00.
    let won = line(s, CompMetric::WonAmount);
    assert_eq!((won.actual, won.payout), (dec("90000"), dec("540.00")));
    // Activity: 750 / 1,000 = 0.75 → 2,000 × 0.2 × 0.75 = 300.00.
    let activity = line(s, CompMetric::ActivityPoints);
    assert_eq!(
        (activity.actual, activity.payout),
        (dec("750"), dec("300.00"))
    );
    assert_eq!(activity.scope, Some(CreditScope::Team));
    // 900.00 + 540.00 + 300.00.
    assert_eq!(s.total, dec("1740.00"));
    // The SDRs' own plan is untouched: none covers them here, and the AE's neither.
    assert!(r.statements.iter().all(|s| s.rep_id.starts_with('m')));
}

#[test]
fn a_pod_figure_counts_the_whole_window_for_a_manager_who_started_mid_month() {
    let fx = pods();
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "m2", "2026-08");
    // Employed 15 of 31 days: the variable target is prorated, but the pod worked the whole
    // month, so its meetings of the 10th and 12th count and the target of 10 is not scaled.
    // 9 / 10 = 0.9 → 24,000 × 0.5 × 0.9 × 15 / (12 × 31) = 162,000 / 372 = 435.483… → 435.48.
    let meetings = line(s, CompMetric::AcceptedMeetings);
    assert_eq!(
        (meetings.target, meetings.actual, meetings.payout),
        (dec("10"), dec("9"), dec("435.48"))
    );
    assert_eq!(meetings.target_source, TargetSource::Plan);
}

#[test]
fn a_rep_without_a_pod_has_no_pod_figure() {
    let fx = pods();
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "m3", "2026-08");
    // Unknown, not 0: not measured, with the reason.
    let meetings = line(s, CompMetric::AcceptedMeetings);
    assert_eq!(
        (meetings.attainment, meetings.step, meetings.payout),
        (None, CurveStep::NotMeasured, dec("0.00"))
    );
    assert_eq!(
        meetings.note.as_deref(),
        Some("m3 has no pod in reps.csv, so the pod's figure is unknown")
    );
    // The team's activity needs no pod: 750 → 300.00.
    assert_eq!(line(s, CompMetric::ActivityPoints).payout, dec("300.00"));
}

#[test]
fn follow_up_at_pod_and_team_level_counts_hand_offs_by_the_sdrs_pod() {
    let mut fx = Fx::new();
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    fx.rep("s3", Role::Sdr, "P2", "2024-01-01", None);
    fx.rep("a1", Role::Ae, "P1", "2024-01-01", None);
    fx.rep("a2", Role::Ae, "P2", "2024-01-01", None);
    fx.rep("m1", Role::Manager, "P1", "2024-01-01", None);
    let p = Decision::Pending;
    // SLA 24 h. s1 → a1 contacted after 2 h: a hit; s1 → a2 (another pod's AE, still s1's
    // pod's hand-off) after 48 h: a miss; s3 → a1 after 1 h: a hit, but P2's.
    fx.handoff(
        "H1",
        "s1",
        "a1",
        "2026-08-03 10:00",
        p,
        Some("2026-08-03 12:00"),
    );
    fx.handoff(
        "H2",
        "s1",
        "a2",
        "2026-08-04 10:00",
        p,
        Some("2026-08-06 10:00"),
    );
    fx.handoff(
        "H3",
        "s3",
        "a1",
        "2026-08-05 10:00",
        p,
        Some("2026-08-05 11:00"),
    );
    let scope = Scope::new(&fx.ds, at(AS_OF));
    let aug = Window::whole(Period::parse("2026-08").unwrap());
    let m1 = fx.ds.reps.iter().find(|r| r.id == "m1").unwrap();
    let sla = |s| {
        let c = scoped(
            CompMetric::HandoffFollowUpSla,
            s,
            Category::Quality,
            "1",
            "0.9",
        );
        scope.measure(m1, &c, &aug).ratio
    };
    // Pod P1: H1 and H2, 1 of 2; the team: all three, 2 of 3.
    assert_eq!(sla(CreditScope::Pod), Some((1, 2)));
    assert_eq!(sla(CreditScope::Team), Some((2, 3)));
    // A manager's own hand-offs: none, so nothing counted.
    assert_eq!(sla(CreditScope::Rep), Some((0, 0)));
}

#[test]
fn the_pods_sales_ready_meetings_leave_out_the_hand_offs_not_sales_ready() {
    let mut fx = Fx::new();
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    fx.rep("a1", Role::Ae, "P1", "2024-01-01", None);
    fx.rep("m1", Role::Manager, "P1", "2024-01-01", None);
    let acc = Decision::Accepted;
    // Both accepted, both held in August; H2 meets 2 of the 4 criteria, the rule needs 3.
    fx.handoff("H1", "s1", "a1", "2026-08-03 10:00", acc, None);
    fx.handoff("H2", "s1", "a1", "2026-08-04 10:00", acc, None);
    fx.ds.handoffs[1].criteria = [true, true, false, false].into_iter().collect();
    fx.meeting("H1", "2026-08-05 15:00", MeetingStatus::Held);
    fx.meeting("H2", "2026-08-06 15:00", MeetingStatus::Held);
    let scope = Scope::new(&fx.ds, at(AS_OF));
    let aug = Window::whole(Period::parse("2026-08").unwrap());
    let m1 = fx.ds.reps.iter().find(|r| r.id == "m1").unwrap();
    let measure = |metric| {
        let c = scoped(metric, CreditScope::Pod, Category::Quality, "1", "10");
        scope.measure(m1, &c, &aug)
    };
    // Accepted meetings of P1: H1 and H2, 2; sales-ready ones: H1 only, 1 (H2 listed at 0).
    assert_eq!(measure(CompMetric::AcceptedMeetings).value, dec("2"));
    let ready = measure(CompMetric::SalesReadyMeetings);
    assert_eq!(ready.value, dec("1"));
    assert_eq!(ready.evidence.len(), 2);
}
