//! `baocao check`: every workbook in the inputs checked, nothing written but
//! the findings (a table on screen and output/kiem-tra.xlsx).

use std::path::PathBuf;

use baocao::model::Diagnostic;

use super::CheckArgs;

pub fn run(args: &CheckArgs) -> i32 {
    super::warn_interrupted(&args.out);
    // every kind of document the folder has, unless one is named
    let defs = match super::load(&args.source.templates_or(true)) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let def = &defs[0];
    let limits = match super::limits() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let checked = match baocao::check_for(&defs, &args.source.inputs, &limits, &super::progress::Cli::new()) {
        Ok(c) => c,
        Err(e) => {
            errln!("Lỗi: {e:#}");
            return 2;
        }
    };
    // the file first: whatever happens to the printing (a closed pipe),
    // the findings are kept
    let path: PathBuf = args.out.join("kiem-tra.xlsx");
    let date = baocao::stamp(def, &checked.submissions);
    let written = baocao::xlsx::findings_workbook(def, &checked.diagnostics, date)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| anyhow::anyhow!("không tạo được bảng kết quả kiểm tra: {e}"))
        .and_then(|bytes| baocao::output::write_atomic(&path, &bytes));
    print_table(&checked.diagnostics);
    let written = match written {
        Ok(p) => p,
        Err(e) => {
            errln!("Lỗi: {e:#}");
            return 2;
        }
    };
    let (errors, warnings) = (checked.errors(), checked.warnings());
    let n = |n: usize| baocao::vi::format_number(rust_decimal::Decimal::from(n), 0, false);
    outln!(
        "Đã kiểm tra {} tệp của {} đơn vị: {} lỗi, {} cảnh báo.",
        n(checked.files),
        n(checked.submissions.len()),
        n(errors),
        n(warnings)
    );
    super::build::say_written(&path, &written);
    if errors > 0 {
        1
    } else {
        0
    }
}

/// The findings as an aligned table (message and request last, unaligned),
/// the many of one kind summed up ([`baocao::model::capped`]).
fn print_table(diags: &[Diagnostic]) {
    let diags = &baocao::model::capped(diags, baocao::model::SHOWN_PER_KIND)[..];
    if diags.is_empty() {
        outln!("Không có lỗi hay cảnh báo nào.");
        return;
    }
    let rows: Vec<[String; 6]> = diags
        .iter()
        .map(|d| {
            let unit = d.unit.clone().unwrap_or_default();
            let request = if d.hint.is_empty() { String::new() } else { format!(" → {}", d.hint) };
            [
                d.severity.label().to_string(),
                unit,
                d.file.clone(),
                d.sheet.clone().unwrap_or_default(),
                d.cell.clone().unwrap_or_default(),
                format!("{}{request}", d.message),
            ]
        })
        .collect();
    let header = ["Mức", "Đơn vị", "Tệp", "Trang", "Ô", "Nội dung → Đề nghị đơn vị"].map(String::from);
    let width = |i: usize| rows.iter().chain(std::iter::once(&header)).map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..5).map(width).collect();
    let line = |r: &[String; 6]| {
        let mut s = String::new();
        for (i, w) in widths.iter().enumerate() {
            s.push_str(&r[i]);
            s.push_str(&" ".repeat(w - r[i].chars().count()));
            s.push_str(" │ ");
        }
        s.push_str(&r[5]);
        s
    };
    outln!("{}", line(&header));
    outln!("{}", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("─┼─") + "─┼─" + &"─".repeat(24));
    for r in &rows {
        outln!("{}", line(r));
    }
}
