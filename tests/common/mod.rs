//! Shared helpers: build the shipped sample once per test binary and read
//! the produced .docx back as XML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Sample {
    _dir: tempfile::TempDir,
    pub docx: PathBuf,
    pub parts: BTreeMap<String, String>,
    pub stdout_units: usize,
}

/// The sample plan built from `inputs/` with the default templates.
pub fn sample() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let opts = baocao::BuildOptions {
            inputs: root().join("inputs"),
            templates: root().join("templates/ke-hoach-nam").into(),
            out: dir.path().to_path_buf(),
            draft: false,
            limits: Default::default(),
        };
        let built = match baocao::build(&opts) {
            Ok(b) => b,
            Err(baocao::BuildError::Inputs(d)) => panic!("sample inputs have errors: {d:#?}"),
            Err(baocao::BuildError::Other(e)) => panic!("{e:#}"),
        };
        let parts = read_parts(&built.path);
        Sample { docx: built.path.clone(), parts, _dir: dir, stdout_units: built.units }
    })
}

pub fn read_parts(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        parts.insert(f.name().unwrap().to_string(), s);
    }
    parts
}

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub fn is_w(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

pub fn attr<'a>(n: &roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// A paragraph as read back: style, text (footnote marks left out), the
/// footnote ids it references, whether it sits in a table.
#[derive(Debug, Clone)]
pub struct Para {
    pub style: String,
    pub text: String,
    pub notes: Vec<i64>,
    pub in_table: bool,
}

pub fn paragraphs(xml: &str) -> Vec<Para> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| is_w(n, "p"))
        .map(|p| {
            let style =
                p.descendants().find(|n| is_w(n, "pStyle")).and_then(|n| attr(&n, "val")).unwrap_or("").to_string();
            let mut text = String::new();
            let mut notes = Vec::new();
            for n in p.descendants() {
                if is_w(&n, "t") {
                    // figures are bound to the next word with a no-break space
                    text.push_str(&n.text().unwrap_or("").replace('\u{a0}', " "));
                } else if is_w(&n, "br") {
                    text.push('\n');
                } else if is_w(&n, "footnoteReference") {
                    notes.push(attr(&n, "id").unwrap().parse().unwrap());
                }
            }
            let in_table = p.ancestors().any(|a| is_w(&a, "tbl"));
            Para { style, text, notes, in_table }
        })
        .collect()
}

/// All body text (paragraphs joined by newlines).
pub fn body_text(xml: &str) -> String {
    paragraphs(xml).iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Footnotes by id: (id, text).
pub fn footnotes(xml: &str) -> Vec<(i64, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| is_w(n, "footnote"))
        .map(|f| {
            let id = attr(&f, "id").unwrap().parse().unwrap();
            let text: String = f
                .descendants()
                .filter(|n| is_w(n, "t"))
                .filter_map(|n| n.text())
                .collect::<String>()
                .replace('\u{a0}', " ");
            (id, text.trim().to_string())
        })
        .collect()
}

/// Fails the test when `cmd` is not installed. A test that needs a tool is
/// `#[ignore]`d, so a plain `cargo test` lists it as ignored (never as
/// passed); it runs when asked for (`--include-ignored`, as in .ci/run),
/// and then it must not pass without the tool.
pub fn require_tool(cmd: &str, arg: &str) {
    let ok = std::process::Command::new(cmd).arg(arg).output().map(|o| o.status.success()).unwrap_or(false);
    assert!(ok, "«{cmd}» is needed by this test but not installed; install it as .ci/run does");
}

/// Copies a folder tree (the sample inputs, the templates) to spoil it in a test.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let t = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&t).unwrap();
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// A copy of the sample inputs in a temporary folder.
pub fn inputs_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), dir.path());
    dir
}
