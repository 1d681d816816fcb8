//! The data the pipeline carries: what units submitted (with the cell each
//! value came from), what is wrong with it, and the summed figures.

pub mod aggregate;
pub mod appendix;
pub mod validate;

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use aggregate::{aggregate, Contribution, Figure, Figures};
pub use validate::{check_one, combine, required, validate, Checked1};

/// The value columns of the standard form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// TH năm trước — achieved in the whole previous year.
    ThTruoc,
    /// KH năm — this year's plan.
    Kh,
    /// TH cùng kỳ năm trước — same period last year.
    Ck,
    /// TH kỳ báo cáo — achieved in the reporting period.
    Th,
    /// Ước cả năm — estimate for the whole year.
    Uoc,
    /// KH năm sau — next year's plan.
    KhSau,
}

impl Column {
    pub const ALL: [Column; 6] = [Column::ThTruoc, Column::Kh, Column::Ck, Column::Th, Column::Uoc, Column::KhSau];

    /// Code used in templates: `f.lua_xuan.th`.
    pub fn code(self) -> &'static str {
        match self {
            Column::ThTruoc => "th_truoc",
            Column::Kh => "kh",
            Column::Ck => "ck",
            Column::Th => "th",
            Column::Uoc => "uoc",
            Column::KhSau => "kh_sau",
        }
    }

    pub fn from_code(code: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Header printed in the form.
    pub fn label(self) -> &'static str {
        match self {
            Column::ThTruoc => "TH năm trước",
            Column::Kh => "KH năm",
            Column::Ck => "TH cùng kỳ năm trước",
            Column::Th => "TH kỳ báo cáo",
            Column::Uoc => "Ước cả năm",
            Column::KhSau => "KH năm sau",
        }
    }
}

/// Where a value was read: file, sheet and cell. Every value carries one,
/// so it is small (16 bytes): the file and sheet are shared by all the cells
/// of a sheet, and the cell is kept as numbers ([`Origin::cell`] spells it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    sheet: Arc<Sheet>,
    /// 0-based row and column.
    pub row: u32,
    pub col: u32,
}

/// A sheet of a file, shared by the origins of its cells.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sheet {
    pub file: String,
    pub name: String,
}

impl Sheet {
    pub fn new(file: &str, name: &str) -> Arc<Sheet> {
        Arc::new(Sheet { file: file.to_string(), name: name.to_string() })
    }
}

impl Origin {
    pub fn new(file: &str, sheet: &str, row: u32, col: u32) -> Origin {
        Origin::at(&Sheet::new(file, sheet), row, col)
    }

    /// A cell of `sheet`.
    pub fn at(sheet: &Arc<Sheet>, row: u32, col: u32) -> Origin {
        Origin { sheet: sheet.clone(), row, col }
    }

    /// The file, as named in messages.
    pub fn file(&self) -> &str {
        &self.sheet.file
    }

    pub fn sheet(&self) -> &str {
        &self.sheet.name
    }

    /// The A1 reference, e.g. "F12".
    pub fn cell(&self) -> String {
        cell_ref(self.row, self.col)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, trang «{}», ô {}", self.file(), self.sheet(), self.cell())
    }
}

/// One number a unit reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub indicator: Arc<str>,
    pub column: Column,
    pub value: Decimal,
    pub origin: Origin,
}

/// A document the unit issued or cites (the "Văn bản" sheet), for footnotes.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRef {
    pub so_ky_hieu: String,
    pub ngay: Option<NaiveDate>,
    pub co_quan: String,
    pub loai: String,
    pub trich_yeu: String,
    pub nhom: String,
    pub origin: Origin,
}

/// One row of the "Danh mục" sheet: a named item (a value chain, a model,
/// a project) listed in the text or a footnote.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub nhom: String,
    pub noi_dung: String,
    /// Unit code of the place it concerns, when given.
    pub dia_ban: Option<String>,
    pub origin: Origin,
}

/// One unit's checked workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub unit: String,
    pub file: String,
    pub period: String,
    pub year: i32,
    pub report_date: Option<NaiveDate>,
    pub entries: Vec<Entry>,
    /// Value cells of indicator rows the unit left empty.
    pub blanks: Vec<(Arc<str>, Column, Origin)>,
    /// Value cells whose content was rejected (not a number, negative…).
    pub rejected: Vec<(Arc<str>, Column, Origin)>,
    /// The sheet of the indicator table.
    pub sheet: Arc<str>,
    pub documents: Vec<DocumentRef>,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }
}

/// A finding about the inputs, in Vietnamese, pointing at the cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub unit: Option<String>,
    pub message: String,
    /// What to ask the unit to do.
    pub hint: String,
}

impl Diagnostic {
    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            sheet: None,
            cell: None,
            unit: None,
            message: message.into(),
            hint: String::new(),
        }
    }

    pub fn warning(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    pub fn at(mut self, origin: &Origin) -> Diagnostic {
        self.sheet = Some(origin.sheet().to_string());
        self.cell = Some(origin.cell());
        self
    }

    pub fn in_sheet(mut self, sheet: &str) -> Diagnostic {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn unit(mut self, unit: &str) -> Diagnostic {
        self.unit = Some(unit.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = hint.into();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.severity.label(), self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", trang «{sheet}»")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, ", ô {cell}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

/// Findings shown of one kind in one file ([`capped`]).
pub const SHOWN_PER_KIND: usize = 50;

/// The findings as they are shown (on screen, in kiem-tra.xlsx): at most
/// `per_kind` of one kind (same severity and message but for the quoted
/// text and the numbers) in one file, the rest summed up in one line after
/// them ("… và 99.987 lỗi cùng loại"). A form with a hundred thousand
/// duplicate rows is a few dozen lines, not 19 MB of them.
pub fn capped(diags: &[Diagnostic], per_kind: usize) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let key = |d: &Diagnostic| (d.severity, d.file.clone(), kind_of(&d.message));
    // per kind: how many, and the sheet they share (None when they do not)
    let mut kinds: HashMap<_, (usize, Option<Option<String>>)> = HashMap::new();
    for d in diags {
        let (n, sheet) = kinds.entry(key(d)).or_insert((0, Some(d.sheet.clone())));
        *n += 1;
        if sheet.as_ref().is_some_and(|s| *s != d.sheet) {
            *sheet = None;
        }
    }
    let mut shown: HashMap<_, usize> = HashMap::new();
    let mut out = Vec::with_capacity(diags.len().min(kinds.len() * (per_kind + 1)));
    for d in diags {
        let k = key(d);
        let n = shown.entry(k.clone()).or_default();
        *n += 1;
        if *n <= per_kind {
            out.push(d.clone());
        }
        let (all, sheet) = &kinds[&k];
        if *n == *all && *all > per_kind {
            out.push(Diagnostic {
                message: format!(
                    "… và {} {} cùng loại",
                    crate::vi::format_number(rust_decimal::Decimal::from(all - per_kind), 0, false),
                    d.severity.label()
                ),
                hint: "Các ô còn lại có cùng vấn đề như các dòng trên; sửa theo cách đó rồi kiểm tra lại".into(),
                sheet: sheet.clone().flatten(),
                cell: None,
                ..d.clone()
            });
        }
    }
    out
}

/// A message without what varies between findings of one kind: the text
/// in «…» and the numbers.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = 0u32;
    for c in message.chars() {
        match c {
            '«' => {
                quoted += 1;
                out.push(c);
            }
            '»' => {
                quoted = quoted.saturating_sub(1);
                out.push(c);
            }
            _ if quoted > 0 || c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out
}

/// Spreadsheet cell reference: `cell_ref(0, 0)` is "A1".
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_of_one_kind_are_summed_up_after_the_first() {
        let mut diags: Vec<Diagnostic> = (0..1000)
            .map(|i| {
                Diagnostic::error("a.xlsx", format!("chỉ tiêu «x{i}» ghi hai lần (dòng {i} và dòng {})", i + 1))
                    .at(&Origin::new("a.xlsx", "Chỉ tiêu", i, 1))
            })
            .collect();
        diags.push(Diagnostic::error("a.xlsx", "«hai» không phải là số"));
        diags.push(Diagnostic::error("b.xlsx", "chỉ tiêu «y» ghi hai lần (dòng 1 và dòng 2)"));
        let shown = capped(&diags, 3);
        let messages: Vec<&str> = shown.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(shown.len(), 3 + 1 + 1 + 1, "{messages:#?}");
        assert_eq!(messages[3], "… và 997 lỗi cùng loại");
        assert_eq!(
            (shown[3].file.as_str(), shown[3].sheet.as_deref(), shown[3].cell.as_deref()),
            ("a.xlsx", Some("Chỉ tiêu"), None)
        );
        let many: Vec<Diagnostic> = (0..100_000).map(|i| Diagnostic::error("c.xlsx", format!("dòng {i}"))).collect();
        assert_eq!(capped(&many, 13).last().unwrap().message, "… và 99.987 lỗi cùng loại");
        assert_eq!(capped(&diags[..3], 3), diags[..3].to_vec(), "nothing to sum up");
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 5), "F12");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 701), "ZZ10");
        assert_eq!(cell_ref(0, 702), "AAA1");
    }
}
