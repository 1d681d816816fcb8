//! Every kind of document from the same submissions: the plan, the period
//! report with "Kính gửi", the Công văn with "V/v" under its number, a kind
//! defined in a folder of its own (no Rust change), and the HTML copy of
//! each, where every figure says where it came from.

mod common;

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use baocao::{BuildOptions, Built, Templates};
use common::*;

/// The three shipped kinds, built once from the sample inputs.
fn all() -> &'static (tempfile::TempDir, Built) {
    static B: OnceLock<(tempfile::TempDir, Built)> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let opts = BuildOptions {
            inputs: root().join("inputs"),
            templates: Templates::All(root().join("templates")),
            out: dir.path().to_path_buf(),
            draft: false,
            limits: Default::default(),
        };
        let built = baocao::build(&opts).map_err(|e| format!("{e:?}")).unwrap();
        (dir, built)
    })
}

fn document(kind: &str) -> &'static baocao::BuiltDocument {
    all().1.documents.iter().find(|d| d.kind == kind).unwrap_or_else(|| panic!("no {kind}"))
}

fn texts(path: &Path) -> Vec<Para> {
    paragraphs(&read_parts(path)["word/document.xml"])
}

#[test]
fn every_kind_is_built_with_its_html_copy() {
    let kinds: Vec<&str> = all().1.documents.iter().map(|d| d.kind.as_str()).collect();
    assert_eq!(kinds, ["bao-cao-6-thang", "cong-van-gui-ke-hoach", "ke-hoach-nam"]);
    for d in &all().1.documents {
        assert!(d.path.is_file() && d.html.is_file(), "{}", d.kind);
        assert_eq!(d.path.extension().unwrap(), "docx");
        let stem = d.path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(d.path.with_file_name(format!("{stem}-nguon-so-lieu.xlsx")).is_file());
    }
    // the plan is the same document as when built alone
    let alone = read_parts(&sample().docx);
    assert_eq!(read_parts(&document("ke-hoach-nam").path)["word/document.xml"], alone["word/document.xml"]);
}

#[test]
fn the_report_has_its_title_recipient_and_the_results_part_only() {
    let paras = texts(&document("bao-cao-6-thang").path);
    let t: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let at = |s: &str| t.iter().position(|x| *x == s).unwrap_or_else(|| panic!("no {s:?} in {t:#?}"));
    assert!(at("Số:       /BC-SNN") < at("BÁO CÁO"));
    let title = at("BÁO CÁO");
    assert_eq!(
        t[title + 1].replace('\n', " "),
        "Tình hình thực hiện nhiệm vụ phát triển nông nghiệp, nông thôn 6 tháng đầu năm 2023"
    );
    assert_eq!(t[title + 1].lines().count(), 2, "balanced on two lines");
    // the rule, then Kính gửi on one line, centred, not bold
    assert_eq!(paras[title + 2].style, "DuongKe");
    let k = title + 3;
    assert_eq!(t[k], "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn");
    assert_eq!(paras[k].style, "KinhGui");
    // the results of Phần thứ nhất, numbered I, II, III, IV without a "Phần"
    let body = t.join("\n");
    assert!(!body.contains("Phần thứ"), "{body}");
    for h in ["I. CÔNG TÁC THAM MƯU", "II. KẾT QUẢ THỰC HIỆN", "III. DỰ BÁO KHẢ NĂNG", "IV. NHIỆM VỤ, GIẢI PHÁP"]
    {
        assert!(body.contains(h), "{h}");
    }
    assert!(body.contains("Lúa Xuân ước đạt 15.585 ha đạt 103,9% kế hoạch"));
    assert!(!body.contains("Phụ lục"), "no appendix in the report");
    let notes = footnotes(&read_parts(&document("bao-cao-6-thang").path)["word/footnotes.xml"]);
    assert_eq!(notes.iter().filter(|(id, _)| *id > 0).count(), 10, "the same ten footnotes");
    let last = paras.iter().rev().find(|p| !p.in_table && !p.text.is_empty()).unwrap();
    assert!(last.text.ends_with("xem xét, chỉ đạo./."), "{}", last.text);
}

#[test]
fn the_letter_has_no_title_and_its_subject_under_the_number() {
    let paras = texts(&document("cong-van-gui-ke-hoach").path);
    let t: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    assert!(!paras.iter().any(|p| p.style == "TenLoai" || p.style == "TrichYeu"), "no tên loại, no trích yếu");
    let number = t.iter().position(|x| *x == "Số:       /SNN-KHTC").expect("number without a type code");
    let vv = &paras[number + 1];
    assert!(vv.in_table && vv.style == "VeViec", "{vv:?}");
    assert_eq!(vv.text.replace('\n', " "), "V/v gửi Kế hoạch phát triển ngành nông nghiệp, nông thôn năm 2024");
    assert!(vv.text.lines().count() >= 2, "balanced lines: {:?}", vv.text);
    // Kính gửi first after the header table, recipients on their own lines
    let first = paras.iter().position(|p| !p.in_table).unwrap();
    assert_eq!(
        t[first..first + 3],
        [
            "Kính gửi:",
            "- Bộ Nông nghiệp và Phát triển nông thôn;",
            "- Vụ Kế hoạch, Bộ Nông nghiệp và Phát triển nông thôn."
        ]
    );
    let body = t.join("\n");
    assert!(body.contains("tổng sản lượng lương thực khoảng 302.210 tấn, vượt kế hoạch"), "{body}");
    assert!(body.contains("tổng sản lượng lương thực có hạt trên 305.000 tấn"), "{body}");
    let nn = t.iter().position(|x| *x == "Nơi nhận:").unwrap();
    assert_eq!(t[nn + 1], "- Như trên;");
    let last = paras[..nn].iter().rev().find(|p| !p.in_table && !p.text.is_empty()).unwrap();
    assert!(last.text.ends_with("./."), "{}", last.text);
}

#[test]
fn a_new_kind_is_a_folder_not_a_change_in_rust() {
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("templates");
    copy_dir(&root().join("templates"), &templates);
    let kind = templates.join("thong-bao-ket-qua");
    fs::create_dir_all(&kind).unwrap();
    fs::write(
        kind.join("report.toml"),
        r#"[van_ban]
ten_loai = "THÔNG BÁO"
ma_loai = "TB"
trich_yeu = "Kết quả sản xuất vụ Đông Xuân năm {{ nam }}"
ten_tep = "thong-bao-dong-xuan-{{ nam }}"

[[noi_nhan]]
ten = "UBND các huyện, thành phố"
"#,
    )
    .unwrap();
    fs::write(
        kind.join("10-noi-dung.md.tera"),
        "Tổng diện tích gieo trồng vụ Đông Xuân {{ nam }} đạt {{ f.dt_dong_xuan.th | so }} ha, \
         {{ f.dt_dong_xuan.th | so_sanh(voi=f.dt_dong_xuan.ck) }} so với cùng kỳ./.\n",
    )
    .unwrap();
    let out = work.path().join("out");
    let opts = BuildOptions {
        inputs: root().join("inputs"),
        templates: Templates::Dir(kind.clone()),
        out: out.clone(),
        draft: false,
        limits: Default::default(),
    };
    let built = baocao::build(&opts).map_err(|e| format!("{e:?}")).unwrap();
    assert_eq!(built.path, out.join("thong-bao-dong-xuan-2023.docx"));
    let t: Vec<String> = texts(&built.path).into_iter().map(|p| p.text).collect();
    for s in ["Số:       /TB-SNN", "THÔNG BÁO", "Kết quả sản xuất vụ Đông Xuân năm 2023", "- Lưu: VT, KHTC."]
    {
        assert!(t.iter().any(|x| x == s), "{s:?} in {t:#?}");
    }
    assert!(t
        .iter()
        .any(|x| x == "Tổng diện tích gieo trồng vụ Đông Xuân 2023 đạt 48.231,7 ha, giảm 0,4% so với cùng kỳ./."));
    // and --tat-ca now builds four
    let all = BuildOptions { templates: Templates::All(templates), out: work.path().join("all"), ..opts };
    assert_eq!(baocao::build(&all).map_err(|e| format!("{e:?}")).unwrap().documents.len(), 4);
}

#[test]
fn the_html_copy_has_the_same_text_and_every_figure_its_source() {
    let d = document("ke-hoach-nam");
    let html = fs::read_to_string(&d.html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"vi\">"));
    // self-contained: no link to anything outside
    assert!(!html.contains("<link") && !html.contains("src=\"http") && !html.contains("<img"));
    for s in ["KẾ HOẠCH", "Phần thứ nhất", "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO ĐIỀU HÀNH", "Nơi nhận:", "Lý Việt Hưng"]
    {
        assert!(html.contains(s), "{s}");
    }
    // footnotes as notes at the end, linked both ways
    assert!(html.contains("<li id=\"cn-10\">") && html.contains("href=\"#cn-1\""));
    // the figure 15.585 ha and its cell
    let at = html.find(">15.585</span>").expect("the figure as a span");
    let span = &html[html[..at].rfind("<span").unwrap()..at];
    assert!(span.contains("class=\"so-lieu\""), "{span}");
    assert!(span.contains("TTBVTV-chi-cuc-trong-trot-bvtv.xlsx, trang «Chỉ tiêu», ô"), "{span}");
    assert!(span.contains("Diện tích lúa Xuân — TH kỳ báo cáo"), "{span}");
    // a sum names its parts: tiêm phòng 941.283 = four cells
    let at = html.find(">941.283</span>").unwrap();
    let span = &html[html[..at].rfind("<span").unwrap()..at];
    assert!(span.contains("data-so-o=\"4\""), "{span}");
    // every figure of the document is a span with a source
    let figures = d.document.figures.len();
    assert_eq!(html.matches("class=\"so-lieu\"").count(), figures);
    assert!(d.document.figures.iter().all(|f| f.source_count > 0), "every figure has a cell behind it");
    // the appendix table, its numbers with sources too
    assert!(html.contains("Phụ lục 01/SXNLN") && html.contains("<table class=\"bang\">"));
}

#[test]
fn cell_text_is_escaped_in_the_html() {
    use baocao::forms::{form_workbook, DocRow, Fill};
    let inputs = inputs_copy();
    let def = baocao::config::ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let unit = def.units.get("KHTC").unwrap();
    let fill = Fill {
        documents: vec![DocRow {
            number_symbol: "01/<b>QĐ</b>".into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 1, 5),
            agency: "Sở Nông nghiệp và PTNT".into(),
            kind: "Quyết định".into(),
            subject: "về <script>alert('x')</script> & \"kiểm tra\"".into(),
            group: "giao-chi-tieu".into(),
        }],
        report_date: chrono::NaiveDate::from_ymd_opt(2023, 7, 1),
        ..Fill::default()
    };
    let mut wb = form_workbook(&def, unit, Some(&fill)).unwrap();
    wb.save(inputs.path().join("KHTC-ban-sua.xlsx")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        inputs: inputs.path().to_path_buf(),
        templates: root().join("templates/ke-hoach-nam").into(),
        out: out.path().to_path_buf(),
        draft: true,
        limits: Default::default(),
    };
    let built = baocao::build(&opts).map_err(|e| format!("{e:?}")).unwrap();
    let html = fs::read_to_string(&built.documents[0].html).unwrap();
    assert!(html.contains("về &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;kiểm tra&quot;"), "escaped");
    assert!(html.contains("01/&lt;b&gt;QĐ&lt;/b&gt;"));
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
}
