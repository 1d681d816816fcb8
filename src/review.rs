//! The review list of a new period: every line of the templates (the text's
//! fragments, report.toml, chung.toml, phu-luc.toml) that still holds a
//! year, a date, a document number or a figure written as such rather than
//! coming from the period setting or from data. Multi-year frames that are
//! no period's facts ("giai đoạn 2021 - 2025") are listed too: the clerk
//! decides. A number that must stay as it is says so in a comment on its
//! line: `{# cố định: 03, 36 #}` in a fragment (only those numbers), or
//! `# cố định` (the whole line; in TOML).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// Files that are the period's data, not templates: never listed.
const DATA_FILES: [&str; 4] =
    ["catalog.toml", "units.toml", crate::config::DOCUMENTS_FILE, crate::config::NARRATIVE_FILE];

/// The marker of a line that stays as written.
const KEEP: &str = "cố định";

/// One line to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    /// The file, relative to the folder that holds `templates/`, with `/`.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The line, cut around what was found.
    pub text: String,
    /// What was found: "năm 2030", "số văn bản 76/NQ-CP", "ngày 23/6", "số 06".
    pub found: Vec<String>,
}

impl std::fmt::Display for ReviewLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {} — cần xem lại ({})", self.file, self.line, self.text, self.found.join("; "))
    }
}

/// The review list of the templates folder `root`, files named as `shown`
/// ("templates") followed by their path inside it.
pub fn scan(root: &Path, shown: &str) -> Result<Vec<ReviewLine>> {
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(root).max_depth(2).sort_by_file_name() {
        let entry = entry.with_context(|| format!("không đọc được thư mục «{}»", root.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_file() || DATA_FILES.contains(&name.as_str()) {
            continue;
        }
        if !(name.ends_with(".md.tera") || name.ends_with(".toml")) {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        files.push((format!("{shown}/{}", rel.join("/")), path.to_path_buf()));
    }
    let mut out = Vec::new();
    for (name, path) in files {
        let text = fs::read_to_string(&path).with_context(|| format!("không đọc được «{}»", path.display()))?;
        let masked = if name.ends_with(".toml") { mask_toml(&text) } else { mask_tera(&text) };
        for (i, (raw, line)) in text.lines().zip(masked.lines()).enumerate() {
            let keep = kept(raw);
            if keep.as_ref().is_some_and(|k| k.is_empty()) {
                continue;
            }
            let found: Vec<(String, usize)> = findings(line)
                .into_iter()
                .filter(|(_, at)| {
                    let number: String = line[*at..].chars().take_while(|c| c.is_ascii_digit()).collect();
                    !keep.as_ref().is_some_and(|k| k.contains(&number))
                })
                .collect();
            if found.is_empty() {
                continue;
            }
            let first = found[0].1;
            out.push(ReviewLine {
                file: name.clone(),
                line: i + 1,
                text: excerpt(raw, first),
                found: found.into_iter().map(|(f, _)| f).collect(),
            });
        }
    }
    Ok(out)
}

/// The numbers a line's «cố định» comment keeps: `Some(empty)` for the
/// whole line, `None` without the marker.
fn kept(raw: &str) -> Option<Vec<String>> {
    let at = raw.find(KEEP)?;
    let rest = &raw[at + KEEP.len()..];
    let rest = &rest[..rest.find("#}").unwrap_or(rest.len())];
    Some(rest.split(|c: char| !c.is_ascii_digit()).filter(|w| !w.is_empty()).map(str::to_string).collect())
}

/// A fragment with its Tera parts (`{{ … }}`, `{% … %}`, `{# … #}`) blanked
/// out, line breaks kept: what is left is the literal text.
fn mask_tera(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o).map(|i| (i, *o))).min();
        let Some((i, open)) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let end = rest[i..].find(close).map(|j| i + j + 2).unwrap_or(rest.len());
        out.extend(rest[i..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &rest[end..];
    }
    out
}

/// A TOML file with its comments, the small templates in its strings and
/// the period itself (`nam` of `[ky_bao_cao]`) blanked out.
fn mask_toml(text: &str) -> String {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        }
        // a comment starts at a # outside a string
        let mut in_string = false;
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            match c {
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        let code = &line[..cut];
        let key = code.split('=').next().unwrap_or("").trim();
        let code = if section == "ky_bao_cao" && (key == "nam" || key == "ky") { "" } else { code };
        let masked = mask_tera(code);
        out.push(format!("{masked}{}", " ".repeat(line.len() - cut)));
    }
    out.join("\n")
}

/// What a line holds that a new period may have made stale, with the byte
/// position of each.
fn findings(line: &str) -> Vec<(String, usize)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let glued = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || (bytes[i - 1] == b'-' && i > 1 && bytes[i - 2].is_ascii_alphabetic()));
        if !bytes[i].is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        // a run of digits and the separators numbers, dates and document numbers use
        let start = i;
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || matches!(bytes[j], b'/' | b'.' | b',' | b'-')) {
            j += 1;
        }
        let run = line[start..j].trim_end_matches(['/', '.', ',', '-']);
        let end = start + run.len();
        let next = line[end..].chars().next();
        let after_sep = line[end..].chars().nth(1);
        let doc_number = matches!(next, Some('/') | Some('-')) && after_sep.is_some_and(|c| c.is_uppercase())
            || (run.contains(['/', '-']) && line[end..].starts_with(|c: char| c.is_uppercase()));
        let found = if doc_number {
            let tail: String =
                line[end..].chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | '"' | ')')).collect();
            format!("số văn bản {run}{tail}")
        } else if run.contains('/') {
            format!("ngày {run}")
        } else if run.len() == 4 && run.parse::<i32>().is_ok_and(|y| (1900..2200).contains(&y)) {
            format!("năm {run}")
        } else {
            format!("số {run}")
        };
        out.push((found, start));
        i = j.max(i + 1);
    }
    out
}

/// The line cut to about 120 characters around byte `at`.
fn excerpt(line: &str, at: usize) -> String {
    let line = line.trim();
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 120 {
        return line.to_string();
    }
    let at_char = line.char_indices().take_while(|(b, _)| *b < at).count();
    let from = at_char.saturating_sub(50);
    let to = (from + 120).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 {
        s = format!("…{s}");
    }
    if to < chars.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<String> {
        findings(line).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn years_dates_numbers_and_figures_are_found() {
        assert_eq!(kinds("giai đoạn 2021 - 2025"), ["năm 2021", "năm 2025"]);
        assert_eq!(kinds("Nghị quyết số 76/NQ-CP của Chính phủ"), ["số văn bản 76/NQ-CP"]);
        assert_eq!(kinds("Chỉ thị số 42-CT/TW của Ban Bí thư"), ["số văn bản 42-CT/TW"]);
        assert_eq!(kinds("ngày 23/6 - 26/6/2023"), ["ngày 23/6", "ngày 26/6/2023"]);
        assert_eq!(kinds("tối thiểu 5 - 7 doanh nghiệp, 04 chuỗi"), ["số 5", "số 7", "số 04"]);
        assert!(kinds("COVID-19 và thương hiệu VietGAP").is_empty());
    }

    #[test]
    fn numbers_kept_as_they_are_say_so() {
        assert_eq!(kept("đạt 03 sao {# cố định: 03, 36 #}"), Some(vec!["03".to_string(), "36".to_string()]));
        assert_eq!(kept("so = \"01/SXNLN\" # cố định"), Some(vec![]));
        assert_eq!(kept("năm 2023"), None);
    }

    #[test]
    fn tera_and_comments_are_not_text() {
        let t = "Năm {{ nam }} {# 2023 #} là {% if f.x.th is tang(so_voi=f.x.ck) %}năm 2024{% endif %}\n{#- đoạn\n 1999 -#}x";
        let m = mask_tera(t);
        assert_eq!(m.lines().count(), t.lines().count());
        assert_eq!(kinds(&m), ["năm 2024"]);
        let toml = "[ky_bao_cao]\nnam = 2023 # 2022\nky = \"6 tháng\"\n[van_ban]\nten_tep = \"ke-hoach-{{ nam_sau }}\"\ntrich_yeu = \"năm 2024\"";
        let m = mask_toml(toml);
        let found: Vec<Vec<String>> = m.lines().map(kinds).collect();
        assert_eq!(found.iter().filter(|f| !f.is_empty()).count(), 1);
        assert_eq!(found[5], ["năm 2024"]);
    }
}
