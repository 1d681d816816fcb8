//! The commands. Only this layer knows about arguments, the terminal and
//! exit codes; everything else is the library.

mod build;
mod check;
mod forms;
mod progress;

use std::path::PathBuf;

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
    #[command(help_template = HELP_TEMPLATE)]
    Build(BuildArgs),
    /// Kiểm tra các biểu mẫu, liệt kê lỗi và cảnh báo (không ghi văn bản)
    #[command(help_template = HELP_TEMPLATE)]
    Check(CheckArgs),
    /// Tạo biểu mẫu trắng cho từng đơn vị để gửi đi
    #[command(help_template = HELP_TEMPLATE)]
    Forms(FormsArgs),
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct CheckArgs {
    /// Thư mục chứa biểu mẫu các đơn vị gửi (.xlsx, .xls, .ods)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Thư mục mẫu văn bản (report.toml, catalog.toml, units.toml, *.md.tera)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "templates/ke-hoach-nam")]
    pub templates: PathBuf,
    /// Thư mục ghi bảng kết quả kiểm tra (kiem-tra.xlsx)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct FormsArgs {
    /// Thư mục mẫu văn bản (catalog.toml, units.toml…)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "templates/ke-hoach-nam")]
    pub templates: PathBuf,
    /// Thư mục ghi các biểu mẫu
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output/bieu-mau")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct BuildArgs {
    /// Thư mục chứa biểu mẫu các đơn vị gửi (.xlsx, .xls, .ods)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Thư mục mẫu văn bản (report.toml, catalog.toml, units.toml, *.md.tera)
    #[arg(long, value_name = "THƯ_MỤC", default_value = "templates/ke-hoach-nam")]
    pub templates: PathBuf,
    /// Thư mục ghi văn bản kết quả
    #[arg(long, value_name = "THƯ_MỤC", default_value = "output")]
    pub out: PathBuf,
    /// Ghi bản dự thảo dù biểu mẫu còn lỗi; số liệu thiếu được đánh dấu trong văn bản
    #[arg(long)]
    pub nhap: bool,
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return parse_error(e),
    };
    match cli.command {
        Some(Command::Build(args)) => build::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Forms(args)) => forms::run(&args),
        None => build::run(&cli.build),
    }
}

/// clap's messages are English; say the common ones in Vietnamese.
fn parse_error(e: clap::Error) -> i32 {
    use clap::error::{ContextKind, ErrorKind};
    let arg = e.get(ContextKind::InvalidArg).map(|v| v.to_string()).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::UnknownArgument => format!("không hiểu tham số «{arg}»"),
        ErrorKind::InvalidSubcommand => format!("không có lệnh «{arg}»"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("giá trị của «{arg}» không hợp lệ"),
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số {arg}"),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("số giá trị của «{arg}» không đúng")
        }
        ErrorKind::ArgumentConflict => format!("tham số «{arg}» không dùng chung được với lệnh hay tham số khác"),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    eprintln!("Lỗi: {msg}. Xem hướng dẫn: baocao --help");
    2
}
