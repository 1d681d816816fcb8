//! Findings about the inputs, as values: severity, where (file, sheet,
//! cell, unit), what, and what to ask the unit to do. Every stage that finds
//! something wrong says it with a [`Diagnostic`], never a bare string.

use std::fmt;

use crate::origin::Origin;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }
}

/// A finding about the inputs, in Vietnamese, pointing at the cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub unit: Option<String>,
    pub message: String,
    /// What to ask the unit to do.
    pub hint: String,
}

impl Diagnostic {
    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            sheet: None,
            cell: None,
            unit: None,
            message: message.into(),
            hint: String::new(),
        }
    }

    pub fn warning(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    pub fn at(mut self, origin: &Origin) -> Diagnostic {
        self.sheet = Some(origin.sheet().to_string());
        self.cell = Some(origin.cell());
        self
    }

    pub fn in_sheet(mut self, sheet: &str) -> Diagnostic {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn unit(mut self, unit: &str) -> Diagnostic {
        self.unit = Some(unit.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = hint.into();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.severity.label(), self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", trang «{sheet}»")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, ", ô {cell}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " — {}", self.hint)?;
        }
        Ok(())
    }
}

/// Findings shown of one kind in one file ([`capped`]).
pub const SHOWN_PER_KIND: usize = 50;

/// The findings as they are shown (on screen, in kiem-tra.xlsx): at most
/// `per_kind` of one kind (same severity and message but for the quoted
/// text and the numbers) in one file, the rest summed up in one line after
/// them ("… và 99.987 lỗi cùng loại"). A form with a hundred thousand
/// duplicate rows is a few dozen lines, not 19 MB of them.
pub fn capped(diags: &[Diagnostic], per_kind: usize) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let key = |d: &Diagnostic| (d.severity, d.file.clone(), kind_of(&d.message));
    // per kind: how many, and the sheet they share (None when they do not)
    let mut kinds: HashMap<_, (usize, Option<Option<String>>)> = HashMap::new();
    for d in diags {
        let (n, sheet) = kinds.entry(key(d)).or_insert((0, Some(d.sheet.clone())));
        *n += 1;
        if sheet.as_ref().is_some_and(|s| *s != d.sheet) {
            *sheet = None;
        }
    }
    let mut shown: HashMap<_, usize> = HashMap::new();
    let mut out = Vec::with_capacity(diags.len().min(kinds.len() * (per_kind + 1)));
    for d in diags {
        let k = key(d);
        let n = shown.entry(k.clone()).or_default();
        *n += 1;
        if *n <= per_kind {
            out.push(d.clone());
        }
        let (all, sheet) = &kinds[&k];
        if *n == *all && *all > per_kind {
            out.push(Diagnostic {
                message: format!(
                    "… và {} {} cùng loại",
                    crate::vi::format_number(rust_decimal::Decimal::from(all - per_kind), 0, false),
                    d.severity.label()
                ),
                hint: "Các ô còn lại có cùng vấn đề như các dòng trên; sửa theo cách đó rồi kiểm tra lại".into(),
                sheet: sheet.clone().flatten(),
                cell: None,
                ..d.clone()
            });
        }
    }
    out
}

/// A message without what varies between findings of one kind: the text
/// in «…» and the numbers.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = 0u32;
    for c in message.chars() {
        match c {
            '«' => {
                quoted += 1;
                out.push(c);
            }
            '»' => {
                quoted = quoted.saturating_sub(1);
                out.push(c);
            }
            _ if quoted > 0 || c.is_ascii_digit() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_of_one_kind_are_summed_up_after_the_first() {
        let mut diags: Vec<Diagnostic> = (0..1000)
            .map(|i| {
                Diagnostic::error("a.xlsx", format!("chỉ tiêu «x{i}» ghi hai lần (dòng {i} và dòng {})", i + 1))
                    .at(&Origin::new("a.xlsx", "Chỉ tiêu", i, 1))
            })
            .collect();
        diags.push(Diagnostic::error("a.xlsx", "«hai» không phải là số"));
        diags.push(Diagnostic::error("b.xlsx", "chỉ tiêu «y» ghi hai lần (dòng 1 và dòng 2)"));
        let shown = capped(&diags, 3);
        let messages: Vec<&str> = shown.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(shown.len(), 3 + 1 + 1 + 1, "{messages:#?}");
        assert_eq!(messages[3], "… và 997 lỗi cùng loại");
        assert_eq!(
            (shown[3].file.as_str(), shown[3].sheet.as_deref(), shown[3].cell.as_deref()),
            ("a.xlsx", Some("Chỉ tiêu"), None)
        );
        let many: Vec<Diagnostic> = (0..100_000).map(|i| Diagnostic::error("c.xlsx", format!("dòng {i}"))).collect();
        assert_eq!(capped(&many, 13).last().unwrap().message, "… và 99.987 lỗi cùng loại");
        assert_eq!(capped(&diags[..3], 3), diags[..3].to_vec(), "nothing to sum up");
    }
}
