//! The organiser's movements: the list, a draft copied from one of them, and
//! each step of a movement's lifecycle (`domain::lifecycle`). Only the
//! organisation that runs a movement sees or changes it.

use crate::domain::lifecycle::MovementStatus;
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MovementRow {
    pub code: String,
    pub name: String,
    pub status: MovementStatus,
    pub version: u32,
    /// dd/mm/yyyy
    pub starts_on: String,
    pub reports: u32,
    /// The one every page shows today.
    pub current: bool,
}

/// The signed-in officer, the database, and the officer's organisation.
#[cfg(feature = "ssr")]
async fn officer_org() -> Result<(crate::domain::auth::Account, crate::store::Db, String), AppError> {
    use crate::api::{auth::guard, db, fail};
    let me = guard::require(&[crate::domain::auth::Role::DistrictOfficer]).await?;
    let db = db()?;
    let org = crate::api::scope::organisation(&db, &me).await.map_err(fail)?;
    Ok((me, db, org))
}

/// `officer_org`, if that organisation runs movement `code` (another
/// organisation's is "not found", never shown).
#[cfg(feature = "ssr")]
async fn own(code: &str) -> Result<(crate::domain::auth::Account, crate::store::Db, String), AppError> {
    let (me, db, org) = officer_org().await?;
    match crate::store::movements::organiser_of(&db, code).await.map_err(crate::api::fail)? {
        Some(o) if o == org => Ok((me, db, org)),
        _ => Err(AppError::not_found(code)),
    }
}

#[server(endpoint = "movements/list", output = crate::api::codec::Json)]
pub async fn movements_list() -> Result<Vec<MovementRow>, AppError> {
    use crate::api::fail;
    let (_, db, org) = officer_org().await?;
    let rows = crate::store::movements::list(&db, &org).await.map_err(fail)?;
    Ok(rows
        .into_iter()
        .map(|m| MovementRow {
            starts_on: crate::domain::date::parse_iso(&m.starts_on).map(crate::domain::date::format_vi).unwrap_or(m.starts_on),
            code: m.code,
            name: m.name,
            status: m.status,
            version: m.template_version,
            reports: m.reports,
            current: m.current,
        })
        .collect())
}

/// The built-in templates a `from` may name instead of one of the
/// organisation's movements: code, Vietnamese and English label.
pub const TEMPLATES: [(&str, &str, &str); 2] = [
    (
        "mau-nam",
        "Mẫu phong trào thi đua năm (Luật Thi đua, khen thưởng 2022; Nghị định 152/2025)",
        "A year's movement (2022 Law, Decree 152/2025)",
    ),
    ("mau-2021", "Mẫu kế hoạch 2021 (phòng, chống COVID-19, có cấp huyện)", "The 2021 plan (COVID-19, with districts)"),
];

/// A draft copy of movement `from` (or of the built-in template) named
/// `name` under `code`, run by the officer's organisation; returns the code.
#[server(endpoint = "movements/copy", output = crate::api::codec::Json)]
pub async fn movements_copy(from: String, code: String, name: String) -> Result<String, AppError> {
    use crate::api::fail;
    if TEMPLATES.iter().any(|t| t.0 == from) {
        let (me, db, org) = officer_org().await?;
        crate::store::movements::from_template(&db, &from, &code, &name, &org, &me.username).await.map_err(fail)?;
        return Ok(code);
    }
    let (me, db, _) = own(&from).await?;
    crate::store::movements::copy(&db, &from, &code, &name, &me.username).await.map_err(fail)?;
    Ok(code)
}

/// Moves movement `code` to `status` (a code of `MovementStatus`).
#[server(endpoint = "movements/set_status", output = crate::api::codec::Json)]
pub async fn movements_set_status(code: String, status: String) -> Result<(), AppError> {
    use crate::api::fail;
    let to = MovementStatus::parse(&status).ok_or_else(|| {
        AppError::invalid(vec![crate::domain::FieldError::new(
            "status",
            "status_known",
            "Trạng thái không hợp lệ (draft, published, closed, archived).",
            "Unknown status (draft, published, closed, archived).",
        )])
    })?;
    let (me, db, _) = own(&code).await?;
    crate::store::movements::set_status(&db, &code, to, &me.username).await.map_err(fail)
}

/// A movement as its editor opens it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MovementDraft {
    pub code: String,
    pub status: MovementStatus,
    pub organiser: String,
    pub definition: crate::domain::movement::MovementDefinition,
    /// dd/mm/yyyy from which the newest version applies (empty: from the start).
    pub newest_from: String,
}

#[server(endpoint = "movements/get", output = crate::api::codec::Json)]
pub async fn movements_get(code: String) -> Result<MovementDraft, AppError> {
    use crate::api::fail;
    let (_, db, _) = own(&code).await?;
    let m = crate::store::movements::by_code(&db, &code).await.map_err(fail)?.ok_or_else(|| AppError::not_found(&code))?;
    let newest_from = m.newest_from().map(crate::domain::date::format_vi).unwrap_or_default();
    Ok(MovementDraft { code: m.id, status: m.status, organiser: m.organiser, definition: m.definition, newest_from })
}

/// Saves a movement's definition, checked whole on the server as in the
/// browser (`MovementDefinition::validate`): a draft in place, a running
/// movement as its next version (`domain::version::next_version`).
/// Returns the version saved.
#[server(endpoint = "movements/save", input = leptos::server_fn::codec::Json, output = crate::api::codec::Json)]
pub async fn movements_save(code: String, definition: crate::domain::movement::MovementDefinition) -> Result<u32, AppError> {
    use crate::api::fail;
    use crate::domain::lifecycle::Edit;
    let (me, db, org) = own(&code).await?;
    let was = crate::store::movements::by_code(&db, &code).await.map_err(fail)?.ok_or_else(|| AppError::not_found(&code))?;
    let mut definition = definition;
    definition.normalize();
    match was.status.edit().map_err(|e| AppError::invalid(vec![e]))? {
        Edit::InPlace => {
            let m = crate::domain::template::instantiate(definition, &code, &org).map_err(AppError::invalid)?;
            crate::store::movements::update_draft(&db, &m, &me.username).await.map_err(fail)?;
            Ok(m.definition.version)
        }
        Edit::NewVersion => {
            let today = crate::domain::date::vn_date(time::OffsetDateTime::now_utc());
            let m = crate::domain::version::next_version(&was, definition, today).map_err(AppError::invalid)?;
            crate::store::movements::save_version(&db, &m, was.definition.version, &me.username).await.map_err(fail)?;
            Ok(m.definition.version)
        }
    }
}

/// A draft from a movement file (the layout of `data/templates`), run by
/// the officer's organisation under `code`. A bad file is refused whole,
/// each error naming its line and field. Returns the code.
#[server(endpoint = "movements/import", output = crate::api::codec::Json)]
pub async fn movements_import(code: String, text: String) -> Result<String, AppError> {
    use crate::api::fail;
    use crate::domain::FieldError;
    let (me, db, org) = officer_org().await?;
    let def = crate::store::movement_file::read(&text).map_err(|errors| {
        AppError::invalid(
            errors
                .into_iter()
                .map(|e| {
                    let (vi, en) = (format!("Dòng {}: {}", e.line, e.message_vi), format!("Line {}: {}", e.line, e.message_en));
                    FieldError::new(e.field, e.rule, vi, en)
                })
                .collect(),
        )
    })?;
    crate::store::movements::import(&db, def, &code, &org, &me.username).await.map_err(fail)?;
    Ok(code)
}
