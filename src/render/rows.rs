//! Hand-off rows as pages list them: one line per hand-off with its outcome at as_of,
//! documentation, follow-up and links. Shared by the hand-offs table, rep pages and agendas.

use std::collections::HashMap;

use serde::Serialize;

use super::format;
use super::site::Links;
use crate::build::Prepared;
use crate::metrics::facts::{HandoffFacts, Outcome, Sla};
use crate::model::{Decision, Handoff};
use crate::period::local_date;

#[derive(Debug, Clone, Serialize)]
pub struct HandoffRow {
    pub lead: String,
    /// Anchor id on the hand-offs page, and the link to it from any page (prefix `root`).
    pub anchor: String,
    pub link: String,
    pub company: String,
    pub sdr: String,
    pub sdr_link: String,
    pub ae: String,
    pub ae_link: String,
    pub handed_off: String,
    pub kind: &'static str,
    pub outcome: &'static str,
    pub decision: &'static str,
    pub rejection_reason: String,
    pub documented: String,
    pub missing_sections: Vec<String>,
    pub sales_ready: bool,
    pub follow_up: String,
    pub sla: &'static str,
    pub continuity: &'static str,
    pub source: String,
    /// Sort keys for the no-JavaScript table: ISO date and follow-up hours.
    pub sort_date: String,
    pub sort_follow_up: f64,
}

/// Rep names by id, looked up once per row instead of searching the reps (a search made the
/// rows of a 1,200-rep team take 0.9 s).
type Names<'a> = HashMap<&'a str, &'a str>;

fn name_of(names: &Names, id: &str) -> String {
    names.get(id).map_or(id, |n| n).to_string()
}

fn row(p: &Prepared, links: &Links, names: &Names, h: &Handoff, f: &HandoffFacts) -> HandoffRow {
    let sections = &p.loaded.dataset.playbook.handoff.sections;
    let link = links.lead(&h.lead_id);
    HandoffRow {
        lead: h.lead_id.clone(),
        anchor: link.split('#').nth(1).unwrap_or_default().to_string(),
        link,
        company: h.company.clone(),
        sdr: name_of(names, &h.sdr_id),
        sdr_link: links.sdr(&h.sdr_id),
        ae: name_of(names, &h.ae_id),
        ae_link: links.ae(&h.ae_id),
        handed_off: local_date(h.handoff_at, p.tz).to_string(),
        kind: if f.warm { "warm" } else { "cold" },
        outcome: match f.outcome {
            Outcome::Held => "held",
            Outcome::NoShow => "no-show",
            Outcome::Canceled => "canceled",
            Outcome::Pending => "pending",
        },
        decision: match f.decision {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
            Decision::Pending => "pending",
        },
        rejection_reason: h.rejection_reason.clone(),
        documented: format!("{}/{}", f.documented, sections.len()),
        missing_sections: sections
            .iter()
            .zip(h.documented.iter())
            .filter(|(_, d)| !d)
            .map(|(s, _)| s.name.clone())
            .collect(),
        sales_ready: f.sales_ready,
        follow_up: f
            .follow_up_hours
            .map_or_else(|| "—".to_string(), |h| format::hours(Some(h))),
        sla: match f.sla {
            Sla::Met => "met",
            Sla::Late => "late",
            Sla::NeverContacted => "never",
            Sla::Open => "open",
        },
        continuity: match f.continuity {
            Some(true) => "same",
            Some(false) => "differs",
            None => "",
        },
        source: h.source.to_string(),
        sort_date: h.handoff_at.to_rfc3339(),
        // Never contacted sorts last.
        sort_follow_up: f.follow_up_hours.unwrap_or(999_999_999.0),
    }
}

/// The period's hand-offs (cohort rule), oldest first, each made into a row once and shared by
/// every page that lists them: at scale some 25,000 rows appear on about a thousand pages, so
/// the rows of each SDR and AE are indexed, not searched for.
pub struct Cohort {
    /// (index in `dataset.handoffs`, its row).
    rows: Vec<(usize, HandoffRow)>,
    /// Positions in `rows` by SDR id and by AE id, oldest first.
    by_sdr: HashMap<String, Vec<usize>>,
    by_ae: HashMap<String, Vec<usize>>,
}

/// The period's hand-offs by the cohort rule (handed off in the period, by as_of), as indexes
/// into `dataset.handoffs`, oldest first and by lead id on a tie: the order of the hand-offs
/// table and of its pages.
pub fn cohort_order(p: &Prepared) -> Vec<usize> {
    let handoffs = &p.loaded.dataset.handoffs;
    let mut order: Vec<usize> = handoffs
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.handoff_at <= p.as_of && p.period.contains(local_date(h.handoff_at, p.tz))
        })
        .map(|(i, _)| i)
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&handoffs[a], &handoffs[b]);
        a.handoff_at
            .cmp(&b.handoff_at)
            .then_with(|| a.lead_id.cmp(&b.lead_id))
    });
    order
}

impl Cohort {
    /// The rows of the hand-offs in `order` ([`cohort_order`]).
    pub fn new(p: &Prepared, links: &Links, order: Vec<usize>) -> Cohort {
        let ds = &p.loaded.dataset;
        // The first rep of an id, as `Dataset::rep` finds it.
        let mut names = Names::new();
        for r in &ds.reps {
            names.entry(r.id.as_str()).or_insert(r.name.as_str());
        }
        let rows: Vec<(usize, HandoffRow)> = order
            .into_iter()
            .map(|i| (i, row(p, links, &names, &ds.handoffs[i], &p.facts[i])))
            .collect();
        let (mut by_sdr, mut by_ae) = (HashMap::new(), HashMap::new());
        for (pos, (i, _)) in rows.iter().enumerate() {
            let h = &ds.handoffs[*i];
            by_sdr
                .entry(h.sdr_id.to_string())
                .or_insert_with(Vec::new)
                .push(pos);
            by_ae
                .entry(h.ae_id.to_string())
                .or_insert_with(Vec::new)
                .push(pos);
        }
        Cohort {
            rows,
            by_sdr,
            by_ae,
        }
    }

    /// Every row, oldest first. Borrowed: a context serializes them, so a copy would only
    /// double the memory of the largest page (25,000 rows at scale).
    pub fn all(&self) -> Vec<&HandoffRow> {
        self.rows.iter().map(|(_, r)| r).collect()
    }

    /// The rows of SDR `id` (`ae: false`) or AE `id` (`ae: true`) whose hand-off `keep`
    /// selects, oldest first.
    pub fn of(
        &self,
        p: &Prepared,
        id: &str,
        ae: bool,
        keep: impl Fn(&Handoff) -> bool,
    ) -> Vec<&HandoffRow> {
        let index = if ae { &self.by_ae } else { &self.by_sdr };
        let handoffs = &p.loaded.dataset.handoffs;
        index
            .get(id)
            .into_iter()
            .flatten()
            .map(|pos| &self.rows[*pos])
            .filter(|(i, _)| keep(&handoffs[*i]))
            .map(|(_, r)| r)
            .collect()
    }
}
