//! Baton's integration tests: fixture projects under `tests/fixtures/`, built by the library
//! and by the real `baton` binary.

mod ae_only;
mod agreement;
mod boundaries;
mod brief;
mod check;
mod close;
mod comp;
mod decisions;
mod docs;
mod extras;
mod figures;
mod first_use;
mod invalid;
mod leads;
mod locations;
mod mapping;
mod metrics;
mod periods;
mod properties;
mod public;
mod readable;
mod real_exports;
mod reliability_anonymize;
mod reliability_csvread;
mod reliability_export;
mod reliability_mapping;
mod reliability_output;
mod reliability_serve;
mod reliability_slugs;
mod robust;
mod rollup;
mod site;
mod unavailable;
mod util;
mod workflow;
