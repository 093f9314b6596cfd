//! View helpers: figures formatted for pages, with their previous-period change and
//! small-sample flags, and the charts drawn from them. Formatting only: no metric is computed.

use serde::Serialize;

use super::charts::{
    self, Benchmark, ChartMeta, Funnel, FunnelStage, RateBar, RateBars, RateGroup,
};
pub use super::known::SMALL_MARK;
use super::known::{Known, NOT_AGE_MATCHED, NOT_COMPARABLE, NOT_EXPORTED};
use crate::error::Error;
use crate::format;
use crate::metrics::cohort::claim_label;
use crate::metrics::stats::Rate;
use crate::metrics::EntityMetrics;
use crate::prepared::Prepared;

/// One figure of a page: its value now, before, and the change.
#[derive(Debug, Clone, Serialize)]
pub struct Fig {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub previous: String,
    pub delta: String,
    pub delta_class: &'static str,
    /// Denominator under the minimum sample: shown greyed, marked * and never ranked.
    pub small: bool,
    /// The previous period's value is a small sample: marked * like `small`.
    pub previous_small: bool,
    /// Why the figure cannot be computed from these exports (empty when it can).
    pub unavailable: String,
    /// Why the change is not age-matched (empty when it is).
    pub age_note: String,
}

/// The figures, with those the exports cannot give shown as "not exported" and their reason
/// (the rule of [`Known`]): no previous value, no change, no colour, no small-sample mark.
/// When the period and the previous one cover different spans, every change reads "not
/// comparable", uncoloured.
pub fn mark_unavailable(k: Known, mut figs: Vec<Fig>) -> Vec<Fig> {
    for f in &mut figs {
        if !k.comparable() {
            f.delta = NOT_COMPARABLE.into();
            f.delta_class = "delta-flat not-comparable";
        } else if let Some(why) = k.not_age_matched(f.key) {
            // Shown, but not coloured: part of it may be timing (docs/metrics.md, "Cohort age").
            f.delta = format!("{} ({NOT_AGE_MATCHED})", f.delta);
            f.delta_class = "delta-flat not-age-matched";
            f.age_note = why.to_string();
        }
        if let Some(reason) = k.reason(f.key) {
            f.value = NOT_EXPORTED.into();
            f.previous = String::new();
            f.delta = String::new();
            f.delta_class = "delta-flat";
            f.small = false;
            f.previous_small = false;
            f.unavailable = reason.to_string();
        }
    }
    figs
}

/// Columns a table leaves out because the exports cannot give their figure: availability is
/// the project's, not a row's, so such a column would read "not exported" on every row. They
/// are named once under the table instead, grouped by reason (`hidden` in `people.html` and
/// `segment.html`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hidden {
    pub reason: String,
    /// The columns' headings, in the table's order.
    pub columns: Vec<&'static str>,
}

/// The columns `(figure key, heading)` the exports cannot give, grouped by their reason in
/// the order of their first column.
pub fn hidden_columns<'c>(
    k: Known,
    columns: impl IntoIterator<Item = (&'c str, &'static str)>,
) -> Vec<Hidden> {
    let mut hidden: Vec<Hidden> = Vec::new();
    for (key, heading) in columns {
        let Some(reason) = k.reason(key) else {
            continue;
        };
        match hidden.iter_mut().find(|h| h.reason == reason) {
            Some(h) => h.columns.push(heading),
            None => hidden.push(Hidden {
                reason: reason.to_string(),
                columns: vec![heading],
            }),
        }
    }
    hidden
}

/// Figures where a fall is good news: their arrows keep the direction, their colour flips.
const LOWER_IS_BETTER: [&str; 17] = [
    "leads_untouched",
    "leads_aging",
    "lead_speed_hours_median",
    "no_show",
    "canceled",
    "pending",
    "sla_breaches",
    "ae_never_followed_up",
    "closed_lost",
    "handoff_related_loss_share",
    "speed_to_lead_hours_median",
    "ae_follow_up_hours_median",
    "ae_follow_up_hours_p90",
    "ae_decision_hours_median",
    "ae_decision_hours_p90",
    "sales_cycle_days_median",
    "sales_cycle_days_p90",
];

/// The CSS classes of a change: direction (arrow) plus `good`/`bad` where a fall is good.
fn delta_classes(key: &str, delta: Option<f64>) -> &'static str {
    let dir = format::delta_class(delta);
    if !LOWER_IS_BETTER.contains(&key) {
        return dir;
    }
    match dir {
        "delta-up" => "delta-up bad",
        "delta-down" => "delta-down good",
        other => other,
    }
}

/// `class`, or an uncoloured change when `small` (docs/metrics.md, "small_sample").
fn uncoloured_if(small: bool, class: &'static str) -> &'static str {
    if small && class != "delta-flat" {
        "delta-flat small-change"
    } else {
        class
    }
}

/// A count figure with its change.
pub fn count(key: &'static str, label: &'static str, now: u64, before: u64) -> Fig {
    let d = now as i128 - before as i128;
    Fig {
        key,
        label,
        value: format::int(i128::from(now)),
        previous: format::int(i128::from(before)),
        delta: if d > 0 {
            format!("+{}", format::int(d))
        } else if d < 0 {
            format!("{}{}", format::MINUS, format::int(-d))
        } else {
            "±0".into()
        },
        delta_class: delta_classes(key, Some(d as f64)),
        small: false,
        previous_small: false,
        unavailable: String::new(),
        age_note: String::new(),
    }
}

/// A rate figure, `42% (21/50)`, with its change in points.
pub fn rate(key: &'static str, label: &'static str, now: &Rate, before: &Rate, min: u64) -> Fig {
    let delta = match (now.value, before.value) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    Fig {
        key,
        label,
        value: format::rate(now.value, now.num, now.den),
        previous: format::rate(before.value, before.num, before.den),
        delta: delta.map_or_else(
            || format::NOT_AVAILABLE.to_string(),
            |d| format::signed_pct(Some(d)),
        ),
        // A change involving a small sample is shown but never coloured.
        delta_class: uncoloured_if(
            now.is_small(min) || before.is_small(min),
            format::delta_class(delta),
        ),
        small: now.is_small(min),
        previous_small: before.is_small(min),
        unavailable: String::new(),
        age_note: String::new(),
    }
}

/// An amount with its change.
pub fn money(
    key: &'static str,
    label: &'static str,
    now: rust_decimal::Decimal,
    before: rust_decimal::Decimal,
    symbol: &str,
) -> Fig {
    let d = now - before;
    Fig {
        key,
        label,
        value: format::money(now, symbol),
        previous: format::money(before, symbol),
        delta: if d.is_sign_negative() && !d.is_zero() {
            format!("{}{}", format::MINUS, format::money(-d, symbol))
        } else {
            format!("+{}", format::money(d, symbol))
        },
        delta_class: if d.is_zero() {
            "delta-flat"
        } else if d.is_sign_negative() {
            "delta-down"
        } else {
            "delta-up"
        },
        small: false,
        previous_small: false,
        unavailable: String::new(),
        age_note: String::new(),
    }
}

/// An average amount with the number of deals it is over, `$750.25 (n=2)`; "n/a" without a
/// deal, and then no change.
pub fn average_money(
    key: &'static str,
    label: &'static str,
    (now, n): (Option<rust_decimal::Decimal>, u64),
    (before, before_n): (Option<rust_decimal::Decimal>, u64),
    symbol: &str,
    min: u64,
) -> Fig {
    let shown = |v: Option<rust_decimal::Decimal>| {
        v.map_or_else(
            || format::NOT_AVAILABLE.to_string(),
            |v| format::money(v, symbol),
        )
    };
    let mut fig = match (now, before) {
        (Some(a), Some(b)) => money(key, label, a, b, symbol),
        _ => Fig {
            key,
            label,
            value: String::new(),
            previous: String::new(),
            delta: format::NOT_AVAILABLE.to_string(),
            delta_class: "delta-flat",
            small: false,
            previous_small: false,
            unavailable: String::new(),
            age_note: String::new(),
        },
    };
    fig.value = format!("{} (n={n})", shown(now));
    fig.previous = shown(before);
    // An average of few deals is a small sample: marked, and its change never coloured.
    fig.small = n < min;
    fig.previous_small = before_n < min;
    fig.delta_class = uncoloured_if(fig.small || fig.previous_small, fig.delta_class);
    fig
}

/// Hours (median or p90) with the sample size in the label's place.
pub fn hours(
    key: &'static str,
    label: &'static str,
    now: Option<f64>,
    before: Option<f64>,
    counts: (u64, u64),
    min: u64,
) -> Fig {
    duration(key, label, (now, before), counts, min, format::hours)
}

/// Days (median or p90) with the sample size, like [`hours`].
pub fn days(
    key: &'static str,
    label: &'static str,
    now: Option<f64>,
    before: Option<f64>,
    counts: (u64, u64),
    min: u64,
) -> Fig {
    duration(key, label, (now, before), counts, min, format::days)
}

fn duration(
    key: &'static str,
    label: &'static str,
    (now, before): (Option<f64>, Option<f64>),
    (n, before_n): (u64, u64),
    min: u64,
    unit: fn(Option<f64>) -> String,
) -> Fig {
    let delta = match (now, before) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    Fig {
        key,
        label,
        value: format!("{} (n={n})", unit(now)),
        previous: unit(before),
        delta: delta.map_or_else(
            || format::NOT_AVAILABLE.to_string(),
            |d| {
                let s = unit(Some(d.abs()));
                if d < 0.0 {
                    format!("{}{s}", format::MINUS)
                } else {
                    format!("+{s}")
                }
            },
        ),
        // Faster is better: the arrow follows the number, the colour says a fall is good; a
        // change involving a small sample is never coloured.
        delta_class: uncoloured_if(n < min || before_n < min, delta_classes(key, delta)),
        small: n < min,
        previous_small: before_n < min,
        unavailable: String::new(),
        age_note: String::new(),
    }
}

/// The hand-off funnel figures of an entity.
pub fn funnel_figs(
    k: Known,
    c: &EntityMetrics,
    p: &EntityMetrics,
    min: u64,
    symbol: &str,
) -> Vec<Fig> {
    let (a, b) = (&c.cohort, &p.cohort);
    let figs = vec![
        count(
            "meetings_booked",
            "Meetings booked (hand-offs)",
            a.meetings_booked,
            b.meetings_booked,
        ),
        count("held", "Held", a.held, b.held),
        count("no_show", "No-show", a.no_show, b.no_show),
        count("canceled", "Canceled", a.canceled, b.canceled),
        count("pending", "Meeting pending", a.pending, b.pending),
        rate("show_rate", "Show rate", &a.show_rate, &b.show_rate, min),
        count("accepted", "Accepted by the AE", a.accepted, b.accepted),
        rate(
            "acceptance_rate",
            if k.acceptance_over_decided() && k.has("acceptance_rate") {
                "Acceptance rate (decided hand-offs, no meetings export)"
            } else {
                "Acceptance rate"
            },
            &a.acceptance_rate,
            &b.acceptance_rate,
            min,
        ),
        count(
            "opportunities",
            "Opportunities",
            a.opportunities,
            b.opportunities,
        ),
        rate(
            "opportunity_rate",
            "Opportunity rate",
            &a.opportunity_rate,
            &b.opportunity_rate,
            min,
        ),
        count("won", "Hand-offs won", a.won, b.won),
        rate("win_rate", "Win rate", &a.win_rate, &b.win_rate, min),
        money(
            "won_amount",
            "Hand-offs won, amount",
            a.won_amount,
            b.won_amount,
            symbol,
        ),
        rate(
            "handoff_to_win",
            "Hand-off to win",
            &a.handoff_to_win,
            &b.handoff_to_win,
            min,
        ),
    ];
    mark_unavailable(k, figs)
}

/// Hand-off quality figures of an entity.
pub fn quality_figs(k: Known, c: &EntityMetrics, p: &EntityMetrics, min: u64) -> Vec<Fig> {
    let (a, b) = (&c.cohort, &p.cohort);
    let figs = vec![
        rate(
            "doc_completeness",
            "Documentation completeness",
            &a.doc_completeness,
            &b.doc_completeness,
            min,
        ),
        rate(
            "sales_ready_share",
            "Sales-ready share",
            &a.sales_ready_share,
            &b.sales_ready_share,
            min,
        ),
        rate(
            "acceptance_rate_complete",
            "Acceptance, complete notes",
            &a.acceptance_rate_complete,
            &b.acceptance_rate_complete,
            min,
        ),
        rate(
            "acceptance_rate_incomplete",
            "Acceptance, incomplete notes",
            &a.acceptance_rate_incomplete,
            &b.acceptance_rate_incomplete,
            min,
        ),
        rate(
            "acceptance_rate_sales_ready",
            "Acceptance, sales-ready",
            &a.acceptance_rate_sales_ready,
            &b.acceptance_rate_sales_ready,
            min,
        ),
        rate(
            "acceptance_rate_not_sales_ready",
            "Acceptance, not sales-ready",
            &a.acceptance_rate_not_sales_ready,
            &b.acceptance_rate_not_sales_ready,
            min,
        ),
        hours(
            "speed_to_lead_hours_median",
            "Speed to lead, median",
            a.speed_to_lead_hours_median,
            b.speed_to_lead_hours_median,
            (a.speed_to_lead_hours_n, b.speed_to_lead_hours_n),
            min,
        ),
        hours(
            "ae_follow_up_hours_median",
            "AE follow-up, median",
            a.ae_follow_up_hours_median,
            b.ae_follow_up_hours_median,
            (a.ae_follow_up_hours_n, b.ae_follow_up_hours_n),
            min,
        ),
        hours(
            "ae_follow_up_hours_p90",
            "AE follow-up, 90th percentile",
            a.ae_follow_up_hours_p90,
            b.ae_follow_up_hours_p90,
            (a.ae_follow_up_hours_n, b.ae_follow_up_hours_n),
            min,
        ),
        hours(
            "ae_decision_hours_median",
            "Time to decision, median",
            a.ae_decision_hours_median,
            b.ae_decision_hours_median,
            (a.ae_decision_hours_n, b.ae_decision_hours_n),
            min,
        ),
        hours(
            "ae_decision_hours_p90",
            "Time to decision, 90th percentile",
            a.ae_decision_hours_p90,
            b.ae_decision_hours_p90,
            (a.ae_decision_hours_n, b.ae_decision_hours_n),
            min,
        ),
        count(
            "sla_breaches",
            "SLA breaches",
            a.sla_breaches,
            b.sla_breaches,
        ),
        count(
            "ae_never_followed_up",
            "Never followed up",
            a.ae_never_followed_up,
            b.ae_never_followed_up,
        ),
        rate(
            "message_continuity",
            "Message continuity",
            &a.message_continuity,
            &b.message_continuity,
            min,
        ),
    ];
    mark_unavailable(k, figs)
}

/// Activity figures (event rule); empty when the entity has none.
pub fn activity_figs(k: Known, c: &EntityMetrics, p: &EntityMetrics, min: u64) -> Vec<Fig> {
    let figs = match (&c.activity, &p.activity) {
        (Some(a), Some(b)) => vec![
            count("dials", "Dials", a.dials, b.dials),
            count(
                "conversations",
                "Conversations",
                a.conversations,
                b.conversations,
            ),
            rate(
                "connect_rate",
                "Connect rate",
                &a.connect_rate,
                &b.connect_rate,
                min,
            ),
            count("emails", "Emails", a.emails, b.emails),
            count(
                "social_touches",
                "Social touches",
                a.social_touches,
                b.social_touches,
            ),
            count(
                "new_prospects",
                "New prospects",
                a.new_prospects,
                b.new_prospects,
            ),
        ],
        _ => Vec::new(),
    };
    mark_unavailable(k, figs)
}

/// The lead funnel figures of a team, pod or SDR (docs/metrics.md, "Leads"); none for an
/// entity without lead figures or a project without leads.csv (its pages leave the section out).
pub fn lead_figs(k: Known, c: &EntityMetrics, p: &EntityMetrics, min: u64) -> Vec<Fig> {
    let figs = match (&c.leads, &p.leads) {
        (Some(a), Some(b)) => vec![
            count(
                "leads_assigned",
                "Leads assigned",
                a.leads_assigned,
                b.leads_assigned,
            ),
            count(
                "leads_worked",
                "Leads worked",
                a.leads_worked,
                b.leads_worked,
            ),
            count(
                "leads_untouched",
                "Leads untouched",
                a.leads_untouched,
                b.leads_untouched,
            ),
            count("leads_aging", "Leads aging", a.leads_aging, b.leads_aging),
            count(
                "leads_disqualified",
                "Leads disqualified",
                a.leads_disqualified,
                b.leads_disqualified,
            ),
            count(
                "leads_converted",
                "Leads converted to a hand-off",
                a.leads_converted,
                b.leads_converted,
            ),
            rate(
                "lead_to_meeting",
                "Lead-to-meeting conversion",
                &a.lead_to_meeting,
                &b.lead_to_meeting,
                min,
            ),
            hours(
                "lead_speed_hours_median",
                "Speed to lead, every lead (median)",
                a.lead_speed_hours_median,
                b.lead_speed_hours_median,
                (a.lead_speed_hours_n, b.lead_speed_hours_n),
                min,
            ),
        ],
        _ => Vec::new(),
    };
    mark_unavailable(k, figs)
}

/// A reason leads were disqualified for, with how many (`lead_reasons` in templates).
#[derive(Debug, Clone, Serialize)]
pub struct ReasonCount {
    /// As exported (CRM text: templates escape it).
    pub reason: String,
    pub leads: u64,
}

/// `leads_disqualified_by_reason` of a team, pod or SDR, most leads first (then by reason);
/// empty when the entity has no lead figures or the export has no `disqualified_reason`.
pub fn lead_reasons(k: Known, c: &EntityMetrics) -> Vec<ReasonCount> {
    let Some(l) = c
        .leads
        .as_ref()
        .filter(|_| k.has("leads_disqualified_by_reason"))
    else {
        return Vec::new();
    };
    let mut out: Vec<ReasonCount> = l
        .leads_disqualified_by_reason
        .iter()
        .map(|(reason, n)| ReasonCount {
            reason: reason.clone(),
            leads: *n,
        })
        .collect();
    out.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.reason.cmp(&b.reason)));
    out
}

/// Closed-by-date figures.
pub fn closed_figs(
    k: Known,
    c: &EntityMetrics,
    p: &EntityMetrics,
    min: u64,
    symbol: &str,
) -> Vec<Fig> {
    let (a, b) = (&c.closed, &p.closed);
    let figs = vec![
        count("closed_won", "Deals closed won", a.closed_won, b.closed_won),
        count(
            "closed_lost",
            "Deals closed lost",
            a.closed_lost,
            b.closed_lost,
        ),
        money(
            "closed_won_amount",
            "Revenue closed won",
            a.closed_won_amount,
            b.closed_won_amount,
            symbol,
        ),
        rate(
            "handoff_related_loss_share",
            "Hand-off related losses",
            &a.handoff_related_loss_share,
            &b.handoff_related_loss_share,
            min,
        ),
        rate(
            "closed_win_rate",
            "Win rate by close date",
            &a.closed_win_rate,
            &b.closed_win_rate,
            min,
        ),
        average_money(
            "avg_won_deal_amount",
            "Average deal won",
            (a.avg_won_deal_amount, a.closed_won),
            (b.avg_won_deal_amount, b.closed_won),
            symbol,
            min,
        ),
        days(
            "sales_cycle_days_median",
            "Sales cycle, median",
            a.sales_cycle_days_median,
            b.sales_cycle_days_median,
            (a.sales_cycle_days_n, b.sales_cycle_days_n),
            min,
        ),
        days(
            "sales_cycle_days_p90",
            "Sales cycle, 90th percentile",
            a.sales_cycle_days_p90,
            b.sales_cycle_days_p90,
            (a.sales_cycle_days_n, b.sales_cycle_days_n),
            min,
        ),
        count(
            "open_pipeline",
            "Open pipeline, deals",
            a.open_pipeline,
            b.open_pipeline,
        ),
        money(
            "open_pipeline_amount",
            "Open pipeline, amount",
            a.open_pipeline_amount,
            b.open_pipeline_amount,
            symbol,
        ),
    ];
    mark_unavailable(k, figs)
}

/// The funnel chart of an entity and its data rows. A stage the exports cannot give is left
/// out of the chart and written "not exported" with its reason in the rows; when none can be
/// given, the chart is the note of [`Known::chart`].
pub fn funnel_chart(
    k: Known,
    id: &str,
    who: &str,
    m: &EntityMetrics,
) -> Result<(String, Vec<Vec<String>>), Error> {
    let c = &m.cohort;
    // A rate on a small sample ends with the site's one mark, " *" (the chart's data table
    // shows it as the marker).
    let note = |key: &str, text: String| {
        k.has(key).then(|| {
            if m.small_sample.contains(&key) {
                text + SMALL_MARK
            } else {
                text
            }
        })
    };
    let stages = [
        ("Booked", "meetings_booked", c.meetings_booked, None),
        (
            "Held",
            "held",
            c.held,
            note(
                "show_rate",
                format::rate(c.show_rate.value, c.show_rate.num, c.show_rate.den) + " show",
            ),
        ),
        (
            "Accepted",
            "accepted",
            c.accepted,
            note(
                "acceptance_rate",
                format::pct(c.acceptance_rate.value, 0) + " of decided",
            ),
        ),
        (
            "Opportunity",
            "opportunities",
            c.opportunities,
            note(
                "opportunity_rate",
                format::pct(c.opportunity_rate.value, 0) + " of held",
            ),
        ),
        (
            "Hand-offs won",
            "won",
            c.won,
            note("win_rate", format::pct(c.win_rate.value, 0) + " win rate"),
        ),
    ];
    let known: Vec<_> = stages.iter().filter(|s| k.has(s.1)).collect();
    // "7 meetings booked, 4 held, ...": each stage as the sentence names it.
    let told: Vec<String> = known
        .iter()
        .map(|(_, key, n, _)| match *key {
            "meetings_booked" => format!("{n} meetings booked"),
            "held" => format!("{n} held"),
            "accepted" => format!("{n} accepted by the AE"),
            "opportunities" => format!("{n} became opportunities"),
            _ => format!("{n} of them won"),
        })
        .collect();
    let missing: Vec<&str> = stages.iter().filter(|s| !k.has(s.1)).map(|s| s.0).collect();
    let svg = if known.is_empty() {
        Known::note(k.reason("meetings_booked").unwrap_or_default())
    } else {
        charts::funnel(&Funnel {
            meta: ChartMeta {
                id: id.into(),
                title: format!("Hand-off funnel, {who}"),
                description: format!(
                    "{}.{}",
                    told.join(", "),
                    if missing.is_empty() {
                        String::new()
                    } else {
                        format!(" {} not exported.", missing.join(", "))
                    }
                ),
            },
            stages: known
                .iter()
                .map(|(l, _, n, note)| FunnelStage {
                    label: (*l).into(),
                    count: *n,
                    note: note.clone(),
                })
                .collect(),
        })?
    };
    let rows = stages
        .iter()
        .map(|(l, key, n, note)| match k.reason(key) {
            Some(why) => vec![(*l).to_string(), NOT_EXPORTED.to_string(), why.to_string()],
            None => vec![
                (*l).to_string(),
                format::int(i128::from(*n)),
                note.clone().unwrap_or_default(),
            ],
        })
        .collect();
    Ok((svg, rows))
}

/// Show rate warm versus cold with Wilson intervals, each in its own colour, and over the warm
/// bar a dashed line where it would stand if the playbook's claimed lift `claim` held: the cold
/// rate × (1 + claim), at most 100%. When the exports cannot give it, the chart is the note and
/// the rows say "not exported".
pub fn warm_cold_chart(
    k: Known,
    id: &str,
    m: &EntityMetrics,
    claim: f64,
) -> Result<(String, Vec<Vec<String>>), Error> {
    if let Some(why) = k.any(&["show_rate_warm", "show_rate_cold"]) {
        let row = |l: &str| vec![l.to_string(), NOT_EXPORTED.to_string(), why.to_string()];
        return Ok((Known::note(why), vec![row("Warm"), row("Cold")]));
    }
    let c = &m.cohort;
    let bar = |r: &Rate, ci: Option<[f64; 2]>| RateBar {
        rate: r.value,
        ci: ci.map(|[l, h]| (l, h)),
        n: r.den,
    };
    let benchmark = c.show_rate_cold.value.map(|v| {
        let expected = (v * (1.0 + claim)).min(1.0);
        Benchmark {
            label: format!(
                "Warm if the playbook's {} over cold holds: {}",
                claim_label(claim),
                format::pct(Some(expected), 0)
            ),
            value: expected,
            group: Some(0),
        }
    });
    let svg = charts::rate_bars(&RateBars {
        meta: ChartMeta {
            id: id.into(),
            title: "Show rate, warm versus cold hand-offs".into(),
            description: format!(
                "Warm {} and cold {}, with 95% intervals; the dashed line over the warm bar is the cold rate raised by the playbook's {}.",
                format::rate(c.show_rate_warm.value, c.show_rate_warm.num, c.show_rate_warm.den),
                format::rate(c.show_rate_cold.value, c.show_rate_cold.num, c.show_rate_cold.den),
                claim_label(claim)
            ),
        },
        group_colors: true,
        series: vec!["Show rate".into()],
        groups: vec![
            RateGroup {
                label: "Warm".into(),
                bars: vec![bar(&c.show_rate_warm, c.show_rate_warm_ci)],
            },
            RateGroup {
                label: "Cold".into(),
                bars: vec![bar(&c.show_rate_cold, c.show_rate_cold_ci)],
            },
        ],
        benchmark,
    })?;
    let ci = |x: Option<[f64; 2]>| {
        x.map_or_else(
            || format::NOT_AVAILABLE.to_string(),
            |[l, h]| format!("{}–{}", format::pct(Some(l), 0), format::pct(Some(h), 0)),
        )
    };
    // A small sample ends with the site's one mark (see SMALL_MARK).
    let mark = |key: &str| {
        if m.small_sample.contains(&key) {
            SMALL_MARK
        } else {
            ""
        }
    };
    let rows = vec![
        vec![
            "Warm".into(),
            format::rate(
                c.show_rate_warm.value,
                c.show_rate_warm.num,
                c.show_rate_warm.den,
            ) + mark("show_rate_warm"),
            ci(c.show_rate_warm_ci),
        ],
        vec![
            "Cold".into(),
            format::rate(
                c.show_rate_cold.value,
                c.show_rate_cold.num,
                c.show_rate_cold.den,
            ) + mark("show_rate_cold"),
            ci(c.show_rate_cold_ci),
        ],
    ];
    Ok((svg, rows))
}

/// The playbook's claimed warm lift (`warm_lift_claim` of handoff.yaml).
pub fn claim(p: &Prepared) -> f64 {
    p.loaded.dataset.playbook.handoff.warm_lift_claim
}

/// The warm-lift sentence: the team's own evidence on the playbook's claimed lift `claim`.
pub fn lift_sentence(k: Known, m: &EntityMetrics, claim: f64) -> String {
    if let Some(why) = k.reason("warm_lift") {
        return format!("Warm lift {NOT_EXPORTED} ({why}).");
    }
    let c = &m.cohort;
    let lift = c.warm_lift.map_or_else(
        || "n/a".to_string(),
        |l| format::signed_pct(Some(l)).replace(" pts", "%"),
    );
    let ci = c.warm_lift_ci.map_or_else(String::new, |[l, h]| {
        format!(
            " (95% interval {} to {})",
            format::signed_pct(Some(l)).replace(" pts", "%"),
            format::signed_pct(Some(h)).replace(" pts", "%")
        )
    });
    let verdict = c.warm_lift_verdict.as_str();
    let meaning = if verdict.starts_with("consistent with ") {
        "our data supports the playbook's claim".to_string()
    } else if verdict.starts_with("larger than ") || verdict.starts_with("smaller than ") {
        format!("our data contradicts the playbook's {}", claim_label(claim))
    } else {
        "our data cannot tell yet".to_string()
    };
    format!(
        "Warm lift {lift}{ci}: {}, so {meaning}.",
        c.warm_lift_verdict
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// issue 20, section 3: a change is never coloured when either side is a small sample,
    /// and the previous period's small sample is marked like the current one's.
    #[test]
    fn a_change_with_a_small_sample_on_either_side_is_not_coloured() {
        // 12/20 = 60% now (20 ≥ 10), 1/4 = 25% before (4 < 10): +35 pts, uncoloured.
        let f = rate(
            "show_rate",
            "Show rate",
            &Rate::new(12, 20),
            &Rate::new(1, 4),
            10,
        );
        assert!(!f.small && f.previous_small);
        assert_eq!(f.delta, format::signed_pct(Some(0.6 - 0.25)));
        assert!(!f.delta_class.contains("delta-up"), "{}", f.delta_class);
        // Both sides at least 10: coloured as before.
        let f = rate(
            "show_rate",
            "Show rate",
            &Rate::new(12, 20),
            &Rate::new(5, 10),
            10,
        );
        assert_eq!(
            (f.small, f.previous_small, f.delta_class),
            (false, false, "delta-up")
        );
        // Hours: the previous median of 3 values (3 < 10) leaves the change uncoloured.
        let f = hours(
            "ae_follow_up_hours_median",
            "AE follow-up, median",
            Some(2.0),
            Some(5.0),
            (12, 3),
            10,
        );
        assert!(!f.small && f.previous_small);
        assert!(!f.delta_class.contains("good"), "{}", f.delta_class);
    }
}
