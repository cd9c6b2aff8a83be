#![allow(dead_code)]
use app::store::{connect, Db, DbConfig};

/// A fresh in-memory database with the schema applied.
pub async fn mem_db() -> Db {
    connect(&DbConfig::memory()).await.expect("mem:// connects")
}

/// A database on disk, as the app runs it.
pub async fn kv_db(dir: &std::path::Path) -> Db {
    let cfg = DbConfig { url: format!("surrealkv://{}", dir.display()), ..DbConfig::memory() };
    connect(&cfg).await.expect("surrealkv connects")
}

pub async fn count(db: &Db, table: &str) -> i64 {
    let mut r = db.query("RETURN (SELECT count() AS n FROM type::table($t) GROUP ALL)[0].n ?? 0").bind(("t", table.to_string())).await.unwrap();
    let n: Option<i64> = r.take(0).unwrap();
    n.unwrap_or(0)
}

/// Creates an account and a session for it; returns the Cookie header value.
pub async fn session_cookie(db: &Db, username: &str, role: app::domain::auth::Role, unit: &str) -> String {
    use app::store::accounts::{self, NewAccount};
    accounts::create(
        db,
        NewAccount {
            username: username.into(),
            display_name: format!("Người thử {username}"),
            role,
            unit: unit.into(),
            password: "mat-khau-thu-nghiem".into(),
        },
        None,
    )
    .await
    .expect("account created");
    let token = accounts::create_session(db, username, "1h").await.unwrap();
    format!("thidua_session={token}")
}
