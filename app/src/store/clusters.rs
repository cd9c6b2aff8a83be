//! Clusters and blocks.

use super::{Checked, json, rows, Db, Result, StoreError};
use crate::domain::cluster::Cluster;

const FIELDS: &str = "code AS id, name, kind, organiser.code AS organiser, head.code AS head, members.map(|$m| $m.code) AS members, demo";

pub async fn save(db: &Db, cluster: Cluster) -> Result<Cluster> {
    let c = cluster.validate().map_err(StoreError::Invalid)?;
    db.query(
        "UPSERT type::record('cluster', $c.id) MERGE {
            code: $c.id,
            name: $c.name,
            kind: $c.kind,
            organiser: type::record('unit', $c.organiser),
            head: IF $c.head THEN type::record('unit', $c.head) END,
            members: $c.members.map(|$m| type::record('unit', $m)),
            demo: $c.demo
        }",
    )
    .bind(("c", json(&c)))
    .await?
        .checked()?;
    Ok(c)
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
