//! handbook: a static site generator for open careers handbooks.
//!
//! The pipeline: `config` + `content` (load) → `careers` (resolve roles) →
//! `markdown` (render bodies, resolve links) → `render` (templates from
//! `theme`, pages into an `output::PageSink`) → `output` (write atomically).
//! Each stage returns its own result; `build` runs them in order, the same
//! sequence for `build`, `check` and `serve`; `cli` is the command line on top;
//! `linkcheck` (external links, for `check --external`) is the only part
//! that uses the network. See ARCHITECTURE.md for the map.

pub mod build;
pub(crate) mod cards;
pub(crate) mod careers;
pub mod cli;
pub(crate) mod config;
pub mod content;
pub mod date;
pub(crate) mod diagnostic;
pub(crate) mod escape;
pub(crate) mod fs;
pub(crate) mod highlight;
pub(crate) mod linkcheck;
pub mod markdown;
pub mod output;
pub(crate) mod render;
pub mod serve;
pub(crate) mod theme;

pub use careers::Careers;
pub use config::Overrides;
pub use diagnostic::{Code, Diagnostic};
