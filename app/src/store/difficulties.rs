//! The difficulties units raise (SPEC §5.2): the organiser's inbox, and the
//! answer the unit sees at its next sync, audited.

use super::review::invalid;
use super::{rows, units, Checked, Db, Result, StoreError};
use crate::domain::review;
use crate::domain::sync::ReviewStatus;
use crate::domain::views::desk::DifficultyRow;
use serde::Deserialize;

#[derive(Deserialize)]
struct DifficultyDb {
    id: String,
    unit: String,
    body: crate::domain::difficulty::DifficultyBody,
    status: ReviewStatus,
    answer: Option<String>,
    received: String,
}

/// Difficulties raised by units under `root`, unanswered first, newest first.
pub async fn list(db: &Db, root: &str) -> Result<Vec<DifficultyRow>> {
    let under: std::collections::HashMap<String, String> = units::subtree(db, root).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, record::id(unit) AS unit, body, status, answer, <string> first_received_at AS received
             FROM submission WHERE kind = 'difficulty'",
        )
        .await?;
    let mut out: Vec<DifficultyRow> = rows::<DifficultyDb>(&mut res, 0)?
        .into_iter()
        .filter_map(|d| {
            let name = under.get(&d.unit)?.clone();
            Some(DifficultyRow {
                id: d.id,
                unit: d.unit,
                unit_name: name,
                title: d.body.title,
                details: d.body.details,
                status: d.status,
                answer: d.answer,
                received: d.received,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.answer.is_some(), std::cmp::Reverse(&a.received)).cmp(&(b.answer.is_some(), std::cmp::Reverse(&b.received))));
    Ok(out)
}

/// Answers a difficulty: the unit sees the answer at its next sync.
pub async fn answer(db: &Db, id: &str, text: &str, actor: &str) -> Result<()> {
    let Some(super::submissions::ItemState { kind, .. }) = super::submissions::state_of(db, id).await? else {
        return Err(StoreError::NotFound(id.to_string()));
    };
    if kind != "difficulty" {
        return Err(StoreError::NotFound(id.to_string()));
    }
    let text = crate::domain::text::nfc(text.trim());
    invalid(review::check_answer(&text))?;
    db.query(
        "BEGIN TRANSACTION;
        LET $old = (SELECT status, answer FROM ONLY type::record('submission', $id));
        UPDATE type::record('submission', $id) SET answer = $text, status = 'accepted',
            reviewed_by = $actor, reviewed_at = time::now(), updated_at = time::now();
        CREATE audit CONTENT { actor: $actor, action: 'difficulty.answer', subject: 'submission:' + $id, before: $old,
            after: { status: 'accepted', answer: $text } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("text", text))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}
