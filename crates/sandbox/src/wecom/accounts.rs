//! Kf accounts (document/path/94662 add, 94663 del, 94664 update, 94661 list): name ≤16
//! characters, avatar from a temporary image media_id, 5 000 per verified corp and 10 per
//! unverified one (95027), at least one kept (95005), unmanaged accounts read-only (48002).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::wire::{json_body, ok_with, required};
use super::world::{valid_account_name, Account, World};
use super::{WecomSbx, Q};
use crate::wire::{int_field, str_field, WxErr};

fn entry(w: &World, a: &Account) -> Value {
    json!({ "open_kfid": a.open_kfid, "name": a.name, "avatar": w.avatar_url(a), "manage_privilege": a.manageable })
}

pub async fn list(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        // The offset/limit body is optional: an empty one lists from the start.
        let b = if body.iter().all(u8::is_ascii_whitespace) { json!({}) } else { json_body(&body)? };
        let offset = int_field(&b, "offset").unwrap_or(0);
        let limit = int_field(&b, "limit").unwrap_or(100);
        if offset < 0 || !(1..=100).contains(&limit) {
            return Err(WxErr::with_msg(40058, "limit must be 1-100. invalid Request Parameter"));
        }
        let list: Vec<Value> =
            w.accounts.iter().skip(offset as usize).take(limit as usize).map(|a| entry(w, a)).collect();
        Ok(ok_with(json!({ "account_list": list })))
    })
}

/// The GET without parameters of older SDKs: every account at once.
pub async fn list_legacy(State(s): State<WecomSbx>, q: Q) -> Response {
    s.business(&q, |w| {
        let list: Vec<Value> = w.accounts.iter().map(|a| entry(w, a)).collect();
        Ok(ok_with(json!({ "account_list": list })))
    })
}

pub async fn add(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let name = str_field(&b, "name");
        if !valid_account_name(name) {
            return Err(WxErr::new(95006));
        }
        let media_id = str_field(&b, "media_id");
        if media_id.len() > 128 {
            return Err(WxErr::new(40007));
        }
        let avatar = w.image(media_id)?;
        if w.accounts.len() >= w.max_accounts() {
            return Err(WxErr::new(if w.flags.unverified { 95027 } else { 95005 }));
        }
        let (open_kfid, link_code) = (w.new_open_kfid(), w.new_link_code());
        w.accounts.push(Account {
            open_kfid: open_kfid.clone(),
            name: name.trim().to_string(),
            avatar,
            avatar_version: 1,
            // "Accounts created by the API are automatically manageable by the creating app."
            manageable: true,
            link_code,
            users: Vec::new(),
            departments: Vec::new(),
        });
        Ok(ok_with(json!({ "open_kfid": open_kfid })))
    })
}

pub async fn update(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?.to_string();
        // Some SDKs always send both fields, empty when unchanged: "" means "keep".
        let name = Some(str_field(&b, "name")).filter(|n| !n.is_empty());
        let media_id = Some(str_field(&b, "media_id")).filter(|m| !m.is_empty());
        w.managed(&open_kfid)?;
        if name.is_some_and(|n| !valid_account_name(n)) {
            return Err(WxErr::new(95006));
        }
        let avatar = media_id.map(|m| w.image(m)).transpose()?;
        let a = w.managed(&open_kfid)?;
        if let Some(n) = name {
            a.name = n.trim().to_string();
        }
        if let Some(img) = avatar {
            a.avatar = img;
            a.avatar_version += 1;
        }
        Ok(ok_with(json!({})))
    })
}

pub async fn del(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let open_kfid = required(&b, "open_kfid")?.to_string();
        w.managed(&open_kfid)?;
        // "不能多于最大的数量限制，且至少有一个"
        if w.accounts.len() == 1 {
            return Err(WxErr::new(95005));
        }
        w.accounts.retain(|a| a.open_kfid != open_kfid);
        Ok(ok_with(json!({})))
    })
}

/// `GET /cgi-bin/kf/get_corp_qualification`: the demo corp has no Channels binding.
pub async fn qualification(State(s): State<WecomSbx>, q: Q) -> Response {
    s.business(&q, |_| Ok(ok_with(json!({ "wechat_channels_binding": false }))))
}

/// The avatar image an account's `avatar` URL points at.
pub async fn avatar(State(s): State<WecomSbx>, Path((open_kfid, _version)): Path<(String, String)>) -> Response {
    match s.world().account(&open_kfid) {
        Ok(a) => {
            let mime = if a.avatar.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" };
            ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "max-age=86400")], a.avatar.clone()).into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A customer's avatar (the URL `customer/batchget` gives), drawn from the seed.
pub async fn customer_avatar(State(s): State<WecomSbx>, Path(external_userid): Path<String>) -> Response {
    let hue = s.world().customer(&external_userid).map(|c| c.avatar_hue);
    match hue {
        Some(h) => (
            [(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "max-age=86400")],
            crate::avatar::demo_avatar(h),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
