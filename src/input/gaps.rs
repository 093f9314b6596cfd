//! What an export does not hold, and the mapping keys that say so: which canonical columns a
//! mapping may declare `not_exported` (and the neutral stand-in the reader then uses), the
//! `only: won` declaration, the checks on every key added for exports not shaped like
//! Baton, and the record of gaps handed to the metrics (docs/mapping.md).

use super::mapping_yaml::TableMapping;
use crate::model::notes::same_ignoring_case;
use crate::model::Table;

/// The columns each table cannot do without (the lists `tables.rs` requires).
pub fn required(table: &str) -> &'static [&'static str] {
    match table {
        "reps" => &["rep_id", "name", "role", "pod", "start_date"],
        "handoffs" => &["lead_id", "sdr_id", "ae_id", "handoff_at", "handoff_type"],
        "meetings" => &["meeting_id", "lead_id", "scheduled_for", "status"],
        "opportunities" => &["opportunity_id", "ae_id", "created_at", "amount", "status"],
        "activities" => &["rep_id", "date", "type"],
        "activity_daily" => &["rep_id", "date", "type", "count"],
        "one_on_ones" => &["sdr_id", "ae_id", "date"],
        "forecasts" => &["period", "pod", "forecast_amount"],
        "leads" => &["lead_id", "sdr_id", "created_at"],
        "quotas" => &["rep_id"],
        "adjustments" => &["rep_id"],
        _ => &[],
    }
}

/// Optional columns some figure needs: when the header lacks one, that figure is
/// unavailable, exactly as if the mapping had declared it `not_exported`.
pub fn watched(table: Table) -> &'static [&'static str] {
    match table {
        Table::Handoffs => &[
            "lead_created_at",
            "first_touch_at",
            "ae_first_contact_at",
            "ae_decision",
            "ae_decision_at",
            "sdr_pain_point",
            "ae_pain_point",
        ],
        Table::Opportunities => &["loss_reason"],
        Table::Activities => &["outcome", "lead_id"],
        Table::Leads => &["first_touch_at", "disqualified_reason"],
        _ => &[],
    }
}

/// The value a column declared `not_exported` reads as. Required columns have none (Baton
/// cannot place a row without them) except the two whose figures the metrics can mark
/// unavailable: a hand-off's type (read as cold; warm-versus-cold figures are unavailable)
/// and a deal's amount (read as empty, so 0; money figures are unavailable).
pub fn placeholder(table: &str, column: &str) -> Option<&'static str> {
    match (table, column) {
        ("handoffs", "handoff_type") => Some("cold"),
        ("opportunities", "amount") => Some(""),
        _ if required(table).contains(&column) => None,
        _ => Some(""),
    }
}

const ROLES: [&str; 4] = ["sdr", "bdr", "ae", "manager"];

/// Tables whose rows name reps, so `infer_from` may read them.
const REP_TABLES: [&str; 4] = ["handoffs", "opportunities", "activities", "one_on_ones"];

/// Checks the keys for exports not shaped like Baton on table `name`.
pub fn validate(name: &str, t: &TableMapping) -> Vec<String> {
    let mut errors = Vec::new();
    let mut err = |m: String| errors.push(format!("table `{name}`: {m}"));
    // Each canonical column may be made one way only.
    let mut makers: Vec<(&str, &str)> = Vec::new();
    for (col, d) in &t.derive {
        makers.push((col, "derive"));
        let sources = d.from.list().len();
        if sources == 0 {
            err(format!("derive `{col}`: `from` names no column"));
        }
        if sources > 1 {
            let slots = d.format.as_deref().map_or(0, |f| f.matches("{}").count());
            if slots != sources {
                err(format!(
                    "derive `{col}`: `from` names {sources} columns, so `format` needs one `{{}}` for each (it has {slots})"
                ));
            }
        }
        if let Some(f) = &d.format {
            if !f.contains("{}") {
                err(format!(
                    "derive `{col}`: format {f:?} has no `{{}}` for the value"
                ));
            }
            if d.non_empty.is_some() || d.empty.is_some() {
                err(format!(
                    "derive `{col}`: use either `format` or `non_empty`/`empty`, not both"
                ));
            }
        }
    }
    for l in &t.lookups {
        if !plain_file_name(&l.file) {
            err(format!(
                "lookup file {:?} must be a plain file name inside data/",
                l.file
            ));
        }
        if l.columns.is_empty() {
            err(format!("lookup in {:?} names no columns", l.file));
        }
        if let Some(u) = l.unmatched.as_deref() {
            if !same_ignoring_case(u, "reject") && !same_ignoring_case(u, "skip") {
                err(format!(
                    "lookup in {:?}: unmatched: {u:?} is not supported (use `reject` or `skip`)",
                    l.file
                ));
            }
        }
        makers.extend(l.columns.keys().map(|c| (c.as_str(), "lookups")));
    }
    makers.extend(t.fixed.keys().map(|c| (c.as_str(), "fixed")));
    for c in &t.not_exported {
        makers.push((c, "not_exported"));
        if placeholder(name, c).is_none() {
            err(format!(
                "`{c}` is required and cannot be declared not_exported (only optional columns, `handoff_type` of handoffs and `amount` of opportunities can)"
            ));
        }
    }
    if let Some(only) = &t.only {
        if !same_ignoring_case(only, "won") {
            err(format!("only: {only:?} is not supported (use `only: won`)"));
        } else if !matches!(name, "handoffs" | "opportunities" | "leads") {
            err("`only: won` applies to handoffs, opportunities and leads".into());
        } else if name == "opportunities" {
            makers.push(("status", "only"));
        }
    }
    makers.sort();
    for w in makers.windows(2) {
        if w[0].0 == w[1].0 {
            err(format!(
                "column `{}` is made by both `{}` and `{}`",
                w[0].0, w[0].1, w[1].1
            ));
        }
    }
    if !t.infer_from.is_empty() {
        validate_infer(name, t, &mut err);
    }
    errors
}

fn validate_infer(name: &str, t: &TableMapping, err: &mut impl FnMut(String)) {
    if name != "reps" {
        err("`infer_from` builds the reps table only".into());
        return;
    }
    if t.file.is_some() {
        err("`infer_from` and `file` exclude each other: reps come from one or the other".into());
    }
    for s in &t.infer_from {
        if !REP_TABLES.contains(&s.table.as_str()) {
            err(format!(
                "infer_from: table `{}` names no reps (use one of: {})",
                s.table,
                REP_TABLES.join(", ")
            ));
        }
        if !ROLES.contains(&s.role.as_str()) {
            err(format!(
                "infer_from: role `{}` is not one of: {}",
                s.role,
                ROLES.join(", ")
            ));
        }
    }
    if !t.fixed.contains_key("pod") {
        err("inferred reps need `fixed: {pod: ...}`: the exports say nothing of pods".into());
    }
    match t.fixed.get("start_date") {
        None => err(
            "inferred reps need `fixed: {start_date: YYYY-MM-DD}`: the exports say nothing of when reps started"
                .into(),
        ),
        Some(d) if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() => {
            err(format!("fixed start_date {d:?} is not a date (YYYY-MM-DD)"))
        }
        Some(_) => {}
    }
}

/// Keys that describe one export and make no sense under `defaults:`.
pub fn validate_defaults(d: &TableMapping) -> Vec<String> {
    let mut errors = Vec::new();
    let keys = [
        ("fixed", !d.fixed.is_empty()),
        ("not_exported", !d.not_exported.is_empty()),
        ("only", d.only.is_some()),
        ("lookups", !d.lookups.is_empty()),
        ("infer_from", !d.infer_from.is_empty()),
        ("where", !d.filters.is_empty()),
    ];
    for (k, set) in keys {
        if set {
            errors.push(format!(
                "defaults: `{k}` belongs to a table, not to defaults"
            ));
        }
    }
    errors
}

/// A file name with no folder in it.
pub fn plain_file_name(f: &str) -> bool {
    !(f.contains(['/', '\\']) || f == ".." || f == "." || f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::mapping_yaml::Mapping;

    fn errors(yaml: &str) -> Vec<String> {
        let m: Mapping = serde_yaml::from_str(yaml).unwrap();
        crate::input::mapping::validate(&m)
    }

    #[test]
    fn required_columns_cannot_be_declared_missing_but_amount_can() {
        assert!(
            errors("tables:\n  opportunities:\n    not_exported: [amount, loss_reason]\n")
                .is_empty()
        );
        let e = errors("tables:\n  handoffs:\n    not_exported: [handoff_at]\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("`handoff_at` is required"));
    }

    #[test]
    fn a_column_is_made_one_way_only() {
        let e = errors("tables:\n  opportunities:\n    only: won\n    fixed: {status: open}\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("`status` is made by both"));
    }

    #[test]
    fn inferred_reps_need_a_pod_and_a_start_date() {
        let base =
            "tables:\n  reps:\n    infer_from: [{table: handoffs, column: sdr_id, role: sdr}]\n";
        assert_eq!(errors(base).len(), 2);
        let ok = format!("{base}    fixed: {{pod: p, start_date: \"2020-01-01\"}}\n");
        assert!(errors(&ok).is_empty());
        let bad = "tables:\n  reps:\n    infer_from: [{table: forecasts, column: pod, role: boss}]\n    fixed: {pod: p, start_date: \"2020-01-01\"}\n";
        assert_eq!(errors(bad).len(), 2);
    }

    #[test]
    fn formats_need_a_slot_and_lookups_stay_in_data() {
        let e = errors(
            "tables:\n  handoffs:\n    derive: {sdr_id: {from: owner, format: sdr}}\n    lookups: [{file: ../x.csv, key: id, columns: {company: name}}]\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn defaults_hold_formats_only() {
        assert_eq!(errors("defaults:\n  only: won\n").len(), 1);
        assert_eq!(errors("defaults:\n  where: {Type: Lead}\n").len(), 1);
        // A value made from several columns needs a `{}` for each.
        let t = |d: &str| format!("tables:\n  reps:\n    derive: {{name: {d}}}\n");
        assert_eq!(
            errors(&t("{from: [First, Last], format: \"{} {}\"}")).len(),
            0
        );
        assert_eq!(errors(&t("{from: [First, Last], format: \"{}\"}")).len(), 1);
        assert_eq!(errors(&t("{from: [First, Last]}")).len(), 1);
    }

    #[test]
    fn stand_ins() {
        assert_eq!(placeholder("handoffs", "handoff_type"), Some("cold"));
        assert_eq!(placeholder("handoffs", "ae_first_contact_at"), Some(""));
        assert_eq!(placeholder("handoffs", "sdr_id"), None);
    }
}
