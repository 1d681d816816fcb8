//! The `baocao` binary as a clerk runs it.

mod common;

use std::fs;
use std::process::{Command, Output};

use common::{copy_dir, root};

fn baocao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao")).args(args).current_dir(root()).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn bare_baocao_builds_and_says_what_it_wrote() {
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["--out", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    let path = out.path().join("ke-hoach-nam-2024.docx");
    assert!(stdout.contains(&format!("Đã ghi: {}", path.display())), "{stdout}");
    assert!(path.is_file());
    let summary = stdout.lines().find(|l| l.starts_with("Đã đọc")).unwrap();
    assert!(summary.starts_with("Đã đọc 22 đơn vị, tính ") && summary.ends_with(" số liệu, 0 cảnh báo."), "{summary}");
    // the same through the named command
    let o = baocao(&[
        "build",
        "--out",
        out.path().to_str().unwrap(),
        "--inputs",
        "inputs",
        "--templates",
        "templates/ke-hoach-nam",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn help_and_argument_errors_are_vietnamese() {
    let o = baocao(&["--help"]);
    assert!(o.status.success());
    let help = text(&o.stdout);
    assert!(help.contains("Cách dùng:") && help.contains("Thư mục chứa biểu mẫu") && help.contains("Lệnh"), "{help}");
    let o = baocao(&["--khong-co"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("Lỗi: không hiểu tham số «--khong-co»"), "{}", text(&o.stderr));
}

#[test]
fn missing_templates_fail_with_a_vietnamese_message() {
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["build", "--templates", "khong-co", "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("không tìm thấy thư mục mẫu báo cáo «khong-co»"), "{}", text(&o.stderr));
}

#[test]
fn input_errors_exit_1_and_name_the_file() {
    let inputs = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), inputs.path());
    fs::write(inputs.path().join("huyen/BSO-bac-son.xlsx"), b"").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("[lỗi] huyen/BSO-bac-son.xlsx: tệp rỗng"), "{err}");
    assert!(err.contains("Chưa ghi văn bản"), "{err}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn template_errors_name_file_line_and_column() {
    let tpl = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), tpl.path());
    fs::write(tpl.path().join("ke-hoach-nam/95-loi.md.tera"), "Dòng một.\n\nLúa đạt {{ f.lua_xuan.th | so }} ha.\n")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = baocao(&["--templates", tpl.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("95-loi.md.tera», dòng 3, cột"), "{err}");
    assert!(err.contains("3 | Lúa đạt {{ f.lua_xuan.th | so }} ha."), "{err}");
    assert!(err.contains("lua_xuan"), "{err}");
}

#[test]
fn kinds_are_chosen_by_folder_name() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let o = baocao(&["build", "--mau", "bao-cao-6-thang", "--out", dir]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(out.path().join("bao-cao-6-thang-2023.docx").is_file());
    assert!(out.path().join("bao-cao-6-thang-2023.html").is_file());
    assert!(!out.path().join("ke-hoach-nam-2024.docx").exists());
    let o = baocao(&["build", "--mau", "khong-co", "--out", dir]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("không có loại văn bản «khong-co»") && err.contains("cong-van-gui-ke-hoach"), "{err}");
    let o = baocao(&["build", "--tat-ca", "--out", dir]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for f in ["bao-cao-6-thang-2023.docx", "cong-van-gui-ke-hoach-2024.docx", "ke-hoach-nam-2024.docx"] {
        assert!(out.path().join(f).is_file(), "{f}");
    }
}
