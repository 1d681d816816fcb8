//! Last year's figures from the archive of earlier periods (`luu-tru/`,
//! beside `inputs/`, one folder per period as `baocao ky-moi` leaves them:
//! `luu-tru/2023-6-thang/inputs/…`).
//!
//! When the archive holds the same period of the previous year, «TH cùng kỳ
//! năm trước» of every unit and indicator is that period's «TH kỳ báo cáo»,
//! and «TH năm trước» is the previous year's «cả năm» period's «TH kỳ báo
//! cáo» when the archive has one, else the same period's «Ước cả năm». The
//! archived workbooks are read by the same reader and checked against a
//! definition whose period is the archived one; their cells become the
//! cells of this period's figures (so the provenance names the archived
//! file and cell), and a number a unit typed that differs is a warning
//! naming both cells.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::config::ReportDef;
use crate::ingest::Limits;
use crate::ingest::{Cell, Field, MetaKey, RawCell, RawWorkbook};
use crate::model::{Column, Diagnostic, Origin};
use crate::period::{Kind, Period};
use crate::vi::{format_number, parse_number_text};

/// Name of the archive folder, beside `inputs/`.
pub const ARCHIVE_DIR: &str = "luu-tru";

/// The archive of the working folder whose inputs are `inputs`.
pub fn root_for(inputs: &Path) -> PathBuf {
    inputs.parent().unwrap_or(Path::new("")).join(ARCHIVE_DIR)
}

/// One archived period.
#[derive(Debug, Clone, PartialEq)]
pub struct Archived {
    pub period: Period,
    /// The period's folder (`luu-tru/2023-6-thang`).
    pub dir: PathBuf,
}

impl Archived {
    /// The archived inputs.
    pub fn inputs(&self) -> PathBuf {
        self.dir.join("inputs")
    }
}

/// The periods of the archive at `root`, by period.
pub fn periods(root: &Path) -> Vec<Archived> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut out: Vec<Archived> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let period = Period::from_slug(&name)?;
            let dir = e.path();
            dir.join("inputs").is_dir().then_some(Archived { period, dir })
        })
        .collect();
    out.sort_by_key(|a| a.period);
    out
}

/// A value taken from the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    pub value: Decimal,
    /// The archived cell.
    pub origin: Origin,
    /// What it is, for the provenance: "lưu trữ kỳ 6 tháng đầu năm 2023, cột «TH kỳ báo cáo»".
    pub note: String,
}

/// Last year's figures for this period.
#[derive(Debug, Clone, Default)]
pub struct LastYear {
    /// The same period of the previous year («TH cùng kỳ năm trước»).
    pub same: Option<Archived>,
    /// The previous year's «cả năm» period, when archived («TH năm trước»).
    pub whole: Option<Archived>,
    /// (unit, indicator, column of this period) → the archived value.
    pub values: HashMap<(String, String, Column), Past>,
    /// Archived workbooks that could not be used, as warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl LastYear {
    /// The notes of the archived cells, for the provenance.
    pub fn notes(&self) -> BTreeMap<Origin, String> {
        self.values.values().map(|p| (p.origin.clone(), p.note.clone())).collect()
    }

    /// "luu-tru/2023-6-thang": where the values come from, for messages.
    pub fn name(&self) -> String {
        self.same.as_ref().map(|a| format!("{ARCHIVE_DIR}/{}", a.period.slug())).unwrap_or_default()
    }

    /// The archived value of `unit`'s `indicator` in `column`, if any.
    pub fn get(&self, unit: &str, indicator: &str, column: Column) -> Option<&Past> {
        self.values.get(&(unit.to_string(), indicator.to_string(), column))
    }
}

/// Last year's figures of `def`'s period from the archive of the working
/// folder whose inputs are `inputs`; `None` when the archive does not hold
/// the same period of the previous year (everything works as without one).
pub fn last_year(def: &ReportDef, inputs: &Path, limits: &Limits) -> anyhow::Result<Option<LastYear>> {
    let root = root_for(inputs);
    let all = periods(&root);
    let this = *def.period();
    let Some(same) = all.iter().find(|a| a.period == this.previous_year()).cloned() else { return Ok(None) };
    let whole_period = Period { year: this.year - 1, kind: Kind::Year };
    let whole = all.iter().find(|a| a.period == whole_period).cloned();
    let base = inputs.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut last = LastYear { same: Some(same.clone()), whole: whole.clone(), ..LastYear::default() };

    let same_values = read_period(def, &same, &base, limits, &mut last.diagnostics)?;
    let label = |a: &Archived, col: Column| format!("lưu trữ kỳ {}, cột «{}»", a.period.phrase(), col.label());
    for ((unit, code, col), (value, origin)) in &same_values {
        let mut put = |target: Column, note: String| {
            last.values
                .insert((unit.clone(), code.clone(), target), Past { value: *value, origin: origin.clone(), note });
        };
        match col {
            Column::Actual => {
                put(Column::SamePeriodLastYear, label(&same, Column::Actual));
                if same.period == whole_period {
                    put(Column::PrevYear, label(&same, Column::Actual));
                }
            }
            // the estimate stands for the year's result until that year's own
            // period is archived (and where it lacks this unit's number)
            Column::Estimate if same.period != whole_period => {
                let why = match &whole {
                    None => format!("lưu trữ chưa có kỳ {}", whole_period.phrase()),
                    Some(_) => format!("kỳ {} trong lưu trữ không có số này", whole_period.phrase()),
                };
                put(Column::PrevYear, format!("{} ({why})", label(&same, Column::Estimate)))
            }
            _ => {}
        }
    }
    if let Some(whole) = whole.as_ref().filter(|w| w.period != same.period) {
        for ((unit, code, col), (value, origin)) in read_period(def, whole, &base, limits, &mut last.diagnostics)? {
            if col == Column::Actual {
                let note = label(whole, Column::Actual);
                last.values.insert((unit, code, Column::PrevYear), Past { value, origin, note });
            }
        }
    }
    Ok(Some(last))
}

type Values = HashMap<(String, String, Column), (Decimal, Origin)>;

/// Every value of an archived period's forms, by unit, indicator and column,
/// read and checked as they were for that period (a definition whose period
/// is the archived one).
fn read_period(
    def: &ReportDef,
    archived: &Archived,
    base: &Path,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> anyhow::Result<Values> {
    let mut then = def.clone();
    then.report.period = archived.period;
    let dir = archived.inputs();
    let (paths, _) = crate::ingest::discover_with(&dir, limits)?;
    let each = crate::ingest::read_each(base, &paths, limits, &|_| {}, |name, result| match result {
        Ok(raw) => crate::model::check_one(&then, &raw),
        Err(reason) => crate::model::Checked1 {
            submission: None,
            diagnostics: vec![Diagnostic::warning(
                &name,
                format!(
                    "tệp lưu trữ không đọc được ({}); số liệu kỳ trước của tệp này không được dùng",
                    reason.message
                ),
            )],
            sender: None,
        },
    });
    for one in &each {
        if one.submission.is_none() {
            diags.extend(one.diagnostics.iter().filter(|d| d.severity == crate::model::Severity::Error).map(|d| {
                let mut w = d.clone();
                w.severity = crate::model::Severity::Warning;
                w.message = format!("tệp lưu trữ không dùng được: {}", d.message);
                w
            }));
        }
    }
    let (subs, _) = crate::model::combine(&then, each);
    let mut out = Values::new();
    for sub in subs {
        for e in sub.entries {
            out.insert((sub.unit.clone(), e.indicator.to_string(), e.column), (e.value, e.origin));
        }
    }
    Ok(out)
}

/// Puts last year's values into a workbook of this period, in place of
/// what the unit typed (or left empty) in «TH cùng kỳ năm trước» and «TH
/// năm trước»: a number typed that differs from the archive is a warning
/// naming both cells, and the archive's is used.
pub fn apply(last: &LastYear, def: &ReportDef, raw: &mut RawWorkbook) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Some(meta) = &raw.meta else { return diags };
    let Some(unit) = meta.get(MetaKey::UnitCode).and_then(|c| c.value.text()).and_then(|c| def.units.get(&c)) else {
        return diags;
    };
    let unit = unit.code.clone();
    let file = raw.file.clone();
    let Some(table) = &mut raw.indicators else { return diags };
    for row in &mut table.rows {
        let Some(code) = row.get(Field::Code).and_then(|c| c.value.text()).map(|s| s.trim().to_string()) else {
            continue;
        };
        for col in [Column::SamePeriodLastYear, Column::PrevYear] {
            let Some(past) = last.get(&unit, &code, col) else { continue };
            let archived = RawCell { value: Cell::Number(past.value), origin: past.origin.clone(), legacy: None };
            match row.cells.iter_mut().find(|(f, _)| *f == Field::Value(col)) {
                Some((_, cell)) => {
                    if let Some(typed) = typed_number(&cell.value).filter(|v| *v != past.value) {
                        let name = def.indicator(&code).map(|i| i.name.as_str()).unwrap_or(&code);
                        diags.push(
                            Diagnostic::warning(
                                &file,
                                format!(
                                    "«{name}» cột «{}» ghi {}, khác số của kỳ trước trong lưu trữ: {} ({}, ô {}); dùng số lưu trữ",
                                    col.label(),
                                    format_number(typed, typed.scale(), true),
                                    format_number(past.value, past.value.scale(), true),
                                    past.origin.file(),
                                    past.origin.cell()
                                ),
                            )
                            .at(&cell.origin)
                            .unit(&unit)
                            .hint("Không cần sửa: ô này lấy từ báo cáo kỳ trước; nếu số kỳ trước sai thì sửa trong tệp lưu trữ"),
                        );
                    }
                    *cell = archived;
                }
                None => row.cells.push((Field::Value(col), archived)),
            }
        }
    }
    diags
}

/// A typed cell as a number, if it is one.
fn typed_number(cell: &Cell) -> Option<Decimal> {
    match cell {
        Cell::Number(n) => Some(*n),
        Cell::Text(t) => parse_number_text(t).map(|p| p.value),
        _ => None,
    }
}
