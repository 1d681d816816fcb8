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

/// `16/6/2023`, `17/01/2023`: a date in the running text as Decree 30
/// writes it (day in two digits; months 1 and 2 in two digits, the others not).
pub fn text_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("{:02}/{month}/{}", d.day(), d.year())
}

/// The name of a lunar year in the sexagenary cycle, for the Tết that falls
/// in January or February of the Gregorian year `year`: 2023 «Quý Mão»,
/// 2024 «Giáp Thìn», 2025 «Ất Tỵ».
pub fn can_chi(year: i32) -> String {
    const STEMS: [&str; 10] = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
    const BRANCHES: [&str; 12] = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];
    let n = year - 4;
    format!("{} {}", STEMS[n.rem_euclid(10) as usize], BRANCHES[n.rem_euclid(12) as usize])
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
    fn years_of_the_sexagenary_cycle() {
        assert_eq!(can_chi(2023), "Quý Mão");
        assert_eq!(can_chi(2024), "Giáp Thìn");
        assert_eq!(can_chi(2025), "Ất Tỵ");
        assert_eq!(can_chi(1984), "Giáp Tý");
        assert_eq!(can_chi(2020), "Canh Tý");
        // a cycle of sixty names, each once, then the same again
        let names: Vec<String> = (1984..2044).map(can_chi).collect();
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 60);
        assert!((1984..2044).all(|y| can_chi(y) == can_chi(y + 60) && can_chi(y) == can_chi(y - 60)));
    }

    #[test]
    fn dates_in_the_text() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(text_date(d(2023, 6, 16)), "16/6/2023");
        assert_eq!(text_date(d(2023, 1, 17)), "17/01/2023");
        assert_eq!(text_date(d(2023, 4, 6)), "06/4/2023");
    }

    #[test]
    fn short_dates() {
        assert_eq!(short_date(NaiveDate::from_ymd_opt(2023, 2, 13).unwrap()), "13/02/2023");
    }
}
