//! Where every printed figure comes from: for each number in the document,
//! its place (section path and sentence, or footnote), the printed text, the
//! exact value, and every cell that went into it.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::doc::{plain_text, Block, Document, Heading, Inline, Level};
use crate::model::{Column, Figures, Origin};

/// One figure printed in the text (or found missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    /// The text printed ("103,9%"), or the missing-figure note.
    pub printed: String,
    /// The exact value behind it, when it is one number.
    pub value: Option<Decimal>,
    /// The catalog figures it was computed from.
    pub figures: Vec<(String, Column)>,
    /// How it was computed, in Vietnamese ("tỷ lệ", "so sánh"…).
    pub how: String,
    /// The figure could not be printed.
    pub missing: bool,
    /// Rows of the units' list sheets it counts: (unit, cell).
    pub rows: Vec<(String, Origin)>,
}

/// One printed figure, where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    /// "Phần thứ nhất › II. › 2. › 2.1. › a)", plus "› chú thích 8" in a footnote.
    pub place: String,
    /// The sentence (or clause) around it.
    pub sentence: String,
    pub text: String,
    pub value: Option<Decimal>,
    pub how: String,
    /// (indicator, column) it was computed from.
    pub figures: Vec<(String, Column)>,
    /// List rows it counts.
    pub rows: Vec<(String, Origin)>,
}

/// One cell behind a printed figure, borrowed from the figures: a build of
/// thousands of submissions has millions of them, listed as they are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source<'a> {
    /// Empty for a row of a list sheet (counted, value 1).
    pub indicator: &'a str,
    pub column: Option<Column>,
    pub unit: &'a str,
    pub origin: &'a Origin,
    pub value: Decimal,
}

/// Printed figures in reading order (a footnote's right after its mark,
/// the appendices' after the text).
pub fn trace(doc: &Document, uses: &[Use]) -> Vec<Printed> {
    let mut printed = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for block in &doc.body {
        match block {
            Block::Heading(h) => {
                enter(&mut path, h);
                collect(&h.title, &path.join(" › "), doc, uses, &mut printed);
            }
            Block::Paragraph { lead, inlines } => {
                let mut here = path.clone();
                if let Some(h) = lead {
                    enter(&mut here, h);
                }
                collect(inlines, &here.join(" › "), doc, uses, &mut printed);
            }
        }
    }
    for appendix in &doc.appendices {
        let header: Vec<String> = appendix
            .table
            .header
            .first()
            .map(|r| r.iter().map(|c| plain_text(&c.content)).collect())
            .unwrap_or_default();
        for row in &appendix.table.rows {
            // "Phụ lục 01/SXNLN › 3. Diện tích lúa Xuân", the column's header as the sentence
            let name: Vec<String> = row.iter().take(2).map(|c| plain_text(&c.content)).collect();
            let place = format!("{} › {}", appendix.label, name.join(". "));
            let mut column = 0;
            for cell in row {
                let heading = header.get(column).cloned().unwrap_or_default();
                let sentence = format!("{} — {heading}", name.last().cloned().unwrap_or_default());
                for inline in &cell.content {
                    if let Inline::Figure { id, text, .. } = inline {
                        if let Some(u) = uses.get(*id) {
                            printed.push(printed_of(&place, sentence.clone(), text, u));
                        }
                    }
                }
                column += cell.span;
            }
        }
    }
    printed
}

fn printed_of(place: &str, sentence: String, text: &str, u: &Use) -> Printed {
    Printed {
        place: place.to_string(),
        sentence,
        text: text.to_string(),
        value: u.value,
        how: u.how.clone(),
        figures: u.figures.clone(),
        rows: u.rows.clone(),
    }
}

/// The cells behind `p`: the list rows it counts, then the contributions of
/// each figure it was computed from (a derived figure's under their parts).
pub fn sources<'a>(p: &'a Printed, figures: &'a Figures) -> impl Iterator<Item = Source<'a>> + 'a {
    cells(&p.figures, &p.rows, figures)
}

/// The cells behind a figure computed from the catalog figures `refs` and
/// counting the list rows `rows`.
pub fn cells<'a>(
    refs: &'a [(String, Column)],
    rows: &'a [(String, Origin)],
    figures: &'a Figures,
) -> impl Iterator<Item = Source<'a>> + 'a {
    let rows =
        rows.iter().map(|(unit, origin)| Source { indicator: "", column: None, unit, origin, value: Decimal::ONE });
    let cells = refs.iter().filter_map(|(code, col)| figures.get(code, *col).map(|f| (code, *col, f))).flat_map(
        |(code, col, f)| {
            f.contributions.iter().map(move |c| Source {
                indicator: c.part.as_deref().unwrap_or(code),
                column: Some(col),
                unit: &c.unit,
                origin: &c.origin,
                value: c.value,
            })
        },
    );
    rows.chain(cells)
}

/// The heading path after entering `h`: deeper levels are dropped.
fn enter(path: &mut Vec<String>, h: &Heading) {
    let depth = match h.level {
        Level::Phan => 0,
        Level::Muc => 1,
        Level::Khoan => 2,
        Level::TieuKhoan => 3,
        Level::Diem => 4,
    };
    path.truncate(depth.min(path.len()));
    path.push(h.number.clone());
}

/// Text of an inline as a reader sees the sentence (footnote marks left out).
fn shown(i: &Inline) -> String {
    match i {
        Inline::FootnoteRef(_) => String::new(),
        other => plain_text(std::slice::from_ref(other)),
    }
}

fn collect(inlines: &[Inline], place: &str, doc: &Document, uses: &[Use], out: &mut Vec<Printed>) {
    let text: String = inlines.iter().map(shown).collect();
    let mut offset = 0;
    for inline in inlines {
        let len = shown(inline).len();
        match inline {
            Inline::Figure { id, text: shown, .. } => {
                if let Some(u) = uses.get(*id) {
                    out.push(printed_of(place, sentence_at(&text, offset, len), shown, u));
                }
            }
            Inline::FootnoteRef(n) => {
                if let Some(note) = doc.notes.get(n - 1) {
                    let here = format!("{place} › chú thích {n}");
                    for para in note {
                        collect(para, &here, doc, uses, out);
                    }
                }
            }
            _ => {}
        }
        offset += len;
    }
}

/// The clause of `text` containing bytes `at..at + len`: between the
/// nearest ". ", "; " or start/end.
fn sentence_at(text: &str, at: usize, len: usize) -> String {
    let before = &text[..at.min(text.len())];
    let start = [". ", "; "].iter().filter_map(|d| before.rfind(d).map(|i| i + d.len())).max().unwrap_or(0);
    let after_at = (at + len).min(text.len());
    let end = [". ", "; "]
        .iter()
        .filter_map(|d| text[after_at..].find(d).map(|i| after_at + i + 1))
        .min()
        .unwrap_or(text.len());
    text[start..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_at_stops_and_semicolons() {
        let t = "Một câu. Lúa Xuân đạt 15.585 ha; Ngô đạt 13.763 ha. Hết";
        let at = t.find("15.585").unwrap();
        assert_eq!(sentence_at(t, at, "15.585".len()), "Lúa Xuân đạt 15.585 ha;");
        let at = t.find("13.763").unwrap();
        assert_eq!(sentence_at(t, at, 6), "Ngô đạt 13.763 ha.");
    }
}

/// A printed figure whose text changed between two builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: String,
    pub sentence: String,
    pub old: String,
    pub new: String,
    /// Units whose numbers behind it changed, with their files: (unit, file).
    pub causes: Vec<(String, String)>,
}

/// What changed in the printed figures from `old` to `new` (both from
/// [`trace`]). Figures are matched by place, order within the place and
/// the catalog figures they come from, so a changed template shows up as
/// figures that came or went rather than as false changes.
pub fn changes(old: (&[Printed], &Figures), new: (&[Printed], &Figures)) -> Vec<Change> {
    type Key<'a> = (&'a str, usize, &'a [(String, Column)]);
    /// Keys in reading order.
    fn keyed(printed: &[Printed]) -> Vec<(Key<'_>, usize)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        printed
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n = seen.entry(&p.place).or_default();
                *n += 1;
                ((p.place.as_str(), *n, p.figures.as_slice()), i)
            })
            .collect()
    }
    // (unit, what, value, file): "what" tells apart a unit's plan from its result
    type Contribution = (String, String, Decimal, String);
    let set = |p: &Printed, figures: &Figures| -> Vec<Contribution> {
        let mut v: Vec<Contribution> = sources(p, figures)
            .map(|s| {
                let what = format!("{}/{}/{}", s.indicator, s.column.map(|c| c.code()).unwrap_or(""), s.origin.cell());
                (s.unit.to_string(), what, s.value, s.origin.file().to_string())
            })
            .collect();
        v.sort();
        v
    };
    let old_keys: HashMap<Key, usize> = keyed(old.0).into_iter().collect();
    let mut out = Vec::new();
    for (key, j) in keyed(new.0) {
        let Some(&i) = old_keys.get(&key) else { continue };
        let (before, after) = (&old.0[i], &new.0[j]);
        if before.text == after.text {
            continue;
        }
        let (a, b) = (set(before, old.1), set(after, new.1));
        let unchanged = |c: &Contribution, other: &[Contribution]| other.binary_search(c).is_ok();
        let mut causes: Vec<(String, String)> = Vec::new();
        let mut named: HashSet<String> = HashSet::new();
        // a unit's new file first, then what disappeared
        for c in b.iter().filter(|c| !unchanged(c, &a)).chain(a.iter().filter(|c| !unchanged(c, &b))) {
            if named.insert(c.0.clone()) {
                causes.push((c.0.clone(), c.3.clone()));
            }
        }
        out.push(Change {
            place: after.place.clone(),
            sentence: after.sentence.clone(),
            old: before.text.clone(),
            new: after.text.clone(),
            causes,
        });
    }
    out
}
