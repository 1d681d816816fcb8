//! `check` and `build` agree: whatever stops a build is a finding of check,
//! with the unit, file, sheet and cell (or the group and the unit that
//! lists it), and a draft marks it visibly.

mod common;

#[path = "../examples/sample_data/mod.rs"]
mod sample_data;

use std::path::Path;

use baocao::config::ReportDef;
use baocao::model::Severity;
use baocao::{BuildError, BuildOptions, Templates};
use common::*;

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

/// The sample inputs with `unit`'s workbook rewritten from the sample data after `edit`.
fn inputs_with(unit: &str, edit: impl Fn(&mut sample_data::UnitData)) -> tempfile::TempDir {
    let dir = inputs_copy();
    let def = def();
    let data = sample_data::Data::load(&root()).unwrap();
    let mut u = data.don_vi.into_iter().find(|u| u.ma == unit).unwrap();
    edit(&mut u);
    let marks =
        baocao::form_marks(&Templates::All(root().join("templates")).load_all().unwrap(), None, &Default::default())
            .unwrap();
    let fill = sample_data::fill_of(&def, &u).unwrap();
    let mut wb = baocao::forms::form_workbook_with(&def, def.units.get(unit).unwrap(), Some(&fill), &marks).unwrap();
    let _ = std::fs::remove_file(dir.path().join(&u.tep));
    wb.save(dir.path().join(Path::new(&u.tep).with_extension("xlsx"))).unwrap();
    dir
}

fn build(inputs: &Path, draft: bool) -> (Result<baocao::Built, BuildError>, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        inputs: inputs.to_path_buf(),
        templates: Templates::Dir(root().join("templates/ke-hoach-nam")),
        out: out.path().to_path_buf(),
        draft,
        limits: Default::default(),
    };
    (baocao::build(&opts), out)
}

#[test]
fn a_document_group_without_rows_is_a_finding_naming_the_unit_that_lists_it() {
    let dir = inputs_with("KHTC", |u| u.van_ban.retain(|d| d.nhom != "giao-chi-tieu"));
    let checked = baocao::check(&def(), dir.path()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("nhóm «giao-chi-tieu»"))
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.file, "KHTC-phong-ke-hoach-tai-chinh.xlsx");
    assert_eq!((d.sheet.as_deref(), d.unit.as_deref()), (Some("Văn bản"), Some("KHTC")));
    assert!(d.hint.contains("cột «Nhóm» ghi «giao-chi-tieu»"), "{d}");
    // build stops on the same finding (exit 1, not a template error)
    match build(dir.path(), false).0 {
        Err(BuildError::Inputs(diags)) => assert!(diags.iter().any(|x| x == d)),
        other => panic!("{other:?}"),
    }
    // a draft marks the gap where the footnote would be
    let (built, _out) = build(dir.path(), true);
    let notes = footnotes(&read_parts(&built.unwrap().path)["word/footnotes.xml"]);
    assert!(
        notes.iter().any(|(_, t)| t.contains("thiếu số liệu: không có văn bản nào thuộc nhóm «giao-chi-tieu»")),
        "{notes:#?}"
    );
}

#[test]
fn a_share_of_a_zero_is_a_finding_at_the_zero_cell() {
    // the vegetables' same period last year typed as 0: «tăng …% so với cùng kỳ» cannot be printed
    let dir = inputs_with("TTBVTV", |u| {
        u.so_lieu.get_mut("dt_rau").unwrap().insert("ck".into(), "0".into());
    });
    let checked = baocao::check(&def(), dir.path()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("«Diện tích cây rau các loại» cột «TH cùng kỳ năm trước»"))
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert_eq!(d.severity, Severity::Error);
    assert_eq!((d.file.as_str(), d.unit.as_deref()), ("TTBVTV-chi-cuc-trong-trot-bvtv.xlsx", Some("TTBVTV")));
    assert!(d.cell.is_some() && d.message.contains("số bằng 0"), "{d}");
    assert!(matches!(build(dir.path(), false).0, Err(BuildError::Inputs(_))));
}

#[test]
fn a_narrative_key_missing_is_a_finding_and_a_marker_in_a_draft() {
    let templates = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), templates.path());
    let path = templates.path().join("nhan-dinh.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text: String = text.lines().filter(|l| !l.starts_with("thien-tai =")).collect::<Vec<_>>().join("\n");
    std::fs::write(&path, text).unwrap();
    let def = ReportDef::load(&templates.path().join("ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, &root().join("inputs")).unwrap();
    let d = checked.diagnostics.iter().find(|d| d.message.contains("«thien-tai»")).unwrap();
    assert_eq!(d.severity, Severity::Error);
    assert!(d.file.ends_with("nhan-dinh.toml") && d.hint.contains("thien-tai = "), "{d}");
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        inputs: root().join("inputs"),
        templates: Templates::Dir(templates.path().join("ke-hoach-nam")),
        out: out.path().to_path_buf(),
        draft: true,
        limits: Default::default(),
    };
    let built = baocao::build(&opts).unwrap();
    let body = body_text(&read_parts(&built.path)["word/document.xml"]);
    assert!(body.contains("6 tháng đầu năm, [thiếu số liệu: chưa có nhận định «thien-tai»"), "{body}");
}
