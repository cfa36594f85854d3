//! Accepting connections within bounds: at most `max_connections` open at once (more are
//! accepted and closed at once, so the listen queue never fills while health checks wait), a
//! connection whose client says nothing for `header_timeout` after connecting is closed, so is
//! one that moves no byte either way for `idle_timeout`, and an accept error (out of file
//! descriptors) backs off instead of spinning a core.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// The bounds on connections (see `ServerLimits`).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

/// An accepted connection that holds its place under the cap until it is dropped, and ends
/// itself when the client has sent nothing within `header_timeout` of connecting, or after
/// `idle_timeout` without traffic. Until the client's first byte only its reads count as
/// traffic: the server's own greeting (HTTP/2 SETTINGS) must not keep a silent socket open.
pub struct BoundedStream {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
    idle_timeout: Duration,
    heard_from_client: bool,
    idle: Pin<Box<Sleep>>,
}

impl Drop for BoundedStream {
    fn drop(&mut self) {
        metrics::gauge!("freight_connections_open").decrement(1.0);
    }
}

impl BoundedStream {
    fn touch(&mut self) {
        self.idle.as_mut().reset(Instant::now() + self.idle_timeout);
    }

    /// `Poll::Ready(err)` once the connection has been idle too long.
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<std::io::Error> {
        self.idle
            .as_mut()
            .poll(cx)
            .is_ready()
            .then(|| std::io::Error::new(std::io::ErrorKind::TimedOut, "connection idle too long"))
    }
}

use std::future::Future;

impl AsyncRead for BoundedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.heard_from_client = true;
                    self.touch();
                }
                Poll::Ready(result)
            }
            Poll::Pending => match self.expired(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for BoundedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, data);
        if self.heard_from_client && matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl tonic::transport::server::Connected for BoundedStream {
    type ConnectInfo = tonic::transport::server::TcpConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.stream.connect_info()
    }
}

/// The longest an accept loop waits after an error before trying again.
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Accepts on `listener` in its own task and yields the connections that fit under the cap
/// (Nagle's algorithm off: gRPC writes small frames and waits for the answer, so holding one
/// back until the peer's delayed ACK adds ~40 ms to some calls). The task ends when the
/// stream is dropped.
pub fn accept(
    listener: TcpListener,
    limits: ConnectionLimits,
) -> tokio_stream::wrappers::ReceiverStream<std::io::Result<BoundedStream>> {
    let (tx, rx) = mpsc::channel(16);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(5);
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = tx.closed() => return,
            };
            let stream = match accepted {
                Ok((stream, _)) => {
                    backoff = Duration::from_millis(5);
                    stream
                }
                Err(e) => {
                    tracing::warn!(error = %e, backoff_ms = backoff.as_millis() as u64, "accept failed");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_ACCEPT_BACKOFF);
                    continue;
                }
            };
            let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
                metrics::counter!("freight_connections_refused_total").increment(1);
                tracing::warn!(
                    max_connections = limits.max_connections,
                    "connection refused: at the connection limit"
                );
                drop(stream);
                continue;
            };
            if let Err(e) = stream.set_nodelay(true) {
                tracing::warn!(error = %e, "could not disable Nagle's algorithm");
            }
            metrics::gauge!("freight_connections_open").increment(1.0);
            let bounded = BoundedStream {
                stream,
                _permit: permit,
                idle_timeout: limits.idle_timeout,
                heard_from_client: false,
                idle: Box::pin(tokio::time::sleep(limits.header_timeout)),
            };
            if tx.send(Ok(bounded)).await.is_err() {
                return;
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}
