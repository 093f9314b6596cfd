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
