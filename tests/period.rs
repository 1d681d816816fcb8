//! One period setting (`[ky_bao_cao]` of chung.toml): everything that names
//! the period follows it, and a setting that contradicts it is an error
//! naming the file, the key and the fix.

mod common;

use std::fs;
use std::path::Path;

use baocao::config::ReportDef;
use common::*;

/// A copy of the shipped templates with `edit` applied to `file`.
fn templates_with(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), dir.path());
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
    dir
}

fn next_year(t: String) -> String {
    t.replace("[ky_bao_cao]\nnam = 2023", "[ky_bao_cao]\nnam = 2024")
}

fn load(dir: &Path, kind: &str) -> anyhow::Result<ReportDef> {
    ReportDef::load(&dir.join(kind))
}

/// The error loading `kind` gives, in full.
fn error(dir: &Path, kind: &str) -> String {
    match load(dir, kind) {
        Ok(_) => panic!("«{kind}» loaded without an error"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn one_edit_moves_title_file_name_date_line_and_appendix() {
    let t = templates_with("chung.toml", next_year);
    // last period's documents and narrative are not this period's (ky-moi archives them)
    for f in ["van-ban.toml", "nhan-dinh.toml"] {
        let _ = fs::remove_file(t.path().join(f));
    }
    let def = load(t.path(), "ke-hoach-nam").unwrap();
    assert_eq!(def.period().phrase(), "6 tháng đầu năm 2024");
    assert_eq!(def.report.document.subject, "Phát triển ngành nông nghiệp, nông thôn năm 2025");
    assert_eq!(def.report.file_stem(), "ke-hoach-nam-2025");
    let app = def.appendix.as_ref().unwrap();
    assert_eq!(app.title, "Một số chỉ tiêu chủ yếu phát triển nông nghiệp, nông thôn năm 2025");
    let meta = baocao::render::meta_of(&def, false);
    assert_eq!(meta.place_date, "Lạng Sơn, ngày      tháng      năm 2024");
    assert!(baocao::render::attached_to(&def.report).contains("năm 2024 của"));
    let report = load(t.path(), "bao-cao-6-thang").unwrap();
    assert_eq!(report.report.file_stem(), "bao-cao-6-thang-2024");
    assert!(report.report.document.subject.ends_with("6 tháng đầu năm 2024"));
    let letter = load(t.path(), "cong-van-gui-ke-hoach").unwrap();
    assert_eq!(letter.report.file_stem(), "cong-van-gui-ke-hoach-2025");
}

#[test]
fn the_date_line_takes_the_year_of_the_signing_date() {
    let t = templates_with("ke-hoach-nam/report.toml", |s| s.replace("ngay = \"\" ", "ngay = \"2023-12-28\""));
    let def = load(t.path(), "ke-hoach-nam").unwrap();
    assert_eq!(baocao::render::meta_of(&def, false).place_date, "Lạng Sơn, ngày 28 tháng 12 năm 2023");
}

#[test]
fn a_file_name_with_last_years_year_or_without_a_year_is_refused() {
    let t = templates_with("ke-hoach-nam/report.toml", |s| {
        s.replace("ten_tep = \"ke-hoach-nam-{{ nam_sau }}\"", "ten_tep = \"ke-hoach-nam-2022\"")
    });
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("report.toml") && e.contains("ten_tep") && e.contains("{{ nam_sau }}"), "{e}");
    assert!(e.contains("năm 2022"), "{e}");
    let t = templates_with("ke-hoach-nam/report.toml", |s| {
        s.replace("ten_tep = \"ke-hoach-nam-{{ nam_sau }}\"", "ten_tep = \"ke-hoach-nam\"")
    });
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("ten_tep") && e.contains("ghi đè") && e.contains("{{ nam_sau }}"), "{e}");
    // a year that is the period's or the next is not stale
    let t = templates_with("ke-hoach-nam/report.toml", |s| {
        s.replace("ten_tep = \"ke-hoach-nam-{{ nam_sau }}\"", "ten_tep = \"ke-hoach-nam-2024\"")
    });
    assert_eq!(load(t.path(), "ke-hoach-nam").unwrap().report.file_stem(), "ke-hoach-nam-2024");
    // the appendix's spreadsheet too
    let t = templates_with("ke-hoach-nam/phu-luc.toml", |s| {
        s.replace("ten_tep = \"phu-luc-01-SXNLN\"", "ten_tep = \"phu-luc-01-SXNLN-2021\"")
    });
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("phu-luc.toml") && e.contains("2021"), "{e}");
}

#[test]
fn a_signing_date_outside_the_period_is_refused() {
    // last period's date left in place after the period moved on
    let t = templates_with("ke-hoach-nam/report.toml", |s| s.replace("ngay = \"\" ", "ngay = \"2023-07-05\""));
    fs::write(t.path().join("chung.toml"), next_year(fs::read_to_string(t.path().join("chung.toml")).unwrap()))
        .unwrap();
    for f in ["van-ban.toml", "nhan-dinh.toml"] {
        fs::remove_file(t.path().join(f)).unwrap();
    }
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("report.toml") && e.contains("ngay = \"2023-07-05\""), "{e}");
    assert!(e.contains("6 tháng đầu năm 2024") && e.contains("Để trống"), "{e}");
}

#[test]
fn a_period_that_is_no_period_is_named() {
    let t = templates_with("chung.toml", |s| s.replace("ky = \"6 tháng\"", "ky = \"9 tháng\""));
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("chung.toml") && e.contains("«9 tháng»") && e.contains("«cả năm»"), "{e}");
    // the old second year of [van_ban] is gone: one place only
    let t = templates_with("chung.toml", |s| s.replace("[van_ban]\n", "[van_ban]\nnam = 2023\n"));
    let e = error(t.path(), "ke-hoach-nam");
    assert!(e.contains("nam"), "{e}");
}

#[test]
fn period_data_files_of_another_period_are_refused() {
    for (file, other) in [("van-ban.toml", "nhan-dinh.toml"), ("nhan-dinh.toml", "van-ban.toml")] {
        let t = templates_with("chung.toml", next_year);
        fs::remove_file(t.path().join(other)).unwrap();
        let e = error(t.path(), "ke-hoach-nam");
        assert!(e.contains(file) && e.contains("6 tháng đầu năm 2023"), "{e}");
        assert!(e.contains("baocao ky-moi"), "{e}");
    }
}
