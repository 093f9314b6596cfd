//! The pipeline, step by step: load → choose period and as_of → metrics and comp → render →
//! publish. `check` runs every step but the last two.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::error::{Diagnostic, Error, Severity};
use crate::input::accounts::RowAccount;
use crate::input::{self, Loaded, ProjectPaths};
use crate::metrics;
use crate::period::{local_date, Period};
pub use crate::prepared::Prepared;
use crate::progress;

/// What to build and how strictly.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: ProjectPaths,
    pub output: PathBuf,
    pub period: Option<String>,
    pub as_of: Option<String>,
    /// Fail when any row is rejected.
    pub strict: bool,
    /// Fail on warnings too.
    pub deny_warnings: bool,
    /// Build a period the data does not cover at all (wholly after as_of or before the first
    /// record) instead of refusing it.
    pub allow_empty: bool,
    /// Replace people and companies with pseudonyms (see `anonymize`).
    pub anonymize: bool,
    /// Command-line values that win over `playbook/site.yaml`.
    pub site: SiteOverrides,
    /// After a successful build, keep the period's metrics as `<history>/<period>.json`.
    pub snapshot: bool,
    /// The folder of snapshots (`ROOT/history`), read by every build for the history page.
    pub history: PathBuf,
    /// A closed period to recompute instead of showing it as closed (`baton close --force`).
    pub reclose: Option<Period>,
}

/// Settings of `playbook/site.yaml` given on the command line; each one set wins over the file
/// (`--period` over `default_period` is [`Options::period`]). Values are validated by the CLI.
#[derive(Debug, Clone, Default)]
pub struct SiteOverrides {
    /// `--timezone`: an IANA name.
    pub timezone: Option<String>,
    /// `--min-sample`: at least 1.
    pub min_sample: Option<u64>,
    /// `--currency`: an ISO code.
    pub currency: Option<String>,
}

impl SiteOverrides {
    /// Writes every value given over `site`.
    pub fn apply(&self, site: &mut crate::playbook::Site) {
        if let Some(tz) = &self.timezone {
            site.timezone = tz.clone();
        }
        if let Some(n) = self.min_sample {
            site.min_sample = n;
        }
        if let Some(c) = &self.currency {
            site.currency = c.clone();
        }
    }
}

impl Options {
    /// The standard layout under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        let paths = ProjectPaths::new(root);
        Options {
            output: paths.root.join("output"),
            history: paths.root.join(crate::history::DIR),
            paths,
            period: None,
            as_of: None,
            strict: false,
            deny_warnings: false,
            allow_empty: false,
            anonymize: false,
            site: SiteOverrides::default(),
            snapshot: false,
            reclose: None,
        }
    }
}

impl Options {
    /// Refuses an output folder that would destroy what it replaces: one that is, contains or
    /// is inside an input folder or the project, or that holds files Baton did not write
    /// (see `render::site_folder`). Runs before anything is read; `Error::Usage` (exit 2).
    pub fn check_output(&self) -> Result<(), Error> {
        let p = &self.paths;
        crate::render::site_folder::check_not_an_input(
            &self.output,
            &p.root,
            &[
                ("data", &p.data),
                ("playbook", &p.playbook),
                ("templates", &p.templates),
                ("history", &self.history),
            ],
        )?;
        crate::render::site_folder::check_ours(&self.output)
    }
}

/// What `check` and `build` report.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub ok: bool,
    pub period: Option<String>,
    #[serde(serialize_with = "crate::period::serialize_opt_instant")]
    pub as_of: Option<DateTime<Utc>>,
    /// as_of in the playbook's time zone, for people.
    pub as_of_local: Option<String>,
    pub files: Vec<RowAccount>,
    /// The lookup files the mapping read, with the table whose mapping names each.
    pub lookups: Vec<crate::input::files::LookupFile>,
    /// Files in the data folder that no table or lookup read.
    pub unread: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub pages_written: usize,
    pub seconds: f64,
    /// The command line asked for something impossible (exit code 2).
    pub usage_error: bool,
    /// The snapshot `--snapshot` wrote, relative to the project root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// The published site's `index.html`, as given on the command line: what to open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

fn parse_as_of(s: &str, tz: Tz) -> Result<DateTime<Utc>, Error> {
    let day = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("--as-of {s:?} is not a date (YYYY-MM-DD)")))?;
    Ok(metrics::end_of_day(day, tz))
}

/// Loads, validates and computes; fails on any fatal input error.
pub fn prepare(opts: &Options) -> Result<Prepared, Error> {
    prepare_reusing(opts, None)
}

/// [`prepare`], taking the tables read from `cache` when nothing they depend on changed.
fn prepare_reusing(
    opts: &Options,
    cache: Option<&mut input::reuse::ReadCache>,
) -> Result<Prepared, Error> {
    let reading = progress::Stage::start("reading");
    let loaded = crate::timings::time("load", || {
        input::load_reusing(&opts.paths, |p| opts.site.apply(&mut p.site), cache)
    })?;
    let rows: u64 = loaded.accounts.iter().map(|a| a.read).sum();
    reading.done(&format!(
        "read {} files, {} rows",
        loaded.accounts.len(),
        crate::format::int(i128::from(rows))
    ));
    let computing = progress::Stage::start("computing metrics");
    let ds = &loaded.dataset;
    let site = &ds.playbook.site;
    let tz: Tz = site.timezone.parse().unwrap_or(Tz::UTC);
    let as_of = match &opts.as_of {
        Some(s) => parse_as_of(s, tz)?,
        None => metrics::data_as_of(ds, tz).ok_or_else(|| {
            Error::Input(vec![Diagnostic::error(
                format!(
                    "{}handoffs.csv",
                    opts.paths.display_prefix(&opts.paths.data)
                ),
                "no dated event in the data: cannot tell the reporting date (pass --as-of)",
            )])
        })?,
    };
    let period = match opts.period.as_deref().or(site.default_period.as_deref()) {
        Some(p) => Period::parse(p).ok_or_else(|| {
            Error::Usage(format!(
                "period {p:?} is not YYYY-MM or YYYY-Qn (e.g. 2026-10, 2026-Q3)"
            ))
        })?,
        None => {
            // The last complete month; when the data starts after it (a first export of a
            // few days), the month of as_of, to date, rather than a period with no data.
            let day = local_date(as_of, tz);
            let last_complete = Period::default_for(day);
            match metrics::data_span(ds, as_of, tz) {
                Some(d) if last_complete.is_empty_in(d) => Period::month(day.year(), day.month()),
                _ => last_complete,
            }
        }
    };
    if !opts.allow_empty {
        refuse_empty(ds, period, as_of, tz, opts)?;
    }
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(review_warning(&loaded, &opts.paths, local_date(as_of, tz)));
    // One finding per rejected row, but rows rejected only because the row they refer to was
    // are summed up per file (input::accounts::summarize); each is still an error.
    let findings = crate::input::accounts::summarize(&loaded.rejections);
    let rejection_findings = findings.len();
    diagnostics.extend(findings);
    // Comp statements need neither the sanity gates nor the hand-off facts: they are computed
    // beside the gates, the facts and the metrics (which need the facts), on a second thread.
    let figures = || {
        let gates =
            crate::timings::time("gates", || crate::gates::check(ds, tz, &ds.playbook.gates));
        let facts = crate::timings::time("facts", || {
            crate::metrics::facts::handoff_facts(ds, as_of, tz)
        });
        let metrics = crate::timings::time("metrics", || {
            metrics::compute_with(ds, period, as_of, &facts)
        });
        (gates, facts, metrics)
    };
    let closed = read_closed(opts, ds)?;
    let comp = || {
        crate::timings::time("comp", || {
            crate::comp::close::statements_with_closed(
                ds,
                &period,
                as_of,
                &loaded.quotas,
                &loaded.adjustments,
                &closed,
            )
        })
    };
    let ((gates, facts, metrics), comp) = if crate::threads() < 2 {
        (figures(), comp())
    } else {
        std::thread::scope(|s| {
            let comp = s.spawn(comp);
            let figures = figures();
            (
                figures,
                comp.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            )
        })
    };
    diagnostics.extend(gates);
    let (history, history_diags) =
        crate::history::read_dir(&opts.history, &opts.paths.display_prefix(&opts.history));
    diagnostics.extend(history_diags);
    let fingerprint = crate::history::fingerprint(&ds.playbook);
    let closed_prefix = opts
        .paths
        .display_prefix(&opts.history.join(crate::history::CLOSED_DIR));
    for c in closed
        .values()
        .filter(|c| c.playbook_fingerprint != fingerprint)
    {
        diagnostics.push(Diagnostic::warning(
            format!("{closed_prefix}{}.json", c.period.label()),
            format!(
                "closed under other playbook settings ({}, now {fingerprint}): a prior-period \
                 adjustment against it may come from a changed plan, not from changed data",
                c.playbook_fingerprint
            ),
        ));
    }
    let comp_file = format!(
        "{}comp.yaml",
        opts.paths.display_prefix(&opts.paths.playbook)
    );
    for w in &comp.warnings {
        diagnostics.push(Diagnostic::warning(comp_file.clone(), w.clone()));
    }
    if ds.playbook.comp.plans.is_empty() {
        diagnostics.push(Diagnostic::warning(
            comp_file.clone(),
            "no comp plans defined: the site shows no statements (see docs/comp.md)",
        ));
    }
    for (rep, why) in comp
        .uncovered
        .iter()
        .filter(|_| !ds.playbook.comp.plans.is_empty())
    {
        let mut d = Diagnostic::warning(comp_file.clone(), format!("rep `{rep}`: {why}"));
        if let Some(r) = ds.rep(rep) {
            d.file = r.source.file.to_string();
            d.line = Some(r.source.line);
        }
        diagnostics.push(d);
    }
    computing.done(&format!(
        "computed {} metrics and comp statements",
        period.label()
    ));
    Ok(Prepared {
        tz,
        period,
        as_of,
        metrics,
        facts,
        comp,
        diagnostics,
        rejection_findings,
        history,
        playbook_fingerprint: crate::history::fingerprint(&ds.playbook),
        loaded,
    })
}

/// Refuses a period the data covers none of (wholly after as_of or before the first record):
/// its site would show zeros for what is unknown. The error names the days the data covers.
fn refuse_empty(
    ds: &crate::model::Dataset,
    period: Period,
    as_of: DateTime<Utc>,
    tz: Tz,
    opts: &Options,
) -> Result<(), Error> {
    let span = metrics::data_span(ds, as_of, tz);
    if span.is_some_and(|d| !period.is_empty_in(d)) {
        return Ok(());
    }
    let last = period.end.pred_opt().unwrap_or(period.start);
    let covers = match span {
        Some(d) => format!("the data covers {} to {}", d.from, d.to),
        None => format!(
            "nothing in the data happened on or before as-of {}",
            local_date(as_of, tz)
        ),
    };
    Err(Error::Input(vec![Diagnostic::error(
        opts.paths.display_prefix(&opts.paths.data).trim_end_matches('/').to_string(),
        format!(
            "period {} ({} to {last}) has no data: {covers}; choose a period in that range, or pass --allow-empty to build it anyway",
            period.label(),
            period.start,
        ),
    )]))
}

/// The playbook asks for a quarterly review: warn when `last_reviewed` is over 90 days old.
fn review_warning(loaded: &Loaded, paths: &ProjectPaths, as_of: NaiveDate) -> Option<Diagnostic> {
    let q = &loaded.dataset.playbook.qualification;
    let file = format!(
        "{}qualification.yaml",
        paths.display_prefix(&paths.playbook)
    );
    let msg = match q.last_reviewed {
        None => "the qualification framework has no last_reviewed date; the playbook asks for a quarterly review".to_string(),
        Some(d) if (as_of - d).num_days() > 90 => format!(
            "the qualification framework was last reviewed on {d}, {} days before the data's as-of date {as_of}; the playbook asks for a review every quarter",
            (as_of - d).num_days()
        ),
        Some(_) => return None,
    };
    Some(Diagnostic::warning(file, msg))
}

/// The closed periods of `history/closed/` (but `opts.reclose`). One that cannot be read, or
/// is in another currency than this build's, stops the build; one closed under other comp
/// settings is still shown as closed, with a warning.
fn read_closed(
    opts: &Options,
    ds: &crate::model::Dataset,
) -> Result<std::collections::BTreeMap<Period, crate::comp::close::Closed>, Error> {
    let dir = opts.history.join(crate::history::CLOSED_DIR);
    let prefix = opts.paths.display_prefix(&dir);
    let mut closed = crate::history::read_closed(&dir, &prefix).map_err(Error::Input)?;
    if let Some(p) = &opts.reclose {
        closed.remove(p);
    }
    let currency = &ds.playbook.site.currency;
    let wrong: Vec<Diagnostic> = closed
        .values()
        .filter(|c| &c.currency != currency)
        .map(|c| {
            Diagnostic::error(
                format!("{prefix}{}.json", c.period.label()),
                format!(
                    "closed in {}, but this build pays in {currency}: its amounts cannot be compared",
                    c.currency
                ),
            )
        })
        .collect();
    if wrong.is_empty() {
        Ok(closed)
    } else {
        Err(Error::Input(wrong))
    }
}

/// What `baton close` did.
#[derive(Debug, Clone)]
pub struct Closing {
    /// The file written, as shown to people.
    pub file: String,
    pub period: String,
    pub statements: usize,
    /// The sum of the frozen statements' totals, with the currency's decimals.
    pub total: String,
    pub currency: String,
}

/// `baton close --period P`: freezes P's statements into `history/closed/P.json`. Refuses a
/// period that is not over at as_of, inputs with errors (as `check` finds them), a period
/// without statements, and a period already closed unless `force`.
pub fn close(opts: &Options, force: bool) -> Result<Closing, Error> {
    let Some(label) = opts.period.as_deref() else {
        return Err(Error::Usage(
            "close needs --period (the payout period to close, e.g. 2026-09)".into(),
        ));
    };
    let period = Period::parse(label)
        .filter(|p| p.label() == label.trim())
        .ok_or_else(|| {
            Error::Usage(format!(
                "period {label:?} is not YYYY-MM or YYYY-Qn (e.g. 2026-10, 2026-Q3)"
            ))
        })?;
    let dir = opts.history.join(crate::history::CLOSED_DIR);
    let prefix = opts.paths.display_prefix(&dir);
    let file = format!("{prefix}{}.json", period.label());
    if dir.join(format!("{}.json", period.label())).exists() && !force {
        return Err(Error::Usage(format!(
            "{file} exists: {} is already closed, and a closed period is what was paid. \
             --force replaces it with today's figures (only for a closing that was never paid)",
            period.label()
        )));
    }
    let mut opts = opts.clone();
    opts.reclose = force.then_some(period);
    // as_of first (it may come from the data), so a period not over is refused as such even
    // when the data does not reach it.
    let p = prepare(&Options {
        allow_empty: true,
        ..opts.clone()
    })?;
    let last_day = period.end.pred_opt().unwrap_or(period.start);
    let as_of_day = local_date(p.as_of, p.tz);
    if last_day > as_of_day {
        return Err(Error::Usage(format!(
            "{} is not over: it ends on {last_day}, after as_of ({as_of_day}); only a finished period can be closed",
            period.label()
        )));
    }
    let checked = check_inputs(&opts, Instant::now());
    if checked.errors > 0 {
        let mut d = checked.diagnostics;
        d.retain(|d| d.severity == Severity::Error);
        d.push(Diagnostic::error(
            "",
            format!(
                "{} not closed: `baton check` finds {} error(s); fix them first",
                period.label(),
                checked.errors
            ),
        ));
        return Err(Error::Input(d));
    }
    let closed_on = local_date(Utc::now(), p.tz);
    let paths = &opts.paths;
    let inputs = crate::history::input_hashes(&[
        (&paths.data, paths.display_prefix(&paths.data)),
        (&paths.playbook, paths.display_prefix(&paths.playbook)),
    ])?;
    let c =
        crate::comp::close::freeze(&p.comp, &period, closed_on, &p.playbook_fingerprint, inputs);
    if c.statements.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no statement whose payout period it is (a quarterly plan closes by quarter, e.g. 2026-Q3); nothing closed",
            period.label()
        )));
    }
    let minor = c.statements[0].minor_units as usize;
    let total: rust_decimal::Decimal = c.statements.iter().map(|s| s.total).sum();
    let text = crate::history::closed_json(&c)?;
    crate::history::write_closed(&dir, &period, &text, force)?;
    Ok(Closing {
        file,
        period: period.label(),
        statements: c.statements.len(),
        total: format!("{total:.minor$}"),
        currency: c.currency,
    })
}

/// Writes the period's snapshot; returns its path as shown to people.
fn write_snapshot(p: &Prepared, opts: &Options) -> Result<String, Error> {
    let text = crate::history::snapshot_json(&p.metrics, &p.playbook_fingerprint)?;
    crate::history::write(&opts.history, &p.period, &text)?;
    Ok(format!(
        "{}{}.json",
        opts.paths.display_prefix(&opts.history),
        p.period.label()
    ))
}

/// Counts errors and warnings, applying `--strict` and `--deny-warnings`.
/// Every rejected row counts as an error, whether its finding stands alone or sums it up with
/// others (`rejection_findings` of `diags` are about rejected rows); any other error fails.
fn tally(p: &Prepared, opts: &Options) -> (usize, usize, bool) {
    let (diags, rejected) = (&p.diagnostics, p.loaded.rejections.len());
    let listed = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - listed;
    let others = listed.saturating_sub(p.rejection_findings);
    let failed =
        (opts.strict && rejected > 0) || (opts.deny_warnings && warnings > 0) || others > 0;
    (others + rejected, warnings, failed)
}

/// Validates everything `build` reads and writes nothing: the inputs and figures as `prepare`
/// computes them, and the templates and assets as `build` would load them (every name a page
/// would find unknown included, see `render::template_check`). Rejected rows are errors here.
pub fn check(opts: &Options) -> Summary {
    let start = Instant::now();
    let templates = crate::render::template_check::validate(
        &opts.paths.templates,
        &opts.paths.display_prefix(&opts.paths.templates),
    );
    let mut summary = check_inputs(opts, start);
    let errors = templates
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    summary.errors += errors;
    summary.warnings += templates.len() - errors;
    summary.ok &= errors == 0 && !(opts.deny_warnings && summary.warnings > 0);
    summary.diagnostics.extend(templates);
    summary.seconds = start.elapsed().as_secs_f64();
    summary
}

/// What [`check`] finds in the inputs: every export and playbook file read, every figure
/// computed, templates left out (`start` is when the check began, for its duration).
pub fn check_inputs(opts: &Options, start: Instant) -> Summary {
    match prepare(opts) {
        Ok(p) => {
            let (errors, warnings, _) = tally(&p, opts);
            let ok = errors == 0 && !(opts.deny_warnings && warnings > 0);
            Summary {
                ok,
                period: Some(p.period.label()),
                as_of: Some(p.as_of),
                as_of_local: Some(p.local_label()),
                files: p.loaded.accounts,
                lookups: p.loaded.lookups,
                unread: p.loaded.unread,
                errors,
                warnings,
                diagnostics: p.diagnostics,
                pages_written: 0,
                seconds: start.elapsed().as_secs_f64(),
                usage_error: false,
                snapshot: None,
                site: None,
            }
        }
        Err(e) => failed_summary(e, start),
    }
}

/// A summary for a run that stopped before computing anything.
pub fn failed_summary(e: Error, start: Instant) -> Summary {
    let usage_error = matches!(e, Error::Usage(_));
    let diagnostics = match e {
        Error::Input(d) => d,
        other => vec![Diagnostic::error("", other.to_string())],
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Summary {
        ok: false,
        period: None,
        as_of: None,
        as_of_local: None,
        files: Vec::new(),
        lookups: Vec::new(),
        unread: Vec::new(),
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics,
        pages_written: 0,
        seconds: start.elapsed().as_secs_f64(),
        usage_error,
        snapshot: None,
        site: None,
    }
}

/// `baton export --statements DIR` (docs/comp.md, "Who sees pay"): computes the statements as
/// a build does (`opts.output` is DIR) and writes each as a self-contained file, with
/// comp.csv, into DIR. Refuses DIR under the rules of an output folder, and inputs a build
/// would refuse. Returns the summary and, when written, the number of files.
pub fn export_statements(opts: &Options) -> (Summary, Option<usize>) {
    let start = Instant::now();
    let site = opts.paths.root.join("output");
    let checked = crate::render::site_folder::check_not_in_site(&opts.output, &site)
        .and_then(|()| crate::render::site_folder::check_not_in_baton_folder(&opts.output))
        .and_then(|()| opts.check_output());
    if let Err(e) = checked {
        return (failed_summary(e, start), None);
    }
    let p = match prepare(opts) {
        Ok(p) => p,
        Err(e) => return (failed_summary(e, start), None),
    };
    let (errors, warnings, failed) = tally(&p, opts);
    let mut summary = Summary {
        ok: !failed,
        period: Some(p.period.label()),
        as_of: Some(p.as_of),
        as_of_local: Some(p.local_label()),
        files: p.loaded.accounts.clone(),
        lookups: p.loaded.lookups.clone(),
        unread: p.loaded.unread.clone(),
        errors,
        warnings,
        diagnostics: p.diagnostics.clone(),
        pages_written: 0,
        seconds: 0.0,
        usage_error: false,
        snapshot: None,
        site: None,
    };
    let mut written = None;
    if !failed {
        match crate::render::private::statements(&p, &opts.paths.templates, &opts.output) {
            Ok(n) => {
                summary.pages_written = n;
                written = Some(n);
            }
            Err(e) => {
                summary.ok = false;
                summary.errors += 1;
                summary
                    .diagnostics
                    .push(Diagnostic::error("", e.to_string()));
            }
        }
    }
    summary.seconds = start.elapsed().as_secs_f64();
    (summary, written)
}

/// Builds the site and publishes it; a failed build leaves the published output untouched.
pub fn build(opts: &Options) -> Summary {
    build_reusing(opts, None)
}

/// [`build`], keeping what it read of `data/` and the figures it computed in `cache`, and
/// reusing them when nothing they depend on changed (`baton serve`; see `crate::rebuilds`
/// and `input::reuse`): after a template or Markdown page edit it only renders. The site is
/// the same, byte for byte, as [`build`]'s.
pub fn build_reusing(opts: &Options, cache: Option<&mut crate::rebuilds::Rebuilds>) -> Summary {
    let start = Instant::now();
    if let Err(e) = opts.check_output() {
        return failed_summary(e, start);
    }
    if opts.snapshot && opts.anonymize {
        return failed_summary(
            Error::Usage(
                "--snapshot keeps the team's real history and cannot be combined with --anonymize"
                    .into(),
            ),
            start,
        );
    }
    let mut cache = cache;
    // The figures are not kept when anonymized: anonymizing rewrites them.
    let key = (cache.is_some() && !opts.anonymize)
        .then(|| crate::rebuilds::Key::take(&opts.paths, &opts.history, format!("{opts:?}")));
    let reused = match cache.as_deref_mut() {
        Some(c) => crate::timings::time("reuse figures", || c.figures(&opts.paths, key.as_ref())),
        None => None,
    };
    let mut p = match reused {
        Some(p) => p,
        None => {
            if let Some(c) = cache.as_deref_mut() {
                c.computed += 1;
            }
            match prepare_reusing(opts, cache.as_deref_mut().map(|c| &mut c.tables)) {
                Ok(p) => p,
                Err(e) => return failed_summary(e, start),
            }
        }
    };
    if opts.anonymize {
        // Once every figure is computed from the real ids (quotas and plans name reps by
        // them), and before anything is shown: the summary, the serve banner and the site.
        crate::anonymize::anonymize(&mut p);
    }
    let (errors, warnings, failed) = tally(&p, opts);
    let mut summary = Summary {
        ok: !failed,
        period: Some(p.period.label()),
        as_of: Some(p.as_of),
        as_of_local: Some(p.local_label()),
        files: p.loaded.accounts.clone(),
        lookups: p.loaded.lookups.clone(),
        unread: p.loaded.unread.clone(),
        errors,
        warnings,
        diagnostics: p.diagnostics.clone(),
        pages_written: 0,
        seconds: 0.0,
        usage_error: false,
        snapshot: None,
        site: None,
    };
    if failed {
        summary.seconds = start.elapsed().as_secs_f64();
        return summary;
    }
    p.release_unrendered_inputs();
    let rendering = progress::Stage::start("rendering");
    match crate::timings::time("render", || {
        crate::render::publish(&p, &opts.paths.templates, &opts.output)
    })
    .and_then(|n| {
        summary.pages_written = n;
        let index = opts.output.join("index.html").display().to_string();
        summary.site = Some(index.strip_prefix("./").unwrap_or(&index).to_string());
        rendering.done(&format!("rendered {n} files"));
        // A mailed digest needs absolute links; say so where the user looks, once a build.
        if p.loaded.dataset.playbook.site.base_url.is_none() {
            progress::note(
                "note: digest.html links are relative (site.yaml has no base_url): set it \
                 before mailing the digest",
            );
        }
        if opts.snapshot {
            summary.snapshot = Some(write_snapshot(&p, opts)?);
        }
        Ok(())
    }) {
        Ok(()) => {}
        Err(e) => {
            summary.ok = false;
            summary.errors += 1;
            summary
                .diagnostics
                .push(Diagnostic::error("", e.to_string()));
        }
    }
    if let (Some(c), Some(k)) = (cache, key) {
        if summary.ok {
            c.keep(&opts.paths, k, p);
        }
    }
    summary.seconds = start.elapsed().as_secs_f64();
    summary
}
