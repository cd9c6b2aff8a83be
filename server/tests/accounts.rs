mod common;
use app::domain::auth::Role;
use app::store::accounts::{self, NewAccount};
use app::store::StoreError;

async fn demo() -> app::store::Db {
    let db = common::mem_db().await;
    server::demo::load(&db).await.unwrap();
    db
}

fn reporter(username: &str, password: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: "Y Đức (minh họa)".into(),
        role: Role::UnitReporter,
        unit: "x23389".into(),
        password: password.into(),
    }
}

fn rule(e: StoreError) -> String {
    match e {
        StoreError::Invalid(errs) => format!("{}:{}", errs[0].field, errs[0].rule),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn sign_in_checks_the_password() {
    let db = demo().await;
    accounts::create(&db, reporter("dakxu", "mat-khau-dak-xu-2021"), Some("cli")).await.unwrap();
    let a = accounts::verify(&db, "dakxu", "mat-khau-dak-xu-2021").await.unwrap().expect("right password");
    assert_eq!((a.role, a.unit.as_str()), (Role::UnitReporter, "x23389"));
    assert!(accounts::verify(&db, "dakxu", "sai-mat-khau-roi").await.unwrap().is_none(), "wrong password");
    assert!(accounts::verify(&db, "khong-co", "mat-khau-dak-xu-2021").await.unwrap().is_none(), "unknown user");
    let hash: Option<String> = db.query("SELECT VALUE password_hash FROM ONLY account:dakxu").await.unwrap().take(0).unwrap();
    assert!(hash.unwrap().starts_with("$argon2id$"), "stored as an argon2id hash");
}

#[tokio::test]
async fn account_rules_name_the_field() {
    let db = demo().await;
    assert_eq!(rule(accounts::create(&db, reporter("dakxu", "ngan"), None).await.unwrap_err()), "password:password_length");
    assert_eq!(rule(accounts::create(&db, reporter("Đắk Xú", "mat-khau-dai-du"), None).await.unwrap_err()), "username:username_format");
    let mut n = reporter("dakxu", "mat-khau-dai-du");
    n.unit = "x99999".into();
    assert_eq!(rule(accounts::create(&db, n, None).await.unwrap_err()), "unit:unit_exists");
    accounts::create(&db, reporter("dakxu", "mat-khau-dai-du"), None).await.unwrap();
    assert_eq!(rule(accounts::create(&db, reporter("dakxu", "mat-khau-khac-nua"), None).await.unwrap_err()), "username:username_taken");
    assert_eq!(common::count(&db, "account").await, 1);
}

#[tokio::test]
async fn metacharacters_in_names_are_text() {
    let db = demo().await;
    let mut n = reporter("boy.baocao", "mat-khau-bo-y-2021");
    n.display_name = "Nguyễn 'x'; DELETE account; -- \" ⟩".into();
    n.unit = "x23395".into();
    let a = accounts::create(&db, n, None).await.unwrap();
    assert_eq!(accounts::get(&db, "boy.baocao").await.unwrap().unwrap().display_name, a.display_name);
}

#[tokio::test]
async fn sessions_expire_and_are_revoked() {
    let db = demo().await;
    accounts::create(&db, reporter("dakxu", "mat-khau-dak-xu-2021"), None).await.unwrap();
    let long = accounts::create_session(&db, "dakxu", "90d").await.unwrap();
    assert_eq!(long.len(), 64);
    assert_eq!(accounts::session_account(&db, &long).await.unwrap().unwrap().username, "dakxu");
    assert!(accounts::session_account(&db, "not-a-token").await.unwrap().is_none());

    let short = accounts::create_session(&db, "dakxu", "50ms").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    assert!(accounts::session_account(&db, &short).await.unwrap().is_none(), "expired");

    accounts::revoke_session(&db, &long).await.unwrap();
    assert!(accounts::session_account(&db, &long).await.unwrap().is_none(), "signed out");

    let other = accounts::create_session(&db, "dakxu", "90d").await.unwrap();
    accounts::set_password(&db, "dakxu", "mat-khau-moi-2022", Some("d611.noivu")).await.unwrap();
    assert!(accounts::session_account(&db, &other).await.unwrap().is_none(), "a password change ends sessions");
    assert!(accounts::verify(&db, "dakxu", "mat-khau-moi-2022").await.unwrap().is_some());
}

#[tokio::test]
async fn account_writes_are_audited() {
    let db = demo().await;
    accounts::create(&db, reporter("dakxu", "mat-khau-dak-xu-2021"), Some("cli")).await.unwrap();
    accounts::set_password(&db, "dakxu", "mat-khau-moi-2022", Some("noivu")).await.unwrap();
    let mut r =
        db.query("SELECT actor, action, subject, after FROM audit WHERE string::starts_with(action, 'account') ORDER BY at").await.unwrap();
    let rows: Vec<serde_json::Value> = r.take(0).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["action"], "account.create");
    assert_eq!(rows[0]["actor"], "cli");
    assert_eq!(rows[0]["after"]["unit"], "x23389");
    assert!(rows[0]["after"].get("password").is_none() && rows[0]["after"].get("password_hash").is_none(), "no secrets in the log");
    assert_eq!(rows[1]["action"], "account.password_reset");
    assert_eq!(rows[1]["subject"], "account:dakxu");
}
