//! GFM's extended autolinks: bare `www.…`, `http://…`, `https://…`,
//! `ftp://…`, `mailto:…` and `name@example.com` become links, as GitHub's
//! parser (cmark-gfm's autolink extension) finds them: a `www.` link starts
//! a line or follows whitespace or `*`, `_`, `~`, `(`; the domain has a dot
//! and no `_` in its last two labels; the link runs to whitespace or `<`;
//! trailing `?!.,:*_~'"` is dropped, a `)` only when unbalanced, and a
//! trailing `&entity;` is dropped.
//!
//! Pure: scans one text run and returns the pieces. It does not know where
//! the text is: the caller never passes text inside code or links.

/// A piece of a text run: plain text or a link with its `href`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Link { text: &'a str, href: String },
}

/// Splits `text` into plain text and autolinks. Returns one `Text` piece
/// when there is nothing to link (the common case, without allocation of
/// links). `brackets` counts the `[` still open before this text in its
/// paragraph and is updated: like cmark-gfm, `www.` and `scheme://` links
/// are not looked for inside an open bracket (`[Expenses][https://…]`),
/// emails are.
pub(crate) fn split<'t>(text: &'t str, brackets: &mut usize) -> Vec<Piece<'t>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        let found = match bytes[i] {
            b'[' => {
                *brackets += 1;
                None
            }
            b']' => {
                *brackets = brackets.saturating_sub(1);
                None
            }
            b'w' if *brackets == 0 => www(text, i).map(|end| (i, end, "http://")),
            b':' if *brackets == 0 => url(text, i),
            b'@' => email(text, i, plain_from).map(|(start, end)| (start, end, "mailto:")),
            _ => None,
        };
        match found {
            Some((start, end, prefix)) if start >= plain_from => {
                if start > plain_from {
                    pieces.push(Piece::Text(&text[plain_from..start]));
                }
                let link = &text[start..end];
                pieces.push(Piece::Link {
                    text: link,
                    href: format!("{prefix}{link}"),
                });
                plain_from = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    if plain_from < text.len() || pieces.is_empty() {
        pieces.push(Piece::Text(&text[plain_from..]));
    }
    pieces
}

/// A `www.` link starting at `at`; returns its end.
fn www(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    if !rest.starts_with("www.") {
        return None;
    }
    if let Some(prev) = text[..at].chars().next_back() {
        if !prev.is_whitespace() && !matches!(prev, '*' | '_' | '~' | '(') {
            return None;
        }
    }
    let domain_end = domain(rest, false)?;
    Some(at + delimit(rest, run_to_space(rest, domain_end))).filter(|&e| e > at)
}

/// A `scheme://` link whose `:` is at `colon`; returns start, end, prefix.
fn url(text: &str, colon: usize) -> Option<(usize, usize, &'static str)> {
    let start = text[..colon]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphabetic())
        .last()
        .map(|(i, _)| i)?;
    let scheme = text[start..colon].to_ascii_lowercase();
    if scheme == "mailto" || scheme == "xmpp" {
        return mail_scheme(text, start, colon);
    }
    if !matches!(scheme.as_str(), "http" | "https" | "ftp") || !text[colon..].starts_with("://") {
        return None;
    }
    let after = colon + 3;
    let domain_end = domain(&text[after..], true)?;
    let end = after + run_to_space(&text[after..], domain_end);
    let end = start + delimit(&text[start..], end - start);
    Some((start, end, "")).filter(|_| end > after)
}

/// `mailto:name@host` and `xmpp:name@host[/resource]`, linked as written.
fn mail_scheme(text: &str, start: usize, colon: usize) -> Option<(usize, usize, &'static str)> {
    let at = colon + 1 + text[colon + 1..].find('@')?;
    let local = &text[colon + 1..at];
    if local.is_empty() || !local.bytes().all(is_local_byte) {
        return None;
    }
    let (_, end) = email(text, at, colon + 1)?;
    let mut end = end;
    if text[start..colon].eq_ignore_ascii_case("xmpp") && text[end..].starts_with('/') {
        end += 1 + text[end + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '@' || c == '.'))
            .unwrap_or(text.len() - end - 1);
    }
    Some((start, end, ""))
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_')
}

/// An email address whose `@` is at `at` (not before `floor`); returns its
/// start and end.
fn email(text: &str, at: usize, floor: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > floor && is_local_byte(bytes[start - 1]) {
        start -= 1;
    }
    if start == at || (start > 0 && bytes[start - 1] == b'/') {
        return None;
    }
    let (mut end, mut dots) = (at + 1, 0);
    while end < bytes.len() {
        let c = bytes[end];
        if c == b'.' && end + 1 < bytes.len() && bytes[end + 1].is_ascii_alphanumeric() {
            dots += 1;
        } else if !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
            break;
        }
        end += 1;
    }
    let last = bytes[end - 1];
    if end - at < 2 || dots == 0 || !(last.is_ascii_alphabetic() || last == b'.') {
        return None;
    }
    let end = start + delimit(&text[start..], end - start);
    Some((start, end)).filter(|&(s, e)| e > at + 1 && s < at)
}

/// Length of the valid domain at the start of `s`: labels of letters,
/// digits, `-` and `_`, at least one `.` unless `allow_short`, and no `_`
/// in the last two labels.
fn domain(s: &str, allow_short: bool) -> Option<usize> {
    let (mut dots, mut underscores_prev, mut underscores_last) = (0, 0, 0);
    let mut end = s.len();
    for (i, c) in s.char_indices().skip(1) {
        if c == '_' {
            underscores_last += 1;
        } else if c == '.' {
            underscores_prev = underscores_last;
            underscores_last = 0;
            dots += 1;
        } else if c != '-' && (c.is_whitespace() || is_punctuation(c)) {
            end = i;
            break;
        }
    }
    if underscores_prev > 0 || underscores_last > 0 || s.is_empty() {
        return None;
    }
    (allow_short || dots > 0).then_some(end)
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii()
            && matches!(
                unicode_properties::UnicodeGeneralCategory::general_category_group(c),
                unicode_properties::GeneralCategoryGroup::Punctuation
            ))
}

/// Extends `end` to the next whitespace or `<`.
fn run_to_space(s: &str, end: usize) -> usize {
    s[end..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .map_or(s.len(), |i| end + i)
}

/// Trims trailing punctuation from the link `s[..end]`.
fn delimit(s: &str, mut end: usize) -> usize {
    let bytes = s.as_bytes();
    if let Some(lt) = s[..end].find('<') {
        end = lt;
    }
    let opening = s[..end].bytes().filter(|&b| b == b'(').count();
    let mut closing = s[..end].bytes().filter(|&b| b == b')').count();
    while end > 0 {
        match bytes[end - 1] {
            b')' if closing > opening => {
                closing -= 1;
                end -= 1;
            }
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b';' => {
                let mut j = end - 1;
                while j > 0 && bytes[j - 1].is_ascii_alphabetic() {
                    j -= 1;
                }
                end = if j > 0 && j < end - 1 && bytes[j - 1] == b'&' {
                    j - 1
                } else {
                    end - 1
                };
            }
            _ => break,
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = split(text, &mut 0)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Link { text, href } => Some((text.to_string(), href)),
                Piece::Text(_) => None,
            })
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn finds_www_urls_and_emails() {
        check(
            "see www.example.com, https://x.org/a?b. or me@example.com",
            &[
                ("www.example.com", "http://www.example.com"),
                ("https://x.org/a?b", "https://x.org/a?b"),
                ("me@example.com", "mailto:me@example.com"),
            ],
        );
    }

    #[test]
    fn balances_parentheses_and_drops_entities() {
        check(
            "(www.x.org/a) www.x.org/a)b) http://a.b/c&hl;",
            &[
                ("www.x.org/a", "http://www.x.org/a"),
                ("www.x.org/a)b", "http://www.x.org/a)b"),
                ("http://a.b/c", "http://a.b/c"),
            ],
        );
    }

    #[test]
    fn rejects_underscores_in_the_last_labels_and_unknown_schemes() {
        check("www.a_b.c xhttp://y.org a:www.x.com foo@bar", &[]);
    }

    #[test]
    fn plain_text_is_one_piece() {
        assert_eq!(
            split("no links here", &mut 0),
            vec![Piece::Text("no links here")]
        );
    }

    #[test]
    fn no_urls_inside_an_open_bracket_but_emails_yes() {
        check(
            "[Travel][https://x.org/t] hr@x.org] then https://y.org",
            &[
                ("hr@x.org", "mailto:hr@x.org"),
                ("https://y.org", "https://y.org"),
            ],
        );
    }
}
