//! The pods list and each pod's page, with its pairs.

use tera::Context;

use super::common::{pair_summary, prev_of, symbol};
use crate::error::Error;
use crate::format;
use crate::model::Role;
use crate::prepared::Prepared;
use crate::render::known::Known;
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
        let (svg, funnel_rows) = views::funnel_chart(Known::of(p), "pod-funnel", name, cur)?;
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
        ctx.insert(
            "funnel",
            &views::funnel_figs(Known::of(p), cur, prev, min, &sym),
        );
        ctx.insert(
            "quality",
            &views::quality_figs(Known::of(p), cur, prev, min),
        );
        ctx.insert(
            "activity",
            &views::activity_figs(Known::of(p), cur, prev, min),
        );
        ctx.insert(
            "closed",
            &views::closed_figs(Known::of(p), cur, prev, min, &sym),
        );
        ctx.insert("cadence", &cur.cadence);
        ctx.insert(
            "forecast",
            &cur.forecast_accuracy
                .as_ref()
                .filter(|_| Known::of(p).has("forecast_accuracy")),
        );
        ctx.insert("funnel_svg", &svg);
        ctx.insert("funnel_rows", &funnel_rows);
        w.page(
            &links.pod(name),
            "pod.html",
            &format!("Pod {name}"),
            "pods",
            ctx,
        )?;
        let (c, k) = (&cur.cohort, Known::of(p));
        list.push(serde_json::json!({
            "name": name, "link": links.pod(name), "pairing": pairing,
            "booked": k.count("meetings_booked", c.meetings_booked),
            "show_rate": k.rate("show_rate", &c.show_rate),
            "acceptance": k.rate("acceptance_rate", &c.acceptance_rate),
            "won": k.count("won", c.won),
            "closed_won_amount": k.money("closed_won_amount", cur.closed.closed_won_amount, &sym),
            "adherence": cur.cadence.as_ref().map(|c| format::rate(c.one_on_one_adherence.value, c.one_on_one_adherence.num, c.one_on_one_adherence.den)),
            "small": k.has("show_rate") && c.show_rate.is_small(min),
        }));
    }
    let mut ctx = Context::new();
    ctx.insert("pods", &list);
    w.page("pods.html", "pods.html", "Pods", "pods", ctx)
}
