//! What a rep actually did for each comp component in a payout window, with the rows behind it.
//!
//! Every actual carries its evidence: the input rows (file:line) that produced it, or for
//! activities (aggregated per rep and local day while reading) the file and each day's counts,
//! so a statement can answer "why this number?" from the page alone. Nothing that happened
//! after `as_of` counts. Definitions are in docs/comp.md.

use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use super::coverage::Window;
use crate::model::by_lead::HandoffsByLead;
use crate::model::{
    Dataset, Decision, Handoff, Meeting, MeetingStatus, Opportunity, OpportunityStatus, Rep, Source,
};
use crate::period::local_date;
use crate::playbook::comp::{CompMetric, Component, CreditScope, Points};

/// Why an actual is what it is: one contributing item.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Input rows (a hand-off and its meeting, an opportunity, ...) and what they added.
    Rows {
        /// Boxed, as the label: 127,000 items at 1x kept until the pages are written, with
        /// no spare capacity (issue 24).
        sources: Box<[Source]>,
        /// What the rows show, in words; contains CRM text, so escape it when rendering.
        label: Box<str>,
        /// What this item added to the actual (for a share: 1 for a hit, 0 for a miss).
        contributes: Decimal,
    },
    /// One local day of a rep's activities: aggregated while reading, so no line number.
    ActivityDay {
        file: String,
        date: NaiveDate,
        dials: u64,
        prospects_added: u64,
        points: Decimal,
    },
}

/// A component's actual for one rep and window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actual {
    pub value: Decimal,
    /// For shares: (hits, counted); a share with nothing counted has no attainment.
    pub ratio: Option<(u64, u64)>,
    pub evidence: Vec<Evidence>,
    /// Anything the reader of the statement must know (e.g. amounts too large to add).
    pub note: Option<String>,
    /// False when the figure cannot be known (a pod's figure for a rep with no pod): the
    /// line is not measured, never 0.
    pub known: bool,
}

impl Actual {
    /// False for a share with an empty denominator and for a figure that cannot be known.
    pub fn measurable(&self) -> bool {
        self.known && self.ratio.is_none_or(|(_, den)| den > 0)
    }

    /// A figure that cannot be known, and why.
    fn unknown(why: String) -> Actual {
        Actual {
            value: Decimal::ZERO,
            ratio: None,
            evidence: Vec::new(),
            note: Some(why),
            known: false,
        }
    }
}

/// The dataset prepared once for measuring many reps: time zone, `as_of` and lookups.
pub struct Scope<'a> {
    ds: &'a Dataset,
    tz: Tz,
    as_of: DateTime<Utc>,
    as_of_day: NaiveDate,
    /// By SDR, the accepted hand-offs (index in `ds.handoffs`) whose lead had a meeting held
    /// by `as_of`, with the earliest such meeting; ordered by that meeting's slot.
    accepted_by_sdr: HashMap<&'a str, Vec<(usize, &'a Meeting)>>,
    /// By AE, the hand-offs (index in `ds.handoffs`), ordered by `handoff_at`.
    by_ae: HashMap<&'a str, Vec<usize>>,
    /// Won deals by the pod they count for, and by AE, in file order.
    won_by_pod: HashMap<&'a str, Vec<Won<'a>>>,
    won_by_ae: HashMap<&'a str, Vec<Won<'a>>>,
    /// Every won deal with a close date, in file order (a team-level component's).
    won_all: Vec<Won<'a>>,
    /// Reps by id, for the pod and employment of the members of a pod or team.
    reps_by_id: HashMap<&'a str, &'a Rep>,
    activities_file: String,
    /// Won deals that were reversed, in file order: the only ones a clawback can take back
    /// (kept apart so each statement does not scan every deal).
    reversed: Vec<&'a Opportunity>,
    /// Pod- and team-level actuals (but activity points, whose points vary by component) by
    /// metric, pod (`None`: the team) and window: every rep of a pod shares them.
    team_memo: RefCell<HashMap<GroupKey, Actual>>,
}

/// A pod- or team-level actual's key: the metric, the pod (`None`: the team), the window.
type GroupKey = (CompMetric, Option<String>, Window);

/// A won opportunity with its close date and the hand-off that sourced it, if any.
#[derive(Clone, Copy)]
struct Won<'a> {
    opp: &'a Opportunity,
    day: NaiveDate,
    handoff: Option<&'a Handoff>,
}

impl<'a> Scope<'a> {
    pub fn new(ds: &'a Dataset, as_of: DateTime<Utc>) -> Scope<'a> {
        let tz: Tz = ds.playbook.site.timezone.parse().unwrap_or(Tz::UTC);
        // Per hand-off (by its lead), the earliest meeting held on or before `as_of`: kept by
        // the hand-off's place, not in a map of lead ids (13 MB at 1x beside the facts).
        let handoff_of_lead = HandoffsByLead::new(&ds.handoffs);
        let mut first_held: Vec<Option<&Meeting>> = vec![None; ds.handoffs.len()];
        for m in &ds.meetings {
            if m.status != MeetingStatus::Held || m.scheduled_for > as_of {
                continue;
            }
            let Some(i) = handoff_of_lead.get(&m.lead_id) else {
                continue;
            };
            let slot = &mut first_held[i];
            if slot.is_none_or(|first| m.scheduled_for < first.scheduled_for) {
                *slot = Some(m);
            }
        }
        // Activities keep no rows; cite the files they were read from.
        let activities_file = ds.activity_files.join(", ");
        let mut accepted_by_sdr: HashMap<&str, Vec<(usize, &Meeting)>> = HashMap::new();
        let mut by_ae: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, h) in ds.handoffs.iter().enumerate() {
            by_ae.entry(&*h.ae_id).or_default().push(i);
            if h.ae_decision != Decision::Accepted {
                continue;
            }
            // The lead's hand-off: this one, or the later one when a lead has two.
            let first = handoff_of_lead.get(&h.lead_id).and_then(|k| first_held[k]);
            if let Some(m) = first {
                accepted_by_sdr.entry(&*h.sdr_id).or_default().push((i, m));
            }
        }
        drop(first_held);
        // Stable sorts: equal instants stay in file order.
        for list in accepted_by_sdr.values_mut() {
            list.sort_by_key(|(_, m)| m.scheduled_for);
        }
        for list in by_ae.values_mut() {
            list.sort_by_key(|i| ds.handoffs[*i].handoff_at);
        }
        let pod_of_rep: HashMap<&str, &str> = ds
            .reps
            .iter()
            .map(|r| (r.id.as_str(), r.pod.as_str()))
            .collect();
        let mut won_by_pod: HashMap<&str, Vec<Won>> = HashMap::new();
        let mut won_by_ae: HashMap<&str, Vec<Won>> = HashMap::new();
        let mut won_all = Vec::new();
        for opp in &ds.opportunities {
            let Some(day) = opp.close_date else { continue };
            if opp.status != OpportunityStatus::Won {
                continue;
            }
            let handoff = opp
                .lead_id
                .as_deref()
                .and_then(|l| handoff_of_lead.get(l))
                .map(|i| &ds.handoffs[i]);
            // The pod of the SDR who sourced the deal, or the AE's pod when no SDR did.
            let owner = handoff.map_or(&*opp.ae_id, |h| &*h.sdr_id);
            let pod = pod_of_rep.get(owner).copied().unwrap_or("");
            let won = Won { opp, day, handoff };
            won_by_pod.entry(pod).or_default().push(won);
            won_by_ae.entry(&*opp.ae_id).or_default().push(won);
            won_all.push(won);
        }
        Scope {
            ds,
            tz,
            as_of,
            as_of_day: local_date(as_of, tz),
            accepted_by_sdr,
            by_ae,
            won_by_pod,
            won_by_ae,
            won_all,
            reps_by_id: ds.reps.iter().map(|r| (r.id.as_str(), r)).collect(),
            activities_file,
            reversed: ds
                .opportunities
                .iter()
                .filter(|o| {
                    o.status == OpportunityStatus::Won
                        && o.reversed_at.is_some()
                        && o.close_date.is_some()
                })
                .collect(),
            team_memo: RefCell::default(),
        }
    }

    /// Won deals with a close date that were reversed, in file order.
    pub fn reversed_deals(&self) -> &[&'a Opportunity] {
        &self.reversed
    }

    /// The decimals payouts are rounded to: the minor units of site.yaml's `currency`.
    pub fn minor_units(&self) -> u32 {
        crate::format::minor_units(&self.ds.playbook.site.currency)
    }

    /// The dataset measured.
    pub fn dataset(&self) -> &'a Dataset {
        self.ds
    }

    /// The last local day that counts: `as_of` counts through the end of its day.
    pub fn as_of_day(&self) -> NaiveDate {
        self.as_of_day
    }

    /// Whether `day` is in the window and not after `as_of`.
    fn counts(&self, window: &Window, day: NaiveDate) -> bool {
        day <= self.as_of_day && window.contains(day)
    }

    /// The actual of `component` for `rep` over `window`: the rep's own work, or their pod's
    /// or the team's as the component's scope says (docs/comp.md, "Pod and team scope").
    pub fn measure(&self, rep: &Rep, component: &Component, window: &Window) -> Actual {
        let pod = match (component.scope(), component.metric) {
            (CreditScope::Rep, CompMetric::ActivityPoints) => {
                return self.activity_points(&rep.id, &component.points, window)
            }
            (CreditScope::Rep, CompMetric::AcceptedMeetings) => {
                return self.accepted_meetings(&rep.id, false, window)
            }
            (CreditScope::Rep, CompMetric::SalesReadyMeetings) => {
                return self.accepted_meetings(&rep.id, true, window)
            }
            (CreditScope::Rep, CompMetric::WonAmount) => return self.won_amount(&rep.id, window),
            (CreditScope::Rep, CompMetric::HandoffFollowUpSla) => {
                return self.handoff_follow_up_sla(&rep.id, window)
            }
            // `team_won_amount` is the pod's by definition (a `scope: rep` is a lint error).
            (CreditScope::Rep | CreditScope::Pod, _) if rep.pod.trim().is_empty() => {
                return Actual::unknown(format!(
                    "{} has no pod in reps.csv, so the pod's figure is unknown",
                    rep.id
                ))
            }
            (CreditScope::Rep | CreditScope::Pod, _) => Some(rep.pod.as_str()),
            (CreditScope::Team, _) => None,
        };
        if component.metric == CompMetric::ActivityPoints {
            return self.group_activity_points(pod, &component.points, window);
        }
        let key = (component.metric, pod.map(str::to_string), window.clone());
        if let Some(a) = self.team_memo.borrow().get(&key) {
            return a.clone();
        }
        let a = match component.metric {
            CompMetric::AcceptedMeetings => self.group_meetings(pod, false, window),
            CompMetric::SalesReadyMeetings => self.group_meetings(pod, true, window),
            CompMetric::HandoffFollowUpSla => self.group_sla(pod, window),
            CompMetric::TeamWonAmount | CompMetric::WonAmount | CompMetric::ActivityPoints => {
                self.group_won(pod, window)
            }
        };
        self.team_memo.borrow_mut().insert(key, a.clone());
        a
    }

    /// Whether `id` is a member of the group: of pod `pod` in reps.csv, or of the team (`None`)
    /// when it is a rep of reps.csv at all.
    fn member(&self, id: &str, pod: Option<&str>) -> Option<&'a Rep> {
        self.reps_by_id
            .get(id)
            .copied()
            .filter(|r| pod.is_none_or(|p| r.pod == p))
    }

    /// `activity_points` = dials × points.dial + prospects added × points.prospect_added, over
    /// the rep's local activity days in the window.
    pub fn activity_points(&self, rep_id: &str, points: &Points, window: &Window) -> Actual {
        let mut sum = Sum::default();
        let mut evidence = Vec::new();
        let (Some(first), Some(last)) = (window.first(), window.last()) else {
            return sum.into_actual(evidence, None);
        };
        let range = (rep_id.to_string(), first)..=(rep_id.to_string(), last);
        for ((_, day), c) in self.ds.activity.range(range) {
            if !self.counts(window, *day) || (c.calls == 0 && c.prospects_added == 0) {
                continue;
            }
            let day_points = Decimal::from(c.calls)
                .checked_mul(points.dial)
                .zip(Decimal::from(c.prospects_added).checked_mul(points.prospect_added))
                .and_then(|(a, b)| a.checked_add(b));
            let day_points = sum.add_opt(day_points);
            evidence.push(Evidence::ActivityDay {
                file: self.activities_file.clone(),
                date: *day,
                dials: c.calls,
                prospects_added: c.prospects_added,
                points: day_points,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `accepted_meetings`: the rep's hand-offs (as SDR) the AE accepted whose first held
    /// meeting took place in the window (event rule by the meeting's local date).
    /// With `sales_ready_only`, `sales_ready_meetings`: those that also meet the playbook's
    /// sales-ready rule; accepted ones that do not are listed as contributing 0.
    pub fn accepted_meetings(
        &self,
        rep_id: &str,
        sales_ready_only: bool,
        window: &Window,
    ) -> Actual {
        let rule = &self.ds.playbook.qualification;
        let mut sum = Sum::default();
        let mut evidence = Vec::new();
        let accepted = self
            .accepted_by_sdr
            .get(rep_id)
            .map_or(&[][..], Vec::as_slice);
        let mut near = near_window(accepted, |(_, m)| m.scheduled_for, window).to_vec();
        near.sort_unstable_by_key(|(i, _)| *i);
        for (i, m) in near {
            let h = &self.ds.handoffs[i];
            let day = local_date(m.scheduled_for, self.tz);
            if !self.counts(window, day) {
                continue;
            }
            let met = h.criteria.count();
            let ready = rule.is_sales_ready(h.criteria);
            let (contributes, verdict) = match (sales_ready_only, ready) {
                (false, _) => (Decimal::ONE, String::new()),
                (true, true) => (
                    Decimal::ONE,
                    format!(", sales-ready ({met} of {} criteria met)", h.criteria.len()),
                ),
                (true, false) => (
                    Decimal::ZERO,
                    format!(
                        ", not sales-ready ({met} of {} criteria met)",
                        h.criteria.len()
                    ),
                ),
            };
            sum.add(contributes);
            evidence.push(Evidence::Rows {
                sources: Box::new([h.source.clone(), m.source.clone()]),
                label: format!(
                    "lead {} ({}): meeting held {day}, accepted by {}{verdict}",
                    h.lead_id, h.company, h.ae_id
                )
                .into(),
                contributes,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `team_won_amount`: won amount of opportunities closed (close_date) in the window whose
    /// pod is `pod`: the pod of the SDR of the lead's hand-off, or the AE's pod when no SDR
    /// sourced the deal.
    pub fn team_won_amount(&self, pod: &str, window: &Window) -> Actual {
        self.group_won(Some(pod), window)
    }

    /// Won amount of the opportunities closed (close_date) in the window that count for the
    /// group: for pod `pod`, those whose SDR (of the lead's hand-off) is in the pod, or whose
    /// AE is when no SDR sourced the deal (`team_won_amount`, and `won_amount` at pod scope);
    /// for the team (`None`), every won deal.
    fn group_won(&self, pod: Option<&str>, window: &Window) -> Actual {
        let mut sum = Sum::default();
        let mut evidence = Vec::new();
        let deals = match pod {
            Some(p) => self.won_by_pod.get(p).map_or(&[][..], Vec::as_slice),
            None => &self.won_all[..],
        };
        let whose = pod.map_or_else(|| "the team".to_string(), |p| format!("pod {p}"));
        for w in deals {
            if !self.counts(window, w.day) {
                continue;
            }
            let mut sources = vec![w.opp.source.clone()];
            let via = match w.handoff {
                Some(h) => {
                    sources.push(h.source.clone());
                    format!("sourced by SDR {}", h.sdr_id)
                }
                None => format!("no SDR; AE {}'s pod", w.opp.ae_id),
            };
            sum.add(w.opp.amount);
            evidence.push(Evidence::Rows {
                sources: sources.into(),
                label: format!(
                    "opportunity {}: won {}, {} for {whose} ({via})",
                    w.opp.opportunity_id, w.day, w.opp.amount
                )
                .into(),
                contributes: w.opp.amount,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `activity_points` of the group: the activity of its SDRs and BDRs (pod and team
    /// activity never count an AE's or a manager's, docs/metrics.md), each member's only on
    /// the days they were employed, summed per local day of the window.
    fn group_activity_points(&self, pod: Option<&str>, points: &Points, window: &Window) -> Actual {
        let mut sum = Sum::default();
        let mut evidence = Vec::new();
        let (Some(first), Some(last)) = (window.first(), window.last()) else {
            return sum.into_actual(evidence, None);
        };
        let mut days: std::collections::BTreeMap<NaiveDate, (u64, u64)> = Default::default();
        for rep in &self.ds.reps {
            if !rep.role.prospects() || pod.is_some_and(|p| rep.pod != p) {
                continue;
            }
            let range = (rep.id.clone(), first)..=(rep.id.clone(), last);
            for ((_, day), c) in self.ds.activity.range(range) {
                if !self.counts(window, *day) || !rep.employed_on(*day) {
                    continue;
                }
                let d = days.entry(*day).or_default();
                d.0 = d.0.saturating_add(c.calls);
                d.1 = d.1.saturating_add(c.prospects_added);
            }
        }
        for (day, (dials, prospects)) in days {
            if dials == 0 && prospects == 0 {
                continue;
            }
            let day_points = Decimal::from(dials)
                .checked_mul(points.dial)
                .zip(Decimal::from(prospects).checked_mul(points.prospect_added))
                .and_then(|(a, b)| a.checked_add(b));
            let day_points = sum.add_opt(day_points);
            evidence.push(Evidence::ActivityDay {
                file: self.activities_file.clone(),
                date: day,
                dials,
                prospects_added: prospects,
                points: day_points,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `accepted_meetings` (or with `sales_ready_only`, `sales_ready_meetings`) of the group:
    /// the accepted hand-offs of the group's SDRs (by the SDR's pod; the team: every SDR)
    /// whose first held meeting took place in the window on a day the SDR was employed.
    fn group_meetings(&self, pod: Option<&str>, sales_ready_only: bool, window: &Window) -> Actual {
        let rule = &self.ds.playbook.qualification;
        let mut sum = Sum::default();
        let mut near: Vec<(usize, &Meeting)> = Vec::new();
        for (sdr, list) in &self.accepted_by_sdr {
            let rep = self.member(sdr, pod);
            if pod.is_some() && rep.is_none() {
                continue;
            }
            near.extend(
                near_window(list, |(_, m)| m.scheduled_for, window)
                    .iter()
                    .filter(|(_, m)| {
                        let day = local_date(m.scheduled_for, self.tz);
                        self.counts(window, day) && rep.is_none_or(|r| r.employed_on(day))
                    }),
            );
        }
        near.sort_unstable_by_key(|(i, _)| *i);
        let mut evidence = Vec::new();
        for (i, m) in near {
            let h = &self.ds.handoffs[i];
            let day = local_date(m.scheduled_for, self.tz);
            let ready = rule.is_sales_ready(h.criteria);
            let contributes = if !sales_ready_only || ready {
                Decimal::ONE
            } else {
                Decimal::ZERO
            };
            let verdict = match (sales_ready_only, ready) {
                (false, _) => String::new(),
                (true, true) => ", sales-ready".to_string(),
                (true, false) => ", not sales-ready".to_string(),
            };
            sum.add(contributes);
            evidence.push(Evidence::Rows {
                sources: Box::new([h.source.clone(), m.source.clone()]),
                label: format!(
                    "lead {} ({}): handed off by {}, meeting held {day}, accepted by {}{verdict}",
                    h.lead_id, h.company, h.sdr_id, h.ae_id
                )
                .into(),
                contributes,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `handoff_follow_up_sla` of the group: the share of the hand-offs by the group's SDRs
    /// (by the SDR's pod; the team: every hand-off) followed up within the SLA, judged as
    /// for one AE.
    fn group_sla(&self, pod: Option<&str>, window: &Window) -> Actual {
        let handoffs: Vec<usize> = (0..self.ds.handoffs.len())
            .filter(|i| pod.is_none() || self.member(&self.ds.handoffs[*i].sdr_id, pod).is_some())
            .collect();
        self.sla_share(handoffs, window)
    }

    /// `won_amount`: won amount of the AE's own opportunities closed in the window.
    pub fn won_amount(&self, ae_id: &str, window: &Window) -> Actual {
        let mut sum = Sum::default();
        let mut evidence = Vec::new();
        for w in self.won_by_ae.get(ae_id).into_iter().flatten() {
            if !self.counts(window, w.day) {
                continue;
            }
            sum.add(w.opp.amount);
            evidence.push(Evidence::Rows {
                sources: Box::new([w.opp.source.clone()]),
                label: format!(
                    "opportunity {}: won {}, {}",
                    w.opp.opportunity_id, w.day, w.opp.amount
                )
                .into(),
                contributes: w.opp.amount,
            });
        }
        sum.into_actual(evidence, None)
    }

    /// `handoff_follow_up_sla`: the share of the AE's hand-offs (handoff_at in the window)
    /// first contacted within the SLA (at most `sla_hours` later). A hand-off not contacted by
    /// `as_of` is a miss once `as_of` is past its deadline and is left out while still inside.
    pub fn handoff_follow_up_sla(&self, ae_id: &str, window: &Window) -> Actual {
        let handoffs = self.by_ae.get(ae_id).map_or(&[][..], Vec::as_slice);
        let mut near = near_window(handoffs, |i| self.ds.handoffs[*i].handoff_at, window).to_vec();
        near.sort_unstable();
        self.sla_share(near, window)
    }

    /// The share of hand-offs `near` (indices in file order) handed off on a day of the
    /// window and first contacted within the SLA.
    fn sla_share(&self, near: Vec<usize>, window: &Window) -> Actual {
        let sla_hours = self.ds.playbook.handoff.sla_hours;
        let sla = chrono::Duration::hours(i64::from(sla_hours));
        let (mut hits, mut counted) = (0u64, 0u64);
        let mut evidence = Vec::new();
        for h in near.into_iter().map(|i| &self.ds.handoffs[i]) {
            let day = local_date(h.handoff_at, self.tz);
            if h.handoff_at > self.as_of || !window.contains(day) {
                continue;
            }
            let deadline = h.handoff_at + sla;
            // A contact recorded after as_of is not known yet at as_of.
            let contact = h.ae_first_contact_at.filter(|t| *t <= self.as_of);
            let (hit, what) = match contact {
                Some(t) => {
                    let hours = Decimal::from((t - h.handoff_at).num_minutes()) / Decimal::from(60);
                    let hours = hours.round_dp(1).normalize();
                    if t <= deadline {
                        (
                            Some(true),
                            format!("first contact after {hours} h, within the {sla_hours} h SLA"),
                        )
                    } else {
                        (
                            Some(false),
                            format!(
                                "first contact after {hours} h, later than the {sla_hours} h SLA"
                            ),
                        )
                    }
                }
                None if self.as_of > deadline => (
                    Some(false),
                    format!("no first contact and the {sla_hours} h SLA has passed"),
                ),
                None => (
                    None,
                    "no first contact yet, still inside the SLA: not counted".to_string(),
                ),
            };
            if let Some(hit) = hit {
                counted += 1;
                hits += u64::from(hit);
            }
            evidence.push(Evidence::Rows {
                sources: Box::new([h.source.clone()]),
                label: format!(
                    "hand-off of lead {} ({}) on {day}: {what}",
                    h.lead_id, h.company
                )
                .into(),
                contributes: if hit == Some(true) {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                },
            });
        }
        let value = if counted == 0 {
            Decimal::ZERO
        } else {
            Decimal::from(hits) / Decimal::from(counted)
        };
        Actual {
            value,
            ratio: Some((hits, counted)),
            evidence,
            note: (counted == 0)
                .then(|| "no hand-off to follow up was due in the period".to_string()),
            known: true,
        }
    }
}

/// The part of `sorted` (ordered by `at`) whose instants can fall on a local day of `window`:
/// a local date is at most a day from the UTC date, so the part runs from midnight UTC a day
/// before the window's first day to midnight UTC two days after its last. Callers still check
/// each item's local date.
fn near_window<'s, T>(
    sorted: &'s [T],
    at: impl Fn(&T) -> DateTime<Utc>,
    window: &Window,
) -> &'s [T] {
    let (Some(first), Some(last)) = (window.first(), window.last()) else {
        return &[];
    };
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN).and_utc();
    let from = first.pred_opt().map_or(DateTime::<Utc>::MIN_UTC, midnight);
    let to = (last.checked_add_days(Days::new(2))).map_or(DateTime::<Utc>::MAX_UTC, midnight);
    let start = sorted.partition_point(|x| at(x) < from);
    let end = sorted.partition_point(|x| at(x) < to);
    &sorted[start..end]
}

/// A running total that reports, rather than panics on, amounts too large for a decimal.
#[derive(Default)]
struct Sum {
    value: Decimal,
    overflow: bool,
}

impl Sum {
    fn add(&mut self, x: Decimal) {
        self.add_opt(Some(x));
    }

    /// Adds `x` (None = already too large) and returns it, or 0 when it could not be added.
    fn add_opt(&mut self, x: Option<Decimal>) -> Decimal {
        match x.and_then(|x| self.value.checked_add(x).map(|v| (x, v))) {
            Some((x, v)) => {
                self.value = v;
                x
            }
            None => {
                self.overflow = true;
                Decimal::ZERO
            }
        }
    }

    fn into_actual(self, evidence: Vec<Evidence>, ratio: Option<(u64, u64)>) -> Actual {
        Actual {
            value: if self.overflow {
                Decimal::MAX
            } else {
                self.value
            },
            ratio,
            evidence,
            note: self.overflow.then(|| {
                "amounts too large to add exactly; treated as the largest amount".to_string()
            }),
            known: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;

    /// Every instant whose local date is in the window lies in [`near_window`]'s part, in the
    /// zones furthest from UTC either way.
    #[test]
    fn near_window_keeps_every_instant_on_a_window_day() {
        let window = Window::whole(Period::month(2026, 3));
        let start = NaiveDate::from_ymd_opt(2026, 2, 20)
            .unwrap()
            .and_time(NaiveTime::MIN);
        let instants: Vec<DateTime<Utc>> = (0..45 * 96)
            .map(|q| start.and_utc() + chrono::Duration::minutes(15 * q))
            .collect();
        for tz in [Tz::Pacific__Kiritimati, Tz::Pacific__Pago_Pago, Tz::UTC] {
            let near = near_window(&instants, |t| *t, &window);
            let on_window_day = |t: &DateTime<Utc>| window.contains(local_date(*t, tz));
            let all = instants.iter().filter(|t| on_window_day(t)).count();
            let kept = near.iter().filter(|t| on_window_day(t)).count();
            assert_eq!((kept, near.len() < instants.len()), (all, true), "{tz}");
        }
    }
}
