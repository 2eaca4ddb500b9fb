//! The Statistics page on a WeCom corp: the accounts' figures added up.

use super::*;

/// Every chart of the page is drawn.
const CHARTS_DRAWN: &str = "return window.Chart && ['trend', 'servicers'].every((id) => window.Chart.getChart(document.getElementById('canvas-' + id)));";

/// The servicers table's first column.
const SERVICER_NAMES: &str =
    "return [...document.querySelectorAll('[data-table=servicers] tbody tr')].map((r) => r.children[0].textContent);";

/// Statistics on the WeCom sandbox: each day of the last 7 (to yesterday) is the sum of what
/// get_corp_statistic says for each account (asked here like any client); a day no account has
/// figures for says so; one account chosen shows that account's; the servicers' table exports.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn wecom_statistics_are_the_accounts_figures_added_up() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let today = cst_day_start(now);
    let token = corp.token().await;
    let accounts = corp.accounts().await;
    // Each account's sessions per day, as WeCom reports them (None: no data that day).
    let mut per_account: Vec<Vec<Option<u64>>> = Vec::new();
    for a in &accounts {
        let v = sandbox_post(
            &format!("{}/cgi-bin/kf/get_corp_statistic?access_token={token}", corp.base),
            json!({"open_kfid": a["open_kfid"], "start_time": today - 7 * 86_400, "end_time": today - 86_400}),
        )
        .await;
        per_account.push(
            v["statistic_list"].as_array().unwrap().iter().map(|d| d["statistic"]["session_cnt"].as_u64()).collect(),
        );
    }
    let summed: Vec<String> = (0..7)
        .map(|i| {
            let have: Vec<u64> = per_account.iter().filter_map(|days| days[i]).collect();
            if have.is_empty() {
                "无数据".to_string()
            } else {
                have.iter().sum::<u64>().to_string()
            }
        })
        .collect();

    s.click("#nav [data-view=stats]").await;
    const SESSIONS: &str = "return document.querySelector('#stats-cards') && !document.getElementById('stats-progress') ? [...document.querySelectorAll('[data-table=days] tbody tr')].map((r) => r.children[1].textContent) : null;";
    let shown = s.wait_for("the days", SESSIONS).await;
    assert_eq!(shown, json!(summed), "every account added up, day by day");
    s.wait_for("the charts", CHARTS_DRAWN).await;
    s.screenshot("wecom-stats-zh").await;

    // One account: its own figures; a day it has none of says so.
    let first = accounts[0]["open_kfid"].as_str().unwrap();
    choose(&s, "#st-account", first).await;
    let want: Vec<String> = per_account[0].iter().map(|d| d.map_or("无数据".to_string(), |n| n.to_string())).collect();
    let shown = s
        .wait_for(
            "that account's days",
            &format!(
                "const r = (() => {{ {SESSIONS} }})(); return r && JSON.stringify(r) === {} ? r : null;",
                json!(json!(want).to_string())
            ),
        )
        .await;
    assert_eq!(shown, json!(want));
    let servicers =
        corp.servicers(first).await.iter().filter_map(|x| x["userid"].as_str().map(String::from)).collect::<Vec<_>>();
    let rows = s.js(SERVICER_NAMES, json!([])).await;
    let mut rows: Vec<String> = rows.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    rows.sort();
    let mut servicers = servicers;
    servicers.sort();
    assert_eq!(rows, servicers, "the people serving that account");
    let csv_path = driver.home.join("servicers.csv");
    s.js(SAVE_NEXT_TO, json!([csv_path])).await;
    s.click("#chart-servicers .csv").await;
    s.wait_for("the CSV notice", STATS_SAVED).await;
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), servicers.len() + 1, "a header and a row per servicer");

    // Yesterday only (all accounts again): one day, the sum of that day.
    choose(&s, "#st-account", "").await;
    s.wait_for(
        "all accounts again",
        &format!(
            "const r = (() => {{ {SESSIONS} }})(); return r && JSON.stringify(r) === {} ? r : null;",
            json!(json!(summed).to_string())
        ),
    )
    .await;
    s.click("#stats-form [data-range='yesterday']").await;
    let shown = s
        .wait_for("yesterday", &format!("const r = (() => {{ {SESSIONS} }})(); return r && r.length === 1 ? r : null;"))
        .await;
    assert_eq!(shown, json!([summed[6]]));
    // The servicers' chart as a PNG: a picture, not a blank.
    s.wait_for(
        "the chart",
        "return !!(window.Chart && window.Chart.getChart(document.getElementById('canvas-servicers')));",
    )
    .await;
    let png_path = driver.home.join("servicers.png");
    s.js(SAVE_NEXT_TO, json!([png_path])).await;
    s.click("#chart-servicers .png").await;
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
