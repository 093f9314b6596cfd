//! The documentation is tested (issue 25, "Docs that say what Baton does"): every fenced ```sh
//! block of README.md and docs/*.md runs, command by command, in a fresh `baton init` project,
//! and every ```yaml block is read, by Baton's own reader when the file it is for is named.
//!
//! Marks, on the line right before a block (blank lines between are allowed):
//! - `<!-- docs-test: skip (reason) -->`: the block is not run (it writes outside the project,
//!   serves until stopped, needs a tool or data the test has not); skipped blocks are counted
//!   and printed;
//! - `<!-- docs-test: file playbook/NAME.yaml -->`: the YAML block is that playbook file, read
//!   as `baton check` reads it, and must raise no error.
//!
//! In a shell block, `baton` is the binary under test; `cd DIR` moves within the project;
//! `> FILE` keeps standard output in a file of the project. A line's exit code is 0 unless its
//! comment says `exit code N`. Any other command fails the test: mark its block.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fenced block of a Markdown file.
struct Block {
    /// `docs/extras.md:147`, the line of its opening fence.
    at: String,
    lang: String,
    /// (line number, text) of every line inside the fences.
    lines: Vec<(usize, String)>,
    skip: Option<String>,
    file: Option<String>,
}

fn blocks(rel: &str) -> Vec<Block> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(rel)).expect("read the doc");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(lang) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        let mut end = i + 1;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        let mark = lines[..start]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| l.trim().strip_prefix("<!-- docs-test: "))
            .and_then(|l| l.strip_suffix("-->"))
            .map(str::trim);
        let (skip, file) = match mark {
            Some(m) if m.starts_with("skip") => (Some(m["skip".len()..].trim().to_string()), None),
            Some(m) if m.starts_with("file ") => {
                (None, Some(m["file ".len()..].trim().to_string()))
            }
            Some(m) => panic!("{rel}:{}: unknown docs-test mark {m:?}", start + 1),
            None => (None, None),
        };
        if let Some(reason) = &skip {
            assert!(
                reason.starts_with('(') && reason.ends_with(')') && reason.len() > 2,
                "{rel}:{}: a skipped block says why, in parentheses",
                start + 1
            );
        }
        out.push(Block {
            at: format!("{rel}:{}", start + 1),
            lang: lang.trim().to_string(),
            lines: (start + 1..end)
                .map(|n| (n + 1, lines[n].to_string()))
                .collect(),
            skip,
            file,
        });
        i = end + 1;
    }
    out
}

/// README.md and every docs/*.md, in a stable order.
fn documents() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs: Vec<String> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    docs.insert(0, "README.md".to_string());
    docs
}

/// Shell words: blanks separate, quotes group (no escapes or expansions: the docs use none).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => out.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

/// A line without its comment (` #` outside quotes), and the comment.
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => return (&line[..i], &line[i + 1..]),
            _ => {}
        }
        prev = c;
    }
    (line, "")
}

/// The exit code a comment announces (`exit code 1`), else 0.
fn expected_code(comment: &str) -> i32 {
    comment
        .split("exit code ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn baton(dir: &Path, args: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_baton"))
        .current_dir(dir)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("run baton")
}

/// Runs a shell block in a fresh `baton init` project; returns the commands run.
fn run_shell(block: &Block) -> usize {
    let tmp = tempfile::tempdir().expect("temp dir");
    let init = baton(tmp.path(), &["init".into(), "project".into()]);
    assert!(init.status.success(), "baton init failed");
    let mut cwd: PathBuf = tmp.path().join("project");
    let mut commands = 0;
    // Continuation lines (`\` at the end) joined.
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in &block.lines {
        let (start, mut text) = pending.take().unwrap_or((*n, String::new()));
        match line.trim_end().strip_suffix('\\') {
            Some(part) => {
                text.push_str(part);
                pending = Some((start, text));
            }
            None => {
                text.push_str(line);
                logical.push((start, text));
            }
        }
    }
    for (n, line) in logical {
        let (command, comment) = split_comment(&line);
        let mut args = words(command);
        if args.is_empty() {
            continue;
        }
        let at = format!("{} (line {n})", block.at);
        match args[0].as_str() {
            "cd" => {
                assert_eq!(args.len(), 2, "{at}: cd DIR");
                cwd = cwd.join(&args[1]);
                assert!(cwd.is_dir(), "{at}: no folder {}", cwd.display());
            }
            "baton" => {
                let stdout_to = match args.iter().position(|a| a == ">") {
                    Some(i) => {
                        let file = args.get(i + 1).cloned().expect("> FILE");
                        assert!(
                            !file.starts_with('/') && !file.starts_with('~'),
                            "{at}: writes outside the project: mark the block skip"
                        );
                        args.truncate(i);
                        Some(cwd.join(file))
                    }
                    None => None,
                };
                let out = baton(&cwd, &args[1..]);
                let want = expected_code(comment);
                assert_eq!(
                    out.status.code(),
                    Some(want),
                    "{at}: `{}` exited with {:?}, the doc implies {want}\nstdout:\n{}\nstderr:\n{}",
                    command.trim(),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                if let Some(path) = stdout_to {
                    std::fs::write(path, &out.stdout).expect("write the redirect");
                }
                commands += 1;
            }
            other => panic!(
                "{at}: `{other}` is not a baton command the test can run: make it one, or mark \
                 the block `<!-- docs-test: skip (reason) -->`"
            ),
        }
    }
    commands
}

/// Reads a YAML block: as the playbook file it is marked for, with Baton's reader, else as
/// YAML. Returns whether Baton's types read it.
fn read_yaml(block: &Block) -> bool {
    let text: String = block.lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let Some(file) = &block.file else {
        if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
            panic!("{}: not YAML: {e}", block.at);
        }
        return false;
    };
    let name = file
        .strip_prefix("playbook/")
        .unwrap_or_else(|| panic!("{}: only playbook files are read", block.at));
    assert!(
        baton::input::playbook::FILES.contains(&name),
        "{}: Baton reads no playbook/{name}",
        block.at
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("playbook");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join(name), &text).expect("write");
    let mut diags = Vec::new();
    if name == "mapping.yaml" {
        baton::input::mapping::load(&dir, "playbook/", &mut diags);
    } else {
        baton::input::playbook::load(&dir, "playbook/", &mut diags);
    }
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == baton::error::Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "{}: Baton does not read it as {file}:\n{}",
        block.at,
        errors.join("\n")
    );
    true
}

#[test]
fn every_shell_command_and_yaml_snippet_of_the_docs_works() {
    let (mut shell_blocks, mut commands, mut yaml_blocks, mut typed) = (0, 0, 0, 0);
    let mut skipped = Vec::new();
    for doc in documents() {
        for block in blocks(&doc) {
            if !matches!(block.lang.as_str(), "sh" | "yaml") {
                assert!(
                    block.skip.is_none() && block.file.is_none(),
                    "{}: only sh and yaml blocks are marked",
                    block.at
                );
                continue;
            }
            if let Some(reason) = &block.skip {
                skipped.push(format!("{} {} {reason}", block.at, block.lang));
                continue;
            }
            if block.lang == "sh" {
                shell_blocks += 1;
                commands += run_shell(&block);
            } else {
                yaml_blocks += 1;
                typed += usize::from(read_yaml(&block));
            }
        }
    }
    println!(
        "docs: {shell_blocks} shell block(s) run ({commands} baton command(s)), {yaml_blocks} \
         YAML block(s) read ({typed} as the playbook file they are for), {} block(s) skipped:",
        skipped.len()
    );
    for s in &skipped {
        println!("  skipped {s}");
    }
    assert!(commands > 0, "no command of the docs ran");
    assert!(typed > 0, "no YAML snippet was read as a playbook file");
}

#[test]
fn the_parsers_of_the_docs_test_do_what_it_says() {
    assert_eq!(
        words(r#"baton export "a b.html" -o 'x y'"#),
        ["baton", "export", "a b.html", "-o", "x y"]
    );
    assert_eq!(
        split_comment("baton build   # builds, exit code 1"),
        ("baton build   ", " builds, exit code 1")
    );
    assert_eq!(split_comment("baton x \"#no\""), ("baton x \"#no\"", ""));
    assert_eq!(expected_code(" fails: exit code 1"), 1);
    assert_eq!(expected_code(" builds"), 0);
}

/// docs/templates.md's table of default files names exactly the templates and assets Baton
/// ships (`baton templates list`), so an added template cannot go undocumented.
#[test]
fn the_default_templates_table_lists_every_default() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/templates.md")).expect("read");
    let table = text
        .split("| file | what it is |")
        .nth(1)
        .expect("the table of default files");
    let mut documented: Vec<String> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .flat_map(|l| {
            let first = l.split('|').nth(1).unwrap_or_default();
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    documented.sort();
    let mut shipped: Vec<String> = baton::init::template_names()
        .into_iter()
        .map(|n| n.to_string())
        .collect();
    shipped.sort();
    assert_eq!(documented, shipped);
}

/// docs/getting-started.md shows what `init` and the first build print: the counts of files
/// it quotes are the ones a fresh project gives.
#[test]
fn getting_started_quotes_the_file_counts_of_a_fresh_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/getting-started.md")).expect("read");
    let tmp = tempfile::tempdir().expect("temp dir");
    let init = baton(tmp.path(), &["init".into(), "my-report".into()]);
    let said = String::from_utf8_lossy(&init.stdout);
    let created = said.lines().next().expect("init's first line").to_string();
    assert!(
        doc.contains(&format!("\n{created}\n")),
        "the doc lacks `{created}`"
    );
    let build = baton(&tmp.path().join("my-report"), &["build".into()]);
    assert!(build.status.success());
    let err = String::from_utf8_lossy(&build.stderr);
    let written = err
        .lines()
        .last()
        .and_then(|l| l.split(", ").nth(2))
        .and_then(|l| l.split(" files written").next())
        .expect("the closing line counts the files written");
    for quoted in [
        format!("rendered {written} files in "),
        format!("0 warning(s), {written} files written in "),
    ] {
        assert!(doc.contains(&quoted), "the doc lacks `{quoted}`");
    }
}

/// The backticked names of a Markdown cell, leaving out what is in parentheses (the values a
/// column takes, `(sdr, bdr...)`).
fn names_in(cell: &str) -> Vec<String> {
    let mut bare = String::new();
    let mut depth = 0;
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    bare.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `baton init`'s README of what to export (issue 21) against docs/data-model.md: it names
/// every table Baton reads, and for each file of docs/data-model.md exactly the columns that
/// file's table there lists (required and optional, beyond the playbook's own criterion and
/// section columns); every mapping key it shows is one docs/mapping.md describes.
#[test]
fn the_init_readme_lists_every_export_and_column_the_docs_describe() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("src/init/README.md")).expect("readme");
    let model = std::fs::read_to_string(root.join("docs/data-model.md")).expect("data model");
    let mapping = std::fs::read_to_string(root.join("docs/mapping.md")).expect("mapping");
    for t in baton::model::Table::ALL {
        assert!(
            readme.contains(&format!("`data/{}`", t.file_name())),
            "{} is missing",
            t.file_name()
        );
    }
    // Each README row: file -> the columns of its required and optional cells.
    let mut rows = std::collections::BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `data/")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 7 {
            // The `data/` folder's row of "What is where".
            continue;
        }
        let file = cells[1]
            .trim_matches('`')
            .trim_start_matches("data/")
            .to_string();
        let mut cols: Vec<String> = names_in(cells[4]);
        cols.extend(names_in(cells[5]));
        rows.insert(file, cols);
    }
    // The playbook's criterion and section columns are the example's, not data-model's.
    let playbook = [
        "budget",
        "authority",
        "need",
        "timeline",
        "doc_prospect",
        "doc_pain",
        "doc_environment",
        "doc_timeline",
        "doc_history",
        "playbook/qualification.yaml",
        "playbook/handoff.yaml",
    ];
    let mut checked = 0;
    for section in model.split("\n## `").skip(1) {
        let file = section.split('`').next().expect("file name").to_string();
        let documented: Vec<String> = section
            .lines()
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with("| `"))
            .map(|l| l[3..].split('`').next().expect("column").to_string())
            .collect();
        let listed = rows
            .get(&file)
            .unwrap_or_else(|| panic!("the README has no row for {file}"));
        let listed: Vec<&String> = listed
            .iter()
            .filter(|c| !playbook.contains(&c.as_str()))
            .collect();
        for c in &documented {
            assert!(listed.contains(&c), "{file}: the README lacks `{c}`");
        }
        for c in &listed {
            assert!(
                documented.contains(c),
                "{file}: `{c}` is not in docs/data-model.md"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 9, "every table section of docs/data-model.md");
    for key in [
        "preset:",
        "file:",
        "columns:",
        "where:",
        "derive:",
        "lookups:",
        "fixed:",
        "values:",
        "date_formats:",
        "decimal_comma:",
        "encoding:",
        "not_exported:",
        "only: won",
        "infer_from:",
    ] {
        assert!(readme.contains(&format!("`{key}")), "README lacks {key}");
        let bare = key.trim_end_matches(':').trim_end_matches(" won");
        assert!(mapping.contains(bare), "docs/mapping.md lacks {key}");
    }
}
