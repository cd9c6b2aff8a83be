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
pub mod difficulties;
pub mod displays;
pub mod files;
pub mod leaderboard;
pub mod migrations;
pub mod movement_file;
pub mod movements;
pub mod nominations;
pub mod review;
pub mod showcase;
pub mod submissions;
pub mod succession;
pub mod units;

use crate::domain::FieldError;
use serde::de::DeserializeOwned;
use surrealdb::engine::any::Any;
use surrealdb::types::QueryError;
use surrealdb::Surreal;

pub type Db = Surreal<Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] surrealdb::Error),
    #[error("unreadable row: {0}")]
    Decode(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("not found: {0}")]
    NotFound(String),
    /// The object store of evidence files (`files::Blobs`) failed.
    #[error("file storage: {0}")]
    Blob(String),
    #[error(
        "cơ sở dữ liệu đã được một phiên bản mới hơn nâng cấp (lược đồ {found}; bản này chỉ biết đến {known}): hãy chạy phiên bản đó hoặc mới hơn / \
         the store was migrated by a newer release (schema {found}; this release knows up to {known}): run that release or a newer one"
    )]
    NewerSchema { found: i64, known: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    fn engine(&self) -> Option<&surrealdb::Error> {
        match self {
            StoreError::Db(e) => Some(e),
            _ => None,
        }
    }

    /// A transaction conflict with another writer: trying again can succeed.
    pub(crate) fn is_conflict(&self) -> bool {
        self.engine().is_some_and(|e| matches!(e.query_details(), Some(QueryError::TransactionConflict)))
    }

    /// Another writer created the same record or UNIQUE index entry first:
    /// deciding again, on what is stored now, can succeed.
    pub(crate) fn is_taken(&self) -> bool {
        self.engine().is_some_and(|e| e.is_already_exists() || is_unique_violation(e))
    }

    /// A second entry for a UNIQUE index (a member's second vote, say).
    pub(crate) fn is_unique_violation(&self) -> bool {
        self.engine().is_some_and(is_unique_violation)
    }

    /// One of our transactions' guards (`THROW`) found the state moved.
    pub(crate) fn is_guard(&self) -> bool {
        self.engine().is_some_and(surrealdb::Error::is_thrown)
    }
}

/// SurrealDB 3.3 reports a UNIQUE index violation (`IndexExists`) as a bare
/// internal error: its message is the only sign, and this the only place
/// that reads it.
fn is_unique_violation(e: &surrealdb::Error) -> bool {
    e.is_internal()
        && e.message().starts_with("Database index `")
        && e.message().split('`').nth(2).is_some_and(|r| r.starts_with(" already contains "))
}

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
        DbConfig { url: "mem://".into(), namespace: "thidua".into(), database: "main".into(), username: None, password: None }
    }
}

/// SurrealKV's memory, unless the URL names its own: SurrealDB otherwise
/// sizes the memtable and block cache from the host's RAM (1 GiB and 11 GiB
/// on a 24 GiB machine), and a district server shares its machine. With a
/// 64 MiB memtable and a 16 MiB cache a server holding the whole country's
/// year peaks under 300 MB; a 64 MiB cache added ~50 MB and no speed, the
/// files being in the OS's page cache anyway (BENCHMARKS.md). The
/// sizes reach the engine through vendor/surrealdb-kvs-surrealkv.
pub const SURREALKV_SIZES: [(&str, u64); 2] = [("surrealkv_max_memtable_size", 64 << 20), ("surrealkv_block_cache_capacity", 16 << 20)];

/// SurrealQL to put after reads whose answer a phone keeps: an empty write
/// transaction, whose commit waits for the next grouped fsync of the
/// SurrealKV WAL (`sync=every`). SurrealKV makes a commit visible before it
/// is on disk, so a read can see a write that a crash then loses; a phone
/// told "stored" (a replayed push, a pull) on such a read would later be
/// answered "conflict" by a server a revision behind (RELIABILITY.md). The
/// fsync covers every commit visible before it. Cheap in memory; about one
/// grouped fsync on disk.
pub(crate) const DURABLE_READ: &str = "BEGIN TRANSACTION; COMMIT TRANSACTION;";

/// `url` with [`SURREALKV_SIZES`] added where it is a `surrealkv://` URL
/// that does not set them itself.
pub fn storage_url(url: &str) -> String {
    if !url.starts_with("surrealkv://") {
        return url.to_string();
    }
    let mut out = url.to_string();
    for (key, bytes) in SURREALKV_SIZES {
        let given = url.split_once('?').is_some_and(|(_, q)| q.split('&').any(|kv| kv.split('=').next() == Some(key)));
        if !given {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(&format!("{key}={bytes}"));
        }
    }
    out
}

/// Connects and signs in where needed, and nothing else (for
/// `migrate --dry-run`: see what `connect` would apply).
pub async fn open(cfg: &DbConfig) -> Result<Db> {
    let db = surrealdb::engine::any::connect(storage_url(&cfg.url)).await?;
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        db.signin(surrealdb::opt::auth::Root { username: u.clone(), password: p.clone() }).await?;
    }
    db.use_ns(cfg.namespace.as_str()).use_db(cfg.database.as_str()).await?;
    Ok(db)
}

/// Connects, signs in where needed, selects namespace and database, and
/// brings the schema up to date.
pub async fn connect(cfg: &DbConfig) -> Result<Db> {
    let db = surrealdb::engine::any::connect(storage_url(&cfg.url)).await?;
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        db.signin(surrealdb::opt::auth::Root { username: u.clone(), password: p.clone() }).await?;
    }
    // App nodes starting together on an empty server define the namespace,
    // the database and the schema at once, and one may lose with a
    // transaction conflict anywhere in that: it tries again (every step is
    // idempotent) until the other node's work is visible.
    let mut attempt = 0;
    loop {
        let ready: Result<()> = async {
            db.use_ns(cfg.namespace.as_str()).use_db(cfg.database.as_str()).await?;
            migrations::migrate(&db).await?;
            Ok(())
        }
        .await;
        match ready {
            Err(e) if e.is_conflict() && migrations::wait_to_retry(&mut attempt).await => {
                tracing::warn!(error = %e, "database set-up conflicted with another node; trying again");
            }
            r => return r.map(|()| db),
        }
    }
}

/// Takes statement `idx` of a response as rows of `T`.
pub(crate) fn rows<T: DeserializeOwned>(res: &mut surrealdb::IndexedResults, idx: usize) -> Result<Vec<T>> {
    let raw: Vec<serde_json::Value> = res.take(idx)?;
    raw.into_iter().map(|v| serde_json::from_value(v).map_err(|e| StoreError::Decode(e.to_string()))).collect()
}

/// Takes statement `idx` of a response (a `SELECT … FROM ONLY`) as one
/// optional `T`.
pub(crate) fn one<T: DeserializeOwned>(res: &mut surrealdb::IndexedResults, idx: usize) -> Result<Option<T>> {
    let raw: Option<serde_json::Value> = res.take(idx)?;
    raw.map(|v| serde_json::from_value(v).map_err(|e| StoreError::Decode(e.to_string()))).transpose()
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
        let pos = errs.iter().position(|(_, e)| e.query_details() != Some(&QueryError::NotExecuted)).unwrap_or(0);
        Err(StoreError::Db(errs.swap_remove(pos).1))
    }
}

#[cfg(test)]
mod tests {
    use super::storage_url;

    #[test]
    fn surrealkv_urls_get_our_sizes_unless_they_name_their_own() {
        assert_eq!(
            storage_url("surrealkv://data/db"),
            "surrealkv://data/db?surrealkv_max_memtable_size=67108864&surrealkv_block_cache_capacity=16777216"
        );
        assert_eq!(
            storage_url("surrealkv://d?sync=every&surrealkv_max_memtable_size=1048576"),
            "surrealkv://d?sync=every&surrealkv_max_memtable_size=1048576&surrealkv_block_cache_capacity=16777216"
        );
        assert_eq!(storage_url("mem://"), "mem://");
        assert_eq!(storage_url("ws://db:8000"), "ws://db:8000");
    }
}
