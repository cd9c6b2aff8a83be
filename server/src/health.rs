//! `/healthz`: whether the database answers, which schema it has, and how
//! the last scheduled backup went (null: none yet, or none scheduled).

use app::store::{migrations, ping, Db};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;

pub async fn healthz(State(db): State<Db>) -> impl IntoResponse {
    let db_ok = ping(&db).await.is_ok();
    let schema = migrations::applied(&db).await.ok().and_then(|v| v.last().copied());
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({
            "status": if db_ok { "ok" } else { "error" },
            "database": if db_ok { "ok" } else { "unreachable" },
            "schema_version": schema,
            "last_backup": crate::backup::last(),
        })),
    )
}
