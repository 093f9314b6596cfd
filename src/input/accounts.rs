//! What became of every row of an export: read, used, rejected, blank, footer (the accounting
//! every summary shows), and each rejected row with its file, physical line, column and
//! reason.

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
