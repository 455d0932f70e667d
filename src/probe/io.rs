//! Byte streams with limits: bytes counted, the first bytes kept (to recognise a cleartext greeting
//! where TLS was expected), lines capped, and every read and write bounded by the endpoint's deadline;
//! and on top of them, replies as a [`Dialect`] frames them.

use super::dialect::{self, classify, wrong_protocol, Command, Dialect, Expect, Framing, Greeting};
use super::dialect::{Reply, Stop};
use super::report::FailureKind;
use crate::model::Protocol;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};
use tokio_rustls::client::TlsStream;

/// The longest line accepted (RFC 2683 §3.2.1.5 recommends clients accept 8000 octets).
pub const MAX_LINE: usize = 8 * 1024;
/// The most one answer (a multi-line capability list, say) may hold.
pub const MAX_RESPONSE: usize = 64 * 1024;
/// How many of the first bytes received are kept (a server's explanation in cleartext where
/// TLS was expected is shown from them).
const FIRST_BYTES: usize = 512;

/// Connects within the deadline, with the probe's socket options: no Nagle delay for its own
/// small writes, and quick ACKs (see [`Counted`]).
pub async fn connect(addr: std::net::SocketAddr, deadline: Instant) -> io::Result<TcpStream> {
    let stream = timeout_at(deadline, TcpStream::connect(addr))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "timed out"))??;
    let _ = stream.set_nodelay(true);
    quick_ack(&stream);
    Ok(stream)
}

/// Asks the kernel to acknowledge what arrives at once instead of delaying the ACK (Linux's
/// TCP_QUICKACK, which it turns off again by itself, hence after every read). Why: a server
/// that writes its answer in two parts (TLS session tickets, then the greeting; an EHLO reply
/// written line by line) with Nagle's algorithm on holds the second part until the first is
/// acknowledged, and a client with nothing to send delays that ACK by 40 ms: Postfix and Cyrus
/// stalled every exchange so (scripts/bench-probe.sh measures it).
fn quick_ack(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        let _ = socket2::SockRef::from(stream).set_tcp_quickack(true);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stream;
}

/// A TCP stream that counts what it receives and keeps the first bytes.
#[derive(Debug)]
pub struct Counted {
    inner: TcpStream,
    received: u64,
    first: Vec<u8>,
}

impl Counted {
    pub fn new(inner: TcpStream) -> Counted {
        Counted {
            inner,
            received: 0,
            first: Vec::new(),
        }
    }

    /// Bytes received so far (TLS records included).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The first bytes the peer sent (at most 512) since the connection opened, or since
    /// [`Counted::capture_from_here`].
    pub fn first_bytes(&self) -> &[u8] {
        &self.first
    }

    /// Keeps the first bytes received from now on (at STARTTLS: what came instead of TLS).
    pub fn capture_from_here(&mut self) {
        self.first.clear();
    }

    /// Reads more of a cleartext line the peer began where TLS was expected, until its end, a
    /// short wait, or the capture is full: the server's own words about a failure.
    pub async fn finish_cleartext_line(&mut self, deadline: Instant) {
        let mut buf = [0u8; 256];
        while !self.first.contains(&b'\n') && self.first.len() < FIRST_BYTES {
            match timeout_at(deadline, self.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
        }
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = r {
            let new = &buf.filled()[before..];
            this.received += new.len() as u64;
            let room = FIRST_BYTES.saturating_sub(this.first.len());
            this.first.extend_from_slice(&new[..new.len().min(room)]);
            quick_ack(&this.inner);
        }
        r
    }
}

impl AsyncWrite for Counted {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, b: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, b)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A connection in cleartext or inside TLS.
#[derive(Debug)]
pub enum Conn {
    Plain(Counted),
    Tls(Box<TlsStream<Counted>>),
}

impl Conn {
    pub fn counted(&self) -> &Counted {
        match self {
            Conn::Plain(c) => c,
            Conn::Tls(t) => t.get_ref().0,
        }
    }

    pub fn is_tls(&self) -> bool {
        matches!(self, Conn::Tls(_))
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(c) => Pin::new(c).poll_read(cx, buf),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, b: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(c) => Pin::new(c).poll_write(cx, b),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_write(cx, b),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(c) => Pin::new(c).poll_flush(cx),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(c) => Pin::new(c).poll_shutdown(cx),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Why a read or write did not complete.
#[derive(Debug)]
pub enum IoFailure {
    /// The deadline passed.
    Timeout,
    /// The peer closed the connection; `partial` bytes of an unfinished line were pending.
    Closed { partial: usize },
    /// A line longer than [`MAX_LINE`], or an answer larger than [`MAX_RESPONSE`].
    TooLong,
    /// A socket or TLS error.
    Io(io::Error),
}

impl std::fmt::Display for IoFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IoFailure::Timeout => f.write_str("timed out"),
            IoFailure::Closed { partial: 0 } => f.write_str("the server closed the connection"),
            IoFailure::Closed { partial } => write!(
                f,
                "the server closed the connection in the middle of a line ({partial} bytes without a line end)"
            ),
            IoFailure::TooLong => write!(
                f,
                "the server sent a line longer than {MAX_LINE} bytes (or an answer over {MAX_RESPONSE} bytes)"
            ),
            IoFailure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<IoFailure> for Stop {
    fn from(f: IoFailure) -> Stop {
        let kind = match &f {
            IoFailure::Timeout => FailureKind::Timeout,
            IoFailure::Closed { .. } => FailureKind::Closed,
            IoFailure::TooLong => FailureKind::TooLong,
            IoFailure::Io(e) => {
                if e.get_ref()
                    .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
                {
                    FailureKind::Tls
                } else {
                    FailureKind::Closed
                }
            }
        };
        Stop {
            kind,
            message: f.to_string(),
        }
    }
}

/// A connection read line by line, with a fixed-size buffer: memory stays bounded whatever the
/// peer sends.
#[derive(Debug)]
pub struct Lines {
    conn: Conn,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    deadline: Instant,
}

impl Lines {
    pub fn new(conn: Conn, deadline: Instant) -> Lines {
        Lines {
            conn,
            buf: vec![0; MAX_LINE + 2].into_boxed_slice(),
            start: 0,
            end: 0,
            deadline,
        }
    }

    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// A new deadline for what follows (a login after the endpoint's own stages).
    pub fn set_deadline(&mut self, deadline: Instant) {
        self.deadline = deadline;
    }

    /// Waits until `until` (at most the deadline) for the peer to send something. `Ok(true)`:
    /// bytes are buffered; `Ok(false)`: the peer stayed silent.
    pub async fn wait_for_data(&mut self, until: Instant) -> Result<bool, IoFailure> {
        if self.end > self.start {
            return Ok(true);
        }
        let end = self.end;
        let until = until.min(self.deadline);
        match timeout_at(until, self.conn.read(&mut self.buf[end..])).await {
            Err(_) => Ok(false),
            Ok(Err(e)) => Err(IoFailure::Io(e)),
            Ok(Ok(0)) => Err(IoFailure::Closed { partial: 0 }),
            Ok(Ok(n)) => {
                self.end += n;
                Ok(true)
            }
        }
    }

    /// Gives the connection back, dropping whatever was buffered and not yet read; returns how
    /// many bytes that was. Used at STARTTLS: nothing received in cleartext may be read as if it
    /// had come over TLS.
    pub fn into_conn_discarding(self) -> (Conn, usize) {
        (self.conn, self.end - self.start)
    }

    /// Reads one line without its line end (CRLF or a bare LF); invalid UTF-8 is replaced.
    pub async fn line(&mut self) -> Result<String, IoFailure> {
        loop {
            if let Some(i) = self.buf[self.start..self.end]
                .iter()
                .position(|&b| b == b'\n')
            {
                let mut line = &self.buf[self.start..self.start + i];
                if line.last() == Some(&b'\r') {
                    line = &line[..line.len() - 1];
                }
                let text = String::from_utf8_lossy(line).into_owned();
                self.start += i + 1;
                return Ok(text);
            }
            if self.end - self.start > MAX_LINE {
                return Err(IoFailure::TooLong);
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let n = self.fill().await?;
            if n == 0 {
                return Err(IoFailure::Closed {
                    partial: self.end - self.start,
                });
            }
        }
    }

    /// Reads and drops `n` bytes (an IMAP literal in a response we do not need).
    pub async fn skip(&mut self, mut n: usize) -> Result<(), IoFailure> {
        if n > MAX_RESPONSE {
            return Err(IoFailure::TooLong);
        }
        loop {
            let have = (self.end - self.start).min(n);
            self.start += have;
            n -= have;
            if n == 0 {
                return Ok(());
            }
            self.start = 0;
            self.end = 0;
            if self.fill().await? == 0 {
                return Err(IoFailure::Closed { partial: 0 });
            }
        }
    }

    async fn fill(&mut self) -> Result<usize, IoFailure> {
        let end = self.end;
        match timeout_at(self.deadline, self.conn.read(&mut self.buf[end..])).await {
            Err(_) => Err(IoFailure::Timeout),
            Ok(Err(e)) => Err(IoFailure::Io(e)),
            Ok(Ok(n)) => {
                self.end += n;
                Ok(n)
            }
        }
    }

    /// Writes all of `data` and flushes it (TLS records included).
    pub async fn send(&mut self, data: &[u8]) -> Result<(), IoFailure> {
        let conn = &mut self.conn;
        let write = async {
            conn.write_all(data).await?;
            conn.flush().await
        };
        match timeout_at(self.deadline, write).await {
            Err(_) => Err(IoFailure::Timeout),
            Ok(Err(e)) => Err(IoFailure::Io(e)),
            Ok(Ok(())) => Ok(()),
        }
    }

    /// Closes politely (TLS close_notify, then FIN), without waiting long for it.
    pub async fn close(mut self) {
        let deadline = self
            .deadline
            .min(Instant::now() + std::time::Duration::from_millis(200));
        let _ = timeout_at(deadline, self.conn.shutdown()).await;
    }
}

/// Reads lines into `reply` until the dialect says it has ended, within [`MAX_RESPONSE`]. `first`
/// is a line already read (the greeting's, which said the protocol). On failure, `reply` holds
/// what was read.
pub async fn read_reply(
    lines: &mut Lines,
    d: &dyn Dialect,
    expect: &Expect,
    mut first: Option<String>,
    reply: &mut Reply,
) -> Result<(), Stop> {
    let mut total = 0usize;
    loop {
        let line = match first.take() {
            Some(line) => line,
            None => lines.line().await?,
        };
        total += line.len() + 2;
        if total > MAX_RESPONSE {
            return Err(IoFailure::TooLong.into());
        }
        let framing = d.framing(expect, &reply.lines, &line)?;
        reply.lines.push(line);
        match framing {
            Framing::More => {}
            Framing::Skip(n) => lines.skip(n).await?,
            Framing::End => return Ok(()),
        }
    }
}

/// Reads the greeting. Its first line says the protocol, which must be `expected` when one is;
/// returns the protocol's dialect and the greeting (SMTP's continuation lines included), checked.
/// On failure, the text read so far.
pub async fn read_greeting(
    lines: &mut Lines,
    expected: Option<Protocol>,
) -> Result<(&'static dyn Dialect, Reply), (Stop, Option<String>)> {
    let first = lines.line().await.map_err(|e| (Stop::from(e), None))?;
    let detected = match classify(&first) {
        Greeting::Mail { protocol, .. } => Some(protocol),
        _ => None,
    };
    let protocol = match (expected, detected) {
        (Some(e), Some(d)) if e != d => return Err((wrong_protocol(Some(e), &first), Some(first))),
        (_, Some(d)) => d,
        (e, None) => return Err((wrong_protocol(e, &first), Some(first))),
    };
    let d = dialect::dialect(protocol);
    let mut greeting = Reply::default();
    let read = read_reply(
        lines,
        d,
        &Expect::default(),
        Some(first.clone()),
        &mut greeting,
    )
    .await;
    match read.and_then(|()| d.check_greeting(&greeting)) {
        Ok(()) => Ok((d, greeting)),
        Err(stop) if greeting.lines.is_empty() => Err((stop, Some(first))),
        Err(stop) => Err((stop, Some(greeting.text()))),
    }
}

/// Sends a command and reads its reply.
pub async fn exchange(
    lines: &mut Lines,
    d: &dyn Dialect,
    command: &Command,
) -> Result<Reply, Stop> {
    lines
        .send(format!("{}\r\n", command.line).as_bytes())
        .await?;
    let mut reply = Reply::default();
    read_reply(lines, d, &command.expect, None, &mut reply).await?;
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// A peer that sends `data` then holds the connection open for a while.
    async fn lines_from(data: Vec<u8>, timeout_ms: u64) -> Lines {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = l.accept().await.unwrap();
            let _ = s.write_all(&data).await;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        });
        let s = TcpStream::connect(addr).await.unwrap();
        Lines::new(
            Conn::Plain(Counted::new(s)),
            Instant::now() + std::time::Duration::from_millis(timeout_ms),
        )
    }

    #[test]
    fn lines_split_on_crlf_and_lf() {
        rt().block_on(async {
            let mut l = lines_from(b"* OK hi\r\nsecond\nthird\r\n".to_vec(), 2000).await;
            assert_eq!(l.line().await.unwrap(), "* OK hi");
            assert_eq!(l.line().await.unwrap(), "second");
            assert_eq!(l.line().await.unwrap(), "third");
            assert_eq!(
                l.conn().counted().first_bytes(),
                b"* OK hi\r\nsecond\nthird\r\n"
            );
        });
    }

    #[test]
    fn endless_line_is_cut_at_the_cap_without_growing_the_buffer() {
        rt().block_on(async {
            let mut l = lines_from(vec![b'A'; 1 << 20], 5000).await;
            let cap = l.buf.len();
            assert!(matches!(l.line().await, Err(IoFailure::TooLong)));
            assert_eq!(l.buf.len(), cap);
            // It stopped reading right after the cap: at most one more socket read.
            assert!(l.conn().counted().received() <= (2 * cap) as u64);
        });
    }

    #[test]
    fn silence_times_out_and_close_mid_line_is_reported() {
        rt().block_on(async {
            let mut l = lines_from(Vec::new(), 100).await;
            assert!(matches!(l.line().await, Err(IoFailure::Timeout)));
            let l2 = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = l2.local_addr().unwrap();
            tokio::spawn(async move {
                let (mut s, _) = l2.accept().await.unwrap();
                s.write_all(b"* OK hal").await.unwrap();
            });
            let s = TcpStream::connect(addr).await.unwrap();
            let mut l = Lines::new(
                Conn::Plain(Counted::new(s)),
                Instant::now() + std::time::Duration::from_secs(2),
            );
            assert!(matches!(
                l.line().await,
                Err(IoFailure::Closed { partial: 8 })
            ));
        });
    }

    #[test]
    fn buffered_bytes_are_discarded_and_counted() {
        rt().block_on(async {
            let mut l = lines_from(b"a2 OK begin TLS\r\n* OK injected\r\n".to_vec(), 2000).await;
            assert_eq!(l.line().await.unwrap(), "a2 OK begin TLS");
            let (_conn, dropped) = l.into_conn_discarding();
            assert_eq!(dropped, "* OK injected\r\n".len());
        });
    }
}
