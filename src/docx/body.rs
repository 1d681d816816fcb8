//! Inlines as Word runs — one mapping for the body, the tables and the
//! footnotes — and the body's headings and paragraphs.

use docx_rs::*;

use super::styles::{self, BODY, FOOTNOTE_REF, FOOTNOTE_TEXT};
use crate::doc::{Block, Footnote, Heading, Inline, Level};

/// A figure stays on one line with the word after it ("15.585 ha",
/// "07 sản phẩm"): the space that follows a printed figure becomes a
/// no-break space.
pub fn bind_figures(inlines: &[Inline]) -> Vec<Inline> {
    let mut out: Vec<Inline> = inlines.to_vec();
    for i in 1..out.len() {
        if !matches!(out[i - 1], Inline::Figure { .. }) {
            continue;
        }
        if let Inline::Text { text, .. } = &mut out[i] {
            if text.starts_with(' ') && text.chars().nth(1).is_some_and(char::is_alphabetic) {
                text.replace_range(0..1, "\u{a0}");
            }
        }
    }
    out
}

/// The runs of `inlines`. A footnote reference carries its note (`notes`
/// holds the document's notes; the note's number is its id): docx-rs writes
/// the footnotes part from them, so each note is written once.
pub fn runs(inlines: &[Inline], notes: &[Footnote]) -> Vec<Run> {
    bind_figures(inlines)
        .iter()
        .map(|i| match i {
            Inline::Text { text, bold, italic } | Inline::Figure { text, bold, italic, .. } => {
                let mut r = Run::new().add_text(text.as_str());
                if *bold {
                    r = r.bold();
                }
                if *italic {
                    r = r.italic();
                }
                r
            }
            Inline::FootnoteRef(n) => {
                let content = notes.get(n - 1).map(note_paragraphs).unwrap_or_default();
                Run::new().add_footnote_reference(docx_rs::Footnote { id: *n, content }).style(FOOTNOTE_REF)
            }
            Inline::LineBreak => Run::new().add_break(BreakType::TextWrapping),
            Inline::Missing(text) => Run::new().add_text(format!("[{text}]")).bold().highlight("yellow"),
        })
        .collect()
}

/// The paragraphs of a footnote (its number mark is added when the package
/// is repaired: docx-rs cannot write `w:footnoteRef`).
fn note_paragraphs(note: &Footnote) -> Vec<Paragraph> {
    note.iter().map(|p| with_runs(Paragraph::new().style(FOOTNOTE_TEXT), runs(p, &[]))).collect()
}

pub fn with_runs(mut p: Paragraph, runs: Vec<Run>) -> Paragraph {
    for r in runs {
        p = p.add_run(r);
    }
    p
}

fn heading(h: &Heading, notes: &[Footnote]) -> Paragraph {
    let p = Paragraph::new().style(styles::heading(h.level));
    match h.level {
        // "Phần thứ nhất" on its own line, the title in capitals below it
        Level::Part => {
            let p = p
                .add_run(Run::new().add_text(h.number.as_str()))
                .add_run(Run::new().add_break(BreakType::TextWrapping));
            with_runs(p, runs(&h.title, notes))
        }
        _ => {
            let p = p.add_run(Run::new().add_text(format!("{} ", h.number)));
            with_runs(p, runs(&h.title, notes))
        }
    }
}

/// A run-in heading at the start of a body paragraph, formatted as its level.
fn lead_runs(h: &Heading, notes: &[Footnote]) -> Vec<Run> {
    let mut inl = vec![Inline::plain(format!("{} ", h.number))];
    inl.extend(h.title.iter().cloned());
    inl.push(Inline::plain(": "));
    let (bold, italic) = match h.level {
        Level::Part | Level::Section | Level::Clause => (true, false),
        Level::SubClause => (true, true),
        Level::Point => (false, false),
    };
    let styled: Vec<Inline> = inl
        .into_iter()
        .map(|i| match i {
            Inline::Text { text, bold: b, italic: it } | Inline::Figure { text, bold: b, italic: it, .. } => {
                Inline::Text { text, bold: b || bold, italic: it || italic }
            }
            other => other,
        })
        .collect();
    runs(&styled, notes)
}

pub fn blocks(blocks: &[Block], notes: &[Footnote]) -> Vec<Paragraph> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading(h) => heading(h, notes),
            Block::Paragraph { lead, inlines } => {
                let mut rs = lead.as_ref().map(|h| lead_runs(h, notes)).unwrap_or_default();
                rs.extend(runs(inlines, notes));
                with_runs(Paragraph::new().style(BODY), rs)
            }
        })
        .collect()
}
