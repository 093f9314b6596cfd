//! The printable monthly review packet (`review.html`).

use tera::Context;

use super::common::{pair_summary, prev_of, symbol};
use crate::error::Error;
use crate::prepared::Prepared;
use crate::render::findings::alerts;
use crate::render::known::Known;
use crate::render::links::Links;
use crate::render::site::Writer;
use crate::render::views::{self};

pub(crate) fn review(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let team = &p.metrics.current.team;
    let (svg, funnel_rows) = views::funnel_chart(Known::of(p), "review-funnel", "team", team)?;
    let pods: Vec<serde_json::Value> = p
        .metrics
        .current
        .pods
        .iter()
        .map(|(name, cur)| {
            let prev = prev_of(p, p.metrics.previous.pods.get(name));
            let sdrs: Vec<serde_json::Value> = p
                .loaded
                .dataset
                .reps
                .iter()
                .filter(|r| &r.pod == name && r.role.prospects())
                .filter_map(|r| p.metrics.current.sdrs.get(&r.id).map(|m| (r, m)))
                .map(|(r, m)| {
                    let (c, k) = (&m.cohort, Known::of(p));
                    serde_json::json!({
                        "name": r.name, "booked": k.count("meetings_booked", c.meetings_booked),
                        "show_rate": k.rate("show_rate", &c.show_rate),
                        "acceptance": k.rate("acceptance_rate", &c.acceptance_rate),
                        "docs": k.rate("doc_completeness", &c.doc_completeness),
                        "small": k.has("show_rate") && c.show_rate.is_small(min),
                    })
                })
                .collect();
            let pairs: Vec<serde_json::Value> = p
                .metrics
                .current
                .pairs
                .iter()
                .filter(|x| &x.pod == name)
                .map(|x| pair_summary(p, links, x))
                .collect();
            serde_json::json!({
                "name": name,
                "figs": views::funnel_figs(Known::of(p), cur, prev, min, &sym),
                "quality": views::quality_figs(Known::of(p), cur, prev, min),
                "sdrs": sdrs, "pairs": pairs,
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "kpis",
        &views::funnel_figs(Known::of(p), team, &p.metrics.previous.team, min, &sym),
    );
    ctx.insert("funnel_svg", &svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert("lift", &views::lift_sentence(Known::of(p), team));
    ctx.insert("alerts", &alerts(p, links));
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
