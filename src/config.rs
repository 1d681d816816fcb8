//! The report definition: `report.toml` (the document's metadata, recipients
//! and signer), `catalog.toml` (indicators), `units.toml` (reporting units) and
//! the text fragments (`*.md.tera`) of one template folder.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

/// Everything a template folder defines.
#[derive(Debug, Clone)]
pub struct ReportDef {
    /// The kind's folder (its parent is the templates folder).
    pub dir: PathBuf,
    /// The kind: the folder's name ("ke-hoach-nam").
    pub kind: String,
    pub report: Report,
    pub catalog: Catalog,
    pub units: Units,
    /// Text fragments in document order: (file name, source).
    pub fragments: Vec<(String, String)>,
    /// Shared fragments the kind may include: ("doan/….md.tera", source).
    pub includes: Vec<(String, String)>,
    /// The indicator table attached to the document (`phu-luc.toml`), if any.
    pub appendix: Option<Appendix>,
    /// What decides how the inputs are read and checked (the catalog, the
    /// units and the period, as written): kinds with the same key can be
    /// built from one reading of the inputs.
    pub inputs_key: String,
}

/// An appendix: the indicator table (Decree 30, Phụ lục I, III.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// Number or form code after "Phụ lục": "01/SXNLN", "I".
    pub so: String,
    /// Title, printed in capitals.
    pub tieu_de: String,
    /// Spreadsheet copy written beside the document (without extension).
    pub ten_tep: String,
    #[serde(rename = "nhom")]
    pub groups: Vec<AppendixGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixGroup {
    /// Group row: "Trồng trọt".
    pub ten: String,
    /// Indicator codes, in row order.
    pub chi_tieu: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub van_ban: VanBan,
    pub co_quan: CoQuan,
    pub nguoi_ky: NguoiKy,
    pub noi_nhan: Vec<NoiNhan>,
    pub luu: Luu,
    pub ky_bao_cao: KyBaoCao,
}

/// The document itself (ô 3–5 of Decree 30).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VanBan {
    /// "KẾ HOẠCH", "BÁO CÁO"; empty for a Công văn (it has no tên loại).
    #[serde(default)]
    pub ten_loai: String,
    /// Type code of Phụ lục III: "KH", "BC"; empty for a Công văn.
    #[serde(default)]
    pub ma_loai: String,
    /// Trích yếu; a Công văn prints it as "V/v …" under its number.
    pub trich_yeu: String,
    /// "Kính gửi" recipients (a Công văn needs at least one).
    #[serde(default)]
    pub kinh_gui: Vec<String>,
    /// The number; blank in a draft (the văn thư fills it in).
    #[serde(default)]
    pub so: String,
    /// Agency code after the type code: "SNN" in "05/KH-SNN".
    pub ma_co_quan: String,
    pub dia_danh: String,
    /// "YYYY-MM-DD"; blank in a draft.
    #[serde(default)]
    pub ngay: String,
    /// The year written in the place-date line.
    pub nam: i32,
    /// Output file name without extension; default from the type and year.
    #[serde(default)]
    pub ten_tep: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoQuan {
    /// Cơ quan chủ quản, in capitals: "UBND TỈNH LẠNG SƠN".
    pub chu_quan: String,
    /// Cơ quan ban hành, one entry per printed line.
    pub ban_hanh: Vec<String>,
    /// How the text names the agency: "Sở Nông nghiệp và PTNT".
    pub ten_goi: String,
    /// The full name used in citations and the appendix: "Sở Nông nghiệp và Phát triển nông thôn".
    pub ten_day_du: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NguoiKy {
    /// "KT.", "TM.", "Q.", "TL.", "TUQ." or blank.
    #[serde(default)]
    pub quyen_han: String,
    /// "GIÁM ĐỐC".
    pub chuc_vu: String,
    /// The signer's own position when signing for someone ("PHÓ GIÁM ĐỐC").
    #[serde(default)]
    pub chuc_vu_nguoi_ky: String,
    pub ho_ten: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiNhan {
    pub ten: String,
    /// Printed in parentheses after the name: "b/c", "t/h".
    #[serde(default)]
    pub ghi_chu: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Luu {
    /// Drafting unit code: "KHTC" in "Lưu: VT, KHTC."
    pub don_vi_soan_thao: String,
}

/// The reporting period the submissions must carry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KyBaoCao {
    pub nam: i32,
    /// As the form's "Kỳ báo cáo" cell says it: "6 tháng".
    pub ky: String,
}

impl Report {
    pub fn date(&self) -> Result<Option<NaiveDate>> {
        let s = self.van_ban.ngay.trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| anyhow!("report.toml: ngày «{s}» không đúng dạng NĂM-THÁNG-NGÀY (ví dụ 2024-01-05)"))
    }

    pub fn is_draft(&self) -> bool {
        self.van_ban.so.trim().is_empty()
    }

    /// A Công văn: a document without tên loại (Decree 30, Phụ lục I, II.3.b).
    pub fn is_letter(&self) -> bool {
        self.van_ban.ten_loai.trim().is_empty()
    }

    /// "Số: 05/KH-SNN", or "Số:      /KH-SNN" when the number is blank; a
    /// Công văn carries the drafting unit's code instead of a type code:
    /// "Số: 1125/SNN-KHTC".
    pub fn number_line(&self) -> String {
        let so = self.van_ban.so.trim();
        let so = match so.parse::<u32>() {
            Ok(n) if n < 10 => format!("0{n}"),
            Ok(n) => n.to_string(),
            Err(_) if so.is_empty() => "      ".to_string(),
            Err(_) => so.to_string(),
        };
        if self.is_letter() {
            format!("Số: {so}/{}-{}", self.van_ban.ma_co_quan.trim(), self.luu.don_vi_soan_thao.trim())
        } else {
            format!("Số: {so}/{}-{}", self.van_ban.ma_loai.trim(), self.van_ban.ma_co_quan.trim())
        }
    }

    pub fn file_stem(&self) -> String {
        if !self.van_ban.ten_tep.trim().is_empty() {
            return crate::output::safe_file_name(self.van_ban.ten_tep.trim());
        }
        let kind = if self.is_letter() { "cong-van".to_string() } else { crate::vi::fold(&self.van_ban.ten_loai) };
        format!("{}-{}", kind.replace(' ', "-"), self.van_ban.nam)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Largest change against the same period (or last year) accepted
    /// without a warning, in percent.
    #[serde(default = "default_change", rename = "bien_dong_toi_da")]
    pub max_change: Decimal,
    #[serde(rename = "chi_tieu")]
    pub indicators: Vec<Indicator>,
    /// Relations between a total and its parts that every form must respect.
    #[serde(default, rename = "quan_he")]
    pub relations: Vec<Relation>,
    /// Code → position, built when loaded (looked up once per value read).
    #[serde(skip)]
    pub index: HashMap<String, usize>,
}

fn default_change() -> Decimal {
    Decimal::from(50)
}

/// "tong" relates to the sum of "phan" as "kieu" says, in every column and
/// every form where all of them are filled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub tong: String,
    pub phan: Vec<String>,
    #[serde(default)]
    pub kieu: RelationKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The total equals the sum of the parts.
    #[default]
    Bang,
    /// The total is at least the sum of the parts (other parts not listed).
    KhongNhoHon,
}

/// How the figures of several units make one total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Summed over the units that report it (areas, heads, counts).
    #[default]
    Cong,
    /// Reported by exactly one unit and taken as it is (rates, percentages).
    Mot,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Code used in forms and templates: "lua_xuan".
    pub ma: Arc<str>,
    pub ten: String,
    /// Unit of measure: "ha", "con", "tấn".
    pub dvt: String,
    /// Group heading in forms and the appendix: "Trồng trọt".
    #[serde(default)]
    pub nhom: String,
    /// Unit codes or unit kinds ("huyen") that report it. Empty for derived indicators.
    #[serde(default)]
    pub don_vi: Vec<String>,
    #[serde(default)]
    pub tong_hop: Aggregation,
    /// Derived: the sum of these indicators, column by column.
    #[serde(default)]
    pub cong: Vec<String>,
    /// Decimals printed by default.
    #[serde(default)]
    pub le: u32,
    /// Negative values are meaningful (a change, a balance).
    #[serde(default)]
    pub am: bool,
    /// Own threshold of change for this indicator (percent), instead of the catalog's.
    #[serde(default)]
    pub bien_dong: Option<Decimal>,
}

impl Indicator {
    pub fn is_derived(&self) -> bool {
        !self.cong.is_empty()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Units {
    #[serde(rename = "don_vi")]
    pub units: Vec<Unit>,
    /// Upper-case code → position, built by [`Units::reindex`] (thousands of
    /// units are looked up once per workbook).
    #[serde(skip)]
    pub index: HashMap<String, usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Code written in the form's "Mã đơn vị" cell: "VQ", "TTBVTV".
    pub ma: String,
    /// Official name: "Phòng Nông nghiệp và PTNT huyện Văn Quan".
    pub ten: String,
    /// Name used in sentences: "huyện Văn Quan", "thành phố Lạng Sơn".
    pub ten_trong_cau: String,
    /// Bare place name for lists: "Văn Quan".
    #[serde(default)]
    pub ten_ngan: String,
    /// Kind used by the catalog's `don_vi` lists: "huyen", "chi_cuc", "trung_tam", "phong", "ban".
    pub loai: String,
}

impl Unit {
    pub fn short_name(&self) -> &str {
        if self.ten_ngan.is_empty() {
            &self.ten_trong_cau
        } else {
            &self.ten_ngan
        }
    }
}

impl Units {
    pub fn new(units: Vec<Unit>) -> Units {
        let mut u = Units { units, index: HashMap::new() };
        u.reindex();
        u
    }

    pub fn reindex(&mut self) {
        self.index = self.units.iter().enumerate().map(|(i, u)| (u.ma.to_uppercase(), i)).collect();
    }

    pub fn get(&self, code: &str) -> Option<&Unit> {
        let code = code.trim();
        if self.index.is_empty() {
            return self.units.iter().find(|u| u.ma.eq_ignore_ascii_case(code));
        }
        self.index.get(&code.to_uppercase()).map(|i| &self.units[*i])
    }

    /// Position in units.toml: breakdowns list units in this order.
    pub fn rank(&self, code: &str) -> usize {
        match self.index.get(&code.to_uppercase()) {
            Some(i) => *i,
            None => self.units.iter().position(|u| u.ma == code).unwrap_or(usize::MAX),
        }
    }
}

/// The files of one document kind, by name: those of its own folder
/// (`report.toml`, `*.md.tera`…) and those shared by every kind of the
/// templates folder (`chung.toml`, `catalog.toml`, `units.toml`, and the
/// fragments of `doan/` that kinds include), named relative to that folder.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub own: BTreeMap<String, String>,
    pub shared: BTreeMap<String, String>,
}

/// Name of the shared settings file at the root of the templates folder.
pub const SHARED_SETTINGS: &str = "chung.toml";
/// Folder of shared fragments at the root of the templates folder.
pub const SHARED_FRAGMENTS: &str = "doan";

impl ReportDef {
    /// The kind whose folder is `dir` (its parent is the templates folder,
    /// where the shared files are looked for).
    pub fn load(dir: &Path) -> Result<ReportDef> {
        if !dir.is_dir() {
            let root = dir.parent().filter(|p| !p.as_os_str().is_empty());
            match root {
                Some(root) if root.is_dir() => {
                    let kinds = kinds_in(root).unwrap_or_default();
                    bail!(
                        "thư mục mẫu văn bản «{}» không có loại văn bản «{}» (có: {})",
                        root.display(),
                        dir.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                        if kinds.is_empty() { "chưa có loại nào".to_string() } else { kinds.join(", ") }
                    )
                }
                Some(root) => bail!("không tìm thấy thư mục mẫu báo cáo «{}»", root.display()),
                None => bail!("không tìm thấy thư mục mẫu báo cáo «{}»", dir.display()),
            }
        }
        let mut files = Files { own: read_templates(dir, "")?, shared: BTreeMap::new() };
        if let Some(root) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            files.shared = read_templates(root, "")?;
            files.shared.retain(|n, _| n.ends_with(".toml"));
            let shared_fragments = root.join(SHARED_FRAGMENTS);
            if shared_fragments.is_dir() {
                files.shared.extend(read_templates(&shared_fragments, &format!("{SHARED_FRAGMENTS}/"))?);
            }
        }
        ReportDef::from_files(dir, &files)
    }

    /// A report definition from its files. `report.toml` is read over the
    /// shared `chung.toml` (its keys win); `catalog.toml` and `units.toml`
    /// are the kind's own when it has them, else the shared ones; the
    /// kind's `*.md.tera` are its fragments in name order, the shared ones
    /// can be included (`{% include "doan/…" %}`). `dir` names it in messages.
    pub fn from_files(dir: &Path, files: &Files) -> Result<ReportDef> {
        let root = dir.parent().unwrap_or(Path::new(""));
        // (path for messages, text): the kind's own file, else the shared one
        let get = |name: &str| -> Result<(PathBuf, &String)> {
            if let Some(t) = files.own.get(name) {
                return Ok((dir.join(name), t));
            }
            if let Some(t) = files.shared.get(name) {
                return Ok((root.join(name), t));
            }
            Err(anyhow!("không đọc được «{}»: thiếu tệp", dir.join(name).display()))
        };
        let report = report_of(dir, root, files)?;
        let (path, text) = get("catalog.toml")?;
        let mut inputs_key = text.clone();
        let mut catalog: Catalog = parse_toml(&path, text)?;
        catalog.index = catalog.indicators.iter().enumerate().map(|(i, ind)| (ind.ma.to_string(), i)).collect();
        let (path, text) = get("units.toml")?;
        inputs_key.push_str(text);
        inputs_key.push_str(&format!("{:?}", report.ky_bao_cao));
        let mut units: Units = parse_toml(&path, text)?;
        units.reindex();
        let fragments: Vec<(String, String)> =
            files.own.iter().filter(|(n, _)| n.ends_with(".md.tera")).map(|(n, t)| (n.clone(), t.clone())).collect();
        if fragments.is_empty() {
            bail!("thư mục «{}» không có đoạn văn bản mẫu nào (*.md.tera)", dir.display());
        }
        let includes: Vec<(String, String)> =
            files.shared.iter().filter(|(n, _)| n.ends_with(".md.tera")).map(|(n, t)| (n.clone(), t.clone())).collect();
        let appendix = match files.own.get("phu-luc.toml") {
            Some(text) => Some(parse_toml(&dir.join("phu-luc.toml"), text)?),
            None => None,
        };
        let kind = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let def = ReportDef {
            dir: dir.to_path_buf(),
            kind,
            report,
            catalog,
            units,
            fragments,
            includes,
            appendix,
            inputs_key,
        };
        def.check()?;
        Ok(def)
    }

    /// Consistency of the definition itself, so mistakes in the TOML files
    /// are reported once, by name, before any workbook is read.
    fn check(&self) -> Result<()> {
        self.report.date()?;
        let at = self.dir.join("report.toml");
        let vb = &self.report.van_ban;
        if self.report.is_letter() && vb.kinh_gui.iter().all(|k| k.trim().is_empty()) {
            bail!(
                "«{}»: công văn (ten_loai để trống) phải có nơi «Kính gửi»: thêm dòng kinh_gui = [\"…\"] trong [van_ban]",
                at.display()
            );
        }
        if !self.report.is_letter() && vb.ma_loai.trim().is_empty() {
            bail!("«{}»: văn bản «{}» chưa có ký hiệu loại (ma_loai, ví dụ \"KH\", \"BC\")", at.display(), vb.ten_loai);
        }
        let mut seen = HashMap::new();
        for u in &self.units.units {
            if seen.insert(u.ma.to_uppercase(), ()).is_some() {
                bail!("units.toml: mã đơn vị «{}» bị khai báo hai lần", u.ma);
            }
        }
        let kinds: Vec<&str> = self.units.units.iter().map(|u| u.loai.as_str()).collect();
        let mut codes = HashMap::new();
        for ind in &self.catalog.indicators {
            if !ind.ma.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') || ind.ma.is_empty() {
                bail!(
                    "catalog.toml: mã chỉ tiêu «{}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới",
                    ind.ma
                );
            }
            if codes.insert(ind.ma.clone(), ind).is_some() {
                bail!("catalog.toml: mã chỉ tiêu «{}» bị khai báo hai lần", ind.ma);
            }
            for who in &ind.don_vi {
                if self.units.get(who).is_none() && !kinds.contains(&who.as_str()) {
                    bail!("catalog.toml: chỉ tiêu «{}» ghi đơn vị báo cáo «{}», không có trong units.toml (mã hoặc loại đơn vị)", ind.ma, who);
                }
            }
            if ind.is_derived() && !ind.don_vi.is_empty() {
                bail!("catalog.toml: chỉ tiêu «{}» là tổng của chỉ tiêu khác (cong) nên không ghi don_vi", ind.ma);
            }
            if !ind.is_derived() && ind.don_vi.is_empty() {
                bail!("catalog.toml: chỉ tiêu «{}» chưa ghi đơn vị nào báo cáo (don_vi)", ind.ma);
            }
        }
        for ind in &self.catalog.indicators {
            for part in &ind.cong {
                match codes.get(part.as_str()) {
                    None => bail!("catalog.toml: chỉ tiêu «{}» cộng từ «{}», mã này chưa được khai báo", ind.ma, part),
                    Some(p) if p.is_derived() => bail!("catalog.toml: chỉ tiêu «{}» cộng từ «{}», là một chỉ tiêu tổng; hãy cộng trực tiếp các chỉ tiêu thành phần", ind.ma, part),
                    Some(_) => {}
                }
            }
        }
        for rel in &self.catalog.relations {
            for code in std::iter::once(&rel.tong).chain(&rel.phan) {
                if !codes.contains_key(code.as_str()) {
                    bail!("catalog.toml: quan hệ của «{}» nhắc mã chỉ tiêu «{code}» chưa được khai báo", rel.tong);
                }
            }
        }
        if let Some(app) = &self.appendix {
            for g in &app.groups {
                for code in &g.chi_tieu {
                    if !codes.contains_key(code.as_str()) {
                        bail!("phu-luc.toml: nhóm «{}» có mã chỉ tiêu «{code}» không có trong catalog.toml", g.ten);
                    }
                }
            }
        }
        Ok(())
    }

    /// `other` reads and checks the inputs as this one does.
    pub fn same_inputs(&self, other: &ReportDef) -> bool {
        self.inputs_key == other.inputs_key
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        match self.catalog.index.get(code) {
            Some(i) => Some(&self.catalog.indicators[*i]),
            None if self.catalog.index.is_empty() => self.catalog.indicators.iter().find(|i| &*i.ma == code),
            None => None,
        }
    }

    /// Whether `unit` is one of the units the catalog expects for `ind`.
    pub fn reports(&self, ind: &Indicator, unit: &Unit) -> bool {
        ind.don_vi.iter().any(|w| w.eq_ignore_ascii_case(&unit.ma) || *w == unit.loai)
    }

    /// The units expected to submit anything at all.
    pub fn expected_units(&self) -> Vec<&Unit> {
        self.units.units.iter().filter(|u| self.catalog.indicators.iter().any(|i| self.reports(i, u))).collect()
    }

    /// Indicator codes by group, in catalog order (for forms and the appendix).
    pub fn groups(&self) -> BTreeMap<usize, (String, Vec<&Indicator>)> {
        let mut order: Vec<String> = Vec::new();
        let mut out: BTreeMap<usize, (String, Vec<&Indicator>)> = BTreeMap::new();
        for ind in &self.catalog.indicators {
            let pos = match order.iter().position(|g| *g == ind.nhom) {
                Some(p) => p,
                None => {
                    order.push(ind.nhom.clone());
                    order.len() - 1
                }
            };
            out.entry(pos).or_insert_with(|| (ind.nhom.clone(), Vec::new())).1.push(ind);
        }
        out
    }
}

/// The kinds of document of a templates folder: its subfolders that hold a
/// report.toml, by name.
pub fn kinds_in(root: &Path) -> Result<Vec<String>> {
    let mut kinds = Vec::new();
    let entries = fs::read_dir(root)
        .map_err(|e| anyhow::anyhow!("không đọc được thư mục mẫu văn bản «{}»: {e}", root.display()))?;
    for e in entries.flatten() {
        if e.path().join("report.toml").is_file() {
            kinds.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    kinds.sort();
    Ok(kinds)
}

/// Template files of `dir` (not below it): `*.toml` and `*.md.tera`, by
/// name with `prefix` before it.
fn read_templates(dir: &Path, prefix: &str) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).with_context(|| format!("không đọc được thư mục «{}»", dir.display()))?
    {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if !(name.ends_with(".toml") || name.ends_with(".md.tera")) || !path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&path)
            .with_context(|| format!("không đọc được tệp mẫu «{}» (phải là văn bản UTF-8)", path.display()))?;
        files.insert(format!("{prefix}{name}"), text);
    }
    Ok(files)
}

/// `report.toml` read over the shared `chung.toml`: tables are merged key by
/// key, the kind's values win.
fn report_of(dir: &Path, root: &Path, files: &Files) -> Result<Report> {
    let own_path = dir.join("report.toml");
    let own =
        files.own.get("report.toml").ok_or_else(|| anyhow!("không đọc được «{}»: thiếu tệp", own_path.display()))?;
    let mut table: toml::Table = parse_toml(&own_path, own)?;
    let mut named = format!("«{}»", own_path.display());
    if let Some(shared) = files.shared.get(SHARED_SETTINGS) {
        let shared_path = root.join(SHARED_SETTINGS);
        let mut base: toml::Table = parse_toml(&shared_path, shared)?;
        merge(&mut base, table);
        table = base;
        named = format!("{named} (cùng «{}»)", shared_path.display());
    }
    Report::deserialize(table).map_err(|e| anyhow!("{named} viết chưa đúng: {e}"))
}

/// `over` merged into `base`: tables key by key, anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| anyhow!("«{}» viết chưa đúng:\n{e}", path.display()))
}
