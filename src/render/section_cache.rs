//! A value per section, made on first use and released when the section's
//! pages are rendered (the sidebar caches of `render`). Plain data: it
//! knows nothing of sites or rendering.

use std::sync::{Arc, Mutex, PoisonError};

/// One lazily built value per section, released once the section's pages
/// are rendered (`Renderer::release_section`). A sidebar tree lists every
/// section on the branch to the page, so it grows with the site; kept for
/// every section until the end of the build, the trees grew memory with the
/// square of the page count (64 MB of JSON values at 10,000 pages, most of
/// a gigabyte at 50,000).
pub(crate) struct SectionCache<T>(Vec<Mutex<Option<Arc<T>>>>);

impl<T> SectionCache<T> {
    /// An empty cell per section.
    pub(crate) fn new(sections: usize) -> SectionCache<T> {
        SectionCache((0..sections).map(|_| Mutex::new(None)).collect())
    }

    fn cell(&self, section: usize) -> std::sync::MutexGuard<'_, Option<Arc<T>>> {
        self.0[section]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The section's value, made by `make` if there is none. Other pages of
    /// the section wait while it is made (it is the same for all of them).
    pub(crate) fn get_or_init(&self, section: usize, make: impl FnOnce() -> T) -> Arc<T> {
        self.cell(section)
            .get_or_insert_with(|| Arc::new(make()))
            .clone()
    }

    /// The section's value, if it has been made and not released.
    pub(crate) fn get(&self, section: usize) -> Option<Arc<T>> {
        self.cell(section).clone()
    }

    /// Drops the section's value; the next use makes it again.
    pub(crate) fn release(&self, section: usize) {
        self.cell(section).take();
    }
}
