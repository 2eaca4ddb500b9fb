//! Wiring the sandboxes to a server, for `make server`, the desktop's tests and the E2E
//! tests (feature `demo`): the WeCom sandbox's corp and the MP sandbox's account connected with a
//! Token and key, each sandbox told to call the server (it checks the URL as WeChat does), and
//! staff added with the accounts they may use.

use serde_json::{json, Value};

use crate::mp::{self, ConnectMp};
use crate::staff::{self, Role, Staff};
use crate::wecom::{connect, ConnectWecom};
use crate::ServerHandle;

/// The callback Token and EncodingAESKey the sandbox is given.
pub const CALLBACK_TOKEN: &str = "kefudeskDemoToken";
pub const ENCODING_AES_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

/// Connects the corp of the WeCom sandbox at `base` and sets its callback URL to the server;
/// the corp's number on the server.
pub async fn connect_wecom_sandbox(
    server: &ServerHandle,
    base: &str,
    corp_id: &str,
    secret: &str,
) -> Result<i64, String> {
    let c = ConnectWecom {
        corp_id: corp_id.into(),
        secret: secret.into(),
        callback_token: CALLBACK_TOKEN.into(),
        encoding_aes_key: ENCODING_AES_KEY.into(),
        api_base: base.into(),
    };
    let corp = connect(&server.state, c).await?;
    let callback = format!("http://{}/callbacks/wecom/{corp}", server.addr);
    let set = json!({"url": callback, "token": CALLBACK_TOKEN, "encoding_aes_key": ENCODING_AES_KEY});
    tell_sandbox(&format!("{base}/__sandbox/callback"), set).await?;
    Ok(corp)
}

/// Connects the Official Account of the MP sandbox at `base` in safe mode, answering customers
/// with `transfer_customer_service`, and sets its server URL (服务器配置) to the server; the
/// account's number on the server.
pub async fn connect_mp_sandbox(server: &ServerHandle, base: &str, app_id: &str, secret: &str) -> Result<i64, String> {
    let c = ConnectMp {
        app_id: app_id.into(),
        secret: secret.into(),
        token: CALLBACK_TOKEN.into(),
        encoding_aes_key: Some(ENCODING_AES_KEY.into()),
        api_base: base.into(),
        transfer: true,
    };
    let account = mp::connect(&server.state, c).await?;
    let url = format!("http://{}/callbacks/mp/{account}", server.addr);
    let set = json!({"url": url, "token": CALLBACK_TOKEN, "encoding_aes_key": ENCODING_AES_KEY});
    tell_sandbox(&format!("{base}/__sandbox/server"), set).await?;
    Ok(account)
}

/// Gives a sandbox where to call (it checks the URL first, as WeChat does).
async fn tell_sandbox(url: &str, body: Value) -> Result<(), String> {
    let answer: Value = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if answer["errcode"] != 0 {
        return Err(format!("the sandbox did not accept the address: {answer}"));
    }
    Ok(())
}

/// Adds a staff member who may use `grants` (corp, open_kfid).
pub async fn add_staff(
    server: &ServerHandle,
    login: &str,
    name: &str,
    role: Role,
    password: &str,
    grants: &[(i64, String)],
) -> Result<Staff, String> {
    let mut db = server.state.db.get().await.map_err(|e| e.to_string())?;
    let s = staff::create(&db, login, name, role, password).await.map_err(|f| f.message)?;
    staff::set_wecom_grants(&mut db, s.id, grants).await.map_err(|f| f.message)?;
    Ok(s)
}
