//! `baocao serve` at the HTTP level, in-process: every route, and every
//! safety rule (loopback only, access code with --lan, same origin and CSRF
//! token for changes, path traversal, wrong type, oversize, too many files,
//! script in a cell, no file from outside `output/`). The files the pages
//! give are compared with those the CLI writes.
#![cfg(feature = "serve")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use baocao::ingest::Limits;
use baocao::serve::{Desk, Options, Status};
use common::{copy_dir, root};
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:8686";
const ORIGIN: &str = "http://127.0.0.1:8686";
const VQU: &str = "huyen/VQU-van-quan.xlsx";

/// A working folder (the shipped templates and sample inputs, less
/// `without`) and the desk over it.
struct Site {
    dir: tempfile::TempDir,
    desk: Arc<Desk>,
    app: Router,
}

impl Site {
    fn new(without: &[&str]) -> Site {
        Site::with(without, false, Limits::default())
    }

    fn with(without: &[&str], lan: bool, limits: Limits) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join("templates"), &dir.path().join("templates"));
        copy_dir(&root().join("inputs"), &dir.path().join("inputs"));
        for f in without {
            fs::remove_file(dir.path().join("inputs").join(f)).unwrap();
        }
        let desk = Desk::open(Options { root: dir.path().to_path_buf(), lan, limits }).unwrap();
        let app = baocao::serve::router(desk.clone());
        Site { dir, desk, app }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    async fn send(&self, req: Request<Body>) -> Reply {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(get(path)).await
    }

    /// A POST as the page's script sends it.
    fn post(&self, path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
        Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header("x-csrf-token", self.desk.csrf_token())
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    }

    async fn upload(&self, files: &[(&str, Vec<u8>)]) -> Reply {
        let (kind, body) = multipart(files);
        self.send(self.post("/nop", &kind, body)).await
    }

    async fn build(&self, form: &str) -> Reply {
        self.send(self.post("/van-ban/tao", "application/x-www-form-urlencoded", form.as_bytes().to_vec())).await
    }

    /// Runs the CLI in the working folder.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        let out = Command::new(env!("CARGO_BIN_EXE_baocao")).args(args).current_dir(self.dir.path()).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
        out
    }
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).header(header::HOST, HOST).body(Body::empty()).unwrap()
}

fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----baocao-kiem-thu-7d0c1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn sample(rel: &str) -> Vec<u8> {
    fs::read(root().join("inputs").join(rel)).unwrap()
}

/// The row of unit `code` on the overview: its status text.
fn status_of(page: &str, code: &str) -> String {
    let at = page.find(&format!("data-don-vi=\"{code}\"")).unwrap_or_else(|| panic!("no row {code}"));
    let row = &page[at..];
    let row = &row[..row.find("</tr>").unwrap()];
    let s = &row[row.find("class=\"trang-thai").unwrap()..];
    s[s.find('>').unwrap() + 1..s.find("</span>").unwrap()].to_string()
}

/// Every file under `dir` (relative paths).
fn files_under(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_overview_lists_every_expected_unit_with_its_status() {
    let site = Site::new(&[VQU]);
    // a broken file no unit can be told from
    fs::copy(root().join("tests/fixtures/hong.xlsx"), site.path("inputs/hong.xlsx")).unwrap();
    site.desk.refresh();
    let r = site.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(page.contains("Tệp chưa nhận ra của đơn vị nào"), "{page}");
    assert!(page.contains("<td>hong.xlsx</td><td>lỗi</td><td>không mở được tệp: tệp bị hỏng"), "{page}");
    assert!(page.contains("Kỳ báo cáo: <strong>6 tháng đầu năm 2023</strong>"), "{page}");
    assert_eq!(status_of(&page, "VQU"), "chưa nộp");
    assert_eq!(status_of(&page, "CLO"), "đã nộp");
    assert!(page.contains("huyen/CLO-cao-loc.xlsx"));
    assert!(page.contains("21/22"), "units that submitted");
    let snap = site.desk.snapshot();
    assert_eq!(snap.units.len(), 22);
    assert_eq!(snap.unit("VQU").unwrap().status, Status::NotSubmitted);
    assert_eq!(snap.units.iter().filter(|u| u.status == Status::Submitted).count(), 21);
    // the headers that keep the page from being framed, sniffed or fed scripts
    assert!(r.header("content-security-policy").contains("script-src 'self'"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("x-frame-options"), "DENY");
    // the same table alone, for live updates
    let t = site.get("/tong-quan/bang").await;
    assert_eq!(t.status, StatusCode::OK);
    assert_eq!(status_of(&t.text(), "VQU"), "chưa nộp");
    assert!(!t.text().contains("<html"));
}

#[tokio::test]
async fn findings_filter_by_unit_and_level_and_give_a_reply_letter() {
    let site = Site::new(&[VQU]);
    let all = site.get("/kiem-tra").await.text();
    assert!(all.contains("Phòng Nông nghiệp và PTNT huyện Văn Quan (VQU) chưa nộp báo cáo"), "{all}");
    assert!(all.contains("Đề nghị đơn vị gửi biểu mẫu"));
    let one = site.get("/kiem-tra?don_vi=VQU").await.text();
    assert!(one.contains("Thư trả lời Phòng Nông nghiệp và PTNT huyện Văn Quan"), "{one}");
    assert!(one.contains("Kính gửi: Phòng Nông nghiệp và PTNT huyện Văn Quan."));
    assert!(one.contains("chưa nhận được biểu mẫu báo cáo 6 tháng đầu năm 2023"));
    let warnings = site.get("/kiem-tra?muc=canh-bao").await.text();
    assert!(warnings.contains("Không có lỗi hay cảnh báo nào"), "{warnings}");
    let other = site.get("/kiem-tra/bang?don_vi=CLO").await.text();
    assert!(other.contains("Biểu mẫu đầy đủ, số liệu hợp lệ"), "{other}");
    assert!(!other.contains("<html"));
}

#[tokio::test]
async fn the_findings_workbook_is_the_one_check_writes() {
    let site = Site::new(&[VQU]);
    let r = site.get("/kiem-tra.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("kiem-tra.xlsx"));
    site.cli(&["check"]);
    assert_eq!(r.body, fs::read(site.path("output/kiem-tra.xlsx")).unwrap());
}

#[tokio::test]
async fn an_upload_is_stored_under_its_unit_and_the_earlier_file_moved_aside() {
    let site = Site::new(&[]);
    let before = site.desk.snapshot().unit("VQU").unwrap().files.clone();
    assert_eq!(before[0].0, VQU);
    let r = site.upload(&[("Báo cáo VQU (bản sửa).xlsx", sample(VQU))]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    assert!(text.contains("đã lưu thành <code>inputs/VQU-huyen-van-quan.xlsx</code>"), "{text}");
    assert!(text.contains("Không có lỗi hay cảnh báo."), "{text}");
    assert_eq!(fs::read(site.path("inputs/VQU-huyen-van-quan.xlsx")).unwrap(), sample(VQU));
    assert!(!site.path("inputs").join(VQU).exists(), "the earlier file left inputs/");
    // moved, not deleted, outside inputs/
    let old = files_under(&site.path("ban-cu"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert!(old[0].ends_with("/huyen/VQU-van-quan.xlsx"), "{old:?}");
    assert!(text.contains(&format!("ban-cu/{}", old[0])), "{text}");
    assert_eq!(fs::read(site.path("ban-cu").join(&old[0])).unwrap(), sample(VQU));
    // no temporary file left, and the unit reads from the new file
    assert!(files_under(&site.path("inputs")).iter().all(|f| !f.contains(".baocao")));
    let now = site.desk.snapshot();
    let vqu = now.unit("VQU").unwrap();
    assert_eq!((vqu.status, vqu.files[0].0.as_str()), (Status::Submitted, "VQU-huyen-van-quan.xlsx"));
    // sending it again replaces it again: the stored one goes aside too
    let r = site.upload(&[("VQU.xlsx", sample(VQU))]).await;
    assert!(r.text().contains("Bản cũ <code>inputs/VQU-huyen-van-quan.xlsx</code>"), "{}", r.text());
    assert_eq!(files_under(&site.path("ban-cu")).len(), 2);
}

#[tokio::test]
async fn a_missing_unit_turns_submitted_after_its_upload() {
    let site = Site::new(&[VQU]);
    let mut events = site.desk.subscribe();
    let r = site.upload(&[("VQU-van-quan.xlsx", sample(VQU))]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("trang-thai da-nop"), "{}", r.text());
    assert_eq!(status_of(&site.get("/").await.text(), "VQU"), "đã nộp");
    // the open pages were told
    let e = events.try_recv().unwrap();
    assert_eq!(e.kind, "trang-thai");
}

#[tokio::test]
async fn upload_names_cannot_escape_inputs() {
    let site = Site::new(&[VQU]);
    for name in ["../../thoat.xlsx", "..\\thoat.xlsx", "/tmp/thoat.xlsx", "huyen/VQU.xlsx", ".an.xlsx"] {
        let r = site.upload(&[(name, sample(VQU))]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("không nhận: tên tệp không hợp lệ"), "{name}: {}", r.text());
    }
    assert!(!site.dir.path().parent().unwrap().join("thoat.xlsx").exists());
    assert!(!Path::new("/tmp/thoat.xlsx").exists());
    assert_eq!(site.desk.snapshot().unit("VQU").unwrap().status, Status::NotSubmitted);
    assert!(!site.path("ban-cu").exists());
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_in_inputs_is_moved_aside_not_followed() {
    let site = Site::new(&[VQU]);
    // a link where the clean name goes, pointing at a file outside the folder
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("khong-duoc-ghi.xlsx");
    fs::write(&target, b"giu nguyen").unwrap();
    std::os::unix::fs::symlink(&target, site.path("inputs/VQU-huyen-van-quan.xlsx")).unwrap();
    let r = site.upload(&[("VQU.xlsx", sample(VQU))]).await;
    assert!(r.text().contains("đã lưu thành"), "{}", r.text());
    assert_eq!(fs::read(&target).unwrap(), b"giu nguyen", "nothing written through the link");
    let stored = site.path("inputs/VQU-huyen-van-quan.xlsx");
    assert!(!fs::symlink_metadata(&stored).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&stored).unwrap(), sample(VQU));
}

#[tokio::test]
async fn files_of_the_wrong_type_are_refused_before_storing() {
    let site = Site::new(&[VQU]);
    let not_a_form = fs::read(root().join("tests/fixtures/khong-phai-bieu-mau.xlsx")).unwrap();
    let unknown_unit = fs::read(root().join("tests/fixtures/don-vi-la.xlsx")).unwrap();
    let r = site
        .upload(&[
            ("ghi-chu.txt", b"chi la van ban".to_vec()),
            ("gia.xlsx", b"<html>khong phai bang tinh</html>".to_vec()),
            ("rong.xlsx", Vec::new()),
            ("khong-phai-bieu-mau.xlsx", not_a_form),
            ("don-vi-la.xlsx", unknown_unit),
        ])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(text.contains("đã lưu 0/5 tệp"), "{text}");
    for why in [
        "ghi-chu.txt</strong> — không nhận: không phải tệp bảng tính",
        "gia.xlsx</strong> — không nhận: tệp bị hỏng hoặc không phải bảng tính",
        "rong.xlsx</strong> — không nhận: tệp rỗng",
        "khong-phai-bieu-mau.xlsx</strong> — không nhận: tệp không phải biểu mẫu báo cáo",
        "don-vi-la.xlsx</strong> — không nhận: mã đơn vị «XYZ» không có trong danh sách đơn vị",
    ] {
        assert!(text.contains(why), "{why}\n{text}");
    }
    assert_eq!(files_under(&site.path("inputs")).len(), 21, "nothing stored");
}

#[tokio::test]
async fn oversize_files_and_too_many_files_are_refused() {
    let limits = Limits { max_file_bytes: 10_000, ..Limits::default() };
    let site = Site::with(&[VQU], false, limits);
    let big = sample(VQU);
    assert!(big.len() > 10_000, "the sample form is {} bytes", big.len());
    let r = site.upload(&[("VQU.xlsx", big.clone())]).await;
    assert!(r.text().contains("không nhận: tệp lớn hơn"), "{}", r.text());
    // a body beyond the request limit is cut off with 413
    let huge = vec![b'x'; 2 << 20];
    let r = site.upload(&[("a.xlsx", huge)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("quá lớn"), "{}", r.text());
    // more files than one upload may carry
    let many: Vec<(String, Vec<u8>)> = (0..41).map(|i| (format!("t{i}.xlsx"), b"PK".to_vec())).collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let r = site.upload(&many).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("nhiều nhất 40 tệp"), "{}", r.text());
    // a small request body elsewhere
    let r = site.build(&"x".repeat(64 * 1024)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(files_under(&site.path("inputs")).len(), 21, "nothing stored");
}

#[tokio::test]
async fn changes_need_the_csrf_token_and_the_same_origin() {
    let site = Site::new(&[VQU]);
    let (kind, body) = multipart(&[("VQU.xlsx", sample(VQU))]);
    let without_token = Request::post("/nop")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, &kind)
        .body(Body::from(body.clone()))
        .unwrap();
    let r = site.send(without_token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("chống giả mạo"), "{}", r.text());
    let wrong_token = Request::post("/van-ban/tao")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header("x-csrf-token", "0000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("mau=ke-hoach-nam&nhap=1"))
        .unwrap();
    assert_eq!(site.send(wrong_token).await.status, StatusCode::FORBIDDEN);
    // another site's page, even with the token
    let mut cross = site.post("/nop", &kind, body.clone());
    cross.headers_mut().insert(header::ORIGIN, "http://example.com".parse().unwrap());
    let r = site.send(cross).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("khác nguồn gốc"), "{}", r.text());
    // no Origin: the Referer must be ours
    let mut no_origin = site.post("/nop", &kind, body.clone());
    no_origin.headers_mut().remove(header::ORIGIN);
    assert_eq!(site.send(no_origin).await.status, StatusCode::FORBIDDEN);
    let mut referred = site.post("/nop", &kind, body);
    referred.headers_mut().remove(header::ORIGIN);
    referred.headers_mut().insert(header::REFERER, format!("{ORIGIN}/nop").parse().unwrap());
    assert_eq!(site.send(referred).await.status, StatusCode::OK);
    // a name of another site pointing here (DNS rebinding) gets nothing
    let rebound = Request::get("/").header(header::HOST, "ke-gian.example:8686").body(Body::empty()).unwrap();
    assert_eq!(site.send(rebound).await.status, StatusCode::MISDIRECTED_REQUEST);
    // nothing written but the one accepted upload
    assert!(!site.path("output").exists());
    assert_eq!(files_under(&site.path("inputs")).len(), 22);
}

/// A district form with `text` typed where a number goes, and in its name.
fn form_with_text(path: &Path, text: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let meta = wb.add_worksheet().set_name("Thông tin").unwrap();
    for (r, (k, v)) in [("Mã đơn vị", "VQU"), ("Tên đơn vị", text), ("Kỳ báo cáo", "6 tháng")].iter().enumerate()
    {
        meta.write(r as u32, 0, *k).unwrap();
        meta.write(r as u32, 1, *v).unwrap();
    }
    meta.write(3, 0, "Năm").unwrap();
    meta.write(3, 1, 2023).unwrap();
    meta.write(4, 0, "Ngày báo cáo").unwrap();
    meta.write(4, 1, "30/6/2023").unwrap();
    let ws = wb.add_worksheet().set_name("Chỉ tiêu").unwrap();
    for (c, h) in ["Mã chỉ tiêu", "Tên chỉ tiêu", "KH năm 2023", "TH kỳ báo cáo"].iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    ws.write(3, 0, "htx_moi").unwrap();
    ws.write(3, 3, text).unwrap();
    wb.save(path).unwrap();
}

#[tokio::test]
async fn script_in_a_cell_shows_as_text() {
    let site = Site::new(&[VQU]);
    let script = "<script>alert('xss')</script>";
    let file = site.dir.path().join("bieu-mau.xlsx");
    form_with_text(&file, script);
    let r = site.upload(&[("<img src=x onerror=alert(1)>.xlsx", fs::read(&file).unwrap())]).await;
    let text = r.text();
    assert!(text.contains("đã lưu thành"), "{text}");
    assert!(!text.contains("<script>") && !text.contains("<img"), "{text}");
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;.xlsx"), "{text}");
    assert!(text.contains("«&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;» không phải là số"), "{text}");
    for page in ["/", "/kiem-tra", "/kiem-tra?don_vi=VQU", "/kiem-tra/bang", "/nop"] {
        let body = site.get(page).await.text();
        assert!(!body.contains("<script>alert"), "{page}: {body}");
    }
    let letter = site.get("/kiem-tra?don_vi=VQU").await.text();
    assert!(letter.contains("&lt;script&gt;"), "{letter}");
}

#[tokio::test]
async fn the_cell_list_of_a_large_build_is_offered_beside_the_provenance_workbook() {
    let site = Site::new(&[]);
    assert_eq!(site.build("mau=ke-hoach-nam").await.status, StatusCode::OK);
    let page = site.get("/van-ban").await.text();
    assert!(page.contains("Nguồn số liệu (.xlsx)") && !page.contains(".csv"), "the sample's cells fit the workbook");
    // as a build of thousands of submissions writes it
    fs::write(site.path("output/ke-hoach-nam-2024-nguon-so-lieu-cac-o.csv"), "\u{feff}STT số in,Mã\n1,dt_lua\n")
        .unwrap();
    let page = site.get("/van-ban").await.text();
    assert!(page.contains("Nguồn số liệu từng ô (.csv)"), "{page}");
    let r = site.get("/tai/ke-hoach-nam-2024-nguon-so-lieu-cac-o.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert!(r.header("content-disposition").starts_with("attachment"), "{}", r.header("content-disposition"));
    assert!(r.text().contains("1,dt_lua"));
}

#[tokio::test]
async fn only_plain_names_from_output_are_served() {
    let site = Site::new(&[]);
    assert_eq!(site.build("mau=ke-hoach-nam").await.status, StatusCode::OK);
    assert_eq!(site.get("/tai/ke-hoach-nam-2024.docx").await.status, StatusCode::OK);
    fs::write(site.path("output/.an.docx"), b"x").unwrap();
    fs::write(site.path("bi-mat.docx"), b"x").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", site.path("output/lien-ket.html")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.path("bi-mat.docx"), site.path("output/lien-ket.docx")).unwrap();
    for path in [
        "/tai/..%2Fbi-mat.docx",
        "/tai/%2E%2E%2Fbi-mat.docx",
        "/tai/../bi-mat.docx",
        "/tai/..%5Cbi-mat.docx",
        "/tai/%2Fetc%2Fpasswd",
        "/tai/.an.docx",
        "/tai/lien-ket.docx",
        "/xem/lien-ket.html",
        "/xem/ke-hoach-nam-2024.docx",
        "/tai/",
        "/tai",
        "/xem/",
        "/output/",
        "/output/ke-hoach-nam-2024.docx",
        "/inputs/",
        "/templates/ke-hoach-nam/report.toml",
        "/tai/..%2Finputs%2Fhuyen%2FVQU-van-quan.xlsx",
        "/tai/ke-hoach-nam-2024.docx%00.txt",
    ] {
        let r = site.get(path).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
            "{path}: {} {}",
            r.status,
            r.text()
        );
        assert!(!r.text().contains("ke-hoach-nam-2024.docx</a>"), "no listing: {path}");
    }
}

#[tokio::test]
async fn a_build_writes_the_same_files_as_the_cli_with_progress_and_a_preview() {
    let site = Site::new(&[]);
    let mut events = site.desk.subscribe();
    let r = site.build("mau=ke-hoach-nam").await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(text.contains("Đã tạo 1 văn bản"), "{text}");
    for name in ["ke-hoach-nam-2024.docx", "ke-hoach-nam-2024-nguon-so-lieu.xlsx", "phu-luc-01-SXNLN.xlsx"] {
        assert!(text.contains(&format!("href=\"/tai/{name}\"")), "{name}: {text}");
    }
    assert!(text.contains("src=\"/xem/ke-hoach-nam-2024.html\""), "{text}");
    let mut said = Vec::new();
    while let Ok(e) = events.try_recv() {
        said.push((e.kind, e.data));
    }
    assert!(said.iter().any(|(k, d)| *k == "tien-do" && d.contains("Đã đọc 22/22 biểu mẫu")), "{said:?}");
    assert!(said.iter().any(|(k, d)| *k == "tien-do" && d.contains("Đã ghi các tệp")), "{said:?}");
    assert!(said.iter().any(|(k, _)| *k == "van-ban"), "{said:?}");
    // the downloads are the CLI's files, byte for byte
    let docx = site.get("/tai/ke-hoach-nam-2024.docx").await;
    assert!(docx.header("content-type").contains("wordprocessingml"));
    assert!(docx.header("content-disposition").starts_with("attachment;"));
    let xlsx = site.get("/tai/phu-luc-01-SXNLN.xlsx").await.body;
    site.cli(&["build", "--mau", "ke-hoach-nam", "--out", "cli"]);
    assert_eq!(docx.body, fs::read(site.path("cli/ke-hoach-nam-2024.docx")).unwrap());
    assert_eq!(xlsx, fs::read(site.path("cli/phu-luc-01-SXNLN.xlsx")).unwrap());
    // the preview: every figure with its source, its script sandboxed
    let p = site.get("/xem/ke-hoach-nam-2024.html").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.header("content-security-policy").starts_with("sandbox allow-scripts"));
    assert_eq!(p.header("x-frame-options"), "SAMEORIGIN");
    assert!(p.text().contains("class=\"so-lieu\""));
    assert_eq!(p.body, fs::read(site.path("cli/ke-hoach-nam-2024.html")).unwrap());
    // the page lists it afterwards too
    let list = site.get("/van-ban/danh-sach").await.text();
    assert!(list.contains("href=\"/tai/ke-hoach-nam-2024.docx\""), "{list}");
    let page = site.get("/van-ban").await.text();
    assert!(page.contains("Kế hoạch: Phát triển ngành nông nghiệp, nông thôn năm 2024"), "{page}");
    // an unknown kind is not a path
    let r = site.build("mau=..%2F..%2Fetc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_build_with_errors_waits_for_a_draft() {
    let site = Site::new(&[VQU]);
    let r = site.build("mau=tat-ca").await;
    assert!(r.text().contains("Chưa ghi văn bản: biểu mẫu còn 1 lỗi"), "{}", r.text());
    assert!(!site.path("output/ke-hoach-nam-2024.docx").exists());
    let r = site.build("mau=tat-ca&nhap=1").await;
    let text = r.text();
    assert!(text.contains("Đã tạo 3 văn bản"), "{text}");
    assert!(text.contains("Bản dự thảo: biểu mẫu còn 1 lỗi"), "{text}");
    site.cli(&["build", "--tat-ca", "--nhap", "--out", "cli"]);
    for name in ["ke-hoach-nam-2024.docx", "bao-cao-6-thang-2023.docx"] {
        let served = site.get(&format!("/tai/{name}")).await;
        assert_eq!(served.status, StatusCode::OK, "{name}");
        assert_eq!(served.body, fs::read(site.path("cli").join(name)).unwrap(), "{name}");
    }
}

#[tokio::test]
async fn blank_forms_are_those_of_baocao_forms() {
    let site = Site::new(&[]);
    let one = site.get("/bieu-mau/VQU.xlsx").await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.header("content-disposition").contains("bieu-mau-VQU-huyen-van-quan.xlsx"));
    let all = site.get("/bieu-mau.zip").await;
    assert_eq!(all.header("content-type"), "application/zip");
    assert_eq!(site.get("/bieu-mau/XYZ.xlsx").await.status, StatusCode::NOT_FOUND);
    site.cli(&["forms"]);
    let dir = site.path("output/bieu-mau");
    assert_eq!(one.body, fs::read(dir.join("bieu-mau-VQU-huyen-van-quan.xlsx")).unwrap());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(all.body)).unwrap();
    assert_eq!(zip.len(), 22);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        assert_eq!(bytes, fs::read(dir.join(&name)).unwrap(), "{name}");
    }
}

#[tokio::test]
async fn lan_mode_asks_for_the_access_code() {
    let site = Site::with(&[], true, Limits::default());
    let code = site.desk.access_code().unwrap().to_string();
    // any host name (other machines use this one's address), but signed in
    let r = site.send(Request::get("/").header(header::HOST, "192.0.2.10:8686").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/dang-nhap");
    assert_eq!(site.get("/tai-nguyen/app.css").await.status, StatusCode::OK);
    // the clerk at the machine itself goes in; a neighbour's machine does not
    let from = |ip: [u8; 4]| {
        let mut r = get("/");
        r.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((ip, 50000))));
        r
    };
    assert_eq!(site.send(from([127, 0, 0, 1])).await.status, StatusCode::OK);
    assert_eq!(site.send(from([192, 0, 2, 10])).await.status, StatusCode::SEE_OTHER);
    let login = site.get("/dang-nhap").await;
    assert!(login.text().contains("Mã truy cập"), "{}", login.text());
    let try_code = |c: &str| {
        Request::post("/dang-nhap")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("ma={c}")))
            .unwrap()
    };
    let r = site.send(try_code("AAAA-AAAA")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("Mã truy cập không đúng"));
    assert!(r.header("set-cookie").is_empty());
    // typed in lower case without the dash is the same code
    let r = site.send(try_code(&code.to_lowercase().replace('-', ""))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.header("set-cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_string();
    let r = site
        .send(
            Request::get("/").header(header::HOST, HOST).header(header::COOKIE, &session).body(Body::empty()).unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // a change without the session is refused even with the token
    let (kind, body) = multipart(&[("VQU.xlsx", sample(VQU))]);
    assert_eq!(site.send(site.post("/nop", &kind, body)).await.status, StatusCode::UNAUTHORIZED);
    // a login from another site's page is refused
    let mut cross = try_code(&code);
    cross.headers_mut().insert(header::ORIGIN, "http://example.com".parse().unwrap());
    assert_eq!(site.send(cross).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_static_files_events_and_unknown_pages() {
    let site = Site::new(&[]);
    let css = site.get("/tai-nguyen/app.css").await;
    assert_eq!((css.status, css.header("content-type")), (StatusCode::OK, "text/css; charset=utf-8"));
    let js = site.get("/tai-nguyen/app.js").await;
    assert!(js.text().contains("X-CSRF-Token"));
    assert_eq!(site.get("/tai-nguyen/khac.js").await.status, StatusCode::NOT_FOUND);
    let missing = site.get("/khong-co").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("Không có trang hay tệp này"));
    let nop = site.get("/nop").await.text();
    assert!(nop.contains("type=\"file\" multiple"), "{nop}");
    assert!(nop.contains("href=\"/bieu-mau/VQU.xlsx\""));
    // the events stream answers at once, and stays open
    let r = site.app.clone().oneshot(get("/su-kien")).await.unwrap();
    assert_eq!(r.headers()["content-type"], "text/event-stream");
}

#[tokio::test]
async fn a_file_copied_into_inputs_is_seen_without_a_reload() {
    let site = Site::new(&[VQU]);
    let _watching = baocao::serve::watch(&site.desk).unwrap();
    let mut events = site.desk.subscribe();
    fs::copy(root().join("inputs").join(VQU), site.path("inputs/huyen/VQU-van-quan.xlsx")).unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let e = events.recv().await.unwrap();
            if e.kind == "trang-thai" && site.desk.snapshot().unit("VQU").unwrap().status == Status::Submitted {
                return;
            }
        }
    })
    .await;
    assert!(seen.is_ok(), "no update within 20 s");
}

#[tokio::test]
async fn a_folder_without_templates_uses_the_kinds_built_in() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), &dir.path().join("inputs"));
    let desk = Desk::open(Options { root: dir.path().to_path_buf(), lan: false, limits: Limits::default() }).unwrap();
    let site = Site { app: baocao::serve::router(desk.clone()), desk, dir };
    assert_eq!(status_of(&site.get("/").await.text(), "VQU"), "đã nộp");
    let r = site.build("mau=ke-hoach-nam").await;
    assert!(r.text().contains("Đã tạo 1 văn bản"), "{}", r.text());
    site.cli(&["build", "--mau", "ke-hoach-nam", "--out", "cli"]);
    let served = site.get("/tai/ke-hoach-nam-2024.docx").await;
    assert_eq!(served.body, fs::read(site.path("cli/ke-hoach-nam-2024.docx")).unwrap());
}

#[test]
#[ignore = "needs LibreOffice: run with `cargo test -- --include-ignored` (as .ci/run does)"]
fn a_pdf_copy_when_libreoffice_is_there() {
    common::require_tool("soffice", "--version");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let site = Site::new(&[]);
        assert!(site.get("/van-ban").await.text().contains("Kèm bản PDF"));
        let r = site.build("mau=cong-van-gui-ke-hoach&pdf=1").await;
        let text = r.text();
        assert!(text.contains("Đã tạo bản PDF: cong-van-gui-ke-hoach-2024.pdf"), "{text}");
        assert!(text.contains("href=\"/tai/cong-van-gui-ke-hoach-2024.pdf\""), "{text}");
        let pdf = site.get("/tai/cong-van-gui-ke-hoach-2024.pdf").await;
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.body.starts_with(b"%PDF"));
    });
}

/// `baocao serve` itself, on a real port, killed at the end.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the CLI in `dir` with `args`; its printed lines up to the address, and the port.
fn start_cli(dir: &Path, args: &[&str]) -> (Served, Vec<String>, u16) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["serve", "--cong", "0", "--thu-muc"])
        .arg(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let served = Served(child);
    let mut lines = Vec::new();
    let mut port = None;
    for line in out.lines() {
        let line = line.unwrap();
        port = port.or_else(|| line.split("http://127.0.0.1:").nth(1).map(|p| p.trim().parse::<u16>().unwrap()));
        let last = line.contains("Ctrl+C");
        lines.push(line);
        if let (true, Some(port)) = (last, port) {
            return (served, lines, port);
        }
    }
    panic!("no address printed: {lines:?}");
}

fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_command_serves_the_folder_on_the_loopback() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), &dir.path().join("templates"));
    copy_dir(&root().join("inputs"), &dir.path().join("inputs"));
    let (_served, lines, port) = start_cli(dir.path(), &[]);
    assert!(
        lines.iter().any(|l| l.contains("Kỳ báo cáo 6 tháng đầu năm 2023: 22 tệp, 0 lỗi, 0 cảnh báo.")),
        "{lines:?}"
    );
    let page = http_get(port, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Tổng quan tình hình nộp biểu mẫu"));
    // the same port again: a clear message, exit code 2
    let again = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["serve", "--cong", &port.to_string(), "--thu-muc"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("đang được chương trình khác dùng"));
}

#[test]
fn the_command_with_lan_prints_the_code_and_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("inputs"), &dir.path().join("inputs"));
    let (_served, lines, port) = start_cli(dir.path(), &["--lan"]);
    let text = lines.join("\n");
    assert!(text.contains("CHÚ Ý — chế độ mạng nội bộ (--lan)"), "{text}");
    let code = lines.iter().find_map(|l| l.trim().strip_prefix("Mã truy cập:")).unwrap().trim();
    assert_eq!(code.len(), 9, "{code}");
    // from this machine itself no code is needed
    assert!(http_get(port, "/").starts_with("HTTP/1.1 200"));
}
