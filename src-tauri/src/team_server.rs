//! Signing in to KefuDesk Server, the team's always-on half. The server answers who signed in
//! and the corps they may use; each becomes a WeCom profile whose API address and relays are
//! the server's gateway (`/gateway/wecom/{corp}`), with the session token as the relay
//! credential — kept in the keyring like any secret. From then on the pages work as with any
//! WeCom profile: the profile decides whether they talk to WeChat or to the server.
//! The server's API: `POST /api/v1/login`, `GET /api/v1/wecom/accounts`, `POST /api/v1/logout`.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::{Account, Profile, ServerLink, TokenMode};
use crate::error::Fault;
use crate::sentences::S;
use crate::wechat::http::is_secure_url;
use crate::wechat::Secret;

/// The longest a sign-in waits for the server.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Who signed in, with the session token and the corps they may use.
pub struct SignedIn {
    pub token: Secret,
    pub login: String,
    pub staff_name: String,
    pub role: String,
    /// (the corp's number on the server, its CorpID)
    pub corps: Vec<(i64, String)>,
}

#[derive(Deserialize)]
struct Staff {
    login: String,
    name: String,
    role: String,
}

/// The address as typed, without a trailing `/`; refused unless https (or this computer).
pub fn clean_address(address: &str) -> Result<String, Fault> {
    let a = address.trim().trim_end_matches('/').to_string();
    if a.is_empty() {
        return Err(Fault::invalid(S::EnterServerAddress));
    }
    if url::Url::parse(&a).is_err() || !is_secure_url(&a) {
        return Err(Fault::invalid(S::ServerNotHttps));
    }
    Ok(a)
}

fn http() -> Result<reqwest::Client, Fault> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Fault::internal(e.to_string()))
}

/// The server's refusal in words: its `code` (and how long to wait), or the HTTP status.
fn refusal(status: reqwest::StatusCode, body: &Value) -> Fault {
    match body["code"].as_str() {
        Some("wrong_password") => Fault::invalid(S::ServerWrongPassword),
        Some("too_many_tries") => {
            let minutes = body["retry_after"].as_u64().unwrap_or(60).div_ceil(60);
            Fault::other_with("server_too_many_tries", S::ServerTooManyTries, [("minutes", minutes.to_string())])
        }
        _ => Fault::other_with("server_refused", S::ServerRefused, [("status", status.as_u16().to_string())]),
    }
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&Secret>,
    body: Option<Value>,
) -> Result<Value, Fault> {
    let mut r = http.request(method, url);
    if let Some(t) = token {
        r = r.bearer_auth(t.expose());
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    // The reason reqwest gives names the address, never the password or token sent.
    let res = r.send().await.map_err(|e| {
        Fault::other_with("server_unreachable", S::ServerUnreachable, [("why", e.without_url().to_string())])
    })?;
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(refusal(status, &body));
    }
    Ok(body)
}

/// Signs in to the server at `address` as `login` from this computer.
pub async fn sign_in(address: &str, login: &str, password: &str) -> Result<(String, SignedIn), Fault> {
    let address = clean_address(address)?;
    if login.trim().is_empty() || password.is_empty() {
        return Err(Fault::invalid(S::EnterLoginAndPassword));
    }
    let http = http()?;
    let desktop = gethostname::gethostname().to_string_lossy().chars().take(64).collect::<String>();
    let body = json!({"login": login.trim(), "password": password, "desktop": desktop});
    let answer = call(&http, reqwest::Method::POST, &format!("{address}/api/v1/login"), None, Some(body)).await?;
    let token = Secret::new(answer["token"].as_str().unwrap_or_default());
    let staff: Staff = serde_json::from_value(answer["staff"].clone())
        .map_err(|_| Fault::other_with("server_refused", S::ServerRefused, [("status", "200".into())]))?;
    let accounts =
        call(&http, reqwest::Method::GET, &format!("{address}/api/v1/wecom/accounts"), Some(&token), None).await?;
    let corps = accounts["corps"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|c| Some((c["corp"].as_i64()?, c["corp_id"].as_str()?.to_string())))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok((address, SignedIn { token, login: staff.login, staff_name: staff.name, role: staff.role, corps }))
}

/// Ends the session on the server (best effort: a server that is away forgets it when an
/// admin ends the staff member's sessions, or after 30 days unused).
pub async fn sign_out(address: &str, token: &Secret) {
    if let Ok(http) = http() {
        let _ =
            call(&http, reqwest::Method::POST, &format!("{address}/api/v1/logout"), Some(token), Some(json!({}))).await;
    }
}

/// A stable id for the profile of `corp` on the server at `address` (FNV-1a of the address):
/// signing in again updates the same profile.
pub fn profile_id(address: &str, corp: i64) -> String {
    let hash = address.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("srv{hash:016x}c{corp}")
}

/// The profile through which `signed` works with `corp` on the server at `address`.
pub fn profile_for(address: &str, signed: &SignedIn, corp: i64, corp_id: &str) -> Profile {
    let gateway = format!("{address}/gateway/wecom/{corp}");
    let host = url::Url::parse(address)
        .ok()
        .and_then(|u| u.host_str().map(|h| u.port().map_or(h.to_string(), |p| format!("{h}:{p}"))))
        .unwrap_or_else(|| address.to_string());
    Profile {
        id: profile_id(address, corp),
        name: format!("{host} · {corp_id}").chars().take(40).collect(),
        account: Account::Wecom { corp_id: corp_id.to_string(), callback_relay: Some(format!("{gateway}/callbacks")) },
        token: TokenMode::Relay { url: format!("{gateway}/token") },
        api_base: Some(gateway),
        proxy: None,
        server: Some(ServerLink {
            address: address.to_string(),
            corp,
            login: signed.login.clone(),
            staff_name: signed.staff_name.clone(),
            role: signed.role.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_https_or_this_computer() {
        assert_eq!(clean_address(" https://kefu.shop.cn/ ").unwrap(), "https://kefu.shop.cn");
        assert_eq!(clean_address("http://127.0.0.1:8700").unwrap(), "http://127.0.0.1:8700");
        assert!(matches!(clean_address("http://kefu.shop.cn"), Err(Fault::Invalid { s: S::ServerNotHttps, .. })));
        assert!(matches!(clean_address(""), Err(Fault::Invalid { s: S::EnterServerAddress, .. })));
        assert_eq!(profile_id("https://a.cn", 1), profile_id("https://a.cn", 1));
        assert_ne!(profile_id("https://a.cn", 1), profile_id("https://b.cn", 1));
    }
}
