//! Arbitrary text as a number typed in a cell: parsing (and printing what
//! was parsed) must never panic.
#![no_main]

use baocao::vi::{format_number, parse_number_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(n) = parse_number_text(&text) {
        let _ = format_number(n.value, n.value.scale(), true);
        if let Some(alt) = n.ambiguous {
            let _ = format_number(alt, alt.scale(), true);
        }
    }
});
