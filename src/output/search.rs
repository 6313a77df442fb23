//! `search-index.json`: a compact index the theme's search box fetches on
//! first use (never with every page).
//!
//! One entry per page: title, URL, headings and a bounded slice of body
//! text, plus track, level and open state for roles. Field names are short
//! because the file is downloaded by visitors.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchEntry {
    /// Title.
    pub t: String,
    /// URL (with base path).
    pub u: String,
    /// Headings, joined with " · ".
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub h: String,
    /// Body text, bounded.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub b: String,
    /// Role: track name, level name, open.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub r: Option<SearchRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRole {
    pub track: String,
    pub level: String,
    pub open: bool,
}

/// Body characters kept per page in the index.
pub const BODY_LIMIT: usize = 1_500;

pub fn index_json(entries: &[SearchEntry]) -> String {
    serde_json::to_string(entries).unwrap_or_else(|_| "[]".into())
}

/// One entry as JSON, to be put together by `join_entries`.
pub fn entry_json(entry: &SearchEntry) -> String {
    serde_json::to_string(entry).unwrap_or_else(|_| "{}".into())
}

/// The index from entries made by `entry_json`: the same bytes as
/// `index_json` on the entries, so it can be assembled from parts.
pub fn join_entries(entries: &[String]) -> String {
    let mut out = String::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(e);
    }
    out.push(']');
    out
}

/// Cuts `text` to at most `limit` bytes on a word boundary.
pub fn clip(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(' ').map_or(cut, |i| &cut[..i]).to_string()
}
