//! The reporting period, stated once (`[ky_bao_cao]` of `chung.toml`) and
//! resolved here into everything the rest derives from it: its first and
//! last day, its year and the years around it, and the words documents and
//! forms use ("6 tháng", "6 tháng đầu năm 2023", "quý I năm 2024").

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::Deserialize;

use crate::vi::fold;

/// The kind of period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The first half of the year ("6 tháng").
    Half,
    /// The whole year ("cả năm").
    Year,
    /// A quarter, 1 to 4 ("quý I" … "quý IV").
    Quarter(u8),
    /// A month, 1 to 12 ("tháng 1" … "tháng 12").
    Month(u8),
}

/// A reporting period: a kind of period in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: Kind,
}

/// How a period is written in `[ky_bao_cao]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodToml {
    #[serde(rename = "nam")]
    pub year: i32,
    #[serde(rename = "ky")]
    pub period: String,
}

impl TryFrom<PeriodToml> for Period {
    type Error = String;

    fn try_from(t: PeriodToml) -> Result<Period, String> {
        Period::new(t.year, &t.period)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        Period::try_from(PeriodToml::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// The kinds of period as a clerk writes them, for messages.
pub const KINDS_HELP: &str = "«6 tháng», «cả năm», «quý I» … «quý IV», «tháng 1» … «tháng 12»";

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Kind {
    /// The kind from its words: "6 tháng", "6 tháng đầu năm", "cả năm",
    /// "năm", "quý II", "quý 2", "tháng 3" (case and diacritics ignored).
    pub fn parse(text: &str) -> Option<Kind> {
        let key = fold(text);
        let words: Vec<&str> = key.split_whitespace().filter(|w| !matches!(*w, "dau" | "nam" | "ky")).collect();
        match words.as_slice() {
            ["6", "thang"] | ["sau", "thang"] => Some(Kind::Half),
            [] | ["ca"] => Some(Kind::Year),
            ["quy", n] => {
                let n = ROMAN
                    .iter()
                    .position(|r| r.eq_ignore_ascii_case(n))
                    .map(|i| i as u8 + 1)
                    .or_else(|| n.parse().ok())?;
                (1..=4).contains(&n).then_some(Kind::Quarter(n))
            }
            ["thang", n] => n.parse().ok().filter(|n| (1..=12).contains(n)).map(Kind::Month),
            _ => None,
        }
    }

    /// "6 tháng", "cả năm", "quý I", "tháng 3": the words of the form's
    /// «Kỳ báo cáo» cell.
    pub fn words(self) -> String {
        match self {
            Kind::Half => "6 tháng".into(),
            Kind::Year => "cả năm".into(),
            Kind::Quarter(q) => format!("quý {}", ROMAN[q as usize - 1]),
            Kind::Month(m) => format!("tháng {m}"),
        }
    }

    /// "6-thang", "ca-nam", "quy-1", "thang-3": the kind in folder names.
    pub fn slug(self) -> String {
        match self {
            Kind::Half => "6-thang".into(),
            Kind::Year => "ca-nam".into(),
            Kind::Quarter(q) => format!("quy-{q}"),
            Kind::Month(m) => format!("thang-{m}"),
        }
    }

    /// (first month, number of months).
    fn months(self) -> (u32, u32) {
        match self {
            Kind::Half => (1, 6),
            Kind::Year => (1, 12),
            Kind::Quarter(q) => (3 * (q as u32 - 1) + 1, 3),
            Kind::Month(m) => (m as u32, 1),
        }
    }
}

impl Period {
    /// The period of `ky` ("6 tháng", "quý I"…) in `year`; the error says what is accepted.
    pub fn new(year: i32, period: &str) -> Result<Period, String> {
        if !(1900..=2200).contains(&year) {
            return Err(format!("năm «{year}» không hợp lệ"));
        }
        let kind = Kind::parse(period).ok_or_else(|| {
            format!("kỳ báo cáo «{}» không hiểu được; ghi một trong các kỳ {KINDS_HELP}", period.trim())
        })?;
        Ok(Period { year, kind })
    }

    /// A period written in full, as `baocao ky-moi --ky` takes it:
    /// "6 tháng 2024", "6 tháng đầu năm 2024", "cả năm 2024", "năm 2024",
    /// "quý I năm 2025", "tháng 3/2025".
    pub fn parse(text: &str) -> Result<Period, String> {
        let folded = fold(&text.replace('/', " "));
        let years: Vec<i32> =
            folded.split_whitespace().filter(|w| w.len() == 4).filter_map(|w| w.parse().ok()).collect();
        let [year] = years.as_slice() else {
            return Err(format!(
                "«{}» phải ghi một năm và một kỳ, ví dụ «6 tháng 2024», «cả năm 2024», «quý I năm 2025»",
                text.trim()
            ));
        };
        let rest: Vec<&str> = folded.split_whitespace().filter(|w| *w != year.to_string()).collect();
        Period::new(*year, &rest.join(" ")).map_err(|_| {
            format!(
                "kỳ «{}» không hiểu được; ghi một năm và một trong các kỳ {KINDS_HELP}, ví dụ «cả năm 2024»",
                text.trim()
            )
        })
    }

    /// The period of an archive folder name ("2023-6-thang").
    pub fn from_slug(slug: &str) -> Option<Period> {
        let (year, kind) = slug.split_once('-')?;
        let year: i32 = year.parse().ok()?;
        let kind = match kind.split_once('-')? {
            ("6", "thang") => Kind::Half,
            ("ca", "nam") => Kind::Year,
            ("quy", n) => Kind::Quarter(n.parse().ok().filter(|n| (1..=4).contains(n))?),
            ("thang", n) => Kind::Month(n.parse().ok().filter(|n| (1..=12).contains(n))?),
            _ => return None,
        };
        Some(Period { year, kind })
    }

    /// "2023-6-thang": the period's folder in the archive.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.year, self.kind.slug())
    }

    /// "6 tháng", "cả năm", "quý I", "tháng 3".
    pub fn kind_words(&self) -> String {
        self.kind.words()
    }

    /// "6 tháng đầu năm 2023", "năm 2023", "quý I năm 2023", "tháng 3 năm 2023".
    pub fn phrase(&self) -> String {
        match self.kind {
            Kind::Half => format!("6 tháng đầu năm {}", self.year),
            Kind::Year => format!("năm {}", self.year),
            k => format!("{} năm {}", k.words(), self.year),
        }
    }

    pub fn start(&self) -> NaiveDate {
        let (first, _) = self.kind.months();
        NaiveDate::from_ymd_opt(self.year, first, 1).expect("a valid first day")
    }

    pub fn end(&self) -> NaiveDate {
        let (_, n) = self.kind.months();
        self.start().checked_add_months(Months::new(n)).and_then(|d| d.pred_opt()).expect("a valid last day")
    }

    /// The same kind of period one year on (the default of `ky-moi`).
    pub fn next_year(&self) -> Period {
        Period { year: self.year + 1, kind: self.kind }
    }

    /// The same kind of period one year before (the archive's «cùng kỳ»).
    pub fn previous_year(&self) -> Period {
        Period { year: self.year - 1, kind: self.kind }
    }

    /// Whether `text` (a form's «Kỳ báo cáo» cell) names this kind of period.
    pub fn is_kind(&self, text: &str) -> bool {
        Kind::parse(text) == Some(self.kind)
    }

    /// The dates a document of this period is reasonably signed between:
    /// from the period's first day to six months after its last (a report
    /// of the first half is signed in July, a plan for next year before the
    /// year ends). A date outside is most likely last period's.
    pub fn signing_window(&self) -> (NaiveDate, NaiveDate) {
        (self.start(), self.end().checked_add_months(Months::new(6)).unwrap_or(self.end()))
    }

    /// "30/6/2023": the last day, written as Decree 30 writes dates in the
    /// text (day in two digits, months 1 and 2 in two digits).
    pub fn end_text(&self) -> String {
        crate::vi::date::text_date(self.end())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.phrase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn kinds_are_read_as_clerks_write_them() {
        for (text, kind) in [
            ("6 tháng", Kind::Half),
            ("6 tháng đầu năm", Kind::Half),
            ("6 THÁNG", Kind::Half),
            ("cả năm", Kind::Year),
            ("Năm", Kind::Year),
            ("quý I", Kind::Quarter(1)),
            ("Quý iv", Kind::Quarter(4)),
            ("quý 3", Kind::Quarter(3)),
            ("tháng 12", Kind::Month(12)),
        ] {
            assert_eq!(Kind::parse(text), Some(kind), "{text}");
        }
        for bad in ["quý V", "tháng 13", "9 tháng", "hè"] {
            assert_eq!(Kind::parse(bad), None, "{bad}");
        }
        assert!(Period::new(2023, "hè").unwrap_err().contains("«6 tháng»"));
    }

    #[test]
    fn a_period_knows_its_days_and_words() {
        let p = Period::new(2023, "6 tháng").unwrap();
        assert_eq!((p.start(), p.end()), (d(2023, 1, 1), d(2023, 6, 30)));
        assert_eq!(p.phrase(), "6 tháng đầu năm 2023");
        assert_eq!(p.kind_words(), "6 tháng");
        assert_eq!(p.end_text(), "30/6/2023");
        assert_eq!(p.slug(), "2023-6-thang");
        assert_eq!(p.next_year().phrase(), "6 tháng đầu năm 2024");
        let q = Period::new(2024, "quý I").unwrap();
        assert_eq!((q.start(), q.end(), q.phrase()), (d(2024, 1, 1), d(2024, 3, 31), "quý I năm 2024".into()));
        assert_eq!(Period::new(2024, "quý IV").unwrap().end(), d(2024, 12, 31));
        let m = Period::new(2024, "tháng 2").unwrap();
        assert_eq!((m.start(), m.end(), m.end_text()), (d(2024, 2, 1), d(2024, 2, 29), "29/02/2024".into()));
        let y = Period::new(2023, "cả năm").unwrap();
        assert_eq!((y.end(), y.phrase(), y.slug()), (d(2023, 12, 31), "năm 2023".into(), "2023-ca-nam".into()));
    }

    #[test]
    fn periods_in_full_and_in_folder_names() {
        assert_eq!(Period::parse("cả năm 2024").unwrap(), Period { year: 2024, kind: Kind::Year });
        assert_eq!(Period::parse("6 tháng đầu năm 2024").unwrap(), Period { year: 2024, kind: Kind::Half });
        assert_eq!(Period::parse("quý II năm 2025").unwrap(), Period { year: 2025, kind: Kind::Quarter(2) });
        assert_eq!(Period::parse("tháng 3/2025").unwrap(), Period { year: 2025, kind: Kind::Month(3) });
        assert!(Period::parse("cả năm").is_err());
        for p in ["2023-6-thang", "2024-ca-nam", "2025-quy-2", "2025-thang-11"] {
            assert_eq!(Period::from_slug(p).unwrap().slug(), p);
        }
        assert_eq!(Period::from_slug("ghi-chu"), None);
        assert_eq!(Period::from_slug("2023-quy-5"), None);
    }
}
