//! Public reading of the district's award decisions (SPEC §4: decisions are
//! public; a nominee's personal facts never are): the list with a search
//! that ignores case and diacritics, and the check of a certificate's
//! verification code.

use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the public may know of an award: name, unit, form, and the decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAward {
    pub name: String,
    pub unit_name: String,
    pub form_name: String,
    pub decision_number: String,
    /// yyyy-mm-dd
    pub decision_date: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAwards {
    pub awards: Vec<PublicAward>,
    /// The code asked about, and what it matched (None: no such certificate).
    pub checked: Option<(String, Option<PublicAward>)>,
    /// The movement listed, and every movement that has opened.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<crate::domain::views::MovementChoice>,
}

#[cfg(feature = "ssr")]
fn public(a: crate::store::nominations::Award) -> PublicAward {
    PublicAward { name: a.name, unit_name: a.unit_name, form_name: a.form_name, decision_number: a.number, decision_date: a.date }
}

/// Every award decided in a movement (empty: the current one) matching `q`
/// (name or unit, case and diacritics ignored), and the award a
/// verification `code` belongs to, in whichever movement.
#[server(endpoint = "awards/public", output = crate::api::codec::Json)]
pub async fn awards_public(q: String, code: String, #[server(default)] movement: String) -> Result<PublicAwards, AppError> {
    use crate::api::{db, fail};
    use crate::domain::text::search_key;
    use crate::store::nominations::{awards, Awards};
    let db = db()?;
    let movements = crate::store::movements::opened(&db).await.map_err(fail)?;
    let shown = if movement.is_empty() {
        crate::store::movements::current(&db).await.map_err(fail)?.map(|m| m.id).unwrap_or_default()
    } else if movements.iter().any(|c| c.code == movement) {
        movement
    } else {
        return Err(AppError::not_found(&movement));
    };
    let key = search_key(&q);
    let list = awards(&db, Awards::All).await.map_err(fail)?;
    let found = list
        .into_iter()
        .filter(|a| a.movement == shown)
        .filter(|a| key.is_empty() || search_key(&a.name).contains(&key) || search_key(&a.unit_name).contains(&key))
        .map(public)
        .collect();
    let code = code.trim().to_string();
    let checked = if code.is_empty() {
        None
    } else {
        let hit = awards(&db, Awards::Code(&code)).await.map_err(fail)?.into_iter().next().map(public);
        Some((code, hit))
    };
    Ok(PublicAwards { awards: found, checked, movement: shown, movements })
}

/// One entry of the district's awards register (the officer's view).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub nomination: String,
    pub name: String,
    pub unit_name: String,
    pub form_name: String,
    pub decision_number: String,
    pub decision_date: String,
    pub signer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub rows: Vec<RegisterRow>,
    /// (code, name) of the forms, and (id, name) of the units with awards, for the filters.
    pub forms: Vec<(String, String)>,
    pub units: Vec<(String, String)>,
    /// The movement shown, and those the officer may pick.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<crate::domain::views::MovementChoice>,
}

/// The awards register of a movement (empty: the first the officer may
/// open): every decided award, filtered by name (case and diacritics
/// ignored), unit, form and decision period (`yyyy` or `yyyy-mm`).
#[server(endpoint = "awards/register", output = crate::api::codec::Json)]
pub async fn awards_register(
    q: String,
    unit: String,
    form: String,
    period: String,
    #[server(default)] movement: String,
) -> Result<Register, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::text::search_key;
    use crate::store::nominations::{awards, Awards};
    let me = guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let db = db()?;
    let (m, movements) = crate::api::scope::movement(&db, &me, &movement).await?;
    let mine = crate::api::scope::org_units(&db, &me).await.map_err(fail)?;
    let all: Vec<_> =
        awards(&db, Awards::All).await.map_err(fail)?.into_iter().filter(|a| a.movement == m.id && mine.contains(&a.unit)).collect();
    let mut units: Vec<(String, String)> = all.iter().map(|a| (a.unit.clone(), a.unit_name.clone())).collect();
    units.sort();
    units.dedup();
    let forms = m.definition.award_forms.iter().map(|f| (f.code.clone(), f.name_vi.clone())).collect();
    let key = search_key(&q);
    let period = period.trim().to_string();
    let rows = all
        .into_iter()
        .filter(|a| key.is_empty() || search_key(&a.name).contains(&key))
        .filter(|a| unit.is_empty() || a.unit == unit)
        .filter(|a| form.is_empty() || a.form == form)
        .filter(|a| period.is_empty() || a.date.starts_with(&period))
        .map(|a| RegisterRow {
            nomination: a.nomination,
            name: a.name,
            unit_name: a.unit_name,
            form_name: a.form_name,
            decision_number: a.number,
            decision_date: a.date,
            signer: a.signer,
        })
        .collect();
    Ok(Register { rows, forms, units, movement: m.id, movements })
}
