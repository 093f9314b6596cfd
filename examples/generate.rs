//! Writes a generated Baton project (data and playbook) into a folder.
//!
//! ```text
//! cargo run --release --example generate -- [--scale N] [--seed S] [--no-playbook] OUT_DIR
//! ```
//! Without `--scale` it writes the shipped example; `--scale 1` is the 10-million-activity
//! workload of the performance benchmark.

use std::process::ExitCode;
use std::time::Instant;

use baton::generate::{write_project, GenOptions};

const USAGE: &str =
    "usage: generate [--scale N] [--seed S] [--no-playbook] OUT_DIR\n  writes OUT_DIR/data and OUT_DIR/playbook";

fn parse() -> Result<(GenOptions, String), String> {
    let mut opts = GenOptions::example();
    let mut seed = None;
    let mut out = None;
    let mut no_playbook = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            let v = args.next().ok_or(format!("{name} needs a value"))?;
            v.parse()
                .map_err(|_| format!("{name}: {v:?} is not a whole number"))
        };
        match a.as_str() {
            "--scale" => {
                let n = value("--scale")?;
                let n = u32::try_from(n).map_err(|_| "--scale is too large".to_string())?;
                if n == 0 {
                    return Err("--scale must be at least 1".into());
                }
                opts = GenOptions::scale(n);
            }
            "--seed" => seed = Some(value("--seed")?),
            "--no-playbook" => no_playbook = true,
            "-h" | "--help" => return Err(String::new()),
            _ if a.starts_with('-') => return Err(format!("unknown option {a}")),
            _ if out.is_none() => out = Some(a),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    if let Some(s) = seed {
        opts.seed = s;
    }
    opts.write_playbook = !no_playbook;
    let out = out.ok_or("missing OUT_DIR")?;
    Ok((opts, out))
}

fn main() -> ExitCode {
    let (opts, out) = match parse() {
        Ok(x) => x,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("generate: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if msg.is_empty() { 0 } else { 2 });
        }
    };
    let started = Instant::now();
    match write_project(&opts, std::path::Path::new(&out)) {
        Ok(summary) => {
            let secs = started.elapsed().as_secs_f64();
            let mut total = 0;
            for f in &summary.files {
                total += f.bytes;
                if f.path.ends_with(".csv") {
                    println!("{:<28} {:>11} rows {:>14} bytes", f.path, f.rows, f.bytes);
                }
            }
            println!(
                "wrote {} files, {total} bytes, as of {} in {secs:.2} s",
                summary.files.len(),
                summary.as_of
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
