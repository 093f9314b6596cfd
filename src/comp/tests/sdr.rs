//! The playbook's hybrid SDR plan ($60k base, $25k variable, weights 20/50/30), one scenario
//! per pod: at the threshold, below it, at 100%, accelerated, capped, mid-month start.

use rust_decimal::Decimal;

use super::*;
use crate::comp::curve::NextPoint;
use crate::comp::statement::TargetSource;
use crate::comp::{comp_csv, CurveStep};
use crate::model::quota::{Quota, Quotas};
use crate::playbook::comp::CompMetric;

/// A pod's won revenue in August through a deal without an SDR, credited to the AE's pod.
fn pod_revenue(fx: &mut Fx, pod: &str, amount: &str) {
    let ae = format!("ae-{pod}");
    fx.rep(&ae, Role::Ae, pod, "2025-01-01", None);
    fx.won(&format!("O-{pod}"), None, &ae, amount, "2026-08-20");
}

/// Activity points for August: `points` = dials + 5 × prospects, spread over two days.
fn points(fx: &mut Fx, rep: &str, dials: u64, prospects: u64) {
    fx.activity(rep, "2026-08-18", dials / 2, prospects / 2);
    fx.activity(
        rep,
        "2026-08-19",
        dials - dials / 2,
        prospects - prospects / 2,
    );
}

/// The SDR scenarios, one per pod so team revenue never mixes.
pub(super) fn sdr_team() -> Fx {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![sdr_plan()];
    fx.rep("mgr", Role::Manager, "P1", "2024-01-01", None);
    fx.rep("ae", Role::Ae, "PA", "2024-01-01", None);

    // Exactly at the threshold: 500 points, 5 meetings, $50,000 = 50% of each target.
    fx.rep("s-threshold", Role::Sdr, "P1", "2025-01-01", None);
    points(&mut fx, "s-threshold", 250, 50); // 250 + 5 × 50 = 500
    fx.accepted("s-threshold", "ae", 5, "2026-08-10 15:00");
    pod_revenue(&mut fx, "P1", "50000");

    // Just below: 499 points, 4 meetings, $49,999.99.
    fx.rep("s-below", Role::Sdr, "P2", "2025-01-01", None);
    points(&mut fx, "s-below", 249, 50); // 249 + 250 = 499
    fx.accepted("s-below", "ae", 4, "2026-08-10 15:00");
    pod_revenue(&mut fx, "P2", "49999.99");

    // Exactly 100%.
    fx.rep("s-100", Role::Sdr, "P3", "2025-01-01", None);
    points(&mut fx, "s-100", 500, 100); // 500 + 500 = 1000
    fx.accepted("s-100", "ae", 10, "2026-08-10 15:00");
    pod_revenue(&mut fx, "P3", "100000");

    // Above 100%: 120%, 120%, 130%.
    fx.rep("s-accel", Role::Sdr, "P4", "2025-01-01", None);
    points(&mut fx, "s-accel", 700, 100); // 700 + 500 = 1200
    fx.accepted("s-accel", "ae", 12, "2026-08-10 15:00");
    pod_revenue(&mut fx, "P4", "130000");

    // Above the cap on two components, just under it on the third.
    fx.rep("s-cap", Role::Sdr, "P5", "2025-01-01", None);
    points(&mut fx, "s-cap", 1500, 100); // 1500 + 500 = 2000
    fx.accepted("s-cap", "ae", 17, "2026-08-10 15:00");
    pod_revenue(&mut fx, "P5", "166000");

    // Starts mid-month: employed 17-31 August, 15 of 31 days.
    fx.rep("s-mid", Role::Sdr, "P6", "2026-08-17", None);
    points(&mut fx, "s-mid", 250, 50); // 500 points
    fx.accepted("s-mid", "ae", 5, "2026-08-25 15:00");
    pod_revenue(&mut fx, "P6", "100000");
    fx
}

#[test]
fn monthly_target_is_annual_variable_over_twelve() {
    // $25,000 / 12 = $2,083.333…; a Decimal carries 28 significant digits.
    let plan = sdr_plan();
    assert_eq!(
        crate::comp::curve::period_variable(&plan),
        dec("2083.3333333333333333333333333")
    );
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-100", "2026-08");
    // Full month: 25000 × 31 / (12 × 31), the same $2,083.333….
    assert_eq!(s.variable_target.round_dp(10), dec("2083.3333333333"));
    assert_eq!((s.active_days, s.period_days), (31, 31));
}

#[test]
fn exactly_at_threshold_pays_half() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-threshold", "2026-08");
    for l in &s.lines {
        // 500/1000, 5/10, 50000/100000: attainment 0.5 = threshold → linear, factor 0.5.
        assert_eq!(l.attainment, Some(dec("0.5")));
        assert_eq!((l.step, l.factor), (CurveStep::Linear, dec("0.5")));
    }
    // 2083.333… × 0.2 × 0.5 = 208.333… → 208.33
    // 2083.333… × 0.5 × 0.5 = 520.833… → 520.83
    // 2083.333… × 0.3 × 0.5 = 312.50
    assert_eq!(payouts(s), [dec("208.33"), dec("520.83"), dec("312.50")]);
    // 208.33 + 520.83 + 312.50 = 1041.66 (the sum of rounded lines, not 1041.67).
    assert_eq!(s.total, dec("1041.66"));
}

#[test]
fn just_below_threshold_pays_nothing() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-below", "2026-08");
    // 499/1000 = 0.499, 4/10 = 0.4, 49999.99/100000 = 0.4999999: all below 0.5.
    let att: Vec<_> = s.lines.iter().map(|l| l.attainment.unwrap()).collect();
    assert_eq!(att, [dec("0.499"), dec("0.4"), dec("0.4999999")]);
    assert!(s.lines.iter().all(|l| l.step == CurveStep::BelowThreshold));
    assert_eq!(s.total, Decimal::ZERO);
}

#[test]
fn exactly_one_hundred_percent() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-100", "2026-08");
    assert!(s
        .lines
        .iter()
        .all(|l| l.step == CurveStep::Linear && l.factor == Decimal::ONE));
    // 2083.333… × 0.2 = 416.666… → 416.67; × 0.5 = 1041.666… → 1041.67; × 0.3 = 625.00
    assert_eq!(payouts(s), [dec("416.67"), dec("1041.67"), dec("625.00")]);
    // Each line rounds up a third of a cent: 2083.34, one cent above 2083.33.
    assert_eq!(s.total, dec("2083.34"));
}

#[test]
fn above_one_hundred_percent_is_accelerated() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-accel", "2026-08");
    // 1200/1000 = 1.2 → 1 + 0.2 × 1.5 = 1.3; 12/10 → 1.3; 130000/100000 = 1.3 → 1.45
    let f: Vec<_> = s.lines.iter().map(|l| (l.step, l.factor)).collect();
    assert_eq!(
        f,
        [
            (CurveStep::Accelerated, dec("1.3")),
            (CurveStep::Accelerated, dec("1.3")),
            (CurveStep::Accelerated, dec("1.45")),
        ]
    );
    // 416.666… × 1.3 = 541.666… → 541.67; 1041.666… × 1.3 = 1354.166… → 1354.17;
    // 625 × 1.45 = 906.25
    assert_eq!(payouts(s), [dec("541.67"), dec("1354.17"), dec("906.25")]);
    assert_eq!(s.total, dec("2802.09"));
}

#[test]
fn above_the_cap_pays_the_cap() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-cap", "2026-08");
    // 2000/1000 = 2 → 2.5 > 2 → capped at 2; 17/10 = 1.7 → 2.05 → capped at 2;
    // 166000/100000 = 1.66 → 1 + 0.66 × 1.5 = 1.99, under the cap.
    let f: Vec<_> = s.lines.iter().map(|l| (l.step, l.factor)).collect();
    assert_eq!(
        f,
        [
            (CurveStep::Capped, dec("2")),
            (CurveStep::Capped, dec("2")),
            (CurveStep::Accelerated, dec("1.99")),
        ]
    );
    // 416.666… × 2 = 833.33; 1041.666… × 2 = 2083.33; 625 × 1.99 = 1243.75
    assert_eq!(payouts(s), [dec("833.33"), dec("2083.33"), dec("1243.75")]);
    assert_eq!(s.total, dec("4160.41"));
}

#[test]
fn mid_month_start_is_prorated() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    let s = statement(&r, "s-mid", "2026-08");
    // Employed 17..=31 August: 15 of 31 days.
    assert_eq!((s.active_days, s.period_days), (15, 31));
    // Variable target 25000 × 15 / (12 × 31) = 375000 / 372 = 1008.0645161…
    assert_eq!(s.variable_target.round_dp(7), dec("1008.0645161"));
    // The rep's own targets scale too: 1000 × 15/31 = 483.87…, 10 × 15/31 = 4.838…;
    // the pod's revenue target does not (the pod worked the whole month).
    let prorated = TargetSource::Prorated { days: 15, of: 31 };
    let act = line(s, CompMetric::ActivityPoints);
    assert_eq!(act.target_source, prorated);
    assert_eq!(act.target.round_dp(4), dec("483.8710"));
    assert_eq!(
        line(s, CompMetric::AcceptedMeetings).target_source,
        prorated
    );
    let team = line(s, CompMetric::TeamWonAmount);
    assert_eq!(
        (team.target_source.clone(), team.target),
        (TargetSource::Plan, dec("100000"))
    );
    // Activity: 500 / (15000/31) = 31/30 = 1.0333… → 1 + (1/30) × 1.5 = 1.05;
    //   25000 × 0.2 × 1.05 × 15 / 372 = 78750 / 372 = 211.6935… → 211.69
    // Meetings: 5 / (150/31) = 31/30 → 1.05; 25000 × 0.5 × 1.05 × 15 / 372 = 529.2338… → 529.23
    // Team: 100000/100000 = 1; 25000 × 0.3 × 1 × 15 / 372 = 302.4193… → 302.42
    assert_eq!(act.factor.round_dp(20), dec("1.05"));
    assert_eq!(payouts(s), [dec("211.69"), dec("529.23"), dec("302.42")]);
    assert_eq!(s.total, dec("1043.34"));
}

#[test]
fn rep_without_plan_is_reported_and_managers_are_not() {
    let r = report(&sdr_team(), "2026-08", &Quotas::default());
    // The AEs (ae, ae-P1 … ae-P6) have no plan: each is reported, none silently skipped.
    let ids: Vec<&str> = r.uncovered.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["ae", "ae-P1", "ae-P2", "ae-P3", "ae-P4", "ae-P5", "ae-P6"]
    );
    assert_eq!(
        r.uncovered[0].1,
        "no comp plan in effect in 2026-08 names rep `ae` (ae) or covers role ae"
    );
    assert!(!ids.contains(&"mgr"));
    assert!(r.statements.iter().all(|s| s.role.prospects()));
}

#[test]
fn a_quarter_build_gives_three_monthly_statements() {
    let r = report(&sdr_team(), "2026-Q3", &Quotas::default());
    let periods: Vec<String> = r
        .statements
        .iter()
        .filter(|s| s.rep_id == "s-100")
        .map(|s| s.payout_period.label())
        .collect();
    assert_eq!(periods, ["2026-07", "2026-08", "2026-09"]);
    // July and September had no activity, meetings or revenue for pod P3: nothing paid.
    assert_eq!(statement(&r, "s-100", "2026-07").total, Decimal::ZERO);
    // August is the same statement as in a month build.
    assert_eq!(statement(&r, "s-100", "2026-08").total, dec("2083.34"));
    // September is after as_of (31 August): partial; August is complete.
    assert!(statement(&r, "s-100", "2026-09").partial);
    assert!(!statement(&r, "s-100", "2026-08").partial);
    // s-mid started in August: no July statement.
    assert!(!r
        .statements
        .iter()
        .any(|s| s.rep_id == "s-mid" && s.payout_period.label() == "2026-07"));
}

#[test]
fn quota_overrides_the_plan_target() {
    let fx = sdr_team();
    let mut quotas = Quotas::default();
    let source = Source {
        file: "data/quotas.csv".into(),
        line: 2,
    };
    let q = Quota {
        target: dec("8"),
        source: source.clone(),
    };
    assert!(quotas
        .insert(
            "s-100",
            Period::parse("2026-08").unwrap(),
            CompMetric::AcceptedMeetings,
            q
        )
        .is_none());
    let r = report(&fx, "2026-08", &quotas);
    let s = statement(&r, "s-100", "2026-08");
    let l = line(s, CompMetric::AcceptedMeetings);
    assert_eq!(l.target_source, TargetSource::Quota { source });
    // 10 / 8 = 1.25 → 1 + 0.25 × 1.5 = 1.375; 2083.333… × 0.5 × 1.375 = 1432.2916… → 1432.29
    assert_eq!((l.attainment, l.factor), (Some(dec("1.25")), dec("1.375")));
    assert_eq!(l.payout, dec("1432.29"));
    // 416.67 + 1432.29 + 625.00
    assert_eq!(s.total, dec("2473.96"));
    // Other reps keep the plan's target.
    let other = statement(&r, "s-accel", "2026-08");
    assert_eq!(line(other, CompMetric::AcceptedMeetings).target, dec("10"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn a_quota_for_another_kind_of_period_is_a_warning() {
    let fx = sdr_team();
    let mut quotas = Quotas::default();
    let q = Quota {
        target: dec("30"),
        source: Source {
            file: "data/quotas.csv".into(),
            line: 7,
        },
    };
    quotas.insert(
        "s-100",
        Period::parse("2026-Q3").unwrap(),
        CompMetric::AcceptedMeetings,
        q,
    );
    let r = report(&fx, "2026-08", &quotas);
    assert_eq!(
        r.warnings,
        ["data/quotas.csv:7: quota for rep `s-100`, 2026-Q3 accepted_meetings matches no payout period and component of the rep's plan; ignored"]
    );
    // The monthly statement kept the plan's target: still 2083.34.
    assert_eq!(statement(&r, "s-100", "2026-08").total, dec("2083.34"));
}

#[test]
fn comp_csv_totals_equal_the_statements() {
    let r = report(&sdr_team(), "2026-Q3", &Quotas::default());
    let csv = comp_csv(&r);
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("rep_id,payroll_id,rep_name,plan,payout_period,window_start,window_end,window_days,active_days,period_days,status,as_of,currency,variable_target,component,scope,weight,target,actual,attainment,curve_step,factor,payout,source,reason")
    );
    let mut sum = Decimal::ZERO;
    let mut n = 0;
    let mut no_plan = Vec::new();
    for row in rows {
        match row.split(',').nth(22).unwrap() {
            // The 7 AEs have no plan: each listed for the quarter, with no amount.
            "" => no_plan.push(row),
            payout => {
                sum += dec(payout);
                n += 1;
            }
        }
    }
    assert_eq!(no_plan.len(), 7);
    assert_eq!(
        no_plan[0],
        "ae,,Name of ae,,2026-Q3,2026-07-01,2026-09-30,92,92,92,no_plan,2026-08-31,,,,,,,,,,,,,"
    );
    assert!(no_plan
        .iter()
        .all(|r| r.starts_with("ae") && r.contains(",no_plan,")));
    let total: Decimal = r.statements.iter().map(|s| s.total).sum();
    assert_eq!(sum, total);
    // 6 SDRs × 3 months minus s-mid's July, 3 components each.
    assert_eq!(n, (6 * 3 - 1) * 3);
    // The August statements: 1041.66 + 0 + 2083.34 + 2802.09 + 4160.41 + 1043.34.
    assert_eq!(total, dec("11130.84"));
    assert!(csv.contains(
        "s-accel,,Name of s-accel,SDR hybrid,2026-08,2026-08-01,2026-08-31,31,31,31,final,2026-08-31,USD,2083.3333333333333333333333333,team_won_amount,pod,0.3,100000,130000,1.3,accelerated,1.45,906.25,,\n"
    ));
}

#[test]
fn what_if_table_for_the_activity_component() {
    let plan = sdr_plan();
    let rows = crate::comp::what_if(&plan, &plan.components[0], 2);
    let got: Vec<(Decimal, CurveStep, Decimal)> = rows
        .iter()
        .map(|r| (r.attainment, r.step, r.payout))
        .collect();
    // On-target pay 25000 × 0.2 / 12 = 416.666…
    assert_eq!(
        got,
        [
            // 50%: factor 0.5 → 208.333… → 208.33
            (dec("0.50"), CurveStep::Linear, dec("208.33")),
            // 75%: factor 0.75 → 312.50
            (dec("0.75"), CurveStep::Linear, dec("312.50")),
            // 100%: 416.67
            (dec("1.00"), CurveStep::Linear, dec("416.67")),
            // 125%: 1 + 0.25 × 1.5 = 1.375 → 572.916… → 572.92
            (dec("1.25"), CurveStep::Accelerated, dec("572.92")),
            // 150%: 1 + 0.5 × 1.5 = 1.75 → 729.166… → 729.17
            (dec("1.50"), CurveStep::Accelerated, dec("729.17")),
        ]
    );
}

#[test]
fn tiers_and_a_decelerator_on_a_statement() {
    use crate::playbook::comp::{Decelerator, Tier};
    // The hybrid plan with tiered meetings (1.5× from 100%, 2× from 150%, cap 3) and a
    // decelerated activity component (below 75% the attainment pays half). s1 in August:
    // 600 points of 1000 = 0.6, and 18 accepted meetings of 10 = 1.8; no pod revenue.
    let build = |retroactive: bool| {
        let mut fx = Fx::new();
        let mut plan = sdr_plan();
        plan.components[0].curve.decelerator = Some(Decelerator {
            below: dec("0.75"),
            rate: dec("0.5"),
        });
        let meetings = &mut plan.components[1].curve;
        meetings.cap = dec("3");
        meetings.tiers = vec![
            Tier {
                from: dec("1"),
                rate: dec("1.5"),
            },
            Tier {
                from: dec("1.5"),
                rate: dec("2"),
            },
        ];
        meetings.retroactive = retroactive;
        fx.ds.playbook.comp.plans = vec![plan];
        fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
        fx.activity("s1", "2026-08-03", 600, 0);
        fx.accepted("s1", "a1", 18, "2026-08-05 15:00");
        report(&fx, "2026-08", &Quotas::default())
    };
    let r = build(false);
    let s = statement(&r, "s1", "2026-08");
    // Activity: 0.6 × 0.5 = 0.3 (decelerated) → 2083.333… × 0.2 × 0.3 = 125.00.
    // Meetings: 1 + 0.5 × 1.5 + 0.3 × 2 = 2.35 → 2083.333… × 0.5 × 2.35 = 2447.916… → 2447.92.
    // Pod revenue: 0 of 100000, below the threshold → 0.00. Total 125.00 + 2447.92 = 2572.92.
    let steps: Vec<(CurveStep, Decimal)> = s.lines.iter().map(|l| (l.step, l.factor)).collect();
    assert_eq!(
        steps,
        [
            (CurveStep::Decelerated, dec("0.3")),
            (CurveStep::Accelerated, dec("2.35")),
            (CurveStep::BelowThreshold, Decimal::ZERO),
        ]
    );
    assert_eq!(payouts(s), [dec("125.00"), dec("2447.92"), dec("0.00")]);
    assert_eq!(s.total, dec("2572.92"));
    // Retroactive: every point above 100% at 2×: 1 + 0.8 × 2 = 2.6 → 2083.333… × 0.5 × 2.6 =
    // 2708.333… → 2708.33; total 125.00 + 2708.33 = 2833.33.
    let r = build(true);
    let s = statement(&r, "s1", "2026-08");
    assert_eq!(line(s, CompMetric::AcceptedMeetings).factor, dec("2.6"));
    assert_eq!(s.total, dec("2833.33"));
}

#[test]
fn the_what_if_table_follows_the_tiers() {
    use crate::playbook::comp::Tier;
    let mut plan = sdr_plan();
    plan.components[1].curve.tiers = vec![
        Tier {
            from: dec("1"),
            rate: dec("1.5"),
        },
        Tier {
            from: dec("1.25"),
            rate: dec("2"),
        },
    ];
    let pay = |plan: &Plan| -> Vec<Decimal> {
        crate::comp::what_if(plan, &plan.components[1], 2)
            .iter()
            .map(|w| w.payout)
            .collect()
    };
    // On-target 25000 × 0.5 / 12 = 1041.666…. 50%: 520.83; 75%: 781.25; 100%: 1041.67;
    // 125%: 1 + 0.25 × 1.5 = 1.375 → 1432.29; 150%: 1.375 + 0.25 × 2 = 1.875 → 1953.125 →
    // 1953.13.
    assert_eq!(
        pay(&plan),
        [
            dec("520.83"),
            dec("781.25"),
            dec("1041.67"),
            dec("1432.29"),
            dec("1953.13")
        ]
    );
    // Retroactive: 150% pays all 50 points at 2: factor 2 = the cap → 2083.33.
    plan.components[1].curve.retroactive = true;
    assert_eq!(pay(&plan)[4], dec("2083.33"));
}

#[test]
fn each_line_says_what_it_takes_to_reach_the_next_step_in_the_plans_words() {
    let mut fx = sdr_team();
    fx.ds.playbook.comp.plans[0].components[1].label = Some("  Meetings held and accepted ".into());
    let r = report(&fx, "2026-08", &Quotas::default());
    let next = |rep: &str, m: CompMetric| line(statement(&r, rep, "2026-08"), m).next_step.clone();
    let s = statement(&r, "s-below", "2026-08");
    // The plan's label, trimmed; no label: the metric's plain-words name, never its id.
    let labels: Vec<&str> = s.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Activity points",
            "Meetings held and accepted",
            "Pod's closed-won revenue"
        ]
    );
    // s-below: 4 of 10 meetings, below the 50% threshold: 5 meetings reach it, 1 more, and
    // pay 2083.333… × 0.5 × 0.5 = 520.833… → 520.83.
    let n = next("s-below", CompMetric::AcceptedMeetings).unwrap();
    assert_eq!(n.point, NextPoint::Threshold);
    assert_eq!((n.actual, n.more), (dec("5"), Some(dec("1"))));
    assert_eq!(n.payout, dec("520.83"));
    // $49,999.99 of $100,000: one cent more reaches the threshold: 2083.333… × 0.3 × 0.5 =
    // 312.50.
    let n = next("s-below", CompMetric::TeamWonAmount).unwrap();
    assert_eq!((n.actual, n.more), (dec("50000.00"), Some(dec("0.01"))));
    assert_eq!(n.payout, dec("312.50"));
    // s-threshold: 500 of 1,000 points, on the linear part: 1,000 reach 100%, 500 more, and
    // pay 2083.333… × 0.2 = 416.666… → 416.67.
    let n = next("s-threshold", CompMetric::ActivityPoints).unwrap();
    assert_eq!(n.point, NextPoint::Target);
    assert_eq!((n.actual, n.more), (dec("1000"), Some(dec("500"))));
    assert_eq!(n.payout, dec("416.67"));
    // s-accel: 12 of 10 meetings; the cap (2) is reached at 1 + 1/1.5 = 5/3 of 10 = 16.67
    // meetings, so 17 meetings, 5 more: 2083.333… × 0.5 × 2 = 2083.33.
    let n = next("s-accel", CompMetric::AcceptedMeetings).unwrap();
    assert_eq!(n.point, NextPoint::Cap);
    assert_eq!((n.actual, n.more), (dec("17"), Some(dec("5"))));
    assert_eq!(n.payout, dec("2083.33"));
    // ...and $130,000 of $100,000: the cap at 5/3 × 100,000 = 166,666.666… → $166,666.67.
    let n = next("s-accel", CompMetric::TeamWonAmount).unwrap();
    assert_eq!(n.actual, dec("166666.67"));
    // s-cap: 2,000 of 1,000 points is capped: nothing more to reach.
    assert_eq!(next("s-cap", CompMetric::ActivityPoints), None);
}

#[test]
fn a_pay_day_dates_each_statement_in_the_following_month() {
    let mut fx = sdr_team();
    // August's statements are paid in September, which has 30 days.
    for (day, expected) in [
        (Some(15), Some("2026-09-15")),
        (Some(31), Some("2026-09-30")),
        (None, None),
    ] {
        fx.ds.playbook.comp.plans[0].pay_day = day;
        let r = report(&fx, "2026-08", &Quotas::default());
        let s = statement(&r, "s-100", "2026-08");
        assert_eq!(s.pay_date, expected.map(super::day), "pay_day {day:?}");
    }
}

#[test]
fn lint_checks_the_pay_day() {
    use crate::error::Severity;
    use crate::input::comp_lint::lint;
    use crate::input::yaml_sources::Sources;
    let with_day = |name: &str, day: u32| {
        let mut p = sdr_plan();
        p.name = name.into();
        p.pay_day = Some(day);
        p
    };
    let mut pb = crate::playbook::Playbook::default();
    pb.comp.plans = vec![
        with_day("First", 1),
        with_day("Last", 31),
        with_day("Zero", 0),
        with_day("Past", 32),
    ];
    let mut diags = Vec::new();
    lint(&pb.comp, &pb, "playbook/", &Sources::default(), &mut diags);
    let got: Vec<(Severity, String)> = diags.into_iter().map(|d| (d.severity, d.message)).collect();
    let err = |plan: &str| {
        (
            Severity::Error,
            format!("plan `{plan}`: pay_day must be a day of the month, 1 to 31"),
        )
    };
    assert_eq!(got, [err("Zero"), err("Past")]);
}
