//! `message/custom/send` and `message/custom/typing` (reference mp §6): the 48-hour window
//! with 5 replies per customer message (45015/45047), typing within 30 s of an exchange.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;

use super::world::{Window, World};
use super::MpSbx;
use super::Q;
use crate::wire::{ok, str_field, WxErr, WxResult};

const MAX_TEXT_BYTES: usize = 2048;
const TYPING_NEEDS_EXCHANGE_SECS: i64 = 30;
const TYPING_LASTS_SECS: i64 = 15;

/// What a message looks like in the chat records.
fn record_text(msgtype: &str, b: &Value) -> Result<String, WxErr> {
    let payload = b.get(msgtype).ok_or(WxErr::new(47001))?;
    Ok(match msgtype {
        "text" => {
            let content = payload.get("content").and_then(Value::as_str).unwrap_or("");
            if content.is_empty() {
                return Err(WxErr::new(47001));
            }
            if content.len() > MAX_TEXT_BYTES {
                return Err(WxErr::new(45002));
            }
            content.to_string()
        }
        "news" => {
            let n = payload.get("articles").and_then(Value::as_array).map_or(0, Vec::len);
            if n != 1 {
                return Err(WxErr::new(45008));
            }
            "[news]".into()
        }
        "image" | "voice" | "video" | "music" | "mpnews" | "mpnewsarticle" | "msgmenu" | "wxcard"
        | "miniprogrampage" => {
            format!("[{msgtype}]")
        }
        _ => return Err(WxErr::new(40008)),
    })
}

pub fn send_message(w: &mut World, b: &Value) -> WxResult {
    let openid = str_field(b, "touser").to_string();
    let msgtype = str_field(b, "msgtype").to_string();
    if msgtype == "msgmenu" && w.flags.test_account {
        return Err(WxErr::new(40200));
    }
    let text = record_text(&msgtype, b)?;
    let kf = b.pointer("/customservice/kf_account").and_then(Value::as_str).map(str::to_string);
    if let Some(kf) = &kf {
        w.agent(kf).ok_or(WxErr::new(65401))?;
    }
    let now = w.now();
    let c = w.customers.get_mut(&openid).ok_or(WxErr::new(40003))?;
    // Within 48 h of their message (5 replies), or an event's grant; else 45015 / 45047.
    c.spend(now)?;
    c.typing_until = 0;
    let worker = kf.or_else(|| w.sessions.get(&openid).map(|s| s.kf_account.clone())).unwrap_or_default();
    w.record(&openid, 2002, text, &worker);
    Ok(ok())
}

pub async fn send(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, false, |w| send_message(w, &super::wire::body(&body)?))
}

pub async fn typing(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, false, |w| {
        let b = super::wire::body(&body)?;
        if w.flags.test_account {
            return Err(WxErr::new(40200));
        }
        let command = str_field(&b, "command");
        if command != "Typing" && command != "CancelTyping" {
            return Err(WxErr::new(45072));
        }
        let openid = str_field(&b, "touser");
        let now = w.now();
        let last_exchange = w
            .records()
            .iter()
            .rev()
            .take_while(|r| now - r.time <= TYPING_NEEDS_EXCHANGE_SECS)
            .any(|r| *r.openid == *openid && matches!(r.opercode, 2001..=2003));
        let c = w.customers.get_mut(openid).ok_or(WxErr::new(40003))?;
        if command == "CancelTyping" {
            c.typing_until = 0;
            return Ok(ok());
        }
        // In WeChat's order: the 48-hour window (45015), an exchange in the last 30 s (45080),
        // then "already typing" (45081).
        if matches!(c.window(now), Window::Closed) {
            return Err(WxErr::new(45015));
        }
        if !last_exchange {
            return Err(WxErr::new(45080));
        }
        if c.typing_until > now {
            return Err(WxErr::new(45081));
        }
        c.typing_until = now + TYPING_LASTS_SECS;
        Ok(ok())
    })
}
