//! The Official Account sandbox pushes like WeChat: given a server URL and Token (and, for safe
//! mode, the EncodingAESKey), it checks the URL (a GET the server answers with `echostr`), then
//! pushes each message of a customer who is not in a session to the server as XML and acts on
//! the answer: `transfer_customer_service` puts the customer in the kf waiting queue (for the
//! agent in `TransInfo`, when named); a passive reply goes to the customer; no answer within
//! 5 s is tried again, three tries in all. Official pages: 接入指南
//! <https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html>,
//! 消息转发到客服
//! <https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html>,
//! 消息加解密说明
//! <https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html>.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use kefu_wechat::callback::{msg_signature, open_signed, plain_signature, xml_field, CallbackKey};
use serde_json::{json, Value};

use super::MpSbx;
use crate::wire::{json_body, str_field, WxErr};

/// The demo account's original ID (原始ID), the `ToUserName` of its pushes.
pub const DEMO_ORIGINAL_ID: &str = "gh_6b5e4d3c2a10";
/// WeChat waits this long for the server's answer.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(5);
/// Tries in all (the first and two more).
pub const TRIES: u32 = 3;

/// The account's server (服务器配置): plain mode, or safe mode with its key.
#[derive(Clone)]
pub struct ServerTarget {
    pub url: String,
    pub token: String,
    pub key: Option<CallbackKey>,
}

impl std::fmt::Debug for ServerTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The Token and the key stay out of any printout.
        f.debug_struct("ServerTarget")
            .field("url", &self.url)
            .field("safe_mode", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

/// What became of one push.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Push {
    pub openid: String,
    pub attempts: u32,
    /// `transfer`, `reply`, `empty` (answered, nothing for the customer) or `unanswered`.
    pub outcome: &'static str,
    /// The agent `TransInfo` named, if any.
    pub kf_account: Option<String>,
    /// A passive reply's text, as the customer would see it.
    pub reply: Option<String>,
}

/// A customer not in a session writes while the account has a server: the push, and what the
/// answer does. Called without the world locked (the push waits for the server).
pub async fn customer_writes_to_server(
    s: &MpSbx,
    target: ServerTarget,
    openid: &str,
    text: &str,
) -> Result<Value, WxErr> {
    let (appid, xml, timestamp, nonce) = {
        let mut w = s.world();
        if !w.customers.contains_key(openid) {
            return Err(WxErr::new(40003));
        }
        let now = w.now();
        let msgid = w.rng.string(b"0123456789", 19);
        let xml = format!(
            "<xml><ToUserName><![CDATA[{DEMO_ORIGINAL_ID}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content><MsgId>{msgid}</MsgId></xml>"
        );
        (w.cfg.appid.clone(), xml, now.to_string(), w.rng.string(b"0123456789", 10))
    };
    let signature = plain_signature(&target.token, &timestamp, &nonce);
    let mut query = vec![
        ("signature", signature),
        ("timestamp", timestamp.clone()),
        ("nonce", nonce.clone()),
        ("openid", openid.to_string()),
    ];
    let body = match &target.key {
        None => xml,
        Some(key) => {
            let sealed = key.seal(&xml, &appid);
            query.push(("encrypt_type", "aes".into()));
            query.push(("msg_signature", msg_signature(&target.token, &timestamp, &nonce, &sealed)));
            format!("<xml><ToUserName><![CDATA[{DEMO_ORIGINAL_ID}]]></ToUserName><Encrypt><![CDATA[{sealed}]]></Encrypt></xml>")
        }
    };
    let mut url = url::Url::parse(&target.url).map_err(|_| WxErr::new(40097))?;
    url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
    let http = reqwest::Client::builder().timeout(ANSWER_WITHIN).build().expect("an HTTP client");
    let mut answer = None;
    let mut attempts = 0;
    while attempts < TRIES && answer.is_none() {
        attempts += 1;
        if let Ok(r) = http.post(url.as_str()).header("content-type", "text/xml").body(body.clone()).send().await {
            if r.status().is_success() {
                answer = Some(r.text().await.unwrap_or_default());
            }
        }
    }
    let reply = answer.as_deref().map(|a| opened_reply(&target, &appid, a));
    let mut w = s.world();
    let push = match reply {
        None => Push { openid: openid.into(), attempts, outcome: "unanswered", kf_account: None, reply: None },
        Some(Some(xml)) if xml_field(&xml, "MsgType").as_deref() == Some("transfer_customer_service") => {
            w.customer_writes(openid, text)?;
            Push {
                openid: openid.into(),
                attempts,
                outcome: "transfer",
                kf_account: xml_field(&xml, "KfAccount"),
                reply: None,
            }
        }
        Some(Some(xml)) if xml_field(&xml, "MsgType").as_deref() == Some("text") => {
            w.customer_wrote_to_server(openid);
            Push {
                openid: openid.into(),
                attempts,
                outcome: "reply",
                kf_account: None,
                reply: xml_field(&xml, "Content"),
            }
        }
        Some(_) => {
            w.customer_wrote_to_server(openid);
            Push { openid: openid.into(), attempts, outcome: "empty", kf_account: None, reply: None }
        }
    };
    let v = json!({"errcode": 0, "errmsg": "ok", "push": push});
    w.pushes.push(push);
    Ok(v)
}

/// The server's answer as XML: opened first in safe mode (a reply that does not verify is as
/// good as none, as on WeChat). `None` for an empty answer or `success`.
fn opened_reply(target: &ServerTarget, appid: &str, answer: &str) -> Option<String> {
    let answer = answer.trim();
    if answer.is_empty() || answer == "success" {
        return None;
    }
    match &target.key {
        None => Some(answer.to_string()),
        Some(key) => {
            let field = |n| xml_field(answer, n).unwrap_or_default();
            let (enc, sig, ts, nonce) = (field("Encrypt"), field("MsgSignature"), field("TimeStamp"), field("Nonce"));
            open_signed(key, &target.token, &ts, &nonce, &sig, &enc, appid).ok()
        }
    }
}

impl super::world::World {
    /// The customer wrote and the server kept the message (no transfer): the 48-hour window
    /// opens all the same; nothing reaches the kf system.
    pub fn customer_wrote_to_server(&mut self, openid: &str) {
        let now = self.now();
        if let Some(c) = self.customers.get_mut(openid) {
            c.followed = true;
            c.last_user_msg = now;
            c.replies = 0;
        }
    }
}

/// `{"url", "token", "encoding_aes_key"?}`: the account's server; safe mode when a key is
/// given. WeChat checks the URL first (a GET the server must answer with `echostr`).
pub async fn set_server(State(s): State<MpSbx>, body: Bytes) -> Response {
    let r = async {
        let b = json_body(&body)?;
        let (url, token, aes) =
            (str_field(&b, "url").to_string(), str_field(&b, "token").to_string(), str_field(&b, "encoding_aes_key"));
        let key = match aes {
            "" => None,
            k => Some(
                CallbackKey::new(k)
                    .map_err(|_| WxErr::with_msg(40097, "invalid args: encoding_aes_key must be 43 characters"))?,
            ),
        };
        let parsed = url::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
        if parsed.is_none() || token.len() < 3 || token.len() > 32 || !token.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(WxErr::with_msg(
                40097,
                "invalid args: url (http or https) and token (3 to 32 letters and digits) are required",
            ));
        }
        let (echo, timestamp, nonce) = {
            let mut w = s.world();
            (w.rng.string(b"0123456789", 19), w.now().to_string(), w.rng.string(b"0123456789", 10))
        };
        let mut check = parsed.expect("checked above");
        check.query_pairs_mut().extend_pairs([
            ("signature", plain_signature(&token, &timestamp, &nonce).as_str()),
            ("timestamp", &timestamp),
            ("nonce", &nonce),
            ("echostr", &echo),
        ]);
        let answer = reqwest::Client::builder()
            .timeout(ANSWER_WITHIN)
            .build()
            .expect("an HTTP client")
            .get(check.as_str())
            .send()
            .await
            .map_err(|_| WxErr::with_msg(40097, "server url verification failed: no answer within 5 s"))?;
        if answer.text().await.unwrap_or_default().trim() != echo {
            return Err(WxErr::with_msg(40097, "server url verification failed: the answer is not the echostr"));
        }
        s.world().server_target = Some(ServerTarget { url, token, key });
        Ok(json!({"errcode": 0, "errmsg": "ok"}))
    }
    .await;
    s.reply(r)
}

/// The server URL (not its Token or key), safe mode or not, and what became of the pushes.
pub async fn get_server(State(s): State<MpSbx>) -> Response {
    let w = s.world();
    let v = json!({
        "errcode": 0, "errmsg": "ok",
        "url": w.server_target.as_ref().map(|t| t.url.clone()),
        "safe_mode": w.server_target.as_ref().map(|t| t.key.is_some()),
        "pushes": w.pushes,
    });
    drop(w);
    s.reply(Ok(v))
}

/// Server mode off: customers' messages go to the kf queue as before.
pub async fn clear_server(State(s): State<MpSbx>) -> Response {
    s.world().server_target = None;
    s.reply(Ok(json!({"errcode": 0, "errmsg": "ok"})))
}
