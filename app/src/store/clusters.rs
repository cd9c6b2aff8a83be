//! Clusters and blocks.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::cluster::Cluster;

const FIELDS: &str = "code AS id, name, kind, organiser.code AS organiser, head.code AS head, members.map(|$m| $m.code) AS members, demo";

/// Validates and saves a cluster or block, with an audit entry (before and
/// after) in the same transaction.
pub async fn save(db: &Db, cluster: Cluster, actor: Option<&str>) -> Result<Cluster> {
    let c = cluster.validate().map_err(StoreError::Invalid)?;
    let mut res = db.query("RETURN $m.filter(|$id| !record::exists(type::record('unit', $id)))").bind(("m", c.members.clone())).await?;
    let missing: Option<Vec<String>> = res.take(0)?;
    if let Some(id) = missing.unwrap_or_default().first() {
        return Err(StoreError::Invalid(vec![crate::domain::FieldError::new(
            "members",
            "unit_exists",
            format!("Không tìm thấy đơn vị \"{id}\"."),
            format!("Unit \"{id}\" does not exist."),
        )]));
    }
    let before = get(db, &c.id).await?;
    db.query(
        "BEGIN TRANSACTION;
        UPSERT type::record('cluster', $c.id) MERGE {
            code: $c.id,
            name: $c.name,
            kind: $c.kind,
            organiser: type::record('unit', $c.organiser),
            head: IF $c.head THEN type::record('unit', $c.head) END,
            members: $c.members.map(|$m| type::record('unit', $m)),
            demo: $c.demo
        };
        CREATE audit CONTENT { actor: $actor, action: 'cluster.save', subject: 'cluster:' + $c.id, before: $before, after: $c };
        COMMIT TRANSACTION;",
    )
    .bind(("c", json(&c)))
    .bind(("actor", actor.map(str::to_string)))
    .bind(("before", before.as_ref().map(json)))
    .await?
    .checked()?;
    Ok(c)
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Cluster>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM cluster WHERE code = $id")).bind(("id", id.to_string())).await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}

pub async fn list(db: &Db) -> Result<Vec<Cluster>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM cluster ORDER BY kind, code")).await?;
    rows(&mut res, 0)
}

/// Clusters a unit belongs to.
pub async fn of_unit(db: &Db, unit: &str) -> Result<Vec<Cluster>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM cluster WHERE members CONTAINS type::record('unit', $u) ORDER BY code"))
        .bind(("u", unit.to_string()))
        .await?;
    rows(&mut res, 0)
}
