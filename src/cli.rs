//! The command line: raw arguments parsed by clap, then turned into validated options.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{Options, SiteOverrides};
use crate::error::Error;

/// Turns a sales team's CRM exports and playbook into a static site of SDR/AE hand-off reports.
#[derive(Debug, Parser)]
#[command(
    name = "baton",
    version,
    about,
    long_about = None,
    after_help = "Start with:\n  baton init my-report && cd my-report && baton serve\n\n\
                  Exit codes: 0 success, 1 bad input or failed build, 2 bad usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project: example data, playbook, .gitignore and a README.
    ///
    /// The example builds as it is; the README says which CRM exports replace it. Existing
    /// files are never overwritten without --force (exit code 1, nothing written).
    #[command(
        after_help = "Examples:\n  baton init my-report\n  baton init            (in the current folder)\n  baton init my-report --templates\n  baton init my-report --force"
    )]
    Init(InitArgs),
    /// Build the site from data/ and playbook/ into output/.
    ///
    /// Exit code 0 when the site was published; 1 on bad input, on a rejected row with
    /// --strict, or on a warning with --deny-warnings (output/ is then left as it was); 2 on
    /// bad usage.
    #[command(
        after_help = "Examples:\n  baton build\n  baton build --period 2026-Q3 --strict\n  baton build --data exports/ --output public/"
    )]
    Build(BuildArgs),
    /// Validate every input and report every problem; writes nothing.
    ///
    /// Exit code 0 when the input is clean, 1 when anything is wrong (a rejected row is an
    /// error here), 2 on bad usage.
    #[command(
        after_help = "Examples:\n  baton check\n  baton check --format json --deny-warnings > check.json"
    )]
    Check(CheckArgs),
    /// Freeze a finished payout period's comp statements into history/closed/PERIOD.json.
    ///
    /// Commit the file: later builds show that period exactly as closed, and a rep whose
    /// amount for it changes with later data gets the difference as a prior-period line on
    /// the next open statement (docs/comp.md). Refuses a period not over at as-of, inputs
    /// with errors, and a period already closed. Exit code 0 when closed, 1 on bad input, 2
    /// on bad usage (a period not over, already closed).
    #[command(
        after_help = "Examples:\n  baton close --period 2026-09\n  baton close --period 2026-Q3 --as-of 2026-10-05"
    )]
    Close(CloseArgs),
    /// Build, serve output/ on 127.0.0.1, rebuild on every change and reload the open pages.
    ///
    /// Watches data/, playbook/ and templates/. A failed build is shown in the terminal and
    /// on the page while the last good site stays served.
    #[command(
        after_help = "Examples:\n  baton serve\n  baton serve --port 0 --open\n  baton serve --period 2026-09 --anonymize"
    )]
    Serve(ServeArgs),
    /// Write one built page as a single self-contained HTML file (stylesheet and script inlined),
    /// or with --statements each comp statement as a file of its own, for private delivery.
    #[command(
        after_help = "Examples:\n  baton export index.html -o dashboard-2026-10.html\n  baton export sdr/s01.html -o s01.html --base-url https://reports.example.com/baton/\n  baton export --statements ../statements-2026-10 --period 2026-10"
    )]
    Export(ExportArgs),
    /// Write a seeded example project (data and playbook) at any size.
    #[command(
        after_help = "Examples:\n  baton generate /tmp/demo\n  baton generate --seed 7 /tmp/other\n  baton generate --scale 1 /tmp/scale   (about 10 million activities)"
    )]
    Generate(GenerateArgs),
    /// List the default templates, or copy some into templates/ to change a page.
    ///
    /// A file under templates/ replaces the built-in one of its name, and no longer follows
    /// Baton's upgrades: copy only the ones you change.
    #[command(
        after_help = "Examples:\n  baton templates list\n  baton templates eject base.html assets/style.css\n  baton templates eject --root my-report rep.html"
    )]
    Templates(TemplatesArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  baton completions bash > ~/.local/share/bash-completion/completions/baton\n  baton completions zsh > ~/.zfunc/_baton\n  baton completions fish > ~/.config/fish/completions/baton.fish"
    )]
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the project in (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files of the project that already exist.
    #[arg(long)]
    pub force: bool,
    /// Also copy every default template and the stylesheet into templates/, to edit them
    /// (a copy no longer follows Baton's upgrades; `baton templates eject NAME` copies one).
    #[arg(long)]
    pub templates: bool,
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: TemplatesAction,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the default templates and assets a project may replace.
    List,
    /// Copy default templates into ROOT/templates/ to edit them (all of them without NAME).
    Eject {
        /// Template names as `baton templates list` gives them: base.html, assets/style.css...
        names: Vec<String>,
        /// Project folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Overwrite copies that exist.
        #[arg(long)]
        force: bool,
    },
}

/// Where the project's inputs are and which period to report.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Project folder holding data/, playbook/ and templates/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Folder of CSV exports [default: ROOT/data].
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Folder of playbook YAML and Markdown [default: ROOT/playbook].
    #[arg(long)]
    pub playbook: Option<PathBuf>,
    /// Folder of templates overriding the defaults [default: ROOT/templates].
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Period to report: YYYY-MM or YYYY-Qn [default: default_period of site.yaml, else the
    /// last full month before as-of].
    #[arg(long)]
    pub period: Option<String>,
    /// Treat the data as known up to the end of this day (YYYY-MM-DD) [default: the latest event].
    #[arg(long)]
    pub as_of: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin [default: timezone of site.yaml].
    #[arg(long)]
    pub timezone: Option<String>,
    /// Smallest denominator a rate is ranked on [default: min_sample of site.yaml].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_sample: Option<u64>,
    /// ISO currency code shown beside amounts, e.g. EUR [default: currency of site.yaml].
    #[arg(long)]
    pub currency: Option<String>,
    /// Fail when any row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Build a period the data does not cover at all (by default an error naming the days
    /// the data covers).
    #[arg(long)]
    pub allow_empty: bool,
    /// No progress or stage lines: print only errors and the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

impl InputArgs {
    /// The validated build options; `output` replaces `ROOT/output`.
    pub fn options(&self, output: Option<&Path>) -> Result<Options, Error> {
        let mut o = Options::new(&self.root);
        if let Some(d) = &self.data {
            o.paths.data = d.clone();
        }
        if let Some(d) = &self.playbook {
            o.paths.playbook = d.clone();
        }
        if let Some(d) = &self.templates {
            o.paths.templates = d.clone();
        }
        if let Some(d) = output {
            o.output = d.to_path_buf();
        }
        o.period = self.period.clone();
        o.as_of = self.as_of.clone();
        o.strict = self.strict;
        o.deny_warnings = self.deny_warnings;
        o.allow_empty = self.allow_empty;
        o.site = SiteOverrides {
            timezone: self.timezone.as_deref().map(time_zone).transpose()?,
            min_sample: self.min_sample,
            currency: self.currency.as_deref().map(currency).transpose()?,
        };
        Ok(o)
    }
}

fn time_zone(name: &str) -> Result<String, Error> {
    name.trim()
        .parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| {
            Error::Usage(format!(
                "--timezone {name:?} is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)"
            ))
        })
}

fn currency(code: &str) -> Result<String, Error> {
    let code = code.trim();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(Error::Usage(format!(
            "--currency {code:?} is not a three-letter ISO code (e.g. USD, EUR)"
        )))
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to publish the site [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Replace rep names, ids, companies and notes with stable pseudonyms.
    #[arg(long)]
    pub anonymize: bool,
    /// Also keep the period's metrics as history/<period>.json (commit it) for the history page.
    #[arg(long)]
    pub snapshot: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The page, relative to the built site: index.html, sdr/s01.html, ...
    #[arg(required_unless_present = "statements")]
    pub page: Option<String>,
    /// The file to write.
    #[arg(short = 'o', long = "out", required_unless_present = "statements")]
    pub out: Option<PathBuf>,
    /// The built site [default: ROOT/output].
    #[arg(long, conflicts_with = "statements")]
    pub output: Option<PathBuf>,
    /// Make links to other pages absolute under this address (https://...).
    #[arg(long, conflicts_with = "statements")]
    pub base_url: Option<String>,
    /// Instead of a page: compute the comp statements as `build` does and write one
    /// self-contained file per statement, and comp.csv, into this folder, for private
    /// delivery. Refuses a folder holding files Baton did not write there.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["page", "out"])]
    pub statements: Option<PathBuf>,
    /// Where the project is (ROOT), and with --statements, the build's inputs and options.
    #[command(flatten)]
    pub input: InputArgs,
}

impl BuildArgs {
    pub fn options(&self) -> Result<Options, Error> {
        let mut o = self.input.options(self.output.as_deref())?;
        o.anonymize = self.anonymize;
        o.snapshot = self.snapshot;
        Ok(o)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format of the findings (json: one document on stdout).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Replace a closed file that exists, with the statements recomputed from today's data.
    /// Only for a closing that was never paid (closed by mistake, or before a correction):
    /// what payroll paid must stay what the file says.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Port on 127.0.0.1; 0 picks any free port (the URL is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Folder to write data/ and playbook/ into (created if missing).
    pub dir: PathBuf,
    /// Seed of the generator: the same seed writes the same files [default: the example's].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the scale dataset (200 SDRs, 100 AEs, 12 months, ~10M activities per unit).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub scale: Option<u32>,
    /// Replace the data/ and playbook/ of a project that already has them.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_an_example() {
        for sub in Cli::command().get_subcommands() {
            let help = sub.get_after_help().map(ToString::to_string);
            assert!(
                help.is_some_and(|h| h.starts_with("Examples:\n  baton ")),
                "{} has no example",
                sub.get_name()
            );
        }
    }

    #[test]
    fn overrides_are_validated() {
        let parse = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).expect("parses");
            match cli.command {
                Command::Build(b) => b.options(),
                _ => unreachable!("a build"),
            }
        };
        let o = parse(&[
            "baton",
            "build",
            "--timezone",
            "Europe/Berlin",
            "--currency",
            "eur",
            "--min-sample",
            "3",
        ])
        .expect("valid");
        assert_eq!(o.site.timezone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(o.site.currency.as_deref(), Some("EUR"));
        assert_eq!(o.site.min_sample, Some(3));
        assert!(matches!(
            parse(&["baton", "build", "--timezone", "Mars/Olympus"]),
            Err(Error::Usage(_))
        ));
        assert!(matches!(
            parse(&["baton", "build", "--currency", "dollars"]),
            Err(Error::Usage(_))
        ));
        assert!(Cli::try_parse_from(["baton", "build", "--min-sample", "0"]).is_err());
    }
}
