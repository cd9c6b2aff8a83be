//! The old→new mapping of communes across a reform (`domain::succession`):
//! its importer and the reads for "as today's units". Importing the mapping
//! links each old commune (the unit with that code the day before the
//! effective date) to today's commune (the unit with that code on the
//! day), and ends the old communes, then the districts and provinces left
//! without any, the day before.

use super::catalogue_import::{csv_lines, CsvLines, ImportError};
use super::{json, rows, units, Checked, Db, Result};
use crate::domain::catalogue::{self, LineError, MappingReport, MappingRow};
use crate::domain::date::{format_vi, to_iso, Date};
use crate::domain::succession::Succession;
use crate::domain::text::search_key;
use crate::domain::unit::{Unit, UnitKind};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

fn err(line: usize, column: &str, vi: String, en: String) -> LineError {
    LineError { line, column: column.into(), message_vi: vi, message_en: en }
}

/// Whether a file's first line is the mapping's header.
pub fn is_mapping(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    catalogue::header_is(&first.split(',').collect::<Vec<_>>(), &catalogue::MAPPING_HEADER)
}

/// Reads and checks a mapping file: every problem with its line.
pub fn parse(text: &str) -> std::result::Result<Vec<(usize, MappingRow)>, Vec<LineError>> {
    let CsvLines { header, lines, mut errors } = csv_lines(text);
    let Some(header) = header else {
        return Err(vec![err(1, "*", "Tệp rỗng.".into(), "The file is empty.".into())]);
    };
    let fields: Vec<&str> = header.iter().map(String::as_str).collect();
    if !catalogue::header_is(&fields, &catalogue::MAPPING_HEADER) {
        let h = catalogue::MAPPING_HEADER.join(",");
        return Err(vec![err(1, "*", format!("Dòng tiêu đề phải là: {h}"), format!("The header must be: {h}"))]);
    }
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, fields) in &lines {
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        match catalogue::parse_mapping_row(&fields) {
            Ok(r) => {
                if let Some(at) = seen.insert((r.old_code.clone(), r.new_code.clone()), *line) {
                    errors.push(err(
                        *line,
                        "Mã PX mới",
                        format!("Cặp mã {} → {} đã có ở dòng {at}.", r.old_code, r.new_code),
                        format!("The pair {} → {} already appears on line {at}.", r.old_code, r.new_code),
                    ));
                }
                out.push((*line, r));
            }
            Err(p) => errors.push(err(*line, &p.column, p.message_vi, p.message_en)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[derive(Serialize)]
struct Link {
    old: String,
    new: String,
    partial: bool,
}

/// Links per transaction (see `units::IMPORT_CHUNK`). Re-importing the same
/// file writes the same links and dates, so a run cut between chunks is
/// finished by running it again.
const CHUNK: usize = 1_000;

/// Checks the mapping against the stored catalogue and writes it: refused
/// whole, every line named, if an old code has no commune the day before
/// `effective` or a new code none on the day (import the new catalogue
/// first). `within` limits an officer to their organisation's units.
/// Without `apply` nothing is written (the preview).
pub async fn import(
    db: &Db,
    text: &str,
    effective: Date,
    actor: Option<&str>,
    within: Option<&HashSet<String>>,
    apply: bool,
) -> std::result::Result<MappingReport, ImportError> {
    let rows = parse(text).map_err(ImportError::Lines)?;
    let eve = effective.previous_day().unwrap_or(effective);
    let catalogue = units::catalogue_index(db).await?;
    // Communes by code, read once: a country's mapping is ~10,000 lines over
    // ~14,000 units.
    let mut by_code: HashMap<&str, Vec<&Unit>> = HashMap::new();
    for u in catalogue.iter().filter(|u| u.kind == UnitKind::Commune) {
        if let Some(code) = u.gso_code.as_deref() {
            by_code.entry(code).or_default().push(u);
        }
    }
    let commune_on = |code: &str, day: Date| by_code.get(code).and_then(|us| us.iter().copied().find(|u| u.valid_on(day)));
    let mut errors = Vec::new();
    let mut links = Vec::new();
    for (line, r) in &rows {
        let old = commune_on(&r.old_code, eve);
        let new = commune_on(&r.new_code, effective);
        if old.is_none() {
            errors.push(err(
                *line,
                "Mã PX cũ",
                format!("Không có xã, phường mã {} còn hiệu lực ngày {}.", r.old_code, format_vi(eve)),
                format!("No commune with code {} existed on {}.", r.old_code, to_iso(eve)),
            ));
        }
        if new.is_none() {
            errors.push(err(
                *line,
                "Mã PX mới",
                format!("Không có xã, phường mã {} có hiệu lực ngày {}: hãy nhập danh mục mới trước.", r.new_code, format_vi(effective)),
                format!("No commune with code {} exists on {}: import the new catalogue first.", r.new_code, to_iso(effective)),
            ));
        }
        // A code names one unit at a time, and names are checked too (without
        // diacritics or case): a mapping read against the wrong catalogue,
        // or before the new one is in, is refused rather than linking a unit
        // to itself.
        let differs = |u: &Unit, name: &str| search_key(&u.name) != search_key(name);
        if let Some(o) = old.filter(|o| differs(o, &r.old_name)) {
            errors.push(err(
                *line,
                "Phường Xã cũ",
                format!("Mã {} ngày {} là \"{}\", không phải \"{}\".", r.old_code, format_vi(eve), o.name, r.old_name),
                format!("Code {} on {} is \"{}\", not \"{}\".", r.old_code, to_iso(eve), o.name, r.old_name),
            ));
        }
        if let Some(n) = new.filter(|n| differs(n, &r.new_name)) {
            errors.push(err(
                *line,
                "Phường Xã mới",
                format!(
                    "Mã {} ngày {} là \"{}\", không phải \"{}\": hãy nhập danh mục mới trước.",
                    r.new_code,
                    format_vi(effective),
                    n.name,
                    r.new_name
                ),
                format!(
                    "Code {} on {} is \"{}\", not \"{}\": import the new catalogue first.",
                    r.new_code,
                    to_iso(effective),
                    n.name,
                    r.new_name
                ),
            ));
        }
        if let (Some(o), Some(n)) = (old, new) {
            if o.id == n.id {
                // The unit goes on unchanged: nothing to link or end.
                continue;
            }
            if n.valid_on(eve) {
                errors.push(err(
                    *line,
                    "Mã PX mới",
                    format!(
                        "\"{}\" (mã {}) đã có trước ngày {}, không phải đơn vị mới: hãy nhập danh mục mới trước.",
                        n.name,
                        r.new_code,
                        format_vi(effective)
                    ),
                    format!(
                        "\"{}\" (code {}) existed before {}; it is not a new unit: import the new catalogue first.",
                        n.name,
                        r.new_code,
                        to_iso(effective)
                    ),
                ));
                continue;
            }
            for u in [o, n] {
                if within.is_some_and(|mine| !mine.contains(&u.id)) {
                    errors.push(err(
                        *line,
                        "*",
                        format!("\"{}\" nằm ngoài đơn vị bạn quản lý.", u.name),
                        format!("\"{}\" lies outside your organisation.", u.name),
                    ));
                }
            }
            links.push(Link { old: o.id.clone(), new: n.id.clone(), partial: r.partial });
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Lines(errors));
    }
    let ended = to_end(&catalogue, &links, effective, eve);
    let report = MappingReport { rows: rows.len(), partial: links.iter().filter(|l| l.partial).count(), ended: ended.len() };
    if !apply {
        return Ok(report);
    }
    write(db, &links, &ended, effective, actor, &report).await?;
    Ok(report)
}

/// Writes the links, ends the old units and records the run.
async fn write(db: &Db, links: &[Link], ended: &[String], effective: Date, actor: Option<&str>, report: &MappingReport) -> Result<()> {
    let day = to_iso(effective);
    let eve = effective.previous_day().unwrap_or(effective);
    for chunk in links.chunks(CHUNK) {
        db.query(
            "BEGIN TRANSACTION;
             FOR $l IN $links {
                 UPSERT type::record('unit_succession', [$l.old, $l.new]) CONTENT {
                     old: type::record('unit', $l.old), new: type::record('unit', $l.new), partial: $l.partial, effective: $day
                 };
             };
             COMMIT TRANSACTION;",
        )
        .bind(("links", chunk.iter().map(json).collect::<Vec<_>>()))
        .bind(("day", day.clone()))
        .await?
        .checked()?;
    }
    let eve_iso = to_iso(eve);
    for ids in ended.chunks(CHUNK) {
        let ids: Vec<surrealdb::types::RecordId> = ids.iter().map(|i| surrealdb::types::RecordId::new("unit", i.as_str())).collect();
        db.query("UPDATE $ids SET valid_to = $eve").bind(("ids", ids)).bind(("eve", eve_iso.clone())).await?.checked()?;
    }
    db.query("CREATE audit CONTENT { actor: $actor, action: 'catalogue.mapping', subject: 'unit_succession:' + $day, after: $report }")
        .bind(("actor", actor.map(str::to_string)))
        .bind(("day", day))
        .bind(("report", json(report)))
        .await?
        .checked()?;
    Ok(())
}

/// The units the mapping ends the day before `effective`: the old communes
/// still open, then every district and province above them with no
/// catalogue unit left open on the day.
fn to_end(catalogue: &[Unit], links: &[Link], effective: Date, eve: Date) -> Vec<String> {
    let open = |u: &Unit| u.valid_to.is_none_or(|t| t > eve);
    let by_id: HashMap<&str, &Unit> = catalogue.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut gone: HashSet<&str> = links.iter().map(|l| l.old.as_str()).collect();
    let mut above: Vec<&str> = gone.iter().filter_map(|id| by_id.get(id)?.parent.as_deref()).collect();
    while let Some(p) = above.pop() {
        let Some(u) = by_id.get(p) else { continue };
        if gone.contains(p) || !matches!(u.kind, UnitKind::District | UnitKind::Province) {
            continue;
        }
        let alive = catalogue.iter().any(|c| c.parent.as_deref() == Some(p) && !gone.contains(c.id.as_str()) && c.valid_on(effective));
        if !alive {
            gone.insert(p);
            above.extend(u.parent.as_deref());
        }
    }
    let mut out: Vec<String> = gone.into_iter().filter(|id| by_id.get(id).is_some_and(|u| open(u))).map(str::to_string).collect();
    out.sort();
    out
}

/// The links from these old units to their successors.
pub async fn successors(db: &Db, old: &[String]) -> Result<Vec<Succession>> {
    let ids: Vec<surrealdb::types::RecordId> = old.iter().map(|i| surrealdb::types::RecordId::new("unit", i.as_str())).collect();
    let mut res = db
        .query("SELECT record::id(old) AS old, record::id(new) AS new, partial FROM unit_succession WHERE old IN $ids ORDER BY new")
        .bind(("ids", ids))
        .await?;
    rows(&mut res, 0)
}
