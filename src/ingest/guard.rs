//! Checks made on a workbook's bytes before the spreadsheet library sees
//! them, for what would otherwise exhaust memory or crash the process:
//!
//! - .xlsx/.xlsm/.ods: the zip directory (parts, declared uncompressed sizes,
//!   compression ratios). The zip reader refuses to inflate a part beyond its
//!   declared size, so the declared sizes bound what can be read.
//! - .ods: calamine loads every sheet of `content.xml` when it opens the
//!   file, expanding repeated rows and columns; the sheets are measured here
//!   first, the way calamine will expand them.
//! - .xls: calamine loads every sheet when it opens the file too, reserving
//!   memory for each sheet's declared dimensions and laying out every cell
//!   between the first and the last in one block. The compound file is
//!   walked here the way calamine walks it (refusing cyclic or out-of-range
//!   sector chains, which would make it loop or panic), and the sheets are
//!   measured.
//!
//! Why the compound file is walked by hand rather than with the `cfb`
//! crate: the point is to predict what calamine's own, looser reader will
//! do. `cfb` reads a different stream than calamine for some crafted files
//! (an orphan "Workbook" entry, zero-padded DIFAT, a directory chain that
//! calamine follows round and round), and calamine then exhausts memory;
//! those files are kept in tests/fixtures/fuzz/workbook/.
//!
//! An .xlsx sheet is measured while it is read (`workbook.rs`): its cells
//! stream in one by one and only the filled ones are kept.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::limits::{self, Limits, RATIO_GRACE_BYTES};
use super::Refusal;

/// The result of a check: `Err` is the Vietnamese reason the file is not read.
pub type Checked = Result<(), Refusal>;

const DAMAGED: &str = "tệp bị hỏng hoặc không đúng định dạng bảng tính, có thể tải về chưa hết";

// ------------------------------------------------------------------ zip

/// The number of parts the zip's end record declares, when it can be found.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    // the end of central directory record is in the last 64 KB + 22 bytes
    let from = bytes.len().saturating_sub(65_557);
    let tail = &bytes[from..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let rec = tail.get(at..at + 22)?;
    Some(u64::from(u16::from_le_bytes([rec[10], rec[11]])))
}

/// Parts, declared sizes and ratios of a zip-based workbook.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Checked {
    if let Some(n) = declared_entries(bytes) {
        // 0xFFFF means "see the zip64 record": far beyond any workbook
        if n > limits.max_zip_entries {
            return Err(limits::zip_entries(n, limits));
        }
    }
    let archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        // calamine will say what is wrong with it
        Err(_) => return Ok(()),
    };
    if archive.len() as u64 > limits.max_zip_entries {
        return Err(limits::zip_entries(archive.len() as u64, limits));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else { continue };
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if total > limits.max_unzipped_bytes {
            return Err(limits::unzipped_too_big(total, limits));
        }
        if size > RATIO_GRACE_BYTES && size / packed.max(1) > limits.max_zip_ratio {
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            return Err(limits::zip_ratio(&crate::vi::sanitize_inline(&name), size, packed, limits));
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ ods

/// calamine's caps on an .ods sheet.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// The sheets of an .ods measured as calamine will lay them out.
pub fn check_ods(bytes: &[u8], limits: &Limits) -> Checked {
    check_zip(bytes, limits)?;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let mut xml = Vec::new();
    {
        let Ok(entry) = archive.by_name("content.xml") else { return Ok(()) };
        if entry.take(limits.max_unzipped_bytes).read_to_end(&mut xml).is_err() {
            return Ok(());
        }
    }
    measure_ods_content(&xml, limits)
}

fn attr_u64(e: &BytesStart, name: &str) -> Option<u64> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).and_then(|a| a.value.trim().parse().ok())
}

fn attr_str(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

/// A cell that calamine will keep (a value or a formula). Cells with child
/// elements count as filled, which may over-count, never under-count.
fn ods_cell_filled(e: &BytesStart) -> bool {
    e.attributes().flatten().any(|a| {
        matches!(
            a.key.as_ref(),
            "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                | "office:value-type"
                | "table:formula"
        )
    })
}

/// One sheet being measured.
#[derive(Default)]
struct OdsSheet {
    name: String,
    /// Cells calamine pushes while reading rows (filled, and empty ones before a filled one).
    pushed: u64,
    /// Rows (with repeats) read so far, capped like calamine.
    rows: u64,
    /// First and last filled row (0-based, with repeats) and column.
    first_row: Option<u64>,
    last_row: u64,
    first_col: u64,
    last_col: u64,
}

impl OdsSheet {
    fn area(&self) -> u64 {
        match self.first_row {
            None => 0,
            Some(r0) => (self.last_row + 1 - r0).saturating_mul(self.last_col + 1 - self.first_col.min(self.last_col)),
        }
    }

    fn used(&self) -> u64 {
        self.pushed.max(self.area())
    }

    fn range(&self) -> String {
        let r0 = self.first_row.unwrap_or(0);
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        limits::a1_range((clamp(r0), clamp(self.first_col)), (clamp(self.last_row), clamp(self.last_col)))
    }
}

/// The row being read: (repeats, pushed cells, column position, first and last filled column).
type OdsRow = (u64, u64, u64, Option<(u64, u64)>);

pub(crate) fn measure_ods_content(xml: &[u8], limits: &Limits) -> Checked {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut sheet: Option<OdsSheet> = None;
    let mut total: u64 = 0;
    let mut row: Option<OdsRow> = None;
    let mut pending_empty: u64 = 0;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            // calamine will refuse it too
            Err(_) => return Ok(()),
        };
        match event {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet =
                        Some(OdsSheet { name: attr_str(&e, "table:name").unwrap_or_default(), ..Default::default() })
                }
                "table:table-row" if sheet.is_some() => {
                    let s = sheet.as_ref().expect("sheet");
                    let repeats = attr_u64(&e, "table:number-rows-repeated").unwrap_or(1);
                    let capped = repeats.min(ODS_MAX_ROWS.saturating_sub(s.rows));
                    row = Some((capped, 0, 0, None));
                    pending_empty = 0;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    if let Some((_, pushed, col, filled)) = row.as_mut() {
                        let repeats = attr_u64(&e, "table:number-columns-repeated").unwrap_or(1);
                        if ods_cell_filled(&e) {
                            let empties = pending_empty.min(ODS_MAX_COLUMNS.saturating_sub(*pushed));
                            *pushed += empties;
                            *col += empties;
                            let capped = repeats.min(ODS_MAX_COLUMNS.saturating_sub(*pushed));
                            if capped > 0 {
                                let (first, _) = filled.unwrap_or((*col, *col));
                                *filled = Some((first, *col + capped - 1));
                            }
                            *pushed += capped;
                            *col += capped;
                            pending_empty = 0;
                        } else {
                            pending_empty = pending_empty.saturating_add(repeats);
                        }
                        // the cell's content (paragraphs, annotations) is not measured
                        let end = e.to_end().into_owned();
                        if reader.read_to_end_into(end.name(), &mut Vec::new()).is_err() {
                            return Ok(());
                        }
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    let (Some(s), Some((repeats, pushed, _, filled))) = (sheet.as_mut(), row.take()) else { continue };
                    s.pushed = s.pushed.saturating_add(pushed);
                    if let Some((c0, c1)) = filled {
                        if s.first_row.is_none() {
                            s.first_row = Some(s.rows);
                            s.first_col = c0;
                        }
                        s.first_col = s.first_col.min(c0);
                        s.last_col = s.last_col.max(c1);
                        s.last_row = s.rows + repeats.max(1) - 1;
                    }
                    s.rows = s.rows.saturating_add(repeats);
                    if s.used() > limits.max_sheet_cells {
                        return Err(limits::sheet_too_big(&s.name, &s.range(), s.used(), limits));
                    }
                }
                "table:table" => {
                    if let Some(s) = sheet.take() {
                        total = total.saturating_add(s.used());
                        if total > limits.max_sheet_cells {
                            return Err(sheets_too_big(total, limits));
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(())
}

/// The sheets together are over the limit (formats that load every sheet at once).
fn sheets_too_big(cells: u64, limits: &Limits) -> Refusal {
    Refusal::new(
        format!(
            "các trang của tệp cộng lại có vùng dữ liệu {} ô, vượt giới hạn {} ô (tệp .xls, .ods được đọc cả tệp \
             một lần); không đọc tệp này",
            limits::count(cells),
            limits::count(limits.max_sheet_cells)
        ),
        format!(
            "Đề nghị đơn vị xóa các trang, dòng, cột thừa rồi lưu và gửi lại; nếu đúng là cần đọc tệp lớn như vậy, \
             đặt biến môi trường {} lớn hơn",
            limits::ENV_MAX_CELLS
        ),
    )
}

// ------------------------------------------------------------------ xls

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// An .xls sheet cannot be larger than 65.536 rows × 256 columns; a
/// declared size within that is left to the cell check.
const XLS_MAX_AREA: u64 = 65_536 * 256;
/// Sheets of one .xls (calamine reads each from its own offset).
const XLS_MAX_SHEETS: usize = 4_096;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// A compound file (OLE2) read the way calamine's `cfb` module reads it.
struct Cfb<'a> {
    /// The file after its header.
    body: &'a [u8],
    sector: usize,
    maxid: u32,
    fats: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn sector(&self, id: u32) -> Result<&'a [u8], String> {
        if id > self.maxid {
            return Err(DAMAGED.into());
        }
        let start = id as usize * self.sector;
        if start > self.body.len() {
            // calamine slices past its buffer here and panics
            return Err(DAMAGED.into());
        }
        let end = (start + self.sector).min(self.body.len());
        Ok(&self.body[start..end])
    }

    /// Follows a chain until its end or `len` bytes; refuses what would make
    /// calamine loop for ever or index past its sector table.
    fn chain(&self, mut id: u32, len: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut steps: u64 = 0;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > u64::from(self.maxid) + 1 {
                return Err(format!("{DAMAGED} (chuỗi sector lặp vòng)"));
            }
            let s = self.sector(id)?;
            let take = s.len().min(len - out.len());
            out.extend_from_slice(&s[..take]);
            if out.len() >= len {
                break;
            }
            id = *self.fats.get(id as usize).ok_or_else(|| DAMAGED.to_string())?;
        }
        Ok(out)
    }
}

struct Dir {
    name: String,
    start: u32,
    len: usize,
}

/// The workbook stream of an .xls, as calamine will extract it.
fn xls_workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() < 512 || bytes[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return Err(DAMAGED.into());
    }
    let header = &bytes[..512];
    let version = u16_at(header, 26).unwrap_or(0);
    let sector = match u16_at(header, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err(DAMAGED.into()),
    };
    if u16_at(header, 32) != Some(6) || bytes.len() < sector {
        return Err(DAMAGED.into());
    }
    let dir_start = u32_at(header, 48).unwrap_or(ENDOFCHAIN);
    let mini_fat_start = u32_at(header, 60).unwrap_or(ENDOFCHAIN);
    let mini_fat_len = u32_at(header, 64).unwrap_or(0) as usize;
    let difat_start = u32_at(header, 68).unwrap_or(ENDOFCHAIN);
    let body = &bytes[sector..];
    // calamine counts sectors from the whole length
    let maxid = u32::try_from(bytes.len() / sector).unwrap_or(u32::MAX);
    let mut cfb = Cfb { body, sector, maxid, fats: Vec::new() };

    let mut difat: Vec<u32> = header[76..512].chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let mut id = difat_start;
    let mut hops = 0usize;
    while id < RESERVED_SECTORS {
        hops += 1;
        if hops > maxid as usize + 1 {
            return Err(DAMAGED.into());
        }
        let s = cfb.sector(id)?;
        difat.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
        id = difat.pop().ok_or_else(|| DAMAGED.to_string())?;
    }
    // a FAT sector named over and over would make calamine's table grow without end
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > maxid as usize + 1 {
        return Err(DAMAGED.into());
    }
    let mut fats = Vec::with_capacity(fat_sectors.len() * sector / 4);
    for id in fat_sectors {
        let s = cfb.sector(id)?;
        fats.extend(s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }
    cfb.fats = fats;

    let dirs: Vec<Dir> = cfb
        .chain(dir_start, usize::MAX)?
        .chunks_exact(128)
        .map(|c| {
            let units: Vec<u16> = c[..64].chunks(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(l) = name.find('\0') {
                name.truncate(l);
            }
            let len = if sector == 512 {
                u32_at(c, 120).unwrap_or(0) as usize
            } else {
                usize::try_from(u64_at(c, 120).unwrap_or(0)).unwrap_or(usize::MAX)
            };
            Dir { name, start: u32_at(c, 116).unwrap_or(ENDOFCHAIN), len }
        })
        .collect();
    if dirs.is_empty() || (version != 3 && dirs[0].start == ENDOFCHAIN) {
        return Err(DAMAGED.into());
    }
    let (mini_fats, ministream) = if mini_fat_len > 0 {
        let ministream = cfb.chain(dirs[0].start, dirs[0].len)?;
        let minifat = cfb.chain(mini_fat_start, mini_fat_len.saturating_mul(sector))?;
        let minifat: Vec<u32> = minifat.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        (minifat, ministream)
    } else {
        (Vec::new(), Vec::new())
    };
    let find = |name: &str| dirs.iter().find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()));
    let Some(d) = find("Workbook").or_else(|| find("Book")) else {
        // calamine reports the missing stream
        return Ok(Vec::new());
    };
    if d.len >= 4096 {
        return cfb.chain(d.start, d.len);
    }
    // the mini stream: 64-byte sectors inside the root entry's stream
    let mini_max = u64::from(maxid) * 8;
    let mut out = Vec::new();
    let mut id = d.start;
    let mut steps = 0u64;
    while id != ENDOFCHAIN {
        steps += 1;
        if steps > mini_max + 1 || u64::from(id) > mini_max {
            return Err(DAMAGED.into());
        }
        let start = id as usize * 64;
        // calamine would read past the mini stream from wherever the file is
        let s = ministream.get(start..start + 64).ok_or_else(|| DAMAGED.to_string())?;
        let take = 64.min(d.len - out.len());
        out.extend_from_slice(&s[..take]);
        if out.len() >= d.len {
            break;
        }
        id = *mini_fats.get(id as usize).ok_or_else(|| DAMAGED.to_string())?;
    }
    Ok(out)
}

/// BIFF records of a stream: (type, data), CONTINUE records folded in as
/// calamine folds them. Stops at the first truncated record.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        if rest.len() > 4 && u16_at(rest, 0) == Some(0x003C) {
            while rest.len() > 4 && u16_at(rest, 0) == Some(0x003C) {
                let l = u16_at(rest, 2)? as usize;
                rest = rest.get(4 + l..)?;
            }
        }
        Some((typ, data))
    })
}

/// Bounding box of cells, as (first row, first col, last row, last col).
#[derive(Default, Clone, Copy)]
struct Bbox(Option<(u32, u32, u32, u32)>);

impl Bbox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        self.0.map(|(r0, c0, r1, c1)| limits::area((r0, c0), (r1, c1))).unwrap_or(0)
    }

    fn range(&self) -> String {
        self.0.map(|(r0, c0, r1, c1)| limits::a1_range((r0, c0), (r1, c1))).unwrap_or_default()
    }
}

/// The name in a BoundSheet8 record (for messages).
fn sheet_name(data: &[u8]) -> String {
    let cch = data.get(6).copied().unwrap_or(0) as usize;
    let wide = data.get(7).is_some_and(|f| f & 1 == 1);
    let raw = data.get(8..).unwrap_or_default();
    let name = if wide {
        let units: Vec<u16> = raw.chunks_exact(2).take(cch).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        raw.iter().take(cch).map(|b| char::from(*b)).collect()
    };
    crate::vi::sanitize_inline(&name)
}

/// The sheets of an .xls measured before calamine lays them out.
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Checked {
    let stream = xls_workbook_stream(bytes)?;
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (typ, data) in records(&stream) {
        match typ {
            // FilePass: encrypted, calamine refuses it
            0x002F if u16_at(data, 0).unwrap_or(0) != 0 => return Ok(()),
            // BoundSheet8: where a sheet starts
            0x0085 => {
                let Some(pos) = u32_at(data, 0) else { return Ok(()) };
                sheets.push((pos as usize, sheet_name(data)));
                if sheets.len() > XLS_MAX_SHEETS {
                    return Err(format!("{DAMAGED} (hơn {} trang)", limits::count(XLS_MAX_SHEETS as u64)).into());
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    // sheets are disjoint parts of the stream; overlapping ones would be read again and again
    let mut budget = stream.len().saturating_mul(2).saturating_add(1 << 20);
    for (pos, name) in sheets {
        let Some(sheet) = stream.get(pos..) else {
            return Err(format!("{DAMAGED} (trang «{name}» nằm ngoài tệp)").into());
        };
        let mut cells = Bbox::default();
        let mut formulas = Bbox::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, data) in records(sheet) {
            budget = match budget.checked_sub(data.len() + 4) {
                Some(b) => b,
                None => return Err(format!("{DAMAGED} (các trang chồng lên nhau)").into()),
            };
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let rc = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
            match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                // Dimensions: calamine reserves room for the declared range
                0x0200 => {
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            u32::from(u16_at(data, 0).unwrap_or(0)),
                            u32::from(u16_at(data, 2).unwrap_or(0)),
                            u32::from(u16_at(data, 4).unwrap_or(0)),
                            u32::from(u16_at(data, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(data, 0).unwrap_or(0),
                            u32_at(data, 4).unwrap_or(0),
                            u32::from(u16_at(data, 8).unwrap_or(0)),
                            u32::from(u16_at(data, 10).unwrap_or(0)),
                        ),
                        _ => break,
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    let (start, end) =
                        if rl >= 1 && cl >= 1 { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
                    // calamine computes the size with wrapping arithmetic
                    let rows = u64::from(end.0.wrapping_sub(start.0).wrapping_add(1));
                    let cols = u64::from(end.1.wrapping_sub(start.1).wrapping_add(1));
                    let declared = rows.saturating_mul(cols);
                    if declared > limits.max_sheet_cells.max(XLS_MAX_AREA) {
                        let range = if end.0 >= start.0 && end.1 >= start.1 {
                            limits::a1_range(start, end)
                        } else {
                            format!("{} (đảo ngược)", limits::a1_range(end, start))
                        };
                        return Err(limits::sheet_too_big(&name, &range, declared, limits));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let Some((r, c)) = rc() {
                        cells.add(r, c);
                    }
                }
                // MulRk: one row, several columns
                0x00BD => {
                    if let Some((r, c)) = rc() {
                        cells.add(r, c);
                        let n = data.len().saturating_sub(6) / 6;
                        let last = u32::from(u16_at(data, data.len().saturating_sub(2)).unwrap_or(0));
                        cells.add(r, (c + n.saturating_sub(1) as u32).max(last));
                    }
                }
                // Formula: a value and a formula text
                0x0006 => {
                    if let Some((r, c)) = rc() {
                        cells.add(r, c);
                        formulas.add(r, c);
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        let used = cells.area().max(formulas.area());
        if used > limits.max_sheet_cells {
            let range = if cells.area() >= formulas.area() { cells.range() } else { formulas.range() };
            return Err(limits::sheet_too_big(&name, &range, used, limits));
        }
        total = total.saturating_add(used);
        if total > limits.max_sheet_cells {
            return Err(sheets_too_big(total, limits));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits { max_sheet_cells: 1_000, ..Limits::default() }
    }

    #[test]
    fn ods_repeats_are_measured_as_calamine_expands_them() {
        let row = |repeat: u32, cells: &str| {
            format!("<table:table-row table:number-rows-repeated=\"{repeat}\">{cells}</table:table-row>")
        };
        let sheet = |rows: &str| {
            format!("<office:document-content><office:body><office:spreadsheet><table:table table:name=\"Trang 1\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>")
        };
        let filled =
            "<table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>";
        // a small form passes
        let ok = sheet(&row(10, &format!("{filled}{filled}")));
        assert!(measure_ods_content(ok.as_bytes(), &small()).is_ok());
        // styled empty cells and rows do not count
        let styled = sheet(&format!(
            "{}{}",
            row(1, filled),
            row(1_000_000, "<table:table-cell table:number-columns-repeated=\"16384\"/>")
        ));
        assert!(measure_ods_content(styled.as_bytes(), &small()).is_ok());
        // a value repeated over a whole row, a thousand times
        let wide = sheet(&row(
            1_000,
            &filled.replace("<table:table-cell ", "<table:table-cell table:number-columns-repeated=\"16384\" "),
        ));
        let err = measure_ods_content(wide.as_bytes(), &small()).unwrap_err().to_string();
        assert!(err.contains("trang «Trang 1»"), "{err}");
        assert!(err.contains("vượt giới hạn 1.000 ô"), "{err}");
        // a cell far below the first one
        let far = sheet(&format!("{}{}{}", row(1, filled), row(100_000, "<table:table-cell/>"), row(1, filled)));
        assert!(measure_ods_content(far.as_bytes(), &small()).is_err());
    }

    #[test]
    fn biff_records_fold_continue_records() {
        let mut s = Vec::new();
        for (typ, data) in [(0x0203u16, vec![1u8, 0, 2, 0]), (0x003C, vec![9, 9]), (0x000A, vec![])] {
            s.extend(typ.to_le_bytes());
            s.extend((data.len() as u16).to_le_bytes());
            s.extend(data);
        }
        let recs: Vec<(u16, usize)> = records(&s).map(|(t, d)| (t, d.len())).collect();
        assert_eq!(recs, [(0x0203, 4), (0x000A, 0)]);
    }
}
