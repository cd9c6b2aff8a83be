//! Units (đơn vị): every participant organisation, with a kind, a participant
//! category (which criteria set scores it) and a parent. The hierarchy is
//! data, so one install serves a district, a province or the country.

use super::date::{iso_date_opt, Date};
use super::text::{clean_line, search_key};
use super::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    District,
    Commune,
    Village,
    Department,
    Front,
    ArmedForces,
    VerticalSector,
    HealthFacility,
    Business,
    Media,
}

impl UnitKind {
    pub const ALL: [UnitKind; 11] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Village,
        UnitKind::Department,
        UnitKind::Front,
        UnitKind::ArmedForces,
        UnitKind::VerticalSector,
        UnitKind::HealthFacility,
        UnitKind::Business,
        UnitKind::Media,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Village => "village",
            UnitKind::Department => "department",
            UnitKind::Front => "front",
            UnitKind::ArmedForces => "armed_forces",
            UnitKind::VerticalSector => "vertical_sector",
            UnitKind::HealthFacility => "health_facility",
            UnitKind::Business => "business",
            UnitKind::Media => "media",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh, thành phố",
            UnitKind::District => "Huyện, quận, thị xã",
            UnitKind::Commune => "Xã, phường, thị trấn",
            UnitKind::Village => "Thôn, làng, tổ dân phố",
            UnitKind::Department => "Phòng, ban, ngành",
            UnitKind::Front => "Mặt trận Tổ quốc, đoàn thể",
            UnitKind::ArmedForces => "Lực lượng vũ trang",
            UnitKind::VerticalSector => "Đơn vị ngành dọc",
            UnitKind::HealthFacility => "Cơ sở y tế",
            UnitKind::Business => "Doanh nghiệp",
            UnitKind::Media => "Cơ quan truyền thông",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::Province => "Province",
            UnitKind::District => "District",
            UnitKind::Commune => "Commune / ward / town",
            UnitKind::Village => "Village",
            UnitKind::Department => "Department",
            UnitKind::Front => "Front / mass organisation",
            UnitKind::ArmedForces => "Armed forces",
            UnitKind::VerticalSector => "Vertical-sector unit",
            UnitKind::HealthFacility => "Health facility",
            UnitKind::Business => "Business",
            UnitKind::Media => "Media",
        }
    }

    /// Which kinds may be this kind's parent. Territorial units nest strictly;
    /// organisations sit under the territory that runs their movement.
    pub fn allowed_parents(self) -> &'static [UnitKind] {
        match self {
            UnitKind::Province => &[],
            UnitKind::District => &[UnitKind::Province],
            // Under a district before 1/7/2025, under the province since.
            UnitKind::Commune => &[UnitKind::District, UnitKind::Province],
            UnitKind::Village => &[UnitKind::Commune],
            _ => &[UnitKind::Province, UnitKind::District, UnitKind::Commune],
        }
    }

    /// The participant category a unit of this kind is scored in unless set
    /// otherwise (seed IV.1; SPEC §6.1). Province and district organise the
    /// movement and are not scored in it.
    pub fn default_category(self) -> Option<ParticipantCategory> {
        match self {
            UnitKind::Province | UnitKind::District => None,
            UnitKind::Commune | UnitKind::ArmedForces | UnitKind::VerticalSector => Some(ParticipantCategory::Commune),
            UnitKind::Village => Some(ParticipantCategory::Residents),
            UnitKind::Department => Some(ParticipantCategory::Department),
            UnitKind::Front => Some(ParticipantCategory::Front),
            UnitKind::HealthFacility => Some(ParticipantCategory::Frontline),
            UnitKind::Business => Some(ParticipantCategory::Business),
            UnitKind::Media => Some(ParticipantCategory::Media),
        }
    }
}

/// Participant categories of seed IV.1: each has its own criteria text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantCategory {
    Department,
    Commune,
    Front,
    Frontline,
    Business,
    Residents,
    Media,
}

impl ParticipantCategory {
    pub const ALL: [ParticipantCategory; 7] = [
        ParticipantCategory::Department,
        ParticipantCategory::Commune,
        ParticipantCategory::Front,
        ParticipantCategory::Frontline,
        ParticipantCategory::Business,
        ParticipantCategory::Residents,
        ParticipantCategory::Media,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParticipantCategory::Department => "department",
            ParticipantCategory::Commune => "commune",
            ParticipantCategory::Front => "front",
            ParticipantCategory::Frontline => "frontline",
            ParticipantCategory::Business => "business",
            ParticipantCategory::Residents => "residents",
            ParticipantCategory::Media => "media",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Short names of the seed's IV.1 groups, for pickers.
    pub fn label_vi(self) -> &'static str {
        match self {
            ParticipantCategory::Department => "Sở, ban, ngành, phòng, ban",
            ParticipantCategory::Commune => "Xã, thị trấn",
            ParticipantCategory::Front => "Mặt trận, đoàn thể",
            ParticipantCategory::Frontline => "Lực lượng tuyến đầu",
            ParticipantCategory::Business => "Doanh nghiệp",
            ParticipantCategory::Residents => "Khu dân cư",
            ParticipantCategory::Media => "Cơ quan báo chí",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ParticipantCategory::Department => "Departments",
            ParticipantCategory::Commune => "Communes and towns",
            ParticipantCategory::Front => "Front and mass organisations",
            ParticipantCategory::Frontline => "Frontline forces",
            ParticipantCategory::Business => "Businesses",
            ParticipantCategory::Residents => "Residential areas",
            ParticipantCategory::Media => "Press and media",
        }
    }
}

/// A unit as stored and shown. `id` is a stable key: `p62`, `d611`, `x23389`
/// for catalogue units (GSO codes), a slug for the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    pub category: Option<ParticipantCategory>,
    pub parent: Option<String>,
    /// The General Statistics Office code, for catalogue units.
    pub gso_code: Option<String>,
    /// Illustrative data (demo departments, villages…), shown as such.
    pub demo: bool,
    /// The days the unit existed (both inclusive; none: open-ended). A
    /// catalogue is versioned by these dates, never overwritten: the old
    /// Thị trấn Plei Kần ends on 30/6/2025 and today's Xã Bờ Y, with the
    /// same GSO code, begins on 1/7/2025.
    #[serde(default, with = "iso_date_opt", skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    #[serde(default, with = "iso_date_opt", skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
}

pub const UNIT_NAME_MAX: usize = 200;
pub const UNIT_ID_MAX: usize = 64;

impl Unit {
    pub fn search_key(&self) -> String {
        search_key(&self.name)
    }

    /// Whether the unit existed on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }

    /// Whether the unit existed on any day from `from` to `to`.
    pub fn valid_during(&self, from: Date, to: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= to) && self.valid_to.is_none_or(|t| from <= t)
    }

    /// Checks and normalises a unit before it is stored. The parent's kind is
    /// passed in (the caller looked it up) so the hierarchy rule holds.
    pub fn validate(mut self, parent_kind: Option<UnitKind>) -> Result<Unit, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !valid_unit_id(&self.id) {
            errors.push(FieldError::new(
                "id",
                "unit_id_format",
                "Mã đơn vị chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 64 ký tự).",
                "Unit id: lower-case ASCII letters, digits and hyphens, at most 64 characters.",
            ));
        }
        match clean_line(&self.name, UNIT_NAME_MAX) {
            Ok(name) => self.name = name,
            Err(p) => errors.push(FieldError::new("name", p.rule(), p.message_vi("Tên đơn vị"), p.message_en("Unit name"))),
        }
        if let (Some(f), Some(t)) = (self.valid_from, self.valid_to) {
            if t < f {
                errors.push(FieldError::new(
                    "valid_to",
                    "valid_range",
                    "Ngày hết hiệu lực phải từ ngày có hiệu lực trở đi.",
                    "The last valid day must not be before the first.",
                ));
            }
        }
        if self.parent.as_deref() == Some(self.id.as_str()) {
            errors.push(FieldError::new(
                "parent",
                "parent_not_self",
                "Đơn vị không thể là đơn vị cấp trên của chính nó.",
                "A unit cannot be its own parent.",
            ));
        }
        let allowed = self.kind.allowed_parents();
        match (parent_kind, allowed.is_empty()) {
            (None, false) => errors.push(FieldError::new(
                "parent",
                "parent_required",
                format!("{} phải thuộc một đơn vị cấp trên.", self.kind.label_vi()),
                format!("A {} needs a parent unit.", self.kind.label_en().to_lowercase()),
            )),
            (Some(pk), _) if !allowed.contains(&pk) => errors.push(FieldError::new(
                "parent",
                "parent_kind",
                format!("{} không thể trực thuộc {}.", self.kind.label_vi(), pk.label_vi().to_lowercase()),
                format!("A {} cannot sit under a {}.", self.kind.label_en().to_lowercase(), pk.label_en().to_lowercase()),
            )),
            _ => {}
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

pub fn valid_unit_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= UNIT_ID_MAX
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// Key of a catalogue unit from its GSO code and level.
pub fn catalogue_id(kind: UnitKind, gso_code: &str) -> String {
    let prefix = match kind {
        UnitKind::Province => "p",
        UnitKind::District => "d",
        _ => "x",
    };
    format!("{prefix}{gso_code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(name: &str) -> Unit {
        Unit {
            id: "x23389".into(),
            name: name.into(),
            kind: UnitKind::Commune,
            category: Some(ParticipantCategory::Commune),
            parent: Some("d611".into()),
            gso_code: Some("23389".into()),
            demo: false,
            valid_from: None,
            valid_to: Some(Date::from_calendar_date(2025, time::Month::June, 30).unwrap()),
        }
    }

    #[test]
    fn a_commune_sits_under_a_district() {
        assert!(commune("Xã Đắk Xú").validate(Some(UnitKind::District)).is_ok());
        assert!(commune("Xã Bờ Y").validate(Some(UnitKind::Province)).is_ok(), "two levels since 1/7/2025");
        let e = commune("Xã Đắk Xú").validate(Some(UnitKind::Village)).unwrap_err();
        assert_eq!(e[0].field, "parent");
        assert_eq!(e[0].rule, "parent_kind");
        let e = commune("Xã Đắk Xú").validate(None).unwrap_err();
        assert_eq!(e[0].rule, "parent_required");
    }

    #[test]
    fn a_unit_lives_between_its_dates() {
        let d = |y, m: u8, dd| Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), dd).unwrap();
        let plei_kan = commune("Thị trấn Plei Kần");
        assert!(plei_kan.valid_on(d(2021, 10, 31)));
        assert!(plei_kan.valid_on(d(2025, 6, 30)));
        assert!(!plei_kan.valid_on(d(2025, 7, 1)));
        assert!(plei_kan.valid_during(d(2025, 1, 1), d(2025, 12, 31)));
        assert!(!plei_kan.valid_during(d(2025, 7, 1), d(2025, 12, 31)));
        let mut bad = commune("Xã Bờ Y");
        bad.valid_from = Some(d(2025, 7, 1));
        let e = bad.validate(Some(UnitKind::Province)).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].rule.as_str()), ("valid_to", "valid_range"));
    }

    #[test]
    fn names_are_cleaned_and_checked() {
        let u = commune("  Xã   Đắk Xú ").validate(Some(UnitKind::District)).unwrap();
        assert_eq!(u.name, "Xã Đắk Xú");
        let e = commune("").validate(Some(UnitKind::District)).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].rule.as_str()), ("name", "required"));
    }

    #[test]
    fn ids_are_safe_keys() {
        assert!(valid_unit_id("x23389"));
        assert!(valid_unit_id("ngoc-hoi-phong-noi-vu"));
        assert!(!valid_unit_id("unit:x"));
        assert!(!valid_unit_id("Đắk"));
        assert!(!valid_unit_id(""));
        assert_eq!(catalogue_id(UnitKind::District, "611"), "d611");
    }

    #[test]
    fn kinds_map_to_seed_categories() {
        assert_eq!(UnitKind::ArmedForces.default_category(), Some(ParticipantCategory::Commune));
        assert_eq!(UnitKind::Village.default_category(), Some(ParticipantCategory::Residents));
        assert_eq!(UnitKind::District.default_category(), None);
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::from_code(k.code()), Some(k));
        }
    }
}
