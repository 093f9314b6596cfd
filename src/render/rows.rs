//! Hand-off rows as pages list them: one line per hand-off with its outcome at as_of,
//! documentation, follow-up and links. Shared by the hand-offs table, rep pages and agendas.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Tera};

use super::format;
use super::site::Links;
use crate::build::Prepared;
use crate::error::Error;
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

/// What pages read of a row besides its rendered table row: the feedback lists of rep pages
/// and the agendas of pair pages. Kept for every row of the period instead of the whole row.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub lead: String,
    pub link: String,
    pub company: String,
    pub kind: &'static str,
    pub handed_off: String,
    pub outcome: &'static str,
    pub decision: &'static str,
    pub rejection_reason: String,
    pub missing_sections: Vec<String>,
    pub sla: &'static str,
    pub continuity: &'static str,
}

impl From<HandoffRow> for Brief {
    fn from(r: HandoffRow) -> Brief {
        Brief {
            lead: r.lead,
            link: r.link,
            company: r.company,
            kind: r.kind,
            handed_off: r.handed_off,
            outcome: r.outcome,
            decision: r.decision,
            rejection_reason: r.rejection_reason,
            missing_sections: r.missing_sections,
            sla: r.sla,
            continuity: r.continuity,
        }
    }
}

/// Rep names by id, looked up once per row instead of searching the reps (a search made the
/// rows of a 1,200-rep team take 0.9 s).
type Names<'a> = HashMap<&'a str, &'a str>;

fn name_of(names: &Names, id: &str) -> String {
    names.get(id).map_or(id, |n| n).to_string()
}

fn row(p: &Prepared, links: &Links, names: &Names, h: &Handoff, f: &HandoffFacts) -> HandoffRow {
    let sections = &p.loaded.dataset.playbook.handoff.sections;
    // Rows are made for the period's hand-offs, each of which has its row and page.
    let link = links.lead(&h.lead_id).unwrap_or_default();
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
    /// (index in `dataset.handoffs`, what pages read of its row).
    rows: Vec<(usize, Brief)>,
    /// Each row as `handoff_row.html` renders it for a page one folder down (`root` `../`):
    /// made once and reused by the rep, pair and hand-offs pages that list the row.
    html: RowsHtml,
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

/// A row as a page lists it: its fields, and its table row rendered (see [`Cohort::html`]).
#[derive(Clone, Copy)]
pub struct Listed<'a> {
    pub row: &'a Brief,
    pub html: &'a str,
}

/// The first rep of each id, as `Dataset::rep` finds it.
fn names(p: &Prepared) -> Names<'_> {
    let mut names = Names::new();
    for r in &p.loaded.dataset.reps {
        names.entry(r.id.as_str()).or_insert(r.name.as_str());
    }
    names
}

/// The whole rows of the hand-offs at `indexes` of `dataset.handoffs`.
pub fn full_rows(p: &Prepared, links: &Links, indexes: &[usize]) -> Vec<HandoffRow> {
    let names = names(p);
    let ds = &p.loaded.dataset;
    indexes
        .iter()
        .map(|&i| row(p, links, &names, &ds.handoffs[i], &p.facts[i]))
        .collect()
}

/// Renders `handoff_row.html` for `row` with `root`: one `<tr>` of a hand-off table.
pub fn row_html(tera: &Tera, row: &HandoffRow, root: &str) -> Result<String, Error> {
    let mut out = Vec::new();
    write_row(tera, row, root, &mut out)?;
    into_text(out)
}

/// What Tera wrote, as text (it writes UTF-8; anything else is reported, not mangled).
fn into_text(out: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(out).map_err(|e| Error::Template {
        name: "handoff_row.html".into(),
        source: tera::Error::msg(e.to_string()),
    })
}

fn write_row(tera: &Tera, row: &HandoffRow, root: &str, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut ctx = Context::new();
    ctx.insert("r", row);
    ctx.insert("root", root);
    super::templates::render_to(tera, "handoff_row.html", &ctx, out)
}

/// Rendered rows end to end in one string, so 25,000 of them are one allocation (as many small
/// strings, made between the renderer's garbage, kept 40 MB of pages from being freed).
#[derive(Debug, Default)]
struct RowsHtml {
    text: String,
    /// Where each row ends in `text`; row `i` starts where row `i - 1` ends.
    ends: Vec<usize>,
}

impl RowsHtml {
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn append(&mut self, other: RowsHtml) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + shift));
    }
}

impl Cohort {
    /// The rows of the hand-offs in `order` ([`cohort_order`]), each rendered once by `tera`
    /// on up to `threads` threads.
    pub fn new(
        p: &Prepared,
        links: &Links,
        order: Vec<usize>,
        tera: &Tera,
        threads: usize,
    ) -> Result<Cohort, Error> {
        let ds = &p.loaded.dataset;
        let names = names(p);
        let part = |order: &[usize]| build_part(p, links, &names, tera, order);
        let (rows, html) = if threads < 2 || order.len() < 64 {
            part(&order)?
        } else {
            let (a, b) = order.split_at(order.len() / 2);
            let (a, b) = std::thread::scope(|s| {
                let b = s.spawn(|| part(b));
                (part(a), b.join())
            });
            let (mut rows, mut html) = a?;
            let (more, more_html) = b.unwrap_or_else(|e| std::panic::resume_unwind(e))?;
            rows.extend(more);
            html.append(more_html);
            (rows, html)
        };
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
        Ok(Cohort {
            rows,
            html,
            by_sdr,
            by_ae,
        })
    }

    /// Every row, oldest first.
    pub fn all(&self) -> Vec<Listed<'_>> {
        (0..self.rows.len()).map(|pos| self.listed(pos)).collect()
    }

    /// The `dataset.handoffs` indexes of the first `n` rows.
    pub fn first(&self, n: usize) -> Vec<usize> {
        self.rows.iter().take(n).map(|(i, _)| *i).collect()
    }

    fn listed(&self, pos: usize) -> Listed<'_> {
        Listed {
            row: &self.rows[pos].1,
            html: self.html.get(pos),
        }
    }

    /// The rows of SDR `id` (`ae: false`) or AE `id` (`ae: true`) whose hand-off `keep`
    /// selects, oldest first.
    pub fn of(
        &self,
        p: &Prepared,
        id: &str,
        ae: bool,
        keep: impl Fn(&Handoff) -> bool,
    ) -> Vec<Listed<'_>> {
        let index = if ae { &self.by_ae } else { &self.by_sdr };
        let handoffs = &p.loaded.dataset.handoffs;
        index
            .get(id)
            .into_iter()
            .flatten()
            .filter(|&&pos| keep(&handoffs[self.rows[pos].0]))
            .map(|&pos| self.listed(pos))
            .collect()
    }
}

/// The rows of the hand-offs at `order`, each rendered by `handoff_row.html` for root `../`
/// as soon as it is made and then kept as its [`Brief`].
fn build_part(
    p: &Prepared,
    links: &Links,
    names: &Names,
    tera: &Tera,
    order: &[usize],
) -> Result<(Vec<(usize, Brief)>, RowsHtml), Error> {
    let ds = &p.loaded.dataset;
    let mut rows = Vec::with_capacity(order.len());
    let mut out = Vec::new();
    let mut ends = Vec::with_capacity(order.len());
    for &i in order {
        let r = row(p, links, names, &ds.handoffs[i], &p.facts[i]);
        write_row(tera, &r, "../", &mut out)?;
        ends.push(out.len());
        rows.push((i, Brief::from(r)));
    }
    Ok((
        rows,
        RowsHtml {
            text: into_text(out)?,
            ends,
        },
    ))
}
