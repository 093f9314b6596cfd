//! A build period's comp: every covered rep's statements, each with its adjustments (draws and
//! clawbacks), and the findings about plans and quotas. The statement of one window is
//! computed by `statement`, its adjustments by `adjust`; this puts them together.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::actuals::Scope;
use super::adjust;
use super::coverage::cover;
use super::statement::{statement, Adjustment, AdjustmentKind, Statement, TargetSource};
use crate::model::manual::ManualAdjustment;
use crate::model::quota::Quotas;
use crate::model::{Dataset, Rep, Role};
use crate::period::Period;

/// Everything comp computed for one build period.
#[derive(Debug, Clone, Serialize)]
pub struct CompReport {
    /// The period the build was asked for.
    pub period: Period,
    pub as_of: DateTime<Utc>,
    /// The last local day that counts (`as_of`'s local date).
    pub as_of_day: NaiveDate,
    /// The ISO code of the currency every amount is in (site.yaml `currency`).
    pub currency: String,
    /// One per rep, plan and payout period; ordered by rep id, then payout period.
    pub statements: Vec<Statement>,
    /// SDRs, BDRs and AEs employed in the period on days no plan covers: (rep_id, reason).
    pub uncovered: Vec<(String, String)>,
    /// The same reps' days without a plan, one run of days each, for comp.csv.
    pub no_plan: Vec<NoPlan>,
    /// Findings about plans and quotas that did not stop the computation.
    pub warnings: Vec<String>,
}

/// A run of days of the build period on which an SDR, BDR or AE was employed and no plan
/// applied: comp.csv lists it with status `no_plan` and no amounts (unknown, not zero).
#[derive(Debug, Clone, Serialize)]
pub struct NoPlan {
    pub rep_id: String,
    pub payroll_id: Option<String>,
    pub rep_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Computes every statement of `period` as known at `as_of`, with the manual adjustments of
/// adjustments.csv added to the statements they belong to.
pub fn statements(
    ds: &Dataset,
    period: &Period,
    as_of: DateTime<Utc>,
    quotas: &Quotas,
    manual: &[ManualAdjustment],
) -> CompReport {
    let plans = &ds.playbook.comp.plans;
    let scope = Scope::new(ds, as_of);
    let mut report = CompReport {
        period: *period,
        as_of,
        as_of_day: scope.as_of_day(),
        currency: ds.playbook.site.currency.clone(),
        statements: Vec::new(),
        uncovered: Vec::new(),
        no_plan: Vec::new(),
        warnings: Vec::new(),
    };
    for plan in plans {
        for id in plan.reps.iter().filter(|id| ds.rep(id).is_none()) {
            report.warnings.push(format!(
                "plan `{}` names rep `{id}`, who is not in reps.csv",
                plan.name
            ));
        }
    }
    let mut reps: Vec<&Rep> = ds.reps.iter().collect();
    reps.sort_by(|a, b| a.id.cmp(&b.id));
    for rep in reps {
        if !period.each_day().any(|d| rep.employed_on(d)) {
            continue;
        }
        let cov = cover(plans, rep, period);
        report.warnings.extend(cov.warnings);
        if rep.role != Role::Manager && !cov.gaps.is_empty() {
            report
                .uncovered
                .push((rep.id.clone(), gap_reason(rep, period, &cov.gaps)));
            report
                .no_plan
                .extend(cov.gaps.iter().map(|(from, to)| NoPlan {
                    rep_id: rep.id.clone(),
                    payroll_id: rep.payroll_id.clone(),
                    rep_name: rep.name.clone(),
                    from: *from,
                    to: *to,
                }));
        }
        let mut used = Vec::new();
        let first = report.statements.len();
        for a in &cov.assignments {
            let mut s = statement(&scope, rep, &plans[a.plan], a, quotas);
            s.adjustments
                .extend(adjust::draw_line(&scope, rep, plans, a, quotas, &s));
            s.adjustments
                .extend(adjust::clawbacks(&scope, rep, plans, a, quotas));
            s.total = s.earned + s.adjustments.iter().map(|x| x.amount).sum::<Decimal>();
            used.extend(s.lines.iter().filter_map(|l| match l.target_source {
                TargetSource::Quota { .. } | TargetSource::QuotaProrated { .. } => {
                    Some((s.payout_period, l.metric))
                }
                _ => None,
            }));
            report.statements.push(s);
        }
        let mine = &mut report.statements[first..];
        for m in manual.iter().filter(|m| m.rep_id == rep.id) {
            match manual_target(mine, m) {
                Some(s) => {
                    s.adjustments.push(Adjustment {
                        kind: AdjustmentKind::Manual,
                        amount: m.amount,
                        label: match m.component {
                            Some(c) => format!("{}: {}", c.as_str(), m.reason),
                            None => m.reason.clone(),
                        },
                        sources: vec![m.source.clone()],
                        component: m.component,
                    });
                    s.total += m.amount;
                }
                None if m.period.start < period.end && period.start < m.period.end => {
                    report.warnings.push(format!(
                        "{}: adjustment for rep `{}`, {}, matches no statement of the rep (no plan paid them in that payout period); not paid",
                        m.source, rep.id, m.period.label()
                    ));
                }
                None => {}
            }
        }
        for (p, metric, q) in quotas.of_rep(&rep.id) {
            let overlaps = p.start < period.end && period.start < p.end;
            if overlaps && !used.contains(&(*p, metric)) {
                report.warnings.push(format!(
                    "{}: quota for rep `{}`, {} {} matches no payout period and component of the rep's plan; ignored",
                    q.source, rep.id, p.label(), metric.as_str()
                ));
            }
        }
    }
    report
}

/// The statement of one rep that a manual adjustment goes on: one whose payout period is the
/// adjustment's period or contains it (a month of a quarterly plan's quarter); among several
/// (a plan change inside the period), one whose plan has the component the adjustment
/// names, else the last.
fn manual_target<'a>(mine: &'a mut [Statement], m: &ManualAdjustment) -> Option<&'a mut Statement> {
    let fits = |s: &Statement| {
        s.payout_period.start <= m.period.start && m.period.end <= s.payout_period.end
    };
    let named = m.component.and_then(|c| {
        mine.iter()
            .rposition(|s| fits(s) && s.lines.iter().any(|l| l.metric == c))
    });
    let i = named.or_else(|| mine.iter().rposition(fits))?;
    mine.get_mut(i)
}

fn gap_reason(rep: &Rep, period: &Period, gaps: &[(NaiveDate, NaiveDate)]) -> String {
    let employed = period.each_day().filter(|d| rep.employed_on(*d)).count();
    let missing: usize = gaps
        .iter()
        .map(|(a, b)| (*b - *a).num_days() as usize + 1)
        .sum();
    let who = format!("rep `{}` ({})", rep.id, rep.role.as_str());
    if missing == employed {
        format!(
            "no comp plan in effect in {} names {who} or covers role {}",
            period.label(),
            rep.role.as_str()
        )
    } else {
        let runs: Vec<String> = gaps.iter().map(|(a, b)| format!("{a} to {b}")).collect();
        format!("no comp plan covers {who} from {}", runs.join(", "))
    }
}
