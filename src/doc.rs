//! The document tree: everything a reader of the document sees, as plain
//! data, and nothing else — pandoc's `Pandoc Meta [Block]`. `render` builds
//! it from the report definition and the figures; the writers (`docx`,
//! `html`) know only this module.
//!
//! Text here is final: numbers are formatted, headings numbered and put in
//! capitals where Decree 30 wants them, dates written out. A writer decides
//! layout (fonts, widths, line breaks), never wording.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One document: its Decree 30 parts, the body, the footnotes, the
/// appendices, and the record of every figure printed in them.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub body: Vec<Block>,
    /// Numbered 1, 2, 3… in the order they are referenced.
    pub notes: Vec<Footnote>,
    pub appendices: Vec<Appendix>,
    /// `Inline::Figure { id }` indexes this.
    pub figures: Vec<FigureNote>,
}

/// Every part of Decree 30 (Phụ lục I) around the body, as data.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// Cơ quan chủ quản, in capitals: "UBND TỈNH LẠNG SƠN" (ô 1).
    pub parent_agency: String,
    /// Cơ quan ban hành, one entry per printed line (ô 1).
    pub agency: Vec<String>,
    /// Full name of the agency, as the appendix line cites it.
    pub agency_full_name: String,
    /// "Số: 05/KH-SNN", "Số:       /SNN-KHTC" (ô 2).
    pub number: String,
    /// "Lạng Sơn, ngày 05 tháng 01 năm 2024" (ô 3).
    pub place_date: String,
    /// Tên loại and trích yếu of a typed document (ô 5a); `None` for a
    /// Công văn, which has neither.
    pub title: Option<Title>,
    /// A Công văn's trích yếu, "V/v …", printed under the number (ô 5b).
    pub subject: Option<String>,
    /// "Kính gửi" recipients (ô 9a), in order; empty when there are none.
    pub recipients: Vec<String>,
    /// A draft: the number and date are left blank and a boxed "DỰ THẢO"
    /// stands under the number.
    pub draft: bool,
    /// "Nơi nhận" lines as printed, the last one "- Lưu: VT, …." (ô 9b).
    pub distribution: Vec<String>,
    pub signature: Signature,
    /// The date the package carries (never the wall clock).
    pub stamp: NaiveDate,
    /// Language of the text, e.g. "vi-VN".
    pub lang: String,
}

/// "KẾ HOẠCH" + "Phát triển ngành nông nghiệp, nông thôn năm 2024".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// Tên loại, in capitals.
    pub kind: String,
    /// Trích yếu, sentence case.
    pub summary: String,
}

/// The signature block (ô 7a–7c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Authority and position lines, in capitals: "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC".
    pub lines: Vec<String>,
    /// The signer's full name.
    pub name: String,
}

/// Heading levels of a plan (Decree 30, Phụ lục I, Mục V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// "Phần thứ nhất" + title in capitals.
    Part,
    /// "I." + title in capitals.
    Section,
    /// "1." + title, bold.
    Clause,
    /// "1.1." + title, bold italic.
    SubClause,
    /// "a)" + title.
    Point,
}

impl Level {
    pub fn from_depth(depth: u8) -> Option<Level> {
        match depth {
            1 => Some(Level::Part),
            2 => Some(Level::Section),
            3 => Some(Level::Clause),
            4 => Some(Level::SubClause),
            5 => Some(Level::Point),
            _ => None,
        }
    }

    /// 0-based outline level in Word.
    pub fn outline(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// Reference to `Document::notes[n - 1]`.
    FootnoteRef(usize),
    LineBreak,
    /// A figure that could not be computed, shown highlighted in a draft.
    Missing(String),
    /// A printed figure: `id` indexes `Document::figures`; printed like text.
    Figure {
        id: usize,
        text: String,
        bold: bool,
        italic: bool,
    },
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline::Text { text: text.into(), bold: false, italic: false }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: Level,
    /// "Phần thứ nhất", "I.", "2.1.", "a)".
    pub number: String,
    pub title: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Heading),
    /// A body paragraph; `lead` is a run-in heading printed at its start
    /// ("2.4. Chương trình …: text").
    Paragraph {
        lead: Option<Heading>,
        inlines: Vec<Inline>,
    },
}

/// A footnote: one or more paragraphs.
pub type Footnote = Vec<Vec<Inline>>;

/// A phụ lục: its own section (Decree 30, Phụ lục I, III.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appendix {
    /// "Phụ lục 01/SXNLN".
    pub label: String,
    /// The title, in capitals.
    pub title: String,
    /// "(Kèm theo Kế hoạch số … của …)".
    pub attached: String,
    /// The table is wide: the section is landscape.
    pub landscape: bool,
    pub table: Table,
}

/// A table of the document: header rows (repeated on every page) and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Relative widths of the columns (their sum is the table's width).
    pub widths: Vec<u32>,
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub content: Vec<Inline>,
    /// Columns it spans (1 for a plain cell).
    pub span: usize,
    pub kind: CellKind,
}

impl Cell {
    pub fn new(kind: CellKind, content: Vec<Inline>) -> Cell {
        Cell { content, span: 1, kind }
    }

    pub fn text(kind: CellKind, text: impl Into<String>) -> Cell {
        Cell::new(kind, vec![Inline::plain(text)])
    }
}

/// What a cell holds, which decides how it is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A column heading (bold, centred); also the number of a group row.
    Heading,
    /// The name of a group of rows (bold).
    Group,
    /// Text, left-aligned.
    Text,
    /// Short text, centred (a row number, a unit of measure).
    Centred,
    /// A number, right-aligned.
    Number,
}

/// A printed figure and where it came from, for writers that show it (the
/// HTML preview). The full list of cells is in the provenance workbook; a
/// few are kept here so a large roll-up stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureNote {
    /// The text printed ("103,9%").
    pub printed: String,
    /// The exact value behind it, when it is one number.
    pub value: Option<Decimal>,
    /// How it was computed, in Vietnamese ("tỷ lệ (%)", "số"…).
    pub how: String,
    /// What it was computed from: "Diện tích lúa Xuân — TH kỳ báo cáo".
    pub from: Vec<String>,
    /// The first cells behind it.
    pub sources: Vec<SourceCell>,
    /// Cells behind it in all (`sources` may hold fewer).
    pub source_count: usize,
}

/// One cell a figure was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceCell {
    /// The unit's name as the text names it.
    pub unit: String,
    pub file: String,
    pub sheet: String,
    /// "F12".
    pub cell: String,
    /// The value read, in Vietnamese style ("15.585", "4.790,3").
    pub value: String,
}

/// Plain text of inlines (footnote marks as their numbers).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::FootnoteRef(n) => out.push_str(&n.to_string()),
            Inline::LineBreak => out.push('\n'),
            Inline::Missing(s) => out.push_str(s),
            Inline::Figure { text, .. } => out.push_str(text),
        }
    }
    out
}
