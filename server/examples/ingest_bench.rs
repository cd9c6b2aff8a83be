//! Sync ingest at scale for BENCHMARKS.md (issue 8): many phones pushing
//! batches of reports at once over loopback HTTP to the real router on
//! embedded SurrealKV (throughput, per-push latency), against the raw
//! ceiling of the engine: the same submission rows inserted straight into a
//! fresh database, in batches, with no HTTP, sessions, validation, revision
//! checks, receipts or audit.
//!
//!   cargo run --release -p server --example ingest_bench [-- CONCURRENCY BATCH]
//!
//! `INGEST_ONLY=1` stops after the HTTP rounds (no raw ceiling): quicker
//! when profiling the push path.
//!
//! Every commune of the Kon Tum catalogue (the demo movement's province) is
//! one phone; each pushes its unit's periods in batches of BATCH (default 6),
//! CONCURRENCY (default 16) pushes in flight, then an edit of each (a new
//! revision), in three rounds; the median round is reported, and each raw
//! figure is the median of three runs.
use app::domain::auth::Role;
use app::domain::report::ReportForm;
use app::domain::sync::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use surrealdb::types::Value;
use tokio::sync::Semaphore;

mod common;
use common::{gzip, percentile_ms, post, report, rss_mb};

struct Phone {
    cookie: String,
    form: ReportForm,
}

/// One push: (cookie, gzip body, items in it).
type Push = (String, Vec<u8>, usize);

fn pushes(phones: &[Phone], batch: usize, revision: u32) -> Vec<Push> {
    let mut out = Vec::new();
    for p in phones {
        for (b, chunk) in p.form.periods.chunks(batch).enumerate() {
            let items: Vec<PushItem> = chunk
                .iter()
                .enumerate()
                .map(|(n, period)| PushItem {
                    id: p.form.report_id(&period.code),
                    revision,
                    base: revision - 1,
                    body: ItemBody::Report(report(&p.form, &period.code, b * batch + n + revision as usize)),
                })
                .collect();
            let n = items.len();
            let raw = serde_json::to_vec(
                &serde_json::json!({ "batch": PushBatch { protocol: PROTOCOL.into(), device: format!("phone-{}", p.form.unit), items } }),
            )
            .unwrap();
            out.push((p.cookie.clone(), gzip(&raw), n));
        }
    }
    // Phones do not take turns: interleave units.
    out.sort_by_key(|(c, b, _)| (b.len() * 7919 + c.len()) % 1009);
    out
}

/// Sends every push, `concurrency` at a time; returns wall time and each push's latency.
async fn run(addr: std::net::SocketAddr, work: Vec<Push>, concurrency: usize) -> (Duration, Vec<Duration>) {
    let gate = Arc::new(Semaphore::new(concurrency));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (cookie, body, n) in work {
        let permit = gate.clone().acquire_owned().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let (status, out) = post(addr, &cookie, &body).await;
            let took = t.elapsed();
            drop(permit);
            let text = String::from_utf8_lossy(&out);
            assert_eq!(status, 200, "{text}");
            assert_eq!(text.matches("\"result\":\"stored\"").count(), n, "{text}");
            took
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.push(t.await.unwrap());
    }
    (start.elapsed(), lat)
}

/// Inserts the stored rows into a fresh database, `batch` reports per
/// transaction, `concurrency` transactions at once: with `full`, each
/// report's revision row and audit entry too (what a push writes), else the
/// submission rows alone. Returns reports per second.
async fn raw_insert(rows: &[(Value, Value, Value)], batch: usize, concurrency: usize, full: bool) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let cfg = app::store::DbConfig { url: format!("surrealkv://{}", dir.path().display()), ..app::store::DbConfig::memory() };
    let db = app::store::connect(&cfg).await.unwrap();
    server::demo::load(&db).await.unwrap();
    let gate = Arc::new(Semaphore::new(concurrency));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for chunk in rows.chunks(batch) {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let db = db.clone();
        let subs: Vec<Value> = chunk.iter().map(|r| r.0.clone()).collect();
        let revs: Vec<Value> = chunk.iter().map(|r| r.1.clone()).collect();
        let audits: Vec<Value> = chunk.iter().map(|r| r.2.clone()).collect();
        tasks.push(tokio::spawn(async move {
            let q = if full {
                "BEGIN TRANSACTION; INSERT INTO submission $s; INSERT INTO submission_rev $r; INSERT INTO audit $a; COMMIT TRANSACTION;"
            } else {
                "INSERT INTO submission $s"
            };
            db.query(q).bind(("s", subs)).bind(("r", revs)).bind(("a", audits)).await.unwrap().check().unwrap();
            drop(permit);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    rows.len() as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    // Warnings (a batched write that fell back to item by item) go to stderr.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn,surrealdb=off,surrealkv=off"))
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let concurrency = args.first().copied().unwrap_or(16);
    let batch = args.get(1).copied().unwrap_or(6);

    let dir = tempfile::tempdir().unwrap();
    let cfg = app::store::DbConfig { url: format!("surrealkv://{}", dir.path().display()), ..app::store::DbConfig::memory() };
    let db = app::store::connect(&cfg).await.unwrap();
    server::demo::load(&db).await.unwrap();
    common::province_wide(&db).await;

    // Every commune of the province, each a phone with its reporter signed in.
    // Accounts share one argon2 hash (hashing is not what is measured here).
    let communes: Vec<String> = app::store::units::commune_ids(&db, "p62").await.unwrap();
    let template = app::store::accounts::NewAccount {
        username: "bench-0".into(),
        display_name: "Bench".into(),
        role: Role::UnitReporter,
        unit: communes[0].clone(),
        password: "mat-khau-bench-2021".into(),
    };
    app::store::accounts::create(&db, template, None).await.unwrap();
    db.query(
        "LET $h = (SELECT VALUE password_hash FROM ONLY account:`bench-0`);
         FOR $i IN 1..array::len($units) {
            LET $u = 'bench-' + <string> $i;
            CREATE type::record('account', $u) CONTENT { username: $u, display_name: 'Bench', password_hash: $h, role: 'unit_reporter', unit: type::record('unit', $units[$i]) };
         };",
    )
    .bind(("units", communes.clone()))
    .await
    .unwrap()
    .check()
    .unwrap();
    let mut phones = Vec::new();
    for (i, unit) in communes.iter().enumerate() {
        let token = app::store::accounts::create_session(&db, &format!("bench-{i}"), "1h").await.unwrap();
        let form = app::store::submissions::form_for(&db, unit).await.unwrap().expect("the demo movement covers the province");
        phones.push(Phone { cookie: format!("thidua_session={token}"), form });
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = tempfile::tempdir().unwrap();
    let router = server::router(db.clone(), server::leptos_options(site.path()));
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });

    // Three rounds, each a new revision of every report twice (a first
    // write, then an edit); disks here vary run to run, so medians are kept.
    let mut rates = Vec::new();
    let mut lat = Vec::new();
    let (mut total, mut pushes_n, mut wire) = (0usize, 0usize, 0usize);
    for round in 0..3u32 {
        let mut took = std::time::Duration::ZERO;
        let mut n = 0;
        for revision in [2 * round + 1, 2 * round + 2] {
            let work = pushes(&phones, batch, revision);
            n += work.iter().map(|p| p.2).sum::<usize>();
            pushes_n += work.len();
            wire += work.iter().map(|p| p.1.len()).sum::<usize>();
            let (t, l) = run(addr, work, concurrency).await;
            took += t;
            lat.extend(l);
        }
        total += n;
        rates.push(n as f64 / took.as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    let http_rate = rates[1];
    let (rss, peak) = rss_mb();
    if std::env::var_os("INGEST_ONLY").is_some() {
        println!(
            "sync ingest over HTTP: {http_rate:.0} reports/s (rounds {:.0} / {:.0} / {:.0}); p50 {:.0} ms per push",
            rates[0],
            rates[1],
            rates[2],
            percentile_ms(&lat, 50.0)
        );
        return;
    }

    // The same records, as stored, straight into a fresh engine: each
    // report's first revision with its revision row and audit entry.
    let mut res = db
        .query(
            "SELECT * FROM submission WHERE string::starts_with(device, 'phone-') ORDER BY id;
             SELECT * FROM submission_rev WHERE revision = 6 ORDER BY sub;
             SELECT * FROM audit WHERE action = 'report.submit' AND string::starts_with(actor, 'bench-') ORDER BY subject, at;",
        )
        .await
        .unwrap();
    let subs: Vec<Value> = res.take(0).unwrap();
    let revs: Vec<Value> = res.take(1).unwrap();
    let audits: Vec<Value> = res.take(2).unwrap();
    let rows: Vec<(Value, Value, Value)> =
        subs.into_iter().zip(revs).zip(audits.into_iter().step_by(6)).map(|((s, r), a)| (s, r, a)).collect();
    let stored = rows.len();
    let mut ceilings = Vec::new();
    for full in [false, true] {
        for (b, c) in [(batch, concurrency), (1_000, 1), (1_000, 2)] {
            let mut r = Vec::new();
            for _ in 0..3 {
                r.push(raw_insert(&rows, b, c, full).await);
            }
            r.sort_by(f64::total_cmp);
            ceilings.push((full, b, c, r[1]));
        }
    }
    let best = |full: bool| ceilings.iter().filter(|c| c.0 == full).map(|c| c.3).fold(0.0, f64::max);

    println!("| What | Figure |");
    println!("|---|---:|");
    println!("| phones (communes of Kon Tum, one reporter session each) | {} |", phones.len());
    println!(
        "| pushes (batches of ≤ {batch} reports, gzip JSON, {concurrency} in flight) | {pushes_n} ({:.0} B per report on the wire) |",
        wire as f64 / total as f64
    );
    println!("| reports written over HTTP: 3 rounds of 2 revisions of every report (a write, then an edit) | {total}: {:.0} / {:.0} / {:.0} reports/s |", rates[0], rates[1], rates[2]);
    println!("| **sync ingest over HTTP (median round)** | **{http_rate:.0} reports/s** |");
    println!(
        "| latency per push: p50 / p95 / max | {:.0} / {:.0} / {:.0} ms |",
        percentile_ms(&lat, 50.0),
        percentile_ms(&lat, 95.0),
        percentile_ms(&lat, 100.0)
    );
    for (full, b, c, r) in &ceilings {
        let what = if *full { "submission + revision + audit rows" } else { "submission rows alone" };
        println!("| raw engine: `INSERT` of the {stored} reports as stored ({what}), {b} reports per transaction, {c} at once (median of 3) | {r:.0} reports/s |");
    }
    println!("| ingest ÷ raw ceiling, submission rows alone (best raw figure) | {:.0} % |", 100.0 * http_rate / best(false));
    println!(
        "| **ingest ÷ raw ceiling, the rows a push writes (best raw figure)** | **{:.0} %** (target ≥ 50 %) |",
        100.0 * http_rate / best(true)
    );
    println!("| process memory (server and the bench's clients) after the pushes: RSS / peak | {rss:.0} / {peak:.0} MB |");
}
