//! Publishing a site: loads the templates, renders every page family in turn through one
//! [`Writer`], and commits the output folder only when all of them are written.

use super::links::Links;
use super::output::Output;
use super::site::{site_ctx, Writer};
use super::templates;
use crate::error::Error;
use crate::prepared::Prepared;

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
    // The filtered views: the dashboard's brief, the hand-offs pages, the packet's cover and the
    // digest all take their findings from these.
    let selections = super::selections::selections(p);
    super::pages::write_all(p, &links, cohort, &selections, &mut w)?;
    crate::timings::time("render playbook", || {
        super::playbook::write_all(p, &links, &mut w)
    })?;
    crate::timings::time("render statements", || {
        super::statements::write_all(p, &links, &mut w)
    })?;
    crate::timings::time("render plans", || {
        super::plans::write_all(p, &links, &mut w)
    })?;
    crate::timings::time("render matrix", || super::matrix::write(p, &links, &mut w))?;
    crate::timings::time("render history", || super::history::write(p, &mut w))?;
    crate::timings::time("render digest", || {
        super::digest::write(p, &links, &selections, &mut w)
    })?;
    crate::timings::time("render data files", || super::data::write_all(p, &mut w))?;
    let n = w.out.written().count();
    crate::timings::time("render commit", || w.out.commit())?;
    Ok(n)
}
