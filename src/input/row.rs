//! One record of an export as the table readers see it: typed accessors by canonical column
//! (text, required text, dates and timestamps in the playbook's zone, amounts, yes/no, choices
//! from a list), each failing with a [`Reject`] that locates the cell.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::accounts::Reject;
use super::header::{Column, ColumnIndex};
use super::mapping_yaml::DateFormats;
use super::spec::TableSpec;
use super::values::{parse_amount, parse_moment_in};
use crate::error::quoted;
use crate::model::notes::same_ignoring_case;

/// A cell without its surrounding white space: most cells start and end with a visible ASCII
/// character and are taken as they are, without `str::trim`'s per-character Unicode test.
fn trim(v: &str) -> &str {
    match (v.as_bytes().first(), v.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => v,
        _ => v.trim(),
    }
}

/// One data row with typed, located accessors. Every accessor trims surrounding space.
pub struct Row<'a> {
    pub line: u64,
    pub(crate) rec: &'a csv::StringRecord,
    pub(crate) index: &'a ColumnIndex,
    pub(crate) spec: &'a TableSpec,
    /// Optional cells that could not be read and are taken as missing
    /// ([`Row::optional_timestamp`]): the reader warns of each once the row is used.
    pub(crate) unreadable: &'a std::cell::RefCell<Vec<Reject>>,
}

impl<'a> Row<'a> {
    fn idx(&self, name: &(impl Column + ?Sized)) -> Option<usize> {
        name.position(self.index)
    }

    fn err(&self, name: &(impl Column + ?Sized), message: String) -> Reject {
        Reject {
            column: self.idx(name),
            message,
            follows: None,
        }
    }

    /// The trimmed cell, or "" when the column or the cell is absent.
    pub fn text(&self, name: &(impl Column + ?Sized)) -> &'a str {
        self.idx(name)
            .and_then(|i| self.rec.get(i))
            .map_or("", trim)
    }

    /// A cell that must not be empty.
    pub fn required(&self, name: &(impl Column + ?Sized)) -> Result<&'a str, Reject> {
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
        name: &(impl Column + ?Sized),
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
            .find(|(k, _)| same_ignoring_case(k, v))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let known: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                self.err(
                    name,
                    format!(
                        "unknown value {} (expected one of: {})",
                        quoted(v),
                        known.join(", ")
                    ),
                )
            })
    }

    /// The configured date formats of a column, tried in order (none when the mapping sets
    /// none).
    fn format_of(&self, name: &(impl Column + ?Sized)) -> &[String] {
        self.spec
            .date_formats
            .get(name.name())
            .or(self.spec.date_format.as_ref())
            .map_or(&[], DateFormats::list)
    }

    /// A calendar date; a timestamp is accepted and reduced to its local date in `tz`.
    pub fn date(&self, name: &(impl Column + ?Sized), tz: Tz) -> Result<Option<NaiveDate>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        if let Some(d) = super::iso::date(v.as_bytes()) {
            return Ok(Some(d));
        }
        if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            return Ok(Some(d));
        }
        parse_moment_in(v, self.format_of(name), tz)
            .map(|t| Some(t.with_timezone(&tz).date_naive()))
            .map_err(|m| self.err(name, m))
    }

    pub fn required_date(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<NaiveDate, Reject> {
        self.required(name)?;
        Ok(self.date(name, tz)?.unwrap_or_default())
    }

    /// A moment in time: RFC 3339, a naive `YYYY-MM-DD[ HH:MM[:SS]]` read in `tz`, or the
    /// column's format from the mapping.
    pub fn timestamp(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<Option<DateTime<Utc>>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        parse_moment_in(v, self.format_of(name), tz)
            .map(Some)
            .map_err(|m| self.err(name, m))
    }

    /// A timestamp whose absence leaves a figure unknown, never wrong (a lead's creation or
    /// first touch): an unreadable cell is taken as missing, and the row kept with a warning
    /// at the cell, instead of leaving the whole row out of every figure.
    pub fn optional_timestamp(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Option<DateTime<Utc>> {
        self.timestamp(name, tz).unwrap_or_else(|r| {
            self.unreadable.borrow_mut().push(r);
            None
        })
    }

    pub fn required_timestamp(
        &self,
        name: &(impl Column + ?Sized),
        tz: Tz,
    ) -> Result<DateTime<Utc>, Reject> {
        self.required(name)?;
        Ok(self.timestamp(name, tz)?.unwrap_or_default())
    }

    /// An amount: `1234.50`, or as spreadsheets write it: `$1,234.50`, `€ 1.234,50` (with
    /// `decimal_comma`), `(1,234.50)` for a negative.
    pub fn decimal(&self, name: &(impl Column + ?Sized)) -> Result<Option<Decimal>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        parse_amount(v, self.spec.decimal_comma)
            .map(Some)
            .ok_or_else(|| self.err(name, format!("{} is not a number", quoted(v))))
    }

    pub fn unsigned(&self, name: &(impl Column + ?Sized)) -> Result<Option<u64>, Reject> {
        let v = self.text(name);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<u64>()
            .map(Some)
            .map_err(|_| self.err(name, format!("{} is not a whole number ≥ 0", quoted(v))))
    }

    /// A yes/no cell: yes, y, true, 1 are met; no, n, false, 0 and empty are not.
    pub fn flag(&self, name: &(impl Column + ?Sized)) -> Result<bool, Reject> {
        let v = self.text(name);
        let is = |words: &[&str]| words.iter().any(|w| same_ignoring_case(w, v));
        if is(&["yes", "y", "true", "1"]) {
            Ok(true)
        } else if is(&["no", "n", "false", "0", ""]) {
            Ok(false)
        } else {
            Err(self.err(
                name,
                format!(
                    "{} is not yes/no (use yes, y, true, 1 or no, n, false, 0, empty)",
                    quoted(v)
                ),
            ))
        }
    }

    /// Rejects the row, blaming `name`.
    pub fn reject(&self, name: &(impl Column + ?Sized), message: impl Into<String>) -> Reject {
        self.err(name, message.into())
    }

    /// A rejection of this row because the row of `file` it refers to in column `name` was
    /// rejected: listed in rejected.csv, summed up with the others in messages.
    pub fn reject_following(
        &self,
        name: &(impl Column + ?Sized),
        message: impl Into<String>,
        file: &str,
    ) -> Reject {
        Reject {
            follows: Some(file.to_string()),
            ..self.err(name, message.into())
        }
    }
}
