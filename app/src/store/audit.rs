//! Reading the audit log. Entries are written by the store functions that
//! make each change, in the same transaction; nothing updates or deletes them.

use super::{rows, Db, Result};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Username of the person (exact).
    pub actor: Option<String>,
    /// Only entries by these people (an organisation's accounts).
    #[serde(default)]
    pub actors: Option<Vec<String>>,
    /// Kind of write, or its prefix ("account" matches "account.create").
    pub action: Option<String>,
    /// Text the subject contains ("x23389").
    pub subject: Option<String>,
    /// Dates, yyyy-mm-dd, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Newest first, at most `limit`.
pub async fn list(db: &Db, f: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut conds = vec!["true".to_string()];
    if f.actor.is_some() {
        conds.push("actor = $actor".into());
    }
    if f.actors.is_some() {
        conds.push("actor IN $actors".into());
    }
    if f.action.is_some() {
        conds.push("(action = $action OR string::starts_with(action, $action + '.'))".into());
    }
    if f.subject.is_some() {
        conds.push("string::contains(subject, $subject)".into());
    }
    if f.from.is_some() {
        conds.push("at >= type::datetime($from + 'T00:00:00Z')".into());
    }
    if f.to.is_some() {
        conds.push("at < type::datetime($to + 'T00:00:00Z') + 1d".into());
    }
    let sql = format!(
        "SELECT <string> at AS at, actor, action, subject, before, after FROM audit WHERE {} ORDER BY at DESC LIMIT {}",
        conds.join(" AND "),
        limit.min(1000)
    );
    let mut res = db
        .query(sql)
        .bind(("actor", f.actor.clone()))
        .bind(("actors", f.actors.clone()))
        .bind(("action", f.action.clone()))
        .bind(("subject", f.subject.clone()))
        .bind(("from", f.from.clone()))
        .bind(("to", f.to.clone()))
        .await?;
    let mut entries: Vec<AuditEntry> = rows(&mut res, 0)?;
    replaced_bodies(db, &mut entries).await?;
    Ok(entries)
}

/// A sync write's entry does not copy the body it replaced (copying it is
/// the biggest cost of a push); that body is what the item's previous
/// entry wrote, so it is looked up here, for all entries in one query.
async fn replaced_bodies(db: &Db, entries: &mut [AuditEntry]) -> Result<()> {
    let open: Vec<usize> = (0..entries.len()).filter(|&k| entries[k].before.is_none() && entries[k].action.ends_with(".submit")).collect();
    if open.is_empty() {
        return Ok(());
    }
    let asks: Vec<serde_json::Value> = open
        .iter()
        .map(|&k| serde_json::json!({ "subject": entries[k].subject, "action": entries[k].action, "at": entries[k].at }))
        .collect();
    let mut res = db
        .query(
            "RETURN $asks.map(|$q| (SELECT after, at FROM audit WHERE subject = $q.subject AND action = $q.action
                AND at < type::datetime($q.at) ORDER BY at DESC LIMIT 1)[0].after);",
        )
        .bind(("asks", asks))
        .await?;
    let found: Vec<Option<serde_json::Value>> = res.take(0)?;
    for (k, before) in open.into_iter().zip(found) {
        entries[k].before = before.filter(|v| !v.is_null());
    }
    Ok(())
}
