//! Shared set-up of the integration tests: a sandbox on a loopback port and a client of it.
#![allow(dead_code)]

use std::time::Duration;

use kefudesk_lib::sandbox::{self, SandboxConfig, SandboxHandle};
use kefudesk_lib::wechat::mp::MpClient;
use kefudesk_lib::wechat::{ClientConfig, Secret, TokenSource};
use serde_json::{json, Value};

pub const KFLIST: &str = "/cgi-bin/customservice/getkflist";
pub const STABLE: &str = "/cgi-bin/stable_token";

pub async fn sandbox() -> SandboxHandle {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(cfg: SandboxConfig) -> SandboxHandle {
    sandbox::start(cfg, 0).await.expect("sandbox starts")
}

/// Fast retries and a short timeout so fault tests finish quickly.
pub fn config(sb: &SandboxHandle) -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_millis(1500),
        connect_timeout: Duration::from_millis(500),
        backoff_base: Duration::from_millis(5),
        ..ClientConfig::new(sb.base_url())
    }
}

pub fn client(sb: &SandboxHandle) -> MpClient {
    MpClient::new(config(sb), source(sb)).expect("client")
}

pub fn source(sb: &SandboxHandle) -> TokenSource {
    TokenSource::MpStable { appid: sb.appid(), secret: Secret::new(sb.secret()) }
}

/// A raw HTTP call to the sandbox, as any other WeChat client would make it.
pub async fn raw(sb: &SandboxHandle, method: &str, path_and_query: &str, body: Option<Value>) -> Value {
    let http = reqwest::Client::new();
    let url = format!("{}{}", sb.base_url(), path_and_query);
    let req = match method {
        "GET" => http.get(url),
        _ => http.post(url),
    };
    answer(match body {
        Some(b) => req.body(b.to_string()),
        None => req,
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
pub async fn token(sb: &SandboxHandle) -> String {
    let v = raw(
        sb,
        "POST",
        STABLE,
        Some(json!({"grant_type":"client_credential","appid":sb.appid(),"secret":sb.secret()})),
    )
    .await;
    v["access_token"].as_str().expect("token").to_string()
}
