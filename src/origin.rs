//! Where a value was read: the value columns of the standard form, and the
//! file, sheet and cell of every value. A leaf of the crate: the reader
//! (`ingest`) makes origins, the model (`model`) keeps them, the provenance
//! and the diagnostics print them.

use std::fmt::{self, Write as _};
use std::sync::Arc;

/// The value columns of the standard form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// TH năm trước — achieved in the whole previous year.
    PrevYear,
    /// KH năm — this year's plan.
    Plan,
    /// TH cùng kỳ năm trước — same period last year.
    SamePeriodLastYear,
    /// TH kỳ báo cáo — achieved in the reporting period.
    Actual,
    /// Ước cả năm — estimate for the whole year.
    Estimate,
    /// KH năm sau — next year's plan.
    NextPlan,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::PrevYear,
        Column::Plan,
        Column::SamePeriodLastYear,
        Column::Actual,
        Column::Estimate,
        Column::NextPlan,
    ];

    /// Code used in templates: `f.lua_xuan.th`.
    pub fn code(self) -> &'static str {
        match self {
            Column::PrevYear => "th_truoc",
            Column::Plan => "kh",
            Column::SamePeriodLastYear => "ck",
            Column::Actual => "th",
            Column::Estimate => "uoc",
            Column::NextPlan => "kh_sau",
        }
    }

    pub fn from_code(code: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Header printed in the form.
    pub fn label(self) -> &'static str {
        match self {
            Column::PrevYear => "TH năm trước",
            Column::Plan => "KH năm",
            Column::SamePeriodLastYear => "TH cùng kỳ năm trước",
            Column::Actual => "TH kỳ báo cáo",
            Column::Estimate => "Ước cả năm",
            Column::NextPlan => "KH năm sau",
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

/// Spreadsheet cell reference: `cell_ref(0, 0)` is "A1".
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut out = String::with_capacity(12);
    push_cell_ref(&mut out, row, col);
    out
}

/// [`cell_ref`] appended to `out`: no allocation of its own, for the
/// millions of references a large provenance list writes.
pub fn push_cell_ref(out: &mut String, row: u32, col: u32) {
    // a u32 column has at most 7 letters (26^7 > 2^32)
    let mut letters = [0u8; 7];
    let mut at = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    out.extend(letters[at..].iter().map(|&b| char::from(b)));
    let _ = write!(out, "{}", u64::from(row) + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 5), "F12");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 701), "ZZ10");
        assert_eq!(cell_ref(0, 702), "AAA1");
        // the far ends of the types: no overflow, no missing letter
        assert_eq!(cell_ref(u32::MAX, u32::MAX), "MWLQKWV4294967296");
        let mut out = String::from("ô ");
        push_cell_ref(&mut out, 1_048_575, 16_383);
        assert_eq!(out, "ô XFD1048576");
    }
}
