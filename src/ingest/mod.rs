//! Finding the submitted workbooks and reading them with calamine into raw,
//! typed cells that remember where they were. No validation happens here.

mod guard;
mod limits;
mod workbook;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

pub use limits::Limits;
pub use workbook::{
    read_workbook, read_workbook_bytes, read_workbook_with, Cell, Field, MetaKey, RawCell, RawMeta, RawRow, RawTable,
    RawWorkbook,
};

/// Why a workbook is not read at all: what is wrong with the file, and
/// what to ask the unit to do. It becomes the file's finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl Refusal {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal { message: message.into(), hint: hint.into() }
    }

    /// The finding about the file named `file` in messages.
    pub fn diagnostic(self, file: &str) -> crate::diag::Diagnostic {
        crate::diag::Diagnostic::error(file, self.message).hint(self.hint)
    }
}

/// A damaged file: the unit saves it again.
impl From<String> for Refusal {
    fn from(message: String) -> Refusal {
        Refusal::new(message, HINT_RESEND)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} — {}", self.message, self.hint)
    }
}

/// What to ask of a unit whose file cannot be read.
pub const HINT_RESEND: &str = "Đề nghị đơn vị mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại";

/// Extensions read as workbooks.
pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Why a file in `inputs/` is not read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// The workbooks under `dir`, in a stable order (by path), and the files
/// that were passed over with the reason (so nothing disappears silently).
/// More workbooks than the default limit ([`Limits::max_files`]) is an
/// error: nothing is read.
pub fn discover(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>)> {
    discover_with(dir, &Limits::default())
}

/// [`discover`] within `limits`.
pub fn discover_with(dir: &Path, limits: &Limits) -> Result<(Vec<PathBuf>, Vec<Skipped>)> {
    if !dir.is_dir() {
        bail!("không tìm thấy thư mục biểu mẫu «{}»", dir.display());
    }
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                skipped.push(Skipped { path, reason: format!("không đọc được: {e}") });
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            continue;
        }
        // hidden files, and the lock files Excel ("~$…") and LibreOffice
        // (".~lock…") keep while a workbook is open: not the clerk's files
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if !entry.file_type().is_file() {
            // a device, a named pipe (FIFO) or a socket: never opened (reading
            // one could block), never silently passed over
            skipped.push(Skipped {
                path: path.to_path_buf(),
                reason: "không phải tệp thường (thiết bị, ống dẫn FIFO hay socket) nên không đọc".into(),
            });
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if !EXTENSIONS.contains(&ext.as_str()) {
            skipped.push(Skipped {
                path: path.to_path_buf(),
                reason: "không phải tệp bảng tính (.xlsx, .xls, .xlsm, .ods)".into(),
            });
            continue;
        }
        found.push(path.to_path_buf());
        if found.len() > limits.max_files {
            // stop walking: a folder of millions of files is not read at all
            bail!(limits::too_many_files(found.len(), &dir.display().to_string(), limits));
        }
    }
    Ok((found, skipped))
}

/// Reads the workbooks at `paths` (found under `dir`) on every core, within
/// `limits`, and hands each to `then` with the name
/// used in messages as soon as it is read, so that a workbook need not be
/// kept once `then` has taken what it needs. Results are in the order of
/// `paths`; `read` hears of each file once, by name.
pub fn read_each<T: Send>(
    dir: &Path,
    paths: &[PathBuf],
    limits: &Limits,
    read: &(dyn Fn(&str) + Sync),
    then: impl Fn(String, Result<RawWorkbook, Refusal>) -> T + Sync,
) -> Vec<T> {
    paths
        .par_iter()
        .map(|path| {
            let name = display_name(dir, path);
            let result = read_workbook_with(path, &name, limits);
            read(&name);
            then(name, result)
        })
        .collect()
}

/// How a path is named in messages: relative to the inputs folder, with `/`.
pub fn display_name(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    crate::vi::sanitize_inline(&parts.join("/"))
}
