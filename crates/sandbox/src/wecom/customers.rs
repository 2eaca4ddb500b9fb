//! Customers (document/path/95159 batchget; upgrade service 95140): `customer/batchget` answers
//! only customers active (entered or wrote) within 48 hours, the others as invalid; 1–100 ids a
//! call. The upgrade-service config and actions are simulated on the demo directory.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::{json, Value};

use super::conversation::WINDOW_SECS;
use super::service_state::party;
use super::wire::{json_body, ok_with};
use super::{WecomSbx, Q};
use crate::wire::{int_field, str_field, WxErr};

pub async fn batchget(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let ids: Vec<String> = b
            .get("external_userid_list")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if ids.is_empty() || ids.len() > 100 {
            return Err(WxErr::with_msg(40058, "external_userid_list must hold 1-100 ids. invalid Request Parameter"));
        }
        let context = int_field(&b, "need_enter_session_context") == Some(1);
        let now = w.now();
        let mut list = Vec::new();
        let mut invalid = Vec::new();
        for id in ids {
            match w.customer(&id).filter(|c| now - c.last_active <= WINDOW_SECS) {
                Some(c) => {
                    let mut v = json!({
                        "external_userid": c.external_userid, "nickname": c.nickname,
                        "avatar": format!("{}/wxavatar/{}", w.base_url, c.external_userid),
                        "gender": c.gender, "unionid": c.unionid,
                    });
                    if let (true, Some((scene, param))) = (context, &c.enter_context) {
                        v["enter_session_context"] = json!({"scene": scene, "scene_param": param});
                    }
                    list.push(v);
                }
                None => invalid.push(id),
            }
        }
        Ok(ok_with(json!({ "customer_list": list, "invalid_external_userid": invalid })))
    })
}

/// `GET /cgi-bin/kf/customer/get_upgrade_service_config`: who customers can be upgraded to.
pub async fn upgrade_config(State(s): State<WecomSbx>, q: Q) -> Response {
    s.business(&q, |w| {
        let users: Vec<&str> = w.staff.iter().filter(|p| p.department == 4).map(|p| p.userid.as_str()).collect();
        Ok(ok_with(json!({
            "member_range": { "userid_list": users, "department_id_list": [4] },
            "groupchat_range": { "chat_id_list": ["wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA"] },
        })))
    })
}

/// `upgrade_service`: type 1 a member (`member.userid`), type 2 a group chat (`groupchat.chat_id`).
pub async fn upgrade(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let (open_kfid, _) = party(w, &b)?;
        w.managed(&open_kfid)?;
        match int_field(&b, "type") {
            Some(1) if w.staff(str_field(b.get("member").unwrap_or(&Value::Null), "userid")).is_some() => {
                Ok(ok_with(json!({})))
            }
            Some(1) => Err(WxErr::new(60111)),
            Some(2) if !str_field(b.get("groupchat").unwrap_or(&Value::Null), "chat_id").is_empty() => {
                Ok(ok_with(json!({})))
            }
            _ => Err(WxErr::with_msg(
                40058,
                "type must be 1 (member) or 2 (groupchat) with its target. invalid Request Parameter",
            )),
        }
    })
}

pub async fn cancel_upgrade(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let (open_kfid, _) = party(w, &b)?;
        w.managed(&open_kfid)?;
        Ok(ok_with(json!({})))
    })
}
