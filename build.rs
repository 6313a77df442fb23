//! Cargo build script (not to be confused with `src/build.rs`, the site
//! build): records the git commit handbook is compiled from, so that
//! `handbook --version` can print it. The commit comes from
//! `HANDBOOK_COMMIT` if set (release builds), else from `git` when building
//! in a clone, else from the `.cargo_vcs_info.json` of a published crate;
//! without any of them the version is printed alone. Nothing else is done
//! here.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// Reruns this script when HEAD moves (a commit, a checkout).
fn watch_git() {
    for (what, arg) in [("HEAD", "HEAD"), ("packed-refs", "packed-refs")] {
        if let Some(path) = git(&["rev-parse", "--git-path", arg]) {
            if Path::new(&path).exists() || what == "HEAD" {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        if let Some(path) = git(&["rev-parse", "--git-path", &branch]) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

fn from_vcs_info() -> Option<String> {
    let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=HANDBOOK_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let commit = std::env::var("HANDBOOK_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .map(|c| c.chars().take(12).collect())
        .or_else(|| {
            let sha = git(&["rev-parse", "--short=12", "HEAD"])?;
            watch_git();
            Some(sha)
        })
        .or_else(from_vcs_info);
    if let Some(commit) = commit {
        println!("cargo:rustc-env=HANDBOOK_COMMIT={commit}");
    }
}
