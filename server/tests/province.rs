//! A province on one install, today: its certificate speaks in the
//! province's name for a commune that exists only since 1/7/2025.
use app::domain::award::NomineeKind;
use app::store::nominations::Award;

#[test]
fn the_certificate_names_the_province_and_todays_commune() {
    let award = Award {
        nomination: "de-nghi-1".into(),
        name: "Xã Bờ Y".into(),
        unit: "x23377-2025".into(),
        unit_name: "Xã Bờ Y".into(),
        form: "bang-khen-chu-tich-tinh".into(),
        nominee_kind: NomineeKind::Collective,
        position: String::new(),
        form_name: "Bằng khen của Chủ tịch UBND tỉnh".into(),
        posthumous: false,
        number: "15/QĐ-UBND".into(),
        date: "2026-12-01".into(),
        signer: "Chủ tịch UBND tỉnh".into(),
        code: "ABCDEFGHJK".into(),
        movement: "thi-dua-qn-2026".into(),
    };
    let issuer = server::certificate::Issuer::of("Tỉnh Quảng Ngãi", "Phong trào thi đua yêu nước năm 2026", "thidua.example");
    let pdf = server::certificate::render(&[award], &issuer).expect("fonts are in the repository");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("giay-khen.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "BẰNG KHEN", "Xã Bờ Y", "Quảng Ngãi, ngày 01 tháng 12 năm 2026"]
    {
        assert!(text.contains(expected), "{expected:?} not in the certificate text:\n{text}");
    }
    assert!(!text.to_lowercase().contains("huyện"), "no district anywhere:\n{text}");
    assert!(!text.contains("GIẤY KHEN"), "a Bằng khen is titled as one:\n{text}");
}
