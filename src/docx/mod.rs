//! The Decree 30 writer: the document tree and the report metadata in, the
//! bytes of a .docx out (see `spec/nd30-layout.md`).

mod appendix;
mod body;
mod closing;
mod footnotes;
mod header;
mod metrics;
mod package;
mod styles;
mod xml;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use docx_rs::*;

use crate::blocks::Document;
use crate::config::Report;

pub use appendix::attached_to;
pub use closing::{recipients, signer_lines};
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
pub const LANG: &str = "vi-VN";

/// Writes the document, with its appendix as a landscape section when there
/// is one; `stamp` dates the package (zip entries and document properties)
/// so the same inputs give the same bytes.
pub fn write(
    report: &Report,
    doc: &Document,
    annex: Option<&crate::model::appendix::Table>,
    stamp: NaiveDate,
    draft: bool,
) -> Result<Vec<u8>> {
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
        .created_at(&timestamp(stamp))
        .updated_at(&timestamp(stamp));
    for s in styles::all() {
        docx = docx.add_style(s);
    }
    // the main text: portrait, numbered from page 2
    let mut main = Vec::new();
    main.push(Item::Table(Box::new(header::header_table(report, draft))));
    main.extend(header::title(report).into_iter().map(|p| Item::Para(Box::new(p))));
    main.extend(body::blocks(&doc.blocks).into_iter().map(|p| Item::Para(Box::new(p))));
    main.push(Item::Table(Box::new(closing::closing_table(report))));

    match annex {
        None => {
            for item in main {
                docx = item.add_to(docx);
            }
            docx = docx
                .page_size(PAGE_W, PAGE_H)
                .page_margin(margins())
                .header(page_number_header())
                .first_header(empty_header())
                .title_pg()
                .page_num_type(PageNumType::new().start(1));
        }
        Some(table) => {
            // a section closes with its own properties; the appendix is the
            // document's last section, landscape, numbered again from 1
            // (its header references are shared from the last section when the
            // package is written: docx-rs keeps only one header of a section)
            let mut section = Section::new()
                .page_size(PageSize::new().size(PAGE_W, PAGE_H))
                .page_margin(margins())
                .title_pg()
                .page_num_type(PageNumType::new().start(1));
            for item in main {
                section = match item {
                    Item::Para(p) => section.add_paragraph(*p),
                    Item::Table(t) => section.add_table(*t),
                };
            }
            docx = docx.add_section(section);
            let (paras, t) = appendix::content(report, table);
            for p in paras {
                docx = docx.add_paragraph(p);
            }
            docx = docx
                .add_table(t)
                .page_size(appendix::PAGE_W, appendix::PAGE_H)
                .page_orient(PageOrientationType::Landscape)
                .page_margin(margins())
                .header(page_number_header())
                .first_header(empty_header())
                .title_pg()
                .page_num_type(PageNumType::new().start(1));
        }
    }

    let xml = docx.build();
    package::package(
        xml,
        package::Extras {
            footnotes: footnotes::footnotes_part(doc),
            settings: footnotes::settings_part(LANG),
            lang: LANG.to_string(),
            date: (stamp.year() as u16, stamp.month() as u8, stamp.day() as u8),
            table_heading_style: styles::BANG_TIEU_DE.to_string(),
            section_break_style: styles::SECTION_BREAK.to_string(),
        },
    )
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
