//! Nominations through the district and its council, over the real
//! endpoints: the award rules the desk enforces (a nominee's second open
//! nomination; the district deciding only its own forms), one vote per
//! member, no counts before the sitting closes, quorum and threshold at the
//! close, minutes, and the decision with verification codes. (A household
//! beyond Giấy khen and a posthumous collective are refused at the push:
//! server/tests/sync.rs.)
mod common;
use app::api::council::{BallotItem, Minutes, NominationDesk, Stage};
use app::domain::auth::Role;
use app::domain::award::NomineeKind;
use app::domain::council::Outcome;
use app::domain::nomination::{Gender, NominationBody};
use app::domain::sync::*;
use common::call;

fn nominee(unit: &str, kind: NomineeKind, name: &str, form: &str) -> NominationBody {
    let person = kind == NomineeKind::Individual;
    NominationBody {
        files: Vec::new(),
        unit: unit.into(),
        nominee_kind: kind,
        name: name.into(),
        birth_year: person.then_some(1985),
        gender: person.then_some(Gender::Female),
        ethnicity: if person { "Xơ Đăng".into() } else { String::new() },
        position: if person { "Trạm trưởng Trạm Y tế".into() } else { String::new() },
        workplace: if person { "Trạm Y tế xã".into() } else { String::new() },
        summary: "Trực chốt 120 ngày liên tục.".into(),
        contributions: String::new(),
        form: form.into(),
        posthumous: false,
        nominated_on: app::domain::date::to_iso(time::OffsetDateTime::now_utc().date()),
        movement: None,
    }
}

async fn push(app: &axum::Router, cookie: &str, items: Vec<(&str, NominationBody)>) {
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone".into(),
        items: items.into_iter().map(|(id, b)| PushItem { id: id.into(), revision: 1, base: 0, body: ItemBody::Nomination(b) }).collect(),
    };
    let (status, text) = call(app, cookie, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains("invalid"), "{text}");
}

async fn desk(app: &axum::Router, officer: &str) -> NominationDesk {
    let (status, text) = call(app, officer, "/api/council/desk", "").await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A GET with the session cookie: status, content type, body.
async fn get(app: &axum::Router, cookie: &str, path: &str) -> (u16, String, Vec<u8>) {
    use tower::ServiceExt;
    let req = axum::http::Request::get(path).header(axum::http::header::COOKIE, cookie).body(axum::body::Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let ctype = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, ctype, axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap().to_vec())
}

fn ids(list: &[&str]) -> String {
    list.iter().enumerate().map(|(i, id)| format!("ids[{i}]={id}")).collect::<Vec<_>>().join("&")
}

/// The demo district with its officer, Đắk Xú's reporter and a council of three.
struct District {
    db: app::store::Db,
    app: axum::Router,
    officer: String,
    dakxu: String,
    council: Vec<String>,
    _site: tempfile::TempDir,
}

async fn district() -> District {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let app = server::router(db.clone(), server::leptos_options(site.path()));
    let officer = common::session_cookie(&db, "noivu", Role::DistrictOfficer, "d611").await;
    let dakxu = common::session_cookie(&db, "dakxu", Role::UnitReporter, "x23389").await;
    let mut council = Vec::new();
    for name in ["hd1", "hd2", "hd3"] {
        council.push(common::session_cookie(&db, name, Role::CouncilMember, "d611").await);
    }
    District { db, app, officer, dakxu, council, _site: site }
}

#[tokio::test]
async fn nominations_go_through_the_council_to_a_decision() {
    let District { db, app, officer, dakxu, council, _site } = district().await;
    let boy = common::session_cookie(&db, "boy", Role::UnitReporter, "x23395").await;

    push(
        &app,
        &dakxu,
        vec![
            ("dn-hoa", nominee("x23389", NomineeKind::Individual, "Nguyễn Thị Hoa", "giay-khen-chu-tich-huyen")),
            ("dn-to", nominee("x23389", NomineeKind::Collective, "Tổ COVID cộng đồng thôn 3", "giay-khen-chu-tich-huyen")),
            ("dn-lan", nominee("x23389", NomineeKind::Individual, "Y Lan", "bang-khen-chu-tich-tinh")),
        ],
    )
    .await;
    // Bờ Y nominates the same person (case and diacritics aside, same birth year).
    push(&app, &boy, vec![("dn-hoa-2", nominee("x23395", NomineeKind::Individual, "NGUYEN THI HOA", "giay-khen-chu-tich-huyen"))]).await;

    // The desk: both of Hoa's nominations name the one-open-nomination rule.
    let d = desk(&app, &officer).await;
    assert_eq!(d.rows.len(), 4);
    assert_eq!(d.council_members, 3);
    let row = |d: &NominationDesk, id: &str| d.rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(row(&d, "dn-hoa").violations[0].rule, "one_open_nomination");
    assert_eq!(row(&d, "dn-hoa-2").violations[0].rule, "one_open_nomination");
    assert!(row(&d, "dn-to").violations.is_empty() && row(&d, "dn-to").district_decides);
    assert!(row(&d, "dn-lan").violations.is_empty() && !row(&d, "dn-lan").district_decides, "a provincial form goes up");
    let (status, text) = call(&app, &officer, "/api/council/open", &format!("title=Phiên+1&{}", ids(&["dn-hoa", "dn-to"]))).await;
    assert_ne!(status, 200);
    assert!(text.contains("Nguyễn Thị Hoa") && text.contains("chưa xử lý xong"), "{text}");
    // Return the duplicate: the first becomes eligible; the unit sees the comment.
    let (status, text) = call(
        &app,
        &officer,
        "/api/council/return",
        "id=dn-hoa-2&comment=Tr%C3%B9ng+v%E1%BB%9Bi+%C4%91%E1%BB%81+ngh%E1%BB%8B+c%E1%BB%A7a+x%C3%A3+%C4%90%E1%BA%AFk+X%C3%BA",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (_, pulled) = call(&app, &boy, "/api/sync/pull", r#"{"since":""}"#).await;
    assert!(pulled.contains("Trùng với đề nghị"), "{pulled}");
    assert!(desk(&app, &officer).await.rows.iter().find(|r| r.id == "dn-hoa").unwrap().violations.is_empty());

    let (status, sitting) = call(
        &app,
        &officer,
        "/api/council/open",
        &format!("title=Phi%C3%AAn+h%E1%BB%8Dp+th%C3%A1ng+12&{}", ids(&["dn-hoa", "dn-to", "dn-lan"])),
    )
    .await;
    assert_eq!(status, 200, "{sitting}");
    let sitting: String = serde_json::from_str(&sitting).unwrap();
    let d = desk(&app, &officer).await;
    assert!(d.rows.iter().filter(|r| r.id != "dn-hoa-2").all(|r| r.stage == Stage::Council));
    // The unit can no longer change a nomination the council is weighing.
    let mut edit = nominee("x23389", NomineeKind::Individual, "Nguyễn Thị Hoa", "huan-chuong-lao-dong");
    edit.summary = "Sửa sau khi đã trình".into();
    let batch = PushBatch {
        protocol: PROTOCOL.into(),
        device: "phone".into(),
        items: vec![PushItem { id: "dn-hoa".into(), revision: 2, base: 1, body: ItemBody::Nomination(edit) }],
    };
    let (_, text) = call(&app, &dakxu, "/api/sync/push", &serde_json::json!({ "batch": batch }).to_string()).await;
    assert!(text.contains("accepted_is_final"), "{text}");

    // Votes: hd1 and hd2 vote, hd3 stays away. One vote each.
    let vote = |who: usize, n: &str, choice: &str| {
        let (app, cookie, body) = (app.clone(), council[who].clone(), format!("sitting={sitting}&nomination={n}&choice={choice}"));
        async move { call(&app, &cookie, "/api/council/vote", &body).await }
    };
    for (who, n, c) in [
        (0, "dn-hoa", "approve"),
        (0, "dn-to", "reject"),
        (0, "dn-lan", "approve"),
        (1, "dn-hoa", "approve"),
        (1, "dn-lan", "approve"),
        (1, "dn-to", "abstain"),
    ] {
        let (status, text) = vote(who, n, c).await;
        assert_eq!(status, 200, "{text}");
    }
    let (status, text) = vote(0, "dn-hoa", "reject").await;
    assert_ne!(status, 200);
    assert!(text.contains("mỗi người chỉ một phiếu"), "{text}");
    // Nothing is counted before the close: not for members, not for the officer.
    let (status, text) = call(&app, &council[0], "/api/council/minutes", &format!("sitting={sitting}")).await;
    assert!(status != 200 && text.contains("chưa có kết quả"), "{text}");
    let (_, text) = call(&app, &council[2], "/api/council/ballot", "").await;
    let ballot: Vec<BallotItem> = serde_json::from_str(&text).unwrap();
    assert_eq!(ballot.len(), 3);
    assert!(ballot.iter().all(|b| b.mine.is_none()), "hd3 sees no one's votes but its own (none)");
    let (_, text) = call(&app, &council[0], "/api/council/ballot", "").await;
    assert!(!text.contains("hd2"), "a ballot never names other voters: {text}");
    let s = desk(&app, &officer).await.sittings.into_iter().find(|s| s.id == sitting).unwrap();
    assert_eq!((s.voted, s.members, s.closed), (2, 3, false), "the officer sees who has voted, not how");
    assert!(
        db.query("SELECT * FROM audit WHERE action = 'council.vote' AND after.choice != NONE")
            .await
            .unwrap()
            .take::<Vec<serde_json::Value>>(0)
            .unwrap()
            .is_empty(),
        "the audit log keeps the ballot secret"
    );

    // Close: 2 of 3 present is the 2/3 quorum; 2 approvals are more than half of 3.
    let (status, text) = call(&app, &officer, "/api/council/close", &format!("sitting={sitting}")).await;
    assert_eq!(status, 200, "{text}");
    let minutes: Minutes = serde_json::from_str(&text).unwrap();
    assert_eq!(minutes.attended, vec!["hd1".to_string(), "hd2".to_string()]);
    let result = |id: &str| minutes.rows.iter().find(|r| r.nomination == id).unwrap();
    assert_eq!((result("dn-hoa").outcome, result("dn-hoa").tally.approve), (Outcome::Passed, 2));
    assert_eq!(result("dn-lan").outcome, Outcome::Passed);
    let to = result("dn-to");
    assert_eq!((to.outcome, to.tally.reject, to.tally.abstain), (Outcome::Failed, 1, 1));
    assert!(minutes.rule_vi.contains("2/3"));
    let (status, _) = vote(2, "dn-to", "approve").await;
    assert_ne!(status, 200, "no vote after the close");

    // Decisions: the district decides its Giấy khen; a provincial form is
    // refused by name; a failed nomination is not decided.
    let decide = |list: &[&str]| format!("{}&number=125%2FQ%C4%90-UBND&date=2022-01-10&signer=Nguy%E1%BB%85n+V%C4%83n+A", ids(list));
    let (status, text) = call(&app, &officer, "/api/council/decide", &decide(&["dn-lan"])).await;
    assert_ne!(status, 200);
    assert!(text.contains("phải trình cấp trên"), "{text}");
    let (status, text) = call(&app, &officer, "/api/council/decide", &decide(&["dn-to"])).await;
    assert!(status != 200 && text.contains("chưa được Hội đồng thông qua"), "{text}");
    let (status, text) = call(&app, &officer, "/api/council/decide", &decide(&["dn-hoa"])).await;
    assert_eq!(status, 200, "{text}");
    let d = desk(&app, &officer).await;
    let hoa = row(&d, "dn-hoa");
    assert_eq!((hoa.stage, hoa.decision_number.as_deref()), (Stage::Decided, Some("125/QĐ-UBND")));
    let code: Option<String> = db.query("SELECT VALUE decision.code FROM ONLY submission:⟨dn-hoa⟩").await.unwrap().take(0).unwrap();
    assert_eq!(code.as_ref().map(|c| c.len()), Some(10));
    let code = code.unwrap();

    // The certificate: a PDF page with the Vietnamese intact and the code.
    let (status, ctype, pdf) = get(&app, &officer, "/giay-khen.pdf?qd=125%2FQ%C4%90-UBND").await;
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("giay-khen.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "GIẤY KHEN",
        "Nguyễn Thị Hoa",
        "ỦY BAN NHÂN DÂN HUYỆN NGỌC HỒI",
        "Độc lập - Tự do - Hạnh phúc",
        "Quyết định số 125/QĐ-UBND ngày 10/01/2022",
        "Ngọc Hồi, ngày 10 tháng 01 năm 2022",
        &format!("Mã xác minh: {code}"),
    ] {
        assert!(text.contains(expected), "{expected:?} not in the certificate text:\n{text}");
    }
    let png = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-singlefile"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(png.success());
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::copy(dir.path().join("page.png"), artifacts.join("giay-khen.png")).unwrap();
    assert!(std::fs::metadata(dir.path().join("page.png")).unwrap().len() > 10_000, "a rendered page, not a blank one");
    let (status, _, _) = get(&app, &dakxu, "/giay-khen.pdf?qd=125%2FQ%C4%90-UBND").await;
    assert_eq!(status, 403, "certificates are printed by the district");

    // The public page: the code checks out; name, unit and form only.
    let (status, text) = call(&app, "", "/api/awards/public", &format!("q=nguyen+thi+hoa&code={}", code.to_lowercase())).await;
    assert_eq!(status, 200, "{text}");
    let public: app::api::awards::PublicAwards = serde_json::from_str(&text).unwrap();
    assert_eq!(public.awards.len(), 1, "found without diacritics");
    assert_eq!(public.checked.as_ref().and_then(|(_, a)| a.as_ref()).map(|a| a.name.as_str()), Some("Nguyễn Thị Hoa"));
    assert!(!text.contains("1985") && !text.contains("Xơ Đăng") && !text.contains("Trạm trưởng"), "no personal facts in public: {text}");
    let (_, text) = call(&app, "", "/api/awards/public", "q=&code=ABCDEFGHJK").await;
    assert!(text.contains("\"checked\":[\"ABCDEFGHJK\",null]"), "{text}");

    // The provincial form goes up: the list and the minutes as XLSX, then the outcome.
    let (status, text) = call(&app, &officer, "/api/council/forward", &ids(&["dn-hoa"])).await;
    assert!(status != 200 && text.contains("chưa được Hội đồng thông qua"), "decided already: {text}");
    let (status, text) = call(&app, &officer, "/api/council/forward", &ids(&["dn-lan"])).await;
    assert_eq!(status, 200, "{text}");
    let m = app::store::movements::current(&db).await.unwrap().unwrap();
    let (list, _) = app::store::nominations::forwarded(&db, &m).await.unwrap();
    assert_eq!(list.len(), 1);
    let (status, _, xlsx) = get(&app, &officer, "/xuat/trinh-cap-tren.xlsx").await;
    assert_eq!(status, 200);
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        let names = wb.sheet_names();
        assert_eq!(names[0], "Danh sách đề nghị");
        assert!(names.iter().any(|n| n.starts_with("Biên bản")), "{names:?}");
        let list = wb.worksheet_range("Danh sách đề nghị").unwrap();
        assert_eq!(list.get_value((1, 1)), Some(&Data::String("Y Lan".into())));
        assert_eq!(list.get_value((1, 3)), Some(&Data::Float(1985.0)), "the province gets the facts the public does not");
        assert_eq!(list.get_value((1, 9)), Some(&Data::String("Bằng khen của Chủ tịch UBND tỉnh".into())));
        assert_eq!(
            (list.get_value((1, 12)), list.get_value((1, 15))),
            (Some(&Data::Float(2.0)), Some(&Data::Float(3.0))),
            "approvals of all members"
        );
    }
    let (status, text) = call(&app, &officer, "/api/council/outcome", "id=dn-to&awarded=true&number=9&date=2022-03-01").await;
    assert!(status != 200 && text.contains("chưa được trình cấp trên"), "{text}");
    let (status, text) =
        call(&app, &officer, "/api/council/outcome", "id=dn-lan&awarded=true&number=412%2FQ%C4%90-UBND&date=2022-03-01").await;
    assert_eq!(status, 200, "{text}");
    let (_, text) = call(&app, "", "/api/awards/public", "q=y+lan&code=").await;
    assert!(text.contains("412/QĐ-UBND") && text.contains("Bằng khen của Chủ tịch UBND tỉnh"), "{text}");

    // The officer's register: by decision month, by form, by name without diacritics.
    let register = |args: &str| {
        let (app, officer, args) = (app.clone(), officer.clone(), args.to_string());
        async move {
            let (status, text) = call(&app, &officer, "/api/awards/register", &args).await;
            assert_eq!(status, 200, "{text}");
            let r: app::api::awards::Register = serde_json::from_str(&text).unwrap();
            r.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(register("q=&unit=&form=&period=2022-01").await, ["Nguyễn Thị Hoa"]);
    assert_eq!(register("q=&unit=&form=bang-khen-chu-tich-tinh&period=").await, ["Y Lan"]);
    assert_eq!(register("q=NGUYEN+thi&unit=x23389&form=&period=2022").await, ["Nguyễn Thị Hoa"]);
    assert!(register("q=&unit=x23395&form=&period=").await.is_empty(), "Bờ Y's nomination was returned");

    // A member of the council reads the minutes; a reporter cannot.
    let (status, _) = call(&app, &council[2], "/api/council/minutes", &format!("sitting={sitting}")).await;
    assert_eq!(status, 200);
    let (_, text) = call(&app, &dakxu, "/api/council/minutes", &format!("sitting={sitting}")).await;
    assert!(text.contains("Tài khoản không có quyền này"));
}

#[tokio::test]
async fn without_a_quorum_nothing_is_decided_and_the_nomination_can_be_put_again() {
    let District { app, officer, dakxu, council, _site, .. } = district().await;
    push(&app, &dakxu, vec![("dn-to", nominee("x23389", NomineeKind::Collective, "Tổ COVID thôn 3", "giay-khen-chu-tich-huyen"))]).await;
    let (_, sitting) = call(&app, &officer, "/api/council/open", &format!("title=Phi%C3%AAn+1&{}", ids(&["dn-to"]))).await;
    let sitting: String = serde_json::from_str(&sitting).unwrap();
    // One of three approves: 1 present is under 2/3.
    let (status, _) = call(&app, &council[0], "/api/council/vote", &format!("sitting={sitting}&nomination=dn-to&choice=approve")).await;
    assert_eq!(status, 200);
    let (_, text) = call(&app, &officer, "/api/council/close", &format!("sitting={sitting}")).await;
    let minutes: Minutes = serde_json::from_str(&text).unwrap();
    assert_eq!(minutes.rows[0].outcome, Outcome::NoQuorum);
    let d = desk(&app, &officer).await;
    assert_eq!(d.rows[0].stage, Stage::Desk, "back at the desk");
    let (status, text) = call(&app, &officer, "/api/council/open", &format!("title=Phi%C3%AAn+2&{}", ids(&["dn-to"]))).await;
    assert_eq!(status, 200, "{text}");
    let (status, text) = call(&app, &officer, "/api/council/close", &format!("sitting={sitting}")).await;
    assert!(status != 200 && text.contains("đã kết thúc"), "a sitting closes once: {text}");
}
