//! What docx-rs cannot write as Decree 30 and Word need, mended after it has
//! built the parts: one function per defect, each with a test showing it.
//! Everything that can be said to docx-rs while building is said there
//! (`super::header`, `body`, `appendix`…), not here.
//!
//! Written for **docx-rs 0.4.22**; on an upgrade, run the tests of this
//! module with the repair disabled to see which defects remain.
//!
//! | defect of docx-rs 0.4.22 | mended by |
//! |---|---|
//! | properties written out of schema order (Word asks to repair the file) | [`schema_order`] |
//! | run properties inside a style's paragraph properties | [`style_run_properties`] |
//! | paragraph ids from a process-global counter (output not byte-identical) | [`unstable_ids`] |
//! | `w:type` on `w:gridCol`, empty `w:rPr`/`w:trPr` (not in the schema) | [`stray_markup`] |
//! | a section that is not the last one loses all but its default header | [`section_headers`] |
//! | no way to say a section starts on a new page; its carrier paragraph unstyled | [`section_breaks`] |
//! | no `w:tblHeader` (rows repeated on each page) | [`table_headers`] |
//! | no `w:fmt` on `w:pgNumType` | [`page_number_format`] |
//! | no document language in the default run properties | [`language`] |
//! | footnotes without their `w:footnoteRef` number mark | [`footnote_marks`] |
//! | no separator footnotes | [`footnote_separators`] |
//! | creator "unknown", empty application properties | [`document_properties`] |
//!
//! The settings part is not repaired but written whole ([`settings`]): docx-rs
//! 0.4.22 puts `w:characterSpacingControl` inside `w:compat` and cannot
//! write `w:footnotePr` or `w:themeFontLang`.

mod order;

use anyhow::{anyhow, Result};
use docx_rs::XMLDocx;

use super::xml::{Element, Node, XmlDoc};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// What the repairs need to know of the document's styles and language.
pub struct Needs {
    /// Language of the text, e.g. "vi-VN".
    pub lang: String,
    /// Paragraph style of table column headings (their rows repeat on each page).
    pub table_heading_style: String,
    /// Paragraph style of the empty paragraph that carries a section break.
    pub section_break_style: String,
    /// Character style of a footnote's number mark.
    pub footnote_mark_style: String,
}

/// The parts of the package, repaired: (name in the zip, bytes), in a fixed order.
pub fn repair(xml: XMLDocx, needs: &Needs) -> Result<Vec<(String, Vec<u8>)>> {
    let mut document = parse(&xml.document)?;
    generic(&mut document);
    section_headers(&mut document);
    section_breaks(&mut document, &needs.section_break_style);
    table_headers(&mut document, &needs.table_heading_style);
    page_number_format(&mut document);
    let mut styles = parse(&xml.styles)?;
    generic(&mut styles);
    language(&mut styles, &needs.lang);
    let mut footnotes = parse(&xml.footnotes)?;
    footnote_marks(&mut footnotes, &needs.footnote_mark_style);
    footnote_separators(&mut footnotes);
    generic(&mut footnotes);
    let (core, app) = document_properties(&xml.doc_props.core)?;
    let plain = |bytes: &[u8]| -> Result<Vec<u8>> {
        let mut d = parse(bytes)?;
        generic(&mut d);
        Ok(d.to_bytes())
    };

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), app),
        ("docProps/core.xml".into(), core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), document.to_bytes()),
        ("word/styles.xml".into(), styles.to_bytes()),
        ("word/settings.xml".into(), settings(&needs.lang)),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), plain(&xml.comments)?),
        ("word/numbering.xml".into(), plain(&xml.numberings)?),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), footnotes.to_bytes()),
    ];
    for (i, h) in xml.headers.iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), plain(h)?));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, f) in xml.footers.iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), plain(f)?));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    Ok(parts)
}

fn parse(bytes: &[u8]) -> Result<XmlDoc> {
    XmlDoc::parse(bytes).map_err(|e| anyhow!("XML do docx-rs tạo không đọc được: {e}"))
}

/// The repairs every part needs, element by element.
fn generic(doc: &mut XmlDoc) {
    doc.root.walk_mut(&mut |e| {
        style_run_properties(e);
        unstable_ids(e);
        stray_markup(e);
        schema_order(e);
    });
}

/// Puts an element's children in schema order (stable: equal ranks keep
/// their order). Names the schema table does not list keep their relative
/// order after the listed ones.
pub fn schema_order(e: &mut Element) {
    let Some(order) = order::schema_order(&e.name) else { return };
    // "w:footerReference" shares the rank of "w:headerReference"
    let rank = |n: &Node| match n {
        Node::Element(c) => {
            let name = if c.name == "w:footerReference" { "w:headerReference" } else { c.name.as_str() };
            order.iter().position(|o| *o == name).unwrap_or(order.len())
        }
        _ => order.len(),
    };
    let mut kids = std::mem::take(&mut e.children);
    kids.sort_by_key(|n| rank(n));
    e.children = kids;
}

/// In styles and numbering levels the paragraph properties may not hold
/// run properties; docx-rs puts them there. They join the sibling `w:rPr`
/// (the style's own values win).
pub fn style_run_properties(e: &mut Element) {
    if !matches!(e.name.as_str(), "w:style" | "w:lvl") {
        return;
    }
    let mut moved: Vec<Node> = Vec::new();
    if let Some(ppr) = e.find_mut("w:pPr") {
        let mut keep = Vec::new();
        for n in std::mem::take(&mut ppr.children) {
            match n {
                Node::Element(c) if c.name == "w:rPr" => moved.extend(c.children),
                other => keep.push(other),
            }
        }
        ppr.children = keep;
    }
    if moved.is_empty() {
        return;
    }
    if e.find_mut("w:rPr").is_none() {
        e.children.push(Node::Element(Element::new("w:rPr")));
    }
    let rpr = e.find_mut("w:rPr").expect("just added");
    for n in moved {
        if let Node::Element(c) = &n {
            if rpr.elements().any(|x| x.name == c.name) {
                continue;
            }
        }
        rpr.children.push(n);
    }
}

/// Paragraph ids come from a process-global counter: optional in the
/// schema, and they make two builds of the same document differ.
pub fn unstable_ids(e: &mut Element) {
    e.attrs.retain(|(k, _)| k != "w14:paraId" && k != "w14:textId");
}

/// Markup the schema does not allow: `w:type` on a grid column, empty run
/// and row property containers.
pub fn stray_markup(e: &mut Element) {
    if e.name == "w:gridCol" {
        e.attrs.retain(|(k, _)| k != "w:type");
    }
    e.children
        .retain(|n| !matches!(n, Node::Element(c) if c.name == "w:rPr" && c.children.is_empty() && c.attrs.is_empty()));
    e.children.retain(|n| !matches!(n, Node::Element(c) if c.name == "w:trPr" && c.children.is_empty()));
}

/// docx-rs keeps only the default header of a section that is not the last
/// one: every section gets the header references of the last section it
/// lacks (a section may reference the header parts of another).
pub fn section_headers(doc: &mut XmlDoc) {
    let last_refs: Vec<Element> = doc
        .root
        .find_mut("w:body")
        .and_then(|b| b.find_mut("w:sectPr"))
        .map(|s| s.elements().filter(|c| c.name == "w:headerReference").cloned().collect())
        .unwrap_or_default();
    let kind = |e: &Element| e.attrs.iter().find(|(k, _)| k == "w:type").map(|(_, v)| v.clone()).unwrap_or_default();
    doc.root.walk_mut(&mut |e| {
        if e.name != "w:sectPr" {
            return;
        }
        let kinds: Vec<String> = e.elements().filter(|c| c.name == "w:headerReference").map(kind).collect();
        for r in &last_refs {
            if !kinds.contains(&kind(r)) {
                e.children.insert(0, Node::Element(r.clone()));
            }
        }
        schema_order(e);
    });
}

/// Every section starts on a new page, said explicitly (`w:type nextPage`);
/// the empty paragraph docx-rs adds to carry a section break gets a style.
pub fn section_breaks(doc: &mut XmlDoc, break_style: &str) {
    doc.root.walk_mut(&mut |e| {
        if e.name == "w:pPr"
            && e.elements().any(|c| c.name == "w:sectPr")
            && !e.elements().any(|c| c.name == "w:pStyle")
        {
            e.children.insert(0, Node::Element(Element::new("w:pStyle").attr("w:val", break_style)));
        }
        if e.name == "w:sectPr" && e.find_mut("w:type").is_none() {
            e.children.push(Node::Element(Element::new("w:type").attr("w:val", "nextPage")));
            schema_order(e);
        }
    });
}

/// The leading rows of a table whose cells all hold column headings repeat
/// on every page (`w:tblHeader`).
pub fn table_headers(doc: &mut XmlDoc, heading_style: &str) {
    doc.root.walk_mut(&mut |e| {
        if e.name != "w:tbl" {
            return;
        }
        for tr in e.elements_mut().filter(|c| c.name == "w:tr") {
            if !is_heading_row(tr, heading_style) {
                break;
            }
            if tr.find_mut("w:trPr").is_none() {
                let at = tr.children.iter().position(|n| matches!(n, Node::Element(c) if c.name == "w:tc"));
                tr.children.insert(at.unwrap_or(0), Node::Element(Element::new("w:trPr")));
            }
            let trpr = tr.find_mut("w:trPr").expect("just added");
            trpr.children.push(Node::Element(Element::new("w:tblHeader")));
        }
    });
}

/// Every paragraph of every cell of the row has the column-heading style.
fn is_heading_row(tr: &Element, heading_style: &str) -> bool {
    let mut any = false;
    for tc in tr.elements().filter(|c| c.name == "w:tc") {
        for p in tc.elements().filter(|c| c.name == "w:p") {
            let style = p
                .elements()
                .find(|c| c.name == "w:pPr")
                .and_then(|ppr| ppr.elements().find(|c| c.name == "w:pStyle"))
                .and_then(|st| st.attrs.iter().find(|(k, _)| k == "w:val").map(|(_, v)| v.as_str()));
            if style != Some(heading_style) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Page numbers are Arabic (`w:fmt decimal`), said explicitly.
pub fn page_number_format(doc: &mut XmlDoc) {
    doc.root.walk_mut(&mut |e| {
        if e.name == "w:pgNumType" {
            e.set_attr("w:fmt", "decimal");
        }
    });
}

/// The document's language in the default run properties of styles.xml.
pub fn language(styles: &mut XmlDoc, lang: &str) {
    styles.root.walk_mut(&mut |e| {
        if e.name != "w:rPrDefault" {
            return;
        }
        if e.find_mut("w:rPr").is_none() {
            e.children.push(Node::Element(Element::new("w:rPr")));
        }
        let rpr = e.find_mut("w:rPr").expect("just added");
        rpr.children.retain(|n| !matches!(n, Node::Element(c) if c.name == "w:lang"));
        rpr.children.push(Node::Element(Element::new("w:lang").attr("w:val", lang).attr("w:eastAsia", lang)));
        schema_order(rpr);
    });
}

/// Each footnote starts with its number mark (`w:footnoteRef`, in the
/// footnote reference style) and a space: without it Word prints no number
/// at the foot of the page.
pub fn footnote_marks(footnotes: &mut XmlDoc, mark_style: &str) {
    for note in footnotes.root.elements_mut().filter(|n| n.name == "w:footnote") {
        if note.attrs.iter().any(|(k, _)| k == "w:type") {
            continue;
        }
        let Some(p) = note.find_mut("w:p") else { continue };
        let at = p
            .children
            .iter()
            .position(|n| !matches!(n, Node::Element(c) if c.name == "w:pPr"))
            .unwrap_or(p.children.len());
        let mark = Element::new("w:r")
            .child(Element::new("w:rPr").child(Element::new("w:rStyle").attr("w:val", mark_style)))
            .child(Element::new("w:footnoteRef"));
        let space = Element::new("w:r").child(Element::new("w:t").attr("xml:space", "preserve").text(" "));
        p.children.insert(at, Node::Element(space));
        p.children.insert(at, Node::Element(mark));
    }
}

/// The separator and continuation separator notes (ids -1 and 0) that the
/// settings part names.
pub fn footnote_separators(footnotes: &mut XmlDoc) {
    let separator = |kind: &str, id: &str| {
        Element::new("w:footnote").attr("w:type", kind).attr("w:id", id).child(
            Element::new("w:p")
                .child(Element::new("w:pPr").child(
                    Element::new("w:spacing").attr("w:after", "0").attr("w:line", "240").attr("w:lineRule", "auto"),
                ))
                .child(Element::new("w:r").child(Element::new(if kind == "separator" {
                    "w:separator"
                } else {
                    "w:continuationSeparator"
                }))),
        )
    };
    let root = &mut footnotes.root;
    root.children.retain(|n| !matches!(n, Node::Element(c) if c.attrs.iter().any(|(k, _)| k == "w:type")));
    root.children.insert(0, Node::Element(separator("continuationSeparator", "0")));
    root.children.insert(0, Node::Element(separator("separator", "-1")));
}

/// The package's properties name the program that wrote it: docx-rs writes
/// "unknown" as the creator and no application.
pub fn document_properties(core: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut core = parse(core)?;
    core.root.walk_mut(&mut |e| {
        if e.name == "dc:creator" || e.name == "cp:lastModifiedBy" {
            e.children = vec![Node::Text("baocao".into())];
        }
    });
    let app = XmlDoc {
        prolog: vec![],
        root: Element::new("Properties")
            .attr("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties")
            .attr("xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes")
            .child(Element::new("Application").text("baocao"))
            .child(Element::new("AppVersion").text(&app_version())),
    };
    Ok((core.to_bytes(), app.to_bytes()))
}

/// "0.1": the application version as Office writes it (XX.YYYY).
fn app_version() -> String {
    let mut parts = env!("CARGO_PKG_VERSION").split('.');
    let major = parts.next().unwrap_or("0");
    let minor: u32 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    format!("{major}.{minor:04}")
}

/// word/settings.xml: the separator notes, Word 2013+ compatibility, and the
/// document's language, in schema order.
pub fn settings(lang: &str) -> Vec<u8> {
    let root = Element::new("w:settings")
        .attr("xmlns:w", W)
        .child(Element::new("w:zoom").attr("w:percent", "100"))
        .child(Element::new("w:defaultTabStop").attr("w:val", "720"))
        .child(Element::new("w:characterSpacingControl").attr("w:val", "doNotCompress"))
        .child(
            Element::new("w:footnotePr")
                .child(Element::new("w:footnote").attr("w:id", "-1"))
                .child(Element::new("w:footnote").attr("w:id", "0")),
        )
        .child(
            Element::new("w:compat").child(
                Element::new("w:compatSetting")
                    .attr("w:name", "compatibilityMode")
                    .attr("w:uri", "http://schemas.microsoft.com/office/word")
                    .attr("w:val", "15"),
            ),
        )
        .child(Element::new("w:themeFontLang").attr("w:val", lang));
    XmlDoc { prolog: vec![], root }.to_bytes()
}

#[cfg(test)]
mod tests;
