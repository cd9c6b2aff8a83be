//! The council's sittings: open one with nominations from the desk, one
//! secret vote per member, the count at close, the minutes. The rules are
//! `domain::council`'s; a vote's audit entry does not say how.

use super::{accounts, nominations, rows, units, Checked, Db, Result, StoreError};
use crate::domain::auth::Role;
use crate::domain::council::{self as rules, Cast, CouncilRules, Vote};
use crate::domain::movement::Movement;
use crate::domain::views::council::{BallotItem, Minutes, MinutesRow, SittingRow};
use crate::domain::FieldError;
use serde::Deserialize;
use std::collections::HashMap;

/// The active council members of the organisation `org` (accounts of its units).
pub(crate) async fn members(db: &Db, org: &str) -> Result<Vec<String>> {
    let units: Vec<String> = units::subtree(db, org).await?.into_iter().map(|u| u.id).collect();
    Ok(accounts::list(db, &units).await?.into_iter().filter(|a| a.active && a.role == Role::CouncilMember).map(|a| a.username).collect())
}

/// The movement a sitting belongs to and the organisation that opened it
/// (one opened before sittings named theirs: the movement's organiser);
/// none for an unknown id.
pub async fn sitting_owner(db: &Db, sitting_id: &str) -> Result<Option<(Movement, String)>> {
    #[derive(Deserialize)]
    struct Owner {
        organiser: Option<String>,
        movement: Option<String>,
    }
    let mut res = db
        .query("SELECT organiser, (IF movement != NONE THEN record::id(movement) END) AS movement FROM ONLY type::record('sitting', $id)")
        .bind(("id", sitting_id.to_string()))
        .await?;
    let Some(owner) = super::one::<Owner>(&mut res, 0)? else { return Ok(None) };
    let Some(m) = owner.movement.as_deref() else { return Ok(None) };
    let m = super::movements::by_code(db, m).await?.ok_or_else(|| StoreError::NotFound(format!("movement:{m}")))?;
    let org = owner.organiser.unwrap_or_else(|| m.organiser.clone());
    Ok(Some((m, org)))
}

#[derive(Deserialize)]
struct Sitting {
    id: String,
    title: String,
    nominations: Vec<String>,
    members: Vec<String>,
    opened_at: String,
    #[serde(default)]
    closed_at: Option<String>,
    #[serde(default)]
    results: Option<Vec<MinutesRow>>,
    /// The council rules taken when it opened.
    #[serde(default)]
    rules: Option<CouncilRules>,
}

const SITTING_FIELDS: &str = "record::id(id) AS id, title, nominations, members, <string> opened_at AS opened_at, \
    (IF closed_at = NONE THEN NONE ELSE <string> closed_at END) AS closed_at, results, rules";

/// The sittings of `org` in movement `m` (with `legacy`, also those opened
/// before sittings named their organisation).
pub(crate) async fn sittings(db: &Db, m: &Movement, org: &str, legacy: bool) -> Result<Vec<SittingRow>> {
    let mut res = db
        .query(format!(
            "SELECT {SITTING_FIELDS}, array::distinct((SELECT VALUE member FROM vote WHERE sitting = record::id($parent.id))) AS voted
             FROM sitting WHERE movement = $m AND (organiser = $org OR ($legacy AND organiser = NONE)) ORDER BY opened_at DESC"
        ))
        .bind(("m", surrealdb::types::RecordId::new("movement", m.id.as_str())))
        .bind(("org", org.to_string()))
        .bind(("legacy", legacy))
        .await?;
    #[derive(Deserialize)]
    struct Row {
        #[serde(flatten)]
        s: Sitting,
        #[serde(default)]
        voted: Vec<String>,
    }
    let list: Vec<Row> = rows(&mut res, 0)?;
    Ok(list
        .into_iter()
        .map(|r| SittingRow {
            id: r.s.id,
            title: r.s.title,
            opened_at: r.s.opened_at,
            closed: r.s.closed_at.is_some(),
            nominations: r.s.nominations.len() as u32,
            voted: r.voted.len() as u32,
            members: r.s.members.len() as u32,
        })
        .collect())
}

async fn sitting(db: &Db, id: &str) -> Result<Sitting> {
    let mut res = db.query(format!("SELECT {SITTING_FIELDS} FROM ONLY type::record('sitting', $id)")).bind(("id", id.to_string())).await?;
    super::one(&mut res, 0)?.ok_or_else(|| StoreError::NotFound(format!("sitting:{id}")))
}

/// Opens a sitting of the organisation `org` in movement `m` with these
/// nominations; each must be of that movement, at the desk and eligible.
/// The council's members (the organisation's) are taken as they are now.
pub async fn open_sitting(db: &Db, m: &Movement, org: &str, title: &str, ids: &[String], actor: &str) -> Result<String> {
    let members = members(db, org).await?;
    // The nominee's other nominations anywhere under the organiser count.
    let all = nominations::under(db, m, &m.organiser).await?;
    let chosen = nominations::get_many(db, ids).await?;
    let title = rules::check_sitting(m, title, members.len(), &chosen, &all).map_err(StoreError::Invalid)?;
    let mut res = db
        .query(
            "BEGIN TRANSACTION;
            FOR $id IN $ids {
                LET $s = (SELECT status, stage FROM ONLY type::record('submission', $id));
                IF $s.status = 'returned' OR $s.stage != NONE { THROW 'status moved' };
            };
            LET $sit = CREATE ONLY sitting CONTENT { title: $title, nominations: $ids, members: $members, rules: $rules, opened_by: $actor, organiser: $org, movement: $movement };
            FOR $id IN $ids {
                UPDATE type::record('submission', $id) SET status = 'accepted', stage = 'council', sitting = record::id($sit.id),
                    reviewed_by = $actor, reviewed_at = time::now(), updated_at = time::now();
            };
            CREATE audit CONTENT { actor: $actor, action: 'council.open', subject: <string> $sit.id, after: { title: $title, nominations: $ids, members: $members } };
            RETURN record::id($sit.id);
            COMMIT TRANSACTION;",
        )
        .bind(("ids", ids.to_vec()))
        .bind(("title", title))
        .bind(("members", members))
        .bind(("org", org.to_string()))
        .bind(("movement", surrealdb::types::RecordId::new("movement", m.id.as_str())))
        .bind(("rules", super::json(&m.definition.council)))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    let n = res.num_statements();
    let id: Option<String> = res.take(n - 1).ok().flatten().or_else(|| res.take(n - 2).ok().flatten());
    id.ok_or_else(|| StoreError::Decode("no sitting id".into()))
}

/// The nominations a member has to vote on, in sittings still open, of
/// every movement (three queries, however many sittings and nominations,
/// and one read per movement).
pub async fn ballot(db: &Db, member: &str) -> Result<Vec<BallotItem>> {
    let mut res = db
        .query(format!(
            "SELECT {SITTING_FIELDS} FROM sitting WHERE closed_at = NONE AND $member IN members ORDER BY opened_at;
             SELECT sitting, nomination, choice FROM vote WHERE member = $member AND sitting IN (SELECT VALUE record::id(id) FROM sitting WHERE closed_at = NONE);"
        ))
        .bind(("member", member.to_string()))
        .await?;
    let open: Vec<Sitting> = rows(&mut res, 0)?;
    #[derive(Deserialize)]
    struct Mine {
        sitting: String,
        nomination: String,
        choice: Vote,
    }
    let mine: Vec<Mine> = rows(&mut res, 1)?;
    let ids: Vec<String> = open.iter().flat_map(|s| s.nominations.iter().cloned()).collect();
    let noms = nominations::get_many(db, &ids).await?;
    let names = nominations::unit_names(db, &noms).await?;
    let movements = nominations::movements_of(db, &noms).await?;
    let by_id: HashMap<&str, &rules::Filed> = noms.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut out = Vec::new();
    for s in &open {
        for id in &s.nominations {
            let Some(n) = by_id.get(id.as_str()) else { continue };
            out.push(BallotItem {
                sitting: s.id.clone(),
                sitting_title: s.title.clone(),
                nomination: id.clone(),
                unit_name: names.get(&n.unit).cloned().unwrap_or_default(),
                nominee_kind: n.body.nominee_kind,
                name: n.body.name.clone(),
                position: n.body.position.clone(),
                form_name: nominations::form_name(&movements, n),
                posthumous: n.body.posthumous,
                summary: n.body.summary.clone(),
                contributions: n.body.contributions.clone(),
                files: n.body.files.clone(),
                mine: mine.iter().find(|v| v.sitting == s.id && &v.nomination == id).map(|v| v.choice),
            });
        }
    }
    Ok(out)
}

/// One member's one vote on a nomination of an open sitting.
pub async fn cast(db: &Db, sitting_id: &str, nomination_id: &str, member: &str, choice: Vote) -> Result<()> {
    let s = sitting(db, sitting_id).await?;
    rules::check_vote(s.closed_at.is_some(), &s.members, member).map_err(|e| StoreError::Invalid(vec![e]))?;
    if !s.nominations.iter().any(|n| n == nomination_id) {
        return Err(StoreError::NotFound(nomination_id.to_string()));
    }
    let res = db
        .query(
            "BEGIN TRANSACTION;
            IF (SELECT VALUE closed_at FROM ONLY type::record('sitting', $s)) != NONE { THROW 'sitting closed' };
            CREATE vote CONTENT { sitting: $s, nomination: $n, member: $member, choice: $choice };
            CREATE audit CONTENT { actor: $member, action: 'council.vote', subject: 'submission:' + $n, after: { sitting: $s } };
            COMMIT TRANSACTION;",
        )
        .bind(("s", sitting_id.to_string()))
        .bind(("n", nomination_id.to_string()))
        .bind(("member", member.to_string()))
        .bind(("choice", super::json(&choice)))
        .await?
        .checked();
    match res {
        Ok(_) => Ok(()),
        // A second vote of the same member breaks the `vote_once` index; a
        // close that landed first makes the transaction throw.
        Err(e) if e.is_unique_violation() => Err(StoreError::Invalid(vec![rules::voted_already()])),
        Err(e) if e.is_guard() => Err(StoreError::Invalid(vec![rules::sitting_closed()])),
        Err(e) => Err(e),
    }
}

/// Closes a sitting: counts each nomination, sets its stage (passed,
/// failed; without a quorum it goes back to the desk), stores the results.
pub async fn close(db: &Db, m: &Movement, sitting_id: &str, actor: &str) -> Result<Minutes> {
    let s = sitting(db, sitting_id).await?;
    if s.closed_at.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "sitting",
            "sitting_open",
            "Phiên họp đã kết thúc.",
            "The sitting is already closed.",
        )]));
    }
    let rules_then = s.rules.clone().unwrap_or_else(|| m.definition.council.clone());
    let mut res = db.query("SELECT nomination, member, choice FROM vote WHERE sitting = $s").bind(("s", sitting_id.to_string())).await?;
    let votes: Vec<Cast> = rows(&mut res, 0)?;
    let counted = rules::count(&rules_then, &s.members, &votes, &s.nominations);
    let noms = nominations::get_many(db, &s.nominations).await?;
    let names = nominations::unit_names(db, &noms).await?;
    let results: Vec<MinutesRow> = noms
        .iter()
        .zip(counted)
        .map(|(n, (tally, outcome))| MinutesRow {
            nomination: n.id.clone(),
            unit_name: names.get(&n.unit).cloned().unwrap_or_default(),
            name: n.body.name.clone(),
            form_name: n.form_name(m),
            tally,
            outcome,
        })
        .collect();
    let stages: Vec<serde_json::Value> =
        results.iter().map(|r| serde_json::json!([r.nomination, r.outcome.stage(), super::json(r)])).collect();
    db.query(
        "BEGIN TRANSACTION;
        IF (SELECT VALUE closed_at FROM ONLY type::record('sitting', $s)) != NONE { THROW 'sitting closed' };
        UPDATE type::record('sitting', $s) SET closed_at = time::now(), results = $results;
        FOR $x IN $stages {
            UPDATE type::record('submission', $x[0]) SET stage = (IF $x[1] = NULL THEN NONE ELSE $x[1] END), result = $x[2], updated_at = time::now();
        };
        CREATE audit CONTENT { actor: $actor, action: 'council.close', subject: 'sitting:' + $s, after: { results: $results } };
        COMMIT TRANSACTION;",
    )
    .bind(("s", sitting_id.to_string()))
    .bind(("results", super::json(&results)))
    .bind(("stages", stages))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    minutes(db, sitting_id).await
}

/// A closed sitting's minutes; an open sitting has none (no counts before close).
pub async fn minutes(db: &Db, sitting_id: &str) -> Result<Minutes> {
    let s = sitting(db, sitting_id).await?;
    let Some(closed_at) = s.closed_at else {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "sitting",
            "sitting_closed",
            "Phiên họp chưa kết thúc: chưa có kết quả.",
            "The sitting is still open: no results yet.",
        )]));
    };
    let mut res =
        db.query("RETURN array::distinct((SELECT VALUE member FROM vote WHERE sitting = $s))").bind(("s", sitting_id.to_string())).await?;
    let mut attended: Vec<String> = res.take(0)?;
    attended.retain(|a| s.members.contains(a));
    Ok(Minutes {
        id: s.id,
        title: s.title,
        opened_at: s.opened_at,
        closed_at,
        members: s.members,
        attended,
        rule_vi: s.rules.unwrap_or_default().text_vi(),
        rows: s.results.unwrap_or_default(),
    })
}
