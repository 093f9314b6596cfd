//! Which plan pays a rep on which day, and the payout periods that follow from it.
//!
//! A plan applies to a rep on a day when it is in effect that day (effective_from..=
//! effective_to) and names the rep in `reps`, or, when no plan in effect names the rep, when
//! its `roles` include the rep's role; the first such plan in file order wins. Deciding per
//! day makes a plan change inside a payout period split it cleanly, with no day paid twice.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::Rep;
use crate::period::Period;
use crate::playbook::comp::{PayoutPeriod, Plan};

/// The local days of a payout period on which one plan applied to one rep.
///
/// Usually the whole payout period; fewer days when the rep changed plans inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    pub period: Period,
    days: BTreeSet<NaiveDate>,
}

impl Window {
    /// Every day of `period`.
    pub fn whole(period: Period) -> Window {
        Window {
            period,
            days: period.each_day().collect(),
        }
    }

    /// The given days of `period` (days outside it are ignored).
    pub fn of_days(period: Period, days: impl IntoIterator<Item = NaiveDate>) -> Window {
        Window {
            period,
            days: days.into_iter().filter(|d| period.contains(*d)).collect(),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.days.contains(&day)
    }

    pub fn len(&self) -> usize {
        self.days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days.iter().copied()
    }

    pub fn first(&self) -> Option<NaiveDate> {
        self.days.first().copied()
    }

    pub fn last(&self) -> Option<NaiveDate> {
        self.days.last().copied()
    }
}

/// One statement to compute: a plan, a payout period and the days the plan applied in it.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// Index of the plan in the playbook's list.
    pub plan: usize,
    /// The days of the payout period on which this plan applied to the rep.
    pub window: Window,
    /// Days of the window on which the rep was employed.
    pub active_days: u32,
    /// Days of the whole payout period on which the rep was employed and some plan applied:
    /// `active_days` summed over the rep's windows of the period (a quota is split by them).
    pub plan_days: u32,
}

/// What coverage found for one rep over a build period.
#[derive(Debug, Default)]
pub struct Coverage {
    pub assignments: Vec<Assignment>,
    /// Runs of days in the build period on which the rep was employed but no plan applied.
    pub gaps: Vec<(NaiveDate, NaiveDate)>,
    pub warnings: Vec<String>,
}

fn in_effect(plan: &Plan, day: NaiveDate) -> bool {
    day >= plan.effective_from && plan.effective_to.is_none_or(|to| day <= to)
}

/// The plan that applies to `rep` on `day`, by index.
pub fn plan_on(plans: &[Plan], rep: &Rep, day: NaiveDate) -> Option<usize> {
    plans
        .iter()
        .position(|p| in_effect(p, day) && p.reps.contains(&rep.id))
        .or_else(|| {
            plans
                .iter()
                .position(|p| in_effect(p, day) && p.roles.contains(&rep.role))
        })
}

/// The calendar quarter containing `day`.
pub fn quarter_of(day: NaiveDate) -> Period {
    Period::quarter(day.year(), day.month0() / 3 + 1)
}

/// The payout periods of a plan for a build period: its months for a monthly plan, the
/// quarters overlapping it for a quarterly one (a month's build pays the quarter containing it).
pub fn payout_periods(kind: PayoutPeriod, build: &Period) -> Vec<Period> {
    match kind {
        PayoutPeriod::Monthly => build.months(),
        PayoutPeriod::Quarterly => {
            let mut out: Vec<Period> = Vec::new();
            for m in build.months() {
                let q = quarter_of(m.start);
                if out.last() != Some(&q) {
                    out.push(q);
                }
            }
            out
        }
    }
}

/// Assigns plans to `rep` for every payout period touching `build`.
pub fn cover(plans: &[Plan], rep: &Rep, build: &Period) -> Coverage {
    let mut cov = Coverage::default();
    // Every day any payout period can reach: the build period widened to whole quarters.
    let last = build.end.pred_opt().unwrap_or(build.start);
    let span = Period {
        start: quarter_of(build.start).start,
        end: quarter_of(last).end,
        quarter: build.quarter,
    };
    let chosen: Vec<(NaiveDate, Option<usize>)> = span
        .each_day()
        .map(|d| (d, plan_on(plans, rep, d)))
        .collect();

    let mut named_twice = BTreeSet::new();
    for (day, _) in &chosen {
        let naming: Vec<&str> = plans
            .iter()
            .filter(|p| in_effect(p, *day) && p.reps.contains(&rep.id))
            .map(|p| p.name.as_str())
            .collect();
        if naming.len() > 1 && named_twice.insert(naming.join("\u{0}")) {
            cov.warnings.push(format!(
                "rep `{}` is named in several plans in effect on {day} ({}); `{}`, the first in comp.yaml, applies",
                rep.id,
                naming.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                naming[0]
            ));
        }
    }

    let used: BTreeSet<usize> = chosen
        .iter()
        .filter(|(d, _)| build.contains(*d))
        .filter_map(|(_, p)| *p)
        .collect();
    for plan in used {
        for payout in payout_periods(plans[plan].payout_period, build) {
            let days: Vec<NaiveDate> = chosen
                .iter()
                .filter(|(d, p)| *p == Some(plan) && payout.contains(*d))
                .map(|(d, _)| *d)
                .collect();
            // Only a statement the build period has a reason to show: the plan paid the rep
            // on at least one day of the build period.
            if !days
                .iter()
                .any(|d| build.contains(*d) && rep.employed_on(*d))
            {
                continue;
            }
            let active_days = days.iter().filter(|d| rep.employed_on(**d)).count() as u32;
            let plan_days = chosen
                .iter()
                .filter(|(d, p)| p.is_some() && payout.contains(*d) && rep.employed_on(*d))
                .count() as u32;
            cov.assignments.push(Assignment {
                plan,
                window: Window::of_days(payout, days),
                active_days,
                plan_days,
            });
        }
    }
    cov.assignments
        .sort_by_key(|a| (a.window.period.start, a.window.period.end, a.plan));

    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    for (day, plan) in chosen.iter().filter(|(d, _)| build.contains(*d)) {
        if plan.is_none() && rep.employed_on(*day) {
            run = Some(run.map_or((*day, *day), |(from, _)| (from, *day)));
        } else if let Some(r) = run.take() {
            cov.gaps.push(r);
        }
    }
    cov.gaps.extend(run);
    cov
}
