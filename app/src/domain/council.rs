//! The district council's vote on nominations (SPEC §5.7): each member votes
//! once per nomination (approve, reject, abstain); nobody sees a count before
//! the sitting closes; a nomination passes when the sitting had its quorum
//! and enough members approved. Quorum and threshold are movement data.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use Vote::*;

    fn votes(a: usize, r: usize, x: usize) -> Vec<Vote> {
        [vec![Approve; a], vec![Reject; r], vec![Abstain; x]].concat()
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
