//! The report pages: dashboard, SDRs, AEs, pods, pairs with their 1:1 agenda, the hand-offs
//! table and the printable monthly review packet.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tera::Context;

use super::charts;
use super::rows::{Brief, Cohort, Listed};
use super::site::{Links, Page, Writer};
use super::views::{self, Fig};
use crate::error::Error;
use crate::format;
use crate::metrics::{EntityMetrics, PairMetrics, PeriodMetrics};
use crate::model::{Rep, Role};
use crate::prepared::Prepared;

/// A dashboard alert: something worth acting on, with where to look.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub level: &'static str,
    pub text: String,
    pub href: String,
}

/// One line of a people list (SDRs, AEs, pods), ranked unless its sample is small.
#[derive(Debug, Clone, Serialize)]
struct ListRow {
    rank: Option<usize>,
    name: String,
    link: String,
    pod: String,
    figs: Vec<Fig>,
    small: bool,
}

/// Writes every report page.
/// `cohort` is the hand-offs table's order ([`super::rows::cohort_order`]), the one `links` has.
pub fn write_all(
    p: &Prepared,
    links: &Links,
    cohort: Vec<usize>,
    w: &mut Writer,
) -> Result<(), Error> {
    use crate::timings::time;
    let threads = super::site::render_threads();
    let cohort = time("render cohort rows", || {
        Cohort::new(p, links, cohort, w.rows, threads)
    })?;
    time("render dashboard", || dashboard(p, links, w))?;
    time("render sdr pages", || {
        people(p, links, &cohort, w, List::Sdrs)
    })?;
    time("render ae pages", || {
        people(p, links, &cohort, w, List::Aes)
    })?;
    time("render pod pages", || pods(p, links, w))?;
    time("render pair pages", || pairs(p, links, &cohort, w))?;
    time("render handoffs page", || handoffs(p, links, &cohort, w))?;
    // The last page that lists hand-offs: free its rows before the comp page, the largest.
    drop(cohort);
    time("render review", || review(p, links, w))?;
    time("render playbook", || {
        super::playbook::write_all(p, links, w)
    })
}

/// The figures, with those the exports cannot give replaced by their reason.
fn mark(p: &Prepared, figs: Vec<Fig>) -> Vec<Fig> {
    views::mark_unavailable(figs, &p.metrics.unavailable)
}

fn empty_metrics(p: &Prepared) -> &EntityMetrics {
    &p.metrics.current.team
}

fn prev_of<'a>(p: &'a Prepared, m: Option<&'a EntityMetrics>) -> &'a EntityMetrics {
    m.unwrap_or_else(|| empty_metrics(p))
}

fn symbol(w: &Writer) -> String {
    w.site.currency.clone()
}

fn missing_tables(p: &Prepared) -> Vec<String> {
    use crate::model::Table;
    let ds = &p.loaded.dataset;
    let mut out = Vec::new();
    let need = [
        (
            Table::Meetings,
            "meeting outcomes and show rates (every hand-off counts as pending)",
        ),
        (Table::Activities, "dials, conversations and other activity"),
        (Table::Opportunities, "opportunities, wins and closed deals"),
        (Table::OneOnOnes, "1:1 cadence"),
        (Table::Forecasts, "forecast accuracy"),
    ];
    for (t, what) in need {
        if !ds.has(t) {
            out.push(format!(
                "No {} export: {what} cannot be shown.",
                t.file_name()
            ));
        }
    }
    let mut reasons: Vec<&String> = p.metrics.unavailable.values().collect();
    reasons.sort();
    reasons.dedup();
    // Missing tables were named above; the rest are columns or rows the exports lack.
    for r in reasons.into_iter().filter(|r| !r.starts_with("no ")) {
        out.push(format!("Not in these exports: {r}."));
    }
    out
}

/// What is worth acting on this period, most pressing first (the dashboard, the review
/// packet and the e-mail digest show them).
pub(crate) fn alerts(p: &Prepared, links: &Links) -> Vec<Alert> {
    let cur = &p.metrics.current;
    let prev = &p.metrics.previous;
    let min = p.metrics.min_sample;
    let ds = &p.loaded.dataset;
    let mut out = Vec::new();
    let t = &cur.team.cohort;
    if t.sla_breaches > 0 {
        out.push(Alert {
            level: "warn",
            text: format!(
                "{} hand-offs missed the {} h follow-up SLA ({} never followed up).",
                t.sla_breaches, ds.playbook.handoff.sla_hours, t.ae_never_followed_up
            ),
            href: "handoffs.html#sla".into(),
        });
    }
    let (a, b) = (&t.show_rate, &prev.team.cohort.show_rate);
    if let (Some(x), Some(y)) = (a.value, b.value) {
        if x + 0.05 <= y && !a.is_small(min) && !b.is_small(min) {
            out.push(Alert {
                level: "warn",
                text: format!(
                    "Show rate fell from {} to {}.",
                    format::rate(b.value, b.num, b.den),
                    format::rate(a.value, a.num, a.den)
                ),
                href: "index.html#funnel".into(),
            });
        }
    }
    for d in &p.diagnostics {
        if d.message.contains("last reviewed") || d.message.contains("no last_reviewed") {
            out.push(Alert {
                level: "warn",
                text: format!("Playbook: {}", d.message),
                href: "playbook/qualification.html".into(),
            });
        }
    }
    for pair in &cur.pairs {
        if let Some(c) = &pair.metrics.cadence {
            if c.one_on_ones_expected > 0 && c.one_on_one_adherence.value.is_some_and(|v| v < 0.5) {
                out.push(Alert {
                    level: "warn",
                    text: format!(
                        "1:1s lapsed for {} and {}: {} held of {} expected.",
                        rep_name(p, &pair.sdr),
                        rep_name(p, &pair.ae),
                        c.one_on_ones_held,
                        c.one_on_ones_expected
                    ),
                    href: links
                        .pair(&pair.sdr, &pair.ae)
                        .unwrap_or_else(|| "pods.html".into()),
                });
            }
        }
    }
    let small = cur
        .sdrs
        .values()
        .filter(|m| m.cohort.show_rate.is_small(min))
        .count();
    if small > 0 && !p.metrics.unavailable.contains_key("show_rate") {
        out.push(Alert {
            level: "info",
            text: format!(
                "{small} of {} SDRs have fewer than {min} attended meetings: their rates are shown greyed and not ranked.",
                cur.sdrs.len()
            ),
            href: "sdrs.html".into(),
        });
    }
    let rejected = p.loaded.rejections.len();
    if rejected > 0 {
        out.push(Alert {
            level: "warn",
            text: format!("{rejected} input rows were rejected and are not counted."),
            href: "data.html".into(),
        });
    }
    out
}

pub fn rep_name(p: &Prepared, id: &str) -> String {
    p.loaded
        .dataset
        .rep(id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

fn dashboard(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
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

/// The page of rep `id` (with `role`) where the site has one: a rep on one of the two lists
/// with figures for the period, as [`people`] writes them.
pub fn rep_link(p: &Prepared, links: &Links, id: &str, role: Role) -> Option<String> {
    let list = List::of(role)?;
    list.figures(&p.metrics.current)
        .contains_key(id)
        .then(|| links.rep_page(id, role))
}

/// The site's two lists of reps, a rep on at most one: the AEs, and the reps who prospect
/// (SDRs and BDRs). A manager is on neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Aes,
    Sdrs,
}

impl List {
    /// The list a rep of `role` is on.
    fn of(role: Role) -> Option<List> {
        if role == Role::Ae {
            Some(List::Aes)
        } else if role.prospects() {
            Some(List::Sdrs)
        } else {
            None
        }
    }

    /// The list's reps with figures for `period`; in the current period, those with a page.
    fn figures(self, period: &PeriodMetrics) -> &BTreeMap<String, EntityMetrics> {
        match self {
            List::Aes => &period.aes,
            List::Sdrs => &period.sdrs,
        }
    }
}

/// The SDR or AE list and one page per rep.
fn people(
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
        list.figures(&p.metrics.previous),
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
    // (rank key: None for small samples, value to draw, row)
    let mut rows: Vec<(Option<f64>, Option<f64>, ListRow)> = Vec::new();
    let mut pages: Vec<(&Rep, &EntityMetrics, &EntityMetrics)> = Vec::new();
    for r in &reps {
        let Some(cur) = cur_map.get(&r.id) else {
            continue;
        };
        let prev = prev_of(p, prev_map.get(&r.id));
        let c = &cur.cohort;
        let (key, figs) = if list == List::Aes {
            let met = crate::metrics::stats::Rate::new(
                c.sla_breach_rate.den - c.sla_breach_rate.num,
                c.sla_breach_rate.den,
            );
            let before = &prev.cohort.sla_breach_rate;
            let met_before = crate::metrics::stats::Rate::new(before.den - before.num, before.den);
            (
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
                        c.ae_follow_up_hours_n,
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
                        "Won (SDR-sourced)",
                        c.won_amount,
                        prev.cohort.won_amount,
                        &sym,
                    ),
                ],
            )
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
                    views::count("won", "Won", c.won, prev.cohort.won),
                ],
            )
        };
        let small = key.is_small(min);
        rows.push((
            if small { None } else { key.value },
            key.value,
            ListRow {
                rank: None,
                name: r.name.clone(),
                link: links.rep_page(&r.id, r.role),
                pod: r.pod.clone(),
                figs,
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
    let board = charts::leaderboard(&charts::Leaderboard {
        meta: charts::ChartMeta {
            id: format!("{section}-board"),
            title: if list == List::Aes {
                "Follow-up within SLA by AE".into()
            } else {
                "Show rate by SDR".into()
            },
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
    })?;
    let listed: Vec<ListRow> = rows.into_iter().map(|(_, _, r)| r).collect();
    let mut ctx = Context::new();
    ctx.insert("rows", &listed);
    ctx.insert("board_svg", &board);
    ctx.insert("role", if list == List::Aes { "ae" } else { "sdr" });
    w.page(list_name, "people.html", title, section, ctx)
}

#[derive(Serialize)]
struct Feedback<'a> {
    rejections: Vec<&'a Brief>,
    no_shows: Vec<&'a Brief>,
    missing_docs: Vec<&'a Brief>,
    awaiting: Vec<&'a Brief>,
}

fn feedback<'a>(rows: &[Listed<'a>]) -> Feedback<'a> {
    let rows: Vec<&'a Brief> = rows.iter().map(|l| l.row).collect();
    Feedback {
        rejections: rows
            .iter()
            .filter(|r| r.outcome == "held" && r.decision == "rejected")
            .copied()
            .collect(),
        no_shows: rows
            .iter()
            .filter(|r| r.outcome == "no-show")
            .copied()
            .collect(),
        missing_docs: rows
            .iter()
            .filter(|r| !r.missing_sections.is_empty())
            .copied()
            .collect(),
        awaiting: rows
            .iter()
            .filter(|r| {
                r.sla == "never"
                    || r.sla == "open"
                    || (r.outcome == "held" && r.decision == "pending")
            })
            .copied()
            .collect(),
    }
}

/// The page of one SDR or AE.
fn rep_page(
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
    let (svg, funnel_rows) = views::funnel_chart("rep-funnel", &r.name, cur)?;
    let statements: Vec<&crate::comp::Statement> = p
        .comp
        .statements
        .iter()
        .filter(|s| s.rep_id == r.id)
        .collect();
    let pairs: Vec<serde_json::Value> = p
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
        &serde_json::json!({
            "id": r.id, "name": r.name, "role": r.role.as_str().to_uppercase(), "pod": r.pod,
            "pod_link": links.pod(&r.pod), "start_date": r.start_date, "end_date": r.end_date,
            "source": r.source.to_string(),
        }),
    );
    ctx.insert("funnel", &mark(p, views::funnel_figs(cur, prev, min, sym)));
    ctx.insert("quality", &mark(p, views::quality_figs(cur, prev, min)));
    ctx.insert("activity", &mark(p, views::activity_figs(cur, prev, min)));
    ctx.insert("closed", &mark(p, views::closed_figs(cur, prev, min, sym)));
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

fn pair_summary(p: &Prepared, links: &Links, x: &PairMetrics) -> serde_json::Value {
    let c = &x.metrics.cohort;
    let cad = x.metrics.cadence.as_ref();
    serde_json::json!({
        "sdr": rep_name(p, &x.sdr), "ae": rep_name(p, &x.ae),
        "link": links.pair(&x.sdr, &x.ae),
        "booked": c.meetings_booked,
        "show_rate": format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den),
        "acceptance": format::rate(c.acceptance_rate.value, c.acceptance_rate.num, c.acceptance_rate.den),
        "won": c.won,
        "one_on_ones": cad.map(|c| format!("{} of {} expected", c.one_on_ones_held, c.one_on_ones_expected)),
        "adherence": cad.map(|c| format::rate(c.one_on_one_adherence.value, c.one_on_one_adherence.num, c.one_on_one_adherence.den)),
        "small": c.show_rate.is_small(p.metrics.min_sample),
    })
}

fn pods(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
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

/// One agenda section of the next 1:1, pre-filled from the data.
#[derive(Serialize)]
struct AgendaSection {
    name: String,
    minutes: u32,
    items: Vec<AgendaItem>,
    empty_note: &'static str,
}

#[derive(Serialize)]
struct AgendaItem {
    text: String,
    href: Option<String>,
}

/// Which part of the data a template section gets, from its name (see docs/templates.md).
fn agenda_kind(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if n.contains("win") || n.contains("opening") || n.contains("celebrat") {
        "wins"
    } else if n.contains("goal") || n.contains("progress") {
        "goals"
    } else if n.contains("quality") || n.contains("feedback") {
        "feedback"
    } else if n.contains("alignment") || n.contains("next") || n.contains("open") {
        "open"
    } else {
        "none"
    }
}

fn pairs(p: &Prepared, links: &Links, cohort: &Cohort, w: &mut Writer) -> Result<(), Error> {
    let min = p.metrics.min_sample;
    let sym = symbol(w);
    let ds = &p.loaded.dataset;
    // The period's wins, and who sourced each won lead (one hand-off per lead): looked up once,
    // not per pair, and only for the won leads (a map of every lead was 30 MB at scale).
    let mut won: HashMap<&str, Vec<&crate::model::Opportunity>> = HashMap::new();
    for o in &ds.opportunities {
        if o.status == crate::model::OpportunityStatus::Won
            && o.close_date.is_some_and(|d| p.period.contains(d))
        {
            won.entry(&*o.ae_id).or_default().push(o);
        }
    }
    let won_leads: std::collections::HashSet<&str> = won
        .values()
        .flatten()
        .filter_map(|o| o.lead_id.as_deref())
        .collect();
    let sdr_of: HashMap<&str, &str> = ds
        .handoffs
        .iter()
        .filter(|h| won_leads.contains(h.lead_id.as_str()))
        .map(|h| (h.lead_id.as_str(), &*h.sdr_id))
        .collect();
    w.pages(&p.metrics.current.pairs, |x| {
        let Some(rel) = links.pair(&x.sdr, &x.ae) else {
            return Ok(None);
        };
        let prev = p
            .metrics
            .previous
            .pairs
            .iter()
            .find(|y| y.sdr == x.sdr && y.ae == x.ae)
            .map(|y| &y.metrics);
        let prev = prev_of(p, prev);
        let rows = cohort.of(p, &x.sdr, false, |h| *h.ae_id == *x.ae);
        let fb = feedback(&rows);
        let wins: Vec<AgendaItem> = rows
            .iter()
            .map(|l| l.row)
            .filter(|r| r.decision == "accepted" && r.outcome == "held")
            .map(|r| AgendaItem {
                text: format!("{} accepted ({})", r.company, r.lead),
                href: Some(r.link.clone()),
            })
            .chain(
                won.get(x.ae.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|o| {
                        o.lead_id
                            .as_deref()
                            .is_some_and(|l| sdr_of.get(l) == Some(&x.sdr.as_str()))
                    })
                    .map(|o| AgendaItem {
                        text: format!(
                            "Won {} ({})",
                            format::money(o.amount, &sym),
                            o.opportunity_id
                        ),
                        href: o.lead_id.as_ref().and_then(|l| links.lead(l)),
                    }),
            )
            .collect();
        let goals: Vec<AgendaItem> = p
            .comp
            .statements
            .iter()
            .filter(|s| s.rep_id == x.sdr)
            .flat_map(|s| s.lines.iter().map(move |l| (s, l)))
            .map(|(s, l)| AgendaItem {
                text: format!(
                    "{}: {} of {} ({}){}",
                    l.metric.as_str().replace('_', " "),
                    format::decimal(l.actual, 2),
                    format::decimal(l.target, 2),
                    l.attainment.map_or_else(
                        || "n/a".to_string(),
                        |a| format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&a), 0)
                    ),
                    if s.partial { ", to date" } else { "" }
                ),
                href: Some(
                    rep_link(p, links, &s.rep_id, s.role)
                        .map_or_else(|| "comp.html".into(), |page| format!("{page}#comp")),
                ),
            })
            .collect();
        let feedback_items: Vec<AgendaItem> = fb
            .rejections
            .iter()
            .map(|r| AgendaItem {
                text: format!(
                    "Rejected: {} — {}",
                    r.company,
                    if r.rejection_reason.is_empty() {
                        "no reason given"
                    } else {
                        &r.rejection_reason
                    }
                ),
                href: Some(r.link.clone()),
            })
            .chain(fb.no_shows.iter().map(|r| AgendaItem {
                text: format!("No-show: {} ({} hand-off)", r.company, r.kind),
                href: Some(r.link.clone()),
            }))
            .chain(fb.missing_docs.iter().map(|r| AgendaItem {
                text: format!("{}: missing {}", r.company, r.missing_sections.join(", ")),
                href: Some(r.link.clone()),
            }))
            .chain(
                rows.iter()
                    .map(|l| l.row)
                    .filter(|r| r.continuity == "differs")
                    .map(|r| AgendaItem {
                        text: format!("{}: AE heard a different pain point", r.company),
                        href: Some(r.link.clone()),
                    }),
            )
            .collect();
        let open: Vec<AgendaItem> = fb
            .awaiting
            .iter()
            .map(|r| AgendaItem {
                text: format!(
                    "{} — {}",
                    r.company,
                    match r.sla {
                        "never" => "no AE contact, SLA missed",
                        "open" => "awaiting AE contact",
                        _ => "decision pending",
                    }
                ),
                href: Some(r.link.clone()),
            })
            .collect();
        let mut buckets = [
            ("wins", wins),
            ("goals", goals),
            ("feedback", feedback_items),
            ("open", open),
        ];
        let agenda: Vec<AgendaSection> = p
            .loaded
            .dataset
            .playbook
            .meetings
            .sections
            .iter()
            .map(|s| {
                let kind = agenda_kind(&s.name);
                let items = buckets
                    .iter_mut()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, v)| std::mem::take(v))
                    .unwrap_or_default();
                AgendaSection {
                    name: s.name.clone(),
                    minutes: s.minutes,
                    items,
                    empty_note: match kind {
                        "wins" => "No wins this period yet.",
                        "goals" => "No comp plan goals for this SDR.",
                        "feedback" => "No rejections, no-shows or missing documentation.",
                        "open" => "Nothing awaiting follow-up.",
                        _ => "",
                    },
                }
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("pair", &pair_summary(p, links, x));
        ctx.insert("sdr_link", &links.sdr(&x.sdr));
        ctx.insert("ae_link", &links.ae(&x.ae));
        ctx.insert(
            "funnel",
            &mark(p, views::funnel_figs(&x.metrics, prev, min, &sym)),
        );
        ctx.insert(
            "quality",
            &mark(p, views::quality_figs(&x.metrics, prev, min)),
        );
        ctx.insert("cadence", &x.metrics.cadence);
        ctx.insert("agenda", &agenda);
        ctx.insert("handoffs", &rows.iter().map(|l| l.html).collect::<Vec<_>>());
        let title = format!("{} & {}", rep_name(p, &x.sdr), rep_name(p, &x.ae));
        Ok(Some(Page {
            rel,
            name: "pair.html",
            title,
            section: "pods",
            ctx,
        }))
    })
}

fn handoffs(p: &Prepared, links: &Links, cohort: &Cohort, w: &mut Writer) -> Result<(), Error> {
    let rows = cohort.all();
    let cur = &p.metrics.current.team;
    let c = &cur.cohort;
    let quality_svg = charts::rate_bars(&charts::RateBars {
        meta: charts::ChartMeta {
            id: "quality-chart".into(),
            title: "Acceptance rate by documentation and qualification".into(),
            description: "AE acceptance of held hand-offs with complete versus incomplete notes, and sales-ready versus not.".into(),
        },
        series: vec!["Acceptance rate".into()],
        groups: [
            ("Complete notes", &c.acceptance_rate_complete),
            ("Incomplete notes", &c.acceptance_rate_incomplete),
            ("Sales-ready", &c.acceptance_rate_sales_ready),
            ("Not sales-ready", &c.acceptance_rate_not_sales_ready),
        ]
        .iter()
        .map(|(l, r)| charts::RateGroup {
            label: (*l).into(),
            bars: vec![charts::RateBar { rate: r.value, ci: crate::metrics::stats::wilson(r.num, r.den).map(|[a, b]| (a, b)), n: r.den }],
        })
        .collect(),
        benchmark: None,
    })?;
    let sym = symbol(w);
    let loss_list = &p
        .loaded
        .dataset
        .playbook
        .handoff
        .handoff_related_loss_reasons;
    let losses: Vec<serde_json::Value> = p
        .loaded
        .dataset
        .opportunities
        .iter()
        .filter(|o| o.status == crate::model::OpportunityStatus::Lost && o.close_date.is_some_and(|d| p.period.contains(d)))
        .filter(|o| crate::metrics::closed::is_handoff_related(&o.loss_reason, loss_list))
        .map(|o| serde_json::json!({
            "id": o.opportunity_id, "reason": o.loss_reason, "amount": format::money(o.amount, &sym),
            "ae": rep_name(p, &o.ae_id), "link": o.lead_id.as_ref().and_then(|l| links.lead(l)),
            "close_date": o.close_date, "source": o.source.to_string(),
        }))
        .collect();
    let quality = mark(
        p,
        views::quality_figs(
            cur,
            prev_of(p, Some(&p.metrics.previous.team)),
            p.metrics.min_sample,
        ),
    );
    let hb = &p.loaded.dataset.playbook.handoff;
    let per_page = p.loaded.dataset.playbook.site.handoffs_per_page;
    let chunks: Vec<&[Listed]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_page).collect()
    };
    let pager: Vec<PagerLink> = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| PagerLink {
            number: i + 1,
            href: super::site::handoffs_page(i + 1),
            first: i * per_page + 1,
            last: i * per_page + chunk.len(),
            from: chunk
                .first()
                .map(|l| l.row.handed_off.clone())
                .unwrap_or_default(),
            to: chunk
                .last()
                .map(|l| l.row.handed_off.clone())
                .unwrap_or_default(),
        })
        .collect();
    let numbered: Vec<(usize, &[Listed])> = chunks.into_iter().enumerate().collect();
    let first_page = cohort.first(per_page);
    let writer = w.rows;
    w.pages(&numbered, |(i, chunk)| {
        let mut ctx = Context::new();
        if *i == 0 {
            // The first page is at the root: its rows are rendered for it.
            let html = super::rows::full_rows(p, links, &first_page)
                .iter()
                .map(|r| writer.html(r, ""))
                .collect::<Result<Vec<_>, Error>>()?;
            ctx.insert("rows", &html);
        } else {
            ctx.insert("rows", &chunk.iter().map(|l| l.html).collect::<Vec<_>>());
        }
        ctx.insert("total", &rows.len());
        ctx.insert("pager", &pager);
        ctx.insert("current", &pager[*i]);
        ctx.insert("sla_hours", &hb.sla_hours);
        ctx.insert("sections", &hb.sections.len());
        if *i > 0 {
            return Ok(Some(Page {
                rel: super::site::handoffs_page(i + 1),
                name: "handoffs_page.html",
                title: format!("Hand-offs, page {}", i + 1),
                section: "handoffs",
                ctx,
            }));
        }
        ctx.insert("quality", &quality);
        ctx.insert("quality_svg", &quality_svg);
        ctx.insert("losses", &losses);
        Ok(Some(Page {
            rel: "handoffs.html".into(),
            name: "handoffs.html",
            title: "Hand-offs".into(),
            section: "handoffs",
            ctx,
        }))
    })
}

/// One page of the hand-offs table, for the pager every page of it shows: rows `first` to
/// `last` (from 1) of the period's, handed off from `from` to `to`.
#[derive(Serialize)]
struct PagerLink {
    number: usize,
    href: String,
    first: usize,
    last: usize,
    from: String,
    to: String,
}

fn review(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
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
