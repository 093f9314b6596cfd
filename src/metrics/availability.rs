//! Which figures the data cannot give, and why (docs/metrics.md, "Figures the exports cannot
//! give"). A figure whose input was never exported (a missing table, a column the mapping
//! declares `not_exported` or the header lacks, an export of won deals only) would otherwise
//! be computed from empty cells as a 0 or a 100% that looks like data. Such figures are
//! written to metrics.json as `null`, and listed under `unavailable` with the reason.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{AcceptanceOver, MetricsReport, PeriodMetrics, PeriodTeam};
use crate::model::{Dataset, Table};

const MEETING: &[&str] = &[
    "held",
    "no_show",
    "canceled",
    "pending",
    "show_rate",
    "show_rate_warm",
    "show_rate_warm_ci",
    "show_rate_cold",
    "show_rate_cold_ci",
    "warm_lift",
    "warm_lift_ci",
    "warm_lift_verdict",
];
/// Figures counted over held hand-offs only.
const AFTER_HELD: &[&str] = &[
    "accepted",
    "rejected",
    "acceptance_rate",
    "acceptance_rate_complete",
    "acceptance_rate_incomplete",
    "acceptance_rate_sales_ready",
    "acceptance_rate_not_sales_ready",
    "ae_decision_hours_median",
    "ae_decision_hours_p90",
    "ae_decision_hours_n",
    "opportunities",
    "opportunity_rate",
    "won",
    "lost",
    "won_amount",
    "win_rate",
    "handoff_to_win",
    "message_continuity",
];
/// Cohort figures that need neither meetings nor held hand-offs.
const COHORT_OTHER: &[&str] = &[
    "meetings_booked",
    "doc_completeness",
    "sales_ready_share",
    "speed_to_lead_hours_median",
    "speed_to_lead_hours_p90",
    "speed_to_lead_hours_n",
    "ae_follow_up_hours_median",
    "ae_follow_up_hours_p90",
    "ae_follow_up_hours_n",
    "sla_breaches",
    "sla_breach_rate",
    "ae_never_followed_up",
];
const DECISION: &[&str] = &[
    "accepted",
    "rejected",
    "acceptance_rate",
    "acceptance_rate_complete",
    "acceptance_rate_incomplete",
    "acceptance_rate_sales_ready",
    "acceptance_rate_not_sales_ready",
];
/// Time to decision: needs the decision and its time.
const DECISION_TIME: &[&str] = &[
    "ae_decision_hours_median",
    "ae_decision_hours_p90",
    "ae_decision_hours_n",
];
const OPPORTUNITY: &[&str] = &[
    "opportunities",
    "opportunity_rate",
    "won",
    "lost",
    "won_amount",
    "win_rate",
    "handoff_to_win",
    "closed_won",
    "closed_lost",
    "closed_won_amount",
    "handoff_related_loss_share",
    "forecast_accuracy",
    "closed_win_rate",
    "avg_won_deal_amount",
    "sales_cycle_days_median",
    "sales_cycle_days_p90",
    "sales_cycle_days_n",
    "open_pipeline",
    "open_pipeline_amount",
];
const MONEY: &[&str] = &[
    "won_amount",
    "closed_won_amount",
    "forecast_accuracy",
    "avg_won_deal_amount",
    "open_pipeline_amount",
];
/// The open pipeline: unknown when the export lists only won deals.
const PIPELINE: &[&str] = &["open_pipeline", "open_pipeline_amount"];
const LOST: &[&str] = &[
    "lost",
    "win_rate",
    "closed_lost",
    "handoff_related_loss_share",
    "closed_win_rate",
];
const ACTIVITY: &[&str] = &[
    "dials",
    "conversations",
    "connect_rate",
    "emails",
    "social_touches",
    "new_prospects",
];
const LEADS: &[&str] = &[
    "leads_assigned",
    "leads_worked",
    "leads_untouched",
    "leads_aging",
    "leads_disqualified",
    "leads_disqualified_by_reason",
    "leads_converted",
    "lead_to_meeting",
    "lead_speed_hours_median",
    "lead_speed_hours_p90",
    "lead_speed_hours_n",
];
/// Lead figures that need to know whether a lead was touched: leads.csv's `first_touch_at`,
/// or activities naming their lead (`lead_id`), tell.
const LEAD_WORKED: &[&str] = &["leads_worked", "leads_untouched", "leads_aging"];
/// Lead figures that need the hour of the first touch: leads.csv's `first_touch_at` only.
const LEAD_SPEED: &[&str] = &[
    "lead_speed_hours_median",
    "lead_speed_hours_p90",
    "lead_speed_hours_n",
];
const LEAD_DISQUALIFIED: &[&str] = &["leads_disqualified", "leads_disqualified_by_reason"];
const CADENCE: &[&str] = &[
    "one_on_ones_held",
    "one_on_ones_expected",
    "one_on_one_adherence",
];
const WARM: &[&str] = &[
    "show_rate_warm",
    "show_rate_warm_ci",
    "show_rate_cold",
    "show_rate_cold_ci",
    "warm_lift",
    "warm_lift_ci",
    "warm_lift_verdict",
];
const SPEED: &[&str] = &[
    "speed_to_lead_hours_median",
    "speed_to_lead_hours_p90",
    "speed_to_lead_hours_n",
];
const FOLLOW_UP: &[&str] = &[
    "ae_follow_up_hours_median",
    "ae_follow_up_hours_p90",
    "ae_follow_up_hours_n",
    "sla_breaches",
    "sla_breach_rate",
    "ae_never_followed_up",
];

/// Every figure the dataset cannot give, with the first reason found (most basic first).
pub fn unavailable(ds: &Dataset) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut mark = |keys: &[&str], why: &str| {
        for k in keys {
            out.entry(k.to_string()).or_insert_with(|| why.to_string());
        }
    };
    let gaps = &ds.gaps;
    let lacks = |t: Table, c: &str| gaps.lacks(t, c);
    if gaps.only_won.contains(&Table::Handoffs) {
        let why = "the hand-offs export lists only leads that became won deals (`only: won` in mapping.yaml): the cohort of all hand-offs is unknown";
        for keys in [MEETING, AFTER_HELD, COHORT_OTHER] {
            mark(keys, why);
        }
    }
    if !ds.has(Table::Handoffs) {
        let why = "no hand-offs export (handoffs.csv): the hand-off funnel, its quality and the AE's follow-up are unknown";
        for keys in [MEETING, AFTER_HELD, COHORT_OTHER, DECISION_TIME] {
            mark(keys, why);
        }
    }
    if !ds.has(Table::Meetings) {
        let why = "no meetings export (meetings.csv): attendance, and everything counted over held meetings, is unknown";
        mark(MEETING, why);
        // Acceptance then counts every decided hand-off (docs/metrics.md, "Acceptance
        // without a meetings export"), so the decision figures stay.
        let after_held: Vec<&str> = AFTER_HELD
            .iter()
            .copied()
            .filter(|k| !DECISION.contains(k) && !DECISION_TIME.contains(k))
            .collect();
        mark(&after_held, why);
    }
    if !ds.has(Table::Opportunities) {
        mark(OPPORTUNITY, "no opportunities export (opportunities.csv)");
    }
    if !ds.has(Table::Activities) {
        mark(ACTIVITY, "no activities export (activities.csv)");
    }
    if !ds.has(Table::Leads) {
        mark(LEADS, "no leads export (leads.csv)");
    }
    if gaps.only_won.contains(&Table::Leads) {
        mark(
            LEADS,
            "the leads export lists only leads that became won deals (`only: won` in mapping.yaml): the SDRs' whole funnel is unknown",
        );
    }
    if !ds.has(Table::OneOnOnes) {
        mark(CADENCE, "no 1:1 export (one_on_ones.csv)");
    }
    if !ds.has(Table::Forecasts) {
        mark(
            &["forecast_accuracy"],
            "no forecasts export (forecasts.csv)",
        );
    }
    if gaps.only_won.contains(&Table::Opportunities) {
        mark(
            LOST,
            "the opportunities export lists only won deals (`only: won` in mapping.yaml): lost deals are unknown",
        );
        mark(
            PIPELINE,
            "the opportunities export lists only won deals (`only: won` in mapping.yaml): open deals are unknown",
        );
    }
    let column = |t: Table, c: &str| {
        format!(
            "{}.{c} is not exported",
            t.file_name().trim_end_matches(".csv")
        )
    };
    if ds.has(Table::Leads)
        && lacks(Table::Leads, "first_touch_at")
        && (!ds.has(Table::Activities) || lacks(Table::Activities, "lead_id"))
    {
        mark(
            LEAD_WORKED,
            &format!(
                "{} and no activities export with a lead_id column",
                column(Table::Leads, "first_touch_at")
            ),
        );
    }
    let rules: [(Table, &str, &[&str]); 13] = [
        (Table::Leads, "first_touch_at", LEAD_SPEED),
        (Table::Leads, "disqualified_reason", LEAD_DISQUALIFIED),
        (Table::Opportunities, "amount", MONEY),
        (
            Table::Opportunities,
            "loss_reason",
            &["handoff_related_loss_share"],
        ),
        (Table::Handoffs, "handoff_type", WARM),
        (Table::Handoffs, "ae_decision", DECISION),
        (Table::Handoffs, "ae_decision", DECISION_TIME),
        (Table::Handoffs, "ae_decision_at", DECISION_TIME),
        (Table::Handoffs, "ae_first_contact_at", FOLLOW_UP),
        (Table::Handoffs, "lead_created_at", SPEED),
        (Table::Handoffs, "first_touch_at", SPEED),
        (Table::Handoffs, "sdr_pain_point", &["message_continuity"]),
        (Table::Handoffs, "ae_pain_point", &["message_continuity"]),
    ];
    for (t, c, keys) in rules {
        if ds.has(t) && lacks(t, c) {
            mark(keys, &column(t, c));
        }
    }
    if ds.has(Table::Activities) && lacks(Table::Activities, "outcome") {
        mark(
            &["conversations", "connect_rate"],
            &column(Table::Activities, "outcome"),
        );
    }
    // The playbook's criterion and documentation columns: one missing makes its figures unknown.
    let pb = &ds.playbook;
    let playbook_columns: [(Vec<&str>, &[&str]); 2] = [
        (
            pb.qualification
                .criteria
                .iter()
                .map(|c| c.column.as_str())
                .collect(),
            &[
                "sales_ready_share",
                "acceptance_rate_sales_ready",
                "acceptance_rate_not_sales_ready",
            ],
        ),
        (
            pb.handoff
                .sections
                .iter()
                .map(|s| s.column.as_str())
                .collect(),
            &[
                "doc_completeness",
                "acceptance_rate_complete",
                "acceptance_rate_incomplete",
            ],
        ),
    ];
    for (columns, keys) in playbook_columns {
        if let Some(c) = columns.into_iter().find(|c| lacks(Table::Handoffs, c)) {
            mark(keys, &column(Table::Handoffs, c));
        }
    }
    out
}

/// Cohort figures whose previous-period value cannot be taken at the current cohort's age
/// because a timestamp they need is not exported (docs/metrics.md, "Cohort age"), with the
/// reason; figures the exports cannot give at all are left to [`unavailable`].
pub fn not_age_matched(ds: &Dataset) -> BTreeMap<String, String> {
    let unavailable = unavailable(ds);
    let mut out = BTreeMap::new();
    if ds.has(Table::Handoffs) && ds.gaps.lacks(Table::Handoffs, "ae_decision_at") {
        for k in DECISION.iter().filter(|k| !unavailable.contains_key(**k)) {
            out.insert(
                k.to_string(),
                "handoffs.ae_decision_at is not exported: decisions count as exported, whenever they were made".to_string(),
            );
        }
    }
    out
}

/// Sets every unavailable figure of every entity of a serialized report to null and drops
/// it from the entity's `small_sample` list.
pub fn null_out(report: &mut Value, unavailable: &BTreeMap<String, String>) {
    let mut entity = |e: &mut Value| {
        let Some(obj) = e.as_object_mut() else {
            return;
        };
        for (k, v) in obj.iter_mut() {
            if unavailable.contains_key(k) {
                *v = Value::Null;
            }
        }
        if let Some(Value::Array(small)) = obj.get_mut("small_sample") {
            small.retain(|k| k.as_str().is_none_or(|k| !unavailable.contains_key(k)));
        }
    };
    for period in ["current", "previous", "previous_at_age"] {
        let Some(p) = report.get_mut(period) else {
            continue;
        };
        if let Some(t) = p.get_mut("team") {
            entity(t);
        }
        for group in ["pods", "sdrs", "aes"] {
            if let Some(Value::Object(m)) = p.get_mut(group) {
                m.values_mut().for_each(&mut entity);
            }
        }
        if let Some(Value::Array(pairs)) = p.get_mut("pairs") {
            pairs.iter_mut().for_each(&mut entity);
        }
        if let Some(Value::Array(dims)) = p.get_mut("segments") {
            for d in dims {
                if let Some(Value::Array(values)) = d.get_mut("values") {
                    values.iter_mut().for_each(&mut entity);
                }
            }
        }
    }
    if let Some(Value::Array(trend)) = report.get_mut("trend") {
        for t in trend.iter_mut().filter_map(|t| t.get_mut("team")) {
            entity(t);
        }
    }
}

/// metrics.json: the report as computed, with unavailable figures null (see [`null_out`]).
/// Without gaps it is written straight from the computed report, field for field.
impl Serialize for MetricsReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Raw<'a> {
            definitions_version: u32,
            period: &'a str,
            previous_period: &'a str,
            #[serde(serialize_with = "crate::period::serialize_instant")]
            as_of: DateTime<Utc>,
            timezone: &'a str,
            min_sample: u64,
            data_from: Option<NaiveDate>,
            data_to: Option<NaiveDate>,
            comparable: bool,
            current: &'a PeriodMetrics,
            previous: &'a PeriodMetrics,
            #[serde(serialize_with = "crate::period::serialize_instant")]
            age_matched_at: DateTime<Utc>,
            previous_at_age: &'a PeriodMetrics,
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            not_age_matched: &'a BTreeMap<String, String>,
            trend: &'a [PeriodTeam],
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            unavailable: &'a BTreeMap<String, String>,
            acceptance_over: AcceptanceOver,
        }
        let raw = Raw {
            definitions_version: self.definitions_version,
            period: &self.period,
            previous_period: &self.previous_period,
            as_of: self.as_of,
            timezone: &self.timezone,
            min_sample: self.min_sample,
            data_from: self.data.map(|d| d.from),
            data_to: self.data.map(|d| d.to),
            comparable: self.comparable,
            current: &self.current,
            previous: &self.previous,
            age_matched_at: self.age_matched_at,
            previous_at_age: &self.previous_at_age,
            not_age_matched: &self.not_age_matched,
            trend: &self.trend,
            unavailable: &self.unavailable,
            acceptance_over: self.acceptance_over,
        };
        if self.unavailable.is_empty() {
            return raw.serialize(s);
        }
        let mut v = serde_json::to_value(&raw).map_err(serde::ser::Error::custom)?;
        null_out(&mut v, &self.unavailable);
        v.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExportGaps;
    use crate::period::Period;

    fn dataset(present: Vec<Table>, gaps: ExportGaps) -> Dataset {
        Dataset {
            playbook: crate::playbook::Playbook::default(),
            reps: Vec::new(),
            activity: Default::default(),
            activity_files: Vec::new(),
            handoffs: Vec::new(),
            meetings: Vec::new(),
            opportunities: Vec::new(),
            one_on_ones: Vec::new(),
            forecasts: Vec::new(),
            leads: Default::default(),
            present,
            gaps,
        }
    }

    #[test]
    fn every_listed_key_is_a_figure_of_the_team() {
        let ds = dataset(Table::ALL.to_vec(), ExportGaps::default());
        let at = Utc::now();
        let m = super::super::compute(&ds, Period::default_for(at.date_naive()), at);
        let team = serde_json::to_value(&m.current.team).unwrap();
        for list in [
            MEETING,
            AFTER_HELD,
            COHORT_OTHER,
            DECISION,
            DECISION_TIME,
            OPPORTUNITY,
            MONEY,
            PIPELINE,
            LOST,
            ACTIVITY,
            LEADS,
            CADENCE,
            WARM,
            SPEED,
            FOLLOW_UP,
        ] {
            for k in list {
                // forecast_accuracy is absent, not null, when no pod has a forecast.
                assert!(
                    team.get(k).is_some() || *k == "forecast_accuracy",
                    "{k} is not a key"
                );
            }
        }
    }

    #[test]
    fn complete_exports_lose_nothing() {
        let ds = dataset(Table::ALL.to_vec(), ExportGaps::default());
        assert!(unavailable(&ds).is_empty());
    }

    #[test]
    fn won_deals_without_amounts() {
        let mut gaps = ExportGaps::default();
        gaps.only_won.insert(Table::Opportunities);
        gaps.columns
            .insert((Table::Opportunities, "amount".to_string()));
        let ds = dataset(Table::ALL.to_vec(), gaps);
        let u = unavailable(&ds);
        let keys: Vec<&str> = u.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "avg_won_deal_amount",
                "closed_lost",
                "closed_win_rate",
                "closed_won_amount",
                "forecast_accuracy",
                "handoff_related_loss_share",
                "lost",
                "open_pipeline",
                "open_pipeline_amount",
                "win_rate",
                "won_amount"
            ]
        );
        assert!(u["open_pipeline"].contains("open deals are unknown"));
        assert!(u["won_amount"].contains("opportunities.amount is not exported"));
        assert!(u["lost"].contains("only won deals"));
    }

    /// Issue 21: without meetings, acceptance counts decided hand-offs and stays; time to
    /// decision needs `ae_decision_at`.
    #[test]
    fn decisions_without_meetings() {
        let ds = dataset(
            vec![Table::Reps, Table::Handoffs, Table::Opportunities],
            ExportGaps::default(),
        );
        let u = unavailable(&ds);
        for k in DECISION.iter().chain(DECISION_TIME) {
            assert!(!u.contains_key(*k), "{k}");
        }
        assert!(u["opportunities"].contains("no meetings export"));
        assert!(u["show_rate"].contains("no meetings export"));
        let mut gaps = ExportGaps::default();
        gaps.columns
            .insert((Table::Handoffs, "ae_decision_at".to_string()));
        let u = unavailable(&dataset(vec![Table::Reps, Table::Handoffs], gaps));
        assert!(!u.contains_key("acceptance_rate"));
        assert_eq!(
            u["ae_decision_hours_median"],
            "handoffs.ae_decision_at is not exported"
        );
    }

    #[test]
    fn missing_tables_and_nulls_in_json() {
        let ds = dataset(vec![Table::Reps, Table::Handoffs], ExportGaps::default());
        let u = unavailable(&ds);
        assert!(u["show_rate"].contains("no meetings export"));
        assert!(u["dials"].contains("no activities export"));
        assert!(u["one_on_one_adherence"].contains("no 1:1 export"));
        assert!(u["closed_won"].contains("no opportunities export"));
        assert!(!u.contains_key("meetings_booked"));
        let at = Utc::now();
        let m = super::super::compute(&ds, Period::default_for(at.date_naive()), at);
        let v = serde_json::to_value(&m).unwrap();
        let team = &v["current"]["team"];
        assert!(team["show_rate"].is_null() && team["dials"].is_null());
        assert_eq!(team["meetings_booked"], 0);
        assert!(team["small_sample"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| !u.contains_key(k.as_str().unwrap())));
        assert!(v["trend"][0]["team"]["closed_won"].is_null());
        assert!(v["unavailable"]["closed_won"].is_string());
    }
}
