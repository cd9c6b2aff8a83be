//! Sync figures for BENCHMARKS.md (issue 4): bytes on the wire per report in
//! each candidate encoding, and the time to push 500 queued reports to the
//! real server over loopback HTTP on embedded SurrealKV.
//!
//!   cargo run -p server --example sync_bench            (dev profile)
//!   cargo run -p server --example sync_bench --release  (representative)
use app::domain::auth::Role;
use app::domain::sync::*;
use std::time::Instant;

mod common;
use common::{gzip, post, report};

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = app::store::DbConfig { url: format!("surrealkv://{}", dir.path().display()), ..app::store::DbConfig::memory() };
    let db = app::store::connect(&cfg).await.unwrap();
    server::demo::load(&db).await.unwrap();
    common::province_wide(&db).await;

    // 30 communes of Kon Tum, each with a reporter signed in.
    let communes: Vec<String> = app::store::units::commune_ids(&db, "p62").await.unwrap().into_iter().take(30).collect();
    let mut phones = Vec::new();
    for (i, unit) in communes.iter().enumerate() {
        let username = format!("bench{i}");
        app::store::accounts::create(
            &db,
            app::store::accounts::NewAccount {
                username: username.clone(),
                display_name: "Bench".into(),
                role: Role::UnitReporter,
                unit: unit.clone(),
                password: "mat-khau-bench-2021".into(),
            },
            None,
        )
        .await
        .unwrap();
        let token = app::store::accounts::create_session(&db, &username, "1h").await.unwrap();
        let form = app::store::submissions::form_for(&db, unit).await.unwrap().unwrap();
        phones.push((format!("thidua_session={token}"), form));
    }

    // Bytes per report, one report in a push.
    let (_, form) = &phones[0];
    let one = PushBatch {
        protocol: PROTOCOL.into(),
        device: "bench-device".into(),
        items: vec![PushItem { id: form.report_id("2021-10"), revision: 1, base: 0, body: ItemBody::Report(report(form, "2021-10", 0)) }],
    };
    let json = serde_json::to_vec(&serde_json::json!({ "batch": one })).unwrap();
    let mut cbor = Vec::new();
    ciborium::into_writer(&one, &mut cbor).unwrap();
    println!("bytes per report (one full commune report: 7 criteria with evidence, 14 indicators, achievements):");
    println!("  JSON            {:>6}", json.len());
    println!("  JSON + gzip     {:>6}", gzip(&json).len());
    println!("  CBOR            {:>6}", cbor.len());
    println!("  CBOR + gzip     {:>6}", gzip(&cbor).len());

    // 500 queued reports: 30 phones × up to 17 periods, pushed over loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = tempfile::tempdir().unwrap();
    let router = server::router(db.clone(), server::leptos_options(site.path()));
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });
    let mut bodies = Vec::new();
    let mut total_items = 0;
    'outer: for (cookie, form) in &phones {
        let items: Vec<PushItem> = form
            .periods
            .iter()
            .enumerate()
            .map(|(n, p)| PushItem { id: form.report_id(&p.code), revision: 1, base: 0, body: ItemBody::Report(report(form, &p.code, n)) })
            .collect();
        let batch = PushBatch { protocol: PROTOCOL.into(), device: format!("dev-{}", form.unit), items };
        total_items += batch.items.len();
        let raw = serde_json::to_vec(&serde_json::json!({ "batch": batch })).unwrap();
        bodies.push((cookie.clone(), gzip(&raw), raw.len()));
        if total_items >= 500 {
            break 'outer;
        }
    }
    let wire: usize = bodies.iter().map(|b| b.1.len()).sum();
    let t = Instant::now();
    for (cookie, body, _) in &bodies {
        let (status, out) = post(addr, cookie, body).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&out));
        assert!(String::from_utf8_lossy(&out).matches("\"result\":\"stored\"").count() >= 17);
    }
    let took = t.elapsed();
    println!(
        "push {total_items} queued reports ({} pushes of ≤17, gzip, {:.1} KB on the wire, {:.0} B/report): {:.0} ms, {:.0} reports/s",
        bodies.len(),
        wire as f64 / 1024.0,
        wire as f64 / total_items as f64,
        took.as_secs_f64() * 1000.0,
        total_items as f64 / took.as_secs_f64()
    );
    // The same pushes again (every phone retrying after a lost reply).
    let t = Instant::now();
    for (cookie, body, _) in &bodies {
        assert_eq!(post(addr, cookie, body).await.0, 200);
    }
    println!("replay of the same {total_items} (nothing written): {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
}
