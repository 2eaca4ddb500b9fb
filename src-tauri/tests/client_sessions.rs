//! The MP client against the sandbox: sessions, the waiting queue, chat records and
//! customer-service messages (reference mp §4–§6).

mod common;

use common::*;
use kefudesk_lib::sandbox::mp::MpConfig;
use kefudesk_lib::wechat::mp::{CustomMessage, MAX_WINDOW_SECS};
use kefudesk_lib::wechat::ApiError;
use serde_json::json;

fn code(r: Result<(), ApiError>) -> i64 {
    r.expect_err("WeChat should refuse").errcode().expect("a WeChat errcode")
}

/// (online bound agent, offline bound agent, unbound agent) of the demo data.
fn agents(sb: &kefudesk_lib::sandbox::mp::MpSandboxHandle) -> (String, String, String) {
    let w = sb.world();
    let pick = |f: &dyn Fn(&kefudesk_lib::sandbox::mp::world::Agent) -> bool| {
        w.agents.iter().find(|a| f(a)).unwrap().account.clone()
    };
    (
        pick(&|a| a.status > 0 && a.kf_wx.is_some()),
        pick(&|a| a.status == 0 && a.kf_wx.is_some()),
        pick(&|a| a.kf_wx.is_none()),
    )
}

#[tokio::test]
async fn assign_a_waiting_customer_then_close_the_session() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (online, offline, unbound) = agents(&sb);
    let queue = c.wait_cases().await.unwrap();
    assert_eq!(queue.count as usize, queue.waitcaselist.len());
    let first = queue.waitcaselist[0].openid.clone();
    assert!(queue.waitcaselist.windows(2).all(|p| p[0].latest_time <= p[1].latest_time), "arrival order");

    assert_eq!(code(c.create_session(&offline, &first).await), 65415);
    assert_eq!(code(c.create_session(&unbound, &first).await), 65402);
    assert_eq!(code(c.create_session(&format!("ghost@{}", sb.oa_wechat_id()), &first).await), 65401);
    assert_eq!(code(c.create_session(&online, "o_not_a_follower_of_this_account").await), 40003);

    let before = c.session_list(&online).await.unwrap().len();
    c.create_session(&online, &first).await.unwrap();
    c.create_session(&online, &first).await.unwrap(); // the same pair again is fine
    let after = c.wait_cases().await.unwrap();
    assert_eq!(after.count, queue.count - 1);
    assert!(!after.waitcaselist.iter().any(|w| w.openid == first));
    let s = c.get_session(&first).await.unwrap().expect("in a session");
    assert_eq!(s.kf_account, online);
    assert!((s.createtime - sb.world().now()).abs() <= 2);
    let list = c.session_list(&online).await.unwrap();
    assert_eq!(list.len(), before + 1);
    assert!(list.iter().any(|x| x.openid == first));

    let other = sb
        .world()
        .agents
        .iter()
        .find(|a| a.status > 0 && a.kf_wx.is_some() && a.account != online)
        .unwrap()
        .account
        .clone();
    assert_eq!(code(c.create_session(&other, &first).await), 65414, "served by someone else");
    assert_eq!(code(c.close_session(&other, &first).await), 65414);
    c.close_session(&online, &first).await.unwrap();
    assert_eq!(c.get_session(&first).await.unwrap(), None);
    assert_eq!(code(c.close_session(&online, &first).await), 65413);
}

#[tokio::test]
async fn the_queue_lists_100_of_a_longer_queue_with_the_true_count() {
    let sb = sandbox().await;
    let c = client(&sb);
    let before = c.wait_cases().await.unwrap();
    // More customers write in at once than the demo account has: new followers join too.
    let rush = raw(&sb, "POST", "/__sandbox/queue/rush", Some(json!({"count": 300, "text": "在吗？"}))).await;
    assert_eq!(rush["errcode"], 0, "{rush}");
    let openids: Vec<&str> = rush["openids"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    assert_eq!(openids.len(), 300);
    assert_eq!(openids.iter().collect::<std::collections::HashSet<_>>().len(), 300, "300 different customers");
    let q = c.wait_cases().await.unwrap();
    assert_eq!(q.count, before.count + 300);
    assert_eq!(rush["waiting"], q.count);
    assert_eq!(q.waitcaselist.len(), 100);
    assert_eq!(q.waitcaselist[..before.waitcaselist.len()], before.waitcaselist[..], "the earliest come first");
    // Each of them wrote, so each can be answered (their 48-hour window is open).
    let (online, _, _) = agents(&sb);
    c.send_message(openids[299], &CustomMessage::text("您好"), Some(&online)).await.unwrap();
    let bad = raw(&sb, "POST", "/__sandbox/queue/rush", Some(json!({"count": 0}))).await;
    assert_eq!(bad["errcode"], 40097);
}

#[tokio::test]
async fn records_respect_the_window_rules_and_page_by_msgid() {
    let sb = sandbox().await;
    let c = client(&sb);
    let now = sb.world().now();
    let start = now - MAX_WINDOW_SECS;
    let bad = |r: Result<kefudesk_lib::wechat::mp::MsgPage, ApiError>| r.unwrap_err().errcode().unwrap();
    assert_eq!(bad(c.msg_list(start - 1, now, 1, 10).await), 65417, "over 24 h");
    assert_eq!(bad(c.msg_list(start * 1000, now * 1000, 1, 10).await), 65416, "milliseconds");
    assert_eq!(bad(c.msg_list(start, now, 1, 10_001).await), 65416);
    assert_eq!(bad(c.msg_list(now, start, 1, 10).await), 65417, "end before start");

    let all = c.msg_list(start, now, 1, 10_000).await.unwrap();
    let expected: Vec<_> =
        sb.world().records().iter().filter(|r| r.time >= start && r.time <= now).map(|r| (r.msgid, r.time)).collect();
    assert_eq!(all.recordlist.len(), expected.len());
    assert!(all.recordlist.len() > 100, "the demo has a busy day");
    assert_eq!(all.number as usize, all.recordlist.len());
    assert_eq!(all.msgid as u64, expected.last().unwrap().0 + 1, "cursor is last + 1");

    // Paging in small steps gives exactly the same records, none twice.
    let mut paged = Vec::new();
    let mut cursor = 1;
    loop {
        let page = c.msg_list(start, now, cursor, 97).await.unwrap();
        if page.recordlist.is_empty() {
            break;
        }
        cursor = page.msgid;
        paged.extend(page.recordlist);
    }
    assert_eq!(paged, all.recordlist);
    let r = &all.recordlist[0];
    assert!(
        r.openid.starts_with('o')
            && r.time >= start
            && [1000, 1001, 1002, 1004, 2001, 2002, 2003].contains(&r.opercode)
    );
}

#[tokio::test]
async fn an_empty_sandbox_has_no_records() {
    let sb = sandbox_with(MpConfig { demo_data: false, ..Default::default() }).await;
    let c = client(&sb);
    let now = sb.world().now();
    let page = c.msg_list(now - 3600, now, 1, 10_000).await.unwrap();
    assert!(page.recordlist.is_empty());
    assert!(c.kf_list().await.unwrap().is_empty());
    assert_eq!(c.wait_cases().await.unwrap().count, 0);
}

#[tokio::test]
async fn messages_follow_the_48_hour_window_and_the_5_reply_quota() {
    let sb = sandbox().await;
    let c = client(&sb);
    let (online, _, _) = agents(&sb);
    let (fresh, stale) = {
        let w = sb.world();
        let now = w.now();
        let fresh = w.customers.iter().find(|(_, c)| c.last_user_msg > now - 3600).unwrap().0.clone();
        let stale = w.customers.iter().find(|(_, c)| c.last_user_msg < now - 49 * 3600).unwrap().0.clone();
        (fresh, stale)
    };
    assert_eq!(code(c.send_message(&stale, &CustomMessage::text("您好"), Some(&online)).await), 45015);
    for i in 0..5 {
        c.send_message(&fresh, &CustomMessage::text(format!("第 {i} 条")), Some(&online)).await.unwrap();
    }
    assert_eq!(code(c.send_message(&fresh, &CustomMessage::text("第 6 条"), Some(&online)).await), 45047);
    {
        let mut w = sb.world();
        let last = w.records().last().unwrap();
        assert_eq!((last.opercode, &*last.text, &*last.worker), (2002, "第 4 条", online.as_str()));
    }
    // The customer writes again: 5 more replies.
    raw(&sb, "POST", "/__sandbox/customers/message", Some(json!({"openid": fresh, "text": "还在吗"}))).await;
    c.send_message(&fresh, &CustomMessage::image("MEDIA_ID"), Some(&online)).await.unwrap();
    assert_eq!(code(c.send_message(&fresh, &CustomMessage::text("x"), Some("ghost@nowhere")).await), 65401);
    let long = "长".repeat(700); // 2100 bytes of UTF-8
    assert_eq!(code(c.send_message(&fresh, &CustomMessage::text(long), None).await), 45002);
    // After 48 hours of silence the window closes.
    sb.world().clock_offset += 48 * 3600 + 1;
    assert_eq!(code(c.send_message(&fresh, &CustomMessage::text("晚了"), None).await), 45015);
}

#[tokio::test]
async fn typing_needs_a_recent_exchange_and_lasts_15_seconds() {
    let sb = sandbox().await;
    let c = client(&sb);
    // Inside the 48-hour window, but no exchange in the last 30 s.
    let openid = {
        let w = sb.world();
        let now = w.now();
        w.customers
            .iter()
            .find(|(_, c)| c.last_user_msg < now - 3600 && c.last_user_msg > now - 47 * 3600)
            .unwrap()
            .0
            .clone()
    };
    assert_eq!(code(c.typing(&openid, true).await), 45080);
    raw(&sb, "POST", "/__sandbox/customers/message", Some(json!({"openid": openid}))).await;
    c.typing(&openid, true).await.unwrap();
    assert_eq!(code(c.typing(&openid, true).await), 45081);
    c.typing(&openid, false).await.unwrap();
    c.typing(&openid, true).await.unwrap();
    sb.world().flags.test_account = true;
    assert_eq!(code(c.typing(&openid, true).await), 40200);
}
