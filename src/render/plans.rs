//! One page per comp plan, `plans/<plan>.html` (issue 23, "One page per plan"): the plan's
//! rules in words and a worked example, a typical rep's statement line by line with its
//! arithmetic, whose total is that rep's statement total (docs/comp.md, "The plan pages").
//!
//! Which rep: of this build's statements under the plan that cover the whole payout period,
//! the one with the median total (the lower middle of an even count; ties by rep id); all
//! of the plan's statements when none covers a whole period. A site that does not publish
//! each rep's pay (`comp: {publish: team}`) shows a rep exactly at target instead, so the
//! page names no one's pay; `none` writes no plan page.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use tera::Context;

use super::links::Links;
use super::site::Writer;
use crate::comp::curve::{curve_factor, period_variable, periods_per_year, to_minor};
use crate::comp::{CurveStep, Statement, StatementLine};
use crate::error::Error;
use crate::format;
use crate::playbook::comp::{Component, CreditScope, Curve, Plan, Unit};
use crate::playbook::Publish;
use crate::prepared::Prepared;

/// A component's rules in words.
#[derive(Serialize)]
struct Rule {
    label: String,
    metric: &'static str,
    text: String,
}

/// One line of the worked example, every step written out.
#[derive(Serialize)]
struct Step {
    label: String,
    target: String,
    actual: String,
    attainment: String,
    factor: String,
    payout: String,
}

/// The worked example: whose month, why them, the lines, the adjustments and the total.
#[derive(Serialize)]
struct Example {
    who: String,
    why: String,
    variable: String,
    lines: Vec<Step>,
    adjustments: Vec<(String, String)>,
    sum: String,
    total: String,
    /// A real statement of the build (its total is that statement's), not a rep at target.
    statement: bool,
}

/// Writes every plan's page (none when site.yaml publishes no comp).
pub fn write_all(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let publish = p.loaded.dataset.playbook.site.comp.publish;
    if publish == Publish::None {
        return Ok(());
    }
    let sym = w.site.currency.clone();
    let digits = w.site.minor_units;
    for (i, plan) in p.loaded.dataset.playbook.comp.plans.iter().enumerate() {
        let money = |d: Decimal| format::money_in(d, &sym, digits);
        let rules: Vec<Rule> = plan
            .components
            .iter()
            .map(|c| Rule {
                label: c.label().to_string(),
                metric: c.metric.as_str(),
                text: rule_text(plan, c, &money),
            })
            .collect();
        let example = if publish == Publish::Individual {
            typical(p, plan).map(|(s, why)| from_statement(plan, s, why, &money))
        } else {
            None
        }
        .unwrap_or_else(|| at_target(plan, digits, &money, publish));
        let mut ctx = Context::new();
        ctx.insert("plan", &plan_facts(plan, &money));
        ctx.insert("rules", &rules);
        ctx.insert("others", &other_rules(plan, &money));
        ctx.insert("example", &example);
        ctx.insert("comp_anchor", &format!("comp.html#plan-{}", i + 1));
        w.page(
            &links.plan[i],
            "plan.html",
            &format!("Plan: {}", plan.name),
            "comp",
            ctx,
        )?;
    }
    Ok(())
}

fn plan_facts(plan: &Plan, money: &dyn Fn(Decimal) -> String) -> serde_json::Value {
    let who: Vec<String> = plan
        .roles
        .iter()
        .map(|r| r.as_str().to_uppercase())
        .chain(plan.reps.iter().map(|r| format!("rep {r}")))
        .collect();
    let per = match plan.payout_period {
        crate::playbook::comp::PayoutPeriod::Monthly => "month",
        crate::playbook::comp::PayoutPeriod::Quarterly => "quarter",
    };
    serde_json::json!({
        "name": plan.name,
        "who": who.join(", "),
        "from": plan.effective_from,
        "to": plan.effective_to,
        "per": per,
        "base": money(plan.base_salary),
        "annual_variable": money(plan.annual_variable),
        "period_variable": money(period_variable(plan)),
    })
}

/// A number exactly, with thousands separators: up to four decimals, else the first four
/// and `…` (`2,083.3333…`).
fn exact(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 4 {
        format::decimal(n, n.scale())
    } else {
        let cut = d.round_dp_with_strategy(4, RoundingStrategy::ToZero);
        format!("{}…", format::decimal(cut, 4))
    }
}

fn pct(d: Decimal) -> String {
    format!("{}%", exact(d * Decimal::ONE_HUNDRED))
}

/// A target or actual in the component's unit.
fn in_unit(unit: Unit, d: Decimal, money: &dyn Fn(Decimal) -> String) -> String {
    match unit {
        Unit::Count => format::count(d),
        Unit::Money => money(d),
        Unit::Share => pct(d),
    }
}

/// The curve in words.
fn curve_words(curve: &Curve) -> String {
    let mut parts = vec![format!(
        "below {} of target it pays nothing",
        pct(curve.threshold)
    )];
    match &curve.decelerator {
        Some(d) => parts.push(format!(
            "from {} to below {} it pays {} of its attainment; from there to 100% its attainment",
            pct(curve.threshold),
            pct(d.below),
            pct(d.rate)
        )),
        None => parts.push(format!(
            "from {} to 100% it pays its attainment",
            pct(curve.threshold)
        )),
    }
    let steps = curve.steps();
    let above: Vec<String> = steps
        .iter()
        .map(|(from, rate)| format!("each point from {} pays {}×", pct(*from), exact(*rate)))
        .collect();
    parts.push(if curve.retroactive {
        format!(
            "above 100%, every point above 100% pays the rate of the highest step reached ({})",
            above.join(", ")
        )
    } else {
        format!("above 100%, {}", above.join(", "))
    });
    parts.push(format!(
        "never more than {} of its on-target pay",
        pct(curve.cap)
    ));
    parts.join("; ")
}

fn rule_text(plan: &Plan, c: &Component, money: &dyn Fn(Decimal) -> String) -> String {
    let whose = match c.scope() {
        CreditScope::Rep => "the rep's own work",
        CreditScope::Pod => "the work of the rep's whole pod",
        CreditScope::Team => "the work of the whole team",
    };
    format!(
        "{} of the variable pay ({} a {} at 100%), measured on {whose} against a target of {} a {}; {}.",
        pct(c.weight),
        money(period_variable(plan) * c.weight),
        per(plan),
        in_unit(c.metric.unit(), c.target, money),
        per(plan),
        curve_words(&c.curve)
    )
}

fn per(plan: &Plan) -> &'static str {
    match plan.payout_period {
        crate::playbook::comp::PayoutPeriod::Monthly => "month",
        crate::playbook::comp::PayoutPeriod::Quarterly => "quarter",
    }
}

/// The plan's other rules: draw, clawbacks, pay day.
fn other_rules(plan: &Plan, money: &dyn Fn(Decimal) -> String) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = &plan.draw {
        out.push(format!(
            "A draw guarantees {} a month of variable pay for the first {} month(s) from the rep's start date; {}.",
            money(d.amount),
            d.months,
            if d.recoverable {
                "top-ups are an advance, recovered from later earnings above the guarantee"
            } else {
                "top-ups are the rep's to keep"
            }
        ));
    }
    if let Some(days) = plan.clawback_days {
        out.push(format!(
            "A won deal reversed within {days} days of its close is clawed back: what it added to the statement that paid it is taken from the statement of the reversal."
        ));
    }
    if let Some(day) = plan.pay_day {
        out.push(format!(
            "Statements are paid on day {day} of the month after the payout period (its last day when shorter)."
        ));
    }
    out
}

/// The statement of the worked example and why it was chosen: the median total of the
/// plan's statements covering a whole payout period (else of all its statements).
fn typical<'p>(p: &'p Prepared, plan: &Plan) -> Option<(&'p Statement, String)> {
    let of_plan: Vec<&Statement> = p
        .comp
        .statements
        .iter()
        .filter(|s| s.plan == plan.name)
        .collect();
    let whole: Vec<&Statement> = of_plan
        .iter()
        .copied()
        .filter(|s| s.active_days == s.period_days && s.window_days == s.period_days)
        .collect();
    let (mut pool, which) = if whole.is_empty() {
        (of_plan, "statements")
    } else {
        (whole, "statements covering a whole payout period")
    };
    if pool.is_empty() {
        return None;
    }
    pool.sort_by(|a, b| a.total.cmp(&b.total).then_with(|| a.rep_id.cmp(&b.rep_id)));
    let n = pool.len();
    let s = pool[(n - 1) / 2];
    let why = if n == 1 {
        format!("the only one of this plan's {which} in this build")
    } else {
        format!(
            "the median total of this plan's {n} {which} in this build{}",
            if n % 2 == 0 {
                " (the lower of the two middle ones)"
            } else {
                ""
            }
        )
    };
    Some((s, why))
}

/// The factor's arithmetic for attainment `a` on `curve`, ending in the factor.
fn factor_text(l: &StatementLine, curve: Option<&Curve>) -> String {
    let Some(a) = l.attainment else {
        return "not measured: factor 0".into();
    };
    let f = exact(l.factor);
    let Some(curve) = curve else {
        return format!("factor {f}");
    };
    match l.step {
        CurveStep::NotMeasured => "not measured: factor 0".into(),
        CurveStep::BelowThreshold => {
            format!("below the {} threshold: factor 0", pct(curve.threshold))
        }
        CurveStep::Linear => format!("pays its attainment: factor {f}"),
        CurveStep::Decelerated => {
            let rate = curve.decelerator.as_ref().map_or(Decimal::ZERO, |d| d.rate);
            format!("decelerated: {} × {} = {f}", exact(a), exact(rate))
        }
        // At an accelerator of 1 the step pays its attainment: not called accelerated,
        // as on the statement.
        CurveStep::Accelerated if l.factor == a => {
            format!("above target, pays its attainment: factor {f}")
        }
        CurveStep::Accelerated => format!("accelerated: {} = {f}", walk_text(a, curve)),
        CurveStep::Capped => {
            let (raw, _) = curve_factor(
                a,
                &Curve {
                    cap: Decimal::MAX,
                    ..curve.clone()
                },
            );
            format!(
                "the curve gives {}, above the {} cap: factor {f}",
                exact(raw),
                pct(curve.cap)
            )
        }
    }
}

/// The accelerated factor's sum, as the walk of `comp::curve` adds it:
/// `1 + (1.2 − 1) × 1.5`, or a tier at a time.
fn walk_text(a: Decimal, curve: &Curve) -> String {
    let steps = curve.steps();
    let reached: Vec<&(Decimal, Decimal)> = steps.iter().take_while(|s| s.0 <= a).collect();
    let mut parts = vec!["1".to_string()];
    if curve.retroactive {
        if let Some((_, rate)) = reached.last() {
            parts.push(format!("({} − 1) × {}", exact(a), exact(*rate)));
        }
        return parts.join(" + ");
    }
    if let Some((first, _)) = reached.first() {
        if *first > Decimal::ONE {
            parts.push(format!("({} − 1) × 1", exact(*first)));
        }
    }
    for (i, (from, rate)) in reached.iter().enumerate() {
        let end = reached.get(i + 1).map_or(a, |n| n.0);
        parts.push(format!(
            "({} − {}) × {}",
            exact(end),
            exact(*from),
            exact(*rate)
        ));
    }
    parts.join(" + ")
}

fn from_statement(
    plan: &Plan,
    s: &Statement,
    why: String,
    money: &dyn Fn(Decimal) -> String,
) -> Example {
    let lines = s
        .lines
        .iter()
        .map(|l| {
            let curve = plan
                .components
                .iter()
                .find(|c| c.metric == l.metric)
                .map(|c| &c.curve);
            Step {
                label: l.label.clone(),
                target: in_unit(l.unit, l.target, money),
                actual: in_unit(l.unit, l.actual, money),
                attainment: match l.attainment {
                    Some(a) => format!(
                        "{} / {} = {}",
                        in_unit(l.unit, l.actual, money),
                        in_unit(l.unit, l.target, money),
                        pct(a)
                    ),
                    None => "not measured".into(),
                },
                factor: factor_text(l, curve),
                payout: format!(
                    "{} × {} × {} = {} → {}",
                    exact(s.variable_target),
                    exact(l.weight),
                    exact(l.factor),
                    exact(s.variable_target * l.weight * l.factor),
                    money(l.payout)
                ),
            }
        })
        .collect();
    let adjustments: Vec<(String, String)> = s
        .adjustments
        .iter()
        .map(|a| (a.label.clone(), money(a.amount)))
        .collect();
    let sum: Vec<String> = s
        .lines
        .iter()
        .map(|l| money(l.payout))
        .chain(s.adjustments.iter().map(|a| money(a.amount)))
        .collect();
    Example {
        who: format!(
            "{} ({}), {}{}",
            s.rep_name,
            s.rep_id,
            s.payout_period.label(),
            if s.partial { ", to date" } else { "" }
        ),
        why,
        variable: format!(
            "{} × {} / {} days of {} = {}",
            exact(plan.annual_variable / periods_per_year(plan.payout_period)),
            s.active_days,
            s.period_days,
            s.payout_period.label(),
            exact(s.variable_target)
        ),
        lines,
        adjustments,
        sum: sum.join(" + "),
        total: money(s.total),
        statement: true,
    }
}

/// A rep exactly at 100% of every target for a whole payout period: the example of a site
/// that shows no rep's pay, or of a plan without a statement in the build.
fn at_target(
    plan: &Plan,
    digits: u32,
    money: &dyn Fn(Decimal) -> String,
    publish: Publish,
) -> Example {
    let variable = period_variable(plan);
    let mut total = Decimal::ZERO;
    let mut sum = Vec::new();
    let lines = plan
        .components
        .iter()
        .map(|c| {
            let (factor, _) = curve_factor(Decimal::ONE, &c.curve);
            let payout = to_minor(variable * c.weight * factor, digits);
            total += payout;
            sum.push(money(payout));
            let t = in_unit(c.metric.unit(), c.target, money);
            Step {
                label: c.label().to_string(),
                target: t.clone(),
                actual: t.clone(),
                attainment: format!("{t} / {t} = 100%"),
                factor: format!("at 100% the curve gives factor {}", exact(factor)),
                payout: format!(
                    "{} × {} × {} = {} → {}",
                    exact(variable),
                    exact(c.weight),
                    exact(factor),
                    exact(variable * c.weight * factor),
                    money(payout)
                ),
            }
        })
        .collect();
    Example {
        who: format!("a rep exactly at target for a whole {}", per(plan)),
        why: if publish == Publish::Individual {
            "no statement of this plan in this build".into()
        } else {
            "this site does not publish each rep's pay (site.yaml comp: {publish: team})".into()
        },
        variable: format!(
            "{} / {} = {}",
            exact(plan.annual_variable),
            periods_per_year(plan.payout_period),
            exact(variable)
        ),
        lines,
        adjustments: Vec::new(),
        sum: sum.join(" + "),
        total: money(total),
        statement: false,
    }
}
