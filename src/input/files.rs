//! Which files of `data/` a run read besides the tables' own exports: the lookup files the
//! mapping names, and the files no table read at all (a `Quotas.csv` that is not
//! `quotas.csv`, an export the mapping does not name), for the build summary.

use std::path::Path;

use serde::Serialize;

use super::accounts::RowAccount;
use super::mapping_yaml::Mapping;

/// A lookup file (docs/mapping.md, `lookups`) and the table whose mapping reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupFile {
    pub file: String,
    pub table: String,
}

/// The lookup files of the tables that were read (`accounts`), as shown under `prefix`.
pub fn lookups(mapping: &Mapping, accounts: &[RowAccount], prefix: &str) -> Vec<LookupFile> {
    let mut out: Vec<LookupFile> = Vec::new();
    for a in accounts {
        for l in mapping.spec(&a.table).lookups {
            let found = LookupFile {
                file: format!("{prefix}{}", l.file),
                table: a.table.clone(),
            };
            if !out.contains(&found) {
                out.push(found);
            }
        }
    }
    out
}

/// The files directly in `data` (shown under `prefix`) that neither a table nor a lookup
/// read, by name; hidden files (`.DS_Store`, `.gitkeep`) and folders are not listed.
pub fn unread(
    data: &Path,
    prefix: &str,
    accounts: &[RowAccount],
    lookups: &[LookupFile],
) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        // A name that is not UTF-8 is listed too, its odd bytes shown as U+FFFD.
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .map(|name| format!("{prefix}{name}"))
        .filter(|shown| {
            !accounts.iter().any(|a| &a.file == shown) && !lookups.iter().any(|l| &l.file == shown)
        })
        .collect();
    out.sort();
    out
}
