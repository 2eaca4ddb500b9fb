//! Shared set-up of the integration tests: a sandbox on a loopback port and a client of it.
#![allow(dead_code)]

use std::time::Duration;

#[allow(unused_imports)] // not every test file injects faults
pub use kefudesk_lib::sandbox::FaultInjection;
use kefudesk_lib::sandbox::{
    self,
    mp::{MpConfig, MpSandboxHandle},
};
use kefudesk_lib::wechat::mp::MpClient;
use kefudesk_lib::wechat::{ClientConfig, Secret, TokenSource};
use serde_json::{json, Value};

pub const KFLIST: &str = "/cgi-bin/customservice/getkflist";
pub const STABLE: &str = "/cgi-bin/stable_token";

pub async fn sandbox() -> MpSandboxHandle {
    sandbox_with(MpConfig::default()).await
}

pub async fn sandbox_with(cfg: MpConfig) -> MpSandboxHandle {
    sandbox::mp::start(cfg, 0).await.expect("sandbox starts")
}

/// Fast retries and a short timeout so fault tests finish quickly.
pub fn fast_config(base_url: String) -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_millis(1500),
        connect_timeout: Duration::from_millis(500),
        backoff_base: Duration::from_millis(5),
        ..ClientConfig::new(base_url)
    }
}

pub fn config(sb: &MpSandboxHandle) -> ClientConfig {
    fast_config(sb.base_url())
}

pub fn client(sb: &MpSandboxHandle) -> MpClient {
    MpClient::new(config(sb), source(sb)).expect("client")
}

pub fn source(sb: &MpSandboxHandle) -> TokenSource {
    TokenSource::MpStable { appid: sb.appid(), secret: Secret::new(sb.secret()) }
}

/// A raw HTTP call to the sandbox, as any other WeChat client would make it.
pub async fn raw(sb: &MpSandboxHandle, method: &str, path_and_query: &str, body: Option<Value>) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}{}", sb.base_url(), path_and_query);
    let req = match method {
        "GET" => http.get(url),
        _ => http.post(url),
    };
    answer(match body {
        Some(b) => req.json(&b),
        // An empty body (WeChat's 44002), typed like any control call's.
        None => req.header(reqwest::header::CONTENT_TYPE, "application/json"),
    })
    .await
}

/// Sends a prepared request and reads WeChat's answer (errors come as HTTP 200 + JSON).
pub async fn answer(req: reqwest::RequestBuilder) -> Value {
    let resp = req.send().await.expect("sandbox answers");
    assert_eq!(resp.status(), 200, "WeChat answers errors with HTTP 200");
    resp.json().await.expect("JSON")
}

/// A stable token fetched directly (the same one the client gets while it is valid).
pub async fn token(sb: &MpSandboxHandle) -> String {
    let v = raw(
        sb,
        "POST",
        STABLE,
        Some(json!({"grant_type":"client_credential","appid":sb.appid(),"secret":sb.secret()})),
    )
    .await;
    v["access_token"].as_str().expect("token").to_string()
}

// ---------- WeCom ----------

use kefudesk_lib::sandbox::wecom::{self as wecom_sandbox, WecomConfig, WecomSandboxHandle};
use kefudesk_lib::wechat::wecom::WecomClient;

pub const GETTOKEN: &str = "/cgi-bin/gettoken";
pub const ACCOUNT_LIST: &str = "/cgi-bin/kf/account/list";

pub async fn wecom() -> WecomSandboxHandle {
    wecom_with(WecomConfig::default()).await
}

pub async fn wecom_with(cfg: WecomConfig) -> WecomSandboxHandle {
    wecom_sandbox::start(cfg, 0).await.expect("WeCom sandbox starts")
}

pub fn wecom_config(sb: &WecomSandboxHandle) -> ClientConfig {
    fast_config(sb.base_url())
}

pub fn wecom_source(sb: &WecomSandboxHandle) -> TokenSource {
    TokenSource::WecomCorp { corpid: sb.corp_id(), secret: Secret::new(sb.secret()) }
}

pub fn wecom_client(sb: &WecomSandboxHandle) -> WecomClient {
    WecomClient::new(wecom_config(sb), wecom_source(sb)).expect("client")
}

/// A token fetched directly, as any WeCom client would.
pub async fn wecom_token(sb: &WecomSandboxHandle) -> String {
    let v = answer(reqwest::Client::new().get(format!(
        "{}{GETTOKEN}?corpid={}&corpsecret={}",
        sb.base_url(),
        sb.corp_id(),
        sb.secret()
    )))
    .await;
    v["access_token"].as_str().expect("token").to_string()
}

/// A raw call to the WeCom sandbox with a fresh token in the query.
pub async fn wecom_raw(sb: &WecomSandboxHandle, method: &str, path: &str, body: Option<Value>) -> Value {
    let token = wecom_token(sb).await;
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = format!("{}{path}{sep}access_token={token}", sb.base_url());
    let http = reqwest::Client::new();
    let req = match method {
        "GET" => http.get(url),
        _ => http.post(url),
    };
    answer(match body {
        Some(b) => req.json(&b),
        // An empty body (WeChat's 44002), typed like any control call's.
        None => req.header(reqwest::header::CONTENT_TYPE, "application/json"),
    })
    .await
}

/// A small PNG, as a picture a user might choose.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
