//! Movement files: the TOML layout of `data/templates/*.toml` (documented in
//! README, "Movement files"). A file is read whole or refused whole, each
//! error named by its line and field; any movement is written back in the same
//! layout, and reading what was written gives the same movement.

use crate::domain::movement::{Movement, MovementDefinition};
use crate::domain::template::{instantiate, TEMPLATE_FORMAT};
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

/// The seed's plan (SPEC §6–§7), version 1.
pub const SEED_TEMPLATE: &str = include_str!("../../../data/templates/covid-2021.v1.toml");
/// A year's movement for today's organisers (Decree 152/2025 award forms).
pub const ANNUAL_TEMPLATE: &str = include_str!("../../../data/templates/thi-dua-nam.v1.toml");

/// The built-in template a code of `api::movements::TEMPLATES` names.
pub fn built_in(code: &str) -> Option<&'static str> {
    match code {
        "mau-nam" => Some(ANNUAL_TEMPLATE),
        "mau-2021" => Some(SEED_TEMPLATE),
        _ => None,
    }
}

#[derive(Deserialize, Serialize)]
struct File {
    format: u32,
    movement: MovementDefinition,
}

/// One problem in a movement file: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// 1-based.
    pub line: usize,
    /// The field as the file names it (`movement.indicators.vx-mui1.rollup`).
    pub field: String,
    pub rule: String,
    pub message_vi: String,
    pub message_en: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}, {}: {} / line {}, {}: {}", self.line, self.field, self.message_vi, self.line, self.field, self.message_en)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("tệp phong trào không hợp lệ / invalid movement file:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    File(Vec<FileError>),
    #[error("phong trào không hợp lệ / invalid movement: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
}

/// Reads a movement file: its layout, its format version, then every rule
/// of the movement (`MovementDefinition::validate`). Refused whole, with
/// every error found.
pub fn read(text: &str) -> Result<MovementDefinition, Vec<FileError>> {
    let fields = match DeTable::parse(text) {
        Ok(t) => flatten(text, t.get_ref()),
        Err(e) => return Err(vec![toml_error(text, &e, &[])]),
    };
    let file: File = toml::from_str(text).map_err(|e| vec![toml_error(text, &e, &fields)])?;
    if file.format != TEMPLATE_FORMAT {
        let (line, field) = locate(&fields, "format");
        return Err(vec![FileError {
            line,
            field,
            rule: "format".into(),
            message_vi: format!("Định dạng {} không được hỗ trợ (cần {TEMPLATE_FORMAT}).", file.format),
            message_en: format!("Format {} is not supported (expected {TEMPLATE_FORMAT}).", file.format),
        }]);
    }
    match file.movement.validate() {
        Ok(_) => Ok(file.movement),
        Err(errors) => Err(errors
            .into_iter()
            .map(|e| {
                let (line, field) = locate(&fields, &format!("movement.{}", e.field));
                FileError { line, field, rule: e.rule, message_vi: e.message_vi, message_en: e.message_en }
            })
            .collect()),
    }
}

/// A movement in the file layout `read` takes.
pub fn write(definition: &MovementDefinition) -> String {
    let file = File { format: TEMPLATE_FORMAT, movement: definition.clone() };
    toml::to_string(&file).expect("a movement serialises to TOML")
}

/// The seed movement run by `organiser`.
pub fn seed_movement(id: &str, organiser: &str) -> Result<Movement, TemplateError> {
    instantiate(read(SEED_TEMPLATE).map_err(TemplateError::File)?, id, organiser).map_err(TemplateError::Invalid)
}

/// Every key of the file with the line it is on, by dotted path; an element
/// of an array of tables is named by its `code` (or `category`, `area`, or
/// `v` and its `version`), else by its index.
fn flatten(text: &str, table: &DeTable<'_>) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    walk(text, table, "", &mut out);
    out
}

fn walk(text: &str, table: &DeTable<'_>, prefix: &str, out: &mut Vec<(String, usize)>) {
    for (k, v) in table.iter() {
        let path = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
        out.push((path.clone(), line_of(text, k.span().start)));
        match v.get_ref() {
            DeValue::Table(t) => walk(text, t, &path, out),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        let el = format!("{path}.{}", element_name(t).unwrap_or_else(|| i.to_string()));
                        out.push((el.clone(), line_of(text, item.span().start)));
                        walk(text, t, &el, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn element_name(t: &DeTable<'_>) -> Option<String> {
    let get = |key: &str| t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v.get_ref());
    for key in ["code", "category", "area"] {
        if let Some(DeValue::String(s)) = get(key) {
            return Some(s.to_string());
        }
    }
    match get("version") {
        Some(DeValue::Integer(n)) => Some(format!("v{}", n.as_str())),
        _ => None,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// The line of the deepest key that `field` lies under, and the field.
fn locate(fields: &[(String, usize)], field: &str) -> (usize, String) {
    let under = |path: &str| field == path || field.starts_with(&format!("{path}."));
    let line = fields.iter().filter(|(p, _)| under(p)).max_by_key(|(p, _)| p.len()).map(|(_, l)| *l).unwrap_or(1);
    (line, field.to_string())
}

/// A TOML or layout error at its line, named by the deepest key there.
fn toml_error(text: &str, e: &toml::de::Error, fields: &[(String, usize)]) -> FileError {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    let field = fields.iter().filter(|(_, l)| *l == line).map(|(p, _)| p.clone()).max_by_key(String::len).unwrap_or_default();
    let detail = e.message().trim().to_string();
    FileError {
        line,
        field,
        rule: "layout".into(),
        message_vi: format!("Tệp không đúng định dạng phong trào: {detail}"),
        message_en: format!("Not a movement file: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_the_same() {
        let seed = read(SEED_TEMPLATE).unwrap();
        let text = write(&seed);
        assert_eq!(read(&text).unwrap(), seed);
        assert_eq!(write(&read(&text).unwrap()), text, "stable once written");
    }

    #[test]
    fn three_errors_are_each_named_by_line_and_field() {
        let bad = SEED_TEMPLATE
            .replacen("max_points = 20", "max_points = 25", 1)
            .replacen("rollup = \"weighted_ratio\"", "rollup = \"sum\"", 1)
            .replacen(
                "code = \"tot\"\nlabel_vi = \"Tốt\"\nlabel_en = \"Good\"\nmin_total = 80.0",
                "code = \"tot\"\nlabel_vi = \"Tốt\"\nlabel_en = \"Good\"\nmin_total = 95.0",
                1,
            );
        let errors = read(&bad).unwrap_err();
        let line = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let got: Vec<(&str, usize)> = errors.iter().map(|e| (e.rule.as_str(), e.line)).collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        // Points over the sheet: the content areas' table; a ratio summed: its
        // rollup line; bands out of order: the band.
        assert!(got.iter().any(|(_, l)| *l == line("[[movement.content_areas]]")), "{got:?}");
        assert!(got.iter().any(|(_, l)| *l == line("rollup = \"sum\"")), "{got:?}");
        assert!(got.iter().any(|(_, l)| *l == line("code = \"tot\"") - 1), "{got:?}");
        assert!(errors.iter().all(|e| e.field.starts_with("movement.")), "{errors:#?}");
    }

    #[test]
    fn a_layout_error_is_named_by_its_line() {
        let bad = SEED_TEMPLATE.replacen("sheet_total = 100", "sheet_total = \"một trăm\"", 1);
        let e = read(&bad).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, bad.lines().position(|l| l.contains("sheet_total")).unwrap() + 1, "{e:?}");
        assert_eq!(e[0].field, "movement.scoring.sheet_total");
        let e = read("format = 1\n[movement\n").unwrap_err();
        assert_eq!(e[0].line, 2, "{e:?}");
    }
}
