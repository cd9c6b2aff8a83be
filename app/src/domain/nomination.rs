//! A nomination for an award (SPEC §7) as a unit files it: the nominee, what
//! they did, and the form requested. The award-form rules of the movement
//! (versioned, by nomination date) are checked on the phone and again on the
//! server, each refusal naming its rule.

use super::award::{check_eligibility, AwardForm, EligibilityRules, NominationFacts, NomineeKind};
use super::date::parse_iso;
use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const CONTRIBUTIONS_MAX: usize = 4_000;

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
}

impl NominationBody {
    /// `this_year` bounds the birth year (the phone's or the server's clock).
    pub fn validate(&self, own_unit: &str, forms: &[AwardForm], rules: &[EligibilityRules], this_year: i32) -> Vec<FieldError> {
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
        e
    }

    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        for s in [&mut self.name, &mut self.ethnicity, &mut self.position, &mut self.workplace, &mut self.summary, &mut self.contributions] {
            *s = nfc(s.trim());
        }
        if self.nominee_kind != NomineeKind::Individual {
            // Personal facts belong to individuals only.
            self.birth_year = None;
            self.gender = None;
        }
    }
}
