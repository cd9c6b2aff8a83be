//! The district officer's set-up through the real server functions: every
//! kind of write leaves its audit entry; display links open boards until
//! revoked; the import preview writes nothing; targets outside the district
//! are refused.
mod common;
use app::domain::auth::Role;
use axum::body::Body;
use axum::http::{header, Request};
use tower::ServiceExt;

async fn setup() -> (app::store::Db, axum::Router, String) {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    (db, app, officer)
}

/// Calls a server function; returns (ok, body).
async fn call(app: &axum::Router, path: &str, body: &str, cookie: Option<&str>) -> (bool, String) {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let ok = res.status().is_success();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap();
    (ok, String::from_utf8_lossy(&bytes).into_owned())
}

async fn actions(db: &app::store::Db) -> Vec<(String, Option<String>)> {
    let mut r = db.query("SELECT action, actor, at FROM audit ORDER BY at").await.unwrap();
    let rows: Vec<serde_json::Value> = r.take(0).unwrap();
    rows.iter().map(|v| (v["action"].as_str().unwrap().to_string(), v["actor"].as_str().map(str::to_string))).collect()
}

#[tokio::test]
async fn every_kind_of_write_is_audited() {
    let (db, app, officer) = setup().await;
    let o = Some(officer.as_str());
    let steps: &[(&str, &str, &str)] = &[
        (
            "/api/admin/create_account",
            "username=dakxu&display_name=Cán+bộ+Đắk+Xú&role=unit_reporter&unit=x23389&password=mat-khau-dak-xu-2021",
            "account.create",
        ),
        ("/api/admin/reset_password", "username=dakxu&password=mat-khau-dat-lai-2022", "account.password_reset"),
        ("/api/admin/set_active", "username=dakxu&active=false", "account.active"),
        ("/api/admin/create_display", "name=Hội+trường+huyện", "display.create"),
        ("/api/admin/save_unit", "id=nh-phong-tu-phap&name=Phòng+Tư+pháp&kind=department&category=department&parent=d611", "unit.save"),
        (
            "/api/admin/save_cluster",
            "id=nh-cum-1&name=Cụm+thi+đua+số+1&kind=cluster&head=x23377&members[0]=x23377&members[1]=x23389",
            "cluster.save",
        ),
        ("/api/auth/change_password", "current=mat-khau-thu-nghiem&new=mat-khau-moi-cua-phong-noi-vu", "account.password_change"),
    ];
    for (path, body, action) in steps {
        let before = actions(&db).await.len();
        let (ok, text) = call(&app, path, body, o).await;
        assert!(ok, "{path}: {text}");
        let after = actions(&db).await;
        // One entry (two for a password change: it also opens a new session).
        assert!(after[before..].contains(&(action.to_string(), Some("noivu".to_string()))), "{path}: {:?}", &after[before..]);
    }
    // change_password renewed the officer's session; fetch its new cookie.
    let (ok, _) = call(&app, "/api/auth/sign_in", "username=noivu&password=mat-khau-moi-cua-phong-noi-vu", None).await;
    assert!(ok);
    let mut r = db.query("SELECT VALUE id FROM display_link").await.unwrap();
    let ids: Vec<serde_json::Value> = r.take(0).unwrap();
    assert_eq!(ids.len(), 1);
    let id = ids[0].as_str().map(str::to_string).unwrap_or_else(|| ids[0].to_string());
    let id = id.trim_start_matches("display_link:").trim_matches('`').trim_matches('⟨').trim_matches('⟩').to_string();
    app::store::displays::revoke(&db, &id, Some("noivu")).await.unwrap();
    assert_eq!(actions(&db).await.last().unwrap().0, "display.revoke");
    // The catalogue import and sign-in / sign-out are audited too.
    app::store::catalogue_import::import_as(&db, server::demo::KON_TUM_CATALOGUE, "test", Some("noivu")).await.unwrap();
    assert_eq!(actions(&db).await.last().unwrap().0, "catalogue.import");
    let all = actions(&db).await;
    assert!(all.iter().any(|(a, _)| a == "session.sign_in"));

    // The viewer filters by person, kind and subject.
    let (ok, text) = call(&app, "/api/admin/audit", "actor=noivu&action=account&subject=dakxu&from=&to=", o).await;
    assert!(!ok || !text.contains("account.create"), "old session ended with the password change");
    let fresh = {
        let token = app::store::accounts::create_session(&db, "noivu", "1h").await.unwrap();
        format!("thidua_session={token}")
    };
    let (ok, text) = call(&app, "/api/admin/audit", "actor=noivu&action=account&subject=dakxu&from=&to=", Some(&fresh)).await;
    assert!(ok, "{text}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["account.active", "account.password_reset", "account.create"], "newest first, only account writes about dakxu");
    let (_, text) = call(&app, "/api/admin/audit", "actor=&action=unit&subject=&from=01/01/2000&to=31/12/2099", Some(&fresh)).await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(rows.iter().any(|r| r["subject"] == "unit:nh-phong-tu-phap" && r["before"].is_null()), "a new unit has no before");
    let (ok, text) = call(&app, "/api/admin/audit", "actor=&action=&subject=&from=2021-13-45&to=", Some(&fresh)).await;
    assert!(!ok && text.contains("from"), "a bad date names its field: {text}");
}

#[tokio::test]
async fn display_links_read_boards_until_revoked() {
    let (db, app, officer) = setup().await;
    let (ok, path) = call(&app, "/api/admin/create_display", "name=Hội+trường", Some(&officer)).await;
    assert!(ok);
    let path: String = serde_json::from_str(&path).unwrap();
    let token = path.strip_prefix("/man-hinh/").unwrap().to_string();
    let (ok, board) = call(&app, "/api/display/board", &format!("token={token}"), None).await;
    assert!(ok, "{board}");
    assert!(board.contains("Cụm thi đua số 1") && board.contains("Xã Đắk Xú"));
    assert!(!board.contains("noivu") && !board.contains("Người thử"), "no accounts or people on a board");
    // The token reads boards and nothing else.
    let (_, text) = call(&app, "/api/units/list", "", Some(&format!("thidua_session={token}"))).await;
    assert!(text.contains("Cần đăng nhập"));
    let links = app::store::displays::list(&db, "d611", true).await.unwrap();
    app::store::displays::revoke(&db, &links[0].id, Some("noivu")).await.unwrap();
    let (ok, text) = call(&app, "/api/display/board", &format!("token={token}"), None).await;
    assert!(!ok && text.contains("thu hồi"), "revoked: {text}");
    assert!(app::store::displays::revoke(&db, &links[0].id, None).await.is_err(), "revoking twice is refused");
}

#[tokio::test]
async fn import_preview_writes_nothing_and_apply_reports() {
    let (db, app, officer) = setup().await;
    let o = Some(officer.as_str());
    let units = common::count(&db, "unit").await;
    let renamed = server::demo::KON_TUM_CATALOGUE.replace("Xã Đắk Xú", "Xã Đắk Xú Mới");
    let body = format!("text={}&apply=false", urlencode(&renamed));
    let (ok, text) = call(&app, "/api/admin/import", &body, o).await;
    assert!(ok, "{text}");
    let out: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(out["summary"]["changed"], 1);
    assert_eq!(out["applied"], false);
    assert_eq!(app::store::units::get(&db, "x23389").await.unwrap().unwrap().name, "Xã Đắk Xú", "preview wrote nothing");
    let (ok, _) = call(&app, "/api/admin/import", &format!("text={}&apply=true", urlencode(&renamed)), o).await;
    assert!(ok);
    assert_eq!(app::store::units::get(&db, "x23389").await.unwrap().unwrap().name, "Xã Đắk Xú Mới");
    assert_eq!(common::count(&db, "unit").await, units);
    // A bad file: every line named, nothing written.
    let bad = "Mã,Tên\n1,2\n";
    let (ok, text) = call(&app, "/api/admin/import", &format!("text={}&apply=true", urlencode(bad)), o).await;
    assert!(ok);
    let out: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(!out["rejected"].as_array().unwrap().is_empty() && out["applied"] == false);
}

#[tokio::test]
async fn the_officer_stays_inside_the_district() {
    let (db, app, officer) = setup().await;
    let o = Some(officer.as_str());
    // Another district of Kon Tum (from the catalogue): not the officer's.
    let other = app::store::units::subtree(&db, "p62")
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.kind == app::domain::unit::UnitKind::Commune && !u.id.starts_with("x233"))
        .unwrap();
    let (ok, text) = call(
        &app,
        "/api/admin/create_account",
        &format!("username=ngoai&display_name=Ngoài&role=unit_reporter&unit={}&password=mat-khau-thu-nghiem", other.id),
        o,
    )
    .await;
    assert!(!ok && text.contains("Tài khoản không có quyền này"), "{text}");
    let (ok, _) =
        call(&app, "/api/admin/save_unit", &format!("id={}&name=Đổi+tên&kind=commune&category=commune&parent=d611", other.id), o).await;
    assert!(!ok, "cannot pull another district's commune in");
    // A unit cannot move under its own village.
    let (ok, text) =
        call(&app, "/api/admin/save_unit", "id=x23389&name=Xã+Đắk+Xú&kind=commune&category=commune&parent=nh-htx-dak-xu", o).await;
    assert!(!ok, "{text}");
    // SurrealQL in a name is stored as text.
    let name = "Phòng '); DELETE unit; --";
    let (ok, text) = call(
        &app,
        "/api/admin/save_unit",
        &format!("id=nh-phong-thu&name={}&kind=department&category=department&parent=d611", urlencode(name)),
        o,
    )
    .await;
    assert!(ok, "{text}");
    assert_eq!(app::store::units::get(&db, "nh-phong-thu").await.unwrap().unwrap().name, name);
    // A unit's dates: an end before its start is refused by field; an end
    // alone is kept with the start stored before.
    let save = "id=nh-phong-thu&name=Ph%C3%B2ng+th%E1%BB%AD&kind=department&category=department&parent=d611";
    let (ok, text) = call(&app, "/api/admin/save_unit", &format!("{save}&valid_from=2021-01-01&valid_to=2020-12-31"), o).await;
    assert!(!ok && text.contains("valid_to") && text.contains("valid_range"), "{text}");
    let (ok, text) = call(&app, "/api/admin/save_unit", &format!("{save}&valid_from=2021-01-01"), o).await;
    assert!(ok, "{text}");
    let (ok, text) = call(&app, "/api/admin/save_unit", &format!("{save}&valid_to=2025-06-30"), o).await;
    assert!(ok, "{text}");
    let u = app::store::units::get(&db, "nh-phong-thu").await.unwrap().unwrap();
    assert_eq!(
        (u.valid_from.map(app::domain::date::to_iso), u.valid_to.map(app::domain::date::to_iso)),
        (Some("2021-01-01".into()), Some("2025-06-30".into()))
    );
    let (ok, text) = call(&app, "/api/admin/save_unit", &format!("{save}&valid_to=30%2F6%2F2025"), o).await;
    assert!(!ok && text.contains("valid_to"), "{text}");
    assert!(common::count(&db, "unit").await > 100);
    // A cluster member must exist.
    let (ok, text) = call(&app, "/api/admin/save_cluster", "id=nh-cum-9&name=Cụm+9&kind=cluster&head=&members[0]=d611", o).await;
    assert!(ok || text.contains("members"), "{text}");
    let (ok, text) = call(&app, "/api/admin/save_cluster", "id=nh-cum-9&name=Cụm+9&kind=cluster&head=&members[0]=nh-khong-co", o).await;
    assert!(!ok && (text.contains("members") || text.contains("quyền")), "{text}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let (db, _app, _officer) = setup().await;
    let before = common::count(&db, "audit").await;
    assert!(before > 0);
    let upd = db.query("UPDATE audit SET actor = 'someone-else'").await.unwrap().check();
    assert!(upd.is_err(), "updating an entry is refused");
    let del = db.query("DELETE audit").await.unwrap().check();
    assert!(del.is_err(), "deleting entries is refused");
    assert_eq!(common::count(&db, "audit").await, before);
    let mut r = db.query("SELECT VALUE actor FROM audit WHERE actor = 'someone-else'").await.unwrap();
    let changed: Vec<serde_json::Value> = r.take(0).unwrap();
    assert!(changed.is_empty());
}

/// A loop in the unit tree (which `save` refuses, but a store edited by
/// hand can hold) does not make reading a subtree run for ever.
#[tokio::test]
async fn a_loop_in_the_unit_tree_does_not_hang_a_subtree() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    db.query("UPDATE unit:d611 SET parent = unit:x23389").await.unwrap().check().unwrap();
    let all = tokio::time::timeout(std::time::Duration::from_secs(20), app::store::units::subtree(&db, "d611"))
        .await
        .expect("no endless walk")
        .unwrap();
    assert!(all.iter().filter(|u| u.id == "d611").count() == 1, "each unit once");
}
