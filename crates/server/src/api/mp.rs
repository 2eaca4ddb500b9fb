//! Official Accounts for the desktops: `GET/POST /api/v1/mp/accounts` — admins connect one with
//! its AppSecret and 服务器配置 (Token; EncodingAESKey for safe mode); no secret is ever
//! answered. The answer names the server URL to enter on the MP platform.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Signed;
use crate::failure::Failure;
use crate::mp::{connect, ConnectMp};
use crate::{audit, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/mp/accounts", get(list).post(add))
}

async fn list(State(state): State<AppState>, s: Signed) -> Result<Json<Value>, Failure> {
    s.overseer("see the connected Official Accounts")?;
    let db = state.db.get().await?;
    let rows = db
        .query("select id, app_id, api_base, encoding_aes_key is not null, transfer from mp_accounts order by id", &[])
        .await?;
    let accounts: Vec<Value> = rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            json!({"id": id, "app_id": r.get::<_, String>(1), "api_base": r.get::<_, String>(2), "safe_mode": r.get::<_, bool>(3),
                   "transfer": r.get::<_, bool>(4), "callback_path": format!("/callbacks/mp/{id}")})
        })
        .collect();
    Ok(Json(json!({"accounts": accounts})))
}

#[derive(Deserialize)]
struct NewAccount {
    app_id: String,
    secret: String,
    token: String,
    #[serde(default)]
    encoding_aes_key: Option<String>,
    #[serde(default = "default_api_base")]
    api_base: String,
    #[serde(default = "yes")]
    transfer: bool,
}

fn default_api_base() -> String {
    "https://api.weixin.qq.com".into()
}

fn yes() -> bool {
    true
}

async fn add(State(state): State<AppState>, s: Signed, Json(n): Json<NewAccount>) -> Result<Json<Value>, Failure> {
    let c = s.admin("connect an Official Account")?;
    let app_id = n.app_id.trim().to_string();
    let token = n.token.trim().to_string();
    if app_id.is_empty() || n.secret.trim().is_empty() {
        return Err(Failure::invalid("the AppID and the AppSecret are both needed"));
    }
    // The MP platform's own rule for the Token: 3 to 32 letters and digits.
    if !(3..=32).contains(&token.len()) || !token.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        return Err(Failure::invalid("the Token has 3 to 32 letters and digits"));
    }
    let key = n.encoding_aes_key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    let id = connect(
        &state,
        ConnectMp {
            app_id: app_id.clone(),
            secret: n.secret.trim().into(),
            token,
            encoding_aes_key: key.clone(),
            api_base: n.api_base.trim().into(),
            transfer: n.transfer,
        },
    )
    .await
    .map_err(Failure::invalid)?;
    let db = state.db.get().await?;
    audit::record(
        &db,
        Some(&c),
        "mp_account_connected",
        json!({"account": id, "app_id": app_id, "safe_mode": key.is_some()}),
    )
    .await?;
    Ok(Json(json!({"id": id, "callback_path": format!("/callbacks/mp/{id}")})))
}
