//! Hard limits: a file over a limit is one Vietnamese error naming it (the
//! other files are still read); too many files is an error before anything
//! is read. Each limit, its message and its environment variable.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use baocao::config::ReportDef;
use baocao::ingest::{discover_with, read_workbook_bytes, read_workbook_with, Limits};
use baocao::model::Severity;
use common::{inputs_copy, root};
use rust_xlsxwriter::{Format, Workbook};

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

/// A zip-based workbook with the given parts: (name, bytes, compressed?).
fn zip_with(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// The errors `check` reports for `file`.
fn errors_for(checked: &baocao::Checked, file: &str) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file == file)
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let sample = root().join("inputs/huyen/CLO-cao-loc.xlsx");
    let size = fs::metadata(&sample).unwrap().len();
    let limits = Limits { max_file_bytes: size - 1, ..Limits::default() };
    let err = read_workbook_with(&sample, "CLO.xlsx", &limits).unwrap_err().to_string();
    assert!(err.starts_with("tệp nặng 0,0") || err.starts_with("tệp nặng"), "{err}");
    assert!(err.contains("vượt giới hạn") && err.contains("BAOCAO_MAX_FILE_MB"), "{err}");
    // the same bytes read from memory
    let bytes = fs::read(&sample).unwrap();
    assert!(read_workbook_bytes(&bytes, "xlsx", "CLO.xlsx", &limits)
        .unwrap_err()
        .to_string()
        .contains("vượt giới hạn"));
    // the default is 50 MB
    assert_eq!(Limits::default().max_file_bytes, 50_000_000);
    assert!(read_workbook_with(&sample, "CLO.xlsx", &Limits::default()).is_ok());
}

/// The command-line program with the limits lowered by environment variables.
fn check_with_env(inputs: &Path, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["check", "--templates"])
        .arg(root().join("templates/ke-hoach-nam"))
        .arg("--inputs")
        .arg(inputs)
        .arg("--out")
        .arg(out.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn the_size_limit_is_set_by_environment_and_names_the_file() {
    let dir = inputs_copy();
    // 1,5 MB that no compression shrinks, after a zip signature
    let mut big = b"PK\x03\x04".to_vec();
    let mut x: u32 = 1;
    big.extend((0..1_500_000).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as u8
    }));
    fs::write(dir.path().join("huyen/to-qua.xlsx"), &big).unwrap();
    let (code, stdout, stderr) = check_with_env(dir.path(), &[("BAOCAO_MAX_FILE_MB", "1")]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("huyen/to-qua.xlsx"), "{stdout}");
    assert!(stdout.contains("tệp nặng 1,5 MB, vượt giới hạn 1 MB"), "{stdout}");
    // every other file was read: the summary counts all 22 units
    assert!(stdout.contains("của 22 đơn vị: 1 lỗi"), "{stdout}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_opened() {
    let limits = Limits::default();
    // 20 MB of zeros compress to about 20 KB: a ratio of about 1000:1
    let bomb =
        zip_with(&[("[Content_Types].xml", b"<Types/>".to_vec()), ("xl/worksheets/sheet1.xml", vec![0u8; 20_000_000])]);
    assert!(bomb.len() < 100_000);
    let err = read_workbook_bytes(&bomb, "xlsx", "bom.xlsx", &limits).unwrap_err().to_string();
    assert!(err.contains("«bom nén»") && err.contains("xl/worksheets/sheet1.xml"), "{err}");
    assert!(err.contains("giới hạn 100:1") && err.contains("BAOCAO_MAX_ZIP_RATIO"), "{err}");
    // the same as an .ods
    assert!(read_workbook_bytes(&bomb, "ods", "bom.ods", &limits).unwrap_err().to_string().contains("«bom nén»"));
    // parts that inflate beyond the total limit, whatever their ratio
    let small = Limits { max_unzipped_bytes: 1_000_000, ..Limits::default() };
    let mut noise = Vec::with_capacity(800_000);
    let mut x: u64 = 7;
    for _ in 0..800_000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        noise.push((x >> 56) as u8);
    }
    let wide = zip_with(&[("a.xml", noise.clone()), ("b.xml", noise)]);
    let err = read_workbook_bytes(&wide, "xlsx", "lon.xlsx", &small).unwrap_err().to_string();
    assert!(
        err.contains("giải nén ra tới 1,6 MB, vượt giới hạn 1 MB") && err.contains("BAOCAO_MAX_UNZIPPED_MB"),
        "{err}"
    );
    // too many parts
    let parts: Vec<(String, Vec<u8>)> = (0..30).map(|i| (format!("p{i}.xml"), vec![])).collect();
    let refs: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let few = Limits { max_zip_entries: 20, ..Limits::default() };
    let err = read_workbook_bytes(&zip_with(&refs), "xlsx", "nhieu.xlsx", &few).unwrap_err().to_string();
    assert!(err.contains("có 30 phần bên trong, vượt giới hạn 20"), "{err}");
}

#[test]
fn a_zip_bomb_among_the_inputs_is_one_error_and_the_rest_is_read() {
    let dir = inputs_copy();
    let bomb = zip_with(&[("xl/worksheets/sheet1.xml", vec![b' '; 30_000_000])]);
    fs::write(dir.path().join("bom.xlsx"), bomb).unwrap();
    let checked = baocao::check(&def(), dir.path()).unwrap();
    let errors = errors_for(&checked, "bom.xlsx");
    assert_eq!(errors.len(), 1, "{:#?}", checked.diagnostics);
    assert!(errors[0].contains("«bom nén»"), "{}", errors[0]);
    assert_eq!(checked.errors(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(checked.submissions.len(), 22);
}

#[test]
fn a_sheet_spanning_the_whole_grid_is_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Mã đơn vị").unwrap();
    ws.write(1_048_575, 16_383, "ô cuối").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = read_workbook_bytes(&bytes, "xlsx", "xa.xlsx", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("trang «Sheet1» có vùng dữ liệu A1:XFD1048576 (17.179.869.184 ô)"), "{err}");
    assert!(
        err.contains("vượt giới hạn 1.000.000 ô") && err.contains("Ctrl+End") && err.contains("BAOCAO_MAX_CELLS"),
        "{err}"
    );
    // a higher limit lets a smaller sheet through
    let mut wb = Workbook::new();
    wb.add_worksheet().write(0, 0, 1).unwrap().write(1_999, 999, 2).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert!(read_workbook_bytes(&bytes, "xlsx", "a.xlsx", &Limits::default()).is_err());
    let more = Limits { max_sheet_cells: 2_000_000, ..Limits::default() };
    assert!(read_workbook_bytes(&bytes, "xlsx", "a.xlsx", &more).is_ok());
}

#[test]
fn formatting_far_away_does_not_count() {
    // Excel's declared <dimension> grows with formatted empty cells; only
    // cells with values make the range calamine lays out.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Mã đơn vị").unwrap();
    ws.write(0, 1, "CLO").unwrap();
    ws.write_blank(1_048_575, 16_383, &Format::new().set_bold()).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let raw = read_workbook_bytes(&bytes, "xlsx", "dinh-dang.xlsx", &Limits::default()).unwrap();
    assert!(raw.meta.is_some());
}

/// `content.xml` of an .ods with one sheet of `rows`.
fn ods_with(rows: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"Chỉ tiêu\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
        z.start_file("META-INF/manifest.xml", deflated).unwrap();
        z.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>").unwrap();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn an_ods_sheet_repeated_beyond_the_limit_is_refused() {
    let cell = "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>";
    let row = |repeat: u32, cells: &str| {
        format!("<table:table-row table:number-rows-repeated=\"{repeat}\">{cells}</table:table-row>")
    };
    // one value repeated over 16.384 columns, in 100.000 rows
    let wide = cell.replace("<table:table-cell ", "<table:table-cell table:number-columns-repeated=\"16384\" ");
    let bomb = ods_with(&row(100_000, &wide));
    assert!(bomb.len() < 10_000);
    let err = read_workbook_bytes(&bomb, "ods", "lap.ods", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("trang «Chỉ tiêu» có vùng dữ liệu A1:XFD100000"), "{err}");
    assert!(err.contains("vượt giới hạn 1.000.000 ô"), "{err}");
    // the same row written out 100 times (no repeat count): calamine would
    // hold 1,6 million cells before it checks anything
    let rows: String = (0..100).map(|_| row(1, &wide)).collect();
    let err = read_workbook_bytes(&ods_with(&rows), "ods", "rong.ods", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("vượt giới hạn 1.000.000 ô"), "{err}");
    // a value a million rows below the first
    let far = ods_with(&format!("{}{}{}", row(1, cell), row(1_000_000, "<table:table-cell/>"), row(1, cell)));
    assert!(read_workbook_bytes(&far, "ods", "xa.ods", &Limits::default())
        .unwrap_err()
        .to_string()
        .contains("A1:A1000002"));
    // a small one reads
    let ok = ods_with(&row(3, &format!("{cell}{cell}")));
    let read = read_workbook_bytes(&ok, "ods", "nho.ods", &Limits::default());
    assert!(read.is_ok(), "{read:?}");
}

/// The offsets of BIFF records of type `typ` in an .xls written by LibreOffice
/// (its workbook stream is stored in order, so records are found in place).
fn records(bytes: &[u8], typ: u16, len: u16) -> Vec<usize> {
    let head = [typ.to_le_bytes(), len.to_le_bytes()].concat();
    bytes.windows(4).enumerate().filter(|(_, w)| *w == head.as_slice()).map(|(i, _)| i).collect()
}

#[test]
fn an_xls_with_an_absurd_declared_range_is_refused() {
    let sample = fs::read(root().join("inputs/CNTY-chi-cuc-chan-nuoi-thu-y.xls")).unwrap();
    assert!(read_workbook_bytes(&sample, "xls", "CNTY.xls", &Limits::default()).is_ok());
    // Dimensions (0x0200, 14 bytes): first row, last row + 1 (u32), first column, last column + 1 (u16)
    let at = *records(&sample, 0x0200, 14).first().expect("a DIMENSIONS record");
    let mut bad = sample.clone();
    bad[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    bad[at + 14..at + 16].copy_from_slice(&256u16.to_le_bytes());
    let err = read_workbook_bytes(&bad, "xls", "CNTY.xls", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("có vùng dữ liệu") && err.contains("vượt giới hạn"), "{err}");
}

#[test]
fn an_xls_cell_far_from_the_others_is_refused() {
    let sample = fs::read(root().join("inputs/CNTY-chi-cuc-chan-nuoi-thu-y.xls")).unwrap();
    // a LabelSst cell (0x00FD, 10 bytes: row, column, format, string) moved to row 65.536, column 256
    let at = *records(&sample, 0x00FD, 10).last().expect("a text cell");
    let mut bad = sample.clone();
    bad[at + 4..at + 6].copy_from_slice(&0xFFFFu16.to_le_bytes());
    bad[at + 6..at + 8].copy_from_slice(&0x00FFu16.to_le_bytes());
    let err = read_workbook_bytes(&bad, "xls", "CNTY.xls", &Limits::default()).unwrap_err().to_string();
    assert!(err.contains(":IV65536") && err.contains("vượt giới hạn 1.000.000 ô"), "{err}");
}

#[test]
fn too_many_files_is_an_error_before_reading() {
    let limits = Limits { max_files: 5, ..Limits::default() };
    let err = discover_with(&root().join("inputs"), &limits).unwrap_err().to_string();
    assert!(err.contains("có hơn 5 tệp bảng tính") && err.contains("chưa đọc tệp nào"), "{err}");
    assert!(err.contains("BAOCAO_MAX_FILES"), "{err}");
    assert!(discover_with(&root().join("inputs"), &Limits::default()).is_ok());
    // through the program: exit code 2, nothing read
    let (code, stdout, stderr) = check_with_env(&root().join("inputs"), &[("BAOCAO_MAX_FILES", "10")]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("có hơn 10 tệp bảng tính"), "{stderr}");
}
