//! A table's mapping ready to apply while reading: the defaults and the table's own keys
//! merged, header names normalized, value keys case-folded, derived columns compiled. The CSV
//! reader applies it; the rest of Baton sees only canonical columns and values.

use std::collections::{BTreeMap, HashMap};

use super::decoder::Encoding;
use super::filters::Filter;
use super::header::normalize_header;
use super::mapping_yaml::{merge, DateFormats, InferSource, Mapping, NamedHeader, TableMapping};
use super::rules::{LookupSpec, Rule};
use crate::model::notes::fold_case;

/// A table's mapping ready to apply: normalized header names and case-folded value keys.
#[derive(Debug, Clone, Default)]
pub struct TableSpec {
    pub file: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    pub date_format: Option<DateFormats>,
    pub date_formats: HashMap<String, DateFormats>,
    pub decimal_comma: bool,
    /// Canonical column → normalized exported header.
    pub columns: HashMap<String, String>,
    /// Canonical column → (case-folded exported value → canonical value), plus the
    /// exported values as written, for error messages.
    pub values: HashMap<String, (HashMap<String, String>, Vec<String>)>,
    /// Canonical column → how it is made from the exported row (derive, lookups, fixed,
    /// placeholders of columns not exported).
    pub derive: HashMap<String, Rule>,
    /// The lookup files that `Rule::Lookup` refers to, by index.
    pub lookups: Vec<LookupSpec>,
    /// Canonical columns declared not exported.
    pub not_exported: Vec<String>,
    /// The export lists only rows tied to won deals.
    pub only_won: bool,
    /// Values fixed for every row, as written.
    pub fixed: BTreeMap<String, String>,
    pub infer_from: Vec<InferSource>,
    /// Exported headers the project's mapping.yaml names for this table, with their lines.
    pub named: Vec<NamedHeader>,
    /// `where:` conditions on exported headers: a row that fails one is filtered out.
    pub filters: Vec<Filter>,
}

impl TableSpec {
    /// The export's file name under `data/`: the mapping's `file`, else `<canonical>.csv`.
    pub fn file_name(&self, canonical: &str) -> String {
        self.file
            .clone()
            .unwrap_or_else(|| format!("{canonical}.csv"))
    }

    fn compile(t: &TableMapping, table: &str) -> TableSpec {
        TableSpec {
            file: t.file.clone(),
            delimiter: t.delimiter.as_deref().and_then(parse_delimiter),
            encoding: t.encoding.unwrap_or_default(),
            date_format: t.date_format.clone(),
            date_formats: t
                .date_formats
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            decimal_comma: t.decimal_comma.unwrap_or(false),
            columns: t
                .columns
                .iter()
                .map(|(k, v)| (k.clone(), normalize_header(v)))
                .collect(),
            values: t
                .values
                .iter()
                .map(|(col, m)| {
                    let map = m
                        .iter()
                        .map(|(k, v)| (fold_case(k.trim()), v.clone()))
                        .collect();
                    (col.clone(), (map, m.keys().cloned().collect()))
                })
                .collect(),
            derive: super::rules::compile(t, table),
            lookups: t.lookups.iter().map(LookupSpec::compile).collect(),
            not_exported: t.not_exported.clone(),
            only_won: t.only.is_some(),
            fixed: t.fixed.clone(),
            infer_from: t.infer_from.clone(),
            named: Vec::new(),
            filters: t
                .filters
                .iter()
                .map(|(header, condition)| Filter {
                    header: header.clone(),
                    condition: condition.clone(),
                })
                .collect(),
        }
    }

    /// Whether rows must be translated (value maps or derived columns) before use.
    pub fn translates(&self) -> bool {
        !self.values.is_empty() || !self.derive.is_empty()
    }
}

/// `,` `;` `tab` `\t` `|` into a byte.
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "," => Some(b','),
        ";" => Some(b';'),
        "tab" | "\t" | "\\t" => Some(b'\t'),
        "|" => Some(b'|'),
        _ => None,
    }
}

impl Mapping {
    /// The compiled spec of `table` (canonical name such as `handoffs`).
    pub fn spec(&self, table: &str) -> TableSpec {
        let mut t = self.defaults.clone();
        if let Some(over) = self.tables.get(table) {
            merge(&mut t, over.clone());
        }
        let mut spec = TableSpec::compile(&t, table);
        spec.named = self.named.get(table).cloned().unwrap_or_default();
        spec
    }
}
