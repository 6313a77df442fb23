//! Social cards: the 1200×630 PNG a shared link previews with.
//!
//! A card is a theme template (`cards/role.svg`, `cards/page.svg`,
//! `cards/site.svg`) rendered by tera into SVG text, then rasterised by
//! resvg. Rendering the SVG is cheap and happens with the pages (`render`);
//! rasterising is deferred: `Card` sits in the `Output` as a lazily filled
//! entry, so `handbook build` rasterises it while writing (through the disk
//! cache in `cache`, keyed by a hash of everything that shapes the image)
//! and `handbook serve` only when a browser asks for it.
//!
//! SVG cannot wrap text, so titles are laid out here: `Fonts::fit` measures
//! with the same font files resvg draws with and breaks the title into at
//! most three lines, shrinking before it truncates. Characters no card font
//! has are left out (and reported), never drawn as missing-glyph boxes.
//! This module does not decide which pages get a card or where it is
//! linked from (that is `render::cards`).

pub(crate) mod cache;
mod raster;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use resvg::usvg;
use serde::Serialize;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub(crate) use raster::{check_svg, RasterError, HEIGHT, WIDTH};

/// One font a card can use: its bytes and family name.
pub(crate) struct FontFile {
    pub(crate) family: String,
    pub(crate) bold: bool,
    data: Arc<Vec<u8>>,
}

/// The fonts, the logo and the cache every card of one theme shares.
pub(crate) struct Kit {
    /// Owner fonts first (a theme's `static/fonts/*.ttf|otf`), then Noto Sans.
    pub(crate) fonts: Vec<FontFile>,
    db: Arc<usvg::fontdb::Database>,
    /// Where the template's relative `href`s (the logo) are read from.
    pub(crate) resources_dir: PathBuf,
    /// The organisation logo's path relative to `resources_dir`, if local.
    pub(crate) logo: Option<String>,
    /// `None` turns the disk cache off.
    pub(crate) cache_dir: Option<PathBuf>,
    fonts_hash: u128,
    fingerprint: OnceLock<u128>,
    /// Advance width at 1 px of each character measured so far, in the
    /// first font (of a weight) that has it; `None`: no font has it.
    advances: Mutex<HashMap<(char, bool), Option<f32>>>,
}

impl Kit {
    /// Builds the font database from the owner's font files (already read)
    /// and the embedded Noto Sans.
    pub(crate) fn new(
        owner_fonts: Vec<(PathBuf, Vec<u8>)>,
        resources_dir: PathBuf,
        logo: Option<String>,
        cache_dir: Option<PathBuf>,
    ) -> (Kit, Vec<(PathBuf, String)>) {
        let mut fonts = Vec::new();
        let mut problems = Vec::new();
        let mut db = usvg::fontdb::Database::new();
        let mut hash = Fnv::new();
        let embedded = [notosans::BOLD_TTF.to_vec(), notosans::REGULAR_TTF.to_vec()];
        // The embedded fonts are fixed for a version of handbook (hashed
        // below with it); only an owner's font files are hashed byte by byte.
        for (_, data) in &owner_fonts {
            hash.write(data);
        }
        let all = owner_fonts
            .into_iter()
            .map(|(p, d)| (Some(p), d))
            .chain(embedded.into_iter().map(|d| (None, d)));
        for (path, data) in all {
            let Ok(font) = FontRef::new(&data) else {
                if let Some(p) = path {
                    problems.push((p, "not a TrueType or OpenType font".to_string()));
                }
                continue;
            };
            let family = font
                .localized_strings(skrifa::string::StringId::FAMILY_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let bold = font.attributes().weight.value() >= 600.0;
            let data = Arc::new(data);
            db.load_font_source(usvg::fontdb::Source::Binary(data.clone()));
            fonts.push(FontFile { family, bold, data });
        }
        hash.write(
            concat!(
                "handbook ",
                env!("CARGO_PKG_VERSION"),
                " resvg 0.49 notosans 0.1.0"
            )
            .as_bytes(),
        );
        let kit = Kit {
            fonts,
            db: Arc::new(db),
            resources_dir,
            logo,
            cache_dir,
            fonts_hash: hash.finish(),
            fingerprint: OnceLock::new(),
            advances: Mutex::new(HashMap::new()),
        };
        (kit, problems)
    }

    /// The family the templates should name first: the owner's font if
    /// the theme has one, else Noto Sans.
    /// What rasterising needs from the kit.
    fn fonts(&self) -> raster::Fonts {
        raster::Fonts {
            db: self.db.clone(),
            resources_dir: self.resources_dir.clone(),
            family: self.family().to_string(),
        }
    }

    pub(crate) fn family(&self) -> &str {
        self.fonts
            .first()
            .map_or("Noto Sans", |f| f.family.as_str())
    }

    /// Fonts, logo bytes and versions: everything besides the SVG text that
    /// shapes a card. Reads the logo, so it is computed when cards are
    /// written, not while rendering.
    fn fingerprint(&self) -> u128 {
        *self.fingerprint.get_or_init(|| {
            let mut h = Fnv::new();
            h.write(&self.fonts_hash.to_le_bytes());
            if let Some(logo) = &self.logo {
                h.write(logo.as_bytes());
                h.write(&std::fs::read(self.resources_dir.join(logo)).unwrap_or_default());
            }
            h.finish()
        })
    }

    /// Lays `text` out in `bold` (or regular) at the first of `sizes` that
    /// fits `max_lines` lines of `width` px; truncates with an ellipsis at
    /// the last size when none does.
    pub(crate) fn fit(&self, text: &str, bold: bool, width: f32, sizes: &[(f32, usize)]) -> Fitted {
        let (clean, missing) = self.coverable(text);
        let mut fitted = Fitted::default();
        for &(size, max_lines) in sizes {
            let (lines, overflow) = self.wrap(&clean, bold, size, width, max_lines);
            fitted = Fitted {
                lines,
                size,
                truncated: overflow,
                missing: missing.clone(),
            };
            if !overflow {
                break;
            }
        }
        fitted
    }

    /// `text` without the characters no card font covers (and those characters).
    fn coverable(&self, text: &str) -> (String, Vec<char>) {
        let mut missing = Vec::new();
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() || self.covers(c) {
                out.push(if c.is_whitespace() { ' ' } else { c });
            } else if !missing.contains(&c) {
                missing.push(c);
            }
        }
        let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        (out, missing)
    }

    /// Whether some card font has a glyph for `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.advance(c, true).is_some()
    }

    /// Advance of `c` at 1 px (cached): from the first font of the
    /// requested weight that has it, then any font.
    fn advance(&self, c: char, bold: bool) -> Option<f32> {
        let mut cache = self
            .advances
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *cache.entry((c, bold)).or_insert_with(|| {
            self.fonts
                .iter()
                .filter(|f| f.bold == bold)
                .chain(self.fonts.iter().filter(|f| f.bold != bold))
                .find_map(|f| {
                    let font = FontRef::new(&f.data).ok()?;
                    let glyph = font.charmap().map(c)?;
                    font.glyph_metrics(Size::new(1.0), LocationRef::default())
                        .advance_width(glyph)
                })
        })
    }

    /// Width of `text` at `size` px, each character measured in the first
    /// font (of the requested weight, then any) that has it.
    pub(crate) fn measure(&self, text: &str, bold: bool, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(c, bold).unwrap_or(0.5) * size)
            .sum()
    }

    /// Greedy line breaking at spaces (a word longer than a line is cut).
    fn wrap(
        &self,
        text: &str,
        bold: bool,
        size: f32,
        width: f32,
        max_lines: usize,
    ) -> (Vec<String>, bool) {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.measure(&candidate, bold, size) <= width || current.is_empty() {
                current = candidate;
            } else {
                lines.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        let mut overflow = lines.len() > max_lines;
        lines.truncate(max_lines.max(1));
        // A single word wider than the line, or the lines left out: cut the
        // last line and mark it with an ellipsis.
        let too_wide = lines
            .iter()
            .any(|l| self.measure(l, bold, size) > width + 0.5);
        if overflow || too_wide {
            overflow = true;
            let last = lines.pop().unwrap_or_default();
            let mut chars: Vec<char> = last.chars().collect();
            loop {
                let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
                if chars.is_empty() || self.measure(&s, bold, size) <= width {
                    lines.push(s);
                    break;
                }
                chars.pop();
            }
            for l in &mut lines {
                while self.measure(l, bold, size) > width && l.chars().count() > 1 {
                    l.pop();
                }
            }
        }
        (lines, overflow)
    }
}

/// A title laid out for a card.
#[derive(Debug, Default, Clone, Serialize)]
pub(crate) struct Fitted {
    pub(crate) lines: Vec<String>,
    /// Font size in px.
    pub(crate) size: f32,
    /// The text did not fit and was cut.
    pub(crate) truncated: bool,
    /// Characters no card font covers (left out).
    #[serde(skip)]
    pub(crate) missing: Vec<char>,
}

/// Why a card could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CardError {
    #[error(transparent)]
    Raster(#[from] RasterError),
    #[error(transparent)]
    Write(#[from] crate::fs::FsError),
}

/// One card: its SVG text and the kit to rasterise it with. The PNG is
/// made on first use and kept.
pub(crate) struct Card {
    pub(crate) svg: String,
    pub(crate) kit: Arc<Kit>,
    png: OnceLock<Result<Arc<Vec<u8>>, RasterError>>,
    key: OnceLock<String>,
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Card")
            .field("svg_len", &self.svg.len())
            .finish()
    }
}

impl Card {
    pub(crate) fn new(svg: String, kit: Arc<Kit>) -> Card {
        Card {
            svg,
            kit,
            png: OnceLock::new(),
            key: OnceLock::new(),
        }
    }

    /// The cache key: the SVG text, fonts, logo and versions.
    pub(crate) fn key(&self) -> &str {
        self.key.get_or_init(|| {
            let mut h = Fnv::new();
            h.write(&self.kit.fingerprint().to_le_bytes());
            h.write(self.svg.as_bytes());
            format!("{:032x}", h.finish())
        })
    }

    /// The PNG, rasterised on first call (no disk cache: `serve` uses this).
    pub(crate) fn png(&self) -> Result<Arc<Vec<u8>>, RasterError> {
        self.png
            .get_or_init(|| raster::rasterise(&self.svg, self.kit.fonts()).map(Arc::new))
            .clone()
    }

    /// Writes the PNG to `target` (`build` uses this): a copy of the
    /// cached file when the cache has this card, else rasterised and
    /// added to the cache. Returns its size. Nothing is kept in memory: a
    /// build writes each card once.
    pub(crate) fn write_to(&self, target: &Path) -> Result<u64, CardError> {
        if let Some(dir) = &self.kit.cache_dir {
            if let Some(size) = cache::copy(dir, self.key(), target) {
                return Ok(size);
            }
        }
        let png = match self.png.get() {
            Some(p) => p.clone()?,
            None => Arc::new(raster::rasterise(&self.svg, self.kit.fonts())?),
        };
        crate::fs::write(target, &png)?;
        if let Some(dir) = &self.kit.cache_dir {
            cache::put(dir, self.key(), &png);
        }
        Ok(png.len() as u64)
    }
}

/// 128-bit FNV-1a: a stable hash for cache keys (std's hasher may change
/// between Rust releases, which would empty every cache on an upgrade).
pub(crate) struct Fnv(u128);

impl Fnv {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    pub(crate) fn new() -> Fnv {
        Fnv(Self::OFFSET)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u128;
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        // Length-delimited, so ("ab", "c") and ("a", "bc") differ.
        for b in (bytes.len() as u64).to_le_bytes() {
            self.0 ^= b as u128;
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    pub(crate) fn finish(&self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kit() -> Kit {
        Kit::new(Vec::new(), PathBuf::from("."), None, None).0
    }

    #[test]
    fn noto_sans_covers_polish_greek_and_ukrainian_titles() {
        let kit = kit();
        for title in [
            "Główna Inżynierka Oprogramowania — Zażółć gęślą jaźń",
            "Ανώτερος Μηχανικός Λογισμικού",
            "Старший інженер-програміст: ґанок, їжак, європейський",
        ] {
            let fitted = kit.fit(title, true, 1000.0, &[(64.0, 3)]);
            assert!(fitted.missing.is_empty(), "{title}: {:?}", fitted.missing);
            assert_eq!(fitted.lines.join(" "), title, "nothing left out");
        }
    }

    #[test]
    fn characters_no_font_has_are_left_out_and_reported() {
        let fitted = kit().fit("Engineer 工程师", true, 1000.0, &[(64.0, 2)]);
        assert_eq!(fitted.lines, vec!["Engineer"]);
        assert_eq!(fitted.missing, vec!['工', '程', '师']);
    }

    #[test]
    fn long_titles_shrink_then_truncate_with_an_ellipsis() {
        let kit = kit();
        let short = kit.fit("Staff Engineer", true, 1000.0, &[(72.0, 2), (56.0, 3)]);
        assert_eq!((short.size, short.truncated), (72.0, false));
        let long = "Principal Distributed Systems and Route Optimisation Engineer for Logistics";
        let mid = kit.fit(long, true, 1000.0, &[(72.0, 2), (56.0, 3)]);
        assert_eq!((mid.size, mid.truncated), (56.0, false), "{:?}", mid.lines);
        let huge = format!("{long} {long} {long}");
        let cut = kit.fit(&huge, true, 1000.0, &[(72.0, 2), (56.0, 3)]);
        assert!(cut.truncated);
        assert_eq!(cut.lines.len(), 3);
        assert!(cut.lines[2].ends_with('…'));
        for l in &cut.lines {
            assert!(kit.measure(l, true, 56.0) <= 1000.0, "{l}");
        }
    }
}
