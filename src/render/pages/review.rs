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
            let mut sdrs: Vec<_> = p
                .loaded
                .dataset
                .reps
                .iter()
                .filter(|r| &r.pod == name && r.role.prospects())
                .filter_map(|r| p.metrics.current.sdrs.get(&r.id).map(|m| (r, m)))
                .collect();
            sdrs.sort_by(|(a, x), (b, y)| {
                y.cohort
                    .meetings_booked
                    .cmp(&x.cohort.meetings_booked)
                    .then_with(|| a.name.cmp(&b.name))
                    .then_with(|| a.id.cmp(&b.id))
            });
            let sdrs_more = sdrs.len().saturating_sub(PACKET_ROWS);
            let sdrs: Vec<ReviewSdr> = sdrs
                .into_iter()
                .take(PACKET_ROWS)
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
            let mut pairs: Vec<(u64, PairSummary)> = p
                .metrics
                .current
                .pairs
                .iter()
                .filter(|x| &x.pod == name)
                .map(|x| (x.metrics.cohort.meetings_booked, pair_summary(p, links, x)))
                .collect();
            pairs.sort_by(|(a, x), (b, y)| {
                b.cmp(a)
                    .then_with(|| x.sdr.cmp(&y.sdr))
                    .then_with(|| x.ae.cmp(&y.ae))
            });
            let pairs_more = pairs.len().saturating_sub(PACKET_ROWS);
            let pairs: Vec<PairSummary> = pairs
                .into_iter()
                .take(PACKET_ROWS)
                .map(|(_, x)| x)
                .collect();
            ReviewPod {
                name,
                link: links.pod(name),
                figs: views::funnel_figs(Known::of(p), cur, prev, min, &sym),
                quality: views::quality_figs(Known::of(p), cur, prev, min),
                sdrs,
                sdrs_more,
                pairs,
                pairs_more,
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
    ctx.insert("packet_rows", &PACKET_ROWS);
    // The order the cut follows: by hand-offs booked where the exports give them.
    ctx.insert("ranked", &Known::of(p).has("meetings_booked"));
    let rel = format!("review/{}.html", p.period.label());
    w.page(
        &rel,
        "review.html",
        &format!("Monthly review {}", p.period.label()),
        "review",
        ctx,
    )
}

/// The most SDRs, and the most pairs, a pod's page of the packet lists, so that the page fits
/// one sheet of A4 or Letter whatever the pod's size (checked by .ci/site_check.py on the
/// example and the public datasets' sites). The rows listed are those with the most hand-offs
/// booked in the period, then by name; the page says how many more there are and links to the
/// pages that list them all (sdrs.html, the pod's page).
pub(crate) const PACKET_ROWS: usize = 5;

/// One pod's page of the review packet (`pods` in `review.html`).
#[derive(Debug, Serialize)]
struct ReviewPod<'a> {
    name: &'a str,
    /// The pod's page, which lists all its pairs.
    link: String,
    /// The pod's funnel and hand-off quality figures, this period against the previous.
    figs: Vec<Fig>,
    quality: Vec<Fig>,
    /// The pod's SDRs and BDRs, and its SDR–AE pairs.
    /// At most [`PACKET_ROWS`] of each, with the most hand-offs booked first; `*_more` counts
    /// the ones left out.
    sdrs: Vec<ReviewSdr<'a>>,
    sdrs_more: usize,
    pairs: Vec<PairSummary>,
    pairs_more: usize,
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
