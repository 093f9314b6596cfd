//! `baton`: parses the command line and runs the library; exit codes 0 success, 1 bad input
//! or failed build, 2 bad usage.

use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use baton::build::{self, Summary};
use baton::cli::{Cli, Command, ExportArgs, Format, GenerateArgs};
use baton::error::{terminal, Error};
use baton::progress::{self, Display};
use baton::{report, serve};

/// mimalloc instead of the system allocator: rendering allocates millions of small template
/// values from two threads, and glibc's per-thread arenas made page rendering up to twice as
/// slow depending on which thread had allocated what before (docs/scale.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    return_freed_memory_soon();
    no_transparent_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `check --format json` answers in JSON even when its command line is wrong, so a
        // pipeline reading stdout always gets a report (exit code 2 all the same).
        Err(e) if e.use_stderr() && check_wants_json(std::env::args().skip(1)) => {
            let message = e.to_string();
            let first = message.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first);
            return usage_json(Error::Usage(message.to_string()));
        }
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", terminal(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// mimalloc keeps freed pages for a second (`purge_delay`) before returning them to the system,
/// so one stage's garbage was still counted while the next stage allocated: the peak of a 1x
/// build went from 282 MB to 312-335 MB with the default. Returned at once (0 ms), every page a
/// template rendered was fresh memory again (3.0 GiB returned over a 1x build), and on a
/// machine that charges about a millisecond a megabyte for first touches that was 0.3-0.6 s of
/// page faults. 100 ms spans a page's render and not a stage: at 1x, 1.82-2.18 s and 266 MiB
/// against 1.96-2.37 s and 242 MiB at 0 ms (with the meetings released before rendering),
/// 3.40 against 3.72 CPU seconds. `MIMALLOC_PURGE_DELAY`, when set, still decides.
fn return_freed_memory_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's documented options to a valid value (milliseconds);
        // it takes no pointer and is safe to call at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// mimalloc 3 asks the kernel for transparent huge pages on its arenas (`madvise`), then returns
/// freed memory in 64 KiB pieces: each piece handed back splits a 2 MiB page, and the next
/// allocation there faults a whole huge page in again, zeroed. On the 1x bench (docs/scale.md)
/// that zeroing was 46% of `baton check`'s CPU (`clear_page_erms` under `folio_zero_user` in
/// `perf`): 2.9-5.5 s of system time a run against 0.4-0.6 s with huge pages off, and check
/// took 5.3-7.2 s against 4.2-4.4 s. The arenas are reserved before `main`, so mimalloc's own
/// `allow_thp` option comes too late; the process-wide `PR_SET_THP_DISABLE` flag is read by the
/// kernel at each fault. `MIMALLOC_ALLOW_THP`, when set, still decides.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // A kernel without the flag (before 3.15) keeps its huge pages: slower, never wrong.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

/// How long freed memory stays with the process before it goes back to the system.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

/// `mi_option_purge_delay` of mimalloc 3's `mimalloc.h` (the bindings of libmimalloc-sys 0.1.49
/// do not name it); the test below checks it against the option's default of 1000 ms.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Init(args) => {
            let s = baton::init::init(&args.dir, args.force, args.templates)?;
            init_report(&args.dir, &s);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => {
            let opts = match (args.input.options(None), args.format) {
                (Ok(opts), _) => opts,
                (Err(e), Format::Json) => return Ok(usage_json(e)),
                (Err(e), Format::Text) => return Err(e),
            };
            progress::install(Display::choose(args.input.quiet));
            let s = build::check(&opts);
            match args.format {
                Format::Text => {
                    eprint!("{}", terminal(&report::text(&s, "check", args.input.quiet)))
                }
                Format::Json => println!("{}", report::json(&s)),
            }
            Ok(exit(&s))
        }
        Command::Build(args) => {
            let opts = args.options()?;
            progress::install(Display::choose(args.input.quiet));
            let s = build::build(&opts);
            eprint!("{}", terminal(&report::text(&s, "build", args.input.quiet)));
            Ok(exit(&s))
        }
        Command::Close(args) => {
            let opts = args.input.options(None)?;
            progress::install(Display::choose(args.input.quiet));
            let c = build::close(&opts, args.force)?;
            eprintln!(
                "closed {}: {} statement(s), {} {} in total, frozen in {} (commit it)",
                c.period, c.statements, c.total, c.currency, c.file
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(args) => match &args.statements {
            Some(dir) => {
                let opts = args.input.options(Some(dir))?;
                progress::install(Display::choose(args.input.quiet));
                let (s, written) = build::export_statements(&opts);
                eprint!(
                    "{}",
                    terminal(&report::text(&s, "export", args.input.quiet))
                );
                if let Some(n) = written {
                    eprintln!(
                        "export ok: {n} files (one statement each and comp.csv) written into {}: deliver each privately",
                        terminal(&dir.display().to_string())
                    );
                }
                Ok(exit(&s))
            }
            None => Ok(ExitCode::from(export(&args))),
        },
        Command::Serve(args) => {
            let quiet = args.build.input.quiet;
            let build = args.build.options()?;
            // Refused once here, not on every rebuild (`--output data/site` rebuilt in a loop).
            build.check_output()?;
            progress::install(Display::choose(quiet));
            serve::serve(&serve::ServeOptions {
                build,
                port: args.port,
                open: args.open,
                quiet,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(args) => generate(&args),
        Command::Templates(args) => {
            use baton::cli::TemplatesAction;
            match args.action {
                TemplatesAction::List => {
                    for name in baton::init::template_names() {
                        println!("{name}");
                    }
                }
                TemplatesAction::Eject { names, root, force } => {
                    for path in baton::init::eject(&root, &names, force)? {
                        println!("wrote {}", terminal(&root.join(path).display().to_string()));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions(args) => {
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "baton", &mut script);
            // `baton completions bash | head` closes the pipe early: that is not an error.
            use std::io::Write;
            match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::Other(format!("cannot write the completions: {e}")))
                }
                _ => Ok(ExitCode::SUCCESS),
            }
        }
    }
}

fn init_report(dir: &Path, s: &baton::init::InitSummary) {
    let overwritten = if s.overwritten.is_empty() {
        String::new()
    } else {
        format!(", {} of them overwritten", s.overwritten.len())
    };
    println!(
        "created a Baton project in {} ({} files{overwritten})",
        terminal(&dir.display().to_string()),
        s.files.len()
    );
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", terminal(&dir.display().to_string()))
    };
    println!(
        "next:\n{cd}  baton serve     preview the example site at http://127.0.0.1:8000/\n  \
         then replace data/*.csv with your CRM exports: README.md says which"
    );
}

fn generate(args: &GenerateArgs) -> Result<ExitCode, Error> {
    use baton::generate::{write_project, GenOptions};
    let mut opts = match args.scale {
        Some(n) => GenOptions::scale(n),
        None => GenOptions::example(),
    };
    if let Some(seed) = args.seed {
        opts.seed = seed;
    }
    let in_the_way = baton::generate::files_in_the_way(&opts, &args.dir);
    if !in_the_way.is_empty() && !args.force {
        return Err(Error::Other(format!(
            "baton generate would replace {} existing file(s) in `{}`:\n  {}\nnothing was \
             written; run `baton generate --force` to replace them, or choose an empty folder",
            in_the_way.len(),
            args.dir.display(),
            in_the_way.join("\n  ")
        )));
    }
    let started = std::time::Instant::now();
    let s = write_project(&opts, &args.dir)?;
    let mut bytes = 0;
    for f in &s.files {
        bytes += f.bytes;
        if f.path.ends_with(".csv") {
            println!("  {:<28} {:>11} rows {:>14} bytes", f.path, f.rows, f.bytes);
        }
    }
    println!(
        "wrote {} files ({bytes} bytes) into {}, data as of {}, in {:.2} s",
        s.files.len(),
        terminal(&args.dir.display().to_string()),
        s.as_of,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `baton export`: runs [`export`] for the command line and returns the exit code.
fn export(args: &ExportArgs) -> u8 {
    use baton::render::export::{export, ExportOptions};
    let opts = ExportOptions {
        site: args
            .output
            .clone()
            .unwrap_or_else(|| args.input.root.join("output")),
        page: args.page.clone().unwrap_or_default(),
        out: args.out.clone().unwrap_or_default(),
        base_url: args.base_url.clone(),
    };
    match export(&opts) {
        Ok(bytes) => {
            eprintln!(
                "export ok: {} written ({bytes} bytes, stylesheet and script inlined)",
                terminal(&opts.out.display().to_string())
            );
            0
        }
        Err(e) => {
            eprintln!("export failed: {}", terminal(&e.to_string()));
            e.exit_code()
        }
    }
}

/// Whether the arguments (without the program's name) are of `check` asking for JSON.
fn check_wants_json(args: impl Iterator<Item = String>) -> bool {
    let args: Vec<String> = args.collect();
    args.first().is_some_and(|a| a == "check")
        && args.iter().enumerate().any(|(i, a)| {
            a == "--format=json"
                || (a == "--format" && args.get(i + 1).is_some_and(|v| v == "json"))
        })
}

/// A command-line error of `check --format json`: the message on stderr as usual, and the
/// report (`ok: false`, `usage_error: true`, the message as its one finding) on stdout.
fn usage_json(e: Error) -> ExitCode {
    eprintln!("error: {}", terminal(&e.to_string()));
    let s = build::failed_summary(e, std::time::Instant::now());
    println!("{}", report::json(&s));
    exit(&s)
}

fn exit(s: &Summary) -> ExitCode {
    if s.ok {
        ExitCode::SUCCESS
    } else if s.usage_error {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads an option by its index; no pointer involved.
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!(get(super::MI_OPTION_PURGE_DELAY), 1000);
        assert_ne!(get(super::MI_OPTION_PURGE_DELAY - 1), 1000);
        assert_ne!(get(super::MI_OPTION_PURGE_DELAY + 1), 1000);
    }
}
