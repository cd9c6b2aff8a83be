//! Nominations at the organiser: the desk (each with the award rules it
//! breaks), return to the unit, the organiser's decisions, forwarding up and
//! the upper level's answer, and the decided awards. The rules are
//! `domain::council`'s; every write is audited in its own transaction.

use super::{rows, units, Checked, Db, Result, StoreError};
use crate::domain::award::{NomineeKind, Route};
use crate::domain::council::{self as rules, Filed, Stage};
use crate::domain::movement::Movement;
use crate::domain::nomination::NominationBody;
use crate::domain::views::council::{MinutesRow, NominationDesk, NominationRow};
use serde::Deserialize;
use std::collections::HashMap;

const NOM_FIELDS: &str = "record::id(id) AS id, record::id(unit) AS unit, body, status, stage, revision, \
    <string> first_received_at AS received, decision, (IF movement != NONE THEN record::id(movement) END) AS movement";

/// Every nomination filed in movement `m` by units under `root`, oldest first.
pub(crate) async fn under(db: &Db, m: &Movement, root: &str) -> Result<Vec<Filed>> {
    let ids: Vec<surrealdb::types::RecordId> =
        units::subtree(db, root).await?.into_iter().map(|u| surrealdb::types::RecordId::new("unit", u.id)).collect();
    let mut res = db
        .query(format!(
            "SELECT {NOM_FIELDS} FROM submission WHERE kind = 'nomination' AND movement = $m AND unit IN $units ORDER BY received"
        ))
        .bind(("units", ids))
        .bind(("m", surrealdb::types::RecordId::new("movement", m.id.as_str())))
        .await?;
    rows(&mut res, 0)
}

/// The movements these nominations were filed in, by code (one read each).
pub(crate) async fn movements_of(db: &Db, list: &[Filed]) -> Result<HashMap<String, Movement>> {
    let mut out = HashMap::new();
    for code in list.iter().filter_map(|n| n.movement.as_deref()) {
        if !out.contains_key(code) {
            if let Some(m) = super::movements::by_code(db, code).await? {
                out.insert(code.to_string(), m);
            }
        }
    }
    Ok(out)
}

/// A nomination's award form by name, in the movement it was filed in.
pub(crate) fn form_name(movements: &HashMap<String, Movement>, n: &Filed) -> String {
    n.movement.as_ref().and_then(|c| movements.get(c)).map_or_else(|| n.body.form.clone(), |m| n.form_name(m))
}

/// The nominations with these ids, in the order given; an unknown id is
/// not found.
pub(crate) async fn get_many(db: &Db, ids: &[String]) -> Result<Vec<Filed>> {
    let recs: Vec<surrealdb::types::RecordId> = ids.iter().map(|i| surrealdb::types::RecordId::new("submission", i.as_str())).collect();
    let mut res = db.query(format!("SELECT {NOM_FIELDS} FROM $ids WHERE kind = 'nomination'")).bind(("ids", recs)).await?;
    let found: HashMap<String, Filed> = rows::<Filed>(&mut res, 0)?.into_iter().map(|n| (n.id.clone(), n)).collect();
    ids.iter().map(|id| found.get(id).cloned().ok_or_else(|| StoreError::NotFound(id.clone()))).collect()
}

pub(crate) async fn get(db: &Db, id: &str) -> Result<Filed> {
    Ok(get_many(db, &[id.to_string()]).await?.remove(0))
}

/// Unit names by id for these nominations (one query).
pub(crate) async fn unit_names(db: &Db, list: &[Filed]) -> Result<HashMap<String, String>> {
    let ids: Vec<String> = list.iter().map(|n| n.unit.clone()).collect();
    Ok(units::get_many(db, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect())
}

/// The officer's nominations desk: every nomination with its stage and the
/// rules it breaks, and the sittings.
pub async fn desk(db: &Db, m: &Movement, root: &str) -> Result<NominationDesk> {
    let all = under(db, m, root).await?;
    let names = unit_names(db, &all).await?;
    let rows = all
        .iter()
        .map(|n| {
            // Open nominations of the same nominee count against each other;
            // once one is in the council the others stay refused.
            let (violations, route) = match rules::eligibility(m, n, &all) {
                Ok(r) => (Vec::new(), Some(r)),
                Err(v) => (v, None),
            };
            let decision = n.decision.as_ref();
            NominationRow {
                id: n.id.clone(),
                unit_name: names.get(&n.unit).cloned().unwrap_or_else(|| n.unit.clone()),
                nominee_kind: n.body.nominee_kind,
                name: n.body.name.clone(),
                form: n.body.form.clone(),
                form_name: n.form_name(m),
                posthumous: n.body.posthumous,
                status: n.status,
                stage: n.stage(),
                received: n.received.clone(),
                revision: n.revision,
                violations,
                district_decides: route == Some(Route::DistrictDecides),
                decision_number: decision.map(|d| d.number.clone()).filter(|s| !s.is_empty()),
                decision_code: decision.map(|d| d.code.clone()).filter(|s| !s.is_empty()),
                files: n.body.files.clone(),
            }
        })
        .collect();
    Ok(NominationDesk {
        rows,
        sittings: super::council::sittings(db, m, root, root == m.organiser).await?,
        council_members: super::council::members(db, root).await?.len() as u32,
        rule_vi: m.definition.council.text_vi(),
        organiser_name: m.organiser_name.clone(),
        organiser_decides_vi: String::new(),
        movement: m.id.clone(),
        movements: Vec::new(),
    })
}

/// Returns a nomination to its unit with a comment; the phone sees it at
/// its next sync and the unit can correct and send it again.
pub async fn return_nomination(db: &Db, id: &str, comment: &str, actor: &str) -> Result<()> {
    let comment = rules::check_return(&get(db, id).await?, comment).map_err(StoreError::Invalid)?;
    db.query(
        "BEGIN TRANSACTION;
        LET $old = (SELECT status, stage FROM ONLY type::record('submission', $id));
        IF $old.status = 'returned' OR $old.stage != NONE { THROW 'status moved' };
        UPDATE type::record('submission', $id) SET status = 'returned', return_comment = $comment,
            reviewed_by = $actor, reviewed_at = time::now(), updated_at = time::now();
        CREATE audit CONTENT { actor: $actor, action: 'nomination.return', subject: 'submission:' + $id, after: { comment: $comment } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("comment", comment))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}

/// Records the organiser's decision for passed nominations of forms it
/// decides; each gets a verification code for its certificate.
pub async fn record_decision(
    db: &Db,
    m: &Movement,
    ids: &[String],
    (number, date, signer): (&str, &str, &str),
    today: time::Date,
    actor: &str,
) -> Result<u32> {
    let chosen = get_many(db, ids).await?;
    let (number, signer) = rules::check_decision(m, number, date, signer, &chosen, today).map_err(StoreError::Invalid)?;
    let codes: Vec<Vec<String>> = ids.iter().map(|id| vec![id.clone(), verification_code()]).collect();
    db.query(
        "BEGIN TRANSACTION;
        FOR $x IN $codes {
            IF (SELECT VALUE stage FROM ONLY type::record('submission', $x[0])) != 'passed' { THROW 'stage moved' };
            UPDATE type::record('submission', $x[0]) SET stage = 'decided',
                decision = { number: $number, date: $date, signer: $signer, code: $x[1], by: $actor, at: <string> time::now() },
                updated_at = time::now();
        };
        CREATE audit CONTENT { actor: $actor, action: 'nomination.decide', subject: 'decision:' + $number, after: { nominations: $codes, date: $date, signer: $signer } };
        COMMIT TRANSACTION;",
    )
    .bind(("codes", codes))
    .bind(("number", number))
    .bind(("date", date.to_string()))
    .bind(("signer", signer))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(ids.len() as u32)
}

/// Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L): read
/// off a printed certificate and typed into the public page.
fn verification_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// Sends passed nominations of higher forms up to their deciding level.
pub async fn forward(db: &Db, m: &Movement, ids: &[String], actor: &str) -> Result<u32> {
    rules::check_forward(m, &get_many(db, ids).await?).map_err(StoreError::Invalid)?;
    db.query(
        "BEGIN TRANSACTION;
        FOR $id IN $ids {
            IF (SELECT VALUE stage FROM ONLY type::record('submission', $id)) != 'passed' { THROW 'stage moved' };
            UPDATE type::record('submission', $id) SET stage = 'forwarded', forwarded = { by: $actor, at: <string> time::now() }, updated_at = time::now();
        };
        CREATE audit CONTENT { actor: $actor, action: 'nomination.forward', subject: 'nominations', after: { nominations: $ids } };
        COMMIT TRANSACTION;",
    )
    .bind(("ids", ids.to_vec()))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(ids.len() as u32)
}

/// The deciding level's answer on a forwarded nomination.
pub async fn record_outcome(db: &Db, m: &Movement, id: &str, awarded: bool, number: &str, date: &str, actor: &str) -> Result<()> {
    let n = get(db, id).await?;
    let number = rules::check_outcome(&n, awarded, number, date).map_err(StoreError::Invalid)?;
    let signer = m.definition.award_forms.iter().find(|f| f.code == n.body.form).map(|f| f.decided_by_vi.clone()).unwrap_or_default();
    db.query(
        "BEGIN TRANSACTION;
        IF (SELECT VALUE stage FROM ONLY type::record('submission', $id)) != 'forwarded' { THROW 'stage moved' };
        IF $awarded {
            UPDATE type::record('submission', $id) SET stage = 'decided',
                decision = { number: $number, date: $date, signer: $signer, code: $code, by: $actor, at: <string> time::now(), level: 'upper' },
                updated_at = time::now();
        } ELSE {
            UPDATE type::record('submission', $id) SET stage = 'not_awarded', updated_at = time::now();
        };
        CREATE audit CONTENT { actor: $actor, action: 'nomination.outcome', subject: 'submission:' + $id, after: { awarded: $awarded, number: $number, date: $date } };
        COMMIT TRANSACTION;",
    )
    .bind(("id", id.to_string()))
    .bind(("awarded", awarded))
    .bind(("number", number))
    .bind(("date", date.to_string()))
    .bind(("signer", signer))
    .bind(("code", verification_code()))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(())
}

/// A decided award as a certificate and the public pages read it.
#[derive(Clone, Debug)]
pub struct Award {
    pub nomination: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub form: String,
    pub nominee_kind: NomineeKind,
    pub position: String,
    pub form_name: String,
    pub posthumous: bool,
    pub number: String,
    /// yyyy-mm-dd
    pub date: String,
    pub signer: String,
    pub code: String,
    /// The movement it was decided in (its code).
    pub movement: String,
}

/// Which decided awards to read.
pub enum Awards<'a> {
    All,
    Nomination(&'a str),
    Decision(&'a str),
    Code(&'a str),
}

/// Decided awards of every movement, oldest decision first.
pub async fn awards(db: &Db, which: Awards<'_>) -> Result<Vec<Award>> {
    let (cond, arg) = match which {
        Awards::All => ("", String::new()),
        Awards::Nomination(id) => (" AND id = type::record('submission', $arg)", id.to_string()),
        Awards::Decision(n) => (" AND decision.number = $arg", n.to_string()),
        Awards::Code(c) => (" AND decision.code = $arg", c.trim().to_uppercase()),
    };
    let mut res = db
        .query(format!(
            "SELECT {NOM_FIELDS} FROM submission WHERE kind = 'nomination' AND stage = 'decided'{cond} ORDER BY decision.at, body.name"
        ))
        .bind(("arg", arg))
        .await?;
    let list: Vec<Filed> = rows(&mut res, 0)?;
    let names = unit_names(db, &list).await?;
    let movements = movements_of(db, &list).await?;
    Ok(list
        .into_iter()
        .map(|n| {
            let d = n.decision.clone().unwrap_or_default();
            Award {
                nomination: n.id.clone(),
                unit_name: names.get(&n.unit).cloned().unwrap_or_default(),
                unit: n.unit.clone(),
                form: n.body.form.clone(),
                nominee_kind: n.body.nominee_kind,
                position: n.body.position.clone(),
                form_name: form_name(&movements, &n),
                movement: n.movement.clone().unwrap_or_default(),
                posthumous: n.body.posthumous,
                number: d.number,
                date: d.date,
                signer: d.signer,
                code: d.code,
                name: n.body.name,
            }
        })
        .collect())
}

/// A nomination as the province reads it: the nominee in full (this list
/// goes to an authority, not the public), the council's count.
#[derive(Clone, Debug)]
pub struct Forwarded {
    pub body: NominationBody,
    pub unit_name: String,
    pub form_name: String,
    pub result: Option<MinutesRow>,
}

/// Nominations forwarded and not yet answered, and the minutes of the
/// sittings that passed them.
pub async fn forwarded(db: &Db, m: &Movement) -> Result<(Vec<Forwarded>, Vec<crate::domain::views::council::Minutes>)> {
    let up: Vec<Filed> = under(db, m, &m.organiser).await?.into_iter().filter(|n| n.stage() == Stage::Forwarded).collect();
    let names = unit_names(db, &up).await?;
    #[derive(Deserialize)]
    struct Voted {
        id: String,
        #[serde(default)]
        sitting: Option<String>,
        #[serde(default)]
        result: Option<MinutesRow>,
    }
    let recs: Vec<surrealdb::types::RecordId> = up.iter().map(|n| surrealdb::types::RecordId::new("submission", n.id.as_str())).collect();
    let mut res = db.query("SELECT record::id(id) AS id, sitting, result FROM $ids").bind(("ids", recs)).await?;
    let mut voted: HashMap<String, Voted> = rows::<Voted>(&mut res, 0)?.into_iter().map(|v| (v.id.clone(), v)).collect();
    let mut sittings: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for n in up {
        let v = voted.remove(&n.id);
        if let Some(s) = v.as_ref().and_then(|v| v.sitting.clone()).filter(|s| !sittings.contains(s)) {
            sittings.push(s);
        }
        out.push(Forwarded {
            unit_name: names.get(&n.unit).cloned().unwrap_or_default(),
            form_name: n.form_name(m),
            result: v.and_then(|v| v.result),
            body: n.body,
        });
    }
    let mut minutes_list = Vec::new();
    for s in sittings {
        minutes_list.push(super::council::minutes(db, &s).await?);
    }
    Ok((out, minutes_list))
}
