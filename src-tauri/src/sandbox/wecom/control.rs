//! The WeCom sandbox's own endpoints under `/__sandbox/` (not WeCom's): the demo credentials
//! and directory, a servicer changing status, the clock, token invalidation and switches.
//! Faults and request counts come from the shared `faults::routes`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::world::{Flags, ServiceStatus};
use super::WecomSbx;
use crate::sandbox::wire::{int_field, json_body, ok, str_field, WxErr, WxResult};

pub fn routes() -> Router<WecomSbx> {
    Router::new()
        .route("/__sandbox/info", get(info))
        .route("/__sandbox/directory", get(directory))
        .route("/__sandbox/tokens/invalidate", post(invalidate_tokens))
        .route("/__sandbox/clock", post(clock))
        .route("/__sandbox/flags", get(get_flags).post(set_flags))
        .route("/__sandbox/servicers/status", post(servicer_status))
}

fn with_body(s: &WecomSbx, body: &Bytes, f: impl FnOnce(&WecomSbx, Value) -> WxResult) -> Response {
    s.reply(json_body(body).and_then(|b| f(s, b)))
}

/// The demo credentials (public by design) and what is here.
async fn info(State(s): State<WecomSbx>) -> Response {
    let w = s.world();
    let v = json!({
        "errcode": 0, "errmsg": "ok",
        "platform": "wecom",
        "corpid": w.cfg.corp_id,
        "secret": w.cfg.secret,
        "base_url": w.base_url,
        "accounts": w.accounts.len(),
        "staff": w.staff.len(),
        "now": w.now(),
    });
    drop(w);
    s.reply(Ok(v))
}

/// The demo corp's directory (departments and staff), which WeCom's kf API does not return:
/// the app shows servicers' names from it when the profile is this sandbox.
async fn directory(State(s): State<WecomSbx>) -> Response {
    let w = s.world();
    let v = json!({
        "errcode": 0, "errmsg": "ok",
        "departments": w.departments.iter().map(|d| json!({"id": d.id, "name": d.name, "parent": d.parent})).collect::<Vec<_>>(),
        "staff": w.staff.iter().map(|p| json!({"userid": p.userid, "name": p.name, "department": p.department, "visible": p.visible})).collect::<Vec<_>>(),
    });
    drop(w);
    s.reply(Ok(v))
}

async fn invalidate_tokens(State(s): State<WecomSbx>) -> Response {
    s.world().invalidate_tokens();
    s.reply(Ok(ok()))
}

/// `{"advance_secs": 3600}` moves the sandbox's clock (token and media expiry).
async fn clock(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let secs = int_field(&b, "advance_secs").ok_or(WxErr::with_msg(40058, "advance_secs. invalid Request Parameter"))?;
        let mut w = s.world();
        w.clock_offset += secs;
        Ok(json!({ "errcode": 0, "errmsg": "ok", "now": w.now() }))
    })
}

async fn get_flags(State(s): State<WecomSbx>) -> Response {
    let flags = serde_json::to_value(&s.world().flags).expect("flags serialise");
    s.reply(Ok(flags))
}

/// `{"unverified": true, "ip_untrusted": false}`
async fn set_flags(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let flags: Flags = serde_json::from_value(b).map_err(|e| WxErr::with_msg(40058, format!("{e}. invalid Request Parameter")))?;
        s.world().flags = flags;
        Ok(ok())
    })
}

/// `{"userid": "LiNa", "status": 0|1, "stop_type": 0|1}`: the servicer starts or stops
/// receiving in the WeCom app (list encoding: 0 接待中, 1 停止接待; stop_type 1 暂时挂起).
async fn servicer_status(State(s): State<WecomSbx>, body: Bytes) -> Response {
    with_body(&s, &body, |s, b| {
        let status = int_field(&b, "status").filter(|v| (0..=1).contains(v)).ok_or(WxErr::with_msg(40058, "status 0 or 1. invalid Request Parameter"))?;
        let stop_type = int_field(&b, "stop_type").unwrap_or(0).clamp(0, 1);
        let mut w = s.world();
        let userid = str_field(&b, "userid");
        if w.staff(userid).is_none() {
            return Err(WxErr::new(60111));
        }
        let st = if status == 0 { ServiceStatus::default() } else { ServiceStatus { status: 1, stop_type: stop_type as u8 } };
        w.status.insert(userid.to_string(), st);
        Ok(ok())
    })
}
