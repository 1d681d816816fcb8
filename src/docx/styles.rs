//! The styles of a Decree 30 document, in styles.xml: the clerk who edits
//! the draft in Word finds named styles, not direct formatting on every run.
//! Sizes are in half-points (28 = 14 pt), spacing in twips (120 = 6 pt).

use docx_rs::*;

pub const FONT: &str = "Times New Roman";

pub const BODY: &str = "VanBan";
pub const FOOTNOTE_TEXT: &str = "FootnoteText";
pub const FOOTNOTE_REF: &str = "FootnoteReference";
pub const PAGE_HEADER: &str = "Header";
pub const CHU_QUAN: &str = "CoQuanChuQuan";
pub const BAN_HANH: &str = "CoQuanBanHanh";
pub const QUOC_HIEU: &str = "QuocHieu";
pub const TIEU_NGU: &str = "TieuNgu";
pub const SO_KY_HIEU: &str = "SoKyHieu";
pub const DIA_DANH: &str = "DiaDanhNgay";
pub const RULE: &str = "DuongKe";
pub const TEN_LOAI: &str = "TenLoai";
pub const TRICH_YEU: &str = "TrichYeu";
pub const NOI_NHAN_DE: &str = "NoiNhanDe";
pub const NOI_NHAN: &str = "NoiNhan";
pub const CHUC_VU: &str = "ChucVu";
pub const NGUOI_KY: &str = "NguoiKy";
pub const PHU_LUC_SO: &str = "PhuLucSo";
pub const PHU_LUC_TIEU_DE: &str = "PhuLucTieuDe";
pub const PHU_LUC_KEM_THEO: &str = "PhuLucKemTheo";
pub const BANG_TIEU_DE: &str = "BangTieuDe";
pub const BANG_NHOM: &str = "BangNhom";
pub const BANG_CHU: &str = "BangChu";
pub const BANG_SO: &str = "BangSo";
pub const SECTION_BREAK: &str = "NgatPhan";
pub const DU_THAO: &str = "DuThao";
pub const VE_VIEC: &str = "VeViec";
pub const KINH_GUI: &str = "KinhGui";

/// Paragraph style of a heading level (Word's built-in ids, so the
/// navigation pane and the table of contents work).
pub fn heading(level: crate::doc::Level) -> &'static str {
    use crate::doc::Level::*;
    match level {
        Phan => "Heading1",
        Muc => "Heading2",
        Khoan => "Heading3",
        TieuKhoan => "Heading4",
        Diem => "Heading5",
    }
}

pub fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after).line(240).line_rule(LineSpacingType::Auto)
}

fn para(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph).name(name).based_on("Normal").q_format(true)
}

fn centred(id: &str, name: &str, size: usize) -> Style {
    para(id, name).align(AlignmentType::Center).line_spacing(spacing(0, 0)).size(size)
}

fn heading_style(id: &str, name: &str, outline: usize) -> Style {
    let mut s = para(id, name)
        .next(BODY)
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(spacing(120, 0))
        .outline_lvl(outline)
        .size(28);
    s.paragraph_property = s.paragraph_property.keep_next(true);
    s
}

/// All styles of the document.
pub fn all() -> Vec<Style> {
    let mut phan = para("Heading1", "heading 1")
        .next(BODY)
        .align(AlignmentType::Center)
        .line_spacing(spacing(240, 120))
        .outline_lvl(0)
        .size(28)
        .bold();
    phan.paragraph_property = phan.paragraph_property.keep_next(true);
    let mut rule = centred(RULE, "Đường kẻ", 2)
        .line_spacing(LineSpacing::new().before(60).after(0).line(240).line_rule(LineSpacingType::Auto));
    rule.paragraph_property = rule.paragraph_property.set_borders(ParagraphBorders::with_empty().set(
        ParagraphBorder::new(ParagraphBorderPosition::Top).val(BorderType::Single).size(6).space(0).color("000000"),
    ));
    let mut du_thao = centred(DU_THAO, "Dự thảo", 28).line_spacing(spacing(120, 0)).bold();
    let side = |pos| ParagraphBorder::new(pos).val(BorderType::Single).size(8).space(2).color("000000");
    du_thao.paragraph_property = du_thao.paragraph_property.set_borders(
        ParagraphBorders::with_empty()
            .set(side(ParagraphBorderPosition::Top))
            .set(side(ParagraphBorderPosition::Left))
            .set(side(ParagraphBorderPosition::Bottom))
            .set(side(ParagraphBorderPosition::Right)),
    );
    let mut footnote_ref = Style::new(FOOTNOTE_REF, StyleType::Character).name("footnote reference");
    footnote_ref.run_property = RunProperty::new().vert_align(VertAlignType::SuperScript);
    vec![
        para(BODY, "Văn bản")
            .align(AlignmentType::Both)
            .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
            .line_spacing(spacing(120, 0))
            .size(28),
        phan,
        heading_style("Heading2", "heading 2", 1).bold(),
        heading_style("Heading3", "heading 3", 2).bold(),
        heading_style("Heading4", "heading 4", 3).bold().italic(),
        heading_style("Heading5", "heading 5", 4),
        para(FOOTNOTE_TEXT, "footnote text").align(AlignmentType::Both).line_spacing(spacing(0, 0)).size(20),
        footnote_ref,
        centred(PAGE_HEADER, "header", 28),
        centred(CHU_QUAN, "Cơ quan chủ quản", 26),
        centred(BAN_HANH, "Cơ quan ban hành", 26).bold(),
        centred(QUOC_HIEU, "Quốc hiệu", 24).bold(),
        centred(TIEU_NGU, "Tiêu ngữ", 26).bold(),
        centred(SO_KY_HIEU, "Số, ký hiệu", 26).line_spacing(spacing(120, 0)),
        centred(DIA_DANH, "Địa danh, ngày tháng", 26).line_spacing(spacing(120, 0)).italic(),
        rule,
        centred(TEN_LOAI, "Tên loại văn bản", 28).line_spacing(spacing(480, 0)).bold(),
        centred(TRICH_YEU, "Trích yếu", 28).bold(),
        para(NOI_NHAN_DE, "Nơi nhận (tiêu đề)").line_spacing(spacing(120, 0)).size(24).bold().italic(),
        para(NOI_NHAN, "Nơi nhận").line_spacing(spacing(0, 0)).size(22),
        centred(CHUC_VU, "Chức vụ người ký", 28).bold(),
        centred(NGUOI_KY, "Người ký", 28).bold(),
        centred(PHU_LUC_SO, "Phụ lục (số)", 28).bold(),
        centred(PHU_LUC_TIEU_DE, "Phụ lục (tên)", 28).bold(),
        centred(PHU_LUC_KEM_THEO, "Phụ lục (kèm theo)", 26).italic(),
        centred(BANG_TIEU_DE, "Bảng (tiêu đề cột)", 24).line_spacing(spacing(20, 20)).bold(),
        para(BANG_NHOM, "Bảng (nhóm)").line_spacing(spacing(20, 20)).size(24).bold(),
        para(BANG_CHU, "Bảng (chữ)").line_spacing(spacing(20, 20)).size(24),
        du_thao,
        para(SECTION_BREAK, "Ngắt phần").line_spacing(spacing(0, 0)).size(2),
        para(BANG_SO, "Bảng (số)").align(AlignmentType::Right).line_spacing(spacing(20, 20)).size(24),
        centred(VE_VIEC, "Trích yếu công văn (V/v)", 26).line_spacing(spacing(120, 0)),
        para(KINH_GUI, "Kính gửi").line_spacing(spacing(120, 0)).size(28),
    ]
}
