//! Watch: file-system events in, debounced batches of `ChangeKind` out.
//!
//! `classify` is the pure heart: it maps one notify event to what changed in
//! handbook terms (a content file, a template, a static file, the config) and
//! drops what does not matter (editor temp and swap files, dot files and
//! tools' dot-folders such as `.git`,
//! anything in the output folder, reads). `Watcher` wires notify to it and
//! debounces: after the first relevant event it waits until the tree has been
//! quiet for `QUIET` (editors' atomic saves are a burst of create, rename
//! and delete events), then hands the whole batch over. It does not decide
//! what to rebuild; that is `rebuild`'s job.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

/// What a file-system change means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A file or folder under the content folder: `/`-separated path
    /// relative to it (`roles/senior.md`).
    Content(String),
    /// A template of the theme or the site's `templates/`.
    Template,
    /// A static file of the theme or the site's `static/`: path relative to
    /// its static folder.
    Static(String),
    /// A file outside the content folder that zero config publishes (the
    /// root `README.md` when the content is `content/`): `/`-separated path
    /// relative to the root.
    Repository(String),
    /// `site.toml`.
    Config,
    /// Anything else: editor temp files, the output folder, reads.
    Ignore,
}

/// Where things live, as absolute paths, so `classify` needs no disk access.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) root: PathBuf,
    pub(crate) content: PathBuf,
    pub(crate) output: PathBuf,
    /// `themes/NAME` of the configured theme.
    pub(crate) theme: PathBuf,
    /// Zero config with a content subfolder: the repository's other files
    /// are published too, so the whole root is watched.
    pub(crate) repository: bool,
}

impl Layout {
    pub(crate) fn new(config: &crate::config::Config) -> Layout {
        let abs = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
        let (root, content) = (abs(config.root.clone()), abs(config.content_path()));
        Layout {
            repository: config.content_auto && content != root,
            root,
            content,
            output: abs(config.output_path()),
            theme: abs(config.root.join("themes").join(&config.theme)),
        }
    }

    /// The folders to watch recursively, and the root itself (not
    /// recursively, for `site.toml` and folders created later).
    fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        // With the root as the content, the root itself is watched
        // recursively (it used to be dropped here, leaving nothing watched).
        let whole = self.content == self.root || self.repository;
        let root_mode = if whole {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        let mut out = vec![(self.root.clone(), root_mode)];
        for dir in [
            self.content.clone(),
            self.root.join("templates"),
            self.root.join("static"),
            self.root.join("themes"),
        ] {
            if dir.is_dir() && !out.iter().any(|(d, _)| *d == dir) {
                out.push((dir, RecursiveMode::Recursive));
            }
        }
        if whole {
            // templates/, static/ and themes/ are inside the recursive root watch.
            out.truncate(1);
        }
        out
    }
}

/// Maps a notify event to the changes it stands for (a rename has two paths).
pub(crate) fn classify(event: &notify::Event, layout: &Layout) -> Vec<ChangeKind> {
    match event.kind {
        EventKind::Access(_) | EventKind::Other => return vec![ChangeKind::Ignore],
        // Permission changes do not change the site; timestamps
        // (`touch`) do, through "last updated".
        EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Permissions))
        | EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Ownership)) => {
            return vec![ChangeKind::Ignore]
        }
        _ => {}
    }
    event
        .paths
        .iter()
        .map(|p| classify_path(p, layout))
        .collect()
}

/// What a change to the file at `path` means.
pub(crate) fn classify_path(path: &Path, layout: &Layout) -> ChangeKind {
    let name = match path.file_name() {
        Some(n) => n.to_string_lossy(),
        None => return ChangeKind::Ignore,
    };
    if is_temp_file(&name) || path.starts_with(&layout.output) {
        return ChangeKind::Ignore;
    }
    if path == layout.root.join(crate::config::CONFIG_FILE) {
        return ChangeKind::Config;
    }
    // The career framework is read with the configuration.
    use crate::careers::framework::{FRAMEWORK_DIR, FRAMEWORK_FILE};
    if path == layout.root.join(FRAMEWORK_FILE)
        || (path.parent() == Some(&layout.root.join(FRAMEWORK_DIR))
            && path.extension().is_some_and(|e| e == "toml"))
    {
        return ChangeKind::Config;
    }
    let hidden = |base: &Path| {
        path.strip_prefix(base)
            .map(|rel| {
                rel.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
            .unwrap_or(false)
    };
    for templates in [
        layout.theme.join("templates"),
        layout.root.join("templates"),
    ] {
        if path.starts_with(&templates) {
            return if hidden(&templates) {
                ChangeKind::Ignore
            } else {
                ChangeKind::Template
            };
        }
    }
    for statics in [layout.theme.join("static"), layout.root.join("static")] {
        if let Ok(rel) = path.strip_prefix(&statics) {
            return if hidden(&statics) || rel.as_os_str().is_empty() {
                ChangeKind::Ignore
            } else {
                ChangeKind::Static(slash(rel))
            };
        }
    }
    if path.starts_with(layout.root.join("themes")) {
        // Another theme than the configured one.
        return ChangeKind::Ignore;
    }
    if let Ok(rel) = path.strip_prefix(&layout.content) {
        // Files in hidden folders (`.gitbook/assets`) are published when a
        // page links to them, so they count; dot-files and tools' folders
        // (`.git`) never do.
        let tool_dir = rel.components().any(|c| {
            crate::content::TOOL_DOT_DIRS.contains(&c.as_os_str().to_string_lossy().as_ref())
        });
        if rel.as_os_str().is_empty() || name.starts_with('.') || tool_dir {
            return ChangeKind::Ignore;
        }
        return ChangeKind::Content(slash(rel));
    }
    if let Some(rel) = path
        .strip_prefix(&layout.root)
        .ok()
        .filter(|_| layout.repository)
    {
        let skipped = rel.components().any(|c| {
            let c = c.as_os_str().to_string_lossy();
            crate::content::TOOL_DOT_DIRS.contains(&c.as_ref()) || c == "node_modules"
        });
        if rel.as_os_str().is_empty() || name.starts_with('.') || skipped {
            return ChangeKind::Ignore;
        }
        return ChangeKind::Repository(slash(rel));
    }
    ChangeKind::Ignore
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Files editors write beside the real one while saving: vim's swap files
/// and `4913` probe, backups ending in `~`, Emacs locks (`.#x`) and
/// autosaves (`#x#`), JetBrains' safe-write copies, `sed -i` temp files,
/// partial downloads.
pub(crate) fn is_temp_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == ".DS_Store"
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".temp",
            ".bak",
            ".kate-swp",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
        // VS Code and others write `.name.md.tmp.1234` style files.
        || (name.starts_with('.') && lower.contains(".tmp"))
        // `sed -i` writes `sedXXXXXX` and renames it over the file.
        || (name.len() == 9 && name.starts_with("sed") && name.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// How long the tree must be quiet before a batch is handed over. Editors'
/// atomic saves (temp file, rename, delete) arrive within a millisecond or
/// two; 10 ms covers them and is a small part of the save-to-reload time.
/// A save split across two batches is still handled correctly (the first
/// sees a missing file and reloads the content), only more slowly.
pub(crate) const QUIET: Duration = Duration::from_millis(10);
/// A batch is handed over after this long even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(300);

/// A running notify watcher and the receiving end of its events.
pub(crate) struct Watcher {
    _inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    layout: Layout,
}

impl Watcher {
    pub(crate) fn start(layout: Layout) -> notify::Result<Watcher> {
        let (tx, events) = channel();
        let mut inner = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        for (dir, mode) in layout.watched() {
            inner.watch(&dir, mode)?;
        }
        Ok(Watcher {
            _inner: inner,
            events,
            layout,
        })
    }

    /// Blocks until a debounced batch of relevant changes is ready; `None`
    /// when the watcher has stopped.
    pub(crate) fn next_batch(&mut self) -> Option<BTreeSet<ChangeKind>> {
        let mut batch = BTreeSet::new();
        // Wait for the first relevant change.
        while batch.is_empty() {
            let event = self.events.recv().ok()?;
            self.add(event, &mut batch);
        }
        let first = Instant::now();
        loop {
            let left = MAX_WAIT.saturating_sub(first.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => self.add(event, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    fn add(&mut self, event: notify::Result<notify::Event>, batch: &mut BTreeSet<ChangeKind>) {
        let Ok(event) = event else { return };
        for kind in classify(&event, &self.layout) {
            if kind == ChangeKind::Ignore {
                continue;
            }
            // A top-level folder created after start (templates/, static/,
            // themes/, the content folder) needs a watch of its own.
            if matches!(event.kind, EventKind::Create(_)) {
                for p in &event.paths {
                    if p.parent() == Some(self.layout.root.as_path()) && p.is_dir() {
                        let _ = self._inner.watch(p, RecursiveMode::Recursive);
                    }
                }
            }
            batch.insert(kind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, RemoveKind, RenameMode};

    fn layout() -> Layout {
        Layout {
            root: "/site".into(),
            content: "/site/content".into(),
            output: "/site/public".into(),
            theme: "/site/themes/default".into(),
            repository: false,
        }
    }

    fn check(kind: EventKind, paths: &[&str], expected: &[ChangeKind]) {
        let mut event = notify::Event::new(kind);
        for p in paths {
            event = event.add_path(PathBuf::from(p));
        }
        assert_eq!(classify(&event, &layout()), expected, "{paths:?}");
    }

    fn content(rel: &str) -> ChangeKind {
        ChangeKind::Content(rel.into())
    }

    #[test]
    fn with_the_repository_published_root_files_count_but_tools_and_output_do_not() {
        let plain = layout();
        let layout = Layout {
            repository: true,
            ..layout()
        };
        let kind = |p: &str| classify_path(Path::new(p), &layout);
        assert_eq!(
            kind("/site/README.md"),
            ChangeKind::Repository("README.md".into())
        );
        assert_eq!(
            kind("/site/docs/a.png"),
            ChangeKind::Repository("docs/a.png".into())
        );
        assert_eq!(kind("/site/content/a.md"), content("a.md"));
        for ignored in [
            "/site/.git/index",
            "/site/node_modules/x/a.md",
            "/site/public/index.html",
            "/site/.env",
            "/site/a.md~",
        ] {
            assert_eq!(kind(ignored), ChangeKind::Ignore, "{ignored}");
        }
        assert_eq!(kind("/site/templates/page.html"), ChangeKind::Template);
        assert_eq!(
            classify_path(Path::new("/site/README.md"), &plain),
            ChangeKind::Ignore
        );
        let watched = layout.watched();
        assert_eq!(watched.len(), 1);
        assert!(matches!(watched[0].1, RecursiveMode::Recursive));
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Content));

    #[test]
    fn content_templates_static_and_config_are_told_apart() {
        check(
            WRITE,
            &["/site/content/roles/a.md"],
            &[content("roles/a.md")],
        );
        check(WRITE, &["/site/content/img/x.png"], &[content("img/x.png")]);
        check(
            WRITE,
            &["/site/templates/page.html"],
            &[ChangeKind::Template],
        );
        check(
            WRITE,
            &["/site/themes/default/templates/base.html"],
            &[ChangeKind::Template],
        );
        check(
            WRITE,
            &["/site/static/css/site.css"],
            &[ChangeKind::Static("css/site.css".into())],
        );
        check(
            WRITE,
            &["/site/themes/default/static/style.css"],
            &[ChangeKind::Static("style.css".into())],
        );
        check(WRITE, &["/site/site.toml"], &[ChangeKind::Config]);
        check(WRITE, &["/site/framework.toml"], &[ChangeKind::Config]);
        check(
            WRITE,
            &["/site/framework/design.toml"],
            &[ChangeKind::Config],
        );
    }

    #[test]
    fn output_folder_other_themes_and_stray_root_files_are_ignored() {
        check(WRITE, &["/site/public/index.html"], &[ChangeKind::Ignore]);
        check(
            WRITE,
            &["/site/themes/other/templates/page.html"],
            &[ChangeKind::Ignore],
        );
        check(WRITE, &["/site/README.txt"], &[ChangeKind::Ignore]);
        check(WRITE, &["/site/content/.git/HEAD"], &[ChangeKind::Ignore]);
        check(WRITE, &["/site/content/.venv/x.md"], &[ChangeKind::Ignore]);
        check(WRITE, &["/site/content/.gitignore"], &[ChangeKind::Ignore]);
        check(
            WRITE,
            &["/site/content/.gitbook/assets/x.png"],
            &[content(".gitbook/assets/x.png")],
        );
        check(WRITE, &["/site/content"], &[ChangeKind::Ignore]);
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            ".a.md.swp",
            "a.md.swx",
            "a.md~",
            ".#a.md",
            "#a.md#",
            "4913",
            "a.md.tmp",
            ".a.md.tmp.1234",
            "a.md___jb_tmp___",
            "a.md.kate-swp",
            ".DS_Store",
            "sedjSWzQe",
        ] {
            check(
                EventKind::Create(CreateKind::File),
                &[&format!("/site/content/{name}")],
                &[ChangeKind::Ignore],
            );
        }
        assert!(!is_temp_file("a.md"));
        assert!(!is_temp_file("4913.md"));
        assert!(!is_temp_file("temporary-staff.md"));
        assert!(!is_temp_file("sedation.md"));
    }

    #[test]
    fn atomic_saves_renames_deletes_and_new_folders_are_content_changes() {
        // vim/VS Code: write a temp file, rename it over the page.
        check(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/site/content/.a.md.tmp.99", "/site/content/a.md"],
            &[ChangeKind::Ignore, content("a.md")],
        );
        check(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/site/content/a.md", "/site/content/team/b.md"],
            &[content("a.md"), content("team/b.md")],
        );
        check(
            EventKind::Remove(RemoveKind::File),
            &["/site/content/a.md"],
            &[content("a.md")],
        );
        check(
            EventKind::Create(CreateKind::Folder),
            &["/site/content/new-team"],
            &[content("new-team")],
        );
    }

    #[test]
    fn reads_and_permission_changes_are_ignored() {
        check(
            EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)),
            &["/site/content/a.md"],
            &[ChangeKind::Ignore],
        );
        check(
            EventKind::Modify(ModifyKind::Metadata(
                notify::event::MetadataKind::Permissions,
            )),
            &["/site/content/a.md"],
            &[ChangeKind::Ignore],
        );
    }

    #[test]
    fn content_at_the_site_root_still_keeps_templates_and_config_apart() {
        let l = Layout {
            content: "/site".into(),
            ..layout()
        };
        assert_eq!(classify_path(Path::new("/site/a.md"), &l), content("a.md"));
        assert_eq!(
            classify_path(Path::new("/site/site.toml"), &l),
            ChangeKind::Config
        );
        assert_eq!(
            classify_path(Path::new("/site/templates/page.html"), &l),
            ChangeKind::Template
        );
        assert_eq!(
            classify_path(Path::new("/site/public/a/index.html"), &l),
            ChangeKind::Ignore
        );
    }
}
