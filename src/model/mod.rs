//! The data the pipeline carries: what units submitted (with the cell each
//! value came from), what is wrong with it, and the summed figures.

pub mod aggregate;
pub mod appendix;
pub mod validate;

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::diag::{capped, Diagnostic, Severity, SHOWN_PER_KIND};
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
    pub number_symbol: String,
    pub date: Option<NaiveDate>,
    pub agency: String,
    pub kind: String,
    pub subject: String,
    pub group: String,
    pub origin: Origin,
}

/// One row of the "Danh mục" sheet: a named item (a value chain, a model,
/// a project) listed in the text or a footnote.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub group: String,
    pub content: String,
    /// Unit code of the place it concerns, when given.
    pub area: Option<String>,
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
