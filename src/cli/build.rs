//! `baocao build`: the document from the inputs.

use baocao::model::Severity;
use baocao::{BuildError, BuildOptions};

use super::BuildArgs;

pub fn run(args: &BuildArgs) -> i32 {
    let opts = BuildOptions {
        inputs: args.inputs.clone(),
        templates: args.templates.clone(),
        out: args.out.clone(),
        draft: args.nhap,
    };
    match baocao::build_with(&opts, &super::progress::Cli::new()) {
        Ok(built) => {
            for d in &built.diagnostics {
                eprintln!("{d}");
            }
            let warnings = built.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
            if args.nhap {
                let errors = built.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
                if errors > 0 {
                    println!("Bản dự thảo: còn {errors} lỗi ở biểu mẫu; các số liệu thiếu hoặc bị loại được đánh dấu [thiếu số liệu: …] trong văn bản.");
                }
            }
            println!("Đã ghi: {}", built.path.display());
            for other in &built.others {
                println!("Đã ghi: {}", other.display());
            }
            println!("Đã đọc {} đơn vị, tính {} số liệu, {} cảnh báo.", built.units, built.figures, warnings);
            0
        }
        Err(BuildError::Inputs(diags)) => {
            for d in &diags {
                eprintln!("{d}");
            }
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            eprintln!(
                "Chưa ghi văn bản: biểu mẫu còn {errors} lỗi (liệt kê ở trên). Sửa xong chạy lại lệnh, \
                 hoặc thêm --nhap để ghi bản dự thảo có đánh dấu chỗ thiếu số liệu."
            );
            1
        }
        Err(BuildError::Other(e)) => {
            eprintln!("Lỗi: {e:#}");
            2
        }
    }
}
