//! How a column is found in an export's header: header names compared after normalizing, the
//! index of a file's columns by canonical name, and [`Column`], a column as the row accessors
//! take it (by name, or resolved once to a [`Col`]).

use crate::model::notes::fold_case;

/// Normalises a header for matching: BOM and surrounding space removed, case-folded (full
/// Unicode case folding, as every "ignoring case" match), runs of spaces, dashes and dots turned
/// into one `_`.
pub fn normalize_header(h: &str) -> String {
    let h = fold_case(h.trim_start_matches('\u{feff}').trim());
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

/// Column positions by canonical name. Looked up once per cell read, so hashed with
/// foldhash rather than SipHash (seeded per process like SipHash, about five times faster on
/// these short names).
pub type ColumnIndex = foldhash::HashMap<String, usize>;

/// The most columns a header may have.
pub const MAX_COLUMNS: usize = 10_000;

/// A column as [`Row`]'s accessors take it: by its canonical name, looked up in the file's
/// header at every call, or as a [`Col`], looked up once for the whole file.
pub trait Column {
    /// The canonical name.
    fn name(&self) -> &str;
    /// The 0-based index in a row of the file whose columns are `index`.
    fn position(&self, index: &ColumnIndex) -> Option<usize>;
}

impl Column for str {
    fn name(&self) -> &str {
        self
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        index.get(self).copied()
    }
}

impl<C: Column + ?Sized> Column for &C {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        (**self).position(index)
    }
}

impl Column for String {
    fn name(&self) -> &str {
        self
    }

    fn position(&self, index: &ColumnIndex) -> Option<usize> {
        self.as_str().position(index)
    }
}

/// A column of one file with its index resolved ([`CsvFile::col`]): a hand-off row reads some
/// twenty cells, and hashing each name every row was a tenth of reading handoffs.csv. Only for
/// the rows of the file it was made from.
#[derive(Debug, Clone)]
pub struct Col {
    pub(crate) name: String,
    pub(crate) position: Option<usize>,
}

impl Column for Col {
    fn name(&self) -> &str {
        &self.name
    }

    fn position(&self, _: &ColumnIndex) -> Option<usize> {
        self.position
    }
}
