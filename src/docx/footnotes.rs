//! The footnotes part and the settings that go with it, written whole.
//!
//! docx-rs writes notes without the `w:footnoteRef` mark (Word then prints no
//! number at the foot of the page) and without the separator notes, and
//! numbers them from a process-global counter. Here every note gets its
//! number = its id = its position in reading order.

use super::styles::{FOOTNOTE_REF, FOOTNOTE_TEXT};
use super::xml::{Element, XmlDoc};
use crate::blocks::{Document, Inline};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn text_run(text: &str, bold: bool, italic: bool, highlight: bool) -> Element {
    let mut rpr = Element::new("w:rPr");
    if bold {
        rpr = rpr.child(Element::new("w:b")).child(Element::new("w:bCs"));
    }
    if italic {
        rpr = rpr.child(Element::new("w:i")).child(Element::new("w:iCs"));
    }
    if highlight {
        rpr = rpr.child(Element::new("w:highlight").attr("w:val", "yellow"));
    }
    let mut r = Element::new("w:r");
    if !rpr.children.is_empty() {
        r = r.child(rpr);
    }
    r.child(Element::new("w:t").attr("xml:space", "preserve").text(text))
}

fn separator(kind: &str, id: &str) -> Element {
    Element::new("w:footnote").attr("w:type", kind).attr("w:id", id).child(
        Element::new("w:p")
            .child(
                Element::new("w:pPr").child(
                    Element::new("w:spacing").attr("w:after", "0").attr("w:line", "240").attr("w:lineRule", "auto"),
                ),
            )
            .child(Element::new("w:r").child(Element::new(if kind == "separator" {
                "w:separator"
            } else {
                "w:continuationSeparator"
            }))),
    )
}

/// word/footnotes.xml for the document's notes.
pub fn footnotes_part(doc: &Document) -> Vec<u8> {
    let mut root = Element::new("w:footnotes")
        .attr("xmlns:w", W)
        .child(separator("separator", "-1"))
        .child(separator("continuationSeparator", "0"));
    for (i, note) in doc.footnotes.iter().enumerate() {
        let mut fn_el = Element::new("w:footnote").attr("w:id", &(i + 1).to_string());
        for (j, para) in note.iter().enumerate() {
            let mut p = Element::new("w:p")
                .child(Element::new("w:pPr").child(Element::new("w:pStyle").attr("w:val", FOOTNOTE_TEXT)));
            if j == 0 {
                p = p
                    .child(
                        Element::new("w:r")
                            .child(Element::new("w:rPr").child(Element::new("w:rStyle").attr("w:val", FOOTNOTE_REF)))
                            .child(Element::new("w:footnoteRef")),
                    )
                    .child(text_run(" ", false, false, false));
            }
            for inline in &super::body::bind_figures(para) {
                p = p.child(match inline {
                    Inline::Text { text, bold, italic } | Inline::Figure { text, bold, italic, .. } => {
                        text_run(text, *bold, *italic, false)
                    }
                    Inline::LineBreak => Element::new("w:r").child(Element::new("w:br")),
                    Inline::Missing(t) => text_run(&format!("[{t}]"), true, false, true),
                    Inline::FootnoteRef(_) => unreachable!("notes cannot cite notes"),
                });
            }
            fn_el = fn_el.child(p);
        }
        root = root.child(fn_el);
    }
    XmlDoc { prolog: vec![], root }.to_bytes()
}

/// word/settings.xml: the separator notes, Word 2013+ compatibility, and
/// Vietnamese as the document language.
pub fn settings_part(lang: &str) -> Vec<u8> {
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
