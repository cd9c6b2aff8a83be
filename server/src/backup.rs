//! Backups of the store: one file holding a consistent export (SurrealDB
//! exports inside one read transaction, so writes that land meanwhile are in
//! it whole or not at all), the schema version it was made at and the
//! SHA-256 of the export, gzip-compressed. `verify` checks a file without
//! restoring it; `restore` loads one into an empty store; `Schedule` makes
//! them on a timer and keeps the newest few.
//!
//! Layout: gzip("THIDUA-BACKUP 1\n" + manifest JSON + "\n" + export).
//!
//! Evidence files (format 2) are not inside it: they are copied once each,
//! named by their SHA-256, into `files/` beside the backup file, and the
//! manifest lists the ones the backup needs. Scheduled backups so share
//! them, each copies only the files that are new, and the files no kept
//! backup lists are dropped. Copy the backup with its `files/` directory.

use app::store::files::{self, Blobs};
use app::store::{migrations, Db, StoreError};
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

const MAGIC: &str = "THIDUA-BACKUP 1";

/// What a backup says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The last migration applied to the store it came from.
    pub schema: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The release that made it.
    pub release: String,
    /// Length and SHA-256 (hex) of the export inside.
    pub bytes: u64,
    pub sha256: String,
    /// The evidence files (their hashes) it needs from `files/` beside it.
    #[serde(default)]
    pub files: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("tệp sao lưu hỏng hoặc không trọn vẹn / the backup file is damaged or incomplete: {0}")]
    Damaged(String),
    #[error(
        "bản sao lưu do phiên bản mới hơn tạo (lược đồ {found}; phiên bản này chỉ biết đến {known}) / \
         the backup was made by a newer release (schema {found}; this release knows up to {known})"
    )]
    Newer { found: i64, known: i64 },
    #[error(
        "kho dữ liệu đích đã có dữ liệu: chỉ khôi phục vào kho trống / \
         the target store already holds data: restore only into an empty one"
    )]
    NotEmpty,
    #[error(
        "thiếu hoặc hỏng tệp minh chứng {0} trong thư mục files/ bên cạnh bản sao lưu / \
         evidence file {0} is missing or damaged in the files/ directory beside the backup"
    )]
    File(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cơ sở dữ liệu / database: {0}")]
    Db(#[from] surrealdb::Error),
    #[error("tệp / file: {0}")]
    Io(#[from] std::io::Error),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A scratch file beside `path` (same disk, so the rename is atomic).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Where a backup's evidence files are: `files/` beside it.
pub fn files_dir(backup: &Path) -> PathBuf {
    backup.parent().unwrap_or(Path::new(".")).join("files")
}

fn file_copy(dir: &Path, hash: &str) -> PathBuf {
    dir.join(&hash[..2]).join(hash)
}

/// Copies into `dir` every evidence file not there yet; the list of them all.
/// Listed after the export, so every file the export names is in it.
async fn copy_files(db: &Db, blobs: &Blobs, dir: &Path) -> Result<Vec<String>, BackupError> {
    let mut hashes = Vec::new();
    for (hash, size) in files::all(db).await? {
        let copy = file_copy(dir, &hash);
        if std::fs::metadata(&copy).is_ok_and(|m| m.len() == size) {
            hashes.push(hash);
            continue;
        }
        let bytes = files::read(blobs, &hash).await?.ok_or_else(|| BackupError::File(hash.clone()))?;
        std::fs::create_dir_all(copy.parent().unwrap_or(dir))?;
        let part = beside(&copy, ".part");
        let written = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&part)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&part, &copy)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written?;
        hashes.push(hash);
    }
    Ok(hashes)
}

/// Writes a backup of `db` to `to`, and the evidence files in `blobs` it
/// needs to `files/` beside it. The backup file appears whole or not at all,
/// after its files.
pub async fn write(db: &Db, blobs: &Blobs, to: &Path) -> Result<Manifest, BackupError> {
    let schema = migrations::applied(db).await?.last().copied().unwrap_or(0);
    let export = beside(to, ".export");
    let made = db.export(&export).await;
    let sql = std::fs::read(&export);
    let _ = std::fs::remove_file(&export);
    made?;
    let sql = sql?;
    let files = copy_files(db, blobs, &files_dir(to)).await?;
    let created_at = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let manifest = Manifest {
        format: 2,
        schema,
        created_at,
        release: env!("CARGO_PKG_VERSION").to_string(),
        bytes: sql.len() as u64,
        sha256: hex(&Sha256::digest(&sql)),
        files,
    };
    let part = beside(to, ".part");
    let written = (|| -> std::io::Result<()> {
        let mut gz = GzEncoder::new(std::fs::File::create(&part)?, Compression::default());
        writeln!(gz, "{MAGIC}")?;
        serde_json::to_writer(&mut gz, &manifest)?;
        writeln!(gz)?;
        gz.write_all(&sql)?;
        gz.finish()?.sync_all()?;
        std::fs::rename(&part, to)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    written?;
    Ok(manifest)
}

fn not_a_backup() -> BackupError {
    BackupError::Damaged("không phải tệp sao lưu Thi Đua / not a Thi Đua backup".into())
}

/// Reads a backup whole and checks its layout, length and checksum.
fn read(path: &Path) -> Result<(Manifest, Vec<u8>), BackupError> {
    let mut raw = Vec::new();
    GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut raw).map_err(|e| BackupError::Damaged(e.to_string()))?;
    let mut parts = raw.splitn(3, |b| *b == b'\n');
    if parts.next() != Some(MAGIC.as_bytes()) {
        return Err(not_a_backup());
    }
    let manifest: Manifest =
        serde_json::from_slice(parts.next().unwrap_or_default()).map_err(|e| BackupError::Damaged(format!("manifest: {e}")))?;
    let sql = parts.next().unwrap_or_default().to_vec();
    if sql.len() as u64 != manifest.bytes || hex(&Sha256::digest(&sql)) != manifest.sha256 {
        return Err(BackupError::Damaged("sai tổng kiểm tra / checksum mismatch".into()));
    }
    Ok((manifest, sql))
}

/// Only the manifest of a backup (its first lines), unchecked.
fn manifest(path: &Path) -> Result<Manifest, BackupError> {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(GzDecoder::new(std::fs::File::open(path)?)).lines();
    let magic = lines.next().transpose()?;
    let json = lines.next().transpose()?.unwrap_or_default();
    match magic {
        Some(m) if m == MAGIC => serde_json::from_str(&json).map_err(|e| BackupError::Damaged(format!("manifest: {e}"))),
        _ => Err(not_a_backup()),
    }
}

/// The evidence file `hash` of a backup, if its bytes are the file.
fn backed_up_file(path: &Path, hash: &str) -> Result<Vec<u8>, BackupError> {
    let bytes = std::fs::read(file_copy(&files_dir(path), hash)).map_err(|_| BackupError::File(hash.to_string()))?;
    if files::sha256_hex(&bytes) != hash {
        return Err(BackupError::File(hash.to_string()));
    }
    Ok(bytes)
}

/// Reads a backup and checks that this release can restore it and that
/// every evidence file it lists is beside it, unaltered.
fn checked(path: &Path) -> Result<(Manifest, Vec<u8>), BackupError> {
    let (m, sql) = read(path)?;
    let known = migrations::latest();
    if m.schema > known {
        return Err(BackupError::Newer { found: m.schema, known });
    }
    for hash in &m.files {
        if !app::domain::attachment::valid_hash(hash) {
            return Err(BackupError::Damaged(format!("manifest: {hash}")));
        }
        backed_up_file(path, hash)?;
    }
    Ok((m, sql))
}

/// Checks a backup without restoring it: whole, unaltered, and one this
/// release can restore.
pub fn verify(path: &Path) -> Result<Manifest, BackupError> {
    checked(path).map(|(m, _)| m)
}

/// Loads a backup into an empty store, then brings its schema up to date,
/// and puts its evidence files into `blobs`. Nothing is written unless the
/// backup and its files check out.
pub async fn restore(db: &Db, blobs: &Blobs, path: &Path) -> Result<Manifest, BackupError> {
    let (m, sql) = checked(path)?;
    let mut res = db.query("INFO FOR DB").await?;
    let info: Option<serde_json::Value> = res.take(0)?;
    let tables = info.as_ref().and_then(|i| i.get("tables")).and_then(|t| t.as_object()).map_or(0, |t| t.len());
    if tables > 0 {
        return Err(BackupError::NotEmpty);
    }
    // One file per restore: two at once in one process (tests) must not
    // write the same file.
    static RESTORES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = RESTORES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("thidua-restore-{}-{n}.surql", std::process::id()));
    std::fs::write(&file, &sql)?;
    let imported = db.import(&file).await;
    let _ = std::fs::remove_file(&file);
    imported?;
    migrations::migrate(db).await?;
    for hash in &m.files {
        if !files::restore(blobs, hash, backed_up_file(path, hash)?).await? {
            return Err(BackupError::File(hash.clone()));
        }
    }
    Ok(m)
}

/// Scheduled backups: every `every`, a file in `dir`, the newest `keep` kept.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// The outcome of the last scheduled backup, for `/healthz`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LastBackup {
    pub at: String,
    pub ok: bool,
    pub file: Option<String>,
    pub error: Option<String>,
}

static LAST: Mutex<Option<LastBackup>> = Mutex::new(None);

pub fn last() -> Option<LastBackup> {
    LAST.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Backup files are named by their time, so names sort by age.
const PREFIX: &str = "thidua-";
const SUFFIX: &str = ".backup.gz";

impl Schedule {
    /// Makes one backup now and drops the oldest beyond `keep`, and the
    /// evidence files none of the kept ones lists.
    pub async fn run_once(&self, db: &Db, blobs: &Blobs) -> Result<PathBuf, BackupError> {
        std::fs::create_dir_all(&self.dir)?;
        let now = time::OffsetDateTime::now_utc();
        let stamp = format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}",
            now.year(),
            now.month() as u8,
            now.day(),
            now.hour(),
            now.minute(),
            now.second(),
            now.millisecond()
        );
        let file = self.dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
        write(db, blobs, &file).await?;
        let mut old: Vec<PathBuf> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX)))
            .collect();
        old.sort();
        let drop = old.len().saturating_sub(self.keep.max(1));
        for p in &old[..drop] {
            std::fs::remove_file(p)?;
        }
        let mut listed = std::collections::HashSet::new();
        for p in &old[drop..] {
            listed.extend(manifest(p)?.files);
        }
        drop_unlisted(&files_dir(&file), &listed)?;
        Ok(file)
    }

    /// Runs forever: a backup every `every`, each outcome logged and kept
    /// for `/healthz`.
    pub async fn run(self, db: Db, blobs: Blobs) {
        loop {
            tokio::time::sleep(self.every).await;
            let r = self.run_once(&db, &blobs).await;
            let at = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            let last = match r {
                Ok(file) => {
                    tracing::info!(file = %file.display(), "backup written");
                    LastBackup { at, ok: true, file: Some(file.display().to_string()), error: None }
                }
                Err(e) => {
                    tracing::error!(error = %e, "backup failed");
                    LastBackup { at, ok: false, file: None, error: Some(e.to_string()) }
                }
            };
            *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(last);
        }
    }
}

/// Removes the evidence files in `dir` (`<hh>/<hash>`) not in `listed`.
fn drop_unlisted(dir: &Path, listed: &std::collections::HashSet<String>) -> std::io::Result<()> {
    let Ok(groups) = std::fs::read_dir(dir) else { return Ok(()) };
    for group in groups {
        let group = group?.path();
        if !group.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&group)? {
            let f = f?.path();
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if !listed.contains(name) {
                std::fs::remove_file(&f)?;
            }
        }
    }
    Ok(())
}
