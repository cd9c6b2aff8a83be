//! The consolidated report as an XLSX workbook (SPEC §5.4): a sheet per
//! table, Vietnamese headers, numbers stored as numbers and totals as values
//! (no formulas, so any reader shows the same figures as the page).

use app::api::consolidation::ConsolidationView;
use app::api::review::Desk;
use app::domain::auth::Role;
use app::domain::indicator::IndicatorKind;
use app::domain::rollup::Cell;
use app::store::{consolidation, review, Db};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

fn header_format() -> Format {
    Format::new().set_bold().set_text_wrap().set_background_color(0xE8EEF4)
}

fn write_headers(ws: &mut Worksheet, headers: &[String]) -> Result<(), XlsxError> {
    let f = header_format();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn opt_number(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, v, f)?;
    }
    Ok(())
}

/// Headers of an indicator table: code, name, reports, then one column per
/// indicator (three for a ratio: numerator, denominator, percent).
pub fn indicator_headers(view: &ConsolidationView) -> Vec<String> {
    let mut h = vec!["Mã".to_string(), "Tên".to_string(), "Số báo cáo".to_string()];
    for i in &view.indicators {
        match i.kind {
            IndicatorKind::Ratio => {
                h.push(format!("{} – {}", i.name_vi, i.numerator_vi.as_deref().unwrap_or("tử số")));
                h.push(format!("{} – {}", i.name_vi, i.denominator_vi.as_deref().unwrap_or("mẫu số")));
                h.push(format!("{} (%)", i.name_vi));
            }
            _ => h.push(format!("{} ({})", i.name_vi, i.unit_vi)),
        }
    }
    h
}

fn write_cells(
    ws: &mut Worksheet,
    row: u32,
    view: &ConsolidationView,
    cells: &[Cell],
    int: &Format,
    pct: &Format,
) -> Result<(), XlsxError> {
    let mut col = 3u16;
    for (i, c) in view.indicators.iter().zip(cells) {
        match i.kind {
            IndicatorKind::Ratio => {
                opt_number(ws, row, col, c.numerator, int)?;
                opt_number(ws, row, col + 1, c.denominator, int)?;
                opt_number(ws, row, col + 2, c.shown(i.kind).map(|p| (p * 100.0).round() / 100.0), pct)?;
                col += 3;
            }
            _ => {
                opt_number(ws, row, col, c.value, int)?;
                col += 1;
            }
        }
    }
    Ok(())
}

/// The workbook: reporting rates, each unit's status, then a sheet per
/// consolidation table.
pub fn workbook(view: &ConsolidationView, desk: &Desk) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let int = Format::new().set_num_format("#,##0");
    let pct = Format::new().set_num_format("0.00");

    let ws = wb.add_worksheet().set_name("Tỷ lệ báo cáo")?;
    let heads: Vec<String> = [
        "Nhóm",
        "Tên",
        "Phải báo cáo",
        "Đúng hạn",
        "Trong gia hạn",
        "Trễ hạn",
        "Chưa nộp (quá hạn)",
        "Chưa đến hạn",
        "Tỷ lệ báo cáo (%)",
        "Tỷ lệ đúng hạn (%)",
    ]
    .map(String::from)
    .to_vec();
    write_headers(ws, &heads)?;
    for (r, row) in desk.rates.iter().enumerate() {
        let r = r as u32 + 1;
        let x = &row.rates;
        ws.write_string(r, 0, row.by.label_vi())?;
        ws.write_string(r, 1, &row.name)?;
        for (c, v) in [x.expected, x.on_time, x.in_grace, x.late, x.missing, x.not_due].iter().enumerate() {
            ws.write_number_with_format(r, c as u16 + 2, *v as f64, &int)?;
        }
        opt_number(ws, r, 8, x.reporting_rate().map(|p| (p * 100.0).round() / 100.0), &pct)?;
        opt_number(ws, r, 9, x.on_time_rate().map(|p| (p * 100.0).round() / 100.0), &pct)?;
    }
    ws.set_column_width(1, 40)?;

    let ws = wb.add_worksheet().set_name("Tình hình nộp")?;
    write_headers(ws, &["Mã", "Đơn vị", "Tình trạng nộp", "Duyệt", "Thời điểm nhận (UTC)"].map(String::from))?;
    for (r, row) in desk.rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &row.unit)?;
        ws.write_string(r, 1, &row.unit_name)?;
        ws.write_string(r, 2, row.timeliness.label_vi())?;
        let status = match row.status {
            Some(app::domain::sync::ReviewStatus::Accepted) => "Đã tiếp nhận",
            Some(app::domain::sync::ReviewStatus::Returned) => "Đã trả lại",
            Some(app::domain::sync::ReviewStatus::Submitted) => "Chờ duyệt",
            None => "",
        };
        ws.write_string(r, 3, status)?;
        if let Some(t) = &row.received {
            ws.write_string(r, 4, t)?;
        }
    }
    ws.set_column_width(1, 40)?;

    // The indicators, then the evidence files the row's reports carry.
    let mut heads = indicator_headers(view);
    let evidence_col = heads.len() as u16;
    heads.push("Tệp minh chứng".into());
    for t in &view.tables {
        let ws = wb.add_worksheet().set_name(t.by.label_vi())?;
        write_headers(ws, &heads)?;
        ws.set_column_width(1, 40)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, &row.key)?;
            ws.write_string(r, 1, &row.name)?;
            ws.write_number_with_format(r, 2, row.reports as f64, &int)?;
            write_cells(ws, r, view, &row.cells, &int, &pct)?;
            ws.write_number_with_format(r, evidence_col, row.evidence as f64, &int)?;
        }
    }
    wb.save_to_buffer()
}

use crate::download_auth::refuse;

/// `GET /xuat/tong-hop.xlsx?ky=2021-10`: for the district officer and the
/// health officer, by their session cookie.
pub async fn consolidated_xlsx(State(db): State<Db>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let m =
        match crate::download_auth::require_for_movement(&db, &headers, &[Role::DistrictOfficer, Role::HealthOfficer], movement_asked(&q))
            .await
        {
            Ok((_, m)) => m,
            Err(no) => return no,
        };
    let result = async {
        let period = period_asked(&db, &m, &q, time::OffsetDateTime::now_utc()).await?;
        let view = consolidation::consolidate(&db, &m, &m.organiser, &period, true).await?;
        let desk = review::period_desk(&db, &m, &m.organiser, &period, time::OffsetDateTime::now_utc()).await?;
        Ok::<_, app::store::StoreError>((period, view, desk))
    }
    .await;
    match result {
        Ok((period, view, desk)) => xlsx_response(workbook(&view, &desk), &format!("tong-hop-{period}.xlsx")),
        Err(e) => store_failed(e),
    }
}

/// The movement a download asks for (`?phong-trao=`; empty: the current one).
fn movement_asked(q: &HashMap<String, String>) -> &str {
    q.get("phong-trao").map(String::as_str).unwrap_or_default()
}

/// The period a download asks for (`?ky=`), else the one that matters now.
async fn period_asked(
    db: &Db,
    m: &app::domain::movement::Movement,
    q: &HashMap<String, String>,
    now: time::OffsetDateTime,
) -> Result<String, app::store::StoreError> {
    match q.get("ky").filter(|k| !k.is_empty()) {
        Some(k) => Ok(k.clone()),
        None => review::period_now(db, m, app::domain::date::vn_date(now)).await,
    }
}

/// A read for a download that failed: 404 for what does not exist, else 500.
fn store_failed(e: app::store::StoreError) -> Response {
    match e {
        app::store::StoreError::NotFound(what) => refuse(StatusCode::NOT_FOUND, &format!("Không tìm thấy / not found: {what}")),
        e => {
            tracing::error!(error = %e, "xlsx export failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error")
        }
    }
}

/// Every board of a period on one sheet, a row per unit: what the printed
/// ranking shows, for sorting and filtering.
pub fn rankings_workbook(boards: &[app::api::leaderboard::Board], period_vi: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Xếp hạng")?;
    let headers: Vec<String> =
        ["Cụm, khối", "Hạng", "Mã đơn vị", "Đơn vị", "Điểm bảng", "Thưởng", "Trừ", "Tổng", "Xếp loại", "Đã thẩm định", "Cơ sở xếp hạng"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    write_headers(ws, &headers)?;
    let mut r = 0u32;
    for b in boards {
        let basis = if b.basis_vi.is_empty() { format!("Báo cáo {period_vi}") } else { b.basis_vi.clone() };
        for row in &b.rows {
            r += 1;
            ws.write_string(r, 0, &b.cluster_name)?;
            ws.write_number(r, 1, row.rank as f64)?;
            ws.write_string(r, 2, &row.unit)?;
            ws.write_string(r, 3, &row.unit_name)?;
            for (c, v) in [(4u16, row.sheet), (5, row.bonus), (6, row.deductions), (7, row.total)] {
                ws.write_number(r, c, v)?;
            }
            ws.write_string(r, 8, &row.band_vi)?;
            ws.write_string(r, 9, if row.appraised { "Có" } else { "Chưa" })?;
            ws.write_string(r, 10, &basis)?;
        }
    }
    wb.save_to_buffer()
}

/// `GET /xuat/bang-xep-hang.xlsx?ky=tong-ket-2022`: every board of a period,
/// for the district's desk readers.
pub async fn rankings_xlsx(State(db): State<Db>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let m =
        match crate::download_auth::require_for_movement(&db, &headers, &[Role::DistrictOfficer, Role::HealthOfficer], movement_asked(&q))
            .await
        {
            Ok((_, m)) => m,
            Err(no) => return no,
        };
    let now = time::OffsetDateTime::now_utc();
    let result = async {
        let period = period_asked(&db, &m, &q, now).await?;
        let boards = app::store::leaderboard::rankings(&db, &m, &period, now).await?;
        Ok::<_, app::store::StoreError>((period, boards))
    }
    .await;
    match result {
        Ok((period, boards)) => {
            let label = m.periods.iter().find(|p| p.code == period).map_or(period.as_str(), |p| p.label_vi.as_str());
            xlsx_response(rankings_workbook(&boards, label), &format!("bang-xep-hang-{period}.xlsx"))
        }
        Err(e) => store_failed(e),
    }
}

/// A built workbook as a download, or the error page.
fn xlsx_response(built: Result<Vec<u8>, XlsxError>, filename: &str) -> Response {
    match built {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "xlsx build failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error")
        }
    }
}

/// The list of nominations forwarded to the deciding level, with the
/// council's count for each, and the minutes of the sittings that passed
/// them (SPEC §5.7).
pub fn forwarded_workbook(
    list: &[app::store::nominations::Forwarded],
    minutes: &[app::api::council::Minutes],
) -> Result<Vec<u8>, XlsxError> {
    use app::domain::award::NomineeKind;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Danh sách đề nghị")?;
    let headers: Vec<String> = [
        "STT",
        "Họ tên / tên tập thể",
        "Đối tượng",
        "Năm sinh",
        "Giới tính",
        "Dân tộc",
        "Chức vụ",
        "Nơi công tác",
        "Đơn vị đề nghị",
        "Hình thức đề nghị",
        "Truy tặng",
        "Tóm tắt thành tích",
        "Đồng ý",
        "Không đồng ý",
        "Không biểu quyết",
        "Tổng số thành viên",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    write_headers(ws, &headers)?;
    for (i, f) in list.iter().enumerate() {
        let r = (i + 1) as u32;
        let b = &f.body;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &b.name)?;
        ws.write_string(r, 2, b.nominee_kind.label_vi())?;
        if let Some(y) = b.birth_year {
            ws.write_number(r, 3, y as f64)?;
        }
        if b.nominee_kind == NomineeKind::Individual {
            ws.write_string(
                r,
                4,
                match b.gender {
                    Some(app::domain::nomination::Gender::Female) => "Nữ",
                    Some(app::domain::nomination::Gender::Male) => "Nam",
                    None => "",
                },
            )?;
        }
        ws.write_string(r, 5, &b.ethnicity)?;
        ws.write_string(r, 6, &b.position)?;
        ws.write_string(r, 7, &b.workplace)?;
        ws.write_string(r, 8, &f.unit_name)?;
        ws.write_string(r, 9, &f.form_name)?;
        ws.write_string(r, 10, if b.posthumous { "Có" } else { "" })?;
        ws.write_string(r, 11, &b.summary)?;
        if let Some(t) = f.result.as_ref().map(|x| x.tally) {
            for (c, v) in [(12u16, t.approve), (13, t.reject), (14, t.abstain), (15, t.members)] {
                ws.write_number(r, c, v as f64)?;
            }
        }
    }
    for m in minutes {
        let name: String = format!("Biên bản {}", m.id).chars().take(31).collect();
        let ws = wb.add_worksheet().set_name(&name)?;
        ws.write_string(0, 0, "Biên bản họp Hội đồng Thi đua – Khen thưởng")?;
        ws.write_string(1, 0, &m.title)?;
        ws.write_string(2, 0, format!("Thành viên: {}", m.members.join(", ")))?;
        ws.write_string(3, 0, format!("Dự họp ({}/{}): {}", m.attended.len(), m.members.len(), m.attended.join(", ")))?;
        ws.write_string(4, 0, &m.rule_vi)?;
        let h: Vec<String> = ["Đối tượng", "Đơn vị", "Hình thức", "Đồng ý", "Không đồng ý", "Không biểu quyết", "Kết quả"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let f = header_format();
        for (c, t) in h.iter().enumerate() {
            ws.write_string_with_format(6, c as u16, t, &f)?;
        }
        for (i, row) in m.rows.iter().enumerate() {
            let r = 7 + i as u32;
            ws.write_string(r, 0, &row.name)?;
            ws.write_string(r, 1, &row.unit_name)?;
            ws.write_string(r, 2, &row.form_name)?;
            ws.write_number(r, 3, row.tally.approve as f64)?;
            ws.write_number(r, 4, row.tally.reject as f64)?;
            ws.write_number(r, 5, row.tally.abstain as f64)?;
            ws.write_string(r, 6, row.outcome.label_vi())?;
        }
    }
    wb.save_to_buffer()
}

/// `GET /xuat/trinh-cap-tren.xlsx`: the forwarded list and minutes (the officer).
pub async fn forwarded_xlsx(State(db): State<Db>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let m = match crate::download_auth::require_for_movement(&db, &headers, &[Role::DistrictOfficer], movement_asked(&q)).await {
        Ok((_, m)) => m,
        Err(no) => return no,
    };
    let result = app::store::nominations::forwarded(&db, &m).await;
    let built = match result {
        Ok((list, minutes)) => forwarded_workbook(&list, &minutes),
        Err(e) => {
            tracing::error!(error = %e, "forwarded list failed");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error");
        }
    };
    xlsx_response(built, "trinh-cap-tren.xlsx")
}
