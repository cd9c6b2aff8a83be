//! Evidence files on the phone. A photo is scaled down and re-encoded in the
//! browser before it is kept (`attachment::PHOTO_LONG_SIDE`, JPEG at
//! `PHOTO_QUALITY`): the new file carries no EXIF, so no GPS position leaves
//! the phone. A PDF is kept as it is. Each is kept in IndexedDB under its
//! SHA-256 until the server has it, and uploaded in chunks from where the
//! server stands, so a cut costs one chunk and a file sent twice costs one
//! question. Files are read with web-sys (`Blob::array_buffer`, an
//! `OffscreenCanvas`, `SubtleCrypto`): bindings the WASM needs anyway, where
//! gloo-file's FileReader wrappers would add code for the same bytes.

use crate::domain::attachment::{self, FileKind, FileRef, UploadState, CHUNK_MAX};
use crate::domain::AppError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = putFile)]
    fn js_put_file(hash: &str, blob: &web_sys::Blob) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = getFile)]
    fn js_get_file(hash: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = dropFile)]
    fn js_drop_file(hash: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = fileKeys)]
    fn js_file_keys() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = thiduaLocal, js_name = send)]
    fn js_send(method: &str, url: &str, blob: Option<web_sys::Blob>) -> Result<js_sys::Promise, JsValue>;
}

fn text(e: JsValue) -> String {
    super::local::message_of(&e).unwrap_or_else(|| "lỗi đọc tệp / file error".into())
}

use super::local::wait;

async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(text)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

async fn sha256(bytes: &[u8]) -> Result<String, String> {
    let crypto = leptos::prelude::window().crypto().map_err(text)?;
    let data = js_sys::Uint8Array::from(bytes);
    let p = crypto.subtle().digest_with_str_and_buffer_source("SHA-256", &data).map_err(text)?;
    let digest = js_sys::Uint8Array::new(&JsFuture::from(p).await.map_err(text)?).to_vec();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// A photo scaled to fit `PHOTO_LONG_SIDE` (upright, as the camera meant
/// it) and re-encoded as JPEG: none of the original's metadata survives.
async fn photo(file: &web_sys::File) -> Result<web_sys::Blob, String> {
    let w = leptos::prelude::window();
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(w.create_image_bitmap_with_blob(file).map_err(text)?).await.map_err(text)?.unchecked_into();
    let (bw, bh) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (attachment::PHOTO_LONG_SIDE as f64 / bw.max(bh)).min(1.0);
    let (cw, ch) = ((bw * scale).round().max(1.0), (bh * scale).round().max(1.0));
    let canvas = web_sys::OffscreenCanvas::new(cw as u32, ch as u32).map_err(text)?;
    let ctx: web_sys::OffscreenCanvasRenderingContext2d = canvas.get_context("2d").map_err(text)?.ok_or("no 2d canvas")?.unchecked_into();
    // A transparent PNG becomes white, not black.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, cw, ch);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, cw, ch).map_err(text)?;
    bitmap.close();
    let opts = web_sys::ImageEncodeOptions::new();
    opts.set_type("image/jpeg");
    opts.set_quality(attachment::PHOTO_QUALITY);
    let blob = JsFuture::from(canvas.convert_to_blob_with_options(&opts).map_err(text)?).await.map_err(text)?;
    Ok(blob.unchecked_into())
}

/// A file the person picked, made ready and kept on the phone: its
/// reference (no criterion yet) or why it cannot be taken.
pub async fn keep(file: web_sys::File) -> Result<FileRef, String> {
    let name = file.name();
    let is_image = file.type_().starts_with("image/");
    let blob: web_sys::Blob = if is_image { photo(&file).await? } else { file.clone().into() };
    let bytes = bytes_of(&blob).await?;
    let kind = FileKind::sniff(&bytes)
        .ok_or_else(|| format!("Tệp «{name}» không phải ảnh hay tài liệu PDF. / File «{name}» is not a photo or a PDF document."))?;
    let size = bytes.len() as u64;
    if size > attachment::FILE_MAX {
        return Err(format!(
            "Tệp «{name}» ({}) vượt quá {}. / File «{name}» is over {}.",
            attachment::size_text(size),
            attachment::size_text(attachment::FILE_MAX),
            attachment::size_text(attachment::FILE_MAX)
        ));
    }
    let hash = sha256(&bytes).await?;
    wait(js_put_file(&hash, &blob)).await?;
    // A re-encoded photo is a JPEG whatever it was called.
    let name = if is_image && kind == FileKind::Jpeg && !name.to_lowercase().ends_with(".jpg") {
        format!("{}.jpg", name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&name))
    } else {
        name
    };
    Ok(FileRef { hash, name, kind, size, area: None })
}

/// Forgets a file the person removed before sending.
pub async fn discard(hash: &str) {
    let _ = wait(js_drop_file(hash)).await;
}

/// Drops from the phone the files of `done` it still keeps (the server has
/// them, and every item naming them: `item::files_done_with`).
pub async fn forget(done: &[String]) {
    if done.is_empty() {
        return;
    }
    let Ok(keys) = wait(js_file_keys()).await else { return };
    for key in js_sys::Array::from(&keys).iter().filter_map(|k| k.as_string()) {
        if done.contains(&key) {
            discard(&key).await;
        }
    }
}

/// Why an upload stopped.
pub enum Stop {
    /// No network, a cut, a server error: later.
    Transient(String),
    SignIn,
    /// The server will not take the file (its kind, its size, the unit's
    /// quota): the person reads why.
    Refused(String),
}

async fn request(method: &str, url: &str, blob: Option<web_sys::Blob>) -> Result<UploadState, Stop> {
    let v = wait(js_send(method, url, blob)).await.map_err(Stop::Transient)?;
    let a = js_sys::Array::from(&v);
    let status = a.get(0).as_f64().unwrap_or(0.0) as u16;
    let (ctype, body) = (a.get(1).as_string().unwrap_or_default(), a.get(2).as_string().unwrap_or_default());
    if !ctype.starts_with("application/json") {
        return Err(Stop::Transient(format!("HTTP {status}")));
    }
    if status == 200 {
        return serde_json::from_str(&body).map_err(|e| Stop::Transient(e.to_string()));
    }
    match serde_json::from_str::<AppError>(&body) {
        Ok(e) if e.kind == crate::domain::ErrorKind::SignInNeeded => Err(Stop::SignIn),
        // A chunk that started behind (its answer was lost): ask again.
        Ok(e) if e.errors.iter().any(|f| f.rule == "upload_offset") => Err(Stop::Transient(e.message_vi)),
        Ok(e) if status == 422 || status == 403 => Err(Stop::Refused(format!("{} / {}", e.message_vi, e.message_en))),
        _ => Err(Stop::Transient(format!("HTTP {status}"))),
    }
}

/// Uploads one kept file from where the server stands; `progress` hears
/// the bytes the server holds.
pub async fn upload(f: &FileRef, progress: impl Fn(u64)) -> Result<(), Stop> {
    let name = js_sys::encode_uri_component(&f.name);
    let url = |from: Option<u64>| match from {
        Some(at) => format!("/api/files/{}?ten={name}&tu={at}&tong={}", f.hash, f.size),
        None => format!("/api/files/{}?ten={name}&tong={}", f.hash, f.size),
    };
    let mut at = request("GET", &url(None), None).await?;
    if at.complete {
        return Ok(());
    }
    let kept = wait(js_get_file(&f.hash)).await.map_err(Stop::Transient)?;
    let Ok(blob) = kept.dyn_into::<web_sys::Blob>() else {
        return Err(Stop::Refused(format!("Tệp «{}» không còn trên máy. / File «{}» is no longer on this phone.", f.name, f.name)));
    };
    while !at.complete {
        progress(at.received);
        let end = (at.received + CHUNK_MAX).min(f.size);
        let part = blob.slice_with_f64_and_f64(at.received as f64, end as f64).map_err(|e| Stop::Transient(text(e)))?;
        at = request("PUT", &url(Some(at.received)), Some(part)).await?;
    }
    progress(f.size);
    Ok(())
}
