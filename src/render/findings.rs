//! What is worth acting on in a period, and what the exports cannot tell: the alerts the
//! dashboard, the review packet and the e-mail digest share, and the list of missing exports
//! and columns.

use serde::Serialize;

use crate::format;
use crate::metrics::stats::Rate;
use crate::prepared::Prepared;
use crate::render::known::Known;
use crate::render::links::{rep_name, Links};
use crate::render::selections::{Kind, Selection};

/// A dashboard alert: something worth acting on, with where to look.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub level: &'static str,
    pub text: String,
    pub href: String,
}

pub(crate) fn missing_tables(p: &Prepared) -> Vec<String> {
    use crate::model::Table;
    let ds = &p.loaded.dataset;
    let mut out = Vec::new();
    let need = [
        (
            Table::Meetings,
            "meeting outcomes and show rates (every hand-off counts as pending)",
        ),
        (Table::Activities, "dials, conversations and other activity"),
        (Table::Opportunities, "opportunities, wins and closed deals"),
        (Table::OneOnOnes, "1:1 cadence"),
        (Table::Forecasts, "forecast accuracy"),
    ];
    for (t, what) in need {
        if !ds.has(t) {
            out.push(format!(
                "No {} export: {what} cannot be shown.",
                t.file_name()
            ));
        }
    }
    let mut reasons: Vec<&String> = p.metrics.unavailable.values().collect();
    reasons.sort();
    reasons.dedup();
    // Missing tables were named above; the rest are columns or rows the exports lack.
    for r in reasons.into_iter().filter(|r| !r.starts_with("no ")) {
        out.push(format!("Not in these exports: {r}."));
    }
    out
}

/// What is worth acting on this period, most pressing first (the dashboard, the review
/// packet and the e-mail digest show them).
pub(crate) fn alerts(p: &Prepared, links: &Links) -> Vec<Alert> {
    let cur = &p.metrics.current;
    let prev = &p.metrics.previous_at_age;
    let min = p.metrics.min_sample;
    let ds = &p.loaded.dataset;
    let mut out = Vec::new();
    let t = &cur.team.cohort;
    // A figure the exports cannot give raises no alert (its 0s are empty cells, not data).
    let k = Known::of(p);
    if t.sla_breaches > 0 && k.has("sla_breaches") {
        out.push(Alert {
            level: "warn",
            text: format!(
                "{} hand-offs missed the {} h follow-up SLA ({} never followed up).",
                t.sla_breaches, ds.playbook.handoff.sla_hours, t.ae_never_followed_up
            ),
            href: "handoffs/sla-missed.html".into(),
        });
    }
    let (a, b) = (&t.show_rate, &prev.team.cohort.show_rate);
    // Periods the data covers unequally are not compared (metrics.json `comparable`).
    if let (Some(x), Some(y), true) = (a.value, b.value, k.has("show_rate") && k.comparable()) {
        if x + 0.05 <= y && !a.is_small(min) && !b.is_small(min) {
            out.push(Alert {
                level: "warn",
                // The count leads: the linked view lists exactly these no-shows.
                text: format!(
                    "{} no-shows to rebook: the show rate fell from {} to {}.",
                    t.no_show,
                    format::rate(b.value, b.num, b.den),
                    format::rate(a.value, a.num, a.den)
                ),
                href: "handoffs/no-shows.html".into(),
            });
        }
    }
    for d in &p.diagnostics {
        if d.message.contains("last reviewed") || d.message.contains("no last_reviewed") {
            out.push(Alert {
                level: "warn",
                text: format!("Playbook: {}", d.message),
                href: "playbook/qualification.html".into(),
            });
        }
    }
    for pair in &cur.pairs {
        if let Some(c) = &pair.metrics.cadence {
            if c.one_on_ones_expected > 0 && c.one_on_one_adherence.value.is_some_and(|v| v < 0.5) {
                out.push(Alert {
                    level: "warn",
                    text: format!(
                        "1:1s lapsed for {} and {}: {} held of {} expected.",
                        rep_name(p, &pair.sdr),
                        rep_name(p, &pair.ae),
                        c.one_on_ones_held,
                        c.one_on_ones_expected
                    ),
                    href: links
                        .pair(&pair.sdr, &pair.ae)
                        .unwrap_or_else(|| "pods.html".into()),
                });
            }
        }
    }
    let small = cur
        .sdrs
        .values()
        .filter(|m| m.cohort.show_rate.is_small(min))
        .count();
    if small > 0 && k.has("show_rate") {
        // The show rate's denominator is held plus no-show meetings (docs/metrics.md).
        out.push(Alert {
            level: "info",
            text: format!(
                "{small} of {} SDRs have fewer than {min} held or no-show meetings: their show rates are greyed, marked * and not ranked.",
                cur.sdrs.len()
            ),
            href: "sdrs.html".into(),
        });
    }
    let rejected = p.loaded.rejections.len();
    if rejected > 0 {
        out.push(Alert {
            level: "warn",
            text: format!("{rejected} input rows were rejected and are not counted."),
            href: "data.html".into(),
        });
    }
    out
}

/// A finding of the dashboard's brief: what the period's hand-offs show, with its count, its
/// comparison and the page of exactly the hand-offs behind it (docs/metrics.md, "The brief").
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The finding, its count first: "8 of 94 hand-offs missed the 24 h follow-up SLA".
    pub text: String,
    /// What it is compared with: the previous period at the same age, or the other group.
    pub comparison: String,
    /// The filtered view listing its hand-offs, from the site's root.
    pub href: String,
    /// The effect score: the number of hand-offs the finding is about (its view's rows).
    pub effect: usize,
}

/// `one` for a count of 1, else `many`.
fn plural(count: u64, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// The most findings the brief shows.
pub const MAX_FINDINGS: usize = 5;

/// The id that most of `ids` are, with its count, when it is at least 2 and strictly more
/// than any other's.
fn top<'a>(ids: impl Iterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for id in ids {
        *counts.entry(id).or_default() += 1;
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by_key(|b| std::cmp::Reverse(b.1));
    match by_count.as_slice() {
        [(id, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|(_, m)| m < n) => {
            Some((id, *n))
        }
        _ => None,
    }
}

/// The previous period's count beside this one's, or why it is not compared.
fn count_change(k: &Known, key: &str, heading: &str, before: String) -> String {
    if !k.comparable() {
        format!("{heading}: not comparable, the data covers the two periods unequally")
    } else if let Some(why) = k.not_age_matched(key) {
        format!("{heading}: {before} (not age-matched: {why})")
    } else {
        format!("{heading}: {before}")
    }
}

/// A rate now and in the previous period at the same age, with the change in points when the
/// two compare like with like and neither is a small sample.
fn rate_change(
    k: &Known,
    key: &str,
    label: &str,
    now: &Rate,
    before: &Rate,
    min: u64,
    heading: &str,
) -> String {
    let shown = format!("{label} {}", k.rate_marked(key, now, min));
    let prev = k.rate_marked(key, before, min);
    if !k.comparable() {
        return format!(
            "{shown}; {heading}: not comparable, the data covers the two periods unequally"
        );
    }
    if let Some(why) = k.not_age_matched(key) {
        return format!("{shown}; {heading} {prev} (not age-matched: {why})");
    }
    match (now.value, before.value) {
        (Some(a), Some(b)) if !now.is_small(min) && !before.is_small(min) => {
            let pts = ((a - b) * 100.0).round();
            let sign = if pts > 0.0 {
                "+"
            } else if pts < 0.0 {
                "\u{2212}"
            } else {
                "\u{b1}"
            };
            format!("{shown}, {sign}{} pts from {prev} in {heading}", pts.abs())
        }
        _ => format!("{shown}; {heading} {prev}"),
    }
}

/// The brief that opens the dashboard: up to [`MAX_FINDINGS`] findings over the filtered
/// views (`selections`), ranked by their effect score, the number of hand-offs each is about,
/// largest first (a tie keeps the order of the views: SLA, no-shows, rejections by reason,
/// pending decisions, incomplete notes). A view with no rows, or on a figure the exports cannot
/// give (it has no view), raises no finding.
pub(crate) fn findings(p: &Prepared, selections: &[Selection]) -> Vec<Finding> {
    let k = Known::of(p);
    let (cur, prev) = (
        &p.metrics.current.team.cohort,
        &p.metrics.previous_at_age.team.cohort,
    );
    let min = p.metrics.min_sample;
    let ds = &p.loaded.dataset;
    let heading = crate::render::site::site_ctx(p).previous_heading;
    let n = |x: u64| format::num(Some(x as f64), 0);
    let mut out: Vec<Finding> = selections
        .iter()
        .filter(|s| !s.rows.is_empty())
        .map(|s| {
            let count = s.rows.len() as u64;
            let (text, comparison) = match &s.kind {
                Kind::SlaMissed => (
                    format!(
                        "{} of {} hand-offs missed the {} h follow-up SLA ({} never followed up)",
                        n(count),
                        n(cur.meetings_booked),
                        ds.playbook.handoff.sla_hours,
                        n(cur.ae_never_followed_up)
                    ),
                    count_change(
                        &k,
                        "sla_breaches",
                        &heading,
                        format!("{} of {}", n(prev.sla_breaches), n(prev.meetings_booked)),
                    ),
                ),
                Kind::NoShows => (
                    format!(
                        "{} {} to rebook",
                        n(count),
                        plural(count, "no-show", "no-shows")
                    ),
                    rate_change(
                        &k,
                        "show_rate",
                        "show rate",
                        &cur.show_rate,
                        &prev.show_rate,
                        min,
                        &heading,
                    ),
                ),
                Kind::Rejected(reason) => {
                    let label = if reason.is_empty() {
                        "no reason given"
                    } else {
                        reason.as_str()
                    };
                    let mut text = format!(
                        "{} of {} {} for \u{201c}{label}\u{201d}",
                        n(count),
                        n(cur.rejected),
                        plural(count, "rejection was", "rejections were")
                    );
                    let rows = || s.rows.iter().map(|&i| &ds.handoffs[i]);
                    if let Some((ae, m)) = top(rows().map(|h| &*h.ae_id)) {
                        text += &format!(", {} of them by {}", n(m as u64), rep_name(p, ae));
                    }
                    if let Some((sdr, m)) = top(rows().map(|h| &*h.sdr_id)) {
                        text += &format!(
                            ", {} from {}\u{2019}s hand-offs",
                            n(m as u64),
                            rep_name(p, sdr)
                        );
                    }
                    (
                        text,
                        rate_change(
                            &k,
                            "acceptance_rate",
                            "acceptance rate",
                            &cur.acceptance_rate,
                            &prev.acceptance_rate,
                            min,
                            &heading,
                        ),
                    )
                }
                Kind::Pending => {
                    let before = prev.held.saturating_sub(prev.accepted + prev.rejected);
                    (
                        format!(
                            "{} of {} held meetings await the AE\u{2019}s decision",
                            n(count),
                            n(cur.held)
                        ),
                        count_change(
                            &k,
                            "accepted",
                            &heading,
                            format!("{} of {}", n(before), n(prev.held)),
                        ),
                    )
                }
                Kind::IncompleteDocs => {
                    let (a, b) = (
                        &cur.acceptance_rate_incomplete,
                        &cur.acceptance_rate_complete,
                    );
                    let comparison = if k.has("acceptance_rate_incomplete") {
                        format!(
                            "acceptance with incomplete notes {}, with complete notes {}",
                            k.rate_marked("acceptance_rate_incomplete", a, min),
                            k.rate_marked("acceptance_rate_complete", b, min)
                        )
                    } else {
                        String::new()
                    };
                    (
                        format!(
                            "{} of {} hand-offs have incomplete notes",
                            n(count),
                            n(cur.meetings_booked)
                        ),
                        comparison,
                    )
                }
            };
            Finding {
                text,
                comparison,
                href: s.href.clone(),
                effect: s.rows.len(),
            }
        })
        .collect();
    // A stable sort: a tie keeps the views' order.
    out.sort_by_key(|f| std::cmp::Reverse(f.effect));
    out.truncate(MAX_FINDINGS);
    out
}

/// What a reader is asked to act on, once each: the brief's findings, then the alerts that do
/// not open one of the findings' views (the SLA and no-show alerts repeat a finding's count and
/// view, so a finding stands for them). The dashboard, the e-mail digest and the review
/// packet's cover list these.
#[derive(Debug, Clone, Serialize)]
pub struct ToAct {
    pub findings: Vec<Finding>,
    pub alerts: Vec<Alert>,
}

impl ToAct {
    /// How many things there are to act on.
    pub fn len(&self) -> usize {
        self.findings.len() + self.alerts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The findings of [`findings`] and the alerts of [`alerts`] that open none of their views.
pub(crate) fn to_act(p: &Prepared, links: &Links, selections: &[Selection]) -> ToAct {
    let findings = findings(p, selections);
    let alerts = alerts(p, links)
        .into_iter()
        .filter(|a| !findings.iter().any(|f| f.href == a.href))
        .collect();
    ToAct { findings, alerts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rep_is_named_only_when_most_rows_are_theirs_and_at_least_two() {
        assert_eq!(top(["a", "b", "a"].into_iter()), Some(("a", 2)));
        // A tie names no one; one row is no pattern.
        assert_eq!(top(["a", "b", "b", "a"].into_iter()), None);
        assert_eq!(top(["a"].into_iter()), None);
        assert_eq!(top(std::iter::empty()), None);
        assert_eq!(top(["c", "a", "b", "c", "c"].into_iter()), Some(("c", 3)));
    }
}
