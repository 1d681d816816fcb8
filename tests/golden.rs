//! The whole reference plan (../shared/reference/ke-hoach-2024-lang-son.txt)
//! against the document built from `inputs/`: every figure-bearing sentence,
//! every footnote, and every stated total recomputed from its parts as the
//! document prints them. Where the reference was wrong the corrected text is
//! expected (docs/so-lieu-mau.md lists each correction).

mod common;

use common::*;
use rust_decimal::{Decimal, RoundingStrategy};

/// Sentences and clauses of the reference, in document order, with exactly
/// its figures (corrected where docs/so-lieu-mau.md says so).
const FIGURE_SENTENCES: &[&str] = &[
    // Phần thứ nhất, II.1 — nhiệm vụ trọng tâm
    "hoàn thiện hỗ trợ xây dựng mới 01 chuỗi sản xuất liên kết, khảo sát lựa chọn 04 sản phẩm tại 04 huyện: Bắc Sơn, Chi Lăng, Văn Lãng, Tràng Định để triển khai hỗ trợ",
    "toàn tỉnh đánh giá phân hạng 07 sản phẩm OCOP đạt 03 sao, lũy kế hiện nay có 87 sản phẩm OCOP được xếp hạng.",
    "thành lập mới được 10 HTX nông nghiệp, đạt 66,7% KH năm",
    "Tổ chức được 02 lớp tập huấn nâng cao năng lực quản lý cho các HTX",
    "trồng rừng mới ước hết tháng 6/2023 được 6.500 ha, đạt 72% so với kế hoạch năm, bằng 108,3% cùng kỳ",
    "trồng cây phân tán được 2,5 triệu cây, đạt 70,9% so kế hoạch, bằng 125% cùng kỳ",
    "đã cấp 02 giấy xác nhận cấp mã số vùng trồng đối với sản phẩm lúa và thanh long (diện tích 13,7 ha)",
    "tiếp nhận 10 hồ sơ đề nghị cấp mã số vùng trồng cây ớt tại huyện Chi Lăng với diện tích 19,6 ha",
    "Tiếp nhận 05 hồ sơ cơ sở đóng gói khoai lang, sầu riêng và thạch đen, qua thẩm định 04 cơ sở đã đáp ứng yêu cầu",
    "Lựa chọn, hướng dẫn được 16 đơn vị thực hiện lập hồ sơ dự án",
    "kế hoạch năm 2023 là 2.000 ha",
    // II.2.1 a) trồng trọt
    "Tổng diện tích gieo trồng vụ Đông Xuân đạt 48.231,7 ha, đạt 98,4% so với kế hoạch, đạt 99,6% so với cùng kỳ",
    "Lúa Xuân ước đạt 15.585 ha đạt 103,9% kế hoạch, bằng 101,4% so với cùng kỳ",
    "Ngô Xuân ước đạt 13.763 ha bằng 98,31% kế hoạch, bằng 100,1% so với cùng kỳ",
    "Tổng sản lượng lương thực có hạt ước đạt 153,23 nghìn tấn, đạt 101,99% kế hoạch, bằng 101,6% so với cùng kỳ",
    "cây rau 5.866 ha, đạt 97,8% kế hoạch, tăng 4,1% so với cùng kỳ",
    "cây khoai tây 613 ha, đạt 102,1% kế hoạch, tăng 0,6% so với cùng kỳ",
    "cây thuốc lá 2.472 ha, đạt 112,36% kế hoạch, đạt 105,8% cùng kỳ",
    "ớt 1.479 ha đạt 134,49% kế hoạch, tăng 6,6% cùng kỳ",
    "diện tích gieo trồng cây thạch đen vụ Xuân 2023 ước đạt 2.030 ha, đạt 67,67% KH, bằng 77,9% so với cùng kỳ",
    // II.2.1 b) chăn nuôi, thủy sản
    "Ước tính đàn trâu có 63.875 con, giảm 2,1% so với cùng kỳ",
    "tổng đàn bò hiện có ước 29.628 con, giảm 2% so với cùng kỳ năm trước",
    "Tổng đàn lợn phát triển, ước có 176.628 con, tăng 1,8% so với cùng kỳ",
    "Tổng đàn gia cầm ước 4.790,3 nghìn con, tăng 3,9% so với cùng kỳ",
    "có 01 ổ dịch bệnh lở mồm long móng tại huyện Lộc Bình (5 hộ/1 xã/32 con mắc bệnh)",
    "xảy ra tại 336 hộ/80 thôn/32 xã/6 huyện, tiêu hủy 1.117 con lợn với tổng trọng lượng 40.908 kg",
    "tiêm phòng được 941.283 lượt con, đạt 113% so với cùng kỳ, trong đó: trâu, bò 83.467 lượt con; lợn 58.712 con; gia cầm 768.258 con; chó, mèo 30.846 con.",
    "diện tích nuôi thủy sản ước 1.210 ha, đạt 100% kế hoạch năm, sản lượng đạt 950 tấn",
    "ương nuôi 1.800.000 con cá chép bột và cung ứng được 710.800 con cá giống các loại",
    // II.2.1 c) dịch vụ nông nghiệp
    "đã cung ứng được trên 368 tấn giống các loại; 20.600 tấn phân bón các loại",
    "Tổ chức 04 Chương trình truyền thông “Khuyến nông phiên chợ” tại 04 điểm chợ, tuyên truyền cho bà con nông dân 02 phim phóng sự",
    "tổ chức 04 lớp tập huấn cho 146 khuyến nông viên cơ sở, cộng tác viên khuyến nông, cấp phát 146 bộ tài liệu",
    // II.2.2 lâm nghiệp
    "Tiếp tục chăm sóc 37.608 ha, khoanh nuôi 1.940 ha theo chỉ tiêu được giao.",
    "6 tháng đầu năm toàn tỉnh khai thác được 348.284 m³ gỗ các loại (tăng 5,21% so với cùng kỳ)",
    "nhựa thông khai thác được 27.312 tấn (bằng 190,6% so với cùng kỳ)",
    "khai thác hoa hồi khô 4.540,5 tấn (bằng 104,1% so với cùng kỳ)",
    "Hiện nay trên toàn tỉnh có 791 tổ chức, cá nhân sản xuất, kinh doanh giống cây trồng lâm nghiệp",
    "đã sản xuất gieo ươm khoảng 280 triệu cây các loại, số lượng cây sản xuất gieo ươm đủ tiêu chuẩn xuất vườn khoảng 260 triệu cây.",
    // II.2.3 a) thủy lợi, phòng chống thiên tai
    "Các hồ chứa có mực nước trung bình khoảng 3,7 m, đạt trung bình 47,9%",
    "tổng dung tích của 15 hồ lớn trên địa bàn đến hết tháng 6 đạt khoảng 67,6% (tương đương 26,81 triệu m³) tổng dung tích thiết kế",
    "ước tổng giá trị thiệt hại khoảng 3.277 triệu đồng",
    // II.2.3 b) đầu tư xây dựng cơ bản
    "(cả nguồn vốn sự nghiệp có tính chất đầu tư) là 235.261 triệu đồng, trong đó: vốn địa phương là 73.950 triệu đồng, vốn trung ương là 80.200 triệu đồng, vốn nước ngoài 81.111 triệu đồng.",
    "Giá trị khối lượng thực hiện ước đến 30/6/2023 là 26.004 triệu đồng, đạt 11,1% kế hoạch vốn",
    "ước kết quả giải ngân là 18.880 triệu đồng, đạt 8,0% kế hoạch vốn giao.",
    // II.2.4 nông thôn mới
    "Trình UBND tỉnh quyết định công nhận năm 2022 đối với 11 xã đạt chuẩn NTM, 05 xã đạt chuẩn NTM nâng cao và 02 xã đạt chuẩn nông thôn mới kiểu mẫu.",
    "cấp phát 3.420 cuốn sổ tay hướng dẫn thực hiện bộ tiêu chí quốc gia, tổ chức được 15 lớp tập huấn",
    "với tổng số 820 học viên tham gia",
    "chi tiết cho 113 danh mục công trình khởi công mới",
    "kết quả đến nay có 17 công trình đã hoàn thành, 40 công trình đang triển khai xây dựng, còn 56/113 công trình đang hoàn thiện thủ tục",
    "phê duyệt được 34 mô hình phát triển sản xuất, trong đó có 24 mô hình trồng trọt, 07 mô hình chăn nuôi, 03 mô hình lâm nghiệp.",
    // II.2.5 a) chất lượng nông lâm thủy sản
    "đã lấy 59 mẫu test nhanh nông sản, thực phẩm và 50 mẫu phân tích định lượng",
    "kết quả có 02/59 mẫu test nhanh, 06/50 mẫu định lượng không đạt chỉ tiêu an toàn thực phẩm theo quy định",
    "Thực hiện cấp 08 giấy chứng nhận cơ sở sản xuất, kinh doanh thực phẩm đủ điều kiện an toàn thực phẩm; xác nhận 01 chuỗi cung ứng thực phẩm an toàn",
    "đối với 03 cơ sở sản xuất, chế biến, kinh doanh nông lâm thủy sản, kết quả 03 cơ sở xếp loại A",
    "chứng nhận an toàn thực phẩm tại 05 xã phấn đấu đạt chuẩn nông thôn mới nâng cao năm 2023",
    // II.2.5 b) nước sạch
    "hoàn thành bàn giao 13 công trình thuộc Chương trình “Mở rộng quy mô vệ sinh và nước sạch nông thôn dựa trên kết quả”",
    "tổ chức được 12 lớp tập huấn truyền thông nâng cao năng lực",
    "Tỷ lệ dân cư nông thôn được sử dụng nước hợp vệ sinh đến 30/6/2023 ước đạt 97,5%.",
    // II.3 đánh giá chung
    "diện tích gieo trồng cây thạch đen giảm so với cùng kỳ (đạt 67,67% kế hoạch, giảm 22,1% cùng kỳ)",
    // III — dự báo cả năm 2023
    "- Tốc độ tăng trưởng GRDP toàn ngành đạt trên 3,5%",
    "trong cơ cấu GRDP chung toàn tỉnh chiếm khoảng 18 - 19%",
    "- Tổng sản lượng lương thực khoảng 302.210 tấn, vượt mục tiêu kế hoạch (mục tiêu 300.000 tấn);",
    "- Xây dựng 10 xã đạt chuẩn nông thôn mới, đạt kế hoạch;",
    "- Trồng rừng mới được trên 9.600 ha, vượt kế hoạch; tỷ lệ che phủ rừng đạt 64,2%",
    "- Tỷ lệ dân cư nông thôn được sử dụng nước hợp vệ sinh đạt 98%",
    "- Diện tích tưới vụ Xuân 25.700 ha (lúa Xuân 13.100 ha); vụ Mùa 26.924 ha.",
    // Phần thứ hai, II.1.2 — chỉ tiêu năm 2024
    "- Tốc độ tăng trưởng GRDP toàn ngành đạt 3 - 3,5%;",
    "trong cơ cấu GRDP chung toàn tỉnh chiếm khoảng 17 - 18%;",
    "- Trồng rừng mới đạt trên 9.000 ha, độ che phủ rừng đạt 64,6%;",
    "- Tỷ lệ dân cư nông thôn được sử dụng nước hợp vệ sinh 98,5%; tỷ lệ dân cư nông thôn được sử dụng nước sạch đáp ứng quy chuẩn đạt 60%;",
    "- Phấn đấu toàn tỉnh năm 2024 có thêm 10 xã đạt chuẩn nông thôn mới, 05 xã đạt chuẩn nông thôn mới nâng cao, 03 xã đạt chuẩn nông thôn mới kiểu mẫu;",
    "- Hỗ trợ xây dựng mới 05 chuỗi giá trị; phấn đấu chuẩn hóa trên 15 sản phẩm OCOP.",
    "(Chỉ tiêu cụ thể tại Phụ lục 01/SXNLN kèm theo).",
    // Phần thứ hai, III — nhiệm vụ, giải pháp năm 2024
    "(cả trồng mới và trồng lại sau khai thác) trên 9.000 ha/năm; chăm sóc rừng trồng 37.608 ha; khoán bảo vệ 488.217 ha; trồng cây phân tán 2.223 nghìn cây.",
    "phấn đấu hết năm 2024 tỷ lệ che phủ rừng đạt 64,6%.",
    "đảm bảo đạt trên 80%. Xây dựng 02 cơ sở chăn nuôi đạt chứng nhận VietGAHP",
    "Phấn đấu diện tích gieo trồng các loại cây trồng nông nghiệp đạt 94.800 ha, trong đó diện tích gieo trồng các loại cây lương thực có hạt đạt 67.000 ha; tổng sản lượng lương thực có hạt đạt trên 305.000 tấn/năm.",
    "năm 2024, cấp mới 30 mã số vùng trồng đối với cây trồng chủ lực phục vụ nội tiêu và xuất khẩu, với diện tích khoảng 150 ha.",
    "phấn đấu trồng mới trên 500 ha cây ăn quả các loại.",
    "Phấn đấu năm 2024 có thêm 10 xã đạt chuẩn NTM, 05 xã đạt chuẩn nông thôn mới nâng cao, 03 xã đạt chuẩn nông thôn mới kiểu mẫu; có thêm trên 15 sản phẩm được chuẩn hóa",
    "tập trung hỗ trợ xây dựng được 05 chuỗi liên kết trong sản xuất nông nghiệp",
];

/// The ten footnotes of the reference, word for word as the document prints
/// them (dates in full two-digit form, issuer named when it is not the Sở).
const FOOTNOTES: [&str; 10] = [
    "Quyết định số 422/QĐ-SNN ngày 20/12/2022 về giao dự toán ngân sách nhà nước năm 2023; Quyết định số 14/QĐ-SNN ngày 01/02/2023 phê duyệt nhiệm vụ trọng tâm của các phòng, ban, đơn vị trực thuộc Sở Nông nghiệp và PTNT năm 2023; Hướng dẫn số 02/HD-SNN ngày 10/01/2023 hướng dẫn triển khai thực hiện các chỉ tiêu kế hoạch phát triển nông nghiệp, nông thôn năm 2023; Kế hoạch số 11/KH-SNN ngày 30/01/2023 về triển khai các nhiệm vụ, giải pháp chủ yếu chỉ đạo, điều hành thực hiện Kế hoạch phát triển kinh tế - xã hội và dự toán ngân sách nhà nước năm 2023; Kế hoạch số 27/KH-SNN ngày 13/02/2023 về thực hiện các nhiệm vụ trọng tâm năm 2023 của Sở Nông nghiệp và PTNT được Chủ tịch UBND tỉnh giao thực hiện tại Quyết định số 58/QĐ-UBND ngày 17/01/2023.",
    "Kế hoạch số 15/KH-SNN ngày 03/02/2023 về triển khai thực hiện Chương trình làm việc của Ủy ban nhân dân tỉnh năm 2023.",
    "Nghị quyết số 01/NQ-HĐND ngày 27/02/2023 của HĐND tỉnh về việc điều chỉnh một số nội dung Nghị quyết số 68/NQ-HĐND ngày 10/12/2019 của Hội đồng nhân dân tỉnh về việc phê chuẩn Đề án rà soát, điều chỉnh ranh giới ba loại rừng tỉnh Lạng Sơn đến năm 2030; Nghị quyết số 02/NQ-HĐND ngày 27/02/2023 của HĐND tỉnh quyết định chuyển mục đích sử dụng rừng sang mục đích khác trên địa bàn tỉnh Lạng Sơn; Nghị quyết số 04/NQ-HĐND ngày 19/04/2023 của HĐND tỉnh thông qua mức giá sản phẩm, dịch vụ công ích thủy lợi trên địa bàn tỉnh Lạng Sơn năm 2022; Nghị quyết số 06/NQ-HĐND ngày 19/04/2023 của HĐND tỉnh về rà soát, điều chỉnh ranh giới ba loại rừng tỉnh Lạng Sơn đến năm 2030.",
    "Công văn số 706/TTBVTV-TTBV&KDTV ngày 22/12/2022 của Chi cục Trồng trọt và BVTV về việc tăng cường chăm sóc, phòng trừ sinh vật hại cây trồng vụ Đông 2022; Công văn số 14/TTBVTV-TTBV&KDTV ngày 12/01/2023 của Chi cục Trồng trọt và BVTV về tăng cường chỉ đạo sản xuất vụ Đông Xuân 2022 - 2023; Công văn số 71/TTBVTV-TTBV&KDTV ngày 10/01/2023 của Chi cục Trồng trọt và BVTV về chủ động phòng chống sinh vật gây hại cây trồng dịp Tết Nguyên đán; Công văn số 101/TTBVTV-TTBV&KDTV ngày 06/03/2023 của Chi cục Trồng trọt và BVTV về tăng cường chỉ đạo sản xuất vụ Xuân 2023; Công văn số 1125/SNN-TSKTTH ngày 23/05/2023 về việc tăng cường chỉ đạo sản xuất vụ Xuân năm 2023 và triển khai kế hoạch sản xuất vụ Mùa; Công văn số 353/SNN-CNTY ngày 23/02/2023 về việc tăng cường công tác phòng, chống dịch bệnh gia súc, gia cầm; Công văn số 367/SNN-CNTY ngày 24/02/2023 về việc tăng cường công tác quản lý, kiểm soát giết mổ động vật bảo đảm an toàn dịch bệnh, an toàn thực phẩm; Công văn số 417/SNN-CNTY ngày 01/03/2023 về việc ngăn chặn tình trạng nhập lậu, vận chuyển trái phép gia cầm, sản phẩm gia cầm nhập lậu từ nước ngoài vào Việt Nam; Công văn số 1135/SNN-CNTY ngày 24/05/2023 về việc tăng cường các biện pháp phòng, chống bệnh dịch tả lợn châu Phi trên địa bàn tỉnh; Công văn số 1177/SNN-CNTY ngày 31/05/2023 về việc hướng dẫn công tác phòng, chống nắng nóng cho vật nuôi.",
    "Mô hình chuỗi liên kết sản xuất, tiêu thụ sản phẩm, xây dựng thương hiệu khoai tây trên địa bàn huyện Lộc Bình.",
    "Chuỗi liên kết sản xuất, sơ chế thuốc lá tại huyện Bắc Sơn; Chuỗi liên kết sản phẩm hồi tại huyện Chi Lăng; Chuỗi liên kết sản phẩm hồng tại huyện Văn Lãng; Chuỗi liên kết sản phẩm quế tại huyện Tràng Định.",
    "Công văn số 413/UBND-KT ngày 12/04/2023 của UBND tỉnh về việc triển khai thực hiện Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ.",
    "Trong đó huyện Văn Lãng 01 sản phẩm; huyện Văn Quan 03 sản phẩm; huyện Hữu Lũng 03 sản phẩm.",
    "Trong đó 68 sản phẩm 03 sao chiếm 78,2%; 19 sản phẩm 04 sao chiếm 21,8% (trong 6 tháng đầu năm có 10 sản phẩm có giấy chứng nhận đã hết hiệu lực 36 tháng theo quy định).",
    "03 HTX thành phố Lạng Sơn, 01 HTX huyện Tràng Định, 01 HTX huyện Bình Gia, 02 HTX huyện Văn Lãng, 01 HTX huyện Bắc Sơn, 02 HTX huyện Hữu Lũng.",
];

fn body() -> String {
    body_text(&sample().parts["word/document.xml"])
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

#[test]
fn every_figure_sentence_of_the_reference_is_in_the_document() {
    let with_figures = FIGURE_SENTENCES.iter().filter(|s| has_digit(s)).count();
    assert!(with_figures >= 60, "only {with_figures} figure-bearing sentences");
    let text = body();
    let missing: Vec<&&str> = FIGURE_SENTENCES.iter().filter(|s| !text.contains(**s)).collect();
    assert!(missing.is_empty(), "not in the document:\n{missing:#?}\n\ndocument text:\n{text}");
}

#[test]
fn figure_sentences_come_in_the_reference_order() {
    let text = body();
    let mut from = 0;
    for s in FIGURE_SENTENCES {
        let Some(at) = text[from..].find(s) else { panic!("{s:?} is missing or comes before the previous sentence") };
        from += at;
    }
}

#[test]
fn nothing_is_left_unfilled() {
    let s = sample();
    for part in ["word/document.xml", "word/footnotes.xml"] {
        let xml = &s.parts[part];
        assert!(!xml.contains("thiếu số liệu"), "a missing-figure marker in {part}");
        assert!(!xml.contains("{{") && !xml.contains("}}"), "template syntax left in {part}");
    }
}

#[test]
fn every_footnote_of_the_reference_word_for_word() {
    let s = sample();
    let notes = footnotes(&s.parts["word/footnotes.xml"]);
    let numbered: Vec<&(i64, String)> = notes.iter().filter(|(id, _)| *id > 0).collect();
    assert_eq!(numbered.len(), FOOTNOTES.len(), "{numbered:#?}");
    for (i, want) in FOOTNOTES.iter().enumerate() {
        let (id, got) = numbered[i];
        assert_eq!(*id, i as i64 + 1);
        assert_eq!(got, want, "footnote {id}");
    }
    let refs: Vec<i64> = paragraphs(&s.parts["word/document.xml"]).iter().flat_map(|p| p.notes.clone()).collect();
    assert_eq!(refs, (1..=10).collect::<Vec<_>>(), "each note referenced once, in reading order");
}

#[test]
fn run_in_headings_and_vietnamese_point_letters() {
    let text = body();
    for lead in [
        "2.4. Chương trình mục tiêu quốc gia xây dựng nông thôn mới: Tham mưu UBND tỉnh",
        "a) Công tác quản lý chất lượng nông lâm sản và thủy sản: Thực hiện công tác giám sát",
        "b) Nước sạch và vệ sinh môi trường nông thôn: Tham mưu ban hành",
        "1.1. Mục tiêu chung: Tiếp tục đẩy mạnh",
        "đ) Đào tạo nguồn nhân lực: Đẩy mạnh công tác đào tạo",
    ] {
        assert!(text.contains(lead), "no run-in heading {lead:?}");
    }
    // the reference's "8. Đánh giá chung" is khoản 3 of mục II, and its "e)" is "đ)"
    assert!(text.contains("\n3. Đánh giá chung\n"), "khoản 3");
    assert!(!text.contains("\n8. "), "no «8.»");
    assert!(!text.contains("\ne) "), "đ) comes before e)");
}

// ------------------------------------------------------------ totals from parts

/// A Vietnamese number at the start of `s`: "235.261" → 235261, "4.790,3" → 4790.3.
fn leading_number(s: &str) -> Option<Decimal> {
    let raw: String = s.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    let raw = raw.trim_end_matches(['.', ',']);
    if raw.is_empty() {
        return None;
    }
    raw.replace('.', "").replace(',', ".").parse().ok()
}

/// The number printed right after `prefix` in `text` (the first occurrence).
fn after(text: &str, prefix: &str) -> Decimal {
    let at = text.find(prefix).unwrap_or_else(|| panic!("no {prefix:?} in {text:?}"));
    leading_number(&text[at + prefix.len()..]).unwrap_or_else(|| panic!("no number after {prefix:?} in {text:?}"))
}

/// The text from `start` up to the end of its sentence or clause `end`.
fn clause<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?} in the document"));
    let rest = &text[from..];
    let to = rest.find(end).map(|i| i + end.len()).unwrap_or(rest.len());
    &rest[..to]
}

/// All numbers of a text, in order.
fn numbers(text: &str) -> Vec<Decimal> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        rest = &rest[i..];
        let len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
        out.push(leading_number(&rest[..len]).unwrap());
        rest = &rest[len..];
    }
    out
}

/// `part / whole` as the document prints a percentage with `dp` decimals.
fn percent(part: Decimal, whole: Decimal, dp: u32) -> Decimal {
    (part / whole * Decimal::ONE_HUNDRED).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn leading_numbers_are_read_the_vietnamese_way() {
    assert_eq!(leading_number("235.261 triệu"), Some(d("235261")));
    assert_eq!(leading_number("4.790,3 nghìn"), Some(d("4790.3")));
    assert_eq!(leading_number("8,0%"), Some(d("8.0")));
    assert_eq!(leading_number("56/113"), Some(d("56")));
    assert_eq!(leading_number("113."), Some(d("113")));
    assert_eq!(numbers("còn 56/113 công trình, 1.800.000 con"), [d("56"), d("113"), d("1800000")]);
}

#[test]
fn investment_capital_is_the_sum_of_its_sources() {
    let text = body();
    let s = clause(&text, "Tổng kế hoạch vốn năm", "triệu đồng.");
    let total = after(s, "(cả nguồn vốn sự nghiệp có tính chất đầu tư) là ");
    let parts = [after(s, "vốn địa phương là "), after(s, "vốn trung ương là "), after(s, "vốn nước ngoài ")];
    assert_eq!(total, d("235261"));
    assert_eq!(parts, [d("73950"), d("80200"), d("81111")]);
    assert_eq!(parts.iter().sum::<Decimal>(), total, "{s}");
}

#[test]
fn disbursement_and_volume_are_shares_of_the_capital() {
    let text = body();
    let capital = after(&text, "(cả nguồn vốn sự nghiệp có tính chất đầu tư) là ");
    let s = clause(&text, "Giá trị khối lượng thực hiện ước đến", "kế hoạch vốn giao.");
    let volume = after(s, "/2023 là ");
    let volume_share = after(s, "triệu đồng, đạt ");
    assert_eq!(volume, d("26004"));
    assert_eq!(volume_share, percent(volume, capital, 1), "{s}");
    assert_eq!(volume_share, d("11.1"));
    let paid = after(s, "ước kết quả giải ngân là ");
    let paid_clause = clause(s, "ước kết quả giải ngân là ", "kế hoạch vốn giao.");
    let paid_share = after(paid_clause, "triệu đồng, đạt ");
    assert_eq!(paid, d("18880"));
    assert_eq!(paid_share, percent(paid, capital, 1), "{s}");
    // one decimal kept even when it is zero: "8,0%", not "8%"
    assert!(paid_clause.ends_with("đạt 8,0% kế hoạch vốn giao."), "{paid_clause}");
}

#[test]
fn vaccinations_are_the_sum_of_the_species() {
    let text = body();
    let s = clause(&text, "tiêm phòng được ", "con.");
    let total = after(s, "tiêm phòng được ");
    let (_, parts_text) = s.split_once("trong đó:").expect("the breakdown");
    let parts = [
        after(parts_text, "trâu, bò "),
        after(parts_text, "; lợn "),
        after(parts_text, "; gia cầm "),
        after(parts_text, "chó, mèo "),
    ];
    assert_eq!(total, d("941283"));
    assert_eq!(parts.iter().sum::<Decimal>(), total, "{s}");
}

#[test]
fn new_rural_works_add_up_and_the_rest_is_printed_out_of_the_total() {
    let text = body();
    let total = after(&text, "chi tiết cho ");
    let s = clause(&text, "kết quả đến nay có ", "chuẩn bị khởi công");
    let done = after(s, "kết quả đến nay có ");
    let building = after(s, "đã hoàn thành, ");
    let rest = after(s, "còn ");
    let (_, fraction) = s.split_once("còn ").unwrap();
    let of_total = numbers(fraction)[1];
    assert_eq!((done, building, rest, total), (d("17"), d("40"), d("56"), d("113")));
    assert_eq!(done + building + rest, total, "{s}");
    assert_eq!(of_total, total, "«56/113» names the same total: {s}");
    assert!(s.contains("còn 56/113 công trình"), "{s}");
}

#[test]
fn production_models_are_the_sum_of_their_kinds() {
    let text = body();
    let s = clause(&text, "phê duyệt được ", "mô hình lâm nghiệp.");
    let total = after(s, "phê duyệt được ");
    let parts = [after(s, "trong đó có "), after(s, "mô hình trồng trọt, "), after(s, "mô hình chăn nuôi, ")];
    assert_eq!(total, d("34"));
    assert_eq!(parts, [d("24"), d("7"), d("3")]);
    assert_eq!(parts.iter().sum::<Decimal>(), total, "{s}");
    assert!(s.contains("07 mô hình chăn nuôi, 03 mô hình lâm nghiệp"), "counts under ten in two digits: {s}");
}

#[test]
fn ocop_products_add_up_and_the_shares_are_of_the_total() {
    let s = sample();
    let text = body();
    let notes = footnotes(&s.parts["word/footnotes.xml"]);
    let note = |n: i64| notes.iter().find(|(i, _)| *i == n).unwrap().1.clone();
    let total = after(&text, "lũy kế hiện nay có ");
    assert_eq!(total, d("87"));
    // note 9: the total by star rating, with each share of the total
    let stars = note(9);
    let three = after(&stars, "Trong đó ");
    let three_share = after(&stars, "03 sao chiếm ");
    let four = after(&stars, "; ");
    let four_share = after(&stars, "04 sao chiếm ");
    assert_eq!(three + four, total, "{stars}");
    assert_eq!(three_share, percent(three, total, 1), "{stars}");
    assert_eq!(four_share, percent(four, total, 1), "{stars}");
    assert_eq!((three_share, four_share), (d("78.2"), d("21.8")));
    // note 8: the products rated in the period, by district
    let new = after(&text, "toàn tỉnh đánh giá phân hạng ");
    let by_district: Decimal = numbers(&note(8)).iter().sum();
    assert_eq!(by_district, new, "{}", note(8));
    // note 10: the new cooperatives, by district
    let htx = after(&text, "thành lập mới được ");
    let by_district: Decimal = numbers(&note(10)).iter().sum();
    assert_eq!(by_district, htx, "{}", note(10));
}

#[test]
fn reservoir_share_is_of_the_design_capacity_and_damage_is_the_districts_sum() {
    // the share printed is the stored volume over the design volume the unit gave
    let text = body();
    let s = clause(&text, "tổng dung tích của ", "tổng dung tích thiết kế");
    assert_eq!(after(s, "đạt khoảng "), d("67.6"));
    assert_eq!(after(s, "(tương đương "), d("26.81"));
    // the disaster damage is summed from the 11 districts' forms
    let def = baocao::config::ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, &root().join("inputs")).unwrap();
    let fig = checked.figures.get("thiet_hai_thien_tai", baocao::model::Column::Actual).unwrap();
    assert_eq!(fig.contributions.len(), 11, "one value per district");
    assert_eq!(fig.total, Some(after(&text, "ước tổng giá trị thiệt hại khoảng ")));
}
