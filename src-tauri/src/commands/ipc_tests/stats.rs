//! The Statistics commands through Tauri's IPC with the mock runtime, against the sandboxes:
//! the Official Account's figures agree with the sandbox's records and reuse the Records page's
//! result; WeCom's are read for all accounts (or one) with the period before; what WeCom does not
//! keep is said in words.

use serde_json::json;

use super::{app, invoke, wecom_app};
use crate::i18n::Lang;
use crate::sandbox::FaultInjection;
use crate::wechat::cst::cst_day_start as cst_day;
use crate::wechat::cst::format_cst;

const DAY: i64 = 86_400;
const GETMSGLIST: &str = "/customservice/msgrecord/getmsglist";

fn ymd(t: i64) -> String {
    format_cst(t)[..10].to_string()
}

#[test]
fn official_account_statistics_agree_with_the_sandbox_and_reuse_fetched_records() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let err = invoke(&w, "mp_statistics", json!({"from": "2026-13-01", "to": "2026-11-01"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let err = invoke(&w, "mp_statistics", json!({"from": "2024-01-01", "to": "2026-01-01"})).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("366"), "{err}");

    let now = sb.world().now();
    let today = cst_day(now);
    let (from, to) = (ymd(today - 6 * DAY), ymd(now));
    sb.reset_request_counts();
    let view = invoke(&w, "mp_statistics", json!({"from": from, "to": to})).unwrap();
    assert_eq!(view["reused"], false);
    assert_eq!(view["requests"], 14, "this week and the week before, a request a day");
    assert_eq!(sb.requests(GETMSGLIST), 14);
    assert_eq!(view["current"]["days"].as_array().unwrap().len(), 7);
    assert_eq!(view["previous_from"], today - 13 * DAY);
    let in_range = |a: i64, b: i64, code: i64| {
        sb.world().records().iter().filter(|r| r.time >= a && r.time < b && r.opercode == code).count()
    };
    assert_eq!(view["current"]["total"]["sent"], in_range(today - 6 * DAY, now + 1, 2002));
    assert_eq!(view["previous"]["sent"], in_range(today - 13 * DAY, today - 6 * DAY, 2002));
    let agents = sb.world().agents.len();
    assert_eq!(view["current"]["agents"].as_array().unwrap().len(), agents, "every agent listed");

    // The Records page fetched the two weeks: the statistics use them, with no request.
    invoke(&w, "fetch_records", json!({"from": ymd(today - 13 * DAY), "to": to})).unwrap();
    sb.reset_request_counts();
    let again = invoke(&w, "mp_statistics", json!({"from": from, "to": to})).unwrap();
    assert_eq!(
        (again["reused"].as_bool(), again["requests"].as_u64(), sb.requests(GETMSGLIST)),
        (Some(true), Some(0), 0)
    );
    assert_eq!(again["current"], view["current"]);
    // Filtered to one agent, the Records page's result is not the whole account: fetched again.
    let one = sb.world().agents[0].account.clone();
    invoke(&w, "fetch_records", json!({"from": ymd(today - 13 * DAY), "to": to, "agent": one})).unwrap();
    assert_eq!(invoke(&w, "mp_statistics", json!({"from": from, "to": to})).unwrap()["reused"], false);
}

#[test]
fn wecom_statistics_sum_the_accounts_list_servicers_and_explain_the_limits() {
    let (_app, w, wc) = wecom_app(Lang::En);
    let now = wc.world().now();
    let today = cst_day(now);
    let accounts = wc.world().accounts.len();
    let view = invoke(&w, "wecom_statistics", json!({"from": ymd(today - 7 * DAY), "to": ymd(today)})).unwrap();
    assert_eq!(view["accounts"].as_array().unwrap().len(), accounts, "all accounts when none is chosen");
    assert_eq!(view["days"].as_array().unwrap().len(), 7, "up to yesterday: today's figures come tomorrow");
    assert_eq!(view["previous"].as_array().unwrap().len(), 8, "the 8 days before");
    assert!(!view["servicers"].as_array().unwrap().is_empty());
    let kf = wc.world().accounts[0].open_kfid.clone();
    let one =
        invoke(&w, "wecom_statistics", json!({"from": ymd(today - 7 * DAY), "to": ymd(today - DAY), "openKfid": kf}))
            .unwrap();
    assert_eq!(one["accounts"], json!([kf]));
    let users = wc.world().accounts[0].users.len();
    assert_eq!(one["servicers"].as_array().unwrap().len(), users, "the people serving that account");

    let err = invoke(&w, "wecom_statistics", json!({"from": ymd(today - 200 * DAY), "to": ymd(today - 190 * DAY)}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(
        err["message"].as_str().unwrap().contains("last 180 days")
            && err["message"].as_str().unwrap().contains(&ymd(today - 180 * DAY)),
        "{err}"
    );
    let err = invoke(&w, "wecom_statistics", json!({"from": ymd(today), "to": ymd(today)})).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("next day"), "{err}");
    // The period before is older than WeCom keeps: the range is shown, the comparison explained.
    let edge = invoke(
        &w,
        "wecom_statistics",
        json!({"from": ymd(today - 170 * DAY), "to": ymd(today - 160 * DAY), "openKfid": kf}),
    )
    .unwrap();
    assert_eq!(edge["previous"], serde_json::Value::Null);
    assert_eq!(edge["previous_problem"]["problem"], "too_old");
}

/// With every account chosen (the page's default), one account whose figures WeCom refuses does
/// not empty the page: the others are summed, the refused one is named with the reason.
#[test]
fn one_refused_account_leaves_the_others_figures() {
    let (_app, w, wc) = wecom_app(Lang::En);
    let today = cst_day(wc.world().now());
    let range = json!({"from": ymd(today - 7 * DAY), "to": ymd(today - DAY)});
    let accounts: Vec<(String, String)> =
        wc.world().accounts.iter().map(|a| (a.open_kfid.clone(), a.name.clone())).collect();
    let (refused_kf, refused_name) = accounts[1].clone();
    wc.set_fault(
        "/cgi-bin/kf/get_corp_statistic",
        crate::sandbox::Fault::errcode(48002).when_body_contains(refused_kf.clone()),
    );
    let view = invoke(&w, "wecom_statistics", range.clone()).unwrap();
    let read: Vec<String> = accounts.iter().map(|(k, _)| k.clone()).filter(|k| *k != refused_kf).collect();
    assert_eq!(view["accounts"], json!(read), "the others are read");
    let refused = view["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{view}");
    assert_eq!(
        (refused[0]["open_kfid"].as_str(), refused[0]["name"].as_str()),
        (Some(refused_kf.as_str()), Some(refused_name.as_str()))
    );
    assert_eq!(refused[0]["reason"]["errcode"], 48002);
    // What is shown is the sum of the accounts read: the same as asking for each and adding up.
    let total = |v: &serde_json::Value| {
        v["days"].as_array().unwrap().iter().map(|d| d["figures"]["session_cnt"].as_u64().unwrap_or(0)).sum::<u64>()
    };
    let each: u64 = read
        .iter()
        .map(|k| {
            total(
                &invoke(&w, "wecom_statistics", json!({"from": range["from"], "to": range["to"], "openKfid": k}))
                    .unwrap(),
            )
        })
        .sum();
    assert!(each > 0, "the sandbox has figures");
    assert_eq!(total(&view), each);
    // Chosen alone, the refused account's refusal is the page's error.
    let err = invoke(&w, "wecom_statistics", json!({"from": range["from"], "to": range["to"], "openKfid": refused_kf}))
        .unwrap_err();
    assert_eq!(err["errcode"], 48002);
}

#[test]
fn a_table_exports_as_safe_csv_and_only_a_real_png_is_saved() {
    let (_app, w, _sb) = app(true);
    let dir = super::config_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("days.csv");
    let out = invoke(
        &w,
        "export_table",
        json!({"path": csv, "header": ["日期", "会话数"], "rows": [["2026-11-20", "=1+1"], ["2026-11-21", "7"]]}),
    )
    .unwrap();
    assert_eq!(out["rows"], 2);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text, "\u{feff}日期,会话数\n2026-11-20,'=1+1\n2026-11-21,7\n", "BOM, and a formula neutralised");
    let err = invoke(&w, "export_table", json!({"path": dir.join("no/such/dir.csv"), "header": ["a"], "rows": []}))
        .unwrap_err();
    assert_eq!(err["code"], "file");

    let mut png = Vec::new();
    image::RgbImage::from_pixel(4, 3, image::Rgb([7, 193, 96]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    use base64::Engine;
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(&png));
    let path = dir.join("chart.png");
    invoke(&w, "save_png", json!({"path": path, "dataUrl": url})).unwrap();
    assert_eq!(image::open(&path).unwrap().to_rgb8().dimensions(), (4, 3));
    let err =
        invoke(&w, "save_png", json!({"path": dir.join("x.png"), "dataUrl": "data:image/png;base64,bm90IGEgcG5n"}))
            .unwrap_err();
    assert_eq!(err["code"], "internal");
    assert!(!dir.join("x.png").exists(), "nothing written");
}

/// Cancel through the command while WeCom's figures are read: the read ends `cancelled` and the
/// windows not begun are not asked.
#[test]
fn a_wecom_statistics_read_is_cancelled_through_the_command() {
    use tauri::Manager;
    let (app, w, wc) = wecom_app(Lang::ZhCn);
    let today = cst_day(wc.world().now());
    // Each call takes a while, so there is time to cancel: 90 days are 3 windows per account.
    wc.set_fault(
        "/cgi-bin/kf/get_corp_statistic",
        crate::sandbox::Fault::kind(crate::sandbox::FaultKind::DelayOnly).delay_ms(400),
    );
    wc.reset_request_counts();
    let planned = 3 * wc.world().accounts.len() as u64;
    let (from, to) = (ymd(today - 90 * DAY), ymd(today - DAY));
    let reading = std::thread::spawn(move || invoke(&w, "wecom_statistics", json!({"from": from, "to": to})));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while wc.requests("/cgi-bin/kf/get_corp_statistic") == 0 {
        assert!(std::time::Instant::now() < until, "the read did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let w2 = app.get_webview_window("main").unwrap();
    invoke(&w2, "cancel_statistics", json!({})).unwrap();
    let err = reading.join().unwrap().unwrap_err();
    assert_eq!(err["code"], "cancelled");
    assert!(err["message"].as_str().unwrap().contains("取消"), "{err}");
    let asked = wc.requests("/cgi-bin/kf/get_corp_statistic");
    assert!(asked < planned, "stopped part-way: {asked} of {planned} calls");
}
