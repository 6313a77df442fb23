//! Located, user-facing problems: what went wrong, in which file, on which
//! line, and how to fix it.
//!
//! Every stage collects `Diagnostic`s instead of stopping at the first
//! problem, so a run reports everything it found at once. This module only
//! describes and formats them; deciding whether a run fails is the caller's.

mod code;

use std::fmt;
use std::path::{Path, PathBuf};

pub use code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// One problem found in the input: where, how bad, what, and a hint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub(crate) line: Option<usize>,
    /// 1-based column, when known.
    pub(crate) col: Option<usize>,
    pub(crate) severity: Severity,
    /// The stable kind of problem (`broken-link`, …), for tools to filter on.
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Diagnostic {
    /// An error about `path`; an empty path is a problem with no file (a
    /// command-line value), printed as `error: …`.
    pub(crate) fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, path, message)
    }

    pub(crate) fn warning(
        code: Code,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(Severity::Warning, code, path, message)
    }

    pub(crate) fn new(
        severity: Severity,
        code: Code,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            col: None,
            severity,
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn at(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    pub(crate) fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: by file, then line, errors before warnings on the same line.
    fn key(&self) -> (&Path, usize, usize, Severity) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.col.unwrap_or(0),
            self.severity,
        )
    }
}

impl Diagnostic {
    /// The kind of problem (shown as its stable name, `broken-link`, …).
    pub fn code(&self) -> Code {
        self.code
    }

    /// The first line as printed: `path:line:col: error: message`.
    /// Without a path (a problem with a command-line value) it is just
    /// `error: message`.
    pub(crate) fn headline(&self) -> String {
        let mut s = self.path.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.col {
                s.push_str(&format!(":{col}"));
            }
        }
        if !s.is_empty() {
            s.push_str(": ");
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        s.push_str(&format!("{label}: {}", self.message));
        s
    }

    /// Like `Display`, plus the offending line of `source` (the text of the
    /// file the diagnostic is about) with a caret under the column, the way
    /// rustc shows it. Without a line, or a source that has it, this is
    /// exactly the `Display` form.
    pub(crate) fn render(&self, source: Option<&str>) -> String {
        let mut s = self.headline();
        if let Some(excerpt) = self
            .line
            .zip(source)
            .and_then(|(l, src)| excerpt(src, l, self.col))
        {
            s.push('\n');
            s.push_str(&excerpt);
        }
        if let Some(hint) = &self.hint {
            s.push_str(&format!("\n  hint: {hint}"));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(None))
    }
}

/// Columns a tab advances in an excerpt; tabs are expanded so the caret
/// lines up whatever the terminal's tab width is.
const TAB_WIDTH: usize = 4;

/// The `   |` gutter excerpt for 1-based `line` of `source`, with a caret
/// under 1-based byte column `col` if given. None if the file has no such
/// line (it changed since, or the line number is not about this text).
fn excerpt(source: &str, line: usize, col: Option<usize>) -> Option<String> {
    let text = source
        .strip_prefix('\u{feff}')
        .unwrap_or(source)
        .split('\n')
        .nth(line.checked_sub(1)?)?
        .trim_end_matches('\r');
    let expand = |s: &str| -> String {
        s.chars()
            .flat_map(|c| {
                let n = if c == '\t' { TAB_WIDTH } else { 1 };
                std::iter::repeat_n(if c == '\t' { ' ' } else { c }, n)
            })
            .collect()
    };
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    let mut out = format!("{pad} |\n{line} | {}", expand(text));
    if let Some(col) = col {
        let mut end = (col.saturating_sub(1)).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = expand(&text[..end]).chars().count();
        out.push_str(&format!("\n{pad} | {}^", " ".repeat(before)));
    }
    Some(out)
}

/// Sorts diagnostics by file and line and drops exact duplicates.
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.key().cmp(&b.key()).then(a.message.cmp(&b.message)));
    diags.dedup();
}

pub(crate) fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The closest candidate to `word` by edit distance, if it is close enough to
/// be a plausible typo. The distance is optimal string alignment: a swap of
/// two neighbouring letters (the commonest typo) counts as one edit.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "did you mean "x"? known: a, b, c" style hint.
pub(crate) fn suggest(word: &str, what: &str, candidates: &[&str]) -> String {
    let known = candidates
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let list = if candidates.is_empty() {
        format!("no {what} are defined")
    } else {
        format!("{what} are: {known}")
    };
    match closest(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean \"{c}\"? {list}"),
        None => list,
    }
}

/// Maps byte offsets in a text to 1-based (line, column) pairs.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in bytes, +1) of `offset`.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line + 1, offset - self.starts[line] + 1)
    }
}

/// The 1-based line of the key at `path` (`["careers", "tracks", "name"]`)
/// in a TOML document, from the parser's spans: a key of the same name in
/// another table is never taken for it. In an array of tables the first
/// table that has the rest of the path counts. None if the text does not
/// parse or has no such key.
pub(crate) fn toml_key_line(text: &str, path: &[&str]) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let (key, _) = entry(doc.as_table(), path)?;
    Some(LineIndex::new(text).locate(key.span()?.start).0)
}

/// The 1-based line of the string `value` in the array at `path` (a
/// pattern in `exclude = [...]`), else of the key itself.
pub(crate) fn toml_value_line(text: &str, path: &[&str], value: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let (key, item) = entry(doc.as_table(), path)?;
    let span = item
        .as_array()
        .and_then(|a| a.iter().find(|v| v.as_str() == Some(value)))
        .and_then(toml_edit::Value::span)
        .or_else(|| key.span())?;
    Some(LineIndex::new(text).locate(span.start).0)
}

/// The key and item at `path`, going into tables, inline tables and the
/// first table of an array of tables that has the rest of the path.
fn entry<'a>(
    table: &'a dyn toml_edit::TableLike,
    path: &[&str],
) -> Option<(&'a toml_edit::Key, &'a toml_edit::Item)> {
    let (first, rest) = path.split_first()?;
    let (key, item) = table.get_key_value(first)?;
    if rest.is_empty() {
        return Some((key, item));
    }
    if let Some(t) = item.as_table_like() {
        return entry(t, rest);
    }
    match item {
        toml_edit::Item::ArrayOfTables(a) => a.iter().find_map(|t| entry(t, rest)),
        toml_edit::Item::Value(toml_edit::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_inline_table())
            .find_map(|t| entry(t, rest)),
        _ => None,
    }
}

/// The 1-based line of the first `key = …` / `key: …` assignment in a block of
/// TOML or YAML text, searching after `after_line` lines. Used to point at the
/// field a validation error is about when the parser gave us no span.
pub(crate) fn line_of_key(text: &str, key: &str, after_line: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(after_line)
        .find_map(|(i, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            let rest = t.strip_prefix(key).or_else(|| {
                t.strip_prefix('"')
                    .and_then(|t| t.strip_prefix(key))
                    .and_then(|t| t.strip_prefix('"'))
            })?;
            let rest = rest.trim_start();
            (rest.starts_with('=') || rest.starts_with(':')).then_some(i + 1)
        })
}

/// Like [`line_of_key`], but only inside the table `table` of TOML or YAML
/// front matter: after its `[table]`/`[table.sub]` header (or `table:` line)
/// and before the next table that is not part of it. A key of the same name
/// elsewhere (say `level` under `[extra]`) is not taken for it.
pub(crate) fn line_of_key_in(text: &str, table: &str, key: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let is_header_of = |l: &str| {
        let t = l.trim();
        let inner = t.strip_prefix('[').and_then(|t| t.strip_suffix(']'))?;
        let inner = inner.trim_matches(['[', ']']).trim();
        Some(inner == table || inner.starts_with(&format!("{table}.")))
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start = lines
        .iter()
        .position(|l| is_header_of(l) == Some(true) || line_of_key(l, table, 0).is_some())?;
    let yaml_block = lines[start].trim_start().starts_with(&format!("{table}:"));
    let base_indent = indent(lines[start]);
    let end = lines[start + 1..]
        .iter()
        .position(|l| match is_header_of(l) {
            Some(inside) => !inside,
            None => {
                yaml_block
                    && !l.trim().is_empty()
                    && !l.trim_start().starts_with('#')
                    && indent(l) <= base_indent
            }
        })
        .map_or(lines.len(), |i| start + 1 + i);
    if let Some((_, inline)) = lines[start].split_once('{') {
        // `role = { track = "x", level = "y" }`: the key is on this line.
        let found = inline.split([',', '{']).any(|part| {
            part.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        if found {
            return Some(start + 1);
        }
    }
    let block = lines[start..end].join("\n");
    line_of_key(&block, key, 0).map(|l| l + start)
}

/// Prints diagnostics to stderr: every error, and warnings up to `max_warnings`.
pub(crate) fn print_diagnostics(diags: &[Diagnostic], max_warnings: usize) {
    let mut warnings = 0;
    let mut hidden = 0;
    let cwd = std::env::current_dir().ok();
    for d in diags {
        // Paths under the working directory print relative to it, however
        // the root was given (serve works with absolute paths).
        let relative = cwd
            .as_ref()
            .and_then(|c| d.path.strip_prefix(c).ok())
            .filter(|p| !p.as_os_str().is_empty());
        let shown;
        let d = match relative {
            Some(p) => {
                shown = Diagnostic {
                    path: p.to_path_buf(),
                    ..d.clone()
                };
                &shown
            }
            None => d,
        };
        if d.severity == Severity::Warning {
            warnings += 1;
            if warnings > max_warnings {
                hidden += 1;
                continue;
            }
        }
        eprintln!("{d}");
    }
    if hidden > 0 {
        eprintln!(
            "… and {hidden} more warning{}",
            if hidden == 1 { "" } else { "s" }
        );
    }
}

/// Errors and warnings in `diags`.
pub(crate) fn summary_counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// `1 page`, `2 pages`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_but_not_strangers() {
        let levels = ["associate", "mid", "senior", "principal"];
        assert_eq!(closest("senoir", levels), Some("senior"));
        assert_eq!(closest("pricnipal", levels), Some("principal"));
        assert_eq!(closest("astronaut", levels), None);
    }

    #[test]
    fn display_has_path_line_col_and_hint() {
        let d = Diagnostic::error(
            Code::InvalidRole,
            "roles/x.md",
            "level \"senoir\" is not defined",
        )
        .at(3, Some(9))
        .hint("did you mean \"senior\"?");
        assert_eq!(
            d.to_string(),
            "roles/x.md:3:9: error: level \"senoir\" is not defined\n  hint: did you mean \"senior\"?"
        );
    }

    #[test]
    fn a_problem_with_no_file_prints_without_a_path() {
        let d = Diagnostic::error(Code::InvalidArgument, "", "level \"x\" is not defined")
            .hint("levels are: \"mid\"");
        assert_eq!(
            d.to_string(),
            "error: level \"x\" is not defined\n  hint: levels are: \"mid\""
        );
    }

    #[test]
    fn json_carries_the_code_by_name() {
        let d = Diagnostic::warning(Code::BrokenLink, "a.md", "x").at(1, Some(2));
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["code"], "broken-link");
        assert_eq!(v["severity"], "warning");
    }

    #[test]
    fn render_shows_the_source_line_with_a_caret() {
        let d = Diagnostic::error(
            Code::BrokenLink,
            "content/a.md",
            "link `b.md` points at nothing",
        )
        .at(2, Some(7))
        .hint("check the path");
        assert_eq!(
            d.render(Some("# A\nSee: [b](b.md)\n")),
            "content/a.md:2:7: error: link `b.md` points at nothing\n  |\n2 | See: [b](b.md)\n  |       ^\n  hint: check the path"
        );
    }

    #[test]
    fn render_expands_tabs_and_handles_missing_lines() {
        let d = Diagnostic::error(Code::BrokenLink, "a.md", "x").at(10, Some(2));
        assert_eq!(d.render(Some("\tx\n")), "a.md:10:2: error: x");
        let d = Diagnostic::error(Code::BrokenLink, "a.md", "x").at(1, Some(2));
        assert_eq!(
            d.render(Some("\tx\n")),
            "a.md:1:2: error: x\n  |\n1 |     x\n  |     ^"
        );
        // Without a column: the line, no caret.
        let d = Diagnostic::error(Code::BrokenLink, "a.md", "x").at_line(Some(1));
        assert_eq!(d.render(Some("ab")), "a.md:1: error: x\n  |\n1 | ab");
    }

    #[test]
    fn line_index_locates_offsets() {
        let idx = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(idx.locate(0), (1, 1));
        assert_eq!(idx.locate(4), (2, 2));
        assert_eq!(idx.locate(7), (4, 1));
    }

    #[test]
    fn line_of_key_in_ignores_the_same_key_in_another_table() {
        // Regression: a role error pointed at `level` under `[extra]`.
        let toml = "title = \"A\"\n[extra]\nlevel = 1\n[role]\ntrack = \"x\"\nlevel = \"senoir\"\n[role.opening]\ncloses = 1\n";
        assert_eq!(line_of_key_in(toml, "role", "level"), Some(6));
        assert_eq!(line_of_key_in(toml, "role", "closes"), Some(8));
        assert_eq!(line_of_key_in(toml, "role", "title"), None);
        let yaml = "extra:\n  level: 1\nrole:\n  track: x\n  level: senoir\nother:\n  closes: 1\n";
        assert_eq!(line_of_key_in(yaml, "role", "level"), Some(5));
        assert_eq!(line_of_key_in(yaml, "role", "closes"), None);
        let inline = "extra = { level = 1 }\nrole = { track = \"x\", level = \"y\" }\n";
        assert_eq!(line_of_key_in(inline, "role", "level"), Some(2));
    }

    #[test]
    fn toml_key_line_finds_the_key_in_its_own_table() {
        let text = "title = \"T\"\n[extra]\ncontry = 1\n[careers]\ncontry = \"GB\"\n[[careers.tracks]]\nid = \"a\"\n[[careers.tracks]]\nid = \"b\"\nnmae = \"B\"\n";
        assert_eq!(toml_key_line(text, &["careers", "contry"]), Some(5));
        assert_eq!(toml_key_line(text, &["extra", "contry"]), Some(3));
        assert_eq!(
            toml_key_line(text, &["careers", "tracks", "nmae"]),
            Some(10)
        );
        assert_eq!(toml_key_line(text, &["careers", "missing"]), None);
        let inline = "markdown = { highlight_theme = \"x\" }\n";
        assert_eq!(
            toml_key_line(inline, &["markdown", "highlight_theme"]),
            Some(1)
        );
        let list = "exclude = [\n  \"a/*\",\n  \"[b\",\n]\n";
        assert_eq!(toml_value_line(list, &["exclude"], "[b"), Some(3));
        assert_eq!(toml_value_line(list, &["exclude"], "zzz"), Some(1));
    }

    #[test]
    fn line_of_key_handles_toml_and_yaml() {
        let text = "title = \"x\"\n[role]\nlevel = \"a\"\n";
        assert_eq!(line_of_key(text, "level", 0), Some(3));
        let yaml = "title: x\nrole:\n  level: a\n";
        assert_eq!(line_of_key(yaml, "level", 0), Some(3));
        assert_eq!(line_of_key(yaml, "track", 0), None);
    }
}
