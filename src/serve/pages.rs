//! The pages: Tera templates built into the binary (HTML-escaped: every
//! text from a workbook shows as text), the overview and the findings, the
//! events stream and the static files.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_stream::{Stream, StreamExt};

use super::state::Snapshot;
use super::Desk;
use crate::model::Severity;

/// The templates, by name (`.html`: autoescaped).
const TEMPLATES: [(&str, &str); 9] = [
    ("khung.html", include_str!("assets/khung.html")),
    ("tong-quan.html", include_str!("assets/tong-quan.html")),
    ("_bang-don-vi.html", include_str!("assets/_bang-don-vi.html")),
    ("kiem-tra.html", include_str!("assets/kiem-tra.html")),
    ("_bang-kiem-tra.html", include_str!("assets/_bang-kiem-tra.html")),
    ("nop.html", include_str!("assets/nop.html")),
    ("_ket-qua-nop.html", include_str!("assets/_ket-qua-nop.html")),
    ("van-ban.html", include_str!("assets/van-ban.html")),
    ("dang-nhap.html", include_str!("assets/dang-nhap.html")),
];
const LIST_TEMPLATE: (&str, &str) = ("_danh-sach-van-ban.html", include_str!("assets/_danh-sach-van-ban.html"));

const STYLE: &str = include_str!("assets/app.css");
const SCRIPT: &str = include_str!("assets/app.js");

pub fn tera() -> anyhow::Result<tera::Tera> {
    let mut t = tera::Tera::default();
    t.autoescape_on(vec![".html"]);
    t.add_raw_templates(TEMPLATES.into_iter().chain([LIST_TEMPLATE]))
        .map_err(|e| anyhow::anyhow!("mẫu trang web lỗi: {e}"))?;
    Ok(t)
}

/// `name` rendered with `ctx` and what every page shows (period, agency,
/// token), or a plain error page.
pub fn render(desk: &Desk, name: &str, mut ctx: tera::Context) -> Response {
    let snap = desk.snapshot();
    ctx.insert("csrf", &desk.csrf);
    ctx.insert("ky", &snap.period);
    ctx.insert("co_quan", &snap.def.as_ref().map(|d| d.report.agency.short_name.clone()).unwrap_or_default());
    ctx.insert("thu_muc", &desk.root.display().to_string());
    ctx.insert("lan", &desk.lan);
    match desk.tera.render(name, &ctx) {
        Ok(html) => Html(html).into_response(),
        Err(e) => super::guard::refuse(StatusCode::INTERNAL_SERVER_ERROR, &format!("Lỗi hiển thị trang: {e}")),
    }
}

#[derive(Serialize)]
struct UnitRow<'a> {
    #[serde(rename = "stt")]
    ordinal: usize,
    #[serde(rename = "ma")]
    code: &'a str,
    #[serde(rename = "ten")]
    name: &'a str,
    #[serde(rename = "ten_ngan")]
    short_name: &'a str,
    #[serde(rename = "trang_thai")]
    status: &'static str,
    #[serde(rename = "lop")]
    class: &'static str,
    #[serde(rename = "tep")]
    files: Vec<serde_json::Value>,
    #[serde(rename = "loi")]
    errors: usize,
    #[serde(rename = "canh_bao")]
    warnings: usize,
}

fn overview_context(snap: &Snapshot) -> tera::Context {
    let rows: Vec<UnitRow> = snap
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| UnitRow {
            ordinal: i + 1,
            code: &u.code,
            name: &u.name,
            short_name: &u.short_name,
            status: u.status.label(),
            class: u.status.class(),
            files: u.files.iter().map(|(f, t)| json!({"ten": f, "luc": t})).collect(),
            errors: u.errors,
            warnings: u.warnings,
        })
        .collect();
    let count = |s: super::Status| snap.units.iter().filter(|u| u.status == s).count();
    // findings of files no expected unit can be told from (unreadable, unknown code)
    let strays: Vec<serde_json::Value> = snap
        .findings(|d, u| u.is_none() && d.file != super::state::NO_FILE)
        .into_iter()
        .map(|(d, _)| json!({"tep": d.file, "muc": d.severity.label(), "noi_dung": d.message, "de_nghi": d.hint}))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("don_vi", &rows);
    ctx.insert("tong", &snap.units.len());
    ctx.insert("da_nop", &(snap.units.len() - count(super::Status::NotSubmitted)));
    ctx.insert("chua_nop", &count(super::Status::NotSubmitted));
    ctx.insert("co_loi", &count(super::Status::HasErrors));
    // errors in the forms sent (a unit that sent nothing is counted as «chưa nộp»)
    let in_forms = snap.findings(|d, _| d.severity == Severity::Error && d.file != super::state::NO_FILE).len();
    ctx.insert("so_loi", &in_forms);
    ctx.insert("so_canh_bao", &snap.warnings());
    ctx.insert("so_tep", &snap.files);
    ctx.insert("luc", &snap.checked_at);
    ctx.insert("phien_ban", &snap.version);
    ctx.insert("van_de", &snap.problem);
    ctx.insert("bo_qua", &snap.left_out);
    ctx.insert("tep_la", &strays);
    ctx
}

/// Tổng quan.
pub async fn overview(State(desk): State<Arc<Desk>>) -> Response {
    let mut ctx = overview_context(&desk.snapshot());
    ctx.insert("trang", "tong-quan");
    render(&desk, "tong-quan.html", ctx)
}

/// The unit table alone (the page swaps it in on a change).
pub async fn overview_table(State(desk): State<Arc<Desk>>) -> Response {
    render(&desk, "_bang-don-vi.html", overview_context(&desk.snapshot()))
}

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    #[serde(rename = "don_vi")]
    unit: String,
    #[serde(default)]
    #[serde(rename = "muc")]
    level: String,
}

fn findings_context(snap: &Snapshot, f: &Filter) -> tera::Context {
    let level = match f.level.as_str() {
        "loi" => Some(Severity::Error),
        "canh-bao" => Some(Severity::Warning),
        _ => None,
    };
    let unit_name = |code: &str| {
        snap.def.as_ref().and_then(|d| d.units.get(code)).map(|u| u.name.clone()).unwrap_or_else(|| code.to_string())
    };
    let rows: Vec<serde_json::Value> = snap
        .findings(|d, u| level.is_none_or(|l| d.severity == l) && (f.unit.is_empty() || u == Some(f.unit.as_str())))
        .into_iter()
        .map(|(d, u)| {
            json!({
                "muc": d.severity.label(),
                "lop": if d.severity == Severity::Error { "loi" } else { "canh-bao" },
                "ma": u.unwrap_or(""),
                "don_vi": u.map(unit_name).unwrap_or_default(),
                "tep": d.file,
                "trang": d.sheet.clone().unwrap_or_default(),
                "o": d.cell.clone().unwrap_or_default(),
                "noi_dung": d.message,
                "de_nghi": d.hint,
            })
        })
        .collect();
    let units: Vec<serde_json::Value> = snap
        .units
        .iter()
        .map(|u| json!({"ma": u.code, "ten": u.name, "loi": u.errors, "canh_bao": u.warnings, "chua_nop": u.status == super::Status::NotSubmitted}))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("dong", &rows);
    ctx.insert("cac_don_vi", &units);
    ctx.insert("chon_don_vi", &f.unit);
    ctx.insert("chon_muc", &f.level);
    ctx.insert("so_loi", &snap.errors());
    ctx.insert("so_canh_bao", &snap.warnings());
    ctx.insert("luc", &snap.checked_at);
    ctx.insert("van_de", &snap.problem);
    if !f.unit.is_empty() {
        ctx.insert("thu", &reply_letter(snap, &f.unit));
        ctx.insert("ten_don_vi", &unit_name(&f.unit));
    }
    ctx
}

/// Kiểm tra.
pub async fn findings(State(desk): State<Arc<Desk>>, Query(f): Query<Filter>) -> Response {
    let mut ctx = findings_context(&desk.snapshot(), &f);
    ctx.insert("trang", "kiem-tra");
    render(&desk, "kiem-tra.html", ctx)
}

pub async fn findings_table(State(desk): State<Arc<Desk>>, Query(f): Query<Filter>) -> Response {
    render(&desk, "_bang-kiem-tra.html", findings_context(&desk.snapshot(), &f))
}

/// The text a clerk pastes into the reply to a unit: what to fix, cell by cell.
pub fn reply_letter(snap: &Snapshot, code: &str) -> String {
    let Some(def) = &snap.def else { return String::new() };
    let Some(unit) = def.units.get(code) else { return String::new() };
    let office = def
        .units
        .get(&def.report.filing.drafting_unit)
        .map(|u| u.name_in_text.clone())
        .unwrap_or_else(|| "Phòng Kế hoạch - Tài chính".to_string());
    let agency = &def.report.agency.short_name;
    let k = def.period();
    let status = snap.unit(code);
    let mut text = format!("Kính gửi: {}.\n\n", unit.name);
    let mine = snap.findings(|d, u| u == Some(code) && d.file != super::state::NO_FILE);
    match status {
        Some(s) if s.status == super::Status::NotSubmitted => {
            text.push_str(&format!(
                "Đến nay {office}, {agency} chưa nhận được biểu mẫu báo cáo {} của đơn vị. \
                 Đề nghị đơn vị điền biểu mẫu và gửi về sớm để kịp tổng hợp.\n",
                k.phrase()
            ));
        }
        Some(s) => {
            let files: Vec<&str> = s.files.iter().map(|(f, _)| f.as_str()).collect();
            text.push_str(&format!(
                "{office}, {agency} đã nhận biểu mẫu báo cáo {} của đơn vị (tệp {}).",
                k.phrase(),
                files.join(", ")
            ));
            if mine.is_empty() {
                text.push_str(" Biểu mẫu đầy đủ, số liệu hợp lệ. Cảm ơn đơn vị.\n");
            } else {
                let errors = mine.iter().filter(|(d, _)| d.severity == Severity::Error).count();
                let warnings = mine.len() - errors;
                let mut counts = Vec::new();
                if errors > 0 {
                    counts.push(format!("{errors} lỗi cần sửa"));
                }
                if warnings > 0 {
                    counts.push(format!("{warnings} điểm cần xem lại"));
                }
                text.push_str(&format!(" Qua kiểm tra, biểu mẫu còn {}:\n\n", counts.join(" và ")));
                for (i, (d, _)) in mine.iter().enumerate() {
                    let mut place = Vec::new();
                    if let Some(s) = &d.sheet {
                        place.push(format!("trang «{s}»"));
                    }
                    if let Some(c) = &d.cell {
                        place.push(format!("ô {c}"));
                    }
                    let place =
                        if place.is_empty() { String::new() } else { format!("{}: ", capitalise(&place.join(", "))) };
                    let what = if place.is_empty() { capitalise(&d.message) } else { d.message.clone() };
                    let ask = if d.hint.is_empty() { String::new() } else { format!(" — {}", d.hint) };
                    text.push_str(&format!("{}. {place}{what}{ask}.\n", i + 1));
                }
                text.push_str("\nĐề nghị đơn vị sửa các điểm trên và gửi lại biểu mẫu.\n");
            }
        }
        None => {}
    }
    text.push_str(&format!("\nTrân trọng,\n{office}, {agency}"));
    text
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// kiem-tra.xlsx: the bytes `baocao check` writes for the same inputs.
pub async fn findings_workbook(State(desk): State<Arc<Desk>>) -> Response {
    let snap = desk.snapshot();
    let (Some(def), Some(date)) = (&snap.def, snap.stamp) else {
        return super::guard::refuse(
            StatusCode::CONFLICT,
            snap.problem.as_deref().unwrap_or("Chưa kiểm tra được biểu mẫu."),
        );
    };
    let bytes = crate::xlsx::findings_workbook(def, &snap.diagnostics, date).and_then(|mut wb| wb.save_to_buffer());
    match bytes {
        Ok(b) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(XLSX)),
                (header::CONTENT_DISPOSITION, super::guard::attachment("kiem-tra.xlsx")),
            ],
            b,
        )
            .into_response(),
        Err(e) => super::guard::refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Không tạo được bảng kết quả kiểm tra: {e}"),
        ),
    }
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Server-sent events: the inputs checked again, build progress.
pub async fn events(State(desk): State<Arc<Desk>>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let stream = tokio_stream::wrappers::BroadcastStream::new(desk.subscribe())
        .filter_map(|e| e.ok())
        .map(|e| Ok(SseEvent::default().event(e.kind).data(e.data)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The stylesheet and the script.
pub async fn asset(UrlPath(name): UrlPath<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "app.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return not_found().await,
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

pub async fn not_found() -> Response {
    super::guard::refuse(StatusCode::NOT_FOUND, "Không có trang hay tệp này.")
}
