//! Evidence files through the real routes, on a directory and on a real
//! S3-compatible server (s3s-fs, from crates.io, started here): a chunked
//! upload cut and resumed, a file sent twice stored once, a push that names
//! a file before it has arrived waiting for it, files refused by their
//! content (an HTML page named .jpg, a decompression bomb), and reads
//! allowed only to the unit that sent the file and the staff above it.
mod common;
use app::domain::attachment::{FileKind, FileRef, UploadState, CHUNK_MAX};
use app::domain::auth::Role;
use app::domain::report::{ReportBody, ScoreEntry};
use app::domain::sync::*;
use app::store::files::Blobs;
use axum::body::Body;
use axum::http::{header, Request};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A photo-like JPEG (noise compresses badly, so it spans several chunks).
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut x: u32 = 2021;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out
}

/// A PNG whose header declares 60,000 × 60,000 pixels (a few hundred bytes
/// that would take 10 GB to decode).
fn png_bomb() -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in bytes {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend(60_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [ihdr, b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01".to_vec(), b"IEND".to_vec()] {
        out.extend((chunk.len() as u32 - 4).to_be_bytes());
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
    out
}

struct Client {
    app: axum::Router,
    cookie: String,
}

impl Client {
    async fn send(&self, req: axum::http::request::Builder, body: Vec<u8>) -> (u16, axum::http::HeaderMap, Vec<u8>) {
        let req = req.header(header::COOKIE, &self.cookie).body(Body::from(body)).unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status().as_u16(), res.headers().clone());
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap().to_vec();
        (status, headers, bytes)
    }

    async fn state(&self, h: &str, name: &str, total: usize) -> UploadState {
        let (s, _, b) = self.send(Request::get(format!("/api/files/{h}?ten={name}&tong={total}")), Vec::new()).await;
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
        serde_json::from_slice(&b).unwrap()
    }

    async fn chunk(&self, h: &str, name: &str, from: usize, total: usize, bytes: &[u8]) -> (u16, String) {
        let (s, _, b) = self.send(Request::put(format!("/api/files/{h}?ten={name}&tu={from}&tong={total}")), bytes.to_vec()).await;
        (s, String::from_utf8_lossy(&b).into_owned())
    }

    /// Uploads the whole file the way the phone does: from where the server
    /// stands, a chunk at a time.
    async fn upload(&self, name: &str, bytes: &[u8]) -> (u16, String) {
        let h = hash(bytes);
        let mut at = self.state(&h, name, bytes.len()).await;
        while !at.complete {
            let from = at.received as usize;
            let to = (from + CHUNK_MAX as usize).min(bytes.len());
            let (s, text) = self.chunk(&h, name, from, bytes.len(), &bytes[from..to]).await;
            if s != 200 {
                return (s, text);
            }
            at = serde_json::from_str(&text).unwrap();
        }
        (200, String::new())
    }

    async fn get(&self, path: &str) -> (u16, axum::http::HeaderMap, Vec<u8>) {
        self.send(Request::get(path), Vec::new()).await
    }

    async fn push(&self, items: Vec<PushItem>) -> PushReply {
        let batch = PushBatch { protocol: PROTOCOL.into(), device: "may-1".into(), items };
        let (s, _, b) = self
            .send(
                Request::post("/api/sync/push").header(header::CONTENT_TYPE, "application/json").header(header::ACCEPT, "application/json"),
                serde_json::json!({ "batch": batch }).to_string().into_bytes(),
            )
            .await;
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
        serde_json::from_slice(&b).unwrap()
    }
}

fn report(files: Vec<FileRef>) -> PushItem {
    let body = ReportBody {
        unit: "x23389".into(),
        period: "2021-10".into(),
        scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(10.0), evidence: String::new() }],
        indicators: vec![],
        achievements: "Tiêm chủng tại trạm y tế xã".into(),
        movement: None,
        copied: Vec::new(),
        files,
    };
    PushItem { id: common::report_id("x23389", "2021-10"), revision: 1, base: 0, body: ItemBody::Report(body) }
}

/// Everything a deployment's file store must do, on `blobs`.
async fn evidence_on(blobs: Blobs, count_stored: impl Fn() -> usize) {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router_with_files(db.clone(), blobs, server::leptos_options(site.path()));
    let client = |cookie: String| Client { app: app.clone(), cookie };
    let dakxu = client(common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await);
    let other_commune = client(common::session_cookie(&db, "khac", Role::UnitReporter, "x23377").await);
    let officer = client(common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await);
    let other_org = client(common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await);
    let nobody = client(String::new());

    let photo = jpeg(900, 700);
    assert!(photo.len() as u64 > 2 * CHUNK_MAX, "the photo spans three chunks: {} bytes", photo.len());
    let (ph, total) = (hash(&photo), photo.len());
    let chunk = CHUNK_MAX as usize;

    // A report naming the photo before it has arrived waits for it.
    let photo_ref =
        FileRef { hash: ph.clone(), name: "tiem-chung.jpg".into(), kind: FileKind::Jpeg, size: total as u64, area: Some("chi-dao".into()) };
    let early = dakxu.push(vec![report(vec![photo_ref.clone()])]).await;
    assert_eq!(early.acks[0].outcome, Outcome::Missing { files: vec![ph.clone()] });
    assert_eq!(common::count(&db, "submission").await, 0, "nothing written while a file is missing");

    // The first chunk arrives; the second is cut (never arrives whole).
    assert_eq!(dakxu.chunk(&ph, "tiem-chung.jpg", 0, total, &photo[..chunk]).await.0, 200);
    assert_eq!(dakxu.state(&ph, "tiem-chung.jpg", total).await, UploadState { received: chunk as u64, complete: false });
    // A chunk sent again after its answer was lost starts behind: refused,
    // naming the file, and the phone asks where the server stands.
    let (s, text) = dakxu.chunk(&ph, "tiem-chung.jpg", 0, total, &photo[..chunk]).await;
    assert_eq!(s, 422, "{text}");
    assert!(text.contains("upload_offset") && text.contains("tiem-chung.jpg"), "{text}");
    // Then it goes on from there, and again after a second cut.
    assert_eq!(dakxu.chunk(&ph, "tiem-chung.jpg", chunk, total, &photo[chunk..2 * chunk]).await.0, 200);
    assert_eq!(dakxu.upload("tiem-chung.jpg", &photo).await.0, 200);
    assert!(dakxu.state(&ph, "tiem-chung.jpg", total).await.complete);
    assert_eq!(count_stored(), 1, "one file kept, no chunks left");

    // Sent again (another phone of the unit, a reinstalled app): nothing to
    // send, still one copy.
    let again = dakxu.state(&ph, "tiem-chung.jpg", total).await;
    assert!(again.complete);
    assert_eq!(count_stored(), 1);

    // Now the report is stored, naming the photo for its criterion.
    let stored = dakxu.push(vec![report(vec![photo_ref.clone()])]).await;
    assert!(matches!(stored.acks[0].outcome, Outcome::Stored { .. }), "{:?}", stored.acks[0]);
    // A reference that describes the file otherwise is refused.
    let wrong = FileRef { size: 5, ..photo_ref.clone() };
    let refused = dakxu.push(vec![PushItem { revision: 2, base: 1, ..report(vec![wrong]) }]).await;
    match &refused.acks[0].outcome {
        Outcome::Invalid { errors } => assert_eq!(errors[0].rule, "file_mismatch"),
        o => panic!("{o:?}"),
    }

    // Reads: the unit and the staff above it; nobody else, the same denial
    // for a file that does not exist.
    let path = format!("/minh-chung/{ph}");
    let (s, h, body) = dakxu.get(&path).await;
    assert_eq!((s, body.len()), (200, total));
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert!(h[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("sandbox"));
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(officer.get(&path).await.0, 200);
    assert_eq!(other_commune.get(&path).await.0, 403);
    assert_eq!(other_org.get(&path).await.0, 403);
    assert_eq!(nobody.get(&path).await.0, 401);
    assert_eq!(other_org.get(&format!("/minh-chung/{}", "0".repeat(64))).await.0, 403);
    // Another unit cannot name the file in its own items without sending it.
    let theirs = other_commune.state(&ph, "tiem-chung.jpg", total).await;
    assert!(!theirs.complete, "another unit's upload is its own");

    // The thumbnail, made on the server and kept.
    let (s, h, thumb) = officer.get(&format!("{path}/anh-nho")).await;
    assert_eq!(s, 200);
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    let t = image::load_from_memory(&thumb).unwrap();
    assert_eq!((t.width(), t.height()), (320, 249));
    assert_eq!(other_org.get(&format!("{path}/anh-nho")).await.0, 403);

    // A PDF is served as a download.
    let pdf = [b"%PDF-1.4\n".as_slice(), &[b'x'; 5000]].concat();
    assert_eq!(dakxu.upload("bien-ban.pdf", &pdf).await.0, 200);
    let (s, h, _) = officer.get(&format!("/minh-chung/{}", hash(&pdf))).await;
    assert_eq!((s, h[header::CONTENT_DISPOSITION].to_str().unwrap()), (200, "attachment"));

    // An HTML page named .jpg is refused by its content, naming the file and
    // the rule; nothing of it is kept.
    let page = b"<html><body><script>alert(1)</script></body></html>".to_vec();
    let (s, text) = dakxu.upload("anh-that.jpg", &page).await;
    assert_eq!(s, 422, "{text}");
    assert!(text.contains("anh-that.jpg") && text.contains("file_type"), "{text}");
    assert!(!dakxu.state(&hash(&page), "anh-that.jpg", page.len()).await.complete);
    assert_eq!(dakxu.state(&hash(&page), "anh-that.jpg", page.len()).await.received, 0, "its chunks are gone");
    // A decompression bomb is refused before decoding.
    let bomb = png_bomb();
    let (s, text) = dakxu.upload("bom.png", &bomb).await;
    assert_eq!(s, 422, "{text}");
    assert!(text.contains("image_pixels"), "{text}");
    // Only a unit's reporter uploads.
    assert_eq!(officer.chunk(&hash(&pdf), "x.pdf", 0, pdf.len(), &pdf).await.0, 403);
    assert_eq!(count_stored(), 2, "the photo and the PDF");
}

fn files_under(dir: &std::path::Path) -> usize {
    fn walk(d: &std::path::Path, n: &mut usize) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, n);
            } else {
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(&dir.join("files"), &mut n);
    walk(&dir.join("staging"), &mut n);
    n
}

#[tokio::test]
async fn evidence_files_on_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    evidence_on(Blobs::local(&root).unwrap(), move || files_under(&root)).await;
}

/// s3s-fs, an S3 server over a directory (`cargo install s3s-fs --features
/// binary`; `scripts/setup.sh` does), on a free port.
struct S3Server {
    child: std::process::Child,
    port: u16,
    root: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3_server() -> S3Server {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("thidua")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bin = std::env::var("THIDUA_S3S_FS").unwrap_or_else(|_| "s3s-fs".into());
    let child = std::process::Command::new(&bin)
        .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", "thidua", "--secret-key", "bi-mat-thu-nghiem"])
        .arg(root.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin}: {e} (scripts/setup.sh installs it: cargo install s3s-fs --features binary)"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "s3s-fs did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    S3Server { child, port, root }
}

#[tokio::test]
async fn evidence_files_on_an_s3_compatible_server() {
    let s3 = s3_server();
    let blobs = Blobs::s3("thidua", Some(&format!("http://127.0.0.1:{}", s3.port)), "thidua", "bi-mat-thu-nghiem", "us-east-1").unwrap();
    let bucket = s3.root.path().join("thidua");
    // s3s-fs keeps each object as a file under the bucket's directory.
    evidence_on(blobs, move || files_under(&bucket)).await;
}
