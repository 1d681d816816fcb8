//! `baocao serve`: the clerk's desk in a browser, over the same working
//! folder as the command line (`inputs/`, `templates/`, `output/`).
//!
//! Four pages — Tổng quan (who has submitted), Kiểm tra (what is wrong),
//! Nộp biểu mẫu (upload, blank forms), Văn bản (build, preview, download) —
//! rendered with Tera (autoescaped) from the same library calls the CLI
//! makes, so every file the page writes is the file the CLI writes. Live
//! updates come as server-sent events: the inputs folder is watched, and a
//! build reports its progress.
//!
//! Safety ([`guard`]): loopback only unless `--lan`, which requires an
//! access code; every state-changing request is same-origin and carries the
//! CSRF token; files are served only from `output/` by a single plain name,
//! never through a symlink nor outside the working folder; uploads are
//! stored under a name made from the unit code, never the name sent.

mod documents;
mod guard;
mod pages;
mod state;
mod upload;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use anyhow::{bail, Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::broadcast;

use crate::config::ReportDef;
use crate::ingest::Limits;
use crate::Templates;

pub use state::{Snapshot, Status, UnitStatus, Watching};

/// How many workbooks one upload may carry.
pub const MAX_UPLOAD_FILES: usize = 40;
/// Body of a request that is not an upload (forms, the login).
const SMALL_BODY: usize = 16 * 1024;

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct Options {
    /// The working folder: `inputs/`, `templates/` (optional), `output/`.
    pub root: PathBuf,
    /// Listen on every interface, behind an access code.
    pub lan: bool,
    /// The reader's limits (the same as the CLI's); an upload larger than
    /// `max_file_bytes` is refused before it is read.
    pub limits: Limits,
}

/// A message to the open pages (server-sent events).
#[derive(Debug, Clone)]
pub struct Event {
    /// `trang-thai` (the inputs were checked again), `tien-do` (build
    /// progress, JSON), `van-ban` (documents written).
    pub kind: &'static str,
    pub data: String,
}

/// The server's state: the working folder, what was last found in it, the
/// secrets of this run.
pub struct Desk {
    root: PathBuf,
    inputs: PathBuf,
    output: PathBuf,
    /// Where a unit's earlier file is moved when it sends a new one: outside
    /// `inputs/`, so it is never read again, and never deleted.
    old: PathBuf,
    templates: Option<PathBuf>,
    lan: bool,
    code: Option<String>,
    csrf: String,
    sessions: Mutex<HashSet<String>>,
    limits: Limits,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One check of the inputs at a time.
    checking: Mutex<u64>,
    /// One build (or upload) changing the folder at a time.
    busy: tokio::sync::Mutex<()>,
    events: broadcast::Sender<Event>,
    tera: tera::Tera,
    libreoffice: bool,
}

impl Desk {
    /// Opens the working folder `opts.root` (creating `inputs/` when it is
    /// missing) and checks the inputs once.
    pub fn open(opts: Options) -> Result<Arc<Desk>> {
        let root = std::fs::canonicalize(&opts.root)
            .with_context(|| format!("không mở được thư mục làm việc «{}»", opts.root.display()))?;
        let inputs = root.join("inputs");
        match std::fs::symlink_metadata(&inputs) {
            Ok(m) if m.file_type().is_symlink() => {
                bail!("«{}» là liên kết (symlink); baocao serve chỉ làm việc với thư mục thật", inputs.display())
            }
            Ok(m) if !m.is_dir() => bail!("«{}» không phải thư mục", inputs.display()),
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(&inputs)
                .with_context(|| format!("không tạo được thư mục «{}»", inputs.display()))?,
        }
        let templates = Some(root.join("templates")).filter(|t| t.is_dir());
        let (events, _) = broadcast::channel(256);
        let lan = opts.lan;
        let desk = Desk {
            output: root.join("output"),
            old: root.join("ban-cu"),
            inputs,
            templates,
            lan,
            code: lan.then(guard::access_code),
            csrf: guard::random_hex(24),
            sessions: Mutex::new(HashSet::new()),
            limits: opts.limits,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            checking: Mutex::new(0),
            busy: tokio::sync::Mutex::new(()),
            events,
            tera: pages::tera()?,
            libreoffice: crate::output::libreoffice_available(),
            root,
        };
        desk.refresh();
        Ok(Arc::new(desk))
    }

    /// The working folder (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The code a browser on another machine must give (`--lan` only).
    pub fn access_code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The token every state-changing request carries (header `X-CSRF-Token`).
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }

    /// What the last check of the inputs found.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Listens to the events the pages get.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn send(&self, kind: &'static str, data: String) {
        // nobody listening is fine
        let _ = self.events.send(Event { kind, data });
    }

    /// The kinds of document of the working folder (or built in).
    fn kinds(&self) -> Vec<String> {
        match &self.templates {
            Some(t) => crate::kinds_in(t).unwrap_or_default(),
            None => crate::embedded::kinds(),
        }
    }

    /// The templates of `kind` ("tat-ca": every kind), as the CLI's `--mau` /
    /// `--tat-ca` would select them in this folder. Only known kinds.
    fn templates_for(&self, kind: &str) -> Option<Templates> {
        if kind == "tat-ca" {
            return Some(match &self.templates {
                Some(t) => Templates::All(t.clone()),
                None => Templates::AllBuiltIn,
            });
        }
        if !self.kinds().iter().any(|k| k == kind) {
            return None;
        }
        Some(match &self.templates {
            Some(t) => Templates::Dir(t.join(kind)),
            None => Templates::BuiltIn(kind.to_string()),
        })
    }

    /// Every kind's definition that reads the inputs as the default kind
    /// does (what `baocao check` checks), the default kind first; and the
    /// kinds left out because they read them otherwise.
    fn definitions(&self) -> Result<(Vec<ReportDef>, Vec<String>)> {
        let all = match &self.templates {
            Some(t) => Templates::All(t.clone()),
            None => Templates::AllBuiltIn,
        };
        let mut defs = all.load_all()?;
        let first = defs.iter().position(|d| d.kind == crate::embedded::DEFAULT_REPORT).unwrap_or(0);
        let primary = defs.remove(first);
        let (same, other): (Vec<_>, Vec<_>) = defs.into_iter().partition(|d| d.same_inputs(&primary));
        let mut defs = vec![primary];
        defs.extend(same);
        Ok((defs, other.into_iter().map(|d| d.kind).collect()))
    }

    /// The blank forms as `baocao forms` writes them: for every kind read
    /// from these inputs, with last year's figures from the archive.
    fn form_maker(&self) -> Result<crate::FormMaker> {
        let (defs, _) = self.definitions()?;
        crate::FormMaker::new(&defs, Some(&self.inputs), &self.limits)
    }
}

/// The application: every page and route, behind the safety checks.
pub fn router(desk: Arc<Desk>) -> Router {
    let upload_body = (desk.limits.max_file_bytes as usize).saturating_mul(4).clamp(1 << 20, 256 << 20);
    Router::new()
        .route("/", get(pages::overview))
        .route("/tong-quan/bang", get(pages::overview_table))
        .route("/kiem-tra", get(pages::findings))
        .route("/kiem-tra/bang", get(pages::findings_table))
        .route("/kiem-tra.xlsx", get(pages::findings_workbook))
        .route("/nop", get(upload::page).post(upload::receive).layer(DefaultBodyLimit::max(upload_body)))
        .route("/bieu-mau.zip", get(upload::all_forms))
        .route("/bieu-mau/{ma}", get(upload::one_form))
        .route("/van-ban", get(documents::page))
        .route("/van-ban/danh-sach", get(documents::list))
        .route("/van-ban/tao", post(documents::build))
        .route("/xem/{name}", get(documents::preview))
        .route("/tai/{name}", get(documents::download))
        .route("/su-kien", get(pages::events))
        .route("/tai-nguyen/{name}", get(pages::asset))
        .route("/dang-nhap", get(guard::login_page).post(guard::login))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(SMALL_BODY))
        .layer(axum::middleware::from_fn_with_state(desk.clone(), guard::check))
        .with_state(desk)
}

/// Watches `inputs/` (and `templates/`) and checks again on every change,
/// telling the open pages. Stops when the returned value is dropped.
pub fn watch(desk: &Arc<Desk>) -> Result<Watching> {
    state::watch(desk)
}

/// Serves `desk` on `listener` until the process ends.
pub async fn serve(desk: Arc<Desk>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(desk).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).await
}
