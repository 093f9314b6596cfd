//! The filtered views of the period's hand-offs (docs/metrics.md, "Filtered views"): for each
//! figure an alert or a finding names, the hand-offs behind it and nothing else, listed on a
//! page of their own under `handoffs/` that needs no JavaScript. The alerts, the findings and
//! the pages all take their hand-offs from here, so a count and its page cannot disagree.

use crate::metrics::facts::{HandoffFacts, Outcome, Sla};
use crate::model::Decision;
use crate::prepared::Prepared;
use crate::render::known::Known;
use crate::render::rows::cohort_order;
use crate::render::slugs::Slugs;

/// Which hand-offs a view lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The SLA ran out before the AE's first contact, or ran out with none (`sla_breaches`).
    SlaMissed,
    /// The meeting was a no-show: meetings to rebook (`no_show`).
    NoShows,
    /// Held, the AE's decision rejected, for this reason as exported (`rejected`).
    Rejected(String),
    /// Held and awaiting the AE's decision (held − accepted − rejected).
    Pending,
    /// Fewer sections documented than the playbook requires (`doc_completeness` < 1).
    IncompleteDocs,
}

/// One filtered view: its page and the hand-offs it lists.
#[derive(Debug, Clone)]
pub struct Selection {
    pub kind: Kind,
    /// The page, from the site's root: `handoffs/sla-missed.html`.
    pub href: String,
    /// The page's heading, and what the rows have in common.
    pub title: String,
    pub what: String,
    /// The `dataset.handoffs` indexes of its hand-offs, in the hand-offs table's order.
    pub rows: Vec<usize>,
}

impl Kind {
    /// The figure the view stands behind: a view on a figure the exports cannot give is not
    /// made (its rows would be empty cells read as data).
    fn key(&self) -> &'static str {
        match self {
            Kind::SlaMissed => "sla_breaches",
            Kind::NoShows => "no_show",
            Kind::Rejected(_) => "rejected",
            Kind::Pending => "accepted",
            Kind::IncompleteDocs => "doc_completeness",
        }
    }

    fn keeps(&self, f: &HandoffFacts, reason: &str) -> bool {
        let held = f.outcome == Outcome::Held;
        match self {
            Kind::SlaMissed => matches!(f.sla, Sla::Late | Sla::NeverContacted),
            Kind::NoShows => f.outcome == Outcome::NoShow,
            Kind::Rejected(r) => held && f.decision == Decision::Rejected && reason == r,
            Kind::Pending => held && f.decision == Decision::Pending,
            Kind::IncompleteDocs => !f.complete,
        }
    }
}

/// The label a rejection reason is shown and slugged under; an empty reason reads "no reason
/// given" (unless a reason of that very text exists, when it keeps its empty label).
fn reason_label(reason: &str, taken: bool) -> &str {
    if reason.is_empty() && !taken {
        "no reason given"
    } else {
        reason
    }
}

/// Every filtered view the exports can give, with its rows (possibly none): the SLA misses,
/// the no-shows, one view per rejection reason of the period (by reason, as exported), the
/// pending decisions and the incomplete documentation.
pub fn selections(p: &Prepared) -> Vec<Selection> {
    let order = cohort_order(p);
    let ds = &p.loaded.dataset;
    let k = Known::of(p);
    let sla = ds.playbook.handoff.sla_hours;
    let mut kinds = vec![
        (
            Kind::SlaMissed,
            "handoffs/sla-missed.html".to_string(),
            "Hand-offs that missed the SLA".to_string(),
            format!("The AE's first contact came more than {sla} h after the hand-off, or has not come and {sla} h have passed."),
        ),
        (
            Kind::NoShows,
            "handoffs/no-shows.html".into(),
            "No-shows to rebook".into(),
            "The hand-off's meeting was a no-show (and none of its meetings was held).".into(),
        ),
    ];
    // One view per reason of the period's held, rejected hand-offs, sorted by reason.
    let rejected = Kind::Rejected(String::new());
    let mut reasons: Vec<&str> = order
        .iter()
        .filter(|&&i| {
            let f = &p.facts[i];
            f.outcome == Outcome::Held && f.decision == Decision::Rejected
        })
        .map(|&i| &*ds.handoffs[i].rejection_reason)
        .collect();
    reasons.sort_unstable();
    reasons.dedup();
    let taken = reasons.contains(&"no reason given");
    let slugs = Slugs::new(reasons.iter().map(|r| reason_label(r, taken)).collect());
    if k.has(rejected.key()) {
        for r in &reasons {
            let label = reason_label(r, taken);
            let slug = slugs.get(label).unwrap_or_default();
            kinds.push((
                Kind::Rejected(r.to_string()),
                format!("handoffs/rejected-{slug}.html"),
                format!("Rejected: {label}"),
                format!("Held hand-offs the AE rejected for the reason \u{201c}{label}\u{201d}."),
            ));
        }
    }
    kinds.push((
        Kind::Pending,
        "handoffs/pending.html".into(),
        "Awaiting a decision".into(),
        "Held hand-offs the AE has not yet accepted or rejected.".into(),
    ));
    kinds.push((
        Kind::IncompleteDocs,
        "handoffs/incomplete-docs.html".into(),
        "Incomplete documentation".into(),
        format!(
            "Hand-offs with fewer than the {} documented sections the playbook requires.",
            ds.playbook.handoff.sections.len()
        ),
    ));
    kinds
        .into_iter()
        .filter(|(kind, ..)| k.has(kind.key()))
        .map(|(kind, href, title, what)| {
            let rows = order
                .iter()
                .copied()
                .filter(|&i| kind.keeps(&p.facts[i], &ds.handoffs[i].rejection_reason))
                .collect();
            Selection {
                kind,
                href,
                title,
                what,
                rows,
            }
        })
        .collect()
}

/// The view of `kind` among `all`, when the exports give it.
pub fn find<'a>(all: &'a [Selection], kind: &Kind) -> Option<&'a Selection> {
    all.iter().find(|s| &s.kind == kind)
}
