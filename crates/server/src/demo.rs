//! Wiring the WeCom sandbox to a server, for `make server`, the desktop's tests and the E2E
//! tests (feature `demo`): the sandbox's corp connected with a callback Token and key, the
//! sandbox told to call back (it checks the URL as WeCom's console does), and staff added with
//! the accounts they may use.

use serde_json::{json, Value};

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
    let set: Value = reqwest::Client::new()
        .post(format!("{base}/__sandbox/callback"))
        .json(&json!({"url": callback, "token": CALLBACK_TOKEN, "encoding_aes_key": ENCODING_AES_KEY}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if set["errcode"] != 0 {
        return Err(format!("the sandbox did not accept the callback URL: {set}"));
    }
    Ok(corp)
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
