//! One page per segment dimension of the playbook (`segments/<slug>.html`): the period's
//! funnel and closed deals by the dimension's values, as a table and a chart
//! (docs/metrics.md, "Segments").

use serde::Serialize;
use tera::Context;

use super::common::symbol;
use crate::error::Error;
use crate::metrics::segments::{Bucket, SegmentMetrics, SegmentValue};
use crate::metrics::EntityMetrics;
use crate::playbook::SegmentTable;
use crate::prepared::Prepared;
use crate::render::charts;
use crate::render::known::Known;
use crate::render::links::Links;
use crate::render::site::Writer;
use crate::render::views::{self, Hidden};

/// Writes the page of every declared dimension.
pub(crate) fn segments(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let dims = &p.loaded.dataset.playbook.segments.dimensions;
    for (d, dim) in dims.iter().enumerate() {
        let figures = p.metrics.current.segments.get(d);
        let k = Known::of(p);
        let others: Vec<OtherView> = (dims.iter().enumerate())
            .filter(|(o, _)| *o != d)
            .map(|(o, x)| OtherView {
                name: &x.name,
                link: links.segment(o),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert(
            "dim",
            &DimView {
                name: &dim.name,
                column: &dim.column,
                table: dim.table.as_str(),
                leads: dim.table == SegmentTable::Leads,
                deals: dim.table == SegmentTable::Opportunities,
            },
        );
        ctx.insert("others", &others);
        ctx.insert(
            "acceptance_label",
            if k.acceptance_over_decided() && k.has("acceptance_rate") {
                "Acceptance (decided hand-offs, no meetings export)"
            } else {
                "Acceptance"
            },
        );
        // Without the dimension's export there is no value to split by: the page says which
        // export fills it instead of a table of zeros.
        let (key, export) = match dim.table {
            SegmentTable::Handoffs => ("meetings_booked", "no hand-offs export (handoffs.csv)"),
            SegmentTable::Leads => ("leads_assigned", "no leads export (leads.csv)"),
            SegmentTable::Opportunities => {
                ("closed_won", "no opportunities export (opportunities.csv)")
            }
        };
        // With the export there but its own figures unavailable (a leads or hand-offs export of
        // won deals only, as Olist's), the deals closed by value are still worth a table; the
        // cells that cannot be given say "not exported".
        let table = crate::model::Table::from(dim.table);
        let figures_known = ["meetings_booked", "closed_won"].iter().any(|f| k.has(f));
        let not_exported = match figures {
            Some(_) if !p.loaded.dataset.has(table) || !figures_known => {
                k.reason(key).or(Some(export))
            }
            Some(_) => None,
            None => Some(export),
        };
        let sym = symbol(w);
        let (rows, svg, chart_rows, chart_key) = match figures {
            Some(f) if not_exported.is_none() => table_and_chart(p, d, f, &sym)?,
            _ => (Vec::new(), String::new(), Vec::new(), "show_rate"),
        };
        let (shown, hidden) = columns(&k, dim.table);
        ctx.insert("colspan", &(1 + shown.values().filter(|s| **s).count()));
        ctx.insert("shown", &shown);
        ctx.insert("hidden", &hidden);
        ctx.insert("not_exported", &not_exported);
        ctx.insert("rows", &rows);
        ctx.insert(
            "total",
            &row_of(p, "Team", false, &p.metrics.current.team, &sym),
        );
        ctx.insert("chart_svg", &svg);
        ctx.insert("chart_rows", &chart_rows);
        ctx.insert(
            "chart_label",
            if chart_key == "show_rate" {
                "Show rate"
            } else {
                "Acceptance rate"
            },
        );
        w.page(
            &links.segment(d),
            "segment.html",
            &format!("{} by segment", dim.name),
            "segments",
            ctx,
        )?;
    }
    Ok(())
}

/// The table's figure columns in order: the field of [`SegmentRow`], the figure's key in
/// metrics.json (whose availability decides the column) and its heading.
const COLUMNS: [(&str, &str, &str); 13] = [
    ("leads", "leads_assigned", "Leads"),
    ("lead_to_meeting", "lead_to_meeting", "Lead to meeting"),
    ("handoffs", "meetings_booked", "Hand-offs"),
    ("show_rate", "show_rate", "Show rate"),
    ("acceptance", "acceptance_rate", "Acceptance"),
    ("win_rate", "win_rate", "Win rate"),
    ("won", "won", "Hand-offs won"),
    (
        "closed_win_rate",
        "closed_win_rate",
        "Win rate by close date",
    ),
    ("closed_won", "closed_won", "Deals closed won"),
    (
        "closed_won_amount",
        "closed_won_amount",
        "Revenue closed won",
    ),
    ("avg_won_deal", "avg_won_deal_amount", "Average deal won"),
    (
        "sales_cycle",
        "sales_cycle_days_median",
        "Sales cycle, median days",
    ),
    (
        "open_pipeline",
        "open_pipeline_amount",
        "Open pipeline (deals)",
    ),
];

/// Which columns the table shows (`shown`: field → bool): those of the dimension's kind the
/// exports give; the others of its kind are named under the table ([`views::hidden_columns`]).
fn columns(
    k: &Known,
    table: SegmentTable,
) -> (std::collections::BTreeMap<&'static str, bool>, Vec<Hidden>) {
    let applies = |field: &str| match field {
        "leads" | "lead_to_meeting" => table == SegmentTable::Leads,
        "win_rate" | "won" => table != SegmentTable::Opportunities,
        "closed_win_rate" | "avg_won_deal" | "sales_cycle" | "open_pipeline" => {
            table == SegmentTable::Opportunities
        }
        _ => true,
    };
    let of_kind = COLUMNS.iter().filter(|(field, ..)| applies(field));
    let shown = COLUMNS
        .iter()
        .map(|(field, key, _)| (*field, applies(field) && k.has(key)))
        .collect();
    let hidden = views::hidden_columns(*k, of_kind.map(|(_, key, heading)| (*key, *heading)));
    (shown, hidden)
}

/// The dimension's rows, largest first (by hand-offs, then revenue closed won, then name),
/// the blank and no-hand-off buckets last; the chart of their show rate (acceptance without a
/// meetings export) in the same order, with its data rows and the key it draws.
#[allow(clippy::type_complexity)]
fn table_and_chart<'a>(
    p: &'a Prepared,
    d: usize,
    f: &'a SegmentMetrics,
    sym: &str,
) -> Result<(Vec<SegmentRow<'a>>, String, Vec<Vec<String>>, &'static str), Error> {
    let k = Known::of(p);
    let min = p.metrics.min_sample;
    let mut values: Vec<&SegmentValue> = f.values.iter().collect();
    let place = |v: &SegmentValue| match v.bucket {
        None => 0,
        Some(Bucket::Blank) => 1,
        Some(Bucket::NoLead) => 2,
        Some(Bucket::NoDeal) => 3,
        Some(Bucket::NoHandoff) => 4,
    };
    values.sort_by(|a, b| {
        let (ma, mb) = (&a.metrics, &b.metrics);
        place(a)
            .cmp(&place(b))
            .then(mb.cohort.meetings_booked.cmp(&ma.cohort.meetings_booked))
            .then(
                mb.closed
                    .closed_won_amount
                    .cmp(&ma.closed.closed_won_amount),
            )
            .then_with(|| a.label().cmp(b.label()))
    });
    let key = if k.has("show_rate") {
        "show_rate"
    } else {
        "acceptance_rate"
    };
    // Deals no hand-off sourced have no hand-offs, so no rate: they stay off the chart. A
    // chart of a rate the exports cannot give would be bars of nothing: there is none (the
    // line under the table names the rate and why).
    let charted: Vec<&&SegmentValue> = (values.iter())
        .filter(|v| v.bucket != Some(Bucket::NoHandoff) && k.has(key))
        .collect();
    let rate = |m: &EntityMetrics| {
        if key == "show_rate" {
            m.cohort.show_rate
        } else {
            m.cohort.acceptance_rate
        }
    };
    let board = charts::Leaderboard {
        meta: charts::ChartMeta {
            id: format!("segment-{d}-chart"),
            title: format!(
                "{} by {}",
                if key == "show_rate" {
                    "Show rate"
                } else {
                    "Acceptance rate"
                },
                f.name
            ),
            description: "One bar per value, in the table's order; values with a small sample are drawn greyed and hatched.".into(),
        },
        format: charts::ValueFormat::Percent,
        rows: charted
            .iter()
            .map(|v| charts::LeaderRow {
                label: v.label().to_string(),
                value: rate(&v.metrics).value,
                small_sample: v.metrics.small_sample.contains(&key),
            })
            .collect(),
    };
    let svg = if charted.is_empty() {
        String::new()
    } else {
        k.chart(&[key], charts::leaderboard(&board)?)
    };
    let chart_rows = charted
        .iter()
        .map(|v| {
            vec![
                v.label().to_string(),
                k.rate_marked(key, &rate(&v.metrics), min),
            ]
        })
        .collect();
    let rows = values
        .iter()
        .map(|v| row_of(p, v.label(), v.bucket.is_some(), &v.metrics, sym))
        .collect();
    Ok((rows, svg, chart_rows, key))
}

/// One value's line of the table, figures as text ("not exported" when the exports cannot
/// give them), each rate ending with the small-sample mark when its sample is small.
fn row_of<'a>(
    p: &Prepared,
    label: &'a str,
    bucket: bool,
    m: &EntityMetrics,
    sym: &str,
) -> SegmentRow<'a> {
    let (k, min, c) = (Known::of(p), p.metrics.min_sample, &m.cohort);
    SegmentRow {
        label,
        bucket,
        handoffs: k.count("meetings_booked", c.meetings_booked),
        show_rate: k.rate_marked("show_rate", &c.show_rate, min),
        acceptance: k.rate_marked("acceptance_rate", &c.acceptance_rate, min),
        win_rate: k.rate_marked("win_rate", &c.win_rate, min),
        won: k.count("won", c.won),
        leads: m
            .leads
            .as_ref()
            .map(|l| k.count("leads_assigned", l.leads_assigned)),
        lead_to_meeting: (m.leads.as_ref())
            .map(|l| k.rate_marked("lead_to_meeting", &l.lead_to_meeting, min)),
        closed_won: k.count("closed_won", m.closed.closed_won),
        closed_won_amount: k.money("closed_won_amount", m.closed.closed_won_amount, sym),
        closed_win_rate: k.rate_marked("closed_win_rate", &m.closed.closed_win_rate, min),
        avg_won_deal: k.text("avg_won_deal_amount", || {
            (m.closed.avg_won_deal_amount)
                .map_or_else(|| "n/a".into(), |a| crate::format::money(a, sym))
        }),
        sales_cycle: k.text("sales_cycle_days_median", || {
            format!(
                "{} (n={})",
                crate::format::days(m.closed.sales_cycle_days_median),
                m.closed.sales_cycle_days_n
            )
        }),
        open_pipeline: k.text("open_pipeline_amount", || {
            format!(
                "{} ({})",
                crate::format::money(m.closed.open_pipeline_amount, sym),
                crate::format::int(i128::from(m.closed.open_pipeline))
            )
        }),
        small: k.has("show_rate") && c.show_rate.is_small(min),
    }
}

/// The dimension a segment page is about (`dim` in `segment.html`).
#[derive(Debug, Serialize)]
struct DimView<'a> {
    /// As segments.yaml names it.
    name: &'a str,
    /// The column its values are read from, as segments.yaml names it.
    column: &'a str,
    /// The export the column is in (`handoffs`, `leads` or `opportunities`).
    table: &'static str,
    /// The column is read from leads.csv: the table shows the lead figures too.
    leads: bool,
    /// The column is read from opportunities.csv: deals count by their own value, so the
    /// table shows the deal figures by close date (win rate, average deal, sales cycle) and
    /// the open pipeline in place of the hand-offs' win rate and hand-offs won.
    deals: bool,
}

/// Another declared dimension, linked from the page (`others` in `segment.html`).
#[derive(Debug, Serialize)]
struct OtherView<'a> {
    name: &'a str,
    /// Its page, relative to the site root.
    link: String,
}

/// One value of the dimension (`rows` in `segment.html`), or the team's total (`total`).
/// Figures arrive as text; a rate on a small sample ends with ` *`, which the template shows
/// as the site's marker.
#[derive(Debug, Serialize)]
struct SegmentRow<'a> {
    /// The value as exported, or a bucket's label: `(blank)`, `(no lead row)`, `(no deal)`,
    /// `(no hand-off)`.
    label: &'a str,
    /// The row is a bucket, not an exported value (shown in italics).
    bucket: bool,
    /// Meetings booked: the period's hand-offs with this value.
    handoffs: String,
    /// Show, acceptance and cohort win rates with their counts, `42% (21/50)`.
    show_rate: String,
    acceptance: String,
    win_rate: String,
    /// Hand-offs won (cohort rule).
    won: String,
    /// Leads created in the period and lead-to-meeting with its counts; absent in a
    /// dimension of handoffs.csv (a lead never handed off has no value there).
    leads: Option<String>,
    lead_to_meeting: Option<String>,
    /// Deals closed won in the period (by close date) and their revenue.
    closed_won: String,
    closed_won_amount: String,
    /// Win rate by close date with its counts; the average deal won ("n/a" without one); the
    /// sales cycle's median in days with its number of deals; the open pipeline's amount and
    /// deals. Shown in a dimension of opportunities.csv.
    closed_win_rate: String,
    avg_won_deal: String,
    sales_cycle: String,
    open_pipeline: String,
    /// The show rate is a small sample: the row is greyed, as on the pods list.
    small: bool,
}
