//! Advance widths of Times New Roman (metric-compatible Liberation Serif),
//! in 1/1000 em, for the printable ASCII range. Vietnamese letters take the
//! width of their base letter (diacritics do not widen a glyph in Times).
//! Used to size the rules under the agency name, the Tiêu ngữ and the
//! trích yếu (Decree 30 wants them in proportion to the text above).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

#[rustfmt::skip]
const BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

/// Width of `text` set in Times New Roman at `size_pt`, in twips.
pub fn text_width(text: &str, size_pt: u32, bold: bool) -> u32 {
    let table = if bold { &BOLD } else { &REGULAR };
    let mut units: u64 = 0;
    for ch in text.nfd().filter(|c| !is_combining_mark(*c)) {
        let ch = match ch {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        };
        let code = ch as u32;
        units += if (0x20..0x7f).contains(&code) { table[(code - 0x20) as usize] as u64 } else { 500 };
    }
    // units/1000 em × size pt × 20 twips/pt
    ((units * size_pt as u64 * 20) / 1000) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_layout_spec() {
        // docs/nd30-bo-cuc.md §2: "PHÁT TRIỂN NÔNG THÔN" 13 pt bold = 58.0 mm; Quốc hiệu 12 pt bold = 88.3 mm
        let mm = |tw: u32| tw as f64 * 25.4 / 1440.0;
        assert!((mm(text_width("PHÁT TRIỂN NÔNG THÔN", 13, true)) - 58.0).abs() < 0.6);
        assert!((mm(text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, true)) - 88.3).abs() < 0.6);
        // Tiêu ngữ at 13 pt bold ≈ 56 mm
        assert!((mm(text_width("Độc lập - Tự do - Hạnh phúc", 13, true)) - 56.0).abs() < 0.6);
    }
}
