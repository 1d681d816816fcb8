//! baocao: the official reports and plans of a Vietnamese provincial
//! department, written from the Excel workbooks its units submit.
//!
//! The pipeline, one direction, each stage a module with plain-data output:
//!
//! ```text
//! inputs/*.xlsx|xls|ods ─ ingest ─► RawWorkbook ─ model::validate ─► Submission + Diagnostic
//!   ─ model::aggregate ─► Figures ─ render (Tera + vi filters) ─► blocks::Document
//!   ─ docx (Decree 30 layout) ─► output/<name>.docx
//! ```

pub mod archive;
pub mod arrival;
pub mod config;
pub mod diag;
pub mod doc;
pub mod docx;
pub mod embedded;
pub mod forms;
pub mod html;
pub mod ingest;
pub mod model;
pub mod needs;
pub mod origin;
pub mod output;
pub mod period;
pub mod provenance;
pub mod render;
pub mod review;
pub mod rollover;
#[cfg(feature = "serve")]
pub mod serve;
pub mod vi;
pub mod xlsx;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use chrono::NaiveDate;

pub use config::kinds_in;
use config::ReportDef;
use model::{Diagnostic, Figures, Severity, Submission};

/// Everything read and checked from the inputs folder.
#[derive(Debug)]
pub struct Checked {
    pub submissions: Vec<Submission>,
    pub figures: std::sync::Arc<Figures>,
    /// Sorted: errors first, then by file.
    pub diagnostics: Vec<Diagnostic>,
    /// Workbooks found (read or not).
    pub files: usize,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }
}

/// Told about long work as it goes (the CLI draws a progress bar).
pub trait Progress: Sync {
    /// `total` workbooks are about to be read.
    fn start(&self, _total: usize) {}
    /// One more workbook was read.
    fn read(&self, _name: &str) {}
    fn finish(&self) {}
    /// A stage of the work is done (the benchmark times them).
    fn stage(&self, _done: Stage) {}
}

/// The stages of a build, in order, as [`Progress::stage`] hears of them
/// (`check` goes as far as [`Stage::Required`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The report definition is loaded.
    Templates,
    /// Every workbook is read and checked on its own.
    Read,
    /// The checked workbooks are put together.
    Combine,
    /// The figures are summed.
    Aggregate,
    /// The cells the document needs are known and checked.
    Required,
    /// The text is written from the templates.
    Render,
    /// The document (and its appendix) is assembled.
    Assemble,
    /// The files are written.
    Write,
}

/// Progress nobody watches.
pub struct Quiet;

impl Progress for Quiet {}

/// Reads, checks and sums every workbook under `inputs`.
pub fn check(def: &ReportDef, inputs: &Path) -> Result<Checked> {
    check_with(def, inputs, &Quiet)
}

/// [`check`], reporting progress.
pub fn check_with(def: &ReportDef, inputs: &Path, progress: &dyn Progress) -> Result<Checked> {
    check_for(std::slice::from_ref(def), inputs, &ingest::Limits::default(), progress)
}

/// Reads, checks and sums the inputs once for several kinds of document
/// (they share the catalog, the units and the period): the cells required
/// are those any of them prints.
pub fn check_for(
    defs: &[ReportDef],
    inputs: &Path,
    limits: &ingest::Limits,
    progress: &dyn Progress,
) -> Result<Checked> {
    let gathered = gather(defs, inputs, limits, progress)?;
    let found = print_findings(defs, &gathered.checked.submissions, &gathered.checked.figures)?;
    Ok(gathered.conclude(found, progress))
}

/// The inputs read, checked one by one, put together and summed: a
/// [`Checked`] but for the findings that depend on what the documents print
/// ([`print_findings`]).
struct Gathered {
    checked: Checked,
}

impl Gathered {
    /// The whole check, with the findings of [`print_findings`].
    fn conclude(self, found: Vec<Diagnostic>, progress: &dyn Progress) -> Checked {
        let mut checked = self.checked;
        checked.diagnostics.extend(found);
        checked.diagnostics.sort();
        checked.diagnostics.dedup();
        progress.stage(Stage::Required);
        checked
    }
}

fn gather(defs: &[ReportDef], inputs: &Path, limits: &ingest::Limits, progress: &dyn Progress) -> Result<Gathered> {
    let def = defs.first().ok_or_else(|| anyhow::anyhow!("chưa chọn loại văn bản nào"))?;
    if let Some(other) = defs.iter().find(|d| !d.same_inputs(def)) {
        anyhow::bail!(
            "hai loại văn bản «{}» và «{}» dùng danh mục chỉ tiêu, danh sách đơn vị hoặc kỳ báo cáo khác nhau nên \
             không kiểm tra chung được; chọn từng loại bằng --mau",
            def.kind,
            other.kind
        );
    }
    // last year's figures, when the archive has the same period of the previous year
    let last = archive::last_year(def, inputs, limits)?;
    let (paths, skipped) = ingest::discover_with(inputs, limits)?;
    let mut diagnostics: Vec<Diagnostic> = skipped
        .iter()
        .map(|s| Diagnostic::warning(&ingest::display_name(inputs, &s.path), format!("bỏ qua tệp: {}", s.reason)))
        .collect();
    if paths.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                &vi::sanitize_inline(&inputs.display().to_string()),
                "thư mục biểu mẫu chưa có tệp bảng tính nào (.xlsx, .xls, .xlsm, .ods)",
            )
            .hint(
                "Chép các tệp đơn vị gửi về vào thư mục này; hoặc chạy «baocao init» để tạo thư mục làm việc \
                 có sẵn bộ biểu mẫu mẫu",
            ),
        );
    }
    progress.start(paths.len());
    // read and check on every core, file by file; results come back in the
    // order of `paths`
    let each = ingest::read_each(inputs, &paths, limits, &|name| progress.read(name), |name, result| match result {
        Ok(mut raw) => {
            let from_archive = last.as_ref().map(|l| archive::apply(l, def, &mut raw)).unwrap_or_default();
            let mut one = model::check_one(def, &raw);
            one.diagnostics.extend(from_archive);
            one
        }
        Err(reason) => model::Checked1 { submission: None, diagnostics: vec![reason.diagnostic(&name)], sender: None },
    });
    progress.finish();
    progress.stage(Stage::Read);
    let (mut submissions, mut found) = model::combine(def, each);
    diagnostics.append(&mut found);
    progress.stage(Stage::Combine);
    let (mut figures, mut found) = model::aggregate(def, &mut submissions);
    figures.documents.extend(needs::clerk_documents(def));
    if let Some(last) = &last {
        figures.notes = last.notes();
        diagnostics.extend(last.diagnostics.iter().cloned());
    }
    let figures = std::sync::Arc::new(figures);
    diagnostics.append(&mut found);
    progress.stage(Stage::Aggregate);
    Ok(Gathered { checked: Checked { submissions, figures, diagnostics, files: paths.len() } })
}

/// What the documents print decides which empty cells matter; what they
/// cite and cannot print is a finding here rather than a refusal of build.
fn print_findings(defs: &[ReportDef], submissions: &[Submission], figures: &Arc<Figures>) -> Result<Vec<Diagnostic>> {
    let def = defs.first().ok_or_else(|| anyhow::anyhow!("chưa chọn loại văn bản nào"))?;
    let mut used: Vec<(String, model::Column)> = Vec::new();
    let mut gaps = Vec::new();
    let mut failed = Vec::new();
    for d in defs {
        let n = render::needs(d, figures)?;
        used.extend(n.figures);
        gaps.extend(n.gaps);
        failed.extend(n.failed);
    }
    used.sort();
    used.dedup();
    gaps.sort();
    gaps.dedup();
    let mut found = model::required(def, submissions, figures, &used);
    found.extend(needs::gap_findings(def, submissions, &gaps));
    found.extend(needs::failed_findings(def, figures, &failed));
    Ok(found)
}

/// Which kinds of document, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Templates {
    /// One kind: its folder (report.toml and *.md.tera; the shared files in
    /// the folder above it).
    Dir(PathBuf),
    /// One kind built into the binary, by name.
    BuiltIn(String),
    /// Every kind of a templates folder.
    All(PathBuf),
    /// Every kind built into the binary.
    AllBuiltIn,
}

impl Templates {
    /// The definition of the (first) kind.
    pub fn load(&self) -> Result<ReportDef> {
        self.load_all()?.into_iter().next().ok_or_else(|| anyhow::anyhow!("không có loại văn bản nào"))
    }

    /// The definitions of every kind selected, in folder-name order.
    pub fn load_all(&self) -> Result<Vec<ReportDef>> {
        match self {
            Templates::Dir(d) => Ok(vec![ReportDef::load(d)?]),
            Templates::BuiltIn(kind) => Ok(vec![embedded::report_def(kind)?]),
            Templates::All(root) => {
                let kinds = kinds_in(root)?;
                if kinds.is_empty() {
                    anyhow::bail!(
                        "thư mục «{}» không có loại văn bản nào (thư mục con có report.toml)",
                        root.display()
                    );
                }
                kinds.iter().map(|k| ReportDef::load(&root.join(k))).collect()
            }
            Templates::AllBuiltIn => embedded::kinds().iter().map(|k| embedded::report_def(k)).collect(),
        }
    }
}

impl From<PathBuf> for Templates {
    fn from(p: PathBuf) -> Self {
        Templates::Dir(p)
    }
}

/// What `build` needs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub inputs: PathBuf,
    pub templates: Templates,
    pub out: PathBuf,
    /// Write a draft even when inputs have errors, with every missing or
    /// rejected figure marked in the text.
    pub draft: bool,
    /// What a workbook may be (size, cells…), set once by the front end
    /// (the command line reads the environment).
    pub limits: ingest::Limits,
}

/// One document written by `build`.
#[derive(Debug)]
pub struct BuiltDocument {
    /// The kind (template folder name).
    pub kind: String,
    /// The .docx.
    pub path: PathBuf,
    /// The HTML copy (the preview).
    pub html: PathBuf,
    /// Every figure printed, and the figures behind them
    /// ([`provenance::sources`] lists the cells).
    pub printed: Vec<provenance::Printed>,
    /// The document tree both were written from.
    pub document: doc::Document,
}

/// What `build` did.
#[derive(Debug)]
pub struct Built {
    /// The (first) document.
    pub path: PathBuf,
    /// Other files written (the HTML copies, the appendix, the provenance,
    /// the other documents).
    pub others: Vec<PathBuf>,
    /// Files that could not be replaced (open elsewhere), with the path
    /// written instead: (wanted, written).
    pub redirected: Vec<(PathBuf, PathBuf)>,
    /// The (first) document's printed figures.
    pub printed: Vec<provenance::Printed>,
    /// Every document, in kind order.
    pub documents: Vec<BuiltDocument>,
    pub sums: std::sync::Arc<Figures>,
    pub units: usize,
    pub figures: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why `build` wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The inputs have errors; the document is not written.
    Inputs(Vec<Diagnostic>),
    /// Anything else (templates, files), already in Vietnamese.
    Other(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Other(e)
    }
}

/// The whole pipeline: inputs and templates in, the documents written.
pub fn build(opts: &BuildOptions) -> Result<Built, BuildError> {
    build_with(opts, &Quiet)
}

/// [`build`], reporting progress.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, BuildError> {
    let defs = opts.templates.load_all()?;
    progress.stage(Stage::Templates);
    let gathered = gather(&defs, &opts.inputs, &opts.limits, progress)?;
    // the documents are written while what they print is checked; a build
    // the findings refuse throws its texts away
    let (found, texts) = {
        let (submissions, figures) = (&gathered.checked.submissions, &gathered.checked.figures);
        rayon::join(
            || print_findings(&defs, submissions, figures),
            || {
                defs.iter()
                    .map(|def| {
                        let date = stamp(def, submissions);
                        let render_opts = render::RenderOptions { draft: opts.draft, stamp: Some(date) };
                        render::render(def, figures, render_opts).map(|r| (r, date))
                    })
                    .collect::<Vec<_>>()
            },
        )
    };
    let checked = gathered.conclude(found?, progress);
    if checked.errors() > 0 && !opts.draft {
        return Err(BuildError::Inputs(checked.diagnostics));
    }
    progress.stage(Stage::Render);
    let mut files: Vec<(PathBuf, output::Content)> = Vec::new();
    let mut made = Vec::new();
    for (def, text) in defs.iter().zip(texts) {
        let (rendered, date) = text?;
        let printed = provenance::trace(&rendered.document, &rendered.uses);
        let stem = def.report.file_stem();
        let (doc, figures) = (&rendered.document, &*checked.figures);
        let csv = opts.out.join(provenance_cells_file_name(&stem));
        // the writers are independent: each on its own core
        let ((docx, html), (appendix, sources)) = rayon::join(
            || rayon::join(|| docx::write(doc), || html::write(doc).into_bytes()),
            || rayon::join(|| appendix_file(&rendered, date), || provenance_files(def, &printed, figures, date, &csv)),
        );
        files.push((opts.out.join(format!("{stem}.docx")), docx?.into()));
        files.push((opts.out.join(format!("{stem}.html")), html.into()));
        if let Some((name, bytes)) = appendix? {
            files.push((opts.out.join(name), bytes.into()));
        }
        let (workbook, cells) = sources?;
        files.push((opts.out.join(provenance_file_name(&stem)), workbook.into()));
        if let Some(staged) = cells {
            files.push((csv, output::Content::Staged(staged)));
        }
        made.push((def.kind.clone(), stem, printed, rendered.document));
    }
    progress.stage(Stage::Assemble);
    // the files of one build are written as a set: all or (announced) none
    let targets: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let written = output::write_set(files)?;
    let redirected =
        targets.iter().zip(&written).filter(|(w, p)| w != p).map(|(w, p)| (w.clone(), p.clone())).collect();
    progress.stage(Stage::Write);
    // every document's .docx and .html, as written
    let at = |wanted: PathBuf| targets.iter().position(|w| *w == wanted).map(|i| written[i].clone()).unwrap_or(wanted);
    let documents: Vec<BuiltDocument> = made
        .into_iter()
        .map(|(kind, stem, printed, document)| BuiltDocument {
            kind,
            path: at(opts.out.join(format!("{stem}.docx"))),
            html: at(opts.out.join(format!("{stem}.html"))),
            printed,
            document,
        })
        .collect();
    let path = documents[0].path.clone();
    let others = written.into_iter().filter(|p| *p != path).collect();
    Ok(Built {
        path,
        others,
        redirected,
        printed: documents[0].printed.clone(),
        documents,
        sums: checked.figures.clone(),
        units: checked.submissions.len(),
        figures: checked.figures.computed(),
        diagnostics: checked.diagnostics,
    })
}

/// The provenance workbook of the document `stem`.
pub fn provenance_file_name(stem: &str) -> String {
    format!("{stem}-nguon-so-lieu.xlsx")
}

/// The list of source cells of the document `stem`, when they are too
/// many for its provenance workbook ([`xlsx::CELLS_IN_WORKBOOK`]).
pub fn provenance_cells_file_name(stem: &str) -> String {
    format!("{stem}-nguon-so-lieu-cac-o.csv")
}

/// The appendix workbook of a rendered document, if it has one: its file
/// name and bytes.
fn appendix_file(rendered: &render::Rendered, date: NaiveDate) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let (Some(table), Some(section)) = (&rendered.appendix, rendered.document.appendices.first()) else {
        return Ok(None);
    };
    let bytes = xlsx::appendix_workbook(table, &section.attached, date)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| anyhow::anyhow!("không tạo được bảng tính phụ lục: {e}"))?;
    Ok(Some((format!("{}.xlsx", output::safe_file_name(&table.file_stem)), bytes)))
}

/// The provenance workbook's bytes and, when the source cells are too many
/// for it, the CSV of them staged for `csv` (see [`xlsx::cell_list`]).
fn provenance_files(
    def: &ReportDef,
    printed: &[provenance::Printed],
    figures: &model::Figures,
    date: NaiveDate,
    csv: &Path,
) -> anyhow::Result<(Vec<u8>, Option<output::Staged>)> {
    let name = csv.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let list = xlsx::cell_list(printed, figures, &name);
    let workbook = || {
        xlsx::provenance_workbook(def, printed, figures, date, list)
            .and_then(|mut wb| wb.save_to_buffer())
            .map_err(|e| anyhow::anyhow!("không tạo được bảng nguồn số liệu: {e}"))
    };
    // the workbook (a row per printed figure) and the CSV (a row per cell)
    // are written side by side
    let (workbook, cells) = match list {
        xlsx::CellList::Csv { .. } => {
            let (workbook, cells) =
                rayon::join(workbook, || output::stage(csv, |w| Ok(xlsx::cells_csv(def, printed, figures, w)?)));
            (workbook?, Some(cells?))
        }
        xlsx::CellList::Sheets { .. } => (workbook()?, None),
    };
    Ok((workbook, cells))
}

/// The date the package carries: the document's date, else the latest
/// report date of the submissions, else 1 January of the document's year.
/// Never the wall clock, so the same inputs give the same bytes.
pub fn stamp(def: &ReportDef, subs: &[Submission]) -> NaiveDate {
    def.report
        .date()
        .ok()
        .flatten()
        .or_else(|| subs.iter().filter_map(|s| s.report_date).max())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(def.period().year, 1, 1).unwrap_or_default())
}

/// What the forms of `defs` (kinds read from one set of inputs) mark: the
/// cells any of their documents reads (a total stands for its parts), and
/// last year's values from the archive beside `inputs`, when given and
/// archived.
pub fn form_marks(defs: &[ReportDef], inputs: Option<&Path>, limits: &ingest::Limits) -> Result<forms::Marks> {
    let mut marks = forms::Marks::default();
    for d in defs {
        let (mut figures, _) = model::aggregate(d, &mut []);
        figures.documents.extend(needs::clerk_documents(d));
        for (code, col) in render::needs(d, &std::sync::Arc::new(figures))?.figures {
            match d.indicator(&code) {
                Some(ind) if ind.is_derived() => {
                    marks.required.extend(ind.sum_of.iter().map(|p| (p.clone(), col)));
                }
                _ => {
                    marks.required.insert((code, col));
                }
            }
        }
    }
    if let (Some(def), Some(inputs)) = (defs.first(), inputs) {
        if let Some(last) = archive::last_year(def, inputs, limits)? {
            marks.archive = last.name();
            marks.archived = last.values.iter().map(|(k, v)| (k.clone(), v.value)).collect();
        }
    }
    Ok(marks)
}

/// Writes one blank form per expected unit into `dir`; returns the paths.
pub fn write_forms(def: &ReportDef, dir: &Path) -> Result<Vec<PathBuf>> {
    write_forms_with(std::slice::from_ref(def), dir, None, &ingest::Limits::default())
}

/// [`write_forms`] for the kinds `defs`, marked ([`form_marks`]).
pub fn write_forms_with(
    defs: &[ReportDef],
    dir: &Path,
    inputs: Option<&Path>,
    limits: &ingest::Limits,
) -> Result<Vec<PathBuf>> {
    let maker = FormMaker::new(defs, inputs, limits)?;
    let mut paths = Vec::new();
    for unit in maker.units() {
        let (name, bytes) = maker.file(unit)?;
        paths.push(output::write_atomic(&dir.join(name), &bytes)?);
    }
    Ok(paths)
}

/// The blank forms of the kinds read from one set of inputs, as `baocao
/// forms` writes them (and the browser desk hands them out).
pub struct FormMaker {
    /// The kind whose title the forms carry (the default kind when it is
    /// among them: the sample forms are the plan's).
    def: ReportDef,
    marks: forms::Marks,
}

impl FormMaker {
    pub fn new(defs: &[ReportDef], inputs: Option<&Path>, limits: &ingest::Limits) -> Result<FormMaker> {
        let def = defs
            .iter()
            .find(|d| d.kind == embedded::DEFAULT_REPORT)
            .or(defs.first())
            .ok_or_else(|| anyhow::anyhow!("chưa chọn loại văn bản nào"))?
            .clone();
        Ok(FormMaker { marks: form_marks(defs, inputs, limits)?, def })
    }

    /// The units that get a form, in units.toml order.
    pub fn units(&self) -> Vec<&config::Unit> {
        self.def.expected_units()
    }

    /// The blank form of the unit `code`.
    pub fn unit(&self, code: &str) -> Option<&config::Unit> {
        self.units().into_iter().find(|u| u.code == code)
    }

    /// The form of `unit`: its file name and bytes.
    pub fn file(&self, unit: &config::Unit) -> Result<(String, Vec<u8>)> {
        let def = &self.def;
        let date = NaiveDate::from_ymd_opt(def.period().year, 1, 1).unwrap_or_default();
        let mut wb = forms::form_workbook_with(def, unit, None, &self.marks)
            .and_then(|mut wb| xlsx::stamp(&mut wb, date, &format!("Biểu mẫu {}", unit.code)).map(|_| wb))
            .map_err(|e| anyhow::anyhow!("không tạo được biểu mẫu của {}: {e}", unit.code))?;
        let bytes =
            wb.save_to_buffer().map_err(|e| anyhow::anyhow!("không tạo được biểu mẫu của {}: {e}", unit.code))?;
        let slug = vi::fold(&unit.name_in_text).replace(' ', "-");
        Ok((output::safe_file_name(&format!("bieu-mau-{}-{slug}.xlsx", unit.code)), bytes))
    }
}
