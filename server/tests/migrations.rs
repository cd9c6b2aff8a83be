mod common;
use app::store::migrations::{applied, migrate, MIGRATIONS};

async fn info(db: &app::store::Db) -> String {
    let mut r = db.query("INFO FOR DB").await.unwrap();
    let v: Option<serde_json::Value> = r.take(0).unwrap();
    v.unwrap().to_string()
}

#[tokio::test]
async fn migrations_run_once_and_rerunning_changes_nothing() {
    let db = common::mem_db().await; // connect() already migrated
    let expected: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(applied(&db).await.unwrap(), expected);
    let before = info(&db).await;
    assert!(before.contains("unit"), "schema defines the unit table: {before}");
    let now = migrate(&db).await.unwrap();
    assert!(now.is_empty(), "nothing left to apply, got {now:?}");
    assert_eq!(info(&db).await, before);
    assert_eq!(common::count(&db, "migration").await, MIGRATIONS.len() as i64);
}

#[tokio::test]
async fn schema_refuses_bad_rows() {
    let db = common::mem_db().await;
    let bad_kind = db.query("CREATE unit:x CONTENT { code: 'x', name: 'X', kind: 'planet', search: 'x' }").await.unwrap().check();
    assert!(bad_kind.is_err(), "unknown kind refused");
    let empty_name = db.query("CREATE unit:y CONTENT { code: 'y', name: '', kind: 'commune', search: '' }").await.unwrap().check();
    assert!(empty_name.is_err(), "empty name refused");
    db.query("CREATE unit:z CONTENT { code: 'z', name: 'Z', kind: 'commune', search: 'z' }").await.unwrap().check().unwrap();
    let dup = db.query("CREATE unit:z2 CONTENT { code: 'z', name: 'Z2', kind: 'commune', search: 'z' }").await.unwrap().check();
    assert!(dup.is_err(), "unique code index holds");
    let bad_date = db
        .query("CREATE period CONTENT { movement: movement:m, code: 'p', kind: 'month', label_vi: 'x', label_en: 'x', starts_on: '2021-13-01', ends_on: '2021-10-31', deadline: '2021-11-05' }")
        .await
        .unwrap()
        .check();
    assert!(bad_date.is_err(), "malformed date refused");
}

/// A store a newer release has migrated is refused, by `migrate` and by the
/// dry run, with words that say what to do; an older store lists what it
/// lacks.
#[tokio::test]
async fn a_store_from_a_newer_release_is_refused() {
    use app::store::migrations::{latest, pending};
    let db = common::mem_db().await;
    assert!(pending(&db).await.unwrap().is_empty());
    let last = MIGRATIONS.last().unwrap();
    db.query("DELETE migration WHERE version = $v").bind(("v", last.version)).await.unwrap().check().unwrap();
    assert_eq!(pending(&db).await.unwrap().iter().map(|m| m.version).collect::<Vec<_>>(), [latest()]);
    db.query("CREATE migration CONTENT { version: $v, name: $n }")
        .bind(("v", last.version))
        .bind(("n", last.name))
        .await
        .unwrap()
        .check()
        .unwrap();
    db.query("CREATE migration CONTENT { version: $v, name: 'from the future' }").bind(("v", latest() + 1)).await.unwrap().check().unwrap();
    for e in [migrate(&db).await.unwrap_err(), pending(&db).await.unwrap_err()] {
        assert!(matches!(e, app::store::StoreError::NewerSchema { found, known } if found == latest() + 1 && known == latest()), "{e}");
        assert!(e.to_string().contains("phiên bản mới hơn"), "{e}");
    }
}

/// Migration 15 on a store of schema 14: each sitting takes its first
/// nomination's movement, a published story its source's, and what has
/// neither the movement that was there first; display links keep showing
/// the current movement.
#[tokio::test]
async fn sittings_and_published_stories_take_the_movement_of_what_they_came_from() {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    // A second, newer movement: the nominations below are filed in it.
    app::store::movements::copy(&db, common::DEMO_MOVEMENT, "moi", "Mới", "noivu").await.unwrap();
    db.query("UPDATE movement:moi SET status = 'published', created_at = time::now() + 1s").await.unwrap().check().unwrap();
    use app::domain::sync::{ItemBody, PushItem};
    let item = |id: &str, body: ItemBody| PushItem { id: id.into(), revision: 1, base: 0, body };
    let nominee = app::domain::nomination::NominationBody {
        files: Vec::new(),
        unit: "x23389".into(),
        nominee_kind: app::domain::award::NomineeKind::Collective,
        name: "Tổ COVID thôn 3".into(),
        birth_year: None,
        gender: None,
        ethnicity: String::new(),
        position: String::new(),
        workplace: String::new(),
        summary: "Trực chốt.".into(),
        contributions: String::new(),
        form: "giay-khen-chu-tich-huyen".into(),
        posthumous: false,
        nominated_on: "2026-12-01".into(),
        movement: Some("moi".into()),
    };
    let story = app::domain::story::StoryBody {
        files: Vec::new(),
        unit: "x23389".into(),
        title: "T".into(),
        area: "chi-dao".into(),
        text: "x".into(),
        movement: Some("moi".into()),
    };
    let to = app::store::submissions::To { movement: Some("moi"), unit: "x23389", device: "p", actor: "dakxu" };
    let items = [item("dn-1", ItemBody::Nomination(nominee)), item("gd-1", ItemBody::Story(story))];
    app::store::submissions::apply_all(&db, &items, &to).await.unwrap();
    // Back to schema 14, with rows made then.
    db.query(
        "REMOVE INDEX sitting_movement ON sitting; REMOVE INDEX story_pub_movement ON story_pub;
         REMOVE FIELD movement ON sitting; REMOVE FIELD movement ON story_pub;
         REMOVE FIELD movement ON display_link; REMOVE FIELD period ON display_link; REMOVE FIELD clusters ON display_link;
         DELETE migration WHERE version = 15;
         CREATE sitting:s1 CONTENT { title: 'Phiên 1', nominations: ['dn-1'], members: [], rules: {}, opened_by: 'noivu' };
         CREATE sitting:s2 CONTENT { title: 'Phiên 2', nominations: [], members: [], rules: {}, opened_by: 'noivu' };
         CREATE story_pub:p1 CONTENT { title: 'T', text: 'x', unit: 'x23389', area: 'chi-dao', source: 'gd-1', published_by: 'bt' };
         CREATE story_pub:p2 CONTENT { title: 'T', text: 'x', unit: 'x23389', area: 'chi-dao', published_by: 'bt' };",
    )
    .await
    .unwrap()
    .check()
    .unwrap();
    assert_eq!(migrate(&db).await.unwrap(), [15]);
    let mut res = db
        .query(
            "SELECT VALUE [record::id(id), record::id(movement)] FROM sitting ORDER BY id;
             SELECT VALUE [record::id(id), record::id(movement)] FROM story_pub ORDER BY id;",
        )
        .await
        .unwrap();
    let sittings: Vec<(String, String)> = res.take(0).unwrap();
    let stories: Vec<(String, String)> = res.take(1).unwrap();
    let first = common::DEMO_MOVEMENT.to_string();
    assert_eq!(sittings, [("s1".into(), "moi".into()), ("s2".into(), first.clone())]);
    assert_eq!(stories, [("p1".into(), "moi".into()), ("p2".into(), first)]);
}
