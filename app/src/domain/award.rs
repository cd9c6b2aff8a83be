//! Award forms (hình thức khen thưởng) and the eligibility rules that decide
//! who may be nominated for which form. Rules are versioned data tied to the
//! legal basis in force on the nomination date (SPEC §7): the seed's 2021
//! rules are version 1; a later decree is a new version, not new code.

use super::date::{self, Date};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NomineeKind {
    Collective,
    Individual,
    Household,
}

impl NomineeKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            NomineeKind::Collective => "tập thể",
            NomineeKind::Individual => "cá nhân",
            NomineeKind::Household => "hộ gia đình",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            NomineeKind::Collective => "collective",
            NomineeKind::Individual => "individual",
            NomineeKind::Household => "household",
        }
    }
}

/// Who decides a form, from the district's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionLevel {
    Central,
    Province,
    District,
    Commune,
    Agency,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwardForm {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub decided_by_vi: String,
    pub decided_by_en: String,
    pub level: DecisionLevel,
    /// 1 is the highest form.
    pub rank: u8,
    pub nominee_kinds: Vec<NomineeKind>,
    pub posthumous_allowed: bool,
    /// The standard of seed IV.2.b, as written.
    pub standard_vi: String,
}

/// One version of the eligibility rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EligibilityRules {
    pub version: u32,
    pub legal_basis_vi: String,
    #[serde(with = "date::iso_date")]
    pub in_force_from: Date,
    #[serde(with = "date::iso_date_opt", default)]
    pub in_force_until: Option<Date>,
    /// Forms the district itself decides; every other form is forwarded up.
    pub district_decides: Vec<String>,
    /// A nominee may hold at most one open nomination per movement.
    pub one_open_nomination_per_nominee: bool,
    /// Posthumous awards go to individuals only.
    pub posthumous_individuals_only: bool,
}

impl EligibilityRules {
    pub fn in_force_on(&self, d: Date) -> bool {
        d >= self.in_force_from && self.in_force_until.is_none_or(|u| d <= u)
    }
}

/// Picks the rules in force on a date; the newest version wins an overlap.
pub fn rules_on(rules: &[EligibilityRules], d: Date) -> Option<&EligibilityRules> {
    rules.iter().filter(|r| r.in_force_on(d)).max_by_key(|r| r.version)
}

/// The facts of a nomination that eligibility depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct NominationFacts<'a> {
    pub nominee_kind: NomineeKind,
    pub form_code: &'a str,
    pub posthumous: bool,
    pub nominated_on: Date,
    /// Other open nominations of the same nominee in this movement.
    pub other_open_nominations: usize,
}

/// Where an eligible nomination goes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// The district council votes; the district chair decides.
    DistrictDecides,
    /// The council votes; the list goes up to the deciding level.
    ForwardUp(DecisionLevel),
}

/// A broken rule: its code, the rules version, and the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleViolation {
    pub rule: String,
    pub rules_version: u32,
    pub message_vi: String,
    pub message_en: String,
}

/// Whether the organiser itself decides `form` under the rules in force on
/// `on` (its chair's Giấy khen): only such awards print as its certificate;
/// a higher form is the deciding level's to issue.
pub fn organiser_decides(rules: &[EligibilityRules], form: &str, on: Date) -> bool {
    rules_on(rules, on).is_some_and(|r| r.district_decides.iter().any(|c| c == form))
}

pub fn check_eligibility(forms: &[AwardForm], rules: &[EligibilityRules], n: &NominationFacts<'_>) -> Result<Route, Vec<RuleViolation>> {
    let Some(r) = rules_on(rules, n.nominated_on) else {
        return Err(vec![RuleViolation {
            rule: "rules_in_force".into(),
            rules_version: 0,
            message_vi: format!("Không có quy định khen thưởng nào có hiệu lực vào ngày {}.", date::format_vi(n.nominated_on)),
            message_en: format!("No award rules are in force on {}.", date::to_iso(n.nominated_on)),
        }]);
    };
    let v =
        |rule: &str, vi: String, en: String| RuleViolation { rule: rule.into(), rules_version: r.version, message_vi: vi, message_en: en };
    let Some(form) = forms.iter().find(|f| f.code == n.form_code) else {
        return Err(vec![v(
            "known_form",
            format!("Hình thức khen thưởng \"{}\" không có trong phong trào.", n.form_code),
            format!("Award form \"{}\" is not part of this movement.", n.form_code),
        )]);
    };
    let mut out = Vec::new();
    if !form.nominee_kinds.contains(&n.nominee_kind) {
        out.push(v(
            "form_nominee_kind",
            format!("{} không tặng cho {}.", form.name_vi, n.nominee_kind.label_vi()),
            format!("{} is not awarded to a {}.", form.name_en, n.nominee_kind.label_en()),
        ));
    }
    if n.posthumous {
        if r.posthumous_individuals_only && n.nominee_kind != NomineeKind::Individual {
            out.push(v(
                "posthumous_individual_only",
                "Truy tặng chỉ áp dụng cho cá nhân.".into(),
                "Posthumous awards apply to individuals only.".into(),
            ));
        } else if !form.posthumous_allowed {
            out.push(v(
                "form_posthumous",
                format!("{} không có hình thức truy tặng.", form.name_vi),
                format!("{} cannot be awarded posthumously.", form.name_en),
            ));
        }
    }
    if r.one_open_nomination_per_nominee && n.other_open_nominations > 0 {
        out.push(v(
            "one_open_nomination",
            "Đối tượng này đang có một đề nghị khen thưởng khác chưa xử lý xong trong phong trào.".into(),
            "This nominee already has another open nomination in this movement.".into(),
        ));
    }
    if !out.is_empty() {
        return Err(out);
    }
    if r.district_decides.iter().any(|c| c == &form.code) {
        Ok(Route::DistrictDecides)
    } else {
        Ok(Route::ForwardUp(form.level))
    }
}

impl DecisionLevel {
    pub const ALL: [DecisionLevel; 5] =
        [DecisionLevel::Central, DecisionLevel::Province, DecisionLevel::District, DecisionLevel::Commune, DecisionLevel::Agency];
    pub fn code(self) -> &'static str {
        match self {
            DecisionLevel::Central => "central",
            DecisionLevel::Province => "province",
            DecisionLevel::District => "district",
            DecisionLevel::Commune => "commune",
            DecisionLevel::Agency => "agency",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            DecisionLevel::Central => "Trung ương",
            DecisionLevel::Province => "Cấp tỉnh",
            DecisionLevel::District => "Cấp huyện",
            DecisionLevel::Commune => "Cấp xã",
            DecisionLevel::Agency => "Cơ quan, đơn vị",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            DecisionLevel::Central => "Central",
            DecisionLevel::Province => "Province",
            DecisionLevel::District => "District",
            DecisionLevel::Commune => "Commune",
            DecisionLevel::Agency => "Agency or department",
        }
    }
}

impl DecisionLevel {
    /// The level a territory decides at, as an organiser; other units
    /// (departments, organisations) decide as agencies.
    pub fn of_unit(kind: super::unit::UnitKind) -> DecisionLevel {
        use super::unit::UnitKind;
        match kind {
            UnitKind::Province => DecisionLevel::Province,
            UnitKind::District => DecisionLevel::District,
            UnitKind::Commune => DecisionLevel::Commune,
            _ => DecisionLevel::Agency,
        }
    }
}

/// The title a certificate prints for a form, from its name: "Bằng khen của
/// Chủ tịch UBND tỉnh" → "Bằng khen", "Giấy khen của …" → "Giấy khen".
pub fn certificate_title(form_name: &str) -> &str {
    form_name.split(" của ").next().unwrap_or(form_name).trim()
}

/// Award forms and eligibility rules that hold together; every error names
/// its field (`award_forms.CODE.…`, `eligibility.vN.…`).
pub fn check_award_rules(forms: &[AwardForm], rules: &[EligibilityRules]) -> Vec<super::FieldError> {
    use super::FieldError;
    let mut e = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in forms {
        let at = |what: &str| format!("award_forms.{}.{what}", f.code);
        if !seen.insert(f.code.as_str()) {
            e.push(FieldError::new(
                "award_forms",
                "unique_code",
                format!("Mã hình thức \"{}\" bị trùng.", f.code),
                format!("Award form code \"{}\" is used twice.", f.code),
            ));
        }
        if !super::unit::valid_unit_id(&f.code) {
            e.push(FieldError::new(
                at("code"),
                "form_code",
                format!("Mã hình thức \"{}\" chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.", f.code),
                format!("Award form code \"{}\" holds lower-case ASCII letters, digits and hyphens only.", f.code),
            ));
        }
        if f.name_vi.trim().is_empty() {
            e.push(FieldError::new(at("name_vi"), "required", "Hình thức khen thưởng cần có tên.", "An award form needs a name."));
        }
        if f.decided_by_vi.trim().is_empty() {
            e.push(FieldError::new(
                at("decided_by_vi"),
                "required",
                format!("Cần ghi ai quyết định \"{}\".", f.name_vi),
                format!("Say who decides \"{}\".", f.code),
            ));
        }
        if f.nominee_kinds.is_empty() {
            e.push(FieldError::new(
                at("nominee_kinds"),
                "some_nominee_kind",
                format!("\"{}\" cần ít nhất một đối tượng (cá nhân, tập thể, hộ gia đình).", f.name_vi),
                format!("\"{}\" needs at least one kind of nominee.", f.code),
            ));
        }
        if f.rank == 0 {
            e.push(FieldError::new(at("rank"), "range", "Thứ bậc từ 1 (cao nhất) trở lên.", "Rank is 1 (highest) or more."));
        }
    }
    let mut versions = std::collections::HashSet::new();
    for r in rules {
        let at = |what: &str| format!("eligibility.v{}.{what}", r.version);
        if !versions.insert(r.version) {
            e.push(FieldError::new(
                "eligibility",
                "unique_version",
                format!("Quy định phiên bản {} bị trùng.", r.version),
                format!("Rules version {} is used twice.", r.version),
            ));
        }
        if r.legal_basis_vi.trim().is_empty() {
            e.push(FieldError::new(at("legal_basis_vi"), "required", "Cần ghi căn cứ pháp lý.", "The legal basis is required."));
        }
        if r.in_force_until.is_some_and(|u| u < r.in_force_from) {
            e.push(FieldError::new(
                at("in_force_until"),
                "date_order",
                "Ngày hết hiệu lực phải sau ngày có hiệu lực.",
                "The end of force comes after its start.",
            ));
        }
        for code in &r.district_decides {
            if !forms.iter().any(|f| &f.code == code) {
                e.push(FieldError::new(
                    at("district_decides"),
                    "known_form",
                    format!("Hình thức \"{code}\" không có trong danh sách."),
                    format!("Award form \"{code}\" is not defined."),
                ));
            }
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn forms() -> Vec<AwardForm> {
        let f = |code: &str, level, rank, kinds: Vec<NomineeKind>, post| AwardForm {
            code: code.into(),
            name_vi: code.into(),
            name_en: code.into(),
            decided_by_vi: String::new(),
            decided_by_en: String::new(),
            level,
            rank,
            nominee_kinds: kinds,
            posthumous_allowed: post,
            standard_vi: String::new(),
        };
        use NomineeKind::*;
        vec![
            f("huan-chuong-lao-dong", DecisionLevel::Central, 1, vec![Collective, Individual], true),
            f("giay-khen-huyen", DecisionLevel::District, 4, vec![Collective, Individual, Household], false),
        ]
    }

    fn rules() -> Vec<EligibilityRules> {
        vec![EligibilityRules {
            version: 1,
            legal_basis_vi: "Kế hoạch 2021".into(),
            in_force_from: date!(2021 - 09 - 30),
            in_force_until: None,
            district_decides: vec!["giay-khen-huyen".into()],
            one_open_nomination_per_nominee: true,
            posthumous_individuals_only: true,
        }]
    }

    #[test]
    fn award_rules_that_do_not_hold_together_are_named_by_field() {
        let mut f = forms();
        for x in &mut f {
            x.decided_by_vi = "Chủ tịch UBND".into();
        }
        let mut r = rules();
        assert!(check_award_rules(&f, &r).is_empty());
        f[0].code = "Huân chương".into();
        f[1].nominee_kinds.clear();
        r[0].in_force_until = Some(date!(2021 - 01 - 01));
        r[0].district_decides.push("khong-co".into());
        let got: Vec<(String, String)> = check_award_rules(&f, &r).into_iter().map(|e| (e.field, e.rule)).collect();
        let want = [
            ("award_forms.Huân chương.code", "form_code"),
            ("award_forms.giay-khen-huyen.nominee_kinds", "some_nominee_kind"),
            ("eligibility.v1.in_force_until", "date_order"),
            ("eligibility.v1.district_decides", "known_form"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn a_deciding_levels_code_is_its_name_in_files() {
        for l in DecisionLevel::ALL {
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{}\"", l.code()));
            assert_eq!(DecisionLevel::parse(l.code()), Some(l));
        }
    }

    fn facts(kind: NomineeKind, form: &str) -> NominationFacts<'_> {
        NominationFacts {
            nominee_kind: kind,
            form_code: form,
            posthumous: false,
            nominated_on: date!(2021 - 12 - 01),
            other_open_nominations: 0,
        }
    }

    #[test]
    fn household_gets_only_giay_khen() {
        let e = check_eligibility(&forms(), &rules(), &facts(NomineeKind::Household, "huan-chuong-lao-dong")).unwrap_err();
        assert_eq!(e[0].rule, "form_nominee_kind");
        assert_eq!(check_eligibility(&forms(), &rules(), &facts(NomineeKind::Household, "giay-khen-huyen")), Ok(Route::DistrictDecides));
    }

    #[test]
    fn higher_forms_are_forwarded() {
        assert_eq!(
            check_eligibility(&forms(), &rules(), &facts(NomineeKind::Individual, "huan-chuong-lao-dong")),
            Ok(Route::ForwardUp(DecisionLevel::Central))
        );
    }

    #[test]
    fn posthumous_rules() {
        let mut f = facts(NomineeKind::Collective, "huan-chuong-lao-dong");
        f.posthumous = true;
        assert_eq!(check_eligibility(&forms(), &rules(), &f).unwrap_err()[0].rule, "posthumous_individual_only");
        let mut f = facts(NomineeKind::Individual, "giay-khen-huyen");
        f.posthumous = true;
        assert_eq!(check_eligibility(&forms(), &rules(), &f).unwrap_err()[0].rule, "form_posthumous");
        let mut f = facts(NomineeKind::Individual, "huan-chuong-lao-dong");
        f.posthumous = true;
        assert!(check_eligibility(&forms(), &rules(), &f).is_ok());
    }

    #[test]
    fn one_open_nomination_and_dates() {
        let mut f = facts(NomineeKind::Individual, "giay-khen-huyen");
        f.other_open_nominations = 1;
        assert_eq!(check_eligibility(&forms(), &rules(), &f).unwrap_err()[0].rule, "one_open_nomination");
        let mut f = facts(NomineeKind::Individual, "giay-khen-huyen");
        f.nominated_on = date!(2021 - 01 - 01);
        assert_eq!(check_eligibility(&forms(), &rules(), &f).unwrap_err()[0].rule, "rules_in_force");
    }

    #[test]
    fn newest_version_in_force_wins() {
        let mut rs = rules();
        let mut v2 = rs[0].clone();
        v2.version = 2;
        v2.in_force_from = date!(2024 - 01 - 01);
        v2.district_decides = vec![];
        rs[0].in_force_until = Some(date!(2023 - 12 - 31));
        rs.push(v2);
        assert_eq!(rules_on(&rs, date!(2022 - 06 - 01)).unwrap().version, 1);
        assert_eq!(rules_on(&rs, date!(2025 - 06 - 01)).unwrap().version, 2);
        assert_eq!(
            check_eligibility(
                &forms(),
                &rs,
                &NominationFacts { nominated_on: date!(2025 - 06 - 01), ..facts(NomineeKind::Individual, "giay-khen-huyen") }
            ),
            Ok(Route::ForwardUp(DecisionLevel::District))
        );
    }

    #[test]
    fn a_certificate_is_titled_by_its_form() {
        assert_eq!(certificate_title("Bằng khen của Chủ tịch UBND tỉnh"), "Bằng khen");
        assert_eq!(certificate_title("Giấy khen của Chủ tịch UBND huyện"), "Giấy khen");
        assert_eq!(certificate_title("Giấy khen"), "Giấy khen");
    }
}
