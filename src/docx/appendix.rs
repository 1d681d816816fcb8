//! The appendix (Phụ lục) as its own landscape section: "Phụ lục 01/SXNLN",
//! the title in capitals, "(Kèm theo …)", a rule, and the indicator table
//! whose header row repeats on every page (Decree 30, Phụ lục I, III.1;
//! spec §7).

use docx_rs::*;

use super::header::rule;
use super::styles::*;
use super::{text_para, MARGIN_LEFT, MARGIN_RIGHT};
use crate::config::Report;
use crate::model::appendix::{Row, Table as Appendix};
use crate::vi;

/// Landscape A4.
pub const PAGE_W: u32 = super::PAGE_H;
pub const PAGE_H: u32 = super::PAGE_W;
pub const TEXT_WIDTH: u32 = PAGE_W - MARGIN_LEFT as u32 - MARGIN_RIGHT as u32;
/// STT, Chỉ tiêu, ĐVT, TH năm trước, KH, Ước TH, Ước/KH, Ước/cùng kỳ, KH năm sau (sum = TEXT_WIDTH).
const COLS: [usize; 9] = [700, 4300, 1300, 1350, 1350, 1350, 1200, 1200, 1253];

/// "(Kèm theo Kế hoạch số      /KH-SNN ngày      tháng      năm 2023 của Sở …)"
pub fn attached_to(report: &Report) -> String {
    let kind = report.van_ban.ten_loai.trim();
    let mut chars = kind.chars();
    let kind = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>(),
        None => String::new(),
    };
    let number = report.number_line();
    let number = number.strip_prefix("Số: ").unwrap_or(&number);
    let date = report.date().ok().flatten();
    let when = vi::place_date_line("", date, report.van_ban.nam);
    let when = when.trim_start_matches(", ");
    format!("(Kèm theo {kind} số {number} {when} của {})", report.co_quan.ten_day_du.trim())
}

fn cell(width: usize, p: Paragraph) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(p)
}

fn number(v: Option<rust_decimal::Decimal>, decimals: u32) -> String {
    v.map(|v| vi::format_number(v, decimals, false)).unwrap_or_default()
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

/// The paragraphs and the table of the appendix section.
pub fn content(report: &Report, table: &Appendix) -> (Vec<Paragraph>, Table) {
    let heading = vec![
        text_para(PHU_LUC_SO, &format!("Phụ lục {}", table.so)),
        text_para(PHU_LUC_TIEU_DE, &table.title.to_uppercase()),
        text_para(PHU_LUC_KEM_THEO, &attached_to(report)),
        rule(2268, TEXT_WIDTH)
            .line_spacing(LineSpacing::new().before(60).after(240).line(240).line_rule(LineSpacingType::Auto)),
    ];
    let header =
        TableRow::new(table.headers().iter().zip(COLS).map(|(h, w)| cell(w, text_para(BANG_TIEU_DE, h))).collect());
    // numbering of the columns under the header, as official tables do
    let numbers = TableRow::new(
        COLS.iter().enumerate().map(|(i, w)| cell(*w, text_para(BANG_TIEU_DE, &format!("({})", i + 1)))).collect(),
    );
    let mut rows = vec![header, numbers];
    for row in &table.rows {
        rows.push(match row {
            Row::Group { stt, name } => TableRow::new(vec![
                cell(COLS[0], text_para(BANG_TIEU_DE, stt)),
                cell(COLS[1..].iter().sum(), text_para(BANG_NHOM, name)).grid_span(COLS.len() - 1),
            ]),
            Row::Item(it) => {
                let pct =
                    |v: Option<rust_decimal::Decimal>| v.map(|v| vi::format_number(v, 1, false)).unwrap_or_default();
                let texts = [
                    number(it.th_truoc, it.decimals),
                    number(it.kh, it.decimals),
                    number(it.uoc, it.decimals),
                    pct(it.uoc_vs_kh),
                    pct(it.uoc_vs_truoc),
                    number(it.kh_sau, it.decimals),
                ];
                let mut cells = vec![
                    cell(COLS[0], text_para(BANG_CHU, &it.stt.to_string()).align(AlignmentType::Center)),
                    cell(COLS[1], text_para(BANG_CHU, &it.name)),
                    cell(COLS[2], text_para(BANG_CHU, &it.dvt).align(AlignmentType::Center)),
                ];
                cells.extend(texts.iter().zip(&COLS[3..]).map(|(t, w)| cell(*w, text_para(BANG_SO, t))));
                TableRow::new(cells)
            }
        });
    }
    let t = Table::new(rows)
        .set_grid(COLS.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .indent(0)
        .set_borders(borders());
    (heading, t)
}
