//! Spreadsheets the tool writes besides the document (rust_xlsxwriter).

mod appendix;
mod findings;
mod provenance;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

pub use appendix::appendix_workbook;
pub use findings::findings_workbook;
pub use provenance::{provenance_workbook, provenance_workbook_with};

/// Fixed document properties, so the same inputs give the same bytes.
pub fn stamp(wb: &mut Workbook, date: NaiveDate, title: &str) -> Result<(), XlsxError> {
    let when = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    let props = DocProperties::new().set_title(title).set_author("baocao").set_creation_datetime(&when);
    wb.set_properties(&props);
    Ok(())
}

/// A header row at `row`: each (text, column width) in turn from column A.
pub(crate) fn header_row<S: AsRef<str>>(
    ws: &mut Worksheet,
    row: u32,
    headers: impl IntoIterator<Item = (S, f64)>,
    format: &Format,
) -> Result<(), XlsxError> {
    for (c, (text, width)) in headers.into_iter().enumerate() {
        ws.write_string_with_format(row, c as u16, text.as_ref(), format)?;
        ws.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// The look shared by the listing sheets (findings, provenance).
pub(crate) struct ListFormats {
    pub head: Format,
    pub cell: Format,
}

pub(crate) fn list_formats() -> ListFormats {
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    ListFormats {
        head: base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color("DDEBF7")
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        cell: base.set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top),
    }
}
