//! Illustrative activity for the demo: five months of reports from the
//! district's units (some on time, some in the grace window, some late, a few
//! missing; older ones accepted or returned) and two difficulties, so the
//! desk, the consolidation and the boards show something on first run.
//! Đắk Xú and Bờ Y are left empty for people (and tests) to file their own.
//! Everything is marked `submitted_by = "demo"` and badged "minh họa".

use app::domain::indicator::IndicatorKind;
use app::domain::report::{IndicatorEntry, ReportBody, ScoreEntry};
use app::domain::sync::{ItemBody, PushItem};
use app::store::{movements, review, submissions, Db, StoreError};
use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time};

/// Units whose reports people file themselves in the demo.
pub const LEFT_EMPTY: [&str; 2] = ["x23389", "x23395"];
const MONTHS: usize = 5;

/// A small stable hash, so the demo is the same on every machine.
fn h(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |a, b| (a ^ b as u64).wrapping_mul(0x100000001b3))
}

fn at_vn(day: time::Date, hour: u8) -> OffsetDateTime {
    PrimitiveDateTime::new(day, Time::from_hms(hour, 0, 0).expect("hour")).assume_offset(app::domain::date::vn_offset())
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Loads the activity once (a second call finds it and does nothing).
pub async fn load(db: &Db) -> Result<(), StoreError> {
    let mut res = db.query("SELECT VALUE id FROM submission WHERE submitted_by = 'demo' LIMIT 1").await?;
    let any: Vec<serde_json::Value> = res.take(0)?;
    if !any.is_empty() {
        return Ok(());
    }
    let Some(m) = movements::current(db).await? else { return Ok(()) };
    let units = review::expected_units(db, &m, &m.organiser).await?;
    let months: Vec<_> = m.periods.iter().filter(|p| p.kind == app::domain::period::PeriodKind::Month).take(MONTHS).collect();
    let mut rows = Vec::new();
    for (k, p) in months.iter().enumerate() {
        for u in units.iter().filter(|u| !LEFT_EMPTY.contains(&u.id.as_str())) {
            let Some(cat) = u.category else { continue };
            let x = h(&format!("{}{}", u.id, p.code));
            let r = x % 100;
            if r < 8 {
                continue; // missing
            }
            let received = match r {
                0..=69 => at_vn(p.deadline, 9) - Duration::days((r % 5) as i64),
                70..=84 => at_vn(p.deadline, 10) + Duration::days(1 + (r % 3) as i64),
                _ => at_vn(p.deadline, 15) + Duration::days(5 + (r % 10) as i64),
            };
            let body = ReportBody {
                unit: u.id.clone(),
                period: p.code.clone(),
                scores: m
                    .definition
                    .criteria_for(cat)
                    .iter()
                    .map(|c| {
                        let share = 0.70 + ((x >> 8) % 30) as f64 / 100.0 + (c.no as u64 % 3) as f64 / 100.0;
                        ScoreEntry {
                            area: c.area.clone(),
                            points: Some(((c.max_points as f64 * share.min(1.0)) * 4.0).floor() / 4.0),
                            evidence: format!(
                                "Minh chứng minh họa: Kế hoạch số {}/KH-UBND, biên bản kiểm tra tháng {}.",
                                10 + x % 90,
                                p.label_vi
                            ),
                        }
                    })
                    .collect(),
                indicators: m
                    .definition
                    .indicators_for(cat)
                    .into_iter()
                    .map(|i| {
                        let y = h(&format!("{}{}", x, i.code));
                        match i.kind {
                            IndicatorKind::Ratio => {
                                let den = 800.0 + (y % 3_000) as f64;
                                let share = (0.55 + 0.07 * k as f64 + (y % 10) as f64 / 100.0).min(0.99);
                                IndicatorEntry {
                                    code: i.code.clone(),
                                    numerator: Some((den * share).floor()),
                                    denominator: Some(den),
                                    value: None,
                                }
                            }
                            IndicatorKind::Level => IndicatorEntry {
                                code: i.code.clone(),
                                value: Some(1.0 + (y % i.level_max.unwrap_or(4).min(3) as u64) as f64),
                                ..Default::default()
                            },
                            IndicatorKind::Money => {
                                IndicatorEntry { code: i.code.clone(), value: Some(((y % 50) * 1_000_000) as f64), ..Default::default() }
                            }
                            IndicatorKind::Count => {
                                // Deaths and cases stay rare; activities are counted in tens.
                                let v = match i.code.as_str() {
                                    "deaths" => y.is_multiple_of(9) as u64,
                                    "f0-community" | "under-treatment" => y % 5,
                                    "tests" => 50 + y % 400,
                                    _ => y % 25,
                                };
                                IndicatorEntry { code: i.code.clone(), value: Some(v as f64), ..Default::default() }
                            }
                        }
                    })
                    .collect(),
                achievements: "Báo cáo minh họa (dữ liệu mẫu của bản trình diễn).".into(),
                movement: Some(m.id.clone()),
                copied: Vec::new(),
                files: Vec::new(),
            };
            let item = PushItem { id: m.report_id(&u.id, &p.code), revision: 1, base: 0, body: ItemBody::Report(body.clone()) };
            // Older months are reviewed: most accepted, one in ten returned.
            let (status, comment) = if k + 2 < months.len() {
                if x.is_multiple_of(10) {
                    ("returned", Some("Đề nghị bổ sung minh chứng tiêu chí 5 (minh họa)."))
                } else {
                    ("accepted", None)
                }
            } else {
                ("submitted", None)
            };
            rows.push(serde_json::json!({
                "id": item.id, "unit": u.id, "period": p.code, "hash": submissions::content_hash(&item), "body": body,
                "status": status, "comment": comment, "at": rfc3339(received),
            }));
        }
    }
    let difficulties = [
        (
            "kk-demo-1",
            "x23377",
            "Thiếu sinh phẩm xét nghiệm nhanh",
            "Trạm y tế thị trấn còn khoảng 50 test nhanh, không đủ cho đợt xét nghiệm tại các khu dân cư (minh họa).",
            Some("Phòng Y tế đã điều chuyển thêm 500 test nhanh; nhận tại Trung tâm Y tế huyện (minh họa)."),
        ),
        (
            "kk-demo-2",
            "x23398",
            "Khó khăn liên lạc với thôn vùng biên",
            "Sóng điện thoại yếu, việc báo cáo hằng ngày từ các thôn thường chậm (minh họa).",
            None,
        ),
    ];
    let diffs: Vec<serde_json::Value> = difficulties
        .iter()
        .filter(|d| units.iter().any(|u| u.id == d.1))
        .map(|(id, unit, title, details, answer)| {
            serde_json::json!({ "id": id, "unit": unit, "body": { "unit": unit, "title": title, "details": details }, "answer": answer })
        })
        .collect();
    db.query(
        "BEGIN TRANSACTION;
        FOR $r IN $rows {
            CREATE type::record('submission', $r.id) CONTENT {
                kind: 'report', movement: $movement, unit: type::record('unit', $r.unit), period: $r.period, revision: 1, base: 0, device: 'demo',
                hash: $r.hash, body: $r.body, status: $r.status, return_comment: $r.comment ?? NONE, submitted_by: 'demo',
                first_received_at: type::datetime($r.at), received_at: type::datetime($r.at), updated_at: time::now()
            };
            CREATE submission_rev CONTENT { sub: $r.id, revision: 1, hash: $r.hash, device: 'demo', received_at: type::datetime($r.at) };
        };
        FOR $d IN $diffs {
            CREATE type::record('submission', $d.id) CONTENT {
                kind: 'difficulty', movement: $movement, unit: type::record('unit', $d.unit), revision: 1, base: 0, device: 'demo',
                hash: string::repeat('0', 64), body: $d.body, status: IF $d.answer { 'accepted' } ELSE { 'submitted' },
                answer: $d.answer ?? NONE, submitted_by: 'demo',
                first_received_at: time::now(), received_at: time::now(), updated_at: time::now()
            };
        };
        COMMIT TRANSACTION;",
    )
    .bind(("rows", rows))
    .bind(("diffs", diffs))
    .bind(("movement", surrealdb::types::RecordId::new("movement", m.id.as_str())))
    .await?
    .check()?;
    tracing::info!("Ngọc Hồi demo activity loaded");
    Ok(())
}
