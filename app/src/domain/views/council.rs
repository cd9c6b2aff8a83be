//! The nominations desk, a member's ballot and a sitting's minutes.

use crate::domain::award::{NomineeKind, RuleViolation};
use crate::domain::council::{Outcome, Stage, Tally, Vote};
use crate::domain::sync::ReviewStatus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationRow {
    pub id: String,
    pub unit_name: String,
    pub nominee_kind: NomineeKind,
    pub name: String,
    pub form: String,
    pub form_name: String,
    pub posthumous: bool,
    pub status: ReviewStatus,
    pub stage: Stage,
    pub received: String,
    /// The unit's revision (2 and up: corrected after a return).
    #[serde(default)]
    pub revision: u32,
    /// Broken award rules (empty: eligible).
    pub violations: Vec<RuleViolation>,
    /// The district decides this form itself (else it is forwarded up).
    pub district_decides: bool,
    pub decision_number: Option<String>,
    /// The certificate's verification code.
    pub decision_code: Option<String>,
    /// The evidence files the unit sent with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<crate::domain::attachment::FileRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationDesk {
    pub rows: Vec<NominationRow>,
    pub sittings: Vec<SittingRow>,
    /// Active council member accounts.
    pub council_members: u32,
    pub rule_vi: String,
    /// Who runs the movement ("Huyện Ngọc Hồi") and the forms it decides
    /// itself under today's rules (`council::organiser_forms_vi`).
    #[serde(default)]
    pub organiser_name: String,
    #[serde(default)]
    pub organiser_decides_vi: String,
    /// The movement shown, and those the officer may pick.
    #[serde(default)]
    pub movement: String,
    #[serde(default)]
    pub movements: Vec<super::MovementChoice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SittingRow {
    pub id: String,
    pub title: String,
    pub opened_at: String,
    pub closed: bool,
    pub nominations: u32,
    /// Members who have voted on anything so far (never how).
    pub voted: u32,
    pub members: u32,
}

/// A nomination on a council member's ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotItem {
    pub sitting: String,
    pub sitting_title: String,
    pub nomination: String,
    pub unit_name: String,
    pub nominee_kind: NomineeKind,
    pub name: String,
    pub position: String,
    pub form_name: String,
    pub posthumous: bool,
    pub summary: String,
    pub contributions: String,
    /// This member's own vote, once cast.
    pub mine: Option<Vote>,
    /// The evidence files the unit sent with the nomination.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<crate::domain::attachment::FileRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinutesRow {
    pub nomination: String,
    pub unit_name: String,
    pub name: String,
    pub form_name: String,
    pub tally: Tally,
    pub outcome: Outcome,
}

/// The minutes of a closed sitting: who attended, the rule, the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Minutes {
    pub id: String,
    pub title: String,
    pub opened_at: String,
    pub closed_at: String,
    pub members: Vec<String>,
    pub attended: Vec<String>,
    pub rule_vi: String,
    pub rows: Vec<MinutesRow>,
}
