//! `baton`: parses the command line and runs the library; exit codes 0 success, 1 bad input
//! or failed build, 2 bad usage.

use std::process::ExitCode;

use clap::Parser;

use baton::build::{self, Options};
use baton::cli::{Cli, Command, Format, InputArgs};
use baton::report;

fn options(a: &InputArgs, output: Option<&std::path::Path>) -> Options {
    let mut o = Options::new(&a.root);
    if let Some(d) = &a.data {
        o.paths.data = d.clone();
    }
    if let Some(d) = &a.playbook {
        o.paths.playbook = d.clone();
    }
    if let Some(d) = &a.templates {
        o.paths.templates = d.clone();
    }
    if let Some(d) = output {
        o.output = d.to_path_buf();
    }
    o.period = a.period.clone();
    o.as_of = a.as_of.clone();
    o.strict = a.strict;
    o.deny_warnings = a.deny_warnings;
    o
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => {
            let s = build::check(&options(&args.input, None));
            match args.format {
                Format::Text => eprint!("{}", report::text(&s, "check", args.input.quiet)),
                Format::Json => println!("{}", report::json(&s)),
            }
            exit(&s)
        }
        Command::Build(args) => {
            let mut opts = options(&args.input, args.output.as_deref());
            opts.anonymize = args.anonymize;
            opts.snapshot = args.snapshot;
            let s = build::build(&opts);
            eprint!("{}", report::text(&s, "build", args.input.quiet));
            exit(&s)
        }
        Command::Export(args) => ExitCode::from(baton::render::export::command(&args)),
        Command::Generate(args) => {
            let _ = args;
            eprintln!("baton generate: not wired yet");
            ExitCode::from(2)
        }
    }
}

fn exit(s: &build::Summary) -> ExitCode {
    if s.ok {
        ExitCode::SUCCESS
    } else if s.usage_error {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}
