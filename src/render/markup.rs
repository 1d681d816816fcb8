//! The markup the templates produce — Markdown as pulldown-cmark reads it —
//! into the document tree. Headings are numbered here, by level, so a plan
//! can never print "8." after "2.5.":
//!
//! | markup            | prints                                  |
//! |-------------------|-----------------------------------------|
//! | `# Tình hình …`   | "Phần thứ nhất" + "TÌNH HÌNH …"         |
//! | `## Kết quả …`    | "I. KẾT QUẢ …"                          |
//! | `### Thực hiện …` | "1. Thực hiện …"                        |
//! | `#### Sản xuất …` | "2.1. Sản xuất …"                       |
//! | `##### Lâm nghiệp`| "a) Lâm nghiệp"                         |
//! | `… {.lien}`       | heading run into the next paragraph: "2.4. Tiêu đề: đoạn văn" |
//! | `- …`             | body paragraph starting "- " ("+ " nested) |
//! | `[^ten]` + `[^ten]: …` | a Word footnote, numbered in reading order |
//! | `*…*`, `**…**`    | italic, bold                            |

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::filters::{FIGURE_END, FIGURE_START, FIGURE_TEXT, MISSING_END, MISSING_START};
use crate::doc::{Block, Footnote, Heading, Inline, Level};

#[derive(Debug, Clone)]
enum Raw {
    Text(String, bool, bool),
    Ref(String),
    Break,
}

#[derive(Debug)]
enum RawBlock {
    Heading { depth: u8, title: Vec<Raw>, run_in: bool, at: String },
    Para { prefix: Option<String>, inlines: Vec<Raw> },
}

#[derive(Default)]
struct Builder {
    blocks: Vec<RawBlock>,
    notes: HashMap<String, Vec<Vec<Raw>>>,
    note_order: Vec<String>,
    in_note: Option<String>,
    current: Option<Vec<Raw>>,
    heading: Option<(u8, bool)>,
    bold: u32,
    italic: u32,
    lists: Vec<Option<u64>>,
    item_prefix: Option<String>,
}

/// What the markup makes: the body and its footnotes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub body: Vec<Block>,
    /// Numbered 1, 2, 3… in the order they are referenced.
    pub notes: Vec<Footnote>,
}

/// Why the rendered markup is not a document: a mistake of the template
/// writer, said in Vietnamese with the place in the rendered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError(pub String);

impl std::fmt::Display for MarkupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MarkupError {}

/// Parses rendered markup into the body of the document tree.
pub fn parse(src: &str) -> Result<Parsed, MarkupError> {
    parse_markup(src).map_err(MarkupError)
}

fn parse_markup(src: &str) -> Result<Parsed, String> {
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut b = Builder::default();
    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        let at = || excerpt(src, range.start);
        b.event(event, &at)?;
    }
    // a reference to a note nobody wrote stays text: an unescaped "[^x]" in the source
    for (at, label) in references(src) {
        if !b.notes.contains_key(&label) {
            return Err(format!(
                "dẫn chú thích [^{label}] nhưng không có dòng «[^{label}]: …» nào viết nội dung chú thích ({})",
                excerpt(src, at)
            ));
        }
    }
    b.finish()
}

/// Unescaped `[^label]` references (not definitions) in the source: (offset, label).
fn references(src: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find("[^").map(|i| i + from) {
        from = i + 2;
        if src[..i].ends_with('\\') {
            continue;
        }
        let Some(len) = src[from..].find(']') else { break };
        let label = &src[from..from + len];
        if label.is_empty() || label.contains(char::is_whitespace) || src[from + len + 1..].starts_with(':') {
            continue;
        }
        out.push((i, label.to_string()));
    }
    out
}

fn excerpt(src: &str, at: usize) -> String {
    let line = src[..at.min(src.len())].matches('\n').count() + 1;
    let text: String = src[at.min(src.len())..].chars().take(70).collect();
    format!("dòng {line} của văn bản đã điền số: «{}»", text.replace('\n', " "))
}

impl Builder {
    fn push(&mut self, raw: Raw) {
        let cur = self.current.get_or_insert_with(Vec::new);
        cur.push(raw);
    }

    fn text(&mut self, t: &str) {
        let (b, i) = (self.bold > 0, self.italic > 0);
        self.push(Raw::Text(t.to_string(), b, i));
    }

    fn flush_para(&mut self) {
        let Some(inlines) = self.current.take() else { return };
        if inlines.is_empty() {
            return;
        }
        let prefix = self.item_prefix.take();
        match &self.in_note {
            Some(label) => {
                let mut inlines = inlines;
                if let Some(p) = prefix {
                    inlines.insert(0, Raw::Text(p, false, false));
                }
                self.notes.get_mut(label).expect("note open").push(inlines);
            }
            None => self.blocks.push(RawBlock::Para { prefix, inlines }),
        }
    }

    fn event(&mut self, event: Event, at: &dyn Fn() -> String) -> Result<(), String> {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    if self.current.as_ref().is_some_and(|c| !c.is_empty()) {
                        self.flush_para();
                    }
                    self.current.get_or_insert_with(Vec::new);
                }
                Tag::Heading { level, classes, .. } => {
                    if self.in_note.is_some() {
                        return Err(format!("chú thích không được chứa đề mục ({})", at()));
                    }
                    let depth = match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        HeadingLevel::H4 => 4,
                        HeadingLevel::H5 => 5,
                        HeadingLevel::H6 => {
                            return Err(format!(
                            "đề mục «######» sâu quá: chỉ có 5 cấp (# Phần, ## I., ### 1., #### 1.1., ##### a)) ({})",
                            at()
                        ))
                        }
                    };
                    let run_in = classes.iter().any(|c| &**c == "lien");
                    if let Some(bad) = classes.iter().find(|c| &***c != "lien") {
                        return Err(format!("đề mục có thuộc tính lạ «.{bad}»; chỉ dùng «{{.lien}}» ({})", at()));
                    }
                    self.heading = Some((depth, run_in));
                    self.current = Some(Vec::new());
                }
                Tag::List(start) => {
                    self.flush_para();
                    self.lists.push(start);
                }
                Tag::Item => {
                    self.flush_para();
                    let depth = self.lists.len();
                    let prefix = match self.lists.last_mut() {
                        Some(Some(n)) => {
                            let p = format!("{n}. ");
                            *n += 1;
                            p
                        }
                        _ if depth >= 2 => "+ ".to_string(),
                        _ => "- ".to_string(),
                    };
                    self.item_prefix = Some(prefix);
                    self.current = Some(Vec::new());
                }
                Tag::FootnoteDefinition(label) => {
                    self.flush_para();
                    let label = label.to_string();
                    if self.notes.contains_key(&label) {
                        return Err(format!("chú thích [^{label}] được viết hai lần ({})", at()));
                    }
                    self.notes.insert(label.clone(), Vec::new());
                    self.note_order.push(label.clone());
                    self.in_note = Some(label);
                }
                Tag::Emphasis => self.italic += 1,
                Tag::Strong => self.bold += 1,
                Tag::Link { .. } | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {}
                Tag::CodeBlock(_) => {
                    return Err(format!(
                    "có đoạn bị hiểu là khối mã (dòng thụt lề từ 4 dấu cách, hoặc ```); hãy bỏ thụt lề đầu dòng ({})",
                    at()
                ))
                }
                Tag::BlockQuote(_) => return Err(format!("dòng bắt đầu bằng «>» không được hỗ trợ ({})", at())),
                Tag::Image { .. } => return Err(format!("chưa hỗ trợ hình ảnh ({})", at())),
                other => return Err(format!("cấu trúc «{other:?}» chưa được hỗ trợ ({})", at())),
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => self.flush_para(),
                TagEnd::Heading(_) => {
                    let (depth, run_in) = self.heading.take().expect("heading open");
                    let title = self.current.take().unwrap_or_default();
                    self.blocks.push(RawBlock::Heading { depth, title, run_in, at: at() });
                }
                TagEnd::Item => self.flush_para(),
                TagEnd::List(_) => {
                    self.flush_para();
                    self.lists.pop();
                }
                TagEnd::FootnoteDefinition => {
                    self.flush_para();
                    self.in_note = None;
                }
                TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
                TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push(Raw::Break),
            Event::FootnoteReference(label) => {
                if self.in_note.is_some() {
                    return Err(format!("chú thích không được dẫn chú thích khác ([^{label}]) ({})", at()));
                }
                self.push(Raw::Ref(label.to_string()));
            }
            Event::Rule => return Err(format!("đường kẻ ngang («---», «***») không được hỗ trợ ({})", at())),
            other => return Err(format!("«{other:?}» chưa được hỗ trợ ({})", at())),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Parsed, String> {
        self.flush_para();
        let mut doc = Parsed::default();
        let mut numbers = Numbering::default();
        let mut note_index: HashMap<String, usize> = HashMap::new();
        let mut pending_lead: Option<(Heading, String)> = None;
        let notes = std::mem::take(&mut self.notes);
        let mut resolve = |raws: Vec<Raw>, doc: &mut Parsed| -> Result<Vec<Inline>, String> {
            let mut out = Vec::new();
            for r in coalesce(raws) {
                match r {
                    Raw::Text(t, b, i) => push_text(&mut out, &t, b, i),
                    Raw::Break => out.push(Inline::LineBreak),
                    Raw::Ref(label) => {
                        if note_index.contains_key(&label) {
                            return Err(format!(
                                "chú thích [^{label}] được dẫn hai lần; mỗi chú thích chỉ dẫn một lần"
                            ));
                        }
                        let Some(paras) = notes.get(&label) else {
                            return Err(format!("dẫn chú thích [^{label}] nhưng không có dòng «[^{label}]: …» nào viết nội dung chú thích"));
                        };
                        let mut content = Vec::new();
                        for p in paras.clone() {
                            let mut inl = Vec::new();
                            for r in coalesce(p) {
                                match r {
                                    Raw::Text(t, b, i) => push_text(&mut inl, &t, b, i),
                                    Raw::Break => inl.push(Inline::LineBreak),
                                    Raw::Ref(_) => unreachable!("checked while parsing"),
                                }
                            }
                            trim_inlines(&mut inl);
                            content.push(inl);
                        }
                        if content.iter().all(|p| p.is_empty()) {
                            return Err(format!("chú thích [^{label}] không có nội dung"));
                        }
                        doc.notes.push(content);
                        let n = doc.notes.len();
                        note_index.insert(label, n);
                        out.push(Inline::FootnoteRef(n));
                    }
                }
            }
            trim_inlines(&mut out);
            Ok(out)
        };
        for block in std::mem::take(&mut self.blocks) {
            match block {
                RawBlock::Heading { depth, title, run_in, at } => {
                    if let Some((h, at)) = pending_lead.take() {
                        return Err(format!(
                            "đề mục «{}» có {{.lien}} nhưng sau nó không có đoạn văn ({at})",
                            h.number
                        ));
                    }
                    let level = Level::from_depth(depth).expect("checked depth");
                    let number = numbers.next(level).map_err(|e| format!("{e} ({at})"))?;
                    let mut title = resolve(title, &mut doc)?;
                    if matches!(level, Level::Part | Level::Section) {
                        for i in &mut title {
                            if let Inline::Text { text, .. } = i {
                                *text = text.to_uppercase();
                            }
                        }
                    }
                    let heading = Heading { level, number, title };
                    if run_in {
                        pending_lead = Some((heading, at));
                    } else {
                        doc.body.push(Block::Heading(heading));
                    }
                }
                RawBlock::Para { prefix, inlines } => {
                    let mut inlines = resolve(inlines, &mut doc)?;
                    if inlines.is_empty() {
                        continue;
                    }
                    if let Some(p) = prefix {
                        inlines.insert(0, Inline::plain(p));
                    }
                    let lead = pending_lead.take().map(|(h, _)| h);
                    doc.body.push(Block::Paragraph { lead, inlines });
                }
            }
        }
        if let Some((h, at)) = pending_lead {
            return Err(format!("đề mục «{}» có {{.lien}} nhưng sau nó không có đoạn văn ({at})", h.number));
        }
        let unused: Vec<String> =
            self.note_order.iter().filter(|l| !note_index.contains_key(*l)).map(|l| format!("[^{l}]")).collect();
        if !unused.is_empty() {
            return Err(format!("chú thích {} được viết nhưng không được dẫn ở đâu trong văn bản", unused.join(", ")));
        }
        Ok(doc)
    }
}

/// Appends text, splitting out the markers the filters put around printed
/// figures and missing figures, and merging with the previous run when the
/// style is the same.
fn push_text(out: &mut Vec<Inline>, text: &str, bold: bool, italic: bool) {
    let clean: String = text
        .chars()
        .map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| (*c as u32) >= 0x20 && *c != '\u{7f}' && *c != '\u{fffe}' && *c != '\u{ffff}')
        .collect();
    let mut rest = clean.as_str();
    while let Some(start) = rest.find([MISSING_START, FIGURE_START]) {
        push_plain(out, &rest[..start], bold, italic);
        let marker = rest[start..].chars().next().expect("found");
        let after = &rest[start + marker.len_utf8()..];
        if marker == MISSING_START {
            let end = after.find(MISSING_END).unwrap_or(after.len());
            out.push(Inline::Missing(after[..end].to_string()));
            rest = after.get(end + MISSING_END.len_utf8()..).unwrap_or("");
        } else {
            let mid = after.find(FIGURE_TEXT).unwrap_or(0);
            let end = after.find(FIGURE_END).unwrap_or(after.len());
            let id = after[..mid].parse().unwrap_or(usize::MAX);
            let text = after.get(mid + FIGURE_TEXT.len_utf8()..end).unwrap_or("").to_string();
            out.push(Inline::Figure { id, text, bold, italic });
            rest = after.get(end + FIGURE_END.len_utf8()..).unwrap_or("");
        }
    }
    push_plain(out, rest, bold, italic);
}

/// Joins consecutive text pieces of one style (the parser splits text at
/// escapes, which may fall inside a marked figure).
fn coalesce(raws: Vec<Raw>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::with_capacity(raws.len());
    for r in raws {
        if let (Raw::Text(t, b, i), Some(Raw::Text(pt, pb, pi))) = (&r, out.last_mut()) {
            if b == pb && i == pi {
                pt.push_str(t);
                continue;
            }
        }
        out.push(r);
    }
    out
}

fn push_plain(out: &mut Vec<Inline>, text: &str, bold: bool, italic: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: prev, bold: b, italic: i }) = out.last_mut() {
        if *b == bold && *i == italic {
            prev.push_str(text);
            return;
        }
    }
    out.push(Inline::Text { text: text.to_string(), bold, italic });
}

fn trim_inlines(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
}

#[derive(Default)]
struct Numbering {
    part: usize,
    section: usize,
    clause: usize,
    sub_clause: usize,
    point: usize,
}

const ORDINALS: [&str; 10] = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"];
/// Điểm are lettered in the Vietnamese alphabet (a, b, c, d, đ, e, …).
const LETTERS: [&str; 23] =
    ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"];

impl Numbering {
    fn next(&mut self, level: Level) -> Result<String, String> {
        Ok(match level {
            Level::Part => {
                self.part += 1;
                (self.section, self.clause, self.sub_clause, self.point) = (0, 0, 0, 0);
                let word = ORDINALS.get(self.part - 1).ok_or("quá 10 phần")?;
                format!("Phần thứ {word}")
            }
            Level::Section => {
                self.section += 1;
                (self.clause, self.sub_clause, self.point) = (0, 0, 0);
                format!("{}.", crate::vi::roman(self.section))
            }
            Level::Clause => {
                self.clause += 1;
                (self.sub_clause, self.point) = (0, 0);
                format!("{}.", self.clause)
            }
            Level::SubClause => {
                if self.clause == 0 {
                    return Err("đề mục «####» (1.1.) phải nằm sau một đề mục «###» (1.)".into());
                }
                self.sub_clause += 1;
                self.point = 0;
                format!("{}.{}.", self.clause, self.sub_clause)
            }
            Level::Point => {
                self.point += 1;
                let letter = LETTERS.get(self.point - 1).ok_or("quá 23 điểm trong một mục")?;
                format!("{letter})")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::plain_text;

    fn headings(doc: &Parsed) -> Vec<String> {
        doc.body
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(format!("{} {}", h.number, plain_text(&h.title))),
                Block::Paragraph { lead: Some(h), .. } => Some(format!("{} {}:", h.number, plain_text(&h.title))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_are_numbered_by_level() {
        let src = "# Tình hình thực hiện\n\n## Công tác tham mưu\n\nĐoạn.\n\n## Kết quả\n\n### Nhiệm vụ trọng tâm\n\n### Nhiệm vụ chuyên môn\n\n#### Sản xuất\n\n##### Trồng trọt\n\n##### Chăn nuôi\n\n#### Lâm nghiệp\n\n#### Chương trình NTM {.lien}\n\nTham mưu.\n\n### Đánh giá chung\n\n# Kế hoạch\n\n## Bối cảnh\n";
        let doc = parse(src).unwrap();
        assert_eq!(
            headings(&doc),
            [
                "Phần thứ nhất TÌNH HÌNH THỰC HIỆN",
                "I. CÔNG TÁC THAM MƯU",
                "II. KẾT QUẢ",
                "1. Nhiệm vụ trọng tâm",
                "2. Nhiệm vụ chuyên môn",
                "2.1. Sản xuất",
                "a) Trồng trọt",
                "b) Chăn nuôi",
                "2.2. Lâm nghiệp",
                "2.3. Chương trình NTM:",
                "3. Đánh giá chung",
                "Phần thứ hai KẾ HOẠCH",
                "I. BỐI CẢNH",
            ]
        );
    }

    #[test]
    fn footnotes_are_numbered_in_reading_order() {
        let src = "Một[^b] hai[^a].\n\n[^a]: Chú thích A.\n[^b]: Chú thích *B*.\n\nBa[^c].\n\n[^c]: C.\n";
        let doc = parse(src).unwrap();
        assert_eq!(doc.notes.len(), 3);
        assert_eq!(plain_text(&doc.notes[0][0]), "Chú thích B.");
        assert_eq!(plain_text(&doc.notes[1][0]), "Chú thích A.");
        assert_eq!(plain_text(&doc.notes[2][0]), "C.");
        let Block::Paragraph { inlines, .. } = &doc.body[0] else { panic!() };
        assert_eq!(plain_text(inlines), "Một1 hai2.");
        assert!(doc.notes[0][0].contains(&Inline::Text { text: "B".into(), bold: false, italic: true }));
    }

    #[test]
    fn markup_mistakes_are_explained() {
        assert!(parse("Một[^x].\n").unwrap_err().0.contains("[^x]"));
        assert!(parse("Một.\n\n[^x]: Thừa.\n").unwrap_err().0.contains("không được dẫn"));
        assert!(parse("Một[^x] hai[^x].\n\n[^x]: A.\n").unwrap_err().0.contains("hai lần"));
        assert!(parse("Đoạn.\n\n    thụt lề\n").unwrap_err().0.contains("khối mã"));
        assert!(parse("###### Sáu\n").unwrap_err().0.contains("5 cấp"));
        assert!(parse("#### Không có cha\n").unwrap_err().0.contains("«###»"));
        assert!(parse("### Tiêu đề {.lien}\n\n### Khác\n").unwrap_err().0.contains("{.lien}"));
    }

    #[test]
    fn lists_become_dash_paragraphs() {
        let doc = parse("- Một;\n- Hai:\n  - Con.\n").unwrap();
        let texts: Vec<String> = doc
            .body
            .iter()
            .map(|b| match b {
                Block::Paragraph { inlines, .. } => plain_text(inlines),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["- Một;", "- Hai:", "+ Con."]);
    }

    #[test]
    fn missing_markers_become_missing_inlines() {
        let src = format!("Đạt {MISSING_START}thiếu số liệu: lúa{MISSING_END} ha.\n");
        let doc = parse(&src).unwrap();
        let Block::Paragraph { inlines, .. } = &doc.body[0] else { panic!() };
        assert_eq!(inlines[1], Inline::Missing("thiếu số liệu: lúa".into()));
    }

    #[test]
    fn escaped_text_is_literal() {
        let doc = parse("Số 706/TTBVTV\\-TTBV\\&KDTV \\*không nghiêng\\*.\n").unwrap();
        let Block::Paragraph { inlines, .. } = &doc.body[0] else { panic!() };
        assert_eq!(plain_text(inlines), "Số 706/TTBVTV-TTBV&KDTV *không nghiêng*.");
    }
}
