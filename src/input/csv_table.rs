//! Reading one CSV export: header matching, per-cell parsing with `file:line:column` context,
//! and row accounting (read = used + rejected + blank) so no row disappears without a trace.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Diagnostic;

/// Rows of one file by fate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowAccount {
    pub file: String,
    /// Data rows, blank ones included (the header is not a row).
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Rows whose every cell is empty: skipped, and counted here.
    pub blank: u64,
}

/// A row that was left out, with where and why, for the build summary and `rejected.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub column: Option<u64>,
    pub column_name: String,
    pub reason: String,
    pub record: Vec<String>,
}

impl Rejection {
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = if self.column_name.is_empty() {
            self.reason.clone()
        } else {
            format!("{}: {}", self.column_name, self.reason)
        };
        Diagnostic::error(self.file.clone(), msg).at(self.line, self.column)
    }
}

/// Why a cell (or a whole row) cannot be used.
#[derive(Debug, Clone)]
pub struct Reject {
    /// 0-based index of the offending column, when one is to blame.
    pub column: Option<usize>,
    pub message: String,
}

impl Reject {
    pub fn row(message: impl Into<String>) -> Self {
        Reject {
            column: None,
            message: message.into(),
        }
    }
}

/// Normalises a header for matching: BOM and surrounding space removed, lowercase, runs of
/// spaces, dashes and dots turned into one `_`.
pub fn normalize_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}').trim().to_lowercase();
    let mut out = String::with_capacity(h.len());
    for ch in h.chars() {
        if ch.is_whitespace() || ch == '-' || ch == '.' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// An open CSV file with its header resolved.
pub struct CsvFile {
    pub file: String,
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    reader: csv::Reader<std::fs::File>,
}

impl CsvFile {
    /// Opens `path` (shown as `display` in messages) and reads its header.
    pub fn open(path: &Path, display: &str) -> Result<CsvFile, Diagnostic> {
        let file = std::fs::File::open(path)
            .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(file);
        let raw = reader.headers().map_err(|e| csv_diag(display, &e))?.clone();
        if raw.iter().all(|h| h.trim().is_empty()) {
            return Err(Diagnostic::error(display, "the file has no header row").at(1, None));
        }
        let headers: Vec<String> = raw.iter().map(normalize_header).collect();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if let Some(first) = index.insert(h.clone(), i) {
                return Err(Diagnostic::error(
                    display,
                    format!(
                        "column `{h}` appears twice in the header (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                )
                .at(1, Some(i as u64 + 1)));
            }
        }
        Ok(CsvFile {
            file: display.to_string(),
            headers,
            index,
            reader,
        })
    }

    /// The 0-based index of a column by its canonical name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Fails with one diagnostic per missing column.
    pub fn require(&self, names: &[&str]) -> Vec<Diagnostic> {
        names
            .iter()
            .filter(|n| self.column(n).is_none())
            .map(|n| {
                Diagnostic::error(
                    self.file.clone(),
                    format!(
                        "missing required column `{n}` (the header has: {})",
                        self.headers.join(", ")
                    ),
                )
                .at(1, None)
            })
            .collect()
    }

    /// Calls `f` on every non-blank row; a row `f` rejects is recorded with its reason.
    /// A row the CSV parser cannot read is rejected too; reading goes on after it.
    pub fn for_each_row(
        &mut self,
        rejections: &mut Vec<Rejection>,
        mut f: impl FnMut(&Row) -> Result<(), Reject>,
    ) -> RowAccount {
        let mut account = RowAccount {
            file: self.file.clone(),
            ..RowAccount::default()
        };
        let mut rec = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    account.read += 1;
                    account.rejected += 1;
                    let line = e.position().map_or(0, |p| p.line());
                    rejections.push(Rejection {
                        file: self.file.clone(),
                        line,
                        column: None,
                        column_name: String::new(),
                        reason: csv_reason(&e),
                        record: Vec::new(),
                    });
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                    continue;
                }
            }
            account.read += 1;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(|c| c.trim().is_empty()) {
                account.blank += 1;
                continue;
            }
            // More cells than the header: an unquoted comma has split a value.
            if rec.len() > self.headers.len()
                && rec
                    .iter()
                    .skip(self.headers.len())
                    .any(|c| !c.trim().is_empty())
            {
                account.rejected += 1;
                rejections.push(Rejection {
                    file: self.file.clone(),
                    line,
                    column: Some(self.headers.len() as u64 + 1),
                    column_name: String::new(),
                    reason: format!(
                        "the row has {} cells but the header has {} (is a value with a comma not quoted?)",
                        rec.len(),
                        self.headers.len()
                    ),
                    record: rec.iter().map(str::to_string).collect(),
                });
                continue;
            }
            let row = Row {
                line,
                rec: &rec,
                headers: &self.headers,
                index: &self.index,
            };
            match f(&row) {
                Ok(()) => account.used += 1,
                Err(mut r) => {
                    account.rejected += 1;
                    if rec.len() > self.headers.len() {
                        r.message.push_str(&format!(
                            " (the row has {} cells but the header has {}: is a value with a comma not quoted?)",
                            rec.len(),
                            self.headers.len()
                        ));
                    }
                    rejections.push(Rejection {
                        file: self.file.clone(),
                        line,
                        column: r.column.map(|c| c as u64 + 1),
                        column_name: r
                            .column
                            .and_then(|c| self.headers.get(c).cloned())
                            .unwrap_or_default(),
                        reason: r.message,
                        record: rec.iter().map(str::to_string).collect(),
                    });
                }
            }
        }
        account
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "invalid UTF-8 in field {} (save the export as UTF-8)",
            err.field() + 1
        ),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    }
}

fn csv_diag(display: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line());
    Diagnostic::error(display, csv_reason(e)).at(line, None)
}

/// One data row with typed, located accessors. Every accessor trims surrounding space.
pub struct Row<'a> {
    pub line: u64,
    rec: &'a csv::StringRecord,
    headers: &'a [String],
    index: &'a HashMap<String, usize>,
}

impl<'a> Row<'a> {
    fn idx(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    fn err(&self, name: &str, message: String) -> Reject {
        Reject {
            column: self.idx(name),
            message,
        }
    }

    /// The raw cells, for derived columns that are not in the canonical model.
    pub fn headers(&self) -> &[String] {
        self.headers
    }

    /// The trimmed cell, or "" when the column or the cell is absent.
    pub fn text(&self, name: &str) -> &'a str {
        self.idx(name)
            .and_then(|i| self.rec.get(i))
            .map_or("", str::trim)
    }

    /// A cell that must not be empty.
    pub fn required(&self, name: &str) -> Result<&'a str, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            Err(self.err(name, "is empty but required".into()))
        } else {
            Ok(v)
        }
    }

    /// One of a fixed set of lowercase values (matched ignoring case).
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        allowed: &[(&str, T)],
        empty: Option<T>,
    ) -> Result<T, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            if let Some(d) = empty {
                return Ok(d);
            }
        }
        allowed
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(v))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let known: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                self.err(
                    name,
                    format!(
                        "unknown value {v:?} (expected one of: {})",
                        known.join(", ")
                    ),
                )
            })
    }

    /// A calendar date; a timestamp is accepted and reduced to its local date in `tz`.
    pub fn date(&self, name: &str, tz: Tz) -> Result<Option<NaiveDate>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            return Ok(Some(d));
        }
        parse_timestamp(v, tz)
            .map(|t| Some(t.with_timezone(&tz).date_naive()))
            .map_err(|m| self.err(name, m))
    }

    pub fn required_date(&self, name: &str, tz: Tz) -> Result<NaiveDate, Reject> {
        self.required(name)?;
        Ok(self.date(name, tz)?.unwrap_or_default())
    }

    /// A moment in time: RFC 3339, or a naive `YYYY-MM-DD[ HH:MM[:SS]]` read in `tz`.
    pub fn timestamp(&self, name: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        parse_timestamp(v, tz)
            .map(Some)
            .map_err(|m| self.err(name, m))
    }

    pub fn required_timestamp(&self, name: &str, tz: Tz) -> Result<DateTime<Utc>, Reject> {
        self.required(name)?;
        Ok(self.timestamp(name, tz)?.unwrap_or_default())
    }

    /// A plain decimal number such as `1234.50` (no currency symbols or separators).
    pub fn decimal(&self, name: &str) -> Result<Option<Decimal>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<Decimal>()
            .map(Some)
            .map_err(|_| self.err(name, format!("{v:?} is not a number")))
    }

    pub fn unsigned(&self, name: &str) -> Result<Option<u64>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<u64>()
            .map(Some)
            .map_err(|_| self.err(name, format!("{v:?} is not a whole number ≥ 0")))
    }

    /// A yes/no cell: yes, y, true, 1 are met; no, n, false, 0 and empty are not.
    pub fn flag(&self, name: &str) -> Result<bool, Reject> {
        let v = self.text(name);
        match v.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok(true),
            "no" | "n" | "false" | "0" | "" => Ok(false),
            _ => Err(self.err(
                name,
                format!("{v:?} is not yes/no (use yes, y, true, 1 or no, n, false, 0, empty)"),
            )),
        }
    }

    /// Rejects the row, blaming `name`.
    pub fn reject(&self, name: &str, message: impl Into<String>) -> Reject {
        self.err(name, message.into())
    }
}

/// Parses an RFC 3339 timestamp, or a naive date or date-time read in `tz`.
pub fn parse_timestamp(v: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    });
    let Some(naive) = naive else {
        return Err(format!(
            "{v:?} is not a date or timestamp (expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339)"
        ));
    };
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        // The earlier of the two readings, as most calendars do.
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{v:?} does not exist in time zone {tz} (skipped by a daylight-saving change)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalize_case_space_and_bom() {
        assert_eq!(normalize_header("\u{feff}Rep ID "), "rep_id");
        assert_eq!(normalize_header("Handoff-At"), "handoff_at");
        assert_eq!(normalize_header("lead  created.at"), "lead_created_at");
    }

    #[test]
    fn timestamps_in_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let t = parse_timestamp("2026-03-02 09:30", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T14:30:00+00:00");
        let t = parse_timestamp("2026-03-02T09:30:00+01:00", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T08:30:00+00:00");
        assert!(parse_timestamp("2026-03-08 02:30", tz).is_err());
        assert!(parse_timestamp("2026-02-30", tz).is_err());
    }
}
