//! `baocao init [DIR]`: a working folder from the files built into the program.

use super::InitArgs;

pub fn run(args: &InitArgs) -> i32 {
    match baocao::embedded::write_working_folder(&args.dir) {
        Ok((written, kept)) => {
            println!("Đã tạo thư mục làm việc «{}»: {} tệp.", args.dir.display(), written.len());
            if !kept.is_empty() {
                println!("Giữ nguyên {} tệp đã có (không ghi đè).", kept.len());
            }
            println!("Đọc «{}» để bắt đầu.", args.dir.join("LÀM-THẾ-NÀO.txt").display());
            0
        }
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            2
        }
    }
}
