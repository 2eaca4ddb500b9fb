//! Messages (document/path/94670 sync_msg, 94677 send_msg, 95122 send_msg_on_event):
//! sync_msg reads the account's log from a cursor — `open_kfid` required and never empty, 3 days
//! kept, `has_more` that can be 1 on an empty page (the server scans the corp-wide log in
//! windows), ~10 calls a minute without a fresh callback token then 45009 for a minute;
//! send_msg only in states 0/1 within 48 h and 5 messages, byte limits, never echoed in sync_msg.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::conversation::{check_send, decode_cursor, encode_cursor, RETENTION_SECS, SYNC_CALLS_PER_MINUTE};
use super::wire::{json_body, ok_with, required};
use super::world::World;
use super::{WecomSbx, Q};
use crate::wire::{int_field, str_field, WxErr};

const MAX_LIMIT: usize = 1000;

/// The frequency rule: a fresh callback token lifts it; without one, 10 calls a minute per corp.
fn rate_limit(w: &mut World, token: &str) -> Result<(), WxErr> {
    let now = w.now();
    if !token.is_empty() && w.callback_tokens.iter().any(|(t, exp)| t == token && *exp > now) {
        return Ok(());
    }
    if now < w.sync_blocked_until {
        return Err(WxErr::with_msg(45009, "api freq out of limit, sync_msg without a valid token"));
    }
    w.sync_calls.retain(|&t| now - t < 60);
    if w.sync_calls.len() >= SYNC_CALLS_PER_MINUTE {
        w.sync_blocked_until = now + 60;
        w.sync_calls.clear();
        return Err(WxErr::with_msg(45009, "api freq out of limit, sync_msg without a valid token"));
    }
    w.sync_calls.push(now);
    Ok(())
}

pub async fn sync_msg(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?.to_string();
        w.account(&open_kfid)?;
        let cursor = str_field(&b, "cursor");
        if cursor.len() > 64 || str_field(&b, "token").len() > 128 {
            return Err(WxErr::new(40058));
        }
        let limit = int_field(&b, "limit").unwrap_or(MAX_LIMIT as i64);
        if !(1..=MAX_LIMIT as i64).contains(&limit) {
            return Err(WxErr::with_msg(40058, "limit must be 1-1000. invalid Request Parameter"));
        }
        rate_limit(w, str_field(&b, "token"))?;
        let oldest = w.now() - RETENTION_SECS;
        // An empty cursor starts at the earliest message of the last 3 days.
        let start = match cursor {
            "" => w.log.iter().position(|i| i.send_time >= oldest).unwrap_or(w.log.len()),
            c => decode_cursor(c)
                .filter(|&p| p <= w.log.len())
                .ok_or(WxErr::with_msg(40058, "invalid cursor. invalid Request Parameter"))?,
        };
        // The server scans one window of the corp's log per call; a window can hold nothing
        // of this account, hence has_more with an empty page.
        let end = (start + limit as usize).min(w.log.len());
        let msgs: Vec<Value> = w.log[start..end]
            .iter()
            .filter(|i| i.open_kfid == open_kfid && i.send_time >= oldest)
            .map(|i| i.body.clone())
            .collect();
        let has_more = end < w.log.len() && w.log[end..].iter().any(|i| i.open_kfid == open_kfid);
        Ok(ok_with(json!({ "next_cursor": encode_cursor(end), "has_more": u8::from(has_more), "msg_list": msgs })))
    })
}

fn bytes_at_most(v: &Value, key: &str, max: usize) -> Result<(), WxErr> {
    if str_field(v, key).len() > max {
        return Err(WxErr::new(45002));
    }
    Ok(())
}

/// The payload of `msgtype` as send_msg (or send_msg_on_event) accepts it.
fn check_payload(w: &World, b: &Value, msgtype: &str, allowed: &[&str]) -> Result<(), WxErr> {
    if !allowed.contains(&msgtype) {
        return Err(WxErr::with_msg(40058, format!("msgtype {msgtype:?} not allowed. invalid Request Parameter")));
    }
    let p = b
        .get(msgtype)
        .filter(|p| p.is_object())
        .ok_or(WxErr::with_msg(40058, format!("missing field `{msgtype}`. invalid Request Parameter")))?;
    match msgtype {
        "text" => {
            if str_field(p, "content").is_empty() {
                return Err(WxErr::new(44004));
            }
            bytes_at_most(p, "content", 2048)
        }
        "image" | "voice" | "video" | "file" => match w.media.get(str_field(p, "media_id")) {
            Some(m) if m.kind == msgtype && w.now() - m.created_at < super::world::MEDIA_TTL_SECS => Ok(()),
            _ if str_field(p, "media_id").is_empty() => Err(WxErr::new(41006)),
            _ => Err(WxErr::new(40007)),
        },
        "msgmenu" => {
            let list = p.get("list").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            if list.len() > 10 {
                return Err(WxErr::new(95008));
            }
            if list.iter().any(|i| !matches!(str_field(i, "type"), "click" | "view" | "miniprogram" | "text")) {
                return Err(WxErr::new(95009));
            }
            bytes_at_most(p, "head_content", 1024)?;
            bytes_at_most(p, "tail_content", 1024)
        }
        "link" => {
            let url = str_field(p, "url");
            if str_field(p, "title").is_empty()
                || !(url.starts_with("http://") || url.starts_with("https://"))
                || str_field(p, "thumb_media_id").is_empty()
            {
                return Err(WxErr::with_msg(
                    40058,
                    "link needs title, an http(s) url and thumb_media_id. invalid Request Parameter",
                ));
            }
            Ok(())
        }
        "location" => {
            let (lat, lng) = (p.get("latitude").and_then(Value::as_f64), p.get("longitude").and_then(Value::as_f64));
            match (lat, lng) {
                (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => Ok(()),
                _ => Err(WxErr::with_msg(40058, "latitude/longitude out of range. invalid Request Parameter")),
            }
        }
        _ => Ok(()),
    }
}

/// A caller-chosen msgid: ≤32 bytes of `[0-9a-zA-Z_-]`.
fn check_msgid(msgid: &str) -> Result<(), WxErr> {
    if msgid.len() > 32 || !msgid.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
        return Err(WxErr::with_msg(40058, "invalid msgid. invalid Request Parameter"));
    }
    Ok(())
}

const SEND_TYPES: &[&str] =
    &["text", "image", "voice", "video", "file", "link", "miniprogram", "msgmenu", "location", "ca_link"];

pub async fn send_msg(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let touser = required(&b, "touser")?.to_string();
        let open_kfid = required(&b, "open_kfid")?.to_string();
        w.managed(&open_kfid)?;
        if w.customer(&touser).is_none() {
            return Err(WxErr::with_msg(40096, "invalid external userid"));
        }
        let msgid = str_field(&b, "msgid").to_string();
        check_msgid(&msgid)?;
        if !msgid.is_empty() && w.sent.iter().any(|m| m["open_kfid"] == open_kfid.as_str() && m["msgid"] == msgid.as_str()) {
            return Err(WxErr::with_msg(40058, "msgid duplicated. invalid Request Parameter"));
        }
        check_payload(w, &b, str_field(&b, "msgtype"), SEND_TYPES)?;
        let now = w.now();
        check_send(&w.conversation(&open_kfid, &touser), now)?;
        if w.flags.unverified && !w.served.contains(&touser) && w.served.len() >= 100 {
            return Err(WxErr::new(95003));
        }
        w.served.insert(touser.clone());
        let c = w.conversation_mut(&open_kfid, &touser);
        c.sent_since += 1;
        // "通过API发消息 … 会将客户分配给智能助手": state 0 becomes 1.
        if c.state == 0 {
            c.state = 1;
        }
        let msgid = if msgid.is_empty() { w.next_msgid("msg") } else { msgid };
        let mut record = b.clone();
        record["msgid"] = json!(msgid);
        record["sent_at"] = json!(now);
        w.sent.push(record);
        // errcode 0 does not mean delivered: a customer who refuses messages makes WeCom report
        // a msg_send_fail event afterwards (fail_type 10, 用户拒收).
        if w.customer(&touser).is_some_and(|c| c.rejects) {
            w.log_event(&open_kfid, json!({"event_type": "msg_send_fail", "open_kfid": open_kfid, "external_userid": touser, "fail_msgid": msgid, "fail_type": 10}));
        }
        Ok(ok_with(json!({ "msgid": msgid })))
    })
}

pub async fn send_msg_on_event(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let code = required(&b, "code")?.to_string();
        let msgid = str_field(&b, "msgid").to_string();
        check_msgid(&msgid)?;
        let now = w.now();
        let c = w
            .codes
            .get(&code)
            .cloned()
            .filter(|c| !c.used && c.expires_at > now)
            .ok_or(WxErr::with_msg(95007, "invalid msg code"))?;
        let allowed: &[&str] = if c.menu_allowed { &["text", "msgmenu"] } else { &["text"] };
        check_payload(w, &b, str_field(&b, "msgtype"), allowed)?;
        // Except for the welcome, only while the session is still in the state of the code.
        if let Some(state) = c.state {
            if w.conversation(&c.open_kfid, &c.external_userid).state != state {
                return Err(WxErr::with_msg(95018, "send msg session status invalid"));
            }
        }
        w.codes.get_mut(&code).expect("present").used = true;
        let msgid = if msgid.is_empty() { w.next_msgid("msg") } else { msgid };
        let mut record = b.clone();
        record["msgid"] = json!(msgid);
        record["open_kfid"] = json!(c.open_kfid);
        record["touser"] = json!(c.external_userid);
        record["sent_at"] = json!(now);
        w.sent.push(record);
        Ok(ok_with(json!({ "msgid": msgid })))
    })
}
