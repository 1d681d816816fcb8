//! Raw workbooks → checked submissions plus Vietnamese diagnostics naming
//! file, sheet and cell. Nothing is dropped silently: every value that is not
//! used produces a diagnostic saying so.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::config::{RelationKind, ReportDef, Unit};
use crate::ingest::{Cell, Field, MetaKey, RawCell, RawMeta, RawTable, RawWorkbook};
use crate::model::{Column, Diagnostic, DocumentRef, Entry, Figures, ListItem, Origin, Submission};
use crate::vi::{fold, format_number, parse_number_text};

const HINT_FORM: &str = "Đề nghị đơn vị dùng đúng biểu mẫu do Sở gửi (lệnh «baocao forms»)";

/// Characters of a cell's text quoted in a message at most: a cell may hold
/// 32,767 of them.
const QUOTED: usize = 200;

/// A cell's text as a message quotes it.
fn q(s: &str) -> std::borrow::Cow<'_, str> {
    crate::vi::clip(s, QUOTED)
}

/// Checks every workbook against the report definition.
pub fn validate(def: &ReportDef, workbooks: &[RawWorkbook]) -> (Vec<Submission>, Vec<Diagnostic>) {
    combine(def, workbooks.iter().map(|wb| check_one(def, wb)).collect())
}

/// One workbook checked on its own, so that a large folder can be read and
/// checked file by file without holding every workbook.
#[derive(Debug)]
pub struct Checked1 {
    pub submission: Option<Submission>,
    pub diagnostics: Vec<Diagnostic>,
    /// The unit that sent a recognisable form, even one with errors.
    pub sender: Option<String>,
}

/// Checks one workbook by itself (what depends on the others is left to [`combine`]).
pub fn check_one(def: &ReportDef, wb: &RawWorkbook) -> Checked1 {
    let mut diagnostics = Vec::new();
    let mut senders = Vec::new();
    let submission = check_workbook(def, wb, &mut diagnostics, &mut senders);
    Checked1 { submission, diagnostics, sender: senders.pop() }
}

/// The workbooks checked one by one, in a stable order, put together: one
/// submission per unit, and the units that have not sent anything.
pub fn combine(def: &ReportDef, each: Vec<Checked1>) -> (Vec<Submission>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut subs: Vec<Submission> = Vec::new();
    let mut senders: HashSet<String> = HashSet::new();
    for one in each {
        diags.extend(one.diagnostics);
        subs.extend(one.submission);
        senders.extend(one.sender);
    }
    let subs = resolve_duplicates(subs, &mut diags);
    for unit in def.expected_units() {
        if !senders.contains(&unit.code) {
            diags.push(
                Diagnostic::error("(chưa có tệp)", format!("{} ({}) chưa nộp báo cáo", unit.name, unit.code))
                    .unit(&unit.code)
                    .hint("Đề nghị đơn vị gửi biểu mẫu"),
            );
        }
    }
    (subs, diags)
}

/// One workbook, sheet by sheet: the hidden copies, the information sheet
/// (unit, year, period, date), the indicator table, the documents and the
/// list; then the rules across its cells.
fn check_workbook(
    def: &ReportDef,
    wb: &RawWorkbook,
    diags: &mut Vec<Diagnostic>,
    senders: &mut Vec<String>,
) -> Option<Submission> {
    let file = wb.file.as_str();
    hidden_forms(wb, diags);
    let Some(meta) = &wb.meta else {
        diags.push(
            Diagnostic::error(file, "tệp không phải biểu mẫu báo cáo: không có trang thông tin với ô «Mã đơn vị»")
                .hint(HINT_FORM),
        );
        return None;
    };
    let Some(table) = &wb.indicators else {
        diags.push(
            Diagnostic::error(
                file,
                "không tìm thấy bảng chỉ tiêu (dòng tiêu đề có «Mã chỉ tiêu» và các cột số liệu như «TH kỳ báo cáo»)",
            )
            .hint(HINT_FORM),
        );
        return None;
    };
    let unit = unit_of(def, meta, file, diags)?;
    senders.push(unit.code.clone());
    let mut found = Vec::new();
    legacy_form(wb, meta, table, &mut found);
    let info = information(def, meta, file, &mut found);
    let values = indicator_rows(def, table, file, unit, &mut found);
    let documents = wb.documents.as_ref().map(|t| documents_of(t, file, &mut found)).unwrap_or_default();
    let items = wb.items.as_ref().map(|t| items_of(def, t, file, &mut found)).unwrap_or_default();
    diags.extend(found.into_iter().map(|d| d.unit(&unit.code)));

    let sub = Submission {
        unit: unit.code.clone(),
        file: file.to_string(),
        period: info.period,
        year: info.year.unwrap_or_default(),
        report_date: info.report_date,
        entries: values.entries,
        blanks: values.blanks,
        rejected: values.rejected,
        sheet: table.sheet.as_str().into(),
        documents,
        items,
    };
    // a form of another year or period is not used at all; a bad cell only loses that cell
    if !info.usable {
        return None;
    }
    check_relations(def, &sub, diags);
    check_changes(def, &sub, diags);
    Some(sub)
}

/// Hidden sheets that look like the form: named, never read.
fn hidden_forms(wb: &RawWorkbook, diags: &mut Vec<Diagnostic>) {
    for sheet in &wb.hidden_forms {
        diags.push(
            Diagnostic::warning(
                &wb.file,
                format!(
                    "trang «{sheet}» bị ẩn nhưng có dạng biểu mẫu (bảng chỉ tiêu hoặc thông tin đơn vị); \
                     số liệu ở trang ẩn không được dùng, chỉ đọc các trang đang hiện"
                ),
            )
            .in_sheet(sheet)
            .hint("Đề nghị đơn vị xóa trang ẩn (bản cũ); nếu số liệu đúng nằm ở trang đó thì bỏ ẩn, xóa bản cũ rồi gửi lại"),
        );
    }
}

/// The unit the form belongs to (its «Mã đơn vị»), or why it is none.
fn unit_of<'a>(def: &'a ReportDef, meta: &RawMeta, file: &str, diags: &mut Vec<Diagnostic>) -> Option<&'a Unit> {
    let code_cell = meta.get(MetaKey::UnitCode)?;
    match code_cell.value.text() {
        Some(code) => match def.units.get(&code) {
            Some(u) => Some(u),
            None => {
                diags.push(
                    Diagnostic::error(
                        file,
                        format!("mã đơn vị «{}» không có trong danh sách đơn vị (units.toml)", q(&code)),
                    )
                    .at(&code_cell.origin)
                    .hint("Kiểm tra lại mã đơn vị trong biểu mẫu"),
                );
                None
            }
        },
        None => {
            diags.push(Diagnostic::error(file, "chưa ghi mã đơn vị").at(&code_cell.origin).hint(HINT_FORM));
            None
        }
    }
}

/// A form typed again with a legacy font, labels and all, is said once;
/// otherwise each information cell typed so is named.
fn legacy_form(wb: &RawWorkbook, meta: &RawMeta, table: &RawTable, found: &mut Vec<Diagnostic>) {
    let whole = [meta.legacy, table.legacy]
        .into_iter()
        .chain([&wb.documents, &wb.items].into_iter().map(|t| t.as_ref().and_then(|t| t.legacy)))
        .flatten()
        .next();
    match whole {
        Some(enc) => found.push(
            Diagnostic::warning(
                &wb.file,
                format!(
                    "biểu mẫu được gõ bằng bảng mã cũ {} (cả tiêu đề, nhãn): đã nhận ra và chuyển chữ sang Unicode",
                    enc.name()
                ),
            )
            .hint(
                "Đề nghị đơn vị dùng biểu mẫu do Sở gửi (lệnh «baocao forms») với phông chữ Unicode (Times New \
                 Roman); kiểm tra lại chữ đã chuyển",
            ),
        ),
        None => found.extend(meta.fields.iter().filter_map(|(_, cell)| legacy_warning(cell))),
    }
}

/// What the information sheet says of the form.
struct Information {
    /// The form is of the year and period being summed.
    usable: bool,
    year: Option<i32>,
    period: String,
    report_date: Option<NaiveDate>,
}

/// The information sheet: year and period (a form of another one is not
/// used at all), and the report date.
fn information(def: &ReportDef, meta: &RawMeta, file: &str, found: &mut Vec<Diagnostic>) -> Information {
    let mut usable = true;
    let year = match meta.get(MetaKey::Year) {
        Some(c) => match &c.value {
            Cell::Number(n) if n.fract().is_zero() => i32::try_from(n.mantissa() / 10i128.pow(n.scale())).ok(),
            Cell::Text(t) => t.trim().parse::<i32>().ok(),
            _ => None,
        }
        .map(|y| (y, c)),
        None => None,
    };
    match year {
        Some((y, _)) if y == def.period().year => {}
        Some((y, c)) => {
            usable = false;
            found.push(
                Diagnostic::error(file, format!("biểu mẫu là của năm {y}, kỳ này tổng hợp năm {}", def.period().year))
                    .at(&c.origin)
                    .hint("Đề nghị đơn vị gửi đúng biểu mẫu của năm báo cáo"),
            );
        }
        None => {
            usable = false;
            let mut diag =
                Diagnostic::error(file, "chưa ghi năm báo cáo (hoặc không phải số năm)").in_sheet(&meta.sheet);
            if let Some(c) = meta.get(MetaKey::Year) {
                diag = diag.at(&c.origin);
            }
            found.push(diag.hint("Ghi năm báo cáo, ví dụ 2023"));
        }
    }
    let period = meta.get(MetaKey::Period).and_then(|c| c.value.text()).unwrap_or_default();
    if !def.period().is_kind(&period) {
        usable = false;
        let mut diag = Diagnostic::error(
            file,
            format!("kỳ báo cáo là «{}», kỳ này tổng hợp kỳ «{}»", q(&period), def.period().kind_words()),
        )
        .in_sheet(&meta.sheet);
        if let Some(c) = meta.get(MetaKey::Period) {
            diag = diag.at(&c.origin);
        }
        found.push(diag.hint("Đề nghị đơn vị gửi biểu mẫu đúng kỳ báo cáo"));
    }
    let report_date = meta.get(MetaKey::ReportDate).and_then(|c| {
        let date = date_of(&c.value);
        if date.is_none() && !c.value.is_empty() {
            found.push(
                Diagnostic::warning(file, "ngày báo cáo không đọc được thành ngày tháng")
                    .at(&c.origin)
                    .hint("Ghi dạng ngày/tháng/năm, ví dụ 30/6/2023"),
            );
        }
        date
    });
    Information { usable, year: year.map(|(y, _)| y), period, report_date }
}

/// The numbers of the indicator table: read, left empty, or rejected.
#[derive(Default)]
struct Values {
    entries: Vec<Entry>,
    blanks: Vec<(Arc<str>, Column, Origin)>,
    rejected: Vec<(Arc<str>, Column, Origin)>,
}

/// The indicator table, row by row: a row counts when its code is one the
/// unit reports, once; each value cell is a number, empty, or rejected with
/// its reason.
fn indicator_rows(def: &ReportDef, table: &RawTable, file: &str, unit: &Unit, found: &mut Vec<Diagnostic>) -> Values {
    let mut values = Values::default();
    // at most an entry per filled value cell: sized once, not doubled row
    // by row (a large roll-up holds millions of entries at once)
    let filled = table
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|(f, c)| matches!(f, Field::Value(_)) && !c.value.is_empty())
        .count();
    values.entries.reserve_exact(filled);
    let mut seen: FxHashMap<String, u32> = FxHashMap::default();
    for row in &table.rows {
        let code_cell = row.get(Field::Code);
        let code = code_cell.and_then(|c| c.value.text()).map(|s| s.trim().to_string()).unwrap_or_default();
        let has_values = row.cells.iter().any(|(f, c)| matches!(f, Field::Value(_)) && !c.value.is_empty());
        if code.is_empty() {
            if has_values {
                let origin = &row.cells[0].1.origin;
                found.push(
                    Diagnostic::error(file, "dòng có số liệu nhưng không có mã chỉ tiêu nên không biết cộng vào đâu")
                        .at(code_cell.map(|c| &c.origin).unwrap_or(origin))
                        .hint("Ghi mã chỉ tiêu như trong biểu mẫu gốc"),
                );
            }
            continue;
        }
        let code_origin = &code_cell.expect("code is non-empty").origin;
        let Some(ind) = def.indicator(&code) else {
            found.push(
                Diagnostic::error(file, format!("mã chỉ tiêu «{}» không có trong danh mục chỉ tiêu", q(&code)))
                    .at(code_origin)
                    .hint("Kiểm tra lại mã chỉ tiêu; không sửa cột mã của biểu mẫu"),
            );
            continue;
        };
        if ind.is_derived() {
            if has_values {
                found.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "«{}» là chỉ tiêu tổng, được tính từ các chỉ tiêu thành phần; số ghi ở dòng này không \
                             được dùng",
                            ind.name
                        ),
                    )
                    .at(code_origin),
                );
            }
            continue;
        }
        if !def.reports(ind, unit) {
            if has_values {
                found.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "chỉ tiêu «{}» không thuộc phần báo cáo của {}; số liệu dòng này không được dùng",
                            ind.name, unit.name_in_text
                        ),
                    )
                    .at(code_origin),
                );
            }
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), row.row) {
            found.push(
                Diagnostic::error(
                    file,
                    format!("chỉ tiêu «{}» ghi hai lần (dòng {} và dòng {})", q(&code), first + 1, row.row + 1),
                )
                .at(code_origin)
                .hint("Giữ một dòng cho mỗi chỉ tiêu"),
            );
            continue;
        }
        for (field, cell) in &row.cells {
            let Field::Value(column) = field else { continue };
            match number_of(cell, ind.signed, &ind.measure, ind.decimals) {
                Ok(None) => values.blanks.push((ind.code.clone(), *column, cell.origin.clone())),
                Ok(Some((value, warning))) => {
                    found.extend(warning.map(|w| w.at(&cell.origin)));
                    values.entries.push(Entry {
                        indicator: ind.code.clone(),
                        column: *column,
                        value,
                        origin: cell.origin.clone(),
                    });
                }
                Err(e) => {
                    values.rejected.push((ind.code.clone(), *column, cell.origin.clone()));
                    found.push(e.at(&cell.origin));
                }
            }
        }
    }
    values
}

/// A value cell → number. `Ok(None)` for an empty cell; a warning rides
/// along when the value was accepted from text.
fn number_of(
    cell: &RawCell,
    negative_ok: bool,
    measure: &str,
    decimals: u32,
) -> Result<Option<(Decimal, Option<Diagnostic>)>, Box<Diagnostic>> {
    let file = cell.origin.file();
    let (value, warning) = match &cell.value {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => (*n, None),
        Cell::Text(t) => match parse_number_text(t) {
            Some(p) => {
                let mut msg = format!(
                    "số được nhập dạng chữ «{}», đã đọc là {}",
                    q(t),
                    format_number(p.value, p.value.scale(), true)
                );
                let mut hint = "Nhập số vào ô dạng số (không gõ dấu chấm phân cách hàng nghìn)".to_string();
                if let Some(alt) = p.ambiguous {
                    // The catalog's precision decides: an indicator kept to
                    // whole numbers reads "1.234" as 1234, one kept to
                    // decimals reads it as 1,234.
                    let integer_first = decimals == 0;
                    let value = if p.value.fract().is_zero() == integer_first { p.value } else { alt };
                    msg = format!(
                        "«{}» có thể là {} hoặc {}; đã đọc là {} theo số chữ số thập phân của chỉ tiêu",
                        q(t),
                        format_number(p.value, p.value.scale(), true),
                        format_number(alt, alt.scale(), true),
                        format_number(value, value.scale(), true)
                    );
                    hint = "Đề nghị đơn vị xác nhận số này và nhập vào ô dạng số".into();
                    return check_sign(value, negative_ok, file)
                        .map(|v| Some((v, Some(Diagnostic::warning(file, msg).hint(hint)))));
                }
                if p.percent && measure != "%" {
                    msg.push_str(&format!(" (có dấu % nhưng đơn vị tính là «{measure}»)"));
                }
                (p.value, Some(Diagnostic::warning(file, msg).hint(hint)))
            }
            None => {
                return Err(Box::new(
                    Diagnostic::error(file, format!("«{}» không phải là số", q(t)))
                        .hint("Đề nghị đơn vị nhập số (hoặc để trống nếu không có số liệu)"),
                ))
            }
        },
        Cell::FormulaWithoutValue(f) => {
            return Err(Box::new(
                Diagnostic::error(
                    file,
                    format!(
                "ô có công thức «={}» nhưng chưa có kết quả tính (tệp được lưu bởi chương trình không tính công thức)",
                q(f)
            ),
                )
                .hint("Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi; hoặc nhập số trực tiếp"),
            ))
        }
        Cell::Error(e) => {
            return Err(Box::new(
                Diagnostic::error(file, format!("ô báo lỗi công thức «{}»", q(e)))
                    .hint("Đề nghị đơn vị sửa công thức hoặc nhập số"),
            ))
        }
        Cell::Date(dt) => {
            return Err(Box::new(
                Diagnostic::error(file, format!("ô số liệu lại chứa ngày tháng ({})", crate::vi::short_date(*dt)))
                    .hint("Có thể ô bị định dạng kiểu ngày; đề nghị đơn vị định dạng lại thành số"),
            ))
        }
        Cell::Bool(b) => {
            return Err(Box::new(
                Diagnostic::error(file, format!("ô số liệu chứa giá trị đúng/sai ({b})")).hint("Nhập số"),
            ))
        }
    };
    check_sign(value, negative_ok, file).map(|v| Some((v, warning)))
}

fn check_sign(value: Decimal, negative_ok: bool, file: &str) -> Result<Decimal, Box<Diagnostic>> {
    if value.is_sign_negative() && !value.is_zero() && !negative_ok {
        return Err(Box::new(
            Diagnostic::error(
                file,
                format!("số âm ({}) ở chỉ tiêu không thể âm", format_number(value, value.scale(), true)),
            )
            .hint("Đề nghị đơn vị kiểm tra lại số liệu"),
        ));
    }
    Ok(value)
}

/// A date cell, or text such as "30/6/2023" or "2023-06-30".
pub fn date_of(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(t) => {
            let t = t.trim();
            ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"].iter().find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        }
        _ => None,
    }
}

fn text_of(row: &crate::ingest::RawRow, field: Field) -> String {
    row.get(field).and_then(|c| c.value.text()).unwrap_or_default()
}

/// A warning for text that was typed in a legacy font encoding.
fn legacy_warning(cell: &RawCell) -> Option<Diagnostic> {
    let enc = cell.legacy?;
    let text = cell.value.text().unwrap_or_default();
    Some(
        Diagnostic::warning(
            cell.origin.file(),
            format!("chữ gõ bằng bảng mã cũ {}, đã chuyển sang Unicode: «{}»", enc.name(), q(&text)),
        )
        .at(&cell.origin)
        .hint("Đề nghị đơn vị dùng phông chữ Unicode (Times New Roman) và kiểm tra lại chữ đã chuyển"),
    )
}

fn legacy_warnings(row: &crate::ingest::RawRow, diags: &mut Vec<Diagnostic>) {
    for (_, cell) in &row.cells {
        if let Some(w) = legacy_warning(cell) {
            diags.push(w);
        }
    }
}

fn documents_of(table: &RawTable, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<DocumentRef> {
    let mut out = Vec::new();
    for row in &table.rows {
        legacy_warnings(row, diags);
        let number = text_of(row, Field::DocNumber);
        let summary = text_of(row, Field::DocSummary);
        let origin =
            row.get(Field::DocNumber).map(|c| c.origin.clone()).unwrap_or_else(|| row.cells[0].1.origin.clone());
        if number.is_empty() || summary.is_empty() {
            diags.push(
                Diagnostic::warning(
                    file,
                    "dòng văn bản thiếu số và ký hiệu hoặc trích yếu; văn bản này không được dẫn trong chú thích",
                )
                .at(&origin)
                .hint("Ghi đủ số và ký hiệu, trích yếu"),
            );
            continue;
        }
        let date_cell = row.get(Field::DocDate);
        let date = date_cell.and_then(|c| date_of(&c.value));
        if date.is_none() {
            diags.push(
                Diagnostic::warning(file, format!("văn bản «{}» không có ngày ban hành đọc được", q(&number)))
                    .at(date_cell.map(|c| &c.origin).unwrap_or(&origin))
                    .hint("Ghi ngày dạng ngày/tháng/năm"),
            );
        }
        let group = text_of(row, Field::Group);
        if group.is_empty() {
            diags.push(
                Diagnostic::warning(
                    file,
                    format!("văn bản «{}» chưa ghi nhóm nên không được dẫn trong chú thích nào", q(&number)),
                )
                .at(&origin)
                .hint("Ghi nhóm như hướng dẫn trong biểu mẫu"),
            );
        }
        out.push(DocumentRef {
            number_symbol: number,
            date,
            agency: text_of(row, Field::DocIssuer),
            kind: text_of(row, Field::DocType),
            subject: summary,
            group,
            origin,
        });
    }
    out
}

fn items_of(def: &ReportDef, table: &RawTable, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<ListItem> {
    let mut out = Vec::new();
    for row in &table.rows {
        legacy_warnings(row, diags);
        let group = text_of(row, Field::Group);
        let content = text_of(row, Field::ItemContent);
        let origin =
            row.get(Field::ItemContent).map(|c| c.origin.clone()).unwrap_or_else(|| row.cells[0].1.origin.clone());
        if group.is_empty() || content.is_empty() {
            diags.push(
                Diagnostic::warning(file, "dòng danh mục thiếu nhóm hoặc nội dung nên không được dùng")
                    .at(&origin)
                    .hint("Ghi đủ nhóm và nội dung"),
            );
            continue;
        }
        let place = text_of(row, Field::ItemPlace);
        let area = if place.is_empty() {
            None
        } else {
            let found = def.units.get(&place).or_else(|| {
                let key = fold(&place);
                def.units.units.iter().find(|u| fold(u.short_name()) == key || fold(&u.name_in_text) == key)
            });
            match found {
                Some(u) => Some(u.code.clone()),
                None => {
                    diags.push(
                        Diagnostic::warning(
                            file,
                            format!("địa bàn «{}» không khớp đơn vị nào trong danh sách", q(&place)),
                        )
                        .at(row.get(Field::ItemPlace).map(|c| &c.origin).unwrap_or(&origin))
                        .hint("Ghi mã đơn vị (ví dụ BS) hoặc tên huyện"),
                    );
                    None
                }
            }
        };
        out.push(ListItem { group, content, area, origin });
    }
    out
}

/// Two workbooks from one unit: the later report date wins (with a warning
/// naming both files); the same or unknown dates cannot be decided (error).
fn resolve_duplicates(subs: Vec<Submission>, diags: &mut Vec<Diagnostic>) -> Vec<Submission> {
    let mut out: Vec<Submission> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for sub in subs {
        match at.get(&sub.unit).copied() {
            None => {
                at.insert(sub.unit.clone(), out.len());
                out.push(sub);
            }
            Some(i) => {
                let prev = &out[i];
                match (prev.report_date, sub.report_date) {
                    (Some(a), Some(b)) if a != b => {
                        let (newer, older) = if b > a { (&sub, prev) } else { (prev, &sub) };
                        diags.push(
                            Diagnostic::warning(
                                &newer.file,
                                format!(
                                    "đơn vị {} gửi hai tệp: dùng «{}» (ngày {}), bỏ «{}» (ngày {})",
                                    sub.unit,
                                    newer.file,
                                    crate::vi::short_date(newer.report_date.unwrap_or_default()),
                                    older.file,
                                    crate::vi::short_date(older.report_date.unwrap_or_default())
                                ),
                            )
                            .unit(&sub.unit)
                            .hint("Nên xóa tệp cũ khỏi thư mục inputs"),
                        );
                        if b > a {
                            out[i] = sub;
                        }
                    }
                    _ => {
                        diags.push(
                            Diagnostic::error(
                                &sub.file,
                                format!("đơn vị {} gửi hai tệp «{}» và «{}» cùng ngày báo cáo (hoặc không ghi ngày), không biết dùng tệp nào", sub.unit, prev.file, sub.file),
                            )
                            .unit(&sub.unit)
                            .hint("Giữ lại một tệp trong thư mục inputs, hoặc ghi ngày báo cáo khác nhau"),
                        );
                    }
                }
            }
        }
    }
    out
}

/// The totals and parts the catalog relates, checked in each form and column.
fn check_relations(def: &ReportDef, sub: &Submission, diags: &mut Vec<Diagnostic>) {
    let value = |code: &str, col: Column| sub.entries.iter().find(|e| &*e.indicator == code && e.column == col);
    for rel in &def.catalog.relations {
        for col in Column::ALL {
            let Some(total) = value(&rel.total, col) else { continue };
            let parts: Option<Vec<&crate::model::Entry>> = rel.parts.iter().map(|p| value(p, col)).collect();
            let Some(parts) = parts else { continue };
            let sum: Decimal = parts.iter().map(|e| e.value).sum();
            let bad = match rel.kind {
                RelationKind::Equal => total.value != sum,
                RelationKind::AtLeast => total.value < sum,
            };
            if bad {
                let name = |c: &str| def.indicator(c).map(|i| i.name.clone()).unwrap_or_else(|| c.to_string());
                let cells: Vec<String> = parts.iter().map(|e| e.origin.cell()).collect();
                let relation = if rel.kind == RelationKind::Equal { "khác" } else { "nhỏ hơn" };
                diags.push(
                    Diagnostic::error(
                        &sub.file,
                        format!(
                            "«{}» cột «{}» là {}, {relation} tổng các phần ({}) = {} (các ô {})",
                            name(&rel.total),
                            col.label(),
                            format_number(total.value, total.value.scale(), true),
                            rel.parts.iter().map(|p| name(p)).collect::<Vec<_>>().join(" + "),
                            format_number(sum, sum.scale(), true),
                            cells.join(", ")
                        ),
                    )
                    .at(&total.origin)
                    .unit(&sub.unit)
                    .hint("Đề nghị đơn vị kiểm tra lại số tổng và các số thành phần"),
                );
            }
        }
    }
}

/// Counts up to this are not checked for change.
const SMALL_COUNT: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// A change against the same period (or the previous year) beyond the
/// catalog's threshold is worth a question to the unit.
fn check_changes(def: &ReportDef, sub: &Submission, diags: &mut Vec<Diagnostic>) {
    let by_cell: FxHashMap<(&str, Column), &Entry> =
        sub.entries.iter().map(|e| ((&*e.indicator, e.column), e)).collect();
    // a zero where there was something is usually genuine (no outbreak this
    // time): said once per form, not once per cell
    let mut zeros: Vec<String> = Vec::new();
    for e in &sub.entries {
        let Some(ind) = def.indicator(&e.indicator) else { continue };
        let against = match e.column {
            Column::Actual => Column::SamePeriodLastYear,
            Column::Estimate => Column::PrevYear,
            _ => continue,
        };
        let Some(base) = by_cell.get(&(&*e.indicator, against)) else { continue };
        // small counts jump by whole units: 1 → 2 is no news
        if base.value <= Decimal::ZERO || (base.value <= SMALL_COUNT && e.value <= SMALL_COUNT) {
            continue;
        }
        if e.value.is_zero() {
            zeros.push(format!(
                "«{}» ô {} (cột «{}» là {})",
                ind.name,
                e.origin.cell(),
                against.label(),
                format_number(base.value, base.value.scale(), true)
            ));
            continue;
        }
        let limit = ind.max_change.unwrap_or(def.catalog.max_change);
        let Some(ratio) = crate::vi::number::ratio_percent(e.value, base.value) else { continue };
        let change = ratio - Decimal::ONE_HUNDRED;
        if change.abs() > limit {
            let phrase = crate::vi::change_phrase(e.value, base.value, 1, true).unwrap_or_default();
            diags.push(
                Diagnostic::warning(
                    &sub.file,
                    format!(
                        "«{}» cột «{}» là {}, {phrase} so với cột «{}» ({}), vượt ngưỡng biến động {}%",
                        ind.name,
                        e.column.label(),
                        format_number(e.value, e.value.scale(), true),
                        against.label(),
                        format_number(base.value, base.value.scale(), true),
                        format_number(limit, limit.scale(), true)
                    ),
                )
                .at(&e.origin)
                .unit(&sub.unit)
                .hint("Đề nghị đơn vị xác nhận số liệu (có thể gõ nhầm đơn vị tính hoặc thừa, thiếu chữ số)"),
            );
        }
    }
    if !zeros.is_empty() {
        diags.push(
            Diagnostic::warning(
                &sub.file,
                format!("{} ô ghi 0 trong khi kỳ so sánh có số: {}", zeros.len(), zeros.join("; ")),
            )
            .in_sheet(&sub.sheet)
            .unit(&sub.unit)
            .hint("Không cần sửa nếu đúng là không phát sinh; nếu ô bị bỏ sót thì đề nghị đơn vị ghi số"),
        );
    }
}

/// Cells the document needs: every unit expected to report a figure the
/// text prints must have filled it. A blank there would silently shorten a
/// total, so it is an error pointing at the empty cell (or at the form
/// that lacks the row). Derived figures stand for their parts.
pub fn required(def: &ReportDef, subs: &[Submission], figures: &Figures, used: &[(String, Column)]) -> Vec<Diagnostic> {
    let mut needed: Vec<(String, Column)> = Vec::new();
    for (code, col) in used {
        let Some(ind) = def.indicator(code) else { continue };
        let parts = if ind.is_derived() { ind.sum_of.clone() } else { vec![code.clone()] };
        for p in parts {
            if !needed.contains(&(p.clone(), *col)) {
                needed.push((p, *col));
            }
        }
    }
    let by_unit: HashMap<&str, &Submission> = subs.iter().map(|s| (s.unit.as_str(), s)).collect();
    let mut out = Vec::new();
    for (code, col) in &needed {
        let (Some(ind), Some(figure)) = (def.indicator(code), figures.get(code, *col)) else { continue };
        // the units expected to report it that gave no number, among those that sent a form
        for sub in figure.missing.iter().filter_map(|u| by_unit.get(u.as_str())) {
            let here = |(i, c, _): &&(Arc<str>, Column, Origin)| &**i == code.as_str() && *c == *col;
            if sub.rejected.iter().any(|r| here(&r)) {
                // already an error of its own
                continue;
            }
            let diag = match sub.blanks.iter().find(here) {
                Some((_, _, origin)) => Diagnostic::error(
                    &sub.file,
                    format!("ô «{}» của chỉ tiêu «{}» để trống nhưng văn bản cần số này", col.label(), ind.name),
                )
                .at(origin)
                .hint("Đề nghị đơn vị ghi số (ghi 0 nếu không có)"),
                None => {
                    let at = sub.sheet.to_string();
                    Diagnostic::error(
                        &sub.file,
                        format!("biểu mẫu không có dòng chỉ tiêu «{}» (mã {}) mà văn bản cần", ind.name, ind.code),
                    )
                    .in_sheet(&at)
                    .hint("Đề nghị đơn vị dùng biểu mẫu mới nhất (lệnh «baocao forms») và ghi số của dòng này")
                }
            };
            out.push(diag.unit(&sub.unit));
        }
    }
    out
}
