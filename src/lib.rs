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
pub mod cards;
pub mod careers;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod escape;
pub mod fs;
pub mod highlight;
pub mod linkcheck;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod theme;
