//! `baocao forms`: one blank form per unit, to send out, marked with the
//! cells the documents read and last year's figures from the archive.

use super::FormsArgs;

pub fn run(args: &FormsArgs) -> i32 {
    let source =
        super::Source { inputs: args.inputs.clone(), templates: args.templates.clone(), kind: None, all: false };
    // every kind of document the folder has: a form holds what any of them prints
    let defs = match super::load(&source.templates_or(true)) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let limits = match super::limits() {
        Ok(l) => l,
        Err(code) => return code,
    };
    match baocao::write_forms_with(&defs, &args.out, Some(&args.inputs), &limits) {
        Ok(paths) => {
            for p in &paths {
                outln!("Đã ghi: {}", p.display());
            }
            outln!("Đã tạo {} biểu mẫu cho các đơn vị, kỳ báo cáo {}.", paths.len(), defs[0].period().phrase());
            0
        }
        Err(e) => {
            errln!("Lỗi: {e:#}");
            2
        }
    }
}
