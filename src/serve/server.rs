//! The HTTP server: answers requests from the in-memory `Output`.
//!
//! A fixed pool of worker threads takes requests from tiny_http, so one slow
//! client cannot stall the others; event streams are handed to threads of
//! their own. Safety comes from never touching the filesystem by request
//! path: a request path is decoded once, checked (no `..`, no encoded
//! slashes, backslashes or NUL) and looked up as a key of the `Output` map;
//! only files the build itself listed (`OutputFile::Copy`) are read from
//! disk. Only `GET` and `HEAD` are allowed, and the `Host` header must name
//! this server, which stops DNS-rebinding pages from reading the site. No
//! CORS headers are sent. Rendering and rebuilding are not done here.

use std::io::Cursor;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::diagnostic::Diagnostic;
use crate::output::Output;

use super::live::{self, Event, Live, LIVE_PATH};

/// Worker threads answering ordinary requests.
pub const WORKERS: usize = 8;

/// What the server shows, shared between the rebuild loop and the workers.
pub struct Shared {
    output: RwLock<Option<Arc<Output>>>,
    errors: RwLock<Option<Arc<Vec<Diagnostic>>>>,
    /// Bumped on every successful rebuild; pages carry it.
    generation: AtomicU64,
    pub live: Live,
    /// Accepted `Host` header values.
    hosts: Vec<String>,
}

impl Shared {
    pub fn new(addr: SocketAddr) -> Shared {
        let port = addr.port();
        let mut hosts = vec![
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            host_port(addr.ip(), port),
        ];
        if addr.ip().is_unspecified() || addr.ip().is_loopback() && addr.ip().is_ipv6() {
            hosts.push(format!("[::1]:{port}"));
        }
        Shared {
            output: RwLock::new(None),
            errors: RwLock::new(None),
            generation: AtomicU64::new(0),
            live: Live::default(),
            hosts,
        }
    }

    /// A successful build: serve `output`, clear the error, tell browsers.
    pub fn succeeded(&self, output: Arc<Output>, css_only: bool) {
        *self.output.write().unwrap_or_else(|e| e.into_inner()) = Some(output);
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) = None;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.live.send(Event {
            name: if css_only { "css" } else { "reload" },
            data: generation.to_string(),
        });
    }

    /// A failed build: keep serving the last good output with the overlay.
    pub fn failed(&self, errors: Vec<Diagnostic>) {
        let data = live::error_json(&errors);
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(errors));
        self.live.send(Event {
            name: "error",
            data,
        });
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

fn host_port(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    }
}

/// The address in the form browsers are pointed at.
pub fn url(addr: SocketAddr) -> String {
    format!("http://{}/", host_port(addr.ip(), addr.port()))
}

/// Binds `bind:port`, or the next free port when it is taken (up to 20
/// tries). Port 0 asks the system for any free port.
pub fn bind(bind: IpAddr, port: u16) -> std::io::Result<(tiny_http::Server, SocketAddr)> {
    let tries = if port == 0 { 1 } else { 20 };
    let mut last = None;
    for n in 0..tries {
        let Some(p) = port.checked_add(n) else { break };
        match std::net::TcpListener::bind(SocketAddr::new(bind, p)) {
            Ok(listener) => {
                no_delay(&listener);
                let addr = listener.local_addr()?;
                let server = tiny_http::Server::from_listener(listener, None)
                    .map_err(std::io::Error::other)?;
                return Ok((server, addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Turns off Nagle's algorithm for every connection accepted on `listener`
/// (Linux copies the option to accepted sockets). tiny_http writes a
/// response's headers and body separately, and with Nagle on, the body of
/// every response on a keep-alive connection waited for the browser's
/// delayed ACK: about 40 ms per request.
fn no_delay(listener: &std::net::TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let on: libc::c_int = 1;
        // SAFETY: a valid socket descriptor owned by `listener`, and a
        // pointer to a c_int of the size we pass.
        unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(unix))]
    let _ = listener;
}

/// Starts the worker threads; they run until the process ends.
pub fn start(server: tiny_http::Server, shared: Arc<Shared>) {
    let server = Arc::new(server);
    for n in 0..WORKERS {
        let (server, shared) = (server.clone(), shared.clone());
        std::thread::Builder::new()
            .name(format!("serve-{n}"))
            .spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(request, &shared);
                }
            })
            .expect("spawn a server thread");
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", content_type),
            header("Cache-Control", "no-cache"),
            header("X-Content-Type-Options", "nosniff"),
        ],
        Cursor::new(body.clone()),
        Some(body.len()),
        None,
    );
    let _ = request.respond(response);
}

fn plain(request: Request, status: u16, text: &str) {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        format!("{text}\n").into_bytes(),
    );
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("only GET and HEAD are allowed\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"))
            .with_header(header("Cache-Control", "no-cache"));
        let _ = request.respond(response);
        return;
    }
    let host_ok = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            let v = h.value.as_str().to_ascii_lowercase();
            shared.hosts.contains(&v)
        });
    if !host_ok {
        return plain(request, 403, "403 Forbidden: unknown Host");
    }
    let target = request.url().to_string();
    let path = match target.split_once(['?', '#']) {
        Some((p, _)) => p,
        None => target.as_str(),
    };
    if path == LIVE_PATH {
        return live_stream(request, shared);
    }
    let key = match request_key(path) {
        Ok(k) => k,
        Err(status) => return plain(request, status, &status_text(status)),
    };
    let output = shared
        .output
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let errors = shared
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let generation = shared.generation();
    let Some(output) = output else {
        // No build has succeeded yet: every page is the error page.
        let errors = errors.as_deref().map_or(&[][..], |e| e.as_slice());
        return respond(
            request,
            500,
            "text/html; charset=utf-8",
            live::failed_page(errors, generation),
        );
    };
    let serve_file = |request: Request, status: u16, key: &str| {
        let Some(file) = output.files.get(key) else {
            return plain(request, 404, "404 Not Found");
        };
        let bytes = match file.read() {
            Ok(b) => b,
            // A copied file deleted since the build: the rebuild is coming.
            Err(_) => return plain(request, 404, "404 Not Found"),
        };
        let content_type = content_type(key);
        let body = if content_type.starts_with("text/html") {
            live::inject(&bytes, generation, errors.as_deref().map(|e| e.as_slice()))
        } else {
            bytes.into_owned()
        };
        respond(request, status, content_type, body);
    };
    if output.files.contains_key(&key) {
        return serve_file(request, 200, &key);
    }
    // A folder asked for without its trailing slash.
    if !key.is_empty() && !key.ends_with("index.html") {
        let folder_index = format!("{key}/index.html");
        if output.files.contains_key(&folder_index) {
            let location = format!("{path}/");
            let response = Response::empty(StatusCode(308))
                .with_header(header("Location", &location))
                .with_header(header("Cache-Control", "no-cache"));
            let _ = request.respond(response);
            return;
        }
    }
    if output.files.contains_key("404.html") {
        serve_file(request, 404, "404.html")
    } else {
        plain(request, 404, "404 Not Found")
    }
}

fn status_text(status: u16) -> String {
    match status {
        400 => "400 Bad Request".into(),
        _ => format!("{status} Not Found"),
    }
}

/// The `Output` key for a request path, or the status to answer with.
///
/// The path is decoded exactly once. Anything that could name a file
/// outside the site, or that only an attack would send, is refused:
/// encoded `/` or `\`, backslashes, NUL and other control characters,
/// `.` and `..` segments, empty segments, paths not starting with `/`.
/// A double-encoded path decodes to a key with `%` in it, which matches no
/// output file.
pub fn request_key(path: &str) -> Result<String, u16> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(400);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(400);
    }
    let decoded = percent_decode(&path[1..]).ok_or(400u16)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(400);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." {
            return Err(400);
        }
        if s.is_empty() && i != last {
            return Err(404);
        }
        if s.contains(':') && i == 0 {
            // `C:`, `file:` and the like.
            return Err(404);
        }
    }
    Ok(if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    })
}

/// Strict `%XX` decoding to UTF-8; `None` for malformed escapes or bytes.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Hands an event stream to a thread of its own.
fn live_stream(request: Request, shared: &Shared) {
    let Some(events) = shared.live.subscribe() else {
        return plain(request, 503, "503 Too many live-reload connections");
    };
    let hello = Event {
        name: "hello",
        data: shared.generation().to_string(),
    };
    // Only a HEAD: answer the headers and no stream.
    if *request.method() == Method::Head {
        return respond(request, 200, "text/event-stream; charset=utf-8", Vec::new());
    }
    let mut first = vec![hello];
    // A page opened while the build is broken learns it at once.
    if let Some(errors) = shared
        .errors
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .as_deref()
    {
        first.push(Event {
            name: "error",
            data: live::error_json(errors),
        });
    }
    let writer = request.into_writer();
    let _ = std::thread::Builder::new()
        .name("serve-live".into())
        .spawn(move || live::stream(writer, events, first));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected: Result<&str, u16>) {
        assert_eq!(
            request_key(path).as_deref().map_err(|e| *e),
            expected,
            "{path}"
        );
    }

    #[test]
    fn request_paths_map_to_output_keys() {
        check("/", Ok("index.html"));
        check("/roles/", Ok("roles/index.html"));
        check("/roles", Ok("roles"));
        check("/style.css", Ok("style.css"));
        check("/img/my%20logo.png", Ok("img/my logo.png"));
        check("/caf%C3%A9/", Ok("café/index.html"));
    }

    #[test]
    fn traversal_and_encoding_tricks_are_refused() {
        check("/../secret.txt", Err(400));
        check("/a/../../secret.txt", Err(400));
        check("/%2e%2e/secret.txt", Err(400));
        check("/%2E%2E%2Fsecret.txt", Err(400));
        check("/..%2fsecret.txt", Err(400));
        check("/..%5csecret.txt", Err(400));
        check("/..\\secret.txt", Err(400));
        check("/a%00.html", Err(400));
        check("/./index.html", Err(400));
        check("//etc/passwd", Err(400));
        check("etc/passwd", Err(400));
        check("http://evil/", Err(400));
        check("/%ff", Err(400));
        check("/%zz", Err(400));
        check("/C:/Windows/win.ini", Err(404));
        // Double encoding decodes once, to a key no file has.
        check("/%252e%252e/secret.txt", Ok("%2e%2e/secret.txt"));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
