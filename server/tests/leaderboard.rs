//! Cluster leaderboards through the real endpoint: appraisal over the
//! self-score, the late/missing deduction, bands with per-criterion
//! minimums, shared ranks, the change since last month, and who may read
//! which board.
mod common;
use app::api::leaderboard::Board;
use app::domain::auth::Role;
use app::domain::report::{ReportBody, ScoreEntry};
use app::domain::sync::*;
use common::call;
use common::report_id;

async fn push_report(db: &app::store::Db, app: &axum::Router, cookie: &str, unit: &str, period: &str, share: f64) {
    let form = app::store::submissions::form_for(db, unit).await.unwrap().unwrap();
    let body = ReportBody {
        files: Vec::new(),
        unit: unit.into(),
        period: period.into(),
        scores: form
            .criteria
            .iter()
            .map(|c| ScoreEntry {
                area: c.area.clone(), points: Some(c.max_points as f64 * share), evidence: "Biên bản kiểm tra".into()
            })
            .collect(),
        indicators: vec![],
        achievements: String::new(),
        movement: None,
        copied: Vec::new(),
    };
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone-1".into(),
        items: vec![PushItem { id: report_id(unit, period), revision: 1, base: 0, body: ItemBody::Report(body) }],
    };
    let (status, text) = call(app, cookie, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"result\":\"stored\""), "{text}");
}

#[tokio::test]
async fn ranks_follow_appraised_scores_deductions_and_bands() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let mut cookies = std::collections::HashMap::new();
    for (user, unit) in [("pleikan", "x23377"), ("daknong", "x23386"), ("dakkan", "x23392"), ("dakxu", "x23389")] {
        cookies.insert(unit, common::session_cookie(&db, user, Role::UnitReporter, unit).await);
    }
    // October: Plei Kần 90 %, Đắk Nông 80 %, Đắk Kan 95 % but appraised down
    // on criterion 1 (19 → 10); Đắk Xú files nothing.
    push_report(&db, &app, &cookies["x23377"], "x23377", "2021-10", 0.9).await;
    push_report(&db, &app, &cookies["x23386"], "x23386", "2021-10", 0.8).await;
    push_report(&db, &app, &cookies["x23392"], "x23392", "2021-10", 0.95).await;
    let (status, text) = call(
        &app,
        &officer,
        "/api/review/appraise",
        &format!("id={}&area=chi-dao&points=10&reason=Thiếu+minh+chứng", report_id("x23392", "2021-10")),
    )
    .await;
    assert_eq!(status, 200, "{text}");

    let (status, text) = call(&app, &officer, "/api/leaderboard/board", "cluster=nh-cum-1&period=2021-10").await;
    assert_eq!(status, 200, "{text}");
    let b: Board = serde_json::from_str(&text).unwrap();
    let order: Vec<(&str, u32, f64)> = b.rows.iter().map(|r| (r.unit.as_str(), r.rank, r.total)).collect();
    // Every report came years after its deadline: −2 each, as does the missing one.
    assert_eq!(order, vec![("x23377", 1, 88.0), ("x23392", 2, 84.0), ("x23386", 3, 78.0), ("x23389", 4, -2.0)]);
    let row = |u: &str| b.rows.iter().find(|r| r.unit == u).unwrap();
    assert_eq!(row("x23377").band_vi, "Tốt", "88 and every criterion at 90 %: not Xuất sắc (needs 90)");
    assert_eq!(row("x23392").band_vi, "Chưa hoàn thành", "criterion 1 at 50 % sinks the band despite 84 points");
    assert_eq!(row("x23386").band_vi, "Hoàn thành");
    assert!(!row("x23392").appraised, "only one criterion appraised: still marked self-scored");
    assert!(row("x23392").lost.iter().any(|l| (l.points - 10.0).abs() < 1e-9), "{:?}", row("x23392").lost);
    assert!(b.tie_break_vi.contains("ít điểm trừ hơn"));
    assert!(b.rows.iter().all(|r| r.change.is_none()), "October is the first month");

    // November: Đắk Nông moves up to first; the two that file nothing share a rank.
    push_report(&db, &app, &cookies["x23386"], "x23386", "2021-11", 1.0).await;
    push_report(&db, &app, &cookies["x23377"], "x23377", "2021-11", 0.9).await;
    let (_, text) = call(&app, &officer, "/api/leaderboard/board", "cluster=nh-cum-1&period=2021-11").await;
    let b: Board = serde_json::from_str(&text).unwrap();
    let got: Vec<(&str, u32, Option<i64>)> = b.rows.iter().map(|r| (r.unit.as_str(), r.rank, r.change)).collect();
    assert_eq!(got, vec![("x23386", 1, Some(2)), ("x23377", 2, Some(-1)), ("x23389", 3, Some(1)), ("x23392", 3, Some(-1))]);

    // A commune reads its own cluster's board, not another's.
    let boy = common::session_cookie(&db, "boy", Role::UnitReporter, "x23395").await;
    let (_, text) = call(&app, &boy, "/api/leaderboard/board", "cluster=nh-cum-1&period=2021-10").await;
    assert!(text.contains("Tài khoản không có quyền này"), "{text}");
    let (status, text) = call(&app, &boy, "/api/leaderboard/board", "cluster=&period=").await;
    assert_eq!(status, 200, "{text}");
    let b: Board = serde_json::from_str(&text).unwrap();
    assert_eq!(b.cluster, "nh-cum-2");
    assert_eq!(b.clusters.len(), 1);
}

#[tokio::test]
async fn bonus_and_deductions_count_within_their_caps() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let reporter = common::session_cookie(&db, "pleikan", Role::UnitReporter, "x23377").await;
    push_report(&db, &app, &reporter, "x23377", "2021-10", 0.9).await;
    let id = report_id("x23377", "2021-10");
    let total = || async {
        let (_, text) = call(&app, &officer, "/api/leaderboard/board", "cluster=nh-cum-1&period=2021-10").await;
        let b: Board = serde_json::from_str(&text).unwrap();
        let r = b.rows.iter().find(|r| r.unit == "x23377").unwrap().clone();
        (r.total, r.bonus, r.deductions)
    };
    // 90 on the sheet, −2 for a report years late.
    assert_eq!(total().await, (88.0, 0.0, 2.0));
    let (status, text) = call(
        &app,
        &officer,
        "/api/review/adjust",
        &format!("id={id}&kind=bonus&points=5&reason=M%C3%B4+h%C3%ACnh+d%C3%A2n+v%E1%BA%ADn+kh%C3%A9o"),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(total().await, (93.0, 5.0, 2.0));
    let (status, text) = call(&app, &officer, "/api/review/adjust", &format!("id={id}&kind=deduction&points=3,5&reason=x")).await;
    assert_ne!(status, 200, "a comma is not a number on the wire: {text}");
    let (status, text) =
        call(&app, &officer, "/api/review/adjust", &format!("id={id}&kind=deduction&points=3.5&reason=Sai+s%E1%BB%91+li%E1%BB%87u")).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(total().await, (89.5, 5.0, 5.5), "entered deduction and the late one add up");
    // Over the cap: refused by name, and what was saved stays.
    let (status, text) =
        call(&app, &officer, "/api/review/adjust", &format!("id={id}&kind=bonus&points=12&reason=Qu%C3%A1+nhi%E1%BB%81u")).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("bonus.points") && text.contains("từ 0 đến 10"), "{text}");
    assert_eq!(total().await, (89.5, 5.0, 5.5));
    // The reporter cannot give itself a bonus.
    let (status, _) =
        call(&app, &reporter, "/api/review/adjust", &format!("id={id}&kind=bonus&points=10&reason=T%E1%BB%B1+th%C6%B0%E1%BB%9Fng")).await;
    assert_ne!(status, 200);
    assert_eq!(total().await, (89.5, 5.0, 5.5));
    let audited: Option<i64> =
        db.query("RETURN count(SELECT id FROM audit WHERE action = 'submission.adjust')").await.unwrap().take(0).unwrap();
    assert_eq!(audited, Some(2));
}

/// A meeting display shows the clusters of the movement's district, not
/// those another district keeps in the same database.
#[tokio::test]
async fn the_display_shows_only_the_movements_own_clusters() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let other = app::domain::cluster::Cluster {
        id: "dak-to-cum-1".into(),
        name: "Cụm thi đua huyện Đắk Tô".into(),
        kind: app::domain::cluster::ClusterKind::Cluster,
        organiser: "d612".into(),
        head: None,
        members: vec!["x23401".into()],
        demo: false,
    };
    app::store::clusters::save(&db, other, None).await.unwrap();
    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    let s = app::store::leaderboard::standings(&db, &m, &Default::default(), time::OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(s.clusters.len(), 5, "Ngọc Hồi's five clusters and blocks");
    assert!(s.clusters.iter().all(|c| c.name != "Cụm thi đua huyện Đắk Tô"));
}

/// The tổng kết ranks each cluster by the mean of its units' monthly
/// results over every closed month; the printed ranking and its XLSX carry
/// the same numbers for every cluster and block.
#[tokio::test]
async fn the_final_review_ranks_by_the_mean_of_its_months() {
    use app::domain::period::PeriodKind;
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let pleikan = common::session_cookie(&db, "pleikan", Role::UnitReporter, "x23377").await;
    let daknong = common::session_cookie(&db, "daknong", Role::UnitReporter, "x23386").await;
    push_report(&db, &app, &pleikan, "x23377", "2021-10", 0.9).await;
    push_report(&db, &app, &pleikan, "x23377", "2021-11", 0.5).await;
    push_report(&db, &app, &daknong, "x23386", "2021-10", 0.8).await;
    // A report filed for the tổng kết itself does not decide its ranking.
    push_report(&db, &app, &daknong, "x23386", "tong-ket-2022", 1.0).await;

    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    let now = time::OffsetDateTime::now_utc();
    let cluster = app::store::clusters::list(&db).await.unwrap().into_iter().find(|c| c.members.iter().any(|u| u == "x23377")).unwrap().id;
    let board = |period: String| {
        let (db, m, cluster) = (db.clone(), m.clone(), cluster.clone());
        async move { app::store::leaderboard::board(&db, &m, &cluster, &period, now, false).await.unwrap() }
    };
    let months: Vec<String> = m.periods.iter().filter(|p| p.kind == PeriodKind::Month).map(|p| p.code.clone()).collect();
    let mut monthly = Vec::new();
    for p in &months {
        monthly.push(board(p.clone()).await);
    }
    let last = board("tong-ket-2022".into()).await;
    assert_eq!(last.basis_vi, "Xếp hạng theo điểm bình quân của 15 tháng đã hết hạn (Tháng 10/2021 – Tháng 12/2022).");
    for row in &last.rows {
        let sum: f64 = monthly.iter().map(|b| b.rows.iter().find(|r| r.unit == row.unit).unwrap().total).sum();
        assert_eq!(row.total, (sum / months.len() as f64 * 100.0).round() / 100.0, "{}", row.unit_name);
    }
    // Plei Kần (88 and 48 after the late deduction, −2 for each of 13
    // missing months) ahead of Đắk Nông (78, then 14 × −2).
    let rank = |u: &str| last.rows.iter().find(|r| r.unit == u).unwrap().rank;
    assert_eq!((rank("x23377"), rank("x23386")), (1, 2));
    assert_eq!(last.rows[0].total, 7.33);

    // The printed ranking holds every cluster and block with the same rows.
    let (status, text) = call(&app, &officer, "/api/leaderboard/rankings", "period=tong-ket-2022").await;
    assert_eq!(status, 200, "{text}");
    let r: app::api::leaderboard::Rankings = serde_json::from_str(&text).unwrap();
    assert_eq!(r.issuer, "UBND HUYỆN NGỌC HỒI");
    assert_eq!(r.boards.len(), app::store::clusters::list(&db).await.unwrap().iter().filter(|c| c.organiser == "d611").count());
    assert_eq!(r.boards.iter().find(|b| b.cluster == cluster).unwrap().rows, last.rows);

    // The XLSX: a row per unit of every board, the same totals.
    use calamine::{Data, Reader, Xlsx};
    let res = tower::ServiceExt::oneshot(
        app.clone(),
        axum::http::Request::get("/xuat/bang-xep-hang.xlsx?ky=tong-ket-2022")
            .header("cookie", &officer)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range("Xếp hạng").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().skip(1).map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), r.boards.iter().map(|b| b.rows.len()).sum::<usize>());
    let pk = rows.iter().find(|row| row[2] == Data::String("x23377".into())).unwrap();
    assert_eq!((pk[1].clone(), pk[7].clone()), (Data::Float(1.0), Data::Float(7.33)));
    assert!(pk[10].to_string().starts_with("Xếp hạng theo điểm bình quân"));
}

async fn board_row(app: &axum::Router, officer: &str, unit: &str) -> (u32, f64) {
    let (_, text) = call(app, officer, "/api/leaderboard/board", "cluster=nh-cum-1&period=2021-10").await;
    let b: Board = serde_json::from_str(&text).unwrap();
    let r = b.rows.iter().find(|r| r.unit == unit).unwrap();
    (r.rank, r.total)
}

fn difficulty_item(id: &str, unit: &str) -> PushItem {
    let body = app::domain::difficulty::DifficultyBody {
        unit: unit.into(),
        title: "Mã lạ".into(),
        details: "Chiếm mã báo cáo của xã khác".into(),
    };
    PushItem { id: id.into(), revision: 1, base: 0, body: ItemBody::Difficulty(body) }
}

/// A reporter of Bờ Y cannot take the id Đắk Xú's report will arrive under
/// (as a difficulty, or as a report of its own), and Đắk Xú's report still
/// lands, scores and ranks.
#[tokio::test]
async fn another_units_report_id_cannot_be_squatted() {
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let boy = common::session_cookie(&db, "boy", Role::UnitReporter, "x23395").await;
    let dakxu = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let target = report_id("x23389", "2021-10");
    let mut own = ReportBody { unit: "x23395".into(), period: "2021-10".into(), ..Default::default() };
    own.achievements = "Báo cáo mang mã của xã khác".into();
    let squat = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone-boy".into(),
        items: vec![difficulty_item(&target, "x23395"), PushItem { id: target.clone(), revision: 1, base: 0, body: ItemBody::Report(own) }],
    };
    let (status, text) = call(&app, &boy, "/api/sync/push", &serde_json::json!({ "batch": squat }).to_string()).await;
    assert_eq!(status, 200, "{text}");
    let reply: PushReply = serde_json::from_str(&text).unwrap();
    let rules: Vec<String> = reply
        .acks
        .iter()
        .map(|a| match &a.outcome {
            Outcome::Invalid { errors } => errors[0].rule.clone(),
            o => format!("{o:?}"),
        })
        .collect();
    assert_eq!(rules, ["item_id_kind", "report_id"]);
    assert_eq!(common::count(&db, "submission").await, 0, "nothing of Bờ Y's was stored under the id");
    push_report(&db, &app, &dakxu, "x23389", "2021-10", 0.9).await;
    assert_eq!(board_row(&app, &officer, "x23389").await, (1, 88.0), "Đắk Xú's report scores (90 − 2 late) and ranks first");
}

/// A stray item already stored under another unit's report id (written
/// before ids were checked) is voided by the officer: kept whole with the
/// reason, audited, and the id is free for the report it belongs to.
#[tokio::test]
async fn the_officer_voids_a_stray_item_and_the_report_lands() {
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let dakxu = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let target = report_id("x23389", "2021-10");
    // What the old push stored for Bờ Y's squat.
    db.query(
        "CREATE type::record('submission', $id) CONTENT {
            kind: 'difficulty', unit: unit:x23395, revision: 1, base: 0, device: 'phone-boy', hash: string::repeat('a', 64),
            body: { unit: 'x23395', title: 'Mã lạ', details: 'x' }, status: 'submitted', submitted_by: 'boy',
            first_received_at: time::now(), received_at: time::now(), updated_at: time::now() };
         CREATE submission_rev CONTENT { sub: $id, revision: 1, hash: string::repeat('a', 64), device: 'phone-boy', received_at: time::now() };",
    )
    .bind(("id", target.clone()))
    .await
    .unwrap()
    .check()
    .unwrap();
    let form = app::store::submissions::form_for(&db, "x23389").await.unwrap().unwrap();
    let body = ReportBody {
        files: Vec::new(),
        unit: "x23389".into(),
        period: "2021-10".into(),
        scores: form
            .criteria
            .iter()
            .map(|c| ScoreEntry { area: c.area.clone(), points: Some(c.max_points as f64 * 0.9), evidence: "Biên bản".into() })
            .collect(),
        indicators: vec![],
        achievements: String::new(),
        movement: None,
        copied: Vec::new(),
    };
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone-1".into(),
        items: vec![PushItem { id: target.clone(), revision: 1, base: 0, body: ItemBody::Report(body) }],
    };
    let pushed = serde_json::json!({ "batch": batch }).to_string();
    let push = || call(&app, &dakxu, "/api/sync/push", &pushed);
    let (_, text) = push().await;
    assert!(text.contains("\"result\":\"denied\""), "the squatted id refuses its rightful report: {text}");

    let (status, text) = call(&app, &officer, "/api/review/void", &format!("id={target}&reason=")).await;
    assert_ne!(status, 200, "a reason is required: {text}");
    assert!(text.contains("reason"), "{text}");
    let (status, text) =
        call(&app, &officer, "/api/review/void", &format!("id={target}&reason=M%C3%A3+c%E1%BB%A7a+%C4%90%E1%BA%AFk+X%C3%BA")).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(common::count(&db, "voided_submission").await, 1, "kept, never silently deleted");
    let audited: Option<i64> =
        db.query("RETURN count(SELECT id FROM audit WHERE action = 'submission.void')").await.unwrap().take(0).unwrap();
    assert_eq!(audited, Some(1));

    let (_, text) = push().await;
    assert!(text.contains("\"result\":\"stored\""), "{text}");
    assert_eq!(board_row(&app, &officer, "x23389").await, (1, 88.0));
    // An accepted report is not voided.
    let (status, _) = call(&app, &officer, "/api/review/decide", &format!("id={target}&decision=accept&comment=")).await;
    assert_eq!(status, 200);
    let (status, text) = call(&app, &officer, "/api/review/void", &format!("id={target}&reason=Th%E1%BB%AD")).await;
    assert_ne!(status, 200);
    assert!(text.contains("không hủy được"), "{text}");
}
