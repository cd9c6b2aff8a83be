//! A difficulty (khó khăn, vướng mắc) a unit raises with the district
//! (SPEC §5.9): a title and the details. The district answers it.

use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const DETAILS_MAX: usize = 4_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DifficultyBody {
    pub unit: String,
    pub title: String,
    pub details: String,
}

impl DifficultyBody {
    pub fn validate(&self, own_unit: &str) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.unit != own_unit {
            e.push(FieldError::new("unit", "own_unit", "Chỉ gửi được cho chính đơn vị mình.", "Only for your own unit."));
        }
        e.extend(check_text("title", "Tiêu đề", "Title", &self.title, TITLE_MAX, true));
        e.extend(check_text("details", "Nội dung", "Details", &self.details, DETAILS_MAX, true));
        e
    }

    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        self.title = nfc(self.title.trim());
        self.details = nfc(self.details.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_details_are_required_and_bounded() {
        let ok = DifficultyBody {
            unit: "x".into(), title: "Thiếu vắc xin".into(), details: "Thôn 3 còn 120 người chưa tiêm.".into()
        };
        assert!(ok.validate("x").is_empty());
        let bad = DifficultyBody { unit: "y".into(), title: " ".into(), details: "d".repeat(DETAILS_MAX + 1) };
        let rules: Vec<String> = bad.validate("x").iter().map(|e| format!("{}:{}", e.field, e.rule)).collect();
        assert_eq!(rules, ["unit:own_unit", "title:required", "details:max_length"]);
    }
}
