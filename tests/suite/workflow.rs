//! The workflow around the build, run as a user would with the real binary: `init` from an
//! empty folder, `generate`, stage lines and the summary, CLI overrides of `site.yaml`, exit
//! codes for CI, completions, `--version` and `--help`. `serve` is in [`serve`].

pub(crate) mod serve;

use std::path::Path;

use crate::util::{baton, copy_fixture};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn metrics(root: &Path) -> serde_json::Value {
    serde_json::from_str(&read(root.join("output/metrics.json"))).expect("metrics.json")
}

#[test]
fn init_in_an_empty_folder_gives_a_project_that_checks_builds_and_uses_its_templates() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = baton(tmp.path(), &["init", "my-report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("created a Baton project in my-report"));
    let root = tmp.path().join("my-report");
    for file in [
        "data/reps.csv",
        "data/handoffs.csv",
        "data/activities.csv",
        "playbook/site.yaml",
        "playbook/comp.yaml",
    ] {
        assert!(root.join(file).is_file(), "{file} missing");
    }
    // No template is copied unless asked: a copy would not follow Baton's upgrades.
    assert!(
        !root.join("templates").exists(),
        "templates copied by default"
    );
    let out = baton(&root, &["templates", "eject", "index.html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !root.join("templates/base.html").exists(),
        "only the one asked for"
    );
    // The ejected template is the built-in one, byte for byte.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        read(root.join("templates/index.html")),
        read(repo.join("templates/index.html"))
    );
    assert!(read(root.join(".gitignore"))
        .lines()
        .any(|l| l == "/output/"));
    let readme = read(root.join("README.md"));
    for needed in [
        "data/handoffs.csv",
        "`handoff_type` (`warm` or `cold`)",
        "data/reps.csv",
        "preset: salesforce",
        "docs/mapping.md",
    ] {
        assert!(readme.contains(needed), "README lacks {needed:?}");
    }

    let check = baton(&root, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let build = baton(&root, &["build", "--strict"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(stderr(&build).contains("build ok: 0 error(s), 0 warning(s)"));
    assert_eq!(metrics(&root)["period"], "2026-10");

    // A user's edit of an ejected template shows in the next build.
    let index = root.join("templates/index.html");
    let edited = read(&index).replacen(
        "{% block content %}",
        "{% block content %}<p>Edited by the team</p>",
        1,
    );
    assert!(edited.contains("Edited by the team"), "no content block");
    std::fs::write(&index, edited).expect("edit");
    let build = baton(&root, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(read(root.join("output/index.html")).contains("<p>Edited by the team</p>"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing_unless_forced() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("README.md"), "ours").expect("write");
    let out = baton(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("would overwrite 1 existing file(s)") && err.contains("\n  README.md\n"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(read(tmp.path().join("README.md")), "ours");
    assert!(
        !tmp.path().join("data").exists(),
        "a refused init wrote data/"
    );

    let out = baton(tmp.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 of them overwritten"));
    assert!(read(tmp.path().join("README.md")).contains("What to export from the CRM"));

    // Twice, with the templates: every file is in the way now, and each is named.
    let out = baton(tmp.path(), &["init", "--templates"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for file in ["  data/reps.csv", "  playbook/site.yaml"] {
        assert!(err.contains(file), "{file} not listed in {err}");
    }
    // --templates writes them all.
    let out = baton(tmp.path(), &["init", "--force", "--templates"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(tmp.path().join("templates/base.html").is_file());
    assert!(tmp.path().join("templates/assets/style.css").is_file());
}

#[test]
fn generate_writes_the_shipped_example_and_other_seeds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = baton(tmp.path(), &["generate", "example"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("data as of 2026-10-31"),
        "{}",
        stdout(&out)
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        read(tmp.path().join("example/data/handoffs.csv")),
        read(repo.join("data/handoffs.csv"))
    );
    let out = baton(tmp.path(), &["generate", "--seed", "7", "other"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(
        read(tmp.path().join("other/data/handoffs.csv")),
        read(repo.join("data/handoffs.csv"))
    );
    assert_eq!(
        baton(tmp.path(), &["generate", "--scale", "0", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_build_prints_stage_lines_and_ends_with_its_summary() {
    let project = copy_fixture("small");
    let out = baton(project.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let starts = |p: &str| lines.iter().position(|l| l.starts_with(p));
    // stderr is not a terminal here: plain lines, no live progress.
    assert!(!err.contains('\r'), "{err}");
    let read_line = starts("read 7 files, 51 rows in ").expect("read stage");
    let computed = starts("computed 2026-10 metrics and comp statements in ").expect("compute");
    let rendered = starts("rendered ").expect("render stage");
    let pages = metrics_files(project.path());
    assert_eq!(
        lines[rendered].split(" files in ").next(),
        Some(format!("rendered {pages}").as_str())
    );
    assert!(read_line < computed && computed < rendered);
    let period = starts("period 2026-10, data as of 2026-10-31 23:59 UTC").expect("period");
    assert!(lines[period + 1].starts_with("  data/reps.csv "));
    assert!(lines[period + 1].ends_with("6 read          6 used       0 rejected"));
    let last = lines.last().expect("summary");
    assert!(
        last.starts_with(&format!(
            "build ok: 0 error(s), 2 warning(s), {pages} files written in "
        )),
        "{last}"
    );

    let out = baton(project.path(), &["build", "--quiet"]);
    let err = stderr(&out);
    assert!(
        !err.contains("read 7 files") && !err.contains("warning:"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("build ok: "));
}

/// Files in the built output folder.
fn metrics_files(root: &Path) -> usize {
    walkdir::WalkDir::new(root.join("output"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && e.file_name() != ".gitkeep" && e.file_name() != ".baton-site"
        })
        .count()
}

#[test]
fn command_line_options_override_site_yaml() {
    let project = copy_fixture("small");
    let site = project.path().join("playbook/site.yaml");
    std::fs::write(&site, read(&site) + "default_period: 2026-09\n").expect("site");
    let run = |args: &[&str]| {
        let out = baton(project.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        metrics(project.path())
    };
    let m = run(&["build"]);
    assert_eq!(
        (m["period"].as_str(), m["min_sample"].as_u64()),
        (Some("2026-09"), Some(10))
    );
    assert_eq!(m["timezone"], "UTC");
    let m = run(&[
        "build",
        "--period",
        "2026-10",
        "--min-sample",
        "3",
        "--timezone",
        "Pacific/Auckland",
        "--currency",
        "EUR",
    ]);
    assert_eq!(m["period"], "2026-10");
    assert_eq!(m["min_sample"], 3);
    assert_eq!(m["timezone"], "Pacific/Auckland");
    assert!(read(project.path().join("output/index.html")).contains("€5,000.00"));

    let out = baton(
        project.path(),
        &["build", "--timezone", "Mars/Olympus_Mons"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--timezone \"Mars/Olympus_Mons\" is not an IANA time zone"));
    let out = baton(project.path(), &["check", "--min-sample", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn exit_codes_are_what_a_pipeline_acts_on() {
    let project = copy_fixture("small");
    let p = project.path();
    let check = baton(p, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json on stdout");
    assert_eq!(
        (json["ok"].as_bool(), json["warnings"].as_u64()),
        (Some(true), Some(2))
    );
    // The fixture has two warnings: promoted to errors, they fail check and build.
    assert_eq!(
        baton(p, &["check", "--deny-warnings"]).status.code(),
        Some(1)
    );
    assert_eq!(
        baton(p, &["build", "--deny-warnings"]).status.code(),
        Some(1)
    );
    assert!(
        !p.join("output/index.html").exists(),
        "a failed build published"
    );

    let activities = p.join("data/activities.csv");
    std::fs::write(&activities, read(&activities) + "s1,2026-10-30,fax,,\n").expect("row");
    let strict = baton(p, &["build", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stderr(&strict).contains("data/activities.csv:14:3: error: type: "));
    assert!(
        !p.join("output/index.html").exists(),
        "a failed build published"
    );
    assert_eq!(baton(p, &["check"]).status.code(), Some(1));
    assert_eq!(baton(p, &["build"]).status.code(), Some(0));
    assert!(p.join("output/index.html").is_file());
    assert_eq!(
        baton(p, &["build", "--period", "October"]).status.code(),
        Some(2)
    );
    assert_eq!(
        baton(p, &["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn version_completions_and_help_examples() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = baton(tmp.path(), &["--version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("baton {}", env!("CARGO_PKG_VERSION"))
    );
    for (shell, marker) in [
        ("bash", "_baton()"),
        ("zsh", "#compdef baton"),
        ("fish", "complete -c baton"),
    ] {
        let out = baton(tmp.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in ["init", "serve", "build", "check", "completions"] {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
    }
    assert_eq!(
        baton(tmp.path(), &["completions", "tcsh"]).status.code(),
        Some(2)
    );
    for sub in ["init", "build", "check", "serve", "generate", "completions"] {
        let out = baton(tmp.path(), &[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub}");
        assert!(
            stdout(&out).contains(&format!("Examples:\n  baton {sub}")),
            "{sub} --help has no example"
        );
    }
    assert!(stdout(&baton(tmp.path(), &["--help"])).contains("baton init my-report"));
}
