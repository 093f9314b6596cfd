//! Render stage: view models, templates, charts and the one writer of `output/`.

use crate::build::{Options, Prepared};
use crate::error::Error;

/// Renders every file of the site and publishes them atomically. Returns the files written.
pub fn publish(p: &Prepared, opts: &Options) -> Result<usize, Error> {
    let json = serde_json::to_string_pretty(&p.metrics).map_err(|e| Error::Other(e.to_string()))?;
    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, e))?;
    let path = opts.output.join("metrics.json");
    std::fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
    Ok(1)
}
