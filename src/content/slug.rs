//! URL slugs for file and folder names.
//!
//! `roles/Associate Business Analyst.md` becomes
//! `roles/associate-business-analyst/`: lower-case, letters and digits kept
//! (any script, so non-Latin names stay readable), every other run of
//! characters becomes one `-`. A name with no letters or digits at all (an
//! emoji file name) gets a stable slug from its code points, so it still has a
//! unique, URL-safe address. Heading ids follow GitHub's different rules and
//! live in `markdown::anchors`.

/// A file or folder name as a URL segment: lower-case letters and digits,
/// every other run of characters one `-` (see the module comment).
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            // Lower-casing can add combining marks (İ → i + U+0307); keep
            // only letters and digits so slugging a slug changes nothing.
            out.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        out = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| format!("{:x}", c as u32))
            .collect::<Vec<_>>()
            .join("-");
        if out.is_empty() {
            out.push_str("page");
        }
    }
    out
}

/// What `encode_path` escapes: everything but RFC 3986's unreserved
/// characters and `/`.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a URL path (keeps `/` and unreserved characters), so
/// paths with spaces and non-ASCII letters are valid in `href`s.
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// Whether `encode_path(path)` is `encoded`, without making it.
pub(crate) fn encodes_to(path: &str, encoded: &str) -> bool {
    let mut rest = encoded;
    for chunk in percent_encoding::utf8_percent_encode(path, PATH) {
        match rest.strip_prefix(chunk) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Decodes `%XX` escapes; invalid escapes are kept as written, and bytes
/// that are not UTF-8 become U+FFFD.
pub fn decode_percent(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_to_agrees_with_encode_path() {
        for path in ["roles/senior/", "a b/Über team/", "", "x%y/?#"] {
            assert!(encodes_to(path, &encode_path(path)), "{path}");
            assert!(
                !encodes_to(path, &format!("{}x", encode_path(path))),
                "{path}"
            );
        }
        assert!(!encodes_to("a b/", "a b/"));
        assert!(!encodes_to("roles/", "roles/senior/"));
    }

    #[test]
    fn slugs_names_with_spaces_and_capitals() {
        assert_eq!(
            slugify("Associate Business Analyst"),
            "associate-business-analyst"
        );
        assert_eq!(slugify("How_we hire (2026)"), "how-we-hire-2026");
        assert_eq!(slugify("  --Lead--  "), "lead");
        assert_eq!(slugify("Über Team"), "über-team");
        assert_eq!(slugify("職務 説明"), "職務-説明");
    }

    #[test]
    fn emoji_only_names_get_a_stable_slug() {
        assert_eq!(slugify("🚀"), "1f680");
        assert_eq!(slugify("🚀"), slugify("🚀"));
        assert_ne!(slugify("🚀"), slugify("🎉"));
    }

    #[test]
    fn percent_round_trip() {
        let p = "roles/Senior Engineer.md";
        assert_eq!(encode_path(p), "roles/Senior%20Engineer.md");
        assert_eq!(decode_percent(&encode_path(p)), p);
        assert_eq!(decode_percent("100%"), "100%");
        assert_eq!(decode_percent("%zz"), "%zz");
    }
}
