//! Baton's integration tests: fixture projects under `tests/fixtures/`, built by the library
//! and by the real `baton` binary.

mod invalid;
mod mapping;
mod metrics;
mod util;
mod workflow;
