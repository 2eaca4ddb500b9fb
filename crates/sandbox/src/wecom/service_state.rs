//! Session state (document/path/94698): `service_state/get` and `service_state/trans` with
//! exactly the allowed transitions (95016 otherwise), a target servicer who serves the account
//! (95014) and is receiving (95019), and a msg_code on the first entry into 2 or 3 (48 h) and on
//! ending (20 s) for send_msg_on_event.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::conversation::transition_allowed;
use super::wire::{json_body, ok_with, required};
use super::world::World;
use super::{WecomSbx, Q};
use crate::wire::{int_field, str_field, WxErr};

/// The account and customer of a request: 95004 unknown account, 40096 unknown customer.
pub(super) fn party(w: &World, b: &serde_json::Value) -> Result<(String, String), WxErr> {
    let open_kfid = required(b, "open_kfid")?.to_string();
    w.account(&open_kfid)?;
    let external_userid = required(b, "external_userid")?.to_string();
    if w.customer(&external_userid).is_none() {
        return Err(WxErr::new(40096));
    }
    Ok((open_kfid, external_userid))
}

pub async fn get(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let (open_kfid, external_userid) = party(w, &b)?;
        let c = w.conversation(&open_kfid, &external_userid);
        let servicer = if c.state == 3 { c.servicer.unwrap_or_default() } else { String::new() };
        Ok(ok_with(json!({ "service_state": c.state, "servicer_userid": servicer })))
    })
}

pub async fn trans(State(s): State<WecomSbx>, q: Q, body: Bytes) -> Response {
    s.business(&q, |w| {
        let b = json_body(&body)?;
        let (open_kfid, external_userid) = party(w, &b)?;
        w.managed(&open_kfid)?;
        let to = int_field(&b, "service_state")
            .filter(|v| (0..=4).contains(v))
            .ok_or(WxErr::with_msg(40058, "service_state must be 0-4. invalid Request Parameter"))?
            as u8;
        let servicer = str_field(&b, "servicer_userid").to_string();
        let conv = w.conversation(&open_kfid, &external_userid);
        if !transition_allowed(conv.state, to) {
            return Err(WxErr::with_msg(95016, "invalid service state transfer"));
        }
        if to == 3 {
            if servicer.is_empty() {
                return Err(WxErr::with_msg(
                    40058,
                    "servicer_userid is required for service_state 3. invalid Request Parameter",
                ));
            }
            if !w.serves(&open_kfid, &servicer) {
                return Err(WxErr::new(95014));
            }
            if w.status_of(&servicer).status != 0 {
                return Err(WxErr::with_msg(95019, "servicer is not receiving"));
            }
            if conv.state == 3 && conv.servicer.as_deref() == Some(servicer.as_str()) {
                return Err(WxErr::with_msg(95016, "already served by this servicer"));
            }
        }
        let code = match to {
            2 if !conv.entered_queue => Some(w.issue_code(&open_kfid, &external_userid, Some(2), 48 * 3600, false)),
            3 if !conv.entered_human => Some(w.issue_code(&open_kfid, &external_userid, Some(3), 48 * 3600, false)),
            4 => Some(w.issue_code(&open_kfid, &external_userid, Some(4), 20, true)),
            _ => None,
        };
        let c = w.conversation_mut(&open_kfid, &external_userid);
        c.state = to;
        c.servicer = (to == 3).then_some(servicer);
        c.entered_queue |= to == 2;
        c.entered_human |= to == 3;
        if to == 4 {
            c.entered_queue = false;
            c.entered_human = false;
        }
        Ok(ok_with(match code {
            Some(code) => json!({ "msg_code": code }),
            None => json!({}),
        }))
    })
}
