//! Data written survives a restart, a SIGTERM and a SIGKILL of the server.
mod common;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn data_survives_reopening_the_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = common::kv_db(dir.path()).await;
        server::demo::load(&db).await.unwrap();
        assert!(common::count(&db, "unit").await > 100);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let db = common::kv_db(dir.path()).await;
    assert_eq!(app::store::units::get(&db, "x23389").await.unwrap().unwrap().name, "Xã Đắk Xú");
    assert!(app::store::movements::current(&db).await.unwrap().is_some());
}

/// SurrealKV's sizes in the URL reach the engine (through the patched
/// `vendor/surrealdb-kvs-surrealkv`): a transaction larger than the memtable
/// is refused, and the same one fits in the default 64 MiB.
#[tokio::test]
async fn surrealkv_sizes_in_the_url_reach_the_engine() {
    // Small values: larger ones go to SurrealKV's value log, not the memtable.
    let rows: Vec<serde_json::Value> = (0..4000).map(|i| serde_json::json!({ "n": i, "text": "x".repeat(500) })).collect();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("surrealkv://{}?surrealkv_max_memtable_size=1048576", dir.path().join("small").display());
    let db = app::store::connect(&app::store::DbConfig { url, ..app::store::DbConfig::memory() }).await.unwrap();
    let res = db.query("INSERT INTO probe $rows").bind(("rows", rows.clone())).await.unwrap().check();
    assert!(res.is_err(), "a 2 MB transaction fit in a 1 MiB memtable: the size did not reach SurrealKV");

    let db = common::kv_db(&dir.path().join("default")).await;
    db.query("INSERT INTO probe $rows").bind(("rows", rows)).await.unwrap().check().unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn(dir: &std::path::Path, port: u16, demo: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.arg("--db-url")
        .arg(format!("surrealkv://{}", dir.display()))
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--site-root")
        .arg(dir.join("site"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    cmd.spawn().expect("server starts")
}

/// Waits until `/healthz` answers 200 (the demo is loaded before listening).
async fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf).await;
            if buf.starts_with(b"HTTP/1.1 200") {
                return;
            }
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn signal(child: &Child, sig: &str) {
    Command::new("kill").arg(format!("-{sig}")).arg(child.id().to_string()).status().unwrap();
}

#[tokio::test]
async fn data_survives_sigkill_and_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = spawn(dir.path(), port, true);
    wait_healthy(port).await;
    signal(&child, "KILL");
    child.wait().unwrap();

    // Restart on the same directory after the kill: the demo is all there.
    let port = free_port();
    let mut child = spawn(dir.path(), port, false);
    wait_healthy(port).await;
    signal(&child, "TERM");
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM is a clean stop, got {status:?}");

    let db = common::kv_db(dir.path()).await;
    assert_eq!(app::store::units::get(&db, "x23389").await.unwrap().unwrap().name, "Xã Đắk Xú");
    assert_eq!(app::store::clusters::list(&db).await.unwrap().len(), 5);
    assert_eq!(app::store::movements::current(&db).await.unwrap().unwrap().periods[0].code, "2021-10");
}
