//! The printable monthly review packet (`review.html`).

use tera::Context;

use super::common::{mark, pair_summary, prev_of, symbol};
use crate::error::Error;
use crate::format;
use crate::prepared::Prepared;
use crate::render::findings::alerts;
use crate::render::links::Links;
use crate::render::site::Writer;
use crate::render::views::{self};

pub(crate) fn review(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let team = &p.metrics.current.team;
    let (svg, funnel_rows) = views::funnel_chart("review-funnel", "team", team)?;
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
                    let c = &m.cohort;
                    serde_json::json!({
                        "name": r.name, "booked": c.meetings_booked,
                        "show_rate": format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den),
                        "acceptance": format::rate(c.acceptance_rate.value, c.acceptance_rate.num, c.acceptance_rate.den),
                        "docs": format::rate(c.doc_completeness.value, c.doc_completeness.num, c.doc_completeness.den),
                        "small": c.show_rate.is_small(min),
                    })
                })
                .collect();
            let pairs: Vec<serde_json::Value> = p.metrics.current.pairs.iter().filter(|x| &x.pod == name).map(|x| pair_summary(p, links, x)).collect();
            serde_json::json!({
                "name": name,
                "figs": views::funnel_figs(cur, prev, min, &sym),
                "quality": views::quality_figs(cur, prev, min),
                "sdrs": sdrs, "pairs": pairs,
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "kpis",
        &mark(
            p,
            views::funnel_figs(team, &p.metrics.previous.team, min, &sym),
        ),
    );
    ctx.insert("funnel_svg", &svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert("lift", &views::lift_sentence(team));
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
