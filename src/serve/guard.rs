//! The safety rules every request goes through: where it may come from
//! (the loopback addresses, unless `--lan`), who may ask (the access code's
//! cookie with `--lan`), that a change comes from the desk's own page
//! (same origin, CSRF token), the response headers that keep a page from
//! being framed or sniffed, and the one way a file leaves the folder.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::Desk;

/// The header the pages' script sends the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
const COOKIE: &str = "baocao_phien";
/// The policy of the desk's own pages: nothing inline, nothing from elsewhere.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                           frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// `n` random bytes as hex, from the operating system's generator.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An access code that reads well aloud: 8 letters and digits without the
/// look-alikes (0/O, 1/I/L), as XXXX-XXXX; 40 bits.
pub fn access_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    let chars: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// The code as typed: case, spaces and dashes do not matter.
fn normalise_code(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Equal, in a time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The host name of a `Host` header ("127.0.0.1:8686" → "127.0.0.1").
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
}

/// A request's `Host` names this machine's loopback (a page on another
/// site whose name points here — DNS rebinding — does not).
fn is_loopback(host: &str) -> bool {
    matches!(host_name(host), "127.0.0.1" | "localhost" | "::1")
}

/// The request comes from a page of this server: its `Origin` (or, when a
/// browser sends none, its `Referer`) is `http://<Host>`.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let expected = format!("http://{host}");
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().map(|o| o == expected).unwrap_or(false);
    }
    match headers.get(header::REFERER).and_then(|r| r.to_str().ok()) {
        Some(r) => r == expected || r.starts_with(&format!("{expected}/")),
        None => false,
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

impl Desk {
    fn signed_in(&self, headers: &HeaderMap) -> bool {
        let Some(token) = cookie(headers, COOKIE) else { return false };
        self.sessions.lock().map(|s| s.iter().any(|t| same_secret(t, &token))).unwrap_or(false)
    }
}

/// A refusal as a short Vietnamese page.
pub fn refuse(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><title>baocao</title>\
         <link rel=\"stylesheet\" href=\"/tai-nguyen/app.css\"><main class=\"loi-trang\"><h1>Không thực hiện được</h1><p>{}</p>\
         <p><a href=\"/\">Về trang Tổng quan</a></p></main></html>",
        crate::html::escape(message)
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Every request passes here first.
pub async fn check(State(desk): State<Arc<Desk>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
    if !desk.lan && !is_loopback(&host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "Trang này chỉ mở được trên chính máy chạy baocao, tại địa chỉ http://127.0.0.1 (hoặc http://localhost).",
        );
    }
    let path = req.uri().path().to_string();
    let public = path.starts_with("/tai-nguyen/") || path == "/dang-nhap";
    // the clerk at the machine itself needs no code
    let at_the_machine =
        is_loopback(&host) && req.extensions().get::<ConnectInfo<SocketAddr>>().is_some_and(|c| c.0.ip().is_loopback());
    if desk.lan && !public && !at_the_machine && !desk.signed_in(headers) {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            return Redirect::to("/dang-nhap").into_response();
        }
        return refuse(StatusCode::UNAUTHORIZED, "Cần nhập mã truy cập trước (trang Đăng nhập).");
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes {
        if !same_origin(headers, &host) {
            return refuse(
                StatusCode::FORBIDDEN,
                "Yêu cầu không đến từ trang của baocao (khác nguồn gốc) nên bị từ chối.",
            );
        }
        let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if path != "/dang-nhap" && !same_secret(token, &desk.csrf) {
            return refuse(
                StatusCode::FORBIDDEN,
                "Thiếu mã xác nhận của trang (chống giả mạo yêu cầu). Tải lại trang rồi làm lại.",
            );
        }
    }
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.entry("x-frame-options").or_insert(HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(PAGE_POLICY));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The login page (`--lan`).
pub async fn login_page(State(desk): State<Arc<Desk>>) -> Response {
    login_form(&desk, None)
}

fn login_form(desk: &Desk, error: Option<&str>) -> Response {
    let mut ctx = tera::Context::new();
    ctx.insert("loi", &error);
    ctx.insert("lan", &desk.lan);
    let status = if error.is_some() { StatusCode::FORBIDDEN } else { StatusCode::OK };
    let mut r = super::pages::render(desk, "dang-nhap.html", ctx);
    *r.status_mut() = status;
    r
}

#[derive(Deserialize)]
pub struct Login {
    #[serde(default)]
    #[serde(rename = "ma")]
    code: String,
}

/// The access code given: a session cookie.
pub async fn login(State(desk): State<Arc<Desk>>, Form(f): Form<Login>) -> Response {
    let Some(code) = &desk.code else { return Redirect::to("/").into_response() };
    if !same_secret(&normalise_code(&f.code), &normalise_code(code)) {
        // slows down guessing
        tokio::time::sleep(Duration::from_millis(700)).await;
        return login_form(&desk, Some("Mã truy cập không đúng. Hỏi người chạy baocao mã được in khi khởi động."));
    }
    let token = random_hex(32);
    if let Ok(mut s) = desk.sessions.lock() {
        s.insert(token.clone());
    }
    let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// A file directly in `dir` named `name` that may be sent: a plain name
/// (no folder, no `..`, not hidden) with one of `extensions`, a regular
/// file (not a link), whose real path is inside the working folder.
pub fn servable(root: &Path, dir: &Path, name: &str, extensions: &[&str]) -> Option<PathBuf> {
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0', ':'])
        || name.chars().any(char::is_control)
        || name.len() > 255
    {
        return None;
    }
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    if !extensions.contains(&ext.as_str()) {
        return None;
    }
    let path = dir.join(name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let real = std::fs::canonicalize(&path).ok()?;
    real.starts_with(root).then_some(real)
}

/// `Content-Disposition` for downloading `name` (UTF-8 names kept).
pub fn attachment(name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or(HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(is_loopback("127.0.0.1:8686"));
        assert!(is_loopback("localhost:8686"));
        assert!(is_loopback("[::1]:8686"));
        assert!(!is_loopback("example.com:8686"));
        assert!(!is_loopback("127.0.0.1.example.com"));
        assert!(!is_loopback(""));
    }

    #[test]
    fn codes() {
        let c = access_code();
        assert_eq!(c.len(), 9);
        assert_eq!(normalise_code(&c.to_lowercase().replace('-', " ")), normalise_code(&c));
        assert_ne!(access_code(), access_code());
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }

    #[test]
    fn names_that_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.docx"), b"x").unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        assert!(servable(&root, &root, "a.docx", &["docx"]).is_some());
        for bad in ["", "../a.docx", "..", ".hidden.docx", "a.exe", "sub/a.docx", "a.docx\0", "C:a.docx"] {
            assert!(servable(&root, &root, bad, &["docx"]).is_none(), "{bad:?}");
        }
    }
}
