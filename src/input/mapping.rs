//! Loading `playbook/mapping.yaml` (docs/mapping.md): read it, apply its preset, note the
//! headers it names, and validate every table's keys. Its types are in `mapping_yaml`; a
//! table's compiled form, which the CSV reader applies, is `spec::TableSpec`.

use super::mapping_yaml::Mapping;
use super::spec::parse_delimiter;

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

/// Validates a mapping: file names are plain names, delimiters known, tables known.
pub fn validate(m: &Mapping) -> Vec<String> {
    let mut errors = super::gaps::validate_defaults(&m.defaults);
    let known = crate::model::Table::ALL.map(|t| t.file_name().trim_end_matches(".csv"));
    for (name, t) in &m.tables {
        if !known.contains(&name.as_str())
            && name != "quotas"
            && name != "adjustments"
            && name != "activity_daily"
        {
            errors.push(format!(
                "unknown table `{name}` (tables: {}, activity_daily, quotas, adjustments)",
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
