//! The district's desk over what units filed: who reported for a period and
//! when, one report with its appraisal, accept/return (difficulties are in
//! `difficulties`). Every change is audited in its own transaction.

use super::{json, rows, units, Checked, Db, Result, StoreError};
use crate::domain::movement::Movement;
use crate::domain::report::ReportBody;
use crate::domain::review::{self, Appraisal, Decision, Timeliness};
use crate::domain::sync::ReviewStatus;
use crate::domain::unit::Unit;
use crate::domain::views::desk::{Desk, DeskRow, RateRow, ReportReview};
use crate::domain::FieldError;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The units expected to report in a movement under `root`: those of the
/// movement's time whose category has criteria on the sheet.
pub async fn expected_units(db: &Db, m: &Movement, root: &str) -> Result<Vec<Unit>> {
    Ok(units::subtree(db, root)
        .await?
        .into_iter()
        .filter(|u| m.spans(u) && u.category.is_some_and(|c| !m.definition.criteria_for(c).is_empty()))
        .collect())
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ReportRow {
    pub id: String,
    pub unit: String,
    pub status: ReviewStatus,
    pub first_received_at: String,
    pub revision: u32,
    pub return_comment: Option<String>,
    #[serde(default)]
    pub submitted_by: String,
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    #[serde(default)]
    pub appraisal: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub adjustments: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A stored map of keyed entries (appraisal, adjustments) as a sorted list;
/// an entry that does not decode is an error, not a silently missing line.
pub(crate) fn entries(map: Option<serde_json::Map<String, serde_json::Value>>) -> Result<Vec<Appraisal>> {
    let mut v = map
        .unwrap_or_default()
        .into_values()
        .map(|v| serde_json::from_value::<Appraisal>(v).map_err(|e| StoreError::Decode(e.to_string())))
        .collect::<Result<Vec<_>>>()?;
    v.sort_by(|a, b| a.area.cmp(&b.area));
    Ok(v)
}

const REPORT_FIELDS: &str = "record::id(id) AS id, record::id(unit) AS unit, status, <string> first_received_at AS first_received_at, \
    revision, return_comment, submitted_by";

/// The record ids of these units' reports for a period of `m` (bound as
/// ids, so they are fetched by key).
pub(crate) fn report_record_ids<'a>(m: &Movement, units: impl Iterator<Item = &'a str>, period: &str) -> Vec<surrealdb::types::RecordId> {
    units.map(|u| surrealdb::types::RecordId::new("submission", m.report_id(u, period))).collect()
}

/// The reports of these units for a period of `m`, by record key (a
/// report's id is its movement, unit and period, so no scan).
pub(crate) async fn reports_of(db: &Db, m: &Movement, unit_ids: &[String], period: &str) -> Result<Vec<ReportRow>> {
    let sql = format!("SELECT {REPORT_FIELDS} FROM $ids WHERE kind = 'report'");
    by_chunks(db, report_record_ids(m, unit_ids.iter().map(String::as_str), period), sql, |res| rows::<ReportRow>(res, 0)).await
}

/// Runs `sql` over record `ids` bound as `$ids`, in chunks side by side when
/// there are many (a province, the country), decoding each answer with `decode`.
pub(crate) async fn by_chunks<T: Send + 'static>(
    db: &Db,
    ids: Vec<surrealdb::types::RecordId>,
    sql: String,
    decode: fn(&mut surrealdb::IndexedResults) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    by_chunks_of(db, ids, sql, decode, 250).await
}

async fn by_chunks_of<T: Send + 'static>(
    db: &Db,
    ids: Vec<surrealdb::types::RecordId>,
    sql: String,
    decode: fn(&mut surrealdb::IndexedResults) -> Result<Vec<T>>,
    chunk_len: usize,
) -> Result<Vec<T>> {
    if ids.len() <= chunk_len {
        let mut res = db.query(sql).bind(("ids", ids)).await?;
        return decode(&mut res);
    }
    // Small chunks, two at a time: the engine holds each chunk's whole
    // records while it reads them, and a country's 2,000-report chunks all
    // in flight at once put the server ~150 MB over its 300 MB target
    // Measured on two cores: 250 × 2 is as fast as all at once.
    const IN_FLIGHT: usize = 2;
    let mut set = tokio::task::JoinSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(chunk_len) {
        if set.len() >= IN_FLIGHT {
            if let Some(done) = set.join_next().await {
                out.extend(done.map_err(|e| StoreError::Decode(e.to_string()))??);
            }
        }
        let (db, sql, chunk) = (db.clone(), sql.clone(), chunk.to_vec());
        set.spawn(async move {
            let mut res = db.query(sql).bind(("ids", chunk)).await?;
            decode(&mut res)
        });
    }
    while let Some(done) = set.join_next().await {
        out.extend(done.map_err(|e| StoreError::Decode(e.to_string()))??);
    }
    Ok(out)
}

pub(crate) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// The period a page opens on when none is asked for: the one open today
/// (`domain::period::open_on`), else the latest with reports, else the
/// latest begun.
pub async fn period_now(db: &Db, m: &Movement, today: time::Date) -> Result<String> {
    if let Some(p) = crate::domain::period::open_on(&m.periods, today, m.definition.periods.grace_days) {
        return Ok(p.code.clone());
    }
    // Newest first, one index probe each (a GROUP BY would read every
    // report ever filed; the live display asks this on each change).
    for p in m.periods.iter().rev() {
        let mut res = db
            .query(
                "SELECT VALUE id FROM submission WHERE movement = type::record('movement', $m) AND period = $p AND kind = 'report' LIMIT 1",
            )
            .bind(("m", m.id.clone()))
            .bind(("p", p.code.clone()))
            .await?;
        let hit: Vec<surrealdb::types::RecordId> = res.take(0)?;
        if !hit.is_empty() {
            return Ok(p.code.clone());
        }
    }
    let pick = m.periods.iter().rev().find(|p| p.starts_on <= today).or(m.periods.first());
    Ok(pick.map(|p| p.code.clone()).unwrap_or_default())
}

/// Each of these units with where it stands for `period`.
async fn desk(db: &Db, m: &Movement, units: Vec<Unit>, period: &str, now: OffsetDateTime) -> Result<Vec<DeskRow>> {
    let p = m.periods.iter().find(|p| p.code == period).ok_or_else(|| StoreError::NotFound(format!("period {period}")))?;
    let grace = m.definition.periods.grace_days;
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let reports = reports_of(db, m, &ids, period).await?;
    Ok(units
        .into_iter()
        .map(|u| {
            let r = reports.iter().find(|r| r.unit == u.id);
            let t = review::classify(r.and_then(|r| parse_time(&r.first_received_at)), p.deadline, grace, now);
            DeskRow {
                unit: u.id,
                unit_name: u.name,
                category: u.category,
                // Illustrative reports of the demo are badged like demo units.
                demo: u.demo || r.is_some_and(|r| r.submitted_by == "demo"),
                timeliness: t,
                status: r.map(|r| r.status),
                report: r.map(|r| r.id.clone()),
                received: r.map(|r| r.first_received_at.clone()),
            }
        })
        .collect())
}

/// A period at the desk: every expected unit under `root` and the reporting
/// rates per cluster, category and the whole area (`can_write` is false; the
/// caller decides).
pub async fn period_desk(db: &Db, m: &Movement, root: &str, period: &str, now: OffsetDateTime) -> Result<Desk> {
    let p = m.periods.iter().find(|p| p.code == period).ok_or_else(|| StoreError::NotFound(format!("period {period}")))?;
    let root_unit = units::get(db, root).await?.ok_or_else(|| StoreError::NotFound(root.to_string()))?;
    let expected = expected_units(db, m, root).await?;
    let rows = desk(db, m, expected.clone(), period, now).await?;
    let rates = super::consolidation::groups(db, &root_unit, &expected, false)
        .await?
        .into_iter()
        .map(|g| {
            let members: std::collections::HashSet<&String> = g.members.iter().collect();
            let mut r = review::Rates::default();
            for row in rows.iter().filter(|row| members.contains(&row.unit)) {
                r.add(row.timeliness);
            }
            RateRow { by: g.by, key: g.key, name: g.name, rates: r }
        })
        .collect();
    Ok(Desk {
        movement: m.id.clone(),
        movements: Vec::new(),
        period: period.to_string(),
        periods: m.periods.iter().map(crate::domain::report::PeriodChoice::from).collect(),
        deadline: crate::domain::date::format_vi(p.deadline),
        grace_days: m.definition.periods.grace_days,
        rows,
        rates,
        can_write: false,
    })
}

/// One report for review: the body, the appraisal so far, and the sheet it
/// is scored on.
pub async fn report(db: &Db, m: &Movement, id: &str, now: OffsetDateTime) -> Result<Option<ReportReview>> {
    let mut res = db
        .query(format!(
            "SELECT {REPORT_FIELDS}, body, appraisal, adjustments FROM ONLY type::record('submission', $id) WHERE kind = 'report'"
        ))
        .bind(("id", id.to_string()))
        .await?;
    let Some(row) = res.take::<Option<serde_json::Value>>(0)? else { return Ok(None) };
    let row: ReportRow = serde_json::from_value(row).map_err(|e| StoreError::Decode(e.to_string()))?;
    let body: ReportBody = serde_json::from_value(row.body.clone().unwrap_or_default()).map_err(|e| StoreError::Decode(e.to_string()))?;
    let unit = units::get(db, &row.unit).await?.ok_or_else(|| StoreError::NotFound(row.unit.clone()))?;
    let cat = unit.category.ok_or_else(|| StoreError::NotFound(format!("category of {}", unit.id)))?;
    let p = m.periods.iter().find(|p| p.code == body.period);
    // Scored by the version its period was filed against.
    let d = m.definition_for(&body.period);
    let timeliness = p
        .map(|p| review::classify(parse_time(&row.first_received_at), p.deadline, d.periods.grace_days, now))
        .unwrap_or(Timeliness::OnTime);
    let appraisal = entries(row.appraisal)?;
    let adjustments = entries(row.adjustments)?;
    Ok(Some(ReportReview {
        id: row.id,
        unit: unit.id,
        unit_name: unit.name,
        period: body.period.clone(),
        period_label_vi: p.map(|p| p.label_vi.clone()).unwrap_or_else(|| body.period.clone()),
        period_label_en: p.map(|p| p.label_en.clone()).unwrap_or_else(|| body.period.clone()),
        status: row.status,
        return_comment: row.return_comment,
        timeliness,
        received: row.first_received_at,
        revision: row.revision,
        criteria: d.criteria_for(cat),
        indicators: d.indicators_for(cat).into_iter().cloned().collect(),
        version: d.version,
        body,
        appraisal,
        adjustments,
        caps: (d.scoring.bonus_cap, d.scoring.deduction_cap),
        can_write: false,
    }))
}

pub(super) fn invalid(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

/// Accepts or returns a report. The write is guarded by the status the check
/// saw, so two officers deciding at once cannot both win.
pub async fn decide(db: &Db, id: &str, decision: Decision, comment: &str, actor: &str) -> Result<ReviewStatus> {
    let Some(super::submissions::ItemState { kind, status, .. }) = super::submissions::state_of(db, id).await? else {
        return Err(StoreError::NotFound(id.to_string()));
    };
    if kind != "report" {
        return Err(StoreError::NotFound(id.to_string()));
    }
    let comment = crate::domain::text::nfc(comment.trim());
    invalid(review::check_decision(decision, status, &comment))?;
    let new = match decision {
        Decision::Accept => ReviewStatus::Accepted,
        Decision::Return => ReviewStatus::Returned,
    };
    db.query(
        "BEGIN TRANSACTION;
        LET $old = (SELECT status, return_comment FROM ONLY type::record('submission', $id));
        IF $old.status != $seen { THROW 'status moved' };
        UPDATE type::record('submission', $id) SET status = $status, return_comment = $rc,
            reviewed_by = $actor, reviewed_at = time::now(), updated_at = time::now();
        CREATE audit CONTENT { actor: $actor, action: 'submission.' + $status, subject: 'submission:' + $id, before: $old,
            after: { status: $status, return_comment: $rc, comment: $comment } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("seen", json(&status)))
    .bind(("status", json(&new)))
    .bind(("rc", (decision == Decision::Return).then(|| comment.clone())))
    .bind(("comment", comment.clone()))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(new)
}

/// Sets the district's score for one criterion (the self-score stays as
/// the unit sent it).
pub async fn appraise(db: &Db, m: &Movement, id: &str, area: &str, points: f64, reason: &str, actor: &str) -> Result<Appraisal> {
    let Some(super::submissions::ItemState { unit, kind, period, .. }) = super::submissions::state_of(db, id).await? else {
        return Err(StoreError::NotFound(id.to_string()));
    };
    if kind != "report" {
        return Err(StoreError::NotFound(id.to_string()));
    }
    let cat = units::get(db, &unit).await?.and_then(|u| u.category);
    let criteria = cat.map(|c| m.definition_for(period.as_deref().unwrap_or_default()).criteria_for(c)).unwrap_or_default();
    let reason = crate::domain::text::nfc(reason.trim());
    invalid(review::check_appraisal(&criteria, area, points, &reason))?;
    set_entry(db, Entry::Appraisal, id, area, points, reason, actor).await
}

/// The report's bonus or deduction points, with a reason (0 withdraws it).
pub async fn adjust(db: &Db, m: &Movement, id: &str, kind: review::Adjust, points: f64, reason: &str, actor: &str) -> Result<Appraisal> {
    let Some(super::submissions::ItemState { kind: k, period, .. }) = super::submissions::state_of(db, id).await? else {
        return Err(StoreError::NotFound(id.to_string()));
    };
    if k != "report" {
        return Err(StoreError::NotFound(id.to_string()));
    }
    let reason = crate::domain::text::nfc(reason.trim());
    let rules = &m.definition_for(period.as_deref().unwrap_or_default()).scoring;
    invalid(review::check_adjustment(rules, kind, points, &reason))?;
    set_entry(db, Entry::Adjustment, id, kind.code(), points, reason, actor).await
}

/// Where the district's points on a report are kept: per criterion, or the
/// bonus and deduction beside the sheet.
#[derive(Clone, Copy)]
enum Entry {
    Appraisal,
    Adjustment,
}

/// Sets one keyed entry of a report's appraisal or adjustments, audited in
/// the same transaction.
async fn set_entry(db: &Db, entry: Entry, id: &str, key: &str, points: f64, reason: String, actor: &str) -> Result<Appraisal> {
    let (field, action) = match entry {
        Entry::Appraisal => ("appraisal", "submission.appraise"),
        Entry::Adjustment => ("adjustments", "submission.adjust"),
    };
    let mut res = db
        .query(format!(
            "BEGIN TRANSACTION;
            LET $old = (SELECT VALUE {field} FROM ONLY type::record('submission', $id));
            LET $entry = {{ area: $area, points: $points, reason: $reason, by: $actor, at: <string> time::now() }};
            UPDATE type::record('submission', $id) SET {field} = object::from_entries(array::concat(object::entries($old ?? {{}}), [[$area, $entry]])), updated_at = time::now();
            CREATE audit CONTENT {{ actor: $actor, action: '{action}', subject: 'submission:' + $id,
                before: $old[$area] ?? NONE, after: $entry }};
            RETURN $entry;
            COMMIT TRANSACTION;"
        ))
        .bind(("id", id.to_string()))
        .bind(("area", key.to_string()))
        .bind(("points", points))
        .bind(("reason", reason))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    for i in (0..res.num_statements()).rev() {
        if let Ok(Some(v)) = res.take::<Option<serde_json::Value>>(i) {
            if let Ok(a) = serde_json::from_value::<Appraisal>(v) {
                return Ok(a);
            }
        }
    }
    Err(StoreError::Decode("no appraisal returned".into()))
}

#[cfg(test)]
mod tests {
    use super::by_chunks_of;
    use crate::store::{connect, DbConfig};
    use surrealdb::types::RecordId;

    /// Every row comes back once, whatever the chunking and the two chunks in
    /// flight at a time.
    #[tokio::test]
    async fn chunked_reads_return_every_row_once() {
        let db = connect(&DbConfig::memory()).await.unwrap();
        db.query("FOR $i IN 1..=11 { CREATE type::record('probe', $i) SET n = $i }").await.unwrap().check().unwrap();
        let ids: Vec<RecordId> = (1..=12).map(|i: i64| RecordId::new("probe", i)).collect();
        for chunk_len in [1, 2, 5, 12, 250] {
            let mut got: Vec<i64> =
                by_chunks_of(&db, ids.clone(), "SELECT VALUE n FROM $ids".into(), |r| Ok(r.take::<Vec<i64>>(0)?), chunk_len).await.unwrap();
            got.sort();
            assert_eq!(got, (1..=11).collect::<Vec<_>>(), "chunks of {chunk_len}");
        }
    }
}
