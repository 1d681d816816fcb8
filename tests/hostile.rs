//! The red team, standing: every case of issue 10 (a hostile unit, a careless
//! clerk, a new user on a fresh machine) kept as a test, so that nothing a
//! unit types can fake or hide content of the document, no output set is
//! left mixed unannounced, and the first-use promises of the README hold.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use baocao::config::ReportDef;
use baocao::doc::{plain_text, Block, Document, Inline};
use baocao::forms::{form_workbook, DocRow, Fill, ItemRow};
use baocao::model::{Column, Figure, Figures, ListItem, Origin};
use common::*;
use rust_decimal::Decimal;

fn def() -> ReportDef {
    ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The sample form `file` (below inputs/) written again by the form writer,
/// with `spoil` applied to what it holds.
fn refilled(file: &str, spoil: impl FnOnce(&mut Fill)) -> Vec<u8> {
    refilled_with(file, spoil, |_, _, _| {})
}

/// [`refilled`], then `edit` applied to the indicator sheet (with the
/// report definition and the unit).
fn refilled_with(
    file: &str,
    spoil: impl FnOnce(&mut Fill),
    edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &ReportDef, &baocao::config::Unit),
) -> Vec<u8> {
    let def = def();
    let raw = baocao::ingest::read_workbook(&root().join("inputs").join(file), file).unwrap();
    let sub = baocao::model::check_one(&def, &raw).submission.unwrap();
    let mut fill = Fill {
        values: sub.entries.iter().map(|e| (e.indicator.to_string(), e.column, e.value)).collect(),
        report_date: sub.report_date,
        documents: sub
            .documents
            .iter()
            .map(|d| DocRow {
                number_symbol: d.number_symbol.clone(),
                date: d.date,
                agency: d.agency.clone(),
                kind: d.kind.clone(),
                subject: d.subject.clone(),
                group: d.group.clone(),
            })
            .collect(),
        items: sub
            .items
            .iter()
            .map(|i| ItemRow {
                group: i.group.clone(),
                content: i.content.clone(),
                area: i.area.clone().unwrap_or_default(),
            })
            .collect(),
        extra_column: None,
    };
    spoil(&mut fill);
    let unit = def.units.get(&sub.unit).unwrap();
    let mut wb = form_workbook(&def, unit, Some(&fill)).unwrap();
    edit(wb.worksheet_from_name("Chỉ tiêu").unwrap(), &def, unit);
    wb.save_to_buffer().unwrap()
}

/// A copy of the sample inputs with `file` (below inputs/) replaced by `bytes`.
fn inputs_with(file: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = inputs_copy();
    fs::write(dir.path().join(file), bytes).unwrap();
    dir
}

fn build(inputs: &Path, out: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["--inputs", inputs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap()
}

// ------------------------------------------------------------------ 1. markers

/// The markers the renderer puts around printed and missing figures.
const MISSING_START: char = '\u{E000}';
const MISSING_END: char = '\u{E001}';
const FIGURE_START: char = '\u{E002}';
const FIGURE_TEXT: char = '\u{E003}';
const FIGURE_END: char = '\u{E004}';

#[test]
fn cell_text_cannot_fake_a_missing_mark_or_a_traced_figure() {
    let fake_missing = format!("{MISSING_START}GIẢ MẠO THIẾU{MISSING_END}");
    let fake_figure = format!("{FIGURE_START}0{FIGURE_TEXT}999.999{FIGURE_END}");
    let bytes = refilled("huyen/CLO-cao-loc.xlsx", |fill| {
        fill.documents.push(DocRow {
            number_symbol: "99/KH-UBND".into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 3, 2),
            agency: "UBND huyện Cao Lộc".into(),
            kind: "Kế hoạch".into(),
            subject: format!("về sản xuất {fake_missing} đạt {fake_figure} tấn \u{202E}ngược"),
            group: "chi-dao-san-xuat".into(),
        });
    });
    let inputs = inputs_with("huyen/CLO-cao-loc.xlsx", &bytes);
    let out = tempfile::tempdir().unwrap();
    let o = build(inputs.path(), out.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let parts = read_parts(&out.path().join("ke-hoach-nam-2024.docx"));
    let notes = &parts["word/footnotes.xml"];
    // the text is printed as plain text: no highlighted mark, no marker left
    let note = footnotes(notes).into_iter().map(|(_, t)| t).find(|t| t.contains("99/KH-UBND")).unwrap();
    assert!(note.contains("về sản xuất GIẢ MẠO THIẾU đạt 0999.999 tấn ngược"), "{note}");
    for part in [notes, &parts["word/document.xml"]] {
        assert!(!part.contains("w:highlight"), "a highlighted mark in a final document");
        assert!(!part.chars().any(private_or_bidi));
    }
    // and the provenance lists no figure "999.999"
    let provenance = xlsx_strings(&out.path().join("ke-hoach-nam-2024-nguon-so-lieu.xlsx"));
    assert!(!provenance.iter().any(|s| s.contains("999.999")), "a faked figure is listed as traced");
}

/// Private-use characters (where the markers live) and bidi controls.
fn private_or_bidi(c: char) -> bool {
    let n = c as u32;
    (0xE000..=0xF8FF).contains(&n)
        || n >= 0xF0000
        || (0x202A..=0x202E).contains(&n)
        || (0x2066..=0x2069).contains(&n)
        || [0x200E, 0x200F, 0x061C].contains(&n)
}

/// Every string of a workbook's shared strings table.
fn xlsx_strings(path: &Path) -> Vec<String> {
    let parts = read_parts(path);
    let xml = &parts["xl/sharedStrings.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "si")
        .map(|si| si.descendants().filter(|n| n.tag_name().name() == "t").filter_map(|n| n.text()).collect())
        .collect()
}

/// A small deterministic generator (xorshift), so every run tries the same
/// strings and a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces hostile cell text is made of: markup, markers, controls, text.
const PIECES: &[&str] = &[
    "[^x]",
    "[^n]",
    "[^a]: b",
    "#",
    "# ",
    "\n# ",
    "## ",
    "*",
    "**",
    "_",
    "__",
    "\n",
    "\n\n",
    "1. ",
    "2) ",
    "- ",
    "+ ",
    "> ",
    "    ",
    "\t",
    "`",
    "```",
    "<b>",
    "&amp;",
    "&#42;",
    "{.lien}",
    "{",
    "}",
    "|",
    "~~",
    "\\",
    "===",
    "---",
    "***",
    "\u{E000}",
    "\u{E001}",
    "\u{E002}",
    "\u{E003}",
    "\u{E004}",
    "\u{E005}",
    "\u{F8FF}",
    "\u{F0000}",
    "\u{10FFFD}",
    "\u{202A}",
    "\u{202E}",
    "\u{2066}",
    "\u{2069}",
    "\u{200E}",
    "\u{200F}",
    "\u{061C}",
    "12",
    "3",
    "0",
    "999.999",
    "thiếu số liệu: ",
    "a",
    "Lạng Sơn",
    " ",
    "  ",
    "!",
    "[",
    "]",
    "(",
    ")",
    "[x](y)",
    "<http://x>",
    "$",
    "^",
    ":",
    "\r",
    "\u{0}",
    "\u{7}",
    "\u{7f}",
    "  \n",
    "\u{a0}",
    "[GIẢ MẠO]",
    "%",
    "'",
    "\"",
    ".",
    "=",
];

fn hostile(rng: &mut Rng) -> String {
    (0..1 + rng.below(12)).map(|_| PIECES[rng.below(PIECES.len())]).collect()
}

/// Where a cell's text lands in a fragment: a heading, the start of a
/// line, mid-sentence, a list item, a footnote; beside one printed figure.
const FRAGMENT: &str = "### Đề mục {{ danh_muc(nhom=\"x\", cuoi=\"\") }}\n\n\
{{ danh_muc(nhom=\"x\", cuoi=\"\") }} đầu dòng.\n\n\
Giữa câu {{ danh_muc(nhom=\"x\", cuoi=\"\") }} cuối[^n].\n\n\
- Mục {{ danh_muc(nhom=\"x\", cuoi=\"\") }}\n\n\
Số {{ f.htx_moi.th | so }} ha {{ dia_ban(nhom=\"x\") }}.\n\n\
[^n]: Chú thích {{ danh_muc(nhom=\"x\", cuoi=\"\") }}\n";

/// The shape of a document: blocks (heading numbers, paragraph or not) and
/// the kinds of their inlines, and the footnotes'.
fn shape(doc: &Document) -> Vec<String> {
    let kinds = |inl: &[Inline]| -> String {
        inl.iter()
            .filter_map(|i| match i {
                Inline::Text { .. } => None,
                Inline::FootnoteRef(n) => Some(format!("ref{n}")),
                Inline::LineBreak => Some("br".into()),
                Inline::Missing(_) => Some("missing".into()),
                Inline::Figure { id, .. } => Some(format!("figure{id}")),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out: Vec<String> = doc
        .body
        .iter()
        .map(|b| match b {
            Block::Heading(h) => format!("heading {} [{}]", h.number, kinds(&h.title)),
            Block::Paragraph { lead, inlines } => {
                format!("para {:?} [{}]", lead.as_ref().map(|h| h.number.clone()), kinds(inlines))
            }
        })
        .collect();
    for (n, note) in doc.notes.iter().enumerate() {
        out.push(format!("note {n} {} [{}]", note.len(), note.iter().map(|p| kinds(p)).collect::<String>()));
    }
    out
}

/// The fragment rendered with one list row holding `cell` (and the unit
/// "BS" as its place), in a final (not draft) document.
fn render_with(def: &ReportDef, cell: &str) -> Result<Document, String> {
    let origin = Origin::new("x.xlsx", "Danh mục", 4, 2);
    let mut figures = Figures::default();
    figures.items.push((
        "CLO".into(),
        ListItem { group: "x".into(), content: cell.into(), area: Some("BSO".into()), origin: origin.clone() },
    ));
    figures.figures.insert(
        ("htx_moi".into(), Column::Actual),
        Figure {
            indicator: "htx_moi".into(),
            column: Column::Actual,
            total: Some(Decimal::from(12)),
            contributions: vec![],
            missing: vec![],
        },
    );
    baocao::render::render(def, &Arc::new(figures), baocao::render::RenderOptions { draft: false, stamp: None })
        .map(|r| r.document)
        .map_err(|e| format!("{e:#}"))
}

#[test]
fn no_cell_text_can_make_a_footnote_heading_marker_or_figure() {
    let mut def = def();
    def.fragments = vec![("10-x.md.tera".into(), FRAGMENT.into())];
    let reference = render_with(&def, "chữ").unwrap();
    let expected = shape(&reference);
    assert_eq!(expected.iter().filter(|s| s.contains("figure0")).count(), 1, "{expected:#?}");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..1000 {
        let raw = hostile(&mut rng);
        // as a cell reaches the renderer (sanitised at ingest), and as it
        // is, unsanitised: the escaping alone must hold too
        let cell = baocao::vi::sanitize_inline(&raw);
        for (what, text) in [("sanitised", cell.as_str()), ("raw", raw.as_str())] {
            if text.trim().is_empty() {
                continue;
            }
            let doc = render_with(&def, text).unwrap_or_else(|e| panic!("round {round}, {what} {text:?}: {e}"));
            assert_eq!(shape(&doc), expected, "round {round}, {what} {text:?}");
            let all: String = doc
                .body
                .iter()
                .map(|b| match b {
                    Block::Heading(h) => plain_text(&h.title),
                    Block::Paragraph { inlines, .. } => plain_text(inlines),
                })
                .chain(doc.notes.iter().flatten().map(|p| plain_text(p)))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(!all.chars().any(private_or_bidi), "round {round}, {what} {text:?}");
            // printed exactly as typed (a list row loses its final "." or
            // ";"), everywhere it is used
            let shown = text.trim_end_matches(['.', ';']).trim_end();
            if what == "sanitised" && !shown.is_empty() {
                let times = all.matches(shown).count();
                assert!(times >= 5, "round {round}: {text:?} printed {times} times in\n{all}");
            }
        }
    }
}

// ------------------------------------------------------------------ 2. hidden sheets

/// The sample inputs checked with Cao Lộc's form replaced by `fixture`.
fn check_replacing_clo(fixture: &str) -> baocao::Checked {
    let dir = inputs_copy();
    fs::remove_file(dir.path().join("huyen/CLO-cao-loc.xlsx")).unwrap();
    fs::copy(root().join("tests/fixtures").join(fixture), dir.path().join("huyen").join(fixture)).unwrap();
    baocao::check(&def(), dir.path()).unwrap()
}

/// Cao Lộc's values as summed: (indicator, column, value, sheet).
fn clo_values(c: &baocao::Checked) -> Vec<(String, Column, Decimal, String)> {
    let mut v: Vec<_> = c
        .figures
        .figures
        .values()
        .flat_map(|f| f.contributions.iter().map(move |x| (f, x)))
        .filter(|(_, x)| &*x.unit == "CLO")
        .map(|(f, x)| (f.indicator.clone(), f.column, x.value, x.origin.sheet().to_string()))
        .collect();
    v.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    v
}

#[test]
fn a_hidden_copy_of_the_form_is_never_summed_and_is_named() {
    let sample = baocao::check(&def(), &root().join("inputs")).unwrap();
    let c = check_replacing_clo("trang-an.xlsx");
    assert!(!clo_values(&sample).is_empty());
    assert_eq!(clo_values(&c), clo_values(&sample), "the visible sheet's figures, not the hidden copy's");
    let hidden: Vec<_> = c.diagnostics.iter().filter(|d| d.message.contains("bị ẩn")).collect();
    assert_eq!(hidden.len(), 1, "{:#?}", c.diagnostics);
    let d = hidden[0];
    assert_eq!(d.severity, baocao::model::Severity::Warning);
    assert_eq!((d.file.as_str(), d.sheet.as_deref()), ("huyen/trang-an.xlsx", Some("Chỉ tiêu (bản cũ)")));
    assert!(d.message.contains("không được dùng") && !d.hint.is_empty(), "{d:?}");
}

// ------------------------------------------------------------------ 3. init

#[test]
fn init_adds_no_sample_to_an_existing_inputs_folder() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    // a clerk with one real submission so far
    fs::create_dir(dir.join("inputs")).unwrap();
    fs::copy(root().join("inputs/huyen/CLO-cao-loc.xlsx"), dir.join("inputs/CLO.xlsx")).unwrap();
    let o = bin().args(["init", dir.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("đã có nên không chép bộ biểu mẫu mẫu vào"), "{}", text(&o.stdout));
    let inputs: Vec<_> =
        walkdir::WalkDir::new(dir.join("inputs")).into_iter().flatten().filter(|e| e.file_type().is_file()).collect();
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert!(dir.join("templates/ke-hoach-nam/report.toml").is_file() && dir.join("output").is_dir());
    // so the units that have not sent are still missing
    let o = bin().arg("check").current_dir(dir).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout).matches("chưa nộp báo cáo").count(), 21, "{}", text(&o.stdout));
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_symlink() {
    use std::os::unix::fs::symlink;
    let work = tempfile::tempdir().unwrap();
    let outside = work.path().join("ngoai");
    let dir = work.path().join("lam-viec");
    fs::create_dir(&dir).unwrap();
    // a dangling link where the how-to goes, pointing out of the folder
    symlink(outside.join("LÀM-THẾ-NÀO.txt"), dir.join("LÀM-THẾ-NÀO.txt")).unwrap();
    fs::create_dir(&outside).unwrap();
    let o = bin().args(["init", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("là một liên kết (symlink)"), "{}", text(&o.stderr));
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "written outside the folder");
    assert!(!dir.join("templates").exists(), "nothing written when refusing");
    // a linked folder on the way is refused the same way
    fs::remove_file(dir.join("LÀM-THẾ-NÀO.txt")).unwrap();
    symlink(&outside, dir.join("templates")).unwrap();
    let o = bin().args(["init", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("templates"), "{}", text(&o.stderr));
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "written outside the folder");
}

// ------------------------------------------------------------------ 4, 7. the output set

const SET: [&str; 4] = [
    "ke-hoach-nam-2024.docx",
    "ke-hoach-nam-2024.html",
    "phu-luc-01-SXNLN.xlsx",
    "ke-hoach-nam-2024-nguon-so-lieu.xlsx",
];

/// An output folder holding the sample's set, and inputs that change it
/// (Cao Lộc's corrected copy).
fn built_and_changed() -> (tempfile::TempDir, tempfile::TempDir, Vec<Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let o = build(&root().join("inputs"), out.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let before: Vec<Vec<u8>> = SET.iter().map(|f| fs::read(out.path().join(f)).unwrap()).collect();
    let inputs = inputs_copy();
    fs::copy(root().join("tests/fixtures/sua-so-lieu.xlsx"), inputs.path().join("huyen/sua-so-lieu.xlsx")).unwrap();
    (out, inputs, before)
}

fn now(out: &Path) -> Vec<Vec<u8>> {
    SET.iter().map(|f| fs::read(out.join(f)).unwrap()).collect()
}

#[test]
fn a_full_disk_replaces_no_file_of_the_set_and_says_so() {
    let (out, inputs, before) = built_and_changed();
    // the provenance cannot be written ("No space left on device"; the
    // debug binary's fault hook, as a disk that fills up during the build)
    let o = build_env(inputs.path(), out.path(), ("BAOCAO_TEST_FAIL_WRITE", "ke-hoach-nam-2024-nguon-so-lieu.xlsx"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("nguon-so-lieu.xlsx") && err.contains("Chưa thay tệp nào"), "{err}");
    for f in SET {
        assert!(err.contains(f), "{f} not named: {err}");
    }
    assert!(now(out.path()) == before, "a mixed set was left");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), SET.len(), "temporaries left behind");
}

fn build_env(inputs: &Path, out: &Path, (k, v): (&str, &str)) -> Output {
    bin()
        .args(["--inputs", inputs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .current_dir(root())
        .env(k, v)
        .output()
        .unwrap()
}

#[test]
fn a_kill_between_two_renames_is_announced_by_the_next_run() {
    let (out, inputs, before) = built_and_changed();
    let mut child = bin()
        .args(["--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS", "2500")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // killed right after the document is replaced, before the others are
    let docx = out.path().join(SET[0]);
    let start = std::time::Instant::now();
    while fs::read(&docx).unwrap() == before[0] && start.elapsed() < std::time::Duration::from_secs(90) {
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    child.kill().unwrap();
    let _ = child.wait();
    let mid = now(out.path());
    assert!(mid[0] != before[0] && mid[2] == before[2], "not killed between the renames");
    // the next run says which files are new and which old
    let o = bin().args(["check", "--out", out.path().to_str().unwrap()]).current_dir(root()).output().unwrap();
    let err = text(&o.stderr);
    let warning = err.lines().find(|l| l.contains("bị dừng giữa chừng")).unwrap_or_else(|| panic!("{err}"));
    let (new, old) = warning.split_once("còn là bản cũ").unwrap();
    assert!(new.contains(SET[0]) && !new.contains(SET[2]), "{warning}");
    assert!(old.contains(SET[1]) && old.contains(SET[2]), "{warning}");
    // a full build puts a whole set back, and the warning goes
    let o = build(inputs.path(), out.path(), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!out.path().join(".baocao-ghi-do.txt").exists());
    let o = build(inputs.path(), out.path(), &[]);
    assert!(!text(&o.stderr).contains("bị dừng giữa chừng"), "{}", text(&o.stderr));
}

#[cfg(unix)]
#[test]
fn outputs_are_created_with_the_umask_mode_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg("umask 002; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_baocao"))
            .args(args)
            .args(["--out", out.path().to_str().unwrap()])
            .current_dir(root())
            .output()
            .unwrap()
    };
    let mode = |f: &str| fs::metadata(out.path().join(f)).unwrap().permissions().mode() & 0o777;
    assert!(run(&[]).status.success());
    assert!(run(&["check"]).status.success());
    for f in SET.iter().chain(&["kiem-tra.xlsx"]) {
        assert_eq!(mode(f), 0o664, "{f}: a colleague in the group must be able to open it");
    }
    // a mode the clerk set is kept when the file is replaced
    fs::set_permissions(out.path().join(SET[0]), fs::Permissions::from_mode(0o644)).unwrap();
    assert!(run(&[]).status.success());
    assert_eq!(mode(SET[0]), 0o644);
}

#[test]
fn the_fault_hooks_of_the_crash_tests_are_not_in_the_release_binary() {
    for (file, hook) in [
        ("src/output.rs", "\"BAOCAO_TEST_PAUSE_BEFORE_RENAME_MS\""),
        ("src/output.rs", "\"BAOCAO_TEST_FAIL_WRITE\""),
        ("src/rollover.rs", "\"BAOCAO_TEST_FAIL_KY_MOI\""),
    ] {
        let src = fs::read_to_string(root().join(file)).unwrap();
        let at = src.find(hook).unwrap_or_else(|| panic!("{hook}"));
        let before = &src[..at];
        let gate = &before[before.rfind("#[cfg(").expect("a cfg attribute")..];
        assert!(gate.starts_with("#[cfg(debug_assertions)]") && gate.matches("\nfn ").count() == 1, "{gate}");
        assert_eq!(src.matches(hook).count(), 1, "{hook} read elsewhere");
    }
}

// ------------------------------------------------------------------ 5. watch

/// `baocao watch` running on a copy of the sample inputs, its output lines
/// collected as they come.
struct Watching {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
    work: tempfile::TempDir,
}

impl Watching {
    fn start() -> Watching {
        use std::io::BufRead;
        let work = tempfile::tempdir().unwrap();
        copy_dir(&root().join("inputs"), &work.path().join("inputs"));
        let mut child = bin()
            .args(["watch", "--inputs", "inputs", "--out", "out"])
            .current_dir(work.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut w = Watching { child, lines, seen: Vec::new(), work };
        assert!(w.wait_for("Đã đọc 22 đơn vị", 90), "no first build: {:#?}", w.seen);
        w
    }

    fn inputs(&self) -> std::path::PathBuf {
        self.work.path().join("inputs")
    }

    /// Waits for a line containing `needle`.
    fn wait_for(&mut self, needle: &str, secs: u64) -> bool {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(secs) {
            if let Ok(l) = self.lines.recv_timeout(std::time::Duration::from_millis(200)) {
                let hit = l.contains(needle);
                self.seen.push(l);
                if hit {
                    return true;
                }
            }
        }
        false
    }

    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        while let Ok(l) = self.lines.try_recv() {
            self.seen.push(l);
        }
        self.seen
    }
}

#[test]
fn watch_waits_for_a_copy_that_pauses_mid_file() {
    let mut w = Watching::start();
    // a copy from a slow share: half the file, a pause of seconds, the rest
    let corrected = fs::read(root().join("tests/fixtures/sua-so-lieu.xlsx")).unwrap();
    let target = w.inputs().join("huyen/sua-so-lieu.xlsx");
    fs::write(&target, &corrected[..corrected.len() / 2]).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    {
        use std::io::Write;
        let mut f = fs::OpenOptions::new().append(true).open(&target).unwrap();
        f.write_all(&corrected[corrected.len() / 2..]).unwrap();
    }
    let changed = w.wait_for("10 → 11 — do tệp huyen/sua-so-lieu.xlsx (CLO)", 90);
    let seen = w.stop();
    assert!(changed, "{seen:#?}");
    let read_half = seen.iter().filter(|l| l.contains("sua-so-lieu.xlsx") && l.contains("[lỗi]")).count();
    assert_eq!(read_half, 0, "a half-copied file was read: {seen:#?}");
}

#[test]
fn watch_sees_the_inputs_folder_again_after_it_is_deleted_and_recreated() {
    let mut w = Watching::start();
    fs::remove_dir_all(w.inputs()).unwrap();
    // (it says so, and does not try to build without a folder)
    w.wait_for("đã bị xóa", 10);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    copy_dir(&root().join("inputs"), &w.inputs());
    fs::copy(root().join("tests/fixtures/sua-so-lieu.xlsx"), w.inputs().join("huyen/sua-so-lieu.xlsx")).unwrap();
    let changed = w.wait_for("10 → 11 — do tệp huyen/sua-so-lieu.xlsx (CLO)", 90);
    let seen = w.stop();
    assert!(changed, "{seen:#?}");
}

// ------------------------------------------------------------------ 6. a closed stdout

#[test]
fn a_closed_stdout_ends_the_printing_not_the_command() {
    let inputs = inputs_copy();
    fs::write(inputs.path().join("huyen/BSO-bac-son.xlsx"), b"").unwrap();
    let out = tempfile::tempdir().unwrap();
    for args in [&["check"][..], &[][..]] {
        // `baocao check | head -1`: the reader is gone before anything is printed
        let mut child = bin()
            .args(args)
            .args(["--inputs", inputs.path().to_str().unwrap(), "--out", out.path().to_str().unwrap()])
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = text(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(1), "{args:?}: the exit code of the errors found: {err}");
    }
    assert!(out.path().join("kiem-tra.xlsx").is_file(), "the findings are written first");
}

// ------------------------------------------------------------------ 8. huge cells, many findings

/// Cao Lộc's form with `edit` applied to its indicator sheet, given the
/// cell of its new cooperatives in the column «TH kỳ báo cáo».
fn clo_form_with(edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet, (u32, u16))) -> Vec<u8> {
    refilled_with(
        "huyen/CLO-cao-loc.xlsx",
        |_| {},
        |ws, def, unit| edit(ws, baocao::forms::value_cell(def, unit, "htx_moi", Column::Actual, false).unwrap()),
    )
}

fn check_in(inputs: &Path, out: &Path) -> Output {
    bin()
        .args(["check", "--inputs", inputs.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn a_cell_of_excel_s_maximum_length_is_quoted_short_and_the_findings_written() {
    let long = "a".repeat(32_767);
    let bytes = clo_form_with(|ws, (r, c)| {
        ws.write_string(r, c, &long).unwrap();
    });
    let inputs = inputs_with("huyen/CLO-cao-loc.xlsx", &bytes);
    let out = tempfile::tempdir().unwrap();
    let o = check_in(inputs.path(), out.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    let line = stdout.lines().find(|l| l.contains("không phải là số")).unwrap();
    assert!(line.contains(&format!("«{}…» không phải là số", "a".repeat(199))), "{line}");
    assert!(line.chars().count() < 500, "{} characters", line.chars().count());
    let strings = xlsx_strings(&out.path().join("kiem-tra.xlsx"));
    assert!(strings.iter().any(|s| s.contains("aaaa…» không phải là số")));
    assert!(strings.iter().all(|s| s.encode_utf16().count() <= 32_767));
}

#[test]
fn many_findings_of_one_kind_are_summed_up() {
    let bytes = clo_form_with(|ws, (_, c)| {
        for r in 200..3200 {
            ws.write_string(r, 1, "htx_moi").unwrap();
            ws.write_number(r, c, 1.0).unwrap();
        }
    });
    let inputs = inputs_with("huyen/CLO-cao-loc.xlsx", &bytes);
    let out = tempfile::tempdir().unwrap();
    let o = check_in(inputs.path(), out.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert_eq!(stdout.lines().filter(|l| l.contains("ghi hai lần")).count(), 50);
    assert!(stdout.contains("… và 2.950 lỗi cùng loại"), "{stdout}");
    // the count is the true one
    assert!(stdout.contains(": 3.000 lỗi, "), "{}", stdout.lines().last().unwrap_or(""));
    let rows = xlsx_strings(&out.path().join("kiem-tra.xlsx"));
    assert_eq!(rows.iter().filter(|s| s.contains("ghi hai lần")).count(), 50);
    assert!(rows.iter().any(|s| s == "… và 2.950 lỗi cùng loại"));
    // and a build says no more
    let o = build(inputs.path(), out.path(), &[]);
    let err = text(&o.stderr);
    assert_eq!(err.lines().filter(|l| l.contains("ghi hai lần")).count(), 50);
    assert!(err.contains("… và 2.950 lỗi cùng loại"));
}

// ------------------------------------------------------------------ 9. a form typed in TCVN3

#[test]
fn a_form_typed_entirely_in_tcvn3_is_recognised_converted_and_warned_about_once() {
    let c = check_replacing_clo("tcvn3-ca-bieu-mau.xlsx");
    let file = "huyen/tcvn3-ca-bieu-mau.xlsx";
    let mine: Vec<_> = c.diagnostics.iter().filter(|d| d.file == file).collect();
    assert_eq!(mine.len(), 1, "{mine:#?}");
    assert_eq!(mine[0].severity, baocao::model::Severity::Warning);
    assert!(mine[0].message.contains("bảng mã cũ TCVN3") && mine[0].message.contains("tiêu đề"), "{mine:#?}");
    assert_eq!(c.errors(), 0, "{:#?}", c.diagnostics);
    // the same figures as the form typed in Unicode
    let without_sheet =
        |v: Vec<(String, Column, Decimal, String)>| -> Vec<_> { v.into_iter().map(|(i, c, x, _)| (i, c, x)).collect() };
    let sample = baocao::check(&def(), &root().join("inputs")).unwrap();
    assert_eq!(without_sheet(clo_values(&c)), without_sheet(clo_values(&sample)));
    let sub = c.submissions.iter().find(|s| s.unit == "CLO").unwrap();
    assert_eq!(sub.period, def().report.period.kind_words(), "converted");
}

// ------------------------------------------------------------------ 10. --pdf

#[test]
fn a_pdf_asked_for_and_not_written_is_a_failure() {
    let out = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["--pdf", "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("không tạo được bản PDF") && err.contains("chưa cài LibreOffice"), "{err}");
    assert!(out.path().join("ke-hoach-nam-2024.docx").is_file(), "the document is written all the same");
}

#[cfg(unix)]
#[test]
fn what_a_killed_pdf_run_left_is_removed_by_the_next() {
    let out = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let old = |p: &Path| {
        fs::create_dir_all(p).unwrap();
        fs::write(p.join("x"), b"x").unwrap();
        let ok = Command::new("touch").args(["-d", "2 hours ago"]).arg(p).status().unwrap().success();
        assert!(ok);
    };
    // a PDF work folder and a LibreOffice profile of a killed run
    old(&out.path().join(".baocao-pdf-Ab12Cd"));
    old(&tmp.path().join("baocao-libreoffice-Ef34Gh"));
    // and those of a conversion running now
    fs::create_dir(out.path().join(".baocao-pdf-now")).unwrap();
    fs::create_dir(tmp.path().join("baocao-libreoffice-now")).unwrap();
    let o = bin()
        .args(["--pdf", "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("PATH", "")
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!out.path().join(".baocao-pdf-Ab12Cd").exists() && !tmp.path().join("baocao-libreoffice-Ef34Gh").exists());
    assert!(out.path().join(".baocao-pdf-now").exists() && tmp.path().join("baocao-libreoffice-now").exists());
}

// ------------------------------------------------------------------ 11. first use

#[test]
fn the_readme_s_examples_are_true() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    // no stray control character ("\b" once became a backspace)
    let bad: Vec<(usize, &str)> =
        readme.lines().enumerate().filter(|(_, l)| l.chars().any(|c| c.is_control() && c != '\t')).collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(readme.contains(r"baocao init D:\bao-cao-6-thang"));

    // the example of an error: a value cell of the unit's form, and the very line the program prints
    let line = readme.lines().map(str::trim).find(|l| l.starts_with("[lỗi] huyen/DLA-dinh-lap.xlsx")).unwrap();
    let cell = line.split("ô ").nth(1).and_then(|r| r.split(':').next()).unwrap();
    let (col, row) = cell.split_at(cell.find(|c: char| c.is_ascii_digit()).unwrap());
    let at = (row.parse::<u32>().unwrap() - 1, col.bytes().fold(0u16, |n, b| n * 26 + u16::from(b - b'A' + 1)) - 1);
    let mut value_cell = false;
    let bytes = refilled_with(
        "huyen/DLA-dinh-lap.xlsx",
        |_| {},
        |ws, def, unit| {
            value_cell = def.catalog.indicators.iter().any(|i| {
                Column::ALL.iter().any(|c| baocao::forms::value_cell(def, unit, &i.code, *c, false) == Some(at))
            });
            ws.write_string(at.0, at.1, "hai").unwrap();
        },
    );
    assert!(value_cell, "ô {cell} is not a value cell of the form");
    let inputs = inputs_with("huyen/DLA-dinh-lap.xlsx", &bytes);
    let out = tempfile::tempdir().unwrap();
    let o = build(inputs.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).lines().any(|l| l == line), "{line:?} not printed:\n{}", text(&o.stderr));

    // check exits 0 without a templates folder (the built-in report), 2 when it cannot run
    let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("2 khi không chạy được (ví dụ thư mục ghi sau `--inputs` hay `--templates` không có)"));
    let work = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), &work.path().join("inputs"));
    let o = bin().arg("check").current_dir(work.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for args in [["--inputs", "khong-co"], ["--templates", "khong-co"]] {
        let o = bin().arg("check").args(args).current_dir(work.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_new_user_s_commands_get_useful_answers() {
    let run = |args: &[&str]| bin().args(args).current_dir(root()).output().unwrap();
    let o = run(&["help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("Cách dùng: baocao [LỆNH]"), "{}", text(&o.stdout));
    let o = run(&["help", "check"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("Cách dùng: baocao check"), "{}", text(&o.stdout));
    let o = run(&["foo"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("không có lệnh «foo»") && err.contains("build, check, forms, watch, init, serve, ky-moi"),
        "{err}"
    );
    let o = run(&["chek"]);
    assert!(text(&o.stderr).contains("(có phải «check»?)"), "{}", text(&o.stderr));
    for args in [&["--inputs"][..], &["check", "--out"][..]] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2));
        assert!(text(&o.stderr).contains("thiếu giá trị sau «--"), "{args:?}: {}", text(&o.stderr));
    }
}

#[test]
fn an_invalid_limit_variable_is_an_error_naming_it() {
    let out = tempfile::tempdir().unwrap();
    for (cmd, value) in [("check", "abc"), ("check", "0.5"), ("build", "0.5")] {
        let o = bin()
            .args([cmd, "--out", out.path().to_str().unwrap()])
            .current_dir(root())
            .env("BAOCAO_MAX_FILE_MB", value)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{cmd} with {value}");
        let err = text(&o.stderr);
        assert!(err.contains(&format!("BAOCAO_MAX_FILE_MB=«{value}» không hợp lệ")) && err.contains("ví dụ"), "{err}");
    }
    // a number as a person writes it is fine
    let o = bin()
        .args(["check", "--out", out.path().to_str().unwrap()])
        .current_dir(root())
        .env("BAOCAO_MAX_FILE_MB", "2.000")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn lock_files_pass_silently_and_devices_fifos_and_sockets_are_named() {
    let inputs = inputs_copy();
    fs::write(inputs.path().join("huyen/~$CLO-cao-loc.xlsx"), b"lock").unwrap();
    let mut expected = vec![];
    #[cfg(unix)]
    {
        let fifo = inputs.path().join("ong-dan.xlsx");
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let _socket = std::os::unix::net::UnixListener::bind(inputs.path().join("socket.xlsx")).unwrap();
        std::os::unix::fs::symlink("/dev/null", inputs.path().join("thiet-bi.xlsx")).unwrap();
        expected = vec!["ong-dan.xlsx", "socket.xlsx", "thiet-bi.xlsx"];
    }
    let c = baocao::check(&def(), inputs.path()).unwrap();
    assert!(!c.diagnostics.iter().any(|d| d.file.contains("~$")), "{:#?}", c.diagnostics);
    for name in expected {
        let d = c.diagnostics.iter().find(|d| d.file == name).unwrap_or_else(|| panic!("{name}: {:#?}", c.diagnostics));
        assert!(d.message.contains("không phải tệp thường"), "{d:?}");
    }
}

#[test]
fn an_empty_inputs_folder_says_what_to_do() {
    let work = tempfile::tempdir().unwrap();
    fs::create_dir(work.path().join("inputs")).unwrap();
    let o = bin().arg("check").current_dir(work.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("chưa có tệp bảng tính nào") && stdout.contains("baocao init"), "{stdout}");
}

// ------------------------------------------------------------------ 12. CI

#[test]
fn ci_uses_a_venv_pins_cargo_fuzz_and_runs_what_the_readme_says() {
    let ci = fs::read_to_string(root().join(".ci/run")).unwrap();
    let code: String = ci.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    // Debian's system Python refuses pip ("externally-managed-environment")
    assert!(code.contains("python3-venv") && code.contains("python3 -m venv"), "{code}");
    for line in code.lines().filter(|l| l.contains("pip ") || l.contains("pip3")) {
        assert!(line.contains("$venv/bin/pip"), "pip outside the venv: {line}");
    }
    let install = code.lines().find(|l| l.contains("cargo install cargo-fuzz")).expect("cargo-fuzz installed");
    assert!(install.contains("--version") && install.contains("--locked"), "{install}");
    assert!(code.contains("CARGO_FUZZ_VERSION=0."), "a pinned version");
    // the tests that need tools run in CI, and the README says how
    assert!(code.contains("cargo test --locked -- --include-ignored"), "{code}");
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("`cargo test -- --include-ignored`")
            && readme.contains("`cargo test --locked -- --include-ignored`")
    );
}

#[test]
fn the_tests_that_need_tools_are_ignored_with_a_reason() {
    // every test running LibreOffice, poppler or the schema validator: a
    // plain `cargo test` lists it as ignored instead of passing it unrun
    for entry in fs::read_dir(root().join("tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("hostile.rs") {
            continue;
        }
        let src = fs::read_to_string(&path).unwrap();
        for tool in ["\"soffice\"", "\"pdftotext\"", "\"pdfinfo\"", "\"openxml-audit\""] {
            for (at, _) in src.match_indices(tool) {
                let head = &src[..at];
                let Some(start) = head.rfind("\nfn ") else { continue };
                let attrs = &head[head[..start].rfind("\n\n").unwrap_or(0)..start];
                assert!(
                    attrs.contains("#[ignore = \"needs "),
                    "{}: a test running {tool} is not #[ignore = \"needs …\"]",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_rust_version_is_the_highest_the_locked_dependencies_need() {
    let o = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|n| n.parse().unwrap()).chain([0, 0]).take(3).collect() };
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["name"] == "baocao").unwrap()["rust_version"].as_str().unwrap();
    let needed = packages
        .iter()
        .filter(|p| p["name"] != "baocao")
        .filter_map(|p| p["rust_version"].as_str())
        .max_by_key(|v| version(v))
        .unwrap();
    assert_eq!(version(ours), version(needed), "rust-version {ours}, the dependencies need {needed}");
}

/// A sheet name is text from the unit too: its bidi controls never reach a
/// message (they would reorder what the clerk reads).
#[test]
fn sheet_names_reach_messages_without_bidi_controls() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Thông\u{202E}tin").unwrap();
    for (r, (k, v)) in [("Mã đơn vị", "CLO"), ("Kỳ báo cáo", "6 tháng"), ("Năm", "2023")].iter().enumerate()
    {
        ws.write_string(r as u32, 0, *k).unwrap();
        ws.write_string(r as u32, 1, *v).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Chỉ\u{2066}tiêu").unwrap();
    ws.write_string(0, 0, "Mã chỉ tiêu").unwrap();
    ws.write_string(0, 1, "TH kỳ báo cáo").unwrap();
    ws.write_string(1, 0, "khong_co").unwrap();
    ws.write_number(1, 1, 1.0).unwrap();
    wb.save(dir.path().join("la.xlsx")).unwrap();
    let def = baocao::config::ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap();
    let checked = baocao::check(&def, dir.path()).unwrap();
    let named: Vec<&baocao::model::Diagnostic> = checked.diagnostics.iter().filter(|d| d.file == "la.xlsx").collect();
    assert!(named.iter().any(|d| d.sheet.as_deref() == Some("Chỉtiêu")), "{named:#?}");
    for d in named {
        let shown = d.to_string();
        assert!(!shown.chars().any(private_or_bidi), "{shown:?}");
    }
}
