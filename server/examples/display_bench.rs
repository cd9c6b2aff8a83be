//! Meeting displays under load: opens many display streams on one server
//! process (real router, embedded SurrealKV on a temp dir, the Ngọc Hồi demo
//! with its months of reports), then makes 100 appraisals that each move a
//! score and times every display's update from the moment the write was
//! issued to the moment its event was read.
//!
//! `cargo run --release -p server --example display_bench [-- DISPLAYS [CHANGES]]`
//! (defaults 1000 and 100; needs `ulimit -n` above twice the displays).

use app::store::{connect, displays, leaderboard, movements, review, DbConfig};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let changes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    let cfg = DbConfig { url: format!("surrealkv://{}", dir.path().join("db").display()), ..DbConfig::memory() };
    let db = connect(&cfg).await.unwrap();
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    let m = movements::current(&db).await.unwrap().unwrap();
    let period = review::period_now(&db, &m, app::domain::date::vn_date(time::OffsetDateTime::now_utc())).await.unwrap();
    // A link opens at most MAX_STREAMS_PER_LINK streams: one link per
    // meeting room's worth of displays.
    let per_link = server::live_boards::MAX_STREAMS_PER_LINK;
    let mut tokens = Vec::new();
    for i in 0..n.div_ceil(per_link) {
        tokens.push(displays::create(&db, &format!("Bench {i}"), &m.organiser, None, None).await.unwrap().1);
    }

    // One reading of every board, alone: the work behind each update.
    let t = Instant::now();
    for _ in 0..20 {
        leaderboard::standings(&db, &m, &Default::default(), time::OffsetDateTime::now_utc()).await.unwrap();
    }
    let compute_ms = t.elapsed().as_secs_f64() * 1000.0 / 20.0;

    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() });

    // Each display reports (display, version, when read) for every board event.
    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, u64, Instant)>();
    for k in 0..n {
        let (tx, path) = (tx.clone(), format!("/api/display/live/{}", tokens[k / per_link]));
        tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(format!("GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n").as_bytes()).await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                let Ok(got) = s.read(&mut chunk).await else { return };
                if got == 0 {
                    return;
                }
                let at = Instant::now();
                buf.extend_from_slice(&chunk[..got]);
                // Events end with a blank line; a board's data carries its version.
                while let Some(end) = find(&buf, b"\n\n") {
                    let ev: Vec<u8> = buf.drain(..end + 2).collect();
                    let ev = String::from_utf8_lossy(&ev);
                    if ev.contains("event: board") {
                        if let Some(v) = ev.split("\"version\":").nth(1).and_then(|r| r.split(',').next()).and_then(|v| v.parse().ok()) {
                            let _ = tx.send((k, v, at));
                        }
                    }
                }
            }
        });
    }
    drop(tx);
    let mut latest = vec![0u64; n];
    let opened = Instant::now();
    while latest.contains(&0) {
        let (k, v, _) = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("every display gets a first board").unwrap();
        latest[k] = v;
    }
    let open_s = opened.elapsed().as_secs_f64();
    let rss_open = rss_mb();

    // Reports on screen (of cluster members, for the period shown) to
    // appraise, in turn.
    let on_screen: Vec<surrealdb::types::RecordId> = app::store::clusters::list(&db)
        .await
        .unwrap()
        .iter()
        .flat_map(|c| c.members.iter().map(|u| surrealdb::types::RecordId::new("submission", m.report_id(u, &period))))
        .collect();
    let mut res = db.query("SELECT VALUE record::id(id) FROM $ids WHERE kind = 'report' LIMIT 10").bind(("ids", on_screen)).await.unwrap();
    let ids: Vec<String> = res.take(0).unwrap();
    let mut lat = Vec::with_capacity(n * changes);
    let mut first = Vec::with_capacity(changes);
    let mut missed = 0usize;
    for i in 0..changes {
        let target = latest.iter().copied().max().unwrap() + 1;
        let id = &ids[i % ids.len()];
        // 0 then 10 points on the same report and criterion: always a move.
        let points = if (i / ids.len()).is_multiple_of(2) { 0.0 } else { 10.0 };
        let t0 = Instant::now();
        review::appraise(&db, &m, id, "chi-dao", points, "Đo tải màn hình", "bench").await.unwrap();
        let mut got = 0;
        let mut earliest = None::<Duration>;
        let deadline = t0 + Duration::from_secs(10);
        while got < n {
            let Ok(Some((k, v, at))) = tokio::time::timeout_at(deadline.into(), rx.recv()).await else { break };
            if v >= target && latest[k] < target {
                got += 1;
                let d = at.duration_since(t0);
                lat.push(d);
                earliest = Some(earliest.map_or(d, |e: Duration| e.min(d)));
            }
            latest[k] = latest[k].max(v);
        }
        missed += n - got;
        first.extend(earliest);
    }
    lat.sort();
    first.sort();
    let pct = |v: &[Duration], p: f64| {
        v.get(((v.len() as f64 * p).ceil() as usize).saturating_sub(1).min(v.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "display bench: {n} open displays, {changes} score-moving appraisals (embedded SurrealKV, Ngọc Hồi demo, {} clusters)",
        latest_clusters(&db).await
    );
    println!("  one standings computation (all boards): {compute_ms:.1} ms");
    println!("  all {n} displays opened and got their first board in {open_s:.2} s");
    println!(
        "  change → display update, over {} deliveries: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; missed {missed}",
        lat.len(),
        pct(&lat, 0.5),
        pct(&lat, 0.95),
        pct(&lat, 1.0)
    );
    println!("  change → first display updated: p50 {:.0} ms, p95 {:.0} ms", pct(&first, 0.5), pct(&first, 0.95));
    println!(
        "  process memory (server and the bench's {n} clients): {rss_open:.0} MB with displays open, {:.0} MB after the changes",
        rss_mb()
    );
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn latest_clusters(db: &app::store::Db) -> usize {
    app::store::clusters::list(db).await.map(|c| c.len()).unwrap_or(0)
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
