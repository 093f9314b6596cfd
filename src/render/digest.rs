//! The e-mail digest (`digest.html`): one short, self-contained file a scheduled job can mail
//! as is. Its stylesheet is a `<style>` block, its charts inline SVG; it loads nothing (no
//! `<link>`, no `src=`, no `url(`) and links only back into the site, through the playbook's
//! `base_url` (`site.yaml`) or, when that is unset, relative to the digest in `output/`.
//!
//! Content: the period's funnel with its change from the previous period, warm versus cold
//! show rate with the verdict sentence, the top alerts, and links to the full report.

use serde::Serialize;
use tera::Context;

use super::findings::{alerts, Alert};
use super::links::Links;
use super::site::Writer;
use super::views;
use crate::error::Error;
use crate::prepared::Prepared;
use crate::render::known::Known;

/// How many alerts the digest lists (the dashboard has them all).
pub const TOP_ALERTS: usize = 5;

/// The funnel figures the digest shows, by key, and the revenue closed in the period.
const FUNNEL_KEYS: [&str; 9] = [
    "meetings_booked",
    "held",
    "show_rate",
    "accepted",
    "acceptance_rate",
    "opportunities",
    "won",
    "won_amount",
    "closed_won_amount",
];

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

/// Writes `digest.html`.
pub fn write(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let base = p.loaded.dataset.playbook.site.base_url.as_deref();
    let (cur, prev) = (&p.metrics.current.team, &p.metrics.previous.team);
    let min = p.metrics.min_sample;
    let figs: Vec<DigestFig> = views::funnel_figs(Known::of(p), cur, prev, min, &w.site.currency)
        .into_iter()
        .chain(views::closed_figs(
            Known::of(p),
            cur,
            prev,
            min,
            &w.site.currency,
        ))
        .filter(|f| FUNNEL_KEYS.contains(&f.key))
        .map(DigestFig::from)
        .collect();
    let (funnel_svg, _) = views::funnel_chart(Known::of(p), "digest-funnel", "team", cur)?;
    let (warm_cold_svg, warm_cold_rows) =
        views::warm_cold_chart(Known::of(p), "digest-warm-cold", cur, views::claim(p))?;
    let all = alerts(p, links);
    let more_alerts = all.len().saturating_sub(TOP_ALERTS);
    let top: Vec<Alert> = all
        .into_iter()
        .take(TOP_ALERTS)
        .map(|a| Alert {
            href: site_link(base, &a.href),
            ..a
        })
        .collect();
    let period = p.period.label();
    let nav = [
        ("Dashboard", "index.html".to_string()),
        ("Hand-offs", "handoffs.html".into()),
        ("SDR × AE matrix", "matrix.html".into()),
        ("Comp statements", "comp.html".into()),
        ("Review packet", format!("review/{period}.html")),
        ("History", "history.html".into()),
    ];
    let nav: Vec<SiteLink> = nav
        .iter()
        .map(|(text, path)| SiteLink {
            text: (*text).to_string(),
            href: site_link(base, path),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("any_small", &figs.iter().any(|f| f.small));
    ctx.insert("figs", &figs);
    ctx.insert("funnel_svg", &funnel_svg);
    ctx.insert("warm_cold_svg", &warm_cold_svg);
    ctx.insert("warm_cold_rows", &warm_cold_rows);
    ctx.insert(
        "lift",
        &views::lift_sentence(Known::of(p), cur, views::claim(p)),
    );
    ctx.insert("alerts", &top);
    ctx.insert("more_alerts", &more_alerts);
    ctx.insert("nav", &nav);
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
