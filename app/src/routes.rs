//! Every page and download path, in one table: links, redirects, the
//! service worker and the tests take them from here. (The router's own
//! `path!` patterns in `lib.rs` must be literals; a test checks that each
//! page here is one of them.)

pub const HOME: &str = "/";
pub const SIGN_IN: &str = "/dang-nhap";
pub const PASSWORD: &str = "/doi-mat-khau";
pub const UNITS: &str = "/units";
pub const CLUSTERS: &str = "/clusters";
pub const REPORT: &str = "/bao-cao";
pub const NOMINATE: &str = "/de-nghi";
pub const DESK: &str = "/tiep-nhan";
pub const CONSOLIDATION: &str = "/tong-hop";
pub const PRINTABLE: &str = "/tong-hop/in";
pub const LEADERBOARD: &str = "/bang-xep-hang";
pub const RANKINGS: &str = "/bang-xep-hang/in";
pub const DIFFICULTIES: &str = "/kho-khan";
pub const NOMINATIONS: &str = "/khen-thuong";
pub const REGISTER: &str = "/khen-thuong/so";
pub const COUNCIL: &str = "/hoi-dong";
pub const DECISIONS: &str = "/quyet-dinh";
pub const SHOWCASE: &str = "/guong-dien-hinh";
pub const EDITOR: &str = "/bien-tap";
pub const ADMIN: &str = "/quan-tri";
pub const ADMIN_ACCOUNTS: &str = "/quan-tri/tai-khoan";
pub const ADMIN_DISPLAYS: &str = "/quan-tri/man-hinh";
pub const ADMIN_AUDIT: &str = "/quan-tri/nhat-ky";
pub const ADMIN_UNITS: &str = "/quan-tri/don-vi";
pub const ADMIN_CLUSTERS: &str = "/quan-tri/cum";
pub const ADMIN_IMPORT: &str = "/quan-tri/nhap-danh-muc";
pub const ADMIN_MOVEMENTS: &str = "/quan-tri/phong-trao";

/// Downloads served by plain routes (not pages).
pub const CONSOLIDATED_XLSX: &str = "/xuat/tong-hop.xlsx";
pub const RANKINGS_XLSX: &str = "/xuat/bang-xep-hang.xlsx";
pub const FORWARDED_XLSX: &str = "/xuat/trinh-cap-tren.xlsx";
pub const CERTIFICATES_PDF: &str = "/giay-khen.pdf";
/// An evidence file (`/minh-chung/<hash>`), and its thumbnail
/// (`…/anh-nho`), for those who may read the items naming it.
pub const EVIDENCE_FILE: &str = "/minh-chung/{hash}";
pub const EVIDENCE_THUMB: &str = "/minh-chung/{hash}/anh-nho";
/// A phone's upload of one file, by its hash: `GET` where it stands, `PUT` a
/// chunk (`?ten=&tu=&tong=`: name, offset, total size).
pub const UPLOAD: &str = "/api/files/{hash}";

/// The URL of an evidence file, or of its thumbnail.
pub fn evidence(hash: &str, thumb: bool) -> String {
    format!("/minh-chung/{hash}{}", if thumb { "/anh-nho" } else { "" })
}

/// Every page without a parameter.
pub const PAGES: &[&str] = &[
    HOME,
    SIGN_IN,
    PASSWORD,
    UNITS,
    CLUSTERS,
    REPORT,
    NOMINATE,
    DESK,
    CONSOLIDATION,
    PRINTABLE,
    LEADERBOARD,
    RANKINGS,
    DIFFICULTIES,
    NOMINATIONS,
    REGISTER,
    COUNCIL,
    DECISIONS,
    SHOWCASE,
    EDITOR,
    ADMIN,
    ADMIN_ACCOUNTS,
    ADMIN_DISPLAYS,
    ADMIN_AUDIT,
    ADMIN_UNITS,
    ADMIN_CLUSTERS,
    ADMIN_IMPORT,
    ADMIN_MOVEMENTS,
];

/// Pages with a parameter, as the server's router (axum) writes them.
pub const PAGE_PATTERNS: &[&str] = &[
    "/units/{id}",
    "/man-hinh/{token}",
    "/tiep-nhan/{id}",
    "/guong-dien-hinh/{id}",
    "/hoi-dong/bien-ban/{id}",
    "/quan-tri/phong-trao/{code}",
];

pub fn unit(id: &str) -> String {
    format!("{UNITS}/{id}")
}

/// A meeting-room display's page.
pub fn display(token: &str) -> String {
    format!("/man-hinh/{token}")
}

/// One report at the review desk.
pub fn review(id: &str) -> String {
    format!("{DESK}/{id}")
}

pub fn story(id: &str) -> String {
    format!("{SHOWCASE}/{id}")
}

/// A movement's editor.
pub fn movement_editor(code: &str) -> String {
    format!("{ADMIN_MOVEMENTS}/{code}")
}

pub fn minutes(sitting: &str) -> String {
    format!("{COUNCIL}/bien-ban/{sitting}")
}

/// `path` for one period (`ky`) of one movement (`phong-trao`; empty: the
/// current one), e.g. the consolidation of 2021-10.
pub fn for_period(path: &str, period: &str, movement: &str) -> String {
    with_movement(format!("{path}?ky={period}"), movement)
}

pub fn leaderboard(cluster: &str, period: &str, movement: &str) -> String {
    with_movement(format!("{LEADERBOARD}?cum={cluster}&ky={period}"), movement)
}

/// `url` (which has a query) for movement `code` (codes need no escaping:
/// `domain::template::check_movement_id`).
fn with_movement(url: String, code: &str) -> String {
    if code.is_empty() {
        url
    } else {
        format!("{url}&phong-trao={code}")
    }
}

/// `path` for movement `code` (empty: the current one).
pub fn in_movement(path: &str, code: &str) -> String {
    if code.is_empty() {
        path.to_string()
    } else {
        format!("{path}?phong-trao={code}")
    }
}

/// The certificates of one decision (its number, already URL-encoded) of
/// movement `movement` (empty: the current one).
pub fn certificates(decision: &str, movement: &str) -> String {
    with_movement(format!("{CERTIFICATES_PDF}?qd={decision}"), movement)
}
