//! Where each thing of the site is: the page of every rep, pod and pair and the anchor of
//! every lead (made from ids by [`Slugs`]), which list a rep is on, and a rep's name and link
//! as pages show them.

use std::collections::{BTreeMap, HashMap};

use crate::metrics::{EntityMetrics, PeriodMetrics};
use crate::model::Role;
use crate::prepared::Prepared;
use crate::render::slugs::Slugs;

/// Page file names for every rep, pod and pair, and anchors for every lead, made from ids by
/// [`Slugs`]: unique and valid for any set of ids, so no id can name a path outside its
/// folder, a name Windows reserves or two pages at once, and no anchor is on two rows.
#[derive(Debug, Default)]
pub struct Links<'a> {
    pub rep: HashMap<String, String>,
    pub pod: HashMap<String, String>,
    pub pair: HashMap<(String, String), String>,
    /// The page of each segment dimension, in segments.yaml's order:
    /// `segments/<slug of its name>.html`.
    pub segment: Vec<String>,
    /// The page of each comp statement, in the order of `p.comp.statements`:
    /// `statement/<rep slug>--<payout period>.html`, with `--2`, `--3`... for a rep's second and
    /// third statement of one payout period (when plans changed in it). Slugs never hold `--`
    /// and periods are `YYYY-MM` or `YYYY-Qn`, so no two statements share a page.
    pub statement: Vec<String>,
    /// The page of each comp plan, in comp.yaml's order: `plans/<plan slug>.html`.
    pub plan: Vec<String>,
    /// The anchors of the hand-offs' leads (`h-` and the slug): there are as many leads as
    /// hand-offs (300,000 at scale) and pages link a tenth of them, so each is made when asked.
    lead: Slugs<'a>,
    /// The page of the hand-offs table each of the period's leads is on: the table is cut
    /// into pages of `site.handoffs_per_page` rows in cohort order.
    lead_page: foldhash::HashMap<&'a str, usize>,
}

/// The file of page `n` (from 1) of the hand-offs table: `handoffs.html`, then
/// `handoffs/2.html`, `handoffs/3.html`...
pub fn handoffs_page(n: usize) -> String {
    if n <= 1 {
        "handoffs.html".into()
    } else {
        format!("handoffs/{n}.html")
    }
}

/// The page of each segment dimension of `pb`, in segments.yaml's order:
/// `segments/<slug of its name>.html`.
pub fn segment_pages(pb: &crate::playbook::Playbook) -> Vec<String> {
    let dims = &pb.segments.dimensions;
    let names = Slugs::new(dims.iter().map(|d| d.name.as_str()).collect());
    dims.iter()
        .map(|d| {
            let slug = names.get(&d.name).unwrap_or_else(|| "unknown".into());
            format!("segments/{slug}.html")
        })
        .collect()
}

impl<'a> Links<'a> {
    /// The links of `p`'s site; `cohort` is the hand-offs table's order
    /// ([`super::rows::cohort_order`]), which decides the page each lead is on.
    pub fn new(p: &'a Prepared, cohort: &[usize]) -> Links<'a> {
        let ds = &p.loaded.dataset;
        let pairs: Vec<(&str, &str)> = p
            .metrics
            .current
            .pairs
            .iter()
            .chain(&p.metrics.previous.pairs)
            .map(|x| (x.sdr.as_str(), x.ae.as_str()))
            .collect();
        // A pair's page is named by its two reps' slugs, so a rep of a pair who is not in
        // reps.csv gets a slug among the others too.
        let rep_ids = ds.reps.iter().map(|r| r.id.as_str());
        let rep = Slugs::new(
            rep_ids
                .chain(pairs.iter().flat_map(|&(s, a)| [s, a]))
                .collect(),
        );
        // Slugs never hold `--`, so `sdr--ae` is unique for every pair of unique slugs.
        let pair = pairs
            .iter()
            .filter_map(|&(s, a)| {
                let slug = format!("{}--{}", rep.get(s)?, rep.get(a)?);
                Some(((s.to_string(), a.to_string()), slug))
            })
            .collect();
        let pods = Slugs::new(ds.reps.iter().map(|r| r.pod.as_str()).collect());
        let leads = ds.handoffs.iter().map(|h| h.lead_id.as_str()).collect();
        let mut seen: HashMap<(&str, String), usize> = HashMap::new();
        let statement = p
            .comp
            .statements
            .iter()
            .map(|s| {
                let slug = rep.get(&s.rep_id).unwrap_or_else(|| "unknown".into());
                let period = s.payout_period.label();
                let n = seen.entry((s.rep_id.as_str(), period.clone())).or_default();
                *n += 1;
                match *n {
                    1 => format!("statement/{slug}--{period}.html"),
                    n => format!("statement/{slug}--{period}--{n}.html"),
                }
            })
            .collect();
        let plan_names: Vec<&str> = ds
            .playbook
            .comp
            .plans
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let plan_slugs = Slugs::new(plan_names.clone());
        let plan = plan_names
            .iter()
            .map(|n| {
                let slug = plan_slugs.get(n).unwrap_or_else(|| "plan".into());
                format!("plans/{slug}.html")
            })
            .collect();
        let segment = segment_pages(&ds.playbook);
        Links {
            statement,
            plan,
            segment,
            rep: ds
                .reps
                .iter()
                .filter_map(|r| Some((r.id.clone(), rep.get(&r.id)?)))
                .collect(),
            pod: pods.to_map(),
            pair,
            lead: Slugs::new(leads),
            lead_page: cohort
                .iter()
                .enumerate()
                .map(|(pos, &i)| {
                    let page = pos / ds.playbook.site.handoffs_per_page + 1;
                    (ds.handoffs[i].lead_id.as_str(), page)
                })
                .collect(),
        }
    }

    pub fn sdr(&self, id: &str) -> String {
        format!(
            "sdr/{}.html",
            self.rep.get(id).map_or("unknown", String::as_str)
        )
    }

    pub fn ae(&self, id: &str) -> String {
        format!(
            "ae/{}.html",
            self.rep.get(id).map_or("unknown", String::as_str)
        )
    }

    /// The page of rep `id` by role: AEs under `ae/`, the reps who prospect (SDRs, BDRs) under
    /// `sdr/`. Whether the rep has a page is the lists' rule (`pages::rep_link`).
    pub fn rep_page(&self, id: &str, role: crate::model::Role) -> String {
        if role == crate::model::Role::Ae {
            self.ae(id)
        } else {
            self.sdr(id)
        }
    }

    pub fn pod(&self, name: &str) -> String {
        format!(
            "pod/{}.html",
            self.pod.get(name).map_or("unknown", String::as_str)
        )
    }

    /// The page of segment dimension `d` (its index in segments.yaml).
    pub fn segment(&self, d: usize) -> String {
        self.segment
            .get(d)
            .cloned()
            .unwrap_or_else(|| "segments/unknown.html".into())
    }

    pub fn pair(&self, sdr: &str, ae: &str) -> Option<String> {
        self.pair
            .get(&(sdr.to_string(), ae.to_string()))
            .map(|s| format!("pair/{s}.html"))
    }

    /// The anchor of a lead's row on the hand-offs pages, on the page it is listed on; `None`
    /// for a lead with no row there (handed off outside the period, such as an older lead
    /// whose deal closed in it).
    pub fn lead(&self, lead: &str) -> Option<String> {
        let page = *self.lead_page.get(lead)?;
        let slug = self.lead.get(lead)?;
        Some(format!("{}#h-{slug}", handoffs_page(page)))
    }
}

pub fn rep_name(p: &Prepared, id: &str) -> String {
    p.loaded
        .dataset
        .rep(id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
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
pub(crate) enum List {
    Aes,
    Sdrs,
}

impl List {
    /// The list a rep of `role` is on.
    pub(crate) fn of(role: Role) -> Option<List> {
        if role == Role::Ae {
            Some(List::Aes)
        } else if role.prospects() {
            Some(List::Sdrs)
        } else {
            None
        }
    }

    /// The list's reps with figures for `period`; in the current period, those with a page.
    pub(crate) fn figures(self, period: &PeriodMetrics) -> &BTreeMap<String, EntityMetrics> {
        match self {
            List::Aes => &period.aes,
            List::Sdrs => &period.sdrs,
        }
    }
}
