//! `handoffs.csv`: one row per lead an SDR passed to an AE, with its qualification and
//! documentation columns.

use std::sync::Arc;

use chrono_tz::Tz;

use crate::input::accounts::Reject;

use crate::input::csv_table::CsvFile;

use crate::error::Diagnostic;
use crate::input::header::Col;
use crate::input::mapping_yaml::Mapping;
use crate::input::refs::Reps;
use crate::model::*;
use crate::playbook::{Playbook, SegmentTable};

use super::common::{open, Tables};
use super::rows::{read_keyed, Keyed};

pub(crate) fn read_handoffs(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    playbook: &Playbook,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    let Some(mut f) = open(dir, prefix, Table::Handoffs, mapping, out) else {
        return;
    };
    let mut missing = f.require(&["lead_id", "sdr_id", "ae_id", "handoff_at", "handoff_type"]);
    // Columns the playbook names must exist: a typo there would otherwise read as "never met".
    for c in &playbook.qualification.criteria {
        if f.column(&c.column).is_none() {
            missing.push(
                Diagnostic::error(
                    f.file.clone(),
                    format!(
                        "missing column `{}` for qualification criterion `{}` named in playbook/qualification.yaml",
                        c.column, c.key
                    ),
                )
                .at(1, None),
            );
        }
    }
    for s in &playbook.handoff.sections {
        if f.column(&s.column).is_none() {
            missing.push(
                Diagnostic::error(
                    f.file.clone(),
                    format!(
                        "missing column `{}` for documentation section `{}` named in playbook/handoff.yaml",
                        s.column, s.key
                    ),
                )
                .at(1, None),
            );
        }
    }
    let segments = super::common::segment_cols(&f, playbook, SegmentTable::Handoffs, &mut missing);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    let file: Arc<str> = f.file.as_str().into();
    let cols = HandoffCols::of(&f, playbook, segments);
    let (handoffs, rejected) = read_keyed(
        &mut f,
        out,
        "lead_id",
        |h: &Handoff| &h.lead_id,
        |h: &Handoff| h.source.line,
        |row, seen| read_handoff(row, &cols, tz, reps, &file, seen),
    );
    out.handoffs = handoffs;
    let merged = super::common::one_spelling_per_segment(
        &f.file,
        &cols.segments,
        (out.handoffs.iter_mut()).map(|h| (&mut h.segments[..], h.source.line)),
    );
    out.warnings.extend(merged);
    out.rejected_leads = rejected;
}

/// The columns of handoffs.csv, resolved once for the file.
pub(crate) struct HandoffCols {
    lead_id: Col,
    company: Col,
    sdr_id: Col,
    ae_id: Col,
    lead_created_at: Col,
    first_touch_at: Col,
    handoff_at: Col,
    handoff_type: Col,
    ae_first_contact_at: Col,
    ae_decision: Col,
    ae_decision_at: Col,
    rejection_reason: Col,
    sdr_pain_point: Col,
    ae_pain_point: Col,
    /// The playbook's qualification criteria and hand-off sections, in playbook order.
    criteria: Vec<Col>,
    sections: Vec<Col>,
    /// The columns of the playbook's segment dimensions read from this export, in order.
    segments: Vec<Col>,
}

impl HandoffCols {
    pub(crate) fn of(f: &CsvFile, playbook: &Playbook, segments: Vec<Col>) -> HandoffCols {
        HandoffCols {
            lead_id: f.col("lead_id"),
            company: f.col("company"),
            sdr_id: f.col("sdr_id"),
            ae_id: f.col("ae_id"),
            lead_created_at: f.col("lead_created_at"),
            first_touch_at: f.col("first_touch_at"),
            handoff_at: f.col("handoff_at"),
            handoff_type: f.col("handoff_type"),
            ae_first_contact_at: f.col("ae_first_contact_at"),
            ae_decision: f.col("ae_decision"),
            ae_decision_at: f.col("ae_decision_at"),
            rejection_reason: f.col("rejection_reason"),
            sdr_pain_point: f.col("sdr_pain_point"),
            ae_pain_point: f.col("ae_pain_point"),
            criteria: (playbook.qualification.criteria.iter())
                .map(|c| f.col(&c.column))
                .collect(),
            sections: (playbook.handoff.sections.iter())
                .map(|s| f.col(&s.column))
                .collect(),
            segments,
        }
    }
}

pub(crate) fn read_handoff(
    row: &crate::input::row::Row,
    c: &HandoffCols,
    tz: Tz,
    reps: &Reps,
    file: &Arc<str>,
    seen: &Keyed<Handoff>,
) -> Result<Handoff, Reject> {
    let lead_id = row.required(&c.lead_id)?;
    if let Some(first) = seen.get(lead_id) {
        return Err(row.reject(
            &c.lead_id,
            format!(
                "lead {lead_id:?} was already handed off on line {first}; one hand-off per lead"
            ),
        ));
    }
    let sdr_id = reps.get(row, &c.sdr_id, &[Role::Sdr, Role::Bdr], "an SDR or BDR")?;
    let ae_id = reps.get(row, &c.ae_id, &[Role::Ae], "an AE")?;
    let criteria = c
        .criteria
        .iter()
        .map(|col| row.flag(col))
        .collect::<Result<Flags, _>>()?;
    let documented = c
        .sections
        .iter()
        .map(|col| !row.text(col).is_empty())
        .collect();
    let h = Handoff {
        lead_id: lead_id.into(),
        company: row.text(&c.company).into(),
        sdr_id,
        ae_id,
        lead_created_at: row.optional_timestamp(&c.lead_created_at, tz),
        first_touch_at: row.optional_timestamp(&c.first_touch_at, tz),
        handoff_at: row.required_timestamp(&c.handoff_at, tz)?,
        handoff_type: row.choice(
            &c.handoff_type,
            &[("warm", HandoffType::Warm), ("cold", HandoffType::Cold)],
            None,
        )?,
        criteria,
        documented,
        ae_first_contact_at: row.timestamp(&c.ae_first_contact_at, tz)?,
        ae_decision: row.choice(
            &c.ae_decision,
            &[
                ("accepted", Decision::Accepted),
                ("rejected", Decision::Rejected),
                ("pending", Decision::Pending),
            ],
            Some(Decision::Pending),
        )?,
        ae_decision_at: row.timestamp(&c.ae_decision_at, tz)?,
        rejection_reason: row.text(&c.rejection_reason).into(),
        pain_point_match: crate::model::notes::continuity(
            row.text(&c.sdr_pain_point),
            row.text(&c.ae_pain_point),
        ),
        segments: super::common::segment_values(row, &c.segments).into(),
        source: Source {
            file: file.clone(),
            line: row.line,
        },
    };
    Ok(h)
}
