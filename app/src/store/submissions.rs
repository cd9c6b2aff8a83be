//! Items units file through sync, applied exactly once: the same id and
//! revision again returns the first receipt and changes nothing; an edit on
//! an old revision is a conflict that returns the server's copy.

use super::{json, rows, Checked, Db, Result, StoreError};
use crate::domain::report::ReportForm;
use crate::domain::sync::{settle, Held, ItemBody, Outcome, PushItem, Receipt, ReviewStatus, Seen, ServerItem, Verdict};
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
    unit: String,
    status: ReviewStatus,
    return_comment: Option<String>,
    #[serde(default)]
    answer: Option<String>,
    #[serde(default)]
    appraisal: Option<serde_json::Map<String, serde_json::Value>>,
    received_at: String,
}

const FIELDS: &str = "record::id(id) AS id, revision, base, device, hash, kind, body, record::id(unit) AS unit, status, return_comment, answer, appraisal, <string> received_at AS received_at";

impl Row {
    fn held(&self) -> Held<'_> {
        Held { unit: &self.unit, kind: &self.kind, revision: self.revision, base: self.base, device: &self.device, status: self.status }
    }

    /// The appraisal as the phone gets it: by criterion, without who made it.
    fn appraisal(&self) -> Result<Vec<crate::domain::review::Appraisal>> {
        let mut v = super::review::entries(self.appraisal.clone())?;
        v.iter_mut().for_each(|a| a.by.clear());
        Ok(v)
    }

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
            appraisal: self.appraisal()?,
        })
    }
}

/// SHA-256 of what was stored, hex: the receipt's proof.
pub fn content_hash(item: &PushItem) -> String {
    let text = serde_json::to_string(&(&item.id, item.revision, &item.body)).unwrap_or_default();
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn body_json(item: &PushItem) -> serde_json::Value {
    match &item.body {
        ItemBody::Report(r) => json(r),
        ItemBody::Difficulty(d) => json(d),
        ItemBody::Nomination(n) => json(n),
        ItemBody::Story(s) => json(s),
    }
}

/// In one round trip: every stored revision of these items, and the items as
/// stored now, on disk before the answer (`DURABLE_READ`).
async fn lookup(db: &Db, items: &[PushItem]) -> Result<(Vec<Seen>, Vec<Row>)> {
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let mut res = db
        .query(format!(
            "SELECT sub, revision, hash, <string> received_at AS server_time FROM submission_rev WHERE sub IN $ids;
             SELECT {FIELDS} FROM $ids.map(|$i| type::record('submission', $i));
             {}",
            super::DURABLE_READ
        ))
        .bind(("ids", ids))
        .await?;
    Ok((rows(&mut res, 0)?, rows(&mut res, 1)?))
}

/// The answer without writing, if there is one (`domain::sync::settle`).
fn settled(item: &PushItem, hash: &str, seen: &[Seen], cur: Option<&Row>, device: &str, unit: &str) -> Result<Option<Outcome>> {
    Ok(match settle(item, hash, seen, cur.map(Row::held), device, unit) {
        Verdict::Write => None,
        Verdict::Answer(o) => Some(o),
        Verdict::Conflict => Some(Outcome::Conflict { server: Box::new(cur.expect("a conflict is with a held item").server_item()?) }),
    })
}

/// Where a push's items go: the movement an item that names none is filed
/// for (`domain::sync::default_form`'s; none for a unit without a form,
/// which can file only difficulties), the unit, and who sends them from
/// which device. A report naming its movement goes to that one.
#[derive(Clone, Copy, Debug)]
pub struct To<'a> {
    pub movement: Option<&'a str>,
    pub unit: &'a str,
    pub device: &'a str,
    pub actor: &'a str,
}

/// One item for `write`: the item, the revision it must find stored, and
/// its content hash.
struct WriteRow<'a> {
    item: &'a PushItem,
    expect: u32,
    hash: &'a str,
}

/// Writes items in one transaction, guarded by what they must find stored:
/// nothing, for a first write; for an edit, the revision it was based on,
/// not accepted, and this unit's. A mismatch aborts all, and the caller
/// decides item by item. The rows arrive built (ids, times and all), and
/// every statement is set-based: SurrealQL copies each value it touches, and
/// evaluating and copying is most of what a push costs (BENCHMARKS.md). So first writes are a plain `INSERT` (an existing id fails it),
/// and edits one `UPDATE … REPLACE` whose `WHERE` is the guard: the stored
/// record with the push's fields laid over it, which keeps the district's
/// (appraisal, bonus and deductions, answer, reviewer, stage) and drops the
/// return comment. (`INSERT … ON DUPLICATE KEY UPDATE` would first try, and
/// fail, to create each edited record: an edit costs ~1.5× as much that way.) An
/// edit's audit entry does not copy the body it replaced either: the
/// previous entry holds it, and `audit::list` shows it. Returns the
/// receipts' time.
async fn write(db: &Db, rows: Vec<WriteRow<'_>>, to: &To<'_>) -> Result<String> {
    let To { movement, unit, device, actor } = *to;
    use surrealdb::types::{Datetime, Object, RecordId, SurrealValue, Value};
    let now = Datetime::now();
    let unit_id = RecordId::new("unit", unit);
    let (mut firsts, mut edits, mut laid, mut want, mut revs, mut audits) =
        (Vec::new(), Vec::new(), Object::new(), Object::new(), Vec::new(), Vec::new());
    for w in rows {
        // Converted once, then shared by the row and its audit entry.
        let body: Value = body_json(w.item).into_value();
        let mut sub = Object::new();
        sub.insert("kind", w.item.body.kind().to_string());
        sub.insert("unit", unit_id.clone());
        if let Some(m) = w.item.body.movement().or(movement) {
            sub.insert("movement", RecordId::new("movement", m));
        }
        if let Some(p) = w.item.body.period() {
            sub.insert("period", p.to_string());
        }
        sub.insert("revision", w.item.revision as i64);
        sub.insert("base", w.item.base as i64);
        sub.insert("device", device.to_string());
        sub.insert("hash", w.hash.to_string());
        sub.insert("status", "submitted".to_string());
        sub.insert("submitted_by", actor.to_string());
        sub.insert("received_at", now);
        sub.insert("updated_at", now);
        let mut audit = Object::new();
        audit.insert("actor", actor.to_string());
        audit.insert("action", format!("{}.submit", w.item.body.kind()));
        audit.insert("subject", format!("submission:{}", w.item.id));
        audit.insert("after", body.clone());
        sub.insert("body", body);
        let id = RecordId::new("submission", w.item.id.as_str());
        if w.expect == 0 {
            sub.insert("id", id);
            sub.insert("first_received_at", now);
            firsts.push(Value::Object(sub));
        } else {
            edits.push(id);
            want.insert(w.item.id.clone(), w.expect as i64);
            laid.insert(w.item.id.clone(), sub);
        }
        let mut rev = Object::new();
        rev.insert("sub", w.item.id.clone());
        rev.insert("revision", w.item.revision as i64);
        rev.insert("hash", w.hash.to_string());
        rev.insert("device", device.to_string());
        rev.insert("received_at", now);
        revs.push(Value::Object(rev));
        audits.push(Value::Object(audit));
    }
    let mut q = String::from("BEGIN TRANSACTION;");
    if !firsts.is_empty() {
        q.push_str("INSERT INTO submission $firsts RETURN NONE;");
    }
    if !edits.is_empty() {
        q.push_str(
            "LET $edited = UPDATE $edits REPLACE object::extend(object::remove($this, 'return_comment'), $laid[record::id(id)])
                WHERE revision = $want[record::id(id)] AND kind = $laid[record::id(id)].kind AND status != 'accepted' AND unit = $unit RETURN VALUE id;
            IF $edited.len() != $edits.len() { THROW 'revision moved' };",
        );
    }
    q.push_str(
        "INSERT INTO submission_rev $revs RETURN NONE; INSERT INTO audit $audits RETURN NONE; RETURN <string> $now; COMMIT TRANSACTION;",
    );
    let mut r = db
        .query(q)
        .bind(("firsts", firsts))
        .bind(("edits", edits))
        .bind(("laid", laid))
        .bind(("want", want))
        .bind(("revs", revs))
        .bind(("audits", audits))
        .bind(("unit", unit_id))
        .bind(("now", now))
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

/// Applies a push's validated items. First, optimistically, in one
/// transaction with no read before it: each item as an edit of the revision
/// it was based on, which is what a phone in step with the server sends.
/// If the guard refuses (a replay, a conflict, a lost reply, another push
/// moved an item), one lookup for all and a decision per item, then one
/// transaction for what is still to write; if that fails too, item by item.
/// Outcomes come back in the items' order.
pub async fn apply_all(db: &Db, items: &[PushItem], to: &To<'_>) -> Result<Vec<Outcome>> {
    let (device, unit) = (to.device, to.unit);
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let hashes: Vec<String> = items.iter().map(content_hash).collect();
    let stored = |server_time: &str, k: usize| Outcome::Stored {
        receipt: Receipt { server_time: server_time.to_string(), hash: hashes[k].clone() },
        status: ReviewStatus::Submitted,
    };
    let distinct = items.iter().enumerate().all(|(k, i)| items[..k].iter().all(|j| j.id != i.id));
    if distinct {
        let rows = items.iter().zip(&hashes).map(|(item, hash)| WriteRow { item, expect: item.base, hash }).collect();
        if let Ok(server_time) = write(db, rows, to).await {
            return Ok((0..items.len()).map(|k| stored(&server_time, k)).collect());
        }
    }
    let (seen, cur) = lookup(db, items).await?;
    let mut out: Vec<Option<Outcome>> = vec![None; items.len()];
    let mut writes: Vec<usize> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let c = cur.iter().find(|c| c.id == item.id);
        if let Some(done) = settled(item, &hashes[k], &seen, c, device, unit)? {
            out[k] = Some(done);
        } else if !writes.iter().any(|&j| items[j].id == item.id) {
            // (The same item twice in one push is decided on its own, after.)
            writes.push(k);
        }
    }
    if !writes.is_empty() {
        let rows: Vec<WriteRow> = writes
            .iter()
            .map(|&k| WriteRow {
                item: &items[k],
                expect: cur.iter().find(|c| c.id == items[k].id).map(|c| c.revision).unwrap_or(0),
                hash: &hashes[k],
            })
            .collect();
        match write(db, rows, to).await {
            Ok(server_time) => {
                for &k in &writes {
                    out[k] = Some(stored(&server_time, k));
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
            None => apply(db, &items[k], to).await?,
        });
    }
    Ok(done)
}

/// Applies one validated item (`To` says where it goes).
pub async fn apply(db: &Db, item: &PushItem, to: &To<'_>) -> Result<Outcome> {
    let (device, unit) = (to.device, to.unit);
    let hash = content_hash(item);
    // A concurrent push of the same id can make the guarded write fail; the
    // decision is then taken again on what is stored now.
    for _ in 0..4 {
        let (seen, cur) = lookup(db, std::slice::from_ref(item)).await?;
        let cur = cur.into_iter().next();
        if let Some(done) = settled(item, &hash, &seen, cur.as_ref(), device, unit)? {
            return Ok(done);
        }
        let row = WriteRow { item, expect: cur.as_ref().map(|c| c.revision).unwrap_or(0), hash: &hash };
        match write(db, vec![row], to).await {
            Ok(server_time) => {
                return Ok(Outcome::Stored { receipt: Receipt { server_time, hash }, status: ReviewStatus::Submitted });
            }
            // The id taken meanwhile, or the guard finding the revision moved.
            Err(e) if e.is_conflict() || e.is_taken() || e.is_guard() => {}
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::Decode("too many concurrent writes to one item".into()))
}

/// Where a stored item stands, for the checks before voiding it.
#[derive(Clone, Debug, Deserialize)]
pub struct ItemState {
    pub unit: String,
    /// The movement it was filed for (none: a difficulty of a unit without
    /// a form).
    pub movement: Option<String>,
    pub kind: String,
    pub status: ReviewStatus,
    pub stage: Option<String>,
    /// A report's period (none for other kinds).
    #[serde(default)]
    pub period: Option<String>,
}

pub async fn state_of(db: &Db, id: &str) -> Result<Option<ItemState>> {
    let mut res = db
        .query("SELECT record::id(unit) AS unit, (IF movement != NONE THEN record::id(movement) END) AS movement, kind, status, stage, period FROM ONLY type::record('submission', $id)")
        .bind(("id", id.to_string()))
        .await?;
    super::one(&mut res, 0)
}

/// Takes a stray item out of the way, never silently: the submission and
/// its revisions move, whole, to `voided_submission` with who, when and why,
/// and the audit log says so; the id is then free for the unit it belongs
/// to. The caller checks first (`domain::review::check_void`); the guard
/// here only stops a change made meanwhile.
pub async fn void(db: &Db, id: &str, reason: &str, actor: &str) -> Result<()> {
    db.query(
        "BEGIN TRANSACTION;
        LET $s = SELECT * FROM ONLY type::record('submission', $id);
        IF $s = NONE OR $s.status = 'accepted' OR $s.stage != NONE { THROW 'the item changed meanwhile' };
        LET $revs = SELECT * OMIT id FROM submission_rev WHERE sub = $id;
        CREATE voided_submission CONTENT {
            item: $id, unit: $s.unit, kind: $s.kind, submission: $s, revisions: $revs,
            reason: $reason, voided_by: $actor, voided_at: time::now()
        };
        DELETE submission_rev WHERE sub = $id;
        DELETE type::record('submission', $id);
        CREATE audit CONTENT { actor: $actor, action: 'submission.void', subject: 'submission:' + $id, before: $s, after: { reason: $reason } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("reason", reason.to_string()))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}

/// A unit's items changed since `since` (RFC 3339; None: all), on disk
/// before the phone hears of them (`DURABLE_READ`).
pub async fn changed_since(db: &Db, unit: &str, since: Option<&str>) -> Result<Vec<ServerItem>> {
    let mut res = db
        .query(format!(
            "SELECT {FIELDS}, updated_at FROM submission WHERE unit = type::record('unit', $unit)
             AND ($since = NONE OR updated_at > type::datetime($since)) ORDER BY updated_at;
             {}",
            super::DURABLE_READ
        ))
        .bind(("unit", unit.to_string()))
        .bind(("since", since.map(str::to_string)))
        .await?;
    rows::<Row>(&mut res, 0)?.iter().map(Row::server_item).collect()
}

/// What a unit's report forms are built from: its name and category, and
/// the stamps of the movements it files for (`movements::FILES_FOR`; the
/// movements themselves are held in memory).
#[derive(Clone, Debug, Deserialize)]
pub struct UnitFacts {
    pub name: String,
    pub category: Option<crate::domain::unit::ParticipantCategory>,
    #[serde(default)]
    pub stamps: Vec<String>,
}

/// A unit's report forms: one per published movement it files for, newest
/// first, each with the criteria and indicators of its category and the
/// periods it reports.
pub async fn forms_for(db: &Db, unit: &str) -> Result<Vec<ReportForm>> {
    // One round trip for the unit and its movements' stamps.
    static QUERY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("SELECT name, category, {} AS stamps FROM ONLY type::record('unit', $unit);", super::movements::FILES_FOR)
    });
    let mut res = db.query(QUERY.as_str()).bind(("unit", unit.to_string())).await?;
    forms_of(db, unit, super::one(&mut res, 0)?).await
}

/// The form an item that names no movement goes to
/// (`domain::sync::default_form`), if the unit files for any.
pub async fn form_for(db: &Db, unit: &str) -> Result<Option<ReportForm>> {
    Ok(crate::domain::sync::default_form(&forms_for(db, unit).await?).cloned())
}

/// The report forms of `unit`, from facts already read (`forms_for`, or
/// `accounts::session_account_and_unit`); none without them. A movement
/// with nothing for the unit's category to report gives no form.
pub async fn forms_of(db: &Db, unit: &str, u: Option<UnitFacts>) -> Result<Vec<ReportForm>> {
    let Some(UnitFacts { name, category: Some(cat), stamps }) = u else { return Ok(Vec::new()) };
    let mut forms = Vec::with_capacity(stamps.len());
    for stamp in stamps {
        let Some(m) = super::movements::stamped(db, &stamp).await? else { continue };
        if !m.status.takes_reports() {
            continue;
        }
        forms.extend(ReportForm::of(&m, unit, &name, cat));
    }
    Ok(forms)
}
