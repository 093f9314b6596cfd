//! Columns a mapping adds to every row of an export: made from another column (its presence,
//! or a format), fixed, looked up by key in another export, or standing in for a column the
//! CRM does not export (docs/mapping.md, "Exports not shaped like Baton").
//!
//! Rules are compiled from `mapping.yaml` once per table, bound to the export's header when
//! the file is opened, then evaluated per row by the CSV reader's translation step, so a
//! table without any of them is read exactly as before.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::accounts::Reject;

use super::decoder::located;

use super::decoder::open_reader;

use super::decoder::Encoding;
use super::header::normalize_header;
use crate::error::Diagnostic;

use super::rules::{LookupSpec, Rule};

/// A rule bound to one export: its source column's index and, for a lookup, the loaded file.
pub struct Derived {
    /// The exported column the value comes from (blamed when the value is refused).
    pub source: Option<usize>,
    /// The columns after the first that a value made from several reads, in order.
    pub others: Vec<usize>,
    kind: Kind,
}

enum Kind {
    Presence {
        non_empty: String,
        empty: String,
    },
    Format(String),
    Combine(String),
    Fixed(String),
    Lookup {
        table: Arc<LookupTable>,
        value: usize,
    },
}

impl Derived {
    /// The lookup file of a looked-up column whose lookup skips unmatched rows.
    pub fn skipping_lookup(&self) -> Option<&Arc<LookupTable>> {
        match &self.kind {
            Kind::Lookup { table, .. } if table.skip_unmatched => Some(table),
            _ => None,
        }
    }

    /// This column's value, given the trimmed `cell` of its source column.
    pub fn value(&self, cell: &str) -> Result<Cow<'_, str>, Reject> {
        Ok(match &self.kind {
            Kind::Presence { empty, .. } if cell.is_empty() => Cow::Borrowed(empty),
            Kind::Presence { non_empty, .. } => Cow::Borrowed(non_empty),
            Kind::Format(_) if cell.is_empty() => Cow::Borrowed(""),
            Kind::Format(template) => Cow::Owned(template.replace("{}", cell)),
            Kind::Combine(_) => Cow::Owned(self.combine(&[cell])),
            Kind::Fixed(v) => Cow::Borrowed(v),
            Kind::Lookup { .. } if cell.is_empty() => Cow::Borrowed(""),
            Kind::Lookup { table, value } => {
                Cow::Borrowed(table.get(cell, *value).map_err(|message| Reject {
                    column: self.source,
                    message,
                    follows: None,
                })?)
            }
        })
    }
}

impl Derived {
    /// The trimmed `cells` of a value made from several columns put into its template's `{}`s
    /// in order, the result trimmed (`{} {}` of an empty first name and `Nowak` is `Nowak`);
    /// empty when every cell is.
    pub fn combine(&self, cells: &[&str]) -> String {
        let Kind::Combine(template) = &self.kind else {
            return cells.first().map_or(String::new(), |c| c.to_string());
        };
        if cells.iter().all(|c| c.is_empty()) {
            return String::new();
        }
        let mut out =
            String::with_capacity(template.len() + cells.iter().map(|c| c.len()).sum::<usize>());
        let mut cells = cells.iter();
        let mut parts = template.split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            out.push_str(cells.next().copied().unwrap_or(""));
            out.push_str(part);
        }
        out.trim().to_string()
    }
}

/// Binds a table's rules to an export whose normalized, renamed header index is `index`;
/// loads the lookup files they use from `dir`. Returns the columns in the order their values
/// are appended to a row: looked-up and fixed ones, then those read from another column,
/// each group by name. A source index at or past the header's length is a looked-up column.
pub fn bind(
    spec: &super::spec::TableSpec,
    index: &super::header::ColumnIndex,
    headers: &[String],
    dir: &Path,
    display: &str,
) -> Result<Vec<(String, Derived)>, Diagnostic> {
    let missing =
        |col: &str, from: &str, what: &str| missing_column(display, headers, col, from, what);
    let tables = load_lookups(spec, index, headers, dir, display)?;
    // Looked-up and fixed columns first, so a derive may read a looked-up column (e.g. an
    // owner's name from the leads file, formatted into a role's id).
    let mut names: Vec<(bool, &String)> = spec
        .derive
        .iter()
        .map(|(c, r)| {
            let reads = matches!(
                r,
                Rule::Presence { .. } | Rule::Format { .. } | Rule::Combine { .. }
            );
            (reads, c)
        })
        .collect();
    names.sort();
    let made: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .filter(|(_, (reads, c))| !reads && matches!(spec.derive[*c], Rule::Lookup { .. }))
        .map(|(i, (_, c))| (c.as_str(), headers.len() + i))
        .collect();
    let source = |from: &str| index.get(from).or_else(|| made.get(from)).copied();
    let mut out = Vec::with_capacity(names.len());
    for (_, col) in names {
        let d = match &spec.derive[col] {
            Rule::Presence {
                from,
                non_empty,
                empty,
            } => Derived {
                source: source(from),
                others: Vec::new(),
                kind: Kind::Presence {
                    non_empty: non_empty.clone(),
                    empty: empty.clone(),
                },
            },
            Rule::Format { from, template } => Derived {
                source: Some(source(from).ok_or_else(|| missing(col, from, "which formats"))?),
                others: Vec::new(),
                kind: Kind::Format(template.clone()),
            },
            Rule::Combine { from, template } => {
                let mut at = Vec::with_capacity(from.len());
                for f in from {
                    at.push(source(f).ok_or_else(|| missing(col, f, "which formats"))?);
                }
                Derived {
                    source: at.first().copied(),
                    others: at.split_off(1.min(at.len())),
                    kind: Kind::Combine(template.clone()),
                }
            }
            Rule::Fixed(v) => Derived {
                source: None,
                others: Vec::new(),
                kind: Kind::Fixed(v.clone()),
            },
            Rule::Lookup { lookup, column } => {
                let (key, table) = tables
                    .get(lookup)
                    .ok_or_else(|| Diagnostic::error(display, "lookup not loaded"))?;
                let value = table
                    .columns
                    .iter()
                    .position(|c| c == column)
                    .ok_or_else(|| {
                        Diagnostic::error(display, format!("lookup column `{column}` not loaded"))
                    })?;
                Derived {
                    source: Some(*key),
                    others: Vec::new(),
                    kind: Kind::Lookup {
                        table: Arc::clone(table),
                        value,
                    },
                }
            }
        };
        out.push((col.clone(), d));
    }
    Ok(out)
}

/// Why a column a rule reads is not there, located on the header line.
fn missing_column(
    display: &str,
    headers: &[String],
    col: &str,
    from: &str,
    what: &str,
) -> Diagnostic {
    Diagnostic::error(
        display,
        format!(
            "column `{from}`, {what} `{col}` in playbook/mapping.yaml, is not in the header (the header has: {})",
            crate::error::excerpt(&headers.join(", "), crate::error::LIST_CHARS)
        ),
    )
    .at(1, None)
}

/// The lookup files a table's rules use, by lookup number, with the index of their key
/// column in the table's own export.
fn load_lookups(
    spec: &super::spec::TableSpec,
    index: &super::header::ColumnIndex,
    headers: &[String],
    dir: &Path,
    display: &str,
) -> Result<HashMap<usize, (usize, Arc<LookupTable>)>, Diagnostic> {
    let mut wanted: HashMap<usize, (String, BTreeSet<String>)> = HashMap::new();
    for (col, rule) in &spec.derive {
        if let Rule::Lookup { lookup, column } = rule {
            let e = wanted
                .entry(*lookup)
                .or_insert_with(|| (col.clone(), BTreeSet::new()));
            e.1.insert(column.clone());
        }
    }
    let folder = display.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut out = HashMap::new();
    for (i, (col, columns)) in wanted {
        let Some(l) = spec.lookups.get(i) else {
            continue;
        };
        let key = index
            .get(&l.key)
            .copied()
            .ok_or_else(|| missing_column(display, headers, &col, &l.key, "the lookup key of"))?;
        let shown = if folder.is_empty() {
            l.file.clone()
        } else {
            format!("{folder}/{}", l.file)
        };
        let columns: Vec<String> = columns.into_iter().collect();
        let t = LookupTable::load(&dir.join(&l.file), &shown, l, columns, spec.encoding)?;
        out.insert(i, (key, Arc::new(t)));
    }
    Ok(out)
}

/// One row of a lookup file by key, or the two lines of a key that appears twice.
enum Entry {
    One(Vec<String>),
    Twice(u64, u64),
}

/// A lookup file held in memory: for each key, the cells of the columns the mapping uses.
pub struct LookupTable {
    display: String,
    matches: String,
    /// `unmatched: skip`: a row whose key is not here is not part of the table.
    pub skip_unmatched: bool,
    /// Normalized headers of the value columns, in the order of each entry's cells.
    columns: Vec<String>,
    rows: HashMap<String, (u64, Entry)>,
}

impl LookupTable {
    /// Reads `path` (shown as `display`), keeping the `columns` of each row by its key.
    fn load(
        path: &Path,
        display: &str,
        spec: &LookupSpec,
        columns: Vec<String>,
        encoding: Encoding,
    ) -> Result<LookupTable, Diagnostic> {
        if !path.is_file() {
            return Err(Diagnostic::error(
                display,
                "lookup file named in playbook/mapping.yaml is missing",
            ));
        }
        let mut reader = open_reader(path, display, None, encoding)?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Diagnostic::error(display, e.to_string()).at(1, None))?
            .iter()
            .map(normalize_header)
            .collect();
        let find = |h: &str| {
            headers.iter().position(|x| x == h).ok_or_else(|| {
                Diagnostic::error(
                    display,
                    format!(
                        "lookup column `{h}` named in playbook/mapping.yaml is not in the header (the header has: {})",
                        crate::error::excerpt(&headers.join(", "), crate::error::LIST_CHARS)
                    ),
                )
                .at(1, None)
            })
        };
        let key = find(&spec.matches)?;
        let cells = columns
            .iter()
            .map(|c| find(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows: HashMap<String, (u64, Entry)> = HashMap::new();
        let mut rec = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = located(&mut reader, e.position()).map_or(0, |p| p.line());
                    return Err(Diagnostic::error(display, e.to_string()).at(line, None));
                }
            }
            let line = located(&mut reader, rec.position()).map_or(0, |p| p.line());
            let k = rec.get(key).map_or("", str::trim);
            if k.is_empty() {
                continue;
            }
            let values = cells
                .iter()
                .map(|i| rec.get(*i).map_or("", str::trim).to_string())
                .collect();
            rows.entry(k.to_string())
                .and_modify(|(first, e)| *e = Entry::Twice(*first, line))
                .or_insert((line, Entry::One(values)));
        }
        Ok(LookupTable {
            display: display.to_string(),
            matches: spec.matches.clone(),
            skip_unmatched: spec.skip_unmatched,
            columns,
            rows,
        })
    }

    /// Whether `key` (trimmed, not empty) is in the lookup file, once or more.
    pub fn has(&self, key: &str) -> bool {
        self.rows.contains_key(key)
    }

    /// The rule a row skipped for a key not in this file is counted under.
    pub fn unmatched_rule(&self, key: &str) -> String {
        format!(
            "lookups: `{key}` not in column `{}` of {} (unmatched: skip)",
            self.matches, self.display
        )
    }

    /// Cell number `value` of the row whose key is `key`, or why there is none.
    fn get(&self, key: &str, value: usize) -> Result<&str, String> {
        match self.rows.get(key) {
            Some((_, Entry::One(cells))) => Ok(cells.get(value).map_or("", String::as_str)),
            Some((_, Entry::Twice(a, b))) => Err(format!(
                "{key:?} appears twice in column `{}` of {} (lines {a} and {b}): the lookup cannot tell which row to use",
                self.matches, self.display
            )),
            None => Err(format!(
                "{key:?} is not in column `{}` of {} (the lookup in playbook/mapping.yaml)",
                self.matches, self.display
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: `{from: [First Name, Last Name], format: "{} {}"}`. Each `{}` takes the next
    /// cell; an empty cell leaves its place empty and the result is trimmed; no cells, no value.
    #[test]
    fn a_value_made_from_several_columns_fills_each_slot_in_order() {
        let d = Derived {
            source: Some(0),
            others: vec![1],
            kind: Kind::Combine("{} {}".into()),
        };
        assert_eq!(d.combine(&["Šárka", "Nováková"]), "Šárka Nováková");
        assert_eq!(d.combine(&["", "Nováková"]), "Nováková");
        assert_eq!(d.combine(&["", ""]), "");
        let id = Derived {
            source: Some(0),
            others: vec![1, 2],
            kind: Kind::Combine("{}-{}/{}".into()),
        };
        assert_eq!(id.combine(&["EU", "42", "b"]), "EU-42/b");
    }
}
