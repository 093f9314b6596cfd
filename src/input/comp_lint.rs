//! Checks comp plans against themselves and the playbook's recommended ranges.
//!
//! Impossible plans (negative weight, weights not summing to 100%, threshold above cap) are
//! errors; departures from the playbook's guidance (a weight outside its category's range, a
//! cap below 100%, a pod's team share outside 10-25%) are warnings. Each names its line.
//! So are mistakes that would silently pay wrongly: two plans of one name, one metric twice in
//! a plan (errors), a metric that is always 0 for the roles a plan covers, a share target
//! above 100% (warnings).

use rust_decimal::Decimal;

use crate::error::Diagnostic;
use crate::input::yaml_sources::Sources;
use crate::model::Role;
use crate::playbook::comp::{
    Category, CompConfig, CompMetric, CreditScope, Curve, Plan, TargetScaling,
};
use crate::playbook::Playbook;

/// The team's guidance for the share of goals that is a team goal.
const TEAM_SHARE: [Decimal; 2] = [
    Decimal::from_parts(10, 0, 0, false, 2),
    Decimal::from_parts(25, 0, 0, false, 2),
];

pub fn lint(
    c: &CompConfig,
    p: &Playbook,
    prefix: &str,
    src: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let file = format!("{prefix}comp.yaml");
    let at = |path: &[&str], d: Diagnostic| match src.line_of(&file, path) {
        Some(l) => d.at(l, None),
        None => d,
    };
    for (i, plan) in c.plans.iter().enumerate() {
        let name = format!("name: {}", plan.name);
        if c.plans[..i].iter().any(|p| p.name == plan.name) {
            diags.push(at(
                &[&name, &name],
                Diagnostic::error(
                    &file,
                    format!(
                        "two plans are named `{}`; plan names must be unique (pages and comp.csv use them)",
                        plan.name
                    ),
                ),
            ));
        }
        lint_metrics(plan, &file, &at, diags);
        if plan.roles.is_empty() && plan.reps.is_empty() {
            diags.push(at(
                &[&name],
                Diagnostic::error(
                    &file,
                    format!("plan `{}` covers no role and no rep", plan.name),
                ),
            ));
        }
        if plan.effective_to.is_some_and(|to| to < plan.effective_from) {
            diags.push(at(
                &[&name, "effective_to:"],
                Diagnostic::error(&file, format!("plan `{}` ends before it starts", plan.name)),
            ));
        }
        if plan.annual_variable < Decimal::ZERO || plan.base_salary < Decimal::ZERO {
            diags.push(at(
                &[&name],
                Diagnostic::error(
                    &file,
                    format!("plan `{}` has a negative salary or variable", plan.name),
                ),
            ));
        }
        if plan.pay_day.is_some_and(|d| d == 0 || d > 31) {
            diags.push(at(
                &[&name, "pay_day:"],
                Diagnostic::error(
                    &file,
                    format!(
                        "plan `{}`: pay_day must be a day of the month, 1 to 31",
                        plan.name
                    ),
                ),
            ));
        }
        if let Some(d) = &plan.draw {
            if d.amount <= Decimal::ZERO || d.months == 0 {
                diags.push(at(
                    &[&name, "draw:"],
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: a draw needs an amount above 0 and at least one month",
                            plan.name
                        ),
                    ),
                ));
            } else if plan.annual_variable > Decimal::ZERO
                && d.amount > plan.annual_variable / Decimal::from(12)
            {
                diags.push(at(
                    &[&name, "draw:"],
                    Diagnostic::warning(
                        &file,
                        format!(
                            "plan `{}`: the draw of {} a month is above the monthly variable target {}: a ramping rep is guaranteed more than on-target pay",
                            plan.name,
                            d.amount,
                            (plan.annual_variable / Decimal::from(12)).round_dp(2)
                        ),
                    ),
                ));
            }
        }
        let mut sum = Decimal::ZERO;
        for comp in &plan.components {
            let metric = format!("metric: {}", comp.metric.as_str());
            let here = [name.as_str(), metric.as_str(), "weight:"];
            sum += comp.weight;
            if comp.weight < Decimal::ZERO {
                diags.push(at(
                    &here,
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: component {} has a negative weight {}",
                            plan.name,
                            comp.metric.as_str(),
                            comp.weight
                        ),
                    ),
                ));
            }
            if comp.target <= Decimal::ZERO {
                diags.push(at(
                    &[&name, &metric, "target:"],
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: component {} needs a target above 0",
                            plan.name,
                            comp.metric.as_str()
                        ),
                    ),
                ));
            }
            let curve = &comp.curve;
            if curve.threshold > curve.cap {
                diags.push(at(
                    &[&name, &metric, "threshold:"],
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: component {} has threshold {} above its cap {}",
                            plan.name,
                            comp.metric.as_str(),
                            curve.threshold,
                            curve.cap
                        ),
                    ),
                ));
            }
            if curve.threshold < Decimal::ZERO || curve.accelerator < Decimal::ZERO {
                diags.push(at(
                    &[&name, &metric],
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: component {} has a negative threshold or accelerator",
                            plan.name,
                            comp.metric.as_str()
                        ),
                    ),
                ));
            }
            let ascending = curve.tiers.windows(2).all(|w| w[0].from < w[1].from);
            if !ascending
                || curve
                    .tiers
                    .iter()
                    .any(|t| t.from < Decimal::ONE || t.rate < Decimal::ZERO)
            {
                diags.push(at(
                    &[&name, &metric, "tiers:"],
                    Diagnostic::error(
                        &file,
                        format!(
                            "plan `{}`: component {} needs tiers in ascending order of `from`, each from 1 (100%) or above, with a rate not below 0",
                            plan.name,
                            comp.metric.as_str()
                        ),
                    ),
                ));
            }
            if !curve.tiers.is_empty() && curve.accelerator != Curve::default().accelerator {
                diags.push(at(
                    &[&name, &metric, "accelerator:"],
                    Diagnostic::warning(
                        &file,
                        format!(
                            "plan `{}`: component {} has tiers, so its accelerator {} is ignored",
                            plan.name,
                            comp.metric.as_str(),
                            curve.accelerator
                        ),
                    ),
                ));
            }
            if let Some(d) = &curve.decelerator {
                if d.below <= curve.threshold
                    || d.below > Decimal::ONE
                    || d.rate < Decimal::ZERO
                    || d.rate >= Decimal::ONE
                {
                    diags.push(at(
                        &[&name, &metric, "decelerator:"],
                        Diagnostic::error(
                            &file,
                            format!(
                                "plan `{}`: component {} needs a decelerator `below` above the threshold {} and at most 1, and a `rate` from 0 to below 1",
                                plan.name,
                                comp.metric.as_str(),
                                curve.threshold
                            ),
                        ),
                    ));
                }
            }
            if curve.cap < Decimal::ONE {
                diags.push(at(
                    &[&name, &metric, "cap:"],
                    Diagnostic::warning(
                        &file,
                        format!(
                            "plan `{}`: component {} caps payout at {}% of target, below 100%",
                            plan.name,
                            comp.metric.as_str(),
                            curve.cap * Decimal::ONE_HUNDRED
                        ),
                    ),
                ));
            }
            let range = match comp.category {
                Category::Activity => Some(c.guidance.activity),
                Category::Quality => Some(c.guidance.quality),
                Category::Team => Some(c.guidance.team),
                Category::Revenue => None,
            };
            if let Some([lo, hi]) = range {
                if comp.weight >= Decimal::ZERO && (comp.weight < lo || comp.weight > hi) {
                    diags.push(at(
                        &here,
                        Diagnostic::warning(
                            &file,
                            format!(
                                "plan `{}`: component {} weighs {}%, outside the playbook's {}-{}% for {:?} metrics",
                                plan.name,
                                comp.metric.as_str(),
                                (comp.weight * Decimal::ONE_HUNDRED).normalize(),
                                (lo * Decimal::ONE_HUNDRED).normalize(),
                                (hi * Decimal::ONE_HUNDRED).normalize(),
                                comp.category
                            ),
                        ),
                    ));
                }
            }
        }
        if !plan.components.is_empty() && sum != Decimal::ONE {
            diags.push(at(
                &[&name, "components:"],
                Diagnostic::error(
                    &file,
                    format!(
                        "plan `{}`: component weights sum to {}%, not 100%",
                        plan.name,
                        (sum * Decimal::ONE_HUNDRED).normalize()
                    ),
                ),
            ));
        }
    }
    for pod in &p.team.pods {
        if pod.team_goal_share < TEAM_SHARE[0] || pod.team_goal_share > TEAM_SHARE[1] {
            let mut d = Diagnostic::warning(
                format!("{prefix}team.yaml"),
                format!(
                    "pod `{}`: team goal share {}% is outside the playbook's 10-25% guidance",
                    pod.name,
                    (pod.team_goal_share * Decimal::ONE_HUNDRED).normalize()
                ),
            );
            if let Some(l) = src.line_of(
                &format!("{prefix}team.yaml"),
                &[&format!("name: {}", pod.name), "team_goal_share:"],
            ) {
                d = d.at(l, None);
            }
            diags.push(d);
        }
    }
}

/// Per-metric checks: a metric twice, a metric always 0 for the plan's roles, a share target
/// above 100%.
fn lint_metrics(
    plan: &Plan,
    file: &str,
    at: &dyn Fn(&[&str], Diagnostic) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) {
    let name = format!("name: {}", plan.name);
    for (i, comp) in plan.components.iter().enumerate() {
        let metric = format!("metric: {}", comp.metric.as_str());
        if plan.components[..i].iter().any(|c| c.metric == comp.metric) {
            diags.push(at(
                &[&name, &metric, &metric],
                Diagnostic::error(
                    file,
                    format!(
                        "plan `{}`: component {} appears twice; a plan measures each metric once",
                        plan.name,
                        comp.metric.as_str()
                    ),
                ),
            ));
        }
        if comp.metric == CompMetric::TeamWonAmount && comp.scope == Some(CreditScope::Rep) {
            diags.push(at(
                &[&name, &metric, "scope:"],
                Diagnostic::error(
                    file,
                    format!(
                        "plan `{}`: team_won_amount is the pod's revenue and cannot have `scope: rep`; use won_amount for a rep's own deals",
                        plan.name
                    ),
                ),
            ));
        }
        // Roles (explicitly named reps may have any role, so only role-only plans are judged);
        // a pod or team figure is anyone's.
        if plan.reps.is_empty() && !plan.roles.is_empty() && comp.scope() == CreditScope::Rep {
            let wrong = |r: &Role| match comp.metric.measures_ae() {
                Some(true) => *r != Role::Ae,
                Some(false) => !r.prospects(),
                None => false,
            };
            if plan.roles.iter().all(wrong) {
                let roles: Vec<&str> = plan.roles.iter().map(|r| r.as_str()).collect();
                diags.push(at(
                    &[&name, &metric],
                    Diagnostic::warning(
                        file,
                        format!(
                            "plan `{}`: component {} is always 0 for the roles it covers ({})",
                            plan.name,
                            comp.metric.as_str(),
                            roles.join(", ")
                        ),
                    ),
                ));
            }
        }
        if comp.metric.scaling() == TargetScaling::Share && comp.target > Decimal::ONE {
            diags.push(at(
                &[&name, &metric, "target:"],
                Diagnostic::warning(
                    file,
                    format!(
                        "plan `{}`: component {} is a share but its target {} is above 1 (100%), so it can never be reached",
                        plan.name,
                        comp.metric.as_str(),
                        comp.target
                    ),
                ),
            ));
        }
    }
}
