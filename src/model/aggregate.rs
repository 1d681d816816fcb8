//! Submissions → figures: per indicator and column, the total and each
//! unit's contribution with the cell it came from. Derived indicators (sums
//! of other indicators) are computed here, never typed by anyone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::config::{Aggregation, ReportDef};
use crate::model::{Column, Diagnostic, DocumentRef, ListItem, Origin, Submission};

/// One unit's share of a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Unit code, shared by all the contributions of one submission.
    pub unit: Arc<str>,
    pub value: Decimal,
    pub origin: Origin,
    /// For derived figures: the part indicator this value belongs to.
    pub part: Option<Arc<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub indicator: String,
    pub column: Column,
    /// `None` when no unit reported it (never silently zero).
    pub total: Option<Decimal>,
    /// In units.toml order.
    pub contributions: Vec<Contribution>,
    /// Units expected to report this figure that gave no (valid) number:
    /// a total without them would be silently short.
    pub missing: Vec<String>,
}

impl Figure {
    /// Contributions summed per unit (a derived figure has one value per part).
    pub fn by_unit(&self) -> Vec<(String, Decimal)> {
        let mut out: Vec<(String, Decimal)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for c in &self.contributions {
            match at.get(&*c.unit) {
                Some(&i) => out[i].1 += c.value,
                None => {
                    at.insert(&c.unit, out.len());
                    out.push((c.unit.to_string(), c.value));
                }
            }
        }
        out
    }
}

/// Everything the text is written from.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub figures: BTreeMap<(String, Column), Figure>,
    /// Documents for footnotes: (unit, document), in units.toml then row order.
    pub documents: Vec<(String, DocumentRef)>,
    /// List rows: (unit, item), same order.
    pub items: Vec<(String, ListItem)>,
    /// Remarks on source cells, for the provenance: a cell taken from the
    /// archive of an earlier period says which period and column.
    pub notes: BTreeMap<Origin, String>,
}

impl Figures {
    pub fn get(&self, indicator: &str, column: Column) -> Option<&Figure> {
        self.figures.get(&(indicator.to_string(), column))
    }

    /// Number of figures that have a value.
    pub fn computed(&self) -> usize {
        self.figures.values().filter(|f| f.total.is_some()).count()
    }
}

/// Sums the submissions per indicator and column. Linear in the number of
/// values submitted: entries are bucketed once, units looked up by index.
/// The entries move from the submissions into the figures' contributions
/// (each value is held once: a large roll-up has millions), leaving each
/// submission's `entries` empty.
pub fn aggregate(def: &ReportDef, subs: &mut [Submission]) -> (Figures, Vec<Diagnostic>) {
    let rank: FastMap<&str, usize> = def.units.units.iter().enumerate().map(|(i, u)| (u.code.as_str(), i)).collect();
    let rank_of = |unit: &str| rank.get(unit).copied().unwrap_or(usize::MAX);
    let ranks: Vec<u32> = subs.iter().map(|s| rank_of(&s.unit) as u32).collect();
    let mut order: Vec<usize> = (0..subs.len()).collect();
    order.sort_by(|&a, &b| (ranks[a], &subs[a].file).cmp(&(ranks[b], &subs[b].file)));

    // the catalog's summed indicators, by code: each value lands in its
    // (indicator, column) bucket by an index, not a hash of the pair
    let summed: Vec<&crate::config::Indicator> = def.catalog.indicators.iter().filter(|i| !i.is_derived()).collect();
    let slot: FastMap<&str, usize> = summed.iter().enumerate().map(|(i, ind)| (&*ind.code, i)).collect();
    let column_at = |c: Column| Column::ALL.iter().position(|x| *x == c).unwrap_or(0);
    // each entry's bucket, looked up once and on every core (NONE: an
    // indicator the catalog does not sum)
    const NONE: u32 = u32::MAX;
    let slots: Vec<Vec<u32>> = subs
        .par_iter()
        .map(|s| {
            s.entries
                .iter()
                .map(|e| slot.get(&*e.indicator).map_or(NONE, |i| (i * Column::ALL.len() + column_at(e.column)) as u32))
                .collect()
        })
        .collect();
    // sized exactly first: doubling vectors would hold up to twice the
    // millions of contributions a large roll-up has
    let mut sizes = vec![0usize; summed.len() * Column::ALL.len()];
    for &b in slots.iter().flatten().filter(|&&b| b != NONE) {
        sizes[b as usize] += 1;
    }
    // each bucket's contributions, and beside them their units' ranks
    let mut buckets: Vec<(Vec<Contribution>, Vec<u32>)> =
        sizes.iter().map(|&n| (Vec::with_capacity(n), Vec::with_capacity(n))).collect();
    for &i in &order {
        let unit: Arc<str> = subs[i].unit.as_str().into();
        for (e, &b) in std::mem::take(&mut subs[i].entries).into_iter().zip(&slots[i]) {
            if b != NONE {
                let bucket = &mut buckets[b as usize];
                bucket.0.push(Contribution { unit: unit.clone(), value: e.value, origin: e.origin, part: None });
                bucket.1.push(ranks[i]);
            }
        }
    }
    drop(slots);
    let subs: &[Submission] = subs;
    let ordered: Vec<&Submission> = order.iter().map(|&i| &subs[i]).collect();

    // the summed figures, an indicator per task: its columns' totals and
    // missing units (the units expected to report it, in units.toml order)
    type Summed = Vec<(Figure, Vec<u32>, Option<Diagnostic>)>;
    let per_indicator: Vec<Summed> = summed
        .par_iter()
        .zip(buckets.par_chunks_mut(Column::ALL.len()))
        .map(|(ind, columns)| {
            let expected: Vec<(u32, &str)> = def
                .units
                .units
                .iter()
                .filter(|u| def.reports(ind, u))
                .map(|u| (rank_of(&u.code) as u32, u.code.as_str()))
                .collect();
            Column::ALL
                .into_iter()
                .zip(columns)
                .map(|(column, bucket)| {
                    let (contributions, unit_ranks) = std::mem::take(bucket);
                    let (total, diag) = total_of(ind, column, &contributions);
                    let missing = missing_units(&expected, &unit_ranks);
                    let figure = Figure { indicator: ind.code.to_string(), column, total, contributions, missing };
                    (figure, unit_ranks, diag)
                })
                .collect()
        })
        .collect();
    let mut diags = Vec::new();
    let mut figures = BTreeMap::new();
    // the ranks behind each summed figure, for the derived ones
    let mut ranks_of: HashMap<(String, Column), Vec<u32>> = HashMap::new();
    for (figure, unit_ranks, diag) in per_indicator.into_iter().flatten() {
        diags.extend(diag);
        let key = (figure.indicator.clone(), figure.column);
        ranks_of.insert(key.clone(), unit_ranks);
        figures.insert(key, figure);
    }

    // the derived figures, an indicator per task: parts are summed
    // indicators only (the catalog refuses a sum of sums)
    let derived: Vec<&crate::config::Indicator> = def.catalog.indicators.iter().filter(|i| i.is_derived()).collect();
    let made: Vec<Vec<Figure>> = derived
        .par_iter()
        .map(|ind| {
            Column::ALL
                .into_iter()
                .map(|column| {
                    let parts: Vec<(&Figure, &[u32])> = ind
                        .sum_of
                        .iter()
                        .filter_map(|p| {
                            let key = (p.clone(), column);
                            figures.get(&key).map(|f| (f, ranks_of.get(&key).map(Vec::as_slice).unwrap_or(&[])))
                        })
                        .collect();
                    let total = parts.iter().map(|(f, _)| f.total).sum::<Option<Decimal>>();
                    let mut ranked: Vec<(u32, Contribution)> = parts
                        .iter()
                        .flat_map(|(f, r)| {
                            let part: Arc<str> = f.indicator.as_str().into();
                            f.contributions.iter().enumerate().map(move |(j, c)| {
                                let rank = r.get(j).copied().unwrap_or_else(|| rank_of(&c.unit) as u32);
                                (rank, Contribution { part: Some(part.clone()), ..c.clone() })
                            })
                        })
                        .collect();
                    // stable: a unit's parts stay in the catalog's order
                    ranked.sort_by_key(|(r, _)| *r);
                    let contributions: Vec<Contribution> = ranked.into_iter().map(|(_, c)| c).collect();
                    let mut missing: Vec<String> = parts
                        .iter()
                        .flat_map(|(p, _)| p.missing.iter().cloned())
                        .collect::<HashSet<String>>()
                        .into_iter()
                        .collect();
                    missing.sort_by_key(|u| rank_of(u));
                    Figure { indicator: ind.code.to_string(), column, total, contributions, missing }
                })
                .collect()
        })
        .collect();
    for figure in made.into_iter().flatten() {
        figures.insert((figure.indicator.clone(), figure.column), figure);
    }

    let documents = ordered.iter().flat_map(|s| s.documents.iter().map(|d| (s.unit.clone(), d.clone()))).collect();
    let items = ordered.iter().flat_map(|s| s.items.iter().map(|i| (s.unit.clone(), i.clone()))).collect();
    (Figures { figures, documents, items, notes: BTreeMap::new() }, diags)
}

/// The total of a summed figure from its contributions: `None` when there
/// are none, or when an indicator only one unit reports has several
/// (which is an error, returned beside it).
fn total_of(
    ind: &crate::config::Indicator,
    column: Column,
    contributions: &[Contribution],
) -> (Option<Decimal>, Option<Diagnostic>) {
    match (ind.aggregation, contributions.len()) {
        (_, 0) => (None, None),
        (Aggregation::Sum, _) => (Some(contributions.iter().map(|c| c.value).sum()), None),
        (Aggregation::One, 1) => (Some(contributions[0].value), None),
        (Aggregation::One, _) => {
            let who: Vec<String> = contributions.iter().map(|c| format!("{} ({})", c.unit, c.origin)).collect();
            let diag = Diagnostic::error(
                contributions[1].origin.file(),
                format!(
                    "chỉ tiêu «{}», cột «{}» chỉ do một đơn vị báo cáo nhưng có {} đơn vị ghi số: {}",
                    ind.name,
                    column.label(),
                    contributions.len(),
                    who.join("; ")
                ),
            )
            .at(&contributions[1].origin)
            .hint("Chỉ đơn vị phụ trách ghi số chỉ tiêu này");
            (None, Some(diag))
        }
    }
}

/// The expected units (rank, code) that gave no value. `ranks` are the
/// ranks of the units of the contributions, in order: a unit's rank is the
/// rank of its code, so a unit is there when its rank is. Both lists are in
/// rank order, so one walk along both answers (thousands of units expected
/// for each of hundreds of figures: a search per unit was most of the sum).
fn missing_units(expected: &[(u32, &str)], ranks: &[u32]) -> Vec<String> {
    let mut given = ranks.iter().copied().peekable();
    let mut missing = Vec::new();
    for &(rank, code) in expected {
        while given.next_if(|&r| r < rank).is_some() {}
        if given.peek() != Some(&rank) {
            missing.push(code.to_string());
        }
    }
    missing
}

/// Hash maps keyed by short codes, looked up for each of millions of
/// values: FxHash, not SipHash.
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Catalog, Indicator, ReportDef, Unit, Units};
    use crate::model::Entry;

    fn unit(code: &str, kind: &str) -> Unit {
        Unit {
            code: code.into(),
            name: code.into(),
            name_in_text: format!("huyện {code}"),
            short_name: code.into(),
            kind: kind.into(),
        }
    }

    fn ind(code: &str, units: &[&str], sum_of: &[&str], aggregation: Aggregation) -> Indicator {
        Indicator {
            code: code.into(),
            name: code.into(),
            measure: "con".into(),
            group: String::new(),
            units: units.iter().map(|s| s.to_string()).collect(),
            aggregation,
            sum_of: sum_of.iter().map(|s| s.to_string()).collect(),
            decimals: 0,
            signed: false,
            max_change: None,
        }
    }

    fn def() -> ReportDef {
        let texts = |files: &[(&str, &str)]| files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let files = crate::config::Files {
            own: texts(&[
                ("report.toml", include_str!("../../templates/ke-hoach-nam/report.toml")),
                ("00.md.tera", ""),
            ]),
            shared: texts(&[
                ("chung.toml", include_str!("../../templates/chung.toml")),
                ("catalog.toml", include_str!("../../templates/catalog.toml")),
                ("units.toml", include_str!("../../templates/units.toml")),
            ]),
        };
        let report = ReportDef::from_files(std::path::Path::new("mau/thu"), &files).unwrap().report;
        ReportDef {
            dir: Default::default(),
            kind: "thu".into(),
            report,
            catalog: Catalog {
                max_change: 50.into(),
                relations: vec![],
                document_groups: vec![],
                list_groups: vec![],
                index: Default::default(),
                indicators: vec![
                    ind("htx", &["huyen"], &[], Aggregation::Sum),
                    ind("trau_bo", &["CNTY"], &[], Aggregation::Sum),
                    ind("lon", &["CNTY"], &[], Aggregation::Sum),
                    ind("tiem", &[], &["trau_bo", "lon"], Aggregation::Sum),
                    ind("che_phu", &["KL"], &[], Aggregation::One),
                ],
            },
            units: Units::new(vec![
                unit("TP", "huyen"),
                unit("VQ", "huyen"),
                unit("CNTY", "chi_cuc"),
                unit("KL", "chi_cuc"),
            ]),
            fragments: vec![],
            includes: vec![],
            appendix: None,
            inputs_key: String::new(),
            documents: vec![],
            narrative: Default::default(),
        }
    }

    fn sub(unit: &str, entries: &[(&str, Column, &str)]) -> Submission {
        Submission {
            unit: unit.into(),
            file: format!("{unit}.xlsx"),
            period: "6 tháng".into(),
            year: 2023,
            report_date: None,
            entries: entries
                .iter()
                .enumerate()
                .map(|(i, (ind, col, v))| Entry {
                    indicator: (*ind).into(),
                    column: *col,
                    value: v.parse().unwrap(),
                    origin: Origin::new(&format!("{unit}.xlsx"), "Chỉ tiêu", i as u32 + 4, 5),
                })
                .collect(),
            blanks: vec![],
            rejected: vec![],
            sheet: "Chỉ tiêu".into(),
            documents: vec![],
            items: vec![],
        }
    }

    #[test]
    fn sums_units_and_keeps_contributions_in_unit_order() {
        let def = def();
        // VQ submitted before TP on disk; the breakdown follows units.toml
        let mut subs = vec![
            sub("VQ", &[("htx", Column::Actual, "3")]),
            sub("TP", &[("htx", Column::Actual, "2"), ("htx", Column::Plan, "4")]),
        ];
        let (figs, diags) = aggregate(&def, &mut subs);
        assert!(diags.is_empty());
        let f = figs.get("htx", Column::Actual).unwrap();
        assert_eq!(f.total, Some("5".parse().unwrap()));
        let units: Vec<&str> = f.contributions.iter().map(|c| &*c.unit).collect();
        assert_eq!(units, ["TP", "VQ"]);
        assert_eq!(f.contributions[1].origin.cell(), "F5");
        // only TP planned: the plan total is TP's
        assert_eq!(figs.get("htx", Column::Plan).unwrap().total, Some("4".parse().unwrap()));
        // nobody reported the estimate: no figure, not zero
        assert_eq!(figs.get("htx", Column::Estimate).unwrap().total, None);
    }

    #[test]
    fn derived_totals_are_sums_of_their_parts() {
        let def = def();
        let mut subs = vec![sub(
            "CNTY",
            &[
                ("trau_bo", Column::Actual, "83467"),
                ("lon", Column::Actual, "58712.5"),
                ("trau_bo", Column::SamePeriodLastYear, "1"),
            ],
        )];
        let (figs, _) = aggregate(&def, &mut subs);
        let total = figs.get("tiem", Column::Actual).unwrap();
        assert_eq!(total.total, Some("142179.5".parse().unwrap()));
        assert_eq!(total.contributions.len(), 2);
        assert_eq!(total.contributions[1].part.as_deref(), Some("lon"));
        // a part missing in a column leaves the total missing
        assert_eq!(figs.get("tiem", Column::SamePeriodLastYear).unwrap().total, None);
    }

    #[test]
    fn missing_units_are_those_expected_without_a_rank_given() {
        let expected = [(0, "A"), (2, "B"), (3, "C"), (7, "D"), (9, "E")];
        // ranks of contributions: in order, a unit may give several
        // (a derived figure's parts), some not expected at all
        for given in [&[][..], &[0, 2, 3, 7, 9], &[1, 2, 2, 8], &[9], &[0, 0, 5, 7, 7, 10], &[4, 5, 6]] {
            let by_search: Vec<String> =
                expected.iter().filter(|(r, _)| given.binary_search(r).is_err()).map(|(_, c)| c.to_string()).collect();
            assert_eq!(missing_units(&expected, given), by_search, "{given:?}");
        }
        assert_eq!(missing_units(&expected, &[2, 9]), ["A", "C", "D"]);
    }

    #[test]
    fn single_unit_indicators_refuse_two_reporters() {
        let mut def = def();
        def.catalog.indicators[4].units = vec!["chi_cuc".into()];
        let mut subs = vec![
            sub("CNTY", &[("che_phu", Column::Actual, "64.2")]),
            sub("KL", &[("che_phu", Column::Actual, "64.2")]),
        ];
        let (figs, diags) = aggregate(&def, &mut subs);
        assert_eq!(figs.get("che_phu", Column::Actual).unwrap().total, None);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("chỉ do một đơn vị báo cáo"), "{}", diags[0].message);
    }
}
