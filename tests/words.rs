//! Words that follow the data: the shipped templates rendered with rising,
//! falling, equal and zero figures choose the sentences that fit them, and
//! never a sentence that contradicts its own figure.

mod common;

use std::sync::{Arc, OnceLock};

use baocao::config::ReportDef;
use baocao::model::{Column, Figures};
use baocao::render::{render_markup, RenderOptions};
use common::*;
use rust_decimal::Decimal;

fn def() -> &'static ReportDef {
    static D: OnceLock<ReportDef> = OnceLock::new();
    D.get_or_init(|| ReportDef::load(&root().join("templates/ke-hoach-nam")).unwrap())
}

/// The sample's figures (period 1).
fn sample_figures() -> &'static Figures {
    static F: OnceLock<Figures> = OnceLock::new();
    F.get_or_init(|| {
        let checked = baocao::check(def(), &root().join("inputs")).unwrap();
        assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
        (*checked.figures).clone()
    })
}

/// The text rendered with the sample's figures changed as `set` says:
/// (indicator, column, total).
fn text_with(set: &[(&str, Column, &str)]) -> String {
    let mut figures = sample_figures().clone();
    for (code, col, v) in set {
        let f = figures.figures.get_mut(&(code.to_string(), *col)).unwrap_or_else(|| panic!("{code}"));
        f.total = Some(v.parse::<Decimal>().unwrap());
    }
    let (markup, _) =
        render_markup(def(), &Arc::new(figures), RenderOptions::default()).unwrap_or_else(|e| panic!("{e:#}"));
    plain(&markup)
}

/// The markup without the figures' invisible markers.
fn plain(markup: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for c in markup.chars() {
        match c {
            '\u{E002}' => skipping = true,
            '\u{E003}' => skipping = false,
            '\u{E004}' | '\u{E000}' | '\u{E001}' => {}
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out.replace('\\', "")
}

fn has(text: &str, s: &str) -> bool {
    text.contains(s)
}

use Column::{Actual, SamePeriodLastYear};

#[test]
fn cattle_prices_are_blamed_only_when_both_herds_fell() {
    // the sample: buffaloes −2,1%, cattle −2%
    let t = text_with(&[]);
    assert!(has(&t, "giảm 2% so với cùng kỳ năm trước. Giá trâu bò hơi giảm nên người dân chỉ nuôi cầm chừng"), "{t}");
    // cattle rising (the second period's case): no falling price to blame
    let t = text_with(&[("dan_bo", Actual, "31000")]);
    assert!(has(&t, "tổng đàn bò hiện có ước 31.000 con, tăng 2,5% so với cùng kỳ năm trước. Tổng đàn lợn"), "{t}");
    assert!(!has(&t, "Giá trâu bò hơi giảm"));
    // equal
    let t = text_with(&[("dan_trau", Actual, "65245"), ("dan_bo", Actual, "30233")]);
    assert!(has(&t, "đàn trâu có 65.245 con, bằng 100% so với cùng kỳ"), "{t}");
    assert!(!has(&t, "Giá trâu bò hơi giảm"));
}

#[test]
fn the_pig_herd_develops_only_when_it_grew() {
    let t = text_with(&[]);
    assert!(has(&t, "Tổng đàn lợn phát triển, ước có 176.628 con, tăng 1,8% so với cùng kỳ"), "{t}");
    for (v, words) in [("170000", "giảm 2%"), ("173505", "bằng 100%")] {
        let t = text_with(&[("dan_lon", Actual, v)]);
        assert!(!has(&t, "Tổng đàn lợn phát triển"), "{v}: {t}");
        assert!(
            has(
                &t,
                &format!(
                    "Tổng đàn lợn ước có {} con, {words} so với cùng kỳ",
                    baocao::vi::format_number(v.parse().unwrap(), 0, false)
                )
            ),
            "{t}"
        );
    }
    // poultry restocked only when it rose
    assert!(has(&text_with(&[]), "tăng 3,9% so với cùng kỳ do người dân tái đàn"));
    let t = text_with(&[("dan_gia_cam", Actual, "4500")]);
    assert!(has(&t, "giảm 2,4% so với cùng kỳ.") && !has(&t, "tái đàn"), "{t}");
}

#[test]
fn swine_fever_spreads_only_when_cases_rose_and_zero_is_said_as_none() {
    let spreading = "bệnh dịch tả lợn châu Phi đang có diễn biến phức tạp, chiều hướng lây lan ra diện rộng";
    // the sample: 336 households against 270
    let t = text_with(&[]);
    assert!(has(&t, &format!("tổng trọng lượng 40.908 kg; {spreading}.")), "{t}");
    // fell by a quarter
    let t = text_with(&[("dtlcp_ho", Actual, "252")]);
    assert!(!has(&t, spreading), "{t}");
    assert!(
        has(&t, "số hộ có lợn mắc bệnh giảm 6,7% so với cùng kỳ, dịch bệnh không có chiều hướng lây lan ra diện rộng."),
        "{t}"
    );
    // equal
    let t = text_with(&[("dtlcp_ho", Actual, "270")]);
    assert!(has(&t, "số hộ có lợn mắc bệnh bằng 100% so với cùng kỳ") && !has(&t, spreading), "{t}");
    // none at all, and no foot-and-mouth outbreak either
    let t = text_with(&[("dtlcp_ho", Actual, "0"), ("lmlm_o_dich", Actual, "0")]);
    assert!(
        has(
            &t,
            "6 tháng đầu năm 2023, không xảy ra ổ dịch bệnh lở mồm long móng; không xảy ra bệnh dịch tả lợn châu Phi."
        ),
        "{t}"
    );
    assert!(!has(&t, "0 hộ") && !has(&t, spreading));
}

#[test]
fn jelly_grass_and_forest_fires_are_difficulties_only_when_the_figures_say_so() {
    let t = text_with(&[]);
    assert!(has(
        &t,
        "Tuy nhiên, trước tình hình khó khăn trong khâu tiêu thụ sản phẩm thạch đen, diện tích gieo trồng"
    ));
    assert!(has(&t, "Do khó khăn trong tiêu thụ, diện tích gieo trồng cây thạch đen giảm so với cùng kỳ"));
    assert!(has(&t, "Số vụ cháy rừng tăng so với cùng kỳ, nguyên nhân do thời tiết hanh"));
    // jelly grass grew, fires fell
    let t = text_with(&[("dt_thach_den", Actual, "2800"), ("chay_rung", Actual, "5")]);
    assert!(has(&t, "cùng kỳ... Diện tích gieo trồng cây thạch đen vụ Xuân 2023 ước đạt 2.800 ha"), "{t}");
    assert!(!has(&t, "Tuy nhiên, trước tình hình khó khăn") && !has(&t, "giảm so với cùng kỳ (đạt"), "{t}");
    assert!(!has(&t, "Số vụ cháy rừng tăng"), "{t}");
    // as many fires as last year: no rise to explain
    let t = text_with(&[("chay_rung", Actual, "9"), ("chay_rung", SamePeriodLastYear, "9")]);
    assert!(!has(&t, "Số vụ cháy rừng tăng"));
}

#[test]
fn no_new_products_or_cooperatives_is_said_without_a_breakdown_of_zeros() {
    let t = text_with(&[("ocop_moi", Actual, "0"), ("htx_moi", Actual, "0")]);
    assert!(has(&t, "toàn tỉnh chưa đánh giá, phân hạng thêm sản phẩm OCOP nào, lũy kế hiện nay"), "{t}");
    assert!(has(&t, "Trong 6 tháng đầu năm 2023, chưa thành lập mới HTX nông nghiệp nào."), "{t}");
    assert!(!has(&t, "[^ocop-moi]") && !has(&t, "[^htx-moi]"), "no footnote left to a breakdown: {t}");
}
