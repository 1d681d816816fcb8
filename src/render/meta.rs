//! The Decree 30 parts around the body, from `report.toml` (and the shared
//! `chung.toml`): header lines, number, place and date, title or "V/v",
//! "Kính gửi", "Nơi nhận", signature. The conventions of the decree (a
//! leading zero, "Lưu: VT, …", capitals) are applied here, once, for every
//! writer.

use chrono::NaiveDate;

use super::RenderOptions;
use crate::config::{Report, ReportDef};
use crate::doc::{Meta, Signature, Title};
use crate::vi;

/// Language of the documents.
pub const LANG: &str = "vi-VN";

pub fn meta(def: &ReportDef, opts: RenderOptions) -> Meta {
    let r = &def.report;
    let vb = &r.document;
    let date = r.date().ok().flatten();
    let title = (!r.is_letter())
        .then(|| Title { kind: vb.kind_name.trim().to_string(), summary: vb.subject.trim().to_string() });
    let subject = r.is_letter().then(|| format!("V/v {}", vb.subject.trim()));
    let year = r.period().year;
    let stamp = opts.stamp.or(date).unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default());
    Meta {
        parent_agency: r.agency.parent.trim().to_string(),
        agency: r.agency.issuer.iter().map(|l| l.trim().to_string()).collect(),
        agency_full_name: r.agency.full_name.trim().to_string(),
        number: r.number_line(),
        place_date: vi::place_date_line(&vb.place, date, year),
        title,
        subject,
        recipients: vb.addressees.iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect(),
        draft: opts.draft,
        distribution: distribution(r),
        signature: Signature { lines: signer_lines(r), name: r.signer.full_name.trim().to_string() },
        stamp,
        lang: LANG.to_string(),
    }
}

/// The "Nơi nhận" lines: "- Bộ Nông nghiệp và PTNT (b/c);" … "- Lưu: VT, KHTC."
pub fn distribution(report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = report
        .recipients
        .iter()
        .map(|n| {
            let name = n.name.trim().trim_end_matches(';');
            if n.note.trim().is_empty() {
                format!("- {name};")
            } else {
                format!("- {name} ({});", n.note.trim())
            }
        })
        .collect();
    lines.push(format!("- Lưu: VT, {}.", report.filing.drafting_unit.trim()));
    lines
}

/// The authority and position lines: "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC".
pub fn signer_lines(report: &Report) -> Vec<String> {
    let k = &report.signer;
    let mut lines = Vec::new();
    if k.authority.trim().is_empty() {
        lines.push(k.title.trim().to_uppercase());
    } else {
        lines.push(format!("{} {}", k.authority.trim(), k.title.trim()).to_uppercase());
    }
    if !k.signer_title.trim().is_empty() {
        lines.push(k.signer_title.trim().to_uppercase());
    }
    lines
}

/// "(Kèm theo Kế hoạch số      /KH-SNN ngày      tháng      năm 2023 của Sở …)"
pub fn attached_to(report: &Report) -> String {
    let kind = if report.is_letter() { "Công văn" } else { report.document.kind_name.trim() };
    let mut chars = kind.chars();
    let kind = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>(),
        None => String::new(),
    };
    let number = report.number_line();
    let number = number.strip_prefix("Số: ").unwrap_or(&number);
    let date = report.date().ok().flatten();
    let when = vi::place_date_line("", date, report.period().year);
    let when = when.trim_start_matches(", ");
    format!("(Kèm theo {kind} số {number} {when} của {})", report.agency.full_name.trim())
}
