//! Baton's integration tests: fixture projects under `tests/fixtures/`, built by the library
//! and by the real `baton` binary.

mod extras;
mod invalid;
mod mapping;
mod metrics;
mod properties;
mod public;
mod reliability_csvread;
mod robust;
mod rollup;
mod site;
mod util;
mod workflow;
