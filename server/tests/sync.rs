//! The sync contract on the server (SPEC §8), through the real endpoints:
//! replays change nothing and return the first receipt; an edit on an old
//! revision is a conflict that returns the server's copy; one bad item does
//! not hold back the others; pulls bring statuses and return comments.
mod common;
use app::domain::auth::Role;
use app::domain::report::{IndicatorEntry, ReportBody, ScoreEntry};
use app::domain::sync::*;
use axum::body::Body;
use axum::http::{header, Request};
use common::report_id;
use tower::ServiceExt;

struct Phone {
    app: axum::Router,
    cookie: String,
    device: String,
}

impl Phone {
    async fn push(&self, items: Vec<PushItem>) -> PushReply {
        let batch = PushBatch { protocol: PROTOCOL.into(), device: self.device.clone(), items };
        let (status, text) = self.post("/api/sync/push", serde_json::json!({ "batch": batch }).to_string(), false).await;
        assert_eq!(status, 200, "{text}");
        let reply: PushReply = serde_json::from_str(&text).unwrap();
        assert!(reply.answers(&batch), "{text}");
        reply
    }

    async fn pull(&self, since: &str) -> PullReply {
        let (status, text) = self.post("/api/sync/pull", serde_json::json!({ "since": since }).to_string(), false).await;
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn post(&self, path: &str, body: String, gzip: bool) -> (u16, String) {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, &self.cookie);
        let bytes = if gzip {
            use std::io::Write;
            req = req.header(header::CONTENT_ENCODING, "gzip");
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(body.as_bytes()).unwrap();
            e.finish().unwrap()
        } else {
            body.into_bytes()
        };
        let res = self.app.clone().oneshot(req.body(Body::from(bytes)).unwrap()).await.unwrap();
        let status = res.status().as_u16();
        let b = axum::body::to_bytes(res.into_body(), 1 << 22).await.unwrap();
        (status, String::from_utf8_lossy(&b).into_owned())
    }
}

async fn setup() -> (app::store::Db, axum::Router, String) {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let cookie = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    (db, app, cookie)
}

fn phone(app: &axum::Router, cookie: &str, device: &str) -> Phone {
    Phone { app: app.clone(), cookie: cookie.to_string(), device: device.into() }
}

fn report(period: &str, text: &str, points: f64) -> ReportBody {
    ReportBody {
        files: Vec::new(),
        unit: "x23389".into(),
        period: period.into(),
        scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(points), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
        indicators: vec![],
        achievements: text.into(),
        movement: None,
        copied: Vec::new(),
    }
}

fn item(body: ReportBody, revision: u32, base: u32) -> PushItem {
    PushItem { id: report_id(&body.unit, &body.period), revision, base, body: ItemBody::Report(body) }
}

fn receipt(a: &Ack) -> Receipt {
    match &a.outcome {
        Outcome::Stored { receipt, .. } => receipt.clone(),
        other => panic!("not stored: {other:?}"),
    }
}

#[tokio::test]
async fn a_replayed_batch_changes_nothing_and_gets_the_same_receipts() {
    let (db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    let batch = vec![item(report("2021-10", "Tháng 10", 10.0), 1, 0), item(report("2021-11", "Tháng 11", 11.0), 1, 0)];
    let first = a.push(batch.clone()).await;
    let (subs, revs, audits) =
        (common::count(&db, "submission").await, common::count(&db, "submission_rev").await, common::count(&db, "audit").await);
    assert_eq!((subs, revs), (2, 2));
    assert_eq!(receipt(&first.acks[0]).server_time, receipt(&first.acks[1]).server_time, "one transaction for the push");
    let again = a.push(batch.clone()).await;
    assert_eq!(receipt(&first.acks[0]), receipt(&again.acks[0]), "same receipt");
    assert_eq!(receipt(&first.acks[1]), receipt(&again.acks[1]));
    assert_eq!(common::count(&db, "submission").await, subs);
    assert_eq!(common::count(&db, "submission_rev").await, revs);
    assert_eq!(common::count(&db, "audit").await, audits, "a replay writes nothing, not even to the log");
    // The same batch from another phone (a copy of the profile): the same.
    let b = phone(&app, &cookie, "phone-b");
    assert_eq!(receipt(&b.push(batch).await.acks[0]), receipt(&first.acks[0]));
    assert_eq!(receipt(&first.acks[0]).hash.len(), 64);
}

#[tokio::test]
async fn an_edit_on_an_old_revision_is_a_conflict_with_the_servers_copy() {
    let (db, app, cookie) = setup().await;
    let (a, b) = (phone(&app, &cookie, "phone-a"), phone(&app, &cookie, "phone-b"));
    a.push(vec![item(report("2021-10", "bản đầu", 10.0), 1, 0)]).await;
    // Both phones had revision 1; A edits first.
    let r = a.push(vec![item(report("2021-10", "A sửa", 12.0), 2, 1)]).await;
    receipt(&r.acks[0]);
    let r = b.push(vec![item(report("2021-10", "B sửa", 9.0), 2, 1)]).await;
    match &r.acks[0].outcome {
        Outcome::Conflict { server } => {
            assert_eq!(server.revision, 2);
            let ItemBody::Report(body) = &server.body else { panic!() };
            assert_eq!(body.achievements, "A sửa", "the server kept A's and returned it");
        }
        other => panic!("expected a conflict: {other:?}"),
    }
    // B chooses its own: it goes again on revision 2, and wins.
    receipt(&b.push(vec![item(report("2021-10", "B sửa", 9.0), 3, 2)]).await.acks[0]);
    // A brand-new report from another phone for the same period meets the same id.
    let c = phone(&app, &cookie, "phone-c");
    assert!(matches!(c.push(vec![item(report("2021-10", "C", 1.0), 1, 0)]).await.acks[0].outcome, Outcome::Conflict { .. }));
    assert_eq!(common::count(&db, "submission").await, 1);
    // A late replay of A's revision 2 still gets its first receipt.
    let late = a.push(vec![item(report("2021-10", "A sửa", 12.0), 2, 1)]).await;
    receipt(&late.acks[0]);
}

#[tokio::test]
async fn a_phone_replaces_its_own_unacknowledged_revision() {
    let (_db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    // Revision 1 reached the server; the reply was lost; the person edited.
    a.push(vec![item(report("2021-12", "trước", 5.0), 1, 0)]).await;
    let r = a.push(vec![item(report("2021-12", "sau", 6.0), 2, 0)]).await;
    receipt(&r.acks[0]);
    // Another phone may not do that.
    let b = phone(&app, &cookie, "phone-b");
    assert!(matches!(b.push(vec![item(report("2021-12", "B", 1.0), 3, 0)]).await.acks[0].outcome, Outcome::Conflict { .. }));
}

#[tokio::test]
async fn one_bad_item_does_not_hold_back_the_others() {
    let (db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    let mut bad = report("2022-01", "quá điểm", 99.0);
    bad.indicators.push(IndicatorEntry { code: "nope".into(), value: Some(1.0), ..Default::default() });
    let mut other_unit = report("2022-02", "của Bờ Y", 1.0);
    other_unit.unit = "x23395".into();
    let r = a
        .push(vec![
            item(report("2021-10", "tốt", 10.0), 1, 0),
            item(bad, 1, 0),
            item(other_unit, 1, 0),
            item(report("2021-11", "tốt", 10.0), 1, 0),
        ])
        .await;
    receipt(&r.acks[0]);
    receipt(&r.acks[3]);
    match &r.acks[1].outcome {
        Outcome::Invalid { errors } => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["scores.chi-dao.points", "indicators.nope"]);
            assert!(errors[0].message_vi.contains("phải từ 0 đến"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(r.acks[2].outcome, Outcome::Denied { .. }), "another commune's report is refused");
    assert_eq!(common::count(&db, "submission").await, 2);
}

#[tokio::test]
async fn pulls_bring_the_form_statuses_and_return_comments() {
    let (db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    let first = a.pull("").await;
    let form = first.form.expect("the commune's form");
    assert_eq!(form.unit, "x23389");
    assert_eq!(form.criteria.len(), 7);
    assert!(form.periods.iter().any(|p| p.code == "2021-10"));
    assert!(first.items.is_empty());
    let id = report_id("x23389", "2021-10");
    a.push(vec![item(report("2021-10", "bản đầu", 10.0), 1, 0)]).await;
    app::store::review::decide(&db, &id, app::domain::review::Decision::Return, "Bổ sung minh chứng tiêu chí 1", "noivu").await.unwrap();
    let next = a.pull(&first.cursor).await;
    let s = next.items.iter().find(|i| i.id == id).expect("the returned report comes back");
    assert_eq!(s.status, ReviewStatus::Returned);
    assert_eq!(s.return_comment.as_deref(), Some("Bổ sung minh chứng tiêu chí 1"));
    // Resubmitted, then accepted: final.
    receipt(&a.push(vec![item(report("2021-10", "đã bổ sung", 10.0), 2, 1)]).await.acks[0]);
    app::store::review::decide(&db, &id, app::domain::review::Decision::Accept, "", "noivu").await.unwrap();
    let r = a.push(vec![item(report("2021-10", "sửa sau khi duyệt", 10.0), 3, 2)]).await;
    assert!(matches!(&r.acks[0].outcome, Outcome::Invalid { errors } if errors[0].rule == "accepted_is_final"));
}

#[tokio::test]
async fn pushes_may_be_gzipped_and_text_is_stored_nfc() {
    let (db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    let nfd = "Xa\u{0303} \u{0110}a\u{0306}\u{0301}k Xu\u{0301}"; // "Xã Đắk Xú", decomposed
    let batch = PushBatch { protocol: PROTOCOL.into(), device: "phone-a".into(), items: vec![item(report("2021-10", nfd, 10.0), 1, 0)] };
    let (status, text) = a.post("/api/sync/push", serde_json::json!({ "batch": batch }).to_string(), true).await;
    assert_eq!(status, 200, "{text}");
    let reply: PushReply = serde_json::from_str(&text).unwrap();
    receipt(&reply.acks[0]);
    let pulled = a.pull("").await;
    let ItemBody::Report(r) = &pulled.items[0].body else { panic!() };
    assert_eq!(r.achievements, "Xã Đắk Xú");
    assert_eq!(common::count(&db, "submission").await, 1);
    // A reporter's session is needed: anonymous pushes are refused.
    let anon = Phone { cookie: String::new(), ..a };
    let (_, text) = anon.post("/api/sync/push", serde_json::json!({ "batch": batch }).to_string(), false).await;
    assert!(text.contains("Cần đăng nhập"));
}

fn nomination(kind: app::domain::award::NomineeKind, form: &str, posthumous: bool) -> app::domain::nomination::NominationBody {
    app::domain::nomination::NominationBody {
        files: Vec::new(),
        unit: "x23389".into(),
        nominee_kind: kind,
        name: "Nguyễn Thị Hoa".into(),
        birth_year: Some(1985),
        gender: Some(app::domain::nomination::Gender::Female),
        ethnicity: "Xơ Đăng".into(),
        position: "Trạm trưởng Trạm Y tế".into(),
        workplace: "Trạm Y tế xã Đắk Xú".into(),
        summary: "Trực chốt 120 ngày liên tục.".into(),
        contributions: String::new(),
        form: form.into(),
        posthumous,
        nominated_on: app::domain::date::to_iso(time::OffsetDateTime::now_utc().date()),
        movement: None,
    }
}

#[tokio::test]
async fn nominations_and_stories_are_checked_against_the_movement() {
    use app::domain::award::NomineeKind::*;
    let (db, app, cookie) = setup().await;
    let a = phone(&app, &cookie, "phone-a");
    let n = |id: &str, body| PushItem { id: id.into(), revision: 1, base: 0, body: ItemBody::Nomination(body) };
    let mut collective = nomination(Collective, "giay-khen-chu-tich-huyen", false);
    collective.name = "Tổ COVID cộng đồng thôn 3".into();
    let r = a
        .push(vec![
            n("dn-ok", nomination(Individual, "giay-khen-chu-tich-huyen", false)),
            n("dn-household-high", nomination(Household, "bang-khen-chu-tich-tinh", false)),
            n("dn-posthumous-collective", nomination(Collective, "huan-chuong-lao-dong", true)),
            n("dn-collective", collective),
        ])
        .await;
    receipt(&r.acks[0]);
    let rules = |i: usize| match &r.acks[i].outcome {
        Outcome::Invalid { errors } => errors.iter().map(|e| e.rule.clone()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(rules(1), ["form_nominee_kind"], "a household gets only a Giấy khen");
    assert_eq!(rules(2), ["posthumous_individual_only"]);
    receipt(&r.acks[3]);
    // A collective carries no personal facts, whatever the phone sent.
    let pulled = a.pull("").await;
    let stored = pulled.items.iter().find(|i| i.id == "dn-collective").unwrap();
    let ItemBody::Nomination(c) = &stored.body else { panic!() };
    assert!(c.birth_year.is_none() && c.gender.is_none());

    let s = |id: &str, area: &str| PushItem {
        id: id.into(),
        revision: 1,
        base: 0,
        body: ItemBody::Story(app::domain::story::StoryBody {
            files: Vec::new(),
            unit: "x23389".into(),
            title: "Thôn 3 không có ca mắc".into(),
            area: area.into(),
            text: "<script>alert(1)</script> Câu chuyện.".into(),
            movement: None,
        }),
    };
    let r = a.push(vec![s("gd-ok", "chi-dao"), s("gd-bad", "khong-co")]).await;
    receipt(&r.acks[0]);
    assert!(matches!(&r.acks[1].outcome, Outcome::Invalid { errors } if errors[0].field == "area"));
    assert_eq!(common::count(&db, "submission").await, 3);
}

/// Two phones create the same report at the same moment: the write's guard
/// lets one in; the other is answered with a conflict carrying the winner's
/// copy. Run many times, so the pushes really overlap in the engine.
#[tokio::test]
async fn simultaneous_first_pushes_of_one_report_store_one() {
    let (db, app, cookie) = setup().await;
    for k in 0..20 {
        let period = ["2021-10", "2021-11", "2021-12"][k % 3];
        let id = report_id("x23389", period);
        db.query("DELETE type::record('submission', $id); DELETE submission_rev WHERE sub = $id").bind(("id", id.clone())).await.unwrap();
        let (a, b) = (phone(&app, &cookie, &format!("a{k}")), phone(&app, &cookie, &format!("b{k}")));
        let (ra, rb) =
            tokio::join!(a.push(vec![item(report(period, "Máy A", 10.0), 1, 0)]), b.push(vec![item(report(period, "Máy B", 10.0), 1, 0)]));
        let stored = [&ra.acks[0].outcome, &rb.acks[0].outcome].iter().filter(|o| matches!(o, Outcome::Stored { .. })).count();
        let conflicts = [&ra.acks[0].outcome, &rb.acks[0].outcome].iter().filter(|o| matches!(o, Outcome::Conflict { .. })).count();
        assert_eq!((stored, conflicts), (1, 1), "round {k}: {ra:?} {rb:?}");
        let mut r = db.query("RETURN count(SELECT * FROM submission_rev WHERE sub = $id)").bind(("id", id.clone())).await.unwrap();
        let n: Option<i64> = r.take(0).unwrap();
        assert_eq!(n, Some(1), "round {k}: one revision row");
    }
}

/// The same, item by item (the path a push falls back to): many first
/// writes of one id at once store one, and the rest get the winner's copy.
/// None is an error: a first write whose id is taken between its lookup and
/// its `INSERT` is decided again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_first_writes_item_by_item_store_one() {
    let (db, _app, _cookie) = setup().await;
    for k in 0..10 {
        let period = ["2021-10", "2021-11"][k % 2];
        let id = report_id("x23389", period);
        db.query("DELETE type::record('submission', $id); DELETE submission_rev WHERE sub = $id").bind(("id", id.clone())).await.unwrap();
        let tasks: Vec<_> = (0..6)
            .map(|d| {
                let (db, it) = (db.clone(), item(report(period, &format!("Máy {d}"), 10.0), 1, 0));
                tokio::spawn(async move {
                    let to = app::store::submissions::To {
                        movement: Some(common::DEMO_MOVEMENT),
                        unit: "x23389",
                        device: &format!("may-{d}"),
                        actor: "dakxu",
                    };
                    app::store::submissions::apply(&db, &it, &to).await
                })
            })
            .collect();
        let mut stored = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(Outcome::Stored { .. }) => stored += 1,
                Ok(Outcome::Conflict { .. }) => {}
                other => panic!("round {k}: {other:?}"),
            }
        }
        assert_eq!(stored, 1, "round {k}");
    }
}

/// A report the district returned comes back as a new revision: the
/// district's appraisal and bonus points on it stay (they were dropped once,
/// when a resubmission replaced the whole record).
#[tokio::test]
async fn a_resubmission_keeps_the_districts_bonus_and_appraisal() {
    let (db, app, cookie) = setup().await;
    let p = phone(&app, &cookie, "may-1");
    let r = p.push(vec![item(report("2021-10", "Bản đầu", 10.0), 1, 0)]).await;
    assert!(matches!(r.acks[0].outcome, Outcome::Stored { .. }));
    let id = report_id("x23389", "2021-10");
    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    app::store::review::adjust(&db, &m, &id, app::domain::review::Adjust::Bonus, 2.0, "Mô hình hay", "noivu").await.unwrap();
    app::store::review::decide(&db, &id, app::domain::review::Decision::Return, "Bổ sung minh chứng", "noivu").await.unwrap();
    let r = p.push(vec![item(report("2021-10", "Bản bổ sung", 10.0), 2, 1)]).await;
    assert!(matches!(r.acks[0].outcome, Outcome::Stored { .. }), "{r:?}");
    let mut res = db
        .query(
            "SELECT status, adjustments, body.achievements AS text, return_comment, revision, <string> first_received_at = <string> received_at AS same_times
             FROM ONLY type::record('submission', $id)",
        )
        .bind(("id", id))
        .await
        .unwrap();
    let row: Option<serde_json::Value> = res.take(0).unwrap();
    let row = row.unwrap();
    assert_eq!((row["status"].as_str(), row["text"].as_str(), row["revision"].as_i64()), (Some("submitted"), Some("Bản bổ sung"), Some(2)));
    assert!(row["adjustments"].to_string().contains("Mô hình hay"), "the bonus stays: {row}");
    assert!(row["return_comment"].is_null(), "the return comment goes with the resubmission: {row}");
    assert_eq!(row["same_times"], false, "the first receipt time stays: {row}");
}

/// An edit replaces the body: a field the new revision no longer has is
/// gone, not kept from the old one (a collective has no birth year; a field
/// an older app version wrote is not carried along).
#[tokio::test]
async fn an_edit_replaces_the_body_it_is_based_on() {
    use app::domain::award::NomineeKind::*;
    let (db, app, cookie) = setup().await;
    let p = phone(&app, &cookie, "phone-a");
    let person = nomination(Individual, "giay-khen-chu-tich-huyen", false);
    let mut team = nomination(Collective, "giay-khen-chu-tich-huyen", false);
    team.name = "Tổ COVID cộng đồng thôn 3".into();
    let n = |revision, body| PushItem { id: "dn-doi".into(), revision, base: revision - 1, body: ItemBody::Nomination(body) };
    receipt(&p.push(vec![n(1, person)]).await.acks[0]);
    db.query("UPDATE submission:`dn-doi` SET body.old_field = 'x'").await.unwrap().check().unwrap();
    receipt(&p.push(vec![n(2, team)]).await.acks[0]);
    let mut res = db
        .query("SELECT body.name AS name, body.birth_year AS year, body.gender AS gender, body.old_field AS old, revision FROM ONLY submission:`dn-doi`")
        .await
        .unwrap();
    let row: Option<serde_json::Value> = res.take(0).unwrap();
    let row = row.unwrap();
    assert_eq!((row["name"].as_str(), row["revision"].as_i64()), (Some("Tổ COVID cộng đồng thôn 3"), Some(2)));
    assert!(row["year"].is_null() && row["gender"].is_null() && row["old"].is_null(), "nothing of the old body is left: {row}");
}

/// The audit log shows what each push replaced: nothing for a first write,
/// the body stored before for an edit.
#[tokio::test]
async fn each_write_is_audited_with_the_body_it_replaced() {
    let (db, app, cookie) = setup().await;
    let p = phone(&app, &cookie, "may-1");
    receipt(&p.push(vec![item(report("2021-10", "Bản đầu", 10.0), 1, 0)]).await.acks[0]);
    receipt(&p.push(vec![item(report("2021-10", "Bản sửa", 12.0), 2, 1)]).await.acks[0]);
    let filter = app::store::audit::AuditFilter {
        subject: Some(report_id("x23389", "2021-10")),
        action: Some("report".into()),
        ..Default::default()
    };
    let mut rows = app::store::audit::list(&db, &filter, 10).await.unwrap();
    rows.reverse();
    let text = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v["achievements"].as_str().map(str::to_string));
    let pairs: Vec<(Option<String>, Option<String>)> = rows.iter().map(|r| (text(&r.before), text(&r.after))).collect();
    let pairs: Vec<(Option<&str>, Option<&str>)> = pairs.iter().map(|(b, a)| (b.as_deref(), a.as_deref())).collect();
    assert_eq!(pairs, [(None, Some("Bản đầu")), (Some("Bản đầu"), Some("Bản sửa"))]);
}

/// An item's id is the phone's to choose, so another unit's phone may send
/// an id that is already this unit's: it is refused and the item is kept.
#[tokio::test]
async fn another_units_item_id_is_not_taken_over() {
    let (db, app, cookie) = setup().await;
    let story = |unit: &str, text: &str, revision: u32| PushItem {
        id: "gd-shared-id".into(),
        revision,
        base: revision - 1,
        body: ItemBody::Story(app::domain::story::StoryBody {
            files: Vec::new(),
            unit: unit.into(),
            title: "Câu chuyện".into(),
            area: "chi-dao".into(),
            text: text.into(),
            movement: None,
        }),
    };
    receipt(&phone(&app, &cookie, "may-a").push(vec![story("x23389", "Của Đắk Xú", 1)]).await.acks[0]);
    let other = common::session_cookie(&db, "boy", Role::UnitReporter, "x23395").await;
    for revision in [1, 2] {
        let r = phone(&app, &other, "may-b").push(vec![story("x23395", "Ghi đè", revision)]).await;
        assert!(matches!(r.acks[0].outcome, Outcome::Denied { .. } | Outcome::Conflict { .. }), "{r:?}");
        assert!(!format!("{r:?}").contains("Của Đắk Xú"), "another unit's text is not shown: {r:?}");
    }
    let mut res = db.query("SELECT body.text AS text, record::id(unit) AS unit FROM ONLY submission:`gd-shared-id`").await.unwrap();
    let row: Option<serde_json::Value> = res.take(0).unwrap();
    assert_eq!(row.unwrap(), serde_json::json!({ "text": "Của Đắk Xú", "unit": "x23389" }));
}

/// Pushes are checked against the movement held in memory; saving the
/// movement again (in any process sharing the database) is seen at once, and
/// another database in this process never gets this one's copy.
#[tokio::test]
async fn a_resaved_movement_is_what_the_next_push_is_checked_against() {
    let (db, _app, _cookie) = setup().await;
    let other = common::mem_db().await;
    server::demo::load(&other).await.unwrap();
    let form = app::store::submissions::form_for(&db, "x23389").await.unwrap().unwrap();
    let mut m = app::store::movements::current(&db).await.unwrap().unwrap();
    m.definition.name_vi = "Phong trào đã sửa".into();
    let first = m.periods[0].code.clone();
    m.periods[0].label_vi = "Kỳ đã sửa".into();
    app::store::movements::save(&db, &m, true).await.unwrap();
    let now = app::store::movements::current(&db).await.unwrap().unwrap();
    assert_eq!(now.definition.name_vi, "Phong trào đã sửa");
    let label = |f: &app::domain::report::ReportForm| f.periods.iter().find(|p| p.code == first).map(|p| p.label_vi.clone());
    let after = app::store::submissions::form_for(&db, "x23389").await.unwrap().unwrap();
    assert_ne!(label(&form).as_deref(), Some("Kỳ đã sửa"));
    assert_eq!(label(&after).as_deref(), Some("Kỳ đã sửa"));
    let theirs = app::store::movements::current(&other).await.unwrap().unwrap();
    assert_ne!(theirs.definition.name_vi, "Phong trào đã sửa");
}
