//! Last year's figures from the archive: «TH cùng kỳ năm trước» from the
//! same period last year, «TH năm trước» from last year's «cả năm» period
//! when it is archived (else that same period's «Ước cả năm»), per unit and
//! indicator, with the archived cell as the source.

mod common;

#[path = "../examples/sample_data/mod.rs"]
mod sample_data;

use std::path::Path;

use baocao::config::ReportDef;
use baocao::forms::{form_workbook_with, Fill, Marks};
use baocao::model::Column;
use baocao::period::Period;
use baocao::Templates;
use common::*;

/// The sample data's workbooks written as forms of `period` into `dir`
/// (only the units `only`, when given).
fn write_period(def: &ReportDef, period: Period, dir: &Path, only: Option<&str>, edit: impl Fn(&mut Fill)) {
    let mut then = def.clone();
    then.report.period = period;
    let data = sample_data::Data::load(&root()).unwrap();
    for u in data.don_vi.iter().filter(|u| only.is_none_or(|o| o == u.ma)) {
        let mut fill = sample_data::fill_of(&then, u).unwrap();
        edit(&mut fill);
        let mut wb = form_workbook_with(&then, then.units.get(&u.ma).unwrap(), Some(&fill), &Marks::default()).unwrap();
        let path = dir.join(Path::new(&u.tep).with_extension("xlsx"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        wb.save(&path).unwrap();
    }
}

#[test]
fn cung_ky_from_the_same_period_and_nam_truoc_from_the_whole_year() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    copy_dir(&root().join("templates"), &w.join("templates"));
    copy_dir(&root().join("inputs"), &w.join("inputs"));
    let defs = Templates::All(w.join("templates")).load_all().unwrap();
    let def = &defs[0];
    // without an archive: the units' own «cùng kỳ»
    let before = baocao::check_for(&defs, &w.join("inputs"), &Default::default(), &baocao::Quiet).unwrap();
    assert_eq!(
        before.figures.get("dt_lua_xuan", Column::SamePeriodLastYear).unwrap().total,
        Some("15370".parse().unwrap())
    );

    // last year's first half, and last year as a whole for the crops unit only
    write_period(def, Period::new(2022, "6 tháng").unwrap(), &w.join("luu-tru/2022-6-thang/inputs"), None, |_| {});
    write_period(
        def,
        Period::new(2022, "cả năm").unwrap(),
        &w.join("luu-tru/2022-ca-nam/inputs"),
        Some("TTBVTV"),
        |f| {
            for (code, col, v) in &mut f.values {
                if code == "dt_lua_xuan" && *col == Column::Actual {
                    *v = "15402".parse().unwrap();
                }
            }
        },
    );
    let checked = baocao::check_for(&defs, &w.join("inputs"), &Default::default(), &baocao::Quiet).unwrap();
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);

    // «TH cùng kỳ» ← 2022's first half «TH kỳ báo cáo», from its cell
    let ck = checked.figures.get("dt_lua_xuan", Column::SamePeriodLastYear).unwrap();
    assert_eq!(ck.total, Some("15585".parse().unwrap()));
    let origin = &ck.contributions[0].origin;
    assert_eq!(origin.file(), "luu-tru/2022-6-thang/inputs/TTBVTV-chi-cuc-trong-trot-bvtv.xlsx");
    assert_eq!(origin.sheet(), "Chỉ tiêu");
    assert!(checked.figures.notes[origin].contains("lưu trữ kỳ 6 tháng đầu năm 2022, cột «TH kỳ báo cáo»"));

    // «TH năm trước» ← 2022 as a whole where archived…
    let tt = checked.figures.get("dt_lua_xuan", Column::PrevYear).unwrap();
    assert_eq!(tt.total, Some("15402".parse().unwrap()));
    assert_eq!(tt.contributions[0].origin.file(), "luu-tru/2022-ca-nam/inputs/TTBVTV-chi-cuc-trong-trot-bvtv.xlsx");
    assert!(checked.figures.notes[&tt.contributions[0].origin].contains("lưu trữ kỳ năm 2022, cột «TH kỳ báo cáo»"));
    // …else the first half's «Ước cả năm», saying so
    let tt = checked.figures.get("dan_lon", Column::PrevYear).unwrap();
    assert_eq!(tt.total, Some("178500".parse().unwrap()));
    let note = &checked.figures.notes[&tt.contributions[0].origin];
    assert!(note.contains("cột «Ước cả năm»") && note.contains("không có số này"), "{note}");

    // what a unit typed and the archive disagree on: a warning naming both cells
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("«Diện tích lúa Xuân» cột «TH cùng kỳ năm trước» ghi 15.370"))
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert!(d.message.contains("15.585 (luu-tru/2022-6-thang/inputs/TTBVTV-chi-cuc-trong-trot-bvtv.xlsx, ô "), "{d}");
    assert_eq!((d.file.as_str(), d.unit.as_deref()), ("TTBVTV-chi-cuc-trong-trot-bvtv.xlsx", Some("TTBVTV")));
    assert!(d.cell.is_some());

    // the blank forms carry those values, locked
    let marks = baocao::form_marks(&defs, Some(&w.join("inputs")), &Default::default()).unwrap();
    assert_eq!(marks.archive, "luu-tru/2022-6-thang");
    assert_eq!(marks.archived[&("TTBVTV".into(), "dt_lua_xuan".into(), Column::PrevYear)], "15402".parse().unwrap());
}
