//! Customer-service accounts (reference mp §3): list, online list, add, update, the three
//! shapes of delete, avatar upload (multipart `media`, JPEG ≤5 MB) and invite binding.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::world::{Agent, Invite, InviteStatus, World, MAX_AGENTS};
use super::MpSbx;
use super::Q;
use crate::wire::{ok, str_field, WxErr, WxResult};

const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;

fn kf_json(w: &World, a: &Agent) -> Value {
    let mut v = json!({
        "kf_account": a.account,
        "kf_headimgurl": w.headimg_url(a),
        "kf_id": a.kf_id,
        "kf_nick": a.nick,
    });
    if let Some(wx) = &a.kf_wx {
        v["kf_wx"] = json!(wx);
    } else if let Some(inv) = &a.invite {
        let status = match inv.status {
            InviteStatus::Waiting if inv.expire_time <= w.now() => "expired",
            InviteStatus::Waiting => "waiting",
            InviteStatus::Rejected => "rejected",
        };
        v["invite_wx"] = json!(inv.wx);
        v["invite_expire_time"] = json!(inv.expire_time);
        v["invite_status"] = json!(status);
    }
    v
}

pub async fn kf_list(State(s): State<MpSbx>, q: Q) -> Response {
    s.business(&q, true, |w| Ok(json!({ "kf_list": w.agents.iter().map(|a| kf_json(w, a)).collect::<Vec<_>>() })))
}

pub async fn online_list(State(s): State<MpSbx>, q: Q) -> Response {
    s.business(&q, true, |w| {
        let list: Vec<Value> = w
            .agents
            .iter()
            .filter(|a| a.status > 0)
            .map(|a| {
                json!({
                    "kf_account": a.account,
                    "status": a.status,
                    "kf_id": a.kf_id,
                    "auto_accept": a.auto_accept,
                    "accepted_case": w.sessions_of(&a.account),
                })
            })
            .collect();
        Ok(json!({ "kf_online_list": list }))
    })
}

/// `prefix@suffix`: prefix 1–10 of `[A-Za-z0-9_]`, suffix the account's WeChat ID.
fn check_account(w: &World, account: &str) -> Result<(), WxErr> {
    let (prefix, suffix) = account.split_once('@').ok_or(WxErr::new(65404))?;
    let prefix_ok = (1..=10).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !prefix_ok || suffix != w.suffix() {
        return Err(WxErr::new(65404));
    }
    Ok(())
}

fn check_nick(nick: &str) -> Result<(), WxErr> {
    let n = nick.chars().count();
    if n == 0 || n > 16 || nick.trim().is_empty() {
        return Err(WxErr::new(65403));
    }
    Ok(())
}

pub async fn add(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        let (account, nick) = (str_field(&b, "kf_account"), str_field(&b, "nickname"));
        check_account(w, account)?;
        check_nick(nick)?;
        if w.agent(account).is_some() {
            return Err(WxErr::new(65406));
        }
        if w.agents.len() >= MAX_AGENTS {
            return Err(WxErr::new(65405));
        }
        let kf_id = w.next_kf_id;
        w.next_kf_id += 1;
        w.agents.push(Agent {
            kf_id,
            account: account.into(),
            nick: nick.into(),
            kf_wx: None,
            invite: None,
            status: 0,
            auto_accept: 0,
            avatar_version: 0,
        });
        Ok(ok())
    })
}

pub async fn update(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        let nick = str_field(&b, "nickname").to_string();
        let agent = w.agent_mut(str_field(&b, "kf_account")).ok_or(WxErr::new(65401))?;
        check_nick(&nick)?;
        agent.nick = nick;
        Ok(ok())
    })
}

/// Account from the JSON body first (shape A), else from the query (shapes B and C).
pub async fn del(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    let from_body = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("kf_account").and_then(Value::as_str).map(str::to_string));
    let account = from_body.or_else(|| q.get("kf_account").cloned()).unwrap_or_default();
    s.business(&q, true, |w| {
        let pos = w.agents.iter().position(|a| a.account == account).ok_or(WxErr::new(65401))?;
        let a = w.agents.remove(pos);
        w.avatars.remove(&a.kf_id);
        w.sessions.retain(|_, s| s.kf_account != account);
        Ok(ok())
    })
}

pub async fn upload_head_img(State(s): State<MpSbx>, q: Q, req: Request) -> Response {
    // Token and switches first, as WeChat does, then the account (65401 before anything about
    // the file), then the upload itself.
    if let Err(e) = s.check(&q, true) {
        return s.reply(Err(e));
    }
    if s.world().agent(q.get("kf_account").map(String::as_str).unwrap_or("")).is_none() {
        return s.reply(Err(WxErr::new(65401)));
    }
    let r = read_media(req).await.and_then(|jpeg| {
        let mut w = s.world();
        let account = q.get("kf_account").map(String::as_str).unwrap_or("");
        let a = w.agent_mut(account).ok_or(WxErr::new(65401))?;
        a.avatar_version += 1;
        let id = a.kf_id;
        w.avatars.insert(id, jpeg);
        Ok(ok())
    });
    s.reply(r)
}

/// The `media` part: present (41005), a `.jpg`/`.jpeg` name and JPEG bytes (40005), ≤5 MB (40009).
async fn read_media(req: Request) -> Result<Bytes, WxErr> {
    let mut mp = Multipart::from_request(req, &()).await.map_err(|_| WxErr::new(41005))?;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() != Some("media") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_ascii_lowercase();
        let data = field.bytes().await.map_err(|_| WxErr::new(41005))?;
        if !(name.ends_with(".jpg") || name.ends_with(".jpeg")) || !data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(WxErr::new(40005));
        }
        if data.len() > MAX_AVATAR_BYTES {
            return Err(WxErr::new(40009));
        }
        return Ok(data);
    }
    Err(WxErr::new(41005))
}

/// Serves uploaded avatars (WeChat serves them from mmbiz.qpic.cn).
pub async fn head_img(State(s): State<MpSbx>, Path((kf_id, _file)): Path<(u64, String)>) -> Response {
    match s.world().avatars.get(&kf_id) {
        Some(jpeg) => ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "max-age=86400")], jpeg.clone())
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A WeChat ID: 6–20 characters, a letter first, then letters, digits, `_` or `-`.
pub fn valid_wechat_id(wx: &str) -> bool {
    (6..=20).contains(&wx.len())
        && wx.starts_with(|c: char| c.is_ascii_alphabetic())
        && wx.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub async fn invite(State(s): State<MpSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, true, |w| {
        let b = super::wire::body(&body)?;
        let (account, wx) = (str_field(&b, "kf_account"), str_field(&b, "invite_wx"));
        let agent = w.agent(account).ok_or(WxErr::new(65401))?;
        if agent.kf_wx.is_some() {
            return Err(WxErr::new(65412));
        }
        if w.pending_invite(agent) {
            return Err(WxErr::new(65411));
        }
        if !valid_wechat_id(wx) {
            return Err(WxErr::new(65409));
        }
        if w.agents.iter().any(|a| a.kf_wx.as_deref() == Some(wx)) {
            return Err(WxErr::new(65407));
        }
        if w.agents
            .iter()
            .any(|a| a.account != account && w.pending_invite(a) && a.invite.as_ref().is_some_and(|i| i.wx == wx))
        {
            return Err(WxErr::new(65408));
        }
        let bound_here = w.agents.iter().filter(|a| a.kf_wx.as_deref() == Some(wx)).count() as u32;
        if w.bindings_elsewhere.get(wx).copied().unwrap_or(0) + bound_here >= w.cfg.max_bindings_per_wx {
            return Err(WxErr::new(65410));
        }
        let expire_time = w.now() + w.cfg.invite_ttl_secs;
        let agent = w.agent_mut(account).expect("checked above");
        agent.invite = Some(Invite { wx: wx.into(), expire_time, status: InviteStatus::Waiting });
        Ok(ok())
    })
}

/// The invited WeChat user accepts or rejects (what happens on their phone in real life).
pub fn respond_to_invite(w: &mut World, account: &str, accept: bool) -> WxResult {
    let live = w.agent(account).is_some_and(|a| w.pending_invite(a));
    let agent = w.agent_mut(account).ok_or(WxErr::new(65401))?;
    if !live {
        return Err(WxErr::with_msg(40097, "invalid args: no pending invitation for this account"));
    }
    let inv = agent.invite.as_mut().expect("pending");
    if accept {
        agent.kf_wx = Some(inv.wx.clone());
        agent.invite = None;
    } else {
        inv.status = InviteStatus::Rejected;
    }
    Ok(ok())
}
