//! Payout statements: for every covered rep and payout period, each component's target,
//! actual, attainment, curve step and payout, with the rows behind each actual.
//!
//! Pure: reads only the [`Dataset`] and the [`Quotas`]. Formulas, rounding and proration are
//! defined in docs/comp.md; each payout line is rounded to the cent once and a statement's
//! total is the sum of its rounded lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::actuals::{Actual, Evidence, Scope};
use super::coverage::{Assignment, Window};
use super::curve::{curve_factor, next_step, periods_per_year, to_minor, CurveStep, NextPoint};
use crate::model::quota::Quotas;
use crate::model::{Rep, Role, Source};
use crate::period::Period;
use crate::playbook::comp::{
    Category, CompMetric, Component, CreditScope, Plan, TargetScaling, Unit,
};

/// What one rep earned under one plan for one payout period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Statement {
    pub rep_id: String,
    /// reps.csv `payroll_id`, when given.
    pub payroll_id: Option<String>,
    pub rep_name: String,
    pub role: Role,
    pub pod: String,
    pub plan: String,
    pub payout_period: Period,
    /// `as_of` falls before the payout period's last day: figures to date, not final.
    pub partial: bool,
    /// The day it is paid, when the plan gives a `pay_day`: that day of the month after the
    /// payout period (the month's last day when it has fewer days).
    #[serde(default)]
    pub pay_date: Option<NaiveDate>,
    /// The day `baton close` froze this statement (docs/comp.md, "Closing a period"): it is
    /// then shown as it was closed, never recomputed.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// The first and last day of the payout period on which this plan applied to the rep.
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// Days of the payout period on which this plan applied (employed or not): fewer than
    /// `window_end − window_start + 1` only when another plan applied in between.
    pub window_days: u32,
    /// Days of the payout period on which the plan applied and the rep was employed.
    pub active_days: u32,
    pub period_days: u32,
    /// annual_variable / 12 (or / 4) × active_days / period_days, unrounded.
    pub variable_target: Decimal,
    /// The decimals every amount is rounded to: the currency's minor units (2 for cents).
    pub minor_units: u32,
    pub lines: Vec<StatementLine>,
    /// Sum of the lines' payouts: what the components earned.
    pub earned: Decimal,
    /// Draw top-ups and recoveries, clawbacks of reversed deals (see `adjust`), in cents.
    pub adjustments: Vec<Adjustment>,
    /// Sum of the lines' payouts and the adjustments.
    pub total: Decimal,
}

/// What an adjustment line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// A top-up to the draw's guarantee (positive).
    Draw,
    /// Earlier recoverable top-ups taken back from earnings above the guarantee (negative).
    DrawRecovery,
    /// A reversed deal's payout taken back (negative).
    Clawback,
    /// A line of adjustments.csv: a spot bonus, a correction, a referral fee (either sign).
    Manual,
    /// A closed period recomputed from today's data minus what was frozen (either sign).
    PriorPeriod,
}

impl AdjustmentKind {
    /// The name comp.csv's `component` column gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            AdjustmentKind::Draw => "draw",
            AdjustmentKind::DrawRecovery => "draw_recovery",
            AdjustmentKind::Clawback => "clawback",
            AdjustmentKind::Manual => "manual",
            AdjustmentKind::PriorPeriod => "prior_period",
        }
    }
}

/// One adjustment of a statement: a signed amount in cents and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    pub amount: Decimal,
    /// The reason in words; contains CRM ids, so escape it when rendering.
    pub label: String,
    /// The input rows behind it (a clawback's opportunity row, a manual line's row).
    pub sources: Vec<Source>,
    /// The plan component a manual adjustment names, if any.
    pub component: Option<CompMetric>,
}

/// Where a line's target came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetSource {
    /// The plan's target for a whole payout period.
    Plan,
    /// The plan's target scaled to `days` of the period's `of` days.
    Prorated { days: u32, of: u32 },
    /// A row of quotas.csv for this rep and payout period, taken as given.
    Quota { source: Source },
    /// A row of quotas.csv split between the plans that paid the rep in the payout period:
    /// this window's `days` of the rep's `of` active days under any plan.
    QuotaProrated { source: Source, days: u32, of: u32 },
}

/// One component of a statement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatementLine {
    pub metric: CompMetric,
    /// The component in the plan's words (`label:`, else the metric's plain-words name).
    pub label: String,
    /// Whose work the line measures when not the rep's own: the pod's or the team's
    /// (the component's `scope:`, or the metric's default for `team_won_amount`). Absent:
    /// the rep's own; left out of closed periods' files then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<CreditScope>,
    /// What the target and actual are (a count, money, a share), for showing them.
    pub unit: Unit,
    pub category: Category,
    pub weight: Decimal,
    pub target: Decimal,
    pub target_source: TargetSource,
    /// variable_target × weight, unrounded: what 100% attainment pays.
    pub on_target_pay: Decimal,
    pub actual: Decimal,
    /// For shares: (hits, counted).
    pub ratio: Option<(u64, u64)>,
    /// actual / target; absent when nothing could be measured.
    pub attainment: Option<Decimal>,
    pub step: CurveStep,
    pub factor: Decimal,
    /// variable_target × weight × factor, rounded to the currency's minor unit (the cent;
    /// the yen) half away from zero, once.
    pub payout: Decimal,
    pub evidence: Vec<Evidence>,
    pub note: Option<String>,
    /// What it takes to reach the next step of the curve; absent when not measured or when
    /// nothing above the actual pays more.
    pub next_step: Option<NextStep>,
}

/// The next step of a line's curve and the actual that reaches it (docs/comp.md, "What it
/// takes").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub point: NextPoint,
    /// The attainment of the step (the threshold, 1 for 100%, a tier's start, where the cap
    /// is reached).
    pub attainment: Decimal,
    /// The lowest actual that reaches it: whole units for counts, whole minor units for
    /// money, the exact share for shares.
    pub actual: Decimal,
    /// `actual` minus the line's actual; absent for shares (how many more hand-offs it takes
    /// depends on how many more there will be).
    pub more: Option<Decimal>,
    /// What the line pays at that actual, rounded like the payout.
    pub payout: Decimal,
}

/// One statement: the plan's components measured over the assignment's window, before any
/// adjustment (its total is what the components earned).
pub(super) fn statement(
    scope: &Scope,
    rep: &Rep,
    plan: &Plan,
    a: &Assignment,
    quotas: &Quotas,
) -> Statement {
    let payout_period = a.window.period;
    let period_days = payout_period.days() as u32;
    let window_days = a.window.len() as u32;
    // Money is scaled by active days over period days, divided once at the end.
    let divisor = periods_per_year(plan.payout_period) * Decimal::from(period_days);
    let active = Decimal::from(a.active_days);
    let variable_target = plan
        .annual_variable
        .checked_mul(active)
        .map_or(Decimal::ZERO, |v| v / divisor);
    // The rep's own work counts only on the window's days of employment: the days the
    // variable target and an own-volume target are prorated to. The pod's revenue counts over
    // the whole window (the pod worked it whether or not the rep was employed).
    let employed = Window::of_days(
        payout_period,
        a.window.days().filter(|d| rep.employed_on(*d)),
    );
    let mut lines = Vec::new();
    for c in &plan.components {
        let counted = match c.scaling() {
            TargetScaling::TeamVolume => &a.window,
            TargetScaling::OwnVolume | TargetScaling::Share => &employed,
        };
        let actual = scope.measure(rep, c, counted);
        let (target, target_source) = match quotas.get(&rep.id, &payout_period, c.metric) {
            // A quota is set for the rep's whole payout period; when plans split it, each
            // window gets its share by the rep's active days (a share is never split).
            Some(q) if a.active_days < a.plan_days && c.scaling() != TargetScaling::Share => (
                q.target * Decimal::from(a.active_days) / Decimal::from(a.plan_days),
                TargetSource::QuotaProrated {
                    source: q.source.clone(),
                    days: a.active_days,
                    of: a.plan_days,
                },
            ),
            Some(q) => (
                q.target,
                TargetSource::Quota {
                    source: q.source.clone(),
                },
            ),
            None => {
                let days = match c.scaling() {
                    TargetScaling::OwnVolume => a.active_days,
                    TargetScaling::TeamVolume => window_days,
                    TargetScaling::Share => period_days,
                };
                if days == period_days {
                    (c.target, TargetSource::Plan)
                } else {
                    let t = c.target * Decimal::from(days) / Decimal::from(period_days);
                    (
                        t,
                        TargetSource::Prorated {
                            days,
                            of: period_days,
                        },
                    )
                }
            }
        };
        lines.push(line(
            plan,
            c,
            actual,
            target,
            target_source,
            Money {
                active,
                divisor,
                digits: scope.minor_units(),
            },
        ));
    }
    let earned: Decimal = lines.iter().map(|l| l.payout).sum();
    let last_day = payout_period.end.pred_opt().unwrap_or(payout_period.start);
    Statement {
        rep_id: rep.id.clone(),
        payroll_id: rep.payroll_id.clone(),
        rep_name: rep.name.clone(),
        role: rep.role,
        pod: rep.pod.clone(),
        plan: plan.name.clone(),
        payout_period,
        partial: scope.as_of_day() < last_day,
        pay_date: plan.pay_day.and_then(|d| pay_date(payout_period.end, d)),
        closed_on: None,
        window_start: a.window.first().unwrap_or(payout_period.start),
        window_end: a.window.last().unwrap_or(last_day),
        window_days,
        active_days: a.active_days,
        period_days,
        variable_target,
        minor_units: scope.minor_units(),
        lines,
        earned,
        adjustments: Vec::new(),
        total: earned,
    }
}

/// Day `day` of the month that starts on or after `next` (the day after the payout period),
/// or that month's last day when it has fewer days; `None` for a day of 0.
fn pay_date(next: NaiveDate, day: u32) -> Option<NaiveDate> {
    use chrono::Datelike;
    (1..=day.min(31))
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(next.year(), next.month(), d))
}

/// How a line's money is scaled and rounded.
pub(super) struct Money {
    /// The rep's active days of the window.
    pub active: Decimal,
    /// Periods per year × the payout period's days.
    pub divisor: Decimal,
    /// The currency's minor units: the decimals the payout is rounded to.
    pub digits: u32,
}

/// One line: attainment, curve and the payout
/// annual_variable × weight × factor × active_days / (periods per year × period days).
pub(super) fn line(
    plan: &Plan,
    c: &Component,
    actual: Actual,
    target: Decimal,
    target_source: TargetSource,
    money: Money,
) -> StatementLine {
    let Money {
        active,
        divisor,
        digits,
    } = money;
    let mut note = actual.note.clone();
    let attainment = if !actual.measurable() {
        None
    } else if target <= Decimal::ZERO {
        note = Some("the target is not above 0, so attainment cannot be computed".into());
        None
    } else {
        Some(actual.value.checked_div(target).unwrap_or(Decimal::MAX))
    };
    let (factor, step) = match attainment {
        Some(a) => curve_factor(a, &c.curve),
        None => (Decimal::ZERO, CurveStep::NotMeasured),
    };
    let at_target = plan.annual_variable.checked_mul(c.weight);
    let on_target_pay = at_target
        .and_then(|v| v.checked_mul(active))
        .map_or(Decimal::ZERO, |v| v / divisor);
    let pay = |factor: Decimal| {
        at_target
            .and_then(|v| v.checked_mul(factor))
            .and_then(|v| v.checked_mul(active))
            .map(|v| to_minor(v / divisor, digits))
    };
    let next_step = attainment.and_then(|a| {
        let (point, kind) = next_step(a, &c.curve)?;
        let unit = match c.metric.unit() {
            Unit::Count => Decimal::ONE,
            Unit::Money => Decimal::new(1, digits),
            Unit::Share => Decimal::ZERO,
        };
        let up = |x: Decimal| {
            if unit.is_zero() {
                x
            } else {
                (x / unit).ceil() * unit
            }
        };
        let mut needed = up(point.checked_mul(target)?);
        // The cap point comes from bisection: the unit below may reach it too.
        if kind == NextPoint::Cap && !unit.is_zero() {
            let below = needed - unit;
            if below > actual.value && curve_factor(below / target, &c.curve).0 >= c.curve.cap {
                needed = below;
            }
        }
        let (f, _) = curve_factor(needed.checked_div(target)?, &c.curve);
        Some(NextStep {
            point: kind,
            attainment: point,
            actual: needed,
            more: (!unit.is_zero()).then(|| needed - actual.value),
            payout: pay(f)?,
        })
    });
    let payout = match pay(factor) {
        Some(v) => v,
        None => {
            note = Some("payout too large to compute exactly; check the plan's figures".into());
            Decimal::ZERO
        }
    };
    StatementLine {
        metric: c.metric,
        label: c.label().to_string(),
        scope: Some(c.scope()).filter(|s| *s != CreditScope::Rep),
        unit: c.metric.unit(),
        category: c.category,
        weight: c.weight,
        target,
        target_source,
        on_target_pay,
        actual: actual.value,
        ratio: actual.ratio,
        attainment,
        step,
        factor,
        payout,
        evidence: actual.evidence,
        note,
        next_step,
    }
}
