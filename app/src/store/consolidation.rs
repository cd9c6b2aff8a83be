//! Consolidated indicators for any area (a district, a province, the
//! country): the reports of the units under it for a period, rolled up by
//! unit, cluster, category and the whole area with `domain::rollup`.

use super::review::{by_chunks, expected_units, report_record_ids};
use super::{clusters, Db, Result, StoreError};
use crate::domain::movement::Movement;
use crate::domain::period::PeriodKind;
use crate::domain::report::IndicatorEntry;
use crate::domain::rollup::{self, Group, GroupBy, Reported};
use crate::domain::unit::{ParticipantCategory, Unit};
use crate::domain::views::consolidation::{ConsolidationView, TrendPoint};
use surrealdb::types::Value;

/// The groupings of a set of units: each unit, each cluster or block with
/// members among them, each category, and the whole area.
pub async fn groups(db: &Db, root: &Unit, units: &[Unit], each_unit: bool) -> Result<Vec<Group>> {
    let ids: std::collections::HashSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
    let mut out = Vec::new();
    if each_unit {
        out.extend(units.iter().map(own_row));
    }
    for c in clusters::list(db).await? {
        let members: Vec<String> = c.members.iter().filter(|m| ids.contains(m.as_str())).cloned().collect();
        if !members.is_empty() {
            out.push(Group { by: GroupBy::Cluster, key: c.id, name: c.name, members });
        }
    }
    for c in ParticipantCategory::ALL.into_iter().filter(|c| units.iter().any(|u| u.category == Some(*c))) {
        out.push(Group {
            by: GroupBy::Category,
            key: c.code().to_string(),
            name: c.label_vi().to_string(),
            members: units.iter().filter(|u| u.category == Some(c)).map(|u| u.id.clone()).collect(),
        });
    }
    out.push(Group {
        by: GroupBy::Total,
        key: root.id.clone(),
        name: root.name.clone(),
        members: units.iter().map(|u| u.id.clone()).collect(),
    });
    Ok(out)
}

fn own_row(u: &Unit) -> Group {
    Group { by: GroupBy::Unit, key: u.id.clone(), name: u.name.clone(), members: vec![u.id.clone()] }
}

/// Units under `root` that report indicators, and the indicators they report.
async fn reporting_units(db: &Db, m: &Movement, root: &str) -> Result<(Unit, Vec<Unit>)> {
    let root_unit = super::units::get(db, root).await?.ok_or_else(|| StoreError::NotFound(root.to_string()))?;
    let units: Vec<Unit> = expected_units(db, m, root)
        .await?
        .into_iter()
        .filter(|u| u.category.is_some_and(|c| !m.definition.indicators_for(c).is_empty()))
        .collect();
    Ok((root_unit, units))
}

/// The period's reports (not those returned for correction) as consolidation
/// reads them. A country is ~10,000 report bodies of ~20 indicators, so they
/// are decoded straight from the engine's values, without a JSON step.
async fn reported(db: &Db, m: &Movement, ids: &[String], period: &str) -> Result<Vec<Reported>> {
    let sql =
        "SELECT record::id(unit) AS unit, <string> received_at AS received, body.indicators AS ind, array::len(body.files ?? []) AS files \
               FROM $ids WHERE kind = 'report' AND status != 'returned'";
    let ids = report_record_ids(m, ids.iter().map(String::as_str), period);
    by_chunks(db, ids, sql.to_string(), |res| {
        let raw: Vec<Value> = res.take(0)?;
        Ok(raw.into_iter().filter_map(decode_reported).collect())
    })
    .await
}

fn decode_reported(v: Value) -> Option<Reported> {
    let Value::Object(mut o) = v else { return None };
    let text = |v: Option<Value>| match v {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let unit = text(o.remove("unit"))?;
    let received = text(o.remove("received")).unwrap_or_default();
    let indicators = match o.remove("ind") {
        Some(Value::Array(a)) => a.into_iter().filter_map(decode_entry).collect(),
        _ => Vec::new(),
    };
    let files = match o.remove("files") {
        Some(Value::Number(n)) => n.to_f64().unwrap_or(0.0) as u32,
        _ => 0,
    };
    Some(Reported { unit, received, indicators, files })
}

fn decode_entry(v: Value) -> Option<IndicatorEntry> {
    let Value::Object(mut o) = v else { return None };
    let mut num = |k: &str| match o.remove(k) {
        Some(Value::Number(n)) => n.to_f64(),
        _ => None,
    };
    let (value, numerator, denominator) = (num("value"), num("numerator"), num("denominator"));
    let Some(Value::String(code)) = o.remove("code") else { return None };
    Some(IndicatorEntry { code, value, numerator, denominator })
}

/// Consolidation of one period under `root`; `each_unit` adds a row per unit.
pub async fn consolidate(db: &Db, m: &Movement, root: &str, period: &str, each_unit: bool) -> Result<ConsolidationView> {
    let (root_unit, units) = reporting_units(db, m, root).await?;
    let mut view = consolidate_units(db, m, root_unit, &units, period, each_unit).await?;
    if each_unit {
        let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
        view.has_successors = !super::succession::successors(db, &ids).await?.is_empty();
    }
    Ok(view)
}

/// The same consolidation with its unit rows as today's units: the old
/// units merged into one of today's are summed into it; an old unit split
/// across several keeps its own row, flagged (`domain::succession`).
pub async fn consolidate_as_today(db: &Db, m: &Movement, root: &str, period: &str) -> Result<ConsolidationView> {
    let (root_unit, units) = reporting_units(db, m, root).await?;
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let links = super::succession::successors(db, &ids).await?;
    let new_ids: Vec<String> = links.iter().map(|l| l.new.clone()).collect();
    let names = super::units::names_of(db, &new_ids).await?;
    let (today, splits) = crate::domain::succession::as_today(&units, &links, &names);
    let mut view = consolidate_grouped(db, m, root_unit, &units, period, today).await?;
    view.as_today = true;
    view.has_successors = !links.is_empty();
    view.splits = splits;
    Ok(view)
}

/// The same over an explicit set of units named `root_unit` (an area that
/// is not one unit, such as the whole country).
pub async fn consolidate_units(
    db: &Db,
    m: &Movement,
    root_unit: Unit,
    units: &[Unit],
    period: &str,
    each_unit: bool,
) -> Result<ConsolidationView> {
    let unit_rows = if each_unit { units.iter().map(own_row).collect() } else { Vec::new() };
    consolidate_grouped(db, m, root_unit, units, period, unit_rows).await
}

/// Consolidation with the given unit rows first, then clusters, categories
/// and the whole area.
async fn consolidate_grouped(
    db: &Db,
    m: &Movement,
    root_unit: Unit,
    units: &[Unit],
    period: &str,
    unit_rows: Vec<Group>,
) -> Result<ConsolidationView> {
    let p = m.periods.iter().find(|p| p.code == period).ok_or_else(|| StoreError::NotFound(format!("period {period}")))?;
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let reports = reported(db, m, &ids, period).await?;
    let mut all = unit_rows;
    all.extend(groups(db, &root_unit, units, false).await?);
    let indicators = m.definition_for(period).indicators.clone();
    let tables = rollup::consolidate(&indicators, &reports, &all);
    Ok(ConsolidationView {
        root: root_unit.id,
        root_name: root_unit.name,
        period: p.code.clone(),
        period_label_vi: p.label_vi.clone(),
        period_label_en: p.label_en.clone(),
        expected: units.len() as u32,
        reports: reports.len() as u32,
        indicators,
        tables,
        as_today: false,
        splits: Vec::new(),
        has_successors: false,
    })
}

/// The whole area's figures month by month, up to and including `until`.
pub async fn trend(db: &Db, m: &Movement, root: &str, until: &str) -> Result<Vec<TrendPoint>> {
    let (_, units) = reporting_units(db, m, root).await?;
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let end = m.periods.iter().find(|p| p.code == until).map(|p| p.ends_on);
    let mut out = Vec::new();
    for p in m.periods.iter().filter(|p| p.kind == PeriodKind::Month && end.is_none_or(|e| p.ends_on <= e)) {
        let reports = reported(db, m, &ids, &p.code).await?;
        let refs: Vec<&Reported> = reports.iter().collect();
        out.push(TrendPoint {
            period: p.code.clone(),
            label_vi: p.label_vi.clone(),
            label_en: p.label_en.clone(),
            cells: m.definition.indicators.iter().map(|i| rollup::roll_up(i, &refs)).collect(),
        });
    }
    Ok(out)
}
