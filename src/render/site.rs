//! The site: which pages exist, what each receives, and publishing them through the one writer.
//!
//! Views (`views`, `pages`) turn the computed figures into template contexts; nothing here
//! computes a metric. Every file goes out through [`Output`], so a failed build leaves the
//! published folder untouched.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Tera};

use super::output::Output;
use super::slugs::Slugs;
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
    pub previous_period: String,
    /// as-of in the playbook's time zone, e.g. `2026-10-31 23:59 America/New_York`.
    pub as_of: String,
    /// as-of as an RFC 3339 timestamp with the zone's offset, for `<time datetime>`.
    pub as_of_iso: String,
    pub generated_from: String,
    pub currency: String,
    pub min_sample: u64,
    pub timezone: String,
}

/// Page file names for every rep, pod and pair, and anchors for every lead, made from ids by
/// [`Slugs`]: unique and valid for any set of ids, so no id can name a path outside its
/// folder, a name Windows reserves or two pages at once, and no anchor is on two rows.
#[derive(Debug, Default)]
pub struct Links<'a> {
    pub rep: HashMap<String, String>,
    pub pod: HashMap<String, String>,
    pub pair: HashMap<(String, String), String>,
    /// The anchors of the hand-offs' leads (`h-` and the slug): there are as many leads as
    /// hand-offs (300,000 at scale) and pages link a tenth of them, so each is made when asked.
    lead: Slugs<'a>,
    /// The page of the hand-offs table each of the period's leads is on: the table is cut
    /// into pages of `site.handoffs_per_page` rows in cohort order.
    lead_page: foldhash::HashMap<&'a str, usize>,
}

/// The file of page `n` (from 1) of the hand-offs table: `handoffs.html`, then
/// `handoffs/2.html`, `handoffs/3.html`...
pub fn handoffs_page(n: usize) -> String {
    if n <= 1 {
        "handoffs.html".into()
    } else {
        format!("handoffs/{n}.html")
    }
}

impl<'a> Links<'a> {
    /// The links of `p`'s site; `cohort` is the hand-offs table's order
    /// ([`super::rows::cohort_order`]), which decides the page each lead is on.
    pub fn new(p: &'a Prepared, cohort: &[usize]) -> Links<'a> {
        let ds = &p.loaded.dataset;
        let pairs: Vec<(&str, &str)> = p
            .metrics
            .current
            .pairs
            .iter()
            .chain(&p.metrics.previous.pairs)
            .map(|x| (x.sdr.as_str(), x.ae.as_str()))
            .collect();
        // A pair's page is named by its two reps' slugs, so a rep of a pair who is not in
        // reps.csv gets a slug among the others too.
        let rep_ids = ds.reps.iter().map(|r| r.id.as_str());
        let rep = Slugs::new(
            rep_ids
                .chain(pairs.iter().flat_map(|&(s, a)| [s, a]))
                .collect(),
        );
        // Slugs never hold `--`, so `sdr--ae` is unique for every pair of unique slugs.
        let pair = pairs
            .iter()
            .filter_map(|&(s, a)| {
                let slug = format!("{}--{}", rep.get(s)?, rep.get(a)?);
                Some(((s.to_string(), a.to_string()), slug))
            })
            .collect();
        let pods = Slugs::new(ds.reps.iter().map(|r| r.pod.as_str()).collect());
        let leads = ds.handoffs.iter().map(|h| h.lead_id.as_str()).collect();
        Links {
            rep: ds
                .reps
                .iter()
                .filter_map(|r| Some((r.id.clone(), rep.get(&r.id)?)))
                .collect(),
            pod: pods.to_map(),
            pair,
            lead: Slugs::new(leads),
            lead_page: cohort
                .iter()
                .enumerate()
                .map(|(pos, &i)| {
                    let page = pos / ds.playbook.site.handoffs_per_page + 1;
                    (ds.handoffs[i].lead_id.as_str(), page)
                })
                .collect(),
        }
    }

    pub fn sdr(&self, id: &str) -> String {
        format!(
            "sdr/{}.html",
            self.rep.get(id).map_or("unknown", String::as_str)
        )
    }

    pub fn ae(&self, id: &str) -> String {
        format!(
            "ae/{}.html",
            self.rep.get(id).map_or("unknown", String::as_str)
        )
    }

    /// The page of rep `id` by role: AEs under `ae/`, the reps who prospect (SDRs, BDRs) under
    /// `sdr/`. Whether the rep has a page is the lists' rule (`pages::rep_link`).
    pub fn rep_page(&self, id: &str, role: crate::model::Role) -> String {
        if role == crate::model::Role::Ae {
            self.ae(id)
        } else {
            self.sdr(id)
        }
    }

    pub fn pod(&self, name: &str) -> String {
        format!(
            "pod/{}.html",
            self.pod.get(name).map_or("unknown", String::as_str)
        )
    }

    pub fn pair(&self, sdr: &str, ae: &str) -> Option<String> {
        self.pair
            .get(&(sdr.to_string(), ae.to_string()))
            .map(|s| format!("pair/{s}.html"))
    }

    /// The anchor of a lead's row on the hand-offs pages, on the page it is listed on; `None`
    /// for a lead with no row there (handed off outside the period, such as an older lead
    /// whose deal closed in it).
    pub fn lead(&self, lead: &str) -> Option<String> {
        let page = *self.lead_page.get(lead)?;
        let slug = self.lead.get(lead)?;
        Some(format!("{}#h-{slug}", handoffs_page(page)))
    }
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

/// Renders every file of the site and publishes them atomically. Returns the files written.
pub fn publish(
    p: &Prepared,
    templates_dir: &std::path::Path,
    output: &std::path::Path,
) -> Result<usize, Error> {
    let templates = templates::load(templates_dir)?;
    let tera = &templates.tera;
    let assets = templates::load_assets(templates_dir)?;
    let out = Output::begin(output)?;
    let mut w = Writer {
        tera,
        rows: super::rows::RowWriter::new(&templates),
        out,
        site: site_ctx(p),
    };
    for a in &assets {
        w.out.write(&a.path, &a.bytes)?;
    }
    let cohort = super::rows::cohort_order(p);
    let links = crate::timings::time("render links", || Links::new(p, &cohort));
    super::pages::write_all(p, &links, cohort, &mut w)?;
    crate::timings::time("render matrix", || super::matrix::write(p, &links, &mut w))?;
    crate::timings::time("render history", || super::history::write(p, &mut w))?;
    crate::timings::time("render digest", || super::digest::write(p, &links, &mut w))?;
    crate::timings::time("render data files", || super::data::write_all(p, &mut w))?;
    let n = w.out.written().count();
    crate::timings::time("render commit", || w.out.commit())?;
    Ok(n)
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

fn site_ctx(p: &Prepared) -> SiteCtx {
    let ds = &p.loaded.dataset;
    let site = &ds.playbook.site;
    let rows: u64 = p.loaded.accounts.iter().map(|a| a.used).sum();
    SiteCtx {
        title: site.title.clone(),
        company: site.company.clone(),
        lang: "en",
        period: p.period.label(),
        previous_period: p.period.previous().label(),
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
        min_sample: site.min_sample,
        timezone: p.tz.name().to_string(),
    }
}
