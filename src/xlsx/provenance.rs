//! output/nguon-so-lieu.xlsx: every printed figure and the cells behind it.
//!
//! A build of thousands of submissions has millions of source cells: the
//! sheets are written row by row in constant memory, and the cells go on
//! as many "Ô nguồn" sheets as Excel's row limit needs.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::config::ReportDef;
use crate::model::Figures;
use crate::provenance::{sources, Printed};

/// Rows of an Excel sheet, the header included.
const SHEET_ROWS: u32 = 1_048_576;

const SOURCE_HEADERS: [(&str, f64); 11] = [
    ("STT số in", 9.0),
    ("Số in", 20.0),
    ("Chỉ tiêu", 44.0),
    ("Mã", 16.0),
    ("Cột", 20.0),
    ("Đơn vị", 30.0),
    ("Tệp", 36.0),
    ("Trang", 12.0),
    ("Ô", 7.0),
    ("Giá trị", 16.0),
    ("Ghi chú", 40.0),
];

pub fn provenance_workbook(
    def: &ReportDef,
    printed: &[Printed],
    figures: &Figures,
    date: NaiveDate,
) -> Result<Workbook, XlsxError> {
    provenance_workbook_with(def, printed, figures, date, SHEET_ROWS)
}

/// [`provenance_workbook`] with `sheet_rows` rows to a sheet (tests).
pub fn provenance_workbook_with(
    def: &ReportDef,
    printed: &[Printed],
    figures: &Figures,
    date: NaiveDate,
    sheet_rows: u32,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // millions of cells at scale: the fastest compression halves the time
    // to save for a file a little larger
    wb.set_zip_compression_level(1);
    super::stamp(&mut wb, date, "Nguồn số liệu của văn bản")?;
    let super::ListFormats { head, cell } = super::list_formats();
    let exact = cell.clone().set_num_format("[$-42A]#,##0.##########");
    let name = |code: &str| def.indicator(code).map(|i| i.ten.clone()).unwrap_or_else(|| code.to_string());

    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Số liệu trong văn bản")?;
    let headers = ["STT", "Vị trí", "Câu / chú thích", "Số in", "Giá trị chính xác", "Cách tính", "Từ chỉ tiêu (cột)"];
    super::header_row(ws, 0, headers.into_iter().zip([6.0, 28.0, 70.0, 24.0, 18.0, 18.0, 50.0]), &head)?;
    for (i, p) in printed.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        ws.write_string_with_format(r, 1, &p.place, &cell)?;
        ws.write_string_with_format(r, 2, super::cell_text(&p.sentence), &cell)?;
        ws.write_string_with_format(r, 3, super::cell_text(&p.text), &cell)?;
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

    // names looked up once, not once per cell
    let unit_names: HashMap<&str, &str> = def.units.units.iter().map(|u| (u.ma.as_str(), u.ten.as_str())).collect();
    let mut sheets = 0;
    let mut row = sheet_rows;
    let mut ws: Option<&mut Worksheet> = None;
    let finish = |ws: Option<&mut Worksheet>, row: u32| -> Result<(), XlsxError> {
        if let Some(ws) = ws {
            ws.set_freeze_panes(1, 0)?;
            if row > 1 {
                ws.autofilter(0, 0, row - 1, SOURCE_HEADERS.len() as u16 - 1)?;
            }
        }
        Ok(())
    };
    for (i, p) in printed.iter().enumerate() {
        for s in sources(p, figures) {
            if row >= sheet_rows || ws.is_none() {
                finish(ws.take(), row)?;
                sheets += 1;
                let next = source_sheet(&mut wb, sheets, &head, &exact)?;
                ws = Some(next);
                row = 1;
            }
            let sheet = ws.as_deref_mut().expect("a sheet was just added");
            let unit = unit_names.get(s.unit).copied().unwrap_or(s.unit);
            write_source(sheet, row, i, p, &s, &name, unit)?;
            if let Some(note) = figures.notes.get(s.origin) {
                sheet.write_string(row, SOURCE_HEADERS.len() as u16 - 1, note)?;
            }
            row += 1;
        }
    }
    if ws.is_none() {
        source_sheet(&mut wb, 1, &head, &exact)?.set_freeze_panes(1, 0)?;
    } else {
        finish(ws.take(), row)?;
    }
    Ok(wb)
}

/// The `n`-th sheet of source cells, with its header row. Its cells take
/// the columns' formats: a format per cell costs a lookup per cell, and
/// there are millions of cells when thousands of units report.
fn source_sheet<'a>(
    wb: &'a mut Workbook,
    n: usize,
    head: &Format,
    exact: &Format,
) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name(if n == 1 { "Ô nguồn".to_string() } else { format!("Ô nguồn ({n})") })?;
    super::header_row(ws, 0, SOURCE_HEADERS, head)?;
    ws.set_column_format(SOURCE_HEADERS.len() as u16 - 2, exact)?;
    Ok(ws)
}

fn write_source(
    ws: &mut Worksheet,
    r: u32,
    i: usize,
    p: &Printed,
    s: &crate::provenance::Source,
    name: &dyn Fn(&str) -> String,
    unit: &str,
) -> Result<(), XlsxError> {
    ws.write_number(r, 0, (i + 1) as f64)?;
    ws.write_string(r, 1, super::cell_text(&p.text))?;
    let what = if s.indicator.is_empty() { "(dòng danh mục)".to_string() } else { name(s.indicator) };
    ws.write_string(r, 2, what)?;
    ws.write_string(r, 3, s.indicator)?;
    ws.write_string(r, 4, s.column.map(|c| c.label()).unwrap_or(""))?;
    ws.write_string(r, 5, unit)?;
    ws.write_string(r, 6, s.origin.file())?;
    ws.write_string(r, 7, s.origin.sheet())?;
    ws.write_string(r, 8, s.origin.cell())?;
    if let Some(v) = s.value.to_f64() {
        ws.write_number(r, 9, v)?;
    }
    Ok(())
}
