//! What the documents need besides the cells of the forms, as findings:
//! the groups of documents and list rows they cite, the clerk's narrative
//! of the period, and the figures that are there but cannot be printed (a
//! share of a zero). Anything that would stop `build` is a finding of
//! `check`, named by unit, file, sheet and cell, or by the group and the
//! unit that lists it.

use crate::config::{ReportDef, DOCUMENTS_FILE, NARRATIVE_FILE};
use crate::forms::{SHEET_DOCUMENTS, SHEET_ITEMS};
use crate::model::{Diagnostic, DocumentRef, Figures, Origin, Submission};
use crate::render::{Gap, Use};

/// The clerk's documents (`van-ban.toml`) as the units' documents are
/// cited: in the figures' list, after the units'.
pub fn clerk_documents(def: &ReportDef) -> Vec<(String, DocumentRef)> {
    def.documents
        .iter()
        .map(|d| {
            let doc = DocumentRef {
                number_symbol: d.number.clone(),
                date: d.date,
                agency: d.agency.clone(),
                kind: d.kind.clone(),
                subject: d.subject.clone(),
                group: d.group.clone(),
                origin: Origin::new(&d.file, "[[van_ban]]", d.index as u32, 0),
            };
            (String::new(), doc)
        })
        .collect()
}

/// The file the clerk writes `name` in, as messages name it.
fn clerk_file(def: &ReportDef, name: &str, known: &str) -> String {
    if !known.is_empty() {
        return known.to_string();
    }
    let root = def.dir.parent().map(|p| p.join(name)).unwrap_or_else(|| name.into());
    root.display().to_string().replace('\\', "/")
}

/// A finding for each gap: where the missing rows belong and who writes them.
pub fn gap_findings(def: &ReportDef, subs: &[Submission], gaps: &[Gap]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for gap in gaps {
        match gap {
            Gap::Documents(group) | Gap::Items(group) => {
                let documents = matches!(gap, Gap::Documents(_));
                let (sheet, what) =
                    if documents { (SHEET_DOCUMENTS, "văn bản") } else { (SHEET_ITEMS, "dòng danh mục") };
                let decl = if documents { &def.catalog.document_groups } else { &def.catalog.list_groups };
                let about = decl
                    .iter()
                    .find(|g| crate::vi::fold(&g.code) == crate::vi::fold(group))
                    .map(|g| format!(" ({})", g.name))
                    .unwrap_or_default();
                let message = format!("không có {what} nào thuộc nhóm «{group}»{about} mà văn bản cần");
                let units = def.group_units(group, documents);
                for unit in &units {
                    let file =
                        subs.iter().find(|s| s.unit == unit.code).map(|s| s.file.as_str()).unwrap_or("(chưa có tệp)");
                    out.push(
                        Diagnostic::error(file, &message)
                            .in_sheet(sheet)
                            .unit(&unit.code)
                            .hint(format!("Đề nghị {} ghi vào trang «{sheet}», cột «Nhóm» ghi «{group}»", unit.name)),
                    );
                }
                if units.is_empty() {
                    let (file, hint) = if documents {
                        let file = clerk_file(def, DOCUMENTS_FILE, "");
                        let hint = format!(
                            "Chuyên viên ghi các văn bản của nhóm vào «{file}» (nhom = \"{group}\"), \
                             hoặc khai báo đơn vị ghi nhóm này trong catalog.toml ([[nhom_van_ban]])"
                        );
                        (file, hint)
                    } else {
                        (
                            "(chưa có đơn vị ghi)".to_string(),
                            "Khai báo đơn vị ghi nhóm này trong catalog.toml ([[nhom_danh_muc]])".to_string(),
                        )
                    };
                    out.push(Diagnostic::error(&file, &message).hint(hint));
                }
            }
            Gap::Narrative(key) => {
                let file = clerk_file(def, NARRATIVE_FILE, &def.narrative.file);
                out.push(
                    Diagnostic::error(&file, format!("chưa có đoạn nhận định «{key}» mà văn bản cần"))
                        .hint(format!("Chuyên viên viết đoạn này vào «{file}», mục [nhan_dinh]: {key} = \"…\"")),
                );
            }
        }
    }
    out
}

/// A finding for each figure the text cannot print although every unit
/// gave its number (a share or a change of a zero, a breakdown of zeros):
/// at the cell when one unit gave it.
pub fn failed_findings(def: &ReportDef, figures: &Figures, failed: &[Use]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for u in failed {
        let reason = u.printed.trim_start_matches("thiếu số liệu: ");
        let zeros: Vec<_> = u
            .figures
            .iter()
            .filter_map(|(code, col)| figures.get(code, *col))
            .filter(|f| f.total.is_some_and(|t| t.is_zero()))
            .collect();
        let named: Vec<String> = u
            .figures
            .iter()
            .map(|(code, col)| {
                let name = def.indicator(code).map(|i| i.name.as_str()).unwrap_or(code);
                format!("«{name}» cột «{}»", col.label())
            })
            .collect();
        let message = format!("văn bản không in được số từ {}: {reason}", named.join(" và "));
        let hint = "Nếu số 0 là đúng, báo người soạn mẫu văn bản để câu văn xử lý trường hợp bằng 0 \
                    ({% if … is khong %}); nếu không, đề nghị đơn vị kiểm tra lại số liệu";
        let at = zeros.iter().find_map(|f| (f.contributions.len() == 1).then(|| &f.contributions[0]));
        let diag = match at {
            Some(c) => Diagnostic::error(c.origin.file(), message).at(&c.origin).unit(&c.unit),
            None => Diagnostic::error("(tổng của các đơn vị)", message),
        };
        out.push(diag.hint(hint));
    }
    out
}
