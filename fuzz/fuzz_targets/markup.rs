//! Arbitrary text as template output: the markup → blocks parser must
//! return a document or a Vietnamese error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = baocao::render::markup::parse(&text);
});
