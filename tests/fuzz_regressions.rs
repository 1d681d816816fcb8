//! Every input the fuzzers (fuzz/, `cargo fuzz`) found a crash with, kept
//! in tests/fixtures/fuzz/<target>/ and replayed here through the same
//! function: it must return (a bad workbook as an error), never panic.

mod common;

use std::fs;
use std::path::PathBuf;

use baocao::ingest::{read_workbook_bytes, Limits};
use common::root;

/// The saved inputs of one fuzz target (none is fine).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir: PathBuf = root().join("tests/fixtures/fuzz").join(target);
    let Ok(entries) = fs::read_dir(&dir) else { return Vec::new() };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// As fuzz/fuzz_targets/workbook.rs: the first byte picks the format.
const FORMATS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

#[test]
fn workbook_crashes_are_errors() {
    let limits = Limits { max_sheet_cells: 200_000, max_unzipped_bytes: 50_000_000, ..Limits::default() };
    let found = inputs("workbook");
    assert!(!found.is_empty(), "tests/fixtures/fuzz/workbook has the inputs the fuzzer found");
    for (name, data) in found {
        let Some((&pick, bytes)) = data.split_first() else { continue };
        let ext = FORMATS[pick as usize % FORMATS.len()];
        let result = read_workbook_bytes(bytes, ext, &name, &limits);
        let err = result.expect_err(&name);
        assert!(err.message.contains("tệp") && !err.hint.is_empty(), "{name}: {err}");
    }
}

#[test]
fn markup_crashes_are_handled() {
    for (name, data) in inputs("markup") {
        let text = String::from_utf8_lossy(&data);
        // a document or a Vietnamese error, either is fine
        let _ = baocao::render::markup::parse(&text);
        eprintln!("ok: {name}");
    }
}

#[test]
fn number_crashes_are_handled() {
    for (_, data) in inputs("number") {
        let text = String::from_utf8_lossy(&data);
        if let Some(n) = baocao::vi::parse_number_text(&text) {
            let _ = baocao::vi::format_number(n.value, n.value.scale(), true);
        }
    }
}

#[test]
fn legacy_crashes_are_handled() {
    for (_, data) in inputs("legacy") {
        let text = String::from_utf8_lossy(&data);
        let _ = baocao::vi::convert_legacy(&text);
    }
}
