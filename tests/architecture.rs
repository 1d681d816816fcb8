//! The shape of the crate (ARCHITECTURE.md): writers know only the document
//! tree. A `use crate::…` that breaks a rule fails here, naming the file.

use std::fs;
use std::path::Path;

/// Every `crate::<module>` a source file under `dir` names: (file, module).
fn crate_paths(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap();
        for (i, _) in text.match_indices("crate::") {
            let module: String = text[i + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push((e.path().display().to_string(), module));
        }
    }
    out
}

fn src(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(p)
}

#[test]
fn the_docx_writer_knows_only_the_document_tree() {
    let bad: Vec<_> = crate_paths(&src("docx")).into_iter().filter(|(_, m)| m != "doc").collect();
    assert!(bad.is_empty(), "docx/ may use only crate::doc: {bad:#?}");
}

#[test]
fn the_html_writer_knows_only_the_document_tree_and_number_style() {
    let bad: Vec<_> = crate_paths(&src("html")).into_iter().filter(|(_, m)| m != "doc" && m != "vi").collect();
    assert!(bad.is_empty(), "html/ may use only crate::doc and crate::vi: {bad:#?}");
}

#[test]
fn the_document_tree_depends_on_nothing_of_the_crate() {
    let text = fs::read_to_string(src("doc.rs")).unwrap();
    assert!(!text.contains("crate::"), "doc.rs is the leaf every writer reads");
}
