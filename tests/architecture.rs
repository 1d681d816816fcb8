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

/// Words of the report's own language, written without tones as they were
/// once used for names in the code (ARCHITECTURE.md, "Names"). An item named
/// with them — a type, field, variant, function, constant or module — breaks
/// the naming rule. The template filters of `render/filters.rs` are the one
/// exception (they are the filters templates call).
const VIETNAMESE: &[&str] = &[
    "ten", "ma", "nam", "ky", "ngay", "nhom", "dvt", "don", "chi", "tieu", "van", "ban", "loai", "trich", "yeu", "co",
    "quan", "noi", "dung", "dia", "tong", "phan", "muc", "khoan", "diem", "stt", "tep", "luc", "loi", "xem", "thu",
    "nguoi", "nhan", "cong", "kieu", "ghi", "chu", "kh", "uoc", "th", "ck", "truoc", "sau", "nhap", "mau", "tat", "ca",
    "trang", "thai", "lop", "ket", "qua", "bang", "moi", "hieu", "ngu", "quoc", "kinh", "gui", "du", "thao", "viec",
    "luu", "chuc", "vu", "ho", "gon", "ngan", "cuoi", "canh", "bao", "nop", "chua", "da", "dinh", "hanh", "goi", "day",
];

/// The named items of a source file: (kind, name, line).
fn items(text: &str) -> Vec<(&'static str, String, usize)> {
    let mut out = Vec::new();
    let word = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        let t = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
        for (kw, kind) in
            [("struct ", "type"), ("enum ", "type"), ("fn ", "function"), ("const ", "constant"), ("mod ", "module")]
        {
            if let Some(rest) = t.strip_prefix(kw) {
                out.push((kind, word(rest), n + 1));
            }
        }
        // a field (`name: Type,` on its own line) or a variant (`Name,` / `Name(…)` / `Name {`)
        let w = word(t);
        let after = t[w.len()..].trim_start();
        if !w.is_empty() && line.starts_with("    ") && !t.contains(" = ") {
            if after.starts_with(": ") && t.ends_with(',') {
                out.push(("field", w, n + 1));
            } else if w.chars().next().is_some_and(char::is_uppercase)
                && (after == "," || after.starts_with('(') || after == "{")
            {
                out.push(("variant", w, n + 1));
            }
        }
    }
    out
}

/// The lower-case words of a name: `ky_bao_cao` and `KyBaoCao` → ky, bao, cao.
fn words_of(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        let boundary = c == '_' || (c.is_uppercase() && !cur.chars().last().is_some_and(char::is_uppercase));
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur).to_lowercase());
        }
        if c != '_' {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur.to_lowercase());
    }
    out
}

#[test]
fn items_are_named_in_english() {
    let mut bad = Vec::new();
    for e in walkdir::WalkDir::new(src("")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let filters = e.path().ends_with("render/filters.rs");
        let text = fs::read_to_string(e.path()).unwrap();
        for (kind, name, line) in items(&text) {
            let words = words_of(&name);
            // every word Vietnamese: a name like `ma` or `ten_ngan`, not `max` or `code`
            if words.is_empty() || !words.iter().all(|w| VIETNAMESE.contains(&w.as_str())) {
                continue;
            }
            if filters && kind == "function" {
                continue;
            }
            bad.push(format!("{}:{line}: {kind} «{name}»", e.path().display()));
        }
    }
    assert!(
        bad.is_empty(),
        "named in Vietnamese (ARCHITECTURE.md, Names: name it in English, map it with serde/clap):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_name_check_sees_the_names_it_must() {
    let sample = "pub struct VanBan {\n    pub ten_ngan: String,\n    pub code: String,\n}\nenum Column {\n    ThTruoc,\n    Plan,\n}\nfn dem_dia_ban() {}\n";
    let found: Vec<(String, bool)> = items(sample)
        .into_iter()
        .map(|(_, n, _)| {
            let vi = words_of(&n).iter().all(|w| VIETNAMESE.contains(&w.as_str()));
            (n, vi)
        })
        .collect();
    let expect = [
        ("VanBan", true),
        ("ten_ngan", true),
        ("code", false),
        ("Column", false),
        ("ThTruoc", true),
        ("Plan", false),
        ("dem_dia_ban", false),
    ];
    let expect: Vec<(String, bool)> = expect.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    assert_eq!(found, expect);
}
