//! Which plan pays whom: quarterly plans, explicit reps over roles, plan changes inside a
//! month, leavers, and a rep named by two plans.

use rust_decimal::Decimal;

use super::*;
use crate::comp::statement::TargetSource;
use crate::comp::CurveStep;
use crate::model::quota::Quotas;

/// The hybrid plan paid quarterly and naming one rep: targets are per quarter.
fn quarterly_plan() -> Plan {
    Plan {
        name: "SDR quarterly".into(),
        roles: Vec::new(),
        reps: vec!["s-q".into()],
        payout_period: PayoutPeriod::Quarterly,
        components: vec![
            component(
                CompMetric::ActivityPoints,
                Category::Activity,
                "0.2",
                "3000",
            ),
            component(CompMetric::AcceptedMeetings, Category::Quality, "0.5", "30"),
            component(CompMetric::TeamWonAmount, Category::Team, "0.3", "300000"),
        ],
        draw: None,
        clawback_days: None,
        pay_day: None,
        ..sdr_plan()
    }
}

fn quarterly_team() -> Fx {
    let mut fx = Fx::new();
    // The role plan comes first in the file, but naming the rep wins.
    fx.ds.playbook.comp.plans = vec![sdr_plan(), quarterly_plan()];
    fx.rep("ae", Role::Ae, "PA", "2024-01-01", None);
    fx.rep("s-q", Role::Sdr, "P7", "2025-01-01", None);
    fx.activity("s-q", "2026-07-15", 500, 100); // 500 + 5 × 100 = 1000 points
    fx.activity("s-q", "2026-08-14", 500, 100); // 1000 points
    fx.accepted("s-q", "ae", 8, "2026-07-28 15:00");
    let before = fx.ds.handoffs.len();
    fx.accepted("s-q", "ae", 7, "2026-08-11 15:00");
    // `accepted` names leads by index; give the second batch their own lead ids.
    for (i, h) in fx.ds.handoffs[before..].iter_mut().enumerate() {
        h.lead_id = format!("s-q-aug{i}").into();
    }
    let n = fx.ds.meetings.len();
    for (i, m) in fx.ds.meetings[n - 7..].iter_mut().enumerate() {
        m.lead_id = format!("s-q-aug{i}").into();
    }
    fx.rep("ae-P7", Role::Ae, "P7", "2024-01-01", None);
    fx.won("O1", None, "ae-P7", "200000", "2026-07-10");
    fx.won("O2", None, "ae-P7", "130000", "2026-08-20");
    fx
}

#[test]
fn quarterly_plan_in_a_month_build_is_the_quarter_to_date() {
    for build in ["2026-08", "2026-Q3"] {
        let r = report(&quarterly_team(), build, &Quotas::default());
        let mine: Vec<&Statement> = r.statements.iter().filter(|s| s.rep_id == "s-q").collect();
        assert_eq!(mine.len(), 1, "{build}");
        let s = mine[0];
        assert_eq!(
            (s.plan.as_str(), s.payout_period.label()),
            ("SDR quarterly", "2026-Q3".into())
        );
        // as_of 31 August is before 30 September: figures to date.
        assert!(s.partial);
        // 25000 / 4 = 6250 over all 92 days of the quarter.
        assert_eq!(
            (s.variable_target, s.active_days, s.period_days),
            (dec("6250"), 92, 92)
        );
        // Activity 2000 / 3000 = 0.666… → linear; 6250 × 0.2 × 0.666… = 833.333… → 833.33
        // Meetings 15 / 30 = 0.5 → 6250 × 0.5 × 0.5 = 1562.50
        // Team 330000 / 300000 = 1.1 → 1.15; 6250 × 0.3 × 1.15 = 2156.25
        assert_eq!(line(s, CompMetric::AcceptedMeetings).actual, dec("15"));
        assert_eq!(payouts(s), [dec("833.33"), dec("1562.50"), dec("2156.25")]);
        assert_eq!(s.total, dec("4552.08"));
    }
}

#[test]
fn a_plan_change_inside_a_month_splits_it() {
    let mut fx = Fx::new();
    let new_plan = Plan {
        name: "SDR from mid-August".into(),
        reps: vec!["s-sw".into()],
        effective_from: day("2026-08-16"),
        ..sdr_plan()
    };
    fx.ds.playbook.comp.plans = vec![sdr_plan(), new_plan];
    fx.rep("s-sw", Role::Sdr, "P8", "2025-01-01", None);
    fx.rep("ae-P8", Role::Ae, "P8", "2024-01-01", None);
    fx.ds.playbook.comp.plans.push(Plan {
        name: "AE".into(),
        roles: vec![Role::Ae],
        ..sdr_plan()
    });
    fx.activity("s-sw", "2026-08-10", 250, 50); // 500 points, under the old plan
    fx.won("O1", None, "ae-P8", "100000", "2026-08-20"); // under the new plan
    let r = report(&fx, "2026-08", &Quotas::default());
    let mine: Vec<&Statement> = r.statements.iter().filter(|s| s.rep_id == "s-sw").collect();
    assert_eq!(mine.len(), 2);
    let (old, new) = (mine[0], mine[1]);
    assert_eq!((old.plan.as_str(), old.active_days), ("SDR hybrid", 15));
    assert_eq!(
        (new.plan.as_str(), new.active_days),
        ("SDR from mid-August", 16)
    );
    // Old plan, 1-15 August: activity target 1000 × 15/31; 500 / (15000/31) = 31/30 → 1.05;
    // 25000 × 0.2 × 1.05 × 15 / 372 = 211.6935… → 211.69; no meetings, no pod revenue.
    assert_eq!(payouts(old), [dec("211.69"), dec("0.00"), dec("0.00")]);
    // New plan, 16-31 August: no activity; pod target 100000 × 16/31, attainment 31/16 =
    // 1.9375 → 1 + 0.9375 × 1.5 = 2.40625 → capped at 2; 25000 × 0.3 × 2 × 16 / 372 =
    // 645.161… → 645.16.
    let team = line(new, CompMetric::TeamWonAmount);
    assert_eq!(
        team.target_source,
        TargetSource::Prorated { days: 16, of: 31 }
    );
    assert_eq!(team.step, CurveStep::Capped);
    assert_eq!(payouts(new), [dec("0.00"), dec("0.00"), dec("645.16")]);
    // No day is uncovered and no day is paid twice: 15 + 16 = 31.
    assert!(r.uncovered.is_empty(), "{:?}", r.uncovered);
}

#[test]
fn a_leaver_is_prorated_and_gaps_are_reported() {
    let mut fx = Fx::new();
    let sdr_only = Plan {
        roles: vec![Role::Sdr],
        ..sdr_plan()
    };
    // A BDR plan that ends on 20 August.
    let bdr = Plan {
        name: "BDR until 20 August".into(),
        roles: vec![Role::Bdr],
        effective_to: Some(day("2026-08-20")),
        ..sdr_plan()
    };
    fx.ds.playbook.comp.plans = vec![sdr_only, bdr];
    fx.rep("s-left", Role::Sdr, "P9", "2025-01-01", Some("2026-08-10"));
    fx.rep("b-stay", Role::Bdr, "P10", "2025-01-01", None);
    fx.rep("ae-P9", Role::Ae, "P9", "2024-01-01", Some("2026-07-31"));
    fx.won("O1", None, "ae-P9", "100000", "2026-08-05");
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s-left", "2026-08");
    // Employed 1-10 August: 10 of 31 days. Pod revenue 100000 on a full-month pod target
    // (the plan applied all month) → 1.0; 25000 × 0.3 × 10 / 372 = 201.612… → 201.61.
    assert_eq!((s.active_days, s.total), (10, dec("201.61")));
    // b-stay: the BDR plan ends on the 20th; 21-31 August are reported, not silently dropped.
    assert_eq!(
        r.uncovered,
        [(
            "b-stay".to_string(),
            "no comp plan covers rep `b-stay` (bdr) from 2026-08-21 to 2026-08-31".to_string()
        )]
    );
    // Its statement covers the 20 days the plan applied: 20 of 31 days of variable pay.
    let b = statement(&r, "b-stay", "2026-08");
    assert_eq!((b.active_days, b.period_days), (20, 31));
    // ae-P9 left before August: neither a statement nor uncovered.
    assert!(r.statements.iter().all(|s| s.rep_id != "ae-P9"));
}

#[test]
fn a_rep_named_by_two_plans_is_a_warning() {
    let mut fx = Fx::new();
    let named = |name: &str| Plan {
        name: name.into(),
        roles: Vec::new(),
        reps: vec!["s1".into(), "ghost".into()],
        ..sdr_plan()
    };
    fx.ds.playbook.comp.plans = vec![named("First"), named("Second")];
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    let r = report(&fx, "2026-08", &Quotas::default());
    assert_eq!(
        r.warnings,
        [
            "plan `First` names rep `ghost`, who is not in reps.csv",
            "plan `Second` names rep `ghost`, who is not in reps.csv",
            "rep `s1` is named in several plans in effect on 2026-07-01 (`First`, `Second`); `First`, the first in comp.yaml, applies",
        ]
    );
    let plans: Vec<&str> = r.statements.iter().map(|s| s.plan.as_str()).collect();
    assert_eq!(plans, ["First"]);
    assert_eq!(r.statements[0].total, Decimal::ZERO);
}

#[test]
fn a_window_holds_only_its_own_days_of_the_period() {
    use crate::comp::coverage::Window;
    let oct = Period::month(2026, 10);
    // 30 September is outside October and is dropped; 3, 5 and 9 October stay.
    let w = Window::of_days(
        oct,
        [
            day("2026-09-30"),
            day("2026-10-09"),
            day("2026-10-03"),
            day("2026-10-05"),
        ],
    );
    assert_eq!(w.len(), 3);
    assert!(!w.is_empty());
    assert!(w.contains(day("2026-10-05")) && !w.contains(day("2026-10-04")));
    assert_eq!(w.first(), Some(day("2026-10-03")));
    assert_eq!(w.last(), Some(day("2026-10-09")));
    assert_eq!(
        w.days().collect::<Vec<_>>(),
        [day("2026-10-03"), day("2026-10-05"), day("2026-10-09")]
    );
    // October's 31 days, the 1st to the 31st.
    let whole = Window::whole(oct);
    assert_eq!(whole.len(), 31);
    assert_eq!(whole.first(), Some(day("2026-10-01")));
    assert_eq!(whole.last(), Some(day("2026-10-31")));
    let none = Window::of_days(oct, []);
    assert!(none.is_empty());
    assert_eq!((none.first(), none.last()), (None, None));
}

#[test]
fn quarters_and_payout_periods_of_a_build() {
    use crate::comp::coverage::{payout_periods, quarter_of};
    // January to March is Q1, April Q2, September Q3, October to December Q4.
    assert_eq!(quarter_of(day("2026-01-01")), Period::quarter(2026, 1));
    assert_eq!(quarter_of(day("2026-03-31")), Period::quarter(2026, 1));
    assert_eq!(quarter_of(day("2026-04-01")), Period::quarter(2026, 2));
    assert_eq!(quarter_of(day("2026-09-30")), Period::quarter(2026, 3));
    assert_eq!(quarter_of(day("2026-12-31")), Period::quarter(2026, 4));
    // A quarter's build: three monthly payout periods, one quarterly; a month's build pays
    // the quarter that holds it.
    let q3 = Period::quarter(2026, 3);
    assert_eq!(
        payout_periods(PayoutPeriod::Monthly, &q3),
        [
            Period::month(2026, 7),
            Period::month(2026, 8),
            Period::month(2026, 9)
        ]
    );
    assert_eq!(payout_periods(PayoutPeriod::Quarterly, &q3), [q3]);
    assert_eq!(
        payout_periods(PayoutPeriod::Quarterly, &Period::month(2026, 8)),
        [q3]
    );
}

#[test]
fn a_plan_applies_from_its_first_day_through_its_last() {
    use crate::comp::coverage::plan_on;
    let mut fx = Fx::new();
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    let rep = fx.ds.reps[0].clone();
    let mut plan = sdr_plan();
    plan.effective_from = day("2026-03-01");
    plan.effective_to = Some(day("2026-03-31"));
    let mut named = sdr_plan();
    named.name = "named".into();
    named.roles = Vec::new();
    named.reps = vec!["s1".into()];
    named.effective_from = day("2026-03-10");
    named.effective_to = Some(day("2026-03-20"));
    let plans = [plan, named];
    // The role plan, 1 to 31 March, first and last days included; the plan naming s1 wins
    // over it from the 10th through the 20th.
    assert_eq!(plan_on(&plans, &rep, day("2026-02-28")), None);
    assert_eq!(plan_on(&plans, &rep, day("2026-03-01")), Some(0));
    assert_eq!(plan_on(&plans, &rep, day("2026-03-09")), Some(0));
    assert_eq!(plan_on(&plans, &rep, day("2026-03-10")), Some(1));
    assert_eq!(plan_on(&plans, &rep, day("2026-03-20")), Some(1));
    assert_eq!(plan_on(&plans, &rep, day("2026-03-21")), Some(0));
    assert_eq!(plan_on(&plans, &rep, day("2026-03-31")), Some(0));
    assert_eq!(plan_on(&plans, &rep, day("2026-04-01")), None);
    // An AE is named by neither and has no plan for the role.
    fx.rep("a1", Role::Ae, "P1", "2025-01-01", None);
    assert_eq!(plan_on(&plans, &fx.ds.reps[1], day("2026-03-15")), None);
}
