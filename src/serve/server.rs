//! The HTTP server: answers requests from the in-memory `Output`.
//!
//! Connections are accepted and read by `conn` (an event loop and a fixed
//! pool of workers, with size limits and an idle timeout); this module
//! decides what each request gets. Safety comes from never touching the
//! filesystem by request path: a request path is decoded once, checked (no
//! `..`, no encoded slashes, backslashes or NUL) and looked up as a key of
//! the `Output` map; only files the build itself listed (`OutputFile::Copy`)
//! are read from disk. Only `GET` and `HEAD` are allowed, and the `Host`
//! header must name this server (see `Hosts`), which stops DNS-rebinding
//! pages from reading the site. No CORS headers are sent. Rendering and
//! rebuilding are not done here.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::diagnostic::Diagnostic;
use crate::output::Output;

use super::conn::{self, Conn};
pub(crate) use super::http::Refusal;
use super::http::{self, Head, Response};
use super::live::{self, Event, Live, LIVE_PATH};

/// What the server shows, shared between the rebuild loop and the workers.
pub(crate) struct Shared {
    output: RwLock<Option<Arc<Output>>>,
    errors: RwLock<Option<Arc<Vec<Diagnostic>>>>,
    /// Bumped on every successful rebuild; pages carry it.
    generation: AtomicU64,
    pub(crate) live: Live,
    hosts: Hosts,
}

impl Shared {
    /// Serving on `addr`, accepting the `Host` names of `hosts`.
    pub(crate) fn new(hosts: Hosts) -> Shared {
        Shared {
            output: RwLock::new(None),
            errors: RwLock::new(None),
            generation: AtomicU64::new(0),
            live: Live::default(),
            hosts,
        }
    }

    /// A successful build: serve `output`, clear the error, tell browsers.
    pub(crate) fn succeeded(&self, output: Arc<Output>, css_only: bool) {
        *self
            .output
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(output);
        *self
            .errors
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.live.send(Event {
            name: if css_only { "css" } else { "reload" },
            data: generation.to_string(),
        });
    }

    /// A failed build: keep serving the last good output with the overlay.
    pub(crate) fn failed(&self, errors: Vec<Diagnostic>) {
        let data = live::error_json(&errors);
        *self
            .errors
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(errors));
        self.live.send(Event {
            name: "error",
            data,
        });
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// The `Host` header values the server answers. A page on another site
/// whose name was pointed at this machine (DNS rebinding) sends its own
/// name and is refused.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    port: u16,
    /// Names of this machine, lower case, without port.
    names: Vec<String>,
    /// `--allow-host` names: any port, or exactly as given with one.
    extra: Vec<String>,
}

impl Hosts {
    /// `localhost` and the loopback addresses; the bind address; for a
    /// non-loopback bind, this machine's host name (and `NAME.local`); and
    /// `allow`. Whatever address a client connected to is accepted as well
    /// (see `allows`).
    pub(crate) fn new(addr: SocketAddr, allow: &[String]) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .map(String::from)
            .to_vec();
        names.push(ip_name(addr.ip()));
        if !addr.ip().is_loopback() {
            if let Some(host) = host_name() {
                names.push(format!("{host}.local"));
                names.push(host);
            }
        }
        names.sort();
        names.dedup();
        Hosts {
            port: addr.port(),
            names,
            extra: allow
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// The names accepted, for the warning printed on a LAN bind.
    pub(crate) fn names(&self) -> Vec<String> {
        self.names.iter().chain(&self.extra).cloned().collect()
    }

    /// Whether `host` (a `Host` header) names this server, for a client
    /// that connected to `local`. Without a port the host means port 80.
    pub(crate) fn allows(&self, host: &str, local: SocketAddr) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = split_host(&host);
        if self.extra.iter().any(|e| *e == host || *e == name) {
            return true;
        }
        let port_ok = match port {
            Some(p) => p.parse::<u16>() == Ok(self.port),
            None => self.port == 80,
        };
        port_ok && (self.names.iter().any(|n| n == name) || name == ip_name(local.ip()))
    }
}

/// `host[:port]` or `[v6]:port` split into name and port.
fn split_host(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(i) => (&host[..=i], host[i + 1..].strip_prefix(':')),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => format!("[{v6}]"),
        },
    }
}

/// This machine's host name, lower case, if it can be found.
pub(crate) fn host_name() -> Option<String> {
    let from_env = std::env::var("COMPUTERNAME").ok();
    let from_file = || {
        ["/proc/sys/kernel/hostname", "/etc/hostname"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
    };
    let from_command = || {
        std::process::Command::new("hostname")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    from_env
        .or_else(from_file)
        .or_else(from_command)
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
}

fn host_port(ip: IpAddr, port: u16) -> String {
    format!("{}:{port}", ip_name(ip))
}

/// The address in the form browsers are pointed at.
pub(crate) fn url(addr: SocketAddr) -> String {
    format!("http://{}/", host_port(addr.ip(), addr.port()))
}

/// This machine's address on the network, as others would reach it (the
/// one the system would send from; no packet is sent).
pub(crate) fn lan_address() -> Option<IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:80").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Binds `bind:port`, or the next free port when it is taken (up to 20
/// tries). Port 0 asks the system for any free port.
pub(crate) fn bind(bind: IpAddr, port: u16) -> std::io::Result<(TcpListener, SocketAddr)> {
    let tries = if port == 0 { 1 } else { 20 };
    let mut last = None;
    for n in 0..tries {
        let Some(p) = port.checked_add(n) else { break };
        match TcpListener::bind(SocketAddr::new(bind, p)) {
            Ok(listener) => {
                let addr = listener.local_addr()?;
                return Ok((listener, addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Starts the connection loop, the workers and the keep-alive ticker; they
/// run until the process ends.
pub(crate) fn start(listener: TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let ticker = shared.clone();
    std::thread::Builder::new()
        .name("serve-keep-alive".into())
        .spawn(move || loop {
            std::thread::sleep(live::KEEP_ALIVE);
            ticker.live.keep_alive();
        })?;
    conn::start(
        listener,
        Arc::new(move |conn: Conn| serve_connection(conn, &shared)),
    )
}

/// What a request gets.
enum Reply {
    Page(Response),
    /// An event stream, with the events to send first.
    Live(Vec<Event>),
}

/// Answers every complete request in `conn.buf`; returns the connection
/// when it stays open for more.
fn serve_connection(mut conn: Conn, shared: &Shared) -> Option<Conn> {
    use std::io::Write;
    loop {
        let (head, len) = match http::parse_head(&conn.buf) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return Some(conn),
            Err(refusal) => {
                Response::plain(refusal.status(), &refusal.to_string()).write(
                    &mut conn.stream,
                    false,
                    false,
                );
                return None;
            }
        };
        conn.buf.drain(..len);
        let keep_alive = head.keep_alive() && !head.has_body();
        let head_only = head.method == "HEAD";
        match handle(&head, conn.local, shared) {
            Reply::Page(response) => {
                if !response.write(&mut conn.stream, head_only, keep_alive) || !keep_alive {
                    let _ = conn.stream.flush();
                    return None;
                }
            }
            Reply::Live(first) => {
                let refused =
                    shared
                        .live
                        .subscribe(conn.stream.try_clone().ok()?, conn.peer.ip(), &first);
                if refused == Err(live::Refused::Full) {
                    Response::plain(503, "503 Too many live-reload connections").write(
                        &mut conn.stream,
                        false,
                        false,
                    );
                }
                return None;
            }
        }
    }
}

fn handle(head: &Head, local: SocketAddr, shared: &Shared) -> Reply {
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        return Reply::Page(
            Response::plain(405, "only GET and HEAD are allowed").with("Allow", "GET, HEAD"),
        );
    }
    let host_ok = head
        .header("host")
        .is_some_and(|h| shared.hosts.allows(h, local));
    if !host_ok {
        return Reply::Page(Response::plain(403, "403 Forbidden: unknown Host"));
    }
    let path = match head.target.split_once(['?', '#']) {
        Some((p, _)) => p,
        None => head.target.as_str(),
    };
    if path == LIVE_PATH {
        if head.method == "HEAD" {
            // Only the headers, no stream.
            return Reply::Page(Response::new(
                200,
                "text/event-stream; charset=utf-8",
                Vec::new(),
            ));
        }
        return Reply::Live(first_events(shared));
    }
    Reply::Page(match request_key(path) {
        Ok(key) => page(path, &key, shared),
        Err(refusal) => Response::plain(refusal.status(), &refusal.to_string()),
    })
}

/// `hello` with the generation, and `error` while the build is broken, so
/// a page opened then learns it at once.
fn first_events(shared: &Shared) -> Vec<Event> {
    let mut first = vec![Event {
        name: "hello",
        data: shared.generation().to_string(),
    }];
    if let Some(errors) = shared
        .errors
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_deref()
    {
        first.push(Event {
            name: "error",
            data: live::error_json(errors),
        });
    }
    first
}

/// The response for output key `key` (request path `path`).
fn page(path: &str, key: &str, shared: &Shared) -> Response {
    let output = shared
        .output
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let errors = shared
        .errors
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let generation = shared.generation();
    let Some(output) = output else {
        // No build has succeeded yet: every page is the error page.
        let errors = errors.as_deref().map_or(&[][..], |e| e.as_slice());
        return Response::new(
            500,
            "text/html; charset=utf-8",
            live::failed_page(errors, generation),
        );
    };
    let serve_file = |status: u16, key: &str| {
        let file = output.get(key);
        let bytes = match file.as_ref().map(|f| (f, f.read())) {
            Some((_, Ok(bytes))) => bytes,
            // A page rendered on request whose template failed: the error
            // page, which reloads when a rebuild fixes it.
            Some((super::super::output::OutputFile::Lazy(lazy), Err(_))) => {
                let error = lazy.get().err().cloned().into_iter().collect::<Vec<_>>();
                return Response::new(
                    500,
                    "text/html; charset=utf-8",
                    live::failed_page(&error, generation),
                );
            }
            // Unknown, or a copied file deleted since the build: the
            // rebuild is coming.
            _ => return Response::plain(404, "404 Not Found"),
        };
        let content_type = content_type(key);
        let body = if content_type.starts_with("text/html") {
            live::inject(
                &bytes,
                generation,
                errors.as_deref().map(std::vec::Vec::as_slice),
            )
        } else {
            bytes.into_owned()
        };
        Response::new(status, content_type, body)
    };
    if output.get(key).is_some() {
        return serve_file(200, key);
    }
    // A folder asked for without its trailing slash.
    if !key.is_empty() && !key.ends_with("index.html") {
        let folder_index = format!("{key}/index.html");
        if output.get(&folder_index).is_some() {
            let mut r = Response::new(308, "text/plain; charset=utf-8", Vec::new());
            r.headers.push(("Location", format!("{path}/")));
            return r;
        }
    }
    if output.files.contains_key("404.html") {
        serve_file(404, "404.html")
    } else {
        Response::plain(404, "404 Not Found")
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
///
/// `/roles/` is `roles/index.html`, `/caf%C3%A9.png` is `café.png`, and
/// `/../etc/passwd` is refused as a bad request (tests below).
pub(crate) fn request_key(path: &str) -> Result<String, Refusal> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(Refusal::BadRequest);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_decode(&path[1..]).ok_or(Refusal::BadRequest)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Refusal::BadRequest);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." {
            return Err(Refusal::BadRequest);
        }
        if s.is_empty() && i != last {
            return Err(Refusal::NotFound);
        }
        if s.contains(':') && i == 0 {
            // `C:`, `file:` and the like.
            return Err(Refusal::NotFound);
        }
    }
    Ok(if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    })
}

/// Strict `%XX` decoding to UTF-8; `None` for malformed escapes or bytes.
/// (`percent-encoding` keeps a malformed escape as written, which a
/// request path must not get away with.)
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// The `Content-Type` for an output path.
pub(crate) fn content_type(path: &str) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected: Result<&str, u16>) {
        assert_eq!(
            request_key(path).as_deref().map_err(|e| e.status()),
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
    fn hosts_name_this_server_with_its_port() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let hosts = Hosts::new(local, &[]);
        assert!(hosts.allows("localhost:1111", local));
        assert!(hosts.allows("LOCALHOST:1111", local));
        assert!(hosts.allows("[::1]:1111", local));
        assert!(!hosts.allows("localhost", local));
        assert!(!hosts.allows("localhost:1112", local));
        assert!(!hosts.allows("evil.example:1111", local));
        assert!(!hosts.allows("", local));
    }

    #[test]
    fn a_host_without_port_means_port_80() {
        let local: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let hosts = Hosts::new(local, &[]);
        assert!(hosts.allows("localhost", local));
        assert!(hosts.allows("127.0.0.1", local));
        assert!(hosts.allows("localhost:80", local));
        assert!(!hosts.allows("evil.example", local));
    }

    #[test]
    fn a_lan_bind_accepts_the_address_connected_to_and_allowed_names() {
        let bind: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        let hosts = Hosts::new(bind, &["Preview.Example".to_string()]);
        let lan: SocketAddr = "192.168.1.20:1111".parse().unwrap();
        assert!(hosts.allows("192.168.1.20:1111", lan));
        assert!(!hosts.allows("192.168.1.21:1111", lan));
        assert!(hosts.allows("preview.example", lan));
        assert!(hosts.allows("preview.example:8443", lan));
        assert!(!hosts.allows("rebind.attacker.example:1111", lan));
        if let Some(name) = host_name() {
            assert!(hosts.allows(&format!("{name}:1111"), lan));
            assert!(hosts.allows(&format!("{name}.local:1111"), lan));
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
