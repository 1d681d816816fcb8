//! output/nguon-so-lieu.xlsx: every printed figure and the cells behind it.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::config::ReportDef;
use crate::provenance::{Printed, Source};

pub fn provenance_workbook(
    def: &ReportDef,
    printed: &[Printed],
    sources: &[Source],
    date: NaiveDate,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    super::stamp(&mut wb, date, "Nguồn số liệu của văn bản")?;
    let super::ListFormats { head, cell } = super::list_formats();
    let exact = cell.clone().set_num_format("[$-42A]#,##0.##########");
    let name = |code: &str| def.indicator(code).map(|i| i.ten.clone()).unwrap_or_else(|| code.to_string());

    let ws = wb.add_worksheet();
    ws.set_name("Số liệu trong văn bản")?;
    let headers = ["STT", "Vị trí", "Câu / chú thích", "Số in", "Giá trị chính xác", "Cách tính", "Từ chỉ tiêu (cột)"];
    for (c, (h, w)) in headers.iter().zip([6.0, 28.0, 70.0, 24.0, 18.0, 18.0, 50.0]).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, p) in printed.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, &p.place, &cell)?;
        ws.write_string_with_format(r, 2, &p.sentence, &cell)?;
        ws.write_string_with_format(r, 3, &p.text, &cell)?;
        match p.value.and_then(|v| v.to_f64()) {
            Some(v) => ws.write_number_with_format(r, 4, v, &exact)?,
            None => ws.write_blank(r, 4, &cell)?,
        };
        ws.write_string_with_format(r, 5, &p.how, &cell)?;
        let from: Vec<String> =
            p.figures.iter().map(|(c, col)| format!("{} ({}) — {}", name(c), c, col.label())).collect();
        ws.write_string_with_format(r, 6, from.join("; "), &cell)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !printed.is_empty() {
        ws.autofilter(0, 0, printed.len() as u32, headers.len() as u16 - 1)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("Ô nguồn")?;
    let headers = ["STT số in", "Số in", "Chỉ tiêu", "Mã", "Cột", "Đơn vị", "Tệp", "Trang", "Ô", "Giá trị"];
    for (c, (h, w)) in headers.iter().zip([9.0, 20.0, 44.0, 16.0, 20.0, 30.0, 36.0, 12.0, 7.0, 16.0]).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    for (i, s) in sources.iter().enumerate() {
        let r = 1 + i as u32;
        let unit = def.units.get(&s.unit).map(|u| u.ten.clone()).unwrap_or_else(|| s.unit.clone());
        ws.write_number_with_format(r, 0, (s.printed + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, &printed[s.printed].text, &cell)?;
        let what = if s.indicator.is_empty() { "(dòng danh mục)".to_string() } else { name(&s.indicator) };
        ws.write_string_with_format(r, 2, what, &cell)?;
        ws.write_string_with_format(r, 3, &s.indicator, &cell)?;
        ws.write_string_with_format(r, 4, s.column.map(|c| c.label()).unwrap_or(""), &cell)?;
        ws.write_string_with_format(r, 5, unit, &cell)?;
        ws.write_string_with_format(r, 6, &s.origin.file, &cell)?;
        ws.write_string_with_format(r, 7, &s.origin.sheet, &cell)?;
        ws.write_string_with_format(r, 8, &s.origin.cell, &cell)?;
        match s.value.to_f64() {
            Some(v) => ws.write_number_with_format(r, 9, v, &exact)?,
            None => ws.write_blank(r, 9, &cell)?,
        };
    }
    ws.set_freeze_panes(1, 0)?;
    if !sources.is_empty() {
        ws.autofilter(0, 0, sources.len() as u32, headers.len() as u16 - 1)?;
    }
    Ok(wb)
}
