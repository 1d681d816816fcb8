//! The HTML writer: the same document tree as the .docx, as one
//! self-contained page (styles and a few lines of script inside) — the
//! preview a browser shows. Every printed figure carries where it came from
//! (`title` for a tooltip, `data-*` for a page that shows it on a click).
//! It knows the tree (`crate::doc`) and nothing else; every text is escaped.

use std::fmt::Write as _;

use crate::doc::{Appendix, Block, CellKind, Document, FigureNote, Heading, Inline, Level, Meta};

/// The page of `doc`.
pub fn write(doc: &Document) -> String {
    let mut w = Writer { out: String::with_capacity(64 * 1024), doc };
    w.page();
    w.out
}

struct Writer<'a> {
    out: String,
    doc: &'a Document,
}

/// `s` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut buf = Vec::with_capacity(s.len());
    // writing to a Vec cannot fail
    let _ = tera::escape_html(s, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

const STYLE: &str = r#"
:root { --giay: #fff; --nen: #e8e8e8; --chu: #000; --nhat: #555; --nhan: #fff3b0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--nen); color: var(--chu); font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; }
.trang { background: var(--giay); width: 210mm; min-height: 297mm; margin: 12px auto; padding: 20mm 20mm 20mm 30mm; box-shadow: 0 1px 4px rgba(0,0,0,.25); font-size: 14pt; line-height: 1.2; }
.trang.ngang { width: 297mm; min-height: 210mm; }
table.dau, table.cuoi { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.dau td, table.cuoi td { vertical-align: top; padding: 0 4px; }
table.dau p { margin: 0; text-align: center; font-size: 13pt; }
table.dau td.trai { width: 40%; } table.cuoi td.trai { width: 47%; }
.chu-quan { text-transform: none; }
.ban-hanh, .quoc-hieu, .tieu-ngu { font-weight: bold; }
.quoc-hieu { font-size: 12pt !important; white-space: nowrap; }
.so, .dia-danh { margin-top: 6pt !important; }
.dia-danh { font-style: italic; }
.ve-viec { margin-top: 6pt !important; }
hr.ke { border: 0; border-top: 0.75pt solid #000; margin: 2pt auto 0; width: 40%; }
hr.ke.tieu-ngu-ke { width: 62%; }
.du-thao { display: inline-block; border: 1pt solid #000; font-weight: bold; font-size: 14pt !important; padding: 0 6pt; margin-top: 6pt !important; }
.ten-van-ban { text-align: center; margin: 24pt 0 0; font-size: 14pt; font-weight: bold; }
.ten-van-ban .trich-yeu { display: block; }
.kinh-gui { margin: 6pt 0 0; }
.kinh-gui.mot { text-align: center; }
.kinh-gui p { margin: 0; } .kinh-gui .nhan { padding-left: 3cm; } .kinh-gui .noi { padding-left: calc(3cm + 2.3em); }
main { margin-top: 12pt; }
main p, main h2, main h3, main h4, main h5, main h6 { font-size: 14pt; margin: 6pt 0 0; text-align: justify; text-indent: 1cm; font-weight: normal; }
main h2 { text-align: center; text-indent: 0; font-weight: bold; margin-top: 12pt; }
main h3, main h4, main .dam { font-weight: bold; }
main h5 { font-weight: bold; font-style: italic; }
.cuoi { margin-top: 6pt; }
.noi-nhan p { margin: 0; font-size: 11pt; } .noi-nhan .de { font-size: 12pt; font-weight: bold; font-style: italic; margin-top: 6pt; }
.ky p { margin: 0; text-align: center; font-weight: bold; } .ky .cho-ky { height: 28mm; } .ky .chuc-vu:first-child { margin-top: 6pt; }
.so-lieu { cursor: help; border-bottom: 1px dotted #2a6; }
.so-lieu:hover, .so-lieu:focus, .so-lieu.chon { background: #dff3e6; outline: none; }
mark.thieu { background: var(--nhan); font-weight: bold; }
sup a { text-decoration: none; color: inherit; }
.chu-thich { font-size: 10pt; margin-top: 18pt; border-top: 0.75pt solid #000; width: 100%; }
.chu-thich ol { padding-left: 1.5em; margin: 4pt 0 0; } .chu-thich li { text-align: justify; margin: 0 0 2pt; }
.chu-thich li a.ve { text-decoration: none; margin-left: 4px; }
.phu-luc p { text-align: center; margin: 0; } .phu-luc .so-phu-luc, .phu-luc .ten-phu-luc { font-weight: bold; }
.phu-luc .kem-theo { font-style: italic; font-size: 13pt; }
table.bang { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 12pt; font-size: 12pt; }
table.bang th, table.bang td { border: 0.5pt solid #000; padding: 1pt 3pt; vertical-align: middle; }
table.bang th { font-weight: bold; text-align: center; }
table.bang td.nhom { font-weight: bold; } table.bang td.giua { text-align: center; } table.bang td.so { text-align: right; }
#nguon { position: fixed; right: 12px; bottom: 12px; max-width: 520px; max-height: 60vh; overflow: auto; background: #fff; border: 1px solid #2a6; box-shadow: 0 2px 10px rgba(0,0,0,.3); padding: 8px 12px; font: 13px/1.4 system-ui, sans-serif; white-space: pre-wrap; display: none; }
#nguon.mo { display: block; }
@media print { body { background: #fff; } .trang { box-shadow: none; margin: 0; } #nguon { display: none !important; } .so-lieu { border: 0; } }
"#;

/// Clicking (or pressing Enter on) a figure shows where it came from.
const SCRIPT: &str = r#"
(function () {
  var box = document.getElementById('nguon');
  var current = null;
  function show(el) {
    if (current) current.classList.remove('chon');
    if (current === el) { box.classList.remove('mo'); current = null; return; }
    current = el; el.classList.add('chon');
    box.textContent = el.getAttribute('title');
    box.classList.add('mo');
  }
  document.addEventListener('click', function (e) {
    var el = e.target.closest('.so-lieu');
    if (el) show(el); else if (!box.contains(e.target) && current) show(current);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && e.target.classList && e.target.classList.contains('so-lieu')) show(e.target);
    if (e.key === 'Escape' && current) show(current);
  });
})();
"#;

impl Writer<'_> {
    fn page(&mut self) {
        let meta = &self.doc.meta;
        let title = match &meta.title {
            Some(t) => format!("{} {}", t.kind, t.summary),
            None => meta.subject.clone().unwrap_or_default(),
        };
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"baocao\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            escape(meta.lang.split('-').next().unwrap_or("vi")),
            escape(&title)
        );
        self.out.push_str("<article class=\"trang van-ban\">\n");
        self.header(meta);
        self.out.push_str("<main>\n");
        for b in &self.doc.body {
            self.block(b);
        }
        self.out.push_str("</main>\n");
        self.closing(meta);
        self.notes();
        self.out.push_str("</article>\n");
        for a in &self.doc.appendices {
            self.appendix(a);
        }
        let _ = write!(
            self.out,
            "<aside id=\"nguon\" role=\"status\" aria-live=\"polite\"></aside>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        );
    }

    fn header(&mut self, meta: &Meta) {
        self.out.push_str("<header>\n<table class=\"dau\"><tr><td class=\"trai\">");
        let _ = write!(self.out, "<p class=\"chu-quan\">{}</p>", escape(&meta.parent_agency));
        let agency: Vec<String> = meta.agency.iter().map(|l| escape(l)).collect();
        let _ = write!(self.out, "<p class=\"ban-hanh\">{}</p><hr class=\"ke\">", agency.join("<br>"));
        self.out.push_str("</td><td class=\"phai\">");
        self.out.push_str("<p class=\"quoc-hieu\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>");
        self.out.push_str("<p class=\"tieu-ngu\">Độc lập - Tự do - Hạnh phúc</p><hr class=\"ke tieu-ngu-ke\">");
        self.out.push_str("</td></tr>\n<tr><td class=\"trai\">");
        let _ = write!(self.out, "<p class=\"so\">{}</p>", escape(&meta.number).replace("  ", " &nbsp;"));
        if let Some(s) = &meta.subject {
            let _ = write!(self.out, "<p class=\"ve-viec\">{}</p>", escape(s));
        }
        if meta.draft {
            self.out.push_str("<p class=\"du-thao\">DỰ THẢO</p>");
        }
        let _ = writeln!(
            self.out,
            "</td><td class=\"phai\"><p class=\"dia-danh\">{}</p></td></tr></table>",
            escape(&meta.place_date).replace("  ", " &nbsp;")
        );
        if let Some(t) = &meta.title {
            let _ = writeln!(
                self.out,
                "<h1 class=\"ten-van-ban\">{}<span class=\"trich-yeu\">{}</span></h1><hr class=\"ke\">",
                escape(&t.kind),
                escape(&t.summary)
            );
        }
        match meta.recipients.as_slice() {
            [] => {}
            [one] => {
                let _ = writeln!(self.out, "<div class=\"kinh-gui mot\"><p>Kính gửi: {}</p></div>", escape(one));
            }
            many => {
                self.out.push_str("<div class=\"kinh-gui\"><p class=\"nhan\">Kính gửi:</p>");
                for (i, r) in many.iter().enumerate() {
                    let end = if i + 1 == many.len() { "." } else { ";" };
                    let r = r.trim_end_matches(['.', ';', ',']);
                    let _ = write!(self.out, "<p class=\"noi\">- {}{end}</p>", escape(r));
                }
                self.out.push_str("</div>\n");
            }
        }
        self.out.push_str("</header>\n");
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => {
                let tag = heading_tag(h.level);
                let _ = write!(self.out, "<{tag} class=\"{}\">", level_class(h.level));
                self.heading_number(h);
                self.inlines(&h.title);
                let _ = writeln!(self.out, "</{tag}>");
            }
            Block::Paragraph { lead, inlines } => {
                self.out.push_str("<p>");
                if let Some(h) = lead {
                    let class = if h.level == Level::SubClause { "dam nghieng" } else { "dam" };
                    let weight = if h.level == Level::Point { "" } else { class };
                    let _ = write!(self.out, "<span class=\"{weight}\">{} ", escape(&h.number));
                    self.inlines(&h.title);
                    self.out.push_str(":</span> ");
                }
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
        }
    }

    fn heading_number(&mut self, h: &Heading) {
        if h.level == Level::Part {
            let _ = write!(self.out, "{}<br>", escape(&h.number));
        } else {
            let _ = write!(self.out, "{} ", escape(&h.number));
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            match i {
                Inline::Text { text, bold, italic } => self.styled(&escape(text), *bold, *italic),
                Inline::Figure { id, text, bold, italic } => {
                    let span = self.figure(*id, text);
                    self.styled(&span, *bold, *italic);
                }
                Inline::FootnoteRef(n) => {
                    let _ = write!(self.out, "<sup><a class=\"cn\" id=\"cnr-{n}\" href=\"#cn-{n}\">{n}</a></sup>");
                }
                Inline::LineBreak => self.out.push_str("<br>"),
                Inline::Missing(t) => {
                    let _ = write!(self.out, "<mark class=\"thieu\">[{}]</mark>", escape(t));
                }
            }
        }
    }

    fn styled(&mut self, html: &str, bold: bool, italic: bool) {
        match (bold, italic) {
            (false, false) => self.out.push_str(html),
            (true, false) => {
                let _ = write!(self.out, "<b>{html}</b>");
            }
            (false, true) => {
                let _ = write!(self.out, "<i>{html}</i>");
            }
            (true, true) => {
                let _ = write!(self.out, "<b><i>{html}</i></b>");
            }
        }
    }

    /// A printed figure with its provenance.
    fn figure(&self, id: usize, text: &str) -> String {
        let Some(note) = self.doc.figures.get(id) else { return escape(text) };
        // the cells are listed twice (data for the page, the tooltip): written once
        let lines = source_lines(note);
        format!(
            "<span class=\"so-lieu\" tabindex=\"0\" data-so=\"{id}\" data-cach=\"{}\" data-tu=\"{}\" data-so-o=\"{}\" \
             data-nguon=\"{}\" title=\"{}\">{}</span>",
            escape(&note.how),
            escape(&note.from.join("; ")),
            note.source_count,
            escape(&lines.join("\n")),
            escape(&explain(note, &lines)),
            escape(text)
        )
    }

    fn closing(&mut self, meta: &Meta) {
        self.out
            .push_str("<footer>\n<table class=\"cuoi\"><tr><td class=\"trai noi-nhan\"><p class=\"de\">Nơi nhận:</p>");
        for line in &meta.distribution {
            let _ = write!(self.out, "<p>{}</p>", escape(line));
        }
        self.out.push_str("</td><td class=\"ky\">");
        for line in &meta.signature.lines {
            let _ = write!(self.out, "<p class=\"chuc-vu\">{}</p>", escape(line));
        }
        let _ = write!(
            self.out,
            "<p class=\"cho-ky\"></p><p class=\"nguoi-ky\">{}</p></td></tr></table>\n</footer>\n",
            escape(&meta.signature.name)
        );
    }

    fn notes(&mut self) {
        if self.doc.notes.is_empty() {
            return;
        }
        self.out.push_str("<section class=\"chu-thich\" aria-label=\"Chú thích\">\n<ol>\n");
        for (i, note) in self.doc.notes.iter().enumerate() {
            let n = i + 1;
            let _ = write!(self.out, "<li id=\"cn-{n}\">");
            for (j, para) in note.iter().enumerate() {
                if j > 0 {
                    self.out.push_str("<br>");
                }
                self.inlines(para);
            }
            let _ = writeln!(self.out, " <a class=\"ve\" href=\"#cnr-{n}\" aria-label=\"Về chỗ dẫn\">↩</a></li>");
        }
        self.out.push_str("</ol>\n</section>\n");
    }

    fn appendix(&mut self, a: &Appendix) {
        let class = if a.landscape { "trang ngang phu-luc" } else { "trang phu-luc" };
        let _ = write!(
            self.out,
            "<section class=\"{class}\">\n<p class=\"so-phu-luc\">{}</p><p class=\"ten-phu-luc\">{}</p>\
             <p class=\"kem-theo\">{}</p><hr class=\"ke\">\n<table class=\"bang\"><colgroup>",
            escape(&a.label),
            escape(&a.title),
            escape(&a.attached)
        );
        let total: u32 = a.table.widths.iter().sum::<u32>().max(1);
        for w in &a.table.widths {
            let _ = write!(self.out, "<col style=\"width:{:.2}%\">", f64::from(*w) * 100.0 / f64::from(total));
        }
        self.out.push_str("</colgroup>\n<thead>\n");
        for row in &a.table.header {
            self.out.push_str("<tr>");
            for c in row {
                self.out.push_str(&span_attr("<th", c.span));
                self.inlines(&c.content);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</thead>\n<tbody>\n");
        for row in &a.table.rows {
            self.out.push_str("<tr>");
            for c in row {
                let class = match c.kind {
                    CellKind::Heading => "giua nhom",
                    CellKind::Group => "nhom",
                    CellKind::Text => "chu",
                    CellKind::Centred => "giua",
                    CellKind::Number => "so",
                };
                self.out.push_str(&span_attr(&format!("<td class=\"{class}\""), c.span));
                self.inlines(&c.content);
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

fn span_attr(open: &str, span: usize) -> String {
    if span > 1 {
        format!("{open} colspan=\"{span}\">")
    } else {
        format!("{open}>")
    }
}

fn heading_tag(level: Level) -> &'static str {
    match level {
        Level::Part => "h2",
        Level::Section => "h3",
        Level::Clause => "h4",
        Level::SubClause => "h5",
        Level::Point => "h6",
    }
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::Part => "phan",
        Level::Section => "muc",
        Level::Clause => "khoan",
        Level::SubClause => "tieu-khoan",
        Level::Point => "diem",
    }
}

/// "huyện Văn Quan — huyen/VQU.xlsx, trang «Chỉ tiêu», ô I12: 1.234", one per cell kept.
fn source_lines(note: &FigureNote) -> Vec<String> {
    note.sources
        .iter()
        .map(|s| format!("{} — {}, trang «{}», ô {}: {}", s.unit, s.file, s.sheet, s.cell, s.value))
        .collect()
}

/// What a reader sees on hovering a figure; `lines` are its
/// [`source_lines`].
fn explain(note: &FigureNote, sources: &[String]) -> String {
    let mut lines = vec![format!("{} ({})", note.printed, note.how)];
    if !note.from.is_empty() {
        lines.push(format!("Từ: {}", note.from.join("; ")));
    }
    match note.source_count {
        0 => lines.push("Không có ô nguồn (số đặt sẵn trong mẫu văn bản).".into()),
        1 => lines.push("Nguồn:".into()),
        n => lines.push(format!("Nguồn ({} ô):", count(n))),
    }
    lines.extend(sources.iter().map(|l| format!("• {l}")));
    if note.source_count > note.sources.len() {
        lines.push(format!(
            "… và {} ô khác (xem bảng nguồn số liệu .xlsx)",
            count(note.source_count - note.sources.len())
        ));
    }
    lines.join("\n")
}

/// A count in Vietnamese style: 10.000.
fn count(n: usize) -> String {
    crate::vi::format_number(rust_decimal::Decimal::from(n), 0, false)
}
