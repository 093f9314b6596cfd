//! Issue 17: a typo in mapping.yaml must not silently change figures, report footers are
//! recognised only at the end of a file, and YAML nested absurdly deep is refused before it
//! is parsed.

use std::path::Path;

use crate::util::{baton, copy_fixture};

/// Replaces `from` (which must be there) by `to` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// The 1-based line of `path` that contains `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).expect("read");
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

/// Runs `baton check` in `dir`: its exit code and stderr.
fn check(dir: &Path) -> (Option<i32>, String) {
    let out = baton(dir, &["check", "--quiet"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Before the fix every hand-off read as cold (warm show rate 2/3 became 0/0) and check
/// passed.
#[test]
fn a_typo_in_a_derive_source_is_an_error_at_its_line() {
    let tmp = copy_fixture("small-salesforce");
    let mapping = tmp.path().join("playbook/mapping.yaml");
    edit(&mapping, "from: Warm Intro Date", "from: Warm Intro Dat");
    let line = line_of(&mapping, "Warm Intro Dat");
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "playbook/mapping.yaml:{line}: error: derived column `handoff_type` reads `Warm Intro Dat`, \
             which data/lead_report.csv does not have in its header; did you mean `Warm Intro Date`?"
        )),
        "{stderr}"
    );
}

/// Before the fix every AE decision read as none and check passed.
#[test]
fn a_typo_in_a_mapped_optional_column_is_an_error_at_its_line() {
    let tmp = copy_fixture("small-salesforce");
    let mapping = tmp.path().join("playbook/mapping.yaml");
    edit(
        &mapping,
        "      budget: Budget Confirmed\n",
        "      budget: Budget Confirmed\n      ae_decision: AE Decison\n",
    );
    let line = line_of(&mapping, "AE Decison");
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "playbook/mapping.yaml:{line}: error: column `ae_decision` is mapped from `AE Decison`, \
             which data/lead_report.csv does not have in its header; did you mean `AE Decision`?"
        )),
        "{stderr}"
    );
}

/// A header named in another case or spacing is the same header: no error.
#[test]
fn headers_named_in_another_case_are_found() {
    let tmp = copy_fixture("small-salesforce");
    let mapping = tmp.path().join("playbook/mapping.yaml");
    edit(&mapping, "from: Warm Intro Date", "from: warm  intro-date");
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
}

/// A YAML file nested `depth` levels deep, in flow style (`[[[…`) or block style (`- - - …`).
fn deep_yaml(depth: usize, flow: bool) -> String {
    if flow {
        format!("company:\n  {}\n", "[".repeat(depth))
    } else {
        format!("company:\n  {}x\n", "- ".repeat(depth))
    }
}

/// 200,000 levels took 79 s to parse; they are refused before parsing, at the line where
/// the limit is crossed.
#[test]
fn yaml_nested_200k_deep_is_refused_before_parsing() {
    for flow in [true, false] {
        let tmp = copy_fixture("small");
        std::fs::write(
            tmp.path().join("playbook/site.yaml"),
            deep_yaml(200_000, flow),
        )
        .expect("write");
        let (code, stderr) = check(tmp.path());
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "playbook/site.yaml:2: error: YAML nested more than 64 levels deep (a playbook needs a few); not read"
            ),
            "flow {flow}: {stderr}"
        );
    }
}

/// Deep indentation in mapping.yaml, and a page's front matter, are refused the same way.
#[test]
fn deep_indentation_and_front_matter_are_refused() {
    let tmp = copy_fixture("small");
    let indented: String = (0..100)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    std::fs::write(tmp.path().join("playbook/mapping.yaml"), indented).expect("write");
    std::fs::write(
        tmp.path().join("playbook/deep.md"),
        format!("---\ntitle: {}\n---\n# Deep\n", "{a: ".repeat(100)),
    )
    .expect("write");
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("playbook/mapping.yaml:65: error: YAML nested more than 64 levels deep"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "playbook/deep.md:2: error: front matter: YAML nested more than 64 levels deep"
        ),
        "{stderr}"
    );
}
