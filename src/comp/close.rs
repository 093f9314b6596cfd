//! Closed periods (docs/comp.md, "Closing a period"): `baton close` freezes a payout period's
//! statements into a file; later builds show them from it, and when today's data gives a rep a
//! different amount for that period, the difference goes on the rep's next open statement as
//! a `prior_period` line with the components and rows that changed.
//!
//! Pure: the file's text is read and written by `history::closed`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::actuals::Evidence;
use super::report::{statements, CompReport};
use super::statement::{Adjustment, AdjustmentKind, Statement};
use crate::model::manual::ManualAdjustment;
use crate::model::quota::Quotas;
use crate::model::Dataset;
use crate::model::Source;
use crate::period::Period;

/// The version of the closed file's format this Baton writes and reads.
pub const VERSION: u64 = 1;

/// One input file and its hash when the period was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputHash {
    /// As shown to people, e.g. `data/opportunities.csv`.
    pub file: String,
    /// `fnv1a64:<16 hex digits>` of its bytes.
    pub hash: String,
}

/// A closed payout period: its statements exactly as they were paid.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closed {
    pub baton_closed_period: u64,
    pub period: Period,
    /// The local day `baton close` ran.
    pub closed_on: NaiveDate,
    /// The as_of the statements were computed at.
    pub as_of: DateTime<Utc>,
    pub currency: String,
    pub playbook_fingerprint: String,
    pub inputs: Vec<InputHash>,
    /// Every statement whose payout period is `period`, each with `closed_on` set; amounts
    /// are exact decimal strings.
    pub statements: Vec<Statement>,
}

/// Freezes the statements of `report` whose payout period is `period`.
pub fn freeze(
    report: &CompReport,
    period: &Period,
    closed_on: NaiveDate,
    playbook_fingerprint: &str,
    inputs: Vec<InputHash>,
) -> Closed {
    let statements = report
        .statements
        .iter()
        .filter(|s| s.payout_period == *period)
        .map(|s| Statement {
            closed_on: Some(closed_on),
            ..s.clone()
        })
        .collect();
    Closed {
        baton_closed_period: VERSION,
        period: *period,
        closed_on,
        as_of: report.as_of,
        currency: report.currency.clone(),
        playbook_fingerprint: playbook_fingerprint.to_string(),
        inputs,
        statements,
    }
}

/// What is wrong with a closed file read back as `file`, if anything: the version, the
/// period it is named after, and statements of another payout period.
pub fn validate(c: &Closed, named: &Period) -> Result<(), String> {
    if c.baton_closed_period != VERSION {
        return Err(format!(
            "written in closed-period format {}, this Baton reads format {VERSION}",
            c.baton_closed_period
        ));
    }
    if c.period != *named {
        return Err(format!(
            "holds period {} but is named {}.json",
            c.period.label(),
            named.label()
        ));
    }
    if let Some(s) = c.statements.iter().find(|s| s.payout_period != c.period) {
        return Err(format!(
            "holds a statement of rep `{}` for {}, not {}",
            s.rep_id,
            s.payout_period.label(),
            c.period.label()
        ));
    }
    if let Some(s) = c
        .statements
        .iter()
        .find(|s| s.closed_on != Some(c.closed_on))
    {
        return Err(format!(
            "the statement of rep `{}` is not marked closed on {}",
            s.rep_id, c.closed_on
        ));
    }
    Ok(())
}

/// The statements of `period` as [`statements`] computes them, with the closed periods of
/// `closed` put in by [`settle`]: what a build shows.
pub fn statements_with_closed(
    ds: &Dataset,
    period: &Period,
    as_of: DateTime<Utc>,
    quotas: &Quotas,
    manual: &[ManualAdjustment],
    closed: &BTreeMap<Period, Closed>,
) -> CompReport {
    with_closed(ds, period, as_of, quotas, manual, closed, true)
}

fn with_closed(
    ds: &Dataset,
    period: &Period,
    as_of: DateTime<Utc>,
    quotas: &Quotas,
    manual: &[ManualAdjustment],
    closed: &BTreeMap<Period, Closed>,
    show_closed: bool,
) -> CompReport {
    let mut report = statements(ds, period, as_of, quotas, manual);
    if !closed.is_empty() {
        // A closed period is recomputed with its own prior-period line (from the period
        // before it, if closed too), as it was frozen: the chain ends at the first period
        // whose predecessor is open.
        let recompute = |p: &Period| with_closed(ds, p, as_of, quotas, manual, closed, false);
        settle(&mut report, closed, show_closed, &recompute);
    }
    report
}

/// Puts closed periods into `report`: the statements of a closed payout period are replaced by
/// the frozen ones (`show_closed`; off when recomputing a closed period), and every open
/// statement right after a closed period ([`settled_by`]) gets the rep's `prior_period` line: the
/// previous period recomputed by `recompute` (with its own prior-period lines, so a difference
/// is paid once) minus what was frozen. `closed` is keyed by period.
pub fn settle(
    report: &mut CompReport,
    closed: &BTreeMap<Period, Closed>,
    show_closed: bool,
    recompute: &dyn Fn(&Period) -> CompReport,
) {
    let payout_periods: BTreeSet<Period> =
        report.statements.iter().map(|s| s.payout_period).collect();
    // Per closed period and rep, the difference and the open payout periods it may go on:
    // with plans of both kinds in one build, a month and a quarter can both hold the day
    // after a closed period, and the difference is paid once.
    let mut pending: BTreeMap<(Period, String), (Adjustment, Vec<Period>)> = BTreeMap::new();
    let mut recomputed: BTreeMap<Period, Vec<(String, Adjustment)>> = BTreeMap::new();
    for n in payout_periods {
        if show_closed && closed.contains_key(&n) {
            continue;
        }
        for frozen in settled_by(&n, closed) {
            let lines = recomputed
                .entry(frozen.period)
                .or_insert_with(|| prior_lines(&recompute(&frozen.period).statements, frozen));
            for (rep, adj) in lines.iter() {
                pending
                    .entry((frozen.period, rep.clone()))
                    .or_insert_with(|| (adj.clone(), Vec::new()))
                    .1
                    .push(n);
            }
        }
    }
    for ((closed_period, rep), (adj, periods)) in pending {
        let day = closed_period.end;
        let mine = |s: &Statement| s.rep_id == rep && periods.contains(&s.payout_period);
        // The rep's statement whose window holds the day after the closed period, else the
        // last of the rep's statements of the earliest of those payout periods.
        let target = report
            .statements
            .iter()
            .position(|s| mine(s) && s.window_start <= day && day <= s.window_end)
            .or_else(|| {
                let first = report
                    .statements
                    .iter()
                    .filter(|s| mine(s))
                    .map(|s| s.payout_period)
                    .min()?;
                report
                    .statements
                    .iter()
                    .rposition(|s| s.rep_id == rep && s.payout_period == first)
            });
        match target {
            Some(i) => {
                let s = &mut report.statements[i];
                s.total += adj.amount;
                s.adjustments.push(adj);
            }
            None => {
                let labels: Vec<String> = periods.iter().map(Period::label).collect();
                report.warnings.push(format!(
                    "rep `{rep}`: {} has no statement in {} to go on; not paid",
                    adj.label,
                    labels.join(" or ")
                ));
            }
        }
    }
    if show_closed {
        for c in closed.values().filter(|c| !c.statements.is_empty()) {
            let next_in_build = report.period.contains(c.period.end);
            let compared = report.statements.iter().any(|s| {
                settled_by(&s.payout_period, closed)
                    .iter()
                    .any(|f| f.period == c.period)
            });
            if next_in_build && !compared && !closed.keys().any(|k| k.contains(c.period.end)) {
                report.warnings.push(format!(
                    "closed period {}: no statement of this build is for the payout period \
                     right after it, so today's data is not compared with it (a plan of \
                     another payout period?)",
                    c.period.label()
                ));
            }
        }
        report
            .statements
            .retain(|s| !closed.contains_key(&s.payout_period));
        for c in closed.values() {
            if c.period.start < report.period.end && report.period.start < c.period.end {
                report.statements.extend(c.statements.iter().cloned());
            }
        }
        report
            .statements
            .sort_by(|a, b| (&a.rep_id, a.payout_period).cmp(&(&b.rep_id, b.payout_period)));
    }
}

/// The closed periods whose differences go on statements of open payout period `n`: those
/// ending inside `n` (the first day after them is a day of `n`), whatever their kind, so a
/// plan moving from monthly to quarterly or back still settles its last closed period; of
/// those, only the ones ending latest, since each closed period is recomputed with the
/// difference of the one before it and an earlier one's is carried by the later one. A month
/// and a quarter closed on the same day (plans of both kinds) both settle on `n`.
fn settled_by<'c>(n: &Period, closed: &'c BTreeMap<Period, Closed>) -> Vec<&'c Closed> {
    let ending_in_n: Vec<&Closed> = closed
        .values()
        .filter(|c| n.contains(c.period.end))
        .collect();
    let latest = ending_in_n.iter().map(|c| c.period.end).max();
    ending_in_n
        .into_iter()
        .filter(|c| Some(c.period.end) == latest)
        .collect()
}

/// An amount with the currency's decimals, as comp.csv writes it.
fn fmt_amount(d: Decimal, minor: u32) -> String {
    format!("{:.*}", minor as usize, d)
}

/// Per rep, the closed period recomputed (`now`: statements of any payout period; those of
/// the frozen period are used) minus the frozen total, when not zero, as a `prior_period`
/// line naming the period, both amounts, each component whose payout changed and the
/// evidence rows found on one side only.
pub fn prior_lines(now: &[Statement], frozen: &Closed) -> Vec<(String, Adjustment)> {
    let of_period = |s: &&Statement| s.payout_period == frozen.period;
    let mut reps: BTreeSet<&str> = frozen
        .statements
        .iter()
        .map(|s| s.rep_id.as_str())
        .collect();
    reps.extend(now.iter().filter(of_period).map(|s| s.rep_id.as_str()));
    let mut out = Vec::new();
    for rep in reps {
        let mine = |list: &'_ [Statement]| -> Vec<Statement> {
            list.iter()
                .filter(|s| s.rep_id == rep && s.payout_period == frozen.period)
                .cloned()
                .collect()
        };
        let (was, is) = (mine(&frozen.statements), mine(now));
        let total = |v: &[Statement]| v.iter().map(|s| s.total).sum::<Decimal>();
        let diff = total(&is) - total(&was);
        let minor = is
            .iter()
            .chain(&was)
            .map(|s| s.minor_units)
            .next()
            .unwrap_or(2);
        if diff.is_zero() {
            continue;
        }
        let mut changed = Vec::new();
        let mut sources: Vec<Source> = Vec::new();
        for (key, (old, new)) in parts(&was, &is) {
            if old.payout == new.payout {
                continue;
            }
            changed.push(format!(
                "{key} {} → {}",
                fmt_amount(old.payout, minor),
                fmt_amount(new.payout, minor)
            ));
            for s in new.sources.iter().filter(|s| !old.sources.contains(s)) {
                sources.push(s.clone());
            }
            for s in old.sources.iter().filter(|s| !new.sources.contains(s)) {
                sources.push(s.clone());
            }
        }
        let mut label = format!(
            "prior-period adjustment for {} (closed on {}): recomputed {} − closed {}",
            frozen.period.label(),
            frozen.closed_on,
            fmt_amount(total(&is), minor),
            fmt_amount(total(&was), minor)
        );
        if !changed.is_empty() {
            label.push_str("; ");
            label.push_str(&changed.join(", "));
        }
        out.push((
            rep.to_string(),
            Adjustment {
                kind: AdjustmentKind::PriorPeriod,
                amount: diff,
                label,
                sources,
                component: None,
            },
        ));
    }
    out
}

/// One part of a rep's pay for a period: what it paid and the rows behind it.
#[derive(Default)]
struct Part {
    payout: Decimal,
    sources: Vec<Source>,
}

/// Every component and adjustment kind of `was` and `is`, keyed by name, with the payout and
/// rows of each side (a part missing on one side pays 0 there).
fn parts(was: &[Statement], is: &[Statement]) -> BTreeMap<String, (Part, Part)> {
    let mut map: BTreeMap<String, (Part, Part)> = BTreeMap::new();
    for (side, list) in [(0, was), (1, is)] {
        for s in list {
            let items = s
                .lines
                .iter()
                .map(|l| {
                    let rows = l
                        .evidence
                        .iter()
                        .flat_map(|e| match e {
                            Evidence::Rows { sources, .. } => sources.to_vec(),
                            Evidence::ActivityDay { .. } => Vec::new(),
                        })
                        .collect::<Vec<_>>();
                    (l.metric.as_str().to_string(), l.payout, rows)
                })
                .chain(
                    s.adjustments
                        .iter()
                        .map(|a| (a.kind.as_str().to_string(), a.amount, a.sources.clone())),
                );
            for (key, payout, rows) in items {
                let e = map.entry(key).or_default();
                let part = if side == 0 { &mut e.0 } else { &mut e.1 };
                part.payout += payout;
                part.sources.extend(rows);
            }
        }
    }
    map
}
