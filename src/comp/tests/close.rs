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
