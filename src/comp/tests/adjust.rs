//! Draws and clawbacks, worked by hand (docs/comp.md, "Draws" and "Clawbacks").

use super::*;
use crate::comp::payroll::comp_csv;
use crate::comp::{AdjustmentKind, CurveStep};

/// An AE paid only on own won revenue: $60k variable ($5,000 a month) at $50,000 a month,
/// clawing back deals reversed within 90 days.
fn revenue_plan() -> Plan {
    Plan {
        name: "AE revenue".into(),
        roles: vec![Role::Ae],
        reps: Vec::new(),
        effective_from: day("2026-01-01"),
        effective_to: None,
        base_salary: dec("90000"),
        annual_variable: dec("60000"),
        payout_period: PayoutPeriod::Monthly,
        components: vec![component(
            CompMetric::WonAmount,
            Category::Revenue,
            "1",
            "50000",
        )],
        draw: None,
        clawback_days: Some(90),
        pay_day: None,
    }
}

fn kinds(s: &Statement) -> Vec<(AdjustmentKind, Decimal)> {
    s.adjustments.iter().map(|a| (a.kind, a.amount)).collect()
}

/// a1 wins O1 and O2 ($30,000 each) in July and O3 ($50,000) in August; O2 is reversed on
/// 5 August, 16 days after it closed.
fn reversal(reversed: &str) -> Fx {
    let mut fx = Fx::new();
    fx.ds.playbook.comp.plans = vec![revenue_plan()];
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx.won("O1", None, "a1", "30000", "2026-07-10");
    fx.won("O2", None, "a1", "30000", "2026-07-20");
    fx.ds.opportunities[1].reversed_at = Some(day(reversed));
    fx.won("O3", None, "a1", "50000", "2026-08-15");
    fx
}

#[test]
fn a_reversed_deal_is_clawed_back_on_the_next_statement() {
    let fx = reversal("2026-08-05");
    // July, as paid: 60,000 / 50,000 = 1.2 → 1 + 0.2 × 1.5 = 1.3 → 5,000 × 1.3 = 6,500.00.
    // The reversal is in August, so July's statement stays as it was paid.
    let july = report(&fx, "2026-07", &Quotas::default());
    let j = statement(&july, "a1", "2026-07");
    assert_eq!((j.total, j.adjustments.len()), (dec("6500.00"), 0));
    // August: O3 50,000 / 50,000 = 1.0 → 5,000.00. Without O2, July would have been
    // 30,000 / 50,000 = 0.6 → 3,000.00: the clawback is 6,500.00 − 3,000.00 = 3,500.00.
    let aug = report(&fx, "2026-08", &Quotas::default());
    let a = statement(&aug, "a1", "2026-08");
    assert_eq!(payouts(a), [dec("5000.00")]);
    assert_eq!(kinds(a), [(AdjustmentKind::Clawback, dec("-3500.00"))]);
    assert_eq!((a.earned, a.total), (dec("5000.00"), dec("1500.00")));
    // Linked to the deal by its source line, and explained.
    let c = &a.adjustments[0];
    assert_eq!(c.sources, [fx.ds.opportunities[1].source.clone()]);
    assert_eq!(
        c.label,
        "clawback: opportunity O2 won 2026-07-20 for 30000.00 was reversed on 2026-08-05, 16 days later (plan `AE revenue` claws back within 90 days); its 2026-07 statement paid won_amount 6500.00 → 3000.00 without it"
    );
    // comp.csv still sums to the statement: 5000.00 − 3500.00 = 1500.00.
    let csv = comp_csv(&aug);
    let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("a1,")).collect();
    assert_eq!(
        rows[0],
        "a1,,Name of a1,AE revenue,2026-08,2026-08-01,2026-08-31,31,31,31,final,2026-08-31,USD,5000,won_amount,rep,1,50000,50000,1,linear,1,5000.00,,"
    );
    // The clawback row names the deal's row and says why.
    assert!(rows[1].starts_with(
        "a1,,Name of a1,AE revenue,2026-08,2026-08-01,2026-08-31,31,31,31,final,2026-08-31,USD,5000,clawback,,,,,,,,-3500.00,data/opportunities.csv:3,\"clawback: opportunity O2 won 2026-07-20"
    ), "{}", rows[1]);
}

#[test]
fn no_clawback_outside_the_window_after_as_of_or_without_the_clause() {
    // 16 days after closing is outside a 10-day window.
    let mut fx = reversal("2026-08-05");
    fx.ds.playbook.comp.plans[0].clawback_days = Some(10);
    let a = report(&fx, "2026-08", &Quotas::default());
    assert!(statement(&a, "a1", "2026-08").adjustments.is_empty());
    // A plan without clawback_days never claws back.
    fx.ds.playbook.comp.plans[0].clawback_days = None;
    let a = report(&fx, "2026-08", &Quotas::default());
    assert!(statement(&a, "a1", "2026-08").adjustments.is_empty());
    // A reversal after as_of (31 August) is not known yet.
    let fx = reversal("2026-09-02");
    let a = report(&fx, "2026-08", &Quotas::default());
    assert!(statement(&a, "a1", "2026-08").adjustments.is_empty());
}

#[test]
fn every_statement_that_counted_the_deal_gives_back_its_share() {
    // s1 (same pod, the SDR hybrid plan with a 30-day clawback) was paid on the pod's revenue.
    let mut fx = reversal("2026-08-05");
    let mut sdr = sdr_plan();
    sdr.clawback_days = Some(30);
    fx.ds.playbook.comp.plans.push(sdr);
    fx.rep("s1", Role::Sdr, "PA", "2024-01-01", None);
    let aug = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&aug, "s1", "2026-08");
    // July pod revenue 60,000 / 100,000 = 0.6 → 2,083.33… × 0.3 × 0.6 = 375.00; without O2,
    // 0.3 is below the 0.5 threshold → 0.00: clawback 375.00. August: 50,000 / 100,000 = 0.5
    // (exactly the threshold, paid) → 2,083.33… × 0.3 × 0.5 = 312.50.
    assert_eq!(line(s, CompMetric::TeamWonAmount).step, CurveStep::Linear);
    assert_eq!(s.earned, dec("312.50"));
    assert_eq!(kinds(s), [(AdjustmentKind::Clawback, dec("-375.00"))]);
    // The statement nets to less than nothing: the rep owes 62.50, shown as such.
    assert_eq!(s.total, dec("-62.50"));
}

/// s-new starts on 15 July on the SDR plan with a draw of $1,500 a month for two months.
fn ramping(recoverable: bool) -> Fx {
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.draw = Some(Draw {
        amount: dec("1500"),
        months: 2,
        recoverable,
    });
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("s-new", Role::Sdr, "PD", "2026-07-15", None);
    // Nothing in July; in August 2,000 activity points and 20 accepted meetings.
    fx.activity("s-new", "2026-08-03", 2000, 0);
    fx.accepted("s-new", "ae-PD", 20, "2026-08-10 15:00");
    fx
}

#[test]
fn a_draw_tops_up_the_first_months() {
    let fx = ramping(true);
    let july = report(&fx, "2026-07", &Quotas::default());
    let j = statement(&july, "s-new", "2026-07");
    // Employed 17 of 31 days, all in the draw: 1,500 × 17 / 31 = 822.580… → 822.58; nothing
    // earned, so the draw pays all of it.
    assert_eq!(j.earned, dec("0.00"));
    assert_eq!(kinds(j), [(AdjustmentKind::Draw, dec("822.58"))]);
    assert_eq!(j.total, dec("822.58"));
    assert_eq!(
        j.adjustments[0].label,
        "recoverable draw: 822.58 guaranteed until 2026-09-15, 0.00 earned"
    );
}

#[test]
fn a_recoverable_draw_is_recovered_from_earnings_above_it() {
    let aug = report(&ramping(true), "2026-08", &Quotas::default());
    let a = statement(&aug, "s-new", "2026-08");
    // Activity 2,000 / 1,000 = 2 → 2.5, capped at 2 → 2,083.33… × 0.2 × 2 = 833.33;
    // meetings 20 / 10 → capped → 2,083.33… × 0.5 × 2 = 2,083.33; pod revenue 0 → 0.
    // Earned 2,916.66, 1,416.66 above August's 1,500.00 guarantee: July's 822.58 advance is
    // recovered in full. Total 2,916.66 − 822.58 = 2,094.08.
    assert_eq!(a.earned, dec("2916.66"));
    assert_eq!(kinds(a), [(AdjustmentKind::DrawRecovery, dec("-822.58"))]);
    assert_eq!(a.total, dec("2094.08"));
    assert_eq!(
        a.adjustments[0].label,
        "draw recovered: 822.58 of the 822.58 advanced, from 1416.66 earned above the 1500.00 guaranteed"
    );
    let csv = comp_csv(&aug);
    let sum: Decimal = csv_payouts(&csv, "s-new").iter().map(|p| dec(p)).sum();
    assert_eq!(sum, a.total, "comp.csv sums to the statement");
    // A non-recoverable draw is kept.
    let kept = report(&ramping(false), "2026-08", &Quotas::default());
    let k = statement(&kept, "s-new", "2026-08");
    assert!(k.adjustments.is_empty());
    assert_eq!(k.total, dec("2916.66"));
}

/// The SDR plan with a recoverable draw of 1,500.00 a month for a rep's first three months.
fn recoverable_draw_team() -> Fx {
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.draw = Some(Draw {
        amount: dec("1500"),
        months: 3,
        recoverable: true,
    });
    fx.ds.playbook.comp.plans = vec![plan];
    fx
}

/// A month of 2026 in which `rep` earns 2,916.66 (as in
/// a_recoverable_draw_is_recovered_from_earnings_above_it: 2,000 points and 20 accepted
/// meetings, 833.33 + 2,083.33 + 0).
fn full_month(fx: &mut Fx, rep: &str, month: &str) {
    fx.activity(rep, &format!("2026-{month}-06"), 2000, 0);
    for i in 0..20 {
        let lead = format!("{rep}-{month}-{i}");
        let (at, held) = (
            format!("2026-{month}-04 10:00"),
            format!("2026-{month}-08 15:00"),
        );
        fx.handoff(&lead, rep, "ae-PD", &at, Decision::Accepted, None);
        fx.meeting(&lead, &held, MeetingStatus::Held);
    }
}

/// The balance a recoverable draw recovers is what was advanced and not yet recovered: a
/// month earned above the guarantee before any advance recovers nothing and leaves nothing
/// owed either way (issue 25: a balance that went below 0 there passed every test).
#[test]
fn a_month_above_the_guarantee_before_any_advance_does_not_lower_the_later_balance() {
    let mut fx = recoverable_draw_team();
    // Employed from 1 May: May, June and July are guaranteed 1,500.00 each.
    fx.rep("s-r", Role::Sdr, "PD", "2026-05-01", None);
    // May and July: 2,000 points and 20 accepted meetings, earned 2,916.66 each (as in
    // a_recoverable_draw_is_recovered_from_earnings_above_it: 833.33 + 2,083.33 + 0).
    // June: nothing.
    for month in ["05", "07"] {
        full_month(&mut fx, "s-r", month);
    }
    // May: 1,416.66 above the guarantee with nothing advanced: no line, balance 0.
    let may = report(&fx, "2026-05", &Quotas::default());
    let m = statement(&may, "s-r", "2026-05");
    assert_eq!((m.earned, m.adjustments.len()), (dec("2916.66"), 0));
    // June: 0 earned, topped up 1,500.00; balance 1,500.00.
    let june = report(&fx, "2026-06", &Quotas::default());
    assert_eq!(
        kinds(statement(&june, "s-r", "2026-06")),
        [(AdjustmentKind::Draw, dec("1500.00"))]
    );
    // July: 1,416.66 above the guarantee recovers min(1,500.00, 1,416.66) = 1,416.66; total
    // 2,916.66 − 1,416.66 = 1,500.00.
    let july = report(&fx, "2026-07", &Quotas::default());
    let j = statement(&july, "s-r", "2026-07");
    assert_eq!(kinds(j), [(AdjustmentKind::DrawRecovery, dec("-1416.66"))]);
    assert_eq!(j.total, dec("1500.00"));
}

/// A month that earned something but less than the guarantee advances only the difference,
/// and that difference is all a later month recovers (issue 25, mutants: adding the earnings
/// to the balance instead of subtracting them passed every test).
#[test]
fn a_partly_earned_month_advances_and_later_recovers_only_the_difference() {
    let mut fx = recoverable_draw_team();
    fx.rep("s-p", Role::Sdr, "PD", "2026-06-01", None);
    // June: 1,000 points, attainment 1, factor 1: 2,083.33… × 0.2 = 416.67; no meeting.
    // Topped up to the 1,500.00 guarantee: 1,500.00 − 416.67 = 1,083.33 advanced.
    fx.activity("s-p", "2026-06-10", 1000, 0);
    // July: 2,000 points and 20 accepted meetings, 2,916.66 earned (as above), 1,416.66
    // above the guarantee: it recovers min(1,083.33, 1,416.66) = 1,083.33, total 1,833.33.
    // August the same as July: nothing is left to recover, so no line; total 2,916.66.
    for month in ["07", "08"] {
        full_month(&mut fx, "s-p", month);
    }
    let june = report(&fx, "2026-06", &Quotas::default());
    let jn = statement(&june, "s-p", "2026-06");
    assert_eq!(jn.earned, dec("416.67"));
    assert_eq!(kinds(jn), [(AdjustmentKind::Draw, dec("1083.33"))]);
    let july = report(&fx, "2026-07", &Quotas::default());
    let j = statement(&july, "s-p", "2026-07");
    assert_eq!(j.earned, dec("2916.66"));
    assert_eq!(kinds(j), [(AdjustmentKind::DrawRecovery, dec("-1083.33"))]);
    assert_eq!(j.total, dec("1833.33"));
    let august = report(&fx, "2026-08", &Quotas::default());
    let a = statement(&august, "s-p", "2026-08");
    assert_eq!((a.earned, a.total), (dec("2916.66"), dec("2916.66")));
    assert!(a.adjustments.is_empty(), "{:?}", kinds(a));
}

#[test]
fn lint_checks_draws() {
    use crate::error::Severity;
    use crate::input::comp_lint::lint;
    use crate::input::yaml_sources::Sources;
    let with_draw = |name: &str, amount: &str, months: u32| {
        let mut p = sdr_plan();
        p.name = name.into();
        p.draw = Some(Draw {
            amount: dec(amount),
            months,
            recoverable: true,
        });
        p
    };
    let mut pb = Playbook::default();
    pb.comp.plans = vec![
        with_draw("Fine", "1500", 2),
        with_draw("No months", "1500", 0),
        // 25,000 / 12 = 2,083.33 a month.
        with_draw("Too generous", "2100", 3),
    ];
    let mut diags = Vec::new();
    lint(&pb.comp, &pb, "playbook/", &Sources::default(), &mut diags);
    let got: Vec<(Severity, String)> = diags.into_iter().map(|d| (d.severity, d.message)).collect();
    assert_eq!(
        got,
        [
            (Severity::Error, "plan `No months`: a draw needs an amount above 0 and at least one month".to_string()),
            (Severity::Warning, "plan `Too generous`: the draw of 2100 a month is above the monthly variable target 2083.33: a ramping rep is guaranteed more than on-target pay".to_string()),
        ]
    );
}

/// s-new (start 15 July, non-recoverable draw of 1,500 a month for two months, 30-day
/// clawback) with 2,000 activity points in August and a pod deal of `amount` closed on
/// 20 August and reversed on 5 September; the September statement as of 30 September.
fn topped_up_then_reversed(amount: &str) -> CompReport {
    let mut fx = ramping(false);
    fx.ds.handoffs.clear();
    fx.ds.meetings.clear();
    fx.ds.playbook.comp.plans[0].clawback_days = Some(30);
    fx.rep("ae-PD", Role::Ae, "PD", "2024-01-01", None);
    fx.won("O1", None, "ae-PD", amount, "2026-08-20");
    fx.ds.opportunities[0].reversed_at = Some(day("2026-09-05"));
    crate::comp::statements(
        &fx.ds,
        &Period::parse("2026-09").unwrap(),
        at("2026-09-30 23:59"),
        &Quotas::default(),
        &[],
    )
}

#[test]
fn a_clawback_takes_back_only_what_the_deal_added_above_a_non_recoverable_draw() {
    // August with a 60,000 deal: activity 2,000 / 1,000 → capped → 833.33; pod 0.6 → 375.00;
    // earned 1,208.33, topped up to the 1,500.00 guarantee. Without the deal: 833.33, also
    // topped up to 1,500.00. The deal added 0.00, so nothing is clawed back. September:
    // nothing earned, draw days 1-14 September: 1,500 × 14 / 30 = 700.00.
    let r = topped_up_then_reversed("60000");
    let s = statement(&r, "s-new", "2026-09");
    assert_eq!(kinds(s), [(AdjustmentKind::Draw, dec("700.00"))]);
    assert_eq!(s.total, dec("700.00"));
    // A 130,000 deal: pod 1.3 → 1.45 → 2,083.33… × 0.3 × 1.45 = 906.25; earned 833.33 +
    // 906.25 = 1,739.58 above the guarantee; without it 833.33 → 1,500.00. The deal added
    // 1,739.58 − 1,500.00 = 239.58, not the line's 906.25.
    let r = topped_up_then_reversed("130000");
    let s = statement(&r, "s-new", "2026-09");
    assert_eq!(
        kinds(s),
        [
            (AdjustmentKind::Draw, dec("700.00")),
            (AdjustmentKind::Clawback, dec("-239.58"))
        ]
    );
    assert!(
        s.adjustments[1].label.ends_with(
            "it paid 1739.58 with the deal and 1500.00 without: 1739.58 − 1500.00 = 239.58"
        ),
        "{}",
        s.adjustments[1].label
    );
}
