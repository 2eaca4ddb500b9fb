//! The sandbox's token endpoints behave like WeChat's (reference mp §2.1–2.2, §8.1).

mod common;

use common::*;
use serde_json::json;

fn creds(sb: &kefudesk_lib::sandbox::mp::MpSandboxHandle) -> String {
    format!("/cgi-bin/token?grant_type=client_credential&appid={}&secret={}", sb.appid(), sb.secret())
}

#[tokio::test]
async fn cgi_token_issues_a_new_token_each_call_and_the_old_one_lives_five_minutes() {
    let sb = sandbox().await;
    let first = raw(&sb, "GET", &creds(&sb), None).await;
    let second = raw(&sb, "GET", &creds(&sb), None).await;
    assert_eq!(first["expires_in"], 7200);
    let (t1, t2) = (first["access_token"].as_str().unwrap(), second["access_token"].as_str().unwrap());
    assert_ne!(t1, t2);
    let list = |t: &str| format!("{KFLIST}?access_token={t}");
    assert!(raw(&sb, "GET", &list(t1), None).await["kf_list"].is_array(), "old token still works at first");
    sb.world().clock_offset += 301;
    assert_eq!(raw(&sb, "GET", &list(t1), None).await["errcode"], 40001, "then it is stale");
    assert!(raw(&sb, "GET", &list(t2), None).await["kf_list"].is_array());
}

#[tokio::test]
async fn stable_token_is_the_same_while_valid_and_isolated_from_cgi_token() {
    let sb = sandbox().await;
    let a = token(&sb).await;
    raw(&sb, "GET", &creds(&sb), None).await; // a /cgi-bin/token call must not touch it
    assert_eq!(token(&sb).await, a);
    // Inside its last 5 minutes a new one is returned, and the old keeps working until expiry.
    sb.world().clock_offset += 7200 - 200;
    let b = token(&sb).await;
    assert_ne!(a, b);
    assert!(raw(&sb, "GET", &format!("{KFLIST}?access_token={a}"), None).await["kf_list"].is_array());
    sb.world().clock_offset += 201;
    assert_eq!(raw(&sb, "GET", &format!("{KFLIST}?access_token={a}"), None).await["errcode"], 42001);
}

#[tokio::test]
async fn force_refresh_replaces_at_once_but_not_twice_within_30_seconds() {
    let sb = sandbox().await;
    let a = token(&sb).await;
    let body = json!({"grant_type":"client_credential","appid":sb.appid(),"secret":sb.secret(),"force_refresh":true});
    let b = raw(&sb, "POST", STABLE, Some(body.clone())).await["access_token"].as_str().unwrap().to_string();
    assert_ne!(a, b);
    assert_eq!(raw(&sb, "GET", &format!("{KFLIST}?access_token={a}"), None).await["errcode"], 40001);
    let c = raw(&sb, "POST", STABLE, Some(body.clone())).await["access_token"].as_str().unwrap().to_string();
    assert_eq!(b, c, "within 30 s a forced refresh does nothing");
    for _ in 0..19 {
        sb.world().clock_offset += 31;
        raw(&sb, "POST", STABLE, Some(body.clone())).await;
    }
    sb.world().clock_offset += 31;
    assert_eq!(raw(&sb, "POST", STABLE, Some(body)).await["errcode"], 45009, "20 forced refreshes a day");
}

#[tokio::test]
async fn credential_and_token_errors() {
    let sb = sandbox().await;
    let stable = |appid: &str, secret: &str| json!({"grant_type":"client_credential","appid":appid,"secret":secret});
    assert_eq!(raw(&sb, "POST", STABLE, Some(stable("wx0000000000000000", &sb.secret()))).await["errcode"], 40013);
    assert_eq!(raw(&sb, "POST", STABLE, Some(stable(&sb.appid(), "wrong"))).await["errcode"], 40125);
    assert_eq!(raw(&sb, "POST", STABLE, Some(stable(&sb.appid(), ""))).await["errcode"], 41004);
    assert_eq!(raw(&sb, "GET", "/cgi-bin/token?grant_type=password", None).await["errcode"], 40002);
    assert_eq!(raw(&sb, "GET", KFLIST, None).await["errcode"], 41001);
    assert_eq!(raw(&sb, "GET", &format!("{KFLIST}?access_token=%3Cscript%3E"), None).await["errcode"], 40014);
    assert_eq!(
        raw(&sb, "GET", &format!("{KFLIST}?access_token=ABCDEFGHIJKLMNOPQRSTUVWXYZ"), None).await["errcode"],
        40001
    );
    sb.world().flags.ip_not_whitelisted = true;
    let v = raw(&sb, "POST", STABLE, Some(stable(&sb.appid(), &sb.secret()))).await;
    assert_eq!(v["errcode"], 40164);
    assert!(v["errmsg"]
        .as_str()
        .unwrap()
        .starts_with("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: "));
}

#[tokio::test]
async fn paths_and_methods_are_wechats() {
    let sb = sandbox().await;
    let t = token(&sb).await;
    // The /cgi-bin prefix where WeChat has none (and vice versa) is 40066, as SDKs learnt.
    for wrong in ["/cgi-bin/customservice/kfaccount/add", "/customservice/getkflist", "/customservice/kfaccount/delete"]
    {
        let v = raw(&sb, "POST", &format!("{wrong}?access_token={t}"), Some(json!({}))).await;
        assert_eq!(v["errcode"], 40066, "{wrong}");
        assert!(v["errmsg"].as_str().unwrap().contains(" rid: "), "errmsg carries a rid like WeChat's");
    }
    let v = raw(&sb, "GET", &format!("/customservice/kfaccount/add?access_token={t}"), None).await;
    assert_eq!(v["errcode"], 43002);
    let v = raw(&sb, "POST", &format!("/customservice/kfaccount/add?access_token={t}"), None).await;
    assert_eq!(v["errcode"], 44002);
    let url = format!("{}/customservice/kfaccount/add?access_token={t}", sb.base_url());
    let v = answer(reqwest::Client::new().post(url).body("{\"kf_account\":")).await;
    assert_eq!(v["errcode"], 47001);
}

#[tokio::test]
async fn switches_make_the_account_answer_65400_and_48001() {
    let sb = sandbox().await;
    let t = token(&sb).await;
    sb.world().flags.kf_disabled = true;
    assert_eq!(raw(&sb, "GET", &format!("{KFLIST}?access_token={t}"), None).await["errcode"], 65400);
    sb.world().flags.kf_disabled = false;
    sb.world().flags.unverified = true;
    assert_eq!(raw(&sb, "GET", &format!("{KFLIST}?access_token={t}"), None).await["errcode"], 48001);
}
