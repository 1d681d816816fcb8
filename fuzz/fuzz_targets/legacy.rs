//! Arbitrary text as a cell typed with the old TCVN3/VNI fonts: detection
//! and conversion must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = baocao::vi::convert_legacy(&text);
});
