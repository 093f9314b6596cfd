//! Reading the optional `data/adjustments.csv` (rep_id, period, amount, reason, component):
//! manual lines added to comp statements (docs/comp.md, "Manual adjustments").

use std::path::Path;

use super::accounts::{Rejection, RowAccount};
use super::csv_table::CsvFile;
use super::spec::TableSpec;
use crate::error::Diagnostic;
use crate::model::manual::ManualAdjustment;
use crate::model::{Dataset, Source};
use crate::period::Period;
use crate::playbook::comp::CompMetric;

/// Reads `path` (shown as `display`). A missing file gives no adjustments and an empty
/// account; a file that cannot be read or lacks a column gives a fatal diagnostic. A row is
/// rejected when its rep is not in reps.csv, its period is not `YYYY-MM` or `YYYY-Qn`, its
/// amount is not a number, is 0 or has more decimals than the site's currency, its reason is
/// empty, or its component is not a metric name. The caller treats every rejection as an
/// error: a payment dropped silently is worse than a build that stops.
pub fn read_adjustments(
    path: &Path,
    display: &str,
    ds: &Dataset,
    spec: &TableSpec,
) -> (
    Vec<ManualAdjustment>,
    RowAccount,
    Vec<Rejection>,
    Vec<Diagnostic>,
) {
    let mut out = Vec::new();
    let mut rejections = Vec::new();
    let empty = RowAccount {
        file: display.to_string(),
        table: "adjustments".into(),
        ..RowAccount::default()
    };
    let mut f = match CsvFile::open_optional(
        path,
        display,
        spec,
        "adjustments",
        &["rep_id", "period", "amount", "reason"],
    ) {
        Ok(Some(f)) => f,
        Ok(None) => return (out, empty, rejections, Vec::new()),
        Err(d) => return (out, empty, rejections, d),
    };
    let currency = &ds.playbook.site.currency;
    let digits = crate::format::minor_units(currency);
    let file: std::sync::Arc<str> = display.into();
    let account = f.for_each_row(&mut rejections, |row| {
        let rep_id = row.required("rep_id")?;
        if ds.rep(rep_id).is_none() {
            return Err(row.reject(
                "rep_id",
                format!("unknown rep {rep_id:?} (not in reps.csv)"),
            ));
        }
        let p = row.required("period")?;
        let period = Period::parse(p).ok_or_else(|| {
            row.reject(
                "period",
                format!("{p:?} is not a month (YYYY-MM) or a quarter (YYYY-Qn)"),
            )
        })?;
        row.required("amount")?;
        let amount = row.decimal("amount")?.unwrap_or_default();
        if amount.is_zero() {
            return Err(row.reject("amount", "is 0: an adjustment must move pay"));
        }
        if amount.normalize().scale() > digits {
            return Err(row.reject(
                "amount",
                format!(
                    "{amount} has more decimals than {currency} has ({digits}); round it as payroll pays it"
                ),
            ));
        }
        let reason = row.required("reason")?.to_string();
        let c = row.text("component");
        let component = if c.is_empty() {
            None
        } else {
            Some(CompMetric::parse(c).ok_or_else(|| {
                let known: Vec<&str> = CompMetric::ALL.iter().map(|m| m.as_str()).collect();
                row.reject(
                    "component",
                    format!(
                        "unknown component {c:?} (expected one of: {}, or empty)",
                        known.join(", ")
                    ),
                )
            })?)
        };
        out.push(ManualAdjustment {
            rep_id: rep_id.to_string(),
            period,
            amount,
            reason,
            component,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        });
        Ok(())
    });
    let fatal: Vec<Diagnostic> = f.take_fatal().into_iter().collect();
    (out, account, rejections, fatal)
}
