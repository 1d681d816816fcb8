//! The default report and its sample inputs, built into the binary, so the
//! release binary alone is enough: `baocao init` writes a working folder
//! from them, and `baocao build` uses the built-in report when there is no
//! templates folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
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
  inputs/     biểu mẫu các đơn vị gửi về (nếu thư mục này do «baocao init» tạo thì
              đang có bộ mẫu: thay bằng tệp thật)
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

/// What `init` did in a working folder.
#[derive(Debug, Default)]
pub struct WorkingFolder {
    pub written: Vec<PathBuf>,
    /// Files that were there already, left alone.
    pub kept: Vec<PathBuf>,
    /// `inputs/` was there already: the sample workbooks were not added to
    /// it (they would stand in for the units that have not yet sent).
    pub inputs_kept: Option<PathBuf>,
}

/// Writes a working folder: templates, the sample inputs, an empty output
/// folder and LÀM-THẾ-NÀO.txt. Existing files are left alone (listed as
/// kept) so an `init` never overwrites a clerk's work; an existing
/// `inputs/` gets nothing. Nothing is written through a symbolic link (a
/// link in the folder could point anywhere): one found where a file or
/// folder would go is an error, before anything is written.
pub fn write_working_folder(dir: &Path) -> Result<WorkingFolder> {
    let mut done = WorkingFolder::default();
    let inputs = dir.join("inputs");
    let mut plan: Vec<(PathBuf, &[u8])> = Vec::new();
    for file in all_files(&TEMPLATES) {
        plan.push((Path::new("templates").join(file.path()), file.contents()));
    }
    if fs::symlink_metadata(&inputs).is_ok() {
        done.inputs_kept = Some(inputs);
    } else {
        for file in all_files(&SAMPLE_INPUTS) {
            plan.push((Path::new("inputs").join(file.path()), file.contents()));
        }
    }
    plan.push((PathBuf::from("LÀM-THẾ-NÀO.txt"), HOW_TO.as_bytes()));
    for (rel, _) in &plan {
        no_link_on_the_way(dir, rel)?;
    }
    fs::create_dir_all(dir).with_context(|| format!("không tạo được thư mục «{}»", dir.display()))?;
    for (rel, bytes) in plan {
        let path = dir.join(&rel);
        if fs::symlink_metadata(&path).is_ok() {
            done.kept.push(path);
            continue;
        }
        make_dirs(dir, rel.parent().unwrap_or(Path::new("")))?;
        // create_new: never follows a link put there since the check
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("không ghi được «{}»", path.display()))?;
        f.write_all(bytes).with_context(|| format!("không ghi được «{}»", path.display()))?;
        done.written.push(path);
    }
    // an existing output/ (even a link to a shared drive) is left as it is
    make_dirs(dir, Path::new("output"))?;
    Ok(done)
}

/// An error when `rel`, or a folder on the way to it below `dir`, is a
/// symbolic link.
fn no_link_on_the_way(dir: &Path, rel: &Path) -> Result<()> {
    let mut at = dir.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "«{}» là một liên kết (symlink) nên «baocao init» không ghi vào đó (liên kết có thể trỏ ra ngoài \
                 thư mục làm việc); xóa liên kết hoặc chọn một thư mục khác rồi chạy lại",
                at.display()
            );
        }
    }
    Ok(())
}

/// Creates the folders of `rel` below `dir` one by one (none is a link:
/// checked before).
fn make_dirs(dir: &Path, rel: &Path) -> Result<()> {
    let mut at = dir.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_err() {
            fs::create_dir(&at).with_context(|| format!("không tạo được thư mục «{}»", at.display()))?;
        }
    }
    Ok(())
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
        assert_eq!(def.report.document.kind_name, "KẾ HOẠCH");
        assert!(def.fragments.len() >= 10 && def.includes.len() >= 10);
        assert!(def.appendix.is_some());
        assert!(report_def("khong-co").is_err());
    }
}
