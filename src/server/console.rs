//! The browser console's files, embedded at build time from `console/dist/` and served on the
//! gRPC address to every request that is not a gRPC or gRPC-Web call. The page is a client of
//! freight.v1 like the CLI: it calls the API through gRPC-Web on this same origin, so there is
//! no second API and no cross-origin policy to keep.
//!
//! The layer sits in front of tonic-web, which refuses any HTTP/1.1 request that is not
//! gRPC-Web (and browsers fetch pages over HTTP/1.1).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use tonic::body::Body;

include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));

/// What the page may load: only its own files (the base map is bundled; no tile server),
/// inline styles for Leaflet's positioning, `data:` images, and calls to this origin.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/// Whether a console is built into this binary.
pub fn is_built() -> bool {
    asset("/index.html").is_some()
}

fn asset(path: &str) -> Option<&'static [u8]> {
    CONSOLE_ASSETS
        .binary_search_by(|(url, _)| url.cmp(&path))
        .ok()
        .map(|i| CONSOLE_ASSETS[i].1)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "geojson") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Whether a request is a gRPC or gRPC-Web call (by its content type).
fn is_grpc<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"))
}

/// Serves the console to requests that are not gRPC calls; passes the calls on.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsoleLayer;

impl<S> tower_layer::Layer<S> for ConsoleLayer {
    type Service = Console<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Console(inner)
    }
}

#[derive(Debug, Clone)]
pub struct Console<S>(S);

impl<S, ReqBody> tower_service::Service<Request<ReqBody>> for Console<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        if is_grpc(&request) {
            Box::pin(self.0.call(request))
        } else {
            let response = serve(request.method(), request.uri().path());
            Box::pin(std::future::ready(Ok(response)))
        }
    }
}

/// A GET of a console file is the file; anything else 404 or 405.
fn serve(method: &Method, path: &str) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let path = match path {
        "/" => "/index.html",
        other => other,
    };
    let Some(bytes) = asset(path) else {
        return if path == "/index.html" {
            plain(
                StatusCode::NOT_FOUND,
                "this binary was built without the console (console/dist is missing)",
            )
        } else {
            plain(StatusCode::NOT_FOUND, "not found")
        };
    };
    let mut response = Response::new(if method == Method::HEAD {
        Body::empty()
    } else {
        Body::new(Full::new(Bytes::from_static(bytes)))
    });
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // The file names carry no content hash: revalidate each time (a loopback or intranet
    // round trip), so a new binary never serves a stale page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::new(Full::new(Bytes::from_static(text.as_bytes()))));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
