//! Synthetic submissions for the scale test and the benchmarks: N realistic
//! forms written through the same form writer the units receive
//! (`baocao::forms::form_workbook`), from the sample data of
//! `examples/sample-data.toml`, with a deterministic (seeded) share of the
//! ugly cases the checks handle.
//!
//! Shared by `examples/gen-inputs.rs` (the command) and `benches/pipeline.rs`.
//!
//! Layout of the output folder:
//!
//! ```text
//! DIR/templates/   the report definition (a copy of templates/, the plan in
//!                  ke-hoach-nam/; units.toml lists every generated unit)
//! DIR/inputs/      the N workbooks
//! ```
//!
//! How N maps to units:
//! - N ≤ 22 (the sample's units): the first N units of units.toml submit;
//!   the others have not yet — a build is then only possible as a draft.
//! - N > 22: one submission in a hundred is a corrected copy (a later
//!   report date) of an earlier one; the rest are units. Beyond the 22
//!   sample units, each extra unit is a district (`loai = "huyen"`, code
//!   `X00001`…) whose figures are those of one of the 11 sample districts,
//!   scaled by a factor of its own, so the sums change with N but every
//!   check that the sample passes still passes. Small counts of events
//!   (new cooperatives, outbreaks) are 0 in most extra districts, as in real
//!   commune reports; the text lists by name the units where they are not.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use baocao::config::{ReportDef, Unit};
use baocao::forms::{form_workbook, value_cell, DocRow, Fill};
use baocao::model::Column;
use chrono::{Days, NaiveDate};
use rust_decimal::prelude::*;
use rust_decimal::RoundingStrategy;

#[path = "../../examples/sample_data/mod.rs"]
mod sample_data;

use sample_data::{documents, items, Data, UnitData};

/// Bumped when the generated files change, so cached copies are rewritten.
pub const VERSION: u32 = 2;

/// What was generated.
#[derive(Debug, Clone)]
pub struct Generated {
    pub templates: PathBuf,
    pub inputs: PathBuf,
    /// Workbooks written.
    pub files: usize,
    /// Units listed in units.toml that are expected to submit.
    pub units: usize,
    /// Units that submitted (the others are missing: build a draft).
    pub submitting: usize,
    /// Ugly cases written, by kind.
    pub ugly: BTreeMap<&'static str, usize>,
}

impl Generated {
    /// Whether every expected unit submitted (a final build is possible).
    pub fn complete(&self) -> bool {
        self.submitting == self.units
    }
}

/// SplitMix64: small, fast, and the same numbers on every machine.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A factor in [lo, hi] with two decimals, e.g. `factor(85, 115)` → 0.85…1.15.
    pub fn factor(&mut self, lo: i64, hi: i64) -> Decimal {
        Decimal::new(lo + self.below((hi - lo + 1) as u64) as i64, 2)
    }
}

/// Sample districts (loai = "huyen") in units.toml order.
const SAMPLE_UNITS: usize = 22;

/// The kinds of ugly input written, and roughly how often (percent of files).
const UGLY: [(&str, u64); 6] = [
    ("so-dang-chu", 4),   // numbers typed as text: "1.234,5", "15 585"
    ("cot-them", 4),      // a column inserted before the values
    ("tcvn3", 2),         // a document row typed in TCVN3
    ("vni", 2),           // a document row typed in VNI
    ("doi-ten-trang", 2), // the indicator sheet renamed
    ("so-thuc-lech", 3),  // 0.1 + 0.2 style float noise in a value
];

/// One workbook to write.
struct Job {
    /// Index in units.toml of the generated definition.
    unit: usize,
    /// The sample unit whose figures it carries.
    source: usize,
    /// Scale of the figures (1 for the sample units themselves).
    factor: Decimal,
    /// Path below inputs/.
    path: PathBuf,
    date: NaiveDate,
    seed: u64,
}

/// Writes `n` submissions (and the template folder they belong to) into `dir`.
pub fn generate(root: &Path, n: usize, dir: &Path, seed: u64) -> Result<Generated> {
    if n == 0 {
        bail!("N must be at least 1");
    }
    let base_root = root.join("templates");
    let base = ReportDef::load(&base_root.join("ke-hoach-nam"))?;
    let data = Data::load(root)?;
    let expected: Vec<&Unit> = base.expected_units();
    if expected.len() != SAMPLE_UNITS || data.don_vi.len() != SAMPLE_UNITS {
        bail!(
            "the sample has {} units and {} forms; the generator expects {SAMPLE_UNITS}",
            expected.len(),
            data.don_vi.len()
        );
    }
    let sample_of =
        |ma: &str| data.don_vi.iter().position(|u| u.ma == ma).with_context(|| format!("no sample data for {ma}"));
    let districts: Vec<usize> =
        expected.iter().filter(|u| u.kind == "huyen").map(|u| sample_of(&u.code)).collect::<Result<_>>()?;

    // --- how many units, corrected copies, extra districts
    let revisions = if n > SAMPLE_UNITS { n / 100 } else { 0 };
    let submitting = n - revisions;
    let extra = submitting.saturating_sub(SAMPLE_UNITS);

    // --- the template folder (the plan's kind folder in a copy of templates/)
    let templates_root = dir.join("templates");
    let templates = templates_root.join("ke-hoach-nam");
    let inputs = dir.join("inputs");
    if inputs.exists() {
        fs::remove_dir_all(&inputs).with_context(|| format!("cannot clear {}", inputs.display()))?;
    }
    fs::create_dir_all(&inputs)?;
    for entry in walkdir::WalkDir::new(&base_root) {
        let entry = entry?;
        let target = templates_root.join(entry.path().strip_prefix(&base_root)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    let mut units_toml = fs::read_to_string(base_root.join("units.toml"))?;
    if extra > 0 {
        units_toml.push_str(
            "\n# ---- đơn vị thêm để thử quy mô (examples/gen-inputs.rs), mỗi đơn vị là bản sao số liệu một huyện\n",
        );
    }
    for k in 1..=extra {
        let copy = &base.units.get(&data.don_vi[districts[(k - 1) % districts.len()]].ma).expect("district").short_name;
        units_toml.push_str(&format!(
            "\n[[don_vi]]\nma = \"X{k:05}\"\nten = \"Phòng Kinh tế huyện Thử Nghiệm {k}\"\nten_trong_cau = \"huyện Thử Nghiệm {k}\"\nten_ngan = \"Thử Nghiệm {k} ({copy})\"\nloai = \"huyen\"\n"
        ));
    }
    fs::write(templates_root.join("units.toml"), units_toml)?;
    let def = ReportDef::load(&templates)?;
    let units: Vec<&Unit> = def.expected_units();

    // --- the jobs: sample units first, then extra districts, then corrected copies
    let mut jobs = Vec::with_capacity(n);
    let mut rng = Rng::new(seed);
    for (i, unit) in units.iter().enumerate().take(submitting) {
        let job = if i < SAMPLE_UNITS {
            let s = sample_of(&unit.code)?;
            let sample = &data.don_vi[s];
            let date = sample_data::date(&sample.ngay)?;
            // the sample's .xls/.ods forms are written as .xlsx (no LibreOffice here)
            let path = Path::new(&sample.tep).with_extension("xlsx");
            Job { unit: i, source: s, factor: Decimal::ONE, path, date, seed: rng.next_u64() }
        } else {
            let k = i - SAMPLE_UNITS + 1;
            let source = districts[(k - 1) % districts.len()];
            let date = NaiveDate::from_ymd_opt(2023, 6, 20).expect("date") + Days::new(rng.below(10));
            let path = PathBuf::from(format!("huyen-{:03}/{}-thu-nghiem-{k}.xlsx", (k - 1) / 500 + 1, unit.code));
            Job { unit: i, source, factor: rng.factor(70, 130), path, date, seed: rng.next_u64() }
        };
        jobs.push(job);
    }
    for r in 0..revisions {
        // a corrected copy of an earlier form, a week later
        let of = (rng.below(submitting as u64)) as usize;
        let first = &jobs[of];
        let stem = first.path.with_extension("");
        let path = PathBuf::from(format!("{}-ban-sua-{}.xlsx", stem.display(), r + 1));
        let job = Job {
            unit: first.unit,
            source: first.source,
            factor: first.factor,
            path,
            date: first.date + Days::new(7),
            seed: rng.next_u64(),
        };
        jobs.push(job);
    }

    // --- write them, on every core
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<&'static str>>> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                let (def, data, units, inputs) = (&def, &data, &units, &inputs);
                s.spawn(move || -> Result<Vec<&'static str>> {
                    let mut kinds = Vec::new();
                    for job in part {
                        kinds.extend(write_one(def, &data.don_vi[job.source], units[job.unit], job, inputs)?);
                    }
                    Ok(kinds)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("generator thread")).collect()
    });
    let mut ugly = BTreeMap::new();
    for r in results {
        for kind in r? {
            *ugly.entry(kind).or_insert(0) += 1;
        }
    }
    Ok(Generated { templates, inputs, files: jobs.len(), units: units.len(), submitting, ugly })
}

/// Rounds to the indicator's printed decimals, half away from zero.
fn round(v: Decimal, dp: u32) -> Decimal {
    v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// Every value of the unit's form: the sample's figures scaled, and the
/// columns the sample leaves empty filled with plausible neighbours (no
/// change beyond the warning threshold), totals kept no smaller than their parts.
fn values(
    def: &ReportDef,
    sample: &UnitData,
    unit: &Unit,
    factor: Decimal,
    rng: &mut Rng,
) -> Result<Vec<(String, Column, Decimal)>> {
    let mut out: BTreeMap<(String, Column), Decimal> = BTreeMap::new();
    for ind in def.catalog.indicators.iter().filter(|i| !i.is_derived() && def.reports(i, unit)) {
        let given: BTreeMap<Column, Decimal> = match sample.so_lieu.get(&*ind.code) {
            Some(cols) => cols
                .iter()
                .map(|(c, v)| Ok((Column::from_code(c).context("column")?, v.parse::<Decimal>()?)))
                .collect::<Result<_>>()?,
            None => BTreeMap::new(),
        };
        // the value the missing columns are made around
        let anchor = given
            .get(&Column::Actual)
            .or_else(|| given.values().next())
            .copied()
            .unwrap_or_else(|| Decimal::from(10 + rng.below(990)));
        // events counted in small whole numbers (new cooperatives, outbreaks)
        // are rare in any one extra district: most report 0, as communes do
        let small_count = ind.decimals == 0 && given.values().all(|v| *v <= Decimal::TEN);
        let none_here = factor != Decimal::ONE && small_count && rng.chance(96);
        for col in Column::ALL {
            let v = match given.get(&col) {
                _ if none_here => Decimal::ZERO,
                Some(v) => *v * factor,
                None => anchor * factor * rng.factor(90, 110),
            };
            out.insert((ind.code.to_string(), col), round(v, ind.decimals));
        }
    }
    for rel in &def.catalog.relations {
        for col in Column::ALL {
            let parts: Option<Decimal> = rel.parts.iter().map(|p| out.get(&(p.clone(), col)).copied()).sum();
            if let (Some(sum), Some(total)) = (parts, out.get_mut(&(rel.total.clone(), col))) {
                if *total < sum {
                    *total = sum;
                }
            }
        }
    }
    Ok(out.into_iter().map(|((i, c), v)| (i, c, v)).collect())
}

/// A number as a clerk types it into a text cell, Vietnamese style and never
/// ambiguous: "1.234,5", "98,3", "15 585".
fn typed(v: Decimal) -> String {
    let sign = if v.is_sign_negative() && !v.is_zero() { "-" } else { "" };
    let text = if v.fract().is_zero() {
        let digits = v.trunc().abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(' ');
            }
            out.push(ch);
        }
        out
    } else {
        baocao::vi::format_number(v.abs(), v.scale(), true)
    };
    format!("{sign}{text}")
}

fn write_one(def: &ReportDef, sample: &UnitData, unit: &Unit, job: &Job, inputs: &Path) -> Result<Vec<&'static str>> {
    let mut rng = Rng::new(job.seed);
    let mut kinds = Vec::new();
    let mut ugly = |name: &'static str, rng: &mut Rng| {
        let p = UGLY.iter().find(|(n, _)| *n == name).map(|(_, p)| *p).unwrap_or(0);
        let yes = rng.chance(p);
        if yes {
            kinds.push(name);
        }
        yes
    };
    let values = values(def, sample, unit, job.factor, &mut rng)?;
    let sample_unit = job.factor == Decimal::ONE;
    let mut fill = Fill {
        values: values.clone(),
        report_date: Some(job.date),
        // documents and lists belong to the sample units; copies add none
        documents: if sample_unit { documents(sample)? } else { Vec::new() },
        items: if sample_unit { items(sample) } else { Vec::new() },
        extra_column: sample.cot_them.clone(),
    };
    if fill.extra_column.is_none() && ugly("cot-them", &mut rng) {
        fill.extra_column = Some("Ghi chú của đơn vị".into());
    }
    // legacy-encoded documents go to a group no template cites ("khac")
    let legacy = [
        ("tcvn3", (2023, 3, 2), "UBND huyÖn", "C«ng v¨n", "vÒ viÖc t¨ng c\u{ad}êng phßng, chèng dÞch bÖnh gia sóc"),
        (
            "vni",
            (2023, 4, 11),
            "UBND huyeän",
            "Coâng vaên",
            "veà vieäc taêng cöôøng phoøng, choáng dòch beänh gia suùc",
        ),
    ];
    for (kind, (y, m, d), co_quan, loai, trich_yeu) in legacy {
        if ugly(kind, &mut rng) {
            fill.documents.push(DocRow {
                number_symbol: format!("{}/UBND-NN", 10 + rng.below(900)),
                date: NaiveDate::from_ymd_opt(y, m, d),
                agency: co_quan.into(),
                kind: loai.into(),
                subject: trich_yeu.into(),
                group: "khac".into(),
            });
        }
    }
    let mut wb = form_workbook(def, unit, Some(&fill))?;
    let extra = fill.extra_column.is_some();
    let sheet = baocao::forms::SHEET_INDICATORS;
    if !values.is_empty() && ugly("so-dang-chu", &mut rng) {
        for _ in 0..1 + rng.below(3) {
            let (code, col, v) = &values[rng.below(values.len() as u64) as usize];
            if let Some((r, c)) = value_cell(def, unit, code, *col, extra) {
                wb.worksheet_from_name(sheet)?.write_string(r, c, typed(*v))?;
            }
        }
    }
    if !values.is_empty() && ugly("so-thuc-lech", &mut rng) {
        let (code, col, v) = &values[rng.below(values.len() as u64) as usize];
        if let (Some((r, c)), Some(f)) = (value_cell(def, unit, code, *col, extra), v.to_f64()) {
            // what a spreadsheet keeps after summing 0.1 + 0.2: the last bits off
            let noisy = f64::from_bits(f.to_bits() + u64::from(f != 0.0));
            wb.worksheet_from_name(sheet)?.write_number(r, c, noisy)?;
        }
    }
    if ugly("doi-ten-trang", &mut rng) {
        wb.worksheet_from_name(sheet)?.set_name("Sheet2")?;
    }
    baocao::xlsx::stamp(&mut wb, job.date, &format!("Biểu mẫu {}", unit.code))?;
    let bytes = wb.save_to_buffer()?;
    let target = inputs.join(&job.path);
    fs::create_dir_all(target.parent().expect("parent"))?;
    fs::write(&target, bytes)?;
    Ok(kinds)
}

/// [`generate`], unless `marker` says the same files are already there.
pub fn generate_cached(root: &Path, n: usize, dir: &Path, seed: u64, marker: &Path) -> Result<Generated> {
    if let Ok(text) = fs::read_to_string(marker) {
        let v: Vec<usize> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        if let [files, units, submitting] = v[..] {
            return Ok(Generated {
                templates: dir.join("templates").join("ke-hoach-nam"),
                inputs: dir.join("inputs"),
                files,
                units,
                submitting,
                ugly: BTreeMap::new(),
            });
        }
    }
    let g = generate(root, n, dir, seed)?;
    fs::write(marker, format!("{} {} {}", g.files, g.units, g.submitting))?;
    Ok(g)
}
