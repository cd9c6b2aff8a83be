//! Security headers on every response. Pages get a per-request CSP with the
//! hydration scripts' nonce (set by the app, see `app::csp`); everything
//! else (server functions, files) gets a CSP that allows nothing.

use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FALLBACK_CSP));
    }
    res
}
