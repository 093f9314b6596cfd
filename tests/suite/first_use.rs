//! What a new user hit on a first run (issue 22, "Small things"): the build ends with the page
//! to open, a bad `--period` is not reported at an empty location, and a completion script
//! piped into `head` does not panic.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::util::{baton, copy_fixture};

#[test]
fn a_build_ends_with_the_page_to_open() {
    let tmp = copy_fixture("small");
    let out = baton(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().expect("a closing line");
    assert!(last.starts_with("build ok: "), "{last}");
    assert!(last.ends_with(": output/index.html"), "{last}");
    let out = baton(tmp.path(), &["build", "--output", "public/site"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.ends_with(": public/site/index.html")),
        "{err}"
    );
}

#[test]
fn a_bad_period_is_an_error_without_an_empty_location() {
    let tmp = copy_fixture("small");
    let out = baton(tmp.path(), &["build", "--period", "2026-13"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("error: period \"2026-13\" is not YYYY-MM or YYYY-Qn")),
        "{err}"
    );
    assert!(!err.contains(": error:"), "{err}");
}

#[test]
fn completions_piped_into_head_do_not_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baton");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("the script starts");
    // The reader is gone, as when `head` has its lines: the pipe is closed.
    let out = child.wait_with_output().expect("exits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
