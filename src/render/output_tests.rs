use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

/// Every file under `dir`, by `/`-separated relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let bytes = fs::read(e.path()).expect("readable");
            (rel.to_string_lossy().replace('\\', "/"), bytes)
        })
        .collect()
}

/// Names in `dir` that a build leaves behind (`.baton-staging-*`, `.baton-old-*`).
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("listable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(STAGING) || n.starts_with(OLD))
        .collect();
    names.sort();
    names
}

fn build(out: &Path, files: &[(&str, &str)]) -> Result<()> {
    let mut o = Output::begin(out)?;
    for (rel, text) in files {
        o.write(rel, text)?;
    }
    o.commit()
}

#[test]
fn commit_replaces_the_whole_site_and_keeps_gitkeep() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join(GITKEEP), "").expect("gitkeep");
    fs::write(out.join("stale.html"), "from an older build").expect("stale");
    fs::write(
        out.join(MANIFEST),
        site_folder::manifest_text(["stale.html"]),
    )
    .expect("manifest");
    build(&out, &[("index.html", "home"), ("sdr/ana.html", "Ana")]).expect("build");
    let files = snapshot(&out);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [".baton-site", ".gitkeep", "index.html", "sdr/ana.html"]
    );
    assert_eq!(
        files[MANIFEST],
        b"baton-site 1\n.gitkeep\nindex.html\nsdr/ana.html\n"
    );
    assert_eq!(files["sdr/ana.html"], b"Ana");
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn first_build_creates_the_folder_and_its_parents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("site").join("output");
    build(&out, &[("index.html", "home")]).expect("build");
    assert_eq!(snapshot(&out).len(), 2, "the page and the manifest");
    assert!(!out.join(GITKEEP).exists(), "no .gitkeep invented");
}

#[test]
fn failed_build_leaves_previous_output_unchanged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    build(&out, &[("index.html", "v1"), ("pod/east.html", "east v1")]).expect("v1");
    let before = snapshot(&out);
    let result = (|| -> Result<()> {
        let mut o = Output::begin(&out)?;
        o.write("index.html", "v2")?;
        o.write("pod/east.html", "east v2")?;
        // A later step of the build fails: the writer is dropped, never committed.
        o.write("../escape.html", "nope")?;
        o.commit()
    })();
    let err = result.expect_err("the build fails").to_string();
    assert!(err.contains("refusing to write `../escape.html`"), "{err}");
    assert_eq!(snapshot(&out), before);
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    assert!(!tmp.path().join("escape.html").exists());
}

#[test]
fn unsafe_paths_are_refused() {
    for rel in [
        "",
        "/etc/passwd",
        "../x.html",
        "a/../../x.html",
        "./x.html",
        "a//b.html",
        "a/",
        "a\\b.html",
        "..\\x.html",
        "C:x.html",
        "x.html:stream",
        "line\nbreak.html",
        "nul\0.html",
        "con.html",
        "sdr/COM1.html",
        &"n".repeat(256),
    ] {
        assert!(check_rel_path(rel).is_err(), "{rel:?} must be refused");
    }
    for rel in [
        "index.html",
        "sdr/ana-lima.html",
        "assets/style.css",
        ".gitkeep",
        "review/2026-10.html",
        "pod/console.html",
        "charts/é.svg",
    ] {
        assert!(check_rel_path(rel).is_ok(), "{rel:?} must be accepted");
    }
}

#[test]
fn a_path_written_twice_is_an_error_even_in_another_case() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut o = Output::begin(&tmp.path().join("output")).expect("begin");
    o.write("sdr/Ana.html", "1").expect("first");
    let err = o
        .write("sdr/ana.html", "2")
        .expect_err("collision")
        .to_string();
    assert!(err.contains("written twice"), "{err}");
    assert_eq!(o.written().collect::<Vec<_>>(), ["sdr/Ana.html"]);
}

#[test]
fn begin_restores_a_site_left_mid_swap_and_cleans_stale_folders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    // State after a kill between the two renames: no output, the old site beside it, and a
    // complete staging folder that was never published.
    let old = tmp.path().join(format!("{OLD}output-4242"));
    fs::create_dir_all(old.join("sdr")).expect("old");
    fs::write(old.join("index.html"), "previous").expect("old index");
    fs::write(old.join("sdr/ana.html"), "previous ana").expect("old ana");
    let listed = site_folder::manifest_text(["index.html", "sdr/ana.html"]);
    fs::write(old.join(MANIFEST), listed).expect("old manifest");
    let staging = tmp.path().join(format!("{STAGING}output-4242"));
    fs::create_dir(&staging).expect("staging");
    fs::write(staging.join("index.html"), "unpublished").expect("staging index");
    // Another output folder's build in the same parent is not ours to touch.
    let other = tmp.path().join(format!("{STAGING}output2-17"));
    fs::create_dir(&other).expect("other");

    let o = Output::begin(&out).expect("begin");
    drop(o);
    let files = snapshot(&out);
    assert_eq!(files["index.html"], b"previous");
    assert_eq!(files["sdr/ana.html"], b"previous ana");
    assert_eq!(leftovers(tmp.path()), [format!("{STAGING}output2-17")]);
}

#[test]
fn leftover_old_folder_is_removed_when_output_exists() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    build(&out, &[("index.html", "new")]).expect("build");
    // A kill while the previous site was being removed leaves part of it behind.
    let old = tmp.path().join(format!("{OLD}output-7"));
    fs::create_dir(&old).expect("old");
    fs::write(old.join("index.html"), "half deleted").expect("old file");
    build(&out, &[("index.html", "newer")]).expect("build again");
    assert_eq!(snapshot(&out)["index.html"], b"newer");
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_second_build_of_the_same_folder_waits_its_turn() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    let first = Output::begin(&out).expect("first");
    let err = Output::begin(&out).expect_err("locked").to_string();
    assert!(err.contains("another Baton build is writing"), "{err}");
    drop(first);
    Output::begin(&out).expect("free again");
}

#[test]
fn odd_output_folders_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        Output::begin(Path::new(".")),
        Err(Error::Usage(_))
    ));
    let file = tmp.path().join("output");
    fs::write(&file, "not a folder").expect("file");
    let err = Output::begin(&file).expect_err("a file").to_string();
    assert!(err.contains("is not a folder"), "{err}");
    assert_eq!(fs::read(&file).expect("kept"), b"not a folder");
}

/// Files of one generation of the site the kill test builds.
const KILL_FILES: usize = 40;

/// Builds generation after generation of a site into `BATON_KILL9_OUT` until killed. Run only
/// as the child of `killed_build_leaves_a_complete_site`.
#[test]
#[ignore = "child process of killed_build_leaves_a_complete_site"]
fn kill9_child() {
    let Some(out) = std::env::var_os("BATON_KILL9_OUT") else {
        return;
    };
    let out = PathBuf::from(out);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        let generation = site_generation(&out).map_or(1, |g| g + 1);
        let mut o = Output::begin(&out).expect("begin");
        for i in 0..KILL_FILES {
            let body = format!("generation {generation}\n{}", "x".repeat(8192));
            o.write(&format!("page/{i:02}.html"), body).expect("write");
        }
        o.write("manifest.txt", format!("generation {generation}\n"))
            .expect("manifest");
        o.commit().expect("commit");
    }
}

/// The generation of a complete site in `out`, or `None` if `out` has no site; panics if the
/// site is incomplete or mixes generations.
fn site_generation(out: &Path) -> Option<u64> {
    let files = snapshot(out);
    if files.is_empty() {
        return None;
    }
    let manifest = String::from_utf8_lossy(&files["manifest.txt"]).into_owned();
    let generation: u64 = manifest
        .trim()
        .strip_prefix("generation ")
        .and_then(|g| g.parse().ok())
        .expect("manifest names its generation");
    assert_eq!(
        files.len(),
        KILL_FILES + 3,
        "complete site (pages, manifest.txt, .gitkeep, .baton-site)"
    );
    assert!(files.contains_key(GITKEEP));
    for i in 0..KILL_FILES {
        let page = &files[&format!("page/{i:02}.html")];
        assert!(
            page.starts_with(format!("generation {generation}\n").as_bytes()),
            "page {i} is of the same generation as the manifest"
        );
    }
    Some(generation)
}

#[test]
fn killed_build_leaves_a_complete_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join(GITKEEP), "").expect("gitkeep");
    let mut o = Output::begin(&out).expect("begin");
    for i in 0..KILL_FILES {
        o.write(&format!("page/{i:02}.html"), "generation 0\n")
            .expect("write");
    }
    o.write("manifest.txt", "generation 0\n").expect("manifest");
    o.commit().expect("commit");

    let exe = std::env::current_exe().expect("test binary");
    let (mut last, mut interrupted) = (0, 0);
    // Until several kills have landed mid-build (leftovers beside the output prove it), with
    // a bound for slow machines.
    for round in 0..40u64 {
        if round >= 10 && interrupted >= 4 {
            break;
        }
        let mut child = std::process::Command::new(&exe)
            .args(["render::output::tests::kill9_child", "--exact", "--ignored"])
            .env("BATON_KILL9_OUT", &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn the child build");
        // Kill at a different point of the build each round.
        std::thread::sleep(Duration::from_millis(40 + (round * 17) % 250));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        if !leftovers(tmp.path()).is_empty() {
            interrupted += 1;
        }
        // With the atomic exchange there is no instant without a site: it is complete even
        // before the next build repairs anything.
        #[cfg(target_os = "linux")]
        site_generation(&out).expect("a complete site before any recovery");
        drop(Output::begin(&out).expect("recover"));
        let generation = site_generation(&out).expect("a site is there");
        assert!(generation >= last, "never goes back: {generation} < {last}");
        last = generation;
        assert!(leftovers(tmp.path()).is_empty());
    }
    assert!(interrupted > 0, "some kill landed mid-build");
    assert!(last > 0, "the children published at least one build");
}

#[test]
fn write_with_streams_into_the_file_and_passes_on_the_error_of_fill() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    let mut o = Output::begin(&out).expect("begin");
    o.write_with("handoffs.html", |w| {
        w.write_all(b"<p>")
            .and_then(|()| w.write_all(b"rows</p>"))
            .map_err(|e| Error::Other(e.to_string()))
    })
    .expect("written");
    let err = o
        .write_with("a/b.html", |_| Err(Error::Other("template failed".into())))
        .expect_err("fill failed");
    assert!(err.to_string().contains("template failed"), "{err}");
    o.commit().expect("commit");
    assert_eq!(snapshot(&out)["handoffs.html"], b"<p>rows</p>");
}
