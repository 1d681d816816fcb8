//! Reading real workbooks: the shipped .xlsx/.xls/.ods samples, and the
//! ugly files clerks send, each reported by file, sheet and cell in Vietnamese.

mod common;

use std::fs;
use std::path::Path;

use baocao::config::ReportDef;
use baocao::model::{Column, Severity};
use common::{inputs_copy, root};
use rust_xlsxwriter::{Formula, Workbook};

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

enum V {
    Num(f64),
    Text(&'static str),
    Formula(&'static str),
}

/// A district form written by hand the way a clerk's spreadsheet would be.
fn district_form(path: &Path, unit: &str, year: f64, rows: &[(&str, Column, V)]) {
    let mut wb = Workbook::new();
    let meta = wb.add_worksheet().set_name("Thông tin").unwrap();
    meta.write(0, 0, "Mã đơn vị").unwrap();
    meta.write(0, 1, unit).unwrap();
    meta.write(1, 0, "Kỳ báo cáo").unwrap();
    meta.write(1, 1, "6 tháng").unwrap();
    meta.write(2, 0, "Năm").unwrap();
    meta.write(2, 1, year).unwrap();
    meta.write(3, 0, "Ngày báo cáo").unwrap();
    meta.write(3, 1, "30/6/2023").unwrap();
    let ws = wb.add_worksheet().set_name("Chỉ tiêu").unwrap();
    ws.set_formula_result_default("");
    for (c, h) in ["Mã chỉ tiêu", "Tên chỉ tiêu", "KH năm 2023", "TH kỳ báo cáo"].iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    for (i, (code, col, v)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write(r, 0, *code).unwrap();
        let c = if *col == Column::Plan { 2 } else { 3 };
        match v {
            V::Num(n) => ws.write(r, c, *n).unwrap(),
            V::Text(t) => ws.write(r, c, *t).unwrap(),
            V::Formula(f) => ws.write_formula(r, c, Formula::new(*f)).unwrap(),
        };
    }
    wb.save(path).unwrap();
}

#[test]
fn sample_inputs_read_from_xlsx_xls_and_ods_without_a_warning() {
    let checked = baocao::check(&def(), &root().join("inputs")).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert_eq!(checked.files, 22);
    // a unit's value, as summed into the figure
    let entry = |unit: &str, ind: &str, col: Column| {
        let f = checked.figures.get(ind, col).unwrap();
        f.contributions.iter().find(|c| &*c.unit == unit).unwrap().clone()
    };
    // .xls written by LibreOffice
    let e = entry("CNTY", "dan_gia_cam", Column::Actual);
    assert_eq!(e.value, "4790.3".parse().unwrap());
    assert_eq!((e.origin.file(), e.origin.sheet()), ("CNTY-chi-cuc-chan-nuoi-thu-y.xls", "Chỉ tiêu"));
    // .ods written by LibreOffice
    let e = entry("TTKN", "ca_bot", Column::Actual);
    assert_eq!(e.value, "1800000".parse().unwrap());
    assert!(e.origin.file().ends_with(".ods"));
    // a clerk inserted a column: the values are found by their headers
    let plain = entry("TPL", "htx_moi", Column::Actual);
    let shifted = entry("VLA", "htx_moi", Column::Actual);
    let cell = plain.origin.cell();
    let (col, row) = cell.split_at(1);
    let next = char::from(col.as_bytes()[0] + 1);
    assert_eq!(shifted.origin.cell(), format!("{next}{row}"), "one column to the right of {cell}");
    assert_eq!(shifted.value, "2".parse().unwrap());
    // figures keep every contribution with its cell
    let f = checked.figures.get("htx_moi", Column::Actual).unwrap();
    assert_eq!(f.total, Some("10".parse().unwrap()));
    assert_eq!(f.contributions.len(), 11);
    assert!(f.contributions.iter().all(|c| c.origin.sheet() == "Chỉ tiêu"));
}

#[test]
fn broken_files_are_named_and_the_rest_still_read() {
    let dir = inputs_copy();
    fs::write(dir.path().join("huyen/hong.xlsx"), b"not a spreadsheet at all").unwrap();
    fs::write(dir.path().join("trong.xlsx"), b"").unwrap();
    fs::write(dir.path().join("huyen/~$VQU-van-quan.xlsx"), b"lock").unwrap();
    fs::write(dir.path().join("ghi-chu.txt"), "gửi kèm").unwrap();
    let checked = baocao::check(&def(), dir.path()).unwrap();
    assert_eq!(checked.submissions.len(), 22, "the good files are still read");
    let find = |file: &str| {
        checked
            .diagnostics
            .iter()
            .find(|d| d.file == file)
            .unwrap_or_else(|| panic!("nothing about {file}: {:#?}", checked.diagnostics))
    };
    let d = find("huyen/hong.xlsx");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("tệp bị hỏng"), "{d}");
    let d = find("trong.xlsx");
    assert!(d.message.contains("tệp rỗng"), "{d}");
    // Excel's lock file of an open workbook is passed over without a word (README)
    assert!(!checked.diagnostics.iter().any(|d| d.file.contains("~$")), "{:#?}", checked.diagnostics);
    assert!(find("ghi-chu.txt").message.contains("bỏ qua"));
}

#[test]
fn bad_cells_are_reported_by_file_sheet_and_cell() {
    let dir = inputs_copy();
    fs::remove_file(dir.path().join("huyen/DLA-dinh-lap.xlsx")).unwrap();
    district_form(
        &dir.path().join("huyen/DLA-dinh-lap.xlsx"),
        "DLA",
        2023.0,
        &[
            ("ocop_moi", Column::Actual, V::Text("hai")),
            ("htx_moi", Column::Actual, V::Text("1.234,5")),
            ("lmlm_ho", Column::Plan, V::Num(-1.0)),
            ("dtlcp_ho", Column::Actual, V::Formula("=SUM(Z1:Z3)")),
            ("khong_co", Column::Actual, V::Num(3.0)),
        ],
    );
    let checked = baocao::check(&def(), dir.path()).unwrap();
    let about = |cell: &str| {
        checked
            .diagnostics
            .iter()
            .find(|d| d.file == "huyen/DLA-dinh-lap.xlsx" && d.cell.as_deref() == Some(cell))
            .unwrap_or_else(|| panic!("nothing about {cell}: {:#?}", checked.diagnostics))
    };
    let d = about("D4");
    assert_eq!((d.severity, d.sheet.as_deref()), (Severity::Error, Some("Chỉ tiêu")));
    assert!(d.message.contains("«hai» không phải là số"), "{d}");
    let d = about("D5");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("«1.234,5», đã đọc là 1.234,5"), "{d}");
    assert!(about("C6").message.contains("số âm"));
    assert!(about("D7").message.contains("công thức"), "{}", about("D7"));
    assert!(about("A8").message.contains("«khong_co»"));
    // the form of another unit is untouched
    assert!(checked.diagnostics.iter().all(|d| d.file == "huyen/DLA-dinh-lap.xlsx"), "{:#?}", checked.diagnostics);
    // and the message a clerk reads names all three
    let line = about("D4").to_string();
    assert!(line.starts_with("[lỗi] huyen/DLA-dinh-lap.xlsx, trang «Chỉ tiêu», ô D4: "), "{line}");
}

#[test]
fn wrong_year_unknown_unit_and_missing_units() {
    let dir = inputs_copy();
    fs::remove_file(dir.path().join("huyen/DLA-dinh-lap.xlsx")).unwrap();
    district_form(&dir.path().join("huyen/nam-cu.xlsx"), "LBI", 2022.0, &[]);
    district_form(&dir.path().join("la.xlsx"), "XYZ", 2023.0, &[]);
    let checked = baocao::check(&def(), dir.path()).unwrap();
    let msgs: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("huyen/nam-cu.xlsx") && m.contains("năm 2022") && m.contains("ô B3")),
        "{msgs:#?}"
    );
    assert!(msgs.iter().any(|m| m.contains("la.xlsx") && m.contains("«XYZ»")), "{msgs:#?}");
    assert!(
        msgs.iter().any(|m| m.contains("Phòng Nông nghiệp và PTNT huyện Đình Lập (DLA) chưa nộp báo cáo")),
        "{msgs:#?}"
    );
}

#[test]
fn build_writes_nothing_while_inputs_have_errors() {
    let dir = inputs_copy();
    fs::write(dir.path().join("hong.xlsx"), b"PK\x03\x04 broken zip").unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = baocao::BuildOptions {
        inputs: dir.path().to_path_buf(),
        templates: root().join("templates/ke-hoach-nam").into(),
        out: out.path().to_path_buf(),
        draft: false,
        limits: Default::default(),
    };
    match baocao::build(&opts) {
        Err(baocao::BuildError::Inputs(d)) => {
            assert!(d.iter().any(|d| d.file == "hong.xlsx" && d.severity == Severity::Error))
        }
        other => panic!("expected input errors, got {other:?}"),
    }
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}
