//! What the desk knows about the working folder: the inputs checked as
//! `baocao check` checks them, each expected unit's status, and the watcher
//! that checks again when a file appears or changes.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use chrono::NaiveDate;
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use serde::Serialize;

use super::Desk;
use crate::config::ReportDef;
use crate::model::{Diagnostic, Severity};

/// The file name `combine` gives the finding of a unit that sent nothing.
pub const NO_FILE: &str = "(chưa có tệp)";

/// Where a unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// No workbook of the unit in `inputs/`.
    #[serde(rename = "ChuaNop")]
    NotSubmitted,
    /// Submitted, nothing wrong.
    #[serde(rename = "DaNop")]
    Submitted,
    /// Submitted with errors.
    #[serde(rename = "CoLoi")]
    HasErrors,
    /// Submitted with warnings only.
    #[serde(rename = "CoCanhBao")]
    HasWarnings,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotSubmitted => "chưa nộp",
            Status::Submitted => "đã nộp",
            Status::HasErrors => "có lỗi",
            Status::HasWarnings => "có cảnh báo",
        }
    }

    /// The CSS class (and the value tests look for).
    pub fn class(self) -> &'static str {
        match self {
            Status::NotSubmitted => "chua-nop",
            Status::Submitted => "da-nop",
            Status::HasErrors => "co-loi",
            Status::HasWarnings => "co-canh-bao",
        }
    }
}

/// One expected unit on the overview.
#[derive(Debug, Clone)]
pub struct UnitStatus {
    pub code: String,
    pub name: String,
    /// The name as a table shows it: "Huyện Văn Quan", "Chi cục Kiểm lâm".
    pub short_name: String,
    pub status: Status,
    /// Its workbooks in `inputs/` (names relative to it) with their time.
    pub files: Vec<(String, String)>,
    pub errors: usize,
    pub warnings: usize,
}

/// The inputs as last checked.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts the checks; the pages ask again when it changes.
    pub version: u64,
    /// When (hh:mm:ss).
    pub checked_at: String,
    /// Why the inputs could not be checked at all (templates broken…).
    pub problem: Option<String>,
    /// Kinds whose catalog, units or period differ from the default kind's:
    /// not checked here (the CLI checks them with `--mau`).
    pub left_out: Vec<String>,
    /// The default kind's definition (units, period, agency).
    pub def: Option<ReportDef>,
    /// "6 tháng năm 2023".
    pub period: String,
    pub units: Vec<UnitStatus>,
    /// Every finding, as `baocao check` lists them.
    pub diagnostics: Vec<Diagnostic>,
    /// The unit each finding concerns (by index), when known.
    pub finding_units: Vec<Option<String>>,
    /// Workbooks found in `inputs/`.
    pub files: usize,
    /// Workbooks of each unit (names relative to `inputs/`).
    pub unit_files: HashMap<String, Vec<String>>,
    /// The date the findings workbook carries (as `check` stamps it).
    pub stamp: Option<NaiveDate>,
}

impl Snapshot {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn unit(&self, code: &str) -> Option<&UnitStatus> {
        self.units.iter().find(|u| u.code == code)
    }

    /// The findings `keep` selects, with their unit.
    pub fn findings(&self, keep: impl Fn(&Diagnostic, Option<&str>) -> bool) -> Vec<(&Diagnostic, Option<&str>)> {
        self.diagnostics
            .iter()
            .zip(&self.finding_units)
            .map(|(d, u)| (d, u.as_deref()))
            .filter(|(d, u)| keep(d, *u))
            .collect()
    }
}

impl Desk {
    /// Checks the inputs again (as `baocao check` does), replaces the
    /// snapshot and tells the open pages.
    pub fn refresh(&self) {
        let mut count = self.checking.lock().unwrap_or_else(|e| e.into_inner());
        *count += 1;
        let snapshot = Arc::new(self.check(*count));
        if let Ok(mut s) = self.snapshot.write() {
            *s = snapshot;
        }
        drop(count);
        self.send("trang-thai", self.snapshot().version.to_string());
    }

    fn check(&self, version: u64) -> Snapshot {
        let checked_at = chrono::Local::now().format("%H:%M:%S").to_string();
        let failed = |problem: String| Snapshot {
            version,
            checked_at: checked_at.clone(),
            problem: Some(problem),
            ..Default::default()
        };
        let (defs, left_out) = match self.definitions() {
            Ok(d) => d,
            Err(e) => return failed(format!("{e:#}")),
        };
        let checked = match crate::check_for(&defs, &self.inputs, &self.limits, &crate::Quiet) {
            Ok(c) => c,
            Err(e) => return failed(format!("{e:#}")),
        };
        let def = defs.into_iter().next().expect("one definition at least");
        // which unit each file belongs to: its submission, else its findings
        let mut file_unit: BTreeMap<String, String> = BTreeMap::new();
        for s in &checked.submissions {
            file_unit.insert(s.file.clone(), s.unit.clone());
        }
        for d in &checked.diagnostics {
            if let (Some(u), false) = (&d.unit, d.file == NO_FILE) {
                file_unit.entry(d.file.clone()).or_insert_with(|| u.clone());
            }
        }
        let finding_units: Vec<Option<String>> =
            checked.diagnostics.iter().map(|d| d.unit.clone().or_else(|| file_unit.get(&d.file).cloned())).collect();
        let mut unit_files: HashMap<String, Vec<String>> = HashMap::new();
        for (file, unit) in &file_unit {
            if self.inputs.join(file).is_file() {
                unit_files.entry(unit.clone()).or_default().push(file.clone());
            }
        }
        let units = def
            .expected_units()
            .into_iter()
            .map(|u| {
                let files: Vec<(String, String)> = unit_files
                    .get(&u.code)
                    .map(|fs| fs.iter().map(|f| (f.clone(), modified(&self.inputs.join(f)))).collect())
                    .unwrap_or_default();
                let mine = checked
                    .diagnostics
                    .iter()
                    .zip(&finding_units)
                    .filter(|(d, unit)| unit.as_deref() == Some(u.code.as_str()) && d.file != NO_FILE);
                let (mut errors, mut warnings) = (0, 0);
                for (d, _) in mine {
                    match d.severity {
                        Severity::Error => errors += 1,
                        Severity::Warning => warnings += 1,
                    }
                }
                let status = if files.is_empty() {
                    Status::NotSubmitted
                } else if errors > 0 {
                    Status::HasErrors
                } else if warnings > 0 {
                    Status::HasWarnings
                } else {
                    Status::Submitted
                };
                let mut short = u.name_in_text.chars();
                let short_name =
                    short.next().map(|c| c.to_uppercase().collect::<String>() + short.as_str()).unwrap_or_default();
                UnitStatus { code: u.code.clone(), name: u.name.clone(), short_name, status, files, errors, warnings }
            })
            .collect();
        let k = def.period();
        Snapshot {
            version,
            checked_at,
            problem: None,
            left_out,
            period: k.phrase(),
            units,
            finding_units,
            files: checked.files,
            unit_files,
            stamp: Some(crate::stamp(&def, &checked.submissions)),
            diagnostics: checked.diagnostics,
            def: Some(def),
        }
    }
}

/// "05/01/2024 14:03", local time, of a file's last change.
fn modified(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// The watcher of the working folder; dropping it stops watching.
pub struct Watching {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Quiet time after the last change before checking again.
const DEBOUNCE: Duration = Duration::from_millis(400);

pub fn watch(desk: &Arc<Desk>) -> Result<Watching> {
    let weak = Arc::downgrade(desk);
    let inputs = desk.inputs.clone();
    let limits = desk.limits;
    let seen = std::sync::Mutex::new(crate::arrival::state(&inputs));
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let relevant = events
            .iter()
            .filter(|e| crate::arrival::is_write(&e.event.kind))
            .flat_map(|e| e.event.paths.iter())
            .any(|p| matters(p));
        if !relevant {
            return;
        }
        // whole copies only: a workbook still arriving is waited for
        let mut seen = seen.lock().expect("seen poisoned");
        *seen = crate::arrival::settle(&inputs, &seen, &limits, &mut |_| {}).files;
        if let Some(desk) = weak.upgrade() {
            desk.refresh();
        }
    })?;
    debouncer.watch(&desk.inputs, RecursiveMode::Recursive)?;
    if let Some(t) = &desk.templates {
        debouncer.watch(t, RecursiveMode::Recursive)?;
    }
    Ok(Watching { _debouncer: debouncer })
}

/// Changes worth checking again for: not the temporary and lock files.
fn matters(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    !(name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.'))
}
