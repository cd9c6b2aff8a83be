//! A nomination for an award (SPEC §7) as a unit files it: the nominee, what
//! they did, and the form requested. The award-form rules of the movement
//! (versioned, by nomination date) are checked on the phone and again on the
//! server, each refusal naming its rule.

use super::award::{check_eligibility, AwardForm, EligibilityRules, NominationFacts, NomineeKind};
use super::date::{parse_iso, Date};
use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const CONTRIBUTIONS_MAX: usize = 4_000;
/// A nomination's date picks the award rules in force; it is the day it was
/// filled in on the phone. It may trail the checking clock by the weeks a
/// phone can stay offline, and lead it by a day (time zones, a fast clock),
/// but no more: a date chosen to fall under older or newer rules is refused.
pub const NOMINATED_ON_MAX_BEHIND_DAYS: i64 = 45;
pub const NOMINATED_ON_MAX_AHEAD_DAYS: i64 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationBody {
    pub unit: String,
    pub nominee_kind: NomineeKind,
    pub name: String,
    /// Individuals only.
    #[serde(default)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub workplace: String,
    pub summary: String,
    #[serde(default)]
    pub contributions: String,
    /// The award form requested (its code).
    pub form: String,
    #[serde(default)]
    pub posthumous: bool,
    /// yyyy-mm-dd: the rules in force on this date apply.
    pub nominated_on: String,
    /// The movement it is filed in (`ReportForm::movement`), whose award
    /// rules apply. Absent from a phone of before several movements: the
    /// unit's default movement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<String>,
    /// Scanned documents and pictures that support it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<super::attachment::FileRef>,
}

impl NominationBody {
    /// `today` (the phone's or the server's clock, in Vietnam) bounds the
    /// birth year and the nomination's date.
    pub fn validate(&self, own_unit: &str, forms: &[AwardForm], rules: &[EligibilityRules], today: Date) -> Vec<FieldError> {
        let this_year = today.year();
        let mut e = Vec::new();
        if self.unit != own_unit {
            e.push(FieldError::new("unit", "own_unit", "Chỉ đề nghị từ chính đơn vị mình.", "Only from your own unit."));
        }
        e.extend(check_text("name", "Tên đối tượng", "Nominee name", &self.name, NAME_MAX, true));
        let individual = self.nominee_kind == NomineeKind::Individual;
        if individual {
            match self.birth_year {
                None => e.push(FieldError::new("birth_year", "required", "Năm sinh không được để trống.", "Birth year is required.")),
                Some(y) if y < 1900 || y > this_year => e.push(FieldError::new(
                    "birth_year",
                    "range",
                    format!("Năm sinh phải từ 1900 đến {this_year}."),
                    format!("Birth year must be between 1900 and {this_year}."),
                )),
                _ => {}
            }
            if self.gender.is_none() {
                e.push(FieldError::new("gender", "required", "Chọn giới tính.", "Choose the gender."));
            }
            e.extend(check_text("position", "Chức vụ", "Position", &self.position, SHORT_MAX, true));
            e.extend(check_text("workplace", "Nơi công tác", "Workplace", &self.workplace, SHORT_MAX, true));
        }
        e.extend(check_text("ethnicity", "Dân tộc", "Ethnicity", &self.ethnicity, SHORT_MAX, individual));
        e.extend(check_text("summary", "Tóm tắt thành tích", "Achievement summary", &self.summary, SUMMARY_MAX, true));
        e.extend(check_text("contributions", "Đóng góp", "Contributions", &self.contributions, CONTRIBUTIONS_MAX, false));
        match parse_iso(&self.nominated_on) {
            None => e.push(FieldError::new("nominated_on", "date", "Ngày đề nghị không hợp lệ.", "Invalid nomination date.")),
            Some(d) if (d - today).whole_days() > NOMINATED_ON_MAX_AHEAD_DAYS || (today - d).whole_days() > NOMINATED_ON_MAX_BEHIND_DAYS => {
                e.push(FieldError::new(
                    "nominated_on",
                    "nominated_on_recent",
                    format!("Ngày đề nghị phải trong khoảng {NOMINATED_ON_MAX_BEHIND_DAYS} ngày trước đến {NOMINATED_ON_MAX_AHEAD_DAYS} ngày sau hôm nay."),
                    format!("The nomination date must be between {NOMINATED_ON_MAX_BEHIND_DAYS} days before and {NOMINATED_ON_MAX_AHEAD_DAYS} day after today."),
                ))
            }
            Some(d) => {
                let facts = NominationFacts {
                    nominee_kind: self.nominee_kind,
                    form_code: &self.form,
                    posthumous: self.posthumous,
                    nominated_on: d,
                    // Open nominations of the same nominee are the district's
                    // check (it sees them all).
                    other_open_nominations: 0,
                };
                if let Err(vs) = check_eligibility(forms, rules, &facts) {
                    e.extend(vs.into_iter().map(|v| FieldError::new("form", v.rule, v.message_vi, v.message_en)));
                }
            }
        }
        e.extend(super::attachment::check_refs(&self.files, None));
        e
    }

    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        for s in [&mut self.name, &mut self.ethnicity, &mut self.position, &mut self.workplace, &mut self.summary, &mut self.contributions]
        {
            *s = nfc(s.trim());
        }
        if self.nominee_kind != NomineeKind::Individual {
            // Personal facts belong to individuals only.
            self.birth_year = None;
            self.gender = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dated(on: &str) -> NominationBody {
        NominationBody {
            files: Vec::new(),
            unit: "x".into(),
            nominee_kind: NomineeKind::Collective,
            name: "Tổ COVID cộng đồng thôn 3".into(),
            birth_year: None,
            gender: None,
            ethnicity: String::new(),
            position: String::new(),
            workplace: String::new(),
            summary: "Hoàn thành xuất sắc nhiệm vụ".into(),
            contributions: String::new(),
            form: "giay-khen".into(),
            posthumous: false,
            nominated_on: on.into(),
            movement: None,
        }
    }

    #[test]
    fn a_nomination_is_dated_near_today_so_its_date_cannot_pick_the_rules() {
        let today = date!(2026 - 12 - 06);
        let rule = |on: &str| dated(on).validate("x", &[], &[], today).into_iter().find(|e| e.field == "nominated_on").map(|e| e.rule);
        assert_eq!(rule("2026-12-06"), None);
        assert_eq!(rule("2026-10-25"), None, "typed on a phone offline for six weeks");
        assert_eq!(rule("2026-12-07"), None, "a day ahead: another time zone");
        assert_eq!(rule("2021-12-01").as_deref(), Some("nominated_on_recent"), "back-dated under the 2021 rules");
        assert_eq!(rule("2026-12-09").as_deref(), Some("nominated_on_recent"));
        assert_eq!(rule("hôm nay").as_deref(), Some("date"));
    }
}
