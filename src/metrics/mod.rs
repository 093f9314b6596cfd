//! Metrics stage: every figure of docs/metrics.md, computed from the [`Dataset`] alone.
//!
//! Pure functions, no I/O. Each hand-off's facts at `as_of` are computed once ([`facts`]); the
//! accumulators ([`cohort::CohortAcc`], [`closed::ClosedAcc`]) then sum them for the team, each
//! pod, SDR, AE and SDR-AE pair in one pass per period.

pub mod activity;
pub mod availability;
pub mod cadence;
pub mod closed;
pub mod cohort;
pub mod facts;
pub mod leads;
pub mod segments;
pub mod stats;

#[cfg(test)]
mod compute_tests;

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Dataset, DayCounts, OpportunityStatus, Rep, Role};
pub use crate::period::end_of_day;
use crate::period::{local_date, Coverage, DataSpan, Period};
use crate::playbook::Pairing;
use activity::ActivityMetrics;
use cadence::{CadenceMetrics, CadenceUnit};
use closed::{ClosedAcc, ClosedMetrics, ForecastAccuracy};
use cohort::{CohortAcc, CohortMetrics};
use facts::HandoffFacts;
use leads::{LeadAcc, LeadMetrics};
use segments::{Dims, SegmentKey, SegmentMetrics, SegmentValue};

/// Version of the metric definitions; bumped whenever one changes meaning.
pub const DEFINITIONS_VERSION: u32 = 1;

/// The latest moment something happened in the data (docs/metrics.md, "as_of"), or `None` for
/// a dataset with no dated event. Date-only events count through the end of their local day.
/// A canceled meeting does not count: its slot did not happen, and the exports do not say
/// when it was canceled (issue 19, item 6).
pub fn data_as_of(ds: &Dataset, tz: Tz) -> Option<DateTime<Utc>> {
    let mut latest: Option<DateTime<Utc>> = None;
    let mut see = |t: DateTime<Utc>| latest = Some(latest.map_or(t, |l| l.max(t)));
    for h in &ds.handoffs {
        see(h.handoff_at);
        h.lead_created_at.into_iter().for_each(&mut see);
        h.first_touch_at.into_iter().for_each(&mut see);
        h.ae_first_contact_at.into_iter().for_each(&mut see);
        h.ae_decision_at.into_iter().for_each(&mut see);
    }
    for m in ds.meetings.iter().filter(|m| m.status.took_place()) {
        see(m.scheduled_for);
    }
    for o in &ds.opportunities {
        see(o.created_at);
        if o.status != OpportunityStatus::Open {
            o.close_date
                .map(|d| end_of_day(d, tz))
                .into_iter()
                .for_each(&mut see);
        }
    }
    if let Some(day) = ds.activity.keys().map(|(_, d)| *d).max() {
        see(end_of_day(day, tz));
    }
    for o in &ds.one_on_ones {
        see(end_of_day(o.date, tz));
    }
    latest
}

/// The first local day on which something a period's figures count happened: a hand-off, an
/// AE's first contact or decision, a meeting held, an opportunity created or closed, an
/// activity or a 1:1 (docs/metrics.md, "Coverage"). A lead's creation and first touch are its
/// history before the hand-off and do not count. `None` for a dataset with none of these.
pub fn data_first_day(ds: &Dataset, tz: Tz) -> Option<NaiveDate> {
    let mut first: Option<NaiveDate> = None;
    let mut see = |d: NaiveDate| first = Some(first.map_or(d, |f| f.min(d)));
    for h in &ds.handoffs {
        see(local_date(h.handoff_at, tz));
        for t in [h.ae_first_contact_at, h.ae_decision_at]
            .into_iter()
            .flatten()
        {
            see(local_date(t, tz));
        }
    }
    for m in ds.meetings.iter().filter(|m| m.status.took_place()) {
        see(local_date(m.scheduled_for, tz));
    }
    for o in &ds.opportunities {
        see(local_date(o.created_at, tz));
        if o.status != OpportunityStatus::Open {
            o.close_date.into_iter().for_each(&mut see);
        }
    }
    if let Some(day) = ds.activity.keys().map(|(_, d)| *d).min() {
        see(day);
    }
    for o in &ds.one_on_ones {
        see(o.date);
    }
    first
}

/// The days the data covers at `as_of`: from [`data_first_day`] to as_of's local day. `None`
/// when nothing dated happened on or before as_of.
pub fn data_span(ds: &Dataset, as_of: DateTime<Utc>, tz: Tz) -> Option<DataSpan> {
    let to = local_date(as_of, tz);
    let from = data_first_day(ds, tz)?;
    (from <= to).then_some(DataSpan { from, to })
}

/// The part of `period` the data covers; none of it without data.
fn coverage_of(period: Period, data: Option<DataSpan>) -> Coverage {
    data.map_or(
        Coverage {
            from: None,
            to: None,
            partial: true,
        },
        |d| period.coverage(d),
    )
}

/// The moment the previous period's cohort is as old as the current one at as_of:
/// `previous_end + (as_of - current_end)`, each end the first instant after its period
/// (docs/metrics.md, "Cohort age").
pub fn age_matched_at(period: Period, as_of: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let current_end = crate::period::start_of_day(period.end, tz);
    let previous_end = crate::period::start_of_day(period.previous().end, tz);
    previous_end + (as_of - current_end)
}

/// All figures of one entity (team, pod, SDR, AE or pair) for one period.
#[derive(Debug, Clone, Serialize)]
pub struct EntityMetrics {
    #[serde(flatten)]
    pub cohort: CohortMetrics,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityMetrics>,
    /// The SDR's own funnel (leads.csv): the team's, pods' and SDRs' only.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub leads: Option<LeadMetrics>,
    #[serde(flatten)]
    pub closed: ClosedMetrics,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<CadenceMetrics>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast_accuracy: Option<ForecastAccuracy>,
    /// Keys of the rates whose denominator is under the minimum sample.
    pub small_sample: Vec<&'static str>,
}

/// One SDR-AE pair's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PairMetrics {
    pub sdr: String,
    pub ae: String,
    pub pod: String,
    #[serde(flatten)]
    pub metrics: EntityMetrics,
}

/// Every entity's figures for one period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodMetrics {
    pub period: String,
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// The days of the period the data covers; `partial` (shown as "to date" or "data from")
    /// when that is not all of them.
    #[serde(flatten)]
    pub coverage: Coverage,
    pub team: EntityMetrics,
    pub pods: BTreeMap<String, EntityMetrics>,
    pub sdrs: BTreeMap<String, EntityMetrics>,
    pub aes: BTreeMap<String, EntityMetrics>,
    pub pairs: Vec<PairMetrics>,
    /// The playbook's segment dimensions (segments.yaml), in its order; absent without any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentMetrics>,
}

/// `output/metrics.json`: the chosen period, the one before it and a monthly team trend.
/// Serialized by [`availability`], which writes unavailable figures as null.
#[derive(Debug, Clone)]
pub struct MetricsReport {
    pub definitions_version: u32,
    pub period: String,
    pub previous_period: String,
    pub as_of: DateTime<Utc>,
    pub timezone: String,
    pub min_sample: u64,
    /// The days the data covers (None: nothing dated on or before as_of).
    pub data: Option<DataSpan>,
    /// The changes from the previous period compare like with like: both periods are wholly
    /// covered by the data, or both cover the same days counted from their first day.
    pub comparable: bool,
    pub current: PeriodMetrics,
    pub previous: PeriodMetrics,
    /// The previous period's cohort is taken as known at this moment: its end plus the
    /// current cohort's age at as_of (`previous_end + (as_of - current_end)`).
    pub age_matched_at: DateTime<Utc>,
    /// The previous period with its cohort figures as known at `age_matched_at`, the ones
    /// pages compare with; its event-rule figures are the plain previous period's.
    pub previous_at_age: PeriodMetrics,
    /// Cohort figures whose age-matched value lacks a timestamp, with the reason.
    pub not_age_matched: BTreeMap<String, String>,
    /// The team's figures for the six months ending with the period's last month.
    pub trend: Vec<PeriodTeam>,
    /// Figures the exports cannot give, with the reason; written as null in every entity.
    pub unavailable: BTreeMap<String, String>,
    /// Which hand-offs the acceptance figures count.
    pub acceptance_over: AcceptanceOver,
}

/// Which hand-offs the acceptance figures count (metrics.json `acceptance_over`): the held
/// ones, or, without a meetings export, every decided one (docs/metrics.md, "Acceptance
/// without a meetings export").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceOver {
    Held,
    Decided,
}

impl AcceptanceOver {
    pub fn of(ds: &Dataset) -> Self {
        if ds.has(crate::model::Table::Meetings) {
            AcceptanceOver::Held
        } else {
            AcceptanceOver::Decided
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodTeam {
    pub period: String,
    /// The days of the month the data covers (see [`PeriodMetrics::coverage`]): a month
    /// before the data starts has none, and its zeros are not data.
    #[serde(flatten)]
    pub coverage: Coverage,
    pub team: EntityMetrics,
}

/// Computes the whole report. `facts` must come from [`facts::handoff_facts`] at `as_of`.
pub fn compute(ds: &Dataset, period: Period, as_of: DateTime<Utc>) -> MetricsReport {
    let tz: Tz = ds.playbook.site.timezone.parse().unwrap_or(Tz::UTC);
    let facts = facts::handoff_facts(ds, as_of, tz);
    compute_with(ds, period, as_of, &facts)
}

/// [`compute`] with the hand-off facts at `as_of` already known (the build needs them too).
pub fn compute_with(
    ds: &Dataset,
    period: Period,
    as_of: DateTime<Utc>,
    facts: &[HandoffFacts],
) -> MetricsReport {
    let tz: Tz = ds.playbook.site.timezone.parse().unwrap_or(Tz::UTC);
    let data = data_span(ds, as_of, tz);
    let age_matched_at = age_matched_at(period, as_of, tz);
    let before = period.previous();
    let ctx = Ctx::new(ds, facts, as_of, as_of, tz, data);
    // The six months of the trend, oldest first; a monthly report's own month and the one
    // before are computed as its periods.
    let last_month = *period.months().last().unwrap_or(&period);
    let mut months: Vec<Period> = std::iter::successors(Some(last_month), |m| Some(m.previous()))
        .take(6)
        .collect();
    months.reverse();
    let others: Vec<Period> = months
        .iter()
        .copied()
        .filter(|m| *m != period && *m != before)
        .collect();
    // The facts cut at the previous cohort's age, of that cohort only (all its period reads).
    let at_age = || {
        crate::timings::time("metrics facts at age", || {
            facts::handoff_facts_of(ds, age_matched_at, tz, |i| {
                before.contains(local_date(ds.handoffs[i].handoff_at, tz))
            })
        })
    };
    let trend_teams = || {
        crate::timings::time("metrics trend (other months)", || {
            others.iter().map(|m| ctx.team(*m)).collect::<Vec<_>>()
        })
    };
    let periods = || {
        let current = crate::timings::time("metrics current", || ctx.period(period));
        let previous = crate::timings::time("metrics previous", || ctx.period(before));
        (current, previous)
    };
    // The periods on this thread, the trend's other months and the facts at age beside them
    // (each reads the same lookups); the age-matched period after both, as it swaps the
    // lookups' facts.
    let ((current, previous), (aged, teams)) = if crate::threads() < 2 {
        (periods(), (at_age(), trend_teams()))
    } else {
        std::thread::scope(|s| {
            let other = s.spawn(|| (at_age(), trend_teams()));
            let mine = periods();
            let other = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (mine, other)
        })
    };
    let mut ctx = ctx;
    let previous_at_age = crate::timings::time("metrics previous at age", || {
        // The same lookups with the facts, the leads and the segment deals taken at the
        // cohort's age (not a second copy of them: 70 MB at 4x); the cohort itself and every
        // event-rule figure are taken at as_of, as for the plain previous period.
        let dims = std::mem::replace(&mut ctx.dims, Dims::new(ds, age_matched_at));
        ctx.facts = Facts::Of(&aged);
        ctx.leads_at = age_matched_at;
        let at_age = ctx.period(before);
        ctx.dims = dims;
        ctx.facts = Facts::All(facts);
        ctx.leads_at = as_of;
        at_age
    });
    let mut teams = teams.into_iter();
    let trend = months
        .iter()
        .map(|m| PeriodTeam {
            period: m.label(),
            coverage: coverage_of(*m, data),
            team: if *m == period {
                current.team.clone()
            } else if *m == before {
                previous.team.clone()
            } else {
                teams.next().unwrap_or_else(|| ctx.team(*m))
            },
        })
        .collect();
    MetricsReport {
        definitions_version: DEFINITIONS_VERSION,
        period: period.label(),
        previous_period: period.previous().label(),
        as_of,
        timezone: tz.name().to_string(),
        min_sample: ds.playbook.site.min_sample,
        data,
        comparable: data.is_some_and(|d| period.comparable(&period.previous(), d)),
        current,
        previous,
        age_matched_at,
        previous_at_age,
        not_age_matched: availability::not_age_matched(ds),
        trend,
        unavailable: availability::unavailable(ds),
        acceptance_over: AcceptanceOver::of(ds),
    }
}

/// Hand-off facts by index in `ds.handoffs`: of every hand-off, or of some (sorted by index).
enum Facts<'a> {
    All(&'a [HandoffFacts]),
    Of(&'a [(usize, HandoffFacts)]),
}

impl<'a> Facts<'a> {
    fn get(&self, i: usize) -> Option<&'a HandoffFacts> {
        match *self {
            Facts::All(all) => all.get(i),
            Facts::Of(some) => {
                (some.binary_search_by_key(&i, |(j, _)| *j).ok()).map(|k| &some[k].1)
            }
        }
    }
}

/// Lookups shared by every period's computation.
struct Ctx<'a> {
    ds: &'a Dataset,
    facts: Facts<'a>,
    as_of: DateTime<Utc>,
    /// The moment what became of each lead is taken at: as_of, or the previous cohort's age.
    leads_at: DateTime<Utc>,
    tz: Tz,
    data: Option<DataSpan>,
    reps: HashMap<&'a str, &'a Rep>,
    /// Lead id → index of its hand-off.
    leads: crate::model::by_lead::HandoffsByLead<'a>,
    /// 1:1s by SDR id, so a cadence unit looks at its SDR's 1:1s, not at all of them.
    one_on_ones_of: HashMap<&'a str, Vec<&'a crate::model::OneOnOne>>,
    /// Each hand-off's cohort date, in the order of `ds.handoffs`: converted to local time
    /// once, not once per period.
    days: Vec<NaiveDate>,
    /// Each lead's cohort date, in the order of `ds.leads`, likewise: every period and trend
    /// month looked at every lead's `created_at` in local time (15 times a million leads at
    /// 1x; issue 24).
    lead_days: Vec<NaiveDate>,
    /// How the playbook's segment dimensions find each hand-off's and lead's value.
    dims: Dims<'a>,
}

#[derive(Default)]
struct Acc {
    cohort: CohortAcc,
    leads: LeadAcc,
    activity: DayCounts,
    closed: ClosedAcc,
    /// 1:1 rows of the period (up to as_of) this entity took part in.
    one_on_ones: u64,
}

/// One period's running sums per entity.
#[derive(Default)]
struct Sums<'a> {
    team: Acc,
    pods: BTreeMap<&'a str, Acc>,
    sdrs: BTreeMap<&'a str, Acc>,
    aes: BTreeMap<&'a str, Acc>,
    pairs: BTreeMap<(&'a str, &'a str), Acc>,
    /// Per segment dimension (segments.yaml order), per value; a dimension whose export is
    /// missing has none.
    segments: Vec<BTreeMap<SegmentKey<'a>, Acc>>,
}

impl<'a> Ctx<'a> {
    fn new(
        ds: &'a Dataset,
        facts: &'a [HandoffFacts],
        as_of: DateTime<Utc>,
        leads_at: DateTime<Utc>,
        tz: Tz,
        data: Option<DataSpan>,
    ) -> Self {
        Ctx {
            ds,
            facts: Facts::All(facts),
            as_of,
            leads_at,
            tz,
            data,
            reps: ds.reps.iter().map(|r| (r.id.as_str(), r)).collect(),
            leads: crate::model::by_lead::HandoffsByLead::new(&ds.handoffs),
            one_on_ones_of: ds.one_on_ones.iter().fold(HashMap::new(), |mut m, o| {
                m.entry(&*o.sdr_id).or_insert_with(Vec::new).push(o);
                m
            }),
            days: facts::handoff_days(ds, tz),
            lead_days: ds
                .leads
                .iter()
                .map(|l| local_date(l.created_at, tz))
                .collect(),
            dims: Dims::new(ds, leads_at),
        }
    }

    /// The 1:1s of SDR `sdr` in `period` up to as_of's local day.
    fn one_on_ones_in(
        &self,
        period: Period,
        sdr: &str,
    ) -> impl Iterator<Item = &'a crate::model::OneOnOne> + '_ {
        let as_of_day = local_date(self.as_of, self.tz);
        self.one_on_ones_of
            .get(sdr)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |o| period.contains(o.date) && o.date <= as_of_day)
    }

    fn pod_of(&self, rep: &str) -> &'a str {
        self.reps.get(rep).map_or("", |r| r.pod.as_str())
    }

    /// The period's running sums: the team's and, with `entities`, each pod's, SDR's, AE's and
    /// pair's (the trend needs only the team).
    fn sums(&self, period: Period, entities: bool) -> Sums<'a> {
        let ds = self.ds;
        let as_of_day = local_date(self.as_of, self.tz);
        let sections = ds.playbook.handoff.sections.len() as u64;
        let mut s = Sums::default();
        if entities {
            for r in &ds.reps {
                match r.role {
                    Role::Sdr | Role::Bdr => {
                        s.sdrs.entry(&r.id).or_default();
                        s.pods.entry(&r.pod).or_default();
                    }
                    Role::Ae => {
                        s.aes.entry(&r.id).or_default();
                        s.pods.entry(&r.pod).or_default();
                    }
                    Role::Manager => {}
                }
            }
            for p in &ds.playbook.team.pairings {
                s.pairs.entry((&p.sdr, &p.ae)).or_default();
            }
            s.segments = (0..self.dims.len()).map(|_| BTreeMap::new()).collect();
        }

        // Cohort rule: hand-offs by the local date of handoff_at.
        let cohort = (self.days.iter().enumerate())
            .filter(|(_, day)| period.contains(**day))
            .filter_map(|(i, _)| Some((&ds.handoffs[i], self.facts.get(i)?)))
            .filter(|(h, _)| h.handoff_at <= self.as_of);
        for (h, f) in cohort {
            s.team.cohort.add(f, sections);
            if !entities {
                continue;
            }
            let pod = self.pod_of(&h.sdr_id);
            s.pods.entry(pod).or_default().cohort.add(f, sections);
            s.sdrs.entry(&h.sdr_id).or_default().cohort.add(f, sections);
            s.aes.entry(&h.ae_id).or_default().cohort.add(f, sections);
            s.pairs
                .entry((&h.sdr_id, &h.ae_id))
                .or_default()
                .cohort
                .add(f, sections);
            for (d, values) in s.segments.iter_mut().enumerate() {
                if self.dims.active(d) {
                    let key = self.dims.of_handoff(d, h);
                    values.entry(key).or_default().cohort.add(f, sections);
                }
            }
        }

        // Cohort rule: leads by the local date of created_at, as known at `leads_at`; by the
        // owner's SDR id and pod.
        let aging = ds.playbook.handoff.lead_aging_days;
        for (k, (l, day)) in ds.leads.iter().zip(&self.lead_days).enumerate() {
            if !period.contains(*day) || l.created_at > self.as_of {
                continue;
            }
            let h = self.leads.get(&l.lead_id).map(|i| &ds.handoffs[i]);
            let reason = ds.leads.disqualified_reason(l);
            let f = leads::lead_fact(l, reason, h, self.leads_at, aging, self.tz);
            s.team.leads.add(&f);
            if entities {
                let sdr = ds.leads.sdr_id(l);
                s.pods.entry(self.pod_of(sdr)).or_default().leads.add(&f);
                s.sdrs.entry(sdr).or_default().leads.add(&f);
                for (d, values) in s.segments.iter_mut().enumerate() {
                    if let Some(key) = self.dims.of_lead(d, k).filter(|_| self.dims.active(d)) {
                        values.entry(key).or_default().leads.add(&f);
                    }
                }
            }
        }

        // Event rule: activities by local date. Pod and team totals count SDR and BDR activity.
        for ((rep, day), counts) in &ds.activity {
            if !period.contains(*day) || *day > as_of_day {
                continue;
            }
            let Some(r) = self.reps.get(rep.as_str()) else {
                continue;
            };
            if r.role.prospects() {
                s.team.activity.merge(counts);
                if entities {
                    s.pods.entry(&r.pod).or_default().activity.merge(counts);
                    s.sdrs.entry(&r.id).or_default().activity.merge(counts);
                }
            } else if entities && r.role == Role::Ae {
                s.aes.entry(&r.id).or_default().activity.merge(counts);
            }
        }

        // Event rule: opportunities closed by close_date.
        let loss_list = &ds.playbook.handoff.handoff_related_loss_reasons;
        for o in &ds.opportunities {
            let Some(day) = o.close_date else { continue };
            if !period.contains(day) || day > as_of_day || o.status == OpportunityStatus::Open {
                continue;
            }
            let related = closed::is_handoff_related(&o.loss_reason, loss_list);
            // The sales cycle in whole local days, from creation to close.
            let cycle = (day - local_date(o.created_at, self.tz)).num_days() as f64;
            self.add_deal(&mut s, o, entities, |acc| match o.status {
                OpportunityStatus::Won => acc.closed.add_won(o.amount, cycle),
                _ => acc.closed.add_lost(related),
            });
        }

        // The open pipeline at the period's last moment, or at as_of when the period runs
        // past it: deals created by then and not yet won or lost (an open deal's expected
        // close date does not close it).
        let until = self
            .as_of
            .min(crate::period::start_of_day(period.end, self.tz) - chrono::Duration::seconds(1));
        let until_day = local_date(until, self.tz);
        for o in &ds.opportunities {
            let open = match o.status {
                OpportunityStatus::Open => true,
                _ => o.close_date.is_some_and(|d| d > until_day),
            };
            if open && o.created_at <= until {
                self.add_deal(&mut s, o, entities, |acc| acc.closed.add_open(o.amount));
            }
        }

        // Event rule: every 1:1 of the period counts for both its reps, whatever the cadence
        // units (issue 19, item 1); pods by the SDR's pod, like hand-offs.
        for o in &ds.one_on_ones {
            if !period.contains(o.date) || o.date > as_of_day {
                continue;
            }
            s.team.one_on_ones += 1;
            if !entities {
                continue;
            }
            s.pods
                .entry(self.pod_of(&o.sdr_id))
                .or_default()
                .one_on_ones += 1;
            s.sdrs.entry(&o.sdr_id).or_default().one_on_ones += 1;
            s.aes.entry(&o.ae_id).or_default().one_on_ones += 1;
            s.pairs
                .entry((&o.sdr_id, &o.ae_id))
                .or_default()
                .one_on_ones += 1;
        }
        s
    }

    /// Adds a deal to the team and, with `entities`, to its AE, the SDR who sourced it (through
    /// the lead's hand-off), their pair, the SDR's pod (the AE's for a deal no SDR sourced),
    /// and its segment value in each dimension: its own in a dimension of opportunities.csv,
    /// else its hand-off's (`NoHandoff` without one).
    fn add_deal(
        &self,
        s: &mut Sums<'a>,
        o: &'a crate::model::Opportunity,
        entities: bool,
        add: impl Fn(&mut Acc),
    ) {
        add(&mut s.team);
        if !entities {
            return;
        }
        let handoff = o
            .lead_id
            .as_deref()
            .and_then(|l| self.leads.get(l))
            .map(|i| &self.ds.handoffs[i]);
        let sdr = handoff.map(|h| &*h.sdr_id);
        let pod = sdr.map_or_else(|| self.pod_of(&o.ae_id), |s| self.pod_of(s));
        add(s.pods.entry(pod).or_default());
        for (d, values) in s.segments.iter_mut().enumerate() {
            if self.dims.active(d) {
                add(values.entry(self.dims.of_deal(d, o, handoff)).or_default());
            }
        }
        add(s.aes.entry(&o.ae_id).or_default());
        if let Some(sdr) = sdr {
            add(s.sdrs.entry(sdr).or_default());
            add(s.pairs.entry((sdr, &o.ae_id)).or_default());
        }
    }

    /// The team's figures from its sums, the period's cadence units and forecasts.
    fn team_metrics(
        &self,
        team: &Acc,
        units: &[CadenceUnit],
        forecasts: &BTreeMap<&str, Decimal>,
    ) -> EntityMetrics {
        let forecast = (!forecasts.is_empty()).then(|| {
            closed::forecast_accuracy(
                team.closed.finish().closed_won_amount,
                forecasts.values().copied().sum(),
            )
        });
        let cadence = cadence::cadence_metrics(team.one_on_ones, units.iter());
        let pb = &self.ds.playbook;
        let min = (pb.site.min_sample, pb.handoff.warm_lift_claim);
        finish(team, true, true, Some(cadence), forecast, min)
    }

    /// The team's figures for `period`, without summing any other entity.
    fn team(&self, period: Period) -> EntityMetrics {
        let sums = self.sums(period, false);
        let units = self.cadence_units(period);
        self.team_metrics(&sums.team, &units, &self.forecasts(period))
    }

    fn period(&self, period: Period) -> PeriodMetrics {
        let ds = self.ds;
        let Sums {
            team,
            pods,
            sdrs,
            aes,
            pairs,
            segments,
        } = self.sums(period, true);
        let units = self.cadence_units(period);
        let forecasts = self.forecasts(period);
        let min = (
            ds.playbook.site.min_sample,
            ds.playbook.handoff.warm_lift_claim,
        );
        let last = period.end.pred_opt().unwrap_or(period.end);
        PeriodMetrics {
            period: period.label(),
            start: period.start,
            end: last,
            coverage: coverage_of(period, self.data),
            team: self.team_metrics(&team, &units, &forecasts),
            pods: pods
                .iter()
                .map(|(pod, acc)| {
                    let fc = forecasts.get(*pod).map(|f| {
                        closed::forecast_accuracy(acc.closed.finish().closed_won_amount, *f)
                    });
                    let cad = cadence::cadence_metrics(
                        acc.one_on_ones,
                        units.iter().filter(|u| u.pod == *pod),
                    );
                    (pod.to_string(), finish(acc, true, true, Some(cad), fc, min))
                })
                .collect(),
            sdrs: sdrs
                .iter()
                .map(|(id, acc)| {
                    let cad = cadence::cadence_metrics(
                        acc.one_on_ones,
                        units.iter().filter(|u| u.sdr == *id),
                    );
                    (
                        id.to_string(),
                        finish(acc, true, true, Some(cad), None, min),
                    )
                })
                .collect(),
            aes: aes
                .iter()
                .map(|(id, acc)| {
                    let cad = cadence::cadence_metrics(
                        acc.one_on_ones,
                        units.iter().filter(|u| u.ae.as_deref() == Some(*id)),
                    );
                    (
                        id.to_string(),
                        finish(acc, true, false, Some(cad), None, min),
                    )
                })
                .collect(),
            pairs: pairs
                .iter()
                .map(|((s, a), acc)| {
                    // A pairing's unit gives its expectation; any other pair has none.
                    let unit = units
                        .iter()
                        .filter(|u| u.sdr == *s && u.ae.as_deref() == Some(*a));
                    let cad = cadence::cadence_metrics(acc.one_on_ones, unit);
                    PairMetrics {
                        sdr: s.to_string(),
                        ae: a.to_string(),
                        pod: self.pod_of(s).to_string(),
                        metrics: finish(acc, false, false, Some(cad), None, min),
                    }
                })
                .collect(),
            segments: (ds.playbook.segments.dimensions.iter())
                .enumerate()
                .map(|(d, dim)| SegmentMetrics {
                    name: dim.name.clone(),
                    table: dim.table.as_str(),
                    column: dim.column.clone(),
                    values: (segments.get(d).into_iter().flatten())
                        .map(|(key, acc)| SegmentValue {
                            value: match key {
                                SegmentKey::Value(v) => Some(v.to_string()),
                                _ => None,
                            },
                            bucket: key.bucket(),
                            metrics: finish(acc, false, self.dims.of_leads(d), None, None, min),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// 1:1s in the period (by date, up to as_of) of an SDR with an AE.
    fn one_on_ones(&self, period: Period, sdr: &str, ae: &str) -> u64 {
        self.one_on_ones_in(period, sdr)
            .filter(|o| &*o.ae_id == ae)
            .count() as u64
    }

    /// The cadence units of the period: the playbook's pairings in dedicated pods, and one unit
    /// per SDR in pool pods (pods not in team.yaml are pools).
    fn cadence_units(&self, period: Period) -> Vec<CadenceUnit> {
        let ds = self.ds;
        let as_of_day = local_date(self.as_of, self.tz);
        let cadence = ds.playbook.meetings.cadence;
        let pairing_of = |pod: &str| {
            ds.playbook
                .team
                .pods
                .iter()
                .find(|p| p.name == pod)
                .map_or(Pairing::Pool, |p| p.pairing)
        };
        let mut units = Vec::new();
        for sdr in ds.reps.iter().filter(|r| r.role.prospects()) {
            match pairing_of(&sdr.pod) {
                Pairing::Dedicated => {
                    for p in ds.playbook.team.pairings.iter().filter(|p| p.sdr == sdr.id) {
                        let Some(ae) = self.reps.get(p.ae.as_str()) else {
                            continue;
                        };
                        let days = cadence::shared_working_days(&period, as_of_day, &[sdr, ae]);
                        units.push(CadenceUnit {
                            sdr: sdr.id.clone(),
                            ae: Some(ae.id.clone()),
                            pod: sdr.pod.clone(),
                            held: self.one_on_ones(period, &sdr.id, &ae.id),
                            expected: cadence::expected(days, cadence),
                        });
                    }
                }
                Pairing::Pool => {
                    let pod_aes: BTreeSet<&str> = ds
                        .reps
                        .iter()
                        .filter(|r| r.role == Role::Ae && r.pod == sdr.pod)
                        .map(|r| r.id.as_str())
                        .collect();
                    if pod_aes.is_empty() {
                        continue;
                    }
                    let days = cadence::shared_working_days(&period, as_of_day, &[sdr]);
                    let held = self
                        .one_on_ones_in(period, &sdr.id)
                        .filter(|o| pod_aes.contains(&*o.ae_id))
                        .count() as u64;
                    units.push(CadenceUnit {
                        sdr: sdr.id.clone(),
                        ae: None,
                        pod: sdr.pod.clone(),
                        held,
                        expected: cadence::expected(days, cadence),
                    });
                }
            }
        }
        units
    }

    /// Forecast per pod summed over the period's months; empty when no row falls in it.
    fn forecasts(&self, period: Period) -> BTreeMap<&'a str, Decimal> {
        let mut out: BTreeMap<&str, Decimal> = BTreeMap::new();
        for f in &self.ds.forecasts {
            let first = NaiveDate::from_ymd_opt(f.month.year, f.month.month, 1);
            if first.is_some_and(|d| period.contains(d)) {
                *out.entry(f.pod.as_str()).or_default() += f.amount;
            }
        }
        out
    }
}

fn finish(
    acc: &Acc,
    with_activity: bool,
    with_leads: bool,
    cadence: Option<CadenceMetrics>,
    forecast: Option<ForecastAccuracy>,
    (min_sample, warm_lift_claim): (u64, f64),
) -> EntityMetrics {
    let cohort = acc.cohort.finish(warm_lift_claim);
    let closed = acc.closed.finish();
    let activity = with_activity.then(|| ActivityMetrics::from_counts(&acc.activity));
    let mut rates = cohort.rates();
    rates.push((
        "handoff_related_loss_share",
        closed.handoff_related_loss_share,
    ));
    rates.push(("closed_win_rate", closed.closed_win_rate));
    if let Some(a) = &activity {
        rates.push(("connect_rate", a.connect_rate));
    }
    let leads = with_leads.then(|| acc.leads.finish());
    if let Some(l) = &leads {
        rates.push(("lead_to_meeting", l.lead_to_meeting));
    }
    if let Some(c) = &cadence {
        rates.push(("one_on_one_adherence", c.one_on_one_adherence));
    }
    let small_sample = rates
        .into_iter()
        .filter(|(_, r)| r.is_small(min_sample))
        .map(|(k, _)| k)
        .collect();
    EntityMetrics {
        cohort,
        activity,
        leads,
        closed,
        cadence,
        forecast_accuracy: forecast,
        small_sample,
    }
}
