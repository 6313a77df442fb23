//! Test harness: a fixture site in a temp dir, the real `handbook` binary,
//! and parsed output to assert on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) use scraper::{Html, Selector};

pub(crate) struct TestSite {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn fails(&self) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_handbook")
}

impl TestSite {
    pub(crate) fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub(crate) fn file(&self, rel: &str, content: &str) -> &Self {
        self.bytes(rel, content.as_bytes())
    }

    pub(crate) fn bytes(&self, rel: &str, content: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub(crate) fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    /// Runs `handbook <args…>` in the site root.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(bin())
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run handbook");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Parsed HTML of an output file under `public/`.
    pub(crate) fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(&format!("public/{rel}")))
    }

    /// Every file under `dir` with its bytes, for byte-for-byte comparisons.
    pub(crate) fn snapshot(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(dir);
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(&base).into_iter().flatten() {
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
        out
    }
}

/// Text of every element matching `selector`.
pub(crate) fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// One attribute of every element matching `selector`.
pub(crate) fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[track_caller]
pub(crate) fn one_text(doc: &Html, selector: &str) -> String {
    let t = texts(doc, selector);
    assert_eq!(t.len(), 1, "expected one {selector}, found {t:?}");
    t.into_iter().next().unwrap()
}

/// Checks that every internal `href`/`src` in every HTML file under
/// `public/` points at a written file, and every fragment at an element id.
/// Returns the number of links checked.
pub(crate) fn assert_links_resolve(site: &TestSite, base_path: &str) -> usize {
    let public = site.path("public");
    let files = site.snapshot("public");
    let decode = |s: &str| handbook::content::slug::decode_percent(s);
    let mut ids_cache: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids_of = |file: &str| -> Vec<String> {
        ids_cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let doc = Html::parse_document(&String::from_utf8_lossy(&files[file]));
                attrs(&doc, "[id]", "id")
                    .into_iter()
                    .chain(attrs(&doc, "a[name]", "name"))
                    .collect()
            })
            .clone()
    };
    let mut checked = 0;
    let mut problems = Vec::new();
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let links = attrs(&doc, "[href]", "href")
            .into_iter()
            .chain(attrs(&doc, "[src]", "src"));
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                rel.clone()
            } else if !path.starts_with('/') {
                // Relative (a build without base_url): from the page's folder.
                let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
                for seg in path.split('/') {
                    match seg {
                        "." | "" => {}
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let p = decode(&parts.join("/"));
                if path.ends_with('/') {
                    format!("{p}/index.html")
                } else {
                    p
                }
            } else {
                let Some(p) = path.strip_prefix(base_path) else {
                    problems.push(format!(
                        "{rel}: {link} does not start with the base path {base_path}"
                    ));
                    continue;
                };
                let p = decode(p);
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p
                }
            };
            checked += 1;
            if !public.join(&target).is_file() {
                problems.push(format!("{rel}: {link} → missing file {target}"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                if target.ends_with(".html") && f != "top" && !ids_of(&target).contains(&decode(&f))
                {
                    problems.push(format!("{rel}: {link} → no id {f} in {target}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "unresolved links:\n{}",
        problems.join("\n")
    );
    checked
}

/// A running `handbook serve` on an ephemeral port; killed on drop.
pub(crate) struct Served {
    child: std::process::Child,
    /// What the server printed before its address.
    pub before: Vec<String>,
    pub url: String,
    pub addr: std::net::SocketAddr,
    /// Lines the server printed after "Serving on" (stderr ones start
    /// with `stderr: `).
    pub lines: std::sync::Mutex<std::sync::mpsc::Receiver<String>>,
}

/// An HTTP response as read off the wire.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }
}

impl TestSite {
    /// Starts `handbook serve --port 0 --root <root>/<dir> <extra…>` (no
    /// `--port 0` if `extra` has a `--port`) and waits for the address it
    /// prints.
    pub(crate) fn serve_dir(&self, dir: &str, extra: &[&str]) -> Served {
        use std::io::BufRead;
        let root = self.path(dir);
        let port: &[&str] = if extra.contains(&"--port") {
            &[]
        } else {
            &["--port", "0"]
        };
        let mut child = Command::new(bin())
            .arg("serve")
            .args(port)
            .arg("--root")
            .arg(&root)
            .args(extra)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start handbook serve");
        // stdout and stderr lines, in one channel (stderr lines marked).
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx2.send(format!("stderr: {line}")).is_err() {
                    break;
                }
            }
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut seen = Vec::new();
        let url = loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => match line.strip_prefix("Serving on ") {
                    Some(url) => break url.trim().to_string(),
                    None => seen.push(line),
                },
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "handbook serve printed no address; it said:\n{}",
                        seen.join("\n")
                    );
                }
            }
        };
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("bad address in {url:?}: {e}"));
        Served {
            child,
            before: seen,
            url,
            addr,
            lines: std::sync::Mutex::new(rx),
        }
    }

    /// `serve_dir` for the site at the temp dir's root.
    pub(crate) fn serve(&self) -> Served {
        self.serve_dir(".", &[])
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// The server's process id (for /proc/PID/status).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The `Host` header value browsers send for this server.
    pub(crate) fn host(&self) -> String {
        self.addr.to_string()
    }

    /// Sends `raw` as is (one request, ending with a blank line) and reads
    /// the response until the server closes the connection.
    pub(crate) fn raw(&self, raw: &[u8]) -> HttpResponse {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        stream.write_all(raw).unwrap();
        let mut bytes = Vec::new();
        let mut buf = [0u8; 16384];
        // Read the head, then exactly Content-Length bytes (or to EOF).
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(e) => panic!(
                    "reading response to {:?}: {e}",
                    String::from_utf8_lossy(raw)
                ),
            }
            if let Some(r) = parse_response(&bytes) {
                if r.1 {
                    return r.0;
                }
            }
        }
        parse_response(&bytes)
            .unwrap_or_else(|| panic!("no HTTP response in {:?}", String::from_utf8_lossy(&bytes)))
            .0
    }

    /// `method path` with this server's Host header.
    pub(crate) fn request(&self, method: &str, path: &str) -> HttpResponse {
        self.raw(
            format!(
                "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.host()
            )
            .as_bytes(),
        )
    }

    pub(crate) fn get(&self, path: &str) -> HttpResponse {
        self.request("GET", path)
    }

    /// Opens the live-reload event stream.
    pub(crate) fn events(&self) -> EventStream {
        EventStream::open(self.addr, &self.host())
    }
}

/// Parses a response; the flag says whether the body is complete.
pub(crate) fn parse_response(bytes: &[u8]) -> Option<(HttpResponse, bool)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = bytes[end + 4..].to_vec();
    let complete = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .is_some_and(|len| body.len() >= len);
    Some((
        HttpResponse {
            status,
            headers,
            body,
        },
        complete,
    ))
}

/// A server-sent event stream, read line by line.
pub(crate) struct EventStream {
    reader: std::io::BufReader<std::net::TcpStream>,
    pub status: u16,
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SseEvent {
    pub name: String,
    pub data: String,
}

impl EventStream {
    pub(crate) fn open(addr: std::net::SocketAddr, host: &str) -> EventStream {
        use std::io::{BufRead, Write};
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /__handbook/live HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = std::io::BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).unwrap();
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        EventStream { reader, status }
    }

    /// The next event (comments and `retry` skipped); panics after 20 s.
    pub(crate) fn next(&mut self) -> SseEvent {
        use std::io::BufRead;
        let (mut name, mut data) = (String::from("message"), Vec::new());
        let mut any = false;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            // Keep-alive comments must not extend the wait forever.
            assert!(std::time::Instant::now() < deadline, "no event within 20 s");
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("no event within the timeout: {e}"));
            assert!(n > 0, "the event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if any {
                    return SseEvent {
                        name,
                        data: data.join("\n"),
                    };
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
                any = true;
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                any = true;
            }
        }
    }

    /// Skips events until one named `name`; returns it.
    pub(crate) fn wait_for(&mut self, name: &str) -> SseEvent {
        let mut skipped = Vec::new();
        for _ in 0..50 {
            let e = self.next();
            if e.name == name {
                return e;
            }
            skipped.push(e);
        }
        panic!("no {name} event; got {skipped:?}");
    }
}

/// A `site.toml` for careers tests: `head` (title, base_url, organization)
/// first, then `[careers]` with `careers` in it, the Engineering and Design
/// tracks, and a `[[careers.levels]]` for each (id, name), lowest first.
pub(crate) fn careers_config(head: &str, careers: &str, levels: &[(&str, &str)]) -> String {
    let mut toml = format!("{}\n\n[careers]\n{}\n", head.trim(), careers.trim());
    for (id, name) in [("engineering", "Engineering"), ("design", "Design")] {
        toml += &format!("\n[[careers.tracks]]\nid = \"{id}\"\nname = \"{name}\"\n");
    }
    for (id, name) in levels {
        toml += &format!("\n[[careers.levels]]\nid = \"{id}\"\nname = \"{name}\"\n");
    }
    toml
}

/// A site with more pages than the inline-sidebar limit: six sections of 90
/// pages each.
pub(crate) fn large_site() -> TestSite {
    let site = TestSite::new();
    for s in 0..6 {
        site.file(
            &format!("content/section-{s}/_index.md"),
            &format!("# Section {s}\n"),
        );
        for p in 0..90 {
            site.file(
                &format!("content/section-{s}/page-{p:02}.md"),
                &format!("# Page {s}.{p:02}\n\nText.\n"),
            );
        }
    }
    site
}
