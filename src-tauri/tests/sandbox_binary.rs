//! `kefu-sandbox` serves the sandbox on its own and says how to connect.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `kefu-sandbox` with `args` and reads the values of the labelled lines it prints
/// first ("  base URL      http://…", "  AppID         wx…", "  Secret        …   (demo …)").
fn launch(args: &[&str], labels: &[&'static str]) -> (Kill, std::collections::HashMap<&'static str, String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let guard = Kill(child);
    let mut fields = std::collections::HashMap::new();
    for line in out.lines().take(5) {
        let line = line.unwrap();
        for label in labels {
            if let Some(rest) = line.trim_start().strip_prefix(label) {
                fields.insert(*label, rest.split_whitespace().next().unwrap_or_default().to_string());
            }
        }
    }
    (guard, fields)
}

#[tokio::test]
async fn prints_its_address_and_demo_credentials_and_serves_wechat_calls() {
    let (_guard, fields) = launch(&["--port", "0", "--seed", "7"], &["base URL", "AppID", "AppSecret"]);
    let base = &fields["base URL"];
    let creds =
        serde_json::json!({"grant_type":"client_credential","appid":fields["AppID"],"secret":fields["AppSecret"]});
    let token =
        common::answer(reqwest::Client::new().post(format!("{base}/cgi-bin/stable_token")).body(creds.to_string()))
            .await;
    let t = token["access_token"].as_str().expect("token from the printed credentials");
    let list =
        common::answer(reqwest::Client::new().get(format!("{base}/cgi-bin/customservice/getkflist?access_token={t}")))
            .await;
    assert!(list["kf_list"].as_array().unwrap().len() >= 10);
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox")).args(["--port", "seventy"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--port") && err.contains("usage"), "{err}");
}

#[tokio::test]
async fn the_wecom_sandbox_prints_corpid_and_secret_and_serves_wecom_calls() {
    let (_guard, fields) = launch(&["--platform", "wecom", "--port", "0"], &["base URL", "CorpID", "Secret"]);
    let base = &fields["base URL"];
    let token = common::answer(
        reqwest::Client::new()
            .get(format!("{base}/cgi-bin/gettoken?corpid={}&corpsecret={}", fields["CorpID"], fields["Secret"])),
    )
    .await;
    let t = token["access_token"].as_str().expect("token from the printed credentials");
    let list = common::answer(
        reqwest::Client::new()
            .post(format!("{base}/cgi-bin/kf/account/list?access_token={t}"))
            .body(r#"{"offset":0,"limit":100}"#),
    )
    .await;
    assert!(list["account_list"].as_array().unwrap().len() >= 3, "{list}");
    let bad = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox")).args(["--platform", "qq"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test]
async fn keeps_serving_when_nobody_reads_what_it_prints() {
    // A caller that closes the pipe before reading (or after the base URL, as a script's `head`
    // does): the banner cannot be written, and the sandbox must go on serving regardless.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // (No backtrace: a sandbox that panics on the closed pipe must die at once, not while it
    // symbolises a backtrace and its server threads still answer.)
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-sandbox"))
        .args(["--port", &port.to_string()])
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut guard = Kill(child);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let info = loop {
        if let Ok(r) = http.get(format!("{base}/__sandbox/info")).send().await {
            break r.json::<serde_json::Value>().await.unwrap();
        }
        assert!(guard.0.try_wait().unwrap().is_none(), "the sandbox exited when its output could not be written");
        assert!(std::time::Instant::now() < deadline, "the sandbox did not start");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let creds =
        serde_json::json!({"grant_type": "client_credential", "appid": info["appid"], "secret": info["secret"]});
    let token = common::answer(http.post(format!("{base}/cgi-bin/stable_token")).body(creds.to_string())).await;
    assert!(token["access_token"].is_string(), "{token}");
    assert!(guard.0.try_wait().unwrap().is_none(), "still running");
}
