//! The district's desk through the real endpoints: return and accept reach
//! the unit through sync, appraisal keeps the self-score, the difficulty
//! answer reaches the unit, late classification on stored reports, roll-ups
//! over real reports, and the XLSX read back by a reader crate.
mod common;
use app::api::consolidation::Consolidated;
use app::api::review::{Desk, Inbox, ReportReview};
use app::domain::auth::Role;
use app::domain::difficulty::DifficultyBody;
use app::domain::report::{IndicatorEntry, ReportBody, ScoreEntry};
use app::domain::review::Timeliness;
use app::domain::rollup::GroupBy;
use app::domain::sync::*;
use common::call;
use common::report_id;

struct Setup {
    db: app::store::Db,
    app: axum::Router,
    officer: String,
}

async fn setup() -> Setup {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    Setup { db, app, officer }
}

impl Setup {
    async fn reporter(&self, username: &str, unit: &str) -> String {
        common::session_cookie(&self.db, username, Role::UnitReporter, unit).await
    }

    async fn push(&self, cookie: &str, items: Vec<PushItem>) -> PushReply {
        let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-1".into(), items };
        let (status, text) = call(&self.app, cookie, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn pull(&self, cookie: &str) -> PullReply {
        let (status, text) = call(&self.app, cookie, "/api/sync/pull", r#"{"since":""}"#).await;
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn ok<T: serde::de::DeserializeOwned>(&self, cookie: &str, path: &str, body: &str) -> T {
        let (status, text) = call(&self.app, cookie, path, body).await;
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
    }
}

fn report(unit: &str, period: &str, vac: (f64, f64), f0: f64, level: f64) -> PushItem {
    let body = ReportBody {
        files: Vec::new(),
        unit: unit.into(),
        period: period.into(),
        scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(18.0), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
        indicators: vec![
            IndicatorEntry { code: "vac-18-dose1".into(), numerator: Some(vac.0), denominator: Some(vac.1), value: None },
            IndicatorEntry { code: "f0-community".into(), value: Some(f0), ..Default::default() },
            IndicatorEntry { code: "epidemic-level".into(), value: Some(level), ..Default::default() },
        ],
        achievements: "Hoàn thành tiêm chủng".into(),
        movement: None,
        copied: Vec::new(),
    };
    PushItem { id: report_id(unit, period), revision: 1, base: 0, body: ItemBody::Report(body) }
}

fn stored(a: &Ack) {
    assert!(matches!(a.outcome, Outcome::Stored { .. }), "{a:?}");
}

#[tokio::test]
async fn return_and_accept_reach_the_unit_through_sync_and_appraisal_keeps_the_self_score() {
    let s = setup().await;
    let dakxu = s.reporter("dakxu", "x23389").await;
    let mut item = report("x23389", "2021-10", (900.0, 1000.0), 3.0, 2.0);
    stored(&s.push(&dakxu, vec![item.clone()]).await.acks[0]);
    let id = item.id.clone();

    // Appraise criterion 1 down from 18 to 16.5, with a reason.
    let a: app::domain::review::Appraisal =
        s.ok(&s.officer, "/api/review/appraise", &format!("id={id}&area=chi-dao&points=16.5&reason=Thiếu+biên+bản+họp")).await;
    assert_eq!((a.points, a.by.as_str()), (16.5, "noivu"));
    // Out of range and without a reason: refused, naming the field.
    let (_, text) = call(&s.app, &s.officer, "/api/review/appraise", &format!("id={id}&area=chi-dao&points=25&reason=x")).await;
    assert!(text.contains("appraisal.chi-dao.points"), "{text}");
    let (_, text) = call(&s.app, &s.officer, "/api/review/appraise", &format!("id={id}&area=chi-dao&points=10&reason=")).await;
    assert!(text.contains("appraisal.chi-dao.reason"), "{text}");

    // Return without a comment is refused; with one it reaches the phone.
    let (_, text) = call(&s.app, &s.officer, "/api/review/decide", &format!("id={id}&decision=return&comment=")).await;
    assert!(text.contains("comment"), "{text}");
    let _: ReviewStatus =
        s.ok(&s.officer, "/api/review/decide", &format!("id={id}&decision=return&comment=Bổ+sung+số+liệu+tiêm+chủng")).await;
    let pulled = s.pull(&dakxu).await;
    let mine = pulled.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(mine.status, ReviewStatus::Returned);
    assert_eq!(mine.return_comment.as_deref(), Some("Bổ sung số liệu tiêm chủng"));
    // A returned report cannot be accepted until the unit resubmits.
    let (_, text) = call(&s.app, &s.officer, "/api/review/decide", &format!("id={id}&decision=accept&comment=")).await;
    assert!(text.contains("chờ đơn vị sửa"), "{text}");

    // The unit resubmits on the returned revision: waiting for review again.
    item.revision = 2;
    item.base = 1;
    stored(&s.push(&dakxu, vec![item.clone()]).await.acks[0]);
    let r: ReportReview = s.ok(&s.officer, "/api/review/report", &format!("id={id}")).await;
    assert_eq!(r.status, ReviewStatus::Submitted);
    assert_eq!(r.body.scores[0].points, Some(18.0), "the self-score stays as sent");
    assert_eq!(r.appraisal[0].points, 16.5, "the appraisal survives the resubmission");
    assert!(r.can_write);

    let _: ReviewStatus = s.ok(&s.officer, "/api/review/decide", &format!("id={id}&decision=accept&comment=")).await;
    let pulled = s.pull(&dakxu).await;
    assert_eq!(pulled.items.iter().find(|i| i.id == id).unwrap().status, ReviewStatus::Accepted);

    // Every action is in the audit log.
    let mut res =
        s.db.query("SELECT VALUE action FROM audit WHERE subject = $s ORDER BY at").bind(("s", format!("submission:{id}"))).await.unwrap();
    let actions: Vec<String> = res.take(0).unwrap();
    for a in ["submission.appraise", "submission.returned", "submission.accepted"] {
        assert!(actions.iter().any(|x| x == a), "{a} missing from {actions:?}");
    }
}

#[tokio::test]
async fn a_difficulty_answer_reaches_the_unit() {
    let s = setup().await;
    let boy = s.reporter("boy", "x23395").await;
    let d = DifficultyBody {
        unit: "x23395".into(),
        title: "Thiếu sinh phẩm xét nghiệm".into(),
        details: "Trạm y tế còn 20 test nhanh.".into(),
    };
    let id = "kk-boy-1".to_string();
    stored(&s.push(&boy, vec![PushItem { id: id.clone(), revision: 1, base: 0, body: ItemBody::Difficulty(d) }]).await.acks[0]);
    let inbox: Inbox = s.ok(&s.officer, "/api/review/difficulties", "").await;
    assert_eq!(inbox.rows.len(), 1);
    assert_eq!(inbox.rows[0].unit_name, "Xã Bờ Y");
    assert!(inbox.rows[0].answer.is_none());
    let _: () = s.ok(&s.officer, "/api/review/answer", &format!("id={id}&answer=Phòng+Y+tế+cấp+thêm+200+test")).await;
    let pulled = s.pull(&boy).await;
    let mine = pulled.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(mine.answer.as_deref(), Some("Phòng Y tế cấp thêm 200 test"));
    assert_eq!(mine.status, ReviewStatus::Accepted);
    // The health officer reads the inbox but cannot answer.
    let health = common::session_cookie(&s.db, "yte", Role::HealthOfficer, "d611").await;
    let inbox: Inbox = s.ok(&health, "/api/review/difficulties", "").await;
    assert!(!inbox.can_write);
    let (_, text) = call(&s.app, &health, "/api/review/answer", &format!("id={id}&answer=x")).await;
    assert!(text.contains("Tài khoản không có quyền này"), "{text}");
}

#[tokio::test]
async fn another_districts_officer_cannot_decide() {
    let s = setup().await;
    let dakxu = s.reporter("dakxu", "x23389").await;
    stored(&s.push(&dakxu, vec![report("x23389", "2021-10", (1.0, 2.0), 0.0, 1.0)]).await.acks[0]);
    // Đắk Tô (d612?) — any other district of the catalogue.
    let mut res =
        s.db.query("SELECT VALUE record::id(id) FROM unit WHERE kind = 'district' AND record::id(id) != 'd611' LIMIT 1").await.unwrap();
    let other: Option<String> = res.take(0).unwrap();
    let other = common::session_cookie(&s.db, "khac", Role::DistrictOfficer, &other.unwrap()).await;
    let (_, text) =
        call(&s.app, &other, "/api/review/decide", &format!("id={}&decision=accept&comment=", report_id("x23389", "2021-10"))).await;
    assert!(text.contains("Tài khoản không có quyền này"), "{text}");
}

/// Sets when a report first arrived, as if it had come then.
async fn arrived(db: &app::store::Db, id: &str, at: &str) {
    db.query("UPDATE type::record('submission', $id) SET first_received_at = type::datetime($at)")
        .bind(("id", id.to_string()))
        .bind(("at", at.to_string()))
        .await
        .unwrap()
        .check()
        .unwrap();
}

#[tokio::test]
async fn late_classification_and_rates_on_stored_reports() {
    let s = setup().await;
    // Deadline of 2021-10 is 05/11/2021 (end of day, Vietnam), grace 3 days.
    let plan = [
        ("x23377", "xa1", "2021-11-05T23:59:00+07:00", Timeliness::OnTime),
        ("x23386", "xb1", "2021-11-06T00:00:00+07:00", Timeliness::InGrace),
        ("x23392", "xc1", "2021-11-08T23:59:59+07:00", Timeliness::InGrace),
        ("x23389", "xd1", "2021-11-09T00:00:00+07:00", Timeliness::Late),
    ];
    for (unit, user, at, _) in plan {
        let c = s.reporter(user, unit).await;
        stored(&s.push(&c, vec![report(unit, "2021-10", (1.0, 2.0), 0.0, 1.0)]).await.acks[0]);
        arrived(&s.db, &report_id(unit, "2021-10"), at).await;
    }
    let desk: Desk = s.ok(&s.officer, "/api/review/desk", "period=2021-10").await;
    for (unit, _, _, want) in plan {
        assert_eq!(desk.rows.iter().find(|r| r.unit == unit).unwrap().timeliness, want, "{unit}");
    }
    // Cluster 1 is exactly those four communes.
    let c1 = desk.rates.iter().find(|r| r.key == "nh-cum-1").unwrap();
    assert_eq!((c1.rates.expected, c1.rates.on_time, c1.rates.in_grace, c1.rates.late, c1.rates.missing), (4, 1, 2, 1, 0));
    assert_eq!(c1.rates.reporting_rate(), Some(100.0));
    assert_eq!(c1.rates.on_time_rate(), Some(75.0));
    // Cluster 2 sent nothing, and its deadline has long passed.
    let c2 = desk.rates.iter().find(|r| r.key == "nh-cum-2").unwrap();
    assert_eq!((c2.rates.expected, c2.rates.missing), (4, 4));
    let total = desk.rates.iter().find(|r| r.by == GroupBy::Total).unwrap();
    assert_eq!(total.rates.submitted(), 4);
    assert_eq!(total.rates.expected as usize, desk.rows.len());
    let communes = desk.rates.iter().find(|r| r.by == GroupBy::Category && r.key == "commune").unwrap();
    let in_category = desk.rows.iter().filter(|r| r.category == Some(app::domain::unit::ParticipantCategory::Commune)).count() as u32;
    assert_eq!((communes.rates.expected, communes.rates.submitted()), (in_category, 4));
    assert_eq!(desk.deadline, "05/11/2021");
}

/// Four communes of cluster 1: a big one at 90 %, a small one at 10 %; the
/// district's coverage is 910/1100, not the 50 % an average of percentages
/// gives. One report is returned and left out.
async fn four_reports(s: &Setup) {
    let rows = [
        ("x23377", "xa1", (900.0, 1000.0), 3.0, 2.0),
        ("x23386", "xb1", (10.0, 100.0), 1.0, 3.0),
        ("x23395", "xc1", (50.0, 50.0), 0.0, 1.0),
        ("x23392", "xd1", (1.0, 1.0), 7.0, 4.0),
    ];
    for (unit, user, vac, f0, lvl) in rows {
        let c = s.reporter(user, unit).await;
        stored(&s.push(&c, vec![report(unit, "2021-11", vac, f0, lvl)]).await.acks[0]);
    }
    app::store::review::decide(&s.db, &report_id("x23392", "2021-11"), app::domain::review::Decision::Return, "Sai số liệu", "noivu")
        .await
        .unwrap();
}

#[tokio::test]
async fn consolidation_rolls_up_by_each_indicators_rule() {
    let s = setup().await;
    four_reports(&s).await;
    let page: Consolidated = s.ok(&s.officer, "/api/consolidation/page", "period=2021-11").await;
    let v = &page.view;
    assert_eq!(v.reports, 3, "the returned report is left out");
    let k = |code: &str| v.indicators.iter().position(|i| i.code == code).unwrap();
    let total = &v.tables.iter().find(|t| t.by == GroupBy::Total).unwrap().rows[0];
    let vac = &total.cells[k("vac-18-dose1")];
    assert_eq!((vac.numerator, vac.denominator), (Some(960.0), Some(1150.0)));
    let pct = vac.shown(app::domain::indicator::IndicatorKind::Ratio).unwrap();
    assert!((pct - 83.478).abs() < 0.01, "{pct}");
    assert_eq!(total.cells[k("f0-community")].value, Some(4.0));
    assert_eq!(total.cells[k("epidemic-level")].value, Some(3.0), "the highest level");
    // Cluster 1 holds x23377 and x23386 (x23392 returned): 910/1100.
    let c1 = v.tables.iter().find(|t| t.by == GroupBy::Cluster).unwrap().rows.iter().find(|r| r.key == "nh-cum-1").unwrap();
    assert_eq!((c1.cells[k("vac-18-dose1")].numerator, c1.cells[k("vac-18-dose1")].denominator), (Some(910.0), Some(1100.0)));
    // The trend has a point per month up to the period, the figures in it.
    assert_eq!(page.trend.len(), 2);
    assert_eq!(page.trend[1].cells[k("f0-community")].value, Some(4.0));
    assert_eq!(page.trend[0].cells[k("f0-community")].value, None);
}

#[tokio::test]
async fn the_xlsx_reads_back_with_the_pages_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let s = setup().await;
    four_reports(&s).await;
    let page: Consolidated = s.ok(&s.officer, "/api/consolidation/page", "period=2021-11").await;
    let v = &page.view;

    let res = tower::ServiceExt::oneshot(
        s.app.clone(),
        axum::http::Request::get("/xuat/tong-hop.xlsx?ky=2021-11").header("cookie", &s.officer).body(axum::body::Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    for want in ["Tỷ lệ báo cáo", "Tình hình nộp", "Theo đơn vị", "Theo cụm, khối thi đua", "Theo nhóm đối tượng", "Toàn địa bàn"]
    {
        assert!(names.iter().any(|n| n == want), "sheet {want} in {names:?}");
    }
    let total = wb.worksheet_range("Toàn địa bàn").unwrap();
    let header: Vec<String> = total.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "Mã");
    assert!(header.iter().any(|h| h.starts_with("Tỷ lệ tiêm vắc xin mũi 1")), "Vietnamese headers: {header:?}");
    let row: Vec<Data> = total.rows().nth(1).unwrap().to_vec();
    // Every figure on the page is the same number in the sheet, stored as a number.
    let trow = &v.tables.iter().find(|t| t.by == GroupBy::Total).unwrap().rows[0];
    let mut col = 3;
    for (i, c) in v.indicators.iter().zip(&trow.cells) {
        let want: Vec<Option<f64>> = match i.kind {
            app::domain::indicator::IndicatorKind::Ratio => {
                vec![c.numerator, c.denominator, c.shown(i.kind).map(|p| (p * 100.0).round() / 100.0)]
            }
            _ => vec![c.value],
        };
        for w in want {
            match (&row.get(col).cloned().unwrap_or(Data::Empty), w) {
                (Data::Float(x), Some(w)) => assert!((x - w).abs() < 1e-9, "{} col {col}: {x} vs {w}", i.code),
                (Data::Empty, None) => {}
                (got, w) => panic!("{} col {col}: {got:?} vs {w:?}", i.code),
            }
            col += 1;
        }
    }
    // Reporting rates: the district row holds the counts as numbers.
    let rates = wb.worksheet_range("Tỷ lệ báo cáo").unwrap();
    let last = rates.rows().next_back().unwrap();
    assert_eq!(last[0].to_string(), "Toàn địa bàn");
    assert_eq!(last[5], Data::Float(4.0), "late: all four came today, years after the deadline");

    // Anonymous and reporters get no workbook.
    let anon =
        tower::ServiceExt::oneshot(s.app.clone(), axum::http::Request::get("/xuat/tong-hop.xlsx").body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
    assert_eq!(anon.status(), 401);
    let rep = s.reporter("xem", "x23389").await;
    let r = tower::ServiceExt::oneshot(
        s.app.clone(),
        axum::http::Request::get("/xuat/tong-hop.xlsx").header("cookie", rep).body(axum::body::Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 403);
}

/// A stored appraisal line that no longer decodes is an error on the review
/// page, not a line silently missing from it (the officer would otherwise
/// see the unit's self-score where the district had appraised it).
#[tokio::test]
async fn an_appraisal_that_does_not_decode_is_an_error_not_a_missing_line() {
    let s = setup().await;
    let dakxu = s.reporter("dakxu", "x23389").await;
    let item = report("x23389", "2021-10", (900.0, 1000.0), 3.0, 2.0);
    stored(&s.push(&dakxu, vec![item.clone()]).await.acks[0]);
    let _: app::domain::review::Appraisal =
        s.ok(&s.officer, "/api/review/appraise", &format!("id={}&area=chi-dao&points=16.5&reason=Thiếu+biên+bản", item.id)).await;
    let m = app::store::movements::current(&s.db).await.unwrap().unwrap();
    let now = time::OffsetDateTime::now_utc();
    let r = app::store::review::report(&s.db, &m, &item.id, now).await.unwrap().unwrap();
    assert_eq!(r.appraisal.len(), 1);

    s.db.query("UPDATE type::record('submission', $id) SET appraisal['chi-dao'].points = 'mười sáu'")
        .bind(("id", item.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    match app::store::review::report(&s.db, &m, &item.id, now).await {
        Err(app::store::StoreError::Decode(_)) => {}
        other => panic!("expected a decode error, got {:?} (appraisal lines)", other.map(|r| r.map(|r| r.appraisal.len()))),
    }
}

/// After Quảng Ngãi's two-level catalogue and the mapping are imported, the
/// October 2021 consolidation reads exactly as before, and "as today's
/// units" sums Plei Kần, Đắk Xú and Bờ Y into today's Xã Bờ Y.
#[tokio::test]
async fn october_2021_as_todays_units_sums_three_old_communes_into_bo_y() {
    let s = setup().await;
    let rows = [
        ("x23377", "pk1", (100.0, 200.0), 1.0, 1.0),
        ("x23389", "dx1", (30.0, 60.0), 2.0, 3.0),
        ("x23395", "by1", (5.0, 10.0), 0.0, 2.0),
        ("x23386", "dn1", (40.0, 50.0), 1.0, 1.0),
    ];
    for (unit, user, vac, f0, lvl) in rows {
        let c = s.reporter(user, unit).await;
        stored(&s.push(&c, vec![report(unit, "2021-10", vac, f0, lvl)]).await.acks[0]);
    }
    // The demo holds today's units and the mapping: take them out to read the
    // store as it was before the reform's data came in, then put them back.
    s.db.query("DELETE unit_succession; DELETE unit WHERE valid_from != NONE; UPDATE unit SET valid_to = NONE;")
        .await
        .unwrap()
        .check()
        .unwrap();
    let before: Consolidated = s.ok(&s.officer, "/api/consolidation/page", "period=2021-10").await;
    assert!(!before.view.has_successors);
    let may = app::domain::catalogue::two_level_since();
    server::import::import_dated(&s.db, server::demo::QUANG_NGAI_2025, "qn", None, None, None).await.unwrap();
    app::store::succession::import(&s.db, server::demo::KON_TUM_TO_2025, may, None, None, true).await.unwrap();

    let after: Consolidated = s.ok(&s.officer, "/api/consolidation/page", "period=2021-10").await;
    assert_eq!(after.view.tables, before.view.tables, "the 2021 movement reads exactly as before");
    assert_eq!((after.view.expected, after.view.reports), (before.view.expected, before.view.reports));
    assert!(after.view.has_successors && !after.view.as_today);

    let today: Consolidated = s.ok(&s.officer, "/api/consolidation/page", "period=2021-10&as_today=true").await;
    let v = &today.view;
    assert!(v.as_today);
    let k = |code: &str| v.indicators.iter().position(|i| i.code == code).unwrap();
    let units = &v.tables.iter().find(|t| t.by == GroupBy::Unit).unwrap().rows;
    let bo_y = units.iter().find(|r| r.key == "x23377-2025").expect("today's Xã Bờ Y has a row");
    assert_eq!((bo_y.name.as_str(), bo_y.reports), ("Xã Bờ Y", 3));
    let vac = &bo_y.cells[k("vac-18-dose1")];
    assert_eq!((vac.numerator, vac.denominator), (Some(135.0), Some(270.0)));
    assert_eq!(bo_y.cells[k("f0-community")].value, Some(3.0));
    assert_eq!(bo_y.cells[k("epidemic-level")].value, Some(3.0));
    assert!(units.iter().all(|r| !["x23377", "x23389", "x23395"].contains(&r.key.as_str())), "old units are not counted again");
    let duc_nong = units.iter().find(|r| r.name == "Xã Dục Nông").expect("Đắk Nông's successor");
    assert_eq!(duc_nong.reports, 1);
    let total = |c: &Consolidated| c.view.tables.iter().find(|t| t.by == GroupBy::Total).unwrap().rows[0].clone();
    assert_eq!(total(&today), total(&before), "the whole area's figures do not change");
    assert_eq!(units.iter().map(|r| r.reports).sum::<u32>(), 4);
}
