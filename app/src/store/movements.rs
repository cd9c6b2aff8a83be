//! Movements and their periods.

use super::{json, rows, Checked, Db, Result};
use crate::domain::movement::{Movement, MovementDefinition};
use crate::domain::period::{Period, PeriodKind};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// Saves a movement and its periods in one transaction. Saving the same
/// movement again updates it in place (period keys are stable) under a new
/// stamp, which is how every process learns its copy is stale.
pub async fn save(db: &Db, m: &Movement, demo: bool) -> Result<()> {
    db.query(
        "BEGIN TRANSACTION;
        UPSERT type::record('movement', $id) MERGE {
            code: $id,
            organiser: type::record('unit', $organiser),
            template_id: $def.template_id,
            template_version: $def.version,
            name: $def.name_vi,
            definition: $def,
            demo: $demo,
            stamp: <string> rand::uuid()
        };
        FOR $p IN $periods {
            UPSERT type::record('period', [$id, $p.code]) MERGE {
                movement: type::record('movement', $id),
                code: $p.code,
                kind: $p.kind,
                label_vi: $p.label_vi,
                label_en: $p.label_en,
                starts_on: $p.starts_on,
                ends_on: $p.ends_on,
                deadline: $p.deadline
            };
        };
        COMMIT TRANSACTION;",
    )
    .bind(("id", m.id.clone()))
    .bind(("organiser", m.organiser.clone()))
    .bind(("def", json(&m.definition)))
    .bind(("periods", json(&m.periods)))
    .bind(("demo", demo))
    .await?
    .checked()?;
    Ok(())
}

#[derive(Deserialize)]
struct MovementRow {
    id: String,
    organiser: String,
    stamp: String,
    definition: MovementDefinition,
}

/// The last movements read, by stamp. Keyed by stamp, not code: one process
/// may hold several databases (tests), and a stamp is new on every save.
static HELD: Mutex<Vec<(String, Arc<Movement>)>> = Mutex::new(Vec::new());
const HELD_MAX: usize = 4;

/// The newest movement, with its periods in order: months, then reviews.
pub async fn current(db: &Db) -> Result<Option<Movement>> {
    Ok(current_shared(db).await?.map(|m| (*m).clone()))
}

/// `current`, shared: every push and page asks for it, so the definition is
/// read and decoded only when its stamp changed (one small read otherwise).
pub async fn current_shared(db: &Db) -> Result<Option<Arc<Movement>>> {
    let mut res = db.query(format!("RETURN {STAMP};")).await?;
    let Some(stamp) = res.take::<Option<String>>(0)? else {
        return Ok(None);
    };
    stamped(db, &stamp).await
}

/// SurrealQL for the current movement's stamp (NONE without a movement).
pub(crate) const STAMP: &str = "(SELECT stamp, created_at FROM movement ORDER BY created_at DESC LIMIT 1)[0].stamp";

/// The current movement, given the stamp just read: from memory when held.
pub(crate) async fn stamped(db: &Db, stamp: &str) -> Result<Option<Arc<Movement>>> {
    if let Some(m) = held(stamp) {
        return Ok(Some(m));
    }
    let Some((stamp, m)) = read_current(db).await? else {
        return Ok(None);
    };
    let m = Arc::new(m);
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    held.retain(|(s, _)| *s != stamp);
    held.insert(0, (stamp, m.clone()));
    held.truncate(HELD_MAX);
    Ok(Some(m))
}

fn held(stamp: &str) -> Option<Arc<Movement>> {
    HELD.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(s, _)| s == stamp).map(|(_, m)| m.clone())
}

/// The newest movement as stored, with the stamp it was read under.
async fn read_current(db: &Db) -> Result<Option<(String, Movement)>> {
    // One round trip: the movement, then its periods (saved together).
    let mut res = db
        .query(
            "LET $m = (SELECT id, code AS code, organiser.code AS organiser, definition, stamp, created_at FROM movement ORDER BY created_at DESC LIMIT 1)[0];
             RETURN IF $m = NONE THEN [] ELSE [{ id: $m.code, organiser: $m.organiser, stamp: $m.stamp, definition: $m.definition }] END;
             SELECT code, kind, label_vi, label_en, starts_on, ends_on, deadline FROM period WHERE $m != NONE AND movement = $m.id;",
        )
        .await?;
    let Some(row) = rows::<MovementRow>(&mut res, 1)?.into_iter().next() else {
        return Ok(None);
    };
    let mut periods: Vec<Period> = rows(&mut res, 2)?;
    periods.sort_by(|a, b| (a.kind != PeriodKind::Month, a.ends_on, &a.code).cmp(&(b.kind != PeriodKind::Month, b.ends_on, &b.code)));
    Ok(Some((row.stamp, Movement { id: row.id, organiser: row.organiser, definition: row.definition, periods })))
}
