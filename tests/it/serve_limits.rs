//! The preview server under abuse and long use: many page views, idle and
//! gone event streams, huge request heads, thousands of slow clients, idle
//! connections, and a LAN bind. Memory and threads are read from the
//! server's /proc/PID/status (Linux); every test also checks that a normal
//! request still gets the right answer afterwards. Loopback only.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::harness::*;

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.file("content/_index.md", "# Home\n\nWelcome home.\n")
        .file("content/a.md", "# A\n\nFirst text.\n");
    site
}

/// A field of /proc/PID/status, as a number (kB for memory).
fn status_field(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Open file descriptors of the process (sockets included).
fn open_fds(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}

/// Polls `check` every 100 ms for up to `limit`; true once it holds.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if check() {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The normal request every test ends with: the page, with its text.
fn page_still_answers(s: &Served) {
    page_says(s, "First text.");
}

fn page_says(s: &Served, text: &str) {
    let r = s.get("/a/");
    assert_eq!(r.status, 200);
    assert_eq!(texts(&r.html(), ".content p"), [text]);
}

/// A connection from `source` (another loopback address, say) to `to`.
fn connect_from(source: &str, to: SocketAddr) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let source: SocketAddr = format!("{source}:0").parse().unwrap();
    socket.bind(&source.into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Opens an event stream on `stream` and reads up to the `hello` event.
fn open_events(mut stream: TcpStream, host: &str) -> TcpStream {
    write!(
        stream,
        "GET /__handbook/live HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains("event: hello") {
        let n = stream.read(&mut buf).expect("the event stream answers");
        assert!(n > 0, "closed: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    assert!(seen.starts_with(b"HTTP/1.1 200 OK\r\n"));
    stream
}

#[test]
fn a_thousand_page_views_then_an_edit_still_reloads() {
    let site = small_site();
    let s = site.serve();
    let baseline = open_fds(s.pid()).expect("/proc/PID/fd");
    // Each view: load the page, open its event stream, leave.
    for _ in 0..1000 {
        assert_eq!(s.get("/a/").status, 200);
        let stream = TcpStream::connect(s.addr).unwrap();
        drop(open_events(stream, &s.host()));
    }
    // The streams of pages left are released, not kept until a rebuild.
    assert!(
        within(Duration::from_secs(20), || open_fds(s.pid())
            .is_some_and(|n| n <= baseline + 5)),
        "the server still holds {:?} descriptors (baseline {baseline})",
        open_fds(s.pid())
    );
    let mut live = s.events();
    assert_eq!(live.status, 200);
    live.wait_for("hello");
    site.file("content/a.md", "# A\n\nSecond text.\n");
    live.wait_for("reload");
    page_says(&s, "Second text.");
}

#[test]
fn idle_event_streams_from_one_address_do_not_stop_another_clients_reload() {
    let site = small_site();
    let s = site.serve();
    // 200 streams from 127.0.0.2, opened and never read again.
    let mut idle: Vec<TcpStream> = (0..200)
        .map(|_| open_events(connect_from("127.0.0.2", s.addr), &s.host()))
        .collect();
    let mut live = s.events();
    assert_eq!(live.status, 200, "the second client's stream is refused");
    live.wait_for("hello");
    site.file("content/a.md", "# A\n\nSecond text.\n");
    live.wait_for("reload");
    // The newest of the idle streams are still served; the oldest gave way.
    let newest = idle.last_mut().unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("event: reload") {
        let n = newest.read(&mut buf).unwrap();
        assert!(n > 0, "the newest idle stream was closed");
        got.extend_from_slice(&buf[..n]);
    }
    let mut oldest = idle.remove(0);
    let mut rest = Vec::new();
    let _ = oldest.read_to_end(&mut rest);
    assert!(
        !String::from_utf8_lossy(&rest).contains("event: reload"),
        "the oldest stream of a crowded address should have been closed"
    );
    page_says(&s, "Second text.");
}

#[test]
fn a_64_mb_request_line_gets_414_without_growing_memory() {
    let site = small_site();
    let s = site.serve();
    let pid = s.pid();
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        let _ = writer.write_all(b"GET /");
        // Stops when the server closes the connection.
        (0..64)
            .take_while(|_| writer.write_all(&chunk).is_ok())
            .count()
    });
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    sender.join().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 414 "), "{answer}");
    // Peak resident memory of the server, in kB.
    let peak = status_field(pid, "VmHWM").expect("VmHWM in /proc/PID/status");
    assert!(peak < 100 * 1024, "the server peaked at {peak} kB");
    // Headers too large: 431.
    let filler = "X-Filler: ".to_string() + &"b".repeat(1000) + "\r\n";
    let raw = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\n{}\r\n",
        s.host(),
        filler.repeat(70)
    );
    assert_eq!(s.raw(raw.as_bytes()).status, 431);
    page_still_answers(&s);
}

#[test]
fn three_thousand_slow_clients_add_no_threads_and_a_normal_request_answers() {
    let site = small_site();
    let s = site.serve();
    let pid = s.pid();
    page_still_answers(&s);
    let threads = status_field(pid, "Threads").expect("Threads in /proc/PID/status");
    // Each sends half a request head and stops.
    let mut slow = Vec::new();
    for _ in 0..3000 {
        let Ok(mut stream) = TcpStream::connect(s.addr) else {
            continue;
        };
        let _ = stream.write_all(b"GET /a/ HTTP/1.1\r\nHost: 127");
        slow.push(stream);
    }
    assert!(slow.len() > 2500, "only {} connected", slow.len());
    let during = status_field(pid, "Threads").unwrap();
    assert!(
        during <= threads,
        "threads grew from {threads} to {during} with slow clients"
    );
    assert!(
        threads <= handbook::serve::server_threads_at_most() as u64,
        "{threads} threads"
    );
    page_still_answers(&s);
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let site = small_site();
    let s = site.serve();
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 64];
    // The server closes it (after 10 s); the read sees the end, not a timeout.
    assert_eq!(stream.read(&mut buf).expect("closed by the server"), 0);
    page_still_answers(&s);
}

#[test]
fn a_lan_bind_warns_and_answers_its_names_and_allowed_hosts() {
    let site = small_site();
    let s = site.serve_dir(
        ".",
        &[
            "--bind",
            "0.0.0.0",
            "--allow-host",
            "preview.tunnel.example",
        ],
    );
    // stderr and stdout are read separately, so the warning may come in
    // after the address.
    let mut said = s.before.clone();
    let lines = s.lines.lock().unwrap();
    while !said.iter().any(|l| l.contains("--allow-host NAME")) {
        match lines.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => said.push(line),
            Err(_) => break,
        }
    }
    drop(lines);
    let said = said.join("\n");
    assert!(said.contains("warning: --bind 0.0.0.0"), "{said}");
    assert!(said.contains("--allow-host NAME"), "{said}");
    let port = s.addr.port();
    let local: SocketAddr = ([127, 0, 0, 1], port).into();
    let send = |host: &str| {
        let raw = format!("GET /a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let mut stream = TcpStream::connect(local).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        parse_response(&out).map(|r| r.0.status).unwrap_or(0)
    };
    assert_eq!(send(&format!("localhost:{port}")), 200);
    assert_eq!(send("preview.tunnel.example"), 200);
    assert_eq!(send("preview.tunnel.example:443"), 200);
    assert_eq!(send(&format!("evil.example:{port}")), 403);
    // Without a port, a Host means port 80.
    assert_eq!(send("localhost"), 403);
}

#[test]
fn a_browser_reloads_beside_idle_streams_after_many_page_views() {
    use crate::browser::Browser;
    let site = small_site();
    let s = site.serve();
    let _idle: Vec<TcpStream> = (0..200)
        .map(|_| open_events(connect_from("127.0.0.2", s.addr), &s.host()))
        .collect();
    let Some(browser) = Browser::start() else {
        return;
    };
    // Page views in one browser: each opens a stream and must drop the
    // last one (Chromium keeps left pages, connections and all, in its
    // back-forward cache, and allows six connections per server).
    for i in 0..40 {
        let path = if i % 2 == 0 { "" } else { "a/" };
        // A page that cannot get a connection fails the navigation (the
        // browser's page-load timeout, see `browser`).
        browser.navigate(&format!("{}{path}", s.url));
    }
    assert!(browser.text().contains("First text."));
    browser.wait_until(
        "the live-reload stream to open",
        "return !!window.__handbookLive && window.__handbookLive.readyState === 1;",
        Duration::from_secs(20),
    );
    site.file("content/a.md", "# A\n\nSecond text.\n");
    browser.wait_until(
        "the page to reload with the new text",
        "return document.body.innerText.includes('Second text.');",
        Duration::from_secs(20),
    );
}
