//! What came of hand-offs and of the pipeline: `meetings.csv`, `opportunities.csv` and
//! `forecasts.csv`.

use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

use chrono_tz::Tz;

use crate::input::mapping_yaml::Mapping;
use crate::input::refs::{Leads, Reps};
use crate::model::*;
use crate::playbook::{Playbook, SegmentTable};

use super::common::{open, Tables};
use super::rows::Keyed;

pub(crate) fn read_meetings(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    leads: &Leads<'_>,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Meetings, mapping, out) else {
        return;
    };
    let missing = f.require(&["meeting_id", "lead_id", "scheduled_for", "status"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen = Keyed::for_file(&f, |m: &Meeting| &m.meeting_id, |m: &Meeting| m.source.line);
    let meeting_id_col = f.col("meeting_id");
    let lead_id_col = f.col("lead_id");
    let scheduled_for = f.col("scheduled_for");
    let status = f.col("status");
    let account = f.for_each_row(&mut out.rejections, |row| {
        let meeting_id = row.required(&meeting_id_col)?;
        if let Some(first) = seen.get(meeting_id) {
            return Err(row.reject(
                &meeting_id_col,
                format!("duplicate meeting_id {meeting_id:?} (first on line {first})"),
            ));
        }
        let lead_id = row.required(&lead_id_col)?;
        leads.check(row, &lead_id_col, lead_id)?;
        let m = Meeting {
            meeting_id: meeting_id.into(),
            lead_id: lead_id.into(),
            scheduled_for: row.required_timestamp(&scheduled_for, tz)?,
            status: row.choice(
                &status,
                &[
                    ("scheduled", MeetingStatus::Scheduled),
                    ("held", MeetingStatus::Held),
                    ("no_show", MeetingStatus::NoShow),
                    ("canceled", MeetingStatus::Canceled),
                    ("rescheduled", MeetingStatus::Rescheduled),
                ],
                None,
            )?,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        seen.push(m);
        Ok(())
    });
    out.meetings = seen.into_vec();
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    out.warnings.extend(f.take_warnings());
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn read_opportunities(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    playbook: &Playbook,
    tz: Tz,
    reps: &Reps,
    leads: &Leads<'_>,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Opportunities, mapping, out) else {
        return;
    };
    let mut missing = f.require(&["opportunity_id", "ae_id", "created_at", "amount", "status"]);
    let segments =
        super::common::segment_cols(&f, playbook, SegmentTable::Opportunities, &mut missing);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen = Keyed::for_file(
        &f,
        |o: &Opportunity| &o.opportunity_id,
        |o: &Opportunity| o.source.line,
    );
    let account = f.for_each_row(&mut out.rejections, |row| {
        let id = row.required("opportunity_id")?;
        if let Some(first) = seen.get(id) {
            return Err(row.reject(
                "opportunity_id",
                format!("duplicate opportunity_id {id:?} (first on line {first})"),
            ));
        }
        let lead = row.text("lead_id");
        if !lead.is_empty() {
            leads.check(row, "lead_id", lead)?;
        }
        let ae_id = reps.get(row, "ae_id", &[Role::Ae], "an AE")?;
        let amount = row.decimal("amount")?.unwrap_or_default();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(row.reject("amount", format!("amount {amount} is negative")));
        }
        let status = row.choice(
            "status",
            &[
                ("open", OpportunityStatus::Open),
                ("won", OpportunityStatus::Won),
                ("lost", OpportunityStatus::Lost),
            ],
            None,
        )?;
        let close_date = row.date("close_date", tz)?;
        if status != OpportunityStatus::Open && close_date.is_none() {
            return Err(row.reject(
                "close_date",
                "is empty but required for a won or lost opportunity",
            ));
        }
        let reversed_at = row.date("reversed_at", tz)?;
        if let Some(r) = reversed_at {
            if status != OpportunityStatus::Won {
                return Err(row.reject(
                    "reversed_at",
                    "is set but the opportunity is not won (only a won deal can be reversed)",
                ));
            }
            if let Some(c) = close_date.filter(|c| r < *c) {
                return Err(row.reject(
                    "reversed_at",
                    format!(
                        "{r} is before the close_date {c}: a deal is reversed after it was won"
                    ),
                ));
            }
        }
        let o = Opportunity {
            opportunity_id: id.to_string(),
            lead_id: (!lead.is_empty()).then(|| lead.to_string()),
            ae_id,
            created_at: row.required_timestamp("created_at", tz)?,
            amount,
            close_date,
            status,
            loss_reason: row.text("loss_reason").to_string(),
            reversed_at,
            segments: super::common::segment_values(row, &segments),
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        seen.push(o);
        Ok(())
    });
    out.opportunities = seen.into_vec();
    let merged = super::common::one_spelling_per_segment(
        &f.file,
        &segments,
        (out.opportunities.iter_mut()).map(|o| (&mut o.segments[..], o.source.line)),
    );
    out.warnings.extend(merged);
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    out.warnings.extend(f.take_warnings());
}

pub(crate) fn read_forecasts(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    pods: &[String],
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Forecasts, mapping, out) else {
        return;
    };
    let missing = f.require(&["period", "pod", "forecast_amount"]);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let mut seen: HashMap<(YearMonth, String), u64> = HashMap::new();
    let mut rows = Vec::new();
    let account = f.for_each_row(&mut out.rejections, |row| {
        let p = row.required("period")?;
        let month = parse_year_month(p)
            .ok_or_else(|| row.reject("period", format!("{p:?} is not a month (YYYY-MM)")))?;
        let pod = row.required("pod")?;
        if !pods.iter().any(|x| x == pod) {
            return Err(row.reject(
                "pod",
                format!("unknown pod {pod:?} (no rep in reps.csv has it)"),
            ));
        }
        if let Some(first) = seen.get(&(month, pod.to_string())) {
            return Err(row.reject(
                "period",
                format!("second forecast for pod {pod:?} in {month} (first on line {first})"),
            ));
        }
        let amount = row.decimal("forecast_amount")?.unwrap_or_default();
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(row.reject("forecast_amount", format!("amount {amount} is negative")));
        }
        seen.insert((month, pod.to_string()), row.line);
        rows.push(Forecast {
            month,
            pod: pod.to_string(),
            amount,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        });
        Ok(())
    });
    out.forecasts = rows;
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    out.warnings.extend(f.take_warnings());
}

/// `YYYY-MM` into a month.
pub fn parse_year_month(s: &str) -> Option<YearMonth> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then_some(YearMonth { year, month })
}
