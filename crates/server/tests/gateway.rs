//! A desktop works through KefuDesk Server with its own WeCom client, unchanged: its profile
//! points the API address at the server's gateway and its token relay at the server, with the
//! staff session token as the relay's credential. Built here exactly as the desktop builds it
//! (`kefu_wechat::wecom::WecomClient`, `TokenSource::Relay`), over real HTTP, and checked where
//! things land: the sandbox (what reached WeCom) and the server's archive.

mod common;

use std::time::{Duration, Instant};

use common::{sent_at_sandbox, Desk, Team, STAFF_PASSWORD};
use kefu_sandbox::FaultInjection;
use kefu_server::ServerHandle;
use kefu_wechat::wecom::{MediaKind, WecomClient};
use kefu_wechat::{ApiError, ClientConfig, Secret, TokenSource};
use serde_json::json;

/// The WeCom client a desktop signed in as `desk` builds for `corp` on `server`.
fn desktop_client(server: &ServerHandle, corp: i64, desk: &Desk) -> WecomClient {
    let gateway = format!("http://{}/gateway/wecom/{corp}", server.addr);
    let source = TokenSource::Relay { url: format!("{gateway}/token"), bearer: Some(Secret::new(desk.token.clone())) };
    WecomClient::new(ClientConfig::new(gateway), source).unwrap()
}

#[tokio::test]
async fn a_desktop_client_works_through_the_gateway_without_a_wechat_secret() {
    let t = Team::start(1).await;
    let (corp, granted, other) = (t.corp, t.granted.clone(), t.other.clone());
    let lin = Desk::sign_in(&t.one, "lin", STAFF_PASSWORD, "front desk").await;
    let zhou = Desk::sign_in(&t.one, "zhou", STAFF_PASSWORD, "back office").await;
    let a = desktop_client(&t.one, corp, &lin);
    let b = desktop_client(&t.one, corp, &zhou);

    // The agent's account list holds the account granted only.
    let mine: Vec<String> = a.account_list().await.unwrap().into_iter().map(|k| k.open_kfid).collect();
    assert_eq!(mine, std::slice::from_ref(&granted));
    assert!(b.account_list().await.unwrap().len() >= 2, "the supervisor sees every account");
    let token = a.transport().tokens().token().await.unwrap();
    assert!(token.expose().starts_with("kdg"), "the desktop holds a gateway ticket, not WeCom's token");

    // A customer writes; the desktop reads it with sync_msg from the server's archive.
    let customer = t.customer_writes(&granted, "发票怎么开？").await;
    let mut cursor = String::new();
    let mut texts = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !texts.iter().any(|t| t == "发票怎么开？") {
        assert!(Instant::now() < deadline, "the customer's message did not reach the desktop within 10 s");
        let page = a.sync_page(&granted, &cursor, None, 1000).await.unwrap();
        cursor = page.next_cursor.clone();
        texts.extend(page.msg_list.iter().filter_map(|m| m.body()?["content"].as_str().map(String::from)));
        if page.has_more == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let wecom_reads = t.sandbox.requests("/cgi-bin/kf/sync_msg");
    let again = a.sync_page(&granted, &cursor, None, 1000).await.unwrap();
    assert!(again.msg_list.is_empty(), "read from the cursor on: nothing twice");
    assert_eq!(t.sandbox.requests("/cgi-bin/kf/sync_msg"), wecom_reads, "the desktops' reads never reach WeCom");

    // The agent replies with the desktop's own msgid: delivered at WeCom, archived with who sent it.
    let msgid = a
        .send_msg(&granted, &customer, "text", json!({"content": "您好，请提供订单号"}), Some("kdwGateway01"))
        .await
        .unwrap();
    assert_eq!(msgid, "kdwGateway01");
    let delivered = sent_at_sandbox(&t.sandbox.base_url()).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["text"]["content"], "您好，请提供订单号");
    // Sent again after a lost answer: nothing twice.
    a.send_msg(&granted, &customer, "text", json!({"content": "您好，请提供订单号"}), Some("kdwGateway01"))
        .await
        .unwrap();
    assert_eq!(sent_at_sandbox(&t.sandbox.base_url()).await.len(), 1);

    // The supervisor's desktop reads the reply (which WeCom's sync_msg never returns), with its sender.
    let mut seen = None;
    let mut cursor_b = String::new();
    while seen.is_none() {
        let page = b.sync_page(&granted, &cursor_b, None, 1000).await.unwrap();
        cursor_b = page.next_cursor.clone();
        seen = page.msg_list.into_iter().find(|m| m.msgid == "kdwGateway01");
        assert!(page.has_more == 1 || seen.is_some(), "the reply is in the archive");
    }
    let reply = seen.unwrap();
    assert_eq!(reply.origin, 0);
    assert_eq!(reply.payload["kefudesk"], json!({"sent_by": "林晓", "desktop": "front desk"}));

    // What the agent may not do is refused at the server with WeCom's "no permission".
    let refused = a.sync_page(&other, "", None, 10).await.unwrap_err();
    assert_eq!(refused.errcode(), Some(48002), "an account not granted: {refused}");
    let stats = a.corp_statistic(&granted, 1_700_000_000, 1_700_086_400).await.unwrap_err();
    assert_eq!(stats.errcode(), Some(48002), "statistics are for supervisors");
    assert_eq!(a.add_account("新账号", "media").await.unwrap_err().errcode(), Some(48002), "accounts are the admin's");

    // Uploads pass through; WeCom answers the media_id.
    let avatar = kefu_sandbox::avatar::demo_avatar(120.0);
    let up = a.upload_media(MediaKind::Image, "a.png", "image/png", avatar).await.unwrap();
    assert!(!up.media_id.is_empty());

    // The admin signs the agent out: the next call cannot get a new ticket.
    let (status, _) = t.admin.post(&format!("/api/v1/staff/{}/sessions/end", t.lin), json!({})).await;
    assert_eq!(status, 200);
    let after = a.sync_page(&granted, &cursor, None, 10).await.unwrap_err();
    assert!(matches!(after, ApiError::Relay { .. }), "signed out: {after:?}");
}
