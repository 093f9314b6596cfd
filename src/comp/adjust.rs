//! Adjustments after a statement's component lines: draws for ramping reps and clawbacks of
//! reversed deals (docs/comp.md, "Draws" and "Clawbacks").
//!
//! - **Draw**: during the first `draw.months` from the rep's start date a statement whose
//!   component lines earn less than the guaranteed amount is topped up to it. A recoverable
//!   draw keeps a balance of top-ups, recovered from later statements' earnings above the
//!   guarantee (after the draw months, from all their earnings).
//! - **Clawback**: a won deal reversed (`reversed_at`) at most the paying plan's
//!   `clawback_days` after its close date is taken back on the statement whose window holds
//!   the reversal day: the payout its statement had because of the deal (that statement's
//!   line payouts with the deal, minus the same lines recomputed without it).
//!
//! Every amount is in the currency's minor units (cents): a guarantee is rounded once;
//! top-ups, recoveries and clawbacks are differences of amounts already rounded.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::actuals::{Actual, Evidence, Scope};
use super::coverage::{cover, Assignment};
use super::curve::to_minor;
use super::statement::{line, statement, Adjustment, AdjustmentKind, Money, Statement};
use crate::model::quota::Quotas;
use crate::model::{OpportunityStatus, Rep};
use crate::period::Period;
use crate::playbook::comp::{PayoutPeriod, Plan};

/// The draw's guarantee for a statement: `amount × months in the payout period × draw days /
/// period days`, rounded to the currency's minor unit, where draw days are the window's days on which the rep
/// was employed and still inside the draw months. `None` when the plan has no draw or no day
/// of the window is a draw day.
pub fn guarantee(plan: &Plan, rep: &Rep, s: &Statement, a: &Assignment) -> Option<Decimal> {
    let draw = plan.draw.as_ref()?;
    let end = draw_end(rep, draw.months);
    let days = a
        .window
        .days()
        .filter(|d| rep.employed_on(*d) && *d < end)
        .count();
    if days == 0 {
        return None;
    }
    let months = match plan.payout_period {
        PayoutPeriod::Monthly => Decimal::ONE,
        PayoutPeriod::Quarterly => Decimal::from(3),
    };
    let g = draw
        .amount
        .checked_mul(months)?
        .checked_mul(Decimal::from(days as u64))?
        / Decimal::from(s.period_days);
    Some(to_minor(g, s.minor_units))
}

/// The first day after the draw: `months` after the start date.
fn draw_end(rep: &Rep, months: u32) -> NaiveDate {
    rep.start_date
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The calendar month containing `day`.
fn month_of(day: NaiveDate) -> Period {
    Period::month(day.year(), day.month())
}

/// The sum of a statement's component payouts.
pub fn earned(s: &Statement) -> Decimal {
    s.lines.iter().map(|l| l.payout).sum()
}

/// The draw adjustment of `s` (the statement of `rep` under `plans[a.plan]` for `a`), if any.
pub fn draw_line(
    scope: &Scope,
    rep: &Rep,
    plans: &[Plan],
    a: &Assignment,
    quotas: &Quotas,
    s: &Statement,
) -> Option<Adjustment> {
    let plan = &plans[a.plan];
    let draw = plan.draw.as_ref()?;
    let g = guarantee(plan, rep, s, a).unwrap_or(Decimal::ZERO);
    let e = earned(s);
    let p = s.minor_units as usize;
    if e < g {
        let kind = if draw.recoverable {
            "recoverable"
        } else {
            "non-recoverable"
        };
        return Some(Adjustment {
            kind: AdjustmentKind::Draw,
            amount: g - e,
            label: format!(
                "{kind} draw: {g:.p$} guaranteed until {}, {e:.p$} earned",
                draw_end(rep, draw.months)
            ),
            sources: Vec::new(),
            component: None,
        });
    }
    if !draw.recoverable {
        return None;
    }
    let balance = balance_before(scope, rep, plans, a, quotas);
    let recovered = balance.min(e - g);
    (recovered > Decimal::ZERO).then(|| Adjustment {
        kind: AdjustmentKind::DrawRecovery,
        amount: -recovered,
        label: format!(
            "draw recovered: {recovered:.p$} of the {balance:.p$} advanced, from {:.p$} earned above the {g:.p$} guaranteed",
            e - g
        ),
        sources: Vec::new(),
        component: None,
    })
}

/// The recoverable draw still owed before `a`'s payout period: top-ups minus recoveries over
/// the rep's earlier statements under the same plan, from the payout period of the rep's
/// start (or the plan's) on.
fn balance_before(scope: &Scope, rep: &Rep, plans: &[Plan], a: &Assignment, q: &Quotas) -> Decimal {
    let plan = &plans[a.plan];
    let from = rep.start_date.max(plan.effective_from);
    let mut month = month_of(from);
    let mut balance = Decimal::ZERO;
    let mut seen: Vec<Period> = Vec::new();
    while month.start < a.window.period.start {
        for earlier in cover(plans, rep, &month).assignments {
            let p = earlier.window.period;
            if earlier.plan != a.plan || p.start >= a.window.period.start || seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let s = statement(scope, rep, plan, &earlier, q);
            let g = guarantee(plan, rep, &s, &earlier).unwrap_or(Decimal::ZERO);
            let e = earned(&s);
            if e < g {
                balance += g - e;
            } else {
                balance -= balance.min(e - g);
            }
        }
        month = month_of(month.end);
    }
    balance
}

/// The clawbacks of `s`: deals reversed on a day of its window, up to as_of, within
/// `clawback_days` of their close under the plan of the statement that paid them.
pub fn clawbacks(
    scope: &Scope,
    rep: &Rep,
    plans: &[Plan],
    a: &Assignment,
    quotas: &Quotas,
) -> Vec<Adjustment> {
    let mut out = Vec::new();
    for opp in scope.reversed_deals() {
        let (Some(reversed), Some(closed)) = (opp.reversed_at, opp.close_date) else {
            continue;
        };
        if opp.status != OpportunityStatus::Won
            || !a.window.contains(reversed)
            || reversed > scope.as_of_day()
        {
            continue;
        }
        let month = month_of(closed);
        let cov = cover(plans, rep, &month);
        let Some(paid) = cov.assignments.iter().find(|x| x.window.contains(closed)) else {
            continue;
        };
        let plan = &plans[paid.plan];
        let after = (reversed - closed).num_days();
        let Some(limit) = plan.clawback_days.filter(|d| after <= i64::from(*d)) else {
            continue;
        };
        let original = statement(scope, rep, plan, paid, quotas);
        let p = original.minor_units as usize;
        let mut amount = Decimal::ZERO;
        let mut parts = Vec::new();
        for l in &original.lines {
            let Some(added) = l.evidence.iter().find_map(|e| match e {
                Evidence::Rows {
                    sources,
                    contributes,
                    ..
                } if sources.first() == Some(&opp.source) => Some(*contributes),
                _ => None,
            }) else {
                continue;
            };
            let Some(c) = plan.components.iter().find(|c| c.metric == l.metric) else {
                continue;
            };
            let without = Actual {
                value: l.actual - added,
                ratio: l.ratio,
                evidence: Vec::new(),
                note: None,
                known: true,
            };
            let period_days = Decimal::from(original.period_days);
            let divisor = super::curve::periods_per_year(plan.payout_period) * period_days;
            let redone = line(
                plan,
                c,
                without,
                l.target,
                l.target_source.clone(),
                Money {
                    active: Decimal::from(original.active_days),
                    divisor,
                    digits: original.minor_units,
                },
            );
            let diff = l.payout - redone.payout;
            if !diff.is_zero() {
                amount += diff;
                parts.push(format!(
                    "{} {:.p$} → {:.p$} without it",
                    l.metric.as_str(),
                    l.payout,
                    redone.payout
                ));
            }
        }
        // A non-recoverable draw's top-up is pay the rep keeps with or without the deal: the
        // deal added only what the statement paid above the guarantee. (A recoverable draw is
        // an advance, so the component lines are the whole difference.)
        let lines_diff = amount;
        let mut draw_note = String::new();
        if let Some(d) = plan.draw.as_ref().filter(|d| !d.recoverable) {
            if let Some(g) = guarantee(plan, rep, &original, paid) {
                let with = original.earned.max(g);
                let without = (original.earned - lines_diff).max(g);
                amount = with - without;
                draw_note = format!(
                    "; with the non-recoverable draw of {:.p$} guaranteed ({} a month), it paid {with:.p$} with the deal and {without:.p$} without: {with:.p$} − {without:.p$} = {amount:.p$}",
                    g, d.amount
                );
            }
        }
        if amount.is_zero() {
            continue;
        }
        out.push(Adjustment {
            kind: AdjustmentKind::Clawback,
            amount: -amount,
            label: format!(
                "clawback: opportunity {} won {closed} for {:.p$} was reversed on {reversed}, {after} days later (plan `{}` claws back within {limit} days); its {} statement paid {}",
                opp.opportunity_id,
                opp.amount,
                plan.name,
                original.payout_period.label(),
                parts.join(", ")
            ) + &draw_note,
            sources: vec![opp.source.clone()],
            component: None,
        });
    }
    out
}
