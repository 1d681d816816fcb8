//! The document tree between the text and Word: headings with their computed
//! numbers, paragraphs of styled inlines, and footnotes numbered in reading
//! order. Templates never see Word; the docx writer never sees templates.

/// Heading levels of a plan (Decree 30, Phụ lục I, Mục V).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// "Phần thứ nhất" + title in capitals.
    Phan,
    /// "I." + title in capitals.
    Muc,
    /// "1." + title, bold.
    Khoan,
    /// "1.1." + title, bold italic.
    TieuKhoan,
    /// "a)" + title.
    Diem,
}

impl Level {
    pub fn from_depth(depth: u8) -> Option<Level> {
        match depth {
            1 => Some(Level::Phan),
            2 => Some(Level::Muc),
            3 => Some(Level::Khoan),
            4 => Some(Level::TieuKhoan),
            5 => Some(Level::Diem),
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
    /// Reference to `Document::footnotes[n - 1]`.
    FootnoteRef(usize),
    LineBreak,
    /// A figure that could not be computed, shown highlighted in a draft.
    Missing(String),
    /// A printed figure: `id` indexes the render's record of figures
    /// (provenance); printed like text.
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Numbered 1, 2, 3… in the order they are referenced.
    pub footnotes: Vec<Footnote>,
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
