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
pub use provenance::{cell_list, cells_csv, provenance_workbook, CellList, CELLS_IN_WORKBOOK};

/// Excel's limit on the text of one cell, in UTF-16 units.
pub const MAX_CELL_TEXT: usize = 32_767;

/// `s` as one cell can hold it: a longer text is cut, the cut marked "…".
pub(crate) fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CELL_TEXT {
        return s.into();
    }
    let mut units = 0;
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        // room for the "…"
        if units + c.len_utf16() > MAX_CELL_TEXT - 1 {
            end = i;
            break;
        }
        units += c.len_utf16();
    }
    if end == s.len() {
        return s.into();
    }
    format!("{}…", &s[..end]).into()
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn a_cell_text_fits_in_a_cell() {
        let long = "ạ".repeat(40_000);
        let cut = super::cell_text(&long);
        assert_eq!(cut.encode_utf16().count(), super::MAX_CELL_TEXT);
        assert!(cut.ends_with('…'));
        assert_eq!(super::cell_text("ngắn"), "ngắn");
        // a character outside the BMP counts twice
        let astral = "𝔸".repeat(20_000);
        assert!(super::cell_text(&astral).encode_utf16().count() <= super::MAX_CELL_TEXT);
    }
}
