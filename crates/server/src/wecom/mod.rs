//! WeCom 微信客服 corps connected to the server: connecting one (its secrets sealed), finding it
//! again with its secrets opened, and one API client per corp (one token holder per app).
//! Module map: `callbacks` (the callback URL), `reader` (sync_msg into the archive), `sending`
//! (to a customer, archived and audited), `gateway` (the WeCom API as a desktop sees it).

pub mod callbacks;
pub mod gateway;
pub mod reader;
pub mod sending;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kefu_wechat::callback::CallbackKey;
use kefu_wechat::wecom::WecomClient;
use kefu_wechat::{ClientConfig, Secret, TokenSource};

use crate::AppState;

/// What the admin enters to connect a corp: the app allowed to call 微信客服 and its callback
/// settings (接收消息服务器配置).
pub struct ConnectWecom {
    pub corp_id: String,
    pub secret: String,
    pub callback_token: String,
    pub encoding_aes_key: String,
    /// `https://qyapi.weixin.qq.com`, or a sandbox or gateway.
    pub api_base: String,
}

/// A connected corp with its secrets opened (held in memory only while a request needs them).
pub struct Corp {
    pub id: i64,
    pub corp_id: String,
    pub api_base: String,
    pub secret: String,
    pub callback_token: String,
    pub key: CallbackKey,
}

/// Saves a corp, its secrets sealed; its row id, which names its callback URL
/// (`/callbacks/wecom/{id}`).
pub async fn connect(state: &AppState, c: ConnectWecom) -> Result<i64, String> {
    CallbackKey::new(&c.encoding_aes_key).map_err(|e| e.to_string())?;
    if !kefu_wechat::http::is_secure_url(&c.api_base) {
        return Err("the API address must be https (or this computer)".into());
    }
    let db = state.db.get().await.map_err(|e| e.to_string())?;
    let row = db
        .query_one(
            "insert into wecom_corps (corp_id, api_base, secret, callback_token, encoding_aes_key) values ($1, $2, $3, $4, $5)
             on conflict (corp_id) do update set api_base = excluded.api_base, secret = excluded.secret,
               callback_token = excluded.callback_token, encoding_aes_key = excluded.encoding_aes_key
             returning id",
            &[
                &c.corp_id,
                &c.api_base,
                &state.sealer.seal(&c.secret),
                &state.sealer.seal(&c.callback_token),
                &state.sealer.seal(&c.encoding_aes_key),
            ],
        )
        .await
        .map_err(|e| e.to_string())?;
    let id: i64 = row.get(0);
    state.wecom.forget(id);
    Ok(id)
}

/// The corp `id` with its secrets opened; `None` when there is none (or its secrets were sealed
/// under another key).
pub async fn corp(state: &AppState, id: i64) -> Result<Option<Corp>, String> {
    let db = state.db.get().await.map_err(|e| e.to_string())?;
    let Some(row) = db
        .query_opt(
            "select corp_id, api_base, secret, callback_token, encoding_aes_key from wecom_corps where id = $1",
            &[&id],
        )
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let open = |i: usize| state.sealer.open(row.get::<_, &[u8]>(i));
    let (Some(secret), Some(callback_token), Some(aes)) = (open(2), open(3), open(4)) else {
        tracing::error!(corp = id, "a corp's secrets do not open with this server's key");
        return Ok(None);
    };
    Ok(Some(Corp {
        id,
        corp_id: row.get(0),
        api_base: row.get(1),
        secret,
        callback_token,
        key: CallbackKey::new(&aes).map_err(|e| e.to_string())?,
    }))
}

/// One API client per corp, kept while the server runs: its token is fetched once and shared by
/// every reader and sender of this instance.
#[derive(Default)]
pub struct Clients {
    by_corp: Mutex<HashMap<i64, Arc<WecomClient>>>,
}

impl Clients {
    pub fn get(&self, corp: &Corp) -> Result<Arc<WecomClient>, String> {
        let mut map = self.by_corp.lock().expect("clients lock");
        if let Some(c) = map.get(&corp.id) {
            return Ok(c.clone());
        }
        let source = TokenSource::WecomCorp { corpid: corp.corp_id.clone(), secret: Secret::new(corp.secret.clone()) };
        let client =
            Arc::new(WecomClient::new(ClientConfig::new(corp.api_base.clone()), source).map_err(|e| e.to_string())?);
        map.insert(corp.id, client.clone());
        Ok(client)
    }

    fn forget(&self, corp: i64) {
        self.by_corp.lock().expect("clients lock").remove(&corp);
    }
}

/// Takes the account's write lock until the transaction of `tx` ends: a reader's page and a
/// sent message of one account are archived one after the other, whichever instance writes,
/// so the archive's `seq` of an account grows in commit order and a cursor never skips a row.
pub async fn lock_account(
    tx: &impl deadpool_postgres::GenericClient,
    corp: i64,
    open_kfid: &str,
) -> Result<(), tokio_postgres::Error> {
    let key = format!("wecom-account {corp} {open_kfid}");
    tx.execute("select pg_advisory_xact_lock(hashtextextended($1, 0))", &[&key]).await.map(|_| ())
}
