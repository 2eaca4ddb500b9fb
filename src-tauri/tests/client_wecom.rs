//! The WeCom client against the WeCom sandbox over loopback HTTP: tokens (the same until
//! expiry, single-flight, refresh-and-retry once on 40014/42001, a wrong secret explained and
//! not looped), media upload, kf accounts (paging, limits, privileges, avatars), contact links,
//! servicers (batches, per-item results, both status encodings), errors and redaction.

mod common;

use std::sync::Arc;

use common::*;
use kefudesk_lib::error::CommandError;
use kefudesk_lib::i18n::Lang;
use kefudesk_lib::sandbox::wecom::WecomConfig;
use kefudesk_lib::sandbox::{Fault, FaultKind};
use kefudesk_lib::wechat::wecom::{MediaKind, WecomClient};
use kefudesk_lib::wechat::{ApiError, ClientConfig, Secret, TokenSource};
use serde_json::json;

const ADD: &str = "/cgi-bin/kf/account/add";
const UPLOAD: &str = "/cgi-bin/media/upload";

async fn upload_png(c: &WecomClient) -> String {
    c.upload_media(MediaKind::Image, "a.png", "image/png", png(64, 64).into()).await.expect("upload").media_id
}

#[tokio::test]
async fn gettoken_gives_the_same_token_until_it_expires() {
    let sb = wecom().await;
    let (a, b) = (wecom_token(&sb).await, wecom_token(&sb).await);
    assert_eq!(a, b, "WeCom returns the same token while it is valid");
    sb.world().clock_offset += 7201;
    assert_ne!(wecom_token(&sb).await, a, "a new one after expiry");
}

#[tokio::test]
async fn concurrent_calls_on_a_cold_cache_fetch_one_token() {
    let sb = wecom().await;
    let c = Arc::new(wecom_client(&sb));
    sb.set_fault(GETTOKEN, Fault::kind(FaultKind::DelayOnly).delay_ms(150));
    let calls = (0..8).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.account_list().await })
    });
    for r in futures_util::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(sb.requests(GETTOKEN), 1);
}

#[tokio::test]
async fn an_invalidated_or_expired_token_is_refreshed_and_the_call_retried_once() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    c.account_list().await.unwrap();
    sb.world().invalidate_tokens();
    sb.reset_request_counts();
    c.account_list().await.expect("transparent refresh after 40014");
    assert_eq!((sb.requests(ACCOUNT_LIST), sb.requests(GETTOKEN)), (2, 1));
    // Expired: the client refreshes ahead of time, so force it with a persisting 42001.
    sb.set_fault(ACCOUNT_LIST, Fault::errcode(42001));
    sb.reset_request_counts();
    assert_eq!(c.account_list().await.unwrap_err().errcode(), Some(42001));
    assert_eq!(sb.requests(ACCOUNT_LIST), 2, "the call and one retry, no more");
}

#[tokio::test]
async fn a_wrong_secret_is_explained_and_not_retried() {
    let sb = wecom().await;
    let c = WecomClient::new(
        wecom_config(&sb),
        TokenSource::WecomCorp { corpid: sb.corp_id(), secret: Secret::new("wrong-secret-value") },
    )
    .unwrap();
    let e = c.account_list().await.unwrap_err();
    assert_eq!(e.errcode(), Some(40001));
    assert!(!e.is_token_error(), "on WeCom 40001 is a wrong secret, not a stale token");
    assert_eq!(sb.requests(GETTOKEN), 1, "no loop");
    assert_eq!(sb.requests(ACCOUNT_LIST), 0);
    let msg = CommandError::from_api(&e, Lang::ZhCn);
    assert_eq!(msg.code, "credentials");
    assert!(msg.message.contains("secret") && msg.message.contains("40001"), "{}", msg.message);
    // A business call answering 40001 is not refreshed either.
    let good = wecom_client(&sb);
    sb.set_fault(ACCOUNT_LIST, Fault::errcode(40001));
    sb.reset_request_counts();
    assert_eq!(good.account_list().await.unwrap_err().errcode(), Some(40001));
    assert_eq!(sb.requests(ACCOUNT_LIST), 1);
}

#[tokio::test]
async fn repeated_wrong_secrets_ban_the_ip_for_an_hour() {
    let sb = wecom().await;
    let url = |secret: &str| format!("{}{GETTOKEN}?corpid={}&corpsecret={secret}", sb.base_url(), sb.corp_id());
    for _ in 0..5 {
        assert_eq!(answer(reqwest::Client::new().get(url("nope"))).await["errcode"], 40001);
    }
    assert_eq!(
        answer(reqwest::Client::new().get(url(&sb.secret()))).await["errcode"],
        45009,
        "even the right secret, for an hour"
    );
    sb.world().clock_offset += 3601;
    assert_eq!(answer(reqwest::Client::new().get(url(&sb.secret()))).await["errcode"], 0);
}

#[tokio::test]
async fn token_rules_and_wecom_errmsg_shape_at_the_sandbox() {
    let sb = wecom().await;
    let base = sb.base_url();
    let get = |u: String| async move { answer(reqwest::Client::new().get(u)).await };
    assert_eq!(get(format!("{base}{GETTOKEN}?corpsecret=x")).await["errcode"], 41002);
    assert_eq!(get(format!("{base}{GETTOKEN}?corpid={}", sb.corp_id())).await["errcode"], 41004);
    assert_eq!(get(format!("{base}{GETTOKEN}?corpid=ww0000000000000000&corpsecret=x")).await["errcode"], 40013);
    // The token only counts in the query: in the body it is missing (41001).
    let token = wecom_token(&sb).await;
    let v = answer(
        reqwest::Client::new().post(format!("{base}{ACCOUNT_LIST}")).body(json!({"access_token": token}).to_string()),
    )
    .await;
    assert_eq!(v["errcode"], 41001);
    let m = v["errmsg"].as_str().unwrap();
    assert!(m.contains(", hint: [") && m.contains("from ip: 127.0.0.1") && m.ends_with("?e=41001"), "{m}");
    assert_eq!(get(format!("{base}{ACCOUNT_LIST}?access_token=bogus")).await["errcode"], 40014);
    // A GET on a POST endpoint arrives without a body: 40058.
    assert_eq!(wecom_raw(&sb, "GET", ADD, None).await["errcode"], 40058);
}

#[tokio::test]
async fn untrusted_ip_names_the_ip_in_the_explanation() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    sb.world().flags.ip_untrusted = true;
    let e = c.account_list().await.unwrap_err();
    assert_eq!(e.errcode(), Some(60020));
    let en = CommandError::from_api(&e, Lang::En);
    assert_eq!(en.code, "ip_not_whitelisted");
    assert!(
        en.message.contains("127.0.0.1 is not a trusted IP") && en.message.contains("企业可信IP"),
        "{}",
        en.message
    );
}

#[tokio::test]
async fn media_upload_follows_wecom_rules() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let up = c.upload_media(MediaKind::Image, "a.png", "image/png", png(8, 8).into()).await.unwrap();
    assert!(!up.media_id.is_empty());
    assert!(up.created_at.parse::<i64>().is_ok(), "created_at arrives as a string of seconds");
    let text = bytes::Bytes::from_static(b"not a picture at all");
    assert_eq!(
        c.upload_media(MediaKind::Image, "a.png", "image/png", text.clone()).await.unwrap_err().errcode(),
        Some(40004)
    );
    assert_eq!(
        c.upload_media(MediaKind::Image, "a.png", "image/png", bytes::Bytes::from_static(b"\x89PNG"))
            .await
            .unwrap_err()
            .errcode(),
        Some(40006)
    );
    assert_eq!(c.upload_media(MediaKind::File, "a.txt", "text/plain", text).await.map(|_| ()), Ok(()));
    let big = bytes::Bytes::from(vec![0xFFu8; 10 * 1024 * 1024 + 1]);
    assert_eq!(c.upload_media(MediaKind::Image, "a.jpg", "image/jpeg", big).await.unwrap_err().errcode(), Some(40009));
    // A wrong type parameter (raw, as the client never sends one).
    let token = wecom_token(&sb).await;
    let form =
        reqwest::multipart::Form::new().part("media", reqwest::multipart::Part::bytes(png(8, 8)).file_name("a.png"));
    let v = answer(
        reqwest::Client::new()
            .post(format!("{}{UPLOAD}?access_token={token}&type=sticker", sb.base_url()))
            .multipart(form),
    )
    .await;
    assert_eq!(v["errcode"], 40005);
}

#[tokio::test]
async fn accounts_are_added_renamed_given_avatars_and_deleted() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let before = c.account_list().await.unwrap();
    assert_eq!(before.len(), sb.world().accounts.len());
    assert!(before.iter().any(|a| a.manage_privilege == Some(false)), "the demo has a read-only account");
    let media = upload_png(&c).await;
    let id = c.add_account("新品咨询", &media).await.unwrap();
    let listed = c.account_list().await.unwrap();
    let a = listed.iter().find(|a| a.open_kfid == id).expect("listed");
    assert_eq!((a.name.as_str(), a.manage_privilege), ("新品咨询", Some(true)));
    let avatar_before = a.avatar.clone();
    // Rename only: the avatar stays.
    c.update_account(&id, Some("新品咨询台"), None).await.unwrap();
    let a = c.account_list().await.unwrap().into_iter().find(|a| a.open_kfid == id).unwrap();
    assert_eq!((a.name.as_str(), a.avatar.as_str()), ("新品咨询台", avatar_before.as_str()));
    // A new avatar: a new URL that serves the new picture.
    let media2 = c.upload_media(MediaKind::Image, "b.png", "image/png", png(32, 16).into()).await.unwrap().media_id;
    c.update_account(&id, None, Some(&media2)).await.unwrap();
    let a = c.account_list().await.unwrap().into_iter().find(|a| a.open_kfid == id).unwrap();
    assert_ne!(a.avatar, avatar_before);
    let served = reqwest::get(&a.avatar).await.unwrap().bytes().await.unwrap();
    assert_eq!(served.as_ref(), png(32, 16).as_slice());
    c.delete_account(&id).await.unwrap();
    assert!(!c.account_list().await.unwrap().iter().any(|a| a.open_kfid == id));
    assert_eq!(c.delete_account(&id).await.unwrap_err().errcode(), Some(95004));
}

#[tokio::test]
async fn account_rules_name_avatar_limits_and_privileges() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let media = upload_png(&c).await;
    assert_eq!(
        c.add_account("一二三四五六七八九十一二三四五六七", &media).await.unwrap_err().errcode(),
        Some(95006),
        "17 characters"
    );
    assert!(c.add_account("一二三四五六七八九十一二三四五六", &media).await.is_ok(), "16 characters");
    assert_eq!(c.add_account("x", "").await.unwrap_err().errcode(), Some(41006));
    assert_eq!(c.add_account("x", "no-such-media").await.unwrap_err().errcode(), Some(40007));
    // media_id lasts 3 days.
    let old = upload_png(&c).await;
    sb.world().clock_offset += 3 * 86_400;
    assert_eq!(c.add_account("x", &old).await.unwrap_err().errcode(), Some(40007));
    // The account this app may not manage is read-only (its link still works).
    let ro = sb.world().accounts.iter().find(|a| !a.manageable).unwrap().open_kfid.clone();
    assert_eq!(c.update_account(&ro, Some("改名"), None).await.unwrap_err().errcode(), Some(48002));
    assert_eq!(c.delete_account(&ro).await.unwrap_err().errcode(), Some(48002));
    assert!(c.contact_link(&ro, "").await.is_ok());
    assert_eq!(c.update_account("", Some("x"), None).await.unwrap_err().errcode(), Some(40058), "empty open_kfid");
    assert_eq!(c.update_account("wkNoSuchAccount", Some("x"), None).await.unwrap_err().errcode(), Some(95004));
}

#[tokio::test]
async fn an_unverified_corp_gets_ten_accounts_and_one_is_always_kept() {
    let sb = wecom_with(WecomConfig { verified: false, ..WecomConfig::default() }).await;
    let c = wecom_client(&sb);
    let media = upload_png(&c).await;
    let existing = c.account_list().await.unwrap().len();
    for i in existing..10 {
        c.add_account(&format!("帐号{i}"), &media).await.unwrap();
    }
    let e = c.add_account("第十一个", &media).await.unwrap_err();
    assert_eq!(e.errcode(), Some(95027));
    assert!(CommandError::from_api(&e, Lang::ZhCn).message.contains("企业未认证"));
    // Deleting down to one: the last cannot go (95005).
    sb.world().accounts.iter_mut().for_each(|a| a.manageable = true);
    let all = c.account_list().await.unwrap();
    for a in &all[1..] {
        c.delete_account(&a.open_kfid).await.unwrap();
    }
    assert_eq!(c.delete_account(&all[0].open_kfid).await.unwrap_err().errcode(), Some(95005));
}

#[tokio::test]
async fn the_list_is_paged_to_the_end_and_the_legacy_get_still_answers() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let media = upload_png(&c).await;
    let start = c.account_list().await.unwrap().len();
    for i in start..250 {
        c.add_account(&format!("门店{i}"), &media).await.unwrap();
    }
    sb.reset_request_counts();
    let all = c.account_list().await.unwrap();
    assert_eq!(all.len(), 250);
    assert_eq!(sb.requests(ACCOUNT_LIST), 3, "100 + 100 + 50");
    let mut ids: Vec<_> = all.iter().map(|a| &a.open_kfid).collect();
    ids.dedup();
    assert_eq!(ids.len(), 250, "no account twice");
    // Exactly 200: the third page is empty and ends it.
    sb.world().accounts.truncate(200);
    assert_eq!(c.account_list().await.unwrap().len(), 200);
    let legacy = wecom_raw(&sb, "GET", ACCOUNT_LIST, None).await;
    assert_eq!(legacy["account_list"].as_array().unwrap().len(), 200, "body-less GET of older SDKs");
    assert_eq!(wecom_raw(&sb, "POST", ACCOUNT_LIST, Some(json!({"limit": 0}))).await["errcode"], 40058);
    assert_eq!(wecom_raw(&sb, "POST", ACCOUNT_LIST, Some(json!({"limit": 101}))).await["errcode"], 40058);
}

#[tokio::test]
async fn a_lost_answer_to_a_write_is_not_sent_again() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let media = upload_png(&c).await;
    sb.set_fault(ADD, Fault::kind(FaultKind::DropResponse).times(1));
    let before = sb.world().accounts.len();
    assert!(c.add_account("丢失的回答", &media).await.is_err());
    assert_eq!(sb.requests(ADD), 1, "never re-sent blindly");
    assert_eq!(sb.world().accounts.len(), before + 1, "WeCom did create it");
}

#[tokio::test]
async fn contact_links_carry_the_scene() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let id = sb.world().accounts[0].open_kfid.clone();
    let plain = c.contact_link(&id, "").await.unwrap();
    assert!(plain.starts_with("https://work.weixin.qq.com/kf/kfc") && !plain.contains("enc_scene"), "{plain}");
    let with = c.contact_link(&id, "store_12").await.unwrap();
    assert!(with.starts_with(&plain) && with.contains("?enc_scene=ENC"), "{with}");
    assert_ne!(c.contact_link(&id, "store_13").await.unwrap(), with, "one link per scene");
    let bad =
        wecom_raw(&sb, "POST", "/cgi-bin/kf/add_contact_way", Some(json!({"open_kfid": id, "scene": "门店"}))).await;
    assert_eq!(bad["errcode"], 40058);
    assert_eq!(c.contact_link("wkNoSuchAccount", "").await.unwrap_err().errcode(), Some(95004));
}

#[tokio::test]
async fn servicers_are_listed_with_the_list_status_encoding() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let (id, ro) = {
        let w = sb.world();
        (w.accounts[0].open_kfid.clone(), w.accounts.iter().find(|a| !a.manageable).unwrap().open_kfid.clone())
    };
    let list = c.servicer_list(&id).await.unwrap();
    let by = |u: &str| list.iter().find(|s| s.userid.as_deref() == Some(u)).cloned().unwrap();
    assert_eq!(by("ZhangWei").status, Some(0), "0 = 接待中 in the list");
    assert_eq!((by("WangFang").status, by("WangFang").stop_type), (Some(1), Some(0)), "stopped");
    assert!(list.iter().any(|s| s.department_id == Some(4) && s.userid.is_none()));
    // A servicer resumes in the WeCom app.
    let v = answer(
        reqwest::Client::new()
            .post(format!("{}/__sandbox/servicers/status", sb.base_url()))
            .json(&json!({"userid": "WangFang", "status": 0})),
    )
    .await;
    assert_eq!(v["errcode"], 0);
    assert_eq!(
        c.servicer_list(&id).await.unwrap().iter().find(|s| s.userid.as_deref() == Some("WangFang")).unwrap().status,
        Some(0)
    );
    // Without manage privilege: who, but no status.
    let ro_list = c.servicer_list(&ro).await.unwrap();
    assert!(!ro_list.is_empty() && ro_list.iter().all(|s| s.status.is_none()));
}

#[tokio::test]
async fn servicers_are_added_and_removed_in_batches_with_each_result() {
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let id = sb.world().accounts[1].open_kfid.clone();
    let mut users: Vec<String> = vec!["LiNa".into(), "ChenJing".into(), "HeXin".into()];
    users.extend((0..247).map(|i| format!("nobody{i}")));
    sb.reset_request_counts();
    let r = c.add_servicers(&id, &users, &[2, 99]).await.unwrap();
    assert_eq!(sb.requests("/cgi-bin/kf/servicer/add"), 3, "250 userids: 100 + 100 + 50");
    assert_eq!(r.len(), 252, "one result per person and department");
    let res = |u: &str| r.iter().find(|x| x.userid.as_deref() == Some(u)).cloned().unwrap();
    assert_eq!((res("LiNa").errcode, res("LiNa").errmsg.as_str()), (0, "success"));
    assert_eq!((res("ChenJing").errcode, res("ChenJing").errmsg.as_str()), (0, "ignored"), "already a servicer");
    assert_eq!(res("HeXin").errcode, 60011, "outside the app's visible range");
    assert_eq!(res("nobody7").errcode, 60111);
    let dept = |d: u64| r.iter().find(|x| x.department_id == Some(d)).cloned().unwrap();
    assert_eq!((dept(2).errcode, dept(99).errcode), (0, 60123));
    let list = c.servicer_list(&id).await.unwrap();
    assert!(
        list.iter().any(|s| s.userid.as_deref() == Some("LiNa")) && list.iter().any(|s| s.department_id == Some(2))
    );
    let r = c.remove_servicers(&id, &["LiNa".into(), "ZhouXue".into()], &[2]).await.unwrap();
    assert_eq!(r.iter().map(|x| x.errmsg.as_str()).collect::<Vec<_>>(), ["success", "ignored", "success"]);
    let list = c.servicer_list(&id).await.unwrap();
    assert!(!list.iter().any(|s| s.userid.as_deref() == Some("LiNa") || s.department_id == Some(2)));
    // At least one list; an empty request is refused before anything changes.
    assert_eq!(
        wecom_raw(&sb, "POST", "/cgi-bin/kf/servicer/add", Some(json!({"open_kfid": id}))).await["errcode"],
        40058
    );
    let ro = sb.world().accounts.iter().find(|a| !a.manageable).unwrap().open_kfid.clone();
    assert_eq!(c.add_servicers(&ro, &["LiNa".into()], &[]).await.unwrap_err().errcode(), Some(48002));
}

#[tokio::test]
async fn errors_never_carry_the_corp_secret_or_the_token() {
    let secret = "kefudesk-test-corp-secret-XYZ";
    // Nothing listens on port 9: the reqwest error would carry the URL with corpsecret=.
    let cfg = ClientConfig {
        connect_timeout: std::time::Duration::from_millis(300),
        max_read_attempts: 1,
        ..ClientConfig::new("http://127.0.0.1:9")
    };
    let c = WecomClient::new(
        cfg,
        TokenSource::WecomCorp { corpid: "ww5a9d6e0c1b2f3a47".into(), secret: Secret::new(secret) },
    )
    .unwrap();
    let e = c.account_list().await.unwrap_err();
    assert!(matches!(e, ApiError::Network { .. } | ApiError::Timeout), "{e:?}");
    for lang in [Lang::ZhCn, Lang::En] {
        let text = format!("{e} {e:?} {}", CommandError::from_api(&e, lang).message);
        assert!(!text.contains(secret), "{text}");
    }
    // And an answer that echoes the token is redacted.
    let sb = wecom().await;
    let c = wecom_client(&sb);
    let token = wecom_token(&sb).await;
    sb.set_fault(ACCOUNT_LIST, Fault::errcode(-1));
    let e = c.account_list().await.unwrap_err();
    assert_eq!(e.errcode(), Some(-1));
    assert!(!format!("{e:?}").contains(&token));
}
