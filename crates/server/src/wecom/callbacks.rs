//! A corp's callback URL, `/callbacks/wecom/{corp}`: WeCom's URL check (GET: open the signed
//! `echostr`, answer its message) and its encrypted POSTs. A bad signature, another corp's
//! message or a stale timestamp is refused and nothing is stored; a callback already taken
//! (WeCom retries an unanswered one) changes nothing; the answer goes back at once and the
//! reading happens after it (WeCom waits 5 s). Official page:
//! <https://developer.work.weixin.qq.com/document/path/91144>.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use kefu_wechat::callback::{check_timestamp, envelope_encrypt, open_signed, xml_field, CallbackError};
use kefu_wechat::clock::now_secs;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/callbacks/wecom/{corp}", get(check_url).post(receive))
}

type Q = Query<HashMap<String, String>>;

fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map(String::as_str).unwrap_or_default()
}

/// Why a callback was refused, as WeChat (and a log line) may see it: never its content.
fn refused(corp: i64, why: CallbackError) -> (StatusCode, String) {
    tracing::warn!(corp, "a callback was refused: {why}");
    (StatusCode::FORBIDDEN, why.to_string())
}

async fn check_url(State(state): State<AppState>, Path(corp): Path<i64>, Query(q): Q) -> (StatusCode, String) {
    let Ok(Some(c)) = super::corp(&state, corp).await else {
        return (StatusCode::NOT_FOUND, "no such corp".into());
    };
    if let Err(e) = check_timestamp(param(&q, "timestamp"), now_secs()) {
        return refused(corp, e);
    }
    let (ts, nonce, sig) = (param(&q, "timestamp"), param(&q, "nonce"), param(&q, "msg_signature"));
    match open_signed(&c.key, &c.callback_token, ts, nonce, sig, param(&q, "echostr"), &c.corp_id) {
        Ok(echo) => (StatusCode::OK, echo),
        Err(e) => refused(corp, e),
    }
}

async fn receive(
    State(state): State<AppState>,
    Path(corp): Path<i64>,
    Query(q): Q,
    body: String,
) -> (StatusCode, String) {
    let c = match super::corp(&state, corp).await {
        Ok(Some(c)) => c,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such corp".into()),
        Err(e) => {
            tracing::error!(corp, "the database is unreachable: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, String::new());
        }
    };
    let (ts, nonce, sig) = (param(&q, "timestamp"), param(&q, "nonce"), param(&q, "msg_signature"));
    let opened = check_timestamp(ts, now_secs())
        .and_then(|_| envelope_encrypt(&body))
        .and_then(|enc| open_signed(&c.key, &c.callback_token, ts, nonce, sig, &enc, &c.corp_id));
    let xml = match opened {
        Ok(xml) => xml,
        Err(e) => return refused(corp, e),
    };
    if xml_field(&xml, "Event").as_deref() != Some("kf_msg_or_event") {
        // Other events of the app (kf_account_auth_change…) are answered and left alone here.
        return (StatusCode::OK, "success".into());
    }
    let (Some(open_kfid), token) = (xml_field(&xml, "OpenKfId"), xml_field(&xml, "Token")) else {
        return refused(corp, CallbackError::BadXml);
    };
    // The same callback again (a retry): already taken.
    let first = match state.db.get().await {
        Ok(db) => db
            .execute(
                "insert into wecom_callbacks_seen (corp, msg_signature) values ($1, $2) on conflict do nothing",
                &[&corp, &sig.to_ascii_lowercase()],
            )
            .await
            .map(|n| n == 1),
        Err(e) => {
            tracing::error!(corp, "the database is unreachable: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, String::new());
        }
    };
    match first {
        Ok(true) => {
            tokio::spawn(async move {
                if let Err(e) = super::reader::read_account(&state, &c, &open_kfid, token.as_deref()).await {
                    tracing::warn!(corp, "reading after a callback failed: {e}");
                }
            });
            (StatusCode::OK, "success".into())
        }
        Ok(false) => (StatusCode::OK, "success".into()),
        Err(e) => {
            tracing::error!(corp, "a callback could not be recorded: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, String::new())
        }
    }
}
