//! Hard limits on what is read, so that a broken or hostile file is reported
//! by name instead of exhausting memory or time. Each limit has a default
//! sized far above any real form (a form is a few dozen KB, a few thousand
//! cells) and can be raised with an environment variable.

use rust_decimal::Decimal;

use super::Refusal;
use crate::vi::format_number;

/// Limits on the inputs folder and on each workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Workbooks in the inputs folder (`BAOCAO_MAX_FILES`). Too many is an
    /// error before anything is read.
    pub max_files: usize,
    /// Size of one file on disk, bytes (`BAOCAO_MAX_FILE_MB`).
    pub max_file_bytes: u64,
    /// Uncompressed size of all the parts of one .xlsx/.ods, as its zip
    /// directory declares them, bytes (`BAOCAO_MAX_UNZIPPED_MB`).
    pub max_unzipped_bytes: u64,
    /// Compression ratio of one part (uncompressed / compressed) beyond
    /// which it is taken for a zip bomb (`BAOCAO_MAX_ZIP_RATIO`); parts
    /// smaller than [`RATIO_GRACE_BYTES`] are not checked.
    pub max_zip_ratio: u64,
    /// Parts of one zip (`BAOCAO_MAX_ZIP_ENTRIES`).
    pub max_zip_entries: u64,
    /// Cells of a sheet's used range (rows × columns between the first and
    /// the last filled cell), as declared and as found (`BAOCAO_MAX_CELLS`).
    pub max_sheet_cells: u64,
}

/// Parts smaller than this are not checked for their compression ratio:
/// small XML with repeated markup compresses very well and is harmless.
pub const RATIO_GRACE_BYTES: u64 = 1 << 20;

const MB: u64 = 1_000_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_files: 20_000,
            max_file_bytes: 50 * MB,
            max_unzipped_bytes: 200 * MB,
            max_zip_ratio: 100,
            max_zip_entries: 10_000,
            max_sheet_cells: 1_000_000,
        }
    }
}

/// The environment variables that raise (or lower) each limit.
pub const ENV_MAX_FILES: &str = "BAOCAO_MAX_FILES";
pub const ENV_MAX_FILE_MB: &str = "BAOCAO_MAX_FILE_MB";
pub const ENV_MAX_UNZIPPED_MB: &str = "BAOCAO_MAX_UNZIPPED_MB";
pub const ENV_MAX_ZIP_RATIO: &str = "BAOCAO_MAX_ZIP_RATIO";
pub const ENV_MAX_ZIP_ENTRIES: &str = "BAOCAO_MAX_ZIP_ENTRIES";
pub const ENV_MAX_CELLS: &str = "BAOCAO_MAX_CELLS";

impl Limits {
    /// The defaults, with any limit set in the environment applied. A value
    /// that is not a positive whole number is an error naming the variable
    /// (never silently the default: "0.5" is not 5).
    pub fn from_env() -> Result<Limits, String> {
        Limits::from_lookup(|k| std::env::var(k).ok())
    }

    /// [`Limits::from_env`] with the variables looked up by `get` (tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
        let num = |k: &str| -> Result<Option<u64>, String> {
            match get(k) {
                None => Ok(None),
                Some(v) => whole_number(&v).map(Some).ok_or_else(|| {
                    format!(
                        "biến môi trường {k}=«{v}» không hợp lệ: cần một số nguyên dương, ví dụ {k}={}; \
                         sửa hoặc bỏ biến này rồi chạy lại",
                        example(k)
                    )
                }),
            }
        };
        let d = Limits::default();
        Ok(Limits {
            max_files: num(ENV_MAX_FILES)?.map(|n| n as usize).unwrap_or(d.max_files),
            max_file_bytes: num(ENV_MAX_FILE_MB)?.map(|n| n.saturating_mul(MB)).unwrap_or(d.max_file_bytes),
            max_unzipped_bytes: num(ENV_MAX_UNZIPPED_MB)?.map(|n| n.saturating_mul(MB)).unwrap_or(d.max_unzipped_bytes),
            max_zip_ratio: num(ENV_MAX_ZIP_RATIO)?.unwrap_or(d.max_zip_ratio),
            max_zip_entries: num(ENV_MAX_ZIP_ENTRIES)?.unwrap_or(d.max_zip_entries),
            max_sheet_cells: num(ENV_MAX_CELLS)?.unwrap_or(d.max_sheet_cells),
        })
    }
}

/// A positive whole number as a person writes it: "200", "2000000",
/// "2_000_000", "2 000 000" or "2.000.000" (groups of three after the
/// point, so "0.5" and "1.5" are not numbers here).
fn whole_number(v: &str) -> Option<u64> {
    let v: String = v.trim().chars().filter(|c| *c != '_' && *c != ' ').collect();
    let mut groups = v.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let grouped = first.len() <= 3 && !first.starts_with('0') && rest.iter().all(|g| g.len() == 3);
    if !rest.is_empty() && !grouped {
        return None;
    }
    let digits = v.replace('.', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().filter(|n| *n > 0)
}

/// A value to suggest for variable `k`: its default.
fn example(k: &str) -> u64 {
    let d = Limits::default();
    match k {
        ENV_MAX_FILES => d.max_files as u64,
        ENV_MAX_FILE_MB => d.max_file_bytes / MB * 4,
        ENV_MAX_UNZIPPED_MB => d.max_unzipped_bytes / MB * 2,
        ENV_MAX_ZIP_RATIO => d.max_zip_ratio * 2,
        ENV_MAX_ZIP_ENTRIES => d.max_zip_entries * 2,
        _ => d.max_sheet_cells * 2,
    }
}

/// A whole number in Vietnamese style: 1.000.000.
pub(crate) fn count(n: u64) -> String {
    format_number(Decimal::from(n), 0, false)
}

/// Bytes as MB with one decimal at most: "73,2 MB".
pub(crate) fn megabytes(bytes: u64) -> String {
    let mb = Decimal::from(bytes) / Decimal::from(MB);
    format!("{} MB", format_number(mb, if mb >= Decimal::from(10) { 0 } else { 1 }, true))
}

/// Why a file is over a limit, in Vietnamese: what was found, the limit,
/// and what to do.
pub(crate) fn too_big(bytes: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "tệp nặng {}, vượt giới hạn {} cho một tệp biểu mẫu (biểu mẫu thường chỉ vài chục KB); không đọc tệp này",
            megabytes(bytes),
            megabytes(limits.max_file_bytes)
        ),
        format!(
            "Đề nghị đơn vị xóa các trang, hình ảnh không cần thiết rồi gửi lại; nếu đúng là cần đọc tệp lớn như \
             vậy, đặt biến môi trường {ENV_MAX_FILE_MB} (số MB) lớn hơn"
        ),
    )
}

pub(crate) fn too_many_files(found: usize, dir: &str, limits: &Limits) -> String {
    format!(
        "thư mục biểu mẫu «{dir}» có hơn {} tệp bảng tính (đã đếm đến {}), vượt giới hạn {} tệp; chưa đọc tệp nào. \
         Kiểm tra lại có chọn nhầm thư mục không; nếu đúng là cần đọc nhiều tệp như vậy, đặt biến môi trường \
         {ENV_MAX_FILES} lớn hơn",
        count(limits.max_files as u64),
        count(found as u64),
        count(limits.max_files as u64)
    )
}

pub(crate) fn unzipped_too_big(declared: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "tệp nén bất thường: các phần bên trong giải nén ra tới {}, vượt giới hạn {} — có thể là tệp hỏng hoặc \
             «bom nén» (tệp nhỏ giải nén ra rất lớn); không đọc tệp này",
            megabytes(declared),
            megabytes(limits.max_unzipped_bytes)
        ),
        format!(
            "Đề nghị đơn vị mở tệp bằng Excel, lưu lại rồi gửi; nếu đúng là cần đọc tệp lớn như vậy, đặt biến môi \
             trường {ENV_MAX_UNZIPPED_MB} (số MB) lớn hơn"
        ),
    )
}

pub(crate) fn zip_ratio(part: &str, size: u64, compressed: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "tệp nén bất thường: phần «{part}» nén {} thành {} (tỷ lệ hơn {}:1, giới hạn {}:1) — có thể là «bom \
             nén»; không đọc tệp này",
            megabytes(size),
            megabytes(compressed),
            count(size / compressed.max(1)),
            count(limits.max_zip_ratio)
        ),
        format!(
            "Đề nghị đơn vị mở tệp bằng Excel, lưu lại rồi gửi; nếu tệp đúng là như vậy, đặt biến môi trường \
             {ENV_MAX_ZIP_RATIO} lớn hơn"
        ),
    )
}

pub(crate) fn zip_entries(entries: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "tệp nén bất thường: có {} phần bên trong, vượt giới hạn {} (một bảng tính thường có vài chục phần); \
             không đọc tệp này",
            count(entries),
            count(limits.max_zip_entries)
        ),
        format!(
            "Đề nghị đơn vị mở tệp bằng Excel, lưu lại rồi gửi; nếu tệp đúng là như vậy, đặt biến môi trường \
             {ENV_MAX_ZIP_ENTRIES} lớn hơn"
        ),
    )
}

/// A sheet whose used range is too large. `range` is an A1 range ("A1:XFD1048576").
pub(crate) fn sheet_too_big(sheet: &str, range: &str, cells: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "trang «{sheet}» có vùng dữ liệu {range} ({} ô), vượt giới hạn {} ô cho một trang; không đọc tệp này \
             (thường là do có ô bị gõ nhầm ở rất xa bảng số liệu)",
            count(cells),
            count(limits.max_sheet_cells)
        ),
        format!(
            "Đề nghị đơn vị bấm Ctrl+End để tìm ô cuối, xóa các dòng, cột thừa rồi lưu và gửi lại; nếu đúng là cần \
             đọc trang lớn như vậy, đặt biến môi trường {ENV_MAX_CELLS} lớn hơn"
        ),
    )
}

/// "A1:XFD1048576" from 0-based (row, column) corners.
pub(crate) fn a1_range(start: (u32, u32), end: (u32, u32)) -> String {
    let a = crate::origin::cell_ref(start.0, start.1);
    let b = crate::origin::cell_ref(end.0, end.1);
    if a == b {
        a
    } else {
        format!("{a}:{b}")
    }
}

/// Cells of the range between two 0-based corners (0 when reversed).
pub(crate) fn area(start: (u32, u32), end: (u32, u32)) -> u64 {
    if end.0 < start.0 || end.1 < start.1 {
        return 0;
    }
    (u64::from(end.0 - start.0) + 1) * (u64::from(end.1 - start.1) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_come_from_the_environment() {
        let l = Limits::from_lookup(|k| match k {
            ENV_MAX_FILE_MB => Some("5".into()),
            ENV_MAX_CELLS => Some("2_000_000".into()),
            ENV_MAX_FILES => Some("30.000".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(l.max_file_bytes, 5_000_000);
        assert_eq!(l.max_sheet_cells, 2_000_000);
        assert_eq!(l.max_files, 30_000);
        assert_eq!(l.max_zip_ratio, Limits::default().max_zip_ratio);
    }

    #[test]
    fn a_limit_that_is_not_a_positive_whole_number_is_an_error() {
        for bad in ["abc", "0.5", "1.5", "0", "", "-3", "5MB", "1.00", "1e6", "0.500"] {
            let err = Limits::from_lookup(|k| (k == ENV_MAX_FILE_MB).then(|| bad.to_string())).unwrap_err();
            assert!(
                err.contains(&format!("{ENV_MAX_FILE_MB}=«{bad}»")) && err.contains("ví dụ BAOCAO_MAX_FILE_MB=200"),
                "{err}"
            );
        }
        for (good, n) in [("200", 200), (" 2 000 ", 2000), ("2.000", 2000), ("1.000.000", 1_000_000)] {
            assert_eq!(whole_number(good), Some(n), "{good}");
        }
    }

    #[test]
    fn sizes_read_as_vietnamese() {
        assert_eq!(megabytes(73_200_000), "73 MB");
        assert_eq!(megabytes(7_250_000), "7,3 MB");
        assert_eq!(megabytes(50_000_000), "50 MB");
        assert_eq!(count(1_000_000), "1.000.000");
        assert_eq!(a1_range((0, 0), (1_048_575, 16_383)), "A1:XFD1048576");
        assert_eq!(area((0, 0), (1_048_575, 16_383)), 17_179_869_184);
    }
}
