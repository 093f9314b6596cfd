//! `playbook/mapping.yaml` as written (docs/mapping.md): the built-in presets, each table's
//! file, formats, column renames, value maps and derived fields, before they are compiled
//! into a [`super::spec::TableSpec`]. A preset is merged under the project's own keys here.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::decoder::Encoding;
use super::filters::Condition;
use crate::model::notes::same_ignoring_case;

/// Built-in presets, selectable by `preset:` and overridable key by key.
const PRESETS: [(&str, &str); 2] = [
    ("salesforce", include_str!("presets/salesforce.yaml")),
    ("hubspot", include_str!("presets/hubspot.yaml")),
];

/// A derived column: its value comes from another column of the export.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Derive {
    /// The source column (header as exported), or several that `format` puts together.
    pub from: Headers,
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

/// One exported header, or several (`[First Name, Last Name]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Headers {
    One(String),
    Several(Vec<String>),
}

impl Headers {
    /// The headers, in the order a `format` takes them.
    pub fn list(&self) -> &[String] {
        match self {
            Headers::One(h) => std::slice::from_ref(h),
            Headers::Several(hs) => hs,
        }
    }
}

/// A column's date format, or several tried in order (`["%m/%d/%Y %H:%M", "%m/%d/%Y"]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum DateFormats {
    One(String),
    Several(Vec<String>),
}

impl DateFormats {
    /// The formats, in the order they are tried.
    pub fn list(&self) -> &[String] {
        match self {
            DateFormats::One(f) => std::slice::from_ref(f),
            DateFormats::Several(fs) => fs,
        }
    }
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
    /// What becomes of a row whose key is not in the lookup file: `reject` (the default) or
    /// `skip` (the row is not part of the table: counted as filtered, like `where:`).
    #[serde(default)]
    pub unmatched: Option<String>,
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
    pub date_format: Option<DateFormats>,
    /// Per column date formats, overriding `date_format`.
    pub date_formats: BTreeMap<String, DateFormats>,
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
    /// `won`: the export lists only rows tied to won deals (handoffs, opportunities, leads).
    pub only: Option<String>,
    /// Columns looked up by key in another export.
    pub lookups: Vec<Lookup>,
    /// reps only: build the roster from the rep ids that other tables name.
    pub infer_from: Vec<InferSource>,
    /// Exported header → the condition its cell must meet for the row to be in the table.
    #[serde(rename = "where")]
    pub filters: BTreeMap<String, Condition>,
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
    pub named: BTreeMap<String, Vec<NamedHeader>>,
}

impl Mapping {
    /// Applies the preset named by `preset` under this mapping. Unknown preset: an error text.
    pub fn with_preset(mut self) -> Result<Mapping, String> {
        let Some(name) = self.preset.clone() else {
            return Ok(self);
        };
        let Some((_, text)) = PRESETS.iter().find(|(n, _)| same_ignoring_case(n, &name)) else {
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
}

/// `over`'s settings win; maps are merged key by key.
pub(crate) fn merge(base: &mut TableMapping, over: TableMapping) {
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
    base.filters.extend(over.filters);
    if !over.infer_from.is_empty() {
        base.infer_from = over.infer_from;
    }
}

/// One exported header as the mapping names it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedHeader {
    /// As written in mapping.yaml.
    pub header: String,
    /// What the mapping does with it.
    pub kind: NamedAs,
    /// mapping.yaml as shown in messages, and the line of the key that names the header.
    pub file: String,
    pub line: Option<u64>,
}

/// Where in a table's mapping a header is named.
#[derive(Debug, Clone, PartialEq)]
pub enum NamedAs {
    /// `columns: {canonical: header}`.
    Column(String),
    /// `derive: {canonical: {from: header}}`; may also name a renamed or looked-up column.
    DeriveFrom(String),
    /// `lookups: [{key: header}]`; may also name a renamed column.
    LookupKey,
    /// `where: {header: condition}`: an exported header.
    Filter,
}
