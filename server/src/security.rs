//! Security headers on every response. Pages get a per-request CSP with the
//! hydration scripts' nonce (set by the app, see `app::csp`); everything
//! else (server functions, files) gets a CSP that allows nothing.

use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::IntoResponse;
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

/// Refuses state-changing requests sent by another site's page: a browser
/// always names the page's origin, which must be this host.
pub async fn same_origin(req: Request<axum::body::Body>, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
            let same = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, h)| Some(h) == host).unwrap_or(false);
            if !same {
                return (StatusCode::FORBIDDEN, "Yêu cầu từ trang khác bị từ chối. / Cross-origin request refused.").into_response();
            }
        }
    }
    next.run(req).await
}
