//! The living playbook (Markdown pages plus pages generated from the YAML the numbers are
//! checked against), the comp page and the metrics glossary.

use serde::Serialize;
use tera::Context;

use super::charts;
use super::links::Links;
use super::site::Writer;
use crate::error::Error;
use crate::format;
use crate::playbook::comp::Unit;
use crate::prepared::Prepared;

/// Every metric term with the definition pages link to (docs/metrics.md has the full text).
pub const GLOSSARY: &[(&str, &str, &str)] = &[
    ("meetings_booked", "Meetings booked", "Hand-offs whose handoff_at falls in the period (cohort rule)."),
    ("held", "Held", "Hand-offs with at least one meeting held, as known at as-of."),
    ("no_show", "No-show", "Hand-offs whose meetings include a no-show and none held, as known at as-of."),
    ("canceled", "Canceled", "Hand-offs whose meetings include a canceled one and none held or no-show."),
    ("pending", "Pending", "Hand-offs with no meeting, or only scheduled or rescheduled ones, at as-of: not attendance yet."),
    ("show_rate", "Show rate", "Held / (held + no-show). Canceled meetings and meetings still pending (not yet held, no-show or canceled) are not attendance."),
    ("acceptance_rate", "Acceptance rate", "Held hand-offs the AE accepted / (accepted + rejected). Decisions on meetings that were not held are ignored. Without a meetings export, every decided hand-off counts (the page says so beside the figure)."),
    ("accepted", "Accepted", "Held hand-offs the AE accepted (every decided hand-off without a meetings export)."),
    ("acceptance_rate_complete", "Acceptance, complete notes", "Acceptance rate over held hand-offs whose documentation is complete (completeness 1.0)."),
    ("acceptance_rate_incomplete", "Acceptance, incomplete notes", "Acceptance rate over held hand-offs whose documentation is incomplete."),
    ("acceptance_rate_sales_ready", "Acceptance, sales-ready", "Acceptance rate over held hand-offs that meet the playbook's sales-ready rule."),
    ("acceptance_rate_not_sales_ready", "Acceptance, not sales-ready", "Acceptance rate over held hand-offs that do not meet the playbook's sales-ready rule."),
    ("opportunity_rate", "Opportunity rate", "Held hand-offs with an opportunity / held."),
    ("opportunities", "Opportunities", "Held hand-offs with at least one opportunity."),
    ("won", "Hand-offs won", "The period's hand-offs (cohort rule) that were held and whose opportunity was won by as-of, whenever it closed; not the deals closed won in the period."),
    ("won_amount", "Hand-offs won, amount", "Sum of the amounts of the hand-offs won."),
    ("win_rate", "Win rate", "Hand-offs won / (won + lost) opportunities of held hand-offs."),
    ("handoff_to_win", "Hand-off to win", "Hand-offs won / meetings booked."),
    ("show_rate_warm", "Show rate, warm", "Show rate over warm hand-offs, with a 95% Wilson interval."),
    ("warm_lift", "Warm lift", "Warm show rate / cold show rate − 1, with a 95% Katz interval; compared with the playbook's +40%."),
    ("doc_completeness", "Documentation completeness", "Documented sections / required sections over all hand-offs of the period."),
    ("sales_ready_share", "Sales-ready share", "Hand-offs meeting the playbook's sales-ready rule / hand-offs."),
    ("speed_to_lead_hours_median", "Speed to lead", "Hours from lead creation to the SDR's first touch (median, 90th percentile)."),
    ("leads_assigned", "Leads", "Leads of leads.csv created in the period (cohort rule), by owner."),
    ("leads_worked", "Leads worked", "Leads touched at least once: a first touch exported, or an activity (call, email, social touch) naming the lead."),
    ("leads_untouched", "Leads untouched", "Leads assigned − leads worked."),
    ("leads_aging", "Leads aging", "Untouched leads created more than the playbook's lead_aging_days before the moment."),
    ("leads_disqualified", "Leads disqualified", "Leads with a disqualification reason, counted per reason as exported."),
    ("leads_converted", "Leads converted", "Leads that converted to a hand-off."),
    ("lead_to_meeting", "Lead to meeting", "Leads converted / leads assigned (a hand-off is a booked first meeting)."),
    ("lead_speed_hours_median", "Speed to lead, every lead", "Hours from a lead's creation to its first exported touch, over every lead of the cohort with one (median, 90th percentile); untouched leads are not in it."),
    ("ae_follow_up_hours_median", "AE follow-up", "Hours from hand-off to the AE's first contact; hand-offs never contacted are left out and counted as SLA breaches."),
    ("ae_follow_up_hours_p90", "AE follow-up, 90th percentile", "The 90th percentile of the hours from hand-off to the AE's first contact; see AE follow-up."),
    ("ae_decision_hours_median", "Time to decision", "Hours from hand-off to the AE's decision (ae_decision_at), over accepted and rejected hand-offs whose decision counts in acceptance (median, 90th percentile)."),
    ("ae_decision_hours_p90", "Time to decision, 90th percentile", "The 90th percentile of the hours from hand-off to the AE's decision; see Time to decision."),
    ("sla_breaches", "SLA breaches", "Hand-offs whose first AE contact came strictly later than the SLA, or has not come although the SLA has run out."),
    ("ae_never_followed_up", "Never followed up", "Hand-offs with no AE contact by as-of, the SLA having run out."),
    ("sla_met", "Followed up within SLA", "Hand-offs the AE first contacted within the SLA / hand-offs; the complement of the SLA breaches."),
    ("message_continuity", "Message continuity", "Among held hand-offs with both pain points filled, the share where the AE's matches the SDR's (case and spacing ignored)."),
    ("dials", "Dials", "Calls by the local date of the activity (event rule); pod and team totals count SDRs and BDRs."),
    ("connect_rate", "Connect rate", "Conversations (connected calls) / dials."),
    ("conversations", "Conversations", "Calls with the outcome connected."),
    ("emails", "Emails", "Activities of type email, by local date."),
    ("social_touches", "Social touches", "Activities of type social, by local date."),
    ("new_prospects", "New prospects", "Activities of type prospect_added, by local date."),
    ("closed_won", "Deals closed won", "Opportunities won whose close date falls in the period (event rule), whichever period their hand-off was in; not the hand-offs won."),
    ("closed_won_amount", "Revenue closed won", "Sum of the amounts of the deals closed won in the period."),
    ("closed_lost", "Deals closed lost", "Opportunities lost whose close date falls in the period (event rule)."),
    ("handoff_related_loss_share", "Hand-off related losses", "Closed-lost opportunities whose loss reason the playbook marks as hand-off related / closed-lost."),
    ("closed_win_rate", "Win rate by close date", "Deals closed won / (won + lost) among the deals whose close date falls in the period (event rule), with the counts."),
    ("avg_won_deal_amount", "Average deal won", "Revenue closed won / deals closed won in the period, to the cent; n/a without a deal won."),
    ("sales_cycle_days_median", "Sales cycle", "Days from an opportunity's creation (its local date) to its close date, over the deals closed won in the period (median, 90th percentile, with their number)."),
    ("sales_cycle_days_p90", "Sales cycle, 90th percentile", "The 90th percentile of the sales cycle; see Sales cycle."),
    ("open_pipeline", "Open pipeline", "Opportunities created and not yet won or lost at the period's last moment, or at as-of when the period runs past it, with the sum of their amounts."),
    ("open_pipeline_amount", "Open pipeline, amount", "The sum of the amounts of the open pipeline's deals."),
    ("forecast_accuracy", "Forecast accuracy", "1 − |actual − forecast| / actual, clamped at 0; actual is the closed-won amount."),
    ("to_date", "To date, data from", "A period the data covers only in part: \"to date, data to D\" when as-of falls inside it, \"data from D\" when the data starts inside it (the first hand-off, meeting, opportunity, activity or 1:1). A period the data does not cover at all is refused unless --allow-empty is given."),
    ("not_comparable", "Not comparable", "A change between the period and the previous one when the data does not cover both alike (one whole and one partial, or partial over different days); their figures are shown, their differences are not."),
    ("at_the_same_age", "At the same age", "The previous period's hand-off figures (held, accepted, opportunities, wins, follow-up...) as they were known when its hand-offs were as old as this period's are at as-of: outcomes that had happened by the previous period's end plus (as-of − this period's end), by meeting slot, first contact, decision time (ae_decision_at), opportunity creation and close date. Changes compare with these, so a recent cohort's unfinished meetings are not read as a fall. metrics.json keeps the plain previous period beside them."),
    ("not_age_matched", "Not age-matched", "A change whose previous value could not be taken at the same age because a timestamp it needs is not exported (acceptance without ae_decision_at): shown, uncoloured."),
    ("one_on_one_adherence", "1:1 adherence", "Sum over pairings of min(held, expected) / sum of expected; expected = working days both employed / 5 (weekly)."),
];

/// A statement as the comp page lists it: `link` leads to the statement itself (the rep page's
/// `#comp`, or `#statement-N` on the comp page for a rep without a page).
#[derive(Serialize)]
struct StatementLine<'a> {
    rep_name: &'a str,
    link: String,
    plan: &'a str,
    payout_period: String,
    partial: bool,
    closed_on: Option<String>,
    earned: String,
    adjustments: Option<String>,
    total: String,
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    href: String,
    source: String,
}

pub fn write_all(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let pb = &p.loaded.dataset.playbook;
    let mut pages = Vec::new();
    for page in &pb.pages {
        let mut ctx = Context::new();
        ctx.insert("body", &page.html);
        ctx.insert("source", &page.source);
        w.page(
            &format!("playbook/{}.html", page.slug),
            "playbook_page.html",
            &page.title,
            "playbook",
            ctx,
        )?;
        pages.push(PageLink {
            title: page.title.clone(),
            href: format!("{}.html", page.slug),
            source: page.source.clone(),
        });
    }
    let generated = [
        (
            "qualification",
            "Qualification framework",
            "playbook_qualification.html",
        ),
        (
            "handoff-rules",
            "Hand-off checklist and warm hand-off protocol",
            "playbook_handoff.html",
        ),
        ("one-on-one", "Weekly SDR-AE 1:1", "playbook_meetings.html"),
    ];
    for (slug, title, template) in generated {
        if pb.pages.iter().any(|x| x.slug == slug) {
            continue;
        }
        let mut ctx = Context::new();
        ctx.insert("playbook", pb);
        w.page(
            &format!("playbook/{slug}.html"),
            template,
            title,
            "playbook",
            ctx,
        )?;
    }
    let mut ctx = Context::new();
    ctx.insert("pages", &pages);
    ctx.insert(
        "generated",
        &generated
            .iter()
            .map(|(s, t, _)| PageLink {
                title: (*t).into(),
                href: format!("{s}.html"),
                source: "playbook/*.yaml".into(),
            })
            .collect::<Vec<_>>(),
    );
    w.page(
        "playbook/index.html",
        "playbook_index.html",
        "Playbook",
        "playbook",
        ctx,
    )?;

    let mut ctx = Context::new();
    ctx.insert(
        "terms",
        &GLOSSARY
            .iter()
            .map(|(k, t, d)| serde_json::json!({ "key": k, "term": t, "definition": d }))
            .collect::<Vec<_>>(),
    );
    w.page(
        "glossary.html",
        "glossary.html",
        "Metrics glossary",
        "glossary",
        ctx,
    )?;
    comp(p, links, w)
}

/// Each component's payout curve: the factor (payout as a share of on-target pay) at every 10
/// points of attainment from 0 to 200%, from the same `curve_factor` statements use.
fn curve_chart(plan: &crate::playbook::comp::Plan, index: usize) -> Result<String, Error> {
    let points: Vec<rust_decimal::Decimal> = (0..=20)
        .map(|k| rust_decimal::Decimal::new(k * 10, 2))
        .collect();
    charts::trend(&charts::Trend {
        meta: charts::ChartMeta {
            id: format!("curve-{}", index + 1),
            title: format!("Payout curve of {}", plan.name),
            description: "Payout as a share of on-target pay (vertical) at each attainment from 0 to 200% (horizontal), one line per component: zero below the threshold, the decelerator, linear to 100%, the accelerator tiers, the cap.".into(),
        },
        months: points
            .iter()
            .map(|a| format::pct(rust_decimal::prelude::ToPrimitive::to_f64(a), 0))
            .collect(),
        series: plan
            .components
            .iter()
            .map(|c| charts::TrendSeries {
                name: c.metric.as_str().to_string(),
                values: points
                    .iter()
                    .map(|a| {
                        let (f, _) = crate::comp::curve_factor(*a, &c.curve);
                        rust_decimal::prelude::ToPrimitive::to_f64(&f)
                    })
                    .collect(),
            })
            .collect(),
        format: charts::ValueFormat::Percent,
        benchmark: None,
        markers: Vec::new(),
    })
}

/// The comp page: the plans, and as far as site.yaml's `comp: {publish}` allows, every
/// statement (`individual`) or the team's total only (`team`); no page at all for `none`.
fn comp(p: &Prepared, links: &Links, w: &mut Writer) -> Result<(), Error> {
    let publish = p.loaded.dataset.playbook.site.comp.publish;
    if publish == crate::playbook::Publish::None {
        return Ok(());
    }
    let individual = publish == crate::playbook::Publish::Individual;
    let sym = w.site.currency.clone();
    let digits = w.site.minor_units;
    let money = |d: rust_decimal::Decimal| format::money_in(d, &sym, digits);
    let plans = &p.loaded.dataset.playbook.comp.plans;
    let plan_views = plans
        .iter()
        .enumerate()
        .map(|(i, plan)| -> Result<serde_json::Value, Error> {
            let comps: Vec<serde_json::Value> = plan
                .components
                .iter()
                .map(|c| {
                    let what_if: Vec<serde_json::Value> = crate::comp::what_if(plan, c, digits)
                        .iter()
                        .map(|x| serde_json::json!({
                            "attainment": format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&x.attainment), 0),
                            "step": x.step, "factor": format::decimal(x.factor, 4),
                            "payout": money(x.payout),
                        }))
                        .collect();
                    serde_json::json!({
                        "metric": c.metric.as_str(), "label": c.label(), "category": c.category,
                        "scope": c.scope().as_str(),
                        "weight": format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&c.weight), 0),
                        "target": match c.metric.unit() {
                            Unit::Count => format::count(c.target),
                            Unit::Money => money(c.target),
                            Unit::Share => format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&c.target), 1),
                        },
                        "threshold": format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&c.curve.threshold), 0),
                        "accelerator": format::decimal(c.curve.accelerator, 2),
                        "steps": (!c.curve.tiers.is_empty()).then(|| {
                            let steps: Vec<String> = c.curve.tiers.iter().map(|t| format!(
                                "{}× from {}",
                                format::count(t.rate),
                                format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&t.from), 0)
                            )).collect();
                            let retro = if c.curve.retroactive { " (retroactive)" } else { "" };
                            format!("{}{retro}", steps.join(", "))
                        }),
                        "decelerator": c.curve.decelerator.as_ref().map(|d| format!(
                            "{}× below {}",
                            format::count(d.rate),
                            format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&d.below), 0)
                        )),
                        "cap": format::pct(rust_decimal::prelude::ToPrimitive::to_f64(&c.curve.cap), 0),
                        "points": c.points, "what_if": what_if,
                    })
                })
                .collect();
            Ok(serde_json::json!({
                "name": plan.name, "roles": plan.roles, "reps": plan.reps,
                "effective_from": plan.effective_from, "effective_to": plan.effective_to,
                "base_salary": money(plan.base_salary),
                "annual_variable": money(plan.annual_variable),
                "ote": money(plan.base_salary + plan.annual_variable),
                "payout_period": plan.payout_period, "components": comps,
                "curve_svg": curve_chart(plan, i)?,
                "page": links.plan.get(i),
            }))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let total: rust_decimal::Decimal = p.comp.statements.iter().map(|s| s.total).sum();
    if !individual {
        // The team's total and how many statements make it; no rep's name beside an amount.
        let reps: std::collections::BTreeSet<&str> = p
            .comp
            .statements
            .iter()
            .map(|s| s.rep_id.as_str())
            .collect();
        let mut ctx = Context::new();
        ctx.insert("plans", &plan_views);
        ctx.insert("statement_count", &p.comp.statements.len());
        ctx.insert("rep_count", &reps.len());
        ctx.insert("uncovered", &p.comp.uncovered);
        ctx.insert("warning_count", &p.comp.warnings.len());
        ctx.insert("total", &money(total));
        return w.page("comp.html", "comp.html", "Comp", "comp", ctx);
    }
    let mut names: Vec<String> = Vec::new();
    for s in &p.comp.statements {
        let adjustments = s.adjustments.iter().map(|a| a.kind.as_str());
        for n in s.lines.iter().map(|l| l.metric.as_str()).chain(adjustments) {
            let n = n.replace('_', " ");
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    let one_period = p
        .comp
        .statements
        .windows(2)
        .all(|w| w[0].payout_period == w[1].payout_period);
    let stacked = charts::stacked(&charts::Stacked {
        meta: charts::ChartMeta {
            id: "comp-chart".into(),
            title: "Variable pay by component".into(),
            description: "Each rep's payout for the period, stacked by plan component.".into(),
        },
        currency: sym.clone(),
        digits,
        components: names.clone(),
        rows: p
            .comp
            .statements
            .iter()
            .map(|s| charts::StackedRow {
                label: if one_period {
                    s.rep_name.clone()
                } else {
                    format!("{} ({})", s.rep_name, s.payout_period.label())
                },
                values: names
                    .iter()
                    .map(|n| {
                        let lines = s
                            .lines
                            .iter()
                            .filter(|l| &l.metric.as_str().replace('_', " ") == n)
                            .map(|l| l.payout);
                        let adjustments = s
                            .adjustments
                            .iter()
                            .filter(|a| &a.kind.as_str().replace('_', " ") == n)
                            .map(|a| a.amount);
                        lines.chain(adjustments).sum()
                    })
                    .collect(),
            })
            .collect(),
    })?;
    // One line per statement, the statement itself on the rep's page; in full here only for a
    // rep without a page (a manager on a plan), so every statement is shown once with its rows.
    let mut statements = Vec::with_capacity(p.comp.statements.len());
    let mut detailed = Vec::new();
    for (i, s) in p.comp.statements.iter().enumerate() {
        if super::links::rep_link(p, links, &s.rep_id, s.role).is_none() {
            detailed.push(super::statements::view(p, links, i, &sym));
        }
        let adjustments: rust_decimal::Decimal = s.adjustments.iter().map(|a| a.amount).sum();
        statements.push(StatementLine {
            rep_name: &s.rep_name,
            link: links.statement[i].clone(),
            plan: &s.plan,
            payout_period: s.payout_period.label(),
            partial: s.partial,
            closed_on: s.closed_on.map(|d| d.to_string()),
            earned: money(s.earned),
            adjustments: (!s.adjustments.is_empty()).then(|| money(adjustments)),
            total: money(s.total),
        });
    }
    let mut ctx = Context::new();
    ctx.insert("plans", &plan_views);
    ctx.insert("statements", &statements);
    ctx.insert("detailed", &detailed);
    ctx.insert("uncovered", &p.comp.uncovered);
    ctx.insert("warnings", &p.comp.warnings);
    ctx.insert("stacked_svg", &stacked);
    ctx.insert("total", &money(total));
    w.page("comp.html", "comp.html", "Comp", "comp", ctx)
}
