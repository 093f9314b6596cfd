//! The dashboard (`index.html`): the brief (the period's findings, ranked), the headline
//! cards, the alerts not in the brief, the funnel and the figures of the team.

use tera::Context;

use super::common::symbol;
use crate::error::Error;
use crate::prepared::Prepared;
use crate::render::charts;
use crate::render::findings::{missing_tables, to_act};
use crate::render::known::Known;
use crate::render::links::Links;
use crate::render::selections::Selection;
use crate::render::site::Writer;
use crate::render::views::{self};

/// What the trend table shows for a month the data does not reach.
const NO_DATA: &str = "no data";

pub(crate) fn dashboard(
    p: &Prepared,
    links: &Links,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    let (cur, prev) = (&p.metrics.current.team, &p.metrics.previous_at_age.team);
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let (funnel_svg, funnel_rows) = views::funnel_chart(Known::of(p), "funnel-chart", "team", cur)?;
    let (wc_svg, wc_rows) =
        views::warm_cold_chart(Known::of(p), "warm-cold-chart", cur, views::claim(p))?;
    let trend = &p.metrics.trend;
    let months: Vec<String> = trend.iter().map(|t| t.period.clone()).collect();
    let k = Known::of(p);
    // A series the exports cannot give is left out; with neither, the chart is the note.
    let series: Vec<charts::TrendSeries> = [
        ("show_rate", "Show rate"),
        ("acceptance_rate", "Acceptance rate"),
    ]
    .into_iter()
    .filter(|(key, _)| k.has(key))
    .map(|(key, name)| charts::TrendSeries {
        name: name.into(),
        values: trend
            .iter()
            .map(|t| {
                let c = &t.team.cohort;
                if t.coverage.from.is_none() {
                    None
                } else if key == "show_rate" {
                    c.show_rate.value
                } else {
                    c.acceptance_rate.value
                }
            })
            .collect(),
    })
    .collect();
    let trend_svg = if series.is_empty() {
        Known::note(k.any(&["show_rate", "acceptance_rate"]).unwrap_or_default())
    } else {
        charts::trend(&charts::Trend {
            meta: charts::ChartMeta {
                id: "trend-chart".into(),
                title: "Show rate and acceptance rate, six months".into(),
                description: format!(
                    "Monthly team show rate and acceptance rate from {} to {}.",
                    months.first().cloned().unwrap_or_default(),
                    months.last().cloned().unwrap_or_default()
                ),
            },
            months: months.clone(),
            series,
            format: charts::ValueFormat::Percent,
            benchmark: None,
            markers: Vec::new(),
        })?
    };
    let trend_rows: Vec<Vec<String>> = trend
        .iter()
        .map(|t| {
            let (c, k) = (&t.team.cohort, Known::of(p));
            if t.coverage.from.is_none() {
                // A month the data does not reach: nothing is known of it, not zeros.
                let mut row = vec![t.period.clone()];
                row.extend(std::iter::repeat_n(NO_DATA.to_string(), 5));
                return row;
            }
            let note = crate::period::Period::parse(&t.period).map(|m| {
                let last = m.end.pred_opt().unwrap_or(m.start);
                crate::render::site::coverage_words(&t.coverage, m.start, last)
            });
            let label = match note {
                Some(n) if !n.is_empty() => format!("{} ({n})", t.period),
                _ => t.period.clone(),
            };
            vec![
                label,
                k.count("meetings_booked", c.meetings_booked),
                k.rate_marked("show_rate", &c.show_rate, min),
                k.rate_marked("acceptance_rate", &c.acceptance_rate, min),
                k.count("won", c.won),
                k.count("closed_won", t.team.closed.closed_won),
            ]
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "kpis",
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
    let leads = if p.loaded.dataset.has(crate::model::Table::Leads) {
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
    ctx.insert("funnel_svg", &funnel_svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert("warm_cold_svg", &wc_svg);
    ctx.insert("warm_cold_rows", &wc_rows);
    ctx.insert(
        "lift",
        &views::lift_sentence(Known::of(p), cur, views::claim(p)),
    );
    ctx.insert("trend_svg", &trend_svg);
    ctx.insert("trend_rows", &trend_rows);
    // Each thing to act on once: an alert that opens a finding's view (the SLA misses, the
    // no-shows) is in the brief already, with its comparison.
    let act = to_act(p, links, selections);
    ctx.insert("findings", &act.findings);
    ctx.insert("alerts", &act.alerts);
    ctx.insert("missing", &missing_tables(p));
    ctx.insert(
        "forecast",
        &cur.forecast_accuracy
            .as_ref()
            .filter(|_| Known::of(p).has("forecast_accuracy")),
    );
    ctx.insert(
        "show_funnel",
        &!p.metrics.unavailable.contains_key("meetings_booked"),
    );
    ctx.insert(
        "show_warm",
        &!p.metrics.unavailable.contains_key("show_rate_warm"),
    );
    ctx.insert(
        "warm_reason",
        p.metrics
            .unavailable
            .get("show_rate_warm")
            .map_or("", String::as_str),
    );
    w.page("index.html", "index.html", "Dashboard", "dashboard", ctx)
}
