//! The machine-readable files (`metrics.json`, `comp.csv`, `rejected.csv`) and the data
//! quality page that accounts for every input row.

use serde::Serialize;
use tera::Context;

use super::site::Writer;
use crate::error::{Error, Severity};
use crate::prepared::Prepared;

/// `rejected.csv`: one row per rejected input row, with where, why and the row as read.
pub fn rejected_csv(p: &Prepared) -> Result<Vec<u8>, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("writing rejected.csv: {e}"));
    w.write_record(["file", "line", "column", "column_name", "reason", "row"])
        .map_err(err)?;
    for r in &p.loaded.rejections {
        w.write_record([
            r.file.as_str(),
            &r.line.to_string(),
            &r.column.map(|c| c.to_string()).unwrap_or_default(),
            &r.column_name,
            &r.reason,
            &defuse(&r.record.join(" | ")),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| Error::Other(format!("writing rejected.csv: {e}")))
}

/// A cell a spreadsheet would run as a formula gets a leading quote.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[derive(Serialize)]
struct Finding {
    level: &'static str,
    location: String,
    message: String,
}

/// Writes the machine files and the data page.
pub fn write_all(p: &Prepared, w: &mut Writer) -> Result<(), Error> {
    let json = serde_json::to_string_pretty(&p.metrics)
        .map_err(|e| Error::Other(format!("writing metrics.json: {e}")))?;
    w.out.write("metrics.json", json + "\n")?;
    w.out.write("rejected.csv", rejected_csv(p)?)?;
    // Each rep's pay: on the shared site only when it publishes statements (docs/comp.md).
    if p.loaded.dataset.playbook.site.comp.publish == crate::playbook::Publish::Individual {
        w.out.write("comp.csv", crate::comp::comp_csv(&p.comp))?;
    }

    let findings: Vec<Finding> = p
        .diagnostics
        .iter()
        .map(|d| Finding {
            level: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            location: d.location(),
            message: d.message.clone(),
        })
        .collect();
    let missing: Vec<&str> = crate::model::Table::ALL
        .iter()
        .filter(|t| !p.loaded.dataset.has(**t))
        .map(|t| t.file_name())
        .collect();
    let mut ctx = Context::new();
    ctx.insert("accounts", &p.loaded.accounts);
    ctx.insert("findings", &findings);
    ctx.insert("missing", &missing);
    ctx.insert("rejected", &p.loaded.rejections.len());
    w.page("data.html", "data.html", "Data quality", "data", ctx)
}
