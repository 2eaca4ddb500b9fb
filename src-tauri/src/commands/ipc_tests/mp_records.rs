//! Official Account chat records: fetched, paged, searched, exported, cancelled, per profile.

use super::*;

#[test]
fn records_are_fetched_read_in_pages_searched_and_exported() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    invoke(&w, "set_locale", json!({"lang": "zh-CN"})).unwrap();
    let err = invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).unwrap_err();
    assert_eq!(err["code"], "no_records");
    let err = invoke(&w, "fetch_records", json!({"from": "2026-11-05", "to": "2026-11-01"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("日期"), "{err}");

    // The demo history: the last week, in CST days.
    let now = sb.world().now();
    let day = |t: i64| crate::wechat::cst::format_cst(t)[..10].to_string();
    let (from, to) = (day(now - 6 * 86_400), day(now));
    let (start, _) = crate::wechat::cst::cst_date_range(&from, &to).unwrap();
    let expected = sb.world().records().iter().filter(|r| r.time >= start && r.time <= now).count();
    assert!(expected > 1000, "demo history: {expected}");
    let summary = invoke(&w, "fetch_records", json!({"from": from, "to": to})).unwrap();
    assert_eq!(summary["total"], expected);
    assert_eq!(summary["windows"], 7);
    assert_eq!(summary["requests"], 7, "one call per day under 10 000 records");

    let page = invoke(&w, "record_rows", json!({"search": "", "offset": 100, "limit": 50})).unwrap();
    assert_eq!(
        (page["total"].as_u64(), page["matching"].as_u64(), page["offset"].as_u64()),
        (Some(expected as u64), Some(expected as u64), Some(100))
    );
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert!(rows.windows(2).all(|p| p[0]["time"].as_i64() <= p[1]["time"].as_i64()));
    assert!(rows
        .iter()
        .all(|r| !r["operation"].as_str().unwrap().is_empty() && r["time_text"].as_str().unwrap().len() == 19));

    let closed = invoke(&w, "record_rows", json!({"search": "关闭会话", "offset": 0, "limit": 1000})).unwrap();
    let n = closed["matching"].as_u64().unwrap() as usize;
    assert_eq!(
        n,
        sb.world().records().iter().filter(|r| r.time >= start && r.time <= now && r.opercode == 1004).count()
    );

    let path = config_path().parent().unwrap().join("records.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let out = invoke(&w, "export_records", json!({"path": path, "search": "关闭会话"})).unwrap();
    assert_eq!(out["rows"], n);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), n + 1);
    let err = invoke(&w, "export_records", json!({"path": path.join("not-a-dir/x.csv"), "search": ""})).unwrap_err();
    assert_eq!(err["code"], "file");

    // A header click: newest first; by agent in the page's order (the agent it ranks first
    // leads), each agent's records in time order, records without an agent last; the export
    // follows the order on screen.
    let newest = invoke(
        &w,
        "record_rows",
        json!({"search": "", "offset": 0, "limit": 1000, "order": {"key": "time", "desc": true}}),
    )
    .unwrap();
    let rows = newest["rows"].as_array().unwrap();
    assert!(rows.windows(2).all(|p| p[0]["time"].as_i64() >= p[1]["time"].as_i64()));
    let workers: std::collections::BTreeSet<String> = sb
        .world()
        .records()
        .iter()
        .filter(|r| r.time >= start && r.time <= now && !r.worker.is_empty())
        .map(|r| r.worker.to_string())
        .collect();
    let last = workers.iter().next_back().unwrap().clone();
    let order = json!({"key": "agent", "desc": false, "ranked": [last]});
    let mut seen: Vec<(String, i64)> = Vec::new();
    while seen.len() < expected {
        let more =
            invoke(&w, "record_rows", json!({"search": "", "offset": seen.len(), "limit": 10000, "order": order}))
                .unwrap();
        let rows = more["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "pages until {expected}");
        seen.extend(rows.iter().map(|r| (r["agent"].as_str().unwrap().to_string(), r["time"].as_i64().unwrap())));
    }
    assert_eq!(seen[0].0, last, "the agent the page ranks first leads");
    let mut want: Vec<String> = vec![last.clone()];
    want.extend(workers.iter().filter(|w| **w != last).cloned());
    want.push(String::new());
    let mut groups: Vec<String> = seen.iter().map(|s| s.0.clone()).collect();
    groups.dedup();
    assert_eq!(groups, want, "grouped by agent: the ranked one, the others by account, none last");
    assert!(seen.windows(2).all(|p| p[0].0 != p[1].0 || p[0].1 <= p[1].1), "time order inside each agent");
    let out = invoke(&w, "export_records", json!({"path": path, "search": "", "order": order})).unwrap();
    assert_eq!(out["rows"], expected);
    let text = std::fs::read_to_string(&path).unwrap();
    let first_row = text.lines().nth(1).unwrap();
    assert!(first_row.contains(&last), "the export starts as the table does: {first_row}");

    // One agent only.
    let agent =
        sb.world().records().iter().rev().find(|r| r.time >= start && !r.worker.is_empty()).unwrap().worker.clone();
    let mine = invoke(&w, "fetch_records", json!({"from": from, "to": to, "agent": agent})).unwrap();
    assert_eq!(
        mine["total"],
        sb.world().records().iter().filter(|r| r.time >= start && r.time <= now && r.worker == agent).count()
    );
}

/// Records fetched for one account are never shown or exported once another is active.
#[test]
fn records_belong_to_the_profile_they_were_fetched_for() {
    let (_app, w, sb) = app(true);
    let sb = sb.unwrap();
    let now = sb.world().now();
    let day = crate::wechat::cst::format_cst(now)[..10].to_string();
    invoke(&w, "fetch_records", json!({"from": day, "to": day})).unwrap();
    assert!(invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).is_ok());
    let other =
        tauri::async_runtime::block_on(sandbox::mp::start(MpConfig { seed: 7, ..MpConfig::default() }, 0)).unwrap();
    let view =
        invoke(&w, "save_profile", json!({"profile": sandbox_form(&other, "另一个公众号"), "secret": other.secret()}))
            .unwrap();
    let id = view["profiles"][0]["id"].clone();
    invoke(&w, "set_active_profile", json!({"id": id})).unwrap();
    assert_eq!(
        invoke(&w, "record_rows", json!({"search": "", "offset": 0, "limit": 10})).unwrap_err()["code"],
        "no_records"
    );
    let path = config_path().parent().unwrap().join("other.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    assert_eq!(invoke(&w, "export_records", json!({"path": path, "search": ""})).unwrap_err()["code"], "no_records");
    assert!(!path.exists(), "nothing of the first account was written");
}

/// Cancel through the command while a fetch is under way: the fetch ends `cancelled` and the
/// days not begun are not asked.
#[test]
fn a_fetch_is_cancelled_through_the_command_while_it_runs() {
    let (app, w, sb) = app(true);
    let sb = sb.unwrap();
    let now = sb.world().now();
    let day = |t: i64| crate::wechat::cst::format_cst(t)[..10].to_string();
    // Each page takes a while, so there is time to cancel.
    sb.set_fault(
        "/customservice/msgrecord/getmsglist",
        crate::sandbox::Fault::kind(crate::sandbox::FaultKind::DelayOnly).delay_ms(400),
    );
    sb.reset_request_counts();
    let (from, to) = (day(now - 30 * 86_400), day(now));
    let fetching = std::thread::spawn(move || invoke(&w, "fetch_records", json!({"from": from, "to": to})));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sb.requests("/customservice/msgrecord/getmsglist") == 0 {
        assert!(std::time::Instant::now() < until, "the fetch did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let w2 = app.get_webview_window("main").unwrap();
    invoke(&w2, "cancel_records", json!({})).unwrap();
    let answer = fetching.join().unwrap();
    assert_eq!(answer.unwrap_err()["code"], "cancelled");
    let asked = sb.requests("/customservice/msgrecord/getmsglist");
    assert!(asked < 31, "stopped part-way: {asked} of 31 days asked");
}
