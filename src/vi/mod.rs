//! Vietnamese conventions: number and percent style, dates, and text hygiene.
//!
//! Everything here works on `rust_decimal::Decimal` and plain strings; nothing
//! knows about spreadsheets, templates or Word.

pub mod date;
pub mod number;
pub mod text;

pub use date::{place_date_line, short_date};
pub use number::{change_phrase, decimal_from_f64, format_number, pad2, parse_number_text, percent, NumberText};
pub use text::{fold, sanitize, sanitize_inline};
