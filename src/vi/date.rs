//! Dates as official texts write them.

use chrono::{Datelike, NaiveDate};

/// The place-date line of the header (Decree 30, Phụ lục I, II.4.b): day
/// below 10 and months 1 and 2 get a leading zero, months 3–12 never do.
/// Without a date (a draft) day and month are left blank for the văn thư.
pub fn place_date_line(place: &str, date: Option<NaiveDate>, year: i32) -> String {
    match date {
        Some(d) => {
            let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
            format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        None => format!("{place}, ngày      tháng      năm {year}"),
    }
}

/// `20/12/2022`: the short form used when citing documents.
pub fn short_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_date_follows_decree_30() {
        let d = |y, m, dd| Some(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(place_date_line("Lạng Sơn", d(2024, 1, 5), 2024), "Lạng Sơn, ngày 05 tháng 01 năm 2024");
        assert_eq!(place_date_line("Lạng Sơn", d(2023, 6, 30), 2023), "Lạng Sơn, ngày 30 tháng 6 năm 2023");
        assert_eq!(place_date_line("Lạng Sơn", d(2023, 2, 9), 2023), "Lạng Sơn, ngày 09 tháng 02 năm 2023");
        assert_eq!(place_date_line("Lạng Sơn", d(2023, 12, 25), 2023), "Lạng Sơn, ngày 25 tháng 12 năm 2023");
        assert_eq!(place_date_line("Lạng Sơn", None, 2024), "Lạng Sơn, ngày      tháng      năm 2024");
    }

    #[test]
    fn short_dates() {
        assert_eq!(short_date(NaiveDate::from_ymd_opt(2023, 2, 13).unwrap()), "13/02/2023");
    }
}
