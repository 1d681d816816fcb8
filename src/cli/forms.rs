//! `baocao forms`: one blank form per unit, to send out.

use baocao::config::ReportDef;

use super::FormsArgs;

pub fn run(args: &FormsArgs) -> i32 {
    let def = match ReportDef::load(&args.templates) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            return 2;
        }
    };
    match baocao::write_forms(&def, &args.out) {
        Ok(paths) => {
            for p in &paths {
                println!("Đã ghi: {}", p.display());
            }
            println!(
                "Đã tạo {} biểu mẫu cho các đơn vị, kỳ «{}» năm {}.",
                paths.len(),
                def.report.ky_bao_cao.ky,
                def.report.ky_bao_cao.nam
            );
            0
        }
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            2
        }
    }
}
