//! Manual adjustments of adjustments.csv on hand-counted statements (issue 23).

use super::sdr::sdr_team;
use super::*;
use crate::comp::comp_csv;
use crate::comp::statement::AdjustmentKind;
use crate::model::manual::ManualAdjustment;
use crate::model::quota::Quotas;

fn manual(
    rep: &str,
    period: &str,
    amount: &str,
    reason: &str,
    component: Option<CompMetric>,
    line: u64,
) -> ManualAdjustment {
    ManualAdjustment {
        rep_id: rep.into(),
        period: Period::parse(period).unwrap(),
        amount: dec(amount),
        reason: reason.into(),
        component,
        source: Source {
            file: "data/adjustments.csv".into(),
            line,
        },
    }
}

#[test]
fn manual_lines_are_added_with_their_reason_and_row() {
    let mut fx = sdr_team();
    fx.manual = vec![
        manual(
            "s-100",
            "2026-08",
            "250.00",
            "August call-blitz winner",
            None,
            2,
        ),
        manual(
            "s-100",
            "2026-08",
            "-40.5",
            "meeting counted twice in July",
            Some(CompMetric::AcceptedMeetings),
            3,
        ),
        // Another month: not on August's statement.
        manual("s-100", "2026-07", "99", "July referral", None, 4),
    ];
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s-100", "2026-08");
    // The lines at exactly 100%: 416.67 + 1041.67 + 625.00 = 2083.34 (sdr.rs); then
    // + 250.00 − 40.50 = 2292.84.
    assert_eq!(s.earned, dec("2083.34"));
    let got: Vec<(AdjustmentKind, Decimal, &str)> = s
        .adjustments
        .iter()
        .map(|a| (a.kind, a.amount, a.label.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                AdjustmentKind::Manual,
                dec("250.00"),
                "August call-blitz winner"
            ),
            (
                AdjustmentKind::Manual,
                dec("-40.5"),
                "accepted_meetings: meeting counted twice in July"
            ),
        ]
    );
    assert_eq!(s.adjustments[1].sources[0].line, 3);
    assert_eq!(s.total, dec("2292.84"));
    // comp.csv: the rows of the statement sum to its total, the manual rows say why.
    let csv = comp_csv(&r);
    let rows: Vec<Vec<String>> = csv_rows(&csv)
        .into_iter()
        .filter(|r| r[0] == "s-100" && r[4] == "2026-08")
        .collect();
    let sum: Decimal = rows.iter().map(|r| dec(&r[22])).sum();
    assert_eq!(sum, dec("2292.84"));
    let last = rows.last().unwrap();
    assert_eq!(
        (&*last[14], &*last[22], &*last[23], &*last[24]),
        (
            "manual",
            "-40.50",
            "data/adjustments.csv:3",
            "accepted_meetings: meeting counted twice in July"
        )
    );
}

#[test]
fn a_month_s_adjustment_goes_on_the_quarter_that_holds_it() {
    // A quarterly plan pays 2026-Q3; an adjustment for 2026-08 belongs to it.
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.payout_period = PayoutPeriod::Quarterly;
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("s1", Role::Sdr, "P1", "2025-01-01", None);
    fx.manual = vec![manual("s1", "2026-08", "100", "referral fee", None, 2)];
    let r = report(&fx, "2026-08", &Quotas::default());
    let s = statement(&r, "s1", "2026-Q3");
    // Nothing done in the quarter: 0 earned, + 100 = 100.
    assert_eq!((s.earned, s.total), (Decimal::ZERO, dec("100")));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// An adjustment for a payout period outside the build's (here the month after it) is another
/// build's to pay or warn about: no warning in this one.
#[test]
fn an_adjustment_of_the_next_period_is_not_this_build_s() {
    let mut fx = sdr_team();
    fx.manual = vec![manual("ae", "2026-09", "500", "SPIFF", None, 7)];
    let r = report(&fx, "2026-08", &Quotas::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn an_adjustment_no_statement_can_take_is_a_warning() {
    // The AE has no plan in August: the adjustment cannot be paid, and the build says so.
    let mut fx = sdr_team();
    fx.manual = vec![manual("ae", "2026-08", "500", "SPIFF", None, 7)];
    let r = report(&fx, "2026-08", &Quotas::default());
    assert!(
        r.warnings.contains(
            &"data/adjustments.csv:7: adjustment for rep `ae`, 2026-08, matches no statement of the rep (no plan paid them in that payout period); not paid".to_string()
        ),
        "{:?}",
        r.warnings
    );
}
