//! Writing output files safely: each to a temporary file in the same folder,
//! renamed into place, so an interrupted build never leaves a half-written
//! file; the files of one build (document, appendix, provenance) as one set,
//! all written before any is renamed, with a note in the folder while they
//! are renamed, so a set left mixed by a failure or a kill is always
//! announced; created with the mode the umask gives (an existing file's
//! mode kept); a target held open by another program (Word on Windows) gets
//! a numbered sibling instead; and the PDF copy through LibreOffice.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use tempfile::NamedTempFile;

const TEMP_PREFIX: &str = ".baocao-";
const TEMP_SUFFIX: &str = ".tmp";
/// The folder in the output folder where LibreOffice writes the PDF.
const PDF_PREFIX: &str = ".baocao-pdf-";
/// LibreOffice's profile for one conversion, in the system's temporary folder.
const PROFILE_PREFIX: &str = "baocao-libreoffice-";

/// The note left in the output folder while a set of files is renamed into
/// place: if it is still there, the renaming was interrupted.
pub const MANIFEST: &str = ".baocao-ghi-do.txt";

const MANIFEST_HEAD: &str = "\
# baocao đang thay các tệp dưới đây bằng bản mới. Nếu tệp này còn lại thì lần ghi đã bị dừng giữa
# chừng: các tệp có thể không cùng một lần tạo. Chạy lại lệnh để ghi lại đủ bộ.
# (tệp đích <TAB> tệp tạm chứa bản mới)
";

/// Writes `bytes` to `path` atomically (temp file + rename). When `path`
/// cannot be replaced (open in Word on Windows), writes "name (2).ext",
/// "name (3).ext"… instead. Returns the path actually written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let tmp = temp_beside(path, bytes)?;
    pause_before_rename();
    put_in_place(tmp, path)
}

/// Writes the files of one build as a set: every file to a temporary
/// first (a full disk stops the build before anything is replaced), then
/// the renames, with [`MANIFEST`] in the folder meanwhile so that a kill
/// between two renames is reported by the next run ([`interrupted`]). When
/// a rename fails, the error says which files are new and which old.
/// Returns the paths written, in order (see [`write_atomic`] for files
/// open elsewhere).
pub fn write_set(files: Vec<(PathBuf, Content)>) -> Result<Vec<PathBuf>> {
    write_set_with(files, &mut |_, _| Ok(()))
}

/// What a file of a set holds: its bytes, or a file already staged beside
/// its target by [`stage`] (too large to hold in memory).
pub enum Content {
    Bytes(Vec<u8>),
    Staged(Staged),
}

impl From<Vec<u8>> for Content {
    fn from(bytes: Vec<u8>) -> Content {
        Content::Bytes(bytes)
    }
}

/// A file written beside its target by [`stage`], renamed into place by
/// [`write_set`]; removed when dropped before that (a build that fails).
pub struct Staged(NamedTempFile);

/// Streams a file of a set into a temporary beside `path` through `write`
/// (buffered), flushed to disk, for [`write_set`] to rename into place.
pub fn stage(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Staged> {
    let tmp = temp_beside(path, &[])?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file());
    write(&mut out).with_context(|| format!("không ghi được «{}»", path.display()))?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .with_context(|| format!("không ghi được «{}» (tệp tạm trong «{}»)", path.display(), parent(path).display()))?;
    Ok(Staged(tmp))
}

/// The two steps of writing a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Write,
    Rename,
}

/// [`write_set`], calling `fault(step, i)` before the i-th file's write
/// and rename (the tests make it fail).
fn write_set_with(
    contents: Vec<(PathBuf, Content)>,
    fault: &mut dyn FnMut(Step, usize) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>> {
    let (files, contents): (Vec<PathBuf>, Vec<Content>) = contents.into_iter().unzip();
    let files = &files[..];
    let Some(first) = files.first() else { return Ok(Vec::new()) };
    let dir = parent(first).to_path_buf();
    let earlier = read_manifest(&dir);
    for (i, path) in files.iter().enumerate() {
        let ready = fault(Step::Write, i)
            .and_then(|_| fail_write(path))
            .with_context(|| format!("không ghi được «{}»", path.display()));
        if let Err(e) = ready {
            bail!("{e:#}. {}", nothing_replaced(files));
        }
    }
    // the temporaries are written side by side: each waits for its disk
    // flush; the first failure (in the set's order) is the one told
    let written: Vec<Result<NamedTempFile>> = files
        .par_iter()
        .zip(contents)
        .map(|(path, content)| match content {
            Content::Bytes(bytes) => temp_beside(path, &bytes),
            Content::Staged(Staged(tmp)) => Ok(tmp),
        })
        .collect();
    let mut temps = Vec::with_capacity(files.len());
    for t in written {
        match t {
            Ok(t) => temps.push(t),
            Err(e) => bail!("{e:#}. {}", nothing_replaced(files)),
        }
    }
    let manifest = dir.join(MANIFEST);
    let mut note = MANIFEST_HEAD.to_string();
    for (path, tmp) in files.iter().zip(&temps) {
        note.push_str(&format!("{}\t{}\n", relative(&dir, path).display(), relative(&dir, tmp.path()).display()));
    }
    if let Err(e) = fs::write(&manifest, note).and_then(|_| fs::File::open(&manifest)?.sync_all()) {
        bail!("không ghi được «{}»: {e}. {}", manifest.display(), nothing_replaced(files));
    }
    let mut written = Vec::with_capacity(files.len());
    for (i, tmp) in temps.into_iter().enumerate() {
        pause_before_rename();
        let step = fault(Step::Rename, i).map_err(anyhow::Error::from).and_then(|_| put_in_place(tmp, &files[i]));
        match step {
            Ok(p) => written.push(p),
            Err(e) => {
                let _ = fs::remove_file(&manifest);
                let new: Vec<PathBuf> = written.clone();
                let old: Vec<PathBuf> = files[i..].to_vec();
                bail!("{e:#}. {}", Interrupted { new, old });
            }
        }
    }
    let _ = fs::remove_file(&manifest);
    // what an interrupted earlier set left: its temporary files
    for (_, temp) in earlier.unwrap_or_default() {
        let _ = fs::remove_file(dir.join(temp));
    }
    Ok(written)
}

fn nothing_replaced(files: &[PathBuf]) -> Interrupted {
    Interrupted { new: Vec::new(), old: files.to_vec() }
}

/// A set of output files only partly replaced: a kill (found by the next
/// run through [`MANIFEST`]) or a failed rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted {
    /// Replaced by the new version.
    pub new: Vec<PathBuf>,
    /// Still the previous version (or absent).
    pub old: Vec<PathBuf>,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[PathBuf]| v.iter().map(|p| format!("«{}»", p.display())).collect::<Vec<_>>().join(", ");
        if self.new.is_empty() {
            return write!(f, "Chưa thay tệp nào: {} vẫn là bản cũ (hoặc chưa có)", list(&self.old));
        }
        write!(
            f,
            "Các tệp kết quả KHÔNG cùng một lần tạo: đã thay bản mới {}; còn là bản cũ (hoặc chưa có) {}. \
             Chạy lại lệnh để ghi lại đủ bộ",
            list(&self.new),
            list(&self.old)
        )
    }
}

/// The set left mixed in `dir` by an interrupted run, if any: the
/// manifest is still there and some of its files were renamed, some not.
pub fn interrupted(dir: &Path) -> Option<Interrupted> {
    let entries = read_manifest(dir)?;
    let (mut new, mut old) = (Vec::new(), Vec::new());
    for (target, temp) in entries {
        // a temporary that is gone was renamed into place
        if dir.join(&temp).exists() {
            old.push(dir.join(target));
        } else {
            new.push(dir.join(target));
        }
    }
    (!new.is_empty() && !old.is_empty()).then_some(Interrupted { new, old })
}

/// (target, temporary) of the manifest in `dir`, relative to it.
fn read_manifest(dir: &Path) -> Option<Vec<(PathBuf, PathBuf)>> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (PathBuf::from(a), PathBuf::from(b)))
            .collect(),
    )
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn relative<'a>(dir: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(dir).unwrap_or(path)
}

/// `bytes` in a new temporary file beside `path`, flushed to disk, with
/// the mode `path` is to have: an existing file's, else what the umask
/// gives a new file (0666 & !umask), never tempfile's private 0600.
fn temp_beside(path: &Path, bytes: &[u8]) -> Result<NamedTempFile> {
    let dir = parent(path);
    fs::create_dir_all(dir).with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
    remove_stale_temps(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // open(2) applies the umask to this
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp =
        builder.tempfile_in(dir).with_context(|| format!("không ghi được vào thư mục «{}»", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("không ghi được «{}» (tệp tạm trong «{}»)", path.display(), dir.display()))?;
    if let Ok(existing) = fs::metadata(path) {
        if existing.is_file() {
            fs::set_permissions(tmp.path(), existing.permissions())
                .with_context(|| format!("không đặt được quyền cho bản mới của «{}»", path.display()))?;
        }
    }
    Ok(tmp)
}

/// Renames `tmp` to `path`, or to a numbered sibling when `path` cannot
/// be replaced (open in Word on Windows). Returns the path written.
fn put_in_place(tmp: NamedTempFile, path: &Path) -> Result<PathBuf> {
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

/// Lets the crash-safety tests kill a build right before a rename
/// (`BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS`). Debug builds only: the release
/// binary has no such hook.
#[cfg(debug_assertions)]
fn pause_before_rename() {
    if let Some(ms) = std::env::var("BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

#[cfg(not(debug_assertions))]
fn pause_before_rename() {}

/// Lets the tests fail the write of one file of a set as a full disk does
/// (`BAOCAO_TEST_FAIL_WRITE=ke-hoach-nam-2024-nguon-so-lieu.xlsx`). Debug builds only.
#[cfg(debug_assertions)]
fn fail_write(path: &Path) -> std::io::Result<()> {
    match std::env::var_os("BAOCAO_TEST_FAIL_WRITE") {
        Some(name) if path.file_name() == Some(name.as_os_str()) => {
            Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device (giả lập)"))
        }
        _ => Ok(()),
    }
}

#[cfg(not(debug_assertions))]
fn fail_write(_: &Path) -> std::io::Result<()> {
    Ok(())
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

/// How old a temporary of baocao's must be to be taken for one a killed
/// run left behind.
const STALE: Duration = Duration::from_secs(600);

/// What killed runs left in `dir` (older than ten minutes): temporary
/// files, except those an interrupted set's manifest still names (they
/// tell which of its files are old), and the work folders of `--pdf`.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let listed: Vec<PathBuf> = read_manifest(dir).unwrap_or_default().into_iter().map(|(_, t)| t).collect();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(meta) = e.metadata() else { continue };
        if !name.starts_with(TEMP_PREFIX) || !is_stale(&meta) {
            continue;
        }
        // (earlier versions named the PDF folder ".baocao-XXXXXX")
        if meta.is_dir() {
            let _ = fs::remove_dir_all(e.path());
        } else if meta.is_file() && name.ends_with(TEMP_SUFFIX) && !listed.contains(&PathBuf::from(&name)) {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn is_stale(meta: &fs::Metadata) -> bool {
    meta.modified().is_ok_and(|m| SystemTime::now().duration_since(m).is_ok_and(|age| age > STALE))
}

/// The LibreOffice profiles of killed `--pdf` runs in the system's
/// temporary folder.
fn remove_stale_profiles() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(PROFILE_PREFIX)
            && e.metadata().is_ok_and(|m| m.is_dir() && is_stale(&m))
        {
            let _ = fs::remove_dir_all(e.path());
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
/// What a run killed during the conversion left (its work folder and
/// LibreOffice profile) is removed first.
pub fn pdf(docx: &Path) -> Result<PathBuf, PdfError> {
    let dir = parent(docx);
    remove_stale_temps(dir);
    remove_stale_profiles();
    let soffice = find_soffice().ok_or(PdfError::NoLibreOffice)?;
    let work = tempfile::Builder::new().prefix(PDF_PREFIX).tempdir_in(dir).map_err(|e| PdfError::Failed(e.into()))?;
    let profile = tempfile::Builder::new().prefix(PROFILE_PREFIX).tempdir().map_err(|e| PdfError::Failed(e.into()))?;
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

/// Whether LibreOffice is there to make PDF copies.
pub fn libreoffice_available() -> bool {
    find_soffice().is_some()
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
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    /// Names in `dir` that baocao leaves only while writing.
    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    fn set_in(dir: &Path, content: &str) -> Vec<(PathBuf, Content)> {
        ["a.docx", "b.xlsx", "c.xlsx"].iter().map(|n| (dir.join(n), content.as_bytes().to_vec().into())).collect()
    }

    #[test]
    fn a_staged_file_is_renamed_with_the_set_or_removed_with_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let temps = || {
            fs::read_dir(dir.path())
                .unwrap()
                .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(TEMP_PREFIX))
                .count()
        };
        let big = dir.path().join("d.csv");
        let staged = stage(&big, |w: &mut dyn Write| Ok(w.write_all(b"mot,hai\n")?)).unwrap();
        assert_eq!(temps(), 1, "staged beside its target");
        let mut set = set_in(dir.path(), "mới");
        set.push((big.clone(), Content::Staged(staged)));
        let written = write_set(set).unwrap();
        assert_eq!(written.last(), Some(&big));
        assert_eq!(fs::read_to_string(&big).unwrap(), "mot,hai\n");
        assert_eq!(temps(), 0);
        // a build that fails after staging leaves nothing behind
        let staged = stage(&big, |w: &mut dyn Write| Ok(w.write_all(b"ba")?)).unwrap();
        drop(staged);
        assert_eq!(temps(), 0);
        assert_eq!(fs::read_to_string(&big).unwrap(), "mot,hai\n");
        // a writer that fails: the error names the file, nothing is left
        let err = stage(&big, |_| anyhow::bail!("hỏng")).err().unwrap();
        assert!(format!("{err:#}").contains("d.csv"), "{err:#}");
        assert_eq!(temps(), 0);
    }

    fn contents(dir: &Path) -> Vec<String> {
        ["a.docx", "b.xlsx", "c.xlsx"].iter().map(|n| fs::read_to_string(dir.join(n)).unwrap()).collect()
    }

    #[test]
    fn a_set_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        write_set(set_in(dir.path(), "cũ")).unwrap();
        let written = write_set(set_in(dir.path(), "mới")).unwrap();
        assert_eq!(written, set_in(dir.path(), "").into_iter().map(|(p, _)| p).collect::<Vec<_>>());
        assert_eq!(contents(dir.path()), ["mới", "mới", "mới"]);
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "no manifest, no temporary left");
        assert_eq!(interrupted(dir.path()), None);
    }

    #[test]
    fn a_failed_rename_says_which_files_are_new_and_which_old() {
        let dir = tempfile::tempdir().unwrap();
        write_set(set_in(dir.path(), "cũ")).unwrap();
        // the second rename fails (a full disk, a file locked meanwhile)
        let err = write_set_with(set_in(dir.path(), "mới"), &mut |step, i| {
            if step == Step::Rename && i == 1 {
                Err(std::io::Error::other("hỏng giả"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("hỏng giả") && msg.contains("KHÔNG cùng một lần tạo"), "{msg}");
        let (new, old) = msg.split_once("còn là bản cũ").unwrap();
        assert!(new.contains("a.docx") && !new.contains("b.xlsx") && !new.contains("c.xlsx"), "{msg}");
        assert!(old.contains("b.xlsx") && old.contains("c.xlsx"), "{msg}");
        assert_eq!(contents(dir.path()), ["mới", "cũ", "cũ"]);
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
        // the first rename fails: nothing replaced, and it says so
        let first = |step, i| if step == Step::Rename && i == 0 { Err(std::io::Error::other("x")) } else { Ok(()) };
        let err = write_set_with(set_in(dir.path(), "mới hơn"), &mut { first }).unwrap_err();
        assert!(format!("{err:#}").contains("Chưa thay tệp nào"), "{err:#}");
        assert_eq!(contents(dir.path()), ["mới", "cũ", "cũ"]);
    }

    #[test]
    fn a_full_disk_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        write_set(set_in(dir.path(), "cũ")).unwrap();
        let full = |step, i| {
            if step == Step::Write && i == 2 {
                Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device"))
            } else {
                Ok(())
            }
        };
        let err = write_set_with(set_in(dir.path(), "mới"), &mut { full }).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("No space left") && msg.contains("Chưa thay tệp nào"), "{msg}");
        assert!(["a.docx", "b.xlsx", "c.xlsx"].iter().all(|n| msg.contains(n)), "{msg}");
        assert_eq!(contents(dir.path()), ["cũ", "cũ", "cũ"]);
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "the temporaries are removed");
    }

    #[test]
    fn a_manifest_left_by_a_kill_tells_new_from_old() {
        let dir = tempfile::tempdir().unwrap();
        write_set(set_in(dir.path(), "cũ")).unwrap();
        // as a kill after the first rename leaves it: the manifest, and the
        // temporaries of the files not yet renamed
        fs::write(dir.path().join(".baocao-2.tmp"), "mới").unwrap();
        fs::write(dir.path().join(".baocao-3.tmp"), "mới").unwrap();
        fs::write(
            dir.path().join(MANIFEST),
            format!("{MANIFEST_HEAD}a.docx\t.baocao-1.tmp\nb.xlsx\t.baocao-2.tmp\nc.xlsx\t.baocao-3.tmp\n"),
        )
        .unwrap();
        let mixed = interrupted(dir.path()).unwrap();
        assert_eq!(mixed.new, [dir.path().join("a.docx")]);
        assert_eq!(mixed.old, [dir.path().join("b.xlsx"), dir.path().join("c.xlsx")]);
        // the next set clears the manifest and the orphans
        write_set(set_in(dir.path(), "mới")).unwrap();
        assert_eq!(interrupted(dir.path()), None);
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn outputs_get_the_umask_mode_and_keep_an_existing_mode() {
        use std::os::unix::fs::PermissionsExt;
        let umask = fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Umask:").map(|u| u32::from_str_radix(u.trim(), 8))))
            .and_then(Result::ok)
            .unwrap_or(0o022);
        let dir = tempfile::tempdir().unwrap();
        let mode = |n: &str| fs::metadata(dir.path().join(n)).unwrap().permissions().mode() & 0o777;
        write_set(set_in(dir.path(), "cũ")).unwrap();
        write_atomic(&dir.path().join("kiem-tra.xlsx"), b"x").unwrap();
        for n in ["a.docx", "b.xlsx", "c.xlsx", "kiem-tra.xlsx"] {
            assert_eq!(mode(n), 0o666 & !umask, "{n}");
        }
        fs::set_permissions(dir.path().join("a.docx"), fs::Permissions::from_mode(0o664)).unwrap();
        fs::set_permissions(dir.path().join("kiem-tra.xlsx"), fs::Permissions::from_mode(0o640)).unwrap();
        write_set(set_in(dir.path(), "mới")).unwrap();
        write_atomic(&dir.path().join("kiem-tra.xlsx"), b"y").unwrap();
        assert_eq!((mode("a.docx"), mode("kiem-tra.xlsx")), (0o664, 0o640));
    }
}
