//! Integration tests: each module builds small fixture sites in temp dirs
//! with the real binary and asserts on the produced files, exit codes and
//! messages.

#[allow(dead_code)] // shared helpers; not every module uses each one
mod harness;

mod architecture;
mod bad_input;
mod browser;
mod cards;
mod careers;
mod careers_correctness;
mod errors;
mod escaping;
mod faults;
mod framework;
mod framework_browser;
mod gfm;
mod gfm_anchors;
mod gfm_browser;
mod gfm_features;
mod highlight_cache;
mod incremental;
mod output_guard;
mod pipeline;
mod properties;
mod publish;
mod reading;
mod real_repos;
mod search;
mod serve;
mod serve_limits;
mod sidebar;
mod snapshots;
mod streaming;
mod theme;
mod tools;
mod workflows;
mod zero_config_serve;
