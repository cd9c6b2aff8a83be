//! Evidence files: their bytes in an object store (a directory beside the
//! embedded database, or an S3-compatible bucket for a cluster), what the
//! server knows of them in SurrealDB (migration 17). The rules are
//! `domain::attachment`'s; this reads and writes.
//!
//! An upload arrives in chunks, each kept as its own object under
//! `staging/<unit>/<hash>/<offset>` (an object store cannot append), so a cut
//! loses at most the chunk in flight and any node of a cluster can take the
//! next one. When the last byte is in, the chunks are joined, hashed and
//! sniffed, the file is kept once under `files/<hash>` whoever sent it, and
//! the unit's upload is recorded; then the chunks go.

use super::{Checked, Db, Result, StoreError};
use crate::domain::attachment::{self, FileKind, UploadState};
use crate::domain::FieldError;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Where file bytes are kept.
#[derive(Clone, Debug)]
pub struct Blobs(Arc<dyn ObjectStore>);

impl Blobs {
    /// A directory of this machine (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Blobs> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Blob(e.to_string()))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(blob)?;
        Ok(Blobs(Arc::new(fs)))
    }

    /// An S3-compatible bucket. `endpoint`: the server's URL (none: AWS);
    /// keys and region as its operator gives them.
    pub fn s3(bucket: &str, endpoint: Option<&str>, key_id: &str, secret: &str, region: &str) -> Result<Blobs> {
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_access_key_id(key_id)
            .with_secret_access_key(secret)
            .with_region(region);
        if let Some(e) = endpoint {
            b = b.with_endpoint(e).with_allow_http(e.starts_with("http://"));
        }
        Ok(Blobs(Arc::new(b.build().map_err(blob)?)))
    }

    /// In memory (a test's, or a store on `mem://`).
    pub fn memory() -> Blobs {
        Blobs(Arc::new(object_store::memory::InMemory::new()))
    }

    async fn get(&self, path: &Path) -> Result<Option<bytes::Bytes>> {
        match self.0.get(path).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(blob)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(blob(e)),
        }
    }

    async fn exists(&self, path: &Path) -> Result<bool> {
        match self.0.head(path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(blob(e)),
        }
    }

    async fn put(&self, path: &Path, bytes: impl Into<PutPayload>) -> Result<()> {
        self.0.put(path, bytes.into()).await.map_err(blob)?;
        Ok(())
    }

    /// The staged chunks of one upload, as (offset, path, size), in order.
    async fn chunks(&self, prefix: &Path) -> Result<Vec<(u64, Path, u64)>> {
        let listed = self.0.list_with_delimiter(Some(prefix)).await.map_err(blob)?;
        let mut out: Vec<(u64, Path, u64)> = listed
            .objects
            .into_iter()
            .filter_map(|o| o.location.filename().and_then(|f| f.parse().ok()).map(|at| (at, o.location.clone(), o.size)))
            .collect();
        out.sort_by_key(|c| c.0);
        Ok(out)
    }
}

fn blob(e: impl std::fmt::Display) -> StoreError {
    StoreError::Blob(e.to_string())
}

fn file_path(hash: &str) -> Path {
    Path::from(format!("files/{}/{hash}", &hash[..2]))
}

fn thumb_path(hash: &str) -> Path {
    Path::from(format!("thumbs/{}/{hash}.jpg", &hash[..2]))
}

fn staging(unit: &str, hash: &str) -> Path {
    Path::from(format!("staging/{unit}/{hash}"))
}

/// Bytes held in order from the start: the chunks that follow one another
/// from offset 0 (a gap, from a chunk written twice at different cuts,
/// ends the count).
fn contiguous(chunks: &[(u64, Path, u64)]) -> u64 {
    let mut at = 0;
    for (offset, _, size) in chunks {
        if *offset != at {
            break;
        }
        at += size;
    }
    at
}

/// Who sends a file, and the month (`YYYY-MM`, Vietnam time) the quota counts.
#[derive(Clone, Copy, Debug)]
pub struct Sender<'a> {
    pub unit: &'a str,
    pub account: &'a str,
    pub month: &'a str,
}

/// One chunk as it arrived.
#[derive(Clone, Copy, Debug)]
pub struct Chunk<'a> {
    pub name: &'a str,
    pub offset: u64,
    pub total: u64,
    pub bytes: &'a [u8],
}

fn invalid(e: FieldError) -> StoreError {
    StoreError::Invalid(vec![e])
}

fn bad_hash() -> StoreError {
    invalid(FieldError::new("hash", "file_hash", "Mã tệp không hợp lệ.", "Invalid file hash."))
}

/// Whether the unit has sent this file whole.
async fn sent(db: &Db, unit: &str, hash: &str) -> Result<bool> {
    let mut r = db
        .query("SELECT VALUE true FROM ONLY type::record('file_upload', [$unit, $hash])")
        .bind(("unit", unit.to_string()))
        .bind(("hash", hash.to_string()))
        .await?;
    Ok(r.take::<Option<bool>>(0)?.unwrap_or(false))
}

/// Where the unit's upload of `hash` stands. An upload whose every byte is
/// staged but which was never finished (the server stopped in between) is
/// finished now (`total`: the file's size as the phone knows it).
pub async fn state(db: &Db, blobs: &Blobs, who: &Sender<'_>, hash: &str, name: &str, total: u64) -> Result<UploadState> {
    if !attachment::valid_hash(hash) {
        return Err(bad_hash());
    }
    if sent(db, who.unit, hash).await? {
        return Ok(UploadState { received: total, complete: true });
    }
    let chunks = blobs.chunks(&staging(who.unit, hash)).await?;
    let received = contiguous(&chunks);
    if total > 0 && received >= total {
        finish(db, blobs, who, hash, name).await?;
        return Ok(UploadState { received, complete: true });
    }
    Ok(UploadState { received, complete: false })
}

/// Keeps one chunk of the unit's upload of `hash`; the last one finishes
/// the file (`finish`). A chunk for a file the unit has sent whole already
/// is answered "complete" and dropped.
pub async fn put_chunk(db: &Db, blobs: &Blobs, who: &Sender<'_>, hash: &str, chunk: Chunk<'_>) -> Result<UploadState> {
    if !attachment::valid_hash(hash) {
        return Err(bad_hash());
    }
    if sent(db, who.unit, hash).await? {
        return Ok(UploadState { received: chunk.total, complete: true });
    }
    let prefix = staging(who.unit, hash);
    let chunks = blobs.chunks(&prefix).await?;
    let received = contiguous(&chunks);
    attachment::check_chunk(chunk.name, chunk.offset, chunk.bytes.len() as u64, chunk.total, received).map_err(invalid)?;
    if chunk.offset == 0 {
        attachment::check_quota(chunk.name, used(db, who.unit, who.month).await?, chunk.total).map_err(invalid)?;
    }
    blobs.put(&prefix.clone().join(format!("{:012}", chunk.offset)), bytes::Bytes::copy_from_slice(chunk.bytes)).await?;
    let received = chunk.offset + chunk.bytes.len() as u64;
    if received < chunk.total {
        return Ok(UploadState { received, complete: false });
    }
    finish(db, blobs, who, hash, chunk.name).await?;
    Ok(UploadState { received, complete: true })
}

/// Bytes the unit has uploaded in `month`.
async fn used(db: &Db, unit: &str, month: &str) -> Result<u64> {
    let mut r = db
        .query("math::sum(SELECT VALUE size FROM file_upload WHERE unit = type::record('unit', $unit) AND month = $month)")
        .bind(("unit", unit.to_string()))
        .bind(("month", month.to_string()))
        .await?;
    Ok(r.take::<Option<i64>>(0)?.unwrap_or(0).max(0) as u64)
}

/// Joins the staged chunks, checks the whole (hash, kind, an image's
/// declared size), keeps it once, records the unit's upload, and drops the
/// chunks. A file that fails a check is dropped with its chunks: the phone
/// is told why and does not send it again.
async fn finish(db: &Db, blobs: &Blobs, who: &Sender<'_>, hash: &str, name: &str) -> Result<()> {
    let prefix = staging(who.unit, hash);
    let chunks = blobs.chunks(&prefix).await?;
    let mut whole = Vec::with_capacity(contiguous(&chunks) as usize);
    let mut at = 0;
    for (offset, path, size) in &chunks {
        if *offset != at {
            break;
        }
        whole.extend_from_slice(&blobs.get(path).await?.unwrap_or_default());
        at += size;
    }
    let checked = check_whole(name, &whole, hash);
    if checked.is_err() {
        drop_chunks(blobs, &chunks).await;
    }
    let (kind, dims) = checked?;
    let size = whole.len() as u64;
    if !blobs.exists(&file_path(hash)).await? {
        blobs.put(&file_path(hash), whole).await?;
    }
    db.query(
        "BEGIN TRANSACTION;
        UPSERT type::record('file', $hash) MERGE { kind: $kind, size: $size, width: $width, height: $height };
        UPSERT type::record('file_upload', [$unit, $hash]) CONTENT {
            file: type::record('file', $hash), unit: type::record('unit', $unit), account: $account,
            name: $name, size: $size, month: $month
        };
        COMMIT TRANSACTION;",
    )
    .bind(("hash", hash.to_string()))
    .bind(("kind", kind.code()))
    .bind(("size", size as i64))
    .bind(("width", dims.map(|d| d.0 as i64)))
    .bind(("height", dims.map(|d| d.1 as i64)))
    .bind(("unit", who.unit.to_string()))
    .bind(("account", who.account.to_string()))
    .bind(("name", name.to_string()))
    .bind(("month", who.month.to_string()))
    .await?
    .checked()?;
    drop_chunks(blobs, &chunks).await;
    Ok(())
}

async fn drop_chunks(blobs: &Blobs, chunks: &[(u64, Path, u64)]) {
    for (_, path, _) in chunks {
        if let Err(e) = blobs.0.delete(path).await {
            tracing::warn!(error = %e, path = %path, "a staged chunk was not deleted");
        }
    }
}

/// The name a file's bytes give it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The checks on a whole file: it hashes to its name, is a kind taken, and
/// an image declares a size the server will decode.
fn check_whole(name: &str, bytes: &[u8], hash: &str) -> Result<(FileKind, Option<(u32, u32)>)> {
    let actual = sha256_hex(bytes);
    let kind = attachment::check_content(name, bytes, &actual, hash).map_err(invalid)?;
    if !kind.is_image() {
        return Ok((kind, None));
    }
    // The header only: no pixel is decoded, so no limit is needed here; the
    // declared size is what `check_pixels` judges.
    let header = |mut r: image::ImageReader<std::io::Cursor<&[u8]>>| {
        r.no_limits();
        r.into_dimensions().ok()
    };
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok().and_then(header).ok_or_else(|| {
        invalid(FieldError::new(
            "file",
            "image_readable",
            format!("Ảnh «{name}» không đọc được (tệp hỏng?)."),
            format!("Image «{name}» cannot be read (a damaged file?)."),
        ))
    })?;
    attachment::check_pixels(name, w, h).map_err(invalid)?;
    Ok((kind, Some((w, h))))
}

/// Of `hashes`, the files the unit has sent whole, with their kind and size.
pub async fn arrived(db: &Db, unit: &str, hashes: &[String]) -> Result<Vec<attachment::StoredFile>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let mut r = db
        .query(
            "SELECT record::id(file) AS hash, file.kind AS kind, size FROM
             $hashes.map(|$h| type::record('file_upload', [$unit, $h])) WHERE file != NONE",
        )
        .bind(("unit", unit.to_string()))
        .bind(("hashes", hashes.to_vec()))
        .await?;
    super::rows(&mut r, 0)
}

/// The units that sent `hash` (whose people, and whose organisers' staff,
/// may read it), and its kind; `None` for a file never sent whole.
pub async fn holders(db: &Db, hash: &str) -> Result<Option<(FileKind, Vec<String>)>> {
    if !attachment::valid_hash(hash) {
        return Ok(None);
    }
    #[derive(Deserialize)]
    struct Row {
        kind: FileKind,
        units: Vec<String>,
    }
    let mut r = db
        .query(
            "SELECT kind, (SELECT VALUE record::id(unit) FROM file_upload WHERE file = $parent.id) AS units
             FROM ONLY type::record('file', $hash)",
        )
        .bind(("hash", hash.to_string()))
        .await?;
    Ok(super::one::<Row>(&mut r, 0)?.map(|r| (r.kind, r.units)))
}

/// The bytes of a file kept whole.
pub async fn read(blobs: &Blobs, hash: &str) -> Result<Option<bytes::Bytes>> {
    if !attachment::valid_hash(hash) {
        return Ok(None);
    }
    blobs.get(&file_path(hash)).await
}

/// Every file kept whole, as (hash, size), for a backup.
pub async fn all(db: &Db) -> Result<Vec<(String, u64)>> {
    #[derive(Deserialize)]
    struct Row {
        hash: String,
        size: u64,
    }
    let mut r = db.query("SELECT record::id(id) AS hash, size FROM file ORDER BY hash").await?;
    Ok(super::rows::<Row>(&mut r, 0)?.into_iter().map(|r| (r.hash, r.size)).collect())
}

/// Keeps a file restored from a backup, if its bytes are the file its hash
/// names; `false` (nothing kept) if they are not.
pub async fn restore(blobs: &Blobs, hash: &str, bytes: Vec<u8>) -> Result<bool> {
    if !attachment::valid_hash(hash) || sha256_hex(&bytes) != hash {
        return Ok(false);
    }
    if !blobs.exists(&file_path(hash)).await? {
        blobs.put(&file_path(hash), bytes).await?;
    }
    Ok(true)
}

/// A JPEG thumbnail of an image (`THUMB_LONG_SIDE`), made on first asking and
/// kept beside the files.
pub async fn thumbnail(blobs: &Blobs, hash: &str) -> Result<Option<bytes::Bytes>> {
    if !attachment::valid_hash(hash) {
        return Ok(None);
    }
    if let Some(t) = blobs.get(&thumb_path(hash)).await? {
        return Ok(Some(t));
    }
    let Some(bytes) = read(blobs, hash).await? else { return Ok(None) };
    let thumb = tokio::task::spawn_blocking(move || make_thumbnail(&bytes)).await.map_err(blob)??;
    blobs.put(&thumb_path(hash), thumb.clone()).await?;
    Ok(Some(bytes::Bytes::from(thumb)))
}

/// Decodes within limits (a bomb is refused, not decoded) and scales down.
pub fn make_thumbnail(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(blob)?;
    let mut limits = image::Limits::default();
    let side = (attachment::IMAGE_PIXELS_MAX as f64).sqrt() as u32 * 4;
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(attachment::IMAGE_PIXELS_MAX * 4);
    reader.limits(limits);
    let img = reader.decode().map_err(blob)?;
    let t = img.thumbnail(attachment::THUMB_LONG_SIDE, attachment::THUMB_LONG_SIDE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 75).encode_image(&t).map_err(blob)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_bytes_are_the_chunks_in_a_row_from_the_start() {
        let c = |at: u64, size: u64| (at, Path::from(format!("{at:012}")), size);
        assert_eq!(contiguous(&[]), 0);
        assert_eq!(contiguous(&[c(0, 10), c(10, 5)]), 15);
        assert_eq!(contiguous(&[c(0, 10), c(20, 5)]), 10);
        assert_eq!(contiguous(&[c(5, 10)]), 0);
    }
}
