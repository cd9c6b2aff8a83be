//! A store made by an earlier release opens whole in this one: every item,
//! revision and receipt, and the same rankings. The fixture
//! (`fixtures/store-2026-12.surql.gz`, a SurrealDB export of a store holding
//! the demo with its activity (reports accepted, returned and waiting, late
//! and on time; difficulties) and a report edited through sync) was made by
//! the release of December 2026, before movements carried versions; `fixtures/store-2026-12.expected.json` is what that
//! release read from it. Regenerate both only for a new fixture, with the
//! release that makes it:
//! `cargo test -p app -p server --features app/ssr --test release_fixture -- --ignored`
mod common;
use app::domain::report::{report_id, ReportBody, ReportIds, ScoreEntry};
use app::domain::sync::{check_item, ItemBody, Outcome, PushItem};
use app::store::accounts;
use app::store::{clusters, leaderboard, movements, submissions, Db};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;

const NAME: &str = "store-2026-12";
/// Any fixed instant: boards rank what is stored, and the late penalty only
/// needs "after every deadline".
const NOW: &str = "2026-12-06T12:00:00Z";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// A board's row: unit, rank, total.
type Ranked = (String, u32, f64);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Reading {
    counts: Vec<(String, i64)>,
    /// (id, revision, hash, server time) of every stored revision.
    receipts: Vec<(String, u32, String, String)>,
    /// (cluster, period) → (unit, rank, total) per row.
    boards: Vec<(String, String, Vec<Ranked>)>,
}

fn to() -> submissions::To<'static> {
    submissions::To { movement: Some(common::DEMO_MOVEMENT), unit: "x23389", device: "fixture-phone", actor: "fixture" }
}

const TABLES: [&str; 9] = ["unit", "cluster", "movement", "account", "submission", "submission_rev", "audit", "migration", "display_link"];

async fn read(db: &Db) -> Reading {
    let mut counts = Vec::new();
    for t in TABLES {
        counts.push((t.to_string(), common::count(db, t).await));
    }
    let mut res = db
        .query("SELECT sub, revision, hash, <string> received_at AS server_time FROM submission_rev ORDER BY sub, revision")
        .await
        .unwrap();
    #[derive(Deserialize)]
    struct Rev {
        sub: String,
        revision: u32,
        hash: String,
        server_time: String,
    }
    let revs: Vec<serde_json::Value> = res.take(0).unwrap();
    let receipts =
        revs.into_iter().map(|v| serde_json::from_value::<Rev>(v).unwrap()).map(|r| (r.sub, r.revision, r.hash, r.server_time)).collect();
    let m = movements::current(db).await.unwrap().expect("the movement");
    let now = time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339).unwrap();
    let mut boards = Vec::new();
    for c in clusters::list(db).await.unwrap() {
        for p in m.periods.iter().take(6) {
            let b = leaderboard::board(db, &m, &c.id, &p.code, now, false).await.unwrap();
            boards.push((c.id.clone(), p.code.clone(), b.rows.iter().map(|r| (r.unit.clone(), r.rank, r.total)).collect()));
        }
    }
    Reading { counts, receipts, boards }
}

/// Đắk Xú's October report, filed and then edited: as the fixture's release
/// sent it (`None`: its ids and bodies named no movement), or as this one
/// does.
fn edited_report(movement: Option<&str>) -> Vec<PushItem> {
    let body = |text: &str, points: f64| ReportBody {
        files: Vec::new(),
        unit: "x23389".into(),
        period: "2021-10".into(),
        scores: vec![ScoreEntry { area: "chi-dao".into(), points: Some(points), evidence: "Nghị quyết 12/NQ-ĐU".into() }],
        indicators: vec![],
        achievements: text.into(),
        movement: movement.map(Into::into),
        copied: Vec::new(),
    };
    let id = match movement {
        None => report_id(ReportIds::Unscoped, common::DEMO_MOVEMENT, "x23389", "2021-10"),
        Some(m) => report_id(ReportIds::Scoped, m, "x23389", "2021-10"),
    };
    vec![
        PushItem { id: id.clone(), revision: 1, base: 0, body: ItemBody::Report(body("Tháng 10, bản đầu", 9.0)) },
        PushItem { id, revision: 2, base: 1, body: ItemBody::Report(body("Tháng 10, đã sửa", 10.0)) },
    ]
}

/// Makes the fixture with the release at hand (see the module's comment).
#[tokio::test]
#[ignore]
async fn make_fixture() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    server::demo::activity::load(&db).await.unwrap();
    accounts::create(&db, common::dakxu(), None).await.unwrap();
    for item in edited_report(Some(common::DEMO_MOVEMENT)) {
        let out = submissions::apply_all(&db, &[item], &to()).await.unwrap();
        assert!(matches!(out[0], Outcome::Stored { .. }), "{out:?}");
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    db.export(file.path()).await.unwrap();
    let mut text = Vec::new();
    std::fs::File::open(file.path()).unwrap().read_to_end(&mut text).unwrap();
    std::fs::create_dir_all(dir()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&text).unwrap();
    std::fs::write(dir().join(format!("{NAME}.surql.gz")), gz.finish().unwrap()).unwrap();
    let expected = read(&db).await;
    std::fs::write(dir().join(format!("{NAME}.expected.json")), serde_json::to_string_pretty(&expected).unwrap()).unwrap();
}

#[tokio::test]
async fn a_store_from_the_december_2026_release_opens_whole() {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir().join(format!("{NAME}.surql.gz"))).unwrap()).read_to_string(&mut text).unwrap();
    let expected: Reading = serde_json::from_str(&std::fs::read_to_string(dir().join(format!("{NAME}.expected.json"))).unwrap()).unwrap();

    // The old store, as it was; then this release opens it (migrations run).
    let db: Db = surrealdb::engine::any::connect("mem://").await.unwrap();
    db.use_ns("thidua").use_db("main").await.unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &text).unwrap();
    db.import(file.path()).await.unwrap();
    app::store::migrations::migrate(&db).await.unwrap();

    let now = read(&db).await;
    // Migrations may add their own rows; nothing else changes count.
    for ((t, was), (_, is)) in expected.counts.iter().zip(&now.counts) {
        if t == "migration" {
            assert!(is >= was, "{t}: {was} → {is}");
        } else {
            assert_eq!(was, is, "{t}");
        }
    }
    assert_eq!(expected.receipts, now.receipts, "every revision keeps its receipt");
    assert_eq!(expected.boards, now.boards, "the same rankings");
    let r = common::dakxu();
    assert!(accounts::verify(&db, &r.username, &r.password).await.unwrap().is_some(), "the account still signs in");

    // A phone that never saw its acknowledgements sends both revisions again:
    // each gets its first receipt back, and nothing is stored twice.
    let form = submissions::form_for(&db, "x23389").await.unwrap().expect("Đắk Xú's form");
    assert_eq!(form.report_ids, ReportIds::Unscoped, "the fixture's movement keeps its report ids");
    let today = app::domain::date::vn_date(time::OffsetDateTime::now_utc());
    for mut item in edited_report(None) {
        assert_eq!(check_item(&mut item, Some(&form), "x23389", today), None, "the push rules take the old phone's item");
        let out = submissions::apply_all(&db, std::slice::from_ref(&item), &to()).await.unwrap();
        let Outcome::Stored { receipt, .. } = &out[0] else { panic!("{out:?}") };
        let first = expected.receipts.iter().find(|r| r.0 == item.id && r.1 == item.revision).expect("in the fixture");
        assert_eq!((&receipt.hash, &receipt.server_time), (&first.2, &first.3), "revision {}", item.revision);
        assert_eq!(receipt.hash, submissions::content_hash(&item));
    }
    assert_eq!(common::count(&db, "submission_rev").await, expected.counts.iter().find(|c| c.0 == "submission_rev").unwrap().1);

    // Every item it held now names the movement it was filed for.
    let mut res = db
        .query("SELECT VALUE count() FROM submission WHERE movement != type::record('movement', $m) GROUP ALL")
        .bind(("m", common::DEMO_MOVEMENT))
        .await
        .unwrap();
    let others: Option<i64> = res.take(0).unwrap();
    assert_eq!(others.unwrap_or(0), 0, "every submission is the demo movement's");

    // A phone of this release files for the same movement under its old ids.
    let mut next = edited_report(None).remove(0);
    next.id = report_id(ReportIds::Unscoped, common::DEMO_MOVEMENT, "x23389", "2021-11");
    let ItemBody::Report(b) = &mut next.body else { unreachable!() };
    b.period = "2021-11".into();
    b.movement = Some(common::DEMO_MOVEMENT.into());
    assert_eq!(check_item(&mut next, Some(&form), "x23389", today), None);
    let out = submissions::apply_all(&db, std::slice::from_ref(&next), &to()).await.unwrap();
    assert!(matches!(out[0], Outcome::Stored { .. }), "{out:?}");
    let m = movements::current(&db).await.unwrap().unwrap();
    let desk = app::store::review::period_desk(&db, &m, "d611", "2021-11", now_fixed()).await.unwrap();
    assert!(desk.rows.iter().any(|r| r.report.as_deref() == Some(next.id.as_str())), "the desk finds it under its id");

    // A movement added to the old store keys its reports by movement.
    let mut copy = m.clone();
    copy.id = "covid-2021-ban-sao".into();
    movements::save(&db, &copy, false).await.unwrap();
    let copy = movements::current(&db).await.unwrap().unwrap();
    assert_eq!((copy.id.as_str(), copy.report_ids), ("covid-2021-ban-sao", ReportIds::Scoped));
    assert_eq!(copy.report_id("x23389", "2021-10"), "rep-covid-2021-ban-sao.x23389.2021-10");
}

fn now_fixed() -> time::OffsetDateTime {
    time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339).unwrap()
}
