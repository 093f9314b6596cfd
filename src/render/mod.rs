//! Render stage: turns computed figures into the static site.
//!
//! - [`templates`]: Tera with embedded default templates a project can override file by file;
//! - [`template_check`]: what `baton check` finds in a project's templates without rendering;
//! - [`filters`]: the Tera filters that write numbers (`pct`, `rate`, `money`, ...);
//! - [`format`]: the pure formatters behind the filters and the charts;
//! - [`charts`]: plotters SVG charts, accessible and deterministic;
//! - [`output`]: the one writer, building beside `output/` and swapping it in at the end;
//! - [`slugs`]: page names and anchors made from ids, unique and valid for any set of ids.
//!
//! Render never reads input files nor computes a metric: it writes what it is given.

pub mod charts;
pub mod data;
pub mod digest;
pub mod export;
pub mod filters;
pub mod findings;
pub mod history;
pub mod known;
pub mod links;
pub mod matrix;
pub mod output;
pub mod pages;
pub mod plans;
pub mod playbook;
pub mod private;
pub mod publish;
pub mod rows;
pub mod selections;
pub mod site;
pub mod site_folder;
pub mod slugs;
pub mod statements;
pub mod template_check;
pub mod templates;
pub mod views;

pub use publish::publish;
