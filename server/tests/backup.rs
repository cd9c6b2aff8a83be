//! Backups: taken while phones push, restored into a new store with every
//! acknowledged report and its identical receipt; a damaged or newer backup
//! refused by `verify` and `restore` (and the CLI) before anything is
//! written; scheduled backups keep the newest few; evidence files travel
//! with the backup, beside it, once each.
mod common;
use app::domain::auth::Role;
use app::domain::report::{ReportBody, ScoreEntry};
use app::domain::sync::*;
use app::store::files::{self, Blobs, Chunk, Sender};
use app::store::{Db, DbConfig};
use common::report_id;
use server::backup::{self, BackupError};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// An empty store on disk, opened as `server restore` opens it.
async fn empty_store(dir: &Path) -> Db {
    app::store::open(&DbConfig { url: format!("surrealkv://{}", dir.display()), ..DbConfig::memory() }).await.unwrap()
}

/// (id, revision) → (hash, server time) of every stored revision.
async fn receipts(db: &Db) -> std::collections::BTreeMap<(String, u32), (String, String)> {
    let mut res = db.query("SELECT sub, revision, hash, <string> received_at AS at FROM submission_rev").await.unwrap();
    let rows: Vec<serde_json::Value> = res.take(0).unwrap();
    rows.into_iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            ((s("sub"), r["revision"].as_u64().unwrap() as u32), (s("hash"), s("at")))
        })
        .collect()
}

async fn table_count(db: &Db) -> usize {
    let mut res = db.query("INFO FOR DB").await.unwrap();
    let info: Option<serde_json::Value> = res.take(0).unwrap();
    info.and_then(|i| i.get("tables").and_then(|t| t.as_object()).map(|t| t.len())).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_phones_push_restores_every_acknowledged_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::kv_db(&dir.path().join("db")).await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    let months: Vec<String> =
        m.periods.iter().filter(|p| p.kind == app::domain::period::PeriodKind::Month).map(|p| p.code.clone()).collect();
    let communes: Vec<String> = app::store::units::subtree(&db, "d611")
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == app::domain::unit::UnitKind::Commune)
        .map(|u| u.id)
        .take(4)
        .collect();
    assert_eq!(communes.len(), 4);

    // Four phones file a report a push, month after month; each notes the
    // acks it got back before the backup began.
    let started = Arc::new(AtomicBool::new(false));
    let mut phones = Vec::new();
    for (i, unit) in communes.iter().enumerate() {
        let cookie = common::session_cookie(&db, &format!("phone{i}"), Role::UnitReporter, unit).await;
        let form = app::store::submissions::form_for(&db, unit).await.unwrap().unwrap();
        let (app, unit, months, started) = (app.clone(), unit.clone(), months.clone(), started.clone());
        phones.push(tokio::spawn(async move {
            let mut before = Vec::new();
            for (k, period) in months.iter().enumerate() {
                let body = ReportBody {
                    files: Vec::new(),
                    unit: unit.clone(),
                    period: period.clone(),
                    scores: form
                        .criteria
                        .iter()
                        .map(|c| ScoreEntry { area: c.area.clone(), points: Some(k as f64 % 7.0), evidence: "Biên bản".into() })
                        .collect(),
                    indicators: vec![],
                    achievements: format!("Tháng {period}"),
                    movement: None,
                    copied: Vec::new(),
                };
                let item = PushItem { id: report_id(&unit, period), revision: 1, base: 0, body: ItemBody::Report(body) };
                let batch = PushBatch { protocol: PROTOCOL.into(), device: format!("phone-{unit}"), items: vec![item] };
                let (status, text) =
                    common::call(&app, &cookie, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
                assert_eq!(status, 200, "{text}");
                let reply: PushReply = serde_json::from_str(&text).unwrap();
                let early = !started.load(Ordering::SeqCst);
                for ack in reply.acks {
                    let Outcome::Stored { receipt, .. } = ack.outcome else { panic!("stored: {text}") };
                    if early {
                        before.push((ack.id, ack.revision, receipt.hash));
                    }
                }
            }
            before
        }));
    }
    // Back up once some reports have landed, while the phones go on.
    while common::count(&db, "submission_rev").await < 8 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    started.store(true, Ordering::SeqCst);
    let file = dir.path().join("thidua.backup.gz");
    let manifest = backup::write(&db, &Blobs::memory(), &file).await.unwrap();
    let mut acked = Vec::new();
    for p in phones {
        acked.extend(p.await.unwrap());
    }
    assert_eq!(manifest.schema, app::store::migrations::latest());
    assert_eq!(backup::verify(&file).unwrap(), manifest);
    let total = common::count(&db, "submission_rev").await as usize;
    let original = receipts(&db).await;

    let restored = empty_store(&dir.path().join("restored")).await;
    backup::restore(&restored, &Blobs::memory(), &file).await.unwrap();
    let copy = receipts(&restored).await;
    assert!(acked.len() >= 8, "{} acknowledged before the backup", acked.len());
    assert!(copy.len() < total, "the phones went on pushing during the backup ({} of {total})", copy.len());
    for (id, revision, hash) in &acked {
        let got = copy.get(&(id.clone(), *revision)).unwrap_or_else(|| panic!("{id} r{revision} acknowledged before the backup, missing"));
        assert_eq!(&got.0, hash, "{id}: the receipt's hash");
        assert_eq!(got, &original[&(id.clone(), *revision)], "{id}: the identical receipt");
    }
    // Whatever the backup holds, it holds whole: each report with its revision.
    let mut res = restored.query("SELECT VALUE record::id(id) FROM submission").await.unwrap();
    let subs: Vec<String> = res.take(0).unwrap();
    assert_eq!(subs.len(), copy.len());
    for s in subs {
        assert!(copy.contains_key(&(s.clone(), 1)), "{s} without its revision");
    }
    // The restored store serves: the demo's units and accounts are there.
    assert_eq!(app::store::units::get(&restored, "x23389").await.unwrap().unwrap().name, "Xã Đắk Xú");
}

#[tokio::test]
async fn a_damaged_or_newer_backup_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let good = dir.path().join("good.backup.gz");
    backup::write(&db, &Blobs::memory(), &good).await.unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let cut = dir.path().join("cut.backup.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let altered = dir.path().join("altered.backup.gz");
    std::fs::write(&altered, &flipped).unwrap();
    // A whole file whose manifest says a newer schema.
    let newer = dir.path().join("newer.backup.gz");
    {
        use std::io::{Read, Write};
        let mut raw = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut raw).unwrap();
        let (magic, rest) = raw.split_once('\n').unwrap();
        let (manifest, sql) = rest.split_once('\n').unwrap();
        let mut m: backup::Manifest = serde_json::from_str(manifest).unwrap();
        m.schema = app::store::migrations::latest() + 1;
        let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&newer).unwrap(), flate2::Compression::default());
        write!(gz, "{magic}\n{}\n{sql}", serde_json::to_string(&m).unwrap()).unwrap();
        gz.finish().unwrap();
    }

    for (file, want) in [(&cut, "damaged"), (&altered, "damaged"), (&newer, "newer")] {
        let kind = |e: &BackupError| match e {
            BackupError::Damaged(_) => "damaged",
            BackupError::Newer { .. } => "newer",
            _ => "other",
        };
        assert_eq!(kind(&backup::verify(file).unwrap_err()), want, "{}", file.display());
        let target = tempfile::tempdir().unwrap();
        let store = empty_store(target.path()).await;
        assert_eq!(kind(&backup::restore(&store, &Blobs::memory(), file).await.unwrap_err()), want, "{}", file.display());
        assert_eq!(table_count(&store).await, 0, "nothing written from {}", file.display());
    }

    // The CLI says so and exits 1; the good file checks out.
    let cli = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_server")).args(args).output().unwrap();
    let out = cli(&["verify-backup", cut.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the backup file is damaged or incomplete"), "{out:?}");
    let target = tempfile::tempdir().unwrap();
    let url = format!("surrealkv://{}", target.path().join("db").display());
    let out = cli(&["--db-url", &url, "restore", altered.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged or incomplete"), "{out:?}");
    let out = cli(&["verify-backup", good.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");

    // A store that holds data is never restored over.
    assert!(matches!(backup::restore(&db, &Blobs::memory(), &good).await.unwrap_err(), BackupError::NotEmpty));
}

#[tokio::test]
async fn scheduled_backups_keep_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let schedule = backup::Schedule { dir: dir.path().join("backups"), every: std::time::Duration::from_secs(3600), keep: 2 };
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(schedule.run_once(&db, &Blobs::memory()).await.unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let mut left: Vec<_> = std::fs::read_dir(&schedule.dir).unwrap().map(|e| e.unwrap().path()).collect();
    left.sort();
    assert_eq!(left, made[1..], "the oldest went");
    for f in &left {
        backup::verify(f).unwrap();
    }
}

/// A small JPEG, different for each `seed`.
fn photo(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([seed, x as u8 * 6, y as u8 * 8]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out
}

/// Đắk Xú's reporter sends `bytes` whole; its hash.
async fn send(db: &Db, blobs: &Blobs, bytes: &[u8]) -> String {
    let hash = files::sha256_hex(bytes);
    let who = Sender { unit: "x23389", account: "dakxu", month: "2021-10" };
    let chunk = Chunk { name: "anh.jpg", offset: 0, total: bytes.len() as u64, bytes };
    assert!(files::put_chunk(db, blobs, &who, &hash, chunk).await.unwrap().complete);
    hash
}

#[tokio::test]
async fn evidence_files_travel_with_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let blobs = Blobs::memory();
    let first = send(&db, &blobs, &photo(1)).await;

    // Scheduled backups copy each file once, beside them.
    let schedule = backup::Schedule { dir: dir.path().join("backups"), every: std::time::Duration::from_secs(3600), keep: 2 };
    let one = schedule.run_once(&db, &blobs).await.unwrap();
    let second = send(&db, &blobs, &photo(2)).await;
    let two = schedule.run_once(&db, &blobs).await.unwrap();
    let copy = |hash: &str| backup::files_dir(&one).join(&hash[..2]).join(hash);
    assert_eq!(backup::verify(&one).unwrap().files, vec![first.clone()]);
    let mut both = vec![first.clone(), second.clone()];
    both.sort();
    assert_eq!(backup::verify(&two).unwrap().files, both);
    assert_eq!(std::fs::read(copy(&first)).unwrap(), photo(1));

    // Restored into a new store and a new file store, each file is served again.
    let target = tempfile::tempdir().unwrap();
    let restored = empty_store(target.path()).await;
    let restored_blobs = Blobs::local(&target.path().join("files")).unwrap();
    backup::restore(&restored, &restored_blobs, &two).await.unwrap();
    for (hash, bytes) in [(&first, photo(1)), (&second, photo(2))] {
        assert_eq!(files::read(&restored_blobs, hash).await.unwrap().unwrap().as_ref(), &bytes[..]);
        let (_, units) = files::holders(&restored, hash).await.unwrap().unwrap();
        assert_eq!(units, vec!["x23389".to_string()]);
    }

    // A file missing or altered beside the backup: refused by name, nothing written.
    let saved = std::fs::read(copy(&second)).unwrap();
    let mut altered = saved.clone();
    altered[100] ^= 0x55;
    for bytes in [None, Some(altered)] {
        match &bytes {
            None => std::fs::remove_file(copy(&second)).unwrap(),
            Some(b) => std::fs::write(copy(&second), b).unwrap(),
        }
        assert!(matches!(backup::verify(&two).unwrap_err(), BackupError::File(h) if h == second));
        let target = tempfile::tempdir().unwrap();
        let store = empty_store(target.path()).await;
        assert!(matches!(backup::restore(&store, &Blobs::memory(), &two).await.unwrap_err(), BackupError::File(h) if h == second));
        assert_eq!(table_count(&store).await, 0);
    }
    std::fs::write(copy(&second), &saved).unwrap();

    // Keeping the newest two drops the first backup; a file the newest still
    // lists stays, one no backup lists goes.
    let stray = backup::files_dir(&one).join("ab").join("ab".repeat(32));
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"x").unwrap();
    let three = schedule.run_once(&db, &blobs).await.unwrap();
    assert!(!one.exists() && two.exists() && three.exists());
    assert!(copy(&first).exists() && copy(&second).exists());
    assert!(!stray.exists(), "a file no kept backup lists is dropped");
    backup::verify(&three).unwrap();
}
