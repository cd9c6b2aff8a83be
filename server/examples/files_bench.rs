//! Evidence-file figures for BENCHMARKS.md (issue 23): the bytes on the wire
//! for a report with two photos (as the phone keeps them: 1600 px JPEG at
//! 0.8), the upload throughput over loopback HTTP in 256 KB chunks to the
//! real server (files in a directory beside the store), and the time to
//! make a thumbnail on the server.
//!
//!   cargo run -p server --example files_bench --release
use app::domain::attachment::{FileKind, FileRef, CHUNK_MAX};
use app::domain::auth::Role;
use app::domain::sync::*;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
use common::{gzip, percentile_ms, post, report};

fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A photo as a phone keeps it: 1600 × 1200, smooth light with sensor
/// noise, JPEG at quality 80 (the browser's 0.8). `seed` makes each differ.
fn photo(seed: u32) -> Vec<u8> {
    let mut x = seed | 1;
    let img = image::RgbImage::from_fn(1600, 1200, |c, r| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x & 31) as i32 - 16;
        let v = |base: u32| (base as i32 + n).clamp(0, 255) as u8;
        image::Rgb([v(c / 7), v(r / 5), v((c + r) / 11)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img).unwrap();
    out
}

/// PUTs one chunk on a fresh connection; the status.
async fn put(addr: std::net::SocketAddr, cookie: &str, path: &str, body: &[u8]) -> (u16, usize) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/octet-stream\r\nCookie: {cookie}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    (std::str::from_utf8(&out[9..12]).unwrap().parse().unwrap(), head.len() + body.len() + out.len())
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = app::store::DbConfig { url: format!("surrealkv://{}", dir.path().join("db").display()), ..app::store::DbConfig::memory() };
    let db = app::store::connect(&cfg).await.unwrap();
    server::demo::load(&db).await.unwrap();
    let blobs = app::store::files::Blobs::local(&dir.path().join("files")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = tempfile::tempdir().unwrap();
    let router = server::router_with_files(db.clone(), blobs, server::leptos_options(site.path()));
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });
    app::store::accounts::create(
        &db,
        app::store::accounts::NewAccount {
            username: "bench".into(),
            display_name: "Bench".into(),
            role: Role::UnitReporter,
            unit: "x23389".into(),
            password: "mat-khau-thu-tep-2021".into(),
        },
        None,
    )
    .await
    .unwrap();
    let cookie = format!("thidua_session={}", app::store::accounts::create_session(&db, "bench", "1h").await.unwrap());
    let form = app::store::submissions::form_for(&db, "x23389").await.unwrap().unwrap();

    // A report with two photos: the files, in chunks, then the push.
    let photos = [photo(1), photo(2)];
    let mut wire = 0;
    let mut refs = Vec::new();
    for (k, p) in photos.iter().enumerate() {
        let h = hash(p);
        for (n, chunk) in p.chunks(CHUNK_MAX as usize).enumerate() {
            let from = n * CHUNK_MAX as usize;
            let (status, bytes) = put(addr, &cookie, &format!("/api/files/{h}?ten=anh-{k}.jpg&tu={from}&tong={}", p.len()), chunk).await;
            assert_eq!(status, 200);
            wire += bytes;
        }
        let area = form.criteria[k % form.criteria.len()].area.clone();
        refs.push(FileRef { hash: h, name: format!("anh-{k}.jpg"), kind: FileKind::Jpeg, size: p.len() as u64, area: Some(area) });
    }
    let mut body = report(&form, "2021-10", 0);
    body.files = refs;
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "bench-device".into(),
        items: vec![PushItem { id: form.report_id("2021-10"), revision: 1, base: 0, body: ItemBody::Report(body) }],
    };
    let push = gzip(&serde_json::to_vec(&serde_json::json!({ "batch": batch })).unwrap());
    let (status, reply) = post(addr, &cookie, &push).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&reply).contains("\"result\":\"stored\""), "{}", String::from_utf8_lossy(&reply));
    println!(
        "a report with two photos: photos {} + {} B, {} chunk requests, {:.1} KB on the wire for the files (HTTP heads and answers included), push {} B gzip",
        photos[0].len(),
        photos[1].len(),
        photos.iter().map(|p| p.len().div_ceil(CHUNK_MAX as usize)).sum::<usize>(),
        wire as f64 / 1024.0,
        push.len()
    );

    // Throughput: 40 photos (~12 MB), chunk by chunk, one phone.
    let many: Vec<Vec<u8>> = (10..50).map(photo).collect();
    let total: usize = many.iter().map(Vec::len).sum();
    let t = Instant::now();
    for (k, p) in many.iter().enumerate() {
        let h = hash(p);
        for (n, chunk) in p.chunks(CHUNK_MAX as usize).enumerate() {
            let from = n * CHUNK_MAX as usize;
            let (status, _) = put(addr, &cookie, &format!("/api/files/{h}?ten=b{k}.jpg&tu={from}&tong={}", p.len()), chunk).await;
            assert_eq!(status, 200);
        }
    }
    let took = t.elapsed();
    println!(
        "upload over loopback: {} photos, {:.1} MB in {:.0} ms: {:.1} MB/s",
        many.len(),
        total as f64 / 1048576.0,
        took.as_secs_f64() * 1000.0,
        total as f64 / 1048576.0 / took.as_secs_f64()
    );

    // Thumbnails: one 1600 × 1200 photo, decoded and scaled, 15 times.
    let mut times: Vec<Duration> = Vec::new();
    for p in many.iter().take(15) {
        let t = Instant::now();
        let thumb = app::store::files::make_thumbnail(p).unwrap();
        times.push(t.elapsed());
        assert!(!thumb.is_empty());
    }
    times.sort();
    println!(
        "thumbnail of a 1600×1200 JPEG (320 px, JPEG 75): median {:.1} ms (min {:.1}, max {:.1}) of {}",
        percentile_ms(&times, 50.0),
        times[0].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        times.len()
    );
}
