//! The showcase (SPEC §5.8): the media officer (and the district officer)
//! publishes exemplary stories; anyone reads them by commune and content
//! area. Story text is always rendered as text.

pub use crate::domain::views::showcase::{Draft, Published};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Showcase {
    pub stories: Vec<Published>,
    /// (code, title) of the content areas, for the filter.
    pub areas: Vec<(String, String)>,
    /// (id, name) of units with published stories, for the filter.
    pub units: Vec<(String, String)>,
    /// The movement shown, and every movement with a showcase.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<crate::domain::views::MovementChoice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorDesk {
    pub drafts: Vec<Draft>,
    pub areas: Vec<(String, String)>,
    /// (id, name) of the district's units, for a new story.
    pub units: Vec<(String, String)>,
    /// The movement shown, and those the editor may pick.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<crate::domain::views::MovementChoice>,
}

#[cfg(feature = "ssr")]
const EDITORS: &[crate::domain::auth::Role] = &[crate::domain::auth::Role::MediaOfficer, crate::domain::auth::Role::DistrictOfficer];

/// The stories units sent in movement `movement` (empty: the first the
/// editor may open).
#[server(endpoint = "showcase/inbox", output = crate::api::codec::Json)]
pub async fn showcase_inbox(#[server(default)] movement: String) -> Result<EditorDesk, AppError> {
    use crate::api::{auth::guard, db, fail};
    let me = guard::require(EDITORS).await?;
    let db = db()?;
    let (m, movements) = crate::api::scope::movement(&db, &me, &movement).await?;
    crate::api::scope::in_district(&db, &me, &m.organiser).await?;
    let drafts = crate::store::showcase::inbox(&db, &m).await.map_err(fail)?;
    let areas = m.definition.content_areas.iter().map(|a| (a.code.clone(), a.title_vi.clone())).collect();
    let units = crate::store::units::subtree(&db, &m.organiser).await.map_err(fail)?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(EditorDesk { drafts, areas, units, movement: m.id, movements })
}

/// Publishes a story in movement `movement`: an edited copy of a unit's
/// (`from`), or a new one.
#[server(endpoint = "showcase/publish", output = crate::api::codec::Json)]
pub async fn showcase_publish(
    from: String,
    unit: String,
    title: String,
    area: String,
    text: String,
    #[server(default)] movement: String,
) -> Result<String, AppError> {
    use crate::api::{auth::guard, db, fail};
    let me = guard::require(EDITORS).await?;
    let db = db()?;
    let (m, _) = crate::api::scope::movement(&db, &me, &movement).await?;
    crate::api::scope::in_district(&db, &me, &unit).await?;
    let from = (!from.is_empty()).then_some(from);
    // (`from` must be a story of that same unit and movement: the store checks it.)
    let story = crate::domain::story::StoryBody { unit, title, area, text, movement: Some(m.id.clone()), files: Vec::new() };
    crate::store::showcase::publish(&db, &m, from.as_deref(), story, &me.username).await.map_err(fail)
}

/// Published stories of a movement (empty: the current one), by unit and
/// content area (either may be empty). Public.
#[server(endpoint = "showcase/list", output = crate::api::codec::Json)]
pub async fn showcase_list(unit: String, area: String, #[server(default)] movement: String) -> Result<Showcase, AppError> {
    use crate::api::{db, fail};
    let db = db()?;
    let movements = crate::store::movements::opened(&db).await.map_err(fail)?;
    let m = if movement.is_empty() {
        crate::api::current_movement(&db).await?
    } else if movements.iter().any(|c| c.code == movement) {
        crate::store::movements::by_code(&db, &movement).await.map_err(fail)?.ok_or_else(|| AppError::not_found(&movement))?
    } else {
        return Err(AppError::not_found(&movement));
    };
    let all = crate::store::showcase::list(&db, &m, "", "").await.map_err(fail)?;
    let mut units: Vec<(String, String)> = all.iter().map(|s| (s.unit.clone(), s.unit_name.clone())).collect();
    units.sort();
    units.dedup();
    let stories = all.into_iter().filter(|s| (unit.is_empty() || s.unit == unit) && (area.is_empty() || s.area == area)).collect();
    let areas = m.definition.content_areas.iter().map(|a| (a.code.clone(), a.title_vi.clone())).collect();
    Ok(Showcase { stories, areas, units, movement: m.id, movements })
}

#[server(endpoint = "showcase/story", output = crate::api::codec::Json)]
pub async fn showcase_story(id: String) -> Result<Published, AppError> {
    use crate::api::{db, fail};
    let db = db()?;
    crate::store::showcase::get(&db, &id).await.map_err(fail)?.ok_or_else(|| AppError::not_found(&id))
}
