//! The units' side: blank forms, `baocao check`, drafts with missing
//! figures marked, and the provenance of every printed figure.

mod common;

use std::fs;
use std::io::Read;
use std::process::{Command, Output};

use baocao::config::ReportDef;
use baocao::ingest::read_workbook;
use calamine::{open_workbook_auto, Data, Reader};
use common::*;

fn baocao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao")).args(args).current_dir(root()).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

/// The sample plan built into `out`.
fn build_plan(out: &std::path::Path) -> baocao::Built {
    let opts = baocao::BuildOptions {
        inputs: root().join("inputs"),
        templates: root().join("templates/ke-hoach-nam").into(),
        out: out.to_path_buf(),
        draft: false,
        limits: Default::default(),
    };
    baocao::build(&opts).unwrap()
}

fn zip_part(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn blank_forms_for_every_unit_read_back_as_forms() {
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["forms", "--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let def = def();
    let expected = def.expected_units();
    assert!(text(&o.stdout).contains(&format!("Đã tạo {} biểu mẫu", expected.len())));
    for unit in expected {
        let path = fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("bieu-mau-{}-", unit.code)))
            .unwrap_or_else(|| panic!("no form for {}", unit.code));
        let raw = read_workbook(&path, "form.xlsx").unwrap();
        let meta = raw.meta.expect("metadata sheet");
        assert_eq!(
            meta.get(baocao::ingest::MetaKey::UnitCode).unwrap().value.text().as_deref(),
            Some(unit.code.as_str())
        );
        let table = raw.indicators.expect("indicator sheet");
        let codes: Vec<String> =
            table.rows.iter().filter_map(|r| r.get(baocao::ingest::Field::Code)?.value.text()).collect();
        let wanted: Vec<String> = def
            .catalog
            .indicators
            .iter()
            .filter(|i| !i.is_derived() && def.reports(i, unit))
            .map(|i| i.code.to_string())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        let mut wanted_sorted = wanted.clone();
        wanted_sorted.sort();
        assert_eq!(sorted, wanted_sorted, "{}", unit.code);
        // six value columns found by their headers
        assert_eq!(table.columns.iter().filter(|(f, _, _)| matches!(f, baocao::ingest::Field::Value(_))).count(), 6);
        assert!(raw.sheets.contains(&"Hướng dẫn".to_string()));
        // locked without a password, decimals ≥ 0 validated
        let sheet = zip_part(&path, "xl/worksheets/sheet2.xml");
        assert!(sheet.contains("<sheetProtection") && !sheet.contains("password="), "protected without password");
        assert!(sheet.contains(r#"type="decimal""#) && sheet.contains(r#"operator="greaterThanOrEqual""#));
        assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#), "A4 landscape");
    }
}

#[test]
#[ignore = "needs LibreOffice: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn a_filled_form_saved_by_libreoffice_reads_back_without_a_warning() {
    require_tool("soffice", "--version");
    let original = root().join("inputs/huyen/LBI-loc-binh.xlsx");
    let work = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(work.path())
        .arg(&original)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let saved = work.path().join("LBI-loc-binh.xlsx");
    let def = def();
    let a = baocao::model::validate(&def, &[read_workbook(&original, "a.xlsx").unwrap()]);
    let b = baocao::model::validate(&def, &[read_workbook(&saved, "b.xlsx").unwrap()]);
    let values = |s: &baocao::model::Submission| {
        s.entries.iter().map(|e| (e.indicator.clone(), e.column, e.value, e.origin.cell())).collect::<Vec<_>>()
    };
    assert_eq!(values(&a.0[0]), values(&b.0[0]), "LibreOffice changed nothing we read");
    let warnings: Vec<_> = b.1.iter().filter(|d| d.file == "b.xlsx").collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn check_prints_a_table_writes_kiem_tra_and_sets_the_exit_code() {
    // clean inputs: exit 0
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["check", "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Không có lỗi hay cảnh báo nào."));
    assert!(out.path().join("kiem-tra.xlsx").is_file());
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1, "check writes no document");

    // a bad cell: exit 1, the row names unit, file, sheet, cell and the request
    let inputs = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), inputs.path());
    fs::remove_file(inputs.path().join("huyen/CLO-cao-loc.xlsx")).unwrap();
    fs::copy(root().join("tests/fixtures/chu-trong-o-so.xlsx"), inputs.path().join("huyen/chu-trong-o-so.xlsx"))
        .unwrap();
    let o = baocao(&["check", "--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = text(&o.stdout);
    let header = stdout.lines().next().unwrap();
    assert!(header.starts_with("Mức") && header.contains("Đơn vị") && header.contains("Tệp") && header.contains(" Ô "));
    let row = stdout.lines().find(|l| l.contains("«hai» không phải là số")).unwrap_or_else(|| panic!("{stdout}"));
    for part in ["lỗi", "CLO", "huyen/chu-trong-o-so.xlsx", "Chỉ tiêu", "→ Đề nghị đơn vị nhập số"]
    {
        assert!(row.contains(part), "{part:?} not in {row:?}");
    }
    assert!(stdout.contains("1 lỗi, 0 cảnh báo"), "{stdout}");
    let mut wb = open_workbook_auto(out.path().join("kiem-tra.xlsx")).unwrap();
    let range = wb.worksheet_range("Kết quả kiểm tra").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { c.to_string() }).collect())
        .collect();
    assert_eq!(cells[0][..4], ["STT", "Mức", "Mã đơn vị", "Đơn vị"].map(String::from));
    let found = cells.iter().find(|r| r[7].contains("«hai» không phải là số")).expect("finding in kiem-tra.xlsx");
    assert_eq!(found[1], "lỗi");
    assert_eq!(found[2], "CLO");
    assert_eq!(found[3], "Phòng Nông nghiệp và PTNT huyện Cao Lộc");
    assert_eq!((found[4].as_str(), found[5].as_str()), ("huyen/chu-trong-o-so.xlsx", "Chỉ tiêu"));
    assert!(!found[6].is_empty() && !found[8].is_empty());

    // cannot run: exit 2
    let o = baocao(&["check", "--templates", "khong-co", "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_draft_marks_every_missing_figure_and_says_du_thao() {
    let inputs = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), inputs.path());
    fs::remove_file(inputs.path().join("huyen/LBI-loc-binh.xlsx")).unwrap();
    let out = tempfile::tempdir().unwrap();
    // refused without --nhap
    let o = baocao(&["--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--nhap"));
    // written with it
    let o = baocao(&["--nhap", "--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Bản dự thảo: còn"));
    let parts = read_parts(&out.path().join("ke-hoach-nam-2024.docx"));
    let xml = &parts["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let marked: Vec<String> = doc
        .descendants()
        .filter(|n| is_w(n, "r") && n.descendants().any(|c| is_w(&c, "highlight")))
        .map(|r| r.descendants().filter(|n| is_w(n, "t")).filter_map(|n| n.text()).collect())
        .collect();
    assert!(!marked.is_empty());
    assert!(marked.iter().all(|m| m.starts_with("[thiếu số liệu: ")), "{marked:#?}");
    assert!(marked.iter().any(|m| m.contains("huyện Lộc Bình")), "the missing unit is named: {marked:#?}");
    // no partial total is printed where Lộc Bình's number is missing: the
    // HTX sentence carries the marker instead of a number
    let body = body_text(xml);
    assert!(body.contains("thành lập mới được [thiếu số liệu: Hợp tác xã nông nghiệp thành lập mới"), "{body}");
    // the boxed DỰ THẢO under "Số"
    let p = paragraphs(xml).into_iter().find(|p| p.text == "DỰ THẢO").expect("DỰ THẢO");
    assert!(p.in_table && p.style == "DuThao");
}

#[test]
fn provenance_traces_every_printed_figure_to_its_cells() {
    let s = sample();
    let path = s.docx.with_file_name("ke-hoach-nam-2024-nguon-so-lieu.xlsx");
    let mut wb = open_workbook_auto(&path).unwrap();
    let printed = wb.worksheet_range("Số liệu trong văn bản").unwrap();
    let sources = wb.worksheet_range("Ô nguồn").unwrap();
    let str_at = |r: &calamine::Range<Data>, row: usize, col: usize| match r.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        _ => String::new(),
    };
    // one row per figure printed in the document: body, footnotes, appendix
    let def = def();
    let checked = baocao::check(&def, &root().join("inputs")).unwrap();
    let rendered = baocao::render::render(&def, &checked.figures, Default::default()).unwrap();
    let mut figures = 0;
    let mut count = |inl: &[baocao::doc::Inline]| {
        figures += inl.iter().filter(|i| matches!(i, baocao::doc::Inline::Figure { .. })).count()
    };
    for b in &rendered.document.body {
        match b {
            baocao::doc::Block::Heading(h) => count(&h.title),
            baocao::doc::Block::Paragraph { inlines, .. } => count(inlines),
        }
    }
    for note in &rendered.document.notes {
        for p in note {
            count(p);
        }
    }
    // and the appendix's numbers
    for a in &rendered.document.appendices {
        for row in &a.table.rows {
            for c in row {
                count(&c.content);
            }
        }
    }
    assert!(figures > 150, "{figures} figures");
    assert_eq!(printed.height() - 1, figures, "a provenance row per printed figure");
    let text = body_text(&s.parts["word/document.xml"])
        + &footnotes(&s.parts["word/footnotes.xml"]).iter().map(|(_, t)| t.clone()).collect::<String>();
    let mut with_sources = std::collections::HashSet::new();
    for r in 1..sources.height() {
        with_sources.insert(str_at(&sources, r, 0));
        assert!(
            !str_at(&sources, r, 6).is_empty()
                && !str_at(&sources, r, 7).is_empty()
                && !str_at(&sources, r, 8).is_empty()
        );
    }
    for r in 1..printed.height() {
        let shown = str_at(&printed, r, 3);
        assert!(text.contains(&shown), "printed {shown:?} is not in the document");
        assert!(with_sources.contains(&str_at(&printed, r, 0)), "figure {r} ({shown}) has no source cell");
    }
    // Lúa Xuân 15.585 ha: the TTBVTV cell; vaccination: its four parts
    let row_of = |shown: &str| (1..printed.height()).find(|r| str_at(&printed, *r, 3) == shown).unwrap();
    let lua = row_of("15.585");
    assert!(str_at(&printed, lua, 2).contains("Lúa Xuân ước đạt 15.585 ha"));
    let srcs = |row: usize| -> Vec<usize> {
        (1..sources.height()).filter(|r| str_at(&sources, *r, 0) == str_at(&printed, row, 0)).collect()
    };
    let l = srcs(lua);
    assert_eq!(l.len(), 1);
    assert_eq!(str_at(&sources, l[0], 6), "TTBVTV-chi-cuc-trong-trot-bvtv.xlsx");
    assert_eq!(str_at(&sources, l[0], 9), "15585");
    assert_eq!(srcs(row_of("941.283")).len(), 4, "vaccination = four parts");
}

#[test]
fn provenance_beyond_a_sheet_goes_on_to_more_sheets() {
    let out = tempfile::tempdir().unwrap();
    let built = build_plan(out.path());
    let def = def();
    let whole: usize = built.printed.iter().map(|p| baocao::provenance::sources(p, &built.sums).count()).sum();
    assert!(whole > 250, "{whole} source cells");
    // 100 rows to a sheet: a header and 99 cells each
    let mut wb = baocao::xlsx::provenance_workbook(
        &def,
        &built.printed,
        &built.sums,
        chrono::NaiveDate::from_ymd_opt(2023, 12, 1).unwrap(),
        baocao::xlsx::CellList::Sheets { rows: 100 },
    )
    .unwrap();
    let path = out.path().join("nguon.xlsx");
    wb.save(&path).unwrap();
    let mut back = open_workbook_auto(&path).unwrap();
    let names = back.sheet_names();
    let expected = whole.div_ceil(99);
    assert_eq!(names.len(), 1 + expected, "{names:?}");
    assert_eq!(names[1], "Ô nguồn");
    assert_eq!(names[2], "Ô nguồn (2)");
    let mut rows = 0;
    for name in &names[1..] {
        let r = back.worksheet_range(name).unwrap();
        assert_eq!(r.get((0, 0)), Some(&Data::String("STT số in".into())), "{name} has its header");
        assert!(r.height() <= 100);
        rows += r.height() - 1;
    }
    assert_eq!(rows, whole, "every source cell once, none lost at a sheet's end");
}

#[test]
fn provenance_of_many_cells_lists_them_in_a_csv_with_the_sheet_columns_but_repeated_texts() {
    let out = tempfile::tempdir().unwrap();
    let built = build_plan(out.path());
    let def = def();
    let date = chrono::NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
    // the sample's few hundred cells stay in the workbook
    let list = baocao::xlsx::cell_list(&built.printed, &built.sums, "x.csv");
    assert_eq!(list, baocao::xlsx::CellList::Sheets { rows: 1_048_576 });

    // the same cells written as the CSV of a large build
    let mut csv = Vec::new();
    baocao::xlsx::cells_csv(&def, &built.printed, &built.sums, &mut csv).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "the byte-order mark Excel needs for UTF-8");
    let mut rows = csv::Reader::from_reader(&csv[3..]);
    let headers: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let path = out.path().join("ke-hoach-nam-2024-nguon-so-lieu.xlsx");
    let mut wb = open_workbook_auto(&path).unwrap();
    let sheet = wb.worksheet_range("Ô nguồn").unwrap();
    let text = |d: Option<&Data>| match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        _ => String::new(),
    };
    let sheet_headers: Vec<String> = (0..sheet.width()).map(|c| text(sheet.get((0, c)))).collect();
    // the columns of the sheet but the texts repeated on every cell
    let kept: Vec<usize> = (0..sheet.width()).filter(|c| ![1, 2].contains(c)).collect();
    assert_eq!(headers, kept.iter().map(|&c| sheet_headers[c].clone()).collect::<Vec<_>>());
    assert_eq!(sheet_headers[1..3], ["Số in", "Chỉ tiêu"]);
    assert_eq!(records.len(), sheet.height() - 1, "every cell of the sheet, once");
    for (r, rec) in records.iter().enumerate() {
        for (i, &c) in kept.iter().enumerate() {
            let csv_field = rec.get(i).unwrap_or("");
            let cell = text(sheet.get((r + 1, c)));
            if sheet_headers[c] == "Giá trị" {
                let v: f64 = csv_field.parse().unwrap();
                assert_eq!(v.to_string(), cell, "row {r}: value");
            } else {
                assert_eq!(csv_field, cell, "row {r}, column {c}");
            }
        }
    }

    // the workbook of a large build says where the cells are, and still sums
    // each figure's cells up on its row
    let mut wb = baocao::xlsx::provenance_workbook(
        &def,
        &built.printed,
        &built.sums,
        date,
        baocao::xlsx::CellList::Csv { file: "ke-hoach-nam-2024-nguon-so-lieu-cac-o.csv", cells: records.len() },
    )
    .unwrap();
    let path = out.path().join("lon.xlsx");
    wb.save(&path).unwrap();
    let mut back = open_workbook_auto(&path).unwrap();
    assert_eq!(back.sheet_names(), ["Số liệu trong văn bản", "Ô nguồn"]);
    let note = back.worksheet_range("Ô nguồn").unwrap();
    assert!(text(note.get((0, 0))).contains("«ke-hoach-nam-2024-nguon-so-lieu-cac-o.csv»"), "{:?}", note.get((0, 0)));
    let printed = back.worksheet_range("Số liệu trong văn bản").unwrap();
    assert_eq!(text(printed.get((0, 7))), "Ô nguồn");
    let lua = (1..printed.height()).find(|r| text(printed.get((*r, 3))) == "15.585").unwrap();
    let summary = text(printed.get((lua, 7)));
    assert!(summary.starts_with("1 ô: TTBVTV-chi-cuc-trong-trot-bvtv.xlsx, trang «"), "{summary}");
    let vaccination = (1..printed.height()).find(|r| text(printed.get((*r, 3))) == "941.283").unwrap();
    assert!(text(printed.get((vaccination, 7))).starts_with("4 ô"), "{:?}", printed.get((vaccination, 7)));
}
