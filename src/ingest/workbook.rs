//! One workbook → [`RawWorkbook`]: the form's sheets recognised by their
//! content (not their names), columns found by their header text (not their
//! position), every cell typed and addressed.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Once};

use calamine::{
    open_workbook_auto_from_rs, Data, DataRef, Ods, Range, Reader, SheetVisible, Sheets, Xls, Xlsx, XlsxError,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::origin::{Column, Origin, Sheet};
use crate::vi::{convert_legacy, decimal_from_f64, fold, sanitize_inline, Legacy};

use super::guard;
use super::limits::{self, Limits};
use super::Refusal;

/// Formula texts by (row, column), 0-based.
type Formulas = HashMap<(u32, u32), String>;

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
    /// Its labels were typed in a legacy font encoding (and read converted).
    pub legacy: Option<Legacy>,
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
    /// Its headers were typed in a legacy font encoding (and read converted).
    pub legacy: Option<Legacy>,
    pub header_row: u32,
    pub columns: Columns,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawWorkbook {
    /// Name used in messages (relative to the inputs folder).
    pub file: String,
    /// Every sheet, hidden ones too.
    pub sheets: Vec<String>,
    /// Hidden sheets that look like the form (an indicator table or the
    /// unit's metadata): never read for figures, only named in a warning.
    pub hidden_forms: Vec<String>,
    pub meta: Option<RawMeta>,
    pub indicators: Option<RawTable>,
    pub documents: Option<RawTable>,
    pub items: Option<RawTable>,
}

/// How far down a sheet headers and labels are looked for.
const HEADER_SCAN_ROWS: u32 = 30;

/// Letters of the longest header or label recognised ("thực hiện cùng kỳ
/// năm trước" has 23), with room to spare; longer texts are not folded.
const MAX_LABEL_LETTERS: usize = 40;

/// Reads one workbook, within the default limits. The error says, in
/// Vietnamese, why the file could not be read at all and what to ask.
pub fn read_workbook(path: &Path, display: &str) -> Result<RawWorkbook, Refusal> {
    read_workbook_with(path, display, &Limits::default())
}

/// [`read_workbook`] within `limits`.
pub fn read_workbook_with(path: &Path, display: &str, limits: &Limits) -> Result<RawWorkbook, Refusal> {
    // the size from the open file (no second walk of the path)
    let file = File::open(path).map_err(|e| format!("không mở được tệp: {e}"))?;
    let size = file.metadata().map_err(|e| format!("không mở được tệp: {e}"))?.len();
    if size > limits.max_file_bytes {
        return Err(limits::too_big(size, limits));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("không đọc được tệp: {e}"))?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    read_workbook_bytes(&bytes, &ext, display, limits)
}

/// A workbook from its bytes; `ext` (lower case, without the dot) says the
/// format: "xlsx", "xlsm", "xls" or "ods". Never panics, whatever the bytes.
pub fn read_workbook_bytes(bytes: &[u8], ext: &str, display: &str, limits: &Limits) -> Result<RawWorkbook, Refusal> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(limits::too_big(bytes.len() as u64, limits));
    }
    sniff(bytes, ext)?;
    match ext {
        "xlsx" | "xlsm" => guard::check_zip(bytes, limits)?,
        "ods" => guard::check_ods(bytes, limits)?,
        "xls" => guard::check_xls(bytes, limits)?,
        _ => {}
    }
    // A bug of the spreadsheet library on one broken file must not stop
    // the others from being read: it becomes this file's error.
    let result = quiet_panics(|| panic::catch_unwind(AssertUnwindSafe(|| read_sheets(bytes, ext, display, limits))));
    match result {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!(
                "tệp bị hỏng hoặc không đúng định dạng bảng tính, có thể tải về chưa hết (chi tiết: lỗi khi đọc tệp: {})",
                sanitize_inline(&what)
            )
            .into())
        }
    }
}

thread_local! {
    /// This thread is inside [`quiet_panics`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with panics on this thread kept off stderr (they are caught and
/// reported as the file's error). The process's panic hook is wrapped once;
/// panics anywhere else still reach it unchanged.
fn quiet_panics<T>(f: impl FnOnce() -> T) -> T {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let out = f();
    QUIET.with(|q| q.set(was));
    out
}

fn open_error(e: impl std::fmt::Display) -> Refusal {
    explain_open_error("không mở được tệp", &e.to_string())
}

fn read_sheets(bytes: &[u8], ext: &str, display: &str, limits: &Limits) -> Result<RawWorkbook, Refusal> {
    let cursor = Cursor::new(bytes);
    let mut wb: Sheets<Cursor<&[u8]>> = match ext {
        "xls" => Sheets::Xls(Xls::new(cursor).map_err(open_error)?),
        "ods" => Sheets::Ods(Ods::new(cursor).map_err(open_error)?),
        "xlsx" | "xlsm" => Sheets::Xlsx(Xlsx::new(cursor).map_err(open_error)?),
        _ => open_workbook_auto_from_rs(cursor).map_err(open_error)?,
    };
    // only what the unit sees counts: a hidden sheet (an old copy of the
    // form, kept out of sight) is never summed
    let sheets: Vec<(String, bool)> =
        wb.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible == SheetVisible::Visible)).collect();
    let mut out = RawWorkbook {
        file: display.to_string(),
        sheets: sheets.iter().map(|(n, _)| sanitize_inline(n)).collect(),
        hidden_forms: Vec::new(),
        meta: None,
        indicators: None,
        documents: None,
        items: None,
    };
    for (name, visible) in &sheets {
        // once every part of the form is found, a further visible sheet (the
        // instructions, a unit's own notes) could add nothing: it is not read.
        // Hidden sheets still are, to be named if they hold a copy of the form.
        let complete = out.indicators.is_some() && out.documents.is_some() && out.items.is_some() && out.meta.is_some();
        if *visible && complete {
            continue;
        }
        // the name as messages show it: a sheet name is text from the unit too
        let shown = sanitize_inline(name);
        let range = match &mut wb {
            Sheets::Xlsx(x) => xlsx_range(x, name, &shown, limits)?,
            other => other
                .worksheet_range(name)
                .map_err(|e| explain_open_error(&format!("không đọc được trang «{shown}»"), &e.to_string()))?,
        };
        let grid = Grid::new(&range, display, &shown);
        if !visible {
            if grid.table(TableKind::Indicators).is_some() || grid.meta().is_some() {
                out.hidden_forms.push(shown);
            }
            continue;
        }
        if out.indicators.is_none() {
            if let Some(mut table) = grid.table(TableKind::Indicators) {
                // Formulas are only looked at for empty value cells.
                if table
                    .rows
                    .iter()
                    .any(|r| r.cells.iter().any(|(f, c)| matches!(f, Field::Value(_)) && c.value.is_empty()))
                {
                    let formulas = match &mut wb {
                        Sheets::Xlsx(x) => xlsx_formulas(x, name, limits),
                        other => other.worksheet_formula(name).ok().map(|r| {
                            r.used_cells().map(|(row, col, f)| ((row as u32, col as u32), f.clone())).collect()
                        }),
                    };
                    if let Some(formulas) = formulas {
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

/// An .xlsx sheet's filled cells, streamed: the range they span is checked
/// against the limit before calamine lays it out (a cell at A1 and one at
/// XFD1048576 would otherwise make a block of 17 billion cells). Empty
/// (formatted only) cells are not kept, so a sheet whose declared
/// `<dimension>` is large only through formatting still reads.
fn xlsx_range<RS: Read + Seek>(
    x: &mut Xlsx<RS>,
    name: &str,
    shown: &str,
    limits: &Limits,
) -> Result<Range<Data>, Refusal> {
    let unreadable = |e: XlsxError| explain_open_error(&format!("không đọc được trang «{shown}»"), &e.to_string());
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(e) => return Err(unreadable(e)),
    };
    let mut cells = Vec::new();
    let mut bbox: Option<((u32, u32), (u32, u32))> = None;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        let (start, end) = match bbox {
            None => ((r, c), (r, c)),
            Some((s, e)) => ((s.0.min(r), s.1.min(c)), (e.0.max(r), e.1.max(c))),
        };
        bbox = Some((start, end));
        let used = limits::area(start, end).max(cells.len() as u64 + 1);
        if used > limits.max_sheet_cells {
            return Err(limits::sheet_too_big(shown, &limits::a1_range(start, end), used, limits));
        }
        cells.push(calamine::Cell::new((r, c), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

/// The formulas of an .xlsx sheet by cell, streamed (no block laid out).
fn xlsx_formulas<RS: Read + Seek>(x: &mut Xlsx<RS>, name: &str, limits: &Limits) -> Option<Formulas> {
    let mut reader = x.worksheet_cells_reader(name).ok()?;
    let mut out = Formulas::new();
    while let Ok(Some(cell)) = reader.next_formula() {
        if cell.get_value().trim().is_empty() {
            continue;
        }
        if out.len() as u64 >= limits.max_sheet_cells {
            break;
        }
        out.insert(cell.get_position(), cell.get_value().clone());
    }
    Some(out)
}

/// Catches files calamine would misreport: empty files, encrypted Office
/// files (an OLE container where a zip is expected), non-spreadsheets.
fn sniff(bytes: &[u8], ext: &str) -> Result<(), Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::new(
            "tệp rỗng (0 byte) — có thể tệp chưa tải xong hoặc bị lỗi khi gửi",
            "Đề nghị đơn vị gửi lại tệp",
        ));
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match ext {
        "xlsx" | "xlsm" | "ods" if is_ole => Err(encrypted("tệp được đặt mật khẩu (mã hóa) nên không đọc được")),
        "xlsx" | "xlsm" | "ods" if !is_zip => {
            Err("tệp bị hỏng hoặc không phải bảng tính (sai đuôi tệp)".to_string().into())
        }
        "xls" if !is_ole => {
            Err("tệp bị hỏng hoặc không phải bảng tính Excel 97-2003 (sai đuôi tệp)".to_string().into())
        }
        _ => Ok(()),
    }
}

fn encrypted(message: &str) -> Refusal {
    Refusal::new(message, "Đề nghị đơn vị gỡ mật khẩu rồi gửi lại")
}

/// The spreadsheet library's error `e` while doing `what`, as a refusal.
fn explain_open_error(what: &str, e: &str) -> Refusal {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        encrypted(&format!("{what}: tệp được đặt mật khẩu"))
    } else {
        format!("{what}: tệp bị hỏng hoặc không đúng định dạng bảng tính, có thể tải về chưa hết (chi tiết: {e})")
            .into()
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
    /// Shared by the origins of all the cells read here.
    sheet: Arc<Sheet>,
    /// Folded text of the cells where headers and labels are looked for
    /// (the first rows, every column), computed once per sheet: folding is
    /// the costly part of reading, and every kind of table looks there.
    labels: Vec<Option<Label>>,
    /// (first row, first column, last row, last column) of `labels`.
    scan: Option<(u32, u32, u32, u32)>,
}

impl<'a> Grid<'a> {
    fn new(range: &'a Range<Data>, file: &str, sheet: &str) -> Grid<'a> {
        let mut grid = Grid { range, sheet: Sheet::new(file, sheet), labels: Vec::new(), scan: None };
        if let Some((r0, c0, r1, c1)) = grid.bounds() {
            let last = r1.min(r0 + HEADER_SCAN_ROWS);
            grid.labels = (r0..=last)
                .flat_map(|row| (c0..=c1).map(move |col| (row, col)))
                .map(|(row, col)| match range.get_value((row, col)) {
                    // a label with more letters than any header or label is none of them
                    Some(Data::String(s)) if few_letters(s) => memo(&LABELS, s, label_of),
                    _ => None,
                })
                .collect();
            grid.scan = Some((r0, c0, last, c1));
        }
        grid
    }

    fn bounds(&self) -> Option<(u32, u32, u32, u32)> {
        let (r0, c0) = self.range.start()?;
        let (r1, c1) = self.range.end()?;
        Some((r0, c0, r1, c1))
    }

    fn data(&self, row: u32, col: u32) -> Option<&Data> {
        self.range.get_value((row, col))
    }

    fn cell(&self, row: u32, col: u32) -> RawCell {
        let origin = Origin::at(&self.sheet, row, col);
        let (value, legacy) = match self.data(row, col) {
            Some(Data::String(s)) => text_cell(s),
            Some(d) => (convert(d), None),
            None => (Cell::Empty, None),
        };
        RawCell { value, origin, legacy }
    }

    /// The folded text of a cell in the first rows, as a header key
    /// ([`header_key`]); None elsewhere.
    fn label(&self, row: u32, col: u32) -> Option<&Label> {
        let (r0, c0, r1, c1) = self.scan?;
        if row < r0 || row > r1 || col < c0 || col > c1 {
            return None;
        }
        let at = (row - r0) as usize * (c1 - c0 + 1) as usize + (col - c0) as usize;
        self.labels.get(at)?.as_ref()
    }

    fn table(&self, kind: TableKind) -> Option<RawTable> {
        let (r0, c0, r1, c1) = self.bounds()?;
        let mut best: Option<(u32, Columns, Option<Legacy>)> = None;
        for row in r0..=r1.min(r0 + HEADER_SCAN_ROWS) {
            let mut cols = Vec::new();
            let mut legacy = None;
            for col in c0..=c1 {
                if let Some(label) = self.label(row, col) {
                    if let Some(field) = match_header_key(kind, &label.key) {
                        if !cols.iter().any(|(f, _, _)| *f == field) {
                            let text = match self.data(row, col) {
                                Some(Data::String(s)) => label.text(s),
                                _ => String::new(),
                            };
                            cols.push((field, col, text));
                            legacy = legacy.or(label.legacy);
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
            if complete && best.as_ref().is_none_or(|(_, b, _)| cols.len() > b.len()) {
                best = Some((row, cols, legacy));
            }
        }
        let (header_row, columns, legacy) = best?;
        // an indicator row is read by its code and values: the name and the
        // measure the unit sees are not (the catalog's are printed), and
        // converting the long name of every row cost ~80 ms CPU at N = 10,000
        let read = |f: &Field| kind != TableKind::Indicators || matches!(f, Field::Code | Field::Value(_));
        let mut rows = Vec::new();
        for row in header_row + 1..=r1 {
            let cells: Vec<(Field, RawCell)> =
                columns.iter().filter(|(f, _, _)| read(f)).map(|(f, col, _)| (*f, self.cell(row, *col))).collect();
            if cells.iter().all(|(_, c)| c.value.is_empty()) {
                continue;
            }
            rows.push(RawRow { row, cells });
        }
        Some(RawTable { sheet: self.sheet.name.clone(), legacy, header_row, columns, rows })
    }

    fn meta(&self) -> Option<RawMeta> {
        let (r0, c0, r1, c1) = self.bounds()?;
        let mut fields = Vec::new();
        let mut legacy = None;
        for row in r0..=r1.min(r0 + HEADER_SCAN_ROWS) {
            for col in c0..=c1 {
                let Some(label) = self.label(row, col) else { continue };
                let Some(key) = match_meta_key(&label.key) else { continue };
                if fields.iter().any(|(k, _)| *k == key) {
                    continue;
                }
                legacy = legacy.or(label.legacy);
                // the value is the first non-empty cell to the right
                let value = (col + 1..=c1)
                    .map(|c| self.cell(row, c))
                    .find(|c| !c.value.is_empty())
                    .unwrap_or_else(|| self.cell(row, col + 1));
                fields.push((key, value));
            }
        }
        fields.iter().any(|(k, _)| *k == MetaKey::UnitCode).then(|| RawMeta {
            sheet: self.sheet.name.clone(),
            legacy,
            fields,
        })
    }
}

/// A header or label cell, folded for matching.
#[derive(Debug, Clone)]
struct Label {
    /// [`header_key`] of its folded text.
    key: String,
    /// The text was typed in a legacy font encoding ("M· chØ tiªu", a form
    /// typed again with .VnTime) and is matched converted.
    legacy: Option<Legacy>,
}

impl Label {
    /// The cell's text `s` as shown in messages: converted when legacy.
    fn text(&self, s: &str) -> String {
        match self.legacy.and_then(|_| convert_legacy(s)) {
            Some((unicode, _)) => sanitize_inline(&unicode),
            None => sanitize_inline(s),
        }
    }
}

/// The label of a header or label cell's text, if it has letters.
fn label_of(s: &str) -> Option<Label> {
    let (key, legacy) = match convert_legacy(s) {
        Some((unicode, enc)) => (header_key(&fold(&unicode)), Some(enc)),
        None => (header_key(&fold(s)), None),
    };
    (!key.is_empty()).then_some(Label { key, legacy })
}

fn mark_formulas(table: &mut RawTable, formulas: &Formulas) {
    for row in &mut table.rows {
        for (field, cell) in &mut row.cells {
            if !matches!(field, Field::Value(_)) || !cell.value.is_empty() {
                continue;
            }
            let Some(col) = table.columns.iter().find(|(f, _, _)| f == field).map(|(_, c, _)| *c) else { continue };
            if let Some(f) = formulas.get(&(row.row, col)) {
                if !f.trim().is_empty() {
                    cell.value = Cell::FormulaWithoutValue(f.clone());
                }
            }
        }
    }
}

const ERROR_TEXTS: [&str; 8] = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "Err:502"];

/// Strings remembered per thread, up to this many each: the forms of many
/// units carry the same headers, names and units, and normalising them
/// (NFC, legacy fonts, folding) is most of the cost of reading.
const MEMO_SIZE: usize = 4096;

/// Keyed by the workbooks' own texts: the standard (keyed) hash, so that no
/// workbook can be made of texts that all collide and slow every lookup.
type Memo<T> = std::cell::RefCell<HashMap<String, T>>;

thread_local! {
    static TEXTS: Memo<(Cell, Option<Legacy>)> = Default::default();
    static LABELS: Memo<Option<Label>> = Default::default();
}

/// At most [`MAX_LABEL_LETTERS`] letters in `s`, counted only as far as
/// needed: indicator names and notes are long. A letter takes at least one
/// byte, so a short text needs no counting.
fn few_letters(s: &str) -> bool {
    s.len() <= MAX_LABEL_LETTERS || s.chars().filter(|&c| is_letter(c)).nth(MAX_LABEL_LETTERS).is_none()
}

/// `c.is_alphabetic()`, answered without the Unicode table for the letters
/// of Vietnamese and the other Latin alphabets (the table lookup is a
/// binary search, and almost every letter of a form is one of these). The
/// blocks answered here hold letters only, but for × and ÷; a test checks
/// every character against `is_alphabetic`.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7f}' => false,
        // Latin-1 Supplement letters, Latin Extended-A and -B
        '\u{c0}'..='\u{24f}' => c != '\u{d7}' && c != '\u{f7}',
        // Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ … ỹ
        '\u{1e00}'..='\u{1eff}' => true,
        _ => c.is_alphabetic(),
    }
}

/// `f(s)`, remembered in `memo` (which is emptied when full).
fn memo<T: Clone>(memo: &'static std::thread::LocalKey<Memo<T>>, s: &str, f: impl FnOnce(&str) -> T) -> T {
    if let Some(hit) = memo.with(|m| m.borrow().get(s).cloned()) {
        return hit;
    }
    let value = f(s);
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_SIZE {
            m.clear();
        }
        m.insert(s.to_string(), value.clone());
    });
    value
}

/// A text cell: sanitised, typed, converted from a legacy font encoding.
fn text_cell(s: &str) -> (Cell, Option<Legacy>) {
    memo(&TEXTS, s, |s| {
        let value = convert(&Data::String(s.to_string()));
        if let Cell::Text(t) = &value {
            if let Some((unicode, enc)) = convert_legacy(t) {
                return (Cell::Text(unicode), Some(enc));
            }
        }
        (value, None)
    })
}

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

#[cfg(test)]
fn match_header(kind: TableKind, label: &str) -> Option<Field> {
    match_header_key(kind, &header_key(label))
}

/// [`match_header`] of a label already reduced by [`header_key`].
fn match_header_key(kind: TableKind, k: &str) -> Option<Field> {
    match kind {
        TableKind::Indicators => match k {
            "ma chi tieu" | "ma so chi tieu" | "ma so" | "ma" => Some(Field::Code),
            "ten chi tieu" | "chi tieu" | "noi dung chi tieu" | "noi dung" => Some(Field::Name),
            "don vi tinh" | "dvt" | "don vi" => Some(Field::Unit),
            "th nam truoc" | "thuc hien nam truoc" => Some(Field::Value(Column::PrevYear)),
            "kh nam" | "ke hoach nam" | "kh" | "ke hoach" => Some(Field::Value(Column::Plan)),
            "th cung ky nam truoc" | "thuc hien cung ky nam truoc" | "cung ky nam truoc" | "th cung ky" | "cung ky" => {
                Some(Field::Value(Column::SamePeriodLastYear))
            }
            "th ky bao cao" | "thuc hien ky bao cao" | "th ky nay" | "thuc hien ky nay" | "th" | "thuc hien" => {
                Some(Field::Value(Column::Actual))
            }
            "uoc ca nam"
            | "uoc thuc hien ca nam"
            | "uoc th ca nam"
            | "uoc th nam"
            | "uoc nam"
            | "uoc thuc hien nam" => Some(Field::Value(Column::Estimate)),
            "kh nam sau" | "ke hoach nam sau" => Some(Field::Value(Column::NextPlan)),
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

#[cfg(test)]
fn match_meta(label: &str) -> Option<MetaKey> {
    match_meta_key(&header_key(label))
}

fn match_meta_key(key: &str) -> Option<MetaKey> {
    match key {
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
    fn letters_are_counted_as_before_only_faster() {
        let count = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count() <= MAX_LABEL_LETTERS;
        let long = "Diện tích gieo trồng cây hàng năm vụ Đông Xuân của các huyện thị";
        let cases = [
            "",
            "Mã chỉ tiêu",
            "TH năm trước (2022)",
            "12.345,6 ha",
            long,
            &long[..60],
            &"ă".repeat(40),
            &"ă".repeat(41),
        ];
        for s in cases {
            assert_eq!(few_letters(s), count(s), "{s}");
        }
    }

    #[test]
    fn letters_are_told_as_unicode_tells_them() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn headers_are_matched_by_text() {
        assert_eq!(match_header(TableKind::Indicators, &fold("KH năm 2023")), Some(Field::Value(Column::Plan)));
        assert_eq!(
            match_header(TableKind::Indicators, &fold("TH năm trước (2022)")),
            Some(Field::Value(Column::PrevYear))
        );
        assert_eq!(match_header(TableKind::Indicators, &fold("KH năm sau")), Some(Field::Value(Column::NextPlan)));
        assert_eq!(
            match_header(TableKind::Indicators, &fold("TH cùng kỳ năm trước")),
            Some(Field::Value(Column::SamePeriodLastYear))
        );
        assert_eq!(match_header(TableKind::Indicators, &fold("Ước cả năm 2023")), Some(Field::Value(Column::Estimate)));
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
