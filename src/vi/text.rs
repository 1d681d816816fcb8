//! Text hygiene for strings that reach the document or are compared.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters no text from a cell may carry into the document: the
/// private-use areas (U+E000–U+F8FF and planes 15 and 16), where the
/// renderer keeps the invisible markers of printed and missing figures, and
/// the bidirectional controls that make text display in another order than
/// it is stored (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
pub fn is_private_or_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{E000}'..='\u{F8FF}'
            | '\u{F0000}'..='\u{10FFFF}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
    )
}

/// A cell or template string made safe for one line of a Word paragraph:
/// NFC, tabs and line breaks turned into spaces, characters XML 1.0 forbids
/// (C0 controls, U+FFFE, U+FFFF) and private-use and bidirectional control
/// characters ([`is_private_or_bidi`]) removed, runs of spaces collapsed,
/// trimmed.
pub fn sanitize_inline(s: &str) -> String {
    // most texts (headers, names) are already so: copied as they are
    if is_inline_already(s) {
        return s.to_owned();
    }
    sanitize_inline_each(s)
}

/// `s` is what [`sanitize_inline`] would make of it: NFC by the quick check,
/// none of the characters it removes or turns into spaces, no space at
/// either end or next to another.
fn is_inline_already(s: &str) -> bool {
    !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.chars()
            .all(|c| c >= ' ' && !matches!(c, '\u{7f}' | '\u{a0}' | '\u{fffe}' | '\u{ffff}') && !is_private_or_bidi(c))
        && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// [`sanitize_inline`] character by character.
fn sanitize_inline_each(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for ch in s.nfc() {
        let ch = match ch {
            '\t' | '\n' | '\r' | '\u{a0}' => ' ',
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => continue,
            c if is_private_or_bidi(c) => continue,
            c => c,
        };
        if ch == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(ch);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// `s` cut to at most `max` characters, the cut marked with "…" (which
/// counts as one of them): a cell's text quoted in a message stays short.
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => s.into(),
        Some(_) => {
            let keep = s.char_indices().nth(max.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
            format!("{}…", &s[..keep]).into()
        }
    }
}

/// Like [`sanitize_inline`] but keeps line breaks (`\n`) for multi-line text.
pub fn sanitize(s: &str) -> String {
    s.replace("\r\n", "\n").split(['\n', '\r']).map(sanitize_inline).collect::<Vec<_>>().join("\n")
}

/// A key for comparing labels the way a person reads them: lower case, no
/// diacritics ("đ" → "d"), punctuation as spaces, spaces collapsed.
/// `fold("Mã chỉ tiêu")` is `"ma chi tieu"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for ch in s.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if ch == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.extend(ch.to_lowercase());
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_is_safe_for_xml() {
        assert_eq!(sanitize_inline("  Lúa\tXuân\n2023 \u{1}\u{ffff}"), "Lúa Xuân 2023");
        // NFD input becomes NFC
        let nfd: String = "Lạng Sơn".nfd().collect();
        assert_eq!(sanitize_inline(&nfd), "Lạng Sơn");
        assert_eq!(sanitize("a\r\nb\u{7}"), "a\nb");
    }

    #[test]
    fn clean_texts_are_copied_exactly_as_they_would_be_sanitized() {
        // every string of up to three characters over the cases that matter:
        // spaces and what becomes one, controls, a combining mark (NFD), a
        // precomposed and an ASCII letter, private-use and bidi characters
        let alphabet = [
            ' ',
            '\t',
            '\n',
            '\u{a0}',
            '\u{1}',
            '\u{7f}',
            '\u{ffff}',
            '\u{301}',
            'ạ',
            'a',
            'A',
            '\u{E000}',
            '\u{202E}',
            '\u{10FFFD}',
        ];
        let mut texts = vec![String::new()];
        for len in 1..=3 {
            let mut idx = vec![0usize; len];
            loop {
                texts.push(idx.iter().map(|&i| alphabet[i]).collect());
                let Some(pos) = (0..len).rev().find(|&p| idx[p] + 1 < alphabet.len()) else { break };
                idx[pos] += 1;
                idx[pos + 1..].iter_mut().for_each(|i| *i = 0);
            }
        }
        texts.extend(
            ["Mã chỉ tiêu", "TH năm trước (2022)", "Lạng  Sơn", " x", "x ", "Ước cả năm 2023"].map(String::from),
        );
        for t in &texts {
            assert_eq!(sanitize_inline(t), sanitize_inline_each(t), "{t:?}");
        }
        assert!(texts.len() > 2_900);
    }

    #[test]
    fn private_use_and_bidi_controls_are_removed() {
        // the renderer's figure markers, a plane-16 private character, and
        // the overrides that show "cba" for "abc"
        let s = "Lúa\u{E000}\u{E002}7\u{E003}999.999\u{E004} \u{10FFFD}x\u{202E}abc\u{202C} \u{2067}y\u{2069}\u{200F}\u{061C}";
        assert_eq!(sanitize_inline(s), "Lúa7999.999 xabc y");
        assert!(is_private_or_bidi('\u{F8FF}') && is_private_or_bidi('\u{F0000}') && is_private_or_bidi('\u{200E}'));
        assert!(!is_private_or_bidi('ạ') && !is_private_or_bidi('\u{200B}') && !is_private_or_bidi('€'));
    }

    #[test]
    fn long_text_is_clipped() {
        assert_eq!(clip("Lúa Xuân", 20), "Lúa Xuân");
        assert_eq!(clip("Lúa Xuân", 8), "Lúa Xuân");
        assert_eq!(clip("Lúa Xuân", 5), "Lúa …");
        assert_eq!(clip(&"9".repeat(32_767), 200).chars().count(), 200);
    }

    #[test]
    fn folding_for_comparison() {
        assert_eq!(fold("Mã chỉ tiêu"), "ma chi tieu");
        assert_eq!(fold("  TH cùng kỳ (năm trước) "), "th cung ky nam truoc");
        assert_eq!(fold("Đơn vị tính"), "don vi tinh");
        assert_eq!(fold("ĐVT"), "dvt");
    }
}
