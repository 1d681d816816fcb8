//! Where every printed figure comes from: for each number in the document,
//! its place (section path and sentence, or footnote), the printed text, the
//! exact value, and every cell that went into it.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

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

/// The cells behind a printed figure in a few words, for the one row the
/// figure has in the provenance workbook: how many cells, and where — each
/// file's cells as ranges ("E12:E15, G12"); when more than a few files
/// give them, the files that give the same cells of the same sheet are
/// counted together ("trang «Biểu 01» ô E12 ở 9.900 tệp (a.xlsx … z.xlsx)").
/// The cells themselves are listed in full beside it.
pub fn summary<'a>(sources: impl Iterator<Item = Source<'a>>) -> String {
    const SHOWN: usize = 3;
    // the (file, sheet) pairs in the order first met, and every cell as
    // (its pair's place in that order, column, row): sorted, each pair's
    // cells follow each other, with no list per pair
    let mut keys: Vec<(&str, &str)> = Vec::new();
    let mut at: FxHashMap<(&str, &str), u32> = FxHashMap::default();
    let mut cells: Vec<(u32, u32, u32)> = Vec::new();
    let mut last: Option<((&str, &str), u32)> = None;
    for s in sources {
        let key = (s.origin.file(), s.origin.sheet());
        let group = match last {
            // a unit's cells come together: the same sheet as the last cell
            Some((k, g)) if std::ptr::eq(k.0, key.0) && std::ptr::eq(k.1, key.1) => g,
            _ => {
                let g = *at.entry(key).or_insert_with(|| {
                    keys.push(key);
                    (keys.len() - 1) as u32
                });
                last = Some((key, g));
                g
            }
        };
        cells.push((group, s.origin.col, s.origin.row));
    }
    let count = cells.len();
    if count == 0 {
        return String::new();
    }
    let cells_text = |n: usize| format!("{} ô", crate::vi::format_number(Decimal::from(n), 0, true));
    cells.sort_unstable();
    cells.dedup();
    // each pair's cells in order, once: equal cells make equal ranges, so
    // pairs are compared by their cells and only the ranges shown are written
    let flat: Vec<(u32, u32)> = cells.iter().map(|&(_, col, row)| (col, row)).collect();
    type Cells<'c> = &'c [(u32, u32)];
    let mut spans: Vec<((&str, &str), Cells)> = Vec::with_capacity(keys.len());
    let mut i = 0;
    while i < cells.len() {
        let group = cells[i].0;
        let end = i + cells[i..].partition_point(|c| c.0 == group);
        spans.push((keys[group as usize], &flat[i..end]));
        i = end;
    }
    let files: FxHashSet<&str> = spans.iter().map(|((f, _), _)| *f).collect();
    let head = if files.len() > 1 {
        format!("{} ở {} tệp", cells_text(count), crate::vi::format_number(Decimal::from(files.len()), 0, true))
    } else {
        cells_text(count)
    };
    let mut parts: Vec<String> = Vec::new();
    let more;
    if spans.len() <= SHOWN {
        more = 0;
        for ((file, sheet), c) in &spans {
            parts.push(format!("{file}, trang «{sheet}», ô {}", ranges(c)));
        }
    } else {
        // the same cells of the same sheet, counted over the files
        let mut same: Vec<((&str, Cells), Vec<&str>)> = Vec::new();
        let mut at: FxHashMap<(&str, Cells), usize> = FxHashMap::default();
        for ((file, sheet), c) in &spans {
            let i = *at.entry((sheet, c)).or_insert_with(|| {
                same.push(((sheet, c), Vec::new()));
                same.len() - 1
            });
            same[i].1.push(file);
        }
        more = same.len().saturating_sub(SHOWN);
        for ((sheet, c), files) in same.iter().take(SHOWN) {
            let r = ranges(c);
            parts.push(match files.as_slice() {
                [one] => format!("{one}, trang «{sheet}», ô {r}"),
                [first, .., last] => format!(
                    "trang «{sheet}», ô {r} ở {} tệp ({first} … {last})",
                    crate::vi::format_number(Decimal::from(files.len()), 0, true)
                ),
                [] => continue,
            });
        }
    }
    let mut text = format!("{head}: {}", parts.join("; "));
    if more > 0 {
        text.push_str(&format!("; và {} nhóm ô khác", crate::vi::format_number(Decimal::from(more), 0, true)));
    }
    text
}

/// (column, row) cells, sorted and each once, as A1 ranges: the cells of a
/// column that follow each other are one range ("E12:E15"), columns left to
/// right.
fn ranges(cells: &[(u32, u32)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let (col, first) = cells[i];
        let mut last = first;
        while i + 1 < cells.len() && cells[i + 1] == (col, last + 1) {
            last += 1;
            i += 1;
        }
        let a = crate::origin::cell_ref(first, col);
        out.push(if last == first { a } else { format!("{a}:{}", crate::origin::cell_ref(last, col)) });
        i += 1;
    }
    out.join(", ")
}

/// The heading path after entering `h`: deeper levels are dropped.
fn enter(path: &mut Vec<String>, h: &Heading) {
    let depth = match h.level {
        Level::Part => 0,
        Level::Section => 1,
        Level::Clause => 2,
        Level::SubClause => 3,
        Level::Point => 4,
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

    fn source<'a>(origin: &'a Origin) -> Source<'a> {
        Source { indicator: "lua", column: Some(Column::Actual), unit: "u", origin, value: Decimal::ONE }
    }

    #[test]
    fn one_file_cells_become_ranges() {
        let o: Vec<Origin> = [(11, 4), (12, 4), (13, 4), (11, 6), (20, 4)]
            .iter()
            .map(|&(r, c)| Origin::new("TTBVTV.xlsx", "Biểu 01", r, c))
            .collect();
        assert_eq!(summary(o.iter().map(source)), "5 ô: TTBVTV.xlsx, trang «Biểu 01», ô E12:E14, E21, G12");
        assert_eq!(summary(o[..1].iter().map(source)), "1 ô: TTBVTV.xlsx, trang «Biểu 01», ô E12");
        assert_eq!(summary(std::iter::empty()), "");
    }

    #[test]
    fn many_files_are_counted_by_the_cells_they_give() {
        let mut o: Vec<Origin> = (0..9900).map(|i| Origin::new(&format!("xa-{i:04}.xlsx"), "Biểu 01", 11, 4)).collect();
        o.push(Origin::new("TTBVTV.xlsx", "Biểu 02", 7, 5));
        let text = summary(o.iter().map(source));
        assert_eq!(
            text,
            "9.901 ô ở 9.901 tệp: trang «Biểu 01», ô E12 ở 9.900 tệp (xa-0000.xlsx … xa-9899.xlsx); \
             TTBVTV.xlsx, trang «Biểu 02», ô F8"
        );
        // more kinds of cells than are shown: the rest counted
        let o: Vec<Origin> = (0..10).map(|i| Origin::new(&format!("f{i}.xlsx"), "B", i, 0)).collect();
        let text = summary(o.iter().map(source));
        assert!(text.starts_with("10 ô ở 10 tệp: f0.xlsx, trang «B», ô A1; f1.xlsx"), "{text}");
        assert!(text.ends_with("; và 7 nhóm ô khác"), "{text}");
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
