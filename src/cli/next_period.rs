//! `baocao ky-moi [--ky "cả năm 2024"]`: the working folder moves to the
//! next period (the library's `rollover`), and the clerk is told what was
//! moved, what to review and what to ask the units for.

use std::path::PathBuf;

use baocao::period::Period;

use super::NextPeriodArgs;

pub fn run(args: &NextPeriodArgs) -> i32 {
    let templates = match &args.templates {
        Some(t) if t.join("report.toml").is_file() => t.parent().map(PathBuf::from).unwrap_or_default(),
        Some(t) => t.clone(),
        None => PathBuf::from("templates"),
    };
    if !templates.join(baocao::config::SHARED_SETTINGS).is_file() && baocao::kinds_in(&templates).is_err() {
        errln!(
            "Lỗi: không có thư mục mẫu văn bản «{}». Lệnh ky-moi sửa kỳ báo cáo trong thư mục templates của \
             thư mục làm việc; chạy «baocao init» để tạo thư mục làm việc trước.",
            templates.display()
        );
        return 2;
    }
    let to = match args.period.as_deref().map(Period::parse) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            errln!("Lỗi: --ky {e}");
            return 2;
        }
    };
    let folders = baocao::rollover::Folders {
        templates: templates.clone(),
        inputs: args.inputs.clone(),
        output: args.out.clone(),
    };
    let limits = match super::limits() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let done = match baocao::rollover::new_period(&folders, to, args.dry_run, &limits) {
        Ok(d) => d,
        Err(e) => {
            errln!("Lỗi: {e:#}");
            return 2;
        }
    };
    let verb = |now: &'static str, then: &'static str| if args.dry_run { then } else { now };
    outln!("Kỳ báo cáo: {} → {}.", done.from.phrase(), done.to.phrase());
    for (from, to) in &done.moved {
        outln!("{} «{}» → «{}»", verb("Đã chuyển", "Sẽ chuyển"), from.display(), to.display());
    }
    outln!(
        "{} bản sao mẫu văn bản của kỳ {} vào «{}».",
        verb("Đã lưu", "Sẽ lưu"),
        done.from.phrase(),
        done.archive.join(templates.file_name().unwrap_or_default()).display()
    );
    for p in &done.edited {
        outln!("{} «{}» (kỳ báo cáo mới; số, ngày ký của kỳ trước để trống)", verb("Đã sửa", "Sẽ sửa"), p.display());
    }
    for p in &done.renewed {
        outln!(
            "{} «{}» cho kỳ mới (bản kỳ trước trong lưu trữ; nội dung kỳ trước để ở các dòng chú thích #)",
            verb("Đã tạo mới", "Sẽ tạo mới"),
            p.display()
        );
    }
    if !args.dry_run {
        outln!(
            "Đã ghi {} biểu mẫu trắng của kỳ mới vào «{}» (số kỳ trước đã ghi sẵn, khóa).",
            done.forms.len(),
            args.out.join("bieu-mau").display()
        );
    }
    if done.review.is_empty() {
        outln!("Không còn dòng mẫu văn bản nào ghi cố định năm, ngày, số văn bản hay số liệu.");
    } else {
        outln!(
            "\nCần xem lại {} dòng mẫu văn bản còn ghi cố định năm, ngày, số văn bản hoặc số liệu \
             (sửa nếu đã cũ; dòng nào đúng mãi thì thêm chú thích «cố định» để không bị nhắc lại):",
            done.review.len()
        );
        for line in &done.review {
            outln!("{line}");
        }
    }
    outln!(
        "\nViệc tiếp theo: gửi các biểu mẫu trong «{}» cho các đơn vị (đề nghị ghi đủ các ô nền vàng, liệt kê văn bản \
         và danh mục theo nhóm ghi trong trang «Hướng dẫn»); viết «{}» và «{}» cho kỳ mới; khi các đơn vị gửi lại, \
         chép vào «{}» rồi chạy «baocao check».",
        args.out.join("bieu-mau").display(),
        templates.join(baocao::config::NARRATIVE_FILE).display(),
        templates.join(baocao::config::DOCUMENTS_FILE).display(),
        args.inputs.display()
    );
    if args.dry_run {
        outln!("(Chạy thử: chưa thay đổi gì. Bỏ --thu để sang kỳ mới.)");
    }
    0
}
