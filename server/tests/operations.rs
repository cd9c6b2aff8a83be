//! Running it for real: `/metrics` moves with a push and is refused to an
//! anonymous remote caller; the server will not serve plain HTTP to other
//! machines unless told; JSON logs on request.
mod common;
use app::domain::auth::Role;
use app::domain::report::ReportBody;
use app::domain::sync::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use common::report_id;
use std::io::BufRead;
use std::net::SocketAddr;
use tower::ServiceExt;

async fn scrape(app: &axum::Router, peer: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut req = Request::get("/metrics");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::empty()).unwrap();
    req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    (status, common::body_text(res.into_body()).await)
}

/// The value of one sample line (`name{labels} value`), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines().find_map(|l| l.strip_prefix(series).and_then(|r| r.strip_prefix(' '))).map_or(0.0, |v| v.trim().parse().unwrap())
}

#[tokio::test]
async fn metrics_move_with_a_push_and_stay_private() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let reach = server::Reach { metrics_token: Some("scrape-token-1".into()), ..Default::default() };
    let app = server::router_behind(db.clone(), app::store::files::Blobs::memory(), server::leptos_options(site.path()), reach);

    let (status, before) = scrape(&app, "127.0.0.1:50000", &[]).await;
    assert_eq!(status, 200, "{before}");
    for name in ["thidua_sync_pushes_total", "thidua_displays_open", "thidua_db_ping_seconds"] {
        assert!(before.contains(name), "{name} in\n{before}");
    }
    assert!(before.trim_end().ends_with("# EOF"), "OpenMetrics text");

    let cookie = common::session_cookie(&db, "pleikan", Role::UnitReporter, "x23377").await;
    let body = ReportBody { unit: "x23377".into(), period: "2021-10".into(), ..Default::default() };
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone-1".into(),
        items: vec![PushItem { id: report_id("x23377", "2021-10"), revision: 1, base: 0, body: ItemBody::Report(body) }],
    };
    let (status, text) = common::call(&app, &cookie, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(status, 200, "{text}");

    let (_, after) = scrape(&app, "[::1]:50000", &[]).await;
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert!(moved("thidua_sync_pushes_total") >= 1.0, "{after}");
    assert!(moved("thidua_sync_items_total{outcome=\"stored\"}") >= 1.0, "{after}");
    assert!(moved("thidua_http_requests_total{method=\"POST\",route=\"/api/sync/push\",status=\"200\"}") >= 1.0, "{after}");
    assert!(sample(&after, "thidua_sync_db_seconds_total") > 0.0);
    assert!(after.contains("thidua_http_request_duration_seconds_bucket{le=\"0.001\",route=\"/api/sync/push\"}"), "{after}");

    // Anonymous and remote, or relayed by a proxy on this machine: refused.
    assert_eq!(scrape(&app, "203.0.113.7:443", &[]).await.0, 403);
    assert_eq!(scrape(&app, "127.0.0.1:50000", &[("x-forwarded-for", "203.0.113.7")]).await.0, 403);
    assert_eq!(scrape(&app, "203.0.113.7:443", &[("authorization", "Bearer wrong")]).await.0, 403);
    // With the token, from anywhere.
    assert_eq!(scrape(&app, "203.0.113.7:443", &[("authorization", "Bearer scrape-token-1")]).await.0, 200);
}

fn server_cmd(args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(["--db-url", "mem://", "--site-root", "/nonexistent"]).args(args);
    cmd
}

#[test]
fn plain_http_to_other_machines_needs_tls_in_front_or_a_word() {
    let out = server_cmd(&["--addr", "0.0.0.0:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--insecure-http"), "{out:?}");
}

#[test]
fn json_logs_on_request() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child =
        server_cmd(&["--addr", &format!("127.0.0.1:{port}"), "--log-format", "json"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut listening = None;
    for line in lines.take(50) {
        let line = line.unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if v["fields"]["message"].as_str().is_some_and(|m| m.starts_with("listening")) {
            listening = Some(v);
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let v = listening.expect("a JSON line saying where it listens");
    assert_eq!(v["level"], "INFO");
}
