//! Arbitrary bytes as a workbook: the first byte picks the format (.xlsx,
//! .xlsm, .xls, .ods), the rest is the file. Reading must never panic,
//! abort or exhaust memory: a bad file is an `Err` with a Vietnamese reason.
//! What reads is then checked against the built-in report, as a build does.
#![no_main]

use std::sync::OnceLock;

use baocao::config::ReportDef;
use baocao::ingest::{read_workbook_bytes, Limits};
use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

fn def() -> &'static ReportDef {
    static DEF: OnceLock<ReportDef> = OnceLock::new();
    DEF.get_or_init(|| baocao::embedded::report_def(baocao::embedded::DEFAULT_REPORT).expect("built-in report"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let ext = FORMATS[pick as usize % FORMATS.len()];
    // smaller limits than the defaults keep each run fast; the checks are the same
    let limits = Limits { max_sheet_cells: 200_000, max_unzipped_bytes: 50_000_000, ..Limits::default() };
    if let Ok(raw) = read_workbook_bytes(bytes, ext, "fuzz.bin", &limits) {
        let _ = baocao::model::check_one(def(), &raw);
    }
});
