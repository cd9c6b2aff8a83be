//! Evidence files ("minh chứng"): photos and documents attached to a
//! report's criterion, a nomination or a story. The rules both sides share:
//! what a reference to a file looks like, which kinds of file are taken
//! (judged from the bytes, never from the name), the limits, and how a
//! chunked upload moves on. Files travel apart from the items that name
//! them, each named by the SHA-256 of its bytes, so a file sent twice is
//! stored once and a cut upload resumes where the server stands.

use super::FieldError;
use serde::{Deserialize, Serialize};

/// The largest file taken: a scanned document of several pages. Photos are
/// far smaller: the phone resizes them first (`PHOTO_LONG_SIDE`).
pub const FILE_MAX: u64 = 10 << 20;
/// The long side, in pixels, a phone resizes a photo to before keeping it.
pub const PHOTO_LONG_SIDE: u32 = 1600;
/// The JPEG quality a phone re-encodes photos at (0–1).
pub const PHOTO_QUALITY: f64 = 0.8;
/// One upload request's bytes: small enough to finish on a 2G link, so a
/// cut costs at most one chunk.
pub const CHUNK_MAX: u64 = 256 << 10;
/// Files one item may name.
pub const FILES_PER_ITEM: usize = 20;
/// What one unit may upload in one month (of the upload), all files.
pub const UNIT_MONTH_QUOTA: u64 = 200 << 20;
/// The most pixels an image may declare before the server decodes it (a
/// small file can declare a huge canvas: a decompression bomb).
pub const IMAGE_PIXELS_MAX: u64 = 50_000_000;
/// The long side of a thumbnail, in pixels.
pub const THUMB_LONG_SIDE: u32 = 320;
/// A file's name as the person knows it, in characters.
pub const NAME_MAX: usize = 120;

/// The kinds of file taken. Never SVG or HTML: they can carry script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileKind {
    /// The kind the bytes are, by their signature; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(FileKind::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(FileKind::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(FileKind::Webp),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(FileKind::Pdf),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn of_mime(mime: &str) -> Option<FileKind> {
        [FileKind::Jpeg, FileKind::Png, FileKind::Webp, FileKind::Pdf].into_iter().find(|k| k.mime() == mime)
    }

    pub fn is_image(self) -> bool {
        !matches!(self, FileKind::Pdf)
    }

    pub fn code(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
        }
    }
}

/// An item's reference to a file it carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// SHA-256 of the bytes, lower-case hex: the file's name everywhere.
    pub hash: String,
    /// The name the person knows it by (shown, never used as a path).
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    /// The criterion (content area) a report's file is evidence for; none
    /// for a nomination's or a story's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}

/// 64 lower-case hex digits.
pub fn valid_hash(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn err(field: String, rule: &str, vi: String, en: String) -> FieldError {
    FieldError::new(field, rule, vi, en)
}

/// Every problem with an item's file references, each naming the file (its
/// place in `files`) and the rule. `areas`: the criteria a report's file may
/// be evidence for (`None`: the item has no criteria, so a file names none).
pub fn check_refs(files: &[FileRef], areas: Option<&[String]>) -> Vec<FieldError> {
    let mut e = Vec::new();
    if files.len() > FILES_PER_ITEM {
        e.push(err(
            "files".into(),
            "files_max",
            format!("Tối đa {FILES_PER_ITEM} tệp minh chứng mỗi mục."),
            format!("At most {FILES_PER_ITEM} evidence files per item."),
        ));
    }
    for (k, f) in files.iter().enumerate() {
        let field = format!("files.{k}");
        let name = &f.name;
        if !valid_hash(&f.hash) {
            e.push(err(
                field.clone(),
                "file_hash",
                format!("Tệp «{name}»: mã tệp không hợp lệ."),
                format!("File «{name}»: invalid file hash."),
            ));
        }
        if name.trim().is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            e.push(err(
                field.clone(),
                "file_name",
                format!("Tên tệp phải có từ 1 đến {NAME_MAX} ký tự."),
                format!("A file name has 1 to {NAME_MAX} characters."),
            ));
        }
        if f.size == 0 || f.size > FILE_MAX {
            e.push(too_big(&field, name, f.size));
        }
        match (areas, &f.area) {
            (Some(areas), Some(a)) if !areas.contains(a) => e.push(err(
                field.clone(),
                "file_area",
                format!("Tệp «{name}»: tiêu chí «{a}» không có trong mẫu báo cáo."),
                format!("File «{name}»: criterion «{a}» is not in the report form."),
            )),
            (None, Some(_)) => e.push(err(
                field.clone(),
                "file_area",
                format!("Tệp «{name}»: mục này không có tiêu chí để gắn minh chứng."),
                format!("File «{name}»: this item has no criteria to attach evidence to."),
            )),
            _ => {}
        }
        if files[..k].iter().any(|g| g.hash == f.hash && g.area == f.area) {
            e.push(err(field, "file_repeated", format!("Tệp «{name}» đã được đính kèm."), format!("File «{name}» is attached already.")));
        }
    }
    e
}

fn too_big(field: &str, name: &str, size: u64) -> FieldError {
    err(
        field.into(),
        "file_size",
        format!("Tệp «{name}» ({}) vượt quá giới hạn {} mỗi tệp.", size_text(size), size_text(FILE_MAX)),
        format!("File «{name}» ({}) is over the {} limit per file.", size_text(size), size_text(FILE_MAX)),
    )
}

/// A size as people read it: "850 KB", "4,2 MB".
pub fn size_text(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10 + (1 << 19)) >> 20;
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// Where a file's upload stands: bytes the server holds in order from the
/// start, and whether the whole file has arrived and been checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadState {
    pub received: u64,
    pub complete: bool,
}

/// One chunk of an upload, checked before the server keeps it: it starts
/// where the server stands (`received`), is not empty and at most
/// `CHUNK_MAX`, and does not run past the declared `total`, itself within
/// `FILE_MAX`.
pub fn check_chunk(name: &str, offset: u64, len: u64, total: u64, received: u64) -> Result<(), FieldError> {
    if total == 0 || total > FILE_MAX {
        return Err(too_big("file", name, total));
    }
    if offset != received {
        return Err(err(
            "offset".into(),
            "upload_offset",
            format!("Tệp «{name}»: máy chủ đã có {received} byte, phần gửi bắt đầu ở {offset}."),
            format!("File «{name}»: the server holds {received} bytes; the chunk starts at {offset}."),
        ));
    }
    if len == 0 || len > CHUNK_MAX || offset + len > total {
        return Err(err(
            "chunk".into(),
            "upload_chunk",
            format!("Tệp «{name}»: mỗi phần gửi từ 1 byte đến {}, không vượt quá cỡ tệp.", size_text(CHUNK_MAX)),
            format!("File «{name}»: a chunk has 1 byte to {}, within the file's size.", size_text(CHUNK_MAX)),
        ));
    }
    Ok(())
}

/// A whole uploaded file, checked before it is kept: its bytes hash to the
/// name it was sent under and are a kind taken (`FileKind::sniff`).
pub fn check_content(name: &str, bytes: &[u8], hash_of_bytes: &str, hash: &str) -> Result<FileKind, FieldError> {
    if hash_of_bytes != hash {
        return Err(err(
            "file".into(),
            "file_hash",
            format!("Tệp «{name}» đến không trọn vẹn (mã không khớp); gửi lại tệp."),
            format!("File «{name}» arrived damaged (its hash does not match); send it again."),
        ));
    }
    FileKind::sniff(bytes).ok_or_else(|| {
        err(
            "file".into(),
            "file_type",
            format!("Tệp «{name}» không phải ảnh JPEG, PNG, WebP hay tài liệu PDF (xét theo nội dung tệp, không theo tên)."),
            format!("File «{name}» is not a JPEG, PNG or WebP image or a PDF document (judged by its content, not its name)."),
        )
    })
}

/// An image's declared size, checked before decoding.
pub fn check_pixels(name: &str, width: u32, height: u32) -> Result<(), FieldError> {
    if u64::from(width) * u64::from(height) > IMAGE_PIXELS_MAX {
        return Err(err(
            "file".into(),
            "image_pixels",
            format!("Ảnh «{name}» quá lớn ({width}×{height} điểm ảnh)."),
            format!("Image «{name}» is too large ({width}×{height} pixels)."),
        ));
    }
    Ok(())
}

/// A unit's month, with `used` bytes uploaded already, taking `adding` more.
pub fn check_quota(name: &str, used: u64, adding: u64) -> Result<(), FieldError> {
    if used + adding > UNIT_MONTH_QUOTA {
        return Err(err(
            "file".into(),
            "unit_quota",
            format!("Tệp «{name}»: đơn vị đã gửi {} minh chứng trong tháng, giới hạn là {}.", size_text(used), size_text(UNIT_MONTH_QUOTA)),
            format!(
                "File «{name}»: the unit has sent {} of evidence this month; the limit is {}.",
                size_text(used),
                size_text(UNIT_MONTH_QUOTA)
            ),
        ));
    }
    Ok(())
}

/// A file the server holds whole from a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub hash: String,
    pub kind: FileKind,
    pub size: u64,
}

/// The server's answer to an item naming `files`, given those the unit has
/// sent whole: `None` when all are there as the item describes them; files
/// not there yet make it wait (`Outcome::Missing`); a file described with
/// another kind or size than it has is refused.
pub fn check_arrived(files: &[FileRef], arrived: &[StoredFile]) -> Option<super::sync::Outcome> {
    use super::sync::Outcome;
    let mut missing: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (k, f) in files.iter().enumerate() {
        match arrived.iter().find(|a| a.hash == f.hash) {
            None if !missing.contains(&f.hash) => missing.push(f.hash.clone()),
            None => {}
            Some(a) if a.kind != f.kind || a.size != f.size => errors.push(err(
                format!("files.{k}"),
                "file_mismatch",
                format!(
                    "Tệp «{}»: máy chủ nhận được {} {}, không phải {} {}.",
                    f.name,
                    a.kind.code(),
                    size_text(a.size),
                    f.kind.code(),
                    size_text(f.size)
                ),
                format!(
                    "File «{}»: the server got {} {}, not {} {}.",
                    f.name,
                    a.kind.code(),
                    size_text(a.size),
                    f.kind.code(),
                    size_text(f.size)
                ),
            )),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        Some(Outcome::Invalid { errors })
    } else if !missing.is_empty() {
        Some(Outcome::Missing { files: missing })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(hash: char, area: Option<&str>) -> FileRef {
        FileRef {
            hash: hash.to_string().repeat(64),
            name: "ảnh tiêm chủng.jpg".into(),
            kind: FileKind::Jpeg,
            size: 300_000,
            area: area.map(Into::into),
        }
    }

    #[test]
    fn the_kind_comes_from_the_bytes_never_the_name() {
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(FileKind::sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(FileKind::sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(FileKind::sniff(b""), None);
        let html = b"<html><body>not a photo</body></html>";
        let e = check_content("anh.jpg", html, "h", "h").unwrap_err();
        assert_eq!((e.field.as_str(), e.rule.as_str()), ("file", "file_type"));
        assert!(e.message_vi.contains("anh.jpg"), "{}", e.message_vi);
        assert_eq!(check_content("a.pdf", b"%PDF-1.4", "h", "x").unwrap_err().rule, "file_hash");
    }

    #[test]
    fn references_name_the_file_and_the_rule() {
        let areas = vec!["chi-dao".to_string()];
        assert!(check_refs(&[file('a', Some("chi-dao")), file('b', None)], Some(&areas)).is_empty());
        let rules = |files: &[FileRef], areas: Option<&[String]>| {
            check_refs(files, areas).into_iter().map(|e| (e.field, e.rule)).collect::<Vec<_>>()
        };
        assert_eq!(rules(&[file('a', Some("khac"))], Some(&areas)), vec![("files.0".into(), "file_area".into())]);
        assert_eq!(rules(&[file('a', Some("chi-dao"))], None), vec![("files.0".into(), "file_area".into())]);
        assert_eq!(rules(&[file('a', None), file('a', None)], None), vec![("files.1".into(), "file_repeated".into())]);
        let bad = FileRef { hash: "A".repeat(64), size: FILE_MAX + 1, name: String::new(), ..file('a', None) };
        assert_eq!(
            rules(&[bad], None),
            vec![("files.0".into(), "file_hash".into()), ("files.0".into(), "file_name".into()), ("files.0".into(), "file_size".into())]
        );
        let many: Vec<FileRef> = (0..=FILES_PER_ITEM).map(|k| FileRef { hash: format!("{k:064x}"), ..file('a', None) }).collect();
        assert_eq!(rules(&many, None), vec![("files".into(), "files_max".into())]);
    }

    #[test]
    fn an_upload_goes_on_from_where_the_server_stands() {
        assert!(check_chunk("a.jpg", 0, CHUNK_MAX, 300_000, 0).is_ok());
        assert!(check_chunk("a.jpg", CHUNK_MAX, 300_000 - CHUNK_MAX, 300_000, CHUNK_MAX).is_ok());
        // A chunk sent again after its answer was lost starts behind.
        assert_eq!(check_chunk("a.jpg", 0, 1000, 300_000, CHUNK_MAX).unwrap_err().rule, "upload_offset");
        assert_eq!(check_chunk("a.jpg", 0, CHUNK_MAX + 1, 300_000, 0).unwrap_err().rule, "upload_chunk");
        assert_eq!(check_chunk("a.jpg", 0, 0, 300_000, 0).unwrap_err().rule, "upload_chunk");
        assert_eq!(check_chunk("a.jpg", 299_000, 2000, 300_000, 299_000).unwrap_err().rule, "upload_chunk");
        assert_eq!(check_chunk("a.jpg", 0, 10, FILE_MAX + 1, 0).unwrap_err().rule, "file_size");
    }

    #[test]
    fn limits_on_pixels_and_a_units_month() {
        assert!(check_pixels("a.png", 4000, 3000).is_ok());
        assert_eq!(check_pixels("a.png", 60_000, 60_000).unwrap_err().rule, "image_pixels");
        assert!(check_quota("a.pdf", UNIT_MONTH_QUOTA - 10, 10).is_ok());
        assert_eq!(check_quota("a.pdf", UNIT_MONTH_QUOTA - 10, 11).unwrap_err().rule, "unit_quota");
        assert_eq!(size_text(300_000), "293 KB");
        assert_eq!(size_text(4_404_019), "4,2 MB");
    }

    #[test]
    fn an_item_waits_for_the_files_it_names() {
        use crate::domain::sync::Outcome;
        let files = [file('a', None), file('b', Some("chi-dao")), file('b', None)];
        let stored = |c: char| StoredFile { hash: c.to_string().repeat(64), kind: FileKind::Jpeg, size: 300_000 };
        assert_eq!(check_arrived(&files, &[stored('a')]), Some(Outcome::Missing { files: vec!["b".repeat(64)] }));
        assert_eq!(check_arrived(&files, &[stored('a'), stored('b')]), None);
        assert_eq!(check_arrived(&[], &[]), None);
        let other = StoredFile { size: 1, ..stored('a') };
        match check_arrived(&files[..1], &[other]) {
            Some(Outcome::Invalid { errors }) => {
                assert_eq!((errors[0].field.as_str(), errors[0].rule.as_str()), ("files.0", "file_mismatch"))
            }
            o => panic!("{o:?}"),
        }
    }
}
