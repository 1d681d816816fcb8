//! Benchmarks of the whole pipeline: the shipped sample stage by stage, and
//! end-to-end builds of N generated submissions, each in a fresh process so
//! its peak memory is its own, read on one core and on all cores.
//!
//! ```text
//! cargo bench --bench pipeline                          # everything (docs/hieu-nang.md)
//! cargo bench --bench pipeline -- sample [--runs 20]    # the sample, by stage
//! cargo bench --bench pipeline -- scale [--sizes 10,100,1000,10000] [--runs 3]
//! ```
//!
//! Generated inputs are kept in `target/bench-data/N` (same seed, same files)
//! and reused. Timings are medians of the runs; memory is the largest peak
//! resident set size (VmHWM) of the runs. Output is Markdown.

#[path = "gen/mod.rs"]
mod gen;

use std::alloc::{GlobalAlloc, Layout};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use baocao::{Progress, Stage};
use mimalloc::MiMalloc;

const SEED: u64 = 2023;

/// Prints a line of the Markdown report with Vietnamese decimal commas
/// ("2,48 ms"): a point is the thousands separator in Vietnamese.
macro_rules! say {
    () => { println!() };
    ($($t:tt)*) => { println!("{}", vn(&format!($($t)*))) };
}

fn vn(line: &str) -> String {
    let b: Vec<char> = line.chars().collect();
    (0..b.len())
        .map(|i| {
            let digits = |j: Option<usize>| j.and_then(|j| b.get(j)).is_some_and(|c| c.is_ascii_digit());
            if b[i] == '.' && digits(i.checked_sub(1)) && digits(Some(i + 1)) {
                ','
            } else {
                b[i]
            }
        })
        .collect()
}

/// The allocator of the `baocao` program (mimalloc), counting the bytes held
/// (live) and the most ever held, to tell live data from the allocator's own
/// overhead in the RSS.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            MOST.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                MOST.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// (bytes held now, most bytes ever held) in KB.
fn heap_kb() -> (u64, u64) {
    ((LIVE.load(Ordering::Relaxed) / 1024) as u64, (MOST.load(Ordering::Relaxed) / 1024) as u64)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.2}")
    }
}

/// Peak resident set size of this process, KB (Linux).
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The stages of `baocao::build_with`, in the order of [`Stage`].
const STAGES: [&str; 8] = [
    "đọc mẫu văn bản (templates)",
    "đọc và kiểm tra từng tệp (read + check, song song)",
    "ghép các tệp (combine)",
    "cộng số liệu (aggregate)",
    "ô văn bản cần (usage + required)",
    "viết chữ (render)",
    "dựng văn bản (assemble)",
    "ghi tệp (write)",
];

/// Time of each stage, the peak resident memory (KB) when it ended, and the
/// bytes held by live allocations then (KB).
type Stages = ([Duration; 8], [u64; 8], [u64; 8]);

/// Hears each stage of a build end: the time since the previous one, and
/// the memory then.
struct Laps(Mutex<(Instant, Stages)>);

impl Progress for Laps {
    fn stage(&self, done: Stage) {
        let i = done as usize;
        let mut laps = self.0.lock().expect("one build at a time");
        let (clock, t) = &mut *laps;
        t.0[i] = clock.elapsed();
        t.1[i] = peak_kb().unwrap_or(0);
        t.2[i] = heap_kb().0;
        *clock = Instant::now();
    }
}

fn options(templates: &Path, inputs: &Path, out: &Path, draft: bool) -> baocao::BuildOptions {
    baocao::BuildOptions {
        inputs: inputs.to_path_buf(),
        templates: templates.to_path_buf().into(),
        out: out.to_path_buf(),
        draft,
        limits: Default::default(),
    }
}

/// One build, `progress` hearing of it; the units read.
fn build(opts: &baocao::BuildOptions, progress: &dyn Progress) -> Result<usize> {
    match baocao::build_with(opts, progress) {
        Ok(b) => Ok(b.units),
        Err(baocao::BuildError::Inputs(d)) => bail!("{} diagnostics, first: {:?}", d.len(), d.first()),
        Err(baocao::BuildError::Other(e)) => Err(e),
    }
}

fn stages_once(templates: &Path, inputs: &Path, out: &Path, draft: bool) -> Result<Stages> {
    let laps = Laps(Mutex::new((Instant::now(), ([Duration::ZERO; 8], [0; 8], [0; 8]))));
    build(&options(templates, inputs, out, draft), &laps)?;
    Ok(laps.0.into_inner().expect("one build at a time").1)
}

fn build_once(templates: &Path, inputs: &Path, out: &Path, draft: bool) -> Result<(Duration, usize)> {
    let opts = options(templates, inputs, out, draft);
    let started = Instant::now();
    let units = build(&opts, &baocao::Quiet)?;
    Ok((started.elapsed(), units))
}

/// Child process: one measurement, printed as `key=value` words.
fn child(args: &[String]) -> Result<()> {
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let templates = get("--templates").context("--templates")?;
    let inputs = get("--inputs").context("--inputs")?;
    let out = get("--out").context("--out")?;
    let draft = args.iter().any(|a| a == "--draft");
    std::fs::create_dir_all(&out)?;
    if args.iter().any(|a| a == "--stages") {
        let (t, kb, live) = stages_once(&templates, &inputs, &out, draft)?;
        let words: Vec<String> = t.iter().map(|d| d.as_nanos().to_string()).collect();
        let kbs: Vec<String> = kb.iter().map(|k| k.to_string()).collect();
        let lives: Vec<String> = live.iter().map(|k| k.to_string()).collect();
        println!(
            "stages={} stage_kb={} live_kb={} peak_kb={} heap_peak_kb={}",
            words.join(","),
            kbs.join(","),
            lives.join(","),
            peak_kb().unwrap_or(0),
            heap_kb().1
        );
    } else {
        let (t, units) = build_once(&templates, &inputs, &out, draft)?;
        println!(
            "nanos={} peak_kb={} heap_peak_kb={} units={units}",
            t.as_nanos(),
            peak_kb().unwrap_or(0),
            heap_kb().1
        );
    }
    Ok(())
}

struct Run {
    nanos: Vec<Duration>,
    stages: Vec<[Duration; 8]>,
    /// Peak memory (KB) at the end of each stage, largest over the runs.
    stage_kb: [u64; 8],
    peak_kb: u64,
}

/// Runs the child `runs` times with `threads` reading threads (0: all cores).
fn measure(templates: &Path, inputs: &Path, draft: bool, runs: usize, threads: usize, stages: bool) -> Result<Run> {
    let exe = std::env::current_exe()?;
    let out = tempfile::tempdir()?;
    let mut run = Run { nanos: Vec::new(), stages: Vec::new(), stage_kb: [0; 8], peak_kb: 0 };
    for _ in 0..runs {
        let mut cmd = Command::new(&exe);
        cmd.arg("--child").arg("--templates").arg(templates).arg("--inputs").arg(inputs).arg("--out").arg(out.path());
        if draft {
            cmd.arg("--draft");
        }
        if stages {
            cmd.arg("--stages");
        }
        if threads > 0 {
            cmd.env("RAYON_NUM_THREADS", threads.to_string());
        } else {
            cmd.env_remove("RAYON_NUM_THREADS");
        }
        let o = cmd.output()?;
        if !o.status.success() {
            bail!("child failed: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        }
        let text = String::from_utf8_lossy(&o.stdout);
        for word in text.split_whitespace() {
            let Some((k, v)) = word.split_once('=') else { continue };
            match k {
                "nanos" => run.nanos.push(Duration::from_nanos(v.parse()?)),
                "peak_kb" => run.peak_kb = run.peak_kb.max(v.parse()?),
                "stages" => {
                    let mut t = [Duration::ZERO; 8];
                    for (i, n) in v.split(',').enumerate().take(8) {
                        t[i] = Duration::from_nanos(n.parse()?);
                    }
                    run.stages.push(t);
                }
                "stage_kb" => {
                    for (i, n) in v.split(',').enumerate().take(8) {
                        run.stage_kb[i] = run.stage_kb[i].max(n.parse()?);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(run)
}

fn stage_medians(stages: &[[Duration; 8]]) -> Vec<Duration> {
    (0..8).map(|i| median(stages.iter().map(|t| t[i]).collect())).collect()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<u64>().ok()))
        .map(|kb| format!("{:.0} GB", kb as f64 / 1_048_576.0))
        .unwrap_or_else(|| "?".into());
    format!("{cpu}, {cores} lõi, {mem} RAM, {} {}", std::env::consts::OS, std::env::consts::ARCH)
}

fn sample(runs: usize) -> Result<()> {
    let templates = root().join("templates/ke-hoach-nam");
    let inputs = root().join("inputs");
    say!("### Bản mẫu (inputs/, 22 tệp), trung vị của {runs} lần\n");
    let staged = measure(&templates, &inputs, false, runs, 0, true)?;
    let e2e = measure(&templates, &inputs, false, runs, 0, false)?;
    let med = stage_medians(&staged.stages);
    say!("| Công đoạn | ms | bộ nhớ lớn nhất đến hết công đoạn (MB) |\n|---|---:|---:|");
    for ((name, d), kb) in STAGES.iter().zip(&med).zip(staged.stage_kb) {
        say!("| {name} | {} | {:.1} |", ms(*d), kb as f64 / 1024.0);
    }
    say!("| **cộng các công đoạn** | **{}** | |", ms(med.iter().sum()));
    say!("| **cả quá trình `baocao::build` (đo riêng)** | **{}** | |", ms(median(e2e.nanos.clone())));
    say!("\nBộ nhớ lớn nhất (VmHWM) của tiến trình: {:.1} MB\n", e2e.peak_kb as f64 / 1024.0);
    // the command-line program, process start included
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_baocao"));
    let out = tempfile::tempdir()?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let o = Command::new(&exe)
            .args(["--inputs", &inputs.to_string_lossy(), "--templates", &templates.to_string_lossy(), "--out"])
            .arg(out.path())
            .output()?;
        if !o.status.success() {
            bail!("baocao failed: {}", String::from_utf8_lossy(&o.stderr));
        }
        times.push(started.elapsed());
    }
    say!("Chạy chương trình `baocao` (kể cả khởi động tiến trình): trung vị {} ms\n", ms(median(times)));
    Ok(())
}

fn scale(sizes: &[usize], runs: usize) -> Result<()> {
    let data = root().join("target/bench-data");
    say!("### Quy mô: N biểu mẫu sinh ra (examples/gen-inputs.rs, seed {SEED}), trung vị của {runs} lần\n");
    let mut rows = Vec::new();
    for &n in sizes {
        let dir = data.join(n.to_string());
        let marker = dir.join(format!(".gen-{n}-{SEED}-v{}", gen::VERSION));
        let g = gen::generate_cached(&root(), n, &dir, SEED, &marker)?;
        let draft = !g.complete();
        let r = runs;
        let one = measure(&g.templates, &g.inputs, draft, r, 1, false)?;
        let all = measure(&g.templates, &g.inputs, draft, r, 0, false)?;
        let staged = measure(&g.templates, &g.inputs, draft, 1, 0, true)?;
        let staged_one = measure(&g.templates, &g.inputs, draft, 1, 1, true)?;
        rows.push((n, g, one, all, staged, staged_one));
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    say!(
        "| N tệp | đơn vị | 1 luồng đọc (s) | {cores} luồng đọc (s) | nhanh hơn | ms/tệp ({cores} luồng) | so với N trước | bộ nhớ lớn nhất (MB) |"
    );
    say!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut prev: Option<(usize, Duration)> = None;
    for (n, g, one, all, ..) in &rows {
        let (t1, ta) = (median(one.nanos.clone()), median(all.nanos.clone()));
        let growth = match prev {
            Some((pn, pt)) => {
                format!("×{:.1} thời gian / ×{:.0} tệp", ta.as_secs_f64() / pt.as_secs_f64(), *n as f64 / pn as f64)
            }
            None => "—".into(),
        };
        say!(
            "| {n} | {}{} | {:.2} | {:.2} | ×{:.2} | {:.2} | {growth} | {:.0} |",
            g.submitting,
            if g.complete() { String::new() } else { format!(" / {} (dự thảo)", g.units) },
            t1.as_secs_f64(),
            ta.as_secs_f64(),
            t1.as_secs_f64() / ta.as_secs_f64(),
            ta.as_secs_f64() * 1000.0 / *n as f64,
            one.peak_kb.max(all.peak_kb) as f64 / 1024.0
        );
        prev = Some((*n, ta));
    }
    say!("\nRiêng công đoạn đọc và kiểm tra từng tệp (rayon), một lần chạy mỗi cách:\n");
    say!("| N tệp | 1 luồng (ms) | {cores} luồng (ms) | nhanh hơn | ms/tệp, 1 luồng | ms/tệp, {cores} luồng |");
    say!("|---:|---:|---:|---:|---:|---:|");
    for (n, _, _, _, par, seq) in &rows {
        let (t1, ta) = (seq.stages[0][1], par.stages[0][1]);
        say!(
            "| {n} | {} | {} | ×{:.2} | {:.3} | {:.3} |",
            ms(t1),
            ms(ta),
            t1.as_secs_f64() / ta.as_secs_f64(),
            t1.as_secs_f64() * 1000.0 / *n as f64,
            ta.as_secs_f64() * 1000.0 / *n as f64
        );
    }
    say!("\nTừng công đoạn ({cores} luồng đọc, một lần chạy), ms:\n");
    let header: Vec<String> = rows.iter().map(|(n, ..)| format!("N = {n}")).collect();
    say!("| Công đoạn | {} |", header.join(" | "));
    say!("|---|{}|", rows.iter().map(|_| "---:").collect::<Vec<_>>().join("|"));
    for (i, name) in STAGES.iter().enumerate() {
        let cells: Vec<String> = rows.iter().map(|(.., s, _)| ms(s.stages[0][i])).collect();
        say!("| {name} | {} |", cells.join(" | "));
    }
    say!("\nBộ nhớ lớn nhất (MB) đến hết từng công đoạn, cùng lần chạy:\n");
    say!("| Công đoạn | {} |", header.join(" | "));
    say!("|---|{}|", rows.iter().map(|_| "---:").collect::<Vec<_>>().join("|"));
    for (i, name) in STAGES.iter().enumerate() {
        let cells: Vec<String> =
            rows.iter().map(|(.., s, _)| format!("{:.0}", s.stage_kb[i] as f64 / 1024.0)).collect();
        say!("| {name} | {} |", cells.join(" | "));
    }
    say!();
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--child") {
        return child(&args[1..]);
    }
    let opt = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let runs: usize = opt("--runs").map(|r| r.parse()).transpose()?.unwrap_or(0);
    let sizes: Vec<usize> = match opt("--sizes") {
        Some(s) => s.split(',').map(|n| n.trim().parse()).collect::<Result<_, _>>()?,
        None => vec![10, 100, 1_000, 10_000],
    };
    let what = args.iter().find(|a| !a.starts_with("--") && !a.chars().all(|c| c.is_ascii_digit() || c == ','));
    say!("Máy đo: {}\n", machine());
    match what.map(String::as_str) {
        Some("sample") => sample(if runs > 0 { runs } else { 20 }),
        Some("scale") => scale(&sizes, if runs > 0 { runs } else { 3 }),
        None => {
            sample(if runs > 0 { runs } else { 20 })?;
            scale(&sizes, if runs > 0 { runs } else { 3 })
        }
        Some(other) => bail!("unknown benchmark «{other}»: sample, scale"),
    }
}
