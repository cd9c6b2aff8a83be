//! Loads movement templates: the shipped seed, or a file given at run time.

use app::domain::movement::{Movement, MovementDefinition};
use app::domain::template::{instantiate, TEMPLATE_FORMAT};
use app::domain::FieldError;
use serde::Deserialize;

/// The seed's plan (SPEC §6–§7), version 1.
pub const SEED_TEMPLATE: &str = include_str!("../../data/templates/covid-2021.v1.toml");

#[derive(Deserialize)]
struct File {
    format: u32,
    movement: MovementDefinition,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("tệp mẫu không đọc được / unreadable template: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("định dạng mẫu {0} không được hỗ trợ (cần {TEMPLATE_FORMAT}) / unsupported template format")]
    Format(u32),
    #[error("mẫu không hợp lệ / invalid template: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
}

pub fn parse(text: &str) -> Result<MovementDefinition, TemplateError> {
    let f: File = toml::from_str(text)?;
    if f.format != TEMPLATE_FORMAT {
        return Err(TemplateError::Format(f.format));
    }
    Ok(f.movement)
}

/// The seed movement run by `organiser`.
pub fn seed_movement(id: &str, organiser: &str) -> Result<Movement, TemplateError> {
    instantiate(parse(SEED_TEMPLATE)?, id, organiser).map_err(TemplateError::Invalid)
}
