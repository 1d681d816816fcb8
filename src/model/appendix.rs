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
        stt: String,
        name: String,
    },
    Item(Item),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub stt: usize,
    pub code: String,
    pub name: String,
    pub dvt: String,
    /// Decimals the catalog prints this indicator with.
    pub decimals: u32,
    pub th_truoc: Option<Decimal>,
    pub kh: Option<Decimal>,
    pub uoc: Option<Decimal>,
    /// Ước TH / KH × 100.
    pub uoc_vs_kh: Option<Decimal>,
    /// Ước TH / TH năm trước × 100.
    pub uoc_vs_truoc: Option<Decimal>,
    pub kh_sau: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// "01/SXNLN".
    pub so: String,
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
        rows.push(Row::Group { stt: crate::vi::roman(g + 1), name: group.ten.clone() });
        for code in &group.chi_tieu {
            let Some(ind) = def.indicator(code) else { continue };
            n += 1;
            // a total some expected unit has not given a number for is no total
            let value = |c: Column| figures.get(code, c).filter(|f| f.missing.is_empty()).and_then(|f| f.total);
            let (th_truoc, kh, uoc) = (value(Column::ThTruoc), value(Column::Kh), value(Column::Uoc));
            rows.push(Row::Item(Item {
                stt: n,
                code: code.clone(),
                name: ind.ten.clone(),
                dvt: ind.dvt.clone(),
                decimals: ind.le,
                th_truoc,
                kh,
                uoc,
                uoc_vs_kh: uoc.zip(kh).and_then(|(u, k)| ratio_percent(u, k)),
                uoc_vs_truoc: uoc.zip(th_truoc).and_then(|(u, t)| ratio_percent(u, t)),
                kh_sau: value(Column::KhSau),
            }));
        }
    }
    Some(Table {
        so: app.so.clone(),
        title: app.tieu_de.clone(),
        file_stem: app.ten_tep.clone(),
        year: def.period().year,
        rows,
    })
}
