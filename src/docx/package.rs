//! Post-build repairs of the docx-rs parts and the final zip.
//!
//! docx-rs writes many properties in an order the OOXML schema forbids
//! (Word then offers to "repair" the file), puts run properties inside
//! paragraph properties of styles, numbers paragraphs from a process-global
//! counter, and stores the zip uncompressed with the current time. Here every
//! XML part is parsed, its children put in schema order, foreign attributes
//! dropped and unstable ids removed; the package is zipped with deflate, in a
//! fixed entry order with a fixed timestamp, so the same inputs give the
//! same bytes.

use std::io::{Cursor, Write};

use anyhow::{anyhow, Result};
use docx_rs::XMLDocx;
use zip::write::SimpleFileOptions;

use super::xml::{Element, Node, XmlDoc};

/// Schema order of the children of each WordprocessingML container
/// (ECMA-376 Part 1, transitional schema). Names absent from a list keep
/// their relative order after the listed ones.
fn schema_order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        "w:rPr" => &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
        "w:sectPr" => &[
            "w:headerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
        "w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
        "w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
        "w:tblBorders" | "w:tcBorders" => &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        "w:pBdr" => &["w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"],
        "w:tblCellMar" | "w:tcMar" => &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"],
        "w:style" => &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:styles" => &["w:docDefaults", "w:latentStyles", "w:style"],
        "w:tbl" => &["w:tblPr", "w:tblGrid"],
        "w:tr" => &["w:tblPrEx", "w:trPr"],
        "w:tc" => &["w:tcPr"],
        "w:p" => &["w:pPr"],
        "w:r" => &["w:rPr"],
        "w:lvl" => &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
        "w:abstractNum" => {
            &["w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink", "w:numStyleLink", "w:lvl"]
        }
        _ => return None,
    })
}

/// Puts children in schema order (stable: equal ranks keep their order).
fn reorder(e: &mut Element) {
    let Some(order) = schema_order(&e.name) else { return };
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

/// In styles, numbering levels and defaults the paragraph properties may not
/// hold run properties; docx-rs puts them there. Merge them into the sibling
/// `w:rPr` (creating it when needed).
fn hoist_run_props(e: &mut Element) {
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
                continue; // the style's own value wins
            }
        }
        rpr.children.push(n);
    }
}

/// Repairs one part; `extra` runs on every element after the generic fixes.
fn repair(bytes: &[u8], extra: &mut dyn FnMut(&mut Element)) -> Result<Vec<u8>> {
    Ok(repair_doc(bytes, extra)?.to_bytes())
}

fn repair_doc(bytes: &[u8], extra: &mut dyn FnMut(&mut Element)) -> Result<XmlDoc> {
    let mut doc = XmlDoc::parse(bytes).map_err(|e| anyhow!("XML do docx-rs tạo không đọc được: {e}"))?;
    doc.root.walk_mut(&mut |e| {
        hoist_run_props(e);
        // process-global paragraph ids: optional, and they break byte-identical output
        e.attrs.retain(|(k, _)| k != "w14:paraId" && k != "w14:textId");
        if e.name == "w:gridCol" {
            e.attrs.retain(|(k, _)| k != "w:type");
        }
        // empty property containers docx-rs leaves behind
        e.children.retain(
            |n| !matches!(n, Node::Element(c) if c.name == "w:rPr" && c.children.is_empty() && c.attrs.is_empty()),
        );
        e.children.retain(|n| !matches!(n, Node::Element(c) if c.name == "w:trPr" && c.children.is_empty()));
        extra(e);
        reorder(e);
    });
    Ok(doc)
}

/// Fixes of the main document part that need more than one element:
/// - every section shows the same headers (docx-rs drops all but the default
///   header of a section that is not the last one — a sectPr may reference
///   the header parts of another);
/// - a section starts on a new page (`w:type nextPage`, explicit);
/// - the leading rows of a table whose cells are all column headings repeat
///   on every page (`w:tblHeader`), and rows of such tables do not split.
fn repair_document(doc: &mut XmlDoc, heading_style: &str, break_style: &str) {
    let last_refs: Vec<Node> = doc
        .root
        .find_mut("w:body")
        .and_then(|b| b.find_mut("w:sectPr"))
        .map(|s| {
            s.children
                .iter()
                .filter(
                    |n| matches!(n, Node::Element(c) if c.name == "w:headerReference" || c.name == "w:footerReference"),
                )
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    doc.root.walk_mut(&mut |e| {
        // the paragraph docx-rs adds to carry a section break gets a style too
        if e.name == "w:pPr"
            && e.elements().any(|c| c.name == "w:sectPr")
            && !e.elements().any(|c| c.name == "w:pStyle")
        {
            e.children.insert(0, Node::Element(Element::new("w:pStyle").attr("w:val", break_style)));
        }
        if e.name == "w:sectPr" {
            let kinds: Vec<String> = e
                .elements()
                .filter(|c| c.name == "w:headerReference")
                .filter_map(|c| c.attrs.iter().find(|(k, _)| k == "w:type").map(|(_, v)| v.clone()))
                .collect();
            for n in &last_refs {
                if let Node::Element(r) = n {
                    let kind = r.attrs.iter().find(|(k, _)| k == "w:type").map(|(_, v)| v.clone()).unwrap_or_default();
                    if r.name == "w:headerReference" && !kinds.contains(&kind) {
                        e.children.insert(0, n.clone());
                    }
                }
            }
            if e.find_mut("w:type").is_none() {
                e.children.push(Node::Element(Element::new("w:type").attr("w:val", "nextPage")));
            }
            reorder(e);
        }
        if e.name == "w:tbl" {
            let mut leading = true;
            let mut any_header = false;
            for tr in e.elements_mut().filter(|c| c.name == "w:tr") {
                leading = leading && is_heading_row(tr, heading_style);
                if leading {
                    any_header = true;
                }
                if !leading && !any_header {
                    break;
                }
                if tr.find_mut("w:trPr").is_none() {
                    tr.children.insert(0, Node::Element(Element::new("w:trPr")));
                }
                let trpr = tr.find_mut("w:trPr").expect("just added");
                trpr.children.push(Node::Element(Element::new("w:cantSplit")));
                if leading {
                    trpr.children.push(Node::Element(Element::new("w:tblHeader")));
                }
            }
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

/// Everything `package` needs besides the docx-rs parts.
pub struct Extras {
    /// The complete footnotes part.
    pub footnotes: Vec<u8>,
    /// The complete settings part.
    pub settings: Vec<u8>,
    /// Language of the text, e.g. "vi-VN".
    pub lang: String,
    /// Timestamp of the zip entries: (year, month, day).
    pub date: (u16, u8, u8),
    /// Paragraph style of table column headings (their rows repeat on each page).
    pub table_heading_style: String,
    /// Paragraph style of the empty paragraph that carries a section break.
    pub section_break_style: String,
}

/// Repairs the parts and zips them.
pub fn package(xml: XMLDocx, extras: Extras) -> Result<Vec<u8>> {
    let lang = extras.lang.clone();
    let mut document = repair_doc(&xml.document, &mut |e| {
        if e.name == "w:pgNumType" {
            e.set_attr("w:fmt", "decimal");
        }
    })?;
    repair_document(&mut document, &extras.table_heading_style, &extras.section_break_style);
    let document = document.to_bytes();
    let styles = repair(&xml.styles, &mut |e| {
        if e.name == "w:rPrDefault" {
            if e.find_mut("w:rPr").is_none() {
                e.children.push(Node::Element(Element::new("w:rPr")));
            }
            let rpr = e.find_mut("w:rPr").expect("just added");
            rpr.children.retain(|n| !matches!(n, Node::Element(c) if c.name == "w:lang"));
            rpr.children.push(Node::Element(Element::new("w:lang").attr("w:val", &lang).attr("w:eastAsia", &lang)));
        }
    })?;
    let numbering = repair(&xml.numberings, &mut |_| {})?;
    let headers: Vec<Vec<u8>> = xml.headers.iter().map(|h| repair(h, &mut |_| {})).collect::<Result<_>>()?;
    let footers: Vec<Vec<u8>> = xml.footers.iter().map(|h| repair(h, &mut |_| {})).collect::<Result<_>>()?;
    let comments = repair(&xml.comments, &mut |_| {})?;

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), document),
        ("word/styles.xml".into(), styles),
        ("word/settings.xml".into(), extras.settings),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), comments),
        ("word/numbering.xml".into(), numbering),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), extras.footnotes),
    ];
    for (i, h) in headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, f) in footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    zip_parts(&parts, extras.date)
}

fn zip_parts(parts: &[(String, Vec<u8>)], (y, m, d): (u16, u8, u8)) -> Result<Vec<u8>> {
    let time = zip::DateTime::from_date_and_time(y.clamp(1980, 2107), m, d, 0, 0, 0)
        .unwrap_or_else(|_| zip::DateTime::default());
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_put_in_schema_order() {
        let src = br#"<w:document><w:body><w:p><w:pPr><w:rPr/><w:jc w:val="both"/><w:pStyle w:val="A"/><w:spacing w:before="120"/></w:pPr></w:p><w:sectPr><w:pgSz/><w:headerReference/><w:titlePg/><w:footerReference/></w:sectPr></w:body></w:document>"#;
        let out = String::from_utf8(repair(src, &mut |_| {}).unwrap()).unwrap();
        assert!(
            out.contains(r#"<w:pPr><w:pStyle w:val="A"/><w:spacing w:before="120"/><w:jc w:val="both"/></w:pPr>"#),
            "{out}"
        );
        assert!(
            out.contains("<w:sectPr><w:headerReference/><w:footerReference/><w:pgSz/><w:titlePg/></w:sectPr>"),
            "{out}"
        );
    }

    #[test]
    fn run_properties_leave_style_paragraph_properties() {
        let src = br#"<w:styles><w:style w:styleId="X"><w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:jc w:val="center"/></w:pPr><w:name w:val="X"/><w:rPr><w:sz w:val="26"/></w:rPr></w:style></w:styles>"#;
        let out = String::from_utf8(repair(src, &mut |_| {}).unwrap()).unwrap();
        assert!(
            out.contains(
                r#"<w:name w:val="X"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr>"#
            ),
            "{out}"
        );
    }
}
