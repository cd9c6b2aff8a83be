//! The Ngọc Hồi demo: the real town and communes from the catalogue, the
//! illustrative units, villages, clusters and blocks of `data/demo`, and the
//! movement from the seed template. Loading it twice changes nothing.

pub mod activity;

use crate::import;
use crate::template;
use app::domain::cluster::{Cluster, ClusterKind};
use app::domain::unit::{Unit, UnitKind};
use app::store::{clusters, movements, units, Db};
use serde::Deserialize;

pub const KON_TUM_CATALOGUE: &str = include_str!("../../../data/catalogue/kon-tum-units.csv");
/// Today's (two-level, from 1/7/2025) units of Quảng Ngãi, which Kon Tum is
/// now part of, and Kon Tum's old communes → today's.
pub const QUANG_NGAI_2025: &str = include_str!("../../../data/catalogue/quang-ngai-2025-units.csv");
pub const KON_TUM_TO_2025: &str = include_str!("../../../data/catalogue/kon-tum-2024-to-2025.csv");
pub const NGOC_HOI: &str = include_str!("../../../data/demo/ngoc-hoi.toml");

#[derive(Deserialize)]
struct DemoFile {
    district: String,
    movement_id: String,
    units: Vec<DemoUnit>,
    villages: Vec<Villages>,
    clusters: Vec<DemoCluster>,
}

#[derive(Deserialize)]
struct DemoUnit {
    id: String,
    name: String,
    kind: UnitKind,
    parent: Option<String>,
}

#[derive(Deserialize)]
struct Villages {
    commune: String,
    names: Vec<String>,
}

#[derive(Deserialize)]
struct DemoCluster {
    id: String,
    name: String,
    kind: ClusterKind,
    head: String,
    members: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo file: {0}")]
    File(#[from] toml::de::Error),
    #[error("catalogue: {0}")]
    Import(#[from] import::ImportError),
    #[error("template: {0}")]
    Template(#[from] template::TemplateError),
    #[error("store: {0}")]
    Store(#[from] app::store::StoreError),
}

/// Loads the demo into the database.
pub async fn load(db: &Db) -> Result<(), DemoError> {
    let file: DemoFile = toml::from_str(NGOC_HOI)?;
    import::import(db, KON_TUM_CATALOGUE, "demo: kon-tum-units.csv").await?;

    let mut extra = Vec::new();
    for u in &file.units {
        extra.push(Unit {
            id: u.id.clone(),
            name: u.name.clone(),
            kind: u.kind,
            category: u.kind.default_category(),
            parent: Some(u.parent.clone().unwrap_or_else(|| file.district.clone())),
            gso_code: None,
            demo: true,
            valid_from: None,
            valid_to: None,
        });
    }
    for v in &file.villages {
        for (i, name) in v.names.iter().enumerate() {
            extra.push(Unit {
                id: format!("{}-v{}", v.commune, i + 1),
                name: name.clone(),
                kind: UnitKind::Village,
                category: UnitKind::Village.default_category(),
                parent: Some(v.commune.clone()),
                gso_code: None,
                demo: true,
                valid_from: None,
                valid_to: None,
            });
        }
    }
    for u in extra {
        units::save(db, u, Some("demo")).await?;
    }
    for c in file.clusters {
        clusters::save(
            db,
            Cluster {
                id: c.id,
                name: c.name,
                kind: c.kind,
                organiser: file.district.clone(),
                head: Some(c.head),
                members: c.members,
                demo: true,
            },
            Some("demo"),
        )
        .await?;
    }
    let movement = template::seed_movement(&file.movement_id, &file.district)?;
    movements::save(db, &movement, true).await?;
    // Today's units, so the 2021 figures can be read as today's (Xã Bờ Y).
    import::import_dated(db, QUANG_NGAI_2025, "demo: quang-ngai-2025-units.csv", None, None, None).await?;
    app::store::succession::import(db, KON_TUM_TO_2025, app::domain::catalogue::two_level_since(), Some("demo"), None, true).await?;
    tracing::info!("Ngọc Hồi demo loaded");
    Ok(())
}
