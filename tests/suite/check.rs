//! `baton check` validates everything `build` would reject, so CI can trust it (issue 25, "Docs
//! that say what Baton does"): a project's templates are loaded and their names looked up, and
//! `--format json` answers every command-line error with a JSON report.

use crate::util::{baton, copy_fixture};

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn a_template_that_does_not_parse_fails_check_at_its_line() {
    let tmp = copy_fixture("small");
    assert_eq!(baton(tmp.path(), &["check", "-q"]).status.code(), Some(0));
    write(
        tmp.path(),
        "templates/glossary.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ site.title | }}</p>\n{% endblock content %}\n",
    );
    let out = baton(tmp.path(), &["check", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("templates/glossary.html:3:")
                && l.contains(": error: the template does not parse")),
        "{err}"
    );
    // `build` refuses it too: `check` passing would have been a lie.
    assert_eq!(baton(tmp.path(), &["build", "-q"]).status.code(), Some(1));
}

#[test]
fn an_unknown_filter_fails_check_even_where_no_page_reaches_it() {
    let tmp = copy_fixture("small");
    write(
        tmp.path(),
        "templates/glossary.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if false %}\n\
         <p>{{ site.title | shout }}</p>\n{% endif %}\n{% endblock content %}\n",
    );
    let out = baton(tmp.path(), &["check", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("templates/glossary.html:4: error: unknown filter `shout`"),
        "{err}"
    );
    let out = baton(tmp.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 1);
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "templates/glossary.html");
    assert_eq!(errors[0]["line"], 4);
}

#[test]
fn check_format_json_reports_every_usage_error_in_json() {
    let tmp = copy_fixture("small");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--timezone", "Mars/Olympus"],
            "--timezone \"Mars/Olympus\" is not an IANA time zone",
        ),
        (
            &["--currency", "dollars"],
            "--currency \"dollars\" is not a three-letter ISO code",
        ),
        (
            &["--no-such-option"],
            "unexpected argument '--no-such-option' found",
        ),
        (
            &["--min-sample", "0"],
            "invalid value '0' for '--min-sample",
        ),
        (
            &["--period", "2026-13"],
            "period \"2026-13\" is not YYYY-MM or YYYY-Qn",
        ),
    ];
    for (extra, message) in cases {
        for format in [&["--format", "json"][..], &["--format=json"][..]] {
            let mut args = vec!["check"];
            args.extend_from_slice(format);
            args.extend_from_slice(extra);
            let out = baton(tmp.path(), &args);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {:?}", out.stdout));
            assert_eq!(report["ok"], false, "{args:?}");
            assert_eq!(report["usage_error"], true, "{args:?}");
            assert_eq!(report["errors"], 1, "{args:?}");
            let got = report["diagnostics"][0]["message"]
                .as_str()
                .unwrap_or_default();
            assert!(got.starts_with(message), "{args:?}: {got}");
        }
    }
    // Text stays text.
    let out = baton(tmp.path(), &["check", "--timezone", "Mars/Olympus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// docs/security.md: a Markdown page that is a link leading out of `playbook/` is refused with
/// an error, not skipped unseen; a link inside the folder is read like its target.
#[cfg(unix)]
#[test]
fn a_linked_markdown_page_is_read_inside_the_folder_and_refused_outside_it() {
    let tmp = copy_fixture("small");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").expect("write");
    write(tmp.path(), "playbook/guide.md", "# Guide\n\nRead me.\n");
    let playbook = tmp.path().join("playbook");
    std::os::unix::fs::symlink("guide.md", playbook.join("inside.md")).expect("link");
    let out = baton(tmp.path(), &["check", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let out = baton(tmp.path(), &["build", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(tmp.path().join("output/playbook/inside.html").is_file());

    std::os::unix::fs::symlink(outside.path().join("secret.md"), playbook.join("secret.md"))
        .expect("link");
    let out = baton(tmp.path(), &["check", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "playbook/secret.md: error: is a link to a file outside its folder; Baton does not follow it"
        ),
        "{err}"
    );
}
