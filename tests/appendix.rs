//! The indicator appendix: a landscape section of the document and the same
//! table as a spreadsheet, both from the same figures.

mod common;

use std::io::Read;

use baocao::config::ReportDef;
use baocao::model::appendix::Row;
use calamine::{open_workbook_auto, Data, Reader};
use common::*;

fn table() -> baocao::model::appendix::Table {
    let def = ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, &root().join("inputs")).unwrap();
    baocao::model::appendix::appendix(&def, &checked.figures).expect("the plan has an appendix")
}

/// Cell texts of the last table of the document, row by row.
fn docx_rows(xml: &str) -> Vec<Vec<String>> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let tbl = doc.descendants().rfind(|n| is_w(n, "tbl")).unwrap();
    tbl.children()
        .filter(|n| is_w(n, "tr"))
        .map(|tr| {
            tr.children()
                .filter(|n| is_w(n, "tc"))
                .map(|tc| tc.descendants().filter(|n| is_w(n, "t")).filter_map(|n| n.text()).collect::<String>())
                .collect()
        })
        .collect()
}

#[test]
fn appendix_is_a_landscape_section_numbered_from_one() {
    let s = sample();
    let xml = &s.parts["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let sects: Vec<_> = doc.descendants().filter(|n| is_w(n, "sectPr")).collect();
    assert_eq!(sects.len(), 2, "main text + appendix");
    fn child<'a, 'i>(s: &roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        s.children().find(|n| is_w(n, name))
    }
    let (main, annex) = (&sects[0], &sects[1]);
    let sz = child(main, "pgSz").unwrap();
    assert_eq!((attr(&sz, "w"), attr(&sz, "orient")), (Some("11906"), None));
    let sz = child(annex, "pgSz").unwrap();
    assert_eq!(
        (attr(&sz, "w"), attr(&sz, "h"), attr(&sz, "orient")),
        (Some("16838"), Some("11906"), Some("landscape"))
    );
    for s in [main, annex] {
        assert_eq!(child(s, "pgNumType").and_then(|n| attr(&n, "start")), Some("1"));
        assert!(child(s, "titlePg").is_some());
        assert_eq!(child(s, "type").and_then(|n| attr(&n, "val")), Some("nextPage"));
        let kinds: Vec<&str> =
            s.children().filter(|n| is_w(n, "headerReference")).filter_map(|n| attr(&n, "type")).collect();
        assert!(kinds.contains(&"default") && kinds.contains(&"first"), "{kinds:?}");
        let m = child(s, "pgMar").unwrap();
        assert_eq!((attr(&m, "top"), attr(&m, "left"), attr(&m, "right")), (Some("1134"), Some("1701"), Some("1134")));
    }
    // the appendix opens with its number, title and "Kèm theo" line
    let paras = paragraphs(xml);
    let i = paras.iter().position(|p| p.text == "Phụ lục 01/SXNLN").expect("Phụ lục heading");
    assert_eq!(paras[i].style, "PhuLucSo");
    assert_eq!(paras[i + 1].text, "MỘT SỐ CHỈ TIÊU CHỦ YẾU PHÁT TRIỂN NÔNG NGHIỆP, NÔNG THÔN NĂM 2024");
    assert_eq!(
        paras[i + 2].text,
        "(Kèm theo Kế hoạch số       /KH-SNN ngày      tháng      năm 2023 của Sở Nông nghiệp và Phát triển nông thôn)"
    );
    // the body points to the appendix (Decree 30, Phụ lục I, III.1.a)
    assert!(body_text(xml).contains("(Chỉ tiêu cụ thể tại Phụ lục 01/SXNLN kèm theo)."));
}

#[test]
fn appendix_table_repeats_its_header_and_matches_the_figures() {
    let s = sample();
    let xml = &s.parts["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let tbl = doc.descendants().rfind(|n| is_w(n, "tbl")).unwrap();
    let trs: Vec<_> = tbl.children().filter(|n| is_w(n, "tr")).collect();
    let repeated = |tr: &roxmltree::Node| tr.descendants().any(|n| is_w(&n, "tblHeader"));
    assert!(repeated(&trs[0]) && repeated(&trs[1]) && !repeated(&trs[2]), "header rows repeat, data rows do not");
    let borders = tbl.descendants().find(|n| is_w(n, "tblBorders")).unwrap();
    for b in borders.children().filter(|n| n.is_element()) {
        assert_eq!((attr(&b, "val"), attr(&b, "sz")), (Some("single"), Some("4")));
    }
    let rows = docx_rows(xml);
    assert_eq!(
        rows[0],
        [
            "STT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "TH năm 2022",
            "KH năm 2023",
            "Ước TH năm 2023",
            "Ước TH so KH (%)",
            "Ước TH so cùng kỳ (%)",
            "KH năm 2024"
        ]
    );
    let t = table();
    assert_eq!(rows.len() - 2, t.rows.len());
    let fmt =
        |v: Option<rust_decimal::Decimal>, d| v.map(|v| baocao::vi::format_number(v, d, false)).unwrap_or_default();
    let mut items = 0;
    for (got, want) in rows[2..].iter().zip(&t.rows) {
        match want {
            Row::Group { ordinal, name } => assert_eq!(got, &vec![ordinal.clone(), name.clone()]),
            Row::Item(it) => {
                items += 1;
                let expect = vec![
                    it.ordinal.to_string(),
                    it.name.clone(),
                    it.measure.clone(),
                    fmt(it.prev_year, it.decimals),
                    fmt(it.plan, it.decimals),
                    fmt(it.estimate, it.decimals),
                    fmt(it.estimate_vs_plan, 1),
                    fmt(it.estimate_vs_prev, 1),
                    fmt(it.next_plan, it.decimals),
                ];
                assert_eq!(got, &expect);
                // numbers are right-aligned (the BangSo style)
            }
        }
    }
    assert!(items >= 4);
    // numbers right-aligned by style
    let styles = roxmltree::Document::parse(&s.parts["word/styles.xml"]).unwrap();
    let number = styles.descendants().find(|n| is_w(n, "style") && attr(n, "styleId") == Some("BangSo")).unwrap();
    assert_eq!(number.descendants().find(|n| is_w(n, "jc")).and_then(|n| attr(&n, "val")), Some("right"));
    assert_eq!(number.descendants().find(|n| is_w(n, "sz")).and_then(|n| attr(&n, "val")), Some("24"));
}

#[test]
fn appendix_spreadsheet_has_the_same_figures_and_prints_on_a4_landscape() {
    let s = sample();
    let path = s.docx.with_file_name("phu-luc-01-SXNLN.xlsx");
    assert!(path.is_file(), "the spreadsheet is written beside the document");
    let mut wb = open_workbook_auto(&path).unwrap();
    let name = wb.sheet_names()[0].clone();
    assert_eq!(name, "Phụ lục 01SXNLN");
    let range = wb.worksheet_range(&name).unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Phụ lục 01/SXNLN".into()));
    assert_eq!(cell(4, 1), Data::String("Chỉ tiêu".into()));
    let t = table();
    let num = |v: Option<rust_decimal::Decimal>| v.map(|v| v.to_string().parse::<f64>().unwrap());
    for (i, row) in t.rows.iter().enumerate() {
        let r = 6 + i as u32;
        match row {
            Row::Group { name, .. } => assert_eq!(cell(r, 1), Data::String(name.clone())),
            Row::Item(it) => {
                assert_eq!(cell(r, 1), Data::String(it.name.clone()));
                for (c, v) in [(3, it.prev_year), (4, it.plan), (5, it.estimate), (8, it.next_plan)] {
                    match num(v) {
                        Some(x) => assert_eq!(cell(r, c), Data::Float(x), "row {r} col {c}"),
                        None => assert_eq!(cell(r, c), Data::Empty),
                    }
                }
                for (c, v) in [(6, it.estimate_vs_plan), (7, it.estimate_vs_prev)] {
                    if let Some(x) = num(v) {
                        let Data::Float(got) = cell(r, c) else { panic!("row {r} col {c}: {:?}", cell(r, c)) };
                        assert!((got - x).abs() < 1e-9);
                    }
                }
            }
        }
    }
    // frozen header, A4 landscape, header rows repeated when printed
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(sheet.contains(r#"<pane ySplit="6" topLeftCell="A7""#), "frozen header");
    assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#), "A4 landscape");
    let mut book = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut book).unwrap();
    assert!(book.contains("_xlnm.Print_Titles"), "header rows repeat on each printed page");
}
