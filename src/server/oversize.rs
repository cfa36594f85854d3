//! gRPC's status-code table says a message larger than the configured limit is
//! `RESOURCE_EXHAUSTED`; tonic answers `OUT_OF_RANGE`. The server rewrites that one answer
//! (a trailers-only response whose message is tonic's "decoded message length too large") and
//! names the limit.

/// The largest request message the server decodes (tonic's default), stated in the README.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// The answer with tonic's oversize status rewritten (see the module's doc); any other
/// answer unchanged.
pub fn name_the_limit<B>(mut response: http::Response<B>) -> http::Response<B> {
    rewrite(response.headers_mut());
    response
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
