//! The WeCom message archive page: CST days, and only the active profile's messages.

use super::*;

/// The 01:00 CST message's row: its day and time.
const CST_ROW: &str = "const r = [...document.querySelectorAll('#archive-table tbody tr')].find(r => r.textContent.includes('收货地址要改')); return r && r.querySelector('td.time').textContent;";

/// The archive page's refusal: its code and the rows left.
const ARCHIVE_REFUSAL: &str = "const e = document.querySelector('#archive-page .error-box'); return e && { code: e.dataset.code, rows: document.querySelectorAll('#archive-table tbody tr').length, text: document.getElementById('archive-page').textContent };";

/// The archive under TZ=UTC and across a profile switch. Its days and times are China Standard
/// Time wherever the computer is: a customer who wrote at 01:00 CST (17:00 UTC the day before)
/// is found under that CST day and shown at 01:00. After a switch to another profile — here
/// one whose search fails (a stored plain-http gateway, refused) — none of the previous
/// profile's rows stays under the new band, and Settings says what to fix.
#[tokio::test]
#[ignore = "needs a display, a Secret Service, tauri-driver and WebKitWebDriver: run through `make test`"]
async fn the_archive_keeps_cst_days_and_shows_only_the_active_profiles_messages() {
    let driver = Driver::start(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8"), ("TZ", "UTC")]);
    // A profile saved before the https rule (or edited by hand): its gateway is plain http.
    let config = driver.home.join(".config/app.kefudesk.desktop");
    std::fs::create_dir_all(&config).unwrap();
    let doc = json!({"version": 2, "profiles": [{"id": "p-old-gateway", "name": "旧网关企业", "platform": "wecom", "corp_id": "ww0000000000000001",
        "token": {"kind": "app_secret"}, "api_base": "http://192.168.1.10:8080"}]});
    std::fs::write(config.join("config.json"), doc.to_string()).unwrap();
    let (s, corp) = on_the_wecom_sandbox(&driver).await;
    let kf = corp.accounts().await[0]["open_kfid"].as_str().unwrap().to_string();

    // A customer writes at 01:00 CST today (yesterday if that is less than 15 minutes ago): the
    // sandbox's clock is moved there and back.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut day = cst_day_start(now);
    if now - day < 3600 + 900 {
        day -= 86_400;
    }
    let at = day + 3600;
    sandbox_post(&format!("{}/__sandbox/clock", corp.base), json!({"advance_secs": at - now})).await;
    let wrote = sandbox_post(
        &format!("{}/__sandbox/customers/message", corp.base),
        json!({"open_kfid": kf, "nickname": "早起的顾客", "text": "凌晨的留言：收货地址要改"}),
    )
    .await;
    sandbox_post(&format!("{}/__sandbox/clock", corp.base), json!({"advance_secs": now - at})).await;
    assert!(wrote["external_userid"].is_string(), "{wrote}");
    let ymd = format_cst(day)[..10].to_string();

    // Read into the app's archive by its live reader (asked, like the page does, until it is).
    poll(
        30,
        || async {
            s.invoke("search_archive", json!({"search": {"text": "凌晨的留言"}})).await["ok"]["rows"]
                .as_array()
                .filter(|r| !r.is_empty())
                .cloned()
        },
        || "the message was not archived".into(),
    )
    .await;
    s.click("#nav [data-view=archive]").await;
    s.wait_for("the archive page", "return document.querySelector('#archive-form');").await;
    s.type_into("#archive-text", "凌晨的留言").await;
    s.type_into("#archive-from", &ymd).await;
    s.type_into("#archive-to", &ymd).await;
    s.click("#archive-search").await;
    let row = s.wait_for("the 01:00 CST message under its CST day", CST_ROW).await;
    // As the page writes it in Chinese: no leading zeros.
    let part = |r: std::ops::Range<usize>| ymd[r].parse::<u32>().expect("a date");
    let shown = format!("{}/{}/{} 01:00:", part(0..4), part(5..7), part(8..10));
    assert!(row.as_str().unwrap().starts_with(&shown), "shown in CST ({shown}…), not in the machine's UTC: {row}");
    s.screenshot("wecom-archive-cst-zh").await;

    // Another profile: Settings flags its address, and the archive shows none of the sandbox's rows.
    s.click("#nav [data-view=settings]").await;
    let problem = s
        .wait_for(
            "the plain-http profile flagged",
            "return document.querySelector(\"#profiles-list [data-id='p-old-gateway'] .problem\")?.textContent;",
        )
        .await;
    assert!(problem.as_str().unwrap().contains("https://"), "{problem}");
    s.click("#profiles-list [data-id='p-old-gateway'] .use").await;
    s.wait_for(
        "the band names the other profile",
        "return document.getElementById('env-band').textContent.includes('旧网关企业');",
    )
    .await;
    s.click("#nav [data-view=archive]").await;
    let after = s.wait_for("the refusal on the archive page", ARCHIVE_REFUSAL).await;
    assert_eq!(after["code"], "insecure", "{after}");
    assert_eq!(after["rows"], 0, "none of the previous profile's rows: {after}");
    assert!(!after["text"].as_str().unwrap().contains("收货地址要改"), "{after}");
    s.screenshot("wecom-archive-switched-zh").await;
    s.close().await;
}
