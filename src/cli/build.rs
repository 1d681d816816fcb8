//! `baocao build`: the document from the inputs.

use std::path::Path;

use baocao::model::Severity;
use baocao::{BuildError, BuildOptions, Built};

use super::BuildArgs;

pub fn options(args: &BuildArgs, limits: baocao::ingest::Limits) -> BuildOptions {
    BuildOptions {
        inputs: args.source.inputs.clone(),
        templates: args.source.templates(),
        out: args.out.clone(),
        draft: args.draft,
        limits,
    }
}

pub fn run(args: &BuildArgs) -> i32 {
    let opts = match super::limits() {
        Ok(limits) => options(args, limits),
        Err(code) => return code,
    };
    super::warn_interrupted(&opts.out);
    super::say_built_in(&opts.templates);
    match baocao::build_with(&opts, &super::progress::Cli::new()) {
        Ok(built) => {
            report(&built, args);
            // asked for and not written is a failure, even with the documents written
            if args.pdf {
                let made: Vec<bool> = built.documents.iter().map(|d| pdf(&d.path)).collect();
                if made.contains(&false) {
                    return 2;
                }
            }
            // the process ends with this command: the figures of a large
            // build (millions of cell values) are left to the system rather
            // than freed one by one, which took 60 ms at 10,000 workbooks
            std::mem::forget(built);
            0
        }
        Err(e) => failure(e),
    }
}

/// "Đã ghi: …", and when the file was open elsewhere, where it went instead.
pub fn say_written(wanted: &Path, written: &Path) {
    if wanted != written {
        outln!(
            "Tệp «{}» đang mở ở chương trình khác (ví dụ Word) nên không ghi đè được; đã ghi vào «{}».",
            wanted.display(),
            written.display()
        );
    } else {
        outln!("Đã ghi: {}", written.display());
    }
}

/// What a successful build says.
pub fn report(built: &Built, args: &BuildArgs) {
    print_diagnostics(&built.diagnostics);
    let warnings = built.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if args.draft {
        let errors = built.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        if errors > 0 {
            outln!(
                "Bản dự thảo: còn {errors} lỗi ở biểu mẫu; các số liệu thiếu hoặc bị loại được đánh dấu [thiếu số liệu: …] trong văn bản."
            );
        }
    }
    for path in std::iter::once(&built.path).chain(&built.others) {
        let wanted = built.redirected.iter().find(|(_, w)| w == path).map(|(wanted, _)| wanted.as_path());
        say_written(wanted.unwrap_or(path), path);
    }
    outln!("Đã đọc {} đơn vị, tính {} số liệu, {} cảnh báo.", built.units, built.figures, warnings);
}

/// The PDF copy, or why there is none (the document itself is written).
fn pdf(docx: &Path) -> bool {
    let why = match baocao::output::pdf(docx) {
        Ok(p) => {
            outln!("Đã ghi: {}", p.display());
            return true;
        }
        Err(baocao::output::PdfError::NoLibreOffice) => "máy chưa cài LibreOffice (không tìm thấy lệnh soffice). \
             Cài LibreOffice (https://www.libreoffice.org) rồi chạy lại với --pdf, \
             hoặc mở tệp .docx bằng Word và chọn Lưu thành PDF"
            .to_string(),
        Err(baocao::output::PdfError::Failed(e)) => format!("{e:#}"),
    };
    errln!("Lỗi: không tạo được bản PDF đã yêu cầu (--pdf): {why}. Văn bản .docx đã ghi đủ, chỉ thiếu bản PDF.");
    false
}

/// The findings, the many of one kind summed up ([`baocao::model::capped`]).
fn print_diagnostics(diags: &[baocao::model::Diagnostic]) {
    for d in baocao::model::capped(diags, baocao::model::SHOWN_PER_KIND) {
        errln!("{d}");
    }
}

/// What a failed build says; the exit code.
pub fn failure(e: BuildError) -> i32 {
    match e {
        BuildError::Inputs(diags) => {
            print_diagnostics(&diags);
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            errln!(
                "Chưa ghi văn bản: biểu mẫu còn {errors} lỗi (liệt kê ở trên). Sửa xong chạy lại lệnh, \
                 hoặc thêm --nhap để ghi bản dự thảo có đánh dấu chỗ thiếu số liệu."
            );
            1
        }
        BuildError::Other(e) => {
            errln!("Lỗi: {e:#}");
            2
        }
    }
}
