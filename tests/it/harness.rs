//! Test harness: a fixture site in a temp dir, the real `handbook` binary,
//! and parsed output to assert on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use scraper::{Html, Selector};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_handbook")
}

impl TestSite {
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn file(&self, rel: &str, content: &str) -> &Self {
        self.bytes(rel, content.as_bytes())
    }

    pub fn bytes(&self, rel: &str, content: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    /// Runs `handbook <args…>` in the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(bin())
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run handbook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Parsed HTML of an output file under `public/`.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(&format!("public/{rel}")))
    }

    /// Every file under `dir` with its bytes, for byte-for-byte comparisons.
    pub fn snapshot(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(dir);
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(&base).into_iter().flatten() {
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
        out
    }
}

/// Text of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// One attribute of every element matching `selector`.
pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[track_caller]
pub fn one_text(doc: &Html, selector: &str) -> String {
    let t = texts(doc, selector);
    assert_eq!(t.len(), 1, "expected one {selector}, found {t:?}");
    t.into_iter().next().unwrap()
}

/// Checks that every internal `href`/`src` in every HTML file under
/// `public/` points at a written file, and every fragment at an element id.
/// Returns the number of links checked.
pub fn assert_links_resolve(site: &TestSite, base_path: &str) -> usize {
    let public = site.path("public");
    let files = site.snapshot("public");
    let decode = |s: &str| handbook::content::slug::decode_percent(s);
    let mut ids_cache: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids_of = |file: &str| -> Vec<String> {
        ids_cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let doc = Html::parse_document(&String::from_utf8_lossy(&files[file]));
                attrs(&doc, "[id]", "id")
                    .into_iter()
                    .chain(attrs(&doc, "a[name]", "name"))
                    .collect()
            })
            .clone()
    };
    let mut checked = 0;
    let mut problems = Vec::new();
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let links = attrs(&doc, "[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"));
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                rel.clone()
            } else {
                let Some(p) = path.strip_prefix(base_path) else {
                    problems.push(format!(
                        "{rel}: {link} does not start with the base path {base_path}"
                    ));
                    continue;
                };
                let p = decode(p);
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p
                }
            };
            checked += 1;
            if !public.join(&target).is_file() {
                problems.push(format!("{rel}: {link} → missing file {target}"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                if target.ends_with(".html") && f != "top" && !ids_of(&target).contains(&decode(&f))
                {
                    problems.push(format!("{rel}: {link} → no id {f} in {target}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "unresolved links:\n{}",
        problems.join("\n")
    );
    checked
}
