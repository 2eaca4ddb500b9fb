//! Session control (reference mp §4): create, close, getsession, getsessionlist, getwaitcase.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::world::{Session, World, WAITCASE_LIST_MAX};
use super::MpSbx;
use super::Q;
use crate::wire::{ok, str_field, WxErr, WxResult};

/// Assigns `openid` to `account`: the agent must exist (65401), be bound (65402) and online
/// (65415); a customer served by another agent gives 65414; the same pair again is a no-op.
pub fn create_session(w: &mut World, account: &str, openid: &str) -> WxResult {
    let agent = w.agent(account).ok_or(WxErr::new(65401))?;
    if agent.kf_wx.is_none() {
        return Err(WxErr::new(65402));
    }
    if agent.status == 0 {
        return Err(WxErr::new(65415));
    }
    if !w.customers.contains_key(openid) {
        return Err(WxErr::new(40003));
    }
    match w.sessions.get(openid) {
        Some(s) if s.kf_account == account => return Ok(ok()),
        Some(_) => return Err(WxErr::new(65414)),
        None => {}
    }
    let was_waiting = w.waiting.iter().any(|c| c.openid == openid);
    w.waiting.retain(|c| c.openid != openid);
    let now = w.now();
    w.sessions.insert(openid.into(), Session { kf_account: account.into(), createtime: now });
    w.record(openid, if was_waiting { 1001 } else { 1002 }, "", account);
    Ok(ok())
}

/// Ends `openid`'s session with `account`: an unknown account is 65401 before anything about the
/// customer (40003 unknown, 65413 no session, 65414 with another agent).
pub fn close_session(w: &mut World, account: &str, openid: &str) -> WxResult {
    w.agent(account).ok_or(WxErr::new(65401))?;
    if !w.customers.contains_key(openid) {
        return Err(WxErr::new(40003));
    }
    let s = w.sessions.get(openid).ok_or(WxErr::new(65413))?;
    if s.kf_account != account {
        return Err(WxErr::new(65414));
    }
    w.sessions.remove(openid);
    w.record(openid, 1004, "", account);
    Ok(ok())
}

pub async fn create(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        create_session(w, str_field(&b, "kf_account"), str_field(&b, "openid"))
    })
}

pub async fn close(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        close_session(w, str_field(&b, "kf_account"), str_field(&b, "openid"))
    })
}

pub async fn get_session(State(s): State<MpSbx>, q: Q) -> Response {
    let openid = q.get("openid").cloned().unwrap_or_default();
    s.business(&q, true, |w| {
        if !w.customers.contains_key(&openid) {
            return Err(WxErr::new(40003));
        }
        Ok(match w.sessions.get(&openid) {
            Some(s) => json!({ "createtime": s.createtime, "kf_account": s.kf_account }),
            None => json!({ "createtime": 0, "kf_account": "" }),
        })
    })
}

pub async fn session_list(State(s): State<MpSbx>, q: Q) -> Response {
    let account = q.get("kf_account").cloned().unwrap_or_default();
    s.business(&q, true, |w| {
        let agent = w.agent(&account).ok_or(WxErr::new(65401))?;
        if agent.kf_wx.is_none() {
            return Err(WxErr::new(65402));
        }
        let mut list: Vec<_> = w
            .sessions
            .iter()
            .filter(|(_, s)| s.kf_account == account)
            .map(|(openid, s)| (s.createtime, openid.clone()))
            .collect();
        list.sort();
        let list: Vec<_> = list.into_iter().map(|(t, o)| json!({ "createtime": t, "openid": o })).collect();
        Ok(json!({ "sessionlist": list }))
    })
}

/// `count` is the true total; the list holds at most the first 100 by arrival.
pub async fn wait_case(State(s): State<MpSbx>, q: Q) -> Response {
    s.business(&q, true, |w| {
        let list: Vec<_> = w
            .waiting
            .iter()
            .take(WAITCASE_LIST_MAX)
            .map(|c| json!({ "latest_time": c.latest_time, "openid": c.openid }))
            .collect();
        Ok(json!({ "count": w.waiting.len(), "waitcaselist": list }))
    })
}
