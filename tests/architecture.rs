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

/// The modules of the library (src/*.rs and src/*/, but the front ends
/// over the whole pipeline: the commands, the browser desk and the move to
/// the next period) and the modules each names: module → modules.
fn graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut g = std::collections::BTreeMap::new();
    for e in fs::read_dir(src("")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if ["lib", "main", "cli", "serve", "rollover"].contains(&name.as_str()) {
            continue;
        }
        let uses = crate_paths(&path).into_iter().map(|(_, m)| m).filter(|m| *m != name).collect();
        g.insert(name, uses);
    }
    g
}

#[test]
fn no_module_names_the_pipeline_above_it() {
    let g = graph();
    for (m, uses) in &g {
        let root: Vec<&String> = uses.iter().filter(|u| !g.contains_key(*u)).collect();
        assert!(root.is_empty(), "{m} uses crate::{root:?} of lib.rs: stages get what they need handed to them");
    }
}

#[test]
fn modules_import_each_other_in_one_direction() {
    let g = graph();
    // depth-first search for a cycle
    fn visit<'a>(
        m: &'a str,
        g: &'a std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut std::collections::BTreeSet<&'a str>,
    ) {
        if let Some(i) = path.iter().position(|p| *p == m) {
            panic!("import cycle: {}", path[i..].join(" → ") + " → " + m);
        }
        if !done.insert(m) && !path.is_empty() {
            return;
        }
        path.push(m);
        for u in g.get(m).into_iter().flatten() {
            if g.contains_key(u) {
                visit(u, g, path, done);
            }
        }
        path.pop();
    }
    let mut done = std::collections::BTreeSet::new();
    for m in g.keys() {
        visit(m, &g, &mut Vec::new(), &mut done);
    }
    // the reader makes origins and knows nothing of the model it feeds
    assert!(
        g["ingest"].iter().all(|u| ["origin", "diag", "vi"].contains(&u.as_str())),
        "ingest uses {:?}",
        g["ingest"]
    );
}

/// Only the front ends read the environment; the stages get what they need
/// (limits) handed to them. The exceptions: the definition of
/// `Limits::from_env` (called by the commands), the PATH lookup of
/// LibreOffice, and the debug-only fault hooks of the crash tests.
#[test]
fn only_the_commands_read_the_environment() {
    let allowed = [
        ("ingest/limits.rs", "Limits::from_lookup(|k| std::env::var(k).ok())"),
        ("output.rs", "std::env::var(\"BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS\")"),
        ("output.rs", "std::env::var_os(\"BAOCAO_TEST_FAIL_WRITE\")"),
        ("output.rs", "std::env::var_os(\"PATH\")"),
        ("rollover.rs", "std::env::var_os(\"BAOCAO_TEST_FAIL_KY_MOI\")"),
    ];
    for e in walkdir::WalkDir::new(src("")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(src("")).unwrap().to_string_lossy().replace('\\', "/");
        if rel.starts_with("cli/") || e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap();
        for line in text.lines().filter(|l| l.contains("env::var")) {
            assert!(
                allowed.iter().any(|(f, l)| *f == rel && line.contains(l)),
                "{rel} reads the environment: {}",
                line.trim()
            );
        }
    }
}
