//! Syntax highlighting of fenced code blocks at build time (syntect, with
//! bat's maintained syntaxes and themes from `two-face`).
//!
//! The syntax set is loaded once per process, and only when the first code
//! block is highlighted: a site without code never pays for it
//! (`syntax_set_loads` lets tests show that). By default code gets CSS
//! classes and the theme ships a light and a dark stylesheet made by
//! `stylesheet`; `highlight_theme = "inline"`-style configs get inline colours.
//! Unknown languages come out as escaped plain code, never an error.
//!
//! `serve` keeps highlighted blocks between rebuilds (`keep_blocks`): a
//! bounded map from language, highlighter and code to the finished HTML, so
//! a rebuild highlights only code that changed. `handbook build` does not
//! use it (one process, one build: only repeated blocks would hit, and the
//! benchmark corpus repeats its blocks more than real handbooks do).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::Theme;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

pub(crate) mod prefetch;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
static LOADS: AtomicUsize = AtomicUsize::new(0);

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
pub(crate) const DEFAULT_LIGHT: &str = "InspiredGitHub";
pub(crate) const DEFAULT_DARK: &str = "OneHalfDark";

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(|| {
        LOADS.fetch_add(1, Ordering::Relaxed);
        two_face::syntax::extra_newlines()
    })
}

/// Starts loading the syntax set on a thread of its own (about 2 ms, the
/// first step of highlighting anything), so that it overlaps the walk
/// instead of delaying the first block. `handbook build` calls it when the
/// previous build of the site had code (its output has a `highlight.css`),
/// which is what a site built again almost always has; a first build, or
/// a site without code, loads nothing until a block needs it.
pub(crate) fn preload() {
    if SYNTAXES.get().is_none() {
        let _ = std::thread::Builder::new()
            .name("syntax-preload".into())
            .spawn(|| {
                syntaxes();
            });
    }
}

/// How many times this process has loaded the syntax set (0 or 1).
pub(crate) fn syntax_set_loads() -> usize {
    LOADS.load(Ordering::Relaxed)
}

#[derive(Debug, Clone)]
pub(crate) enum Highlighter {
    /// CSS classes (`hl-…`); colours come from the stylesheet.
    Classes,
    /// Inline `style` attributes from a named theme.
    Inline(String),
}

impl Highlighter {
    /// From `markdown.highlight_theme`: `css` (default) for classes,
    /// `inline` for inline styles with the default theme, or `inline:NAME`.
    pub(crate) fn from_setting(setting: &str) -> Highlighter {
        match setting {
            "inline" => Highlighter::Inline(DEFAULT_LIGHT.into()),
            s if s.starts_with("inline:") => Highlighter::Inline(s["inline:".len()..].into()),
            _ => Highlighter::Classes,
        }
    }

    /// A complete `<pre>` block for `code` in language `lang`, from the
    /// block cache when `serve` keeps one and has seen this block.
    pub(crate) fn highlight(&self, code: &str, lang: &str) -> String {
        if lang.is_empty() {
            return self.highlight_uncached(code, lang);
        }
        let mut blocks = BLOCKS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(cache) = blocks.as_mut() else {
            drop(blocks);
            return self.highlight_uncached(code, lang);
        };
        let key = BlockKey::new(self, lang, code);
        if let Some(html) = cache.get(key) {
            return html;
        }
        // Highlight outside the lock: other pages' blocks go on meanwhile.
        drop(blocks);
        let html = self.highlight_uncached(code, lang);
        let mut blocks = BLOCKS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cache) = blocks.as_mut() {
            cache.insert(key, &html);
        }
        html
    }

    fn highlight_uncached(&self, code: &str, lang: &str) -> String {
        let lang_attr = crate::escape::escape_attr(lang);
        let plain = || {
            let class = if lang.is_empty() {
                String::new()
            } else {
                format!(" class=\"language-{lang_attr}\"")
            };
            format!(
                "<pre class=\"code\"><code{class}>{}</code></pre>\n",
                crate::escape::escape_html(code)
            )
        };
        if lang.is_empty() {
            return plain();
        }
        let ss = syntaxes();
        let Some(syntax) = find_syntax(ss, lang) else {
            return plain();
        };
        match self {
            Highlighter::Classes => {
                let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
                for line in LinesWithEndings::from(code) {
                    if gen
                        .parse_html_for_line_which_includes_newline(line)
                        .is_err()
                    {
                        return plain();
                    }
                }
                format!(
                    "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
                    gen.finalize()
                )
            }
            Highlighter::Inline(name) => {
                let theme = theme_by_name(name)
                    .unwrap_or_else(|| theme_by_name(DEFAULT_LIGHT).expect("default theme exists"));
                match syntect::html::highlighted_html_for_string(code, ss, syntax, theme) {
                    Ok(html) => html,
                    Err(_) => plain(),
                }
            }
        }
    }
}

/// `serve`'s highlighted blocks; `None` until `keep_blocks`.
static BLOCKS: Mutex<Option<BlockCache>> = Mutex::new(None);

/// Bytes of HTML the block cache holds at most (two generations of half
/// this each). A 10,000-page handbook with code on a third of its pages
/// has about 5 MB of highlighted HTML.
const BLOCK_CACHE_BYTES: usize = 32 << 20;

/// From now on, keep highlighted blocks for later builds in this process
/// (`serve`). Calling it again keeps the cache it has.
pub(crate) fn keep_blocks() {
    let mut blocks = BLOCKS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    blocks.get_or_insert_with(|| BlockCache::new(BLOCK_CACHE_BYTES));
}

/// Hits and misses of the block cache so far, if `serve` keeps one.
pub(crate) fn block_cache_stats() -> Option<(u64, u64)> {
    let blocks = BLOCKS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    blocks.as_ref().map(|c| (c.hits, c.misses))
}

/// What identifies a highlighted block: two independent 64-bit hashes of
/// the highlighter (classes or inline theme), the language as written and
/// the code, so a wrong hit would take a 128-bit collision.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct BlockKey(u64, u64);

impl BlockKey {
    fn new(highlighter: &Highlighter, lang: &str, code: &str) -> BlockKey {
        let hash = |seed: u8| {
            let mut h = std::hash::DefaultHasher::new();
            seed.hash(&mut h);
            match highlighter {
                Highlighter::Classes => 0u8.hash(&mut h),
                Highlighter::Inline(theme) => (1u8, theme).hash(&mut h),
            }
            (lang, code).hash(&mut h);
            h.finish()
        };
        BlockKey(hash(0), hash(1))
    }
}

/// A bounded map of highlighted blocks with two generations: new blocks go
/// into `current`; once it holds half the budget it becomes `previous` (the
/// old `previous` is dropped), and a hit in `previous` moves back. Blocks
/// used by every rebuild stay; blocks no page has shown for a while go.
struct BlockCache {
    current: HashMap<BlockKey, Box<str>>,
    previous: HashMap<BlockKey, Box<str>>,
    current_bytes: usize,
    budget: usize,
    hits: u64,
    misses: u64,
}

impl BlockCache {
    fn new(budget: usize) -> BlockCache {
        BlockCache {
            current: HashMap::new(),
            previous: HashMap::new(),
            current_bytes: 0,
            budget,
            hits: 0,
            misses: 0,
        }
    }

    fn get(&mut self, key: BlockKey) -> Option<String> {
        if let Some(html) = self.current.get(&key) {
            self.hits += 1;
            return Some(html.to_string());
        }
        let Some(html) = self.previous.remove(&key) else {
            self.misses += 1;
            return None;
        };
        self.hits += 1;
        let out = html.to_string();
        self.put(key, html);
        Some(out)
    }

    fn insert(&mut self, key: BlockKey, html: &str) {
        if html.len() <= self.budget / 2 && !self.current.contains_key(&key) {
            self.put(key, html.into());
        }
    }

    fn put(&mut self, key: BlockKey, html: Box<str>) {
        if self.current_bytes + html.len() > self.budget / 2 {
            self.previous = std::mem::take(&mut self.current);
            self.current_bytes = 0;
        }
        self.current_bytes += html.len();
        self.current.insert(key, html);
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.current_bytes + self.previous.values().map(|h| h.len()).sum::<usize>()
    }
}

fn find_syntax<'a>(ss: &'a SyntaxSet, lang: &str) -> Option<&'a SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    let alias = match lower.as_str() {
        "sh" | "shell" | "zsh" | "console" | "shell-session" => "bash",
        "yml" => "yaml",
        "js" | "javascript" | "mjs" | "cjs" => "js",
        "ts" | "typescript" => "ts",
        "rs" | "rust" => "rs",
        "py" | "python" => "py",
        "hcl" | "terraform" | "tf" => "tf",
        "dockerfile" | "docker" => "Dockerfile",
        "md" | "markdown" => "md",
        "jsonc" => "json",
        other => other,
    };
    ss.find_syntax_by_token(alias)
        .or_else(|| ss.find_syntax_by_name(lang))
        .or_else(|| ss.find_syntax_by_extension(alias))
}

fn theme_by_name(name: &str) -> Option<&'static Theme> {
    static THEMES: OnceLock<two_face::theme::EmbeddedLazyThemeSet> = OnceLock::new();
    let set = THEMES.get_or_init(two_face::theme::extra);
    EmbeddedThemeName::iter_names()
        .find(|t| t.as_name().eq_ignore_ascii_case(name))
        .map(|t| set.get(t))
}

/// Names of the themes `highlight_theme` and `highlight_theme_dark` accept.
pub(crate) fn theme_names() -> Vec<&'static str> {
    EmbeddedThemeName::iter_names()
        .map(two_face::theme::EmbeddedThemeName::as_name)
        .collect()
}

/// Why no highlighting stylesheet could be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StylesheetError {
    #[error("unknown highlight theme \"{0}\"")]
    UnknownTheme(String),
    #[error("highlight theme \"{theme}\" cannot be turned into CSS: {source}")]
    Css {
        theme: String,
        source: syntect::Error,
    },
}

/// The stylesheet for class-based highlighting: `light` by default and
/// `dark` under `prefers-color-scheme: dark`. An error if a theme is unknown.
pub(crate) fn stylesheet(light: &str, dark: &str) -> Result<String, StylesheetError> {
    let get = |n: &str| theme_by_name(n).ok_or_else(|| StylesheetError::UnknownTheme(n.into()));
    let css = |n: &str, theme| {
        css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|source| StylesheetError::Css {
            theme: n.into(),
            source,
        })
    };
    let light_theme = get(light)?;
    let dark_theme = get(dark)?;
    let light_css = css(light, light_theme)?;
    let dark_css = css(dark, dark_theme)?;
    let light_css = with_readable_colours(&light_css, background(light_theme));
    let dark_css = with_readable_colours(&dark_css, background(dark_theme));
    Ok(format!(
        "/* Code highlighting: {light} (light), {dark} (dark). Generated by handbook.\n   Each theme is scoped to its scheme: a rule only the light theme has must not\n   colour dark-mode code. Colours are adjusted to 4.5:1 contrast. */\n@media not (prefers-color-scheme: dark) {{\n{light_css}\n}}\n@media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    ))
}

/// The theme's background colour, or white.
fn background(theme: &Theme) -> (u8, u8, u8) {
    theme
        .settings
        .background
        .map(|c| (c.r, c.g, c.b))
        .unwrap_or((255, 255, 255))
}

/// Many editor themes colour comments and keywords below the 4.5:1 contrast
/// WCAG AA asks of text. Every `color: #rrggbb` in `css` is moved towards
/// black (on light backgrounds) or white (on dark ones) until it reaches
/// 4.5:1 against `bg`, keeping its hue.
pub(crate) fn with_readable_colours(css: &str, bg: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        // Leave background-color alone.
        let is_background = rest[..i].ends_with("background-");
        let start = i + "color: #".len();
        out.push_str(&rest[..start]);
        let hex = &rest[start..];
        let len = hex.chars().take_while(char::is_ascii_hexdigit).count();
        let code = &hex[..len];
        match (is_background, parse_hex(code)) {
            (false, Some(fg)) => {
                let fixed = readable(fg, bg);
                out.push_str(&format!("{:02x}{:02x}{:02x}", fixed.0, fixed.1, fixed.2));
                // Keep an alpha suffix, if any.
                if len == 8 {
                    out.push_str(&code[6..]);
                }
            }
            _ => out.push_str(code),
        }
        rest = &hex[len..];
    }
    out.push_str(rest);
    out
}

fn parse_hex(code: &str) -> Option<(u8, u8, u8)> {
    if code.len() != 6 && code.len() != 8 {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&code[i..i + 2], 16).ok();
    Some((c(0)?, c(2)?, c(4)?))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn readable(fg: (u8, u8, u8), bg: (u8, u8, u8)) -> (u8, u8, u8) {
    // A little above 4.5 so rounding in browsers cannot tip it under.
    const TARGET: f64 = 4.6;
    let toward: f64 = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut c = fg;
    let mut t = 0.0;
    while contrast(c, bg) < TARGET && t < 1.0 {
        t += 0.05;
        let mix = |v: u8| (f64::from(v) + (toward - f64::from(v)) * t).round() as u8;
        c = (mix(fg.0), mix(fg.1), mix(fg.2));
    }
    c
}

trait IterNames {
    fn iter_names() -> std::iter::Copied<std::slice::Iter<'static, EmbeddedThemeName>>;
}

impl IterNames for EmbeddedThemeName {
    fn iter_names() -> std::iter::Copied<std::slice::Iter<'static, EmbeddedThemeName>> {
        two_face::theme::EmbeddedLazyThemeSet::theme_names()
            .iter()
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_yaml_bash_get_highlighted_spans() {
        let h = Highlighter::Classes;
        for (lang, code) in [
            ("rust", "fn main() {}\n"),
            ("yaml", "a: 1\n"),
            ("bash", "echo hi\n"),
            ("toml", "a = 1\n"),
            ("ts", "let x: number = 1;\n"),
            ("dockerfile", "FROM debian\n"),
            ("hcl", "resource \"a\" \"b\" {}\n"),
        ] {
            let html = h.highlight(code, lang);
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = Highlighter::Classes.highlight("<script>x</script>\n", "klingon");
        assert_eq!(
            html,
            "<pre class=\"code\"><code class=\"language-klingon\">&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn every_highlight_colour_reaches_aa_contrast() {
        for name in [DEFAULT_LIGHT, DEFAULT_DARK] {
            let theme = theme_by_name(name).unwrap();
            let bg = background(theme);
            let css = with_readable_colours(
                &css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap(),
                bg,
            );
            let mut checked = 0;
            let parts: Vec<&str> = css.split("color: #").collect();
            for (before, part) in parts.iter().zip(&parts[1..]) {
                let fg = parse_hex(&part[..6]).unwrap();
                if !before.ends_with("background-") {
                    assert!(contrast(fg, bg) >= 4.5, "{name}: #{} on {bg:?}", &part[..6]);
                    checked += 1;
                }
            }
            assert!(checked > 5);
        }
    }

    #[test]
    fn block_cache_hits_the_same_block_and_stays_within_its_budget() {
        let classes = Highlighter::Classes;
        let inline = Highlighter::Inline(DEFAULT_LIGHT.into());
        let key = BlockKey::new;
        let mut cache = BlockCache::new(1000);
        assert_eq!(cache.get(key(&classes, "rust", "fn a() {}")), None);
        cache.insert(key(&classes, "rust", "fn a() {}"), "<pre>a</pre>");
        assert_eq!(
            cache.get(key(&classes, "rust", "fn a() {}")).as_deref(),
            Some("<pre>a</pre>")
        );
        // The same code in another language or highlighter is another block.
        assert_eq!(cache.get(key(&classes, "rs", "fn a() {}")), None);
        assert_eq!(cache.get(key(&inline, "rust", "fn a() {}")), None);
        assert_eq!((cache.hits, cache.misses), (1, 3));
        // 30 blocks of 100 bytes into a 1,000-byte budget: the newest stay.
        for i in 0..30 {
            let code = format!("let x = {i};");
            cache.insert(key(&classes, "rust", &code), &"x".repeat(100));
            assert!(cache.bytes() <= 1000, "{} bytes", cache.bytes());
        }
        assert!(cache.get(key(&classes, "rust", "let x = 29;")).is_some());
        assert_eq!(cache.get(key(&classes, "rust", "let x = 0;")), None);
    }

    #[test]
    fn cached_blocks_are_what_highlighting_makes() {
        keep_blocks();
        let code = "fn cached_blocks_test() -> u8 { 1 }\n";
        let first = Highlighter::Classes.highlight(code, "rust");
        let (hits, _) = block_cache_stats().unwrap();
        let second = Highlighter::Classes.highlight(code, "rust");
        assert_eq!(first, second);
        assert_eq!(first, Highlighter::Classes.highlight_uncached(code, "rust"));
        assert!(block_cache_stats().unwrap().0 > hits);
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet(DEFAULT_LIGHT, DEFAULT_DARK).unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
        assert!(stylesheet("nope", DEFAULT_DARK).is_err());
    }
}
