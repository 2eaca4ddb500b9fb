//! Official Accounts connected to the server: connecting one (its secrets sealed), finding it
//! again with its secrets opened. Module map: `callbacks` (its server URL: pushes in plain and
//! safe mode, `transfer_customer_service`).

pub mod callbacks;

use kefu_wechat::callback::CallbackKey;

use crate::AppState;

/// What the admin enters to connect an Official Account and its 服务器配置.
pub struct ConnectMp {
    pub app_id: String,
    pub secret: String,
    pub token: String,
    /// Safe mode when given (43 characters); plain mode otherwise.
    pub encoding_aes_key: Option<String>,
    /// `https://api.weixin.qq.com`, or a sandbox or gateway.
    pub api_base: String,
    /// Answer each customer message with `transfer_customer_service`.
    pub transfer: bool,
}

/// A connected account with its secrets opened.
pub struct Account {
    pub id: i64,
    pub app_id: String,
    pub token: String,
    pub key: Option<CallbackKey>,
    pub transfer: bool,
}

/// Saves an account, its secrets sealed; its row id, which names its server URL
/// (`/callbacks/mp/{id}`).
pub async fn connect(state: &AppState, c: ConnectMp) -> Result<i64, String> {
    if let Some(k) = &c.encoding_aes_key {
        CallbackKey::new(k).map_err(|e| e.to_string())?;
    }
    if !kefu_wechat::http::is_secure_url(&c.api_base) {
        return Err("the API address must be https (or this computer)".into());
    }
    let db = state.db.get().await.map_err(|e| e.to_string())?;
    let row = db
        .query_one(
            "insert into mp_accounts (app_id, api_base, secret, token, encoding_aes_key, transfer) values ($1, $2, $3, $4, $5, $6)
             on conflict (app_id) do update set api_base = excluded.api_base, secret = excluded.secret, token = excluded.token,
               encoding_aes_key = excluded.encoding_aes_key, transfer = excluded.transfer
             returning id",
            &[
                &c.app_id,
                &c.api_base,
                &state.sealer.seal(&c.secret),
                &state.sealer.seal(&c.token),
                &c.encoding_aes_key.as_deref().map(|k| state.sealer.seal(k)),
                &c.transfer,
            ],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

/// The account `id` with its Token and key opened; `None` when there is none (or its secrets
/// were sealed under another key).
pub async fn account(state: &AppState, id: i64) -> Result<Option<Account>, String> {
    let db = state.db.get().await.map_err(|e| e.to_string())?;
    let Some(row) = db
        .query_opt("select app_id, token, encoding_aes_key, transfer from mp_accounts where id = $1", &[&id])
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let Some(token) = state.sealer.open(row.get::<_, &[u8]>(1)) else {
        tracing::error!(account = id, "an account's secrets do not open with this server's key");
        return Ok(None);
    };
    let key = match row.get::<_, Option<&[u8]>>(2) {
        None => None,
        Some(sealed) => {
            let Some(k) = state.sealer.open(sealed) else {
                tracing::error!(account = id, "an account's secrets do not open with this server's key");
                return Ok(None);
            };
            Some(CallbackKey::new(&k).map_err(|e| e.to_string())?)
        }
    };
    Ok(Some(Account { id, app_id: row.get(0), token, key, transfer: row.get(3) }))
}
