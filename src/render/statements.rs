//! Comp statements as a rep reads them (issue 22): each statement's lines in the plan's words
//! and units, what it takes to reach the next step, year to date, and one printable page per
//! statement (`statement/<rep>--<period>.html`, named by [`Links`]).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tera::Context;

use super::links::{rep_link, Links};
use super::site::{Page, Writer};
use crate::comp::curve::NextPoint;
use crate::comp::{CurveStep, Statement, StatementLine};
use crate::error::Error;
use crate::format;
use crate::playbook::comp::{CreditScope, Curve, Unit};
use crate::playbook::Publish;
use crate::prepared::Prepared;

/// Writes the page of every statement; none unless site.yaml publishes them (`individual`).
pub fn write_all(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    if p.loaded.dataset.playbook.site.comp.publish != Publish::Individual {
        return Ok(());
    }
    // On two threads, as rep pages are: each lists the rows behind its actuals (300 pages and
    // 0.4 s on one thread at 1x).
    let sym = w.site.currency.clone();
    let all: Vec<usize> = (0..p.comp.statements.len()).collect();
    w.pages(&all, |&i| {
        let s = &p.comp.statements[i];
        let mut ctx = Context::new();
        ctx.insert("s", &view(p, links, i, &sym));
        ctx.insert(
            "rep_link",
            &rep_link(p, links, &s.rep_id, s.role).map(|l| format!("{l}#comp")),
        );
        Ok(Some(Page {
            rel: links.statement[i].clone(),
            name: "statement_page.html",
            title: format!("Statement: {}, {}", s.rep_name, s.payout_period.label()),
            section: "comp",
            ctx,
        }))
    })
}

/// Statement `i` of `p.comp.statements` as `statement.html` takes it: every field of the
/// statement, and beside them the figures formatted for reading (`status`, `link`, `ytd`,
/// and per line `label`, `scope_text`, `target_text`, `actual_text`, `attainment_text`, `step_text`,
/// `next_text`).
pub fn view(p: &Prepared, links: &Links, i: usize, sym: &str) -> Value {
    let s = &p.comp.statements[i];
    let money = |d: Decimal| format::money_in(d, sym, s.minor_units);
    let plan = p
        .loaded
        .dataset
        .playbook
        .comp
        .plans
        .iter()
        .find(|plan| plan.name == s.plan);
    let mut v = serde_json::to_value(s).unwrap_or(Value::Null);
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| {
            let curve = plan
                .and_then(|plan| plan.components.iter().find(|c| c.metric == l.metric))
                .map(|c| &c.curve);
            let mut lv = serde_json::to_value(l).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut lv {
                m.insert("target_text".into(), json!(amount(l, l.target, &money)));
                m.insert("actual_text".into(), json!(actual_text(l, &money)));
                m.insert(
                    "attainment_text".into(),
                    json!(l.attainment.map_or_else(|| "not measured".into(), pct)),
                );
                m.insert("step_text".into(), json!(step_text(l, curve)));
                m.insert("scope_text".into(), json!(scope_text(l, &s.pod)));
                m.insert("next_text".into(), json!(next_text(l, s.partial, &money)));
            }
            lv
        })
        .collect();
    // Year to date: this rep's statements of the same calendar year up to this one, among
    // those this build computes (a build computes its own period's payout periods only).
    let year: Vec<&Statement> = p
        .comp
        .statements
        .iter()
        .filter(|o| {
            o.rep_id == s.rep_id
                && o.payout_period.start.format("%Y").to_string()
                    == s.payout_period.start.format("%Y").to_string()
                && o.payout_period.start <= s.payout_period.start
        })
        .collect();
    let ytd: Decimal = year.iter().map(|o| o.total).sum();
    let mut periods: Vec<String> = year.iter().map(|o| o.payout_period.label()).collect();
    periods.dedup();
    if let Value::Object(m) = &mut v {
        m.insert("lines".into(), Value::Array(lines));
        m.insert(
            "status".into(),
            json!(if s.partial { "to date" } else { "final" }),
        );
        m.insert("link".into(), json!(links.statement[i]));
        m.insert("total_text".into(), json!(money(s.total)));
        m.insert(
            "ytd".into(),
            json!({ "total": money(ytd), "periods": periods }),
        );
    }
    v
}

fn pct(d: Decimal) -> String {
    format::pct(d.to_f64(), 0)
}

/// A line's target and actual as a statement shows them, for other pages (the 1:1 agenda).
pub fn target_and_actual(l: &StatementLine, sym: &str, digits: u32) -> (String, String) {
    let money = |d: Decimal| format::money_in(d, sym, digits);
    (amount(l, l.target, &money), actual_text(l, &money))
}

/// A target or actual in the line's unit: counts as counts (`5`, prorated `4.84`), money in
/// the site's currency, shares as percentages.
fn amount(l: &StatementLine, d: Decimal, money: &dyn Fn(Decimal) -> String) -> String {
    match l.unit {
        Unit::Count => format::count(d),
        Unit::Money => money(d),
        Unit::Share => pct(d),
    }
}

/// Whose work a pod- or team-level line measures, in words; empty for the rep's own.
fn scope_text(l: &StatementLine, pod: &str) -> String {
    match l.scope {
        Some(CreditScope::Pod) => format!("measured for pod {pod} as a whole"),
        Some(CreditScope::Team) => "measured for the whole team".into(),
        Some(CreditScope::Rep) | None => String::new(),
    }
}

/// The actual; a share with what it counted: `93% (26/28)`.
fn actual_text(l: &StatementLine, money: &dyn Fn(Decimal) -> String) -> String {
    match (l.unit, l.ratio) {
        (Unit::Share, Some((hits, of))) => format::rate(l.actual.to_f64(), hits, of),
        _ => amount(l, l.actual, money),
    }
}

/// The step of the curve in words. Above 100% at an accelerator of 1 the line pays its
/// attainment, so it is not called accelerated.
fn step_text(l: &StatementLine, curve: Option<&Curve>) -> String {
    let cap = curve.map(|c| pct(c.cap));
    match l.step {
        CurveStep::BelowThreshold => curve.map_or_else(
            || "below the threshold: pays nothing".into(),
            |c| format!("below the {} threshold: pays nothing", pct(c.threshold)),
        ),
        CurveStep::Linear => "pays its attainment".into(),
        CurveStep::Decelerated => format!("decelerated: pays {} of on-target pay", pct(l.factor)),
        CurveStep::Accelerated if Some(l.factor) == l.attainment => {
            "above target: pays its attainment".into()
        }
        CurveStep::Accelerated => format!("accelerated: pays {} of on-target pay", pct(l.factor)),
        CurveStep::Capped => match cap {
            Some(cap) => format!("capped: pays {cap} of on-target pay"),
            None => "capped".into(),
        },
        CurveStep::NotMeasured => "not measured: pays nothing".into(),
    }
}

/// What it takes to reach the next step of the curve, in words; empty when nothing does.
fn next_text(l: &StatementLine, partial: bool, money: &dyn Fn(Decimal) -> String) -> String {
    let Some(n) = &l.next_step else {
        return String::new();
    };
    let step = match n.point {
        NextPoint::Threshold => format!("the {} threshold", pct(n.attainment)),
        NextPoint::DeceleratorEnd => format!("full rate at {}", pct(n.attainment)),
        NextPoint::Target => "100% of target".into(),
        NextPoint::Tier => format!("the tier from {}", pct(n.attainment)),
        NextPoint::Cap => "the cap".into(),
    };
    let (reach, pay) = if partial {
        ("reaches", "pays")
    } else {
        ("would have reached", "paid")
    };
    let at = match n.more {
        Some(more) => format!(
            "{} more ({} in all)",
            amount(l, more, money),
            amount(l, n.actual, money)
        ),
        None => share_up(n.actual),
    };
    format!("{at} {reach} {step}, which {pay} {}", money(n.payout))
}

/// A share needed, to the percent rounded up so it is never below what reaches the step.
fn share_up(d: Decimal) -> String {
    let up = (d * Decimal::ONE_HUNDRED).ceil();
    format!("{up}%")
}
