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
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::period::Period;

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
    /// Documents the clerk lists for this period (`van-ban.toml`), cited
    /// like those of the units' «Văn bản» sheets.
    pub documents: Vec<CitedDocument>,
    /// The period's narrative (`nhan-dinh.toml`): text by key, for what no
    /// form holds (the weather, the meetings, the events of the period).
    pub narrative: Narrative,
}

/// Name of the clerk's list of documents cited this period.
pub const DOCUMENTS_FILE: &str = "van-ban.toml";
/// Name of the clerk's narrative of the period.
pub const NARRATIVE_FILE: &str = "nhan-dinh.toml";

/// A document of `van-ban.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedDocument {
    pub number: String,
    pub date: Option<NaiveDate>,
    pub agency: String,
    pub kind: String,
    pub subject: String,
    pub group: String,
    /// The file, as named in messages, and the entry's position (0-based).
    pub file: String,
    pub index: usize,
}

/// `nhan-dinh.toml`: the period's narrative by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrative {
    /// The file, as named in messages (empty when there is none).
    pub file: String,
    pub texts: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentsToml {
    /// The period the list is for ("6 tháng 2023"); a list of another period is refused.
    #[serde(default)]
    #[serde(rename = "ky")]
    period: Option<String>,
    #[serde(default)]
    #[serde(rename = "van_ban")]
    documents: Vec<DocumentToml>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentToml {
    #[serde(rename = "so")]
    number: String,
    #[serde(default)]
    #[serde(rename = "ngay")]
    date: String,
    #[serde(default)]
    #[serde(rename = "co_quan")]
    agency: String,
    #[serde(default)]
    #[serde(rename = "loai")]
    kind: String,
    #[serde(rename = "trich_yeu")]
    subject: String,
    #[serde(rename = "nhom")]
    group: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NarrativeToml {
    #[serde(default)]
    #[serde(rename = "ky")]
    period: Option<String>,
    #[serde(default)]
    #[serde(rename = "nhan_dinh")]
    assessments: BTreeMap<String, String>,
}

/// An appendix: the indicator table (Decree 30, Phụ lục I, III.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// Number or form code after "Phụ lục": "01/SXNLN", "I".
    #[serde(rename = "so")]
    pub number: String,
    /// Title, printed in capitals (a small template: `{{ nam_sau }}`…).
    #[serde(rename = "tieu_de")]
    pub title: String,
    /// Spreadsheet copy written beside the document (without extension).
    #[serde(rename = "ten_tep")]
    pub file_name: String,
    #[serde(rename = "nhom")]
    pub groups: Vec<AppendixGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixGroup {
    /// Group row: "Trồng trọt".
    #[serde(rename = "ten")]
    pub name: String,
    /// Indicator codes, in row order.
    #[serde(rename = "chi_tieu")]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    #[serde(rename = "van_ban")]
    pub document: DocumentInfo,
    #[serde(rename = "co_quan")]
    pub agency: Agency,
    #[serde(rename = "nguoi_ky")]
    pub signer: Signer,
    #[serde(rename = "noi_nhan")]
    pub recipients: Vec<Recipient>,
    #[serde(rename = "luu")]
    pub filing: Filing,
    /// The reporting period the submissions must carry (`nam`, `ky`).
    #[serde(rename = "ky_bao_cao")]
    pub period: Period,
}

/// The document itself (ô 3–5 of Decree 30).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    /// "KẾ HOẠCH", "BÁO CÁO"; empty for a Công văn (it has no tên loại).
    #[serde(default)]
    #[serde(rename = "ten_loai")]
    pub kind_name: String,
    /// Type code of Phụ lục III: "KH", "BC"; empty for a Công văn.
    #[serde(default)]
    #[serde(rename = "ma_loai")]
    pub kind_code: String,
    /// Trích yếu; a Công văn prints it as "V/v …" under its number. A
    /// small template: `năm {{ nam_sau }}` follows the period.
    #[serde(rename = "trich_yeu")]
    pub subject: String,
    /// "Kính gửi" recipients (a Công văn needs at least one).
    #[serde(default)]
    #[serde(rename = "kinh_gui")]
    pub addressees: Vec<String>,
    /// The number; blank in a draft (the văn thư fills it in).
    #[serde(default)]
    #[serde(rename = "so")]
    pub number: String,
    /// Agency code after the type code: "SNN" in "05/KH-SNN".
    #[serde(rename = "ma_co_quan")]
    pub agency_code: String,
    #[serde(rename = "dia_danh")]
    pub place: String,
    /// "YYYY-MM-DD"; blank in a draft (the place-date line then carries
    /// the period's year).
    #[serde(default)]
    #[serde(rename = "ngay")]
    pub date: String,
    /// Output file name without extension (a small template, with a year:
    /// `ke-hoach-nam-{{ nam_sau }}`); default from the type and the year.
    #[serde(default)]
    #[serde(rename = "ten_tep")]
    pub file_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Cơ quan chủ quản, in capitals: "UBND TỈNH LẠNG SƠN".
    #[serde(rename = "chu_quan")]
    pub parent: String,
    /// Cơ quan ban hành, one entry per printed line.
    #[serde(rename = "ban_hanh")]
    pub issuer: Vec<String>,
    /// How the text names the agency: "Sở Nông nghiệp và PTNT".
    #[serde(rename = "ten_goi")]
    pub short_name: String,
    /// The full name used in citations and the appendix: "Sở Nông nghiệp và Phát triển nông thôn".
    #[serde(rename = "ten_day_du")]
    pub full_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// "KT.", "TM.", "Q.", "TL.", "TUQ." or blank.
    #[serde(default)]
    #[serde(rename = "quyen_han")]
    pub authority: String,
    /// "GIÁM ĐỐC".
    #[serde(rename = "chuc_vu")]
    pub title: String,
    /// The signer's own position when signing for someone ("PHÓ GIÁM ĐỐC").
    #[serde(default)]
    #[serde(rename = "chuc_vu_nguoi_ky")]
    pub signer_title: String,
    #[serde(rename = "ho_ten")]
    pub full_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    #[serde(rename = "ten")]
    pub name: String,
    /// Printed in parentheses after the name: "b/c", "t/h".
    #[serde(default)]
    #[serde(rename = "ghi_chu")]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// Drafting unit code: "KHTC" in "Lưu: VT, KHTC."
    #[serde(rename = "don_vi_soan_thao")]
    pub drafting_unit: String,
}

impl Report {
    pub fn date(&self) -> Result<Option<NaiveDate>> {
        let s = self.document.date.trim();
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| anyhow!("report.toml: ngày «{s}» không đúng dạng NĂM-THÁNG-NGÀY (ví dụ 2024-01-05)"))
    }

    pub fn is_draft(&self) -> bool {
        self.document.number.trim().is_empty()
    }

    /// A Công văn: a document without tên loại (Decree 30, Phụ lục I, II.3.b).
    pub fn is_letter(&self) -> bool {
        self.document.kind_name.trim().is_empty()
    }

    /// "Số: 05/KH-SNN", or "Số:      /KH-SNN" when the number is blank; a
    /// Công văn carries the drafting unit's code instead of a type code:
    /// "Số: 1125/SNN-KHTC".
    pub fn number_line(&self) -> String {
        let number = self.document.number.trim();
        let number = match number.parse::<u32>() {
            Ok(n) if n < 10 => format!("0{n}"),
            Ok(n) => n.to_string(),
            Err(_) if number.is_empty() => "      ".to_string(),
            Err(_) => number.to_string(),
        };
        if self.is_letter() {
            format!("Số: {number}/{}-{}", self.document.agency_code.trim(), self.filing.drafting_unit.trim())
        } else {
            format!("Số: {number}/{}-{}", self.document.kind_code.trim(), self.document.agency_code.trim())
        }
    }

    pub fn file_stem(&self) -> String {
        if !self.document.file_name.trim().is_empty() {
            return crate::output::safe_file_name(self.document.file_name.trim());
        }
        let kind = if self.is_letter() { "cong-van".to_string() } else { crate::vi::fold(&self.document.kind_name) };
        format!("{}-{}", kind.replace(' ', "-"), self.period.year)
    }

    /// The period.
    pub fn period(&self) -> &Period {
        &self.period
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
    /// Groups of documents the templates cite (`van_ban(nhom=…)`), and who lists them.
    #[serde(default, rename = "nhom_van_ban")]
    pub document_groups: Vec<GroupDecl>,
    /// Groups of list rows the templates name (`danh_muc(nhom=…)`), and who lists them.
    #[serde(default, rename = "nhom_danh_muc")]
    pub list_groups: Vec<GroupDecl>,
    /// Code → position, built when loaded (looked up once per value read).
    #[serde(skip)]
    pub index: FxHashMap<String, usize>,
}

/// A group of the «Văn bản» or «Danh mục» sheets the templates use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDecl {
    /// The code written in the «Nhóm» column: "giao-chi-tieu".
    #[serde(rename = "ma")]
    pub code: String,
    /// What belongs in it, for the forms' instructions.
    #[serde(rename = "ten")]
    pub name: String,
    /// Unit codes (or kinds) that list its rows; empty when the clerk lists
    /// them in `van-ban.toml`.
    #[serde(default)]
    #[serde(rename = "don_vi")]
    pub units: Vec<String>,
}

fn default_change() -> Decimal {
    Decimal::from(50)
}

/// "tong" relates to the sum of "phan" as "kieu" says, in every column and
/// every form where all of them are filled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    #[serde(rename = "tong")]
    pub total: String,
    #[serde(rename = "phan")]
    pub parts: Vec<String>,
    #[serde(default)]
    #[serde(rename = "kieu")]
    pub kind: RelationKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The total equals the sum of the parts.
    #[default]
    #[serde(rename = "bang")]
    Equal,
    /// The total is at least the sum of the parts (other parts not listed).
    #[serde(rename = "khong_nho_hon")]
    AtLeast,
}

/// How the figures of several units make one total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Summed over the units that report it (areas, heads, counts).
    #[default]
    #[serde(rename = "cong")]
    Sum,
    /// Reported by exactly one unit and taken as it is (rates, percentages).
    #[serde(rename = "mot")]
    One,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Code used in forms and templates: "lua_xuan".
    #[serde(rename = "ma")]
    pub code: Arc<str>,
    #[serde(rename = "ten")]
    pub name: String,
    /// Unit of measure: "ha", "con", "tấn".
    #[serde(rename = "dvt")]
    pub measure: String,
    /// Group heading in forms and the appendix: "Trồng trọt".
    #[serde(default)]
    #[serde(rename = "nhom")]
    pub group: String,
    /// Unit codes or unit kinds ("huyen") that report it. Empty for derived indicators.
    #[serde(default)]
    #[serde(rename = "don_vi")]
    pub units: Vec<String>,
    #[serde(default)]
    #[serde(rename = "tong_hop")]
    pub aggregation: Aggregation,
    /// Derived: the sum of these indicators, column by column.
    #[serde(default)]
    #[serde(rename = "cong")]
    pub sum_of: Vec<String>,
    /// Decimals printed by default.
    #[serde(default)]
    #[serde(rename = "le")]
    pub decimals: u32,
    /// Negative values are meaningful (a change, a balance).
    #[serde(default)]
    #[serde(rename = "am")]
    pub signed: bool,
    /// Own threshold of change for this indicator (percent), instead of the catalog's.
    #[serde(default)]
    #[serde(rename = "bien_dong")]
    pub max_change: Option<Decimal>,
}

impl Indicator {
    pub fn is_derived(&self) -> bool {
        !self.sum_of.is_empty()
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
    pub index: FxHashMap<String, usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Code written in the form's "Mã đơn vị" cell: "VQ", "TTBVTV".
    #[serde(rename = "ma")]
    pub code: String,
    /// Official name: "Phòng Nông nghiệp và PTNT huyện Văn Quan".
    #[serde(rename = "ten")]
    pub name: String,
    /// Name used in sentences: "huyện Văn Quan", "thành phố Lạng Sơn".
    #[serde(rename = "ten_trong_cau")]
    pub name_in_text: String,
    /// Bare place name for lists: "Văn Quan".
    #[serde(default)]
    #[serde(rename = "ten_ngan")]
    pub short_name: String,
    /// Kind used by the catalog's `don_vi` lists: "huyen", "chi_cuc", "trung_tam", "phong", "ban".
    #[serde(rename = "loai")]
    pub kind: String,
}

impl Unit {
    pub fn short_name(&self) -> &str {
        if self.short_name.is_empty() {
            &self.name_in_text
        } else {
            &self.short_name
        }
    }
}

impl Units {
    pub fn new(units: Vec<Unit>) -> Units {
        let mut u = Units { units, index: FxHashMap::default() };
        u.reindex();
        u
    }

    pub fn reindex(&mut self) {
        self.index = self.units.iter().enumerate().map(|(i, u)| (u.code.to_uppercase(), i)).collect();
    }

    pub fn get(&self, code: &str) -> Option<&Unit> {
        let code = code.trim();
        if self.index.is_empty() {
            return self.units.iter().find(|u| u.code.eq_ignore_ascii_case(code));
        }
        self.index.get(&code.to_uppercase()).map(|i| &self.units[*i])
    }

    /// Position in units.toml: breakdowns list units in this order.
    pub fn rank(&self, code: &str) -> usize {
        match self.index.get(&code.to_uppercase()) {
            Some(i) => *i,
            None => self.units.iter().position(|u| u.code == code).unwrap_or(usize::MAX),
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
        let mut report = report_of(dir, root, files)?;
        let period = report.period;
        let key_at = |section: &str, key: &str| setting_file(dir, root, files, section, key);
        // the strings that name the period are small templates of it
        let vb = &mut report.document;
        let raw_file = vb.file_name.clone();
        vb.subject = period_text(&vb.subject, &period, &key_at("van_ban", "trich_yeu"), "trich_yeu")?;
        vb.file_name = period_text(&vb.file_name, &period, &key_at("van_ban", "ten_tep"), "ten_tep")?;
        for k in &mut vb.addressees {
            *k = period_text(k, &period, &key_at("van_ban", "kinh_gui"), "kinh_gui")?;
        }
        check_file_name(&raw_file, &period, &key_at("van_ban", "ten_tep"))?;
        let (path, text) = get("catalog.toml")?;
        let mut inputs_key = text.clone();
        let mut catalog: Catalog = parse_toml(&path, text)?;
        catalog.index = catalog.indicators.iter().enumerate().map(|(i, ind)| (ind.code.to_string(), i)).collect();
        let (path, text) = get("units.toml")?;
        inputs_key.push_str(text);
        inputs_key.push_str(&format!("{:?}", report.period));
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
            Some(text) => {
                let path = dir.join("phu-luc.toml");
                let mut app: Appendix = parse_toml(&path, text)?;
                let raw_file = app.file_name.clone();
                app.title = period_text(&app.title, &period, &path, "tieu_de")?;
                app.file_name = period_text(&app.file_name, &period, &path, "ten_tep")?;
                check_literal_years(&raw_file, &period, &path, "ten_tep")?;
                Some(app)
            }
            None => None,
        };
        let documents = match get(DOCUMENTS_FILE) {
            Ok((path, text)) => documents_of(&path, text, &period)?,
            Err(_) => Vec::new(),
        };
        let narrative = match get(NARRATIVE_FILE) {
            Ok((path, text)) => narrative_of(&path, text, &period)?,
            Err(_) => Narrative::default(),
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
            documents,
            narrative,
        };
        def.check()?;
        def.check_date(&key_at("van_ban", "ngay"))?;
        Ok(def)
    }

    /// The period.
    pub fn period(&self) -> &Period {
        &self.report.period
    }

    /// A signing date set outside the period is most likely last period's.
    fn check_date(&self, at: &Path) -> Result<()> {
        let Some(date) = self.report.date()? else { return Ok(()) };
        let p = self.period();
        let (from, to) = p.signing_window();
        if date < from || date > to {
            bail!(
                "«{}», khóa ngay = \"{}\" trong [van_ban]: ngày ký nằm ngoài kỳ báo cáo {} (chỉ nhận từ {} đến {}); \
                 có thể là ngày của văn bản kỳ trước. Để trống (ngay = \"\") khi chưa ký, hoặc ghi ngày ký của văn bản kỳ này",
                at.display(),
                self.report.document.date.trim(),
                p.phrase(),
                crate::vi::short_date(from),
                crate::vi::short_date(to)
            );
        }
        Ok(())
    }

    /// Consistency of the definition itself, so mistakes in the TOML files
    /// are reported once, by name, before any workbook is read.
    fn check(&self) -> Result<()> {
        self.report.date()?;
        let at = self.dir.join("report.toml");
        let vb = &self.report.document;
        if self.report.is_letter() && vb.addressees.iter().all(|k| k.trim().is_empty()) {
            bail!(
                "«{}»: công văn (ten_loai để trống) phải có nơi «Kính gửi»: thêm dòng kinh_gui = [\"…\"] trong [van_ban]",
                at.display()
            );
        }
        if !self.report.is_letter() && vb.kind_code.trim().is_empty() {
            bail!(
                "«{}»: văn bản «{}» chưa có ký hiệu loại (ma_loai, ví dụ \"KH\", \"BC\")",
                at.display(),
                vb.kind_name
            );
        }
        let mut seen = HashMap::new();
        for u in &self.units.units {
            if seen.insert(u.code.to_uppercase(), ()).is_some() {
                bail!("units.toml: mã đơn vị «{}» bị khai báo hai lần", u.code);
            }
        }
        let kinds: Vec<&str> = self.units.units.iter().map(|u| u.kind.as_str()).collect();
        let mut codes = HashMap::new();
        for ind in &self.catalog.indicators {
            if !ind.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || ind.code.is_empty()
            {
                bail!(
                    "catalog.toml: mã chỉ tiêu «{}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới",
                    ind.code
                );
            }
            if let Some(bad) = spreadsheet_escape(&ind.code) {
                bail!(
                    "catalog.toml: mã chỉ tiêu «{}» có «{bad}», mà Excel và LibreOffice đọc thành một ký tự điều khiển \
                     (mã bị hỏng khi đơn vị lưu biểu mẫu); đổi mã, ví dụ bỏ dấu gạch dưới sau «{}»",
                    ind.code,
                    bad.trim_end_matches('_')
                );
            }
            if codes.insert(ind.code.clone(), ind).is_some() {
                bail!("catalog.toml: mã chỉ tiêu «{}» bị khai báo hai lần", ind.code);
            }
            for who in &ind.units {
                if self.units.get(who).is_none() && !kinds.contains(&who.as_str()) {
                    bail!("catalog.toml: chỉ tiêu «{}» ghi đơn vị báo cáo «{}», không có trong units.toml (mã hoặc loại đơn vị)", ind.code, who);
                }
            }
            if ind.is_derived() && !ind.units.is_empty() {
                bail!("catalog.toml: chỉ tiêu «{}» là tổng của chỉ tiêu khác (cong) nên không ghi don_vi", ind.code);
            }
            if !ind.is_derived() && ind.units.is_empty() {
                bail!("catalog.toml: chỉ tiêu «{}» chưa ghi đơn vị nào báo cáo (don_vi)", ind.code);
            }
        }
        for ind in &self.catalog.indicators {
            for part in &ind.sum_of {
                match codes.get(part.as_str()) {
                    None => bail!("catalog.toml: chỉ tiêu «{}» cộng từ «{}», mã này chưa được khai báo", ind.code, part),
                    Some(p) if p.is_derived() => bail!("catalog.toml: chỉ tiêu «{}» cộng từ «{}», là một chỉ tiêu tổng; hãy cộng trực tiếp các chỉ tiêu thành phần", ind.code, part),
                    Some(_) => {}
                }
            }
        }
        for rel in &self.catalog.relations {
            for code in std::iter::once(&rel.total).chain(&rel.parts) {
                if !codes.contains_key(code.as_str()) {
                    bail!("catalog.toml: quan hệ của «{}» nhắc mã chỉ tiêu «{code}» chưa được khai báo", rel.total);
                }
            }
        }
        for g in self.catalog.document_groups.iter().chain(&self.catalog.list_groups) {
            for who in &g.units {
                if self.units.get(who).is_none() && !kinds.contains(&who.as_str()) {
                    bail!(
                        "catalog.toml: nhóm «{}» ghi đơn vị «{who}», không có trong units.toml (mã hoặc loại đơn vị)",
                        g.code
                    );
                }
            }
        }
        if let Some(app) = &self.appendix {
            for g in &app.groups {
                for code in &g.indicators {
                    if !codes.contains_key(code.as_str()) {
                        bail!("phu-luc.toml: nhóm «{}» có mã chỉ tiêu «{code}» không có trong catalog.toml", g.name);
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
            None if self.catalog.index.is_empty() => self.catalog.indicators.iter().find(|i| &*i.code == code),
            None => None,
        }
    }

    /// Whether `unit` is one of the units the catalog expects for `ind`.
    pub fn reports(&self, ind: &Indicator, unit: &Unit) -> bool {
        ind.units.iter().any(|w| w.eq_ignore_ascii_case(&unit.code) || *w == unit.kind)
    }

    /// The units expected to submit anything at all.
    pub fn expected_units(&self) -> Vec<&Unit> {
        self.units.units.iter().filter(|u| self.catalog.indicators.iter().any(|i| self.reports(i, u))).collect()
    }

    /// The units that list the rows of a document group (`documents`) or
    /// of a list group, as the catalog declares them.
    pub fn group_units(&self, group: &str, documents: bool) -> Vec<&Unit> {
        let decls = if documents { &self.catalog.document_groups } else { &self.catalog.list_groups };
        let key = crate::vi::fold(group);
        let Some(decl) = decls.iter().find(|g| crate::vi::fold(&g.code) == key) else { return Vec::new() };
        self.units
            .units
            .iter()
            .filter(|u| decl.units.iter().any(|w| w.eq_ignore_ascii_case(&u.code) || *w == u.kind))
            .collect()
    }

    /// Indicator codes by group, in catalog order (for forms and the appendix).
    pub fn groups(&self) -> BTreeMap<usize, (String, Vec<&Indicator>)> {
        let mut order: Vec<String> = Vec::new();
        let mut out: BTreeMap<usize, (String, Vec<&Indicator>)> = BTreeMap::new();
        for ind in &self.catalog.indicators {
            let pos = match order.iter().position(|g| *g == ind.group) {
                Some(p) => p,
                None => {
                    order.push(ind.group.clone());
                    order.len() - 1
                }
            };
            out.entry(pos).or_insert_with(|| (ind.group.clone(), Vec::new())).1.push(ind);
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

/// A part of a code that spreadsheet programs read as an escaped character
/// (`_xHHHH_` of the OOXML format; LibreOffice also takes fewer digits):
/// "attp_xa_ntm" is saved back as "attp\nntm".
fn spreadsheet_escape(code: &str) -> Option<&str> {
    let bytes = code.as_bytes();
    for (i, _) in code.match_indices("_x") {
        let hex = bytes[i + 2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if (1..=4).contains(&hex) && bytes.get(i + 2 + hex) == Some(&b'_') {
            return Some(&code[i..i + 3 + hex]);
        }
    }
    None
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

/// The file that sets `section.key`: the kind's report.toml when it has
/// the key, else the shared chung.toml.
fn setting_file(dir: &Path, root: &Path, files: &Files, section: &str, key: &str) -> PathBuf {
    let has = |text: Option<&String>| {
        text.and_then(|t| toml::from_str::<toml::Table>(t).ok())
            .and_then(|t| t.get(section).and_then(|s| s.as_table()).map(|s| s.contains_key(key)))
            .unwrap_or(false)
    };
    if !has(files.own.get("report.toml")) && has(files.shared.get(SHARED_SETTINGS)) {
        return root.join(SHARED_SETTINGS);
    }
    dir.join("report.toml")
}

/// The variables of the period every template sees (the text's fragments
/// and the settings that are small templates): `nam`, `nam_truoc`,
/// `nam_sau`, `ky` ("6 tháng"), `ky_day_du` ("6 tháng đầu năm 2023"),
/// `ngay_cuoi_ky` ("30/6/2023"), `thang_cuoi_ky` (6).
pub fn period_context(p: &Period) -> tera::Context {
    use chrono::Datelike;
    let mut ctx = tera::Context::new();
    ctx.insert("nam", &p.year);
    ctx.insert("nam_truoc", &(p.year - 1));
    ctx.insert("nam_sau", &(p.year + 1));
    ctx.insert("ky", &p.kind_words());
    ctx.insert("ky_day_du", &p.phrase());
    ctx.insert("ngay_cuoi_ky", &p.end_text());
    ctx.insert("thang_cuoi_ky", &p.end().month());
    ctx
}

/// A setting written as a small template of the period, rendered; an
/// error names the file and the key.
fn period_text(template: &str, p: &Period, file: &Path, key: &str) -> Result<String> {
    if !template.contains("{{") && !template.contains("{%") {
        return Ok(template.to_string());
    }
    let mut tera = tera::Tera::new();
    tera.register_filter("can_chi", |y: i64, _: tera::Kwargs, _: &tera::State| crate::vi::can_chi(y as i32));
    tera.render_str(template, &period_context(p), false).map_err(|e| {
        let mut reason = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            reason = s.to_string();
            src = s.source();
        }
        anyhow!(
            "«{}», khóa {key} = \"{template}\": không điền được ({reason}); các biến dùng được: \
             nam, nam_truoc, nam_sau, ky, ky_day_du, ngay_cuoi_ky, thang_cuoi_ky",
            file.display()
        )
    })
}

/// The four-digit years written as such in a setting (outside `{{ … }}`).
pub fn literal_years(template: &str) -> Vec<i32> {
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        text.push_str(&rest[..i]);
        text.push(' ');
        rest = rest[i..].find("}}").map(|j| &rest[i + j + 2..]).unwrap_or("");
    }
    text.push_str(rest);
    let mut years = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_digit()) {
        if word.len() == 4 {
            if let Ok(y) = word.parse::<i32>() {
                if (1900..2200).contains(&y) {
                    years.push(y);
                }
            }
        }
    }
    years
}

/// A file name must follow the period: a year written in it that is
/// neither the period's nor the next is last period's.
fn check_literal_years(raw: &str, p: &Period, file: &Path, key: &str) -> Result<()> {
    if let Some(y) = literal_years(raw).into_iter().find(|y| *y != p.year && *y != p.year + 1) {
        bail!(
            "«{}», khóa {key} = \"{raw}\": năm {y} ghi cố định không phải năm của kỳ báo cáo ({}) hay năm sau; \
             thay {y} bằng {{{{ nam }}}} (năm {}) hoặc {{{{ nam_sau }}}} (năm {}) để tên tệp đổi theo kỳ",
            file.display(),
            p.phrase(),
            p.year,
            p.year + 1
        );
    }
    Ok(())
}

/// The document's file name: no stale year, and a year at all, so that the
/// next period's document never replaces this one's.
fn check_file_name(raw: &str, p: &Period, file: &Path) -> Result<()> {
    if raw.trim().is_empty() {
        return Ok(());
    }
    check_literal_years(raw, p, file, "ten_tep")?;
    if !raw.contains("{{") && literal_years(raw).is_empty() {
        bail!(
            "«{}», khóa ten_tep = \"{raw}\": tên tệp không có năm nên văn bản kỳ sau sẽ ghi đè văn bản kỳ này; \
             thêm năm vào tên, ví dụ ten_tep = \"{raw}-{{{{ nam_sau }}}}\" hoặc \"{raw}-{{{{ nam }}}}\"",
            file.display()
        );
    }
    Ok(())
}

/// The period a data file says it is for (`ky = "6 tháng 2023"`) must be
/// the report's.
fn check_file_period(path: &Path, period: Option<&str>, p: &Period) -> Result<()> {
    let Some(period) = period.map(str::trim).filter(|k| !k.is_empty()) else { return Ok(()) };
    let theirs = Period::parse(period).map_err(|e| anyhow!("«{}», khóa ky: {e}", path.display()))?;
    if theirs != *p {
        bail!(
            "«{}» là của kỳ {} (ky = \"{period}\"), kỳ báo cáo hiện là {}: chạy «baocao ky-moi» để sang kỳ mới \
             (tệp cũ được lưu vào luu-tru/), hoặc sửa nội dung tệp cho kỳ này rồi ghi ky = \"{}\"",
            path.display(),
            theirs.phrase(),
            p.phrase(),
            p.phrase()
        );
    }
    Ok(())
}

/// The clerk's documents of `van-ban.toml`.
fn documents_of(path: &Path, text: &str, p: &Period) -> Result<Vec<CitedDocument>> {
    let parsed: DocumentsToml = parse_toml(path, text)?;
    check_file_period(path, parsed.period.as_deref(), p)?;
    let file = crate::vi::sanitize_inline(&path.display().to_string().replace('\\', "/"));
    parsed
        .documents
        .into_iter()
        .enumerate()
        .map(|(index, d)| {
            let date = match d.date.trim() {
                "" => None,
                s => Some(
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
                        .map_err(|_| {
                            anyhow!(
                                "«{}», văn bản thứ {} ({}): ngày «{s}» không đúng dạng NĂM-THÁNG-NGÀY (ví dụ 2023-06-16)",
                                path.display(),
                                index + 1,
                                d.number
                            )
                        })?,
                ),
            };
            let clean = |s: &str| crate::vi::sanitize_inline(s);
            Ok(CitedDocument {
                number: clean(&d.number),
                date,
                agency: clean(&d.agency),
                kind: clean(&d.kind),
                subject: clean(&d.subject),
                group: clean(&d.group),
                file: file.clone(),
                index,
            })
        })
        .collect()
}

/// The clerk's narrative of `nhan-dinh.toml`.
fn narrative_of(path: &Path, text: &str, p: &Period) -> Result<Narrative> {
    let parsed: NarrativeToml = parse_toml(path, text)?;
    check_file_period(path, parsed.period.as_deref(), p)?;
    let file = crate::vi::sanitize_inline(&path.display().to_string().replace('\\', "/"));
    let texts = parsed.assessments.into_iter().map(|(k, v)| (k, crate::vi::sanitize(v.trim()))).collect();
    Ok(Narrative { file, texts })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_that_spreadsheets_would_mangle() {
        assert_eq!(spreadsheet_escape("attp_xa_ntm"), Some("_xa_"));
        assert_eq!(spreadsheet_escape("a_x000d_b"), Some("_x000d_"));
        assert_eq!(spreadsheet_escape("lmlm_xa"), None);
        assert_eq!(spreadsheet_escape("xa_ntm"), None);
        assert_eq!(spreadsheet_escape("dt_xuan_x"), None);
    }
}
