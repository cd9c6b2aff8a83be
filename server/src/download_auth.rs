//! Downloads (XLSX, PDF) are plain routes, not server functions; they are
//! authorised by the same session cookie and give the same denials.

use app::domain::auth::{Account, Role};
use app::domain::AppError;
use app::store::{accounts, Db};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// A plain-text refusal.
pub fn refuse(status: StatusCode, msg: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], msg.to_string()).into_response()
}

/// The signed-in account if its role is one of `roles`, else the refusal to send.
pub async fn require(db: &Db, headers: &HeaderMap, roles: &[Role]) -> Result<Account, Response> {
    let account = match app::api::auth::guard::token_in(headers) {
        Some(t) => accounts::session_account(db, &t).await.ok().flatten(),
        None => None,
    };
    match account {
        None => Err(refuse(StatusCode::UNAUTHORIZED, &AppError::sign_in_needed().to_string())),
        Some(a) if roles.contains(&a.role) => Ok(a),
        Some(_) => Err(refuse(StatusCode::FORBIDDEN, &AppError::denied().to_string())),
    }
}

/// `require`, and movement `code` (empty: the current one; `?phong-trao=`
/// of the download), which must be run by the account's organisation (or
/// one inside it): another organiser's staff get the same refusal as a
/// wrong role.
pub async fn require_for_movement(
    db: &Db,
    headers: &HeaderMap,
    roles: &[Role],
    code: &str,
) -> Result<(Account, app::domain::movement::Movement), Response> {
    let me = require(db, headers, roles).await?;
    let server_error = |e: app::store::StoreError| {
        tracing::error!(error = %e, "download check failed");
        refuse(StatusCode::INTERNAL_SERVER_ERROR, &AppError::internal().to_string())
    };
    let refused = |e: AppError| refuse(StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::FORBIDDEN), &e.to_string());
    let (m, _) = app::api::scope::movement(db, &me, code).await.map_err(refused)?;
    if !app::api::scope::contains(db, &me, &m.organiser).await.map_err(server_error)? {
        return Err(refuse(StatusCode::FORBIDDEN, &AppError::denied().to_string()));
    }
    Ok((me, m))
}
