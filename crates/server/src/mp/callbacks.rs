//! An Official Account's server URL, `/callbacks/mp/{account}` (服务器配置): the URL check
//! (GET: the plain `signature` over Token, timestamp and nonce, answered with `echostr`) and the
//! pushes — plain mode (`signature`) or safe mode (`encrypt_type=aes`, `msg_signature` over the
//! ciphertext, opened with the EncodingAESKey, receiveid = the AppID). A bad signature, a stale
//! timestamp or a plain push to an account in safe mode is refused and nothing stored. Each
//! push is archived once (a retry changes nothing) and announced to the desktops; a customer's
//! message is answered with `transfer_customer_service` when the account is set so, which puts
//! the customer in the kf queue. Official pages: 接入指南
//! <https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html>,
//! 消息转发到客服
//! <https://developers.weixin.qq.com/doc/offiaccount/Customer_Service/Forwarding_of_messages_to_service_center.html>,
//! 消息加解密说明
//! <https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html>.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use kefu_wechat::callback::{
    check_timestamp, envelope_encrypt, msg_signature, open_signed, plain_signature, signature_matches, xml_field,
    CallbackError,
};
use kefu_wechat::clock::now_secs;
use serde_json::{Map, Value};

use super::{account, Account};
use crate::events::{announce, Event};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/callbacks/mp/{account}", get(check_url).post(receive))
}

/// The fields of a push kept in the archive (messages, kf session events, menu clicks).
const FIELDS: &[&str] = &[
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "Content",
    "MsgId",
    "MsgDataId",
    "Idx",
    "PicUrl",
    "MediaId",
    "Format",
    "Recognition",
    "ThumbMediaId",
    "Location_X",
    "Location_Y",
    "Scale",
    "Label",
    "Title",
    "Description",
    "Url",
    "Event",
    "EventKey",
    "KfAccount",
    "FromKfAccount",
    "ToKfAccount",
    "CloseType",
    "bizmsgmenuid",
];

type Q = Query<HashMap<String, String>>;

fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map(String::as_str).unwrap_or_default()
}

/// Why a push was refused, as WeChat (and a log line) may see it: never its content.
fn refused(account: i64, why: CallbackError) -> (StatusCode, String) {
    tracing::warn!(account, "a push was refused: {why}");
    (StatusCode::FORBIDDEN, why.to_string())
}

async fn find(state: &AppState, id: i64) -> Result<Account, (StatusCode, String)> {
    match account(state, id).await {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err((StatusCode::NOT_FOUND, "no such account".into())),
        Err(e) => {
            tracing::error!(account = id, "the database is unreachable: {e}");
            Err((StatusCode::SERVICE_UNAVAILABLE, String::new()))
        }
    }
}

async fn check_url(State(state): State<AppState>, Path(id): Path<i64>, Query(q): Q) -> (StatusCode, String) {
    let a = match find(&state, id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (ts, nonce) = (param(&q, "timestamp"), param(&q, "nonce"));
    if let Err(e) = check_timestamp(ts, now_secs()) {
        return refused(id, e);
    }
    if !signature_matches(&plain_signature(&a.token, ts, nonce), param(&q, "signature")) {
        return refused(id, CallbackError::BadSignature);
    }
    (StatusCode::OK, param(&q, "echostr").to_string())
}

/// The push's XML, checked and opened.
fn opened(a: &Account, q: &HashMap<String, String>, body: &str) -> Result<String, CallbackError> {
    let (ts, nonce) = (param(q, "timestamp"), param(q, "nonce"));
    check_timestamp(ts, now_secs())?;
    match (&a.key, param(q, "encrypt_type")) {
        (Some(key), "aes") => {
            let enc = envelope_encrypt(body)?;
            open_signed(key, &a.token, ts, nonce, param(q, "msg_signature"), &enc, &a.app_id)
        }
        // Safe mode set here: a push in the clear is not the account's (or a downgrade).
        (Some(_), _) | (None, "aes") => Err(CallbackError::BadSignature),
        (None, _) if signature_matches(&plain_signature(&a.token, ts, nonce), param(q, "signature")) => {
            Ok(body.to_string())
        }
        (None, _) => Err(CallbackError::BadSignature),
    }
}

/// The answer `xml` as WeChat takes it: in safe mode sealed and signed.
fn sealed_answer(a: &Account, xml: &str, nonce: &str) -> String {
    match &a.key {
        None => xml.to_string(),
        Some(key) => {
            let enc = key.seal(xml, &a.app_id);
            let ts = now_secs().to_string();
            let sig = msg_signature(&a.token, &ts, nonce, &enc);
            format!(
                "<xml><Encrypt><![CDATA[{enc}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature><TimeStamp>{ts}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
            )
        }
    }
}

async fn receive(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Q,
    body: String,
) -> (StatusCode, String) {
    let a = match find(&state, id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let xml = match opened(&a, &q, &body) {
        Ok(x) => x,
        Err(e) => return refused(id, e),
    };
    let mut fields = Map::new();
    for f in FIELDS {
        if let Some(v) = xml_field(&xml, f) {
            fields.insert((*f).to_string(), Value::String(v));
        }
    }
    let get = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (openid, msgtype, created) = (get("FromUserName"), get("MsgType"), get("CreateTime"));
    if openid.is_empty() || msgtype.is_empty() {
        return refused(id, CallbackError::BadXml);
    }
    let push_key = match get("MsgId") {
        m if !m.is_empty() => m,
        _ => format!("{openid}:{created}:{}", get("Event")),
    };
    let create_time: i64 = created.parse().unwrap_or_else(|_| now_secs());
    let stored = async {
        let mut db = state.db.get().await.map_err(|e| e.to_string())?;
        let tx = db.transaction().await.map_err(|e| e.to_string())?;
        let new = tx
            .execute(
                "insert into mp_messages (account, push_key, openid, msgtype, create_time, body)
                 values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
                &[&a.id, &push_key, &openid, &msgtype, &create_time, &Value::Object(fields.clone())],
            )
            .await
            .map_err(|e| e.to_string())?;
        if new == 1 {
            announce(&tx, &Event::MpMessage { account: a.id, openid: openid.clone() }).await.map_err(|f| f.message)?;
        }
        tx.commit().await.map_err(|e| e.to_string())
    }
    .await;
    if let Err(e) = stored {
        // Not answered: WeChat tries again.
        tracing::error!(account = id, "a push could not be archived: {e}");
        return (StatusCode::SERVICE_UNAVAILABLE, String::new());
    }
    if a.transfer && msgtype != "event" {
        let xml = format!(
            "<xml><ToUserName><![CDATA[{openid}]]></ToUserName><FromUserName><![CDATA[{}]]></FromUserName><CreateTime>{}</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>",
            get("ToUserName"),
            now_secs()
        );
        return (StatusCode::OK, sealed_answer(&a, &xml, param(&q, "nonce")));
    }
    (StatusCode::OK, "success".into())
}
