//! The closing of Decree 30 (ô 7–9b): a borderless table with the "Nơi
//! nhận" list on the left and the signature block on the right.

use docx_rs::*;

use super::header::borderless;
use super::styles::*;
use super::text_para;
use crate::config::Report;

pub const LEFT_COL: usize = 4252;
pub const RIGHT_COL: usize = 4819;

/// The "Nơi nhận" lines: "- Bộ Nông nghiệp và PTNT (b/c);" … "- Lưu: VT, KHTC."
pub fn recipients(report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = report
        .noi_nhan
        .iter()
        .map(|n| {
            let name = n.ten.trim().trim_end_matches(';');
            if n.ghi_chu.trim().is_empty() {
                format!("- {name};")
            } else {
                format!("- {name} ({});", n.ghi_chu.trim())
            }
        })
        .collect();
    lines.push(format!("- Lưu: VT, {}.", report.luu.don_vi_soan_thao.trim()));
    lines
}

/// The authority and position lines: "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC".
pub fn signer_lines(report: &Report) -> Vec<String> {
    let k = &report.nguoi_ky;
    let mut lines = Vec::new();
    if k.quyen_han.trim().is_empty() {
        lines.push(k.chuc_vu.trim().to_uppercase());
    } else {
        lines.push(format!("{} {}", k.quyen_han.trim(), k.chuc_vu.trim()).to_uppercase());
    }
    if !k.chuc_vu_nguoi_ky.trim().is_empty() {
        lines.push(k.chuc_vu_nguoi_ky.trim().to_uppercase());
    }
    lines
}

pub fn closing_table(report: &Report) -> Table {
    let mut left = TableCell::new().width(LEFT_COL, WidthType::Dxa).vertical_align(VAlignType::Top);
    left = left.add_paragraph(text_para(NOI_NHAN_DE, "Nơi nhận:"));
    for line in recipients(report) {
        left = left.add_paragraph(text_para(NOI_NHAN, &line));
    }
    let mut right = TableCell::new().width(RIGHT_COL, WidthType::Dxa).vertical_align(VAlignType::Top);
    for (i, line) in signer_lines(report).iter().enumerate() {
        let mut p = text_para(CHUC_VU, line);
        if i == 0 {
            // level with "Nơi nhận:" (both 6 pt below the body)
            p = p.line_spacing(LineSpacing::new().before(120).after(0).line(240).line_rule(LineSpacingType::Auto));
        }
        right = right.add_paragraph(p);
    }
    // room for the signature and the seal (≈ 28 mm)
    for _ in 0..5 {
        right = right.add_paragraph(Paragraph::new().style(CHUC_VU));
    }
    right = right.add_paragraph(text_para(NGUOI_KY, report.nguoi_ky.ho_ten.trim()));
    borderless(vec![TableRow::new(vec![left, right])], vec![LEFT_COL, RIGHT_COL])
}
