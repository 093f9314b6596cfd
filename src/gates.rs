//! Sales sanity gates: checks that an export makes sense as sales history, beyond each row
//! being well formed on its own.
//!
//! A row can be valid and still describe something that cannot have happened: a meeting held
//! before it was booked, a deal won before it existed. Each gate is a pure function over the
//! validated [`Dataset`] returning located [`Diagnostic`]s (file and line of the row at fault),
//! at the level `playbook/gates.yaml` gives it: `warning` (the default), `error` (the check and
//! the build fail) or `off`. Definitions and messages are in docs/extras.md.

use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::Diagnostic;
use crate::model::{Dataset, Decision, MeetingStatus, OpportunityStatus, Rep};
use crate::period::local_date;
pub use crate::playbook::gates::{GateConfig, GateLevel};

/// A moment as people read it: local date and time in the playbook's zone.
fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// A finding of gate `gate` about the row at `file:line`, at `level` (None when off).
fn finding(level: GateLevel, gate: &str, file: &str, line: u64, msg: String) -> Option<Diagnostic> {
    let message = format!("{msg} (sanity gate `{gate}`)");
    let d = match level {
        GateLevel::Off => return None,
        GateLevel::Warning => Diagnostic::warning(file, message),
        GateLevel::Error => Diagnostic::error(file, message),
    };
    Some(d.at(line, None))
}

/// Runs every gate that is not off; findings in gate order, each gate's in input order.
pub fn check(ds: &Dataset, tz: Tz, config: &GateConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(meeting_before_handoff(
        ds,
        tz,
        config.meeting_before_handoff,
    ));
    out.extend(contact_before_handoff(
        ds,
        tz,
        config.contact_before_handoff,
    ));
    out.extend(handoff_before_lead(ds, tz, config.handoff_before_lead));
    out.extend(closed_before_created(ds, tz, config.closed_before_created));
    out.extend(won_after_rejection(ds, config.won_after_rejection));
    out.extend(activity_outside_employment(
        ds,
        config.activity_outside_employment,
    ));
    out
}

/// A held meeting scheduled before its hand-off: it was held before it was booked.
pub fn meeting_before_handoff(ds: &Dataset, tz: Tz, level: GateLevel) -> Vec<Diagnostic> {
    if level == GateLevel::Off {
        return Vec::new();
    }
    let handoffs = ds.handoffs_by_lead();
    ds.meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
        .filter_map(|m| {
            let h = handoffs.get(&*m.lead_id)?;
            (m.scheduled_for < h.handoff_at).then(|| {
                finding(
                    level,
                    "meeting_before_handoff",
                    &m.source.file,
                    m.source.line,
                    format!(
                        "meeting {} of lead {} was held at {}, before its hand-off at {} ({})",
                        m.meeting_id,
                        m.lead_id,
                        local(m.scheduled_for, tz),
                        local(h.handoff_at, tz),
                        h.source
                    ),
                )
            })?
        })
        .collect()
}

/// The AE's first contact recorded before the SDR handed the lead off.
pub fn contact_before_handoff(ds: &Dataset, tz: Tz, level: GateLevel) -> Vec<Diagnostic> {
    ds.handoffs
        .iter()
        .filter_map(|h| {
            let c = h.ae_first_contact_at.filter(|c| *c < h.handoff_at)?;
            finding(
                level,
                "contact_before_handoff",
                &h.source.file,
                h.source.line,
                format!(
                    "lead {}: the AE's first contact at {} is before the hand-off at {}",
                    h.lead_id,
                    local(c, tz),
                    local(h.handoff_at, tz)
                ),
            )
        })
        .collect()
}

/// A hand-off before the lead existed.
pub fn handoff_before_lead(ds: &Dataset, tz: Tz, level: GateLevel) -> Vec<Diagnostic> {
    ds.handoffs
        .iter()
        .filter_map(|h| {
            let created = h.lead_created_at.filter(|c| h.handoff_at < *c)?;
            finding(
                level,
                "handoff_before_lead",
                &h.source.file,
                h.source.line,
                format!(
                    "lead {}: handed off at {}, before the lead was created at {}",
                    h.lead_id,
                    local(h.handoff_at, tz),
                    local(created, tz)
                ),
            )
        })
        .collect()
}

/// A deal won (or lost) before it was created: its close date is before the local date of
/// its creation.
pub fn closed_before_created(ds: &Dataset, tz: Tz, level: GateLevel) -> Vec<Diagnostic> {
    ds.opportunities
        .iter()
        .filter_map(|o| {
            let verb = match o.status {
                OpportunityStatus::Won => "won",
                OpportunityStatus::Lost => "lost",
                OpportunityStatus::Open => return None,
            };
            let created = local_date(o.created_at, tz);
            let closed = o.close_date.filter(|d| *d < created)?;
            finding(
                level,
                "closed_before_created",
                &o.source.file,
                o.source.line,
                format!(
                    "opportunity {} was {verb} on {closed}, before it was created on {created}",
                    o.opportunity_id
                ),
            )
        })
        .collect()
}

/// A won deal on a lead the AE rejected at hand-off.
pub fn won_after_rejection(ds: &Dataset, level: GateLevel) -> Vec<Diagnostic> {
    if level == GateLevel::Off {
        return Vec::new();
    }
    let handoffs = ds.handoffs_by_lead();
    ds.opportunities
        .iter()
        .filter(|o| o.status == OpportunityStatus::Won)
        .filter_map(|o| {
            let h = handoffs.get(o.lead_id.as_deref()?)?;
            if h.ae_decision != Decision::Rejected {
                return None;
            }
            finding(
                level,
                "won_after_rejection",
                &o.source.file,
                o.source.line,
                format!(
                    "opportunity {} was won, but the AE rejected the hand-off of lead {} ({})",
                    o.opportunity_id,
                    o.lead_id.as_deref().unwrap_or_default(),
                    h.source
                ),
            )
        })
        .collect()
}

/// Activity on days a rep was not employed. Activities are aggregated per rep and day while
/// reading, so the finding points at the rep's line in reps.csv and counts the days.
pub fn activity_outside_employment(ds: &Dataset, level: GateLevel) -> Vec<Diagnostic> {
    if level == GateLevel::Off {
        return Vec::new();
    }
    let mut days: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    let reps: HashMap<&str, &Rep> = ds.reps.iter().map(|r| (r.id.as_str(), r)).collect();
    for ((rep, day), counts) in &ds.activity {
        let Some(r) = reps.get(rep.as_str()) else {
            continue;
        };
        if !counts.is_empty() && !r.employed_on(*day) {
            days.entry(r.id.as_str()).or_default().push(*day);
        }
    }
    ds.reps
        .iter()
        .filter_map(|r| {
            let list = days.get(r.id.as_str())?;
            let (first, last) = (list.first()?, list.last()?);
            let employed = match r.end_date {
                Some(end) => format!("employed {} to {end}", r.start_date),
                None => format!("employed from {}", r.start_date),
            };
            let n = list.len();
            finding(
                level,
                "activity_outside_employment",
                &r.source.file,
                r.source.line,
                format!(
                    "rep `{}` ({employed}) has activities on {n} day{} outside their employment, {}",
                    r.id,
                    if n == 1 { "" } else { "s" },
                    if first == last {
                        format!("on {first}")
                    } else {
                        format!("from {first} to {last}")
                    }
                ),
            )
        })
        .collect()
}

#[cfg(test)]
#[path = "gates_tests.rs"]
mod tests;
