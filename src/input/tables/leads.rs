//! `leads.csv` (optional): one row per lead assigned to an SDR, the top of the SDR's funnel
//! (docs/data-model.md, "leads.csv").

use chrono_tz::Tz;

use crate::input::accounts::Reject;
use crate::input::header::Col;
use crate::input::mapping_yaml::Mapping;
use crate::input::refs::Reps;
use crate::model::*;
use crate::playbook::{Playbook, SegmentTable};

use super::common::{open_required, Tables};
use super::rows::{read_keyed, Keyed};

pub(crate) fn read_leads(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    playbook: &Playbook,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    let required = ["lead_id", "sdr_id", "created_at"];
    let Some((mut f, _)) = open_required(dir, prefix, Table::Leads, mapping, out, &required) else {
        return;
    };
    let mut missing = Vec::new();
    let segments = super::common::segment_cols(&f, playbook, SegmentTable::Leads, &mut missing);
    if !missing.is_empty() {
        out.fatal.extend(missing);
        return;
    }
    // Owners and reasons kept once, shared by the leads that have them (model::Leads).
    let mut builder = LeadsBuilder::default();
    let (leads, _rejected) = read_keyed(
        &mut f,
        out,
        "lead_id",
        |l: &Lead| &l.lead_id,
        |l: &Lead| l.line(),
        |row, seen| read_lead(row, tz, reps, &segments, seen).map(|r| builder.lead(r)),
    );
    out.leads = builder.finish(leads);
    let merged =
        super::common::one_spelling_per_segment(&f.file, &segments, out.leads.segments_mut());
    out.warnings.extend(merged);
}

fn read_lead<'r>(
    row: &crate::input::row::Row<'r>,
    tz: Tz,
    reps: &Reps,
    segments: &[Col],
    seen: &Keyed<Lead>,
) -> Result<LeadRecord<'r>, Reject> {
    let lead_id = row.required("lead_id")?;
    if let Some(first) = seen.get(lead_id) {
        return Err(row.reject(
            "lead_id",
            format!("duplicate lead_id {lead_id:?} (first defined on line {first})"),
        ));
    }
    let sdr_id = reps.get(row, "sdr_id", &[Role::Sdr, Role::Bdr], "an SDR or BDR")?;
    let created_at = row.required_timestamp("created_at", tz)?;
    let first_touch_at = row.timestamp("first_touch_at", tz)?;
    if let Some(t) = first_touch_at.filter(|t| *t < created_at) {
        // A touch before the lead existed is an error of the export, not a speed of 0.
        return Err(row.reject(
            "first_touch_at",
            format!("first touch {t} is before the lead was created at {created_at}"),
        ));
    }
    // A lead keeps its line in 32 bits (model::Lead); 4 billion lines would not fit in
    // memory as leads anyway.
    let line = u32::try_from(row.line).map_err(|_| {
        row.reject(
            "lead_id",
            "leads.csv is read up to line 4,294,967,295; this lead is past it",
        )
    })?;
    Ok(LeadRecord {
        lead_id: lead_id.into(),
        sdr_id,
        created_at,
        first_touch_at,
        disqualified_reason: row.text("disqualified_reason").trim(),
        segments: super::common::segment_values(row, segments).into_boxed_slice(),
        line,
    })
}
