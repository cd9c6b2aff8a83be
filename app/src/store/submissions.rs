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
    #[serde(default)]
    answer: Option<String>,
    received_at: String,
}

const FIELDS: &str = "record::id(id) AS id, revision, base, device, hash, kind, body, status, return_comment, answer, <string> received_at AS received_at";

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
            answer: self.answer.clone(),
        })
    }
}

/// SHA-256 of what was stored, hex: the receipt's proof.
pub fn content_hash(item: &PushItem) -> String {
    let text = serde_json::to_string(&(&item.id, item.revision, &item.body)).unwrap_or_default();
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an item may be written over what is stored (None), or its answer
/// without writing: accepted is final; an edit must start from the stored
/// revision, except that a phone may replace its own revision it never saw
/// acknowledged (the reply was lost, then the person edited).
fn decide(item: &PushItem, cur: Option<&Row>, device: &str) -> Result<Option<Outcome>> {
    if cur.is_some_and(|c| c.status == ReviewStatus::Accepted) {
        return Ok(Some(Outcome::Invalid {
            errors: vec![FieldError::new(
                "status",
                "accepted_is_final",
                "Báo cáo đã được huyện tiếp nhận, không sửa được nữa.",
                "The district has accepted this report; it can no longer change.",
            )],
        }));
    }
    let allowed = match cur {
        None => item.base == 0,
        Some(c) => c.revision == item.base || (c.device == device && c.base == item.base && c.revision < item.revision),
    };
    if allowed {
        return Ok(None);
    }
    Ok(Some(match cur {
        Some(c) => Outcome::Conflict { server: Box::new(c.server_item()?) },
        None => Outcome::Invalid {
            errors: vec![FieldError::new("base", "base_exists", "Bản gốc không có trên máy chủ.", "The base revision is not on the server.")],
        },
    }))
}

fn body_json(item: &PushItem) -> serde_json::Value {
    match &item.body {
        ItemBody::Report(r) => json(r),
        ItemBody::Difficulty(d) => json(d),
        ItemBody::Nomination(n) => json(n),
        ItemBody::Story(s) => json(s),
    }
}

#[derive(Deserialize)]
struct Seen {
    sub: String,
    revision: u32,
    hash: String,
    server_time: String,
}

/// In one round trip: every stored revision of these items, and the items as
/// stored now.
async fn lookup(db: &Db, items: &[PushItem]) -> Result<(Vec<Seen>, Vec<Row>)> {
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let mut res = db
        .query(format!(
            "SELECT sub, revision, hash, <string> received_at AS server_time FROM submission_rev WHERE sub IN $ids;
             SELECT {FIELDS} FROM $ids.map(|$i| type::record('submission', $i));"
        ))
        .bind(("ids", ids))
        .await?;
    Ok((rows(&mut res, 0)?, rows(&mut res, 1)?))
}

/// The answer without writing, if there is one: the first receipt of a
/// revision stored before, or what `decide` says.
fn settled(item: &PushItem, hash: &str, seen: &[Seen], cur: Option<&Row>, device: &str) -> Result<Option<Outcome>> {
    if let Some(s) = seen.iter().find(|s| s.sub == item.id && s.revision == item.revision && s.hash == hash) {
        let status = cur.map(|c| c.status).unwrap_or(ReviewStatus::Submitted);
        return Ok(Some(Outcome::Stored { receipt: Receipt { server_time: s.server_time.clone(), hash: s.hash.clone() }, status }));
    }
    decide(item, cur, device)
}

/// One item for `write`: the item, the revision it must find stored, and
/// the body stored now (for the audit entry).
struct WriteRow {
    id: String,
    expect: u32,
    row: serde_json::Value,
    rev: serde_json::Value,
    audit: serde_json::Value,
}

fn write_row(item: &PushItem, cur: Option<&Row>, hash: &str) -> WriteRow {
    let body = body_json(item);
    WriteRow {
        id: item.id.clone(),
        expect: cur.map(|c| c.revision).unwrap_or(0),
        rev: serde_json::json!({ "sub": item.id, "revision": item.revision, "hash": hash }),
        audit: serde_json::json!({
            "action": format!("{}.submit", item.body.kind()), "subject": format!("submission:{}", item.id),
            "before": cur.map(|c| c.body.clone()), "after": body.clone(),
        }),
        row: serde_json::json!({
            "id": item.id, "kind": item.body.kind(), "period": item.body.period(),
            "rev": item.revision, "base": item.base, "hash": hash, "body": body,
        }),
    }
}

/// Writes items in one transaction, guarded by the revisions they must find
/// stored (a mismatch aborts all). Set-based where it can be: one guard for
/// all, and the revision rows and audit entries inserted together. Each
/// body is bound once for the update and once for its audit entry: every
/// mention of a bound array in SurrealQL copies it, and copying was the
/// biggest cost of a push (BENCHMARKS.md, issue 8). The update sets the
/// fields a push owns and keeps the district's (appraisal, bonus and
/// deductions, answer, reviewer). Returns the receipts' time.
async fn write(db: &Db, rows: Vec<WriteRow>, unit: &str, device: &str, actor: &str) -> Result<String> {
    let (mut ids, mut expect, mut writes, mut revs, mut audits) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for w in rows {
        ids.push(w.id);
        expect.push(w.expect);
        writes.push(w.row);
        revs.push(w.rev);
        audits.push(w.audit);
    }
    let mut r = db
        .query(
            "BEGIN TRANSACTION;
            LET $now = time::now();
            IF $ids.map(|$i| type::record('submission', $i).revision ?? 0) != $expect { THROW 'revision moved' };
            FOR $w IN $writes {
                UPSERT type::record('submission', $w.id) SET
                    kind = $w.kind, unit = type::record('unit', $unit), period = $w.period ?? NONE,
                    revision = $w.rev, base = $w.base, device = $device, hash = $w.hash, body = $w.body,
                    status = 'submitted', return_comment = NONE, submitted_by = $actor,
                    first_received_at = first_received_at ?? $now, received_at = $now, updated_at = $now;
            };
            INSERT INTO submission_rev $revs.map(|$r| { sub: $r.sub, revision: $r.revision, hash: $r.hash, device: $device, received_at: $now });
            INSERT INTO audit $audits.map(|$a| { actor: $actor, action: $a.action, subject: $a.subject, before: $a.before ?? NONE, after: $a.after });
            RETURN <string> $now;
            COMMIT TRANSACTION;",
        )
        .bind(("ids", ids))
        .bind(("expect", expect))
        .bind(("writes", writes))
        .bind(("revs", revs))
        .bind(("audits", audits))
        .bind(("unit", unit.to_string()))
        .bind(("device", device.to_string()))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    // The transaction's RETURN is the last statement with a value.
    for i in (0..r.num_statements()).rev() {
        if let Ok(Some(t)) = r.take::<Option<String>>(i) {
            return Ok(t);
        }
    }
    Err(StoreError::Decode("no receipt time".into()))
}

/// Applies a push's validated items: one lookup for all, one transaction for
/// every item to write (one commit, not one per item). If that transaction
/// fails (another push moved an item meanwhile), each item is applied on its
/// own. Outcomes come back in the items' order.
pub async fn apply_all(db: &Db, items: &[PushItem], device: &str, actor: &str, unit: &str) -> Result<Vec<Outcome>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let hashes: Vec<String> = items.iter().map(content_hash).collect();
    let (seen, cur) = lookup(db, items).await?;
    let mut out: Vec<Option<Outcome>> = vec![None; items.len()];
    let mut writes: Vec<usize> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let c = cur.iter().find(|c| c.id == item.id);
        if let Some(done) = settled(item, &hashes[k], &seen, c, device)? {
            out[k] = Some(done);
        } else if !writes.iter().any(|&j| items[j].id == item.id) {
            // (The same item twice in one push is decided on its own, after.)
            writes.push(k);
        }
    }
    if !writes.is_empty() {
        let rows: Vec<WriteRow> = writes
            .iter()
            .map(|&k| write_row(&items[k], cur.iter().find(|c| c.id == items[k].id), &hashes[k]))
            .collect();
        match write(db, rows, unit, device, actor).await {
            Ok(server_time) => {
                for &k in &writes {
                    out[k] = Some(Outcome::Stored {
                        receipt: Receipt { server_time: server_time.clone(), hash: hashes[k].clone() },
                        status: ReviewStatus::Submitted,
                    });
                }
            }
            Err(e) => tracing::warn!(error = %e, "batched sync write failed; applying item by item"),
        }
    }
    // Whatever is still open (a failed batch, a repeated id) goes one by one.
    let mut done = Vec::with_capacity(items.len());
    for (k, o) in out.into_iter().enumerate() {
        done.push(match o {
            Some(o) => o,
            None => apply(db, &items[k], device, actor, unit).await?,
        });
    }
    Ok(done)
}

/// Applies one validated item from `device`, written by `actor` for `unit`.
pub async fn apply(db: &Db, item: &PushItem, device: &str, actor: &str, unit: &str) -> Result<Outcome> {
    let hash = content_hash(item);
    // A concurrent push of the same id can make the guarded write fail; the
    // decision is then taken again on what is stored now.
    for _ in 0..4 {
        let (seen, cur) = lookup(db, std::slice::from_ref(item)).await?;
        let cur = cur.into_iter().next();
        if let Some(done) = settled(item, &hash, &seen, cur.as_ref(), device)? {
            return Ok(done);
        }
        let row = write_row(item, cur.as_ref(), &hash);
        match write(db, vec![row], unit, device, actor).await {
            Ok(server_time) => {
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
        periods: m.periods.iter().map(PeriodChoice::from).collect(),
        award_forms: d.award_forms.clone(),
        eligibility: d.eligibility.clone(),
    }))
}
