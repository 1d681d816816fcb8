//! The findings of `baocao check` as a spreadsheet the clerk can filter,
//! sort and forward to each unit.

use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::config::ReportDef;
use crate::model::{Diagnostic, Severity};

pub const HEADERS: [&str; 9] = ["STT", "Mức", "Mã đơn vị", "Đơn vị", "Tệp", "Trang", "Ô", "Nội dung", "Đề nghị đơn vị"];

/// One row per finding, errors first; at most
/// [`SHOWN_PER_KIND`](crate::model::SHOWN_PER_KIND) of a kind in a file
/// ([`capped`](crate::model::capped)), each text cut to what a cell holds.
pub fn findings_workbook(def: &ReportDef, diags: &[Diagnostic], date: NaiveDate) -> Result<Workbook, XlsxError> {
    let diags = crate::model::capped(diags, crate::model::SHOWN_PER_KIND);
    let text = super::cell_text;
    let mut wb = Workbook::new();
    super::stamp(&mut wb, date, "Kết quả kiểm tra biểu mẫu")?;
    let super::ListFormats { head, cell } = super::list_formats();
    let error = cell.clone().set_bold().set_font_color("C00000");
    let warning = cell.clone().set_font_color("9C5700");
    let ws = wb.add_worksheet();
    ws.set_name("Kết quả kiểm tra")?;
    super::header_row(ws, 0, HEADERS.into_iter().zip([6.0, 10.0, 11.0, 30.0, 34.0, 14.0, 8.0, 70.0, 50.0]), &head)?;
    for (i, d) in diags.iter().enumerate() {
        let r = 1 + i as u32;
        let sev = if d.severity == Severity::Error { &error } else { &warning };
        let unit = d.unit.as_deref().unwrap_or("");
        let name = def.units.get(unit).map(|u| u.name.as_str()).unwrap_or("");
        ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, d.severity.label(), sev)?;
        ws.write_string_with_format(r, 2, text(unit), &cell)?;
        ws.write_string_with_format(r, 3, text(name), &cell)?;
        ws.write_string_with_format(r, 4, text(&d.file), &cell)?;
        ws.write_string_with_format(r, 5, text(d.sheet.as_deref().unwrap_or("")), &cell)?;
        ws.write_string_with_format(r, 6, text(d.cell.as_deref().unwrap_or("")), &cell)?;
        ws.write_string_with_format(r, 7, text(&d.message), &cell)?;
        ws.write_string_with_format(r, 8, text(&d.hint), &cell)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !diags.is_empty() {
        ws.autofilter(0, 0, diags.len() as u32, HEADERS.len() as u16 - 1)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(wb)
}
