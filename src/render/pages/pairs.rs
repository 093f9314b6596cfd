//! Each SDR–AE pair's page and its 1:1 agenda.

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::common::{feedback, pair_summary, prev_of, symbol};
use crate::error::Error;
use crate::format;
use crate::prepared::Prepared;
use crate::render::known::{Known, NOT_EXPORTED};
use crate::render::links::{rep_link, rep_name, Links};
use crate::render::rows::Cohort;
use crate::render::site::{Page, Writer};
use crate::render::views::{self};

/// One agenda section of the next 1:1, pre-filled from the data.
#[derive(Serialize)]
pub(crate) struct AgendaSection {
    pub(crate) name: String,
    pub(crate) minutes: u32,
    pub(crate) items: Vec<AgendaItem>,
    pub(crate) empty_note: &'static str,
}

#[derive(Serialize)]
pub(crate) struct AgendaItem {
    pub(crate) text: String,
    pub(crate) href: Option<String>,
}

/// Which part of the data a template section gets, from its name (see docs/templates.md).
pub(crate) fn agenda_kind(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if n.contains("win") || n.contains("opening") || n.contains("celebrat") {
        "wins"
    } else if n.contains("goal") || n.contains("progress") {
        "goals"
    } else if n.contains("quality") || n.contains("feedback") {
        "feedback"
    } else if n.contains("alignment") || n.contains("next") || n.contains("open") {
        "open"
    } else {
        "none"
    }
}

pub(crate) fn pairs(
    p: &Prepared,
    links: &Links,
    cohort: &Cohort,
    w: &mut Writer,
) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let ds = &p.loaded.dataset;
    // The period's wins, and who sourced each won lead (one hand-off per lead): looked up once,
    // not per pair, and only for the won leads (a map of every lead was 30 MB at scale).
    let mut won: HashMap<&str, Vec<&crate::model::Opportunity>> = HashMap::new();
    for o in &ds.opportunities {
        if o.status == crate::model::OpportunityStatus::Won
            && o.close_date.is_some_and(|d| p.period.contains(d))
        {
            won.entry(&*o.ae_id).or_default().push(o);
        }
    }
    let won_leads: std::collections::HashSet<&str> = won
        .values()
        .flatten()
        .filter_map(|o| o.lead_id.as_deref())
        .collect();
    let sdr_of: HashMap<&str, &str> = ds
        .handoffs
        .iter()
        .filter(|h| won_leads.contains(h.lead_id.as_str()))
        .map(|h| (h.lead_id.as_str(), &*h.sdr_id))
        .collect();
    w.pages(&p.metrics.current.pairs, |x| {
        let Some(rel) = links.pair(&x.sdr, &x.ae) else {
            return Ok(None);
        };
        let prev = p
            .metrics
            .previous_at_age
            .pairs
            .iter()
            .find(|y| y.sdr == x.sdr && y.ae == x.ae)
            .map(|y| &y.metrics);
        let prev = prev_of(p, prev);
        let rows = cohort.of(p, &x.sdr, false, |h| *h.ae_id == *x.ae);
        let fb = feedback(&rows);
        let wins: Vec<AgendaItem> = rows
            .iter()
            .map(|l| l.row)
            .filter(|r| r.decision == "accepted" && r.outcome == "held")
            .map(|r| AgendaItem {
                text: format!("{} accepted ({})", r.company, r.lead),
                href: Some(r.link.clone()),
            })
            .chain(
                won.get(x.ae.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|o| {
                        o.lead_id
                            .as_deref()
                            .is_some_and(|l| sdr_of.get(l) == Some(&x.sdr.as_str()))
                    })
                    .map(|o| AgendaItem {
                        text: format!(
                            "Deal closed won: {} ({})",
                            Known::of(p).money("closed_won_amount", o.amount, &sym),
                            o.opportunity_id
                        ),
                        href: o.lead_id.as_ref().and_then(|l| links.lead(l)),
                    }),
            )
            .collect();
        let goals: Vec<AgendaItem> = p
            .comp
            .statements
            .iter()
            .filter(|s| s.rep_id == x.sdr)
            .flat_map(|s| s.lines.iter().map(move |l| (s, l)))
            .map(|(s, l)| AgendaItem {
                text: format!(
                    "{}: {} of {} ({}){}",
                    l.metric.as_str().replace('_', " "),
                    format::decimal(l.actual, 2),
                    format::decimal(l.target, 2),
                    l.attainment.map_or_else(
                        || "n/a".to_string(),
                        |a| format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&a), 0)
                    ),
                    if s.partial { ", to date" } else { "" }
                ),
                href: Some(
                    rep_link(p, links, &s.rep_id, s.role)
                        .map_or_else(|| "comp.html".into(), |page| format!("{page}#comp")),
                ),
            })
            .collect();
        let feedback_items: Vec<AgendaItem> = fb
            .rejections
            .iter()
            .map(|r| AgendaItem {
                text: format!(
                    "Rejected: {} — {}",
                    r.company,
                    if r.rejection_reason.is_empty() {
                        "no reason given"
                    } else {
                        &r.rejection_reason
                    }
                ),
                href: Some(r.link.clone()),
            })
            .chain(fb.no_shows.iter().map(|r| AgendaItem {
                // Warm or cold only when handoff_type is exported.
                text: if r.kind == NOT_EXPORTED {
                    format!("No-show: {}", r.company)
                } else {
                    format!("No-show: {} ({} hand-off)", r.company, r.kind)
                },
                href: Some(r.link.clone()),
            }))
            .chain(fb.missing_docs.iter().map(|r| AgendaItem {
                text: format!("{}: missing {}", r.company, r.missing_sections.join(", ")),
                href: Some(r.link.clone()),
            }))
            .chain(
                rows.iter()
                    .map(|l| l.row)
                    .filter(|r| r.continuity == "differs")
                    .map(|r| AgendaItem {
                        text: format!("{}: AE heard a different pain point", r.company),
                        href: Some(r.link.clone()),
                    }),
            )
            .collect();
        let open: Vec<AgendaItem> = fb
            .awaiting
            .iter()
            .map(|r| AgendaItem {
                text: format!(
                    "{} — {}",
                    r.company,
                    match r.sla {
                        "never" => "no AE contact, SLA missed",
                        "open" => "awaiting AE contact",
                        _ => "decision pending",
                    }
                ),
                href: Some(r.link.clone()),
            })
            .collect();
        let mut buckets = [
            ("wins", wins),
            ("goals", goals),
            ("feedback", feedback_items),
            ("open", open),
        ];
        let agenda: Vec<AgendaSection> = p
            .loaded
            .dataset
            .playbook
            .meetings
            .sections
            .iter()
            .map(|s| {
                let kind = agenda_kind(&s.name);
                let items = buckets
                    .iter_mut()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, v)| std::mem::take(v))
                    .unwrap_or_default();
                AgendaSection {
                    name: s.name.clone(),
                    minutes: s.minutes,
                    items,
                    empty_note: match kind {
                        "wins" => "No wins this period yet.",
                        "goals" => "No comp plan goals for this SDR.",
                        "feedback" => "No rejections, no-shows or missing documentation.",
                        "open" => "Nothing awaiting follow-up.",
                        _ => "",
                    },
                }
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("pair", &pair_summary(p, links, x));
        ctx.insert("sdr_link", &links.sdr(&x.sdr));
        ctx.insert("ae_link", &links.ae(&x.ae));
        ctx.insert(
            "funnel",
            &views::funnel_figs(Known::of(p), &x.metrics, prev, min, &sym),
        );
        ctx.insert(
            "quality",
            &views::quality_figs(Known::of(p), &x.metrics, prev, min),
        );
        ctx.insert("cadence", &x.metrics.cadence);
        ctx.insert("agenda", &agenda);
        ctx.insert("handoffs", &rows.iter().map(|l| l.html).collect::<Vec<_>>());
        let title = format!("{} & {}", rep_name(p, &x.sdr), rep_name(p, &x.ae));
        Ok(Some(Page {
            rel,
            name: "pair.html",
            title,
            section: "matrix",
            ctx,
        }))
    })
}
