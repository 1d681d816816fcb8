//! `baocao init [DIR]`: a working folder from the files built into the program.

use super::InitArgs;

pub fn run(args: &InitArgs) -> i32 {
    match baocao::embedded::write_working_folder(&args.dir) {
        Ok(done) => {
            outln!("Đã tạo thư mục làm việc «{}»: {} tệp.", args.dir.display(), done.written.len());
            if !done.kept.is_empty() {
                outln!("Giữ nguyên {} tệp đã có (không ghi đè).", done.kept.len());
            }
            if let Some(inputs) = &done.inputs_kept {
                outln!(
                    "Thư mục «{}» đã có nên không chép bộ biểu mẫu mẫu vào (để số liệu mẫu không lẫn với \
                     biểu mẫu thật của các đơn vị).",
                    inputs.display()
                );
            }
            outln!("Đọc «{}» để bắt đầu.", args.dir.join("LÀM-THẾ-NÀO.txt").display());
            0
        }
        Err(e) => {
            errln!("Lỗi: {e:#}");
            2
        }
    }
}
