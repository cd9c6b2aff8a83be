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
