//! Writing output files safely: a temporary file in the same folder, renamed
//! into place, so an interrupted build never leaves a half-written file; a
//! target held open by another program (Word on Windows) gets a numbered
//! sibling instead; and the PDF copy through LibreOffice.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail, Context, Result};

const TEMP_PREFIX: &str = ".baocao-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically (temp file + rename). When `path`
/// cannot be replaced (open in Word on Windows), writes "name (2).ext",
/// "name (3).ext"… instead. Returns the path actually written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
    remove_stale_temps(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .with_context(|| format!("không ghi được vào thư mục «{}»", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("không ghi được tệp tạm trong «{}»", dir.display()))?;
    tmp.as_file().sync_all().ok();
    // lets the crash-safety test kill a build right before the rename
    if let Some(ms) = std::env::var("BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(Duration::from_millis(ms));
    }
    let mut tmp = match tmp.persist(path) {
        Ok(_) => return Ok(path.to_path_buf()),
        Err(e) if path.exists() => e.file,
        Err(e) => {
            return Err(anyhow!("không ghi được «{}»: {}", path.display(), e.error));
        }
    };
    for n in 2..=50 {
        let sibling = numbered(path, n);
        if sibling.exists() {
            continue;
        }
        match tmp.persist_noclobber(&sibling) {
            Ok(_) => return Ok(sibling),
            Err(e) => tmp = e.file,
        }
    }
    bail!("không ghi được «{}»: tệp đang mở ở chương trình khác; đóng tệp rồi chạy lại", path.display())
}

/// "ke-hoach (2).docx" for n = 2.
fn numbered(path: &Path, n: u32) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem} ({n}).{}", ext.to_string_lossy()),
        None => format!("{stem} ({n})"),
    };
    path.with_file_name(name)
}

/// Temp files of builds that were killed (older than ten minutes).
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let cutoff = SystemTime::now() - Duration::from_secs(600);
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            if let Ok(modified) = e.metadata().and_then(|m| m.modified()) {
                if modified < cutoff {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }
}

/// A file name valid on Windows too: reserved characters and names,
/// control characters and trailing dots or spaces removed.
pub fn safe_file_name(name: &str) -> String {
    let mut s: String =
        name.chars()
            .map(|c| {
                if matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
    while s.ends_with(['.', ' ']) {
        s.pop();
    }
    let upper = s.to_uppercase();
    let base = upper.split('.').next().unwrap_or("");
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&base)
        || (base.len() == 4
            && (base.starts_with("COM") || base.starts_with("LPT"))
            && base.as_bytes()[3].is_ascii_digit());
    if reserved || s.is_empty() {
        s.insert(0, '_');
    }
    s
}

/// Why no PDF was made.
#[derive(Debug)]
pub enum PdfError {
    /// LibreOffice is not installed (or not on PATH).
    NoLibreOffice,
    Failed(anyhow::Error),
}

/// Converts `docx` to a PDF beside it with LibreOffice (written through a
/// temporary folder and renamed into place). Returns the PDF path.
pub fn pdf(docx: &Path) -> Result<PathBuf, PdfError> {
    let soffice = find_soffice().ok_or(PdfError::NoLibreOffice)?;
    let dir = docx.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let work = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(dir).map_err(|e| PdfError::Failed(e.into()))?;
    let profile = tempfile::tempdir().map_err(|e| PdfError::Failed(e.into()))?;
    let profile_url =
        format!("file:///{}", profile.path().display().to_string().replace('\\', "/").trim_start_matches('/'));
    let out = Command::new(&soffice)
        .arg(format!("-env:UserInstallation={profile_url}"))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(docx)
        .output()
        .map_err(|e| PdfError::Failed(anyhow!("không chạy được LibreOffice: {e}")))?;
    let stem = docx.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let made = work.path().join(format!("{stem}.pdf"));
    if !out.status.success() || !made.is_file() {
        return Err(PdfError::Failed(anyhow!(
            "LibreOffice không chuyển được sang PDF: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let bytes = fs::read(&made).map_err(|e| PdfError::Failed(e.into()))?;
    write_atomic(&docx.with_extension("pdf"), &bytes).map_err(PdfError::Failed)
}

fn find_soffice() -> Option<PathBuf> {
    let names = if cfg!(windows) { ["soffice.exe", "soffice.com"] } else { ["soffice", "libreoffice"] };
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    if cfg!(windows) {
        for base in ["C:\\Program Files\\LibreOffice\\program", "C:\\Program Files (x86)\\LibreOffice\\program"] {
            let p = Path::new(base).join("soffice.exe");
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_on_windows() {
        assert_eq!(safe_file_name("ke-hoach-nam-2024"), "ke-hoach-nam-2024");
        assert_eq!(safe_file_name("báo cáo: 6/2023?"), "báo cáo- 6-2023-");
        assert_eq!(safe_file_name("CON"), "_CON");
        assert_eq!(safe_file_name("com1.docx"), "_com1.docx");
        assert_eq!(safe_file_name("tên. "), "tên");
    }

    #[test]
    fn a_target_that_cannot_be_replaced_gets_a_numbered_sibling() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("ke-hoach.docx");
        // a directory in the way stands for a file held open by Word
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"x").unwrap();
        let written = write_atomic(&target, b"new").unwrap();
        assert_eq!(written, dir.path().join("ke-hoach (2).docx"));
        assert_eq!(fs::read(&written).unwrap(), b"new");
        let again = write_atomic(&target, b"newer").unwrap();
        assert_eq!(again, dir.path().join("ke-hoach (3).docx"));
        // no temp file left behind
        let temps = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count();
        assert_eq!(temps, 0);
    }
}
