//! The browser console's files, embedded at build time from `console/dist/` and served on the
//! gRPC address for every path no gRPC service claims. The page is a client of freight.v1
//! like the CLI: it calls the API through gRPC-Web on this same origin, so there is no second
//! API and no cross-origin policy to keep.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};

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

/// Answers a request no gRPC service took: a gRPC call to an unknown method is UNIMPLEMENTED
/// (as tonic answers it), a GET of a console file is the file, anything else 404 or 405.
pub async fn serve(request: Request<Body>) -> Response<Body> {
    let grpc = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"));
    if grpc {
        let (parts, ()) = tonic::Status::unimplemented(format!(
            "no method {}",
            crate::api::bounded(request.uri().path())
        ))
        .into_http::<()>()
        .into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let path = match request.uri().path() {
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
    let mut response = Response::new(if request.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
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
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
