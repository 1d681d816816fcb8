//! output/…-nguon-so-lieu.xlsx: every printed figure and the cells behind it.
//!
//! The first sheet has a row per printed figure, its cells summed up in a
//! few words ([`crate::provenance::summary`]). The cells themselves, one
//! row each, follow on "Ô nguồn" sheets while they are few enough for a
//! workbook to be quick to write ([`CELLS_IN_WORKBOOK`]); beyond that — a
//! build of thousands of submissions has hundreds of thousands — they go to
//! a CSV file beside the workbook ([`cells_csv`]), the same columns but the
//! texts each cell would repeat, written as a stream, and the workbook says
//! where.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use rustc_hash::FxHashMap;

use crate::config::ReportDef;
use crate::model::Figures;
use crate::provenance::{sources, summary, Printed};

/// Rows of an Excel sheet, the header included.
const SHEET_ROWS: u32 = 1_048_576;

/// The most source cells listed in the workbook itself. A sheet row cost
/// rust_xlsxwriter about 4.6 µs (1.58 s for 346,357 rows, issue 14) and a
/// CSV row costs under 0.8 µs (docs/hieu-nang.md): 100,000 cells are under
/// half a second in the workbook, and a run of 10,000 submissions has half
/// a million.
pub const CELLS_IN_WORKBOOK: usize = 100_000;

/// Where the list of source cells goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellList<'a> {
    /// On "Ô nguồn" sheets of at most `rows` rows (the header included).
    Sheets { rows: u32 },
    /// In the CSV file `file` beside the workbook ([`cells_csv`]), `cells`
    /// rows.
    Csv { file: &'a str, cells: usize },
}

/// Where the cells behind `printed` go: the workbook while they are at
/// most [`CELLS_IN_WORKBOOK`], else the CSV file `csv`.
pub fn cell_list<'a>(printed: &[Printed], figures: &Figures, csv: &'a str) -> CellList<'a> {
    let cells: usize = printed.iter().map(|p| sources(p, figures).count()).sum();
    if cells <= CELLS_IN_WORKBOOK {
        CellList::Sheets { rows: SHEET_ROWS }
    } else {
        CellList::Csv { file: csv, cells }
    }
}

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

/// The provenance workbook, the source cells where `list` says.
pub fn provenance_workbook(
    def: &ReportDef,
    printed: &[Printed],
    figures: &Figures,
    date: NaiveDate,
    list: CellList,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // up to a hundred thousand cells: the fastest compression halves the
    // time to save for a file a little larger
    wb.set_zip_compression_level(1);
    super::stamp(&mut wb, date, "Nguồn số liệu của văn bản")?;
    let super::ListFormats { head, cell } = super::list_formats();
    let exact = cell.clone().set_num_format("[$-42A]#,##0.##########");
    let name = |code: &str| def.indicator(code).map(|i| i.name.clone()).unwrap_or_else(|| code.to_string());

    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Số liệu trong văn bản")?;
    let headers =
        ["STT", "Vị trí", "Câu / chú thích", "Số in", "Giá trị chính xác", "Cách tính", "Từ chỉ tiêu (cột)", "Ô nguồn"];
    super::header_row(ws, 0, headers.into_iter().zip([6.0, 28.0, 70.0, 24.0, 18.0, 18.0, 50.0, 60.0]), &head)?;
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
        ws.write_string_with_format(r, 7, super::cell_text(&summary(sources(p, figures))), &cell)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !printed.is_empty() {
        ws.autofilter(0, 0, printed.len() as u32, headers.len() as u16 - 1)?;
    }

    let sheet_rows = match list {
        CellList::Sheets { rows } => rows,
        CellList::Csv { file, cells } => {
            let ws = wb.add_worksheet();
            ws.set_name("Ô nguồn")?;
            ws.set_column_width(0, 100.0)?;
            let lines = [
                format!(
                    "Các ô nguồn ({} ô) được ghi trong tệp «{file}» cùng thư mục với bảng tính này: \
                     mỗi dòng một ô, các cột như trang này khi ít ô, trừ «Số in» và «Chỉ tiêu».",
                    crate::vi::format_number(cells.into(), 0, true)
                ),
                "Cột «STT số in» khớp cột «STT» ở trang «Số liệu trong văn bản» (số in, câu, chỉ tiêu); \
                 cột «Ô nguồn» ở trang đó tóm tắt các ô của từng số."
                    .to_string(),
                "Mở tệp CSV bằng Excel: Dữ liệu › Từ Văn bản/CSV, chọn mã UTF-8 và dấu phẩy phân cách; \
                 cột «Giá trị» ghi số với dấu chấm thập phân."
                    .to_string(),
            ];
            for (r, line) in lines.iter().enumerate() {
                ws.write_string_with_format(r as u32, 0, line, &cell)?;
            }
            return Ok(wb);
        }
    };
    // names looked up once, not once per cell
    let unit_names: FxHashMap<&str, &str> =
        def.units.units.iter().map(|u| (u.code.as_str(), u.name.as_str())).collect();
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

/// The columns of [`SOURCE_HEADERS`] the CSV file keeps: not the printed
/// text nor the indicator's name, repeated on every cell of a figure (a
/// list of a hundred districts is printed once and has a cell per
/// district); "STT số in" and "Mã" lead to them in the workbook.
const CSV_COLUMNS: [usize; 9] = [0, 3, 4, 5, 6, 7, 8, 9, 10];

/// The source cells of `printed`, one CSV row each (RFC 4180, UTF-8 with
/// the byte-order mark Excel looks for), under the headers of the "Ô nguồn"
/// sheets less the repeated texts ([`CSV_COLUMNS`]): written as a stream,
/// for the hundreds of thousands of cells of a large build. Values are
/// exact, with a decimal point.
pub fn cells_csv(
    def: &ReportDef,
    printed: &[Printed],
    figures: &Figures,
    out: &mut dyn std::io::Write,
) -> csv::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS.iter().map(|&c| SOURCE_HEADERS[c].0))?;
    let unit_names: FxHashMap<&str, &str> =
        def.units.units.iter().map(|u| (u.code.as_str(), u.name.as_str())).collect();
    // a row's cell and value are written into these, not new strings
    let (mut cell, mut value) = (String::new(), String::new());
    // a unit's cells come together: its name is looked up once for them
    let mut last: Option<(&str, &str)> = None;
    for (i, p) in printed.iter().enumerate() {
        let ordinal = (i + 1).to_string();
        for s in sources(p, figures) {
            let unit = match last {
                Some((code, name)) if std::ptr::eq(code, s.unit) => name,
                _ => {
                    let name = unit_names.get(s.unit).copied().unwrap_or(s.unit);
                    last = Some((s.unit, name));
                    name
                }
            };
            let note = figures.notes.get(s.origin).map(String::as_str).unwrap_or("");
            cell.clear();
            crate::origin::push_cell_ref(&mut cell, s.origin.row, s.origin.col);
            value.clear();
            let _ = write!(value, "{}", s.value.normalize());
            w.write_field(&ordinal)?;
            w.write_field(&*csv_text(s.indicator))?;
            w.write_field(s.column.map(|c| c.label()).unwrap_or(""))?;
            w.write_field(&*csv_text(unit))?;
            w.write_field(&*csv_text(s.origin.file()))?;
            w.write_field(&*csv_text(s.origin.sheet()))?;
            w.write_field(&cell)?;
            w.write_field(&value)?;
            w.write_field(&*csv_text(note))?;
            w.write_record(std::iter::empty::<&[u8]>())?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A text from a workbook (a unit's name, file, sheet, note) as a CSV field
/// Excel shows as text: a field that begins like a formula (`=`, `+`, `-`,
/// `@`, a tab or a return) would be evaluated when the CSV is opened, so it
/// gets the apostrophe Excel reads as "text follows" (OWASP, CSV injection).
/// Workbooks keep their cells as strings and need none of this.
fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
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

#[cfg(test)]
mod tests {
    use super::csv_text;

    #[test]
    fn a_text_that_looks_like_a_formula_stays_text_in_the_csv() {
        for f in ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(csv_text(f), format!("'{f}"));
        }
        for t in ["Phòng Nông nghiệp huyện Văn Lãng", "huyen/VLA.xlsx", "Chỉ tiêu", "", "1 = 1"] {
            assert_eq!(csv_text(t), t);
        }
    }
}
