//! The e-mail digest (`digest.html`): one short, self-contained file a scheduled job can mail
//! as is. Mail clients strip inline SVG (Gmail) or do not draw it (Outlook), drop scripts and
//! external stylesheets, and show about 600 px: so the digest has no `<svg>`, no script, no
//! `<link>` or `src=`, draws its bars as HTML table cells, and fits 600 px. It links only back
//! into the site, through the playbook's `base_url` (`site.yaml`) or, when that is unset,
//! relative to the digest in `output/` (the build says so: such links break in a mail).
//!
//! Content, in the order a VP reads it: one summary sentence, the dashboard's brief (its ranked
//! findings, each with its counts, comparison and a link to its rows) and the other alerts,
//! revenue and forecast, the period's funnel with its change, warm versus cold show rate.

use serde::Serialize;
use tera::Context;

use super::findings::{to_act, Alert, Finding};
use super::links::Links;
use super::site::Writer;
use super::views;
use crate::error::Error;
use crate::format;
use crate::metrics::EntityMetrics;
use crate::prepared::Prepared;
use crate::render::known::{Known, NOT_EXPORTED};
use crate::render::selections::Selection;

/// How many alerts the digest lists after the findings (the dashboard has them all).
pub const TOP_ALERTS: usize = 5;

/// The cohort figures the digest shows, by key.
const FUNNEL_KEYS: [&str; 8] = [
    "meetings_booked",
    "held",
    "show_rate",
    "accepted",
    "acceptance_rate",
    "opportunities",
    "won",
    "won_amount",
];

/// The figures of deals closed in the period the digest shows, by key.
const REVENUE_KEYS: [&str; 2] = ["closed_won_amount", "closed_won"];

/// A funnel figure as the digest writes it: mail clients drop CSS arrows, so the arrow is
/// text, and the colour says whether the change is good news.
#[derive(Debug, Clone, Serialize)]
pub struct DigestFig {
    pub label: &'static str,
    pub value: String,
    pub delta: String,
    /// `▲ `, `▼ ` or empty.
    pub arrow: &'static str,
    /// `up` (good news), `down` (bad news) or `flat`.
    pub tone: &'static str,
    pub small: bool,
    /// Why the exports cannot give the figure (empty when they can).
    pub unavailable: String,
}

impl From<views::Fig> for DigestFig {
    fn from(f: views::Fig) -> DigestFig {
        let (arrow, tone) = match f.delta_class {
            "delta-up" => ("▲ ", "up"),
            "delta-up bad" => ("▲ ", "down"),
            "delta-down" => ("▼ ", "down"),
            "delta-down good" => ("▼ ", "up"),
            _ => ("", "flat"),
        };
        DigestFig {
            label: f.label,
            value: f.value,
            delta: f.delta,
            arrow,
            tone,
            small: f.small,
            unavailable: f.unavailable,
        }
    }
}

/// A link into the site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteLink {
    pub text: String,
    pub href: String,
}

/// `path` (relative to the site's root) as the digest links to it: under `base_url` when the
/// playbook sets one, else as is (relative to `output/`, where the digest is written).
pub fn site_link(base_url: Option<&str>, path: &str) -> String {
    match base_url {
        Some(base) => format!("{}/{}", base.trim_end_matches('/'), path),
        None => path.to_string(),
    }
}

/// One bar of a table-drawn chart: a label, the figure as written, and the bar's width in
/// percent of its cell (0 to 100). A stage the exports cannot give has no bar and says why.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub width: u32,
    /// The rest of the cell (`100 - width`), so the template needs no arithmetic.
    pub rest: u32,
    pub note: String,
    pub unavailable: String,
}

impl Bar {
    fn new(label: &str, value: String, share: Option<f64>, note: String) -> Bar {
        let width = share.map_or(0, |s| (s.clamp(0.0, 1.0) * 100.0).round() as u32);
        Bar {
            label: label.into(),
            value,
            width,
            rest: 100 - width,
            note,
            unavailable: String::new(),
        }
    }

    fn unavailable(label: &str, why: &str) -> Bar {
        Bar {
            unavailable: why.into(),
            ..Bar::new(label, NOT_EXPORTED.into(), None, String::new())
        }
    }
}

/// The cohort funnel as bars, each stage's width a share of the meetings booked.
pub fn funnel_bars(k: Known, m: &EntityMetrics) -> Vec<Bar> {
    let c = &m.cohort;
    let booked = c.meetings_booked;
    let stages = [
        (
            "Booked",
            "meetings_booked",
            c.meetings_booked,
            String::new(),
        ),
        (
            "Held",
            "held",
            c.held,
            format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den) + " show",
        ),
        (
            "Accepted",
            "accepted",
            c.accepted,
            format::pct(c.acceptance_rate.value, 0) + " of decided",
        ),
        (
            "Opportunity",
            "opportunities",
            c.opportunities,
            format::pct(c.opportunity_rate.value, 0) + " of held",
        ),
        (
            "Hand-offs won",
            "won",
            c.won,
            format::pct(c.win_rate.value, 0) + " win rate",
        ),
    ];
    stages
        .iter()
        .map(|(label, key, n, note)| match k.reason(key) {
            Some(why) => Bar::unavailable(label, why),
            None => Bar::new(
                label,
                format::int(i128::from(*n)),
                (booked > 0).then(|| *n as f64 / booked as f64),
                note.clone(),
            ),
        })
        .collect()
}

/// Show rate warm and cold as bars, each as wide as its rate, with its 95% interval.
pub fn warm_cold_bars(k: Known, m: &EntityMetrics) -> Vec<Bar> {
    let c = &m.cohort;
    let sides = [
        (
            "Warm",
            "show_rate_warm",
            &c.show_rate_warm,
            c.show_rate_warm_ci,
        ),
        (
            "Cold",
            "show_rate_cold",
            &c.show_rate_cold,
            c.show_rate_cold_ci,
        ),
    ];
    sides
        .iter()
        .map(|(label, key, r, ci)| match k.reason(key) {
            Some(why) => Bar::unavailable(label, why),
            None => Bar::new(
                label,
                format::rate(r.value, r.num, r.den),
                r.value,
                ci.map_or_else(String::new, |[l, h]| {
                    format!(
                        "95% interval {}–{}",
                        format::pct(Some(l), 0),
                        format::pct(Some(h), 0)
                    )
                }),
            ),
        })
        .collect()
}

/// The digest's first line: the period in one sentence, from the figures the exports can give
/// (a figure they cannot is named as not exported, never written as 0).
pub fn summary(k: Known, m: &EntityMetrics, period: &str, symbol: &str, alerts: usize) -> String {
    let c = &m.cohort;
    let mut parts = Vec::new();
    let mut missing = Vec::new();
    let mut part = |key: &str, name: &str, text: String| {
        if k.has(key) {
            parts.push(text);
        } else {
            missing.push(name.to_string());
        }
    };
    part(
        "meetings_booked",
        "meetings booked",
        format!(
            "{} meetings booked",
            format::int(i128::from(c.meetings_booked))
        ),
    );
    part(
        "show_rate",
        "show rate",
        format!(
            "{} held (show rate {}, {}/{})",
            format::int(i128::from(c.held)),
            format::pct(c.show_rate.value, 0),
            c.show_rate.num,
            c.show_rate.den
        ),
    );
    part(
        "accepted",
        "acceptance",
        format!("{} accepted by the AE", format::int(i128::from(c.accepted))),
    );
    part(
        "closed_won_amount",
        "revenue closed won",
        format!(
            "{} closed won in {} deals",
            format::money(m.closed.closed_won_amount, symbol),
            format::int(i128::from(m.closed.closed_won))
        ),
    );
    let acting = match alerts {
        0 => "nothing needs attention".to_string(),
        1 => "1 thing worth acting on".to_string(),
        n => format!("{n} things worth acting on"),
    };
    let missing = if missing.is_empty() {
        String::new()
    } else {
        format!(" ({} {NOT_EXPORTED})", missing.join(", "))
    };
    if parts.is_empty() {
        return format!("{period}: no hand-off figure is exported{missing}; {acting}.");
    }
    format!("{period}: {}{missing}; {acting}.", parts.join(", "))
}

/// Writes `digest.html`: the summary, the brief's findings (as the dashboard ranks them) and
/// the other alerts, revenue and forecast, the funnel, warm versus cold. `selections` are the
/// filtered views the findings count.
pub fn write(
    p: &Prepared,
    links: &Links,
    selections: &[Selection],
    w: &mut Writer,
) -> Result<(), Error> {
    let base = p.loaded.dataset.playbook.site.base_url.as_deref();
    let (cur, prev) = (&p.metrics.current.team, &p.metrics.previous_at_age.team);
    let min = p.metrics.min_sample;
    let k = Known::of(p);
    let sym = &w.site.currency;
    let figs: Vec<DigestFig> = views::funnel_figs(k, cur, prev, min, sym)
        .into_iter()
        .filter(|f| FUNNEL_KEYS.contains(&f.key))
        .map(DigestFig::from)
        .collect();
    let revenue: Vec<DigestFig> = views::closed_figs(k, cur, prev, min, sym)
        .into_iter()
        .filter(|f| REVENUE_KEYS.contains(&f.key))
        .map(DigestFig::from)
        .collect();
    let forecast = cur
        .forecast_accuracy
        .as_ref()
        .filter(|_| k.has("forecast_accuracy"))
        .map(|f| {
            format!(
                "Forecast accuracy {}: closed {} against a forecast of {}.",
                format::pct(f.value, 0),
                format::money(f.actual, sym),
                format::money(f.forecast, sym)
            )
        });
    let act = to_act(p, links, selections);
    let period = p.period.label();
    let summary = summary(k, cur, &period, sym, act.len());
    let findings: Vec<Finding> = act
        .findings
        .into_iter()
        .map(|f| Finding {
            href: site_link(base, &f.href),
            ..f
        })
        .collect();
    let more_alerts = act.alerts.len().saturating_sub(TOP_ALERTS);
    let top: Vec<Alert> = act
        .alerts
        .into_iter()
        .take(TOP_ALERTS)
        .map(|a| Alert {
            href: site_link(base, &a.href),
            ..a
        })
        .collect();
    let nav = [
        ("Dashboard", "index.html".to_string()),
        ("Hand-offs", "handoffs.html".into()),
        ("SDR × AE matrix", "matrix.html".into()),
        ("Comp statements", "comp.html".into()),
        ("Review packet", format!("review/{period}.html")),
        ("History", "history.html".into()),
    ];
    let no_comp = p.loaded.dataset.playbook.site.comp.publish == crate::playbook::Publish::None;
    let nav: Vec<SiteLink> = nav
        .iter()
        .filter(|(_, path)| !(no_comp && path == "comp.html"))
        .map(|(text, path)| SiteLink {
            text: (*text).to_string(),
            href: site_link(base, path),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("summary", &summary);
    ctx.insert("any_small", &figs.iter().chain(&revenue).any(|f| f.small));
    ctx.insert("figs", &figs);
    ctx.insert("revenue", &revenue);
    ctx.insert("forecast", &forecast);
    ctx.insert("funnel_bars", &funnel_bars(k, cur));
    ctx.insert("warm_cold_bars", &warm_cold_bars(k, cur));
    ctx.insert("lift", &views::lift_sentence(k, cur, views::claim(p)));
    ctx.insert("findings", &findings);
    ctx.insert("alerts", &top);
    ctx.insert("more_alerts", &more_alerts);
    ctx.insert("nav", &nav);
    ctx.insert("relative_links", &base.is_none());
    ctx.insert("home", &site_link(base, "index.html"));
    ctx.insert("alerts_link", &site_link(base, "index.html#alerts-h"));
    w.page(
        "digest.html",
        "digest.html",
        &format!("Digest {period}"),
        "",
        ctx,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_under_the_base_url_or_stay_relative() {
        assert_eq!(
            site_link(Some("https://r.example.com/baton/"), "index.html"),
            "https://r.example.com/baton/index.html"
        );
        assert_eq!(
            site_link(Some("https://r.example.com/baton"), "review/2026-10.html"),
            "https://r.example.com/baton/review/2026-10.html"
        );
        assert_eq!(site_link(None, "handoffs.html#sla"), "handoffs.html#sla");
    }
}
