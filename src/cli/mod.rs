//! The commands. Only this layer knows about arguments, the terminal and
//! exit codes; everything else is the library.

/// `println!` that never panics on a closed stdout ([`say`]).
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::say::out(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics on a closed stderr ([`say`]).
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::say::err(format_args!($($arg)*)) };
}

mod build;
mod check;
mod forms;
mod init;
mod next_period;
mod progress;
mod say;
#[cfg(feature = "serve")]
mod serve;
mod watch;

use std::path::PathBuf;

use baocao::Templates;
use clap::{Args, Parser, Subcommand};

const HELP_TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "baocao",
    version,
    about = "Viết kế hoạch, báo cáo của Sở từ các biểu mẫu Excel của đơn vị, trình bày theo Nghị định 30/2020/NĐ-CP.",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    args_conflicts_with_subcommands = true,
    override_usage = "baocao [LỆNH] [TÙY CHỌN]",
    after_help = "Chạy «baocao» không kèm lệnh nào cũng là «baocao build»."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    build: BuildArgs,
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, help = "In hướng dẫn này", global = true, help_heading = "Tùy chọn chung")]
    help: Option<bool>,
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help = "In số phiên bản", help_heading = "Tùy chọn chung")]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Đọc biểu mẫu trong thư mục inputs, tổng hợp số liệu và ghi văn bản .docx
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao build [TÙY CHỌN]")]
    Build(BuildArgs),
    /// Kiểm tra các biểu mẫu, liệt kê lỗi và cảnh báo (không ghi văn bản)
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao check [TÙY CHỌN]")]
    Check(CheckArgs),
    /// Tạo biểu mẫu trắng cho từng đơn vị để gửi đi
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao forms [TÙY CHỌN]")]
    Forms(FormsArgs),
    /// Theo dõi thư mục inputs và mẫu văn bản, tự tạo lại văn bản khi có thay đổi
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao watch [TÙY CHỌN]")]
    Watch(BuildArgs),
    /// Tạo thư mục làm việc (mẫu văn bản, biểu mẫu mẫu, output, hướng dẫn)
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao init [THƯ_MỤC]")]
    Init(InitArgs),
    /// Mở bàn làm việc trên trình duyệt: tình hình nộp, kiểm tra, nộp biểu mẫu, tạo văn bản
    #[command(help_template = HELP_TEMPLATE, override_usage = "baocao serve [--cong SỐ] [--lan] [--thu-muc THƯ_MỤC]")]
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Sang kỳ báo cáo mới: lưu kỳ vừa xong vào luu-tru/, đổi kỳ báo cáo, tạo biểu mẫu mới
    #[command(
        name = "ky-moi",
        help_template = HELP_TEMPLATE,
        override_usage = "baocao ky-moi [--ky \"cả năm 2024\"] [TÙY CHỌN]"
    )]
    NextPeriod(NextPeriodArgs),
}

/// Where the report definition is: the folder given, else the default
/// folder when present, else the report built into the program.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct Source {
    /// Thư mục chứa biểu mẫu các đơn vị gửi (.xlsx, .xls, .ods); mặc định: inputs
    #[arg(long, value_name = "THƯ_MỤC", default_value = "inputs", hide_default_value = true)]
    pub inputs: PathBuf,
    /// Thư mục mẫu văn bản: thư mục templates (mỗi loại văn bản một thư mục con), hoặc
    /// thư mục của một loại; mặc định templates, không có thì dùng mẫu có sẵn trong chương trình
    #[arg(long, value_name = "THƯ_MỤC")]
    pub templates: Option<PathBuf>,
    /// Loại văn bản: tên thư mục con của templates (ke-hoach-nam, bao-cao-6-thang,
    /// cong-van-gui-ke-hoach…); mặc định: ke-hoach-nam
    #[arg(long = "mau", value_name = "TÊN", conflicts_with = "all")]
    pub kind: Option<String>,
    /// Mọi loại văn bản có trong thư mục mẫu
    #[arg(long = "tat-ca")]
    pub all: bool,
}

impl Source {
    /// The kinds selected: `--mau`, else every kind when `all` (or
    /// `--tat-ca`), else the default kind.
    pub fn templates_or(&self, all: bool) -> Templates {
        let default = PathBuf::from("templates");
        let given = self.templates.as_ref();
        // a kind's own folder given: the templates folder is its parent
        let (root, own) = match given {
            Some(p) if p.join("report.toml").is_file() => (p.parent().map(PathBuf::from), Some(p.clone())),
            Some(p) => (Some(p.clone()), None),
            None if default.is_dir() => (Some(default), None),
            None => (None, None),
        };
        let all = self.all || (all && self.kind.is_none() && own.is_none());
        match (root, all) {
            (Some(root), true) => Templates::All(root),
            (None, true) => Templates::AllBuiltIn,
            (root, false) => {
                let kind = self.kind.clone().unwrap_or_else(|| baocao::embedded::DEFAULT_REPORT.to_string());
                match (own, root) {
                    (Some(own), _) if self.kind.is_none() => Templates::Dir(own),
                    (_, Some(root)) => Templates::Dir(root.join(kind)),
                    (_, None) => Templates::BuiltIn(kind),
                }
            }
        }
    }

    /// The kinds a build writes: `--mau`, `--tat-ca`, else the default kind.
    pub fn templates(&self) -> Templates {
        self.templates_or(false)
    }
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: Source,
    /// Thư mục ghi văn bản kết quả; mặc định: output
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output", hide_default_value = true)]
    pub out: PathBuf,
    /// Ghi bản dự thảo dù biểu mẫu còn lỗi; số liệu thiếu được đánh dấu trong văn bản
    #[arg(long = "nhap")]
    pub draft: bool,
    /// Ghi thêm bản PDF (cần LibreOffice)
    #[arg(long)]
    pub pdf: bool,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: Source,
    /// Thư mục ghi bảng kết quả kiểm tra (kiem-tra.xlsx); mặc định: output
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output", hide_default_value = true)]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct FormsArgs {
    /// Thư mục mẫu văn bản (catalog.toml, units.toml…); mặc định như lệnh build
    #[arg(long, value_name = "THƯ_MỤC")]
    pub templates: Option<PathBuf>,
    /// Thư mục biểu mẫu của kỳ (số kỳ trước lấy từ luu-tru/ bên cạnh thư mục này); mặc định: inputs
    #[arg(long, value_name = "THƯ_MỤC", default_value = "inputs", hide_default_value = true)]
    pub inputs: PathBuf,
    /// Thư mục ghi các biểu mẫu; mặc định: output/bieu-mau
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output/bieu-mau", hide_default_value = true)]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct NextPeriodArgs {
    /// Kỳ mới, ví dụ "6 tháng 2024", "cả năm 2024", "quý I năm 2025", "tháng 3/2025";
    /// mặc định: cùng loại kỳ, năm sau
    #[arg(long = "ky", value_name = "KỲ")]
    pub period: Option<String>,
    /// Chỉ in ra những gì sẽ làm và danh sách cần xem lại, không thay đổi gì
    #[arg(long = "thu")]
    pub dry_run: bool,
    /// Thư mục biểu mẫu của kỳ vừa xong (chuyển vào luu-tru/ bên cạnh); mặc định: inputs
    #[arg(long, value_name = "THƯ_MỤC", default_value = "inputs", hide_default_value = true)]
    pub inputs: PathBuf,
    /// Thư mục mẫu văn bản; mặc định: templates
    #[arg(long, value_name = "THƯ_MỤC")]
    pub templates: Option<PathBuf>,
    /// Thư mục kết quả của kỳ vừa xong (chuyển vào luu-tru/); mặc định: output
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output", hide_default_value = true)]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct InitArgs {
    /// Thư mục làm việc sẽ tạo; mặc định: thư mục hiện tại
    #[arg(value_name = "THƯ_MỤC", default_value = ".", hide_default_value = true)]
    pub dir: PathBuf,
}

/// The limits on what a workbook may be: the defaults, with the
/// environment's `BAOCAO_MAX_…` variables applied (read here, once, and
/// handed to the library). A variable that is not a positive whole number is
/// an error naming it.
pub fn limits() -> Result<baocao::ingest::Limits, i32> {
    baocao::ingest::Limits::from_env().map_err(|e| {
        errln!("Lỗi: {e}");
        2
    })
}

/// Says so when the templates built into the program are used.
pub fn say_built_in(templates: &Templates) {
    if matches!(templates, Templates::BuiltIn(_) | Templates::AllBuiltIn) {
        errln!("Không có thư mục templates: dùng mẫu văn bản có sẵn trong chương trình.");
    }
}

/// Loads the report definitions selected, saying so when the built-in ones are used.
pub fn load(templates: &Templates) -> Result<Vec<baocao::config::ReportDef>, i32> {
    say_built_in(templates);
    templates.load_all().map_err(|e| {
        errln!("Lỗi: {e:#}");
        2
    })
}

/// Says so when an earlier run was stopped while it replaced the files in
/// `out` (a kill between two renames): which are new, which old.
pub fn warn_interrupted(out: &std::path::Path) {
    if let Some(mixed) = baocao::output::interrupted(out) {
        errln!("Cảnh báo: lần chạy trước bị dừng giữa chừng khi đang thay các tệp trong «{}». {mixed}.", out.display());
    }
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    // "baocao help [LỆNH]" is "baocao [LỆNH] --help", as a new user types it
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return parse_error(e),
    };
    match cli.command {
        Some(Command::Build(args)) => build::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Forms(args)) => forms::run(&args),
        Some(Command::Watch(args)) => watch::run(&args),
        Some(Command::Init(args)) => init::run(&args),
        #[cfg(feature = "serve")]
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::NextPeriod(args)) => next_period::run(&args),
        None => build::run(&cli.build),
    }
}

/// The commands, as a message lists them: read from the definition, so a
/// new command is listed without anyone remembering to.
fn commands() -> String {
    use clap::CommandFactory;
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name()).collect();
    names.join(", ")
}

/// clap's messages are English; say the common ones in Vietnamese.
fn parse_error(e: clap::Error) -> i32 {
    use clap::error::{ContextKind, ErrorKind};
    let context = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let arg = context(ContextKind::InvalidArg);
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::UnknownArgument => format!("không hiểu tham số «{arg}»"),
        ErrorKind::InvalidSubcommand => {
            let suggested = context(ContextKind::SuggestedSubcommand);
            let hint = if suggested.is_empty() { String::new() } else { format!(" (có phải «{suggested}»?)") };
            format!("không có lệnh «{}»{hint}; các lệnh là: {}", context(ContextKind::InvalidSubcommand), commands())
        }
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            format!("thiếu giá trị sau «{arg}»")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("giá trị của «{arg}» không hợp lệ"),
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số {arg}"),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("số giá trị của «{arg}» không đúng")
        }
        ErrorKind::ArgumentConflict => format!("tham số «{arg}» không dùng chung được với lệnh hay tham số khác"),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    errln!("Lỗi: {msg}. Xem hướng dẫn: baocao --help");
    2
}
