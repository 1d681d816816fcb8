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
    "ô văn bản cần, cùng lúc viết chữ (usage + required ∥ render)",
    "viết chữ (render: đã làm cùng lúc ở dòng trên)",
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
        let started = Instant::now();
        let (t, kb, live) = stages_once(&templates, &inputs, &out, draft)?;
        let whole = started.elapsed();
        let words: Vec<String> = t.iter().map(|d| d.as_nanos().to_string()).collect();
        let kbs: Vec<String> = kb.iter().map(|k| k.to_string()).collect();
        let lives: Vec<String> = live.iter().map(|k| k.to_string()).collect();
        println!(
            "nanos={} stages={} stage_kb={} live_kb={} peak_kb={} heap_peak_kb={}",
            whole.as_nanos(),
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

#[derive(Default)]
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
    // the command-line program, process start included, beside the floor
    let out = tempfile::tempdir()?;
    shipped(&templates, &inputs, out.path(), false, 0)?;
    let (mut all, mut floors) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        all.push(shipped(&templates, &inputs, out.path(), false, 0)?);
        floors.push(floor(&inputs, out.path())?.0);
    }
    let (w, c) = (median_of(&all, |c| c.wall), median_of(&all, |c| c.cpu));
    let (fw, fc) = (median_of(&floors, |c| c.wall), median_of(&floors, |c| c.cpu));
    say!("| | thời gian (ms) | CPU (ms) |\n|---|---:|---:|");
    say!("| chương trình `baocao` (kể cả khởi động tiến trình) | {} | {} |", ms(w), ms(c));
    say!("| sàn (đọc, giải nén mọi tệp; ghi lại các tệp ra) | {} | {} |", ms(fw), ms(fc));
    say!("| gấp sàn | ×{:.1} | ×{:.1} |\n", w.as_secs_f64() / fw.as_secs_f64(), c.as_secs_f64() / fc.as_secs_f64());
    say!(
        "Bộ nhớ lớn nhất của chương trình `baocao`: {:.1} MB. Tải của máy (loadavg): {}\n",
        all.iter().map(|c| c.peak_kb).max().unwrap_or(0) as f64 / 1024.0,
        load()
    );
    Ok(())
}

/// Wall and CPU time (user + system) of one measured piece of work, and the
/// peak resident memory of its process (KB).
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    wall: Duration,
    cpu: Duration,
    peak_kb: u64,
}

fn cpu_of(r: &libc::rusage) -> Duration {
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(r.ru_utime) + t(r.ru_stime)
}

/// CPU time (user + system) of this process so far.
fn own_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let mut r: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
    cpu_of(&r)
}

/// Runs `cmd` to its end, timing it; its own CPU time and peak memory come
/// from wait4, so they are this process's alone. Standard error is kept for
/// the message when it fails.
fn run_timed(mut cmd: Command) -> Result<(Cost, String)> {
    let err = tempfile::tempfile()?;
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::piped()).stderr(err.try_clone()?);
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().expect("piped"), &mut out)?;
    let mut status = 0;
    // SAFETY: wait4 on our own child, which std has not reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    if pid < 0 {
        bail!("wait4: {}", std::io::Error::last_os_error());
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let mut e = String::new();
        let mut err = err;
        std::io::Seek::rewind(&mut err)?;
        std::io::Read::read_to_string(&mut err, &mut e)?;
        bail!("{cmd:?} failed: {out}{e}");
    }
    Ok((Cost { wall, cpu: cpu_of(&usage), peak_kb: usage.ru_maxrss as u64 }, out))
}

/// The shipped program `baocao` building the inputs into `out`, with
/// `threads` reading threads (0: every core).
fn shipped(templates: &Path, inputs: &Path, out: &Path, draft: bool, threads: usize) -> Result<Cost> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.arg("--templates").arg(templates).arg("--inputs").arg(inputs).arg("--out").arg(out);
    if draft {
        cmd.arg("--nhap");
    }
    if threads > 0 {
        cmd.env("RAYON_NUM_THREADS", threads.to_string());
    } else {
        cmd.env_remove("RAYON_NUM_THREADS");
    }
    Ok(run_timed(cmd)?.0)
}

/// The workbooks of `inputs` as baocao finds them (same extensions).
fn workbooks(inputs: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(inputs).sort_by_file_name() {
        let e = e?;
        let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
        if e.file_type().is_file() && baocao::ingest::EXTENSIONS.contains(&ext.as_str()) {
            out.push(e.into_path());
        }
    }
    Ok(out)
}

/// Child process: the floor, the least any tool must do with these inputs
/// and outputs, on one thread: read every workbook and inflate every member
/// of it (zip, the same inflater as calamine), then write the bytes of the
/// outputs baocao wrote (`--outputs`) as new files. Printed as `key=value`.
fn floor_child(args: &[String]) -> Result<()> {
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let inputs = get("--inputs").context("--inputs")?;
    let outputs = get("--outputs").context("--outputs")?;
    let out = get("--out").context("--out")?;
    // not timed: what to read, and the bytes to write
    let paths = workbooks(&inputs)?;
    let mut written: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for e in std::fs::read_dir(&outputs)? {
        let e = e?;
        if e.file_type()?.is_file() {
            written.push((out.join(e.file_name()), std::fs::read(e.path())?));
        }
    }
    let started = Instant::now();
    let cpu = own_cpu();
    let mut member = Vec::new();
    let mut inflated = 0usize;
    for path in &paths {
        let bytes = std::fs::read(path)?;
        if bytes.starts_with(b"PK") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))?;
            for i in 0..zip.len() {
                member.clear();
                std::io::Read::read_to_end(&mut zip.by_index(i)?, &mut member)?;
                inflated += member.len();
            }
        } else {
            inflated += bytes.len();
        }
    }
    for (path, bytes) in &written {
        std::fs::write(path, bytes)?;
    }
    let (wall, cpu) = (started.elapsed(), own_cpu() - cpu);
    println!("wall={} cpu={} inflated={inflated}", wall.as_nanos(), cpu.as_nanos());
    Ok(())
}

/// Child process: the spreadsheet library alone, on one thread: every
/// workbook opened with calamine and every sheet's cells read into a
/// range, as the simplest tool built on it would. What baocao does on top
/// (finding the tables, checking, summing, writing) is the difference.
fn calamine_child(args: &[String]) -> Result<()> {
    use calamine::Reader;
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let inputs = get("--inputs").context("--inputs")?;
    let paths = workbooks(&inputs)?;
    let started = Instant::now();
    let cpu = own_cpu();
    let mut cells = 0usize;
    for path in &paths {
        let bytes = std::fs::read(path)?;
        // a file calamine cannot open is the checks' business, not the library's cost
        let Ok(mut wb) = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) else { continue };
        for name in wb.sheet_names() {
            if let Ok(range) = wb.worksheet_range(&name) {
                cells += range.used_cells().count();
            }
        }
    }
    let (wall, cpu) = (started.elapsed(), own_cpu() - cpu);
    println!("wall={} cpu={} cells={cells}", wall.as_nanos(), cpu.as_nanos());
    Ok(())
}

/// calamine alone on `inputs` (see [`calamine_child`]).
fn calamine_alone(inputs: &Path) -> Result<Cost> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.arg("--calamine").arg("--inputs").arg(inputs);
    let (whole, text) = run_timed(cmd)?;
    let mut cost = Cost { peak_kb: whole.peak_kb, ..Cost::default() };
    for word in text.split_whitespace() {
        match word.split_once('=') {
            Some(("wall", v)) => cost.wall = Duration::from_nanos(v.parse()?),
            Some(("cpu", v)) => cost.cpu = Duration::from_nanos(v.parse()?),
            _ => {}
        }
    }
    Ok(cost)
}

/// The floor for `inputs`, the outputs being those in `outputs`.
fn floor(inputs: &Path, outputs: &Path) -> Result<(Cost, u64)> {
    let out = tempfile::tempdir()?;
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.arg("--floor").arg("--inputs").arg(inputs).arg("--outputs").arg(outputs).arg("--out").arg(out.path());
    let (whole, text) = run_timed(cmd)?;
    let mut cost = Cost { peak_kb: whole.peak_kb, ..Cost::default() };
    let mut inflated = 0;
    for word in text.split_whitespace() {
        match word.split_once('=') {
            Some(("wall", v)) => cost.wall = Duration::from_nanos(v.parse()?),
            Some(("cpu", v)) => cost.cpu = Duration::from_nanos(v.parse()?),
            Some(("inflated", v)) => inflated = v.parse()?,
            _ => {}
        }
    }
    Ok((cost, inflated))
}

fn median_of(costs: &[Cost], f: impl Fn(&Cost) -> Duration) -> Duration {
    median(costs.iter().map(f).collect())
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

/// The machine's load when measuring (other work slows every figure).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

/// What one size measured, runs interleaved: the shipped program on every
/// core and on one, the floor, and the instrumented build (stages, memory).
struct Scale {
    n: usize,
    g: gen::Generated,
    all: Vec<Cost>,
    one: Vec<Cost>,
    floor: Vec<Cost>,
    calamine: Vec<Cost>,
    inflated: u64,
    bytes_out: u64,
    instrumented: Run,
    staged_one: Run,
}

fn scale(sizes: &[usize], runs: usize) -> Result<()> {
    let data = root().join("target/bench-data");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    say!("### Quy mô: N biểu mẫu sinh ra (benches/gen, hạt giống {SEED}), trung vị của {runs} lần\n");
    say!("Tải của máy (loadavg) lúc bắt đầu: {}\n", load());
    let mut rows: Vec<Scale> = Vec::new();
    for &n in sizes {
        let dir = data.join(n.to_string());
        let marker = dir.join(format!(".gen-{n}-{SEED}-v{}", gen::VERSION));
        let g = gen::generate_cached(&root(), n, &dir, SEED, &marker)?;
        let draft = !g.complete();
        let out = tempfile::tempdir()?;
        // a first build to warm the disk cache and give the floor its outputs
        shipped(&g.templates, &g.inputs, out.path(), draft, 0)?;
        let bytes_out = std::fs::read_dir(out.path())?
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        let mut row = Scale {
            n,
            all: Vec::new(),
            one: Vec::new(),
            floor: Vec::new(),
            calamine: Vec::new(),
            inflated: 0,
            bytes_out,
            instrumented: Run::default(),
            staged_one: Run::default(),
            g,
        };
        // interleaved, so a burst of other work on the machine touches each alike
        for _ in 0..runs {
            row.all.push(shipped(&row.g.templates, &row.g.inputs, out.path(), draft, 0)?);
            let (f, inflated) = floor(&row.g.inputs, out.path())?;
            row.floor.push(f);
            row.inflated = inflated;
            row.calamine.push(calamine_alone(&row.g.inputs)?);
            row.one.push(shipped(&row.g.templates, &row.g.inputs, out.path(), draft, 1)?);
        }
        row.instrumented = measure(&row.g.templates, &row.g.inputs, draft, runs, 0, true)?;
        row.staged_one = measure(&row.g.templates, &row.g.inputs, draft, 1, 1, true)?;
        rows.push(row);
    }
    say!("Tải của máy (loadavg) lúc xong: {}\n", load());
    say!("#### Chương trình `baocao` so với mức sàn\n");
    say!(
        "| N tệp | đơn vị | `baocao` (s) | CPU `baocao` (s) | sàn (s) | CPU sàn (s) | gấp sàn (thời gian) | gấp sàn (CPU) | bộ nhớ lớn nhất (MB) | 1 luồng đọc (s) | bản đo từng công đoạn (s) |"
    );
    say!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let (w, c) = (median_of(&r.all, |c| c.wall), median_of(&r.all, |c| c.cpu));
        let (fw, fc) = (median_of(&r.floor, |c| c.wall), median_of(&r.floor, |c| c.cpu));
        let peak = r.all.iter().chain(&r.one).map(|c| c.peak_kb).max().unwrap_or(0);
        say!(
            "| {} | {}{} | {} | {} | {} | {} | ×{:.2} | ×{:.2} | {:.0} | {} | {} |",
            r.n,
            r.g.submitting,
            if r.g.complete() { String::new() } else { format!(" / {} (dự thảo)", r.g.units) },
            secs(w),
            secs(c),
            secs(fw),
            secs(fc),
            w.as_secs_f64() / fw.as_secs_f64(),
            c.as_secs_f64() / fc.as_secs_f64(),
            peak as f64 / 1024.0,
            secs(median_of(&r.one, |c| c.wall)),
            secs(median(r.instrumented.nanos.clone())),
        );
    }
    say!(
        "\nSàn: một luồng đọc mọi tệp và giải nén mọi thành phần của nó (crate zip, cùng bộ giải nén với calamine), \
         rồi ghi lại đúng các byte `baocao` đã ghi ra thành tệp mới; không kiểm tra, không cộng, không dựng văn bản."
    );
    say!(
        "\nRiêng thư viện đọc bảng tính: một luồng mở mọi tệp bằng calamine và đọc mọi ô của mọi trang (như một công cụ \
         đơn giản nhất dùng calamine), đo trong cùng lần chạy. `baocao` phải dùng calamine, nên đây là phần CPU \
         không bớt được nếu không sửa chính thư viện.\n"
    );
    say!(
        "| N tệp | CPU sàn (s) | CPU calamine một mình (s) | calamine ÷ sàn | CPU `baocao` (s) | `baocao` ÷ calamine |"
    );
    say!("|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let c = median_of(&r.all, |c| c.cpu);
        let fc = median_of(&r.floor, |c| c.cpu);
        let lc = median_of(&r.calamine, |c| c.cpu);
        say!(
            "| {} | {} | {} | ×{:.2} | {} | ×{:.2} |",
            r.n,
            secs(fc),
            secs(lc),
            lc.as_secs_f64() / fc.as_secs_f64(),
            secs(c),
            c.as_secs_f64() / lc.as_secs_f64()
        );
    }
    say!("\n| N tệp | dung lượng giải nén (MB) | tệp ra (MB) | ms/tệp (`baocao`) | so với N trước (thời gian / số tệp) |");
    say!("|---:|---:|---:|---:|---:|");
    let mut prev: Option<(usize, Duration)> = None;
    for r in &rows {
        let w = median_of(&r.all, |c| c.wall);
        let growth = match prev {
            Some((pn, pt)) => {
                format!("×{:.2} / ×{:.0}", w.as_secs_f64() / pt.as_secs_f64(), r.n as f64 / pn as f64)
            }
            None => "—".into(),
        };
        say!(
            "| {} | {:.1} | {:.1} | {:.3} | {growth} |",
            r.n,
            r.inflated as f64 / 1e6,
            r.bytes_out as f64 / 1e6,
            w.as_secs_f64() * 1000.0 / r.n as f64
        );
        prev = Some((r.n, w));
    }
    say!("\n#### Từng công đoạn (bản đo, {cores} luồng đọc, trung vị), ms\n");
    let header: Vec<String> = rows.iter().map(|r| format!("N = {}", r.n)).collect();
    say!("| Công đoạn | {} |", header.join(" | "));
    say!("|---|{}|", rows.iter().map(|_| "---:").collect::<Vec<_>>().join("|"));
    let meds: Vec<Vec<Duration>> = rows.iter().map(|r| stage_medians(&r.instrumented.stages)).collect();
    for (i, name) in STAGES.iter().enumerate() {
        let cells: Vec<String> = meds.iter().map(|m| ms(m[i])).collect();
        say!("| {name} | {} |", cells.join(" | "));
    }
    say!("\nRiêng công đoạn đọc và kiểm tra từng tệp, 1 luồng và {cores} luồng (ms):\n");
    say!("| N tệp | 1 luồng | {cores} luồng | nhanh hơn |");
    say!("|---:|---:|---:|---:|");
    for (r, m) in rows.iter().zip(&meds) {
        let t1 = r.staged_one.stages[0][1];
        say!("| {} | {} | {} | ×{:.2} |", r.n, ms(t1), ms(m[1]), t1.as_secs_f64() / m[1].as_secs_f64());
    }
    say!("\nBộ nhớ lớn nhất (MB) đến hết từng công đoạn (bản đo):\n");
    say!("| Công đoạn | {} |", header.join(" | "));
    say!("|---|{}|", rows.iter().map(|_| "---:").collect::<Vec<_>>().join("|"));
    for (i, name) in STAGES.iter().enumerate() {
        let cells: Vec<String> =
            rows.iter().map(|r| format!("{:.0}", r.instrumented.stage_kb[i] as f64 / 1024.0)).collect();
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
    if args.first().map(String::as_str) == Some("--floor") {
        return floor_child(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("--calamine") {
        return calamine_child(&args[1..]);
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
