//! The clerk's workflow: watching the folder, a working folder from the
//! binary alone, PDF, byte-identical rebuilds, crash-safe writes,
//! Vietnamese file names in NFC or NFD.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn build_in(inputs: &Path, out: &Path) -> Output {
    bin()
        .args(["--inputs", inputs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .current_dir(root())
        .output()
        .unwrap()
}

/// Waits for a line containing `needle` (collecting what was seen).
fn wait_for(lines: &mpsc::Receiver<String>, seen: &mut Vec<String>, needle: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(l) => {
                let hit = l.contains(needle);
                seen.push(l);
                if hit {
                    return true;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
    false
}

#[test]
fn watch_rebuilds_when_a_workbook_arrives_and_says_what_changed() {
    let work = tempfile::tempdir().unwrap();
    let inputs = work.path().join("inputs");
    copy_dir(&root().join("inputs"), &inputs);
    let out = work.path().join("out");
    let mut child = bin()
        .args(["watch", "--inputs", inputs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut seen = Vec::new();
    let first = wait_for(&rx, &mut seen, "Đã đọc 22 đơn vị", Duration::from_secs(90));
    assert!(first, "no first build: {seen:#?}");

    // a corrected workbook arrives, first half-copied, then complete
    let corrected = fs::read(root().join("tests/fixtures/sua-so-lieu.xlsx")).unwrap();
    let target = inputs.join("huyen/sua-so-lieu.xlsx");
    fs::write(&target, &corrected[..corrected.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(250));
    fs::write(&target, &corrected).unwrap();
    let changed = wait_for(&rx, &mut seen, "10 → 11 — do tệp huyen/sua-so-lieu.xlsx (CLO)", Duration::from_secs(90));
    assert!(changed, "no change reported: {seen:#?}");
    // a lock file of Excel changes nothing, and the watcher is still alive
    fs::write(inputs.join("huyen/~$sua-so-lieu.xlsx"), b"lock").unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(child.try_wait().unwrap().is_none(), "the watcher stopped: {seen:#?}");
    child.kill().unwrap();
    let _ = child.wait();
    while let Ok(l) = rx.try_recv() {
        seen.push(l);
    }
    assert!(!seen.iter().any(|l| l.contains("panicked")), "{seen:#?}");
    let docx = read_parts(&out.join("ke-hoach-nam-2024.docx"));
    assert!(body_text(&docx["word/document.xml"]).contains("thành lập mới được 11 HTX nông nghiệp"));
}

#[test]
fn init_makes_a_working_folder_and_the_built_in_report_needs_no_templates() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("bao-cao-6-thang");
    let o = bin().args(["init", dir.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    for f in [
        "LÀM-THẾ-NÀO.txt",
        "templates/ke-hoach-nam/report.toml",
        "templates/catalog.toml",
        "templates/chung.toml",
        "templates/doan/10-I-tham-muu.md.tera",
        "inputs/huyen/CLO-cao-loc.xlsx",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(dir.join("output").is_dir());
    // init never overwrites
    fs::write(
        dir.join("templates/ke-hoach-nam/report.toml"),
        fs::read(root().join("templates/ke-hoach-nam/report.toml")).unwrap(),
    )
    .unwrap();
    let o = bin().args(["init", dir.to_str().unwrap()]).output().unwrap();
    assert!(text(&o.stdout).contains("Giữ nguyên"), "{}", text(&o.stdout));

    // build in the working folder with its templates
    let o = bin().current_dir(&dir).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let with_templates = fs::read(dir.join("output/ke-hoach-nam-2024.docx")).unwrap();
    // and without any templates folder: the built-in report, same document
    fs::remove_dir_all(dir.join("templates")).unwrap();
    fs::remove_dir_all(dir.join("output")).unwrap();
    let o = bin().current_dir(&dir).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("dùng mẫu văn bản có sẵn trong chương trình"));
    assert!(fs::read(dir.join("output/ke-hoach-nam-2024.docx")).unwrap() == with_templates);
}

#[test]
fn pdf_without_libreoffice_is_a_clear_failure() {
    let out = tempfile::tempdir().unwrap();
    // without LibreOffice on the PATH: the document, and a message saying what to do
    let o = bin()
        .args(["--pdf", "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "the PDF asked for is not written");
    assert!(text(&o.stderr).contains("máy chưa cài LibreOffice"), "{}", text(&o.stderr));
    assert!(out.path().join("ke-hoach-nam-2024.docx").is_file());
    assert!(!out.path().join("ke-hoach-nam-2024.pdf").exists());
}

#[test]
#[ignore = "needs LibreOffice: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn pdf_through_libreoffice() {
    require_tool("soffice", "--version");
    let out = tempfile::tempdir().unwrap();
    let o = bin().args(["--pdf", "--out", out.path().to_str().unwrap()]).current_dir(root()).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let pdf = out.path().join("ke-hoach-nam-2024.pdf");
    assert!(text(&o.stdout).contains(&format!("Đã ghi: {}", pdf.display())));
    assert!(fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn two_processes_write_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        let o = build_in(&root().join("inputs"), d.path());
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    for f in ["ke-hoach-nam-2024.docx", "phu-luc-01-SXNLN.xlsx", "ke-hoach-nam-2024-nguon-so-lieu.xlsx"] {
        assert!(fs::read(a.path().join(f)).unwrap() == fs::read(b.path().join(f)).unwrap(), "{f} differs between runs");
    }
}

#[test]
fn a_killed_build_leaves_the_previous_document_intact() {
    let out = tempfile::tempdir().unwrap();
    let o = build_in(&root().join("inputs"), out.path());
    assert!(o.status.success());
    let docx = out.path().join("ke-hoach-nam-2024.docx");
    let before = fs::read(&docx).unwrap();
    // different inputs, and a build killed while its file waits to be renamed
    let inputs = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), inputs.path());
    fs::copy(root().join("tests/fixtures/sua-so-lieu.xlsx"), inputs.path().join("huyen/sua-so-lieu.xlsx")).unwrap();
    let mut child = bin()
        .args(["--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // wait until the new document sits in its temp file, then kill
    let start = Instant::now();
    let temp_written = loop {
        let temps: Vec<_> = fs::read_dir(out.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".baocao-") && e.metadata().unwrap().len() > 1000)
            .collect();
        if !temps.is_empty() {
            break true;
        }
        if start.elapsed() > Duration::from_secs(60) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    child.kill().unwrap();
    let _ = child.wait();
    assert!(temp_written, "the build never reached its write");
    assert!(fs::read(&docx).unwrap() == before, "the previous document was touched");
    assert!(zip::ZipArchive::new(fs::File::open(&docx).unwrap()).is_ok());
    // the next build goes through
    let o = build_in(inputs.path(), out.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(fs::read(&docx).unwrap() != before);
}

#[test]
fn vietnamese_file_names_in_nfc_or_nfd() {
    use unicode_normalization::UnicodeNormalization;
    let work = tempfile::tempdir().unwrap();
    // the inputs folder and a workbook named in decomposed form (as macOS writes)
    let inputs = work.path().join("biểu mẫu 6 tháng".nfd().collect::<String>());
    copy_dir(&root().join("inputs"), &inputs);
    let nfd_name: String = "Phòng NN huyện Lộc Bình.xlsx".nfd().collect();
    fs::rename(inputs.join("huyen/LBI-loc-binh.xlsx"), inputs.join("huyen").join(&nfd_name)).unwrap();
    let def = baocao::config::ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, &inputs).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let lbi = checked.submissions.iter().find(|s| s.unit == "LBI").unwrap();
    assert_eq!(lbi.file, "huyen/Phòng NN huyện Lộc Bình.xlsx", "named in NFC in messages");
    assert_eq!(lbi.file.nfc().collect::<String>(), lbi.file);
    let o = build_in(&inputs, &work.path().join("out"));
    assert!(o.status.success(), "{}", text(&o.stderr));
}
