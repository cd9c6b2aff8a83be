//! Bad input across every server function, called by a role that
//! may call it, so the input reaches parsing and validation: each argument
//! missing, of the wrong type, NaN, negative, overflowing, full of control
//! characters; an extra argument; malformed JSON; a body over the limit.
//! None of it panics, leaks internals (engine errors, query text) or changes
//! stored data. Then SurrealQL and HTML metacharacters and NFD Vietnamese in
//! every argument: no query is altered (the catalogue is intact) and text
//! that is stored is stored as sent, in NFC.
mod common;
use app::api::access::{access_of, Access};
use app::domain::auth::Role;
use axum::body::Body;
use axum::http::{header, Request};
use common::samples::SAMPLES;
use tower::ServiceExt;

async fn call(app: &axum::Router, cookie: &str, path: &str, ctype: &str, body: Vec<u8>) -> (u16, String) {
    let req = Request::post(path)
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::CONTENT_TYPE, ctype)
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let b = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap_or_default();
    (status, String::from_utf8_lossy(&b).into_owned())
}

/// Every table's row count and a digest of the catalogue and accounts.
async fn snapshot(db: &app::store::Db) -> String {
    let mut out = String::new();
    for t in [
        "unit",
        "cluster",
        "movement",
        "account",
        "session",
        "display_link",
        "submission",
        "submission_rev",
        "audit",
        "sitting",
        "vote",
        "story_pub",
    ] {
        out.push_str(&format!("{t}={} ", common::count(db, t).await));
    }
    let mut r = db.query("SELECT VALUE [code, name, parent] FROM unit ORDER BY code; SELECT VALUE [username, role, active] FROM account ORDER BY username").await.unwrap();
    let units: Vec<serde_json::Value> = r.take(0).unwrap();
    let accounts: Vec<serde_json::Value> = r.take(1).unwrap();
    out.push_str(&format!("{}", serde_json::json!([units, accounts])));
    out
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Variants of a form-encoded sample. `refused`: invalid in any field, so
/// nothing may be written (each argument missing; control characters or bytes
/// that are not UTF-8 in it; a body that is not a form). `odd`: values of
/// the wrong type, out of range or an extra argument, with the odd value
/// each carries: where a text is expected some are valid text, so each must
/// be refused with nothing written, or stored exactly as sent.
/// A variant's body, and the argument and odd value it carries.
type Odd<'a> = (String, Option<(&'a str, &'static str)>);

fn form_variants(sample: &str) -> (Vec<String>, Vec<Odd<'_>>) {
    let pairs: Vec<(&str, &str)> = sample.split('&').filter(|p| !p.is_empty()).filter_map(|p| p.split_once('=')).collect();
    let join = |i: usize, with: Option<&str>| {
        pairs
            .iter()
            .enumerate()
            .filter_map(|(j, (k, v))| match (j == i, with) {
                (true, None) => None,
                (true, Some(w)) => Some(format!("{k}={w}")),
                _ => Some(format!("{k}={v}")),
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let (mut refused, mut odd) = (vec!["%%%&&==".to_string()], vec![(format!("{sample}&zz_extra=1"), None)]);
    for (i, (key, _)) in pairs.iter().enumerate() {
        refused.push(join(i, None));
        for b in ["a%00b%01%1B", "%FF%FE%FD"] {
            refused.push(join(i, Some(b)));
        }
        for b in ["NaN", "-1", "-1e309", "1e999", "99999999999999999999999999", "abc", "true", "[]", ""] {
            odd.push((join(i, Some(b)), Some((*key, b))));
        }
    }
    (refused, odd)
}

fn malformed_json() -> Vec<String> {
    vec![
        "".into(),
        "{".into(),
        "null".into(),
        r#"{"batch": 5}"#.into(),
        r#"{"batch": {}}"#.into(),
        r#"{"batch": {"protocol": "thidua-sync/1", "device": "d", "items": [{"id": 5}]}}"#.into(),
        r#"{"batch": {"protocol": "thidua-sync/1", "device": "d", "items": [{"id": "rep-x23389-2021-10", "revision": -1, "base": 0, "kind": "report", "body": {}}]}}"#.into(),
        r#"{"batch": {"protocol": "thidua-sync/1", "device": "d", "items": [{"id": "rep-x23389-2021-10", "revision": 1e999, "base": NaN}]}}"#.into(),
        r#"{"since": 12, "extra": true}"#.into(),
        format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
    ]
}

/// What an error text must never contain: internals a person cannot act on.
fn leaks(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    ["panicked", "surrealdb", "surrealql", "parse error", "thread '", "stack backtrace", "select ", "create type::", "internal error"]
        .into_iter()
        .find(|p| t.contains(p))
}

#[tokio::test]
async fn bad_input_to_every_server_function_is_refused_cleanly_and_changes_nothing() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let mut cookies = Vec::new();
    for (i, role) in Role::ALL.into_iter().enumerate() {
        let unit = if matches!(role, Role::UnitReporter | Role::ClusterHead) { "x23389" } else { "d611" };
        cookies.push((role, common::session_cookie(&db, &format!("bad{i}"), role, unit).await));
    }
    let cookie_for = |path: &str| -> String {
        match access_of(path).unwrap() {
            Access::Roles(rs) => cookies.iter().find(|(r, _)| rs.contains(r)).map(|(_, c)| c.clone()).unwrap(),
            _ => cookies.iter().find(|(r, _)| *r == Role::DistrictOfficer).map(|(_, c)| c.clone()).unwrap(),
        }
    };

    let check = |path: &str, v: &str, status: u16, text: &str| {
        if let Some(leak) = leaks(text) {
            panic!("{path} with {v:?}: the answer shows {leak:?}: {status} {text}");
        }
        if status >= 400 {
            assert!(!text.trim().is_empty(), "{path} with {v:?}: an error with no message");
        }
        if let Ok(e) = serde_json::from_str::<app::domain::AppError>(text) {
            // Every error is a typed answer with the status of its kind.
            assert_eq!(status, e.kind.http_status(), "{path} with {v:?}: {text}");
            if e.kind == app::domain::ErrorKind::BadRequest {
                // A request the function cannot decode: 400, said in Vietnamese first.
                assert_eq!(status, 400, "{path} with {v:?}: {text}");
                let vi = e.message_vi.to_lowercase();
                assert!(!vi.contains("missing field") && !vi.contains("invalid"), "{path} with {v:?}: {text}");
            }
        }
    };
    let before = snapshot(&db).await;
    let mut calls = 0;
    for (path, sample) in SAMPLES.iter().filter(|(p, _)| *p != "/api/auth/sign_out") {
        let cookie = cookie_for(path);
        let json = sample.starts_with('{');
        let refused = if json { malformed_json() } else { form_variants(sample).0 };
        let ctype = if json { "application/json" } else { "application/x-www-form-urlencoded" };
        for v in refused {
            let (status, text) = call(&app, &cookie, path, ctype, v.clone().into_bytes()).await;
            calls += 1;
            check(path, &v, status, &text);
            let now = snapshot(&db).await;
            assert!(now == before || *sample == v, "{path} with {v:?} changed stored data ({status} {text})");
        }
        // Over the body limit: refused before parsing.
        let (status, _) = call(&app, &cookie, path, ctype, vec![b'a'; server::BODY_LIMIT + 1]).await;
        assert_eq!(status, 413, "{path}: an oversize body is refused");
        calls += 1;
    }
    assert_eq!(snapshot(&db).await, before, "malformed input changed stored data");
    for (path, sample) in SAMPLES.iter().filter(|(p, s)| *p != "/api/auth/sign_out" && !s.starts_with('{')) {
        let cookie = cookie_for(path);
        for (v, value) in form_variants(sample).1 {
            let written = common::count(&db, "audit").await;
            let (status, text) = call(&app, &cookie, path, "application/x-www-form-urlencoded", v.clone().into_bytes()).await;
            calls += 1;
            check(path, &v, status, &text);
            // Refused with nothing written, or stored exactly as sent: every
            // write is audited with what it stored.
            let now = common::count(&db, "audit").await;
            if status != 200 {
                assert_eq!(now, written, "{path} with {v:?} was refused ({status} {text}) but wrote");
            } else if let (Some((key, value)), true) = (value, now > written) {
                // (A password is stored as its hash: nothing to compare.)
                if !["password", "current", "new"].contains(&key) {
                    let mut r = db.query("SELECT VALUE [subject, after] FROM audit ORDER BY at DESC LIMIT 1").await.unwrap();
                    let entry: Vec<serde_json::Value> = r.take(0).unwrap();
                    let entry = entry.first().map(|a| a.to_string()).unwrap_or_default();
                    assert!(entry.contains(value), "{path} with {v:?}: stored, but not as sent: {entry} ({status} {text})");
                }
            }
        }
    }
    println!("bad input: {calls} calls over {} server functions", SAMPLES.len() - 1);

    // Metacharacters, markup and NFD text in every argument.
    let nasty = [
        "'; REMOVE TABLE unit; --",
        "\") OR true; DELETE unit; (\"",
        "$auth ⟨x⟩ `y` {z: 1}",
        "<script>alert('x')</script>",
        "Ho\u{0302}\u{0323}i đo\u{0302}\u{0300}ng",
    ];
    for (path, sample) in SAMPLES.iter().filter(|(p, s)| !s.starts_with('{') && *p != "/api/auth/sign_out") {
        let cookie = cookie_for(path);
        let pairs: Vec<(&str, &str)> = sample.split('&').filter_map(|p| p.split_once('=')).collect();
        for i in 0..pairs.len() {
            for n in nasty {
                let body = pairs
                    .iter()
                    .enumerate()
                    .map(|(j, (k, v))| format!("{k}={}", if j == i { enc(n) } else { v.to_string() }))
                    .collect::<Vec<_>>()
                    .join("&");
                let (status, text) = call(&app, &cookie, path, "application/x-www-form-urlencoded", body.clone().into_bytes()).await;
                if let Some(leak) = leaks(&text) {
                    panic!("{path} with {body:?}: the answer shows {leak:?}: {status} {text}");
                }
            }
        }
    }
    assert!(common::count(&db, "unit").await > 100, "the catalogue is intact");
    assert!(app::store::units::get(&db, "x23389").await.unwrap().is_some());
    // Whatever free text was stored is NFC, and markup stays text.
    let mut r = db.query("SELECT VALUE name FROM display_link").await.unwrap();
    let names: Vec<String> = r.take(0).unwrap();
    for n in names {
        assert_eq!(n, app::domain::text::nfc(&n), "stored NFC: {n:?}");
    }
}

#[tokio::test]
async fn a_session_cookie_chosen_before_sign_in_is_never_adopted() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    app::store::accounts::create(
        &db,
        app::store::accounts::NewAccount {
            username: "noivu".into(),
            display_name: "Phòng Nội vụ".into(),
            role: Role::DistrictOfficer,
            unit: "d611".into(),
            password: "mat-khau-thu-nghiem".into(),
        },
        None,
    )
    .await
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    // An attacker plants a cookie (theirs, or made up) before the officer signs in.
    let planted = app::store::accounts::create_session(&db, "noivu", "1h").await.unwrap();
    for fixed in ["thidua_session=made-up-by-attacker", &format!("thidua_session={planted}")] {
        let req = Request::post("/api/auth/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, fixed)
            .body(Body::from("username=noivu&password=mat-khau-thu-nghiem"))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let set = res.headers().get(header::SET_COOKIE).expect("a new cookie").to_str().unwrap().to_string();
        let token = set.split(';').next().unwrap().trim_start_matches("thidua_session=");
        assert!(!fixed.ends_with(token), "sign-in issued a new token, not the one the browser brought");
        assert_eq!(token.len(), 64);
    }
    let (_, me) = call(&app, "thidua_session=made-up-by-attacker", "/api/auth/me", "application/x-www-form-urlencoded", Vec::new()).await;
    assert!(!me.contains("noivu"), "a made-up token signs nobody in: {me}");
}

#[tokio::test]
async fn a_display_token_reads_boards_and_nothing_else() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let (_, token) = app::store::displays::create(&db, "Hội trường", "d611", None, None).await.unwrap();
    let (status, board) =
        call(&app, "", "/api/display/board", "application/x-www-form-urlencoded", format!("token={token}").into_bytes()).await;
    assert_eq!(status, 200, "{board}");
    // The same token as a session cookie, on every other server function.
    let cookie = format!("thidua_session={token}");
    for (path, sample) in SAMPLES.iter().filter(|(p, _)| *p != "/api/display/board") {
        if matches!(access_of(path), Some(Access::Public)) {
            continue;
        }
        let ctype = if sample.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
        let (_, text) = call(&app, &cookie, path, ctype, sample.as_bytes().to_vec()).await;
        assert!(text.contains("Cần đăng nhập"), "{path} with a display token as session: {text}");
    }
    // And the kiosk's page and stream take nothing but a display token.
    let req = Request::get(format!("/api/display/live/{token}")).body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(req).await.unwrap().status(), 200);
    // A session token is not a display link.
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let req = Request::get(format!("/api/display/live/{}", officer.trim_start_matches("thidua_session="))).body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(req).await.unwrap().status(), 404);
}
