//! Writes the sample submissions of `inputs/` from `examples/sample-data.toml`
//! through the same form writer units receive (`baocao::forms`), then lets
//! LibreOffice save the ones marked `dinh_dang = "xls"` or `"ods"` in that
//! format — real files from a real spreadsheet program.
//!
//! cargo run --example sample-inputs -- inputs
//! cargo run --example sample-inputs -- --fixtures tests/fixtures
//! cargo run --example sample-inputs -- --ky-2 WORKDIR   (after `baocao ky-moi` in WORKDIR:
//!     the second period's workbooks into WORKDIR/inputs, its van-ban.toml and
//!     nhan-dinh.toml into WORKDIR/templates)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use baocao::config::ReportDef;
use baocao::forms::{form_workbook_with, DocRow, Marks};
use baocao::model::Column;
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

#[path = "sample_data/mod.rs"]
mod sample_data;

use sample_data::{fill_of, marks_for, Data};

/// Saves `wb` as `target`, through LibreOffice when the format is .xls or .ods.
fn save(mut wb: Workbook, target: &Path, format: &str, tmp: &Path) -> Result<()> {
    fs::create_dir_all(target.parent().unwrap())?;
    match format {
        "" | "xlsx" => wb.save(target)?,
        fmt @ ("xls" | "ods") => {
            let stem = target.file_stem().unwrap().to_string_lossy().into_owned();
            let xlsx = tmp.join(format!("{stem}.xlsx"));
            wb.save(&xlsx)?;
            let filter = if fmt == "xls" { "xls:MS Excel 97" } else { "ods" };
            let status = Command::new("soffice")
                .args(["--headless", "--norestore", "--convert-to", filter, "--outdir"])
                .arg(tmp)
                .arg(&xlsx)
                .arg(format!("-env:UserInstallation=file://{}/profile", tmp.display()))
                .status()
                .context("LibreOffice (soffice) is needed to write .xls/.ods samples")?;
            if !status.success() {
                bail!("soffice failed on {}", xlsx.display());
            }
            fs::copy(tmp.join(format!("{stem}.{fmt}")), target)?;
        }
        other => bail!("unknown format {other}"),
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let def = ReportDef::load(&root.join("templates/ke-hoach-nam"))?;
    // the forms units fill are marked with what every kind of document reads
    let marks =
        baocao::form_marks(&baocao::Templates::All(root.join("templates")).load_all()?, None, &Default::default())?;
    let data = Data::load(root)?;
    let tmp = tempfile::tempdir()?;
    if args.first().map(String::as_str) == Some("--fixtures") {
        let out = PathBuf::from(args.get(1).cloned().unwrap_or_else(|| "tests/fixtures".into()));
        return fixtures::write_all(&def, &marks, &data, &out, tmp.path());
    }
    if args.first().map(String::as_str) == Some("--ky-2") {
        let work = PathBuf::from(args.get(1).cloned().context("--ky-2 WORKDIR")?);
        return second_period(root, &work, tmp.path());
    }
    let out = PathBuf::from(args.first().cloned().unwrap_or_else(|| "inputs".into()));
    for u in &data.don_vi {
        let unit = def.units.get(&u.ma).with_context(|| format!("unknown unit {}", u.ma))?;
        let wb = form_workbook_with(&def, unit, Some(&fill_of(&def, u)?), &marks)?;
        let target = out.join(&u.tep);
        save(wb, &target, &u.dinh_dang, tmp.path())?;
        println!("{}", target.display());
    }
    Ok(())
}

/// The second period's workbooks, written on the forms of the working
/// folder `work` after `baocao ky-moi` (its period, last year's figures from
/// its archive), and the clerk's files of that period.
fn second_period(root: &Path, work: &Path, tmp: &Path) -> Result<()> {
    let templates = work.join("templates");
    let defs = baocao::Templates::All(templates.clone()).load_all()?;
    let def = defs.iter().find(|d| d.kind == "ke-hoach-nam").context("ke-hoach-nam")?;
    let marks = baocao::form_marks(&defs, Some(&work.join("inputs")), &Default::default())?;
    if marks.archived.is_empty() {
        bail!("{}: no archive of the previous period (run «baocao ky-moi» there first)", work.display());
    }
    let data = Data::load_file(&root.join("examples/ky-2/sample-data.toml"))?;
    for u in &data.don_vi {
        let unit = def.units.get(&u.ma).with_context(|| format!("unknown unit {}", u.ma))?;
        let wb = form_workbook_with(def, unit, Some(&fill_of(def, u)?), &marks_for(&marks, u))?;
        let target = work.join("inputs").join(&u.tep);
        save(wb, &target, &u.dinh_dang, tmp)?;
        println!("{}", target.display());
    }
    for f in ["van-ban.toml", "nhan-dinh.toml"] {
        fs::copy(root.join("examples/ky-2").join(f), templates.join(f))?;
        println!("{}", templates.join(f).display());
    }
    Ok(())
}

/// The ugly files clerks send, one per rule of the checks: each is a sample
/// unit's form with one thing wrong (tests/fixtures, used by tests/rules.rs).
mod fixtures {
    use super::*;
    use baocao::forms::value_cell;
    use rust_xlsxwriter::Formula;

    /// The unit whose form most fixtures spoil (a district: sums and breakdowns).
    pub const UNIT: &str = "CLO";

    enum Spoil {
        Text(&'static str, Column, &'static str),
        Number(&'static str, Column, f64),
        Formula(&'static str, Column, &'static str),
        Blank(&'static str, Column),
        /// (row, col) of the "Thông tin" sheet.
        Meta(u32, u16, &'static str),
        MetaNumber(u32, u16, f64),
        Date(NaiveDate),
        Document(&'static str, &'static str, &'static str),
        Code(&'static str, &'static str),
    }

    fn spoiled(def: &ReportDef, marks: &Marks, data: &Data, unit: &str, spoils: &[Spoil]) -> Result<Workbook> {
        let u = data.don_vi.iter().find(|u| u.ma == unit).context("unit in sample data")?;
        let unit_def = def.units.get(unit).context("unit")?;
        let mut fill = fill_of(def, u)?;
        for sp in spoils {
            match sp {
                Spoil::Date(d) => fill.report_date = Some(*d),
                Spoil::Document(loai, trich_yeu, nhom) => fill.documents.push(DocRow {
                    number_symbol: "15/KH-UBND".into(),
                    date: NaiveDate::from_ymd_opt(2023, 3, 2),
                    agency: "UBND huyện".into(),
                    kind: loai.to_string(),
                    subject: trich_yeu.to_string(),
                    group: nhom.to_string(),
                }),
                Spoil::Blank(code, col) => fill.values.retain(|(c, cc, _)| !(c == code && cc == col)),
                _ => {}
            }
        }
        let mut wb = form_workbook_with(def, unit_def, Some(&fill), marks)?;
        let extra = fill.extra_column.is_some();
        for sp in spoils {
            let at = |code: &str, col: Column| value_cell(def, unit_def, code, col, extra).context("cell of indicator");
            match sp {
                Spoil::Text(code, col, text) => {
                    let (r, c) = at(code, *col)?;
                    wb.worksheet_from_name("Chỉ tiêu")?.write_string(r, c, *text)?;
                }
                Spoil::Number(code, col, v) => {
                    let (r, c) = at(code, *col)?;
                    wb.worksheet_from_name("Chỉ tiêu")?.write_number(r, c, *v)?;
                }
                Spoil::Formula(code, col, f) => {
                    let (r, c) = at(code, *col)?;
                    let ws = wb.worksheet_from_name("Chỉ tiêu")?;
                    ws.set_formula_result_default("");
                    ws.write_formula(r, c, Formula::new(*f))?;
                }
                Spoil::Meta(r, c, text) => {
                    wb.worksheet_from_name("Thông tin")?.write_string(*r, *c, *text)?;
                }
                Spoil::MetaNumber(r, c, v) => {
                    wb.worksheet_from_name("Thông tin")?.write_number(*r, *c, *v)?;
                }
                Spoil::Code(code, new_code) => {
                    let (r, _) = at(code, Column::Actual)?;
                    wb.worksheet_from_name("Chỉ tiêu")?.write_string(r, 1, *new_code)?;
                }
                _ => {}
            }
        }
        Ok(wb)
    }

    /// A workbook written again cell by cell (values, dates kept as dates,
    /// no other formatting) from the .xlsx `bytes`, every text through
    /// `text`; with `hidden_copy` = (sheet, name, factor), a hidden copy of
    /// that sheet, its numbers times `factor`, is placed before all others
    /// (how units keep old figures out of sight).
    fn rewritten(
        bytes: &[u8],
        text: impl Fn(&str) -> String,
        hidden_copy: Option<(&str, &str, f64)>,
    ) -> Result<Workbook> {
        use calamine::{Data as Cell, Reader, Xlsx};
        use rust_xlsxwriter::Format;
        let mut source: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))?;
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let mut sheets = Vec::new();
        if let Some((sheet, name, factor)) = hidden_copy {
            sheets.push((sheet.to_string(), name.to_string(), factor, true));
        }
        for name in source.sheet_names() {
            sheets.push((name.clone(), name, 1.0, false));
        }
        let mut wb = Workbook::new();
        let mut active = false;
        for (from, name, factor, hidden) in sheets {
            let range = source.worksheet_range(&from)?;
            let ws = wb.add_worksheet();
            ws.set_name(text(&name))?;
            if hidden {
                ws.set_hidden(true);
            } else if !active {
                ws.set_active(true);
                active = true;
            }
            for (r, c, cell) in range.used_cells() {
                let (r, c) =
                    ((range.start().unwrap().0 as usize + r) as u32, (range.start().unwrap().1 as usize + c) as u16);
                match cell {
                    Cell::String(s) => ws.write_string(r, c, text(s))?,
                    Cell::Float(f) => ws.write_number(r, c, f * factor)?,
                    Cell::Int(i) => ws.write_number(r, c, *i as f64 * factor)?,
                    Cell::Bool(b) => ws.write_boolean(r, c, *b)?,
                    Cell::DateTime(d) => ws.write_number_with_format(r, c, d.as_f64(), &date)?,
                    _ => ws,
                };
            }
        }
        Ok(wb)
    }

    /// Unicode Vietnamese as typed with a TCVN3 (.VnTime) font: capitals
    /// without their own code are written as the small letter, as the
    /// .VnTimeH font shows them.
    fn to_tcvn3(s: &str) -> String {
        const TCVN3: &str = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u{ad}õøö÷ùúýûüþ¡¢§£¤¥¦";
        const UNICODE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ";
        let code = |c: char| UNICODE.chars().position(|u| u == c).and_then(|i| TCVN3.chars().nth(i));
        s.chars().map(|c| code(c).or_else(|| c.to_lowercase().next().and_then(code)).unwrap_or(c)).collect()
    }

    pub fn write_all(def: &ReportDef, marks: &Marks, data: &Data, out: &Path, tmp: &Path) -> Result<()> {
        use Spoil::*;
        fs::create_dir_all(out)?;
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let cases: Vec<(&str, &str, Vec<Spoil>)> = vec![
            ("chu-trong-o-so.xlsx", UNIT, vec![Text("htx_moi", Column::Actual, "hai")]),
            (
                "so-dang-chu.xlsx",
                UNIT,
                vec![Text("dtlcp_tieu_huy", Column::Actual, "205"), Text("dtlcp_tieu_huy_kg", Column::Actual, "7.480")],
            ),
            ("so-am.xlsx", UNIT, vec![Number("htx_moi", Column::Plan, -1.0)]),
            ("cong-thuc.xlsx", UNIT, vec![Formula("dtlcp_ho", Column::Actual, "=SUM(Z1:Z2)")]),
            ("o-bat-buoc-trong.xlsx", UNIT, vec![Blank("htx_moi", Column::Actual)]),
            ("ma-chi-tieu-la.xlsx", UNIT, vec![Code("htx_moi", "htx_mo1")]),
            ("sai-nam.xlsx", UNIT, vec![MetaNumber(5, 1, 2022.0)]),
            ("sai-ky.xlsx", UNIT, vec![Meta(4, 1, "Năm")]),
            ("don-vi-la.xlsx", UNIT, vec![Meta(2, 1, "XYZ")]),
            ("ban-sua.xlsx", UNIT, vec![Date(d(2023, 7, 5))]),
            ("trung-ngay.xlsx", UNIT, vec![]),
            ("sua-so-lieu.xlsx", UNIT, vec![Date(d(2023, 7, 5)), Number("htx_moi", Column::Actual, 1.0)]),
            ("bien-dong.xlsx", UNIT, vec![Number("dtlcp_ho", Column::SamePeriodLastYear, 10.0)]),
            (
                "tcvn3.xlsx",
                UNIT,
                vec![Document("C«ng v¨n", "vÒ viÖc t¨ng c\u{ad}êng phßng, chèng dÞch bÖnh gia sóc", "khac")],
            ),
            (
                "vni.xlsx",
                UNIT,
                vec![Document("Coâng vaên", "veà vieäc taêng cöôøng phoøng, choáng dòch beänh gia suùc", "khac")],
            ),
            ("tong-nho-hon-phan.xlsx", "TTBVTV", vec![Number("dt_dong_xuan", Column::Actual, 20000.0)]),
            (
                "nfd-ky-tu-cam.xlsx",
                UNIT,
                vec![Document("Công văn", "ve\u{302}\u{300} vie\u{323}\u{302}c tăng\u{1}cường\tphòng dịch", "khac")],
            ),
        ];
        for (name, unit, spoils) in cases {
            let wb = spoiled(def, marks, data, unit, &spoils)?;
            save(wb, &out.join(name), "xlsx", tmp)?;
            println!("{}", out.join(name).display());
        }
        // a hidden old copy of the form sheet, other figures, before the real one
        let form = spoiled(def, marks, data, UNIT, &[])?.save_to_buffer()?;
        let wb = rewritten(&form, str::to_string, Some(("Chỉ tiêu", "Chỉ tiêu (bản cũ)", 10.0)))?;
        save(wb, &out.join("trang-an.xlsx"), "xlsx", tmp)?;
        println!("{}", out.join("trang-an.xlsx").display());
        // a form typed again entirely with a TCVN3 font: labels, headers, names
        let wb = rewritten(&form, to_tcvn3, None)?;
        save(wb, &out.join("tcvn3-ca-bieu-mau.xlsx"), "xlsx", tmp)?;
        println!("{}", out.join("tcvn3-ca-bieu-mau.xlsx").display());
        // a workbook that is not a form at all
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "Bảng chấm công tháng 6")?;
        ws.write(1, 0, "Họ tên")?;
        ws.write(1, 1, "Số ngày")?;
        ws.write(2, 0, "Nguyễn Văn A")?;
        ws.write(2, 1, 22)?;
        wb.save(out.join("khong-phai-bieu-mau.xlsx"))?;
        // damaged and empty files
        fs::write(out.join("hong.xlsx"), b"PK\x03\x04 this zip was cut short while it was being sent")?;
        fs::write(out.join("rong.xlsx"), b"")?;
        // a password-protected form (real Office encryption, by msoffcrypto-tool from PyPI)
        let plain = tmp.join("mat-khau-plain.xlsx");
        spoiled(def, marks, data, UNIT, &[])?.save(&plain)?;
        let status = Command::new("msoffcrypto-tool")
            .args(["-e", "-p", "matkhau123"])
            .arg(&plain)
            .arg(out.join("mat-khau.xlsx"))
            .status()
            .context("msoffcrypto-tool (pip install msoffcrypto-tool) is needed for the encrypted fixture")?;
        if !status.success() {
            bail!("msoffcrypto-tool failed");
        }
        println!("{}", out.join("mat-khau.xlsx").display());
        Ok(())
    }
}
