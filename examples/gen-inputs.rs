//! Writes N synthetic submissions for the scale test and the benchmarks.
//!
//! cargo run --release --example gen-inputs -- N DIR [--seed S]
//!
//! DIR/templates/ is the report definition they belong to (units.toml lists
//! every generated unit), DIR/inputs/ the N workbooks. Build them with
//!
//! cargo run --release -- --templates DIR/templates --inputs DIR/inputs --out DIR/output
//!
//! (add `--nhap` when N is below the 22 sample units: the others have not
//! submitted yet). See benches/gen/mod.rs for what is written, and
//! docs/hieu-nang.md for the measurements.

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 2023_u64;
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().context("--seed needs a number")?.parse().context("--seed needs a number")?,
            _ => positional.push(a.clone()),
        }
    }
    let [n, dir] = positional.as_slice() else {
        bail!("usage: cargo run --release --example gen-inputs -- N DIR [--seed S]");
    };
    let n: usize = n.parse().context("N must be a number")?;
    let dir = PathBuf::from(dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = std::time::Instant::now();
    let g = gen::generate(root, n, &dir, seed)?;
    println!(
        "{} tệp trong {} ({} / {} đơn vị đã nộp), mẫu văn bản ở {} — {:.1} s",
        g.files,
        g.inputs.display(),
        g.submitting,
        g.units,
        g.templates.display(),
        started.elapsed().as_secs_f64()
    );
    let ugly: Vec<String> = g.ugly.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("các trường hợp xấu: {}", if ugly.is_empty() { "không có".to_string() } else { ugly.join(", ") });
    if !g.complete() {
        println!("còn đơn vị chưa nộp: chỉ tạo được bản dự thảo (--nhap)");
    }
    Ok(())
}
