//! Reading the optional `data/quotas.csv` (rep_id, period, component, target): per-rep targets
//! that override a comp plan's target for one payout period.

use std::path::Path;

use rust_decimal::Decimal;

use super::accounts::{Rejection, RowAccount};

use super::csv_table::CsvFile;
use super::spec::TableSpec;
use crate::error::Diagnostic;
use crate::model::quota::{Quota, Quotas};
use crate::model::{Dataset, Source};
use crate::period::Period;
use crate::playbook::comp::CompMetric;

/// Reads `path` (shown as `display`). A missing file gives no quotas and an empty account;
/// a file that cannot be read or lacks a column gives a fatal diagnostic; a bad row (unknown
/// rep or component, a period that is not `YYYY-MM` or `YYYY-Qn`, a target that is not a
/// number above 0, a second quota for the same rep, period and component) is rejected.
pub fn read_quotas(
    path: &Path,
    display: &str,
    ds: &Dataset,
    spec: &TableSpec,
) -> (Quotas, RowAccount, Vec<Rejection>, Vec<Diagnostic>) {
    let mut quotas = Quotas::default();
    let mut rejections = Vec::new();
    let empty = RowAccount {
        file: display.to_string(),
        table: "quotas".into(),
        ..RowAccount::default()
    };
    let mut f = match CsvFile::open_optional(
        path,
        display,
        spec,
        "quotas",
        &["rep_id", "period", "component", "target"],
    ) {
        Ok(Some(f)) => f,
        Ok(None) => return (quotas, empty, rejections, Vec::new()),
        Err(d) => return (quotas, empty, rejections, d),
    };
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
        let c = row.required("component")?;
        let metric = CompMetric::parse(c).ok_or_else(|| {
            let known: Vec<&str> = CompMetric::ALL.iter().map(|m| m.as_str()).collect();
            row.reject(
                "component",
                format!(
                    "unknown component {c:?} (expected one of: {})",
                    known.join(", ")
                ),
            )
        })?;
        row.required("target")?;
        let target = row.decimal("target")?.unwrap_or_default();
        if target <= Decimal::ZERO {
            return Err(row.reject("target", format!("target {target} must be above 0")));
        }
        let quota = Quota {
            target,
            source: Source {
                file: file.clone(),
                line: row.line,
            },
        };
        if let Some(first) = quotas.insert(rep_id, period, metric, quota) {
            return Err(row.reject(
                "period",
                format!(
                    "second quota for rep {rep_id:?}, {} {} (first on line {})",
                    period.label(),
                    metric.as_str(),
                    first.source.line
                ),
            ));
        }
        Ok(())
    });
    let fatal: Vec<Diagnostic> = f.take_fatal().into_iter().collect();
    (quotas, account, rejections, fatal)
}
