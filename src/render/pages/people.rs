//! The people lists (`sdrs.html`, `aes.html`) and each rep's page, with the feedback their
//! hand-offs got.

use serde::Serialize;
use tera::Context;

use super::common::{feedback, pair_summary, prev_of, symbol, ListRow, PairSummary};
use crate::error::Error;
use crate::metrics::EntityMetrics;
use crate::model::{Rep, Role};
use crate::prepared::Prepared;
use crate::render::charts;
use crate::render::known::Known;
use crate::render::links::{Links, List};
use crate::render::rows::Cohort;
use crate::render::site::{Page, Writer};
use crate::render::views::{self};

/// The SDR or AE list and one page per rep.
pub(crate) fn people(
    p: &Prepared,
    links: &Links,
    cohort: &Cohort,
    w: &mut Writer,
    list: List,
) -> Result<(), Error> {
    let ds = &p.loaded.dataset;
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let (cur_map, prev_map) = (
        list.figures(&p.metrics.current),
        list.figures(&p.metrics.previous_at_age),
    );
    let reps: Vec<&Rep> = ds
        .reps
        .iter()
        .filter(|r| List::of(r.role) == Some(list))
        .collect();
    let (list_name, section, title) = if list == List::Aes {
        ("aes.html", "aes", "Account Executives")
    } else {
        ("sdrs.html", "sdrs", "Sales Development Reps")
    };
    // Ranking by show rate (SDRs) or by SLA-met share (AEs); small samples are listed apart.
    // AEs of a team whose exports lack the hand-offs' follow-up (a team without SDRs) are
    // ranked on what exists: their win rate by close date (issue 21).
    let ae_by_deals =
        list == List::Aes && !Known::of(p).has("sla_met") && Known::of(p).has("closed_win_rate");
    // Likewise SDRs whose hand-offs export cannot give the period's cohort (one of won deals
    // only, as Olist's) are listed with the deals they sourced, which it can give.
    let sdr_by_deals = list == List::Sdrs
        && !Known::of(p).has("meetings_booked")
        && Known::of(p).has("closed_won");
    // What the list is ranked on: the figure, the chart's title, the figure's name in a
    // sentence, and, when it stands in for the usual figure, that one's name and key.
    let (rank_key, board_title, rank_label, instead_of) = if ae_by_deals {
        let of = ("follow-up within the SLA", "sla_met");
        let label = "win rate by close date";
        (
            "closed_win_rate",
            "Win rate by close date by AE",
            label,
            Some(of),
        )
    } else if sdr_by_deals {
        let of = ("the show rate", "show_rate");
        let label = "win rate by close date";
        (
            "closed_win_rate",
            "Win rate by close date by SDR",
            label,
            Some(of),
        )
    } else if list == List::Aes {
        let label = "share of hand-offs followed up within the SLA";
        ("sla_met", "Follow-up within SLA by AE", label, None)
    } else {
        ("show_rate", "Show rate by SDR", "show rate", None)
    };
    // (rank key: None for small samples, value to draw, row)
    let mut rows: Vec<(Option<f64>, Option<f64>, ListRow)> = Vec::new();
    let mut pages: Vec<(&Rep, &EntityMetrics, &EntityMetrics)> = Vec::new();
    for r in &reps {
        let Some(cur) = cur_map.get(&r.id) else {
            continue;
        };
        let prev = prev_of(p, prev_map.get(&r.id));
        let c = &cur.cohort;
        let k = Known::of(p);
        // The closed deals of the rep: an SDR's sourced deals with their revenue, an AE's own
        // deals with the pipeline they still carry.
        let deals = |figs: &mut Vec<views::Fig>, sourced: bool| {
            let (a, b) = (&cur.closed, &prev.closed);
            figs.push(views::count(
                "closed_won",
                "Deals closed won",
                a.closed_won,
                b.closed_won,
            ));
            if sourced {
                figs.push(views::money(
                    "closed_won_amount",
                    "Revenue closed won",
                    a.closed_won_amount,
                    b.closed_won_amount,
                    &sym,
                ));
            }
            figs.push(views::rate(
                "closed_win_rate",
                "Win rate by close date",
                &a.closed_win_rate,
                &b.closed_win_rate,
                min,
            ));
            if !sourced {
                figs.push(views::money(
                    "open_pipeline_amount",
                    "Open pipeline, amount",
                    a.open_pipeline_amount,
                    b.open_pipeline_amount,
                    &sym,
                ));
            }
        };
        let (key, figs) = if ae_by_deals || sdr_by_deals {
            let mut figs = Vec::new();
            deals(&mut figs, sdr_by_deals);
            (cur.closed.closed_win_rate, figs)
        } else if list == List::Aes {
            let met = crate::metrics::stats::Rate::new(
                c.sla_breach_rate.den - c.sla_breach_rate.num,
                c.sla_breach_rate.den,
            );
            let before = &prev.cohort.sla_breach_rate;
            let met_before = crate::metrics::stats::Rate::new(before.den - before.num, before.den);
            let mut row = (
                met,
                vec![
                    views::count(
                        "meetings_booked",
                        "Hand-offs received",
                        c.meetings_booked,
                        prev.cohort.meetings_booked,
                    ),
                    views::rate("sla_met", "Followed up within SLA", &met, &met_before, min),
                    views::hours(
                        "ae_follow_up_hours_median",
                        "Follow-up, median",
                        c.ae_follow_up_hours_median,
                        prev.cohort.ae_follow_up_hours_median,
                        (c.ae_follow_up_hours_n, prev.cohort.ae_follow_up_hours_n),
                        min,
                    ),
                    views::rate(
                        "acceptance_rate",
                        "Acceptance rate",
                        &c.acceptance_rate,
                        &prev.cohort.acceptance_rate,
                        min,
                    ),
                    views::rate(
                        "win_rate",
                        "Win rate",
                        &c.win_rate,
                        &prev.cohort.win_rate,
                        min,
                    ),
                    views::money(
                        "won_amount",
                        "Hand-offs won, amount",
                        c.won_amount,
                        prev.cohort.won_amount,
                        &sym,
                    ),
                ],
            );
            deals(&mut row.1, false);
            row
        } else {
            (
                c.show_rate,
                vec![
                    views::count(
                        "meetings_booked",
                        "Booked",
                        c.meetings_booked,
                        prev.cohort.meetings_booked,
                    ),
                    views::rate(
                        "show_rate",
                        "Show rate",
                        &c.show_rate,
                        &prev.cohort.show_rate,
                        min,
                    ),
                    views::rate(
                        "acceptance_rate",
                        "Acceptance",
                        &c.acceptance_rate,
                        &prev.cohort.acceptance_rate,
                        min,
                    ),
                    views::rate(
                        "doc_completeness",
                        "Documentation",
                        &c.doc_completeness,
                        &prev.cohort.doc_completeness,
                        min,
                    ),
                    views::rate(
                        "sales_ready_share",
                        "Sales-ready",
                        &c.sales_ready_share,
                        &prev.cohort.sales_ready_share,
                        min,
                    ),
                    views::count("won", "Hand-offs won", c.won, prev.cohort.won),
                ],
            )
        };
        // A figure the exports cannot give is neither ranked nor drawn.
        let value = k.rank_value(rank_key, key.value);
        let small = k.has(rank_key) && key.is_small(min);
        rows.push((
            if small { None } else { value },
            value,
            ListRow {
                rank: None,
                name: r.name.clone(),
                link: links.rep_page(&r.id, r.role),
                pod: r.pod.clone(),
                figs: views::mark_unavailable(k, figs),
                small,
            },
        ));
        pages.push((*r, cur, prev));
    }
    w.pages(&pages, |(r, cur, prev)| {
        rep_page(p, links, cohort, &sym, r, cur, prev).map(Some)
    })?;
    rows.sort_by(|a, b| {
        b.0.is_some()
            .cmp(&a.0.is_some())
            .then(b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal))
            .then_with(|| a.2.name.cmp(&b.2.name))
    });
    let mut rank = 0;
    for (key, _, r) in rows.iter_mut() {
        if key.is_some() {
            rank += 1;
            r.rank = Some(rank);
        }
    }
    let board = Known::of(p).chart(&[rank_key], charts::leaderboard(&charts::Leaderboard {
        meta: charts::ChartMeta {
            id: format!("{section}-board"),
            title: board_title.into(),
            description:
                "Ranked; reps with a small sample are drawn greyed and hatched, after the others."
                    .into(),
        },
        format: charts::ValueFormat::Percent,
        rows: rows
            .iter()
            .map(|(_, value, r)| charts::LeaderRow {
                label: r.name.clone(),
                value: *value,
                small_sample: r.small,
            })
            .collect(),
    })?);
    let mut listed: Vec<ListRow> = rows.into_iter().map(|(_, _, r)| r).collect();
    // A column the exports cannot give is named once under the table, not filled with
    // "not exported" on every row.
    let k = Known::of(p);
    let hidden = match listed.first() {
        Some(r) => views::hidden_columns(k, r.figs.iter().map(|f| (f.key, f.label))),
        None => Vec::new(),
    };
    for r in &mut listed {
        r.figs.retain(|f| k.has(f.key));
    }
    let mut ctx = Context::new();
    ctx.insert("rows", &listed);
    ctx.insert("hidden", &hidden);
    ctx.insert("unranked", &k.reason(rank_key));
    ctx.insert("rank_label", rank_label);
    ctx.insert("board_svg", &board);
    ctx.insert("role", if list == List::Aes { "ae" } else { "sdr" });
    // Ranked on what exists: the sentence says which figure it replaces, and why, in the
    // words of that figure's own reason.
    let ranked_by = match instead_of {
        Some((of, key)) => format!(
            "{rank_label}, since {of} cannot be given ({})",
            k.reason(key).unwrap_or_default()
        ),
        None if list == List::Aes => format!("the {rank_label}"),
        None => rank_label.to_string(),
    };
    ctx.insert("ranked_by", &ranked_by);
    w.page(list_name, "people.html", title, section, ctx)
}

/// The page of one SDR or AE.
pub(crate) fn rep_page(
    p: &Prepared,
    links: &Links,
    cohort: &Cohort,
    sym: &str,
    r: &Rep,
    cur: &EntityMetrics,
    prev: &EntityMetrics,
) -> Result<Page, Error> {
    let min = p.metrics.min_sample;
    let is_ae = r.role == Role::Ae;
    let rows = cohort.of(p, &r.id, is_ae, |_| true);
    let (svg, funnel_rows) = views::funnel_chart(Known::of(p), "rep-funnel", &r.name, cur)?;
    let individual =
        p.loaded.dataset.playbook.site.comp.publish == crate::playbook::Publish::Individual;
    let statements: Vec<serde_json::Value> = p
        .comp
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| individual && s.rep_id == r.id)
        .map(|(i, _)| crate::render::statements::view(p, links, i, sym))
        .collect();
    let pairs: Vec<PairSummary> = p
        .metrics
        .current
        .pairs
        .iter()
        .filter(|x| if is_ae { x.ae == r.id } else { x.sdr == r.id })
        .map(|x| pair_summary(p, links, x))
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "rep",
        &RepView {
            id: &r.id,
            name: &r.name,
            role: r.role.as_str().to_uppercase(),
            pod: &r.pod,
            pod_link: links.pod(&r.pod),
            start_date: r.start_date,
            end_date: r.end_date,
            source: r.source.to_string(),
        },
    );
    ctx.insert(
        "funnel",
        &views::funnel_figs(Known::of(p), cur, prev, min, sym),
    );
    ctx.insert(
        "quality",
        &views::quality_figs(Known::of(p), cur, prev, min),
    );
    ctx.insert(
        "activity",
        &views::activity_figs(Known::of(p), cur, prev, min),
    );
    let leads = if p.loaded.dataset.has(crate::model::Table::Leads) && !is_ae {
        views::lead_figs(Known::of(p), cur, prev, min)
    } else {
        Vec::new()
    };
    ctx.insert("leads", &leads);
    ctx.insert("lead_reasons", &views::lead_reasons(Known::of(p), cur));
    ctx.insert(
        "closed",
        &views::closed_figs(Known::of(p), cur, prev, min, sym),
    );
    ctx.insert("funnel_svg", &svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert("handoffs", &rows.iter().map(|l| l.html).collect::<Vec<_>>());
    ctx.insert("feedback", &feedback(&rows));
    ctx.insert("statements", &statements);
    ctx.insert("pairs", &pairs);
    ctx.insert("small_sample", &cur.small_sample);
    Ok(Page {
        rel: links.rep_page(&r.id, r.role),
        name: "rep.html",
        title: r.name.clone(),
        section: if is_ae { "aes" } else { "sdrs" },
        ctx,
    })
}

/// The rep a rep page is about (`rep` in `rep.html`).
#[derive(Debug, Serialize)]
struct RepView<'a> {
    /// The rep's id in reps.csv.
    id: &'a str,
    name: &'a str,
    /// `SDR`, `BDR`, `AE` or `MANAGER`.
    role: String,
    pod: &'a str,
    /// The pod's page, relative to the site root.
    pod_link: String,
    start_date: chrono::NaiveDate,
    /// The last day employed, when the rep has left.
    end_date: Option<chrono::NaiveDate>,
    /// Where the rep's row is, `data/reps.csv:4`.
    source: String,
}
