//! Text typed with the pre-Unicode Vietnamese fonts (TCVN3/ABC ".VnTime",
//! VNI "VNI-Times") reaches a spreadsheet as Latin-1 look-alikes: "Hµ Néi"
//! (TCVN3) or "Haø Noäi" (VNI) for "Hà Nội". This detects such text and turns
//! it into Unicode. No permissively licensed crate does this (the one on
//! crates.io is GPL-3.0), so the two standard encodings are described here:
//! TCVN 5712:1993 (VN3) as a character table, VNI as base letter + mark.

use unicode_normalization::UnicodeNormalization;

/// The legacy encoding a string was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
            Legacy::Vni => "VNI (phông VNI-Times)",
        }
    }
}

/// TCVN3 code points and the Vietnamese letters they stand for, in the order
/// of the standard's table (lower-case letters, then the seven capitals
/// TCVN3 encodes; other capitals are a Latin capital followed by the
/// lower-case toned letter).
const TCVN3: &str = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u{ad}õøö÷ùúýûüþ¡¢§£¤¥¦";
const TCVN3_UNICODE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ";

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31b}';

/// A VNI mark character after a base vowel: (vowel modifier, tone).
fn vni_mark(c: char) -> Option<(Option<char>, Option<char>)> {
    Some(match c.to_lowercase().next()? {
        'ø' => (None, Some(GRAVE)),
        'ù' => (None, Some(ACUTE)),
        'û' => (None, Some(HOOK)),
        'õ' => (None, Some(TILDE)),
        'ï' => (None, Some(DOT)),
        'â' => (Some(CIRCUMFLEX), None),
        'à' => (Some(CIRCUMFLEX), Some(GRAVE)),
        'á' => (Some(CIRCUMFLEX), Some(ACUTE)),
        'å' => (Some(CIRCUMFLEX), Some(HOOK)),
        'ã' => (Some(CIRCUMFLEX), Some(TILDE)),
        'ä' => (Some(CIRCUMFLEX), Some(DOT)),
        'ê' => (Some(BREVE), None),
        'è' => (Some(BREVE), Some(GRAVE)),
        'é' => (Some(BREVE), Some(ACUTE)),
        'ú' => (Some(BREVE), Some(HOOK)),
        'ü' => (Some(BREVE), Some(TILDE)),
        'ë' => (Some(BREVE), Some(DOT)),
        _ => return None,
    })
}

/// VNI letters written as one character.
fn vni_single(c: char) -> Option<&'static str> {
    Some(match c {
        'ì' => "ì",
        'í' => "í",
        'æ' => "ỉ",
        'ó' => "ĩ",
        'ò' => "ị",
        'î' => "ỵ",
        'ñ' => "đ",
        'ô' => "ơ",
        'ö' => "ư",
        'Ì' => "Ì",
        'Í' => "Í",
        'Æ' => "Ỉ",
        'Ó' => "Ĩ",
        'Ò' => "Ị",
        'Î' => "Ỵ",
        'Ñ' => "Đ",
        'Ô' => "Ơ",
        'Ö' => "Ư",
        _ => return None,
    })
}

/// Base letters a VNI mark may follow, with the horn of ơ/ư.
fn vni_base(c: char) -> Option<(char, Option<char>)> {
    match c {
        'a' | 'e' | 'o' | 'u' | 'y' | 'i' | 'A' | 'E' | 'O' | 'U' | 'Y' | 'I' => Some((c, None)),
        'ô' => Some(('o', Some(HORN))),
        'ö' => Some(('u', Some(HORN))),
        'Ô' => Some(('O', Some(HORN))),
        'Ö' => Some(('U', Some(HORN))),
        _ => None,
    }
}

/// Decodes VNI text; `None` if some non-ASCII character is not VNI.
fn decode_vni(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let (Some((base, horn)), Some(next)) = (vni_base(c), chars.get(i + 1)) {
            if let Some((modifier, tone)) = vni_mark(*next) {
                // ơ/ư take a tone, not a second vowel modifier
                if horn.is_none() || modifier.is_none() {
                    let mut seq = String::from(base);
                    seq.extend(horn);
                    seq.extend(modifier);
                    seq.extend(tone);
                    out.extend(seq.nfc());
                    i += 2;
                    continue;
                }
            }
        }
        if let Some(single) = vni_single(c) {
            out.push_str(single);
        } else if c.is_ascii() {
            out.push(c);
        } else {
            return None;
        }
        i += 1;
    }
    Some(out)
}

/// Decodes TCVN3 text; `None` if some non-ASCII character is not TCVN3.
fn decode_tcvn3(s: &str) -> Option<String> {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        match TCVN3.chars().position(|t| t == c) {
            Some(i) => out.push(TCVN3_UNICODE.chars().nth(i).expect("tables have the same length")),
            None if c.is_ascii() => out.push(c),
            None => return None,
        }
    }
    // a capital with a tone is written as the capital then the toned small letter: "Aµ" is "À"
    let mut merged = String::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        if let (true, Some(next)) = (out[i].is_uppercase(), out.get(i + 1)) {
            let toneless: String =
                next.to_string().nfd().filter(|m| ![GRAVE, ACUTE, TILDE, HOOK, DOT].contains(m)).nfc().collect();
            let has_tone = next.to_string().nfd().any(|m| [GRAVE, ACUTE, TILDE, HOOK, DOT].contains(&m));
            if has_tone && toneless == out[i].to_lowercase().collect::<String>() {
                merged.extend(next.to_uppercase());
                i += 2;
                continue;
            }
        }
        merged.push(out[i]);
        i += 1;
    }
    Some(merged)
}

/// Letters of Vietnamese written in Unicode (NFC), beyond ASCII.
fn is_vietnamese_letter(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let base: String = c.to_string().nfd().take(1).collect();
    let marks_ok =
        c.to_string().nfd().skip(1).all(|m| [GRAVE, ACUTE, TILDE, HOOK, DOT, CIRCUMFLEX, BREVE, HORN].contains(&m));
    matches!(c, 'đ' | 'Đ')
        || (marks_ok && base.chars().all(|b| "aeiouyAEIOUY".contains(b)) && c.to_string().nfd().count() > 1)
}

/// Character pairs that never occur in Unicode Vietnamese but are how VNI
/// writes â, ă, ê, ô ("Vaên" is "Văn").
fn has_vni_pairs(s: &str) -> bool {
    ["aâ", "aê", "eâ", "oâ", "AÂ", "AÊ", "EÂ", "OÂ"].iter().any(|p| s.contains(p))
}

/// Detects legacy text and converts it. Returns `None` for text that is
/// already Unicode (or not Vietnamese at all).
pub fn convert_legacy(s: &str) -> Option<(String, Legacy)> {
    let foreign = s.chars().filter(|c| !c.is_ascii() && !is_vietnamese_letter(*c)).count();
    if foreign == 0 && !has_vni_pairs(s) {
        return None;
    }
    let vni = decode_vni(s).filter(|d| d.chars().all(is_vietnamese_letter) && d != s);
    let tcvn3 = decode_tcvn3(s).filter(|d| d.chars().all(is_vietnamese_letter) && d != s);
    match (vni, tcvn3) {
        (Some(v), None) => Some((v, Legacy::Vni)),
        (None, Some(t)) => Some((t, Legacy::Tcvn3)),
        // both read as Vietnamese: VNI writes marks after vowels, so prefer it
        // when the text has VNI pairs or marks right after vowels
        (Some(v), Some(t)) => {
            let after_vowel = s
                .chars()
                .zip(s.chars().skip(1))
                .filter(|(a, b)| vni_base(*a).is_some() && vni_mark(*b).is_some())
                .count();
            let non_ascii = s.chars().filter(|c| !c.is_ascii()).count();
            if has_vni_pairs(s) || after_vowel * 2 >= non_ascii {
                Some((v, Legacy::Vni))
            } else {
                Some((t, Legacy::Tcvn3))
            }
        }
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_text_is_converted() {
        assert_eq!(convert_legacy("Hµ Néi"), Some(("Hà Nội".into(), Legacy::Tcvn3)));
        assert_eq!(convert_legacy("Tæng ®µn lîn"), Some(("Tổng đàn lợn".into(), Legacy::Tcvn3)));
        assert_eq!(
            convert_legacy("Phßng N«ng nghiÖp vµ PTNT huyÖn V¨n Quan"),
            Some(("Phòng Nông nghiệp và PTNT huyện Văn Quan".into(), Legacy::Tcvn3))
        );
        // capitals: a Latin capital then the toned small letter
        assert_eq!(convert_legacy("¸nh s¸ng A¸NH"), Some(("ánh sáng ÁNH".into(), Legacy::Tcvn3)));
        assert_eq!(convert_legacy("Aµ"), Some(("À".into(), Legacy::Tcvn3)));
        assert_eq!(convert_legacy("§¾k L¾k"), Some(("Đắk Lắk".into(), Legacy::Tcvn3)));
    }

    #[test]
    fn vni_text_is_converted() {
        assert_eq!(convert_legacy("Haø Noäi"), Some(("Hà Nội".into(), Legacy::Vni)));
        assert_eq!(convert_legacy("Nguyeãn Vaên A"), Some(("Nguyễn Văn A".into(), Legacy::Vni)));
        assert_eq!(convert_legacy("Sôû Noâng nghieäp"), Some(("Sở Nông nghiệp".into(), Legacy::Vni)));
        assert_eq!(convert_legacy("tröôøng hoïc ñaïi"), Some(("trường học đại".into(), Legacy::Vni)));
        assert_eq!(convert_legacy("HAØ NOÄI"), Some(("HÀ NỘI".into(), Legacy::Vni)));
    }

    #[test]
    fn unicode_text_is_left_alone() {
        for s in [
            "Sở Nông nghiệp và PTNT",
            "Hoàng",
            "hoà bình",
            "Lạng Sơn",
            "Đình Lập",
            "ha",
            "15.585",
            "Tràng Định",
            "người",
            "Ước cả năm",
        ] {
            assert_eq!(convert_legacy(s), None, "{s}");
        }
    }
}
