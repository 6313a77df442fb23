//! HTTP/1.1 on the wire for the preview server: parsing a request head with
//! size limits, and writing a response.
//!
//! Only what `handbook serve` needs: `GET` and `HEAD` without bodies,
//! keep-alive, responses with a `Content-Length`. The parser works on the
//! bytes received so far and says whether the head is complete, so the
//! connection loop (`conn`) never buffers more than `MAX_HEAD` bytes of a
//! request: a request line over `MAX_LINE` bytes is answered with 414, a
//! head over `MAX_HEAD` with 431. Routing and Host checks are not done here
//! (see `server`), nor is any socket handling beyond writing a response.

use std::io::Write;

/// Longest request line accepted (method, target, version).
pub(crate) const MAX_LINE: usize = 8 * 1024;
/// Longest request head accepted (request line and headers).
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Most header lines accepted.
const MAX_HEADERS: usize = 100;

/// Why a request is refused before it is routed; each has its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("400 Bad Request")]
    BadRequest,
    #[error("404 Not Found")]
    NotFound,
    #[error("414 URI Too Long")]
    UriTooLong,
    #[error("431 Request Header Fields Too Large")]
    HeadTooLarge,
    #[error("505 HTTP Version Not Supported")]
    VersionNotSupported,
}

impl Refusal {
    /// The HTTP status to answer with.
    pub(crate) fn status(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::NotFound => 404,
            Refusal::UriTooLong => 414,
            Refusal::HeadTooLarge => 431,
            Refusal::VersionNotSupported => 505,
        }
    }
}

/// A parsed request head.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Head {
    pub(crate) method: String,
    /// The request target as sent (`/path?query`).
    pub(crate) target: String,
    /// `HTTP/1.0` rather than 1.1: the connection closes after the answer.
    pub(crate) http10: bool,
    /// Header names lower-cased, values trimmed.
    pub(crate) headers: Vec<(String, String)>,
}

impl Head {
    /// The first header called `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client asks to keep the connection open afterwards.
    pub(crate) fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let says = |word: &str| connection.split(',').any(|t| t.trim() == word);
        if self.http10 {
            says("keep-alive")
        } else {
            !says("close")
        }
    }

    /// Whether a body follows the head (this server reads none, so the
    /// connection closes after the answer).
    pub(crate) fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header("content-length")
                .is_some_and(|v| v.trim() != "0")
    }
}

/// Parses the head at the start of `buf`: `Ok(None)` when more bytes are
/// needed, `Ok(Some((head, length)))` once complete, `Err(refusal)` (400,
/// 414, 431, 505) when the request must be refused.
pub(crate) fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, Refusal> {
    // Browsers may send a blank line between keep-alive requests.
    let skip = buf
        .iter()
        .take_while(|b| **b == b'\r' || **b == b'\n')
        .count();
    let buf = &buf[skip..];
    let Some(line_end) = buf.iter().position(|b| *b == b'\n') else {
        return if buf.len() > MAX_LINE {
            Err(Refusal::UriTooLong)
        } else {
            Ok(None)
        };
    };
    if line_end > MAX_LINE {
        return Err(Refusal::UriTooLong);
    }
    let Some(end) = find_end(buf) else {
        return if buf.len() > MAX_HEAD {
            Err(Refusal::HeadTooLarge)
        } else {
            Ok(None)
        };
    };
    if end > MAX_HEAD {
        return Err(Refusal::HeadTooLarge);
    }
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| Refusal::BadRequest)?;
    let mut lines = text.lines();
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::BadRequest);
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => return Err(Refusal::VersionNotSupported),
        _ => return Err(Refusal::BadRequest),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Refusal::BadRequest);
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(Refusal::BadRequest)?;
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(Refusal::BadRequest);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        if headers.len() > MAX_HEADERS {
            return Err(Refusal::HeadTooLarge);
        }
    }
    let head = Head {
        method: method.to_string(),
        target: target.to_string(),
        http10,
        headers,
    };
    Ok(Some((head, skip + end)))
}

/// The length of the head including its blank line, if it is complete.
fn find_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(n) = buf[i..].iter().position(|b| *b == b'\n') {
        let next = i + n + 1;
        match buf.get(next) {
            Some(b'\n') => return Some(next + 1),
            Some(b'\r') if buf.get(next + 1) == Some(&b'\n') => return Some(next + 2),
            _ => i = next,
        }
    }
    None
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-cache".into()),
                ("X-Content-Type-Options", "nosniff".into()),
            ],
            body,
        }
    }

    /// A short plain-text answer (`text` plus a newline).
    pub(crate) fn plain(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into_bytes(),
        )
    }

    pub(crate) fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }

    /// The bytes on the wire: status line, headers, and the body unless
    /// `head_only`.
    pub(crate) fn to_bytes(&self, head_only: bool, keep_alive: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        if !keep_alive {
            out.push_str("Connection: close\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }

    /// Writes the response in one go (headers and body together, so no
    /// small-packet delay splits them).
    pub(crate) fn write(&self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> bool {
        out.write_all(&self.to_bytes(head_only, keep_alive))
            .and_then(|_| out.flush())
            .is_ok()
    }
}

/// The reason phrase for the statuses this server sends.
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_head_parses_with_lower_case_names() {
        let raw = b"GET /a/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nX-Thing:  v \r\n\r\nrest";
        let (head, len) = parse_head(raw).unwrap().unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.target, "/a/?q=1");
        assert_eq!(head.header("host"), Some("localhost:1111"));
        assert_eq!(head.header("x-thing"), Some("v"));
        assert_eq!(&raw[len..], b"rest");
        assert!(head.keep_alive());
    }

    #[test]
    fn partial_heads_wait_for_more() {
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\nHost: x"), Ok(None));
        assert_eq!(parse_head(b"GET / HT"), Ok(None));
        assert_eq!(parse_head(b""), Ok(None));
    }

    #[test]
    fn limits_give_414_and_431() {
        let long_line = vec![b'a'; MAX_LINE + 1];
        assert_eq!(parse_head(&long_line), Err(Refusal::UriTooLong));
        let mut big = b"GET / HTTP/1.1\r\n".to_vec();
        while big.len() <= MAX_HEAD {
            big.extend_from_slice(b"X-Filler: 0123456789abcdef0123456789\r\n");
        }
        assert_eq!(parse_head(&big), Err(Refusal::HeadTooLarge));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: 1\r\n")).collect();
        let raw = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(parse_head(raw.as_bytes()), Err(Refusal::HeadTooLarge));
    }

    #[test]
    fn malformed_heads_are_400_or_505() {
        assert_eq!(parse_head(b"GET /\r\n\r\n"), Err(Refusal::BadRequest));
        assert_eq!(
            parse_head(b"GET / HTTP/2.0\r\n\r\n"),
            Err(Refusal::VersionNotSupported)
        );
        assert_eq!(
            parse_head(b"get / HTTP/1.1\r\n\r\n"),
            Err(Refusal::BadRequest)
        );
        assert_eq!(
            parse_head(b"GET / HTTP/1.1\r\nno colon\r\n\r\n"),
            Err(Refusal::BadRequest)
        );
        assert_eq!(
            parse_head(b"GET  / HTTP/1.1\r\n\r\n"),
            Err(Refusal::BadRequest)
        );
    }

    #[test]
    fn connection_header_and_version_decide_keep_alive() {
        let head = |raw: &[u8]| parse_head(raw).unwrap().unwrap().0;
        assert!(!head(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive());
        assert!(!head(b"GET / HTTP/1.0\r\n\r\n").keep_alive());
        assert!(head(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive());
        assert!(head(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").has_body());
    }

    #[test]
    fn responses_carry_length_and_close() {
        let r = Response::plain(404, "404 Not Found");
        let text = String::from_utf8(r.to_bytes(false, false)).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 14\r\n"), "{text}");
        assert!(text.contains("Connection: close\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n404 Not Found\n"), "{text}");
        let head = String::from_utf8(r.to_bytes(true, true)).unwrap();
        assert!(
            head.ends_with("\r\n\r\n") && !head.contains("close"),
            "{head}"
        );
    }
}
