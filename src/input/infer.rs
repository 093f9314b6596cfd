//! The reps table built from the rep ids that other exports name, for CRMs whose export has
//! no user list (`tables.reps.infer_from` in mapping.yaml, docs/mapping.md).
//!
//! Nothing is guessed: each rep's role is the one its source column is declared to hold, and
//! the pod and start date are the mapping's fixed values. An id found under two roles is an
//! error, because a rep has one role in Baton.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use super::csv_table::CsvFile;
use super::mapping_yaml::Mapping;
use super::spec::TableSpec;
use crate::error::Diagnostic;
use crate::model::{Rep, Role, Source, Table};

fn role(s: &str) -> Option<Role> {
    match s {
        "sdr" => Some(Role::Sdr),
        "bdr" => Some(Role::Bdr),
        "ae" => Some(Role::Ae),
        "manager" => Some(Role::Manager),
        _ => None,
    }
}

/// One rep per distinct id in the `infer_from` columns of `reps`' spec, in order of first
/// appearance, named by its id, located at the row that first names it. Files that cannot
/// be opened are skipped here: the table's own read reports them.
pub fn infer_reps(
    dir: &Path,
    prefix: &str,
    mapping: &Mapping,
    reps: &TableSpec,
) -> Result<Vec<Rep>, Vec<Diagnostic>> {
    let pod = reps.fixed.get("pod").cloned().unwrap_or_default();
    let date = |k: &str| {
        reps.fixed
            .get(k)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let (Some(start_date), false) = (date("start_date"), pod.is_empty()) else {
        return Err(vec![Diagnostic::error(
            "playbook/mapping.yaml",
            "inferred reps need `fixed: {pod: ..., start_date: YYYY-MM-DD}` under tables.reps",
        )]);
    };
    let end_date = date("end_date");
    let mut out: Vec<Rep> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut reported: HashSet<String> = HashSet::new();
    let mut errors = Vec::new();
    for src in &reps.infer_from {
        let (Some(table), Some(role)) = (
            Table::ALL
                .into_iter()
                .find(|t| t.file_name().trim_end_matches(".csv") == src.table),
            role(&src.role),
        ) else {
            continue;
        };
        let spec = mapping.spec(&src.table);
        let name = spec.file_name(table.file_name().trim_end_matches(".csv"));
        let path = dir.join(&name);
        let display = format!("{prefix}{name}");
        let Ok(mut f) = CsvFile::open(&path, &display, &spec) else {
            continue;
        };
        if f.column(&src.column).is_none() {
            errors.push(
                Diagnostic::error(
                    display,
                    format!(
                        "column `{}`, which playbook/mapping.yaml infers {} reps from, is not in the header",
                        src.column, src.role
                    ),
                )
                .at(1, None),
            );
            continue;
        }
        let file: std::sync::Arc<str> = display.as_str().into();
        // Rows the table's own read will reject are reported there, not twice.
        let mut ignored = Vec::new();
        f.for_each_row(&mut ignored, |row| {
            let id = row.text(&src.column);
            if id.is_empty() {
                return Ok(());
            }
            match seen.get(id) {
                None => {
                    seen.insert(id.to_string(), out.len());
                    out.push(Rep {
                        id: id.to_string(),
                        name: id.to_string(),
                        role,
                        pod: pod.clone(),
                        start_date,
                        end_date,
                        payroll_id: None,
                        source: Source {
                            file: file.clone(),
                            line: row.line,
                        },
                    });
                }
                Some(&i) if out[i].role != role && reported.insert(id.to_string()) => {
                    let col = row.reject(&src.column, "").column.map(|c| c as u64 + 1);
                    errors.push(
                        Diagnostic::error(
                            display.clone(),
                            format!(
                                "rep {id:?} is named here as {} but as {} at {}; a rep has one role in Baton: give each role its own ids with `derive: {{{}: {{from: ..., format: \"{}-{{}}\"}}}}` (docs/mapping.md)",
                                role.as_str(),
                                out[i].role.as_str(),
                                out[i].source,
                                src.column,
                                role.as_str()
                            ),
                        )
                        .at(row.line, col),
                    );
                }
                Some(_) => {}
            }
            Ok(())
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
