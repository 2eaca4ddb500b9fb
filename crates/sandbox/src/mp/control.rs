//! The sandbox's own endpoints under `/__sandbox/` (not WeChat's): what trainers and tests use
//! to play the other side — a customer writing, an invitee accepting, an agent going online —
//! and to inject faults, move the clock and read request counts.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::history::{generate, Cast};
use super::respond_to_invite;
use super::world::{CustomerEvent, Flags};
use super::MpSbx;
use crate::wire::{int_field, json_body, ok, str_field, WxErr, WxResult};

pub fn routes() -> Router<MpSbx> {
    Router::new()
        .route("/__sandbox/info", get(info))
        .route("/__sandbox/tokens/invalidate", post(invalidate_tokens))
        .route("/__sandbox/clock", post(clock))
        .route("/__sandbox/flags", get(get_flags).post(set_flags))
        .route("/__sandbox/invites/respond", post(invite_respond))
        .route("/__sandbox/customers/message", post(customer_message))
        .route(
            "/__sandbox/server",
            get(super::callbacks::get_server).post(super::callbacks::set_server).delete(super::callbacks::clear_server),
        )
        .route("/__sandbox/customers/event", post(customer_event))
        .route("/__sandbox/agents/status", post(agent_status))
        .route("/__sandbox/records/fill", post(fill_records))
        .route("/__sandbox/queue/rush", post(queue_rush))
}

fn with_body(s: &MpSbx, body: &Bytes, f: impl FnOnce(&MpSbx, Value) -> WxResult) -> Response {
    s.reply(json_body(body).and_then(|b| f(s, b)))
}

/// The demo credentials and what is here; the sandbox's AppSecret is public by design.
async fn info(State(s): State<MpSbx>) -> Response {
    let mut w = s.world();
    let v = json!({
        "appid": w.cfg.appid,
        "secret": w.cfg.secret,
        "oa_wechat_id": w.cfg.oa_wechat_id,
        "base_url": w.base_url,
        "agents": w.agents.len(),
        "customers": w.customers.len(),
        "waiting": w.waiting.len(),
        "records": w.records().len(),
        "now": w.now(),
    });
    drop(w);
    s.reply(Ok(v))
}

async fn invalidate_tokens(State(s): State<MpSbx>) -> Response {
    s.world().invalidate_tokens();
    s.reply(Ok(ok()))
}

/// `{"advance_secs": 3600}` moves the sandbox's clock forward (or back).
async fn clock(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let secs = int_field(&b, "advance_secs")
            .filter(|s| s.abs() <= crate::guard::MAX_CLOCK_STEP_SECS)
            .ok_or(WxErr::with_msg(40097, "invalid args: advance_secs, at most ten years"))?;
        let mut w = s.world();
        w.clock_offset =
            (w.clock_offset + secs).clamp(-crate::guard::MAX_CLOCK_OFFSET_SECS, crate::guard::MAX_CLOCK_OFFSET_SECS);
        Ok(json!({ "errcode": 0, "errmsg": "ok", "now": w.now() }))
    })
}

async fn get_flags(State(s): State<MpSbx>) -> Response {
    let flags = serde_json::to_value(&s.world().flags).expect("flags serialise");
    s.reply(Ok(flags))
}

async fn set_flags(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let flags: Flags =
            serde_json::from_value(b).map_err(|e| WxErr::with_msg(40097, format!("invalid args: {e}")))?;
        s.world().flags = flags;
        Ok(ok())
    })
}

/// `{"kf_account": "...", "accept": true}`
async fn invite_respond(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let accept = b.get("accept").and_then(Value::as_bool).unwrap_or(true);
        respond_to_invite(&mut s.world(), str_field(&b, "kf_account"), accept)
    })
}

/// `{"openid": "...", "text": "..."}`: the customer writes to the Official Account.
async fn customer_message(State(s): State<MpSbx>, body: Bytes) -> Response {
    let b = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return s.reply(Err(e)),
    };
    let text = match str_field(&b, "text") {
        "" => "你好",
        t if t.len() > crate::guard::MAX_CONTROL_TEXT_BYTES => {
            return s.reply(Err(WxErr::with_msg(40097, "invalid args: text too long")))
        }
        t => t,
    };
    let openid = str_field(&b, "openid");
    // In a session, the message goes straight to the agent; otherwise, when the account has a
    // server, WeChat pushes it there and the answer decides.
    let server = {
        let w = s.world();
        if w.sessions.contains_key(openid) {
            None
        } else {
            w.server_target.clone()
        }
    };
    match server {
        Some(target) => {
            let r = super::callbacks::customer_writes_to_server(&s, target, openid, text).await;
            s.reply(r)
        }
        None => {
            let r = s.world().customer_writes(openid, text).map(|_| ok());
            s.reply(r)
        }
    }
}

/// `{"openid", "event": "subscribe" | "unsubscribe" | "CLICK" | "SCAN" | "payment"}`: what a
/// customer does besides writing that opens (or closes) the account's right to message them.
async fn customer_event(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let event = CustomerEvent::parse(str_field(&b, "event"))
            .ok_or(WxErr::with_msg(40097, "invalid args: event is subscribe, unsubscribe, CLICK, SCAN or payment"))?;
        let mut w = s.world();
        let openid = match str_field(&b, "openid") {
            "" if event == CustomerEvent::Follow => super::seed::openid(&mut w.rng),
            o => o.to_string(),
        };
        w.customer_event(&openid, event)?;
        Ok(json!({"errcode": 0, "errmsg": "ok", "openid": openid}))
    })
}

/// `{"kf_account": "...", "status": 0..=3, "auto_accept": 5}`: the agent logs in or out.
async fn agent_status(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let status = int_field(&b, "status")
            .filter(|v| (0..=3).contains(v))
            .ok_or(WxErr::with_msg(40097, "invalid args: status"))?;
        let auto_accept = int_field(&b, "auto_accept");
        let mut w = s.world();
        let a = w.agent_mut(str_field(&b, "kf_account")).ok_or(WxErr::new(65401))?;
        // Only someone can be online: an agent bound to a WeChat user.
        if status != 0 && a.kf_wx.is_none() {
            return Err(WxErr::with_msg(40097, "invalid args: only an agent bound to a WeChat user can be online"));
        }
        a.status = status as u8;
        if let Some(n) = auto_accept {
            a.auto_accept = n.clamp(0, 100) as u32;
        }
        Ok(ok())
    })
}

/// `{"count": 150, "text": "在吗？"}`: that many customers write in at once and wait (a rush,
/// for training); answers their openids and the queue's length.
async fn queue_rush(State(s): State<MpSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let count = int_field(&b, "count").unwrap_or(20);
        if !(1..=1000).contains(&count) {
            return Err(WxErr::with_msg(40097, "invalid args: count 1..=1000"));
        }
        let text = match str_field(&b, "text") {
            "" => "在吗？",
            t if t.len() > crate::guard::MAX_CONTROL_TEXT_BYTES => {
                return Err(WxErr::with_msg(40097, "invalid args: text too long"))
            }
            t => t,
        };
        let mut w = s.world();
        let openids = w.rush(count as usize, text);
        Ok(json!({"errcode": 0, "errmsg": "ok", "openids": openids, "waiting": w.waiting.len()}))
    })
}

/// `{"from": unix, "days": 31, "per_day": 10000, "seed": 1}`: bulk chat history on whole CST
/// days (default: the 31 days before today, 1 000 a day).
/// Millions of records take seconds to make: they are made off the async threads and without
/// the account's lock, which is held only to read who is in the account and to merge.
async fn fill_records(State(s): State<MpSbx>, body: Bytes) -> Response {
    let b = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return s.reply(Err(e)),
    };
    let days = int_field(&b, "days").unwrap_or(31);
    let per_day = int_field(&b, "per_day").unwrap_or(1000);
    if !(1..=366).contains(&days) || !(1..=100_000).contains(&per_day) || days * per_day > 5_000_000 {
        return s.reply(Err(WxErr::with_msg(
            40097,
            "invalid args: days 1..=366, per_day 1..=100000, at most 5 000 000 records",
        )));
    }
    let (cast, from) = {
        let w = s.world();
        (Cast::of(&w), int_field(&b, "from").unwrap_or_else(|| w.now() - 31 * 86_400))
    };
    let seed = int_field(&b, "seed").unwrap_or(1) as u64;
    let Ok(made) = tokio::task::spawn_blocking(move || generate(&cast, from, days as u32, per_day as u32, seed)).await
    else {
        return s.reply(Err(WxErr::with_msg(-1, "system error")));
    };
    let mut w = s.world();
    let added = w.merge_records(made);
    let total = w.records().len();
    drop(w);
    s.reply(Ok(json!({"errcode": 0, "errmsg": "ok", "added": added, "total": total})))
}
