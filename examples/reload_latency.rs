//! Measures `handbook serve`'s edit latency: for each kind of edit, the time
//! from the save to the `reload` event on `/__handbook/live`, and to the
//! edited page (or the list page that shows the change) being served with
//! the new content, optionally against `zola serve` in the same run.
//!
//! Generates a site of `--pages` pages (default 10,000) unless `--corpus DIR`
//! names an existing site root, starts `handbook serve --port 0` on it, then
//! makes `--edits` edits of each kind in `--kinds` (default `body`, the
//! benchmark's first mode; `all` for every kind) and prints a markdown table
//! of medians and 90th percentiles, then each server's resident memory and
//! CPU time (Linux). With `--zola BIN --zola-corpus DIR` (the Zola flavor of
//! the same `bench/gen_corpus.py` corpus) it also starts `zola serve` and
//! makes every edit on both servers in turn, so whatever else the machine
//! does falls on both alike; Zola's reload is the `reload` command on its
//! livereload WebSocket. `--before BIN` adds an earlier handbook binary,
//! serving a copy of the site, for a before/after comparison in one run.
//! Run it through `bench/reload_latency.sh` (body edits) or
//! `bench/serve_edits.sh` (every kind, against Zola), which build the
//! release binary first. It measures; it does not check a site's output
//! beyond the one string each edit must make appear or disappear.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Body,
    Title,
    Weight,
    Draft,
    Role,
    NewPage,
    Rename,
    Delete,
    Folder,
    Template,
    Config,
}

const ALL: [Kind; 11] = [
    Kind::Body,
    Kind::Title,
    Kind::Weight,
    Kind::Draft,
    Kind::Role,
    Kind::NewPage,
    Kind::Rename,
    Kind::Delete,
    Kind::Folder,
    Kind::Template,
    Kind::Config,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Body => "body",
            Kind::Title => "title",
            Kind::Weight => "weight",
            Kind::Draft => "draft",
            Kind::Role => "role",
            Kind::NewPage => "new",
            Kind::Rename => "rename",
            Kind::Delete => "delete",
            Kind::Folder => "folder",
            Kind::Template => "template",
            Kind::Config => "config",
        }
    }

    /// What the table's row says the edit is and where the change is checked.
    fn describe(self) -> &'static str {
        match self {
            Kind::Body => "body text → the page",
            Kind::Title => "title → section list",
            Kind::Weight => "weight (order) → section list",
            Kind::Draft => "draft on/off → section list",
            Kind::Role => "role data (salary) → the role page",
            Kind::NewPage => "new page → section list",
            Kind::Rename => "renamed page → its new URL",
            Kind::Delete => "deleted page → section list",
            Kind::Folder => "new folder (section + page) → its page",
            Kind::Template => "page template → the page",
            Kind::Config => "site config title → the page",
        }
    }
}

struct Args {
    corpus: Option<PathBuf>,
    pages: usize,
    edits: usize,
    bin: PathBuf,
    kinds: Vec<Kind>,
    zola: Option<PathBuf>,
    zola_corpus: Option<PathBuf>,
    before: Option<PathBuf>,
    timeout: Duration,
}

fn args() -> Args {
    let mut a = Args {
        corpus: None,
        pages: 10_000,
        edits: 30,
        bin: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/release/handbook"
        )),
        kinds: vec![Kind::Body],
        zola: None,
        zola_corpus: None,
        before: None,
        timeout: Duration::from_secs(30),
    };
    if let Ok(dir) = std::env::var("CARGO_TARGET_DIR") {
        a.bin = Path::new(&dir).join("release/handbook");
    }
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => a.corpus = Some(PathBuf::from(value())),
            "--pages" => a.pages = value().parse().expect("--pages N"),
            "--edits" => a.edits = value().parse().expect("--edits N"),
            "--bin" => a.bin = PathBuf::from(value()),
            "--kinds" => a.kinds = parse_kinds(&value()),
            "--zola" => a.zola = Some(PathBuf::from(value())),
            "--zola-corpus" => a.zola_corpus = Some(PathBuf::from(value())),
            "--before" => a.before = Some(PathBuf::from(value())),
            "--timeout" => {
                a.timeout = Duration::from_secs(value().parse().expect("--timeout SECONDS"));
            }
            other => panic!(
                "unknown argument {other}; use --corpus DIR --pages N --edits N --bin PATH \
                 --kinds all|body,title,... --zola BIN --zola-corpus DIR --before BIN --timeout SECONDS"
            ),
        }
    }
    assert!(
        a.zola.is_some() == a.zola_corpus.is_some(),
        "--zola and --zola-corpus go together"
    );
    a
}

fn parse_kinds(list: &str) -> Vec<Kind> {
    if list == "all" {
        return ALL.to_vec();
    }
    let mut kinds: Vec<Kind> = list
        .split(',')
        .map(|name| {
            *ALL.iter()
                .find(|k| k.name() == name.trim())
                .unwrap_or_else(|| {
                    let names: Vec<_> = ALL.iter().map(|k| k.name()).collect();
                    panic!("unknown edit kind {name}; known: all, {}", names.join(", "))
                })
        })
        .collect();
    kinds.sort_by_key(|k| ALL.iter().position(|a| a == k));
    kinds.dedup();
    kinds
}

/// A site of `pages` pages in folders of 100, each a few paragraphs with
/// headings, a code-free body and links to its neighbours.
fn generate(root: &Path, pages: usize) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Reload latency corpus\"\nbase_url = \"https://example.com/\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        "+++\ntitle = \"Home\"\n+++\nA generated handbook.\n",
    )
    .unwrap();
    let per = 100;
    for s in 0..pages.div_ceil(per) {
        let dir = root.join(format!("content/area-{s:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("_index.md"),
            format!("+++\ntitle = \"Area {s}\"\n+++\nPages about area {s}.\n"),
        )
        .unwrap();
        for p in 0..per.min(pages - s * per) {
            let next = (p + 1) % per.min(pages - s * per);
            let mut body = format!(
                "+++\ntitle = \"Topic {s}-{p}\"\ndescription = \"How area {s} handles topic {p}.\"\nweight = {p}\n+++\n\n"
            );
            for h in 0..4 {
                body.push_str(&format!(
                    "## Part {h}\n\nThis part explains how we approach topic {p} in area {s}, \
                     who owns it and where to ask. See [the next topic](topic-{next:03}.md#part-{h}).\n\n\
                     - First point about part {h}\n- Second point, with *emphasis*\n\n"
                ));
            }
            std::fs::write(dir.join(format!("topic-{p:03}.md")), body).unwrap();
        }
    }
}

/// The median (the mean of the middle two for an even count) or, for any
/// other `p`, the nearest-rank percentile.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if p == 0.5 && n % 2 == 0 {
        return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
    let i = ((n - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// The files the edits touch, as paths relative to the content folder (the
/// same in the handbook and Zola flavors of one corpus).
struct Plan {
    /// An ordinary page, edited in place (body, title, weight).
    page: String,
    /// Another page of the same folder, for the order check.
    sibling: String,
    /// The folder of both, which has an `_index.md` listing them.
    section: String,
    /// A page with role data and a `max = N` salary, if the site has one.
    role: Option<String>,
}

fn is_page(name: &str) -> bool {
    name.ends_with(".md") && !["_index.md", "index.md", "README.md"].contains(&name)
}

fn plan(content: &Path) -> Plan {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let rel = |p: &Path| {
        p.strip_prefix(content)
            .unwrap()
            .to_string_lossy()
            .to_string()
    };
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();
    let (page, sibling) = files
        .windows(2)
        .find(|w| {
            is_page(&name(&w[0]))
                && is_page(&name(&w[1]))
                && w[0].parent() == w[1].parent()
                && w[0].parent().unwrap().join("_index.md").is_file()
                && !read(&w[0]).contains("[role")
        })
        .map(|w| (rel(&w[0]), rel(&w[1])))
        .expect("a folder with an _index.md and two ordinary pages");
    let role = files
        .iter()
        .find(|p| {
            is_page(&name(p)) && {
                let text = read(p);
                text.contains("role]") && text.contains("max = ")
            }
        })
        .map(|p| rel(p));
    let section = Path::new(&page)
        .parent()
        .unwrap()
        .to_string_lossy()
        .to_string();
    Plan {
        page,
        sibling,
        section,
        role,
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// `a/b/page-1.md` → `/a/b/page-1/`; a folder `a/b` → `/a/b/`.
fn url_of(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    if stem.is_empty() {
        "/".into()
    } else {
        format!("/{stem}/")
    }
}

/// Replaces the first line starting with `key = ` in `text` (the front
/// matter's or config's own, before any table) by `line`.
fn set_line(text: &str, key: &str, line: &str) -> String {
    let prefix = format!("{key} = ");
    let mut done = false;
    text.split_inclusive('\n')
        .map(|l| {
            if !done && l.starts_with(&prefix) {
                done = true;
                format!("{line}\n")
            } else {
                l.to_string()
            }
        })
        .collect()
}

enum Check {
    Contains(String),
    Lacks(String),
    /// The first string appears before the second.
    Before(String, String),
}

impl Check {
    fn holds(&self, body: &str) -> bool {
        match self {
            Check::Contains(s) => body.contains(s.as_str()),
            Check::Lacks(s) => !body.contains(s.as_str()),
            Check::Before(a, b) => match (body.find(a.as_str()), body.find(b.as_str())) {
                (Some(x), Some(y)) => x < y,
                _ => false,
            },
        }
    }
}

/// One running server under test.
struct Server {
    name: &'static str,
    root: PathBuf,
    content: PathBuf,
    config: PathBuf,
    template: PathBuf,
    /// The template existed before the run (else it is the theme's copy, removed at the end).
    template_was_there: bool,
    host: String,
    child: Child,
    events: Receiver<(Instant, String)>,
    /// How a salary of this many units appears on the role page.
    money: fn(u64) -> String,
    originals: HashMap<PathBuf, String>,
    /// The page the new/rename/delete edits are on, relative to content.
    bench_page: Option<String>,
    results: HashMap<&'static str, (Vec<f64>, Vec<f64>)>,
    stale: usize,
    missed: usize,
    /// Save → reload of the untimed warm-up edit, the first after start.
    first_edit: Option<Duration>,
    /// Edits of each kind whose change was never served.
    failed: HashMap<&'static str, usize>,
    cpu_ticks: u64,
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET path` over HTTP/1.0 (no chunking): status and body.
fn get(host: &str, path: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(host) else {
        return (0, String::new());
    };
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    if write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").is_err() {
        return (0, String::new());
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn start_handbook(name: &'static str, bin: &Path, root: &Path) -> Server {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start handbook serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(u) = line.strip_prefix("Serving on ") {
            break u.trim().to_string();
        }
        eprintln!("serve: {line}");
    };
    eprintln!(
        "handbook: serving {url} after {:.1} s",
        start.elapsed().as_secs_f64()
    );
    std::thread::spawn(move || lines.for_each(drop));
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    write!(
        stream,
        "GET /__handbook/live HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut events = BufReader::new(stream);
        let mut line = String::new();
        while events.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send((Instant::now(), name.trim().to_string())).is_err() {
                    return;
                }
            }
            line.clear();
        }
    });
    let content = if root.join("content").is_dir() {
        root.join("content")
    } else {
        root.to_path_buf()
    };
    let template = root.join("templates/page.html");
    server(
        name,
        root,
        content,
        root.join("site.toml"),
        template,
        host,
        child,
        rx,
        grouped,
    )
}

fn start_zola(bin: &Path, root: &Path) -> Server {
    let start = Instant::now();
    let port = free_port();
    let log = std::fs::File::create(root.with_extension("serve.log")).unwrap();
    let child = Command::new(bin)
        .arg("--root")
        .arg(root)
        .args([
            "serve",
            "--interface",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start zola serve");
    let host = format!("127.0.0.1:{port}");
    while get(&host, "/").0 != 200 {
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "zola serve did not answer; see {}",
            root.with_extension("serve.log").display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "zola: serving http://{host}/ after {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let rx = zola_reloads(&host);
    let config = root.join("config.toml");
    let template = root.join("templates/page.html");
    let content = root.join("content");
    server(
        "zola",
        root,
        content,
        config,
        template,
        host,
        child,
        rx,
        |n| n.to_string(),
    )
}

/// Connects to Zola's livereload WebSocket and reports each `reload` command.
fn zola_reloads(host: &str) -> Receiver<(Instant, String)> {
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert!(line.contains(" 101 "), "no WebSocket from zola: {line}");
    while line != "\r\n" {
        line.clear();
        r.read_line(&mut line).unwrap();
    }
    let (tx, rx) = channel();
    std::thread::spawn(move || loop {
        // Server frames are unmasked: opcode byte, length (7 bits, or 16/64 more).
        let mut head = [0u8; 2];
        if r.read_exact(&mut head).is_err() {
            return;
        }
        let mut len = (head[1] & 0x7f) as usize;
        if len == 126 {
            let mut b = [0u8; 2];
            r.read_exact(&mut b).unwrap();
            len = u16::from_be_bytes(b) as usize;
        } else if len == 127 {
            let mut b = [0u8; 8];
            r.read_exact(&mut b).unwrap();
            len = u64::from_be_bytes(b) as usize;
        }
        let mut payload = vec![0u8; len];
        if r.read_exact(&mut payload).is_err() {
            return;
        }
        let text = String::from_utf8_lossy(&payload);
        if head[0] & 0x0f == 1
            && text.contains("\"reload\"")
            && tx.send((Instant::now(), "reload".to_string())).is_err()
        {
            return;
        }
    });
    rx
}

#[allow(clippy::too_many_arguments)]
fn server(
    name: &'static str,
    root: &Path,
    content: PathBuf,
    config: PathBuf,
    template: PathBuf,
    host: String,
    child: Child,
    events: Receiver<(Instant, String)>,
    money: fn(u64) -> String,
) -> Server {
    Server {
        name,
        root: root.to_path_buf(),
        content,
        config,
        template_was_there: template.is_file(),
        template,
        host,
        child,
        events,
        money,
        originals: HashMap::new(),
        bench_page: None,
        results: HashMap::new(),
        stale: 0,
        missed: 0,
        failed: HashMap::new(),
        first_edit: None,
        cpu_ticks: 0,
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn original(&mut self, path: &Path) -> String {
        self.originals
            .entry(path.to_path_buf())
            .or_insert_with(|| read(path))
            .clone()
    }

    fn drain(&self) {
        while self.events.try_recv().is_ok() {}
    }

    /// Waits for the server to finish with an untimed change: a reload, or
    /// `quiet` without one, then a pause.
    fn settle(&self, quiet: Duration) {
        let _ = self.events.recv_timeout(quiet);
        std::thread::sleep(Duration::from_millis(300));
        self.drain();
    }

    /// Makes edit `kind` number `i`; returns the URL and what it must show.
    fn edit(&mut self, kind: Kind, i: usize, plan: &Plan) -> (String, Check) {
        let c = self.content.clone();
        let page = c.join(&plan.page);
        let section = url_of(&plan.section);
        let slug = |rel: &str| {
            let u = url_of(rel);
            u.rsplit('/').nth(1).unwrap().to_string() + "/"
        };
        match kind {
            Kind::Body => {
                // Only the body changes: the last edit's marker goes, the title stays as it is.
                self.original(&page);
                let text: String = read(&page)
                    .split_inclusive('\n')
                    .filter(|l| !l.starts_with("Body edit n") && !l.starts_with("Warm-up edit"))
                    .collect();
                write(
                    &page,
                    &format!("{text}Body edit n{i}z of the latency benchmark.\n"),
                );
                (
                    url_of(&plan.page),
                    Check::Contains(format!("Body edit n{i}z")),
                )
            }
            Kind::Title => {
                let text = set_line(
                    &read(&page),
                    "title",
                    &format!("title = \"Retitled n{i}z\""),
                );
                self.original(&page);
                write(&page, &text);
                (section, Check::Contains(format!("Retitled n{i}z")))
            }
            Kind::Weight => {
                self.original(&page);
                let (w, check) = if i % 2 == 0 {
                    (0, Check::Before(slug(&plan.page), slug(&plan.sibling)))
                } else {
                    (99_999, Check::Before(slug(&plan.sibling), slug(&plan.page)))
                };
                write(
                    &page,
                    &set_line(&read(&page), "weight", &format!("weight = {w}")),
                );
                (section, check)
            }
            Kind::Draft => {
                let draft = c.join(&plan.section).join("bench-draft.md");
                let fm = if i % 2 == 0 { "draft = true\n" } else { "" };
                write(
                    &draft,
                    &format!("+++\ntitle = \"Draft page\"\nweight = 1\n{fm}+++\nA page the benchmark hides and shows.\n"),
                );
                let s = "bench-draft/".to_string();
                (
                    section,
                    if i % 2 == 0 {
                        Check::Lacks(s)
                    } else {
                        Check::Contains(s)
                    },
                )
            }
            Kind::Role => {
                let rel = plan.role.clone().unwrap();
                let path = c.join(&rel);
                let text = self.original(&path);
                let amount = 200_000 + 10 * i as u64;
                let at = text.find("max = ").unwrap() + "max = ".len();
                let end = at + text[at..].find(|ch: char| !ch.is_ascii_digit()).unwrap();
                write(&path, &format!("{}{amount}{}", &text[..at], &text[end..]));
                (url_of(&rel), Check::Contains((self.money)(amount)))
            }
            Kind::NewPage => {
                let rel = format!("{}/bench-new-{i}.md", plan.section);
                write(
                    &c.join(&rel),
                    &format!("+++\ntitle = \"Newpage n{i}z\"\nweight = 5\n+++\nA page the benchmark added.\n"),
                );
                self.bench_page = Some(rel);
                (section, Check::Contains(format!("Newpage n{i}z")))
            }
            Kind::Rename => {
                let from = self.bench_page.take().expect("a page to rename");
                let to = format!("{}/bench-moved-{i}.md", plan.section);
                std::fs::rename(c.join(&from), c.join(&to)).unwrap();
                self.bench_page = Some(to.clone());
                (url_of(&to), Check::Contains(format!("Newpage n{i}z")))
            }
            Kind::Delete => {
                let rel = self.bench_page.take().expect("a page to delete");
                std::fs::remove_file(c.join(&rel)).unwrap();
                (section, Check::Lacks(format!("Newpage n{i}z")))
            }
            Kind::Folder => {
                // As a person makes one: the folder (made untimed, before),
                // then its two files.
                let rel = format!("{}/bench-folder-{i}", plan.section);
                let dir = c.join(&rel);
                write(
                    &dir.join("_index.md"),
                    &format!("+++\ntitle = \"Folder n{i}z\"\n+++\nA folder the benchmark added.\n"),
                );
                write(
                    &dir.join("page.md"),
                    &format!("+++\ntitle = \"Folderpage n{i}z\"\n+++\nIts one page.\n"),
                );
                (
                    url_of(&format!("{rel}/page.md")),
                    Check::Contains(format!("Folderpage n{i}z")),
                )
            }
            Kind::Template => {
                let t = self.template.clone();
                let text = self.original(&t);
                let mark = format!("<p hidden>Template n{i}z</p>");
                let at = text
                    .rfind("{% endblock")
                    .or_else(|| text.rfind("</main>"))
                    .unwrap_or(text.len());
                write(&t, &format!("{}{mark}{}", &text[..at], &text[at..]));
                (
                    url_of(&plan.page),
                    Check::Contains(format!("Template n{i}z")),
                )
            }
            Kind::Config => {
                let cfg = self.config.clone();
                let text = self.original(&cfg);
                let title = format!("Bench title n{i}z");
                write(
                    &cfg,
                    &set_line(&text, "title", &format!("title = \"{title}\"")),
                );
                (url_of(&plan.page), Check::Contains(title))
            }
        }
    }

    /// Times one edit: save → reload event, and save → the first GET after
    /// it that shows the change (polled every 5 ms if the first does not).
    fn measure(&mut self, kind: Kind, i: usize, plan: &Plan, timeout: Duration) {
        self.drain();
        let t = Instant::now();
        let (url, check) = self.edit(kind, i, plan);
        let deadline = t + timeout;
        let mut reload = None;
        while reload.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok((at, name)) if name == "reload" => reload = Some(at),
                Ok((_, name)) => eprintln!("{}: {} edit {i}: event {name}", self.name, kind.name()),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => panic!("{}: event stream closed", self.name),
            }
        }
        if reload.is_none() {
            self.missed += 1;
            eprintln!(
                "{}: {} edit {i}: no reload within {timeout:?}",
                self.name,
                kind.name()
            );
        }
        // Without a reload the change may still be served (a server that
        // missed the event): polled for a few more seconds only.
        let poll_until = match reload {
            Some(at) => at + timeout,
            None => Instant::now() + Duration::from_secs(5),
        };
        let mut first = true;
        let served = loop {
            let (status, body) = get(&self.host, &url);
            if status == 200 && check.holds(&body) {
                break Some(Instant::now());
            }
            if first && reload.is_some() {
                self.stale += 1;
            }
            first = false;
            if Instant::now() > poll_until {
                eprintln!(
                    "{}: {} edit {i}: {url} never showed the change (status {status})",
                    self.name,
                    kind.name()
                );
                *self.failed.entry(kind.name()).or_default() += 1;
                // Rewriting the section's index makes the server look again,
                // so the next edit starts from the files as they are.
                let index = self.content.join(&plan.section).join("_index.md");
                write(&index, &read(&index));
                self.settle(timeout);
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let ms = |at: Instant| at.duration_since(t).as_secs_f64() * 1000.0;
        let entry = self.results.entry(kind.name()).or_default();
        if let Some(at) = reload {
            entry.0.push(ms(at));
        }
        if let Some(at) = served {
            entry.1.push(ms(at));
        }
        if kind == Kind::Folder {
            let _ = std::fs::remove_dir_all(
                self.content
                    .join(&plan.section)
                    .join(format!("bench-folder-{i}")),
            );
            self.settle(Duration::from_secs(30));
        } else {
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Puts back every file the edits changed and removes what they added.
    fn restore(&mut self, plan: &Plan) {
        for (path, text) in std::mem::take(&mut self.originals) {
            write(&path, &text);
        }
        if !self.template_was_there {
            let _ = std::fs::remove_file(&self.template);
            let _ = std::fs::remove_dir(self.template.parent().unwrap()); // only if empty
        }
        let _ = std::fs::remove_file(self.content.join(&plan.section).join("bench-draft.md"));
        if let Some(rel) = self.bench_page.take() {
            let _ = std::fs::remove_file(self.content.join(rel));
        }
    }

    fn cpu_ticks_now(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        let after = stat.rsplit_once(") ").map(|(_, s)| s).unwrap_or("");
        let f: Vec<&str> = after.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    }
}

fn main() {
    let a = args();
    assert!(
        a.bin.is_file(),
        "{} not found: build it with `cargo build --release` (bench/reload_latency.sh does)",
        a.bin.display()
    );
    let _tmp;
    let root = match &a.corpus {
        Some(dir) => dir.clone(),
        None => {
            _tmp = tempfile::tempdir().unwrap();
            let t = Instant::now();
            generate(_tmp.path(), a.pages);
            eprintln!(
                "generated {} pages in {:.1} s",
                a.pages,
                t.elapsed().as_secs_f64()
            );
            _tmp.path().to_path_buf()
        }
    };
    let mut servers = vec![start_handbook("handbook", &a.bin, &root)];
    if let Some(bin) = &a.before {
        // An earlier binary on its own copy of the site, edited in the same rounds.
        let copy = root.with_extension("before");
        copy_site(&root, &copy);
        servers.push(start_handbook("before", bin, &copy));
    }
    if let (Some(bin), Some(dir)) = (&a.zola, &a.zola_corpus) {
        servers.push(start_zola(bin, dir));
    }
    let plan = plan(&servers[0].content);
    let kinds: Vec<Kind> = a
        .kinds
        .iter()
        .copied()
        .filter(|k| {
            let ok = *k != Kind::Role || plan.role.is_some();
            if !ok {
                eprintln!("the site has no role page with a salary: role edits skipped");
            }
            ok
        })
        .collect();
    eprintln!(
        "editing {} (section {}), kinds: {}",
        plan.page,
        plan.section,
        kinds
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for s in &mut servers {
        setup(s, &kinds, &plan, a.timeout);
        s.cpu_ticks = s.cpu_ticks_now();
    }
    for i in 0..a.edits {
        for &kind in &kinds {
            for s in &mut servers {
                untimed_before(s, kind, i, &plan);
                if s.failed.get(kind.name()).copied().unwrap_or(0) >= 2 {
                    give_up(s, kind, &plan, a.timeout);
                } else {
                    s.measure(kind, i, &plan, a.timeout);
                }
                untimed_after(s, kind, &kinds);
            }
        }
        eprintln!("round {} of {} done", i + 1, a.edits);
    }
    let mut lines = Vec::new();
    for s in &mut servers {
        let cpu = (s.cpu_ticks_now() - s.cpu_ticks) as f64 / 100.0;
        let edits = kinds.len() * a.edits;
        let memory = resident_memory(s.child.id());
        s.restore(&plan);
        let _ = s.child.kill();
        let _ = s.child.wait();
        if s.name == "before" {
            let _ = std::fs::remove_dir_all(&s.root); // the copy made for it
        }
        let mut line = format!(
            "{}: {edits} edits, {:.2} s of CPU (user + sys) during them, {:.0} ms per edit",
            s.name,
            cpu,
            cpu * 1000.0 / edits.max(1) as f64
        );
        if let Some((rss, peak)) = memory {
            line += &format!(
                "; resident memory after them {} MiB (peak {} MiB)",
                rss / 1024,
                peak / 1024
            );
        }
        match s.first_edit {
            Some(d) => {
                line += &format!(
                    "; the first edit after start (untimed, body): {:.0} ms to reload",
                    d.as_secs_f64() * 1000.0
                );
            }
            None => line += "; the first edit after start (untimed, body) got no reload",
        }
        let mut given_up: Vec<_> = s
            .failed
            .iter()
            .filter(|(_, n)| **n >= 2 && a.edits > 2)
            .map(|(k, _)| *k)
            .collect();
        given_up.sort();
        if !given_up.is_empty() {
            line += &format!(
                "; {} not timed again after two edits never served",
                given_up.join(", ")
            );
        }
        if s.stale > 0 || s.missed > 0 {
            line += &format!(
                "; {} edits not yet served at the reload event, {} without a reload event",
                s.stale, s.missed
            );
        }
        lines.push(line);
    }
    report(&servers, &kinds, a.edits, &lines);
}

/// Copies a site root to `to` (replaced), leaving out its output folder.
fn copy_site(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Prepares a server for the edits: the draft page and the site's own page
/// template (the theme's, copied) exist before the first timed edit.
fn setup(s: &mut Server, kinds: &[Kind], plan: &Plan, timeout: Duration) {
    // One untimed body edit first: the first edit after start may pay for
    // what the server does lazily, so it is reported on its own.
    let page = s.content.join(&plan.page);
    let text = s.original(&page);
    let sep = if text.ends_with('\n') { "" } else { "\n" };
    s.drain();
    let t = Instant::now();
    write(
        &page,
        &format!("{text}{sep}Warm-up edit of the latency benchmark.\n"),
    );
    s.first_edit = loop {
        match s.events.recv_timeout(timeout) {
            Ok((at, name)) if name == "reload" => break Some(at.duration_since(t)),
            Ok(_) => continue,
            Err(_) => break None,
        }
    };
    std::thread::sleep(Duration::from_millis(300));
    s.drain();
    let mut changed = false;
    if kinds.contains(&Kind::Draft) {
        let draft = s.content.join(&plan.section).join("bench-draft.md");
        write(
            &draft,
            "+++\ntitle = \"Draft page\"\nweight = 1\n+++\nA page the benchmark hides and shows.\n",
        );
        changed = true;
    }
    if kinds.contains(&Kind::Template) && !s.template.is_file() {
        let theme =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html");
        std::fs::create_dir_all(s.template.parent().unwrap()).unwrap();
        std::fs::copy(theme, &s.template).unwrap();
        changed = true;
    }
    if changed {
        s.settle(timeout);
    }
}

/// A kind this server never showed twice is not timed again (each miss
/// costs the whole timeout): a delete still removes the page, untimed, and
/// the section's index is rewritten so the server looks again.
fn give_up(s: &mut Server, kind: Kind, plan: &Plan, timeout: Duration) {
    if kind == Kind::Delete {
        if let Some(rel) = s.bench_page.take() {
            let _ = std::fs::remove_file(s.content.join(rel));
            let index = s.content.join(&plan.section).join("_index.md");
            write(&index, &read(&index));
            s.settle(timeout);
        }
    }
}

/// Rename and delete need the benchmark's page: made untimed when `new` is
/// not measured. A new folder is made empty, untimed, half a second before
/// its files (a watcher that adds the folder's watch late would miss files
/// written at once; people are slower than that).
fn untimed_before(s: &mut Server, kind: Kind, i: usize, plan: &Plan) {
    if kind == Kind::Folder {
        let dir = s
            .content
            .join(&plan.section)
            .join(format!("bench-folder-{i}"));
        std::fs::create_dir_all(dir).unwrap();
        std::thread::sleep(Duration::from_millis(500));
    }
    if matches!(kind, Kind::Rename | Kind::Delete) && s.bench_page.is_none() {
        let rel = format!("{}/bench-new-{i}.md", plan.section);
        write(
            &s.content.join(&rel),
            &format!(
                "+++\ntitle = \"Newpage n{i}z\"\nweight = 5\n+++\nA page the benchmark added.\n"
            ),
        );
        s.bench_page = Some(rel);
        s.settle(Duration::from_secs(60));
    }
}

/// A page made by `new` or `rename` and not deleted by a measured `delete` goes, untimed.
fn untimed_after(s: &mut Server, kind: Kind, kinds: &[Kind]) {
    let last_of_page = [Kind::NewPage, Kind::Rename]
        .iter()
        .rev()
        .find(|k| kinds.contains(k));
    if !kinds.contains(&Kind::Delete) && last_of_page == Some(&kind) {
        if let Some(rel) = s.bench_page.take() {
            let _ = std::fs::remove_file(s.content.join(rel));
            s.settle(Duration::from_secs(60));
        }
    }
}

fn summary(times: &[f64]) -> String {
    if times.is_empty() {
        return "—".into();
    }
    let mut sorted = times.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    format!(
        "{:.0} / {:.0}",
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.9)
    )
}

fn report(servers: &[Server], kinds: &[Kind], edits: usize, lines: &[String]) {
    if let Some(body) = servers[0].results.get("body") {
        let mut sorted = body.0.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if !sorted.is_empty() {
            println!(
                "save → reload over {} body edits: median {:.1} ms, p90 {:.1} ms (min {:.1}, max {:.1})",
                sorted.len(),
                percentile(&sorted, 0.5),
                percentile(&sorted, 0.9),
                sorted[0],
                sorted[sorted.len() - 1]
            );
        }
    }
    println!();
    let mut head = "| edit → where the change is checked |".to_string();
    let mut rule = "|---|".to_string();
    for s in servers {
        head += &format!(" {0} → reload, ms (median / p90) | {0} → served |", s.name);
        rule += "---:|---:|";
    }
    println!("{head}\n{rule}");
    for k in kinds {
        let mut row = format!("| {} |", k.describe());
        for s in servers {
            let (reload, served) = s.results.get(k.name()).cloned().unwrap_or_default();
            let mut r = summary(&reload);
            if reload.len() < edits {
                r += &format!(" ({} of {edits} without reload)", edits - reload.len());
            }
            let mut v = summary(&served);
            if served.len() < edits {
                v += &format!(" ({} of {edits} never served)", edits - served.len());
            }
            row += &format!(" {r} | {v} |");
        }
        println!("{row}");
    }
    println!();
    for l in lines {
        println!("{l}");
    }
}

/// The server's resident and peak resident memory in KiB (`VmRSS`, `VmHWM`
/// from /proc, so Linux only).
fn resident_memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
