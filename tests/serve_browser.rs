//! `baocao serve` in a real browser (Debian's chromium, driven through
//! chromedriver by WebDriver): a clerk sees a unit «chưa nộp», uploads its
//! workbook through the file input, sees it turn «đã nộp», sees another
//! unit's file copied into inputs/ appear without a reload, builds the plan,
//! reads a figure's source in the preview and downloads the .docx — the
//! same bytes as `baocao build`. Screenshots of each page at 1366×768 are
//! saved in target/anh-chup/. Needs chromium and chromedriver, so it is
//! `#[ignore]`d in a plain `cargo test` and runs with `--include-ignored`
//! (as .ci/run does).
#![cfg(feature = "serve")]

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use baocao::ingest::Limits;
use baocao::serve::{Desk, Options};
use common::{copy_dir, require_tool, root};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const VQU: &str = "huyen/VQU-van-quan.xlsx";
const TRD: &str = "huyen/TRD-trang-dinh.xlsx";
const WAIT: Duration = Duration::from_secs(30);

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < WAIT, "chromedriver did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    (driver, port)
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("anh-chup");
    fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// Waits until `css` finds an element whose text contains `text`.
async fn until_text(c: &Client, css: &str, text: &str) -> String {
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if t.contains(text) {
                    return t;
                }
            }
        }
        if started.elapsed() > WAIT {
            let page = c.source().await.unwrap_or_default();
            panic!("no «{text}» in {css} after {WAIT:?}:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn status_css(code: &str) -> String {
    format!("tr[data-don-vi=\"{code}\"] .trang-thai")
}

#[test]
#[ignore = "needs chromium and chromedriver: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn a_clerk_goes_from_not_submitted_to_the_downloaded_plan() {
    require_tool("chromium", "--version");
    require_tool("chromedriver", "--version");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(clerk());
}

async fn clerk() {
    // the working folder: two districts have not sent their forms; one unit sent a corrected copy
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), &dir.path().join("templates"));
    copy_dir(&root().join("inputs"), &dir.path().join("inputs"));
    fs::remove_file(dir.path().join("inputs").join(VQU)).unwrap();
    fs::remove_file(dir.path().join("inputs").join(TRD)).unwrap();
    fs::copy(root().join("tests/fixtures/ban-sua.xlsx"), dir.path().join("inputs/huyen/CLO-ban-sua.xlsx")).unwrap();
    let desk = Desk::open(Options { root: dir.path().to_path_buf(), lan: false, limits: Limits::default() }).unwrap();
    let _watching = baocao::serve::watch(&desk).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(baocao::serve::serve(desk.clone(), listener));

    let (_driver, port) = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars", "--window-size=1366,768",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path().display().to_string(),
                "download.prompt_for_download": false,
            },
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session");
    // the page itself 1366×768, whatever the window's frame takes
    c.goto(&base).await.unwrap();
    let inner = c.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap();
    let (w, h) = (inner[0].as_u64().unwrap() as u32, inner[1].as_u64().unwrap() as u32);
    c.set_window_size(1366 + 1366 - w, 768 + 768 - h).await.unwrap();

    // Tổng quan: Văn Quan has not submitted
    c.goto(&base).await.unwrap();
    let inner = c.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap();
    assert_eq!(inner, json!([1366, 768]));
    assert_eq!(c.find(Locator::Css(&status_css("VQU"))).await.unwrap().text().await.unwrap(), "chưa nộp");
    assert_eq!(c.find(Locator::Css(&status_css("CLO"))).await.unwrap().text().await.unwrap(), "có cảnh báo");
    shot(&c, "tong-quan").await;

    // a file copied into inputs/ shows without reloading the page
    c.execute("window.khongTaiLai = true;", vec![]).await.unwrap();
    fs::copy(root().join("inputs").join(TRD), dir.path().join("inputs").join(TRD)).unwrap();
    until_text(&c, &status_css("TRD"), "đã nộp").await;
    assert_eq!(c.execute("return window.khongTaiLai === true;", vec![]).await.unwrap(), json!(true));

    // Kiểm tra: the finding and the letter to the unit
    c.goto(&format!("{base}/kiem-tra?don_vi=VQU")).await.unwrap();
    until_text(&c, "table.kiem-tra", "chưa nộp báo cáo").await;
    let letter = c.find(Locator::Css("#noi-dung-thu")).await.unwrap().prop("value").await.unwrap().unwrap();
    assert!(letter.starts_with("Kính gửi: Phòng Nông nghiệp và PTNT huyện Văn Quan."), "{letter}");
    shot(&c, "kiem-tra").await;

    // Nộp biểu mẫu: the workbook through the file input
    c.goto(&format!("{base}/nop")).await.unwrap();
    let input = c.find(Locator::Css("#chon-tep")).await.unwrap();
    input.send_keys(&root().join("inputs").join(VQU).display().to_string()).await.unwrap();
    let said = until_text(&c, "#ket-qua-nop", "đã lưu thành").await;
    assert!(said.contains("inputs/VQU-huyen-van-quan.xlsx"), "{said}");
    assert!(said.contains("Không có lỗi hay cảnh báo."), "{said}");
    shot(&c, "nop-bieu-mau").await;
    c.goto(&base).await.unwrap();
    assert_eq!(c.find(Locator::Css(&status_css("VQU"))).await.unwrap().text().await.unwrap(), "đã nộp");
    shot(&c, "tong-quan-da-nop").await;

    // Văn bản: build the plan, with progress, then its preview
    c.goto(&format!("{base}/van-ban")).await.unwrap();
    c.find(Locator::Css("input[name=mau][value=ke-hoach-nam]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#nut-tao")).await.unwrap().click().await.unwrap();
    until_text(&c, "#van-ban-ket-qua .thong-bao", "Đã tạo 1 văn bản").await;
    until_text(&c, "#chu-tien-do", "Xong").await;
    let frame = c.wait().at_most(WAIT).for_element(Locator::Css("iframe#xem-truoc")).await.unwrap();
    assert_eq!(frame.attr("src").await.unwrap().as_deref(), Some("/xem/ke-hoach-nam-2024.html"));
    frame.enter_frame().await.unwrap();
    // a figure read from the units' indicator tables
    let figure =
        c.wait().at_most(WAIT).for_element(Locator::Css(".so-lieu[data-nguon*=\"«Chỉ tiêu»\"]")).await.unwrap();
    // hovering shows the source as a tooltip (title), clicking pins it in a panel
    let mouse = MouseActions::new("chuot".into()).then(PointerAction::MoveToElement {
        element: figure.clone(),
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    c.perform_actions(mouse).await.unwrap();
    let tooltip = figure.attr("title").await.unwrap().unwrap();
    assert!(tooltip.contains("Nguồn"), "{tooltip}");
    figure.click().await.unwrap();
    let panel = until_text(&c, "#nguon.mo", "trang «Chỉ tiêu», ô").await;
    assert!(panel.contains(".xlsx") || panel.contains(".ods") || panel.contains(".xls"), "{panel}");
    c.enter_parent_frame().await.unwrap();
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    shot(&c, "van-ban").await;

    // download the .docx as the clerk does: the same bytes as the CLI's
    c.find(Locator::Css("a[href=\"/tai/ke-hoach-nam-2024.docx\"]")).await.unwrap().click().await.unwrap();
    let got = downloads.path().join("ke-hoach-nam-2024.docx");
    let started = Instant::now();
    while !got.is_file() {
        assert!(started.elapsed() < WAIT, "no download in {}", downloads.path().display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["build", "--mau", "ke-hoach-nam", "--out", "cli"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read(&got).unwrap(), fs::read(dir.path().join("cli/ke-hoach-nam-2024.docx")).unwrap());
    c.close().await.unwrap();
}
