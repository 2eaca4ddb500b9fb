//! The Statistics page on an Official Account: its records counted.

use super::*;

/// Every chart of the page is drawn.
const CHARTS_DRAWN: &str = "return window.Chart && ['trend', 'agents', 'replies'].every((id) => window.Chart.getChart(document.getElementById('canvas-' + id)));";

/// Statistics on the Official Account sandbox: the figures the page shows are those the
/// sandbox's records give (counted here from getmsglist, like any client), for the last 7 days
/// and after a change of range; the day table exports to CSV and a chart to a PNG that is a
/// picture (decoded, not blank).
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn statistics_of_the_official_account_are_its_records_counted() {
    let (driver, s, base) = open_app("zh_CN.UTF-8").await;
    let token = sandbox_token(&base).await;
    let records = last_days_records(&base, &token, 7).await;
    let count = |rs: &[&Value], codes: &[i64]| {
        rs.iter().filter(|r| codes.contains(&r["opercode"].as_i64().unwrap())).count().to_string()
    };
    let all: Vec<&Value> = records.iter().collect();

    s.click("#nav [data-view=stats]").await;
    const CARD: &str = "return [...document.querySelectorAll('#stats-cards [data-figure]')].map((c) => [c.dataset.figure, c.querySelector('.value').textContent]);";
    let cards =
        s.wait_for("the figures", &format!("if (!document.querySelector('#stats-cards')) return null; {CARD}")).await;
    let card =
        |cards: &Value, k: &str| cards.as_array().unwrap().iter().find(|c| c[0] == k).map(|c| c[1].clone()).unwrap();
    assert_eq!(card(&cards, "sent"), json!(count(&all, &[2002])), "messages agents sent");
    assert_eq!(card(&cards, "received"), json!(count(&all, &[2001, 2003])));
    assert_eq!(card(&cards, "sessions"), json!(count(&all, &[1001, 1002, 1005])));
    // The day table: seven days, each day's messages as the sandbox has them.
    const DAYS: &str = "return [...document.querySelectorAll('[data-table=days] tbody tr')].map((r) => [...r.children].map((c) => c.textContent));";
    let rows = s.js(DAYS, json!([])).await;
    assert_eq!(rows.as_array().unwrap().len(), 7);
    for row in rows.as_array().unwrap() {
        let day = row[0].as_str().unwrap();
        let that: Vec<&Value> =
            records.iter().filter(|r| format_cst(r["time"].as_i64().unwrap()).starts_with(day)).collect();
        assert_eq!(row[4], json!(count(&that, &[2002])), "sent on {day}");
    }
    // The charts are drawn (Chart.js loaded under the app's content security policy).
    s.wait_for("the charts", CHARTS_DRAWN).await;
    s.screenshot("stats-zh").await;

    // Yesterday only: the figures follow.
    s.click("#stats-form [data-range='yesterday']").await;
    let yesterday = format_cst(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 - 86_400,
    )[..10]
        .to_string();
    let rows = s
        .wait_for(
            "one day",
            &format!(
                "const r = (() => {{ {DAYS} }})(); return r.length === 1 && r[0][0] === '{yesterday}' ? r : null;"
            ),
        )
        .await;
    let that: Vec<&Value> =
        records.iter().filter(|r| format_cst(r["time"].as_i64().unwrap()).starts_with(&yesterday)).collect();
    assert_eq!(rows[0][4], json!(count(&that, &[2002])));
    assert_eq!(
        rows[0][1],
        json!(count(&that, &[1001, 1002, 1003, 1005])),
        "sessions started that day (a transfer counts for the new agent)"
    );

    // Exports: the day table as CSV (what the table shows), the trend chart as a PNG.
    let csv_path = driver.home.join("days.csv");
    s.js(SAVE_NEXT_TO, json!([csv_path])).await;
    s.click("#chart-trend .csv").await;
    s.wait_for("the CSV notice", STATS_SAVED).await;
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    let lines: Vec<Vec<String>> = csv::Reader::from_reader(&text.as_bytes()[3..])
        .records()
        .map(|l| l.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(json!(lines[0]), rows[0], "the CSV holds the table's row");
    let png_path = driver.home.join("trend.png");
    s.js(SAVE_NEXT_TO, json!([png_path])).await;
    s.click("#chart-trend .png").await;
    s.wait_for(
        "the PNG notice",
        &format!(
            "return document.getElementById('stats-notice')?.textContent.includes({});",
            json!(png_path.to_string_lossy())
        ),
    )
    .await;
    let img = image::open(&png_path).expect("a PNG").to_rgb8();
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        img.width() > 200 && colours.len() > 10,
        "a drawn chart: {}×{}, {} colours",
        img.width(),
        img.height(),
        colours.len()
    );
    s.close().await;
}
