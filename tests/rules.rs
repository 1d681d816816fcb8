//! One test per input rule: a real workbook from tests/fixtures (written by
//! `cargo run --example sample-inputs -- --fixtures tests/fixtures`, the
//! encrypted one by msoffcrypto-tool) dropped among the sample inputs, and
//! the Vietnamese diagnostic it must produce, naming file, sheet and cell.

mod common;

use std::fs;

use baocao::config::ReportDef;
use baocao::model::{Diagnostic, Severity};
use baocao::Checked;
use common::{copy_dir, root};

/// The district whose form the fixtures stand in for.
const REPLACED: &str = "huyen/CLO-cao-loc.xlsx";

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

/// The sample inputs with `fixture` added (and the form it replaces removed).
fn check_with(fixture: &str, replace: bool) -> (Checked, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), dir.path());
    if replace {
        fs::remove_file(dir.path().join(REPLACED)).unwrap();
    }
    fs::copy(root().join("tests/fixtures").join(fixture), dir.path().join("huyen").join(fixture)).unwrap();
    (baocao::check(&def(), dir.path()).unwrap(), dir)
}

fn about<'a>(c: &'a Checked, fixture: &str) -> Vec<&'a Diagnostic> {
    let file = format!("huyen/{fixture}");
    c.diagnostics.iter().filter(|d| d.file == file).collect()
}

fn find<'a>(c: &'a Checked, fixture: &str, needle: &str) -> &'a Diagnostic {
    about(c, fixture)
        .into_iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic with {needle:?} for {fixture}: {:#?}", c.diagnostics))
}

#[test]
fn damaged_empty_and_encrypted_files_are_named_and_the_rest_read() {
    for (fixture, needle) in
        [("hong.xlsx", "tệp bị hỏng"), ("rong.xlsx", "tệp rỗng"), ("mat-khau.xlsx", "đặt mật khẩu")]
    {
        let (c, _d) = check_with(fixture, false);
        let d = find(&c, fixture, needle);
        assert_eq!(d.severity, Severity::Error);
        assert!(!d.hint.is_empty());
        assert_eq!(c.submissions.len(), def().expected_units().len(), "every other form still read");
    }
}

#[test]
fn a_workbook_that_is_not_a_form() {
    let (c, _d) = check_with("khong-phai-bieu-mau.xlsx", false);
    let d = find(&c, "khong-phai-bieu-mau.xlsx", "không phải biểu mẫu");
    assert_eq!(d.severity, Severity::Error);
}

#[test]
fn unknown_unit_wrong_year_wrong_period() {
    let (c, _d) = check_with("don-vi-la.xlsx", true);
    let d = find(&c, "don-vi-la.xlsx", "mã đơn vị «XYZ»");
    assert_eq!((d.sheet.as_deref(), d.cell.as_deref()), (Some("Thông tin"), Some("B3")));
    let (c, _d) = check_with("sai-nam.xlsx", true);
    let d = find(&c, "sai-nam.xlsx", "năm 2022, kỳ này tổng hợp năm 2023");
    assert_eq!(d.cell.as_deref(), Some("B6"));
    let (c, _d) = check_with("sai-ky.xlsx", true);
    let d = find(&c, "sai-ky.xlsx", "kỳ báo cáo là «Năm»");
    assert_eq!(d.cell.as_deref(), Some("B5"));
}

#[test]
fn a_later_copy_wins_with_a_warning_and_the_same_date_is_an_error() {
    let (c, _d) = check_with("ban-sua.xlsx", false);
    let d = find(&c, "ban-sua.xlsx", "gửi hai tệp");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("dùng «huyen/ban-sua.xlsx» (ngày 05/07/2023), bỏ «huyen/CLO-cao-loc.xlsx»"), "{d}");
    assert!(c.submissions.iter().any(|s| s.file == "huyen/ban-sua.xlsx"));
    assert!(!c.submissions.iter().any(|s| s.file == REPLACED));
    let (c, _d) = check_with("trung-ngay.xlsx", false);
    let d = find(&c, "trung-ngay.xlsx", "cùng ngày báo cáo");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("huyen/CLO-cao-loc.xlsx") && d.message.contains("huyen/trung-ngay.xlsx"));
}

#[test]
fn units_that_sent_nothing_are_listed_by_name() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), dir.path());
    fs::remove_file(dir.path().join(REPLACED)).unwrap();
    fs::remove_file(dir.path().join("huyen/DLA-dinh-lap.xlsx")).unwrap();
    let c = baocao::check(&def(), dir.path()).unwrap();
    let missing: Vec<&str> =
        c.diagnostics.iter().filter(|d| d.message.contains("chưa nộp báo cáo")).map(|d| d.message.as_str()).collect();
    assert_eq!(
        missing,
        [
            "Phòng Nông nghiệp và PTNT huyện Cao Lộc (CLO) chưa nộp báo cáo",
            "Phòng Nông nghiệp và PTNT huyện Đình Lập (DLA) chưa nộp báo cáo"
        ]
    );
}

#[test]
fn unknown_indicator_code_and_the_row_it_leaves_missing() {
    let (c, _d) = check_with("ma-chi-tieu-la.xlsx", true);
    let d = find(&c, "ma-chi-tieu-la.xlsx", "mã chỉ tiêu «htx_mo1» không có trong danh mục");
    assert_eq!((d.severity, d.sheet.as_deref()), (Severity::Error, Some("Chỉ tiêu")));
    assert!(d.cell.as_deref().unwrap().starts_with('B'));
    // and the document needs the real row
    find(&c, "ma-chi-tieu-la.xlsx", "không có dòng chỉ tiêu «Hợp tác xã nông nghiệp thành lập mới»");
}

#[test]
fn a_required_cell_left_empty() {
    let (c, _d) = check_with("o-bat-buoc-trong.xlsx", true);
    let d = find(&c, "o-bat-buoc-trong.xlsx", "để trống nhưng văn bản cần số này");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("«TH kỳ báo cáo» của chỉ tiêu «Hợp tác xã nông nghiệp thành lập mới»"), "{d}");
    assert!(d.cell.is_some());
}

#[test]
fn text_in_a_number_cell_and_numbers_typed_as_text() {
    let (c, _d) = check_with("chu-trong-o-so.xlsx", true);
    let d = find(&c, "chu-trong-o-so.xlsx", "«hai» không phải là số");
    assert_eq!((d.severity, d.sheet.as_deref()), (Severity::Error, Some("Chỉ tiêu")));
    let (c, _d) = check_with("so-dang-chu.xlsx", true);
    let d = find(&c, "so-dang-chu.xlsx", "số được nhập dạng chữ «205»");
    assert_eq!(d.severity, Severity::Warning);
    // "7.480" in a whole-number indicator reads 7480 and is flagged
    let d = find(&c, "so-dang-chu.xlsx", "«7.480» có thể là 7.480 hoặc 7,48");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("đã đọc là 7.480"));
    assert_eq!(c.errors(), 0, "accepted with warnings: {:#?}", c.diagnostics);
    let v = c
        .figures
        .figures
        .values()
        .filter(|f| f.indicator == "dtlcp_tieu_huy_kg")
        .flat_map(|f| &f.contributions)
        .find(|c| &*c.unit == "CLO")
        .unwrap();
    assert_eq!(v.value, "7480".parse().unwrap());
}

#[test]
fn negative_values_and_formulas_without_results() {
    let (c, _d) = check_with("so-am.xlsx", true);
    let d = find(&c, "so-am.xlsx", "số âm (-1)");
    assert_eq!(d.severity, Severity::Error);
    let (c, _d) = check_with("cong-thuc.xlsx", true);
    let d = find(&c, "cong-thuc.xlsx", "chưa có kết quả tính");
    assert!(d.message.contains("SUM(Z1:Z2)"), "{d}");
}

#[test]
fn a_change_beyond_the_threshold_is_a_warning() {
    let (c, _d) = check_with("bien-dong.xlsx", true);
    let d = find(&c, "bien-dong.xlsx", "vượt ngưỡng biến động 50%");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("tăng 520%"), "{d}");
}

#[test]
fn legacy_font_text_is_converted_with_a_warning() {
    for (fixture, enc, text) in [
        ("tcvn3.xlsx", "TCVN3", "về việc tăng cường phòng, chống dịch bệnh gia súc"),
        ("vni.xlsx", "VNI", "về việc tăng cường phòng, chống dịch bệnh gia súc"),
    ] {
        let (c, _d) = check_with(fixture, true);
        let d = find(&c, fixture, text);
        assert!(d.message.contains("bảng mã cũ") && d.message.contains(enc), "{d}");
        assert_eq!(d.severity, Severity::Warning);
        let s = c.submissions.iter().find(|s| s.unit == "CLO").unwrap();
        let doc = s.documents.iter().find(|d| d.group == "khac").unwrap();
        assert_eq!((doc.kind.as_str(), doc.subject.as_str()), ("Công văn", text));
    }
}

#[test]
fn text_is_normalised_and_stripped_of_characters_xml_forbids() {
    use unicode_normalization::UnicodeNormalization;
    let (c, _d) = check_with("nfd-ky-tu-cam.xlsx", true);
    let s = c.submissions.iter().find(|s| s.unit == "CLO").unwrap();
    let doc = s.documents.iter().find(|d| d.group == "khac").unwrap();
    assert_eq!(doc.subject, "về việc tăngcường phòng dịch");
    assert_eq!(doc.subject.nfc().collect::<String>(), doc.subject);
}

#[test]
fn parts_must_add_up_to_the_total_declared_in_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), dir.path());
    fs::remove_file(dir.path().join("TTBVTV-chi-cuc-trong-trot-bvtv.xlsx")).unwrap();
    fs::copy(root().join("tests/fixtures/tong-nho-hon-phan.xlsx"), dir.path().join("tong-nho-hon-phan.xlsx")).unwrap();
    let c = baocao::check(&def(), dir.path()).unwrap();
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.file == "tong-nho-hon-phan.xlsx" && d.message.contains("nhỏ hơn tổng các phần"))
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("«Tổng diện tích gieo trồng vụ Đông Xuân»"), "{d}");
}
