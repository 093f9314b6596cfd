//! Comp statements for private delivery (`baton export --statements DIR`, docs/comp.md, "Who
//! sees pay"): one self-contained HTML file per statement (the stylesheet inline, no script,
//! no link into the site, so it can be mailed or handed to the rep alone) and payroll's
//! comp.csv, whatever site.yaml's `comp: {publish}` shows on the shared site.
//!
//! The folder is written through [`Output`] like a site: built aside and swapped in whole,
//! and refused when it holds a file Baton did not write there ([`super::site_folder`]).

use std::path::Path;

use tera::Context;

use super::links::Links;
use super::output::Output;
use super::site::{site_ctx, Writer};
use super::templates;
use crate::error::Error;
use crate::prepared::Prepared;

/// Writes every statement of `p` as `<rep>--<period>.html`, and `comp.csv`, into `dir`.
/// Returns the files written.
pub fn statements(p: &Prepared, templates_dir: &Path, dir: &Path) -> Result<usize, Error> {
    let templates = templates::load(templates_dir)?;
    let css = templates::load_assets(templates_dir)?
        .into_iter()
        .find(|a| a.path == "assets/style.css")
        .map(|a| String::from_utf8_lossy(&a.bytes).into_owned())
        .unwrap_or_default();
    if css.to_ascii_lowercase().contains("</style") {
        return Err(Error::Other(
            "assets/style.css contains `</style`, so it cannot be inlined in a statement".into(),
        ));
    }
    let out = Output::begin(dir)?;
    let mut w = Writer {
        tera: &templates.tera,
        rows: super::rows::RowWriter::new(&templates),
        out,
        site: site_ctx(p),
    };
    let cohort = super::rows::cohort_order(p);
    let links = Links::new(p, &cohort);
    let sym = w.site.currency.clone();
    for (i, s) in p.comp.statements.iter().enumerate() {
        // The site's statement page name, without its folder: one file per statement.
        let rel = links.statement[i]
            .trim_start_matches("statement/")
            .to_string();
        let mut ctx = Context::new();
        ctx.insert("s", &super::statements::view(p, &links, i, &sym));
        ctx.insert("css", &css);
        let title = format!("Statement: {}, {}", s.rep_name, s.payout_period.label());
        w.page(&rel, "statement_private.html", &title, "comp", ctx)?;
    }
    w.out.write("comp.csv", crate::comp::comp_csv(&p.comp))?;
    let n = w.out.written().count();
    w.out.commit()?;
    Ok(n)
}
