//! Movements and their periods: saved, listed, copied, moved through their
//! lifecycle (`domain::lifecycle`), and the current one held in memory.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::lifecycle::MovementStatus;
use crate::domain::movement::{Movement, MovementDefinition};
use crate::domain::period::{Period, PeriodKind};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// Saves a movement and its periods in one transaction, with its status.
/// Saving the same movement again updates it in place (period keys are
/// stable) under a new stamp, which is how every process learns its copy is
/// stale.
pub async fn save(db: &Db, m: &Movement, demo: bool) -> Result<()> {
    save_with(db, m, demo, None).await
}

/// `save`, with an audit entry written in the same transaction.
async fn save_with(db: &Db, m: &Movement, demo: bool, audit: Option<serde_json::Value>) -> Result<()> {
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
            status: $status,
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
        IF $audit != NONE { CREATE audit CONTENT $audit };
        COMMIT TRANSACTION;",
    )
    .bind(("id", m.id.clone()))
    .bind(("organiser", m.organiser.clone()))
    .bind(("def", json(&m.definition)))
    .bind(("periods", json(&m.periods)))
    .bind(("demo", demo))
    .bind(("status", m.status.code()))
    .bind(("audit", audit))
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
    #[serde(default)]
    report_ids: crate::domain::report::ReportIds,
    #[serde(default)]
    status: MovementStatus,
    #[serde(default)]
    earlier: Vec<crate::domain::version::Earlier>,
    #[serde(default)]
    organiser_name: String,
}

/// The last movements read, by stamp. Keyed by stamp, not code: one process
/// may hold several databases (tests), and a stamp is new on every save.
static HELD: Mutex<Vec<(String, Arc<Movement>)>> = Mutex::new(Vec::new());
const HELD_MAX: usize = 4;

/// The current movement, with its periods in order: months, then reviews.
/// Current is the newest published, else the newest closed: a draft never
/// shows to units, and an archived one is out of the way.
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

/// SurrealQL for the current movement's stamp (NONE without one).
pub(crate) const STAMP: &str = "(SELECT stamp, created_at, status = 'published' AS open FROM movement \
    WHERE status IN ['published', 'closed'] ORDER BY open DESC, created_at DESC LIMIT 1)[0].stamp";

/// SurrealQL, in a query whose `$parent` is a unit: the stamps of the
/// published movements that unit files for, newest first. A unit files for
/// the movements its own organisers run: its own, its parent's, and so up
/// five levels (province, district, commune, village, and one more).
pub(crate) const FILES_FOR: &str = "(SELECT stamp, created_at FROM movement WHERE status = 'published' \
    AND organiser IN [$parent.id, $parent.parent, $parent.parent.parent, $parent.parent.parent.parent, $parent.parent.parent.parent.parent] \
    ORDER BY created_at DESC).stamp";

/// The movement saved under `stamp`: from memory when held.
pub(crate) async fn stamped(db: &Db, stamp: &str) -> Result<Option<Arc<Movement>>> {
    if let Some(m) = held(stamp) {
        return Ok(Some(m));
    }
    let Some((stamp, m)) = read(db, Pick::Stamp(stamp)).await? else {
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

/// Which movement `read` reads.
enum Pick<'a> {
    Code(&'a str),
    Stamp(&'a str),
}

/// A movement as stored, with the stamp it was read under.
async fn read(db: &Db, pick: Pick<'_>) -> Result<Option<(String, Movement)>> {
    // One round trip: the movement, then its periods (saved together).
    let (which, code) = match pick {
        Pick::Code(c) => ("FROM movement WHERE code = $code LIMIT 1", c.to_string()),
        Pick::Stamp(s) => ("FROM movement WHERE stamp = $code LIMIT 1", s.to_string()),
    };
    let mut res = db
        .query(format!(
            "LET $m = (SELECT id, code, organiser.code AS organiser, organiser.name AS organiser_name, definition, earlier, stamp, report_ids, status {which})[0];
             RETURN IF $m = NONE THEN [] ELSE [{{ id: $m.code, organiser: $m.organiser, stamp: $m.stamp, definition: $m.definition, earlier: $m.earlier ?? [], report_ids: $m.report_ids, status: $m.status, organiser_name: $m.organiser_name ?? '' }}] END;
             SELECT code, kind, label_vi, label_en, starts_on, ends_on, deadline FROM period WHERE $m != NONE AND movement = $m.id;"
        ))
        .bind(("code", code))
        .await?;
    let Some(row) = rows::<MovementRow>(&mut res, 1)?.into_iter().next() else {
        return Ok(None);
    };
    let mut periods: Vec<Period> = rows(&mut res, 2)?;
    periods.sort_by(|a, b| (a.kind != PeriodKind::Month, a.ends_on, &a.code).cmp(&(b.kind != PeriodKind::Month, b.ends_on, &b.code)));
    Ok(Some((
        row.stamp,
        Movement {
            id: row.id,
            organiser: row.organiser,
            organiser_name: row.organiser_name,
            definition: row.definition,
            periods,
            report_ids: row.report_ids,
            status: row.status,
            earlier: row.earlier,
        },
    )))
}

/// A movement by its code, whatever its status.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<Movement>> {
    Ok(read(db, Pick::Code(code)).await?.map(|(_, m)| m))
}

/// Who runs movement `code` (one small read; none if there is no such
/// movement).
pub async fn organiser_of(db: &Db, code: &str) -> Result<Option<String>> {
    let mut res =
        db.query("SELECT VALUE record::id(organiser) FROM movement WHERE code = $code LIMIT 1").bind(("code", code.to_string())).await?;
    Ok(res.take::<Vec<String>>(0)?.into_iter().next())
}

/// The movements run by any of `organisers` that have opened (published,
/// closed, archived), in that order, newest first: what a page may show.
pub async fn choices(db: &Db, organisers: &[String]) -> Result<Vec<crate::domain::views::MovementChoice>> {
    let orgs: Vec<surrealdb::types::RecordId> = organisers.iter().map(|o| surrealdb::types::RecordId::new("unit", o.as_str())).collect();
    let mut res = db
        .query(
            "SELECT code, name, status = 'published' AS open, status = 'archived' AS archived, created_at FROM movement
             WHERE organiser IN $orgs AND status != 'draft' ORDER BY open DESC, archived ASC, created_at DESC",
        )
        .bind(("orgs", orgs))
        .await?;
    rows(&mut res, 0)
}

/// Every movement that has opened, of any organiser, in `choices`' order:
/// what the public pages may show.
pub async fn opened(db: &Db) -> Result<Vec<crate::domain::views::MovementChoice>> {
    let mut res = db
        .query(
            "SELECT code, name, status = 'published' AS open, status = 'archived' AS archived, created_at FROM movement
             WHERE status != 'draft' ORDER BY open DESC, archived ASC, created_at DESC",
        )
        .await?;
    rows(&mut res, 0)
}

/// A movement in the organiser's list.
#[derive(Clone, Debug, Deserialize)]
pub struct Listed {
    pub code: String,
    pub name: String,
    pub status: MovementStatus,
    pub template_version: u32,
    /// yyyy-mm-dd
    pub starts_on: String,
    pub reports: u32,
    pub current: bool,
}

/// The movements `organiser` runs, newest first, with how many reports were
/// filed for each and which one is current.
pub async fn list(db: &Db, organiser: &str) -> Result<Vec<Listed>> {
    let mut res = db
        .query(format!(
            "LET $current = {STAMP};
             SELECT code, name, status, template_version, definition.starts_on AS starts_on, stamp = $current AS current,
                 (SELECT VALUE count() FROM submission WHERE movement = $parent.id AND kind = 'report' GROUP ALL)[0] ?? 0 AS reports,
                 created_at
             FROM movement WHERE organiser = type::record('unit', $organiser) ORDER BY created_at DESC;"
        ))
        .bind(("organiser", organiser.to_string()))
        .await?;
    rows(&mut res, 1)
}

/// A movement's name, as long as the longest a plan's title runs.
const NAME_MAX: usize = 500;

/// A draft copy of movement `from` under a new code and name: its plan,
/// criteria, indicators, awards and periods, none of its reports. The new
/// code must be free and of the id shape (`domain::template::check_movement_id`).
pub async fn copy(db: &Db, from: &str, code: &str, name_vi: &str, actor: &str) -> Result<Movement> {
    let Some(src) = by_code(db, from).await? else {
        return Err(StoreError::NotFound(format!("movement {from}")));
    };
    let errors: Vec<_> = crate::domain::template::check_movement_id("code", code)
        .into_iter()
        .chain(crate::domain::text::check_text("name", "Tên phong trào", "Name", name_vi.trim(), NAME_MAX, true))
        .collect();
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let mut def = src.definition.clone();
    def.name_vi = crate::domain::text::nfc(name_vi.trim());
    add_draft(db, def, code, &src.organiser, actor, serde_json::json!({ "from": from })).await
}

/// A draft from the built-in template (the seed's plan, kept as an example)
/// for `organiser`, under a new code and name.
pub async fn from_template(db: &Db, template: &str, code: &str, name_vi: &str, organiser: &str, actor: &str) -> Result<Movement> {
    if let Some(e) = crate::domain::text::check_text("name", "Tên phong trào", "Name", name_vi.trim(), NAME_MAX, true) {
        return Err(StoreError::Invalid(vec![e]));
    }
    let text = super::movement_file::built_in(template).ok_or_else(|| StoreError::NotFound(format!("template {template}")))?;
    let def = super::movement_file::read(text).map_err(|e| StoreError::Decode(format!("built-in template: {} error(s)", e.len())))?;
    let level = super::units::kind_of(db, organiser).await?.map(crate::domain::award::DecisionLevel::of_unit);
    let mut def = crate::domain::template::fit_to(def, level);
    def.name_vi = crate::domain::text::nfc(name_vi.trim());
    import(db, def, code, organiser, actor).await
}

/// A draft from a movement file's definition (read and checked by the
/// caller: `server::template::read`), run by `organiser` under `code`.
pub async fn import(db: &Db, def: MovementDefinition, code: &str, organiser: &str, actor: &str) -> Result<Movement> {
    if super::units::get(db, organiser).await?.is_none() {
        return Err(StoreError::NotFound(format!("unit {organiser}")));
    }
    let file = serde_json::json!({ "template_id": def.template_id, "version": def.version });
    add_draft(db, def, code, organiser, actor, file).await
}

/// Saves a new movement as a draft, if its code is free; audited with `how`.
async fn add_draft(db: &Db, def: MovementDefinition, code: &str, organiser: &str, actor: &str, how: serde_json::Value) -> Result<Movement> {
    let mut m = crate::domain::template::instantiate(def, code, organiser).map_err(StoreError::Invalid)?;
    if organiser_of(db, code).await?.is_some() {
        return Err(StoreError::Invalid(vec![crate::domain::FieldError::new(
            "code",
            "movement_code_free",
            format!("Đã có phong trào mã “{code}”."),
            format!("A movement with code “{code}” already exists."),
        )]));
    }
    m.status = MovementStatus::Draft;
    let mut after = how;
    after["name"] = m.definition.name_vi.clone().into();
    let audit = serde_json::json!({ "actor": actor, "action": "movement.create", "subject": format!("movement:{code}"), "after": after });
    save_with(db, &m, false, Some(audit)).await?;
    Ok(m)
}

/// Replaces a draft's definition and periods (checked by the caller:
/// `domain::template::instantiate`; the caller decided from the status it
/// read that this is a draft: `MovementStatus::edit`). The write is guarded
/// by that status, so a movement published meanwhile is not changed. Periods
/// the plan no longer has go (a draft has no reports). Audited with the
/// names before and after.
pub async fn update_draft(db: &Db, m: &Movement, actor: &str) -> Result<()> {
    let codes: Vec<String> = m.periods.iter().map(|p| p.code.clone()).collect();
    db.query(
            "BEGIN TRANSACTION;
            LET $m = (SELECT id, status, name FROM ONLY movement WHERE code = $id LIMIT 1);
            IF $m.status != 'draft' { THROW 'status moved' };
            UPDATE $m.id SET name = $def.name_vi, template_version = $def.version, definition = $def, stamp = <string> rand::uuid();
            DELETE period WHERE movement = $m.id AND code NOT IN $codes;
            FOR $p IN $periods {
                UPSERT type::record('period', [$id, $p.code]) MERGE {
                    movement: $m.id, code: $p.code, kind: $p.kind, label_vi: $p.label_vi, label_en: $p.label_en,
                    starts_on: $p.starts_on, ends_on: $p.ends_on, deadline: $p.deadline
                };
            };
            CREATE audit CONTENT { actor: $actor, action: 'movement.edit', subject: 'movement:' + $id, before: { name: $m.name }, after: { name: $def.name_vi } };
            COMMIT TRANSACTION;",
        )
        .bind(("id", m.id.clone()))
        .bind(("def", json(&m.definition)))
        .bind(("periods", json(&m.periods)))
        .bind(("codes", codes))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    Ok(())
}

/// Saves a published movement's new (or amended pending) version, made by
/// `domain::version::next_version` from the version `was` read: guarded by
/// it, so two organisers saving at once cannot both win. Audited.
pub async fn save_version(db: &Db, m: &Movement, was: u32, actor: &str) -> Result<()> {
    db.query(
        "BEGIN TRANSACTION;
        LET $m = (SELECT id, template_version FROM ONLY movement WHERE code = $id LIMIT 1);
        IF $m.template_version != $was { THROW 'version moved' };
        UPDATE $m.id SET name = $def.name_vi, template_version = $def.version, definition = $def, earlier = $earlier, stamp = <string> rand::uuid();
        CREATE audit CONTENT { actor: $actor, action: 'movement.version', subject: 'movement:' + $id,
            before: { version: $was }, after: { version: $def.version, from: $from } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", m.id.clone()))
    .bind(("def", json(&m.definition)))
    .bind(("earlier", json(&m.earlier)))
    .bind(("from", m.newest_from().map(crate::domain::date::to_iso)))
    .bind(("was", was))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}

/// Moves a movement to `to`, if its lifecycle allows the step from where it
/// stands (`MovementStatus::check_step`); the write is guarded by the status
/// read, so two organisers acting at once cannot both win.
pub async fn set_status(db: &Db, code: &str, to: MovementStatus, actor: &str) -> Result<()> {
    let mut res = db.query("SELECT VALUE status FROM ONLY movement WHERE code = $code LIMIT 1").bind(("code", code.to_string())).await?;
    let Some(from) = res.take::<Option<String>>(0)?.as_deref().and_then(MovementStatus::parse) else {
        return Err(StoreError::NotFound(format!("movement {code}")));
    };
    from.check_step(to).map_err(|e| StoreError::Invalid(vec![e]))?;
    db.query(
        "BEGIN TRANSACTION;
        LET $m = (SELECT id, status FROM ONLY movement WHERE code = $code LIMIT 1);
        IF $m.status != $from { THROW 'status moved' };
        UPDATE $m.id SET status = $to, stamp = <string> rand::uuid();
        CREATE audit CONTENT { actor: $actor, action: 'movement.status', subject: 'movement:' + $code, before: { status: $from }, after: { status: $to } };
        COMMIT TRANSACTION;",
    )
    .bind(("code", code.to_string()))
    .bind(("from", from.code()))
    .bind(("to", to.code()))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}
