//! The routes of evidence files: a phone's chunked upload (`/api/files/…`)
//! and the files themselves (`/minh-chung/…`), each authorised by the
//! session cookie as `app::api::files` decides.

use crate::download_auth::refuse;
use app::domain::attachment::{FileKind, CHUNK_MAX};
use app::domain::AppError;
use app::store::files::{Blobs, Chunk};
use app::store::{accounts, Db};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

#[derive(Clone)]
pub struct Files {
    pub db: Db,
    pub blobs: Blobs,
}

pub fn routes(db: Db, blobs: Blobs) -> Router {
    Router::new()
        .route(app::routes::UPLOAD, get(upload_state).put(upload_chunk))
        .route(app::routes::EVIDENCE_FILE, get(file))
        .route(app::routes::EVIDENCE_THUMB, get(thumb))
        .with_state(Files { db, blobs })
}

/// An `AppError` as the server functions answer it: its status, its JSON.
fn failed(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "no-store")], Json(e)).into_response()
}

async fn signed_in(db: &Db, headers: &HeaderMap) -> Result<app::domain::auth::Account, AppError> {
    let token = app::api::auth::guard::token_in(headers).ok_or_else(AppError::sign_in_needed)?;
    accounts::session_account(db, &token).await.ok().flatten().ok_or_else(AppError::sign_in_needed)
}

/// `?ten=` (the file's name, for messages), `?tu=` (the chunk's offset),
/// `?tong=` (the file's size).
#[derive(Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    ten: String,
    #[serde(default)]
    tu: u64,
    #[serde(default)]
    tong: u64,
}

async fn upload_state(State(f): State<Files>, Path(hash): Path<String>, Query(q): Query<UploadQuery>, headers: HeaderMap) -> Response {
    let run = async {
        let me = signed_in(&f.db, &headers).await?;
        app::api::files::state(&f.db, &f.blobs, &me, &hash, &q.ten, q.tong).await
    };
    match run.await {
        Ok(s) => ([(header::CACHE_CONTROL, "no-store")], Json(s)).into_response(),
        Err(e) => failed(e),
    }
}

async fn upload_chunk(
    State(f): State<Files>,
    Path(hash): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let run = async {
        let me = signed_in(&f.db, &headers).await?;
        if body.len() as u64 > CHUNK_MAX {
            // Checked again, with the file's name, by the store; this only
            // keeps a huge body from going further.
            return Err(AppError::field("chunk", "upload_chunk", "Phần gửi quá lớn.", "The chunk is too large."));
        }
        let chunk = Chunk { name: &q.ten, offset: q.tu, total: q.tong, bytes: &body };
        app::api::files::chunk(&f.db, &f.blobs, &me, &hash, chunk).await
    };
    match run.await {
        Ok(s) => ([(header::CACHE_CONTROL, "no-store")], Json(s)).into_response(),
        Err(e) => failed(e),
    }
}

/// Headers of a file served: its own type, no sniffing, a CSP under which
/// nothing runs even if a browser rendered it as a page, and kept in the
/// browser's own cache only (it is behind a sign-in; its name is its
/// content, so it never changes).
fn served(kind: FileKind, bytes: Bytes, attachment: bool) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox; frame-ancestors 'none'"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    let disposition = if attachment { "attachment" } else { "inline" };
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
    res
}

async fn readable(f: &Files, hash: &str, headers: &HeaderMap) -> Result<FileKind, Response> {
    let me = signed_in(&f.db, headers).await.map_err(failed)?;
    app::api::files::readable(&f.db, &me, hash).await.map_err(failed)
}

fn lost(e: app::store::StoreError) -> Response {
    tracing::error!(error = %e, "an evidence file could not be read");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, &AppError::internal().to_string())
}

/// The file itself: an image inline, a PDF as a download.
async fn file(State(f): State<Files>, Path(hash): Path<String>, headers: HeaderMap) -> Response {
    let kind = match readable(&f, &hash, &headers).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    match app::store::files::read(&f.blobs, &hash).await {
        Ok(Some(bytes)) => served(kind, bytes, !kind.is_image()),
        Ok(None) => lost(app::store::StoreError::NotFound(format!("file {hash}"))),
        Err(e) => lost(e),
    }
}

/// An image's thumbnail (JPEG), made once and kept; a PDF has none.
async fn thumb(State(f): State<Files>, Path(hash): Path<String>, headers: HeaderMap) -> Response {
    match readable(&f, &hash, &headers).await {
        Ok(k) if k.is_image() => {}
        Ok(_) => return refuse(StatusCode::NOT_FOUND, "Tệp này không có ảnh nhỏ. / This file has no thumbnail."),
        Err(r) => return r,
    }
    match app::store::files::thumbnail(&f.blobs, &hash).await {
        Ok(Some(bytes)) => served(FileKind::Jpeg, bytes, false),
        Ok(None) => lost(app::store::StoreError::NotFound(format!("file {hash}"))),
        Err(e) => lost(e),
    }
}
