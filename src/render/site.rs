//! What every page shares: the site-wide context (`site` in templates) and the [`Writer`]
//! that renders a page's context through Tera, on two threads, into the one [`Output`].
//!
//! Views (`views`, `pages`) turn the computed figures into template contexts; nothing here
//! computes a metric.

use serde::Serialize;
use tera::{Context, Tera};

use super::output::Output;
use super::templates;
use crate::error::Error;
use crate::prepared::Prepared;

/// Site-wide context every page receives as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub company: String,
    pub lang: &'static str,
    pub period: String,
    /// How much of the period the data covers when not all of it: "to date, data to
    /// 2026-10-31", "data from 2026-05-01"; empty for a whole period.
    pub period_note: String,
    pub previous_period: String,
    /// The previous period as tables and cards head it: its label, "at the same age" (its
    /// cohort figures are as known when it was as old as this period's), and, when the data
    /// covers only part of it, the note: `2026-Q2 at the same age (data from 2026-05-01)`.
    pub previous_heading: String,
    /// Changes from the previous period compare like with like (metrics.json `comparable`).
    pub comparable: bool,
    /// The moment the previous period's hand-offs are taken as known, local: as old as the
    /// period's at as_of (metrics.json `age_matched_at`).
    pub age_matched_at: String,
    /// as-of in the playbook's time zone, e.g. `2026-10-31 23:59 America/New_York`.
    pub as_of: String,
    /// as-of as an RFC 3339 timestamp with the zone's offset, for `<time datetime>`.
    pub as_of_iso: String,
    pub generated_from: String,
    /// The currency's symbol (`$`, or the code and a space).
    pub currency: String,
    /// Decimals of the currency's amounts (its minor units: 2, 0 for JPY, 3 for KWD).
    pub minor_units: u32,
    pub min_sample: u64,
    pub timezone: String,
    /// The playbook's segment dimensions with their pages, for the navigation; empty
    /// without segments.yaml.
    pub segments: Vec<SegmentLink>,
    /// site.yaml `comp: {publish}`: `individual`, `team` or `none` (docs/comp.md, "Who sees
    /// pay"); pages show pay, and link to comp, only as far as it allows.
    pub comp_publish: &'static str,
}

/// A segment dimension's page (`site.segments`).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentLink {
    pub name: String,
    /// Relative to the site root: `segments/lead-source.html`.
    pub link: String,
}

/// Renders pages into an [`Output`], with `root` set from each page's depth.
pub struct Writer<'a> {
    pub tera: &'a Tera,
    /// Who writes hand-off table rows: Baton for the built-in row, else the project's template.
    pub rows: super::rows::RowWriter<'a>,
    pub out: Output,
    pub site: SiteCtx,
}

/// One page to render: its path, template, title, section and context.
pub struct Page {
    pub rel: String,
    pub name: &'static str,
    pub title: String,
    pub section: &'static str,
    pub ctx: Context,
}

/// `page` with `site`, `root` and `page` added to its context: (path, template, context).
fn prepare(site: &SiteCtx, page: Page) -> (String, &'static str, Context) {
    let Page {
        rel,
        name,
        title,
        section,
        mut ctx,
    } = page;
    let depth = rel.matches('/').count();
    ctx.insert("root", &"../".repeat(depth));
    ctx.insert("site", site);
    ctx.insert(
        "page",
        &serde_json::json!({ "title": title, "section": section, "path": rel }),
    );
    (rel, name, ctx)
}

/// Renders `page` (see [`prepare`]) into `buf`, emptied first; returns the page's path.
fn render(tera: &Tera, site: &SiteCtx, page: Page, buf: &mut Vec<u8>) -> Result<String, Error> {
    let (rel, name, ctx) = prepare(site, page);
    buf.clear();
    templates::render_to(tera, name, &ctx, &mut *buf)?;
    Ok(rel)
}

/// A buffer from `spare`, or a new one.
fn take(spare: &std::sync::Mutex<Vec<Vec<u8>>>) -> Vec<u8> {
    spare
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop()
        .unwrap_or_default()
}

/// How many threads may render: [`crate::threads`], at most two.
pub fn render_threads() -> usize {
    crate::threads().clamp(1, 2)
}

impl Writer<'_> {
    /// Renders template `name` with `ctx` (plus `site`, `root` and `page`) into `rel`.
    pub fn page(
        &mut self,
        rel: &str,
        name: &'static str,
        title: &str,
        section: &'static str,
        ctx: Context,
    ) -> Result<(), Error> {
        let page = Page {
            rel: rel.to_string(),
            name,
            title: title.to_string(),
            section,
            ctx,
        };
        let (rel, name, ctx) = prepare(&self.site, page);
        let tera = self.tera;
        self.out
            .write_with(&rel, |w| templates::render_to(tera, name, &ctx, w))
    }

    /// Renders the page `make` gives for each of `items` (none for `None`), on two threads
    /// where the machine has two cores, and writes each as it is done. Pages are separate
    /// files, so the site is the same whatever the order; the first error stops the rest.
    pub fn pages<T: Sync>(
        &mut self,
        items: &[T],
        make: impl Fn(&T) -> Result<Option<Page>, Error> + Sync,
    ) -> Result<(), Error> {
        let threads = render_threads();
        let (tera, site, out) = (self.tera, &self.site, &mut self.out);
        if threads < 2 || items.len() < 2 {
            let mut buf = Vec::new();
            for item in items {
                if let Some(page) = make(item)? {
                    let rel = render(tera, site, page, &mut buf)?;
                    out.write(&rel, &buf)?;
                }
            }
            return Ok(());
        }
        // Written pages hand their buffers back for the next ones: a page of 200 KB is
        // rendered into a buffer that large already, not grown from nothing and freed each
        // time (whose memory the allocator returns and the kernel must zero again).
        let spare = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<(String, Vec<u8>), Error>>(threads);
        // Each thread takes the next page not yet taken: pages differ in size (an AE's lists a
        // hundred hand-offs, a new SDR's three), so a fixed share would leave one thread idle.
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                let (tx, make, next, spare) = (tx.clone(), &make, &next, &spare);
                s.spawn(move || {
                    while let Some(item) =
                        items.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        let done = match make(item) {
                            Ok(Some(page)) => {
                                let mut buf = take(spare);
                                render(tera, site, page, &mut buf).map(|rel| (rel, buf))
                            }
                            Ok(None) => continue,
                            Err(e) => Err(e),
                        };
                        let failed = done.is_err();
                        // A closed channel means the writer stopped on an error: stop too.
                        if tx.send(done).is_err() || failed {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for done in rx {
                let (rel, buf) = done?;
                out.write(&rel, &buf)?;
                spare.lock().unwrap_or_else(|e| e.into_inner()).push(buf);
            }
            Ok(())
        })
    }
}

fn currency_symbol(code: &str) -> String {
    match code {
        "USD" | "CAD" | "AUD" | "NZD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        "BRL" => "R$".into(),
        other => format!("{other} "),
    }
}

/// How much of a period the data covers, in words, when not all of it (docs/metrics.md,
/// "Coverage"): "to date, data to D" when as_of falls inside it, "data from D" when the data
/// starts inside it, "no data" when it covers none of it; empty for a whole period.
pub(crate) fn coverage_note(m: &crate::metrics::PeriodMetrics) -> String {
    coverage_words(&m.coverage, m.start, m.end)
}

/// [`coverage_note`] of a period from `start` to `last` (its last day).
pub(crate) fn coverage_words(
    c: &crate::period::Coverage,
    start: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> String {
    match (c.from, c.to) {
        _ if !c.partial => String::new(),
        (Some(from), Some(to)) if from == start => format!("to date, data to {to}"),
        (Some(from), Some(to)) if to == last => format!("data from {from}"),
        (Some(from), Some(to)) => format!("data from {from} to {to}"),
        _ => "no data".to_string(),
    }
}

pub(crate) fn site_ctx(p: &Prepared) -> SiteCtx {
    let ds = &p.loaded.dataset;
    let site = &ds.playbook.site;
    let rows: u64 = p.loaded.accounts.iter().map(|a| a.used).sum();
    SiteCtx {
        title: site.title.clone(),
        company: site.company.clone(),
        lang: "en",
        period: p.period.label(),
        period_note: coverage_note(&p.metrics.current),
        previous_period: p.period.previous().label(),
        previous_heading: {
            let prev = &p.metrics.previous;
            match coverage_note(prev) {
                n if n.is_empty() => format!("{} at the same age", prev.period),
                n => format!("{} at the same age ({n})", prev.period),
            }
        },
        age_matched_at: p
            .metrics
            .age_matched_at
            .with_timezone(&p.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        comparable: p.metrics.comparable,
        as_of: p.local_label(),
        as_of_iso: p
            .as_of
            .with_timezone(&p.tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        generated_from: format!(
            "built from {} exports ({} rows used)",
            p.loaded.accounts.len(),
            crate::format::int(i128::from(rows))
        ),
        currency: currency_symbol(&site.currency),
        minor_units: crate::format::minor_units(&site.currency),
        min_sample: site.min_sample,
        timezone: p.tz.name().to_string(),
        segments: (ds.playbook.segments.dimensions.iter())
            .zip(super::links::segment_pages(&ds.playbook))
            .map(|(d, link)| SegmentLink {
                name: d.name.clone(),
                link,
            })
            .collect(),
        comp_publish: site.comp.publish.as_str(),
    }
}
