//! Row filters (`where:` in a table's mapping, docs/mapping.md): conditions on exported
//! values that keep a row in the table. A real export holds rows that are not part of the
//! table (unassigned leads, test records, other record types); a row that fails a condition
//! is skipped and counted as `filtered` with the rule that skipped it, never rejected, so
//! `check` and `--strict` can pass on such an export.

use serde::Deserialize;

/// One or several values, as written.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Values {
    One(String),
    Many(Vec<String>),
}

impl Values {
    fn list(&self) -> Vec<&str> {
        match self {
            Values::One(v) => vec![v.as_str()],
            Values::Many(vs) => vs.iter().map(String::as_str).collect(),
        }
    }
}

/// What a cell must be for its row to be kept, as written under `where:`: a value (equals),
/// a list (one of), or `{empty: true|false}` and `{not: value or list}`, combinable in one map.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Condition {
    Equals(String),
    OneOf(Vec<String>),
    Test(Test),
}

/// The map form of a [`Condition`]: every key given must hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Test {
    /// `true`: the cell must be empty; `false`: it must not be.
    #[serde(default)]
    pub empty: Option<bool>,
    /// The cell must be none of these values.
    #[serde(default)]
    pub not: Option<Values>,
}

impl Condition {
    /// Whether a cell (trimmed; values compared exactly, after trimming) meets the condition.
    pub fn holds(&self, cell: &str) -> bool {
        let cell = cell.trim();
        match self {
            Condition::Equals(v) => cell == v.trim(),
            Condition::OneOf(vs) => vs.iter().any(|v| cell == v.trim()),
            Condition::Test(t) => {
                t.empty.is_none_or(|e| cell.is_empty() == e)
                    && t.not
                        .as_ref()
                        .is_none_or(|n| n.list().iter().all(|v| cell != v.trim()))
            }
        }
    }

    /// The condition in words, for the row accounting: `is Lead`, `is one of A, B`.
    pub fn describe(&self) -> String {
        let quoted = |vs: &[&str]| {
            vs.iter()
                .map(|v| format!("`{}`", v.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Condition::Equals(v) => format!("is {}", quoted(&[v])),
            Condition::OneOf(vs) => {
                let vs: Vec<&str> = vs.iter().map(String::as_str).collect();
                format!("is one of {}", quoted(&vs))
            }
            Condition::Test(t) => {
                let mut parts = Vec::new();
                match t.empty {
                    Some(true) => parts.push("is empty".to_string()),
                    Some(false) => parts.push("is not empty".to_string()),
                    None => {}
                }
                if let Some(n) = &t.not {
                    let list = n.list();
                    let what = if list.len() == 1 {
                        "is not"
                    } else {
                        "is none of"
                    };
                    parts.push(format!("{what} {}", quoted(&list)));
                }
                if parts.is_empty() {
                    "is anything".to_string()
                } else {
                    parts.join(" and ")
                }
            }
        }
    }
}

/// A compiled `where:` condition: the exported header it reads and the rule in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The header as written in mapping.yaml.
    pub header: String,
    pub condition: Condition,
}

impl Filter {
    /// The rule a skipped row fails, as the row accounting lists it:
    /// ``where: `Record Type` is `Lead` ``.
    pub fn rule(&self) -> String {
        format!("where: `{}` {}", self.header, self.condition.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(yaml: &str) -> Condition {
        serde_yaml::from_str(yaml).expect("condition")
    }

    #[test]
    fn each_form_keeps_what_it_says() {
        let equals = condition("Lead");
        assert!(equals.holds(" Lead ") && !equals.holds("lead") && !equals.holds(""));
        let one_of = condition("[Converted, Qualified]");
        assert!(one_of.holds("Qualified") && !one_of.holds("Open"));
        let empty = condition("{empty: true}");
        assert!(empty.holds("  ") && !empty.holds("x"));
        let not_empty = condition("{empty: false}");
        assert!(not_empty.holds("x") && !not_empty.holds(""));
        let not = condition("{not: [Test, Demo]}");
        assert!(not.holds("Web") && not.holds("") && !not.holds("Demo"));
        // Combined in one map: not empty and not `Test`.
        let both = condition("{empty: false, not: Test}");
        assert!(both.holds("Web") && !both.holds("") && !both.holds("Test"));
        assert_eq!(both.describe(), "is not empty and is not `Test`");
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        assert!(serde_yaml::from_str::<Condition>("{emtpy: true}").is_err());
    }
}
