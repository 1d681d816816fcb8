//! Writes the sample submissions of `inputs/` from `examples/sample-data.toml`
//! through the same form writer units receive (`baocao::forms`), then lets
//! LibreOffice save the ones marked `dinh_dang = "xls"` or `"ods"` in that
//! format — real files from a real spreadsheet program.
//!
//! cargo run --example sample-inputs -- inputs

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use baocao::config::ReportDef;
use baocao::forms::{form_workbook, DocRow, Fill, ItemRow};
use baocao::model::Column;
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
struct Data {
    don_vi: Vec<UnitData>,
}

#[derive(Deserialize)]
struct UnitData {
    ma: String,
    tep: String,
    #[serde(default)]
    dinh_dang: String,
    ngay: String,
    #[serde(default)]
    cot_them: Option<String>,
    #[serde(default)]
    so_lieu: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    van_ban: Vec<DocData>,
    #[serde(default)]
    danh_muc: Vec<ItemData>,
}

#[derive(Deserialize)]
struct DocData {
    so: String,
    ngay: String,
    co_quan: String,
    loai: String,
    trich_yeu: String,
    nhom: String,
}

#[derive(Deserialize)]
struct ItemData {
    nhom: String,
    noi_dung: String,
    #[serde(default)]
    dia_ban: String,
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("bad date {s}"))
}

fn main() -> Result<()> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "inputs".into()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let def = ReportDef::load(&root.join("templates/ke-hoach-nam"))?;
    let data: Data = toml::from_str(&fs::read_to_string(root.join("examples/sample-data.toml"))?)?;
    let tmp = tempfile::tempdir()?;
    for u in &data.don_vi {
        let unit = def.units.get(&u.ma).with_context(|| format!("unknown unit {}", u.ma))?;
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
        let fill = Fill {
            values,
            report_date: Some(date(&u.ngay)?),
            documents: u
                .van_ban
                .iter()
                .map(|d| {
                    Ok(DocRow {
                        so_ky_hieu: d.so.clone(),
                        ngay: Some(date(&d.ngay)?),
                        co_quan: d.co_quan.clone(),
                        loai: d.loai.clone(),
                        trich_yeu: d.trich_yeu.clone(),
                        nhom: d.nhom.clone(),
                    })
                })
                .collect::<Result<_>>()?,
            items: u
                .danh_muc
                .iter()
                .map(|i| ItemRow { nhom: i.nhom.clone(), noi_dung: i.noi_dung.clone(), dia_ban: i.dia_ban.clone() })
                .collect(),
            extra_column: u.cot_them.clone(),
        };
        let mut wb = form_workbook(&def, unit, Some(&fill))?;
        let target = out.join(&u.tep);
        fs::create_dir_all(target.parent().unwrap())?;
        match u.dinh_dang.as_str() {
            "" | "xlsx" => wb.save(&target)?,
            fmt @ ("xls" | "ods") => {
                let stem = target.file_stem().unwrap().to_string_lossy().into_owned();
                let xlsx = tmp.path().join(format!("{stem}.xlsx"));
                wb.save(&xlsx)?;
                let filter = if fmt == "xls" { "xls:MS Excel 97" } else { "ods" };
                let status = Command::new("soffice")
                    .args(["--headless", "--norestore", "--convert-to", filter, "--outdir"])
                    .arg(tmp.path())
                    .arg(&xlsx)
                    .arg(format!("-env:UserInstallation=file://{}/profile", tmp.path().display()))
                    .status()
                    .context("LibreOffice (soffice) is needed to write .xls/.ods samples")?;
                if !status.success() {
                    bail!("soffice failed on {}", xlsx.display());
                }
                fs::copy(tmp.path().join(format!("{stem}.{fmt}")), &target)?;
            }
            other => bail!("unknown format {other}"),
        }
        println!("{}", target.display());
    }
    Ok(())
}
