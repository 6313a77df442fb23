#!/usr/bin/env python3
"""Search in headless Chromium on a built site: bytes fetched and latency.

    python3 bench/search_browser.py PUBLIC_DIR [--queries 20] [--typical WORD] [--rare WORD]

Serves PUBLIC_DIR (a `handbook build` output whose base path is `/`) over
HTTP on 127.0.0.1, drives headless Chromium through chromedriver (both
found on PATH, or CHROMIUM / CHROMEDRIVER in the environment) and reports:

* bytes: for a typical and a rare word, the first query on a fresh page
  with the browser cache off: every file under /search/ the page
  requested, and the sum of their gzip-compressed sizes (level 6, what
  GitHub Pages' gzip is comparable to);
* latency: for --queries words, each typed with real key events on a
  freshly loaded page (cache off, so the manifest, chunks and result cards
  are all fetched), the time from the last keystroke's `input` event to
  the results being in the page (the status line changing), measured in
  the page with performance.now(); median, min and max.

Pure Python 3 standard library; speaks WebDriver over HTTP.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

QUERIES = [
    "team", "hiring", "salary", "onboarding", "incident", "pension", "laptop", "promotion",
    "feedback", "mentoring", "quarterly", "holiday", "budget", "releases", "ownership",
    "interview", "customer", "equipment", "decision", "flexible",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, driver: str, chromium: str | None):
        self.port = free_port()
        self.proc = subprocess.Popen([driver, f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.profile = tempfile.mkdtemp(prefix="search-bench-")
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        opts = {"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", f"--user-data-dir={self.profile}"]}
        if chromium:
            opts["binary"] = chromium
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": opts}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]

    def cmd(self, method: str, what: str, body=None):
        return self.call(method, f"/session/{self.session}/{what}", body)

    def run(self, script: str, *args):
        return self.cmd("POST", "execute/sync", {"script": script, "args": list(args)})

    def cdp(self, cmd: str, params: dict):
        return self.cmd("POST", "goog/cdp/execute", {"cmd": cmd, "params": params})

    def keys(self, text: str):
        actions = []
        for c in text:
            actions += [{"type": "keyDown", "value": c}, {"type": "keyUp", "value": c}]
        self.cmd("POST", "actions", {"actions": [{"type": "key", "id": "kb", "actions": actions}]})

    def wait(self, script: str, timeout: float = 30.0):
        end = time.time() + timeout
        while time.time() < end:
            if self.run(script) is True:
                return
            time.sleep(0.02)
        raise SystemExit(f"timed out waiting for: {script}")

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


# Records the last `input` event's time and when the status line changes.
PROBE = """
window.__bench = { input: 0, done: 0 };
const i = document.getElementById('search-input');
i.addEventListener('input', () => { window.__bench.input = performance.now(); window.__bench.done = 0; });
new MutationObserver(() => {
  const t = document.getElementById('search-status').textContent;
  if (/result/.test(t) && window.__bench.input) window.__bench.done = performance.now();
}).observe(document.getElementById('search-status'), { childList: true, characterData: true, subtree: true });
return true;
"""


def fresh_page(wd: WebDriver, url: str):
    wd.cmd("POST", "url", {"url": "about:blank"})
    wd.cdp("Network.clearBrowserCache", {})
    wd.cmd("POST", "url", {"url": url})
    wd.wait("return !!document.getElementById('search-input');")
    wd.run("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(10000); return true;")
    wd.run(PROBE)


def query(wd: WebDriver, word: str) -> float:
    wd.keys("/")
    wd.keys(word)
    wd.wait("return window.__bench.done > 0;")
    return wd.run("return window.__bench.done - window.__bench.input;")


def fetched(wd: WebDriver, public: str) -> list[tuple[str, int, int]]:
    paths = wd.run("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
                   ".filter(p => p.startsWith('/search/'));")
    out = []
    for p in sorted(set(paths)):
        with open(os.path.join(public, p.lstrip("/")), "rb") as f:
            raw = f.read()
        out.append((p, len(raw), len(gzip.compress(raw, 6))))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("public")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--typical", default="team")
    ap.add_argument("--rare", default="belfast")
    args = ap.parse_args()
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not driver:
        raise SystemExit("chromedriver not found on PATH; set CHROMEDRIVER")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    handler = functools.partial(Quiet, directory=args.public)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"

    wd = WebDriver(driver, chromium)
    try:
        wd.cdp("Network.enable", {})
        wd.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
        print("## bytes fetched by the first query (cache off)\n")
        print("| query | files | raw bytes | gzip bytes | results |")
        print("|---|---:|---:|---:|---|")
        for word in [args.typical, args.rare]:
            fresh_page(wd, url)
            query(wd, word)
            files = fetched(wd, args.public)
            status = wd.run("return document.getElementById('search-status').textContent;")
            print(f"| {word} | {len(files)} | {sum(f[1] for f in files):,} | "
                  f"{sum(f[2] for f in files):,} | {status} |")
            for p, raw, gz in files:
                print(f"|   {p} | | {raw:,} | {gz:,} | |", file=sys.stderr)
        times = []
        for word in QUERIES[: args.queries]:
            fresh_page(wd, url)
            times.append(query(wd, word))
        print(f"\n## last keystroke → results, {len(times)} queries, each on a fresh page (cache off)\n")
        print(f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
        print("per query: " + ", ".join(f"{w} {t:.0f}" for w, t in zip(QUERIES, times)))
        # The same words typed one after another on one page, as a visitor
        # refining a search would (Escape clears the box between them).
        fresh_page(wd, url)
        warm = []
        for word in QUERIES[: args.queries]:
            warm.append(query(wd, word))
            wd.keys("\ue00c")
        print(f"\n## the same {len(warm)} queries one after another on one page\n")
        print(f"median {statistics.median(warm):.1f} ms, min {min(warm):.1f} ms, max {max(warm):.1f} ms")
    finally:
        wd.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
