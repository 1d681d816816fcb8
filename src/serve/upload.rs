//! Nộp biểu mẫu: workbooks sent from the page, each read and checked before
//! it is stored, stored atomically under a name made from its unit code,
//! the unit's earlier file moved aside (never deleted); and the blank forms.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::guard::{attachment, refuse};
use super::pages::{render, XLSX};
use super::{Desk, MAX_UPLOAD_FILES};
use crate::config::ReportDef;
use crate::model::Severity;

/// Nộp biểu mẫu.
pub async fn page(State(desk): State<Arc<Desk>>) -> Response {
    let snap = desk.snapshot();
    let units: Vec<serde_json::Value> = snap
        .units
        .iter()
        .map(|u| serde_json::json!({"ma": u.code, "ten": u.name, "ten_ngan": u.short_name, "trang_thai": u.status.label(), "lop": u.status.class()}))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("trang", "nop");
    ctx.insert("don_vi", &units);
    ctx.insert("toi_da", &MAX_UPLOAD_FILES);
    ctx.insert("toi_da_mb", &(desk.limits.max_file_bytes / 1_000_000));
    render(&desk, "nop.html", ctx)
}

/// What became of one file sent.
#[derive(Debug, Serialize)]
pub struct Received {
    /// The name it was sent with (shown, never used as a path).
    #[serde(rename = "ten_gui")]
    pub sent_name: String,
    /// Stored as (relative to the working folder), when accepted.
    #[serde(rename = "luu")]
    pub stored: Option<String>,
    #[serde(rename = "ma")]
    pub code: String,
    #[serde(rename = "don_vi")]
    pub unit: String,
    /// Why it was refused.
    #[serde(rename = "tu_choi")]
    pub rejected: Option<String>,
    /// Earlier files moved aside: (from, to), relative to the working folder.
    #[serde(rename = "chuyen")]
    pub moved: Vec<(String, String)>,
    /// Findings about the stored file after checking: (level, class, text).
    #[serde(rename = "ket_qua")]
    pub result: Vec<(String, String, String)>,
    #[serde(rename = "trang_thai")]
    pub status: String,
    #[serde(rename = "lop")]
    pub class: String,
}

impl Received {
    fn refused(name: &str, why: impl Into<String>) -> Received {
        Received {
            sent_name: name.to_string(),
            stored: None,
            code: String::new(),
            unit: String::new(),
            rejected: Some(why.into()),
            moved: Vec::new(),
            result: Vec::new(),
            status: String::new(),
            class: String::new(),
        }
    }
}

fn body_error(e: MultipartError, limit_mb: u64) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("Các tệp gửi một lần quá lớn. Mỗi tệp tối đa {limit_mb} MB; hãy gửi ít tệp hơn mỗi lần."),
        );
    }
    refuse(StatusCode::BAD_REQUEST, &format!("Không nhận được các tệp gửi lên: {}", e.body_text()))
}

/// The files of one upload (multipart, field name any, one or many).
pub async fn receive(State(desk): State<Arc<Desk>>, mut form: Multipart) -> Response {
    let max = desk.limits.max_file_bytes;
    let max_mb = (max / 1_000_000).max(1);
    let mut files: Vec<(String, Result<Vec<u8>, String>)> = Vec::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return body_error(e, max_mb),
        };
        let Some(name) = field.file_name().map(str::to_string) else { continue };
        if files.len() == MAX_UPLOAD_FILES {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("Mỗi lần nộp nhiều nhất {MAX_UPLOAD_FILES} tệp; hãy chia thành nhiều lần."),
            );
        }
        let mut bytes = Vec::new();
        let mut too_big = false;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if !too_big => {
                    if (bytes.len() + chunk.len()) as u64 > max {
                        too_big = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => return body_error(e, max_mb),
            }
        }
        let got = if too_big {
            Err(format!("tệp lớn hơn {max_mb} MB, giới hạn của chương trình (biến môi trường BAOCAO_MAX_FILE_MB)"))
        } else {
            Ok(bytes)
        };
        files.push((name, got));
    }
    if files.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, "Chưa chọn tệp nào để nộp.");
    }
    let _busy = desk.busy.lock().await;
    let worker = desk.clone();
    let received = match tokio::task::spawn_blocking(move || worker.store(files)).await {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &format!("Lỗi khi lưu tệp: {e}")),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("tep", &received);
    ctx.insert("da_luu", &received.iter().filter(|r| r.stored.is_some()).count());
    render(&desk, "_ket-qua-nop.html", ctx)
}

/// A name sent by a browser is a bare file name; anything else is refused.
fn plain_name(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\', '\0'])
        || name.chars().any(char::is_control)
        || name.starts_with('.')
        || Path::new(name).is_absolute()
        || Path::new(name).components().any(|c| !matches!(c, Component::Normal(_)));
    if bad {
        Err("tên tệp không hợp lệ (có đường dẫn thư mục, «..» hoặc ký tự điều khiển)".into())
    } else {
        Ok(())
    }
}

/// A path relative to `base` from a name the check gave ("huyen/VQU.xlsx"),
/// when it stays inside it.
fn inside(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = base.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        p.push(part);
    }
    Some(p)
}

impl Desk {
    /// Checks and stores the files of one upload, then checks the inputs
    /// again; what became of each.
    fn store(&self, files: Vec<(String, Result<Vec<u8>, String>)>) -> Vec<Received> {
        let def = match self.definitions() {
            Ok((mut d, _)) => d.remove(0),
            Err(e) => {
                let why = format!("không đọc được mẫu văn bản: {e:#}");
                return files.iter().map(|(n, _)| Received::refused(n, why.clone())).collect();
            }
        };
        let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S").to_string();
        // files stored by this upload, by unit: a second file of a unit replaces the first
        let mut batch: Vec<(String, String)> = Vec::new();
        let mut received: Vec<Received> = files
            .into_iter()
            .map(|(name, bytes)| {
                let shown = crate::vi::sanitize_inline(&name);
                match bytes.and_then(|b| self.accept(&def, &name, &b, &stamp, &mut batch)) {
                    Ok(mut r) => {
                        r.sent_name = shown;
                        r
                    }
                    Err(why) => Received::refused(&shown, why),
                }
            })
            .collect();
        self.refresh();
        let snap = self.snapshot();
        for r in received.iter_mut().filter(|r| r.stored.is_some()) {
            let stored = r.stored.as_deref().and_then(|p| p.strip_prefix("inputs/")).unwrap_or_default().to_string();
            r.result = snap
                .findings(|d, _| d.file == stored)
                .into_iter()
                .map(|(d, _)| {
                    let mut place = Vec::new();
                    if let Some(s) = &d.sheet {
                        place.push(format!("trang «{s}»"));
                    }
                    if let Some(c) = &d.cell {
                        place.push(format!("ô {c}"));
                    }
                    let mut text = place.join(", ");
                    if !text.is_empty() {
                        text.push_str(": ");
                    }
                    text.push_str(&d.message);
                    if !d.hint.is_empty() {
                        text.push_str(&format!(" — {}", d.hint));
                    }
                    let class = if d.severity == Severity::Error { "loi" } else { "canh-bao" };
                    (d.severity.label().to_string(), class.to_string(), text)
                })
                .collect();
            if let Some(u) = snap.unit(&r.code) {
                r.status = u.status.label().to_string();
                r.class = u.status.class().to_string();
            }
        }
        received
    }

    /// One file: read and checked as the reader would, then stored as
    /// `inputs/<MÃ>-<tên>.<đuôi>`, the unit's earlier files moved to
    /// `ban-cu/<time>/`.
    fn accept(
        &self,
        def: &ReportDef,
        name: &str,
        bytes: &[u8],
        stamp: &str,
        batch: &mut Vec<(String, String)>,
    ) -> Result<Received, String> {
        plain_name(name)?;
        let ext = Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if !crate::ingest::EXTENSIONS.contains(&ext.as_str()) {
            return Err("không phải tệp bảng tính: chỉ nhận tệp .xlsx, .xls, .xlsm hoặc .ods".into());
        }
        // size, type (magic bytes), zip bombs, cell counts: the reader's own checks
        let shown = crate::vi::sanitize_inline(name);
        let raw = crate::ingest::read_workbook_bytes(bytes, &ext, &shown, &self.limits).map_err(|r| r.to_string())?;
        let one = crate::model::check_one(def, &raw);
        let Some(code) = one.sender else {
            let why = one
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| if d.hint.is_empty() { d.message.clone() } else { format!("{} — {}", d.message, d.hint) })
                .unwrap_or_else(|| "không nhận ra đơn vị gửi (ô «Mã đơn vị»)".into());
            return Err(why);
        };
        let unit = def.units.get(&code).ok_or("mã đơn vị không có trong danh sách đơn vị")?;
        let slug = crate::vi::fold(&unit.name_in_text).replace(' ', "-");
        let clean = crate::output::safe_file_name(&format!("{}-{slug}.{ext}", unit.code));
        let target = self.inputs.join(&clean);
        // the folder itself must be the real inputs/ (not a link elsewhere)
        match std::fs::symlink_metadata(&self.inputs) {
            Ok(m) if m.is_dir() => {}
            _ => return Err("thư mục inputs không còn là thư mục thật; không lưu".into()),
        }
        let fail = |e: std::io::Error| format!("không lưu được vào thư mục inputs: {e}");
        let mut tmp =
            tempfile::Builder::new().prefix(".baocao-nop-").suffix(".tmp").tempfile_in(&self.inputs).map_err(fail)?;
        tmp.write_all(bytes).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        // the unit's earlier files, and whatever holds the name
        let snap = self.snapshot();
        let mut earlier: Vec<String> = snap.unit_files.get(&unit.code).cloned().unwrap_or_default();
        earlier.extend(
            batch
                .iter()
                .filter(|(u, f)| *u == unit.code && !earlier.contains(f))
                .map(|(_, f)| f.clone())
                .collect::<Vec<_>>(),
        );
        if std::fs::symlink_metadata(&target).is_ok() && !earlier.contains(&clean) {
            earlier.push(clean.clone());
        }
        let mut moved = Vec::new();
        for rel in earlier {
            let Some(from) = inside(&self.inputs, &rel) else { continue };
            if std::fs::symlink_metadata(&from).is_err() {
                continue;
            }
            let to =
                self.aside(stamp, &rel).map_err(|e| format!("không chuyển được bản cũ «{rel}» sang ban-cu: {e}"))?;
            let to_rel = to.strip_prefix(&self.root).unwrap_or(&to).to_string_lossy().replace('\\', "/");
            moved.push((format!("inputs/{rel}"), to_rel));
        }
        tmp.persist(&target).map_err(|e| fail(e.error))?;
        batch.push((unit.code.clone(), clean.clone()));
        Ok(Received {
            sent_name: String::new(),
            stored: Some(format!("inputs/{clean}")),
            code: unit.code.clone(),
            unit: unit.name.clone(),
            rejected: None,
            moved,
            result: Vec::new(),
            status: String::new(),
            class: String::new(),
        })
    }

    /// Moves `inputs/<rel>` to `ban-cu/<stamp>/<rel>` (a free name there);
    /// the link itself when it is one, never what it points to.
    fn aside(&self, stamp: &str, rel: &str) -> std::io::Result<PathBuf> {
        let from = inside(&self.inputs, rel).ok_or(std::io::ErrorKind::InvalidInput)?;
        let base = inside(&self.old.join(stamp), rel).ok_or(std::io::ErrorKind::InvalidInput)?;
        if let Some(parent) = base.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut to = base.clone();
        let mut n = 2;
        while std::fs::symlink_metadata(&to).is_ok() {
            let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let ext = base.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
            to = base.with_file_name(format!("{stem} ({n}){ext}"));
            n += 1;
        }
        match std::fs::rename(&from, &to) {
            Ok(()) => Ok(to),
            // another disk: copy, then remove the original (a link is not copied through)
            Err(_) if !std::fs::symlink_metadata(&from)?.file_type().is_symlink() => {
                std::fs::copy(&from, &to)?;
                std::fs::remove_file(&from)?;
                Ok(to)
            }
            Err(e) => Err(e),
        }
    }
}

/// One unit's blank form (`baocao forms` writes the same bytes).
pub async fn one_form(State(desk): State<Arc<Desk>>, UrlPath(code): UrlPath<String>) -> Response {
    let code = code.trim_end_matches(".xlsx").to_string();
    let made = tokio::task::spawn_blocking(move || {
        let maker = desk.form_maker()?;
        let unit = maker.unit(&code).ok_or_else(|| anyhow::anyhow!("không có đơn vị mã «{code}»"))?;
        maker.file(unit)
    })
    .await;
    match made {
        Ok(Ok((name, bytes))) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(XLSX)), (header::CONTENT_DISPOSITION, attachment(&name))],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => refuse(StatusCode::NOT_FOUND, &format!("{e:#}")),
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// Every unit's blank form in one zip.
pub async fn all_forms(State(desk): State<Arc<Desk>>) -> Response {
    let made = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
        let maker = desk.form_maker()?;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        // a fixed time: the same forms give the same zip
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for unit in maker.units() {
            let (name, bytes) = maker.file(unit)?;
            zip.start_file(name, options)?;
            zip.write_all(&bytes)?;
        }
        Ok(zip.finish()?.into_inner())
    })
    .await;
    match made {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/zip")),
                (header::CONTENT_DISPOSITION, attachment("bieu-mau.zip")),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &format!("Không tạo được các biểu mẫu: {e:#}")),
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sent() {
        assert!(plain_name("VQU-van-quan.xlsx").is_ok());
        assert!(plain_name("Báo cáo huyện Văn Quan (bản sửa).xlsx").is_ok());
        for bad in ["../x.xlsx", "..", "/etc/x.xlsx", "a/b.xlsx", "a\\b.xlsx", "C:\\x.xlsx", ".x.xlsx", "", "a\0.xlsx"]
        {
            assert!(plain_name(bad).is_err(), "{bad:?}");
        }
        let base = Path::new("/w/inputs");
        assert_eq!(inside(base, "huyen/VQU.xlsx"), Some(PathBuf::from("/w/inputs/huyen/VQU.xlsx")));
        assert_eq!(inside(base, "../x"), None);
        assert_eq!(inside(base, "a//b"), None);
    }
}
