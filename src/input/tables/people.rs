//! `reps.csv` (or reps inferred from other exports) and `one_on_ones.csv`.

use std::sync::Arc;

use chrono_tz::Tz;

use crate::input::accounts::Reject;

use crate::input::mapping_yaml::Mapping;
use crate::input::refs::Reps;
use crate::model::*;

use super::common::{open_required, Tables};
use super::rows::{read_keyed, Keyed};

pub(crate) const ROLES: [(&str, Role); 4] = [
    ("sdr", Role::Sdr),
    ("bdr", Role::Bdr),
    ("ae", Role::Ae),
    ("manager", Role::Manager),
];

pub(crate) fn read_reps(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    out: &mut Tables,
) {
    let spec = mapping.spec("reps");
    if !spec.infer_from.is_empty() {
        match crate::input::infer::infer_reps(dir, prefix, mapping, &spec) {
            Ok(reps) => {
                out.reps = reps;
                out.present.push(Table::Reps);
            }
            Err(d) => out.fatal.extend(d),
        }
        return;
    }
    let required = ["rep_id", "name", "role", "pod", "start_date"];
    let Some((mut f, file)) = open_required(dir, prefix, Table::Reps, mapping, out, &required)
    else {
        return;
    };
    let (reps, rejected) = read_keyed(
        &mut f,
        out,
        "rep_id",
        |r: &Rep| &r.id,
        |r: &Rep| r.source.line,
        |row, seen| read_rep(row, tz, &file, seen),
    );
    out.reps = reps;
    out.rejected_reps = rejected;
}

pub(crate) fn read_rep(
    row: &crate::input::row::Row,
    tz: Tz,
    file: &Arc<str>,
    seen: &Keyed<Rep>,
) -> Result<Rep, Reject> {
    let id = row.required("rep_id")?;
    if let Some(first) = seen.get(id) {
        return Err(row.reject(
            "rep_id",
            format!("duplicate rep_id {id:?} (first defined on line {first})"),
        ));
    }
    let start_date = row.required_date("start_date", tz)?;
    let end_date = row.date("end_date", tz)?;
    if let Some(end) = end_date {
        if end < start_date {
            return Err(row.reject(
                "end_date",
                format!("end_date {end} is before start_date {start_date}"),
            ));
        }
    }
    let rep = Rep {
        id: id.to_string(),
        name: row.required("name")?.to_string(),
        role: row.choice("role", &ROLES, None)?,
        pod: row.required("pod")?.to_string(),
        start_date,
        end_date,
        payroll_id: Some(row.text("payroll_id"))
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        source: Source {
            file: file.clone(),
            line: row.line,
        },
    };
    Ok(rep)
}

pub(crate) fn read_one_on_ones(
    dir: &std::path::Path,
    prefix: &str,
    mapping: &Mapping,
    tz: Tz,
    reps: &Reps,
    out: &mut Tables,
) {
    let required = ["sdr_id", "ae_id", "date"];
    let Some((mut f, file)) = open_required(dir, prefix, Table::OneOnOnes, mapping, out, &required)
    else {
        return;
    };
    // `notes` is optional: without the column a 1:1's notes are unknown, not empty.
    let has_notes = f.column("notes").is_some();
    let mut rows = Vec::new();
    let account = f.for_each_row(&mut out.rejections, |row| {
        let o = OneOnOne {
            sdr_id: reps.get(row, "sdr_id", &[Role::Sdr, Role::Bdr], "an SDR or BDR")?,
            ae_id: reps.get(row, "ae_id", &[Role::Ae], "an AE")?,
            date: row.required_date("date", tz)?,
            duration_minutes: row
                .unsigned("duration_minutes")?
                .unwrap_or(0)
                .try_into()
                .map_err(|_| row.reject("duration_minutes", "is too large"))?,
            notes: has_notes.then(|| row.text("notes").to_string()),
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        rows.push(o);
        Ok(())
    });
    out.one_on_ones = rows;
    out.accounts.push(account);
    out.fatal.extend(f.take_fatal());
    out.warnings.extend(f.take_warnings());
}
