//! Rows of the official administrative catalogue (General Statistics Office
//! export layouts, SPEC §10): before 1/7/2025 province, district, commune;
//! since then province and commune (two levels); and the old→new mapping of
//! communes across the reform. Parsing rules and the import's report types
//! live here; reading the file and writing the database are
//! `store::catalogue_import` and `store::succession`.

use super::text::clean_line;
use serde::{Deserialize, Serialize};

/// The pre-2025 layout, with districts.
pub const HEADER: [&str; 7] = ["Tỉnh / Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp"];
/// The two-level layout in force since 1/7/2025.
pub const HEADER_2025: [&str; 5] = ["Tỉnh / Thành Phố", "Mã TP", "Phường Xã", "Mã PX", "Cấp"];
/// Old commune → today's commune; "Một phần" is "có" where the old commune
/// was split across several new ones.
pub const MAPPING_HEADER: [&str; 8] =
    ["Mã PX cũ", "Phường Xã cũ", "Quận Huyện cũ", "Tỉnh / Thành Phố cũ", "Mã PX mới", "Phường Xã mới", "Tỉnh / Thành Phố mới", "Một phần"];

/// Which catalogue layout a file is in, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    WithDistricts,
    TwoLevel,
}

impl Layout {
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Layout::WithDistricts => &HEADER,
            Layout::TwoLevel => &HEADER_2025,
        }
    }

    /// Commune-level labels of the "Cấp" column.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Layout::WithDistricts => &COMMUNE_LEVELS,
            Layout::TwoLevel => &COMMUNE_LEVELS_2025,
        }
    }

    pub fn of_header(fields: &[&str]) -> Option<Layout> {
        [Layout::WithDistricts, Layout::TwoLevel].into_iter().find(|l| header_is(fields, l.header()))
    }
}

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
    /// Units whose code the file gives to a different unit from its
    /// effective date: they end the day before (a dated import only).
    #[serde(default)]
    pub ended: usize,
}

/// What an old→new mapping import links and ends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingReport {
    pub rows: usize,
    /// Lines where only part of the old commune went into the new one.
    pub partial: usize,
    /// Old communes, and districts and provinces left without any, that
    /// end the day before the mapping's effective date.
    pub ended: usize,
}

/// The day the two-level layout took effect (Law on Organisation of Local
/// Government 2025): the default effective date of a two-level file.
pub fn two_level_since() -> super::date::Date {
    time::macros::date!(2025 - 07 - 01)
}

/// Commune-level labels the catalogue uses in the "Cấp" column.
pub const COMMUNE_LEVELS: [&str; 3] = ["Xã", "Phường", "Thị trấn"];
/// The same since 1/7/2025: no more towns (thị trấn); special zones.
pub const COMMUNE_LEVELS_2025: [&str; 3] = ["Xã", "Phường", "Đặc khu"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueRow {
    pub province_name: String,
    pub province_code: String,
    /// Name and code of the district; none in the two-level layout.
    pub district: Option<(String, String)>,
    pub commune_name: String,
    pub commune_code: String,
    pub level: String,
}

/// One line of the old→new mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingRow {
    pub old_code: String,
    pub old_name: String,
    pub old_district: String,
    pub old_province: String,
    pub new_code: String,
    pub new_name: String,
    pub new_province: String,
    /// Only part of the old commune went into the new one.
    pub partial: bool,
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

/// Whether the header names the pre-2025 catalogue's columns.
pub fn header_matches(fields: &[&str]) -> bool {
    header_is(fields, &HEADER)
}

/// Whether a header names these columns (compared without case, spacing or
/// a BOM).
pub fn header_is(fields: &[&str], expected: &[&str]) -> bool {
    let norm = |s: &str| super::text::search_key(s.trim_start_matches('\u{feff}')).replace(' ', "");
    fields.len() == expected.len() && fields.iter().zip(expected).all(|(f, h)| norm(f) == norm(h))
}

fn columns(fields: &[&str], n: usize) -> Result<(), RowProblem> {
    if fields.len() != n {
        return Err(problem(
            "*",
            format!("Dòng có {} cột, cần đúng {n} cột.", fields.len()),
            format!("The row has {} columns; exactly {n} are needed.", fields.len()),
        ));
    }
    Ok(())
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

/// Checks one data row of the pre-2025 layout (the fields in catalogue order).
pub fn parse_row(fields: &[&str]) -> Result<CatalogueRow, RowProblem> {
    parse_row_in(Layout::WithDistricts, fields)
}

/// Checks one data row of either layout.
pub fn parse_row_in(layout: Layout, fields: &[&str]) -> Result<CatalogueRow, RowProblem> {
    let header = layout.header();
    columns(fields, header.len())?;
    let last = header.len() - 1;
    let level = fields[last].trim();
    let levels = layout.levels();
    if !levels.contains(&level) {
        let list = levels.join(", ");
        return Err(problem(
            header[last],
            format!("Cột \"Cấp\": \"{level}\" không phải một trong: {list}."),
            format!("Column \"Cấp\": \"{level}\" is not one of: {list}."),
        ));
    }
    let (district, c) = match layout {
        Layout::WithDistricts => (Some((name(HEADER[2], fields[2])?, code(HEADER[3], fields[3], 3)?)), 4),
        Layout::TwoLevel => (None, 2),
    };
    Ok(CatalogueRow {
        province_name: name(header[0], fields[0])?,
        province_code: code(header[1], fields[1], 2)?,
        district,
        commune_name: name(header[c], fields[c])?,
        commune_code: code(header[c + 1], fields[c + 1], 5)?,
        level: level.to_string(),
    })
}

/// Checks one line of the old→new mapping.
pub fn parse_mapping_row(fields: &[&str]) -> Result<MappingRow, RowProblem> {
    let h = MAPPING_HEADER;
    columns(fields, h.len())?;
    let partial = match super::text::search_key(fields[7]).as_str() {
        "co" => true,
        "khong" | "" => false,
        other => {
            return Err(problem(
                h[7],
                format!("Cột \"{}\": \"{other}\" phải là \"có\" hoặc \"không\".", h[7]),
                format!("Column \"{}\": \"{other}\" must be \"có\" or \"không\".", h[7]),
            ))
        }
    };
    Ok(MappingRow {
        old_code: code(h[0], fields[0], 5)?,
        old_name: name(h[1], fields[1])?,
        old_district: name(h[2], fields[2])?,
        old_province: name(h[3], fields[3])?,
        new_code: code(h[4], fields[4], 5)?,
        new_name: name(h[5], fields[5])?,
        new_province: name(h[6], fields[6])?,
        partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_kon_tum_row() {
        let r = parse_row(&["Tỉnh Kon Tum", "62", "Huyện Ngọc Hồi", "611", "Xã Đắk Xú", "23389", "Xã"]).unwrap();
        assert_eq!(r.commune_code, "23389");
        assert_eq!(r.district, Some(("Huyện Ngọc Hồi".into(), "611".into())));
        let r = parse_row(&["Thành phố Hà Nội", "1", "Quận Ba Đình", "1", "Phường Phúc Xá", "1", "Phường"]).unwrap();
        assert_eq!((r.province_code.as_str(), r.district.unwrap().1.as_str(), r.commune_code.as_str()), ("01", "001", "00001"));
    }

    #[test]
    fn reads_the_two_level_layout_and_the_mapping() {
        let r = parse_row_in(Layout::TwoLevel, &["Tỉnh Quảng Ngãi", "51", "Xã Bờ Y", "23377", "Xã"]).unwrap();
        assert_eq!((r.district, r.commune_code.as_str()), (None, "23377"));
        assert!(parse_row_in(Layout::TwoLevel, &["Thành phố Hải Phòng", "31", "Đặc khu Cát Hải", "11800", "Đặc khu"]).is_ok());
        let e = parse_row_in(Layout::TwoLevel, &["Tỉnh Quảng Ngãi", "51", "Thị trấn X", "1", "Thị trấn"]).unwrap_err();
        assert_eq!(e.column, "Cấp", "no towns after the reform");
        assert_eq!(Layout::of_header(&HEADER_2025), Some(Layout::TwoLevel));
        assert_eq!(Layout::of_header(&HEADER), Some(Layout::WithDistricts));
        let m =
            parse_mapping_row(&["23389", "Xã Đắk Xú", "Huyện Ngọc Hồi", "Tỉnh Kon Tum", "23377", "Xã Bờ Y", "Tỉnh Quảng Ngãi", "không"])
                .unwrap();
        assert_eq!((m.old_code.as_str(), m.new_code.as_str(), m.partial), ("23389", "23377", false));
        let m =
            parse_mapping_row(&["23368", "Xã Đắk Long", "Huyện Đắk Glei", "Tỉnh Kon Tum", "23368", "Xã Đăk Long", "Tỉnh Quảng Ngãi", "có"]);
        assert!(m.unwrap().partial);
        let e = parse_mapping_row(&[
            "23368",
            "Xã Đắk Long",
            "Huyện Đắk Glei",
            "Tỉnh Kon Tum",
            "23368",
            "Xã Đăk Long",
            "Tỉnh Quảng Ngãi",
            "nửa",
        ]);
        assert_eq!(e.unwrap_err().column, "Một phần");
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
