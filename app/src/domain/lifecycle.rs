//! Where a movement stands. The organiser prepares a draft (units see
//! nothing of it), publishes it (units file for it), closes it (nothing more
//! is filed; results, rankings and the tổng kết stay) and archives it (out of
//! the lists, still readable). Pure: the store reads the status, asks here,
//! then writes.

use super::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementStatus {
    Draft,
    /// Movements stored before there were statuses were all running.
    #[default]
    Published,
    Closed,
    Archived,
}

impl MovementStatus {
    pub const ALL: [MovementStatus; 4] = [Self::Draft, Self::Published, Self::Closed, Self::Archived];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Closed => "closed",
            Self::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Draft => "Bản nháp",
            Self::Published => "Đang triển khai",
            Self::Closed => "Đã kết thúc",
            Self::Archived => "Đã lưu trữ",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Published => "Running",
            Self::Closed => "Closed",
            Self::Archived => "Archived",
        }
    }

    /// The steps an organiser may take from here: a closed movement may be
    /// reopened (a deadline extended by decision), an archived one brought
    /// back to the closed list; a draft is never archived unpublished, and
    /// nothing returns to draft once units may have filed for it.
    pub fn next(self) -> &'static [MovementStatus] {
        match self {
            Self::Draft => &[Self::Published],
            Self::Published => &[Self::Closed],
            Self::Closed => &[Self::Published, Self::Archived],
            Self::Archived => &[Self::Closed],
        }
    }

    /// The button that takes a movement from here to `to`.
    pub fn step_label_vi(self, to: MovementStatus) -> &'static str {
        match (self, to) {
            (Self::Draft, Self::Published) => "Công bố",
            (Self::Closed, Self::Published) => "Mở lại",
            (Self::Archived, Self::Closed) => "Bỏ lưu trữ",
            (_, Self::Closed) => "Kết thúc",
            (_, Self::Archived) => "Lưu trữ",
            _ => to.label_vi(),
        }
    }

    pub fn step_label_en(self, to: MovementStatus) -> &'static str {
        match (self, to) {
            (Self::Draft, Self::Published) => "Publish",
            (Self::Closed, Self::Published) => "Reopen",
            (Self::Archived, Self::Closed) => "Unarchive",
            (_, Self::Closed) => "Close",
            (_, Self::Archived) => "Archive",
            _ => to.label_en(),
        }
    }

    /// Whether units file for it (the phone gets its form).
    pub fn takes_reports(self) -> bool {
        self == Self::Published
    }

    /// How a change to the movement is saved from here, or why it is not: a
    /// draft in place, a running movement as a new version
    /// (`domain::version`); a closed or archived one keeps what it was.
    pub fn edit(self) -> Result<Edit, FieldError> {
        match self {
            Self::Draft => Ok(Edit::InPlace),
            Self::Published => Ok(Edit::NewVersion),
            Self::Closed | Self::Archived => Err(FieldError::new(
                "status",
                "editable",
                format!("Phong trào “{}” không sửa được; mở lại trước khi sửa.", self.label_vi()),
                format!("A movement that is “{}” cannot be edited; reopen it first.", self.label_en()),
            )),
        }
    }

    /// The step from here to `to`, or why not, naming the field `status`.
    pub fn check_step(self, to: MovementStatus) -> Result<(), FieldError> {
        if self.next().contains(&to) {
            return Ok(());
        }
        let allowed = |f: fn(MovementStatus) -> &'static str| self.next().iter().map(|s| f(*s)).collect::<Vec<_>>().join(", ");
        Err(FieldError::new(
            "status",
            "status_step",
            format!("Phong trào “{}” không chuyển sang “{}” được; chỉ sang: {}.", self.label_vi(), to.label_vi(), allowed(Self::label_vi)),
            format!("A movement that is “{}” cannot become “{}”; only: {}.", self.label_en(), to.label_en(), allowed(Self::label_en)),
        ))
    }
}

/// How a change to a movement is saved (`MovementStatus::edit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    InPlace,
    NewVersion,
}

#[cfg(test)]
mod tests {
    use super::MovementStatus::{self, *};

    #[test]
    fn a_draft_is_edited_in_place_a_running_movement_by_versions_and_no_other() {
        assert_eq!(Draft.edit(), Ok(super::Edit::InPlace));
        assert_eq!(Published.edit(), Ok(super::Edit::NewVersion));
        for s in [Closed, Archived] {
            assert_eq!(s.edit().unwrap_err().rule, "editable");
        }
    }

    #[test]
    fn every_step_an_organiser_may_take_and_no_other() {
        let allowed = [(Draft, Published), (Published, Closed), (Closed, Published), (Closed, Archived), (Archived, Closed)];
        for from in MovementStatus::ALL {
            for to in MovementStatus::ALL {
                let ok = from.check_step(to).is_ok();
                assert_eq!(ok, allowed.contains(&(from, to)), "{from:?} → {to:?}");
            }
        }
        let e = Draft.check_step(Archived).unwrap_err();
        assert_eq!((e.field.as_str(), e.rule.as_str()), ("status", "status_step"));
        assert_eq!(e.message_vi, "Phong trào “Bản nháp” không chuyển sang “Đã lưu trữ” được; chỉ sang: Đang triển khai.");
    }

    #[test]
    fn codes_read_back_and_only_a_published_movement_takes_reports() {
        for s in MovementStatus::ALL {
            assert_eq!(MovementStatus::parse(s.code()), Some(s));
            assert_eq!(s.takes_reports(), s == Published);
        }
        assert_eq!(MovementStatus::parse("running"), None);
        assert_eq!(serde_json::to_string(&Closed).unwrap(), "\"closed\"");
    }
}
