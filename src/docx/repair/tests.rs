//! Each test builds a small document with docx-rs, shows the defect in what
//! docx-rs wrote, and shows the repair mending it. When a docx-rs upgrade
//! fixes a defect, the first assertion of its test fails: drop the repair.

use docx_rs::*;

use super::*;

fn part(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn repaired(doc: &mut XmlDoc, f: impl Fn(&mut XmlDoc)) -> String {
    f(doc);
    part(&doc.to_bytes())
}

fn one_paragraph() -> Docx {
    Docx::new().add_paragraph(Paragraph::new().style("A").align(AlignmentType::Both).add_run(Run::new().add_text("x")))
}

#[test]
fn properties_come_out_of_schema_order_and_are_put_back() {
    let src = br#"<w:document><w:body><w:p><w:pPr><w:rPr/><w:jc w:val="both"/><w:pStyle w:val="A"/><w:spacing w:before="120"/></w:pPr></w:p><w:sectPr><w:pgSz/><w:headerReference/><w:titlePg/><w:footerReference/></w:sectPr></w:body></w:document>"#;
    let mut doc = XmlDoc::parse(src).unwrap();
    let out = repaired(&mut doc, generic);
    assert!(
        out.contains(r#"<w:pPr><w:pStyle w:val="A"/><w:spacing w:before="120"/><w:jc w:val="both"/></w:pPr>"#),
        "{out}"
    );
    assert!(
        out.contains("<w:sectPr><w:headerReference/><w:footerReference/><w:pgSz/><w:titlePg/></w:sectPr>"),
        "{out}"
    );
    // docx-rs itself writes a style's run properties before its paragraph properties
    let xml =
        Docx::new().add_style(Style::new("A", StyleType::Paragraph).align(AlignmentType::Center).size(28)).build();
    let styles = part(&xml.styles);
    let style = &styles[styles.find(r#"w:styleId="A""#).unwrap()..];
    assert!(style.find("<w:rPr>").unwrap() < style.find("<w:pPr>").unwrap(), "{style}");
    let mut d = XmlDoc::parse(styles.as_bytes()).unwrap();
    let out = repaired(&mut d, generic);
    let style = &out[out.find(r#"w:styleId="A""#).unwrap()..];
    assert!(style.find("<w:pPr>").unwrap() < style.find("<w:rPr>").unwrap(), "{style}");
}

#[test]
fn run_properties_leave_a_style_paragraph_properties() {
    let src = br#"<w:styles><w:style w:styleId="X"><w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:jc w:val="center"/></w:pPr><w:name w:val="X"/><w:rPr><w:sz w:val="26"/></w:rPr></w:style></w:styles>"#;
    let mut doc = XmlDoc::parse(src).unwrap();
    let out = repaired(&mut doc, generic);
    assert!(
        out.contains(
            r#"<w:name w:val="X"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr>"#
        ),
        "{out}"
    );
}

#[test]
fn paragraph_ids_from_a_shared_counter_are_dropped() {
    // ids come from a counter shared by every document the process builds
    // (builds on other threads shift them): optional, and they are dropped
    let a = part(&one_paragraph().build().document);
    assert!(a.contains("w14:paraId"), "{a}");
    let mut x = XmlDoc::parse(a.as_bytes()).unwrap();
    assert!(!repaired(&mut x, generic).contains("paraId"));
}

#[test]
fn grid_column_types_and_empty_containers_go() {
    let xml =
        Docx::new().add_table(Table::new(vec![TableRow::new(vec![TableCell::new()])]).set_grid(vec![100])).build();
    let doc = part(&xml.document);
    assert!(doc.contains(r#"<w:gridCol w:w="100" w:type="dxa" />"#), "{doc}");
    let mut d = XmlDoc::parse(doc.as_bytes()).unwrap();
    let out = repaired(&mut d, generic);
    assert!(out.contains(r#"<w:gridCol w:w="100"/>"#) && !out.contains("<w:rPr/>"), "{out}");
}

#[test]
fn a_section_before_the_last_keeps_its_first_page_header() {
    let header = || Header::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("h")));
    let docx = Docx::new()
        .add_section(Section::new().first_header(header()).header(header()).title_pg().add_paragraph(Paragraph::new()))
        .add_paragraph(Paragraph::new())
        .header(header())
        .first_header(header())
        .title_pg();
    let xml = part(&docx.build().document);
    let first = &xml[..xml.find("</w:sectPr>").unwrap()];
    assert!(!first.contains(r#"w:type="first""#), "docx-rs dropped the first-page header: {first}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    let out = repaired(&mut d, section_headers);
    let first = &out[..out.find("</w:sectPr>").unwrap()];
    assert!(first.contains(r#"w:type="first""#), "{first}");
}

#[test]
fn sections_start_on_a_new_page_and_their_carrier_has_a_style() {
    let docx = Docx::new().add_section(Section::new().add_paragraph(Paragraph::new())).add_paragraph(Paragraph::new());
    let xml = part(&docx.build().document);
    assert!(!xml.contains("<w:type "), "docx-rs cannot say nextPage: {xml}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    let out = repaired(&mut d, |d| section_breaks(d, "Break"));
    assert_eq!(out.matches(r#"<w:type w:val="nextPage"/>"#).count(), 2, "{out}");
    assert!(out.contains(r#"<w:pStyle w:val="Break"/>"#), "{out}");
}

#[test]
fn heading_rows_repeat_on_every_page() {
    let cell = |style: &str| TableCell::new().add_paragraph(Paragraph::new().style(style));
    let table = Table::new(vec![
        TableRow::new(vec![cell("H"), cell("H")]).cant_split(),
        TableRow::new(vec![cell("H"), cell("B")]).cant_split(),
    ]);
    let xml = part(&Docx::new().add_table(table).build().document);
    assert!(!xml.contains("tblHeader"), "docx-rs has no tblHeader: {xml}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    let out = repaired(&mut d, |d| table_headers(d, "H"));
    assert_eq!(out.matches("<w:tblHeader/>").count(), 1, "only the leading heading row: {out}");
    assert_eq!(out.matches("<w:cantSplit/>").count(), 2, "{out}");
}

#[test]
fn page_numbers_are_said_to_be_arabic() {
    let xml = part(&Docx::new().page_num_type(PageNumType::new().start(1)).build().document);
    assert!(!xml.contains("w:fmt"), "{xml}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    assert!(repaired(&mut d, page_number_format).contains(r#"w:fmt="decimal""#));
}

#[test]
fn the_language_goes_into_the_default_run_properties() {
    let xml = part(&Docx::new().build().styles);
    assert!(!xml.contains("w:lang"), "{xml}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    let out = repaired(&mut d, |d| language(d, "vi-VN"));
    assert!(out.contains(r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN"/>"#), "{out}");
}

#[test]
fn footnotes_get_their_number_mark_and_the_separators() {
    let note =
        docx_rs::Footnote { id: 1, content: vec![Paragraph::new().add_run(Run::new().add_text("Chú thích."))] };
    let docx = Docx::new().add_paragraph(Paragraph::new().add_run(Run::new().add_footnote_reference(note)));
    let xml = part(&docx.build().footnotes);
    assert!(!xml.contains("footnoteRef") && !xml.contains("separator"), "{xml}");
    let mut d = XmlDoc::parse(xml.as_bytes()).unwrap();
    let out = repaired(&mut d, |d| {
        footnote_marks(d, "Mark");
        footnote_separators(d);
    });
    assert!(out.contains(r#"<w:footnote w:type="separator" w:id="-1">"#), "{out}");
    assert!(out.contains(r#"<w:footnote w:type="continuationSeparator" w:id="0">"#), "{out}");
    let mark = out.find("<w:footnoteRef/>").expect("the mark");
    assert!(mark < out.find("Chú thích.").unwrap());
    assert!(out.contains(r#"<w:rStyle w:val="Mark"/>"#));
}

#[test]
fn the_package_names_its_maker() {
    let xml = Docx::new().build();
    assert!(part(&xml.doc_props.core).contains("<dc:creator>unknown</dc:creator>"));
    let (core, app) = document_properties(&xml.doc_props.core).unwrap();
    assert!(part(&core).contains("<dc:creator>baocao</dc:creator>"));
    assert!(part(&app).contains("<Application>baocao</Application>"));
}

#[test]
fn settings_are_written_in_schema_order() {
    let docx_rs_settings = part(
        &Docx::new()
            .settings(Settings::new().character_spacing_control(CharacterSpacingValues::DoNotCompress))
            .build()
            .settings,
    );
    let compat = &docx_rs_settings[docx_rs_settings.find("<w:compat>").unwrap()..];
    assert!(compat.contains("characterSpacingControl"), "docx-rs puts it inside w:compat: {docx_rs_settings}");
    let ours = part(&settings("vi-VN"));
    let order =
        ["w:zoom", "w:defaultTabStop", "w:characterSpacingControl", "w:footnotePr", "w:compat", "w:themeFontLang"];
    let at: Vec<usize> = order.iter().map(|n| ours.find(&format!("<{n}")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{ours}");
}
