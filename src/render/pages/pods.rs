//! The pods list and each pod's page, with its pairs.

use serde::Serialize;
use tera::Context;

use super::common::{pair_summary, prev_of, symbol, PairSummary};
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
        let prev = prev_of(p, p.metrics.previous_at_age.pods.get(name));
        let members: Vec<MemberView> = p
            .loaded
            .dataset
            .reps
            .iter()
            .filter(|r| &r.pod == name && r.role != Role::Manager)
            .map(|r| MemberView {
                name: &r.name,
                role: r.role.as_str().to_uppercase(),
                link: links.rep_page(&r.id, r.role),
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
        ctx.insert("pod", &PodView { name, pairing });
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
        let has_leads = p.loaded.dataset.has(crate::model::Table::Leads);
        let leads = if has_leads {
            views::lead_figs(Known::of(p), cur, prev, min)
        } else {
            Vec::new()
        };
        ctx.insert("leads", &leads);
        ctx.insert("lead_reasons", &views::lead_reasons(Known::of(p), cur));
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
        list.push(PodRow {
            name,
            link: links.pod(name),
            pairing,
            booked: k.count("meetings_booked", c.meetings_booked),
            show_rate: k.rate("show_rate", &c.show_rate),
            acceptance: k.rate("acceptance_rate", &c.acceptance_rate),
            won: k.count("won", c.won),
            closed_won_amount: k.money("closed_won_amount", cur.closed.closed_won_amount, &sym),
            adherence: cur.cadence.as_ref().map(|c| {
                let a = &c.one_on_one_adherence;
                format::rate(a.value, a.num, a.den)
            }),
            small: k.has("show_rate") && c.show_rate.is_small(min),
            show_rate_small: k.has("show_rate") && c.show_rate.is_small(min),
            acceptance_small: k.has("acceptance_rate") && c.acceptance_rate.is_small(min),
            adherence_small: cur
                .cadence
                .as_ref()
                .is_some_and(|c| c.one_on_one_adherence.is_small(min)),
        });
    }
    let mut ctx = Context::new();
    ctx.insert("pods", &list);
    w.page("pods.html", "pods.html", "Pods", "pods", ctx)
}

/// A member of a pod (`members` in `pod.html`); managers are not listed.
#[derive(Debug, Serialize)]
struct MemberView<'a> {
    name: &'a str,
    /// `SDR`, `BDR` or `AE`.
    role: String,
    /// The rep's page, relative to the site root.
    link: String,
}

/// The pod a pod page is about (`pod` in `pod.html`).
#[derive(Debug, Serialize)]
struct PodView<'a> {
    name: &'a str,
    /// `dedicated` (fixed SDR–AE pairs) or `pool` (team.yaml's `pairing`).
    pairing: &'a str,
}

/// One pod of the pods list (`pods` in `pods.html`). Figures arrive as text, "not exported"
/// when the exports cannot give them.
#[derive(Debug, Serialize)]
struct PodRow<'a> {
    name: &'a str,
    /// The pod's page.
    link: String,
    /// `dedicated` or `pool`.
    pairing: &'a str,
    /// Meetings booked by the period's hand-offs.
    booked: String,
    /// Show rate and acceptance rate with their counts.
    show_rate: String,
    acceptance: String,
    /// Hand-offs won (cohort rule).
    won: String,
    /// Revenue of the deals closed won in the period.
    closed_won_amount: String,
    /// 1:1 adherence with its counts; absent without a cadence.
    adherence: Option<String>,
    /// The show rate is a small sample: the row is greyed.
    small: bool,
    /// Each rate on a small sample, marked * like every other rate of the site.
    show_rate_small: bool,
    acceptance_small: bool,
    adherence_small: bool,
}
