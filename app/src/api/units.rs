//! Units, clusters and a unit's page. Replies are flat rows for the pages.

use crate::domain::unit::UnitKind;
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A unit as a link in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitLink {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    pub demo: bool,
    /// The unit's last day ("30/06/2025"), if it no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// A unit in the filterable list, with its search key so the phone filters
/// without a round trip ("dak xu" finds "Đắk Xú").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitItem {
    pub unit: UnitLink,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterView {
    pub id: String,
    pub name: String,
    pub block: bool,
    pub demo: bool,
    pub head: Option<String>,
    pub members: Vec<UnitLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionRow {
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    pub max_points: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub name_vi: String,
    pub name_en: String,
    /// "% · Tỷ lệ · Tỷ lệ theo tổng tử số / tổng mẫu số", in each language.
    pub detail_vi: String,
    pub detail_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitDetails {
    pub unit: UnitLink,
    pub gso_code: Option<String>,
    pub parent: Option<UnitLink>,
    pub children: Vec<UnitLink>,
    pub clusters: Vec<String>,
    /// Participant category name (vi, en) and its seed IV.1 paragraph.
    pub category: Option<(String, String, String)>,
    pub criteria: Vec<CriterionRow>,
    pub indicators: Vec<IndicatorRow>,
}

#[cfg(feature = "ssr")]
impl From<&crate::domain::unit::Unit> for UnitLink {
    fn from(u: &crate::domain::unit::Unit) -> Self {
        UnitLink {
            id: u.id.clone(),
            name: u.name.clone(),
            kind: u.kind,
            demo: u.demo,
            until: u.valid_to.map(crate::domain::date::format_vi),
        }
    }
}

/// Units the account may read: staff see their organisation's whole subtree
/// (a province's communes, a district's); a commune's reporter sees its own
/// commune and villages within the running movement's organiser.
#[server(endpoint = "units/list", output = crate::api::codec::Json)]
pub async fn list_units() -> Result<Vec<UnitItem>, AppError> {
    use crate::api::{auth::guard, db, fail, scope};
    use crate::domain::auth::Role;
    use crate::store::units;
    let me = guard::signed_in().await?;
    let db = db()?;
    let root = match me.role {
        // The organiser of the movement the unit files for (its own, never
        // another organisation's: `scope::movement`).
        Role::UnitReporter | Role::ClusterHead => match scope::movement(&db, &me, "").await {
            Ok((m, _)) => m.organiser,
            Err(_) => return Ok(Vec::new()),
        },
        _ => scope::organisation(&db, &me).await.map_err(fail)?,
    };
    let scope = scope::readable(&db, &me).await.map_err(fail)?;
    let all = units::subtree(&db, &root).await.map_err(fail)?;
    Ok(all.iter().filter(|u| scope.allows(&u.id)).map(|u| UnitItem { key: u.search_key(), unit: u.into() }).collect())
}

#[server(endpoint = "units/clusters", output = crate::api::codec::Json)]
pub async fn list_clusters() -> Result<Vec<ClusterView>, AppError> {
    use crate::api::{auth::guard, db, fail, scope};
    use crate::domain::cluster::ClusterKind;
    use crate::store::{clusters, units};
    let me = guard::signed_in().await?;
    let db = db()?;
    let scope = scope::readable(&db, &me).await.map_err(fail)?;
    // A unit sees the clusters it belongs to (its leaderboard), not others.
    let cs: Vec<_> = clusters::list(&db).await.map_err(fail)?.into_iter().filter(|c| c.members.iter().any(|m| scope.allows(m))).collect();
    // Every member of every cluster in one read.
    let ids: Vec<String> = cs.iter().flat_map(|c| c.members.iter().cloned()).collect();
    let found: std::collections::HashMap<String, UnitLink> =
        units::get_many(&db, &ids).await.map_err(fail)?.iter().map(|u| (u.id.clone(), UnitLink::from(u))).collect();
    let out = cs
        .into_iter()
        .map(|c| {
            let members = c.members.iter().filter_map(|id| found.get(id).cloned()).collect();
            ClusterView { id: c.id, name: c.name, block: c.kind == ClusterKind::Block, demo: c.demo, head: c.head, members }
        })
        .collect();
    Ok(out)
}

#[server(endpoint = "units/page", output = crate::api::codec::Json)]
pub async fn unit_page(id: String) -> Result<Option<UnitDetails>, AppError> {
    use crate::api::{auth::guard, db, fail, scope};
    use crate::store::{clusters, units};
    let me = guard::signed_in().await?;
    let db = db()?;
    if !crate::domain::unit::valid_unit_id(&id) {
        return Ok(None);
    }
    if !scope::readable(&db, &me).await.map_err(fail)?.allows(&id) {
        return Err(AppError::denied());
    }
    let Some(unit) = units::get(&db, &id).await.map_err(fail)? else {
        return Ok(None);
    };
    let parent = match &unit.parent {
        Some(p) => units::get(&db, p).await.map_err(fail)?.as_ref().map(UnitLink::from),
        None => None,
    };
    let children = units::children(&db, &id).await.map_err(fail)?.iter().map(UnitLink::from).collect();
    let clusters = clusters::of_unit(&db, &id).await.map_err(fail)?.into_iter().map(|c| c.name).collect();
    // The criteria of the movement the account works in (none: no criteria).
    let movement = scope::movement(&db, &me, "").await.ok().map(|(m, _)| m);
    let (mut category, mut criteria, mut indicators) = (None, Vec::new(), Vec::new());
    if let (Some(cat), Some(m)) = (unit.category, movement) {
        let d = &m.definition;
        category = d.category(cat).map(|c| (c.name_vi.clone(), c.name_en.clone(), c.intro_vi.clone()));
        criteria = d
            .criteria_for(cat)
            .into_iter()
            .map(|c| CriterionRow { title_vi: c.title_vi, title_en: c.title_en, text_vi: c.text_vi, max_points: c.max_points })
            .collect();
        indicators = d
            .indicators_for(cat)
            .into_iter()
            .map(|i| IndicatorRow {
                name_vi: i.name_vi.clone(),
                name_en: i.name_en.clone(),
                detail_vi: format!("{} · {} · {}", i.unit_vi, i.kind.label_vi(), i.rollup.label_vi()),
                detail_en: format!("{} · {} · {}", i.unit_en, i.kind.label_en(), i.rollup.label_en()),
            })
            .collect();
    }
    Ok(Some(UnitDetails {
        unit: UnitLink::from(&unit),
        gso_code: unit.gso_code.clone(),
        parent,
        children,
        clusters,
        category,
        criteria,
        indicators,
    }))
}
