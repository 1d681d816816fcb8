//! Văn bản: build one kind or all (the library's `build_with`, as `baocao
//! build --mau KIND | --tat-ca [--nhap] [--pdf]` runs it, into the same
//! `output/`), with its progress sent to the page; the files of each kind,
//! the HTML preview and the downloads.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::guard::{attachment, refuse, servable};
use super::pages::{render, XLSX};
use super::Desk;
use crate::{BuildError, BuildOptions, Stage, Templates};

/// What may be downloaded from `output/`.
const DOWNLOADS: [&str; 5] = ["docx", "pdf", "xlsx", "csv", "html"];

/// The preview runs its own small script, but in a sandbox: an origin of
/// its own, so even a page someone put in `output/` cannot act for the desk.
const PREVIEW_POLICY: &str = "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; \
                              script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

#[derive(Serialize)]
struct FileLink {
    #[serde(rename = "ten")]
    name: String,
    #[serde(rename = "loai")]
    kind: &'static str,
    #[serde(rename = "luc")]
    modified: String,
    #[serde(rename = "co")]
    size: String,
}

#[derive(Serialize)]
struct Kind {
    #[serde(rename = "ma")]
    code: String,
    #[serde(rename = "ten")]
    name: String,
    #[serde(rename = "tep")]
    files: Vec<FileLink>,
    #[serde(rename = "xem")]
    preview: Option<String>,
}

impl Desk {
    /// Every kind with the files a build wrote for it in `output/`.
    fn documents(&self) -> Vec<Kind> {
        self.kinds()
            .into_iter()
            .filter_map(|kind| {
                let def = self.templates_for(&kind)?.load().ok()?;
                let stem = def.report.file_stem();
                let mut wanted = vec![
                    (format!("{stem}.docx"), "Word (.docx)"),
                    (format!("{stem}.pdf"), "PDF"),
                    (crate::provenance_file_name(&stem), "Nguồn số liệu (.xlsx)"),
                    // written only when the source cells are too many for the workbook
                    (crate::provenance_cells_file_name(&stem), "Nguồn số liệu từng ô (.csv)"),
                ];
                if let Some(a) = &def.appendix {
                    wanted.push((format!("{}.xlsx", crate::output::safe_file_name(&a.file_name)), "Phụ lục (.xlsx)"));
                }
                let files = wanted
                    .into_iter()
                    .filter_map(|(name, label)| {
                        let meta = std::fs::metadata(self.output.join(&name)).ok().filter(|m| m.is_file())?;
                        let modified = meta
                            .modified()
                            .map(|t| chrono::DateTime::<chrono::Local>::from(t).format("%d/%m/%Y %H:%M").to_string())
                            .unwrap_or_default();
                        Some(FileLink { name, kind: label, modified, size: size(meta.len()) })
                    })
                    .collect();
                let html = format!("{stem}.html");
                let preview = self.output.join(&html).is_file().then_some(html);
                Some(Kind { code: kind, name: kind_title(&def), files, preview })
            })
            .collect()
    }

    fn documents_context(&self) -> tera::Context {
        let docs = self.documents();
        // the preview shows the newest document
        let newest = docs
            .iter()
            .filter_map(|d| d.preview.as_ref())
            .max_by_key(|h| std::fs::metadata(self.output.join(h)).and_then(|m| m.modified()).ok());
        let mut ctx = tera::Context::new();
        ctx.insert("xem", &newest);
        ctx.insert("van_ban", &docs);
        ctx.insert("pdf", &self.libreoffice);
        ctx
    }
}

/// "Kế hoạch: Phát triển ngành nông nghiệp, nông thôn năm 2024".
fn kind_title(def: &crate::config::ReportDef) -> String {
    let v = &def.report.document;
    let kind = if def.report.is_letter() {
        "Công văn".to_string()
    } else {
        let lower = v.kind_name.trim().to_lowercase();
        let mut c = lower.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    };
    format!("{kind}: {}", v.subject.trim())
}

/// "12,5 KB".
fn size(bytes: u64) -> String {
    let kb = rust_decimal::Decimal::from(bytes) / rust_decimal::Decimal::from(1000);
    if bytes >= 1_000_000 {
        format!("{} MB", crate::vi::format_number(kb / rust_decimal::Decimal::from(1000), 1, false))
    } else {
        format!("{} KB", crate::vi::format_number(kb, 1, false))
    }
}

/// Văn bản.
pub async fn page(State(desk): State<Arc<Desk>>) -> Response {
    let mut ctx = desk.documents_context();
    ctx.insert("trang", "van-ban");
    ctx.insert("loi", &desk.snapshot().errors());
    render(&desk, "van-ban.html", ctx)
}

/// The documents alone (after a build elsewhere).
pub async fn list(State(desk): State<Arc<Desk>>) -> Response {
    render(&desk, "_danh-sach-van-ban.html", desk.documents_context())
}

#[derive(Deserialize)]
pub struct BuildForm {
    #[serde(default)]
    #[serde(rename = "mau")]
    kind: String,
    #[serde(default)]
    #[serde(rename = "nhap")]
    draft: Option<String>,
    #[serde(default)]
    pdf: Option<String>,
}

/// What a build said, for the page.
struct Outcome {
    ok: bool,
    lines: Vec<String>,
    /// Files written under another name (the usual one was open in Word).
    other_files: Vec<String>,
}

/// Tạo văn bản.
pub async fn build(State(desk): State<Arc<Desk>>, Form(f): Form<BuildForm>) -> Response {
    let Some(templates) = desk.templates_for(&f.kind) else {
        return refuse(StatusCode::BAD_REQUEST, &format!("Không có loại văn bản «{}».", f.kind));
    };
    let Ok(_busy) = desk.busy.try_lock() else {
        return refuse(StatusCode::CONFLICT, "Đang tạo văn bản hoặc lưu tệp nộp lên; chờ xong rồi thử lại.");
    };
    let draft = f.draft.is_some();
    let pdf = f.pdf.is_some() && desk.libreoffice;
    let worker = desk.clone();
    let outcome = match tokio::task::spawn_blocking(move || worker.build(templates, draft, pdf)).await {
        Ok(o) => o,
        Err(e) => Outcome { ok: false, lines: vec![format!("Lỗi: {e}")], other_files: vec![] },
    };
    desk.send("van-ban", "xong".into());
    let mut ctx = desk.documents_context();
    ctx.insert("thong_bao", &outcome.lines);
    ctx.insert("thanh_cong", &outcome.ok);
    ctx.insert("tep_khac", &outcome.other_files);
    render(&desk, "_danh-sach-van-ban.html", ctx)
}

/// Progress of a build, sent to the pages as `tien-do` events.
struct WebProgress<'a> {
    desk: &'a Desk,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl WebProgress<'_> {
    fn say(&self, text: &str) {
        let (done, total) = (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed));
        self.desk.send("tien-do", json!({"text": text, "done": done, "total": total}).to_string());
    }
}

impl crate::Progress for WebProgress<'_> {
    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.say(&format!("Đang đọc {total} biểu mẫu…"));
    }

    fn read(&self, _name: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        if done.is_multiple_of((total / 50).max(1)) || done == total {
            self.say(&format!("Đã đọc {done}/{total} biểu mẫu"));
        }
    }

    fn stage(&self, done: Stage) {
        let text = match done {
            Stage::Templates => "Đã đọc mẫu văn bản",
            Stage::Read => "Đã đọc và kiểm tra từng biểu mẫu",
            Stage::Combine => "Đã ghép các biểu mẫu",
            Stage::Aggregate => "Đã tổng hợp số liệu",
            Stage::Required => "Đã kiểm tra các số liệu văn bản cần",
            Stage::Render => "Đã viết nội dung văn bản",
            Stage::Assemble => "Đã dựng văn bản",
            Stage::Write => "Đã ghi các tệp",
        };
        self.say(text);
    }
}

impl Desk {
    fn build(&self, templates: Templates, draft: bool, pdf: bool) -> Outcome {
        let opts = BuildOptions {
            inputs: self.inputs.clone(),
            templates,
            out: self.output.clone(),
            draft,
            limits: self.limits,
        };
        let progress = WebProgress { desk: self, total: AtomicUsize::new(0), done: AtomicUsize::new(0) };
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match crate::build_with(&opts, &progress) {
            Ok(built) => {
                let now = chrono::Local::now().format("%H:%M:%S");
                let mut lines = vec![format!(
                    "Đã tạo {} văn bản lúc {now}: đọc {} đơn vị, tính {} số liệu.",
                    built.documents.len(),
                    built.units,
                    built.figures
                )];
                let errors = built.diagnostics.iter().filter(|d| d.severity == crate::model::Severity::Error).count();
                if draft && errors > 0 {
                    lines.push(format!(
                        "Bản dự thảo: biểu mẫu còn {errors} lỗi; các số liệu thiếu hoặc bị loại được đánh dấu [thiếu số liệu: …] trong văn bản."
                    ));
                }
                let mut other_files = Vec::new();
                for (wanted, written) in &built.redirected {
                    lines.push(format!(
                        "Tệp «{}» đang mở ở chương trình khác (ví dụ Word) nên không ghi đè được; đã ghi vào «{}».",
                        name(wanted),
                        name(written)
                    ));
                    other_files.push(name(written));
                }
                if pdf {
                    for d in &built.documents {
                        progress.say(&format!("Đang tạo bản PDF của {}…", name(&d.path)));
                        match crate::output::pdf(&d.path) {
                            Ok(p) => lines.push(format!("Đã tạo bản PDF: {}", name(&p))),
                            Err(crate::output::PdfError::NoLibreOffice) => {
                                lines.push("Không tạo được bản PDF: máy chưa cài LibreOffice.".into())
                            }
                            Err(crate::output::PdfError::Failed(e)) => {
                                lines.push(format!("Không tạo được bản PDF: {e:#}"))
                            }
                        }
                    }
                }
                progress.say("Xong.");
                Outcome { ok: true, lines, other_files }
            }
            Err(BuildError::Inputs(diags)) => {
                let errors = diags.iter().filter(|d| d.severity == crate::model::Severity::Error).count();
                progress.say("Chưa ghi văn bản.");
                Outcome {
                    ok: false,
                    lines: vec![format!(
                        "Chưa ghi văn bản: biểu mẫu còn {errors} lỗi (xem trang Kiểm tra). Sửa xong thì tạo lại, \
                         hoặc chọn «Bản dự thảo» để ghi bản có đánh dấu chỗ thiếu số liệu."
                    )],
                    other_files: vec![],
                }
            }
            Err(BuildError::Other(e)) => {
                progress.say("Không tạo được văn bản.");
                Outcome { ok: false, lines: vec![format!("Lỗi: {e:#}")], other_files: vec![] }
            }
        }
    }
}

/// The HTML copy of a document, to show in the page.
pub async fn preview(State(desk): State<Arc<Desk>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(path) = servable(&desk.root, &desk.output, &name, &["html"]) else {
        return refuse(StatusCode::NOT_FOUND, "Không có bản xem trước này; hãy tạo văn bản trước.");
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_POLICY)),
                (header::HeaderName::from_static("x-frame-options"), HeaderValue::from_static("SAMEORIGIN")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refuse(StatusCode::NOT_FOUND, &format!("Không đọc được tệp: {e}")),
    }
}

/// A file of `output/` (a plain name; .docx, .pdf, .xlsx, .csv, .html), as an attachment.
pub async fn download(State(desk): State<Arc<Desk>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(path) = servable(&desk.root, &desk.output, &name, &DOWNLOADS) else {
        return refuse(StatusCode::NOT_FOUND, "Không có tệp này trong thư mục output.");
    };
    let kind = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("pdf") => "application/pdf",
        Some("xlsx") => XLSX,
        Some("csv") => "text/csv; charset=utf-8",
        _ => "text/html; charset=utf-8",
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(kind)), (header::CONTENT_DISPOSITION, attachment(&name))],
            bytes,
        )
            .into_response(),
        Err(e) => refuse(StatusCode::NOT_FOUND, &format!("Không đọc được tệp: {e}")),
    }
}
