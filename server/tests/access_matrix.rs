//! The authorization matrix: every registered server function, called as
//! anonymous and as every role, is allowed or denied as `app::api::access`
//! says. A server function without a row there, or without a sample call
//! here, fails this test.
mod common;
use app::api::access::{access_of, Access, ACCESS};
use app::domain::auth::Role;
use app::store::accounts::{self, NewAccount};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::samples::SAMPLES;
use tower::ServiceExt;

/// Calls about one commune (Đắk Xú, x23389): a reporter of another commune
/// is denied them although its role may call the function.
const SCOPED: &[&str] = &["/api/units/page", "/api/leaderboard/board"];

const DENIED: [&str; 3] = ["Cần đăng nhập", "Tài khoản không có quyền này", "Đường dẫn màn hình không hợp lệ"];

#[tokio::test]
async fn every_server_function_is_in_the_matrix() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    assert!(!registered.is_empty());
    for p in &registered {
        assert!(access_of(p).is_some(), "server function {p} has no row in app::api::access::ACCESS");
        assert!(SAMPLES.iter().any(|(s, _)| s == p), "server function {p} has no sample call in this test");
    }
    for (p, _) in ACCESS {
        assert!(registered.iter().any(|r| r == p), "ACCESS names {p}, which is not a server function");
    }
}

#[tokio::test]
async fn every_caller_gets_what_the_matrix_says() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    // One account per role, plus a reporter of another commune.
    let mut callers: Vec<(String, Option<Role>, Option<String>)> = vec![("anonymous".into(), None, None)];
    for (i, role) in Role::ALL.into_iter().enumerate() {
        let username = format!("user{i}");
        let unit = if role == Role::UnitReporter || role == Role::ClusterHead { "x23389" } else { "d611" };
        accounts::create(
            &db,
            NewAccount { username: username.clone(), display_name: format!("Người thử {i}"), role, unit: unit.into(), password: "mat-khau-thu-nghiem".into() },
            None,
        )
        .await
        .unwrap();
        let token = accounts::create_session(&db, &username, "1h").await.unwrap();
        callers.push((role.code().into(), Some(role), Some(token)));
    }
    accounts::create(
        &db,
        NewAccount { username: "boy".into(), display_name: "Bờ Y".into(), role: Role::UnitReporter, unit: "x23395".into(), password: "mat-khau-thu-nghiem".into() },
        None,
    )
    .await
    .unwrap();
    let boy = accounts::create_session(&db, "boy", "1h").await.unwrap();
    // The target of the officer's password reset and on/off samples.
    accounts::create(
        &db,
        NewAccount { username: "spare".into(), display_name: "Dự phòng".into(), role: Role::UnitReporter, unit: "x23395".into(), password: "mat-khau-thu-nghiem".into() },
        None,
    )
    .await
    .unwrap();
    callers.push(("reporter of another commune".into(), Some(Role::UnitReporter), Some(boy)));

    for (path, body) in SAMPLES {
        let access = access_of(path).unwrap_or_else(|| panic!("{path} is not in the matrix"));
        for (who, role, token) in &callers {
            let ctype = if body.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
            let mut req = Request::post(*path)
                .header(header::CONTENT_TYPE, ctype)
                .header(header::ACCEPT, "application/json");
            if let Some(t) = token {
                req = req.header(header::COOKIE, format!("thidua_session={t}"));
            }
            let res = app.clone().oneshot(req.body(Body::from(*body)).unwrap()).await.unwrap();
            let status = res.status();
            let text = String::from_utf8_lossy(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).into_owned();
            let denied = DENIED.iter().any(|d| text.contains(d));
            let by_role = match access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Roles(rs) => role.is_some_and(|r| rs.contains(&r)),
                // The sample carries no live token: nobody gets in.
                Access::DisplayToken => false,
            };
            let allowed = by_role && !(SCOPED.contains(path) && who == "reporter of another commune");
            assert_eq!(!denied, allowed, "{path} as {who}: status {status}, body {text}");
            assert_ne!(status, StatusCode::NOT_FOUND, "{path} is routed");
        }
    }
}
