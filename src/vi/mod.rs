//! Vietnamese conventions: number and percent style, dates, and text hygiene.
//!
//! Everything here works on `rust_decimal::Decimal` and plain strings; nothing
//! knows about spreadsheets, templates or Word.

pub mod date;
pub mod legacy;
pub mod number;
pub mod text;

pub use date::{can_chi, place_date_line, short_date, text_date};
pub use legacy::{convert_legacy, Legacy};
pub use number::{change_phrase, decimal_from_f64, format_number, pad2, parse_number_text, percent, NumberText};
pub use text::{clip, fold, is_private_or_bidi, sanitize, sanitize_inline};

/// Roman numerals for numbered parts: `roman(14)` is "XIV".
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn roman_numerals() {
        assert_eq!(super::roman(4), "IV");
        assert_eq!(super::roman(9), "IX");
        assert_eq!(super::roman(14), "XIV");
    }
}
