//! The header block (ô 1–4) and the title (ô 5a) of Decree 30, Phụ lục I:
//! a borderless 2 × 2 table so that "Số" and the place-date line sit on the
//! same line, then "KẾ HOẠCH" and the trích yếu, each with its rule.

use docx_rs::*;

use super::metrics::text_width;
use super::styles::*;
use super::{text_para, CELL_MARGINS, TEXT_WIDTH};
use crate::config::Report;

pub const LEFT_COL: usize = 3628;
pub const RIGHT_COL: usize = 5443;

/// An empty paragraph whose top border is a centred rule `length` twips long
/// in a space `avail` twips wide.
pub fn rule(length: u32, avail: u32) -> Paragraph {
    let side = (avail.saturating_sub(length) / 2) as i32;
    Paragraph::new().style(RULE).indent(Some(side), None, Some(side), None)
}

fn cell(width: usize, paras: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
    for p in paras {
        c = c.add_paragraph(p);
    }
    c
}

/// A borderless table of fixed layout filling the text width.
pub fn borderless(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .indent(0)
        .clear_all_border()
}

/// The header block; a draft carries a boxed "DỰ THẢO" under "Số" (spec §9).
pub fn header_table(report: &Report, draft: bool) -> Table {
    let co = &report.co_quan;
    // r1 left: cơ quan chủ quản, cơ quan ban hành (one line per entry), rule
    let mut agency = Paragraph::new().style(BAN_HANH);
    for (i, line) in co.ban_hanh.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        agency = agency.add_run(run.add_text(line.as_str()));
    }
    let widest = co.ban_hanh.iter().map(|l| text_width(l, 13, true)).max().unwrap_or(0);
    let left_avail = LEFT_COL as u32 - CELL_MARGINS;
    let left_top = cell(LEFT_COL, vec![text_para(CHU_QUAN, &co.chu_quan), agency, rule(widest * 2 / 5, left_avail)]);

    // r1 right: Quốc hiệu, Tiêu ngữ, rule as long as the Tiêu ngữ
    let tieu_ngu = "Độc lập - Tự do - Hạnh phúc";
    let right_avail = RIGHT_COL as u32 - CELL_MARGINS;
    let right_top = cell(
        RIGHT_COL,
        vec![
            text_para(QUOC_HIEU, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            text_para(TIEU_NGU, tieu_ngu),
            rule(text_width(tieu_ngu, 13, true), right_avail),
        ],
    );

    // r2: Số, ký hiệu | địa danh, ngày tháng năm
    let date = report.date().ok().flatten();
    let place_date = crate::vi::place_date_line(&report.van_ban.dia_danh, date, report.van_ban.nam);
    let mut left_paras = vec![text_para(SO_KY_HIEU, &report.number_line())];
    if draft {
        let label = "DỰ THẢO";
        // a box just around the word: indents leave the text width plus padding
        let boxed = text_width(label, 14, true) + 2 * 240;
        let side = ((LEFT_COL as u32 - CELL_MARGINS).saturating_sub(boxed) / 2) as i32;
        left_paras.push(text_para(DU_THAO, label).indent(Some(side), None, Some(side), None));
    }
    let left_bottom = cell(LEFT_COL, left_paras);
    let right_bottom = cell(RIGHT_COL, vec![text_para(DIA_DANH, &place_date)]);

    borderless(
        vec![TableRow::new(vec![left_top, right_top]), TableRow::new(vec![left_bottom, right_bottom])],
        vec![LEFT_COL, RIGHT_COL],
    )
}

/// "KẾ HOẠCH", the trích yếu (split into two balanced lines when it does not
/// fit one), and a rule of 0.4 × its widest line.
pub fn title(report: &Report) -> Vec<Paragraph> {
    let trich_yeu = report.van_ban.trich_yeu.trim();
    let lines = balance(trich_yeu, 14, true, TEXT_WIDTH);
    let widest = lines.iter().map(|l| text_width(l, 14, true)).max().unwrap_or(0);
    let mut ty = Paragraph::new().style(TRICH_YEU);
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        ty = ty.add_run(run.add_text(line.as_str()));
    }
    let mut r = rule(widest * 2 / 5, TEXT_WIDTH);
    r = r.line_spacing(LineSpacing::new().before(60).after(120).line(240).line_rule(LineSpacingType::Auto));
    vec![text_para(TEN_LOAI, &report.van_ban.ten_loai), ty, r]
}

/// One line when it fits `avail`; otherwise two lines broken at the space
/// nearest the middle (Decree 30 shows long trích yếu as balanced lines).
pub fn balance(text: &str, size: u32, bold: bool, avail: u32) -> Vec<String> {
    if text_width(text, size, bold) <= avail {
        return vec![text.to_string()];
    }
    let half = text.len() / 2;
    let best = text.char_indices().filter(|(_, c)| *c == ' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(half));
    match best {
        Some(i) => vec![text[..i].to_string(), text[i + 1..].to_string()],
        None => vec![text.to_string()],
    }
}
