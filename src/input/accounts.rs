//! What became of every row of an export: read, used, rejected, blank, footer (the accounting
//! every summary shows), and each rejected row with its file, physical line, column and
//! reason.

use serde::Serialize;

use crate::error::Diagnostic;

/// Rows of one file by fate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowAccount {
    pub file: String,
    /// The canonical table the file was read as (`handoffs` for a mapped `crm_deals.csv`):
    /// one export may feed two tables, and the summary names each.
    pub table: String,
    /// Data rows, blank ones included (the header is not a row).
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Rows whose every cell is empty: skipped, and counted here.
    pub blank: u64,
    /// Report footer rows after a blank line (grand totals, copyright): skipped and counted.
    pub footer: u64,
    /// Rows a `where:` condition of the mapping left out of the table: skipped and counted.
    pub filtered: u64,
    /// Optional cells that could not be read, taken as missing in rows that were used (each
    /// with a warning at its cell).
    pub unreadable: u64,
    /// The `where:` rules that skipped rows, with how many and their first lines.
    pub filtered_by: Vec<FilteredBy>,
}

/// The rows one `where:` rule skipped in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FilteredBy {
    /// The rule the rows failed, in words: ``where: `Record Type` is `Lead` ``.
    pub rule: String,
    pub rows: u64,
    /// The physical lines of the first [`FILTERED_LINES`] rows it skipped.
    pub lines: Vec<u64>,
}

/// How many lines of filtered rows each rule lists (the count is always whole).
pub const FILTERED_LINES: usize = 20;

impl RowAccount {
    /// Counts the row on `line` as skipped by `rule`.
    pub fn filter(&mut self, rule: String, line: u64) {
        self.filtered += 1;
        let by = match self.filtered_by.iter().position(|f| f.rule == rule) {
            Some(i) => &mut self.filtered_by[i],
            None => {
                self.filtered_by.push(FilteredBy {
                    rule,
                    ..FilteredBy::default()
                });
                self.filtered_by.last_mut().expect("just pushed")
            }
        };
        by.rows += 1;
        if by.lines.len() < FILTERED_LINES {
            by.lines.push(line);
        }
    }

    /// Adds the counts of `other`, a later part of the same file.
    pub fn add(&mut self, other: &RowAccount) {
        self.read += other.read;
        self.used += other.used;
        self.rejected += other.rejected;
        self.blank += other.blank;
        self.footer += other.footer;
        self.filtered += other.filtered;
        self.unreadable += other.unreadable;
        for f in &other.filtered_by {
            match self.filtered_by.iter_mut().find(|m| m.rule == f.rule) {
                Some(m) => {
                    m.rows += f.rows;
                    let room = FILTERED_LINES.saturating_sub(m.lines.len());
                    m.lines.extend(f.lines.iter().take(room));
                }
                None => self.filtered_by.push(f.clone()),
            }
        }
    }
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
    /// When the row was rejected only because the row it refers to was rejected (a meeting
    /// of a rejected hand-off): that row's file. Such rows are listed one by one in
    /// `rejected.csv`, and summed up in one message per file (see [`summarize`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
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
    /// The file of the rejected row this one refers to, when that is the only reason.
    pub follows: Option<String>,
}

impl Reject {
    pub fn row(message: impl Into<String>) -> Self {
        Reject {
            column: None,
            message: message.into(),
            follows: None,
        }
    }
}

/// The findings of a run's rejected rows: one per row, except rows rejected only because the
/// row they refer to was rejected, which are summed up in one finding per file and referred
/// file (a renamed header in a hand-off export once gave 26,567 messages, one per meeting
/// and deal of every hand-off). `rejected.csv` still lists every row.
pub fn summarize(rejections: &[Rejection]) -> Vec<Diagnostic> {
    // (file, referred file) → rows, in the order first met.
    let mut follow: Vec<((&str, &str), Vec<&Rejection>)> = Vec::new();
    for r in rejections {
        if let Some(of) = &r.follows {
            let key = (r.file.as_str(), of.as_str());
            match follow.iter_mut().find(|(k, _)| *k == key) {
                Some((_, rows)) => rows.push(r),
                None => follow.push((key, vec![r])),
            }
        }
    }
    // A lone such row keeps its own message (it names its column and id); two or more are
    // one finding, in the place of the first.
    let mut out = Vec::new();
    for r in rejections {
        let group = r.follows.as_ref().and_then(|of| {
            follow
                .iter()
                .find(|(k, _)| *k == (r.file.as_str(), of.as_str()))
        });
        match group {
            Some(((file, of), rows)) if rows.len() > 1 => {
                if std::ptr::eq(rows[0], r) {
                    out.push(
                        Diagnostic::error(
                            *file,
                            format!(
                                "{} rows of {file} refer to rows of {of} rejected above, from \
                                 this line on; each is listed in rejected.csv",
                                rows.len()
                            ),
                        )
                        .at(r.line, None),
                    );
                }
            }
            _ => out.push(r.diagnostic()),
        }
    }
    out
}
