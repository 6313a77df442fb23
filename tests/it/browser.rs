//! A tiny W3C WebDriver client for headless Chromium: starts `chromedriver`
//! on a free port, opens a session, navigates and runs scripts. Speaks
//! HTTP/1.1 over a plain `TcpStream` (one connection per command), so tests
//! need no extra crates. Reusable by any test that needs a real browser
//! (live reload, accessibility checks, search, table of contents).
//!
//! Chromium and chromedriver are found on PATH or through `HANDBOOK_BROWSER`
//! and `HANDBOOK_CHROMEDRIVER`. Without them `Browser::start` returns `None`
//! after printing a visible `skipped:` line; with `HANDBOOK_REQUIRE_TOOLS=1`
//! (as `.ci/run` sets) it fails instead (see `tools`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::tools;

/// Desktop width in the light and the dark colour scheme, for
/// `Browser::assert_axe_clean`.
pub(crate) const LIGHT_AND_DARK: [(u32, &str); 2] = [(1280, "light"), (1280, "dark")];

/// Chromium and chromedriver, if this machine has them.
fn programs() -> Option<(PathBuf, PathBuf)> {
    let chromium = tools::find_program(
        "HANDBOOK_BROWSER",
        &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
    );
    let driver = tools::find_program("HANDBOOK_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing: Vec<&str> = [("chromium", c.is_none()), ("chromedriver", d.is_none())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect();
            tools::skip(&format!(
                "no {} found; install chromium and chromium-driver (Debian packages), \
                 or set HANDBOOK_BROWSER=/path/to/chromium and HANDBOOK_CHROMEDRIVER=/path/to/chromedriver",
                missing.join(" or ")
            ));
            None
        }
    }
}

/// WebDriver key code points.
pub(crate) const ARROW_DOWN: char = '\u{E015}';
pub(crate) const ENTER: char = '\u{E007}';

/// A headless Chromium session; the session and driver end on drop.
pub(crate) struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session; `None` (after
    /// a visible skip line) when they are not installed.
    pub(crate) fn start() -> Option<Browser> {
        let (chromium, chromedriver) = programs()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let profile = tempfile::tempdir().expect("temp dir");
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match browser.try_http("GET", "/status", None) {
                Ok(v) if v["value"]["ready"] == json!(true) => break,
                _ if Instant::now() > deadline => panic!("chromedriver did not become ready"),
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        let user_data = format!("--user-data-dir={}", browser._profile.path().display());
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    // A page that cannot load (no free connection, a
                    // server that does not answer) fails instead of hanging.
                    "timeouts": { "pageLoad": 30000 },
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": [
                            "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-dev-shm-usage", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            "--no-first-run", user_data,
                        ],
                    }
                }
            }
        });
        let v = browser.http("POST", "/session", Some(&caps));
        browser.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {v}"))
            .to_string();
        Some(browser)
    }

    /// Opens `url` and waits for it to load.
    pub(crate) fn navigate(&self, url: &str) {
        self.command("POST", "url", Some(&json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page
    /// and returns what it returns.
    pub(crate) fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            "POST",
            "execute/sync",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Polls `script` until it returns `true`; panics with `what` after
    /// `timeout`. Script errors (say, while the page reloads) count as false.
    pub(crate) fn wait_until(&self, what: &str, script: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut last = Value::Null;
        while Instant::now() < deadline {
            let path = format!("/session/{}/execute/sync", self.session);
            match self.try_http(
                "POST",
                &path,
                Some(&json!({ "script": script, "args": [] })),
            ) {
                Ok(v) if v["value"] == json!(true) => return,
                Ok(v) => last = v,
                Err(e) => last = json!(e),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; last answer: {last}");
    }

    /// Types `keys` with the keyboard (WebDriver actions), into whatever has
    /// focus. Special keys use WebDriver's code points (see `ARROW_DOWN`).
    pub(crate) fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for c in keys.chars() {
            actions.push(json!({ "type": "keyDown", "value": c.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": c.to_string() }));
        }
        self.command(
            "POST",
            "actions",
            Some(&json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
    }

    /// Clicks the first element matching a CSS selector, as a user would.
    pub(crate) fn click(&self, selector: &str) {
        let found = self.command(
            "POST",
            "element",
            Some(&json!({ "using": "css selector", "value": selector })),
        );
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .to_string();
        self.command("POST", &format!("element/{id}/click"), Some(&json!({})));
    }

    /// Sets the browser window's size in CSS pixels.
    pub(crate) fn window_size(&self, width: u32, height: u32) {
        self.command(
            "POST",
            "window/rect",
            Some(&json!({ "width": width, "height": height })),
        );
    }

    /// Sends a Chrome DevTools Protocol command (chromedriver extension).
    pub(crate) fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.command(
            "POST",
            "goog/cdp/execute",
            Some(&json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Opens `url` with `prefers-color-scheme: scheme` (`light` or `dark`)
    /// emulated, runs axe-core (`axe` is its script: `theme::axe_source`)
    /// with the WCAG 2.2 AA and best-practice rules, and returns one line
    /// per violation: `rule (impact): up to three targets`.
    fn axe_violations(&self, axe: &str, url: &str, scheme: &str) -> Vec<String> {
        self.navigate(url);
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        let dark = self.execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            &[],
        );
        assert_eq!(dark, json!(scheme == "dark"), "emulated colour scheme");
        self.run_axe(axe)
    }

    /// Runs axe-core (`axe` is its script) on the page as it is now, with
    /// the rules of `axe_violations`; one line per violation.
    pub(crate) fn run_axe(&self, axe: &str) -> Vec<String> {
        self.execute(&format!("{axe}\nreturn true;"), &[]);
        let violations = self.execute(
            "return axe.run(document, { runOnly: { type: 'tag', values: \
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })\
             .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + \
             v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')));",
            &[],
        );
        violations
            .as_array()
            .expect("axe results")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Runs axe-core on every page (a path under `base`) at every (window
    /// width, colour scheme) of `modes`, and fails listing each violation
    /// with its page, scheme and width.
    #[track_caller]
    pub(crate) fn assert_axe_clean(
        &self,
        axe: &str,
        base: &str,
        pages: &[&str],
        modes: &[(u32, &str)],
    ) {
        let mut problems = Vec::new();
        for &(width, scheme) in modes {
            self.window_size(width, 900);
            for page in pages {
                let url = format!(
                    "{}/{}",
                    base.trim_end_matches('/'),
                    page.trim_start_matches('/')
                );
                for v in self.axe_violations(axe, &url, scheme) {
                    problems.push(format!("{page} [{scheme}, {width}px]: {v}"));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "axe-core violations:\n{}",
            problems.join("\n")
        );
    }

    /// The page's visible text.
    pub(crate) fn text(&self) -> String {
        self.execute("return document.body.innerText;", &[])
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn command(&self, method: &str, cmd: &str, body: Option<&Value>) -> Value {
        let v = self.http(method, &format!("/session/{}/{cmd}", self.session), body);
        v["value"].clone()
    }

    fn http(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.try_http(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// One WebDriver request; `Err` for transport errors and WebDriver
    /// errors (`value.error`).
    fn try_http(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body
            .map(std::string::ToString::to_string)
            .unwrap_or_default();
        let mut stream = TcpStream::connect(self.addr).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        // chromedriver may keep the connection open: read to Content-Length.
        let mut raw = Vec::new();
        let mut buf = [0u8; 16384];
        let (end, head) = loop {
            let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
            raw.extend_from_slice(&buf[..n]);
            let found = raw.windows(4).position(|w| w == b"\r\n\r\n");
            let Some(end) = found else {
                if n == 0 {
                    return Err("no HTTP head".into());
                }
                continue;
            };
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            let chunked_done = raw.ends_with(b"0\r\n\r\n");
            match length {
                Some(len) if raw.len() - end - 4 >= len => break (end, head),
                None if n == 0 || chunked_done => break (end, head),
                _ if n == 0 => return Err("connection closed early".into()),
                _ => {}
            }
        };
        let mut payload = raw[end + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            payload = dechunk(&payload);
        }
        let v: Value = serde_json::from_slice(&payload)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))?;
        if let Some(err) = v["value"]["error"].as_str() {
            return Err(format!("{err}: {}", v["value"]["message"]));
        }
        Ok(v)
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..i]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = i + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_http("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
