//! Importer of the official administrative catalogue (GSO export layout,
//! SPEC §10), for one province or the whole country. The whole file is read
//! and checked first; every bad row is reported with its line number; only a
//! clean file is written: in one transaction, or for a large file in chunks
//! that are undone if one fails (see `store::units::import_catalogue`).

use super::{units, Db, StoreError};
use crate::domain::catalogue::{self, CatalogueRow};
pub use crate::domain::catalogue::{ImportReport, LineError};
use crate::domain::unit::{catalogue_id, Unit, UnitKind};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} dòng không hợp lệ / invalid lines: {}", .0.len(), .0.iter().take(20).map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Lines(Vec<LineError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn err(line: usize, column: &str, vi: String, en: String) -> LineError {
    LineError { line, column: column.into(), message_vi: vi, message_en: en }
}

/// Reads and checks a catalogue file. Returns the rows with their line
/// numbers, or every problem found.
pub fn parse(text: &str) -> Result<Vec<(usize, CatalogueRow)>, Vec<LineError>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut first = true;
    // Line numbers from byte offsets: the csv crate's own count drifts on CRLF
    // files, and people open the file in an editor that counts lines.
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    let line_at = |byte: usize| newlines.partition_point(|&nl| nl <= byte) + 1;
    for (i, rec) in rdr.records().enumerate() {
        let line = match &rec {
            Ok(r) => r.position().map(|p| line_at(p.byte() as usize)).unwrap_or(i + 1),
            Err(e) => e.position().map(|p| line_at(p.byte() as usize)).unwrap_or(i + 1),
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(line, "*", format!("Không đọc được dòng: {e}"), format!("Unreadable line: {e}")));
                continue;
            }
        };
        let fields: Vec<&str> = rec.iter().collect();
        if first {
            first = false;
            if !catalogue::header_matches(&fields) {
                errors.push(err(
                    line,
                    "*",
                    format!("Dòng tiêu đề phải là: {}", catalogue::HEADER.join(",")),
                    format!("The header must be: {}", catalogue::HEADER.join(",")),
                ));
                return Err(errors);
            }
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match catalogue::parse_row(&fields) {
            Ok(r) => rows.push((line, r)),
            Err(p) => errors.push(err(line, &p.column, p.message_vi, p.message_en)),
        }
    }
    if first {
        errors.push(err(1, "*", "Tệp rỗng.".into(), "The file is empty.".into()));
    }
    // Codes must mean one thing throughout the file.
    let mut provinces: HashMap<&str, (&str, usize)> = HashMap::new();
    let mut districts: HashMap<&str, (&str, &str, usize)> = HashMap::new();
    let mut communes: HashMap<&str, usize> = HashMap::new();
    for (line, r) in &rows {
        let line = *line;
        match provinces.get(r.province_code.as_str()) {
            Some((name, at)) if *name != r.province_name => errors.push(err(
                line,
                "Mã TP",
                format!("Mã tỉnh {} đã dùng cho \"{name}\" ở dòng {at}.", r.province_code),
                format!("Province code {} already names \"{name}\" on line {at}.", r.province_code),
            )),
            Some(_) => {}
            None => {
                provinces.insert(&r.province_code, (&r.province_name, line));
            }
        }
        match districts.get(r.district_code.as_str()) {
            Some((name, prov, at)) if *name != r.district_name || *prov != r.province_code => errors.push(err(
                line,
                "Mã QH",
                format!("Mã huyện {} đã dùng cho \"{name}\" (tỉnh {prov}) ở dòng {at}.", r.district_code),
                format!("District code {} already names \"{name}\" (province {prov}) on line {at}.", r.district_code),
            )),
            Some(_) => {}
            None => {
                districts.insert(&r.district_code, (&r.district_name, &r.province_code, line));
            }
        }
        if let Some(at) = communes.insert(&r.commune_code, line) {
            errors.push(err(
                line,
                "Mã PX",
                format!("Mã xã {} đã có ở dòng {at}.", r.commune_code),
                format!("Commune code {} already appears on line {at}.", r.commune_code),
            ));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Provinces, districts and communes as units (with the commune's level label).
pub fn to_units(rows: &[(usize, CatalogueRow)]) -> Vec<(Unit, Option<String>)> {
    let mut provinces = BTreeMap::new();
    let mut districts = BTreeMap::new();
    let mut communes = Vec::with_capacity(rows.len());
    for (_, r) in rows {
        let p = catalogue_id(UnitKind::Province, &r.province_code);
        let d = catalogue_id(UnitKind::District, &r.district_code);
        provinces.entry(p.clone()).or_insert_with(|| Unit {
            id: p.clone(),
            name: r.province_name.clone(),
            kind: UnitKind::Province,
            category: None,
            parent: None,
            gso_code: Some(r.province_code.clone()),
            demo: false,
        });
        districts.entry(d.clone()).or_insert_with(|| Unit {
            id: d.clone(),
            name: r.district_name.clone(),
            kind: UnitKind::District,
            category: None,
            parent: Some(p.clone()),
            gso_code: Some(r.district_code.clone()),
            demo: false,
        });
        communes.push((
            Unit {
                id: catalogue_id(UnitKind::Commune, &r.commune_code),
                name: r.commune_name.clone(),
                kind: UnitKind::Commune,
                category: UnitKind::Commune.default_category(),
                parent: Some(d),
                gso_code: Some(r.commune_code.clone()),
                demo: false,
            },
            Some(r.level.clone()),
        ));
    }
    provinces.into_values().map(|u| (u, None)).chain(districts.into_values().map(|u| (u, None))).chain(communes).collect()
}

/// What an import would write: the report, the units to write, and the
/// units as they were before (to undo a failed chunked write).
pub struct Plan {
    pub report: ImportReport,
    write: Vec<(Unit, Option<String>)>,
    restore: Vec<Unit>,
}

/// Checks the file and compares it with the units already stored; writes
/// nothing. The admin page shows this as the preview.
pub async fn plan(db: &Db, text: &str) -> Result<Plan, ImportError> {
    plan_within(db, text, None).await
}

/// `plan`, for an officer whose organisation is `within` (its units): a
/// file that would add, rename or move a unit outside it is refused whole,
/// each such unit named with its line.
pub async fn plan_within(db: &Db, text: &str, within: Option<&std::collections::HashSet<String>>) -> Result<Plan, ImportError> {
    let rows = parse(text).map_err(ImportError::Lines)?;
    let all = to_units(&rows);
    let existing: HashMap<String, Unit> = units::catalogue_index(db).await?.into_iter().map(|u| (u.id.clone(), u)).collect();
    let mut report = ImportReport { rows: rows.len(), ..Default::default() };
    let mut write = Vec::new();
    let mut restore = Vec::new();
    for (u, level) in all {
        match u.kind {
            UnitKind::Province => report.provinces += 1,
            UnitKind::District => report.districts += 1,
            _ => report.communes += 1,
        }
        match existing.get(&u.id) {
            None => {
                report.added += 1;
                write.push((u, level));
            }
            Some(old) if old.name != u.name || old.parent != u.parent || old.kind != u.kind => {
                report.changed += 1;
                restore.push(old.clone());
                write.push((u, level));
            }
            Some(_) => report.unchanged += 1,
        }
    }
    if let Some(mine) = within {
        outside(&rows, &write, mine).map_err(ImportError::Lines)?;
    }
    Ok(Plan { report, write, restore })
}

/// The lines of units a write would put (or change) outside `mine`: a unit
/// may be written when it is in `mine` and stays under it, or is new under a
/// unit that is (or is being added under one that is).
fn outside(
    rows: &[(usize, CatalogueRow)],
    write: &[(Unit, Option<String>)],
    mine: &std::collections::HashSet<String>,
) -> Result<(), Vec<LineError>> {
    let mut inside: std::collections::HashSet<&str> = mine.iter().map(String::as_str).collect();
    let mut errors = Vec::new();
    for (u, _) in write {
        let parent_inside = u.parent.as_deref().is_some_and(|p| inside.contains(p));
        if parent_inside {
            inside.insert(&u.id);
            continue;
        }
        let column = match u.kind {
            UnitKind::Province => "Mã TP",
            UnitKind::District => "Mã QH",
            _ => "Mã PX",
        };
        let code = |r: &CatalogueRow| match u.kind {
            UnitKind::Province => r.province_code.clone(),
            UnitKind::District => r.district_code.clone(),
            _ => r.commune_code.clone(),
        };
        let line = rows.iter().find(|(_, r)| Some(code(r)) == u.gso_code).map(|(l, _)| *l).unwrap_or(0);
        errors.push(LineError {
            line,
            column: column.into(),
            message_vi: format!("\"{}\" nằm ngoài đơn vị bạn quản lý; không nhập được.", u.name),
            message_en: format!("\"{}\" lies outside your organisation; it cannot be imported.", u.name),
        });
    }
    errors.sort_by_key(|e| e.line);
    errors.dedup_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks the file and writes it: new units added, renamed or moved units
/// changed, the rest left alone; with a record of the run (who ran it).
pub async fn import(db: &Db, text: &str, source: &str) -> Result<ImportReport, ImportError> {
    import_as(db, text, source, None).await
}

pub async fn import_as(db: &Db, text: &str, source: &str, actor: Option<&str>) -> Result<ImportReport, ImportError> {
    import_within(db, text, source, actor, None).await
}

/// `import_as`, limited to an organisation's units (`plan_within`).
pub async fn import_within(
    db: &Db,
    text: &str,
    source: &str,
    actor: Option<&str>,
    within: Option<&std::collections::HashSet<String>>,
) -> Result<ImportReport, ImportError> {
    let Plan { report, write, restore } = plan_within(db, text, within).await?;
    units::import_catalogue(
        db,
        &write,
        units::ImportRun {
            source: source.to_string(),
            actor: actor.map(str::to_string),
            rows: report.rows,
            added: report.added,
            changed: report.changed,
            unchanged: report.unchanged,
        },
        &restore,
    )
    .await?;
    Ok(report)
}
