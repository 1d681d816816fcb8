//! The standard form (biểu mẫu) a unit fills, written from the same catalog
//! the reader uses: a metadata sheet, the indicator rows the unit reports,
//! a sheet of documents and a sheet of list items, plus instructions.
//!
//! Headers carry the texts `ingest` looks for, so what is written here reads
//! back without a warning.

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
    pub so_ky_hieu: String,
    pub ngay: Option<NaiveDate>,
    pub co_quan: String,
    pub loai: String,
    pub trich_yeu: String,
    pub nhom: String,
}

/// A row of the "Danh mục" sheet.
#[derive(Debug, Clone, Default)]
pub struct ItemRow {
    pub nhom: String,
    pub noi_dung: String,
    pub dia_ban: String,
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
        Column::ThTruoc => format!("TH năm trước ({})", year - 1),
        Column::Kh => format!("KH năm {year}"),
        Column::Ck => "TH cùng kỳ năm trước".to_string(),
        Column::Th => "TH kỳ báo cáo".to_string(),
        Column::Uoc => format!("Ước cả năm {year}"),
        Column::KhSau => format!("KH năm sau ({})", year + 1),
    }
}

struct Formats {
    title: Format,
    header: Format,
    locked: Format,
    locked_left: Format,
    group: Format,
    input: Format,
    input_text: Format,
    input_date: Format,
    label: Format,
    note: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    Formats {
        title: base.clone().set_bold().set_font_size(14),
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
        input: border(base.clone().set_unlocked().set_num_format("#,##0.###")),
        input_text: border(base.clone().set_unlocked().set_text_wrap()),
        input_date: border(base.clone().set_unlocked().set_num_format("dd/mm/yyyy")),
        label: base.clone().set_bold(),
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

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The form of `unit`, blank or filled.
pub fn form_workbook(def: &ReportDef, unit: &Unit, fill: Option<&Fill>) -> Result<Workbook, XlsxError> {
    let f = formats();
    let year = def.period().year;
    let mut wb = Workbook::new();

    // --- Thông tin
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_META)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 60)?;
    ws.write_string_with_format(
        0,
        0,
        format!("BIỂU MẪU SỐ LIỆU – {}", def.report.van_ban.trich_yeu.to_uppercase()),
        &f.title,
    )?;
    let rows: [(&str, String); 4] = [
        ("Mã đơn vị", unit.ma.clone()),
        ("Tên đơn vị", unit.ten.clone()),
        ("Kỳ báo cáo", def.period().ky()),
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
        .set_error_message("Ghi ngày dạng ngày/tháng/năm, ví dụ 30/06/2023")?;
    ws.add_data_validation(6, 1, 6, 1, &date_rule)?;
    ws.write_string_with_format(7, 0, "Người lập biểu", &f.label)?;
    ws.write_blank(7, 1, &f.input_text)?;
    ws.write_string_with_format(
        9,
        0,
        "Chỉ ghi vào các ô nền trắng. Không sửa mã đơn vị, mã chỉ tiêu. Xem trang «Hướng dẫn».",
        &f.note,
    )?;
    ws.protect_with_options(&protection());

    // --- Chỉ tiêu
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_INDICATORS)?;
    indicator_sheet(ws, def, unit, fill, &f, year)?;

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
        ws.write_string_with_format(r, 1, &d.so_ky_hieu, &f.input_text)?;
        match d.ngay {
            Some(date) => ws.write_datetime_with_format(r, 2, excel_date(date)?, &f.input_date)?,
            None => ws.write_blank(r, 2, &f.input_date)?,
        };
        ws.write_string_with_format(r, 3, &d.co_quan, &f.input_text)?;
        ws.write_string_with_format(r, 4, &d.loai, &f.input_text)?;
        ws.write_string_with_format(r, 5, &d.trich_yeu, &f.input_text)?;
        ws.write_string_with_format(r, 6, &d.nhom, &f.input_text)?;
    }
    ws.set_freeze_panes(3, 0)?;

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
        ws.write_string_with_format(r, 1, &it.nhom, &f.input_text)?;
        ws.write_string_with_format(r, 2, &it.noi_dung, &f.input_text)?;
        ws.write_string_with_format(r, 3, &it.dia_ban, &f.input_text)?;
    }
    ws.set_freeze_panes(3, 0)?;

    // --- Hướng dẫn
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_HELP)?;
    ws.set_column_width(0, 110)?;
    for (i, line) in HELP.iter().enumerate() {
        let fmt = if i == 0 { &f.title } else { &f.note };
        ws.write_string_with_format(i as u32, 0, *line, fmt)?;
    }
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
        .find(|(_, l)| matches!(l, Line::Indicator(i) if &*i.ma == code))
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
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, format!("SỐ LIỆU CHỈ TIÊU {}", def.period().phrase().to_uppercase()), &f.title)?;
    ws.write_string(1, 0, format!("Đơn vị: {} (mã {})", unit.ten, unit.ma))?;
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
        ws.write_string_with_format(r, 1, &*ind.ma, &f.locked)?;
        ws.write_string_with_format(r, 2, &ind.ten, &f.locked_left)?;
        ws.write_string_with_format(r, 3, &ind.dvt, &f.locked)?;
        if extra.is_some() {
            ws.write_blank(r, first_value - 1, &f.input_text)?;
        }
        for (k, c) in Column::ALL.iter().enumerate() {
            let col = first_value + k as u16;
            let v = fill
                .and_then(|x| x.values.iter().find(|(i, cc, _)| **i == *ind.ma && cc == c))
                .and_then(|(_, _, v)| v.to_f64());
            match v {
                Some(v) => ws.write_number_with_format(r, col, v, &f.input)?,
                None => ws.write_blank(r, col, &f.input)?,
            };
        }
        ws.write_blank(r, last_col, &f.input_text)?;
        let rule = if ind.am {
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        } else {
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        }
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message(if ind.am {
            "Nhập một số."
        } else {
            "Nhập một số không âm (để trống nếu không có số liệu)."
        })?;
        ws.add_data_validation(r, first_value, r, first_value + Column::ALL.len() as u16 - 1, &rule)?;
    }
    ws.set_freeze_panes(header_row + 1, 4)?;
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.protect_with_options(&protection());
    Ok(())
}

const HELP: [&str; 14] = [
    "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
    "1. Trang «Thông tin»: không sửa mã đơn vị, kỳ báo cáo, năm; ghi ngày báo cáo (ngày/tháng/năm) và người lập biểu.",
    "2. Trang «Chỉ tiêu»: ghi số vào các ô nền trắng. Không sửa cột mã chỉ tiêu, tên chỉ tiêu, đơn vị tính.",
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
    "",
];
