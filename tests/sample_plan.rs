//! End to end on the shipped sample: `inputs/` → the .docx, read back as XML
//! (structure and layout; the figures of the text are in golden.rs).

mod common;

use common::*;

#[test]
fn headings_are_numbered_and_styled() {
    let paras = paragraphs(&sample().parts["word/document.xml"]);
    let heads: Vec<(String, String)> =
        paras.iter().filter(|p| p.style.starts_with("Heading")).map(|p| (p.style.clone(), p.text.clone())).collect();
    let expect = [
        ("Heading1", "Phần thứ nhất\nTÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN NÔNG NGHIỆP, NÔNG THÔN 6 THÁNG ĐẦU NĂM VÀ ƯỚC THỰC HIỆN NĂM 2023"),
        ("Heading2", "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO ĐIỀU HÀNH"),
        ("Heading2", "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2023"),
        ("Heading3", "1. Thực hiện các nhiệm vụ trọng tâm"),
        ("Heading3", "2. Thực hiện các nhiệm vụ chuyên môn"),
        ("Heading4", "2.1. Sản xuất, dịch vụ nông nghiệp"),
        ("Heading5", "a) Tình hình sản xuất các loại cây trồng nông nghiệp chủ yếu"),
        ("Heading5", "b) Chăn nuôi - thủy sản"),
        ("Heading5", "c) Dịch vụ nông nghiệp"),
        ("Heading4", "2.2. Sản xuất lâm nghiệp"),
        ("Heading4", "2.3. Thủy lợi - Xây dựng cơ bản"),
        ("Heading5", "a) Công tác thủy lợi"),
        ("Heading5", "b) Đầu tư xây dựng cơ sở hạ tầng nông nghiệp, nông thôn"),
        // 2.4. is run into its paragraph
        ("Heading4", "2.5. Một số nhiệm vụ, chương trình khác"),
        // a), b) of 2.5 are run into their paragraphs
        ("Heading3", "3. Đánh giá chung"),
        ("Heading2", "III. DỰ BÁO KHẢ NĂNG THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH PHÁT TRIỂN NÔNG NGHIỆP, NÔNG THÔN NĂM 2023"),
        ("Heading1", "Phần thứ hai\nKẾ HOẠCH PHÁT TRIỂN NGÀNH VÀ DỰ TOÁN NĂM 2024"),
        ("Heading2", "I. DỰ BÁO BỐI CẢNH TÌNH HÌNH NĂM 2024"),
        ("Heading2", "II. MỤC TIÊU, NHIỆM VỤ CHỦ YẾU"),
        ("Heading3", "1. Mục tiêu"),
        // 1.1. is run into its paragraph
        ("Heading4", "1.2. Một số chỉ tiêu chính cần đạt"),
        ("Heading2", "III. CÁC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU THỰC HIỆN KẾ HOẠCH NĂM 2024"),
        ("Heading3", "1. Xây dựng nền nông nghiệp phát triển toàn diện theo hướng hiện đại, sinh thái, giá trị gia tăng cao"),
        ("Heading5", "a) Lâm nghiệp"),
        ("Heading5", "b) Chăn nuôi, thủy sản"),
        ("Heading5", "c) Trồng trọt"),
        ("Heading3", "2. Xây dựng nông thôn toàn diện, nông dân văn minh, nâng cao chất lượng đời sống nhân dân"),
        ("Heading3", "3. Phát triển hạ tầng nông nghiệp, nông thôn; sử dụng hiệu quả, bền vững tài nguyên thiên nhiên; nâng cao năng lực phòng tránh và giảm nhẹ thiên tai, ứng phó với biến đổi khí hậu"),
        ("Heading3", "4. Đẩy mạnh phát triển các hình thức tổ chức sản xuất mới, hiệu quả"),
        ("Heading3", "5. Một số nhiệm vụ, giải pháp khác"),
        ("Heading5", "a) Công tác phát triển thị trường, xúc tiến thương mại, hợp tác đối ngoại"),
        ("Heading5", "b) Tăng cường công tác khoa học công nghệ và khuyến nông"),
        ("Heading5", "c) Công tác quản lý chất lượng vật tư nông nghiệp và vệ sinh an toàn thực phẩm nông lâm thủy sản"),
        ("Heading5", "d) Tiếp tục cải cách hành chính, nâng cao hiệu lực, hiệu quả quản lý nhà nước, thực hành tiết kiệm, phòng, chống tham nhũng, lãng phí"),
        // đ) is run into its paragraph
    ];
    let got: Vec<(&str, &str)> = heads.iter().map(|(s, t)| (s.as_str(), t.as_str())).collect();
    assert_eq!(got, expect);
    // every heading style has an outline level in styles.xml
    let styles = &sample().parts["word/styles.xml"];
    let doc = roxmltree::Document::parse(styles).unwrap();
    for (i, id) in ["Heading1", "Heading2", "Heading3", "Heading4", "Heading5"].iter().enumerate() {
        let st = doc.descendants().find(|n| is_w(n, "style") && attr(n, "styleId") == Some(id)).unwrap();
        let lvl = st.descendants().find(|n| is_w(n, "outlineLvl")).and_then(|n| attr(&n, "val")).unwrap();
        assert_eq!(lvl, i.to_string(), "{id}");
    }
}

#[test]
fn footnotes_are_real_and_numbered_in_reading_order() {
    let s = sample();
    let notes = footnotes(&s.parts["word/footnotes.xml"]);
    // separator and continuation separator, then 1..10
    let ids: Vec<i64> = notes.iter().map(|(i, _)| *i).collect();
    assert_eq!(ids, [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let refs: Vec<i64> = paragraphs(&s.parts["word/document.xml"]).iter().flat_map(|p| p.notes.clone()).collect();
    assert_eq!(refs, (1..=10).collect::<Vec<_>>(), "references in document order");
    let text = |n: i64| notes.iter().find(|(i, _)| *i == n).unwrap().1.clone();
    assert!(text(1).starts_with("Quyết định số 422/QĐ-SNN ngày 20/12/2022 về giao dự toán ngân sách nhà nước năm 2023; Quyết định số 14/QĐ-SNN ngày 01/02/2023 phê duyệt nhiệm vụ trọng tâm"), "{}", text(1));
    assert!(
        text(1).ends_with("được Chủ tịch UBND tỉnh giao thực hiện tại Quyết định số 58/QĐ-UBND ngày 17/01/2023."),
        "{}",
        text(1)
    );
    assert_eq!(text(2), "Kế hoạch số 15/KH-SNN ngày 03/02/2023 về triển khai thực hiện Chương trình làm việc của Ủy ban nhân dân tỉnh năm 2023.");
    assert!(
        text(3).starts_with("Nghị quyết số 01/NQ-HĐND ngày 27/02/2023 của HĐND tỉnh về việc điều chỉnh"),
        "{}",
        text(3)
    );
    assert_eq!(text(3).matches("Nghị quyết số").count(), 5, "4 resolutions, one citing another: {}", text(3));
    assert!(text(4).starts_with("Công văn số 706/TTBVTV-TTBV&KDTV ngày 22/12/2022 của Chi cục Trồng trọt và BVTV về việc tăng cường chăm sóc"), "{}", text(4));
    assert!(
        text(4).contains(
            "Công văn số 1125/SNN-TSKTTH ngày 23/05/2023 về việc tăng cường chỉ đạo sản xuất vụ Xuân năm 2023"
        ),
        "{}",
        text(4)
    );
    assert!(
        text(4).ends_with(
            "Công văn số 1177/SNN-CNTY ngày 31/05/2023 về việc hướng dẫn công tác phòng, chống nắng nóng cho vật nuôi."
        ),
        "{}",
        text(4)
    );
    assert_eq!(text(5), "Mô hình chuỗi liên kết sản xuất, tiêu thụ sản phẩm, xây dựng thương hiệu khoai tây trên địa bàn huyện Lộc Bình.");
    assert_eq!(text(6), "Chuỗi liên kết sản xuất, sơ chế thuốc lá tại huyện Bắc Sơn; Chuỗi liên kết sản phẩm hồi tại huyện Chi Lăng; Chuỗi liên kết sản phẩm hồng tại huyện Văn Lãng; Chuỗi liên kết sản phẩm quế tại huyện Tràng Định.");
    assert_eq!(text(7), "Công văn số 413/UBND-KT ngày 12/04/2023 của UBND tỉnh về việc triển khai thực hiện Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ.");
    assert_eq!(text(8), "Trong đó huyện Văn Lãng 01 sản phẩm; huyện Văn Quan 03 sản phẩm; huyện Hữu Lũng 03 sản phẩm.");
    assert_eq!(text(9), "Trong đó 68 sản phẩm 03 sao chiếm 78,2%; 19 sản phẩm 04 sao chiếm 21,8% (trong 6 tháng đầu năm có 10 sản phẩm có giấy chứng nhận đã hết hiệu lực 36 tháng theo quy định).");
    assert_eq!(text(10), "03 HTX thành phố Lạng Sơn, 01 HTX huyện Tràng Định, 01 HTX huyện Bình Gia, 02 HTX huyện Văn Lãng, 01 HTX huyện Bắc Sơn, 02 HTX huyện Hữu Lũng.");

    // each note carries the footnoteRef mark and the FootnoteText style; both styles exist
    let doc = roxmltree::Document::parse(&s.parts["word/footnotes.xml"]).unwrap();
    for f in doc.descendants().filter(|n| is_w(n, "footnote") && attr(n, "type").is_none()) {
        assert!(f.descendants().any(|n| is_w(&n, "footnoteRef")), "note {:?} without its number mark", attr(&f, "id"));
        let style = f.descendants().find(|n| is_w(n, "pStyle")).and_then(|n| attr(&n, "val"));
        assert_eq!(style, Some("FootnoteText"));
    }
    let styles = &s.parts["word/styles.xml"];
    assert!(styles.contains(r#"w:styleId="FootnoteText""#) && styles.contains(r#"w:styleId="FootnoteReference""#));
    assert!(s.parts["word/settings.xml"]
        .contains(r#"<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>"#));
}

#[test]
fn page_setup_follows_decree_30() {
    let s = sample();
    let doc = roxmltree::Document::parse(&s.parts["word/document.xml"]).unwrap();
    let sect = doc.descendants().find(|n| is_w(n, "sectPr")).unwrap();
    let child = |name: &str| sect.children().find(|n| is_w(n, name));
    let pgsz = child("pgSz").unwrap();
    assert_eq!((attr(&pgsz, "w"), attr(&pgsz, "h"), attr(&pgsz, "orient")), (Some("11906"), Some("16838"), None));
    let m = child("pgMar").unwrap();
    for (k, v) in
        [("top", "1134"), ("bottom", "1134"), ("left", "1701"), ("right", "1134"), ("header", "567"), ("gutter", "0")]
    {
        assert_eq!(attr(&m, k), Some(v), "margin {k}");
    }
    assert!(child("titlePg").is_some(), "titlePg");
    let num = child("pgNumType").unwrap();
    assert_eq!(attr(&num, "start"), Some("1"));
    // default header: one centred paragraph with a PAGE field; first-page header: nothing
    let rels = &s.parts["word/_rels/document.xml.rels"];
    let target = |kind: &str| {
        let hr = sect.children().find(|n| is_w(n, "headerReference") && attr(n, "type") == Some(kind)).unwrap();
        let rid = hr.attribute(("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")).unwrap();
        let rdoc = roxmltree::Document::parse(rels).unwrap();
        let rel = rdoc.descendants().find(|n| n.attribute("Id") == Some(rid)).unwrap();
        format!("word/{}", rel.attribute("Target").unwrap())
    };
    let default = &s.parts[&target("default")];
    assert!(default.contains("<w:instrText") && default.contains("PAGE"), "{default}");
    assert!(default.contains(r#"w:fldCharType="begin""#) && default.contains(r#"w:fldCharType="end""#));
    assert!(default.contains(r#"<w:pStyle w:val="Header"/>"#));
    let first = &s.parts[&target("first")];
    assert!(!first.contains("PAGE") && !first.contains("<w:t"), "{first}");
    // the header style: centred 14 pt
    let styles = roxmltree::Document::parse(&s.parts["word/styles.xml"]).unwrap();
    let hs = styles.descendants().find(|n| is_w(n, "style") && attr(n, "styleId") == Some("Header")).unwrap();
    assert_eq!(hs.descendants().find(|n| is_w(n, "jc")).and_then(|n| attr(&n, "val")), Some("center"));
    assert_eq!(hs.descendants().find(|n| is_w(n, "sz")).and_then(|n| attr(&n, "val")), Some("28"));
}

#[test]
fn fonts_sizes_and_language_are_in_styles() {
    let s = sample();
    let styles = roxmltree::Document::parse(&s.parts["word/styles.xml"]).unwrap();
    let defaults = styles.descendants().find(|n| is_w(n, "rPrDefault")).unwrap();
    let fonts = defaults.descendants().find(|n| is_w(n, "rFonts")).unwrap();
    for k in ["ascii", "hAnsi", "cs", "eastAsia"] {
        assert_eq!(attr(&fonts, k), Some("Times New Roman"), "rFonts {k}");
    }
    assert_eq!(defaults.descendants().find(|n| is_w(n, "sz")).and_then(|n| attr(&n, "val")), Some("28"));
    assert_eq!(defaults.descendants().find(|n| is_w(n, "lang")).and_then(|n| attr(&n, "val")), Some("vi-VN"));
    for part in s.parts.keys().filter(|k| k.ends_with(".xml")) {
        let xml = &s.parts[part];
        assert!(!xml.contains("Theme=\"") && !xml.contains("theme=\""), "theme fonts in {part}");
        assert!(!xml.contains(".VnTime") && !xml.contains("VNI-"), "legacy font in {part}");
    }
    // body style: justified, first-line indent 1 cm, 6 pt before, single line, 14 pt
    let body = styles.descendants().find(|n| is_w(n, "style") && attr(n, "styleId") == Some("VanBan")).unwrap();
    assert_eq!(body.descendants().find(|n| is_w(n, "jc")).and_then(|n| attr(&n, "val")), Some("both"));
    assert_eq!(body.descendants().find(|n| is_w(n, "ind")).and_then(|n| attr(&n, "firstLine")), Some("567"));
    let sp = body.descendants().find(|n| is_w(n, "spacing")).unwrap();
    assert_eq!(
        (attr(&sp, "before"), attr(&sp, "line"), attr(&sp, "lineRule")),
        (Some("120"), Some("240"), Some("auto"))
    );
    let fnt = styles.descendants().find(|n| is_w(n, "style") && attr(n, "styleId") == Some("FootnoteText")).unwrap();
    assert_eq!(fnt.descendants().find(|n| is_w(n, "sz")).and_then(|n| attr(&n, "val")), Some("20"));
    // every paragraph of the body carries an explicit style that styles.xml defines
    let defined: Vec<&str> =
        styles.descendants().filter(|n| is_w(n, "style")).filter_map(|n| attr(&n, "styleId")).collect();
    for p in paragraphs(&s.parts["word/document.xml"]) {
        assert!(
            !p.style.is_empty() && defined.contains(&p.style.as_str()),
            "paragraph {:?} style {:?}",
            p.text,
            p.style
        );
    }
    // all text is NFC
    use unicode_normalization::UnicodeNormalization;
    let text = body_text(&s.parts["word/document.xml"]);
    assert_eq!(text.nfc().collect::<String>(), text);
}

#[test]
fn header_block_title_and_closing() {
    let paras = paragraphs(&sample().parts["word/document.xml"]);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let pos =
        |t: &str| texts.iter().position(|x| *x == t).unwrap_or_else(|| panic!("no paragraph {t:?} in {texts:#?}"));
    // header table then the title, in this order
    let order = [
        pos("UBND TỈNH LẠNG SƠN"),
        pos("SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN"),
        pos("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        pos("Độc lập - Tự do - Hạnh phúc"),
        pos("Số:       /KH-SNN"),
        pos("Lạng Sơn, ngày      tháng      năm 2023"),
        pos("KẾ HOẠCH"),
        pos("Phát triển ngành nông nghiệp, nông thôn năm 2024"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(paras[order[0]].in_table && !paras[order[6]].in_table);
    // Nơi nhận in order, then the signature block
    let i = pos("Nơi nhận:");
    // the body ends with ./. right before the closing table
    let last_body = paras[..i].iter().rev().find(|p| !p.in_table && !p.text.is_empty()).unwrap();
    assert!(last_body.text.ends_with("UBND tỉnh Lạng Sơn./."), "{}", last_body.text);
    let recipients: Vec<&str> = texts[i + 1..i + 8].to_vec();
    assert_eq!(
        recipients,
        [
            "- Bộ Nông nghiệp và PTNT (b/c);",
            "- Vụ Kế hoạch, Bộ Nông nghiệp và PTNT (b/c);",
            "- UBND tỉnh (b/c);",
            "- Sở Kế hoạch và Đầu tư;",
            "- Lãnh đạo Sở;",
            "- Các phòng, ban, đơn vị thuộc Sở;",
            "- Lưu: VT, KHTC.",
        ]
    );
    let g = pos("GIÁM ĐỐC");
    assert!(g > i && paras[g].in_table);
    assert_eq!(texts[g + 1..g + 6], ["", "", "", "", ""], "room for signature and seal");
    assert_eq!(texts[g + 6], "Lý Việt Hưng");
    assert_eq!(paras[g + 6].style, "NguoiKy");
}

#[test]
fn header_and_closing_tables_are_borderless_and_fixed() {
    let doc = roxmltree::Document::parse(&sample().parts["word/document.xml"]).unwrap();
    let tables: Vec<_> = doc.descendants().filter(|n| is_w(n, "tbl")).collect();
    assert_eq!(tables.len(), 3, "header, closing, appendix");
    let body = doc.descendants().find(|n| is_w(n, "body")).unwrap();
    assert!(is_w(&body.first_element_child().unwrap(), "tbl"), "the header table comes first");
    for (t, cols) in tables.iter().zip([[3628, 5443], [4252, 4819]]) {
        let grid: Vec<i64> =
            t.descendants().filter(|n| is_w(n, "gridCol")).map(|n| attr(&n, "w").unwrap().parse().unwrap()).collect();
        assert_eq!(grid, cols);
        assert_eq!(t.descendants().find(|n| is_w(n, "tblLayout")).and_then(|n| attr(&n, "type")), Some("fixed"));
        let borders = t.descendants().find(|n| is_w(n, "tblBorders")).unwrap();
        for b in borders.children().filter(|n| n.is_element()) {
            assert!(matches!(attr(&b, "val"), Some("nil") | Some("none")), "visible border {:?}", b.tag_name());
        }
    }
    assert_eq!(tables[0].children().filter(|n| is_w(n, "tr")).count(), 2);
}

#[test]
fn same_inputs_give_the_same_bytes() {
    let first = std::fs::read(&sample().docx).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = baocao::BuildOptions {
        inputs: root().join("inputs"),
        templates: root().join("templates/ke-hoach-nam").into(),
        out: dir.path().to_path_buf(),
        draft: false,
        limits: Default::default(),
    };
    let again = baocao::build(&opts).map_err(|_| "build failed").unwrap();
    assert!(std::fs::read(&again.path).unwrap() == first, "a rebuild differs");
    // deflated, and no wall-clock time in the document properties
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&again.path).unwrap()).unwrap();
    assert_eq!(zip.by_name("word/document.xml").unwrap().compression(), zip::CompressionMethod::Deflated);
    let core = &sample().parts["docProps/core.xml"];
    assert!(core.contains("2023-06-30T00:00:00Z"), "{core}");
}

#[test]
fn every_unit_was_read() {
    // 11 sub-departments and 11 districts, .xlsx, .xls and .ods among them
    assert_eq!(sample().stdout_units, 22);
}

#[test]
fn verdicts_follow_the_figures() {
    let mut def = baocao::config::ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, &root().join("inputs")).unwrap();
    def.fragments = vec![(
        "t.md.tera".into(),
        "{{ f.trong_rung.uoc | dat(voi=f.trong_rung.kh) }}/{{ f.trong_rung.ck | dat(voi=f.trong_rung.th) }}/{{ f.xa_ntm.uoc | dat(voi=f.xa_ntm.kh) }}".into(),
    )];
    let r = baocao::render::render(&def, &checked.figures, Default::default()).unwrap();
    let baocao::doc::Block::Paragraph { inlines, .. } = &r.document.body[0] else { panic!() };
    // 9.600 > 9.028; 6.000 < 6.500; 10 = 10
    assert_eq!(baocao::doc::plain_text(inlines), "vượt/chưa đạt/đạt");
}

#[test]
fn a_figure_stays_on_the_line_of_its_unit() {
    let xml = &sample().parts["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let texts: Vec<&str> = doc.descendants().filter(|n| is_w(n, "t")).filter_map(|n| n.text()).collect();
    let i = texts.iter().position(|t| *t == "15.585").expect("the figure is its own run");
    assert!(texts[i + 1].starts_with("\u{a0}ha"), "{:?}", texts[i + 1]);
}
