//! Measures `handbook serve`'s save-to-reload latency: the time from
//! writing one page to the `reload` event on `/__handbook/live`.
//!
//! Generates a site of `--pages` pages (default 10,000) unless `--corpus DIR`
//! names an existing site root, starts `handbook serve --port 0` on it, then
//! edits one page's body `--edits` times (default 30) and reports the median
//! and 90th percentile, then the server's resident memory (Linux). Run it
//! through `bench/reload_latency.sh`, which builds the release binary first.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Args {
    corpus: Option<PathBuf>,
    pages: usize,
    edits: usize,
    bin: PathBuf,
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
            other => {
                panic!("unknown argument {other}; use --corpus DIR --pages N --edits N --bin PATH")
            }
        }
    }
    a
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
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
    let content = if root.join("content").is_dir() {
        root.join("content")
    } else {
        root.clone()
    };
    // The page to edit: the first ordinary page in walk order.
    let page = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".md")
                && !["_index.md", "index.md", "README.md"].contains(&name.as_str())
        })
        .expect("a page to edit");
    let original = std::fs::read_to_string(&page).unwrap();

    let start = Instant::now();
    let mut child = Command::new(&a.bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
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
        "serving {} after {:.1} s; editing {}",
        url,
        start.elapsed().as_secs_f64(),
        page.display()
    );
    std::thread::spawn(move || lines.for_each(drop));
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /__handbook/live HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    let mut next_event = || -> String {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(events.read_line(&mut line).unwrap() > 0, "stream closed");
            if let Some(name) = line.strip_prefix("event: ") {
                return name.trim().to_string();
            }
        }
    };
    assert_eq!(next_event(), "hello");

    let mut times = Vec::new();
    for n in 0..a.edits {
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\nEdit number {n} of the latency benchmark.\n");
        let t = Instant::now();
        std::fs::write(&page, text).unwrap();
        let event = next_event();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(event, "reload", "edit {n} did not rebuild");
        times.push(ms);
    }
    std::fs::write(&page, &original).unwrap();
    let memory = resident_memory(child.id());
    let _ = child.kill();
    let _ = child.wait();

    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "save → reload over {} edits: median {:.1} ms, p90 {:.1} ms (min {:.1}, max {:.1})",
        times.len(),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.9),
        sorted[0],
        sorted[sorted.len() - 1]
    );
    if let Some((rss, peak)) = memory {
        println!(
            "serve resident memory after {} edits: {} MiB (peak {} MiB)",
            times.len(),
            rss / 1024,
            peak / 1024
        );
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
