//! The MP client against the sandbox: customer-service accounts (reference mp §3).

mod common;

use common::*;
use kefudesk_lib::wechat::ApiError;
use serde_json::json;

fn code(r: Result<(), ApiError>) -> i64 {
    r.expect_err("WeChat should refuse").errcode().expect("a WeChat errcode")
}

#[tokio::test]
async fn lists_agents_with_numeric_ids_bindings_invites_and_load() {
    let sb = sandbox().await;
    let c = client(&sb);
    let list = c.kf_list().await.unwrap();
    let online = c.online_kf_list().await.unwrap();
    let w = sb.world();
    assert_eq!(list.len(), w.agents.len());
    for (a, wa) in list.iter().zip(&w.agents) {
        assert_eq!(a.kf_account, wa.account);
        assert_eq!(a.kf_nick, wa.nick);
        assert_eq!(a.kf_id, wa.kf_id.to_string(), "numeric kf_id read as a string");
        assert_eq!(a.kf_wx, wa.kf_wx);
    }
    assert!(list.iter().any(|a| a.invite_status.as_deref() == Some("waiting") && a.invite_expire_time > w.now()));
    assert!(list.iter().any(|a| a.invite_status.as_deref() == Some("expired")));
    assert_eq!(online.len(), w.agents.iter().filter(|a| a.status > 0).count());
    for o in &online {
        assert_eq!(o.accepted_case as usize, w.sessions_of(&o.kf_account));
        assert!(o.status >= 1 && o.status <= 3);
    }
}

#[tokio::test]
async fn add_update_delete_with_wechats_rules() {
    let sb = sandbox().await;
    let c = client(&sb);
    let oa = sb.oa_wechat_id();
    let acct = format!("new_1@{oa}");
    c.add_kf(&acct, "新客服").await.unwrap();
    assert!(c
        .kf_list()
        .await
        .unwrap()
        .iter()
        .any(|a| a.kf_account == acct && a.kf_nick == "新客服" && a.kf_headimgurl.is_empty()));
    assert_eq!(code(c.add_kf(&acct, "again").await), 65406);
    assert_eq!(code(c.add_kf(&format!("toolongprefix@{oa}"), "x").await), 65404);
    assert_eq!(code(c.add_kf(&format!("bad-char@{oa}"), "x").await), 65404);
    assert_eq!(code(c.add_kf("ok@some_other_oa", "x").await), 65404, "suffix must be this account's WeChat ID");
    assert_eq!(
        code(c.add_kf(&format!("nick@{oa}"), "一二三四五六七八九十一二三四五六七").await),
        65403,
        "17 characters"
    );
    c.add_kf(&format!("nick16@{oa}"), "一二三四五六七八九十一二三四五六").await.unwrap();
    c.update_kf(&acct, "改名了").await.unwrap();
    assert!(c.kf_list().await.unwrap().iter().any(|a| a.kf_account == acct && a.kf_nick == "改名了"));
    assert_eq!(code(c.update_kf(&format!("ghost@{oa}"), "x").await), 65401);
    c.delete_kf(&acct).await.unwrap();
    assert!(!c.kf_list().await.unwrap().iter().any(|a| a.kf_account == acct));
    assert_eq!(code(c.delete_kf(&acct).await), 65401);
}

#[tokio::test]
async fn the_hundredth_agent_is_the_last() {
    let sb = sandbox().await;
    let c = client(&sb);
    let oa = sb.oa_wechat_id();
    let have = c.kf_list().await.unwrap().len();
    for i in have..100 {
        c.add_kf(&format!("a{i}@{oa}"), "批量").await.unwrap();
    }
    assert_eq!(code(c.add_kf(&format!("one_more@{oa}"), "x").await), 65405);
}

#[tokio::test]
async fn delete_accepts_all_three_shapes_seen_in_sdks() {
    let sb = sandbox().await;
    let c = client(&sb);
    let oa = sb.oa_wechat_id();
    for p in ["dela", "delb", "delc"] {
        c.add_kf(&format!("{p}@{oa}"), p).await.unwrap();
    }
    let t = token(&sb).await;
    let a = raw(
        &sb,
        "POST",
        &format!("/customservice/kfaccount/del?access_token={t}"),
        Some(json!({"kf_account": format!("dela@{oa}")})),
    )
    .await;
    // GET with a raw `@` in the query, and POST `[]` with a %40-encoded one.
    let b = raw(&sb, "GET", &format!("/customservice/kfaccount/del?access_token={t}&kf_account=delb@{oa}"), None).await;
    let cc = raw(
        &sb,
        "POST",
        &format!("/customservice/kfaccount/del?access_token={t}&kf_account=delc%40{oa}"),
        Some(json!([])),
    )
    .await;
    for v in [a, b, cc] {
        assert_eq!(v, json!({"errcode":0,"errmsg":"ok"}));
    }
    assert!(!c.kf_list().await.unwrap().iter().any(|a| a.kf_account.starts_with("del")));
}

fn jpeg(w: u32, h: u32) -> bytes::Bytes {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out.into()
}

#[tokio::test]
async fn avatar_upload_is_served_back_and_bad_files_are_refused() {
    let sb = sandbox().await;
    let c = client(&sb);
    let acct = format!("pic@{}", sb.oa_wechat_id());
    c.add_kf(&acct, "头像").await.unwrap();
    let pic = jpeg(640, 640);
    c.upload_head_img(&acct, pic.clone()).await.unwrap();
    let url = c.kf_list().await.unwrap().into_iter().find(|a| a.kf_account == acct).unwrap().kf_headimgurl;
    assert!(url.starts_with(&sb.base_url()), "{url}");
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.bytes().await.unwrap(), pic);

    let png = bytes::Bytes::from_static(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(code(c.upload_head_img(&acct, png).await), 40005);
    let mut big = pic.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    assert_eq!(code(c.upload_head_img(&acct, big.into()).await), 40009);
    assert_eq!(code(c.upload_head_img(&format!("ghost@{}", sb.oa_wechat_id()), pic.clone()).await), 65401);

    // A part without a .jpg filename is refused like WeChat does (easywechat #1931).
    let t = token(&sb).await;
    let form = reqwest::multipart::Form::new().part(
        "media",
        reqwest::multipart::Part::bytes(pic.to_vec()).file_name("phpsNnmJN").mime_str("image/jpeg").unwrap(),
    );
    let url = format!("{}/customservice/kfaccount/uploadheadimg?access_token={t}&kf_account={acct}", sb.base_url());
    let v = answer(reqwest::Client::new().post(url).multipart(form)).await;
    assert_eq!(v["errcode"], 40005);
}

#[tokio::test]
async fn invite_rules_65407_to_65412() {
    let sb = sandbox().await;
    let c = client(&sb);
    let oa = sb.oa_wechat_id();
    let (a, b) = (format!("inv_a@{oa}"), format!("inv_b@{oa}"));
    c.add_kf(&a, "甲").await.unwrap();
    c.add_kf(&b, "乙").await.unwrap();
    assert_eq!(code(c.invite_worker(&a, "1bad").await), 65409, "a WeChat ID starts with a letter");
    c.invite_worker(&a, "new_worker_7").await.unwrap();
    let listed = c.kf_list().await.unwrap().into_iter().find(|x| x.kf_account == a).unwrap();
    assert_eq!((listed.invite_wx.as_deref(), listed.invite_status.as_deref()), (Some("new_worker_7"), Some("waiting")));
    assert_eq!(code(c.invite_worker(&a, "someone_else").await), 65411, "invite pending");
    assert_eq!(code(c.invite_worker(&b, "new_worker_7").await), 65408, "already invited by this account");
    assert_eq!(code(c.invite_worker(&b, "busy_worker01").await), 65410, "worker at 5 bindings");
    let bound_wx = sb.world().agents[0].kf_wx.clone().unwrap();
    assert_eq!(code(c.invite_worker(&b, &bound_wx).await), 65407, "already one of our workers");

    // The worker accepts on their phone (sandbox control endpoint), then the account is bound.
    let v = raw(&sb, "POST", "/__sandbox/invites/respond", Some(json!({"kf_account": a, "accept": true}))).await;
    assert_eq!(v["errcode"], 0);
    let listed = c.kf_list().await.unwrap().into_iter().find(|x| x.kf_account == a).unwrap();
    assert_eq!(listed.kf_wx.as_deref(), Some("new_worker_7"));
    assert_eq!(listed.invite_status, None);
    assert_eq!(code(c.invite_worker(&a, "another_one").await), 65412);

    // An invite expires after its TTL and can then be renewed.
    c.invite_worker(&b, "late_worker").await.unwrap();
    let ttl = sb.world().cfg.invite_ttl_secs;
    sb.world().clock_offset += ttl + 1;
    // (the token expired too: the client gets 42001, refreshes and retries transparently)
    let listed = c.kf_list().await.unwrap().into_iter().find(|x| x.kf_account == b).unwrap();
    assert_eq!(listed.invite_status.as_deref(), Some("expired"));
    c.invite_worker(&b, "late_worker").await.unwrap();
}
