//! The closing of Decree 30 (ô 7–9b): a borderless table with the "Nơi
//! nhận" list on the left and the signature block on the right.

use docx_rs::*;

use super::header::borderless;
use super::styles::*;
use super::text_para;
use crate::doc::Meta;

pub const LEFT_COL: usize = 4252;
pub const RIGHT_COL: usize = 4819;

pub fn closing_table(meta: &Meta) -> Table {
    let mut left = TableCell::new().width(LEFT_COL, WidthType::Dxa).vertical_align(VAlignType::Top);
    left = left.add_paragraph(text_para(RECIPIENTS_HEADING, "Nơi nhận:"));
    for line in &meta.distribution {
        left = left.add_paragraph(text_para(RECIPIENTS, line));
    }
    let mut right = TableCell::new().width(RIGHT_COL, WidthType::Dxa).vertical_align(VAlignType::Top);
    for (i, line) in meta.signature.lines.iter().enumerate() {
        let mut p = text_para(SIGNER_TITLE, line);
        if i == 0 {
            // level with "Nơi nhận:" (both 6 pt below the body)
            p = p.line_spacing(LineSpacing::new().before(120).after(0).line(240).line_rule(LineSpacingType::Auto));
        }
        right = right.add_paragraph(p);
    }
    // room for the signature and the seal (≈ 28 mm)
    for _ in 0..5 {
        right = right.add_paragraph(Paragraph::new().style(SIGNER_TITLE));
    }
    right = right.add_paragraph(text_para(SIGNER_NAME, &meta.signature.name));
    borderless(vec![TableRow::new(vec![left, right])], vec![LEFT_COL, RIGHT_COL])
}
