//! What is worth acting on in a period, and what the exports cannot tell: the alerts the
//! dashboard, the review packet and the e-mail digest share, and the list of missing exports
//! and columns.

use serde::Serialize;

use crate::format;
use crate::prepared::Prepared;
use crate::render::known::Known;
use crate::render::links::{rep_name, Links};

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
                text: format!(
                    "Show rate fell from {} to {}: {} no-shows to rebook.",
                    format::rate(b.value, b.num, b.den),
                    format::rate(a.value, a.num, a.den),
                    t.no_show
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
