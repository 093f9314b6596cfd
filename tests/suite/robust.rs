//! Hostile input: nothing panics or hangs, and huge input ends in a clear error within bounded
//! memory. The fuzz harness mutates the fixtures' own files (CSV with mapping, YAML playbook,
//! Markdown with front matter) with a seeded generator and runs the loader on each mutant,
//! catching panics; crashes found are kept under tests/fixtures/fuzz-regressions/ and replayed
//! here. `BATON_FUZZ_ITERS` raises the number of mutants for a longer run.

use std::path::Path;

use baton::generate::rng::Rng;

use crate::util::{baton, copy_fixture, fixture};

fn check_fails_with(project: &Path, needle: &str) {
    let start = std::time::Instant::now();
    let out = baton(project, &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn a_100_mb_field_is_refused() {
    let p = copy_fixture("small");
    let mut f = std::fs::read_to_string(p.path().join("data/activities.csv")).expect("read");
    f.push_str("s1,2026-10-01,email,\"");
    f.push_str(&"x".repeat(100 * 1024 * 1024));
    f.push_str("\",\n");
    std::fs::write(p.path().join("data/activities.csv"), f).expect("write");
    check_fails_with(p.path(), "data/activities.csv:14: error: reading stopped: a quoted cell opened on line 14 is still open 16 MiB later, on line 14");
}

#[test]
fn a_million_columns_are_refused() {
    let p = copy_fixture("small");
    let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    std::fs::write(
        p.path().join("data/activities.csv"),
        header.join(",") + "\n",
    )
    .expect("write");
    check_fails_with(
        p.path(),
        "data/activities.csv:1: error: the header has 1000000 columns; Baton reads at most 10000",
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let p = copy_fixture("small");
    let mut bomb = String::from("framework: BANT\ncriteria: &i [");
    // Nine levels of nine-fold aliases: 387 million nodes if expanded.
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        yaml.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    bomb.clear();
    bomb.push_str(&yaml);
    bomb.push_str("criteria: [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n");
    std::fs::write(p.path().join("playbook/qualification.yaml"), bomb).expect("write");
    check_fails_with(p.path(), "playbook/qualification.yaml:1:1: error:");
}

/// One mutation of `input`: flip, insert, delete, duplicate or splice bytes.
fn mutate(rng: &mut Rng, input: &[u8], dictionary: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = out.len().max(1) as u64;
        let at = rng.below(len) as usize;
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at.min(out.len()), rng.below(256) as u8),
            2 if !out.is_empty() => {
                let end = (at + 1 + rng.below(16) as usize).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 => {
                let word = dictionary[rng.below(dictionary.len() as u64) as usize];
                let at = at.min(out.len());
                out.splice(at..at, word.iter().copied());
            }
            4 if !out.is_empty() => {
                let end = (at + 1 + rng.below(64) as usize).min(out.len());
                let chunk = out[at.min(end)..end].to_vec();
                out.splice(at..at, chunk);
            }
            _ => out.truncate(at),
        }
    }
    out
}

const DICTIONARY: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\n",
    b"\r\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"---\n",
    b"&a",
    b"*a",
    b"<<: *a",
    b"!!binary",
    b"2026-02-30",
    b"-1",
    b"1e400",
    b"NaN",
    b"$1,2,3",
    b"yes",
    b"[",
    b"{",
    b"]]",
    b"\x00",
    b"<script>",
    b"[x](javascript:y)",
    b"9999-12-31T23:59:59Z",
    b"18446744073709551616",
];

/// Runs `baton check`'s reading and computing in-process on a project, catching a panic. The
/// mutants are inputs, so the templates (checked once by every other test) are not validated
/// again each time: in a debug build that alone costs a quarter of a second a run.
fn survives(root: &Path) -> Result<(), String> {
    let opts = baton::build::Options::new(root);
    std::panic::catch_unwind(|| {
        let _ = baton::build::check_inputs(&opts, std::time::Instant::now());
    })
    .map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn fuzzed_inputs_never_panic() {
    let iters: u64 = std::env::var("BATON_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let targets = [
        ("small-salesforce", "data/lead_report.csv"),
        ("small-salesforce", "playbook/mapping.yaml"),
        ("small", "data/handoffs.csv"),
        ("small", "data/opportunities.csv"),
        ("small", "playbook/team.yaml"),
        ("hostile", "playbook/evil.md"),
    ];
    let mut rng = Rng::new(0xBA70, 7);
    let mut crashes = Vec::new();
    let mut runs = 0u64;
    for (fx, file) in targets {
        let project = copy_fixture(fx);
        let original = std::fs::read(fixture(fx).join(file)).expect("seed");
        for _ in 0..iters {
            let input = mutate(&mut rng, &original, DICTIONARY);
            std::fs::write(project.path().join(file), &input).expect("write mutant");
            runs += 1;
            if let Err(msg) = survives(project.path()) {
                let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-crashes");
                std::fs::create_dir_all(&dir).expect("mkdir");
                let name = format!("{fx}--{}--{runs}", file.replace('/', "_"));
                std::fs::write(dir.join(&name), &input).expect("save crash");
                crashes.push(format!("{name}: {msg}"));
            }
        }
    }
    eprintln!("fuzz: {runs} mutants run");
    assert!(
        crashes.is_empty(),
        "panics (inputs saved under target/tmp/fuzz-crashes):\n{}",
        crashes.join("\n")
    );
}

/// Every crash the fuzzer ever found, and the attack inputs of issue 17, named
/// `<fixture>--<path with _>--<n>`, replayed through `check` and a whole build.
#[test]
fn fuzz_regressions_never_panic() {
    let dir = fixture("fuzz-regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let parts: Vec<&str> = name.split("--").collect();
        if parts.len() < 3 {
            continue;
        }
        let project = copy_fixture(parts[0]);
        let file = parts[1].replacen('_', "/", 1);
        std::fs::copy(&path, project.path().join(&file)).expect("place input");
        assert!(survives(project.path()).is_ok(), "{name} panics again");
        let opts = baton::build::Options::new(project.path());
        let built = std::panic::catch_unwind(|| baton::build::build(&opts));
        assert!(built.is_ok(), "{name} panics in a build");
        replayed += 1;
    }
    assert!(
        replayed >= 4,
        "the regression inputs are there ({replayed} replayed)"
    );
}
