//! The WeCom sandbox calls back like WeCom: given a callback URL, Token and EncodingAESKey (what
//! a company enters under 接收消息服务器配置), it checks the URL first (a GET whose `echostr`
//! the receiver must open and echo), then POSTs an encrypted `kf_msg_or_event` each time an
//! account has news — retrying a slow (over 5 s) or failed answer three times, as WeCom does.
//! Official pages: 回调配置 <https://developer.work.weixin.qq.com/document/path/90930>, 加解密方案
//! <https://developer.work.weixin.qq.com/document/path/91144>, 接收消息和事件
//! <https://developer.work.weixin.qq.com/document/path/94699>.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use kefu_wechat::callback::{envelope, msg_signature, CallbackKey};
use serde_json::{json, Value};

use super::conversation::Callback;
use super::WecomSbx;
use crate::wire::{json_body, str_field, WxErr};

/// WeCom waits this long for an answer, then counts the delivery as failed.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(5);
/// After the first try, WeCom tries again this many times.
pub const RETRIES: u32 = 3;

/// Where and how the corp receives its callbacks.
#[derive(Clone)]
pub struct CallbackTarget {
    pub url: String,
    pub token: String,
    pub key: CallbackKey,
}

/// What became of one callback: how many tries it took, and whether one was answered in time.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Delivery {
    pub seq: u64,
    pub open_kfid: String,
    pub attempts: u32,
    pub delivered: bool,
}

impl super::World {
    /// Sends `callback` to the corp's callback URL, if one is set (in the background: WeCom does
    /// not wait for the receiver before answering the API call that caused it).
    pub fn deliver(&mut self, callback: &Callback) {
        let (Some(target), Some(outbox)) = (self.callback_target.clone(), self.callback_outbox.clone()) else {
            return;
        };
        let corp = self.cfg.corp_id.clone();
        let xml = format!(
            "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><CreateTime>{}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{}]]></Token><OpenKfId><![CDATA[{}]]></OpenKfId></xml>",
            callback.create_time, callback.token, callback.open_kfid
        );
        let sealed = target.key.seal(&xml, &corp);
        let timestamp = self.now().to_string();
        let nonce = self.rng.string(b"0123456789", 10);
        let signature = msg_signature(&target.token, &timestamp, &nonce, &sealed);
        let url =
            with_query(&target.url, &[("msg_signature", &signature), ("timestamp", &timestamp), ("nonce", &nonce)]);
        self.deliveries.push(Delivery {
            seq: callback.seq,
            open_kfid: callback.open_kfid.clone(),
            attempts: 0,
            delivered: false,
        });
        if self.deliveries.len() > super::conversation::CALLBACKS_KEPT {
            self.deliveries.remove(0);
        }
        let _ = outbox.send(Outgoing { seq: callback.seq, url, body: envelope(&corp, &sealed) });
    }
}

/// One POST waiting to go out.
pub struct Outgoing {
    seq: u64,
    url: String,
    body: String,
}

/// Posts each callback as it comes (each on its own task, so a slow receiver delays none of the
/// others), trying again after 1, 2 and 4 seconds; records the outcome in the world.
pub fn spawn_sender(sbx: WecomSbx, mut outbox: tokio::sync::mpsc::UnboundedReceiver<Outgoing>) {
    tokio::spawn(async move {
        let http = reqwest::Client::builder().timeout(ANSWER_WITHIN).build().expect("an HTTP client");
        while let Some(job) = outbox.recv().await {
            let (http, sbx) = (http.clone(), sbx.clone());
            tokio::spawn(async move {
                for attempt in 1..=1 + RETRIES {
                    let answered = http
                        .post(&job.url)
                        .header("content-type", "text/xml")
                        .body(job.body.clone())
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    if let Some(d) = sbx.world().deliveries.iter_mut().rev().find(|d| d.seq == job.seq) {
                        d.attempts = attempt;
                        d.delivered = answered;
                    }
                    if answered {
                        return;
                    }
                    if attempt <= RETRIES {
                        tokio::time::sleep(Duration::from_secs(1 << (attempt - 1))).await;
                    }
                }
                tracing::warn!(seq = job.seq, "a callback was not answered after {RETRIES} retries");
            });
        }
    });
}

fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let mut u = url::Url::parse(url).expect("a checked URL");
    u.query_pairs_mut().extend_pairs(pairs);
    u.into()
}

/// `{"url", "token", "encoding_aes_key"}`: the corp's callback server. WeCom checks the URL
/// first — a GET with an `echostr` the server must open and answer with — and saves it only if
/// the answer is right (the admin console's "回调URL验证失败" otherwise).
pub async fn set_callback(State(s): State<WecomSbx>, body: Bytes) -> Response {
    let r = async {
        let b = json_body(&body)?;
        let (url, token) = (str_field(&b, "url").to_string(), str_field(&b, "token").to_string());
        let key = CallbackKey::new(str_field(&b, "encoding_aes_key"))
            .map_err(|_| WxErr::with_msg(40097, "invalid args: encoding_aes_key must be 43 characters"))?;
        let parsed = url::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
        if parsed.is_none() || token.is_empty() || token.len() > 32 || !token.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(WxErr::with_msg(
                40097,
                "invalid args: url (http or https) and token (letters and digits, at most 32) are required",
            ));
        }
        let (echo, sealed, timestamp, nonce) = {
            let mut w = s.world();
            let echo = w.rng.string(b"0123456789", 19);
            let sealed = key.seal(&echo, &w.cfg.corp_id);
            (echo, sealed, w.now().to_string(), w.rng.string(b"0123456789", 10))
        };
        let signature = msg_signature(&token, &timestamp, &nonce, &sealed);
        let check = with_query(
            &url,
            &[("msg_signature", &signature), ("timestamp", &timestamp), ("nonce", &nonce), ("echostr", &sealed)],
        );
        let answer = reqwest::Client::builder()
            .timeout(ANSWER_WITHIN)
            .build()
            .expect("an HTTP client")
            .get(&check)
            .send()
            .await
            .map_err(|_| WxErr::with_msg(40097, "callback url verification failed: no answer within 5 s"))?;
        let text = answer.text().await.unwrap_or_default();
        if text.trim() != echo {
            return Err(WxErr::with_msg(
                40097,
                "callback url verification failed: the answer is not the echostr's message",
            ));
        }
        let mut w = s.world();
        w.callback_target = Some(CallbackTarget { url, token, key });
        Ok(json!({"errcode": 0, "errmsg": "ok"}))
    }
    .await;
    s.reply(r)
}

/// The callback URL (not its Token or key) and what became of the callbacks sent to it.
pub async fn get_callback(State(s): State<WecomSbx>) -> Response {
    let w = s.world();
    let v: Value = json!({
        "errcode": 0, "errmsg": "ok",
        "url": w.callback_target.as_ref().map(|t| t.url.clone()),
        "deliveries": w.deliveries,
    });
    drop(w);
    s.reply(Ok(v))
}

/// No callback server any more (the relay feed stays).
pub async fn clear_callback(State(s): State<WecomSbx>) -> Response {
    s.world().callback_target = None;
    s.reply(Ok(json!({"errcode": 0, "errmsg": "ok"})))
}
