//! What the report pages share: a ranked people-list line, figures marked when the exports
//! cannot give them, the previous period's figures, the currency symbol, a pair's summary and
//! the feedback an SDR's hand-offs got.

use serde::Serialize;

use crate::format;
use crate::metrics::{EntityMetrics, PairMetrics};
use crate::prepared::Prepared;
use crate::render::known::Known;
use crate::render::links::{rep_name, Links};
use crate::render::rows::{Brief, Listed};
use crate::render::site::Writer;
use crate::render::views::Fig;

/// One line of a people list (SDRs, AEs, pods), ranked unless its sample is small.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListRow {
    pub(crate) rank: Option<usize>,
    pub(crate) name: String,
    pub(crate) link: String,
    pub(crate) pod: String,
    pub(crate) figs: Vec<Fig>,
    pub(crate) small: bool,
}

pub(crate) fn empty_metrics(p: &Prepared) -> &EntityMetrics {
    &p.metrics.current.team
}

pub(crate) fn prev_of<'a>(p: &'a Prepared, m: Option<&'a EntityMetrics>) -> &'a EntityMetrics {
    m.unwrap_or_else(|| empty_metrics(p))
}

pub(crate) fn symbol(w: &Writer) -> String {
    w.site.currency.clone()
}

pub(crate) fn pair_summary(p: &Prepared, links: &Links, x: &PairMetrics) -> serde_json::Value {
    let (c, k) = (&x.metrics.cohort, Known::of(p));
    let cad = x.metrics.cadence.as_ref();
    serde_json::json!({
        "sdr": rep_name(p, &x.sdr), "ae": rep_name(p, &x.ae),
        "link": links.pair(&x.sdr, &x.ae),
        "booked": k.count("meetings_booked", c.meetings_booked),
        "show_rate": k.rate("show_rate", &c.show_rate),
        "acceptance": k.rate("acceptance_rate", &c.acceptance_rate),
        "won": k.count("won", c.won),
        "one_on_ones": cad.map(|c| format!("{} of {} expected", c.one_on_ones_held, c.one_on_ones_expected)),
        "adherence": cad.map(|c| format::rate(c.one_on_one_adherence.value, c.one_on_one_adherence.num, c.one_on_one_adherence.den)),
        "small": k.has("show_rate") && c.show_rate.is_small(p.metrics.min_sample),
    })
}

#[derive(Serialize)]
pub(crate) struct Feedback<'a> {
    pub(crate) rejections: Vec<&'a Brief>,
    pub(crate) no_shows: Vec<&'a Brief>,
    pub(crate) missing_docs: Vec<&'a Brief>,
    pub(crate) awaiting: Vec<&'a Brief>,
}

pub(crate) fn feedback<'a>(rows: &[Listed<'a>]) -> Feedback<'a> {
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
