//! The Decree 30 writer: the document tree in, the bytes of a .docx out (the
//! layout rules: `docs/nd30-bo-cuc.md`, cited by section). It knows the tree
//! (`crate::doc`) and nothing else: not the templates, not the figures, not
//! the report definition.
//!
//! The parts are built with docx-rs ([`header`], [`body`], [`closing`],
//! [`appendix`], [`styles`]); what docx-rs 0.4 cannot write is mended
//! afterwards in [`repair`], one function per defect; [`package`] zips the
//! parts with fixed dates so the same tree gives the same bytes.

mod appendix;
mod body;
mod closing;
mod header;
mod metrics;
mod package;
mod repair;
mod styles;
mod xml;

use anyhow::Result;
use chrono::NaiveDate;
use docx_rs::*;

use crate::doc::Document;

pub use metrics::text_width;

/// A4 portrait, twips.
pub const PAGE_W: u32 = 11906;
pub const PAGE_H: u32 = 16838;
/// Margins 20 / 20 / 30 / 20 mm; header distance 10 mm.
pub const MARGIN_TOP: i32 = 1134;
pub const MARGIN_BOTTOM: i32 = 1134;
pub const MARGIN_LEFT: i32 = 1701;
pub const MARGIN_RIGHT: i32 = 1134;
pub const HEADER_DIST: i32 = 567;
/// 160 mm of text between the margins.
pub const TEXT_WIDTH: u32 = PAGE_W - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32;
/// Default left + right cell margins of a table.
pub const CELL_MARGINS: u32 = 216;

/// The .docx of `doc`: the main text in a portrait section numbered from
/// page 2, then each appendix in a section of its own, numbered again.
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    let meta = &doc.meta;
    let margins = || {
        PageMargin::new()
            .top(MARGIN_TOP)
            .bottom(MARGIN_BOTTOM)
            .left(MARGIN_LEFT)
            .right(MARGIN_RIGHT)
            .header(HEADER_DIST)
            .footer(HEADER_DIST)
            .gutter(0)
    };
    let mut docx = Docx::new()
        .default_fonts(styles::fonts())
        .default_size(28)
        .default_line_spacing(LineSpacing::new().before(0).after(0).line(240).line_rule(LineSpacingType::Auto))
        .created_at(&timestamp(meta.stamp))
        .updated_at(&timestamp(meta.stamp));
    for s in styles::all() {
        docx = docx.add_style(s);
    }
    // the main text
    let mut main = vec![Item::Table(Box::new(header::header_table(meta)))];
    main.extend(header::title(meta).into_iter().map(|p| Item::Para(Box::new(p))));
    main.extend(header::recipients(meta).into_iter().map(|p| Item::Para(Box::new(p))));
    main.extend(body::blocks(&doc.body, &doc.notes).into_iter().map(|p| Item::Para(Box::new(p))));
    main.push(Item::Table(Box::new(closing::closing_table(meta))));

    // every section but the last closes with its own properties; the last
    // one's are the document's (its header references are shared with the
    // others when the package is repaired: docx-rs keeps only one header of
    // a section)
    let mut sections: Vec<(Vec<Item>, bool)> = vec![(main, false)];
    for a in &doc.appendices {
        let (paras, table) = appendix::content(a);
        let mut items: Vec<Item> = paras.into_iter().map(|p| Item::Para(Box::new(p))).collect();
        items.push(Item::Table(Box::new(table)));
        sections.push((items, a.landscape));
    }
    let (last, last_landscape) = sections.pop().expect("the main text");
    for (items, landscape) in sections {
        let (w, h) = if landscape { (PAGE_H, PAGE_W) } else { (PAGE_W, PAGE_H) };
        let mut section = Section::new()
            .page_size(PageSize::new().size(w, h))
            .page_margin(margins())
            .title_pg()
            .page_num_type(PageNumType::new().start(1));
        if landscape {
            section = section.page_orient(PageOrientationType::Landscape);
        }
        for item in items {
            section = match item {
                Item::Para(p) => section.add_paragraph(*p),
                Item::Table(t) => section.add_table(*t),
            };
        }
        docx = docx.add_section(section);
    }
    for item in last {
        docx = item.add_to(docx);
    }
    docx = if last_landscape {
        docx.page_size(PAGE_H, PAGE_W).page_orient(PageOrientationType::Landscape)
    } else {
        docx.page_size(PAGE_W, PAGE_H)
    };
    docx = docx
        .page_margin(margins())
        .header(page_number_header())
        .first_header(empty_header())
        .title_pg()
        .page_num_type(PageNumType::new().start(1));

    let parts = repair::repair(
        docx.build(),
        &repair::Needs {
            lang: meta.lang.clone(),
            table_heading_style: styles::TABLE_HEADING.to_string(),
            section_break_style: styles::SECTION_BREAK.to_string(),
            footnote_mark_style: styles::FOOTNOTE_REF.to_string(),
        },
    )?;
    package::zip(&parts, meta.stamp)
}

enum Item {
    Para(Box<Paragraph>),
    Table(Box<Table>),
}

impl Item {
    fn add_to(self, docx: Docx) -> Docx {
        match self {
            Item::Para(p) => docx.add_paragraph(*p),
            Item::Table(t) => docx.add_table(*t),
        }
    }
}

/// A paragraph of one plain run in `style`.
fn text_para(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(Run::new().add_text(text))
}

fn empty_header() -> Header {
    Header::new().add_paragraph(Paragraph::new().style(styles::PAGE_HEADER))
}

fn timestamp(d: NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// Page number centred in the top margin from page 2 (the first page has
/// its own empty header): a real PAGE field.
fn page_number_header() -> Header {
    let p = Paragraph::new()
        .style(styles::PAGE_HEADER)
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("2"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false));
    Header::new().add_paragraph(p)
}
