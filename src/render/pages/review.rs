//! The printable monthly review packet (`review.html`).

use serde::Serialize;
use tera::Context;

use super::common::{pair_summary, prev_of, symbol, PairSummary};
use crate::error::Error;
use crate::prepared::Prepared;
use crate::render::digest;
use crate::render::findings::to_act;
use crate::render::known::Known;
use crate::render::links::Links;
use crate::render::selections::Selection;
use crate::render::site::Writer;
use crate::render::views::{self, Fig};

/// The packet: a cover with the team's summary (the digest's sentence), the decisions to
/// discuss (the brief's findings, then the other alerts: [`to_act`]) and the team's funnel,
/// then one page per pod.
pub(crate) fn review(
    p: &Prepared,
    links: &Links,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let team = &p.metrics.current.team;
    let (svg, funnel_rows) = views::funnel_chart(Known::of(p), "review-funnel", "team", team)?;
    let pods: Vec<ReviewPod> = p
        .metrics
        .current
        .pods
        .iter()
        .map(|(name, cur)| {
            let prev = prev_of(p, p.metrics.previous_at_age.pods.get(name));
            let sdrs: Vec<ReviewSdr> = p
                .loaded
                .dataset
                .reps
                .iter()
                .filter(|r| &r.pod == name && r.role.prospects())
                .filter_map(|r| p.metrics.current.sdrs.get(&r.id).map(|m| (r, m)))
                .map(|(r, m)| {
                    let (c, k) = (&m.cohort, Known::of(p));
                    ReviewSdr {
                        name: &r.name,
                        booked: k.count("meetings_booked", c.meetings_booked),
                        show_rate: k.rate_marked("show_rate", &c.show_rate, min),
                        acceptance: k.rate_marked("acceptance_rate", &c.acceptance_rate, min),
                        docs: k.rate_marked("doc_completeness", &c.doc_completeness, min),
                        small: k.has("show_rate") && c.show_rate.is_small(min),
                    }
                })
                .collect();
            let pairs: Vec<PairSummary> = p
                .metrics
                .current
                .pairs
                .iter()
                .filter(|x| &x.pod == name)
                .map(|x| pair_summary(p, links, x))
                .collect();
            ReviewPod {
                name,
                figs: views::funnel_figs(Known::of(p), cur, prev, min, &sym),
                quality: views::quality_figs(Known::of(p), cur, prev, min),
                sdrs,
                pairs,
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "kpis",
        &views::funnel_figs(
            Known::of(p),
            team,
            &p.metrics.previous_at_age.team,
            min,
            &sym,
        ),
    );
    ctx.insert("funnel_svg", &svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert(
        "lift",
        &views::lift_sentence(Known::of(p), team, views::claim(p)),
    );
    let act = to_act(p, links, selections);
    ctx.insert(
        "summary",
        &digest::summary(Known::of(p), team, &p.period.label(), &sym, act.len()),
    );
    ctx.insert("act", &act);
    ctx.insert("pods", &pods);
    let rel = format!("review/{}.html", p.period.label());
    w.page(
        &rel,
        "review.html",
        &format!("Monthly review {}", p.period.label()),
        "review",
        ctx,
    )
}

/// One pod's page of the review packet (`pods` in `review.html`).
#[derive(Debug, Serialize)]
struct ReviewPod<'a> {
    name: &'a str,
    /// The pod's funnel and hand-off quality figures, this period against the previous.
    figs: Vec<Fig>,
    quality: Vec<Fig>,
    /// The pod's SDRs and BDRs, and its SDR–AE pairs.
    sdrs: Vec<ReviewSdr<'a>>,
    pairs: Vec<PairSummary>,
}

/// One SDR or BDR on a pod's page of the packet. Figures arrive as text, "not exported" when
/// the exports cannot give them.
#[derive(Debug, Serialize)]
struct ReviewSdr<'a> {
    name: &'a str,
    /// Meetings booked by the rep's hand-offs of the period.
    booked: String,
    /// Show rate, acceptance rate and documentation completeness, each with its counts and
    /// the small-sample mark.
    show_rate: String,
    acceptance: String,
    docs: String,
    /// The show rate is a small sample: marked, never ranked.
    small: bool,
}
