//! The walk done again only where files changed (`serve`): the folders
//! that hold changed paths are listed again with the walk's own rules, new
//! folders are walked whole, and every other folder keeps what the last
//! walk found in it. The result is what a full walk would give.
//!
//! It gives up (the caller walks everything) when a change can alter how
//! the walk sees more than those folders: a hidden path (`.gitignore` is
//! one), the theme folders at a root content (whether they hold markdown
//! decides them), a content folder that may have a repository around it,
//! a listed folder the last walk did not walk into, or one that now looks
//! like a previous build. It reads no file contents beyond what the walk's
//! rules read, and parses nothing.

use std::collections::HashSet;

use super::page::Skipped;
use super::walk::{self, Found, Rules, Walk};
use crate::config::Config;

/// The walk after `changed` (content-relative paths: files or folders,
/// added, removed or edited) changed on disk, from the last walk `old`.
/// `None`: walk everything instead.
pub(crate) fn rewalk(config: &Config, old: &Walk, changed: &HashSet<String>) -> Option<Walk> {
    let probe = Rules::for_content(config);
    if config.content_auto && !probe.content_is_root() {
        // The repository around the content may be published too.
        return None;
    }
    for c in changed {
        let mut parts = c.split('/');
        let first = parts.next().unwrap_or_default();
        if c.split('/').any(|p| p.starts_with('.') || p.is_empty())
            || (probe.content_is_root() && walk::THEME_DIRS.contains(&first))
            || c == crate::config::CONFIG_FILE
        {
            return None;
        }
    }
    let plan = Plan::new(changed);
    let mut walk = Walk {
        found: Vec::with_capacity(old.found.len() + changed.len()),
        skipped: Vec::new(),
        dirs: HashSet::new(),
    };
    let tops = plan.tops();
    // Everything outside the folders listed again stays as it was.
    let outside = |rel: &str| !tops.iter().any(|t| t.is_empty() || under(rel, t));
    walk.skipped
        .extend(old.skipped.iter().filter(|s| outside(&s.rel)).cloned());
    walk.dirs.extend(
        old.dirs
            .iter()
            .filter(|d| outside(d) || tops.contains(d))
            .cloned(),
    );
    let mut rest = &old.found[..];
    for top in &tops {
        if !old.dirs.contains(top) || walk::looks_built(&config.content_path().join(top)) {
            return None;
        }
        let start = rest.partition_point(|f| before(&f.rel, top));
        walk.found.extend_from_slice(&rest[..start]);
        rest = &rest[start..];
        let end = rest.partition_point(|f| under(&f.rel, top));
        let mut block = Block {
            config,
            plan: &plan,
            old,
            walk: &mut walk,
        };
        block.relist(top, &rest[..end])?;
        rest = &rest[end..];
    }
    walk.found.extend_from_slice(rest);
    Some(walk)
}

/// Which folders to list again and which to walk whole.
struct Plan<'a> {
    changed: &'a HashSet<String>,
    /// Folders holding a changed path (`""` is the content folder).
    parents: HashSet<&'a str>,
}

impl<'a> Plan<'a> {
    fn new(changed: &'a HashSet<String>) -> Plan<'a> {
        let parents = changed.iter().map(|c| parent(c)).collect();
        Plan { changed, parents }
    }

    /// The folders to list again that are not inside another one (nor a
    /// changed folder, which is walked whole), in walk order.
    fn tops(&self) -> Vec<String> {
        let mut tops: Vec<String> = self
            .parents
            .iter()
            .filter(|p| {
                !self.changed.iter().any(|c| *p == c || under(p, c))
                    && !self.parents.iter().any(|q| q != *p && within(p, q))
            })
            .map(|p| (*p).to_string())
            .collect();
        tops.sort_by(|a, b| {
            if before(a, b) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            }
        });
        tops
    }

    /// Whether folder `dir` (not itself changed) must be listed again: it
    /// holds a changed path, or a folder that does.
    fn relist(&self, dir: &str) -> bool {
        self.parents.iter().any(|p| within(p, dir))
    }
}

/// One listed folder's part of the new walk.
struct Block<'a, 'w> {
    config: &'a Config,
    plan: &'a Plan<'a>,
    old: &'a Walk,
    walk: &'w mut Walk,
}

impl Block<'_, '_> {
    /// Lists folder `dir` again and appends what the walk finds in it, in
    /// walk order; `was` is what the last walk found under it.
    fn relist(&mut self, dir: &str, was: &[Found]) -> Option<()> {
        let content = self.config.content_path();
        let mut rules = rules_at(self.config, dir);
        let mut diags = Vec::new();
        let mut skipped = Vec::new();
        let files = rules.run_from(&content.join(dir), Some(1), &mut diags, &mut skipped);
        if !diags.is_empty() {
            return None;
        }
        self.walk.skipped.extend(skipped);
        let mut subdirs: Vec<String> = rules.dirs.drain().filter(|d| d != dir).collect();
        subdirs.sort_by(|a, b| name(a).as_bytes().cmp(name(b).as_bytes()));
        // Files and folders of `dir` merged by name, as the walk orders them.
        let mut files = files.into_iter().peekable();
        for sub in subdirs {
            while let Some(f) = files.next_if(|f| name(&f.rel).as_bytes() < name(&sub).as_bytes()) {
                self.walk.found.push(f);
            }
            let start = was.partition_point(|f| before(&f.rel, &sub));
            let end = start + was[start..].partition_point(|f| under(&f.rel, &sub));
            self.walk.dirs.insert(sub.clone());
            if self.plan.changed.contains(&sub) {
                self.walk_whole(&sub)?;
            } else if self.plan.relist(&sub) {
                self.relist(&sub, &was[start..end])?;
            } else {
                self.keep(&sub, &was[start..end]);
            }
        }
        self.walk.found.extend(files);
        Some(())
    }

    /// A new (or changed) folder: walked whole.
    fn walk_whole(&mut self, dir: &str) -> Option<()> {
        let mut rules = rules_at(self.config, dir);
        let mut diags = Vec::new();
        let mut skipped = Vec::new();
        let start = self.config.content_path().join(dir);
        let found = rules.run_from(&start, None, &mut diags, &mut skipped);
        if !diags.is_empty() {
            return None;
        }
        self.walk.found.extend(found);
        self.walk.skipped.extend(skipped);
        self.walk.dirs.extend(rules.dirs);
        Some(())
    }

    /// A folder nothing changed in: what the last walk found in it.
    fn keep(&mut self, dir: &str, was: &[Found]) {
        self.walk.found.extend_from_slice(was);
        let old = self.old;
        self.walk.skipped.extend(
            old.skipped
                .iter()
                .filter(|s| under(&s.rel, dir))
                .cloned()
                .collect::<Vec<Skipped>>(),
        );
        self.walk
            .dirs
            .extend(old.dirs.iter().filter(|d| under(d, dir)).cloned());
    }
}

/// The walk's rules for a walk starting at folder `dir`, with the
/// `.gitignore` files of the folders above it loaded as the full walk
/// would have them.
fn rules_at(config: &Config, dir: &str) -> Rules {
    let mut rules = Rules::for_content(config);
    if rules.uses_gitignore() && !dir.is_empty() {
        let content = config.content_path();
        rules.load_gitignore(&content);
        let mut path = content;
        let parts: Vec<&str> = dir.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            path.push(part);
            rules.load_gitignore(&path);
        }
    }
    rules
}

/// The folder a content-relative path is in (`""` at the top).
fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last segment of a content-relative path.
fn name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}

/// Whether `rel` is inside folder `dir` (strictly).
fn under(rel: &str, dir: &str) -> bool {
    dir.is_empty() && !rel.is_empty() || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Whether `rel` is `dir` or inside it.
fn within(rel: &str, dir: &str) -> bool {
    rel == dir || under(rel, dir)
}

/// Whether `rel` comes before folder `dir` and everything in it in walk
/// order (segment by segment, by bytes).
fn before(rel: &str, dir: &str) -> bool {
    if dir.is_empty() {
        return false;
    }
    let mut a = rel.split('/');
    for d in dir.split('/') {
        match a.next() {
            None => return true,
            Some(x) if x == d => continue,
            Some(x) => return x.as_bytes() < d.as_bytes(),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn walk_order_is_segment_by_segment() {
        // `a` sorts before `a-b` as a name, so `a/`'s files come first.
        assert!(!before("a-b/x.md", "a/b"));
        assert!(before("a", "a/b"));
        assert!(!before("a/b/c.md", "a/b"));
        assert!(!before("a/c.md", "a/b"));
        assert!(before("a/a.md", "a/b"));
        assert!(under("a/b/c.md", "a/b") && !under("a/bc/d.md", "a/b") && !under("a/b", "a/b"));
        assert!(under("x.md", "") && !under("", ""));
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// What a walk found, comparable: files in order, skips and folders sorted.
    fn shown(walk: &Walk) -> (Vec<String>, Vec<String>, Vec<String>) {
        let found = walk
            .found
            .iter()
            .map(|f| format!("{} md={} held={:?}", f.rel, f.is_markdown, f.held))
            .collect();
        let mut skipped: Vec<String> = walk
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.rel, s.reason))
            .collect();
        skipped.sort();
        let mut dirs: Vec<String> = walk.dirs.iter().cloned().collect();
        dirs.sort();
        (found, skipped, dirs)
    }

    /// A zero-config repository (content at the root, `.gitignore` read).
    fn repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "ignored/\n");
        write(root, "README.md", "# Home\n");
        write(root, "package.json", "{}\n");
        for rel in [
            "a/a1.md",
            "a/b/x.md",
            "a/b/y.png",
            "a/c.md",
            "a/d/e/f.md",
            "ignored/i.md",
        ] {
            write(root, rel, "# Page\n");
        }
        write(
            root,
            "shell/index.html",
            "<script src=docsify.js></script>\n",
        );
        write(root, "shell/guide.txt", "text\n");
        write(root, "out/index.html", "<html></html>\n");
        dir
    }

    /// Applies `change` to a fresh repository and checks `rewalk` against a
    /// full walk; returns whether `rewalk` did it (rather than giving up).
    fn check(change: impl Fn(&Path), changed: &[&str]) -> bool {
        let dir = repository();
        let config = crate::config::load(dir.path(), &Default::default()).unwrap();
        let mut diags = Vec::new();
        let old = walk::walk_kept(&config, &mut diags);
        change(dir.path());
        let changed: HashSet<String> = changed.iter().map(|c| (*c).to_string()).collect();
        let full = walk::walk_kept(&config, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        match rewalk(&config, &old, &changed) {
            Some(again) => {
                assert_eq!(shown(&again), shown(&full), "after {changed:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn a_new_file_between_a_folder_and_a_file_takes_its_place_in_walk_order() {
        assert!(check(|r| write(r, "a/bb.md", "# New\n"), &["a/bb.md"]));
        assert!(check(|r| write(r, "a/0.md", "# New\n"), &["a/0.md"]));
        assert!(check(|r| write(r, "z.md", "# New\n"), &["z.md"]));
    }

    #[test]
    fn new_nested_folders_are_walked_whole_and_deleted_ones_go() {
        let deep = |r: &Path| {
            write(r, "a/b/deep/e/f.md", "# Deep\n");
            write(r, "a/b/deep/pic.png", "png");
        };
        assert!(check(deep, &["a/b/deep"]));
        assert!(check(
            |r| std::fs::remove_dir_all(r.join("a/b")).unwrap(),
            &["a/b"]
        ));
        let renamed = |r: &Path| std::fs::rename(r.join("a/d"), r.join("a/dd")).unwrap();
        assert!(check(renamed, &["a/d", "a/dd"]));
    }

    #[test]
    fn rules_that_depend_on_neighbours_are_applied_again() {
        // A markdown file beside a docsify index.html makes it a page shell.
        assert!(check(
            |r| write(r, "shell/guide.md", "# Guide\n"),
            &["shell/guide.md"]
        ));
        // Dependencies are skipped with their reason.
        let deps = |r: &Path| write(r, "a/node_modules/x/readme.md", "# X\n");
        assert!(check(deps, &["a/node_modules"]));
        // Plumbing at the root is held.
        assert!(check(|r| write(r, "Makefile", "all:\n"), &["Makefile"]));
    }

    #[test]
    fn it_gives_up_where_a_change_reaches_beyond_the_folders_listed() {
        // The folder now looks like a previous build.
        assert!(!check(
            |r| write(r, "out/sitemap.xml", "<urlset/>"),
            &["out/sitemap.xml"]
        ));
        // Inside a folder the last walk left out.
        assert!(!check(
            |r| write(r, "ignored/j.md", "# J\n"),
            &["ignored/j.md"]
        ));
        // A .gitignore, and the theme folders at a root content.
        assert!(!check(
            |r| write(r, "a/.gitignore", "c.md\n"),
            &["a/.gitignore"]
        ));
        assert!(!check(
            |r| write(r, "templates/t.md", "# T\n"),
            &["templates/t.md"]
        ));
    }
}
