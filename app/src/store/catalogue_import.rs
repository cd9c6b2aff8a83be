//! Importer of the official administrative catalogue (GSO export layouts,
//! SPEC §10: with districts before 1/7/2025, two levels since), for one
//! province or the whole country. A dated import versions the catalogue: a
//! code the file gives to a different unit ends the old unit the day before
//! and adds a new one, so history stays as it was. The whole file is read
//! and checked first; every bad row is reported with its line number; only a
//! clean file is written: in one transaction, or for a large file in chunks
//! that are undone if one fails (see `store::units::import_catalogue`).

use super::{units, Db, StoreError};
use crate::domain::catalogue::{self, CatalogueRow, Layout};
pub use crate::domain::catalogue::{ImportReport, LineError};
use crate::domain::date::Date;
use crate::domain::unit::{catalogue_id, Unit, UnitKind};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// A CSV file as read: the header's fields, the data lines with their
/// 1-based line numbers, and the lines that could not be read.
pub(crate) struct CsvLines {
    pub header: Option<Vec<String>>,
    pub lines: Vec<(usize, Vec<String>)>,
    pub errors: Vec<LineError>,
}

pub(crate) fn csv_lines(text: &str) -> CsvLines {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    let mut header = None;
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
        let fields: Vec<String> = rec.iter().map(str::to_string).collect();
        if header.is_none() {
            header = Some(fields);
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        lines.push((line, fields));
    }
    CsvLines { header, lines, errors }
}

/// A checked catalogue file: its layout and rows with their line numbers.
#[derive(Debug)]
pub struct Parsed {
    pub layout: Layout,
    pub rows: Vec<(usize, CatalogueRow)>,
}

/// Reads and checks a catalogue file in either layout. Returns the rows with
/// their line numbers, or every problem found.
pub fn parse(text: &str) -> Result<Parsed, Vec<LineError>> {
    let CsvLines { header, lines, mut errors } = csv_lines(text);
    let Some(header) = header else {
        return Err(vec![err(1, "*", "Tệp rỗng.".into(), "The file is empty.".into())]);
    };
    let fields: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(layout) = Layout::of_header(&fields) else {
        let (old, new) = (catalogue::HEADER.join(","), catalogue::HEADER_2025.join(","));
        errors.push(err(
            1,
            "*",
            format!("Dòng tiêu đề phải là: {old} (trước 1/7/2025) hoặc {new} (từ 1/7/2025)"),
            format!("The header must be: {old} (before 1/7/2025) or {new} (from 1/7/2025)"),
        ));
        return Err(errors);
    };
    let mut rows = Vec::new();
    for (line, fields) in &lines {
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        match catalogue::parse_row_in(layout, &fields) {
            Ok(r) => rows.push((*line, r)),
            Err(p) => errors.push(err(*line, &p.column, p.message_vi, p.message_en)),
        }
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
        if let Some((d_name, d_code)) = &r.district {
            match districts.get(d_code.as_str()) {
                Some((name, prov, at)) if name != d_name || *prov != r.province_code => errors.push(err(
                    line,
                    "Mã QH",
                    format!("Mã huyện {d_code} đã dùng cho \"{name}\" (tỉnh {prov}) ở dòng {at}."),
                    format!("District code {d_code} already names \"{name}\" (province {prov}) on line {at}."),
                )),
                Some(_) => {}
                None => {
                    districts.insert(d_code, (d_name, &r.province_code, line));
                }
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
        Ok(Parsed { layout, rows })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Provinces, districts and communes as units (with the commune's level
/// label), under their catalogue ids, from `effective` if given.
pub fn to_units(rows: &[(usize, CatalogueRow)], effective: Option<Date>) -> Vec<(Unit, Option<String>)> {
    let mut provinces = BTreeMap::new();
    let mut districts = BTreeMap::new();
    let mut communes = Vec::with_capacity(rows.len());
    for (_, r) in rows {
        let unit = |kind: UnitKind, code: &str, name: &str, parent: Option<String>| Unit {
            id: catalogue_id(kind, code),
            name: name.to_string(),
            kind,
            category: kind.default_category(),
            parent,
            gso_code: Some(code.to_string()),
            demo: false,
            valid_from: effective,
            valid_to: None,
        };
        let p = catalogue_id(UnitKind::Province, &r.province_code);
        provinces.entry(p.clone()).or_insert_with(|| unit(UnitKind::Province, &r.province_code, &r.province_name, None));
        let parent = match &r.district {
            Some((d_name, d_code)) => {
                let d = catalogue_id(UnitKind::District, d_code);
                districts.entry(d.clone()).or_insert_with(|| unit(UnitKind::District, d_code, d_name, Some(p.clone())));
                d
            }
            None => p,
        };
        communes.push((unit(UnitKind::Commune, &r.commune_code, &r.commune_name, Some(parent)), Some(r.level.clone())));
    }
    provinces.into_values().map(|u| (u, None)).chain(districts.into_values().map(|u| (u, None))).chain(communes).collect()
}

/// What an import would write: the report, the units to write, and the
/// units as they were before (to undo a failed chunked write).
pub struct Plan {
    pub report: ImportReport,
    /// The day the file's units take effect, if dated.
    pub effective: Option<Date>,
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
pub async fn plan_within(db: &Db, text: &str, within: Option<&HashSet<String>>) -> Result<Plan, ImportError> {
    plan_dated(db, text, within, None).await
}

/// `plan_within` for a catalogue in force from `effective`. Without a date
/// a file in the pre-2025 layout updates units in place (as always); a
/// two-level file is dated 1/7/2025 unless another date is given.
pub async fn plan_dated(db: &Db, text: &str, within: Option<&HashSet<String>>, effective: Option<Date>) -> Result<Plan, ImportError> {
    let Parsed { layout, rows } = parse(text).map_err(ImportError::Lines)?;
    let effective = effective.or_else(|| (layout == Layout::TwoLevel).then(catalogue::two_level_since));
    let all = to_units(&rows, effective);
    let existing = units::catalogue_index(db).await?;
    let mut report = ImportReport { rows: rows.len(), ..Default::default() };
    let mut write = Vec::new();
    let mut restore = Vec::new();
    let mut ended: Vec<Unit> = Vec::new();
    match effective {
        None => {
            let existing: HashMap<String, Unit> = existing.into_iter().map(|u| (u.id.clone(), u)).collect();
            for (mut u, level) in all {
                count(&mut report, u.kind);
                match existing.get(&u.id) {
                    None => {
                        report.added += 1;
                        write.push((u, level));
                    }
                    Some(old) if old.name != u.name || old.parent != u.parent || old.kind != u.kind => {
                        report.changed += 1;
                        restore.push(old.clone());
                        (u.valid_from, u.valid_to) = (old.valid_from, old.valid_to);
                        write.push((u, level));
                    }
                    Some(_) => report.unchanged += 1,
                }
            }
        }
        Some(day) => {
            let mut taken: HashSet<String> = existing.iter().map(|u| u.id.clone()).collect();
            let mut by_code: HashMap<(String, UnitKind), Vec<Unit>> = HashMap::new();
            for u in existing {
                if let Some(code) = u.gso_code.clone() {
                    by_code.entry((code, u.kind)).or_default().push(u);
                }
            }
            // Catalogue id in the file → the id the unit has in the store.
            let mut resolved: HashMap<String, String> = HashMap::new();
            for (mut u, level) in all {
                count(&mut report, u.kind);
                u.parent = u.parent.map(|p| resolved.get(&p).cloned().unwrap_or(p));
                let key = (u.gso_code.clone().unwrap_or_default(), u.kind);
                let live: Vec<&Unit> = by_code.get(&key).into_iter().flatten().filter(|o| o.valid_to.is_none_or(|t| t >= day)).collect();
                let file_id = u.id.clone();
                if let Some(same) = live.iter().find(|o| o.name == u.name && o.parent == u.parent) {
                    report.unchanged += 1;
                    resolved.insert(file_id, same.id.clone());
                    continue;
                }
                if let Some(o) = live.iter().find(|o| o.valid_from == Some(day)) {
                    // The same dated catalogue again, with a correction.
                    report.changed += 1;
                    restore.push((*o).clone());
                    u.id = o.id.clone();
                } else {
                    for o in live {
                        let mut end = o.clone();
                        end.valid_to = day.previous_day();
                        restore.push(o.clone());
                        ended.push(end);
                    }
                    report.added += 1;
                    u.id = fresh_id(&taken, &file_id, day);
                    taken.insert(u.id.clone());
                }
                resolved.insert(file_id, u.id.clone());
                write.push((u, level));
            }
        }
    }
    report.ended = ended.len();
    write.extend(ended.into_iter().map(|u| (u, None)));
    if let Some(mine) = within {
        outside(&rows, &write, mine).map_err(ImportError::Lines)?;
    }
    Ok(Plan { report, effective, write, restore })
}

fn count(report: &mut ImportReport, kind: UnitKind) {
    match kind {
        UnitKind::Province => report.provinces += 1,
        UnitKind::District => report.districts += 1,
        _ => report.communes += 1,
    }
}

/// An id for a new unit whose catalogue id may belong to an older unit with
/// the same code: `x23377`, else `x23377-2025`, else `x23377-20250701`.
fn fresh_id(taken: &HashSet<String>, id: &str, day: Date) -> String {
    [id.to_string(), format!("{id}-{}", day.year()), format!("{id}-{}", crate::domain::date::to_iso(day).replace('-', ""))]
        .into_iter()
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| format!("{id}-{}-{}", day.year(), taken.len()))
}

/// The lines of units a write would put (or change) outside `mine`: a unit
/// may be written when it is in `mine` and stays under it, or is new under a
/// unit that is (or is being added under one that is).
fn outside(rows: &[(usize, CatalogueRow)], write: &[(Unit, Option<String>)], mine: &HashSet<String>) -> Result<(), Vec<LineError>> {
    let mut inside: HashSet<&str> = mine.iter().map(String::as_str).collect();
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
            UnitKind::District => r.district.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
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
    within: Option<&HashSet<String>>,
) -> Result<ImportReport, ImportError> {
    import_dated(db, text, source, actor, within, None).await
}

/// `import_within` for a catalogue in force from `effective` (`plan_dated`).
pub async fn import_dated(
    db: &Db,
    text: &str,
    source: &str,
    actor: Option<&str>,
    within: Option<&HashSet<String>>,
    effective: Option<Date>,
) -> Result<ImportReport, ImportError> {
    let Plan { report, effective, write, restore } = plan_dated(db, text, within, effective).await?;
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
            ended: report.ended,
            effective: effective.map(crate::domain::date::to_iso),
        },
        &restore,
    )
    .await?;
    Ok(report)
}
