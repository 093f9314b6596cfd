//! The rules of a mapping's added columns, compiled once per table from `mapping.yaml`: made
//! from another column (its presence, or a format), fixed, looked up by key in another export,
//! or a stand-in for a column the CRM does not export (docs/mapping.md). `derived` binds them
//! to an export's header and evaluates them per row.

use std::collections::HashMap;

use super::header::normalize_header;
use super::mapping_yaml::{Lookup, TableMapping};

/// How a mapped-in column gets its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `non_empty` when the source cell has text, `empty` otherwise.
    Presence {
        from: String,
        non_empty: String,
        empty: String,
    },
    /// The trimmed source cell put into `template` at `{}`; an empty cell stays empty.
    Format { from: String, template: String },
    /// The trimmed cells of several columns put into `template`'s `{}`s in order.
    Combine { from: Vec<String>, template: String },
    /// The same value on every row.
    Fixed(String),
    /// The cell of `column` (normalized header) in the row of lookup number `lookup` whose
    /// key matches this row's key.
    Lookup { lookup: usize, column: String },
}

/// A lookup file as the mapping names it, headers normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupSpec {
    pub file: String,
    /// Key column in the table's own export.
    pub key: String,
    /// Key column in the lookup file.
    pub matches: String,
    /// A row whose key is not in the lookup file is skipped (filtered), not rejected.
    pub skip_unmatched: bool,
}

impl LookupSpec {
    pub fn compile(l: &Lookup) -> LookupSpec {
        LookupSpec {
            file: l.file.clone(),
            key: normalize_header(&l.key),
            matches: normalize_header(l.matches.as_deref().unwrap_or(&l.key)),
            skip_unmatched: l
                .unmatched
                .as_deref()
                .is_some_and(|u| u.eq_ignore_ascii_case("skip")),
        }
    }
}

/// A table's mapped-in columns by canonical name. `gaps::validate` refuses a column that
/// two kinds define; were it not run, later kinds here would win.
pub fn compile(t: &TableMapping, table: &str) -> HashMap<String, Rule> {
    let mut out = HashMap::new();
    for (col, d) in &t.derive {
        let sources: Vec<String> = d.from.list().iter().map(|h| normalize_header(h)).collect();
        let from = sources.first().cloned().unwrap_or_default();
        let rule = match &d.format {
            Some(template) if sources.len() > 1 => Rule::Combine {
                from: sources,
                template: template.clone(),
            },
            Some(template) => Rule::Format {
                from,
                template: template.clone(),
            },
            None => Rule::Presence {
                from,
                non_empty: d.non_empty.clone().unwrap_or_else(|| "yes".into()),
                empty: d.empty.clone().unwrap_or_default(),
            },
        };
        out.insert(col.clone(), rule);
    }
    for (i, l) in t.lookups.iter().enumerate() {
        for (col, header) in &l.columns {
            let column = normalize_header(header);
            out.insert(col.clone(), Rule::Lookup { lookup: i, column });
        }
    }
    for (col, v) in &t.fixed {
        out.insert(col.clone(), Rule::Fixed(v.clone()));
    }
    for col in &t.not_exported {
        let stand_in = super::gaps::placeholder(table, col).unwrap_or("");
        out.insert(col.clone(), Rule::Fixed(stand_in.to_string()));
    }
    if t.only.is_some() && table == "opportunities" {
        out.insert("status".into(), Rule::Fixed("won".into()));
    }
    out
}
