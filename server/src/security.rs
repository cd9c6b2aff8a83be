//! Security headers on every response. Pages get a per-request CSP with the
//! hydration scripts' nonce (set by the app, see `app::csp`); everything
//! else (server functions, files) gets a CSP that allows nothing.

use app::domain::{AppError, ErrorKind};
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;

const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let https = app::api::auth::guard::over_https(req.headers());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if https {
        // Served over TLS (by the proxy in front): browsers keep to https
        // for a year, so a café's network cannot strip it.
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
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

/// Server functions answer every error with status 500; the body is an
/// `AppError`, and its kind gives the status (401, 403, 422, …). A request
/// a function cannot decode gets serde's English (`missing field \`id\``):
/// said in Vietnamese first here.
pub async fn api_errors(req: Request<axum::body::Body>, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, AppError::internal().to_string()).into_response();
    };
    let Ok(mut e) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    if e.kind == ErrorKind::BadRequest {
        let detail = e.message_en.strip_prefix("Invalid request: ").unwrap_or_default().to_string();
        e = AppError::bad_request(&argument_error_vi(&detail), &detail);
    }
    parts.status = StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(serde_json::to_vec(&e).unwrap_or_default()))
}

/// serde's decoding errors, said in Vietnamese.
fn argument_error_vi(detail: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if detail.starts_with("missing field") {
        format!("Thiếu ô \"{}\" (bắt buộc).", quoted(detail))
    } else if detail.starts_with("unknown variant") {
        format!("Giá trị \"{}\" không nằm trong danh sách cho phép.", quoted(detail))
    } else if detail.contains("float") || detail.contains("digit") || detail.contains("number") {
        "Một ô số có giá trị không phải là số hợp lệ.".into()
    } else if detail.contains("`true` or `false`") {
        "Một ô đúng/sai có giá trị khác true/false.".into()
    } else if detail.contains("EOF while parsing") || detail.contains("expected value") || detail.contains("recursion limit") {
        "Nội dung gửi lên không phải JSON hợp lệ.".into()
    } else {
        "Dữ liệu gửi lên sai kiểu hoặc sai cấu trúc.".into()
    }
}
