//! The scale test: hundreds of generated submissions (the generator of the
//! benchmarks, benches/gen/mod.rs) build into the plan, every unit is read,
//! and each district-summed figure is the exact sum of one contribution per
//! district. The timings and the 10.000-file run are in docs/hieu-nang.md.

mod common;

#[path = "../benches/gen/mod.rs"]
mod gen;

use baocao::model::{Column, Severity};
use common::root;
use rust_decimal::Decimal;

#[test]
fn three_hundred_submissions_build_and_every_value_is_summed_once() {
    let dir = tempfile::tempdir().unwrap();
    let g = gen::generate(&root(), 300, dir.path(), 7).unwrap();
    assert!(g.complete(), "every expected unit submitted");
    // one corrected copy per hundred: the later one is used, with a warning
    assert_eq!(g.files, 300);
    assert_eq!(g.submitting, 297);

    let out = dir.path().join("output");
    let opts = baocao::BuildOptions {
        inputs: g.inputs.clone(),
        templates: g.templates.clone().into(),
        out: out.clone(),
        draft: false,
        limits: Default::default(),
    };
    let built = match baocao::build(&opts) {
        Ok(b) => b,
        Err(baocao::BuildError::Inputs(d)) => panic!("{:#?}", &d[..d.len().min(5)]),
        Err(baocao::BuildError::Other(e)) => panic!("{e:#}"),
    };
    assert_eq!(built.units, 297);
    assert!(built.diagnostics.iter().all(|d| d.severity == Severity::Warning));
    let copies = built.diagnostics.iter().filter(|d| d.message.contains("gửi hai tệp")).count();
    assert_eq!(copies, 3, "each corrected copy is named");

    // a district-summed figure: one contribution per district, summed exactly
    let def = baocao::config::ReportDef::load(&g.templates).unwrap();
    let districts = def.units.units.iter().filter(|u| u.kind == "huyen").count();
    assert!(districts > 250, "{districts} districts");
    let summed: Vec<_> = built
        .sums
        .figures
        .values()
        .filter(|f| f.column == Column::Actual && f.contributions.len() == districts)
        .collect();
    assert!(!summed.is_empty(), "some figure is summed over every district");
    for f in summed {
        let total: Decimal = f.contributions.iter().map(|c| c.value).sum();
        assert_eq!(f.total, Some(total), "{}", f.indicator);
        let mut units: Vec<&str> = f.contributions.iter().map(|c| &*c.unit).collect();
        units.sort();
        units.dedup();
        assert_eq!(units.len(), districts, "{}: each district once", f.indicator);
    }
    // the provenance lists every source cell of every printed figure
    let whole: usize = built.printed.iter().map(|p| baocao::provenance::sources(p, &built.sums).count()).sum();
    assert!(whole > 300 * 10, "{whole} source cells");
    assert!(out.join("ke-hoach-nam-2024-nguon-so-lieu.xlsx").is_file());
}
