//! The machine-readable files (`metrics.json`, `comp.csv`, `rejected.csv`) and the data
//! quality page that accounts for every input row.

use serde::Serialize;
use tera::Context;

use super::site::Writer;
use crate::error::{Error, Severity};
use crate::format::defuse_formula;
use crate::input::accounts::Rejection;
use crate::prepared::Prepared;

/// `rejected.csv`: one row per rejected input row, with where, why and the row as read.
pub fn rejected_csv(p: &Prepared) -> Result<Vec<u8>, Error> {
    rejected_rows(&p.loaded.rejections)
        .map_err(|e| Error::Other(format!("writing rejected.csv: {e}")))
}

/// The rows of `rejected.csv`. Every cell the input or the project named (the file, the
/// column's name, the reason, which quotes the CRM's text, and the row as read) is free text
/// and defused for spreadsheets ([`defuse_formula`]); `line` and `column` are numbers Baton
/// wrote. No cell is an id payroll matches, so none is kept raw (docs/ci.md).
fn rejected_rows(rejections: &[Rejection]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "column_name", "reason", "row"])?;
    for r in rejections {
        w.write_record([
            &defuse_formula(&r.file),
            &r.line.to_string(),
            &r.column.map(|c| c.to_string()).unwrap_or_default(),
            &defuse_formula(&r.column_name),
            &defuse_formula(&r.reason),
            &defuse_formula(&r.record.join(" | ")),
        ])?;
    }
    Ok(w.into_inner().map_err(|e| e.into_error())?)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rejection(
        file: &str,
        line: u64,
        column: Option<u64>,
        name: &str,
        reason: &str,
        record: &[&str],
    ) -> Rejection {
        Rejection {
            file: file.into(),
            line,
            column,
            column_name: name.into(),
            reason: reason.into(),
            record: record.iter().map(|c| c.to_string()).collect(),
            follows: None,
        }
    }

    /// Every free-text cell gets its `'` when it starts like a formula, each on its own: the
    /// file (`=`), the column's name (`+`), the reason (`-`), the row (`@`). A row that starts
    /// like none of them is written byte for byte, numbers as numbers (issue 25).
    #[test]
    fn every_free_text_cell_of_rejected_csv_is_defused() {
        let rows = [
            rejection(
                "=data/x.csv",
                3,
                Some(2),
                "+amount",
                "-1 is negative",
                &["@SUM(A1)", "x"],
            ),
            rejection(
                "data/handoffs.csv",
                7,
                None,
                "",
                "duplicate lead_id L1 (first at line 2)",
                &["L1", "-s1"],
            ),
        ];
        let csv = String::from_utf8(rejected_rows(&rows).expect("csv")).expect("utf-8");
        assert_eq!(
            csv,
            "file,line,column,column_name,reason,row\n\
             '=data/x.csv,3,2,'+amount,'-1 is negative,'@SUM(A1) | x\n\
             data/handoffs.csv,7,,,duplicate lead_id L1 (first at line 2),L1 | -s1\n"
        );
    }
}
