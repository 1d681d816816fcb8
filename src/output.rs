//! Writing output files safely: a temporary file in the same folder, renamed
//! into place, so an interrupted build never leaves a half-written file.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `bytes` to `path` atomically (temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".baocao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("không ghi được vào thư mục «{}»", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("không ghi được tệp tạm trong «{}»", dir.display()))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("không ghi được «{}» (tệp có đang mở trong Word không?)", path.display()))?;
    Ok(())
}
