//! The standard form (biểu mẫu) a unit fills, written from the same catalog
//! the reader uses: a metadata sheet, the indicator rows the unit reports,
//! a sheet of documents and a sheet of list items, plus instructions.
//!
//! Headers carry the texts `ingest` looks for, so what is written here reads
//! back without a warning.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::config::{ReportDef, Unit};
use crate::model::Column;
use crate::xlsx;

pub const SHEET_META: &str = "Thông tin";
pub const SHEET_INDICATORS: &str = "Chỉ tiêu";
pub const SHEET_DOCUMENTS: &str = "Văn bản";
pub const SHEET_ITEMS: &str = "Danh mục";
pub const SHEET_HELP: &str = "Hướng dẫn";

/// A document row of the "Văn bản" sheet.
#[derive(Debug, Clone, Default)]
pub struct DocRow {
    pub number_symbol: String,
    pub date: Option<NaiveDate>,
    pub agency: String,
    pub kind: String,
    pub subject: String,
    pub group: String,
}

/// A row of the "Danh mục" sheet.
#[derive(Debug, Clone, Default)]
pub struct ItemRow {
    pub group: String,
    pub content: String,
    pub area: String,
}

/// Content of a filled form (sample data, tests).
#[derive(Default)]
pub struct Fill {
    pub values: Vec<(String, Column, Decimal)>,
    pub report_date: Option<NaiveDate>,
    pub documents: Vec<DocRow>,
    pub items: Vec<ItemRow>,
    /// Insert a column the reader does not know (as clerks do) before the values.
    pub extra_column: Option<String>,
}

/// Header texts of the value columns, as the reader recognises them.
pub fn column_header(col: Column, year: i32) -> String {
    match col {
        Column::PrevYear => format!("TH năm trước ({})", year - 1),
        Column::Plan => format!("KH năm {year}"),
        Column::SamePeriodLastYear => "TH cùng kỳ năm trước".to_string(),
        Column::Actual => "TH kỳ báo cáo".to_string(),
        Column::Estimate => format!("Ước cả năm {year}"),
        Column::NextPlan => format!("KH năm sau ({})", year + 1),
    }
}

/// What a form says beyond the catalog: which cells the documents read,
/// and last year's values taken from the archive.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// (indicator, column) the documents need: marked as required. Empty:
    /// nothing is marked (every cell plain).
    pub required: HashSet<(String, Column)>,
    /// Last year's values: (unit, indicator, column) → value, written in
    /// and locked.
    pub archived: HashMap<(String, String, Column), Decimal>,
    /// Where they come from ("luu-tru/2023-6-thang"), for the legend.
    pub archive: String,
}

impl Marks {
    fn is_required(&self, code: &str, col: Column) -> bool {
        self.required.contains(&(code.to_string(), col))
    }
}

/// Fill colours of the value cells.
const REQUIRED_FILL: &str = "FFF2CC";
const ARCHIVED_FILL: &str = "E2EFDA";

struct Formats {
    title: Format,
    /// A title merged over the columns it may take, wrapped.
    title_wrap: Format,
    header: Format,
    locked: Format,
    locked_left: Format,
    group: Format,
    input: Format,
    required: Format,
    archived: Format,
    input_text: Format,
    input_date: Format,
    label: Format,
    note: Format,
    legend_required: Format,
    legend_archived: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    let input = border(base.clone().set_unlocked().set_num_format("#,##0.###"));
    Formats {
        title: base.clone().set_bold().set_font_size(14),
        title_wrap: base.clone().set_bold().set_font_size(14).set_text_wrap().set_align(FormatAlign::VerticalCenter),
        header: border(
            base.clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color("DDEBF7"),
        ),
        locked: border(base.clone().set_locked().set_align(FormatAlign::Center)),
        locked_left: border(base.clone().set_locked().set_text_wrap()),
        group: border(base.clone().set_bold().set_locked().set_background_color("F2F2F2")),
        required: input.clone().set_background_color(REQUIRED_FILL),
        archived: border(
            base.clone().set_locked().set_italic().set_num_format("#,##0.###").set_background_color(ARCHIVED_FILL),
        ),
        input,
        input_text: border(base.clone().set_unlocked().set_text_wrap()),
        input_date: border(base.clone().set_unlocked().set_num_format("dd/mm/yyyy")),
        label: base.clone().set_bold(),
        legend_required: border(base.clone().set_background_color(REQUIRED_FILL)),
        legend_archived: border(base.clone().set_italic().set_background_color(ARCHIVED_FILL)),
        note: base.set_italic().set_text_wrap(),
    }
}

fn protection() -> ProtectionOptions {
    ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        insert_columns: true,
        insert_rows: true,
        ..ProtectionOptions::default()
    }
}

/// A4 as a unit prints it: one page wide, `landscape` for the wide tables.
fn print_a4(ws: &mut Worksheet, landscape: bool) {
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.6, 0.5, 0.7, 0.7, 0.3, 0.3);
    ws.set_footer("&CTrang &P/&N");
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The form of `unit`, blank or filled, without marks.
pub fn form_workbook(def: &ReportDef, unit: &Unit, fill: Option<&Fill>) -> Result<Workbook, XlsxError> {
    form_workbook_with(def, unit, fill, &Marks::default())
}

/// The form of `unit`, blank or filled, with the required cells marked and
/// last year's values written in from the archive.
pub fn form_workbook_with(
    def: &ReportDef,
    unit: &Unit,
    fill: Option<&Fill>,
    marks: &Marks,
) -> Result<Workbook, XlsxError> {
    let f = formats();
    let year = def.period().year;
    let mut wb = Workbook::new();

    // --- Thông tin: one A4 page, portrait, title wrapped over both columns
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_META)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 62)?;
    ws.merge_range(
        0,
        0,
        0,
        1,
        &format!("BIỂU MẪU SỐ LIỆU – {}", def.report.document.subject.to_uppercase()),
        &f.title_wrap,
    )?;
    ws.set_row_height(0, 54)?;
    let rows: [(&str, String); 4] = [
        ("Mã đơn vị", unit.code.clone()),
        ("Tên đơn vị", unit.name.clone()),
        ("Kỳ báo cáo", def.period().kind_words()),
        ("Năm", year.to_string()),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string_with_format(r, 0, *label, &f.label)?;
        if *label == "Năm" {
            ws.write_number_with_format(r, 1, year as f64, &f.locked_left)?;
        } else {
            ws.write_string_with_format(r, 1, value, &f.locked_left)?;
        }
    }
    ws.write_string_with_format(6, 0, "Ngày báo cáo", &f.label)?;
    match fill.and_then(|x| x.report_date) {
        Some(d) => ws.write_datetime_with_format(6, 1, excel_date(d)?, &f.input_date)?,
        None => ws.write_blank(6, 1, &f.input_date)?,
    };
    let date_rule = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThan(ExcelDateTime::from_ymd(2000, 1, 1)?))
        .set_error_message(format!(
            "Ghi ngày dạng ngày/tháng/năm, ví dụ {}",
            crate::vi::short_date(def.period().end())
        ))?;
    ws.add_data_validation(6, 1, 6, 1, &date_rule)?;
    ws.write_string_with_format(7, 0, "Người lập biểu", &f.label)?;
    ws.write_blank(7, 1, &f.input_text)?;
    ws.merge_range(
        9,
        0,
        9,
        1,
        "Chỉ ghi vào các ô không khóa (ô nền vàng là ô bắt buộc). Không sửa mã đơn vị, mã chỉ tiêu. Xem trang «Hướng dẫn».",
        &f.note,
    )?;
    ws.set_row_height(9, 34)?;
    print_a4(ws, false);
    ws.set_print_fit_to_pages(1, 1);
    ws.protect_with_options(&protection());

    // --- Chỉ tiêu
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_INDICATORS)?;
    indicator_sheet(ws, def, unit, fill, &f, year, marks)?;

    // --- Văn bản
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_DOCUMENTS)?;
    let headers = ["STT", "Số và ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Trích yếu", "Nhóm"];
    let widths = [6.0, 22.0, 14.0, 28.0, 16.0, 70.0, 24.0];
    ws.write_string_with_format(0, 0, "DANH SÁCH VĂN BẢN ĐÃ BAN HÀNH, THAM MƯU (để dẫn trong chú thích)", &f.title)?;
    xlsx::header_row(ws, 2, headers.into_iter().zip(widths), &f.header)?;
    let docs = fill.map(|x| x.documents.as_slice()).unwrap_or_default();
    for (i, d) in docs.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.locked)?;
        ws.write_string_with_format(r, 1, &d.number_symbol, &f.input_text)?;
        match d.date {
            Some(date) => ws.write_datetime_with_format(r, 2, excel_date(date)?, &f.input_date)?,
            None => ws.write_blank(r, 2, &f.input_date)?,
        };
        ws.write_string_with_format(r, 3, &d.agency, &f.input_text)?;
        ws.write_string_with_format(r, 4, &d.kind, &f.input_text)?;
        ws.write_string_with_format(r, 5, &d.subject, &f.input_text)?;
        ws.write_string_with_format(r, 6, &d.group, &f.input_text)?;
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    print_a4(ws, true);

    // --- Danh mục
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_ITEMS)?;
    ws.write_string_with_format(
        0,
        0,
        "DANH MỤC (chuỗi liên kết, mô hình, công trình… được nêu trong văn bản)",
        &f.title,
    )?;
    xlsx::header_row(
        ws,
        2,
        ["STT", "Nhóm", "Nội dung", "Địa bàn"].into_iter().zip([6.0, 24.0, 80.0, 16.0]),
        &f.header,
    )?;
    let items = fill.map(|x| x.items.as_slice()).unwrap_or_default();
    for (i, it) in items.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.locked)?;
        ws.write_string_with_format(r, 1, &it.group, &f.input_text)?;
        ws.write_string_with_format(r, 2, &it.content, &f.input_text)?;
        ws.write_string_with_format(r, 3, &it.area, &f.input_text)?;
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    print_a4(ws, true);

    // --- Hướng dẫn
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_HELP)?;
    ws.set_column_width(0, 78)?;
    for (i, line) in help_lines(def, unit, marks).iter().enumerate() {
        let fmt = if i == 0 { &f.title_wrap } else { &f.note };
        ws.write_string_with_format(i as u32, 0, line, fmt)?;
        // spreadsheet programs do not grow a row for wrapped text on their own
        let lines = line.chars().count().div_ceil(HELP_LINE_CHARS).max(1);
        if lines > 1 {
            ws.set_row_height(i as u32, 15.75 * lines as f64)?;
        }
    }
    print_a4(ws, false);
    Ok(wb)
}

/// Row of the column headers in the "Chỉ tiêu" sheet (0-based).
pub const HEADER_ROW: u32 = 3;
/// Columns before the value columns: STT, Mã, Tên, ĐVT.
const LEADING_COLUMNS: u16 = 4;

/// A line of the indicator sheet below the headers.
enum Line<'a> {
    Group(String),
    Indicator(&'a crate::config::Indicator),
}

/// The lines of a unit's indicator sheet: each group it reports, then its indicators.
fn layout<'a>(def: &'a ReportDef, unit: &Unit) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for (_, (group, inds)) in def.groups() {
        let mine: Vec<_> = inds.into_iter().filter(|i| !i.is_derived() && def.reports(i, unit)).collect();
        if mine.is_empty() {
            continue;
        }
        out.push(Line::Group(group));
        out.extend(mine.into_iter().map(Line::Indicator));
    }
    out
}

/// Where a unit's form holds the value of `code` in `column` (0-based row,
/// column), for tools that fill or spoil forms.
pub fn value_cell(def: &ReportDef, unit: &Unit, code: &str, column: Column, extra_column: bool) -> Option<(u32, u16)> {
    let row = (HEADER_ROW + 1..)
        .zip(layout(def, unit))
        .find(|(_, l)| matches!(l, Line::Indicator(i) if &*i.code == code))
        .map(|(r, _)| r)?;
    let k = Column::ALL.iter().position(|c| *c == column)? as u16;
    Some((row, LEADING_COLUMNS + u16::from(extra_column) + k))
}

fn indicator_sheet(
    ws: &mut Worksheet,
    def: &ReportDef,
    unit: &Unit,
    fill: Option<&Fill>,
    f: &Formats,
    year: i32,
    marks: &Marks,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, format!("SỐ LIỆU CHỈ TIÊU {}", def.period().phrase().to_uppercase()), &f.title)?;
    ws.write_string(1, 0, format!("Đơn vị: {} (mã {})", unit.name, unit.code))?;
    // the legend, above the headers: which cells the report reads
    let mut legend: Vec<(String, &Format)> = Vec::new();
    if !marks.required.is_empty() {
        legend.push(("Ô nền vàng: văn bản cần số này, bắt buộc ghi (ghi 0 nếu không có)".into(), &f.legend_required));
        legend.push(("Ô nền trắng: không bắt buộc".into(), &f.input));
    }
    if !marks.archived.is_empty() {
        legend.push((
            format!("Ô nền xanh, chữ nghiêng, đã khóa: số kỳ trước lấy từ lưu trữ {}", marks.archive),
            &f.legend_archived,
        ));
    }
    let mut headers: Vec<(String, f64)> = vec![
        ("STT".into(), 6.0),
        ("Mã chỉ tiêu".into(), 16.0),
        ("Tên chỉ tiêu".into(), 48.0),
        ("Đơn vị tính".into(), 11.0),
    ];
    let extra = fill.and_then(|x| x.extra_column.clone());
    if let Some(e) = &extra {
        headers.push((e.clone(), 16.0));
    }
    let first_value = headers.len() as u16;
    for c in Column::ALL {
        headers.push((column_header(c, year), 14.0));
    }
    headers.push(("Ghi chú".into(), 24.0));
    let header_row = HEADER_ROW;
    xlsx::header_row(ws, HEADER_ROW, headers.iter().map(|(h, w)| (h, *w)), &f.header)?;
    ws.set_row_height(header_row, 45)?;
    // the legend sits in the row above the headers, one note per value column span
    let mut col = 2;
    for (text, fmt) in &legend {
        ws.write_string_with_format(2, col, text, fmt)?;
        col += if col == 2 { first_value - 2 } else { 2 };
    }
    let mut n = 0;
    let last_col = headers.len() as u16 - 1;
    for (r, line) in (header_row + 1..).zip(layout(def, unit)) {
        let ind = match line {
            Line::Group(group) => {
                ws.merge_range(r, 0, r, last_col, &group, &f.group)?;
                continue;
            }
            Line::Indicator(ind) => ind,
        };
        n += 1;
        ws.write_number_with_format(r, 0, n as f64, &f.locked)?;
        ws.write_string_with_format(r, 1, &*ind.code, &f.locked)?;
        ws.write_string_with_format(r, 2, &ind.name, &f.locked_left)?;
        ws.write_string_with_format(r, 3, &ind.measure, &f.locked)?;
        if extra.is_some() {
            ws.write_blank(r, first_value - 1, &f.input_text)?;
        }
        for (k, c) in Column::ALL.iter().enumerate() {
            let col = first_value + k as u16;
            if let Some(v) = marks.archived.get(&(unit.code.clone(), ind.code.to_string(), *c)).and_then(|v| v.to_f64())
            {
                ws.write_number_with_format(r, col, v, &f.archived)?;
                continue;
            }
            let fmt = if marks.is_required(&ind.code, *c) { &f.required } else { &f.input };
            let v = fill
                .and_then(|x| x.values.iter().find(|(i, cc, _)| **i == *ind.code && cc == c))
                .and_then(|(_, _, v)| v.to_f64());
            match v {
                Some(v) => ws.write_number_with_format(r, col, v, fmt)?,
                None => ws.write_blank(r, col, fmt)?,
            };
        }
        ws.write_blank(r, last_col, &f.input_text)?;
        let rule = if ind.signed {
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        } else {
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        }
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message(if ind.signed {
            "Nhập một số."
        } else {
            "Nhập một số không âm (để trống nếu không có số liệu)."
        })?;
        ws.add_data_validation(r, first_value, r, first_value + Column::ALL.len() as u16 - 1, &rule)?;
    }
    ws.set_freeze_panes(header_row + 1, 4)?;
    ws.set_repeat_rows(header_row, header_row)?;
    print_a4(ws, true);
    ws.protect_with_options(&protection());
    Ok(())
}

/// The instructions, with what this unit's forms must hold for the
/// documents: the required cells and the groups of documents and list
/// rows it lists.
fn help_lines(def: &ReportDef, unit: &Unit, marks: &Marks) -> Vec<String> {
    let mut lines: Vec<String> = HELP.iter().map(|s| s.to_string()).collect();
    let n = std::cell::Cell::new(HELP_LAST);
    let section = |lines: &mut Vec<String>, title: String, items: Vec<String>, always: bool| {
        if items.is_empty() && !always {
            return;
        }
        n.set(n.get() + 1);
        lines.push(format!("{}. {title}", n.get()));
        lines.extend(items.into_iter().map(|i| format!("   - {i}")));
    };
    let required: Vec<String> = layout(def, unit)
        .into_iter()
        .filter_map(|l| match l {
            Line::Indicator(ind) => {
                let cols: Vec<&str> =
                    Column::ALL.iter().filter(|c| marks.is_required(&ind.code, **c)).map(|c| c.label()).collect();
                (!cols.is_empty()).then(|| format!("{} ({}): {}", ind.name, ind.code, cols.join(", ")))
            }
            Line::Group(_) => None,
        })
        .collect();
    section(
        &mut lines,
        "Các ô văn bản của Sở cần (ô nền vàng trong trang «Chỉ tiêu»; bắt buộc ghi, không có thì ghi 0; các ô khác không bắt buộc):".into(),
        required,
        false,
    );
    if marks.archived.keys().any(|(u, _, _)| *u == unit.code) {
        section(
            &mut lines,
            format!(
                "Các ô nền xanh (cột «TH cùng kỳ năm trước», «TH năm trước») đã ghi sẵn số của đơn vị trong báo cáo kỳ trước \
                 (lưu trữ {}), đã khóa. Nếu số kỳ trước cần đính chính, đề nghị báo Sở.",
                marks.archive
            ),
            vec![],
            true,
        );
    }
    let groups = |decls: &[crate::config::GroupDecl]| -> Vec<String> {
        decls
            .iter()
            .filter(|g| g.units.iter().any(|w| w.eq_ignore_ascii_case(&unit.code) || *w == unit.kind))
            .map(|g| format!("nhóm «{}»: {}", g.code, g.name))
            .collect()
    };
    section(
        &mut lines,
        format!(
            "Trang «{SHEET_DOCUMENTS}»: đơn vị liệt kê các văn bản của các nhóm sau (cột «Nhóm» ghi đúng mã nhóm):"
        ),
        groups(&def.catalog.document_groups),
        false,
    );
    section(
        &mut lines,
        format!("Trang «{SHEET_ITEMS}»: đơn vị liệt kê các dòng của các nhóm sau (cột «Nhóm» ghi đúng mã nhóm):"),
        groups(&def.catalog.list_groups),
        false,
    );
    lines
}

/// Characters of the instructions' column that fit on a printed line.
const HELP_LINE_CHARS: usize = 96;

/// The number of the last item of [`HELP`]; the unit's own items follow.
const HELP_LAST: usize = 7;

const HELP: [&str; 13] = [
    "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
    "1. Trang «Thông tin»: không sửa mã đơn vị, kỳ báo cáo, năm; ghi ngày báo cáo (ngày/tháng/năm) và người lập biểu.",
    "2. Trang «Chỉ tiêu»: ghi số vào các ô không khóa; ô nền vàng là ô văn bản cần (bắt buộc). Không sửa cột mã chỉ tiêu, tên chỉ tiêu, đơn vị tính.",
    "   - Ghi số dạng số (ví dụ 15585 hoặc 4790,3), không gõ dấu chấm phân cách hàng nghìn, không ghi chữ vào ô số.",
    "   - Chỉ tiêu không có số liệu thì để trống (không ghi 0 nếu không chắc chắn là 0).",
    "   - Các cột: KH năm = kế hoạch năm nay; TH cùng kỳ năm trước; TH kỳ báo cáo = thực hiện trong kỳ; Ước cả năm; KH năm sau.",
    "   - Có thể chèn thêm cột ghi chú; không xóa, không đổi tên các cột có sẵn.",
    "3. Trang «Văn bản»: liệt kê văn bản đơn vị ban hành hoặc tham mưu cần dẫn trong báo cáo: số và ký hiệu, ngày ban hành,",
    "   cơ quan ban hành, loại văn bản (Quyết định, Công văn…), trích yếu (bắt đầu bằng «về…» hoặc «về việc…») và nhóm do Sở hướng dẫn.",
    "4. Trang «Danh mục»: liệt kê chuỗi liên kết, mô hình… theo nhóm do Sở hướng dẫn; cột «Địa bàn» ghi mã hoặc tên huyện.",
    "5. Nếu gửi bản sửa đổi, ghi ngày báo cáo mới hơn: bản có ngày báo cáo muộn hơn sẽ được dùng.",
    "6. Lưu tệp dạng .xlsx (Excel) hoặc .ods (LibreOffice); không đặt mật khẩu cho tệp.",
    "7. Số liệu là căn cứ tổng hợp báo cáo của Sở; đơn vị chịu trách nhiệm về tính chính xác của số liệu.",
];
