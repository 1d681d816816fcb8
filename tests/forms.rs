//! The form says which cells the report needs (marked on the sheet and
//! listed in «Hướng dẫn»), and every sheet prints on A4 as a unit prints it.

mod common;

use std::io::Read;
use std::process::Command;

use baocao::forms::{form_workbook_with, value_cell};
use baocao::model::Column;
use baocao::Templates;
use common::*;

fn defs() -> Vec<baocao::config::ReportDef> {
    Templates::All(root().join("templates")).load_all().unwrap()
}

fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(f.name().unwrap().to_string(), s);
        }
    }
    out
}

/// The fill colour of cell (row, col) of `sheet` (0-based), if any.
fn fill_of(parts: &std::collections::BTreeMap<String, String>, sheet: usize, row: u32, col: u16) -> Option<String> {
    let cell = baocao::model::cell_ref(row, col as u32);
    let xml = &parts[&format!("xl/worksheets/sheet{sheet}.xml")];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let c = doc.descendants().find(|n| n.has_tag_name("c") && n.attribute("r") == Some(cell.as_str()))?;
    let s: usize = c.attribute("s").unwrap_or("0").parse().unwrap();
    let styles = roxmltree::Document::parse(&parts["xl/styles.xml"]).unwrap();
    let xfs = styles.descendants().find(|n| n.has_tag_name("cellXfs")).unwrap();
    let xf = xfs.children().filter(|n| n.is_element()).nth(s).unwrap();
    let fill: usize = xf.attribute("fillId").unwrap_or("0").parse().unwrap();
    let fills = styles.descendants().find(|n| n.has_tag_name("fills")).unwrap();
    let f = fills.children().filter(|n| n.is_element()).nth(fill).unwrap();
    f.descendants().find(|n| n.has_tag_name("fgColor")).and_then(|n| n.attribute("rgb")).map(|s| s.to_string())
}

#[test]
fn the_cells_the_documents_read_are_marked_and_listed() {
    let defs = defs();
    let marks = baocao::form_marks(&defs, None, &Default::default()).unwrap();
    // read by the text (and the appendix), in the column the text reads
    for (code, col) in [
        ("dt_lua_xuan", Column::Actual),
        ("dt_lua_xuan", Column::SamePeriodLastYear),
        ("dt_tuoi_xuan", Column::Estimate),
        ("dtlcp_ho", Column::SamePeriodLastYear),
        ("chay_rung", Column::SamePeriodLastYear),
        ("attp_ntm_nang_cao", Column::Actual),
    ] {
        assert!(marks.required.contains(&(code.to_string(), col)), "{code} {col:?} should be required");
    }
    // nothing prints the irrigated area of the spring crop this period: optional
    assert!(!marks.required.contains(&("dt_tuoi_xuan".to_string(), Column::Actual)));
    // a total stands for its parts
    assert!(marks.required.contains(&("tiem_lon".to_string(), Column::Actual)));
    assert!(!marks.required.iter().any(|(c, _)| c == "tiem_phong"));

    let def = defs.iter().find(|d| d.kind == "ke-hoach-nam").unwrap();
    let unit = def.units.get("TL").unwrap();
    let bytes = form_workbook_with(def, unit, None, &marks).unwrap().save_to_buffer().unwrap();
    let p = parts(&bytes);
    let (r, c) = value_cell(def, unit, "dt_tuoi_xuan", Column::Estimate, false).unwrap();
    assert_eq!(fill_of(&p, 2, r, c).as_deref(), Some("FFFFF2CC"), "required: yellow");
    let (r, c) = value_cell(def, unit, "dt_tuoi_xuan", Column::Actual, false).unwrap();
    assert_eq!(fill_of(&p, 2, r, c), None, "optional: plain");
    let strings = &p["xl/sharedStrings.xml"];
    assert!(strings.contains("Ô nền vàng: văn bản cần số này, bắt buộc ghi"), "legend");
    assert!(
        strings.contains("Diện tích được tưới vụ Xuân (dt_tuoi_xuan): TH năm trước, KH năm, Ước cả năm, KH năm sau")
    );
    // the groups this unit lists are named in the instructions
    let def_unit = def.units.get("PTNT").unwrap();
    let p = parts(&form_workbook_with(def, def_unit, None, &marks).unwrap().save_to_buffer().unwrap());
    assert!(p["xl/sharedStrings.xml"].contains("nhóm «ocop-chi-dao»"));
    assert!(p["xl/sharedStrings.xml"].contains("nhóm «chuoi-khao-sat»"));
}

#[test]
fn every_sheet_prints_on_a4_and_the_information_sheet_on_one_page() {
    let defs = defs();
    let marks = baocao::form_marks(&defs, None, &Default::default()).unwrap();
    let def = &defs[0];
    let unit = def.units.get("TTBVTV").unwrap();
    let bytes = form_workbook_with(def, unit, None, &marks).unwrap().save_to_buffer().unwrap();
    let p = parts(&bytes);
    for n in 1..=5 {
        let xml = &p[&format!("xl/worksheets/sheet{n}.xml")];
        assert!(xml.contains(r#"paperSize="9""#), "sheet {n} on A4");
        assert!(xml.contains(r#"fitToPage="1""#), "sheet {n} fitted to the page width");
    }
    let info = &p["xl/worksheets/sheet1.xml"];
    assert!(info.contains(r#"<mergeCell ref="A1:B1"/>"#), "the title spans labels and values");
    // one page tall (fitToHeight="1" is the default and left out), portrait
    assert!(info.contains(r#"orientation="portrait""#) && !info.contains("fitToHeight="), "{info}");
}

#[test]
#[ignore = "needs LibreOffice and poppler: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn the_information_sheet_prints_labels_values_and_title_on_its_first_page() {
    require_tool("soffice", "--version");
    require_tool("pdftotext", "-v");
    let defs = defs();
    let marks = baocao::form_marks(&defs, None, &Default::default()).unwrap();
    let def = &defs[0];
    let unit = def.units.get("TTBVTV").unwrap();
    let bytes = form_workbook_with(def, unit, None, &marks).unwrap().save_to_buffer().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("bieu-mau.xlsx");
    std::fs::write(&xlsx, &bytes).unwrap();
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let first = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(dir.path().join("bieu-mau.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&first.stdout).to_string();
    // labels and values on the same page, the whole title
    for s in ["Mã đơn vị", "TTBVTV", "Ngày báo cáo", "BIỂU MẪU SỐ LIỆU", "6 THÁNG ĐẦU NĂM 2023"] {
        assert!(page.contains(s), "{s:?} on the first page:\n{page}");
    }
}
