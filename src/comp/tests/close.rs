//! Closed periods, worked by hand (docs/comp.md, "Closing a period").

use std::collections::BTreeMap;

use super::*;
use crate::comp::close::{freeze, statements_with_closed, validate, Closed};
use crate::comp::AdjustmentKind;

/// An AE on own won revenue: $60k variable ($5,000 a month) at $50,000 a month, clawing back
/// deals reversed within 90 days. July: O1 and O2 at $30,000 each; August: O3 at $50,000.
fn ae_team() -> Fx {
    let mut fx = Fx::new();
    let mut plan = sdr_plan();
    plan.name = "AE revenue".into();
    plan.roles = vec![Role::Ae];
    plan.annual_variable = dec("60000");
    plan.components = vec![component(
        CompMetric::WonAmount,
        Category::Revenue,
        "1",
        "50000",
    )];
    plan.clawback_days = Some(90);
    fx.ds.playbook.comp.plans = vec![plan];
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx.won("O1", None, "a1", "30000", "2026-07-10");
    fx.won("O2", None, "a1", "30000", "2026-07-20");
    fx.won("O3", None, "a1", "50000", "2026-08-15");
    fx
}

/// July closed on 1 August, read back from its JSON as a build reads it.
fn close_july(fx: &Fx) -> BTreeMap<Period, Closed> {
    let july = Period::parse("2026-07").unwrap();
    let c = freeze(
        &report(fx, "2026-07", &Quotas::default()),
        &july,
        day("2026-08-01"),
        "fnv1a64:0000000000000001",
        Vec::new(),
    );
    let text = serde_json::to_string(&c).unwrap();
    let back: Closed = serde_json::from_str(&text).unwrap();
    validate(&back, &july).unwrap();
    BTreeMap::from([(july, back)])
}

fn with_closed(fx: &Fx, period: &str, closed: &BTreeMap<Period, Closed>) -> CompReport {
    statements_with_closed(
        &fx.ds,
        &Period::parse(period).unwrap(),
        at(AS_OF),
        &Quotas::default(),
        &fx.manual,
        closed,
    )
}

#[test]
fn a_closed_statement_reads_back_exactly_and_a_wrong_file_is_named() {
    let fx = ae_team();
    let closed = close_july(&fx);
    let c = &closed[&Period::parse("2026-07").unwrap()];
    // July: 60,000 / 50,000 = 1.2 → 1 + 0.2 × 1.5 = 1.3 → 5,000 × 1.3 = 6,500.00.
    assert_eq!(c.statements.len(), 1);
    assert_eq!(c.statements[0].total, dec("6500.00"));
    assert_eq!(c.statements[0].closed_on, Some(day("2026-08-01")));
    let text = serde_json::to_string(c).unwrap();
    assert!(
        text.contains("\"total\":\"6500.00\""),
        "exact decimal strings: {text}"
    );
    let aug = Period::parse("2026-08").unwrap();
    assert_eq!(
        validate(c, &aug).unwrap_err(),
        "holds period 2026-07 but is named 2026-08.json"
    );
    let mut newer = c.clone();
    newer.baton_closed_period = 2;
    assert!(validate(&newer, &c.period)
        .unwrap_err()
        .contains("format 2"));
    // A build of July shows the frozen statement even when the data changed since.
    let mut later = ae_team();
    later.won("O4", None, "a1", "20000", "2026-07-25");
    let july = with_closed(&later, "2026-07", &closed);
    let j = statement(&july, "a1", "2026-07");
    assert_eq!(
        (j.total, j.closed_on),
        (dec("6500.00"), Some(day("2026-08-01")))
    );
    assert_eq!(j.lines[0].actual, dec("60000"));
}

#[test]
fn a_deal_added_to_a_closed_period_is_paid_on_the_next_statement() {
    let fx = ae_team();
    let closed = close_july(&fx);
    let mut later = ae_team();
    later.won("O4", None, "a1", "20000", "2026-07-25");
    // July recomputed: 80,000 / 50,000 = 1.6 → 1 + 0.6 × 1.5 = 1.9 → 9,500.00, i.e.
    // 3,000.00 more than the closed 6,500.00. August: 50,000 / 50,000 = 1 → 5,000.00.
    let aug = with_closed(&later, "2026-08", &closed);
    let a = statement(&aug, "a1", "2026-08");
    assert_eq!(payouts(a), [dec("5000.00")]);
    assert_eq!(a.adjustments.len(), 1);
    let p = &a.adjustments[0];
    assert_eq!(
        (p.kind, p.amount),
        (AdjustmentKind::PriorPeriod, dec("3000.00"))
    );
    assert_eq!(
        p.label,
        "prior-period adjustment for 2026-07 (closed on 2026-08-01): recomputed 9500.00 − \
         closed 6500.00; won_amount 6500.00 → 9500.00"
    );
    // O4 is the fourth row written: line 5 of opportunities.csv.
    assert_eq!(
        p.sources
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["data/opportunities.csv:5"]
    );
    assert_eq!(a.total, dec("8000.00"));
    // Unchanged data: no line.
    let same = with_closed(&fx, "2026-08", &closed);
    assert!(statement(&same, "a1", "2026-08").adjustments.is_empty());
}

/// A build shows the closed statements of its own period only: July's, closed, in July's
/// build; not in August's, which starts the day July ends, nor in June's.
#[test]
fn a_closed_statement_shows_only_in_builds_that_overlap_its_period() {
    let fx = ae_team();
    let closed = close_july(&fx);
    let periods = |period: &str| {
        with_closed(&fx, period, &closed)
            .statements
            .iter()
            .map(|s| s.payout_period.label())
            .collect::<Vec<_>>()
    };
    // a1's statements: July's (closed) in July's build; August's only in August's (July ends
    // at the first instant of August); June's only in June's (July starts where June ends).
    assert_eq!(periods("2026-07"), ["2026-07"]);
    assert_eq!(periods("2026-08"), ["2026-08"]);
    assert_eq!(periods("2026-06"), ["2026-06"]);
}

#[test]
fn a_deal_reversed_after_its_period_closed_is_taken_back_once() {
    let fx = ae_team();
    let closed = close_july(&fx);
    let mut later = ae_team();
    later.ds.opportunities[1].reversed_at = Some(day("2026-08-05"));
    // The clawback never rewrites July, so July recomputes to its closed 6,500.00: August has
    // the clawback (6,500.00 − 3,000.00 without O2 = −3,500.00) and no prior-period line.
    let aug = with_closed(&later, "2026-08", &closed);
    let a = statement(&aug, "a1", "2026-08");
    let kinds: Vec<_> = a.adjustments.iter().map(|x| (x.kind, x.amount)).collect();
    assert_eq!(kinds, [(AdjustmentKind::Clawback, dec("-3500.00"))]);
    assert_eq!(a.total, dec("1500.00"));
}

/// An AE on $60,000 of variable pay a year ($5,000 a month, $15,000 a quarter) on own won
/// revenue, $50,000 a month or $150,000 a quarter: monthly through `switch − 1 day`, then
/// quarterly (or the reverse with `monthly_first: false`).
fn switching(switch: &str, monthly_first: bool) -> Fx {
    let mut fx = Fx::new();
    let plan = |name: &str, kind: PayoutPeriod, target: &str| {
        let mut p = sdr_plan();
        p.name = name.into();
        p.roles = vec![Role::Ae];
        p.annual_variable = dec("60000");
        p.payout_period = kind;
        p.components = vec![component(
            CompMetric::WonAmount,
            Category::Revenue,
            "1",
            target,
        )];
        p
    };
    let mut monthly = plan("AE monthly", PayoutPeriod::Monthly, "50000");
    let mut quarterly = plan("AE quarterly", PayoutPeriod::Quarterly, "150000");
    let (first, second) = if monthly_first {
        (&mut monthly, &mut quarterly)
    } else {
        (&mut quarterly, &mut monthly)
    };
    first.effective_to = Some(day(switch).pred_opt().unwrap());
    second.effective_from = day(switch);
    fx.ds.playbook.comp.plans = vec![monthly, quarterly];
    fx.rep("a1", Role::Ae, "PA", "2024-01-01", None);
    fx
}

/// `period` closed at `as_of` (the end of its last day), with the periods closed before it,
/// read back from its JSON as a build reads it.
fn close(fx: &Fx, period: &str, as_of: &str, closed: &mut BTreeMap<Period, Closed>) {
    let p = Period::parse(period).unwrap();
    let report = statements_with_closed(
        &fx.ds,
        &p,
        at(as_of),
        &Quotas::default(),
        &fx.manual,
        closed,
    );
    let c = freeze(
        &report,
        &p,
        day(&as_of[..10]),
        "fnv1a64:0000000000000001",
        Vec::new(),
    );
    let back: Closed = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    closed.insert(p, back);
}

fn build_at(fx: &Fx, period: &str, as_of: &str, closed: &BTreeMap<Period, Closed>) -> CompReport {
    statements_with_closed(
        &fx.ds,
        &Period::parse(period).unwrap(),
        at(as_of),
        &Quotas::default(),
        &fx.manual,
        closed,
    )
}

fn prior(s: &Statement) -> Vec<(Decimal, String)> {
    s.adjustments
        .iter()
        .filter(|a| a.kind == AdjustmentKind::PriorPeriod)
        .map(|a| (a.amount, a.label.clone()))
        .collect()
}

#[test]
fn a_closed_month_settles_on_the_next_quarter_when_the_plan_turns_quarterly() {
    let mut fx = switching("2026-10-01", true);
    // September: 50,000 / 50,000 = 1 → 5,000.00, closed on 30 September.
    fx.won("O1", None, "a1", "50000", "2026-09-10");
    let mut closed = BTreeMap::new();
    close(&fx, "2026-09", "2026-09-30 23:59", &mut closed);
    assert_eq!(
        closed.values().next().unwrap().statements[0].total,
        dec("5000.00")
    );
    // Q4: 150,000 / 150,000 = 1 → 15,000.00.
    fx.won("O3", None, "a1", "150000", "2026-11-05");
    // Added after the close: September recomputes to 60,000 / 50,000 = 1.2 → 1 + 0.2 × 1.5 =
    // 1.3 → 6,500.00, 1,500.00 more than closed.
    fx.won("O2", None, "a1", "10000", "2026-09-20");
    let q4 = build_at(&fx, "2026-Q4", "2026-12-31 23:59", &closed);
    let s = statement(&q4, "a1", "2026-Q4");
    assert_eq!(payouts(s), [dec("15000.00")]);
    assert_eq!(
        prior(s),
        [(
            dec("1500.00"),
            "prior-period adjustment for 2026-09 (closed on 2026-09-30): recomputed 6500.00 − \
             closed 5000.00; won_amount 5000.00 → 6500.00"
                .to_string()
        )]
    );
    // 15,000.00 + 1,500.00.
    assert_eq!(s.total, dec("16500.00"));
    assert!(q4.warnings.is_empty(), "{:?}", q4.warnings);
}

#[test]
fn a_closed_quarter_settles_on_the_next_month_when_the_plan_turns_monthly() {
    let mut fx = switching("2026-10-01", false);
    // Q3: 150,000 / 150,000 = 1 → 15,000.00, closed on 30 September.
    fx.won("O1", None, "a1", "150000", "2026-08-10");
    let mut closed = BTreeMap::new();
    close(&fx, "2026-Q3", "2026-09-30 23:59", &mut closed);
    // October: 50,000 / 50,000 = 1 → 5,000.00.
    fx.won("O3", None, "a1", "50000", "2026-10-05");
    // Added after the close: Q3 recomputes to 165,000 / 150,000 = 1.1 → 1 + 0.1 × 1.5 = 1.15
    // → 17,250.00, 2,250.00 more than closed.
    fx.won("O2", None, "a1", "15000", "2026-09-20");
    let oct = build_at(&fx, "2026-10", "2026-10-31 23:59", &closed);
    let s = statement(&oct, "a1", "2026-10");
    assert_eq!(payouts(s), [dec("5000.00")]);
    assert_eq!(prior(s).len(), 1);
    assert_eq!(prior(s)[0].0, dec("2250.00"));
    // 5,000.00 + 2,250.00.
    assert_eq!(s.total, dec("7250.00"));
    // November is not right after Q3: nothing more.
    let nov = build_at(&fx, "2026-11", "2026-11-30 23:59", &closed);
    assert!(prior(statement(&nov, "a1", "2026-11")).is_empty());
}

#[test]
fn a_quarter_after_two_closed_months_pays_their_difference_once() {
    // Monthly through August, quarterly from 1 September: Q3's statement covers September.
    let mut fx = switching("2026-09-01", true);
    // July: 50,000 → 5,000.00, closed; August: 25,000 / 50,000 = 0.5 → 2,500.00, closed.
    fx.won("O1", None, "a1", "50000", "2026-07-10");
    fx.won("O2", None, "a1", "25000", "2026-08-10");
    let mut closed = BTreeMap::new();
    close(&fx, "2026-07", "2026-07-31 23:59", &mut closed);
    close(&fx, "2026-08", "2026-08-31 23:59", &mut closed);
    // Added to July after both closed: 60,000 → 1.3 → 6,500.00, +1,500.00. August recomputed
    // carries it (2,500.00 + 1,500.00 = 4,000.00 against the closed 2,500.00), so Q3 takes
    // August's difference, 1,500.00, and not July's as well.
    fx.won("O4", None, "a1", "10000", "2026-07-20");
    let q3 = build_at(&fx, "2026-Q3", "2026-09-30 23:59", &closed);
    let s = statement(&q3, "a1", "2026-Q3");
    // September under the quarterly plan: no deal, 0 → below the threshold → 0.00.
    assert_eq!(payouts(s), [dec("0.00")]);
    let lines = prior(s);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, dec("1500.00"));
    assert!(lines[0]
        .1
        .starts_with("prior-period adjustment for 2026-08 (closed on 2026-08-31): recomputed 4000.00 − closed 2500.00"));
    assert_eq!(s.total, dec("1500.00"));
}

#[test]
fn a_difference_is_paid_once_when_a_month_and_a_quarter_both_follow_the_closed_period() {
    // Quarterly through 15 July, monthly from the 16th: the third quarter's build has a
    // quarterly statement for 1-15 July and monthly ones for the rest, and both the quarter
    // and July hold 1 July, the day after the closed second quarter.
    let mut fx = switching("2026-07-16", false);
    // Q2: 150,000 / 150,000 = 1 → 15,000.00, closed on 30 June.
    fx.won("O1", None, "a1", "150000", "2026-05-10");
    let mut closed = BTreeMap::new();
    close(&fx, "2026-Q2", "2026-06-30 23:59", &mut closed);
    // Added after the close: 165,000 / 150,000 = 1.1 → 1.15 → 17,250.00, +2,250.00.
    fx.won("O2", None, "a1", "15000", "2026-06-20");
    let q3 = build_at(&fx, "2026-Q3", "2026-09-30 23:59", &closed);
    let lines: Vec<(String, Decimal)> = q3
        .statements
        .iter()
        .flat_map(|s| {
            prior(s)
                .into_iter()
                .map(|(a, _)| (s.payout_period.label(), a))
        })
        .collect();
    // Once, on the statement whose window holds 1 July: the quarter's (1-15 July).
    assert_eq!(lines, [("2026-Q3".to_string(), dec("2250.00"))]);
    assert!(q3.warnings.is_empty(), "{:?}", q3.warnings);
}
