mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

async fn demo_app() -> (app::store::Db, axum::Router) {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let options = server::leptos_options(site.path());
    (db.clone(), server::router(db, options))
}

async fn get(app: &axum::Router, uri: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    (status, headers, common::body_text(res.into_body()).await)
}

#[tokio::test]
async fn demo_loads_twice_without_duplicates() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let units = common::count(&db, "unit").await;
    let clusters = common::count(&db, "cluster").await;
    let periods = common::count(&db, "period").await;
    server::demo::load(&db).await.unwrap();
    assert_eq!(common::count(&db, "unit").await, units);
    assert_eq!(common::count(&db, "cluster").await, clusters);
    assert_eq!(common::count(&db, "period").await, periods);
    assert_eq!(clusters, 5, "two commune clusters and three blocks");

    let m = app::store::movements::current(&db).await.unwrap().expect("a movement");
    assert_eq!(m.organiser, "d611");
    assert_eq!(m.periods.first().unwrap().code, "2021-10");
    assert_eq!(m.periods.iter().filter(|p| p.kind == app::domain::period::PeriodKind::Month).count(), 15);

    let sub = app::store::units::subtree(&db, "d611").await.unwrap();
    let communes: Vec<_> = sub.iter().filter(|u| u.kind == app::domain::unit::UnitKind::Commune).collect();
    assert_eq!(communes.len(), 8);
    assert!(communes.iter().all(|u| !u.demo), "catalogue communes are real");
    assert!(sub.iter().filter(|u| u.gso_code.is_none()).all(|u| u.demo), "everything else is marked demo");

    let cs = app::store::clusters::list(&db).await.unwrap();
    let cum1 = cs.iter().find(|c| c.id == "nh-cum-1").unwrap();
    assert_eq!(cum1.head.as_deref(), Some("x23377"));
    assert_eq!(cum1.members.len(), 4);
    assert_eq!(app::store::clusters::of_unit(&db, "x23389").await.unwrap()[0].id, "nh-cum-1");
}

#[tokio::test]
async fn home_is_served_in_vietnamese_with_the_movement() {
    let (_db, app) = demo_app().await;
    let (status, headers, html) = get(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"vi\""), "{}", &html[..300.min(html.len())]);
    assert!(html.contains("Phong trào thi đua đặc biệt"));
    assert!(html.contains("Huyện Ngọc Hồi"));
    assert!(html.contains("Tháng 10/2021"));
    assert!(html.contains("Giấy khen của Chủ tịch UBND huyện"));
    assert_eq!(headers.get("cache-control").unwrap(), "no-cache", "HTML is never cached stale");

    let (_, _, en) = get(&app, "/", Some("lang=en")).await;
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("Reporting periods"));
}

#[tokio::test]
async fn unit_and_cluster_pages_render() {
    use app::domain::auth::Role;
    let (db, app) = demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let officer = Some(officer.as_str());
    let (s, _, html) = get(&app, "/units/x23389", officer).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Xã Đắk Xú"));
    assert!(html.contains("Huyện Ngọc Hồi"), "parent shown");
    assert!(html.contains("Cụm thi đua số 1"), "its cluster shown");
    assert!(html.contains("Bảng điểm thi đua"));
    assert!(html.contains("minh họa"), "demo villages are badged");
    let (_, _, html) = get(&app, "/clusters", officer).await;
    assert!(html.contains("Khối Mặt trận, đoàn thể huyện"));
    let (_, _, html) = get(&app, "/units", officer).await;
    assert!(html.contains("Phòng Nội vụ huyện Ngọc Hồi"));
    assert!(!html.contains("Phường Quang Trung"), "other districts are not listed");
    let (s, _, html) = get(&app, "/no-such-page", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"), "the app's own 404 page");
    let (_, _, html) = get(&app, "/units/unit:x%27%3B", officer).await;
    assert!(html.contains("Không tìm thấy đơn vị"));
}

#[tokio::test]
async fn unit_data_is_scoped_to_the_account() {
    use app::domain::auth::Role;
    let (db, app) = demo_app().await;
    // Anonymous: asked to sign in, shown nothing.
    let (_, _, html) = get(&app, "/units", None).await;
    assert!(html.contains("Cần đăng nhập") && !html.contains("Xã Đắk Xú"));
    // A reporter of Đắk Xú: its commune and villages, its cluster; not Bờ Y.
    let dakxu = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (_, _, html) = get(&app, "/units", Some(&dakxu)).await;
    assert!(html.contains("Xã Đắk Xú"));
    assert!(!html.contains("Xã Bờ Y") && !html.contains("Phòng Nội vụ"), "only its own unit");
    let (_, _, html) = get(&app, "/units/x23395", Some(&dakxu)).await;
    assert!(html.contains("Tài khoản không có quyền này") && !html.contains("Xã Bờ Y"), "another commune by id: denied");
    let (_, _, html) = get(&app, "/clusters", Some(&dakxu)).await;
    assert!(html.contains("Cụm thi đua số 1") && !html.contains("Cụm thi đua số 2"), "its own cluster only");
    // The head of cluster 1 (Plei Kần) reads its members.
    let head = common::session_cookie(&db, "pleikan", Role::ClusterHead, "x23377").await;
    let (_, _, html) = get(&app, "/units/x23389", Some(&head)).await;
    assert!(html.contains("Xã Đắk Xú") && html.contains("Bảng điểm thi đua"));
}

#[tokio::test]
async fn healthz_reports_the_database() {
    let (_db, app) = demo_app().await;
    let (s, h, body) = get(&app, "/healthz", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get("cache-control").unwrap(), "no-store");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["database"], "ok");
    assert_eq!(v["schema_version"], app::store::migrations::MIGRATIONS.last().unwrap().version);
}

#[tokio::test]
async fn surrealql_metacharacters_are_stored_as_text() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let name = "Thôn 'x'; DELETE unit; -- \" } ⟩ $param";
    let u = app::domain::unit::Unit {
        id: "x23389-evil".into(),
        name: name.into(),
        kind: app::domain::unit::UnitKind::Village,
        category: None,
        parent: Some("x23389".into()),
        gso_code: None,
        demo: true,
        valid_from: None,
        valid_to: None,
    };
    let before = common::count(&db, "unit").await;
    app::store::units::save(&db, u, None).await.unwrap();
    assert_eq!(common::count(&db, "unit").await, before + 1);
    assert_eq!(app::store::units::get(&db, "x23389-evil").await.unwrap().unwrap().name, name);
}

#[tokio::test]
async fn invalid_units_name_the_field() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let u = app::domain::unit::Unit {
        id: "x-bad".into(),
        name: "Thôn lạc".into(),
        kind: app::domain::unit::UnitKind::Village,
        category: None,
        parent: Some("d611".into()),
        gso_code: None,
        demo: true,
        valid_from: None,
        valid_to: None,
    };
    match app::store::units::save(&db, u, None).await {
        Err(app::store::StoreError::Invalid(e)) => assert_eq!((e[0].field.as_str(), e[0].rule.as_str()), ("parent", "parent_kind")),
        other => panic!("expected a parent_kind error, got {other:?}"),
    }
    assert!(app::store::units::get(&db, "x-bad").await.unwrap().is_none());
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_cached_for_a_year() {
    let db = common::mem_db().await;
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("thidua.abc.wasm"), b"raw wasm bytes").unwrap();
    std::fs::write(pkg.join("thidua.abc.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("thidua.abc.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(site.path().join("robots.txt"), b"User-agent: *").unwrap();
    let app = server::router(db, server::leptos_options(site.path()));

    let req = |enc: &str, path: &str| Request::get(path).header("accept-encoding", enc).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req("gzip, deflate, br", "/pkg/thidua.abc.wasm")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("content-encoding").unwrap(), "br");
    assert_eq!(res.headers().get("content-type").unwrap(), "application/wasm");
    assert_eq!(res.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert_eq!(&body[..], b"brotli bytes");

    let res = app.clone().oneshot(req("gzip", "/pkg/thidua.abc.wasm")).await.unwrap();
    assert_eq!(res.headers().get("content-encoding").unwrap(), "gzip");

    let res = app.clone().oneshot(req("identity", "/robots.txt")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-cache", "unhashed files revalidate");

    // Pages are compressed on the fly.
    let res = app.clone().oneshot(req("br", "/")).await.unwrap();
    assert_eq!(res.headers().get("content-encoding").unwrap(), "br");
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_security_headers() {
    let (_db, app) = demo_app().await;
    let (_, h, html) = get(&app, "/", None).await;
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap().to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the CSP");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration scripts carry the CSP's nonce");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    let (_, h2, _) = get(&app, "/", None).await;
    assert_ne!(h2.get("content-security-policy").unwrap().to_str().unwrap(), csp, "a fresh nonce per response");
    let (_, h, _) = get(&app, "/healthz", None).await;
    assert_eq!(h.get("content-security-policy").unwrap(), "default-src 'none'; frame-ancestors 'none'");
}

#[tokio::test]
async fn demo_activity_is_valid_loads_once_and_leaves_two_communes_empty() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    let n = common::count(&db, "submission").await;
    assert!(n > 100, "{n} illustrative items");
    server::demo::activity::load(&db).await.unwrap();
    assert_eq!(common::count(&db, "submission").await, n, "a second load changes nothing");
    // Every illustrative report passes the same validation a phone's does.
    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    let mut res = db.query("SELECT VALUE body FROM submission WHERE kind = 'report'").await.unwrap();
    let bodies: Vec<serde_json::Value> = res.take(0).unwrap();
    for b in bodies {
        let body: app::domain::report::ReportBody = serde_json::from_value(b).unwrap();
        assert!(!server::demo::activity::LEFT_EMPTY.contains(&body.unit.as_str()));
        let form = app::store::submissions::form_for(&db, &body.unit).await.unwrap().unwrap();
        assert_eq!(body.validate(&form), vec![], "{} {}", body.unit, body.period);
    }
    let desk = app::store::review::period_desk(&db, &m, &m.organiser, "2021-10", time::OffsetDateTime::now_utc()).await.unwrap();
    let t = |u: &str| desk.rows.iter().find(|r| r.unit == u).unwrap().timeliness;
    assert_eq!(t("x23389"), app::domain::review::Timeliness::Missing);
    assert!(desk.rows.iter().filter(|r| r.timeliness.submitted()).all(|r| r.demo), "illustrative reports are badged");
}

/// Building a router (tests build one each) while another serves pages must
/// not stall those pages: leptos switches resource loads off process-wide
/// while it lists the app's routes, so the list is made once per process.
#[tokio::test]
async fn building_a_router_does_not_stall_pages_being_served() {
    let (db, app) = demo_app().await;
    let builder = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            for _ in 0..40 {
                let site = tempfile::tempdir().unwrap();
                let _ = server::router(db.clone(), server::leptos_options(site.path()));
                tokio::task::yield_now().await;
            }
        })
    });
    for _ in 0..40 {
        let (s, _, html) = get(&app, "/units", None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Cần đăng nhập"), "the page's data arrived");
    }
    builder.join().unwrap();
}

/// The route table (`app::routes`) that links, redirects and the service
/// worker use names exactly the router's pages.
#[test]
fn the_route_table_names_exactly_the_routers_pages() {
    let mut routed = server::page_paths();
    routed.sort();
    routed.dedup();
    let mut table: Vec<String> = app::routes::PAGES.iter().chain(app::routes::PAGE_PATTERNS).map(|p| p.to_string()).collect();
    table.sort();
    assert_eq!(table, routed);
    assert_eq!(app::routes::review("rep-x-2021-10"), "/tiep-nhan/rep-x-2021-10");
    assert!(routed.contains(&"/tiep-nhan/{id}".to_string()));
}
