//! gRPC's status-code table says a message larger than the configured limit is
//! `RESOURCE_EXHAUSTED`; tonic answers `OUT_OF_RANGE`. This layer rewrites that one answer
//! (a trailers-only response whose message is tonic's "decoded message length too large") and
//! names the limit.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The largest request message the server decodes (tonic's default), stated in the README.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct OversizeStatusLayer;

impl<S> tower_layer::Layer<S> for OversizeStatusLayer {
    type Service = OversizeStatus<S>;

    fn layer(&self, inner: S) -> Self::Service {
        OversizeStatus(inner)
    }
}

#[derive(Debug, Clone)]
pub struct OversizeStatus<S>(S);

impl<S, ReqBody, ResBody> tower_service::Service<http::Request<ReqBody>> for OversizeStatus<S>
where
    S: tower_service::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let answer = self.0.call(request);
        Box::pin(async move {
            let mut response = answer.await?;
            rewrite(response.headers_mut());
            Ok(response)
        })
    }
}

fn rewrite(headers: &mut http::HeaderMap) {
    let out_of_range = headers
        .get("grpc-status")
        .is_some_and(|v| v.as_bytes() == b"11");
    let too_large = headers
        .get("grpc-message")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|m| {
            m.contains("message%20length%20too%20large") || m.contains("message length too large")
        });
    if out_of_range && too_large {
        headers.insert("grpc-status", http::HeaderValue::from_static("8"));
        headers.insert(
            "grpc-message",
            http::HeaderValue::from_static(
                "request%20message%20larger%20than%20the%20server's%20limit%20of%204194304%20bytes",
            ),
        );
    }
}
