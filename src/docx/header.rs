//! The header block (ô 1–4, and a Công văn's "V/v", ô 5b) of Decree 30,
//! Phụ lục I: a borderless 2 × 2 table so that "Số" and the place-date line
//! sit on the same line; then "KẾ HOẠCH" and the trích yếu, each with its
//! rule (ô 5a); then "Kính gửi" (ô 9a).

use docx_rs::*;

use super::metrics::text_width;
use super::styles::*;
use super::{text_para, CELL_MARGINS, TEXT_WIDTH};
use crate::doc::Meta;

pub const LEFT_COL: usize = 3628;
pub const RIGHT_COL: usize = 5443;

/// An empty paragraph whose top border is a centred rule `length` twips long
/// in a space `avail` twips wide.
pub fn rule(length: u32, avail: u32) -> Paragraph {
    let side = (avail.saturating_sub(length) / 2) as i32;
    Paragraph::new().style(RULE).indent(Some(side), None, Some(side), None)
}

fn cell(width: usize, paras: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
    for p in paras {
        c = c.add_paragraph(p);
    }
    c
}

/// A borderless table of fixed layout filling the text width.
pub fn borderless(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .indent(0)
        .clear_all_border()
}

/// The header block; a draft carries a boxed "DỰ THẢO" under "Số" (docs/nd30-bo-cuc.md §9).
pub fn header_table(meta: &Meta) -> Table {
    // r1 left: cơ quan chủ quản, cơ quan ban hành (one line per entry), rule
    let mut agency = Paragraph::new().style(ISSUER);
    for (i, line) in meta.agency.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        agency = agency.add_run(run.add_text(line.as_str()));
    }
    let widest = meta.agency.iter().map(|l| text_width(l, 13, true)).max().unwrap_or(0);
    let left_avail = LEFT_COL as u32 - CELL_MARGINS;
    let left_top =
        cell(LEFT_COL, vec![text_para(PARENT_AGENCY, &meta.parent_agency), agency, rule(widest * 2 / 5, left_avail)]);

    // r1 right: Quốc hiệu, Tiêu ngữ, rule as long as the Tiêu ngữ
    let motto = "Độc lập - Tự do - Hạnh phúc";
    let right_avail = RIGHT_COL as u32 - CELL_MARGINS;
    let right_top = cell(
        RIGHT_COL,
        vec![
            text_para(NATIONAL_TITLE, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            text_para(MOTTO, motto),
            rule(text_width(motto, 13, true), right_avail),
        ],
    );

    // r2: Số, ký hiệu (and a Công văn's V/v) | địa danh, ngày tháng năm
    let mut left_paras = vec![text_para(NUMBER_SYMBOL, &meta.number)];
    if let Some(subject) = &meta.subject {
        // two or three balanced lines within the column (docs/nd30-bo-cuc.md §3b)
        let mut p = Paragraph::new().style(SUBJECT_LINE);
        for (i, line) in balance(subject, 13, false, left_avail).iter().enumerate() {
            let mut run = Run::new();
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            p = p.add_run(run.add_text(line.as_str()));
        }
        left_paras.push(p);
    }
    if meta.draft {
        let label = "DỰ THẢO";
        // a box just around the word: indents leave the text width plus padding
        let boxed = text_width(label, 14, true) + 2 * 240;
        let side = ((LEFT_COL as u32 - CELL_MARGINS).saturating_sub(boxed) / 2) as i32;
        left_paras.push(text_para(DRAFT_MARK, label).indent(Some(side), None, Some(side), None));
    }
    let left_bottom = cell(LEFT_COL, left_paras);
    let right_bottom = cell(RIGHT_COL, vec![text_para(PLACE_DATE, &meta.place_date)]);

    borderless(
        vec![TableRow::new(vec![left_top, right_top]), TableRow::new(vec![left_bottom, right_bottom])],
        vec![LEFT_COL, RIGHT_COL],
    )
}

/// "KẾ HOẠCH", the trích yếu (split into two balanced lines when it does not
/// fit one), and a rule of 0.4 × its widest line.
pub fn title(meta: &Meta) -> Vec<Paragraph> {
    let Some(title) = &meta.title else { return vec![] };
    let subject = title.summary.as_str();
    let lines = balance(subject, 14, true, TEXT_WIDTH);
    let widest = lines.iter().map(|l| text_width(l, 14, true)).max().unwrap_or(0);
    let mut subject = Paragraph::new().style(SUBJECT);
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        subject = subject.add_run(run.add_text(line.as_str()));
    }
    let mut r = rule(widest * 2 / 5, TEXT_WIDTH);
    r = r.line_spacing(LineSpacing::new().before(60).after(120).line(240).line_rule(LineSpacingType::Auto));
    vec![text_para(KIND_NAME, &title.kind), subject, r]
}

/// "Kính gửi" (docs/nd30-bo-cuc.md §3): one recipient on the line, centred; several under
/// "Kính gửi:" set 3 cm in, each on its own line from a dash under the
/// colon, "…;" and the last "….". A Công văn starts with it (18 pt before),
/// a report puts it under its title (6 pt before).
pub fn recipients(meta: &Meta) -> Vec<Paragraph> {
    let before = if meta.title.is_none() { 360 } else { 120 };
    let spacing = |b: u32| LineSpacing::new().before(b).after(0).line(240).line_rule(LineSpacingType::Auto);
    match meta.recipients.as_slice() {
        [] => vec![],
        [one] => {
            let one = one.trim_end_matches([';', ',']);
            vec![text_para(ADDRESSEES, &format!("Kính gửi: {one}"))
                .align(AlignmentType::Center)
                .line_spacing(spacing(before))]
        }
        many => {
            let label = "Kính gửi";
            let dash_at = RECIPIENTS_INDENT + text_width(label, 14, false) as i32;
            let mut out = vec![text_para(ADDRESSEES, &format!("{label}:"))
                .indent(Some(RECIPIENTS_INDENT), None, None, None)
                .line_spacing(spacing(before))];
            // a recipient too long for the line goes on under its text, not under the dash
            let hang = text_width("- ", 14, false) as i32;
            for (i, r) in many.iter().enumerate() {
                let r = r.trim_end_matches(['.', ';', ',']);
                let end = if i + 1 == many.len() { "." } else { ";" };
                out.push(
                    text_para(ADDRESSEES, &format!("- {r}{end}"))
                        .indent(Some(dash_at + hang), Some(SpecialIndentType::Hanging(hang)), None, None)
                        .line_spacing(spacing(0)),
                );
            }
            out
        }
    }
}

/// "Kính gửi:" stands 3 cm in when several recipients follow it.
const RECIPIENTS_INDENT: i32 = 1701;

/// The fewest lines that fit `avail`, as even as they can be (Decree 30
/// shows a long trích yếu or "V/v" as balanced lines): lines break at
/// spaces, and among the breaks into that many lines the one whose widest
/// line is narrowest wins. A single word wider than `avail` stays whole.
pub fn balance(text: &str, size: u32, bold: bool, avail: u32) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() || text_width(text, size, bold) <= avail {
        return vec![text.to_string()];
    }
    let n = words.len();
    let width = |from: usize, to: usize| text_width(&words[from..to].join(" "), size, bold);
    // best[k][i]: the narrowest widest line setting words[..i] on k lines, and where its last line starts
    let mut best = vec![vec![(u32::MAX, 0usize); n + 1]; n + 1];
    best[0][0] = (0, 0);
    for k in 1..=n {
        for i in 1..=n {
            for j in (k - 1)..i {
                let (prev, _) = best[k - 1][j];
                if prev == u32::MAX {
                    continue;
                }
                let widest = prev.max(width(j, i));
                if widest < best[k][i].0 {
                    best[k][i] = (widest, j);
                }
            }
        }
        if best[k][n].0 <= avail || k == n {
            let mut lines = Vec::with_capacity(k);
            let (mut i, mut k) = (n, k);
            while k > 0 {
                let j = best[k][i].1;
                lines.push(words[j..i].join(" "));
                i = j;
                k -= 1;
            }
            lines.reverse();
            return lines;
        }
    }
    vec![text.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_balanced_within_the_width() {
        let title = "Phát triển ngành nông nghiệp, nông thôn năm 2024";
        assert_eq!(balance(title, 14, true, TEXT_WIDTH), [title]);
        let report = "Tình hình thực hiện nhiệm vụ phát triển nông nghiệp, nông thôn 6 tháng đầu năm 2023";
        let lines = balance(report, 14, true, TEXT_WIDTH);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.join(" "), report);
        // a Công văn's V/v in the left column of the header: three lines of 13 pt
        let avail = LEFT_COL as u32 - CELL_MARGINS;
        let vv = "V/v gửi Kế hoạch phát triển ngành nông nghiệp, nông thôn năm 2024";
        let lines = balance(vv, 13, false, avail);
        assert!(lines.iter().all(|l| text_width(l, 13, false) <= avail), "{lines:?}");
        assert_eq!(lines.len(), 3, "{lines:?}");
        let widths: Vec<u32> = lines.iter().map(|l| text_width(l, 13, false)).collect();
        assert!(widths.iter().max().unwrap() - widths.iter().min().unwrap() < avail / 3, "{lines:?}");
    }
}
