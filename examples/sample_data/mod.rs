//! The sample data of `examples/sample-data.toml`: one form's contents per
//! unit (figures, documents, lists), as written into `inputs/` by
//! `examples/sample-inputs.rs` and used as the seed of the synthetic
//! submissions of `benches/gen/mod.rs` (which both include this file with
//! `#[path]`; it is a module, not an example of its own). The second
//! period's data (`examples/ky-2/sample-data.toml`) has the same shape; the
//! two-period test includes this file too.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};
use baocao::config::ReportDef;
use baocao::forms::{DocRow, Fill, ItemRow};
use baocao::model::Column;
use chrono::NaiveDate;
use serde::Deserialize;

/// The whole file: one entry per unit.
#[derive(Deserialize)]
pub struct Data {
    pub don_vi: Vec<UnitData>,
}

impl Data {
    /// Reads `examples/sample-data.toml` below the crate root `root`.
    pub fn load(root: &Path) -> Result<Data> {
        Data::load_file(&root.join("examples/sample-data.toml"))
    }

    /// Reads a sample data file.
    pub fn load_file(path: &Path) -> Result<Data> {
        Ok(toml::from_str(&fs::read_to_string(path).with_context(|| format!("{}", path.display()))?)?)
    }
}

/// One unit's form.
#[derive(Deserialize, Clone)]
pub struct UnitData {
    /// Unit code (units.toml).
    pub ma: String,
    /// File name below inputs/.
    pub tep: String,
    /// "xlsx" (or empty), "xls" or "ods".
    #[serde(default)]
    pub dinh_dang: String,
    /// Report date, YYYY-MM-DD.
    pub ngay: String,
    /// Header of a column the unit inserted before the values, if any.
    #[serde(default)]
    pub cot_them: Option<String>,
    /// Indicator code → column code → value as written.
    #[serde(default)]
    pub so_lieu: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub van_ban: Vec<DocData>,
    #[serde(default)]
    pub danh_muc: Vec<ItemData>,
}

/// A row of the documents sheet.
#[derive(Deserialize, Clone)]
pub struct DocData {
    pub so: String,
    pub ngay: String,
    pub co_quan: String,
    pub loai: String,
    pub trich_yeu: String,
    pub nhom: String,
}

/// A row of the lists sheet.
#[derive(Deserialize, Clone)]
pub struct ItemData {
    pub nhom: String,
    pub noi_dung: String,
    #[serde(default)]
    pub dia_ban: String,
}

/// A date of the sample data (YYYY-MM-DD).
pub fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("bad date {s}"))
}

/// The unit's documents, as the form writer takes them.
pub fn documents(u: &UnitData) -> Result<Vec<DocRow>> {
    u.van_ban
        .iter()
        .map(|d| {
            Ok(DocRow {
                number_symbol: d.so.clone(),
                date: Some(date(&d.ngay)?),
                agency: d.co_quan.clone(),
                kind: d.loai.clone(),
                subject: d.trich_yeu.clone(),
                group: d.nhom.clone(),
            })
        })
        .collect()
}

/// The unit's list rows, as the form writer takes them.
pub fn items(u: &UnitData) -> Vec<ItemRow> {
    u.danh_muc
        .iter()
        .map(|i| ItemRow { group: i.nhom.clone(), content: i.noi_dung.clone(), area: i.dia_ban.clone() })
        .collect()
}

/// The form contents of one unit of the sample data.
pub fn fill_of(def: &ReportDef, u: &UnitData) -> Result<Fill> {
    let mut values = Vec::new();
    for (code, cols) in &u.so_lieu {
        if def.indicator(code).is_none() {
            bail!("{}: unknown indicator {code}", u.ma);
        }
        for (col, v) in cols {
            let column = Column::from_code(col).with_context(|| format!("unknown column {col}"))?;
            values.push((code.clone(), column, v.parse()?));
        }
    }
    Ok(Fill {
        values,
        report_date: Some(date(&u.ngay)?),
        documents: documents(u)?,
        items: items(u),
        extra_column: u.cot_them.clone(),
    })
}

/// The marks of `u`'s form: a value the sample data types in a cell the
/// archive fills is typed over it (as on an old blank form), so that cell
/// is not pre-filled.
pub fn marks_for(marks: &baocao::forms::Marks, u: &UnitData) -> baocao::forms::Marks {
    let mut m = marks.clone();
    m.archived.retain(|(unit, code, col), _| {
        *unit != u.ma || !u.so_lieu.get(code).is_some_and(|cols| cols.contains_key(col_code(*col)))
    });
    m
}

fn col_code(c: Column) -> &'static str {
    c.code()
}
