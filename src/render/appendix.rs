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
pub const COLUMNS: [Column; 4] = [Column::ThTruoc, Column::Kh, Column::Uoc, Column::KhSau];

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
            Row::Group { stt, name } => {
                let mut group = Cell::text(CellKind::Group, name.as_str());
                group.span = WIDTHS.len() - 1;
                rows.push(vec![heading(stt), group]);
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
                    Cell::text(CellKind::Centred, it.stt.to_string()),
                    Cell::text(CellKind::Text, it.name.as_str()),
                    Cell::text(CellKind::Centred, it.dvt.as_str()),
                    figure(it.th_truoc, number(it.th_truoc), vec![Column::ThTruoc], "số"),
                    figure(it.kh, number(it.kh), vec![Column::Kh], "số"),
                    figure(it.uoc, number(it.uoc), vec![Column::Uoc], "số"),
                    figure(it.uoc_vs_kh, pct(it.uoc_vs_kh), vec![Column::Uoc, Column::Kh], "tỷ lệ (%)"),
                    figure(it.uoc_vs_truoc, pct(it.uoc_vs_truoc), vec![Column::Uoc, Column::ThTruoc], "tỷ lệ (%)"),
                    figure(it.kh_sau, number(it.kh_sau), vec![Column::KhSau], "số"),
                ];
                rows.push(cells);
            }
        }
    }
    Appendix {
        label: format!("Phụ lục {}", data.so),
        title: data.title.to_uppercase(),
        attached: super::meta::attached_to(&def.report),
        landscape: true,
        table: Table { widths: WIDTHS.to_vec(), header, rows },
    }
}
