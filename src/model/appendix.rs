//! The appendix table (Phụ lục) as plain data: group rows and indicator rows
//! with the year's figures and the two ratios, computed once here for both
//! the Word section and the spreadsheet copy.

use rust_decimal::Decimal;

use crate::config::ReportDef;
use crate::model::{Column, Figures};
use crate::vi::number::ratio_percent;

#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// "I", "Trồng trọt".
    Group {
        ordinal: String,
        name: String,
    },
    Item(Item),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub ordinal: usize,
    pub code: String,
    pub name: String,
    pub measure: String,
    /// Decimals the catalog prints this indicator with.
    pub decimals: u32,
    pub prev_year: Option<Decimal>,
    pub plan: Option<Decimal>,
    pub estimate: Option<Decimal>,
    /// Ước TH / KH × 100.
    pub estimate_vs_plan: Option<Decimal>,
    /// Ước TH / TH năm trước × 100.
    pub estimate_vs_prev: Option<Decimal>,
    pub next_plan: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// "01/SXNLN".
    pub number: String,
    pub title: String,
    pub file_stem: String,
    /// The year the estimate is for.
    pub year: i32,
    pub rows: Vec<Row>,
}

impl Table {
    /// Column headers, as printed in the document and the spreadsheet.
    pub fn headers(&self) -> [String; 9] {
        let y = self.year;
        [
            "STT".into(),
            "Chỉ tiêu".into(),
            "Đơn vị tính".into(),
            format!("TH năm {}", y - 1),
            format!("KH năm {y}"),
            format!("Ước TH năm {y}"),
            "Ước TH so KH (%)".into(),
            "Ước TH so cùng kỳ (%)".into(),
            format!("KH năm {}", y + 1),
        ]
    }
}

/// The appendix of `def`, if it has one.
pub fn appendix(def: &ReportDef, figures: &Figures) -> Option<Table> {
    let app = def.appendix.as_ref()?;
    let mut rows = Vec::new();
    let mut n = 0;
    for (g, group) in app.groups.iter().enumerate() {
        rows.push(Row::Group { ordinal: crate::vi::roman(g + 1), name: group.name.clone() });
        for code in &group.indicators {
            let Some(ind) = def.indicator(code) else { continue };
            n += 1;
            // a total some expected unit has not given a number for is no total
            let value = |c: Column| figures.get(code, c).filter(|f| f.missing.is_empty()).and_then(|f| f.total);
            let (prev_year, plan, estimate) = (value(Column::PrevYear), value(Column::Plan), value(Column::Estimate));
            rows.push(Row::Item(Item {
                ordinal: n,
                code: code.clone(),
                name: ind.name.clone(),
                measure: ind.measure.clone(),
                decimals: ind.decimals,
                prev_year,
                plan,
                estimate,
                estimate_vs_plan: estimate.zip(plan).and_then(|(u, k)| ratio_percent(u, k)),
                estimate_vs_prev: estimate.zip(prev_year).and_then(|(u, t)| ratio_percent(u, t)),
                next_plan: value(Column::NextPlan),
            }));
        }
    }
    Some(Table {
        number: app.number.clone(),
        title: app.title.clone(),
        file_stem: app.file_name.clone(),
        year: def.period().year,
        rows,
    })
}
