//! The package: the parts zipped with deflate, in a fixed order, with a
//! fixed timestamp, so the same document gives the same bytes (docx-rs
//! stores its zip uncompressed, with the current time).

use std::io::{Cursor, Write};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;

/// `parts` (name, bytes) zipped, every entry dated `date`.
pub fn zip(parts: &[(String, Vec<u8>)], date: NaiveDate) -> Result<Vec<u8>> {
    let (y, m, d) = (date.year(), date.month() as u8, date.day() as u8);
    let time = zip::DateTime::from_date_and_time(y.clamp(1980, 2107) as u16, m, d, 0, 0, 0)
        .unwrap_or_else(|_| zip::DateTime::default());
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
