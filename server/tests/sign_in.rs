//! Sign-in over HTTP, as the browser does it: cookies, throttling, origin.
mod common;
use app::domain::auth::Role;
use app::store::accounts::{self, NewAccount};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

async fn app_with_account() -> axum::Router {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    accounts::create(
        &db,
        NewAccount {
            username: "dakxu".into(),
            display_name: "Cán bộ Đắk Xú (minh họa)".into(),
            role: Role::UnitReporter,
            unit: "x23389".into(),
            password: "mat-khau-dak-xu-2021".into(),
        },
        None,
    )
    .await
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    server::router(db, server::leptos_options(site.path()))
}

async fn post(app: &axum::Router, path: &str, body: &str, cookie: Option<&str>, origin: Option<&str>) -> (StatusCode, Option<String>, String) {
    let mut req = Request::post(path)
        .header(header::HOST, "thidua.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = res.status();
    let set_cookie = res.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, set_cookie, String::from_utf8_lossy(&bytes).into_owned())
}

fn session_cookie(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn sign_in_sets_an_httponly_cookie_and_sign_out_ends_it() {
    let app = app_with_account().await;
    let (s, c, body) = post(&app, "/api/auth/sign_in", "username=dakxu&password=sai-mat-khau-roi", None, None).await;
    assert!(!s.is_success(), "wrong password refused: {s} {body}");
    assert!(c.is_none());
    assert!(body.contains("Sai tên đăng nhập hoặc mật khẩu"), "{body}");

    let (s, c, _) = post(&app, "/api/auth/sign_in", "username=dakxu&password=mat-khau-dak-xu-2021", None, Some("http://thidua.test")).await;
    assert_eq!(s, StatusCode::OK);
    let c = c.expect("a session cookie");
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Max-Age=7776000"), "{c}");
    let cookie = session_cookie(&c);

    let (s, _, me) = post(&app, "/api/auth/me", "", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(me.contains("\"username\":\"dakxu\"") && me.contains("Xã Đắk Xú"), "{me}");
    let (_, _, anon) = post(&app, "/api/auth/me", "", None, None).await;
    assert_eq!(anon, "null");

    let (s, c, _) = post(&app, "/api/auth/sign_out", "", Some(&cookie), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(c.unwrap().contains("Max-Age=0"));
    let (_, _, me) = post(&app, "/api/auth/me", "", Some(&cookie), None).await;
    assert_eq!(me, "null", "the old cookie no longer works");
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = app_with_account().await;
    for _ in 0..app::domain::auth::MAX_FAILURES_PER_ACCOUNT {
        post(&app, "/api/auth/sign_in", "username=dakxu&password=sai-mat-khau-roi", None, None).await;
    }
    let (s, c, body) = post(&app, "/api/auth/sign_in", "username=dakxu&password=mat-khau-dak-xu-2021", None, None).await;
    assert!(!s.is_success() && c.is_none(), "even the right password waits");
    assert!(body.contains("15 phút"), "{body}");
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let app = app_with_account().await;
    let (s, c, _) = post(&app, "/api/auth/sign_in", "username=dakxu&password=mat-khau-dak-xu-2021", None, Some("https://evil.example")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(c.is_none());
}
