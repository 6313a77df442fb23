//! Connections for the preview server: one event-loop thread accepts them
//! and reads request heads without blocking; a fixed pool of workers
//! answers complete requests.
//!
//! Why not a thread per connection: slow or idle clients would each hold a
//! thread (3,000 of them made 3,000 threads), and an unbounded read of the
//! request line let one client take hundreds of megabytes. Here a
//! connection costs a socket and at most `http::MAX_HEAD` bytes until its
//! head is complete; only then is it queued (bounded, `QUEUE`) for one of
//! `WORKERS` threads. A connection that does not complete a request within
//! `IDLE` of opening or of its last answer is closed; at `MAX_CONNECTIONS`
//! the one waiting longest is dropped for the newcomer, so a flood of idle
//! clients cannot lock anyone out. Heads over the limits get 414 or 431.
//! What a request means is the handler's business (`server`); this module
//! only moves bytes and sockets.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Token, Waker};

use super::http::{self, Response};

/// Worker threads answering requests.
pub(crate) const WORKERS: usize = 8;
/// Complete requests waiting for a worker.
const QUEUE: usize = 256;
/// Open connections at most (idle ones included).
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// How long a connection may take to send a complete request head.
pub(crate) const IDLE: Duration = Duration::from_secs(10);
/// How long a refused connection is drained before it is closed, so the
/// client reads the error instead of a reset.
const LINGER: Duration = Duration::from_secs(2);

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// A connection with a complete request head at the start of `buf`, as
/// handed to the handler. The stream is blocking.
pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    pub(crate) peer: SocketAddr,
    /// The address the client connected to (one of this machine's).
    pub(crate) local: SocketAddr,
    pub(crate) buf: Vec<u8>,
}

/// Answers the requests in a `Conn`; returns it to keep it open for the
/// next request (with any partial bytes left in `buf`), or `None` when it
/// is closed or handed elsewhere (an event stream).
pub(crate) type Handler = dyn Fn(Conn) -> Option<Conn> + Send + Sync;

/// A connection waiting for its request head.
struct Waiting {
    stream: mio::net::TcpStream,
    peer: SocketAddr,
    local: SocketAddr,
    buf: Vec<u8>,
    since: Instant,
    /// Refused: draining until this moment, then closed.
    closing: Option<Instant>,
}

/// Starts the event loop and the workers; they run until the process ends.
pub(crate) fn start(listener: std::net::TcpListener, handler: Arc<Handler>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let mut listener = mio::net::TcpListener::from_std(listener);
    let poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    let (jobs_tx, jobs_rx) = sync_channel::<Conn>(QUEUE);
    let (back_tx, back_rx) = channel::<Conn>();
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    for n in 0..WORKERS {
        let (jobs, back, waker, handler) = (
            jobs_rx.clone(),
            back_tx.clone(),
            waker.clone(),
            handler.clone(),
        );
        std::thread::Builder::new()
            .name(format!("serve-{n}"))
            .spawn(move || worker(&jobs, &back, &waker, &*handler))?;
    }
    let mut event_loop = Loop {
        poll,
        listener,
        conns: HashMap::new(),
        next: 2,
        jobs: jobs_tx,
        back: back_rx,
    };
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || event_loop.run())?;
    Ok(())
}

fn worker(jobs: &Mutex<Receiver<Conn>>, back: &Sender<Conn>, waker: &Waker, handler: &Handler) {
    loop {
        let job = {
            let jobs = jobs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            jobs.recv()
        };
        let Ok(conn) = job else { return };
        if let Some(conn) = handler(conn) {
            if conn.stream.set_nonblocking(true).is_ok() && back.send(conn).is_ok() {
                let _ = waker.wake();
            }
        }
    }
}

struct Loop {
    poll: Poll,
    listener: mio::net::TcpListener,
    conns: HashMap<usize, Waiting>,
    next: usize,
    jobs: SyncSender<Conn>,
    back: Receiver<Conn>,
}

impl Loop {
    fn run(&mut self) {
        let mut events = Events::with_capacity(256);
        let mut last_sweep = Instant::now();
        loop {
            if let Err(e) = self
                .poll
                .poll(&mut events, Some(Duration::from_millis(500)))
            {
                if e.kind() != ErrorKind::Interrupted {
                    eprintln!("error: the preview server stopped accepting connections: {e}");
                    return;
                }
            }
            let mut accept = false;
            let mut ready = Vec::new();
            for event in &events {
                match event.token() {
                    LISTENER => accept = true,
                    WAKER => {}
                    Token(t) => ready.push(t),
                }
            }
            // Accept on every turn too: after running out of file
            // descriptors no new event comes for connections already queued.
            if accept || last_sweep.elapsed() >= Duration::from_millis(500) {
                self.accept();
            }
            while let Ok(conn) = self.back.try_recv() {
                self.returned(conn);
            }
            for t in ready {
                self.readable(t);
            }
            if last_sweep.elapsed() >= Duration::from_millis(500) {
                self.sweep();
                last_sweep = Instant::now();
            }
        }
    }

    fn token(&mut self) -> usize {
        loop {
            self.next = self.next.wrapping_add(1).max(2);
            if !self.conns.contains_key(&self.next) {
                return self.next;
            }
        }
    }

    fn accept(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let local = stream.local_addr().unwrap_or(peer);
                    self.add(stream, peer, local, Vec::new());
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // WouldBlock: none left. Anything else (out of file
                // descriptors): try again on the next turn.
                Err(_) => return,
            }
        }
    }

    fn add(
        &mut self,
        mut stream: mio::net::TcpStream,
        peer: SocketAddr,
        local: SocketAddr,
        buf: Vec<u8>,
    ) {
        if self.conns.len() >= MAX_CONNECTIONS {
            self.evict_oldest();
        }
        let token = self.token();
        if self
            .poll
            .registry()
            .register(&mut stream, Token(token), Interest::READABLE)
            .is_err()
        {
            return;
        }
        self.conns.insert(
            token,
            Waiting {
                stream,
                peer,
                local,
                buf,
                since: Instant::now(),
                closing: None,
            },
        );
        // Bytes that came before registering are read now.
        self.readable(token);
    }

    /// Drops the connection that has waited longest for its request.
    fn evict_oldest(&mut self) {
        let oldest = self
            .conns
            .iter()
            .min_by_key(|(_, w)| (w.closing.is_none(), w.since))
            .map(|(t, _)| *t);
        if let Some(t) = oldest {
            self.close(t);
        }
    }

    fn close(&mut self, token: usize) {
        if let Some(mut w) = self.conns.remove(&token) {
            let _ = self.poll.registry().deregister(&mut w.stream);
        }
    }

    fn returned(&mut self, conn: Conn) {
        let stream = mio::net::TcpStream::from_std(conn.stream);
        self.add(stream, conn.peer, conn.local, conn.buf);
    }

    /// Reads what the connection has sent; queues it for a worker once its
    /// head is complete, refuses it if the head is too large or malformed.
    fn readable(&mut self, token: usize) {
        let Some(w) = self.conns.get_mut(&token) else {
            return;
        };
        let mut chunk = [0u8; 16 * 1024];
        // A refused client is drained 4 MB per wake-up at most, so a fast
        // sender cannot keep the loop from the others (new data wakes it
        // again; the linger deadline ends it).
        let mut drains = 0;
        let closed = loop {
            match w.stream.read(&mut chunk) {
                Ok(0) => break true,
                Ok(_) if w.closing.is_some() => {
                    drains += 1;
                    if drains == 256 {
                        break false;
                    }
                }
                Ok(n) => {
                    w.buf.extend_from_slice(&chunk[..n]);
                    // Never hold more than one head's worth.
                    if w.buf.len() > http::MAX_HEAD + chunk.len() {
                        break false;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => break false,
                Err(_) => break true,
            }
        };
        if w.closing.is_some() {
            if closed {
                self.close(token);
            }
            return;
        }
        match http::parse_head(&w.buf) {
            Ok(Some(_)) => self.dispatch(token),
            Ok(None) if closed => self.close(token),
            Ok(None) => {}
            Err(refusal) => self.refuse(token, refusal),
        }
    }

    fn dispatch(&mut self, token: usize) {
        let Some(mut w) = self.conns.remove(&token) else {
            return;
        };
        let _ = self.poll.registry().deregister(&mut w.stream);
        let stream: TcpStream = w.stream.into();
        if stream.set_nonblocking(false).is_err() {
            return;
        }
        let _ = stream.set_write_timeout(Some(IDLE));
        let conn = Conn {
            stream,
            peer: w.peer,
            local: w.local,
            buf: w.buf,
        };
        if let Err(TrySendError::Full(mut conn)) = self.jobs.try_send(conn) {
            let busy = Response::plain(503, "503 Service Unavailable: the preview server is busy")
                .with("Retry-After", "1");
            let _ = conn.stream.write_all(&busy.to_bytes(false, false));
        }
    }

    /// Answers `status` and drains the connection for a moment before
    /// closing it.
    fn refuse(&mut self, token: usize, refusal: http::Refusal) {
        let Some(w) = self.conns.get_mut(&token) else {
            return;
        };
        let bytes = Response::plain(refusal.status(), &refusal.to_string()).to_bytes(false, false);
        // A few hundred bytes fit in any socket buffer.
        let _ = w.stream.write_all(&bytes);
        let _ = w.stream.shutdown(Shutdown::Write);
        w.buf = Vec::new();
        w.closing = Some(Instant::now() + LINGER);
        self.readable(token);
    }

    /// Closes connections past their time.
    fn sweep(&mut self) {
        let now = Instant::now();
        let expired: Vec<usize> = self
            .conns
            .iter()
            .filter(|(_, w)| match w.closing {
                Some(until) => now >= until,
                None => now.duration_since(w.since) >= IDLE,
            })
            .map(|(t, _)| *t)
            .collect();
        for t in expired {
            self.close(t);
        }
    }
}
