//! The appendix as a spreadsheet: the same rows as the Word section, with
//! the two ratio columns as formulas (their values cached), ready to print on
//! A4 landscape.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

use crate::model::appendix::{Row, Table};

/// Number format with `decimals` decimals, tagged Vietnamese (LCID 042A) so
/// LibreOffice shows "1.234,5" whatever its own language; Excel takes the
/// separators from the regional settings (Vietnamese: the same).
fn num_format(decimals: u32) -> String {
    if decimals == 0 {
        "[$-42A]#,##0".to_string()
    } else {
        format!("[$-42A]#,##0.{}", "0".repeat(decimals as usize))
    }
}

fn col_letter(c: u16) -> char {
    (b'A' + c as u8) as char
}

/// The workbook; `attached` is the "(Kèm theo …)" line of the document.
pub fn appendix_workbook(table: &Table, attached: &str, date: NaiveDate) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    super::stamp(&mut wb, date, &format!("Phụ lục {}", table.number))?;
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let head = cell.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_background_color("DDEBF7");
    let group = cell.clone().set_bold();
    let text = cell.clone().set_text_wrap();
    let centre = cell.clone().set_align(FormatAlign::Center);
    let pct = cell.clone().set_num_format(num_format(1));

    let ws = wb.add_worksheet();
    let sheet_name: String =
        format!("Phụ lục {}", table.number).chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(sheet_name)?;
    let last = 8u16;
    ws.merge_range(
        0,
        0,
        0,
        last,
        &format!("Phụ lục {}", table.number),
        &base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center),
    )?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &table.title.to_uppercase(),
        &base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center),
    )?;
    ws.merge_range(
        2,
        0,
        2,
        last,
        attached,
        &base.clone().set_italic().set_font_size(13).set_align(FormatAlign::Center),
    )?;
    let header_row = 4u32;
    for (c, h) in table.headers().iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &head)?;
        ws.write_string_with_format(header_row + 1, c as u16, format!("({})", c + 1), &head)?;
    }
    ws.set_row_height(header_row, 48)?;
    for (c, w) in [6.0, 46.0, 12.0, 13.0, 13.0, 13.0, 11.0, 11.0, 13.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let f64_of = |v: Option<Decimal>| v.and_then(|v| v.to_f64());
    for (r, row) in (header_row + 2..).zip(&table.rows) {
        match row {
            Row::Group { ordinal, name } => {
                ws.write_string_with_format(r, 0, ordinal, &group.clone().set_align(FormatAlign::Center))?;
                ws.merge_range(r, 1, r, last, name, &group)?;
            }
            Row::Item(it) => {
                let number = cell.clone().set_num_format(num_format(it.decimals));
                ws.write_number_with_format(r, 0, it.ordinal as f64, &centre)?;
                ws.write_string_with_format(r, 1, &it.name, &text)?;
                ws.write_string_with_format(r, 2, &it.measure, &centre)?;
                for (c, v) in [(3u16, it.prev_year), (4, it.plan), (5, it.estimate), (8, it.next_plan)] {
                    match f64_of(v) {
                        Some(x) => ws.write_number_with_format(r, c, x, &number)?,
                        None => ws.write_blank(r, c, &number)?,
                    };
                }
                // ratios as formulas, so a corrected figure updates them
                let excel_row = r + 1;
                for (c, num, den, v) in [(6u16, 5u16, 4u16, it.estimate_vs_plan), (7, 5, 3, it.estimate_vs_prev)] {
                    let (n, d) = (col_letter(num), col_letter(den));
                    match f64_of(v) {
                        Some(x) => {
                            let f =
                                Formula::new(format!("={n}{excel_row}/{d}{excel_row}*100")).set_result(x.to_string());
                            ws.write_formula_with_format(r, c, f, &pct)?
                        }
                        None => ws.write_blank(r, c, &pct)?,
                    };
                }
            }
        }
    }
    ws.set_freeze_panes(header_row + 2, 0)?;
    ws.set_repeat_rows(header_row, header_row + 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.6, 0.4, 0.8, 0.8, 0.3, 0.3);
    ws.set_footer("&CTrang &P/&N");
    Ok(wb)
}
