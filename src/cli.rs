//! The command line: raw arguments parsed by clap, then turned into validated options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns a sales team's CRM exports and playbook into a static site of SDR/AE hand-off reports.
#[derive(Debug, Parser)]
#[command(name = "baton", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from data/ and playbook/ into output/.
    ///
    /// Example: baton build --period 2026-10
    #[command(
        after_help = "Examples:\n  baton build\n  baton build --period 2026-Q3 --strict\n  baton build --data exports/ --output public/"
    )]
    Build(BuildArgs),
    /// Validate every input and report every problem; writes nothing.
    ///
    /// Exit code 0 when the input is clean, 1 when anything is wrong.
    #[command(
        after_help = "Examples:\n  baton check\n  baton check --format json --deny-warnings"
    )]
    Check(CheckArgs),
    /// Write one built page as a single self-contained HTML file (stylesheet inlined).
    #[command(
        after_help = "Examples:\n  baton export index.html -o dashboard-2026-10.html\n  baton export sdr/ana-lima.html -o ana.html --base-url https://reports.example.com/baton/"
    )]
    Export(ExportArgs),
    /// Write a seeded example project (data and playbook) at any size.
    #[command(
        after_help = "Examples:\n  baton generate /tmp/demo\n  baton generate --scale 1 --seed 7 /tmp/scale"
    )]
    Generate(GenerateArgs),
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
    /// Period to report: YYYY-MM or YYYY-Qn [default: the last full month before as-of].
    #[arg(long)]
    pub period: Option<String>,
    /// Treat the data as known up to the end of this day (YYYY-MM-DD) [default: the latest event].
    #[arg(long)]
    pub as_of: Option<String>,
    /// Fail when any row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print only errors and the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
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
    /// The page, relative to the built site: index.html, sdr/ana-lima.html, ...
    pub page: String,
    /// The file to write.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
    /// Project folder whose built site to read.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built site [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Make links to other pages absolute under this address (https://...).
    #[arg(long)]
    pub base_url: Option<String>,
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
    /// Output format of the findings.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Folder to write data/ and playbook/ into (created if missing).
    pub dir: PathBuf,
    /// Seed of the generator: the same seed writes the same files.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Write the scale dataset (200 SDRs, 100 AEs, 12 months, ~10M activities per unit).
    #[arg(long)]
    pub scale: Option<u32>,
}
