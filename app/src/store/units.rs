//! Units: reads for the pages, validated writes, bulk upserts for imports.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::unit::{Unit, UnitKind};
use serde::Serialize;

const FIELDS: &str = "code AS id, name, kind, category, parent.code AS parent, gso_code, demo, valid_from, valid_to";

/// A unit as written: the domain unit plus what the store derives from it.
#[derive(Serialize)]
struct UnitWrite<'a> {
    #[serde(flatten)]
    unit: &'a Unit,
    search: String,
    level_label: Option<&'a str>,
}

// One INSERT over the whole batch: a FOR loop re-binds the batch for every
// row, which made a national import quadratic.
const UPSERT_ALL: &str = "
LET $data = $rows.map(|$r| {
    id: type::record('unit', $r.id),
    code: $r.id,
    name: $r.name,
    kind: $r.kind,
    category: $r.category ?? NONE,
    parent: IF $r.parent THEN type::record('unit', $r.parent) END,
    gso_code: $r.gso_code ?? NONE,
    level_label: $r.level_label ?? NONE,
    search: $r.search,
    demo: $r.demo,
    valid_from: $r.valid_from ?? NONE,
    valid_to: $r.valid_to ?? NONE
});
INSERT INTO unit $data ON DUPLICATE KEY UPDATE
    name = $input.name,
    kind = $input.kind,
    category = $input.category,
    parent = $input.parent,
    gso_code = $input.gso_code,
    level_label = $input.level_label,
    search = $input.search,
    demo = $input.demo,
    valid_from = $input.valid_from,
    valid_to = $input.valid_to;
";

/// Writes many units in one transaction: all or nothing. Callers validate
/// first (see `save` and the importer).
pub async fn upsert_all(db: &Db, units: &[(Unit, Option<String>)]) -> Result<()> {
    db.query(format!("BEGIN TRANSACTION;{UPSERT_ALL}COMMIT TRANSACTION;")).bind(("rows", write_rows(units))).await?.checked()?;
    Ok(())
}

fn write_rows(units: &[(Unit, Option<String>)]) -> Vec<serde_json::Value> {
    units.iter().map(|(u, level)| json(&UnitWrite { unit: u, search: u.search_key(), level_label: level.as_deref() })).collect()
}

/// What a catalogue import did, recorded with the units it wrote.
#[derive(Clone, Debug, Serialize)]
pub struct ImportRun {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub rows: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub ended: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
}

const AUDIT_IMPORT: &str =
    "CREATE audit CONTENT { actor: $run.actor, action: 'catalogue.import', subject: 'import_run:' + $run.source, after: $run };";

/// Units per transaction. SurrealDB 3 slows down sharply inside one large
/// transaction (12,000 units: ~80 s in one, ~4 s in twelve), so big
/// imports are written in chunks of this size.
pub const IMPORT_CHUNK: usize = 1_000;

/// Writes imported units and the run's record. Up to `IMPORT_CHUNK` units go
/// in one transaction with the record. Larger sets are written chunk by
/// chunk under a run marked `running`; if a chunk fails, the chunks already
/// written are undone (`restore`: units to put back as they were, `remove`:
/// ids that were new) and the run is marked `failed`.
pub async fn import_catalogue(db: &Db, units: &[(Unit, Option<String>)], run: ImportRun, restore: &[Unit]) -> Result<()> {
    if units.len() <= IMPORT_CHUNK {
        db.query(format!("BEGIN TRANSACTION;{UPSERT_ALL}CREATE import_run CONTENT $run;{AUDIT_IMPORT}COMMIT TRANSACTION;"))
            .bind(("rows", write_rows(units)))
            .bind(("run", json(&run)))
            .await?
            .checked()?;
        return Ok(());
    }
    let mut running = json(&run);
    running["status"] = "running".into();
    let mut res = db.query("CREATE import_run CONTENT $run RETURN VALUE record::id(id)").bind(("run", running)).await?;
    let run_id: Option<serde_json::Value> = res.take(0)?;
    let run_id = run_id.unwrap_or(serde_json::Value::Null);
    for (i, chunk) in units.chunks(IMPORT_CHUNK).enumerate() {
        if let Err(e) = upsert_all(db, chunk).await {
            undo(db, &units[..i * IMPORT_CHUNK], restore).await;
            let _ = db.query("UPDATE type::record('import_run', $id) SET status = 'failed'").bind(("id", run_id)).await;
            return Err(e);
        }
    }
    db.query(format!("BEGIN TRANSACTION;UPDATE type::record('import_run', $id) SET status = 'done';{AUDIT_IMPORT}COMMIT TRANSACTION;"))
        .bind(("id", run_id))
        .bind(("run", json(&run)))
        .await?
        .checked()?;
    Ok(())
}

/// Puts back what earlier chunks of a failed import changed.
async fn undo(db: &Db, written: &[(Unit, Option<String>)], restore: &[Unit]) {
    let old: std::collections::HashSet<&str> = restore.iter().map(|u| u.id.as_str()).collect();
    let new_ids: Vec<&str> = written.iter().map(|(u, _)| u.id.as_str()).filter(|id| !old.contains(id)).collect();
    for ids in new_ids.chunks(IMPORT_CHUNK) {
        let _ = db.query("DELETE unit WHERE code IN $ids").bind(("ids", ids.to_vec())).await;
    }
    let back: Vec<(Unit, Option<String>)> = restore.iter().map(|u| (u.clone(), None)).collect();
    for chunk in back.chunks(IMPORT_CHUNK) {
        let _ = upsert_all(db, chunk).await;
    }
}

/// Validates a unit against its parent and saves it, with an audit entry
/// (before and after) in the same transaction.
pub async fn save(db: &Db, unit: Unit, actor: Option<&str>) -> Result<Unit> {
    let parent_kind = match &unit.parent {
        Some(p) => Some(kind_of(db, p).await?.ok_or_else(|| {
            StoreError::Invalid(vec![crate::domain::FieldError::new(
                "parent",
                "parent_exists",
                format!("Không tìm thấy đơn vị cấp trên \"{p}\"."),
                format!("Parent unit \"{p}\" does not exist."),
            )])
        })?),
        None => None,
    };
    let unit = unit.validate(parent_kind).map_err(StoreError::Invalid)?;
    if let Some(p) = &unit.parent {
        // Moving a unit under its own descendant would make a loop.
        if p == &unit.id || ancestors(db, p).await?.iter().any(|a| a == &unit.id) {
            return Err(StoreError::Invalid(vec![crate::domain::FieldError::new(
                "parent",
                "parent_not_descendant",
                "Không thể chuyển đơn vị vào dưới chính nó hoặc đơn vị cấp dưới của nó.",
                "A unit cannot move under itself or one of its own units.",
            )]));
        }
    }
    let before = get(db, &unit.id).await?;
    db.query(format!(
        "BEGIN TRANSACTION;{UPSERT_ALL}
        CREATE audit CONTENT {{ actor: $actor, action: 'unit.save', subject: 'unit:' + $after.id, before: $before, after: $after }};
        COMMIT TRANSACTION;"
    ))
    .bind(("rows", write_rows(&[(unit.clone(), None)])))
    .bind(("actor", actor.map(str::to_string)))
    .bind(("before", before.as_ref().map(json)))
    .bind(("after", json(&unit)))
    .await?
    .checked()?;
    Ok(unit)
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Unit>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM ONLY type::record('unit', $id)")).bind(("id", id.to_string())).await?;
    super::one(&mut res, 0)
}

/// The ids above a unit, nearest first.
pub async fn ancestors(db: &Db, id: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = get(db, id).await?.and_then(|u| u.parent);
    while let Some(p) = cur {
        if out.contains(&p) || out.len() > 16 {
            break;
        }
        cur = get(db, &p).await?.and_then(|u| u.parent);
        out.push(p);
    }
    Ok(out)
}

/// The given units (those that exist), in one query.
pub async fn get_many(db: &Db, ids: &[String]) -> Result<Vec<Unit>> {
    let ids: Vec<surrealdb::types::RecordId> = ids.iter().map(|i| surrealdb::types::RecordId::new("unit", i.as_str())).collect();
    let mut res = db.query(format!("SELECT {FIELDS} FROM $ids")).bind(("ids", ids)).await?;
    rows(&mut res, 0)
}

/// Names of the given units, by id (one query for a whole list).
pub async fn names_of(db: &Db, ids: &[String]) -> Result<std::collections::HashMap<String, String>> {
    let mut res = db.query("SELECT VALUE [code, name] FROM unit WHERE code IN $ids").bind(("ids", ids.to_vec())).await?;
    let pairs: Vec<(String, String)> = rows(&mut res, 0)?;
    Ok(pairs.into_iter().collect())
}

pub async fn kind_of(db: &Db, id: &str) -> Result<Option<UnitKind>> {
    Ok(get(db, id).await?.map(|u| u.kind))
}

/// Direct children of a unit, by name.
pub async fn children(db: &Db, id: &str) -> Result<Vec<Unit>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM unit WHERE parent = type::record('unit', $id) ORDER BY name COLLATE"))
        .bind(("id", id.to_string()))
        .await?;
    rows(&mut res, 0)
}

/// The ids of the communes under `root` (itself included, if one), in the
/// order `subtree` gives.
pub async fn commune_ids(db: &Db, root: &str) -> Result<Vec<String>> {
    Ok(subtree(db, root).await?.into_iter().filter(|u| u.kind == crate::domain::unit::UnitKind::Commune).map(|u| u.id).collect())
}

/// A unit and everything under it (a district's communes, villages,
/// departments…), for the units page of that district.
pub async fn subtree(db: &Db, root: &str) -> Result<Vec<Unit>> {
    let mut out = Vec::new();
    let mut frontier = vec![root.to_string()];
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::from([root.to_string()]);
    if let Some(r) = get(db, root).await? {
        out.push(r);
    }
    while !frontier.is_empty() {
        let mut res = db
            .query(format!("SELECT {FIELDS} FROM unit WHERE parent IN $ps ORDER BY name COLLATE"))
            // Bound as record ids, so the parent index answers (a list built
            // inside the query with .map() scans the whole table).
            .bind(("ps", frontier.iter().map(|p| surrealdb::types::RecordId::new("unit", p.as_str())).collect::<Vec<_>>()))
            .await?;
        // A unit seen before is not walked again: a loop in the data (which
        // `save` refuses to make) cannot make this run for ever.
        let level: Vec<Unit> = rows::<Unit>(&mut res, 0)?.into_iter().filter(|u| seen.insert(u.id.clone())).collect();
        frontier = level.iter().map(|u| u.id.clone()).collect();
        out.extend(level);
    }
    Ok(out)
}

/// Every unit with a GSO code, for the importer's diff: (id, name, parent).
pub async fn catalogue_index(db: &Db) -> Result<Vec<Unit>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM unit WHERE gso_code != NONE")).await?;
    rows(&mut res, 0)
}
