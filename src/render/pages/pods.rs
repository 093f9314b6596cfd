//! The pods list and each pod's page, with its pairs.

use tera::Context;

use super::common::{mark, pair_summary, prev_of, symbol};
use crate::error::Error;
use crate::format;
use crate::model::Role;
use crate::prepared::Prepared;
use crate::render::links::Links;
use crate::render::site::Writer;
use crate::render::views::{self};

pub(crate) fn pods(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let mut list = Vec::new();
    for (name, cur) in &p.metrics.current.pods {
        let prev = prev_of(p, p.metrics.previous.pods.get(name));
        let members: Vec<serde_json::Value> = p
            .loaded
            .dataset
            .reps
            .iter()
            .filter(|r| &r.pod == name && r.role != Role::Manager)
            .map(|r| {
                serde_json::json!({
                    "name": r.name, "role": r.role.as_str().to_uppercase(),
                    "link": links.rep_page(&r.id, r.role),
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
        let (svg, funnel_rows) = views::funnel_chart("pod-funnel", name, cur)?;
        let pairing = p
            .loaded
            .dataset
            .playbook
            .team
            .pods
            .iter()
            .find(|x| &x.name == name)
            .map_or("pool", |x| match x.pairing {
                crate::playbook::Pairing::Dedicated => "dedicated",
                crate::playbook::Pairing::Pool => "pool",
            });
        let mut ctx = Context::new();
        ctx.insert(
            "pod",
            &serde_json::json!({ "name": name, "pairing": pairing }),
        );
        ctx.insert("members", &members);
        ctx.insert("pairs", &pairs);
        ctx.insert("funnel", &mark(p, views::funnel_figs(cur, prev, min, &sym)));
        ctx.insert("quality", &mark(p, views::quality_figs(cur, prev, min)));
        ctx.insert("activity", &mark(p, views::activity_figs(cur, prev, min)));
        ctx.insert("closed", &mark(p, views::closed_figs(cur, prev, min, &sym)));
        ctx.insert("cadence", &cur.cadence);
        ctx.insert("forecast", &cur.forecast_accuracy);
        ctx.insert("funnel_svg", &svg);
        ctx.insert("funnel_rows", &funnel_rows);
        w.page(
            &links.pod(name),
            "pod.html",
            &format!("Pod {name}"),
            "pods",
            ctx,
        )?;
        let c = &cur.cohort;
        list.push(serde_json::json!({
            "name": name, "link": links.pod(name), "pairing": pairing,
            "booked": c.meetings_booked,
            "show_rate": format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den),
            "acceptance": format::rate(c.acceptance_rate.value, c.acceptance_rate.num, c.acceptance_rate.den),
            "won": c.won,
            "closed_won_amount": format::money(cur.closed.closed_won_amount, &sym),
            "adherence": cur.cadence.as_ref().map(|c| format::rate(c.one_on_one_adherence.value, c.one_on_one_adherence.num, c.one_on_one_adherence.den)),
            "small": c.show_rate.is_small(min),
        }));
    }
    let mut ctx = Context::new();
    ctx.insert("pods", &list);
    w.page("pods.html", "pods.html", "Pods", "pods", ctx)
}
