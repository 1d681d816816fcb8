//! Vietnamese number style on `Decimal`: "." groups thousands, "," marks the
//! decimals (`4.790,3`, `98,31%`). Display rounding is half away from zero —
//! `Decimal::round_dp` alone would round half to even and print wrong figures.

use rust_decimal::prelude::*;
use rust_decimal::RoundingStrategy;

/// Rounds for display: half away from zero.
pub fn round_display(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats `value` with exactly `decimals` decimals (or fewer when `trim`
/// drops trailing zeros): `format_number(4790.3, 1, false)` is `4.790,3`.
pub fn format_number(value: Decimal, decimals: u32, trim: bool) -> String {
    let rounded = round_display(value, decimals);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut frac: String = frac_part.chars().chain(std::iter::repeat('0')).take(decimals as usize).collect();
    if trim {
        while frac.ends_with('0') {
            frac.pop();
        }
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(&int_part));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

fn group_thousands(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// `part / whole` as a Vietnamese percent: `percent(15585, 15000, 1, true)` is
/// `Some("103,9%")`. `None` when `whole` is zero.
pub fn percent(part: Decimal, whole: Decimal, decimals: u32, trim: bool) -> Option<String> {
    let ratio = ratio_percent(part, whole)?;
    Some(format!("{}%", format_number(ratio, decimals, trim)))
}

/// `part / whole × 100`, exact to 28 digits; `None` when `whole` is zero.
pub fn ratio_percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED)
}

/// "tăng 1,8%" / "giảm 2,1%" / "bằng 100%" comparing `value` with `base`.
/// `None` when `base` is zero.
pub fn change_phrase(value: Decimal, base: Decimal, decimals: u32, trim: bool) -> Option<String> {
    let ratio = ratio_percent(value, base)?;
    let delta = round_display(ratio - Decimal::ONE_HUNDRED, decimals);
    Some(if delta.is_zero() {
        "bằng 100%".to_string()
    } else if delta.is_sign_positive() {
        format!("tăng {}%", format_number(delta, decimals, trim))
    } else {
        format!("giảm {}%", format_number(-delta, decimals, trim))
    })
}

/// Small whole counts padded to two digits as official texts write them
/// ("07 sản phẩm", "03 sao"); anything else is formatted normally.
pub fn pad2(value: Decimal) -> String {
    let rounded = round_display(value, 0);
    if rounded == value && rounded >= Decimal::ZERO && rounded < Decimal::TEN {
        format!("0{}", rounded.to_i64().unwrap_or_default())
    } else {
        format_number(value, if value.fract().is_zero() { 0 } else { value.scale() }, false)
    }
}

/// A spreadsheet float as the decimal the clerk typed: its shortest
/// round-trip text, cut to the 15 significant digits a spreadsheet keeps, so
/// a cached `7.0000000000000009` becomes `7` and `0.1 + 0.2` becomes `0.3`.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    // a whole number of up to 15 digits is that number (most cells are
    // counts and whole hectares): no text to write and read back
    if value.fract() == 0.0 && value != 0.0 && value.abs() < 1e15 {
        return Some(Decimal::from(value as i64));
    }
    // a text of at most 15 significant digits (most fractions typed:
    // 4790.3, 0.25) is that decimal, with nothing to round
    if value.is_finite() {
        let text = value.to_string();
        if significant_digits(&text) <= 15 {
            if let Ok(exact) = Decimal::from_str(&text) {
                return Some(exact.normalize());
            }
        }
    }
    decimal_from_f64_text(value)
}

/// The digits of a plain decimal text (`-0.0250`: 3) but its leading zeros.
fn significant_digits(text: &str) -> usize {
    let digits = text.bytes().filter(u8::is_ascii_digit);
    digits.skip_while(|&b| b == b'0').count()
}

/// [`decimal_from_f64`] through the float's shortest round-trip text.
fn decimal_from_f64_text(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    let text = format!("{value}");
    let exact = Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&format!("{value:e}"))).ok()?;
    Some(round_significant(exact, 15).normalize())
}

fn round_significant(value: Decimal, digits: u32) -> Decimal {
    if value.is_zero() {
        return value;
    }
    let abs = value.abs();
    // number of digits before the decimal point (may be <= 0 for 0.00x)
    let mut magnitude: i64 = 0;
    let mut probe = abs;
    while probe >= Decimal::ONE {
        probe /= Decimal::TEN;
        magnitude += 1;
    }
    let mut probe = abs;
    while probe < Decimal::new(1, 1) {
        probe *= Decimal::TEN;
        magnitude -= 1;
    }
    let dp = digits as i64 - magnitude;
    if dp < 0 {
        return value; // integers beyond 15 digits: keep as they are
    }
    let dp = dp.min(28) as u32;
    if value.scale() <= dp {
        return value;
    }
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// What a number typed as text turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberText {
    pub value: Decimal,
    /// It was written with a "%" sign.
    pub percent: bool,
    /// The text allows two readings ("1.234": one thousand two hundred
    /// thirty-four, or one point two three four); `value` is the Vietnamese
    /// reading (thousands) unless the caller decides otherwise.
    pub ambiguous: Option<Decimal>,
}

/// Reads a number typed as text the way Vietnamese clerks type it:
/// "1.234,5", "15 585", "98,3%", "-12", "1234.5" (a lone "." followed by other
/// than three digits is a decimal point). Returns `None` for anything else.
pub fn parse_number_text(raw: &str) -> Option<NumberText> {
    let mut s: String = raw.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    let negative = s.starts_with('-') || s.starts_with('−');
    if negative {
        s = s.trim_start_matches(['-', '−']).to_string();
    }
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    if !s.starts_with(|c: char| c.is_ascii_digit()) || !s.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let grouped_ok = |t: &str, sep: char| {
        let mut parts = t.split(sep);
        let first = parts.next().unwrap_or("");
        !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
    };
    let mut ambiguous = None;
    // the separator that comes last is the decimal mark when both appear
    let canonical = if dots > 0 && commas > 0 {
        let (dec, group) = if s.rfind(',') > s.rfind('.') { (',', '.') } else { ('.', ',') };
        if s.matches(dec).count() != 1 {
            return None;
        }
        let (int, frac) = s.split_once(dec)?;
        if !grouped_ok(int, group) {
            return None;
        }
        format!("{}.{}", int.replace(group, ""), frac)
    } else {
        match (dots, commas) {
            (0, 0) => s.clone(),
            // "98,3": a decimal comma; "1,234" could also be English thousands
            (0, 1) => {
                let (int, frac) = s.split_once(',')?;
                if frac.len() == 3 && grouped_ok(&s, ',') {
                    ambiguous = Decimal::from_str(&format!("{int}{frac}")).ok();
                }
                s.replace(',', ".")
            }
            // "1.234": Vietnamese thousands, or an English decimal point
            (1, 0) => {
                let (int, frac) = s.split_once('.')?;
                if frac.len() == 3 && grouped_ok(&s, '.') {
                    ambiguous = Decimal::from_str(&s).ok();
                    format!("{int}{frac}")
                } else {
                    s.clone()
                }
            }
            (d, 0) if grouped_ok(&s, '.') && d > 1 => s.replace('.', ""),
            (0, c) if grouped_ok(&s, ',') && c > 1 => s.replace(',', ""),
            _ => return None,
        }
    };
    let mut value = Decimal::from_str(&canonical).ok()?;
    if negative {
        value = -value;
        ambiguous = ambiguous.map(|a| -a);
    }
    Some(NumberText { value, percent, ambiguous })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_read_as_through_their_text() {
        let mut values: Vec<f64> =
            vec![1.0, -1.0, 7.0, 10.0, 15_585.0, -4_790.0, 999_999_999_999_999.0, -1e14, 1e15, 0.0, -0.0];
        values.extend((0..15).map(|e| 10f64.powi(e)));
        values.extend((0..15).map(|e| -(10f64.powi(e) - 1.0)));
        // a spread of whole numbers up to 2^50, from a fixed sequence
        let mut x: u64 = 2023;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let v = (x >> 14) as f64;
            values.extend([v, -v, (v / 1e6).floor()]);
        }
        for v in values {
            let fast = decimal_from_f64(v);
            let text = decimal_from_f64_text(v);
            assert_eq!(fast, text, "{v}");
            assert_eq!(fast.map(|d| d.to_string()), text.map(|d| d.to_string()), "{v}");
        }
    }

    #[test]
    fn fractions_read_as_through_their_text() {
        // typed fractions of every size, results of arithmetic (0.1 + 0.2),
        // floats of 16-17 digits that need rounding, tiny and huge ones
        let mut values: Vec<f64> = vec![
            0.1 + 0.2,
            7.000_000_000_000_001,
            4790.3,
            -2.675,
            1e-7,
            1e-28,
            1e-29,
            1.5e-30,
            123_456_789.123_456_7,
            0.123_456_789_012_345_6,
            1e15 + 0.5,
            1e300,
            -1e-300,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::EPSILON,
            5e-324,
        ];
        let mut x: u64 = 2026;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            x >> 11
        };
        for _ in 0..20_000 {
            let n = next();
            // a typed decimal: up to 15 digits, up to 6 after the point
            let digits = (n % 15) as i32 + 1;
            let typed = (next() % 10u64.pow(digits as u32)) as f64 / 10f64.powi((n >> 8) as i32 % 7);
            // any float: raw bits (NaN and infinities among them)
            let bits = f64::from_bits(next() << 11 | next() & 0x7ff);
            values.extend([typed, -typed, typed * 1.1, typed / 3.0, bits]);
        }
        for v in values {
            let fast = decimal_from_f64(v);
            let text = decimal_from_f64_text(v);
            assert_eq!(fast, text, "{v}");
            assert_eq!(fast.map(|d| d.to_string()), text.map(|d| d.to_string()), "{v}");
        }
    }

    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn numbers_in_vietnamese_style() {
        assert_eq!(format_number(d("15585"), 0, false), "15.585");
        assert_eq!(format_number(d("4790.3"), 1, false), "4.790,3");
        assert_eq!(format_number(d("48231.7"), 1, false), "48.231,7");
        assert_eq!(format_number(d("941283"), 0, false), "941.283");
        assert_eq!(format_number(d("1800000"), 0, false), "1.800.000");
        assert_eq!(format_number(d("153.23"), 2, false), "153,23");
        assert_eq!(format_number(d("2.5"), 1, false), "2,5");
        assert_eq!(format_number(d("7"), 2, false), "7,00");
        assert_eq!(format_number(d("7"), 2, true), "7");
        assert_eq!(format_number(d("-1234.5"), 1, false), "-1.234,5");
        assert_eq!(format_number(d("-0.04"), 1, false), "0,0");
        assert_eq!(format_number(d("999"), 0, false), "999");
        assert_eq!(format_number(d("1000"), 0, false), "1.000");
    }

    #[test]
    fn display_rounding_is_half_away_from_zero() {
        // banker's rounding would give 0,2 and 2
        assert_eq!(format_number(d("0.25"), 1, false), "0,3");
        assert_eq!(format_number(d("2.5"), 0, false), "3");
        assert_eq!(format_number(d("-2.5"), 0, false), "-3");
        assert_eq!(format_number(d("66.65"), 1, false), "66,7");
    }

    #[test]
    fn percents_from_the_reference_plan() {
        // Lúa Xuân 15.585 ha against a plan of 15.000 ha
        assert_eq!(percent(d("15585"), d("15000"), 1, true).unwrap(), "103,9%");
        // Ngô Xuân 13.763 ha against 14.000 ha, two decimals
        assert_eq!(percent(d("13763"), d("14000"), 2, true).unwrap(), "98,31%");
        // 10 new cooperatives of a plan of 15: 66,666… rounds to 66,7 (the reference's 66,6 is wrong)
        assert_eq!(percent(d("10"), d("15"), 1, true).unwrap(), "66,7%");
        // OCOP shares
        assert_eq!(percent(d("68"), d("87"), 1, true).unwrap(), "78,2%");
        assert_eq!(percent(d("19"), d("87"), 1, true).unwrap(), "21,8%");
        // trailing zeros are dropped when asked: 941.283 of 833.000 is 113,0 → 113%
        assert_eq!(percent(d("941283"), d("833000"), 1, true).unwrap(), "113%");
        assert_eq!(percent(d("941283"), d("833000"), 1, false).unwrap(), "113,0%");
        assert_eq!(percent(d("1"), d("0"), 1, true), None);
    }

    #[test]
    fn change_phrases() {
        assert_eq!(change_phrase(d("176628"), d("173505"), 1, true).unwrap(), "tăng 1,8%");
        assert_eq!(change_phrase(d("63875"), d("65245"), 1, true).unwrap(), "giảm 2,1%");
        assert_eq!(change_phrase(d("29628"), d("30233"), 1, true).unwrap(), "giảm 2%");
        assert_eq!(change_phrase(d("100"), d("100"), 1, true).unwrap(), "bằng 100%");
        assert_eq!(change_phrase(d("100.01"), d("100"), 1, true).unwrap(), "bằng 100%");
        assert_eq!(change_phrase(d("4790.3"), d("4610.5"), 1, true).unwrap(), "tăng 3,9%");
    }

    #[test]
    fn padded_counts() {
        assert_eq!(pad2(d("7")), "07");
        assert_eq!(pad2(d("0")), "00");
        assert_eq!(pad2(d("10")), "10");
        assert_eq!(pad2(d("87")), "87");
        assert_eq!(pad2(d("1117")), "1.117");
        assert_eq!(pad2(d("2.5")), "2,5");
    }

    #[test]
    fn floats_become_the_decimal_that_was_typed() {
        assert_eq!(decimal_from_f64(7.000_000_000_000_001).unwrap(), d("7"));
        assert_eq!(decimal_from_f64(0.1 + 0.2).unwrap(), d("0.3"));
        assert_eq!(decimal_from_f64(4790.3).unwrap(), d("4790.3"));
        assert_eq!(decimal_from_f64(153230.0).unwrap(), d("153230"));
        assert_eq!(decimal_from_f64(1e-7).unwrap(), d("0.0000001"));
        assert_eq!(decimal_from_f64(-2.675).unwrap(), d("-2.675"));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn numbers_typed_as_text() {
        let p = |s: &str| parse_number_text(s).map(|n| (n.value, n.percent, n.ambiguous));
        assert_eq!(p("1.234,5"), Some((d("1234.5"), false, None)));
        assert_eq!(p("15 585"), Some((d("15585"), false, None)));
        assert_eq!(p("98,3%"), Some((d("98.3"), true, None)));
        assert_eq!(p("1.234.567"), Some((d("1234567"), false, None)));
        assert_eq!(p("1234.5"), Some((d("1234.5"), false, None)));
        assert_eq!(p("1,234.5"), Some((d("1234.5"), false, None)));
        assert_eq!(p("1.234"), Some((d("1234"), false, Some(d("1.234")))));
        assert_eq!(p("-12"), Some((d("-12"), false, None)));
        assert_eq!(p("98,300"), Some((d("98.3"), false, Some(d("98300")))));
        assert_eq!(p("1.234,5.6"), None);
        assert_eq!(p("12a"), None);
        assert_eq!(p("1.23.4"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("."), None);
    }
}
