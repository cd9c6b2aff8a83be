//! The organiser's movements through the real router: a draft copied from
//! the demo's, each lifecycle step and the ones refused, which movement
//! every page shows (the newest published), and another organisation kept
//! out. Reports filed for the copy carry its code in their ids.
mod common;
use app::api::movement::HomeData;
use app::api::movements::MovementRow;
use app::domain::auth::Role;
use app::domain::lifecycle::MovementStatus;
use app::domain::sync::PullReply;
use common::{call, DEMO_MOVEMENT};

async fn list(app: &axum::Router, cookie: &str) -> Vec<MovementRow> {
    let (s, body) = call(app, cookie, "/api/movements/list", "").await;
    assert_eq!(s, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn shown(app: &axum::Router) -> String {
    let (_, body) = call(app, "", "/api/movement/overview", "").await;
    serde_json::from_str::<Option<HomeData>>(&body).unwrap().expect("a movement").name_vi
}

fn refused_rule(status: u16, body: &str) -> String {
    assert_eq!(status, 422, "{body}");
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    format!("{}/{}", v["errors"][0]["field"].as_str().unwrap_or(""), v["errors"][0]["rule"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn the_officer_copies_publishes_and_closes_a_movement_and_every_page_follows() {
    let (db, app) = common::demo_app().await;
    server::demo::activity::load(&db).await.unwrap();
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let demo_name = shown(&app).await;

    let before = list(&app, &officer).await;
    assert_eq!(before.len(), 1);
    assert_eq!((before[0].code.as_str(), before[0].status, before[0].current), (DEMO_MOVEMENT, MovementStatus::Published, true));
    assert!(before[0].reports > 0, "the demo's reports are counted");

    // A draft copy: listed, shown to no one.
    let (s, body) =
        call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-2027&name=Phong+trào+năm+2027")).await;
    assert_eq!((s, body.as_str()), (200, "\"thi-dua-2027\""));
    let after = list(&app, &officer).await;
    let copy = after.iter().find(|m| m.code == "thi-dua-2027").expect("listed");
    assert_eq!((copy.status, copy.current, copy.reports, copy.name.as_str()), (MovementStatus::Draft, false, 0, "Phong trào năm 2027"));
    assert_eq!(shown(&app).await, demo_name, "a draft is shown to no one");

    // Bad copies and steps, each refused with its field and rule.
    let (s, body) = call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-2027&name=Lần+hai")).await;
    assert_eq!(refused_rule(s, &body), "code/movement_code_free");
    let (s, body) = call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi+đua&name=X")).await;
    assert_eq!(refused_rule(s, &body), "code/movement_id");
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=archived").await;
    assert_eq!(refused_rule(s, &body), "status/status_step");
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=running").await;
    assert_eq!(refused_rule(s, &body), "status/status_known");

    // Published: the newest published movement is the one pages show, and a
    // unit's phone files for it under ids that name it.
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=published").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(shown(&app).await, "Phong trào năm 2027");
    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (s, body) = call(&app, &reporter, "/api/sync/pull", "{\"since\":\"\"}").await;
    assert_eq!(s, 200, "{body}");
    let form = serde_json::from_str::<PullReply>(&body).unwrap().form.expect("a form");
    assert_eq!(form.movement, "thi-dua-2027");
    assert_eq!(form.report_id("2021-10"), "rep-thi-dua-2027.x23389.2021-10");

    // Closed: the other published movement is shown again; the closed one
    // still lists with its status.
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=closed").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(shown(&app).await, demo_name);
    let now = list(&app, &officer).await;
    assert_eq!(now.iter().find(|m| m.code == "thi-dua-2027").unwrap().status, MovementStatus::Closed);
    assert!(now.iter().find(|m| m.code == DEMO_MOVEMENT).unwrap().current);

    // With nothing published, the newest closed one is shown, and no phone
    // gets a form to file for it.
    let (s, body) = call(&app, &officer, "/api/movements/set_status", &format!("code={DEMO_MOVEMENT}&status=closed")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(shown(&app).await, "Phong trào năm 2027");
    let (_, body) = call(&app, &reporter, "/api/sync/pull", "{\"since\":\"\"}").await;
    assert_eq!(serde_json::from_str::<PullReply>(&body).unwrap().form, None, "a closed movement takes no reports");

    // Every step is in the audit log.
    let mut res = db.query("SELECT VALUE action FROM audit WHERE subject = 'movement:thi-dua-2027' ORDER BY at").await.unwrap();
    let actions: Vec<String> = res.take(0).unwrap();
    assert_eq!(actions, ["movement.create", "movement.status", "movement.status"]);
}

#[tokio::test]
async fn another_organisation_neither_sees_nor_changes_the_movement() {
    let (db, app) = common::demo_app().await;
    let other = common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await;
    assert!(list(&app, &other).await.is_empty());
    let (s, _) = call(&app, &other, "/api/movements/set_status", &format!("code={DEMO_MOVEMENT}&status=closed")).await;
    assert_eq!(s, 404);
    let (s, _) = call(&app, &other, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=lay-trom&name=X")).await;
    assert_eq!(s, 404);
    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (s, _) = call(&app, &reporter, "/api/movements/list", "").await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn a_movement_exported_to_a_file_and_imported_is_the_same_movement_as_a_draft() {
    let (db, _app) = common::demo_app().await;
    let demo = app::store::movements::by_code(&db, DEMO_MOVEMENT).await.unwrap().unwrap();
    let file = server::template::write(&demo.definition);
    let def = server::template::read(&file).expect("its own export reads back");
    let m = app::store::movements::import(&db, def, "tu-tep-2027", "d611", "cli").await.unwrap();
    let back = app::store::movements::by_code(&db, "tu-tep-2027").await.unwrap().unwrap();
    assert_eq!(back.definition, demo.definition, "the same plan, criteria, indicators, awards and rules");
    assert_eq!(back.periods, demo.periods);
    assert_eq!((back.status, m.status), (MovementStatus::Draft, MovementStatus::Draft));
    assert_eq!(app::store::movements::current(&db).await.unwrap().unwrap().id, DEMO_MOVEMENT, "a draft is not current");

    // Again under the same code, or for a unit that does not exist: refused.
    let again = server::template::read(&file).unwrap();
    let e = app::store::movements::import(&db, again.clone(), "tu-tep-2027", "d611", "cli").await.unwrap_err();
    assert!(matches!(&e, app::store::StoreError::Invalid(v) if v[0].rule == "movement_code_free"), "{e}");
    let e = app::store::movements::import(&db, again, "khac", "d999", "cli").await.unwrap_err();
    assert!(matches!(e, app::store::StoreError::NotFound(_)), "{e}");
}

/// A report of `unit` for `period` of movement `code` (scoped ids), naming
/// its movement as a phone of today does.
fn report_for(code: &str, unit: &str, period: &str, first_doses: f64) -> app::domain::sync::PushItem {
    use app::domain::report::{IndicatorEntry, ReportBody, ReportIds, ScoreEntry};
    let body = ReportBody {
        files: Vec::new(),
        unit: unit.into(),
        period: period.into(),
        scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(18.0), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
        indicators: vec![IndicatorEntry {
            code: "vac-18-dose1".into(),
            numerator: Some(first_doses),
            denominator: Some(200.0),
            value: None,
        }],
        achievements: String::new(),
        movement: Some(code.into()),
        copied: Vec::new(),
    };
    let id = app::domain::report::report_id(ReportIds::Scoped, code, unit, period);
    app::domain::sync::PushItem { id, revision: 1, base: 0, body: app::domain::sync::ItemBody::Report(body) }
}

#[tokio::test]
async fn a_unit_files_for_two_movements_at_once_and_each_page_shows_its_own() {
    use app::api::consolidation::Consolidated;
    use app::api::leaderboard::Board;
    use app::api::review::Desk;
    use app::domain::sync::{Outcome, PushBatch, PushReply, PROTOCOL};
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let (s, body) =
        call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-2027&name=Phong+trào+năm+2027")).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=published").await;
    assert_eq!(s, 200, "{body}");

    // The phone gets a form for each published movement, the newest first.
    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (_, body) = call(&app, &reporter, "/api/sync/pull", "{\"since\":\"\"}").await;
    let pulled: PullReply = serde_json::from_str(&body).unwrap();
    let forms: Vec<(&str, &str)> = pulled.forms.iter().map(|f| (f.movement.as_str(), f.movement_name.as_str())).collect();
    assert_eq!(forms.len(), 2, "{forms:?}");
    assert_eq!(forms[0], ("thi-dua-2027", "Phong trào năm 2027"));
    assert_eq!(forms[1].0, DEMO_MOVEMENT);
    assert!(pulled.forms.iter().all(|f| f.organiser_name == "Huyện Ngọc Hồi"), "who runs it, from the catalogue");

    // One push with a report for each; one for a movement it does not file for.
    let items = vec![
        report_for(DEMO_MOVEMENT, "x23389", "2021-11", 100.0),
        report_for("thi-dua-2027", "x23389", "2021-11", 150.0),
        report_for("khong-co", "x23389", "2021-11", 1.0),
    ];
    let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-1".into(), items: items.clone() };
    let (s, body) = call(&app, &reporter, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(s, 200, "{body}");
    let acks = serde_json::from_str::<PushReply>(&body).unwrap().acks;
    assert!(matches!(acks[0].outcome, Outcome::Stored { .. }), "{:?}", acks[0]);
    assert!(matches!(acks[1].outcome, Outcome::Stored { .. }), "{:?}", acks[1]);
    assert!(matches!(&acks[2].outcome, Outcome::Invalid { errors } if errors[0].rule == "movement_open"), "{:?}", acks[2]);
    let mut res = db
        .query("SELECT VALUE record::id(movement) FROM [type::record('submission', $a), type::record('submission', $b)]")
        .bind(("a", items[0].id.clone()))
        .bind(("b", items[1].id.clone()))
        .await
        .unwrap();
    assert_eq!(res.take::<Vec<String>>(0).unwrap(), [DEMO_MOVEMENT, "thi-dua-2027"]);

    // The desk, consolidation and board each show the movement asked for,
    // and offer both; with none asked, the newest published.
    let desk = |m: &str| {
        let (app, officer) = (app.clone(), officer.clone());
        let m = m.to_string();
        async move {
            let (s, body) = call(&app, &officer, "/api/review/desk", &format!("period=2021-11&movement={m}")).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<Desk>(&body).unwrap()
        }
    };
    let dakxu_report = |d: &Desk| d.rows.iter().find(|r| r.unit == "x23389").and_then(|r| r.report.clone());
    let (new, old, default) = (desk("thi-dua-2027").await, desk(DEMO_MOVEMENT).await, desk("").await);
    assert_eq!((new.movement.as_str(), new.movements.len()), ("thi-dua-2027", 2));
    assert_eq!(dakxu_report(&new), Some(items[1].id.clone()));
    assert_eq!(dakxu_report(&old), Some(items[0].id.clone()));
    assert_eq!(default.movement, "thi-dua-2027");
    let (s, body) = call(&app, &officer, "/api/consolidation/page", "period=2021-11&movement=thi-dua-2027").await;
    assert_eq!(s, 200, "{body}");
    let c: Consolidated = serde_json::from_str(&body).unwrap();
    assert_eq!((c.movement.as_str(), c.view.reports), ("thi-dua-2027", 1), "only the report filed for it");
    let (s, body) = call(&app, &reporter, "/api/leaderboard/board", "cluster=&period=2021-11&movement=thi-dua-2027").await;
    assert_eq!(s, 200, "{body}");
    let b: Board = serde_json::from_str(&body).unwrap();
    assert_eq!((b.movement.as_str(), b.movements.len()), ("thi-dua-2027", 2));
    let reported: Vec<&str> = b.rows.iter().filter(|r| r.sheet > 0.0).map(|r| r.unit.as_str()).collect();
    assert_eq!(reported, ["x23389"], "the only unit that filed for the new movement");

    // Another organisation, an unknown movement, a commune outside the
    // organiser's district: the same refusal, and no form.
    let other = common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await;
    let (s, _) = call(&app, &other, "/api/review/desk", "period=2021-11&movement=thi-dua-2027").await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, &officer, "/api/review/desk", "period=2021-11&movement=khong-co").await;
    assert_eq!(s, 403);
    let outside = common::session_cookie(&db, "dakto-xa", Role::UnitReporter, "x23401").await;
    let (_, body) = call(&app, &outside, "/api/sync/pull", "{\"since\":\"\"}").await;
    let pulled: PullReply = serde_json::from_str(&body).unwrap();
    assert_eq!((pulled.form, pulled.forms.len()), (None, 0), "Đắk Tô's commune files for no Ngọc Hồi movement");
}

/// The editor's two calls: the draft read, then saved whole; the server
/// checks it with the browser's rules, keeps only drafts, and the phone
/// gets the cross-field rule the organiser added and is held to it.
#[tokio::test]
async fn the_editor_saves_a_draft_checked_whole_and_phones_are_held_to_its_rules() {
    use app::api::movements::MovementDraft;
    use app::domain::indicator::{Compare, FieldRule, Part};
    use app::domain::sync::{Outcome, PushBatch, PushReply, PROTOCOL};
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let (s, body) = call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-2027&name=Năm+2027")).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = call(&app, &officer, "/api/movements/get", "code=thi-dua-2027").await;
    assert_eq!(s, 200, "{body}");
    let draft: MovementDraft = serde_json::from_str(&body).unwrap();
    assert_eq!((draft.status, draft.definition.name_vi.as_str()), (MovementStatus::Draft, "Năm 2027"));
    let save = |def: &app::domain::movement::MovementDefinition, code: &str| {
        let (app, officer) = (app.clone(), officer.clone());
        let body = serde_json::json!({ "code": code, "definition": def }).to_string();
        async move { call(&app, &officer, "/api/movements/save", &body).await }
    };

    // Points that no longer add up to the sheet: refused, naming the rule.
    let mut def = draft.definition.clone();
    def.content_areas[0].max_points -= 2;
    let (s, body) = save(&def, "thi-dua-2027").await;
    assert_eq!(refused_rule(s, &body), "content_areas/sheet_total");
    def.content_areas[1].max_points += 2;
    // Second doses at most first doses; months only to the end of 2021.
    let dose2 = def.indicators.iter().position(|i| i.code == "vac-18-dose2").unwrap();
    def.indicators[dose2].rules =
        vec![FieldRule { part: Part::Numerator, compare: Compare::AtMost, other: "vac-18-dose1".into(), other_part: Part::Numerator }];
    def.periods.monthly_until = "2021-12".into();
    def.name_vi = "  Năm 2027 (sửa)  ".into();
    let (s, body) = save(&def, "thi-dua-2027").await;
    assert_eq!(s, 200, "{body}");
    let saved = app::store::movements::by_code(&db, "thi-dua-2027").await.unwrap().unwrap();
    assert_eq!(saved.definition.name_vi, "Năm 2027 (sửa)", "trimmed");
    assert_eq!(saved.definition.content_areas[1].max_points, draft.definition.content_areas[1].max_points + 2);
    assert_eq!(saved.definition.indicators[dose2].rules.len(), 1);
    let months: Vec<&str> = saved.periods.iter().filter(|p| p.code.starts_with("2022")).map(|p| p.code.as_str()).collect();
    assert!(months.is_empty(), "months the plan dropped are gone: {months:?}");
    let mut res = db.query("SELECT VALUE action FROM audit WHERE subject = 'movement:thi-dua-2027' ORDER BY at").await.unwrap();
    assert!(res.take::<Vec<String>>(0).unwrap().contains(&"movement.edit".to_string()));

    // Another organisation and a reporter are kept out; the demo (published)
    // is not edited in place.
    let other = common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await;
    let (s, _) = call(&app, &other, "/api/movements/get", "code=thi-dua-2027").await;
    assert_eq!(s, 404);
    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (s, _) = call(&app, &reporter, "/api/movements/get", "code=thi-dua-2027").await;
    assert_eq!(s, 403);
    // The demo runs: a change to it is a version, and its periods are over.
    let (s, body) = save(&draft.definition, DEMO_MOVEMENT).await;
    assert_eq!(refused_rule(s, &body), "periods/period_left");

    // Published: the phone's form carries the rule, and the push enforces it.
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=published").await;
    assert_eq!(s, 200, "{body}");
    let (_, body) = call(&app, &reporter, "/api/sync/pull", "{\"since\":\"\"}").await;
    let pulled: PullReply = serde_json::from_str(&body).unwrap();
    let form = pulled.forms.iter().find(|f| f.movement == "thi-dua-2027").expect("the new form");
    assert_eq!(form.indicators.iter().find(|i| i.code == "vac-18-dose2").unwrap().rules.len(), 1);
    let mut item = report_for("thi-dua-2027", "x23389", "2021-11", 100.0);
    if let app::domain::sync::ItemBody::Report(b) = &mut item.body {
        b.indicators.push(app::domain::report::IndicatorEntry {
            code: "vac-18-dose2".into(),
            numerator: Some(120.0),
            denominator: Some(200.0),
            value: None,
        });
    }
    let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-1".into(), items: vec![item] };
    let (s, body) = call(&app, &reporter, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(s, 200, "{body}");
    let acks = serde_json::from_str::<PushReply>(&body).unwrap().acks;
    let Outcome::Invalid { errors } = &acks[0].outcome else { panic!("{:?}", acks[0]) };
    assert_eq!((errors[0].field.as_str(), errors[0].rule.as_str()), ("indicators.vac-18-dose2.numerator", "field_rule"));
    // Once closed, not at all.
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=closed").await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = save(&def, "thi-dua-2027").await;
    assert_eq!(refused_rule(s, &body), "status/editable");
}

/// Issue 21's versions: a running movement edited after a period opened is
/// v2 from the next month; the report filed in the open month is still
/// checked and scored by v1; the phone's form is v2 for the next month.
#[tokio::test]
async fn a_change_to_a_running_movement_is_v2_from_next_month_and_this_months_reports_keep_v1() {
    use app::api::movements::MovementDraft;
    use app::domain::sync::{Outcome, PushBatch, PushReply, PROTOCOL};
    use app::domain::views::desk::ReportReview;
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let (s, body) =
        call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-nay&name=Thi+đua+năm+nay")).await;
    assert_eq!(s, 200, "{body}");
    let save = |def: &app::domain::movement::MovementDefinition| {
        let (app, officer) = (app.clone(), officer.clone());
        let body = serde_json::json!({ "code": "thi-dua-nay", "definition": def }).to_string();
        async move { call(&app, &officer, "/api/movements/save", &body).await }
    };
    // Months from last month to three months on, as of today (Vietnam).
    let today = app::domain::date::vn_date(time::OffsetDateTime::now_utc());
    let month = |d: time::Date| format!("{:04}-{:02}", d.year(), d.month() as u8);
    let first = today.replace_day(1).unwrap();
    let (last, this, next) = (month(first - time::Duration::days(1)), month(first), month(first + time::Duration::days(31)));
    let (_, body) = call(&app, &officer, "/api/movements/get", "code=thi-dua-nay").await;
    let mut def = serde_json::from_str::<MovementDraft>(&body).unwrap().definition;
    def.periods.monthly_from = last.clone();
    def.periods.monthly_until = month(first + time::Duration::days(95));
    def.periods.reviews.clear();
    let (s, body) = save(&def).await;
    assert_eq!((s, body.as_str()), (200, "1"));
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-nay&status=published").await;
    assert_eq!(s, 200, "{body}");

    // This month's report, filed on v1: 20 points for leadership (its maximum).
    let push = |items: Vec<app::domain::sync::PushItem>| {
        let (app, reporter) = (app.clone(), reporter.clone());
        let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-1".into(), items };
        async move {
            let (s, body) = call(&app, &reporter, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<PushReply>(&body).unwrap().acks
        }
    };
    let full = |period: &str| {
        let mut item = report_for("thi-dua-nay", "x23389", period, 100.0);
        if let app::domain::sync::ItemBody::Report(b) = &mut item.body {
            b.scores[0].points = Some(20.0);
        }
        item
    };
    let acks = push(vec![full(&this)]).await;
    assert!(matches!(acks[0].outcome, Outcome::Stored { .. }), "{:?}", acks[0]);

    // The organiser moves 5 points from leadership to production: v2, from next month.
    let area = |d: &mut app::domain::movement::MovementDefinition, code: &str| d.content_areas.iter().position(|a| a.code == code).unwrap();
    let (lead, prod) = (area(&mut def, "chi-dao"), area(&mut def, "san-xuat"));
    def.content_areas[lead].max_points -= 5;
    def.content_areas[prod].max_points += 5;
    let (s, body) = save(&def).await;
    assert_eq!((s, body.as_str()), (200, "2"), "a new version");
    let mut moved = def.clone();
    moved.periods.monthly_until = this.clone();
    let (s, body) = save(&moved).await;
    assert_eq!(refused_rule(s, &body), "periods/plan_fixed");
    let m = app::store::movements::by_code(&db, "thi-dua-nay").await.unwrap().unwrap();
    assert_eq!((m.definition_for(&last).version, m.definition_for(&this).version, m.definition_for(&next).version), (1, 1, 2));

    // The desk opens this month's report on v1's sheet: leadership out of 20.
    let id = app::domain::report::report_id(app::domain::report::ReportIds::Scoped, "thi-dua-nay", "x23389", &this);
    let (s, body) = call(&app, &officer, "/api/review/report", &format!("id={id}")).await;
    assert_eq!(s, 200, "{body}");
    let r: ReportReview = serde_json::from_str(&body).unwrap();
    assert_eq!(r.version, 1);
    assert_eq!(r.criteria.iter().find(|c| c.area == "chi-dao").unwrap().max_points, 20);
    // The board scores it on v1: the 20 points count in full.
    let (s, body) = call(&app, &reporter, "/api/leaderboard/board", &format!("cluster=&period={this}&movement=thi-dua-nay")).await;
    assert_eq!(s, 200, "{body}");
    let b: app::api::leaderboard::Board = serde_json::from_str(&body).unwrap();
    assert_eq!(b.rows.iter().find(|r| r.unit == "x23389").unwrap().sheet, 20.0);

    // The phone: v2 for next month, v1 kept for this one and before.
    let (_, body) = call(&app, &reporter, "/api/sync/pull", "{\"since\":\"\"}").await;
    let pulled: PullReply = serde_json::from_str(&body).unwrap();
    let form = pulled.forms.iter().find(|f| f.movement == "thi-dua-nay").unwrap();
    let max = |f: &app::domain::report::ReportForm| f.criteria.iter().find(|c| c.area == "chi-dao").unwrap().max_points;
    assert_eq!((form.version, max(form)), (2, 15));
    assert_eq!((form.for_period(&this).version, max(&form.for_period(&this))), (1, 20));
    assert_eq!(max(&form.for_period(&next)), 15);
    // Next month, 20 points for leadership is over v2's maximum; this
    // month's report, edited again, is still checked on v1.
    let mut again = full(&this);
    again.revision = 2;
    again.base = 1;
    let acks = push(vec![full(&next), again]).await;
    let Outcome::Invalid { errors } = &acks[0].outcome else { panic!("{:?}", acks[0]) };
    assert_eq!((errors[0].field.as_str(), errors[0].rule.as_str()), ("scores.chi-dao.points", "range"));
    assert!(matches!(acks[1].outcome, Outcome::Stored { .. }), "{:?}", acks[1]);

    // Saved again before next month starts: v2 amended, not v3.
    def.name_vi = "Thi đua năm nay (bản 2)".into();
    let (s, body) = save(&def).await;
    assert_eq!((s, body.as_str()), (200, "2"));
}

fn nominee_in(movement: &str, name: &str) -> app::domain::nomination::NominationBody {
    use app::domain::award::NomineeKind;
    app::domain::nomination::NominationBody {
        files: Vec::new(),
        unit: "x23389".into(),
        nominee_kind: NomineeKind::Collective,
        name: name.into(),
        birth_year: None,
        gender: None,
        ethnicity: String::new(),
        position: String::new(),
        workplace: String::new(),
        summary: "Trực chốt 120 ngày liên tục.".into(),
        contributions: String::new(),
        form: "giay-khen-chu-tich-huyen".into(),
        posthumous: false,
        nominated_on: app::domain::date::to_iso(time::OffsetDateTime::now_utc().date()),
        movement: (!movement.is_empty()).then(|| movement.to_string()),
    }
}

/// Nominations, council sittings and stories belong to the movement they
/// were filed in: each desk, sitting and inbox shows its own; a sitting
/// takes one movement's nominations; a council member's ballot spans both.
#[tokio::test]
async fn nominations_sittings_and_stories_follow_their_movement() {
    use app::api::council::{BallotItem, NominationDesk};
    use app::api::showcase::EditorDesk;
    use app::domain::sync::{ItemBody, Outcome, PushBatch, PushItem, PushReply, PROTOCOL};
    let (db, app) = common::demo_app().await;
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let member = common::session_cookie(&db, "hd1", Role::CouncilMember, "d611").await;
    let (s, body) =
        call(&app, &officer, "/api/movements/copy", &format!("from={DEMO_MOVEMENT}&code=thi-dua-2027&name=Phong+trào+năm+2027")).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = call(&app, &officer, "/api/movements/set_status", "code=thi-dua-2027&status=published").await;
    assert_eq!(s, 200, "{body}");

    let reporter = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let item = |id: &str, body: ItemBody| PushItem { id: id.into(), revision: 1, base: 0, body };
    let story = app::domain::story::StoryBody {
        files: Vec::new(),
        unit: "x23389".into(),
        title: "Tổ COVID thôn 3".into(),
        area: "chi-dao".into(),
        text: "Câu chuyện.".into(),
        movement: Some("thi-dua-2027".into()),
    };
    let items = vec![
        item("dn-moi", ItemBody::Nomination(nominee_in("thi-dua-2027", "Tổ COVID thôn 3"))),
        item("dn-cu", ItemBody::Nomination(nominee_in(DEMO_MOVEMENT, "Tổ COVID thôn 5"))),
        item("dn-mac-dinh", ItemBody::Nomination(nominee_in("", "Tổ COVID thôn 6"))),
        item("dn-khong-co", ItemBody::Nomination(nominee_in("khong-co", "Tổ COVID thôn 7"))),
        item("gd-moi", ItemBody::Story(story)),
    ];
    let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-1".into(), items };
    let (s, body) = call(&app, &reporter, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(s, 200, "{body}");
    let acks = serde_json::from_str::<PushReply>(&body).unwrap().acks;
    for a in [&acks[0], &acks[1], &acks[2], &acks[4]] {
        assert!(matches!(a.outcome, Outcome::Stored { .. }), "{a:?}");
    }
    assert!(matches!(&acks[3].outcome, Outcome::Invalid { errors } if errors[0].rule == "movement_open"), "{:?}", acks[3]);

    // Each desk shows its movement's nominations, and offers both. A phone
    // of before several movements files under the unit's default movement
    // (`default_form`: here the newest, as the demo's ids name its movement).
    let desk = |m: &str| {
        let (app, officer) = (app.clone(), officer.clone());
        let m = m.to_string();
        async move {
            let (s, body) = call(&app, &officer, "/api/council/desk", &format!("movement={m}")).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<NominationDesk>(&body).unwrap()
        }
    };
    let ids = |d: &NominationDesk| d.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let (new, old, default) = (desk("thi-dua-2027").await, desk(DEMO_MOVEMENT).await, desk("").await);
    assert_eq!(ids(&new), ["dn-moi", "dn-mac-dinh"]);
    assert_eq!(ids(&old), ["dn-cu"]);
    assert_eq!((new.movement.as_str(), new.movements.len(), default.movement.as_str()), ("thi-dua-2027", 2, "thi-dua-2027"));
    assert_eq!(new.organiser_name, "Huyện Ngọc Hồi");
    assert!(new.organiser_decides_vi.starts_with("Giấy khen"), "{}", new.organiser_decides_vi);
    let other = common::session_cookie(&db, "dakto", Role::DistrictOfficer, "d612").await;
    let (s, _) = call(&app, &other, "/api/council/desk", "movement=thi-dua-2027").await;
    assert_eq!(s, 403, "another organisation's movement");

    // One sitting, one movement.
    let (s, body) = call(&app, &officer, "/api/council/open", "title=Phi%C3%AAn+1&ids[0]=dn-moi&ids[1]=dn-cu").await;
    assert_eq!(refused_rule(s, &body), "ids/one_movement");
    let (s, body) = call(&app, &officer, "/api/council/open", "title=Phi%C3%AAn+1&ids[0]=dn-moi").await;
    assert_eq!(s, 200, "{body}");
    let sitting: String = serde_json::from_str(&body).unwrap();
    assert_eq!(desk("thi-dua-2027").await.sittings.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), [sitting.as_str()]);
    assert!(desk(DEMO_MOVEMENT).await.sittings.is_empty(), "the sitting is the new movement's");
    let (s, body) = call(&app, &officer, "/api/council/open", "title=Phi%C3%AAn+2&ids[0]=dn-cu").await;
    assert_eq!(s, 200, "{body}");
    // The member votes on both movements' sittings from one ballot, each
    // nomination's form named by its own movement.
    let (s, body) = call(&app, &member, "/api/council/ballot", "").await;
    assert_eq!(s, 200, "{body}");
    let ballot: Vec<BallotItem> = serde_json::from_str(&body).unwrap();
    let mut on: Vec<&str> = ballot.iter().map(|b| b.nomination.as_str()).collect();
    on.sort();
    assert_eq!(on, ["dn-cu", "dn-moi"]);
    assert!(ballot.iter().all(|b| b.form_name.starts_with("Giấy khen")), "{ballot:?}");
    let (s, body) = call(&app, &member, "/api/council/vote", &format!("sitting={sitting}&nomination=dn-moi&choice=approve")).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = call(&app, &officer, "/api/council/close", &format!("sitting={sitting}")).await;
    assert_eq!(s, 200, "{body}");

    // Decided: listed in its movement's register and public list only; its
    // certificate's code checks whichever movement the page shows.
    let decision = "ids[0]=dn-moi&number=12%2FQ%C4%90-UBND&date=2026-12-01&signer=Nguy%E1%BB%85n+V%C4%83n+A";
    let (s, body) = call(&app, &officer, "/api/council/decide", decision).await;
    assert_eq!(s, 200, "{body}");
    let register = |m: &str| {
        let (app, officer) = (app.clone(), officer.clone());
        let m = m.to_string();
        async move {
            let (s, body) = call(&app, &officer, "/api/awards/register", &format!("q=&unit=&form=&period=&movement={m}")).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<app::api::awards::Register>(&body).unwrap().rows.len()
        }
    };
    assert_eq!((register("thi-dua-2027").await, register(DEMO_MOVEMENT).await), (1, 0));
    let public = |m: &str, code: &str| {
        let app = app.clone();
        let q = format!("q=&code={code}&movement={m}");
        async move {
            let (s, body) = call(&app, "", "/api/awards/public", &q).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<app::api::awards::PublicAwards>(&body).unwrap()
        }
    };
    let new_list = public("thi-dua-2027", "").await;
    assert_eq!(new_list.awards.len(), 1);
    let desk_now = desk("thi-dua-2027").await;
    let code = desk_now.rows.iter().find(|r| r.id == "dn-moi").and_then(|r| r.decision_code.clone()).expect("a verification code");
    let old_list = public(DEMO_MOVEMENT, &code).await;
    assert!(old_list.awards.is_empty(), "the other movement lists none");
    assert!(old_list.checked.is_some_and(|(_, hit)| hit.is_some()), "the code checks in any movement");

    // The story waits in its movement's inbox only.
    let media = common::session_cookie(&db, "truyenthong", Role::MediaOfficer, "d611").await;
    let inbox = |m: &str| {
        let (app, media) = (app.clone(), media.clone());
        let m = m.to_string();
        async move {
            let (s, body) = call(&app, &media, "/api/showcase/inbox", &format!("movement={m}")).await;
            assert_eq!(s, 200, "{body}");
            serde_json::from_str::<EditorDesk>(&body).unwrap()
        }
    };
    assert_eq!(inbox("thi-dua-2027").await.drafts.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["gd-moi"]);
    assert!(inbox(DEMO_MOVEMENT).await.drafts.is_empty());
    // Published from the other movement's desk, the story is refused: it
    // was not sent in that movement.
    let form = format!("from=gd-moi&unit=x23389&title=T&area=chi-dao&text=x&movement={DEMO_MOVEMENT}");
    let (s, body) = call(&app, &media, "/api/showcase/publish", &form).await;
    assert_eq!(refused_rule(s, &body), "from/known_story");
    let (s, body) =
        call(&app, &media, "/api/showcase/publish", "from=gd-moi&unit=x23389&title=T&area=chi-dao&text=x&movement=thi-dua-2027").await;
    assert_eq!(s, 200, "{body}");
    let list = |m: &str| {
        let app = app.clone();
        let m = m.to_string();
        async move {
            let (_, body) = call(&app, "", "/api/showcase/list", &format!("unit=&area=&movement={m}")).await;
            serde_json::from_str::<app::api::showcase::Showcase>(&body).unwrap()
        }
    };
    assert_eq!(list("thi-dua-2027").await.stories.len(), 1);
    assert!(list(DEMO_MOVEMENT).await.stories.is_empty());
    assert_eq!(list("").await.movements.len(), 2, "the public may pick either");
}
