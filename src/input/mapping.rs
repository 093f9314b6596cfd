//! How a real CRM export maps onto Baton's canonical tables (`playbook/mapping.yaml`,
//! docs/mapping.md): file names, formats, column renames, value maps and derived fields.
//!
//! A mapping is compiled per table into a [`TableSpec`] that the CSV reader applies while it
//! reads: the rest of Baton only ever sees canonical column names and values.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::csv_table::normalize_header;
use super::derived::{LookupSpec, Rule};

/// Built-in presets, selectable by `preset:` and overridable key by key.
const PRESETS: [(&str, &str); 2] = [
    ("salesforce", include_str!("presets/salesforce.yaml")),
    ("hubspot", include_str!("presets/hubspot.yaml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    #[serde(rename = "windows-1252", alias = "cp1252", alias = "windows1252")]
    Windows1252,
}

/// A derived column: its value comes from another column of the export.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Derive {
    /// The source column (header as exported).
    pub from: String,
    /// Value when the source cell is not empty.
    #[serde(default)]
    pub non_empty: Option<String>,
    /// Value when it is empty.
    #[serde(default)]
    pub empty: Option<String>,
    /// The source value put into a template: `{}` stands for the trimmed cell (`sdr-{}`).
    #[serde(default)]
    pub format: Option<String>,
}

/// Columns taken from another export by key (`lookups:`), e.g. a lead's first-contact date
/// from the leads file by lead id.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// File name under data/ (a plain name: no folders).
    pub file: String,
    /// Column of this table's export that holds the key (header as exported).
    pub key: String,
    /// Column of the lookup file that holds the key; the same header as `key` when absent.
    #[serde(default, rename = "match")]
    pub matches: Option<String>,
    /// Canonical column → header in the lookup file.
    pub columns: BTreeMap<String, String>,
}

/// Where inferred reps come from: the ids in `column` of canonical `table`, with `role`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InferSource {
    pub table: String,
    pub column: String,
    pub role: String,
}

/// The mapping of one table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TableMapping {
    /// File name under data/ (a plain name: no folders).
    pub file: Option<String>,
    /// `,`, `;`, `tab` or `|`; detected from the header line when absent.
    pub delimiter: Option<String>,
    pub encoding: Option<Encoding>,
    /// chrono format for every date/time column of the table, e.g. `%m/%d/%Y`, or `excel`.
    pub date_format: Option<String>,
    /// Per column date formats, overriding `date_format`.
    pub date_formats: BTreeMap<String, String>,
    /// Numbers are written `1.234,56`.
    pub decimal_comma: Option<bool>,
    /// Canonical column → header in the export.
    pub columns: BTreeMap<String, String>,
    /// Canonical column → (exported value → canonical value).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Canonical column → derivation from another column.
    pub derive: BTreeMap<String, Derive>,
    /// Canonical column → the value of every row (`pod: olist`, `status: won`).
    pub fixed: BTreeMap<String, String>,
    /// Canonical columns the CRM does not export: figures needing them are unavailable.
    pub not_exported: Vec<String>,
    /// `won`: the export lists only rows tied to won deals (handoffs, opportunities).
    pub only: Option<String>,
    /// Columns looked up by key in another export.
    pub lookups: Vec<Lookup>,
    /// reps only: build the roster from the rep ids that other tables name.
    pub infer_from: Vec<InferSource>,
}

/// `playbook/mapping.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mapping {
    pub preset: Option<String>,
    /// Formats shared by every table unless a table says otherwise.
    pub defaults: TableMapping,
    pub tables: BTreeMap<String, TableMapping>,
    /// Per table, the exported headers the project's own mapping.yaml names (not its
    /// preset's), checked against each export's header when it is opened.
    #[serde(skip)]
    pub named: BTreeMap<String, Vec<super::named::NamedHeader>>,
}

impl Mapping {
    /// Applies the preset named by `preset` under this mapping. Unknown preset: an error text.
    pub fn with_preset(mut self) -> Result<Mapping, String> {
        let Some(name) = self.preset.clone() else {
            return Ok(self);
        };
        let Some((_, text)) = PRESETS.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)) else {
            let known: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown preset `{name}` (built-in presets: {})",
                known.join(", ")
            ));
        };
        let base: Mapping =
            serde_yaml::from_str(text).map_err(|e| format!("preset `{name}` is broken: {e}"))?;
        let mut tables = base.tables;
        for (table, over) in std::mem::take(&mut self.tables) {
            let t = tables.entry(table).or_default();
            merge(t, over);
        }
        let mut defaults = base.defaults;
        merge(&mut defaults, std::mem::take(&mut self.defaults));
        Ok(Mapping {
            preset: self.preset,
            defaults,
            tables,
            named: self.named,
        })
    }

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

/// `over`'s settings win; maps are merged key by key.
fn merge(base: &mut TableMapping, over: TableMapping) {
    base.file = over.file.or(base.file.take());
    base.delimiter = over.delimiter.or(base.delimiter.take());
    base.encoding = over.encoding.or(base.encoding);
    base.date_format = over.date_format.or(base.date_format.take());
    base.decimal_comma = over.decimal_comma.or(base.decimal_comma);
    base.date_formats.extend(over.date_formats);
    base.columns.extend(over.columns);
    for (col, vals) in over.values {
        base.values.entry(col).or_default().extend(vals);
    }
    base.derive.extend(over.derive);
    base.fixed.extend(over.fixed);
    for c in over.not_exported {
        if !base.not_exported.contains(&c) {
            base.not_exported.push(c);
        }
    }
    base.only = over.only.or(base.only.take());
    base.lookups.extend(over.lookups);
    if !over.infer_from.is_empty() {
        base.infer_from = over.infer_from;
    }
}

/// A table's mapping ready to apply: normalized header names and case-folded value keys.
#[derive(Debug, Clone, Default)]
pub struct TableSpec {
    pub file: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    pub date_format: Option<String>,
    pub date_formats: HashMap<String, String>,
    pub decimal_comma: bool,
    /// Canonical column → normalized exported header.
    pub columns: HashMap<String, String>,
    /// Canonical column → (lowercased exported value → canonical value), plus the
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
    pub named: Vec<super::named::NamedHeader>,
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
                        .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
                        .collect();
                    (col.clone(), (map, m.keys().cloned().collect()))
                })
                .collect(),
            derive: super::derived::compile(t, table),
            lookups: t.lookups.iter().map(LookupSpec::compile).collect(),
            not_exported: t.not_exported.clone(),
            only_won: t.only.is_some(),
            fixed: t.fixed.clone(),
            infer_from: t.infer_from.clone(),
            named: Vec::new(),
        }
    }

    /// Whether rows must be translated (value maps or derived columns) before use.
    pub fn translates(&self) -> bool {
        !self.values.is_empty() || !self.derive.is_empty()
    }
}

/// Reads `playbook/mapping.yaml` (absent: no mapping), applies its preset and validates it.
pub fn load(
    dir: &std::path::Path,
    prefix: &str,
    diags: &mut Vec<crate::error::Diagnostic>,
) -> Mapping {
    let mut sources = super::yaml_sources::Sources::default();
    let m: Mapping = super::playbook::read_yaml(dir, prefix, "mapping.yaml", &mut sources, diags);
    let file = format!("{prefix}mapping.yaml");
    let at = |d: crate::error::Diagnostic, key: &str| match sources.line_of(&file, &[key]) {
        Some(l) => d.at(l, None),
        None => d,
    };
    let m = Mapping {
        named: super::named::collect(&m, &sources, &file),
        ..m
    };
    let m = match m.with_preset() {
        Ok(m) => m,
        Err(e) => {
            diags.push(at(
                crate::error::Diagnostic::error(file.clone(), e),
                "preset:",
            ));
            return Mapping::default();
        }
    };
    for e in validate(&m) {
        diags.push(at(
            crate::error::Diagnostic::error(file.clone(), e),
            "tables:",
        ));
    }
    m
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

/// Validates a mapping: file names are plain names, delimiters known, tables known.
pub fn validate(m: &Mapping) -> Vec<String> {
    let mut errors = super::gaps::validate_defaults(&m.defaults);
    let known = crate::model::Table::ALL.map(|t| t.file_name().trim_end_matches(".csv"));
    for (name, t) in &m.tables {
        if !known.contains(&name.as_str()) && name != "quotas" && name != "activity_daily" {
            errors.push(format!(
                "unknown table `{name}` (tables: {}, activity_daily, quotas)",
                known.join(", ")
            ));
        }
        if let Some(f) = &t.file {
            if !super::gaps::plain_file_name(f) {
                errors.push(format!(
                    "table `{name}`: file {f:?} must be a plain file name inside data/"
                ));
            }
        }
        errors.extend(super::gaps::validate(name, t));
        for d in [&t.delimiter, &m.defaults.delimiter].into_iter().flatten() {
            if parse_delimiter(d).is_none() {
                errors.push(format!(
                    "table `{name}`: delimiter {d:?} is not one of `,` `;` `tab` `|`"
                ));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_and_user_keys_win() {
        let m: Mapping = serde_yaml::from_str(
            "preset: hubspot\ntables:\n  meetings:\n    values:\n      status:\n        DONE: held\n",
        )
        .unwrap();
        let m = m.with_preset().unwrap();
        let spec = m.spec("meetings");
        let (map, _) = &spec.values["status"];
        assert_eq!(map["done"], "held");
        assert_eq!(map["no_show"], "no_show");
    }

    #[test]
    fn unknown_preset_is_an_error() {
        let m = Mapping {
            preset: Some("pipedrive".into()),
            ..Mapping::default()
        };
        assert!(m.with_preset().unwrap_err().contains("salesforce, hubspot"));
    }

    #[test]
    fn file_names_cannot_leave_data() {
        let m: Mapping =
            serde_yaml::from_str("tables:\n  reps:\n    file: ../../etc/passwd\n").unwrap();
        assert_eq!(validate(&m).len(), 1);
    }
}
