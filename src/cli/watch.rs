//! `baocao watch`: rebuild whenever the inputs or the templates change, and
//! say which printed figures changed and whose files caused it.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use baocao::arrival;
use baocao::model::Figures;
use baocao::provenance::{changes, Printed};
use baocao::Templates;
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::build::{failure, options, report};
use super::BuildArgs;

/// Quiet time after the last event before building.
const DEBOUNCE: Duration = Duration::from_millis(700);
/// How often the inputs folder is looked at between events: a deleted and
/// re-created folder must be watched again.
const POLL: Duration = Duration::from_secs(1);

type Trace = (Vec<Printed>, Arc<Figures>);

pub fn run(args: &BuildArgs) -> i32 {
    let opts = match super::limits() {
        Ok(limits) => options(args, limits),
        Err(code) => return code,
    };
    super::warn_interrupted(&opts.out);
    if !opts.inputs.is_dir() {
        errln!("Lỗi: không tìm thấy thư mục biểu mẫu «{}»", opts.inputs.display());
        return 2;
    }
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(DEBOUNCE, None, tx) {
        Ok(d) => d,
        Err(e) => {
            errln!("Lỗi: không theo dõi được thư mục: {e}");
            return 2;
        }
    };
    let mut roots = vec![opts.inputs.clone()];
    // the templates folder (a kind's folder and the shared files above it)
    match &opts.templates {
        Templates::Dir(d) => roots.push(d.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(d).to_path_buf()),
        Templates::All(root) => roots.push(root.clone()),
        Templates::BuiltIn(_) | Templates::AllBuiltIn => {}
    }
    for root in &roots {
        if let Err(e) = debouncer.watch(root, RecursiveMode::Recursive) {
            errln!("Lỗi: không theo dõi được «{}»: {e}", root.display());
            return 2;
        }
    }
    let mut inputs = Inputs::new(&opts.inputs);
    // the folder holding inputs/, so that its deletion and re-creation are seen
    if let Some(parent) = &inputs.parent {
        let _ = debouncer.watch(parent, RecursiveMode::NonRecursive);
    }
    let watched: Vec<String> = roots.iter().map(|r| format!("«{}»", r.display())).collect();
    outln!("Đang theo dõi {}; nhấn Ctrl+C để dừng.", watched.join(" và "));
    // the files as the build saw them (taken before it: a file may arrive meanwhile)
    let mut seen = arrival::state(&opts.inputs);
    let mut last = build(args, &opts, None);
    loop {
        let relevant = match rx.recv_timeout(POLL) {
            Ok(Ok(events)) => {
                // reading the inputs is an event too (inotify access): only writes count
                let paths: Vec<&PathBuf> = events
                    .iter()
                    .filter(|e| arrival::is_write(&e.event.kind))
                    .flat_map(|e| e.event.paths.iter())
                    .collect();
                if paths.iter().any(|p| inputs.is_the_folder(p)) {
                    inputs.id = None;
                }
                paths.iter().any(|p| matters(p, &opts.inputs, &opts.templates))
            }
            Ok(Err(errors)) => {
                for e in errors {
                    errln!("Cảnh báo: lỗi khi theo dõi thư mục: {e}");
                }
                false
            }
            Err(mpsc::RecvTimeoutError::Timeout) => false,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let rearmed = match inputs.rearm(&mut debouncer) {
            Some(back) => back,
            None => continue,
        };
        if !relevant && !rearmed {
            continue;
        }
        seen = settle(&opts.inputs, &seen, &opts.limits);
        outln!("— Có thay đổi, tạo lại văn bản ({}) —", clock());
        last = build(args, &opts, last);
    }
    0
}

/// The watched inputs folder: watched again when it is deleted and
/// re-created (its watch dies with it).
struct Inputs {
    path: PathBuf,
    /// The folder holding it, absolute (watched too), and its own name there.
    parent: Option<PathBuf>,
    name: Option<std::ffi::OsString>,
    /// The folder now watched; `None` when it is gone (or must be watched again).
    id: Option<DirId>,
    gone: bool,
}

impl Inputs {
    fn new(path: &Path) -> Inputs {
        let parent = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
        Inputs {
            path: path.to_path_buf(),
            parent: parent.and_then(|p| std::fs::canonicalize(p).ok()),
            name: path.file_name().map(|n| n.to_os_string()),
            id: dir_id(path),
            gone: false,
        }
    }

    /// `p` is the inputs folder itself (as an event names it).
    fn is_the_folder(&self, p: &Path) -> bool {
        match (&self.parent, &self.name) {
            (Some(parent), Some(name)) => p == parent.join(name) || p == self.path,
            _ => p == self.path,
        }
    }

    /// Watches the folder again when it was replaced. `None` while it is
    /// gone; `Some(true)` when it came back (a build is due).
    fn rearm(&mut self, debouncer: &mut Debouncer<RecommendedWatcher, RecommendedCache>) -> Option<bool> {
        let now = dir_id(&self.path);
        if now.is_none() {
            if !self.gone {
                outln!("Thư mục biểu mẫu «{}» đã bị xóa; sẽ tạo lại văn bản khi thư mục có lại.", self.path.display());
                self.gone = true;
            }
            self.id = None;
            return None;
        }
        if now == self.id {
            return Some(false);
        }
        let _ = debouncer.unwatch(&self.path);
        if let Err(e) = debouncer.watch(&self.path, RecursiveMode::Recursive) {
            errln!("Cảnh báo: không theo dõi được «{}»: {e}", self.path.display());
            return None;
        }
        let back = self.gone || self.id.is_none();
        if self.gone {
            outln!("Thư mục biểu mẫu «{}» đã có lại; theo dõi tiếp.", self.path.display());
        }
        self.gone = false;
        self.id = now;
        Some(back)
    }
}

/// What tells one folder from another at the same path.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = Option<std::time::SystemTime>;

#[cfg(unix)]
fn dir_id(path: &Path) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path) -> Option<DirId> {
    std::fs::metadata(path).ok().filter(|m| m.is_dir()).map(|m| m.created().ok())
}

/// One build; prints its result and what changed since `previous`.
fn build(args: &BuildArgs, opts: &baocao::BuildOptions, previous: Option<Trace>) -> Option<Trace> {
    match baocao::build_with(opts, &super::progress::Cli::new()) {
        Ok(built) => {
            report(&built, args);
            if let Some((old_p, old_s)) = &previous {
                let diff = changes((old_p, old_s), (&built.printed, &built.sums));
                if diff.is_empty() {
                    outln!("Không có số liệu nào trong văn bản thay đổi so với lần trước.");
                } else {
                    outln!("Số liệu thay đổi so với lần trước:");
                    for c in &diff {
                        let files: Vec<String> = c.causes.iter().map(|(u, f)| format!("{f} ({u})")).collect();
                        let why = if files.is_empty() {
                            String::new()
                        } else {
                            format!(" — do tệp {}", files.join(", "))
                        };
                        outln!("  • {}: «{}»: {} → {}{why}", c.place, short(&c.sentence), c.old, c.new);
                    }
                }
            }
            Some((built.printed, built.sums))
        }
        Err(e) => {
            failure(e);
            outln!("Sẽ tạo lại khi các tệp được sửa.");
            previous
        }
    }
}

/// Changes that concern the document: workbooks (not lock or temp files)
/// in the inputs, and the template files.
fn matters(path: &Path, inputs: &Path, templates: &Templates) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.') {
        return false;
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let in_dir =
        |d: &Path| std::fs::canonicalize(d).map(|d| path.starts_with(&d) || path.starts_with(d)).unwrap_or(false);
    if in_dir(inputs) || path.starts_with(inputs) {
        return baocao::ingest::EXTENSIONS.contains(&ext.as_str()) || path.is_dir() || !path.exists();
    }
    // a kind's own folder, or any of the templates folder (shared files)
    let root = match templates {
        Templates::Dir(d) => d.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(d),
        Templates::All(root) => root.as_path(),
        Templates::BuiltIn(_) | Templates::AllBuiltIn => return false,
    };
    (in_dir(root) || path.starts_with(root)) && (name.ends_with(".toml") || name.ends_with(".md.tera"))
}

/// [`arrival::settle`], saying what it waits for.
fn settle(inputs: &Path, seen: &arrival::Files, limits: &baocao::ingest::Limits) -> arrival::Files {
    let settled = arrival::settle(inputs, seen, limits, &mut |arriving| {
        let names: Vec<String> = arriving.iter().map(|p| format!("«{}»", p.display())).collect();
        outln!("Đang chờ chép xong {} …", names.join(", "));
    });
    if settled.timed_out {
        errln!("Cảnh báo: có tệp vẫn đang thay đổi sau một phút; tạo văn bản với những gì đang có.");
    }
    settled.files
}

fn short(s: &str) -> String {
    const MAX: usize = 110;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        s.chars().take(MAX).collect::<String>() + "…"
    }
}

fn clock() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}
