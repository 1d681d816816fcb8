//! Workbooks arriving in the inputs folder, for the front ends that watch it
//! (`baocao watch`, the browser desk): which file-system events are writes,
//! and waiting until every workbook that changed is whole — its size and
//! time have stopped changing and it opens — so that a copy that pauses
//! (a network share, a USB stick) is never read half-way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use notify::event::ModifyKind;
use notify::EventKind;

use crate::ingest::{self, Limits};

/// Size and modification time of each file under the inputs folder.
pub type Files = BTreeMap<PathBuf, (u64, SystemTime)>;

/// A file is still being written while its size or time keeps changing.
pub const SETTLE: Duration = Duration::from_millis(600);
/// Waiting ends after this long: what is there is read as it is.
pub const SETTLE_AT_MOST: Duration = Duration::from_secs(60);
/// A workbook that does not open while it changed less than this long ago
/// is taken for one still being copied; after that it is read as it is
/// (broken).
pub const COPYING: Duration = Duration::from_secs(10);

/// An event that changes what is there (reading the inputs is an event
/// too, an inotify access: only writes count).
pub fn is_write(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Any
    )
}

/// A file read as a workbook: a spreadsheet's extension, not a lock file
/// of Excel or LibreOffice, not hidden.
pub fn is_workbook(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    !name.starts_with("~$")
        && !name.starts_with(".~lock")
        && !name.starts_with('.')
        && ingest::EXTENSIONS.contains(&ext.as_str())
}

/// The files under `inputs` as they are now.
pub fn state(inputs: &Path) -> Files {
    walkdir::WalkDir::new(inputs)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.path().to_path_buf(), (m.len(), m.modified().ok()?)))
        })
        .collect()
}

/// How the wait ended.
#[derive(Debug)]
pub struct Settled {
    /// The files as they were at the end.
    pub files: Files,
    /// [`SETTLE_AT_MOST`] passed with files still changing.
    pub timed_out: bool,
}

/// Waits until the files under `inputs` have stopped changing and every
/// workbook that changed since `seen` opens within `limits`; a workbook that
/// does not open yet but changed less than [`COPYING`] ago is still
/// arriving, and `waiting` hears of those once. At most
/// [`SETTLE_AT_MOST`].
pub fn settle(inputs: &Path, seen: &Files, limits: &Limits, waiting: &mut dyn FnMut(&[&PathBuf])) -> Settled {
    let started = Instant::now();
    let mut before = state(inputs);
    let mut opened = Files::new();
    let mut told = false;
    loop {
        std::thread::sleep(SETTLE);
        let now = state(inputs);
        let fresh = now.values().any(|(_, t)| t.elapsed().map(|e| e < SETTLE).unwrap_or(false));
        if now == before && !fresh {
            let mut arriving: Vec<&PathBuf> = Vec::new();
            for (path, st) in &now {
                if seen.get(path) == Some(st) || opened.get(path) == Some(st) || !is_workbook(path) {
                    continue;
                }
                if ingest::read_workbook_with(path, &path.display().to_string(), limits).is_ok() {
                    opened.insert(path.clone(), *st);
                } else if st.1.elapsed().map(|e| e < COPYING).unwrap_or(false) {
                    arriving.push(path);
                }
            }
            if arriving.is_empty() {
                return Settled { files: now, timed_out: false };
            }
            if !told {
                waiting(&arriving);
                told = true;
            }
        }
        if started.elapsed() > SETTLE_AT_MOST {
            return Settled { files: now, timed_out: true };
        }
        before = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_that_pauses_is_waited_for_until_it_opens() {
        let dir = tempfile::tempdir().unwrap();
        let whole = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/KL-chi-cuc-kiem-lam.xlsx")).unwrap();
        let path = dir.path().join("KL.xlsx");
        let seen = state(dir.path());
        // half the file, a pause longer than SETTLE, then the rest
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        let rest = whole.clone();
        let target = path.clone();
        let copier = std::thread::spawn(move || {
            std::thread::sleep(SETTLE * 3);
            std::fs::write(&target, &rest).unwrap();
        });
        let mut told = Vec::new();
        let settled =
            settle(dir.path(), &seen, &Limits::default(), &mut |a| told.extend(a.iter().map(|p| (*p).clone())));
        copier.join().unwrap();
        assert!(!settled.timed_out);
        assert_eq!(told, std::slice::from_ref(&path), "the half copy was named as arriving");
        assert_eq!(settled.files[&path].0, whole.len() as u64, "read only once whole");
        assert!(ingest::read_workbook(&path, "KL.xlsx").is_ok());
    }

    #[test]
    fn only_writes_count_and_lock_files_are_no_workbooks() {
        use notify::event::{AccessKind, CreateKind};
        assert!(is_write(&EventKind::Create(CreateKind::File)));
        assert!(!is_write(&EventKind::Access(AccessKind::Read)));
        assert!(is_workbook(Path::new("huyen/VQU.xlsx")) && is_workbook(Path::new("a.ODS")));
        assert!(!is_workbook(Path::new("~$VQU.xlsx")) && !is_workbook(Path::new(".~lock.VQU.xlsx#")));
        assert!(!is_workbook(Path::new("ghi-chu.docx")));
    }
}
