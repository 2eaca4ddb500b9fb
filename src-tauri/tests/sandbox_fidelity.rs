//! The Official Account sandbox is as strict as WeChat where a client developer would want to
//! be caught (reference mp §1–§6): request bodies, token errors, quotas by the CST day, who can be
//! online, the order of checks, getmsglist's window, what opens the 48-hour window, typing.

mod common;

use common::*;
use kefudesk_lib::sandbox::mp::MpSandboxHandle;
use kefudesk_lib::wechat::cst;
use serde_json::{json, Value};

const ADD: &str = "/customservice/kfaccount/add";

async fn post_raw(sb: &MpSandboxHandle, path: &str, body: &str) -> Value {
    answer(reqwest::Client::new().post(format!("{}{path}", sb.base_url())).body(body.to_string())).await
}

async fn control(sb: &MpSandboxHandle, path: &str, body: Value) -> Value {
    raw(sb, "POST", path, Some(body)).await
}

fn unbound_agent(sb: &MpSandboxHandle) -> String {
    sb.world().agents.iter().find(|a| a.kf_wx.is_none()).unwrap().account.clone()
}

#[tokio::test]
async fn bodies_must_be_raw_utf8_json_objects() {
    let sb = sandbox().await;
    let t = token(&sb).await;
    let add = format!("{ADD}?access_token={t}");
    let suffix = sb.oa_wechat_id();
    // Non-ASCII written as \uXXXX (PHP's json_encode default): 40033.
    let escaped = format!(r#"{{"kf_account":"esc1@{suffix}","nickname":"\u5ba2\u670d"}}"#);
    assert_eq!(post_raw(&sb, &add, &escaped).await["errcode"], 40033);
    assert!(sb.world().agent(&format!("esc1@{suffix}")).is_none());
    // The same as raw UTF-8 works; an ASCII escape is harmless.
    let plain = format!(r#"{{"kf_account":"esc1@{suffix}","nickname":"客服\u0041"}}"#);
    assert_eq!(post_raw(&sb, &add, &plain).await["errcode"], 0);
    assert_eq!(sb.world().agent(&format!("esc1@{suffix}")).unwrap().nick, "客服A");
    // JSON that is not an object: 47001.
    for body in ["[]", "\"kf\"", "42", "null"] {
        assert_eq!(post_raw(&sb, &add, body).await["errcode"], 47001, "{body}");
    }
}

#[tokio::test]
async fn token_errors_and_quotas_are_wechats() {
    let sb = sandbox().await;
    let cgi = |appid: &str, secret: &str| {
        format!("/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}")
    };
    assert_eq!(raw(&sb, "GET", &cgi(&sb.appid(), "wrong-secret"), None).await["errcode"], 40125);
    assert_eq!(raw(&sb, "GET", &cgi("wx-not-this-one", &sb.secret()), None).await["errcode"], 40013);

    // An expired token is 42001 even after newer ones were issued (not "unknown", 40001).
    let old =
        raw(&sb, "GET", &cgi(&sb.appid(), &sb.secret()), None).await["access_token"].as_str().unwrap().to_string();
    sb.world().clock_offset += 7201;
    let new =
        raw(&sb, "GET", &cgi(&sb.appid(), &sb.secret()), None).await["access_token"].as_str().unwrap().to_string();
    let list = |t: &str| format!("{KFLIST}?access_token={t}");
    assert_eq!(raw(&sb, "GET", &list(&old), None).await["errcode"], 42001);
    assert!(raw(&sb, "GET", &list(&new), None).await["kf_list"].is_array());

    // The daily quota starts again at midnight China Standard Time (16:00 UTC), not UTC's.
    {
        let mut w = sb.world();
        let now = w.now();
        let next_cst_midnight = cst::cst_day_start(now) + cst::DAY;
        w.clock_offset += next_cst_midnight - 10 - now;
        let today = cst::cst_day_number(w.now());
        w.tokens.cgi_calls = (today, u32::MAX);
    }
    assert_eq!(raw(&sb, "GET", &cgi(&sb.appid(), &sb.secret()), None).await["errcode"], 45009, "used up today");
    sb.world().clock_offset += 20;
    assert!(raw(&sb, "GET", &cgi(&sb.appid(), &sb.secret()), None).await["access_token"].is_string(), "a new CST day");
}

#[tokio::test]
async fn only_an_agent_bound_to_a_wechat_user_can_be_online() {
    let sb = sandbox().await;
    let unbound = unbound_agent(&sb);
    let v = control(&sb, "/__sandbox/agents/status", json!({"kf_account": unbound, "status": 1})).await;
    assert_eq!(v["errcode"], 40097, "{v}");
    assert_eq!(sb.world().agent(&unbound).unwrap().status, 0);
    assert_eq!(
        control(&sb, "/__sandbox/agents/status", json!({"kf_account": unbound, "status": 0})).await["errcode"],
        0
    );
    let bound =
        sb.world().agents.iter().find(|a| a.kf_wx.is_some() && a.status == 0).map(|a| a.account.clone()).unwrap();
    assert_eq!(control(&sb, "/__sandbox/agents/status", json!({"kf_account": bound, "status": 2})).await["errcode"], 0);
    // The demo never shows an unbound agent online.
    assert!(sandbox().await.world().agents.iter().all(|a| a.status == 0 || a.kf_wx.is_some()));
}

#[tokio::test]
async fn an_unknown_account_is_65401_before_anything_else() {
    let sb = sandbox().await;
    let t = token(&sb).await;
    let ghost = format!("ghost@{}", sb.oa_wechat_id());
    // No picture at all (41005 otherwise), a bad WeChat ID (65409), an unknown customer (40003):
    // the account is checked first.
    let upload = reqwest::Client::new()
        .post(format!("{}/customservice/kfaccount/uploadheadimg?access_token={t}&kf_account={ghost}", sb.base_url()))
        .multipart(reqwest::multipart::Form::new().text("other", "x"));
    assert_eq!(answer(upload).await["errcode"], 65401);
    let v = raw(
        &sb,
        "POST",
        &format!("/customservice/kfaccount/inviteworker?access_token={t}"),
        Some(json!({"kf_account": ghost, "invite_wx": "!"})),
    )
    .await;
    assert_eq!(v["errcode"], 65401);
    let v = raw(
        &sb,
        "POST",
        &format!("/customservice/kfsession/close?access_token={t}"),
        Some(json!({"kf_account": ghost, "openid": "o-nobody"})),
    )
    .await;
    assert_eq!(v["errcode"], 65401);
    // With a real account the next check speaks.
    let real = sb.world().agents[0].account.clone();
    let v = raw(
        &sb,
        "POST",
        &format!("/customservice/kfsession/close?access_token={t}"),
        Some(json!({"kf_account": real, "openid": "o-nobody"})),
    )
    .await;
    assert_eq!(v["errcode"], 40003);
}

#[tokio::test]
async fn getmsglist_needs_a_window_and_reads_from_its_start_without_msgid() {
    let sb = sandbox().await;
    let t = token(&sb).await;
    let url = format!("/customservice/msgrecord/getmsglist?access_token={t}");
    let now = sb.world().now();
    for (start, end) in [(now, now), (now, now - 60)] {
        let v =
            raw(&sb, "POST", &url, Some(json!({"starttime": start, "endtime": end, "msgid": 1, "number": 10}))).await;
        assert_eq!(v["errcode"], 65417, "{start}..{end}");
    }
    let start = now - 86_400;
    let with =
        raw(&sb, "POST", &url, Some(json!({"starttime": start, "endtime": now, "msgid": 1, "number": 50}))).await;
    let without = raw(&sb, "POST", &url, Some(json!({"starttime": start, "endtime": now, "number": 50}))).await;
    assert_eq!(without["errcode"].as_i64().unwrap_or(0), 0, "{without}");
    assert_eq!(with["recordlist"], without["recordlist"]);
    assert_eq!(without["number"], 50);
}

#[tokio::test]
async fn follows_menus_scans_and_payments_open_the_window_and_unfollowing_closes_it() {
    let sb = sandbox().await;
    let c = client(&sb);
    let send = |openid: String| {
        let c = &c;
        async move {
            c.send_message(&openid, &kefudesk_lib::wechat::mp::CustomMessage::text("您好"), None)
                .await
                .err()
                .and_then(|e| e.errcode())
                .unwrap_or(0)
        }
    };
    let silent = {
        let w = sb.world();
        let now = w.now();
        w.customers.iter().find(|(_, c)| c.last_user_msg < now - 49 * 3600).unwrap().0.clone()
    };
    assert_eq!(send(silent.clone()).await, 45015, "no window");

    // A menu click (or a scan, or a follow): 3 messages within a minute.
    for event in ["CLICK", "SCAN"] {
        assert_eq!(
            control(&sb, "/__sandbox/customers/event", json!({"openid": silent, "event": event})).await["errcode"],
            0
        );
        for _ in 0..3 {
            assert_eq!(send(silent.clone()).await, 0, "{event}");
        }
        assert_eq!(send(silent.clone()).await, 45047, "{event}: 3 used");
        sb.world().clock_offset += 61;
        assert_eq!(send(silent.clone()).await, 45015, "{event}: the minute is over");
    }
    // A new follower (no openid given): the answer names them.
    let follower = control(&sb, "/__sandbox/customers/event", json!({"event": "subscribe"})).await["openid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(send(follower.clone()).await, 0);

    // A payment: any number of messages for 48 hours.
    control(&sb, "/__sandbox/customers/event", json!({"openid": silent, "event": "payment"})).await;
    for _ in 0..8 {
        assert_eq!(send(silent.clone()).await, 0);
    }
    sb.world().clock_offset += 47 * 3600;
    assert_eq!(send(silent.clone()).await, 0, "still inside the 48 hours");
    sb.world().clock_offset += 2 * 3600;
    assert_eq!(send(silent.clone()).await, 45015);

    // Unfollowing closes even a fresh message window.
    sb.world().customer_writes(&silent, "在吗").unwrap();
    assert_eq!(send(silent.clone()).await, 0);
    control(&sb, "/__sandbox/customers/event", json!({"openid": silent, "event": "unsubscribe"})).await;
    assert_eq!(send(silent.clone()).await, 45015);
    assert_eq!(
        control(&sb, "/__sandbox/customers/event", json!({"openid": silent, "event": "dance"})).await["errcode"],
        40097
    );
}

#[tokio::test]
async fn typing_is_checked_in_wechats_order() {
    let sb = sandbox().await;
    let c = client(&sb);
    let code = |r: Result<(), kefudesk_lib::wechat::ApiError>| r.err().and_then(|e| e.errcode()).unwrap_or(0);
    let (silent, recent) = {
        let w = sb.world();
        let now = w.now();
        let silent = w.customers.iter().find(|(_, c)| c.last_user_msg < now - 49 * 3600).unwrap().0.clone();
        let recent = w
            .customers
            .iter()
            .find(|(_, c)| c.last_user_msg < now - 3600 && c.last_user_msg > now - 47 * 3600)
            .unwrap()
            .0
            .clone();
        (silent, recent)
    };
    assert_eq!(code(c.typing(&silent, true).await), 45015, "outside the 48-hour window");
    assert_eq!(code(c.typing(&recent, true).await), 45080, "no exchange in the last 30 s");
    sb.world().customer_writes(&recent, "在吗").unwrap();
    assert_eq!(code(c.typing(&recent, true).await), 0);
    assert_eq!(code(c.typing(&recent, true).await), 45081, "already typing");
    // Still typing, but the exchange is over 30 s old: 45080 comes first.
    sb.world().clock_offset += 31;
    sb.world().customers.get_mut(&recent).unwrap().typing_until = i64::MAX;
    assert_eq!(code(c.typing(&recent, true).await), 45080);
}
