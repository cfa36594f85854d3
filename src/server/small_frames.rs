//! Small answers leave in small DATA frames, so that many of them share one system call.
//!
//! HTTP/2 (the `h2` crate) copies a DATA frame's payload shorter than 1 KiB into its write buffer,
//! where the frames of every stream on the connection gather until the next flush. A larger
//! payload is written on its own, and the frame after it must wait for a flush of the socket:
//! every answer of 1 KiB or more cost the server a system call of its own. A default
//! FindRoutes answer is about 1.1 KB; measured with h2load (4 connections × 16 streams), it
//! took 1.7 `sendto` per call against 0.7 per health check. Cut into frames shorter than 1 KiB
//! it takes 0.7, and FindRoutes answered 17 % more calls a second (45,186 -> 52,576).
//!
//! Only bodies' pieces of up to [`SPLIT_UP_TO`] bytes are cut: a larger piece (a stream of
//! matrix elements, a console file) is worth its own system call, and cutting it would only
//! add frame headers.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// The largest DATA payload `h2` copies into its write buffer rather than writing it apart
/// (it writes a payload of 1024 bytes or more apart when the socket takes no vectored writes,
/// as ours, see `connections.rs`).
pub const FRAME_BYTES: usize = 1023;

/// The largest piece of a body that is cut into frames of [`FRAME_BYTES`].
pub const SPLIT_UP_TO: usize = 8 * 1024;

/// The answer with its body cut as [`CutBody`] says.
pub fn cut<B>(response: http::Response<B>) -> http::Response<CutBody<B>> {
    response.map(|body| CutBody {
        inner: body,
        rest: Bytes::new(),
    })
}

/// A body whose data pieces of up to [`SPLIT_UP_TO`] bytes come out as frames of at most
/// [`FRAME_BYTES`] (the same bytes, in the same order; `Bytes` are cut without copying).
#[derive(Debug)]
pub struct CutBody<B> {
    inner: B,
    /// What is left of the piece being cut.
    rest: Bytes,
}

impl<B> CutBody<B> {
    fn next_cut(&mut self) -> Frame<Bytes> {
        let n = self.rest.len().min(FRAME_BYTES);
        Frame::data(self.rest.split_to(n))
    }
}

impl<B> Body for CutBody<B>
where
    B: Body<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        if !self.rest.is_empty() {
            return Poll::Ready(Some(Ok(self.next_cut())));
        }
        let frame = match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
            Some(Ok(frame)) => frame,
            other => return Poll::Ready(other),
        };
        match frame.into_data() {
            Ok(data) if data.len() > FRAME_BYTES && data.len() <= SPLIT_UP_TO => {
                self.rest = data;
                Poll::Ready(Some(Ok(self.next_cut())))
            }
            Ok(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
            Err(frame) => Poll::Ready(Some(Ok(frame))),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.inner.size_hint();
        let rest = self.rest.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + rest);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + rest);
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, StreamBody};

    /// The sizes of the frames a body of these pieces comes out as, and its bytes.
    async fn cut(pieces: &[usize]) -> (Vec<usize>, Vec<u8>) {
        let mut byte = 0u8;
        let frames: Vec<Result<Frame<Bytes>, std::convert::Infallible>> = pieces
            .iter()
            .map(|&n| {
                let data: Vec<u8> = (0..n)
                    .map(|_| {
                        byte = byte.wrapping_add(1);
                        byte
                    })
                    .collect();
                Ok(Frame::data(Bytes::from(data)))
            })
            .collect();
        let mut body = CutBody {
            inner: StreamBody::new(tokio_stream::iter(frames)),
            rest: Bytes::new(),
        };
        let (mut sizes, mut bytes) = (Vec::new(), Vec::new());
        while let Some(frame) = body.frame().await {
            let data = frame.unwrap().into_data().unwrap();
            sizes.push(data.len());
            bytes.extend_from_slice(&data);
        }
        (sizes, bytes)
    }

    #[tokio::test]
    async fn small_pieces_are_cut_into_frames_shorter_than_a_kibibyte_and_large_ones_kept() {
        let (sizes, bytes) = cut(&[10, 1023, 1024, 3000, SPLIT_UP_TO + 1]).await;
        assert_eq!(
            sizes,
            vec![10, 1023, 1023, 1, 1023, 1023, 954, SPLIT_UP_TO + 1]
        );
        let expected: Vec<u8> = (1..=(10 + 1023 + 1024 + 3000 + SPLIT_UP_TO + 1))
            .map(|i| i as u8)
            .collect();
        assert_eq!(bytes, expected, "the same bytes in the same order");
    }
}
