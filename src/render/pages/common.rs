//! What the report pages share: a ranked people-list line, figures marked when the exports
//! cannot give them, the previous period's figures, the currency symbol, a pair's summary and
//! the feedback an SDR's hand-offs got.

use serde::Serialize;

use crate::format;
use crate::metrics::cadence::CadenceMetrics;
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

/// One SDR–AE pair as the pod page, the pod's part of the review packet and the rep page list
/// it (`pairs` in `pod.html`, `review.html` and `rep.html`, `pair` in `pair.html`). Every
/// figure arrives as text: "not exported" when the exports cannot give it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PairSummary {
    /// The SDR's and the AE's names.
    pub sdr: String,
    pub ae: String,
    /// The pair's page, relative to the site root (absent for a pair without one).
    pub link: Option<String>,
    /// Meetings booked by the pair's hand-offs of the period.
    pub booked: String,
    /// Show rate with its counts, `69% (49/71)`.
    pub show_rate: String,
    /// Acceptance rate with its counts.
    pub acceptance: String,
    /// Hand-offs won (cohort rule).
    pub won: String,
    /// 1:1s held of those expected by the cadence, `2 of 4 expected`; in a pool pod, where
    /// the cadence expects 1:1s of the SDR with any of the pod's AEs, the pair's count and the
    /// SDR's `2 held; Ana Lima with the pod's AEs: 11 of 12 expected`; absent without a cadence.
    pub one_on_ones: Option<String>,
    /// 1:1 adherence with its counts; absent without a cadence and for a pair of a pool pod.
    pub adherence: Option<String>,
    /// The show rate is a small sample (below `min_sample`): the row is greyed.
    pub small: bool,
    /// Each rate on a small sample, marked * like every other rate of the site.
    pub show_rate_small: bool,
    pub acceptance_small: bool,
}

/// The SDR's cadence when the pair is in a pool pod (pods team.yaml does not list are pools),
/// where 1:1s are expected of the SDR with any of the pod's AEs; `None` for a dedicated pair.
fn pool_sdr_cadence<'a>(p: &'a Prepared, x: &PairMetrics) -> Option<&'a CadenceMetrics> {
    let pool = p
        .loaded
        .dataset
        .playbook
        .team
        .pods
        .iter()
        .find(|pod| pod.name == x.pod)
        .is_none_or(|pod| pod.pairing == crate::playbook::Pairing::Pool);
    if !pool {
        return None;
    }
    p.metrics.current.sdrs.get(&x.sdr)?.cadence.as_ref()
}

pub(crate) fn pair_summary(p: &Prepared, links: &Links, x: &PairMetrics) -> PairSummary {
    let (c, k) = (&x.metrics.cohort, Known::of(p));
    let cad = x.metrics.cadence.as_ref();
    PairSummary {
        sdr: rep_name(p, &x.sdr),
        ae: rep_name(p, &x.ae),
        link: links.pair(&x.sdr, &x.ae),
        booked: k.count("meetings_booked", c.meetings_booked),
        show_rate: k.rate("show_rate", &c.show_rate),
        acceptance: k.rate("acceptance_rate", &c.acceptance_rate),
        won: k.count("won", c.won),
        one_on_ones: cad.map(|c| match pool_sdr_cadence(p, x) {
            // A pool pod expects 1:1s of each SDR with any of its AEs, never of one pair: the
            // pair's own count, then the SDR's, the very figures pods.html sums.
            Some(sdr) => format!(
                "{} held; {} with the pod's AEs: {} of {} expected",
                c.one_on_ones_held,
                rep_name(p, &x.sdr),
                sdr.one_on_ones_held,
                sdr.one_on_ones_expected
            ),
            None => format!(
                "{} of {} expected",
                c.one_on_ones_held, c.one_on_ones_expected
            ),
        }),
        adherence: cad.filter(|_| pool_sdr_cadence(p, x).is_none()).map(|c| {
            let a = &c.one_on_one_adherence;
            format::rate(a.value, a.num, a.den)
        }),
        small: k.has("show_rate") && c.show_rate.is_small(p.metrics.min_sample),
        show_rate_small: k.has("show_rate") && c.show_rate.is_small(p.metrics.min_sample),
        acceptance_small: k.has("acceptance_rate")
            && c.acceptance_rate.is_small(p.metrics.min_sample),
    }
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
