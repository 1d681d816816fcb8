//! The sample document through external tools: LibreOffice renders it to PDF
//! (page count, footnotes and "Nơi nhận" on the pages) and the OOXML schema
//! validator finds nothing Word would "repair". Ignored in a plain `cargo
//! test`; `cargo test -- --include-ignored` (.ci/run) runs them, and a
//! missing tool is then a failure.

mod common;

use std::process::Command;

use common::*;

#[test]
#[ignore = "needs LibreOffice and poppler: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn libreoffice_renders_the_sample_with_footnotes_and_closing() {
    require_tool("soffice", "--version");
    require_tool("pdftotext", "-v");
    let s = sample();
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .arg(&s.docx)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let pdf = out.path().join(s.docx.file_stem().unwrap()).with_extension("pdf");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages > 1, "{pages} page(s)");
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Nơi nhận:",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Lúa Xuân ước đạt 15.585 ha đạt 103,9% kế hoạch",
        // footnote texts at the foot of the pages
        "Trong đó huyện Văn Lãng 01 sản phẩm; huyện Văn Quan 03 sản phẩm; huyện Hữu Lũng 03 sản phẩm.",
        "Mô hình chuỗi liên kết sản xuất, tiêu thụ sản phẩm",
        "Lý Việt Hưng",
    ] {
        assert!(flat.contains(needle), "{needle:?} not in the PDF text:\n{text}");
    }
    // page numbers from page 2: the second page starts with "2"
    let page2 = text.split('\u{c}').nth(1).unwrap();
    assert_eq!(page2.split_whitespace().next(), Some("2"), "{page2}");
}

#[test]
#[ignore = "needs openxml-audit (PyPI): run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn schema_validator_finds_nothing_but_the_theme() {
    require_tool("openxml-audit", "--help");
    // every kind of document, the draft marks included
    let out = tempfile::tempdir().unwrap();
    let opts = baocao::BuildOptions {
        inputs: root().join("inputs"),
        templates: baocao::Templates::All(root().join("templates")),
        out: out.path().to_path_buf(),
        draft: true,
        limits: Default::default(),
    };
    let built = baocao::build(&opts).map_err(|e| format!("{e:?}")).unwrap();
    let docs: Vec<&std::path::Path> =
        std::iter::once(sample().docx.as_path()).chain(built.documents.iter().map(|d| d.path.as_path())).collect();
    for docx in docs {
        let out = Command::new("openxml-audit").args(["-o", "json", "-m", "0"]).arg(docx).output().unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        let json: serde_json::Value = serde_json::from_str(&report).unwrap_or_else(|e| panic!("{e}: {report}"));
        let errors = find_errors(&json);
        let counted: u64 = json.as_array().unwrap().iter().map(|f| f["error_count"].as_u64().unwrap()).sum();
        assert_eq!(counted as usize, errors.len(), "report shape changed: {report}");
        let unexpected: Vec<&String> = errors.iter().filter(|e| !e.contains("relationships/theme")).collect();
        assert!(unexpected.is_empty(), "{}: schema problems:\n{unexpected:#?}", docx.display());
    }
}

/// Collects the descriptions of every error in openxml-audit's JSON report.
fn find_errors(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::Array(errs)) = m.get("errors") {
                for e in errs {
                    out.push(e.to_string());
                }
            }
            for (k, x) in m {
                if k != "errors" {
                    out.extend(find_errors(x));
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| out.extend(find_errors(x))),
        _ => {}
    }
    out
}
