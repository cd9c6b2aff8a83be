//! The authorization matrix: every registered server function, called as
//! anonymous and as every role, is allowed or denied as `app::api::access`
//! says; staff of another organisation on the same database (Đắk Tô beside
//! Ngọc Hồi) are denied or see nothing of it, in every function and every
//! plain route. A server function without a row there, or without a sample
//! call here, fails this test.
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

/// What Ngọc Hồi's data looks like in a reply: its district, its communes'
/// codes and names, its clusters, its people.
const NGOC_HOI: &[&str] = &["d611", "x233", "Ngọc Hồi", "Đắk Xú", "Plei Kần", "nh-", "\"username\":\"user", "\"spare\"", "noivu"];

/// Samples that aim the other organisation's staff at Ngọc Hồi's real
/// records (`{report}`, `{sitting}`, `{display}` are filled in).
const AIMED: &[(&str, &str)] = &[
    ("/api/review/report", "id={report}"),
    ("/api/review/decide", "id={report}&decision=accept&comment="),
    ("/api/review/appraise", "id={report}&area=chi-dao&points=10&reason=Thiếu+minh+chứng"),
    ("/api/review/adjust", "id={report}&kind=bonus&points=2&reason=Mô+hình+hay"),
    ("/api/review/answer", "id=kk-demo-1&answer=Đã+chuyển"),
    ("/api/review/void", "id={report}&reason=Không+phải+của+xã"),
    ("/api/council/return", "id={report}&comment=Thiếu+xác+nhận"),
    ("/api/council/open", "title=Phiên+họp&ids[0]={report}"),
    ("/api/council/close", "sitting={sitting}"),
    ("/api/council/minutes", "sitting={sitting}"),
    ("/api/council/vote", "sitting={sitting}&nomination={report}&choice=approve"),
    ("/api/council/decide", "ids[0]={report}&number=12/QĐ-UBND&date=2022-01-10&signer=Chủ+tịch"),
    ("/api/council/forward", "ids[0]={report}"),
    ("/api/council/outcome", "id={report}&awarded=true&number=99/QĐ-UBND&date=2022-03-01"),
    ("/api/admin/revoke_display", "id={display}"),
    ("/api/leaderboard/board", "cluster=nh-cum-1&period="),
    ("/api/units/page", "id=x23377"),
];

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
            NewAccount {
                username: username.clone(),
                display_name: format!("Người thử {i}"),
                role,
                unit: unit.into(),
                password: "mat-khau-thu-nghiem".into(),
            },
            None,
        )
        .await
        .unwrap();
        let token = accounts::create_session(&db, &username, "1h").await.unwrap();
        callers.push((role.code().into(), Some(role), Some(token)));
    }
    accounts::create(
        &db,
        NewAccount {
            username: "boy".into(),
            display_name: "Bờ Y".into(),
            role: Role::UnitReporter,
            unit: "x23395".into(),
            password: "mat-khau-thu-nghiem".into(),
        },
        None,
    )
    .await
    .unwrap();
    let boy = accounts::create_session(&db, "boy", "1h").await.unwrap();
    // The target of the officer's password reset and on/off samples.
    accounts::create(
        &db,
        NewAccount {
            username: "spare".into(),
            display_name: "Dự phòng".into(),
            role: Role::UnitReporter,
            unit: "x23395".into(),
            password: "mat-khau-thu-nghiem".into(),
        },
        None,
    )
    .await
    .unwrap();
    callers.push(("reporter of another commune".into(), Some(Role::UnitReporter), Some(boy)));
    // Staff of another organisation on the same database: Đắk Tô district.
    for role in [Role::DistrictOfficer, Role::HealthOfficer, Role::MediaOfficer, Role::CouncilMember] {
        let username = format!("dakto-{}", role.code().replace('_', "-"));
        accounts::create(
            &db,
            NewAccount {
                username: username.clone(),
                display_name: "Cán bộ Đắk Tô".into(),
                role,
                unit: "d612".into(),
                password: "mat-khau-thu-nghiem".into(),
            },
            None,
        )
        .await
        .unwrap();
        let token = accounts::create_session(&db, &username, "1h").await.unwrap();
        callers.push((format!("{} of another organisation", role.code()), Some(role), Some(token)));
    }
    let aimed = aimed_samples(&db).await;

    for (path, body) in SAMPLES {
        let access = access_of(path).unwrap_or_else(|| panic!("{path} is not in the matrix"));
        for (who, role, token) in &callers {
            let other_org = who.ends_with("of another organisation");
            let body: &str = match aimed.get(path) {
                Some(b) if other_org => b,
                _ => body,
            };
            let ctype = if body.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
            let mut req = Request::post(*path).header(header::CONTENT_TYPE, ctype).header(header::ACCEPT, "application/json");
            if let Some(t) = token {
                req = req.header(header::COOKIE, format!("thidua_session={t}"));
            }
            let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
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
            // Routed: a 404 is only the function's own "not found" answer.
            let own_answer = serde_json::from_str::<app::domain::AppError>(&text).is_ok();
            assert!(status != StatusCode::NOT_FOUND || own_answer, "{path} is routed");
            if other_org {
                // Denied, or let in and shown nothing of Ngọc Hồi (public
                // pages are public to everyone).
                let leaked: Vec<&&str> = NGOC_HOI.iter().filter(|m| text.contains(**m)).collect();
                assert!(
                    !by_role || denied || access == Access::Public || leaked.is_empty(),
                    "{path} as {who} shows Ngọc Hồi's {leaked:?}: status {status}, body {text}"
                );
                continue;
            }
            let allowed = by_role && !(SCOPED.contains(path) && who == "reporter of another commune");
            assert_eq!(!denied, allowed, "{path} as {who}: status {status}, body {text}");
            if denied {
                // A refusal says so in its status: 401 to sign in, 403 otherwise.
                let want = if token.is_none() && access != Access::DisplayToken { 401 } else { 403 };
                assert_eq!(status.as_u16(), want, "{path} as {who}: body {text}");
            }
        }
    }
}

/// Ngọc Hồi's real records for `AIMED`: a report from the demo activity, a
/// council sitting and a display link.
async fn aimed_samples(db: &app::store::Db) -> std::collections::HashMap<&'static str, String> {
    server::demo::activity::load(db).await.unwrap();
    let report = common::report_id("x23377", "2021-10");
    let mut res = db
        .query("CREATE ONLY sitting CONTENT { title: 'Phiên họp Ngọc Hồi', nominations: [], members: ['user3'], rules: {}, opened_by: 'user2', organiser: 'd611' } RETURN VALUE record::id(id)")
        .await
        .unwrap();
    let sitting: Option<String> = res.take(0).unwrap();
    let (display, _) = app::store::displays::create(db, "Phòng họp UBND Ngọc Hồi", "d611", None, Some("user2")).await.unwrap();
    let fill = |b: &str| b.replace("{report}", &report).replace("{sitting}", sitting.as_deref().unwrap()).replace("{display}", &display.id);
    AIMED.iter().map(|(p, b)| (*p, fill(b))).collect()
}

/// The plain routes (downloads) refuse another organisation's staff, and
/// still serve Ngọc Hồi's own officer.
#[tokio::test]
async fn plain_routes_refuse_another_organisations_staff() {
    let (db, app) = common::demo_app().await;
    server::demo::activity::load(&db).await.unwrap();
    let ours = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let theirs = common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await;
    let health = common::session_cookie(&db, "dakto-yte", Role::HealthOfficer, "d612").await;
    for (path, own) in [
        ("/xuat/tong-hop.xlsx?ky=2021-10", 200),
        ("/xuat/bang-xep-hang.xlsx?ky=tong-ket-2022", 200),
        ("/xuat/trinh-cap-tren.xlsx", 200),
        ("/giay-khen.pdf?qd=1/QĐ-UBND", 404),
    ] {
        let get = |cookie: String| {
            let app = app.clone();
            async move {
                let req = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
                let res = app.oneshot(req).await.unwrap();
                let status = res.status().as_u16();
                (status, String::from_utf8_lossy(&axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap()).into_owned())
            }
        };
        assert_eq!(get(ours.clone()).await.0, own, "{path} for Ngọc Hồi's officer");
        for who in [&theirs, &health] {
            let (status, text) = get(who.clone()).await;
            assert_eq!(status, 403, "{path} for Đắk Tô's staff: {text}");
        }
    }
}
