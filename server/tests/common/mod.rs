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
