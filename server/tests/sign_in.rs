//! Sign-in over HTTP, as the browser does it: cookies, throttling, origin.
mod common;
use app::store::accounts::{self, NewAccount};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

async fn app_with_account() -> axum::Router {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    accounts::create(&db, common::dakxu(), None).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    server::router(db, server::leptos_options(site.path()))
}

async fn post(
    app: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> (StatusCode, Option<String>, String) {
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
    // A typed answer with its own status, not a server error.
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    let e: app::domain::AppError = serde_json::from_str(&body).unwrap();
    assert_eq!(e.kind, app::domain::ErrorKind::WrongPassword);

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

/// A try from `peer` (with `X-Forwarded-For` when given) carrying `cookie`:
/// status, Set-Cookie headers, body.
async fn try_from(
    app: &axum::Router,
    peer: &str,
    forwarded: Option<&str>,
    cookie: Option<&str>,
    password: &str,
) -> (StatusCode, Vec<String>, String) {
    let mut req = Request::post("/api/auth/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let mut req = req.body(Body::from(format!("username=dakxu&password={password}"))).unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(peer.parse().unwrap(), 40000)));
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, cookies, String::from_utf8_lossy(&bytes).into_owned())
}

const RIGHT: &str = "mat-khau-dak-xu-2021";
const WRONG: &str = "sai-mat-khau-roi";

fn device_of(cookies: &[String]) -> String {
    cookies.iter().find(|c| c.starts_with("thidua_device=")).map(|c| c.split(';').next().unwrap().to_string()).expect("a device cookie")
}

/// Fifty wrong passwords from several addresses slow guessing down; the
/// owner, on the phone that signed in before, still gets in at once.
#[tokio::test]
async fn guessing_never_locks_the_owner_out_of_a_device_it_used() {
    let app = app_with_account().await;
    let (s, cookies, body) = try_from(&app, "203.0.113.5", None, None, RIGHT).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let phone = device_of(&cookies);
    let (mut wrong, mut waited) = (0, 0);
    for i in 0..50 {
        let (s, _, body) = try_from(&app, &format!("198.51.100.{}", i % 7), None, None, WRONG).await;
        assert!(!s.is_success());
        if body.contains("Sai tên đăng nhập") {
            wrong += 1;
        } else {
            assert!(body.contains("thử lại sau"), "{body}");
            assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
            waited += 1;
        }
    }
    assert!(wrong >= app::domain::auth::FREE_FAILURES as usize && waited > 40, "guessing slowed: {wrong} checked, {waited} told to wait");
    // Even the right password waits from a device the account never used...
    let (s, _, body) = try_from(&app, "192.0.2.1", None, None, RIGHT).await;
    assert!(!s.is_success() && body.contains("thử lại sau"), "{body}");
    // ...but the owner's phone is not locked out.
    let (s, cookies, body) = try_from(&app, "203.0.113.5", None, Some(&phone), RIGHT).await;
    assert_eq!(s, StatusCode::OK, "the owner's phone signs in: {body}");
    assert!(cookies.iter().any(|c| c.starts_with("thidua_session=")));
}

/// Behind a trusted proxy every client's address is its own: one client's
/// failures do not slow another down. Without `--trusted-proxy` the header
/// is not believed (and everyone shares the proxy's address).
#[tokio::test]
async fn through_a_trusted_proxy_failures_of_one_client_do_not_block_another() {
    let proxy = "127.0.0.1";
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    accounts::create(&db, NewAccount { display_name: "Cán bộ Đắk Xú".into(), password: RIGHT.into(), ..common::dakxu() }, None)
        .await
        .unwrap();
    let site = tempfile::tempdir().unwrap();
    let behind = server::router_behind(
        db.clone(),
        app::store::files::Blobs::memory(),
        server::leptos_options(site.path()),
        server::Reach { trusted_proxies: vec![proxy.parse().unwrap()], ..Default::default() },
    );
    let direct = server::router(db.clone(), server::leptos_options(site.path()));
    // A client guessing other usernames (no account gate): only its own
    // address's gate closes. It cannot pose as another by writing the header.
    let guess = |app: axum::Router, user: String| async move {
        let mut req = Request::post("/api/auth/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "198.51.100.20, 198.51.100.66")
            .body(Body::from(format!("username={user}&password=x")))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(proxy.parse().unwrap(), 40000)));
        let res = app.oneshot(req).await.unwrap();
        String::from_utf8_lossy(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).into_owned()
    };
    for i in 0..=app::domain::auth::FREE_FAILURES_PER_ADDRESS + 1 {
        guess(behind.clone(), format!("khong-co-{i}")).await;
    }
    assert!(guess(behind.clone(), "khong-co-nua".into()).await.contains("thử lại sau"), "the guesser waits");
    let (s, _, body) = try_from(&behind, proxy, Some("198.51.100.77"), None, RIGHT).await;
    assert_eq!(s, StatusCode::OK, "another client behind the proxy signs in: {body}");
    // The direct router does not believe the header: all those tries came
    // from the proxy's one address, whose gate is now closed.
    for i in 0..=app::domain::auth::FREE_FAILURES_PER_ADDRESS + 1 {
        guess(direct.clone(), format!("khac-{i}")).await;
    }
    let (s, _, body) = try_from(&direct, proxy, Some("198.51.100.77"), None, RIGHT).await;
    assert!(!s.is_success() && body.contains("thử lại sau"), "{body}");
}

/// Tries that come together are counted one by one: a burst of guesses at
/// once gets no more password checks than the gate lets through.
#[tokio::test]
async fn a_burst_of_tries_at_once_is_counted_atomically() {
    let app = app_with_account().await;
    let tries = (0..20).map(|i| {
        let app = app.clone();
        tokio::spawn(async move { try_from(&app, &format!("198.51.100.{i}"), None, None, WRONG).await.2 })
    });
    let bodies = futures::future::join_all(tries).await;
    let checked = bodies.iter().filter(|b| b.as_ref().unwrap().contains("Sai tên đăng nhập")).count();
    assert!(checked <= app::domain::auth::FREE_FAILURES as usize + 1, "{checked} of 20 simultaneous guesses were checked");
}

/// Changing a password is throttled like signing in.
#[tokio::test]
async fn changing_a_password_is_throttled_like_sign_in() {
    let app = app_with_account().await;
    let (_, cookies, _) = try_from(&app, "203.0.113.5", None, None, RIGHT).await;
    let session = cookies.iter().find(|c| c.starts_with("thidua_session=")).unwrap().split(';').next().unwrap().to_string();
    let mut bodies = Vec::new();
    for _ in 0..8 {
        let (_, _, body) =
            post(&app, "/api/auth/change_password", "current=doan-bua-mot-lan&new=mat-khau-moi-2026", Some(&session), None).await;
        bodies.push(body);
    }
    assert!(bodies[0].contains("current_password"), "{}", bodies[0]);
    assert!(bodies.iter().any(|b| b.contains("thử lại sau")), "{bodies:?}");
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let app = app_with_account().await;
    let (s, c, _) =
        post(&app, "/api/auth/sign_in", "username=dakxu&password=mat-khau-dak-xu-2021", None, Some("https://evil.example")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(c.is_none());
}
