#![allow(dead_code)]
pub mod samples;

use app::store::{connect, Db, DbConfig};

/// A fresh in-memory database with the schema applied.
pub async fn mem_db() -> Db {
    connect(&DbConfig::memory()).await.expect("mem:// connects")
}

/// A fresh in-memory database with the Ngọc Hồi demo, and the app on it.
pub async fn demo_app() -> (Db, axum::Router) {
    let db = mem_db().await;
    server::demo::load(&db).await.unwrap();
    // The site root is only read when the router is built.
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    (db, app)
}

/// A database on disk, as the app runs it.
pub async fn kv_db(dir: &std::path::Path) -> Db {
    let cfg = DbConfig { url: format!("surrealkv://{}", dir.display()), ..DbConfig::memory() };
    connect(&cfg).await.expect("surrealkv connects")
}

/// Đắk Xú's reporter account, as the sign-in tests and the release fixture
/// create it.
pub fn dakxu() -> app::store::accounts::NewAccount {
    app::store::accounts::NewAccount {
        username: "dakxu".into(),
        display_name: "Cán bộ Đắk Xú (minh họa)".into(),
        role: app::domain::auth::Role::UnitReporter,
        unit: "x23389".into(),
        password: "mat-khau-dak-xu-2021".into(),
    }
}

pub async fn count(db: &Db, table: &str) -> i64 {
    let mut r =
        db.query("RETURN (SELECT count() AS n FROM type::table($t) GROUP ALL)[0].n ?? 0").bind(("t", table.to_string())).await.unwrap();
    let n: Option<i64> = r.take(0).unwrap();
    n.unwrap_or(0)
}

/// Creates an account and a session for it; returns the Cookie header value.
pub async fn session_cookie(db: &Db, username: &str, role: app::domain::auth::Role, unit: &str) -> String {
    use app::store::accounts::{self, NewAccount};
    accounts::create(
        db,
        NewAccount {
            username: username.into(),
            display_name: format!("Người thử {username}"),
            role,
            unit: unit.into(),
            password: "mat-khau-thu-nghiem".into(),
        },
        None,
    )
    .await
    .expect("account created");
    let token = accounts::create_session(db, username, "1h").await.unwrap();
    format!("thidua_session={token}")
}

/// Calls `path` on the app with the cookie; the body is JSON when it starts
/// with `{`, form-encoded otherwise. Returns status and body text.
pub async fn call(app: &axum::Router, cookie: &str, path: &str, body: &str) -> (u16, String) {
    use tower::ServiceExt;
    let ctype = if body.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
    let req = axum::http::Request::post(path)
        .header(axum::http::header::CONTENT_TYPE, ctype)
        .header(axum::http::header::ACCEPT, "application/json")
        .header(axum::http::header::COOKIE, cookie)
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let b = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    (status, String::from_utf8_lossy(&b).into_owned())
}

/// A response body as text. A body that stops arriving fails the test with
/// what came so far, instead of hanging the whole run (a stalled streamed
/// page would otherwise wait for CI's limit).
pub async fn body_text(body: axum::body::Body) -> String {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(20), stream.next()).await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk.expect("body chunk")),
            Ok(None) => break,
            Err(_) => panic!("the body stalled for 20 s after {} bytes:\n{}", bytes.len(), String::from_utf8_lossy(&bytes)),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The demo movement's code (`data/demo/ngoc-hoi.toml`).
pub const DEMO_MOVEMENT: &str = "covid-2021-ngoc-hoi";

/// A unit's report id for a period of the demo movement, which a fresh store
/// keys by movement.
pub fn report_id(unit: &str, period: &str) -> String {
    app::domain::report::report_id(app::domain::report::ReportIds::Scoped, DEMO_MOVEMENT, unit, period)
}

/// Makes the demo's movement the province's (Kon Tum, `p62`), so every
/// commune of it files for it (a unit files only for the movements its own
/// organisers run): for tests whose phones are the province's communes.
pub async fn province_wide(db: &Db) {
    db.query("UPDATE movement SET organiser = unit:p62").await.unwrap().check().unwrap();
}
