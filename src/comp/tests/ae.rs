//! Actuals on their own: the AE metrics (won amount, hand-off follow-up SLA), which pod a won
//! deal counts for, and which meetings count as accepted and sales-ready.

use rust_decimal::Decimal;

use super::*;
use crate::comp::actuals::{Evidence, Scope};
use crate::comp::coverage::Window;
use crate::comp::CurveStep;
use crate::model::quota::Quotas;

/// An AE plan: 70% own won revenue ($50,000 a month), 30% hand-off follow-up (90% target).
fn ae_plan() -> Plan {
    Plan {
        name: "AE core".into(),
        roles: vec![Role::Ae],
        reps: Vec::new(),
        effective_from: day("2026-01-01"),
        effective_to: None,
        base_salary: dec("90000"),
        annual_variable: dec("60000"),
        payout_period: PayoutPeriod::Monthly,
        components: vec![
            component(CompMetric::WonAmount, Category::Revenue, "0.7", "50000"),
            component(
                CompMetric::HandoffFollowUpSla,
                Category::Quality,
                "0.3",
                "0.9",
            ),
        ],
        draw: None,
        clawback_days: None,
        pay_day: None,
    }
}

fn ae_team() -> Fx {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![ae_plan()];
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("a2", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    let p = Decision::Pending;
    // SLA 24 h (playbook default).
    fx.handoff(
        "H1",
        "s1",
        "a1",
        "2026-08-03 10:00",
        p,
        Some("2026-08-03 12:00"),
    ); // 2 h: hit
    fx.handoff(
        "H2",
        "s1",
        "a1",
        "2026-08-04 10:00",
        p,
        Some("2026-08-05 10:00"),
    ); // exactly 24 h: hit
    fx.handoff(
        "H3",
        "s1",
        "a1",
        "2026-08-05 10:00",
        p,
        Some("2026-08-06 10:01"),
    ); // 24 h 1 min: miss
    fx.handoff("H4", "s1", "a1", "2026-08-06 10:00", p, None); // never, SLA long past: miss
    fx.handoff("H5", "s1", "a1", "2026-08-31 20:00", p, None); // never, due 1 Sep 20:00: not counted
    fx.handoff("H6", "s1", "a1", "2026-07-31 10:00", p, None); // July: another period
                                                               // a1's deals: only the August win counts.
    fx.won("O1", None, "a1", "55000", "2026-08-12");
    fx.won("O2", None, "a1", "9000", "2026-07-30");
    let mut lost = fx.ds.opportunities[0].clone();
    lost.opportunity_id = "O3".into();
    lost.status = OpportunityStatus::Lost;
    fx.ds.opportunities.push(lost);
    fx
}

#[test]
fn ae_statement_with_follow_up_sla() {
    let r = report(&ae_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "a1", "2026-08");
    let won = line(s, CompMetric::WonAmount);
    // 55000 / 50000 = 1.1 → 1 + 0.1 × 1.5 = 1.15; 60000 × 0.7 × 1.15 / 12 = 4025.00
    assert_eq!(
        (won.actual, won.factor, won.payout),
        (dec("55000"), dec("1.15"), dec("4025.00"))
    );
    let sla = line(s, CompMetric::HandoffFollowUpSla);
    // H1, H2 hit; H3, H4 miss; H5 still inside its SLA: 2 of 4 = 0.5.
    assert_eq!((sla.ratio, sla.actual), (Some((2, 4)), dec("0.5")));
    // 0.5 / 0.9 = 0.555… ≥ 0.5 threshold → linear; 60000 × 0.3 × 0.555… / 12 = 833.333… → 833.33
    assert_eq!(sla.step, CurveStep::Linear);
    assert_eq!(sla.attainment.unwrap().round_dp(6), dec("0.555556"));
    assert_eq!(sla.payout, dec("833.33"));
    assert_eq!(s.total, dec("4858.33"));
    // Every hand-off of the period is listed, the uncounted one included, each with its row.
    let contributes: Vec<Decimal> = sla
        .evidence
        .iter()
        .map(|e| match e {
            Evidence::Rows { contributes, .. } => *contributes,
            Evidence::ActivityDay { .. } => panic!("no activity here"),
        })
        .collect();
    assert_eq!(
        contributes,
        [dec("1"), dec("1"), dec("0"), dec("0"), dec("0")]
    );
    let Evidence::Rows { sources, label, .. } = &sla.evidence[4] else {
        unreachable!()
    };
    assert_eq!(sources[0].to_string(), "data/handoffs.csv:6");
    assert!(
        label.ends_with("no first contact yet, still inside the SLA: not counted"),
        "{label}"
    );
}

#[test]
fn ae_with_nothing_to_follow_up_is_not_measured() {
    let r = report(&ae_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "a2", "2026-08");
    let sla = line(s, CompMetric::HandoffFollowUpSla);
    // No hand-off was due: no attainment, nothing paid, and the line says why.
    assert_eq!(
        (sla.attainment, sla.step, sla.payout),
        (None, CurveStep::NotMeasured, Decimal::ZERO)
    );
    assert_eq!(
        sla.note.as_deref(),
        Some("no hand-off to follow up was due in the period")
    );
    // The SDR has no plan here: reported.
    assert_eq!(r.uncovered.len(), 1);
    assert_eq!(r.uncovered[0].0, "s1");
}

#[test]
fn a_won_deal_counts_for_the_sourcing_sdrs_pod() {
    let mut fx = Fx::new();
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    fx.handoff(
        "L1",
        "s1",
        "a1",
        "2026-07-01 10:00",
        Decision::Accepted,
        None,
    );
    fx.won("O1", Some("L1"), "a1", "30000", "2026-08-05"); // sourced by s1: pod P1
    fx.won("O2", None, "a1", "20000", "2026-08-06"); // no SDR: the AE's pod PA
    fx.won("O3", None, "a1", "1000", "2026-09-01"); // after the period
    let scope = Scope::new(&fx.ds, at(AS_OF));
    let aug = Window::whole(Period::parse("2026-08").unwrap());
    assert_eq!(scope.team_won_amount("P1", &aug).value, dec("30000"));
    assert_eq!(scope.team_won_amount("PA", &aug).value, dec("20000"));
    // The AE's own won amount has both: 30000 + 20000.
    assert_eq!(scope.won_amount("a1", &aug).value, dec("50000"));
    // O1's evidence cites the opportunity and the hand-off that gives it its pod.
    let Evidence::Rows { sources, .. } = &scope.team_won_amount("P1", &aug).evidence[0] else {
        unreachable!()
    };
    let cited: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
    assert_eq!(cited, ["data/opportunities.csv:2", "data/handoffs.csv:2"]);
}

#[test]
fn accepted_and_sales_ready_meetings_by_first_held_meeting() {
    let mut fx = Fx::new();
    fx.ds.playbook.site.timezone = "America/New_York".into();
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    let (acc, rej) = (Decision::Accepted, Decision::Rejected);
    for (lead, d) in [
        ("La", acc),
        ("Lb", acc),
        ("Lc", acc),
        ("Ld", rej),
        ("Le", acc),
        ("Lf", acc),
        ("Lg", acc),
    ] {
        fx.handoff(lead, "s1", "a1", "2026-07-20 10:00", d, None);
    }
    fx.ds.handoffs[5].criteria = [true, true, false, false].into_iter().collect(); // Lf: 2 of 4 met, rule needs 3
    fx.meeting("La", "2026-08-05 15:00", MeetingStatus::Held); // counts
    fx.meeting("Lb", "2026-07-30 15:00", MeetingStatus::Rescheduled);
    fx.meeting("Lb", "2026-08-06 15:00", MeetingStatus::Held); // counts (first held)
    fx.meeting("Lc", "2026-08-02 15:00", MeetingStatus::Held);
    fx.meeting("Lc", "2026-07-31 15:00", MeetingStatus::Held); // first held is in July: no
    fx.meeting("Ld", "2026-08-07 15:00", MeetingStatus::Held); // rejected: no
    fx.meeting("Le", "2026-08-08 15:00", MeetingStatus::NoShow); // not held: no
    fx.meeting("Lf", "2026-08-09 15:00", MeetingStatus::Held); // accepted, not sales-ready
                                                               // 1 Sep 02:00 UTC is 31 Aug 22:00 in New York: an August meeting.
    fx.meeting("Lg", "2026-09-01 02:00", MeetingStatus::Held);
    let scope = Scope::new(&fx.ds, at("2026-09-01 12:00"));
    let aug = Window::whole(Period::parse("2026-08").unwrap());
    // La, Lb, Lf, Lg
    assert_eq!(scope.accepted_meetings("s1", false, &aug).value, dec("4"));
    // La, Lb, Lg (Lf listed as contributing 0)
    let ready = scope.accepted_meetings("s1", true, &aug);
    assert_eq!(ready.value, dec("3"));
    assert_eq!(ready.evidence.len(), 4);
    // Before the meeting happened (as_of 31 Aug 20:00 New York), Lg does not count yet.
    let early = Scope::new(&fx.ds, at("2026-09-01 00:00"));
    assert_eq!(early.accepted_meetings("s1", false, &aug).value, dec("3"));
}

#[test]
fn activity_points_cite_each_day() {
    let mut fx = Fx::new();
    fx.rep("s1", Role::Sdr, "P1", "2024-01-01", None);
    fx.activity("s1", "2026-07-31", 99, 9); // July: not counted
    fx.activity("s1", "2026-08-03", 40, 2); // 40 + 2 × 5 = 50
    fx.activity("s1", "2026-08-04", 0, 0); // emails only: not listed
    fx.activity("s1", "2026-08-31", 10, 0); // 10
    fx.activity("s1", "2026-09-01", 99, 9); // September: not counted
    let scope = Scope::new(&fx.ds, at(AS_OF));
    let pts = Points {
        dial: dec("1"),
        prospect_added: dec("5"),
    };
    let a = scope.activity_points(
        "s1",
        &pts,
        &Window::whole(Period::parse("2026-08").unwrap()),
    );
    assert_eq!(a.value, dec("60"));
    assert_eq!(
        a.evidence,
        [
            Evidence::ActivityDay {
                file: "data/activities.csv".into(),
                date: day("2026-08-03"),
                dials: 40,
                prospects_added: 2,
                points: dec("50"),
            },
            Evidence::ActivityDay {
                file: "data/activities.csv".into(),
                date: day("2026-08-31"),
                dials: 10,
                prospects_added: 0,
                points: dec("10"),
            },
        ]
    );
}
