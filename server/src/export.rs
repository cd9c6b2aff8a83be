//! The consolidated report as an XLSX workbook (SPEC §5.4): a sheet per
//! table, Vietnamese headers, numbers stored as numbers and totals as values
//! (no formulas, so any reader shows the same figures as the page).

use app::api::consolidation::ConsolidationView;
use app::api::review::Desk;
use app::domain::auth::Role;
use app::domain::indicator::IndicatorKind;
use app::domain::rollup::Cell;
use app::store::{accounts, consolidation, movements, review, Db};
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

fn write_cells(ws: &mut Worksheet, row: u32, view: &ConsolidationView, cells: &[Cell], int: &Format, pct: &Format) -> Result<(), XlsxError> {
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
    let heads: Vec<String> = ["Nhóm", "Tên", "Phải báo cáo", "Đúng hạn", "Trong gia hạn", "Trễ hạn", "Chưa nộp (quá hạn)", "Chưa đến hạn", "Tỷ lệ báo cáo (%)", "Tỷ lệ đúng hạn (%)"]
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

    let heads = indicator_headers(view);
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
        }
    }
    wb.save_to_buffer()
}

fn refuse(status: StatusCode, msg: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], msg.to_string()).into_response()
}

/// `GET /xuat/tong-hop.xlsx?ky=2021-10`: for the district officer and the
/// health officer, by their session cookie.
pub async fn consolidated_xlsx(State(db): State<Db>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let account = match app::api::auth::guard::token_in(&headers) {
        Some(t) => accounts::session_account(&db, &t).await.ok().flatten(),
        None => None,
    };
    let Some(me) = account else { return refuse(StatusCode::UNAUTHORIZED, "Cần đăng nhập. / Please sign in.") };
    if !matches!(me.role, Role::DistrictOfficer | Role::HealthOfficer) {
        return refuse(StatusCode::FORBIDDEN, "Tài khoản không có quyền này. / Not allowed for this account.");
    }
    let result = async {
        let m = movements::current(&db).await?.ok_or_else(|| app::store::StoreError::NotFound("movement".into()))?;
        let period = match q.get("ky").filter(|k| !k.is_empty()) {
            Some(k) => k.clone(),
            None => review::latest_period(&db, &m).await?,
        };
        let view = consolidation::consolidate(&db, &m, &m.organiser, &period, true).await?;
        let desk = review::period_desk(&db, &m, &m.organiser, &period, time::OffsetDateTime::now_utc()).await?;
        Ok::<_, app::store::StoreError>((period, view, desk))
    }
    .await;
    let (period, view, desk) = match result {
        Ok(x) => x,
        Err(app::store::StoreError::NotFound(what)) => return refuse(StatusCode::NOT_FOUND, &format!("Không tìm thấy / not found: {what}")),
        Err(e) => {
            tracing::error!(error = %e, "xlsx export failed");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ / server error");
        }
    };
    match workbook(&view, &desk) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"tong-hop-{period}.xlsx\"")),
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
