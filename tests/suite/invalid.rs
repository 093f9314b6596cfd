//! The bad-input catalogue: each folder under `tests/fixtures/invalid/` is the `small` fixture
//! with some files replaced (or removed, listed in `remove`), and `expected` holds the exact
//! findings `baton check --quiet` must print, `file:line:column` included.

use std::path::Path;

use crate::util::{baton, copy_dir, copy_fixture, fixture};

/// Builds the broken project of `case` in a temp dir.
fn broken_project(case: &Path) -> tempfile::TempDir {
    let tmp = copy_fixture("small");
    if let Ok(list) = std::fs::read_to_string(case.join("remove")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            std::fs::remove_file(tmp.path().join(rel)).expect("remove listed file");
        }
    }
    copy_dir(case, tmp.path());
    for meta in ["remove", "expected"] {
        let _ = std::fs::remove_file(tmp.path().join(meta));
    }
    tmp
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .expect("catalogue")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn catalogue_has_at_least_thirty_cases() {
    assert!(cases().len() >= 30, "{} cases", cases().len());
}

#[test]
fn every_broken_project_fails_check_with_its_exact_messages() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let expected = std::fs::read_to_string(case.join("expected")).expect("expected file");
        let project = broken_project(&case);
        let out = baton(project.path(), &["check", "--quiet"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let found: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("check "))
            .collect();
        let want: Vec<&str> = expected.lines().collect();
        if out.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}, want 1", out.status.code()));
        }
        if found != want {
            failures.push(format!("{name}:\n  want {want:#?}\n  got  {found:#?}"));
        }
        assert!(
            !want.is_empty() && want.iter().any(|l| l.contains(": error: ")),
            "{name}: an expected file must list at least one error"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rows_read_equal_rows_used_plus_rejected_for_every_case() {
    for case in cases() {
        let project = broken_project(&case);
        let out = baton(project.path(), &["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json summary");
        for f in json["files"].as_array().expect("files") {
            let n = |k: &str| f[k].as_u64().expect("count");
            assert_eq!(
                n("read"),
                n("used") + n("rejected") + n("blank") + n("footer"),
                "{}: {}",
                case.display(),
                f
            );
        }
        // Every rejected row is reported as an error line.
        let rejected: u64 = json["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["rejected"].as_u64().unwrap_or(0))
            .sum();
        let errors = json["errors"].as_u64().expect("errors");
        assert!(
            errors >= rejected,
            "{}: {errors} < {rejected}",
            case.display()
        );
    }
}

#[test]
fn a_playbook_file_baton_does_not_read_is_a_warning() {
    let project = copy_fixture("small");
    std::fs::copy(
        project.path().join("playbook/team.yaml"),
        project.path().join("playbook/teams.yaml"),
    )
    .expect("copy");
    let out = baton(project.path(), &["check", "--deny-warnings"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("playbook/teams.yaml: warning: Baton does not read this file (playbook files: mapping.yaml, site.yaml, qualification.yaml, handoff.yaml, meetings.yaml, team.yaml, comp.yaml, gates.yaml, segments.yaml)"),
        "{err}"
    );
}
