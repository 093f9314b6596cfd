//! Issue 17: a typo in mapping.yaml must not silently change figures, report footers are
//! recognised only at the end of a file, and YAML nested absurdly deep is refused before it
//! is parsed.

use std::path::Path;

use crate::util::{append, baton, copy_fixture};

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

/// A row reading like a footer in the middle of a file was counted as a footer and listed
/// nowhere; it is an ordinary row (here rejected, with file:line), and the trailing footer
/// block is still skipped.
#[test]
fn footers_are_only_recognised_after_the_last_data_row() {
    let tmp = copy_fixture("small");
    let reps = tmp.path().join("data/reps.csv");
    edit(&reps, "b1,Bo Chen,", "Total,5\nReport of reps\nb1,Bo Chen,");
    append(
        &reps,
        "\nGrand Totals (8 records)\nConfidential Information\nCopyright (c) 2026\n",
    );
    let loaded = match baton::input::load(&baton::input::ProjectPaths::new(tmp.path())) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let account = loaded
        .accounts
        .iter()
        .find(|a| a.file == "data/reps.csv")
        .expect("reps account");
    assert_eq!(
        (account.read, account.used, account.rejected, account.footer),
        (11, 6, 2, 3)
    );
    let lines: Vec<(u64, &str)> = loaded
        .rejections
        .iter()
        .filter(|r| r.file == "data/reps.csv")
        .map(|r| (r.line, r.record[0].as_str()))
        .collect();
    assert_eq!(lines, [(4, "Total"), (5, "Report of reps")]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("data/reps.csv:4"), "{stderr}");
}

/// The same on the fast path of activities.csv, read whole and cut in two parts at every
/// line: a footer-looking row followed by data is rejected, one at the end is a footer.
#[test]
fn activity_footers_are_only_recognised_at_the_end() {
    let tmp = copy_fixture("small");
    let path = tmp.path().join("data/activities.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "Total,5");
    lines.push("Grand Totals (12 records)");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let loaded = match baton::input::load(&baton::input::ProjectPaths::new(tmp.path())) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let account = loaded
        .accounts
        .iter()
        .find(|a| a.file == "data/activities.csv")
        .expect("activities account");
    assert_eq!((account.rejected, account.footer), (1, 1), "{account:?}");
    let rejected: Vec<u64> = loaded
        .rejections
        .iter()
        .filter(|r| r.file == "data/activities.csv")
        .map(|r| r.line)
        .collect();
    assert_eq!(rejected, [4]);
}

/// docs/data-model.md said extra cells are ignored; a non-empty one rejects the row at the
/// first cell past the header (an unquoted comma has split a value), empty ones are ignored.
#[test]
fn a_row_with_an_extra_cell_is_rejected_at_its_column() {
    let tmp = copy_fixture("small");
    let reps = tmp.path().join("data/reps.csv");
    edit(
        &reps,
        "b1,Bo Chen,bdr,West,2025-01-01,",
        "b1,Bo Chen,bdr,West,2025-01-01,,2",
    );
    edit(
        &reps,
        "a1,Alex Kim,ae,East,2025-01-01,",
        "a1,Alex Kim,ae,East,2025-01-01,, ,",
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "data/reps.csv:4:7: error: the row has 7 cells but the header has 6 (is a value with a comma not quoted?)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("data/reps.csv:5"), "{stderr}");
}
