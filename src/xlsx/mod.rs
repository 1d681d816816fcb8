//! Spreadsheets the tool writes besides the document (rust_xlsxwriter).

mod appendix;
mod findings;
mod provenance;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

pub use appendix::appendix_workbook;
pub use findings::findings_workbook;
pub use provenance::provenance_workbook;

/// Fixed document properties, so the same inputs give the same bytes.
pub fn stamp(wb: &mut Workbook, date: NaiveDate, title: &str) -> Result<(), XlsxError> {
    let when = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    let props = DocProperties::new().set_title(title).set_author("baocao").set_creation_datetime(&when);
    wb.set_properties(&props);
    Ok(())
}
