//! The showcase of exemplary stories (SPEC §5.8): what units sent waits in
//! the media officer's inbox; a published story is an edited copy (or a new
//! one), public, listed by commune and content area.

use super::{rows, units, Checked, Db, Result, StoreError};
use crate::domain::movement::Movement;
use crate::domain::story::StoryBody;
use crate::domain::views::showcase::{Draft, Published};
use serde::Deserialize;

fn area_title(m: &Movement, code: &str) -> String {
    m.definition.content_areas.iter().find(|a| a.code == code).map(|a| a.title_vi.clone()).unwrap_or_else(|| code.to_string())
}

fn movement_key(m: &Movement) -> surrealdb::types::RecordId {
    surrealdb::types::RecordId::new("movement", m.id.as_str())
}

/// Stories units sent in movement `m`, newest first, each marked if already
/// published.
pub async fn inbox(db: &Db, m: &Movement) -> Result<Vec<Draft>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        body: StoryBody,
        #[serde(default)]
        published: bool,
    }
    let unit_ids: Vec<surrealdb::types::RecordId> =
        units::subtree(db, &m.organiser).await?.into_iter().map(|u| surrealdb::types::RecordId::new("unit", u.id)).collect();
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, body, (count(SELECT id FROM story_pub WHERE source = record::id($parent.id)) > 0) AS published
             FROM submission WHERE kind = 'story' AND movement = $m AND unit IN $units ORDER BY received_at DESC",
        )
        .bind(("units", unit_ids))
        .bind(("m", movement_key(m)))
        .await?;
    let list: Vec<Row> = rows(&mut res, 0)?;
    let names = unit_names(db, list.iter().map(|r| r.body.unit.clone()).collect()).await?;
    Ok(list
        .into_iter()
        .map(|r| Draft {
            unit_name: names.get(&r.body.unit).cloned().unwrap_or_default(),
            area_title: area_title(m, &r.body.area),
            id: r.id,
            body: r.body,
            published: r.published,
        })
        .collect())
}

async fn unit_names(db: &Db, ids: Vec<String>) -> Result<std::collections::HashMap<String, String>> {
    Ok(units::get_many(db, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect())
}

/// Publishes a story in movement `m` (an edited copy of `from`, a unit's
/// submission in that movement, or a new one) after the same checks a
/// unit's story gets.
pub async fn publish(db: &Db, m: &Movement, from: Option<&str>, mut story: StoryBody, actor: &str) -> Result<String> {
    story.normalize();
    let areas: Vec<String> = m.definition.content_areas.iter().map(|a| a.code.clone()).collect();
    let mut errors = story.validate(&story.unit.clone(), &areas);
    let in_district = units::subtree(db, &m.organiser).await?.iter().any(|u| u.id == story.unit);
    if !in_district {
        errors.push(crate::domain::FieldError::new(
            "unit",
            "known_unit",
            "Chọn một đơn vị thuộc đơn vị tổ chức phong trào.",
            "Choose a unit of the organiser.",
        ));
    }
    // The story a unit sent, when publishing from the inbox: a real one of
    // the same unit, never any text.
    if let Some(f) = from {
        let known = crate::domain::sync::valid_item_id(f)
            && {
                let mut r = db
                .query("RETURN (SELECT VALUE record::id(unit) FROM ONLY type::record('submission', $f) WHERE kind = 'story' AND movement = $m) ?? NONE")
                .bind(("f", f.to_string()))
                .bind(("m", movement_key(m)))
                .await?;
                let unit: Option<String> = r.take(0)?;
                unit.as_deref() == Some(story.unit.as_str())
            };
        if !known {
            errors.push(crate::domain::FieldError::new(
                "from",
                "known_story",
                "Không có bài gửi này của đơn vị.",
                "No such story sent by this unit.",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let mut res = db
        .query(
            "BEGIN TRANSACTION;
            LET $s = CREATE ONLY story_pub CONTENT { title: $title, text: $text, unit: $unit, area: $area, source: $source, published_by: $actor, movement: $m };
            CREATE audit CONTENT { actor: $actor, action: 'story.publish', subject: <string> $s.id, after: { title: $title, text: $text, unit: $unit, area: $area, source: $source } };
            RETURN record::id($s.id);
            COMMIT TRANSACTION;",
        )
        .bind(("title", story.title))
        .bind(("text", story.text))
        .bind(("unit", story.unit))
        .bind(("area", story.area))
        .bind(("source", from.map(str::to_string)))
        .bind(("m", movement_key(m)))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    let n = res.num_statements();
    let id: Option<String> = res.take(n - 1).ok().flatten().or_else(|| res.take(n - 2).ok().flatten());
    id.ok_or_else(|| StoreError::Decode("no story id".into()))
}

#[derive(Deserialize)]
struct PubRow {
    id: String,
    title: String,
    text: String,
    unit: String,
    area: String,
    published_at: String,
}

const PUB_FIELDS: &str = "record::id(id) AS id, title, text, unit, area, <string> published_at AS published_at";

async fn shape(db: &Db, m: &Movement, list: Vec<PubRow>) -> Result<Vec<Published>> {
    let names = unit_names(db, list.iter().map(|r| r.unit.clone()).collect()).await?;
    Ok(list
        .into_iter()
        .map(|r| Published {
            unit_name: names.get(&r.unit).cloned().unwrap_or_default(),
            area_title: area_title(m, &r.area),
            id: r.id,
            title: r.title,
            text: r.text,
            unit: r.unit,
            area: r.area,
            published_at: r.published_at,
        })
        .collect())
}

/// Published stories of movement `m`, newest first, optionally of one unit
/// and one area.
pub async fn list(db: &Db, m: &Movement, unit: &str, area: &str) -> Result<Vec<Published>> {
    let mut res = db
        .query(format!(
            "SELECT {PUB_FIELDS} FROM story_pub WHERE movement = $m AND ($unit = '' OR unit = $unit) AND ($area = '' OR area = $area) ORDER BY published_at DESC"
        ))
        .bind(("m", movement_key(m)))
        .bind(("unit", unit.to_string()))
        .bind(("area", area.to_string()))
        .await?;
    let list: Vec<PubRow> = rows(&mut res, 0)?;
    shape(db, m, list).await
}

/// A published story, with its content area named by its own movement.
pub async fn get(db: &Db, id: &str) -> Result<Option<Published>> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(flatten)]
        row: PubRow,
        movement: Option<String>,
    }
    let mut res = db
        .query(format!(
            "SELECT {PUB_FIELDS}, (IF movement != NONE THEN record::id(movement) END) AS movement FROM ONLY type::record('story_pub', $id)"
        ))
        .bind(("id", id.to_string()))
        .await?;
    let Some(Row { row, movement }) = super::one::<Row>(&mut res, 0)? else { return Ok(None) };
    let m = match movement {
        Some(code) => super::movements::by_code(db, &code).await?,
        None => None,
    };
    let Some(m) = m else { return Err(StoreError::NotFound(format!("story_pub:{id}"))) };
    Ok(shape(db, &m, vec![row]).await?.into_iter().next())
}
