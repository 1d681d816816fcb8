//! Two periods end to end, as a clerk does it: build the first period, run
//! `baocao ky-moi`, drop the units' workbooks of the second period (written
//! on the new forms, `examples/ky-2/`) and the clerk's files of the period,
//! build again. Nothing of the first period's facts may remain in the
//! second document, last year's figures come from the archive, and the
//! words follow the new figures.

mod common;

#[path = "../examples/sample_data/mod.rs"]
mod sample_data;

use std::fs;
use std::path::Path;
use std::process::Command;

use baocao::model::Column;
use baocao::{BuildOptions, Templates};
use common::*;

fn baocao_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_baocao")).args(args).current_dir(dir).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn build(work: &Path) -> baocao::Built {
    let opts = BuildOptions {
        inputs: work.join("inputs"),
        templates: Templates::All(work.join("templates")),
        out: work.join("output"),
        draft: false,
        limits: Default::default(),
    };
    match baocao::build(&opts) {
        Ok(b) => b,
        Err(baocao::BuildError::Inputs(d)) => panic!("inputs have errors: {d:#?}"),
        Err(baocao::BuildError::Other(e)) => panic!("{e:#}"),
    }
}

/// The plan's body and footnotes, as read back from its .docx.
fn plan_text(built: &baocao::Built) -> (String, String) {
    let d = built.documents.iter().find(|d| d.kind == "ke-hoach-nam").unwrap();
    let parts = read_parts(&d.path);
    let notes = footnotes(&parts["word/footnotes.xml"]).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n");
    (body_text(&parts["word/document.xml"]), notes)
}

/// Document numbers ("3924/BNN-KH", "95-NQ/TU") and full dates of a text.
fn numbers_and_dates(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '“' | '”' | '"')) {
        let word = word.trim_end_matches('.');
        let digits = word.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            continue;
        }
        let rest = &word[digits..];
        let doc_number =
            (rest.starts_with('/') || rest.starts_with('-')) && rest[1..].starts_with(|c: char| c.is_uppercase());
        let date =
            rest.starts_with('/') && word.matches('/').count() == 2 && word.ends_with(|c: char| c.is_ascii_digit());
        if doc_number || date {
            out.push(word.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The numbers of a text as printed ("15.585", "103,9"), with their places.
fn number_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (!cur.is_empty() && (c == '.' || c == ',')) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end_matches(['.', ',']).to_string());
            cur.clear();
        }
    }
    out
}

#[test]
fn the_next_period_without_a_developer() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    copy_dir(&root().join("templates"), &w.join("templates"));
    copy_dir(&root().join("inputs"), &w.join("inputs"));
    let chung_before = fs::read_to_string(w.join("templates/chung.toml")).unwrap();

    // ---- period 1
    let first = build(w);
    assert!(w.join("output/ke-hoach-nam-2024.docx").is_file());
    let (body1, notes1) = plan_text(&first);
    // the figures of the text (the appendix's year columns legitimately carry last year on)
    let printed1: Vec<String> = first
        .documents
        .iter()
        .find(|d| d.kind == "ke-hoach-nam")
        .unwrap()
        .printed
        .iter()
        .filter(|p| !p.place.starts_with("Phụ lục"))
        .map(|p| p.text.clone())
        .collect();

    // ---- ky-moi refuses an existing archive folder, and changes nothing then
    fs::create_dir_all(w.join("luu-tru/2023-6-thang")).unwrap();
    let o = baocao_in(w, &["ky-moi"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("luu-tru/2023-6-thang") && text(&o.stderr).contains("không ghi đè"),
        "{}",
        text(&o.stderr)
    );
    assert!(w.join("inputs/huyen/BSO-bac-son.xlsx").is_file(), "nothing moved");
    assert_eq!(fs::read_to_string(w.join("templates/chung.toml")).unwrap(), chung_before);
    fs::remove_dir_all(w.join("luu-tru")).unwrap();

    // ---- ky-moi
    let o = baocao_in(w, &["ky-moi"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}\n{}", out, text(&o.stderr));
    assert!(out.contains("6 tháng đầu năm 2023 → 6 tháng đầu năm 2024"), "{out}");
    // the review list names file and line
    assert!(
        out.contains("templates/ke-hoach-nam/44-phan-2-III-3-ha-tang.md.tera:6: ") && out.contains("— cần xem lại"),
        "{out}"
    );
    // everything of period 1 kept in the archive, nothing deleted
    let archive = w.join("luu-tru/2023-6-thang");
    for f in [
        "inputs/huyen/BSO-bac-son.xlsx",
        "output/ke-hoach-nam-2024.docx",
        "templates/van-ban.toml",
        "templates/chung.toml",
    ] {
        assert!(archive.join(f).is_file(), "{f} archived");
    }
    assert!(fs::read_dir(w.join("inputs")).unwrap().next().is_none(), "fresh inputs/");
    // the period moved in chung.toml, every comment kept
    let chung = fs::read_to_string(w.join("templates/chung.toml")).unwrap();
    assert_eq!(chung, chung_before.replace("[ky_bao_cao]\nnam = 2023", "[ky_bao_cao]\nnam = 2024"));
    // the period's data files are fresh and say which period they are for
    let nd = fs::read_to_string(w.join("templates/nhan-dinh.toml")).unwrap();
    assert!(nd.contains("ky = \"6 tháng đầu năm 2024\"") && nd.contains("# thien-tai = \"các đợt mưa lớn"), "{nd}");
    // new blank forms, with last year's figures locked in
    let forms: Vec<_> = fs::read_dir(w.join("output/bieu-mau")).unwrap().collect();
    assert_eq!(forms.len(), 22);

    // ---- before the units answer, check names everything build would refuse (exit 1, like build)
    let o = baocao_in(w, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains("chưa nộp báo cáo") && out.contains("nhan-dinh.toml") && out.contains("«can-cu-ke-hoach»"),
        "{out}"
    );
    let o = baocao_in(w, &["build"]);
    assert_eq!(o.status.code(), Some(1), "build refuses as check does");

    // ---- the units' workbooks of period 2, on the new forms; the clerk's files of the period
    let defs = Templates::All(w.join("templates")).load_all().unwrap();
    let def = defs.iter().find(|d| d.kind == "ke-hoach-nam").unwrap();
    assert_eq!(def.period().phrase(), "6 tháng đầu năm 2024");
    let marks = baocao::form_marks(&defs, Some(&w.join("inputs")), &Default::default()).unwrap();
    assert_eq!(marks.archive, "luu-tru/2023-6-thang");
    assert!(marks.archived.contains_key(&("CNTY".into(), "dan_lon".into(), Column::SamePeriodLastYear)));
    let data = sample_data::Data::load_file(&root().join("examples/ky-2/sample-data.toml")).unwrap();
    for u in &data.don_vi {
        let unit = def.units.get(&u.ma).unwrap();
        let fill = sample_data::fill_of(def, u).unwrap();
        let mut wb =
            baocao::forms::form_workbook_with(def, unit, Some(&fill), &sample_data::marks_for(&marks, u)).unwrap();
        // written as .xlsx (the sample's .xls and .ods need LibreOffice)
        let path = w.join("inputs").join(Path::new(&u.tep).with_extension("xlsx"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        wb.save(&path).unwrap();
    }
    for f in ["van-ban.toml", "nhan-dinh.toml"] {
        fs::copy(root().join("examples/ky-2").join(f), w.join("templates").join(f)).unwrap();
    }

    // ---- check: no error; a unit's typed «cùng kỳ» that differs is a warning naming both cells;
    // genuine zeros said once per form
    let defs = Templates::All(w.join("templates")).load_all().unwrap();
    let checked = baocao::check_for(&defs, &w.join("inputs"), &Default::default(), &baocao::Quiet).unwrap();
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    let mismatch =
        checked.diagnostics.iter().find(|d| d.message.contains("khác số của kỳ trước")).expect("the CNTY mismatch");
    assert!(mismatch.message.contains("29.700") && mismatch.message.contains("29.628"), "{mismatch}");
    assert!(
        mismatch.message.contains("luu-tru/2023-6-thang/inputs/CNTY-chi-cuc-chan-nuoi-thu-y.xls, ô "),
        "{mismatch}"
    );
    assert!(mismatch.cell.is_some());
    assert!(!checked.diagnostics.iter().any(|d| d.message.contains("giảm 100%")), "{:#?}", checked.diagnostics);
    let zeros: Vec<_> = checked.diagnostics.iter().filter(|d| d.message.contains("ghi 0 trong khi")).collect();
    assert!(!zeros.is_empty() && zeros.iter().all(|d| d.message.contains("ô ")), "{zeros:#?}");

    // ---- period 2
    let second = build(w);
    let plan = w.join("output/ke-hoach-nam-2025.docx");
    assert!(plan.is_file() && w.join("output/bao-cao-6-thang-2024.docx").is_file());
    assert!(archive.join("output/ke-hoach-nam-2024.docx").is_file(), "last year's plan untouched");
    let (body2, notes2) = plan_text(&second);
    let all2 = format!("{body2}\n{notes2}");
    // the new years in title, date line, headings and appendix
    for s in [
        "Phát triển ngành nông nghiệp, nông thôn năm 2025",
        "Lạng Sơn, ngày      tháng      năm 2024",
        "6 THÁNG ĐẦU NĂM VÀ ƯỚC THỰC HIỆN NĂM 2024",
        "KẾ HOẠCH PHÁT TRIỂN NGÀNH VÀ DỰ TOÁN NĂM 2025",
        "MỘT SỐ CHỈ TIÊU CHỦ YẾU PHÁT TRIỂN NÔNG NGHIỆP, NÔNG THÔN NĂM 2025",
        "(Kèm theo Kế hoạch số       /KH-SNN ngày      tháng      năm 2024 của Sở Nông nghiệp và Phát triển nông thôn)",
        "xuân Giáp Thìn năm 2024",
        "Giá trị khối lượng thực hiện ước đến 30/6/2024",
    ] {
        assert!(all2.contains(s), "{s:?} in the second plan:\n{body2}");
    }
    // no document number or date of period 1 remains, but for the standing
    // references written in the templates themselves (a resolution of the
    // Government, the appendix's form code), which the review list shows
    let mut template_text = String::new();
    for e in walkdir::WalkDir::new(root().join("templates")).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if !["van-ban.toml", "nhan-dinh.toml"].contains(&name.as_str()) {
            template_text.push_str(&fs::read_to_string(e.path()).unwrap());
        }
    }
    let standing = numbers_and_dates(&template_text);
    assert!(standing.iter().any(|s| s == "76/NQ-CP"), "{standing:?}");
    let old: Vec<String> = numbers_and_dates(&format!("{body1}\n{notes1}"));
    assert!(old.iter().any(|s| s == "3924/BNN-KH") && old.iter().any(|s| s == "16/6/2023"), "{old:?}");
    let kept: Vec<&String> = old.iter().filter(|s| all2.contains(s.as_str()) && !standing.contains(s)).collect();
    assert!(kept.is_empty(), "period 1's numbers and dates in period 2: {kept:?}");
    // no figure of period 1 remains in the text, except last year's figures the archive gives
    let from_archive: Vec<String> = second
        .documents
        .iter()
        .find(|d| d.kind == "ke-hoach-nam")
        .unwrap()
        .printed
        .iter()
        .filter(|p| {
            let mut cells = baocao::provenance::sources(p, &second.sums).peekable();
            cells.peek().is_some() && cells.all(|s| s.origin.file().starts_with("luu-tru/"))
        })
        .map(|p| p.text.clone())
        .collect();
    let text2 = body2.split("\nPhụ lục ").next().unwrap();
    let tokens2 = number_tokens(text2);
    assert!(printed1.len() > 150 && tokens2.len() > 150, "{} {}", printed1.len(), tokens2.len());
    let stale: Vec<&String> = printed1
        .iter()
        .filter(|t| t.chars().filter(|c| c.is_ascii_digit()).count() >= 3 || t.contains(','))
        .filter(|t| !from_archive.iter().any(|a| a == *t))
        .filter(|t| {
            let n = t.trim_end_matches('%');
            n.parse::<i32>().map_or(true, |y| !(2019..=2026).contains(&y)) && tokens2.iter().any(|x| x == n)
        })
        .collect();
    assert!(stale.is_empty(), "figures of period 1 in period 2: {stale:?}");

    // «TH cùng kỳ» came from the archive, cell by cell, and the provenance says so
    let ck = second.sums.get("dan_lon", Column::SamePeriodLastYear).unwrap();
    assert_eq!(ck.total, Some("176628".parse().unwrap()), "last year's «TH kỳ báo cáo»");
    assert!(ck
        .contributions
        .iter()
        .all(|c| c.origin.file() == "luu-tru/2023-6-thang/inputs/CNTY-chi-cuc-chan-nuoi-thu-y.xls"));
    let prev_year = second.sums.get("dt_lua_xuan", Column::PrevYear).unwrap();
    assert_eq!(prev_year.total, Some("15585".parse().unwrap()), "last year's «Ước cả năm»");
    let note = second.sums.notes.get(&prev_year.contributions[0].origin).unwrap();
    assert!(
        note.contains("6 tháng đầu năm 2023") && note.contains("Ước cả năm") && note.contains("năm 2023"),
        "{note}"
    );
    let prov = fs::read(w.join("output/ke-hoach-nam-2025-nguon-so-lieu.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(prov)).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    assert!(strings.contains("luu-tru/2023-6-thang/inputs/CNTY-chi-cuc-chan-nuoi-thu-y.xls"));
    assert!(strings.contains("lưu trữ kỳ 6 tháng đầu năm 2023, cột «TH kỳ báo cáo»"));

    // the words follow the new figures
    for (s, in1, in2) in [
        ("Giá trâu bò hơi giảm", true, false),
        ("đang có diễn biến phức tạp, chiều hướng lây lan ra diện rộng", true, false),
        ("Tổng đàn lợn phát triển", true, false),
        ("Số vụ cháy rừng tăng so với cùng kỳ", true, false),
        ("Tuy nhiên, trước tình hình khó khăn trong khâu tiêu thụ sản phẩm thạch đen", true, false),
        ("tổng đàn bò hiện có ước 30.398 con, tăng 2,6% so với cùng kỳ năm trước", false, true),
        ("Tổng đàn lợn ước có 171.240 con, giảm 3,1% so với cùng kỳ", false, true),
        ("có 02 ổ dịch bệnh lở mồm long móng tại huyện Cao Lộc", false, true),
        ("số hộ có lợn mắc bệnh giảm 25% so với cùng kỳ", false, true),
    ] {
        assert_eq!(body1.contains(s), in1, "{s:?} in period 1");
        assert_eq!(body2.contains(s), in2, "{s:?} in period 2:\n{body2}");
    }
}

#[test]
fn ky_moi_checks_the_new_settings_first_and_undoes_a_failure() {
    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    copy_dir(&root().join("templates"), &w.join("templates"));
    copy_dir(&root().join("inputs"), &w.join("inputs"));
    let snapshot = |w: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(w)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(w).unwrap().display().to_string(), fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };

    // a year written into a file name is this period's, but will not be the next one's
    let report = w.join("templates/bao-cao-6-thang/report.toml");
    let stale = fs::read_to_string(&report)
        .unwrap()
        .replace("ten_tep = \"bao-cao-6-thang-{{ nam }}\"", "ten_tep = \"bao-cao-6-thang-2023\"");
    fs::write(&report, stale).unwrap();
    let before = snapshot(w);
    let o = baocao_in(w, &["ky-moi"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("ten_tep") && err.contains("6 tháng đầu năm 2024") && err.contains("chưa thay đổi gì"),
        "{err}"
    );
    assert_eq!(snapshot(w), before, "nothing touched");

    // a failure at the last step (the forms written) puts everything back
    fs::write(
        &report,
        fs::read_to_string(&report).unwrap().replace("bao-cao-6-thang-2023", "bao-cao-6-thang-{{ nam }}"),
    )
    .unwrap();
    let before = snapshot(w);
    let o = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .arg("ky-moi")
        .current_dir(w)
        .env("BAOCAO_TEST_FAIL_KY_MOI", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("mọi thứ đã được để lại như trước"), "{}", text(&o.stderr));
    assert_eq!(snapshot(w), before, "everything back as it was");
    assert!(!w.join("luu-tru/2023-6-thang").exists());
}
