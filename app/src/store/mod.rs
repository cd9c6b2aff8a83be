//! The database: SurrealDB through `engine::any`, so one URL picks embedded
//! SurrealKV (`surrealkv://path`), memory (`mem://`, tests) or a server
//! (`ws://host:8000`). Server side only; the WASM build never compiles it.
//!
//! Rows cross the boundary as JSON (`serde_json::Value` is a `SurrealValue`),
//! so the domain's serde types are the only record types there are.

pub mod accounts;
pub mod audit;
pub mod catalogue_import;
pub mod clusters;
pub mod consolidation;
pub mod council;
pub mod displays;
pub mod leaderboard;
pub mod migrations;
pub mod movements;
pub mod review;
pub mod showcase;
pub mod submissions;
pub mod units;

use crate::domain::FieldError;
use serde::de::DeserializeOwned;
use surrealdb::engine::any::Any;
use surrealdb::Surreal;

pub type Db = Surreal<Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] surrealdb::Error),
    #[error("unreadable row: {0}")]
    Decode(String),
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not found: {0}")]
    NotFound(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where the data lives.
#[derive(Clone, Debug)]
pub struct DbConfig {
    pub url: String,
    pub namespace: String,
    pub database: String,
    /// Credentials for a remote SurrealDB server; embedded engines need none.
    pub username: Option<String>,
    pub password: Option<String>,
}

impl DbConfig {
    pub fn memory() -> Self {
        DbConfig {
            url: "mem://".into(),
            namespace: "thidua".into(),
            database: "main".into(),
            username: None,
            password: None,
        }
    }
}

/// Connects, signs in where needed, selects namespace and database, and
/// brings the schema up to date.
pub async fn connect(cfg: &DbConfig) -> Result<Db> {
    let db = surrealdb::engine::any::connect(cfg.url.as_str()).await?;
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        db.signin(surrealdb::opt::auth::Root { username: u.clone(), password: p.clone() }).await?;
    }
    db.use_ns(cfg.namespace.as_str()).use_db(cfg.database.as_str()).await?;
    migrations::migrate(&db).await?;
    Ok(db)
}

/// Takes statement `idx` of a response as rows of `T`.
pub(crate) fn rows<T: DeserializeOwned>(res: &mut surrealdb::IndexedResults, idx: usize) -> Result<Vec<T>> {
    let raw: Vec<serde_json::Value> = res.take(idx)?;
    raw.into_iter()
        .map(|v| serde_json::from_value(v).map_err(|e| StoreError::Decode(e.to_string())))
        .collect()
}

/// Serialises a domain value for binding as a query parameter.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("domain types serialise to JSON")
}

/// Whether the database answers; for `/healthz`.
pub async fn ping(db: &Db) -> Result<()> {
    db.query("RETURN 1").await?.checked()?;
    Ok(())
}

/// Like `IndexedResults::check`, but reports the statement that failed rather
/// than the "not executed due to a failed transaction" of those after it.
pub(crate) trait Checked: Sized {
    fn checked(self) -> Result<Self>;
}

impl Checked for surrealdb::IndexedResults {
    fn checked(mut self) -> Result<Self> {
        let mut errs: Vec<(usize, surrealdb::Error)> = self.take_errors().into_iter().collect();
        if errs.is_empty() {
            return Ok(self);
        }
        errs.sort_by_key(|(i, _)| *i);
        let pos = errs.iter().position(|(_, e)| !e.to_string().contains("not executed")).unwrap_or(0);
        Err(StoreError::Db(errs.swap_remove(pos).1))
    }
}
