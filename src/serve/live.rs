//! Live reload: the Server-Sent Events hub, the script injected into every
//! served HTML page, and the error overlay.
//!
//! Browsers open `/__handbook/live` (see `LIVE_PATH`); the hub keeps each
//! open stream's socket and `Live::send` writes an event to all of them.
//! Closed streams are found by a keep-alive comment every `KEEP_ALIVE`
//! (and by a read that sees the client's end) and released at once; each
//! client address may hold `MAX_STREAMS_PER_CLIENT`, its oldest giving way
//! to a new one, so no tab, idle or gone, can lock out another. Events: `hello` (on connect, with the build generation, so a page
//! that missed a rebuild while connecting reloads at once), `reload`, `css`
//! (only stylesheets changed) and `error` (JSON with each diagnostic's file,
//! line and message). The overlay is built with `textContent` in the browser
//! and escaped on the server, so a message quoting `<script>` stays text.
//! Injection happens when a page is served, never in the built output: a
//! page in `Output` is exactly what `handbook build` would write.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::sync::Mutex;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::escape::escape_html;

/// The URL path of the event stream.
pub(crate) const LIVE_PATH: &str = "/__handbook/live";

/// Open event streams per client address; a newer one replaces the oldest.
pub(crate) const MAX_STREAMS_PER_CLIENT: usize = 16;

/// Open event streams in all; beyond it new ones are refused (503). Only
/// reachable from many addresses at once.
pub(crate) const MAX_STREAMS: usize = 512;

/// How often open streams get a comment, which finds the closed ones.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(3);

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub(crate) name: &'static str,
    pub(crate) data: String,
}

impl Event {
    /// The event in the `text/event-stream` wire format.
    pub(crate) fn wire(&self) -> String {
        let mut out = format!("event: {}\n", self.name);
        for line in self.data.split('\n') {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        out
    }
}

/// An open event stream: the client's socket, written without blocking.
struct Stream {
    out: TcpStream,
    client: IpAddr,
}

impl Stream {
    /// Writes `bytes` whole, or fails: a client that stopped reading (its
    /// buffer is full) or went away is dropped, never waited for.
    fn write(&mut self, bytes: &[u8]) -> bool {
        matches!(self.out.write(bytes), Ok(n) if n == bytes.len())
    }

    /// Whether the client has closed its end (a read sees the end).
    fn closed(&mut self) -> bool {
        let mut buf = [0u8; 512];
        // Nothing is expected from the client; a few reads of whatever it
        // sends anyway, then it is looked at again on the next tick.
        for _ in 0..64 {
            match self.out.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return true,
            }
        }
        false
    }
}

/// The open event streams. No thread per stream: events and keep-alive
/// comments are written to every socket in turn, and a stream whose write
/// fails or whose client has closed it is dropped at once.
#[derive(Default)]
pub(crate) struct Live {
    /// Oldest first.
    streams: Mutex<Vec<Stream>>,
}

/// Why a stream was not opened.
#[derive(Debug, PartialEq)]
pub(crate) enum Refused {
    /// `MAX_STREAMS` are open.
    Full,
    /// The client went away before the stream started.
    Gone,
}

impl Live {
    /// Starts an event stream on `out` (the response head, `retry` and
    /// `first`), replacing `client`'s oldest stream if it has
    /// `MAX_STREAMS_PER_CLIENT` already.
    pub(crate) fn subscribe(
        &self,
        out: TcpStream,
        client: IpAddr,
        first: &[Event],
    ) -> Result<(), Refused> {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let own: Vec<usize> = (0..streams.len())
            .filter(|&i| streams[i].client == client)
            .collect();
        if own.len() >= MAX_STREAMS_PER_CLIENT {
            streams.remove(own[0]);
        } else if streams.len() >= MAX_STREAMS {
            return Err(Refused::Full);
        }
        let mut stream = Stream { out, client };
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-cache\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n";
        // `retry` makes browsers reconnect quickly after a restart of serve.
        let mut start = format!("{head}retry: 500\n\n");
        for e in first {
            start.push_str(&e.wire());
        }
        if stream.out.set_nonblocking(true).is_err() || !stream.write(start.as_bytes()) {
            return Err(Refused::Gone);
        }
        streams.push(stream);
        Ok(())
    }

    /// Sends `event` to every open stream, dropping those that fail.
    pub(crate) fn send(&self, event: Event) {
        self.write_all(event.wire().as_bytes());
    }

    /// A comment to every stream: keeps proxies from closing idle streams
    /// and drops the streams whose clients have gone.
    pub(crate) fn keep_alive(&self) {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        streams.retain_mut(|s| !s.closed() && s.write(b": keep-alive\n\n"));
    }

    fn write_all(&self, bytes: &[u8]) {
        let mut streams = self
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        streams.retain_mut(|s| s.write(bytes));
    }

    /// How many streams are open.
    #[cfg(test)]
    pub(crate) fn open_streams(&self) -> usize {
        self.streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

/// JSON for an `error` event: `{"errors": [{"file", "line", "col",
/// "message", "hint", "severity"}]}`.
pub(crate) fn error_json(diags: &[Diagnostic]) -> String {
    let errors: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.path.to_string_lossy(),
                "line": d.line,
                "col": d.col,
                "message": d.message,
                "hint": d.hint,
                "severity": d.severity,
                "code": d.code,
            })
        })
        .collect();
    serde_json::json!({ "errors": errors }).to_string()
}

/// The overlay listing `diags`, escaped, as the server puts it in pages
/// served while the build is broken.
pub(crate) fn overlay_html(diags: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in diags {
        let mut place = d.path.to_string_lossy().into_owned();
        if let Some(line) = d.line {
            place.push_str(&format!(":{line}"));
            if let Some(col) = d.col {
                place.push_str(&format!(":{col}"));
            }
        }
        items.push_str(&format!(
            "<li><code class=\"handbook-error-file\">{}</code> <span class=\"handbook-error-message\">{}</span>{}</li>",
            escape_html(&place),
            escape_html(&d.message),
            d.hint
                .as_deref()
                .map(|h| format!("<br><small>hint: {}</small>", escape_html(h)))
                .unwrap_or_default()
        ));
    }
    format!(
        "<div id=\"handbook-error-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <strong>Build failed; showing the last good version.</strong><ul>{items}</ul></div>"
    )
}

const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
    z-index:2147483647;margin:0;padding:1em 1.5em;background:#2b0b0b;color:#ffdede;\
    font:14px/1.5 ui-monospace,monospace;border-top:4px solid #e5484d;white-space:pre-wrap";

/// The script every served page gets: listens for events and acts on them.
/// `generation` is the build the page came from. The stream is closed when
/// the page is left: a browser keeps pages in its back-forward cache with
/// their connections open, and Chromium allows six per server, so after a
/// few page views new pages stalled until an old one was evicted. A page
/// restored from that cache reloads instead.
pub(crate) fn script(generation: u64) -> String {
    format!(
        r#"<script>(function(){{
var gen={generation},style="{OVERLAY_STYLE}";
var es=new EventSource("{LIVE_PATH}");window.__handbookLive=es;
addEventListener("pagehide",function(){{es.close();}});
addEventListener("pageshow",function(e){{if(e.persisted)location.reload();}});
es.addEventListener("hello",function(e){{if(Number(e.data)!==gen)location.reload();}});
es.addEventListener("reload",function(){{location.reload();}});
es.addEventListener("css",function(){{document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){{var u=new URL(l.href);u.searchParams.set("handbook-reload",Date.now());l.href=u.href;}});}});
es.addEventListener("error",function(e){{if(!e.data)return;var d;try{{d=JSON.parse(e.data);}}catch(_){{return;}}
var o=document.getElementById("handbook-error-overlay");if(o)o.remove();
o=document.createElement("div");o.id="handbook-error-overlay";o.setAttribute("role","alert");o.setAttribute("style",style);
var s=document.createElement("strong");s.textContent="Build failed; showing the last good version.";o.appendChild(s);
var ul=document.createElement("ul");(d.errors||[]).forEach(function(x){{var li=document.createElement("li");
var c=document.createElement("code");c.className="handbook-error-file";c.textContent=x.file+(x.line?":"+x.line+(x.col?":"+x.col:""):"");
var m=document.createElement("span");m.className="handbook-error-message";m.textContent=" "+x.message;li.appendChild(c);li.appendChild(m);
if(x.hint){{var h=document.createElement("small");h.textContent="hint: "+x.hint;li.appendChild(document.createElement("br"));li.appendChild(h);}}
ul.appendChild(li);}});o.appendChild(ul);document.body.appendChild(o);}});
}})();</script>"#
    )
}

/// `html` with the live-reload script, and the overlay when `errors` is
/// given, inserted before the last `</body>` (or appended).
pub(crate) fn inject(html: &[u8], generation: u64, errors: Option<&[Diagnostic]>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(errors) = errors {
        extra.push_str(&overlay_html(errors));
    }
    extra.push_str(&script(generation));
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page served when no build has succeeded yet.
pub(crate) fn failed_page(errors: &[Diagnostic], generation: u64) -> Vec<u8> {
    let html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                <title>Build failed · handbook serve</title></head><body>\
                <h1>The site did not build</h1><p>Fix the problems below; this page \
                reloads when the build succeeds.</p></body></html>\n";
    inject(html.as_bytes(), generation, Some(errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_tag() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", 3, None);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("<html><body><p>x</p><script>"), "{s}");
        assert!(s.ends_with("</script></BODY></html>"), "{s}");
        assert!(s.contains("var gen=3,"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1, None)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script>"));
    }

    #[test]
    fn overlay_escapes_messages_and_paths() {
        let d = Diagnostic::error(
            crate::diagnostic::Code::TemplateError,
            "content/<b>.md",
            "unexpected `<script>alert(1)</script>`",
        )
        .at(3, Some(7))
        .hint("close the \"&\"");
        let html = overlay_html(&[d]);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("content/&lt;b&gt;.md:3:7"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    /// A connected pair on loopback: (client end, server end).
    fn pair(listener: &std::net::TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn a_crowded_address_gives_up_its_oldest_stream_and_gone_clients_are_reaped() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let live = Live::default();
        let me: IpAddr = [127, 0, 0, 1].into();
        let mut clients = Vec::new();
        for _ in 0..MAX_STREAMS_PER_CLIENT + 1 {
            let (client, server) = pair(&listener);
            live.subscribe(server, me, &[]).unwrap();
            clients.push(client);
        }
        assert_eq!(live.open_streams(), MAX_STREAMS_PER_CLIENT);
        // The oldest was closed by the server: its client reads to the end.
        let mut first = clients.remove(0);
        first
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut text = String::new();
        first.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        // Another address is not affected by this one's cap.
        let (other, server) = pair(&listener);
        live.subscribe(server, [127, 0, 0, 2].into(), &[]).unwrap();
        assert_eq!(live.open_streams(), MAX_STREAMS_PER_CLIENT + 1);
        // Clients that leave are released by the next keep-alive.
        drop(clients.drain(..5));
        drop(other);
        live.keep_alive();
        assert_eq!(live.open_streams(), MAX_STREAMS_PER_CLIENT - 5);
    }

    #[test]
    fn events_use_the_wire_format_with_one_data_line_per_line() {
        let e = Event {
            name: "error",
            data: "a\nb".into(),
        };
        assert_eq!(e.wire(), "event: error\ndata: a\ndata: b\n\n");
    }

    #[test]
    fn error_json_has_file_line_and_message() {
        let d = Diagnostic::error(crate::diagnostic::Code::InvalidRole, "content/a.md", "bad")
            .at(2, None);
        let v: serde_json::Value = serde_json::from_str(&error_json(&[d])).unwrap();
        assert_eq!(v["errors"][0]["file"], "content/a.md");
        assert_eq!(v["errors"][0]["line"], 2);
        assert_eq!(v["errors"][0]["message"], "bad");
        assert_eq!(v["errors"][0]["code"], "invalid-role");
    }
}
