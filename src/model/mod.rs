//! The data the pipeline carries: what units submitted (with the cell each
//! value came from), what is wrong with it, and the summed figures.

pub mod aggregate;
pub mod appendix;
pub mod validate;

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::origin::{cell_ref, Column, Origin, Sheet};
pub use aggregate::{aggregate, Contribution, Figure, Figures};
pub use validate::{check_one, combine, required, validate, Checked1};

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
