//! `baocao forms`: one blank form per unit, to send out.

use super::FormsArgs;

pub fn run(args: &FormsArgs) -> i32 {
    let source =
        super::Source { inputs: Default::default(), templates: args.templates.clone(), mau: None, tat_ca: false };
    let def = match super::load(&source.templates()) {
        Ok(mut d) => d.remove(0),
        Err(code) => return code,
    };
    match baocao::write_forms(&def, &args.out) {
        Ok(paths) => {
            for p in &paths {
                println!("Đã ghi: {}", p.display());
            }
            println!("Đã tạo {} biểu mẫu cho các đơn vị, kỳ báo cáo {}.", paths.len(), def.period().phrase());
            0
        }
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            2
        }
    }
}
