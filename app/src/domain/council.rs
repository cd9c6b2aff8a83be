//! The district council's vote on nominations (SPEC §5.7): each member votes
//! once per nomination (approve, reject, abstain); nobody sees a count before
//! the sitting closes; a nomination passes when the sitting had its quorum
//! and enough members approved. Quorum and threshold are movement data.

use crate::domain::award::{check_eligibility, organiser_decides, rules_on, NominationFacts, NomineeKind, Route, RuleViolation};
use crate::domain::date::parse_iso;
use crate::domain::movement::Movement;
use crate::domain::nomination::NominationBody;
use crate::domain::sync::ReviewStatus;
use crate::domain::text::{check_text, nfc, search_key};
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Approve,
    Reject,
    Abstain,
}

impl Vote {
    pub fn label_vi(self) -> &'static str {
        match self {
            Vote::Approve => "Đồng ý",
            Vote::Reject => "Không đồng ý",
            Vote::Abstain => "Không biểu quyết",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Vote::Approve => "Approve",
            Vote::Reject => "Reject",
            Vote::Abstain => "Abstain",
        }
    }
}

/// What the approvals are counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassBase {
    /// Every member of the council (the usual Vietnamese rule: "trên 50% tổng số thành viên").
    Members,
    /// The members present at the sitting.
    Present,
}

/// A fraction, so "2/3" is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouncilRules {
    /// Members present (voting on anything at the sitting) needed, as a
    /// share of all members, reached or exceeded.
    pub quorum: Fraction,
    /// Approvals needed, as a share of `pass_base`.
    pub pass: Fraction,
    pub pass_base: PassBase,
    /// "trên" (strictly more than) rather than "từ … trở lên".
    pub pass_strictly_above: bool,
}

impl Default for CouncilRules {
    /// At least two thirds present; more than half of all members approve.
    fn default() -> Self {
        CouncilRules {
            quorum: Fraction { num: 2, den: 3 },
            pass: Fraction { num: 1, den: 2 },
            pass_base: PassBase::Members,
            pass_strictly_above: true,
        }
    }
}

impl CouncilRules {
    /// Fractions that are shares (a non-zero numerator at most the
    /// denominator); each error names its field (`council.quorum`, `council.pass`).
    pub fn check(&self) -> Vec<FieldError> {
        [("quorum", self.quorum, "Tỉ lệ dự họp"), ("pass", self.pass, "Tỉ lệ thông qua")]
            .into_iter()
            .filter(|(_, f, _)| f.den == 0 || f.num == 0 || f.num > f.den)
            .map(|(field, f, vi)| {
                FieldError::new(
                    format!("council.{field}"),
                    "fraction",
                    format!("{vi} {}/{} phải là một phân số từ 0 đến 1 (tử số khác 0, không lớn hơn mẫu số).", f.num, f.den),
                    format!("{field} {}/{} must be a share: a non-zero numerator at most the denominator.", f.num, f.den),
                )
            })
            .collect()
    }

    /// The rule as a sentence, for the pages and the minutes.
    pub fn text_vi(&self) -> String {
        format!(
            "Phiên họp hợp lệ khi có từ {}/{} tổng số thành viên tham dự; đề nghị được thông qua khi {} {}/{} {} đồng ý.",
            self.quorum.num,
            self.quorum.den,
            if self.pass_strictly_above { "có trên" } else { "có từ" },
            self.pass.num,
            self.pass.den,
            match self.pass_base {
                PassBase::Members => "tổng số thành viên Hội đồng",
                PassBase::Present => "số thành viên dự họp",
            }
        )
    }
}

/// The count for one nomination at a closed sitting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Council members when the sitting opened.
    pub members: u32,
    /// Members who voted on anything at the sitting.
    pub present: u32,
    pub approve: u32,
    pub reject: u32,
    /// Abstentions, and present members who cast nothing on this one.
    pub abstain: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    /// Too few members present: nothing is decided, the nomination can be put again.
    NoQuorum,
}

impl Outcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::Passed => "Thông qua",
            Outcome::Failed => "Không thông qua",
            Outcome::NoQuorum => "Không đủ số thành viên dự họp",
        }
    }
}

/// Counts one nomination's votes: `votes` are those cast on it, `present`
/// the members who voted on anything at the sitting.
pub fn tally(members: u32, present: u32, votes: &[Vote]) -> Tally {
    let count = |v: Vote| votes.iter().filter(|x| **x == v).count() as u32;
    let (approve, reject) = (count(Vote::Approve), count(Vote::Reject));
    Tally { members, present, approve, reject, abstain: present.saturating_sub(approve + reject) }
}

/// Whether a nomination passed. Integer arithmetic: 2/3 of 9 is exactly 6.
pub fn outcome(rules: &CouncilRules, t: &Tally) -> Outcome {
    let q = rules.quorum;
    if t.members == 0 || u64::from(t.present) * u64::from(q.den) < u64::from(q.num) * u64::from(t.members) {
        return Outcome::NoQuorum;
    }
    let base = match rules.pass_base {
        PassBase::Members => t.members,
        PassBase::Present => t.present,
    };
    let (lhs, rhs) = (u64::from(t.approve) * u64::from(rules.pass.den), u64::from(rules.pass.num) * u64::from(base));
    let passed = if rules.pass_strictly_above { lhs > rhs } else { lhs >= rhs };
    if passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    }
}

/// Where a nomination stands at the district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Filed by the unit, not yet checked (or returned to it).
    Desk,
    /// Put to a council sitting that is still open.
    Council,
    Passed,
    Failed,
    /// The district's decision is recorded (forms it decides).
    Decided,
    /// Sent up to the deciding level with the minutes.
    Forwarded,
    /// The deciding level did not award it.
    NotAwarded,
}

impl Stage {
    pub fn label_vi(self) -> &'static str {
        match self {
            Stage::Desk => "Chờ xét",
            Stage::Council => "Đang lấy ý kiến Hội đồng",
            Stage::Passed => "Hội đồng thông qua",
            Stage::Failed => "Hội đồng không thông qua",
            Stage::Decided => "Đã có quyết định",
            Stage::Forwarded => "Đã trình cấp trên",
            Stage::NotAwarded => "Cấp trên không khen thưởng",
        }
    }
}

/// A nomination as the rules read it: what the unit filed and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Filed {
    pub id: String,
    pub unit: String,
    pub body: NominationBody,
    pub status: ReviewStatus,
    #[serde(default)]
    pub stage: Option<Stage>,
    /// When it first arrived (RFC 3339).
    pub received: String,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// The movement it was filed in (its code).
    #[serde(default)]
    pub movement: Option<String>,
    /// The unit's revision of it (2 and up: corrected and sent again).
    #[serde(default)]
    pub revision: u32,
}

/// The decision that awarded a nomination (the organiser's, or the upper
/// level's answer to a forwarded one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    #[serde(default)]
    pub number: String,
    /// yyyy-mm-dd
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub signer: String,
    /// The certificate's verification code.
    #[serde(default)]
    pub code: String,
}

impl Filed {
    pub fn stage(&self) -> Stage {
        self.stage.unwrap_or(Stage::Desk)
    }
    /// Still in play: not returned, not failed, not decided.
    pub fn open(&self) -> bool {
        self.status != ReviewStatus::Returned && !matches!(self.stage(), Stage::Failed | Stage::Decided | Stage::NotAwarded)
    }
    /// At the desk: neither returned nor put to the council yet.
    pub fn at_desk(&self) -> bool {
        self.stage() == Stage::Desk && self.status != ReviewStatus::Returned
    }
    /// The same nominee: kind, name without case or diacritics, birth year.
    fn nominee_key(&self) -> (NomineeKind, String, Option<i32>) {
        (self.body.nominee_kind, search_key(&self.body.name), self.body.birth_year)
    }
    /// The award form's name in the movement (its code if unknown).
    pub fn form_name(&self, m: &Movement) -> String {
        m.definition
            .award_forms
            .iter()
            .find(|f| f.code == self.body.form)
            .map(|f| f.name_vi.clone())
            .unwrap_or_else(|| self.body.form.clone())
    }
    /// Whether the rules in force on the nomination's date let the organiser decide its form.
    pub fn organiser_decides(&self, m: &Movement) -> bool {
        parse_iso(&self.body.nominated_on).is_some_and(|d| organiser_decides(&m.definition.eligibility, &self.body.form, d))
    }
}

/// The award rules on one nomination, counting the nominee's other open ones
/// in `all`.
pub fn eligibility(m: &Movement, n: &Filed, all: &[Filed]) -> Result<Route, Vec<RuleViolation>> {
    let key = n.nominee_key();
    let others = all.iter().filter(|o| o.id != n.id && o.open() && o.nominee_key() == key).count();
    let Some(on) = parse_iso(&n.body.nominated_on) else {
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

/// Broken award rules as errors on `field`, each prefixed with the nominee.
pub fn refused(field: &str, vs: Vec<RuleViolation>, name: &str) -> Vec<FieldError> {
    vs.into_iter()
        .map(|v| FieldError::new(field, v.rule, format!("{name}: {}", v.message_vi), format!("{name}: {}", v.message_en)))
        .collect()
}

fn not_at_desk() -> FieldError {
    FieldError::new(
        "id",
        "at_desk",
        "Chỉ trả lại được đề nghị đang chờ xét (chưa đưa ra Hội đồng).",
        "Only a nomination still at the desk can be returned.",
    )
}

/// Returning a nomination to its unit: it must be at the desk, and the
/// reason is required. Gives the comment as it is stored.
pub fn check_return(n: &Filed, comment: &str) -> Result<String, Vec<FieldError>> {
    let comment = nfc(comment.trim());
    if let Some(e) = check_text("comment", "Lý do trả lại", "Reason for returning", &comment, crate::domain::review::COMMENT_MAX, true)
    {
        return Err(vec![e]);
    }
    if !n.at_desk() {
        return Err(vec![not_at_desk()]);
    }
    Ok(comment)
}

/// Opening a sitting: a title, council members, and nominations each at the
/// desk, eligible (against `all`, every nomination of the organisation) and
/// chosen once. Gives the title as it is stored.
pub fn check_sitting(m: &Movement, title: &str, members: usize, chosen: &[Filed], all: &[Filed]) -> Result<String, Vec<FieldError>> {
    let title = nfc(title.trim());
    if let Some(e) = check_text("title", "Tên phiên họp", "Sitting title", &title, 200, true) {
        return Err(vec![e]);
    }
    if members == 0 {
        return Err(vec![FieldError::new(
            "members",
            "council_members",
            "Chưa có tài khoản thành viên Hội đồng nào đang hoạt động.",
            "There are no active council member accounts.",
        )]);
    }
    let mut errors = Vec::new();
    for n in chosen {
        if let Some(e) = other_movement(m, n) {
            errors.push(e);
        } else if !n.at_desk() {
            errors.push(FieldError::new(
                "ids",
                "at_desk",
                format!("{}: không còn ở khâu xét.", n.body.name),
                format!("{}: no longer at the desk.", n.body.name),
            ));
        } else if let Err(vs) = eligibility(m, n, all) {
            errors.extend(refused("ids", vs, &n.body.name));
        }
    }
    let unique: std::collections::HashSet<&str> = chosen.iter().map(|n| n.id.as_str()).collect();
    if unique.len() != chosen.len() {
        errors.push(FieldError::new("ids", "distinct", "Một đề nghị được chọn hai lần.", "A nomination is chosen twice."));
    }
    if errors.is_empty() {
        Ok(title)
    } else {
        Err(errors)
    }
}

/// A nomination of another movement than `m`: a sitting, a decision or a
/// forwarding takes one movement's nominations, under its rules and forms.
fn other_movement(m: &Movement, n: &Filed) -> Option<FieldError> {
    (n.movement.as_deref() != Some(m.id.as_str())).then(|| {
        FieldError::new(
            "ids",
            "one_movement",
            format!("{}: thuộc phong trào khác; mỗi lần xét chỉ một phong trào.", n.body.name),
            format!("{}: of another movement; one movement's nominations at a time.", n.body.name),
        )
    })
}

fn vote_refused(rule: &str, vi: &str, en: &str) -> FieldError {
    FieldError::new("vote", rule, vi, en)
}

/// The refusal of a vote in a sitting that has closed.
pub fn sitting_closed() -> FieldError {
    vote_refused("sitting_open", "Phiên họp đã kết thúc.", "The sitting is closed.")
}

/// The refusal of a member's second vote on one nomination.
pub fn voted_already() -> FieldError {
    vote_refused(
        "one_vote",
        "Thành viên đã biểu quyết đề nghị này; mỗi người chỉ một phiếu.",
        "You have already voted on this nomination; one vote each.",
    )
}

/// A vote: the sitting is open and `member` is one of its members.
pub fn check_vote(closed: bool, members: &[String], member: &str) -> Result<(), FieldError> {
    if closed {
        return Err(sitting_closed());
    }
    if !members.iter().any(|m| m == member) {
        return Err(vote_refused("council_member", "Tài khoản không có trong thành phần phiên họp này.", "Not a member of this sitting."));
    }
    Ok(())
}

/// One member's vote on one nomination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cast {
    pub nomination: String,
    pub member: String,
    pub choice: Vote,
}

/// The count at close, per nomination: members present are those of the
/// sitting who voted on anything; a present member's missing vote abstains.
pub fn count(rules: &CouncilRules, members: &[String], votes: &[Cast], nominations: &[String]) -> Vec<(Tally, Outcome)> {
    let present: std::collections::HashSet<&str> =
        votes.iter().filter(|v| members.contains(&v.member)).map(|v| v.member.as_str()).collect();
    nominations
        .iter()
        .map(|id| {
            let cast: Vec<Vote> =
                votes.iter().filter(|v| &v.nomination == id && present.contains(v.member.as_str())).map(|v| v.choice).collect();
            let t = tally(members.len() as u32, present.len() as u32, &cast);
            (t, outcome(rules, &t))
        })
        .collect()
}

impl Outcome {
    /// The nomination's stage after the count (none: back to the desk).
    pub fn stage(self) -> Option<Stage> {
        match self {
            Outcome::Passed => Some(Stage::Passed),
            Outcome::Failed => Some(Stage::Failed),
            Outcome::NoQuorum => None,
        }
    }
}

fn not_passed(n: &Filed) -> FieldError {
    FieldError::new(
        "ids",
        "passed",
        format!("{}: chưa được Hội đồng thông qua.", n.body.name),
        format!("{}: not passed by the council.", n.body.name),
    )
}

fn bad_date() -> FieldError {
    FieldError::new("date", "date", "Ngày quyết định không hợp lệ (yyyy-mm-dd).", "Invalid decision date (yyyy-mm-dd).")
}

/// The organiser's decision on passed nominations of forms it decides (by
/// the rules in force on each nomination's date; the others go up). Gives
/// the number and signer as stored.
pub fn check_decision(
    m: &Movement,
    number: &str,
    date: &str,
    signer: &str,
    chosen: &[Filed],
    today: Date,
) -> Result<(String, String), Vec<FieldError>> {
    let (number, signer) = (nfc(number.trim()), nfc(signer.trim()));
    let mut errors = Vec::new();
    errors.extend(check_text("number", "Số quyết định", "Decision number", &number, 50, true));
    errors.extend(check_text("signer", "Người ký", "Signed by", &signer, 120, true));
    if parse_iso(date).is_none() {
        errors.push(bad_date());
    }
    for n in chosen {
        if let Some(e) = other_movement(m, n) {
            errors.push(e);
        } else if n.stage() != Stage::Passed {
            errors.push(not_passed(n));
        } else if !n.organiser_decides(m) {
            errors.push(FieldError::new(
                "ids",
                "district_decides_only",
                format!(
                    "{}: cấp tổ chức phong trào chỉ quyết định {}; hình thức này phải trình cấp trên.",
                    n.body.name,
                    organiser_forms_vi(m, today)
                ),
                format!("{}: the organiser decides only its own forms; this one is forwarded up.", n.body.name),
            ));
        }
    }
    if errors.is_empty() {
        Ok((number, signer))
    } else {
        Err(errors)
    }
}

/// The names of the forms the organiser decides under the rules of `today`.
/// The award forms the organiser decides itself under the rules in force on
/// `today` (the newest rules when none are), by name, joined.
pub fn organiser_forms_vi(m: &Movement, today: Date) -> String {
    rules_on(&m.definition.eligibility, today)
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

/// Forwarding passed nominations of forms a higher level decides.
pub fn check_forward(m: &Movement, chosen: &[Filed]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for n in chosen {
        if let Some(e) = other_movement(m, n) {
            errors.push(e);
        } else if n.stage() != Stage::Passed {
            errors.push(not_passed(n));
        } else if n.organiser_decides(m) {
            errors.push(FieldError::new(
                "ids",
                "district_decides",
                format!("{}: hình thức này do cấp tổ chức phong trào quyết định, không trình cấp trên.", n.body.name),
                format!("{}: the organiser decides this form itself.", n.body.name),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The upper level's answer on a forwarded nomination; an award needs its
/// decision's number and date. Gives the number as stored.
pub fn check_outcome(n: &Filed, awarded: bool, number: &str, date: &str) -> Result<String, Vec<FieldError>> {
    let number = nfc(number.trim());
    let mut errors = Vec::new();
    if n.stage() != Stage::Forwarded {
        errors.push(FieldError::new("id", "forwarded", "Đề nghị này chưa được trình cấp trên.", "This nomination has not been forwarded."));
    }
    if awarded {
        errors.extend(check_text("number", "Số quyết định", "Decision number", &number, 50, true));
        if parse_iso(date).is_none() {
            errors.push(bad_date());
        }
    }
    if errors.is_empty() {
        Ok(number)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Vote::*;

    fn votes(a: usize, r: usize, x: usize) -> Vec<Vote> {
        [vec![Approve; a], vec![Reject; r], vec![Abstain; x]].concat()
    }

    #[test]
    fn a_council_rule_is_made_of_shares() {
        assert!(CouncilRules::default().check().is_empty());
        let r = CouncilRules { quorum: Fraction { num: 3, den: 2 }, pass: Fraction { num: 1, den: 0 }, ..Default::default() };
        let fields: Vec<String> = r.check().into_iter().map(|e| format!("{}/{}", e.field, e.rule)).collect();
        assert_eq!(fields, ["council.quorum/fraction", "council.pass/fraction"]);
    }

    #[test]
    fn quorum_is_two_thirds_reached_or_exceeded() {
        let rules = CouncilRules::default();
        // 9 members: 6 present is exactly 2/3 (valid), 5 is not.
        assert_eq!(outcome(&rules, &tally(9, 6, &votes(6, 0, 0))), Outcome::Passed);
        assert_eq!(outcome(&rules, &tally(9, 5, &votes(5, 0, 0))), Outcome::NoQuorum);
        // 10 members: 2/3 is 6.67, so 7 are needed.
        assert_eq!(outcome(&rules, &tally(10, 6, &votes(6, 0, 0))), Outcome::NoQuorum);
        assert_eq!(outcome(&rules, &tally(10, 7, &votes(6, 1, 0))), Outcome::Passed);
        assert_eq!(outcome(&rules, &tally(0, 0, &[])), Outcome::NoQuorum, "a council without members decides nothing");
    }

    #[test]
    fn more_than_half_of_all_members_must_approve() {
        let rules = CouncilRules::default();
        // 8 members, all present: 4 approvals is exactly half, not "more than".
        assert_eq!(outcome(&rules, &tally(8, 8, &votes(4, 4, 0))), Outcome::Failed);
        assert_eq!(outcome(&rules, &tally(8, 8, &votes(5, 3, 0))), Outcome::Passed);
        // Counted against all members, not those present: 7 of 9 present, 4 approve.
        assert_eq!(outcome(&rules, &tally(9, 7, &votes(4, 1, 2))), Outcome::Failed);
        assert_eq!(outcome(&rules, &tally(9, 7, &votes(5, 0, 2))), Outcome::Passed);
    }

    #[test]
    fn threshold_variants_are_data() {
        let at_least_half = CouncilRules { pass_strictly_above: false, ..CouncilRules::default() };
        assert_eq!(outcome(&at_least_half, &tally(8, 8, &votes(4, 4, 0))), Outcome::Passed);
        let of_present = CouncilRules { pass_base: PassBase::Present, ..CouncilRules::default() };
        assert_eq!(outcome(&of_present, &tally(9, 7, &votes(4, 1, 2))), Outcome::Passed, "4 of 7 present");
        let two_thirds = CouncilRules { pass: Fraction { num: 2, den: 3 }, pass_strictly_above: false, ..CouncilRules::default() };
        assert_eq!(outcome(&two_thirds, &tally(9, 9, &votes(6, 3, 0))), Outcome::Passed);
        assert_eq!(outcome(&two_thirds, &tally(9, 9, &votes(5, 4, 0))), Outcome::Failed);
    }

    #[test]
    fn present_members_who_cast_nothing_count_as_abstaining() {
        let t = tally(9, 7, &votes(3, 2, 0));
        assert_eq!((t.approve, t.reject, t.abstain), (3, 2, 2));
    }

    #[test]
    fn the_rule_reads_as_a_sentence() {
        let s = CouncilRules::default().text_vi();
        assert!(s.contains("từ 2/3") && s.contains("trên 1/2 tổng số thành viên"), "{s}");
    }
}
