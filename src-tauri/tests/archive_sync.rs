//! The WeCom message archive against the WeCom sandbox over loopback: the reader from an empty
//! archive (WeCom's 3 days), looping through empty pages, only what is new afterwards, a repeated
//! read kept once, 45009 without a callback token, search; and crash safety — a `kefu-archive`
//! process killed (SIGKILL) again and again mid-read loses and duplicates nothing.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use kefudesk_lib::sandbox::wecom::WecomSandboxHandle;
use kefudesk_lib::sandbox::{Fault, FaultKind};
use kefudesk_lib::wecom::archive::{sync_account, Archive, Query, SyncError};
use serde_json::{json, Value};

const SYNC: &str = "/cgi-bin/kf/sync_msg";

async fn control(sb: &WecomSandboxHandle, path: &str, body: Value) -> Value {
    answer(reqwest::Client::new().post(format!("{}{path}", sb.base_url())).json(&body)).await
}

/// A callback token, as a company relay would pass it on.
async fn callback_token(sb: &WecomSandboxHandle, open_kfid: &str) -> String {
    control(sb, "/__sandbox/customers/message", json!({"open_kfid": open_kfid, "text": "在吗"})).await["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The msgids the sandbox keeps for `open_kfid` within 3 days, oldest first (what a complete read must hold).
fn expected(sb: &WecomSandboxHandle, open_kfid: &str) -> Vec<String> {
    let w = sb.world();
    let oldest = w.now() - kefudesk_lib::sandbox::wecom::conversation::RETENTION_SECS;
    w.log
        .iter()
        .filter(|i| i.open_kfid == open_kfid && i.send_time >= oldest)
        .map(|i| i.body["msgid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_empty_archive_reads_three_days_then_only_what_is_new() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    let token = callback_token(&sb, &kf).await;
    let archive = Arc::new(Archive::in_memory().unwrap());
    let r = sync_account(&c, &archive, &kf, Some(&token)).await.unwrap();
    let want = expected(&sb, &kf);
    assert_eq!(archive.msgids(&kf).unwrap(), want, "exactly the account's last 3 days, in order");
    assert_eq!((r.received, r.new), (want.len(), want.len()));
    assert!(
        !archive.search(&Query { text: "上周买的东西".into(), ..Default::default() }).unwrap().iter().any(|_| true),
        "older than 3 days was never there"
    );
    // Nothing new: one call, nothing stored twice.
    sb.reset_request_counts();
    let again = sync_account(&c, &archive, &kf, Some(&token)).await.unwrap();
    assert_eq!((again.requests, again.new), (1, 0));
    // A customer writes: only that arrives.
    control(&sb, "/__sandbox/customers/message", json!({"open_kfid": kf, "text": "我的快递到哪了"})).await;
    let next = sync_account(&c, &archive, &kf, Some(&token)).await.unwrap();
    assert_eq!(next.new, 1);
    let found =
        archive.search(&Query { text: "快递到".into(), open_kfid: Some(kf.clone()), ..Default::default() }).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "我的快递到哪了");
}

#[tokio::test]
async fn empty_pages_with_more_are_followed_to_the_end() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let (a, b) = {
        let w = sb.world();
        (w.accounts[0].open_kfid.clone(), w.accounts[1].open_kfid.clone())
    };
    // 2 500 messages of another account, then one of ours: whole windows of the corp's log hold nothing for us.
    control(&sb, "/__sandbox/messages/fill", json!({"open_kfid": b, "count": 2500, "customers": 50, "secs": 3600}))
        .await;
    let token = callback_token(&sb, &a).await;
    let archive = Arc::new(Archive::in_memory().unwrap());
    let r = sync_account(&c, &archive, &a, Some(&token)).await.unwrap();
    assert!(r.empty_pages >= 1, "{r:?}");
    assert_eq!(archive.msgids(&a).unwrap(), expected(&sb, &a));
    let rb = sync_account(&c, &archive, &b, Some(&token)).await.unwrap();
    assert_eq!(archive.msgids(&b).unwrap(), expected(&sb, &b));
    assert!(rb.requests >= 3, "1 000 a page: {rb:?}");
}

#[tokio::test]
async fn without_a_callback_token_wecom_s_limit_ends_the_run_and_what_was_read_stays() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let (a, b) = {
        let w = sb.world();
        (w.accounts[0].open_kfid.clone(), w.accounts[1].open_kfid.clone())
    };
    let _ = b;
    control(&sb, "/__sandbox/messages/fill", json!({"open_kfid": a, "count": 15000, "customers": 100, "secs": 7200}))
        .await;
    let archive = Arc::new(Archive::in_memory().unwrap());
    let e = sync_account(&c, &archive, &a, None).await.unwrap_err();
    assert!(matches!(&e, SyncError::Api(api) if api.errcode() == Some(45009)), "{e:?}");
    assert_eq!(sb.requests(SYNC), 11, "10 calls a minute, the 11th refused");
    let partial = archive.count().unwrap();
    // A minute later it goes on from the stored cursor, with a token to the end.
    sb.world().clock_offset += 61;
    let token = callback_token(&sb, &a).await;
    sync_account(&c, &archive, &a, Some(&token)).await.unwrap();
    assert!(archive.count().unwrap() >= partial);
    assert_eq!(archive.msgids(&a).unwrap(), expected(&sb, &a));
}

// Multi-threaded: the sandbox keeps serving while this test blocks on the child process.
/// Every message type of sync_msg a customer can send, and the events, as WeCom sends them.
#[tokio::test]
async fn every_message_type_and_event_is_kept_as_wecom_sent_it() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let kf = sb.world().accounts[0].open_kfid.clone();
    let servicer = sb.world().accounts[0].users[0].clone();
    let who =
        control(&sb, "/__sandbox/customers/enter", json!({"open_kfid": kf, "nickname": "全类型", "scene": "store_12"}))
            .await["external_userid"]
            .as_str()
            .unwrap()
            .to_string();
    let types = [
        ("text", json!({"content": "你好", "menu_id": "101"})),
        ("image", json!({"media_id": "3img"})),
        ("voice", json!({"media_id": "3voice"})),
        ("video", json!({"media_id": "3video"})),
        ("file", json!({"media_id": "3file"})),
        ("location", json!({"latitude": 23.13, "longitude": 113.26, "name": "星河门店", "address": "天河路 1 号"})),
        (
            "link",
            json!({"title": "物流查询", "desc": "点击查看", "url": "https://kd.example", "pic_url": "https://kd.example/p.png"}),
        ),
        ("business_card", json!({"userid": "LiNa"})),
        (
            "miniprogram",
            json!({"title": "星河商城", "appid": "wx123", "pagepath": "pages/index", "thumb_media_id": "3t"}),
        ),
        (
            "msgmenu",
            json!({"head_content": "请评价", "list": [{"type": "click", "click": {"id": "1", "content": "满意"}}], "tail_content": ""}),
        ),
        ("channels_shop_product", json!({"product_id": "p1", "title": "保温杯", "shop_nickname": "星河"})),
        ("channels_shop_order", json!({"order_id": "o1", "product_titles": "保温杯", "price_wording": "¥99"})),
        (
            "merged_msg",
            json!({"title": "群聊的聊天记录", "item": [{"send_time": 1, "msgtype": "text", "sender_name": "甲", "msg_content": "{}"}]}),
        ),
        ("channels", json!({"sub_type": 1, "nickname": "星河视频号", "title": "新品直播"})),
    ];
    for (t, payload) in &types {
        control(
            &sb,
            "/__sandbox/customers/message",
            json!({"open_kfid": kf, "external_userid": who, "msgtype": t, "payload": payload}),
        )
        .await;
    }
    control(&sb, "/__sandbox/servicers/status", json!({"userid": servicer, "status": 1, "stop_type": 1})).await;
    control(&sb, "/__sandbox/servicers/status", json!({"userid": servicer, "status": 0})).await;
    control(
        &sb,
        "/__sandbox/servicers/reply",
        json!({"open_kfid": kf, "external_userid": who, "servicer_userid": servicer, "text": "您好"}),
    )
    .await;
    let token = callback_token(&sb, &kf).await;
    let archive = Arc::new(Archive::in_memory().unwrap());
    sync_account(&c, &archive, &kf, Some(&token)).await.unwrap();
    let kept =
        archive.search(&Query { external_userid: Some(who.clone()), limit: 1000, ..Default::default() }).unwrap();
    for (t, payload) in &types {
        let m = kept.iter().find(|m| m.msgtype == *t && m.origin == 3).unwrap_or_else(|| panic!("{t} not kept"));
        assert_eq!(&m.raw[*t], payload, "{t} kept as WeCom sent it");
        assert_eq!(m.origin, 3);
    }
    let text_of = |t: &str| kept.iter().find(|m| m.msgtype == t).unwrap().text.clone();
    assert_eq!(text_of("location"), "星河门店 天河路 1 号");
    assert_eq!(text_of("link"), "物流查询 点击查看");
    assert_eq!(text_of("miniprogram"), "星河商城");
    for q in ["星河门店", "物流查询", "星河商城", "请评价"] {
        assert!(
            !archive.search(&Query { text: q.into(), ..Default::default() }).unwrap().is_empty(),
            "{q} is searchable"
        );
    }
    // Events: entering with a scene, a servicer pausing and receiving again (kept under the
    // account), a servicer taking the session.
    assert!(kept
        .iter()
        .any(|m| m.event_type.as_deref() == Some("enter_session") && m.raw["event"]["scene"] == "store_12"));
    assert!(kept.iter().any(|m| m.event_type.as_deref() == Some("session_status_change")
        && m.servicer_userid.is_none()
        && m.raw["event"]["new_servicer_userid"] == servicer.as_str()));
    let statuses =
        archive.search(&Query { servicer_userid: Some(servicer.clone()), limit: 1000, ..Default::default() }).unwrap();
    assert_eq!(statuses.iter().filter(|m| m.event_type.as_deref() == Some("servicer_status_change")).count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_killed_at_any_moment_loses_and_duplicates_nothing() {
    let sb = wecom().await;
    let kf = sb.world().accounts[0].open_kfid.clone();
    control(&sb, "/__sandbox/messages/fill", json!({"open_kfid": kf, "count": 30000, "customers": 300})).await;
    let token = callback_token(&sb, &kf).await;
    // Slow pages, so the process is killed while reading, storing or between the two.
    sb.set_fault(SYNC, Fault::kind(FaultKind::DelayOnly).delay_ms(40));
    let dir = tempfile::Builder::new().prefix("kefudesk-archive-").tempdir().unwrap();
    let db = dir.path().join("archive.sqlite3");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kefu-archive"))
            .args([
                "--base",
                &sb.base_url(),
                "--corpid",
                &sb.corp_id(),
                "--db",
                db.to_str().unwrap(),
                "--open-kfid",
                &kf,
                "--token",
                &token,
            ])
            .env("KEFU_CORP_SECRET", sb.secret())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let run_to_end = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kefu-archive"))
            .args([
                "--base",
                &sb.base_url(),
                "--corpid",
                &sb.corp_id(),
                "--db",
                db.to_str().unwrap(),
                "--open-kfid",
                &kf,
                "--token",
                &token,
            ])
            .env("KEFU_CORP_SECRET", sb.secret())
            .output()
            .unwrap()
    };
    let mut kills = 0;
    for i in 0..12u64 {
        let mut child = run();
        // 30..140 ms: before, during and after page writes.
        std::thread::sleep(Duration::from_millis(30 + (i * 37) % 110));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(kills >= 6, "the reader was killed mid-run ({kills} times)");
    let out = run_to_end();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let archive = Archive::open(&db).unwrap();
    let got = archive.msgids(&kf).unwrap();
    let want = expected(&sb, &kf);
    assert_eq!(got.len(), want.len(), "nothing lost, nothing twice");
    assert_eq!(got, want);
}
