//! The words of a printed administrative document (Nghị định 30/2020/NĐ-CP)
//! from the organiser's name and the movement's office: "UBND HUYỆN NGỌC
//! HỒI / PHÒNG NỘI VỤ" for a district in 2021, "UBND TỈNH QUẢNG NGÃI / SỞ
//! NỘI VỤ" for a province today, "UBND XÃ BỜ Y" for a commune. Nothing here
//! names a level of government itself: the level is the first words of the
//! organiser's own name.

use super::movement::Office;
use serde::{Deserialize, Serialize};

/// Prefixes of Vietnamese administrative unit names, longest first where one
/// starts another.
const LEVELS: [&str; 9] = ["Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Tỉnh", "Phường", "Đặc khu", "Xã"];

/// The place on a document's date line: the organiser's name without its
/// level ("Huyện Ngọc Hồi" → "Ngọc Hồi", "Tỉnh Quảng Ngãi" → "Quảng Ngãi").
pub fn place_of(organiser: &str) -> String {
    LEVELS.iter().find_map(|l| organiser.strip_prefix(l)?.strip_prefix(' ')).unwrap_or(organiser).to_string()
}

/// The organiser's level as it is written inside a sentence ("huyện",
/// "tỉnh", "xã", "thành phố"); empty when its name has no known level.
pub fn level_of(organiser: &str) -> String {
    LEVELS
        .iter()
        .find(|l| organiser.strip_prefix(**l).is_some_and(|rest| rest.starts_with(' ')))
        .map(|l| lower_first(l))
        .unwrap_or_default()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// The heading, number line, opening words, recipients and signature of a
/// report the organiser's office issues.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportWords {
    /// The body above the issuer: "UBND HUYỆN NGỌC HỒI" above its office;
    /// empty when the organiser issues in its own name.
    pub issuer: String,
    /// "PHÒNG NỘI VỤ", or "ỦY BAN NHÂN DÂN XÃ BỜ Y" with no office.
    pub body: String,
    /// "Số: ……/BC-PNV"
    pub number: String,
    /// Who reports, inside a sentence: "Phòng Nội vụ", "UBND huyện Ngọc Hồi".
    pub reporter: String,
    pub recipients: Vec<String>,
    /// "TRƯỞNG PHÒNG", or "TM. ỦY BAN NHÂN DÂN" and "CHỦ TỊCH".
    pub signer: Vec<String>,
    /// "Ngọc Hồi", for the date line.
    pub place: String,
}

/// The words of a consolidated report by `organiser` (its unit's name) and
/// the movement's `office`.
pub fn report_words(organiser: &str, office: &Office) -> ReportWords {
    let level = level_of(organiser);
    let of_level = |s: &str| if level.is_empty() { s.to_string() } else { format!("{s} {level}") };
    let (issuer, body, code, reporter, signer) = if office.is_empty() {
        (
            String::new(),
            format!("ỦY BAN NHÂN DÂN {}", organiser.to_uppercase()),
            "UBND".to_string(),
            format!("UBND {}", lower_first(organiser)),
            vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
        )
    } else {
        (
            format!("UBND {}", organiser.to_uppercase()),
            office.name_vi.to_uppercase(),
            office.code.trim().to_string(),
            office.name_vi.clone(),
            vec![office.signer_vi.to_uppercase()],
        )
    };
    let mut recipients = Vec::new();
    if !office.is_empty() {
        recipients.push(format!("- {} (b/c);", of_level("UBND")));
    }
    recipients.push(format!("- Thường trực {};", of_level("Hội đồng TĐKT")));
    recipients.push("- Các cụm, khối thi đua;".into());
    recipients.push(format!("- Lưu: VT, {code}."));
    ReportWords { issuer, body, number: format!("Số: ……/BC-{code}"), reporter, recipients, signer, place: place_of(organiser) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pnv() -> Office {
        Office { name_vi: "Phòng Nội vụ".into(), code: "PNV".into(), signer_vi: "Trưởng phòng".into() }
    }

    #[test]
    fn the_2021_district_report_reads_as_it_always_did() {
        let w = report_words("Huyện Ngọc Hồi", &pnv());
        assert_eq!(w.issuer, "UBND HUYỆN NGỌC HỒI");
        assert_eq!(w.body, "PHÒNG NỘI VỤ");
        assert_eq!(w.number, "Số: ……/BC-PNV");
        assert_eq!(w.place, "Ngọc Hồi");
        assert_eq!(
            w.recipients,
            ["- UBND huyện (b/c);", "- Thường trực Hội đồng TĐKT huyện;", "- Các cụm, khối thi đua;", "- Lưu: VT, PNV."]
        );
        assert_eq!(w.signer, ["TRƯỞNG PHÒNG"]);
    }

    #[test]
    fn a_province_and_a_commune_speak_for_themselves() {
        let sở = Office { name_vi: "Sở Nội vụ".into(), code: "SNV".into(), signer_vi: "Giám đốc".into() };
        let w = report_words("Tỉnh Quảng Ngãi", &sở);
        assert_eq!((w.issuer.as_str(), w.body.as_str(), w.place.as_str()), ("UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ", "Quảng Ngãi"));
        assert_eq!(w.recipients[0], "- UBND tỉnh (b/c);");
        assert_eq!(w.signer, ["GIÁM ĐỐC"]);
        let w = report_words("Xã Bờ Y", &Office::default());
        assert_eq!((w.issuer.as_str(), w.body.as_str(), w.number.as_str()), ("", "ỦY BAN NHÂN DÂN XÃ BỜ Y", "Số: ……/BC-UBND"));
        assert_eq!(w.reporter, "UBND xã Bờ Y");
        assert_eq!(w.recipients[0], "- Thường trực Hội đồng TĐKT xã;");
        assert_eq!(w.signer, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]);
        assert!(w.recipients.iter().all(|r| !r.contains("huyện")));
    }

    #[test]
    fn levels_come_from_the_name() {
        assert_eq!(place_of("Thành phố Kon Tum"), "Kon Tum");
        assert_eq!(level_of("Thành phố Kon Tum"), "thành phố");
        assert_eq!(level_of("Đặc khu Cát Hải"), "đặc khu");
        assert_eq!(place_of("Xãhội"), "Xãhội", "a prefix is a whole word");
        assert_eq!(level_of("Ban chỉ đạo"), "");
    }
}
