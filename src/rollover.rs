//! `baocao ky-moi`: from one period to the next without a developer.
//!
//! The finished period's `inputs/` and `output/` move into
//! `luu-tru/<năm>-<kỳ>/` with a copy of the templates it was written from;
//! the period's data files (`van-ban.toml`, `nhan-dinh.toml`) are archived
//! and left fresh, with last period's entries as comments; the period in
//! `chung.toml` advances (toml_edit keeps the clerk's comments and layout);
//! last period's number and signing date are cleared; the new blank forms
//! are written (last year's figures filled in from the archive); and the
//! templates' lines that still hold a literal year, date, document number
//! or figure are listed for review.
//!
//! Nothing is deleted. Folders move by renaming (atomic on one file
//! system); any failure puts back everything done so far.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use crate::config::{DOCUMENTS_FILE, NARRATIVE_FILE, SHARED_SETTINGS};
use crate::period::Period;
use crate::review::ReviewLine;

/// Where a working folder's things are.
#[derive(Debug, Clone)]
pub struct Folders {
    /// The templates folder (chung.toml, one folder per kind).
    pub templates: PathBuf,
    pub inputs: PathBuf,
    pub output: PathBuf,
}

/// What moving to a new period did (or, for a trial, would do).
#[derive(Debug, Clone)]
pub struct Rollover {
    pub from: Period,
    pub to: Period,
    /// `luu-tru/<năm>-<kỳ>` of the finished period.
    pub archive: PathBuf,
    /// (from, to) of each folder moved.
    pub moved: Vec<(PathBuf, PathBuf)>,
    /// Settings files changed (the period; last period's number and date).
    pub edited: Vec<PathBuf>,
    /// Data files archived and left fresh.
    pub renewed: Vec<PathBuf>,
    /// The new blank forms.
    pub forms: Vec<PathBuf>,
    /// Template lines to review.
    pub review: Vec<ReviewLine>,
}

/// Moves the working folder to period `to` (default: the same kind of
/// period one year on). With `trial`, changes nothing and says what would
/// be done.
pub fn new_period(
    folders: &Folders,
    to: Option<Period>,
    trial: bool,
    limits: &crate::ingest::Limits,
) -> Result<Rollover> {
    let root = &folders.templates;
    let defs = crate::Templates::All(root.clone())
        .load_all()
        .context("mẫu văn bản của kỳ hiện tại chưa đọc được, sửa lỗi trên rồi chạy lại «baocao ky-moi»")?;
    let from = *defs[0].period();
    let to = to.unwrap_or_else(|| from.next_year());
    if to.end() <= from.end() {
        bail!(
            "kỳ mới ({}) phải sau kỳ hiện tại ({}); ghi kỳ mới bằng --ky, ví dụ --ky \"{}\"",
            to.phrase(),
            from.phrase(),
            from.next_year().phrase()
        );
    }
    let archive_root = crate::archive::root_for(&folders.inputs);
    let archive = archive_root.join(from.slug());
    if archive.exists() {
        bail!(
            "đã có thư mục lưu trữ «{}» của kỳ {}: không ghi đè. Nếu đã sang kỳ mới rồi thì không cần chạy lại; \
             nếu muốn làm lại, đổi tên thư mục đó trước",
            archive.display(),
            from.phrase()
        );
    }

    // every new text first, so nothing is touched until all are ready
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    let settings = period_file(root)?;
    let text = read(&settings)?;
    writes.push((settings.clone(), set_period(&text, &to).with_context(|| format!("«{}»", settings.display()))?));
    for kind in crate::kinds_in(root)? {
        let path = root.join(&kind).join("report.toml");
        let text = read(&path)?;
        if let Some(new) = clear_signature(&text).with_context(|| format!("«{}»", path.display()))? {
            writes.push((path, new));
        }
    }
    let mut renewed = Vec::new();
    for (name, fresh) in
        [(DOCUMENTS_FILE, fresh_documents as fn(&str, &Period) -> String), (NARRATIVE_FILE, fresh_narrative)]
    {
        let path = root.join(name);
        let old = if path.is_file() { read(&path)? } else { String::new() };
        writes.push((path.clone(), fresh(&old, &to)));
        renewed.push(path);
    }
    let moves: Vec<(PathBuf, PathBuf)> = [(&folders.inputs, "inputs"), (&folders.output, "output")]
        .into_iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, name)| (p.clone(), archive.join(name)))
        .collect();
    let mut done = Rollover {
        from,
        to,
        archive: archive.clone(),
        moved: moves.clone(),
        edited: writes.iter().map(|(p, _)| p.clone()).filter(|p| !renewed.contains(p)).collect(),
        renewed,
        forms: Vec::new(),
        review: Vec::new(),
    };
    let shown = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "templates".into());
    // the new settings must load before anything is touched: a copy of the
    // templates with the new texts
    let scratch = tempfile::tempdir().context("không tạo được thư mục tạm")?;
    let trial_root = scratch.path().join(&shown);
    copy_tree(root, &trial_root)?;
    for (path, text) in &writes {
        let rel = path.strip_prefix(root).unwrap_or(path);
        fs::write(trial_root.join(rel), text)?;
    }
    crate::Templates::All(trial_root).load_all().map_err(|e| {
        anyhow!(
            "mẫu văn bản sẽ không đọc được ở kỳ {}: {e:#}\nSửa lỗi đó trong «{}» rồi chạy lại «baocao ky-moi» (chưa thay đổi gì)",
            to.phrase(),
            root.display()
        )
    })?;
    if trial {
        done.review = crate::review::scan(root, &shown)?;
        return Ok(done);
    }

    let mut journal = Journal::default();
    let result = (|| -> Result<Vec<PathBuf>> {
        fs::create_dir_all(&archive_root)
            .with_context(|| format!("không tạo được thư mục «{}»", archive_root.display()))?;
        fs::create_dir(&archive).with_context(|| format!("không tạo được thư mục «{}»", archive.display()))?;
        journal.created.push(archive.clone());
        for (from, to) in &moves {
            fs::rename(from, to).map_err(|e| {
                anyhow!(
                    "không chuyển được «{}» vào «{}»: {e}. Đóng các tệp đang mở trong thư mục đó (Excel, Word) rồi chạy lại",
                    from.display(),
                    to.display()
                )
            })?;
            journal.moved.push((from.clone(), to.clone()));
        }
        // the templates the finished period was written from, for the record
        let copy = archive.join(&shown);
        copy_tree(root, &copy)?;
        journal.created.push(copy);
        for dir in [&folders.inputs, &folders.output] {
            if !dir.exists() {
                fs::create_dir_all(dir).with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
                journal.created.push(dir.clone());
            }
        }
        for (path, text) in &writes {
            let before = fs::read(path).ok();
            replace_file(path, text.as_bytes())?;
            journal.written.push((path.clone(), before));
        }
        let defs = crate::Templates::All(root.clone()).load_all().context("mẫu văn bản của kỳ mới không đọc được")?;
        let forms = crate::write_forms_with(&defs, &folders.output.join("bieu-mau"), Some(&folders.inputs), limits)?;
        fail_at_the_end()?;
        Ok(forms)
    })();
    match result {
        Ok(forms) => done.forms = forms,
        Err(e) => {
            let undone = journal.undo();
            return Err(match undone {
                Ok(()) => e.context("chưa sang kỳ mới; mọi thứ đã được để lại như trước"),
                Err(u) => e.context(format!("chưa sang kỳ mới, và KHÔNG trả lại được như trước: {u:#}")),
            });
        }
    }
    done.review = crate::review::scan(root, &shown)?;
    Ok(done)
}

/// What was done, to undo it in reverse on failure.
#[derive(Default)]
struct Journal {
    /// Folders made (removed again when undoing; they hold only what we put there).
    created: Vec<PathBuf>,
    moved: Vec<(PathBuf, PathBuf)>,
    /// Files replaced, with their previous bytes (None: there was none).
    written: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl Journal {
    fn undo(self) -> Result<()> {
        let mut errors = Vec::new();
        for (path, before) in self.written.into_iter().rev() {
            let r = match before {
                Some(bytes) => replace_file(&path, &bytes),
                None => fs::remove_file(&path).map_err(Into::into),
            };
            if let Err(e) = r {
                errors.push(format!("«{}»: {e:#}", path.display()));
            }
        }
        // folders made for the new period (fresh inputs/, output/ with its forms)
        // go before the old ones come back
        let (fresh, archive): (Vec<PathBuf>, Vec<PathBuf>) = self
            .created
            .into_iter()
            .partition(|p| !self.moved.iter().any(|(_, to)| p.starts_with(to) || to.starts_with(p)));
        for dir in fresh.iter().rev() {
            if let Err(e) = fs::remove_dir_all(dir) {
                errors.push(format!("«{}»: {e}", dir.display()));
            }
        }
        for (from, to) in self.moved.iter().rev() {
            if let Err(e) = fs::rename(to, from) {
                errors.push(format!("«{}» → «{}»: {e}", to.display(), from.display()));
            }
        }
        // only if empty: an archive folder whose contents did not go back stays
        for dir in archive.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(anyhow!("{}", errors.join("; ")))
        }
    }
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("không đọc được «{}»", path.display()))
}

/// Replaces `path` with `bytes` through a temporary file renamed into place;
/// unlike an output, a settings file held open is an error (never a copy
/// beside it).
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".baocao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("không ghi được vào thư mục «{}»", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| anyhow!("không ghi được «{}»: {}", path.display(), e.error))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target).with_context(|| format!("không chép được «{}»", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The file that states the period: chung.toml, unless it has no
/// `[ky_bao_cao]` (then the kind whose report.toml has it).
fn period_file(root: &Path) -> Result<PathBuf> {
    let shared = root.join(SHARED_SETTINGS);
    let has = |p: &Path| fs::read_to_string(p).ok().is_some_and(|t| t.lines().any(|l| l.trim() == "[ky_bao_cao]"));
    if has(&shared) {
        return Ok(shared);
    }
    for kind in crate::kinds_in(root)? {
        let p = root.join(kind).join("report.toml");
        if has(&p) {
            return Ok(p);
        }
    }
    bail!("không tìm thấy [ky_bao_cao] trong «{}»", shared.display())
}

/// Sets `[ky_bao_cao]` to `to`, keeping every comment and the layout.
pub fn set_period(text: &str, to: &Period) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| anyhow!("viết chưa đúng: {e}"))?;
    let table =
        doc.get_mut("ky_bao_cao").and_then(|t| t.as_table_mut()).ok_or_else(|| anyhow!("không có mục [ky_bao_cao]"))?;
    set_keeping_comment(table, "nam", toml_edit::Value::from(to.year as i64));
    set_keeping_comment(table, "ky", toml_edit::Value::from(to.kind_words()));
    Ok(doc.to_string())
}

/// Clears last period's number and signing date of a report.toml; `None`
/// when there is nothing to clear.
pub fn clear_signature(text: &str) -> Result<Option<String>> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| anyhow!("viết chưa đúng: {e}"))?;
    let Some(document) = doc.get_mut("van_ban").and_then(|t| t.as_table_mut()) else { return Ok(None) };
    let mut changed = false;
    for key in ["so", "ngay"] {
        if document.get(key).and_then(|v| v.as_str()).is_some_and(|s| !s.trim().is_empty()) {
            set_keeping_comment(document, key, toml_edit::Value::from(""));
            changed = true;
        }
    }
    Ok(changed.then(|| doc.to_string()))
}

fn set_keeping_comment(table: &mut toml_edit::Table, key: &str, mut value: toml_edit::Value) {
    match table.get_mut(key).and_then(|i| i.as_value_mut()) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, toml_edit::Item::Value(value));
        }
    }
}

/// The period line of a data file: `ky = "6 tháng đầu năm 2024"`.
fn period_line(to: &Period) -> String {
    format!("ky = \"{}\"", to.phrase())
}

/// A fresh `van-ban.toml`: the old one's comments, the new period, and last
/// period's documents as comments to copy from.
pub fn fresh_documents(old: &str, to: &Period) -> String {
    let mut head = Vec::new();
    let mut body = Vec::new();
    let mut in_body = false;
    for line in old.lines() {
        let t = line.trim_start();
        if t.starts_with("[[van_ban]]") {
            in_body = true;
        }
        if in_body {
            body.push(if t.is_empty() { String::new() } else { format!("# {line}") });
        } else if t.starts_with("ky ") || t.starts_with("ky=") {
            continue;
        } else {
            head.push(line.to_string());
        }
    }
    while head.last().is_some_and(|l| l.trim().is_empty()) {
        head.pop();
    }
    if head.is_empty() {
        head.push(
            "# Văn bản dẫn trong kỳ báo cáo mà không đơn vị nào ghi trong trang «Văn bản» (xem docs/mau-van-ban.md)."
                .into(),
        );
    }
    let mut out = head.join("\n");
    out.push_str("\n\n");
    out.push_str(&period_line(to));
    out.push('\n');
    if !body.is_empty() {
        out.push_str("\n# Văn bản của kỳ trước, để tham khảo: chép khối nào cần, bỏ dấu # và sửa số, ngày, trích yếu cho kỳ mới.\n\n");
        out.push_str(&body.join("\n"));
        out.push('\n');
    }
    out
}

/// A fresh `nhan-dinh.toml`: the old one's comments, the new period, and
/// every key of last period commented out (so `check` asks for each until
/// the clerk writes it, with last period's text beside it as a model).
pub fn fresh_narrative(old: &str, to: &Period) -> String {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_multiline = false;
    let mut wrote_period = false;
    for line in old.lines() {
        let t = line.trim_start();
        if in_multiline {
            out.push(format!("# {line}"));
            if t.contains("\"\"\"") {
                in_multiline = false;
            }
            continue;
        }
        if t.starts_with('[') {
            section = t.to_string();
            if !wrote_period {
                out.push(period_line(to));
                out.push(String::new());
                wrote_period = true;
            }
            out.push(line.to_string());
            if section.starts_with("[nhan_dinh]") {
                out.push("# Kỳ mới: viết từng đoạn cho kỳ này (bỏ dấu # ở đầu dòng khóa rồi sửa nội dung); để \"\" nếu kỳ này không có.".into());
            }
            continue;
        }
        if section.is_empty() && (t.starts_with("ky ") || t.starts_with("ky=")) {
            continue;
        }
        if section.starts_with("[nhan_dinh]") && !t.is_empty() && !t.starts_with('#') && t.contains('=') {
            out.push(format!("# {line}"));
            in_multiline = t.matches("\"\"\"").count() == 1;
            continue;
        }
        out.push(line.to_string());
    }
    if !wrote_period {
        out.push(period_line(to));
        out.push(String::new());
        out.push("[nhan_dinh]".into());
    }
    // one blank line where the old period line left two
    let mut text = out.join("\n") + "\n";
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

/// Lets the tests see a failure at the last step undone
/// (`BAOCAO_TEST_FAIL_KY_MOI`). Debug builds only.
#[cfg(debug_assertions)]
fn fail_at_the_end() -> Result<()> {
    if std::env::var_os("BAOCAO_TEST_FAIL_KY_MOI").is_some() {
        bail!("lỗi thử (BAOCAO_TEST_FAIL_KY_MOI)");
    }
    Ok(())
}

#[cfg(not(debug_assertions))]
fn fail_at_the_end() -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_moves_and_the_comments_stay() {
        let text = "# đầu tệp\n[van_ban]\nma_co_quan = \"SNN\"  # ký hiệu\n\n# Kỳ báo cáo\n[ky_bao_cao]\nnam = 2023   # năm\nky = \"6 tháng\"\n";
        let to = Period::new(2024, "cả năm").unwrap();
        let new = set_period(text, &to).unwrap();
        assert_eq!(new, text.replace("nam = 2023", "nam = 2024").replace("\"6 tháng\"", "\"cả năm\""));
    }

    #[test]
    fn last_periods_number_and_date_are_cleared() {
        let text = "[van_ban]\nso = \"05\"        # số\nngay = \"2023-07-05\" # ngày\nten_tep = \"x-{{ nam }}\"\n";
        let new = clear_signature(text).unwrap().unwrap();
        assert_eq!(new, "[van_ban]\nso = \"\"        # số\nngay = \"\" # ngày\nten_tep = \"x-{{ nam }}\"\n");
        assert_eq!(clear_signature("[van_ban]\nso = \"\"\n").unwrap(), None);
    }

    #[test]
    fn data_files_are_left_fresh_with_last_period_as_comments() {
        let to = Period::new(2024, "6 tháng").unwrap();
        let docs = "# Văn bản\n\nky = \"6 tháng năm 2023\"\n\n[[van_ban]]\nso = \"1/QĐ\"\nnhom = \"x\"\n";
        let fresh = fresh_documents(docs, &to);
        let parsed: toml::Table = toml::from_str(&fresh).unwrap();
        assert_eq!(parsed["ky"].as_str(), Some("6 tháng đầu năm 2024"));
        assert!(!parsed.contains_key("van_ban"));
        assert!(fresh.starts_with("# Văn bản\n") && fresh.contains("# so = \"1/QĐ\""), "{fresh}");
        let nd = "# Nhận định\n\nky = \"6 tháng năm 2023\"\n\n[nhan_dinh]\n# mưa\nmua = \"ít mưa.\"\nlu = \"\"\"\nlũ\n\"\"\"\n";
        let fresh = fresh_narrative(nd, &to);
        let parsed: toml::Table = toml::from_str(&fresh).unwrap();
        assert_eq!(parsed["ky"].as_str(), Some("6 tháng đầu năm 2024"));
        assert!(parsed["nhan_dinh"].as_table().unwrap().is_empty(), "{fresh}");
        assert!(fresh.contains("# mưa\n# mua = \"ít mưa.\""), "{fresh}");
    }
}
