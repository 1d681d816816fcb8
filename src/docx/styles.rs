//! The styles of a Decree 30 document, in styles.xml: the clerk who edits
//! the draft in Word finds named styles, not direct formatting on every run.
//! Sizes are in half-points (28 = 14 pt), spacing in twips (120 = 6 pt).

use docx_rs::*;

pub const FONT: &str = "Times New Roman";

pub const BODY: &str = "VanBan";
pub const FOOTNOTE_TEXT: &str = "FootnoteText";
pub const FOOTNOTE_REF: &str = "FootnoteReference";
pub const PAGE_HEADER: &str = "Header";
pub const PARENT_AGENCY: &str = "CoQuanChuQuan";
pub const ISSUER: &str = "CoQuanBanHanh";
pub const NATIONAL_TITLE: &str = "QuocHieu";
pub const MOTTO: &str = "TieuNgu";
pub const NUMBER_SYMBOL: &str = "SoKyHieu";
pub const PLACE_DATE: &str = "DiaDanhNgay";
pub const RULE: &str = "DuongKe";
pub const KIND_NAME: &str = "TenLoai";
pub const SUBJECT: &str = "TrichYeu";
pub const RECIPIENTS_HEADING: &str = "NoiNhanDe";
pub const RECIPIENTS: &str = "NoiNhan";
pub const SIGNER_TITLE: &str = "ChucVu";
pub const SIGNER_NAME: &str = "NguoiKy";
pub const APPENDIX_NUMBER: &str = "PhuLucSo";
pub const APPENDIX_TITLE: &str = "PhuLucTieuDe";
pub const APPENDIX_ATTACHED: &str = "PhuLucKemTheo";
pub const TABLE_HEADING: &str = "BangTieuDe";
pub const TABLE_GROUP: &str = "BangNhom";
pub const TABLE_TEXT: &str = "BangChu";
pub const TABLE_NUMBER: &str = "BangSo";
pub const SECTION_BREAK: &str = "NgatPhan";
pub const DRAFT_MARK: &str = "DuThao";
pub const SUBJECT_LINE: &str = "VeViec";
pub const ADDRESSEES: &str = "KinhGui";

/// Paragraph style of a heading level (Word's built-in ids, so the
/// navigation pane and the table of contents work).
pub fn heading(level: crate::doc::Level) -> &'static str {
    use crate::doc::Level::*;
    match level {
        Part => "Heading1",
        Section => "Heading2",
        Clause => "Heading3",
        SubClause => "Heading4",
        Point => "Heading5",
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
    let mut part = para("Heading1", "heading 1")
        .next(BODY)
        .align(AlignmentType::Center)
        .line_spacing(spacing(240, 120))
        .outline_lvl(0)
        .size(28)
        .bold();
    part.paragraph_property = part.paragraph_property.keep_next(true);
    let mut rule = centred(RULE, "Đường kẻ", 2)
        .line_spacing(LineSpacing::new().before(60).after(0).line(240).line_rule(LineSpacingType::Auto));
    rule.paragraph_property = rule.paragraph_property.set_borders(ParagraphBorders::with_empty().set(
        ParagraphBorder::new(ParagraphBorderPosition::Top).val(BorderType::Single).size(6).space(0).color("000000"),
    ));
    let mut du_thao = centred(DRAFT_MARK, "Dự thảo", 28).line_spacing(spacing(120, 0)).bold();
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
        part,
        heading_style("Heading2", "heading 2", 1).bold(),
        heading_style("Heading3", "heading 3", 2).bold(),
        heading_style("Heading4", "heading 4", 3).bold().italic(),
        heading_style("Heading5", "heading 5", 4),
        para(FOOTNOTE_TEXT, "footnote text").align(AlignmentType::Both).line_spacing(spacing(0, 0)).size(20),
        footnote_ref,
        centred(PAGE_HEADER, "header", 28),
        centred(PARENT_AGENCY, "Cơ quan chủ quản", 26),
        centred(ISSUER, "Cơ quan ban hành", 26).bold(),
        centred(NATIONAL_TITLE, "Quốc hiệu", 24).bold(),
        centred(MOTTO, "Tiêu ngữ", 26).bold(),
        centred(NUMBER_SYMBOL, "Số, ký hiệu", 26).line_spacing(spacing(120, 0)),
        centred(PLACE_DATE, "Địa danh, ngày tháng", 26).line_spacing(spacing(120, 0)).italic(),
        rule,
        centred(KIND_NAME, "Tên loại văn bản", 28).line_spacing(spacing(480, 0)).bold(),
        centred(SUBJECT, "Trích yếu", 28).bold(),
        para(RECIPIENTS_HEADING, "Nơi nhận (tiêu đề)").line_spacing(spacing(120, 0)).size(24).bold().italic(),
        para(RECIPIENTS, "Nơi nhận").line_spacing(spacing(0, 0)).size(22),
        centred(SIGNER_TITLE, "Chức vụ người ký", 28).bold(),
        centred(SIGNER_NAME, "Người ký", 28).bold(),
        centred(APPENDIX_NUMBER, "Phụ lục (số)", 28).bold(),
        centred(APPENDIX_TITLE, "Phụ lục (tên)", 28).bold(),
        centred(APPENDIX_ATTACHED, "Phụ lục (kèm theo)", 26).italic(),
        centred(TABLE_HEADING, "Bảng (tiêu đề cột)", 24).line_spacing(spacing(20, 20)).bold(),
        para(TABLE_GROUP, "Bảng (nhóm)").line_spacing(spacing(20, 20)).size(24).bold(),
        para(TABLE_TEXT, "Bảng (chữ)").line_spacing(spacing(20, 20)).size(24),
        du_thao,
        para(SECTION_BREAK, "Ngắt phần").line_spacing(spacing(0, 0)).size(2),
        para(TABLE_NUMBER, "Bảng (số)").align(AlignmentType::Right).line_spacing(spacing(20, 20)).size(24),
        centred(SUBJECT_LINE, "Trích yếu công văn (V/v)", 26).line_spacing(spacing(120, 0)),
        para(ADDRESSEES, "Kính gửi").line_spacing(spacing(120, 0)).size(28),
    ]
}
