//! Rows of the official administrative catalogue (General Statistics Office
//! export layout, SPEC §10): province, district, commune with their codes.
//! Parsing rules and the import's report types live here; reading the file
//! and writing the database are `store::catalogue_import`.

use super::text::clean_line;
use serde::{Deserialize, Serialize};

pub const HEADER: [&str; 7] = ["Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"];

/// A refused line of a catalogue file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub column: String,
    pub message_vi: String,
    pub message_en: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {} [{}]: {} / line {}: {}", self.line, self.column, self.message_vi, self.line, self.message_en)
    }
}

/// What an import adds, changes and leaves (or would, in a preview).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    pub provinces: usize,
    pub districts: usize,
    pub communes: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Commune-level labels the catalogue uses in the "Cấp" column.
pub const COMMUNE_LEVELS: [&str; 3] = ["Xã", "Phường", "Thị trấn"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRow {
    pub province_name: String,
    pub province_code: String,
    pub district_name: String,
    pub district_code: String,
    pub commune_name: String,
    pub commune_code: String,
    pub level: String,
}

/// Why a row was refused, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub column: String,
    pub message_vi: String,
    pub message_en: String,
}

fn problem(column: &str, vi: String, en: String) -> RowProblem {
    RowProblem { column: column.into(), message_vi: vi, message_en: en }
}

/// Whether the header names the catalogue's columns (compared without case,
/// diacritics-sensitive spacing or a BOM).
pub fn header_matches(fields: &[&str]) -> bool {
    let norm = |s: &str| super::text::search_key(s.trim_start_matches('\u{feff}')).replace(' ', "");
    fields.len() == HEADER.len() && fields.iter().zip(HEADER).all(|(f, h)| norm(f) == norm(h))
}

fn code(column: &str, value: &str, digits: usize) -> Result<String, RowProblem> {
    let v = value.trim();
    if v.is_empty() || v.len() > digits || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(problem(
            column,
            format!("Cột \"{column}\": mã \"{v}\" phải là số có tối đa {digits} chữ số."),
            format!("Column \"{column}\": code \"{v}\" must be a number of at most {digits} digits."),
        ));
    }
    // The catalogue pads codes with zeros (01, 001, 00001); accept both.
    Ok(format!("{:0>digits$}", v))
}

fn name(column: &str, value: &str) -> Result<String, RowProblem> {
    clean_line(value, 120)
        .map_err(|p| problem(column, p.message_vi(&format!("Cột \"{column}\"")), p.message_en(&format!("Column \"{column}\""))))
}

/// Checks one data row (the fields in catalogue order).
pub fn parse_row(fields: &[&str]) -> Result<CatalogueRow, RowProblem> {
    if fields.len() != HEADER.len() {
        return Err(problem(
            "*",
            format!("Dòng có {} cột, cần đúng {} cột.", fields.len(), HEADER.len()),
            format!("The row has {} columns; exactly {} are needed.", fields.len(), HEADER.len()),
        ));
    }
    let level = fields[6].trim();
    if !COMMUNE_LEVELS.contains(&level) {
        return Err(problem(
            HEADER[6],
            format!("Cột \"Cấp\": \"{level}\" không phải Xã, Phường hoặc Thị trấn."),
            format!("Column \"Cấp\": \"{level}\" is not Xã, Phường or Thị trấn."),
        ));
    }
    Ok(CatalogueRow {
        province_name: name(HEADER[0], fields[0])?,
        province_code: code(HEADER[1], fields[1], 2)?,
        district_name: name(HEADER[2], fields[2])?,
        district_code: code(HEADER[3], fields[3], 3)?,
        commune_name: name(HEADER[4], fields[4])?,
        commune_code: code(HEADER[5], fields[5], 5)?,
        level: level.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_kon_tum_row() {
        let r = parse_row(&["Tỉnh Kon Tum", "62", "Huyện Ngọc Hồi", "611", "Xã Đắk Xú", "23389", "Xã"]).unwrap();
        assert_eq!(r.commune_code, "23389");
        assert_eq!(r.district_name, "Huyện Ngọc Hồi");
        let r = parse_row(&["Thành phố Hà Nội", "1", "Quận Ba Đình", "1", "Phường Phúc Xá", "1", "Phường"]).unwrap();
        assert_eq!((r.province_code.as_str(), r.district_code.as_str(), r.commune_code.as_str()), ("01", "001", "00001"));
    }

    #[test]
    fn names_the_bad_column() {
        let e = parse_row(&["Tỉnh Kon Tum", "6x", "Huyện Ngọc Hồi", "611", "Xã Đắk Xú", "23389", "Xã"]).unwrap_err();
        assert_eq!(e.column, "Mã TP");
        let e = parse_row(&["Tỉnh Kon Tum", "62", "Huyện Ngọc Hồi", "611", "", "23389", "Xã"]).unwrap_err();
        assert_eq!(e.column, "Phường Xã");
        let e = parse_row(&["Tỉnh Kon Tum", "62", "Huyện Ngọc Hồi", "611", "Xã Đắk Xú", "23389", "Thôn"]).unwrap_err();
        assert_eq!(e.column, "Cấp");
        assert_eq!(parse_row(&["a", "b"]).unwrap_err().column, "*");
    }

    #[test]
    fn header_is_recognised() {
        assert!(header_matches(&HEADER));
        assert!(header_matches(&["\u{feff}Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"]));
        assert!(!header_matches(&["Province", "Code"]));
    }
}
