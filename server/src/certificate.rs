//! Certificates (Giấy khen, Bằng khen) as PDF (SPEC §5.7): one A4 landscape
//! page per award, Noto Serif embedded (subset) so the Vietnamese prints the same
//! everywhere, and the verification code the public page checks.
//! `GET /giay-khen.pdf?qd=<decision number>` (every award of a decision, for
//! batch printing) or `?id=<nomination>`; the district officer only.

use app::domain::auth::Role;
use app::domain::award::organiser_decides;
use app::domain::award::NomineeKind;
use app::store::nominations::{awards, Award, Awards};
use app::store::{units, Db};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::collections::HashMap;

static REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSerif-Bold.ttf");

/// What is printed besides the award: who issues it and where.
pub struct Issuer {
    /// "ỦY BAN NHÂN DÂN HUYỆN NGỌC HỒI"
    pub body: String,
    /// "Ngọc Hồi"
    pub place: String,
    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN NGỌC HỒI"
    pub title: String,
    /// The movement, for the reason line.
    pub movement: String,
    /// Where the code is checked, e.g. "https://…/quyet-dinh".
    pub verify_at: String,
}

const W: f32 = 842.0;
const H: f32 = 595.0;

struct Fonts {
    regular: Font,
    bold: Font,
    faces: (rustybuzz::Face<'static>, rustybuzz::Face<'static>),
}

impl Fonts {
    fn load() -> Option<Fonts> {
        Some(Fonts {
            regular: Font::new(REGULAR.to_vec().into(), 0)?,
            bold: Font::new(BOLD.to_vec().into(), 0)?,
            faces: (rustybuzz::Face::from_slice(REGULAR, 0)?, rustybuzz::Face::from_slice(BOLD, 0)?),
        })
    }

    /// The width of a shaped line, in points.
    fn width(&self, bold: bool, size: f32, text: &str) -> f32 {
        let face = if bold { &self.faces.1 } else { &self.faces.0 };
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        let out = rustybuzz::shape(face, &[], buf);
        let units: i32 = out.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 / face.units_per_em() as f32 * size
    }
}

/// Renders one page per award.
pub fn render(awards: &[Award], issuer: &Issuer) -> Option<Vec<u8>> {
    let fonts = Fonts::load()?;
    let mut doc = Document::new();
    for a in awards {
        let mut page = doc.start_page_with(PageSettings::from_wh(W, H)?);
        let mut s = page.surface();
        let red = rgb::Color::new(160, 20, 20);
        // A double frame.
        for (inset, width) in [(18.0, 3.0), (26.0, 1.0)] {
            let mut pb = PathBuilder::new();
            pb.push_rect(Rect::from_xywh(inset, inset, W - 2.0 * inset, H - 2.0 * inset)?);
            s.set_fill(None);
            s.set_stroke(Some(Stroke { paint: red.into(), width, ..Default::default() }));
            s.draw_path(&pb.finish()?);
        }
        s.set_stroke(None);
        let text = |s: &mut krilla::surface::Surface, x: f32, y: f32, bold: bool, size: f32, t: &str, color: rgb::Color| {
            s.set_fill(Some(Fill { paint: color.into(), ..Default::default() }));
            let font = if bold { fonts.bold.clone() } else { fonts.regular.clone() };
            s.draw_text(Point::from_xy(x, y), font, size, t, false, TextDirection::Auto);
        };
        let black = rgb::Color::new(0, 0, 0);
        let centre = |bold: bool, size: f32, t: &str, cx: f32| cx - fonts.width(bold, size, t) / 2.0;
        // Heading: the issuing body left, the national motto right (Nghị định 30/2020).
        let (lx, rx) = (200.0, 600.0);
        for (y, bold, size, t, cx) in [
            (70.0, false, 12.0, issuer.body.as_str(), lx),
            (70.0, true, 12.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rx),
            (88.0, true, 13.0, "Độc lập - Tự do - Hạnh phúc", rx),
        ] {
            text(&mut s, centre(bold, size, t, cx), y, bold, size, t, black);
        }
        let title = issuer.title.as_str();
        text(&mut s, centre(true, 15.0, title, W / 2.0), 140.0, true, 15.0, title, black);
        // "GIẤY KHEN", "BẰNG KHEN": the form's own word, from its name.
        let form = upper_vi(app::domain::award::certificate_title(&a.form_name));
        text(&mut s, centre(true, 44.0, &form, W / 2.0), 200.0, true, 44.0, &form, red);
        let to = if a.posthumous { "Truy tặng" } else { "Tặng" };
        text(&mut s, centre(false, 16.0, to, W / 2.0), 240.0, false, 16.0, to, black);
        let size = fit(&fonts, true, 28.0, &a.name, W - 140.0);
        text(&mut s, centre(true, size, &a.name, W / 2.0), 282.0, true, size, &a.name, red);
        let who = match a.nominee_kind {
            NomineeKind::Individual if !a.position.is_empty() => format!("{}, {}", a.position, a.unit_name),
            _ => a.unit_name.clone(),
        };
        let size = fit(&fonts, false, 15.0, &who, W - 140.0);
        text(&mut s, centre(false, size, &who, W / 2.0), 312.0, false, size, &who, black);
        let mut y = 350.0;
        for line in wrap(&fonts, 15.0, &format!("Đã có thành tích trong {}.", issuer.movement), W - 180.0) {
            text(&mut s, centre(false, 15.0, &line, W / 2.0), y, false, 15.0, &line, black);
            y += 20.0;
        }
        let date = app::domain::date::parse_iso(&a.date);
        let decision =
            format!("Quyết định số {}{}", a.number, date.map(|d| format!(" ngày {}", app::domain::date::format_vi(d))).unwrap_or_default());
        text(&mut s, centre(false, 12.0, &decision, lx), 470.0, false, 12.0, &decision, black);
        let place = date
            .map(|d| format!("{}, ngày {:02} tháng {:02} năm {}", issuer.place, d.day(), d.month() as u8, d.year()))
            .unwrap_or_else(|| issuer.place.clone());
        text(&mut s, centre(false, 12.0, &place, rx), 440.0, false, 12.0, &place, black);
        text(&mut s, centre(true, 13.0, "CHỦ TỊCH", rx), 460.0, true, 13.0, "CHỦ TỊCH", black);
        text(&mut s, centre(true, 14.0, &a.signer, rx), 540.0, true, 14.0, &a.signer, black);
        let code = format!("Mã xác minh: {}", a.code);
        text(&mut s, 48.0, 530.0, true, 11.0, &code, black);
        let at = format!("Tra cứu tại {}", issuer.verify_at);
        text(&mut s, 48.0, 546.0, false, 9.0, &at, black);
        s.finish();
        page.finish();
    }
    doc.finish().ok()
}

/// The largest size up to `size` at which `t` fits in `width`.
fn fit(fonts: &Fonts, bold: bool, size: f32, t: &str, width: f32) -> f32 {
    let w = fonts.width(bold, size, t);
    if w <= width {
        size
    } else {
        (size * width / w).max(8.0)
    }
}

/// Greedy word wrap at `width`.
fn wrap(fonts: &Fonts, size: f32, t: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in t.split_whitespace() {
        let next = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && fonts.width(false, size, &next) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

use crate::download_auth::refuse;

/// `GET /giay-khen.pdf?qd=…` or `?id=…`, in the movement `&phong-trao=`
/// (empty: the first the officer may open).
pub async fn certificates_pdf(State(db): State<Db>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let asked = q.get("phong-trao").map_or("", String::as_str);
    let (me, m) = match crate::download_auth::require_for_movement(&db, &headers, &[Role::DistrictOfficer], asked).await {
        Ok(x) => x,
        Err(no) => return no,
    };
    let result = async {
        let which = match (q.get("qd"), q.get("id")) {
            (Some(n), _) if !n.is_empty() => Awards::Decision(n),
            (_, Some(id)) if !id.is_empty() => Awards::Nomination(id),
            _ => Awards::All,
        };
        // Only the organisation's own units, and only forms it decides
        // itself: a higher form's certificate is the deciding level's.
        let mine = app::api::scope::org_units(&db, &me).await?;
        let list: Vec<_> = awards(&db, which)
            .await?
            .into_iter()
            .filter(|a| a.movement == m.id && mine.contains(&a.unit))
            .filter(|a| app::domain::date::parse_iso(&a.date).is_some_and(|d| organiser_decides(&m.definition.eligibility, &a.form, d)))
            .collect();
        let district = units::get(&db, &m.organiser).await?.map(|u| u.name).unwrap_or_default();
        Ok::<_, app::store::StoreError>((list, district))
    }
    .await;
    let (list, district) = match result {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "certificates failed");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error");
        }
    };
    if list.is_empty() {
        return refuse(StatusCode::NOT_FOUND, "Không có giấy khen nào theo quyết định này. / No certificates for this decision.");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("thidua");
    let issuer = Issuer::of(&district, &m.definition.name_vi, host);
    match render(&list, &issuer) {
        Some(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, "inline; filename=\"giay-khen.pdf\"".to_string()),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            pdf,
        )
            .into_response(),
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error"),
    }
}

impl Issuer {
    /// The People's Committee of the organiser (its unit's name: "Huyện
    /// Ngọc Hồi", "Tỉnh Quảng Ngãi", "Xã Bờ Y") and its chair.
    pub fn of(organiser: &str, movement: &str, host: &str) -> Issuer {
        Issuer {
            body: format!("ỦY BAN NHÂN DÂN {}", upper_vi(organiser)),
            title: format!("CHỦ TỊCH ỦY BAN NHÂN DÂN {}", upper_vi(organiser)),
            place: app::domain::document::place_of(organiser),
            movement: movement.to_string(),
            verify_at: format!("{host}/quyet-dinh"),
        }
    }
}

/// Upper case for headings (server side: the Unicode tables stay off the phone).
fn upper_vi(s: &str) -> String {
    s.to_uppercase()
}
