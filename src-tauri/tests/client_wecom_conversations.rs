//! The WeCom client against the sandbox for conversations: the session-state machine and its
//! errcodes, sync_msg (open_kfid required, cursor paging, has_more on an empty page, 3-day
//! retention, the frequency limit without a callback token), send_msg's 48 h / 5-message rule
//! in states 0/1 only, event codes, customer/batchget's 48-hour validity, and statistics.

mod common;

use common::*;
use kefudesk_lib::sandbox::wecom::conversation::WINDOW_SECS;
use kefudesk_lib::sandbox::wecom::WecomSandboxHandle;
use kefudesk_lib::wechat::wecom::SessionState;
use kefudesk_lib::wechat::wecom::{KfMessage, WecomClient};
use serde_json::{json, Value};

async fn control(sb: &WecomSandboxHandle, path: &str, body: Value) -> Value {
    answer(reqwest::Client::new().post(format!("{}{path}", sb.base_url())).json(&body)).await
}

/// (open_kfid, external_userid) of demo conversations in `state`, recent or not.
fn in_state(sb: &WecomSandboxHandle, state: u8, recent: bool) -> Vec<(String, String)> {
    let w = sb.world();
    let now = w.now();
    let manageable: Vec<&str> = w.accounts.iter().filter(|a| a.manageable).map(|a| a.open_kfid.as_str()).collect();
    let mut v: Vec<(String, String)> = w
        .conversations
        .iter()
        .filter(|((k, _), c)| {
            manageable.contains(&k.as_str())
                && c.state == state
                && c.last_customer_msg.is_some_and(|t| (now - t <= WINDOW_SECS) == recent)
        })
        .map(|((k, u), _)| (k.clone(), u.clone()))
        .collect();
    v.sort();
    v
}

/// A servicer of `open_kfid` who is receiving.
fn receiving(sb: &WecomSandboxHandle, open_kfid: &str) -> String {
    let w = sb.world();
    let a = w.accounts.iter().find(|a| a.open_kfid == open_kfid).unwrap();
    a.users.iter().find(|u| w.status_of(u).status == 0).unwrap().clone()
}

/// Every message of `open_kfid` from the start, looping on has_more; and how many pages were empty with has_more.
async fn sync_all(c: &WecomClient, open_kfid: &str, limit: u32, token: Option<&str>) -> (Vec<KfMessage>, usize) {
    let (mut all, mut empty_more, mut cursor) = (Vec::new(), 0, String::new());
    loop {
        let page = c.sync_page(open_kfid, &cursor, token, limit).await.unwrap();
        if page.msg_list.is_empty() && page.has_more == 1 {
            empty_more += 1;
        }
        all.extend(page.msg_list);
        cursor = page.next_cursor;
        if page.has_more == 0 {
            return (all, empty_more);
        }
    }
}

#[tokio::test]
async fn a_fresh_sandbox_shows_every_session_state_and_the_48_hour_rule() {
    let sb = wecom().await;
    for state in 0..=4 {
        assert!(
            !in_state(&sb, state, true).is_empty() || state == 4 && !in_state(&sb, 4, false).is_empty(),
            "a conversation in state {state}"
        );
    }
    let c = wecom_client(&sb);
    // Recent, state 0: the send works and moves it to the smart assistant (1); 5 sends, then 95001.
    let (kf, cu) = in_state(&sb, 0, true)[0].clone();
    assert_eq!(c.service_state(&kf, &cu).await.unwrap().service_state, SessionState::Untreated);
    for i in 0..5 {
        c.send_msg(&kf, &cu, "text", json!({"content": format!("第 {i} 条")}), None).await.unwrap();
    }
    assert_eq!(c.service_state(&kf, &cu).await.unwrap().service_state, SessionState::SmartAssistant);
    assert_eq!(
        c.send_msg(&kf, &cu, "text", json!({"content": "第六条"}), None).await.unwrap_err().errcode(),
        Some(95001)
    );
    // The customer writes again: the quota is re-armed.
    control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf, "external_userid": cu, "text": "还在吗"}))
        .await;
    c.send_msg(&kf, &cu, "text", json!({"content": "在的"}), Some("my-msg-1")).await.unwrap();
    assert_eq!(
        c.send_msg(&kf, &cu, "text", json!({"content": "重复"}), Some("my-msg-1")).await.unwrap_err().errcode(),
        Some(40058),
        "msgid is unique per account"
    );
    // Last message 48–72 hours ago: 95002 while sync_msg still returns it.
    let (kf, cu) = in_state(&sb, 1, false)[0].clone();
    assert_eq!(
        c.send_msg(&kf, &cu, "text", json!({"content": "晚了"}), None).await.unwrap_err().errcode(),
        Some(95002)
    );
    let (msgs, _) = sync_all(
        &c,
        &kf,
        1000,
        Some(control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf})).await["token"].as_str().unwrap()),
    )
    .await;
    assert!(msgs.iter().any(|m| m.external_userid.as_deref() == Some(cu.as_str())), "still within the 3 days");
    // A servicer serves it (state 3): 95018.
    let (kf, cu) = in_state(&sb, 3, true)[0].clone();
    assert_eq!(
        c.send_msg(&kf, &cu, "text", json!({"content": "你好"}), None).await.unwrap_err().errcode(),
        Some(95018)
    );
}

#[tokio::test]
async fn send_msg_checks_its_payload() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let (kf, cu) = in_state(&sb, 0, true)[0].clone();
    let long = "字".repeat(683); // 2049 bytes: the limit counts bytes, not characters
    assert_eq!(c.send_msg(&kf, &cu, "text", json!({"content": long}), None).await.unwrap_err().errcode(), Some(45002));
    assert_eq!(c.send_msg(&kf, &cu, "text", json!({"content": ""}), None).await.unwrap_err().errcode(), Some(44004));
    let items: Vec<Value> =
        (0..11).map(|i| json!({"type": "click", "click": {"id": i.to_string(), "content": "好"}})).collect();
    assert_eq!(c.send_msg(&kf, &cu, "msgmenu", json!({"list": items}), None).await.unwrap_err().errcode(), Some(95008));
    assert_eq!(
        c.send_msg(&kf, &cu, "msgmenu", json!({"list": [{"type": "bogus"}]}), None).await.unwrap_err().errcode(),
        Some(95009)
    );
    assert_eq!(
        c.send_msg(&kf, &cu, "image", json!({"media_id": "nope"}), None).await.unwrap_err().errcode(),
        Some(40007)
    );
    assert_eq!(
        c.send_msg(&kf, "wmNobody", "text", json!({"content": "x"}), None).await.unwrap_err().errcode(),
        Some(40096)
    );
    assert_eq!(
        c.send_msg(&kf, &cu, "location", json!({"latitude": 91.0, "longitude": 0.0}), None)
            .await
            .unwrap_err()
            .errcode(),
        Some(40058)
    );
    assert_eq!(sb.world().sent.len(), 0, "nothing was sent");
}

#[tokio::test]
async fn sync_msg_requires_open_kfid_pages_with_the_cursor_and_keeps_three_days() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let empty = wecom_raw(&sb, "POST", "/cgi-bin/kf/sync_msg", Some(json!({"open_kfid": ""}))).await;
    assert_eq!(empty["errcode"], 40058);
    assert!(empty["errmsg"].as_str().unwrap().starts_with("field 'open_kfid' unexpected empty string"), "{empty}");
    assert_eq!(
        wecom_raw(&sb, "POST", "/cgi-bin/kf/sync_msg", Some(json!({}))).await["errcode"],
        40058,
        "open_kfid is required now"
    );
    let kf = sb.world().accounts[0].open_kfid.clone();
    let token = control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf, "text": "新的问题"})).await
        ["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (big, _) = sync_all(&c, &kf, 1000, Some(&token)).await;
    let (small, empty_pages) = sync_all(&c, &kf, 3, Some(&token)).await;
    assert_eq!(small, big, "small pages give the same messages");
    assert!(empty_pages > 0, "has_more with an empty page happens: loop on has_more, not on the list");
    let ids: std::collections::HashSet<_> = big.iter().map(|m| &m.msgid).collect();
    assert_eq!(ids.len(), big.len(), "no message twice");
    assert!(big.iter().all(|m| m.open_kfid.as_deref().is_none_or(|k| k == kf)), "only this account");
    assert!(
        !big.iter().any(|m| m.body().and_then(|b| b["content"].as_str()) == Some("上周买的东西怎么退？")),
        "older than 3 days is gone"
    );
    assert!(big
        .iter()
        .any(|m| m.origin == 4 && m.open_kfid.is_none() && m.body().unwrap()["event_type"] == "enter_session"));
    assert!(big.iter().any(|m| m.origin == 5 && m.servicer_userid.is_some()));
    assert!(big.iter().any(|m| m.msgtype == "image"));
    assert_eq!(big.last().unwrap().body().unwrap()["content"], "新的问题");
    // From the stored cursor only what is new; send_msg's own messages never come back.
    let cursor = c.sync_page(&kf, "", Some(&token), 1000).await.unwrap().next_cursor;
    let (_, cu) = in_state(&sb, 0, true)
        .into_iter()
        .find(|(k, _)| *k == kf)
        .unwrap_or_else(|| (kf.clone(), big.last().unwrap().external_userid.clone().unwrap()));
    c.send_msg(&kf, &cu, "text", json!({"content": "来自 API"}), None).await.unwrap();
    control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf, "external_userid": cu, "text": "收到"})).await;
    let next = c.sync_page(&kf, &cursor, Some(&token), 1000).await.unwrap();
    let texts: Vec<_> = next.msg_list.iter().filter_map(|m| m.body().and_then(|b| b["content"].as_str())).collect();
    assert_eq!(texts, ["收到"]);
}

#[tokio::test]
async fn sync_msg_without_a_callback_token_is_limited_to_about_ten_a_minute() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    for _ in 0..10 {
        c.sync_page(&kf, "", None, 10).await.unwrap();
    }
    let e = c.sync_page(&kf, "", None, 10).await.unwrap_err();
    assert_eq!(e.errcode(), Some(45009));
    assert_eq!(
        c.sync_page(&kf, "", Some("ENCwrong"), 10).await.unwrap_err().errcode(),
        Some(45009),
        "a wrong token does not help"
    );
    let token = control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf})).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    c.sync_page(&kf, "", Some(&token), 10).await.expect("a fresh callback token lifts the limit");
    sb.world().clock_offset += 61;
    c.sync_page(&kf, "", None, 10).await.expect("the block lasts a minute");
    sb.world().clock_offset += 600;
    assert!(
        c.sync_page(&kf, "", Some(&token), 10).await.is_ok(),
        "the block is over; the token itself expired after 10 minutes"
    );
}

#[tokio::test]
async fn session_state_moves_only_as_wecom_allows() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let (kf, cu) = in_state(&sb, 0, true)[0].clone();
    let receiving = receiving(&sb, &kf);
    let stopped = {
        let w = sb.world();
        w.accounts
            .iter()
            .find(|a| a.open_kfid == kf)
            .unwrap()
            .users
            .iter()
            .find(|u| w.status_of(u).status == 1)
            .cloned()
    };
    assert_eq!(
        c.trans_service_state(&kf, &cu, SessionState::Servicer, None).await.unwrap_err().errcode(),
        Some(40058),
        "state 3 needs a servicer"
    );
    assert_eq!(
        c.trans_service_state(&kf, &cu, SessionState::Servicer, Some("HeXin")).await.unwrap_err().errcode(),
        Some(95014),
        "not a servicer of this account"
    );
    if let Some(s) = &stopped {
        assert_eq!(
            c.trans_service_state(&kf, &cu, SessionState::Servicer, Some(s)).await.unwrap_err().errcode(),
            Some(95019),
            "stopped receiving"
        );
    }
    let code = c.trans_service_state(&kf, &cu, SessionState::Queued, None).await.unwrap();
    assert!(code.is_some(), "first entry into the queue gives a msg_code");
    let code = c.trans_service_state(&kf, &cu, SessionState::Servicer, Some(&receiving)).await.unwrap();
    assert!(code.is_some());
    let st = c.service_state(&kf, &cu).await.unwrap();
    assert_eq!((st.service_state, st.servicer_userid.as_str()), (SessionState::Servicer, receiving.as_str()));
    for (to, why) in
        [(SessionState::SmartAssistant, "3 → 1"), (SessionState::Queued, "3 → 2"), (SessionState::Untreated, "→ 0")]
    {
        assert_eq!(c.trans_service_state(&kf, &cu, to, None).await.unwrap_err().errcode(), Some(95016), "{why}");
    }
    assert_eq!(
        c.trans_service_state(&kf, &cu, SessionState::Servicer, Some(&receiving)).await.unwrap_err().errcode(),
        Some(95016),
        "to the same servicer"
    );
    let end_code =
        c.trans_service_state(&kf, &cu, SessionState::Ended, None).await.unwrap().expect("ending gives a code");
    assert_eq!(
        c.trans_service_state(&kf, &cu, SessionState::SmartAssistant, None).await.unwrap_err().errcode(),
        Some(95016),
        "ended: not changeable"
    );
    // The ending code: once, within 20 seconds, text or menu.
    c.send_msg_on_event(
        &end_code,
        "msgmenu",
        json!({"head_content": "请评价", "list": [{"type": "click", "click": {"id": "1", "content": "满意"}}]}),
    )
    .await
    .unwrap();
    assert_eq!(
        c.send_msg_on_event(&end_code, "text", json!({"content": "再见"})).await.unwrap_err().errcode(),
        Some(95007)
    );
    // The read-only account cannot be steered.
    let ro = sb.world().accounts.iter().find(|a| !a.manageable).unwrap().open_kfid.clone();
    assert_eq!(
        c.trans_service_state(&ro, &cu, SessionState::SmartAssistant, None).await.unwrap_err().errcode(),
        Some(48002)
    );
}

#[tokio::test]
async fn event_codes_expire_and_hold_only_in_their_state() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    let entered = control(
        &sb,
        "/__sandbox/customers/enter",
        json!({"open_kfid": kf, "scene": "store_12", "nickname": "扫码的客户"}),
    )
    .await;
    let welcome = entered["welcome_code"].as_str().expect("a new customer gets a welcome code").to_string();
    let cu = entered["external_userid"].as_str().unwrap().to_string();
    sb.world().clock_offset += 21;
    assert_eq!(
        c.send_msg_on_event(&welcome, "text", json!({"content": "欢迎"})).await.unwrap_err().errcode(),
        Some(95007),
        "20 seconds"
    );
    let entered = control(&sb, "/__sandbox/customers/enter", json!({"open_kfid": kf, "external_userid": cu})).await;
    assert!(entered["welcome_code"].is_null(), "one welcome in 48 hours");
    control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf, "external_userid": cu, "text": "你好"})).await;
    let queue = c.trans_service_state(&kf, &cu, SessionState::Queued, None).await.unwrap().unwrap();
    let servicer = receiving(&sb, &kf);
    c.trans_service_state(&kf, &cu, SessionState::Servicer, Some(&servicer)).await.unwrap();
    assert_eq!(
        c.send_msg_on_event(&queue, "text", json!({"content": "您已进入排队"})).await.unwrap_err().errcode(),
        Some(95018),
        "no longer queued"
    );
    let customers = c.customers(std::slice::from_ref(&cu), true).await.unwrap();
    assert_eq!(
        customers.customer_list[0].enter_session_context.as_ref().unwrap()["scene"],
        "",
        "the last entry's scene"
    );
}

#[tokio::test]
async fn customers_are_answered_only_within_48_hours_of_activity() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let recent: Vec<String> = in_state(&sb, 3, true).into_iter().map(|(_, u)| u).collect();
    let stale: Vec<String> = in_state(&sb, 1, false).into_iter().map(|(_, u)| u).collect();
    let mut ids = recent.clone();
    ids.extend(stale.clone());
    ids.push("wmNobodyAtAll".into());
    let r = c.customers(&ids, false).await.unwrap();
    let known: Vec<&str> = r.customer_list.iter().map(|k| k.external_userid.as_str()).collect();
    assert!(recent.iter().all(|u| known.contains(&u.as_str())));
    assert!(stale.iter().all(|u| r.invalid_external_userid.contains(u)), "silent for more than 48 hours");
    assert!(r.invalid_external_userid.contains(&"wmNobodyAtAll".to_string()));
    let k = &r.customer_list[0];
    assert!(!k.nickname.is_empty() && k.avatar.starts_with(&sb.base_url()) && k.unionid.starts_with('o'));
    assert_eq!(reqwest::get(&k.avatar).await.unwrap().status(), 200);
    // 150 ids: two calls.
    let many: Vec<String> = (0..150).map(|i| format!("wm{i}")).collect();
    sb.reset_request_counts();
    assert_eq!(c.customers(&many, false).await.unwrap().invalid_external_userid.len(), 150);
    assert_eq!(sb.requests("/cgi-bin/kf/customer/batchget"), 2);
    let too_many: Vec<String> = (0..101).map(|i| format!("wm{i}")).collect();
    assert_eq!(
        wecom_raw(&sb, "POST", "/cgi-bin/kf/customer/batchget", Some(json!({"external_userid_list": too_many}))).await
            ["errcode"],
        40058
    );
}

#[tokio::test]
async fn statistics_are_per_cst_day_at_most_31_days_t_plus_1() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    let now = sb.world().now();
    let today = kefudesk_lib::wechat::cst::cst_day_start(now);
    let days = c.corp_statistic(&kf, today - 30 * 86_400 + 5000, now).await.unwrap();
    assert_eq!(days.len(), 31, "closed range of 31 days, floored to midnight");
    assert!(days.iter().all(|d| (d.stat_time - today) % 86_400 == 0));
    assert!(days.last().unwrap().statistic.is_none(), "today has no data yet (T+1)");
    assert!(days.iter().filter(|d| d.statistic.is_some()).count() > 20);
    let first = days.iter().find_map(|d| d.statistic.clone()).unwrap();
    assert!(first["session_cnt"].as_u64().unwrap() > 0 && first.contains_key("ai_transfer_rate"));
    assert_eq!(c.corp_statistic(&kf, today - 30 * 86_400, now).await.unwrap(), days, "the same figures every time");
    assert_eq!(c.corp_statistic(&kf, today - 31 * 86_400, now).await.unwrap_err().errcode(), Some(40058), "32 days");
    assert_eq!(
        c.corp_statistic(&kf, today - 200 * 86_400, today - 190 * 86_400).await.unwrap_err().errcode(),
        Some(40058),
        "older than 180 days"
    );
    assert_eq!(c.corp_statistic(&kf, now, now - 86_400).await.unwrap_err().errcode(), Some(40058));
    let who = sb.world().accounts[0].users[0].clone();
    let one = c.servicer_statistic(&kf, Some(&who), today - 7 * 86_400, today - 86_400).await.unwrap();
    assert_eq!(one.len(), 7);
    assert!(one.iter().filter_map(|d| d.statistic.as_ref()).all(|s| s.contains_key("first_reply_average_sec")));
    assert_eq!(
        c.servicer_statistic(&kf, Some("HeXin"), today - 86_400, today).await.unwrap_err().errcode(),
        Some(95014)
    );
    assert_eq!(c.servicer_statistic(&kf, None, today - 86_400, today).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_servicer_status_change_is_an_event_with_its_own_encoding() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    let token = control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf})).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let cursor = c.sync_page(&kf, "", Some(&token), 1000).await.unwrap().next_cursor;
    control(&sb, "/__sandbox/servicers/status", json!({"userid": "ZhangWei", "status": 1, "stop_type": 1})).await;
    let page = c.sync_page(&kf, &cursor, Some(&token), 1000).await.unwrap();
    let ev = page
        .msg_list
        .iter()
        .find_map(|m| m.body().filter(|b| b["event_type"] == "servicer_status_change"))
        .cloned()
        .expect("the event");
    assert_eq!(
        (ev["status"].as_i64(), ev["stop_type"].as_i64()),
        (Some(2), Some(1)),
        "the event says 2 for 停止接待 (the list says 1)"
    );
    let list = c.servicer_list(&kf).await.unwrap();
    assert_eq!(list.iter().find(|s| s.userid.as_deref() == Some("ZhangWei")).unwrap().status, Some(1));
}
