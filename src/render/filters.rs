//! The Rust side of the templates: Vietnamese number formatting on exact
//! decimals, ratios, breakdowns by unit and lists of documents, as Tera
//! filters and functions. Templates never do arithmetic themselves.
//!
//! Every figure printed is recorded ([`Use`]) and wrapped in invisible
//! markers, so the document knows where each number came from.

use std::io::Write;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::config::ReportDef;
use crate::model::{Column, Figure, Figures};
use crate::vi;

/// Delimiters of a missing-figure marker in the markup (private-use characters).
pub const MISSING_START: char = '\u{E000}';
pub const MISSING_END: char = '\u{E001}';
/// A printed figure: START id TEXT text END.
pub const FIGURE_START: char = '\u{E002}';
pub const FIGURE_TEXT: char = '\u{E003}';
pub const FIGURE_END: char = '\u{E004}';

pub use crate::provenance::Use;

pub struct Data {
    pub def: ReportDef,
    /// Shared, not copied: with thousands of units the figures are large.
    pub figures: Arc<Figures>,
    pub draft: bool,
    pub uses: Mutex<Vec<Use>>,
    /// What the text needs that no figure holds and is missing.
    pub gaps: Mutex<Vec<Gap>>,
    /// Figures read to choose words (`is tang(…)`), not printed.
    pub tested: Mutex<Vec<(String, Column)>>,
}

/// Something the text needs besides figures, found missing: a group of the
/// units' «Văn bản» or «Danh mục» sheets without a row, or a key of the
/// period's narrative (`nhan-dinh.toml`) not written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gap {
    Documents(String),
    Items(String),
    Narrative(String),
}

/// Markdown-escapes what `{{ … }}` prints, so text from cells (a "*", a "[",
/// a "#", a "1." or "-" at the start of a line) is printed as typed and
/// never read as markup: every ASCII punctuation character is
/// backslash-escaped (CommonMark reads any escaped one as itself), line
/// breaks and tabs become spaces and runs of spaces one space (no
/// indented code block). The markers of printed and missing figures, and
/// any private-use or bidirectional control character, are dropped: only
/// the filters put markers into the text, as safe strings
/// ([`marked`]).
pub fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf = [0u8; 4];
    let mut last_space = false;
    for ch in input.chars() {
        let ch = match ch {
            '\n' | '\r' | '\t' => ' ',
            c if vi::is_private_or_bidi(c) => continue,
            c => c,
        };
        if ch == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        if ch.is_ascii_punctuation() {
            out.write_all(b"\\")?;
        }
        out.write_all(ch.encode_utf8(&mut buf).as_bytes())?;
    }
    Ok(())
}

/// `text` escaped as [`escape_markdown`] does.
fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 8);
    escape_markdown(text, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// What a filter prints with its markers: a safe string (the escape
/// function would drop the markers) whose own text is escaped.
fn marked(start: char, inner: &str, end: char) -> Value {
    Value::safe_string(&format!("{start}{inner}{end}"))
}

/// A value handed to a filter: a figure of the catalog, a count of list
/// rows (from `dem_danh_muc`, `dem_dia_ban`) or a plain number.
enum Operand<'a> {
    Figure(&'a Figure, &'a crate::config::Indicator),
    Count(Decimal, Vec<(String, crate::model::Origin)>),
    Number(Decimal),
}

impl Operand<'_> {
    fn refs(&self) -> Vec<(String, Column)> {
        match self {
            Operand::Figure(f, _) => vec![(f.indicator.clone(), f.column)],
            Operand::Count(..) | Operand::Number(_) => vec![],
        }
    }
}

impl Data {
    fn operand(&self, v: &Value) -> TeraResult<Operand<'_>> {
        if let Some(map) = v.as_map() {
            let get = |k: &str| {
                map.iter().find(|(key, _)| key.as_str() == Some(k)).and_then(|(_, v)| v.as_str().map(str::to_string))
            };
            if let (Some(code), Some(column_code)) = (get("ma"), get("cot")) {
                let column = Column::from_code(&column_code)
                    .ok_or_else(|| Error::message(format!("không có cột «{column_code}»")))?;
                let ind =
                    self.def.indicator(&code).ok_or_else(|| Error::message(format!("không có chỉ tiêu «{code}»")))?;
                let fig = self
                    .figures
                    .get(&code, column)
                    .ok_or_else(|| Error::message(format!("không có số liệu chỉ tiêu «{code}»")))?;
                return Ok(Operand::Figure(fig, ind));
            }
            if let (Some(group), Some(what)) = (get("nhom"), get("dem")) {
                let rows: Vec<(String, crate::model::Origin)> = match what.as_str() {
                    "dia_ban" => {
                        let places = places_in(self, &group);
                        places
                            .iter()
                            .filter_map(|p| {
                                items_with_unit(self, &group).into_iter().find(|(_, i)| i.area.as_deref() == Some(p))
                            })
                            .map(|(u, i)| (u.clone(), i.origin.clone()))
                            .collect()
                    }
                    _ => {
                        items_with_unit(self, &group).into_iter().map(|(u, i)| (u.clone(), i.origin.clone())).collect()
                    }
                };
                return Ok(Operand::Count(Decimal::from(rows.len()), rows));
            }
        }
        if let Some(i) = v.as_i64() {
            return Ok(Operand::Number(Decimal::from(i)));
        }
        if let Some(f) = v.as_f64() {
            return vi::decimal_from_f64(f).map(Operand::Number).ok_or_else(|| Error::message("số không hợp lệ"));
        }
        if let Some(s) = v.as_str() {
            if let Ok(d) = Decimal::from_str(s.trim()) {
                return Ok(Operand::Number(d));
            }
        }
        Err(Error::message(format!("cần một chỉ tiêu (ví dụ f.lua_xuan.th) hoặc một số, nhận được «{v}»")))
    }

    /// The decimal value, or the reason it is missing (no unit reported it,
    /// or some expected unit's number is absent or was rejected).
    fn value(&self, op: &Operand) -> Result<Decimal, String> {
        match op {
            Operand::Number(d) | Operand::Count(d, _) => Ok(*d),
            Operand::Figure(f, ind) => {
                let what = format!("{} ({}), cột «{}»", ind.name, ind.code, f.column.label());
                if !f.missing.is_empty() {
                    let names: Vec<String> = f.missing.iter().map(|u| self.unit_name(u, "ten")).collect();
                    return Err(format!("{what} — chưa có số của {}", names.join(", ")));
                }
                f.total.ok_or_else(|| format!("{what} — chưa đơn vị nào ghi số"))
            }
        }
    }

    fn record(&self, u: Use) -> usize {
        let mut uses = self.uses.lock().expect("recorder poisoned");
        uses.push(u);
        uses.len() - 1
    }

    /// The printed text of a figure, recorded and marked for provenance.
    fn printed(&self, text: String, value: Option<Decimal>, figures: Vec<(String, Column)>, how: &str) -> Value {
        self.printed_rows(text, value, figures, how, vec![])
    }

    fn printed_rows(
        &self,
        text: String,
        value: Option<Decimal>,
        figures: Vec<(String, Column)>,
        how: &str,
        rows: Vec<(String, crate::model::Origin)>,
    ) -> Value {
        let shown = escaped(&text);
        let id = self.record(Use { printed: text, value, figures, how: how.to_string(), missing: false, rows });
        marked(FIGURE_START, &format!("{id}{FIGURE_TEXT}{shown}"), FIGURE_END)
    }

    /// A missing figure: an error naming it, or in a draft a visible marker.
    fn missing(&self, what: String, figures: Vec<(String, Column)>) -> TeraResult<Value> {
        let note = format!("thiếu số liệu: {what}");
        self.record(Use {
            printed: note.clone(),
            value: None,
            figures,
            how: String::new(),
            missing: true,
            rows: vec![],
        });
        if self.draft {
            Ok(marked(MISSING_START, &escaped(&note), MISSING_END))
        } else {
            Err(Error::message(note))
        }
    }

    /// A gap in what the text needs: recorded, then handled as a missing figure.
    fn gap(&self, gap: Gap, what: String) -> TeraResult<Value> {
        self.gaps.lock().expect("recorder poisoned").push(gap);
        self.missing(what, vec![])
    }

    /// A test (`is tang(so_voi=…)`) on two operands: the comparison of
    /// their values, read as the text prints them. A missing value fails a
    /// final build and leaves a draft's test false (the figure itself shows
    /// its marker where it is printed).
    fn compare(
        &self,
        v: &Value,
        kw: &Kwargs,
        test: &str,
        decide: impl Fn(std::cmp::Ordering) -> bool,
    ) -> TeraResult<bool> {
        let op = self.operand(v)?;
        let base = match kw.get::<Value>("so_voi")?.or(kw.get::<Value>("voi")?) {
            Some(b) => self.operand(&b)?,
            None => {
                return Err(Error::message(format!(
                    "{test} cần so_voi=… (số để so sánh), ví dụ is {test}(so_voi=f.dan_lon.ck)"
                )))
            }
        };
        let mut refs = op.refs();
        refs.extend(base.refs());
        self.tested.lock().expect("recorder poisoned").extend(refs.iter().cloned());
        let (x, b) = match (self.value(&op), self.value(&base)) {
            (Ok(x), Ok(b)) => (x, b),
            (Err(what), _) | (_, Err(what)) => return self.missing(what, refs).map(|_| false),
        };
        let decimals = kw_u32(kw, "le")?.unwrap_or(1);
        // the direction the text prints ("tăng 0,04%" is "bằng 100%" at one decimal)
        let ord = match vi::number::ratio_percent(x, b) {
            Some(r) => vi::number::round_display(r - Decimal::ONE_HUNDRED, decimals).cmp(&Decimal::ZERO),
            None => x.cmp(&b),
        };
        Ok(decide(ord))
    }

    fn default_decimals(op: &Operand) -> u32 {
        match op {
            Operand::Figure(_, ind) => ind.decimals,
            Operand::Count(..) => 0,
            Operand::Number(d) => d.normalize().scale(),
        }
    }

    fn unit_name(&self, code: &str, kind: &str) -> String {
        match self.def.units.get(code) {
            Some(u) if kind == "ten_ngan" => u.short_name().to_string(),
            Some(u) if kind == "ten_day_du" => u.name.clone(),
            Some(u) => u.name_in_text.clone(),
            None => code.to_string(),
        }
    }
}

fn kw_u32(kw: &Kwargs, key: &str) -> TeraResult<Option<u32>> {
    match kw.get::<i64>(key)? {
        Some(n) if (0..=10).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(Error::message(format!("{key}={n}: số chữ số thập phân phải từ 0 đến 10"))),
        None => Ok(None),
    }
}

fn kw_operand<'a>(data: &'a Data, kw: &Kwargs, key: &str) -> TeraResult<Option<Operand<'a>>> {
    match kw.get::<Value>(key)? {
        Some(v) => Ok(Some(data.operand(&v)?)),
        None => Ok(None),
    }
}

fn kw_string(kw: &Kwargs, key: &str, default: &str) -> TeraResult<String> {
    Ok(kw.get::<String>(key)?.unwrap_or_else(|| default.to_string()))
}

/// Figures a filter reads, as (indicator, column).
type Refs = Vec<(String, Column)>;

/// The value of an operand, or (in a draft) the missing marker, returned early.
macro_rules! take {
    ($data:expr, $e:expr, $refs:expr) => {
        match $e {
            Ok(v) => v,
            Err(what) => return $data.missing(what, $refs),
        }
    };
}

/// What a helper found, or the marker of a gap the filter returns at once
/// (a draft; a final build has already failed with the gap named).
type Early<T> = TeraResult<Result<T, Value>>;

impl Data {
    /// The value the filter is applied to: `{{ f.x.th | so }}`.
    fn one(&self, v: &Value) -> Early<(Decimal, Operand<'_>, Refs)> {
        let op = self.operand(v)?;
        let refs = op.refs();
        match self.value(&op) {
            Ok(x) => Ok(Ok((x, op, refs))),
            Err(what) => self.missing(what, refs).map(Err),
        }
    }

    /// The value and the one it is compared with (`key=`, required; `needs`
    /// says how to write it).
    fn pair(&self, v: &Value, kw: &Kwargs, key: &str, needs: &str) -> Early<(Decimal, Decimal, Refs)> {
        let op = self.operand(v)?;
        let other = kw_operand(self, kw, key)?.ok_or_else(|| Error::message(needs.to_string()))?;
        let mut refs = op.refs();
        refs.extend(other.refs());
        match (self.value(&op), self.value(&other)) {
            (Ok(x), Ok(y)) => Ok(Ok((x, y, refs))),
            (Err(what), _) | (_, Err(what)) => self.missing(what, refs).map(Err),
        }
    }

    /// A catalog figure with every expected unit's number (a breakdown by
    /// unit needs them all, like the total); `name` names the filter.
    fn whole_figure(&self, v: &Value, name: &str) -> Early<(&Figure, &crate::config::Indicator, Refs)> {
        let op = self.operand(v)?;
        let Operand::Figure(fig, ind) = op else {
            return Err(Error::message(format!("{name} chỉ dùng được với một chỉ tiêu (ví dụ f.htx_moi.th)")));
        };
        let refs = vec![(fig.indicator.clone(), fig.column)];
        match self.value(&op) {
            Ok(_) => Ok(Ok((fig, ind, refs))),
            Err(what) => self.missing(what, refs).map(Err),
        }
    }
}

/// Unwraps what a helper found, or returns the gap's marker.
macro_rules! found {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(marker) => return Ok(marker),
        }
    };
}

type Filter = fn(&Data, Value, &Kwargs) -> TeraResult<Value>;
type Function = fn(&Data, &Kwargs) -> TeraResult<Value>;
/// A test on the order of two figures, as the text prints them.
type Test = fn(std::cmp::Ordering) -> bool;

/// Registers every filter, test and function on `tera`.
pub fn register(tera: &mut Tera, data: &Arc<Data>) {
    // {{ nam | can_chi }} → "Quý Mão" (the lunar year of the spring of that year)
    tera.register_filter("can_chi", |y: i64, _: Kwargs, _: &State| vi::can_chi(y as i32));
    let filters: [(&'static str, Filter); 8] = [
        ("so", so),
        ("dem", dem),
        ("ty_le", ty_le),
        ("so_sanh", so_sanh),
        ("dat", dat),
        ("chi_tiet", chi_tiet),
        ("so_don_vi", so_don_vi),
        ("ten_don_vi", ten_don_vi),
    ];
    for (name, f) in filters {
        let d = data.clone();
        tera.register_filter(name, move |v: Value, kw: Kwargs, _: &State| f(&d, v, &kw));
    }
    let functions: [(&'static str, Function); 6] = [
        ("nhan_dinh", nhan_dinh),
        ("van_ban", van_ban),
        ("danh_muc", danh_muc),
        ("dem_danh_muc", dem_danh_muc),
        ("dia_ban", dia_ban),
        ("dem_dia_ban", dem_dia_ban),
    ];
    for (name, f) in functions {
        let d = data.clone();
        tera.register_function(name, move |kw: Kwargs, _: &State| f(&d, &kw));
    }
    // {% if f.dan_lon.th is tang(so_voi=f.dan_lon.ck) %}: words that follow the figures
    use std::cmp::Ordering;
    let tests: [(&'static str, Test); 3] =
        [("tang", Ordering::is_gt), ("giam", Ordering::is_lt), ("bang", Ordering::is_eq)];
    for (name, decide) in tests {
        let d = data.clone();
        tera.register_test(name, move |v: Value, kw: Kwargs, _: &State| d.compare(&v, &kw, name, decide));
    }
    // {% if f.lmlm_o_dich.th is khong %}: the figure is zero
    let d = data.clone();
    tera.register_test("khong", move |v: Value, _: Kwargs, _: &State| khong(&d, &v));
}

/// `is khong`: the figure is zero.
fn khong(d: &Data, v: &Value) -> TeraResult<bool> {
    let op = d.operand(v)?;
    let refs = op.refs();
    d.tested.lock().expect("recorder poisoned").extend(refs.iter().cloned());
    match d.value(&op) {
        Ok(x) => Ok(x.is_zero()),
        Err(what) => d.missing(what, refs).map(|_| false),
    }
}

/// `{{ nhan_dinh(ma="thien-tai") }}`: the clerk's text of the period (nhan-dinh.toml).
fn nhan_dinh(d: &Data, kw: &Kwargs) -> TeraResult<Value> {
    let code = kw.must_get::<String>("ma")?;
    match d.def.narrative.texts.get(&code) {
        Some(text) => Ok(Value::from(text.clone())),
        None => d.gap(
            Gap::Narrative(code.clone()),
            format!("chưa có nhận định «{code}» trong templates/{}", crate::config::NARRATIVE_FILE),
        ),
    }
}

/// `{{ f.lua_xuan.th | so }}` → "15.585"; `le=` decimals, `chia=` divide
/// by, `gon=` drop trailing zeros.
fn so(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (mut x, op, mut refs) = found!(d.one(&v));
    if let Some(by) = kw_operand(d, kw, "chia")? {
        refs.extend(by.refs());
        let by = take!(d, d.value(&by), refs);
        if by.is_zero() {
            return Err(Error::message("chia cho 0"));
        }
        x /= by;
    }
    let decimals = kw_u32(kw, "le")?.unwrap_or_else(|| Data::default_decimals(&op));
    let compact = kw.get::<bool>("gon")?.unwrap_or(false);
    Ok(d.printed(vi::format_number(x, decimals, compact), Some(x), refs, "số"))
}

/// `{{ f.ocop_moi.th | dem }}` → "07".
fn dem(d: &Data, v: Value, _: &Kwargs) -> TeraResult<Value> {
    let (x, op, refs) = found!(d.one(&v));
    match op {
        Operand::Count(_, rows) => Ok(d.printed_rows(vi::pad2(x), Some(x), refs, "số dòng danh mục", rows)),
        _ => Ok(d.printed(vi::pad2(x), Some(x), refs, "số đếm")),
    }
}

/// `{{ f.lua_xuan.th | ty_le(tren=f.lua_xuan.kh) }}` → "103,9%".
fn ty_le(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (x, w, refs) = found!(d.pair(&v, kw, "tren", "ty_le cần tren=… (số để so sánh)"));
    let decimals = kw_u32(kw, "le")?.unwrap_or(1);
    let compact = kw.get::<bool>("gon")?.unwrap_or(true);
    match vi::percent(x, w, decimals, compact) {
        Some(s) => Ok(d.printed(s, vi::number::ratio_percent(x, w), refs, "tỷ lệ (%)")),
        None => d.missing("tỷ lệ trên số bằng 0".into(), refs),
    }
}

/// `{{ f.lon.th | so_sanh(voi=f.lon.ck) }}` → "tăng 1,8%"; `kieu="bang"` → "bằng 101,8%".
fn so_sanh(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (x, b, refs) = found!(d.pair(&v, kw, "voi", "so_sanh cần voi=… (số để so sánh)"));
    let decimals = kw_u32(kw, "le")?.unwrap_or(1);
    let compact = kw.get::<bool>("gon")?.unwrap_or(true);
    let style = kw_string(kw, "kieu", "tang_giam")?;
    let text = match style.as_str() {
        "tang_giam" => vi::change_phrase(x, b, decimals, compact),
        "bang" => vi::percent(x, b, decimals, compact).map(|p| format!("bằng {p}")),
        other => return Err(Error::message(format!("kieu=«{other}» không có; dùng \"tang_giam\" hoặc \"bang\""))),
    };
    match text {
        Some(s) => Ok(d.printed(s, vi::number::ratio_percent(x, b), refs, "so sánh (%)")),
        None => d.missing("so sánh với số bằng 0".into(), refs),
    }
}

/// `{{ f.trong_rung.uoc | dat(voi=f.trong_rung.kh) }}` → "vượt" / "đạt" /
/// "chưa đạt": a verdict that cannot contradict the figures.
fn dat(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (x, b, refs) = found!(d.pair(&v, kw, "voi", "dat cần voi=… (số kế hoạch, mục tiêu)"));
    let word = match x.cmp(&b) {
        std::cmp::Ordering::Greater => "vượt",
        std::cmp::Ordering::Equal => "đạt",
        std::cmp::Ordering::Less => "chưa đạt",
    };
    Ok(d.printed(word.to_string(), vi::number::ratio_percent(x, b), refs, "so với kế hoạch"))
}

/// `{{ f.ocop_moi.th | chi_tiet(mau="{ten} {so} sản phẩm") }}` → "huyện Văn Quan 03 sản phẩm; …".
fn chi_tiet(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (fig, ind, refs) = found!(d.whole_figure(&v, "chi_tiet"));
    let pattern = kw_string(kw, "mau", "{ten} {so}")?;
    let separator = kw_string(kw, "ngan", "; ")?;
    let decimals = kw_u32(kw, "le")?.unwrap_or(ind.decimals);
    let padded = kw.get::<bool>("dem")?.unwrap_or(true);
    let parts: Vec<String> = fig
        .by_unit()
        .into_iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(unit, v)| {
            let number =
                if padded && v.fract().is_zero() { vi::pad2(v) } else { vi::format_number(v, decimals, false) };
            pattern
                .replace("{ten}", &d.unit_name(&unit, "ten"))
                .replace("{ten_ngan}", &d.unit_name(&unit, "ten_ngan"))
                .replace("{so}", &number)
        })
        .collect();
    if parts.is_empty() {
        return d.missing(
            format!("{} ({}), cột «{}» — không đơn vị nào có số khác 0", ind.name, ind.code, fig.column.label()),
            refs,
        );
    }
    Ok(d.printed(parts.join(&separator), fig.total, refs, "chi tiết theo đơn vị"))
}

/// `{{ f.dtlcp_ho.th | so_don_vi }}` → 6 (units with a non-zero value).
fn so_don_vi(d: &Data, v: Value, _: &Kwargs) -> TeraResult<Value> {
    let (fig, _, refs) = found!(d.whole_figure(&v, "so_don_vi"));
    let n = fig.by_unit().iter().filter(|(_, v)| !v.is_zero()).count();
    Ok(d.printed(n.to_string(), Some(Decimal::from(n)), refs, "số đơn vị có số liệu khác 0"))
}

/// `{{ f.lmlm_o_dich.th | ten_don_vi }}` → "huyện Lộc Bình".
fn ten_don_vi(d: &Data, v: Value, kw: &Kwargs) -> TeraResult<Value> {
    let (fig, ind, refs) = found!(d.whole_figure(&v, "ten_don_vi"));
    let style = kw_string(kw, "kieu", "ten")?;
    let separator = kw_string(kw, "ngan", ", ")?;
    let names: Vec<String> =
        fig.by_unit().into_iter().filter(|(_, v)| !v.is_zero()).map(|(u, _)| d.unit_name(&u, &style)).collect();
    if names.is_empty() {
        return d.missing(format!("{} ({}) — không đơn vị nào có số khác 0", ind.name, ind.code), refs);
    }
    Ok(d.printed(names.join(&separator), None, refs, "tên đơn vị có số liệu khác 0"))
}

/// `{{ van_ban(nhom="giao-chi-tieu") }}` → "Quyết định số 422/QĐ-SNN ngày
/// 20/12/2022 về …; …."; `mau=` writes each citation another way.
fn van_ban(d: &Data, kw: &Kwargs) -> TeraResult<Value> {
    let group = kw.must_get::<String>("nhom")?;
    let separator = kw_string(kw, "ngan", "; ")?;
    let ending = kw_string(kw, "cuoi", ".")?;
    let pattern = kw.get::<String>("mau")?;
    let key = vi::fold(&group);
    let own = [vi::fold(&d.def.report.agency.short_name), vi::fold(&d.def.report.agency.full_name)];
    let parts: Vec<String> = d
        .figures
        .documents
        .iter()
        .filter(|(_, doc)| vi::fold(&doc.group) == key)
        .map(|(_, doc)| {
            let issuer = |prefix: &str| {
                if !doc.agency.is_empty() && !own.contains(&vi::fold(&doc.agency)) {
                    format!("{prefix}{}", doc.agency)
                } else {
                    String::new()
                }
            };
            if let Some(pattern) = &pattern {
                // "{loai} số {so} ngày {ngay_vb}{cua}": a citation in the running text
                return pattern
                    .replace("{loai}", &doc.kind)
                    .replace("{so}", &doc.number_symbol)
                    .replace("{ngay}", &doc.date.map(vi::short_date).unwrap_or_default())
                    .replace("{ngay_vb}", &doc.date.map(vi::text_date).unwrap_or_default())
                    .replace("{co_quan}", &doc.agency)
                    .replace("{cua}", &issuer(" của "))
                    .replace("{trich_yeu}", doc.subject.trim_end_matches(['.', ';']));
            }
            let mut s = String::new();
            if !doc.kind.is_empty() {
                s.push_str(&doc.kind);
                s.push_str(" số ");
            }
            s.push_str(&doc.number_symbol);
            if let Some(date) = doc.date {
                s.push_str(" ngày ");
                s.push_str(&vi::short_date(date));
            }
            s.push_str(&issuer(" của "));
            s.push(' ');
            s.push_str(doc.subject.trim_end_matches(['.', ';']));
            s
        })
        .collect();
    if parts.is_empty() {
        return d.gap(
            Gap::Documents(group.clone()),
            format!(
                "không có văn bản nào thuộc nhóm «{group}» trong trang «Văn bản» của các đơn vị hay trong templates/{}",
                crate::config::DOCUMENTS_FILE
            ),
        );
    }
    Ok(Value::from(parts.join(&separator) + &ending))
}

/// `{{ danh_muc(nhom="chuoi-khao-sat") }}` → "A; B; C.".
fn danh_muc(d: &Data, kw: &Kwargs) -> TeraResult<Value> {
    let group = kw.must_get::<String>("nhom")?;
    let separator = kw_string(kw, "ngan", "; ")?;
    let ending = kw_string(kw, "cuoi", ".")?;
    let items = items_in(d, &group);
    if items.is_empty() {
        return d.gap(
            Gap::Items(group.clone()),
            format!("không có dòng nào thuộc nhóm «{group}» trong trang «Danh mục» của các đơn vị"),
        );
    }
    let texts: Vec<&str> = items.iter().map(|i| i.content.trim_end_matches(['.', ';'])).collect();
    // ngan_cuoi=" và ": the last two joined by other words ("quế, hồi, thạch đen và rau")
    let joined = match (kw.get::<String>("ngan_cuoi")?, texts.split_last()) {
        (Some(last_sep), Some((last, rest))) if !rest.is_empty() => rest.join(&separator) + &last_sep + last,
        _ => texts.join(&separator),
    };
    Ok(Value::from(joined + &ending))
}

/// `{{ dem_danh_muc(nhom="chuoi-khao-sat") | dem }}` → 04 (a count that knows its rows).
fn dem_danh_muc(_: &Data, kw: &Kwargs) -> TeraResult<Value> {
    Ok(count_value(&kw.must_get::<String>("nhom")?, "danh_muc"))
}

/// `{{ dia_ban(nhom="chuoi-khao-sat") }}` → "Bắc Sơn, Chi Lăng, Văn Lãng, Tràng Định".
fn dia_ban(d: &Data, kw: &Kwargs) -> TeraResult<Value> {
    let group = kw.must_get::<String>("nhom")?;
    let style = kw_string(kw, "kieu", "ten_ngan")?;
    let separator = kw_string(kw, "ngan", ", ")?;
    let places = places_in(d, &group);
    if places.is_empty() {
        return d.gap(Gap::Items(group.clone()), format!("nhóm «{group}» không có dòng nào ghi địa bàn"));
    }
    let names: Vec<String> = places.iter().map(|u| d.unit_name(u, &style)).collect();
    Ok(Value::from(names.join(&separator)))
}

/// `{{ dem_dia_ban(nhom="chuoi-khao-sat") | dem }}` → 04.
fn dem_dia_ban(_: &Data, kw: &Kwargs) -> TeraResult<Value> {
    Ok(count_value(&kw.must_get::<String>("nhom")?, "dia_ban"))
}

/// What `dem_danh_muc`/`dem_dia_ban` hand to `dem` or `so`: the group to count.
fn count_value(group: &str, kind: &str) -> Value {
    let mut m = std::collections::BTreeMap::new();
    m.insert("nhom", group.to_string());
    m.insert("dem", kind.to_string());
    Value::from(m)
}

fn items_with_unit<'a>(d: &'a Data, group: &str) -> Vec<&'a (String, crate::model::ListItem)> {
    let key = vi::fold(group);
    d.figures.items.iter().filter(|(_, i)| vi::fold(&i.group) == key).collect()
}

fn items_in<'a>(d: &'a Data, group: &str) -> Vec<&'a crate::model::ListItem> {
    let key = vi::fold(group);
    d.figures.items.iter().filter(|(_, i)| vi::fold(&i.group) == key).map(|(_, i)| i).collect()
}

/// Distinct places of a list group, in the order they first appear.
fn places_in(d: &Data, group: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items_in(d, group) {
        if let Some(p) = &item.area {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_drops_markers_and_disarms_markup() {
        let s = format!("{MISSING_START}x{MISSING_END} 1. [^a] #\u{202E}a\n\n    b");
        assert_eq!(escaped(&s), "x 1\\. \\[\\^a\\] \\#a b");
        assert_eq!(escaped("15.585 ha, 98,3%"), "15\\.585 ha\\, 98\\,3\\%");
    }
}
