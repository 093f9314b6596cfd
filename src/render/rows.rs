//! Hand-off rows as pages list them: one line per hand-off with its outcome at as_of,
//! documentation, follow-up and links. Shared by the hand-offs table, rep pages and agendas.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Tera};

use super::known::{Known, NOT_EXPORTED};
use super::links::Links;
use crate::error::Error;
use crate::format;
use crate::metrics::facts::{HandoffFacts, Outcome, Sla};
use crate::model::{Decision, Handoff};
use crate::period::local_date;
use crate::prepared::Prepared;

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
    /// `yes`, `no`, or `not exported` when a criterion column is not.
    pub sales_ready: &'static str,
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
    // A cell the exports cannot give reads "not exported", as its figure does (Known).
    let k = Known::of(p);
    let or_not = |key: &str, shown: &'static str| if k.has(key) { shown } else { NOT_EXPORTED };
    let docs = k.has("doc_completeness");
    // Rows are made for the period's hand-offs, each of which has its row and page.
    let link = links.lead(&h.lead_id).unwrap_or_default();
    HandoffRow {
        lead: h.lead_id.to_string(),
        anchor: link.split('#').nth(1).unwrap_or_default().to_string(),
        link,
        company: h.company.to_string(),
        sdr: name_of(names, &h.sdr_id),
        sdr_link: links.sdr(&h.sdr_id),
        ae: name_of(names, &h.ae_id),
        ae_link: links.ae(&h.ae_id),
        handed_off: local_date(h.handoff_at, p.tz).to_string(),
        kind: or_not("warm_lift", if f.warm { "warm" } else { "cold" }),
        outcome: or_not(
            "held",
            match f.outcome {
                Outcome::Held => "held",
                Outcome::NoShow => "no-show",
                Outcome::Canceled => "canceled",
                Outcome::Pending => "pending",
            },
        ),
        decision: or_not(
            "accepted",
            match (f.decision, f.decision_counts) {
                (Decision::Accepted, _) => "accepted",
                (Decision::Rejected, _) => "rejected",
                // Only a held meeting awaits a decision (docs/metrics.md), or any hand-off
                // without a meetings export: no "pending" on a no-show beside an empty
                // "Awaiting a decision" list.
                (Decision::Pending, true) => "pending",
                (Decision::Pending, false) => "—",
            },
        ),
        rejection_reason: h.rejection_reason.to_string(),
        documented: k.text("doc_completeness", || {
            format!("{}/{}", f.documented, sections.len())
        }),
        missing_sections: sections
            .iter()
            .zip(h.documented.iter())
            .filter(|(_, d)| docs && !*d)
            .map(|(s, _)| s.name.clone())
            .collect(),
        sales_ready: or_not(
            "sales_ready_share",
            if f.sales_ready { "yes" } else { "no" },
        ),
        follow_up: k.text("sla_breaches", || {
            f.follow_up_hours
                .get()
                .map_or_else(|| "—".to_string(), |h| format::hours(Some(h)))
        }),
        sla: or_not(
            "sla_breaches",
            match f.sla {
                Sla::Met => "met",
                Sla::Late => "late",
                Sla::NeverContacted => "never",
                Sla::Open => "open",
            },
        ),
        continuity: or_not(
            "message_continuity",
            match f.continuity {
                Some(true) => "same",
                Some(false) => "differs",
                None => "",
            },
        ),
        source: h.source.to_string(),
        sort_date: h.handoff_at.to_rfc3339(),
        // Never contacted sorts last.
        sort_follow_up: f.follow_up_hours.get().unwrap_or(999_999_999.0),
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

/// Who writes a hand-off table row: Baton itself for the built-in `handoff_row.html`, or Tera
/// for a project's own. The built-in row is written as the template would write it, byte for
/// byte (a test renders both): at scale 25,000 rows through Tera took 0.3 s of CPU, about
/// 13 us a row for two dozen lookups, and the same rows take milliseconds here.
#[derive(Clone, Copy)]
pub enum RowWriter<'a> {
    Builtin,
    Template(&'a Tera),
}

impl<'a> RowWriter<'a> {
    /// The writer for a site whose templates are `templates`.
    pub fn new(templates: &'a super::templates::Templates) -> Self {
        if templates.replaced.contains("handoff_row.html") {
            RowWriter::Template(&templates.tera)
        } else {
            RowWriter::Builtin
        }
    }

    /// Appends `row`, for a page whose way to the site's root is `root`, to `out`.
    pub fn write(&self, row: &HandoffRow, root: &str, out: &mut String) -> Result<(), Error> {
        match self {
            RowWriter::Builtin => {
                builtin_row(row, root, out);
                Ok(())
            }
            RowWriter::Template(tera) => {
                let mut ctx = Context::new();
                ctx.insert("r", row);
                ctx.insert("root", root);
                let mut bytes = Vec::new();
                super::templates::render_to(tera, "handoff_row.html", &ctx, &mut bytes)?;
                out.push_str(&into_text(bytes)?);
                Ok(())
            }
        }
    }

    /// `row` alone, as [`RowWriter::write`] appends it.
    pub fn html(&self, row: &HandoffRow, root: &str) -> Result<String, Error> {
        let mut out = String::new();
        self.write(row, root, &mut out)?;
        Ok(out)
    }
}

/// What Tera wrote, as text (it writes UTF-8; anything else is reported, not mangled).
fn into_text(out: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(out).map_err(|e| Error::Template {
        name: "handoff_row.html".into(),
        source: tera::Error::msg(e.to_string()),
    })
}

/// `templates/handoff_row.html`, written without Tera: each `{{ }}` escaped as Tera's
/// autoescape does ([`tera::escape_html`]), each `{% if %}` as Tera tests the value.
fn builtin_row(r: &HandoffRow, root: &str, out: &mut String) {
    // Tera keeps the newline after the template's opening comment.
    put(out, "\n<tr id=\"", &r.anchor);
    put(out, "\" class=\"outcome-", r.outcome);
    put(out, " sla-", r.sla);
    put(out, "\">\n      <td><a href=\"", root);
    put(out, "", &r.link);
    put(out, "\" title=\"", &r.source);
    put(out, "\">", &r.lead);
    put(out, "</a></td>\n      <td>", &r.company);
    put(out, "</td>\n      <td><a href=\"", root);
    put(out, "", &r.sdr_link);
    put(out, "\">", &r.sdr);
    put(out, "</a></td>\n      <td><a href=\"", root);
    put(out, "", &r.ae_link);
    put(out, "\">", &r.ae);
    put(out, "</a></td>\n      <td data-sort=\"", &r.sort_date);
    put(out, "\">", &r.handed_off);
    put(out, "</td>\n      <td>", r.kind);
    put(out, "</td>\n      <td>", r.outcome);
    put(out, "</td>\n      <td>", r.decision);
    if !r.rejection_reason.is_empty() {
        put(out, ": ", &r.rejection_reason);
    }
    out.push_str("</td>\n      <td class=\"num\"");
    if !r.missing_sections.is_empty() {
        put(out, " title=\"Missing: ", &r.missing_sections.join(", "));
        out.push('"');
    }
    put(out, ">", &r.documented);
    put(out, "</td>\n      <td>", r.sales_ready);
    // Tera writes a float with Rust's `{}`.
    put(
        out,
        "</td>\n      <td class=\"num\" data-sort=\"",
        &r.sort_follow_up.to_string(),
    );
    put(out, "\">", &r.follow_up);
    put(out, "</td>\n      <td>", r.sla);
    put(out, "</td>\n      <td>", r.continuity);
    out.push_str("</td>\n    </tr>\n");
}

/// Appends `literal`, then `value` escaped as [`tera::escape_html`] escapes it.
fn put(out: &mut String, literal: &str, value: &str) {
    out.push_str(literal);
    let mut rest = value;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'', '/']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => "&#x2F;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Rendered rows end to end in one string a thread, so 25,000 of them are two allocations (as
/// many small strings, made between the renderer's garbage, kept 40 MB of pages from being
/// freed). The threads' strings are kept as they are, not copied into one.
#[derive(Debug, Default)]
struct RowsHtml {
    parts: Vec<RowsPart>,
}

/// The rows one thread rendered.
#[derive(Debug)]
struct RowsPart {
    text: String,
    /// Where each row ends in `text`; row `i` starts where row `i - 1` ends.
    ends: Vec<usize>,
}

impl RowsHtml {
    fn get(&self, mut i: usize) -> &str {
        for part in &self.parts {
            match part.ends.get(i) {
                Some(&end) => {
                    let start = if i == 0 { 0 } else { part.ends[i - 1] };
                    return &part.text[start..end];
                }
                None => i -= part.ends.len(),
            }
        }
        panic!("row {i} past the rendered rows")
    }
}

impl Cohort {
    /// The rows of the hand-offs in `order` ([`cohort_order`]), each written once by `writer`
    /// on up to `threads` threads.
    pub fn new(
        p: &Prepared,
        links: &Links,
        order: Vec<usize>,
        writer: RowWriter,
        threads: usize,
    ) -> Result<Cohort, Error> {
        let ds = &p.loaded.dataset;
        let names = names(p);
        let part = |order: &[usize]| build_part(p, links, &names, writer, order);
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
            html.parts.extend(more_html.parts);
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

    /// The rows of the hand-offs at `indexes` of `dataset.handoffs` (each a row of the
    /// period's), oldest first; an index not in the period has no row and is not listed.
    pub fn at(&self, indexes: &[usize]) -> Vec<Listed<'_>> {
        let wanted: std::collections::HashSet<usize> = indexes.iter().copied().collect();
        (0..self.rows.len())
            .filter(|&pos| wanted.contains(&self.rows[pos].0))
            .map(|pos| self.listed(pos))
            .collect()
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
    writer: RowWriter,
    order: &[usize],
) -> Result<(Vec<(usize, Brief)>, RowsHtml), Error> {
    let ds = &p.loaded.dataset;
    let mut rows = Vec::with_capacity(order.len());
    let mut text = String::new();
    let mut ends = Vec::with_capacity(order.len());
    for (n, &i) in order.iter().enumerate() {
        let r = row(p, links, names, &ds.handoffs[i], &p.facts[i]);
        writer.write(&r, "../", &mut text)?;
        if n == 0 {
            // Room for every row at a quarter more than the first: one allocation instead of
            // doubling (each step copies the text into new memory the kernel must zero).
            // Room never written is never resident.
            text.reserve((text.len() + text.len() / 4) * order.len());
        }
        ends.push(text.len());
        rows.push((i, Brief::from(r)));
    }
    Ok((
        rows,
        RowsHtml {
            parts: vec![RowsPart { text, ends }],
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row whose every text field holds `text`, with the choices the template branches on.
    fn row(text: &str, reason: &str, missing: &[&str], ready: bool, hours: f64) -> HandoffRow {
        HandoffRow {
            lead: format!("L1{text}"),
            anchor: format!("h-l1{text}"),
            link: format!("handoffs.html#h-{text}"),
            company: format!("Acme {text} Ltd"),
            sdr: format!("Ana {text}"),
            sdr_link: "sdr/ana.html".into(),
            ae: text.into(),
            ae_link: "ae/bo.html".into(),
            handed_off: "2026-10-01".into(),
            kind: "warm",
            outcome: "no-show",
            decision: "rejected",
            rejection_reason: reason.into(),
            documented: "3/5".into(),
            missing_sections: missing.iter().map(|s| s.to_string()).collect(),
            sales_ready: if ready { "yes" } else { "no" },
            follow_up: "2.4 h".into(),
            sla: "late",
            continuity: "differs",
            source: format!("data/handoffs.csv:{}", text.len()),
            sort_date: "2026-10-01T13:42:00+00:00".into(),
            sort_follow_up: hours,
        }
    }

    #[test]
    fn the_builtin_row_is_the_default_template_byte_for_byte() {
        let empty = tempfile::tempdir().expect("tempdir");
        let tera = super::super::templates::load_tera(&empty.path().join("templates"))
            .expect("defaults load");
        let hostile = "<script>alert('x')</script> & \"Ørsted\" / 日本 &amp;";
        let rows = [
            row("", "", &[], false, 999_999_999.0),
            row(
                hostile,
                hostile,
                &[hostile, "Budget"],
                true,
                2.360_277_777_777_777_7,
            ),
            row("plain", "Bad fit", &["Timeline"], true, 0.0),
            row("'/'", "", &["A", "B", "C"], false, 0.25),
        ];
        for r in &rows {
            for root in ["", "../", "../../"] {
                let via_tera = RowWriter::Template(&tera).html(r, root).expect("tera");
                let builtin = RowWriter::Builtin.html(r, root).expect("builtin");
                assert_eq!(builtin, via_tera, "row {:?} at root {root:?}", r.lead);
            }
        }
        // The hostile text is escaped, not just equal in both.
        let html = RowWriter::Builtin.html(&rows[1], "../").expect("builtin");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains(
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2F;script&gt; &amp; &quot;Ørsted&quot;"
        ));
    }

    #[test]
    fn a_project_row_template_replaces_the_builtin_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let templates = dir.path().join("templates");
        let load = || super::super::templates::load(&templates).expect("loads");
        assert!(matches!(RowWriter::new(&load()), RowWriter::Builtin));
        std::fs::create_dir_all(&templates).expect("mkdir");
        // A copy of the default, as `baton init` writes one, is no replacement.
        let (_, default) = super::super::templates::DEFAULT_TEMPLATES
            .iter()
            .find(|(name, _)| *name == "handoff_row.html")
            .expect("a default row");
        std::fs::write(templates.join("handoff_row.html"), default).expect("write");
        assert!(matches!(RowWriter::new(&load()), RowWriter::Builtin));
        std::fs::write(
            templates.join("handoff_row.html"),
            "<tr><td>{{ r.lead }} by {{ r.sdr }}</td></tr>",
        )
        .expect("write");
        let loaded = load();
        let writer = RowWriter::new(&loaded);
        assert!(matches!(writer, RowWriter::Template(_)));
        let html = writer
            .html(&row("x", "", &[], true, 1.0), "")
            .expect("renders");
        assert_eq!(html, "<tr><td>L1x by Ana x</td></tr>");
    }
}
