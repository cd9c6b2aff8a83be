//! Static files: precompressed (brotli, then gzip) when the build made
//! `.br`/`.gz` siblings; hashed files under `/pkg` cached for a year; every
//! other response revalidated so a phone never keeps stale HTML.

use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

pub fn serve_dir(site_root: &Path) -> ServeDir {
    ServeDir::new(site_root).precompressed_br().precompressed_gzip().append_index_html_on_directories(false)
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Sets Cache-Control by path unless the handler chose one.
pub async fn cache_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let hashed = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        let value = if hashed && res.status().is_success() { IMMUTABLE } else { REVALIDATE };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}
