//! `baocao serve`: the desk in a browser over the working folder.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use baocao::serve::{Desk, Options};
use clap::Args;

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Tùy chọn")]
pub struct ServeArgs {
    /// Cổng mở trang; mặc định: 8686
    #[arg(long = "cong", value_name = "SỐ", default_value_t = 8686, hide_default_value = true)]
    pub port: u16,
    /// Cho các máy khác trong mạng nội bộ mở trang (cần mã truy cập in ra khi khởi động)
    #[arg(long)]
    pub lan: bool,
    /// Thư mục làm việc (có inputs, templates, output); mặc định: thư mục hiện tại
    #[arg(long = "thu-muc", value_name = "THƯ_MỤC", default_value = ".", hide_default_value = true)]
    pub folder: PathBuf,
}

pub fn run(args: &ServeArgs) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            errln!("Lỗi: không khởi động được máy chủ: {e}");
            return 2;
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: &ServeArgs) -> i32 {
    let limits = match super::limits() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let opts = Options { root: args.folder.clone(), lan: args.lan, limits };
    let desk = match tokio::task::spawn_blocking(move || Desk::open(opts)).await {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            errln!("Lỗi: {e:#}");
            return 2;
        }
        Err(e) => {
            errln!("Lỗi: {e}");
            return 2;
        }
    };
    let ip = if args.lan { Ipv4Addr::UNSPECIFIED } else { Ipv4Addr::LOCALHOST };
    let listener = match tokio::net::TcpListener::bind(SocketAddr::from((ip, args.port))).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            errln!(
                "Lỗi: cổng {} đang được chương trình khác dùng (có thể baocao serve đang chạy ở cửa sổ khác). \
                 Mở địa chỉ http://127.0.0.1:{} nếu đó là baocao, hoặc chạy lại với --cong {}.",
                args.port,
                args.port,
                args.port.wrapping_add(1)
            );
            return 2;
        }
        Err(e) => {
            errln!("Lỗi: không mở được cổng {}: {e}", args.port);
            return 2;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let _watching = match baocao::serve::watch(&desk) {
        Ok(w) => Some(w),
        Err(e) => {
            errln!("Cảnh báo: không theo dõi được thư mục inputs ({e}); trang chỉ cập nhật khi nộp tệp qua trang.");
            None
        }
    };
    let snap = desk.snapshot();
    outln!("baocao đang làm việc với thư mục «{}».", desk.root().display());
    if let Some(p) = &snap.problem {
        errln!("Cảnh báo: chưa kiểm tra được biểu mẫu: {p}");
    } else {
        outln!("Kỳ báo cáo {}: {} tệp, {} lỗi, {} cảnh báo.", snap.period, snap.files, snap.errors(), snap.warnings());
    }
    outln!("");
    outln!("Mở trình duyệt tại địa chỉ:  http://127.0.0.1:{port}");
    if let Some(code) = desk.access_code() {
        outln!("");
        outln!("CHÚ Ý — chế độ mạng nội bộ (--lan): mọi máy trong mạng của cơ quan đều mở được trang này");
        outln!("(nộp biểu mẫu, tạo văn bản) nếu có mã truy cập. Ở máy khác, mở http://<địa chỉ IP của máy này>:{port}");
        outln!("(xem địa chỉ IP bằng lệnh ipconfig trên Windows, ip addr trên Linux) rồi nhập mã:");
        outln!("");
        outln!("    Mã truy cập:  {code}");
        outln!("");
        outln!("Chỉ đưa mã cho người cần dùng. Tắt chương trình khi xong việc; lần chạy sau có mã mới.");
    }
    outln!("Nhấn Ctrl+C để dừng.");
    tokio::select! {
        r = baocao::serve::serve(desk, listener) => match r {
            Ok(()) => 0,
            Err(e) => {
                errln!("Lỗi: máy chủ dừng: {e}");
                2
            }
        },
        _ = tokio::signal::ctrl_c() => {
            outln!("Đã dừng.");
            0
        }
    }
}
