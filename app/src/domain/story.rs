//! An exemplary story (gương điển hình) a unit sends for the showcase
//! (SPEC §5.8): a title, the content area it belongs to, and the story.
//! The media officer edits and publishes it.

use super::text::check_text;
use super::FieldError;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 8_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryBody {
    pub unit: String,
    pub title: String,
    /// A content area code of the movement.
    pub area: String,
    pub text: String,
    /// The movement it is filed in (its content areas); absent from a phone
    /// of before several movements: the unit's default movement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<String>,
    /// Pictures and documents the story carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<super::attachment::FileRef>,
}

impl StoryBody {
    pub fn validate(&self, own_unit: &str, areas: &[String]) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.unit != own_unit {
            e.push(FieldError::new("unit", "own_unit", "Chỉ gửi được cho chính đơn vị mình.", "Only for your own unit."));
        }
        e.extend(check_text("title", "Tiêu đề", "Title", &self.title, TITLE_MAX, true));
        if !areas.iter().any(|a| a == &self.area) {
            e.push(FieldError::new("area", "known_area", "Chọn một nội dung thi đua.", "Choose a content area."));
        }
        e.extend(check_text("text", "Nội dung câu chuyện", "Story", &self.text, TEXT_MAX, true));
        e.extend(super::attachment::check_refs(&self.files, None));
        e
    }

    #[cfg(feature = "ssr")]
    pub fn normalize(&mut self) {
        use super::text::nfc;
        self.title = nfc(self.title.trim());
        self.text = nfc(self.text.trim());
    }
}
