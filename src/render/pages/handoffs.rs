//! The hand-offs table, cut into pages of `site.handoffs_per_page` rows.

use serde::Serialize;
use tera::Context;

use super::common::{prev_of, symbol};
use crate::error::Error;
use crate::prepared::Prepared;
use crate::render::charts;
use crate::render::known::Known;
use crate::render::links::{rep_name, Links};
use crate::render::rows::{Cohort, Listed};
use crate::render::selections::Selection;
use crate::render::site::{Page, Writer};
use crate::render::views::{self};

pub(crate) fn handoffs(
    p: &Prepared,
    links: &Links,
    cohort: &Cohort,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    let rows = cohort.all();
    let view_links = view_links(selections);
    let cur = &p.metrics.current.team;
    let c = &cur.cohort;
    let k = Known::of(p);
    // A group the exports cannot give is left out; with none left, the chart is the note.
    let groups: Vec<charts::RateGroup> = [
        (
            "Complete notes",
            "acceptance_rate_complete",
            &c.acceptance_rate_complete,
        ),
        (
            "Incomplete notes",
            "acceptance_rate_incomplete",
            &c.acceptance_rate_incomplete,
        ),
        (
            "Sales-ready",
            "acceptance_rate_sales_ready",
            &c.acceptance_rate_sales_ready,
        ),
        (
            "Not sales-ready",
            "acceptance_rate_not_sales_ready",
            &c.acceptance_rate_not_sales_ready,
        ),
    ]
    .iter()
    .filter(|(_, key, _)| k.has(key))
    .map(|(l, _, r)| charts::RateGroup {
        label: (*l).into(),
        bars: vec![charts::RateBar {
            rate: r.value,
            ci: crate::metrics::stats::wilson(r.num, r.den).map(|[a, b]| (a, b)),
            n: r.den,
        }],
    })
    .collect();
    let quality_svg = if groups.is_empty() {
        Known::note(
            k.any(&["acceptance_rate_complete", "acceptance_rate_sales_ready"])
                .unwrap_or_default(),
        )
    } else {
        charts::rate_bars(&charts::RateBars {
        meta: charts::ChartMeta {
            id: "quality-chart".into(),
            title: "Acceptance rate by documentation and qualification".into(),
            description: "AE acceptance of held hand-offs with complete versus incomplete notes, and sales-ready versus not.".into(),
        },
        series: vec!["Acceptance rate".into()],
        groups,
        benchmark: None,
        group_colors: false,
    })?
    };
    let sym = symbol(w);
    let loss_list = &p
        .loaded
        .dataset
        .playbook
        .handoff
        .handoff_related_loss_reasons;
    let losses: Vec<LossRow> = p
        .loaded
        .dataset
        .opportunities
        .iter()
        .filter(|o| {
            o.status == crate::model::OpportunityStatus::Lost
                && o.close_date.is_some_and(|d| p.period.contains(d))
        })
        .filter(|o| crate::metrics::closed::is_handoff_related(&o.loss_reason, loss_list))
        .map(|o| LossRow {
            id: &o.opportunity_id,
            reason: &o.loss_reason,
            amount: k.money("closed_won_amount", o.amount, &sym),
            ae: rep_name(p, &o.ae_id),
            link: o.lead_id.as_ref().and_then(|l| links.lead(l)),
            close_date: o.close_date,
            source: o.source.to_string(),
        })
        .collect();
    let quality = views::quality_figs(
        Known::of(p),
        cur,
        prev_of(p, Some(&p.metrics.previous_at_age.team)),
        p.metrics.min_sample,
    );
    let hb = &p.loaded.dataset.playbook.handoff;
    let per_page = p.loaded.dataset.playbook.site.handoffs_per_page;
    let chunks: Vec<&[Listed]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_page).collect()
    };
    let pager = pager(&chunks, per_page, crate::render::links::handoffs_page);
    let numbered: Vec<(usize, &[Listed])> = chunks.into_iter().enumerate().collect();
    let first_page = cohort.first(per_page);
    let writer = w.rows;
    w.pages(&numbered, |(i, chunk)| {
        let mut ctx = Context::new();
        if *i == 0 {
            // The first page is at the root: its rows are rendered for it.
            let html = crate::render::rows::full_rows(p, links, &first_page)
                .iter()
                .map(|r| writer.html(r, ""))
                .collect::<Result<Vec<_>, Error>>()?;
            ctx.insert("rows", &html);
        } else {
            ctx.insert("rows", &chunk.iter().map(|l| l.html).collect::<Vec<_>>());
        }
        ctx.insert("total", &rows.len());
        // No hand-offs export (a team without SDRs): say which export fills this page
        // rather than "0 hand-offs" (issue 21).
        if !p.loaded.dataset.has(crate::model::Table::Handoffs) {
            ctx.insert(
                "no_export",
                "no hand-offs export (handoffs.csv, docs/data-model.md) fills this page",
            );
        }
        ctx.insert("pager", &pager);
        ctx.insert("current", &pager[*i]);
        ctx.insert("sla_hours", &hb.sla_hours);
        ctx.insert("sections", &hb.sections.len());
        if *i > 0 {
            return Ok(Some(Page {
                rel: crate::render::links::handoffs_page(i + 1),
                name: "handoffs_page.html",
                title: format!("Hand-offs, page {}", i + 1),
                section: "handoffs",
                ctx,
            }));
        }
        ctx.insert("quality", &quality);
        ctx.insert("views", &view_links);
        ctx.insert("quality_svg", &quality_svg);
        ctx.insert("losses", &losses);
        Ok(Some(Page {
            rel: "handoffs.html".into(),
            name: "handoffs.html",
            title: "Hand-offs".into(),
            section: "handoffs",
            ctx,
        }))
    })
}

/// The pager of a list cut into `chunks` of `per_page` rows, page `n` at `href(n)`: the
/// hand-off table and every filtered view number their pages the same way.
fn pager<'a, C: AsRef<[Listed<'a>]>>(
    chunks: &[C],
    per_page: usize,
    href: impl Fn(usize) -> String,
) -> Vec<PagerLink> {
    let day = |l: Option<&Listed<'a>>| l.map(|l| l.row.handed_off.clone()).unwrap_or_default();
    chunks
        .iter()
        .map(AsRef::as_ref)
        .enumerate()
        .map(|(i, chunk)| PagerLink {
            number: i + 1,
            href: href(i + 1),
            first: i * per_page + 1,
            last: i * per_page + chunk.len(),
            from: day(chunk.first()),
            to: day(chunk.last()),
        })
        .collect()
}

/// One page of the hand-offs table, for the pager every page of it shows: rows `first` to
/// `last` (from 1) of the period's, handed off from `from` to `to`.
#[derive(Serialize)]
pub(crate) struct PagerLink {
    number: usize,
    href: String,
    first: usize,
    last: usize,
    from: String,
    to: String,
}

/// A deal of the period lost for a reason the playbook ties to the hand-off (`losses` in
/// `handoffs.html`).
#[derive(Debug, Serialize)]
struct LossRow<'a> {
    /// The opportunity's id and its loss reason, as exported.
    id: &'a str,
    reason: &'a str,
    /// The deal's amount, "not exported" when amounts are not.
    amount: String,
    /// The AE's name.
    ae: String,
    /// The hand-off's row in the hand-offs table, when the deal names a lead.
    link: Option<String>,
    close_date: Option<chrono::NaiveDate>,
    /// Where the deal's row is, `data/opportunities.csv:6`.
    source: String,
}

/// A filtered view as the hand-offs page and the view pages link to it.
#[derive(Serialize)]
struct ViewLink {
    href: String,
    title: String,
    count: usize,
}

/// The filtered views (docs/metrics.md, "Filtered views"): each a page under `handoffs/`
/// listing exactly its hand-offs, with no JavaScript needed, cut into pages of
/// `site.handoffs_per_page` rows as the hand-offs table is (`sla-missed.html`, then
/// `sla-missed.p2.html`...; a slug has no `.`, so no view's page takes another's name).
pub(crate) fn views(
    p: &Prepared,
    cohort: &Cohort,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    let hb = &p.loaded.dataset.playbook.handoff;
    let per_page = p.loaded.dataset.playbook.site.handoffs_per_page;
    let all: Vec<ViewLink> = view_links(selections);
    // (view, its rows, its pager, which page).
    let mut pages = Vec::new();
    for s in selections {
        let rows = cohort.at(&s.rows);
        let chunks: Vec<Vec<Listed>> = if rows.is_empty() {
            vec![Vec::new()]
        } else {
            rows.chunks(per_page).map(<[Listed]>::to_vec).collect()
        };
        let pager = std::sync::Arc::new(pager(&chunks, per_page, |n| view_page(&s.href, n)));
        for (i, chunk) in chunks.into_iter().enumerate() {
            pages.push((s, rows.len(), pager.clone(), i, chunk));
        }
    }
    w.pages(&pages, |(s, total, pager, i, chunk)| {
        let rows: Vec<&str> = chunk.iter().map(|l| l.html).collect();
        let mut ctx = Context::new();
        ctx.insert("title", &s.title);
        ctx.insert("what", &s.what);
        ctx.insert("total", total);
        ctx.insert("rows", &rows);
        ctx.insert("pager", pager.as_slice());
        ctx.insert("current", &pager[*i]);
        ctx.insert("views", &all);
        ctx.insert("sla_hours", &hb.sla_hours);
        ctx.insert("sections", &hb.sections.len());
        Ok(Some(Page {
            rel: view_page(&s.href, i + 1),
            name: "handoffs_view.html",
            title: s.title.clone(),
            section: "handoffs",
            ctx,
        }))
    })
}

/// Page `n` (from 1) of the view whose first page is `href`: `handoffs/pending.p2.html`.
fn view_page(href: &str, n: usize) -> String {
    match (n, href.strip_suffix(".html")) {
        (2.., Some(stem)) => format!("{stem}.p{n}.html"),
        _ => href.to_string(),
    }
}

fn view_links(selections: &[Selection]) -> Vec<ViewLink> {
    selections
        .iter()
        .map(|s| ViewLink {
            href: s.href.clone(),
            title: s.title.clone(),
            count: s.rows.len(),
        })
        .collect()
}
