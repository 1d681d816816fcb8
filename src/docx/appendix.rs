//! A phụ lục as its own section: "Phụ lục 01/SXNLN", the title in capitals,
//! "(Kèm theo …)", a rule, and the table, whose header rows repeat on every
//! page and whose rows do not split (Decree 30, Phụ lục I, III.1; docs/nd30-bo-cuc.md §7).

use docx_rs::*;

use super::body::{runs, with_runs};
use super::header::rule;
use super::styles::*;
use super::{text_para, MARGIN_LEFT, MARGIN_RIGHT};
use crate::doc::{Appendix, Cell, CellKind};

/// Landscape A4.
pub const PAGE_W: u32 = super::PAGE_H;

/// Text width of a section `page_w` wide.
pub fn text_width(page_w: u32) -> u32 {
    page_w - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32
}

/// Column widths in twips: the model's proportions over `width`.
fn grid(widths: &[u32], width: u32) -> Vec<usize> {
    let total: u64 = widths.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut out: Vec<usize> = widths.iter().map(|w| (u64::from(*w) * u64::from(width) / total) as usize).collect();
    let rest = width as usize - out.iter().sum::<usize>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

fn borders() -> TableBorders {
    let b = |pos| TableBorder::new(pos).border_type(BorderType::Single).size(4).color("000000");
    TableBorders::with_empty()
        .set(b(TableBorderPosition::Top))
        .set(b(TableBorderPosition::Left))
        .set(b(TableBorderPosition::Bottom))
        .set(b(TableBorderPosition::Right))
        .set(b(TableBorderPosition::InsideH))
        .set(b(TableBorderPosition::InsideV))
}

fn cell(c: &Cell, width: usize) -> TableCell {
    let style = match c.kind {
        CellKind::Heading => TABLE_HEADING,
        CellKind::Group => TABLE_GROUP,
        CellKind::Text | CellKind::Centred => TABLE_TEXT,
        CellKind::Number => TABLE_NUMBER,
    };
    let mut p = with_runs(Paragraph::new().style(style), runs(&c.content, &[]));
    if c.kind == CellKind::Centred {
        p = p.align(AlignmentType::Center);
    }
    let mut tc = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(p);
    if c.span > 1 {
        tc = tc.grid_span(c.span);
    }
    tc
}

fn row(cells: &[Cell], cols: &[usize]) -> TableRow {
    let mut at = 0;
    let cells = cells
        .iter()
        .map(|c| {
            let width = cols[at.min(cols.len() - 1)..(at + c.span).min(cols.len())].iter().sum();
            at += c.span;
            cell(c, width)
        })
        .collect();
    TableRow::new(cells).cant_split()
}

/// The paragraphs and the table of the appendix section.
pub fn content(appendix: &Appendix) -> (Vec<Paragraph>, Table) {
    let page_w = if appendix.landscape { PAGE_W } else { super::PAGE_W };
    let width = text_width(page_w);
    let heading = vec![
        text_para(APPENDIX_NUMBER, &appendix.label),
        text_para(APPENDIX_TITLE, &appendix.title),
        text_para(APPENDIX_ATTACHED, &appendix.attached),
        rule(2268, width)
            .line_spacing(LineSpacing::new().before(60).after(240).line(240).line_rule(LineSpacingType::Auto)),
    ];
    let cols = grid(&appendix.table.widths, width);
    let rows = appendix.table.header.iter().chain(&appendix.table.rows).map(|r| row(r, &cols)).collect();
    let t = Table::new(rows)
        .set_grid(cols)
        .layout(TableLayoutType::Fixed)
        .width(width as usize, WidthType::Dxa)
        .indent(0)
        .set_borders(borders());
    (heading, t)
}
