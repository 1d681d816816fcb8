//! `baocao watch`: rebuild whenever the inputs or the templates change, and
//! say which printed figures changed and whose files caused it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime};

use baocao::model::Figures;
use baocao::provenance::{changes, Printed};
use baocao::Templates;
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::build::{failure, options, report};
use super::BuildArgs;

/// Quiet time after the last event before building.
const DEBOUNCE: Duration = Duration::from_millis(700);
/// A file is still being written while its size or time keeps changing.
const SETTLE: Duration = Duration::from_millis(600);
const SETTLE_AT_MOST: Duration = Duration::from_secs(60);

type Trace = (Vec<Printed>, Arc<Figures>);

pub fn run(args: &BuildArgs) -> i32 {
    let opts = options(args);
    super::warn_interrupted(&opts.out);
    if !opts.inputs.is_dir() {
        eprintln!("Lỗi: không tìm thấy thư mục biểu mẫu «{}»", opts.inputs.display());
        return 2;
    }
    let mut roots = vec![opts.inputs.clone()];
    if let Templates::Dir(d) = &opts.templates {
        roots.push(d.clone());
    }
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(DEBOUNCE, None, tx) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("Lỗi: không theo dõi được thư mục: {e}");
            return 2;
        }
    };
    for root in &roots {
        if let Err(e) = debouncer.watch(root, RecursiveMode::Recursive) {
            eprintln!("Lỗi: không theo dõi được «{}»: {e}", root.display());
            return 2;
        }
    }
    let watched: Vec<String> = roots.iter().map(|r| format!("«{}»", r.display())).collect();
    println!("Đang theo dõi {}; nhấn Ctrl+C để dừng.", watched.join(" và "));
    let mut last = build(args, None);
    for result in rx {
        match result {
            Ok(events) => {
                // reading the inputs is an event too (inotify access): only writes count
                let relevant = events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.event.kind,
                            EventKind::Create(_)
                                | EventKind::Remove(_)
                                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
                                | EventKind::Any
                        )
                    })
                    .flat_map(|e| e.event.paths.iter())
                    .any(|p| matters(p, &opts.inputs, &opts.templates));
                if !relevant {
                    continue;
                }
                settle(&opts.inputs);
                println!("— Có thay đổi, tạo lại văn bản ({}) —", clock());
                last = build(args, last);
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("Cảnh báo: lỗi khi theo dõi thư mục: {e}");
                }
            }
        }
    }
    0
}

/// One build; prints its result and what changed since `previous`.
fn build(args: &BuildArgs, previous: Option<Trace>) -> Option<Trace> {
    let opts = options(args);
    match baocao::build_with(&opts, &super::progress::Cli::new()) {
        Ok(built) => {
            report(&built, args);
            if let Some((old_p, old_s)) = &previous {
                let diff = changes((old_p, old_s), (&built.printed, &built.sums));
                if diff.is_empty() {
                    println!("Không có số liệu nào trong văn bản thay đổi so với lần trước.");
                } else {
                    println!("Số liệu thay đổi so với lần trước:");
                    for c in &diff {
                        let files: Vec<String> = c.causes.iter().map(|(u, f)| format!("{f} ({u})")).collect();
                        let why = if files.is_empty() {
                            String::new()
                        } else {
                            format!(" — do tệp {}", files.join(", "))
                        };
                        println!("  • {}: «{}»: {} → {}{why}", c.place, short(&c.sentence), c.old, c.new);
                    }
                }
            }
            Some((built.printed, built.sums))
        }
        Err(e) => {
            failure(e);
            println!("Sẽ tạo lại khi các tệp được sửa.");
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
    match templates {
        Templates::Dir(d) => {
            (in_dir(d) || path.starts_with(d)) && (name.ends_with(".toml") || name.ends_with(".md.tera"))
        }
        Templates::BuiltIn => false,
    }
}

/// Waits until no workbook under `inputs` is still growing (a file being
/// copied or saved), at most a minute.
fn settle(inputs: &Path) {
    let started = Instant::now();
    let mut before = state(inputs);
    loop {
        std::thread::sleep(SETTLE);
        let now = state(inputs);
        let fresh = now.values().any(|(_, t)| t.elapsed().map(|e| e < SETTLE).unwrap_or(false));
        if now == before && !fresh {
            return;
        }
        if started.elapsed() > SETTLE_AT_MOST {
            eprintln!("Cảnh báo: có tệp vẫn đang thay đổi sau một phút; tạo văn bản với những gì đang có.");
            return;
        }
        before = now;
    }
}

fn state(inputs: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
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
