//! The pipeline's shape, checked from the source: every file of `src/` is
//! scanned for the modules it names (`use crate::…`, `super::…`, inline
//! `crate::a::b` paths), each top-level module has a rank in the stage
//! order below, and a file may only import modules of its own rank or an
//! earlier one. The file import graph must also have no cycle. ARCHITECTURE.md
//! draws the same order; change both together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Stage order, earliest first. A module may import modules on its own
/// line or above, never below.
const RANKS: &[&[&str]] = &[
    // Base: no knowledge of sites.
    &["fs", "date", "diagnostic", "escape", "cards"],
    &["config"],
    // Load: the site as read from disk.
    &["content"],
    // Resolve: roles and the career framework.
    &["careers"],
    &["highlight"],
    &["markdown"],
    // External links (check --external) and the compiled theme.
    &["linkcheck", "theme"],
    // Output formats, the in-memory output and the staging folder.
    &["output"],
    &["render"],
    // The stage sequence shared by build, check and serve.
    &["build"],
    &["serve"],
    &["cli"],
];

fn rank_of(module: &str) -> Option<usize> {
    RANKS.iter().position(|line| line.contains(&module))
}

/// One source file: its module path (`["render", "nav"]`) and text.
struct File {
    rel: String,
    module: Vec<String>,
    is_mod: bool,
    text: String,
}

fn module_of(rel: &str) -> (Vec<String>, bool) {
    let stem = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    let last = parts.last().cloned().unwrap_or_default();
    let is_mod = last == "mod" || stem == "lib" || stem == "main";
    if is_mod {
        parts.pop();
    }
    (parts, is_mod)
}

/// Code without comments and without the `#[cfg(test)]` part (test modules
/// sit at the end of a file and may import anything).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a `use` tree names: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand_use(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or_default().trim();
        out.push(format!("{prefix}{path}"));
        return;
    };
    let head = &tree[..open];
    let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
    let body = &tree[open + 1..close];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                if !body[start..i].trim().is_empty() {
                    expand_use(&body[start..i], &format!("{prefix}{head}"), out);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if !body[start..].trim().is_empty() {
        expand_use(&body[start..], &format!("{prefix}{head}"), out);
    }
}

/// Every module path a file's code names.
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let use_re =
        regex::Regex::new(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;{]*(?:\{[^;]*\})?)\s*;")
            .unwrap();
    for c in use_re.captures_iter(code) {
        expand_use(&c[1], "", &mut out);
    }
    // Inline paths too: `crate::a::b(..)`, and in a module's own file
    // `child::f(..)` (`graph` keeps only those that name our modules).
    let path_re = regex::Regex::new(r"(?:^|[^\w:])([a-z_]\w*(?:::\w+)+)").unwrap();
    for c in path_re.captures_iter(code) {
        out.push(c[1].to_string());
    }
    out
}

/// The import graph between files: file → files it imports.
fn graph(files: &[File]) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, &str> = files
        .iter()
        .map(|f| (f.module.clone(), f.rel.as_str()))
        .collect();
    // The file that defines a path: its longest module prefix.
    let file_of = |mut path: Vec<String>| -> Option<&str> {
        loop {
            if let Some(f) = by_module.get(&path) {
                return Some(f);
            }
            path.pop()?;
        }
    };
    let mut edges = BTreeMap::new();
    for f in files {
        let mut targets = BTreeSet::new();
        for path in paths_in(&code_of(&f.text)) {
            let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let Some(first) = segs.first() else { continue };
            let full: Vec<String> = match *first {
                "crate" => segs[1..]
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
                "self" | "super" => {
                    // `self` is this file's module; each `super` one up.
                    let mut base = f.module.clone();
                    let mut rest = &segs[..];
                    if rest[0] == "self" {
                        rest = &rest[1..];
                    }
                    while rest.first() == Some(&"super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    base.extend(rest.iter().map(std::string::ToString::to_string));
                    base
                }
                // `mod child; use child::X;` in a module's own file.
                child
                    if f.is_mod
                        && by_module.keys().any(|m| {
                            m.len() == f.module.len() + 1
                                && m.starts_with(&f.module)
                                && m.last().map(String::as_str) == Some(child)
                        }) =>
                {
                    let mut base = f.module.clone();
                    base.extend(segs.iter().map(std::string::ToString::to_string));
                    base
                }
                _ => continue,
            };
            let full: Vec<String> = full.into_iter().filter(|s| s != "*").collect();
            if let Some(target) = file_of(full) {
                if target != f.rel {
                    targets.insert(target.to_string());
                }
            }
        }
        edges.insert(f.rel.clone(), targets);
    }
    edges
}

/// Files that import a later stage: (file, imported file).
fn later_imports(
    files: &[File],
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<(String, String)> {
    let top: BTreeMap<&str, Option<&str>> = files
        .iter()
        .map(|f| (f.rel.as_str(), f.module.first().map(String::as_str)))
        .collect();
    let mut bad = Vec::new();
    for (from, targets) in edges {
        let Some(Some(from_top)) = top.get(from.as_str()) else {
            continue; // lib.rs and main.rs sit above every stage
        };
        let from_rank = rank_of(from_top)
            .unwrap_or_else(|| panic!("src/{from}: module `{from_top}` has no rank in RANKS"));
        for to in targets {
            let Some(Some(to_top)) = top.get(to.as_str()) else {
                bad.push((from.clone(), to.clone()));
                continue;
            };
            if rank_of(to_top).is_none_or(|r| r > from_rank) {
                bad.push((from.clone(), to.clone()));
            }
        }
    }
    bad
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(v: &'a str, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w.as_str()) {
                visit(w, s);
                let lw = s.low[w.as_str()];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w.as_str()) {
                let iw = s.index[w.as_str()];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(v, &mut s);
        }
    }
    s.out
}

fn files_from(sources: &[(&str, &str)]) -> Vec<File> {
    sources
        .iter()
        .map(|(rel, text)| {
            let (module, is_mod) = module_of(rel);
            File {
                rel: rel.to_string(),
                module,
                is_mod,
                text: text.to_string(),
            }
        })
        .collect()
}

fn read_src(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_src(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // `#[cfg(test)] mod tests;` files are tests, not stages.
            if rel.ends_with("/tests.rs") {
                continue;
            }
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn no_file_imports_a_later_stage_and_imports_have_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_src(&root, &root, &mut sources);
    let sources: Vec<(&str, &str)> = sources
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let files = files_from(&sources);
    assert!(files.len() > 50, "scanned only {} files", files.len());
    let edges = graph(&files);
    // The scan sees real imports (guards against a parser that finds none).
    assert!(
        edges["build.rs"].contains("render/mod.rs"),
        "{:?}",
        edges["build.rs"]
    );
    let later = later_imports(&files, &edges);
    assert!(
        later.is_empty(),
        "files importing a later stage (see RANKS in tests/it/architecture.rs):\n{}",
        later
            .iter()
            .map(|(a, b)| format!("  src/{a} → src/{b}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let cycles = cycles(&edges);
    assert!(
        cycles.is_empty(),
        "import cycles between files:\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", c.join(" ↔ ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Render takes values and returns values: pages go to an
/// `output::PageSink`, files to copy are recorded as paths.
#[test]
fn render_never_touches_the_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_src(&root.join("render"), &root, &mut sources);
    assert!(sources.len() > 5, "scanned only {} files", sources.len());
    let io = regex::Regex::new(
        r"\b(std::fs|crate::fs|File::(open|create)|OpenOptions|std::io::Write)\b",
    )
    .unwrap();
    for (rel, text) in &sources {
        if let Some(m) = io.find(&code_of(text)) {
            panic!("src/{rel} uses {}", m.as_str());
        }
    }
}

#[test]
fn the_scan_catches_a_later_import_and_a_cycle() {
    let files = files_from(&[
        ("lib.rs", "pub mod content; pub mod render; pub mod markdown;"),
        ("content/mod.rs", "mod page;\nmod walk;\npub use page::Page;\nfn f() { walk::run(std::fs::read); }\n"),
        ("content/walk.rs", "pub fn run() {}\n"),
        ("content/page.rs", "use crate::markdown::{Rendered, links::Resolver};\nuse super::Site;\n"),
        ("markdown/mod.rs", "pub mod links;\n// use crate::render::Renderer;\n"),
        ("markdown/links.rs", "pub struct Resolver;\n#[cfg(test)]\nmod tests { use crate::render::x; }\n"),
        ("render/mod.rs", "use crate::{content::Page, markdown as m};\nfn f() { crate::markdown::links::Resolver; }\n"),
    ]);
    let edges = graph(&files);
    assert_eq!(
        edges["content/page.rs"],
        ["content/mod.rs", "markdown/links.rs", "markdown/mod.rs"]
            .map(String::from)
            .into()
    );
    // Comments and test modules are not imports.
    assert!(!edges["markdown/mod.rs"].contains("render/mod.rs"));
    assert!(edges["markdown/links.rs"].is_empty());
    assert_eq!(
        edges["render/mod.rs"],
        ["content/mod.rs", "markdown/links.rs", "markdown/mod.rs"]
            .map(String::from)
            .into()
    );
    let later = later_imports(&files, &edges);
    assert!(
        later.contains(&("content/page.rs".into(), "markdown/mod.rs".into())),
        "{later:?}"
    );
    assert!(
        !later.iter().any(|(a, _)| a == "render/mod.rs"),
        "{later:?}"
    );
    assert_eq!(
        cycles(&edges),
        vec![vec![
            "content/mod.rs".to_string(),
            "content/page.rs".to_string()
        ]]
    );
}
