//! Kiosk links for meeting-room displays. The token is shown once, when the
//! link is made; only its SHA-256 is stored. A revoked link reads nothing.

use super::{accounts::token_hash, rows, Checked, Db, Result, StoreError};
use crate::domain::display::DisplayView;
use crate::domain::text::clean_line;
use crate::domain::FieldError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayLink {
    pub id: String,
    pub name: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub revoked: bool,
    /// The organisation whose boards it shows (none: the movement's organiser).
    #[serde(default)]
    pub organiser: Option<String>,
    /// The movement it shows (none: the current one), its period (none: the
    /// one that matters now) and clusters (none: all).
    #[serde(default)]
    pub movement: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub clusters: Vec<String>,
}

impl DisplayLink {
    pub fn view(&self) -> DisplayView {
        DisplayView { period: self.period.clone(), clusters: self.clusters.clone() }
    }
}

const FIELDS: &str =
    "record::id(id) AS id, name, created_by, <string> created_at AS created_at, revoked_at != NONE AS revoked, organiser, \
    movement, period, clusters ?? [] AS clusters";

/// Makes a link for `organiser`'s boards of a movement as its view sets
/// (checked by `domain::display::check_view`; none: the current movement,
/// now, every cluster); returns it with its secret token.
pub async fn create(
    db: &Db,
    name: &str,
    organiser: &str,
    shows: Option<(&str, &DisplayView)>,
    actor: Option<&str>,
) -> Result<(DisplayLink, String)> {
    let (movement, view) = shows.map_or((None, DisplayView::default()), |(m, v)| (Some(m.to_string()), v.clone()));
    let name = clean_line(name, 120).map_err(|p| {
        StoreError::Invalid(vec![FieldError::new("name", p.rule(), p.message_vi("Tên màn hình"), p.message_en("Display name"))])
    })?;
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    db.query(
        "BEGIN TRANSACTION;
        LET $d = CREATE ONLY display_link CONTENT { name: $name, token_hash: $h, created_by: $actor, organiser: $organiser,
            movement: $movement, period: $period, clusters: $clusters };
        CREATE audit CONTENT { actor: $actor, action: 'display.create', subject: <string> $d.id,
            after: { name: $name, movement: $movement, period: $period, clusters: $clusters } };
        COMMIT TRANSACTION;",
    )
    .bind(("name", name))
    .bind(("organiser", organiser.to_string()))
    .bind(("movement", movement))
    .bind(("period", view.period))
    .bind(("clusters", view.clusters))
    .bind(("h", token_hash(&token)))
    .bind(("actor", actor.map(str::to_string)))
    .await?
    .checked()?;
    let link = verify(db, &token).await?.ok_or_else(|| StoreError::NotFound("display_link".into()))?;
    Ok((link, token))
}

/// The links of `organiser` (and, for the movement's organiser, those made
/// before links had one: `legacy`).
pub async fn list(db: &Db, organiser: &str, legacy: bool) -> Result<Vec<DisplayLink>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM display_link WHERE organiser = $o OR ($legacy AND organiser = NONE) ORDER BY created_at DESC"))
        .bind(("o", organiser.to_string()))
        .bind(("legacy", legacy))
        .await?;
    rows(&mut res, 0)
}

/// A link by id, revoked or not.
pub async fn get(db: &Db, id: &str) -> Result<Option<DisplayLink>> {
    let mut res = db.query(format!("SELECT {FIELDS} FROM ONLY type::record('display_link', $id)")).bind(("id", id.to_string())).await?;
    super::one(&mut res, 0)
}

pub async fn revoke(db: &Db, id: &str, actor: Option<&str>) -> Result<()> {
    let mut res = db
        .query("RETURN (SELECT VALUE revoked_at = NONE FROM ONLY type::record('display_link', $id)) ?? false")
        .bind(("id", id.to_string()))
        .await?;
    let live: Option<bool> = res.take(0)?;
    if live != Some(true) {
        return Err(StoreError::NotFound(format!("display_link:{id}")));
    }
    db.query(
        "BEGIN TRANSACTION;
        LET $d = UPDATE ONLY type::record('display_link', $id) SET revoked_at = time::now() RETURN AFTER;
        CREATE audit CONTENT { actor: $actor, action: 'display.revoke', subject: <string> $d.id, before: { name: $d.name } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("actor", actor.map(str::to_string)))
    .await?
    .checked()?;
    Ok(())
}

/// What identifies a link without its secret: the token's hash.
pub fn link_key(token: &str) -> String {
    token_hash(token)
}

/// The live link behind a token, if any.
pub async fn verify(db: &Db, token: &str) -> Result<Option<DisplayLink>> {
    let mut res = db
        .query(format!("SELECT {FIELDS} FROM display_link WHERE token_hash = $h AND revoked_at = NONE"))
        .bind(("h", token_hash(token)))
        .await?;
    Ok(rows(&mut res, 0)?.into_iter().next())
}
