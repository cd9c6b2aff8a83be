//! Nominations at the district and the council's sittings: eligibility with
//! the other open nominations of the same nominee, return, sittings, one
//! secret vote per member, the count at close, and decisions. Every write is
//! audited in its own transaction; a vote's audit entry does not say how.

use super::{accounts, rows, units, Checked, Db, Result, StoreError};
use crate::domain::auth::Role;
use crate::domain::award::{check_eligibility, NominationFacts, NomineeKind, Route, RuleViolation};
use crate::domain::council::Stage;
use crate::domain::council::{outcome, tally, Outcome, Vote};
use crate::domain::movement::Movement;
use crate::domain::nomination::NominationBody;
use crate::domain::sync::ReviewStatus;
use crate::domain::text::{nfc, search_key};
use crate::domain::views::council::{BallotItem, Minutes, MinutesRow, NominationDesk, NominationRow, SittingRow};
use crate::domain::FieldError;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Debug, Deserialize)]
struct Nom {
    id: String,
    unit: String,
    body: NominationBody,
    status: ReviewStatus,
    #[serde(default)]
    stage: Option<Stage>,
    received: String,
    #[serde(default)]
    decision: Option<serde_json::Value>,
}

impl Nom {
    fn stage(&self) -> Stage {
        self.stage.unwrap_or(Stage::Desk)
    }
    /// Still in play: not returned, not failed, not decided.
    fn open(&self) -> bool {
        self.status != ReviewStatus::Returned && !matches!(self.stage(), Stage::Failed | Stage::Decided | Stage::NotAwarded)
    }
    /// The same nominee: kind, name without case or diacritics, birth year.
    fn nominee_key(&self) -> (NomineeKind, String, Option<i32>) {
        (self.body.nominee_kind, search_key(&self.body.name), self.body.birth_year)
    }
}

const NOM_FIELDS: &str = "record::id(id) AS id, record::id(unit) AS unit, body, status, stage, \
    <string> first_received_at AS received, decision";

/// Every nomination filed by units under `root`.
async fn nominations(db: &Db, root: &str) -> Result<Vec<Nom>> {
    let ids: Vec<surrealdb::types::RecordId> =
        units::subtree(db, root).await?.into_iter().map(|u| surrealdb::types::RecordId::new("unit", u.id)).collect();
    let mut res = db
        .query(format!("SELECT {NOM_FIELDS} FROM submission WHERE kind = 'nomination' AND unit IN $units ORDER BY received"))
        .bind(("units", ids))
        .await?;
    rows(&mut res, 0)
}

async fn nomination(db: &Db, id: &str) -> Result<Nom> {
    let mut res = db
        .query(format!("SELECT {NOM_FIELDS} FROM ONLY type::record('submission', $id) WHERE kind = 'nomination'"))
        .bind(("id", id.to_string()))
        .await?;
    super::one(&mut res, 0)?.ok_or_else(|| StoreError::NotFound(id.to_string()))
}

/// The award rules on one nomination, counting the nominee's other open ones.
fn eligibility(m: &Movement, n: &Nom, all: &[Nom]) -> std::result::Result<Route, Vec<RuleViolation>> {
    let key = n.nominee_key();
    let others = all.iter().filter(|o| o.id != n.id && o.open() && o.nominee_key() == key).count();
    let Some(on) = crate::domain::date::parse_iso(&n.body.nominated_on) else {
        return Err(vec![RuleViolation {
            rule: "nominated_on".into(),
            rules_version: 0,
            message_vi: "Ngày đề nghị không hợp lệ.".into(),
            message_en: "Invalid nomination date.".into(),
        }]);
    };
    let facts = NominationFacts {
        nominee_kind: n.body.nominee_kind,
        form_code: &n.body.form,
        posthumous: n.body.posthumous,
        nominated_on: on,
        other_open_nominations: others,
    };
    check_eligibility(&m.definition.award_forms, &m.definition.eligibility, &facts)
}

fn refused(field: &str, vs: Vec<RuleViolation>, name: &str) -> StoreError {
    StoreError::Invalid(
        vs.into_iter()
            .map(|v| FieldError::new(field, v.rule, format!("{name}: {}", v.message_vi), format!("{name}: {}", v.message_en)))
            .collect(),
    )
}

/// The active council members of the organisation `org` (accounts of its units).
async fn council_members(db: &Db, org: &str) -> Result<Vec<String>> {
    let units: Vec<String> = units::subtree(db, org).await?.into_iter().map(|u| u.id).collect();
    Ok(accounts::list(db, &units).await?.into_iter().filter(|a| a.active && a.role == Role::CouncilMember).map(|a| a.username).collect())
}

/// The organisation a sitting belongs to (one opened before sittings named
/// theirs belongs to the movement's organiser); none for an unknown id.
pub async fn sitting_organiser(db: &Db, m: &Movement, sitting_id: &str) -> Result<Option<String>> {
    #[derive(Deserialize)]
    struct Owner {
        organiser: Option<String>,
    }
    let mut res = db.query("SELECT organiser FROM ONLY type::record('sitting', $id)").bind(("id", sitting_id.to_string())).await?;
    Ok(super::one::<Owner>(&mut res, 0)?.map(|o| o.organiser.unwrap_or_else(|| m.organiser.clone())))
}

/// The officer's nominations desk: every nomination with its stage and the
/// rules it breaks, and the sittings.
pub async fn desk(db: &Db, m: &Movement, root: &str) -> Result<NominationDesk> {
    let legacy = root == m.organiser;
    let all = nominations(db, root).await?;
    let names: HashMap<String, String> =
        units::get_many(db, &all.iter().map(|n| n.unit.clone()).collect::<Vec<_>>()).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let rows = all
        .iter()
        .map(|n| {
            let (violations, route) = match eligibility(m, n, &all) {
                Ok(r) => (Vec::new(), Some(r)),
                Err(v) => (v, None),
            };
            let form = m.definition.award_forms.iter().find(|f| f.code == n.body.form);
            NominationRow {
                id: n.id.clone(),
                unit_name: names.get(&n.unit).cloned().unwrap_or_else(|| n.unit.clone()),
                nominee_kind: n.body.nominee_kind,
                name: n.body.name.clone(),
                form: n.body.form.clone(),
                form_name: form.map(|f| f.name_vi.clone()).unwrap_or_else(|| n.body.form.clone()),
                posthumous: n.body.posthumous,
                status: n.status,
                stage: n.stage(),
                received: n.received.clone(),
                // Open nominations of the same nominee are counted against each other; once one is in
                // the council the others stay refused.
                violations,
                district_decides: route == Some(Route::DistrictDecides),
                decision_number: n.decision.as_ref().and_then(|d| d.get("number")).and_then(|v| v.as_str()).map(str::to_string),
                decision_code: n.decision.as_ref().and_then(|d| d.get("code")).and_then(|v| v.as_str()).map(str::to_string),
            }
        })
        .collect();
    Ok(NominationDesk {
        rows,
        sittings: sittings(db, root, legacy).await?,
        council_members: council_members(db, root).await?.len() as u32,
        rule_vi: m.definition.council.text_vi(),
    })
}

#[derive(Deserialize)]
struct SittingDb {
    id: String,
    title: String,
    nominations: Vec<String>,
    members: Vec<String>,
    opened_at: String,
    #[serde(default)]
    closed_at: Option<String>,
    #[serde(default)]
    results: Option<Vec<MinutesRow>>,
}

const SITTING_FIELDS: &str =
    "record::id(id) AS id, title, nominations, members, <string> opened_at AS opened_at, (IF closed_at = NONE THEN NONE ELSE <string> closed_at END) AS closed_at, results";

/// The sittings of `org` (with `legacy`, also those opened before sittings
/// named their organisation).
async fn sittings(db: &Db, org: &str, legacy: bool) -> Result<Vec<SittingRow>> {
    let mut res = db
        .query(format!(
            "SELECT {SITTING_FIELDS}, array::distinct((SELECT VALUE member FROM vote WHERE sitting = record::id($parent.id))) AS voted
             FROM sitting WHERE organiser = $org OR ($legacy AND organiser = NONE) ORDER BY opened_at DESC"
        ))
        .bind(("org", org.to_string()))
        .bind(("legacy", legacy))
        .await?;
    #[derive(Deserialize)]
    struct Row {
        #[serde(flatten)]
        s: SittingDb,
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

async fn sitting(db: &Db, id: &str) -> Result<SittingDb> {
    let mut res = db.query(format!("SELECT {SITTING_FIELDS} FROM ONLY type::record('sitting', $id)")).bind(("id", id.to_string())).await?;
    super::one(&mut res, 0)?.ok_or_else(|| StoreError::NotFound(format!("sitting:{id}")))
}

/// Returns a nomination to its unit with a comment; the phone sees it at
/// its next sync and the unit can correct and send it again.
pub async fn return_nomination(db: &Db, id: &str, comment: &str, actor: &str) -> Result<()> {
    let n = nomination(db, id).await?;
    let comment = nfc(comment.trim());
    if let Some(e) = crate::domain::text::check_text(
        "comment",
        "Lý do trả lại",
        "Reason for returning",
        &comment,
        crate::domain::review::COMMENT_MAX,
        true,
    ) {
        return Err(StoreError::Invalid(vec![e]));
    }
    if n.stage() != Stage::Desk || n.status == ReviewStatus::Returned {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "id",
            "at_desk",
            "Chỉ trả lại được đề nghị đang chờ xét (chưa đưa ra Hội đồng).",
            "Only a nomination still at the desk can be returned.",
        )]));
    }
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

/// Opens a sitting of the organisation `org` with these nominations; each
/// must be at the desk and eligible. The council's members (the
/// organisation's) are taken as they are now.
pub async fn open_sitting(db: &Db, m: &Movement, org: &str, title: &str, ids: &[String], actor: &str) -> Result<String> {
    let title = nfc(title.trim());
    if let Some(e) = crate::domain::text::check_text("title", "Tên phiên họp", "Sitting title", &title, 200, true) {
        return Err(StoreError::Invalid(vec![e]));
    }
    let members = council_members(db, org).await?;
    if members.is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "members",
            "council_members",
            "Chưa có tài khoản thành viên Hội đồng nào đang hoạt động.",
            "There are no active council member accounts.",
        )]));
    }
    let mut errors = Vec::new();
    // The nominee's other nominations anywhere in the district count.
    let all = nominations(db, &m.organiser).await?;
    for id in ids {
        let n = nomination(db, id).await?;
        if n.stage() != Stage::Desk || n.status == ReviewStatus::Returned {
            errors.push(FieldError::new(
                "ids",
                "at_desk",
                format!("{}: không còn ở khâu xét.", n.body.name),
                format!("{}: no longer at the desk.", n.body.name),
            ));
            continue;
        }
        if let Err(vs) = eligibility(m, &n, &all) {
            if let StoreError::Invalid(e) = refused("ids", vs, &n.body.name) {
                errors.extend(e);
            }
        }
    }
    let unique: HashSet<&String> = ids.iter().collect();
    if unique.len() != ids.len() {
        errors.push(FieldError::new("ids", "distinct", "Một đề nghị được chọn hai lần.", "A nomination is chosen twice."));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let mut res = db
        .query(
            "BEGIN TRANSACTION;
            FOR $id IN $ids {
                LET $s = (SELECT status, stage FROM ONLY type::record('submission', $id));
                IF $s.status = 'returned' OR $s.stage != NONE { THROW 'status moved' };
            };
            LET $sit = CREATE ONLY sitting CONTENT { title: $title, nominations: $ids, members: $members, rules: $rules, opened_by: $actor, organiser: $org };
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
        .bind(("rules", super::json(&m.definition.council)))
        .bind(("actor", actor.to_string()))
        .await?
        .checked()?;
    let n = res.num_statements();
    let id: Option<String> = res.take(n - 1).ok().flatten().or_else(|| res.take(n - 2).ok().flatten());
    id.ok_or_else(|| StoreError::Decode("no sitting id".into()))
}

/// The nominations a member has to vote on, in sittings still open.
pub async fn ballot(db: &Db, m: &Movement, member: &str) -> Result<Vec<BallotItem>> {
    let mut res = db
        .query(format!("SELECT {SITTING_FIELDS} FROM sitting WHERE closed_at = NONE AND $member IN members ORDER BY opened_at"))
        .bind(("member", member.to_string()))
        .await?;
    let open: Vec<SittingDb> = rows(&mut res, 0)?;
    let mut out = Vec::new();
    for s in open {
        let mut res = db
            .query("SELECT nomination, choice FROM vote WHERE sitting = $s AND member = $member")
            .bind(("s", s.id.clone()))
            .bind(("member", member.to_string()))
            .await?;
        #[derive(Deserialize)]
        struct Mine {
            nomination: String,
            choice: Vote,
        }
        let mine: Vec<Mine> = rows(&mut res, 0)?;
        for id in &s.nominations {
            let n = nomination(db, id).await?;
            let unit_name = units::get(db, &n.unit).await?.map(|u| u.name).unwrap_or_default();
            out.push(BallotItem {
                sitting: s.id.clone(),
                sitting_title: s.title.clone(),
                nomination: id.clone(),
                unit_name,
                nominee_kind: n.body.nominee_kind,
                name: n.body.name.clone(),
                position: n.body.position.clone(),
                form_name: form_name(m, &n),
                posthumous: n.body.posthumous,
                summary: n.body.summary.clone(),
                contributions: n.body.contributions.clone(),
                mine: mine.iter().find(|v| &v.nomination == id).map(|v| v.choice),
            });
        }
    }
    Ok(out)
}

fn form_name(m: &Movement, n: &Nom) -> String {
    m.definition.award_forms.iter().find(|f| f.code == n.body.form).map(|f| f.name_vi.clone()).unwrap_or_else(|| n.body.form.clone())
}

/// One member's one vote on a nomination of an open sitting.
pub async fn cast(db: &Db, sitting_id: &str, nomination_id: &str, member: &str, choice: Vote) -> Result<()> {
    let s = sitting(db, sitting_id).await?;
    let no = |rule: &str, vi: &str, en: &str| StoreError::Invalid(vec![FieldError::new("vote", rule, vi, en)]);
    if s.closed_at.is_some() {
        return Err(no("sitting_open", "Phiên họp đã kết thúc.", "The sitting is closed."));
    }
    if !s.members.iter().any(|m| m == member) {
        return Err(no("council_member", "Tài khoản không có trong thành phần phiên họp này.", "Not a member of this sitting."));
    }
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
        Err(StoreError::Db(e)) if e.to_string().contains("vote_once") => Err(no(
            "one_vote",
            "Thành viên đã biểu quyết đề nghị này; mỗi người chỉ một phiếu.",
            "You have already voted on this nomination; one vote each.",
        )),
        Err(StoreError::Db(e)) if e.to_string().contains("sitting closed") => {
            Err(no("sitting_open", "Phiên họp đã kết thúc.", "The sitting is closed."))
        }
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
    let rules: crate::domain::council::CouncilRules = {
        let mut res = db.query("SELECT VALUE rules FROM ONLY type::record('sitting', $id)").bind(("id", sitting_id.to_string())).await?;
        super::one(&mut res, 0)?.unwrap_or_else(|| m.definition.council.clone())
    };
    let mut res = db.query("SELECT nomination, member, choice FROM vote WHERE sitting = $s").bind(("s", sitting_id.to_string())).await?;
    #[derive(Deserialize)]
    struct V {
        nomination: String,
        member: String,
        choice: Vote,
    }
    let votes: Vec<V> = rows(&mut res, 0)?;
    let present: HashSet<&str> = votes.iter().filter(|v| s.members.iter().any(|m| m == &v.member)).map(|v| v.member.as_str()).collect();
    let mut results = Vec::new();
    for id in &s.nominations {
        let n = nomination(db, id).await?;
        let cast: Vec<Vote> =
            votes.iter().filter(|v| &v.nomination == id && present.contains(v.member.as_str())).map(|v| v.choice).collect();
        let t = tally(s.members.len() as u32, present.len() as u32, &cast);
        let o = outcome(&rules, &t);
        results.push(MinutesRow {
            nomination: id.clone(),
            unit_name: units::get(db, &n.unit).await?.map(|u| u.name).unwrap_or_default(),
            name: n.body.name.clone(),
            form_name: form_name(m, &n),
            tally: t,
            outcome: o,
        });
    }
    let stages: Vec<(String, Option<&str>, serde_json::Value)> = results
        .iter()
        .map(|r| {
            let stage = match r.outcome {
                Outcome::Passed => Some("passed"),
                Outcome::Failed => Some("failed"),
                Outcome::NoQuorum => None,
            };
            (r.nomination.clone(), stage, super::json(r))
        })
        .collect();
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
    .bind(("stages", stages.iter().map(|(id, st, r)| serde_json::json!([id, st, r])).collect::<Vec<_>>()))
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
    let rules: crate::domain::council::CouncilRules = {
        let mut res = db.query("SELECT VALUE rules FROM ONLY type::record('sitting', $id)").bind(("id", sitting_id.to_string())).await?;
        super::one(&mut res, 0)?.unwrap_or_default()
    };
    Ok(Minutes {
        id: s.id,
        title: s.title,
        opened_at: s.opened_at,
        closed_at,
        members: s.members,
        attended,
        rule_vi: rules.text_vi(),
        rows: s.results.unwrap_or_default(),
    })
}

/// Records the district's decision for passed nominations of forms it
/// decides; each gets a verification code for its certificate.
pub async fn record_decision(db: &Db, m: &Movement, ids: &[String], number: &str, date: &str, signer: &str, actor: &str) -> Result<u32> {
    let (number, signer) = (nfc(number.trim()), nfc(signer.trim()));
    let mut errors = Vec::new();
    errors.extend(crate::domain::text::check_text("number", "Số quyết định", "Decision number", &number, 50, true));
    errors.extend(crate::domain::text::check_text("signer", "Người ký", "Signed by", &signer, 120, true));
    if crate::domain::date::parse_iso(date).is_none() {
        errors.push(FieldError::new("date", "date", "Ngày quyết định không hợp lệ (yyyy-mm-dd).", "Invalid decision date (yyyy-mm-dd)."));
    }
    for id in ids {
        let n = nomination(db, id).await?;
        if n.stage() != Stage::Passed {
            errors.push(FieldError::new(
                "ids",
                "passed",
                format!("{}: chưa được Hội đồng thông qua.", n.body.name),
                format!("{}: not passed by the council.", n.body.name),
            ));
            continue;
        }
        // The rules in force on the nomination date say which forms the
        // district decides; any other is forwarded up, never decided here.
        let decides = crate::domain::date::parse_iso(&n.body.nominated_on)
            .and_then(|d| crate::domain::award::rules_on(&m.definition.eligibility, d))
            .is_some_and(|r| r.district_decides.contains(&n.body.form));
        if !decides {
            errors.push(FieldError::new(
                "ids",
                "district_decides_only",
                format!("{}: huyện chỉ quyết định {}; hình thức này phải trình cấp trên.", n.body.name, decides_vi(m)),
                format!("{}: the district decides only its own forms; this one is forwarded up.", n.body.name),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let codes: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), verification_code())).collect();
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
    .bind(("codes", codes.iter().map(|(a, b)| vec![a.clone(), b.clone()]).collect::<Vec<_>>()))
    .bind(("number", number))
    .bind(("date", date.to_string()))
    .bind(("signer", signer))
    .bind(("actor", actor.to_string()))
    .await?
    .checked()?;
    Ok(ids.len() as u32)
}

fn decides_vi(m: &Movement) -> String {
    let today = time::OffsetDateTime::now_utc().date();
    crate::domain::award::rules_on(&m.definition.eligibility, today)
        .or(m.definition.eligibility.last())
        .map(|r| {
            r.district_decides
                .iter()
                .map(|c| m.definition.award_forms.iter().find(|f| &f.code == c).map(|f| f.name_vi.clone()).unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
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
}

/// Which decided awards to read.
pub enum Awards<'a> {
    All,
    Nomination(&'a str),
    Decision(&'a str),
    Code(&'a str),
}

/// Decided awards, oldest decision first.
pub async fn awards(db: &Db, m: &Movement, which: Awards<'_>) -> Result<Vec<Award>> {
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
    let list: Vec<Nom> = rows(&mut res, 0)?;
    let names: HashMap<String, String> =
        units::get_many(db, &list.iter().map(|n| n.unit.clone()).collect::<Vec<_>>()).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(list
        .into_iter()
        .map(|n| {
            let d = n.decision.clone().unwrap_or_default();
            let field = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            Award {
                nomination: n.id.clone(),
                unit_name: names.get(&n.unit).cloned().unwrap_or_default(),
                unit: n.unit.clone(),
                form: n.body.form.clone(),
                nominee_kind: n.body.nominee_kind,
                position: n.body.position.clone(),
                form_name: form_name(m, &n),
                posthumous: n.body.posthumous,
                number: field("number"),
                date: field("date"),
                signer: field("signer"),
                code: field("code"),
                name: n.body.name,
            }
        })
        .collect())
}

/// Whether the rules in force on the nomination's date let the district decide its form.
fn district_decides(m: &Movement, n: &Nom) -> bool {
    crate::domain::date::parse_iso(&n.body.nominated_on)
        .and_then(|d| crate::domain::award::rules_on(&m.definition.eligibility, d))
        .is_some_and(|r| r.district_decides.contains(&n.body.form))
}

/// Sends passed nominations of higher forms up to their deciding level.
pub async fn forward(db: &Db, m: &Movement, ids: &[String], actor: &str) -> Result<u32> {
    let mut errors = Vec::new();
    for id in ids {
        let n = nomination(db, id).await?;
        if n.stage() != Stage::Passed {
            errors.push(FieldError::new(
                "ids",
                "passed",
                format!("{}: chưa được Hội đồng thông qua.", n.body.name),
                format!("{}: not passed by the council.", n.body.name),
            ));
        } else if district_decides(m, &n) {
            errors.push(FieldError::new(
                "ids",
                "district_decides",
                format!("{}: hình thức này do huyện quyết định, không trình cấp trên.", n.body.name),
                format!("{}: the district decides this form itself.", n.body.name),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
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
    let n = nomination(db, id).await?;
    let number = nfc(number.trim());
    let mut errors = Vec::new();
    if n.stage() != Stage::Forwarded {
        errors.push(FieldError::new("id", "forwarded", "Đề nghị này chưa được trình cấp trên.", "This nomination has not been forwarded."));
    }
    if awarded {
        errors.extend(crate::domain::text::check_text("number", "Số quyết định", "Decision number", &number, 50, true));
        if crate::domain::date::parse_iso(date).is_none() {
            errors.push(FieldError::new(
                "date",
                "date",
                "Ngày quyết định không hợp lệ (yyyy-mm-dd).",
                "Invalid decision date (yyyy-mm-dd).",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
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
pub async fn forwarded(db: &Db, m: &Movement) -> Result<(Vec<Forwarded>, Vec<Minutes>)> {
    let all = nominations(db, &m.organiser).await?;
    let mut out = Vec::new();
    let mut sittings: Vec<String> = Vec::new();
    for n in all.into_iter().filter(|n| n.stage() == Stage::Forwarded) {
        #[derive(Deserialize, Default)]
        struct Voted {
            #[serde(default)]
            sitting: Option<String>,
            #[serde(default)]
            result: Option<MinutesRow>,
        }
        let mut res = db.query("SELECT sitting, result FROM ONLY type::record('submission', $id)").bind(("id", n.id.clone())).await?;
        let Voted { sitting, result } = super::one(&mut res, 0)?.unwrap_or_default();
        if let Some(s) = sitting.filter(|s| !sittings.contains(s)) {
            sittings.push(s);
        }
        out.push(Forwarded {
            unit_name: units::get(db, &n.unit).await?.map(|u| u.name).unwrap_or_default(),
            form_name: form_name(m, &n),
            result,
            body: n.body,
        });
    }
    let mut minutes_list = Vec::new();
    for s in sittings {
        minutes_list.push(minutes(db, &s).await?);
    }
    Ok((out, minutes_list))
}
