//! The default report and its sample inputs, built into the binary, so the
//! release binary alone is enough: `baocao init` writes a working folder
//! from them, and `baocao build` uses the built-in report when there is no
//! templates folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};

use crate::config::{Files, ReportDef};

static TEMPLATES: Dir = include_dir!("$CARGO_MANIFEST_DIR/templates");
static SAMPLE_INPUTS: Dir = include_dir!("$CARGO_MANIFEST_DIR/inputs");

/// The report kind used when nothing else is said.
pub const DEFAULT_REPORT: &str = "ke-hoach-nam";

/// How-to for the clerk, written by `init`.
const HOW_TO: &str = "\
LÀM THẾ NÀO — baocao

Thư mục này có:
  inputs/     biểu mẫu các đơn vị gửi về (đang có bộ mẫu; thay bằng tệp thật)
  templates/  mẫu văn bản: chung.toml (cơ quan, người ký, KỲ BÁO CÁO),
              van-ban.toml (văn bản của Bộ, tỉnh dẫn trong kỳ),
              nhan-dinh.toml (thời tiết, thiên tai, hội nghị... của kỳ),
              catalog.toml (chỉ tiêu), units.toml (đơn vị), mỗi loại văn bản
              một thư mục: report.toml (số, ngày, nơi nhận), các đoạn *.md.tera
  output/     văn bản và các bảng tính do chương trình tạo
  luu-tru/    các kỳ đã xong (do lệnh «baocao ky-moi» tạo)

Các lệnh (chạy trong thư mục này):
  baocao forms          tạo biểu mẫu trắng cho từng đơn vị (output/bieu-mau/)
  baocao check          kiểm tra biểu mẫu, liệt kê lỗi (output/kiem-tra.xlsx)
  baocao                tạo văn bản (ví dụ output/ke-hoach-nam-2024.docx)
  baocao --nhap         tạo bản dự thảo dù còn lỗi, chỗ thiếu số liệu được đánh dấu
  baocao --pdf          tạo thêm bản PDF (cần LibreOffice)
  baocao watch          tự tạo lại văn bản mỗi khi có tệp mới trong inputs/
  baocao ky-moi         sang kỳ báo cáo mới (xem dưới)

Khi đơn vị gửi bản sửa: chép vào inputs/ (ghi ngày báo cáo mới hơn); nên xóa bản cũ.
Khi có lỗi, chương trình ghi rõ tệp, trang, ô và việc cần đề nghị đơn vị sửa.
Ô nền vàng trong biểu mẫu là ô văn bản cần: đề nghị đơn vị ghi đủ (không có thì ghi 0).

Sang kỳ báo cáo mới (khi văn bản kỳ này đã ký, đã gửi):
  baocao ky-moi                     cùng loại kỳ, năm sau (6 tháng 2023 -> 6 tháng 2024)
  baocao ky-moi --ky \"cả năm 2023\" chọn kỳ khác; thêm --thu để chỉ xem trước
  Lệnh này chuyển inputs/ và output/ vào luu-tru/<năm>-<kỳ>/ (không xóa gì),
  đổi kỳ trong templates/chung.toml, để lại van-ban.toml và nhan-dinh.toml mới
  (nội dung kỳ trước ở các dòng #), tạo biểu mẫu trắng kỳ mới trong
  output/bieu-mau/ (số cùng kỳ năm trước đã ghi sẵn) và in danh sách các dòng
  mẫu văn bản còn ghi cố định năm, ngày, số văn bản, con số: xem lại từng dòng.
  Sau đó: gửi biểu mẫu cho đơn vị; viết nhan-dinh.toml, van-ban.toml cho kỳ
  mới; chép tệp đơn vị gửi về vào inputs/; chạy «baocao check».
";

/// The built-in report definition of `kind`.
pub fn report_def(kind: &str) -> Result<ReportDef> {
    let Some(dir) = TEMPLATES.get_dir(kind).filter(|d| d.get_file(d.path().join("report.toml")).is_some()) else {
        bail!("chương trình không có sẵn mẫu văn bản «{kind}» (có: {})", kinds().join(", "));
    };
    let texts = |d: &Dir, prefix: &str| -> BTreeMap<String, String> {
        d.files()
            .filter_map(|f| {
                let name = f.path().file_name()?.to_str()?;
                Some((format!("{prefix}{name}"), f.contents_utf8()?.to_string()))
            })
            .collect()
    };
    let mut shared = texts(&TEMPLATES, "");
    if let Some(d) = TEMPLATES.get_dir(crate::config::SHARED_FRAGMENTS) {
        shared.extend(texts(d, &format!("{}/", crate::config::SHARED_FRAGMENTS)));
    }
    let files = Files { own: texts(dir, ""), shared };
    ReportDef::from_files(&Path::new("(mẫu có sẵn)").join(kind), &files)
}

/// The kinds of document built into the binary, by name.
pub fn kinds() -> Vec<String> {
    let mut kinds: Vec<String> = TEMPLATES
        .dirs()
        .filter(|d| d.get_file(d.path().join("report.toml")).is_some())
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_string))
        .collect();
    kinds.sort();
    kinds
}

/// Writes a working folder: templates, the sample inputs, an empty output
/// folder and LÀM-THẾ-NÀO.txt. Existing files are left alone (listed as
/// skipped) so an `init` never overwrites a clerk's work.
pub fn write_working_folder(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut written = Vec::new();
    let mut kept = Vec::new();
    let mut put = |path: PathBuf, bytes: &[u8]| -> Result<()> {
        if path.exists() {
            kept.push(path);
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("không tạo được thư mục «{}»", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("không ghi được «{}»", path.display()))?;
        written.push(path);
        Ok(())
    };
    for (root, base) in [(&TEMPLATES, "templates"), (&SAMPLE_INPUTS, "inputs")] {
        for file in all_files(root) {
            put(dir.join(base).join(file.path()), file.contents())?;
        }
    }
    put(dir.join("LÀM-THẾ-NÀO.txt"), HOW_TO.as_bytes())?;
    fs::create_dir_all(dir.join("output"))
        .with_context(|| format!("không tạo được «{}»", dir.join("output").display()))?;
    Ok((written, kept))
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(all_files(d));
    }
    out.sort_by_key(|f| f.path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_report_loads() {
        let def = report_def(DEFAULT_REPORT).unwrap();
        assert_eq!(def.report.van_ban.ten_loai, "KẾ HOẠCH");
        assert!(def.fragments.len() >= 10 && def.includes.len() >= 10);
        assert!(def.appendix.is_some());
        assert!(report_def("khong-co").is_err());
    }
}
