//! The dashboard (`index.html`): the period's alerts, headline cards, the funnel and the
//! figures of the team.

use tera::Context;

use super::common::{mark, symbol};
use crate::error::Error;
use crate::format;
use crate::prepared::Prepared;
use crate::render::charts;
use crate::render::findings::{alerts, missing_tables};
use crate::render::links::Links;
use crate::render::site::Writer;
use crate::render::views::{self};

pub(crate) fn dashboard(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let (cur, prev) = (&p.metrics.current.team, &p.metrics.previous.team);
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let (funnel_svg, funnel_rows) = views::funnel_chart("funnel-chart", "team", cur)?;
    let (wc_svg, wc_rows) = views::warm_cold_chart("warm-cold-chart", cur)?;
    let trend = &p.metrics.trend;
    let months: Vec<String> = trend.iter().map(|t| t.period.clone()).collect();
    let trend_svg = charts::trend(&charts::Trend {
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
        series: vec![
            charts::TrendSeries {
                name: "Show rate".into(),
                values: trend
                    .iter()
                    .map(|t| t.team.cohort.show_rate.value)
                    .collect(),
            },
            charts::TrendSeries {
                name: "Acceptance rate".into(),
                values: trend
                    .iter()
                    .map(|t| t.team.cohort.acceptance_rate.value)
                    .collect(),
            },
        ],
        format: charts::ValueFormat::Percent,
        benchmark: None,
        markers: Vec::new(),
    })?;
    let trend_rows: Vec<Vec<String>> = trend
        .iter()
        .map(|t| {
            let c = &t.team.cohort;
            vec![
                t.period.clone(),
                format::int(i128::from(c.meetings_booked)),
                format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den),
                format::rate(
                    c.acceptance_rate.value,
                    c.acceptance_rate.num,
                    c.acceptance_rate.den,
                ),
                format::int(i128::from(c.won)),
                format::int(i128::from(t.team.closed.closed_won)),
            ]
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("kpis", &mark(p, views::funnel_figs(cur, prev, min, &sym)));
    ctx.insert("quality", &mark(p, views::quality_figs(cur, prev, min)));
    ctx.insert("activity", &mark(p, views::activity_figs(cur, prev, min)));
    ctx.insert("closed", &mark(p, views::closed_figs(cur, prev, min, &sym)));
    ctx.insert("funnel_svg", &funnel_svg);
    ctx.insert("funnel_rows", &funnel_rows);
    ctx.insert("warm_cold_svg", &wc_svg);
    ctx.insert("warm_cold_rows", &wc_rows);
    ctx.insert("lift", &views::lift_sentence(cur));
    ctx.insert("trend_svg", &trend_svg);
    ctx.insert("trend_rows", &trend_rows);
    ctx.insert("alerts", &alerts(p, links));
    ctx.insert("missing", &missing_tables(p));
    ctx.insert("forecast", &cur.forecast_accuracy);
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
