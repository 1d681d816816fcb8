//! The document tree from the report definition and the figures: the Tera
//! fragments rendered with the figures and parsed ([`markup`]), the Decree 30
//! parts around them ([`meta`]), the appendix tables ([`appendix`]), and
//! where every printed figure came from.

mod appendix;
mod filters;
pub mod markup;
mod meta;

use std::sync::Arc;

use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use tera::{Context, Tera};

use crate::config::ReportDef;
use crate::doc::{Document, FigureNote, SourceCell};
use crate::model::{Column, Figures};

pub use filters::{Gap, Use, MISSING_END, MISSING_START};
pub use meta::attached_to;

/// Options of one rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// A draft shows missing figures as highlighted markers instead of
    /// failing, and carries the "DỰ THẢO" mark.
    pub draft: bool,
    /// The date the package carries; by default the document's date, else
    /// 1 January of its year (never the wall clock).
    pub stamp: Option<NaiveDate>,
}

/// The document and the record of every figure printed in it
/// (`Inline::Figure { id }` indexes `uses` as it indexes `document.figures`).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub document: Document,
    pub uses: Vec<Use>,
    /// The appendix as data (the spreadsheet copy is written from it).
    pub appendix: Option<crate::model::appendix::Table>,
}

/// Cells of a figure kept in the document tree (the provenance workbook has them all).
const SOURCES_KEPT: usize = 12;

/// The whole document tree.
pub fn render(def: &ReportDef, figures: &Arc<Figures>, opts: RenderOptions) -> Result<Rendered> {
    let (markup, mut uses) = render_markup(def, figures, opts)?;
    let parsed = markup::parse(&markup)?;
    let meta = meta::meta(def, opts);
    let data = crate::model::appendix::appendix(def, figures);
    let appendices = match &data {
        Some(table) => vec![appendix::appendix(def, table, figures, &mut uses)],
        None => vec![],
    };
    let notes = uses.iter().map(|u| note(def, figures, u)).collect();
    let document = Document { meta, body: parsed.body, notes: parsed.notes, appendices, figures: notes };
    Ok(Rendered { document, uses, appendix: data })
}

/// The Decree 30 parts around the body (header, number, place and date,
/// title, recipients, signature) of `def`.
pub fn meta_of(def: &ReportDef, draft: bool) -> crate::doc::Meta {
    meta::meta(def, RenderOptions { draft, stamp: None })
}

/// What a writer shows of a printed figure: what it was computed from, and
/// its first cells.
fn note(def: &ReportDef, figures: &Figures, u: &Use) -> FigureNote {
    let from = u
        .figures
        .iter()
        .map(|(code, col)| {
            let name = def.indicator(code).map(|i| i.name.as_str()).unwrap_or(code);
            format!("{name} — {}", col.label())
        })
        .collect();
    let mut sources = Vec::new();
    let mut source_count = 0;
    for s in crate::provenance::cells(&u.figures, &u.rows, figures) {
        source_count += 1;
        if sources.len() < SOURCES_KEPT {
            sources.push(SourceCell {
                unit: def.units.get(s.unit).map(|x| x.name.clone()).unwrap_or_else(|| s.unit.to_string()),
                file: s.origin.file().to_string(),
                sheet: s.origin.sheet().to_string(),
                cell: s.origin.cell(),
                value: crate::vi::format_number(s.value, s.value.scale(), true),
            });
        }
    }
    FigureNote { printed: u.printed.clone(), value: u.value, how: u.how.clone(), from, sources, source_count }
}

/// The figures the document uses (rendered as a draft, so every missing one
/// is seen rather than the first stopping the rendering).
pub fn usage(def: &ReportDef, figures: &Arc<Figures>) -> Result<Vec<(String, Column)>> {
    Ok(needs(def, figures)?.figures)
}

/// What the document needs of the inputs, found by rendering it as a draft
/// (so every missing piece is seen rather than the first stopping it).
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Figures printed or read to choose words, and the appendix's columns.
    pub figures: Vec<(String, Column)>,
    /// Groups and narrative keys the text needs and does not have.
    pub gaps: Vec<Gap>,
    /// Figures that are there but could not be printed (a share of a zero,
    /// a breakdown of nothing): what a final build would refuse.
    pub failed: Vec<Use>,
}

/// [`Needs`] of `def` with `figures`.
pub fn needs(def: &ReportDef, figures: &Arc<Figures>) -> Result<Needs> {
    let r = render_parts(def, figures, RenderOptions { draft: true, stamp: None })?;
    let mut used: Vec<(String, Column)> = r.uses.iter().flat_map(|u| u.figures.iter().cloned()).collect();
    used.extend(r.tested);
    // the appendix prints its indicators' year columns
    for group in def.appendix.iter().flat_map(|a| &a.groups) {
        for code in &group.indicators {
            used.extend(appendix::COLUMNS.iter().map(|c| (code.clone(), *c)));
        }
    }
    used.sort();
    used.dedup();
    let mut gaps = r.gaps;
    gaps.sort();
    gaps.dedup();
    // a figure some unit has not given is the forms' finding, not this one
    let complete = |(code, col): &(String, Column)| {
        figures.get(code, *col).is_some_and(|f| f.missing.is_empty() && f.total.is_some())
    };
    let failed =
        r.uses.into_iter().filter(|u| u.missing && !u.figures.is_empty() && u.figures.iter().all(complete)).collect();
    Ok(Needs { figures: used, gaps, failed })
}

/// The fragments rendered and joined: the markup the document is parsed from.
pub fn render_markup(def: &ReportDef, figures: &Arc<Figures>, opts: RenderOptions) -> Result<(String, Vec<Use>)> {
    let r = render_parts(def, figures, opts)?;
    Ok((r.markup, r.uses))
}

/// What rendering the fragments gives.
struct Parts {
    markup: String,
    uses: Vec<Use>,
    gaps: Vec<Gap>,
    tested: Vec<(String, Column)>,
}

fn render_parts(def: &ReportDef, figures: &Arc<Figures>, opts: RenderOptions) -> Result<Parts> {
    let data = Arc::new(filters::Data {
        def: def.clone(),
        figures: Arc::clone(figures),
        draft: opts.draft,
        uses: Default::default(),
        gaps: Default::default(),
        tested: Default::default(),
    });
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".md.tera"]);
    tera.set_escape_fn(filters::escape_markdown);
    filters::register(&mut tera, &data);
    tera.add_raw_templates(def.includes.iter().chain(&def.fragments).map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| template_error(def, &e))?;
    let ctx = context(def);
    let mut out = String::new();
    for (name, _) in &def.fragments {
        let text = tera.render(name, &ctx).map_err(|e| template_error(def, &e))?;
        out.push_str(&text);
        if !out.ends_with("\n\n") {
            out.push_str("\n\n");
        }
    }
    drop(tera);
    fn take<T>(m: &std::sync::Mutex<Vec<T>>) -> Vec<T> {
        std::mem::take(&mut *m.lock().expect("recorder poisoned"))
    }
    Ok(Parts { markup: out, uses: take(&data.uses), gaps: take(&data.gaps), tested: take(&data.tested) })
}

/// Variables every fragment sees.
fn context(def: &ReportDef) -> Context {
    let mut f = std::collections::BTreeMap::new();
    for ind in &def.catalog.indicators {
        let mut cols = std::collections::BTreeMap::new();
        for c in Column::ALL {
            let mut r = std::collections::BTreeMap::new();
            r.insert("ma", ind.code.to_string());
            r.insert("cot", c.code().to_string());
            cols.insert(c.code().to_string(), r);
        }
        f.insert(ind.code.to_string(), cols);
    }
    let mut ctx = crate::config::period_context(def.period());
    ctx.insert("f", &f);
    ctx.insert("co_quan", &def.report.agency.short_name);
    ctx.insert("co_quan_day_du", &def.report.agency.full_name);
    ctx.insert("trich_yeu", &def.report.document.subject);
    // "01/SXNLN": the body points to the appendix by its number (Decree 30, Phụ lục I, III.1.a)
    ctx.insert("phu_luc", &def.appendix.as_ref().map(|a| a.number.clone()).unwrap_or_default());
    ctx
}

/// A template error as a clerk can act on it: file, line, column, the line
/// itself with a caret, and the reason in Vietnamese.
fn template_error(def: &ReportDef, e: &tera::Error) -> anyhow::Error {
    use tera::ErrorKind;
    // the error with a location may be wrapped; the innermost message is
    // usually ours (a Vietnamese filter error)
    let mut chain: Vec<&dyn std::error::Error> = vec![e];
    while let Some(src) = chain.last().and_then(|c| c.source()) {
        chain.push(src);
    }
    let innermost = chain.last().map(|c| c.to_string()).unwrap_or_default();
    let located = chain.iter().filter_map(|c| c.downcast_ref::<tera::Error>()).find_map(|t| match t.kind() {
        ErrorKind::SyntaxError(r) => Some((r, "viết sai cú pháp")),
        ErrorKind::RenderingError(r) => Some((r, "lỗi khi điền số liệu")),
        _ => None,
    });
    if let Some((r, what)) = located {
        let reason = translate(if chain.len() > 1 { &innermost } else { r.message() });
        return located_error(def, r.filename(), r.span().start_line, r.span().start_col, what, &reason);
    }
    // unknown filters and functions come as a pre-rendered report:
    // "error: Unknown filter `x`\n --> file:line:col …"
    let mut lines = innermost.lines();
    if let (Some(first), Some(second)) = (lines.next(), lines.next()) {
        if let (Some(msg), Some(loc)) = (first.strip_prefix("error: "), second.trim().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let (col, line, file) = (parts.next(), parts.next(), parts.next());
            if let (Some(Ok(col)), Some(Ok(line)), Some(file)) =
                (col.map(str::parse::<usize>), line.map(str::parse::<usize>), file)
            {
                return located_error(def, file, line, col.saturating_sub(1), "viết sai", &translate(msg));
            }
        }
    }
    match e.kind() {
        ErrorKind::TemplateNotFound(t) => anyhow!("không tìm thấy mẫu văn bản «{t}»"),
        _ => anyhow!("lỗi mẫu văn bản: {}", translate(&innermost)),
    }
}

/// "Mẫu văn bản «…», dòng L, cột C: what: reason" with the line and a caret.
fn located_error(def: &ReportDef, file: &str, line: usize, col0: usize, what: &str, reason: &str) -> anyhow::Error {
    let own = def.fragments.iter().find(|(n, _)| n == file).map(|(_, s)| (def.dir.join(file), s.as_str()));
    let shared = || {
        let root = def.dir.parent().unwrap_or(std::path::Path::new(""));
        def.includes.iter().find(|(n, _)| n == file).map(|(_, s)| (root.join(file), s.as_str()))
    };
    let (path, source) = own.or_else(shared).unwrap_or_else(|| (def.dir.join(file), ""));
    let line_text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let gutter = line.to_string();
    let caret_pad: String = line_text.chars().take(col0).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    anyhow!(
        "Mẫu văn bản «{}», dòng {line}, cột {}: {what}: {reason}\n {gutter} | {line_text}\n {} | {caret_pad}^",
        path.display(),
        col0 + 1,
        " ".repeat(gutter.len()),
    )
}

/// Tera's own messages, in Vietnamese where we know them.
fn translate(msg: &str) -> String {
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    if msg.starts_with("Field `") && msg.contains("is not defined") {
        return format!(
            "không có «{}» (kiểm tra mã chỉ tiêu trong catalog.toml và tên cột: th_truoc, kh, ck, th, uoc, kh_sau)",
            quoted(msg)
        );
    }
    if msg.starts_with("Variable `") && (msg.contains("is not defined") || msg.contains("not found")) {
        return format!(
            "không có biến «{}» (các biến: f, nam, nam_truoc, nam_sau, ky, ky_day_du, ngay_cuoi_ky, thang_cuoi_ky, \
             co_quan, co_quan_day_du, trich_yeu, phu_luc)",
            quoted(msg)
        );
    }
    if let Some(rest) = msg.strip_prefix("Found ") {
        if let Some((found, expected)) = rest.split_once(" but expected ") {
            let expected = expected.trim_end_matches('.').replace("identifier", "một tên");
            return format!("gặp {found} ở chỗ cần {expected}");
        }
    }
    if msg.starts_with("Argument `") && msg.contains("missing") {
        return format!("thiếu tham số «{}»", quoted(msg));
    }
    if msg.starts_with("Unknown filter `") {
        return format!(
            "không có bộ lọc «{}» (các bộ lọc: so, dem, ty_le, so_sanh, dat, chi_tiet, so_don_vi, ten_don_vi, can_chi)",
            quoted(msg)
        );
    }
    if msg.starts_with("Unknown function `") {
        return format!(
            "không có hàm «{}» (các hàm: van_ban, danh_muc, dem_danh_muc, dia_ban, dem_dia_ban, nhan_dinh)",
            quoted(msg)
        );
    }
    if msg.starts_with("Unknown test `") {
        return format!("không có phép thử «{}» (các phép thử: tang, giam, bang, khong)", quoted(msg));
    }
    msg.to_string()
}
