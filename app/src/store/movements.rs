//! Movements and their periods.

use super::{json, rows, Checked, Db, Result};
use crate::domain::movement::{Movement, MovementDefinition};
use crate::domain::period::{Period, PeriodKind};
use serde::Deserialize;

/// Saves a movement and its periods in one transaction. Saving the same
/// movement again updates it in place (period keys are stable).
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
            demo: $demo
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
    definition: MovementDefinition,
}

/// The newest movement, with its periods in order: months, then reviews.
pub async fn current(db: &Db) -> Result<Option<Movement>> {
    // One round trip: every push and page asks for it.
    let mut res = db
        .query(
            "LET $m = (SELECT id, code AS code, organiser.code AS organiser, definition, created_at FROM movement ORDER BY created_at DESC LIMIT 1)[0];
             RETURN IF $m = NONE THEN [] ELSE [{ id: $m.code, organiser: $m.organiser, definition: $m.definition }] END;
             SELECT code, kind, label_vi, label_en, starts_on, ends_on, deadline FROM period WHERE $m != NONE AND movement = $m.id;",
        )
        .await?;
    let Some(row) = rows::<MovementRow>(&mut res, 1)?.into_iter().next() else {
        return Ok(None);
    };
    let mut periods: Vec<Period> = rows(&mut res, 2)?;
    periods.sort_by(|a, b| {
        (a.kind != PeriodKind::Month, a.ends_on, &a.code).cmp(&(b.kind != PeriodKind::Month, b.ends_on, &b.code))
    });
    Ok(Some(Movement { id: row.id, organiser: row.organiser, definition: row.definition, periods }))
}
