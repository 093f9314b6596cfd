//! Headers that the project's own `mapping.yaml` names, checked against each export's header.
//!
//! A mapping names exported headers in a table's `columns`, a derive's `from` and a lookup's
//! `key`. Before this check a misspelt one was silently read as an empty column: one letter
//! wrong in `derive: handoff_type: {from: …}` made every hand-off cold (a warm show rate of
//! 2/3 became 0/0), one in `ae_decision: AE Decison` turned every AE decision into none, and
//! `baton check` passed. Now such a name is an error at its line of mapping.yaml, with the
//! header of the export closest to it. Names that come from a built-in preset are not
//! checked: a preset lists every standard label, and an export may leave optional ones out.

use std::collections::BTreeMap;

use super::header::{normalize_header, ColumnIndex};
use super::mapping_yaml::{Mapping, NamedAs, NamedHeader};
use super::rules::Rule;
use super::spec::TableSpec;
use super::yaml_sources::Sources;
use crate::error::Diagnostic;
use crate::model::notes::fold_case;

/// The headers that each table of the user's mapping (`raw`, before its preset is applied)
/// names, located in `file` through `sources`. Keys under `defaults:` apply to every table
/// and are not checked against any one export.
pub fn collect(raw: &Mapping, sources: &Sources, file: &str) -> BTreeMap<String, Vec<NamedHeader>> {
    let mut out = BTreeMap::new();
    for (table, t) in &raw.tables {
        let mut names = Vec::new();
        let mut named = |header: &str, kind: NamedAs, path: &[&str]| {
            let mut at = vec!["tables:".to_string(), format!("{table}:")];
            at.extend(path.iter().map(|s| s.to_string()));
            let at: Vec<&str> = at.iter().map(String::as_str).collect();
            names.push(NamedHeader {
                header: header.to_string(),
                kind,
                file: file.to_string(),
                line: sources.line_of(file, &at),
            });
        };
        for (col, header) in &t.columns {
            named(
                header,
                NamedAs::Column(col.clone()),
                &["columns:", &format!("{col}:")],
            );
        }
        for (col, d) in &t.derive {
            for from in d.from.list() {
                named(
                    from,
                    NamedAs::DeriveFrom(col.clone()),
                    &["derive:", &format!("{col}:")],
                );
            }
        }
        for header in t.filters.keys() {
            named(header, NamedAs::Filter, &["where:", &format!("{header}:")]);
        }
        for l in &t.lookups {
            named(
                &l.key,
                NamedAs::LookupKey,
                &["lookups:", &format!("key: {}", l.key)],
            );
        }
        out.insert(table.clone(), names);
    }
    out
}

/// Every header `spec`'s mapping names that the export does not have, as an error at its
/// line of mapping.yaml. `index` holds the export's normalized headers and the canonical
/// names they were renamed to; `raw` is the header line as read, for the suggestion.
pub fn check(
    spec: &TableSpec,
    index: &ColumnIndex,
    raw: &csv::StringRecord,
    display: &str,
) -> Vec<Diagnostic> {
    let exported: Vec<String> = raw.iter().map(normalize_header).collect();
    let mut unnamed: Vec<Diagnostic> = spec
        .named
        .iter()
        .filter_map(|n| {
            let h = normalize_header(&n.header);
            let found = match &n.kind {
                NamedAs::Column(_) | NamedAs::Filter => exported.contains(&h),
                NamedAs::LookupKey => index.contains_key(&h),
                NamedAs::DeriveFrom(_) => {
                    index.contains_key(&h)
                        || matches!(spec.derive.get(&h), Some(Rule::Lookup { .. }))
                        || matches!(spec.derive.get(&n.header), Some(Rule::Lookup { .. }))
                }
            };
            if found {
                return None;
            }
            let what = match &n.kind {
                NamedAs::Column(col) => format!("column `{col}` is mapped from `{}`", n.header),
                NamedAs::DeriveFrom(col) => format!("derived column `{col}` reads `{}`", n.header),
                NamedAs::LookupKey => format!("a lookup's key is `{}`", n.header),
                NamedAs::Filter => format!("a `where:` condition reads `{}`", n.header),
            };
            let hint = match closest(&n.header, raw) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the header has: {}", exported.join(", ")),
            };
            let d = Diagnostic::error(
                n.file.clone(),
                format!("{what}, which {display} does not have in its header; {hint}"),
            );
            Some(match n.line {
                Some(l) => d.at(l, None),
                None => d,
            })
        })
        .collect();
    unnamed.sort_by_key(|d| d.line);
    unnamed
}

/// The header of `raw` (a header line, or its headers) closest to `name` ignoring case, if it is close enough to be a typo:
/// at most a third of its letters (and at least two) differ.
pub(crate) fn closest<'a>(name: &str, raw: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name = fold_case(name.trim());
    let limit = (name.chars().count() / 3).max(2);
    raw.into_iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim())
        .map(|h| (edit_distance(&name, &fold_case(h)), h))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, h)| h)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_letters() {
        assert_eq!(edit_distance("ae decison", "ae decision"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_closest_header_is_suggested_only_when_close() {
        let raw = csv::StringRecord::from(vec!["\u{feff}Lead ID", "AE Decision", "Amount"]);
        assert_eq!(closest("AE Decison", &raw), Some("AE Decision"));
        assert_eq!(closest("ae decision ", &raw), Some("AE Decision"));
        assert_eq!(closest("Lead Id", &raw), Some("Lead ID"));
        assert_eq!(closest("Warm Intro Date", &raw), None);
    }
}
