//! Escaping for text that lands in HTML: element text and attribute values.
//!
//! The one escaper every stage uses (markdown, highlighting, templates
//! through tera's autoescape, the sidebar and the serve overlay). It knows
//! nothing about JSON or XML: JSON-LD goes through
//! `careers::jobposting::script_safe_json`, XML through `output::sitemap`.

/// Escapes `& < > " '` for an attribute value (double or single quoted).
pub(crate) fn escape_attr(s: &str) -> String {
    // Most text needs no escaping: copy it in one go.
    let Some(first) = s
        .bytes()
        .position(|b| matches!(b, b'&' | b'"' | b'\'' | b'<' | b'>'))
    else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content (the same five characters, so one
/// escaper serves both).
pub(crate) fn escape_html(s: &str) -> String {
    escape_attr(s)
}
