//! Vietnamese text: NFC storage, diacritic-insensitive search keys, and the
//! number layout people expect (1.234.567 đ).

use unicode_normalization::UnicodeNormalization;

/// Text as stored: NFC, so "Đắk Xú" typed on any keyboard compares equal.
/// On the server, most text already is (phones' keyboards compose), and the
/// quick check tells so without rebuilding it char by char (every field of
/// every push); the phone skips the check's tables.
pub fn nfc(s: &str) -> String {
    #[cfg(feature = "ssr")]
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Base letters of U+00C0..=U+00FF (Latin-1), `*` where there is none.
const LATIN1: &[u8; 64] = b"aaaaaaaceeeeiiiidnooooo*ouuuuy*saaaaaaaceeeeiiiidnooooo*ouuuuy*y";
/// Base letters of U+1EA0..=U+1EF9, the Vietnamese block (Ạ ạ … Ỹ ỹ).
const VIET: &[u8; 90] = b"aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy";

/// Folds one character for search: lower case and without diacritics for
/// every Vietnamese letter (precomposed or not); combining marks vanish.
/// A small table instead of Unicode decomposition: the decomposition tables
/// would add ~100 KB to the WASM a phone downloads.
fn fold(c: char) -> Option<char> {
    let u = c as u32;
    Some(match u {
        0x41..=0x5A => (u as u8 + 32) as char,
        0xC0..=0xFF => match LATIN1[(u - 0xC0) as usize] {
            b'*' => c,
            b => b as char,
        },
        0x0300..=0x036F => return None,
        0x0102 | 0x0103 => 'a', // Ă ă
        0x0110 | 0x0111 => 'd', // Đ đ
        0x0128 | 0x0129 => 'i', // Ĩ ĩ
        0x0168 | 0x0169 => 'u', // Ũ ũ
        0x01A0 | 0x01A1 => 'o', // Ơ ơ
        0x01AF | 0x01B0 => 'u', // Ư ư
        0x1EA0..=0x1EF9 => VIET[(u - 0x1EA0) as usize] as char,
        _ => c,
    })
}

/// A search key: lower case, no diacritics, đ → d, runs of spaces collapsed.
/// "dak xu" and "ĐẮK  XÚ" both give "dak xu".
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().filter_map(fold) {
        if c.is_whitespace() {
            if !out.is_empty() {
                space = true;
            }
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Whether every word of `query` appears in `haystack_key` (a `search_key`).
pub fn matches(haystack_key: &str, query: &str) -> bool {
    let q = search_key(query);
    q.split(' ').all(|w| haystack_key.contains(w))
}

/// A character no one types: a control character (line breaks and tabs
/// allowed in free text), or U+FFFD, which a decoder puts where the bytes sent
/// were not UTF-8 (storing it would silently keep a corrupted text).
fn unwanted(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))) || c == '\u{FFFD}' || bidi_control(c)
}

/// Bidirectional formatting characters: invisible, and able to make a
/// name read differently from what is stored ("Trojan Source"). Vietnamese
/// never needs them.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans a one-line name: NFC, trimmed, inner whitespace collapsed.
/// Returns the reason when the text cannot be stored.
pub fn clean_line(s: &str, max_chars: usize) -> Result<String, TextProblem> {
    if s.chars().any(|c| unwanted(c, false)) {
        return Err(TextProblem::Control);
    }
    let n = nfc(s);
    let cleaned = n.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.is_empty() {
        return Err(TextProblem::Empty);
    }
    let len = cleaned.chars().count();
    if len > max_chars {
        return Err(TextProblem::TooLong { max: max_chars, len });
    }
    Ok(cleaned)
}

/// Checks free text (line breaks allowed) for length and control
/// characters, without normalising: the phone runs it as people type and
/// need not carry the Unicode tables; the server stores NFC.
pub fn check_text(field: &str, label_vi: &str, label_en: &str, s: &str, max: usize, required: bool) -> Option<super::FieldError> {
    let len = s.chars().count();
    let problem = if s.chars().any(|c| unwanted(c, true)) {
        TextProblem::Control
    } else if len > max {
        TextProblem::TooLong { max, len }
    } else if required && s.trim().is_empty() {
        TextProblem::Empty
    } else {
        return None;
    };
    Some(super::FieldError::new(field, problem.rule(), problem.message_vi(label_vi), problem.message_en(label_en)))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextProblem {
    Empty,
    Control,
    TooLong { max: usize, len: usize },
}

impl TextProblem {
    pub fn rule(&self) -> &'static str {
        match self {
            TextProblem::Empty => "required",
            TextProblem::Control => "no_control_chars",
            TextProblem::TooLong { .. } => "max_length",
        }
    }
    pub fn message_vi(&self, label: &str) -> String {
        match self {
            TextProblem::Empty => format!("{label} không được để trống."),
            TextProblem::Control => format!("{label} chứa ký tự không hợp lệ (ký tự điều khiển hoặc lỗi mã hóa)."),
            TextProblem::TooLong { max, len } => {
                format!("{label} dài {len} ký tự, tối đa {max} ký tự.")
            }
        }
    }
    pub fn message_en(&self, label: &str) -> String {
        match self {
            TextProblem::Empty => format!("{label} is required."),
            TextProblem::Control => format!("{label} contains invalid characters (control characters or broken encoding)."),
            TextProblem::TooLong { max, len } => format!("{label} is {len} characters long; at most {max}."),
        }
    }
}

/// 1234567 → "1.234.567" (Vietnamese thousands separator).
pub fn format_int_vi(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// 1234567 → "1.234.567 đ".
pub fn format_vnd(n: i64) -> String {
    format!("{} đ", format_int_vi(n))
}

/// A decimal with a comma: 92.5 → "92,5"; whole numbers lose the fraction.
pub fn format_decimal_vi(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int: i64 = int.parse().unwrap_or(0);
    let frac = frac.trim_end_matches('0');
    let sign = if x < 0.0 && int == 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", format_int_vi(int))
    } else {
        format!("{sign}{},{frac}", format_int_vi(int))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_refused_in_names_and_texts() {
        assert_eq!(clean_line("Nguyễn\u{202E}nạv", 50), Err(TextProblem::Control));
        assert_eq!(clean_line("Thôn\u{2066} 3", 50), Err(TextProblem::Control));
        assert!(check_text("text", "Nội dung", "Text", "Câu\u{200F}chuyện", 100, true).is_some());
        assert_eq!(clean_line("Đắk Xú", 50).as_deref(), Ok("Đắk Xú"));
    }

    #[test]
    fn search_ignores_case_and_diacritics() {
        assert_eq!(search_key("Đắk Xú"), "dak xu");
        assert_eq!(search_key("  ĐẮK   XÚ "), "dak xu");
        assert!(matches(&search_key("Xã Đắk Xú"), "dak xu"));
        assert!(matches(&search_key("Thị trấn Plei Kần"), "plei kan"));
        assert!(!matches(&search_key("Xã Bờ Y"), "dak"));
    }

    #[test]
    fn every_vietnamese_letter_folds_like_decomposition() {
        // The table agrees with Unicode decomposition on the whole alphabet.
        let letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        for c in letters.chars().chain(letters.to_uppercase().chars()) {
            let by_table = search_key(&c.to_string());
            let by_unicode: String = c.to_string().nfd().filter(|c| c.is_ascii()).collect::<String>().to_lowercase();
            let by_unicode = if by_unicode.is_empty() { "d".to_string() } else { by_unicode };
            assert_eq!(by_table, by_unicode, "{c}");
        }
        let nfd: String = "Đắk Xú".nfd().collect();
        assert_eq!(search_key(&nfd), "dak xu");
    }

    #[test]
    fn nfd_input_is_stored_nfc() {
        let nfd: String = "Đắk Xú".nfd().collect();
        assert_ne!(nfd, "Đắk Xú");
        assert_eq!(nfc(&nfd), "Đắk Xú");
        assert_eq!(clean_line(&nfd, 50).unwrap(), "Đắk Xú");
    }

    #[test]
    fn clean_line_rules() {
        assert_eq!(clean_line("  Xã   Bờ Y ", 50).unwrap(), "Xã Bờ Y");
        assert_eq!(clean_line("   ", 50), Err(TextProblem::Empty));
        assert_eq!(clean_line("a\u{0007}b", 50), Err(TextProblem::Control));
        assert_eq!(clean_line("abcdef", 5), Err(TextProblem::TooLong { max: 5, len: 6 }));
        // SurrealQL metacharacters are ordinary text.
        assert_eq!(clean_line("x'; DELETE unit; --", 50).unwrap(), "x'; DELETE unit; --");
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(format_int_vi(0), "0");
        assert_eq!(format_int_vi(999), "999");
        assert_eq!(format_int_vi(1000), "1.000");
        assert_eq!(format_int_vi(1234567), "1.234.567");
        assert_eq!(format_int_vi(-1234567), "-1.234.567");
        assert_eq!(format_vnd(250000), "250.000 đ");
        assert_eq!(format_decimal_vi(92.5, 1), "92,5");
        assert_eq!(format_decimal_vi(1234.0, 1), "1.234");
    }

    /// Bytes that were not UTF-8 arrive as U+FFFD: refused, not stored.
    #[test]
    fn text_with_broken_encoding_is_refused() {
        assert_eq!(clean_line("Hội trường \u{FFFD}\u{FFFD}", 50), Err(TextProblem::Control));
        assert_eq!(check_text("x", "Ô", "Box", "ắ\u{FFFD}", 50, false).map(|e| e.rule), Some("no_control_chars".to_string()));
        assert!(check_text("x", "Ô", "Box", "dòng 1\ndòng 2\tcột", 50, true).is_none());
    }
}
