//! Versioned schema migrations, applied in order at start-up. The `migration`
//! table records what ran, so running again changes nothing; each migration
//! and its record commit together or not at all.

use super::{Checked, Db, Result, StoreError};

#[derive(Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial schema: units, clusters, movements, periods, imports",
        sql: include_str!("migrations/0001_initial.surql"),
    },
    Migration { version: 2, name: "accounts, sessions, audit log", sql: include_str!("migrations/0002_accounts.surql") },
    Migration { version: 3, name: "import run status", sql: include_str!("migrations/0003_import_status.surql") },
    Migration { version: 4, name: "display links, import actor, audit indexes", sql: include_str!("migrations/0004_admin.surql") },
    Migration {
        version: 5,
        name: "submissions through sync, with their revisions",
        sql: include_str!("migrations/0005_submissions.surql"),
    },
    Migration {
        version: 6,
        name: "review desk: appraisal, reviewer, difficulty answers",
        sql: include_str!("migrations/0006_review.surql"),
    },
    Migration { version: 7, name: "bonus and deduction points on reports", sql: include_str!("migrations/0007_adjustments.surql") },
    Migration {
        version: 8,
        name: "nominations through the council: stages, sittings, votes, decisions",
        sql: include_str!("migrations/0008_council.surql"),
    },
    Migration {
        version: 9,
        name: "nominations forwarded to the deciding level, and their outcome",
        sql: include_str!("migrations/0009_forwarding.surql"),
    },
    Migration { version: 10, name: "the showcase of published stories", sql: include_str!("migrations/0010_showcase.surql") },
    Migration {
        version: 11,
        name: "a stamp on each saved movement, for the in-memory copy",
        sql: include_str!("migrations/0011_movement_stamp.surql"),
    },
    Migration {
        version: 12,
        name: "voided items, sign-in delays by account and device",
        sql: include_str!("migrations/0012_void_and_throttle.surql"),
    },
    Migration {
        version: 13,
        name: "movements with a status and their report ids' shape; submissions keyed by movement",
        sql: include_str!("migrations/0013_movement_keys.surql"),
    },
    Migration {
        version: 14,
        name: "movement versions: the earlier definitions of a published movement",
        sql: include_str!("migrations/0014_movement_versions.surql"),
    },
    Migration {
        version: 15,
        name: "council sittings, published stories and display links belong to a movement",
        sql: include_str!("migrations/0015_movement_owns_council_showcase_displays.surql"),
    },
    Migration {
        version: 16,
        name: "units with the dates they existed; old units' successors; the office that signs a movement's reports",
        sql: include_str!("migrations/0016_units_with_dates.surql"),
    },
    Migration {
        version: 17,
        name: "evidence files: what the server knows of each, and which unit sent it",
        sql: include_str!("migrations/0017_evidence_files.surql"),
    },
];

const BOOTSTRAP: &str = "
DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime DEFAULT time::now();
DEFINE INDEX IF NOT EXISTS migration_version ON migration FIELDS version UNIQUE;
";

/// Applies what has not run yet; returns the versions applied now.
pub async fn migrate(db: &Db) -> Result<Vec<i64>> {
    // Two nodes defining the same table at once can conflict; the second try
    // finds it defined.
    let mut attempt = 0;
    while let Err(e) = db.query(BOOTSTRAP).await.map_err(Into::into).and_then(|r| r.checked()) {
        if !wait_to_retry(&mut attempt).await {
            return Err(e);
        }
    }
    let done = applied(db).await?;
    refuse_newer(&done)?;
    let mut now = Vec::new();
    for m in MIGRATIONS {
        if done.contains(&m.version) {
            continue;
        }
        let sql = format!(
            "BEGIN TRANSACTION;\n{}\nCREATE type::record('migration', $version) CONTENT {{ version: $version, name: $name }};\nCOMMIT TRANSACTION;",
            m.sql
        );
        // Several app nodes sharing one database start together: another
        // node may be applying this very migration, so ours conflicts. Once
        // it is recorded, that is success; until then, try again (the other
        // node may not have committed when we hear of the conflict).
        let mut attempt = 0;
        loop {
            let res = match db.query(sql.as_str()).bind(("version", m.version)).bind(("name", m.name)).await {
                Ok(r) => r.checked().map(|_| ()),
                Err(e) => Err(e.into()),
            };
            match res {
                Ok(()) => {
                    tracing::info!(version = m.version, name = m.name, "migration applied");
                    now.push(m.version);
                    break;
                }
                Err(_) if applied(db).await?.contains(&m.version) => {
                    tracing::info!(version = m.version, "migration applied by another node");
                    break;
                }
                Err(e) if !e.is_conflict() => return Err(e),
                Err(e) => {
                    if !wait_to_retry(&mut attempt).await {
                        return Err(e);
                    }
                }
            }
        }
    }
    Ok(now)
}

/// The newest schema this release knows.
pub fn latest() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// A store a newer release has migrated is not this release's to open: its
/// data may have shapes this code would misread or overwrite.
fn refuse_newer(done: &[i64]) -> Result<()> {
    match done.iter().copied().max() {
        Some(found) if found > latest() => Err(StoreError::NewerSchema { found, known: latest() }),
        _ => Ok(()),
    }
}

/// What `migrate` would apply to this store, in order, without applying it
/// (refused, like `migrate`, for a store a newer release has migrated).
pub async fn pending(db: &Db) -> Result<Vec<&'static Migration>> {
    // A store nothing has opened yet has no `migration` table.
    let done = applied(db).await.unwrap_or_default();
    refuse_newer(&done)?;
    Ok(MIGRATIONS.iter().filter(|m| !done.contains(&m.version)).collect())
}

/// Waits a little longer on each try (50 ms, 100 ms, …); false once 20
/// tries are spent.
pub(crate) async fn wait_to_retry(attempt: &mut u64) -> bool {
    *attempt += 1;
    if *attempt > 20 {
        return false;
    }
    tokio::time::sleep(std::time::Duration::from_millis(50 * *attempt)).await;
    true
}

/// Versions recorded as applied, in order.
pub async fn applied(db: &Db) -> Result<Vec<i64>> {
    let mut res = db.query("SELECT VALUE version FROM migration ORDER BY version").await?;
    Ok(res.take(0)?)
}
