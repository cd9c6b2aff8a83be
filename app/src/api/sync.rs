//! The two sync endpoints a phone calls (SPEC §8): push a batch of items,
//! pull reference data and the unit's own items. Their URLs are fixed
//! (`endpoint`), so phones holding an old app version keep working.

use crate::domain::sync::{PullReply, PushBatch, PushReply};
use crate::domain::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn now() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Applies each item on its own: one bad item does not hold back the rest.
#[server(endpoint = "sync/push", input = Json, output = crate::api::codec::Json)]
pub async fn sync_push(batch: PushBatch) -> Result<PushReply, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    use crate::domain::sync::{check_batch, check_item, default_form, form_for_item, Ack, Outcome, PushItem, PROTOCOL};
    use crate::store::submissions;
    // The account and its unit's form facts in one round trip: a push is
    // the request phones make most.
    let (me, unit) = guard::require_with_unit(&[Role::UnitReporter]).await?;
    check_batch(&batch).map_err(|e| AppError::invalid(vec![e]))?;
    let db = db()?;
    let started = std::time::Instant::now();
    let forms = submissions::forms_of(&db, &me.unit, unit).await.map_err(fail)?;
    let today = crate::domain::date::vn_date(time::OffsetDateTime::now_utc());
    // Checks first, item by item; then every item that passed is applied
    // together (one database transaction for the push).
    let mut answers: Vec<Option<Outcome>> = Vec::with_capacity(batch.items.len());
    let mut items = batch.items;
    for item in &mut items {
        let form = form_for_item(&item.body, &forms);
        answers.push(check_item(item, form, &me.unit, today));
    }
    // Items naming files this unit has not sent whole wait for them.
    let hashes: Vec<String> =
        items.iter().zip(&answers).filter(|(_, a)| a.is_none()).flat_map(|(i, _)| i.body.files()).map(|f| f.hash.clone()).collect();
    let arrived = crate::store::files::arrived(&db, &me.unit, &hashes).await.map_err(fail)?;
    for (item, answer) in items.iter().zip(answers.iter_mut()) {
        if answer.is_none() {
            *answer = crate::domain::attachment::check_arrived(item.body.files(), &arrived);
        }
    }
    let to_write: Vec<PushItem> = items.iter().zip(&answers).filter(|(_, a)| a.is_none()).map(|(i, _)| i.clone()).collect();
    let to = submissions::To {
        movement: default_form(&forms).map(|f| f.movement.as_str()),
        unit: &me.unit,
        device: &batch.device,
        actor: &me.username,
    };
    let mut written = submissions::apply_all(&db, &to_write, &to).await.map_err(fail)?.into_iter();
    let db_time = started.elapsed();
    let acks: Vec<Ack> = items
        .into_iter()
        .zip(answers)
        .map(|(item, a)| Ack {
            id: item.id,
            revision: item.revision,
            outcome: a.or_else(|| written.next()).unwrap_or(Outcome::Denied { message: "internal".into() }),
        })
        .collect();
    crate::api::metrics::SYNC.push(acks.iter().map(|a| &a.outcome), db_time);
    Ok(PushReply { protocol: PROTOCOL.into(), server_time: now(), acks })
}

/// The unit's report forms (one per movement it files for) and its items
/// changed since `since` (the cursor of the last pull; empty for
/// everything).
#[server(endpoint = "sync/pull", input = Json, output = crate::api::codec::Json)]
pub async fn sync_pull(since: String) -> Result<PullReply, AppError> {
    use crate::api::{auth::guard, db, fail};
    use crate::domain::auth::Role;
    use crate::domain::sync::PROTOCOL;
    use crate::store::submissions;
    let (me, unit) = guard::require_with_unit(&[Role::UnitReporter]).await?;
    let db = db()?;
    let server_time = now();
    // Overlap the cursor a little: an item committed while the last pull ran
    // comes again rather than never (the phone merges by revision).
    let since = (!since.is_empty()).then(|| {
        time::OffsetDateTime::parse(&since, &time::format_description::well_known::Rfc3339)
            .map(|t| (t - time::Duration::seconds(5)).format(&time::format_description::well_known::Rfc3339).unwrap_or_default())
            .unwrap_or_default()
    });
    let since = since.filter(|s| !s.is_empty());
    let items = submissions::changed_since(&db, &me.unit, since.as_deref()).await.map_err(fail)?;
    let forms = submissions::forms_of(&db, &me.unit, unit).await.map_err(fail)?;
    let form = crate::domain::sync::default_form(&forms).cloned();
    Ok(PullReply { protocol: PROTOCOL.into(), cursor: server_time.clone(), server_time, form, forms, items })
}
