//! Items units file through sync, applied exactly once: the same id and
//! revision again returns the first receipt and changes nothing; an edit on
//! an old revision is a conflict that returns the server's copy.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::report::{PeriodChoice, ReportForm};
use crate::domain::sync::{ItemBody, Outcome, PushItem, Receipt, ReviewStatus, ServerItem};
use crate::domain::FieldError;
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, Deserialize)]
struct Row {
    id: String,
    revision: u32,
    base: u32,
    device: String,
    hash: String,
    kind: String,
    body: serde_json::Value,
    status: ReviewStatus,
    return_comment: Option<String>,
    received_at: String,
}

const FIELDS: &str = "record::id(id) AS id, revision, base, device, hash, kind, body, status, return_comment, <string> received_at AS received_at";

impl Row {
    fn server_item(&self) -> Result<ServerItem> {
        let body: ItemBody = serde_json::from_value(serde_json::json!({ "kind": self.kind, "body": self.body }))
            .map_err(|e| StoreError::Decode(e.to_string()))?;
        Ok(ServerItem {
            id: self.id.clone(),
            revision: self.revision,
            body,
            status: self.status,
            receipt: Receipt { server_time: self.received_at.clone(), hash: self.hash.clone() },
            return_comment: self.return_comment.clone(),
        })
    }
}

/// SHA-256 of what was stored, hex: the receipt's proof.
pub fn content_hash(item: &PushItem) -> String {
    let text = serde_json::to_string(&(&item.id, item.revision, &item.body)).unwrap_or_default();
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// In one round trip: the receipt of this very revision if an earlier push
/// stored it, and the item as stored now.
async fn look(db: &Db, id: &str, revision: u32, hash: &str) -> Result<(Option<Receipt>, Option<Row>)> {
    let mut res = db
        .query(format!(
            "SELECT <string> received_at AS server_time, hash FROM submission_rev WHERE sub = $id AND revision = $rev AND hash = $hash LIMIT 1;
             SELECT {FIELDS} FROM ONLY type::record('submission', $id);"
        ))
        .bind(("id", id.to_string()))
        .bind(("rev", revision))
        .bind(("hash", hash.to_string()))
        .await?;
    let seen = rows::<Receipt>(&mut res, 0)?.into_iter().next();
    let cur: Option<serde_json::Value> = res.take(1)?;
    let cur = cur.map(|v| serde_json::from_value(v).map_err(|e| StoreError::Decode(e.to_string()))).transpose()?;
    Ok((seen, cur))
}

/// Applies one validated item from `device`, written by `actor` for `unit`.
pub async fn apply(db: &Db, item: &PushItem, device: &str, actor: &str, unit: &str) -> Result<Outcome> {
    let hash = content_hash(item);
    // A concurrent push of the same id can make the guarded write fail; the
    // decision is then taken again on what is stored now.
    for _ in 0..4 {
        let (seen, cur) = look(db, &item.id, item.revision, &hash).await?;
        if let Some(receipt) = seen {
            let status = cur.map(|c| c.status).unwrap_or(ReviewStatus::Submitted);
            return Ok(Outcome::Stored { receipt, status });
        }
        if let Some(c) = &cur {
            if c.status == ReviewStatus::Accepted {
                return Ok(Outcome::Invalid {
                    errors: vec![FieldError::new(
                        "status",
                        "accepted_is_final",
                        "Báo cáo đã được huyện tiếp nhận, không sửa được nữa.",
                        "The district has accepted this report; it can no longer change.",
                    )],
                });
            }
        }
        let allowed = match &cur {
            None => item.base == 0,
            Some(c) => {
                c.revision == item.base
                    // The same phone replacing its own revision that it never
                    // saw acknowledged (the reply was lost, then it edited).
                    || (c.device == device && c.base == item.base && c.revision < item.revision)
            }
        };
        if !allowed {
            return match cur {
                Some(c) => Ok(Outcome::Conflict { server: Box::new(c.server_item()?) }),
                None => Ok(Outcome::Invalid {
                    errors: vec![FieldError::new("base", "base_exists", "Bản gốc không có trên máy chủ.", "The base revision is not on the server.")],
                }),
            };
        }
        let (kind, period) = (item.body.kind(), item.body.period().map(str::to_string));
        let body = match &item.body {
            ItemBody::Report(r) => json(r),
            ItemBody::Difficulty(d) => json(d),
            ItemBody::Nomination(n) => json(n),
            ItemBody::Story(s) => json(s),
        };
        let expect = cur.as_ref().map(|c| c.revision).unwrap_or(0);
        let res = db
            .query(
                "BEGIN TRANSACTION;
                LET $now = time::now();
                LET $old = (SELECT * FROM ONLY type::record('submission', $id));
                IF ($old.revision ?? 0) != $expect { THROW 'revision moved' };
                UPSERT type::record('submission', $id) CONTENT {
                    kind: $kind,
                    unit: type::record('unit', $unit),
                    period: $period,
                    revision: $rev,
                    base: $base,
                    device: $device,
                    hash: $hash,
                    body: $body,
                    status: 'submitted',
                    return_comment: NONE,
                    submitted_by: $actor,
                    first_received_at: $old.first_received_at ?? $now,
                    received_at: $now,
                    updated_at: $now
                };
                CREATE submission_rev CONTENT { sub: $id, revision: $rev, hash: $hash, device: $device, received_at: $now };
                CREATE audit CONTENT { actor: $actor, action: $kind + '.submit', subject: 'submission:' + $id, before: $old.body, after: $body };
                RETURN <string> $now;
                COMMIT TRANSACTION;",
            )
            .bind(("id", item.id.clone()))
            .bind(("expect", expect))
            .bind(("kind", kind))
            .bind(("unit", unit.to_string()))
            .bind(("period", period))
            .bind(("rev", item.revision))
            .bind(("base", item.base))
            .bind(("device", device.to_string()))
            .bind(("hash", hash.clone()))
            .bind(("body", body))
            .bind(("actor", actor.to_string()))
            .await
            .map_err(StoreError::from)
            .and_then(|r| r.checked());
        match res {
            Ok(mut r) => {
                // The transaction's RETURN: the time the receipt names.
                let mut at = None;
                for i in (0..r.num_statements()).rev() {
                    if let Ok(Some(t)) = r.take::<Option<String>>(i) {
                        at = Some(t);
                        break;
                    }
                }
                let server_time = at.ok_or_else(|| StoreError::Decode("no receipt time".into()))?;
                return Ok(Outcome::Stored { receipt: Receipt { server_time, hash }, status: ReviewStatus::Submitted });
            }
            Err(e) => {
                let msg = e.to_string();
                let retry = msg.contains("revision moved") || msg.contains("conflict") || msg.contains("retry") || msg.contains("unique") || msg.contains("already contains");
                if !retry {
                    return Err(e);
                }
            }
        }
    }
    Err(StoreError::Decode("too many concurrent writes to one item".into()))
}

/// A unit's items changed since `since` (RFC 3339; None: all).
pub async fn changed_since(db: &Db, unit: &str, since: Option<&str>) -> Result<Vec<ServerItem>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS}, updated_at FROM submission WHERE unit = type::record('unit', $unit)
             AND ($since = NONE OR updated_at > type::datetime($since)) ORDER BY updated_at"
        ))
        .bind(("unit", unit.to_string()))
        .bind(("since", since.map(str::to_string)))
        .await?;
    rows::<Row>(&mut res, 0)?.iter().map(Row::server_item).collect()
}

/// The report form of a unit: criteria and indicators of its category in the
/// current movement, and the periods it reports.
pub async fn form_for(db: &Db, unit: &str) -> Result<Option<ReportForm>> {
    let Some(u) = super::units::get(db, unit).await? else { return Ok(None) };
    let (Some(cat), Some(m)) = (u.category, super::movements::current(db).await?) else { return Ok(None) };
    let d = &m.definition;
    Ok(Some(ReportForm {
        movement: m.id.clone(),
        unit: u.id.clone(),
        unit_name: u.name.clone(),
        criteria: d.criteria_for(cat),
        indicators: d.indicators_for(cat).into_iter().cloned().collect(),
        periods: m
            .periods
            .iter()
            .map(|p| PeriodChoice {
                code: p.code.clone(),
                label_vi: p.label_vi.clone(),
                label_en: p.label_en.clone(),
                deadline: crate::domain::date::to_iso(p.deadline),
            })
            .collect(),
        award_forms: d.award_forms.clone(),
        eligibility: d.eligibility.clone(),
    }))
}

/// Sets a submission's review status (the district's desk, issue 5); here so
/// tests can return and accept.
pub async fn set_status(db: &Db, id: &str, status: ReviewStatus, comment: Option<&str>, actor: &str) -> Result<()> {
    db.query(
        "BEGIN TRANSACTION;
        LET $old = (SELECT status, return_comment FROM ONLY type::record('submission', $id));
        IF $old = NONE { THROW 'no such submission' };
        UPDATE type::record('submission', $id) SET status = $status, return_comment = $comment, updated_at = time::now();
        CREATE audit CONTENT { actor: $actor, action: 'submission.' + $status, subject: 'submission:' + $id, before: $old, after: { status: $status, return_comment: $comment } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("status", json(&status)))
    .bind(("comment", comment.map(str::to_string)))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}
