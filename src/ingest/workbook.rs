//! One workbook → [`RawWorkbook`]: the form's sheets recognised by their
//! content (not their names), columns found by their header text (not their
//! position), every cell typed and addressed.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Range, Reader};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::{cell_ref, Column, Origin};
use crate::vi::{convert_legacy, decimal_from_f64, fold, sanitize_inline, Legacy};

/// A cell's content, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(Decimal),
    Text(String),
    Date(NaiveDate),
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was never computed and saved (the file was
    /// written by a program that does not calculate).
    FormulaWithoutValue(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text for labels and names.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(n) => Some(n.normalize().to_string()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawCell {
    pub value: Cell,
    pub origin: Origin,
    /// The text was typed in a legacy font encoding and has been converted.
    pub legacy: Option<Legacy>,
}

/// Columns of the form's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Code,
    Name,
    Unit,
    Value(Column),
    DocNumber,
    DocDate,
    DocIssuer,
    DocType,
    DocSummary,
    Group,
    ItemContent,
    ItemPlace,
}

/// The labels of the metadata sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaKey {
    UnitCode,
    UnitName,
    Period,
    Year,
    ReportDate,
}

impl MetaKey {
    pub fn label(self) -> &'static str {
        match self {
            MetaKey::UnitCode => "Mã đơn vị",
            MetaKey::UnitName => "Tên đơn vị",
            MetaKey::Period => "Kỳ báo cáo",
            MetaKey::Year => "Năm",
            MetaKey::ReportDate => "Ngày báo cáo",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawMeta {
    pub sheet: String,
    pub fields: Vec<(MetaKey, RawCell)>,
}

impl RawMeta {
    pub fn get(&self, key: MetaKey) -> Option<&RawCell> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, c)| c)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 0-based sheet row.
    pub row: u32,
    pub cells: Vec<(Field, RawCell)>,
}

impl RawRow {
    pub fn get(&self, field: Field) -> Option<&RawCell> {
        self.cells.iter().find(|(f, _)| *f == field).map(|(_, c)| c)
    }
}

/// Recognised columns of a table: field, 0-based column, header text.
pub type Columns = Vec<(Field, u32, String)>;

#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    pub sheet: String,
    pub header_row: u32,
    pub columns: Columns,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawWorkbook {
    /// Name used in messages (relative to the inputs folder).
    pub file: String,
    pub sheets: Vec<String>,
    pub meta: Option<RawMeta>,
    pub indicators: Option<RawTable>,
    pub documents: Option<RawTable>,
    pub items: Option<RawTable>,
}

/// How far down a sheet headers and labels are looked for.
const HEADER_SCAN_ROWS: u32 = 30;

/// Reads one workbook. The error is a Vietnamese sentence saying why the
/// file could not be read at all.
pub fn read_workbook(path: &Path, display: &str) -> Result<RawWorkbook, String> {
    sniff(path)?;
    let mut wb =
        open_workbook_auto(path).map_err(|e| format!("không mở được tệp: {}", explain_open_error(&e.to_string())))?;
    let sheets = wb.sheet_names().to_vec();
    let mut out = RawWorkbook {
        file: display.to_string(),
        sheets: sheets.clone(),
        meta: None,
        indicators: None,
        documents: None,
        items: None,
    };
    for name in &sheets {
        let range = match wb.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => return Err(format!("không đọc được trang «{name}»: {}", explain_open_error(&e.to_string()))),
        };
        let grid = Grid { range: &range, formulas: None, file: display, sheet: name };
        if out.indicators.is_none() {
            if let Some(mut table) = grid.table(TableKind::Indicators) {
                // Formulas are only looked at for empty value cells.
                if table
                    .rows
                    .iter()
                    .any(|r| r.cells.iter().any(|(f, c)| matches!(f, Field::Value(_)) && c.value.is_empty()))
                {
                    if let Ok(formulas) = wb.worksheet_formula(name) {
                        mark_formulas(&mut table, &formulas);
                    }
                }
                out.indicators = Some(table);
                continue;
            }
        }
        if out.documents.is_none() {
            if let Some(table) = grid.table(TableKind::Documents) {
                out.documents = Some(table);
                continue;
            }
        }
        if out.items.is_none() {
            if let Some(table) = grid.table(TableKind::Items) {
                out.items = Some(table);
                continue;
            }
        }
        if out.meta.is_none() {
            out.meta = grid.meta();
        }
    }
    Ok(out)
}

/// Catches files calamine would misreport: empty files, encrypted Office
/// files (an OLE container where a zip is expected), non-spreadsheets.
fn sniff(path: &Path) -> Result<(), String> {
    let mut head = [0u8; 8];
    let mut f = File::open(path).map_err(|e| format!("không mở được tệp: {e}"))?;
    let n = f.read(&mut head).map_err(|e| format!("không đọc được tệp: {e}"))?;
    if n == 0 {
        return Err("tệp rỗng (0 byte) — có thể tệp chưa tải xong hoặc bị lỗi khi gửi".into());
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let is_zip = head.starts_with(b"PK\x03\x04");
    let is_ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match ext.as_str() {
        "xlsx" | "xlsm" | "ods" if is_ole => {
            Err("tệp được đặt mật khẩu (mã hóa) nên không đọc được; đề nghị đơn vị gỡ mật khẩu rồi gửi lại".into())
        }
        "xlsx" | "xlsm" | "ods" if !is_zip => Err("tệp bị hỏng hoặc không phải bảng tính (sai đuôi tệp)".into()),
        "xls" if !is_ole => Err("tệp bị hỏng hoặc không phải bảng tính Excel 97-2003 (sai đuôi tệp)".into()),
        _ => Ok(()),
    }
}

fn explain_open_error(e: &str) -> String {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "tệp được đặt mật khẩu; đề nghị đơn vị gỡ mật khẩu rồi gửi lại".into()
    } else {
        format!("tệp bị hỏng hoặc không đúng định dạng bảng tính, có thể tải về chưa hết (chi tiết: {e})")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Indicators,
    Documents,
    Items,
}

struct Grid<'a> {
    range: &'a Range<Data>,
    #[allow(dead_code)]
    formulas: Option<&'a Range<String>>,
    file: &'a str,
    sheet: &'a str,
}

impl Grid<'_> {
    fn bounds(&self) -> Option<(u32, u32, u32, u32)> {
        let (r0, c0) = self.range.start()?;
        let (r1, c1) = self.range.end()?;
        Some((r0, c0, r1, c1))
    }

    fn data(&self, row: u32, col: u32) -> Option<&Data> {
        self.range.get_value((row, col))
    }

    fn cell(&self, row: u32, col: u32) -> RawCell {
        let origin = Origin { file: self.file.to_string(), sheet: self.sheet.to_string(), cell: cell_ref(row, col) };
        let mut value = self.data(row, col).map(convert).unwrap_or(Cell::Empty);
        let mut legacy = None;
        if let Cell::Text(t) = &value {
            if let Some((unicode, enc)) = convert_legacy(t) {
                value = Cell::Text(unicode);
                legacy = Some(enc);
            }
        }
        RawCell { value, origin, legacy }
    }

    fn label(&self, row: u32, col: u32) -> Option<String> {
        match self.data(row, col)? {
            Data::String(s) => {
                let f = fold(s);
                (!f.is_empty()).then_some(f)
            }
            _ => None,
        }
    }

    fn table(&self, kind: TableKind) -> Option<RawTable> {
        let (r0, c0, r1, c1) = self.bounds()?;
        let mut best: Option<(u32, Columns)> = None;
        for row in r0..=r1.min(r0 + HEADER_SCAN_ROWS) {
            let mut cols = Vec::new();
            for col in c0..=c1 {
                if let Some(label) = self.label(row, col) {
                    if let Some(field) = match_header(kind, &label) {
                        if !cols.iter().any(|(f, _, _)| *f == field) {
                            let text = match self.data(row, col) {
                                Some(Data::String(s)) => sanitize_inline(s),
                                _ => String::new(),
                            };
                            cols.push((field, col, text));
                        }
                    }
                }
            }
            let complete = match kind {
                TableKind::Indicators => {
                    cols.iter().any(|(f, _, _)| *f == Field::Code)
                        && cols.iter().any(|(f, _, _)| matches!(f, Field::Value(_)))
                }
                TableKind::Documents => {
                    cols.iter().any(|(f, _, _)| *f == Field::DocNumber)
                        && cols.iter().any(|(f, _, _)| *f == Field::DocSummary)
                }
                TableKind::Items => {
                    cols.iter().any(|(f, _, _)| *f == Field::ItemContent)
                        && cols.iter().any(|(f, _, _)| *f == Field::Group)
                }
            };
            if complete && best.as_ref().is_none_or(|(_, b)| cols.len() > b.len()) {
                best = Some((row, cols));
            }
        }
        let (header_row, columns) = best?;
        let mut rows = Vec::new();
        for row in header_row + 1..=r1 {
            let cells: Vec<(Field, RawCell)> = columns.iter().map(|(f, col, _)| (*f, self.cell(row, *col))).collect();
            if cells.iter().all(|(_, c)| c.value.is_empty()) {
                continue;
            }
            rows.push(RawRow { row, cells });
        }
        Some(RawTable { sheet: self.sheet.to_string(), header_row, columns, rows })
    }

    fn meta(&self) -> Option<RawMeta> {
        let (r0, c0, r1, c1) = self.bounds()?;
        let mut fields = Vec::new();
        for row in r0..=r1.min(r0 + HEADER_SCAN_ROWS) {
            for col in c0..=c1 {
                let Some(label) = self.label(row, col) else { continue };
                let Some(key) = match_meta(&label) else { continue };
                if fields.iter().any(|(k, _)| *k == key) {
                    continue;
                }
                // the value is the first non-empty cell to the right
                let value = (col + 1..=c1)
                    .map(|c| self.cell(row, c))
                    .find(|c| !c.value.is_empty())
                    .unwrap_or_else(|| self.cell(row, col + 1));
                fields.push((key, value));
            }
        }
        fields.iter().any(|(k, _)| *k == MetaKey::UnitCode).then(|| RawMeta { sheet: self.sheet.to_string(), fields })
    }
}

fn mark_formulas(table: &mut RawTable, formulas: &Range<String>) {
    for row in &mut table.rows {
        for (field, cell) in &mut row.cells {
            if !matches!(field, Field::Value(_)) || !cell.value.is_empty() {
                continue;
            }
            let Some(col) = table.columns.iter().find(|(f, _, _)| f == field).map(|(_, c, _)| *c) else { continue };
            if let Some(f) = formulas.get_value((row.row, col)) {
                if !f.trim().is_empty() {
                    cell.value = Cell::FormulaWithoutValue(f.clone());
                }
            }
        }
    }
}

const ERROR_TEXTS: [&str; 8] = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "Err:502"];

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(Decimal::from(*i)),
        Data::Float(f) => decimal_from_f64(*f).map(Cell::Number).unwrap_or_else(|| Cell::Error(f.to_string())),
        Data::Bool(b) => Cell::Bool(*b),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::String(s) => {
            let s = sanitize_inline(s);
            if s.is_empty() {
                Cell::Empty
            } else if ERROR_TEXTS.contains(&s.as_str()) || s.starts_with("Err:") {
                Cell::Error(s)
            } else {
                Cell::Text(s)
            }
        }
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(d) => Cell::Date(d.date()),
                    None => Cell::Error(dt.as_f64().to_string()),
                }
            } else {
                decimal_from_f64(dt.as_f64()).map(Cell::Number).unwrap_or_else(|| Cell::Error(dt.as_f64().to_string()))
            }
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(sanitize_inline(s))),
        Data::DurationIso(s) => Cell::Text(sanitize_inline(s)),
    }
}

/// Removes years and parenthesised notes so "KH năm 2023 (ha)" reads as "kh nam".
fn header_key(label: &str) -> String {
    label.split(' ').filter(|w| !(w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))).collect::<Vec<_>>().join(" ")
}

fn match_header(kind: TableKind, label: &str) -> Option<Field> {
    let key = header_key(label);
    let k = key.as_str();
    match kind {
        TableKind::Indicators => match k {
            "ma chi tieu" | "ma so chi tieu" | "ma so" | "ma" => Some(Field::Code),
            "ten chi tieu" | "chi tieu" | "noi dung chi tieu" | "noi dung" => Some(Field::Name),
            "don vi tinh" | "dvt" | "don vi" => Some(Field::Unit),
            "th nam truoc" | "thuc hien nam truoc" => Some(Field::Value(Column::ThTruoc)),
            "kh nam" | "ke hoach nam" | "kh" | "ke hoach" => Some(Field::Value(Column::Kh)),
            "th cung ky nam truoc" | "thuc hien cung ky nam truoc" | "cung ky nam truoc" | "th cung ky" | "cung ky" => {
                Some(Field::Value(Column::Ck))
            }
            "th ky bao cao" | "thuc hien ky bao cao" | "th ky nay" | "thuc hien ky nay" | "th" | "thuc hien" => {
                Some(Field::Value(Column::Th))
            }
            "uoc ca nam"
            | "uoc thuc hien ca nam"
            | "uoc th ca nam"
            | "uoc th nam"
            | "uoc nam"
            | "uoc thuc hien nam" => Some(Field::Value(Column::Uoc)),
            "kh nam sau" | "ke hoach nam sau" => Some(Field::Value(Column::KhSau)),
            _ => None,
        },
        TableKind::Documents => match k {
            "so va ky hieu" | "so ky hieu" | "so hieu" | "so va ky hieu van ban" => Some(Field::DocNumber),
            "ngay" | "ngay ban hanh" | "ngay thang" | "ngay van ban" => Some(Field::DocDate),
            "co quan ban hanh" | "co quan" | "noi ban hanh" => Some(Field::DocIssuer),
            "loai" | "loai van ban" => Some(Field::DocType),
            "trich yeu" | "trich yeu noi dung" | "noi dung" => Some(Field::DocSummary),
            "nhom" | "nhom chu thich" => Some(Field::Group),
            _ => None,
        },
        TableKind::Items => match k {
            "nhom" | "nhom chu thich" => Some(Field::Group),
            "noi dung" | "ten" => Some(Field::ItemContent),
            "dia ban" | "ma dia ban" | "ma don vi dia ban" => Some(Field::ItemPlace),
            _ => None,
        },
    }
}

fn match_meta(label: &str) -> Option<MetaKey> {
    match header_key(label).as_str() {
        "ma don vi" | "ma don vi bao cao" => Some(MetaKey::UnitCode),
        "ten don vi" | "don vi bao cao" | "ten don vi bao cao" => Some(MetaKey::UnitName),
        "ky bao cao" | "ky" => Some(MetaKey::Period),
        "nam" | "nam bao cao" => Some(MetaKey::Year),
        "ngay bao cao" | "ngay lap" | "ngay lap bao cao" => Some(MetaKey::ReportDate),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_by_text() {
        assert_eq!(match_header(TableKind::Indicators, &fold("KH năm 2023")), Some(Field::Value(Column::Kh)));
        assert_eq!(
            match_header(TableKind::Indicators, &fold("TH năm trước (2022)")),
            Some(Field::Value(Column::ThTruoc))
        );
        assert_eq!(match_header(TableKind::Indicators, &fold("KH năm sau")), Some(Field::Value(Column::KhSau)));
        assert_eq!(match_header(TableKind::Indicators, &fold("TH cùng kỳ năm trước")), Some(Field::Value(Column::Ck)));
        assert_eq!(match_header(TableKind::Indicators, &fold("Ước cả năm 2023")), Some(Field::Value(Column::Uoc)));
        assert_eq!(match_header(TableKind::Indicators, &fold("Mã chỉ tiêu")), Some(Field::Code));
        assert_eq!(match_header(TableKind::Indicators, &fold("Ghi chú")), None);
        assert_eq!(match_meta(&fold("Mã đơn vị:")), Some(MetaKey::UnitCode));
    }

    #[test]
    fn cells_are_typed() {
        assert_eq!(convert(&Data::Float(7.000_000_000_000_001)), Cell::Number(Decimal::from(7)));
        assert_eq!(convert(&Data::Int(12)), Cell::Number(Decimal::from(12)));
        assert_eq!(convert(&Data::String("  ".into())), Cell::Empty);
        assert_eq!(convert(&Data::String("#DIV/0!".into())), Cell::Error("#DIV/0!".into()));
        assert_eq!(
            convert(&Data::DateTimeIso("2023-06-30".into())),
            Cell::Date(NaiveDate::from_ymd_opt(2023, 6, 30).unwrap())
        );
    }
}
