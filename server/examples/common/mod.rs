//! Helpers the benchmark examples share: a realistic report, a raw HTTP
//! push, gzip, percentiles and the process's memory.
#![allow(dead_code)]
use app::domain::report::{IndicatorEntry, ReportBody, ReportForm, ScoreEntry};
use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// A full monthly report of a commune, with the kind of text officials write.
pub fn report(form: &ReportForm, period: &str, n: usize) -> ReportBody {
    ReportBody {
        files: Vec::new(),
        unit: form.unit.clone(),
        period: period.into(),
        scores: form
            .criteria
            .iter()
            .map(|c| ScoreEntry {
                area: c.area.clone(),
                points: Some((c.max_points as f64 * 0.85).floor()),
                evidence: format!("Kế hoạch số {}/KH-UBND ngày 05/10/2021; biên bản kiểm tra thôn {}.", 100 + n, c.no),
            })
            .collect(),
        indicators: form
            .indicators
            .iter()
            .map(|i| match i.kind {
                app::domain::indicator::IndicatorKind::Ratio => {
                    IndicatorEntry { code: i.code.clone(), numerator: Some(1830.0), denominator: Some(2011.0), value: None }
                }
                app::domain::indicator::IndicatorKind::Level => {
                    IndicatorEntry { code: i.code.clone(), value: Some(2.0), ..Default::default() }
                }
                _ => IndicatorEntry { code: i.code.clone(), value: Some(37.0 + n as f64), ..Default::default() },
            })
            .collect(),
        achievements: "Tổ chức tiêm chủng lưu động tại 6/6 thôn, hoàn thành 91% mũi 1 cho người từ 18 tuổi; \
                       duy trì 12 tổ COVID cộng đồng; hỗ trợ 45 hộ khó khăn bị ảnh hưởng bởi dịch."
            .into(),
        movement: Some(form.movement.clone()),
        copied: Vec::new(),
    }
}

/// A plain report for bulk-loaded benchmarks: 80 % of each criterion, ratios
/// and levels varied by `seed`, so roll-ups and ranks have work to do.
pub fn seeded_report(
    movement: &str,
    unit: &str,
    period: &str,
    criteria: &[app::domain::movement::Criterion],
    indicators: &[app::domain::indicator::Indicator],
    seed: f64,
) -> ReportBody {
    use app::domain::indicator::IndicatorKind;
    ReportBody {
        files: Vec::new(),
        unit: unit.to_string(),
        period: period.to_string(),
        scores: criteria
            .iter()
            .map(|c| ScoreEntry {
                area: c.area.clone(),
                points: Some((c.max_points as f64 * 0.8).floor()),
                evidence: "Kế hoạch số 12/KH-UBND".into(),
            })
            .collect(),
        indicators: indicators
            .iter()
            .map(|i| match i.kind {
                IndicatorKind::Ratio => IndicatorEntry {
                    code: i.code.clone(),
                    numerator: Some(1500.0 + seed),
                    denominator: Some(2000.0 + 2.0 * seed),
                    value: None,
                },
                IndicatorKind::Level => {
                    IndicatorEntry { code: i.code.clone(), value: Some(1.0 + (seed as u64 % 4) as f64), ..Default::default() }
                }
                _ => IndicatorEntry { code: i.code.clone(), value: Some(seed), ..Default::default() },
            })
            .collect(),
        achievements: "Duy trì trạng thái bình thường mới.".into(),
        movement: Some(movement.to_string()),
        copied: Vec::new(),
    }
}

/// POSTs a gzip JSON push to `/api/sync/push` on a fresh connection, as a phone does.
pub async fn post(addr: std::net::SocketAddr, cookie: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/sync/push HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n\
         Accept: application/json\r\nCookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let status = std::str::from_utf8(&out[9..12]).unwrap().parse().unwrap();
    (status, out)
}

/// This process's resident memory now and at its peak, in MB.
pub fn rss_mb() -> (f64, f64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |k: &str| {
        s.lines().find(|l| l.starts_with(k)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

/// The `p`-th percentile (0–100) of some durations, in ms.
pub fn percentile_ms(v: &[Duration], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort();
    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[i].as_secs_f64() * 1e3
}

/// Makes the demo's movement the province's (Kon Tum, `p62`), so every
/// commune of it files for it: the benchmarks' phones are the province's
/// communes, and a unit files only for its own organisers' movements.
pub async fn province_wide(db: &app::store::Db) {
    db.query("UPDATE movement SET organiser = unit:p62").await.unwrap().check().unwrap();
}
