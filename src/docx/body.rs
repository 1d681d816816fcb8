//! Headings and paragraphs of the document tree as Word paragraphs.

use docx_rs::*;

use super::styles::{self, BODY, FOOTNOTE_REF};
use crate::blocks::{Block, Heading, Inline, Level};

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

/// Runs of inlines; footnote references carry their final number as id.
pub fn runs(inlines: &[Inline]) -> Vec<Run> {
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
                // docx-rs collects the note from the reference; its content is
                // replaced when the package is written (see footnotes.rs)
                let note = Footnote { id: *n, content: vec![Paragraph::new()] };
                Run::new().add_footnote_reference(note).style(FOOTNOTE_REF)
            }
            Inline::LineBreak => Run::new().add_break(BreakType::TextWrapping),
            Inline::Missing(text) => Run::new().add_text(format!("[{text}]")).bold().highlight("yellow"),
        })
        .collect()
}

fn with_runs(mut p: Paragraph, runs: Vec<Run>) -> Paragraph {
    for r in runs {
        p = p.add_run(r);
    }
    p
}

fn heading(h: &Heading) -> Paragraph {
    let p = Paragraph::new().style(styles::heading(h.level));
    match h.level {
        // "Phần thứ nhất" on its own line, the title in capitals below it
        Level::Phan => {
            let p = p
                .add_run(Run::new().add_text(h.number.as_str()))
                .add_run(Run::new().add_break(BreakType::TextWrapping));
            with_runs(p, runs(&h.title))
        }
        _ => {
            let p = p.add_run(Run::new().add_text(format!("{} ", h.number)));
            with_runs(p, runs(&h.title))
        }
    }
}

/// A run-in heading at the start of a body paragraph, formatted as its level.
fn lead_runs(h: &Heading) -> Vec<Run> {
    let mut inl = vec![Inline::plain(format!("{} ", h.number))];
    inl.extend(h.title.iter().cloned());
    inl.push(Inline::plain(": "));
    let (bold, italic) = match h.level {
        Level::Phan | Level::Muc | Level::Khoan => (true, false),
        Level::TieuKhoan => (true, true),
        Level::Diem => (false, false),
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
    runs(&styled)
}

pub fn blocks(blocks: &[Block]) -> Vec<Paragraph> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading(h) => heading(h),
            Block::Paragraph { lead, inlines } => {
                let mut rs = lead.as_ref().map(lead_runs).unwrap_or_default();
                rs.extend(runs(inlines));
                with_runs(Paragraph::new().style(BODY), rs)
            }
        })
        .collect()
}
