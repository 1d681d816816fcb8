//! The appendix table of the model as a table of the document: every number
//! a printed figure (recorded, so it has a provenance like the text's), a
//! total that lacks some unit's number a visible gap in a draft.

use rust_decimal::Decimal;

use super::Use;
use crate::config::ReportDef;
use crate::doc::{Appendix, Cell, CellKind, Inline, Table};
use crate::model::appendix::{Row, Table as Data};
use crate::model::{Column, Figures};
use crate::vi;

/// The columns of the appendix read from the units' forms.
pub const COLUMNS: [Column; 4] = [Column::PrevYear, Column::Plan, Column::Estimate, Column::NextPlan];

/// Relative widths: STT, Chỉ tiêu, ĐVT, TH năm trước, KH, Ước TH, Ước/KH,
/// Ước/cùng kỳ, KH năm sau (in twips of a landscape A4 text width).
const WIDTHS: [u32; 9] = [700, 4300, 1300, 1350, 1350, 1350, 1200, 1200, 1253];

pub fn appendix(def: &ReportDef, data: &Data, figures: &Figures, uses: &mut Vec<Use>) -> Appendix {
    let heading = |t: &str| Cell::text(CellKind::Heading, t);
    let header = vec![
        data.headers().iter().map(|h| heading(h)).collect(),
        (1..=WIDTHS.len()).map(|i| heading(&format!("({i})"))).collect(),
    ];
    let mut rows = Vec::new();
    for row in &data.rows {
        match row {
            Row::Group { ordinal, name } => {
                let mut group = Cell::text(CellKind::Group, name.as_str());
                group.span = WIDTHS.len() - 1;
                rows.push(vec![heading(ordinal), group]);
            }
            Row::Item(it) => {
                let mut figure = |value: Option<Decimal>, text: String, refs: Vec<Column>, how: &str| {
                    let refs: Vec<(String, Column)> = refs.into_iter().map(|c| (it.code.clone(), c)).collect();
                    let incomplete: Vec<&str> = refs
                        .iter()
                        .filter_map(|(code, col)| figures.get(code, *col))
                        .filter(|f| !f.missing.is_empty())
                        .map(|f| f.column.label())
                        .collect();
                    let content = match value {
                        Some(v) => {
                            uses.push(Use {
                                printed: text.clone(),
                                value: Some(v),
                                figures: refs,
                                how: how.to_string(),
                                missing: false,
                                rows: vec![],
                            });
                            vec![Inline::Figure { id: uses.len() - 1, text, bold: false, italic: false }]
                        }
                        None if !incomplete.is_empty() => {
                            vec![Inline::Missing(format!("thiếu số liệu: {}", incomplete.join(", ")))]
                        }
                        None => vec![],
                    };
                    Cell::new(CellKind::Number, content)
                };
                let number =
                    |v: Option<Decimal>| v.map(|v| vi::format_number(v, it.decimals, false)).unwrap_or_default();
                let pct = |v: Option<Decimal>| v.map(|v| vi::format_number(v, 1, false)).unwrap_or_default();
                let cells = vec![
                    Cell::text(CellKind::Centred, it.ordinal.to_string()),
                    Cell::text(CellKind::Text, it.name.as_str()),
                    Cell::text(CellKind::Centred, it.measure.as_str()),
                    figure(it.prev_year, number(it.prev_year), vec![Column::PrevYear], "số"),
                    figure(it.plan, number(it.plan), vec![Column::Plan], "số"),
                    figure(it.estimate, number(it.estimate), vec![Column::Estimate], "số"),
                    figure(
                        it.estimate_vs_plan,
                        pct(it.estimate_vs_plan),
                        vec![Column::Estimate, Column::Plan],
                        "tỷ lệ (%)",
                    ),
                    figure(
                        it.estimate_vs_prev,
                        pct(it.estimate_vs_prev),
                        vec![Column::Estimate, Column::PrevYear],
                        "tỷ lệ (%)",
                    ),
                    figure(it.next_plan, number(it.next_plan), vec![Column::NextPlan], "số"),
                ];
                rows.push(cells);
            }
        }
    }
    Appendix {
        label: format!("Phụ lục {}", data.number),
        title: data.title.to_uppercase(),
        attached: super::meta::attached_to(&def.report),
        landscape: true,
        table: Table { widths: WIDTHS.to_vec(), header, rows },
    }
}
