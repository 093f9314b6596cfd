//! Issue 17, "Baton deletes the user's data": an `--output` that names an input, the project, or
//! a folder of someone else's files is refused with exit code 2 before anything is read, and
//! nothing on disk changes; `generate` does not replace a project without `--force`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{baton, copy_fixture};

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_output_that_is_an_input_or_the_project_is_refused_and_nothing_changes() {
    let tmp = copy_fixture("small");
    let p = tmp.path().join("p");
    std::fs::create_dir(&p).expect("mkdir");
    crate::util::copy_dir(&crate::util::fixture("small"), &p);
    std::fs::create_dir(p.join("templates")).expect("mkdir");
    std::fs::write(p.join("README.md"), "our notes").expect("write");
    let before = files(tmp.path());
    for (output, why) in [
        ("p/data", "is the data folder"),
        ("p/data/site", "is inside the data folder"),
        ("p/playbook", "is the playbook folder"),
        ("p/templates", "is the templates folder"),
        ("p/history", "is the history folder"),
        ("p", "is or contains the project folder"),
        ("p/.", "is or contains the project folder"),
        (".", "must name a folder of its own"),
        ("/", "must name a folder of its own"),
        ("p/README.md", "is not a folder"),
    ] {
        let out = baton(
            tmp.path(),
            &["build", "--root", "p", "--output", output, "--quiet"],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "--output {output}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(why),
            "--output {output}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("read "),
            "refused before reading: {}",
            stderr(&out)
        );
    }
    // An input given with --data elsewhere is protected the same way.
    let out = baton(
        tmp.path(),
        &[
            "build", "--root", "p", "--data", "data", "--output", "data/out", "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(before, files(tmp.path()), "no file changed");
}

#[test]
fn a_folder_baton_did_not_write_is_never_replaced() {
    let tmp = copy_fixture("small");
    let root = tmp.path();
    let public = root.join("public");
    std::fs::create_dir_all(public.join("img")).expect("mkdir");
    std::fs::write(public.join("index.html"), "the team's own page").expect("write");
    std::fs::write(public.join("img/logo.svg"), "<svg/>").expect("write");
    let before = files(root);
    let out = baton(root, &["build", "--output", "public", "--quiet"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("was not written by Baton") && stderr(&out).contains("img/"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, files(root));

    // A site Baton wrote is replaced; a file added to it since is not deleted.
    let out = baton(root, &["build", "--output", "site", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(root.join("site/.baton-site")).expect("manifest");
    assert!(manifest.starts_with("baton-site 1\n"), "{manifest}");
    assert!(manifest.lines().any(|l| l == "index.html"), "{manifest}");
    for f in files(&root.join("site")).keys() {
        assert!(
            f == ".baton-site" || manifest.lines().any(|l| l == f),
            "{f} missing from the manifest"
        );
    }
    let out = baton(root, &["build", "--output", "site", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "rebuilt: {}", stderr(&out));
    std::fs::write(root.join("site/CNAME"), "reports.example.com").expect("write");
    let out = baton(root, &["build", "--output", "site", "--quiet"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("CNAME"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join("site/CNAME")).expect("kept"),
        "reports.example.com"
    );
}

#[test]
fn an_empty_folder_or_one_with_only_gitkeep_is_built_into() {
    let tmp = copy_fixture("small");
    let root = tmp.path();
    std::fs::create_dir(root.join("output")).expect("mkdir");
    std::fs::write(root.join("output/.gitkeep"), "").expect("gitkeep");
    let out = baton(root, &["build", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(root.join("output/.gitkeep").exists());
    assert!(root.join("output/index.html").exists());
}

#[test]
fn serve_refuses_an_output_inside_the_data_instead_of_rebuilding_in_a_loop() {
    let tmp = copy_fixture("small");
    let before = files(tmp.path());
    let out = baton(
        tmp.path(),
        &["serve", "--port", "0", "--output", "data/site", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("inside the data folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, files(tmp.path()));
}

#[test]
fn generate_does_not_replace_a_project_without_force() {
    let tmp = copy_fixture("small");
    let before = files(tmp.path());
    let out = baton(tmp.path(), &["generate", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("data/reps.csv") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(before, files(tmp.path()), "nothing written");
    let out = baton(tmp.path(), &["generate", ".", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(before, files(tmp.path()), "replaced when forced");
}
